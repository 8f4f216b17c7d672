package xapihttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapihttp"
)

type env struct {
	t           *testing.T
	srv         *httptest.Server
	lrs         *lrs.Service
	key, secret string
	version     string
}

// start serves the LRS over d with one client holding every scope.
func start(t *testing.T, d *db.DB) *env {
	t.Helper()
	svc := lrs.New(d, core.SystemClock{}, "https://learn.example.com")
	h := &xapihttp.Handler{LRS: svc, Log: slog.New(slog.DiscardHandler), MaxBody: 4 << 20}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, lrs: svc, version: "1.0.3"}
	e.key, e.secret = e.client("test", lrs.ScopeAll)
	return e
}

func (e *env) client(name string, scopes ...string) (string, string) {
	e.t.Helper()
	c, secret, err := e.lrs.CreateClient(context.Background(), core.System, lrs.NewClient{Name: name, Scopes: scopes})
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Key, secret
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("answer is not JSON (%v): %s", err, r.body)
	}
}

// req sends a request as the env's client; headers are name, value pairs ("" value deletes).
func (e *env) req(method, path, body string, headers ...string) reply {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	r.SetBasicAuth(e.key, e.secret)
	r.Header.Set("X-Experience-API-Version", e.version)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			r.Header.Del(headers[i])
		} else {
			r.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (e *env) want(r reply, status int) reply {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if r.header.Get("X-Experience-API-Version") == "" {
		e.t.Fatalf("no X-Experience-API-Version header on a %d answer", r.status)
	}
	return r
}

func statement(actor, verb, activity string, extra ...string) string {
	s := fmt.Sprintf(`{"actor":{"objectType":"Agent","mbox":"mailto:%s@example.com","name":"%s"},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},"object":{"objectType":"Activity","id":"http://example.com/activities/%s","definition":{"name":{"en-US":"Activity %s","de":"Aktivität %s"}}}`,
		actor, actor, verb, verb, activity, activity, activity)
	for _, x := range extra {
		s += "," + x
	}
	return s + "}"
}

func (e *env) post(body string) []string {
	e.t.Helper()
	var ids []string
	e.want(e.req("POST", "/statements", body), http.StatusOK).json(e.t, &ids)
	return ids
}

type result struct {
	Statements []map[string]any `json:"statements"`
	More       string           `json:"more"`
}

func (e *env) query(params string) result {
	e.t.Helper()
	var r result
	e.want(e.req("GET", "/statements?"+params, ""), http.StatusOK).json(e.t, &r)
	return r
}

func ids(r result) []string {
	var out []string
	for _, s := range r.Statements {
		out = append(out, s["id"].(string))
	}
	return out
}

func TestAboutListsBothVersionsWithoutCredentials(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	r := e.want(e.req("GET", "/about", "", "Authorization", "", "X-Experience-API-Version", ""), http.StatusOK)
	var about struct {
		Version []string `json:"version"`
	}
	r.json(t, &about)
	if !slices.Contains(about.Version, "1.0.3") || !slices.Contains(about.Version, "2.0.0") {
		t.Fatalf("versions %v", about.Version)
	}
}

func TestRequestsNeedVersionAndCredentials(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	_, revokedSecret := e.key, e.secret
	rk, rs := e.client("revoked", lrs.ScopeAll)
	if err := e.lrs.RevokeClient(context.Background(), core.System, rk); err != nil {
		t.Fatal(err)
	}
	_ = revokedSecret
	for _, c := range []struct {
		name    string
		headers []string
		status  int
	}{
		{"no version", []string{"X-Experience-API-Version", ""}, 400},
		{"unknown version", []string{"X-Experience-API-Version", "0.95"}, 400},
		{"version 3", []string{"X-Experience-API-Version", "3.0.0"}, 400},
		{"no credentials", []string{"Authorization", ""}, 401},
		{"wrong secret", []string{"Authorization", "Basic " + basic(e.key, "nope")}, 401},
		{"revoked client", []string{"Authorization", "Basic " + basic(rk, rs)}, 401},
		{"bearer token", []string{"Authorization", "Bearer ll_abc"}, 401},
		{"1.0", []string{"X-Experience-API-Version", "1.0"}, 200},
		{"1.0.1", []string{"X-Experience-API-Version", "1.0.1"}, 200},
		{"2.0.0", []string{"X-Experience-API-Version", "2.0.0"}, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.want(e.req("GET", "/statements", "", c.headers...), c.status)
		})
	}
}

