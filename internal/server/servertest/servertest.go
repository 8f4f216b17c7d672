// Package servertest starts real learnloop servers for tests: a demo organization on SQLite, the
// full HTTP stack on a local port, and signed-in clients for every role. The organization is
// generated once per test binary and copied for each server, so every test gets its own data in
// milliseconds.
package servertest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/server"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/training"
)

// Password is every demo account's password in tests.
const Password = "test password 123"

// Roles of the signed-in test clients, from least to most privileged.
const (
	Anon     = "anon"
	Employee = "employee"
	Manager  = "manager"
	LnD      = "lnd"
	HR       = "hr"
	Sys      = "sys"
	// TokenRead is an API token of the HR administrator limited to people:read.
	TokenRead = "token-read"
	// TokenAudit is an API token of the HR administrator limited to audit:read.
	TokenAudit = "token-audit"
	// TokenSkills is an API token of the HR administrator limited to skills:read: it reads the
	// framework but not figures about everyone, which also need people:read.
	TokenSkills = "token-skills"
)

// Roles lists the browser roles in order.
var Roles = []string{Anon, Employee, Manager, LnD, HR, Sys}

// Fixture names things in the template organization tests refer to.
type Fixture struct {
	Emails   map[string]string // role → email
	Persons  map[string]string // role → person id
	Accounts map[string]string // role → account id
	// Outsider is a person neither the employee nor the manager may see.
	Outsider string
	// NoAccount is an active person with an email and no account.
	NoAccount string
	// Report is a direct report of the manager (not the employee).
	Report       string
	EmptyUnit    string
	Unit         string // a unit with people
	UnusedRole   string
	Role         string // a role people hold
	HRToken      string // id of the HR administrator's people:read token
	StagedImport string
	Skill        string // a skill that Role requires
	Training     TrainingFixture
}

// TrainingFixture names the training things of the test organization: published items, a
// draft, a path, a workshop with a future session whose instructor is the manager, a test,
// the employee's enrollments (one assigned by the manager), a request waiting for the
// manager's decision, a registration, a certificate, a rule, a content file and an attempt
// still open.
type TrainingFixture struct {
	Item          string // published, open to all, with a content file and a test
	Content       string // the item's PDF
	Question      string // a question of the item's bank
	Quiz          string // the item's test
	Draft         string // a draft item, hidden from learners
	DraftTitle    string
	Assigned      string // assigned-only compliance item, required of the employee
	Approval      string // needs the manager's approval
	Path          string
	Workshop      string
	Session       string // of the workshop, next month, capacity 10, taught by the manager
	Enrollment    string // the employee's enrollment in Assigned (by the manager)
	Request       string // the report's request to take Approval
	Registration  string // the employee's seat in Session
	Certificate   string // the employee's certificate for Item
	CertCode      string // its verification code
	Rule          string
	Attempt       string // the L&D administrator's open attempt at Quiz
	EmployeeItems string // title of a completed item of the employee
}

type template struct {
	dir     string
	fix     Fixture
	cookies map[string]string // role → session cookie value (or anonymous CSRF cookie)
	csrf    map[string]string
	tokens  map[string]string
	err     error
}

// TestPeople is the size of the organization tests run on.
const TestPeople = 120

var (
	mu        sync.Mutex
	templates = map[shape]*template{}
)

// Env is one running server with its own copy of the template organization.
type Env struct {
	URL     string
	DB      *db.DB
	Server  *server.Server
	Fix     Fixture
	Mail    *mail.Outbox
	cookies map[string]string
	csrf    map[string]string
	tokens  map[string]string
	closeFn func()
}

// Start runs a server on a fresh copy of the test organization.
func Start(t testing.TB) *Env { t.Helper(); return StartWith(t, TestPeople) }

// shape is what a template organization is made of: its size, and whether the demo's own
// training catalog and history are in it (the tests' fixture is made by hand either way).
type shape struct {
	people   int
	training bool
}

// StartWith runs a server on a fresh copy of a demo organization of the given size, built once per
// test binary (benchmarks use 100,000 people).
func StartWith(t testing.TB, people int) *Env { t.Helper(); return startShape(t, shape{people, false}) }

// StartWithTraining is StartWith on an organization with the demo's training catalog, sessions
// and history too (about ten enrollments a person), for benchmarks.
func StartWithTraining(t testing.TB, people int) *Env {
	t.Helper()
	return startShape(t, shape{people, true})
}

