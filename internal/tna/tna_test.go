package tna_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tna"
)

var ctx = context.Background()

type fixture struct {
	svc    *tna.Service
	unit   string
	people []string
	skills map[string]string
	survey *survey.Survey
}

// newFixture builds a team of six with one role requiring Go 4 (critical) and SQL 3
// (important); P1 has Go 4 and P2 Go 2 by test. All six answer a learning needs analysis: P1–P5
// want SQL, P1–P3 also Kotlin (which no role requires), P2 feels they lack Go; every scale is 2.
func newFixture(t *testing.T, d *db.DB, anonymous bool) *fixture {
	t.Helper()
	clock := &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	orgs := org.NewService(d, clock)
	sk := skills.NewService(d, clock, orgs)
	sv := survey.NewService(d, clock)
	f := &fixture{svc: &tna.Service{Org: orgs, Skills: sk, Surveys: sv, Clock: clock}, skills: map[string]string{}}
	unit, err := orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: "BE", Name: "Backend", Kind: "team"})
	if err != nil {
		t.Fatal(err)
	}
	f.unit = unit.ID
	file := "employee_number,given_name,family_name,job_role,org_unit\n"
	for i := 1; i <= 6; i++ {
		file += fmt.Sprintf("P%d,Person,No%d,Engineer,BE\n", i, i)
	}
	if rep, err := orgs.Import(ctx, core.System, []byte(file), org.ImportOptions{}); err != nil || !rep.Applied {
		t.Fatalf("import: %v %+v", err, rep)
	}
	people, _, _, err := orgs.FindPeople(ctx, core.System, org.PersonFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(people, func(a, b *org.Person) int { return strings.Compare(a.EmployeeNumber, b.EmployeeNumber) })
	for _, p := range people {
		f.people = append(f.people, p.ID)
	}
	for _, name := range []string{"Go", "SQL", "Kotlin"} {
		s, err := sk.CreateSkill(ctx, core.System, skills.SkillInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.skills[name] = s.ID
	}
	for _, r := range []skills.RequirementInput{{JobRoleID: people[0].JobRoleID, SkillID: f.skills["Go"], Level: 4, Criticality: "critical"},
		{JobRoleID: people[0].JobRoleID, SkillID: f.skills["SQL"], Level: 3, Criticality: "important"}} {
		if err := sk.SetRequirement(ctx, core.System, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sk.RecordRatings(ctx, core.System, []skills.RatingInput{{PersonID: f.people[0], SkillID: f.skills["Go"], Level: 4, Source: "test"},
		{PersonID: f.people[1], SkillID: f.skills["Go"], Level: 2, Source: "test"}}, "test results"); err != nil {
		t.Fatal(err)
	}
	in := survey.DefaultLNA()
	in.Deadline, in.Anonymous = clock.T.Add(14*24*time.Hour), anonymous
	f.survey, err = sv.CreateSurvey(ctx, core.System, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Send(ctx, core.System, f.survey.ID, survey.Recipients{OrgUnitIDs: []string{f.unit}}); err != nil {
		t.Fatal(err)
	}
	if err := sv.Open(ctx, core.System, f.survey.ID); err != nil {
		t.Fatal(err)
	}
	qs := f.survey.Questions
	for i, id := range f.people {
		var want []string
		if i < 5 {
			want = append(want, f.skills["SQL"])
		}
		if i < 3 {
			want = append(want, f.skills["Kotlin"])
		}
		if len(want) == 0 {
			want = []string{f.skills["Go"]}
		}
		answers := []survey.AnswerInput{{QuestionID: qs[0].ID, Choices: want}, {QuestionID: qs[2].ID, Scale: 2}, {QuestionID: qs[3].ID, Scale: 2},
			{QuestionID: qs[4].ID, Scale: 2}}
		if i == 1 {
			answers = append(answers, survey.AnswerInput{QuestionID: qs[1].ID, Choices: []string{f.skills["Go"]}})
		}
		if err := sv.Submit(ctx, &core.Actor{PersonID: id, Name: "P"}, f.survey.ID, answers); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestReportByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, false)
		lnd := &core.Actor{Name: "L&D", Roles: []core.Role{core.RoleLnDAdmin}}
		rep, err := f.svc.Build(ctx, lnd, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: f.unit}})
		if err != nil {
			t.Fatal(err)
		}
		// Go: P2 short by 2 and P3–P6 by 4: 5 short, 18 levels, priority 3 × 18 = 54.
		// SQL: all six short by 3: 18 levels, priority 2 × 18 = 36. P6 chose Go as a want.
		if rep.People != 6 || len(rep.Needs) != 2 || rep.Unit == nil || rep.Unit.Name != "Backend" {
			t.Fatalf("%d people, %d needs, unit %v", rep.People, len(rep.Needs), rep.Unit)
		}
		goNeed, sqlNeed := rep.Needs[0], rep.Needs[1]
		// Everyone works directly in Backend: one column, the unit itself.
		if len(rep.Units) != 1 || rep.Units[0].Name != "Backend" || len(goNeed.ByUnit) != 1 || goNeed.ByUnit[0] != (skills.UnitNeed{Required: 6, Short: 5}) {
			t.Errorf("split by unit: %+v %+v", rep.Units, goNeed.ByUnit)
		}
		if goNeed.Skill != "Go" || goNeed.Short != 5 || goNeed.GapSum != 18 || goNeed.Priority != 54 || !slices.Equal(goNeed.Asked, []int{1, 1}) {
			t.Errorf("Go: %+v asked %v", goNeed.Need, goNeed.Asked)
		}
		if sqlNeed.Skill != "SQL" || sqlNeed.Short != 6 || sqlNeed.Priority != 36 || !slices.Equal(sqlNeed.Asked, []int{5, 0}) {
			t.Errorf("SQL: %+v asked %v", sqlNeed.Need, sqlNeed.Asked)
		}
		s := rep.Survey
		if s == nil || s.Answered != 6 || s.Invited != 6 || s.Suppressed || len(s.Questions) != 2 || s.Scope != "Backend" {
			t.Fatalf("survey: %+v", s)
		}
		if len(s.AskedOnly) != 1 || s.AskedOnly[0].Skill != "Kotlin" || !slices.Equal(s.AskedOnly[0].Asked, []int{3, 0}) {
			t.Errorf("asked only: %+v", s.AskedOnly)
		}
		if len(s.Preferences) != 3 || s.Preferences[0].Mean != 2 || s.Preferences[0].Count != 6 {
			t.Errorf("preferences: %+v", s.Preferences)
		}

		// CSV: the needs, then the skill only asked for; values escaped against formulas.
		var buf bytes.Buffer
		if err := rep.Write(&buf, "csv"); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[1][0] != "Go" || rows[1][4] != "5" || rows[1][7] != "54" || rows[1][9] != "1" || rows[3][0] != "Kotlin" || rows[3][9] != "3" {
			t.Errorf("csv:\n%v", rows)
		}
		if !strings.Contains(rows[1][11], "Person No2 (2 of 4)") || !strings.HasPrefix(rows[0][9], "Survey: ") {
			t.Errorf("csv people or header: %v / %v", rows[1][11], rows[0])
		}
		// XLSX: three sheets, numbers stored as numbers.
		buf.Reset()
		if err := rep.Write(&buf, "xlsx"); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if got := x.GetSheetList(); !slices.Equal(got, []string{"Needs", "People", "Survey"}) {
			t.Errorf("sheets %v", got)
		}
		if v, _ := x.GetCellValue("Needs", "H2"); v != "54" {
			t.Errorf("Needs!H2 = %q", v)
		}
		if typ, _ := x.GetCellType("Needs", "H2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("Needs!H2 is stored as %v", typ)
		}
		if peopleRows, _ := x.GetRows("People"); len(peopleRows) != 1+5+6 {
			t.Errorf("People sheet has %d rows", len(peopleRows))
		}
		if err := rep.Write(&buf, "pdf"); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("unknown format: %v", err)
		}

		// A manager without survey rights gets the gaps only; an employee only their own.
		mgr := &core.Actor{Name: "mgr", IsManager: true, PersonID: f.people[0]}
		if r, err := f.svc.Build(ctx, mgr, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: f.unit}}); err != nil || r.Survey != nil {
			t.Errorf("manager: %+v %v", r, err)
		}
		emp := &core.Actor{Name: "emp", PersonID: f.people[2]}
		if r, err := f.svc.Build(ctx, emp, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: f.unit}}); err != nil || r.People != 1 {
			t.Errorf("employee: %+v %v", r, err)
		}
		if _, err := f.svc.Build(ctx, lnd, tna.Filter{SurveyID: "0190c2d4-5f7e-7a1b-9c3d-2e4f6a8b0c1d"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("unknown survey: %v", err)
		}

		// P5 and P6 move to a team below Backend: the split has that team, then Backend itself.
		if _, err := f.svc.Org.CreateUnit(ctx, core.System, org.UnitInput{Code: "BE-1", Name: "Backend one", Kind: "team", ParentID: f.unit}); err != nil {
			t.Fatal(err)
		}
		move := "employee_number,given_name,family_name,org_unit\nP5,Person,No5,BE-1\nP6,Person,No6,BE-1\n"
		if r, err := f.svc.Org.Import(ctx, core.System, []byte(move), org.ImportOptions{}); err != nil || !r.Applied {
			t.Fatalf("move: %v %+v", err, r)
		}
		rep, err = f.svc.Build(ctx, lnd, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: f.unit}})
		if err != nil {
			t.Fatal(err)
		}
		// Go: P5 and P6 both short in Backend one; P1 meets it and P2–P4 are short in Backend.
		if len(rep.Units) != 2 || rep.Units[0].Name != "Backend one" || rep.Units[1].Name != "Backend" ||
			!slices.Equal(rep.Needs[0].ByUnit, []skills.UnitNeed{{Required: 2, Short: 2}, {Required: 4, Short: 3}}) {
			t.Errorf("split after the move: %+v %+v", rep.Units, rep.Needs[0].ByUnit)
		}
	})
}

