package demo_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

func buildTraining(t *testing.T, n int, seed uint64, o demo.Options) *demo.Data {
	t.Helper()
	o.People, o.Seed = n, seed
	d, err := demo.Build(o)
	if err != nil {
		t.Fatalf("build %d people: %v", n, err)
	}
	return d
}

func titles(d *demo.Data) []string {
	var out []string
	for _, it := range d.Catalog {
		out = append(out, it.Title)
	}
	return out
}

func TestTrainingIsDeterministicAndLeavesTheRestAlone(t *testing.T) {
	t.Parallel()
	a, b := buildTraining(t, 2000, 7, demo.Options{}), buildTraining(t, 2000, 7, demo.Options{})
	ea, eb := slices.Collect(a.Enrollments()), slices.Collect(b.Enrollments())
	if len(ea) == 0 || !slices.Equal(ea, eb) || !slices.Equal(titles(a), titles(b)) || !slices.Equal(a.TrainingRules, b.TrainingRules) ||
		!slices.Equal(a.Sessions, b.Sessions) {
		t.Error("the same seed gave different training")
	}
	c := buildTraining(t, 2000, 8, demo.Options{})
	if slices.Equal(ea[:200], slices.Collect(c.Enrollments())[:200]) {
		t.Error("another seed gave the same history")
	}
	if !slices.Equal(titles(a), titles(c)) {
		t.Error("the catalog depends on the seed")
	}
	// The training step draws from its own stream: without it the organization and the skills
	// picture are the same.
	off := buildTraining(t, 2000, 7, demo.Options{Training: demo.TrainingOptions{Off: true}})
	if !bytes.Equal(a.PeopleCSV, off.PeopleCSV) || !bytes.Equal(a.UnitsCSV, off.UnitsCSV) ||
		!slices.EqualFunc(slices.Collect(a.Ratings()), slices.Collect(off.Ratings()), sameRating) {
		t.Error("the training step changed the organization or its skills")
	}
	if len(off.Catalog) != 0 || off.EnrollmentCount() != 0 || len(off.Sessions) != 0 {
		t.Errorf("training off gave %d items, %d enrollments, %d sessions", len(off.Catalog), off.EnrollmentCount(), len(off.Sessions))
	}
	if noSkills := buildTraining(t, 200, 7, demo.Options{Skills: demo.SkillOptions{Off: true}}); len(noSkills.Catalog) != 0 || noSkills.EnrollmentCount() != 0 {
		t.Error("skills off still gave a training picture")
	}
}

// vague is how the catalog's deliberately vague objectives begin.
var vague = []string{"Understand", "Know", "Be aware of", "Be familiar with"}

func TestCatalogCoversEveryKindWithGoodObjectives(t *testing.T) {
	t.Parallel()
	d := buildTraining(t, 500, 1, demo.Options{})
	if n := len(d.Catalog); n < 40 || n > 80 {
		t.Errorf("%d learning items", n)
	}
	kinds, langs := map[string]int{}, map[string]int{}
	codes := map[string]demo.LearningItem{}
	vagueCount, withSkills := 0, 0
	for _, it := range d.Catalog {
		kinds[it.Kind]++
		langs[it.Language]++
		codes[it.Code] = it
		if it.Title == "" || len(it.Objectives) < 2 || len(it.Objectives) > 5 {
			t.Errorf("item %+v", it)
		}
		if len(it.Skills) > 0 {
			withSkills++
		}
		for _, o := range it.Objectives {
			c := bloom.Classify(o)
			switch {
			case slices.ContainsFunc(vague, func(v string) bool { return strings.HasPrefix(o, v+" ") }):
				vagueCount++
				if c.Observable {
					t.Errorf("%s: the vague objective %q draws no warning", it.Code, o)
				}
			case len(c.Warnings) > 0:
				t.Errorf("%s: objective %q: %s", it.Code, o, c.Warnings[0].Message)
			}
		}
	}
	for _, k := range training.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no item of kind %s", k)
		}
	}
	if langs["en"] < len(d.Catalog)*3/4 || langs["de"] == 0 || langs["es"] == 0 || langs["fr"] == 0 {
		t.Errorf("languages %v", langs)
	}
	if vagueCount < 3 || vagueCount > 15 {
		t.Errorf("%d vague objectives, want a few", vagueCount)
	}
	if withSkills < len(d.Catalog)*3/4 {
		t.Errorf("%d of %d items develop skills", withSkills, len(d.Catalog))
	}

	// The mandatory items: tests of six to ten questions, renewed after their validity, each
	// assigned by a rule; the onboarding path for new starters.
	ruled := map[string]demo.TrainingRule{}
	for _, r := range d.TrainingRules {
		ruled[r.Item] = r
	}
	for code, months := range map[string]int{"CMP-HS": 12, "CMP-GDPR": 24, "CMP-ABC": 24, "CMP-SEC": 12, "CMP-COC": 12} {
		it := codes[code]
		if !it.Compliance || !it.Certifying || it.ValidityMonths != months || it.Questions < 6 || it.Questions > 10 {
			t.Errorf("compliance item %s: %+v", code, it)
		}
		if r, ok := ruled[code]; !ok || r.DueDays == 0 {
			t.Errorf("no rule assigns %s", code)
		}
	}
	if r := ruled["CMP-HS"]; r.Unit != "OPS" {
		t.Errorf("the safety rule applies to %q, want Operations", r.Unit)
	}
	if r := ruled["PATH-ONB"]; r.HiredWithinDays != 30 {
		t.Errorf("the onboarding rule: %+v", r)
	}
	if onb := codes["PATH-ONB"]; len(onb.Steps) < 6 || !slices.Contains(onb.Steps, "CMP-GDPR") {
		t.Errorf("onboarding path steps %v", onb.Steps)
	}
	if lead := codes["PATH-LEAD"]; len(lead.Steps) < 6 || !lead.Certifying {
		t.Errorf("leadership programme %+v", lead)
	}
}

