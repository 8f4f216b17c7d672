package skills

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// TrainingEvidence is a rating that training derives from a completion: a test passed (source
// test, weighted by the score) or an item completed without a test (source activity).
type TrainingEvidence struct {
	PersonID string
	SkillID  string
	Level    int
	Source   string // SourceTest or SourceActivity
	Weight   float64
	Note     string
	At       time.Time
}

// RecordTrainingEvidence stores ratings derived from training inside the transaction that
// records the completions, and recomputes the levels of the people they touch. Training decides
// that the evidence is due, so no permission is checked here; the ratings have no rater.
// Retired skills are skipped (the item may outlive them) and levels are kept inside the scale.
func (s *Service) RecordTrainingEvidence(ctx context.Context, tx *db.Tx, ev []TrainingEvidence, now time.Time) error {
	if len(ev) == 0 {
		return nil
	}
	var lo, hi int
	if err := tx.QueryRowContext(ctx, `SELECT min(level), max(level) FROM proficiency_levels`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("read the scale: %w", err)
	}
	active := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM skills WHERE retired_at IS NULL`)
	if err != nil {
		return fmt.Errorf("read skills: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		active[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	out := make([][]any, 0, len(ev))
	people := map[string]bool{}
	pairs := map[ratingPair]bool{}
	for _, e := range ev {
		if e.Source != SourceTest && e.Source != SourceActivity {
			return fmt.Errorf("training evidence of source %q", e.Source)
		}
		if !active[e.SkillID] {
			continue
		}
		weight := min(max(e.Weight, 0.01), 1)
		out = append(out, []any{core.NewID(), e.PersonID, e.SkillID, min(max(e.Level, lo), hi), e.Source, nil, e.At.UTC().Truncate(time.Microsecond), e.Note, "", now, weight})
		people[e.PersonID] = true
		pairs[ratingPair{e.PersonID, e.SkillID}] = true
	}
	if err := db.InsertMany(ctx, tx, "skill_ratings", []string{"id", "person_id", "skill_id", "level", "source", "rater_person_id", "rated_at", "note",
		"evidence_url", "created_at", "weight"}, out); err != nil {
		return fmt.Errorf("store training evidence: %w", err)
	}
	if len(pairs) <= 20 {
		// A completion or two: recompute the pairs, not everything the people have.
		for p := range pairs {
			if err := s.recompute(ctx, tx, p.person, p.skill, now); err != nil {
				return err
			}
		}
		return nil
	}
	ids := make([]string, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return s.recomputePeople(ctx, tx, ids, now)
}
