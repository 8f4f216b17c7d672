package lrs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

// benchStatement is a statement of about 1 KB like the load generator's
// (../shared/tools/xapi-bench/post.lua): varied actors, verbs and activities.
func benchStatement(r *rand.Rand) string {
	verbs := []string{"completed", "attempted", "experienced", "passed", "answered"}
	a, act, v := r.IntN(5000)+1, r.IntN(2000)+1, verbs[r.IntN(len(verbs))]
	return fmt.Sprintf(`{"actor":{"objectType":"Agent","name":"Bench %d","mbox":"mailto:bench%d@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},"object":{"objectType":"Activity","id":"http://example.com/bench/activity/%d","definition":{"name":{"en-US":"Bench activity %d"},"type":"http://adlnet.gov/expapi/activities/lesson"}},"result":{"completion":true,"success":true,"score":{"scaled":0.%d},"duration":"PT%dM"},"context":{"registration":"ec531277-b57b-4c15-8d91-%012d","contextActivities":{"parent":[{"id":"http://example.com/bench/course/%d"}]},"extensions":{"http://example.com/ext/note":"%s"}}}`,
		a, a, v, v, act, act, r.IntN(90)+10, r.IntN(90)+1, r.IntN(999999999)+1, act%50, strings.Repeat("x", 420))
}

// BenchmarkStoreBatch100 parses, validates and stores batches of 100 statements, as POST
// /xapi/statements does; ns/op is per batch.
func BenchmarkStoreBatch100(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.SQLite(b)
			if dialect == "postgres" {
				d = dbtest.Postgres(b)
			}
			svc := lrs.New(d, core.SystemClock{}, "https://learn.example.com")
			c, _, err := svc.CreateClient(context.Background(), core.System, lrs.NewClient{Name: "bench", Scopes: []string{lrs.ScopeAll}})
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			bodies := make([][]byte, 50)
			for i := range bodies {
				parts := make([]string, 100)
				for j := range parts {
					parts[j] = benchStatement(r)
				}
				bodies[i] = []byte("[" + strings.Join(parts, ",") + "]")
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				sts, _, err := xapi.ParseStatements(bodies[i%len(bodies)], xapi.V103)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Store(context.Background(), c, xapi.V103, sts, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "statements/s")
		})
	}
}

// benchStatements is how many statements the query benchmarks keep (LEARNLOOP_BENCH_STATEMENTS,
// default 1,000,000).
func benchStatements() int {
	if n, err := strconv.Atoi(os.Getenv("LEARNLOOP_BENCH_STATEMENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkQueries answers the load generator's queries over a kept store of generated
// statements: by agent, by activity, and by verb and since, limit 100; it reports percentiles of
// the time each query takes. Set LEARNLOOP_BENCH_LRS=1 to run it (generating a million
// statements takes a few minutes the first time).
func BenchmarkQueries(b *testing.B) {
	if os.Getenv("LEARNLOOP_BENCH_LRS") == "" {
		b.Skip("set LEARNLOOP_BENCH_LRS=1 to run the LRS query benchmarks")
	}
	n := benchStatements()
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.Kept(b, dialect, fmt.Sprintf("learnloop-bench-xapi-%d", n), func(d *db.DB) {
				svc := lrs.New(d, core.SystemClock{}, "https://learn.example.com")
				c, _, err := svc.CreateClient(context.Background(), core.System, lrs.NewClient{Name: "bench", Scopes: []string{lrs.ScopeAll}})
				if err != nil {
					b.Fatal(err)
				}
				r := rand.New(rand.NewPCG(5, 6))
				parts := make([]string, 1000)
				for done := 0; done < n; done += len(parts) {
					for j := range parts {
						parts[j] = benchStatement(r)
					}
					sts, _, err := xapi.ParseStatements([]byte("["+strings.Join(parts, ",")+"]"), xapi.V103)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := svc.Store(context.Background(), c, xapi.V103, sts, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
			svc := lrs.New(d, core.SystemClock{}, "https://learn.example.com")
			var oldest time.Time
			if err := d.QueryRowContext(context.Background(), `SELECT stored FROM xapi_statements ORDER BY seq LIMIT 1`).Scan(&oldest); err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(7, 8))
			verbs := []string{"completed", "attempted", "experienced", "passed", "answered"}
			for _, q := range []struct {
				name string
				make func() lrs.Query
			}{
				{"agent", func() lrs.Query {
					return lrs.Query{Agent: fmt.Sprintf("mbox:mailto:bench%d@example.com", r.IntN(5000)+1), Limit: 100}
				}},
				{"activity", func() lrs.Query {
					return lrs.Query{Activity: fmt.Sprintf("http://example.com/bench/activity/%d", r.IntN(2000)+1), Limit: 100}
				}},
				{"verb+since", func() lrs.Query {
					return lrs.Query{Verb: "http://adlnet.gov/expapi/verbs/" + verbs[r.IntN(len(verbs))], Since: oldest.Add(time.Duration(r.IntN(60)) * time.Second), Limit: 100}
				}},
				{"related_activities", func() lrs.Query {
					return lrs.Query{Activity: fmt.Sprintf("http://example.com/bench/course/%d", r.IntN(50)), RelatedActivities: true, Limit: 100}
				}},
			} {
				b.Run(q.name, func(b *testing.B) {
					var times []float64
					got := 0
					for b.Loop() {
						start := time.Now()
						p, err := svc.Statements(context.Background(), q.make())
						if err != nil {
							b.Fatal(err)
						}
						times = append(times, float64(time.Since(start).Microseconds())/1000)
						got += len(p.Statements)
					}
					slices.Sort(times)
					at := func(f float64) float64 { return times[min(len(times)-1, int(f*float64(len(times))))] }
					b.ReportMetric(at(0.50), "p50-ms")
					b.ReportMetric(at(0.95), "p95-ms")
					b.ReportMetric(at(0.99), "p99-ms")
					b.ReportMetric(float64(got)/float64(b.N), "statements/op")
				})
			}
		})
	}
}
