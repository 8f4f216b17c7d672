package api

import (
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
)

func (h *Handler) findAccounts(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var role core.Role
	if s := q.Get("role"); s != "" {
		if role, err = core.ParseRole(s); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	accounts, next, err := h.Auth.FindAccounts(r.Context(), a, auth.AccountFilter{Query: q.Get("q"), Role: role, Cursor: q.Get("cursor"), Limit: n})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(accounts, next, nil))
}

func (h *Handler) getAccount(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	acct, err := h.Auth.FindAccountByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, acct)
}

func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermAccountsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in auth.NewAccount
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	acct, err := h.Auth.CreateAccount(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/accounts/"+acct.ID)
	httpx.WriteJSON(w, http.StatusCreated, acct)
}

// AccountPatch changes an account's roles or disables it; absent fields stay as they are.
type AccountPatch struct {
	Roles    *[]core.Role `json:"roles"`
	Disabled *bool        `json:"disabled"`
}

func (h *Handler) patchAccount(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermAccountsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in AccountPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	acct, err := h.Auth.UpdateAccount(r.Context(), a, r.PathValue("id"), in.Roles, in.Disabled)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, acct)
}

func (h *Handler) endSessions(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	id := r.PathValue("id")
	if _, err := h.Auth.FindAccountByID(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Auth.EndSessions(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) passwordLink(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Auth.SendPasswordLink(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) findTokens(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	all, err := boolParam(r, "all")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.Auth.FindTokens(r.Context(), a, all)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(tokens, "", nil))
}

// CreatedToken is the answer to creating a token: the only time its secret is shown.
type CreatedToken struct {
	Token  *auth.Token `json:"token"`
	Secret string      `json:"secret"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	var in auth.NewToken
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	t, secret, err := h.Auth.CreateToken(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, CreatedToken{Token: t, Secret: secret})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Auth.RevokeToken(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) findAudit(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := audit.Filter{Cursor: q.Get("cursor"), Limit: n}
	for name, dst := range map[string]**string{"action": &f.Action, "target_id": &f.TargetID, "actor_account_id": &f.ActorID} {
		if v := q.Get(name); v != "" {
			*dst = &v
		}
	}
	for name, dst := range map[string]**time.Time{"since": &f.Since, "until": &f.Until} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				h.fail(w, r, core.Invalid(name, "use an RFC 3339 time such as 2026-01-31T00:00:00Z"))
				return
			}
			*dst = &t
		}
	}
	entries, next, err := h.Audit.Find(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(entries, next, nil))
}
