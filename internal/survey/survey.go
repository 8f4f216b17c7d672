// Package survey is a general survey engine. L&D builds a questionnaire (scales, single and
// multiple choices, free text, skills picked from the framework), sends it to people and org
// units with a deadline, people answer it once, and the answers are aggregated per org unit.
// Learning needs analysis is its first use (see DefaultLNA); reaction surveys and 360 feedback
// are meant to reuse it through their own kinds.
//
// # Life of a survey
//
// A survey is a draft while its author edits it; Open makes it answerable and freezes it; Close,
// or the deadline, stops answers. Sending creates one invitation per person (everyone active in a
// unit and the units below it, and people named one by one); sending again invites only people
// not yet invited. A person answers once: a submission is final. Changing an answer would need a
// link from the person to their response, which an anonymous survey must not have, and one rule
// for both kinds of survey is easier to explain to the people answering.
//
// # Anonymity
//
// An anonymous survey stores each response without the person, without any time, and under a
// random (version 4) id rather than the time-ordered ids used elsewhere, whose leading bits are
// the moment of creation. What it keeps is the respondent's org unit at the time of answering,
// for grouping. The invitation is marked answered in the same transaction, so progress is
// countable and nobody answers twice, but no column of a response leads back to it; on SQLite
// the response tables keep no insertion order either (WITHOUT ROWID).
//
// Results of an anonymous survey never show a group of fewer than MinGroup responses. Hiding the
// small groups alone is not enough: a unit of 6 responses shown beside a sub-unit of 5 gives away
// the sixth by subtraction. So the groups to hide are chosen once for the whole org tree (see
// suppress): every shown group, minus the shown groups inside it, leaves either nothing or at
// least MinGroup responses, and every query of the results reads that one decision.
//
// The limits, stated plainly. Results read while a survey is open can be compared before and
// after one more answer arrives; showing an anonymous survey's answers only once it has closed
// would end that, at the cost of watching results come in. A free-text answer may identify its
// writer by what it says. Beyond what learnloop shows, anyone who administers the database
// server can link a response to its invitation through the engine's internals (PostgreSQL's
// transaction ids and physical row order, the write-ahead log, statement logs), and a unit of one
// person makes that person's stored response plain to someone reading the tables directly.
package survey

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Service is the survey domain service.
type Service struct {
	DB    *db.DB
	Clock core.Clock
}

// NewService returns a Service.
func NewService(d *db.DB, clock core.Clock) *Service {
	return &Service{DB: d, Clock: clock}
}

func (s *Service) audit(ctx context.Context, tx *db.Tx, actor *core.Actor, e audit.Entry) error {
	return audit.Record(ctx, tx, s.Clock.Now(), actor, e)
}

// Kinds of survey: what a survey is for, which later decides where its results are shown.
const (
	KindLNA      = "lna"      // learning needs analysis
	KindReaction = "reaction" // reaction to a training (Kirkpatrick level 1)
	KindFeedback = "feedback" // 360 feedback
	KindGeneral  = "general"
)

// Kinds lists the kinds of survey.
var Kinds = []string{KindLNA, KindReaction, KindFeedback, KindGeneral}

// Statuses of a survey.
const (
	StatusDraft  = "draft"
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Kinds of question.
const (
	QuestionScale    = "scale"    // a value from 1 to ScaleMax
	QuestionSingle   = "single"   // one of Options
	QuestionMultiple = "multiple" // any of Options, up to MaxChoices
	QuestionText     = "text"     // free text of up to MaxLength characters
	QuestionSkills   = "skills"   // skills of the framework, up to MaxChoices
)

// QuestionKinds lists the kinds of question.
var QuestionKinds = []string{QuestionScale, QuestionSingle, QuestionMultiple, QuestionText, QuestionSkills}

// MinGroup is the smallest number of responses an anonymous survey shows as a group.
const MinGroup = 5

// Limits of a questionnaire.
const (
	maxQuestions      = 100
	maxOptions        = 50
	maxScale          = 10
	maxTextLength     = 10000
	defaultTextLength = 2000
	maxSkillChoices   = 50
)

// Survey is a questionnaire with its audience and deadline.
type Survey struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Kind          string     `json:"kind"`
	Anonymous     bool       `json:"anonymous"`
	Status        string     `json:"status"`
	Deadline      time.Time  `json:"deadline"`
	CreatedBy     string     `json:"created_by,omitempty"` // the author's person id
	CreatedByName string     `json:"created_by_name,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	OpenedAt      *time.Time `json:"opened_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	// Invited and Answered count the invitations; they are zero for someone who only answers.
	Invited   int         `json:"invited"`
	Answered  int         `json:"answered"`
	Questions []*Question `json:"questions,omitempty"`
}

