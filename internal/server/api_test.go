package server_test

import (
	encjson "encoding/json"
	"net/http"
	"strings"
	"testing"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// problem is the RFC 9457 body of an error answer.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Field  string `json:"field"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	Report *struct {
		Valid    bool `json:"valid"`
		Problems []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		} `json:"problems"`
	} `json:"report"`
}

func decodeProblem(t *testing.T, res *st.Response) problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, res.Body)
	}
	var p problem
	if err := encjson.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatalf("problem body: %v\n%s", err, res.Body)
	}
	if p.Status != res.Status || p.Type == "" || p.Title == "" || p.Code == "" {
		t.Errorf("incomplete problem: %+v", p)
	}
	return p
}

func TestAPIBadInputIsAProblemNamingTheField(t *testing.T) {
	env := st.Start(t)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		status      int
		code        string
		field       string
	}{
		{"malformed JSON", "POST", "/api/v1/people", json, `{"given_name": "A",`, 422, "invalid", "body"},
		{"wrong type", "POST", "/api/v1/people", json, `{"given_name": 5}`, 422, "invalid", "given_name"},
		{"unknown field", "POST", "/api/v1/people", json, `{"given_name":"A","family_name":"B","shoe_size":42}`, 422, "invalid", "shoe_size"},
		{"bad date", "POST", "/api/v1/people", json, `{"given_name":"A","family_name":"B","hire_date":"31/12/2020"}`, 422, "invalid", "body"},
		{"two objects", "POST", "/api/v1/people", json, `{"given_name":"A","family_name":"B"} {}`, 422, "invalid", "body"},
		{"empty body", "POST", "/api/v1/people", json, ``, 422, "invalid", "body"},
		{"not JSON at all", "POST", "/api/v1/people", "text/plain", `hello`, 422, "invalid", "Content-Type"},
		{"missing names", "POST", "/api/v1/people", json, `{"email":"not-an-email"}`, 422, "invalid", "given_name"},
		{"duplicate email", "POST", "/api/v1/people", json, `{"given_name":"A","family_name":"B","email":"hr@northwind.example"}`, 409, "conflict", "email"},
		{"bad limit", "GET", "/api/v1/people?limit=100000", "", "", 422, "invalid", "limit"},
		{"bad cursor", "GET", "/api/v1/people?cursor=not-a-cursor", "", "", 422, "invalid", "cursor"},
		{"bad status filter", "GET", "/api/v1/people?status=retired", "", "", 422, "invalid", "status"},
		{"unknown person", "GET", "/api/v1/people/00000000-0000-7000-8000-000000000000", "", "", 404, "not_found", ""},
		{"malformed id", "GET", "/api/v1/people/not-an-id", "", "", 404, "not_found", ""},
		{"unknown route", "GET", "/api/v1/nothing-here", "", "", 404, "not_found", ""},
		{"wrong method", "PUT", "/api/v1/people", json, `{}`, 405, "method_not_allowed", ""},
		{"bad audit time", "GET", "/api/v1/audit?since=yesterday", "", "", 422, "invalid", "since"},
		{"token scope outside the account's roles", "POST", "/api/v1/tokens", json, `{"name":"x","scopes":["tokens:all"]}`, 422, "invalid", "scopes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, st.HR, tt.method, tt.path, tt.contentType, tt.body)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			p := decodeProblem(t, res)
			if p.Code != tt.code || p.Field != tt.field {
				t.Errorf("code %q field %q, want %q %q (%s)", p.Code, p.Field, tt.code, tt.field, p.Detail)
			}
			if strings.Contains(res.Body, "goroutine") || strings.Contains(res.Body, ".go:") {
				t.Errorf("the answer leaks internals: %s", res.Body)
			}
			if tt.status == 405 && res.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

func TestAPIRefusesOversizedBodies(t *testing.T) {
	env := st.Start(t)
	big := `{"given_name":"` + strings.Repeat("a", 2<<20) + `"}`
	res := env.Do(t, st.HR, "POST", "/api/v1/people", json, big)
	if p := decodeProblem(t, res); res.Status != http.StatusRequestEntityTooLarge || p.Code != "too_large" {
		t.Errorf("2 MB JSON: %d %+v", res.Status, p)
	}
	// The test server accepts files of up to 8 MB.
	huge := "employee_number,given_name,family_name\n" + strings.Repeat("E1,A,B\n", 9<<20/7)
	res = env.Do(t, st.HR, "POST", "/api/v1/people/import?dry_run=true", csv, huge)
	if p := decodeProblem(t, res); res.Status != http.StatusRequestEntityTooLarge || p.Code != "too_large" {
		t.Errorf("9 MB CSV: %d %+v", res.Status, p)
	}
}

func TestAPIImportReportsProblemsAndAppliesNothing(t *testing.T) {
	env := st.Start(t)
	file := "employee_number,given_name,family_name,manager\nN1,Ann,One,N2\nN2,Bob,Two,N1\nN3,,Three,\n"
	res := env.Do(t, st.HR, "POST", "/api/v1/people/import", csv, file)
	if res.Status != 422 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	p := decodeProblem(t, res)
	if p.Report == nil || p.Report.Valid || len(p.Report.Problems) != 3 {
		t.Fatalf("report: %+v", p.Report)
	}
	if got := p.Report.Problems[0]; got.Line != 2 || got.Column != "manager" || !strings.Contains(got.Reason, "cycle") {
		t.Errorf("first problem %+v", got)
	}
	if got := p.Report.Problems[2]; got.Line != 4 || got.Column != "given_name" {
		t.Errorf("last problem %+v", got)
	}
	if res := env.Do(t, st.HR, "GET", "/api/v1/people?q=three", "", ""); !strings.Contains(res.Body, `"total":0`) {
		t.Errorf("a refused import left people behind: %s", res.Body)
	}
	// The same file, fixed, applies; importing it again changes nothing.
	file = "employee_number,given_name,family_name,manager\nN1,Ann,One,\nN2,Bob,Two,N1\nN3,Cy,Three,N1\n"
	for i, want := range []string{`"create":3`, `"unchanged":3`} {
		res = env.Do(t, st.HR, "POST", "/api/v1/people/import", csv, file)
		if res.Status != 200 || !strings.Contains(res.Body, want) || !strings.Contains(res.Body, `"applied":true`) {
			t.Errorf("import %d: %d %s", i+1, res.Status, res.Body)
		}
	}
}

func TestAPIPagingWithCursors(t *testing.T) {
	env := st.Start(t)
	seen := map[string]bool{}
	next, pages, total := "", 0, 0
	for {
		path := "/api/v1/people?limit=7"
		if next != "" {
			path += "&cursor=" + next
		}
		res := env.Do(t, st.LnD, "GET", path, "", "")
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
			Total      int    `json:"total"`
		}
		if err := encjson.Unmarshal([]byte(res.Body), &page); err != nil || res.Status != 200 {
			t.Fatalf("%d %v %s", res.Status, err, res.Body)
		}
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Fatalf("person %s on two pages", it.ID)
			}
			seen[it.ID] = true
		}
		pages, total = pages+1, page.Total
		if next = page.NextCursor; next == "" {
			break
		}
	}
	if len(seen) != total || pages != (total+6)/7 {
		t.Errorf("walked %d people in %d pages; total %d", len(seen), pages, total)
	}
}

