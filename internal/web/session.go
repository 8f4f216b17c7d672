package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
)

// FormView is a page with one form: its values and the message for each bad field.
type FormView struct {
	Page
	Values map[string]string
	Errors map[string]string
	Error  string // a message about the form as a whole
	Done   bool
	Token  string
}

func (h *Handler) form(r *http.Request, title, nav string) FormView {
	return FormView{Page: h.page(r, title, nav), Values: map[string]string{}, Errors: map[string]string{}}
}

// setError shows err beside the fields it names, or above the form.
func (v *FormView) setError(err error) {
	e := core.AsError(err)
	if e == nil {
		v.Error = core.ErrorMessage(err)
		return
	}
	for f, m := range e.Fields {
		v.Errors[f] = m
	}
	if e.Field != "" && len(e.Fields) == 0 {
		v.Errors[e.Field] = e.Message
	}
	if len(v.Errors) == 0 {
		v.Error = e.Message
	}
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if httpx.Actor(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	v := h.form(r, "Sign in", "")
	v.Values["next"] = safeNext(r.URL.Query().Get("next"))
	h.render(w, r, http.StatusOK, "login", v)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	v := h.form(r, "Sign in", "")
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	v.Values["email"], v.Values["next"] = email, next
	sess, _, err := h.svc.Auth.Login(r.Context(), email, r.PostFormValue("password"), clientIP(r), r.UserAgent())
	if err != nil {
		if core.ErrorCode(err) == core.EINTERNAL {
			h.fail(w, r, err)
			return
		}
		v.Error = core.ErrorMessage(err)
		h.render(w, r, httpx.Status(err), "login", v)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: httpx.SessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt.Add(h.svc.Auth.SessionMax),
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clientIP is the address the server found for the request (the peer, or the client behind a
// trusted proxy).
func clientIP(r *http.Request) string { return httpx.AuthFrom(r.Context()).ClientIP }

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if tok := httpx.AuthFrom(r.Context()).SessionToken; tok != "" {
		if err := h.svc.Auth.Logout(r.Context(), tok); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: httpx.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	h.redirect(w, r, "/login", "You are signed out.")
}

func (h *Handler) forgotForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "forgot", h.form(r, "Forgot your password?", ""))
}

func (h *Handler) forgot(w http.ResponseWriter, r *http.Request) {
	v := h.form(r, "Forgot your password?", "")
	v.Values["email"] = r.PostFormValue("email")
	if strings.TrimSpace(v.Values["email"]) == "" {
		v.Errors["email"] = v.T("Enter the email you sign in with.")
		h.render(w, r, http.StatusUnprocessableEntity, "forgot", v)
		return
	}
	if err := h.svc.Auth.RequestPasswordReset(r.Context(), v.Values["email"], clientIP(r)); err != nil {
		if core.ErrorCode(err) == core.EINTERNAL {
			h.fail(w, r, err)
			return
		}
		v.Error = core.ErrorMessage(err)
		h.render(w, r, httpx.Status(err), "forgot", v)
		return
	}
	v.Done = true
	h.render(w, r, http.StatusOK, "forgot", v)
}

func (h *Handler) resetForm(w http.ResponseWriter, r *http.Request) {
	v := h.form(r, "Choose a password", "")
	v.Token = r.PathValue("token")
	if err := h.svc.Auth.CheckResetToken(r.Context(), v.Token); err != nil {
		v.Error = core.ErrorMessage(err)
		h.render(w, r, httpx.Status(err), "reset", v)
		return
	}
	h.render(w, r, http.StatusOK, "reset", v)
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	v := h.form(r, "Choose a password", "")
	v.Token = r.PathValue("token")
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		v.Errors["confirm"] = v.T("The two passwords are not the same.")
		h.render(w, r, http.StatusUnprocessableEntity, "reset", v)
		return
	}
	if err := h.svc.Auth.ResetPassword(r.Context(), v.Token, pw); err != nil {
		if core.ErrorCode(err) == core.EINTERNAL {
			h.fail(w, r, err)
			return
		}
		v.setError(err)
		h.render(w, r, httpx.Status(err), "reset", v)
		return
	}
	h.redirect(w, r, "/login", "Your password is set. Sign in with it now.")
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.render(w, r, http.StatusOK, "password", h.form(r, "Change your password", "account"))
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v := h.form(r, "Change your password", "account")
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		v.Errors["confirm"] = v.T("The two passwords are not the same.")
		h.render(w, r, http.StatusUnprocessableEntity, "password", v)
		return
	}
	err := h.svc.Auth.ChangePassword(r.Context(), actor, r.PostFormValue("current_password"), pw, httpx.AuthFrom(r.Context()).SessionToken)
	if err != nil {
		if core.ErrorCode(err) == core.EINTERNAL {
			h.fail(w, r, err)
			return
		}
		v.setError(err)
		h.render(w, r, httpx.Status(err), "password", v)
		return
	}
	h.redirect(w, r, "/", "Your password is changed. Your other sessions are signed out.")
}

// back returns the page a form came from, for redirects after an action.
func back(r *http.Request, fallback string) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/") {
		return ref.RequestURI()
	}
	return fallback
}
