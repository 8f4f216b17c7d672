package xapi

import (
	"encoding/json"
	"testing"
)

// richStatement exercises every part Equivalent compares.
const richStatement = `{
	"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
	"actor": {"objectType": "Group", "name": "Team PB", "mbox": "mailto:teampb@example.com",
		"member": [{"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
			{"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
			{"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"}]},
	"verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
	"object": {"id": "http://www.example.com/meetings/occurances/34534", "objectType": "Activity",
		"definition": {"name": {"en-US": "example meeting"}, "type": "http://adlnet.gov/expapi/activities/meeting"}},
	"result": {"extensions": {"http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes\\examplemeeting.one"},
		"success": true, "completion": true, "response": "We agreed on some example actions.", "duration": "PT1H0M0S",
		"score": {"scaled": 0.5, "raw": 50, "min": 0, "max": 100}},
	"context": {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
		"contextActivities": {"parent": {"id": "http://www.example.com/meetings/series/267"},
			"category": [{"id": "http://www.example.com/meetings/categories/teammeeting", "objectType": "Activity",
				"definition": {"name": {"en": "team meeting"}}}]},
		"instructor": {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
		"team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
		"platform": "Example virtual meeting software", "language": "tlh",
		"statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
		"extensions": {"http://example.com/ext/room": {"name": "Kilby", "seats": 12}}},
	"timestamp": "2013-05-18T05:32:34.804+00:00",
	"stored": "2013-05-18T05:32:34.804+00:00",
	"authority": {"account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}, "objectType": "Agent"},
	"version": "1.0.0"
}`

