package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/training"
)

// AttemptView is a test being taken, or its results once submitted.
type AttemptView struct {
	FormView
	Attempt *training.Attempt
	Item    *training.Item
	Open    bool
	Left    string // time left, for the timer line
}

func (h *Handler) startAttempt(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	a, err := h.svc.Training.StartAttempt(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		if core.ErrorCode(err) == core.ECONFLICT && r.PostFormValue("item") != "" {
			h.redirect(w, r, "/training/items/"+url.PathEscape(r.PostFormValue("item")), "%s", core.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/training/attempts/"+a.ID, http.StatusSeeOther)
}

func (h *Handler) attemptView(r *http.Request, actor *core.Actor, id string) (AttemptView, error) {
	v := AttemptView{FormView: h.form(r, "Test", "training")}
	a, err := h.svc.Training.FindAttempt(r.Context(), actor, id)
	if err != nil {
		return v, err
	}
	v.Attempt, v.Title = a, a.QuizTitle
	if v.Item, err = h.svc.Training.FindItemByID(r.Context(), actor, a.ItemID); err != nil {
		return v, err
	}
	now := h.clock.Now()
	v.Open = a.Open(now)
	if v.Open && a.DeadlineAt != nil {
		left := a.DeadlineAt.Sub(now).Round(1e9)
		v.Left = left.String()
	}
	return v, nil
}

func (h *Handler) attemptPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.attemptView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "attempt", v)
}

// submitAttempt reads one answer per question: q.<id> holds the chosen option(s) or the text;
// ordering questions send pos.<question>.<option> = the position the learner gave it.
func (h *Handler) submitAttempt(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, core.Invalid("answers", "the form could not be read"))
		return
	}
	a, err := h.svc.Training.FindAttempt(r.Context(), actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	answers := map[string]training.Response{}
	for _, q := range a.Questions {
		key := "q." + q.ID
		switch q.Kind {
		case training.QuestionShort:
			if t := strings.TrimSpace(r.PostFormValue(key)); t != "" {
				answers[q.ID] = training.Response{Text: t}
			}
		case training.QuestionOrdering:
			order := make([]string, len(q.Options))
			complete := true
			for _, o := range q.Options {
				pos := r.PostFormValue("pos." + q.ID + "." + o.ID)
				n := 0
				for _, c := range pos {
					if c < '0' || c > '9' {
						n = -1
						break
					}
					n = n*10 + int(c-'0')
				}
				if n < 1 || n > len(order) || order[n-1] != "" {
					complete = false
					break
				}
				order[n-1] = o.ID
			}
			if complete {
				answers[q.ID] = training.Response{OptionIDs: order}
			}
		default:
			if vs := r.PostForm[key]; len(vs) > 0 {
				answers[q.ID] = training.Response{OptionIDs: vs}
			}
		}
	}
	res, err := h.svc.Training.SubmitAttempt(r.Context(), actor, id, answers)
	if err != nil {
		if core.ErrorCode(err) == core.ECONFLICT {
			h.redirect(w, r, "/training/attempts/"+id, "%s", core.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	msg := "You scored %s: not passed this time. The feedback below shows what to look at again."
	if res.Passed != nil && *res.Passed {
		msg = "You scored %s and passed."
	}
	h.redirect(w, r, "/training/attempts/"+id, msg, training.Percent(*res.Score))
}
