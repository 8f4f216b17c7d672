package server_test

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/api/apitest"
	st "github.com/learnloop/learnloop/internal/server/servertest"
)

const contentRoute = "GET /api/v1/learning-items/{id}/content/{content_id}"

// getWith sends a GET as role with extra headers.
func getWith(t *testing.T, env *st.Env, role, path string, header map[string]string) *st.Response {
	t.Helper()
	req, err := http.NewRequest("GET", env.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	env.Authorize(req, role)
	return env.Send(t, req)
}

// upload posts a multipart form with a file and a title as role.
func upload(t *testing.T, env *st.Env, role, path, filename, title string, content []byte) *st.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	// The file first: the title may come after it.
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.WriteField("title", title)
	mw.Close()
	return env.Do(t, role, "POST", path, mw.FormDataContentType(), buf.String())
}

func TestTrainingAPIServesContentInertWithRanges(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	tf := env.Fix.Training
	path := "/api/v1/learning-items/" + tf.Item + "/content/" + tf.Content
	full := getWith(t, env, st.Employee, path, nil)
	if full.Status != 200 || !strings.HasPrefix(full.Body, "%PDF-") {
		t.Fatalf("download: %d %.100q", full.Status, full.Body)
	}
	for name, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"X-Content-Type-Options": "nosniff",
		// A PDF shown inline is not sandboxed (browsers' PDF viewers do not start in a sandbox)
		// but may not be framed by other sites; every other type is sandboxed.
		"Content-Security-Policy":      "frame-ancestors 'self'",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Content-Disposition":          `inline; filename="handout.pdf"; filename*=UTF-8''handout.pdf`,
		"Accept-Ranges":                "bytes",
	} {
		if got := full.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	etag := full.Header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{64}"$`).MatchString(etag) {
		t.Errorf("ETag %q is not the quoted content hash", etag)
	}
	apitest.ValidateResponse(t, contentRoute, full.Status, nil)

	part := getWith(t, env, st.Employee, path, map[string]string{"Range": "bytes=0-9"})
	if part.Status != http.StatusPartialContent || part.Body != full.Body[:10] {
		t.Fatalf("bytes 0-9: %d %q, want 206 %q", part.Status, part.Body, full.Body[:10])
	}
	if got, want := part.Header.Get("Content-Range"), fmt.Sprintf("bytes 0-9/%d", len(full.Body)); got != want {
		t.Errorf("Content-Range %q, want %q", got, want)
	}
	if part.Header.Get("Content-Security-Policy") != "frame-ancestors 'self'" || part.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("a partial answer lost the safe headers: %v", part.Header)
	}
	apitest.ValidateResponse(t, contentRoute, part.Status, nil)
	tail := getWith(t, env, st.Employee, path, map[string]string{"Range": "bytes=-5"})
	if tail.Status != http.StatusPartialContent || tail.Body != full.Body[len(full.Body)-5:] {
		t.Errorf("the last 5 bytes: %d %q", tail.Status, tail.Body)
	}
	// A resumed download whose file changed gets the whole file again.
	stale := getWith(t, env, st.Employee, path, map[string]string{"Range": "bytes=10-", "If-Range": `"` + strings.Repeat("0", 64) + `"`})
	if stale.Status != 200 || stale.Body != full.Body {
		t.Errorf("If-Range with another ETag: %d, want the whole file", stale.Status)
	}
	if res := getWith(t, env, st.Employee, path, map[string]string{"If-None-Match": etag}); res.Status != http.StatusNotModified || res.Body != "" {
		t.Errorf("If-None-Match with the ETag: %d %q, want 304", res.Status, res.Body)
	}
	if res := getWith(t, env, st.Employee, path, map[string]string{"Range": fmt.Sprintf("bytes=%d-", len(full.Body)+10)}); res.Status != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a range past the end: %d, want 416", res.Status)
	}
}