// AcceptsAnswers reports whether the survey takes answers at now: open and before its deadline.
func (sv *Survey) AcceptsAnswers(now time.Time) bool {
	return sv.Status == StatusOpen && now.Before(sv.Deadline)
}

// Question is one question of a survey. Which fields matter depends on its kind.
type Question struct {
	ID         string   `json:"id"`
	Position   int      `json:"position"` // 1 for the first question
	Kind       string   `json:"kind"`
	Prompt     string   `json:"prompt"`
	Help       string   `json:"help"`
	Required   bool     `json:"required"`
	ScaleMax   int      `json:"scale_max,omitempty"`
	LowLabel   string   `json:"low_label,omitempty"`  // what 1 means
	HighLabel  string   `json:"high_label,omitempty"` // what ScaleMax means
	Options    []Option `json:"options,omitempty"`
	MaxChoices int      `json:"max_choices,omitempty"` // 0: no limit but the options (or 50 skills)
	MaxLength  int      `json:"max_length,omitempty"`
}

// Option is one choice of a choice question.
type Option struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// SurveyInput creates a survey or replaces a draft.
type SurveyInput struct {
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Kind        string          `json:"kind"`
	Anonymous   bool            `json:"anonymous"`
	Deadline    time.Time       `json:"deadline"`
	Questions   []QuestionInput `json:"questions"`
}

// QuestionInput is one question of a SurveyInput, in order.
type QuestionInput struct {
	// ID keeps the id of a question of the draft being updated; a new question leaves it empty.
	ID         string        `json:"id"`
	Kind       string        `json:"kind"`
	Prompt     string        `json:"prompt"`
	Help       string        `json:"help"`
	Required   bool          `json:"required"`
	ScaleMax   int           `json:"scale_max"`
	LowLabel   string        `json:"low_label"`
	HighLabel  string        `json:"high_label"`
	Options    []OptionInput `json:"options"`
	MaxChoices int           `json:"max_choices"`
	MaxLength  int           `json:"max_length"`
}

// OptionInput is one choice of a QuestionInput; ID works as QuestionInput.ID does.
type OptionInput struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func runes(s string) int { return len([]rune(s)) }

func (in *SurveyInput) normalize() {
	in.Title = oneLine(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if in.Kind == "" {
		in.Kind = KindGeneral
	}
	in.Deadline = in.Deadline.UTC().Truncate(time.Microsecond)
	for i := range in.Questions {
		in.Questions[i].normalize()
	}
}

// normalize tidies the text and clears the fields the question's kind does not use.
func (in *QuestionInput) normalize() {
	in.ID = strings.TrimSpace(in.ID)
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	in.Prompt, in.Help = oneLine(in.Prompt), strings.TrimSpace(in.Help)
	in.LowLabel, in.HighLabel = oneLine(in.LowLabel), oneLine(in.HighLabel)
	for i := range in.Options {
		in.Options[i].ID, in.Options[i].Label = strings.TrimSpace(in.Options[i].ID), oneLine(in.Options[i].Label)
	}
	if in.Kind != QuestionScale {
		in.ScaleMax, in.LowLabel, in.HighLabel = 0, "", ""
	}
	if in.Kind != QuestionSingle && in.Kind != QuestionMultiple {
		in.Options = nil
	}
	if in.Kind != QuestionMultiple && in.Kind != QuestionSkills {
		in.MaxChoices = 0
	}
	if in.Kind != QuestionText {
		in.MaxLength = 0
	} else if in.MaxLength == 0 {
		in.MaxLength = defaultTextLength
	}
}

func (in *SurveyInput) validate(now time.Time) error {
	var v core.Validation
	if in.Title == "" {
		v.Add("title", "enter a title")
	}
	if runes(in.Title) > 200 {
		v.Add("title", "must be at most 200 characters")
	}
	if runes(in.Description) > 4000 {
		v.Add("description", "must be at most 4000 characters")
	}
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "choose one of %s", strings.Join(Kinds, ", "))
	}
	if in.Deadline.IsZero() {
		v.Add("deadline", "set a deadline")
	} else if !in.Deadline.After(now) {
		v.Add("deadline", "the deadline must be in the future")
	}
	if len(in.Questions) > maxQuestions {
		v.Add("questions", "a survey has at most %d questions", maxQuestions)
	}
	for i := range in.Questions {
		in.Questions[i].validate(&v, fmt.Sprintf("questions[%d]", i))
	}
	return v.Err()
}

