package skills

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
)

// AssessedLevel is one level in a self-assessment or a manager's validation.
type AssessedLevel struct {
	PersonID string `json:"person_id,omitempty"` // validations only
	SkillID  string `json:"skill_id"`
	Level    int    `json:"level"`
}

// SelfAssess records a person's self-assessment of several skills at once (a new hire's first
// assessment, a yearly update): a self rating for each level that differs from their latest one.
// Only the person themselves assesses; any invalid level refuses the whole form. It returns how
// many ratings were recorded.
func (s *Service) SelfAssess(ctx context.Context, actor *core.Actor, personID string, levels []AssessedLevel, note string) (int, error) {
	prof, err := s.PersonProfile(ctx, actor, personID, "")
	if err != nil {
		return 0, err
	}
	if !actor.IsSystem() && actor.PersonID != personID {
		return 0, &core.Error{Code: core.EFORBIDDEN, Message: "a self-assessment is made by the person themselves"}
	}
	latest := map[string]*int{}
	for _, ps := range prof.Skills {
		latest[ps.SkillID] = ps.SelfLevel
	}
	var in []RatingInput
	for _, l := range levels {
		if cur := latest[l.SkillID]; cur != nil && *cur == l.Level {
			continue
		}
		in = append(in, RatingInput{PersonID: personID, SkillID: l.SkillID, Level: l.Level, Source: SourceSelf, Note: note})
	}
	return s.rateMany(ctx, actor, in, "skills.self_assess", "Self-assessed %d skills")
}

// Validation is a self-rating waiting for the manager's view: the person rated themselves after
// (or without) the manager's latest rating of the same skill.
type Validation struct {
	PersonID     string    `json:"person_id"`
	PersonName   string    `json:"person_name"`
	SkillID      string    `json:"skill_id"`
	SkillName    string    `json:"skill_name"`
	SelfLevel    int       `json:"self_level"`
	SelfAt       time.Time `json:"self_at"`
	ManagerLevel *int      `json:"manager_level"` // the manager's earlier rating, if any
	Required     int       `json:"required_level"`
}

// MaxValidations bounds one list of pending validations.
const MaxValidations = 500