func basic(k, s string) string {
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth(k, s)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

func TestStatementsAreStoredWithWhatTheLRSSets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		for _, version := range []string{"1.0.3", "2.0.0"} {
			t.Run(version, func(t *testing.T) {
				e := start(t, d)
				e.version = version
				id := e.post(statement("ana", "completed", "a1"))[0]
				r := e.want(e.req("GET", "/statements?statementId="+id, ""), http.StatusOK)
				var st map[string]any
				r.json(t, &st)
				if st["id"] != id || st["stored"] == nil || st["timestamp"] == nil {
					t.Fatalf("stored statement %v", st)
				}
				wantVersion := map[string]string{"1.0.3": "1.0.0", "2.0.0": "2.0.0"}[version]
				if st["version"] != wantVersion {
					t.Fatalf("version %v, want %s", st["version"], wantVersion)
				}
				auth := st["authority"].(map[string]any)
				if acc := auth["account"].(map[string]any); acc["name"] != e.key {
					t.Fatalf("authority %v is not the client %s", auth, e.key)
				}
				if r.header.Get("X-Experience-API-Consistent-Through") == "" || r.header.Get("Last-Modified") == "" {
					t.Fatalf("headers %v", r.header)
				}
				if _, err := time.Parse(time.RFC3339, st["stored"].(string)); err != nil {
					t.Fatalf("stored %v: %v", st["stored"], err)
				}
			})
		}
	})
}

func TestPutIsIdempotentAndAConflictingIDIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		id := "6fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
		s := statement("ben", "attempted", "b1")
		e.want(e.req("PUT", "/statements?statementId="+id, s), http.StatusNoContent)
		e.want(e.req("PUT", "/statements?statementId="+strings.ToUpper(id), s), http.StatusNoContent)
		e.want(e.req("PUT", "/statements?statementId="+id, statement("ben", "attempted", "b2")), http.StatusConflict)
		// A batch with one conflicting statement stores nothing.
		batch := "[" + statement("cy", "completed", "c1") + `,` + strings.TrimSuffix(statement("ben", "passed", "b1"), "}") + `,"id":"` + id + `"}]`
		e.want(e.req("POST", "/statements", batch), http.StatusConflict)
		if got := e.query("agent=" + url.QueryEscape(`{"mbox":"mailto:cy@example.com"}`)); len(got.Statements) != 0 {
			t.Fatalf("a refused batch left %d statements", len(got.Statements))
		}
		// The same statement posted again in a batch is accepted and not stored twice.
		again := "[" + strings.TrimSuffix(s, "}") + `,"id":"` + id + `"}]`
		var got []string
		e.want(e.req("POST", "/statements", again), http.StatusOK).json(t, &got)
		if len(got) != 1 || got[0] != id {
			t.Fatalf("ids %v", got)
		}
		if n := len(e.query("verb=http://adlnet.gov/expapi/verbs/attempted").Statements); n != 1 {
			t.Fatalf("%d statements, want 1", n)
		}
		// Several given ids at once: the stored one is skipped, the new one stored.
		other := "5fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
		two := "[" + strings.TrimSuffix(s, "}") + `,"id":"` + id + `"},` + strings.TrimSuffix(s, "}") + `,"id":"` + other + `"}]`
		e.want(e.req("POST", "/statements", two), http.StatusOK).json(t, &got)
		if !slices.Equal(got, []string{id, other}) {
			t.Fatalf("ids %v", got)
		}
		if n := len(e.query("verb=http://adlnet.gov/expapi/verbs/attempted").Statements); n != 2 {
			t.Fatalf("%d statements, want 2", n)
		}
		for _, c := range []struct{ name, path, body string }{
			{"no statementId", "/statements", s},
			{"not a UUID", "/statements?statementId=abc", s},
			{"ids differ", "/statements?statementId=" + "7fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11", strings.TrimSuffix(s, "}") + `,"id":"` + id + `"}`},
			{"an array", "/statements?statementId=" + "8fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11", "[" + s + "]"},
			{"unknown parameter", "/statements?statementId=" + "8fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11&x=1", s},
		} {
			t.Run(c.name, func(t *testing.T) { e.want(e.req("PUT", c.path, c.body), http.StatusBadRequest) })
		}
	})
}

func TestABatchWithOneInvalidStatementStoresNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		bad := `{"actor":{"mbox":"ana@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.com/x"}}`
		r := e.want(e.req("POST", "/statements", "["+statement("dan", "completed", "d1")+","+bad+"]"), http.StatusBadRequest)
		if !strings.Contains(r.body, "[1].actor.mbox") {
			t.Fatalf("the error does not name the property: %s", r.body)
		}
		if n := len(e.query("").Statements); n != 0 {
			t.Fatalf("%d statements stored from a refused batch", n)
		}
		same := `{"id":"9fbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"}`
		st := strings.TrimSuffix(statement("dan", "completed", "d1"), "}") + "," + strings.Trim(same, "{}") + "}"
		e.want(e.req("POST", "/statements", "["+st+","+st+"]"), http.StatusBadRequest)
	})
}

func TestVoiding(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		target := e.post(statement("eve", "completed", "e1"))[0]
		void := fmt.Sprintf(`{"actor":{"mbox":"mailto:eve@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided","display":{"en-US":"voided"}},"object":{"objectType":"StatementRef","id":"%s"}}`, target)
		voiding := e.post(void)[0]
		e.want(e.req("GET", "/statements?statementId="+target, ""), http.StatusNotFound)
		e.want(e.req("GET", "/statements?voidedStatementId="+target, ""), http.StatusOK)
		e.want(e.req("GET", "/statements?voidedStatementId="+voiding, ""), http.StatusNotFound)
		if got := ids(e.query("agent=" + url.QueryEscape(`{"mbox":"mailto:eve@example.com"}`))); !slices.Equal(got, []string{voiding}) {
			t.Fatalf("query %v, want only the voiding statement %s", got, voiding)
		}
		// A voiding statement cannot be voided.
		e.want(e.req("POST", "/statements", strings.Replace(void, target, voiding, 1)), http.StatusBadRequest)
		// A statement voided before it arrives is voided on arrival.
		later := "afbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
		e.post(strings.Replace(void, target, later, 1))
		e.want(e.req("PUT", "/statements?statementId="+later, statement("eve", "attempted", "e2")), http.StatusNoContent)
		e.want(e.req("GET", "/statements?statementId="+later, ""), http.StatusNotFound)
		e.want(e.req("GET", "/statements?voidedStatementId="+later, ""), http.StatusOK)
	})
}

func TestQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		reg := "bfbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
		a := e.post(statement("fay", "completed", "f1"))[0]
		b := e.post(statement("gus", "completed", "f2", `"context":{"registration":"`+reg+`","contextActivities":{"parent":[{"id":"http://example.com/activities/f1"}]},"instructor":{"mbox":"mailto:fay@example.com"}}`))[0]
		time.Sleep(5 * time.Millisecond)
		mid := time.Now().UTC().Format(time.RFC3339Nano)
		time.Sleep(5 * time.Millisecond)
		c := e.post(statement("fay", "attempted", "f2"))[0]
		fay := url.QueryEscape(`{"mbox":"mailto:fay@example.com"}`)
		for _, q := range []struct {
			name, params string
			want         []string
		}{
			{"all, newest first", "", []string{c, b, a}},
			{"ascending", "ascending=true", []string{a, b, c}},
			{"agent", "agent=" + fay, []string{c, a}},
			{"related agents", "agent=" + fay + "&related_agents=true", []string{c, b, a}},
			{"verb", "verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed"), []string{b, a}},
			{"activity", "activity=" + url.QueryEscape("http://example.com/activities/f1"), []string{a}},
			{"related activities", "activity=" + url.QueryEscape("http://example.com/activities/f1") + "&related_activities=true", []string{b, a}},
			{"registration", "registration=" + reg, []string{b}},
			{"since", "since=" + url.QueryEscape(mid), []string{c}},
			{"until", "until=" + url.QueryEscape(mid), []string{b, a}},
			{"verb and agent", "agent=" + fay + "&verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed"), []string{a}},
		} {
			t.Run(q.name, func(t *testing.T) {
				if got := ids(e.query(q.params)); !slices.Equal(got, q.want) {
					t.Fatalf("got %v, want %v", got, q.want)
				}
			})
		}
		for _, bad := range []string{"agent=notjson", "agent=" + url.QueryEscape(`{"name":"x"}`), "verb=notaniri", "registration=x", "since=yesterday",
			"limit=-1", "ascending=yes", "format=full", "unknown=1", "statementId=" + a + "&verb=" + url.QueryEscape("http://x.com/v")} {
			t.Run("refuses "+bad, func(t *testing.T) { e.want(e.req("GET", "/statements?"+bad, ""), http.StatusBadRequest) })
		}
	})
}