func (in *QuestionInput) validate(v *core.Validation, field string) {
	if !slices.Contains(QuestionKinds, in.Kind) {
		v.Add(field+".kind", "choose one of %s", strings.Join(QuestionKinds, ", "))
	}
	if in.Prompt == "" {
		v.Add(field+".prompt", "enter the question")
	}
	if runes(in.Prompt) > 500 {
		v.Add(field+".prompt", "must be at most 500 characters")
	}
	if runes(in.Help) > 1000 {
		v.Add(field+".help", "must be at most 1000 characters")
	}
	switch in.Kind {
	case QuestionScale:
		if in.ScaleMax < 2 || in.ScaleMax > maxScale {
			v.Add(field+".scale_max", "a scale has 2 to %d points", maxScale)
		}
		if runes(in.LowLabel) > 100 || runes(in.HighLabel) > 100 {
			v.Add(field+".low_label", "the labels of the ends are at most 100 characters")
		}
	case QuestionSingle, QuestionMultiple:
		if len(in.Options) < 2 || len(in.Options) > maxOptions {
			v.Add(field+".options", "offer 2 to %d options", maxOptions)
		}
		seen := map[string]bool{}
		for j, o := range in.Options {
			f := fmt.Sprintf("%s.options[%d].label", field, j)
			switch key := strings.ToLower(o.Label); {
			case o.Label == "":
				v.Add(f, "enter the option")
			case runes(o.Label) > 200:
				v.Add(f, "must be at most 200 characters")
			case seen[key]:
				v.Add(f, "the option %q is there twice", o.Label)
			default:
				seen[key] = true
			}
		}
		if in.MaxChoices < 0 || in.MaxChoices > len(in.Options) {
			v.Add(field+".max_choices", "allow at most as many choices as there are options")
		}
	case QuestionText:
		if in.MaxLength < 1 || in.MaxLength > maxTextLength {
			v.Add(field+".max_length", "a text answer has at most 1 to %d characters", maxTextLength)
		}
	case QuestionSkills:
		if in.MaxChoices < 0 || in.MaxChoices > maxSkillChoices {
			v.Add(field+".max_choices", "allow at most %d skills", maxSkillChoices)
		}
	}
}

// CreateSurvey adds a draft survey with its questions.
func (s *Service) CreateSurvey(ctx context.Context, actor *core.Actor, in SurveyInput) (*Survey, error) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	in.normalize()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	id := core.NewID()
	var author any
	if actor.PersonID != "" {
		author = actor.PersonID
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO surveys (id, title, description, kind, anonymous, status, deadline, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.Title, in.Description, in.Kind, in.Anonymous, StatusDraft, in.Deadline, author, now, now); err != nil {
			return fmt.Errorf("create survey: %w", db.FormatError(err))
		}
		if err := writeQuestions(ctx, tx, id, in.Questions); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.create", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Created the %s survey %q with %d questions", in.Kind, in.Title, len(in.Questions))})
	})
	if err != nil {
		return nil, err
	}
	return s.findSurvey(ctx, s.DB.Reader(), id)
}

// UpdateSurvey replaces a draft: its title, settings and all its questions. An open or closed
// survey cannot change, since people may have answered it.
func (s *Service) UpdateSurvey(ctx context.Context, actor *core.Actor, id string, in SurveyInput) (*Survey, error) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	in.normalize()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if st.status != StatusDraft {
			return core.Errorf(core.ECONFLICT, "this survey is %s; only a draft can be edited", st.status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET title = ?, description = ?, kind = ?, anonymous = ?, deadline = ?, updated_at = ? WHERE id = ?`,
			in.Title, in.Description, in.Kind, in.Anonymous, in.Deadline, now, id); err != nil {
			return fmt.Errorf("update survey: %w", db.FormatError(err))
		}
		if err := keepIDs(ctx, tx, id, in.Questions); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM survey_questions WHERE survey_id = ?`, id); err != nil {
			return fmt.Errorf("replace questions: %w", err)
		}
		if err := writeQuestions(ctx, tx, id, in.Questions); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.update", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Updated the draft survey %q (%d questions)", in.Title, len(in.Questions))})
	})
	if err != nil {
		return nil, err
	}
	return s.findSurvey(ctx, s.DB.Reader(), id)
}

