package training

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

// Kinds of question.
const (
	QuestionSingle    = "single"       // one right option
	QuestionMultiple  = "multiple"     // every right option and none of the wrong ones
	QuestionTrueFalse = "true_false"   // a statement, true or false
	QuestionShort     = "short_answer" // typed, compared with the accepted answers
	QuestionOrdering  = "ordering"     // the options put in their right order
)

// QuestionKinds lists the kinds of question.
var QuestionKinds = []string{QuestionSingle, QuestionMultiple, QuestionTrueFalse, QuestionShort, QuestionOrdering}

// Kinds of quiz.
const (
	QuizTest    = "test"     // the item's test: passing it completes the item
	QuizPreTest = "pre_test" // taken before, on the same objectives, to measure learning gain
)

// Question is a question of an item's bank, with its answer: only those who run training see it.
type Question struct {
	ID          string   `json:"id"`
	ItemID      string   `json:"item_id"`
	ObjectiveID string   `json:"objective_id,omitempty"`
	Position    int      `json:"position"`
	Pool        string   `json:"pool"`
	Kind        string   `json:"kind"`
	Prompt      string   `json:"prompt"`
	Explanation string   `json:"explanation"`
	Accepted    []string `json:"accepted,omitempty"`
	Points      int      `json:"points"`
	Retired     bool     `json:"retired"`
	Options     []Option `json:"options,omitempty"`
}

// Option is a choice of a question; for ordering questions the options are in their right order.
type Option struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

// QuestionInput writes a question. Choice questions list options with the right ones marked;
// true/false questions give Answer; short answers list the accepted answers; ordering questions
// list the options in their right order.
type QuestionInput struct {
	ObjectiveID string        `json:"objective_id"`
	Pool        string        `json:"pool"`
	Kind        string        `json:"kind"`
	Prompt      string        `json:"prompt"`
	Explanation string        `json:"explanation"`
	Points      int           `json:"points"`
	Options     []OptionInput `json:"options"`
	Answer      *bool         `json:"answer,omitempty"`
	Accepted    []string      `json:"accepted"`
}

// OptionInput is one option of a QuestionInput.
type OptionInput struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

func (in *QuestionInput) normalize() {
	in.Kind, in.Pool = strings.ToLower(strings.TrimSpace(in.Kind)), clean(in.Pool)
	in.Prompt, in.Explanation = strings.TrimSpace(in.Prompt), strings.TrimSpace(in.Explanation)
	if in.Points == 0 {
		in.Points = 1
	}
	for i := range in.Options {
		in.Options[i].Text = clean(in.Options[i].Text)
	}
	var acc []string
	for _, a := range in.Accepted {
		if a = clean(a); a != "" && !slices.Contains(acc, a) {
			acc = append(acc, a)
		}
	}
	in.Accepted = acc
	if in.Kind == QuestionTrueFalse {
		if in.Answer == nil && len(in.Options) == 2 {
			// The same question read back and written again: True first.
			t := in.Options[0].Correct
			in.Answer = &t
		}
		if in.Answer != nil {
			in.Options = []OptionInput{{Text: "True", Correct: *in.Answer}, {Text: "False", Correct: !*in.Answer}}
		}
	}
	if in.Kind == QuestionOrdering || in.Kind == QuestionShort {
		for i := range in.Options {
			in.Options[i].Correct = in.Kind == QuestionOrdering
		}
	}
}

