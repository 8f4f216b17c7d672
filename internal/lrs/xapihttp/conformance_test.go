package xapihttp_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/learnloop/learnloop/internal/db/dbtest"
)

// These tests put the LRS through what ADL's LRS conformance test suite checks, requirement by
// requirement; each names the requirement (XAPI-nnnnn) or the spec section it comes from.

const boundary = "-------314159265358979323846"

// mixed builds a multipart/mixed body: the statement part, then each attachment part as
// content type and data; hash overrides the X-Experience-API-Hash of every part when set.
func mixed(statementPart string, parts ...string) string {
	var b strings.Builder
	b.WriteString("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n" + statementPart + "\r\n")
	for i := 0; i+1 < len(parts); i += 2 {
		b.WriteString("--" + boundary + "\r\nContent-Type: " + parts[i] + "\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " +
			sha(parts[i+1]) + "\r\n\r\n" + parts[i+1] + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

const mixedType = "multipart/mixed; boundary=" + boundary

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// withAttachments is a statement carrying the attachments given as JSON objects.
func withAttachments(atts ...string) string {
	return statement("att", "attached", "att1", `"attachments":[`+strings.Join(atts, ",")+`]`)
}

func attachment(contentType, data string, fileURL string) string {
	s := fmt.Sprintf(`{"usageType":"http://example.com/attachment-usage/test","display":{"en-US":"A test attachment"},"contentType":%q,"length":%d,"sha2":%q`,
		contentType, len(data), sha(data))
	if fileURL != "" {
		s += `,"fileUrl":"` + fileURL + `"`
	}
	return s + "}"
}

// withID adds an id to a statement.
func withID(st, id string) string { return strings.TrimSuffix(st, "}") + `,"id":"` + id + `"}` }

// Communication 3.3 (XAPI-00330, XAPI-00332, XAPI-00333), LRSs 4.1.7 in 2.0: the version header is
// required, only supported versions are served, and every answer names the version it used.
func TestConformanceVersionHeader(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	for _, c := range []struct {
		sent, served string
		status       int
	}{
		{"1.0.3", "1.0.3", 200},
		{"1.0.0", "1.0.3", 200},
		{"1.0", "1.0.3", 200},
		{"2.0.0", "2.0.0", 200},
		{"2.0", "2.0.0", 200},
		{"", "", 400},
		{"0.9", "", 400},
		{"0.95", "", 400},
		{"1.1.0", "", 400},
		{"2.1.0", "", 400},
		{"3.0.0", "", 400},
		{"1.0.3.1", "", 400},
		{"1.0.x", "", 400},
		{"v1.0.3", "", 400},
	} {
		t.Run("version "+c.sent, func(t *testing.T) {
			r := e.want(e.req("GET", "/statements?limit=1", "", "X-Experience-API-Version", c.sent), c.status)
			if c.served != "" && r.header.Get("X-Experience-API-Version") != c.served {
				t.Fatalf("served as %q, want %q", r.header.Get("X-Experience-API-Version"), c.served)
			}
		})
	}
	// A statement write with an unsupported version stores nothing.
	e.want(e.req("POST", "/statements", statement("ver", "completed", "v1"), "X-Experience-API-Version", "1.1.0"), 400)
	if n := len(e.query("verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed")).Statements); n != 0 {
		t.Fatalf("%d statements stored under an unsupported version", n)
	}
}

// Communication 2.8 (XAPI-00314..XAPI-00316): About answers GET without credentials with the
// versions served, each a valid version string, and extensions as an object.
func TestConformanceAbout(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	for _, version := range []string{"", "1.0.3", "2.0.0"} {
		t.Run("version "+version, func(t *testing.T) {
			r := e.want(e.req("GET", "/about", "", "Authorization", "", "X-Experience-API-Version", version), 200)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
			var about struct {
				Version    []string       `json:"version"`
				Extensions map[string]any `json:"extensions"`
			}
			r.json(t, &about)
			valid := regexp.MustCompile(`^(1\.0\.[0-9]+|2\.0\.[0-9]+)$`)
			for _, v := range about.Version {
				if !valid.MatchString(v) {
					t.Fatalf("About lists %q", v)
				}
			}
			if len(about.Version) == 0 || !strings.Contains(r.body, `"extensions":{`) {
				t.Fatalf("about %s", r.body)
			}
		})
	}
	if r := e.req("HEAD", "/about", "", "Authorization", ""); r.status != 200 || r.body != "" {
		t.Fatalf("HEAD /about: %d %q", r.status, r.body)
	}
}

// Communication 2.1.1 and 2.1.2 (XAPI-00142..XAPI-00147): PUT and POST of statements.
func TestConformanceStatementWrites(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			id := "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
			s := statement("pat", "experienced", "p1")
			e.want(e.req("PUT", "/statements?statementId="+id, s), 204)
			// XAPI-00142: a second statement with the same id does not change the first.
			modified := strings.Replace(s, "verbs/experienced", "verbs/different", 1)
			e.req("PUT", "/statements?statementId="+id, modified)
			e.req("POST", "/statements", withID(modified, id))
			var got map[string]any
			e.want(e.req("GET", "/statements?statementId="+id, ""), 200).json(t, &got)
			if v := got["verb"].(map[string]any)["id"]; v != "http://adlnet.gov/expapi/verbs/experienced" {
				t.Fatalf("verb changed to %v", v)
			}
			// XAPI-00146: POST answers the ids.
			var ids []string
			e.want(e.req("POST", "/statements", s), 200).json(t, &ids)
			if len(ids) != 1 || ids[0] == "" {
				t.Fatalf("ids %v", ids)
			}
			for _, c := range []struct {
				name, method, path, body string
				headers                  []string
				status                   int
			}{
				{"XAPI-00145 PUT without statementId", "PUT", "/statements", withID(s, "1b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"), nil, 400},
				{"same id twice in a batch", "POST", "/statements", "[" + withID(s, "2b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8") + "," + withID(s, "2b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8") + "]", nil, 400},
				{"XAPI-00127 multipart/form-data", "POST", "/statements", s, []string{"Content-Type", "multipart/form-data; boundary=" + boundary}, 400},
				{"not JSON", "POST", "/statements", "not json", nil, 400},
				{"empty array is fine", "POST", "/statements", "[]", nil, 200},
				{"an id that is not a UUID", "POST", "/statements", withID(s, "not-a-uuid"), nil, 400},
				{"parameter case differs (XAPI-00123)", "PUT", "/statements?StatementId=3b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8", s, nil, 400},
				{"statement version 1.0.0", "POST", "/statements", strings.TrimSuffix(s, "}") + `,"version":"1.0.0"}`, nil, 200},
				{"statement version 0.95", "POST", "/statements", strings.TrimSuffix(s, "}") + `,"version":"0.95"}`, nil, 400},
				{"statement version 1.1.0", "POST", "/statements", strings.TrimSuffix(s, "}") + `,"version":"1.1.0"}`, nil, 400},
				{"statement version not a string", "POST", "/statements", strings.TrimSuffix(s, "}") + `,"version":1}`, nil, 400},
				{"POST with a statementId parameter", "POST", "/statements?statementId=4b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8", s, nil, 400},
				{"DELETE is not a statement method", "DELETE", "/statements?statementId=" + id, "", nil, 405},
			} {
				t.Run(c.name, func(t *testing.T) { e.want(e.req(c.method, c.path, c.body, c.headers...), c.status) })
			}
		})
	}
}

// Data 2.4.7 (XAPI-00121, XAPI-00122), Data 2.4.8 (XAPI-00101), Data 2.4.9 and Data 2.4.10: the
// LRS sets stored and authority whatever was sent, keeps a given timestamp, and answers
// Last-Modified with the stored time (Communication 2.1.3 in 2.0: to the second).
func TestConformanceLRSSetProperties(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			sent := statement("sam", "completed", "s1", `"stored":"2001-01-01T00:00:00.000Z"`, `"timestamp":"2013-05-18T05:32:34.804+08:00"`,
				`"authority":{"objectType":"Agent","mbox":"mailto:someone@example.com"}`)
			id := e.post(sent)[0]
			r := e.want(e.req("GET", "/statements?statementId="+id, ""), 200)
			var st map[string]any
			r.json(t, &st)
			if st["stored"] == "2001-01-01T00:00:00.000Z" {
				t.Fatal("the LRS kept the stored time the client sent")
			}
			if auth := st["authority"].(map[string]any); auth["mbox"] != nil {
				t.Fatalf("the LRS kept the authority the client sent: %v", auth)
			}
			ts, err := time.Parse(time.RFC3339, st["timestamp"].(string))
			if err != nil || !ts.Equal(time.Date(2013, 5, 17, 21, 32, 34, 804e6, time.UTC)) {
				t.Fatalf("timestamp %v: %v", st["timestamp"], err)
			}
			stored, err := time.Parse(time.RFC3339, st["stored"].(string))
			if err != nil {
				t.Fatal(err)
			}
			lm, err := http.ParseTime(r.header.Get("Last-Modified"))
			if err != nil || !lm.Equal(stored.Truncate(time.Second)) {
				t.Fatalf("Last-Modified %q, stored %s", r.header.Get("Last-Modified"), stored)
			}
			for _, c := range []struct {
				name      string
				timestamp string
				status    int
			}{
				{"XAPI-00122 offset -00:00", "2013-05-18T05:32:34.804-00:00", 400},
				{"offset -0000", "2013-05-18T05:32:34.804-0000", 400},
				{"offset -00", "2013-05-18T05:32:34.804-00", 400},
				{"not a time", "yesterday", 400},
				{"UTC", "2013-05-18T05:32:34.804Z", 200},
				{"offset", "2013-05-18T05:32:34+01:00", 200},
			} {
				t.Run(c.name, func(t *testing.T) {
					e.want(e.req("POST", "/statements", statement("sam", "completed", "s2", `"timestamp":"`+c.timestamp+`"`)), c.status)
				})
			}
		})
	}
}

