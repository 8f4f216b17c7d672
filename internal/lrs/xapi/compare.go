package xapi

import (
	"encoding/json"
	"strings"
	"time"
)

// Equivalent reports whether two statements are the same statement by the Statement Comparison
// Requirements: Data 2.3.1 of 1.0.3 (differences that the exceptions to statement immutability
// could cause are ignored, every other difference counts) and the immutability rules of LRSs 4.2
// of 2.0.0 (actor, verb, object and duration are compared; case, id, the order of group members,
// authority, stored, timestamp, version, attachments and referenced activity definitions are not).
// The LRS uses it to tell a statement re-sent with a known id from a conflicting one, and to check
// that a signed payload matches the statement it signs. The rules, property by property:
//
//   - id, stored, authority, version and timestamp are ignored: the LRS may assign each of them
//     (Data 2.3.1.b1), and 2.0.0 lists them as not considered.
//   - attachments are ignored: they are not part of the statement (Data 2.3.1.b6, LRSs 4.2).
//   - Agents and groups: objectType (an absent one means Agent), name, the inverse functional
//     identifier and the members are compared; members in any order (Data 2.3.1.b5). A mailto
//     scheme and e-mail domain, hexadecimal hashes and IRI schemes and hosts are compared without
//     regard to case (Data 2.3.1.b7, LRSs 4.2 "Case"); the rest of a value is compared exactly.
//   - Verbs: the id only; display is not part of the statement (Data 2.3.1.b3).
//   - Activities, as the object or as context activities: objectType (absent means Activity) and
//     id; the definition is not part of the statement (Data 2.3.1.b2, LRSs 4.2).
//   - StatementRef ids and registrations are UUIDs, compared without regard to case.
//   - A sub-statement is compared by these same rules, its timestamp included: a sub-statement's
//     timestamp is never assigned by the LRS, so only its serialization may differ and it is
//     compared as an instant to the millisecond (Data 2.3.1.b4, 4.5).
//   - Result: score numbers by value, success, completion and response exactly, duration as a
//     string (Data 2.3.1.b8) once any precision beyond 0.01 s is dropped (Data 4.6.s1.b5,
//     LRSs 4.2.7).
//   - Context: a single context activity equals an array holding it (the LRS returns arrays,
//     Data 2.4.6.2.s4.b3); language tags without regard to case; revision and platform exactly;
//     contextAgents and contextGroups in order, with their relevantTypes in order.
//   - Extensions, and any value the rules above do not name, are compared as JSON values: object
//     keys exactly, arrays in order, numbers by value.
func Equivalent(a, b map[string]any) bool {
	return eqStatement(a, b, false)
}

// ignoredTop are the statement properties Equivalent does not compare.
var ignoredTop = []string{"id", "stored", "authority", "version", "timestamp", "attachments"}

func eqStatement(a, b map[string]any, sub bool) bool {
	for k, av := range a {
		switch k {
		case "actor":
			if !eqActor(av, b[k]) {
				return false
			}
		case "verb":
			if !eqVerb(av, b[k]) {
				return false
			}
		case "object":
			if !eqObject(av, b[k]) {
				return false
			}
		case "result":
			if !eqOptional(av, b, k, eqResult) {
				return false
			}
		case "context":
			if !eqOptional(av, b, k, eqContext) {
				return false
			}
		case "objectType":
		case "timestamp":
			if sub && !eqOptional(av, b, k, eqInstant) {
				return false
			}
		default:
			if contains(ignoredTop, k) {
				continue
			}
			bv, ok := b[k]
			if !ok || !eqJSON(av, bv) {
				return false
			}
		}
	}
	// Properties only b has must be ignorable ones.
	for k := range b {
		if _, ok := a[k]; ok || k == "objectType" || (contains(ignoredTop, k) && !(sub && k == "timestamp")) {
			continue
		}
		return false
	}
	return true
}

// eqOptional compares a property that may be absent: absent on both sides is equal.
func eqOptional(av any, b map[string]any, k string, eq func(a, b any) bool) bool {
	bv, ok := b[k]
	return ok && eq(av, bv)
}

func eqActor(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	if objectTypeOr(am, "Agent") != objectTypeOr(bm, "Agent") || !eqField(am, bm, "name", eqJSON) {
		return false
	}
	for _, k := range [...]string{"mbox", "mbox_sha1sum", "openid", "account"} {
		if !eqField(am, bm, k, eqIFI(k)) {
			return false
		}
	}
	if !eqField(am, bm, "member", eqMembers) {
		return false
	}
	for k := range am {
		if !contains(groupKeys, k) && !eqField(am, bm, k, eqJSON) {
			return false
		}
	}
	for k := range bm {
		if _, ok := am[k]; !ok && !contains(groupKeys, k) {
			return false
		}
	}
	return true
}

