package skills

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/outbox"
)

// Rating is one piece of evidence of a person's level in a skill. Ratings are never changed or
// deleted: a new rating adds to the history.
type Rating struct {
	ID          string    `json:"id"`
	PersonID    string    `json:"person_id"`
	SkillID     string    `json:"skill_id"`
	SkillName   string    `json:"skill_name"`
	Level       int       `json:"level"`
	Source      string    `json:"source"`
	RaterID     string    `json:"rater_id,omitempty"`
	RaterName   string    `json:"rater_name,omitempty"`
	RatedAt     time.Time `json:"rated_at"`
	Note        string    `json:"note"`
	EvidenceURL string    `json:"evidence_url"`
}

// RatingInput records a rating.
type RatingInput struct {
	PersonID    string     `json:"person_id"`
	SkillID     string     `json:"skill_id"`
	Level       int        `json:"level"`
	Source      string     `json:"source"`
	Note        string     `json:"note"`
	EvidenceURL string     `json:"evidence_url"`
	RatedAt     *time.Time `json:"rated_at"` // when the evidence is from (a test taken earlier); now when absent
	// RaterID names who gave a rating recorded on their behalf, in bulk by the system (the demo,
	// a migration from another tool). Other callers rate as themselves and leave it empty.
	RaterID string `json:"-"`
}

// mayRate checks the rule of each source: people assess themselves; managers rate the people
// below them in the reporting tree; anyone may endorse a colleague (peer); tests, certifications
// and activity evidence come from L&D and HR, or from learnloop itself.
func (s *Service) mayRate(actor *core.Actor, target *org.Person, source string) error {
	if err := actor.Require(core.PermSkillsRate); err != nil {
		return err
	}
	refuse := func(msg string) error { return &core.Error{Code: core.EFORBIDDEN, Field: "source", Message: msg} }
	switch source {
	case SourceSelf:
		if actor.IsSystem() || target.ID == actor.PersonID {
			return nil
		}
		return refuse("a self-assessment is made by the person themselves")
	case SourceManager:
		if actor.IsSystem() || target.ID != actor.PersonID && actor.PersonID != "" && strings.Contains(target.ReportsPath, "/"+actor.PersonID+"/") {
			return nil
		}
		return refuse("only a manager rates the people who report to them")
	case SourcePeer:
		if actor.IsSystem() || target.ID != actor.PersonID && actor.PersonID != "" {
			return nil
		}
		return refuse("a peer endorsement is given to someone else")
	case SourceTest, SourceCertification, SourceActivity:
		if actor.Can(core.PermSkillsWrite) {
			return nil
		}
		return refuse("test results, certifications and activity evidence are recorded by L&D or HR")
	}
	return core.Invalid("source", "choose one of %s", strings.Join(Sources, ", "))
}

// Rate records a rating and updates the person's current level in the skill.
func (s *Service) Rate(ctx context.Context, actor *core.Actor, in RatingInput) (*Rating, error) {
	in.Source = strings.ToLower(strings.TrimSpace(in.Source))
	in.Note, in.EvidenceURL = strings.TrimSpace(in.Note), strings.TrimSpace(in.EvidenceURL)
	var v core.Validation
	if !slices.Contains(Sources, in.Source) {
		v.Add("source", "choose one of %s", strings.Join(Sources, ", "))
	}
	if len(in.Note) > 2000 {
		v.Add("note", "must be at most 2000 characters")
	}
	if in.EvidenceURL != "" {
		if u, err := url.Parse(in.EvidenceURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.EvidenceURL) > 2000 {
			v.Add("evidence_url", "enter a web address starting with https://")
		}
	}
	now := s.Clock.Now()
	if in.RatedAt != nil && in.RatedAt.After(now.Add(time.Minute)) {
		v.Add("rated_at", "cannot be in the future")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := actor.Require(core.PermSkillsRate); err != nil {
		return nil, err
	}
	target, err := s.rateable(ctx, actor, in.PersonID, in.Source)
	if err != nil {
		return nil, err
	}
	if err := s.mayRate(actor, target, in.Source); err != nil {
		return nil, err
	}
	if target.Status != org.StatusActive {
		return nil, core.Invalid("person_id", "%s has left; ratings are for people who work here", target.Name())
	}
	var r *Rating
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = s.rate(ctx, tx, actor, in, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.rate", TargetType: "person", TargetID: target.ID,
			Summary: fmt.Sprintf("Rated %s in %s at level %d (%s)", target.Name(), r.SkillName, r.Level, r.Source)})
	})
	return r, err
}