func startShape(t testing.TB, sh shape) *Env {
	t.Helper()
	mu.Lock()
	tmpl, ok := templates[sh]
	if !ok {
		tmpl = buildTemplate(sh)
		templates[sh] = tmpl
	}
	mu.Unlock()
	if tmpl.err != nil {
		t.Fatalf("build the test organization: %v", tmpl.err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(tmpl.dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "t.db")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := start(tmpl, path, &mail.Outbox{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.close)
	return env
}

var testLog = slog.New(slog.NewTextHandler(logOut(), nil))

func logOut() io.Writer {
	if os.Getenv("LEARNLOOP_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

func start(tmpl *template, path string, out *mail.Outbox) (*Env, error) {
	ctx := context.Background()
	d, err := db.Open(ctx, path, db.Options{MaxConns: 4})
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	srv, err := server.New(ctx, server.Config{BaseURL: ts.URL, MaxUpload: 8 << 20, Files: filepath.Join(tmpl.dir, "t-files"), Version: "test"}, d, testLog, core.SystemClock{}, out)
	if err != nil {
		return nil, err
	}
	srv.Services.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	ts.Config.Handler = srv.Handler()
	e := &Env{URL: ts.URL, DB: d, Server: srv, Fix: tmpl.fix, Mail: out, cookies: tmpl.cookies, csrf: tmpl.csrf, tokens: tmpl.tokens}
	closeServer := ts.Close
	e.closeFn = func() { closeServer(); d.Close() }
	return e, nil
}

func (e *Env) close() { e.closeFn() }

// buildTemplate generates the organization, signs every role in and records their cookies.
func buildTemplate(sh shape) *template {
	people := sh.people
	tmpl := &template{}
	fail := func(err error) { tmpl.err = err }
	dir, err := os.MkdirTemp("", "learnloop-servertest-")
	if err != nil {
		fail(err)
		return tmpl
	}
	tmpl.dir = dir
	ctx := context.Background()
	path := filepath.Join(dir, "t.db")
	d, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		fail(err)
		return tmpl
	}
	if _, err := d.Migrate(ctx); err != nil {
		fail(err)
		return tmpl
	}
	orgs := org.NewService(d, core.SystemClock{})
	accounts := auth.NewService(d, core.SystemClock{}, orgs, &mail.Outbox{}, testLog, "")
	accounts.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	// The training fixture below is made by hand: the demo's own catalog stays out of the way.
	res, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: people, Seed: 7, Password: Password, Training: demo.TrainingOptions{Off: !sh.training}})
	if err != nil {
		fail(err)
		return tmpl
	}
	fix := Fixture{Emails: map[string]string{}, Persons: map[string]string{}, Accounts: map[string]string{}}
	labels := map[string]string{"System administrator": Sys, "HR administrator": HR, "L&D administrator": LnD, "Manager": Manager, "Employee": Employee}
	for _, l := range res.Logins {
		role := labels[l.Role]
		fix.Emails[role] = l.Email
		p, err := orgs.FindPersonByEmail(ctx, l.Email)
		if err != nil {
			fail(err)
			return tmpl
		}
		fix.Persons[role] = p.ID
		a, err := accounts.AccountByEmail(ctx, l.Email)
		if err != nil {
			fail(err)
			return tmpl
		}
		fix.Accounts[role] = a.ID
	}
	if err := fillFixture(ctx, d, orgs, accounts, &fix); err != nil {
		fail(err)
		return tmpl
	}
	if err := fillSurveys(ctx, d, &fix); err != nil {
		fail(err)
		return tmpl
	}
	if err := fillTraining(ctx, d, dir, orgs, &fix); err != nil {
		fail(err)
		return tmpl
	}
	tmpl.fix = fix
	d.Close()

	// Sign in through the real HTTP stack, so the cookies are what browsers get.
	env, err := start(tmpl, path, &mail.Outbox{})
	if err != nil {
		fail(err)
		return tmpl
	}
	defer env.close()
	tmpl.cookies, tmpl.csrf = map[string]string{}, map[string]string{}
	for _, role := range Roles {
		cookie, csrf, err := signIn(env.URL, fix.Emails[role])
		if err != nil {
			fail(err)
			return tmpl
		}
		tmpl.cookies[role], tmpl.csrf[role] = cookie, csrf
	}
	hr := &core.Actor{AccountID: fix.Accounts[HR], PersonID: fix.Persons[HR], Roles: []core.Role{core.RoleHRAdmin}}
	tmpl.tokens = map[string]string{}
	for role, scope := range map[string]core.Permission{TokenRead: core.PermPeopleRead, TokenAudit: core.PermAuditRead, TokenSkills: core.PermSkillsRead} {
		tok, secret, err := env.Server.Services.Auth.CreateToken(ctx, hr, auth.NewToken{Name: role, Scopes: []core.Permission{scope}})
		if err != nil {
			fail(err)
			return tmpl
		}
		tmpl.tokens[role] = secret
		if role == TokenRead {
			tmpl.fix.HRToken = tok.ID
		}
	}
	return tmpl
}

// fillFixture finds or makes the people, units and roles the tests need.
func fillFixture(ctx context.Context, d *db.DB, orgs *org.Service, accounts *auth.Service, fix *Fixture) error {
	mgr := &core.Actor{PersonID: fix.Persons[Manager], IsManager: true}
	team, _, _, err := orgs.FindPeople(ctx, mgr, org.PersonFilter{ManagerID: fix.Persons[Manager], Limit: 50})
	if err != nil {
		return err
	}
	for _, p := range team {
		if p.ID != fix.Persons[Employee] {
			fix.Report = p.ID
			break
		}
	}
	fix.Outsider = fix.Persons[HR]
	everyone, _, _, err := orgs.FindPeople(ctx, core.System, org.PersonFilter{Limit: 500})
	if err != nil {
		return err
	}
	logins := map[string]bool{}
	for _, id := range fix.Persons {
		logins[id] = true
	}
	for _, p := range everyone {
		if !logins[p.ID] && p.Email != "" && p.OrgUnitID != "" && p.JobRoleID != "" {
			fix.NoAccount, fix.Unit, fix.Role = p.ID, p.OrgUnitID, p.JobRoleID
			break
		}
	}
	u, err := orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: "EMPTY", Name: "Empty team", Kind: "team"})
	if err != nil {
		return err
	}
	fix.EmptyUnit = u.ID
	r, err := orgs.CreateRole(ctx, core.System, org.RoleInput{Name: "Unused role"})
	if err != nil {
		return err
	}
	fix.UnusedRole = r.ID
	st, err := importer.New(d, core.SystemClock{}, orgs.ImportKinds()...).Stage(ctx, core.System, org.KindPeople, []byte("employee_number,given_name,family_name\nT-1,Test,Person\n"), importer.Options{Filename: "staged.csv"})
	if err != nil {
		return err
	}
	fix.StagedImport = st.ID
	sk := skills.NewService(d, core.SystemClock{}, orgs)
	cat, err := sk.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Test fixtures"})
	if err != nil {
		return err
	}
	skill, err := sk.CreateSkill(ctx, core.System, skills.SkillInput{Name: "Fixture skill", CategoryID: cat.ID})
	if err != nil {
		return err
	}
	fix.Skill = skill.ID
	return sk.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: fix.Role, SkillID: skill.ID, Level: 3, Criticality: "important"})
}

