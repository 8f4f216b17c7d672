package skills

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
)

// PersonSkill is one skill in a person's profile: where they are, and what their role asks.
type PersonSkill struct {
	SkillID      string    `json:"skill_id"`
	SkillName    string    `json:"skill_name"`
	Category     string    `json:"category,omitempty"`
	Level        float64   `json:"level"` // 0 without evidence
	Confidence   float64   `json:"confidence"`
	SelfLevel    *int      `json:"self_level"`
	ManagerLevel *int      `json:"manager_level"`
	Ratings      int       `json:"ratings"`
	LastEvidence time.Time `json:"last_evidence_at,omitzero"`
	Required     int       `json:"required_level"` // 0 when the role does not require it
	Criticality  string    `json:"criticality,omitempty"`
	Gap          float64   `json:"gap"` // required minus level, never below 0
	Disagreement bool      `json:"disagreement"`
}

// Profile is a person's skills against a job role (their own, or one they consider).
type Profile struct {
	PersonID  string         `json:"person_id"`
	JobRoleID string         `json:"job_role_id,omitempty"`
	JobRole   string         `json:"job_role,omitempty"`
	Skills    []*PersonSkill `json:"skills"`
	// Readiness is how much of the role's requirements the person meets, 0..1: each requirement
	// counts min(level / required, 1), weighted by criticality.
	Readiness float64 `json:"readiness"`
	// WeightedGap sums each requirement's gap times its criticality weight.
	WeightedGap float64 `json:"weighted_gap"`
}

// PersonProfile returns a person's skills and gaps against a job role: roleID, or the person's own
// role when roleID is "". The person must be in the actor's scope.
func (s *Service) PersonProfile(ctx context.Context, actor *core.Actor, personID, roleID string) (*Profile, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	p, err := s.Org.FindPersonByID(ctx, actor, personID)
	if err != nil {
		return nil, err
	}
	if roleID == "" {
		roleID = p.JobRoleID
	}
	prof := &Profile{PersonID: p.ID, JobRoleID: roleID, Skills: []*PersonSkill{}}
	bySkill := map[string]*PersonSkill{}
	if roleID != "" {
		role, err := s.Org.FindRoleByID(ctx, actor, roleID)
		if err != nil {
			return nil, core.Invalid("job_role", "unknown job role")
		}
		prof.JobRole = role.Name
		reqs, err := s.requirements(ctx, s.DB.Reader(), roleID, "")
		if err != nil {
			return nil, err
		}
		for _, r := range reqs {
			ps := &PersonSkill{SkillID: r.SkillID, SkillName: r.SkillName, Required: r.Level, Criticality: r.Criticality}
			bySkill[r.SkillID] = ps
			prof.Skills = append(prof.Skills, ps)
		}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT l.skill_id, s.name, COALESCE(c.name, ''), l.level, l.confidence, l.self_level, l.manager_level, l.ratings, l.last_evidence_at
		FROM skill_levels l JOIN skills s ON s.id = l.skill_id LEFT JOIN skill_categories c ON c.id = s.category_id
		WHERE l.person_id = ?`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("read levels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ps PersonSkill
		if err := rows.Scan(&ps.SkillID, &ps.SkillName, &ps.Category, &ps.Level, &ps.Confidence, &ps.SelfLevel, &ps.ManagerLevel, &ps.Ratings, &ps.LastEvidence); err != nil {
			return nil, err
		}
		ps.LastEvidence = ps.LastEvidence.UTC()
		if req, ok := bySkill[ps.SkillID]; ok {
			ps.Required, ps.Criticality = req.Required, req.Criticality
			*req = ps
			continue
		}
		cp := ps
		prof.Skills = append(prof.Skills, &cp)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var weights, met float64
	for _, ps := range prof.Skills {
		c := Current{SelfLevel: ps.SelfLevel, ManagerLevel: ps.ManagerLevel}
		ps.Disagreement = c.Disagreement()
		if ps.Required == 0 {
			continue
		}
		ps.Gap = math.Max(0, math.Round((float64(ps.Required)-ps.Level)*10)/10)
		w := Weight[ps.Criticality]
		weights += w
		met += w * math.Min(ps.Level/float64(ps.Required), 1)
		prof.WeightedGap += w * ps.Gap
	}
	if weights > 0 {
		prof.Readiness = math.Round(met/weights*1000) / 1000
	}
	prof.WeightedGap = math.Round(prof.WeightedGap*10) / 10
	// Required skills first, biggest weighted gap first; then the rest by name.
	slices.SortStableFunc(prof.Skills, func(a, b *PersonSkill) int {
		switch {
		case (a.Required > 0) != (b.Required > 0):
			if a.Required > 0 {
				return -1
			}
			return 1
		case a.Required > 0 && a.Gap*Weight[a.Criticality] != b.Gap*Weight[b.Criticality]:
			if a.Gap*Weight[a.Criticality] > b.Gap*Weight[b.Criticality] {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.SkillName), strings.ToLower(b.SkillName))
	})
	return prof, nil
}