// xAPI 2.0 Data 2.4.7 and 4.2.7 (RFC 3339 timestamps), Data 2.4.6.2 and 2.4.6.3 (contextAgents
// and contextGroups), and the suite's v2_0 configs for both.
func TestConformanceVersion2Statements(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	agent := `{"objectType":"Agent","mbox":"mailto:player-1@example.com"}`
	group := `{"objectType":"Group","name":"Team","mbox":"mailto:team@example.com"}`
	for _, c := range []struct {
		name    string
		version string
		extra   string
		status  int
	}{
		{"timestamp without an offset under 2.0", "2.0.0", `"timestamp":"2013-05-18T05:32:34.804"`, 400},
		{"timestamp with an offset under 2.0", "2.0.0", `"timestamp":"2013-05-18T05:32:34.804+00:00"`, 200},
		{"contextAgents", "2.0.0", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + agent + `,"relevantTypes":["http://example.com/types/coach"]}]}`, 200},
		{"contextAgents without relevantTypes", "2.0.0", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + agent + `}]}`, 200},
		{"contextAgents under 1.0.3", "1.0.3", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + agent + `}]}`, 400},
		{"contextAgent objectType wrong", "2.0.0", `"context":{"contextAgents":[{"objectType":"Should fail","agent":` + agent + `}]}`, 400},
		{"contextAgent agent invalid", "2.0.0", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":{"key":"Should fail"}}]}`, 400},
		{"contextAgent relevantTypes empty", "2.0.0", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + agent + `,"relevantTypes":[]}]}`, 400},
		{"contextAgent relevantTypes not IRIs", "2.0.0", `"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + agent + `,"relevantTypes":["abc"]}]}`, 400},
		{"contextAgents not an array", "2.0.0", `"context":{"contextAgents":{"objectType":"contextAgent","agent":` + agent + `}}`, 400},
		{"contextGroups", "2.0.0", `"context":{"contextGroups":[{"objectType":"contextGroup","group":` + group + `,"relevantTypes":["http://example.com/types/team"]}]}`, 200},
		{"contextGroups under 1.0.3", "1.0.3", `"context":{"contextGroups":[{"objectType":"contextGroup","group":` + group + `}]}`, 400},
		{"contextGroup objectType wrong", "2.0.0", `"context":{"contextGroups":[{"objectType":"contextAgent","group":` + group + `}]}`, 400},
		{"contextGroup group is an agent", "2.0.0", `"context":{"contextGroups":[{"objectType":"contextGroup","group":` + agent + `}]}`, 400},
		{"contextGroup relevantTypes empty", "2.0.0", `"context":{"contextGroups":[{"objectType":"contextGroup","group":` + group + `,"relevantTypes":[]}]}`, 400},
		{"contextAgents in a sub-statement", "2.0.0", `"context":{"registration":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"}`, 200},
		{"statement version 2.0.0 under 2.0", "2.0.0", `"version":"2.0.0"`, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.version = c.version
			e.want(e.req("POST", "/statements", statement("two", "completed", "t1", c.extra)), c.status)
		})
	}
	// The same rules inside a sub-statement.
	e.version = "2.0.0"
	sub := func(ctx string) string {
		return `{"actor":` + agent + `,"verb":{"id":"http://example.com/verbs/planned"},"object":{"objectType":"SubStatement","actor":` + agent +
			`,"verb":{"id":"http://example.com/verbs/did"},"object":{"id":"http://example.com/activities/sub"},"context":` + ctx + `}}`
	}
	e.want(e.req("POST", "/statements", sub(`{"contextAgents":[{"objectType":"contextAgent","agent":`+agent+`}]}`)), 200)
	e.want(e.req("POST", "/statements", sub(`{"contextAgents":[{"objectType":"Should fail","agent":`+agent+`}]}`)), 400)
	e.want(e.req("POST", "/statements", sub(`{"contextAgents":[{"objectType":"contextAgent","agent":`+agent+`,"relevantTypes":["abc"]}]}`)), 400)
}

// Data 2.3 (XAPI-00016, XAPI-00017) and Communication 2.1.4: voiding.
func TestConformanceVoiding(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	target := e.post(statement("val", "completed", "v1"))[0]
	voided := `{"actor":{"mbox":"mailto:val@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided","display":{"en-US":"voided"}},"object":%s}`
	// A voiding statement's object must be a StatementRef.
	e.want(e.req("POST", "/statements", fmt.Sprintf(voided, `{"objectType":"Activity","id":"http://example.com/activities/v1"}`)), 400)
	voiding := e.post(fmt.Sprintf(voided, `{"objectType":"StatementRef","id":"`+target+`"}`))[0]
	// XAPI-00165: a voided statement is not answered by statementId, only by voidedStatementId.
	e.want(e.req("GET", "/statements?statementId="+target, ""), 404)
	var st map[string]any
	e.want(e.req("GET", "/statements?voidedStatementId="+target, ""), 200).json(t, &st)
	if st["id"] != target {
		t.Fatalf("voidedStatementId answered %v", st["id"])
	}
	// The voiding statement itself is an ordinary statement.
	e.want(e.req("GET", "/statements?statementId="+voiding, ""), 200)
	// A query never answers the voided statement (XAPI-00166).
	for _, id := range ids(e.query("verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/completed"))) {
		if id == target {
			t.Fatal("a query answered the voided statement")
		}
	}
	e.want(e.req("GET", "/statements?voidedStatementId=5e1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8", ""), 404)
	e.want(e.req("GET", "/statements?statementId="+target+"&voidedStatementId="+target, ""), 400)
}

// Communication 2.1.3 (XAPI-00149..XAPI-00164): GET of statements, paging, format and headers.
func TestConformanceStatementQueries(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	st := `{"actor":{"objectType":"Agent","name":"Quinn","mbox":"mailto:quinn@example.com"},"verb":{"id":"http://example.com/verbs/read","display":{"en-US":"read","de":"las"}},"object":{"objectType":"Activity","id":"http://example.com/activities/q","definition":{"name":{"en-US":"Book","de":"Buch"},"description":{"en-US":"A book","de":"Ein Buch"}}}}`
	first := e.post(st)[0]
	second := e.post(st)[0]
	// XAPI-00151, X-Experience-API-Consistent-Through on every statement answer, as a timestamp.
	for _, path := range []string{"/statements", "/statements?statementId=" + first, "/statements?verb=" + url.QueryEscape("http://example.com/verbs/read")} {
		r := e.want(e.req("GET", path, ""), 200)
		ct := r.header.Get("X-Experience-API-Consistent-Through")
		if ts, err := time.Parse(time.RFC3339, ct); err != nil || ts.Before(time.Now().Add(-time.Minute)) {
			t.Fatalf("%s: X-Experience-API-Consistent-Through %q (%v)", path, ct, err)
		}
		if c := r.header.Get("Content-Type"); !strings.HasPrefix(c, "application/json") {
			t.Fatalf("%s: Content-Type %q", path, c)
		}
	}
	// XAPI-00154, more: a page of one links to the next, and the last page has an empty more.
	page := e.query("limit=1&verb=" + url.QueryEscape("http://example.com/verbs/read"))
	if got := ids(page); len(got) != 1 || got[0] != second || page.More == "" {
		t.Fatalf("first page %v more %q", got, page.More)
	}
	u, err := url.Parse(page.More)
	if err != nil || u.IsAbs() || !strings.HasPrefix(u.Path, "/xapi/statements") {
		t.Fatalf("more %q is not a relative link to the statements resource", page.More)
	}
	var next result
	e.want(e.req("GET", strings.TrimPrefix(page.More, "/xapi"), ""), 200).json(t, &next)
	if got := ids(next); len(got) != 1 || got[0] != first || next.More != "" {
		t.Fatalf("second page %v more %q", got, next.More)
	}
	// XAPI-00158, format=ids: agents by their identifier only, no definitions or displays.
	var idsOnly map[string]any
	e.want(e.req("GET", "/statements?statementId="+first+"&format=ids", ""), 200).json(t, &idsOnly)
	if a := idsOnly["actor"].(map[string]any); a["name"] != nil || a["mbox"] != "mailto:quinn@example.com" {
		t.Fatalf("format=ids actor %v", a)
	}
	if v := idsOnly["verb"].(map[string]any); v["display"] != nil {
		t.Fatalf("format=ids verb %v", v)
	}
	if o := idsOnly["object"].(map[string]any); o["definition"] != nil {
		t.Fatalf("format=ids object %v", o)
	}
	// XAPI-00159, format=canonical: one language per language map, the one asked for.
	var canonical map[string]any
	e.want(e.req("GET", "/statements?statementId="+first+"&format=canonical", "", "Accept-Language", "de"), 200).json(t, &canonical)
	name := canonical["object"].(map[string]any)["definition"].(map[string]any)["name"].(map[string]any)
	if len(name) != 1 || name["de"] != "Buch" {
		t.Fatalf("format=canonical name %v", name)
	}
	// Exact keeps every language.
	var exact map[string]any
	e.want(e.req("GET", "/statements?statementId="+first+"&format=exact", ""), 200).json(t, &exact)
	if n := exact["object"].(map[string]any)["definition"].(map[string]any)["name"].(map[string]any); len(n) != 2 {
		t.Fatalf("format=exact name %v", n)
	}
	for _, bad := range []string{
		"statementId=" + first + "&verb=" + url.QueryEscape("http://example.com/verbs/read"),
		"statementId=" + first + "&limit=1",
		"statementId=not-a-uuid",
		"agent=" + url.QueryEscape(`{"mbox":"quinn@example.com"}`),
		"since=2013-05-18",
		"format=canonicals",
		"attachments=1",
		"related_agents=1",
	} {
		t.Run("400 for "+bad, func(t *testing.T) { e.want(e.req("GET", "/statements?"+bad, ""), 400) })
	}
	e.want(e.req("GET", "/statements?statementId=6e1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8", ""), 404)
	// since and until take any ISO 8601 timestamp with an offset.
	e.want(e.req("GET", "/statements?since="+url.QueryEscape("2013-05-18T05:32:34.804+08:00")+"&until="+url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)), ""), 200)
}

