// Package web serves learnloop's HTML pages: server-rendered html/template pages, enhanced with
// htmx where a partial update helps (live search), working without JavaScript otherwise. Handlers
// only translate between HTTP and the domain services; every permission is checked there.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/i18n"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tna"
	"github.com/learnloop/learnloop/internal/training"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config tunes the web UI.
type Config struct {
	SecureCookies bool
	MaxUpload     int64 // an import file
	MaxContent    int64 // a training content file
	// BaseURL is the public address, for links that leave learnloop (calendar feeds,
	// certificate verification).
	BaseURL string
	Version string
}

// Services are the domain services the pages use.
type Services struct {
	Org      *org.Service
	Auth     *auth.Service
	Audit    *audit.Service
	Skills   *skills.Service
	Imports  *importer.Service
	Surveys  *survey.Service
	TNA      *tna.Service
	Training *training.Service
	Notify   *notify.Service
	LRS      *lrs.Service
}

// Handler serves the pages.
type Handler struct {
	cfg    Config
	svc    Services
	log    *slog.Logger
	clock  core.Clock
	pages  map[string]*template.Template
	static map[string]string // file name → content hash
}

// New parses every template, so a broken template stops the start, not a request.
func New(cfg Config, svc Services, log *slog.Logger, clock core.Clock) (*Handler, error) {
	h := &Handler{cfg: cfg, svc: svc, log: log, clock: clock, pages: map[string]*template.Template{}, static: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h.static[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"static":    h.staticURL,
		"query":     func(v url.Values) string { return v.Encode() },
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"indent":    func(n int) string { return strings.Repeat("— ", max(n, 0)) },
		"join":      strings.Join,
		"levelName": levelName,
		"cellClass": cellClass,
		"deref":     func(p *int) int { return *p },
		"pct":       func(f float64) int { return int(f*100 + 0.5) },
		// heat buckets the share of people who meet a requirement into 0..10, for a colour class.
		"heat": func(u skills.UnitNeed) int {
			if u.Required == 0 {
				return -1
			}
			return (u.Required - u.Short) * 10 / u.Required
		},
		"isChosen": func(chosen map[string]int, key string, level int) bool {
			v, ok := chosen[key]
			return ok && v == level
		},
		"fmt1":  func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		"bytes": func(n int64) string { return httpx.Bytes(n) },
		"list":  func(v ...any) []any { return v },
		"ptr":   func(f float64) *float64 { return &f },
		// rateHeat buckets a compliance rate into 0..10 for a colour class (-1 when nobody counts).
		"rateHeat": func(c training.Counts) int {
			if c.Total() == 0 {
				return -1
			}
			return int(c.Rate() * 10)
		},
		// statusQuery is a filter's query string with the status replaced.
		"statusQuery": func(query, status string) string {
			v, _ := url.ParseQuery(query)
			v.Set("status", status)
			return v.Encode()
		},
		"deref_bool": func(b *bool) bool { return b != nil && *b },
		// pathRows are a path's levels in the editor, with one blank level to add.
		"pathRows": func(levels []*training.PathLevel) []*training.PathLevel {
			return append(append([]*training.PathLevel{}, levels...), &training.PathLevel{})
		},
		"stepIn": func(l *training.PathLevel, id string) bool {
			for _, s := range l.Steps {
				if s.ItemID == id {
					return true
				}
			}
			return false
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key-value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"has": func(list []core.Role, r string) bool {
			for _, x := range list {
				if string(x) == r {
					return true
				}
			}
			return false
		},
		"hasScope": func(list []core.Permission, p core.Permission) bool {
			for _, x := range list {
				if x == p {
					return true
				}
			}
			return false
		},
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", n, err)
		}
		h.pages[name] = t
	}
	return h, nil
}

func (h *Handler) staticURL(name string) string {
	return "/static/" + name + "?v=" + h.static[name]
}

// serveStatic serves embedded files; a request carrying the current hash may be cached forever.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	sum, ok := h.static[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == sum {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeFileFS(w, r, staticFS, "static/"+name) // #nosec G703 -- name is a key of h.static, the embedded files
}

// Page is what every page's view starts with.
type Page struct {
	Title   string
	Nav     string
	Actor   *core.Actor
	CSRF    string
	Flash   string
	Lang    string
	Version string
	tr      i18n.Translator
	loc     *time.Location
}

// T translates a word or sentence on the page.
func (p Page) T(key string, args ...any) string { return p.tr.T(key, args...) }

// Date shows the day of t (a time.Time or *time.Time) in the viewer's time zone.
func (p Page) Date(t any) string {
	switch v := t.(type) {
	case time.Time:
		if !v.IsZero() {
			return v.In(p.loc).Format("2006-01-02")
		}
	case *time.Time:
		if v != nil {
			return p.Date(*v)
		}
	}
	return ""
}

// Time shows t in the viewer's time zone.
func (p Page) Time(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(p.loc).Format("2006-01-02 15:04")
	case *time.Time:
		if v == nil {
			return ""
		}
		return p.Time(*v)
	}
	return ""
}