func (in *QuestionInput) validate(v *core.Validation) {
	if !slices.Contains(QuestionKinds, in.Kind) {
		v.Add("kind", "choose one of %s", strings.Join(QuestionKinds, ", "))
		return
	}
	if in.Prompt == "" {
		v.Add("prompt", "write the question")
	} else if len([]rune(in.Prompt)) > maxText {
		v.Add("prompt", "must be at most %d characters", maxText)
	}
	if len([]rune(in.Explanation)) > maxText {
		v.Add("explanation", "must be at most %d characters", maxText)
	}
	if len([]rune(in.Pool)) > 100 {
		v.Add("pool", "must be at most 100 characters")
	}
	if in.Points < 1 || in.Points > 100 {
		v.Add("points", "a question is worth 1 to 100 points")
	}
	if in.ObjectiveID != "" && !core.ValidID(in.ObjectiveID) {
		v.Add("objective_id", "unknown objective")
	}
	right := 0
	for i, o := range in.Options {
		if o.Text == "" {
			v.Add(fmt.Sprintf("options[%d].text", i), "write the option, or remove it")
		} else if len([]rune(o.Text)) > 500 {
			v.Add(fmt.Sprintf("options[%d].text", i), "must be at most 500 characters")
		}
		if o.Correct {
			right++
		}
	}
	switch in.Kind {
	case QuestionSingle:
		if len(in.Options) < 2 || len(in.Options) > 12 {
			v.Add("options", "give 2 to 12 options")
		} else if right != 1 {
			v.Add("options", "mark exactly one option right")
		}
	case QuestionMultiple:
		if len(in.Options) < 2 || len(in.Options) > 12 {
			v.Add("options", "give 2 to 12 options")
		} else if right < 1 {
			v.Add("options", "mark at least one option right")
		}
	case QuestionTrueFalse:
		if in.Answer == nil {
			v.Add("answer", "say whether the statement is true or false")
		}
	case QuestionShort:
		if len(in.Accepted) == 0 {
			v.Add("accepted", "list at least one accepted answer")
		}
		if len(in.Accepted) > 20 {
			v.Add("accepted", "list at most 20 accepted answers")
		}
		if len(in.Options) > 0 {
			v.Add("options", "a short-answer question has no options")
		}
	case QuestionOrdering:
		if len(in.Options) < 2 || len(in.Options) > 12 {
			v.Add("options", "give 2 to 12 steps in their right order")
		}
	}
}

const questionColumns = `q.id, q.item_id, COALESCE(q.objective_id, ''), q.position, q.pool, q.kind, q.prompt, q.explanation, q.accepted, q.points, q.retired`

func scanQuestion(row interface{ Scan(...any) error }) (*Question, error) {
	var q Question
	var accepted string
	if err := row.Scan(&q.ID, &q.ItemID, &q.ObjectiveID, &q.Position, &q.Pool, &q.Kind, &q.Prompt, &q.Explanation, &accepted, &q.Points, &q.Retired); err != nil {
		return nil, err
	}
	if accepted != "" {
		q.Accepted = strings.Split(accepted, "\n")
	}
	return &q, nil
}

