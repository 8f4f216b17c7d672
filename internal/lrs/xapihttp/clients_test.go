package xapihttp_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/db/dbtest"
)

// clientsDir holds the client scripts and the package.json that pins the libraries; CI installs
// them with npm ci before go test.
const clientsDir = "testdata/clients"

// clientRuns are the libraries and the xAPI versions each one speaks. TinCanJS 0.50.0 knows
// 1.0.0 to 1.0.2, which the LRS serves as 1.0.3. xAPI.js 3.0.3 documents 1.0.0 to 1.0.3 and
// defaults to 1.0.3, but sends whatever version it is given and nothing in its requests differs
// by version, so it is also run as a 2.0.0 client.
var clientRuns = []struct{ script, version string }{
	{"tincan.cjs", "1.0.0"},
	{"tincan.cjs", "1.0.1"},
	{"tincan.cjs", "1.0.2"},
	{"xapijs.mjs", "1.0.3"},
	{"xapijs.mjs", "2.0.0"},
}

// expectFail are the checks that fail because of a known LRS defect, with the defect. A listed
// check that passes fails the test, so that the list shrinks when the defect is fixed.
var expectFail = map[string]string{}

// clientCheck is one line of a script's output.
type clientCheck struct {
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// TestRealClientLibraries runs two xAPI client libraries written elsewhere, TinCanJS and
// xAPI.js, against the LRS mounted at /xapi/ as in the server: statements one by one and in a
// batch, retrieval by id, queries with filters and more links, voiding, the State, Activity
// Profile and Agent Profile documents with ETags, and the Activities, Agents and About
// resources. It runs with the end-to-end tests (LEARNLOOP_E2E) and needs Node.js and the
// libraries installed with npm ci.
func TestRealClientLibraries(t *testing.T) {
	if os.Getenv("LEARNLOOP_E2E") == "" {
		t.Skip("LEARNLOOP_E2E is not set")
	}
	const install = "run npm ci --prefix internal/lrs/xapihttp/testdata/clients"
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("LEARNLOOP_E2E is set but Node.js (node) is not installed; install it and %s", install)
	}
	for _, lib := range []string{"tincanjs", "@xapi/xapi"} {
		if _, err := os.Stat(filepath.Join(clientsDir, "node_modules", lib, "package.json")); err != nil {
			t.Fatalf("LEARNLOOP_E2E is set but %s is not installed in %s/node_modules; %s", lib, clientsDir, install)
		}
	}
	for _, run := range clientRuns {
		t.Run(strings.TrimSuffix(run.script, filepath.Ext(run.script))+"/"+run.version, func(t *testing.T) {
			t.Parallel()
			e := start(t, dbtest.SQLite(t))
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, run.script, e.srv.URL+"/xapi/", e.key, e.secret, run.version)
			cmd.Dir = clientsDir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			runErr := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("node %s did not finish within 60 s:\n%s%s", run.script, stdout.String(), stderr.String())
			}
			checks := parseChecks(stdout.String())
			failures := 0
			for _, c := range checks {
				defect, known := expectFail[c.Check]
				switch {
				case !c.OK && !known:
					t.Errorf("check %s failed: %s", c.Check, c.Detail)
				case !c.OK:
					t.Logf("check %s fails as expected (%s): %s", c.Check, defect, c.Detail)
				case known:
					t.Errorf("check %s passes but is listed in expectFail (%s); remove it from the list", c.Check, defect)
				}
				if !c.OK {
					failures++
				}
			}
			// A script that stops early, or exits 0 over a failed check, is broken itself.
			if len(checks) < 40 {
				t.Errorf("node %s reported %d checks, want at least 40", run.script, len(checks))
			}
			if runErr != nil && failures == 0 {
				t.Errorf("node %s exited with %v though no check failed", run.script, runErr)
			}
			if runErr == nil && failures > 0 {
				t.Errorf("node %s exited 0 though %d checks failed", run.script, failures)
			}
			if t.Failed() {
				t.Logf("output of node %s %s:\n%s%s", run.script, run.version, stdout.String(), stderr.String())
			}
		})
	}
}

// parseChecks reads the checks from a script's output, skipping lines that are not checks.
func parseChecks(out string) []clientCheck {
	var checks []clientCheck
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var c clientCheck
		if err := json.Unmarshal(sc.Bytes(), &c); err == nil && c.Check != "" {
			checks = append(checks, c)
		}
	}
	return checks
}
