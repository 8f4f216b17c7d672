package xapi

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const formatStatement = `{
	"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
	"actor": {"objectType": "Group", "name": "Team", "member": [
		{"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
		{"name": "Bo", "account": {"homePage": "http://example.com", "name": "bo"}}]},
	"verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered", "en-GB": "answered", "de": "beantwortete"}},
	"object": {"objectType": "Activity", "id": "http://example.com/q1", "definition": {
		"name": {"en-US": "Question 1", "de": "Frage 1", "fr": "Question une"},
		"description": {"de-CH": "Frage", "en": "Question"},
		"interactionType": "choice", "correctResponsesPattern": ["a"],
		"choices": [{"id": "a", "description": {"en-US": "Yes", "de": "Ja"}}, {"id": "b", "description": {"en-US": "No", "de": "Nein"}}],
		"extensions": {"http://example.com/ext": {"en-US": "kept", "de": "kept"}}}},
	"result": {"success": true},
	"context": {
		"instructor": {"objectType": "Agent", "name": "Teacher", "mbox": "mailto:t@example.com"},
		"team": {"objectType": "Group", "name": "Crew", "openid": "http://example.com/crew", "member": [{"mbox": "mailto:c@example.com"}]},
		"contextActivities": {"parent": {"id": "http://example.com/quiz", "definition": {"name": {"en-US": "Quiz", "de": "Test"}}},
			"grouping": [{"objectType": "Activity", "id": "http://example.com/course"}]},
		"contextAgents": [{"objectType": "contextAgent", "agent": {"name": "Coach", "mbox": "mailto:coach@example.com"}, "relevantTypes": ["http://example.com/coach"]}]},
	"authority": {"objectType": "Agent", "name": "LRS", "account": {"homePage": "http://lrs.example.com", "name": "key"}},
	"attachments": [` + validAttachment + `]
}`

func formatted(t *testing.T, format string, langs []string) map[string]any {
	t.Helper()
	in := tree(t, []byte(formatStatement))
	before, _ := json.Marshal(in)
	out := Format(in, format, langs)
	after, _ := json.Marshal(in)
	if string(before) != string(after) {
		t.Fatalf("Format(%s) changed its input", format)
	}
	return out
}

func at(t *testing.T, v any, path string) any {
	t.Helper()
	for _, seg := range splitPath(path) {
		switch n := v.(type) {
		case map[string]any:
			v = n[seg]
		case []any:
			i, err := strconv.Atoi(seg[1 : len(seg)-1])
			if err != nil || i >= len(n) {
				t.Fatalf("%s: no %s", path, seg)
			}
			v = n[i]
		default:
			t.Fatalf("%s: no %s", path, seg)
		}
	}
	return v
}

func TestFormatExact(t *testing.T) {
	out := formatted(t, "exact", nil)
	in := tree(t, []byte(formatStatement))
	// Only the single context activity changes: it is returned as an array (Data 2.4.6.2.s4.b3).
	in["context"].(map[string]any)["contextActivities"].(map[string]any)["parent"] = []any{at(t, in, "context.contextActivities.parent")}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("exact (-want +got):\n%s", diff)
	}
	// The copy is deep: changing the output leaves a fresh input alone.
	out["verb"].(map[string]any)["id"] = "changed"
	if Format(tree(t, []byte(formatStatement)), "exact", nil)["verb"].(map[string]any)["id"] == "changed" {
		t.Error("the output shares the input")
	}
	if diff := cmp.Diff(Format(in, "exact", nil), Format(in, "unknown", nil)); diff != "" {
		t.Errorf("an unknown format is not exact: %s", diff)
	}
}