func TestTrainingAPIUploadsDecideTheTypeFromTheContent(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	items := "/api/v1/learning-items/" + env.Fix.Training.Item
	contentCount := func() int {
		return len(decode[struct {
			Content []struct{ ID string } `json:"content"`
		}](t, env.Do(t, st.LnD, "GET", items, "", "")).Content)
	}
	before := contentCount()

	// A page that would run in learnloop's origin, whatever its name claims.
	for _, name := range []string{"notes.html", "handout.pdf"} {
		res := upload(t, env, st.LnD, items+"/content", name, "Notes", []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"))
		if res.Status != 422 {
			t.Fatalf("HTML as %s: %d %s", name, res.Status, res.Body)
		}
		if p := decodeProblem(t, res); p.Field != "file" || !strings.Contains(p.Detail, "text/html") {
			t.Errorf("HTML as %s: field %q, detail %q", name, p.Field, p.Detail)
		}
		apitest.ValidateResponse(t, "POST /api/v1/learning-items/{id}/content", res.Status, []byte(res.Body))
	}
	if n := contentCount(); n != before {
		t.Errorf("refused uploads left content behind: %d items, want %d", n, before)
	}
	if res := upload(t, env, st.Employee, items+"/content", "x.pdf", "", []byte("%PDF-1.4\n%%EOF\n")); res.Status != 403 {
		t.Errorf("an employee's upload: %d", res.Status)
	}

	// A PDF with a name that needs encoding in a header.
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	res := upload(t, env, st.LnD, items+"/content", `C:\Users\ann\Übersicht; "v2".pdf`, "", pdf)
	loc := location(t, res, 201)
	apitest.ValidateResponse(t, "POST /api/v1/learning-items/{id}/content", res.Status, []byte(res.Body))
	c := decode[struct {
		Title       string `json:"title"`
		Filename    string `json:"filename"`
		ContentType string `json:"content_type"`
		Size        int    `json:"size"`
	}](t, res)
	if c.Filename != "Übersicht; v2.pdf" || c.Title != "Übersicht; v2" || c.ContentType != "application/pdf" || c.Size != len(pdf) {
		t.Errorf("stored as %+v", c)
	}
	got := getWith(t, env, st.Employee, loc, nil)
	if got.Status != 200 || got.Body != string(pdf) {
		t.Fatalf("download of the upload: %d", got.Status)
	}
	disposition, params, err := mime.ParseMediaType(got.Header.Get("Content-Disposition"))
	if err != nil || disposition != "inline" || params["filename"] != "Übersicht; v2.pdf" {
		t.Errorf("Content-Disposition %q reads as %q %v (%v)", got.Header.Get("Content-Disposition"), disposition, params, err)
	}

	// A link is JSON; it has nothing to download.
	res = env.Do(t, st.LnD, "POST", items+"/content", json, `{"title":"Intranet","url":"javascript:alert(1)"}`)
	if p := decodeProblem(t, res); res.Status != 422 || p.Field != "url" {
		t.Errorf("a script link: %d %q", res.Status, p.Field)
	}
	if res = env.Do(t, st.LnD, "POST", items+"/content", "text/plain", "hello"); res.Status != 422 || decodeProblem(t, res).Field != "Content-Type" {
		t.Errorf("plain text body: %d", res.Status)
	}
}

func TestTrainingAPIVerifiesCertificatesPublicly(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	tf := env.Fix.Training
	type verification struct {
		Number     string `json:"number"`
		PersonName string `json:"person_name"`
		Title      string `json:"title"`
		State      string `json:"state"`
		RevokedAt  string `json:"revoked_at"`
	}
	const route = "GET /api/v1/certificate-verifications/{code}"
	res := env.Do(t, st.Anon, "GET", "/api/v1/certificate-verifications/"+strings.ToUpper(tf.CertCode), "", "")
	if res.Status != 200 {
		t.Fatalf("verify without signing in: %d %s", res.Status, res.Body)
	}
	apitest.ValidateResponse(t, route, res.Status, []byte(res.Body))
	v := decode[verification](t, res)
	employee := decode[struct {
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		Email      string `json:"email"`
	}](t, env.Do(t, st.Sys, "GET", "/api/v1/people/"+env.Fix.Persons[st.Employee], "", ""))
	if v.State != "valid" || v.PersonName != employee.GivenName+" "+employee.FamilyName || v.Title != tf.EmployeeItems || !strings.HasPrefix(v.Number, "LL-") {
		t.Errorf("verification %+v", v)
	}
	// It tells a certificate from a forgery, nothing more about the person.
	for _, private := range []string{employee.Email, env.Fix.Persons[st.Employee], tf.Certificate} {
		if strings.Contains(res.Body, private) {
			t.Errorf("the public answer shows %q", private)
		}
	}
	for _, code := range []string{strings.Repeat("a", 32), "short", tf.CertCode + "x"} {
		res := env.Do(t, st.Anon, "GET", "/api/v1/certificate-verifications/"+code, "", "")
		if res.Status != 404 {
			t.Errorf("unknown code %s: %d", code, res.Status)
			continue
		}
		decodeProblem(t, res)
		apitest.ValidateResponse(t, route, res.Status, []byte(res.Body))
	}

	// The holder sees the code; their manager sees the certificate without it.
	cert := "/api/v1/certificates/" + tf.Certificate
	if res := env.Do(t, st.Employee, "GET", cert, "", ""); !strings.Contains(res.Body, tf.CertCode) {
		t.Errorf("the holder does not see their verification code: %s", res.Body)
	}
	if res := env.Do(t, st.Manager, "GET", cert, "", ""); res.Status != 200 || strings.Contains(res.Body, tf.CertCode) || strings.Contains(res.Body, "verification_code") {
		t.Errorf("the manager: %d %s", res.Status, res.Body)
	}
	pdf := env.Do(t, st.Employee, "GET", cert+"/pdf", "", "")
	if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF-") || pdf.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(pdf.Header.Get("Content-Disposition"), `attachment; filename="certificate-LL-`) {
		t.Errorf("PDF: %d %q %q", pdf.Status, pdf.Header.Get("Content-Type"), pdf.Header.Get("Content-Disposition"))
	}

	// Once revoked, the verification says so, and there is no PDF any more.
	if res := env.Do(t, st.LnD, "POST", cert+"/revoke", json, `{}`); res.Status != 422 || decodeProblem(t, res).Field != "reason" {
		t.Errorf("revoke without a reason: %d", res.Status)
	}
	if res := env.Do(t, st.LnD, "POST", cert+"/revoke", json, `{"reason":"Issued in error."}`); res.Status != 200 {
		t.Fatalf("revoke: %d %s", res.Status, res.Body)
	}
	v = decode[verification](t, env.Do(t, st.Anon, "GET", "/api/v1/certificate-verifications/"+tf.CertCode, "", ""))
	if v.State != "revoked" || v.RevokedAt == "" {
		t.Errorf("after revocation: %+v", v)
	}
	if res := env.Do(t, st.Employee, "GET", cert+"/pdf", "", ""); res.Status != 409 {
		t.Errorf("PDF of a revoked certificate: %d", res.Status)
	}
}

// TestTrainingAPITakesATest takes the fixture course's test through the API as the manager: the
// open attempt never carries the answers; the right answer passes, completes the course and
// issues its certificate.
func TestTrainingAPITakesATest(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	tf := env.Fix.Training
	const attemptRoute = "GET /api/v1/attempts/{id}"
	res := env.Do(t, st.Manager, "POST", "/api/v1/quizzes/"+tf.Quiz+"/attempts", "", "")
	loc := location(t, res, 201)
	apitest.ValidateResponse(t, "POST /api/v1/quizzes/{id}/attempts", res.Status, []byte(res.Body))
	type attempt struct {
		ID        string   `json:"id"`
		Score     *float64 `json:"score"`
		Passed    *bool    `json:"passed"`
		Questions []struct {
			ID      string `json:"id"`
			Prompt  string `json:"prompt"`
			Options []struct {
				ID   string `json:"id"`
				Text string `json:"text"`
			} `json:"options"`
			Correct *bool    `json:"correct"`
			Answer  []string `json:"answer"`
		} `json:"questions"`
	}
	open := decode[attempt](t, res)
	if loc != "/api/v1/attempts/"+open.ID || len(open.Questions) != 1 || len(open.Questions[0].Options) != 2 {
		t.Fatalf("attempt at %s: %s", loc, res.Body)
	}
	again := env.Do(t, st.Manager, "GET", loc, "", "")
	apitest.ValidateResponse(t, attemptRoute, again.Status, []byte(again.Body))
	for _, body := range []string{res.Body, again.Body} {
		for _, key := range []string{`"correct"`, `"answer"`, `"explanation"`, `"accepted"`, `"score"`, `"passed"`} {
			if strings.Contains(body, key) {
				t.Errorf("the open attempt gives %s away: %s", key, body)
			}
		}
	}
	if res := env.Do(t, st.Manager, "POST", "/api/v1/quizzes/"+tf.Quiz+"/attempts", "", ""); decode[attempt](t, res).ID != open.ID {
		t.Errorf("a second start did not answer the open attempt: %s", res.Body)
	}

	// Those who run training know the right option.
	bank := decode[struct {
		Items []struct {
			ID      string `json:"id"`
			Options []struct {
				ID      string `json:"id"`
				Correct bool   `json:"correct"`
			} `json:"options"`
		} `json:"items"`
	}](t, env.Do(t, st.LnD, "GET", "/api/v1/learning-items/"+tf.Item+"/questions", "", ""))
	right := ""
	for _, q := range bank.Items {
		if q.ID == tf.Question {
			for _, o := range q.Options {
				if o.Correct {
					right = o.ID
				}
			}
		}
	}
	if right == "" || !slices.ContainsFunc(open.Questions[0].Options, func(o struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}) bool {
		return o.ID == right
	}) {
		t.Fatalf("the right option %q is not among the attempt's: %s", right, res.Body)
	}

	submit := loc + "/submission"
	stranger := "01900000-0000-7000-8000-0000000000aa"
	if res := env.Do(t, st.Manager, "POST", submit, json, `{"answers":{"`+stranger+`":{"option_ids":["`+right+`"]}}}`); res.Status != 422 || decodeProblem(t, res).Field != "answers."+stranger {
		t.Errorf("an answer to a question not asked: %d %s", res.Status, res.Body)
	}
	if res := env.Do(t, st.Employee, "POST", submit, json, `{"answers":{}}`); res.Status != 404 {
		t.Errorf("someone else submits: %d", res.Status)
	}
	res = env.Do(t, st.Manager, "POST", submit, json, `{"answers":{"`+tf.Question+`":{"option_ids":["`+right+`"]}}}`)
	if res.Status != 200 {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	apitest.ValidateResponse(t, "POST /api/v1/attempts/{id}/submission", res.Status, []byte(res.Body))
	done := decode[attempt](t, res)
	if done.Score == nil || *done.Score != 100 || done.Passed == nil || !*done.Passed || done.Questions[0].Correct == nil || !*done.Questions[0].Correct ||
		!slices.Equal(done.Questions[0].Answer, []string{"This one"}) {
		t.Errorf("submitted: %s", res.Body)
	}
	if res := env.Do(t, st.Manager, "POST", submit, json, `{"answers":{}}`); res.Status != 409 {
		t.Errorf("a second submission: %d", res.Status)
	}

	// Passing completed the course and issued its certificate.
	mine := env.Do(t, st.Manager, "GET", "/api/v1/me/learning", "", "")
	apitest.ValidateResponse(t, "GET /api/v1/me/learning", mine.Status, []byte(mine.Body))
	learning := decode[struct {
		Completed []struct {
			ItemID        string   `json:"item_id"`
			Score         *float64 `json:"score"`
			CertificateID string   `json:"certificate_id"`
		} `json:"completed"`
	}](t, mine)
	i := slices.IndexFunc(learning.Completed, func(e struct {
		ItemID        string   `json:"item_id"`
		Score         *float64 `json:"score"`
		CertificateID string   `json:"certificate_id"`
	}) bool {
		return e.ItemID == tf.Item
	})
	if i < 0 || learning.Completed[i].CertificateID == "" || *learning.Completed[i].Score != 100 {
		t.Fatalf("the manager's completions: %s", mine.Body)
	}
	cert := env.Do(t, st.Manager, "GET", "/api/v1/certificates/"+learning.Completed[i].CertificateID, "", "")
	if cert.Status != 200 || !strings.Contains(cert.Body, `"verification_code"`) {
		t.Errorf("the new certificate: %d %s", cert.Status, cert.Body)
	}
}

func TestTrainingAPIExportsComplianceAsXLSX(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	employee := decode[struct {
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
	}](t, env.Do(t, st.Sys, "GET", "/api/v1/people/"+env.Fix.Persons[st.Employee], "", ""))
	name := employee.GivenName + " " + employee.FamilyName
	for _, role := range []string{st.HR, st.Manager} {
		res := env.Do(t, role, "GET", "/api/v1/compliance/export?format=xlsx&item_id="+env.Fix.Training.Assigned, "", "")
		if res.Status != 200 {
			t.Fatalf("export as %s: %d %s", role, res.Status, res.Body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("type %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="compliance-\d{4}-\d{2}-\d{2}\.xlsx"$`).MatchString(cd) {
			t.Errorf("disposition %q", cd)
		}
		f, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("the export is not a workbook: %v", err)
		}
		rows, err := f.GetRows("Compliance")
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet Compliance: %v %v", rows, err)
		}
		if want := []string{"Employee number", "Name", "Email", "Org unit", "Job role", "Manager", "Item", "Status"}; !slices.Equal(rows[0][:len(want)], want) {
			t.Errorf("header %q", rows[0])
		}
		found := false
		for _, r := range rows[1:] {
			if len(r) > 7 && r[1] == name && r[6] == "Fixture compliance module" {
				found = true
				if r[7] != "Due soon" {
					t.Errorf("the employee's status %q, want Due soon", r[7])
				}
			}
		}
		if !found {
			t.Errorf("as %s: no row of %s in %q", role, name, rows)
		}
		if summary, err := f.GetRows("Summary"); err != nil || len(summary) == 0 || summary[0][0] != "Compliance report" {
			t.Errorf("summary sheet: %q %v", summary, err)
		}
		f.Close()
	}
	if res := env.Do(t, st.Employee, "GET", "/api/v1/compliance/export?format=xlsx", "", ""); res.Status != 403 {
		t.Errorf("an employee exports: %d", res.Status)
	}
	if res := env.Do(t, st.HR, "GET", "/api/v1/compliance/export?format=pdf", "", ""); res.Status != 422 || decodeProblem(t, res).Field != "format" {
		t.Errorf("format=pdf: %d", res.Status)
	}
}

