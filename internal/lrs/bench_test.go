package lrs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
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
