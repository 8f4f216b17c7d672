package survey_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/survey"
)

func (f *fixture) results(t *testing.T, a *core.Actor, sv *survey.Survey, unit string) *survey.Results {
	t.Helper()
	res, err := f.svc.Results(ctx, a, sv.ID, survey.ResultFilter{OrgUnitID: f.units[unit]})
	if err != nil {
		t.Fatalf("results for %q: %v", unit, err)
	}
	return res
}

// summary is a group's figures in one comparable line.
func summary(g *survey.Group) string {
	return fmt.Sprintf("%s invited %d answered %d rate %v suppressed %v responses %d", g.Name, g.Invited, g.Answered, g.ResponseRate, g.Suppressed, g.Responses)
}

func texts(r *survey.QuestionResult) []string {
	var out []string
	for _, t := range r.Texts {
		out = append(out, t.Text+"|"+t.PersonName)
	}
	return out
}

// TestResultsByHand checks the aggregates of a survey that is not anonymous against numbers
// worked out by hand.
func TestResultsByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sv := f.launch(t, everyKind(false), survey.Recipients{OrgUnitIDs: []string{f.units["ACME"]}, PersonIDs: []string{f.ids["N1"]}})
		for _, a := range []struct {
			who      string
			scale    int
			single   int
			multiple []int
			text     string
			skills   []string
		}{
			{"B1", 5, 0, []int{0, 1}, "Pairing", []string{"Go", "SQL"}},
			{"B2", 4, 0, []int{0}, "", []string{"Go"}},
			{"B3", 2, 1, nil, "", []string{"SQL"}},
			{"F1", 3, 2, []int{1, 2}, "Videos", []string{"Go"}},
			{"S1", 1, 1, []int{2}, "Role plays", []string{"Negotiation"}},
			{"N1", 5, 0, nil, "", nil},
		} {
			if err := f.svc.Submit(ctx, f.as(a.who), sv.ID, f.answers(sv, a.scale, a.single, a.multiple, a.text, a.skills...)); err != nil {
				t.Fatalf("%s: %v", a.who, err)
			}
			f.clock.Advance(time.Minute)
		}

		res := f.results(t, f.lnd, sv, "")
		if res.MinGroup != 0 {
			t.Errorf("min group %d for a survey that is not anonymous", res.MinGroup)
		}
		// 17 people in Acme and Nina; 6 answered.
		if got, want := summary(res.Overall), " invited 18 answered 6 rate 0.333 suppressed false responses 6"; got != want {
			t.Errorf("overall %q, want %q", got, want)
		}
		q := res.Overall.Questions
		// Scale: 5, 4, 2, 3, 1, 5 → one each of 1 to 4, two 5s; mean 20/6 = 3.33.
		if q[0].Answered != 6 || q[0].Mean != 3.33 || !reflect.DeepEqual(q[0].Distribution, []int{1, 1, 1, 1, 2}) {
			t.Errorf("scale %+v", q[0])
		}
		// Single: A by B1, B2 and Nina; B by B3 and S1; C by F1.
		if got := q[1].Options; q[1].Answered != 6 || got[0].Label != "A" || got[0].Count != 3 || got[1].Count != 2 || got[2].Count != 1 {
			t.Errorf("single %+v", q[1])
		}
		// Multiple: X by B1, B2; Y by B1, F1; Z by F1, S1; four people chose.
		if got := q[2].Options; q[2].Answered != 4 || got[0].Count != 2 || got[1].Count != 2 || got[2].Count != 2 {
			t.Errorf("multiple %+v", q[2])
		}
		// Skills, most chosen first: Go 3, SQL 2, Negotiation 1.
		want := []survey.SkillCount{{ID: f.skills["Go"], Name: "Go", Count: 3}, {ID: f.skills["SQL"], Name: "SQL", Count: 2}, {ID: f.skills["Negotiation"], Name: "Negotiation", Count: 1}}
		if q[4].Answered != 5 || !reflect.DeepEqual(q[4].Skills, want) {
			t.Errorf("skills %+v", q[4])
		}
		// The author sees who wrote what, in the order it came.
		if got, want := texts(q[3]), []string{"Pairing|Backend Person1", "Videos|Frontend One", "Role plays|Sales Person1"}; q[3].Answered != 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("texts %q, want %q", got, want)
		}
		// Nina has no unit: she counts in everyone only; the top level is Acme.
		if len(res.Units) != 1 || summary(res.Units[0]) != "Acme invited 17 answered 5 rate 0.294 suppressed false responses 5" {
			t.Errorf("units %v", res.Units)
		}

		eng := f.results(t, f.lnd, sv, "ENG")
		if got, want := summary(eng.Overall), "Engineering invited 9 answered 4 rate 0.444 suppressed false responses 4"; got != want {
			t.Errorf("Engineering %q, want %q", got, want)
		}
		q = eng.Overall.Questions
		if q[0].Mean != 3.5 || !reflect.DeepEqual(q[0].Distribution, []int{0, 1, 1, 1, 1}) || q[1].Options[0].Count != 2 || q[1].Options[2].Count != 1 {
			t.Errorf("Engineering's scale and choice %+v %+v", q[0], q[1])
		}
		if got := texts(q[3]); !reflect.DeepEqual(got, []string{"Pairing|Backend Person1", "Videos|Frontend One"}) {
			t.Errorf("Engineering's texts %q", got)
		}
		if len(eng.Units) != 2 || summary(eng.Units[0]) != "Backend invited 6 answered 3 rate 0.5 suppressed false responses 3" ||
			summary(eng.Units[1]) != "Frontend invited 2 answered 1 rate 0.5 suppressed false responses 1" {
			t.Errorf("Engineering's units %v", eng.Units)
		} else if eng.Units[0].Questions[0].Mean != 3.67 || eng.Units[0].Questions[3].Texts != nil {
			t.Errorf("Backend: mean %v (want (5+4+2)/3 = 3.67), texts %v (listed for the filtered group only)", eng.Units[0].Questions[0].Mean, eng.Units[0].Questions[3].Texts)
		}

		// Lise (L&D, not the author) reads the answers without names; Hedy (HR) with them.
		if got := texts(f.results(t, f.as("L2", core.RoleLnDAdmin), sv, "").Overall.Questions[3]); !reflect.DeepEqual(got, []string{"Pairing|", "Videos|", "Role plays|"}) {
			t.Errorf("Lise sees %q", got)
		}
		if got := f.results(t, f.as("H1", core.RoleHRAdmin), sv, "").Overall.Questions[3].Texts; len(got) != 3 || got[0].PersonID != f.ids["B1"] {
			t.Errorf("Hedy sees %+v", got)
		}
		_, err := f.svc.Results(ctx, f.as("E2"), sv.ID, survey.ResultFilter{})
		wantCode(t, "a manager reading results", err, core.EFORBIDDEN)
		_, err = f.svc.Results(ctx, f.lnd, sv.ID, survey.ResultFilter{OrgUnitID: core.NewID()})
		wantField(t, "an unknown unit", err, "org_unit_id")
	})
}