// TestHistoryHoldsAtEverySize checks what the training service would refuse, or what would
// read as nonsense, in every planned enrollment of demos of several sizes, up to the largest.
func TestHistoryHoldsAtEverySize(t *testing.T) {
	t.Parallel()
	for _, n := range []int{demo.MinPeople, 37, 150, 2000, demo.MaxPeople} {
		checkHistory(t, buildTraining(t, n, uint64(n), demo.Options{}))
	}
}

// checkHistory asserts that every planned enrollment follows its person's hire date and lies
// in the history's two years, that completions follow enrollments, that nobody has two open
// enrollments in one item, that exemptions and withdrawals say why, and that scores pass. It
// returns the enrollments by status and by source, the scores and the active people.
func checkHistory(t *testing.T, d *demo.Data) (statuses, sources map[string]int, scores []float64, active int) {
	t.Helper()
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hired := map[string]int{}
	for _, p := range readCSV(t, d.PeopleCSV, org.PeopleColumnOrder) {
		h, _ := time.Parse(core.DateLayout, p["hire_date"])
		hired[p["employee_number"]] = int(ref.Sub(h).Hours() / 24)
		if p["status"] == org.StatusActive {
			active++
		}
	}
	kinds := map[string]string{}
	for _, it := range d.Catalog {
		kinds[it.Code] = it.Kind
	}
	statuses, sources = map[string]int{}, map[string]int{}
	open := map[[2]string]bool{}
	fail := 0
	for e := range d.Enrollments() {
		statuses[e.Status]++
		sources[e.Source]++
		h, ok := hired[e.Person]
		bad := ""
		switch {
		// Two years, and a little more for the two-year items whose completion expired.
		case !ok || e.EnrolledAgo < 1 || e.EnrolledAgo >= h || e.EnrolledAgo > 2*365+100 || kinds[e.Item] == "":
			bad = "enrolled out of time"
		case e.Status == training.EnrollmentCompleted && (e.CompletedAgo < 1 || e.CompletedAgo > e.EnrolledAgo):
			bad = "completed before enrolling"
		case e.Status == training.EnrollmentEnrolled || e.Status == training.EnrollmentInProgress:
			k := [2]string{e.Person, e.Item}
			if open[k] || e.CompletedAgo != 0 {
				bad = "open twice"
			}
			open[k] = true
		case (e.Status == training.EnrollmentExempt || e.Status == training.EnrollmentWithdrawn) && e.Reason == "":
			bad = "no reason"
		}
		if e.Scored {
			scores = append(scores, e.Score)
			if e.Score < 75 || e.Score > 100 || e.Status != training.EnrollmentCompleted {
				bad = "score"
			}
		}
		if bad != "" && fail < 5 {
			fail++
			t.Errorf("%s: %+v of someone hired %d days before the demo's day", bad, e, h)
		}
	}
	return statuses, sources, scores, active
}

