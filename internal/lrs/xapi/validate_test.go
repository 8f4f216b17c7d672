package xapi

import (
	"strings"
	"testing"
)

const (
	validAttachment = `{"usageType": "http://example.com/attachment-usage/test", "display": {"en-US": "A test attachment", "de": "Eine Testbefestigung"},
		"description": {"en-US": "A test attachment (description)"}, "contentType": "text/plain; charset=ascii", "length": 27,
		"sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a", "fileUrl": "http://over.there.com/file.txt"}`
	twoMemberGroup = `{"objectType": "Group", "member": [{"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}}, {"mbox": "mailto:bob@example.com"}]}`
	contextAgents  = `[{"objectType": "contextAgent", "agent": {"objectType": "Agent", "mbox": "mailto:player-1@example.com"},
		"relevantTypes": ["https://example.com/xapi/american-footbal/activity-types/personnel/player"]}]`
	contextGroups = `[{"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:team-1@example.com",
		"member": [{"objectType": "Agent", "mbox": "mailto:player-1@example.com"}]}, "relevantTypes": ["https://example.com/types/team/a"]}]`
)

// vcase is one validation case: a statement (baseStatement with edits, or raw) and the path of
// the error it must fail with ("" for valid). Unless only is set, it runs under both versions.
type vcase struct {
	name  string
	raw   string
	edits []edit
	only  string
	path  string
	msg   string
}

func runCases(t *testing.T, cases []vcase) {
	t.Helper()
	for _, c := range cases {
		for _, version := range []string{V103, V200} {
			if c.only != "" && c.only != version {
				continue
			}
			t.Run(version+"/"+c.name, func(t *testing.T) {
				body := []byte(c.raw)
				if c.raw == "" {
					body = build(t, baseStatement, c.edits...)
				}
				_, _, err := ParseStatements(body, version)
				checkErr(t, err, c.path, c.msg)
			})
		}
	}
}

// Data 2.2 Formatting Requirements and LRSs 4.2.1 Table Guidelines (XAPI-00001 to 00013, 00021).
func TestFormattingRequirements(t *testing.T) {
	runCases(t, []vcase{
		{name: "valid", path: ""},
		{name: "actor required", edits: []edit{remove("actor")}, path: "actor", msg: "required"},
		{name: "verb required", edits: []edit{remove("verb")}, path: "verb", msg: "required"},
		{name: "object required", edits: []edit{remove("object")}, path: "object", msg: "required"},
		{name: "null name", edits: []edit{set("actor.name", "null")}, path: "actor.name", msg: "null"},
		{name: "null display value", edits: []edit{set("verb.display.en-US", "null")}, path: "verb.display.en-US", msg: "string"},
		{name: "null registration", edits: []edit{set("context.registration", "null")}, path: "context.registration", msg: "null"},
		{name: "null moreInfo", edits: []edit{set("object.definition.moreInfo", "null")}, path: "object.definition.moreInfo", msg: "null"},
		{name: "null context", edits: []edit{set("context", "null")}, path: "context", msg: "null"},
		{name: "null in activity extensions", edits: []edit{set("object.definition.extensions", `{"http://example.com/null": null}`)}},
		{name: "null in result extensions", edits: []edit{set("result.extensions", `{"http://example.com/null": null}`)}},
		{name: "null in context extensions", edits: []edit{set("context.extensions", `{"http://example.com/null": {"a": [null]}}`)}},
		{name: "null in substatement extensions", edits: []edit{set("object", subStatement), set("object.result.extensions", `{"http://example.com/null": null}`)}},
		{name: "string for number", edits: []edit{set("result.score.max", `"one hundred"`)}, path: "result.score.max", msg: "number"},
		{name: "numeric string for number", edits: []edit{set("result.score.max", `"100"`)}, path: "result.score.max", msg: "number"},
		{name: "string for boolean", edits: []edit{set("result.success", `"We regret to inform you"`)}, path: "result.success", msg: "true or false"},
		{name: "boolean string for boolean", edits: []edit{set("result.completion", `"false"`)}, path: "result.completion"},
		{name: "empty string IRI", edits: []edit{set("verb.id", `""`)}, path: "verb.id", msg: "IRI"},
		{name: "key case id", edits: []edit{set("iD", `"fd41c918-b88b-4b20-a0a5-a4c32391aaa1"`)}, path: "iD", msg: `case-sensitive: "id"`},
		{name: "key case Actor", edits: []edit{remove("actor"), set("Actor", `{"mbox": "mailto:a@example.com"}`)}, path: "Actor"},
		{name: "key case timeStamp", edits: []edit{set("timeStamp", `"2013-05-18T05:32:34.804Z"`)}, path: "timeStamp"},
		{name: "key case STOred", edits: []edit{set("STOred", `"2013-05-18T05:32:34.804Z"`)}, path: "STOred"},
		{name: "key case Version", edits: []edit{set("Version", `"1.0.3"`)}, path: "Version"},
		{name: "key case attachmentS", edits: []edit{set("attachmentS", "["+validAttachment+"]")}, path: "attachmentS"},
		{name: "key case mbox", edits: []edit{remove("actor.mbox"), set("actor.Mbox", `"mailto:a@example.com"`)}, path: "actor.Mbox"},
		{name: "unknown top-level property", edits: []edit{set("foo", `"bar"`)}, path: "foo", msg: "not a property"},
		{name: "unknown actor property", edits: []edit{set("actor.age", `3`)}, path: "actor.age"},
		{name: "unknown verb property", edits: []edit{set("verb.name", `"x"`)}, path: "verb.name"},
		{name: "unknown definition property", edits: []edit{set("object.definition.title", `"x"`)}, path: "object.definition.title"},
		{name: "unknown result property", edits: []edit{set("result.grade", `"A"`)}, path: "result.grade"},
		{name: "unknown score property", edits: []edit{set("result.score.percent", `5`)}, path: "result.score.percent"},
		{name: "unknown context property", edits: []edit{set("context.location", `"x"`)}, path: "context.location"},
		{name: "unknown account property", edits: []edit{remove("actor.mbox"), set("actor.account", `{"homePage": "http://example.com", "name": "n", "id": 1}`)}, path: "actor.account.id"},
		{name: "enumeration case", edits: []edit{set("object.definition.interactionType", `"true-faLse"`)}, path: "object.definition.interactionType"},
		{name: "duplicate property", raw: `{"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://example.com/v"},
			"object": {"id": "http://example.com/a"}, "actor": {"mbox": "mailto:b@example.com"}}`, path: "actor", msg: "more than once"},
		{name: "duplicate nested property", raw: `{"actor": {"mbox": "mailto:a@example.com", "name": "a", "name": "b"}, "verb": {"id": "http://example.com/v"},
			"object": {"id": "http://example.com/a"}}`, path: "actor.name", msg: "more than once"},
		{name: "malformed JSON", raw: `{"actor": `, path: "actor", msg: "invalid JSON"},
		{name: "trailing data", raw: baseStatement + "x", path: rootPath, msg: "after the JSON value"},
		{name: "invalid UTF-8", raw: "{\"actor\": {\"name\": \"\xff\", \"mbox\": \"mailto:a@example.com\"}}", path: "actor.name", msg: "UTF-8"},
		{name: "lone surrogate", raw: `{"actor": {"name": "\ud800x", "mbox": "mailto:a@example.com"}}`, path: "actor.name", msg: "surrogate"},
		{name: "escaped strings are read", raw: `{"actor": {"name": "J\u00fcrgen \"J\" \ud83d\ude00", "mbox": "mailto:a@example.com"},
			"verb": {"id": "http:\/\/example.com\/v"}, "object": {"id": "http://example.com/a"}}`},
		{name: "not an object", raw: `"statement"`, path: rootPath, msg: "statement object"},
	})
}

