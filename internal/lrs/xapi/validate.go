package xapi

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// The validator walks a parsed statement once, checking every MUST rule of Data 2.2 to 4.6
// (1.0.3) and LRSs 4.2 (2.0.0) that an LRS enforces, and collecting the keys the store indexes.
// Rules are cited by section in comments; "Data" and "Communication" are the 1.0.3 documents,
// "LRSs" the 2.0.0 (IEEE 9274.1.1) book for LRSs.

// maxExtensionDepth bounds the nesting of extension values; deeper values are rejected.
const maxExtensionDepth = 64

type validator struct {
	version   string
	multipart bool // attachments may be sent as parts rather than fileUrl
	path      []pathSeg
	st        *Statement
	sub       bool // inside the object SubStatement
}

func (v *validator) push(key string) { v.path = append(v.path, pathSeg{key: key, idx: -1}) }
func (v *validator) pushIdx(i int)   { v.path = append(v.path, pathSeg{idx: i}) }
func (v *validator) pop()            { v.path = v.path[:len(v.path)-1] }

// under validates m[key], when m has it, with check, key on the path of any error.
func (v *validator) under(m map[string]any, key string, check func(any) *Error) *Error {
	val, ok := m[key]
	if !ok {
		return nil
	}
	v.push(key)
	err := check(val)
	v.pop()
	return err
}

// errf reports a failure at the current path, or at its property leaf when leaf is not empty.
func (v *validator) errf(leaf, format string, args ...any) *Error {
	return badRequest(pathString(v.path, leaf), format, args...)
}

