package api

import (
	"context"
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/survey"
)

func (h *Handler) registerSurveys(rt *httpx.Router) {
	rt.HandleFunc("GET /api/v1/surveys", h.authed(h.findSurveys))
	rt.HandleFunc("POST /api/v1/surveys", h.authed(h.createSurvey))
	rt.HandleFunc("GET /api/v1/surveys/{id}", h.authed(h.getSurvey))
	rt.HandleFunc("PUT /api/v1/surveys/{id}", h.authed(h.putSurvey))
	rt.HandleFunc("DELETE /api/v1/surveys/{id}", h.authed(h.deleteSurvey))
	rt.HandleFunc("POST /api/v1/surveys/{id}/send", h.authed(h.sendSurvey))
	rt.HandleFunc("POST /api/v1/surveys/{id}/open", h.authed(h.openSurvey))
	rt.HandleFunc("POST /api/v1/surveys/{id}/close", h.authed(h.closeSurvey))
	rt.HandleFunc("GET /api/v1/surveys/{id}/results", h.authed(h.surveyResults))
	rt.HandleFunc("POST /api/v1/surveys/{id}/responses", h.authed(h.answerSurvey))
	rt.HandleFunc("GET /api/v1/me/surveys", h.authed(h.mySurveys))
	rt.HandleFunc("GET /api/v1/survey-templates/lna", h.authed(h.lnaTemplate))
}

func (h *Handler) findSurveys(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	surveys, next, err := h.Surveys.FindSurveys(r.Context(), a, survey.SurveyFilter{Kind: q.Get("kind"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: n})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(surveys, next, nil))
}

func (h *Handler) createSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in survey.SurveyInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	sv, err := h.Surveys.CreateSurvey(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/surveys/"+sv.ID)
	httpx.WriteJSON(w, http.StatusCreated, sv)
}

func (h *Handler) getSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	sv, err := h.Surveys.FindSurveyByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sv)
}

// putSurvey replaces a draft with the body, questions and all.
func (h *Handler) putSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in survey.SurveyInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	sv, err := h.Surveys.UpdateSurvey(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sv)
}

func (h *Handler) deleteSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Surveys.DeleteSurvey(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) sendSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var to survey.Recipients
	if err := httpx.DecodeJSON(w, r, &to); err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.Surveys.Send(r.Context(), a, r.PathValue("id"), to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
}

func (h *Handler) openSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.changeSurvey(w, r, a, h.Surveys.Open)
}

func (h *Handler) closeSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.changeSurvey(w, r, a, h.Surveys.Close)
}

// changeSurvey opens or closes the survey in the path and answers it as it now is.
func (h *Handler) changeSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor, change func(ctx context.Context, a *core.Actor, id string) error) {
	id := r.PathValue("id")
	if err := change(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.getSurvey(w, r, a)
}

func (h *Handler) surveyResults(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	res, err := h.Surveys.Results(r.Context(), a, r.PathValue("id"), survey.ResultFilter{OrgUnitID: r.URL.Query().Get("org_unit")})
	if err != nil {
		// The filter is the org_unit query parameter here.
		if e := core.AsError(err); e != nil && e.Field == "org_unit_id" {
			err = core.Invalid("org_unit", "%s", e.Message)
		}
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}

// SurveyResponseInput is the body of an answer to a survey: one item per question answered.
type SurveyResponseInput struct {
	Answers []survey.AnswerInput `json:"answers"`
}

// answerSurvey records the caller's answers. A response has no address of its own: an anonymous
// one must not lead back to its author, so the answer is 204 for every survey alike.
func (h *Handler) answerSurvey(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSurveysAnswer); err != nil {
		h.fail(w, r, err)
		return
	}
	var in SurveyResponseInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Surveys.Submit(r.Context(), a, r.PathValue("id"), in.Answers); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) mySurveys(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	invitations, err := h.Surveys.MySurveys(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(invitations)
	httpx.WriteJSON(w, http.StatusOK, listOf(invitations, &n))
}

// SurveyTemplate is a ready-made questionnaire: a survey to create without its deadline, which
// the author adds before posting it to /surveys.
type SurveyTemplate struct {
	Title       string                 `json:"title"`
	Description string                 `json:"description"`
	Kind        string                 `json:"kind"`
	Anonymous   bool                   `json:"anonymous"`
	Questions   []survey.QuestionInput `json:"questions"`
}

func (h *Handler) lnaTemplate(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	t := survey.DefaultLNA()
	httpx.WriteJSON(w, http.StatusOK, SurveyTemplate{Title: t.Title, Description: t.Description, Kind: t.Kind, Anonymous: t.Anonymous, Questions: t.Questions})
}
