package training_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

// BenchmarkTraining measures the training targets on each engine, at the service (the server's
// pages add their rendering; internal/server's BenchmarkTrainingPages measures those on SQLite):
// a learner's "My learning" for people spread over the organization, a manager's, the compliance
// dashboard of the whole company and of one division, and every assignment rule applied to
// everyone. It runs on the demo organization of LEARNLOOP_BENCH_PEOPLE people (100,000 by
// default: about a million enrollments) with its training history, generated on the first run
// (minutes) and kept between runs (dbtest.Kept), only when LEARNLOOP_BENCH_TRAINING=1.
//
//	LEARNLOOP_BENCH_TRAINING=1 LEARNLOOP_TEST_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  go test -run XXX -bench Training -benchtime 20x -timeout 2h ./internal/training/
func BenchmarkTraining(b *testing.B) {
	if os.Getenv("LEARNLOOP_BENCH_TRAINING") == "" {
		b.Skip("set LEARNLOOP_BENCH_TRAINING=1 to measure on the benchmark organization")
	}
	people := 100_000
	if n, err := strconv.Atoi(os.Getenv("LEARNLOOP_BENCH_PEOPLE")); err == nil {
		people = n
	}
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			name := fmt.Sprintf("learnloop-bench-training-%d", people)
			d := dbtest.Kept(b, dialect, name, func(d *db.DB) { generateTrainingBench(b, d, people) })
			svc := benchService(b, d)
			// Counts kept for an earlier day are recounted first, as the server does at start.
			if _, err := svc.RecountCompliance(ctx, false); err != nil {
				b.Fatal(err)
			}
			learners := benchPeople(b, d, `SELECT id FROM people WHERE status = 'active' ORDER BY id`, 200)
			managers := benchPeople(b, d, `SELECT DISTINCT manager_id FROM people WHERE status = 'active' AND manager_id IS NOT NULL ORDER BY manager_id`, 50)
			var division string
			if err := d.QueryRowContext(ctx, `SELECT id FROM org_units WHERE kind = 'division' ORDER BY id LIMIT 1`).Scan(&division); err != nil {
				b.Fatal(err)
			}
			hr := &core.Actor{Roles: []core.Role{core.RoleHRAdmin}}
			timed := func(b *testing.B, do func(i int) error) {
				var times []float64
				i := 0
				for b.Loop() {
					start := time.Now()
					if err := do(i); err != nil {
						b.Fatal(err)
					}
					times = append(times, float64(time.Since(start).Microseconds())/1000)
					i++
				}
				slices.Sort(times)
				at := func(q float64) float64 { return times[min(len(times)-1, int(q*float64(len(times))))] }
				b.ReportMetric(at(0.50), "p50-ms")
				b.ReportMetric(at(0.95), "p95-ms")
			}
			b.Run("my-learning/employees", func(b *testing.B) {
				timed(b, func(i int) error {
					_, err := svc.FindMyLearning(ctx, &core.Actor{PersonID: learners[i%len(learners)]})
					return err
				})
			})
			b.Run("my-learning/managers", func(b *testing.B) {
				timed(b, func(i int) error {
					_, err := svc.FindMyLearning(ctx, &core.Actor{PersonID: managers[i%len(managers)], IsManager: true})
					return err
				})
			})
			b.Run("compliance/company", func(b *testing.B) {
				timed(b, func(int) error {
					dash, err := svc.FindCompliance(ctx, hr, training.ComplianceFilter{})
					if err == nil && dash.Total.Total() == 0 {
						err = fmt.Errorf("nobody counted")
					}
					return err
				})
			})
			b.Run("compliance/division", func(b *testing.B) {
				timed(b, func(int) error {
					_, err := svc.FindCompliance(ctx, hr, training.ComplianceFilter{OrgUnitID: division})
					return err
				})
			})
			b.Run("rules/all-everyone", func(b *testing.B) {
				timed(b, func(int) error {
					_, err := svc.EvaluateRules(ctx, core.System)
					return err
				})
			})
		})
	}
}

// generateTrainingBench writes the demo organization with its skills and training history into
// an empty database, with cheap password hashing, and applies the rules once (the daily run's
// steady state).
func generateTrainingBench(b *testing.B, d *db.DB, people int) {
	b.Helper()
	clock := core.SystemClock{}
	orgs := org.NewService(d, clock)
	accounts := auth.NewService(d, clock, orgs, &mail.Outbox{}, slog.New(slog.NewTextHandler(io.Discard, nil)), "")
	accounts.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	start := time.Now()
	res, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: people, Seed: 1, Password: "bench password 123"})
	if err != nil {
		b.Fatalf("generate the benchmark organization: %v", err)
	}
	b.Logf("generated %d people, %d enrollments on %s in %s", res.People, res.Enrollments, d.Dialect, time.Since(start).Round(time.Second))
	if _, err := benchService(b, d).EvaluateRules(ctx, core.System); err != nil {
		b.Fatal(err)
	}
}

func benchService(b *testing.B, d *db.DB) *training.Service {
	b.Helper()
	clock := core.SystemClock{}
	orgs := org.NewService(d, clock)
	blobs, err := blob.Open(filepath.Join(b.TempDir(), "blobs"))
	if err != nil {
		b.Fatal(err)
	}
	return training.NewService(d, clock, orgs, skills.NewService(d, clock, orgs), blobs)
}

// benchPeople returns n ids spread evenly over what query lists.
func benchPeople(b *testing.B, d *db.DB, query string, n int) []string {
	b.Helper()
	rows, err := d.QueryContext(ctx, query)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var all []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		all = append(all, id)
	}
	if err := rows.Err(); err != nil || len(all) == 0 {
		b.Fatalf("%s: %v (%d rows)", query, err, len(all))
	}
	step := max(1, len(all)/n)
	var picked []string
	for i := 0; i < len(all) && len(picked) < n; i += step {
		picked = append(picked, all[i])
	}
	return picked
}