// Allowed properties of each object (Data 2.2.s4.b1.b7, LRSs 4.2.1: any other is rejected,
// extensions excepted).
var (
	statementKeys    = []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
	subStatementKeys = []string{"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
	agentKeys        = []string{"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
	groupKeys        = []string{"objectType", "name", "member", "mbox", "mbox_sha1sum", "openid", "account"}
	accountKeys      = []string{"homePage", "name"}
	verbKeys         = []string{"id", "display"}
	activityKeys     = []string{"objectType", "id", "definition"}
	definitionKeys   = []string{"name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
	componentKeys    = []string{"id", "description"}
	statementRefKeys = []string{"objectType", "id"}
	resultKeys       = []string{"score", "success", "completion", "response", "duration", "extensions"}
	scoreKeys        = []string{"scaled", "raw", "min", "max"}
	context103Keys   = []string{"registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement", "extensions"}
	context200Keys   = []string{"registration", "instructor", "team", "contextActivities", "contextAgents", "contextGroups", "revision", "platform", "language", "statement", "extensions"}
	ctxActivityKeys  = []string{"parent", "grouping", "category", "other"}
	contextAgentKeys = []string{"objectType", "agent", "relevantTypes"}
	contextGroupKeys = []string{"objectType", "group", "relevantTypes"}
	attachmentKeys   = []string{"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)

// checkKeys rejects a property of m that is not allowed, or whose value is null (Data
// 2.2.s4.b1.b1: no nulls outside extensions; b5: keys are case-sensitive). Of several offending
// properties the first in sort order is reported, so errors do not depend on map order.
func (v *validator) checkKeys(m map[string]any, allowed []string) *Error {
	// The common case, every property allowed and none null, costs one lookup per allowed key.
	n := 0
	for _, k := range allowed {
		if val, ok := m[k]; ok {
			if val == nil {
				n = -1
				break
			}
			n++
		}
	}
	if n == len(m) {
		return nil
	}
	found, bad, unknown := false, "", false
	for k, val := range m {
		isUnknown := !contains(allowed, k)
		if !isUnknown && val != nil {
			continue
		}
		if !found || k < bad {
			found, bad, unknown = true, k, isUnknown
		}
	}
	if !found {
		return nil
	}
	if !unknown {
		return v.errf(bad, "must not be null")
	}
	for _, a := range allowed {
		if strings.EqualFold(a, bad) {
			return v.errf(bad, "is not a property of this object (property names are case-sensitive: %s)", strconv.Quote(a))
		}
	}
	return v.errf(bad, "is not a property of this object")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Typed accessors. Each returns whether the property is present and an error when it has the
// wrong JSON type (Data 2.2.s4.b1.b2-b3: no strings for numbers or booleans).

func (v *validator) getString(m map[string]any, key string) (string, bool, *Error) {
	val, ok := m[key]
	if !ok {
		return "", false, nil
	}
	s, isStr := val.(string)
	if !isStr {
		return "", true, v.errf(key, "must be a string")
	}
	return s, true, nil
}

func (v *validator) getObject(m map[string]any, key, what string) (map[string]any, bool, *Error) {
	val, ok := m[key]
	if !ok {
		return nil, false, nil
	}
	o, isObj := val.(map[string]any)
	if !isObj {
		return nil, true, v.errf(key, "must be %s", what)
	}
	return o, true, nil
}

func (v *validator) getBool(m map[string]any, key string) *Error {
	if val, ok := m[key]; ok {
		if _, isBool := val.(bool); !isBool {
			return v.errf(key, "must be true or false")
		}
	}
	return nil
}

func (v *validator) getNumber(m map[string]any, key string) (float64, bool, *Error) {
	val, ok := m[key]
	if !ok {
		return 0, false, nil
	}
	f, isNum := number(val)
	if !isNum {
		return 0, true, v.errf(key, "must be a number")
	}
	return f, true, nil
}

// number returns the value of a JSON number as float64; it rejects numbers too large for it.
func number(val any) (float64, bool) {
	var f float64
	switch n := val.(type) {
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(n), 64); err != nil {
			return 0, false
		}
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	default:
		return 0, false
	}
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

// getIRI reads a property that must be an IRI (or IRL), required or not.
func (v *validator) getIRI(m map[string]any, key string, required bool) (string, *Error) {
	s, ok, err := v.getString(m, key)
	if err != nil {
		return "", err
	}
	if !ok {
		if required {
			return "", v.errf(key, "is required")
		}
		return "", nil
	}
	if !ValidIRI(s) {
		return "", v.errf(key, "%s is not an absolute IRI", strconv.Quote(s))
	}
	return s, nil
}

func (v *validator) getUUID(m map[string]any, key string, required bool) (string, *Error) {
	s, ok, err := v.getString(m, key)
	if err != nil {
		return "", err
	}
	if !ok {
		if required {
			return "", v.errf(key, "is required")
		}
		return "", nil
	}
	if !ValidUUID(s) {
		return "", v.errf(key, "%s is not a UUID", strconv.Quote(s))
	}
	return lowerASCII(s), nil
}

func (v *validator) requireObject(val any, what string) (map[string]any, *Error) {
	m, ok := val.(map[string]any)
	if !ok {
		return nil, v.errf("", "must be %s", what)
	}
	return m, nil
}

// statement validates a statement, or with sub the SubStatement that is the object of one
// (Data 2.4, 2.4.4.3; LRSs 4.2.2).
func (v *validator) statement(m map[string]any, sub bool) *Error {
	st := v.st
	if sub {
		// Data 2.4.4.3.s8.b3: a SubStatement has no id, stored, version or authority.
		for _, k := range []string{"authority", "id", "stored", "version"} {
			if _, ok := m[k]; ok {
				return v.errf(k, "is not allowed in a SubStatement")
			}
		}
		if err := v.checkKeys(m, subStatementKeys); err != nil {
			return err
		}
	} else if err := v.checkKeys(m, statementKeys); err != nil {
		return err
	}
	// Data 2.2.s2.b3: actor, verb and object are required.
	for _, k := range []string{"actor", "verb", "object"} {
		if _, ok := m[k]; !ok {
			return v.errf(k, "is required")
		}
	}
	if !sub {
		id, err := v.getUUID(m, "id", false) // Data 2.4.1
		if err != nil {
			return err
		}
		st.ID = id
		if val, ok := m["stored"]; ok { // Data 2.4.8: validated, then overwritten by the LRS
			if _, err := v.timestamp(val, "stored"); err != nil {
				return err
			}
		}
		if s, ok, err := v.getString(m, "version"); err != nil {
			return err
		} else if ok && !validStatementVersion(s, v.version) {
			if v.version == V103 {
				return v.errf("version", "%s is not a 1.0.x version", strconv.Quote(s))
			}
			return v.errf("version", "%s is not a 1.0.x or 2.0.x version", strconv.Quote(s))
		}
		if err := v.under(m, "authority", v.authority); err != nil {
			return err
		}
	}

	v.push("actor")
	am, err := v.requireObject(m["actor"], "an Agent or Group object")
	var actorKey string
	var members []string
	if err == nil {
		actorKey, members, err = v.actor(am)
	}
	v.pop()
	if err != nil {
		return err
	}
	if sub {
		v.related(actorKey)
	} else {
		st.Actor, st.Members = actorKey, members
	}
	for _, k := range members {
		v.related(k)
	}

	v.push("verb")
	verbID, err := v.verb(m["verb"])
	v.pop()
	if err != nil {
		return err
	}
	if !sub {
		st.Verb = verbID
	}

	v.push("object")
	objType, objID, err := v.object(m["object"], sub)
	v.pop()
	if err != nil {
		return err
	}
	// Data 2.3.2.s2.b1-b2, LRSs 4.2.5: a voiding statement's object is a StatementRef.
	if verbID == VoidedVerb {
		if objType != "StatementRef" {
			return v.errf("object.objectType", "must be StatementRef: the verb %s voids the statement the object refers to", VoidedVerb)
		}
		if !sub {
			st.Voids = objID
		}
	}

	if err := v.under(m, "result", v.result); err != nil {
		return err
	}
	if val, ok := m["context"]; ok {
		v.push("context")
		err := v.context(val, objType)
		v.pop()
		if err != nil {
			return err
		}
	}
	if val, ok := m["timestamp"]; ok {
		t, err := v.timestamp(val, "timestamp")
		if err != nil {
			return err
		}
		if !sub {
			st.Timestamp = t
		}
	}
	if err := v.under(m, "attachments", v.attachments); err != nil {
		return err
	}
	return nil
}

// timestamp validates a Timestamp: ISO 8601 under 1.0.3 (Data 4.5), RFC 3339 under 2.0.0.
func (v *validator) timestamp(val any, leaf string) (time.Time, *Error) {
	s, ok := val.(string)
	if !ok {
		return time.Time{}, v.errf(leaf, "must be a string holding a timestamp")
	}
	strict := v.version == V200
	t, ok := parseTime(s, strict)
	if !ok {
		if strict {
			return time.Time{}, v.errf(leaf, "%s is not an RFC 3339 timestamp with a time zone offset", strconv.Quote(s))
		}
		return time.Time{}, v.errf(leaf, "%s is not an ISO 8601 timestamp", strconv.Quote(s))
	}
	return t, nil
}

// related records an agent key the related_agents filter matches.
func (v *validator) related(key string) {
	if key != "" && !contains(v.st.RelatedAgents, key) {
		v.st.RelatedAgents = append(v.st.RelatedAgents, key)
	}
}

// relatedActivity records an activity id the related_activities filter matches.
func (v *validator) relatedActivity(id string) {
	if !contains(v.st.RelatedActivities, id) {
		v.st.RelatedActivities = append(v.st.RelatedActivities, id)
	}
}

// actor validates an Agent or a Group (Data 2.4.2): objectType is optional for an Agent and
// required for a Group. It returns the agent key ("" for an anonymous group) and member keys.
func (v *validator) actor(m map[string]any) (string, []string, *Error) {
	ot, ok, err := v.getString(m, "objectType")
	if err != nil {
		return "", nil, err
	}
	switch {
	case !ok || ot == "Agent":
		key, err := v.agent(m)
		return key, nil, err
	case ot == "Group":
		key, members, _, err := v.group(m)
		return key, members, err
	}
	return "", nil, v.errf("objectType", "must be \"Agent\" or \"Group\", not %s", strconv.Quote(ot))
}

// agent validates an Agent (Data 2.4.2.1): exactly one inverse functional identifier.
func (v *validator) agent(m map[string]any) (string, *Error) {
	if err := v.checkKeys(m, agentKeys); err != nil {
		return "", err
	}
	if ot, ok, err := v.getString(m, "objectType"); err != nil {
		return "", err
	} else if ok && ot != "Agent" {
		return "", v.errf("objectType", "must be \"Agent\", not %s", strconv.Quote(ot))
	}
	if _, _, err := v.getString(m, "name"); err != nil {
		return "", err
	}
	key, n, err := v.ifi(m)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", v.errf("", "an Agent needs one inverse functional identifier: mbox, mbox_sha1sum, openid or account")
	}
	return key, nil
}

// group validates a Group (Data 2.4.2.2): an identified group has exactly one inverse
// functional identifier, an anonymous group at least one member, and members are Agents, never
// Groups. It returns the key, the member keys and whether the group is anonymous.
func (v *validator) group(m map[string]any) (string, []string, bool, *Error) {
	if err := v.checkKeys(m, groupKeys); err != nil {
		return "", nil, false, err
	}
	if _, _, err := v.getString(m, "name"); err != nil {
		return "", nil, false, err
	}
	key, n, err := v.ifi(m)
	if err != nil {
		return "", nil, false, err
	}
	var members []string
	val, has := m["member"]
	if has {
		list, ok := val.([]any)
		if !ok {
			return "", nil, false, v.errf("member", "must be an array of Agent objects")
		}
		v.push("member")
		for i, e := range list {
			v.pushIdx(i)
			mm, err := v.requireObject(e, "an Agent object")
			if err == nil {
				if ot, _ := mm["objectType"].(string); ot == "Group" {
					err = v.errf("objectType", "must be \"Agent\": the members of a group are agents, not groups")
				}
			}
			var k string
			if err == nil {
				k, err = v.agent(mm)
			}
			v.pop()
			if err != nil {
				v.pop()
				return "", nil, false, err
			}
			members = append(members, k)
		}
		v.pop()
	}
	anonymous := n == 0
	if anonymous && len(members) == 0 {
		if has {
			return "", nil, false, v.errf("member", "an anonymous group needs at least one member")
		}
		return "", nil, false, v.errf("member", "is required: a group without an inverse functional identifier is anonymous and must list its members")
	}
	return key, members, anonymous, nil
}

// ifi validates the inverse functional identifiers of an agent or group (Data 2.4.2.3) and
// returns the key and how many there are; more than one is an error.
func (v *validator) ifi(m map[string]any) (string, int, *Error) {
	var present []string
	for _, k := range [...]string{"mbox", "mbox_sha1sum", "openid", "account"} {
		if _, ok := m[k]; ok {
			present = append(present, k)
		}
	}
	switch len(present) {
	case 0:
		return "", 0, nil
	case 1:
	default:
		return "", len(present), v.errf("", "has %d inverse functional identifiers (%s) but may have only one", len(present), strings.Join(present, ", "))
	}
	switch present[0] {
	case "mbox":
		s, _, err := v.getString(m, "mbox")
		if err != nil {
			return "", 1, err
		}
		if !validMbox(s) {
			return "", 1, v.errf("mbox", "%s is not a mailto IRI of one e-mail address (\"mailto:name@example.com\")", strconv.Quote(s))
		}
		return "mbox:" + normalizeMbox(s), 1, nil
	case "mbox_sha1sum":
		s, _, err := v.getString(m, "mbox_sha1sum")
		if err != nil {
			return "", 1, err
		}
		if !validSHA1(s) {
			return "", 1, v.errf("mbox_sha1sum", "%s is not the 40 hexadecimal digits of a SHA-1 hash", strconv.Quote(s))
		}
		return "mbox_sha1sum:" + lowerASCII(s), 1, nil
	case "openid":
		s, _, err := v.getString(m, "openid")
		if err != nil {
			return "", 1, err
		}
		if !validIRI(s, true) {
			return "", 1, v.errf("openid", "%s is not an absolute URI", strconv.Quote(s))
		}
		return "openid:" + s, 1, nil
	}
	acct, _, err := v.getObject(m, "account", "an account object")
	if err != nil {
		return "", 1, err
	}
	v.push("account")
	defer v.pop()
	if err := v.checkKeys(acct, accountKeys); err != nil { // Data 2.4.2.4
		return "", 1, err
	}
	home, err := v.getIRI(acct, "homePage", true)
	if err != nil {
		return "", 1, err
	}
	name, ok, err := v.getString(acct, "name")
	if err != nil {
		return "", 1, err
	}
	if !ok {
		return "", 1, v.errf("name", "is required")
	}
	return "account:" + home + "|" + name, 1, nil
}

// authority validates the authority (Data 2.4.9): an Agent, or for 3-legged OAuth an anonymous
// Group of exactly two Agents.
func (v *validator) authority(val any) *Error {
	m, err := v.requireObject(val, "an Agent or Group object")
	if err != nil {
		return err
	}
	if ot, _ := m["objectType"].(string); ot == "Group" {
		key, members, anonymous, err := v.group(m)
		if err != nil {
			return err
		}
		if !anonymous {
			return v.errf("", "an authority group must be anonymous: it pairs an OAuth consumer and a user")
		}
		if len(members) != 2 {
			return v.errf("member", "an authority group has exactly two agents (an OAuth consumer and a user), not %d", len(members))
		}
		v.related(key)
		for _, k := range members {
			v.related(k)
		}
		return nil
	}
	key, _, err := v.actor(m)
	if err != nil {
		return err
	}
	v.related(key)
	return nil
}

// verb validates a Verb (Data 2.4.3) and returns its id.
func (v *validator) verb(val any) (string, *Error) {
	m, err := v.requireObject(val, "a Verb object")
	if err != nil {
		return "", err
	}
	if err := v.checkKeys(m, verbKeys); err != nil {
		return "", err
	}
	id, err := v.getIRI(m, "id", true)
	if err != nil {
		return "", err
	}
	if d, ok := m["display"]; ok {
		v.push("display")
		err := v.langMap(d)
		v.pop()
		if err != nil {
			return "", err
		}
	}
	return id, nil
}

// object validates the object of a statement (Data 2.4.4) and returns its objectType and id.
func (v *validator) object(val any, sub bool) (string, string, *Error) {
	m, err := v.requireObject(val, "an object: an Activity, Agent, Group, StatementRef or SubStatement")
	if err != nil {
		return "", "", err
	}
	ot, ok, err := v.getString(m, "objectType")
	if err != nil {
		return "", "", err
	}
	if !ok {
		ot = "Activity" // Data 2.4.4.s2: the default
	}
	st := v.st
	var id string
	switch ot {
	case "Activity":
		if id, err = v.activity(m); err != nil {
			return "", "", err
		}
		if sub {
			v.relatedActivity(id)
		}
	case "Agent":
		// Data 2.4.4.2: an agent object states its objectType, which is how it is told apart.
		if id, err = v.agent(m); err != nil {
			return "", "", err
		}
		if sub {
			v.related(id)
		}
	case "Group":
		var members []string
		if id, members, _, err = v.group(m); err != nil {
			return "", "", err
		}
		if sub {
			v.related(id)
		} else {
			st.ObjectMembers = members
		}
		for _, k := range members {
			v.related(k)
		}
	case "StatementRef":
		if id, err = v.statementRef(m); err != nil {
			return "", "", err
		}
	case "SubStatement":
		if sub {
			// Data 2.4.4.3.s8.b4, LRSs 4.2.4.2.
			return "", "", v.errf("objectType", "a SubStatement cannot contain another SubStatement")
		}
		v.sub = true
		err := v.statement(m, true)
		v.sub = false
		if err != nil {
			return "", "", err
		}
	default:
		return "", "", v.errf("objectType", "must be Activity, Agent, Group, StatementRef or SubStatement, not %s", strconv.Quote(ot))
	}
	if !sub {
		st.ObjectType, st.ObjectID = ot, id
	}
	return ot, id, nil
}

// statementRef validates a Statement Reference (Data 2.4.4.3) and returns the lower-case id.
func (v *validator) statementRef(m map[string]any) (string, *Error) {
	if err := v.checkKeys(m, statementRefKeys); err != nil {
		return "", err
	}
	if ot, _, err := v.getString(m, "objectType"); err != nil {
		return "", err
	} else if ot != "StatementRef" {
		return "", v.errf("objectType", "must be \"StatementRef\"")
	}
	return v.getUUID(m, "id", true)
}

// activity validates an Activity (Data 2.4.4.1) and returns its id.
func (v *validator) activity(m map[string]any) (string, *Error) {
	if err := v.checkKeys(m, activityKeys); err != nil {
		return "", err
	}
	if ot, ok, err := v.getString(m, "objectType"); err != nil {
		return "", err
	} else if ok && ot != "Activity" {
		return "", v.errf("objectType", "must be \"Activity\", not %s", strconv.Quote(ot))
	}
	id, err := v.getIRI(m, "id", true)
	if err != nil {
		return "", err
	}
	def, ok, err := v.getObject(m, "definition", "an Activity Definition object")
	if err != nil {
		return "", err
	}
	if ok {
		v.push("definition")
		err := v.definition(def)
		v.pop()
		if err != nil {
			return "", err
		}
	}
	return id, nil
}

// interactionLists maps each interactionType to the interaction component lists it supports
// (Data 2.4.4.1 "Interaction Components").
var interactionLists = map[string][]string{
	"true-false":   nil,
	"choice":       {"choices"},
	"fill-in":      nil,
	"long-fill-in": nil,
	"matching":     {"source", "target"},
	"performance":  {"steps"},
	"sequencing":   {"choices"},
	"likert":       {"scale"},
	"numeric":      nil,
	"other":        nil,
}

var componentLists = []string{"choices", "scale", "source", "target", "steps"}

// definition validates an Activity Definition, interaction properties included.
func (v *validator) definition(m map[string]any) *Error {
	if err := v.checkKeys(m, definitionKeys); err != nil {
		return err
	}
	for _, k := range [...]string{"name", "description"} {
		if val, ok := m[k]; ok {
			v.push(k)
			err := v.langMap(val)
			v.pop()
			if err != nil {
				return err
			}
		}
	}
	if _, err := v.getIRI(m, "type", false); err != nil {
		return err
	}
	if _, err := v.getIRI(m, "moreInfo", false); err != nil {
		return err
	}
	if err := v.under(m, "extensions", v.extensions); err != nil {
		return err
	}
	it, hasType, err := v.getString(m, "interactionType")
	if err != nil {
		return err
	}
	lists, known := interactionLists[it]
	if hasType && !known {
		// Data 2.2.s4.b1.b6: enumerated values match exactly, case included.
		return v.errf("interactionType", "%s is not an interaction type: use true-false, choice, fill-in, long-fill-in, matching, performance, sequencing, likert, numeric or other", strconv.Quote(it))
	}
	if val, ok := m["correctResponsesPattern"]; ok {
		if !hasType {
			return v.errf("correctResponsesPattern", "needs an interactionType")
		}
		list, ok := val.([]any)
		if !ok {
			return v.errf("correctResponsesPattern", "must be an array of strings")
		}
		for i, e := range list {
			if _, ok := e.(string); !ok {
				return v.errf("correctResponsesPattern["+strconv.Itoa(i)+"]", "must be a string")
			}
		}
	}
	for _, name := range componentLists {
		val, ok := m[name]
		if !ok {
			continue
		}
		if !hasType {
			return v.errf(name, "needs an interactionType")
		}
		if !contains(lists, name) {
			return v.errf(name, "is not an interaction component list of interactionType %s", strconv.Quote(it))
		}
		v.push(name)
		err := v.components(val)
		v.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

// components validates an interaction component list: objects with a distinct string id and an
// optional description (Data 2.4.4.1.s16).
func (v *validator) components(val any) *Error {
	list, ok := val.([]any)
	if !ok {
		return v.errf("", "must be an array of interaction components")
	}
	ids := make([]string, 0, len(list))
	for i, e := range list {
		v.pushIdx(i)
		err := v.component(e, &ids)
		v.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) component(val any, ids *[]string) *Error {
	m, err := v.requireObject(val, "an interaction component object")
	if err != nil {
		return err
	}
	if err := v.checkKeys(m, componentKeys); err != nil {
		return err
	}
	id, ok, err := v.getString(m, "id")
	if err != nil {
		return err
	}
	if !ok {
		return v.errf("id", "is required")
	}
	if contains(*ids, id) {
		return v.errf("id", "%s is used by another component of the list; ids must be distinct", strconv.Quote(id))
	}
	*ids = append(*ids, id)
	if d, ok := m["description"]; ok {
		v.push("description")
		err := v.langMap(d)
		v.pop()
		return err
	}
	return nil
}

// result validates a Result (Data 2.4.5).
func (v *validator) result(val any) *Error {
	m, err := v.requireObject(val, "a Result object")
	if err != nil {
		return err
	}
	if err := v.checkKeys(m, resultKeys); err != nil {
		return err
	}
	if score, ok, err := v.getObject(m, "score", "a Score object"); err != nil {
		return err
	} else if ok {
		v.push("score")
		err := v.score(score)
		v.pop()
		if err != nil {
			return err
		}
	}
	if err := v.getBool(m, "success"); err != nil {
		return err
	}
	if err := v.getBool(m, "completion"); err != nil {
		return err
	}
	if _, _, err := v.getString(m, "response"); err != nil {
		return err
	}
	if d, ok, err := v.getString(m, "duration"); err != nil {
		return err
	} else if ok && !ValidDuration(d) {
		return v.errf("duration", "%s is not an ISO 8601 duration such as \"PT1H30M5.25S\"", strconv.Quote(d))
	}
	if val, ok := m["extensions"]; ok {
		v.push("extensions")
		err := v.extensions(val)
		v.pop()
		return err
	}
	return nil
}

// score validates a Score (Data 2.4.5.1): scaled in [-1, 1], min < max, raw in [min, max].
func (v *validator) score(m map[string]any) *Error {
	if err := v.checkKeys(m, scoreKeys); err != nil {
		return err
	}
	scaled, hasScaled, err := v.getNumber(m, "scaled")
	if err != nil {
		return err
	}
	raw, hasRaw, err := v.getNumber(m, "raw")
	if err != nil {
		return err
	}
	lo, hasMin, err := v.getNumber(m, "min")
	if err != nil {
		return err
	}
	hi, hasMax, err := v.getNumber(m, "max")
	if err != nil {
		return err
	}
	switch {
	case hasScaled && (scaled < -1 || scaled > 1):
		return v.errf("scaled", "must be between -1 and 1")
	case hasMin && hasMax && lo >= hi:
		return v.errf("min", "must be less than max")
	case hasRaw && hasMin && raw < lo:
		return v.errf("raw", "must not be less than min")
	case hasRaw && hasMax && raw > hi:
		return v.errf("raw", "must not be greater than max")
	}
	return nil
}

// context validates a Context (Data 2.4.6, LRSs 4.2.2.5); objType is the objectType of the
// statement's object.
func (v *validator) context(val any, objType string) *Error {
	m, err := v.requireObject(val, "a Context object")
	if err != nil {
		return err
	}
	keys := context200Keys
	if v.version == V103 {
		keys = context103Keys
		for _, k := range [...]string{"contextAgents", "contextGroups"} {
			if _, ok := m[k]; ok {
				return v.errf(k, "is a property of xAPI 2.0.0; this request is served as xAPI %s", V103)
			}
		}
	}
	if err := v.checkKeys(m, keys); err != nil {
		return err
	}
	reg, err := v.getUUID(m, "registration", false)
	if err != nil {
		return err
	}
	if !v.sub {
		v.st.Registration = reg
	}
	if val, ok := m["instructor"]; ok {
		v.push("instructor")
		im, err := v.requireObject(val, "an Agent or Group object")
		if err == nil {
			err = v.relatedActor(im)
		}
		v.pop()
		if err != nil {
			return err
		}
	}
	if err := v.under(m, "team", v.team); err != nil {
		return err
	}
	if err := v.under(m, "contextActivities", v.contextActivities); err != nil {
		return err
	}
	// Data 2.4.6.s4.b1-b2: revision and platform only with an Activity object.
	for _, k := range [...]string{"revision", "platform"} {
		if _, ok, err := v.getString(m, k); err != nil {
			return err
		} else if ok && objType != "Activity" {
			return v.errf(k, "is allowed only when the statement's object is an Activity, not a %s", objType)
		}
	}
	if lang, ok, err := v.getString(m, "language"); err != nil {
		return err
	} else if ok && !ValidLanguageTag(lang) {
		return v.errf("language", "%s is not an RFC 5646 language tag", strconv.Quote(lang))
	}
	if ref, ok, err := v.getObject(m, "statement", "a StatementRef object"); err != nil {
		return err
	} else if ok {
		v.push("statement")
		_, err := v.statementRef(ref)
		v.pop()
		if err != nil {
			return err
		}
	}
	if err := v.under(m, "extensions", v.extensions); err != nil {
		return err
	}
	for _, k := range [...]string{"contextAgents", "contextGroups"} {
		if val, ok := m[k]; ok {
			v.push(k)
			err := v.contextRelations(val, k == "contextGroups")
			v.pop()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// relatedActor validates an Agent or Group and records it and its members as related.
func (v *validator) relatedActor(m map[string]any) *Error {
	key, members, err := v.actor(m)
	if err != nil {
		return err
	}
	v.related(key)
	for _, k := range members {
		v.related(k)
	}
	return nil
}

// team validates context.team, which is a Group (Data 2.4.6).
func (v *validator) team(val any) *Error {
	m, err := v.requireObject(val, "a Group object")
	if err != nil {
		return err
	}
	if ot, _ := m["objectType"].(string); ot != "Group" {
		return v.errf("objectType", "must be \"Group\": a team is a group")
	}
	key, members, _, err := v.group(m)
	if err != nil {
		return err
	}
	v.related(key)
	for _, k := range members {
		v.related(k)
	}
	return nil
}

// contextActivities validates the contextActivities map (Data 2.4.6.2): keys parent, grouping,
// category and other, each an Activity or an array of Activities, and at least one key.
func (v *validator) contextActivities(val any) *Error {
	m, err := v.requireObject(val, "an object of context activities")
	if err != nil {
		return err
	}
	if len(m) == 0 {
		return v.errf("", "must have at least one of parent, grouping, category or other")
	}
	if err := v.checkKeys(m, ctxActivityKeys); err != nil {
		return err
	}
	for _, k := range ctxActivityKeys {
		val, ok := m[k]
		if !ok {
			continue
		}
		v.push(k)
		var err *Error
		switch a := val.(type) {
		case map[string]any:
			err = v.contextActivity(a)
		case []any:
			for i, e := range a {
				v.pushIdx(i)
				am, e2 := v.requireObject(e, "an Activity object")
				if e2 == nil {
					e2 = v.contextActivity(am)
				}
				v.pop()
				if e2 != nil {
					err = e2
					break
				}
			}
		default:
			err = v.errf("", "must be an Activity object or an array of them")
		}
		v.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) contextActivity(m map[string]any) *Error {
	id, err := v.activity(m)
	if err != nil {
		return err
	}
	v.relatedActivity(id)
	return nil
}

// contextRelations validates 2.0.0 contextAgents or contextGroups (LRSs 4.2.2.5): arrays of
// contextAgent {objectType, agent, relevantTypes} or contextGroup {objectType, group,
// relevantTypes} objects; relevantTypes, when present, holds one or more IRIs.
func (v *validator) contextRelations(val any, groups bool) *Error {
	list, ok := val.([]any)
	if !ok {
		if groups {
			return v.errf("", "must be an array of contextGroup objects")
		}
		return v.errf("", "must be an array of contextAgent objects")
	}
	objectType, member, keys := "contextAgent", "agent", contextAgentKeys
	if groups {
		objectType, member, keys = "contextGroup", "group", contextGroupKeys
	}
	for i, e := range list {
		v.pushIdx(i)
		err := v.contextRelation(e, objectType, member, keys)
		v.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) contextRelation(val any, objectType, member string, keys []string) *Error {
	m, err := v.requireObject(val, "a "+objectType+" object")
	if err != nil {
		return err
	}
	if err := v.checkKeys(m, keys); err != nil {
		return err
	}
	ot, ok, err := v.getString(m, "objectType")
	if err != nil {
		return err
	}
	if !ok {
		return v.errf("objectType", "is required")
	}
	if ot != objectType {
		return v.errf("objectType", "must be %s, not %s", strconv.Quote(objectType), strconv.Quote(ot))
	}
	who, ok, err := v.getObject(m, member, "an object")
	if err != nil {
		return err
	}
	if !ok {
		return v.errf(member, "is required")
	}
	v.push(member)
	wot, _ := who["objectType"].(string)
	switch {
	case member == "agent" && wot == "Group":
		err = v.errf("objectType", "must be \"Agent\": use contextGroups for groups")
	case member == "agent":
		var key string
		if key, err = v.agent(who); err == nil {
			v.related(key)
		}
	case wot != "Group":
		err = v.errf("objectType", "must be \"Group\"")
	default:
		var key string
		var members []string
		if key, members, _, err = v.group(who); err == nil {
			v.related(key)
			for _, k := range members {
				v.related(k)
			}
		}
	}
	v.pop()
	if err != nil {
		return err
	}
	if val, ok := m["relevantTypes"]; ok {
		types, isList := val.([]any)
		if !isList {
			return v.errf("relevantTypes", "must be an array of IRIs")
		}
		if len(types) == 0 {
			return v.errf("relevantTypes", "must hold at least one IRI when present")
		}
		for i, t := range types {
			s, isStr := t.(string)
			if !isStr || !ValidIRI(s) {
				return v.errf("relevantTypes["+strconv.Itoa(i)+"]", "must be an absolute IRI")
			}
		}
	}
	return nil
}

// langMap validates a Language Map (Data 4.2): an object with at least one entry, whose keys are
// RFC 5646 language tags and whose values are strings.
func (v *validator) langMap(val any) *Error {
	m, ok := val.(map[string]any)
	if !ok {
		return v.errf("", "must be a language map: an object of language tags to strings")
	}
	if len(m) == 0 {
		return v.errf("", "must hold at least one language")
	}
	found, bad, badTag := false, "", false
	for k, s := range m {
		invalid := !ValidLanguageTag(k)
		if _, isStr := s.(string); isStr && !invalid {
			continue
		}
		if !found || k < bad {
			found, bad, badTag = true, k, invalid
		}
	}
	if !found {
		return nil
	}
	if badTag {
		return v.errf("", "%s is not an RFC 5646 language tag", strconv.Quote(bad))
	}
	return v.errf(bad, "must be a string")
}

// extensions validates an extensions map (Data 4.1): keys are IRIs; values are anything, null
// included, but no deeper than maxExtensionDepth levels.
func (v *validator) extensions(val any) *Error {
	m, ok := val.(map[string]any)
	if !ok {
		return v.errf("", "must be an object whose keys are IRIs")
	}
	found, bad := false, ""
	for k, x := range m {
		if ValidIRI(k) && depthWithin(x, maxExtensionDepth) {
			continue
		}
		if !found || k < bad {
			found, bad = true, k
		}
	}
	if !found {
		return nil
	}
	if !ValidIRI(bad) {
		return v.errf("", "key %s is not an absolute IRI", strconv.Quote(bad))
	}
	return v.errf("", "the value of %s is nested deeper than %d levels", strconv.Quote(bad), maxExtensionDepth)
}

// depthWithin reports whether a JSON value nests no deeper than max levels of objects and arrays.
func depthWithin(x any, max int) bool {
	switch t := x.(type) {
	case map[string]any:
		if max == 0 {
			return false
		}
		for _, e := range t {
			if !depthWithin(e, max-1) {
				return false
			}
		}
	case []any:
		if max == 0 {
			return false
		}
		for _, e := range t {
			if !depthWithin(e, max-1) {
				return false
			}
		}
	}
	return true
}

// attachments validates the attachments array (Data 2.4.11) and records each attachment.
func (v *validator) attachments(val any) *Error {
	list, ok := val.([]any)
	if !ok {
		return v.errf("", "must be an array of Attachment objects")
	}
	for i, e := range list {
		v.pushIdx(i)
		err := v.attachment(e)
		v.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) attachment(val any) *Error {
	m, err := v.requireObject(val, "an Attachment object")
	if err != nil {
		return err
	}
	if err := v.checkKeys(m, attachmentKeys); err != nil {
		return err
	}
	var a Attachment
	if a.UsageType, err = v.getIRI(m, "usageType", true); err != nil {
		return err
	}
	d, ok := m["display"]
	if !ok {
		return v.errf("display", "is required")
	}
	v.push("display")
	err = v.langMap(d)
	v.pop()
	if err != nil {
		return err
	}
	a.Display, _ = d.(map[string]any)
	if desc, ok := m["description"]; ok {
		v.push("description")
		err := v.langMap(desc)
		v.pop()
		if err != nil {
			return err
		}
	}
	ct, ok, err := v.getString(m, "contentType")
	switch {
	case err != nil:
		return err
	case !ok:
		return v.errf("contentType", "is required")
	case !validMediaType(ct):
		return v.errf("contentType", "%s is not an Internet media type such as \"text/plain\"", strconv.Quote(ct))
	}
	a.ContentType = ct
	// Data 2.6.s4.b1, LRSs 4.2.6: a signature is sent as application/octet-stream.
	if a.UsageType == SignatureUsage && mediaTypeOf(ct) != "application/octet-stream" {
		return v.errf("contentType", "must be application/octet-stream for a signature attachment")
	}
	lv, ok := m["length"]
	if !ok {
		return v.errf("length", "is required")
	}
	n, isInt := integer(lv)
	if !isInt || n < 0 {
		return v.errf("length", "must be a non-negative integer: the number of octets")
	}
	a.Length = n
	sha, ok, err := v.getString(m, "sha2")
	switch {
	case err != nil:
		return err
	case !ok:
		return v.errf("sha2", "is required")
	case !validSHA2(sha):
		return v.errf("sha2", "%s is not the hexadecimal SHA-224, SHA-256, SHA-384 or SHA-512 hash of the data", strconv.Quote(sha))
	}
	a.SHA2 = lowerASCII(sha)
	if a.FileURL, err = v.getIRI(m, "fileUrl", false); err != nil {
		return err
	}
	// Communication 1.5.2: in an application/json request every attachment has a fileUrl.
	if a.FileURL == "" && !v.multipart {
		return v.errf("fileUrl", "is required in an application/json request; send the attachment data as a multipart/mixed part instead")
	}
	v.st.Attachments = append(v.st.Attachments, a)
	return nil
}

// integer returns the value of a JSON number that is an integer.
func integer(val any) (int64, bool) {
	if n, ok := val.(json.Number); ok {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, true
		}
	}
	f, ok := number(val)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}