// TestTrainingAPIComplianceMatrix checks the dashboard's unit × item counts add up to its totals.
func TestTrainingAPIComplianceMatrix(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	res := env.Do(t, st.HR, "GET", "/api/v1/compliance", "", "")
	apitest.ValidateResponse(t, "GET /api/v1/compliance", res.Status, []byte(res.Body))
	d := decode[struct {
		Total struct {
			DueSoon int `json:"due_soon"`
		} `json:"total"`
		Items []struct {
			ItemID  string `json:"item_id"`
			DueSoon int    `json:"due_soon"`
		} `json:"items"`
		Units []struct {
			DueSoon int `json:"due_soon"`
			Items   []struct {
				ItemID  string `json:"item_id"`
				DueSoon int    `json:"due_soon"`
			} `json:"items"`
		} `json:"units"`
	}](t, res)
	if d.Total.DueSoon < 1 || len(d.Items) == 0 || len(d.Units) == 0 {
		t.Fatalf("dashboard: %s", res.Body)
	}
	perItem := map[string]int{}
	for _, u := range d.Units {
		sum := 0
		if len(u.Items) != len(d.Items) {
			t.Fatalf("a unit has %d cells for %d items", len(u.Items), len(d.Items))
		}
		for i, c := range u.Items {
			if c.ItemID != d.Items[i].ItemID {
				t.Errorf("cell %d is item %s, want %s", i, c.ItemID, d.Items[i].ItemID)
			}
			sum += c.DueSoon
			perItem[c.ItemID] += c.DueSoon
		}
		if sum != u.DueSoon {
			t.Errorf("a unit's cells add up to %d due soon, its count is %d", sum, u.DueSoon)
		}
	}
	for _, it := range d.Items {
		if perItem[it.ItemID] != it.DueSoon {
			t.Errorf("item %s: the units add up to %d due soon, the item says %d", it.ItemID, perItem[it.ItemID], it.DueSoon)
		}
	}
	for _, tt := range []struct{ path, field string }{
		{"/api/v1/compliance?org_unit_id=01900000-0000-7000-8000-0000000000aa", "org_unit_id"},
		{"/api/v1/compliance/rows?status=late", "status"},
		{"/api/v1/enrollments?team=01900000-0000-7000-8000-0000000000aa", "team"},
		{"/api/v1/learning-items?kind=seminar", "kind"},
	} {
		if res := env.Do(t, st.HR, "GET", tt.path, "", ""); res.Status != 422 || decodeProblem(t, res).Field != tt.field {
			t.Errorf("%s: %d %s, want 422 naming %s", tt.path, res.Status, res.Body, tt.field)
		}
	}
}

