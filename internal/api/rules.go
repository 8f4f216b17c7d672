package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

// RuleChange is the answer to creating or changing an assignment rule: the rule, and what
// applying the item's rules again did.
type RuleChange struct {
	Rule   *training.Rule       `json:"rule"`
	Report *training.RuleReport `json:"report"`
}

func (h *Handler) findRules(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	rules, err := h.Training.FindRules(r.Context(), a, r.URL.Query().Get("item_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(rules)
	httpx.WriteJSON(w, http.StatusOK, listOf(rules, &n))
}

func (h *Handler) getRule(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	rule, err := h.Training.FindRuleByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rule)
}

// createRule adds a rule; an active one assigns its item at once.
func (h *Handler) createRule(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.RuleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rule, rep, err := h.Training.CreateRule(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/assignment-rules/"+rule.ID)
	httpx.WriteJSON(w, http.StatusCreated, RuleChange{Rule: rule, Report: rep})
}

// putRule replaces a rule and applies its item's rules again.
func (h *Handler) putRule(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.RuleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rule, rep, err := h.Training.UpdateRule(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, RuleChange{Rule: rule, Report: rep})
}

func (h *Handler) deleteRule(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Training.DeleteRule(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// evaluateRules applies every active rule to everyone now, as the daily run does.
func (h *Handler) evaluateRules(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	rep, err := h.Training.EvaluateRules(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
}
