package server_test

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	st "github.com/learnloop/learnloop/internal/server/servertest"
	"github.com/learnloop/learnloop/internal/training"
)

// benchTrainingPeople is the size of the training benchmarks' organization
// (LEARNLOOP_BENCH_PEOPLE, default 100,000: about a million enrollments).
func benchTrainingPeople() int {
	if s := os.Getenv("LEARNLOOP_BENCH_PEOPLE"); s != "" {
		n, _ := strconv.Atoi(s)
		return n
	}
	return 100_000
}

// BenchmarkTrainingPages measures the training pages people wait for, on the demo organization
// with its training history: a learner's "My learning", a manager's team, the catalog, and the
// compliance dashboard of the whole company and of one division. It reports the server's own time
// per request (Server-Timing) as percentiles.
func BenchmarkTrainingPages(b *testing.B) {
	env := st.StartWithTraining(b, benchTrainingPeople())
	ctx := context.Background()
	hr := &core.Actor{Roles: []core.Role{core.RoleHRAdmin}}
	dash, err := env.Server.Services.Training.FindCompliance(ctx, hr, training.ComplianceFilter{})
	if err != nil || len(dash.Units) == 0 {
		b.Fatalf("compliance: %v", err)
	}
	var division string
	for _, u := range dash.Units {
		if u.UnitID != "" {
			division = u.UnitID
			break
		}
	}
	cases := []struct{ name, role, path string }{
		{"my-learning/employee", st.Employee, "/training"},
		{"my-learning/manager", st.Manager, "/training"},
		{"team/manager", st.Manager, "/training/team"},
		{"catalog", st.Employee, "/training/catalog"},
		{"compliance/company", st.HR, "/training/compliance"},
		{"compliance/division", st.HR, "/training/compliance?unit=" + division},
		{"compliance/division-overdue-people", st.HR, "/training/compliance?status=overdue&unit=" + division},
		{"compliance/manager", st.Manager, "/training/compliance"},
		{"api/me-learning", st.Employee, "/api/v1/me/learning"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var times []float64
			for b.Loop() {
				req, _ := http.NewRequest("GET", env.URL+c.path, nil)
				env.Authorize(req, c.role)
				res := env.Send(b, req)
				if res.Status != 200 {
					b.Fatalf("%s: %d %.200s", c.path, res.Status, res.Body)
				}
				times = append(times, serverTime(b, res))
			}
			reportPercentiles(b, times)
		})
	}
}

// BenchmarkComplianceExport writes the whole company's compliance for auditors, as CSV and XLSX.
func BenchmarkComplianceExport(b *testing.B) {
	env := st.StartWithTraining(b, benchTrainingPeople())
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest("GET", env.URL+"/training/compliance/export?format="+format, nil)
				env.Authorize(req, st.HR)
				res := env.Send(b, req)
				if res.Status != 200 {
					b.Fatalf("%d %.200s", res.Status, res.Body)
				}
				b.ReportMetric(float64(len(res.Body))/1e6, "MB")
			}
		})
	}
}

// BenchmarkTrainingRules applies every assignment rule to everyone, as the daily run does, on the
// demo organization with its history (steady state: nearly everyone holds what the rules ask),
// and the minute's run after a thousand people changed unit.
func BenchmarkTrainingRules(b *testing.B) {
	env := st.StartWithTraining(b, benchTrainingPeople())
	ctx := context.Background()
	tr := env.Server.Services.Training
	if _, err := tr.EvaluateRules(ctx, core.System); err != nil {
		b.Fatal(err)
	}
	b.Run("all-rules-everyone", func(b *testing.B) {
		for b.Loop() {
			start := time.Now()
			rep, err := tr.EvaluateRules(ctx, core.System)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "s/run")
			b.ReportMetric(float64(rep.Items), "items")
		}
	})
	b.Run("changed-1000-people", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := env.DB.ExecContext(ctx, `INSERT INTO training_people_changes (person_id) SELECT id FROM people WHERE status = 'active' LIMIT 1000`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := tr.RefreshRules(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
