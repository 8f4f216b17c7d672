package training

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/outbox"
	"github.com/learnloop/learnloop/internal/skills"
)

// HistoryRecord is one enrollment that happened before learnloop or elsewhere: brought over
// from another learning system, or generated for the demo organization.
type HistoryRecord struct {
	PersonID    string
	ItemID      string
	Source      string // self, manager, rule or admin; admin when empty
	EnrolledAt  time.Time
	DueOn       core.Date
	Status      string // completed, withdrawn, exempt, enrolled or in_progress
	CompletedAt *time.Time
	Score       *float64 // a test score in percent; with it, a completion is a passed test
	Reason      string   // why withdrawn or exempt
}

// RecordHistory stores many past enrollments in one transaction, with everything a completion
// brings (the expiry of recurring items, skills evidence, certificates of certifying items),
// and rewrites the status of every person and item it touches. Those who run training record
// history. Any invalid record refuses the whole batch, naming its index; so does a second
// open enrollment of one person in one item.
func (s *Service) RecordHistory(ctx context.Context, actor *core.Actor, recs []HistoryRecord, summary string) (int, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, nil
	}
	now := s.Clock.Now()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		items := map[string]*Item{}
		people := map[string]string{} // id → name
		if err := s.loadHistoryRefs(ctx, tx, recs, items, people); err != nil {
			return err
		}
		open := map[[2]string]bool{}
		var enrollments, certs [][]any
		var evidence []skills.TrainingEvidence
		var events []outbox.Event
		touched := map[string]bool{}
		for i, r := range recs {
			field := func(f string) string { return fmt.Sprintf("records[%d].%s", i, f) }
			it := items[r.ItemID]
			if it == nil {
				return core.Invalid(field("item_id"), "unknown learning item")
			}
			name, ok := people[r.PersonID]
			if !ok {
				return core.Invalid(field("person_id"), "unknown person")
			}
			if r.Source == "" {
				r.Source = SourceAdmin
			}
			if !slices.Contains([]string{SourceSelf, SourceManager, SourceRule, SourceAdmin, SourcePath}, r.Source) {
				return core.Invalid(field("source"), "unknown source %q", r.Source)
			}
			if r.EnrolledAt.IsZero() || r.EnrolledAt.After(now.Add(time.Minute)) {
				return core.Invalid(field("enrolled_at"), "enter when the enrollment began, not in the future")
			}
			var expires core.Date
			switch r.Status {
			case EnrollmentCompleted:
				if r.CompletedAt == nil || r.CompletedAt.Before(r.EnrolledAt) || r.CompletedAt.After(now.Add(time.Minute)) {
					return core.Invalid(field("completed_at"), "a completion needs its time, after the enrollment and not in the future")
				}
				if r.Score != nil && (*r.Score < 0 || *r.Score > 100) {
					return core.Invalid(field("score"), "enter a score from 0 to 100")
				}
				if it.ValidityMonths > 0 {
					expires = core.DateOf(r.CompletedAt.UTC().AddDate(0, it.ValidityMonths, 0))
				}
			case EnrollmentEnrolled, EnrollmentInProgress:
				key := [2]string{r.PersonID, r.ItemID}
				if open[key] {
					return core.Invalid(field("status"), "a second open enrollment of %s in %q", name, it.Title)
				}
				open[key] = true
				if r.CompletedAt != nil {
					return core.Invalid(field("completed_at"), "an open enrollment has no completion")
				}
			case EnrollmentWithdrawn, EnrollmentExempt:
			default:
				return core.Invalid(field("status"), "choose completed, withdrawn, exempt, enrolled or in_progress")
			}
			id := core.NewID()
			var completed, started any
			if r.CompletedAt != nil {
				at := r.CompletedAt.UTC().Truncate(time.Microsecond)
				completed, started = at, at
			}
			if r.Status == EnrollmentInProgress {
				started = r.EnrolledAt
			}
			var rule any
			enrollments = append(enrollments, []any{id, r.ItemID, r.PersonID, r.Status, r.Source, rule, r.DueOn, r.EnrolledAt.UTC(), started, completed,
				r.Score, expires, strings.TrimSpace(r.Reason), now})
			touched[r.PersonID] = true
			if r.Status != EnrollmentCompleted {
				continue
			}
			c := completion{at: *r.CompletedAt, score: r.Score}
			evidence = append(evidence, evidenceOf(r.PersonID, it, c)...)
			ev := outbox.Event{ID: id, Type: outbox.Completed, PersonID: r.PersonID, At: c.at.UTC(), Object: itemRef(r.ItemID), Score: r.Score}
			if r.Score != nil {
				ok := true
				ev.Success = &ok
			}
			events = append(events, ev)
			if it.Certifying {
				certs = append(certs, certificateRow(r.PersonID, name, id, it, c, expires, now))
			}
		}
		if err := db.InsertMany(ctx, tx, "enrollments", []string{"id", "item_id", "person_id", "status", "source", "rule_id", "due_on", "enrolled_at",
			"started_at", "completed_at", "score", "expires_on", "reason", "updated_at"}, enrollments); err != nil {
			if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
				return core.Errorf(core.ECONFLICT, "the history gives someone an open enrollment in an item they are enrolled in already")
			}
			return err
		}
		if err := db.InsertMany(ctx, tx, "certificates", certificateColumnsIn, certs); err != nil {
			return err
		}
		// The completions join the learning record, as completions made in learnloop do.
		if err := publish(ctx, tx, events...); err != nil {
			return err
		}
		ids := make([]string, 0, len(touched))
		for id := range touched {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if err := s.rebuildStatus(ctx, tx, "person_id IN "+db.In(len(chunk)), args...); err != nil {
				return err
			}
		}
		if s.Skills != nil {
			if err := s.Skills.RecordTrainingEvidence(ctx, tx, evidence, now); err != nil {
				return err
			}
		}
		if summary == "" {
			summary = "a learning history"
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.history", TargetType: "enrollments",
			Summary: fmt.Sprintf("Recorded %d past enrollments of %d people (%d certificates): %s", len(enrollments), len(ids), len(certs), summary)})
	})
	if err != nil {
		return 0, err
	}
	return len(recs), nil
}

// loadHistoryRefs reads the items (with their skills) and the people a history names.
func (s *Service) loadHistoryRefs(ctx context.Context, tx *db.Tx, recs []HistoryRecord, items map[string]*Item, people map[string]string) error {
	for _, r := range recs {
		if _, ok := items[r.ItemID]; ok || !core.ValidID(r.ItemID) {
			continue
		}
		it, err := s.findItem(ctx, tx, r.ItemID)
		if err != nil {
			if core.ErrorCode(err) == core.ENOTFOUND {
				continue
			}
			return err
		}
		items[r.ItemID] = it
	}
	want := map[string]bool{}
	for _, r := range recs {
		want[r.PersonID] = true
	}
	ids := make([]any, 0, len(want))
	for id := range want {
		if core.ValidID(id) {
			ids = append(ids, id)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := tx.QueryContext(ctx, `SELECT id, given_name || ' ' || family_name FROM people WHERE id IN `+db.In(len(chunk)), chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			people[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