// Can reports whether the viewer may use a permission ("people:write").
func (p Page) Can(perm string) bool { return p.Actor.Can(core.Permission(perm)) }

// IsAdmin reports whether the viewer sees the Admin menu.
func (p Page) IsAdmin() bool {
	return p.Can("people:write") || p.Can("accounts:read") || p.Can("audit:read") || p.Can("tokens:all") || p.Can("xapi:clients")
}

// SeesOthers reports whether the viewer sees anyone but themselves in the directory.
func (p Page) SeesOthers() bool { return p.Actor.SeesAllPeople() || p.Actor.IsManager }

func (h *Handler) page(r *http.Request, title, nav string) Page {
	a := httpx.AuthFrom(r.Context())
	p := Page{Title: title, Nav: nav, Actor: a.Actor, CSRF: a.CSRF, Version: h.cfg.Version, tr: i18n.For(r.Header.Get("Accept-Language")), loc: time.UTC}
	p.Lang = p.tr.Lang
	p.Title = p.tr.T(title)
	if a.Actor != nil && a.Actor.TimeZone != "" {
		if loc, err := time.LoadLocation(a.Actor.TimeZone); err == nil {
			p.loc = loc
		}
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = v
		}
	}
	return p
}

// render writes a page. Rendering into a buffer first means a template error becomes a clean 500
// instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	t, ok := h.pages[name]
	if !ok {
		h.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	block := "layout"
	if isFragment(r) && t.Lookup("fragment") != nil {
		block = "fragment"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, view); err != nil {
		h.log.ErrorContext(r.Context(), "render template", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "HX-Request, HX-Target")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const flashCookie = "ll_flash"

// isFragment reports whether htmx asked for part of a page, which then skips the parts it will
// not show.
func isFragment(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != ""
}

// redirect sends the browser to to after a successful POST, with a message for the next page,
// translated and formatted with args.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flash string, args ...any) {
	if flash != "" {
		flash = i18n.For(r.Header.Get("Accept-Language")).T(flash, args...)
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", MaxAge: 60, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ErrorView is the error page.
type ErrorView struct {
	Page
	Status  int
	Message string
}

// fail answers err as a page: sign-in for the unauthenticated, an error page for the rest.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httpx.Status(err)
	if status == http.StatusUnauthorized {
		h.toLogin(w, r)
		return
	}
	httpx.LogError(h.log, r, err)
	title := map[int]string{404: "Not found", 403: "Not allowed", 405: "Not allowed", 409: "Conflict", 413: "Too large", 422: "Please check", 429: "Too many attempts"}[status]
	if title == "" {
		title = "Something went wrong"
	}
	h.render(w, r, status, "error", ErrorView{Page: h.page(r, title, ""), Status: status, Message: core.ErrorMessage(err)})
}

func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = "/"
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// signedIn wraps a handler that needs an actor; anonymous visitors go to the sign-in page.
func (h *Handler) signedIn(fn func(w http.ResponseWriter, r *http.Request, actor *core.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := httpx.Actor(r)
		if a == nil {
			h.toLogin(w, r)
			return
		}
		if a.TokenID != "" {
			h.fail(w, r, core.Errorf(core.EFORBIDDEN, "API tokens are for the API; sign in to use the web pages"))
			return
		}
		fn(w, r, a)
	}
}

// Register mounts the pages on rt.
func (h *Handler) Register(rt *httpx.Router) {
	rt.HandleFunc("GET /static/{path...}", h.serveStatic)
	rt.HandleFunc("GET /{$}", h.signedIn(h.home))
	rt.HandleFunc("GET /login", h.loginForm)
	rt.HandleFunc("POST /login", h.login)
	rt.HandleFunc("POST /logout", h.logout)
	rt.HandleFunc("GET /password/forgot", h.forgotForm)
	rt.HandleFunc("POST /password/forgot", h.forgot)
	rt.HandleFunc("GET /password/reset/{token}", h.resetForm)
	rt.HandleFunc("POST /password/reset/{token}", h.reset)
	rt.HandleFunc("GET /account/password", h.signedIn(h.passwordForm))
	rt.HandleFunc("POST /account/password", h.signedIn(h.changePassword))
	rt.HandleFunc("GET /account/tokens", h.signedIn(h.tokens))
	rt.HandleFunc("POST /account/tokens", h.signedIn(h.createToken))
	rt.HandleFunc("POST /account/tokens/{id}/revoke", h.signedIn(h.revokeToken))

	rt.HandleFunc("GET /people", h.signedIn(h.people))
	rt.HandleFunc("GET /people/export", h.signedIn(h.exportPeople))
	rt.HandleFunc("GET /people/new", h.signedIn(h.newPerson))
	rt.HandleFunc("POST /people", h.signedIn(h.createPerson))
	rt.HandleFunc("GET /people/{id}", h.signedIn(h.person))
	rt.HandleFunc("GET /people/{id}/edit", h.signedIn(h.editPerson))
	rt.HandleFunc("POST /people/{id}", h.signedIn(h.updatePerson))
	rt.HandleFunc("POST /people/{id}/account", h.signedIn(h.createAccount))

	rt.HandleFunc("GET /org", h.signedIn(h.orgTree))
	rt.HandleFunc("GET /org/units/{id}", h.signedIn(h.unit))
	rt.HandleFunc("POST /org/units", h.signedIn(h.createUnit))
	rt.HandleFunc("POST /org/units/{id}", h.signedIn(h.updateUnit))
	rt.HandleFunc("POST /org/units/{id}/delete", h.signedIn(h.deleteUnit))
	rt.HandleFunc("GET /org/roles", h.signedIn(h.roles))
	rt.HandleFunc("POST /org/roles", h.signedIn(h.createRole))
	rt.HandleFunc("POST /org/roles/{id}", h.signedIn(h.updateRole))
	rt.HandleFunc("POST /org/roles/{id}/delete", h.signedIn(h.deleteRole))
	rt.HandleFunc("GET /org/units/export", h.signedIn(h.exportUnits))

	rt.HandleFunc("GET /admin/import", h.signedIn(h.importForm))
	rt.HandleFunc("POST /admin/import", h.signedIn(h.upload))
	rt.HandleFunc("GET /admin/import/{id}", h.signedIn(h.preview))
	rt.HandleFunc("POST /admin/import/{id}/apply", h.signedIn(h.applyImport))
	rt.HandleFunc("POST /admin/import/{id}/discard", h.signedIn(h.discardImport))
	rt.HandleFunc("GET /admin/accounts", h.signedIn(h.accounts))
	rt.HandleFunc("POST /admin/accounts/{id}/roles", h.signedIn(h.setRoles))
	rt.HandleFunc("POST /admin/accounts/{id}/disable", h.signedIn(h.disableAccount))
	rt.HandleFunc("POST /admin/accounts/{id}/enable", h.signedIn(h.enableAccount))
	rt.HandleFunc("POST /admin/accounts/{id}/password-link", h.signedIn(h.passwordLink))
	rt.HandleFunc("POST /admin/accounts/{id}/sessions/end", h.signedIn(h.endSessions))
	rt.HandleFunc("GET /admin/tokens", h.signedIn(h.allTokens))
	rt.HandleFunc("POST /admin/tokens/{id}/revoke", h.signedIn(h.revokeAnyToken))
	rt.HandleFunc("GET /admin/audit", h.signedIn(h.auditLog))
	rt.HandleFunc("GET /admin/lrs", h.signedIn(h.lrsClients))
	rt.HandleFunc("POST /admin/lrs/clients", h.signedIn(h.createLRSClient))
	rt.HandleFunc("POST /admin/lrs/clients/{id}/revoke", h.signedIn(h.revokeLRSClient))
	rt.HandleFunc("POST /admin/lrs/mappings", h.signedIn(h.createMapping))
	rt.HandleFunc("POST /admin/lrs/mappings/delete", h.signedIn(h.deleteMapping))
	rt.HandleFunc("GET /record", h.signedIn(h.record))
	rt.HandleFunc("GET /record/export", h.signedIn(h.exportRecord))

	rt.HandleFunc("GET /skills", h.signedIn(h.mySkills))
	rt.HandleFunc("GET /people/{id}/skills", h.signedIn(h.personSkillsPage))
	rt.HandleFunc("POST /people/{id}/skills/ratings", h.signedIn(h.rateSkill))
	rt.HandleFunc("GET /skills/matrix", h.signedIn(h.matrix))
	rt.HandleFunc("GET /skills/matrix/export", h.signedIn(h.exportMatrix))
	rt.HandleFunc("GET /skills/needs", h.signedIn(h.needs))
	rt.HandleFunc("GET /skills/assess", h.signedIn(h.assessForm))
	rt.HandleFunc("POST /skills/assess", h.signedIn(h.assess))
	rt.HandleFunc("GET /skills/validate", h.signedIn(h.validations))
	rt.HandleFunc("POST /skills/validate", h.signedIn(h.validate))
	rt.HandleFunc("GET /skills/needs/export", h.signedIn(h.exportNeeds))
	rt.HandleFunc("GET /skills/gaps", h.signedIn(h.gaps))
	rt.HandleFunc("GET /skills/gaps/export", h.signedIn(h.exportGaps))
	rt.HandleFunc("GET /skills/framework", h.signedIn(h.framework))
	rt.HandleFunc("POST /skills/framework/categories", h.signedIn(h.createCategory))
	rt.HandleFunc("POST /skills/framework/skills", h.signedIn(h.createSkill))
	rt.HandleFunc("GET /skills/framework/{id}", h.signedIn(h.skill))
	rt.HandleFunc("POST /skills/framework/{id}", h.signedIn(h.updateSkill))
	rt.HandleFunc("GET /org/roles/{id}", h.signedIn(h.role))
	rt.HandleFunc("POST /org/roles/{id}/requirements", h.signedIn(h.setRequirement))
	rt.HandleFunc("POST /org/roles/{id}/requirements/{skill}/delete", h.signedIn(h.deleteRequirement))
	h.registerSurveys(rt)
	h.registerTraining(rt)
}

// Fail answers err as an error page; the server uses it for unknown addresses.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, err error) { h.fail(w, r, err) }