// The surveys of the test organization, each with one optional text question, authored by the
// L&D administrator and due in a year. DraftSurvey is a draft sent to no one; OpenSurvey is open,
// sent to the employee and the L&D administrator. Their ids are fixed so that the rows of the
// permission table can name them.
const (
	DraftSurvey = "01900000-0000-7000-8000-00000000d001"
	OpenSurvey  = "01900000-0000-7000-8000-00000000d002"
)

func fillSurveys(ctx context.Context, d *db.DB, fix *Fixture) error {
	svc := survey.NewService(d, core.SystemClock{})
	author := &core.Actor{PersonID: fix.Persons[LnD], Roles: []core.Role{core.RoleLnDAdmin}}
	deadline := time.Now().AddDate(1, 0, 0)
	for _, s := range []struct{ id, title string }{{DraftSurvey, "Fixture draft survey"}, {OpenSurvey, "Fixture open survey"}} {
		sv, err := svc.CreateSurvey(ctx, author, survey.SurveyInput{Title: s.title, Deadline: deadline})
		if err != nil {
			return err
		}
		// The id is set while nothing refers to the survey yet; the questions come after.
		if _, err := d.ExecContext(ctx, `UPDATE surveys SET id = ? WHERE id = ?`, s.id, sv.ID); err != nil {
			return err
		}
		q := []survey.QuestionInput{{Kind: survey.QuestionText, Prompt: "Anything to add?"}}
		if _, err := svc.UpdateSurvey(ctx, author, s.id, survey.SurveyInput{Title: s.title, Deadline: deadline, Questions: q}); err != nil {
			return err
		}
	}
	if _, err := svc.Send(ctx, author, OpenSurvey, survey.Recipients{PersonIDs: []string{fix.Persons[Employee], fix.Persons[LnD]}}); err != nil {
		return err
	}
	return svc.Open(ctx, author, OpenSurvey)
}