// keepIDs clears the ids of questions and options that are not this survey's, so that writing
// them creates new ones; ids that are kept keep a form's references valid across saves.
func keepIDs(ctx context.Context, tx *db.Tx, surveyID string, qs []QuestionInput) error {
	rows, err := tx.QueryContext(ctx, `SELECT q.id, COALESCE(o.id, '') FROM survey_questions q LEFT JOIN survey_options o ON o.question_id = q.id WHERE q.survey_id = ?`, surveyID)
	if err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	defer rows.Close()
	ownQ, ownO := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var q, o string
		if err := rows.Scan(&q, &o); err != nil {
			return err
		}
		ownQ[q], ownO[o] = true, o != ""
	}
	if err := rows.Err(); err != nil {
		return err
	}
	used := map[string]bool{}
	keep := func(own map[string]bool, id *string) {
		if !own[*id] || used[*id] {
			*id = ""
		}
		used[*id] = true
	}
	for i := range qs {
		keep(ownQ, &qs[i].ID)
		for j := range qs[i].Options {
			keep(ownO, &qs[i].Options[j].ID)
		}
	}
	return nil
}

// writeQuestions inserts the questions and options of a survey, giving new ones their ids.
func writeQuestions(ctx context.Context, tx *db.Tx, surveyID string, qs []QuestionInput) error {
	var qrows, orows [][]any
	for i, q := range qs {
		if q.ID == "" {
			q.ID = core.NewID()
		}
		qrows = append(qrows, []any{q.ID, surveyID, i + 1, q.Kind, q.Prompt, q.Help, q.Required, q.ScaleMax, q.LowLabel, q.HighLabel, q.MaxChoices, q.MaxLength})
		for j, o := range q.Options {
			if o.ID == "" {
				o.ID = core.NewID()
			}
			orows = append(orows, []any{o.ID, q.ID, j + 1, o.Label})
		}
	}
	if err := db.InsertMany(ctx, tx, "survey_questions", []string{"id", "survey_id", "position", "kind", "prompt", "help", "required",
		"scale_max", "low_label", "high_label", "max_choices", "max_length"}, qrows); err != nil {
		return err
	}
	return db.InsertMany(ctx, tx, "survey_options", []string{"id", "question_id", "position", "label"}, orows)
}

// DeleteSurvey removes a draft with its questions and invitations. An open or closed survey stays,
// with its answers.
func (s *Service) DeleteSurvey(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if st.status != StatusDraft {
			return core.Errorf(core.ECONFLICT, "this survey is %s; only a draft can be deleted", st.status)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM surveys WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete survey: %w", db.FormatError(err))
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.delete", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Deleted the draft survey %q", st.title)})
	})
}

// surveyState is what a change needs to know of a survey before making it.
type surveyState struct {
	title     string
	status    string
	deadline  time.Time
	anonymous bool
}

// lockSurvey reads a survey inside tx. On PostgreSQL it locks the row, exclusively for changes of
// the survey and shared for answers, so that no answer slips in beside a Close; SQLite's single
// writer already runs write transactions one at a time.
func lockSurvey(ctx context.Context, tx *db.Tx, id string, share bool) (*surveyState, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("survey")
	}
	lock := ""
	if tx.Dialect() == db.Postgres {
		lock = " FOR UPDATE"
		if share {
			lock = " FOR SHARE"
		}
	}
	var st surveyState
	err := tx.QueryRowContext(ctx, `SELECT title, status, deadline, anonymous FROM surveys WHERE id = ?`+lock, id).Scan(&st.title, &st.status, &st.deadline, &st.anonymous)
	if db.IsNoRows(err) {
		return nil, core.NotFound("survey")
	}
	if err != nil {
		return nil, fmt.Errorf("read survey %s: %w", id, err)
	}
	return &st, nil
}

const surveyColumns = `s.id, s.title, s.description, s.kind, s.anonymous, s.status, s.deadline, COALESCE(s.created_by, ''),
	COALESCE(p.given_name || ' ' || p.family_name, ''), s.created_at, s.updated_at, s.opened_at, s.closed_at,
	(SELECT count(*) FROM survey_invitations i WHERE i.survey_id = s.id),
	(SELECT count(i.answered_at) FROM survey_invitations i WHERE i.survey_id = s.id)`

const surveyFrom = ` FROM surveys s LEFT JOIN people p ON p.id = s.created_by`