// Data 2.4.1 ID, 4.4 UUIDs (XAPI-00027 to 00030).
func TestIDAndUUIDs(t *testing.T) {
	runCases(t, []vcase{
		{name: "no id", edits: []edit{remove("id")}},
		{name: "upper-case id", edits: []edit{set("id", `"FD41C918-B88B-4B20-A0A5-A4C32391AAA0"`)}},
		{name: "any variant", edits: []edit{set("id", `"fd41c918-b88b-4b20-c0a5-a4c32391aaa0"`)}},
		{name: "numeric id", edits: []edit{set("id", `12345`)}, path: "id", msg: "string"},
		{name: "object id", edits: []edit{set("id", `{"key": "should fail"}`)}, path: "id"},
		{name: "too many digits", edits: []edit{set("id", `"AA97B177-9383-4934-8543-0F91A7A028368"`)}, path: "id", msg: "UUID"},
		{name: "non-hex letter", edits: []edit{set("id", `"MA97B177-9383-4934-8543-0F91A7A02836"`)}, path: "id"},
		{name: "no hyphens", edits: []edit{set("id", `"fd41c918b88b4b20a0a5a4c32391aaa0"`)}, path: "id"},
		{name: "braces", edits: []edit{set("id", `"{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}"`)}, path: "id"},
		{name: "statementref id", edits: []edit{set("object", `{"objectType": "StatementRef", "id": "AA97B177-9383-4934-8543-0F91A7A028368"}`)}, path: "object.id"},
		{name: "statementref numeric id", edits: []edit{set("object", `{"objectType": "StatementRef", "id": 12345}`)}, path: "object.id"},
		{name: "registration", edits: []edit{set("context.registration", `"MA97B177-9383-4934-8543-0F91A7A02836"`)}, path: "context.registration"},
		{name: "registration object", edits: []edit{set("context.registration", `{"key": "should fail"}`)}, path: "context.registration"},
		{name: "context statement id", edits: []edit{set("context.statement", `{"objectType": "StatementRef", "id": 12345}`)}, path: "context.statement.id"},
	})
}

// Data 2.4.2 Actor, 2.4.2.1-2.4.2.4 Agents, Groups, IFIs and accounts (XAPI-00031 to 00043).
func TestActor(t *testing.T) {
	const anonymous = `{"objectType": "Group", "name": "Team", "member": [{"mbox": "mailto:a@example.com"}, {"objectType": "Agent", "openid": "http://openid.example.org/a"}]}`
	runCases(t, []vcase{
		{name: "agent without objectType", edits: []edit{remove("actor.objectType")}},
		{name: "objectType lower case", edits: []edit{set("actor.objectType", `"agent"`)}, path: "actor.objectType"},
		{name: "objectType numeric", edits: []edit{set("actor.objectType", `123`)}, path: "actor.objectType", msg: "string"},
		{name: "objectType Person", edits: []edit{set("actor.objectType", `"Person"`)}, path: "actor.objectType"},
		{name: "name numeric", edits: []edit{set("actor.name", `123`)}, path: "actor.name", msg: "string"},
		{name: "not an object", edits: []edit{set("actor", `"should fail"`)}, path: "actor", msg: "Agent or Group"},
		{name: "no IFI", edits: []edit{remove("actor.mbox")}, path: "actor", msg: "one inverse functional identifier"},
		{name: "two IFIs", edits: []edit{set("actor.openid", `"http://openid.example.org/12345"`)}, path: "actor", msg: "only one"},
		{name: "mbox not mailto", edits: []edit{set("actor.mbox", `"http://should.fail.com"`)}, path: "actor.mbox", msg: "mailto"},
		{name: "mbox without address", edits: []edit{set("actor.mbox", `"mailto:should.fail.com"`)}, path: "actor.mbox"},
		{name: "mbox without mailto", edits: []edit{set("actor.mbox", `"agent@example.com"`)}, path: "actor.mbox"},
		{name: "mbox upper-case scheme", edits: []edit{set("actor.mbox", `"MAILTO:Agent@Example.COM"`)}},
		{name: "mbox_sha1sum", edits: []edit{remove("actor.mbox"), set("actor.mbox_sha1sum", `"CD9B00A5611F94EAA7B1661EDAB976068E364975"`)}},
		{name: "mbox_sha1sum object", edits: []edit{remove("actor.mbox"), set("actor.mbox_sha1sum", `{"key": "value"}`)}, path: "actor.mbox_sha1sum", msg: "string"},
		{name: "mbox_sha1sum short", edits: []edit{remove("actor.mbox"), set("actor.mbox_sha1sum", `"cd9b00a5611f94ea"`)}, path: "actor.mbox_sha1sum"},
		{name: "openid", edits: []edit{remove("actor.mbox"), set("actor.openid", `"http://openid.example.org/12345"`)}},
		{name: "openid invalid", edits: []edit{remove("actor.mbox"), set("actor.openid", `"ab=c://should.fail.com"`)}, path: "actor.openid", msg: "URI"},
		{name: "account", edits: []edit{remove("actor.mbox"), set("actor.account", `{"homePage": "http://www.example.com", "name": "1625378"}`)}},
		{name: "account homePage invalid", edits: []edit{remove("actor.mbox"), set("actor.account", `{"homePage": "ab=c://should.fail.com", "name": "n"}`)}, path: "actor.account.homePage"},
		{name: "account without homePage", edits: []edit{remove("actor.mbox"), set("actor.account", `{"name": "n"}`)}, path: "actor.account.homePage", msg: "required"},
		{name: "account without name", edits: []edit{remove("actor.mbox"), set("actor.account", `{"homePage": "http://www.example.com"}`)}, path: "actor.account.name", msg: "required"},
		{name: "account name object", edits: []edit{remove("actor.mbox"), set("actor.account", `{"homePage": "http://www.example.com", "name": {"key": "value"}}`)}, path: "actor.account.name", msg: "string"},
		{name: "account not an object", edits: []edit{remove("actor.mbox"), set("actor.account", `"n"`)}, path: "actor.account"},
		{name: "anonymous group", edits: []edit{set("actor", anonymous)}},
		{name: "identified group without members", edits: []edit{set("actor", `{"objectType": "Group", "openid": "http://openid.example.org/team"}`)}},
		{name: "identified group with empty members", edits: []edit{set("actor", `{"objectType": "Group", "mbox": "mailto:team@example.com", "member": []}`)}},
		{name: "anonymous group without members", edits: []edit{set("actor", `{"objectType": "Group", "name": "Team"}`)}, path: "actor.member", msg: "required"},
		{name: "anonymous group with empty members", edits: []edit{set("actor", `{"objectType": "Group", "member": []}`)}, path: "actor.member", msg: "at least one"},
		{name: "group with two IFIs", edits: []edit{set("actor", `{"objectType": "Group", "mbox": "mailto:t@example.com", "openid": "http://openid.example.org/t"}`)}, path: "actor", msg: "only one"},
		{name: "group member is a group", edits: []edit{set("actor", anonymous), set("actor.member[1]", `{"objectType": "Group", "mbox": "mailto:g@example.com"}`)}, path: "actor.member[1].objectType", msg: "not groups"},
		{name: "group member without IFI", edits: []edit{set("actor", anonymous), set("actor.member[1]", `{"name": "nobody"}`)}, path: "actor.member[1]"},
		{name: "group member invalid mbox", edits: []edit{set("actor", anonymous), set("actor.member[0].mbox", `"mailto:nobody"`)}, path: "actor.member[0].mbox"},
		{name: "members not an array", edits: []edit{set("actor", `{"objectType": "Group", "member": {"mbox": "mailto:a@example.com"}}`)}, path: "actor.member", msg: "array"},
		{name: "member on an agent", edits: []edit{set("actor.member", `[{"mbox": "mailto:b@example.com"}]`)}, path: "actor.member", msg: "not a property"},
	})
}

