package lrs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
	"github.com/learnloop/learnloop/internal/training"
)

// Mapping says that an activity of another tool is one of learnloop's learning items: a
// statement that a person completed or passed it completes the item for them.
type Mapping struct {
	ActivityID string    `json:"activity_id"`
	ItemID     string    `json:"item_id"`
	ItemTitle  string    `json:"item_title"`
	CreatedAt  time.Time `json:"created_at"`
	// Applied counts the completions recorded through the mapping so far.
	Applied int `json:"applied"`
}

// Mappings lists the activity mappings.
func (s *Service) Mappings(ctx context.Context, actor *core.Actor) ([]*Mapping, error) {
	if err := requireClients(actor); err != nil {
		return nil, err
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT m.activity_id, m.item_id, i.title, m.created_at FROM xapi_mappings m JOIN learning_items i ON i.id = m.item_id ORDER BY i.title, m.activity_id`)
	if err != nil {
		return nil, fmt.Errorf("list mappings: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (*Mapping, error) {
		var m Mapping
		err := r.Scan(&m.ActivityID, &m.ItemID, &m.ItemTitle, &m.CreatedAt)
		return &m, err
	})
}

// Map makes activityID count as the learning item item (its id or code), and applies the
// statements already stored about it.
func (s *Service) Map(ctx context.Context, actor *core.Actor, activityID, item string) (*Mapping, error) {
	if err := requireClients(actor); err != nil {
		return nil, err
	}
	activityID, item = strings.TrimSpace(activityID), strings.TrimSpace(item)
	var v core.Validation
	if !xapi.ValidIRI(activityID) {
		v.Add("activity_id", "enter the activity's IRI, such as https://vendor.example.com/courses/negotiation")
	}
	m := &Mapping{ActivityID: activityID, CreatedAt: s.Clock.Now()}
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT id, title FROM learning_items WHERE id = ? OR lower(code) = lower(?)`, item, item).Scan(&m.ItemID, &m.ItemTitle)
	if db.IsNoRows(err) {
		v.Add("item", "no learning item has the id or code %q", item)
	} else if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var by any
	if actor.AccountID != "" {
		by = actor.AccountID
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO xapi_mappings (activity_id, item_id, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (activity_id) DO UPDATE SET item_id = excluded.item_id, created_by = excluded.created_by, created_at = excluded.created_at`,
			m.ActivityID, m.ItemID, by, m.CreatedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, m.CreatedAt, actor, audit.Entry{Action: "xapi_mapping.create", TargetType: "learning_item", TargetID: m.ItemID,
			Summary: fmt.Sprintf("Statements about %s now complete %q", m.ActivityID, m.ItemTitle)})
	})
	if err != nil {
		return nil, err
	}
	// What was reported before the mapping counts too.
	n, err := s.applyEvidence(ctx, nil, "st.object = ? AND st.seq <= ?", m.ActivityID, s.evidenceCursor(ctx))
	m.Applied = n
	return m, err
}

// Unmap removes a mapping; completions it recorded stay.
func (s *Service) Unmap(ctx context.Context, actor *core.Actor, activityID string) error {
	if err := requireClients(actor); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM xapi_mappings WHERE activity_id = ?`, activityID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.NotFound("mapping")
		}
		return audit.Record(ctx, tx, s.Clock.Now(), actor, audit.Entry{Action: "xapi_mapping.delete", TargetType: "xapi_mapping", TargetID: activityID,
			Summary: fmt.Sprintf("Statements about %s no longer complete a learning item", activityID)})
	})
}

const evidenceKey = "xapi_evidence_seq"