// Communication 1.1 (XAPI-00128 in the 1.0.3 numbering: HEAD): every resource answering GET
// answers HEAD the same way, without a body.
func TestConformanceHEAD(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			id := e.post(statement("hed", "completed", "h1"))[0]
			agent := url.QueryEscape(`{"mbox":"mailto:hed@example.com"}`)
			act := url.QueryEscape("http://example.com/activities/h1")
			e.want(e.req("PUT", "/activities/state?activityId="+act+"&agent="+agent+"&stateId=s", `{"a":1}`), 204)
			e.want(e.req("PUT", "/activities/profile?activityId="+act+"&profileId=p", `{"a":1}`), 204)
			e.want(e.req("PUT", "/agents/profile?agent="+agent+"&profileId=p", `{"a":1}`), 204)
			for _, path := range []string{
				"/statements", "/statements?statementId=" + id, "/about",
				"/activities/state?activityId=" + act + "&agent=" + agent + "&stateId=s",
				"/activities/state?activityId=" + act + "&agent=" + agent,
				"/activities/profile?activityId=" + act + "&profileId=p",
				"/agents/profile?agent=" + agent + "&profileId=p",
				"/activities?activityId=" + act, "/agents?agent=" + agent,
			} {
				t.Run(path, func(t *testing.T) {
					get := e.want(e.req("GET", path, ""), 200)
					head := e.want(e.req("HEAD", path, ""), 200)
					if head.body != "" {
						t.Fatalf("HEAD answered a body %q", head.body)
					}
					for _, h := range []string{"Content-Type", "ETag", "Last-Modified"} {
						if get.header.Get(h) != head.header.Get(h) {
							t.Fatalf("%s: GET %q, HEAD %q", h, get.header.Get(h), head.header.Get(h))
						}
					}
				})
			}
		})
	}
}

// Communication 1.5.2 and Data 2.4.11 (XAPI-00127..XAPI-00135): attachments in multipart/mixed
// requests, and attachments=true answers.
func TestConformanceAttachments(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	text, other := "here is a simple attachment", "here is another attachment, longer"
	one := withAttachments(attachment("text/plain", text, ""))
	for _, c := range []struct {
		name, body, contentType string
		status                  int
	}{
		{"XAPI-00127 fileUrl in application/json", withAttachments(attachment("text/plain", text, "http://over.there.com/file.txt")), "application/json", 200},
		{"XAPI-00127 fileUrl in multipart/mixed", mixed(withAttachments(attachment("text/plain", text, "http://over.there.com/file.txt"))), mixedType, 200},
		{"no attachments in multipart/mixed", mixed(statement("att", "attached", "none")), mixedType, 200},
		{"raw data in multipart/mixed", mixed(one, "text/plain", text), mixedType, 200},
		{"a batch in multipart/mixed", mixed("["+one+","+one+"]", "text/plain", text), mixedType, 200},
		{"raw data in multipart/form-data", mixed(one, "text/plain", text), "multipart/form-data; boundary=" + boundary, 400},
		{"XAPI-00128 an excess part", mixed(one, "text/plain", text, "text/plain", other), mixedType, 400},
		{"XAPI-00129 a missing part", mixed(withAttachments(attachment("text/plain", text, ""), attachment("text/plain", other, "")), "text/plain", text), mixedType, 400},
		{"raw data without a part in application/json", one, "application/json", 400},
		{"XAPI-00131 no boundary", mixed(one, "text/plain", text), "multipart/mixed", 400},
		{"XAPI-00132 first part not JSON", strings.Replace(mixed(one, "text/plain", text), "Content-Type: application/json", "Content-Type: text/plain", 1), mixedType, 400},
		{"XAPI-00134 a part with a wrong hash", strings.Replace(mixed(one, "text/plain", text), "X-Experience-API-Hash: "+sha(text), "X-Experience-API-Hash: "+sha(other), 1), mixedType, 400},
		{"XAPI-00135 a part without a hash", strings.Replace(mixed(one, "text/plain", text), "X-Experience-API-Hash: "+sha(text)+"\r\n", "", 1), mixedType, 400},
		{"Content-Transfer-Encoding not binary", strings.Replace(mixed(one, "text/plain", text), "Content-Transfer-Encoding: binary", "Content-Transfer-Encoding: base64", 1), mixedType, 400},
		{"attachment without a usageType", strings.Replace(one, `"usageType":"http://example.com/attachment-usage/test",`, "", 1), "application/json", 400},
		{"attachment length not a number", strings.Replace(withAttachments(attachment("text/plain", text, "http://over.there.com/file.txt")), `"length":27`, `"length":"27"`, 1), "application/json", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.want(e.req("POST", "/statements", c.body, "Content-Type", c.contentType), c.status)
		})
	}
	// PUT takes a multipart/mixed statement too.
	id := "7e1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
	e.want(e.req("PUT", "/statements?statementId="+id, mixed(one, "text/plain", text), "Content-Type", mixedType), 204)
	// XAPI-00155, attachments=true: multipart/mixed, the statements first, then each attachment.
	for _, path := range []string{"/statements?attachments=true&statementId=" + id, "/statements?attachments=true&verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/attached")} {
		t.Run(path, func(t *testing.T) {
			r := e.want(e.req("GET", path, ""), 200)
			mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
			if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
				t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
			}
			mr := multipart.NewReader(strings.NewReader(r.body), params["boundary"])
			p, err := mr.NextPart()
			if err != nil || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("first part %v: %v", p, err)
			}
			first, _ := io.ReadAll(p)
			if !json.Valid(first) || !strings.Contains(string(first), sha(text)) {
				t.Fatalf("first part %s", first)
			}
			found := false
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				data, _ := io.ReadAll(p)
				if p.Header.Get("X-Experience-API-Hash") == sha(text) && string(data) == text && p.Header.Get("Content-Transfer-Encoding") == "binary" {
					found = true
				}
			}
			if !found {
				t.Fatal("the attachment's part is missing")
			}
		})
	}
	// Without attachments=true the answer is JSON.
	if r := e.want(e.req("GET", "/statements?statementId="+id, ""), 200); !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
	}
}

// Data 2.6 (XAPI-00106..XAPI-00113): signed statements.
func TestConformanceSignedStatements(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Signer"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(alg jose.SignatureAlgorithm, payload string) string {
		opts := (&jose.SignerOptions{}).WithHeader("x5c", []string{base64.StdEncoding.EncodeToString(cert)})
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := signer.Sign([]byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := obj.CompactSerialize()
		return s
	}
	signed := func(st, jws, contentType string) string {
		att := fmt.Sprintf(`{"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en-US":"Signature"},"contentType":%q,"length":%d,"sha2":%q}`,
			contentType, len(jws), sha(jws))
		return mixed(strings.TrimSuffix(st, "}")+`,"attachments":[`+att+`]}`, contentType, jws)
	}
	st := withID(statement("sig", "signed", "g1"), "8e1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8")
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"XAPI-00107 RS256", signed(st, sign(jose.RS256, st), "application/octet-stream"), 200},
		{"RS384", signed(strings.Replace(st, "8e1c", "8e1d", 1), sign(jose.RS384, strings.Replace(st, "8e1c", "8e1d", 1)), "application/octet-stream"), 200},
		{"RS512", signed(strings.Replace(st, "8e1c", "8e1e", 1), sign(jose.RS512, strings.Replace(st, "8e1c", "8e1e", 1)), "application/octet-stream"), 200},
		{"XAPI-00111 payload differs from the statement", signed(st, sign(jose.RS256, strings.Replace(st, "verbs/signed", "verbs/other", 1)), "application/octet-stream"), 400},
		{"XAPI-00108 not a JWS", signed(st, "this is not a signature", "application/octet-stream"), 400},
		{"XAPI-00109 algorithm other than RS256/384/512", signed(st, sign(jose.PS256, st), "application/octet-stream"), 400},
		{"XAPI-00110 signature with a wrong content type", signed(st, sign(jose.RS256, st), "text/plain"), 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.want(e.req("POST", "/statements", c.body, "Content-Type", mixedType), c.status)
		})
	}
}

// docResource is one of the three document resources with the parameters that name a document.
type docResource struct {
	name, path, idParam string
	params              url.Values
}

func docResources() []docResource {
	agent := `{"objectType":"Agent","mbox":"mailto:doc@example.com"}`
	return []docResource{
		{"state", "/activities/state", "stateId", url.Values{"activityId": {"http://example.com/activities/doc"}, "agent": {agent}, "stateId": {"s1"}}},
		{"activity profile", "/activities/profile", "profileId", url.Values{"activityId": {"http://example.com/activities/doc"}, "profileId": {"p1"}}},
		{"agent profile", "/agents/profile", "profileId", url.Values{"agent": {agent}, "profileId": {"p1"}}},
	}
}

