package skills

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
)

// MaxTeam is the largest selection the matrix analyses as a whole (coverage, single points of
// failure, sorting by gap). Larger selections page by name.
const MaxTeam = 2000

// MatrixFilter chooses the people (rows) and skills (columns) of a skills matrix.
type MatrixFilter struct {
	OrgUnitID   string // a unit and every unit below it
	Below       string // everyone below this person in the reporting tree
	JobRoleID   string
	Location    string
	CategoryID  string // skills in this category and below
	Criticality string // only skills required at least this critically: critical, important or useful
	OnlyGaps    bool   // only people with a gap, and only skills someone falls short in
	SortByGap   bool   // biggest weighted gap first instead of by name
	Cursor      string // people paging (by name)
	Offset      int    // people paging (by gap)
	Limit       int    // people per page
	SkillOffset int
	SkillLimit  int // skills per page
}

// MatrixSkill is a column.
type MatrixSkill struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	// Target is the highest level a role in the selection requires, or the unit's coverage
	// target level; Covered counts the people at or above it.
	Target    int  `json:"target"`
	Covered   int  `json:"covered"`
	Below     int  `json:"below"`    // people whose role requires more than they have
	Critical  bool `json:"critical"` // some role in the selection requires it critically
	MinPeople int  `json:"min_people,omitempty"`
	// SinglePoint marks a critical skill that one person or nobody covers.
	SinglePoint bool `json:"single_point_of_failure"`
}

// MatrixCell is a person's level in a skill against what their role requires.
type MatrixCell struct {
	Level       float64 `json:"level"`
	Rated       bool    `json:"rated"`
	Confidence  float64 `json:"confidence"`
	Required    int     `json:"required"`
	Criticality string  `json:"criticality,omitempty"`
	Gap         float64 `json:"gap"`
}

// MatrixRow is a person.
type MatrixRow struct {
	PersonID       string       `json:"person_id"`
	EmployeeNumber string       `json:"employee_number"`
	Name           string       `json:"name"`
	JobRole        string       `json:"job_role"`
	OrgUnit        string       `json:"org_unit"`
	WeightedGap    float64      `json:"weighted_gap"`
	Cells          []MatrixCell `json:"cells"`
}

// Matrix is one page of a skills matrix.
type Matrix struct {
	Skills      []MatrixSkill `json:"skills"`
	Rows        []MatrixRow   `json:"rows"`
	People      int           `json:"people"`      // in the whole selection (up to MaxTeam + 1)
	TotalSkills int           `json:"skill_count"` // columns before paging
	Analysed    bool          `json:"analysed"`    // the selection was small enough for team figures
	NextCursor  string        `json:"next_cursor,omitempty"`
	NextOffset  int           `json:"next_offset,omitempty"`
	// TruckFactor is the fewest people whose leaving would leave a critical skill uncovered.
	TruckFactor *int `json:"truck_factor"`
}

// maxSkillPage is the most skills (columns) a page of the matrix holds.
const maxSkillPage = 300