// TestHistoryIsRealistic checks the shape of the history: about ten enrollments per person,
// every status and source, scores around the high eighties (the passing attempts of attempts
// around 82%), and sessions around the demo's day.
func TestHistoryIsRealistic(t *testing.T) {
	t.Parallel()
	d := buildTraining(t, 2000, 3, demo.Options{})
	statuses, sources, scores, active := checkHistory(t, d)
	t.Logf("%d enrollments of %d active people: %v %v", d.EnrollmentCount(), active, statuses, sources)
	if per := float64(d.EnrollmentCount()) / float64(active); per < 8 || per > 13 {
		t.Errorf("%.1f enrollments per person, want about 10", per)
	}
	for _, s := range []string{"completed", "in_progress", "enrolled", "withdrawn", "exempt"} {
		if statuses[s] == 0 {
			t.Errorf("no enrollment is %s", s)
		}
	}
	for _, s := range []string{"self", "manager", "rule", "admin", "path"} {
		if sources[s] == 0 {
			t.Errorf("no enrollment comes from %s", s)
		}
	}
	var sum float64
	for _, s := range scores {
		sum += s
	}
	if mean := sum / float64(max(len(scores), 1)); len(scores) < active || mean < 84 || mean > 94 {
		t.Errorf("%d scores averaging %.1f", len(scores), mean)
	}

	var past, future, full, cancelled int
	zones := map[string]bool{}
	for _, s := range d.Sessions {
		zones[s.TimeZone] = true
		switch {
		case s.Week < 0:
			past++
		case s.Week <= 8:
			future++
		}
		if s.Registrants > s.Capacity {
			full++
		}
		if s.Cancelled {
			cancelled++
		}
	}
	if past < 3 || future < 10 || full < 2 || cancelled != 1 || len(zones) < 5 {
		t.Errorf("%d sessions past, %d to come, %d full, %d cancelled, in %d time zones", past, future, full, cancelled, len(zones))
	}
}