func (d docResource) url(edit func(url.Values)) string {
	q := url.Values{}
	for k, v := range d.params {
		q[k] = v
	}
	if edit != nil {
		edit(q)
	}
	return d.path + "?" + q.Encode()
}

// Communication 3.1 (XAPI-00322) and xAPI 2.0 LRSs 4.1.4: concurrency on the document resources,
// under both versions; in 2.0 a PUT without a precondition of an existing State document, too,
// is a 409.
func TestConformanceDocumentConcurrency(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		for _, d := range docResources() {
			t.Run(version+" "+d.name, func(t *testing.T) {
				e := start(t, dbtest.SQLite(t))
				e.version = version
				doc := d.url(nil)
				e.want(e.req("POST", doc, `{"name":"original"}`), 204)
				r := e.want(e.req("GET", doc, ""), 200)
				etag := r.header.Get("ETag")
				if len(etag) != 42 || etag[0] != '"' || etag[41] != '"' {
					t.Fatalf("ETag %q is not a quoted SHA-1", etag)
				}
				if _, err := http.ParseTime(r.header.Get("Last-Modified")); err != nil {
					t.Fatalf("Last-Modified %q", r.header.Get("Last-Modified"))
				}
				unchanged := func() {
					t.Helper()
					if got := e.want(e.req("GET", doc, ""), 200).body; got != `{"name":"original"}` {
						t.Fatalf("document changed to %s", got)
					}
				}
				e.want(e.req("PUT", doc, `{"name":"updated"}`, "If-Match", `"1234"`), 412)
				e.want(e.req("PUT", doc, `{"name":"updated"}`, "If-Match", "1234"), 412)
				e.want(e.req("POST", doc, `{"name":"updated"}`, "If-Match", "1234"), 412)
				e.want(e.req("DELETE", doc, "", "If-Match", "1234"), 412)
				e.want(e.req("PUT", doc, `{"name":"updated"}`, "If-None-Match", "*"), 412)
				unchanged()
				// A PUT without either header of a document that exists.
				wantConflict := d.name != "state" || version == "2.0.0"
				if wantConflict {
					r := e.want(e.req("PUT", doc, `{"name":"updated"}`), 409)
					if !strings.Contains(r.body, "If-Match") {
						t.Fatalf("the 409 does not explain itself: %s", r.body)
					}
					unchanged()
				}
				e.want(e.req("PUT", doc, `{"name":"updated"}`, "If-Match", etag), 204)
				if got := e.want(e.req("GET", doc, ""), 200).body; got != `{"name":"updated"}` {
					t.Fatalf("document %s", got)
				}
				cur := e.want(e.req("GET", doc, ""), 200).header.Get("ETag")
				e.want(e.req("POST", doc, `{"more":true}`, "If-Match", cur), 204)
				cur = e.want(e.req("GET", doc, ""), 200).header.Get("ETag")
				e.want(e.req("DELETE", doc, "", "If-Match", cur), 204)
				e.want(e.req("GET", doc, ""), 404)
				// If-None-Match: * creates a document only when there is none.
				e.want(e.req("PUT", doc, `{"name":"new"}`, "If-None-Match", "*"), 204)
				// If-Match: * changes a document whatever its version.
				e.want(e.req("PUT", doc, `{"name":"any"}`, "If-Match", "*"), 204)
			})
		}
	}
}

// Communication 2.3, 2.6, 2.7 (XAPI-00182..XAPI-00235, XAPI-00255..XAPI-00313): parameters of the
// document resources, merges, and lists.
func TestConformanceDocumentResources(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		for _, d := range docResources() {
			t.Run(version+" "+d.name, func(t *testing.T) {
				e := start(t, dbtest.SQLite(t))
				e.version = version
				doc := d.url(nil)
				e.want(e.req("POST", doc, `{"a":1,"b":{"c":1}}`), 204)
				r := e.want(e.req("GET", doc, ""), 200)
				if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
					t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
				}
				// A merge replaces top-level properties only.
				e.want(e.req("POST", doc, `{"b":{"d":2},"e":3}`), 204)
				var merged map[string]any
				e.want(e.req("GET", doc, ""), 200).json(t, &merged)
				if fmt.Sprint(merged) != "map[a:1 b:map[d:2] e:3]" {
					t.Fatalf("merged %v", merged)
				}
				// POST of something that is not a JSON object into a JSON document.
				e.want(e.req("POST", doc, `[1,2]`), 400)
				e.want(e.req("POST", doc, `plain`, "Content-Type", "text/plain"), 400)
				// A non-JSON document keeps its content and type.
				other := d.url(func(q url.Values) { q.Set(d.idParam, "binary") })
				e.want(e.req("PUT", other, "\x00\x01binary", "Content-Type", "application/octet-stream"), 204)
				got := e.want(e.req("GET", other, ""), 200)
				if got.body != "\x00\x01binary" || got.header.Get("Content-Type") != "application/octet-stream" {
					t.Fatalf("document %q %q", got.body, got.header.Get("Content-Type"))
				}
				// Listing ids: an array, since limits it.
				var list []string
				listURL := d.url(func(q url.Values) { q.Del(d.idParam) })
				e.want(e.req("GET", listURL, ""), 200).json(t, &list)
				if fmt.Sprint(list) != "[binary "+d.params.Get(d.idParam)+"]" {
					t.Fatalf("ids %v", list)
				}
				since := d.url(func(q url.Values) {
					q.Del(d.idParam)
					q.Set("since", time.Now().Add(time.Hour).Format(time.RFC3339))
				})
				e.want(e.req("GET", since, ""), 200).json(t, &list)
				if len(list) != 0 {
					t.Fatalf("ids since the future %v", list)
				}
				e.want(e.req("GET", d.url(func(q url.Values) { q.Set(d.idParam, "missing") }), ""), 404)
				// Bad parameters.
				var bad []func(url.Values)
				if d.params.Has("activityId") {
					bad = append(bad, func(q url.Values) { q.Del("activityId") }, func(q url.Values) { q.Set("activityId", "not an iri") })
				}
				if d.params.Has("agent") {
					bad = append(bad, func(q url.Values) { q.Del("agent") }, func(q url.Values) { q.Set("agent", "not JSON") },
						func(q url.Values) { q.Set("agent", "true") }, func(q url.Values) { q.Set("agent", `{"mbox":"doc@example.com"}`) })
				}
				if d.name == "state" {
					bad = append(bad, func(q url.Values) { q.Set("registration", "not-a-uuid") })
				}
				bad = append(bad, func(q url.Values) { q.Set("unknown", "1") })
				for i, edit := range bad {
					for _, m := range []string{"GET", "PUT", "POST", "DELETE"} {
						t.Run(fmt.Sprint(m, " bad ", i), func(t *testing.T) {
							body := ""
							if m == "PUT" || m == "POST" {
								body = `{"x":1}`
							}
							e.want(e.req(m, d.url(edit), body), 400)
						})
					}
				}
				// PUT and POST need the document's id.
				e.want(e.req("PUT", listURL, `{"x":1}`), 400)
				e.want(e.req("POST", listURL, `{"x":1}`), 400)
				if d.name != "state" {
					e.want(e.req("DELETE", listURL, ""), 400)
				}
			})
		}
	}
}

// Communication 2.4 and 2.5 (XAPI-00236..XAPI-00254): the Agents and Activities resources.
func TestConformanceAgentsAndActivities(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			// XAPI-00237..XAPI-00244: asked with a statement's actor, the Person has every
			// property of it as an array.
			for _, actor := range []string{
				`{"objectType":"Agent","name":"Ag","mbox":"mailto:ag@example.com"}`,
				`{"objectType":"Agent","name":"Ag","mbox_sha1sum":"cd9b00a5611f94eaa7b1661edab976068e364975"}`,
				`{"objectType":"Agent","name":"Ag","openid":"http://openid.example.org/12345"}`,
				`{"objectType":"Agent","name":"Ag","account":{"homePage":"http://www.example.com","name":"xAPI account name"}}`,
			} {
				e.post(`{"actor":` + actor + `,"verb":{"id":"http://example.com/verbs/did"},"object":{"id":"http://example.com/activities/ac1","definition":{"name":{"en-US":"A"}}}}`)
				var sent, person map[string]any
				_ = json.Unmarshal([]byte(actor), &sent)
				e.want(e.req("GET", "/agents?agent="+url.QueryEscape(actor), ""), 200).json(t, &person)
				if person["objectType"] != "Person" {
					t.Fatalf("person %v", person)
				}
				for k, v := range sent {
					if k == "objectType" {
						continue
					}
					list, ok := person[k].([]any)
					if !ok || len(list) == 0 || fmt.Sprint(list[0]) != fmt.Sprint(v) {
						t.Fatalf("person %s is %v, want an array holding %v", k, person[k], v)
					}
				}
			}
			var person map[string]any
			// An unknown agent is a Person of what was asked.
			e.want(e.req("GET", "/agents?agent="+url.QueryEscape(`{"mbox":"mailto:nobody@example.com"}`), ""), 200).json(t, &person)
			if person["objectType"] != "Person" || fmt.Sprint(person["mbox"]) != "[mailto:nobody@example.com]" {
				t.Fatalf("unknown person %v", person)
			}
			var act map[string]any
			e.want(e.req("GET", "/activities?activityId="+url.QueryEscape("http://example.com/activities/ac1"), ""), 200).json(t, &act)
			if act["objectType"] != "Activity" || act["id"] != "http://example.com/activities/ac1" || act["definition"] == nil {
				t.Fatalf("activity %v", act)
			}
			for _, bad := range []string{"/agents", "/agents?agent=notjson", "/agents?agent=" + url.QueryEscape(`{"mbox":"nobody@example.com"}`),
				"/agents?agent=" + url.QueryEscape(`{"mbox":"mailto:a@b.c"}`) + "&x=1", "/activities", "/activities?activityId=notaniri",
				"/activities?activityId=" + url.QueryEscape("http://example.com/a") + "&x=1"} {
				t.Run(bad, func(t *testing.T) { e.want(e.req("GET", bad, ""), 400) })
			}
		})
	}
}