// PendingValidations lists the self-ratings of the actor's direct reports (or of one of them,
// personID) that no manager rating has followed yet, oldest first.
func (s *Service) PendingValidations(ctx context.Context, actor *core.Actor, personID string) ([]*Validation, error) {
	if err := actor.Require(core.PermSkillsRate); err != nil {
		return nil, err
	}
	out := []*Validation{}
	if actor.PersonID == "" {
		return out, nil
	}
	f := org.PersonFilter{ManagerID: actor.PersonID}
	if personID != "" {
		if !core.ValidID(personID) {
			return nil, core.NotFound("person")
		}
		p, err := s.Org.FindPersonByID(ctx, actor, personID)
		if err != nil {
			return nil, err
		}
		if p.ManagerID != actor.PersonID {
			return out, nil
		}
	}
	cond, args, err := s.Org.PeopleCondition(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	if personID != "" {
		cond, args = cond+" AND p.id = ?", append(args, personID)
	}
	// The latest self rating of each pair, without a manager rating at or after it.
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT r.person_id, p.given_name, p.family_name, r.skill_id, sk.name, r.level, r.rated_at,
			(SELECT m.level FROM skill_ratings m WHERE m.person_id = r.person_id AND m.skill_id = r.skill_id AND m.source = 'manager'
				ORDER BY m.rated_at DESC LIMIT 1),
			COALESCE((SELECT rr.level FROM role_requirements rr WHERE rr.job_role_id = p.job_role_id AND rr.skill_id = r.skill_id), 0)
		FROM people p JOIN skill_ratings r ON r.person_id = p.id AND r.source = 'self'
		JOIN skills sk ON sk.id = r.skill_id AND sk.retired_at IS NULL
		WHERE `+cond+`
		AND NOT EXISTS (SELECT 1 FROM skill_ratings n WHERE n.person_id = r.person_id AND n.skill_id = r.skill_id AND n.source = 'self'
			AND (n.rated_at > r.rated_at OR n.rated_at = r.rated_at AND n.id > r.id))
		AND NOT EXISTS (SELECT 1 FROM skill_ratings m WHERE m.person_id = r.person_id AND m.skill_id = r.skill_id AND m.source = 'manager'
			AND m.rated_at >= r.rated_at)
		ORDER BY r.rated_at, p.sort_name, sk.name LIMIT ?`, append(args, MaxValidations)...)
	if err != nil {
		return nil, fmt.Errorf("pending validations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v Validation
		var given, family string
		if err := rows.Scan(&v.PersonID, &given, &family, &v.SkillID, &v.SkillName, &v.SelfLevel, &v.SelfAt, &v.ManagerLevel, &v.Required); err != nil {
			return nil, err
		}
		v.PersonName = strings.TrimSpace(given + " " + family)
		v.SelfAt = v.SelfAt.UTC()
		out = append(out, &v)
	}
	return out, rows.Err()
}

// Validate records the manager's view of their reports' self-ratings: a manager rating for each
// level, the self-rated one to confirm it or another to adjust it. Each must be a person below
// the actor in the reporting tree; any invalid item refuses them all.
func (s *Service) Validate(ctx context.Context, actor *core.Actor, items []AssessedLevel, note string) (int, error) {
	in := make([]RatingInput, len(items))
	for i, it := range items {
		in[i] = RatingInput{PersonID: it.PersonID, SkillID: it.SkillID, Level: it.Level, Source: SourceManager, Note: note}
	}
	return s.rateMany(ctx, actor, in, "skills.validate", "Validated %d self-assessed levels")
}

// rateMany records ratings from one actor all or nothing, each checked by the rule of its
// source like Rate, and audits them once.
func (s *Service) rateMany(ctx context.Context, actor *core.Actor, in []RatingInput, action, summary string) (int, error) {
	if err := actor.Require(core.PermSkillsRate); err != nil {
		return 0, err
	}
	if len(in) == 0 {
		return 0, nil
	}
	if len(in) > MaxValidations {
		return 0, core.Errorf(core.ETOOMANY, "at most %d levels at once", MaxValidations)
	}
	people := map[string]*org.Person{}
	for i := range in {
		in[i].Note = strings.TrimSpace(in[i].Note)
		if len(in[i].Note) > 2000 {
			return 0, core.Invalid("note", "must be at most 2000 characters")
		}
		id := in[i].PersonID
		if people[id] == nil {
			target, err := s.rateable(ctx, actor, id, in[i].Source)
			if err != nil {
				if core.ErrorCode(err) == core.ENOTFOUND {
					return 0, core.Invalid(fmt.Sprintf("levels[%d].person_id", i), "unknown person")
				}
				return 0, err
			}
			if err := s.mayRate(actor, target, in[i].Source); err != nil {
				return 0, err
			}
			people[id] = target
		}
	}
	var n int
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		valid, err := s.validator(ctx, tx, in)
		if err != nil {
			return err
		}
		for i := range in {
			if err := valid(i, &in[i]); err != nil {
				var e *core.Error
				if errors.As(err, &e) {
					e.Field = strings.Replace(e.Field, "ratings[", "levels[", 1)
				}
				return err
			}
		}
		var who []string
		for _, p := range people {
			who = append(who, p.Name())
		}
		slices.Sort(who)
		target := ""
		if len(people) == 1 {
			for id := range people {
				target = id
			}
		}
		n = len(in)
		return s.recordChecked(ctx, tx, actor, in, audit.Entry{Action: action, TargetType: "person", TargetID: target,
			Summary: fmt.Sprintf(summary, len(in)) + " of " + strings.Join(who, ", ")})
	})
	return n, err
}
