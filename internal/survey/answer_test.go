package survey_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/survey"
)

// everyKind has one question of each kind: a required scale of 5, a required single choice
// (A, B, C), a multiple choice of at most two (X, Y, Z), a text of at most 10 characters and a
// pick of at most two skills.
func everyKind(anonymous bool) survey.SurveyInput {
	opts := func(labels ...string) []survey.OptionInput {
		var out []survey.OptionInput
		for _, l := range labels {
			out = append(out, survey.OptionInput{Label: l})
		}
		return out
	}
	return survey.SurveyInput{Title: "Every kind", Anonymous: anonymous, Questions: []survey.QuestionInput{
		{Kind: survey.QuestionScale, Prompt: "Pace", Required: true, ScaleMax: 5},
		{Kind: survey.QuestionSingle, Prompt: "One", Required: true, Options: opts("A", "B", "C")},
		{Kind: survey.QuestionMultiple, Prompt: "Some", MaxChoices: 2, Options: opts("X", "Y", "Z")},
		{Kind: survey.QuestionText, Prompt: "Why", MaxLength: 10},
		{Kind: survey.QuestionSkills, Prompt: "Skills", MaxChoices: 2},
	}}
}

// answers builds a submission to an everyKind survey: scale value, single option index, multiple
// option indexes, text and skill names; zero values leave a question out.
func (f *fixture) answers(sv *survey.Survey, scale, single int, multiple []int, text string, skillNames ...string) []survey.AnswerInput {
	q := sv.Questions
	var out []survey.AnswerInput
	if scale != 0 {
		out = append(out, survey.AnswerInput{QuestionID: q[0].ID, Scale: scale})
	}
	if single >= 0 {
		out = append(out, survey.AnswerInput{QuestionID: q[1].ID, Choices: []string{q[1].Options[single].ID}})
	}
	if len(multiple) > 0 {
		a := survey.AnswerInput{QuestionID: q[2].ID}
		for _, i := range multiple {
			a.Choices = append(a.Choices, q[2].Options[i].ID)
		}
		out = append(out, a)
	}
	if text != "" {
		out = append(out, survey.AnswerInput{QuestionID: q[3].ID, Text: text})
	}
	if len(skillNames) > 0 {
		a := survey.AnswerInput{QuestionID: q[4].ID}
		for _, n := range skillNames {
			a.Choices = append(a.Choices, f.skills[n])
		}
		out = append(out, a)
	}
	return out
}

func TestAnswerValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sv := f.launch(t, everyKind(false), survey.Recipients{OrgUnitIDs: []string{f.units["BE"]}})
		q := sv.Questions
		field := func(i int) string { return "answers." + q[i].ID }
		valid := func() []survey.AnswerInput { return f.answers(sv, 4, 0, []int{0, 2}, "Because", "Go") }
		set := func(i int, a survey.AnswerInput) func([]survey.AnswerInput) []survey.AnswerInput {
			return func(in []survey.AnswerInput) []survey.AnswerInput {
				a.QuestionID = q[i].ID
				in[i] = a
				return in
			}
		}
		tests := []struct {
			name  string
			edit  func([]survey.AnswerInput) []survey.AnswerInput
			field string
		}{
			{"the required scale left out", func(in []survey.AnswerInput) []survey.AnswerInput { return in[1:] }, field(0)},
			{"scale 0 is no answer", set(0, survey.AnswerInput{Scale: 0}), field(0)},
			{"scale above the top", set(0, survey.AnswerInput{Scale: 6}), field(0)},
			{"scale below 1", set(0, survey.AnswerInput{Scale: -1}), field(0)},
			{"scale answered in words", set(0, survey.AnswerInput{Scale: 3, Text: "three"}), field(0)},
			{"the required choice left empty", set(1, survey.AnswerInput{}), field(1)},
			{"two choices for one", set(1, survey.AnswerInput{Choices: []string{q[1].Options[0].ID, q[1].Options[1].ID}}), field(1)},
			{"an unknown option", set(1, survey.AnswerInput{Choices: []string{core.NewID()}}), field(1)},
			{"another question's option", set(1, survey.AnswerInput{Choices: []string{q[2].Options[0].ID}}), field(1)},
			{"three of at most two", set(2, survey.AnswerInput{Choices: []string{q[2].Options[0].ID, q[2].Options[1].ID, q[2].Options[2].ID}}), field(2)},
			{"an option twice", set(2, survey.AnswerInput{Choices: []string{q[2].Options[0].ID, q[2].Options[0].ID}}), field(2)},
			{"a text too long", set(3, survey.AnswerInput{Text: "Elevenchars"}), field(3)},
			{"a skill that does not exist", set(4, survey.AnswerInput{Choices: []string{core.NewID()}}), field(4)},
			{"a retired skill", set(4, survey.AnswerInput{Choices: []string{f.skills["COBOL"]}}), field(4)},
			{"a skill by name", set(4, survey.AnswerInput{Choices: []string{"Go"}}), field(4)},
			{"three skills of at most two", set(4, survey.AnswerInput{Choices: []string{f.skills["Go"], f.skills["SQL"], f.skills["Negotiation"]}}), field(4)},
			{"an option as a skill", set(4, survey.AnswerInput{Choices: []string{q[1].Options[0].ID}}), field(4)},
			{"a question of another survey", func(in []survey.AnswerInput) []survey.AnswerInput {
				return append(in, survey.AnswerInput{QuestionID: core.NewID(), Scale: 1})
			}, "answers"},
			{"a question answered twice", func(in []survey.AnswerInput) []survey.AnswerInput {
				return append(in, survey.AnswerInput{QuestionID: q[0].ID, Scale: 2})
			}, field(0)},
		}
		for _, tt := range tests {
			err := f.svc.Submit(ctx, f.as("B1"), sv.ID, tt.edit(valid()))
			wantField(t, tt.name, err, tt.field)
		}
		// A refused submission leaves nothing behind.
		if n := f.count(t, `SELECT count(*) FROM survey_responses`) + f.count(t, `SELECT count(*) FROM survey_answers`) +
			f.count(t, `SELECT count(*) FROM survey_invitations WHERE answered_at IS NOT NULL`); n != 0 {
			t.Errorf("%d rows written by refused submissions", n)
		}
		if err := f.svc.Submit(ctx, f.as("B1"), sv.ID, valid()); err != nil {
			t.Fatal(err)
		}
		// scale, single, two of the multiple, text, one skill: six rows.
		if n := f.count(t, `SELECT count(*) FROM survey_answers`); n != 6 {
			t.Errorf("%d answer rows, want 6", n)
		}
		// Only the required questions; blank text counts as no answer.
		if err := f.svc.Submit(ctx, f.as("B2"), sv.ID, append(f.answers(sv, 1, 2, nil, ""), survey.AnswerInput{QuestionID: q[3].ID, Text: "   "})); err != nil {
			t.Errorf("required questions only: %v", err)
		}
		wantCode(t, "answering twice", f.svc.Submit(ctx, f.as("B1"), sv.ID, valid()), core.ECONFLICT)
		mine, err := f.svc.MySurveys(ctx, f.as("B1"))
		if err != nil || len(mine) != 1 || !mine[0].Answered || mine[0].CanAnswer || !mine[0].AnsweredAt.Equal(f.clock.Now()) {
			t.Errorf("B1's list after answering: %+v %v", mine, err)
		}
		if got, _ := f.svc.FindSurveyByID(ctx, f.lnd, sv.ID); got.Invited != 6 || got.Answered != 2 {
			t.Errorf("progress %d of %d, want 2 of 6", got.Answered, got.Invited)
		}
	})
}