// Communication 1.3 (XAPI-00148 and the alternate request syntax requirements of 1.0.3).
func TestConformanceAlternateSyntax(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	auth := "Basic " + basic(e.key, e.secret)
	send := func(method string, query string, form url.Values) reply {
		t.Helper()
		r, err := http.NewRequest("POST", e.srv.URL+"/statements?method="+method+query, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return reply{status: res.StatusCode, header: res.Header, body: string(b)}
	}
	id := "9e1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
	form := url.Values{"Authorization": {auth}, "X-Experience-API-Version": {"1.0.3"}, "Content-Type": {"application/json"},
		"statementId": {id}, "content": {statement("alt", "completed", "alt1")}}
	e.want(send("PUT", "", form), 204)
	// POST through the alternate syntax answers the ids.
	post := url.Values{"Authorization": {auth}, "X-Experience-API-Version": {"1.0.3"}, "Content-Type": {"application/json"}, "content": {statement("alt", "completed", "alt2")}}
	var got []string
	e.want(send("POST", "", post), 200).json(t, &got)
	if len(got) != 1 {
		t.Fatalf("ids %v", got)
	}
	get := url.Values{"Authorization": {auth}, "X-Experience-API-Version": {"1.0.3"}, "statementId": {id}}
	var st map[string]any
	e.want(send("GET", "", get), 200).json(t, &st)
	if st["id"] != id {
		t.Fatalf("statement %v", st)
	}
	// Any other query parameter than method is refused.
	e.want(send("GET", "&statementId="+id, url.Values{"Authorization": {auth}, "X-Experience-API-Version": {"1.0.3"}}), 400)
	// Credentials in the form are checked like the header.
	e.want(send("GET", "", url.Values{"Authorization": {"Basic " + basic(e.key, "wrong")}, "X-Experience-API-Version": {"1.0.3"}, "statementId": {id}}), 401)
	// The version in the form is required.
	e.want(send("GET", "", url.Values{"Authorization": {auth}, "statementId": {id}}), 400)
	// Documents through the alternate syntax.
	docForm := url.Values{"Authorization": {auth}, "X-Experience-API-Version": {"1.0.3"}, "Content-Type": {"application/json"},
		"activityId": {"http://example.com/activities/alt"}, "agent": {`{"mbox":"mailto:alt@example.com"}`}, "stateId": {"s"}, "content": {`{"alt":true}`}}
	r, err := http.Post(e.srv.URL+"/activities/state?method=PUT", "application/x-www-form-urlencoded", strings.NewReader(docForm.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 204 {
		t.Fatalf("alternate PUT of a document: %d", r.StatusCode)
	}
	doc := e.want(e.req("GET", "/activities/state?activityId="+url.QueryEscape("http://example.com/activities/alt")+"&agent="+url.QueryEscape(`{"mbox":"mailto:alt@example.com"}`)+"&stateId=s", ""), 200)
	if doc.body != `{"alt":true}` {
		t.Fatalf("document %q", doc.body)
	}
	// The alternate syntax is only for POST: another method with method= is refused.
	e.want(e.req("PUT", "/statements?method=PUT&statementId="+id, statement("alt", "completed", "alt1")), 400)
}

// Communication 3.2 (XAPI-00323..XAPI-00327): authentication and the answers to errors.
func TestConformanceErrorCodes(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	for _, c := range []struct {
		name, method, path, body string
		headers                  []string
		status                   int
	}{
		{"no credentials", "GET", "/statements", "", []string{"Authorization", ""}, 401},
		{"bad credentials", "POST", "/statements", statement("err", "completed", "e1"), []string{"Authorization", "Basic " + basic("nobody", "nothing")}, 401},
		{"malformed credentials", "GET", "/statements", "", []string{"Authorization", "Basic !!!"}, 401},
		{"XAPI-00334 Basic: with a colon", "PUT", "/statements?statementId=a6b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", statement("err", "completed", "e1"),
			[]string{"Authorization", "Basic:" + basic("RobCIsNot", "AUserOnThisLRS")}, 401},
		{"XAPI-00335 HTTP Basic", "PUT", "/statements?statementId=a7b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", statement("err", "completed", "e1"), nil, 204},
		{"unknown resource", "GET", "/statement", "", nil, 404},
		{"a null value", "POST", "/statements", statement("err", "completed", "e1", `"result":null`), nil, 400},
		{"an unknown property", "POST", "/statements", statement("err", "completed", "e1", `"foo":1`), nil, 400},
		{"a duplicate property", "POST", "/statements", statement("err", "completed", "e1", `"result":{"success":true},"result":{"success":false}`), nil, 400},
		{"an empty body", "POST", "/statements", "", []string{"Content-Type", "application/json"}, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.want(e.req(c.method, c.path, c.body, c.headers...), c.status)
			if c.status == 401 && r.header.Get("WWW-Authenticate") == "" && c.name != "unknown resource" {
				t.Fatalf("a 401 without WWW-Authenticate")
			}
		})
	}
}

// Communication 1.2 and CORS: browsers may read the xAPI headers of answers.
func TestConformanceCORS(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	r := e.req("OPTIONS", "/activities/state", "", "Authorization", "", "X-Experience-API-Version", "", "Origin", "https://content.example.org",
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization,content-type,if-match,x-experience-api-version")
	if r.status/100 != 2 || r.header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("preflight %d %v", r.status, r.header)
	}
	for _, h := range []string{"Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Experience-API-Version"} {
		if !strings.Contains(strings.ToLower(r.header.Get("Access-Control-Allow-Headers")), strings.ToLower(h)) {
			t.Fatalf("Access-Control-Allow-Headers %q lacks %s", r.header.Get("Access-Control-Allow-Headers"), h)
		}
	}
	got := e.want(e.req("GET", "/statements", "", "Origin", "https://content.example.org"), 200)
	for _, h := range []string{"ETag", "Last-Modified", "X-Experience-API-Version", "X-Experience-API-Consistent-Through"} {
		if !strings.Contains(got.header.Get("Access-Control-Expose-Headers"), h) {
			t.Fatalf("Access-Control-Expose-Headers %q lacks %s", got.header.Get("Access-Control-Expose-Headers"), h)
		}
	}
}

// suiteMultipart builds a signed statement request the way the suite's signing helper does: an
// empty preamble line, headers without a space after the colon, no line break after the closing
// delimiter, and a JWS without an x5c header.
func suiteMultipart(t *testing.T, st map[string]any, alg jose.SignatureAlgorithm, key any, contentType string, breakJSON bool) (string, string) {
	t.Helper()
	payload, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if breakJSON {
		payload = []byte(strings.Replace(string(payload), `"`, `'`, 1))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	jws, _ := obj.CompactSerialize()
	st["attachments"] = []any{map[string]any{"usageType": "http://adlnet.gov/expapi/attachments/signature", "display": map[string]any{"en-US": "Signed"},
		"description": map[string]any{"en-US": "Signed"}, "contentType": contentType, "length": len(jws), "sha2": sha(jws)}}
	body, _ := json.Marshal(st)
	b := "-------------3141592653"
	return "\r\n--" + b + "\r\nContent-Type:application/json\r\n\r\n" + string(body) +
		"\r\n--" + b + "\r\nContent-Type:" + contentType + "\r\nContent-Transfer-Encoding:binary\r\nX-Experience-API-Hash:" + sha(jws) + "\r\n\r\n" + jws +
		"\r\n--" + b + "--", "multipart/mixed; boundary=" + b
}

// Data 2.6 (Data 2.6.s4.b1, b3, b4) as the suite sends it: signatures without certificates.
func TestConformanceSignedStatementsAsTheSuiteSendsThem(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	fresh := func(id string) map[string]any {
		var st map[string]any
		_ = json.Unmarshal([]byte(withID(statement("sgn", "attended", "meeting"), id)), &st)
		return st
	}
	for _, c := range []struct {
		name        string
		alg         jose.SignatureAlgorithm
		key         any
		contentType string
		breakJSON   bool
		status      int
	}{
		{"RS256", jose.RS256, key, "application/octet-stream", false, 200},
		{"bad contentType", jose.RS256, key, "text/plain; charset=ascii", false, 400},
		{"bad algorithm HS256", jose.HS256, []byte("a shared secret that is long enough for HS256"), "application/octet-stream", false, 400},
		{"bad JSON serialization", jose.RS256, key, "application/octet-stream", true, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := "a" + sha(c.name)[:7] + "-4f50-4a61-8b72-93a4b5c6d7e8"
			body, ct := suiteMultipart(t, fresh(id), c.alg, c.key, c.contentType, c.breakJSON)
			e.want(e.req("POST", "/statements", body, "Content-Type", ct), c.status)
			if c.status == 200 {
				e.want(e.req("GET", "/statements?statementId="+id, ""), 200)
			}
		})
	}
}

// Communication 2.1.3 (related_agents, related_activities): the broad filters reach the
// authority, instructor, team, an agent as object, context activities of every kind and
// sub-statements; under 2.0 context agents and context groups too.
func TestConformanceRelatedFilters(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.version = "2.0.0"
	who := `{"objectType":"Agent","mbox":"mailto:rel@example.com"}`
	act := "http://example.com/activities/rel"
	other := `"actor":{"mbox":"mailto:someone@example.com"},"verb":{"id":"http://example.com/verbs/did"}`
	post := func(s string) string { return e.post("{" + s + "}")[0] }
	asObject := post(other + `,"object":` + who)
	instructor := post(other + `,"object":{"id":"http://example.com/activities/x"},"context":{"instructor":` + who + `}`)
	team := post(other + `,"object":{"id":"http://example.com/activities/x"},"context":{"team":{"objectType":"Group","member":[` + who + `]}}`)
	inSub := post(other + `,"object":{"objectType":"SubStatement","actor":` + who + `,"verb":{"id":"http://example.com/verbs/will"},"object":{"id":"http://example.com/activities/x"}}`)
	ctxAgent := post(other + `,"object":{"id":"http://example.com/activities/x"},"context":{"contextAgents":[{"objectType":"contextAgent","agent":` + who + `}]}`)
	ctxGroup := post(other + `,"object":{"id":"http://example.com/activities/x"},"context":{"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","member":[` + who + `]}}]}`)
	e.post(statement("unrelated", "did", "y"))
	agent := url.QueryEscape(`{"mbox":"mailto:rel@example.com"}`)
	got := ids(e.query("agent=" + agent + "&related_agents=true"))
	for name, id := range map[string]string{"object": asObject, "instructor": instructor, "team member": team, "sub-statement actor": inSub, "context agent": ctxAgent, "context group member": ctxGroup} {
		found := false
		for _, g := range got {
			found = found || g == id
		}
		if !found {
			t.Errorf("related_agents misses the statement with the agent as %s", name)
		}
	}
	if strict := ids(e.query("agent=" + agent)); len(strict) != 1 || strict[0] != asObject {
		t.Errorf("agent without related_agents: %v, want only %s", strict, asObject)
	}
	var want []string
	for _, kind := range []string{"parent", "grouping", "category", "other"} {
		want = append(want, post(other+`,"object":{"id":"http://example.com/activities/x"},"context":{"contextActivities":{"`+kind+`":[{"id":"`+act+`"}]}}`))
	}
	want = append(want, post(other+`,"object":{"objectType":"SubStatement","actor":`+who+`,"verb":{"id":"http://example.com/verbs/will"},"object":{"id":"`+act+`"}}`))
	got = ids(e.query("activity=" + url.QueryEscape(act) + "&related_activities=true"))
	if len(got) != len(want) {
		t.Fatalf("related_activities %v, want %v", got, want)
	}
	if n := len(e.query("activity=" + url.QueryEscape(act)).Statements); n != 0 {
		t.Fatalf("activity without related_activities answered %d statements", n)
	}
}

// Communication 1.5 and 2.1.2: a Content-Type with parameters (a charset) is still JSON.
func TestConformanceContentTypeParameters(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.want(e.req("POST", "/statements", statement("cs", "completed", "c1"), "Content-Type", "application/json; charset=utf-8"), 200)
	e.want(e.req("PUT", "/statements?statementId=b1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", statement("cs", "completed", "c1"), "Content-Type", "application/json;charset=UTF-8"), 204)
	doc := "/activities/state?activityId=" + url.QueryEscape("http://example.com/a") + "&agent=" + url.QueryEscape(`{"mbox":"mailto:cs@example.com"}`) + "&stateId=s"
	e.want(e.req("POST", doc, `{"a":1}`, "Content-Type", "application/json; charset=utf-8"), 204)
	e.want(e.req("POST", doc, `{"b":2}`, "Content-Type", "application/json; charset=utf-8"), 204)
	var merged map[string]any
	e.want(e.req("GET", doc, ""), 200).json(t, &merged)
	if len(merged) != 2 {
		t.Fatalf("merged %v", merged)
	}
	// Statements in any Unicode text survive as sent (Communication 1.4).
	id := e.post(statement("cs", "completed", "c2", `"result":{"response":"日本語 – ümlaut ☃"}`))[0]
	var st map[string]any
	e.want(e.req("GET", "/statements?statementId="+id, ""), 200).json(t, &st)
	if st["result"].(map[string]any)["response"] != "日本語 – ümlaut ☃" {
		t.Fatalf("result %v", st["result"])
	}
}

// Communication 1.3 as the suite sends it: headers as real headers, only the form for the rest.
func TestConformanceAlternateSyntaxAsTheSuiteSendsIt(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.post(statement("alt", "completed", "a1"))
	form := func(method, body string) reply {
		return e.req("POST", "/statements?method="+method, body, "Content-Type", "application/x-www-form-urlencoded")
	}
	// XAPI-00148: a GET sent as a POST answers a StatementResult.
	r := e.want(form("GET", "limit=1"), 200)
	if !strings.Contains(r.body, `"statements":`) || !strings.Contains(r.body, `"more":`) {
		t.Fatalf("answer %s", r.body)
	}
	var res result
	r.json(t, &res)
	if len(res.Statements) != 1 {
		t.Fatalf("%d statements", len(res.Statements))
	}
	id := "c1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8"
	e.want(form("PUT", url.Values{"statementId": {id}, "content": {statement("alt", "completed", "a2")}}.Encode()), 204)
	e.want(e.req("GET", "/statements?statementId="+id, ""), 200)
	// A PUT without content, and one whose form is not URL-encoded, are refused.
	e.want(form("PUT", ""), 400)
	js, _ := json.Marshal(map[string]string{"statementId": "d1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", "content": statement("alt", "completed", "a3")})
	e.want(form("PUT", string(js)), 400)
	// A GET carrying ?method= is not the alternate syntax.
	e.want(e.req("GET", "/statements?method=POST", ""), 400)
}

// Communication 3.3 (XAPI-00330) and Data 2.4.10 (XAPI-00332): a statement comes back with its
// actor, verb and object as sent, and with the version it was accepted with.
func TestConformanceStatementsComeBackAsSent(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			for _, sent := range []string{
				`{"actor":{"objectType":"Agent","name":"xAPI mbox","mbox":"mailto:xapi@adlnet.gov"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended","display":{"en-GB":"attended","en-US":"attended"}},"object":{"objectType":"Activity","id":"http://www.example.com/meetings/occurances/34534"}}`,
				`{"actor":{"mbox":"mailto:xapi@adlnet.gov"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://www.example.com/meetings/occurances/34534"},"version":"1.0.1"}`,
				`{"actor":{"objectType":"Group","name":"G","member":[{"mbox":"mailto:a@example.com"},{"account":{"homePage":"http://example.com","name":"b"}}]},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"objectType":"Agent","mbox_sha1sum":"cd9b00a5611f94eaa7b1661edab976068e364975"}}`,
			} {
				var want map[string]any
				_ = json.Unmarshal([]byte(sent), &want)
				id := e.post(sent)[0]
				var got map[string]any
				e.want(e.req("GET", "/statements?statementId="+id, ""), 200).json(t, &got)
				for _, k := range []string{"actor", "verb", "object"} {
					if a, b := mustJSON(want[k]), mustJSON(got[k]); a != b {
						t.Errorf("%s came back as %s, sent %s", k, b, a)
					}
				}
				if v, ok := want["version"]; ok && got["version"] != v {
					t.Errorf("version %v, sent %v", got["version"], v)
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Data 2.3.2 (voiding): voiding a statement the LRS does not have is accepted, and a query
// with since still answers the voiding statement.
func TestConformanceVoidingUnknownTarget(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.want(e.req("POST", "/statements", `{"actor":{"mbox":"mailto:v@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"e1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8"}}`), 200)
	// A statement that only refers to another (not voiding it) leaves it in place.
	target := e.post(statement("v", "completed", "v1"))[0]
	e.post(`{"actor":{"mbox":"mailto:v@example.com"},"verb":{"id":"http://example.com/verbs/liked"},"object":{"objectType":"StatementRef","id":"` + target + `"}}`)
	e.want(e.req("GET", "/statements?statementId="+target, ""), 200)
	e.want(e.req("GET", "/statements?voidedStatementId="+target, ""), 404)
}

// Data 2.4.6.2 (XAPI-00061): a contextActivities value that arrives as a single activity is
// accepted and comes back as an array; the broad activity filter finds it.
func TestConformanceSingleContextActivityBecomesAnArray(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			cat := "http://www.example.com/test/array/statements/pri"
			reg := "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
			id := e.post(statement("ctx", "attended", "c1", `"context":{"registration":"`+reg+`","instructor":{"objectType":"Agent","name":"xAPI mbox","mbox":"mailto:pri@adlnet.gov"},"contextActivities":{"category":{"id":"`+cat+`"}}}`))[0]
			var st map[string]any
			e.want(e.req("GET", "/statements?statementId="+id, ""), 200).json(t, &st)
			ca := st["context"].(map[string]any)["contextActivities"].(map[string]any)
			if list, ok := ca["category"].([]any); !ok || len(list) != 1 {
				t.Fatalf("category came back as %v", ca["category"])
			}
			// XAPI-00172: canonical picks the language asked for, in context activities too.
			e.want(e.req("PUT", "/statements?statementId=f1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", statement("ctx", "attended", "c2",
				`"context":{"contextActivities":{"category":{"id":"`+cat+`","definition":{"name":{"en-GB":"meeting","en-US":"meeting"},"description":{"en-GB":"a meeting","en-US":"a meeting"}}}}}`)), 204)
			for _, c := range []struct {
				params string
				langs  int
			}{{"&format=canonical", 1}, {"", 2}, {"&format=exact", 2}} {
				var got map[string]any
				e.want(e.req("GET", "/statements?statementId=f1b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8"+c.params, "", "Accept-Language", "en-GB"), 200).json(t, &got)
				def := got["context"].(map[string]any)["contextActivities"].(map[string]any)["category"].([]any)[0].(map[string]any)["definition"].(map[string]any)
				for _, k := range []string{"name", "description"} {
					if m := def[k].(map[string]any); len(m) != c.langs || m["en-GB"] == nil {
						t.Errorf("format %q: %s %v", c.params, k, m)
					}
				}
			}
			var page result
			e.want(e.req("GET", "/statements?activity="+url.QueryEscape(cat)+"&related_activities=true", ""), 200).json(t, &page)
			for _, s := range page.Statements {
				if _, ok := s["context"].(map[string]any)["contextActivities"].(map[string]any)["category"].([]any); !ok {
					t.Errorf("a query answered category as %v", s["context"])
				}
			}
			e.want(e.req("DELETE", "/statements", ""), 405)
			for _, q := range []string{
				"activity=" + url.QueryEscape(cat) + "&related_activities=true",
				"registration=" + reg,
				"agent=" + url.QueryEscape(`{"objectType":"Agent","name":"xAPI mbox","mbox":"mailto:pri@adlnet.gov"}`) + "&related_agents=true",
			} {
				if got := ids(e.query(q)); len(got) == 0 || got[len(got)-1] != id {
					t.Errorf("%s: %v", q, got)
				}
			}
		})
	}
}

// Communication 2.1.3 (XAPI-00168..XAPI-00171) as the suite checks it: a statement whose object
// is a sub-statement by a group, read in each format from a query.
func TestConformanceFormatsOfASubStatement(t *testing.T) {
	for _, version := range []string{"1.0.3", "2.0.0"} {
		t.Run(version, func(t *testing.T) {
			e := start(t, dbtest.SQLite(t))
			e.version = version
			agent := `{"objectType":"Agent","name":"xAPI mbox","mbox":"mailto:agent@adlnet.gov"}`
			group := `{"objectType":"Group","name":"xAPI group","mbox":"mailto:group@adlnet.gov"}`
			verb := `{"id":"http://adlnet.gov/expapi/verbs/attended","display":{"en-GB":"attended","en-US":"attended","ja-JP":"出席した"}}`
			activity := `{"objectType":"Activity","id":"http://www.example.com/unicode/1","definition":{"name":{"en":"Other","en-GB":"attended","en-US":"attended"},` +
				`"description":{"en-US":"On this map, please mark Franklin, TN","en-GB":"On this map, please mark Franklin, TN"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction",` +
				`"moreInfo":"http://virtualmeeting.example.com/345256","interactionType":"other","correctResponsesPattern":["(35.937432,-86.868896)"],` +
				`"extensions":{"http://example.com/profiles/meetings/extension/reporter":{"name":"Thomas","id":"http://openid.com/342"}}}}`
			sent := `{"actor":` + agent + `,"verb":` + verb + `,"object":{"objectType":"SubStatement","actor":` + group + `,"verb":` + verb + `,"object":` + activity + `}}`
			id := e.post(sent)[0]
			find := func(format string) map[string]any {
				t.Helper()
				var page result
				e.want(e.req("GET", "/statements?format="+format, "", "Accept-Language", "en-GB"), 200).json(t, &page)
				for _, s := range page.Statements {
					if s["id"] == id {
						return s
					}
				}
				t.Fatalf("format=%s: the statement is missing", format)
				return nil
			}
			keys := func(v any) int { return len(v.(map[string]any)) }
			// ids: the agent by its mbox, the group by objectType and mbox, the activity by its id.
			st := find("ids")
			sub := st["object"].(map[string]any)
			if n := keys(st["actor"]); n < 1 || n > 2 {
				t.Errorf("ids actor %v", st["actor"])
			}
			if keys(sub["actor"]) != 2 || keys(sub["object"]) != 1 || keys(st["verb"]) != 1 || keys(sub["verb"]) != 1 {
				t.Errorf("ids: actor %v verb %v sub-statement actor %v verb %v object %v", st["actor"], st["verb"], sub["actor"], sub["verb"], sub["object"])
			}
			// exact: everything as sent.
			st = find("exact")
			if got := mustJSON(st["object"]); got != mustJSON(decodeJSON(t, `{"objectType":"SubStatement","actor":`+group+`,"verb":`+verb+`,"object":`+activity+`}`)) {
				t.Errorf("exact sub-statement %s", got)
			}
			// canonical: one language, the rest of the definition kept.
			st = find("canonical")
			sub = st["object"].(map[string]any)
			if d := sub["verb"].(map[string]any)["display"].(map[string]any); len(d) != 1 || d["en-GB"] != "attended" {
				t.Errorf("canonical verb display %v", d)
			}
			def := sub["object"].(map[string]any)["definition"].(map[string]any)
			if n := def["name"].(map[string]any); len(n) != 1 || n["en-GB"] == nil {
				t.Errorf("canonical name %v", n)
			}
			for _, k := range []string{"type", "moreInfo", "interactionType", "correctResponsesPattern", "extensions"} {
				if def[k] == nil {
					t.Errorf("canonical definition lost %s", k)
				}
			}
			if mustJSON(st["actor"]) != mustJSON(decodeJSON(t, agent)) || mustJSON(sub["actor"]) != mustJSON(decodeJSON(t, group)) {
				t.Errorf("canonical actors %v %v", st["actor"], sub["actor"])
			}
		})
	}
}

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Communication 2.1.3 (XAPI-00167): a statement with two attachments read with attachments=true
// names each hash exactly twice: in the statement and on its part.
func TestConformanceAttachmentsAnswerNamesEachHashTwice(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	one, two := "here is a simple attachment\n", "here is another simple attachment\n"
	st := withAttachments(attachment("text/plain", one, ""), attachment("text/plain", two, ""))
	id := e.want(e.req("POST", "/statements", mixed(st, "text/plain", one, "text/plain", two), "Content-Type", mixedType), 200)
	var got []string
	id.json(t, &got)
	r := e.want(e.req("GET", "/statements?attachments=true&statementId="+got[0], ""), 200)
	for _, h := range []string{sha(one), sha(two)} {
		if n := strings.Count(r.body, h); n != 2 {
			t.Errorf("hash %s appears %d times", h, n)
		}
	}
	if r := e.want(e.req("GET", "/statements?attachments=false", ""), 200); !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("attachments=false answered %s", r.header.Get("Content-Type"))
	}
}

// Communication 2.5 (XAPI-00251, XAPI-00254) and xAPI 2.0 LRSs 4.1.6.4: the Activities resource
// answers the complete Activity Object as a statement gave it, merges what several statements
// say about the same activity, and answers an unknown activity with its id.
func TestConformanceActivitiesResource(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.version = "2.0.0"
	object := `{"objectType":"Activity","id":"http://www.example.com/verify/complete/34534","definition":{"name":{"en-GB":"example meeting","en-US":"example meeting"},` +
		`"description":{"en-GB":"An example meeting.","en-US":"An example meeting."},"type":"http://adlnet.gov/expapi/activities/meeting","moreInfo":"http://virtualmeeting.example.com/345256",` +
		`"extensions":{"http://example.com/profiles/meetings/extension/location":"X:\\meetings\\minutes\\examplemeeting.one"}}}`
	e.post(`{"actor":{"mbox":"mailto:act@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":` + object + `}`)
	got := e.want(e.req("GET", "/activities?activityId="+url.QueryEscape("http://www.example.com/verify/complete/34534"), ""), 200)
	var act any
	got.json(t, &act)
	if mustJSON(act) != mustJSON(decodeJSON(t, object)) {
		t.Fatalf("activity %s, want %s", mustJSON(act), object)
	}
	unknown := "http://www.example.com/never-before-seen-activityId/1"
	var u map[string]any
	e.want(e.req("GET", "/activities?activityId="+url.QueryEscape(unknown), ""), 200).json(t, &u)
	if u["id"] != unknown || u["objectType"] != "Activity" {
		t.Fatalf("unknown activity %v", u)
	}

	t.Run("XAPI-00254 definitions merge", func(t *testing.T) {
		id := "http://www.example.com/verify/complete/34534100123"
		en := `{"actor":{"mbox":"mailto:act@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"` + id + `","definition":{"name":{"en-US":"example meeting"}}}}`
		fr := strings.Replace(en, `"en-US":"example meeting"`, `"fr-FR":"réunion"`, 1)
		e.want(e.req("POST", "/statements", "["+en+","+fr+"]"), 200)
		var a map[string]any
		e.want(e.req("GET", "/activities?activityId="+url.QueryEscape(id), ""), 200).json(t, &a)
		name := a["definition"].(map[string]any)["name"].(map[string]any)
		if name["en-US"] != "example meeting" || name["fr-FR"] != "réunion" {
			t.Fatalf("name %v, want both languages", name)
		}
	})
}

// Data 2.4.9 (XAPI-00024, XAPI-00098): an authority sent with a statement is validated (though
// replaced): an agent, or an anonymous group of exactly two agents.
func TestConformanceAuthorityShapes(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	app := `{"account":{"homePage":"http://example.com/xAPI/OAuth/Token","name":"oauth_consumer_x75db"}}`
	bob := `{"mbox":"mailto:bob@example.com"}`
	james := `{"mbox":"mailto:james@example.com"}`
	for _, c := range []struct {
		name, authority string
		status          int
	}{
		{"an agent", `{"objectType":"Agent","name":"xAPI account","mbox":"mailto:xapi@adlnet.gov"}`, 200},
		{"an anonymous group of two", `{"objectType":"Group","member":[` + app + `,` + bob + `]}`, 200},
		{"an identified group of two (mbox)", `{"objectType":"Group","mbox":"mailto:bob@example.com","member":[` + app + `,` + bob + `]}`, 400},
		{"an identified group (openid)", `{"objectType":"Group","openid":"http://openid.example.org/12345"}`, 400},
		{"an anonymous group of one", `{"objectType":"Group","member":[` + bob + `]}`, 400},
		{"an anonymous group of three", `{"objectType":"Group","member":[` + app + `,` + bob + `,` + james + `]}`, 400},
		{"an anonymous group without members", `{"objectType":"Group","member":[]}`, 400},
		{"not an agent", `{"objectType":"Activity","id":"http://example.com/a"}`, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.want(e.req("POST", "/statements", statement("auth", "attended", "a1", `"authority":`+c.authority)), c.status)
		})
	}
}

