package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
)

// statusWriter remembers the status a handler wrote, and tells the client how long the server
// took until the first byte (the Server-Timing header, which browsers' developer tools show).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	start  time.Time
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.Header().Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(time.Since(w.start).Microseconds())/1000, 'f', 3, 64))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and records its metrics, labelled by the route that served it.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, info := httpx.WithInfo(r.Context())
		sw := &statusWriter{ResponseWriter: w, start: start}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := info.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, r.Method, sw.status, elapsed)
		lvl := levelFor(route, sw.status)
		if !s.log.Enabled(ctx, lvl) {
			return
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status, "bytes", sw.bytes,
			"duration_ms", float64(elapsed.Microseconds()) / 1000}
		if info.Auth != nil && info.Auth.Actor != nil {
			attrs = append(attrs, "account", info.Auth.Actor.AccountID)
		}
		s.log.Log(ctx, lvl, "request", attrs...)
	})
}

func levelFor(route string, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case strings.Contains(route, "/static/") || strings.HasSuffix(route, "z") || strings.HasSuffix(route, "/metrics"):
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// recoverer turns a panic into a 500 answer and a logged stack, never a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				s.fail(w, r, core.Errorf(core.EINTERNAL, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// headers sets the security headers every answer carries.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// isAPI reports whether r is for the JSON API, which answers problem+json instead of pages.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail answers err in the request's format.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		httpx.WriteProblem(w, r, s.log, err)
		return
	}
	s.pages.Fail(w, r, err)
}

func (s *Server) deny(w http.ResponseWriter, r *http.Request, msg string) {
	s.fail(w, r, core.Errorf(core.EFORBIDDEN, "%s", msg))
}

// authenticate finds the actor: a bearer token (integrations) or a session cookie (browsers).
// An invalid token is refused outright; an invalid cookie just means "signed out".
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a := &httpx.Auth{ClientIP: httpx.ClientIP(r, s.cfg.TrustedProxies)}
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				s.fail(w, r, core.Errorf(core.EUNAUTHORIZED, "use an Authorization: Bearer token"))
				return
			}
			actor, err := s.Services.Auth.TokenActor(ctx, strings.TrimSpace(token))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			a.Actor = actor
			next.ServeHTTP(w, r.WithContext(httpx.WithAuth(ctx, a)))
			return
		}
		binding := ""
		if c, err := r.Cookie(httpx.SessionCookie); err == nil && c.Value != "" {
			actor, sess, err := s.Services.Auth.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				a.Actor, a.SessionToken, binding = actor, c.Value, "session:"+sess.ID
			case core.ErrorCode(err) == core.EUNAUTHORIZED:
				http.SetCookie(w, &http.Cookie{Name: httpx.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
			default:
				s.fail(w, r, err)
				return
			}
		}
		if binding == "" {
			anon := ""
			if c, err := r.Cookie(httpx.CSRFCookie); err == nil && len(c.Value) >= 20 {
				anon = c.Value
			} else if !isAPI(r) {
				b := make([]byte, 24)
				_, _ = rand.Read(b)
				anon = base64.RawURLEncoding.EncodeToString(b)
				http.SetCookie(w, &http.Cookie{Name: httpx.CSRFCookie, Value: anon, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
			}
			if anon != "" {
				binding = "anon:" + anon
			}
		}
		if binding != "" {
			a.CSRF = s.csrfToken(binding)
		}
		next.ServeHTTP(w, r.WithContext(httpx.WithAuth(ctx, a)))
	})
}

// csrfToken derives the token forms must return from what binds the browser: its session, or
// before signing in its anonymous cookie. Nothing needs storing, and a token from one browser is
// useless in another.
func (s *Server) csrfToken(binding string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("csrf|" + binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF requires the CSRF token on every state-changing request a browser sends with
// cookies. Requests with a bearer token carry no ambient credentials and need none.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := httpx.AuthFrom(r.Context())
		if httpx.IsSafe(r.Method) || (a.Actor != nil && a.Actor.TokenID != "") {
			next.ServeHTTP(w, r)
			return
		}
		got := r.Header.Get(httpx.CSRFHeader)
		if got == "" {
			ct := r.Header.Get("Content-Type")
			switch {
			case strings.HasPrefix(ct, "multipart/form-data"):
				// The largest upload of any form (an import file, a training video); each
				// handler holds its own files to their own limit. Parts beyond 8 MB wait on disk.
				limit := max(s.cfg.MaxUpload, s.Services.Training.MaxUpload)
				r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
				if err := r.ParseMultipartForm(8 << 20); err != nil {
					s.fail(w, r, uploadError(err, limit))
					return
				}
			case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
				r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSONBody)
				if err := r.ParseForm(); err != nil {
					s.fail(w, r, uploadError(err, httpx.MaxJSONBody))
					return
				}
			}
			got = r.PostFormValue(httpx.CSRFField)
		}
		if a.CSRF == "" || !hmac.Equal([]byte(got), []byte(a.CSRF)) {
			if isAPI(r) && a.Actor == nil {
				s.fail(w, r, core.Errorf(core.EUNAUTHORIZED, "sign in or send an API token"))
				return
			}
			s.deny(w, r, "The form has expired or did not come from this site. Go back, reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func uploadError(err error, limit int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return core.Errorf(core.ETOOLARGE, "the upload is larger than %s", httpx.Bytes(limit))
	}
	return core.Errorf(core.EINVALID, "the form could not be read: %v", err)
}

// probe records what the mux's own fallback handler would answer, without writing it.
type probe struct {
	header http.Header
	status int
}

func (p *probe) Header() http.Header         { return p.header }
func (p *probe) Write(b []byte) (int, error) { return len(b), nil }
func (p *probe) WriteHeader(code int)        { p.status = code }

// known answers requests no route matches — an unknown address (404) or a wrong method (405, with
// Allow) — in the request's format: problem+json for the API, a page for people.
func (s *Server) known(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := s.router.Mux.Handler(r)
		if pattern != "" {
			next.ServeHTTP(w, r)
			return
		}
		p := &probe{header: http.Header{}}
		h.ServeHTTP(p, r)
		switch p.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", p.header.Get("Allow"))
			s.fail(w, r, core.Errorf(core.EMETHOD, "%s is not allowed here; use %s", r.Method, p.header.Get("Allow")))
		case http.StatusNotFound:
			s.fail(w, r, core.Errorf(core.ENOTFOUND, "There is nothing at %s.", r.URL.Path))
		default:
			next.ServeHTTP(w, r) // redirects the mux makes for unclean paths
		}
	})
}