// A statement about another statement (a StatementRef object) matches the filters its target
// matches, except the time and paging ones, which apply to it (Communication 2.1.3).
func TestStatementsAboutStatementsMatchTheirTargetsFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		ana := url.QueryEscape(`{"mbox":"mailto:ana@example.com"}`)
		target := e.post(statement("ana", "completed", "r1"))[0]
		time.Sleep(5 * time.Millisecond)
		between := time.Now().UTC().Format(time.RFC3339Nano)
		time.Sleep(5 * time.Millisecond)
		comment := e.post(fmt.Sprintf(`{"actor":{"mbox":"mailto:bob@example.com"},"verb":{"id":"http://example.com/verbs/commented"},"object":{"objectType":"StatementRef","id":"%s"}}`, target))[0]
		other := e.post(statement("cy", "completed", "r2"))[0]
		for _, c := range []struct {
			name, params string
			want         []string
		}{
			{"the target's agent", "agent=" + ana, []string{comment, target}},
			{"the target's verb", "verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed"), []string{other, comment, target}},
			{"the target's activity", "activity=" + url.QueryEscape("http://example.com/activities/r1"), []string{comment, target}},
			{"its own verb", "verb=" + url.QueryEscape("http://example.com/verbs/commented"), []string{comment}},
			{"time applies to the statement itself", "agent=" + ana + "&since=" + url.QueryEscape(between), []string{comment}},
			{"both filters on the target", "agent=" + ana + "&verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed"), []string{comment, target}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if got := ids(e.query(c.params)); !slices.Equal(got, c.want) {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			})
		}
		// A reply to the comment matches what the commented statement matches.
		reply := e.post(fmt.Sprintf(`{"actor":{"mbox":"mailto:cy@example.com"},"verb":{"id":"http://example.com/verbs/replied"},"object":{"objectType":"StatementRef","id":"%s"}}`, comment))[0]
		if got := ids(e.query("agent=" + ana)); !slices.Equal(got, []string{reply, comment, target}) {
			t.Fatalf("with a reply: %v, want %v", got, []string{reply, comment, target})
		}
		// A voided target still lets its voiding statement and the comment match; it is gone itself.
		void := e.post(fmt.Sprintf(`{"actor":{"mbox":"mailto:ana@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"%s"}}`, target))[0]
		if got := ids(e.query("activity=" + url.QueryEscape("http://example.com/activities/r1"))); !slices.Equal(got, []string{void, reply, comment}) {
			t.Fatalf("after voiding: %v, want %v", got, []string{void, reply, comment})
		}
	})
}

func TestMorePagesStayStableWhileStatementsArrive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		for i := range 7 {
			e.post(statement("hal", "completed", fmt.Sprint("h", i)))
		}
		for _, asc := range []bool{false, true} {
			params := "limit=3"
			if asc {
				params += "&ascending=true"
			}
			want := ids(e.query(strings.TrimPrefix(params, "limit=3")))
			var got []string
			r := e.query(params)
			for {
				got = append(got, ids(r)...)
				e.post(statement("hal", "completed", "late")) // arrives mid-query
				if r.More == "" {
					break
				}
				if !strings.HasPrefix(r.More, "/xapi/statements?more=") {
					t.Fatalf("more %q", r.More)
				}
				var next result
				e.want(e.req("GET", strings.TrimPrefix(r.More, "/xapi"), ""), http.StatusOK).json(t, &next)
				r = next
			}
			if !slices.Equal(got, want) {
				t.Fatalf("ascending=%v: pages %v, want %v", asc, got, want)
			}
		}
		e.want(e.req("GET", "/statements?more=garbage", ""), http.StatusBadRequest)
	})
}

func TestScopesLimitWhatAClientDoes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		theirs := e.post(statement("ida", "completed", "i1"))[0]
		writer := &env{t: t, srv: e.srv, lrs: e.lrs, version: "1.0.3"}
		writer.key, writer.secret = e.client("writer", lrs.ScopeStatementsWrite, lrs.ScopeStatementsReadMine)
		mine := writer.post(statement("ida", "completed", "i2"))[0]
		if got := ids(writer.query("")); !slices.Equal(got, []string{mine}) {
			t.Fatalf("read/mine sees %v, want only %s", got, mine)
		}
		writer.want(writer.req("GET", "/statements?statementId="+theirs, ""), http.StatusNotFound)
		writer.want(writer.req("PUT", "/activities/state?activityId=http://x.com/a&agent="+url.QueryEscape(`{"mbox":"mailto:a@b.c"}`)+"&stateId=s", `{}`), http.StatusForbidden)
		reader := &env{t: t, srv: e.srv, lrs: e.lrs, version: "1.0.3"}
		reader.key, reader.secret = e.client("reader", lrs.ScopeStatementsRead)
		reader.want(reader.req("POST", "/statements", statement("ida", "completed", "i3")), http.StatusForbidden)
		if n := len(reader.query("").Statements); n != 2 {
			t.Fatalf("statements/read sees %d statements, want 2", n)
		}
	})
}

