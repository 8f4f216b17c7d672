package lrs

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
	"github.com/learnloop/learnloop/internal/outbox"
)

// The verbs of learnloop's own statements: ADL's where ADL has one (docs/xapi-profile.md).
var verbs = map[string][2]string{
	outbox.Enrolled:   {"http://adlnet.gov/expapi/verbs/registered", "registered"},
	outbox.Registered: {"http://adlnet.gov/expapi/verbs/registered", "registered"},
	outbox.Attended:   {"http://adlnet.gov/expapi/verbs/attended", "attended"},
	outbox.Completed:  {"http://adlnet.gov/expapi/verbs/completed", "completed"},
	outbox.Passed:     {"http://adlnet.gov/expapi/verbs/passed", "passed"},
	outbox.Failed:     {"http://adlnet.gov/expapi/verbs/failed", "failed"},
	outbox.Rated:      {"http://adlnet.gov/expapi/verbs/scored", "scored"},
}

// activityTypes maps the kinds of learnloop things to activity types: ADL's where they fit.
var activityTypes = map[string]string{
	"item":    "http://adlnet.gov/expapi/activities/course",
	"session": "http://adlnet.gov/expapi/activities/meeting",
	"path":    "http://adlnet.gov/expapi/activities/module",
	"test":    "http://adlnet.gov/expapi/activities/assessment",
}

// ActivityID is the activity id of a learnloop thing: HomePage/xapi/activities/KIND/ID.
func (s *Service) ActivityID(kind, id string) string {
	return s.HomePage + "/xapi/activities/" + kind + "/" + id
}

func (s *Service) activityType(kind string) string {
	if t, ok := activityTypes[kind]; ok {
		return t
	}
	return s.HomePage + "/xapi/activity-types/" + kind
}

// Extension IRIs of learnloop's statements.
func (s *Service) extension(name string) string { return s.HomePage + "/xapi/extensions/" + name }

func (s *Service) activity(r outbox.Ref) map[string]any {
	a := map[string]any{"objectType": "Activity", "id": s.ActivityID(r.Kind, r.ID)}
	def := map[string]any{"type": s.activityType(r.Kind)}
	if r.Name != "" {
		def["name"] = map[string]any{"en": r.Name}
	}
	if r.Type != "" {
		def["extensions"] = map[string]any{s.extension("kind"): r.Type}
	}
	a["definition"] = def
	return a
}