func TestAPIPatchChangesOnlyWhatIsSent(t *testing.T) {
	env := st.Start(t)
	path := "/api/v1/people/" + env.Fix.Report
	before := env.Do(t, st.HR, "GET", path, "", "")
	res := env.Do(t, st.HR, "PATCH", path, json, `{"job_title":"Staff Engineer"}`)
	if res.Status != 200 || !strings.Contains(res.Body, `"job_title":"Staff Engineer"`) {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	var a, b map[string]any
	_ = encjson.Unmarshal([]byte(before.Body), &a)
	_ = encjson.Unmarshal([]byte(res.Body), &b)
	for k, v := range a {
		if k != "job_title" && k != "updated_at" && b[k] != v {
			t.Errorf("%s changed from %v to %v", k, v, b[k])
		}
	}
}

func TestCookieRequestsNeedTheCSRFToken(t *testing.T) {
	env := st.Start(t)
	for _, tt := range []struct{ method, path, contentType, body string }{
		{"POST", "/api/v1/job-roles", json, `{"name":"Forged"}`},
		{"POST", "/org/roles", form, "name=Forged"},
		{"POST", "/logout", form, ""},
	} {
		req, _ := http.NewRequest(tt.method, env.URL+tt.path, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", tt.contentType)
		req.Header.Set("Cookie", env.Cookie(st.HR))
		if res := env.Send(t, req); res.Status != http.StatusForbidden {
			t.Errorf("%s %s without a token: %d, want 403", tt.method, tt.path, res.Status)
		}
		// Another session's token does not fit this session.
		req, _ = http.NewRequest(tt.method, env.URL+tt.path, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", tt.contentType)
		req.Header.Set("Cookie", env.Cookie(st.HR))
		req.Header.Set("X-CSRF-Token", env.CSRF(st.Sys))
		if res := env.Send(t, req); res.Status != http.StatusForbidden {
			t.Errorf("%s %s with another session's token: %d, want 403", tt.method, tt.path, res.Status)
		}
	}
	// A cross-site form post is refused even with a token.
	req, _ := http.NewRequest("POST", env.URL+"/org/roles", strings.NewReader("name=Forged&csrf_token="+env.CSRF(st.HR)))
	req.Header.Set("Content-Type", form)
	req.Header.Set("Cookie", env.Cookie(st.HR))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := env.Send(t, req); res.Status != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", res.Status)
	}
	if res := env.Do(t, st.HR, "GET", "/api/v1/job-roles", "", ""); strings.Contains(res.Body, "Forged") {
		t.Error("a forged request created a role")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	env := st.Start(t)
	req, _ := http.NewRequest("GET", env.URL+"/login", nil)
	res := env.Send(t, req)
	csrf := ""
	for _, c := range strings.Split(res.Body, `name="csrf_token" value="`)[1:] {
		csrf = c[:strings.Index(c, `"`)]
	}
	var anonCookie string
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "ll_csrf=") {
			anonCookie = strings.SplitN(c, ";", 2)[0]
		}
	}
	body := "csrf_token=" + csrf + "&email=" + env.Fix.Emails[st.Employee] + "&password=" + strings.ReplaceAll(st.Password, " ", "+")
	req, _ = http.NewRequest("POST", env.URL+"/login", strings.NewReader(body))
	req.Header.Set("Content-Type", form)
	req.Header.Set("Cookie", anonCookie)
	res = env.Send(t, req)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("login: %d %s", res.Status, res.Body)
	}
	set := strings.Join(res.Header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"ll_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie lacks %s: %s", want, set)
		}
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing security header %s", h)
		}
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	env := st.Start(t)
	env.Do(t, st.HR, "GET", "/api/v1/me", "", "")
	res := env.Do(t, st.Anon, "GET", "/metrics", "", "")
	if !strings.Contains(res.Body, `learnloop_http_requests_total{code="200",method="GET",route="GET /api/v1/me"}`) {
		t.Errorf("metrics lack the request:\n%.2000s", res.Body)
	}
	if !strings.Contains(res.Body, "go_sql_open_connections") {
		t.Error("metrics lack the database pool")
	}
}

