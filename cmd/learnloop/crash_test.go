package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
)

// TestMain lets a test run this binary as the learnloop command, to kill it midway.
func TestMain(m *testing.M) {
	if args := os.Getenv("LEARNLOOP_TEST_RUN_CLI"); args != "" {
		err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(exitCode(err))
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilledImportLeavesTheDataAsItWas kills the process halfway through a large import: the
// people from before the import must all be there, none of the file's, and the database intact.
func TestKilledImportLeavesTheDataAsItWas(t *testing.T) {
	data, err := demo.Build(demo.Options{People: 40_000, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	units, people := filepath.Join(dir, "units.csv"), filepath.Join(dir, "people.csv")
	os.WriteFile(units, data.UnitsCSV, 0o600)
	os.WriteFile(people, data.PeopleCSV, 0o600)
	dsns := map[string]string{"sqlite": filepath.Join(dir, "crash.db")}
	if os.Getenv(dbtest.EnvPostgres) != "" {
		dsns["postgres"] = dbtest.PostgresDSN(t)
	}
	for engine, dsn := range dsns {
		t.Run(engine, func(t *testing.T) {
			cliRun := func(args ...string) *exec.Cmd {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "LEARNLOOP_TEST_RUN_CLI="+strings.Join(append(args, "--db", dsn, "--log-level", "warn"), "\x1f"))
				return cmd
			}
			if out, err := cliRun("import", "org-units", units).CombinedOutput(); err != nil {
				t.Fatalf("units: %v\n%s", err, out)
			}
			// Everyone but the last 5,000, imported for real; then the whole file, killed midway.
			lines := strings.SplitAfter(string(data.PeopleCSV), "\n")
			first := filepath.Join(dir, "first.csv")
			os.WriteFile(first, []byte(strings.Join(lines[:len(lines)-5001], "")), 0o600)
			if out, err := cliRun("import", "people", first).CombinedOutput(); err != nil {
				t.Fatalf("first import: %v\n%s", err, out)
			}
			before := countRows(t, engine, dsn)
			// A change to every person already there, plus the new ones: a big transaction.
			changed := filepath.Join(dir, "changed.csv")
			os.WriteFile(changed, []byte(strings.ReplaceAll(string(data.PeopleCSV), "@northwind.example", "@northwind-new.example")), 0o600)
			cmd := cliRun("import", "people", "--full", changed)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill it once the transaction has begun writing: when SQLite's write-ahead log grows,
			// or when PostgreSQL shows the import's writes running.
			deadline := time.Now().Add(30 * time.Second)
			for !writing(t, engine, dsn) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			state, _ := cmd.Process.Wait()
			if state.Success() {
				t.Fatal("the import finished before it could be killed; give this test a larger file")
			}
			after := countRows(t, engine, dsn)
			if after != before {
				t.Errorf("after the killed import: %v, before: %v", after, before)
			}
		})
	}
}

// writing reports whether the import's transaction is writing people.
func writing(t *testing.T, engine, dsn string) bool {
	if engine == "sqlite" {
		st, err := os.Stat(dsn + "-wal")
		return err == nil && st.Size() > 4<<20
	}
	d, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	_ = d.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND (query LIKE 'INSERT INTO people %' OR query LIKE 'UPDATE people SET%')`).Scan(&n)
	return n > 0
}

type counts struct{ people, newEmails, imports int }

func countRows(t *testing.T, engine, dsn string) counts {
	t.Helper()
	driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[engine]
	d, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var c counts
	if err := d.QueryRow(`SELECT count(*) FROM people`).Scan(&c.people); err != nil {
		t.Fatal(err)
	}
	d.QueryRow(`SELECT count(*) FROM people WHERE email LIKE '%@northwind-new.example'`).Scan(&c.newEmails)
	d.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'people.import'`).Scan(&c.imports)
	if engine == "sqlite" {
		var ok string
		if err := d.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity check: %s %v", ok, err)
		}
	}
	return c
}
