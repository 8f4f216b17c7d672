package training_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

// quizItem makes a certifying e-learning item on forklift safety with a bank of one question of
// each kind, tied to its two objectives, and a test (pass mark 70%).
func (f *fixture) quizItem(maxAttempts, minutes int) (*training.Item, *training.Quiz, map[string]*training.Question) {
	f.t.Helper()
	it := f.item("Forklift safety", training.KindELearning, func(in *training.ItemInput) {
		in.Certifying, in.Compliance, in.ValidityMonths = true, true, 12
		in.Skills = []training.ItemSkill{{SkillID: f.skills["Forklift safety"], TargetLevel: 3}}
		in.Objectives = []training.ObjectiveInput{{Text: "Identify the load limits on a data plate"}, {Text: "Carry out the pre-shift checks in order"}}
	})
	lnd := f.actor("E7")
	obj := it.Objectives
	yes := true
	qs := map[string]*training.Question{}
	for name, in := range map[string]training.QuestionInput{
		"single": {Kind: "single", Prompt: "Where is the load limit written?", ObjectiveID: obj[0].ID, Explanation: "On the data plate.",
			Options: []training.OptionInput{{Text: "On the data plate", Correct: true}, {Text: "On the mast"}, {Text: "In the manual only"}}},
		"multiple": {Kind: "multiple", Prompt: "Which change the load limit?", ObjectiveID: obj[0].ID,
			Options: []training.OptionInput{{Text: "Attachments", Correct: true}, {Text: "Load centre", Correct: true}, {Text: "Paint colour"}}},
		"tf":    {Kind: "true_false", Prompt: "You may exceed the limit briefly.", ObjectiveID: obj[0].ID, Answer: func() *bool { b := !yes; return &b }()},
		"short": {Kind: "short_answer", Prompt: "What do you check first?", ObjectiveID: obj[1].ID, Accepted: []string{"Tyres", "the tyres", "tires"}},
		"order": {Kind: "ordering", Prompt: "Put the checks in order.", ObjectiveID: obj[1].ID,
			Options: []training.OptionInput{{Text: "Walk around"}, {Text: "Check fluids"}, {Text: "Test brakes"}, {Text: "Test horn"}}},
	} {
		q, err := f.svc.SaveQuestion(ctx, lnd, it.ID, "", in)
		if err != nil {
			f.t.Fatalf("question %s: %v", name, err)
		}
		qs[name] = q
	}
	z, err := f.svc.SetQuiz(ctx, lnd, it.ID, training.QuizTest, training.QuizInput{PassMark: 70, MaxAttempts: maxAttempts, TimeLimitMinutes: minutes,
		ShuffleQuestions: true, ShuffleOptions: true})
	if err != nil {
		f.t.Fatal(err)
	}
	it, err = f.svc.FindItemByID(ctx, lnd, it.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return it, z, qs
}

// right returns the right responses to every question of the bank.
func right(qs map[string]*training.Question) map[string]training.Response {
	out := map[string]training.Response{}
	for _, q := range qs {
		var r training.Response
		switch q.Kind {
		case "short_answer":
			r.Text = "  THE  tyres! "
		case "ordering":
			for _, o := range q.Options {
				r.OptionIDs = append(r.OptionIDs, o.ID)
			}
		default:
			for _, o := range q.Options {
				if o.Correct {
					r.OptionIDs = append(r.OptionIDs, o.ID)
				}
			}
		}
		out[q.ID] = r
	}
	return out
}

func TestQuizScoring(t *testing.T) {
	q := func(kind string, opts ...training.Option) *training.Question {
		return &training.Question{Kind: kind, Points: 2, Options: opts, Accepted: []string{"Forty-two", "42"}}
	}
	a, b, c := training.Option{ID: "a", Correct: true}, training.Option{ID: "b", Correct: true}, training.Option{ID: "c"}
	tests := []struct {
		name string
		q    *training.Question
		r    training.Response
		want float64
	}{
		{"single right", q("single", a, c), training.Response{OptionIDs: []string{"a"}}, 2},
		{"single wrong", q("single", a, c), training.Response{OptionIDs: []string{"c"}}, 0},
		{"single unanswered", q("single", a, c), training.Response{}, 0},
		{"multiple all right", q("multiple", a, b, c), training.Response{OptionIDs: []string{"a", "b"}}, 2},
		{"multiple half right", q("multiple", a, b, c), training.Response{OptionIDs: []string{"a"}}, 1},
		{"multiple right and wrong cancel", q("multiple", a, b, c), training.Response{OptionIDs: []string{"a", "c"}}, 0},
		{"multiple everything chosen", q("multiple", a, b, c), training.Response{OptionIDs: []string{"a", "b", "c"}}, 1},
		{"short folded", q("short_answer"), training.Response{Text: "forty two"}, 2},
		{"short number", q("short_answer"), training.Response{Text: " 42 "}, 2},
		{"short wrong", q("short_answer"), training.Response{Text: "41"}, 0},
		{"short empty", q("short_answer"), training.Response{Text: "  "}, 0},
		{"ordering right", q("ordering", a, b, c), training.Response{OptionIDs: []string{"a", "b", "c"}}, 2},
		{"ordering wrong", q("ordering", a, b, c), training.Response{OptionIDs: []string{"b", "a", "c"}}, 0},
	}
	for _, tt := range tests {
		if got := training.Score(tt.q, tt.r); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestQuizAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		it, z, qs := f.quizItem(3, 10)
		if !it.HasTest || z.Questions != 5 {
			t.Fatalf("has test %v, %d questions", it.HasTest, z.Questions)
		}
		alan := f.actor("E3")
		// A test is completed by passing it, not by saying so.
		e := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, it.ID))
		_, err := f.svc.MarkComplete(ctx, alan, e.ID)
		code(t, err, core.ECONFLICT)

		a := must[*training.Attempt](t)(f.svc.StartAttempt(ctx, alan, z.ID))
		if len(a.Questions) != 5 || a.DeadlineAt == nil || a.Number != 1 {
			t.Fatalf("attempt %+v", a)
		}
		// The right answers never leave the server before submission.
		b, _ := json.Marshal(a)
		for _, leak := range []string{`"correct"`, "tires", "Tyres", `"explanation"`, `"answer":`, `"earned"`} {
			if bytes.Contains(b, []byte(leak)) {
				t.Errorf("the open attempt shows %q: %s", leak, b)
			}
		}
		// Starting again returns the attempt still open.
		again := must[*training.Attempt](t)(f.svc.StartAttempt(ctx, alan, z.ID))
		if again.ID != a.ID {
			t.Error("a second open attempt")
		}
		// Someone else can neither read nor submit it.
		_, err = f.svc.FindAttempt(ctx, f.actor("E4"), a.ID)
		code(t, err, core.ENOTFOUND)
		_, err = f.svc.SubmitAttempt(ctx, f.actor("E4"), a.ID, nil)
		code(t, err, core.ENOTFOUND)
		// An answer to a question not in the attempt is refused, and nothing is kept.
		bad := right(qs)
		bad["01900000-0000-7000-8000-000000000bad"] = training.Response{Text: "x"}
		_, err = f.svc.SubmitAttempt(ctx, alan, a.ID, bad)
		code(t, err, core.EINVALID)
		// An option of another question is refused too.
		cross := right(qs)
		cross[qs["single"].ID] = training.Response{OptionIDs: []string{qs["multiple"].Options[0].ID}}
		_, err = f.svc.SubmitAttempt(ctx, alan, a.ID, cross)
		code(t, err, core.EINVALID)

		// A first try with two wrong answers of five: 60%, not passed; feedback shows the right ones.
		try := right(qs)
		try[qs["tf"].ID] = training.Response{OptionIDs: []string{qs["tf"].Options[0].ID}}
		try[qs["order"].ID] = training.Response{OptionIDs: []string{qs["order"].Options[1].ID, qs["order"].Options[0].ID, qs["order"].Options[2].ID, qs["order"].Options[3].ID}}
		res := must[*training.Attempt](t)(f.svc.SubmitAttempt(ctx, alan, a.ID, try))
		if res.Score == nil || *res.Score != 60 || *res.Passed {
			t.Fatalf("score %v passed %v", res.Score, res.Passed)
		}
		for _, q := range res.Questions {
			if q.Correct == nil || q.Answer == nil {
				t.Errorf("no feedback on %q", q.Prompt)
			}
		}
		if len(res.ByObjective) != 2 || res.ByObjective[0].Score != 66.7 || res.ByObjective[1].Score != 50 {
			t.Errorf("scores per objective: %+v", res.ByObjective)
		}
		// Submitted twice: refused.
		_, err = f.svc.SubmitAttempt(ctx, alan, a.ID, right(qs))
		code(t, err, core.ECONFLICT)

		// A second attempt, submitted after the time limit: refused, and it counts, with 0.
		a2 := must[*training.Attempt](t)(f.svc.StartAttempt(ctx, alan, z.ID))
		f.clock.Advance(11 * time.Minute)
		_, err = f.svc.SubmitAttempt(ctx, alan, a2.ID, right(qs))
		code(t, err, core.ECONFLICT)
		late := must[*training.Attempt](t)(f.svc.FindAttempt(ctx, alan, a2.ID))
		if late.Score == nil || *late.Score != 0 || !late.Expired {
			t.Errorf("expired attempt: %+v", late)
		}

		// The third passes: the item completes, a test rating weighted by the score goes to the
		// skills picture, and a certificate is issued.
		a3 := must[*training.Attempt](t)(f.svc.StartAttempt(ctx, alan, z.ID))
		res = must[*training.Attempt](t)(f.svc.SubmitAttempt(ctx, alan, a3.ID, right(qs)))
		if !*res.Passed || *res.Score != 100 {
			t.Fatalf("third attempt: %v %v", *res.Score, *res.Passed)
		}
		// Passed and valid: no more attempts until the renewal opens.
		_, err = f.svc.StartAttempt(ctx, alan, z.ID)
		code(t, err, core.ECONFLICT)
		ratings := must[[]*skills.Rating](t)(f.sk.FindRatings(ctx, core.System, alan.PersonID, f.skills["Forklift safety"]))
		if len(ratings) != 1 || ratings[0].Source != skills.SourceTest || ratings[0].Level != 3 {
			t.Errorf("test evidence: %+v", ratings)
		}
		certs := must[[]*training.Certificate](t)(f.svc.FindCertificates(ctx, alan, ""))
		if len(certs) != 1 || certs[0].Title != "Forklift safety" || certs[0].ExpiresOn.IsZero() {
			t.Fatalf("certificates: %+v", certs)
		}
		c := certs[0]
		_, pdf, err := f.svc.CertificatePDF(ctx, alan, c.ID, "https://learn.example.com")
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("pdf: %v %.20q", err, pdf)
		}
		// Anyone with the code can verify; a revoked certificate says so.
		v := must[*training.Verification](t)(f.svc.Verify(ctx, c.Code))
		if v.State != "valid" || v.PersonName != "Alan Turing" {
			t.Errorf("verification: %+v", v)
		}
		_, err = f.svc.RevokeCertificate(ctx, alan, c.ID, "cheated")
		code(t, err, core.EFORBIDDEN)
		must[*training.Certificate](t)(f.svc.RevokeCertificate(ctx, f.actor("E7"), c.ID, "Issued to the wrong person"))
		v = must[*training.Verification](t)(f.svc.Verify(ctx, strings.ToUpper(c.Code)))
		if v.State != "revoked" {
			t.Errorf("after revocation: %+v", v)
		}
		_, _, err = f.svc.CertificatePDF(ctx, alan, c.ID, "https://learn.example.com")
		code(t, err, core.ECONFLICT)
		_, err = f.svc.Verify(ctx, "not-a-code")
		code(t, err, core.ENOTFOUND)
		// The manager sees the certificate, without its secret code.
		mc := must[[]*training.Certificate](t)(f.svc.FindCertificates(ctx, f.actor("E2"), alan.PersonID))
		if len(mc) != 1 || mc[0].Code != "" {
			t.Errorf("the manager's view of the certificates: %+v", mc)
		}
	})
}

