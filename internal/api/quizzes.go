package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

func (h *Handler) findQuestions(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	qs, err := h.Training.FindQuestions(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(qs)
	httpx.WriteJSON(w, http.StatusOK, listOf(qs, &n))
}

func (h *Handler) createQuestion(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.saveQuestion(w, r, a, "", http.StatusCreated)
}

// putQuestion rewrites a question; attempts already made keep what they asked.
func (h *Handler) putQuestion(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.saveQuestion(w, r, a, r.PathValue("question_id"), http.StatusOK)
}

func (h *Handler) saveQuestion(w http.ResponseWriter, r *http.Request, a *core.Actor, id string, status int) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.QuestionInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.Training.SaveQuestion(r.Context(), a, r.PathValue("id"), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, q)
}

// retireQuestion takes a question out of future attempts; past attempts keep it, so it is
// retired rather than deleted.
func (h *Handler) retireQuestion(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Training.RetireQuestion(r.Context(), a, r.PathValue("id"), r.PathValue("question_id"), true); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) findQuizzes(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	zs, err := h.Training.FindQuizzes(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(zs)
	httpx.WriteJSON(w, http.StatusOK, listOf(zs, &n))
}

// putQuiz creates or replaces the item's test or pre-test.
func (h *Handler) putQuiz(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.QuizInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	z, err := h.Training.SetQuiz(r.Context(), a, r.PathValue("id"), r.PathValue("kind"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, z)
}

func (h *Handler) deleteQuiz(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Training.DeleteQuiz(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// startAttempt begins the caller's attempt at a quiz, or answers the one they have open.
func (h *Handler) startAttempt(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	at, err := h.Training.StartAttempt(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/attempts/"+at.ID)
	httpx.WriteJSON(w, http.StatusCreated, at)
}

func (h *Handler) getAttempt(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	at, err := h.Training.FindAttempt(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, at)
}

// Submission is the body of an attempt's submission: question id → the response.
type Submission struct {
	Answers map[string]training.Response `json:"answers"`
}

func (h *Handler) submitAttempt(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingLearn); err != nil {
		h.fail(w, r, err)
		return
	}
	var in Submission
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	at, err := h.Training.SubmitAttempt(r.Context(), a, r.PathValue("id"), in.Answers)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, at)
}
