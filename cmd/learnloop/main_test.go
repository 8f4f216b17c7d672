package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// cli runs learnloop commands in-process against one database, as an operator would.
type cli struct {
	t   *testing.T
	dir string
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	dir := t.TempDir()
	return &cli{t: t, dir: dir, env: map[string]string{"LEARNLOOP_DB": filepath.Join(dir, "ll.db"), "LEARNLOOP_LOG_LEVEL": "warn"}}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return c.env[k] })
	return out.String(), errb.String(), err
}

func (c *cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run(stdin, args...)
	if err != nil {
		c.t.Fatalf("learnloop %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func (c *cli) path(name string) string { return filepath.Join(c.dir, name) }

const demoPassword = "demo password 42"

func TestOperatorCommands(t *testing.T) {
	c := newCLI(t)
	out := c.ok("", "demo", "--no-serve", "--people", "60", "--seed", "3", "--password", demoPassword)
	for _, want := range []string{"60 people", "hr@northwind.example", "manager@northwind.example", "password for all of them: " + demoPassword,
		"training: 61 learning items, 27 sessions"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// A second demo run replaces the first one's database; this one has no training.
	if out := c.ok("", "demo", "--no-serve", "--people", "60", "--seed", "3", "--no-training", "--password", demoPassword); strings.Contains(out, "training:") {
		t.Errorf("demo --no-training has training:\n%s", out)
	}

	out = c.ok("", "user", "create", "--email", "ops@example.com", "--name", "Olga Ops", "--role", "sys_admin")
	pw := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if pw == nil || !strings.Contains(out, "with roles sys_admin") {
		t.Fatalf("user create: %s", out)
	}
	if _, _, err := c.run("", "user", "create", "--email", "ops@example.com", "--name", "Olga Ops"); err == nil || !strings.Contains(err.Error(), "already has an account") {
		t.Errorf("second account for one person: %v", err)
	}
	out = c.ok("", "user", "grant", "--email", "ops@example.com", "--role", "hr-admin")
	if !strings.Contains(out, "hr_admin, sys_admin") {
		t.Errorf("grant: %s", out)
	}
	c.ok("", "user", "grant", "--email", "ops@example.com", "--role", "hr_admin", "--revoke")
	if _, _, err := c.run("a short\n", "user", "set-password", "--email", "ops@example.com", "--password-stdin"); err == nil {
		t.Error("a too-short password was accepted")
	}
	c.ok("a much longer passphrase\n", "user", "set-password", "--email", "ops@example.com", "--password-stdin")

	token := strings.TrimSpace(c.ok("", "token", "create", "--user", "hr@northwind.example", "--scopes", "people:read,people:write", "--name", "sync"))
	if !strings.HasPrefix(token, "ll_") {
		t.Errorf("token create printed %q", token)
	}
	if _, _, err := c.run("", "token", "create", "--user", "employee@northwind.example", "--scopes", "people:write"); err == nil {
		t.Error("an employee's token got people:write")
	}

	// Export, then a full import of the export changes nothing.
	c.ok("", "export", "people", "--out", c.path("people.csv"))
	c.ok("", "export", "org-units", "--out", c.path("units.csv"))
	out = c.ok("", "import", "people", "--full", c.path("people.csv"))
	if !strings.Contains(out, "61 rows: 0 new, 0 updated, 61 unchanged, 0 marked as left (applied)") {
		t.Errorf("re-import: %s", out)
	}
	out = c.ok("", "import", "org-units", "--dry-run", c.path("units.csv"))
	if !strings.Contains(out, "0 new, 0 updated") {
		t.Errorf("units re-import: %s", out)
	}
	// A bad file lists every problem and exits with status 2.
	bad := "employee_number,given_name,family_name,email\nZ1,Zed,,z@\nZ1,Zed,Two,\n"
	os.WriteFile(c.path("bad.csv"), []byte(bad), 0o600)
	out, _, err := c.run("", "import", "people", c.path("bad.csv"))
	if exitCode(err) != 2 || !strings.Contains(out, "line 2: family_name: enter a family name") || !strings.Contains(out, "line 3: employee_number: duplicate") {
		t.Errorf("bad import: exit %d\n%s", exitCode(err), out)
	}

	// A backup is a working database with the same people.
	out = c.ok("", "backup", "--out", c.path("backup.db"))
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup: %s", out)
	}
	if n := countPeople(t, c.path("backup.db")); n != 61 {
		t.Errorf("backup holds %d people, want 61", n)
	}
	if _, _, err := c.run("", "backup", "--out", c.path("backup.db")); err == nil {
		t.Error("backup overwrote an existing file")
	}
	if out := c.ok("", "migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("migrate: %s", out)
	}
	if out := c.ok("", "version"); !strings.HasPrefix(out, "learnloop ") {
		t.Errorf("version: %s", out)
	}
	// The demo never replaces a database that holds real data.
	real := newCLI(t)
	real.ok("", "user", "create", "--email", "boss@example.com", "--name", "Real Boss")
	if _, _, err := real.run("", "demo", "--no-serve", "--password", demoPassword); err == nil || !strings.Contains(err.Error(), "not a learnloop demo") {
		t.Errorf("demo over real data: %v", err)
	}
}

func countPeople(t *testing.T, path string) int {
	t.Helper()
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM people`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEveryCommandExplainsItself(t *testing.T) {
	c := newCLI(t)
	root := newRoot(&env{getenv: func(string) string { return "" }})
	for _, args := range [][]string{{}, {"serve"}, {"demo"}, {"migrate"}, {"user"}, {"user", "create"}, {"user", "set-password"}, {"user", "grant"},
		{"token"}, {"token", "create"}, {"import"}, {"import", "people"}, {"import", "org-units"}, {"import", "skills"}, {"import", "skills-matrix"},
		{"import", "catalog"}, {"export"}, {"export", "people"}, {"export", "org-units"}, {"export", "skills"}, {"export", "matrix"}, {"export", "catalog"},
		{"export", "compliance"}, {"report"}, {"report", "needs"}, {"report", "gaps"}, {"objectives"}, {"objectives", "classify"}, {"rules"}, {"rules", "apply"},
		{"xapi"}, {"xapi", "client"}, {"xapi", "client", "create"}, {"xapi", "client", "list"}, {"xapi", "client", "revoke"}, {"xapi", "export"}, {"xapi", "import"},
		{"backup"}, {"version"}} {
		out := c.ok("", append(args, "--help")...)
		if !strings.Contains(out, "Usage:") || len(out) < 120 {
			t.Errorf("learnloop %s --help:\n%s", strings.Join(args, " "), out)
		}
	}
	// Every command in the tree is in the list above: 13 commands, 22 subcommands (cobra adds
	// help and completion, which explain themselves; xapi client's own three are listed too).
	n := 0
	for _, sub := range root.Commands() {
		n += 1 + len(sub.Commands())
	}
	if n != 35 {
		t.Errorf("%d commands and subcommands; update the list above", n)
	}
}

func TestSettingsComeFromFlagsEnvironmentAndFile(t *testing.T) {
	c := newCLI(t)
	cfg := c.path("learnloop.conf")
	os.WriteFile(cfg, []byte("# test\nLEARNLOOP_DB="+c.path("from-file.db")+"\n"), 0o600)
	delete(c.env, "LEARNLOOP_DB")
	c.ok("", "migrate", "--config", cfg)
	if _, err := os.Stat(c.path("from-file.db")); err != nil {
		t.Errorf("the config file's database was not used: %v", err)
	}
	c.env["LEARNLOOP_DB"] = c.path("from-env.db")
	c.ok("", "migrate", "--config", cfg)
	if _, err := os.Stat(c.path("from-env.db")); err != nil {
		t.Errorf("the environment did not beat the file: %v", err)
	}
	c.ok("", "migrate", "--config", cfg, "--db", c.path("from-flag.db"))
	if _, err := os.Stat(c.path("from-flag.db")); err != nil {
		t.Errorf("the flag did not beat the environment: %v", err)
	}
	secret := c.path("dsn")
	os.WriteFile(secret, []byte(c.path("from-secret.db")+"\n"), 0o600)
	delete(c.env, "LEARNLOOP_DB")
	c.env["LEARNLOOP_DB_FILE"] = secret
	c.ok("", "migrate")
	if _, err := os.Stat(c.path("from-secret.db")); err != nil {
		t.Errorf("LEARNLOOP_DB_FILE was not read: %v", err)
	}
	if _, _, err := c.run("", "migrate", "--log-level", "loud"); err == nil {
		t.Error("a bad log level was accepted")
	}
}

// syncBuffer is a buffer the server's logger and the test read concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeFinishesRequestsInFlightOnShutdown stops the server while an upload is half sent: the
// upload must still be answered, and serve must return cleanly.
func TestServeFinishesRequestsInFlightOnShutdown(t *testing.T) {
	c := newCLI(t)
	c.env["LEARNLOOP_LOG_LEVEL"] = "info"
	c.ok("", "demo", "--no-serve", "--people", "20", "--password", demoPassword)
	token := strings.TrimSpace(c.ok("", "token", "create", "--user", "hr@northwind.example", "--scopes", "people:write"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, logs, func(k string) string { return c.env[k] })
	}()
	var url string
	for i := 0; i < 200 && url == ""; i++ {
		if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(logs.String()); m != nil {
			url = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if url == "" {
		t.Fatalf("the server did not start:\n%s", logs.String())
	}
	if res, err := http.Get(url + "/readyz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	body, w := io.Pipe()
	req, _ := http.NewRequest("POST", url+"/api/v1/people/import?dry_run=true", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	answered := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
		}
		answered <- res
	}()
	io.WriteString(w, "employee_number,given_name,family_name\n")
	time.Sleep(100 * time.Millisecond) // the handler is now reading the body
	cancel()
	time.Sleep(100 * time.Millisecond) // shutdown has begun
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server accepted a new connection after shutdown began")
	}
	io.WriteString(w, "S1,Slow,Upload\n")
	w.Close()
	res := <-answered
	if res == nil || res.StatusCode != 200 {
		t.Fatalf("in-flight request answered %v", res)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", logs.String())
	}
}
