// Package outbox records learning events — a person enrolled, registered, attended, completed,
// passed or failed, was rated — in the transaction of the change that made them, and hands them
// to their subscriber (the LRS, which turns them into xAPI statements) afterwards. Domain
// packages publish; none of them knows who listens.
package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Event types.
const (
	Enrolled   = "enrolled"   // in a learning item (Object: the item)
	Registered = "registered" // for a session (Object: the session; Parent: its item)
	Attended   = "attended"   // a session (Object: the session; Parent: its item)
	Completed  = "completed"  // a learning item (Score when a test decided it)
	Passed     = "passed"     // a test (Object: the item; Score)
	Failed     = "failed"     // a test (Object: the item; Score)
	Rated      = "rated"      // a skill (Object: the skill; Level, Source, By)
)

// Ref names a thing an event is about: its kind ("item", "session", "skill", "path"), id and name.
type Ref struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Type is the item kind or the like, for the statement's activity type.
	Type string `json:"type,omitempty"`
}

// Event is one thing that happened to a person's learning.
type Event struct {
	ID         string    `json:"-"` // a UUID, also the id of the statement it becomes
	Type       string    `json:"-"`
	PersonID   string    `json:"-"`
	PersonName string    `json:"person_name,omitempty"`
	At         time.Time `json:"-"`
	Object     Ref       `json:"object"`
	Parent     *Ref      `json:"parent,omitempty"`
	// Score is a percentage (0–100); Success whether it passed.
	Score   *float64 `json:"score,omitempty"`
	Success *bool    `json:"success,omitempty"`
	// Level and Source describe a skill rating; By is who rated (a person id).
	Level  int    `json:"level,omitempty"`
	Source string `json:"source,omitempty"`
	By     string `json:"by,omitempty"`
	ByName string `json:"by_name,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Publish records events in the transaction ex belongs to.
func Publish(ctx context.Context, ex db.Execer, events ...Event) error {
	rows := make([][]any, 0, len(events))
	for _, e := range events {
		if e.ID == "" {
			e.ID = core.NewID()
		}
		data, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("publish %s: %w", e.Type, err)
		}
		rows = append(rows, []any{e.ID, e.Type, e.PersonID, e.At, string(data)})
	}
	return db.InsertMany(ctx, ex, "events", []string{"id", "type", "person_id", "at", "data"}, rows)
}

// Stored is an event as read back.
type Stored struct {
	Seq int64
	Event
}

// Undelivered returns up to limit events not delivered yet, oldest first.
func Undelivered(ctx context.Context, q db.Queryer, limit int) ([]Stored, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, id, type, person_id, at, data FROM events WHERE delivered_at IS NULL ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (Stored, error) {
		var s Stored
		var data string
		if err := r.Scan(&s.Seq, &s.ID, &s.Type, &s.PersonID, &s.At, &data); err != nil {
			return s, err
		}
		s.At = s.At.UTC()
		return s, json.Unmarshal([]byte(data), &s.Event)
	})
}

// MarkDelivered records that the events up to these were handed over.
func MarkDelivered(ctx context.Context, ex db.Execer, at time.Time, seqs []int64) error {
	if len(seqs) == 0 {
		return nil
	}
	args := make([]any, 0, len(seqs)+1)
	args = append(args, at)
	for _, s := range seqs {
		args = append(args, s)
	}
	_, err := ex.ExecContext(ctx, `UPDATE events SET delivered_at = ? WHERE seq IN `+db.In(len(seqs)), args...)
	return err
}
