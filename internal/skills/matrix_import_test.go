package skills_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/tabular"
)

// exportTeam exports Grace's team matrix as she sees it.
func exportTeam(t *testing.T, f *fixture, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.svc.ExportMatrix(ctx, f.actor(t, "E2"), skills.MatrixFilter{Below: f.ids["E2"]}, format, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// teamLevels returns the current levels of Grace's team, "E3 Go" → 3.3, rated cells only.
func teamLevels(t *testing.T, f *fixture) map[string]float64 {
	t.Helper()
	m, err := f.svc.Matrix(ctx, core.System, skills.MatrixFilter{Below: f.ids["E2"]})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range m.Rows {
		for j, c := range r.Cells {
			if c.Rated {
				out[r.EmployeeNumber+" "+m.Skills[j].Name] = c.Level
			}
		}
	}
	return out
}

// matrixImports counts the matrix imports in the audit log.
func matrixImports(t *testing.T, d *db.DB) int {
	t.Helper()
	action := "skills.matrix_import"
	entries, _, err := (&audit.Service{DB: d}).Find(ctx, core.System, audit.Filter{Action: &action})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// rateAll records ratings given as "rater person skill level source".
func rateAll(t *testing.T, f *fixture, ratings ...string) {
	t.Helper()
	for _, r := range ratings {
		w := strings.Fields(r)
		level, _ := strconv.Atoi(w[3])
		if _, err := f.svc.Rate(ctx, f.actor(t, w[0]), skills.RatingInput{PersonID: f.ids[w[1]], SkillID: f.skills[w[2]], Level: level, Source: w[4]}); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
}

// sheet is a worksheet of a test workbook.
type sheet struct {
	name string
	rows [][]any
}

// workbook writes an XLSX file with the given sheets (none: one empty sheet), after edit.
func workbook(t *testing.T, edit func(wb *excelize.File), sheets ...sheet) []byte {
	t.Helper()
	wb := excelize.NewFile()
	for i, s := range sheets {
		if i == 0 {
			if err := wb.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := wb.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := wb.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if edit != nil {
		edit(wb)
	}
	buf, err := wb.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// matrixSheet is a "Matrix" sheet with the given rows.
func matrixSheet(rows ...[]any) sheet { return sheet{name: "Matrix", rows: rows} }

// problemList writes a report's problems one per line as "line|column|reason".
func problemList(rep *tabular.Report) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		fmt.Fprintf(&b, "%d|%s|%s\n", p.Line, p.Column, p.Reason)
	}
	return b.String()
}

func TestMatrixImportRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		grace := f.actor(t, "E2")
		rateAll(t, f, "E3 E3 Go 2 self", "E2 E3 Go 4 manager", "E2 E4 SQL 3 manager", "E4 E4 Writing 1 self")
		before := teamLevels(t, f)
		if before["E3 Go"] != 3.3 || len(before) != 3 {
			t.Fatalf("levels before: %v", before)
		}
		for _, format := range []string{"xlsx", "csv"} {
			data := exportTeam(t, f, format)
			opts := skills.MatrixImportOptions{Source: "manager", Filename: "team." + format} // the format is detected
			plan, err := f.svc.PlanMatrixImport(ctx, grace, data, opts)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := f.svc.ImportMatrix(ctx, grace, data, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []*tabular.Report{plan, rep} {
				if !r.Valid || r.Kind != "skills_matrix" || r.Rows != 2 || r.Create != 0 || r.Unchanged != 3 || len(r.Changes) != 0 {
					t.Errorf("%s: unchanged export: %+v\n%s", format, r, problemList(r))
				}
			}
			if plan.Applied || !rep.Applied {
				t.Errorf("%s: plan applied %v, import applied %v", format, plan.Applied, rep.Applied)
			}
			if format == "xlsx" && !slices.Contains(rep.Ignored, `sheet "Required"`) {
				t.Errorf("ignored: %v", rep.Ignored)
			}
		}
		if n := matrixImports(t, d); n != 0 {
			t.Errorf("importing unchanged exports wrote %d audit entries", n)
		}
		if after := teamLevels(t, f); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("levels changed: %v, were %v", after, before)
		}

		// An hour later, Grace raises Alan's Go from 3.3 to 5 in the workbook.
		f.clock.Advance(time.Hour)
		wb, err := excelize.OpenReader(bytes.NewReader(exportTeam(t, f, "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows(skills.SheetMatrix)
		goCol := slices.Index(rows[0], "Go")
		alanRow := slices.IndexFunc(rows, func(r []string) bool { return r[0] == "E3" })
		if goCol < 0 || alanRow < 0 || rows[alanRow][goCol] != "3.3" {
			t.Fatalf("exported matrix: %v", rows)
		}
		cell, _ := excelize.CoordinatesToCellName(goCol+1, alanRow+1)
		if err := wb.SetCellValue(skills.SheetMatrix, cell, 5); err != nil {
			t.Fatal(err)
		}
		buf, err := wb.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.ImportMatrix(ctx, grace, buf.Bytes(), skills.MatrixImportOptions{Format: "xlsx", Source: "manager"})
		if err != nil {
			t.Fatal(err)
		}
		want := []tabular.Change{{Line: alanRow + 1, Kind: "update", Key: "E3", Name: "Alan Turing", Fields: []string{"Go"}}}
		if !rep.Applied || rep.Create != 1 || rep.Unchanged != 2 || fmt.Sprint(rep.Changes) != fmt.Sprint(want) {
			t.Errorf("one changed cell: %+v\n%s", rep, problemList(rep))
		}
		// Grace's new 5 replaces her 4: (0.4·2 + 0.8·5) / 1.2 = 4.
		after := teamLevels(t, f)
		if after["E3 Go"] != 4 || after["E4 SQL"] != 3 || after["E4 Writing"] != 1 || len(after) != 3 {
			t.Errorf("levels after the change: %v", after)
		}
		hist, err := f.svc.FindRatings(ctx, grace, f.ids["E3"], f.skills["Go"])
		if err != nil || len(hist) != 3 || hist[0].Level != 5 || hist[0].Source != "manager" || hist[0].RaterID != f.ids["E2"] {
			t.Errorf("Alan's Go history: %+v %v", hist, err)
		}
		if n := matrixImports(t, d); n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
	})
}

func TestMatrixImportProblems(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rateAll(t, f, "E3 E3 Go 2 self", "E2 E3 Go 4 manager") // Alan's Go: 3.3
		neg, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["Negotiation"])
		if _, err := f.svc.UpdateSkill(ctx, core.System, neg.ID, skills.SkillInput{Name: neg.Name, CategoryID: neg.CategoryID, Type: neg.Type, Retired: true}); err != nil {
			t.Fatal(err)
		}
		head := []any{"Employee number", "Name", "Go", "SQL"}
		valid := workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", 3.3, 4}))
		encrypted := func() []byte {
			wb, err := excelize.OpenReader(bytes.NewReader(valid))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := wb.Write(&buf, excelize.Options{Password: "secret"}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}()
		junk := make([]byte, 10<<20)
		_, _ = rand.NewChaCha8([32]byte{7}).Read(junk)
		var many strings.Builder
		many.WriteString("Employee number,Go\n")
		for i := range skills.MaxMatrixRows + 1 {
			fmt.Fprintf(&many, "X%d,\n", i)
		}
		wide := []any{"Employee number"}
		for i := range skills.MaxMatrixSkills + 1 {
			wide = append(wide, fmt.Sprintf("Skill %d", i))
		}

		tests := []struct {
			name   string
			data   []byte
			format string
			want   []string // "line|column|reason fragment"
		}{
			{"unknown person", workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", 3.3}, []any{"E9", "Nobody", 3})), "",
				[]string{"3|Matrix!A3|unknown person"}},
			{"unknown person in CSV", []byte("Employee number,Name,Go\nE3,Alan,3.3\nE9,Nobody,3\n"), "csv",
				[]string{"3|Employee number|unknown person"}},
			{"unknown email", []byte("Email,Go\nalan@example.com,3.3\nnobody@example.com,1\n"), "csv",
				[]string{"3|Email|unknown person"}},
			{"person twice", workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", 3.3}, nil, []any{"E3", "Alan", 4})), "",
				[]string{"4|Matrix!A4|already on row 2"}},
			{"unknown skill column", workbook(t, nil, matrixSheet([]any{"Employee number", "Go", "Cooking"}, []any{"E3", 3.3, 2})), "",
				[]string{"1|Matrix!C1|unknown skill"}},
			{"duplicate skill column", workbook(t, nil, matrixSheet([]any{"Employee number", "Go", "SQL", "go  LANGUAGE"}, []any{"E3", 3.3, 2, 3})), "",
				[]string{"1|Matrix!D1|both the skill Go"}},
			{"retired skill column", []byte("Employee number,Negotiation\nE3,2\n"), "csv",
				[]string{"1|Negotiation|retired"}},
			{"no person column", []byte("Name,Go\nAlan,4\n"), "csv",
				[]string{"1||missing column Employee number"}},
			{"level 9", workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", 9})), "",
				[]string{"2|Matrix!C2|9 is outside the scale (0 to 5)"}},
			{"level 2.5 changed", workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", 2.5, 2.5})), "",
				[]string{"2|Matrix!C2|not a whole level", "2|Matrix!D2|not a whole level"}},
			{"text", workbook(t, nil, matrixSheet(head, []any{"E3", "Alan", "expert"})), "",
				[]string{"2|Matrix!C2|enter the level as a number"}},
			{"text in CSV", []byte("Employee number;Go;SQL\nE3;3,3;good\n"), "csv",
				[]string{"2|SQL|enter the level as a number"}},
			{"a formula", workbook(t, func(wb *excelize.File) {
				_ = wb.SetCellFormula("Matrix", "D2", "1+2") // the cached value stays 3
			}, matrixSheet(head, []any{"E3", "Alan", 3.3, 3})), "",
				[]string{"2|Matrix!D2|formula: enter the level as a number"}},
			{"merged cells", workbook(t, func(wb *excelize.File) {
				_ = wb.MergeCell("Matrix", "C2", "C3")
			}, matrixSheet(head, []any{"E3", "Alan", 3.3}, []any{"E4", "José", 3})), "",
				[]string{"2|Matrix!C2|merged cells (C2:C3)"}},
			{"levels without a header", workbook(t, nil, matrixSheet([]any{"Employee number", "Go"}, []any{"E3", 3.3, 4})), "",
				[]string{"2|Matrix!C2|no header"}},
			{"levels without a person", workbook(t, nil, matrixSheet(head, []any{nil, "Alan", 4})), "",
				[]string{"2|Matrix!A2|no employee number"}},
			{"a manager rating herself", workbook(t, nil, matrixSheet(head, []any{"E2", "Grace", 4})), "",
				[]string{"2|Matrix!A2|only a manager rates the people who report to them"}},
			{"a second data sheet without Matrix", workbook(t, nil, sheet{"Team", [][]any{head, {"E3", "Alan", 4}}}, sheet{"Other", [][]any{{"notes"}}}), "",
				[]string{"0||several sheets with data (Team, Other)"}},
			{"empty workbook", workbook(t, nil), "", []string{"0||no rows"}},
			{"an empty Matrix sheet", workbook(t, nil, sheet{"Notes", [][]any{{"x"}}}, matrixSheet()), "", []string{"0||Matrix has no rows"}},
			{"a header alone", []byte("Employee number,Go\n"), "csv", []string{"1||no people"}},
			{"junk", junk, "", []string{"4||not text"}}, // the first NUL byte is on line 4
			{"junk as xlsx", junk, "xlsx", []string{"0||not an XLSX workbook"}},
			{"a damaged workbook", valid[:len(valid)/2], "", []string{"0||damaged"}},
			{"an encrypted workbook", encrypted, "", []string{"0||password-protected"}},
			{"a workbook as CSV", valid, "csv", []string{"0||import it as XLSX"}},
			{"too many rows", []byte(many.String()), "csv", []string{"0||more than 20000 rows"}},
			{"too many skill columns", workbook(t, nil, matrixSheet(wide, []any{"E3"})), "", []string{"1||more than 1000 skill columns"}},
		}
		grace := f.actor(t, "E2")
		for _, tt := range tests {
			rep, err := f.svc.ImportMatrix(ctx, grace, tt.data, skills.MatrixImportOptions{Format: tt.format, Source: "manager"})
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			got := problemList(rep)
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			ok := len(rep.Problems) == len(tt.want) && rep.ProblemCount == len(tt.want)
			for i, w := range tt.want {
				parts := strings.SplitN(w, "|", 3)
				ok = ok && i < len(lines) && strings.HasPrefix(lines[i], parts[0]+"|"+parts[1]+"|") && strings.Contains(lines[i], parts[2])
			}
			if !ok || rep.Valid || rep.Applied || rep.Create != 0 {
				t.Errorf("%s: valid %v applied %v create %d, problems:\n%swant:\n%s", tt.name, rep.Valid, rep.Applied, rep.Create, got, strings.Join(tt.want, "\n"))
			}
		}
		if n := matrixImports(t, d); n != 0 {
			t.Errorf("refused files wrote %d audit entries", n)
		}
		if hist, _ := f.svc.FindRatings(ctx, core.System, f.ids["E3"], ""); len(hist) != 2 {
			t.Errorf("refused files recorded ratings: %d, want 2", len(hist))
		}

		// Files in other shapes people keep are read alike.
		good := []struct {
			name      string
			data      []byte
			create    int
			unchanged int
			ignored   []string
		}{
			{"CSV with a BOM, semicolons and decimal commas", []byte("\ufeffEmployee number;Name;Go;SQL\r\nE3;Alan Turing;3,3;4\r\n"), 1, 1, []string{"Name"}},
			{"people by email, skills by alias", []byte("E-mail,Go Language,sql\nALAN@example.com,3.3,\njose@example.com,2,1\n"), 2, 1, nil},
			{"the Matrix sheet among others", workbook(t, nil, sheet{"Notes", [][]any{{"read me"}}},
				matrixSheet(nil, []any{"Emp. No.", "Job role", "Go"}, []any{"E4", "Engineer", 3})), 1, 0, []string{`sheet "Notes"`, "Job role"}},
		}
		for _, tt := range good {
			rep, err := f.svc.PlanMatrixImport(ctx, grace, tt.data, skills.MatrixImportOptions{Source: "manager"})
			if err != nil || !rep.Valid || rep.Create != tt.create || rep.Unchanged != tt.unchanged || !slices.Equal(rep.Ignored, tt.ignored) {
				t.Errorf("%s: %+v %v\n%s", tt.name, rep, err, problemList(rep))
			}
		}
	})
}

func TestMatrixImportPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rateAll(t, f, "E2 E3 Go 4 manager", "E2 E4 SQL 3 manager")
		team := exportTeam(t, f, "xlsx")
		// Katherine manages elsewhere: Grace's team is outside her scope.
		rep, err := f.svc.ImportMatrix(ctx, f.actor(t, "E5"), team, skills.MatrixImportOptions{Source: "manager"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Valid || rep.ProblemCount != 2 || rep.Rows != 2 {
			t.Fatalf("Katherine importing Grace's team: %+v\n%s", rep, problemList(rep))
		}
		for _, p := range rep.Problems {
			if !strings.HasPrefix(p.Reason, "unknown person") || !strings.HasPrefix(p.Column, "Matrix!A") {
				t.Errorf("problem %+v", p)
			}
		}
		// An employee records no test results.
		if _, err := f.svc.PlanMatrixImport(ctx, f.actor(t, "E3"), team, skills.MatrixImportOptions{Source: "test"}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("an employee importing test results: %v", err)
		}
		if _, err := f.svc.ImportMatrix(ctx, f.actor(t, "E3"), team, skills.MatrixImportOptions{Source: "self"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("an unsupported source: %v", err)
		}
		// L&D records test results for anyone: a test of Writing at 3 for José.
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		csv := []byte("Employee number,Go,SQL,Writing\nE3,4,,\nE4,,3,3\n")
		rep, err = f.svc.ImportMatrix(ctx, lnd, csv, skills.MatrixImportOptions{Source: "test", Filename: "assessment.csv"})
		if err != nil || !rep.Applied || rep.Create != 1 || rep.Unchanged != 2 {
			t.Fatalf("L&D importing test results: %+v %v\n%s", rep, err, problemList(rep))
		}
		hist, err := f.svc.FindRatings(ctx, core.System, f.ids["E4"], f.skills["Writing"])
		if err != nil || len(hist) != 1 || hist[0].Source != "test" || hist[0].Level != 3 || hist[0].RaterID != f.ids["E5"] ||
			hist[0].Note != "From the skills matrix assessment.csv" {
			t.Errorf("José's Writing: %+v %v", hist, err)
		}
		// Someone who left is unknown.
		jose, err := f.orgs.FindPersonByID(ctx, core.System, f.ids["E4"])
		if err != nil {
			t.Fatal(err)
		}
		in := jose.Input()
		in.Status = org.StatusLeft
		if _, err := f.orgs.UpdatePerson(ctx, core.System, jose.ID, in); err != nil {
			t.Fatal(err)
		}
		rep, err = f.svc.PlanMatrixImport(ctx, lnd, []byte("Employee number,Go\nE4,4\n"), skills.MatrixImportOptions{Source: "test"})
		if err != nil || rep.Valid || len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0].Reason, "unknown person") {
			t.Errorf("a test result for someone who left: %+v %v", rep, err)
		}
		// With the manager source, L&D is not the manager.
		rep, err = f.svc.PlanMatrixImport(ctx, lnd, []byte("Employee number,Writing\nE3,2\n"), skills.MatrixImportOptions{Source: "manager"})
		if err != nil || rep.Valid || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Reason, "only a manager") {
			t.Errorf("L&D with the manager source: %+v %v", rep, err)
		}
	})
}

