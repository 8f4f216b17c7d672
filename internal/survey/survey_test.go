package survey_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
)

var ctx = context.Background()

// fixture: Acme (company: Ada, who works in L&D, Hedy in HR and Lise, also in L&D) has
// Engineering (Grace) with the teams Backend (B1–B6, and BX who left) and Frontend (F1, F2), and
// Sales (S1–S5). Nina (N1) belongs to no unit. The skills framework has Go, SQL and Negotiation,
// and the retired COBOL.
type fixture struct {
	d      *db.DB
	svc    *survey.Service
	orgs   *org.Service
	clock  *core.FixedClock
	ids    map[string]string // employee number → person id
	units  map[string]string // unit code → id
	skills map[string]string // skill name → id
	lnd    *core.Actor       // Ada, L&D administrator and the author of the surveys
}

func peopleCSV() string {
	var b strings.Builder
	b.WriteString("employee_number,given_name,family_name,email,org_unit,manager,status\n")
	row := func(num, given, family, unit, manager, status string) {
		fmt.Fprintf(&b, "%s,%s,%s,%s@example.com,%s,%s,%s\n", num, given, family, strings.ToLower(num), unit, manager, status)
	}
	row("E1", "Ada", "Lovelace", "ACME", "", "active")
	row("H1", "Hedy", "Lamarr", "ACME", "E1", "active")
	row("L2", "Lise", "Meitner", "ACME", "E1", "active")
	row("E2", "Grace", "Hopper", "ENG", "E1", "active")
	for i := 1; i <= 6; i++ {
		row(fmt.Sprintf("B%d", i), "Backend", fmt.Sprintf("Person%d", i), "BE", "E2", "active")
	}
	row("BX", "Gone", "Away", "BE", "E2", "left")
	row("F1", "Frontend", "One", "FE", "E2", "active")
	row("F2", "Frontend", "Two", "FE", "E2", "active")
	for i := 1; i <= 5; i++ {
		row(fmt.Sprintf("S%d", i), "Sales", fmt.Sprintf("Person%d", i), "SAL", "E1", "active")
	}
	row("N1", "Nina", "Nowhere", "", "E1", "active")
	return b.String()
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, clock: &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)},
		ids: map[string]string{}, units: map[string]string{}, skills: map[string]string{}}
	f.orgs = org.NewService(d, f.clock)
	f.svc = survey.NewService(d, f.clock)
	for _, u := range []struct{ code, name, kind, parent string }{
		{"ACME", "Acme", "company", ""},
		{"ENG", "Engineering", "department", "ACME"},
		{"BE", "Backend", "team", "ENG"},
		{"FE", "Frontend", "team", "ENG"},
		{"SAL", "Sales", "department", "ACME"},
	} {
		unit, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: u.code, Name: u.name, Kind: u.kind, ParentID: f.units[u.parent]})
		if err != nil {
			t.Fatal(err)
		}
		f.units[u.code] = unit.ID
	}
	if rep, err := f.orgs.Import(ctx, core.System, []byte(peopleCSV()), org.ImportOptions{}); err != nil || !rep.Applied {
		t.Fatalf("import: %v %+v", err, rep)
	}
	people, _, _, err := f.orgs.FindPeople(ctx, core.System, org.PersonFilter{Status: "all", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		f.ids[p.EmployeeNumber] = p.ID
	}
	sk := skills.NewService(d, f.clock, f.orgs)
	for _, name := range []string{"Go", "SQL", "Negotiation", "COBOL"} {
		s, err := sk.CreateSkill(ctx, core.System, skills.SkillInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.skills[name] = s.ID
	}
	if _, err := sk.UpdateSkill(ctx, core.System, f.skills["COBOL"], skills.SkillInput{Name: "COBOL", Retired: true}); err != nil {
		t.Fatal(err)
	}
	f.lnd = f.as("E1", core.RoleLnDAdmin)
	return f
}

// as returns the actor of the person with employee number n.
func (f *fixture) as(n string, roles ...core.Role) *core.Actor {
	return &core.Actor{PersonID: f.ids[n], Name: n, Roles: roles}
}

func (f *fixture) deadline() time.Time { return f.clock.Now().Add(14 * 24 * time.Hour) }

// create makes a draft survey as Ada.
func (f *fixture) create(t *testing.T, in survey.SurveyInput) *survey.Survey {
	t.Helper()
	if in.Deadline.IsZero() {
		in.Deadline = f.deadline()
	}
	sv, err := f.svc.CreateSurvey(ctx, f.lnd, in)
	if err != nil {
		t.Fatalf("create survey: %v", err)
	}
	return sv
}

// launch creates a survey, sends it to the recipients and opens it.
func (f *fixture) launch(t *testing.T, in survey.SurveyInput, to survey.Recipients) *survey.Survey {
	t.Helper()
	sv := f.create(t, in)
	if _, err := f.svc.Send(ctx, f.lnd, sv.ID, to); err != nil {
		t.Fatalf("send: %v", err)
	}
	if err := f.svc.Open(ctx, f.lnd, sv.ID); err != nil {
		t.Fatalf("open: %v", err)
	}
	return sv
}

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// auditActions lists the audit actions recorded about a survey, oldest first.
func (f *fixture) auditActions(t *testing.T, id string) []string {
	t.Helper()
	entries, _, err := (&audit.Service{DB: f.d}).Find(ctx, core.System, audit.Filter{TargetID: &id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if core.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %q", what, err, code)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	e := core.AsError(err)
	if e == nil || e.Code != core.EINVALID {
		t.Errorf("%s: %v, want invalid %s", what, err, field)
		return
	}
	if _, ok := e.Fields[field]; !ok && e.Field != field {
		t.Errorf("%s: fields %v, want %s", what, e.Fields, field)
	}
}

func TestDefaultLNA(t *testing.T) {
	in := survey.DefaultLNA()
	if in.Kind != survey.KindLNA || len(in.Questions) != 8 {
		t.Fatalf("%+v", in)
	}
	kinds := map[string]int{}
	for _, q := range in.Questions {
		kinds[q.Kind]++
	}
	// What to learn and what is lacking come from the framework; the three preferences
	// (actively/passively, alone/with others, short/long) are scales; free text closes it.
	if kinds[survey.QuestionSkills] != 2 || kinds[survey.QuestionScale] != 3 || kinds[survey.QuestionText] != 1 {
		t.Errorf("question kinds %v", kinds)
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.svc.CreateSurvey(ctx, f.lnd, survey.DefaultLNA())
		wantField(t, "the template without a deadline", err, "deadline")
		sv := f.create(t, survey.DefaultLNA())
		if sv.Status != survey.StatusDraft || len(sv.Questions) != 8 || sv.CreatedBy != f.ids["E1"] || sv.CreatedByName != "Ada Lovelace" {
			t.Errorf("created %+v", sv)
		}
		if q := sv.Questions[2]; q.Position != 3 || q.ScaleMax != 5 || !strings.HasPrefix(q.LowLabel, "Actively") || !strings.HasPrefix(q.HighLabel, "Passively") {
			t.Errorf("third question %+v", q)
		}
		if q := sv.Questions[5]; len(q.Options) != 8 || q.Options[0].ID == "" || q.Options[0].Label != "Courses and workshops with a trainer" {
			t.Errorf("sixth question %+v", q)
		}
	})
}

func TestDraftEditingRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		choice := func(kind string, labels ...string) survey.QuestionInput {
			q := survey.QuestionInput{Kind: kind, Prompt: "Pick"}
			for _, l := range labels {
				q.Options = append(q.Options, survey.OptionInput{Label: l})
			}
			return q
		}
		bad := []struct {
			name  string
			edit  func(in *survey.SurveyInput)
			field string
		}{
			{"no title", func(in *survey.SurveyInput) { in.Title = "  " }, "title"},
			{"unknown kind", func(in *survey.SurveyInput) { in.Kind = "poll" }, "kind"},
			{"deadline passed", func(in *survey.SurveyInput) { in.Deadline = f.clock.Now().Add(-time.Hour) }, "deadline"},
			{"no deadline", func(in *survey.SurveyInput) { in.Deadline = time.Time{} }, "deadline"},
			{"unknown question kind", func(in *survey.SurveyInput) { in.Questions[0].Kind = "slider" }, "questions[0].kind"},
			{"empty prompt", func(in *survey.SurveyInput) { in.Questions[0].Prompt = "" }, "questions[0].prompt"},
			{"scale of 1", func(in *survey.SurveyInput) { in.Questions[0].ScaleMax = 1 }, "questions[0].scale_max"},
			{"scale of 11", func(in *survey.SurveyInput) { in.Questions[0].ScaleMax = 11 }, "questions[0].scale_max"},
			{"one option", func(in *survey.SurveyInput) { in.Questions[1] = choice(survey.QuestionSingle, "Only") }, "questions[1].options"},
			{"an option twice", func(in *survey.SurveyInput) { in.Questions[1] = choice(survey.QuestionSingle, "Yes", "yes") }, "questions[1].options[1].label"},
			{"an empty option", func(in *survey.SurveyInput) { in.Questions[1] = choice(survey.QuestionMultiple, "Yes", "") }, "questions[1].options[1].label"},
			{"more choices than options", func(in *survey.SurveyInput) {
				in.Questions[1] = choice(survey.QuestionMultiple, "A", "B")
				in.Questions[1].MaxChoices = 3
			}, "questions[1].max_choices"},
			{"text too long", func(in *survey.SurveyInput) {
				in.Questions[1] = survey.QuestionInput{Kind: survey.QuestionText, Prompt: "Why?", MaxLength: 20000}
			}, "questions[1].max_length"},
		}
		good := func() survey.SurveyInput {
			return survey.SurveyInput{Title: "Pulse", Kind: survey.KindGeneral, Deadline: f.deadline(), Questions: []survey.QuestionInput{
				{Kind: survey.QuestionScale, Prompt: "How are you?", ScaleMax: 5, LowLabel: "Bad", HighLabel: "Good"},
				choice(survey.QuestionSingle, "Yes", "No"),
			}}
		}
		for _, tt := range bad {
			in := good()
			tt.edit(&in)
			_, err := f.svc.CreateSurvey(ctx, f.lnd, in)
			wantField(t, tt.name, err, tt.field)
		}
		if n := f.count(t, `SELECT count(*) FROM surveys`); n != 0 {
			t.Errorf("%d surveys stored by refused inputs", n)
		}
		_, err := f.svc.CreateSurvey(ctx, f.as("B1"), good())
		wantCode(t, "an employee authoring", err, core.EFORBIDDEN)
		_, err = f.svc.CreateSurvey(ctx, &core.Actor{PersonID: f.ids["E1"], Roles: []core.Role{core.RoleLnDAdmin}, Scopes: []core.Permission{core.PermSurveysAnswer}}, good())
		wantCode(t, "a token without surveys:write", err, core.EFORBIDDEN)

		sv := f.create(t, good())
		// Editing a draft keeps the ids of questions and options that stay, so that a form's
		// references survive a save, and gives new ones their own.
		in := good()
		in.Title = "Pulse, revised"
		in.Questions[0].ID, in.Questions[0].Prompt = sv.Questions[0].ID, "How do you feel?"
		in.Questions[1].ID = sv.Questions[1].ID
		in.Questions[1].Options[0].ID = sv.Questions[1].Options[0].ID
		in.Questions = append([]survey.QuestionInput{{Kind: survey.QuestionText, Prompt: "Anything else?", ID: core.NewID()}}, in.Questions...)
		up, err := f.svc.UpdateSurvey(ctx, f.lnd, sv.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Title != "Pulse, revised" || len(up.Questions) != 3 || up.Questions[1].ID != sv.Questions[0].ID || up.Questions[1].Prompt != "How do you feel?" ||
			up.Questions[1].Position != 2 || up.Questions[2].Options[0].ID != sv.Questions[1].Options[0].ID || up.Questions[2].Options[1].ID == sv.Questions[1].Options[1].ID ||
			up.Questions[0].ID == in.Questions[0].ID || up.Questions[0].MaxLength != 2000 {
			t.Errorf("updated %+v", up.Questions)
		}
		_, err = f.svc.UpdateSurvey(ctx, f.as("B1"), sv.ID, in)
		wantCode(t, "an employee editing", err, core.EFORBIDDEN)
		_, err = f.svc.UpdateSurvey(ctx, f.lnd, core.NewID(), in)
		wantCode(t, "editing a survey that does not exist", err, core.ENOTFOUND)

		empty := f.create(t, survey.SurveyInput{Title: "Empty"})
		wantField(t, "opening a survey without questions", f.svc.Open(ctx, f.lnd, empty.ID), "questions")
		wantCode(t, "closing a draft", f.svc.Close(ctx, f.lnd, empty.ID), core.ECONFLICT)
		wantCode(t, "an employee deleting", f.svc.DeleteSurvey(ctx, f.as("B1"), empty.ID), core.EFORBIDDEN)
		if err := f.svc.DeleteSurvey(ctx, f.lnd, empty.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.FindSurveyByID(ctx, f.lnd, empty.ID)
		wantCode(t, "a deleted draft", err, core.ENOTFOUND)

		wantCode(t, "an employee opening", f.svc.Open(ctx, f.as("B1"), sv.ID), core.EFORBIDDEN)
		if err := f.svc.Open(ctx, f.lnd, sv.ID); err != nil {
			t.Fatal(err)
		}
		// Once open, the questionnaire is frozen.
		_, err = f.svc.UpdateSurvey(ctx, f.lnd, sv.ID, in)
		wantCode(t, "editing an open survey", err, core.ECONFLICT)
		wantCode(t, "deleting an open survey", f.svc.DeleteSurvey(ctx, f.lnd, sv.ID), core.ECONFLICT)
		wantCode(t, "opening twice", f.svc.Open(ctx, f.lnd, sv.ID), core.ECONFLICT)
		wantCode(t, "an employee closing", f.svc.Close(ctx, f.as("B1"), sv.ID), core.EFORBIDDEN)
		if err := f.svc.Close(ctx, f.lnd, sv.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "reopening", f.svc.Open(ctx, f.lnd, sv.ID), core.ECONFLICT)
		got, err := f.svc.FindSurveyByID(ctx, f.lnd, sv.ID)
		if err != nil || got.Status != survey.StatusClosed || got.OpenedAt == nil || got.ClosedAt == nil || !got.ClosedAt.Equal(f.clock.Now()) {
			t.Errorf("closed survey %+v %v", got, err)
		}
		if got, want := strings.Join(f.auditActions(t, sv.ID), " "), "survey.create survey.update survey.open survey.close"; got != want {
			t.Errorf("audit %q, want %q", got, want)
		}
		if got := f.auditActions(t, empty.ID); len(got) != 2 || got[1] != "survey.delete" {
			t.Errorf("audit of the deleted draft %v", got)
		}

		later := f.create(t, survey.SurveyInput{Title: "Later", Kind: survey.KindReaction})
		list, next, err := f.svc.FindSurveys(ctx, f.lnd, survey.SurveyFilter{Limit: 1})
		if err != nil || len(list) != 1 || list[0].ID != later.ID || next == "" {
			t.Errorf("first page %v %q %v", list, next, err)
		} else if more, next, err := f.svc.FindSurveys(ctx, f.lnd, survey.SurveyFilter{Cursor: next}); err != nil || len(more) != 1 || more[0].ID != sv.ID || next != "" {
			t.Errorf("second page %v %q %v", more, next, err)
		}
		if list, _, err := f.svc.FindSurveys(ctx, f.lnd, survey.SurveyFilter{Status: survey.StatusClosed}); err != nil || len(list) != 1 || list[0].ID != sv.ID {
			t.Errorf("closed surveys %v %v", list, err)
		}
		if _, _, err := f.svc.FindSurveys(ctx, f.as("B1"), survey.SurveyFilter{}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("an employee listing surveys: %v", err)
		}
	})
}

func TestSending(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sv := f.create(t, survey.DefaultLNA())
		invitations := func() int {
			return f.count(t, `SELECT count(*) FROM survey_invitations WHERE survey_id = ?`, sv.ID)
		}
		// Engineering means Grace, Backend's six (not BX, who left) and Frontend's two.
		rep, err := f.svc.Send(ctx, f.lnd, sv.ID, survey.Recipients{OrgUnitIDs: []string{f.units["ENG"]}})
		if err != nil || rep.Invited != 9 || rep.AlreadyInvited != 0 {
			t.Fatalf("send to Engineering: %+v %v", rep, err)
		}
		if n := f.count(t, `SELECT count(*) FROM survey_invitations WHERE survey_id = ? AND person_id = ?`, sv.ID, f.ids["BX"]); n != 0 {
			t.Error("someone who left was invited")
		}
		// Sending again reaches only people not invited yet.
		rep, err = f.svc.Send(ctx, f.lnd, sv.ID, survey.Recipients{OrgUnitIDs: []string{f.units["BE"], f.units["ENG"]}, PersonIDs: []string{f.ids["N1"], f.ids["B1"], f.ids["N1"]}})
		if err != nil || rep.Invited != 1 || rep.AlreadyInvited != 9 || invitations() != 10 {
			t.Errorf("send again: %+v %v, %d invitations", rep, err, invitations())
		}
		var unit *string
		if err := d.QueryRowContext(ctx, `SELECT org_unit_id FROM survey_invitations WHERE survey_id = ? AND person_id = ?`, sv.ID, f.ids["B2"]).Scan(&unit); err != nil || unit == nil || *unit != f.units["BE"] {
			t.Errorf("B2's invitation is in unit %v, %v", unit, err)
		}
		for _, tt := range []struct {
			name  string
			to    survey.Recipients
			field string
		}{
			{"nobody", survey.Recipients{}, "recipients"},
			{"an unknown unit", survey.Recipients{OrgUnitIDs: []string{core.NewID()}}, "org_unit_ids"},
			{"a malformed unit id", survey.Recipients{OrgUnitIDs: []string{"sales"}}, "org_unit_ids"},
			{"an unknown person", survey.Recipients{PersonIDs: []string{f.ids["S1"], core.NewID()}}, "person_ids"},
			{"someone who left", survey.Recipients{PersonIDs: []string{f.ids["S1"], f.ids["BX"]}}, "person_ids"},
		} {
			_, err := f.svc.Send(ctx, f.lnd, sv.ID, tt.to)
			wantField(t, tt.name, err, tt.field)
		}
		if invitations() != 10 {
			t.Errorf("a refused send left %d invitations", invitations())
		}
		_, err = f.svc.Send(ctx, f.as("E2"), sv.ID, survey.Recipients{OrgUnitIDs: []string{f.units["SAL"]}})
		wantCode(t, "a manager sending", err, core.EFORBIDDEN)
		_, err = f.svc.Send(ctx, f.lnd, core.NewID(), survey.Recipients{OrgUnitIDs: []string{f.units["SAL"]}})
		wantCode(t, "sending a survey that does not exist", err, core.ENOTFOUND)

		// A draft is invisible to the people invited to it.
		mine, err := f.svc.MySurveys(ctx, f.as("B1"))
		if err != nil || len(mine) != 0 {
			t.Errorf("B1 sees a draft: %v %v", mine, err)
		}
		_, err = f.svc.FindSurveyByID(ctx, f.as("B1"), sv.ID)
		wantCode(t, "B1 reading the draft", err, core.ENOTFOUND)
		if err := f.svc.Open(ctx, f.lnd, sv.ID); err != nil {
			t.Fatal(err)
		}
		mine, err = f.svc.MySurveys(ctx, f.as("B1"))
		if err != nil || len(mine) != 1 || mine[0].SurveyID != sv.ID || !mine[0].CanAnswer || mine[0].Answered || !mine[0].Deadline.Equal(f.deadline()) {
			t.Errorf("B1's surveys: %+v %v", mine, err)
		}
		got, err := f.svc.FindSurveyByID(ctx, f.as("B1"), sv.ID)
		if err != nil || len(got.Questions) != 8 || got.Invited != 0 {
			t.Errorf("B1 reads the survey: %+v %v", got, err)
		}
		_, err = f.svc.FindSurveyByID(ctx, f.as("S1"), sv.ID)
		wantCode(t, "S1, not invited, reading the survey", err, core.ENOTFOUND)
		if mine, err := f.svc.MySurveys(ctx, f.as("S1")); err != nil || len(mine) != 0 {
			t.Errorf("S1's surveys: %v %v", mine, err)
		}
		// Sending to an open survey works; to a closed one it does not.
		if rep, err := f.svc.Send(ctx, f.lnd, sv.ID, survey.Recipients{OrgUnitIDs: []string{f.units["SAL"]}}); err != nil || rep.Invited != 5 {
			t.Errorf("send to Sales while open: %+v %v", rep, err)
		}
		if got, err := f.svc.FindSurveyByID(ctx, f.lnd, sv.ID); err != nil || got.Invited != 15 || got.Answered != 0 {
			t.Errorf("progress %+v %v", got, err)
		}
		if err := f.svc.Close(ctx, f.lnd, sv.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Send(ctx, f.lnd, sv.ID, survey.Recipients{PersonIDs: []string{f.ids["E2"]}})
		wantCode(t, "sending a closed survey", err, core.ECONFLICT)
		mine, _ = f.svc.MySurveys(ctx, f.as("B1"))
		if len(mine) != 1 || mine[0].CanAnswer || mine[0].Status != survey.StatusClosed {
			t.Errorf("B1's closed survey: %+v", mine)
		}
		if got, want := strings.Join(f.auditActions(t, sv.ID), " "), "survey.create survey.send survey.send survey.open survey.send survey.close"; got != want {
			t.Errorf("audit %q, want %q", got, want)
		}
	})
}