func TestDocuments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := start(t, d)
		agent := url.QueryEscape(`{"mbox":"mailto:jo@example.com"}`)
		state := "/activities/state?activityId=" + url.QueryEscape("http://example.com/a") + "&agent=" + agent
		e.want(e.req("PUT", state+"&stateId=bookmark", `{"page":1}`), http.StatusNoContent)
		r := e.want(e.req("GET", state+"&stateId=bookmark", ""), http.StatusOK)
		etag := r.header.Get("ETag")
		if r.body != `{"page":1}` || etag == "" || r.header.Get("Last-Modified") == "" || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("document %q, headers %v", r.body, r.header)
		}
		// Merge on POST.
		e.want(e.req("POST", state+"&stateId=bookmark", `{"done":true}`), http.StatusNoContent)
		var merged map[string]any
		e.want(e.req("GET", state+"&stateId=bookmark", ""), http.StatusOK).json(t, &merged)
		if merged["page"] != 1.0 || merged["done"] != true {
			t.Fatalf("merged %v", merged)
		}
		e.want(e.req("POST", state+"&stateId=bookmark", `not json`, "Content-Type", "text/plain"), http.StatusBadRequest)
		// Preconditions.
		e.want(e.req("PUT", state+"&stateId=bookmark", `{"page":2}`, "If-Match", etag), http.StatusPreconditionFailed)
		e.want(e.req("PUT", state+"&stateId=bookmark", `{"page":2}`, "If-None-Match", "*"), http.StatusPreconditionFailed)
		cur := e.want(e.req("GET", state+"&stateId=bookmark", ""), http.StatusOK).header.Get("ETag")
		e.want(e.req("PUT", state+"&stateId=bookmark", `{"page":2}`, "If-Match", cur), http.StatusNoContent)
		// Registration keeps its own documents; since lists those changed after a time.
		reg := "cfbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
		e.want(e.req("PUT", state+"&registration="+reg+"&stateId=other", `x`, "Content-Type", "text/plain"), http.StatusNoContent)
		// Without a registration, listing covers every registration (Communication 2.3).
		var list []string
		e.want(e.req("GET", state, ""), http.StatusOK).json(t, &list)
		if !slices.Equal(list, []string{"bookmark", "other"}) {
			t.Fatalf("state ids %v", list)
		}
		e.want(e.req("GET", state+"&registration="+reg+"&since="+url.QueryEscape(time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)), ""), http.StatusOK).json(t, &list)
		if !slices.Equal(list, []string{"other"}) {
			t.Fatalf("state ids with registration %v", list)
		}
		e.want(e.req("GET", state+"&since="+url.QueryEscape(time.Now().Add(time.Minute).UTC().Format(time.RFC3339)), ""), http.StatusOK).json(t, &list)
		if len(list) != 0 {
			t.Fatalf("ids since the future %v", list)
		}
		e.want(e.req("DELETE", state+"&registration="+reg, ""), http.StatusNoContent)
		e.want(e.req("GET", state+"&registration="+reg+"&stateId=other", ""), http.StatusNotFound)
		e.want(e.req("GET", state+"&stateId=bookmark", ""), http.StatusOK)
		e.want(e.req("PUT", state+"&registration="+reg+"&stateId=other", `x`, "Content-Type", "text/plain"), http.StatusNoContent)
		// Without a registration, deleting covers every registration.
		e.want(e.req("DELETE", state, ""), http.StatusNoContent)
		e.want(e.req("GET", state+"&stateId=bookmark", ""), http.StatusNotFound)
		e.want(e.req("GET", state+"&registration="+reg+"&stateId=other", ""), http.StatusNotFound)

		// Profiles need a precondition to change an existing document.
		profile := "/activities/profile?activityId=" + url.QueryEscape("http://example.com/a")
		e.want(e.req("PUT", profile+"&profileId=p", `{"v":1}`), http.StatusNoContent)
		e.want(e.req("PUT", profile+"&profileId=p", `{"v":2}`), http.StatusConflict)
		pe := e.want(e.req("GET", profile+"&profileId=p", ""), http.StatusOK).header.Get("ETag")
		e.want(e.req("PUT", profile+"&profileId=p", `{"v":2}`, "If-Match", pe), http.StatusNoContent)
		e.want(e.req("DELETE", profile+"&profileId=p", "", "If-Match", pe), http.StatusPreconditionFailed)
		e.want(e.req("DELETE", profile+"&profileId=p", ""), http.StatusNoContent)
		agentProfile := "/agents/profile?agent=" + agent
		e.want(e.req("PUT", agentProfile+"&profileId=prefs", `{"lang":"de"}`), http.StatusNoContent)
		e.want(e.req("GET", agentProfile+"&profileId=prefs", ""), http.StatusOK)
		for _, bad := range []string{"/activities/state?agent=" + agent + "&stateId=x", "/activities/state?activityId=http://x.com/a&stateId=x",
			"/activities/state?activityId=notiri&agent=" + agent, state + "&registration=nope", "/agents/profile?profileId=x", state + "&stateId=x&since=2020-01-01T00:00:00Z"} {
			t.Run("refuses "+bad, func(t *testing.T) { e.want(e.req("GET", bad, ""), http.StatusBadRequest) })
		}
	})
}

