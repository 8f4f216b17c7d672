package xapihttp_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/learnloop/learnloop/internal/db/dbtest"
)

func benchBody(r *rand.Rand, n int) []byte {
	verbs := []string{"completed", "attempted", "experienced", "passed", "answered"}
	parts := make([]string, n)
	for i := range parts {
		a, act, v := r.IntN(5000)+1, r.IntN(2000)+1, verbs[r.IntN(len(verbs))]
		parts[i] = fmt.Sprintf(`{"actor":{"objectType":"Agent","name":"Bench %d","mbox":"mailto:bench%d@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},"object":{"objectType":"Activity","id":"http://example.com/bench/activity/%d","definition":{"name":{"en-US":"Bench activity %d"},"type":"http://adlnet.gov/expapi/activities/lesson"}},"result":{"completion":true,"success":true,"score":{"scaled":0.%d},"duration":"PT%dM"},"context":{"registration":"ec531277-b57b-4c15-8d91-%012d","contextActivities":{"parent":[{"id":"http://example.com/bench/course/%d"}]},"extensions":{"http://example.com/ext/note":"%s"}}}`,
			a, a, v, v, act, act, r.IntN(90)+10, r.IntN(90)+1, r.IntN(999999999)+1, act%50, strings.Repeat("x", 420))
	}
	if n == 1 {
		return []byte(parts[0])
	}
	return []byte("[" + strings.Join(parts, ",") + "]")
}

// BenchmarkPost sends statements over HTTP from 10 concurrent clients, as the load generator
// does, in batches of 1 and 100, to SQLite; it reports statements per second.
func BenchmarkPost(b *testing.B) {
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprint("batch=", batch), func(b *testing.B) {
			e := start(&testing.T{}, dbtest.SQLite(b))
			r := rand.New(rand.NewPCG(3, 4))
			bodies := make([][]byte, 64)
			for i := range bodies {
				bodies[i] = benchBody(r, batch)
			}
			var next atomic.Int64
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
			b.SetParallelism(5)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("POST", e.srv.URL+"/statements", bytes.NewReader(bodies[next.Add(1)%int64(len(bodies))]))
					req.SetBasicAuth(e.key, e.secret)
					req.Header.Set("X-Experience-API-Version", "1.0.3")
					req.Header.Set("Content-Type", "application/json")
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "statements/s")
		})
	}
}
