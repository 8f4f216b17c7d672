// Package server assembles learnloop's HTTP service: it builds the domain services, mounts the
// web UI, the JSON API, health checks and metrics, and wraps them in the middleware every request
// passes through (recovery, logging, metrics, security headers, cross-origin protection,
// authentication and CSRF checks).
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/api"
	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapihttp"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tna"
	"github.com/learnloop/learnloop/internal/training"
	"github.com/learnloop/learnloop/internal/web"
)

// Config is what the server needs to know about its surroundings.
type Config struct {
	// BaseURL is the address people use ("https://learn.example.com"); it builds links in emails
	// and, when https, makes cookies Secure.
	BaseURL string
	// TrustedProxies are the networks whose X-Forwarded-For header is believed.
	TrustedProxies []netip.Prefix
	// MaxUpload bounds uploaded import files.
	MaxUpload int64
	// Files is the directory of uploaded training content; FilesDir gives the default.
	Files string
	// MaxContent bounds one uploaded content file (slides, videos); default 512 MB.
	MaxContent int64
	// ShutdownTimeout bounds how long in-flight requests may take to finish on shutdown.
	ShutdownTimeout time.Duration
	Version         string
}

// Services are the domain services behind the HTTP layer.
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

// FilesDir is where uploaded files go unless configured: beside a SQLite database file
// (learnloop.db → learnloop-files), else in ./learnloop-files.
func FilesDir(d *db.DB) string {
	if d.Dialect == db.SQLite && d.Path != "" {
		return strings.TrimSuffix(d.Path, filepath.Ext(d.Path)) + "-files"
	}
	return "learnloop-files"
}

// NewServices wires the domain services over one database. cfg gives the public address (links
// in emails and calendars) and the files directory.
func NewServices(d *db.DB, clock core.Clock, mailer mail.Mailer, log *slog.Logger, cfg Config) (Services, error) {
	orgs := org.NewService(d, clock)
	sk := skills.NewService(d, clock, orgs)
	sv := survey.NewService(d, clock)
	dir := cfg.Files
	if dir == "" {
		dir = FilesDir(d)
	}
	blobs, err := blob.Open(dir)
	if err != nil {
		return Services{}, err
	}
	tr := training.NewService(d, clock, orgs, sk, blobs)
	if cfg.MaxContent > 0 {
		tr.MaxUpload = cfg.MaxContent
	}
	return Services{Org: orgs, Auth: auth.NewService(d, clock, orgs, mailer, log, cfg.BaseURL), Audit: &audit.Service{DB: d}, Skills: sk,
		Imports: importer.New(d, clock, slices.Concat(orgs.ImportKinds(), sk.ImportKinds(), tr.ImportKinds())...), Surveys: sv,
		TNA: &tna.Service{Org: orgs, Skills: sk, Surveys: sv, Clock: clock}, Training: tr, Notify: &notify.Service{DB: d, Clock: clock},
		LRS: newLRS(d, clock, cfg.BaseURL, tr)}, nil
}

func newLRS(d *db.DB, clock core.Clock, base string, tr *training.Service) *lrs.Service {
	l := lrs.New(d, clock, base)
	l.Training = tr
	return l
}

// Server is learnloop's HTTP service.
type Server struct {
	cfg      Config
	log      *slog.Logger
	db       *db.DB
	Services Services
	router   *httpx.Router
	handler  http.Handler
	csrfKey  []byte
	metrics  *metrics
	secure   bool
	pages    *web.Handler
}

// New builds the services on d and the HTTP handler around them.
func New(ctx context.Context, cfg Config, d *db.DB, log *slog.Logger, clock core.Clock, mailer mail.Mailer) (*Server, error) {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 64 << 20
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	if mailer == nil {
		mailer = mail.LogMailer{Log: log}
	}
	key, err := d.Secret(ctx, "csrf_key")
	if err != nil {
		return nil, err
	}
	services, err := NewServices(d, clock, mailer, log, cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, db: d, csrfKey: key, router: httpx.NewRouter(), Services: services, secure: strings.HasPrefix(cfg.BaseURL, "https://")}
	orgs := s.Services.Org
	s.metrics = newMetrics(d)
	w, err := web.New(web.Config{SecureCookies: s.secure, MaxUpload: cfg.MaxUpload, MaxContent: s.Services.Training.MaxUpload, BaseURL: cfg.BaseURL, Version: cfg.Version},
		web.Services{Org: orgs, Auth: s.Services.Auth, Audit: s.Services.Audit, Skills: s.Services.Skills, Imports: s.Services.Imports, Surveys: s.Services.Surveys,
			TNA: s.Services.TNA, Training: s.Services.Training, Notify: s.Services.Notify, LRS: s.Services.LRS}, log, clock)
	if err != nil {
		return nil, err
	}
	s.pages = w
	a := &api.Handler{Org: orgs, Auth: s.Services.Auth, Audit: s.Services.Audit, Skills: s.Services.Skills, Imports: s.Services.Imports, Surveys: s.Services.Surveys,
		TNA: s.Services.TNA, Training: s.Services.Training, Notify: s.Services.Notify, Log: log, MaxUpload: cfg.MaxUpload, BaseURL: cfg.BaseURL, Version: cfg.Version}
	a.Register(s.router)
	w.Register(s.router)
	s.router.HandleFunc("GET /healthz", s.healthz)
	s.router.HandleFunc("GET /readyz", s.readyz)
	s.router.Handle("GET /metrics", s.metrics.handler())

	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("base URL %q: %w", cfg.BaseURL, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.deny(w, r, "This request came from another site and was refused.")
	}))
	// The LRS speaks its own protocol: HTTP Basic credentials of LRS clients, no cookies (so no
	// CSRF), and CORS for content in other origins.
	app := s.headers(cop.Handler(s.authenticate(s.known(s.checkCSRF(s.router.Mux)))))
	xapi := &xapihttp.Handler{LRS: s.Services.LRS, Log: log}
	s.handler = s.recoverer(s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == xapihttp.Prefix || strings.HasPrefix(r.URL.Path, xapihttp.Prefix+"/") {
			if info := httpx.InfoFrom(r.Context()); info != nil {
				info.Pattern = r.Method + " " + xapihttp.Route(r.URL.Path)
			}
			xapi.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})))
	return s, nil
}

