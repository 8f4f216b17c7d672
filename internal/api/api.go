// Package api serves learnloop's JSON REST API under /api/v1, described by the OpenAPI 3.1
// document it also serves. Handlers translate HTTP to the domain services and back; errors are
// RFC 9457 problem details naming the field at fault.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tna"
	"github.com/learnloop/learnloop/internal/training"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API document.
func OpenAPI() []byte { return openAPI }

// Handler serves the API.
type Handler struct {
	Org       *org.Service
	Auth      *auth.Service
	Audit     *audit.Service
	Skills    *skills.Service
	Imports   *importer.Service
	Surveys   *survey.Service
	TNA       *tna.Service
	Training  *training.Service
	Notify    *notify.Service
	Log       *slog.Logger
	MaxUpload int64
	// BaseURL is the public address, for links in answers (calendar feeds, verification).
	BaseURL string
	Version string
}

// List is the shape of every list answer.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
	Total      *int   `json:"total,omitempty"`
	// TotalCapped says Total stopped counting at a cap: there are more.
	TotalCapped bool `json:"total_capped,omitempty"`
}

func list[T any](items []T, next string, total *int) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, NextCursor: next, Total: total}
}

// Register mounts the API on rt.
func (h *Handler) Register(rt *httpx.Router) {
	rt.HandleFunc("GET /api/v1/openapi.json", h.openapi)
	rt.HandleFunc("GET /api/v1/me", h.authed(h.me))
	rt.HandleFunc("GET /api/v1/people", h.authed(h.findPeople))
	rt.HandleFunc("POST /api/v1/people", h.authed(h.createPerson))
	rt.HandleFunc("GET /api/v1/people/export", h.authed(h.exportPeople))
	rt.HandleFunc("POST /api/v1/people/import", h.authed(h.importFile(org.KindPeople)))
	rt.HandleFunc("GET /api/v1/people/{id}", h.authed(h.getPerson))
	rt.HandleFunc("PATCH /api/v1/people/{id}", h.authed(h.patchPerson))
	rt.HandleFunc("GET /api/v1/org-units", h.authed(h.findUnits))
	rt.HandleFunc("POST /api/v1/org-units", h.authed(h.createUnit))
	rt.HandleFunc("GET /api/v1/org-units/export", h.authed(h.exportUnits))
	rt.HandleFunc("POST /api/v1/org-units/import", h.authed(h.importFile(org.KindUnits)))
	rt.HandleFunc("GET /api/v1/org-units/{id}", h.authed(h.getUnit))
	rt.HandleFunc("PATCH /api/v1/org-units/{id}", h.authed(h.patchUnit))
	rt.HandleFunc("DELETE /api/v1/org-units/{id}", h.authed(h.deleteUnit))
	rt.HandleFunc("GET /api/v1/job-roles", h.authed(h.findRoles))
	rt.HandleFunc("POST /api/v1/job-roles", h.authed(h.createRole))
	rt.HandleFunc("GET /api/v1/job-roles/{id}", h.authed(h.getRole))
	rt.HandleFunc("PATCH /api/v1/job-roles/{id}", h.authed(h.patchRole))
	rt.HandleFunc("DELETE /api/v1/job-roles/{id}", h.authed(h.deleteRole))
	rt.HandleFunc("GET /api/v1/accounts", h.authed(h.findAccounts))
	rt.HandleFunc("POST /api/v1/accounts", h.authed(h.createAccount))
	rt.HandleFunc("GET /api/v1/accounts/{id}", h.authed(h.getAccount))
	rt.HandleFunc("PATCH /api/v1/accounts/{id}", h.authed(h.patchAccount))
	rt.HandleFunc("DELETE /api/v1/accounts/{id}/sessions", h.authed(h.endSessions))
	rt.HandleFunc("POST /api/v1/accounts/{id}/password-link", h.authed(h.passwordLink))
	rt.HandleFunc("GET /api/v1/tokens", h.authed(h.findTokens))
	rt.HandleFunc("POST /api/v1/tokens", h.authed(h.createToken))
	rt.HandleFunc("DELETE /api/v1/tokens/{id}", h.authed(h.revokeToken))
	rt.HandleFunc("GET /api/v1/audit", h.authed(h.findAudit))
	h.registerSkills(rt)
	h.registerSurveys(rt)
	h.registerTraining(rt)
}

// authed refuses anonymous requests with 401.
func (h *Handler) authed(fn func(w http.ResponseWriter, r *http.Request, actor *core.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := httpx.Actor(r)
		if a == nil {
			h.fail(w, r, core.Errorf(core.EUNAUTHORIZED, "send an API token (Authorization: Bearer …) or sign in"))
			return
		}
		fn(w, r, a)
	}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteProblem(w, r, h.Log, err)
}

func (h *Handler) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPI)
}

// limit reads the limit query parameter.
func limit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > core.MaxLimit {
		return 0, core.Invalid("limit", "must be a whole number from 1 to %d", core.MaxLimit)
	}
	return n, nil
}

// offset reads the offset query parameter.
func offset(r *http.Request) (int, error) {
	s := r.URL.Query().Get("offset")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, core.Invalid("offset", "must be a whole number from 0")
	}
	return n, nil
}

// boolParam reads a true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, core.Invalid(name, "must be true or false")
	}
	return b, nil
}

// Me is the answer to GET /me.
type Me struct {
	AccountID   string            `json:"account_id"`
	PersonID    string            `json:"person_id"`
	Name        string            `json:"name"`
	Email       string            `json:"email"`
	Roles       []core.Role       `json:"roles"`
	IsManager   bool              `json:"is_manager"`
	Permissions []core.Permission `json:"permissions"`
	Scopes      []core.Permission `json:"token_scopes,omitempty"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	roles := append([]core.Role{}, a.Roles...)
	perms := append([]core.Permission{}, a.Permissions()...)
	httpx.WriteJSON(w, http.StatusOK, Me{AccountID: a.AccountID, PersonID: a.PersonID, Name: a.Name, Email: a.Email, Roles: roles,
		IsManager: a.IsManager, Permissions: perms, Scopes: a.Scopes})
}
