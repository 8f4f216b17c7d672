package training

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/fold"
	"github.com/learnloop/learnloop/internal/outbox"
)

// Grace is how long after an attempt's time limit a submission still counts: the time a page
// takes to send over a slow connection, not extra time to think.
const Grace = 30 * time.Second

// Attempt is one sitting of a quiz. Before submission it holds the questions without their
// answers; after, each question's result with the right answer and the explanation.
type Attempt struct {
	ID          string     `json:"id"`
	QuizID      string     `json:"quiz_id"`
	QuizKind    string     `json:"quiz_kind"`
	QuizTitle   string     `json:"quiz_title"`
	ItemID      string     `json:"item_id"`
	PersonID    string     `json:"person_id"`
	Number      int        `json:"number"`
	StartedAt   time.Time  `json:"started_at"`
	DeadlineAt  *time.Time `json:"deadline_at,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Score       *float64   `json:"score,omitempty"`
	Passed      *bool      `json:"passed,omitempty"`
	PassMark    int        `json:"pass_mark"`
	// Expired says the time limit passed before the attempt was submitted; it scored 0.
	Expired     bool              `json:"expired"`
	Questions   []AttemptQuestion `json:"questions"`
	ByObjective []ObjectiveScore  `json:"by_objective,omitempty"`
}

// Open reports whether the attempt still takes its submission at now.
func (a *Attempt) Open(now time.Time) bool {
	return a.SubmittedAt == nil && (a.DeadlineAt == nil || now.Before(a.DeadlineAt.Add(Grace)))
}

// AttemptQuestion is a question as the learner sees it, options in the attempt's order. The
// result fields are set only once the attempt is submitted.
type AttemptQuestion struct {
	ID      string          `json:"id"`
	Kind    string          `json:"kind"`
	Prompt  string          `json:"prompt"`
	Points  int             `json:"points"`
	Options []AttemptOption `json:"options,omitempty"`
	// After submission:
	Response    *Response `json:"response,omitempty"`
	Earned      *float64  `json:"earned,omitempty"`
	Correct     *bool     `json:"correct,omitempty"`
	Explanation string    `json:"explanation,omitempty"`
	// Answer says what was right: the right options' texts in order, or the accepted answers.
	Answer []string `json:"answer,omitempty"`
	objID  string
}

// AttemptOption is an option as shown, without whether it is right.
type AttemptOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Response is a learner's answer to one question: the chosen options (in order, for ordering
// questions) or the typed text.
type Response struct {
	OptionIDs []string `json:"option_ids,omitempty"`
	Text      string   `json:"text,omitempty"`
}

// ObjectiveScore is the share of points earned on the questions of one objective.
type ObjectiveScore struct {
	ObjectiveID string  `json:"objective_id"`
	Text        string  `json:"text"`
	Earned      float64 `json:"earned"`
	Possible    float64 `json:"possible"`
	Score       float64 `json:"score"`
}

// layout is what an attempt drew: questions in the order shown, with each one's option order.
type layout []struct {
	Q string   `json:"q"`
	O []string `json:"o,omitempty"`
}

// StartAttempt begins an attempt at a quiz for the actor, or returns the attempt they have open.
// The attempt limit holds against parallel requests: attempts of one person at one quiz are
// numbered under the lock of their enrollment.
func (s *Service) StartAttempt(ctx context.Context, actor *core.Actor, quizID string) (*Attempt, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return nil, err
	}
	if actor.PersonID == "" {
		return nil, core.Errorf(core.EFORBIDDEN, "only a person takes a test")
	}
	var id string
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		z, err := s.findQuiz(ctx, tx, quizID)
		if err != nil {
			return err
		}
		it, err := s.findItem(ctx, tx, z.ItemID)
		if err != nil {
			return err
		}
		if it.Status == StatusDraft && !mayRun(actor) {
			return core.NotFound("quiz")
		}
		now := s.Clock.Now()
		open, err := s.openEnrollment(ctx, tx, actor.PersonID, z.ItemID)
		if err != nil {
			return err
		}
		if open == nil {
			valid, err := s.holdsValid(ctx, tx, actor.PersonID, z.ItemID, now)
			if err != nil {
				return err
			}
			if valid {
				return core.Errorf(core.ECONFLICT, "you have completed %q and your completion is still valid", it.Title)
			}
		}
		e, err := s.enrollmentFor(ctx, tx, actor, z.ItemID, now)
		if err != nil {
			return err
		}
		// The enrollment's lock serializes this person's attempts (PostgreSQL; SQLite's writer
		// does it anyway), so two requests cannot both take the last attempt.
		if _, err := s.findEnrollment(ctx, tx, e.ID); err != nil {
			return err
		}
		pending, err := s.openAttempt(ctx, tx, z, actor.PersonID, now)
		if err != nil || pending != "" {
			id = pending
			return err
		}
		// Attempts count per enrollment, so a renewal starts with the full allowance; their
		// numbers run on across enrollments.
		var used, number int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM quiz_attempts WHERE quiz_id = ? AND enrollment_id = ?),
			(SELECT COALESCE(max(number), 0) FROM quiz_attempts WHERE quiz_id = ? AND person_id = ?)`, z.ID, e.ID, z.ID, actor.PersonID).Scan(&used, &number); err != nil {
			return err
		}
		switch {
		case z.Kind == QuizPreTest && used > 0:
			return core.Errorf(core.ECONFLICT, "the pre-test is taken once, before the training")
		case z.MaxAttempts > 0 && used >= z.MaxAttempts:
			return core.Errorf(core.ECONFLICT, "you have used all %d attempts at this test; ask L&D for another", z.MaxAttempts)
		}
		bank, err := questions(ctx, tx, z.ItemID, "AND NOT q.retired")
		if err != nil {
			return err
		}
		lay := draw(z, bank, seed())
		if len(lay) == 0 {
			return core.Errorf(core.ECONFLICT, "this test has no questions yet")
		}
		b, err := json.Marshal(lay)
		if err != nil {
			return err
		}
		var deadline *time.Time
		if z.TimeLimitMinutes > 0 {
			d := now.Add(time.Duration(z.TimeLimitMinutes) * time.Minute)
			deadline = &d
		}
		id = core.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_attempts (id, quiz_id, person_id, enrollment_id, number, layout, started_at, deadline_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, z.ID, actor.PersonID, e.ID, number+1, string(b), now, deadline); err != nil {
			if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
				return core.Errorf(core.ECONFLICT, "another attempt was started at the same moment; reload the page")
			}
			return fmt.Errorf("start attempt: %w", err)
		}
		return s.start(ctx, tx, e, now)
	})
	if err != nil {
		return nil, err
	}
	return s.FindAttempt(ctx, actor, id)
}