// objectTypeOr returns the objectType of m, def when it has none; a value that is not a string
// yields a name no valid objectType has.
func objectTypeOr(m map[string]any, def string) string {
	ot, ok := m["objectType"]
	if !ok {
		return def
	}
	if s, ok := ot.(string); ok {
		return s
	}
	return "\x00"
}

// eqField compares property k of two objects: both absent, or both present and equal.
func eqField(a, b map[string]any, k string, eq func(a, b any) bool) bool {
	av, ok1 := a[k]
	bv, ok2 := b[k]
	if ok1 != ok2 {
		return false
	}
	return !ok1 || eq(av, bv)
}

func eqIFI(k string) func(a, b any) bool {
	switch k {
	case "mbox":
		return func(a, b any) bool {
			as, ok1 := a.(string)
			bs, ok2 := b.(string)
			return ok1 && ok2 && normalizeMbox(as) == normalizeMbox(bs)
		}
	case "mbox_sha1sum":
		return eqFold
	case "openid":
		return eqIRI
	}
	return func(a, b any) bool {
		am, ok1 := a.(map[string]any)
		bm, ok2 := b.(map[string]any)
		if !ok1 || !ok2 {
			return eqJSON(a, b)
		}
		return len(am) == len(bm) && eqField(am, bm, "homePage", eqIRI) && eqField(am, bm, "name", eqJSON)
	}
}

