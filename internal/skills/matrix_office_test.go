package skills_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/skills"
)

// TestMatrixSurvivesLibreOffice opens an exported matrix in LibreOffice Calc, saves it again as
// XLSX, as someone editing it in a spreadsheet would, and imports the result: it must read, keep
// its conditional colours, and change nothing. It runs with the browser tests (LEARNLOOP_E2E),
// which CI runs with LibreOffice installed.
func TestMatrixSurvivesLibreOffice(t *testing.T) {
	if os.Getenv("LEARNLOOP_E2E") == "" {
		t.Skip("LEARNLOOP_E2E is not set")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		grace := f.actor(t, "E2")
		rateAll(t, f, "E3 E3 Go 2 self", "E2 E3 Go 4 manager", "E2 E4 SQL 3 manager", "E4 E4 Writing 1 self")
		dir := t.TempDir()
		in := filepath.Join(dir, "team.xlsx")
		if err := os.WriteFile(in, exportTeam(t, f, "xlsx"), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "saved")
		cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, soffice, "--headless", "--norestore", "--nolockcheck",
			"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		saved, err := os.ReadFile(filepath.Join(out, "team.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(saved))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		if got := wb.GetSheetList(); len(got) < 2 || got[0] != skills.SheetMatrix || got[1] != skills.SheetRequired {
			t.Errorf("sheets after LibreOffice: %v", got)
		}
		if cf, err := wb.GetConditionalFormats(skills.SheetMatrix); err != nil || len(cf) == 0 {
			t.Errorf("the gap colours did not survive: %v %v", cf, err)
		}
		rep, err := f.svc.ImportMatrix(ctx, grace, saved, skills.MatrixImportOptions{Source: "manager", Filename: "team.xlsx"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Valid || rep.Create != 0 || rep.Unchanged != 3 {
			t.Errorf("importing the LibreOffice copy: %+v\n%s", rep, problemList(rep))
		}
	})
}
