package xapi

import (
	"sort"
	"strconv"
	"strings"
)

// Format returns a statement tree shaped as the "format" parameter of GET statements asks
// (Communication 2.1.3, LRSs 4.1.6.1). The result is a new tree; tree is not changed.
//
//   - "exact": the statement as stored.
//   - "ids": only what identifies agents, groups, activities and verbs: an agent or identified
//     group keeps its objectType and inverse functional identifier, an anonymous group its
//     objectType and its members reduced the same way; an activity keeps only its id (its
//     objectType is Activity by default), a verb its id (no display). This applies to the actor,
//     object, authority, context instructor, team, context activities, contextAgents and
//     contextGroups, in the statement and its sub-statement.
//   - "canonical": as exact, but every language map of activity definitions (name, description and
//     the descriptions of interaction components) and of verb displays holds only the one language
//     that best matches langs, the Accept-Language preferences as ParseAcceptLanguage returns them.
//     To return the LRS's canonical definitions rather than the statement's own, put them into the
//     tree before calling Format.
//
// In every format each value of context.contextActivities is an array, as the LRS must return it
// even when it arrived as a single activity (Data 2.4.6.2.s4.b3). An unknown format is treated as
// "exact".
func Format(tree map[string]any, format string, langs []string) map[string]any {
	switch format {
	case "ids":
		return idsStatement(tree)
	case "canonical":
		out := copyObject(tree)
		canonicalStatement(out, langs)
		return out
	}
	out := copyObject(tree)
	normalizeStatement(out)
	return out
}

func copyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return copyObject(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = copyJSON(e)
		}
		return out
	}
	return v
}

func copyObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyJSON(v)
	}
	return out
}

// normalizeStatement turns single context activities into arrays, in the statement and its
// sub-statement.
// Normalize puts a statement in the shape the LRS stores and answers: every value of
// context.contextActivities an array, also in a sub-statement (Data 2.4.6.2: a single activity
// sent alone comes back in an array). The store normalizes before writing, so that exact answers
// are the stored bytes.
func Normalize(st map[string]any) { normalizeStatement(st) }

func normalizeStatement(st map[string]any) {
	if ctx, ok := st["context"].(map[string]any); ok {
		if ca, ok := ctx["contextActivities"].(map[string]any); ok {
			for k, v := range ca {
				if a, ok := v.(map[string]any); ok {
					ca[k] = []any{a}
				}
			}
		}
	}
	if obj, ok := st["object"].(map[string]any); ok && obj["objectType"] == "SubStatement" {
		normalizeStatement(obj)
	}
}

func idsStatement(st map[string]any) map[string]any {
	out := make(map[string]any, len(st))
	for k, v := range st {
		switch k {
		case "actor", "authority":
			out[k] = idsActor(v)
		case "verb":
			if m, ok := v.(map[string]any); ok {
				out[k] = pick(m, "id")
			} else {
				out[k] = copyJSON(v)
			}
		case "object":
			out[k] = idsObject(v)
		case "context":
			out[k] = idsContext(v)
		default:
			out[k] = copyJSON(v)
		}
	}
	return out
}

// pick copies the named properties of m that are present.
func pick(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = copyJSON(v)
		}
	}
	return out
}

func idsActor(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return copyJSON(v)
	}
	out := pick(m, "objectType", "mbox", "mbox_sha1sum", "openid", "account")
	anonymous := len(out) == len(pick(m, "objectType"))
	if members, ok := m["member"].([]any); ok && anonymous {
		list := make([]any, len(members))
		for i, e := range members {
			list[i] = idsActor(e)
		}
		out["member"] = list
	}
	return out
}

func idsObject(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return copyJSON(v)
	}
	switch m["objectType"] {
	case nil, "Activity":
		return pick(m, "id")
	case "Agent", "Group":
		return idsActor(m)
	case "SubStatement":
		return idsStatement(m)
	}
	return copyObject(m)
}

func idsContext(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return copyJSON(v)
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		switch k {
		case "instructor", "team":
			out[k] = idsActor(x)
		case "contextActivities":
			ca, ok := x.(map[string]any)
			if !ok {
				out[k] = copyJSON(x)
				continue
			}
			oca := make(map[string]any, len(ca))
			for kind, acts := range ca {
				list := asList(acts)
				ol := make([]any, len(list))
				for i, a := range list {
					if am, ok := a.(map[string]any); ok {
						ol[i] = pick(am, "id")
					} else {
						ol[i] = copyJSON(a)
					}
				}
				oca[kind] = ol
			}
			out[k] = oca
		case "contextAgents", "contextGroups":
			list, ok := x.([]any)
			if !ok {
				out[k] = copyJSON(x)
				continue
			}
			ol := make([]any, len(list))
			for i, e := range list {
				em, ok := e.(map[string]any)
				if !ok {
					ol[i] = copyJSON(e)
					continue
				}
				c := copyObject(em)
				for _, who := range [...]string{"agent", "group"} {
					if w, ok := em[who]; ok {
						c[who] = idsActor(w)
					}
				}
				ol[i] = c
			}
			out[k] = ol
		default:
			out[k] = copyJSON(x)
		}
	}
	return out
}