// Data 2.4.8 (XAPI-00097, XAPI-00023): stored is the LRS's, an ISO 8601 timestamp with
// milliseconds that are really kept (not rounded to tens).
func TestConformanceStoredHasMilliseconds(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	sent := statement("st", "attended", "s1", `"stored":"2011-07-15T00:00:00.000Z"`)
	e.want(e.req("PUT", "/statements?statementId=a2b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", sent), 204)
	for range 20 {
		e.post(sent)
	}
	ms := regexp.MustCompile(`\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})$`)
	nonRound := false
	for _, st := range e.query("").Statements {
		s, _ := st["stored"].(string)
		if !ms.MatchString(s) || strings.HasPrefix(s, "2011-07-15") {
			t.Fatalf("stored %q", s)
		}
		nonRound = nonRound || s[len(s)-2] != '0'
	}
	if !nonRound {
		t.Fatal("every stored time is a whole ten milliseconds")
	}
}

// Communication 3.2 (405 Method Not Allowed, XAPI-00324, XAPI-00325): a method a resource does
// not have is a 405 whether or not the request carries credentials; a parameter with another
// case is unknown.
func TestConformanceMethodsAndParameterCase(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	agent := url.QueryEscape(`{"objectType":"Agent","name":"xAPI mbox","mbox":"mailto:xapi@adlnet.gov"}`)
	act := url.QueryEscape("http://www.example.com/meetings/occurances/34534")
	for _, c := range []struct {
		method, path string
		anonymous    bool
	}{
		{"DELETE", "/statements?statementId=a3b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", true},
		{"DELETE", "/activities?activityId=" + act, true},
		{"POST", "/activities?activityId=" + act, false},
		{"PUT", "/activities?activityId=" + act, false},
		{"DELETE", "/agents?agent=" + agent, true},
		{"POST", "/agents?agent=" + agent, false},
		{"PUT", "/agents?agent=" + agent, false},
		{"DELETE", "/statements?statementId=a3b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", false},
		{"PATCH", "/activities/state?activityId=" + act + "&agent=" + agent + "&stateId=s", false},
	} {
		t.Run(fmt.Sprint(c.method, " ", c.path, " anonymous=", c.anonymous), func(t *testing.T) {
			h := []string{"X-Experience-API-Version", "1.0.1"}
			if c.anonymous {
				h = append(h, "Authorization", "")
			}
			r := e.want(e.req(c.method, c.path, "", h...), 405)
			if r.header.Get("Allow") == "" {
				t.Fatal("a 405 without Allow")
			}
		})
	}
	for _, p := range []string{"StatementId=a3b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", "VoidedStatementId=a3b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", "Agent=" + agent,
		"Verb=" + url.QueryEscape("http://adlnet.gov/expapi/verbs/attended"), "Activity=" + act, "Registration=ec531277-b57b-4c15-8d91-d292c5b2b8f7",
		"Related_Activities=true", "Related_Agents=true", "Since=2012-06-01T19:09:13.245Z", "Until=2012-06-01T19:09:13.245Z", "Limit=10", "Format=ids",
		"Attachments=true", "Ascending=true", "foo=bar"} {
		t.Run("GET ?"+p, func(t *testing.T) { e.want(e.req("GET", "/statements?"+p, ""), 400) })
	}
	// A rejected batch stores nothing (XAPI-00326).
	good := withID(statement("batch", "attended", "b1"), "a4b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8")
	bad := strings.Replace(withID(statement("batch", "attended", "b1"), "a5b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8"), "http://adlnet.gov/expapi/verbs/attended", "should fail", 1)
	e.want(e.req("POST", "/statements", "["+good+","+bad+"]"), 400)
	e.want(e.req("GET", "/statements?statementId=a4b2c3d4-4f50-4a61-8b72-93a4b5c6d7e8", ""), 404)
}

