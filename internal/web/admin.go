package web

import (
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/tabular"
)

// ImportView is the upload form and the list of recent imports.
type ImportView struct {
	FormView
	Kinds     []*importer.Kind
	Imports   []*importer.Staged
	MaxUpload string
	Encodings []string
}

func (h *Handler) importView(r *http.Request, actor *core.Actor) (ImportView, error) {
	v := ImportView{FormView: h.form(r, "Import", "admin"), MaxUpload: httpx.Bytes(h.cfg.MaxUpload), Encodings: []string{"windows-1252", "iso-8859-1", "iso-8859-15"},
		Kinds: h.svc.Imports.Kinds(actor)}
	var err error
	v.Imports, err = h.svc.Imports.Recent(r.Context(), actor, 10)
	return v, err
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.importView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Values["kind"] = v.Kinds[0].Name
	if k := r.URL.Query().Get("kind"); k != "" {
		v.Values["kind"] = k
	}
	h.render(w, r, http.StatusOK, "import", v)
}

// upload stores the chosen file and shows its preview.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.importView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	kind := r.PostFormValue("kind")
	for _, f := range []string{"kind", "encoding", "full", "source"} {
		v.Values[f] = r.PostFormValue(f)
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		v.Errors["file"] = v.T("Choose a CSV file.")
		h.render(w, r, http.StatusUnprocessableEntity, "import", v)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, h.cfg.MaxUpload+1))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if int64(len(data)) > h.cfg.MaxUpload {
		v.Errors["file"] = v.T("The file is larger than %s.", v.MaxUpload)
		h.render(w, r, http.StatusRequestEntityTooLarge, "import", v)
		return
	}
	opts := importer.Options{Full: r.PostFormValue("full") == "on", Encoding: r.PostFormValue("encoding"), Source: r.PostFormValue("source"), Filename: header.Filename}
	st, err := h.svc.Imports.Stage(r.Context(), actor, kind, data, opts)
	if err != nil {
		h.formError(w, r, err, "import", &v.FormView, &v)
		return
	}
	http.Redirect(w, r, "/admin/import/"+st.ID, http.StatusSeeOther)
}

// PreviewView shows what an uploaded file would change.
type PreviewView struct {
	Page
	Import *importer.Staged
	Report *tabular.Report
	More   int
}