// eqMembers compares group members as an unordered list.
func eqMembers(a, b any) bool {
	al, ok1 := a.([]any)
	bl, ok2 := b.([]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	if len(al) != len(bl) {
		return false
	}
	used := make([]bool, len(bl))
next:
	for _, x := range al {
		for j, y := range bl {
			if !used[j] && eqActor(x, y) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}

func eqVerb(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	return eqField(am, bm, "id", eqIRI)
}

func eqObject(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	at, bt := objectTypeOr(am, "Activity"), objectTypeOr(bm, "Activity")
	if at != bt {
		return false
	}
	switch at {
	case "Activity":
		return eqActivity(am, bm)
	case "Agent", "Group":
		return eqActor(am, bm)
	case "StatementRef":
		return eqField(am, bm, "id", eqFold)
	case "SubStatement":
		return eqStatement(am, bm, true)
	}
	return eqJSON(am, bm)
}

func eqActivity(a, b map[string]any) bool {
	return objectTypeOr(a, "Activity") == objectTypeOr(b, "Activity") && eqField(a, b, "id", eqIRI)
}

func eqResult(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	return sameKeys(am, bm) && eachField(am, bm, func(k string, x, y any) bool {
		if k == "duration" {
			xs, ok1 := x.(string)
			ys, ok2 := y.(string)
			return ok1 && ok2 && normalizeDuration(xs) == normalizeDuration(ys)
		}
		return eqJSON(x, y)
	})
}

func eqContext(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	return sameKeys(am, bm) && eachField(am, bm, func(k string, x, y any) bool {
		switch k {
		case "registration", "language":
			return eqFold(x, y)
		case "instructor", "team":
			return eqActor(x, y)
		case "statement":
			xm, ok1 := x.(map[string]any)
			ym, ok2 := y.(map[string]any)
			return ok1 && ok2 && sameKeys(xm, ym) && eqField(xm, ym, "objectType", eqJSON) && eqField(xm, ym, "id", eqFold)
		case "contextActivities":
			return eqContextActivities(x, y)
		case "contextAgents", "contextGroups":
			return eqContextRelations(x, y)
		}
		return eqJSON(x, y)
	})
}

func eqContextActivities(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return eqJSON(a, b)
	}
	return sameKeys(am, bm) && eachField(am, bm, func(_ string, x, y any) bool {
		xl, yl := asList(x), asList(y)
		if len(xl) != len(yl) {
			return false
		}
		for i := range xl {
			xa, ok1 := xl[i].(map[string]any)
			ya, ok2 := yl[i].(map[string]any)
			if !ok1 || !ok2 {
				if !eqJSON(xl[i], yl[i]) {
					return false
				}
				continue
			}
			if !eqActivity(xa, ya) {
				return false
			}
		}
		return true
	})
}

// asList returns a context activity value as an array: a single activity becomes [activity].
func asList(x any) []any {
	if l, ok := x.([]any); ok {
		return l
	}
	return []any{x}
}

func eqContextRelations(a, b any) bool {
	al, ok1 := a.([]any)
	bl, ok2 := b.([]any)
	if !ok1 || !ok2 || len(al) != len(bl) {
		return eqJSON(a, b)
	}
	for i := range al {
		x, ok1 := al[i].(map[string]any)
		y, ok2 := bl[i].(map[string]any)
		if !ok1 || !ok2 {
			if !eqJSON(al[i], bl[i]) {
				return false
			}
			continue
		}
		if !sameKeys(x, y) || !eachField(x, y, func(k string, p, q any) bool {
			switch k {
			case "agent", "group":
				return eqActor(p, q)
			case "relevantTypes":
				pl, ok1 := p.([]any)
				ql, ok2 := q.([]any)
				if !ok1 || !ok2 || len(pl) != len(ql) {
					return eqJSON(p, q)
				}
				for j := range pl {
					if !eqIRI(pl[j], ql[j]) {
						return false
					}
				}
				return true
			}
			return eqJSON(p, q)
		}) {
			return false
		}
	}
	return true
}

func sameKeys(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// eachField applies eq to the values of every property of a, paired with b's.
func eachField(a, b map[string]any, eq func(k string, x, y any) bool) bool {
	for k, x := range a {
		if k == "extensions" {
			if !eqExtensions(x, b[k]) {
				return false
			}
			continue
		}
		if !eq(k, x, b[k]) {
			return false
		}
	}
	return true
}

// eqExtensions compares extension maps; their keys are IRIs.
func eqExtensions(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 || len(am) != len(bm) {
		return eqJSON(a, b)
	}
	if sameKeys(am, bm) {
		return eqJSON(am, bm)
	}
	bn := make(map[string]any, len(bm))
	for k, v := range bm {
		bn[normalizeIRI(k)] = v
	}
	for k, v := range am {
		w, ok := bn[normalizeIRI(k)]
		if !ok || !eqJSON(v, w) {
			return false
		}
	}
	return true
}

func eqFold(a, b any) bool {
	as, ok1 := a.(string)
	bs, ok2 := b.(string)
	return ok1 && ok2 && strings.EqualFold(as, bs)
}

func eqIRI(a, b any) bool {
	as, ok1 := a.(string)
	bs, ok2 := b.(string)
	return ok1 && ok2 && (as == bs || normalizeIRI(as) == normalizeIRI(bs))
}

// eqInstant compares timestamps as instants to the millisecond (Data 4.5.s1.b7: the LRS may
// truncate them to milliseconds).
func eqInstant(a, b any) bool {
	as, ok1 := a.(string)
	bs, ok2 := b.(string)
	if !ok1 || !ok2 {
		return false
	}
	if as == bs {
		return true
	}
	at, ok1 := parseTime(as, false)
	bt, ok2 := parseTime(bs, false)
	return ok1 && ok2 && at.Truncate(time.Millisecond).Equal(bt.Truncate(time.Millisecond))
}

// normalizeIRI applies the case normalization of RFC 3987 5.3.2.1: the scheme and host in lower
// case, the hexadecimal digits of percent-encodings in upper case.
func normalizeIRI(s string) string {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(strings.ToLower(s[:colon+1]))
	rest := s[colon+1:]
	if strings.HasPrefix(rest, "//") {
		end := len(rest)
		if i := strings.IndexAny(rest[2:], "/?#"); i >= 0 {
			end = i + 2
		}
		auth := rest[2:end]
		host := auth
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			b.WriteString("//")
			b.WriteString(auth[:at+1])
			host = auth[at+1:]
		} else {
			b.WriteString("//")
		}
		b.WriteString(strings.ToLower(host))
		rest = rest[end:]
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] == '%' && i+2 < len(rest) {
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(rest[i+1 : i+3]))
			i += 2
			continue
		}
		b.WriteByte(rest[i])
	}
	return b.String()
}

// normalizeDuration drops precision beyond 0.01 s from the seconds of a duration and trailing
// zeros of the fraction, so that "PT1.2345S", "PT1.23S" and "PT1.230S" compare equal.
func normalizeDuration(d string) string {
	if !strings.HasSuffix(d, "S") {
		return d
	}
	body := d[:len(d)-1]
	dot := strings.LastIndexAny(body, ".,")
	if dot < 0 || strings.ContainsAny(body[dot:], "PYMWDTH") {
		return d
	}
	frac := body[dot+1:]
	if len(frac) > 2 {
		frac = frac[:2]
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return body[:dot] + "S"
	}
	return body[:dot] + "." + frac + "S"
}

// eqJSON compares two JSON values: objects by keys and values, arrays in order, numbers by value.
func eqJSON(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !eqJSON(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !eqJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if xn, ok := a.(json.Number); ok {
		if yn, ok := b.(json.Number); ok && xn == yn {
			return true
		}
	}
	xf, ok1 := number(a)
	yf, ok2 := number(b)
	return ok1 && ok2 && xf == yf
}
