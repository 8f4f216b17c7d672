package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/db/dbtest"
)

// TestAcknowledgedStatementsSurviveAKill sends bursts of statements to a running server, kills
// it with SIGKILL while requests are in flight, and checks that every statement the LRS
// answered 200 for is in the database.
func TestAcknowledgedStatementsSurviveAKill(t *testing.T) {
	dir := t.TempDir()
	dsns := map[string]string{"sqlite": filepath.Join(dir, "lrs.db")}
	if os.Getenv(dbtest.EnvPostgres) != "" {
		dsns["postgres"] = dbtest.PostgresDSN(t)
	}
	for engine, dsn := range dsns {
		t.Run(engine, func(t *testing.T) {
			cli := func(args ...string) *exec.Cmd {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "LEARNLOOP_TEST_RUN_CLI="+strings.Join(append(args, "--db", dsn, "--log-level", "warn"), "\x1f"))
				return cmd
			}
			out, err := cli("xapi", "client", "create", "--name", "burst", "--scopes", "statements/write", "--format", "json").Output()
			if err != nil {
				t.Fatalf("client create: %v\n%s", err, out)
			}
			var cred struct{ Key, Secret string }
			if err := json.Unmarshal(out, &cred); err != nil || cred.Key == "" || cred.Secret == "" {
				t.Fatalf("client create printed %q: %v", out, err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			srv := cli("serve", "--addr", addr)
			srv.Stderr = os.Stderr
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			defer srv.Process.Kill()
			url := "http://" + addr + "/xapi/statements"
			deadline := time.Now().Add(30 * time.Second)
			for {
				if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
					res.Body.Close()
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the server did not start")
				}
				time.Sleep(20 * time.Millisecond)
			}
			var mu sync.Mutex
			var acked []string
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					client := &http.Client{Timeout: 5 * time.Second}
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						var batch []string
						for j := range 1 + i%10 {
							batch = append(batch, fmt.Sprintf(`{"actor":{"mbox":"mailto:w%d@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"http://example.com/a/%d/%d"}}`, w, i, j))
						}
						req, _ := http.NewRequest("POST", url, bytes.NewBufferString("["+strings.Join(batch, ",")+"]"))
						req.SetBasicAuth(cred.Key, cred.Secret)
						req.Header.Set("X-Experience-API-Version", "1.0.3")
						req.Header.Set("Content-Type", "application/json")
						res, err := client.Do(req)
						if err != nil {
							return // the server is gone
						}
						var ids []string
						err = json.NewDecoder(res.Body).Decode(&ids)
						res.Body.Close()
						if res.StatusCode != http.StatusOK || err != nil {
							if res.StatusCode != http.StatusOK {
								t.Errorf("POST answered %d", res.StatusCode)
							}
							return
						}
						mu.Lock()
						acked = append(acked, ids...)
						mu.Unlock()
					}
				}()
			}
			time.Sleep(1500 * time.Millisecond)
			if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			close(stop)
			wg.Wait()
			srv.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(acked) < 100 {
				t.Fatalf("only %d statements were acknowledged before the kill", len(acked))
			}
			driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[engine]
			d, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			have := map[string]bool{}
			rows, err := d.Query(`SELECT id FROM xapi_statements`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id string
				rows.Scan(&id)
				have[id] = true
			}
			rows.Close()
			missing := 0
			for _, id := range acked {
				if !have[id] {
					missing++
				}
			}
			if missing > 0 {
				t.Fatalf("%d of %d acknowledged statements are missing after the kill", missing, len(acked))
			}
			t.Logf("%s: %d acknowledged statements, all stored (%d rows)", engine, len(acked), len(have))
		})
	}
}

func TestXAPIClientsImportAndExport(t *testing.T) {
	c := newCLI(t)
	c.ok("", "migrate")
	out := c.ok("", "xapi", "client", "create", "--name", "Vendor", "--scopes", "statements/write,state")
	if !strings.Contains(out, "key:") || !strings.Contains(out, "secret:") {
		t.Fatalf("client create printed %q", out)
	}
	if _, _, err := c.run("", "xapi", "client", "create", "--name", "Bad", "--scopes", "statements/everything"); err == nil || !strings.Contains(err.Error(), "unknown scope") {
		t.Fatalf("an unknown scope: %v", err)
	}
	list := c.ok("", "xapi", "client", "list")
	key := strings.Fields(strings.Split(out, "\n")[0])[1]
	if !strings.Contains(list, "Vendor") || !strings.Contains(list, key) || !strings.Contains(list, "active") {
		t.Fatalf("client list:\n%s", list)
	}
	c.ok("", "xapi", "client", "revoke", key)
	if list := c.ok("", "xapi", "client", "list"); !strings.Contains(list, "revoked") {
		t.Fatalf("after revoke:\n%s", list)
	}

	line := func(i int) string {
		return fmt.Sprintf(`{"id":"%08d-0000-4000-8000-000000000000","actor":{"mbox":"mailto:ana@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/a/%d"}}`, i, i)
	}
	good := line(1) + "\n\n" + line(2) + "\n" + line(3) + "\n"
	bad := good + `{"actor":{"mbox":"ana@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/x"}}` + "\n"
	_, _, err := c.run(bad, "xapi", "import", "-")
	if err == nil || !strings.Contains(err.Error(), "line 5") || !strings.Contains(err.Error(), "actor.mbox") {
		t.Fatalf("a bad line: %v", err)
	}
	if out := c.ok("", "xapi", "export"); out != "" {
		t.Fatalf("a refused import stored statements:\n%s", out)
	}
	_, errOut, err := c.run(good, "xapi", "import", "-")
	if err != nil || !strings.Contains(errOut, "3 statements read, 3 stored") {
		t.Fatalf("import: %v %s", err, errOut)
	}
	_, errOut, _ = c.run(good, "xapi", "import", "-")
	if !strings.Contains(errOut, "3 statements read, 0 stored") {
		t.Fatalf("importing again: %s", errOut)
	}
	out = c.ok("", "xapi", "export")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"00000001-0000-4000-8000-000000000000"`) {
		t.Fatalf("export:\n%s", out)
	}
	if out := c.ok("", "xapi", "export", "--activity", "http://example.com/a/2"); strings.Count(out, "\n") != 1 {
		t.Fatalf("filtered export:\n%s", out)
	}
}
