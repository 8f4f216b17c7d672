package skills

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
)

// NeedsFilter chooses the people and skills of a training needs analysis.
type NeedsFilter struct {
	OrgUnitID   string // a unit and every unit below it
	Below       string // everyone below this person in the reporting tree
	JobRoleID   string
	Location    string
	CategoryID  string // skills in this category and below
	Criticality string // only skills required at least this critically
}

// MaxNeedPeople bounds the people listed for one skill; the counts cover everyone.
const MaxNeedPeople = 100

// Need is one skill some of the selected people fall short in.
type Need struct {
	SkillID  string `json:"skill_id"`
	Skill    string `json:"skill"`
	Category string `json:"category,omitempty"`
	// Criticality is the highest with which a role of the people short requires the skill.
	Criticality string  `json:"criticality"`
	Required    int     `json:"required"` // people whose role requires the skill
	Short       int     `json:"short"`    // of them, people below the required level
	GapSum      float64 `json:"gap_sum"`  // levels missing, summed over the people short
	MeanGap     float64 `json:"mean_gap"` // GapSum / Short
	// Priority is criticality weight × gap summed over the people short: criticality × gap size
	// × headcount.
	Priority float64 `json:"priority"`
	// Since is when the oldest of these gaps became known: for each person, the later of the
	// time their role's requirement was last set and the time they were added.
	Since  time.Time    `json:"since"`
	People []NeedPerson `json:"people"` // the people short, biggest gap first, at most MaxNeedPeople
	// ByUnit splits Required and Short by the units of Needs.Units, in their order.
	ByUnit []UnitNeed `json:"by_unit,omitempty"`
}

// UnitNeed is a need within one unit.
type UnitNeed struct {
	Required int `json:"required"`
	Short    int `json:"short"`
}

// NeedUnit is a unit needs are split by: a unit directly below the unit asked for, or that
// unit itself for the people directly in it.
type NeedUnit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// NeedPerson is one person short in a skill.
type NeedPerson struct {
	PersonID    string    `json:"person_id"`
	Name        string    `json:"name"`
	JobRole     string    `json:"job_role"`
	Level       float64   `json:"level"`
	Target      int       `json:"target"`
	Gap         float64   `json:"gap"`
	Criticality string    `json:"criticality"`
	Since       time.Time `json:"since"`
}

// Needs is the skills side of a training needs analysis.
type Needs struct {
	People int     `json:"people"` // active people selected
	Needs  []*Need `json:"needs"`  // highest priority first
	// Units are the units below the org unit asked for (and that unit itself when people work
	// directly in it) that hold selected people, by name: the heat map's columns.
	Units []NeedUnit `json:"units,omitempty"`
}