func TestTrainingAPIEnrollsOnceAndScopesEnrollments(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	tf := env.Fix.Training
	body := `{"item_id":"` + tf.Item + `"}`
	first := env.Do(t, st.Employee, "POST", "/api/v1/enrollments", json, body)
	loc := location(t, first, 201)
	second := env.Do(t, st.Employee, "POST", "/api/v1/enrollments", json, body)
	if second.Status != 200 || second.Header.Get("Location") != loc {
		t.Errorf("enrolling again: %d at %q, want 200 at %q", second.Status, second.Header.Get("Location"), loc)
	}
	if res := env.Do(t, st.Employee, "POST", "/api/v1/enrollments", json, `{"item_id":"`+tf.Draft+`0"}`); res.Status != 404 {
		t.Errorf("an unknown item: %d", res.Status)
	}

	// The report's request is the manager's to see and decide, not a colleague's.
	requests := func(role string) []string {
		res := env.Do(t, role, "GET", "/api/v1/enrollments?status=requested&item_id="+tf.Approval, "", "")
		apitest.ValidateResponse(t, "GET /api/v1/enrollments", res.Status, []byte(res.Body))
		var ids []string
		for _, e := range decode[struct {
			Items []struct{ ID string } `json:"items"`
		}](t, res).Items {
			ids = append(ids, e.ID)
		}
		return ids
	}
	if got := requests(st.Employee); len(got) != 0 {
		t.Errorf("the employee sees %v", got)
	}
	if got := requests(st.Manager); !slices.Equal(got, []string{tf.Request}) {
		t.Errorf("the manager sees %v, want the request", got)
	}
	team := env.Do(t, st.Manager, "GET", "/api/v1/team/learning", "", "")
	apitest.ValidateResponse(t, "GET /api/v1/team/learning", team.Status, []byte(team.Body))
	if !strings.Contains(team.Body, tf.Request) || !strings.Contains(team.Body, env.Fix.Persons[st.Employee]) {
		t.Errorf("the manager's team misses the employee or the request: %.500s", team.Body)
	}
	res := env.Do(t, st.Manager, "POST", "/api/v1/enrollments/"+tf.Request+"/decision", json, `{"approve":false,"reason":"Not this quarter."}`)
	if res.Status != 200 || !strings.Contains(res.Body, `"status":"rejected"`) {
		t.Errorf("decline: %d %s", res.Status, res.Body)
	}
	if res := env.Do(t, st.Manager, "POST", "/api/v1/enrollments/"+tf.Request+"/decision", json, `{"approve":true}`); res.Status != 409 {
		t.Errorf("deciding twice: %d", res.Status)
	}
}