// FuzzMatrixImport plans arbitrary files, CSV and XLSX (testdata/fuzz holds an exported workbook to
// start from): the plan never fails, and its report is consistent.
func FuzzMatrixImport(f *testing.F) {
	f.Add([]byte("Employee number,Name,Job role,Org unit,Go,SQL,Writing\nE3,Alan Turing,Software Engineer,ENG,3.3,,\nE4,José Núñez,Software Engineer,ENG,,3,1\n"))
	f.Add([]byte("\ufeffEmployee number;Go;SQL\r\nE3;3,3;4\r\nE3;9;x\r\n"))
	f.Add([]byte("Email,Go Language,Cooking,\nalan@example.com,2.5,,7\n,,,\nnobody@x,=1+2,\"\n"))
	f.Add([]byte("emp no,go,go\n'=E3,NaN,Inf\n"))
	f.Add([]byte("PK\x03\x04junk"))
	d := dbtest.SQLite(f)
	var fx *fixture
	var once sync.Once
	f.Fuzz(func(t *testing.T, data []byte) {
		once.Do(func() { fx = newFixture(t, d) })
		if fx == nil {
			t.Fatal("no fixture")
		}
		for _, format := range []string{"csv", ""} {
			rep, err := fx.svc.PlanMatrixImport(ctx, fx.actor(t, "E2"), data, skills.MatrixImportOptions{Format: format, Source: "manager"})
			if err != nil {
				t.Fatalf("plan returned an error instead of a report: %v", err)
			}
			if rep.Kind != "skills_matrix" || rep.Valid == (rep.ProblemCount > 0) || rep.Applied ||
				len(rep.Problems) != min(rep.ProblemCount, tabular.MaxProblems) {
				t.Fatalf("valid=%v applied=%v with %d problems (%d listed)", rep.Valid, rep.Applied, rep.ProblemCount, len(rep.Problems))
			}
			for i, p := range rep.Problems {
				if p.Reason == "" || p.Line < 0 || i > 0 && p.Line < rep.Problems[i-1].Line {
					t.Fatalf("problem %d out of order or without a reason: %+v", i, rep.Problems)
				}
			}
			fields := 0
			for _, c := range rep.Changes {
				if c.Kind != "update" || c.Key == "" || c.Name == "" || len(c.Fields) == 0 {
					t.Fatalf("change %+v", c)
				}
				fields += len(c.Fields)
			}
			if !rep.Valid && rep.Create+rep.Unchanged+len(rep.Changes) > 0 || rep.Create != fields || rep.Create+rep.Unchanged > 4*rep.Rows {
				t.Fatalf("%d rows, %d new, %d unchanged, changes %+v", rep.Rows, rep.Create, rep.Unchanged, rep.Changes)
			}
		}
	})
}
