package training_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/training"
)

// status returns where a person stands with an item in "My learning" terms: the open
// enrollment's status and due date, or the compliance status.
func (f *fixture) entry(number, itemID string) *training.Entry {
	f.t.Helper()
	a := f.actor(number)
	m, err := f.svc.FindMyLearning(ctx, a)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, list := range [][]*training.Entry{m.Assigned, m.InProgress, m.Requested, m.Completed, m.Exempt} {
		for _, e := range list {
			if e.ItemID == itemID {
				return e
			}
		}
	}
	return nil
}

func (f *fixture) move(number, unit string) {
	f.t.Helper()
	p, err := f.orgs.FindPersonByID(ctx, core.System, f.ids[number])
	if err != nil {
		f.t.Fatal(err)
	}
	in := p.Input()
	in.OrgUnitID = f.units[unit]
	if _, err := f.orgs.UpdatePerson(ctx, core.System, p.ID, in); err != nil {
		f.t.Fatal(err)
	}
}

func TestAssignmentRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		dp := f.item("Data protection essentials", training.KindELearning, func(in *training.ItemInput) {
			in.Compliance, in.ValidityMonths, in.Enrollment = true, 12, training.EnrollAssigned
		})
		lnd := f.actor("E7")
		// Everyone in engineering within 14 days.
		r, rep, err := f.svc.CreateRule(ctx, lnd, training.RuleInput{Name: "Engineering: data protection", ItemID: dp.ID, OrgUnitID: f.units["ENG"], DueDays: 14, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Assigned != 3 || r.Open != 3 {
			t.Fatalf("assigned %d, open %d; want Grace, Alan and José", rep.Assigned, r.Open)
		}
		alan := f.entry("E3", dp.ID)
		if alan == nil || alan.Source != training.SourceRule || alan.DueOn != (core.Date{Year: 2026, Month: 6, Day: 15}) {
			t.Fatalf("Alan's assignment: %+v", alan)
		}
		if f.entry("E6", dp.ID) != nil {
			t.Error("Sam in sales was assigned")
		}
		// Applying the rules again changes nothing.
		again, err := f.svc.EvaluateRules(ctx, core.System)
		if err != nil || again.Assigned+again.Withdrawn+again.Renewals != 0 {
			t.Errorf("a second evaluation: %+v %v", again, err)
		}
		// People who move: Sam joins engineering and is assigned; José leaves it and loses it.
		f.move("E6", "ENG")
		f.move("E4", "SALES")
		rep, err = f.svc.RefreshRules(ctx)
		if err != nil || rep.Assigned != 1 || rep.Withdrawn != 1 {
			t.Fatalf("after moves: %+v %v", rep, err)
		}
		if e := f.entry("E6", dp.ID); e == nil || e.EnrollmentID == "" {
			t.Error("Sam was not assigned after joining engineering")
		}
		if e := f.entry("E4", dp.ID); e != nil && e.EnrollmentID != "" {
			t.Errorf("José kept the assignment: %+v", e)
		}
		// The change notes are consumed.
		rep, _ = f.svc.RefreshRules(ctx)
		if rep.People != 0 {
			t.Errorf("refresh looked at %d people with nothing changed", rep.People)
		}
		// A new hire: "hired in the last 30 days" rules assign from the hire date.
		onb := f.item("Welcome to the company", training.KindELearning)
		_, rep, err = f.svc.CreateRule(ctx, lnd, training.RuleInput{Name: "New starters", ItemID: onb.ID, HiredWithinDays: 30, DueDays: 7, Active: true})
		if err != nil || rep.Assigned != 1 {
			t.Fatalf("new starters: %+v %v (only José was hired in May 2026)", rep, err)
		}
		// Rules need a published item and sane numbers, and belong to L&D.
		_, _, err = f.svc.CreateRule(ctx, lnd, training.RuleInput{Name: "", ItemID: dp.ID, DueDays: 0, Active: true})
		e := core.AsError(err)
		if e == nil || e.Fields["name"] == "" || e.Fields["due_days"] == "" {
			t.Errorf("bad rule: %v", err)
		}
		_, _, err = f.svc.CreateRule(ctx, f.actor("E2"), training.RuleInput{Name: "Mine", ItemID: dp.ID, DueDays: 5, Active: true})
		code(t, err, core.EFORBIDDEN)
		// A rule with a history is deactivated, not deleted; deactivating withdraws what it made.
		code(t, f.svc.DeleteRule(ctx, lnd, r.ID), core.ECONFLICT)
		in := training.RuleInput{Name: r.Name, ItemID: dp.ID, OrgUnitID: f.units["ENG"], DueDays: 14, Active: false}
		_, rep, err = f.svc.UpdateRule(ctx, lnd, r.ID, in)
		if err != nil || rep.Withdrawn != 3 {
			t.Errorf("deactivating: %+v %v", rep, err)
		}
	})
}