func (h *Handler) preview(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	st, rep, err := h.svc.Imports.Preview(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := PreviewView{Page: h.page(r, "Import preview", "admin"), Import: st, Report: rep,
		More: rep.Create + rep.Update + rep.Leave - len(rep.Changes)}
	h.render(w, r, http.StatusOK, "preview", v)
}

func (h *Handler) applyImport(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	rep, err := h.svc.Imports.Apply(r.Context(), actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !rep.Valid {
		h.redirect(w, r, "/admin/import/"+id, "The data changed since the preview and the file is no longer valid; nothing was applied.")
		return
	}
	h.redirect(w, r, "/admin/import", "Imported: %s.", rep.Summary())
}

func (h *Handler) discardImport(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Imports.Discard(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/admin/import", "The file was discarded; nothing was applied.")
}

// AccountsView lists accounts for administrators.
type AccountsView struct {
	Page
	Accounts []*auth.Account
	Query    string
	Role     string
	NextURL  string
	Roles    []core.Role
}

func (h *Handler) accounts(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	v := AccountsView{Page: h.page(r, "Accounts", "admin"), Query: q.Get("q"), Role: q.Get("role"), Roles: core.GrantableRoles}
	var next string
	var err error
	v.Accounts, next, err = h.svc.Auth.FindAccounts(r.Context(), actor, auth.AccountFilter{Query: v.Query, Role: core.Role(v.Role), Cursor: q.Get("after")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if next != "" {
		v.NextURL = "/admin/accounts?" + url.Values{"q": {v.Query}, "role": {v.Role}, "after": {next}}.Encode()
	}
	h.render(w, r, http.StatusOK, "accounts", v)
}

func (h *Handler) setRoles(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	var roles []core.Role
	for _, s := range r.PostForm["role"] {
		roles = append(roles, core.Role(s))
	}
	a, err := h.svc.Auth.SetRoles(r.Context(), actor, r.PathValue("id"), roles)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, back(r, "/admin/accounts"), "Roles of %s saved.", a.Name)
}

func (h *Handler) disableAccount(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.setDisabled(w, r, actor, true)
}

func (h *Handler) enableAccount(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.setDisabled(w, r, actor, false)
}

func (h *Handler) setDisabled(w http.ResponseWriter, r *http.Request, actor *core.Actor, disabled bool) {
	a, err := h.svc.Auth.SetDisabled(r.Context(), actor, r.PathValue("id"), disabled)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "The account of %s is enabled."
	if disabled {
		msg = "The account of %s is disabled and signed out."
	}
	h.redirect(w, r, back(r, "/admin/accounts"), msg, a.Name)
}

func (h *Handler) passwordLink(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Auth.SendPasswordLink(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, back(r, "/admin/accounts"), "A link to set a password was emailed.")
}

func (h *Handler) endSessions(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Auth.EndSessions(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, back(r, "/admin/accounts"), "All sessions of the account were signed out.")
}

// TokensView lists API tokens: the viewer's own, or all of them for system administrators.
type TokensView struct {
	FormView
	Tokens []*auth.Token
	All    bool
	Secret string
	Scopes []core.Permission
	Now    time.Time
}

func (h *Handler) tokensView(r *http.Request, actor *core.Actor, all bool) (TokensView, error) {
	title := "API tokens"
	nav := "account"
	if all {
		title, nav = "All API tokens", "admin"
	}
	v := TokensView{FormView: h.form(r, title, nav), All: all, Now: h.clock.Now()}
	for _, p := range core.Scopes {
		if actor.Can(p) {
			v.Scopes = append(v.Scopes, p)
		}
	}
	var err error
	v.Tokens, err = h.svc.Auth.FindTokens(r.Context(), actor, all)
	return v, err
}

func (h *Handler) tokens(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.tokensView(r, actor, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "tokens", v)
}

func (h *Handler) allTokens(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.tokensView(r, actor, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "tokens", v)
}

// createToken shows the new token once, on the answer to the form, never again.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := auth.NewToken{Name: r.PostFormValue("name")}
	for _, s := range r.PostForm["scope"] {
		in.Scopes = append(in.Scopes, core.Permission(s))
	}
	status := http.StatusOK
	var formErr error
	if days := r.PostFormValue("expires_days"); days != "" && days != "0" {
		d, err := time.ParseDuration(days + "h")
		if err != nil || d <= 0 {
			formErr = core.Invalid("expires_days", "choose when the token expires")
		} else {
			t := h.clock.Now().Add(d * 24)
			in.ExpiresAt = &t
		}
	}
	var secret string
	if formErr == nil {
		_, secret, formErr = h.svc.Auth.CreateToken(r.Context(), actor, in)
	}
	v, err := h.tokensView(r, actor, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if formErr != nil {
		if c := core.ErrorCode(formErr); c != core.EINVALID && c != core.ECONFLICT {
			h.fail(w, r, formErr)
			return
		}
		v.setError(formErr)
		v.Values["name"] = in.Name
		status = http.StatusUnprocessableEntity
	}
	v.Secret = secret
	h.render(w, r, status, "tokens", v)
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Auth.RevokeToken(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/account/tokens", "The token was revoked; it no longer works.")
}

func (h *Handler) revokeAnyToken(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := actor.Require(core.PermTokensAll); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.Auth.RevokeToken(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/admin/tokens", "The token was revoked; it no longer works.")
}

// AuditView is the audit log.
type AuditView struct {
	Page
	Entries []*audit.Entry
	Action  string
	Since   string
	Until   string
	NextURL string
	Actions []string
}

func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	v := AuditView{Page: h.page(r, "Audit log", "admin"), Action: q.Get("action"), Since: q.Get("since"), Until: q.Get("until"),
		Actions: []string{"people.", "person.", "org_unit.", "org_units.", "job_role.", "account.", "token."}}
	f := audit.Filter{Cursor: q.Get("after")}
	if v.Action != "" {
		f.Action = &v.Action
	}
	for _, d := range []struct {
		s   string
		dst **time.Time
		add time.Duration
	}{{v.Since, &f.Since, 0}, {v.Until, &f.Until, 24 * time.Hour}} {
		if d.s == "" {
			continue
		}
		day, err := core.ParseDate(d.s)
		if err != nil {
			h.fail(w, r, core.Invalid("since", "use dates in the form YYYY-MM-DD"))
			return
		}
		t := day.Time().Add(d.add)
		*d.dst = &t
	}
	var next string
	var err error
	if v.Entries, next, err = h.svc.Audit.Find(r.Context(), actor, f); err != nil {
		h.fail(w, r, err)
		return
	}
	if next != "" {
		v.NextURL = "/admin/audit?" + url.Values{"action": {v.Action}, "since": {v.Since}, "until": {v.Until}, "after": {next}}.Encode()
	}
	h.render(w, r, http.StatusOK, "audit", v)
}

// KindLabel names an import kind for people.
func (v ImportView) KindLabel(name string) string {
	for _, k := range v.Kinds {
		if k.Name == name {
			return v.T(k.Label)
		}
	}
	return name
}