// questions reads questions of an item (where is extra SQL on q), with their options.
func questions(ctx context.Context, qr db.Queryer, itemID, where string, args ...any) ([]*Question, error) {
	rows, err := qr.QueryContext(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.item_id = ? `+where+` ORDER BY q.position, q.id`,
		append([]any{itemID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("find questions: %w", err)
	}
	var out []*Question
	byID := map[string]*Question{}
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, q)
		byID[q.ID] = q
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = qr.QueryContext(ctx, `SELECT o.question_id, o.id, o.text, o.correct FROM question_options o JOIN questions q ON q.id = o.question_id
		WHERE q.item_id = ? ORDER BY o.question_id, o.position`, itemID)
	if err != nil {
		return nil, fmt.Errorf("find options: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var qid string
		var o Option
		if err := rows.Scan(&qid, &o.ID, &o.Text, &o.Correct); err != nil {
			return nil, err
		}
		if q := byID[qid]; q != nil {
			q.Options = append(q.Options, o)
		}
	}
	return out, rows.Err()
}

// FindQuestions returns an item's question bank with the answers, for those who run training.
func (s *Service) FindQuestions(ctx context.Context, actor *core.Actor, itemID string) ([]*Question, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	if err := s.itemExists(ctx, s.DB.Reader(), itemID); err != nil {
		return nil, err
	}
	return questions(ctx, s.DB.Reader(), itemID, "")
}

// SaveQuestion adds a question to an item's bank (id "") or rewrites one. A question already
// answered in an attempt keeps its answers: rewriting it changes what future attempts ask.
func (s *Service) SaveQuestion(ctx context.Context, actor *core.Actor, itemID, id string, in QuestionInput) (*Question, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	in.normalize()
	var v core.Validation
	in.validate(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.itemExists(ctx, tx, itemID); err != nil {
			return err
		}
		if in.ObjectiveID != "" {
			var one int
			if tx.QueryRowContext(ctx, `SELECT 1 FROM objectives WHERE id = ? AND item_id = ?`, in.ObjectiveID, itemID).Scan(&one) != nil {
				return core.Invalid("objective_id", "choose one of the item's objectives")
			}
		}
		now := s.Clock.Now()
		if id == "" {
			id = core.NewID()
			var pos int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) + 1 FROM questions WHERE item_id = ?`, itemID).Scan(&pos); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO questions (id, item_id, objective_id, position, pool, kind, prompt, explanation, accepted, points,
				retired, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)`, id, itemID, nullID(in.ObjectiveID), pos, in.Pool, in.Kind,
				in.Prompt, in.Explanation, strings.Join(in.Accepted, "\n"), in.Points, now, now); err != nil {
				return fmt.Errorf("add question: %w", err)
			}
		} else {
			if !core.ValidID(id) {
				return core.NotFound("question")
			}
			res, err := tx.ExecContext(ctx, `UPDATE questions SET objective_id = ?, pool = ?, kind = ?, prompt = ?, explanation = ?, accepted = ?, points = ?,
				updated_at = ? WHERE id = ? AND item_id = ?`, nullID(in.ObjectiveID), in.Pool, in.Kind, in.Prompt, in.Explanation, strings.Join(in.Accepted, "\n"),
				in.Points, now, id, itemID)
			if err != nil {
				return fmt.Errorf("update question: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return core.NotFound("question")
			}
			if err := s.replaceOptions(ctx, tx, id, in.Options); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, audit.Entry{Action: "training.question_update", TargetType: "learning_item", TargetID: itemID,
				Summary: fmt.Sprintf("Changed a question: %.80s", in.Prompt)})
		}
		if err := s.replaceOptions(ctx, tx, id, in.Options); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.question_add", TargetType: "learning_item", TargetID: itemID,
			Summary: fmt.Sprintf("Added a question: %.80s", in.Prompt)})
	})
	if err != nil {
		return nil, err
	}
	qs, err := questions(ctx, s.DB.Reader(), itemID, "AND q.id = ?", id)
	if err != nil || len(qs) == 0 {
		return nil, notFoundIn("question", err)
	}
	return qs[0], nil
}

// replaceOptions rewrites a question's options. Options that answers refer to by id keep their
// ids where their text is unchanged, so past attempts still read back.
func (s *Service) replaceOptions(ctx context.Context, tx *db.Tx, questionID string, in []OptionInput) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, text FROM question_options WHERE question_id = ?`, questionID)
	if err != nil {
		return err
	}
	old := map[string]string{} // text → id
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return err
		}
		old[text] = id
	}
	rows.Close()
	if _, err := tx.ExecContext(ctx, `DELETE FROM question_options WHERE question_id = ?`, questionID); err != nil {
		return err
	}
	var out [][]any
	for i, o := range in {
		id := old[o.Text]
		if id == "" {
			id = core.NewID()
		}
		delete(old, o.Text)
		out = append(out, []any{id, questionID, i + 1, o.Text, o.Correct})
	}
	return db.InsertMany(ctx, tx, "question_options", []string{"id", "question_id", "position", "text", "correct"}, out)
}

