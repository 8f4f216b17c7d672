package lrs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
)

// Filter is what the statement browser and the export look for. PersonID limits it to one
// learnloop person; the other fields are those of a statement query.
type Filter struct {
	PersonID string
	Verb     string
	Activity string
	Since    time.Time
	Until    time.Time
	// More continues a page (the More of the previous one).
	More string
}

// Entry is a statement as the browser shows it.
type Entry struct {
	ID        string
	Stored    time.Time
	Timestamp time.Time
	Actor     string
	Verb      string
	VerbID    string
	Object    string
	ObjectID  string
	Result    string
	Authority string
	JSON      string
}

// Entries is a page of entries.
type Entries struct {
	Entries []Entry
	More    string
}

// scope applies the actor's data scope to a filter: those who read the whole record see anyone's
// statements; everyone else sees their own.
func scope(actor *core.Actor, f Filter) (Query, error) {
	q := Query{Verb: f.Verb, Activity: f.Activity, Since: f.Since, Until: f.Until, Person: f.PersonID, Limit: 50}
	if !actor.Can(core.PermXAPIRead) {
		if actor.PersonID == "" {
			return q, core.Forbidden
		}
		if f.PersonID != "" && f.PersonID != actor.PersonID {
			return q, core.NotFound("person")
		}
		q.Person = actor.PersonID
	}
	return q, nil
}

// Browse returns a page of statements, newest first, within the actor's scope.
func (s *Service) Browse(ctx context.Context, actor *core.Actor, f Filter) (*Entries, error) {
	q, err := scope(actor, f)
	if err != nil {
		return nil, err
	}
	if f.More != "" {
		m, err := ParseMore(f.More)
		if err != nil || m.Person != q.Person && !actor.Can(core.PermXAPIRead) {
			return nil, core.Invalid("more", "this page link is not valid any more; start again")
		}
		q = m
	}
	p, err := s.Statements(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &Entries{More: p.More, Entries: make([]Entry, 0, len(p.Statements))}
	for _, b := range p.Statements {
		out.Entries = append(out.Entries, entryOf(b))
	}
	return out, nil
}

// Export writes every statement matching the filter as JSON lines, oldest first, and returns how
// many it wrote.
func (s *Service) Export(ctx context.Context, actor *core.Actor, f Filter, w io.Writer) (int, error) {
	q, err := scope(actor, f)
	if err != nil {
		return 0, err
	}
	q.Ascending, q.Limit = true, MaxLimit
	n := 0
	for {
		p, err := s.Statements(ctx, q)
		if err != nil {
			return n, err
		}
		for _, b := range p.Statements {
			if _, err := w.Write(append(b, '\n')); err != nil {
				return n, err
			}
			n++
		}
		if p.More == "" {
			return n, nil
		}
		if q, err = ParseMore(p.More); err != nil {
			return n, err
		}
	}
}

func entryOf(b []byte) Entry {
	var st struct {
		ID        string          `json:"id"`
		Stored    time.Time       `json:"stored"`
		Timestamp time.Time       `json:"timestamp"`
		Actor     json.RawMessage `json:"actor"`
		Verb      struct {
			ID      string            `json:"id"`
			Display map[string]string `json:"display"`
		} `json:"verb"`
		Object    json.RawMessage `json:"object"`
		Authority json.RawMessage `json:"authority"`
		Result    *struct {
			Success    *bool `json:"success"`
			Completion *bool `json:"completion"`
			Score      *struct {
				Scaled *float64 `json:"scaled"`
				Raw    *float64 `json:"raw"`
				Max    *float64 `json:"max"`
			} `json:"score"`
		} `json:"result"`
	}
	_ = json.Unmarshal(b, &st)
	e := Entry{ID: st.ID, Stored: st.Stored, Timestamp: st.Timestamp, VerbID: st.Verb.ID, JSON: string(b)}
	e.Verb = pick(st.Verb.Display)
	if e.Verb == "" {
		e.Verb = st.Verb.ID[strings.LastIndexAny(st.Verb.ID, "/#")+1:]
	}
	e.Actor = agentName(st.Actor)
	e.Authority = agentName(st.Authority)
	var obj struct {
		ObjectType string `json:"objectType"`
		ID         string `json:"id"`
		Definition struct {
			Name map[string]string `json:"name"`
		} `json:"definition"`
	}
	_ = json.Unmarshal(st.Object, &obj)
	e.ObjectID = obj.ID
	switch obj.ObjectType {
	case "Agent", "Group":
		e.Object = agentName(st.Object)
	case "StatementRef":
		e.Object = "statement " + obj.ID
	case "SubStatement":
		e.Object = "a sub-statement"
	default:
		e.Object = pick(obj.Definition.Name)
		if e.Object == "" {
			e.Object = obj.ID
		}
	}
	if r := st.Result; r != nil {
		var parts []string
		if r.Score != nil {
			switch {
			case r.Score.Scaled != nil:
				parts = append(parts, fmt.Sprintf("%.0f%%", *r.Score.Scaled*100))
			case r.Score.Raw != nil && r.Score.Max != nil:
				parts = append(parts, fmt.Sprintf("%g of %g", *r.Score.Raw, *r.Score.Max))
			case r.Score.Raw != nil:
				parts = append(parts, fmt.Sprintf("%g", *r.Score.Raw))
			}
		}
		if r.Success != nil {
			parts = append(parts, map[bool]string{true: "success", false: "no success"}[*r.Success])
		}
		if r.Completion != nil && *r.Completion {
			parts = append(parts, "complete")
		}
		e.Result = strings.Join(parts, ", ")
	}
	return e
}

// pick chooses a language map's English value, else the first language in order.
func pick(m map[string]string) string {
	for _, k := range []string{"en", "en-US", "en-GB"} {
		if v, ok := m[k]; ok {
			return v
		}
	}
	if len(m) == 0 {
		return ""
	}
	keys := slices.Sorted(maps.Keys(m))
	return m[keys[0]]
}

func agentName(raw json.RawMessage) string {
	var a struct {
		Name       string `json:"name"`
		Mbox       string `json:"mbox"`
		MboxSHA1   string `json:"mbox_sha1sum"`
		OpenID     string `json:"openid"`
		Account    *struct{ HomePage, Name string }
		ObjectType string            `json:"objectType"`
		Member     []json.RawMessage `json:"member"`
	}
	if json.Unmarshal(raw, &a) != nil {
		return ""
	}
	switch {
	case a.Name != "":
		return a.Name
	case a.Mbox != "":
		return strings.TrimPrefix(a.Mbox, "mailto:")
	case a.Account != nil:
		return a.Account.Name + " (" + a.Account.HomePage + ")"
	case a.OpenID != "":
		return a.OpenID
	case a.MboxSHA1 != "":
		return "sha1:" + a.MboxSHA1[:min(8, len(a.MboxSHA1))]
	case a.ObjectType == "Group":
		return fmt.Sprintf("a group of %d", len(a.Member))
	}
	return ""
}
