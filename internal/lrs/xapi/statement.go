package xapi

import (
	"strconv"
	"strings"
	"time"
)

// SignatureUsage is the usageType of the attachment that carries a statement's JWS signature
// (Data 2.6, LRSs 4.2.6).
const SignatureUsage = "http://adlnet.gov/expapi/attachments/signature"

// VoidedVerb is the reserved verb of a statement that voids another (Data 2.3.2).
const VoidedVerb = "http://adlnet.gov/expapi/verbs/voided"

// Attachment is the header of one attachment of a statement (Data 2.4.11).
type Attachment struct {
	UsageType   string
	ContentType string
	SHA2        string // lower-case hexadecimal
	FileURL     string
	Length      int64
	Display     map[string]any
}

// Statement is one parsed, validated statement and the keys the store indexes it by.
//
// Agent keys are those of AgentKey. Actor, ObjectID (for Agent and Group objects), Members and
// ObjectMembers are what the plain "agent" query parameter matches (Communication 2.1.3: the
// actor or object, or a group whose members include the agent). RelatedAgents and
// RelatedActivities hold what related_agents and related_activities match beyond the actor and
// the object.
type Statement struct {
	ID   string         // lower-case canonical UUID, "" when the statement had none
	Tree map[string]any // the statement as a JSON tree (numbers as json.Number), as received

	Actor         string   // agent key of the actor; "" for an anonymous group
	Members       []string // agent keys of the actor group's members, if any
	Verb          string   // verb id
	ObjectType    string   // Activity, Agent, Group, StatementRef or SubStatement
	ObjectID      string   // activity id; agent key for Agent and Group objects; statement id for StatementRef; "" for SubStatement
	ObjectMembers []string // agent keys of the members of a Group object, if any
	Registration  string   // context.registration in lower case, or ""
	Voids         string   // for a voiding statement (verb VoidedVerb, StatementRef object): the target id

	// RelatedAgents holds, without duplicates, the agent keys of every agent and identified
	// group in the statement other than the actor and the object themselves: group members
	// (of the actor, the object and any other group), context instructor and team, 2.0.0 context
	// agents and groups, the authority as received, and in a sub-statement its actor, object and
	// context agents.
	RelatedAgents []string
	// RelatedActivities holds, without duplicates, the ids of every activity in the statement
	// other than its object: context activities of every kind and, in a sub-statement, its object
	// and context activities.
	RelatedActivities []string

	Timestamp   time.Time    // the timestamp in UTC; zero when absent
	Attachments []Attachment // the statement's attachments, then its sub-statement's
}

// ParseStatements parses the body of a POST: one statement object, or an array of them (array is
// then true). Every statement is validated against the rules of version (V103 or V200); the first
// failure is returned as an *Error whose Path starts with "[i]" for the i-th statement of an array.
// An empty array is valid and yields no statements. Statements of one batch must not share an id
// (Communication 2.1.2, LRSs 4.1.6.1).
//
// The body is an application/json request, so every attachment must have a fileUrl
// (Communication 1.5.2); use ParseMultipart for multipart/mixed requests.
func ParseStatements(body []byte, version string) (sts []*Statement, array bool, err error) {
	return parseStatements(body, version, false)
}

// ParseStatement parses the body of a PUT: exactly one statement object, validated like
// ParseStatements.
func ParseStatement(body []byte, version string) (*Statement, error) {
	return parseOne(body, version, false)
}

func parseOne(body []byte, version string, multipart bool) (*Statement, error) {
	sts, array, err := parseStatements(body, version, multipart)
	if err != nil {
		return nil, err
	}
	if array {
		return nil, badRequest("", "the body must be one statement object, not an array")
	}
	return sts[0], nil
}

func parseStatements(body []byte, version string, multipart bool) ([]*Statement, bool, error) {
	if !knownVersion(version) {
		return nil, false, badRequest(VersionHeader, "version %s is not supported", strconv.Quote(version))
	}
	tree, perr := parseJSON(body, nil)
	if perr != nil {
		return nil, false, perr
	}
	switch t := tree.(type) {
	case map[string]any:
		st, err := validateStatement(t, version, multipart, nil)
		if err != nil {
			return nil, false, err
		}
		return []*Statement{st}, false, nil
	case []any:
		if len(t) == 0 {
			return nil, true, nil
		}
		sts := make([]*Statement, len(t))
		root := make([]pathSeg, 1, 16)
		for i, e := range t {
			root[0] = pathSeg{idx: i}
			m, ok := e.(map[string]any)
			if !ok {
				return nil, true, badRequest(pathString(root, ""), "must be a statement object")
			}
			st, err := validateStatement(m, version, multipart, root)
			if err != nil {
				return nil, true, err
			}
			sts[i] = st
		}
		if err := duplicateIDs(sts); err != nil {
			return nil, true, err
		}
		return sts, true, nil
	}
	return nil, false, badRequest("", "the body must be a statement object or an array of statements")
}