// Handler returns the whole HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Router returns the router, for tests that inspect the routes.
func (s *Server) Router() *httpx.Router { return s.router }

// Serve answers requests on ln until ctx is done, then stops accepting connections and waits up
// to the shutdown timeout for requests in flight to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large import files
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	// Cleanup: expired sessions, old throttling records and stale import uploads, fading stale
	// skill levels, the skill gap statistics, the query planner's statistics. Every step is idempotent, so several instances may
	// run them at once.
	go s.every(ctx, 10*time.Minute, "cleanup", s.Services.Auth.Cleanup, s.Services.Imports.Cleanup, s.refreshLevels, s.refreshGapStats, s.db.Optimize)
	go s.every(ctx, time.Minute, "assignment rules", s.refreshRules)
	go s.every(ctx, 5*time.Second, "learning record", s.deliverEvents, s.applyEvidence)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-done; !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return err
}

// every runs the steps now and then at each interval until ctx ends, logging their errors.
func (s *Server) every(ctx context.Context, interval time.Duration, what string, steps ...func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, f := range steps {
			if err := f(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn(what, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshLevels recomputes skill levels not computed for a day, so that confidence keeps fading
// for skills nobody shows; a batch at a time, idempotent across instances.
func (s *Server) refreshLevels(ctx context.Context) error {
	_, err := s.Services.Skills.RefreshLevels(ctx, time.Now().Add(-24*time.Hour), 5000)
	return err
}

// refreshGapStats brings the counts behind the skill gap ranking up to date with what changed
// since the last run, and takes the day's snapshot for the trends. A refresh that only adjusted a
// few counts is not worth a log line; a recount or a snapshot is.
func (s *Server) refreshGapStats(ctx context.Context) error {
	start := time.Now()
	rep, err := s.Services.Skills.RefreshGapStats(ctx)
	if err != nil {
		return err
	}
	if rep.Full || rep.Recounted > 0 || rep.Snapshot {
		s.log.Info("skill gap statistics refreshed", "full", rep.Full, "changes", rep.Changes, "people", rep.People, "requirements", rep.Requirements,
			"units", rep.Units, "adjusted", rep.Adjusted, "recounted", rep.Recounted, "snapshot", rep.Snapshot, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// deliverEvents writes the learning events of the last moments as xAPI statements.
func (s *Server) deliverEvents(ctx context.Context) error {
	_, err := s.Services.LRS.Deliver(ctx)
	return err
}

// applyEvidence records the completions that other tools reported about mapped activities.
func (s *Server) applyEvidence(ctx context.Context) error {
	n, err := s.Services.LRS.ApplyEvidence(ctx)
	if n > 0 {
		s.log.Info("completions recorded from xAPI statements", "completions", n)
	}
	return err
}

const rulesDailyKey = "training_rules_evaluated_at"

// refreshRules applies the training assignment rules to the people who joined or moved (every
// minute), and to everyone once a day, which also starts renewals of recurring compliance items.
// Both are idempotent: an open enrollment is unique per person and item, so instances running
// them at once cannot assign anything twice.
func (s *Server) refreshRules(ctx context.Context) error {
	tr := s.Services.Training
	rep, err := tr.RefreshRules(ctx)
	if err != nil {
		return err
	}
	if rep.Assigned+rep.Withdrawn+rep.Renewals > 0 {
		s.log.Info("assignment rules applied to changed people", "people", rep.People, "assigned", rep.Assigned, "withdrawn", rep.Withdrawn)
	}
	last, err := s.db.Setting(ctx, rulesDailyKey)
	if err != nil {
		return err
	}
	if t, err := time.Parse(time.RFC3339, last); err == nil && time.Since(t) < 24*time.Hour {
		return nil
	}
	// Claim the day's run first, so that other instances skip it.
	if err := s.db.PutSetting(ctx, rulesDailyKey, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	start := time.Now()
	rep, err = tr.EvaluateRules(ctx, core.System)
	if err != nil {
		return err
	}
	s.log.Info("assignment rules applied to everyone", "items", rep.Items, "assigned", rep.Assigned, "renewals", rep.Renewals,
		"withdrawn", rep.Withdrawn, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz answers 200 when the database answers and its schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unreachable")
		return
	}
	pending, err := s.db.Pending(ctx)
	if err != nil || len(pending) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "database schema is not current (%d migrations pending)\n", len(pending))
		return
	}
	fmt.Fprintln(w, "ready")
}