// Data 2.4.3 Verb, 2.3.2 Voiding, 4.2 Language Maps (XAPI-00044, 00045, 00121).
func TestVerbAndLanguageMaps(t *testing.T) {
	runCases(t, []vcase{
		{name: "no display", edits: []edit{remove("verb.display")}},
		{name: "id required", edits: []edit{remove("verb.id")}, path: "verb.id", msg: "required"},
		{name: "id not an IRI", edits: []edit{set("verb.id", `"attended"`)}, path: "verb.id", msg: "IRI"},
		{name: "id bad scheme", edits: []edit{set("verb.id", `"ab=c://should.fail.com"`)}, path: "verb.id"},
		{name: "id with space", edits: []edit{set("verb.id", `"http://example.com/my verb"`)}, path: "verb.id"},
		{name: "IRI with unicode", edits: []edit{set("verb.id", `"http://example.com/فعل/خواندن"`)}},
		{name: "verb not an object", edits: []edit{set("verb", `"http://example.com/v"`)}, path: "verb"},
		{name: "display string", edits: []edit{set("verb.display", `"should error"`)}, path: "verb.display", msg: "language map"},
		{name: "display empty", edits: []edit{set("verb.display", `{}`)}, path: "verb.display", msg: "at least one"},
		{name: "display invalid tag", edits: []edit{set("verb.display", `{"a12345": "should error"}`)}, path: "verb.display", msg: "a12345"},
		{name: "display two regions", edits: []edit{set("verb.display", `{"de-419-DE": "besucht"}`)}, path: "verb.display"},
		{name: "display value number", edits: []edit{set("verb.display", `{"en-US": 5}`)}, path: "verb.display.en-US", msg: "string"},
		{name: "display many tags", edits: []edit{set("verb.display", `{"de": "besucht", "i-enochian": "x", "zh-Hant": "x", "sr-Latn-RS": "x",
			"sl-rozaj-biske": "x", "de-CH-1901": "x", "hy-Latn-IT-arevela": "x", "az-Arab-x-AZE-derbend": "x", "x-whatever": "x", "zh-cmn-Hans-CN": "x"}`)}},
		{name: "substatement display invalid", edits: []edit{set("object", subStatement), set("object.verb.display", `{"de-419-DE": "besucht"}`)}, path: "object.verb.display"},
		{name: "voiding", edits: []edit{set("verb.id", `"`+VoidedVerb+`"`), set("object", `{"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}`)}},
		{name: "voiding an activity", edits: []edit{set("verb.id", `"`+VoidedVerb+`"`)}, path: "object.objectType", msg: "StatementRef"},
		{name: "voiding without target id", edits: []edit{set("verb.id", `"`+VoidedVerb+`"`), set("object", `{"objectType": "StatementRef"}`)}, path: "object.id", msg: "required"},
		{name: "substatement voiding an activity", edits: []edit{set("object", subStatement), set("object.verb.id", `"`+VoidedVerb+`"`)}, path: "object.object.objectType"},
	})
}