// Communication 1.5.2: parameters on part types, one part for an attachment several statements
// share, and a part for an attachment that also has a fileUrl.
func TestConformanceMultipartDetails(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	text := "here is a simple attachment"
	att := strings.Replace(attachment("text/plain", text, ""), `"contentType":"text/plain"`, `"contentType":"text/plain; charset=ascii"`, 1)
	one := withAttachments(att)
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"statement part with a charset", strings.Replace(mixed(one, "text/plain", text), "Content-Type: application/json\r\n", "Content-Type: application/json; charset=UTF-8\r\n", 1), 200},
		{"part type without the attachment's parameters", mixed(one, "text/plain", text), 200},
		{"one part for two statements", mixed("["+one+","+one+"]", "text/plain", text), 200},
		{"a part for an attachment with a fileUrl", mixed(withAttachments(attachment("text/plain", text, "http://over.there.com/file.txt")), "text/plain", text), 200},
		{"a part whose type differs", mixed(one, "image/png", text), 400},
	} {
		t.Run(c.name, func(t *testing.T) { e.want(e.req("POST", "/statements", c.body, "Content-Type", mixedType), c.status) })
	}
}

// Communication 1.3: document requests in the alternate syntax, preconditions and DELETE included.
func TestConformanceAlternateSyntaxDocuments(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	auth := "Basic " + basic(e.key, e.secret)
	send := func(method string, form url.Values) reply {
		t.Helper()
		form.Set("Authorization", auth)
		form.Set("X-Experience-API-Version", "1.0.3")
		form.Set("activityId", "http://example.com/activities/alt")
		form.Set("profileId", "p")
		res, err := http.Post(e.srv.URL+"/activities/profile?method="+method, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return reply{status: res.StatusCode, header: res.Header, body: string(b)}
	}
	e.want(send("PUT", url.Values{"Content-Type": {"application/json"}, "content": {`{"v":1}`}}), 204)
	got := e.want(send("GET", url.Values{}), 200)
	if got.body != `{"v":1}` || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("document %q %q", got.body, got.header.Get("Content-Type"))
	}
	etag := got.header.Get("ETag")
	e.want(send("PUT", url.Values{"Content-Type": {"application/json"}, "content": {`{"v":2}`}}), 409)
	e.want(send("PUT", url.Values{"Content-Type": {"application/json"}, "content": {`{"v":2}`}, "If-Match": {`"nope"`}}), 412)
	e.want(send("PUT", url.Values{"Content-Type": {"application/json"}, "content": {`{"v":2}`}, "If-Match": {etag}}), 204)
	e.want(send("DELETE", url.Values{}), 204)
	e.want(send("GET", url.Values{}), 404)
}

