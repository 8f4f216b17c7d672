package server_test

import (
	"bufio"
	"context"
	stdjson "encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/lrs"
	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// What happens in learnloop becomes xAPI statements about the person, with learnloop's profile
// (docs/xapi-profile.md), and shows in their learning record: theirs to them, everyone's to
// those who read the whole record.
func TestLearnloopEventsBecomeStatementsInTheRecord(t *testing.T) {
	env := st.Start(t)
	svc := env.Server.Services.LRS
	ctx := context.Background()
	if _, err := svc.Deliver(ctx); err != nil { // the fixture's own history
		t.Fatal(err)
	}
	item := env.Fix.Training.Item
	if res := env.Do(t, st.Manager, "POST", "/training/items/"+item+"/enroll", "application/x-www-form-urlencoded", ""); res.Status != 303 {
		t.Fatalf("enroll: %d %.300s", res.Status, res.Body)
	}
	n, err := svc.Deliver(ctx)
	if err != nil || n != 1 {
		t.Fatalf("delivered %d events (%v), want the enrollment", n, err)
	}
	if n, _ := svc.Deliver(ctx); n != 0 {
		t.Fatalf("delivered %d events again", n)
	}
	manager := env.Fix.Persons[st.Manager]
	page, err := svc.Statements(ctx, lrs.Query{Person: manager, Verb: "http://adlnet.gov/expapi/verbs/registered", Limit: 10})
	if err != nil || len(page.Statements) == 0 {
		t.Fatalf("no registered statement for the manager: %v", err)
	}
	var s struct {
		Actor struct {
			Account struct{ HomePage, Name string }
		}
		Object struct {
			ID         string
			Definition struct {
				Name map[string]string
				Type string
			}
		}
		Context struct{ Platform string }
	}
	if err := stdjson.Unmarshal(page.Statements[0], &s); err != nil {
		t.Fatal(err)
	}
	if s.Actor.Account.Name != manager || s.Object.ID != svc.ActivityID("item", item) || s.Object.Definition.Name["en"] == "" ||
		s.Object.Definition.Type != "http://adlnet.gov/expapi/activities/course" || s.Context.Platform != "learnloop" {
		t.Fatalf("statement %s", page.Statements[0])
	}
	title := s.Object.Definition.Name["en"]

	mine := env.Do(t, st.Manager, "GET", "/record", "", "")
	if mine.Status != 200 || !strings.Contains(mine.Body, title) {
		t.Fatalf("the manager's record does not show the enrollment: %d", mine.Status)
	}
	// Someone else's record is not the employee's to see, whatever they ask for.
	theirs := env.Do(t, st.Employee, "GET", "/record?person="+url.QueryEscape(env.Fix.Emails[st.Manager]), "", "")
	if strings.Contains(theirs.Body, "Who</th>") {
		t.Fatal("the employee sees the whole record")
	}
	export := env.Do(t, st.Employee, "GET", "/record/export", "", "")
	sc := bufio.NewScanner(strings.NewReader(export.Body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Actor struct{ Account struct{ Name string } }
		}
		if err := stdjson.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		if line.Actor.Account.Name != env.Fix.Persons[st.Employee] {
			t.Fatalf("the employee's export holds someone else's statement: %s", sc.Text())
		}
	}
	// L&D reads everyone's, filtered by person.
	all := env.Do(t, st.LnD, "GET", "/record?person="+url.QueryEscape(env.Fix.Emails[st.Manager]), "", "")
	if !strings.Contains(all.Body, title) || !strings.Contains(all.Body, "Who</th>") {
		t.Fatalf("L&D's view of the manager's record: %d", all.Status)
	}
	bad := env.Do(t, st.LnD, "GET", "/record?person=nobody%40example.com", "", "")
	if bad.Status != 422 && bad.Status != 400 {
		t.Fatalf("an unknown person: %d", bad.Status)
	}
}

// A completion another tool reports over xAPI, about an activity L&D mapped to a learning item,
// completes the item for the person it names by email, and shows in their record.
func TestStatementsFromOtherToolsBecomeCompletions(t *testing.T) {
	env := st.Start(t)
	svc := env.Server.Services.LRS
	ctx := context.Background()
	c, secret, err := svc.CreateClient(ctx, core.System, lrs.NewClient{Name: "Vendor e-learning", Scopes: []string{lrs.ScopeStatementsWrite}})
	if err != nil {
		t.Fatal(err)
	}
	item, person := env.Fix.Training.Approval, env.Fix.Persons[st.Employee]
	completions := func() int {
		var n int
		if err := env.DB.QueryRowContext(ctx, `SELECT count(*) FROM enrollments WHERE person_id = ? AND item_id = ? AND status = 'completed'`, person, item).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := completions()
	activity := "https://vendor.example.com/courses/negotiation"
	post := func(verb string, extra string) {
		body := fmt.Sprintf(`{"actor":{"mbox":"mailto:%s"},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s"},"object":{"id":"%s","definition":{"name":{"en":"Negotiation (vendor)"}}}%s}`,
			env.Fix.Emails[st.Employee], verb, activity, extra)
		req, _ := http.NewRequest("POST", env.URL+"/xapi/statements", strings.NewReader(body))
		req.SetBasicAuth(c.Key, secret)
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("POST statement: %d", res.StatusCode)
		}
	}
	post("completed", `,"result":{"score":{"scaled":0.9}}`)
	post("failed", "")
	post("passed", `,"result":{"success":false}`) // a passed that says it did not succeed counts for nothing
	// Before the mapping, the statements are in the record but complete nothing.
	if n, err := svc.ApplyEvidence(ctx); err != nil || n != 0 {
		t.Fatalf("evidence without a mapping: %d %v", n, err)
	}
	res := env.Do(t, st.LnD, "POST", "/admin/lrs/mappings", "application/x-www-form-urlencoded", url.Values{"activity_id": {activity}, "item": {item}}.Encode())
	if res.Status != 303 {
		t.Fatalf("map: %d %.300s", res.Status, res.Body)
	}
	if got := completions(); got != before+1 {
		t.Fatalf("completions %d, want %d: the statement sent before the mapping counts once", got, before+1)
	}
	post("passed", `,"result":{"score":{"scaled":0.8},"success":true}`)
	if n, err := svc.ApplyEvidence(ctx); err != nil || n != 1 {
		t.Fatalf("evidence after the mapping: %d %v", n, err)
	}
	if n, _ := svc.ApplyEvidence(ctx); n != 0 {
		t.Fatalf("applied %d again", n)
	}
	if got := completions(); got != before+2 {
		t.Fatalf("completions %d, want %d", got, before+2)
	}
	mine := env.Do(t, st.Employee, "GET", "/record", "", "")
	if !strings.Contains(mine.Body, "Negotiation (vendor)") || !strings.Contains(mine.Body, "Vendor e-learning") {
		t.Fatal("the employee's record does not show the vendor's statements")
	}
	bad := env.Do(t, st.LnD, "POST", "/admin/lrs/mappings", "application/x-www-form-urlencoded", url.Values{"activity_id": {"not an iri"}, "item": {"nope"}}.Encode())
	if bad.Status != 422 || !strings.Contains(bad.Body, "no learning item has the id or code") {
		t.Fatalf("a bad mapping: %d", bad.Status)
	}
}