func TestFormatIDs(t *testing.T) {
	out := formatted(t, "ids", nil)
	checks := map[string]string{
		"actor":                      `{"objectType": "Group", "member": [{"objectType": "Agent", "mbox": "mailto:ann@example.com"}, {"account": {"homePage": "http://example.com", "name": "bo"}}]}`,
		"verb":                       `{"id": "http://adlnet.gov/expapi/verbs/answered"}`,
		"object":                     `{"id": "http://example.com/q1"}`,
		"context.instructor":         `{"objectType": "Agent", "mbox": "mailto:t@example.com"}`,
		"context.team":               `{"objectType": "Group", "openid": "http://example.com/crew"}`,
		"context.contextActivities":  `{"parent": [{"id": "http://example.com/quiz"}], "grouping": [{"id": "http://example.com/course"}]}`,
		"context.contextAgents[0]":   `{"objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.com"}, "relevantTypes": ["http://example.com/coach"]}`,
		"authority":                  `{"objectType": "Agent", "account": {"homePage": "http://lrs.example.com", "name": "key"}}`,
		"result":                     `{"success": true}`,
		"id":                         `"6690e6c9-3ef0-4ed3-8b37-7f3964730bee"`,
		"attachments[0].sha2":        `"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"`,
		"attachments[0].display.de":  `"Eine Testbefestigung"`,
		"attachments[0].contentType": `"text/plain; charset=ascii"`,
	}
	for path, want := range checks {
		w, _ := decode(want)
		if diff := cmp.Diff(w, at(t, out, path)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	// A sub-statement is reduced the same way.
	st := tree(t, build(t, baseStatement, set("object", subStatement)))
	sub := Format(st, "ids", nil)["object"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"id": "http://example.com/visited"}, sub["verb"]); diff != "" {
		t.Errorf("sub-statement verb: %s", diff)
	}
	if sub["objectType"] != "SubStatement" {
		t.Errorf("sub-statement objectType = %v", sub["objectType"])
	}
}

func TestFormatCanonical(t *testing.T) {
	cases := []struct {
		langs                                     []string
		verb, name, description, choice, quizName string
	}{
		{[]string{"de"}, "de", "de", "de-CH", "de", "de"},
		{[]string{"en-GB", "de"}, "en-GB", "de", "de-CH", "de", "de"},
		{[]string{"fr", "en-US"}, "en-US", "fr", "en", "en-US", "en-US"},
		{[]string{"en"}, "en-GB", "en-US", "en", "en-US", "en-US"},
		{[]string{"*"}, "de", "de", "de-CH", "de", "de"},
		{[]string{"ja"}, "de", "de", "de-CH", "de", "de"},
		{nil, "de", "de", "de-CH", "de", "de"},
		{[]string{"en-AU"}, "en-GB", "en-US", "en", "en-US", "en-US"},
	}
	for _, c := range cases {
		out := formatted(t, "canonical", c.langs)
		for path, want := range map[string]string{
			"verb.display":                                        c.verb,
			"object.definition.name":                              c.name,
			"object.definition.description":                       c.description,
			"object.definition.choices[1].description":            c.choice,
			"context.contextActivities.parent[0].definition.name": c.quizName,
		} {
			m, ok := at(t, out, path).(map[string]any)
			if !ok || len(m) != 1 || m[want] == nil {
				t.Errorf("langs %v: %s = %v, want only %s", c.langs, path, at(t, out, path), want)
			}
		}
		// Agents, extensions and attachments are returned as in exact.
		if len(at(t, out, "object.definition.extensions").(map[string]any)["http://example.com/ext"].(map[string]any)) != 2 {
			t.Errorf("langs %v: an extension's map was filtered", c.langs)
		}
		if len(at(t, out, "attachments[0].display").(map[string]any)) != 2 {
			t.Errorf("langs %v: the attachment display was filtered", c.langs)
		}
		if at(t, out, "actor.member[0].name") != "Ann" {
			t.Errorf("langs %v: the actor was changed", c.langs)
		}
	}
}

func TestParseAcceptLanguage(t *testing.T) {
	cases := []struct {
		header string
		want   []string
	}{
		{"", []string{}},
		{"de", []string{"de"}},
		{"da, en-gb;q=0.8, en;q=0.7", []string{"da", "en-gb", "en"}},
		{"en;q=0.5, fr, de;q=0.9", []string{"fr", "de", "en"}},
		{"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", []string{"fr-CH", "fr", "en", "de", "*"}},
		{"en, de;q=0", []string{"en"}},
		{"en;q=2, de;q=x, es;level=1, it", []string{"it"}},
		{"en_US, 12, zh-Hant-TW", []string{"zh-Hant-TW"}},
		{" en-US ; q=0.3 , ja ", []string{"ja", "en-US"}},
	}
	for _, c := range cases {
		got := ParseAcceptLanguage(c.header)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseAcceptLanguage(%q) (-want +got):\n%s", c.header, diff)
		}
	}
}