// TestAnonymousAnswersOfSmallGroupsStayHidden: six anonymous answers are shown for the team,
// but not those of a unit with fewer than five.
func TestAnonymousAnswersOfSmallGroupsStayHidden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, true)
		lnd := &core.Actor{Name: "L&D", Roles: []core.Role{core.RoleLnDAdmin}}
		rep, err := f.svc.Build(ctx, lnd, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: f.unit}})
		if err != nil || rep.Survey == nil || rep.Survey.Suppressed || !slices.Equal(rep.Needs[1].Asked, []int{5, 0}) {
			t.Fatalf("team of six, anonymous: %+v %v", rep.Survey, err)
		}
		// A new sub-unit has no answers (people count where they were when they answered).
		sub, err := f.svc.Org.CreateUnit(ctx, core.System, org.UnitInput{Code: "BE-1", Name: "Backend one", Kind: "team", ParentID: f.unit})
		if err != nil {
			t.Fatal(err)
		}
		rep, err = f.svc.Build(ctx, lnd, tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: sub.ID}})
		if err != nil || rep.Survey == nil || !rep.Survey.Suppressed || rep.Survey.Answered != 0 {
			t.Fatalf("empty sub-unit: %+v %v", rep.Survey, err)
		}
		for _, n := range rep.Needs {
			if n.Asked != nil {
				t.Errorf("%s shows answers of a hidden group: %v", n.Skill, n.Asked)
			}
		}
	})
}
