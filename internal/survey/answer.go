package survey

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// AnswerInput answers one question; which field carries the answer depends on the question's kind.
// An answer with none of them set leaves the question unanswered.
type AnswerInput struct {
	QuestionID string   `json:"question_id"`
	Scale      int      `json:"scale,omitempty"`   // scale: 1 to the question's ScaleMax
	Choices    []string `json:"choices,omitempty"` // single and multiple: option ids; skills: skill ids
	Text       string   `json:"text,omitempty"`    // text
}

func (a *AnswerInput) empty() bool { return a.Scale == 0 && len(a.Choices) == 0 && a.Text == "" }

// Submit records the actor's answers to a survey they are invited to, while it is open and
// before its deadline, all in one transaction. A submission is final (see the package
// documentation). The answers of an anonymous survey are stored without the person, without a
// time and under a random id, with only the person's current org unit; the invitation is marked
// answered.
func (s *Service) Submit(ctx context.Context, actor *core.Actor, surveyID string, answers []AnswerInput) error {
	// Every employee may rate their own skills; a token must carry that scope to answer for them.
	if err := actor.Require(core.PermSurveysAnswer); err != nil {
		return err
	}
	if actor.PersonID == "" {
		return &core.Error{Code: core.EFORBIDDEN, Message: "only a person can answer a survey"}
	}
	now := s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, surveyID, true)
		if err != nil {
			return err
		}
		var answeredAt *time.Time
		err = tx.QueryRowContext(ctx, `SELECT answered_at FROM survey_invitations WHERE survey_id = ? AND person_id = ?`, surveyID, actor.PersonID).Scan(&answeredAt)
		if db.IsNoRows(err) {
			// Authors know the survey exists; anyone else learns nothing about it.
			if actor.Can(core.PermSurveysWrite) {
				return &core.Error{Code: core.EFORBIDDEN, Message: "you are not invited to answer this survey"}
			}
			return core.NotFound("survey")
		}
		if err != nil {
			return fmt.Errorf("find invitation: %w", err)
		}
		switch {
		case st.status == StatusDraft:
			return core.Errorf(core.ECONFLICT, "this survey is not open yet")
		case st.status == StatusClosed:
			return core.Errorf(core.ECONFLICT, "this survey is closed")
		case !now.Before(st.deadline):
			return core.Errorf(core.ECONFLICT, "the deadline of this survey has passed")
		case answeredAt != nil:
			return core.Errorf(core.ECONFLICT, "you have already answered this survey")
		}
		questions, err := findQuestions(ctx, tx, surveyID)
		if err != nil {
			return err
		}
		rows, err := checkAnswers(ctx, tx, questions, answers)
		if err != nil {
			return err
		}
		var unit string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(org_unit_id, '') FROM people WHERE id = ?`, actor.PersonID).Scan(&unit); err != nil {
			return fmt.Errorf("find the respondent's unit: %w", err)
		}
		var unitArg any
		if unit != "" {
			unitArg = unit
		}
		res, err := tx.ExecContext(ctx, `UPDATE survey_invitations SET answered_at = ?, org_unit_id = ? WHERE survey_id = ? AND person_id = ? AND answered_at IS NULL`,
			now, unitArg, surveyID, actor.PersonID)
		if err != nil {
			return fmt.Errorf("mark the invitation answered: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return core.Errorf(core.ECONFLICT, "you have already answered this survey")
		}
		// A time-ordered id would carry the moment of answering; an anonymous response gets a
		// random one and neither person nor time.
		responseID, person, submitted := core.NewID(), any(actor.PersonID), any(now)
		if st.anonymous {
			responseID, person, submitted = uuid.NewString(), nil, nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (id, survey_id, person_id, org_unit_id, submitted_at) VALUES (?, ?, ?, ?, ?)`,
			responseID, surveyID, person, unitArg, submitted); err != nil {
			return fmt.Errorf("store response: %w", db.FormatError(err))
		}
		for _, r := range rows {
			r[0] = responseID
		}
		return db.InsertMany(ctx, tx, "survey_answers", []string{"response_id", "question_id", "item", "number", "text"}, rows)
	})
}

