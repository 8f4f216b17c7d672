package xapi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The keys the store indexes are extracted from every part of the statement.
func TestStatementKeys(t *testing.T) {
	body := `{
		"id": "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE",
		"actor": {"objectType": "Group", "name": "Team PB", "mbox": "MAILTO:TeamPB@Example.COM",
			"member": [{"account": {"homePage": "http://www.example.com", "name": "13936749"}}, {"openid": "http://toby.openid.example.org/"}]},
		"verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
		"object": {"objectType": "SubStatement",
			"actor": {"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"},
			"verb": {"id": "http://example.com/planned"},
			"object": {"id": "http://example.com/website"},
			"context": {"registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7",
				"instructor": {"mbox": "mailto:sub-instructor@example.com"},
				"contextActivities": {"parent": {"id": "http://example.com/sub-parent"}},
				"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.com"}}]}},
		"context": {"registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7",
			"instructor": {"name": "Andrew", "account": {"homePage": "http://www.example.com", "name": "13936749"}},
			"team": {"objectType": "Group", "member": [{"mbox": "mailto:player@example.com"}]},
			"contextActivities": {"parent": [{"id": "http://www.example.com/meetings/series/267"}],
				"grouping": {"id": "http://www.example.com/meetings/series/267"},
				"category": [{"id": "http://www.example.com/meetings/categories/teammeeting"}]},
			"contextGroups": [{"objectType": "contextGroup", "group": {"objectType": "Group", "openid": "http://example.com/crew",
				"member": [{"mbox": "mailto:crew@example.com"}]}}]},
		"timestamp": "2013-05-18T07:32:34.804+02:00",
		"authority": {"objectType": "Group", "member": [{"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}},
			{"mbox": "mailto:bob@example.com"}]},
		"attachments": [` + validAttachment + `]
	}`
	sts, array, err := ParseStatements([]byte(body), V200)
	if err != nil {
		t.Fatal(err)
	}
	if array || len(sts) != 1 {
		t.Fatalf("array = %v, %d statements", array, len(sts))
	}
	got := sts[0]
	want := &Statement{
		ID:         "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
		Actor:      "mbox:mailto:TeamPB@example.com",
		Members:    []string{"account:http://www.example.com|13936749", "openid:http://toby.openid.example.org/"},
		Verb:       "http://adlnet.gov/expapi/verbs/attended",
		ObjectType: "SubStatement",
		RelatedAgents: []string{
			"account:http://example.com/xAPI/OAuth/Token|oauth_consumer_x75db", "mbox:mailto:bob@example.com",
			"account:http://www.example.com|13936749", "openid:http://toby.openid.example.org/",
			"mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "mbox:mailto:sub-instructor@example.com", "mbox:mailto:coach@example.com",
			"mbox:mailto:player@example.com", "openid:http://example.com/crew", "mbox:mailto:crew@example.com",
		},
		RelatedActivities: []string{
			"http://example.com/website", "http://example.com/sub-parent",
			"http://www.example.com/meetings/series/267", "http://www.example.com/meetings/categories/teammeeting",
		},
		Registration: "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
		Timestamp:    time.Date(2013, 5, 18, 5, 32, 34, 804000000, time.UTC),
		Attachments: []Attachment{{UsageType: "http://example.com/attachment-usage/test", ContentType: "text/plain; charset=ascii",
			SHA2: "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a", FileURL: "http://over.there.com/file.txt", Length: 27,
			Display: map[string]any{"en-US": "A test attachment", "de": "Eine Testbefestigung"}}},
	}
	sortStrings := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Statement{}, "Tree"), sortStrings); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got.Tree["id"] != "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE" {
		t.Errorf("the tree is not as received: id %v", got.Tree["id"])
	}
}

func TestObjectKeys(t *testing.T) {
	cases := []struct {
		name, object, objType, objID string
		members, related             []string
	}{
		{"activity", `{"id": "http://example.com/a"}`, "Activity", "http://example.com/a", nil, nil},
		{"agent", `{"objectType": "Agent", "mbox": "mailto:Other@EXAMPLE.com"}`, "Agent", "mbox:mailto:Other@example.com", nil, nil},
		{"identified group", `{"objectType": "Group", "openid": "http://example.com/g", "member": [{"mbox": "mailto:m@example.com"}]}`,
			"Group", "openid:http://example.com/g", []string{"mbox:mailto:m@example.com"}, []string{"mbox:mailto:m@example.com"}},
		{"anonymous group", `{"objectType": "Group", "member": [{"mbox": "mailto:m@example.com"}]}`,
			"Group", "", []string{"mbox:mailto:m@example.com"}, []string{"mbox:mailto:m@example.com"}},
		{"statement reference", `{"objectType": "StatementRef", "id": "8F87CCDE-BB56-4C2E-AB83-44982EF22DF0"}`, "StatementRef", "8f87ccde-bb56-4c2e-ab83-44982ef22df0", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := ParseStatement(build(t, baseStatement, set("object", c.object)), V103)
			if err != nil {
				t.Fatal(err)
			}
			if st.ObjectType != c.objType || st.ObjectID != c.objID {
				t.Errorf("object = %s %q, want %s %q", st.ObjectType, st.ObjectID, c.objType, c.objID)
			}
			if diff := cmp.Diff(c.members, st.ObjectMembers); diff != "" {
				t.Errorf("object members: %s", diff)
			}
			if diff := cmp.Diff(c.related, st.RelatedAgents); diff != "" {
				t.Errorf("related agents: %s", diff)
			}
			if st.Actor != "mbox:mailto:sample.agent@example.com" || st.Members != nil || st.Voids != "" {
				t.Errorf("actor = %q, members %v, voids %q", st.Actor, st.Members, st.Voids)
			}
		})
	}
}

func TestVoidingKeys(t *testing.T) {
	st, err := ParseStatement(build(t, baseStatement, set("verb.id", `"`+VoidedVerb+`"`),
		set("object", `{"objectType": "StatementRef", "id": "E05AA883-ACAF-40AD-BF54-02C8CE485FB0"}`)), V103)
	if err != nil {
		t.Fatal(err)
	}
	if st.Voids != "e05aa883-acaf-40ad-bf54-02c8ce485fb0" {
		t.Errorf("voids = %q", st.Voids)
	}
	// A statement that merely references another does not void it.
	st, err = ParseStatement(build(t, baseStatement, set("object", `{"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}`)), V103)
	if err != nil {
		t.Fatal(err)
	}
	if st.Voids != "" {
		t.Errorf("voids = %q for a non-voiding statement", st.Voids)
	}
}

func TestAgentKey(t *testing.T) {
	cases := []struct {
		agent map[string]any
		want  string
	}{
		{map[string]any{"mbox": "mailto:a@example.com"}, "mbox:mailto:a@example.com"},
		{map[string]any{"mbox": "Mailto:Ann.Lee@Example.COM"}, "mbox:mailto:Ann.Lee@example.com"},
		{map[string]any{"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}, "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975"},
		{map[string]any{"openid": "http://openid.example.org/12345"}, "openid:http://openid.example.org/12345"},
		{map[string]any{"account": map[string]any{"homePage": "http://www.example.com", "name": "1625378"}}, "account:http://www.example.com|1625378"},
		{map[string]any{"objectType": "Group", "member": []any{map[string]any{"mbox": "mailto:a@example.com"}}}, ""},
		{map[string]any{"name": "nobody"}, ""},
	}
	for _, c := range cases {
		if got := AgentKey(c.agent); got != c.want {
			t.Errorf("AgentKey(%v) = %q, want %q", c.agent, got, c.want)
		}
	}
}
