package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	st "github.com/learnloop/learnloop/internal/server/servertest"
	"github.com/learnloop/learnloop/internal/skills"
)

// TestManagerMatrixGapsExportAndReimport: a manager opens the team matrix from the skills menu,
// filters it to gaps, exports it to Excel, raises one level in the workbook and imports it back
// through the preview; the matrix then shows the new level.
func TestManagerMatrixGapsExportAndReimport(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.Manager)
	do(t, ctx,
		chromedp.Navigate(env.URL+"/skills"),
		chromedp.Click(chromedp.CSS(`.subnav a[href="/skills/matrix"]`)),
	)
	waitText(t, ctx, "#matrix-summary", "people")
	all := count(t, ctx, "#matrix tbody tr")
	if all == 0 {
		t.Fatal("the team matrix is empty")
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#only-gaps")),
		chromedp.Click(chromedp.CSS(`#matrix-filters button[type="submit"]`)),
	)
	waitURL(t, ctx, "gaps=1")
	waitText(t, ctx, "#matrix-summary", "people")
	gaps := count(t, ctx, "#matrix tbody tr")
	if gaps == 0 || gaps > all {
		t.Fatalf("%d people with gaps of %d", gaps, all)
	}
	// Every row left has a gap, and every column someone falls short in.
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#matrix tbody tr")].filter(r => !r.querySelector("td.gap")).length`)); n != 0 {
		t.Errorf("%d rows without a gap after filtering to gaps", n)
	}

	// Export to Excel.
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS("#export-xlsx")),
	)
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
	}
	wb, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	defer wb.Close()
	if got := wb.GetSheetList(); !slices.Equal(got, []string{skills.SheetMatrix, skills.SheetRequired, skills.SheetLegend}) {
		t.Errorf("sheets %v", got)
	}
	rows, err := wb.GetRows(skills.SheetMatrix)
	if err != nil || len(rows)-1 != gaps {
		t.Fatalf("the workbook has %d people, the page %d (%v)", len(rows)-1, gaps, err)
	}
	required, _ := wb.GetRows(skills.SheetRequired)

	// Raise the first gap in the workbook to the required level, as a manager would in Excel.
	var cell, who, skill string
	var target int
	for i := 1; i < len(rows) && cell == ""; i++ {
		for j := 4; j < len(rows[0]); j++ {
			need := 0
			if i < len(required) && j < len(required[i]) {
				need, _ = strconv.Atoi(required[i][j])
			}
			have := 0.0
			if j < len(rows[i]) && rows[i][j] != "" {
				have, _ = strconv.ParseFloat(rows[i][j], 64)
			}
			if need > 0 && have < float64(need) {
				cell, _ = excelize.CoordinatesToCellName(j+1, i+1)
				who, skill, target = rows[i][1], rows[0][j], need
				break
			}
		}
	}
	if cell == "" {
		t.Fatal("no gap in the exported workbook")
	}
	if err := wb.SetCellValue(skills.SheetMatrix, cell, target); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(dir, "team.xlsx")
	if err := wb.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.Navigate(env.URL+"/skills/matrix?gaps=1"),
		chromedp.Click(chromedp.CSS("#import-matrix")),
		chromedp.WaitVisible(chromedp.CSS("#file")),
	)
	if checked, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=kind][value=skills_matrix]').checked`)); !checked {
		t.Error("the import form does not preselect skill levels")
	}
	do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{edited}),
		chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)),
	)
	waitText(t, ctx, "#import-summary", "1 new")
	do(t, ctx, chromedp.Click(chromedp.CSS("#apply")))
	waitText(t, ctx, ".flash", "Imported")

	// The person's skills page shows the manager's new rating.
	do(t, ctx, chromedp.Navigate(env.URL+"/skills/matrix"))
	waitText(t, ctx, "#matrix", who)
	hist := personHistory(t, ctx, env, who)
	if !strings.Contains(hist, skill) || !strings.Contains(hist, fmt.Sprintf("%d", target)) {
		t.Errorf("%s's history lacks the imported %s %d:\n%.600s", who, skill, target, hist)
	}
}

// personHistory opens the skills page of the person named in the matrix and returns its
// evidence table.
func personHistory(t *testing.T, ctx context.Context, env *st.Env, name string) string {
	t.Helper()
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll("#matrix th.who a")].find(a => a.innerText.trim() === %q).getAttribute("href")`, name)))
	if err != nil || href == "" {
		t.Fatalf("no link to %s in the matrix: %v", name, err)
	}
	do(t, ctx, chromedp.Navigate(env.URL+href))
	waitText(t, ctx, "#history", "manager")
	return text(t, ctx, "#history tbody tr:first-child")
}

// TestEmployeeSelfAssessesAndManagerConfirms: an employee assesses themselves from the skills
// menu; their manager sees the new level waiting, confirms it, and nothing waits any more.
func TestEmployeeSelfAssessesAndManagerConfirms(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.Employee)
	do(t, ctx,
		chromedp.Navigate(env.URL+"/skills"),
		chromedp.Click(chromedp.CSS(`.subnav a[href="/skills/assess"]`)),
	)
	waitText(t, ctx, "h1", "Assess yourself")
	// Choose, for the first skill, a level other than the one chosen before.
	choice, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const set = document.querySelector("#assess-form fieldset");
		const pick = [...set.querySelectorAll("input[type=radio]")].find(r => !r.checked);
		pick.click();
		return set.querySelector("legend strong").innerText + "=" + pick.value;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	skill, level, _ := strings.Cut(choice, "=")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#assess-form button[type="submit"]`)))
	waitText(t, ctx, ".flash", "1 levels recorded")
	waitText(t, ctx, "#history tbody tr:first-child", skill)
	if row := text(t, ctx, "#history tbody tr:first-child"); !strings.Contains(row, "self") || !strings.Contains(row, level) {
		t.Errorf("the newest evidence is %q, want a self rating of %s in %s", row, level, skill)
	}

	// The manager sees it waiting on their home page and confirms it.
	mctx := browser(t)
	signIn(t, mctx, env, st.Manager)
	waitText(t, mctx, "main", "wait for you to confirm or adjust")
	do(t, mctx, chromedp.Navigate(env.URL+"/skills/validate?person="+env.Fix.Persons[st.Employee]))
	waitText(t, mctx, "#pending", skill)
	do(t, mctx, chromedp.Click(chromedp.CSS("#validate-submit")))
	waitText(t, mctx, ".flash", "recorded as their manager's rating")
	waitText(t, mctx, "#nothing-pending", "Nothing waits")
}

// waitURL waits until the page's address contains want: a form's submission has navigated.
func waitURL(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil && strings.Contains(loc, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("the page never went to an address with %q; it is at %s", want, loc)
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }
