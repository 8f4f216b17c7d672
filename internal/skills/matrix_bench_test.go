package skills_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/server"
	"github.com/learnloop/learnloop/internal/skills"
)

// The skills benchmarks below run on the demo's benchmark organization: 100,000 people, 2,000
// skills and about 3 million ratings. Generating it takes minutes, so they run only with
// LEARNLOOP_BENCH_SKILLS=1 and keep the data between runs (dbtest.Kept): a SQLite file in LEARNLOOP_BENCH_DIR
// (the temporary directory by default) and, when LEARNLOOP_TEST_POSTGRES_DSN is set, a database
// named learnloop_bench_skills_100000 on that server. Delete them to generate afresh. See docs/PERFORMANCE.md.
//
//	LEARNLOOP_BENCH_SKILLS=1 LEARNLOOP_TEST_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  go test -run XXX -bench 'Skills(Matrix|Export|Recompute)' -timeout 2h ./internal/skills/
const (
	envBenchSkills    = "LEARNLOOP_BENCH_SKILLS"
	benchSkillsPeople = 100_000
	benchPassword     = "bench password 123"
	benchSkillsName   = "learnloop-bench-skills-100000"
)

var benchLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// skillsBenchDB opens the benchmark organization on an engine, generating it first when it is
// not there yet.
func skillsBenchDB(b *testing.B, dialect db.Dialect) *db.DB {
	b.Helper()
	if os.Getenv(envBenchSkills) == "" {
		b.Skip("set " + envBenchSkills + "=1 to measure on the 100,000-person benchmark organization")
	}
	return dbtest.Kept(b, dialect, benchSkillsName, func(d *db.DB) { generateBench(b, d) })
}

// generateBench writes the benchmark organization into an empty database, with cheap password
// hashing (the benchmarks sign in once).
func generateBench(b *testing.B, d *db.DB) {
	b.Helper()
	clock := core.SystemClock{}
	orgs := org.NewService(d, clock)
	accounts := auth.NewService(d, clock, orgs, &mail.Outbox{}, benchLog, "")
	accounts.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	start := time.Now()
	res, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: benchSkillsPeople, Seed: 1, Password: benchPassword, Skills: demo.BenchmarkSkills,
		Training: demo.TrainingOptions{Off: true}})
	if err != nil {
		b.Fatalf("generate the benchmark organization: %v", err)
	}
	b.Logf("generated %d people, %d skills, %d ratings on %s in %s", res.People, res.Skills, res.Ratings, d.Dialect, time.Since(start).Round(time.Second))
}

// benchOrg is the benchmark organization with the services over it.
type benchOrg struct {
	d    *db.DB
	orgs *org.Service
	svc  *skills.Service
	// team is an org unit of 50 people whose roles require about 200 distinct skills, and
	// thousand one of 1,000 people spread over every role: the demo's own teams have about 9
	// people and 20 skills, and its whole framework of required skills is 289.
	team, thousand string
	hr             *core.Actor
	hrEmail        string
}

// Codes of the org units the benchmarks add to the demo organization.
const (
	benchTeamCode     = "BENCH-TEAM-50"
	benchThousandCode = "BENCH-1000"
)

func openSkillsBench(b *testing.B, dialect db.Dialect) *benchOrg {
	b.Helper()
	d := skillsBenchDB(b, dialect)
	clock := core.SystemClock{}
	orgs := org.NewService(d, clock)
	o := &benchOrg{d: d, orgs: orgs, svc: skills.NewService(d, clock, orgs)}
	var hrID string
	if err := d.QueryRowContext(ctx, `SELECT p.id, p.email FROM accounts a JOIN account_roles r ON r.account_id = a.id JOIN people p ON p.id = a.person_id
		WHERE r.role = 'hr_admin' ORDER BY p.employee_number LIMIT 1`).Scan(&hrID, &o.hrEmail); err != nil {
		b.Fatalf("find the HR administrator: %v", err)
	}
	o.hr = &core.Actor{PersonID: hrID, Name: "HR", Roles: []core.Role{core.RoleHRAdmin}}
	o.team, o.thousand = benchUnitID(b, d, benchTeamCode), benchUnitID(b, d, benchThousandCode)
	if o.team == "" || o.thousand == "" {
		o.team, o.thousand = buildBenchUnits(b, o)
	}
	return o
}

func benchUnitID(b *testing.B, d *db.DB, code string) string {
	b.Helper()
	var id string
	if err := d.QueryRowContext(ctx, `SELECT id FROM org_units WHERE code = ?`, code).Scan(&id); err != nil && !db.IsNoRows(err) {
		b.Fatal(err)
	}
	return id
}

// buildBenchUnits moves people into the two benchmark units, once per database: for the team,
// whole roles are chosen greedily by how many skills they add until 200 are required, then 50 of
// their people; for the thousand, people of every role in turn. Everything is ordered by names
// and employee numbers, so both engines get the same shape.
func buildBenchUnits(b *testing.B, o *benchOrg) (team, thousand string) {
	b.Helper()
	needs := map[string]map[string]bool{} // role name → skill names
	rows, err := o.d.QueryContext(ctx, `SELECT r.name, s.name FROM role_requirements rr JOIN job_roles r ON r.id = rr.job_role_id
		JOIN skills s ON s.id = rr.skill_id WHERE s.retired_at IS NULL`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var role, skill string
		if err := rows.Scan(&role, &skill); err != nil {
			b.Fatal(err)
		}
		if needs[role] == nil {
			needs[role] = map[string]bool{}
		}
		needs[role][skill] = true
	}
	rows.Close()
	holders := map[string][]string{} // role name → active people, by employee number
	rows, err = o.d.QueryContext(ctx, `SELECT r.name, p.id FROM people p JOIN job_roles r ON r.id = p.job_role_id
		WHERE p.status = 'active' AND p.org_unit_id IS NOT NULL ORDER BY p.employee_number`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var role, id string
		if err := rows.Scan(&role, &id); err != nil {
			b.Fatal(err)
		}
		holders[role] = append(holders[role], id)
	}
	rows.Close()
	var roles []string
	for r := range holders {
		if len(needs[r]) > 0 {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	// The team: roles held by at least three people, each adding the most new skills.
	covered, chosen := map[string]bool{}, []string{}
	for len(covered) < 200 {
		best, gain := "", 0
		for _, r := range roles {
			g := 0
			for sk := range needs[r] {
				if !covered[sk] {
					g++
				}
			}
			if len(holders[r]) >= 3 && g > gain {
				best, gain = r, g
			}
		}
		if best == "" {
			break
		}
		chosen = append(chosen, best)
		for sk := range needs[best] {
			covered[sk] = true
		}
	}
	taken := map[string]bool{}
	pick := func(roles []string, n int) []string {
		var out []string
		for round := 0; len(out) < n; round++ {
			added := false
			for _, r := range roles {
				if len(out) == n {
					break
				}
				if round < len(holders[r]) && !taken[holders[r][round]] {
					out = append(out, holders[r][round])
					taken[holders[r][round]] = true
					added = true
				}
			}
			if !added {
				break
			}
		}
		return out
	}
	teamPeople := pick(chosen, 50)
	thousandPeople := pick(roles, 1000)
	move := func(code, name string, people []string) string {
		u, err := o.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: code, Name: name, Kind: "team"})
		if err != nil {
			b.Fatal(err)
		}
		err = o.d.WithTx(ctx, func(tx *db.Tx) error {
			for start := 0; start < len(people); start += 500 {
				chunk := people[start:min(start+500, len(people))]
				args := []any{u.ID}
				for _, id := range chunk {
					args = append(args, id)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE people SET org_unit_id = ? WHERE id IN `+db.In(len(chunk)), args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		return u.ID
	}
	team = move(benchTeamCode, "Skills benchmark team", teamPeople)
	thousand = move(benchThousandCode, "Skills benchmark thousand", thousandPeople)
	b.Logf("benchmark team: %d people of %d roles requiring %d skills; thousand: %d people", len(teamPeople), len(chosen), len(covered), len(thousandPeople))
	return team, thousand
}

// reportTimes reports percentiles of per-iteration times in milliseconds.
func reportTimes(b *testing.B, times []float64) {
	b.Helper()
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	at := func(q float64) float64 { return times[min(len(times)-1, int(q*float64(len(times))))] }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(times[len(times)-1], "max-ms")
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkSkillsMatrix measures one team's matrix page (the 50-person team whose roles require
// about 200 skills, 200 skills per page) through the service and through the whole HTTP stack,
// against two naive ways to get the same cells: a query per cell, and one join of the team's
// people with every skill.
func BenchmarkSkillsMatrix(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			o := openSkillsBench(b, dialect)
			f := skills.MatrixFilter{OrgUnitID: o.team, SkillLimit: 200}
			m, err := o.svc.Matrix(ctx, o.hr, f)
			if err != nil {
				b.Fatal(err)
			}
			rated := 0
			for _, r := range m.Rows {
				for _, c := range r.Cells {
					if c.Rated {
						rated++
					}
				}
			}
			b.Logf("team matrix: %d people on the page (%d in the team), %d of %d skills, %d rated cells", len(m.Rows), m.People, len(m.Skills), m.TotalSkills, rated)
			b.Run("service", func(b *testing.B) {
				var times []float64
				for b.Loop() {
					start := time.Now()
					if _, err := o.svc.Matrix(ctx, o.hr, f); err != nil {
						b.Fatal(err)
					}
					times = append(times, millis(time.Since(start)))
				}
				reportTimes(b, times)
			})
			b.Run("naive-per-cell", func(b *testing.B) {
				var times []float64
				for b.Loop() {
					start := time.Now()
					if n := naiveMatrixPerCell(b, o, 200); n != rated {
						b.Fatalf("naive matrix found %d rated cells, the service %d", n, rated)
					}
					times = append(times, millis(time.Since(start)))
				}
				reportTimes(b, times)
			})
			b.Run("naive-join", func(b *testing.B) {
				var times []float64
				for b.Loop() {
					start := time.Now()
					if n := naiveMatrixJoin(b, o, 200); n != rated {
						b.Fatalf("naive matrix found %d rated cells, the service %d", n, rated)
					}
					times = append(times, millis(time.Since(start)))
				}
				reportTimes(b, times)
			})
			b.Run("http", func(b *testing.B) {
				base, cookie := startBenchServer(b, o)
				var server, client []float64
				for b.Loop() {
					start := time.Now()
					req, _ := http.NewRequest("GET", base+"/skills/matrix?unit="+o.team, nil)
					req.Header.Set("Cookie", cookie)
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					client = append(client, millis(time.Since(start)))
					if res.StatusCode != 200 || !bytes.Contains(body, []byte(m.Skills[len(m.Skills)-1].Name)) {
						b.Fatalf("matrix page: %s, %d bytes", res.Status, len(body))
					}
					_, dur, _ := strings.Cut(res.Header.Get("Server-Timing"), "dur=")
					ms, err := strconv.ParseFloat(dur, 64)
					if err != nil {
						b.Fatalf("no Server-Timing: %q", res.Header.Get("Server-Timing"))
					}
					server = append(server, ms)
					b.ReportMetric(float64(len(body))/1024, "page-KB")
				}
				reportTimes(b, server)
				slices.Sort(client)
				b.ReportMetric(client[len(client)/2], "client-p50-ms")
			})
		})
	}
}

// naiveColumns reads the team and the skills its roles require, in matrix order, at most limit.
func naiveColumns(b *testing.B, o *benchOrg, limit int) ([]*org.Person, []string) {
	b.Helper()
	people, err := o.orgs.Selection(ctx, o.hr, org.PersonFilter{OrgUnitID: o.team}, skills.MaxTeam+1)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := o.d.QueryContext(ctx, `SELECT s.id FROM skills s LEFT JOIN skill_categories c ON c.id = s.category_id
		WHERE s.retired_at IS NULL AND s.id IN (SELECT rr.skill_id FROM role_requirements rr JOIN people p ON p.job_role_id = rr.job_role_id
		WHERE p.org_unit_id = ? AND p.status = 'active')
		ORDER BY lower(COALESCE(c.name, '')), lower(s.name) LIMIT ?`, o.team, limit)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		cols = append(cols, id)
	}
	return people, cols
}

// naiveMatrixPerCell fills the matrix with one query per cell (the person's level and what
// their role requires); it returns the number of rated cells.
func naiveMatrixPerCell(b *testing.B, o *benchOrg, limit int) int {
	b.Helper()
	people, cols := naiveColumns(b, o, limit)
	rated := 0
	for _, p := range people {
		for _, sk := range cols {
			var level sql.NullFloat64
			var required sql.NullInt64
			if err := o.d.QueryRowContext(ctx, `SELECT (SELECT level FROM skill_levels WHERE person_id = ? AND skill_id = ?),
				(SELECT level FROM role_requirements WHERE job_role_id = ? AND skill_id = ?)`, p.ID, sk, p.JobRoleID, sk).Scan(&level, &required); err != nil {
				b.Fatal(err)
			}
			if level.Valid {
				rated++
			}
		}
	}
	return rated
}

// naiveMatrixJoin reads the team's people joined with every skill, their levels and their
// roles' requirements in one query, then keeps the required skills in Go; it returns the number
// of rated cells in the first limit columns.
func naiveMatrixJoin(b *testing.B, o *benchOrg, limit int) int {
	b.Helper()
	rows, err := o.d.QueryContext(ctx, `SELECT p.id, s.id, lower(COALESCE(c.name, '')), lower(s.name), sl.level, sl.confidence, rr.level, rr.criticality
		FROM people p CROSS JOIN skills s LEFT JOIN skill_categories c ON c.id = s.category_id
		LEFT JOIN skill_levels sl ON sl.person_id = p.id AND sl.skill_id = s.id
		LEFT JOIN role_requirements rr ON rr.job_role_id = p.job_role_id AND rr.skill_id = s.id
		WHERE p.org_unit_id = ? AND p.status = 'active' AND s.retired_at IS NULL
		ORDER BY p.sort_name, p.id, 3, 4`, o.team)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	type cell struct {
		person, skill, key string
		rated              bool
	}
	var cells []cell
	required := map[string]string{} // skill → sort key
	for rows.Next() {
		var c cell
		var cat, name string
		var level, confidence sql.NullFloat64
		var req sql.NullInt64
		var crit sql.NullString
		if err := rows.Scan(&c.person, &c.skill, &cat, &name, &level, &confidence, &req, &crit); err != nil {
			b.Fatal(err)
		}
		c.key, c.rated = cat+"\x00"+name, level.Valid
		if req.Valid {
			required[c.skill] = c.key
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 0, len(required))
	for _, k := range required {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > limit {
		keys = keys[:limit]
	}
	last := ""
	if len(keys) > 0 {
		last = keys[len(keys)-1]
	}
	rated := 0
	for _, c := range cells {
		if _, ok := required[c.skill]; ok && c.rated && c.key <= last {
			rated++
		}
	}
	return rated
}

// startBenchServer runs the real HTTP stack on the benchmark organization and signs the HR
// administrator in; it returns the server's address and the session cookie.
func startBenchServer(b *testing.B, o *benchOrg) (string, string) {
	b.Helper()
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	b.Cleanup(ts.Close)
	srv, err := server.New(ctx, server.Config{BaseURL: ts.URL, Version: "bench"}, o.d, benchLog, core.SystemClock{}, &mail.Outbox{})
	if err != nil {
		b.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	sess, _, err := srv.Services.Auth.Login(ctx, o.hrEmail, benchPassword, "127.0.0.1", "bench")
	if err != nil {
		b.Fatalf("sign in as %s: %v", o.hrEmail, err)
	}
	return ts.URL, httpx.SessionCookie + "=" + sess.Token
}

// exportCase is a selection to export.
type exportCase struct {
	name string
	f    func(o *benchOrg) skills.MatrixFilter
	// inMemory says whether the naive in-memory workbook is built too.
	inMemory bool
}

var exportCases = []exportCase{
	{"1k", func(o *benchOrg) skills.MatrixFilter { return skills.MatrixFilter{OrgUnitID: o.thousand} }, true},
	{"berlin-9k", func(*benchOrg) skills.MatrixFilter { return skills.MatrixFilter{Location: "Berlin"} }, true},
	{"austin-11k", func(*benchOrg) skills.MatrixFilter { return skills.MatrixFilter{Location: "Austin"} }, true},
	{"everyone-98k", func(*benchOrg) skills.MatrixFilter { return skills.MatrixFilter{} }, false},
}

// BenchmarkSkillsExport measures the XLSX export of growing selections with about 290 skills
// each (the 1,000-person unit, two offices of 9,000 and 11,000 people, everyone): time, the
// peak of the Go heap in use, and the peak resident memory of the process, against building the
// same workbook in memory with excelize's cell API. Choose cases with -bench, e.g.
// 'SkillsExport/sqlite/austin' (everyone-98k takes minutes).
func BenchmarkSkillsExport(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			o := openSkillsBench(b, dialect)
			for _, c := range exportCases {
				f := c.f(o)
				for _, kind := range []string{"stream", "in-memory"} {
					if kind == "in-memory" && !c.inMemory {
						continue
					}
					b.Run(c.name+"/"+kind, func(b *testing.B) {
						var out countingWriter
						var rows int
						var peakHeap, peakRSS, base uint64
						var reading time.Duration
						for b.Loop() {
							out = countingWriter{}
							var err error
							peakHeap, peakRSS, base = measurePeak(func() {
								if kind == "stream" {
									rows, err = o.svc.ExportMatrix(ctx, o.hr, f, "xlsx", &out)
								} else {
									rows, reading, err = exportInMemory(o, f, &out)
								}
							})
							if err != nil {
								b.Fatal(err)
							}
						}
						m, err := o.svc.Matrix(ctx, o.hr, skills.MatrixFilter{OrgUnitID: f.OrgUnitID, Location: f.Location, Limit: 1})
						if err != nil {
							b.Fatal(err)
						}
						b.ReportMetric(float64(rows), "people")
						b.ReportMetric(float64(m.TotalSkills), "skills")
						b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
						b.ReportMetric(float64(base)/(1<<20), "base-heap-MB")
						if peakRSS > 0 {
							b.ReportMetric(float64(peakRSS)/(1<<20), "peak-rss-MB")
						}
						b.ReportMetric(float64(out.n)/(1<<20), "file-MB")
						if reading > 0 {
							b.ReportMetric(reading.Seconds()/float64(b.N), "matrix-s")
						}
					})
				}
			}
		})
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// measurePeak runs fn while sampling the Go heap in use every 5 ms; it returns the peak, the
// peak resident memory of the process during fn (0 where Linux does not tell; it includes
// SQLite's page caches, which live outside the Go heap) and the heap in use before fn.
func measurePeak(fn func()) (peakHeap, peakRSS, base uint64) {
	// Memory freed by earlier cases goes back to the system first, so the resident peak is this
	// run's.
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base = ms.HeapInuse
	resetRSS := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var peak atomic.Uint64
	peak.Store(base)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var s runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&s)
				if s.HeapInuse > peak.Load() {
					peak.Store(s.HeapInuse)
				}
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	runtime.ReadMemStats(&ms)
	peakHeap = max(peak.Load(), ms.HeapInuse)
	if resetRSS {
		peakRSS = vmHWM()
	}
	return peakHeap, peakRSS, base
}

// vmHWM reads the peak resident set size of this process since it was last reset.
func vmHWM() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// exportInMemory is the naive export: the same two sheets built cell by cell with excelize's
// in-memory API, written at the end. It reads the rows a page at a time through Matrix, which
// works out the selection for every page (the export does that once); it reports the time spent
// reading so that the workbook's share can be told apart.
func exportInMemory(o *benchOrg, f skills.MatrixFilter, w io.Writer) (n int, reading time.Duration, err error) {
	f.Limit, f.SkillLimit = 200, 300
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", skills.SheetMatrix); err != nil {
		return 0, 0, err
	}
	if _, err := x.NewSheet(skills.SheetRequired); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	page, err := o.svc.Matrix(ctx, o.hr, f)
	reading += time.Since(start)
	if err != nil {
		return 0, reading, err
	}
	header := []any{"Employee number", "Name", "Job role", "Org unit"}
	for _, s := range page.Skills {
		header = append(header, s.Name)
	}
	for _, sheet := range []string{skills.SheetMatrix, skills.SheetRequired} {
		if err := x.SetSheetRow(sheet, "A1", &header); err != nil {
			return 0, reading, err
		}
	}
	for {
		for _, r := range page.Rows {
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n+1)
			vals := []any{r.EmployeeNumber, r.Name, r.JobRole, r.OrgUnit}
			req := []any{r.EmployeeNumber, r.Name, r.JobRole, r.OrgUnit}
			for _, c := range r.Cells {
				var v, q any
				if c.Rated {
					v = c.Level
				}
				if c.Required > 0 {
					q = c.Required
				}
				vals, req = append(vals, v), append(req, q)
			}
			if err := x.SetSheetRow(skills.SheetMatrix, cell, &vals); err != nil {
				return n, reading, err
			}
			if err := x.SetSheetRow(skills.SheetRequired, cell, &req); err != nil {
				return n, reading, err
			}
		}
		if page.NextCursor == "" && page.NextOffset == 0 {
			break
		}
		f.Cursor, f.Offset = page.NextCursor, page.NextOffset
		start := time.Now()
		page, err = o.svc.Matrix(ctx, o.hr, f)
		reading += time.Since(start)
		if err != nil {
			return n, reading, err
		}
	}
	_, err = x.WriteTo(w)
	return n, reading, err
}

// scratchCopy returns a copy of the benchmark organization that a benchmark may change.
func scratchCopy(b *testing.B, dialect db.Dialect) *db.DB {
	b.Helper()
	golden := openSkillsBench(b, dialect) // generates the data and the units when missing
	if dialect == db.SQLite {
		if _, err := golden.d.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
	}
	golden.d.Close()
	return dbtest.ScratchCopy(b, dialect, benchSkillsName)
}

// BenchmarkSkillsRecompute measures recording one rating (Service.Rate: the rating, the
// recompute of that person's level in that skill, the audit entry) on a copy of the 3-million-
// rating organization, about 1,900 ratings of people spread over the organization per iteration,
// against the naive alternative of rebuilding every current level from every rating.
func BenchmarkSkillsRecompute(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := scratchCopy(b, dialect)
			clock := core.SystemClock{}
			orgs := org.NewService(d, clock)
			svc := skills.NewService(d, clock, orgs)
			var lnd string
			if err := d.QueryRowContext(ctx, `SELECT a.person_id FROM accounts a JOIN account_roles r ON r.account_id = a.id
				WHERE r.role = 'lnd_admin' LIMIT 1`).Scan(&lnd); err != nil {
				b.Fatal(err)
			}
			actor := &core.Actor{PersonID: lnd, Name: "L&D", Roles: []core.Role{core.RoleLnDAdmin}}
			type pair struct{ person, skill string }
			var pairs []pair
			rows, err := d.QueryContext(ctx, `SELECT sl.person_id, sl.skill_id FROM skill_levels sl JOIN people p ON p.id = sl.person_id
				WHERE p.status = 'active' ORDER BY sl.skill_id, sl.person_id`)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; rows.Next(); i++ {
				var p pair
				if err := rows.Scan(&p.person, &p.skill); err != nil {
					b.Fatal(err)
				}
				if i%997 == 0 {
					pairs = append(pairs, p)
				}
			}
			rows.Close()
			// Each iteration rates every sampled pair once, so that -benchtime 1x measures both
			// sides in one run.
			b.Run("rate", func(b *testing.B) {
				var times []float64
				for b.Loop() {
					for i, p := range pairs {
						start := time.Now()
						if _, err := svc.Rate(ctx, actor, skills.RatingInput{PersonID: p.person, SkillID: p.skill, Level: 1 + i%5, Source: skills.SourceTest}); err != nil {
							b.Fatal(err)
						}
						times = append(times, millis(time.Since(start)))
					}
				}
				mean := 0.0
				for _, t := range times {
					mean += t
				}
				b.ReportMetric(mean/float64(len(times)), "ms/rating")
				reportTimes(b, times)
			})
			b.Run("rebuild", func(b *testing.B) {
				var levels int
				for b.Loop() {
					var err error
					if levels, err = rebuildLevels(d, time.Now()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(levels), "levels")
			})
		})
	}
}

// rebuildLevels is the naive recompute: every current level derived again from all ratings,
// people in chunks, in one transaction.
func rebuildLevels(d *db.DB, now time.Time) (int, error) {
	var people []string
	rows, err := d.QueryContext(ctx, `SELECT DISTINCT person_id FROM skill_ratings`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		people = append(people, id)
	}
	rows.Close()
	n := 0
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM skill_levels`); err != nil {
			return err
		}
		for start := 0; start < len(people); start += 500 {
			chunk := people[start:min(start+500, len(people))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			rows, err := tx.QueryContext(ctx, `SELECT person_id, skill_id, level, source, COALESCE(rater_person_id, ''), rated_at FROM skill_ratings
				WHERE person_id IN `+db.In(len(chunk)), args...)
			if err != nil {
				return err
			}
			type pair struct{ person, skill string }
			ev := map[pair][]skills.Evidence{}
			var order []pair
			for rows.Next() {
				var p pair
				var e skills.Evidence
				if err := rows.Scan(&p.person, &p.skill, &e.Level, &e.Source, &e.RaterID, &e.At); err != nil {
					rows.Close()
					return err
				}
				if _, ok := ev[p]; !ok {
					order = append(order, p)
				}
				ev[p] = append(ev[p], e)
			}
			rows.Close()
			var levels [][]any
			for _, p := range order {
				if c, ok := skills.Derive(ev[p], now); ok {
					levels = append(levels, []any{p.person, p.skill, c.Level, c.Confidence, c.SelfLevel, c.ManagerLevel, c.Ratings, c.LastEvidence, now})
				}
			}
			n += len(levels)
			if err := db.InsertMany(ctx, tx, "skill_levels", []string{"person_id", "skill_id", "level", "confidence", "self_level", "manager_level",
				"ratings", "last_evidence_at", "computed_at"}, levels); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// BenchmarkSkillsRecordRatings measures the bulk rating path the demo and imports use
// (RecordRatings: one multi-row insert per 500 ratings, then the levels of everyone touched) on a
// 5,000-person demo with the benchmark's skills picture: its ratings are deleted and recorded
// again in the demo's batches of 50,000 each iteration.
func BenchmarkSkillsRecordRatings(b *testing.B) {
	if os.Getenv(envBenchSkills) == "" {
		b.Skip("set " + envBenchSkills + "=1 to measure the bulk rating path")
	}
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			var d *db.DB
			if dialect == db.Postgres {
				d = dbtest.Postgres(b)
			} else {
				d = dbtest.SQLite(b)
			}
			clock := core.SystemClock{}
			orgs := org.NewService(d, clock)
			accounts := auth.NewService(d, clock, orgs, &mail.Outbox{}, benchLog, "")
			accounts.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
			if _, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: 5000, Seed: 1, Password: benchPassword, Skills: demo.BenchmarkSkills}); err != nil {
				b.Fatal(err)
			}
			svc := skills.NewService(d, clock, orgs)
			var in []skills.RatingInput
			rows, err := d.QueryContext(ctx, `SELECT person_id, skill_id, level, source, COALESCE(rater_person_id, ''), rated_at FROM skill_ratings ORDER BY person_id, rated_at, id`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var r skills.RatingInput
				var at time.Time
				if err := rows.Scan(&r.PersonID, &r.SkillID, &r.Level, &r.Source, &r.RaterID, &at); err != nil {
					b.Fatal(err)
				}
				r.RatedAt = &at
				in = append(in, r)
			}
			rows.Close()
			for b.Loop() {
				b.StopTimer()
				for _, table := range []string{"skill_levels", "skill_ratings", "skill_gap_changes"} {
					if _, err := d.ExecContext(ctx, `DELETE FROM `+table); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				for start := 0; start < len(in); {
					end := min(start+50_000, len(in))
					for end < len(in) && in[end].PersonID == in[end-1].PersonID {
						end++
					}
					if _, err := svc.RecordRatings(ctx, core.System, in[start:end], "benchmark"); err != nil {
						b.Fatal(err)
					}
					start = end
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(in)), "µs/rating")
			b.ReportMetric(float64(len(in)), "ratings")
		})
	}
}

// TestExportMatrixKeepsEverySkill checks that an export holds every skill of a selection wider
// than a page of the matrix (300 skills): it used to stop at the 300th column without a word.
func TestExportMatrixKeepsEverySkill(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cat, err := f.svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Analysis"})
		if err != nil {
			t.Fatal(err)
		}
		// 302 more skills for Software Engineers, 305 in all; Analysis sorts before Engineering, so
		// Writing is the last column.
		for i := range 302 {
			sk, err := f.svc.CreateSkill(ctx, core.System, skills.SkillInput{Name: fmt.Sprintf("Skill %03d", i), CategoryID: cat.ID})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.svc.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: f.role, SkillID: sk.ID, Level: 2, Criticality: "useful"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Rate(ctx, f.actor(t, "E3"), skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Writing"], Level: 4, Source: "self"}); err != nil {
			t.Fatal(err)
		}
		sel := skills.MatrixFilter{JobRoleID: f.role}
		page, err := f.svc.Matrix(ctx, core.System, sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Skills) != 300 || page.TotalSkills != 305 {
			t.Fatalf("a matrix page shows %d of %d skills, want 300 of 305", len(page.Skills), page.TotalSkills)
		}
		var csvOut bytes.Buffer
		if n, err := f.svc.ExportMatrix(ctx, core.System, sel, "csv", &csvOut); err != nil || n != 2 {
			t.Fatalf("csv export: %d people, %v", n, err)
		}
		lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
		header := strings.Split(strings.TrimSpace(lines[0]), ",")
		if len(header) != 4+305 || header[len(header)-1] != "Writing" {
			t.Errorf("csv header has %d columns ending in %q, want %d ending in Writing", len(header), header[len(header)-1], 4+305)
		}
		for _, line := range lines[1:] {
			if strings.HasPrefix(line, "E3,") && !strings.HasSuffix(strings.TrimSpace(line), ",4") {
				t.Errorf("Alan's row does not end with his Writing level 4: …%s", line[max(0, len(line)-20):])
			}
		}
		var xlsxOut bytes.Buffer
		if _, err := f.svc.ExportMatrix(ctx, core.System, sel, "xlsx", &xlsxOut); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(&xlsxOut)
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		for _, sheet := range []string{skills.SheetMatrix, skills.SheetRequired} {
			rows, err := wb.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || len(rows[0]) != 4+305 || rows[0][4+304] != "Writing" {
				t.Fatalf("%s sheet: %d rows, header of %d cells, want 3 rows and %d cells ending in Writing", sheet, len(rows), len(rows[0]), 4+305)
			}
			want := map[string]string{skills.SheetMatrix: "4", skills.SheetRequired: "2"}[sheet]
			for _, r := range rows[1:] {
				if r[0] == "E3" && (len(r) != 4+305 || r[4+304] != want) {
					t.Errorf("%s sheet: Alan's Writing cell is missing or not %s: %d cells", sheet, want, len(r))
				}
			}
		}
	})
}

// TestRecordRatingsMatchesFullRecompute checks that the levels a bulk recording derives in
// memory for people rated for the first time, and from the database for people rated before,
// are those a recompute from every stored rating gives.
func TestRecordRatingsMatchesFullRecompute(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// Nanoseconds in the clock: ratings without a date are stored to the microsecond.
		f.clock.T = f.clock.T.Add(123456789 * time.Nanosecond)
		if _, err := f.svc.Rate(ctx, f.actor(t, "E2"), skills.RatingInput{PersonID: f.ids["E4"], SkillID: f.skills["Go"], Level: 2, Source: "manager"}); err != nil {
			t.Fatal(err)
		}
		f.clock.T = f.clock.T.Add(time.Hour)
		day := func(n int) *time.Time { at := f.clock.T.AddDate(0, 0, -n); return &at }
		goSkill, sql, writing := f.skills["Go"], f.skills["SQL"], f.skills["Writing"]
		batch := []skills.RatingInput{
			// Alan, rated for the first time: a re-rating by his manager, a self-assessment, a
			// test on the same day as an earlier one, and ratings without a date.
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: 2, Source: "manager", RaterID: f.ids["E2"], RatedAt: day(300)},
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: 4, Source: "manager", RaterID: f.ids["E2"], RatedAt: day(20)},
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: 5, Source: "self", RaterID: f.ids["E3"], RatedAt: day(25)},
			{PersonID: f.ids["E3"], SkillID: sql, Level: 3, Source: "test", RatedAt: day(40)},
			{PersonID: f.ids["E3"], SkillID: sql, Level: 3, Source: "test", RatedAt: day(40)},
			{PersonID: f.ids["E3"], SkillID: writing, Level: 1, Source: "self", RaterID: f.ids["E3"]},
			{PersonID: f.ids["E3"], SkillID: writing, Level: 3, Source: "peer", RaterID: f.ids["E4"]},
			{PersonID: f.ids["E3"], SkillID: writing, Level: 4, Source: "peer", RaterID: f.ids["E2"], RatedAt: day(3)},
			// José, rated before: his manager's earlier rating still counts beside the new ones.
			{PersonID: f.ids["E4"], SkillID: goSkill, Level: 4, Source: "test", RatedAt: day(2)},
			{PersonID: f.ids["E4"], SkillID: sql, Level: 2, Source: "self", RaterID: f.ids["E4"]},
		}
		if _, err := f.svc.RecordRatings(ctx, core.System, batch, "test"); err != nil {
			t.Fatal(err)
		}
		levels := func() map[string]string {
			t.Helper()
			rows, err := d.QueryContext(ctx, `SELECT person_id, skill_id, level, confidence, COALESCE(self_level, 0), COALESCE(manager_level, 0), ratings, last_evidence_at
				FROM skill_levels`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]string{}
			for rows.Next() {
				var person, skill string
				var level, confidence float64
				var self, manager, n int
				var last time.Time
				if err := rows.Scan(&person, &skill, &level, &confidence, &self, &manager, &n, &last); err != nil {
					t.Fatal(err)
				}
				out[person+" "+skill] = fmt.Sprintf("level %v confidence %v self %d manager %d ratings %d last %s", level, confidence, self, manager, n, last.UTC().Format(time.RFC3339Nano))
			}
			return out
		}
		bulk := levels()
		if len(bulk) != 5 {
			t.Fatalf("%d levels after the batch, want 5: %v", len(bulk), bulk)
		}
		// Manager 4 weighs 0.8 × ½^(20/540), self 5 weighs 0.4 × ½^(25/540): 4.3, confidence 0.69.
		if want := "level 4.3 confidence 0.69 self 5 manager 4 ratings 2 last " + day(20).Truncate(time.Microsecond).UTC().Format(time.RFC3339Nano); bulk[f.ids["E3"]+" "+goSkill] != want {
			t.Errorf("Alan's Go: %s, want %s", bulk[f.ids["E3"]+" "+goSkill], want)
		}
		if n, err := f.svc.RefreshLevels(ctx, f.clock.T.Add(time.Hour), 100); err != nil || n != 5 {
			t.Fatalf("recomputed %d levels: %v", n, err)
		}
		if full := levels(); !maps.Equal(bulk, full) {
			for k, v := range full {
				if bulk[k] != v {
					t.Errorf("%s: bulk %s, recomputed %s", k, bulk[k], v)
				}
			}
		}
	})
}
