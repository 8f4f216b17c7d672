package skills

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// RecordRatings stores many ratings in one transaction (a matrix import, test results from
// another system, the demo) and recomputes the current levels of everyone they touch. Recording
// in bulk is for L&D and HR (skills:write); each rating's source is as given, and the actor is
// its rater, except that the system may name each rating's rater (RaterID). Any invalid rating
// refuses the whole batch, naming its index.
func (s *Service) RecordRatings(ctx context.Context, actor *core.Actor, in []RatingInput, summary string) (int, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return 0, err
	}
	if len(in) == 0 {
		return 0, nil
	}
	now := s.Clock.Now()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		valid, err := s.validator(ctx, tx, in)
		if err != nil {
			return err
		}
		var rater any
		if !actor.IsSystem() && actor.PersonID != "" {
			rater = actor.PersonID
		}
		rows := make([][]any, 0, len(in))
		people := map[string]bool{}
		for i, r := range in {
			if err := valid(i, &r); err != nil {
				return err
			}
			at := now
			if r.RatedAt != nil {
				at = r.RatedAt.UTC().Truncate(time.Microsecond)
			}
			by := rater
			if r.RaterID != "" {
				if !actor.IsSystem() {
					return core.Invalid(fmt.Sprintf("ratings[%d].rater_id", i), "only the system records ratings on someone else's behalf")
				}
				by = r.RaterID
			}
			rows = append(rows, []any{core.NewID(), r.PersonID, r.SkillID, r.Level, r.Source, by, at, r.Note, r.EvidenceURL, now})
			people[r.PersonID] = true
		}
		ids := make([]string, 0, len(people))
		for id := range people {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		// People rated for the first time (everyone in the demo) get their levels from this
		// batch in memory; reading back what was just written cost a fifth of the transaction.
		// The others are derived from everything stored, as recomputePeople does.
		rated, err := peopleWithRatings(ctx, tx, ids)
		if err != nil {
			return err
		}
		if err := db.InsertMany(ctx, tx, "skill_ratings", []string{"id", "person_id", "skill_id", "level", "source", "rater_person_id",
			"rated_at", "note", "evidence_url", "created_at"}, rows); err != nil {
			return err
		}
		var before, first []string
		for _, id := range ids {
			if rated[id] {
				before = append(before, id)
			} else {
				first = append(first, id)
			}
		}
		if err := s.recomputePeople(ctx, tx, before, now); err != nil {
			return err
		}
		// The evidence as it would read back: in the order stored, times to the microsecond.
		ev := map[ratingPair][]Evidence{}
		for _, r := range rows {
			person := r[1].(string)
			if rated[person] {
				continue
			}
			rater, _ := r[5].(string)
			p := ratingPair{person, r[2].(string)}
			ev[p] = append(ev[p], Evidence{Level: r[3].(int), Source: r[4].(string), RaterID: rater, At: r[6].(time.Time).Truncate(time.Microsecond)})
		}
		if err := writeLevels(ctx, tx, first, ev, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.ratings_import", TargetType: "ratings",
			Summary: fmt.Sprintf("Recorded %d ratings of %d people: %s", len(in), len(ids), summary)})
	})
	if err != nil {
		return 0, err
	}
	return len(in), nil
}