// Data 2.4.4 Object: activities, definitions and interactions, agents and groups as objects,
// statement references and sub-statements (XAPI-00046 to 00073).
func TestObject(t *testing.T) {
	choice := `{"objectType": "Activity", "id": "http://example.com/q1", "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
		"interactionType": "choice", "correctResponsesPattern": ["golf[,]tetris"],
		"choices": [{"id": "golf", "description": {"en-US": "Golf Example"}}, {"id": "tetris", "description": {"en-US": "Tetris Example"}}]}}`
	runCases(t, []vcase{
		{name: "activity without objectType", edits: []edit{remove("object.objectType")}},
		{name: "objectType lower case", edits: []edit{set("object.objectType", `"activity"`)}, path: "object.objectType"},
		{name: "objectType unknown", edits: []edit{set("object.objectType", `"Thing"`)}, path: "object.objectType", msg: "Activity, Agent"},
		{name: "activity id required", edits: []edit{remove("object.id")}, path: "object.id", msg: "required"},
		{name: "activity id not an IRI", edits: []edit{set("object.id", `"ab=c://should.fail.com"`)}, path: "object.id"},
		{name: "activity id relative", edits: []edit{set("object.id", `"/meetings/34534"`)}, path: "object.id"},
		{name: "activity id fragment only", edits: []edit{set("object.id", `"#frag"`)}, path: "object.id"},
		{name: "definition not an object", edits: []edit{set("object.definition", `"should error"`)}, path: "object.definition"},
		{name: "name numeric", edits: []edit{set("object.definition.name", `12345`)}, path: "object.definition.name"},
		{name: "name empty", edits: []edit{set("object.definition.name", `{}`)}, path: "object.definition.name"},
		{name: "description string", edits: []edit{set("object.definition.description", `"should error"`)}, path: "object.definition.description"},
		{name: "description invalid tag", edits: []edit{set("object.definition.description", `{"de-419-DE": "x"}`)}, path: "object.definition.description"},
		{name: "type not an IRI", edits: []edit{set("object.definition.type", `"should error"`)}, path: "object.definition.type"},
		{name: "moreInfo not an IRL", edits: []edit{set("object.definition.moreInfo", `"should error"`)}, path: "object.definition.moreInfo"},
		{name: "extensions string", edits: []edit{set("object.definition.extensions", `"should error"`)}, path: "object.definition.extensions"},
		{name: "extension key not an IRI", edits: []edit{set("object.definition.extensions", `{"id": "valid", "description": {"en-US": "valid"}}`)}, path: "object.definition.extensions", msg: "description"},
		{name: "choice", edits: []edit{set("object", choice)}},
		{name: "sequencing", edits: []edit{set("object", choice), set("object.definition.interactionType", `"sequencing"`)}},
		{name: "likert", edits: []edit{set("object.definition", `{"interactionType": "likert", "correctResponsesPattern": ["likert_3"], "scale": [{"id": "likert_0"}, {"id": "likert_3"}]}`)}},
		{name: "matching", edits: []edit{set("object.definition", `{"interactionType": "matching", "source": [{"id": "ben"}], "target": [{"id": "1"}]}`)}},
		{name: "performance", edits: []edit{set("object.definition", `{"interactionType": "performance", "steps": [{"id": "pong"}], "correctResponsesPattern": ["pong[.]1:"]}`)}},
		{name: "other types", edits: []edit{set("object.definition", `{"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]}`)}},
		{name: "choice without choices", edits: []edit{set("object.definition", `{"interactionType": "choice"}`)}},
		{name: "empty correct responses", edits: []edit{set("object.definition", `{"interactionType": "fill-in", "correctResponsesPattern": []}`)}},
		{name: "interactionType invalid", edits: []edit{set("object.definition.interactionType", `"should fail"`)}, path: "object.definition.interactionType"},
		{name: "interactionType IRI", edits: []edit{set("object.definition.interactionType", `"http://adlnet.gov/expapi/activities/cmi.interaction"`)}, path: "object.definition.interactionType"},
		{name: "interactionType numeric", edits: []edit{set("object.definition.interactionType", `12345`)}, path: "object.definition.interactionType", msg: "string"},
		{name: "interactionType object", edits: []edit{set("object.definition.interactionType", `{"key": "x"}`)}, path: "object.definition.interactionType"},
		{name: "correct responses without interactionType", edits: []edit{set("object.definition.correctResponsesPattern", `["x"]`)}, path: "object.definition.correctResponsesPattern", msg: "interactionType"},
		{name: "correct responses not strings", edits: []edit{set("object", choice), set("object.definition.correctResponsesPattern", `["golf", 5]`)}, path: "object.definition.correctResponsesPattern[1]"},
		{name: "correct responses not an array", edits: []edit{set("object", choice), set("object.definition.correctResponsesPattern", `"golf"`)}, path: "object.definition.correctResponsesPattern"},
		{name: "component list for the wrong type", edits: []edit{set("object", choice), set("object.definition.interactionType", `"true-false"`)}, path: "object.definition.choices", msg: "true-false"},
		{name: "scale for choice", edits: []edit{set("object", choice), set("object.definition.scale", `[{"id": "a"}]`)}, path: "object.definition.scale"},
		{name: "component list without interactionType", edits: []edit{set("object.definition.steps", `[{"id": "a"}]`)}, path: "object.definition.steps"},
		{name: "component list not an array", edits: []edit{set("object", choice), set("object.definition.choices", `{"id": "a"}`)}, path: "object.definition.choices"},
		{name: "component not an object", edits: []edit{set("object", choice), set("object.definition.choices[1]", `"tetris"`)}, path: "object.definition.choices[1]"},
		{name: "component without id", edits: []edit{set("object", choice), remove("object.definition.choices[1].id")}, path: "object.definition.choices[1].id", msg: "required"},
		{name: "component id numeric", edits: []edit{set("object", choice), set("object.definition.choices[0].id", `5`)}, path: "object.definition.choices[0].id"},
		{name: "component ids not distinct", edits: []edit{set("object", choice), set("object.definition.choices[1].id", `"golf"`)}, path: "object.definition.choices[1].id", msg: "distinct"},
		{name: "component description invalid", edits: []edit{set("object", choice), set("object.definition.choices[0].description", `{"a12345": "x"}`)}, path: "object.definition.choices[0].description"},
		{name: "component unknown property", edits: []edit{set("object", choice), set("object.definition.choices[0].name", `{"en": "x"}`)}, path: "object.definition.choices[0].name"},
		{name: "agent object", edits: []edit{set("object", `{"objectType": "Agent", "mbox": "mailto:other@example.com"}`)}},
		{name: "agent object without objectType", edits: []edit{set("object", `{"mbox": "mailto:other@example.com"}`)}, path: "object.mbox"},
		{name: "agent object invalid", edits: []edit{set("object", `{"objectType": "Agent", "mbox": "mailto:nobody"}`)}, path: "object.mbox"},
		{name: "group object", edits: []edit{set("object", `{"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}`)}},
		{name: "group object without members", edits: []edit{set("object", `{"objectType": "Group"}`)}, path: "object.member"},
		{name: "statement reference", edits: []edit{set("object", `{"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}`)}},
		{name: "statement reference extra property", edits: []edit{set("object", `{"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0", "definition": {}}`)}, path: "object.definition"},
		{name: "substatement", edits: []edit{set("object", subStatement)}},
		{name: "substatement with statement reference", edits: []edit{set("object", subStatement), set("object.object", `{"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}`)}},
		{name: "substatement with id", edits: []edit{set("object", subStatement), set("object.id", `"8f87ccde-bb56-4c2e-ab83-44982ef22df0"`)}, path: "object.id", msg: "SubStatement"},
		{name: "substatement with stored", edits: []edit{set("object", subStatement), set("object.stored", `"2013-05-18T05:32:34.804Z"`)}, path: "object.stored"},
		{name: "substatement with version", edits: []edit{set("object", subStatement), set("object.version", `"1.0.0"`)}, path: "object.version"},
		{name: "substatement with authority", edits: []edit{set("object", subStatement), set("object.authority", `{"mbox": "mailto:a@example.com"}`)}, path: "object.authority"},
		{name: "nested substatement", edits: []edit{set("object", subStatement), set("object.object", subStatement)}, path: "object.object.objectType", msg: "another SubStatement"},
		{name: "substatement without verb", edits: []edit{set("object", subStatement), remove("object.verb")}, path: "object.verb", msg: "required"},
		{name: "substatement invalid actor", edits: []edit{set("object", subStatement), set("object.actor.mbox", `"mailto:nobody"`)}, path: "object.actor.mbox"},
		{name: "substatement invalid activity", edits: []edit{set("object", subStatement), remove("object.object.id")}, path: "object.object.id"},
		{name: "substatement future timestamp", edits: []edit{set("object", subStatement), set("object.timestamp", `"2999-01-01T00:00:00Z"`)}},
		{name: "substatement invalid timestamp", edits: []edit{set("object", subStatement), set("object.timestamp", `"should fail"`)}, path: "object.timestamp"},
		{name: "substatement attachments", edits: []edit{set("object", subStatement), set("object.attachments", "["+validAttachment+"]")}},
		{name: "substatement invalid attachment", edits: []edit{set("object", subStatement), set("object.attachments", `[5]`)}, path: "object.attachments[0]"},
	})
}