// A minimal PDF for content uploads.
var fixturePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func fillTraining(ctx context.Context, d *db.DB, dir string, orgs *org.Service, fix *Fixture) error {
	blobs, err := blob.Open(filepath.Join(dir, "t-files"))
	if err != nil {
		return err
	}
	sk := skills.NewService(d, core.SystemClock{}, orgs)
	tr := training.NewService(d, core.SystemClock{}, orgs, sk, blobs)
	lnd := &core.Actor{PersonID: fix.Persons[LnD], Roles: []core.Role{core.RoleLnDAdmin}, Name: "L&D"}
	mgr := &core.Actor{PersonID: fix.Persons[Manager], IsManager: true, Name: "Manager"}
	emp := &core.Actor{PersonID: fix.Persons[Employee], Name: "Employee"}
	tf := &fix.Training
	item := func(in training.ItemInput) (*training.Item, error) {
		if in.Status == "" {
			in.Status = training.StatusPublished
		}
		return tr.CreateItem(ctx, lnd, in)
	}
	it, err := item(training.ItemInput{Code: "FIX-1", Title: "Fixture course", Kind: training.KindELearning, Certifying: true,
		Skills:     []training.ItemSkill{{SkillID: fix.Skill, TargetLevel: 3}},
		Objectives: []training.ObjectiveInput{{Text: "Identify the fixture's parts"}}})
	if err != nil {
		return err
	}
	tf.Item = it.ID
	c, err := tr.AddContentFile(ctx, lnd, it.ID, "Handout", "handout.pdf", bytes.NewReader(fixturePDF))
	if err != nil {
		return err
	}
	tf.Content = c.ID
	q, err := tr.SaveQuestion(ctx, lnd, it.ID, "", training.QuestionInput{Kind: training.QuestionSingle, Prompt: "Which part is the fixture?",
		ObjectiveID: it.Objectives[0].ID, Options: []training.OptionInput{{Text: "This one", Correct: true}, {Text: "That one"}}})
	if err != nil {
		return err
	}
	tf.Question = q.ID
	z, err := tr.SetQuiz(ctx, lnd, it.ID, training.QuizTest, training.QuizInput{PassMark: 50})
	if err != nil {
		return err
	}
	tf.Quiz = z.ID
	tf.DraftTitle = "Fixture draft course"
	draft, err := item(training.ItemInput{Title: tf.DraftTitle, Kind: training.KindCourse, Status: training.StatusDraft})
	if err != nil {
		return err
	}
	tf.Draft = draft.ID
	assigned, err := item(training.ItemInput{Title: "Fixture compliance module", Kind: training.KindELearning, Enrollment: training.EnrollAssigned,
		Compliance: true, ValidityMonths: 12})
	if err != nil {
		return err
	}
	tf.Assigned = assigned.ID
	approval, err := item(training.ItemInput{Title: "Fixture approval course", Kind: training.KindCourse, Enrollment: training.EnrollApproval})
	if err != nil {
		return err
	}
	tf.Approval = approval.ID
	path, err := item(training.ItemInput{Title: "Fixture path", Kind: training.KindPath})
	if err != nil {
		return err
	}
	tf.Path = path.ID
	if _, err := tr.SetPath(ctx, lnd, path.ID, training.PathInput{Levels: []training.PathLevelInput{{Name: "One", ItemIDs: []string{it.ID}}}}); err != nil {
		return err
	}
	ws, err := item(training.ItemInput{Title: "Fixture workshop", Kind: training.KindWorkshop})
	if err != nil {
		return err
	}
	tf.Workshop = ws.ID
	start := time.Now().UTC().Truncate(time.Hour).AddDate(0, 1, 0)
	ss, err := tr.CreateSession(ctx, lnd, training.SessionInput{ItemID: ws.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), TimeZone: "Europe/London",
		Location: "Room 1", Capacity: 10, InstructorID: fix.Persons[Manager]})
	if err != nil {
		return err
	}
	tf.Session = ss.ID
	reg, err := tr.Register(ctx, emp, ss.ID)
	if err != nil {
		return err
	}
	tf.Registration = reg.ID
	if _, err := tr.Assign(ctx, mgr, training.AssignInput{ItemID: assigned.ID, PersonIDs: []string{emp.PersonID}, DueOn: core.DateOf(start)}); err != nil {
		return err
	}
	open, _, err := tr.FindEnrollments(ctx, emp, training.EnrollmentFilter{PersonID: emp.PersonID, ItemID: assigned.ID, Status: "open"})
	if err != nil || len(open) != 1 {
		return errUnexpected("no fixture enrollment")
	}
	tf.Enrollment = open[0].ID
	req, err := tr.Enroll(ctx, &core.Actor{PersonID: fix.Report}, approval.ID)
	if err != nil {
		return err
	}
	tf.Request = req.ID
	score := 90.0
	if _, err := tr.RecordCompletion(ctx, lnd, training.RecordInput{PersonID: emp.PersonID, ItemID: it.ID, CompletedAt: time.Now().Add(-48 * time.Hour), Score: &score}); err != nil {
		return err
	}
	certs, err := tr.FindCertificates(ctx, emp, "")
	if err != nil {
		return err
	}
	for _, c := range certs {
		if c.ItemID == it.ID {
			tf.Certificate, tf.CertCode, tf.EmployeeItems = c.ID, c.Code, it.Title
		}
	}
	if tf.Certificate == "" {
		return errUnexpected("no fixture certificate")
	}
	ruleRole, err := orgs.CreateRole(ctx, core.System, org.RoleInput{Name: "Fixture rule role"})
	if err != nil {
		return err
	}
	rule, _, err := tr.CreateRule(ctx, lnd, training.RuleInput{Name: "Fixture rule", ItemID: assigned.ID, JobRoleID: ruleRole.ID, DueDays: 30, Active: true})
	if err != nil {
		return err
	}
	tf.Rule = rule.ID
	a, err := tr.StartAttempt(ctx, lnd, z.ID)
	if err != nil {
		return err
	}
	tf.Attempt = a.ID
	return nil
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn signs in through the login form; with an empty email it only fetches an anonymous
// visitor's CSRF cookie and token.
func signIn(base, email string) (cookie, csrf string, err error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		return "", "", err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		return "", "", errUnexpected("no CSRF token on the login page")
	}
	var anon *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == httpx.CSRFCookie {
			anon = ck
		}
	}
	if email == "" {
		return anon.Name + "=" + anon.Value, string(m[1]), nil
	}
	form := url.Values{"csrf_token": {string(m[1])}, "email": {email}, "password": {Password}, "next": {"/"}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(anon)
	res, err = c.Do(req)
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.Name == httpx.SessionCookie && ck.Value != "" {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	if cookie == "" {
		return "", "", errUnexpected("sign-in of " + email + " answered " + res.Status + " without a session")
	}
	// The CSRF token of a session is on every signed-in page.
	req, _ = http.NewRequest("GET", base+"/account/password", nil)
	req.Header.Set("Cookie", cookie)
	res, err = c.Do(req)
	if err != nil {
		return "", "", err
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if m = csrfRE.FindSubmatch(body); m == nil {
		return "", "", errUnexpected("no CSRF token for " + email)
	}
	return cookie, string(m[1]), nil
}

type errUnexpected string

func (e errUnexpected) Error() string { return string(e) }

// Response is an answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Do sends a request as role and returns the answer without following redirects. For browser
// roles it sends the session cookie and, on state-changing requests, the CSRF token: as the
// csrf_token field of a form body, else as the X-CSRF-Token header. Token roles send a bearer
// token instead.
func (e *Env) Do(t testing.TB, role, method, path, contentType, body string) *Response {
	t.Helper()
	safe := httpx.IsSafe(method)
	if !safe && contentType == "application/x-www-form-urlencoded" && e.csrf[role] != "" {
		if body != "" {
			body += "&"
		}
		body += "csrf_token=" + url.QueryEscape(e.csrf[role])
	}
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	e.Authorize(req, role)
	if !safe && contentType != "application/x-www-form-urlencoded" && e.csrf[role] != "" && e.tokens[role] == "" {
		req.Header.Set(httpx.CSRFHeader, e.csrf[role])
	}
	return e.Send(t, req)
}

// Authorize adds role's credentials to req: a session cookie or a bearer token.
func (e *Env) Authorize(req *http.Request, role string) {
	if tok := e.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if c := e.cookies[role]; c != "" {
		req.Header.Set("Cookie", c)
	}
}

// Send sends req as it is.
func (e *Env) Send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Cookie returns role's session cookie ("name=value"), for browsers.
func (e *Env) Cookie(role string) string { return e.cookies[role] }

// CSRF returns role's CSRF token.
func (e *Env) CSRF(role string) string { return e.csrf[role] }

// Token returns the secret of a token role.
func (e *Env) Token(role string) string { return e.tokens[role] }

// Cleanup removes the template organizations; call it from TestMain after the tests ran.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	for n, t := range templates {
		if t.dir != "" {
			_ = os.RemoveAll(t.dir)
		}
		delete(templates, n)
	}
}