// rateable finds the person a rating is for. It must be in the rater's data scope, except that
// a peer endorsement may go to a colleague of the same org unit, whom an employee's scope does not
// include. Anyone else is "not found", whatever the source.
func (s *Service) rateable(ctx context.Context, actor *core.Actor, personID, source string) (*org.Person, error) {
	target, err := s.Org.FindPersonByID(ctx, actor, personID)
	if err == nil || source != SourcePeer || core.ErrorCode(err) != core.ENOTFOUND || actor.PersonID == "" {
		return target, err
	}
	me, err := s.Org.FindPersonByID(ctx, actor, actor.PersonID)
	if err != nil {
		return nil, err
	}
	target, err = s.Org.FindPersonByID(ctx, core.System, personID)
	if err != nil || me.OrgUnitID == "" || target.OrgUnitID != me.OrgUnitID {
		return nil, core.NotFound("person")
	}
	return target, nil
}

// rate stores a rating whose permission was checked, and recomputes the current level.
func (s *Service) rate(ctx context.Context, tx *db.Tx, actor *core.Actor, in RatingInput, now time.Time) (*Rating, error) {
	sk, err := s.findSkill(ctx, tx, in.SkillID)
	if err != nil {
		return nil, core.Invalid("skill_id", "unknown skill")
	}
	if sk.Retired {
		return nil, core.Invalid("skill_id", "%s is retired", sk.Name)
	}
	if err := s.checkLevel(ctx, tx, "level", in.Level); err != nil {
		return nil, err
	}
	at := now
	if in.RatedAt != nil {
		at = in.RatedAt.UTC().Truncate(time.Microsecond)
	}
	r := &Rating{ID: core.NewID(), PersonID: in.PersonID, SkillID: sk.ID, SkillName: sk.Name, Level: in.Level, Source: in.Source,
		RatedAt: at, Note: in.Note, EvidenceURL: in.EvidenceURL}
	var rater any
	if !actor.IsSystem() && actor.PersonID != "" {
		rater, r.RaterID, r.RaterName = actor.PersonID, actor.PersonID, actor.Name
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO skill_ratings (id, person_id, skill_id, level, source, rater_person_id, rated_at, note, evidence_url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.PersonID, r.SkillID, r.Level, r.Source, rater, r.RatedAt, r.Note, r.EvidenceURL, now); err != nil {
		return nil, fmt.Errorf("store rating: %w", err)
	}
	if err := outbox.Publish(ctx, tx, outbox.Event{ID: r.ID, Type: outbox.Rated, PersonID: r.PersonID, At: r.RatedAt,
		Object: outbox.Ref{Kind: "skill", ID: sk.ID, Name: sk.Name}, Level: r.Level, Source: r.Source, By: r.RaterID}); err != nil {
		return nil, err
	}
	return r, s.recompute(ctx, tx, in.PersonID, sk.ID, now)
}

// recompute derives one person's current level in one skill from all their ratings in it: a new
// rating changes one row, never a rebuild.
func (s *Service) recompute(ctx context.Context, ex db.Execer, personID, skillID string, now time.Time) error {
	rows, err := ex.QueryContext(ctx, `SELECT level, source, COALESCE(rater_person_id, ''), rated_at, weight FROM skill_ratings WHERE person_id = ? AND skill_id = ?`, personID, skillID)
	if err != nil {
		return fmt.Errorf("read ratings: %w", err)
	}
	var ev []Evidence
	for rows.Next() {
		var e Evidence
		if err := rows.Scan(&e.Level, &e.Source, &e.RaterID, &e.At, &e.Weight); err != nil {
			rows.Close()
			return err
		}
		ev = append(ev, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	c, ok := Derive(ev, now)
	if !ok {
		_, err := ex.ExecContext(ctx, `DELETE FROM skill_levels WHERE person_id = ? AND skill_id = ?`, personID, skillID)
		return err
	}
	_, err = ex.ExecContext(ctx, `INSERT INTO skill_levels (person_id, skill_id, level, confidence, self_level, manager_level, ratings, last_evidence_at, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, skill_id) DO UPDATE SET level = excluded.level, confidence = excluded.confidence, self_level = excluded.self_level,
		manager_level = excluded.manager_level, ratings = excluded.ratings, last_evidence_at = excluded.last_evidence_at, computed_at = excluded.computed_at`,
		personID, skillID, c.Level, c.Confidence, c.SelfLevel, c.ManagerLevel, c.Ratings, c.LastEvidence, now)
	return err
}

// MaxHistory is the most ratings FindRatings returns, newest first.
const MaxHistory = 1000

// FindRatings returns the history of a person's ratings, newest first, in one skill or in all
// ("" skillID). The person must be in the actor's data scope.
func (s *Service) FindRatings(ctx context.Context, actor *core.Actor, personID, skillID string) ([]*Rating, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	if _, err := s.Org.FindPersonByID(ctx, actor, personID); err != nil {
		return nil, err
	}
	where, args := "r.person_id = ?", []any{personID}
	if skillID != "" {
		where, args = where+" AND r.skill_id = ?", append(args, skillID)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.person_id, r.skill_id, s.name, r.level, r.source, COALESCE(r.rater_person_id, ''),
		COALESCE(p.given_name || ' ' || p.family_name, ''), r.rated_at, r.note, r.evidence_url
		FROM skill_ratings r JOIN skills s ON s.id = r.skill_id LEFT JOIN people p ON p.id = r.rater_person_id
		WHERE `+where+` ORDER BY r.rated_at DESC, r.id DESC LIMIT ?`, append(args, MaxHistory)...)
	if err != nil {
		return nil, fmt.Errorf("find ratings: %w", err)
	}
	defer rows.Close()
	var out []*Rating
	for rows.Next() {
		var r Rating
		if err := rows.Scan(&r.ID, &r.PersonID, &r.SkillID, &r.SkillName, &r.Level, &r.Source, &r.RaterID, &r.RaterName, &r.RatedAt, &r.Note, &r.EvidenceURL); err != nil {
			return nil, err
		}
		r.RatedAt = r.RatedAt.UTC()
		out = append(out, &r)
	}
	return out, rows.Err()
}

// RefreshLevels recomputes current levels last computed before cutoff, so that confidence keeps
// falling for skills nobody shows any more; it does at most limit pairs per call and reports how
// many it did. Safe to run from several instances.
func (s *Service) RefreshLevels(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT person_id, skill_id FROM skill_levels WHERE computed_at < ? LIMIT ?`, cutoff, limit)
	if err != nil {
		return 0, fmt.Errorf("find stale levels: %w", err)
	}
	type pair struct{ person, skill string }
	var stale []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.person, &p.skill); err != nil {
			rows.Close()
			return 0, err
		}
		stale = append(stale, p)
	}
	rows.Close()
	if len(stale) == 0 {
		return 0, rows.Err()
	}
	now := s.Clock.Now()
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		for _, p := range stale {
			if err := s.recompute(ctx, tx, p.person, p.skill, now); err != nil {
				return err
			}
		}
		return nil
	})
	return len(stale), err
}