func TestCompliance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		dp := f.item("Data protection essentials", training.KindELearning, func(in *training.ItemInput) {
			in.Compliance, in.ValidityMonths, in.RenewDays = true, 12, 30
		})
		lnd := f.actor("E7")
		if _, _, err := f.svc.CreateRule(ctx, lnd, training.RuleInput{Name: "Everyone", ItemID: dp.ID, DueDays: 30, Active: true}); err != nil {
			t.Fatal(err)
		}
		// History: Alan completed 11.5 months ago (renewal open), Grace a month ago with 92%,
		// Sam was exempted, the others have not done it.
		score := 92.0
		must[*training.Enrollment](t)(f.svc.RecordCompletion(ctx, lnd, training.RecordInput{PersonID: f.ids["E3"], ItemID: dp.ID, CompletedAt: f.clock.T.AddDate(0, -11, -15)}))
		must[*training.Enrollment](t)(f.svc.RecordCompletion(ctx, lnd, training.RecordInput{PersonID: f.ids["E2"], ItemID: dp.ID, CompletedAt: f.clock.T.AddDate(0, -1, 0), Score: &score}))
		must[*training.Enrollment](t)(f.svc.Exempt(ctx, lnd, training.ExemptInput{PersonID: f.ids["E6"], ItemID: dp.ID, Reason: "Certified by the previous employer until 2027"}))
		_, err := f.svc.Exempt(ctx, lnd, training.ExemptInput{PersonID: f.ids["E5"], ItemID: dp.ID})
		code(t, err, core.EINVALID)

		status := func(number string) string {
			t.Helper()
			e := f.entry(number, dp.ID)
			if e == nil {
				return "none"
			}
			return e.ComplianceStatus
		}
		want := map[string]string{"E3": training.DueSoon, "E2": training.Compliant, "E6": training.Exempt, "E4": training.DueSoon, "E1": training.DueSoon}
		for n, w := range want {
			if got := status(n); got != w {
				t.Errorf("%s: %s, want %s", n, got, w)
			}
		}
		// The daily run starts Alan's renewal, due when his completion expires.
		rep := must[*training.RuleReport](t)(f.svc.EvaluateRules(ctx, core.System))
		if rep.Renewals != 1 {
			t.Errorf("renewals %+v", rep)
		}
		if e := f.entry("E3", dp.ID); e.EnrollmentID == "" || e.DueOn != e.ValidUntil {
			t.Errorf("Alan's renewal: %+v", e)
		}
		// A month and a half later: Alan's completion expired, the unfinished are overdue.
		f.clock.Advance(45 * 24 * time.Hour)
		want = map[string]string{"E3": training.Expired, "E2": training.Compliant, "E6": training.Exempt, "E4": training.Overdue, "E1": training.Overdue}
		for n, w := range want {
			if got := status(n); got != w {
				t.Errorf("later, %s: %s, want %s", n, got, w)
			}
		}

		// The dashboard: HR sees everyone; a manager their line only; an employee nothing.
		hr := &core.Actor{PersonID: f.ids["E1"], Roles: []core.Role{core.RoleHRAdmin}, IsManager: true}
		dash := must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, hr, training.ComplianceFilter{}))
		if dash.Total.Total() != 7 || dash.Total.Compliant != 1 || dash.Total.Exempt != 1 || dash.Total.Expired != 1 || dash.Total.Overdue != 4 {
			t.Errorf("totals %+v", dash.Total)
		}
		if len(dash.Items) != 1 || dash.Items[0].Title != dp.Title {
			t.Errorf("items %+v", dash.Items)
		}
		units := map[string]training.Counts{}
		for _, u := range dash.Units {
			units[u.Name] = u.Counts
		}
		if units["ENG"].Total() != 3 || units["SALES"].Exempt != 1 {
			t.Errorf("units %+v", dash.Units)
		}
		// Drill down into engineering.
		eng := must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, hr, training.ComplianceFilter{OrgUnitID: f.units["ENG"]}))
		if eng.Total.Total() != 3 {
			t.Errorf("engineering %+v", eng.Total)
		}
		grace := f.actor("E2")
		gd := must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, grace, training.ComplianceFilter{}))
		if gd.Total.Total() != 3 { // Grace, Alan and José
			t.Errorf("Grace's line: %+v", gd.Total)
		}
		_, err = f.svc.FindCompliance(ctx, f.actor("E3"), training.ComplianceFilter{})
		code(t, err, core.EFORBIDDEN)
		// The rows: worst first, with what an auditor asks.
		rows, total := func() ([]*training.ComplianceRow, int) {
			r, n, err := f.svc.FindComplianceRows(ctx, hr, training.ComplianceFilter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			return r, n
		}()
		if total != 7 || rows[0].Status != training.Expired || rows[0].Name != "Alan Turing" {
			t.Errorf("rows: %d, first %+v", total, rows[0])
		}
		// Export: CSV and XLSX with the same rows.
		var buf bytes.Buffer
		n := must[int](t)(f.svc.ExportCompliance(ctx, hr, training.ComplianceFilter{}, "csv", &buf))
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || n != 7 || len(recs) != 8 || recs[0][0] != "Employee number" || !strings.Contains(strings.Join(recs[1], ","), "Expired") {
			t.Errorf("csv: %d rows %v %v", n, recs, err)
		}
		buf.Reset()
		must[int](t)(f.svc.ExportCompliance(ctx, hr, training.ComplianceFilter{Status: training.Exempt}, "xlsx", &buf))
		wb, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		xr, _ := wb.GetRows("Compliance")
		if len(xr) != 2 || xr[1][12] != "Certified by the previous employer until 2027" {
			t.Errorf("xlsx: %v", xr)
		}
		_, err = f.svc.ExportCompliance(ctx, hr, training.ComplianceFilter{}, "pdf", &buf)
		code(t, err, core.EINVALID)
		// People who leave stop counting.
		p, _ := f.orgs.FindPersonByID(ctx, core.System, f.ids["E4"])
		in := p.Input()
		in.Status, in.LeftOn = org.StatusLeft, core.DateOf(f.clock.T)
		if _, err := f.orgs.UpdatePerson(ctx, core.System, p.ID, in); err != nil {
			t.Fatal(err)
		}
		// The kept counts follow at the minute's refresh of people who changed.
		must[*training.RuleReport](t)(f.svc.RefreshRules(ctx))
		dash = must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, hr, training.ComplianceFilter{}))
		if dash.Total.Total() != 6 {
			t.Errorf("after José left: %+v", dash.Total)
		}
		// The kept counts (what those who see everyone get) agree with reading every row, for
		// each status, and so does a recount from scratch.
		check := func(when string) {
			t.Helper()
			d := must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, hr, training.ComplianceFilter{}))
			for _, st := range training.ComplianceStatuses {
				_, n, err := f.svc.FindComplianceRows(ctx, hr, training.ComplianceFilter{Status: st}, 0)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int{training.Compliant: d.Total.Compliant, training.DueSoon: d.Total.DueSoon, training.Overdue: d.Total.Overdue,
					training.Expired: d.Total.Expired, training.Exempt: d.Total.Exempt}[st]
				if got != n {
					t.Errorf("%s: the counts say %d %s, the rows %d", when, got, st, n)
				}
			}
		}
		check("kept")
		// Engineering moves under HQ: its people count for HQ now, at the minute's refresh.
		if _, err := f.orgs.UpdateUnit(ctx, core.System, f.units["ENG"], org.UnitInput{Code: "ENG", Name: "ENG", Kind: "team", ParentID: f.units["HQ"]}); err != nil {
			t.Fatal(err)
		}
		must[*training.RuleReport](t)(f.svc.RefreshRules(ctx))
		hq := must[*training.ComplianceDashboard](t)(f.svc.FindCompliance(ctx, hr, training.ComplianceFilter{OrgUnitID: f.units["HQ"]}))
		byName := map[string]int{}
		for _, u := range hq.Units {
			byName[u.Name] = u.Total()
		}
		if hq.Total.Total() != 3 || byName["ENG"] != 2 || byName["Directly in this unit"] != 1 { // Grace and Alan below, Ada directly
			t.Errorf("HQ after engineering moved under it: %+v %v", hq.Total, byName)
		}
		check("after the move")
		must[bool](t)(f.svc.RecountCompliance(ctx, true))
		check("recounted")
		// A new day moves statuses: the counts of yesterday are recounted before they are shown.
		f.clock.Advance(400 * 24 * time.Hour)
		check("a year later")
	})
}

