package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apognu/gocal"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/core"
	st "github.com/learnloop/learnloop/internal/server/servertest"
	"github.com/learnloop/learnloop/internal/training"
)

// download clicks sel and returns the bytes of the file the browser saved.
func download(t *testing.T, ctx context.Context, sel string) []byte {
	t.Helper()
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(sel)),
	)
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return b
		case cdpbrowser.DownloadProgressStateCanceled:
			t.Fatal("the download was cancelled")
		}
	}
	t.Fatal("no download")
	return nil
}

var lnd = &core.Actor{Name: "L&D", Roles: []core.Role{core.RoleLnDAdmin}}

// TestEmployeeRegistersForASession: an employee finds a workshop in the catalog, registers for
// its next session and adds it to their calendar; the .ics holds the session's time.
func TestEmployeeRegistersForASession(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	tr := env.Server.Services.Training
	it, err := tr.CreateItem(context.Background(), lnd, training.ItemInput{Title: "Presenting with confidence", Kind: training.KindWorkshop, Status: training.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Truncate(time.Hour).AddDate(0, 0, 10)
	if _, err := tr.CreateSession(context.Background(), lnd, training.SessionInput{ItemID: it.ID, StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		TimeZone: "Europe/Berlin", Location: "Berlin office, room Spree", Capacity: 8}); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, env, st.Employee)
	do(t, ctx,
		chromedp.Navigate(env.URL+"/training"),
		chromedp.Click(chromedp.CSS(`.subnav a[href="/training/catalog"]`)),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "presenting"),
		chromedp.Click(chromedp.CSS(`#catalog-filters button[type="submit"]`)),
	)
	waitURL(t, ctx, "q=presenting")
	waitText(t, ctx, "#catalog-items", "Presenting with confidence")
	do(t, ctx, chromedp.Click(chromedp.CSS("#catalog-items h2 a")))
	waitText(t, ctx, "h1", "Presenting with confidence")
	waitText(t, ctx, "#sessions", "Berlin office")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#sessions tbody th a`)))
	waitText(t, ctx, "#your-place", "Register")
	do(t, ctx, chromedp.Click(chromedp.CSS("#register")))
	waitText(t, ctx, ".flash", "You are registered")
	ics := download(t, ctx, "#ics")
	c := gocal.NewParser(bytes.NewReader(ics))
	from, to := start.AddDate(0, -1, 0), start.AddDate(0, 1, 0)
	c.Start, c.End = &from, &to
	if err := c.Parse(); err != nil {
		t.Fatalf("the .ics does not parse: %v\n%s", err, ics)
	}
	if len(c.Events) != 1 || !c.Events[0].Start.Equal(start) || c.Events[0].Summary != "Presenting with confidence" || !strings.Contains(c.Events[0].Location, "Spree") {
		t.Fatalf("the calendar event: %+v", c.Events)
	}
	// My learning lists the session.
	do(t, ctx, chromedp.Navigate(env.URL+"/training"))
	waitText(t, ctx, "#my-sessions", "Presenting with confidence")
}