// RetireQuestion takes a question out of future attempts (retire true) or puts it back. Past
// attempts keep it.
func (s *Service) RetireQuestion(ctx context.Context, actor *core.Actor, itemID, id string, retire bool) error {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return err
	}
	if !core.ValidID(id) {
		return core.NotFound("question")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE questions SET retired = ?, updated_at = ? WHERE id = ? AND item_id = ?`, retire, s.Clock.Now(), id, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.NotFound("question")
		}
		verb := "Retired"
		if !retire {
			verb = "Restored"
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.question_retire", TargetType: "learning_item", TargetID: itemID, Summary: verb + " a question"})
	})
}

// Quiz is a test of an item drawn from its question bank.
type Quiz struct {
	ID               string    `json:"id"`
	ItemID           string    `json:"item_id"`
	Kind             string    `json:"kind"`
	Title            string    `json:"title"`
	PassMark         int       `json:"pass_mark"`
	MaxAttempts      int       `json:"max_attempts"`
	TimeLimitMinutes int       `json:"time_limit_minutes"`
	ShuffleQuestions bool      `json:"shuffle_questions"`
	ShuffleOptions   bool      `json:"shuffle_options"`
	Draws            []Draw    `json:"draws"`
	Questions        int       `json:"questions"` // how many questions an attempt asks
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Draw says how many questions of a pool an attempt asks; 0 asks every question of the pool.
// A quiz without draws asks every question of the bank.
type Draw struct {
	Pool  string `json:"pool"`
	Count int    `json:"count"`
}

// QuizInput writes an item's quiz of a kind.
type QuizInput struct {
	Title            string `json:"title"`
	PassMark         int    `json:"pass_mark"`
	MaxAttempts      int    `json:"max_attempts"`
	TimeLimitMinutes int    `json:"time_limit_minutes"`
	ShuffleQuestions bool   `json:"shuffle_questions"`
	ShuffleOptions   bool   `json:"shuffle_options"`
	Draws            []Draw `json:"draws"`
}

const quizColumns = `z.id, z.item_id, z.kind, z.title, z.pass_mark, z.max_attempts, z.time_limit_minutes, z.shuffle_questions, z.shuffle_options,
	z.created_at, z.updated_at`

func (s *Service) quizzes(ctx context.Context, q db.Queryer, where string, args ...any) ([]*Quiz, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+quizColumns+` FROM quizzes z WHERE `+where+` ORDER BY z.kind DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("find quizzes: %w", err)
	}
	var out []*Quiz
	for rows.Next() {
		var z Quiz
		if err := rows.Scan(&z.ID, &z.ItemID, &z.Kind, &z.Title, &z.PassMark, &z.MaxAttempts, &z.TimeLimitMinutes, &z.ShuffleQuestions, &z.ShuffleOptions,
			&z.CreatedAt, &z.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		z.CreatedAt, z.UpdatedAt = z.CreatedAt.UTC(), z.UpdatedAt.UTC()
		z.Draws = []Draw{}
		out = append(out, &z)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, z := range out {
		drows, err := q.QueryContext(ctx, `SELECT pool, draw FROM quiz_draws WHERE quiz_id = ? ORDER BY pool`, z.ID)
		if err != nil {
			return nil, err
		}
		for drows.Next() {
			var d Draw
			if err := drows.Scan(&d.Pool, &d.Count); err != nil {
				drows.Close()
				return nil, err
			}
			z.Draws = append(z.Draws, d)
		}
		drows.Close()
		bank, err := s.bankSizes(ctx, q, z.ItemID)
		if err != nil {
			return nil, err
		}
		z.Questions = z.asks(bank)
	}
	return out, nil
}

// bankSizes counts an item's active questions per pool.
func (s *Service) bankSizes(ctx context.Context, q db.Queryer, itemID string) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT pool, count(*) FROM questions WHERE item_id = ? AND NOT retired GROUP BY pool`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var pool string
		var n int
		if err := rows.Scan(&pool, &n); err != nil {
			return nil, err
		}
		out[pool] = n
	}
	return out, rows.Err()
}

// asks returns how many questions an attempt asks given the bank's pool sizes.
func (z *Quiz) asks(bank map[string]int) int {
	n := 0
	if len(z.Draws) == 0 {
		for _, c := range bank {
			n += c
		}
		return n
	}
	for _, d := range z.Draws {
		if d.Count == 0 || d.Count > bank[d.Pool] {
			n += bank[d.Pool]
		} else {
			n += d.Count
		}
	}
	return n
}

// FindQuizzes returns an item's quizzes: its test and its pre-test, when it has them.
func (s *Service) FindQuizzes(ctx context.Context, actor *core.Actor, itemID string) ([]*Quiz, error) {
	if _, err := s.FindItemByID(ctx, actor, itemID); err != nil {
		return nil, err
	}
	return s.quizzes(ctx, s.DB.Reader(), "z.item_id = ?", itemID)
}

func (s *Service) findQuiz(ctx context.Context, q db.Queryer, id string) (*Quiz, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("quiz")
	}
	zs, err := s.quizzes(ctx, q, "z.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(zs) == 0 {
		return nil, core.NotFound("quiz")
	}
	return zs[0], nil
}

// SetQuiz creates or replaces an item's test (kind test) or pre-test (kind pre_test).
func (s *Service) SetQuiz(ctx context.Context, actor *core.Actor, itemID, kind string, in QuizInput) (*Quiz, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	in.Title = clean(in.Title)
	var v core.Validation
	if kind != QuizTest && kind != QuizPreTest {
		v.Add("kind", "a quiz is the item's test or its pre-test")
	}
	if len([]rune(in.Title)) > maxTitle {
		v.Add("title", "must be at most %d characters", maxTitle)
	}
	if in.PassMark < 0 || in.PassMark > 100 {
		v.Add("pass_mark", "enter the pass mark in percent, from 0 to 100")
	}
	if in.MaxAttempts < 0 || in.MaxAttempts > 100 {
		v.Add("max_attempts", "enter from 0 (no limit) to 100 attempts")
	}
	if in.TimeLimitMinutes < 0 || in.TimeLimitMinutes > 600 {
		v.Add("time_limit_minutes", "enter from 0 (no limit) to 600 minutes")
	}
	pools := map[string]bool{}
	for i := range in.Draws {
		in.Draws[i].Pool = clean(in.Draws[i].Pool)
		d := in.Draws[i]
		if pools[d.Pool] {
			v.Add(fmt.Sprintf("draws[%d].pool", i), "the pool is listed twice")
		}
		pools[d.Pool] = true
		if d.Count < 0 || d.Count > 200 {
			v.Add(fmt.Sprintf("draws[%d].count", i), "draw from 0 (every question) to 200 questions")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id string
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		it, err := s.findItem(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if it.Kind == KindPath {
			return core.Invalid("item_id", "a path's steps have the tests, not the path")
		}
		if in.Title == "" {
			in.Title = map[string]string{QuizTest: "Test: ", QuizPreTest: "Pre-test: "}[kind] + it.Title
		}
		now := s.Clock.Now()
		err = tx.QueryRowContext(ctx, `SELECT id FROM quizzes WHERE item_id = ? AND kind = ?`, itemID, kind).Scan(&id)
		switch {
		case db.IsNoRows(err):
			id = core.NewID()
			_, err = tx.ExecContext(ctx, `INSERT INTO quizzes (id, item_id, kind, title, pass_mark, max_attempts, time_limit_minutes, shuffle_questions,
				shuffle_options, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, itemID, kind, in.Title, in.PassMark, in.MaxAttempts,
				in.TimeLimitMinutes, in.ShuffleQuestions, in.ShuffleOptions, now, now)
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE quizzes SET title = ?, pass_mark = ?, max_attempts = ?, time_limit_minutes = ?, shuffle_questions = ?,
				shuffle_options = ?, updated_at = ? WHERE id = ?`, in.Title, in.PassMark, in.MaxAttempts, in.TimeLimitMinutes, in.ShuffleQuestions,
				in.ShuffleOptions, now, id)
		}
		if err != nil {
			return fmt.Errorf("save quiz: %w", err)
		}
		if err := replaceRows(ctx, tx, "quiz_draws", "quiz_id", id, []string{"quiz_id", "pool", "draw"}, func(add func(...any)) {
			for _, d := range in.Draws {
				add(id, d.Pool, d.Count)
			}
		}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.quiz", TargetType: "learning_item", TargetID: itemID,
			Summary: fmt.Sprintf("Set the %s of %q (pass mark %d%%)", strings.ReplaceAll(kind, "_", "-"), it.Title, in.PassMark)})
	})
	if err != nil {
		return nil, err
	}
	return s.findQuiz(ctx, s.DB.Reader(), id)
}

// DeleteQuiz removes a quiz no one has attempted.
func (s *Service) DeleteQuiz(ctx context.Context, actor *core.Actor, quizID string) error {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		z, err := s.findQuiz(ctx, tx, quizID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM quiz_attempts WHERE quiz_id = ?`, quizID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return core.Errorf(core.ECONFLICT, "%d attempts were made at this quiz; it stays as their record", n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM quizzes WHERE id = ?`, quizID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.quiz_delete", TargetType: "learning_item", TargetID: z.ItemID, Summary: "Removed " + z.Title})
	})
}
