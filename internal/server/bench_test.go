package server_test

import (
	encjson "encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// BenchmarkPages measures what people wait for on a large organization (LEARNLOOP_BENCH_PEOPLE,
// default 100,000): directory searches and home pages, through the whole HTTP stack. It reports
// the server's own time per request (its Server-Timing header) as percentiles, so the client's
// share of the loop does not count.
func BenchmarkPages(b *testing.B) {
	people := 100_000
	if s := os.Getenv("LEARNLOOP_BENCH_PEOPLE"); s != "" {
		people, _ = strconv.Atoi(s)
	}
	env := st.StartWith(b, people)
	sample := samplePeople(b, env)
	rng := rand.New(rand.NewPCG(1, 2))
	common := mostCommonFamily(sample)
	pick := func() samplePerson { return sample[rng.IntN(len(sample))] }
	cases := []struct {
		name string
		role string
		path func() string
	}{
		{"search/family-prefix", st.HR, func() string { p := pick(); return "/people?q=" + url.QueryEscape(prefix(p.Family, 3)) }},
		{"search/full-name", st.HR, func() string { p := pick(); return "/people?q=" + url.QueryEscape(p.Given+" "+p.Family) }},
		{"search/email", st.HR, func() string { p := pick(); return "/people?q=" + url.QueryEscape(strings.Split(p.Email, "@")[0]) }},
		{"search/employee-number", st.HR, func() string { return "/people?q=" + pick().Number }},
		{"search/one-letter", st.HR, func() string { return "/people?q=" + string(rune('a'+rng.IntN(26))) }},
		{"search/two-letters", st.HR, func() string { return "/people?q=" + url.QueryEscape(prefix(pick().Family, 2)) }},
		{"search/common-family-name", st.HR, func() string { return "/people?q=" + url.QueryEscape(common) }},
		{"search/manager-scope", st.Manager, func() string { p := pick(); return "/people?q=" + url.QueryEscape(prefix(p.Family, 2)) }},
		{"directory/unit-filter", st.HR, func() string { return "/people?unit=" + pick().Unit }},
		{"directory/first-page", st.HR, func() string { return "/people" }},
		{"directory/htmx-fragment", st.HR, func() string { return "/people?q=" + url.QueryEscape(prefix(pick().Family, 4)) + "&htmx" }},
		{"api/people-search", st.TokenRead, func() string { return "/api/v1/people?q=" + url.QueryEscape(prefix(pick().Family, 3)) }},
		{"home/employee", st.Employee, func() string { return "/" }},
		{"home/manager", st.Manager, func() string { return "/" }},
		{"home/hr-admin", st.HR, func() string { return "/" }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var times []float64
			for b.Loop() {
				path := c.path()
				req, _ := http.NewRequest("GET", env.URL+path, nil)
				env.Authorize(req, c.role)
				if strings.HasSuffix(path, "&htmx") {
					req.Header.Set("HX-Request", "true")
					req.Header.Set("HX-Target", "results")
				}
				res := env.Send(b, req)
				if res.Status != 200 {
					b.Fatalf("%s: %d", path, res.Status)
				}
				times = append(times, serverTime(b, res))
			}
			reportPercentiles(b, times)
		})
	}
}

// reportPercentiles reports the 50th, 95th and 99th percentiles of times (milliseconds).
func reportPercentiles(b *testing.B, times []float64) {
	slices.Sort(times)
	at := func(q float64) float64 { return times[min(len(times)-1, int(q*float64(len(times))))] }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

func mostCommonFamily(sample []samplePerson) string {
	n := map[string]int{}
	best := ""
	for _, p := range sample {
		n[p.Family]++
		if n[p.Family] > n[best] {
			best = p.Family
		}
	}
	return best
}

func prefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

func serverTime(b *testing.B, res *st.Response) float64 {
	v := res.Header.Get("Server-Timing")
	_, dur, ok := strings.Cut(v, "dur=")
	f, err := strconv.ParseFloat(dur, 64)
	if !ok || err != nil {
		b.Fatalf("no Server-Timing header: %q", v)
	}
	return f
}

type samplePerson struct {
	Given, Family, Email, Number, Unit string
}

// samplePeople reads a few hundred people spread over the directory.
func samplePeople(b *testing.B, env *st.Env) []samplePerson {
	var out []samplePerson
	cursor := ""
	for page := 0; page < 40 && (page == 0 || cursor != ""); page++ {
		res := env.Do(b, st.Sys, "GET", "/api/v1/people?limit=500&cursor="+cursor, "", "")
		var list struct {
			Items []struct {
				GivenName      string `json:"given_name"`
				FamilyName     string `json:"family_name"`
				Email          string `json:"email"`
				EmployeeNumber string `json:"employee_number"`
				OrgUnitID      string `json:"org_unit_id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := encjson.Unmarshal([]byte(res.Body), &list); err != nil {
			b.Fatal(err)
		}
		for i, p := range list.Items {
			if i%50 == 0 {
				out = append(out, samplePerson{p.GivenName, p.FamilyName, p.Email, p.EmployeeNumber, p.OrgUnitID})
			}
		}
		cursor = list.NextCursor
	}
	return out
}