func tree(t *testing.T, js []byte) map[string]any {
	t.Helper()
	v, err := parseJSON(js, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// Each case edits a copy of richStatement; equal says whether the result must be Equivalent to
// the original. Every rule of Equivalent's doc comment has a case.
func TestEquivalent(t *testing.T) {
	sub := `{"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://example.com/v"},
		"object": {"id": "http://example.com/a"}, "timestamp": "2013-05-18T05:32:34.804Z"}`
	cases := []struct {
		name  string
		base  string
		edits []edit
		equal bool
	}{
		{name: "identical", equal: true},
		{name: "id differs", edits: []edit{set("id", `"00000000-0000-4000-8000-000000000000"`)}, equal: true},
		{name: "no id", edits: []edit{remove("id")}, equal: true},
		{name: "stored differs", edits: []edit{set("stored", `"2020-01-01T00:00:00Z"`)}, equal: true},
		{name: "authority differs", edits: []edit{set("authority", `{"mbox": "mailto:lrs@example.com"}`)}, equal: true},
		{name: "no authority", edits: []edit{remove("authority")}, equal: true},
		{name: "version differs", edits: []edit{set("version", `"1.0.3"`)}, equal: true},
		{name: "timestamp in another zone", edits: []edit{set("timestamp", `"2013-05-18T07:32:34.804+02:00"`)}, equal: true},
		{name: "timestamp differs", edits: []edit{set("timestamp", `"2014-05-18T05:32:34.804Z"`)}, equal: true},
		{name: "no timestamp", edits: []edit{remove("timestamp")}, equal: true},
		{name: "attachments added", edits: []edit{set("attachments", "["+validAttachment+"]")}, equal: true},
		{name: "group members reordered", edits: []edit{set("actor.member", `[
			{"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"},
			{"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
			{"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"}]`)}, equal: true},
		{name: "group member missing", edits: []edit{remove("actor.member[2]")}, equal: false},
		{name: "group member renamed", edits: []edit{set("actor.member[0].name", `"Andy Downes"`)}, equal: false},
		{name: "group name differs", edits: []edit{set("actor.name", `"Team P"`)}, equal: false},
		{name: "mbox scheme and domain case", edits: []edit{set("actor.mbox", `"MAILTO:teampb@EXAMPLE.COM"`)}, equal: true},
		{name: "mbox local part case", edits: []edit{set("actor.mbox", `"mailto:TeamPB@example.com"`)}, equal: false},
		{name: "mbox_sha1sum case", edits: []edit{set("actor.member[2].mbox_sha1sum", `"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"`)}, equal: true},
		{name: "openid host case", edits: []edit{set("actor.member[1].openid", `"HTTP://TOBY.openid.example.org/"`)}, equal: true},
		{name: "openid path case", edits: []edit{set("actor.member[1].openid", `"http://toby.openid.example.org/X"`)}, equal: false},
		{name: "account name case", edits: []edit{set("actor.member[0].account.name", `"13936749A"`)}, equal: false},
		{name: "agent objectType omitted", edits: []edit{remove("context.instructor.objectType")}, equal: true},
		{name: "agent becomes group", edits: []edit{set("context.instructor.objectType", `"Group"`)}, equal: false},
		{name: "actor IFI differs", edits: []edit{remove("actor.mbox"), set("actor.openid", `"http://example.com/team"`)}, equal: false},
		{name: "verb display differs", edits: []edit{set("verb.display", `{"fr": "assisté"}`)}, equal: true},
		{name: "verb display removed", edits: []edit{remove("verb.display")}, equal: true},
		{name: "verb id differs", edits: []edit{set("verb.id", `"http://adlnet.gov/expapi/verbs/attempted"`)}, equal: false},
		{name: "activity definition differs", edits: []edit{set("object.definition", `{"name": {"en-US": "renamed"}}`)}, equal: true},
		{name: "activity definition removed", edits: []edit{remove("object.definition")}, equal: true},
		{name: "activity objectType omitted", edits: []edit{remove("object.objectType")}, equal: true},
		{name: "activity id differs", edits: []edit{set("object.id", `"http://www.example.com/meetings/occurances/1"`)}, equal: false},
		{name: "activity id scheme case", edits: []edit{set("object.id", `"HTTP://www.EXAMPLE.com/meetings/occurances/34534"`)}, equal: true},
		{name: "object becomes agent", edits: []edit{set("object", `{"objectType": "Agent", "mbox": "mailto:a@example.com"}`)}, equal: false},
		{name: "score by value", edits: []edit{set("result.score", `{"scaled": 0.50, "raw": 5e1, "min": 0.0, "max": 100}`)}, equal: true},
		{name: "score differs", edits: []edit{set("result.score.raw", `51`)}, equal: false},
		{name: "success differs", edits: []edit{set("result.success", `false`)}, equal: false},
		{name: "response differs", edits: []edit{set("result.response", `"We agreed."`)}, equal: false},
		{name: "result removed", edits: []edit{remove("result")}, equal: false},
		{name: "duration in other units", edits: []edit{set("result.duration", `"PT60M"`)}, equal: false},
		{name: "duration beyond 0.01 s", base: richStatement, edits: []edit{set("result.duration", `"PT1H0M0.001S"`)}, equal: true},
		{name: "duration hundredths", edits: []edit{set("result.duration", `"PT1H0M0.01S"`)}, equal: false},
		{name: "result extension differs", edits: []edit{set("result.extensions", `{"http://example.com/profiles/meetings/resultextensions/minuteslocation": "Y:"}`)}, equal: false},
		{name: "result extension key host case", edits: []edit{set("result.extensions", `{"http://EXAMPLE.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes\\examplemeeting.one"}`)}, equal: true},
		{name: "context extension number by value", edits: []edit{set("context.extensions", `{"http://example.com/ext/room": {"seats": 12.0, "name": "Kilby"}}`)}, equal: true},
		{name: "context extension differs", edits: []edit{set("context.extensions", `{"http://example.com/ext/room": {"seats": 13, "name": "Kilby"}}`)}, equal: false},
		{name: "registration case", edits: []edit{set("context.registration", `"EC531277-B57B-4C15-8D91-D292C5B2B8F7"`)}, equal: true},
		{name: "registration differs", edits: []edit{set("context.registration", `"ec531277-b57b-4c15-8d91-d292c5b2b8f8"`)}, equal: false},
		{name: "single context activity as array", edits: []edit{set("context.contextActivities.parent", `[{"id": "http://www.example.com/meetings/series/267"}]`)}, equal: true},
		{name: "context activity definition differs", edits: []edit{remove("context.contextActivities.category[0].definition")}, equal: true},
		{name: "context activity added", edits: []edit{set("context.contextActivities.other", `[{"id": "http://example.com/o"}]`)}, equal: false},
		{name: "context activity id differs", edits: []edit{set("context.contextActivities.category[0].id", `"http://example.com/c"`)}, equal: false},
		{name: "language case", edits: []edit{set("context.language", `"TLH"`)}, equal: true},
		{name: "platform differs", edits: []edit{set("context.platform", `"other"`)}, equal: false},
		{name: "context statement id case", edits: []edit{set("context.statement.id", `"6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"`)}, equal: true},
		{name: "substatement timestamp zone", base: baseStatement, edits: []edit{set("object", sub), set("object.timestamp", `"2013-05-18T07:32:34.8041+02:00"`)}, equal: true},
		{name: "substatement timestamp differs", base: baseStatement, edits: []edit{set("object", sub), set("object.timestamp", `"2013-05-18T05:32:35Z"`)}, equal: false},
		{name: "substatement timestamp removed", base: baseStatement, edits: []edit{set("object", sub), remove("object.timestamp")}, equal: false},
		{name: "substatement verb display", base: baseStatement, edits: []edit{set("object", sub), set("object.verb.display", `{"en": "x"}`)}, equal: true},
		{name: "substatement actor differs", base: baseStatement, edits: []edit{set("object", sub), set("object.actor.mbox", `"mailto:b@example.com"`)}, equal: false},
		{name: "context agents", base: baseStatement, edits: []edit{set("context.contextAgents", contextAgents)}, equal: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := c.base
			if base == "" {
				base = richStatement
			}
			// Cases on baseStatement that need the edit on both sides put it in the original too.
			orig := tree(t, build(t, base))
			if base == baseStatement && len(c.edits) > 0 && c.edits[0].path == "object" {
				orig = tree(t, build(t, base, c.edits[0]))
			}
			edited := tree(t, build(t, base, c.edits...))
			if got := Equivalent(orig, edited); got != c.equal {
				t.Errorf("Equivalent(original, edited) = %v, want %v", got, c.equal)
			}
			if got := Equivalent(edited, orig); got != c.equal {
				t.Errorf("Equivalent(edited, original) = %v, want %v", got, c.equal)
			}
		})
	}
}

// A statement is equivalent to what the LRS returns for it in every format but ids, and to its
// own JSON round trip.
func TestEquivalentRoundTrip(t *testing.T) {
	orig := tree(t, []byte(richStatement))
	for _, format := range []string{"exact", "canonical"} {
		out := Format(orig, format, []string{"en-US"})
		js, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		if !Equivalent(orig, tree(t, js)) {
			t.Errorf("%s: the formatted statement is not equivalent to the original:\n%s", format, js)
		}
	}
	// Stored form: the LRS adds id, stored, authority, version and timestamp.
	st := tree(t, build(t, baseStatement, remove("id")))
	stored := Format(st, "exact", nil)
	stored["id"] = "11111111-1111-4111-8111-111111111111"
	stored["stored"] = "2024-01-01T00:00:00.000Z"
	stored["timestamp"] = "2024-01-01T00:00:00.000Z"
	stored["version"] = "1.0.0"
	stored["authority"] = map[string]any{"mbox": "mailto:lrs@example.com"}
	if !Equivalent(st, stored) || !Equivalent(stored, st) {
		t.Error("a statement is not equivalent to its stored form")
	}
}