// Data 2.4.5 Result and 2.4.5.1 Score, 4.6 Durations (XAPI-00074 to 00083, 00124).
func TestResult(t *testing.T) {
	runCases(t, []vcase{
		{name: "full result", edits: []edit{set("result", `{"score": {"scaled": 0.6767676, "raw": 12.125, "min": 0.12123434, "max": 45.45},
			"success": true, "completion": false, "response": "We agreed", "duration": "PT1H0M0.1S", "extensions": {"http://example.com/x": [1, 2]}}`)}},
		{name: "not an object", edits: []edit{set("result", `"passed"`)}, path: "result"},
		{name: "score numeric", edits: []edit{set("result.score", `12345`)}, path: "result.score"},
		{name: "score string", edits: []edit{set("result.score", `"should fail"`)}, path: "result.score"},
		{name: "scaled 1.0", edits: []edit{set("result.score.scaled", `1.0`)}},
		{name: "scaled -1.0000", edits: []edit{set("result.score.scaled", `-1.0000`)}},
		{name: "scaled 1.01", edits: []edit{set("result.score.scaled", `1.01`)}, path: "result.score.scaled"},
		{name: "scaled -1.00001", edits: []edit{set("result.score.scaled", `-1.00001`)}, path: "result.score.scaled"},
		{name: "scaled exponent", edits: []edit{set("result.score.scaled", `5e-1`)}},
		{name: "raw above max", edits: []edit{set("result.score", `{"raw": 0.6767676, "max": 0.6567676}`)}, path: "result.score.raw", msg: "max"},
		{name: "raw below min", edits: []edit{set("result.score", `{"raw": 0.6767676, "min": 1.4067676}`)}, path: "result.score.raw", msg: "min"},
		{name: "raw at the bounds", edits: []edit{set("result.score", `{"raw": 10, "min": 10, "max": 20}`)}},
		{name: "raw unbounded", edits: []edit{set("result.score", `{"raw": -1000}`)}},
		{name: "min above max", edits: []edit{set("result.score", `{"min": 0.6767676, "max": 0.6767355, "raw": 0.6767643}`)}, path: "result.score.min"},
		{name: "min equal to max", edits: []edit{set("result.score", `{"min": 5, "max": 5}`)}, path: "result.score.min", msg: "less than max"},
		{name: "max alone", edits: []edit{set("result.score", `{"max": 100.6767676}`)}},
		{name: "huge number", edits: []edit{set("result.score", `{"raw": 1e999}`)}, path: "result.score.raw"},
		{name: "response numeric", edits: []edit{set("result.response", `5`)}, path: "result.response"},
		{name: "duration PT4H35M59.14S", edits: []edit{set("result.duration", `"PT4H35M59.14S"`)}},
		{name: "duration PT16559.14S", edits: []edit{set("result.duration", `"PT16559.14S"`)}},
		{name: "duration P3Y1M29DT4H35M59.14S", edits: []edit{set("result.duration", `"P3Y1M29DT4H35M59.14S"`)}},
		{name: "duration P4W", edits: []edit{set("result.duration", `"P4W"`)}},
		{name: "duration PA1H0M0S", edits: []edit{set("result.duration", `"PA1H0M0S"`)}, path: "result.duration", msg: "ISO 8601"},
		{name: "duration P4W1D", edits: []edit{set("result.duration", `"P4W1D"`)}, path: "result.duration"},
		{name: "duration alternative format", edits: []edit{set("result.duration", `"P0003-01-29T04:35:59"`)}, path: "result.duration"},
		{name: "duration numeric", edits: []edit{set("result.duration", `12345`)}, path: "result.duration"},
		{name: "duration object", edits: []edit{set("result.duration", `{"key": "invalid"}`)}, path: "result.duration"},
		{name: "substatement duration", edits: []edit{set("object", subStatement), set("object.result.duration", `"should fail"`)}, path: "object.result.duration"},
		{name: "extensions not IRIs", edits: []edit{set("result.extensions", `{"score": 5}`)}, path: "result.extensions", msg: `"score"`},
		{name: "extensions array", edits: []edit{set("result.extensions", `[1]`)}, path: "result.extensions"},
	})
}