// checkGeneratedTraining checks the training picture Generate wrote, as HR, the manager and the
// employee see it.
func checkGeneratedTraining(t *testing.T, d *db.DB, orgs *org.Service, data *demo.Data, res *demo.Result, actors map[string]*core.Actor) {
	t.Helper()
	sk := skills.NewService(d, orgs.Clock, orgs)
	tr := training.NewService(d, orgs.Clock, orgs, sk, nil)
	now := orgs.Clock.Now()
	if res.LearningItems != len(data.Catalog) || res.Sessions != len(data.Sessions) || res.Enrollments < data.EnrollmentCount() ||
		res.Completions == 0 || res.Certificates == 0 || res.Certificates > res.Completions {
		t.Errorf("result = %+v for %d planned enrollments", res, data.EnrollmentCount())
	}
	lnd := actors["L&D administrator"]
	items, _, err := tr.FindItems(ctx, lnd, training.ItemFilter{Status: "all", Limit: 100})
	if err != nil || len(items) != len(data.Catalog) {
		t.Fatalf("%d items stored (%v), want %d", len(items), err, len(data.Catalog))
	}
	rules, err := tr.FindRules(ctx, lnd, "")
	if err != nil || len(rules) != len(data.TrainingRules) {
		t.Errorf("%d rules (%v), want %d", len(rules), err, len(data.TrainingRules))
	}
	ruled := map[string]bool{}
	for _, r := range rules {
		ruled[r.ItemID] = r.Active
	}
	byCode := map[string]*training.Item{}
	for _, it := range items {
		byCode[it.Code] = it
		if it.Status != training.StatusPublished || it.Currency != "GBP" {
			t.Errorf("item %s is %s in %s", it.Code, it.Status, it.Currency)
		}
		if !it.Compliance || it.Code == "CMP-FIRSTAID" {
			continue
		}
		z, err := tr.FindQuizzes(ctx, lnd, it.ID)
		if err != nil || len(z) != 1 || z[0].PassMark != 80 || z[0].MaxAttempts != 3 || z[0].Questions < 6 || !ruled[it.ID] {
			t.Errorf("compliance item %s: quizzes %+v (%v), rule %v", it.Code, z, err, ruled[it.ID])
		}
	}

	// The compliance dashboard shows every status.
	dash, err := tr.FindCompliance(ctx, actors["HR administrator"], training.ComplianceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if c := dash.Total; c.Compliant == 0 || c.DueSoon == 0 || c.Overdue == 0 || c.Expired == 0 || c.Exempt == 0 || c.Rate() < 0.75 || c.Rate() > 0.95 {
		t.Errorf("compliance %+v, rate %.2f", c, c.Rate())
	}

	// The employee: an assignment due soon, one overdue, one under way, completions with
	// certificates, a session to come, and a failed test.
	emp := actors["Employee"]
	mine, err := tr.FindMyLearning(ctx, emp)
	if err != nil {
		t.Fatal(err)
	}
	soon, overdue, certified := 0, 0, 0
	for _, e := range mine.Assigned {
		switch {
		case e.Overdue:
			overdue++
		case !e.DueOn.IsZero() && e.DueOn.Before(core.DateOf(now.AddDate(0, 0, 30))):
			soon++
		}
	}
	for _, e := range mine.Completed {
		if e.CertificateID != "" {
			certified++
		}
	}
	upcoming := 0
	for _, s := range mine.Sessions {
		if s.Status == training.RegistrationRegistered && s.Session.StartsAt.After(now) {
			upcoming++
		}
	}
	if soon == 0 || overdue == 0 || len(mine.InProgress) == 0 || certified == 0 || upcoming == 0 {
		t.Errorf("the employee has %d assignments due soon, %d overdue, %d in progress, %d certified completions, %d sessions to come",
			soon, overdue, len(mine.InProgress), certified, upcoming)
	}
	cert := byCode["PRD-CERT"]
	z, err := tr.FindQuizzes(ctx, emp, cert.ID)
	if err != nil || len(z) != 1 {
		t.Fatalf("the certification's test: %v", err)
	}
	attempts, err := tr.FindAttempts(ctx, emp, z[0].ID, "")
	if err != nil || len(attempts) != 1 || attempts[0].Passed == nil || *attempts[0].Passed {
		t.Errorf("the employee's attempts at the certification: %+v (%v), want one failed", attempts, err)
	}

	// The manager: requests to decide, team members with overdue items, their own programme
	// under way.
	mgr := actors["Manager"]
	team, err := tr.FindTeam(ctx, mgr, "")
	if err != nil {
		t.Fatal(err)
	}
	late := 0
	for _, m := range team.Members {
		if m.Overdue > 0 {
			late++
		}
	}
	if len(team.Requests) < 2 || late < 2 {
		t.Errorf("the manager has %d requests and %d of %d people with overdue items", len(team.Requests), late, len(team.Members))
	}
	own, err := tr.FindMyLearning(ctx, mgr)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(own.Assigned, func(e *training.Entry) bool {
		return e.ItemID == byCode["PATH-LEAD"].ID && e.Status == training.EnrollmentInProgress
	}) {
		t.Errorf("the manager's programme is not under way: %+v", own.Assigned)
	}

	// Sessions: past ones with attendance marked, the coming weeks' in several time zones, a
	// waitlist and a cancellation.
	sessions, err := tr.FindSessions(ctx, lnd, training.SessionFilter{Limit: 100})
	if err != nil || len(sessions) != len(data.Sessions) {
		t.Fatalf("%d sessions (%v), want %d", len(sessions), err, len(data.Sessions))
	}
	var marked, waiting, cancelled int
	zones := map[string]bool{}
	for _, s := range sessions {
		zones[s.TimeZone] = true
		waiting += s.Waitlisted
		if s.Status == training.SessionCancelled {
			cancelled++
		}
		if s.EndsAt.Before(now) {
			regs, err := tr.Registrations(ctx, lnd, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range regs {
				if r.Attendance == training.Attended {
					marked++
				}
			}
		} else if s.StartsAt.After(now.AddDate(0, 0, 9*7+7)) {
			t.Errorf("a session on %s, after the next eight weeks", s.StartsAt)
		}
	}
	if marked == 0 || waiting == 0 || cancelled != 1 || len(zones) < 5 {
		t.Errorf("%d attendances marked, %d waiting, %d cancelled, %d time zones", marked, waiting, cancelled, len(zones))
	}
}