func TestWhoAndWhenMayAnswer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		draft := f.create(t, everyKind(false))
		if _, err := f.svc.Send(ctx, f.lnd, draft.ID, survey.Recipients{OrgUnitIDs: []string{f.units["BE"]}}); err != nil {
			t.Fatal(err)
		}
		good := f.answers(draft, 3, 0, nil, "")
		wantCode(t, "answering a draft", f.svc.Submit(ctx, f.as("B1"), draft.ID, good), core.ECONFLICT)

		sv := f.launch(t, everyKind(false), survey.Recipients{OrgUnitIDs: []string{f.units["BE"]}, PersonIDs: []string{f.ids["E1"]}})
		good = f.answers(sv, 3, 0, nil, "")
		wantCode(t, "S1 is not invited", f.svc.Submit(ctx, f.as("S1"), sv.ID, good), core.ENOTFOUND)
		wantCode(t, "Lise, in L&D, is not invited", f.svc.Submit(ctx, f.as("L2", core.RoleLnDAdmin), sv.ID, good), core.EFORBIDDEN)
		wantCode(t, "the command line is nobody", f.svc.Submit(ctx, core.System, sv.ID, good), core.EFORBIDDEN)
		wantCode(t, "a token without surveys:answer", f.svc.Submit(ctx, &core.Actor{PersonID: f.ids["B1"], Scopes: []core.Permission{core.PermPeopleRead}}, sv.ID, good), core.EFORBIDDEN)
		wantCode(t, "a survey that does not exist", f.svc.Submit(ctx, f.as("B1"), core.NewID(), good), core.ENOTFOUND)
		// The author answers a survey sent to her like anyone else.
		if err := f.svc.Submit(ctx, f.lnd, sv.ID, good); err != nil {
			t.Errorf("Ada answers: %v", err)
		}
		if err := f.svc.Submit(ctx, &core.Actor{PersonID: f.ids["B1"], Scopes: []core.Permission{core.PermSurveysAnswer}}, sv.ID, good); err != nil {
			t.Errorf("B1 answers with a token: %v", err)
		}

		// The deadline stops answers even while the survey is open.
		f.clock.Advance(14*24*time.Hour - time.Second)
		if err := f.svc.Submit(ctx, f.as("B2"), sv.ID, good); err != nil {
			t.Errorf("a second before the deadline: %v", err)
		}
		f.clock.Advance(time.Second)
		wantCode(t, "at the deadline", f.svc.Submit(ctx, f.as("B3"), sv.ID, good), core.ECONFLICT)
		if mine, _ := f.svc.MySurveys(ctx, f.as("B3")); len(mine) != 1 || mine[0].CanAnswer || mine[0].Status != survey.StatusOpen {
			t.Errorf("B3's list after the deadline: %+v", mine)
		}

		closed := f.launch(t, everyKind(false), survey.Recipients{OrgUnitIDs: []string{f.units["BE"]}})
		if err := f.svc.Close(ctx, f.lnd, closed.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "answering a closed survey", f.svc.Submit(ctx, f.as("B1"), closed.ID, f.answers(closed, 3, 0, nil, "")), core.ECONFLICT)
	})
}

// TestAnonymousStorage checks in the tables that an anonymous response holds nothing that leads
// to the person: no person id, no time, a random id; only the unit they were in.
func TestAnonymousStorage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		anon := f.launch(t, everyKind(true), survey.Recipients{OrgUnitIDs: []string{f.units["BE"], f.units["SAL"]}})
		named := f.launch(t, everyKind(false), survey.Recipients{OrgUnitIDs: []string{f.units["BE"]}})
		for _, n := range []string{"B1", "B2", "S1"} {
			if err := f.svc.Submit(ctx, f.as(n), anon.ID, f.answers(anon, 2, 1, []int{1}, "Secret", "SQL")); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(time.Minute)
		}
		if err := f.svc.Submit(ctx, f.as("B1"), named.ID, f.answers(named, 2, 1, nil, "")); err != nil {
			t.Fatal(err)
		}
		rows, err := d.QueryContext(ctx, `SELECT id, person_id, org_unit_id, submitted_at FROM survey_responses WHERE survey_id = ?`, anon.ID)
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]int{}
		for rows.Next() {
			var id string
			var person, unit *string
			var at *time.Time
			if err := rows.Scan(&id, &person, &unit, &at); err != nil {
				t.Fatal(err)
			}
			if person != nil || at != nil {
				t.Errorf("anonymous response %s stores person %v at %v", id, person, at)
			}
			if u, err := uuid.Parse(id); err != nil || u.Version() != 4 {
				t.Errorf("anonymous response id %s is not random (version %d)", id, u.Version())
			}
			if unit != nil {
				units[*unit]++
			}
		}
		rows.Close()
		if units[f.units["BE"]] != 2 || units[f.units["SAL"]] != 1 {
			t.Errorf("responses per unit %v", units)
		}
		// The invitations say who answered (to count progress and refuse a second answer), not what.
		if n := f.count(t, `SELECT count(*) FROM survey_invitations WHERE survey_id = ? AND answered_at IS NOT NULL`, anon.ID); n != 3 {
			t.Errorf("%d invitations answered, want 3", n)
		}
		wantCode(t, "answering an anonymous survey twice", f.svc.Submit(ctx, f.as("B1"), anon.ID, f.answers(anon, 2, 1, nil, "")), core.ECONFLICT)
		// The survey that is not anonymous keeps who answered and when.
		var id, person string
		var at time.Time
		if err := d.QueryRowContext(ctx, `SELECT id, person_id, submitted_at FROM survey_responses WHERE survey_id = ?`, named.ID).Scan(&id, &person, &at); err != nil ||
			person != f.ids["B1"] || !at.Equal(f.clock.Now()) {
			t.Errorf("named response: %s %s %v %v", id, person, at, err)
		}
	})
}