// duplicateIDs rejects a batch in which two statements have the same id.
func duplicateIDs(sts []*Statement) *Error {
	if len(sts) < 2 {
		return nil
	}
	seen := make(map[string]int, len(sts))
	for i, st := range sts {
		if st.ID == "" {
			continue
		}
		if j, dup := seen[st.ID]; dup {
			return badRequest("["+strconv.Itoa(i)+"].id", "statement %d of the batch has the same id, %s", j, st.ID)
		}
		seen[st.ID] = i
	}
	return nil
}

func validateStatement(m map[string]any, version string, multipart bool, root []pathSeg) (*Statement, *Error) {
	st := &Statement{Tree: m}
	v := validator{version: version, multipart: multipart, st: st, path: root}
	if err := v.statement(m, false); err != nil {
		return nil, err
	}
	st.RelatedAgents = without(st.RelatedAgents, st.Actor, agentObjectKey(st))
	if st.ObjectType == "Activity" {
		st.RelatedActivities = without(st.RelatedActivities, st.ObjectID, "")
	}
	return st, nil
}

func agentObjectKey(st *Statement) string {
	if st.ObjectType == "Agent" || st.ObjectType == "Group" {
		return st.ObjectID
	}
	return ""
}

// without removes a and b from list, keeping its order.
func without(list []string, a, b string) []string {
	out := list[:0]
	for _, s := range list {
		if s != a && s != b {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// AgentKey returns the inverse functional identifier of an agent or identified group as one
// string, the key by which the store indexes and matches agents:
//
//	"mbox:mailto:<address>"   scheme and domain in lower case, local part as given
//	"mbox_sha1sum:<hex>"      in lower case
//	"openid:<uri>"            as given
//	"account:<homePage>|<name>"
//
// An IRI cannot contain "|", so the account form is unambiguous. The case rules follow Data
// 2.3.1: a URI scheme and the domain of an e-mail address are case-insensitive, hexadecimal digits
// are, everything else is compared as given. AgentKey returns "" for an anonymous group or a value
// without an identifier; it does not validate (see ParseAgent).
func AgentKey(agent map[string]any) string {
	if s, ok := agent["mbox"].(string); ok {
		return "mbox:" + normalizeMbox(s)
	}
	if s, ok := agent["mbox_sha1sum"].(string); ok {
		return "mbox_sha1sum:" + lowerASCII(s)
	}
	if s, ok := agent["openid"].(string); ok {
		return "openid:" + s
	}
	if acct, ok := agent["account"].(map[string]any); ok {
		home, _ := acct["homePage"].(string)
		name, _ := acct["name"].(string)
		return "account:" + home + "|" + name
	}
	return ""
}

// normalizeMbox lower-cases the scheme and the domain of a mailto IRI.
func normalizeMbox(s string) string {
	if len(s) < 7 {
		return s
	}
	at := strings.LastIndexByte(s, '@')
	if at < 7 {
		return lowerASCII(s[:7]) + s[7:]
	}
	scheme, domain := s[:7], s[at+1:]
	if lowerASCII(scheme) == scheme && lowerASCII(domain) == domain {
		return s
	}
	return lowerASCII(scheme) + s[7:at+1] + strings.ToLower(domain)
}

// ParseAgent parses and validates an agent or group given as JSON in a query parameter ("agent"
// of the Statement, State, Agents and Agent Profile resources), by the same rules as in a
// statement (Data 2.2.s4.b4: parameters are validated to the standards of statement values). The
// value must carry an identifier, so an anonymous group is rejected. It returns the tree and its
// AgentKey; errors are *Error whose Path starts with param.
func ParseAgent(param string, data []byte, version string) (map[string]any, string, error) {
	if !knownVersion(version) {
		return nil, "", badRequest(VersionHeader, "version %s is not supported", strconv.Quote(version))
	}
	root := []pathSeg{{key: param, idx: -1}}
	tree, perr := parseJSON(data, root)
	if perr != nil {
		return nil, "", perr
	}
	m, ok := tree.(map[string]any)
	if !ok {
		return nil, "", badRequest(param, "must be an Agent or identified Group object")
	}
	v := validator{version: version, st: &Statement{}, path: root}
	key, _, err := v.actor(m)
	if err != nil {
		return nil, "", err
	}
	if key == "" {
		return nil, "", badRequest(param, "must be an Agent or an identified Group: an anonymous group has no identifier to match")
	}
	return m, key, nil
}