// openAttempt returns the id of the person's attempt at the quiz that still takes a submission,
// closing as expired (scored 0) any whose time ran out.
func (s *Service) openAttempt(ctx context.Context, tx *db.Tx, z *Quiz, personID string, now time.Time) (string, error) {
	var id string
	var deadline *time.Time
	err := tx.QueryRowContext(ctx, `SELECT id, deadline_at FROM quiz_attempts WHERE quiz_id = ? AND person_id = ? AND submitted_at IS NULL
		ORDER BY number DESC LIMIT 1`, z.ID, personID).Scan(&id, &deadline)
	if db.IsNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if deadline != nil && !now.Before(deadline.Add(Grace)) {
		return "", s.expire(ctx, tx, id, *deadline)
	}
	return id, nil
}

// expire closes an attempt whose time ran out: submitted at its deadline with nothing answered.
func (s *Service) expire(ctx context.Context, tx *db.Tx, id string, deadline time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE quiz_attempts SET submitted_at = ?, score = 0, passed = FALSE WHERE id = ? AND submitted_at IS NULL`, deadline, id)
	return err
}

// seed returns a random seed for drawing an attempt.
func seed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// draw picks an attempt's questions from the bank: the quiz's draws per pool (every question of
// the bank without draws), shuffled when the quiz says so, each with its options in the order
// to show them. Ordering questions always show their steps shuffled; true/false keep True first.
func draw(z *Quiz, bank []*Question, seed uint64) layout {
	rng := mrand.New(mrand.NewPCG(seed, seed>>1|1))
	byPool := map[string][]*Question{}
	for _, q := range bank {
		byPool[q.Pool] = append(byPool[q.Pool], q)
	}
	var picked []*Question
	if len(z.Draws) == 0 {
		picked = bank
	} else {
		for _, d := range z.Draws {
			pool := slices.Clone(byPool[d.Pool])
			if d.Count > 0 && d.Count < len(pool) {
				rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
				pool = pool[:d.Count]
				slices.SortFunc(pool, func(a, b *Question) int { return a.Position - b.Position })
			}
			picked = append(picked, pool...)
		}
	}
	picked = slices.Clone(picked)
	if z.ShuffleQuestions {
		rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	}
	out := make(layout, 0, len(picked))
	for _, q := range picked {
		ids := make([]string, len(q.Options))
		for i, o := range q.Options {
			ids[i] = o.ID
		}
		if q.Kind == QuestionOrdering || z.ShuffleOptions && q.Kind != QuestionTrueFalse {
			// A shuffle that lands on the right order would give an ordering question away.
			for range 5 {
				rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				if q.Kind != QuestionOrdering || len(ids) < 2 || !inOrder(ids, q.Options) {
					break
				}
			}
		}
		out = append(out, struct {
			Q string   `json:"q"`
			O []string `json:"o,omitempty"`
		}{q.ID, ids})
	}
	return out
}

func inOrder(ids []string, opts []Option) bool {
	for i, o := range opts {
		if ids[i] != o.ID {
			return false
		}
	}
	return true
}

// FindAttempt returns an attempt for its person, or for those who run training. Answers and
// explanations appear only once it is submitted.
func (s *Service) FindAttempt(ctx context.Context, actor *core.Actor, id string) (*Attempt, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	a, bank, answers, err := s.loadAttempt(ctx, s.DB.Reader(), id)
	if err != nil {
		return nil, err
	}
	if a.PersonID != actor.PersonID && !mayRun(actor) {
		return nil, core.NotFound("attempt")
	}
	s.fill(ctx, a, bank, answers)
	return a, nil
}

type storedAnswer struct {
	response         Response
	earned, possible float64
}

// loadAttempt reads an attempt with its layout, the questions it drew and its answers.
func (s *Service) loadAttempt(ctx context.Context, q db.Queryer, id string) (*Attempt, map[string]*Question, map[string]storedAnswer, error) {
	if !core.ValidID(id) {
		return nil, nil, nil, core.NotFound("attempt")
	}
	lock := ""
	if tx, ok := q.(*db.Tx); ok {
		lock = lockSuffix(tx)
		if lock != "" {
			lock += " OF a"
		}
	}
	var a Attempt
	var lay string
	err := q.QueryRowContext(ctx, `SELECT a.id, a.quiz_id, z.kind, z.title, z.item_id, a.person_id, a.number, a.layout, a.started_at, a.deadline_at,
		a.submitted_at, a.score, a.passed, z.pass_mark FROM quiz_attempts a JOIN quizzes z ON z.id = a.quiz_id WHERE a.id = ?`+lock, id).
		Scan(&a.ID, &a.QuizID, &a.QuizKind, &a.QuizTitle, &a.ItemID, &a.PersonID, &a.Number, &lay, &a.StartedAt, &a.DeadlineAt, &a.SubmittedAt,
			&a.Score, &a.Passed, &a.PassMark)
	if err != nil {
		return nil, nil, nil, notFoundIn("attempt", err)
	}
	a.StartedAt = a.StartedAt.UTC()
	utc(a.DeadlineAt)
	utc(a.SubmittedAt)
	var l layout
	if err := json.Unmarshal([]byte(lay), &l); err != nil {
		return nil, nil, nil, fmt.Errorf("read attempt %s: %w", id, err)
	}
	all, err := questions(ctx, q, a.ItemID, "")
	if err != nil {
		return nil, nil, nil, err
	}
	bank := map[string]*Question{}
	for _, qu := range all {
		bank[qu.ID] = qu
	}
	for _, entry := range l {
		qu := bank[entry.Q]
		if qu == nil {
			continue // removed from the bank with its item's content; nothing to show
		}
		aq := AttemptQuestion{ID: qu.ID, Kind: qu.Kind, Prompt: qu.Prompt, Points: qu.Points, objID: qu.ObjectiveID}
		text := map[string]string{}
		for _, o := range qu.Options {
			text[o.ID] = o.Text
		}
		for _, oid := range entry.O {
			if t, ok := text[oid]; ok {
				aq.Options = append(aq.Options, AttemptOption{ID: oid, Text: t})
			}
		}
		a.Questions = append(a.Questions, aq)
	}
	answers := map[string]storedAnswer{}
	rows, err := q.QueryContext(ctx, `SELECT question_id, response, earned, possible FROM quiz_answers WHERE attempt_id = ?`, id)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var qid, resp string
		var sa storedAnswer
		if err := rows.Scan(&qid, &resp, &sa.earned, &sa.possible); err != nil {
			return nil, nil, nil, err
		}
		_ = json.Unmarshal([]byte(resp), &sa.response)
		answers[qid] = sa
	}
	return &a, bank, answers, rows.Err()
}

// fill adds the results to a submitted attempt: each question's answer, points, the right
// answer and the explanation, and the score per objective.
func (s *Service) fill(ctx context.Context, a *Attempt, bank map[string]*Question, answers map[string]storedAnswer) {
	if a.SubmittedAt == nil {
		return
	}
	a.Expired = a.DeadlineAt != nil && a.SubmittedAt.Equal(*a.DeadlineAt) && len(answers) == 0
	type sum struct{ earned, possible float64 }
	byObj := map[string]*sum{}
	var order []string
	for i := range a.Questions {
		aq := &a.Questions[i]
		qu := bank[aq.ID]
		sa, answered := answers[aq.ID]
		earned, possible := 0.0, float64(qu.Points)
		if answered {
			r := sa.response
			aq.Response = &r
			earned, possible = sa.earned, sa.possible
		}
		correct := earned >= possible && possible > 0
		aq.Earned, aq.Correct, aq.Explanation, aq.Answer = &earned, &correct, qu.Explanation, rightAnswer(qu)
		if aq.objID != "" {
			if byObj[aq.objID] == nil {
				byObj[aq.objID] = &sum{}
				order = append(order, aq.objID)
			}
			byObj[aq.objID].earned += earned
			byObj[aq.objID].possible += possible
		}
	}
	if len(order) == 0 {
		return
	}
	objs, err := findObjectives(ctx, s.DB.Reader(), a.ItemID)
	if err != nil {
		return
	}
	for _, o := range objs {
		if sm := byObj[o.ID]; sm != nil {
			a.ByObjective = append(a.ByObjective, ObjectiveScore{ObjectiveID: o.ID, Text: o.Text, Earned: sm.earned, Possible: sm.possible,
				Score: percent(sm.earned, sm.possible)})
		}
	}
}

// rightAnswer says what the right answer was, for the feedback after submission.
func rightAnswer(q *Question) []string {
	switch q.Kind {
	case QuestionShort:
		return q.Accepted
	case QuestionOrdering:
		out := make([]string, len(q.Options))
		for i, o := range q.Options {
			out[i] = o.Text
		}
		return out
	}
	var out []string
	for _, o := range q.Options {
		if o.Correct {
			out = append(out, o.Text)
		}
	}
	return out
}

func percent(earned, possible float64) float64 {
	if possible <= 0 {
		return 0
	}
	return math.Round(earned/possible*1000) / 10
}

// SubmitAttempt scores an attempt, once. Answers are checked here only: the browser never had
// the right ones. A submission after the time limit, a second submission, or answers to
// questions the attempt did not ask are refused. A passed test completes the item (an
// instructor-led one once attendance is marked too).
func (s *Service) SubmitAttempt(ctx context.Context, actor *core.Actor, id string, answers map[string]Response) (*Attempt, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return nil, err
	}
	var refusal error
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		a, bank, _, err := s.loadAttempt(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.PersonID != actor.PersonID {
			return core.NotFound("attempt")
		}
		now := s.Clock.Now()
		if a.SubmittedAt != nil {
			return core.Errorf(core.ECONFLICT, "this attempt was submitted already, on %s", a.SubmittedAt.Format("2 Jan 2006 15:04 MST"))
		}
		if a.DeadlineAt != nil && !now.Before(a.DeadlineAt.Add(Grace)) {
			// The expiry is kept (the attempt counts, with 0), and the submission refused.
			refusal = core.Errorf(core.ECONFLICT, "the time limit passed at %s; this attempt scored 0", a.DeadlineAt.Format("15:04:05 MST"))
			return s.expire(ctx, tx, a.ID, *a.DeadlineAt)
		}
		asked := map[string]bool{}
		for _, q := range a.Questions {
			asked[q.ID] = true
		}
		var v core.Validation
		for qid := range answers {
			if !asked[qid] {
				v.Add("answers."+qid, "this question is not part of the attempt")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		var earned, possible float64
		rows := make([][]any, 0, len(a.Questions))
		for _, aq := range a.Questions {
			qu := bank[aq.ID]
			r := answers[aq.ID]
			if err := checkResponse(qu, r); err != nil {
				return err
			}
			e := Score(qu, r)
			earned += e
			possible += float64(qu.Points)
			b, _ := json.Marshal(r)
			rows = append(rows, []any{a.ID, qu.ID, string(b), e, float64(qu.Points)})
		}
		if err := db.InsertMany(ctx, tx, "quiz_answers", []string{"attempt_id", "question_id", "response", "earned", "possible"}, rows); err != nil {
			return err
		}
		score := percent(earned, possible)
		passed := score >= float64(a.PassMark)
		if _, err := tx.ExecContext(ctx, `UPDATE quiz_attempts SET submitted_at = ?, score = ?, passed = ? WHERE id = ?`, now, score, passed, a.ID); err != nil {
			return err
		}
		if a.QuizKind != QuizTest {
			return nil
		}
		verb := outbox.Failed
		if passed {
			verb = outbox.Passed
		}
		if err := publish(ctx, tx, outbox.Event{ID: a.ID, Type: verb, PersonID: a.PersonID, At: now, Object: itemRef(a.ItemID), Score: &score, Success: &passed}); err != nil {
			return err
		}
		if !passed {
			return nil
		}
		return s.passed(ctx, tx, actor, a.PersonID, a.ItemID, score, now)
	})
	if err == nil {
		err = refusal
	}
	if err != nil {
		return nil, err
	}
	return s.FindAttempt(ctx, actor, id)
}

// passed completes the person's open enrollment in an item whose test they passed, unless the
// item also needs them to have attended a session.
func (s *Service) passed(ctx context.Context, tx *db.Tx, actor *core.Actor, personID, itemID string, score float64, now time.Time) error {
	e, err := s.openEnrollment(ctx, tx, personID, itemID)
	if err != nil || e == nil {
		return err
	}
	it, err := s.findItem(ctx, tx, itemID)
	if err != nil {
		return err
	}
	if Scheduled(it.Kind) {
		var attended int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM session_registrations WHERE enrollment_id = ? AND attendance = 'attended'`, e.ID).Scan(&attended); err != nil {
			return err
		}
		if attended == 0 {
			return nil
		}
	}
	return s.complete(ctx, tx, actor, e, completion{at: now, score: &score, note: fmt.Sprintf(" (passed the test with %s)", Percent(score))})
}