// canonicalStatement filters, in place, the language maps of activity definitions and verb
// displays of a copied statement and its sub-statement.
func canonicalStatement(st map[string]any, langs []string) {
	normalizeStatement(st)
	if verb, ok := st["verb"].(map[string]any); ok {
		filterMap(verb, "display", langs)
	}
	obj, _ := st["object"].(map[string]any)
	switch obj["objectType"] {
	case nil, "Activity":
		canonicalActivity(obj, langs)
	case "SubStatement":
		canonicalStatement(obj, langs)
	}
	if ctx, ok := st["context"].(map[string]any); ok {
		if ca, ok := ctx["contextActivities"].(map[string]any); ok {
			for _, acts := range ca {
				for _, a := range asList(acts) {
					if am, ok := a.(map[string]any); ok {
						canonicalActivity(am, langs)
					}
				}
			}
		}
	}
}

func canonicalActivity(act map[string]any, langs []string) {
	def, ok := act["definition"].(map[string]any)
	if !ok {
		return
	}
	filterMap(def, "name", langs)
	filterMap(def, "description", langs)
	for _, list := range componentLists {
		comps, _ := def[list].([]any)
		for _, c := range comps {
			if cm, ok := c.(map[string]any); ok {
				filterMap(cm, "description", langs)
			}
		}
	}
}

// filterMap reduces the language map m[key], if any, to its best language for langs.
func filterMap(m map[string]any, key string, langs []string) {
	lm, ok := m[key].(map[string]any)
	if !ok || len(lm) <= 1 {
		return
	}
	keys := make([]string, 0, len(lm))
	for k := range lm {
		keys = append(keys, k)
	}
	best := bestLanguage(keys, langs)
	m[key] = map[string]any{best: lm[best]}
}

// bestLanguage chooses the tag of a language map for the Accept-Language preferences langs,
// most preferred first, by the matching of RFC 2616 section 14.4 (Communication 2.1.3: applied to
// each language map on its own): a tag's preference is that of the longest range matching it
// (a range matches a tag equal to it or beginning with it and "-"; "*" matches any tag), and the
// most preferred tag wins, an exact match before a longer tag and then the first in sort order.
// When no range matches, as when langs is empty, a tag with the same primary language as the
// most preferred range is taken, failing that the first tag in sort order: one language is always
// returned.
func bestLanguage(keys []string, langs []string) string {
	sort.Strings(keys)
	best, bestRank, bestExact := "", len(langs), false
	for _, k := range keys {
		rank, matched, exact := len(langs), -1, false
		for i, r := range langs {
			switch {
			case r == "*":
				if matched < 0 {
					rank, matched = i, 0
				}
			case strings.EqualFold(r, k):
				if len(r) > matched {
					rank, matched, exact = i, len(r), true
				}
			case len(k) > len(r) && k[len(r)] == '-' && strings.EqualFold(k[:len(r)], r):
				if len(r) > matched {
					rank, matched, exact = i, len(r), false
				}
			}
		}
		if rank < bestRank || (rank == bestRank && rank < len(langs) && exact && !bestExact) {
			best, bestRank, bestExact = k, rank, exact
		}
	}
	if bestRank < len(langs) {
		return best
	}
	for _, r := range langs {
		primary, _, _ := strings.Cut(r, "-")
		for _, k := range keys {
			if kp, _, _ := strings.Cut(k, "-"); strings.EqualFold(kp, primary) {
				return k
			}
		}
	}
	return keys[0]
}

// ParseAcceptLanguage parses an Accept-Language header (RFC 7231 section 5.3.5, RFC 2616 section
// 14.4) into its language ranges, most preferred first: by quality value, then in header order.
// Ranges with q=0 ("not acceptable") and malformed entries are dropped.
func ParseAcceptLanguage(h string) []string {
	type entry struct {
		tag string
		q   float64
	}
	var entries []entry
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.TrimSpace(tag)
		if !validRange(tag) {
			continue
		}
		q := 1.0
		if params = strings.TrimSpace(params); params != "" {
			name, val, ok := strings.Cut(params, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > 0 {
			entries = append(entries, entry{tag, q})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].q > entries[j].q })
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.tag
	}
	return out
}

// validRange reports whether s is a language-range: "*" or 1*8ALPHA *("-" 1*8alphanum).
func validRange(s string) bool {
	if s == "*" {
		return true
	}
	for i, sub := range strings.Split(s, "-") {
		if sub == "" || len(sub) > 8 || (i == 0 && !allAlpha(sub)) || !allAlnum(sub) {
			return false
		}
	}
	return s != ""
}