func TestPaths(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		lnd := f.actor("E7")
		s1 := f.item("Handbook", training.KindReading)
		s2 := f.item("Tools tour", training.KindVideo)
		_, z, qs := f.quizItem(0, 0) // "Forklift safety", with a test
		s4 := f.item("Warehouse layout", training.KindReading)
		path := f.item("Warehouse onboarding", training.KindPath, func(in *training.ItemInput) { in.Certifying = true })
		_, err := f.svc.SetPath(ctx, lnd, path.ID, training.PathInput{Levels: []training.PathLevelInput{{Name: "Basics", ItemIDs: []string{s1.ID, s2.ID, s1.ID}}}})
		code(t, err, core.EINVALID)
		_, err = f.svc.SetPath(ctx, lnd, path.ID, training.PathInput{Levels: []training.PathLevelInput{{Name: "Nested", ItemIDs: []string{path.ID}}}})
		code(t, err, core.EINVALID)
		levels := must[[]*training.PathLevel](t)(f.svc.SetPath(ctx, lnd, path.ID, training.PathInput{Levels: []training.PathLevelInput{
			{Name: "Basics", ItemIDs: []string{s1.ID, s2.ID}},
			{Name: "On the floor", Required: 1, MinScore: 80, ItemIDs: []string{z.ItemID, s4.ID}},
		}}))
		if len(levels) != 2 || len(levels[1].Steps) != 2 {
			t.Fatalf("levels %+v", levels)
		}
		alan := f.actor("E3")
		must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, path.ID))
		p := must[*training.PathProgress](t)(f.svc.FindPathProgress(ctx, alan, path.ID, ""))
		if p.Current != 1 || !p.Levels[0].Open || p.Levels[1].Open || p.Levels[0].Progress[0].Status != training.EnrollmentEnrolled {
			t.Fatalf("start: %+v", p.Levels[0])
		}
		complete := func(itemID string) {
			t.Helper()
			list, _, err := f.svc.FindEnrollments(ctx, alan, training.EnrollmentFilter{PersonID: alan.PersonID, ItemID: itemID, Status: "open"})
			if err != nil || len(list) != 1 {
				t.Fatalf("open enrollment in %s: %v %v", itemID, list, err)
			}
			must[*training.Enrollment](t)(f.svc.MarkComplete(ctx, alan, list[0].ID))
		}
		complete(s1.ID)
		p = must[*training.PathProgress](t)(f.svc.FindPathProgress(ctx, alan, path.ID, ""))
		if p.Levels[1].Open {
			t.Error("level 2 opened with level 1 half done")
		}
		complete(s2.ID)
		p = must[*training.PathProgress](t)(f.svc.FindPathProgress(ctx, alan, path.ID, ""))
		if !p.Levels[0].Complete || !p.Levels[1].Open || p.Current != 2 {
			t.Fatalf("after level 1: %+v", p)
		}
		// Level 2 needs one step with 80%: the test passed with 80% (4 of 5) completes the path.
		a := must[*training.Attempt](t)(f.svc.StartAttempt(ctx, alan, z.ID))
		resp := right(qs)
		resp[qs["order"].ID] = training.Response{}
		res := must[*training.Attempt](t)(f.svc.SubmitAttempt(ctx, alan, a.ID, resp))
		if *res.Score != 80 {
			t.Fatalf("score %v", *res.Score)
		}
		p = must[*training.PathProgress](t)(f.svc.FindPathProgress(ctx, alan, path.ID, ""))
		if !p.Complete {
			t.Fatalf("path not complete: %+v", p.Levels[1])
		}
		certs := must[[]*training.Certificate](t)(f.svc.FindCertificates(ctx, alan, ""))
		found := false
		for _, c := range certs {
			found = found || c.Title == "Warehouse onboarding" && c.Kind == "learning path"
		}
		if !found {
			t.Errorf("no path certificate: %+v", certs)
		}
		// Someone outside Alan's line does not see his progress.
		_, err = f.svc.FindPathProgress(ctx, f.actor("E6"), path.ID, alan.PersonID)
		code(t, err, core.ENOTFOUND)
	})
}