func (s *Service) evidenceCursor(ctx context.Context) int64 {
	v, _ := s.DB.Setting(ctx, evidenceKey)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// The verbs that complete a mapped item.
var completingVerbs = []any{"http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed", "https://w3id.org/xapi/adl/verbs/satisfied"}

// ApplyEvidence turns the statements other tools sent since the last run into learning: a
// completed or passed statement about a mapped activity, by a learnloop person, records a
// completion of the item (with the score, as test evidence for the item's skills; without, as
// activity evidence). It reports how many completions it recorded.
func (s *Service) ApplyEvidence(ctx context.Context) (int, error) {
	if s.Training == nil {
		return 0, nil
	}
	cur, err := s.DB.Setting(ctx, evidenceKey)
	if err != nil {
		return 0, err
	}
	from, _ := strconv.ParseInt(cur, 10, 64)
	var to int64
	if err := s.DB.Reader().QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM xapi_statements`).Scan(&to); err != nil {
		return 0, err
	}
	if to <= from {
		return 0, nil
	}
	// Claim the range first: of several instances, one records its completions.
	next := strconv.FormatInt(to, 10)
	if ok, err := s.DB.SwapSetting(ctx, evidenceKey, cur, next); err != nil || !ok {
		return 0, err
	}
	done := from
	n, err := s.applyEvidence(ctx, func(seq int64) { done = seq }, "st.seq > ? AND st.seq <= ?", from, to)
	if err != nil {
		// Give back what was not recorded, so that the next run starts after the last completion
		// recorded and nothing is recorded twice.
		_, _ = s.DB.SwapSetting(context.WithoutCancel(ctx), evidenceKey, next, strconv.FormatInt(done, 10))
		return n, err
	}
	return n, nil
}

// applyEvidence records the completions of the statements matching where (on xapi_statements
// st), in seq order, telling recorded (when set) the seq of each statement dealt with.
func (s *Service) applyEvidence(ctx context.Context, recorded func(seq int64), where string, args ...any) (int, error) {
	if s.Training == nil {
		return 0, nil
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT st.seq, st.person_id, m.item_id, st.body, COALESCE(c.name, '') FROM xapi_statements st
		JOIN xapi_mappings m ON m.activity_id = st.object LEFT JOIN xapi_clients c ON c.id = st.client_id
		WHERE `+where+` AND st.object_type = 'Activity' AND st.client_id IS NOT NULL AND st.person_id IS NOT NULL AND st.voided = FALSE
		AND st.verb IN `+db.In(len(completingVerbs))+` ORDER BY st.seq`, append(args, completingVerbs...)...)
	if err != nil {
		return 0, fmt.Errorf("read statements for evidence: %w", err)
	}
	type hit struct {
		seq                        int64
		person, item, body, client string
	}
	hits, err := db.Collect(rows, func(r db.Row) (hit, error) {
		var h hit
		return h, r.Scan(&h.seq, &h.person, &h.item, &h.body, &h.client)
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hits {
		var st struct {
			Timestamp time.Time
			Result    *struct {
				Success *bool
				Score   *struct{ Scaled *float64 }
			}
		}
		if err := json.Unmarshal([]byte(h.body), &st); err != nil {
			return n, err
		}
		in := training.RecordInput{PersonID: h.person, ItemID: h.item, CompletedAt: st.Timestamp, Note: "reported by " + h.client + " over xAPI"}
		if r := st.Result; r != nil {
			if r.Success != nil && !*r.Success {
				continue
			}
			if r.Score != nil && r.Score.Scaled != nil && *r.Score.Scaled >= 0 {
				pct := *r.Score.Scaled * 100
				in.Score = &pct
			}
		}
		if now := s.Clock.Now(); in.CompletedAt.After(now) {
			in.CompletedAt = now
		}
		if _, err := s.Training.RecordCompletion(ctx, core.System, in); err != nil {
			if c := core.ErrorCode(err); c != core.EINVALID && c != core.ECONFLICT {
				return n, err
			}
			// a person who left, an item now a path: nothing to record
		} else {
			n++
		}
		if recorded != nil {
			recorded(h.seq)
		}
	}
	return n, nil
}