// Data 2.4.6 Context, 2.4.6.2 contextActivities, LRSs 4.2.2.5 contextAgents and contextGroups
// (XAPI-00084 to 00096).
func TestContext(t *testing.T) {
	const agentObject = `{"objectType": "Agent", "mbox": "mailto:other@example.com"}`
	runCases(t, []vcase{
		{name: "empty context", edits: []edit{set("context", `{}`)}},
		{name: "full context", edits: []edit{set("context", `{"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
			"contextActivities": {"parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
				"category": {"id": "http://www.example.com/meetings/categories/teammeeting"}, "other": [], "grouping": [{"id": "http://example.com/g"}]},
			"instructor": {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
			"team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
			"platform": "Example virtual meeting software", "revision": "2", "language": "tlh",
			"statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
			"extensions": {"http://example.com/profiles/meetings/room": {"name": "Kilby"}}}`)}},
		{name: "not an object", edits: []edit{set("context", `"x"`)}, path: "context"},
		{name: "registration string", edits: []edit{set("context.registration", `"should fail"`)}, path: "context.registration"},
		{name: "instructor object", edits: []edit{set("context.instructor", `{"key": "should fail"}`)}, path: "context.instructor.key"},
		{name: "instructor string", edits: []edit{set("context.instructor", `"should fail"`)}, path: "context.instructor"},
		{name: "instructor group", edits: []edit{set("context.instructor", `{"objectType": "Group", "member": [{"mbox": "mailto:i@example.com"}]}`)}},
		{name: "instructor invalid mbox", edits: []edit{set("context.instructor", `{"mbox": "http://should.fail.com"}`)}, path: "context.instructor.mbox"},
		{name: "team agent", edits: []edit{set("context.team", `{"objectType": "Agent", "mbox": "mailto:a@example.com"}`)}, path: "context.team.objectType", msg: "Group"},
		{name: "team without objectType", edits: []edit{set("context.team", `{"mbox": "mailto:t@example.com"}`)}, path: "context.team.objectType"},
		{name: "team object", edits: []edit{set("context.team", `{"key": "should fail"}`)}, path: "context.team.objectType"},
		{name: "team string", edits: []edit{set("context.team", `"should fail"`)}, path: "context.team"},
		{name: "team account name", edits: []edit{set("context.team", `{"objectType": "Group", "account": {"homePage": "http://example.com", "name": {"key": "x"}}}`)}, path: "context.team.account.name"},
		{name: "contextActivities string", edits: []edit{set("context.contextActivities", `"should fail"`)}, path: "context.contextActivities"},
		{name: "contextActivities empty", edits: []edit{set("context.contextActivities", `{}`)}, path: "context.contextActivities", msg: "at least one"},
		{name: "contextActivities unknown key", edits: []edit{set("context.contextActivities", `{"parents": [{"id": "http://example.com/p"}]}`)}, path: "context.contextActivities.parents"},
		{name: "contextActivities key case", edits: []edit{set("context.contextActivities", `{"Parent": [{"id": "http://example.com/p"}]}`)}, path: "context.contextActivities.Parent"},
		{name: "contextActivities value string", edits: []edit{set("context.contextActivities.parent", `"http://example.com/p"`)}, path: "context.contextActivities.parent"},
		{name: "contextActivities bad id", edits: []edit{set("context.contextActivities.parent", `[{"id": "http://example.com/p"}, {"id": "not an iri"}]`)}, path: "context.contextActivities.parent[1].id"},
		{name: "contextActivities not an activity", edits: []edit{set("context.contextActivities.other", `[{"objectType": "Agent", "mbox": "mailto:a@example.com"}]`)}, path: "context.contextActivities.other[0].mbox"},
		{name: "contextActivities wrong objectType", edits: []edit{set("context.contextActivities.other", `[{"objectType": "Agent", "id": "http://example.com/a"}]`)}, path: "context.contextActivities.other[0].objectType"},
		{name: "contextActivities element string", edits: []edit{set("context.contextActivities.grouping", `["http://example.com/g"]`)}, path: "context.contextActivities.grouping[0]"},
		{name: "contextActivities definition", edits: []edit{set("context.contextActivities.category", `[{"id": "http://example.com/c", "definition": {"name": {"en": "x"}, "type": "nope"}}]`)}, path: "context.contextActivities.category[0].definition.type"},
		{name: "revision numeric", edits: []edit{set("context.revision", `12345`)}, path: "context.revision"},
		{name: "revision object", edits: []edit{set("context.revision", `{"key": "x"}`)}, path: "context.revision"},
		{name: "revision with agent object", edits: []edit{set("object", agentObject), set("context.revision", `"1"`)}, path: "context.revision", msg: "Activity"},
		{name: "revision with group object", edits: []edit{set("object", `{"objectType": "Group", "mbox": "mailto:g@example.com"}`), set("context.revision", `"1"`)}, path: "context.revision"},
		{name: "revision with statement reference", edits: []edit{set("object", `{"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}`), set("context.revision", `"1"`)}, path: "context.revision"},
		{name: "revision with substatement", edits: []edit{set("object", subStatement), set("context.revision", `"1"`)}, path: "context.revision"},
		{name: "platform with agent object", edits: []edit{set("object", agentObject), set("context.platform", `"x"`)}, path: "context.platform"},
		{name: "platform numeric", edits: []edit{set("context.platform", `12345`)}, path: "context.platform"},
		{name: "substatement revision with agent", edits: []edit{set("object", subStatement), set("object.object", agentObject), set("object.context.revision", `"1"`)}, path: "object.context.revision"},
		{name: "substatement platform with activity", edits: []edit{set("object", subStatement), set("object.context.platform", `"x"`)}},
		{name: "language", edits: []edit{set("context.language", `"zh-Hant-TW"`)}},
		{name: "language numeric", edits: []edit{set("context.language", `12345`)}, path: "context.language"},
		{name: "language invalid", edits: []edit{set("context.language", `"a12345"`)}, path: "context.language", msg: "RFC 5646"},
		{name: "statement lower-case objectType", edits: []edit{set("context.statement", `{"objectType": "statementref", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}`)}, path: "context.statement.objectType"},
		{name: "statement without objectType", edits: []edit{set("context.statement", `{"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}`)}, path: "context.statement.objectType"},
		{name: "statement id not a UUID", edits: []edit{set("context.statement", `{"objectType": "StatementRef", "id": "should fail"}`)}, path: "context.statement.id"},
		{name: "contextAgents under 1.0.3", only: V103, edits: []edit{set("context.contextAgents", contextAgents)}, path: "context.contextAgents", msg: "2.0.0"},
		{name: "contextGroups under 1.0.3", only: V103, edits: []edit{set("context.contextGroups", contextGroups)}, path: "context.contextGroups"},
		{name: "contextAgents", only: V200, edits: []edit{set("context.contextAgents", contextAgents)}},
		{name: "contextGroups", only: V200, edits: []edit{set("context.contextGroups", contextGroups)}},
		{name: "substatement contextAgents", only: V200, edits: []edit{set("object", subStatement), set("object.context.contextAgents", contextAgents), set("object.context.contextGroups", contextGroups)}},
		{name: "contextAgents not an array", only: V200, edits: []edit{set("context.contextAgents", `{"objectType": "contextAgent"}`)}, path: "context.contextAgents"},
		{name: "contextAgent objectType", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].objectType", `"Should fail"`)}, path: "context.contextAgents[0].objectType"},
		{name: "contextAgent without objectType", only: V200, edits: []edit{set("context.contextAgents", contextAgents), remove("context.contextAgents[0].objectType")}, path: "context.contextAgents[0].objectType", msg: "required"},
		{name: "contextAgent invalid agent", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].agent", `{"key": "Should fail"}`)}, path: "context.contextAgents[0].agent.key"},
		{name: "contextAgent without agent", only: V200, edits: []edit{set("context.contextAgents", contextAgents), remove("context.contextAgents[0].agent")}, path: "context.contextAgents[0].agent"},
		{name: "contextAgent with a group", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].agent", `{"objectType": "Group", "mbox": "mailto:g@example.com"}`)}, path: "context.contextAgents[0].agent.objectType"},
		{name: "contextAgent empty relevantTypes", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].relevantTypes", `[]`)}, path: "context.contextAgents[0].relevantTypes"},
		{name: "contextAgent relevantTypes not IRIs", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].relevantTypes", `["abc"]`)}, path: "context.contextAgents[0].relevantTypes[0]"},
		{name: "contextAgent without relevantTypes", only: V200, edits: []edit{set("context.contextAgents", contextAgents), remove("context.contextAgents[0].relevantTypes")}},
		{name: "contextAgent unknown property", only: V200, edits: []edit{set("context.contextAgents", contextAgents), set("context.contextAgents[0].member", `[]`)}, path: "context.contextAgents[0].member"},
		{name: "contextGroup objectType", only: V200, edits: []edit{set("context.contextGroups", contextGroups), set("context.contextGroups[0].objectType", `"contextAgent"`)}, path: "context.contextGroups[0].objectType"},
		{name: "contextGroup invalid group", only: V200, edits: []edit{set("context.contextGroups", contextGroups), set("context.contextGroups[0].group", `{"key": "Should fail"}`)}, path: "context.contextGroups[0].group.objectType"},
		{name: "contextGroup anonymous group", only: V200, edits: []edit{set("context.contextGroups", contextGroups), set("context.contextGroups[0].group", `{"objectType": "Group", "member": [{"mbox": "mailto:p@example.com"}]}`)}},
		{name: "contextGroup empty relevantTypes", only: V200, edits: []edit{set("context.contextGroups", contextGroups), set("context.contextGroups[0].relevantTypes", `[]`)}, path: "context.contextGroups[0].relevantTypes"},
		{name: "substatement contextGroup invalid", only: V200, edits: []edit{set("object", subStatement), set("object.context.contextGroups", contextGroups), set("object.context.contextGroups[0].relevantTypes", `["abc"]`)}, path: "object.context.contextGroups[0].relevantTypes[0]"},
	})
}