// xAPI 2.0 Data 4.5 (XAPI-00123) and the suite's v2_0 timestamp cases: RFC 3339 allows a space
// between date and time; the negative-zero offsets and non-dates are refused, in a
// sub-statement too.
func TestConformanceVersion2Timestamps(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	e.version = "2.0.0"
	for _, c := range []struct {
		timestamp string
		status    int
	}{
		{"2008-09-15 15:53:00.601+00:00", 200},
		{"2008-09-15T15:53:00.601+00:00", 200},
		{"2008-09-15T15:53:00.601-00", 400},
		{"2008-09-15T15:53:00.601-0000", 400},
		{"2008-09-15T15:53:00.601-00:00", 400},
		{"01/011/2015", 400},
		{"should fail", 400},
	} {
		t.Run(c.timestamp, func(t *testing.T) {
			e.want(e.req("POST", "/statements", statement("ts", "attended", "t1", `"timestamp":"`+c.timestamp+`"`)), c.status)
			sub := `{"actor":{"mbox":"mailto:ts@example.com"},"verb":{"id":"http://example.com/verbs/planned"},"object":{"objectType":"SubStatement","actor":{"mbox":"mailto:ts@example.com"},` +
				`"verb":{"id":"http://example.com/verbs/will"},"object":{"id":"http://example.com/activities/t"},"timestamp":"` + c.timestamp + `"}}`
			e.want(e.req("POST", "/statements", sub), c.status)
		})
	}
}

// Communication 2.1.3 (attachments=true): an attachment known only by its fileUrl has no part
// to send; the answer is still multipart/mixed with the statement.
func TestConformanceAttachmentsAnswerWithOnlyFileURLs(t *testing.T) {
	e := start(t, dbtest.SQLite(t))
	id := e.post(withAttachments(attachment("text/plain", "somewhere else", "http://over.there.com/file.txt")))[0]
	r := e.want(e.req("GET", "/statements?attachments=true&statementId="+id, ""), 200)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "multipart/mixed") || !strings.Contains(r.body, id) {
		t.Fatalf("answer %s: %s", r.header.Get("Content-Type"), r.body)
	}
}