func TestActivitiesAndAgents(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.post(statement("kim", "completed", "k1"))
	var act map[string]any
	e.want(e.req("GET", "/activities?activityId="+url.QueryEscape("http://example.com/activities/k1"), ""), http.StatusOK).json(t, &act)
	if def, _ := act["definition"].(map[string]any); def == nil || def["name"] == nil {
		t.Fatalf("activity %v", act)
	}
	var person map[string]any
	e.want(e.req("GET", "/agents?agent="+url.QueryEscape(`{"mbox":"mailto:kim@example.com"}`), ""), http.StatusOK).json(t, &person)
	if person["objectType"] != "Person" || fmt.Sprint(person["mbox"]) != "[mailto:kim@example.com]" {
		t.Fatalf("person %v", person)
	}
	e.want(e.req("GET", "/agents", ""), http.StatusBadRequest)
	e.want(e.req("GET", "/activities", ""), http.StatusBadRequest)
	e.want(e.req("GET", "/nothing", ""), http.StatusNotFound)
}

func TestAlternateRequestSyntax(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	id := "dfbd6a21-2c5e-4a1f-9b0e-1c4f3a9d2e11"
	form := url.Values{"Authorization": {"Basic " + basic(e.key, e.secret)}, "X-Experience-API-Version": {"1.0.3"}, "Content-Type": {"application/json"},
		"statementId": {id}, "content": {statement("lou", "completed", "l1")}}
	post := func(method string, f url.Values) int {
		res, err := http.Post(e.srv.URL+"/statements?method="+method, "application/x-www-form-urlencoded", strings.NewReader(f.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := post("PUT", form); s != http.StatusNoContent {
		t.Fatalf("alternate PUT: %d", s)
	}
	get := url.Values{"Authorization": form["Authorization"], "X-Experience-API-Version": {"1.0.3"}, "statementId": {id}}
	if s := post("GET", get); s != http.StatusOK {
		t.Fatalf("alternate GET: %d", s)
	}
	get.Set("X-Experience-API-Version", "2.0.0")
	if s := post("GET", get); s != http.StatusBadRequest {
		t.Fatalf("alternate syntax in 2.0: %d, want 400", s)
	}
}

func TestCORSPreflight(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	r := e.req("OPTIONS", "/statements", "", "Authorization", "", "Origin", "https://content.example.org", "Access-Control-Request-Method", "PUT")
	if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Origin") == "" || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "X-Experience-API-Version") {
		t.Fatalf("preflight %d %v", r.status, r.header)
	}
	// A document that claims to be HTML is served inert.
	doc := "/activities/state?activityId=http://x.com/a&agent=" + url.QueryEscape(`{"mbox":"mailto:a@b.c"}`) + "&stateId=page"
	e.want(e.req("PUT", doc, `<script>alert(1)</script>`, "Content-Type", "text/html"), http.StatusNoContent)
	got := e.want(e.req("GET", doc, ""), http.StatusOK)
	if got.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(got.header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("a stored HTML document is served with %v", got.header)
	}
}
