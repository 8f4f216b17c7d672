package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

// EnrollInput is the body of the caller's enrollment.
type EnrollInput struct {
	ItemID string `json:"item_id"`
}

// enroll enrolls the caller in an item (or asks their manager, when it needs approval): 201 with
// a new enrollment, 200 with the open enrollment they already had.
func (h *Handler) enroll(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingLearn); err != nil {
		h.fail(w, r, err)
		return
	}
	var in EnrollInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	had, known := h.openEnrollment(r, a, in.ItemID)
	e, err := h.Training.Enroll(r.Context(), a, in.ItemID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if !known || e.ID == had {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/enrollments/"+e.ID)
	httpx.WriteJSON(w, status, e)
}

// openEnrollment returns the id of the caller's open enrollment in an item ("" for none), and
// whether it could be read: Enroll answers an enrollment the caller already has as it is, and
// only this read before it tells a new one. When the caller may not read it (a token without
// people:read), Enroll still decides, and the answer does not claim a creation it cannot tell.
func (h *Handler) openEnrollment(r *http.Request, a *core.Actor, itemID string) (id string, known bool) {
	if a.PersonID == "" {
		return "", false
	}
	open, _, err := h.Training.FindEnrollments(r.Context(), a, training.EnrollmentFilter{PersonID: a.PersonID, ItemID: itemID, Status: "open", Limit: 1})
	if err != nil {
		return "", false
	}
	if len(open) == 0 {
		return "", true
	}
	return open[0].ID, true
}

func (h *Handler) findEnrollments(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	enrollments, next, err := h.Training.FindEnrollments(r.Context(), a, training.EnrollmentFilter{PersonID: q.Get("person_id"), ItemID: q.Get("item_id"),
		Team: q.Get("team"), Status: q.Get("status"), Overdue: overdue, Cursor: q.Get("cursor"), Limit: n})
	if err != nil {
		// The people filter names the manager below whom to look "below"; here it is team.
		if e := core.AsError(err); e != nil && e.Field == "below" {
			err = core.Invalid("team", "%s", e.Message)
		}
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(enrollments, next, nil))
}

func (h *Handler) getEnrollment(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	e, err := h.Training.FindEnrollmentByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	var in Reason
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.Training.Withdraw(r.Context(), a, r.PathValue("id"), in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

// markComplete records that the caller finished an item that neither a test nor attendance
// completes.
func (h *Handler) markComplete(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	e, err := h.Training.MarkComplete(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

// Decision approves or declines a request to take an item.
type Decision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingAssign); err != nil {
		h.fail(w, r, err)
		return
	}
	var in Decision
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.Training.Decide(r.Context(), a, r.PathValue("id"), in.Approve, in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

// NudgeInput is a reminder's optional message.
type NudgeInput struct {
	Message string `json:"message"`
}

func (h *Handler) nudge(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingAssign); err != nil {
		h.fail(w, r, err)
		return
	}
	var in NudgeInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Training.Nudge(r.Context(), a, r.PathValue("id"), in.Message); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingAssign); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.AssignInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.Training.Assign(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
}

func (h *Handler) exempt(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.ExemptInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.Training.Exempt(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

// recordCompletion records a completion that happened elsewhere, on a person's behalf.
func (h *Handler) recordCompletion(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.RecordInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.Training.RecordCompletion(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

func (h *Handler) myLearning(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	m, err := h.Training.FindMyLearning(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, m)
}

// teamLearning answers the learning of a manager's direct reports (the caller's own by
// default), with the requests waiting for a decision.
func (h *Handler) teamLearning(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	t, err := h.Training.FindTeam(r.Context(), a, r.URL.Query().Get("manager_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Lists are arrays, also when empty.
	if t.Requests == nil {
		t.Requests = []*training.Enrollment{}
	}
	for _, m := range t.Members {
		if m.Entries == nil {
			m.Entries = []*training.Entry{}
		}
	}
	httpx.WriteJSON(w, http.StatusOK, t)
}
