package skills

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Criticalities of a requirement, most important first, with the weight each gives a gap.
var Criticalities = []string{"critical", "important", "useful"}

// Weight is how much a gap in a requirement of this criticality counts.
var Weight = map[string]float64{"critical": 3, "important": 2, "useful": 1}

// Requirement says a job role needs a skill at a level.
type Requirement struct {
	JobRoleID   string `json:"job_role_id"`
	JobRoleName string `json:"job_role_name"`
	SkillID     string `json:"skill_id"`
	SkillName   string `json:"skill_name"`
	Level       int    `json:"level"`
	Criticality string `json:"criticality"`
}

// RequirementInput sets one requirement.
type RequirementInput struct {
	JobRoleID   string `json:"job_role_id"`
	SkillID     string `json:"skill_id"`
	Level       int    `json:"level"`
	Criticality string `json:"criticality"`
}

// FindRequirements lists the requirements of a job role, or of every role that requires a skill
// (either id may be empty; both empty lists everything).
func (s *Service) FindRequirements(ctx context.Context, actor *core.Actor, jobRoleID, skillID string) ([]*Requirement, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	return s.requirements(ctx, s.DB.Reader(), jobRoleID, skillID)
}

func (s *Service) requirements(ctx context.Context, q db.Queryer, jobRoleID, skillID string) ([]*Requirement, error) {
	where, args := []string{"1 = 1"}, []any{}
	if jobRoleID != "" {
		where, args = append(where, "rr.job_role_id = ?"), append(args, jobRoleID)
	}
	if skillID != "" {
		where, args = append(where, "rr.skill_id = ?"), append(args, skillID)
	}
	rows, err := q.QueryContext(ctx, `SELECT rr.job_role_id, r.name, rr.skill_id, s.name, rr.level, rr.criticality
		FROM role_requirements rr JOIN job_roles r ON r.id = rr.job_role_id JOIN skills s ON s.id = rr.skill_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY lower(r.name), CASE rr.criticality WHEN 'critical' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, lower(s.name)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find requirements: %w", err)
	}
	defer rows.Close()
	var out []*Requirement
	for rows.Next() {
		var r Requirement
		if err := rows.Scan(&r.JobRoleID, &r.JobRoleName, &r.SkillID, &r.SkillName, &r.Level, &r.Criticality); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SetRequirement adds or changes what a job role requires of a skill.
func (s *Service) SetRequirement(ctx context.Context, actor *core.Actor, in RequirementInput) error {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return err
	}
	in.Criticality = strings.ToLower(strings.TrimSpace(in.Criticality))
	if !slices.Contains(Criticalities, in.Criticality) {
		return core.Invalid("criticality", "choose critical, important or useful")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		role, err := s.Org.FindRoleByID(ctx, core.System, in.JobRoleID)
		if err != nil {
			return core.Invalid("job_role_id", "unknown job role")
		}
		sk, err := s.findSkill(ctx, tx, in.SkillID)
		if err != nil {
			return core.Invalid("skill_id", "unknown skill")
		}
		if sk.Retired {
			return core.Invalid("skill_id", "%s is retired", sk.Name)
		}
		if err := s.checkLevel(ctx, tx, "level", in.Level); err != nil {
			return err
		}
		if in.Level < 1 {
			return core.Invalid("level", "a requirement asks for level 1 or more")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_requirements (job_role_id, skill_id, level, criticality, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (job_role_id, skill_id) DO UPDATE SET level = excluded.level, criticality = excluded.criticality, updated_at = excluded.updated_at`,
			in.JobRoleID, in.SkillID, in.Level, in.Criticality, s.Clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.requirement_set", TargetType: "job_role", TargetID: in.JobRoleID,
			Summary: fmt.Sprintf("%s requires %s at level %d (%s)", role.Name, sk.Name, in.Level, in.Criticality)})
	})
}

// DeleteRequirement removes what a job role requires of a skill.
func (s *Service) DeleteRequirement(ctx context.Context, actor *core.Actor, jobRoleID, skillID string) error {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM role_requirements WHERE job_role_id = ? AND skill_id = ?`, jobRoleID, skillID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.NotFound("requirement")
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.requirement_delete", TargetType: "job_role", TargetID: jobRoleID,
			Summary: "Removed a requirement", Details: map[string]any{"skill_id": skillID}})
	})
}

// CoverageTarget asks a unit to have at least MinPeople at Level or above in a skill.
type CoverageTarget struct {
	OrgUnitID   string `json:"org_unit_id"`
	OrgUnitName string `json:"org_unit_name"`
	SkillID     string `json:"skill_id"`
	SkillName   string `json:"skill_name"`
	Level       int    `json:"level"`
	MinPeople   int    `json:"min_people"`
}

// FindCoverageTargets lists the coverage targets of a unit ("" for every unit).
func (s *Service) FindCoverageTargets(ctx context.Context, actor *core.Actor, unitID string) ([]*CoverageTarget, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	where, args := "1 = 1", []any{}
	if unitID != "" {
		where, args = "t.org_unit_id = ?", []any{unitID}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.org_unit_id, u.name, t.skill_id, s.name, t.level, t.min_people
		FROM coverage_targets t JOIN org_units u ON u.id = t.org_unit_id JOIN skills s ON s.id = t.skill_id
		WHERE `+where+` ORDER BY lower(u.name), lower(s.name)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find coverage targets: %w", err)
	}
	defer rows.Close()
	var out []*CoverageTarget
	for rows.Next() {
		var c CoverageTarget
		if err := rows.Scan(&c.OrgUnitID, &c.OrgUnitName, &c.SkillID, &c.SkillName, &c.Level, &c.MinPeople); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// SetCoverageTarget adds or changes a unit's coverage target for a skill.
func (s *Service) SetCoverageTarget(ctx context.Context, actor *core.Actor, t CoverageTarget) error {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return err
	}
	if t.MinPeople < 1 || t.MinPeople > 10000 {
		return core.Invalid("min_people", "ask for 1 to 10,000 people")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.Org.FindUnitByID(ctx, core.System, t.OrgUnitID)
		if err != nil {
			return core.Invalid("org_unit_id", "unknown org unit")
		}
		sk, err := s.findSkill(ctx, tx, t.SkillID)
		if err != nil {
			return core.Invalid("skill_id", "unknown skill")
		}
		if sk.Retired {
			return core.Invalid("skill_id", "%s is retired", sk.Name)
		}
		if err := s.checkLevel(ctx, tx, "level", t.Level); err != nil {
			return err
		}
		if t.Level < 1 {
			return core.Invalid("level", "a coverage target asks for level 1 or more")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO coverage_targets (org_unit_id, skill_id, level, min_people, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (org_unit_id, skill_id) DO UPDATE SET level = excluded.level, min_people = excluded.min_people, updated_at = excluded.updated_at`,
			t.OrgUnitID, t.SkillID, t.Level, t.MinPeople, s.Clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.coverage_set", TargetType: "org_unit", TargetID: t.OrgUnitID,
			Summary: fmt.Sprintf("%s needs at least %d people at level %d in %s", u.Name, t.MinPeople, t.Level, sk.Name)})
	})
}