func scanSurvey(row interface{ Scan(...any) error }) (*Survey, error) {
	var sv Survey
	err := row.Scan(&sv.ID, &sv.Title, &sv.Description, &sv.Kind, &sv.Anonymous, &sv.Status, &sv.Deadline, &sv.CreatedBy,
		&sv.CreatedByName, &sv.CreatedAt, &sv.UpdatedAt, &sv.OpenedAt, &sv.ClosedAt, &sv.Invited, &sv.Answered)
	sv.Deadline, sv.CreatedAt, sv.UpdatedAt = sv.Deadline.UTC(), sv.CreatedAt.UTC(), sv.UpdatedAt.UTC()
	for _, t := range []**time.Time{&sv.OpenedAt, &sv.ClosedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return &sv, err
}

// findSurvey reads a survey with its questions, without a permission check.
func (s *Service) findSurvey(ctx context.Context, q db.Queryer, id string) (*Survey, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("survey")
	}
	sv, err := scanSurvey(q.QueryRowContext(ctx, `SELECT `+surveyColumns+surveyFrom+` WHERE s.id = ?`, id))
	if db.IsNoRows(err) {
		return nil, core.NotFound("survey")
	}
	if err != nil {
		return nil, fmt.Errorf("find survey %s: %w", id, err)
	}
	if sv.Questions, err = findQuestions(ctx, q, id); err != nil {
		return nil, err
	}
	return sv, nil
}

func findQuestions(ctx context.Context, q db.Queryer, surveyID string) ([]*Question, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, position, kind, prompt, help, required, scale_max, low_label, high_label, max_choices, max_length
		FROM survey_questions WHERE survey_id = ? ORDER BY position`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("find questions: %w", err)
	}
	defer rows.Close()
	out := []*Question{}
	byID := map[string]*Question{}
	for rows.Next() {
		var qu Question
		if err := rows.Scan(&qu.ID, &qu.Position, &qu.Kind, &qu.Prompt, &qu.Help, &qu.Required, &qu.ScaleMax, &qu.LowLabel, &qu.HighLabel, &qu.MaxChoices, &qu.MaxLength); err != nil {
			return nil, err
		}
		out = append(out, &qu)
		byID[qu.ID] = &qu
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	orows, err := q.QueryContext(ctx, `SELECT o.question_id, o.id, o.label FROM survey_options o JOIN survey_questions q ON q.id = o.question_id
		WHERE q.survey_id = ? ORDER BY q.position, o.position`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("find options: %w", err)
	}
	defer orows.Close()
	for orows.Next() {
		var qid string
		var o Option
		if err := orows.Scan(&qid, &o.ID, &o.Label); err != nil {
			return nil, err
		}
		if qu := byID[qid]; qu != nil {
			qu.Options = append(qu.Options, o)
		}
	}
	return out, orows.Err()
}

// FindSurveyByID returns a survey with its questions. Authors (core.PermSurveysWrite) see every
// survey; anyone else sees an open or closed survey they are invited to, without its progress
// counts, and nothing else.
func (s *Service) FindSurveyByID(ctx context.Context, actor *core.Actor, id string) (*Survey, error) {
	if err := actor.Require(core.PermSurveysAnswer); err != nil {
		return nil, err
	}
	q := s.DB.Reader()
	if actor.Can(core.PermSurveysWrite) {
		return s.findSurvey(ctx, q, id)
	}
	if actor.PersonID == "" || !core.ValidID(id) {
		return nil, core.NotFound("survey")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id
		WHERE i.survey_id = ? AND i.person_id = ? AND s.status <> ?`, id, actor.PersonID, StatusDraft).Scan(&n); err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	if n == 0 {
		return nil, core.NotFound("survey")
	}
	sv, err := s.findSurvey(ctx, q, id)
	if err != nil {
		return nil, err
	}
	sv.Invited, sv.Answered = 0, 0
	return sv, nil
}

// SurveyFilter selects surveys; empty fields do not filter.
type SurveyFilter struct {
	Kind   string
	Status string
	Cursor string
	Limit  int
}

// FindSurveys returns one page of surveys for their authors, newest first, without their
// questions, and the cursor of the next page ("" on the last).
func (s *Service) FindSurveys(ctx context.Context, actor *core.Actor, f SurveyFilter) ([]*Survey, string, error) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return nil, "", err
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Kind != "" {
		where, args = append(where, "s.kind = ?"), append(args, f.Kind)
	}
	if f.Status != "" {
		if !slices.Contains([]string{StatusDraft, StatusOpen, StatusClosed}, f.Status) {
			return nil, "", core.Invalid("status", "must be draft, open or closed")
		}
		where, args = append(where, "s.status = ?"), append(args, f.Status)
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "s.id < ?"), append(args, key[0])
	}
	limit := core.ClampLimit(f.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+surveyColumns+surveyFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY s.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find surveys: %w", err)
	}
	defer rows.Close()
	var out []*Survey
	for rows.Next() {
		sv, err := scanSurvey(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, sv)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = core.EncodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}