// TrainingNeeds lists, for the people the actor may see that match f, every required skill in
// which someone falls short: who, how many, by how much, how critically and since when, highest
// priority first.
func (s *Service) TrainingNeeds(ctx context.Context, actor *core.Actor, f NeedsFilter) (*Needs, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	rank := map[string]int{"critical": 3, "important": 2, "useful": 1}
	if f.Criticality != "" && rank[f.Criticality] == 0 {
		return nil, core.Invalid("criticality", "choose critical, important or useful")
	}
	cond, args, err := s.Org.PeopleCondition(ctx, actor, org.PersonFilter{OrgUnitID: f.OrgUnitID, Below: f.Below, JobRoleID: f.JobRoleID, Location: f.Location})
	if err != nil {
		return nil, err
	}
	var skillIDs map[string]*Skill
	all, err := s.FindSkills(ctx, core.System, SkillFilter{CategoryID: f.CategoryID})
	if err != nil {
		return nil, err
	}
	skillIDs = make(map[string]*Skill, len(all))
	for _, sk := range all {
		skillIDs[sk.ID] = sk
	}
	q := s.DB.Reader()
	out := &Needs{Needs: []*Need{}}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM people p WHERE `+cond, args...).Scan(&out.People); err != nil {
		return nil, fmt.Errorf("count people: %w", err)
	}
	split, err := s.unitSplit(ctx, f.OrgUnitID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT rr.skill_id, rr.level, rr.criticality, rr.updated_at, p.id, p.given_name, p.family_name,
			COALESCE(r.name, ''), p.created_at, COALESCE(sl.level, 0), COALESCE(u.path, '')
		FROM people p JOIN role_requirements rr ON rr.job_role_id = p.job_role_id
		JOIN job_roles r ON r.id = p.job_role_id
		LEFT JOIN org_units u ON u.id = p.org_unit_id
		LEFT JOIN skill_levels sl ON sl.person_id = p.id AND sl.skill_id = rr.skill_id
		WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("read needs: %w", err)
	}
	defer rows.Close()
	bySkill := map[string]*Need{}
	for rows.Next() {
		var skillID, crit string
		var target int
		var reqAt, addedAt time.Time
		var p NeedPerson
		var given, family, path string
		if err := rows.Scan(&skillID, &target, &crit, &reqAt, &p.PersonID, &given, &family, &p.JobRole, &addedAt, &p.Level, &path); err != nil {
			return nil, err
		}
		sk := skillIDs[skillID]
		if sk == nil || rank[crit] < rank[f.Criticality] {
			continue // retired, outside the category, or below the criticality asked for
		}
		n := bySkill[skillID]
		if n == nil {
			n = &Need{SkillID: skillID, Skill: sk.Name, Category: sk.CategoryName, People: []NeedPerson{}}
			bySkill[skillID] = n
		}
		n.Required++
		p.Gap = max(0, roundTenth(float64(target)-p.Level))
		col := split.column(path)
		if col >= 0 {
			if n.ByUnit == nil {
				n.ByUnit = make([]UnitNeed, len(split.units))
			}
			n.ByUnit[col].Required++
			if p.Gap > 0 {
				n.ByUnit[col].Short++
			}
		}
		if p.Gap == 0 {
			continue
		}
		p.Name, p.Target, p.Criticality = strings.TrimSpace(given+" "+family), target, crit
		p.Since = reqAt
		if addedAt.After(p.Since) {
			p.Since = addedAt
		}
		n.Short++
		n.GapSum += p.Gap
		n.Priority += Weight[crit] * p.Gap
		if rank[crit] > rank[n.Criticality] {
			n.Criticality = crit
		}
		if n.Since.IsZero() || p.Since.Before(n.Since) {
			n.Since = p.Since
		}
		n.People = append(n.People, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	used := make([]bool, len(split.units))
	for _, n := range bySkill {
		if n.Short == 0 {
			continue
		}
		for i, u := range n.ByUnit {
			used[i] = used[i] || u.Required > 0
		}
		n.GapSum, n.Priority = roundTenth(n.GapSum), roundTenth(n.Priority)
		n.MeanGap = roundTenth(n.GapSum / float64(n.Short))
		slices.SortFunc(n.People, func(a, b NeedPerson) int {
			return cmp.Or(cmp.Compare(Weight[b.Criticality]*b.Gap, Weight[a.Criticality]*a.Gap), strings.Compare(a.Name, b.Name))
		})
		n.People = n.People[:min(len(n.People), MaxNeedPeople)]
		out.Needs = append(out.Needs, n)
	}
	slices.SortFunc(out.Needs, func(a, b *Need) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(b.Short, a.Short), strings.Compare(a.Skill, b.Skill))
	})
	// Keep only the units someone selected works in, in every need's split too.
	for i, u := range split.units {
		if used[i] {
			out.Units = append(out.Units, u)
		}
	}
	for _, n := range out.Needs {
		if n.ByUnit == nil {
			continue
		}
		kept := n.ByUnit[:0]
		for i, u := range n.ByUnit {
			if used[i] {
				kept = append(kept, u)
			}
		}
		n.ByUnit = kept
	}
	return out, nil
}

// unitSplit says which column of the split a person's unit falls in: the units directly below
// the unit asked for, then that unit itself.
type unitSplit struct {
	prefix string
	units  []NeedUnit
	index  map[string]int // unit id → column
}

// column returns the column of a person whose unit has this path, or -1.
func (u *unitSplit) column(path string) int {
	if u.prefix == "" || !strings.HasPrefix(path, u.prefix) {
		return -1
	}
	rest := strings.TrimPrefix(path, u.prefix)
	if rest == "" {
		return u.index[""]
	}
	child, _, _ := strings.Cut(rest, "/")
	if i, ok := u.index[child]; ok {
		return i
	}
	return -1
}

func (s *Service) unitSplit(ctx context.Context, unitID string) (*unitSplit, error) {
	split := &unitSplit{index: map[string]int{}}
	if unitID == "" {
		return split, nil
	}
	units, err := s.Org.FindUnits(ctx, core.System)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.ID == unitID {
			split.prefix = u.Path
		}
		if u.ParentID == unitID {
			split.units = append(split.units, NeedUnit{ID: u.ID, Name: u.Name})
		}
	}
	if split.prefix == "" {
		return nil, core.Invalid("org_unit", "unknown org unit")
	}
	slices.SortFunc(split.units, func(a, b NeedUnit) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	for _, u := range units {
		if u.ID == unitID {
			split.units = append(split.units, NeedUnit{ID: u.ID, Name: u.Name})
		}
	}
	for i, u := range split.units {
		split.index[u.ID] = i
	}
	split.index[""] = len(split.units) - 1
	return split, nil
}