// validator loads what checking a batch needs once (the scale, the skills, the people) and returns
// a check for each rating.
func (s *Service) validator(ctx context.Context, q db.Queryer, in []RatingInput) (func(i int, r *RatingInput) error, error) {
	var lo, hi int
	if err := q.QueryRowContext(ctx, `SELECT min(level), max(level) FROM proficiency_levels`).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("read the scale: %w", err)
	}
	retired := map[string]bool{}
	rows, err := q.QueryContext(ctx, `SELECT id, retired_at IS NOT NULL FROM skills`)
	if err != nil {
		return nil, fmt.Errorf("read skills: %w", err)
	}
	for rows.Next() {
		var id string
		var r bool
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return nil, err
		}
		retired[id] = r
	}
	rows.Close()
	active := map[string]bool{}
	var ids []string
	for _, r := range in {
		if !active[r.PersonID] && core.ValidID(r.PersonID) {
			active[r.PersonID] = false
			ids = append(ids, r.PersonID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT id FROM people WHERE status = 'active' AND id IN `+db.In(len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("read people: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			active[id] = true
		}
		rows.Close()
	}
	return func(i int, r *RatingInput) error {
		field := func(f string) string { return fmt.Sprintf("ratings[%d].%s", i, f) }
		r.Source = strings.ToLower(strings.TrimSpace(r.Source))
		switch {
		case !active[r.PersonID]:
			return core.Invalid(field("person_id"), "unknown person, or someone who left")
		case r.SkillID == "" || !core.ValidID(r.SkillID):
			return core.Invalid(field("skill_id"), "unknown skill")
		}
		ret, known := retired[r.SkillID]
		switch {
		case !known:
			return core.Invalid(field("skill_id"), "unknown skill")
		case ret:
			return core.Invalid(field("skill_id"), "the skill is retired")
		case r.Level < lo || r.Level > hi:
			return core.Invalid(field("level"), "%d is outside the scale (%d to %d)", r.Level, lo, hi)
		case !slices.Contains(Sources, r.Source):
			return core.Invalid(field("source"), "choose one of %s", strings.Join(Sources, ", "))
		}
		return nil
	}, nil
}

// ratingPair is a person and a skill.
type ratingPair struct{ person, skill string }

// peopleWithRatings returns which of the given people have a stored rating.
func peopleWithRatings(ctx context.Context, q db.Queryer, personIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(personIDs); start += 500 {
		ids := personIDs[start:min(start+500, len(personIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT person_id FROM skill_ratings WHERE person_id IN `+db.In(len(ids)), args...)
		if err != nil {
			return nil, fmt.Errorf("read rated people: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recomputePeople derives every current level of the given people from all their ratings,
// replacing what was stored: the bulk counterpart of recompute.
func (s *Service) recomputePeople(ctx context.Context, tx *db.Tx, personIDs []string, now time.Time) error {
	const chunk = 400
	for start := 0; start < len(personIDs); start += chunk {
		ids := personIDs[start:min(start+chunk, len(personIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT person_id, skill_id, level, source, COALESCE(rater_person_id, ''), rated_at, weight FROM skill_ratings
			WHERE person_id IN `+db.In(len(ids)), args...)
		if err != nil {
			return fmt.Errorf("read ratings: %w", err)
		}
		ev := map[ratingPair][]Evidence{}
		for rows.Next() {
			var p ratingPair
			var e Evidence
			if err := rows.Scan(&p.person, &p.skill, &e.Level, &e.Source, &e.RaterID, &e.At, &e.Weight); err != nil {
				rows.Close()
				return err
			}
			ev[p] = append(ev[p], e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := writeLevels(ctx, tx, ids, ev, now); err != nil {
			return err
		}
	}
	return nil
}

// writeLevels replaces the current levels of the given people with those derived from ev, their
// ratings by person and skill.
func writeLevels(ctx context.Context, tx *db.Tx, personIDs []string, ev map[ratingPair][]Evidence, now time.Time) error {
	byPerson := map[string][]string{} // person → skills rated
	for p := range ev {
		byPerson[p.person] = append(byPerson[p.person], p.skill)
	}
	const chunk = 400
	for start := 0; start < len(personIDs); start += chunk {
		ids := personIDs[start:min(start+chunk, len(personIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM skill_levels WHERE person_id IN `+db.In(len(ids)), args...); err != nil {
			return err
		}
		var levels [][]any
		for _, person := range ids {
			skills := byPerson[person]
			slices.Sort(skills)
			for _, skill := range skills {
				c, ok := Derive(ev[ratingPair{person, skill}], now)
				if !ok {
					continue
				}
				levels = append(levels, []any{person, skill, c.Level, c.Confidence, c.SelfLevel, c.ManagerLevel, c.Ratings, c.LastEvidence, now})
			}
		}
		if err := db.InsertMany(ctx, tx, "skill_levels", []string{"person_id", "skill_id", "level", "confidence", "self_level", "manager_level",
			"ratings", "last_evidence_at", "computed_at"}, levels); err != nil {
			return err
		}
	}
	return nil
}