// checkAnswers validates answers against the questions and returns the rows to store, each with
// a blank response id in front. Every problem is reported under "answers.<question id>".
func checkAnswers(ctx context.Context, q db.Queryer, questions []*Question, answers []AnswerInput) ([][]any, error) {
	var v core.Validation
	byID := map[string]*Question{}
	for _, qu := range questions {
		byID[qu.ID] = qu
	}
	given := map[string]*AnswerInput{}
	answers = slices.Clone(answers)
	for i := range answers {
		a := &answers[i]
		a.Choices = slices.Clone(a.Choices)
		a.QuestionID, a.Text = strings.TrimSpace(a.QuestionID), strings.TrimSpace(a.Text)
		for j := range a.Choices {
			a.Choices[j] = strings.TrimSpace(a.Choices[j])
		}
		switch {
		case byID[a.QuestionID] == nil:
			v.Add("answers", "answer %d is for a question that is not in this survey", i+1)
		case given[a.QuestionID] != nil:
			v.Add("answers."+a.QuestionID, "this question is answered twice")
		default:
			given[a.QuestionID] = a
		}
	}
	var rows [][]any
	skillFields := map[string][]string{} // skill id → the answers naming it
	for _, qu := range questions {
		field := "answers." + qu.ID
		a := given[qu.ID]
		if a == nil || a.empty() {
			if qu.Required {
				v.Add(field, "answer this question")
			}
			continue
		}
		switch qu.Kind {
		case QuestionScale:
			if a.Scale < 1 || a.Scale > qu.ScaleMax || len(a.Choices) > 0 || a.Text != "" {
				v.Add(field, "choose a value from 1 to %d", qu.ScaleMax)
				continue
			}
			rows = append(rows, []any{"", qu.ID, "", a.Scale, nil})
		case QuestionText:
			if a.Scale != 0 || len(a.Choices) > 0 {
				v.Add(field, "answer in words")
				continue
			}
			if runes(a.Text) > qu.MaxLength {
				v.Add(field, "must be at most %d characters", qu.MaxLength)
				continue
			}
			rows = append(rows, []any{"", qu.ID, "", nil, a.Text})
		case QuestionSingle, QuestionMultiple, QuestionSkills:
			if msg := checkChoices(qu, a); msg != "" {
				v.Add(field, "%s", msg)
				continue
			}
			for _, c := range a.Choices {
				rows = append(rows, []any{"", qu.ID, c, nil, nil})
				if qu.Kind == QuestionSkills {
					skillFields[c] = append(skillFields[c], field)
				}
			}
		}
	}
	if len(skillFields) > 0 {
		live, err := liveSkills(ctx, q, skillFields)
		if err != nil {
			return nil, err
		}
		for id, fields := range skillFields {
			if !live[id] {
				for _, f := range fields {
					v.Add(f, "%q is not a skill of the framework, or it is retired", id)
				}
			}
		}
	}
	return rows, v.Err()
}

// checkChoices returns what is wrong with the choices of a choice or skills answer, or "".
func checkChoices(qu *Question, a *AnswerInput) string {
	if a.Scale != 0 || a.Text != "" {
		return "choose from the options"
	}
	if qu.Kind == QuestionSingle && len(a.Choices) != 1 {
		return "choose one option"
	}
	limit := qu.MaxChoices
	if qu.Kind == QuestionSkills && (limit == 0 || limit > maxSkillChoices) {
		limit = maxSkillChoices
	}
	if limit > 0 && len(a.Choices) > limit {
		return fmt.Sprintf("choose at most %d", limit)
	}
	for i, c := range a.Choices {
		if slices.Contains(a.Choices[:i], c) {
			return "each choice counts once"
		}
		if qu.Kind == QuestionSkills {
			if !core.ValidID(c) {
				return fmt.Sprintf("%q is not a skill of the framework", c)
			}
			continue
		}
		if !slices.ContainsFunc(qu.Options, func(o Option) bool { return o.ID == c }) {
			return fmt.Sprintf("%q is not one of the options", c)
		}
	}
	return ""
}

// liveSkills returns which of the skills exist and are not retired.
func liveSkills(ctx context.Context, q db.Queryer, ids map[string][]string) (map[string]bool, error) {
	args := make([]any, 0, len(ids))
	for id := range ids {
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM skills WHERE retired_at IS NULL AND id IN `+db.In(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("check skills: %w", err)
	}
	defer rows.Close()
	live := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		live[id] = true
	}
	return live, rows.Err()
}