// TestQuizUnderParallelRequests: parallel starts cannot take more attempts than allowed, and
// parallel submissions of one attempt score it once.
func TestQuizUnderParallelRequests(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		_, z, qs := f.quizItem(1, 0)
		alan := f.actor("E3")
		var wg sync.WaitGroup
		ids := make(chan string, 10)
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, err := f.svc.StartAttempt(ctx, alan, z.ID)
				if err != nil {
					if core.ErrorCode(err) != core.ECONFLICT {
						t.Errorf("start: %v", err)
					}
					return
				}
				ids <- a.ID
			}()
		}
		wg.Wait()
		close(ids)
		seen := map[string]bool{}
		for id := range ids {
			seen[id] = true
		}
		if len(seen) != 1 {
			t.Fatalf("%d different attempts started, want 1", len(seen))
		}
		var id string
		for k := range seen {
			id = k
		}
		results := make(chan error, 10)
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.SubmitAttempt(ctx, alan, id, right(qs))
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			switch core.ErrorCode(err) {
			case "":
				ok++
			case core.ECONFLICT:
			default:
				t.Errorf("submit: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d submissions accepted, want 1", ok)
		}
		var answers int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM quiz_answers WHERE attempt_id = ?`, id).Scan(&answers); err != nil || answers != 5 {
			t.Errorf("%d answers stored (%v), want 5", answers, err)
		}
		// The one attempt is used and passed: no more.
		_, err := f.svc.StartAttempt(ctx, alan, z.ID)
		code(t, err, core.ECONFLICT)
	})
}