// Data 2.4.7 Timestamp, 2.4.8 Stored, 4.5 Timestamps; LRSs 4.2.7 (XAPI-00022, 00123).
func TestTimestamps(t *testing.T) {
	runCases(t, []vcase{
		{name: "UTC", edits: []edit{set("timestamp", `"2013-05-18T05:32:34.804Z"`)}},
		{name: "offset", edits: []edit{set("timestamp", `"2015-11-18T12:17:00+00:00"`)}},
		{name: "nanoseconds", edits: []edit{set("timestamp", `"2013-05-18T05:32:34.123456789-05:30"`)}},
		{name: "space separator", edits: []edit{set("timestamp", `"2008-09-15 15:53:00.601+00:00"`)}},
		{name: "future", edits: []edit{set("timestamp", `"2999-01-01T00:00:00Z"`)}},
		{name: "invalid string", edits: []edit{set("timestamp", `"should fail"`)}, path: "timestamp"},
		{name: "invalid date", edits: []edit{set("timestamp", `"01/011/2015"`)}, path: "timestamp"},
		{name: "offset -00", edits: []edit{set("timestamp", `"2008-09-15T15:53:00.601-00"`)}, path: "timestamp"},
		{name: "offset -0000", edits: []edit{set("timestamp", `"2008-09-15T15:53:00.601-0000"`)}, path: "timestamp"},
		{name: "offset -00:00", edits: []edit{set("timestamp", `"2008-09-15T15:53:00.601-00:00"`)}, path: "timestamp"},
		{name: "31 April", edits: []edit{set("timestamp", `"2013-04-31T05:32:34Z"`)}, path: "timestamp"},
		{name: "hour 25", edits: []edit{set("timestamp", `"2013-04-30T25:32:34Z"`)}, path: "timestamp"},
		{name: "numeric", edits: []edit{set("timestamp", `1368855154`)}, path: "timestamp"},
		{name: "date only", edits: []edit{set("timestamp", `"2013-05-18"`)}, path: "timestamp"},
		{name: "no zone under 1.0.3", only: V103, edits: []edit{set("timestamp", `"2013-05-18T05:32:34.804"`)}},
		{name: "no zone under 2.0.0", only: V200, edits: []edit{set("timestamp", `"2013-05-18T05:32:34.804"`)}, path: "timestamp", msg: "RFC 3339"},
		{name: "basic format under 1.0.3", only: V103, edits: []edit{set("timestamp", `"20130518T053234.804+0200"`)}},
		{name: "basic format under 2.0.0", only: V200, edits: []edit{set("timestamp", `"20130518T053234.804+0200"`)}, path: "timestamp"},
		{name: "no seconds under 1.0.3", only: V103, edits: []edit{set("timestamp", `"2013-05-18T05:32Z"`)}},
		{name: "no seconds under 2.0.0", only: V200, edits: []edit{set("timestamp", `"2013-05-18T05:32Z"`)}, path: "timestamp"},
		{name: "stored", edits: []edit{set("stored", `"2013-05-18T05:32:34.804+00:00"`)}},
		{name: "stored invalid", edits: []edit{set("stored", `"yesterday"`)}, path: "stored"},
	})
}

// Data 2.4.9 Authority (XAPI-00024, 00098, 00100).
func TestAuthority(t *testing.T) {
	runCases(t, []vcase{
		{name: "agent", edits: []edit{set("authority", `{"objectType": "Agent", "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}}`)}},
		{name: "oauth pair", edits: []edit{set("authority", twoMemberGroup)}},
		{name: "identified group", edits: []edit{set("authority", twoMemberGroup), set("authority.mbox", `"mailto:bob@example.com"`)}, path: "authority", msg: "anonymous"},
		{name: "identified group by openid", edits: []edit{set("authority", `{"objectType": "Group", "openid": "http://openid.example.org/12345"}`)}, path: "authority"},
		{name: "one member", edits: []edit{set("authority", `{"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]}`)}, path: "authority.member", msg: "exactly two"},
		{name: "three members", edits: []edit{set("authority", twoMemberGroup), set("authority.member[2]", `{"mbox": "mailto:james@example.com"}`)}, path: "authority.member"},
		{name: "no members", edits: []edit{set("authority", `{"objectType": "Group"}`)}, path: "authority.member"},
		{name: "invalid agent", edits: []edit{set("authority", `{"mbox": "http://should.fail.com"}`)}, path: "authority.mbox"},
		{name: "not an object", edits: []edit{set("authority", `"me"`)}, path: "authority"},
	})
}

// Data 2.4.10 Version (XAPI-00101), LRSs 4.2.4.2.
func TestVersionProperty(t *testing.T) {
	runCases(t, []vcase{
		{name: "1.0", edits: []edit{set("version", `"1.0"`)}},
		{name: "1.0.0", edits: []edit{set("version", `"1.0.0"`)}},
		{name: "1.0.9", edits: []edit{set("version", `"1.0.9"`)}},
		{name: "invalid string", edits: []edit{set("version", `"should fail"`)}, path: "version"},
		{name: "0.9.9", edits: []edit{set("version", `"0.9.9"`)}, path: "version"},
		{name: "1.1.0", edits: []edit{set("version", `"1.1.0"`)}, path: "version"},
		{name: "1.0.", edits: []edit{set("version", `"1.0."`)}, path: "version"},
		{name: "numeric", edits: []edit{set("version", `1.0`)}, path: "version", msg: "string"},
		{name: "2.0.0 under 1.0.3", only: V103, edits: []edit{set("version", `"2.0.0"`)}, path: "version"},
		{name: "2.0.0 under 2.0.0", only: V200, edits: []edit{set("version", `"2.0.0"`)}},
		{name: "2.0 under 2.0.0", only: V200, edits: []edit{set("version", `"2.0"`)}},
		{name: "2.1.0 under 2.0.0", only: V200, edits: []edit{set("version", `"2.1.0"`)}, path: "version"},
	})
}