func TestTrainingAPIRegistersAndServesTheCalendar(t *testing.T) {
	t.Parallel()
	env := st.Start(t)
	session := "/api/v1/sessions/" + env.Fix.Training.Session
	res := env.Do(t, st.Manager, "POST", session+"/registrations", "", "")
	if res.Status != 201 {
		t.Fatalf("register: %d %s", res.Status, res.Body)
	}
	reg := decode[struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}](t, res)
	if again := env.Do(t, st.Manager, "POST", session+"/registrations", "", ""); again.Status != 200 || !strings.Contains(again.Body, reg.ID) {
		t.Errorf("registering again: %d %s", again.Status, again.Body)
	}
	calendar := "/api/v1/registrations/" + reg.ID + "/calendar"
	ics := env.Do(t, st.Manager, "GET", calendar, "", "")
	if ics.Status != 200 || !strings.HasPrefix(ics.Header.Get("Content-Type"), "text/calendar") ||
		ics.Header.Get("Content-Disposition") != `attachment; filename="session.ics"` {
		t.Fatalf("calendar: %d %q %q", ics.Status, ics.Header.Get("Content-Type"), ics.Header.Get("Content-Disposition"))
	}
	for _, line := range []string{"BEGIN:VCALENDAR", "METHOD:REQUEST", "UID:session-" + env.Fix.Training.Session + "@", "END:VCALENDAR"} {
		if !strings.Contains(ics.Body, line) {
			t.Errorf("the calendar lacks %q:\n%s", line, ics.Body)
		}
	}
	if res := env.Do(t, st.Employee, "GET", calendar, "", ""); res.Status != 404 {
		t.Errorf("someone else's calendar: %d", res.Status)
	}
	res = env.Do(t, st.Manager, "DELETE", "/api/v1/registrations/"+reg.ID, "", "")
	if res.Status != 200 || !strings.Contains(res.Body, `"status":"cancelled"`) {
		t.Fatalf("cancel: %d %s", res.Status, res.Body)
	}
	if ics := env.Do(t, st.Manager, "GET", calendar, "", ""); !strings.Contains(ics.Body, "METHOD:CANCEL") {
		t.Errorf("the calendar of a cancelled registration:\n%s", ics.Body)
	}
	feed := decode[struct {
		URL string `json:"url"`
	}](t, env.Do(t, st.Manager, "GET", "/api/v1/me/calendar", "", ""))
	renewed := decode[struct {
		URL string `json:"url"`
	}](t, env.Do(t, st.Manager, "POST", "/api/v1/me/calendar", "", ""))
	if !strings.HasPrefix(feed.URL, env.URL+"/calendar/") || !strings.HasSuffix(feed.URL, ".ics") || renewed.URL == feed.URL {
		t.Errorf("feed %q, renewed %q", feed.URL, renewed.URL)
	}
}
