package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/skills"
)

// LevelsInput is a self-assessment or a manager's validation: several levels at once.
type LevelsInput struct {
	Levels []skills.AssessedLevel `json:"levels"`
	Note   string                 `json:"note"`
}

// Recorded says how many ratings a request recorded.
type Recorded struct {
	Recorded int `json:"recorded"`
}

func (h *Handler) selfAssess(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	var in LevelsInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Skills.SelfAssess(r.Context(), a, r.PathValue("id"), in.Levels, in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, Recorded{Recorded: n})
}

func (h *Handler) findValidations(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	list, err := h.Skills.PendingValidations(r.Context(), a, r.URL.Query().Get("person"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(list)
	httpx.WriteJSON(w, http.StatusOK, listOf(list, &n))
}

func (h *Handler) validate(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	var in LevelsInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Skills.Validate(r.Context(), a, in.Levels, in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, Recorded{Recorded: n})
}