// TestEmployeeTakesATestAndGetsTheCertificate: an employee enrols in a certifying course, takes
// its test, sees the feedback, passes on the second try and downloads the certificate.
func TestEmployeeTakesATestAndGetsTheCertificate(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	tr := env.Server.Services.Training
	bg := context.Background()
	it, err := tr.CreateItem(bg, lnd, training.ItemInput{Title: "Customer data basics", Kind: training.KindELearning, Status: training.StatusPublished,
		Certifying: true, Objectives: []training.ObjectiveInput{{Text: "Identify personal data in a customer record"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []training.QuestionInput{
		{Kind: training.QuestionSingle, Prompt: "Which of these is personal data?", Explanation: "An email address identifies a person.",
			Options: []training.OptionInput{{Text: "A customer's email address", Correct: true}, {Text: "The office's opening hours"}}},
		{Kind: training.QuestionShort, Prompt: "Which regulation protects personal data in the EU?", Accepted: []string{"GDPR"}},
	} {
		if _, err := tr.SaveQuestion(bg, lnd, it.ID, "", q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tr.SetQuiz(bg, lnd, it.ID, training.QuizTest, training.QuizInput{PassMark: 100, MaxAttempts: 3, TimeLimitMinutes: 20}); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, env, st.Employee)
	do(t, ctx, chromedp.Navigate(env.URL+"/training/items/"+it.ID))
	do(t, ctx, chromedp.Click(chromedp.CSS("#enroll")))
	waitText(t, ctx, ".flash", "You are enrolled")
	// The right answers are not in the page before submission.
	do(t, ctx, chromedp.Click(chromedp.CSS("#start-test")))
	waitText(t, ctx, "#attempt-form", "Which of these is personal data?")
	html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if strings.Contains(html, "GDPR") || strings.Contains(html, "identifies a person") {
		t.Fatal("the test page shows the answers before submission")
	}
	// First try: the wrong option.
	do(t, ctx,
		chromedp.Click(chromedp.Search(`//label[contains(., "opening hours")]/input`)),
		chromedp.SendKeys(chromedp.CSS(`#attempt-form input[type="text"], #attempt-form input:not([type])`), "HIPAA"),
		chromedp.Click(chromedp.CSS("#submit-attempt")),
	)
	waitText(t, ctx, "#result", "not passed")
	waitText(t, ctx, ".feedback", "identifies a person")
	// Second try: right.
	do(t, ctx, chromedp.Navigate(env.URL+"/training/items/"+it.ID), chromedp.Click(chromedp.CSS("#start-test")))
	waitText(t, ctx, "#attempt-form", "Which of these is personal data?")
	do(t, ctx,
		chromedp.Click(chromedp.Search(`//label[contains(., "email address")]/input`)),
		chromedp.SendKeys(chromedp.CSS(`#attempt-form input[type="text"], #attempt-form input:not([type])`), "gdpr"),
		chromedp.Click(chromedp.CSS("#submit-attempt")),
	)
	waitText(t, ctx, "#result", "passed")
	do(t, ctx, chromedp.Navigate(env.URL+"/training/items/"+it.ID))
	waitText(t, ctx, "#your-standing", "Download PDF")
	pdf := download(t, ctx, "#certificate-pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the certificate is not a PDF: %.40q", pdf)
	}
	// The certificate's page links to the public check, which says it is valid.
	do(t, ctx, chromedp.Navigate(env.URL+"/training"))
	waitText(t, ctx, "#completed", "Customer data basics")
	do(t, ctx, chromedp.Click(chromedp.Search(`//section[@id="completed"]//tr[contains(., "Customer data basics")]//a[text()="View"]`)))
	waitText(t, ctx, "#certificate", "Customer data basics")
	do(t, ctx, chromedp.Click(chromedp.CSS("#verify-link")))
	waitText(t, ctx, "#verification", "Genuine and valid")
}

// TestManagerAssignsToAReport: a manager assigns an item to a report from the team page.
func TestManagerAssignsToAReport(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	tr := env.Server.Services.Training
	it, err := tr.CreateItem(context.Background(), lnd, training.ItemInput{Title: "Giving feedback", Kind: training.KindCourse, Status: training.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, env, st.Manager)
	do(t, ctx,
		chromedp.Navigate(env.URL+"/training"),
		chromedp.Click(chromedp.CSS(`.subnav a[href="/training/team"]`)),
	)
	waitText(t, ctx, "#team", "Assign to the people ticked")
	due := time.Now().AddDate(0, 0, 21).Format("2006-01-02")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#team input[name="person_ids"][value="`+env.Fix.Report+`"]`)),
		chromedp.SetValue(chromedp.CSS("#item_id"), it.ID),
		chromedp.SetValue(chromedp.CSS("#due_on"), due),
		chromedp.SendKeys(chromedp.CSS("#note"), "Before your review"),
		chromedp.Click(chromedp.CSS("#assign-button")),
	)
	waitText(t, ctx, ".flash", "Assigned to 1 people")
	waitText(t, ctx, "#team", "Giving feedback")
	list, _, err := tr.FindEnrollments(context.Background(), core.System, training.EnrollmentFilter{PersonID: env.Fix.Report, ItemID: it.ID, Status: "open"})
	if err != nil || len(list) != 1 || list[0].DueOn.String() != due || list[0].Source != training.SourceManager {
		t.Fatalf("the report's enrollment: %+v %v", list, err)
	}
}

// TestInstructorMarksAttendanceOnAPhone: the instructor opens their session on a phone, marks
// who came, and the attendees' workshop is completed.
func TestInstructorMarksAttendanceOnAPhone(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	tr := env.Server.Services.Training
	bg := context.Background()
	it, err := tr.CreateItem(bg, lnd, training.ItemInput{Title: "Forklift practice", Kind: training.KindWorkshop, Status: training.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(20 * time.Minute)
	ss, err := tr.CreateSession(bg, lnd, training.SessionInput{ItemID: it.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), TimeZone: "Europe/London",
		Location: "Warehouse yard", Capacity: 6, InstructorID: env.Fix.Persons[st.Manager]})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{env.Fix.Persons[st.Employee], env.Fix.Report} {
		if _, err := tr.Register(bg, &core.Actor{PersonID: p}, ss.ID); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	signIn(t, ctx, env, st.Manager)
	do(t, ctx, chromedp.Navigate(env.URL+"/training/sessions/"+ss.ID))
	waitText(t, ctx, "#attendance", "Present")
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if wide {
		t.Error("the attendance page is wider than a phone screen")
	}
	// The marks are big enough to tap.
	h, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("label.mark").getBoundingClientRect().height`))
	if h < 40 {
		t.Errorf("an attendance mark is %.0f px high; fingers need about 44", h)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name="att.`+env.Fix.Persons[st.Employee]+`"][value="attended"]`)),
		chromedp.Click(chromedp.CSS(`input[name="att.`+env.Fix.Report+`"][value="no_show"]`)),
		chromedp.Click(chromedp.CSS("#save-attendance")),
	)
	waitText(t, ctx, ".flash", "Attendance saved")
	mine, err := tr.FindMyLearning(bg, &core.Actor{PersonID: env.Fix.Persons[st.Employee]})
	if err != nil {
		t.Fatal(err)
	}
	done := false
	for _, e := range mine.Completed {
		done = done || e.ItemID == it.ID
	}
	if !done {
		t.Error("attending did not complete the workshop")
	}
}

// TestHRExportsCompliance: HR opens the compliance dashboard and downloads the auditors'
// workbook, which lists who must hold what, with the status.
func TestHRExportsCompliance(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.HR)
	do(t, ctx,
		chromedp.Navigate(env.URL+"/training"),
		chromedp.Click(chromedp.CSS(`.subnav a[href="/training/compliance"]`)),
	)
	waitText(t, ctx, "#by-item", "Fixture compliance module")
	b := download(t, ctx, "#export-xlsx")
	wb, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Compliance")
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows %v %v", rows, err)
	}
	if rows[0][1] != "Name" || rows[0][7] != "Status" {
		t.Errorf("header %v", rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		found = found || r[2] == env.Fix.Emails[st.Employee] && r[6] == "Fixture compliance module" && r[7] == "Due soon"
	}
	if !found {
		t.Errorf("the employee's assignment is not in the export: %v", rows)
	}
	summary, _ := wb.GetRows("Summary")
	if len(summary) == 0 || summary[0][0] != "Compliance report" {
		t.Errorf("summary %v", summary)
	}
}