// StatementOf turns a learning event into its xAPI statement.
func (s *Service) StatementOf(e outbox.Event) (*xapi.Statement, error) {
	v, ok := verbs[e.Type]
	if !ok {
		return nil, fmt.Errorf("no verb for learning events of type %q", e.Type)
	}
	st := map[string]any{
		"id":        e.ID,
		"actor":     s.PersonAccount(e.PersonID, e.PersonName),
		"verb":      map[string]any{"id": v[0], "display": map[string]any{"en": v[1]}},
		"object":    s.activity(e.Object),
		"timestamp": e.At.UTC().Format(StoredLayout),
	}
	ctxt := map[string]any{"platform": "learnloop", "language": "en"}
	if e.Parent != nil {
		ctxt["contextActivities"] = map[string]any{"parent": []any{s.activity(*e.Parent)}}
	}
	if e.By != "" && e.By != e.PersonID {
		ctxt["instructor"] = s.PersonAccount(e.By, e.ByName)
	}
	exts := map[string]any{}
	if e.Source != "" {
		exts[s.extension("rating-source")] = e.Source
	}
	if len(exts) > 0 {
		ctxt["extensions"] = exts
	}
	st["context"] = ctxt
	res := map[string]any{}
	if e.Score != nil {
		pct := math.Round(*e.Score*100) / 100
		res["score"] = map[string]any{"scaled": json.Number(strconv.FormatFloat(pct/100, 'f', -1, 64)), "raw": json.Number(strconv.FormatFloat(pct, 'f', -1, 64)),
			"min": json.Number("0"), "max": json.Number("100")}
	}
	if e.Level > 0 {
		res["score"] = map[string]any{"raw": json.Number(strconv.Itoa(e.Level)), "min": json.Number("0"), "max": json.Number("5")}
	}
	switch e.Type {
	case outbox.Completed:
		res["completion"] = true
	case outbox.Passed:
		res["success"], res["completion"] = true, true
	case outbox.Failed:
		res["success"] = false
	}
	if e.Success != nil {
		res["success"] = *e.Success
	}
	if e.Note != "" {
		res["response"] = e.Note
	}
	if len(res) > 0 {
		st["result"] = res
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	return xapi.ParseStatement(b, xapi.V103)
}

// Deliver turns the learning events not delivered yet into statements, a batch at a time, and
// reports how many it stored. Several instances may run it at once: a batch's statements and
// its delivery marks are one transaction, and a repeated statement is stored only once.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
			evs, err := outbox.Undelivered(ctx, tx, 500)
			if err != nil || len(evs) == 0 {
				return err
			}
			if err := s.name(ctx, tx, evs); err != nil {
				return err
			}
			sts := make([]*xapi.Statement, 0, len(evs))
			seqs := make([]int64, 0, len(evs))
			given := make([]any, 0, len(evs))
			for _, e := range evs {
				st, err := s.StatementOf(e.Event)
				if err != nil {
					return fmt.Errorf("learning event %s: %w", e.ID, err)
				}
				sts = append(sts, st)
				seqs = append(seqs, e.Seq)
				given = append(given, st.ID)
			}
			if _, err := s.store(ctx, tx, nil, xapi.V103, sts, given, nil, nil); err != nil {
				return err
			}
			n = len(evs)
			return outbox.MarkDelivered(ctx, tx, s.Clock.Now(), seqs)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < 500 {
			return total, nil
		}
	}
}

// name fills in the names statements show: of the people, the items and the sessions. Events
// carry only ids, so that publishing costs a change nothing more than one row.
func (s *Service) name(ctx context.Context, tx *db.Tx, evs []outbox.Stored) error {
	people, items, sessions := map[string]string{}, map[string]string{}, map[string]string{}
	kinds := map[string]string{}
	for _, e := range evs {
		people[e.PersonID] = ""
		if e.By != "" {
			people[e.By] = ""
		}
		for _, r := range []*outbox.Ref{&e.Object, e.Parent} {
			switch {
			case r == nil || r.Name != "":
			case r.Kind == "item":
				items[r.ID] = ""
			case r.Kind == "session":
				sessions[r.ID] = ""
			}
		}
	}
	lookup := func(q string, into map[string]string, extra map[string]string) error {
		if len(into) == 0 {
			return nil
		}
		args := make([]any, 0, len(into))
		for id := range into {
			args = append(args, id)
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, db.In(len(args))), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, name, kind string
			if err := rows.Scan(&id, &name, &kind); err != nil {
				return err
			}
			into[id] = name
			if extra != nil {
				extra[id] = kind
			}
		}
		return rows.Err()
	}
	if err := lookup(`SELECT id, given_name || ' ' || family_name, '' FROM people WHERE id IN %s`, people, nil); err != nil {
		return err
	}
	if err := lookup(`SELECT id, title, kind FROM learning_items WHERE id IN %s`, items, kinds); err != nil {
		return err
	}
	if err := lookup(`SELECT s.id, i.title, i.kind FROM training_sessions s JOIN learning_items i ON i.id = s.item_id WHERE s.id IN %s`, sessions, nil); err != nil {
		return err
	}
	for i := range evs {
		e := &evs[i].Event
		e.PersonName = people[e.PersonID]
		if e.By != "" {
			e.ByName = people[e.By]
		}
		for _, r := range []*outbox.Ref{&e.Object, e.Parent} {
			switch {
			case r == nil || r.Name != "":
			case r.Kind == "item":
				r.Name, r.Type = items[r.ID], kinds[r.ID]
			case r.Kind == "session":
				r.Name = sessions[r.ID]
			}
		}
	}
	return nil
}