// Data 2.4.11 Attachments, 2.6 signature attachments (XAPI-00025, 00102 to 00107).
func TestAttachments(t *testing.T) {
	one := func(edits ...edit) []edit {
		return append([]edit{set("attachments", "["+validAttachment+"]")}, edits...)
	}
	runCases(t, []vcase{
		{name: "valid", edits: one()},
		{name: "not an array", edits: []edit{set("attachments", validAttachment)}, path: "attachments", msg: "array"},
		{name: "numeric attachment", edits: []edit{set("attachments", `[12345]`)}, path: "attachments[0]"},
		{name: "string attachment", edits: []edit{set("attachments", `["should fail"]`)}, path: "attachments[0]"},
		{name: "usageType invalid", edits: one(set("attachments[0].usageType", `"should fail"`)), path: "attachments[0].usageType"},
		{name: "usageType required", edits: one(remove("attachments[0].usageType")), path: "attachments[0].usageType"},
		{name: "contentType invalid", edits: one(set("attachments[0].contentType", `"should fail"`)), path: "attachments[0].contentType"},
		{name: "contentType required", edits: one(remove("attachments[0].contentType")), path: "attachments[0].contentType"},
		{name: "length string", edits: one(set("attachments[0].length", `"should fail"`)), path: "attachments[0].length"},
		{name: "length negative", edits: one(set("attachments[0].length", `-1`)), path: "attachments[0].length"},
		{name: "length fraction", edits: one(set("attachments[0].length", `27.5`)), path: "attachments[0].length"},
		{name: "length required", edits: one(remove("attachments[0].length")), path: "attachments[0].length"},
		{name: "sha2 numeric", edits: one(set("attachments[0].sha2", `12345`)), path: "attachments[0].sha2"},
		{name: "sha2 not a hash", edits: one(set("attachments[0].sha2", `"495395e777cd98da"`)), path: "attachments[0].sha2"},
		{name: "sha2 required", edits: one(remove("attachments[0].sha2")), path: "attachments[0].sha2"},
		{name: "sha2 SHA-512", edits: one(set("attachments[0].sha2", `"`+strings.Repeat("ab", 64)+`"`))},
		{name: "fileUrl invalid", edits: one(set("attachments[0].fileUrl", `"should fail"`)), path: "attachments[0].fileUrl"},
		{name: "fileUrl required in JSON", edits: one(remove("attachments[0].fileUrl")), path: "attachments[0].fileUrl", msg: "multipart"},
		{name: "display required", edits: one(remove("attachments[0].display")), path: "attachments[0].display"},
		{name: "display empty", edits: one(set("attachments[0].display", `{}`)), path: "attachments[0].display"},
		{name: "display string", edits: one(set("attachments[0].display", `"should error"`)), path: "attachments[0].display"},
		{name: "display invalid tag", edits: one(set("attachments[0].display", `{"de-419-DE": "x"}`)), path: "attachments[0].display"},
		{name: "description numeric", edits: one(set("attachments[0].description", `12345`)), path: "attachments[0].description"},
		{name: "description empty", edits: one(set("attachments[0].description", `{}`)), path: "attachments[0].description"},
		{name: "description invalid tag", edits: one(set("attachments[0].description", `{"en-US": "x", "de-419-DE": "y"}`)), path: "attachments[0].description"},
		{name: "unknown property", edits: one(set("attachments[0].data", `"aGVsbG8="`)), path: "attachments[0].data"},
		{name: "signature with text/plain", edits: one(set("attachments[0].usageType", `"`+SignatureUsage+`"`)), path: "attachments[0].contentType", msg: "octet-stream"},
		{name: "signature with octet-stream", edits: one(set("attachments[0].usageType", `"`+SignatureUsage+`"`), set("attachments[0].contentType", `"application/octet-stream"`))},
	})
}

// Batches (Communication 2.1.2, 3.2; LRSs 4.1.6.1).
func TestBatches(t *testing.T) {
	stmt := func(edits ...edit) string { return string(build(t, baseStatement, edits...)) }
	batch := func(sts ...string) string { return "[" + strings.Join(sts, ",") + "]" }
	runCases(t, []vcase{
		{name: "empty array", raw: `[]`},
		{name: "two statements", raw: batch(stmt(), stmt(set("id", `"fd41c918-b88b-4b20-a0a5-a4c32391aaa1"`)))},
		{name: "error path carries the index", raw: batch(stmt(remove("id")), stmt(remove("id")), stmt(remove("id")), stmt(set("verb.display", `{"x-": "y"}`))), path: "[3].verb.display"},
		{name: "parse error path carries the index", raw: batch(stmt(), `{"actor": {"mbox": 5,}}`), path: "[1].actor", msg: "invalid JSON"},
		{name: "not a statement", raw: `[5]`, path: "[0]"},
		{name: "duplicate ids", raw: batch(stmt(), stmt(set("id", `"FD41C918-B88B-4B20-A0A5-A4C32391AAA0"`))), path: "[1].id", msg: "same id"},
		{name: "statements without ids", raw: batch(stmt(remove("id")), stmt(remove("id")))},
	})
}

func TestParseStatementRejectsArrays(t *testing.T) {
	if _, err := ParseStatement([]byte("["+baseStatement+"]"), V103); err == nil {
		t.Fatal("want an error for an array in a PUT body")
	}
	st, err := ParseStatement([]byte(baseStatement), V200)
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "fd41c918-b88b-4b20-a0a5-a4c32391aaa0" {
		t.Errorf("id = %q", st.ID)
	}
	if _, _, err := ParseStatements([]byte(baseStatement), "1.1.0"); err == nil {
		t.Error("want an error for an unknown version")
	}
}

// Deep nesting is rejected with a clear error instead of exhausting the stack.
func TestNestingDepth(t *testing.T) {
	nest := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	runCases(t, []vcase{
		{name: "extension 64 levels deep", edits: []edit{set("result.extensions", `{"http://example.com/x": `+nest(63)+`}`)}},
		{name: "extension 65 levels deep", edits: []edit{set("result.extensions", `{"http://example.com/x": `+nest(65)+`}`)}, path: "result.extensions", msg: "deeper than 64"},
		{name: "document 10000 levels deep", raw: `{"result": {"extensions": {"http://example.com/x": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}}`, path: "*", msg: "nested deeper than 128"},
	})
}

func TestAgentParameter(t *testing.T) {
	cases := []struct {
		name, json, path, key string
	}{
		{"mbox", `{"mbox": "mailto:Bench1@Example.com"}`, "", "mbox:mailto:Bench1@example.com"},
		{"account", `{"objectType": "Agent", "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"}}`, "", "account:http://www.example.com/agentId/1|Rick James"},
		{"identified group", `{"objectType": "Group", "mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}`, "", "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975"},
		{"anonymous group", `{"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}`, "agent", ""},
		{"invalid mbox", `{"mbox": "bob"}`, "agent.mbox", ""},
		{"two IFIs", `{"mbox": "mailto:a@example.com", "openid": "http://example.com/a"}`, "agent", ""},
		{"unknown property", `{"mbox": "mailto:a@example.com", "age": 3}`, "agent.age", ""},
		{"not JSON", `mailto:a@example.com`, "agent", ""},
		{"array", `[{"mbox": "mailto:a@example.com"}]`, "agent", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tree, key, err := ParseAgent("agent", []byte(c.json), V103)
			checkErr(t, err, c.path, "")
			if c.path == "" {
				if key != c.key {
					t.Errorf("key = %q, want %q", key, c.key)
				}
				if tree == nil || AgentKey(tree) != key {
					t.Errorf("AgentKey(tree) = %q, want %q", AgentKey(tree), key)
				}
			}
		})
	}
}