func TestPagesEscapeWhatPeopleType(t *testing.T) {
	env := st.Start(t)
	evil := `<script>alert("x")</script>`
	for _, path := range []string{"/api/v1/job-roles", "/api/v1/org-units"} {
		body := `{"name":` + strconvQuote(evil) + `,"code":"EVIL","kind":"team"}`
		if path == "/api/v1/job-roles" {
			body = `{"name":` + strconvQuote(evil) + `}`
		}
		if res := env.Do(t, st.HR, "POST", path, json, body); res.Status != 201 {
			t.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
	}
	res := env.Do(t, st.HR, "PATCH", "/api/v1/people/"+env.Fix.Report, json, `{"job_title":`+strconvQuote(evil)+`}`)
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	for _, page := range []string{"/people", "/people/" + env.Fix.Report, "/org", "/org/roles", "/admin/audit"} {
		res := env.Do(t, st.HR, "GET", page, "", "")
		if res.Status != 200 {
			t.Fatalf("%s: %d", page, res.Status)
		}
		if strings.Contains(res.Body, "<script>alert") {
			t.Errorf("%s shows the script unescaped", page)
		}
		if page != "/people" && !strings.Contains(res.Body, "&lt;script&gt;alert(") {
			t.Errorf("%s does not show the typed text at all", page)
		}
	}
}

func strconvQuote(s string) string { b, _ := encjson.Marshal(s); return string(b) }