// Matrix returns a page of the skills matrix of the people actor may see that match f.
func (s *Service) Matrix(ctx context.Context, actor *core.Actor, f MatrixFilter) (*Matrix, error) {
	fr, err := s.matrixFrame(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	return s.matrixPage(ctx, actor, f, fr, maxSkillPage)
}

// matrixFrame is what every page of a matrix shares: the selection (up to MaxTeam + 1 people),
// its columns with their targets, and what each role requires. The export works it out once for
// all its pages.
type matrixFrame struct {
	sel      []*org.Person
	analysed bool
	cols     []MatrixSkill
	need     map[string]map[string]*Requirement // role → skill → requirement
	// An analysed selection's rows and columns, filtered and sorted, once a page has computed
	// them; later pages of the same frame only slice them.
	rows  []MatrixRow
	all   []MatrixSkill
	truck *int
	done  bool
}

func (s *Service) matrixFrame(ctx context.Context, actor *core.Actor, f MatrixFilter) (*matrixFrame, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	if f.Criticality != "" && !slices.Contains(Criticalities, f.Criticality) {
		return nil, core.Invalid("criticality", "choose critical, important or useful")
	}
	q := s.DB.Reader()
	sel, err := s.Org.Selection(ctx, actor, org.PersonFilter{OrgUnitID: f.OrgUnitID, JobRoleID: f.JobRoleID, Location: f.Location, Below: f.Below}, MaxTeam+1)
	if err != nil {
		return nil, err
	}
	fr := &matrixFrame{sel: sel, analysed: len(sel) <= MaxTeam}
	if !fr.analysed && (f.SortByGap || f.OnlyGaps) {
		return nil, core.Invalid("sort", "more than %d people match: choose a unit, role or location to sort by gap or show only gaps", MaxTeam)
	}
	var roles []string
	if fr.analysed {
		seen := map[string]bool{}
		for _, p := range sel {
			if p.JobRoleID != "" && !seen[p.JobRoleID] {
				seen[p.JobRoleID] = true
				roles = append(roles, p.JobRoleID)
			}
		}
	} else if roles, err = s.Org.SelectionRoles(ctx, actor, org.PersonFilter{OrgUnitID: f.OrgUnitID, JobRoleID: f.JobRoleID, Location: f.Location, Below: f.Below}); err != nil {
		return nil, err
	}
	reqs, err := s.requirementsOf(ctx, q, roles)
	if err != nil {
		return nil, err
	}
	cols, err := s.matrixColumns(ctx, q, reqs, f)
	if err != nil {
		return nil, err
	}
	var targets map[string]*CoverageTarget
	if f.OrgUnitID != "" {
		ts, err := s.FindCoverageTargets(ctx, actor, f.OrgUnitID)
		if err != nil {
			return nil, err
		}
		targets = map[string]*CoverageTarget{}
		for _, t := range ts {
			targets[t.SkillID] = t
			if !slices.ContainsFunc(cols, func(c MatrixSkill) bool { return c.ID == t.SkillID }) {
				cols = append(cols, MatrixSkill{ID: t.SkillID, Name: t.SkillName})
			}
		}
	}
	fr.need = map[string]map[string]*Requirement{}
	for _, r := range reqs {
		if fr.need[r.JobRoleID] == nil {
			fr.need[r.JobRoleID] = map[string]*Requirement{}
		}
		fr.need[r.JobRoleID][r.SkillID] = r
	}
	// Targets and criticality per column.
	for i := range cols {
		c := &cols[i]
		for _, byRole := range fr.need {
			if r, ok := byRole[c.ID]; ok {
				c.Target = max(c.Target, r.Level)
				c.Critical = c.Critical || r.Criticality == "critical"
			}
		}
		if t := targets[c.ID]; t != nil {
			c.Target, c.MinPeople = t.Level, t.MinPeople
		}
	}
	fr.cols = cols
	return fr, nil
}

// matrixPage returns the page of f in fr with at most maxSkills columns; with maxSkills 0 every
// column from f.SkillOffset on (the export).
func (s *Service) matrixPage(ctx context.Context, actor *core.Actor, f MatrixFilter, fr *matrixFrame, maxSkills int) (*Matrix, error) {
	m := &Matrix{People: len(fr.sel), Analysed: fr.analysed, Skills: []MatrixSkill{}, Rows: []MatrixRow{}}
	var cols []MatrixSkill
	var rows []MatrixRow
	if fr.analysed {
		// Everyone in the selection, for the team figures, then the page by offset.
		if !fr.done {
			all := slices.Clone(fr.cols)
			rows, err := s.matrixRows(ctx, fr.sel, all, fr.need)
			if err != nil {
				return nil, err
			}
			for i := range all {
				c := &all[i]
				c.SinglePoint = c.Critical && c.Covered <= 1
				if c.Critical {
					tf := c.Covered
					if fr.truck == nil || tf < *fr.truck {
						fr.truck = &tf
					}
				}
			}
			if f.OnlyGaps {
				rows = slices.DeleteFunc(rows, func(r MatrixRow) bool { return r.WeightedGap == 0 })
				keep := make([]bool, len(all))
				for j, c := range all {
					keep[j] = c.Below > 0 || c.MinPeople > c.Covered
				}
				all, rows = keepColumns(all, rows, keep)
			}
			if f.SortByGap {
				slices.SortStableFunc(rows, func(a, b MatrixRow) int { return cmp.Compare(b.WeightedGap, a.WeightedGap) })
			}
			fr.all, fr.rows, fr.done = all, rows, true
		}
		cols, m.TruckFactor = fr.all, fr.truck
		limit := core.ClampLimit(f.Limit)
		m.People = len(fr.rows)
		start := min(max(f.Offset, 0), len(fr.rows))
		end := min(start+limit, len(fr.rows))
		if end < len(fr.rows) {
			m.NextOffset = end
		}
		// A copy, so that cutting the columns below leaves the frame's rows whole.
		rows = slices.Clone(fr.rows[start:end])
	} else {
		// A page of people by name; the column figures count this page only.
		page, next, _, err := s.Org.FindPeople(ctx, actor, org.PersonFilter{OrgUnitID: f.OrgUnitID, JobRoleID: f.JobRoleID, Location: f.Location,
			Below: f.Below, Cursor: f.Cursor, Limit: f.Limit})
		if err != nil {
			return nil, err
		}
		m.NextCursor = next
		cols = slices.Clone(fr.cols)
		if rows, err = s.matrixRows(ctx, page, cols, fr.need); err != nil {
			return nil, err
		}
	}
	// Columns page.
	m.TotalSkills = len(cols)
	from, to := min(max(f.SkillOffset, 0), len(cols)), len(cols)
	if maxSkills > 0 {
		slimit := f.SkillLimit
		if slimit <= 0 || slimit > maxSkills {
			slimit = maxSkills
		}
		to = min(from+slimit, len(cols))
	}
	m.Skills = cols[from:to]
	for i := range rows {
		rows[i].Cells = rows[i].Cells[from:to]
	}
	m.Rows = rows
	return m, nil
}

// matrixRows computes the rows of people in cols, counting in each column the people below
// what their role requires and the people at or above its target.
func (s *Service) matrixRows(ctx context.Context, people []*org.Person, cols []MatrixSkill, need map[string]map[string]*Requirement) ([]MatrixRow, error) {
	levels, err := s.levelsOf(ctx, s.DB.Reader(), people, cols)
	if err != nil {
		return nil, err
	}
	rows := make([]MatrixRow, 0, len(people))
	for _, p := range people {
		row := MatrixRow{PersonID: p.ID, EmployeeNumber: p.EmployeeNumber, Name: p.Name(), JobRole: p.JobRoleName, OrgUnit: p.OrgUnitName, Cells: make([]MatrixCell, len(cols))}
		for j := range cols {
			c := &cols[j]
			cell := &row.Cells[j]
			if l, ok := levels[p.ID][c.ID]; ok {
				cell.Level, cell.Confidence, cell.Rated = l.Level, l.Confidence, true
			}
			if r := need[p.JobRoleID][c.ID]; r != nil {
				cell.Required, cell.Criticality = r.Level, r.Criticality
				cell.Gap = max(0, roundTenth(float64(r.Level)-cell.Level))
				row.WeightedGap += Weight[r.Criticality] * cell.Gap
				if cell.Gap > 0 {
					c.Below++
				}
			}
			if c.Target > 0 && cell.Rated && cell.Level >= float64(c.Target) {
				c.Covered++
			}
		}
		row.WeightedGap = roundTenth(row.WeightedGap)
		rows = append(rows, row)
	}
	return rows, nil
}

func keepColumns(cols []MatrixSkill, rows []MatrixRow, keep []bool) ([]MatrixSkill, []MatrixRow) {
	var out []MatrixSkill
	for j, c := range cols {
		if keep[j] {
			out = append(out, c)
		}
	}
	for i := range rows {
		var cells []MatrixCell
		for j, cell := range rows[i].Cells {
			if keep[j] {
				cells = append(cells, cell)
			}
		}
		rows[i].Cells = cells
	}
	return out, rows
}

func roundTenth(f float64) float64 {
	if f < 0 {
		return -roundTenth(-f)
	}
	return float64(int64(f*10+0.5)) / 10
}

// requirementsOf returns every requirement of the given roles.
func (s *Service) requirementsOf(ctx context.Context, q db.Queryer, roles []string) ([]*Requirement, error) {
	var out []*Requirement
	for start := 0; start < len(roles); start += 500 {
		chunk := roles[start:min(start+500, len(roles))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT rr.job_role_id, rr.skill_id, s.name, rr.level, rr.criticality FROM role_requirements rr
			JOIN skills s ON s.id = rr.skill_id WHERE s.retired_at IS NULL AND rr.job_role_id IN `+db.In(len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("read requirements: %w", err)
		}
		for rows.Next() {
			var r Requirement
			if err := rows.Scan(&r.JobRoleID, &r.SkillID, &r.SkillName, &r.Level, &r.Criticality); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, &r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matrixColumns chooses the skills the selection's roles require, filtered by category and
// criticality, ordered by category and name. It reads only those skills, not the framework.
func (s *Service) matrixColumns(ctx context.Context, q db.Queryer, reqs []*Requirement, f MatrixFilter) ([]MatrixSkill, error) {
	rank := map[string]int{"critical": 3, "important": 2, "useful": 1}
	minRank := rank[f.Criticality]
	ids := map[string]bool{}
	var want []any
	for _, r := range reqs {
		if rank[r.Criticality] >= minRank && !ids[r.SkillID] {
			ids[r.SkillID] = true
			want = append(want, r.SkillID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	where, args := "", []any(nil)
	if f.CategoryID != "" {
		var path string
		if !core.ValidID(f.CategoryID) || q.QueryRowContext(ctx, `SELECT path FROM skill_categories WHERE id = ?`, f.CategoryID).Scan(&path) != nil {
			return nil, core.Invalid("category", "unknown category")
		}
		where, args = " AND c.path >= ? AND c.path < ?", []any{path, strings.TrimSuffix(path, "/") + "0"}
	}
	var cols []MatrixSkill
	for start := 0; start < len(want); start += 500 {
		chunk := want[start:min(start+500, len(want))]
		rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(c.name, '') FROM skills s LEFT JOIN skill_categories c ON c.id = s.category_id
			WHERE s.retired_at IS NULL AND s.id IN `+db.In(len(chunk))+where, append(slices.Clip(chunk), args...)...)
		if err != nil {
			return nil, fmt.Errorf("read matrix skills: %w", err)
		}
		for rows.Next() {
			var c MatrixSkill
			if err := rows.Scan(&c.ID, &c.Name, &c.Category); err != nil {
				rows.Close()
				return nil, err
			}
			cols = append(cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(cols, func(a, b MatrixSkill) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Category), strings.ToLower(b.Category)), strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			strings.Compare(a.Name, b.Name))
	})
	return cols, nil
}

type levelValue struct{ Level, Confidence float64 }

// levelsOf reads the current levels of people in the given skills.
func (s *Service) levelsOf(ctx context.Context, q db.Queryer, people []*org.Person, cols []MatrixSkill) (map[string]map[string]levelValue, error) {
	out := map[string]map[string]levelValue{}
	if len(people) == 0 || len(cols) == 0 {
		return out, nil
	}
	wanted := map[string]bool{}
	for _, c := range cols {
		wanted[c.ID] = true
	}
	for start := 0; start < len(people); start += 500 {
		chunk := people[start:min(start+500, len(people))]
		args := make([]any, len(chunk))
		for i, p := range chunk {
			args[i] = p.ID
		}
		rows, err := q.QueryContext(ctx, `SELECT person_id, skill_id, level, confidence FROM skill_levels WHERE person_id IN `+db.In(len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("read levels: %w", err)
		}
		for rows.Next() {
			var pid, sid string
			var v levelValue
			if err := rows.Scan(&pid, &sid, &v.Level, &v.Confidence); err != nil {
				rows.Close()
				return nil, err
			}
			if !wanted[sid] {
				continue
			}
			if out[pid] == nil {
				out[pid] = map[string]levelValue{}
			}
			out[pid][sid] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