// checkResponse refuses an answer that cannot belong to the question: options it does not
// have, several options for a single choice, over-long text.
func checkResponse(q *Question, r Response) error {
	field := "answers." + q.ID
	ids := map[string]bool{}
	for _, o := range q.Options {
		ids[o.ID] = true
	}
	seen := map[string]bool{}
	for _, id := range r.OptionIDs {
		if !ids[id] {
			return core.Invalid(field, "an answer names an option the question does not have")
		}
		if seen[id] {
			return core.Invalid(field, "an option is chosen twice")
		}
		seen[id] = true
	}
	switch q.Kind {
	case QuestionSingle, QuestionTrueFalse:
		if len(r.OptionIDs) > 1 {
			return core.Invalid(field, "choose one option")
		}
	case QuestionShort:
		if len(r.OptionIDs) > 0 {
			return core.Invalid(field, "type the answer")
		}
		if len([]rune(r.Text)) > 500 {
			return core.Invalid(field, "an answer has at most 500 characters")
		}
	case QuestionOrdering:
		if len(r.OptionIDs) != 0 && len(r.OptionIDs) != len(q.Options) {
			return core.Invalid(field, "put every step in order")
		}
	}
	return nil
}

// Score returns the points a response earns. Single choice, true/false, short answers and
// ordering earn all or nothing; multiple choice earns its share of the right options chosen,
// less one share for each wrong option chosen, never below zero. Short answers compare folded
// text (case, accents, punctuation and spacing do not matter).
func Score(q *Question, r Response) float64 {
	points := float64(q.Points)
	chosen := map[string]bool{}
	for _, id := range r.OptionIDs {
		chosen[id] = true
	}
	switch q.Kind {
	case QuestionSingle, QuestionTrueFalse:
		for _, o := range q.Options {
			if o.Correct && chosen[o.ID] && len(chosen) == 1 {
				return points
			}
		}
		return 0
	case QuestionMultiple:
		right, hit, miss := 0, 0, 0
		for _, o := range q.Options {
			switch {
			case o.Correct:
				right++
				if chosen[o.ID] {
					hit++
				}
			case chosen[o.ID]:
				miss++
			}
		}
		if right == 0 {
			return 0
		}
		return math.Round(max(0, float64(hit-miss)/float64(right))*points*100) / 100
	case QuestionShort:
		got := fold.String(r.Text)
		if got == "" {
			return 0
		}
		for _, a := range q.Accepted {
			if fold.String(a) == got {
				return points
			}
		}
		return 0
	case QuestionOrdering:
		if len(r.OptionIDs) == len(q.Options) && inOrder(r.OptionIDs, q.Options) {
			return points
		}
		return 0
	}
	return 0
}

// FindAttempts lists the actor's attempts at a quiz (a person's, for those who run training),
// newest first.
func (s *Service) FindAttempts(ctx context.Context, actor *core.Actor, quizID, personID string) ([]*Attempt, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	if personID == "" {
		personID = actor.PersonID
	}
	if personID != actor.PersonID && !mayRun(actor) {
		return nil, core.NotFound("person")
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id FROM quiz_attempts WHERE quiz_id = ? AND person_id = ? ORDER BY number DESC`, quizID, personID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]*Attempt, 0, len(ids))
	for _, id := range ids {
		a, err := s.FindAttempt(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