// TestAnonymousSuppression checks that no group of fewer than five responses is shown, directly
// or as the difference of two shown groups, and that hidden groups keep their texts hidden.
func TestAnonymousSuppression(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sv := f.launch(t, survey.SurveyInput{Title: "Honest", Anonymous: true, Questions: []survey.QuestionInput{
			{Kind: survey.QuestionScale, Prompt: "Workload", ScaleMax: 5, Required: true},
			{Kind: survey.QuestionText, Prompt: "Say it"},
		}}, survey.Recipients{OrgUnitIDs: []string{f.units["ACME"]}, PersonIDs: []string{f.ids["N1"]}})
		answer := func(who string, scale int) {
			t.Helper()
			if err := f.svc.Submit(ctx, f.as(who), sv.ID, []survey.AnswerInput{
				{QuestionID: sv.Questions[0].ID, Scale: scale}, {QuestionID: sv.Questions[1].ID, Text: "from " + who},
			}); err != nil {
				t.Fatalf("%s: %v", who, err)
			}
		}
		group := func(res *survey.Results, name string) *survey.Group {
			t.Helper()
			for _, g := range res.Units {
				if g.Name == name {
					return g
				}
			}
			t.Fatalf("no group %s in %v", name, res.Units)
			return nil
		}
		hidden := func(what string, g *survey.Group) {
			t.Helper()
			if !g.Suppressed || g.Responses != 0 || g.Questions != nil {
				t.Errorf("%s is shown: %s, %d questions", what, summary(g), len(g.Questions))
			}
		}
		shown := func(what string, g *survey.Group, responses int) {
			t.Helper()
			if g.Suppressed || g.Responses != responses || len(g.Questions) != 2 {
				t.Errorf("%s: %s, want %d responses shown", what, summary(g), responses)
			}
		}

		// Four in Backend, five in Sales.
		for i := 1; i <= 4; i++ {
			answer(fmt.Sprintf("B%d", i), 4)
		}
		for i := 1; i <= 5; i++ {
			answer(fmt.Sprintf("S%d", i), 2)
		}
		if res := f.results(t, f.lnd, sv, ""); res.MinGroup != 5 {
			t.Errorf("min group %d", res.MinGroup)
		} else {
			shown("everyone", res.Overall, 9)
			// (4·4 + 5·2) / 9 = 2.89; nine texts, since nine people wrote them.
			if q := res.Overall.Questions; q[0].Mean != 2.89 || len(q[1].Texts) != 9 || q[1].Texts[0].PersonName != "" {
				t.Errorf("everyone: mean %v, %d texts", q[0].Mean, len(q[1].Texts))
			}
		}
		be := f.results(t, f.lnd, sv, "BE")
		hidden("Backend with 4", be.Overall)
		// The response rate is progress, not an answer: it stays visible.
		if be.Overall.Invited != 6 || be.Overall.Answered != 4 || be.Overall.ResponseRate != 0.667 {
			t.Errorf("Backend's rate: %s", summary(be.Overall))
		}
		acme := f.results(t, f.lnd, sv, "ACME")
		shown("Acme", acme.Overall, 9)
		hidden("Engineering with 4", group(acme, "Engineering"))
		// Sales has five, but Acme (9) minus Sales would be Backend's four.
		hidden("Sales beside a hidden Engineering", group(acme, "Sales"))
		hidden("Sales on its own", f.results(t, f.lnd, sv, "SAL").Overall)

		// A fifth in Backend: now every group with answers has five.
		answer("B5", 5)
		be = f.results(t, f.lnd, sv, "BE")
		shown("Backend with 5", be.Overall, 5)
		got := texts(be.Overall.Questions[1])
		slices.Sort(got)
		if want := []string{"from B1|", "from B2|", "from B3|", "from B4|", "from B5|"}; !reflect.DeepEqual(got, want) || be.Overall.Questions[0].Mean != 4.2 {
			t.Errorf("Backend's texts %q, mean %v", got, be.Overall.Questions[0].Mean)
		}
		acme = f.results(t, f.lnd, sv, "ACME")
		shown("Engineering with 5", group(acme, "Engineering"), 5)
		shown("Sales with 5", group(acme, "Sales"), 5)
		eng := f.results(t, f.lnd, sv, "ENG")
		shown("Backend under Engineering", group(eng, "Backend"), 5)
		hidden("Frontend without answers", group(eng, "Frontend"))

		// Nina, in no unit, answers: everyone (11) minus Acme (10) would be her alone, so Acme is
		// hidden; then everyone minus Engineering minus Sales would be her alone again, so Sales
		// is hidden too. Engineering and Backend stay.
		answer("N1", 1)
		res := f.results(t, f.lnd, sv, "")
		shown("everyone with Nina", res.Overall, 11)
		hidden("Acme beside Nina", group(res, "Acme"))
		hidden("Acme filtered", f.results(t, f.lnd, sv, "ACME").Overall)
		hidden("Sales beside Nina", f.results(t, f.lnd, sv, "SAL").Overall)
		shown("Engineering beside Nina", f.results(t, f.lnd, sv, "ENG").Overall, 5)
		shown("Backend beside Nina", f.results(t, f.lnd, sv, "BE").Overall, 5)

		_, err := f.svc.Results(ctx, f.as("B1"), sv.ID, survey.ResultFilter{})
		wantCode(t, "a respondent reading results", err, core.EFORBIDDEN)
	})
}
