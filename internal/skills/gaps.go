package skills

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// The org-wide gap ranking answers "which groups lack which skills most" for 100,000 people
// without joining everyone's levels at request time (about 20 s on SQLite and 5 s on PostgreSQL
// at that size; docs/PERFORMANCE.md). It reads counts kept by RefreshGapStats:
//
//   - people are counted in cells, one per (org unit, job role, location) with anyone in it;
//   - skill_gap_stats holds per cell and required skill how many people there are, how many
//     fall short and by how much (a few rows per cell instead of twenty per person); a ranking
//     within an org unit sums the rows of the unit's cells;
//   - skill_gap_totals holds the same sums per division, location, role and the whole
//     organization, one row per group and skill with the criticalities side by side: any other
//     ranking reads one row per answer row.
//
// RefreshGapStats keeps them up to date without hooks in the code that makes changes. Triggers
// on skill_levels and people append to skill_gap_changes each changed level (with the level
// before) and each person whose unit, role, location or status changed; requirements and the unit
// tree are compared with copies of what was counted (skill_gap_requirements, skill_gap_units). A
// level change adjusts one count by the difference between the old and the new gap; people who
// moved and changed requirements have their cells (or cell skills) recounted from the sources;
// the totals follow every count by the same difference. The refresh reads and consumes the
// changes within one snapshot (SQLite's single writer, PostgreSQL's REPEATABLE READ), so the level
// before a change is always the level counted. Gaps are integer tenths of a level (levels have
// one decimal), so adjustments are exact; RebuildGapStats recounts everything from scratch.
// Readers see the counts as of the last refresh (GapRanking.AsOf).

// Groupings of the gap ranking.
const (
	GroupByDivision     = "division"
	GroupByLocation     = "location"
	GroupByRole         = "role"
	GroupByOrganization = "organization"
)

// GapGroupings lists the groupings in display order.
var GapGroupings = []string{GroupByDivision, GroupByLocation, GroupByRole, GroupByOrganization}

// Names of the groups that are not a unit, role or location of their own.
const (
	NoDivision        = "(no division)"
	NoLocation        = "(no location)"
	WholeOrganization = "(whole organization)"
)

// GapFilter chooses and pages the rows of the gap ranking.
type GapFilter struct {
	GroupBy     string // division (default), location, role or organization
	CategoryID  string // skills in this category and below
	Criticality string // only requirements at least this critical: critical, important or useful
	OrgUnitID   string // people in this unit and the units below it
	Limit       int
	Offset      int
}

// GapRow is one skill in one group.
type GapRow struct {
	SkillID  string `json:"skill_id"`
	Skill    string `json:"skill"`
	Category string `json:"category,omitempty"`
	GroupID  string `json:"group_id"` // "" for no division, no location, or the whole organization
	Group    string `json:"group"`
	Required int    `json:"required"` // people whose role requires the skill
	Short    int    `json:"short"`    // of them, people below the required level
	// GapSum adds up the levels missing over the people short; MeanGap is GapSum / Short.
	GapSum  float64 `json:"gap_sum"`
	MeanGap float64 `json:"mean_gap"`
	// Priority is Σ criticality weight × gap over the people short, which is criticality × gap
	// size × headcount.
	Priority float64 `json:"priority"`
	// Criticality is the highest with which the role of someone short requires the skill.
	Criticality string `json:"criticality"`
}

// GapRanking is a page of the ranking, highest priority first.
type GapRanking struct {
	GroupBy string    `json:"group_by"`
	Rows    []*GapRow `json:"rows"`
	Total   int       `json:"total"` // rows before paging
	// AsOf is when the statistics were last brought up to date; zero when they never were.
	AsOf time.Time `json:"as_of"`
}

// critRank orders criticalities; the counts store a requirement's criticality as its rank, and
// skill_gap_totals has the columns critRank's names prefix.
var critRank = map[string]int{"critical": 3, "important": 2, "useful": 1}

func weight(rank int) float64 { return Weight[Criticalities[3-rank]] }

// seesOrganization checks that the actor may read org-wide figures: L&D, HR and system admins.
func seesOrganization(actor *core.Actor) error {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return err
	}
	if !actor.SeesAllPeople() {
		return core.Forbidden
	}
	return nil
}

// GapRanking ranks the organization's skill gaps: for each skill and group (division, location,
// job role, or the whole organization), the people whose role requires the skill, those short
// of it and by how much, highest priority first. The figures are as of the last RefreshGapStats.
func (s *Service) GapRanking(ctx context.Context, actor *core.Actor, f GapFilter) (*GapRanking, error) {
	if err := seesOrganization(actor); err != nil {
		return nil, err
	}
	return s.gapRanking(ctx, f, core.ClampLimit(f.Limit))
}

// gapRanking is GapRanking with rows up to limit, for an actor already allowed.
func (s *Service) gapRanking(ctx context.Context, f GapFilter, limit int) (*GapRanking, error) {
	if f.GroupBy == "" {
		f.GroupBy = GroupByDivision
	}
	if !slices.Contains(GapGroupings, f.GroupBy) {
		return nil, core.Invalid("group_by", "choose %s", strings.Join(GapGroupings, ", "))
	}
	minRank := 1
	if f.Criticality != "" {
		var ok bool
		if minRank, ok = critRank[f.Criticality]; !ok {
			return nil, core.Invalid("criticality", "choose critical, important or useful")
		}
	}
	q := s.DB.Reader()
	// skills chooses the skills s ranked.
	skills, skillArgs := "s.retired_at IS NULL", []any{}
	if f.CategoryID != "" {
		var path string
		if !core.ValidID(f.CategoryID) || q.QueryRowContext(ctx, `SELECT path FROM skill_categories WHERE id = ?`, f.CategoryID).Scan(&path) != nil {
			return nil, core.Invalid("category", "unknown category")
		}
		skills += " AND s.category_id IN (SELECT id FROM skill_categories WHERE path >= ? AND path < ?)"
		skillArgs = append(skillArgs, path, strings.TrimSuffix(path, "/")+"0")
	}
	var query string
	var args []any
	if f.OrgUnitID == "" {
		query, args = totalsRanking(f.GroupBy, minRank, skills, skillArgs)
	} else {
		var path string
		if !core.ValidID(f.OrgUnitID) || q.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = ?`, f.OrgUnitID).Scan(&path) != nil {
			return nil, core.Invalid("org_unit", "unknown org unit")
		}
		query, args = unitRanking(f.GroupBy, minRank, skills, append(skillArgs, path, strings.TrimSuffix(path, "/")+"0"))
	}
	out := &GapRanking{GroupBy: f.GroupBy, Rows: []*GapRow{}}
	var asOf *time.Time
	if err := q.QueryRowContext(ctx, `SELECT refreshed_at FROM skill_gap_state`).Scan(&asOf); err != nil {
		return nil, fmt.Errorf("read gap statistics state: %w", err)
	}
	if asOf != nil {
		out.AsOf = asOf.UTC()
	}
	read := func(limit, offset int) error {
		return forRows(ctx, q, query+` ORDER BY priority DESC, n_short DESC, skill_id, group_id LIMIT ? OFFSET ?`, append(args, limit, offset),
			func(scan func(...any) error) error {
				var r GapRow
				var tenths int64
				var priority float64
				var rank int
				if err := scan(&r.GroupID, &r.SkillID, &r.Required, &r.Short, &tenths, &priority, &rank, &out.Total); err != nil {
					return err
				}
				r.GapSum, r.Priority = float64(tenths)/10, roundTenth(priority/10)
				r.MeanGap = roundTenth(r.GapSum / float64(r.Short))
				r.Criticality = Criticalities[3-rank]
				out.Rows = append(out.Rows, &r)
				return nil
			})
	}
	offset := max(f.Offset, 0)
	if err := read(limit, offset); err != nil {
		return nil, fmt.Errorf("rank skill gaps: %w", err)
	}
	if len(out.Rows) == 0 && offset > 0 {
		// Past the end: count the rows all the same.
		if err := read(1, 0); err != nil {
			return nil, fmt.Errorf("rank skill gaps: %w", err)
		}
		out.Rows = out.Rows[:0]
	}
	if err := s.nameGapRows(ctx, q, f.GroupBy, out.Rows); err != nil {
		return nil, err
	}
	return out, nil
}

// The ranking queries return group_id, skill_id, required, n_short, gap (tenths), priority (tenths),
// the highest criticality rank of someone short, and the number of rows, unordered.

// totalsRanking reads skill_gap_totals: the criticalities from minRank up are added together.
func totalsRanking(groupBy string, minRank int, skills string, skillArgs []any) (string, []any) {
	var required, short, gap, priority, highest []string
	var args []any
	for rank := 3; rank >= minRank; rank-- {
		c := Criticalities[3-rank] + "_"
		required, short, gap = append(required, c+"required"), append(short, c+"short"), append(gap, c+"gap")
		priority, args = append(priority, c+"gap * CAST(? AS DOUBLE PRECISION)"), append(args, weight(rank))
		highest = append(highest, fmt.Sprintf("WHEN %sshort > 0 THEN %d", c, rank))
	}
	shortSum := strings.Join(short, " + ")
	return `SELECT group_id, skill_id, ` + strings.Join(required, " + ") + `, ` + shortSum + ` AS n_short, ` + strings.Join(gap, " + ") + `,
			` + strings.Join(priority, " + ") + ` AS priority, CASE ` + strings.Join(highest, " ") + ` ELSE 0 END, count(*) OVER ()
		FROM skill_gap_totals WHERE grouping = ? AND skill_id IN (SELECT s.id FROM skills s WHERE ` + skills + `) AND ` + shortSum + ` > 0`,
		append(append(args, groupBy), skillArgs...)
}

// unitRanking sums the skill_gap_stats rows of the cells in an org unit's subtree; its last two
// arguments are the bounds of the subtree's paths.
func unitRanking(groupBy string, minRank int, skills string, args []any) (string, []any) {
	group := map[string]string{GroupByDivision: "c.division_id", GroupByLocation: "c.location", GroupByRole: "c.job_role_id", GroupByOrganization: "''"}[groupBy]
	by := "st.skill_id"
	if groupBy != GroupByOrganization {
		by = group + ", st.skill_id"
	}
	w := []any{weight(3), weight(2), weight(1)}
	// CROSS JOIN makes SQLite start from the unit's cells and read their counts by the primary
	// key's prefix, checking each count's skill after (PostgreSQL plans freely).
	return `SELECT ` + group + ` AS group_id, st.skill_id AS skill_id, sum(st.required), sum(st.short) AS n_short, sum(st.gap_tenths),
			sum(st.gap_tenths * CASE st.criticality WHEN 3 THEN CAST(? AS DOUBLE PRECISION) WHEN 2 THEN CAST(? AS DOUBLE PRECISION) ELSE CAST(? AS DOUBLE PRECISION) END) AS priority,
			max(CASE WHEN st.short > 0 THEN st.criticality ELSE 0 END), count(*) OVER ()
		FROM skill_gap_cells c CROSS JOIN skill_gap_stats st CROSS JOIN skills s
		WHERE st.cell_id = c.id AND s.id = st.skill_id AND ` + skills + ` AND st.criticality >= ?
			AND c.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)
		GROUP BY ` + by + ` HAVING sum(st.short) > 0`,
		append(append(w, args[:len(args)-2]...), append([]any{minRank}, args[len(args)-2:]...)...)
}

// nameGapRows fills in the names of the skills, categories and groups of a page.
func (s *Service) nameGapRows(ctx context.Context, q db.Queryer, groupBy string, rows []*GapRow) error {
	if len(rows) == 0 {
		return nil
	}
	var skillIDs, groupIDs []any
	for _, r := range rows {
		skillIDs = append(skillIDs, r.SkillID)
		if r.GroupID != "" {
			groupIDs = append(groupIDs, r.GroupID)
		}
	}
	type skillName struct{ name, category string }
	skills := map[string]skillName{}
	if err := scanTriples(ctx, q, `SELECT s.id, s.name, COALESCE(c.name, '') FROM skills s LEFT JOIN skill_categories c ON c.id = s.category_id
		WHERE s.id IN `+db.In(len(skillIDs)), skillIDs, func(id, name, cat string) { skills[id] = skillName{name, cat} }); err != nil {
		return err
	}
	groups := map[string]string{}
	table := map[string]string{GroupByDivision: "org_units", GroupByRole: "job_roles"}[groupBy]
	if table != "" && len(groupIDs) > 0 {
		if err := scanTriples(ctx, q, `SELECT id, name, '' FROM `+table+` WHERE id IN `+db.In(len(groupIDs)), groupIDs,
			func(id, name, _ string) { groups[id] = name }); err != nil {
			return err
		}
	}
	for _, r := range rows {
		r.Skill, r.Category = skills[r.SkillID].name, skills[r.SkillID].category
		switch {
		case groupBy == GroupByLocation && r.GroupID != "":
			r.Group = r.GroupID
		case r.GroupID != "":
			r.Group = groups[r.GroupID]
		case groupBy == GroupByDivision:
			r.Group = NoDivision
		case groupBy == GroupByLocation:
			r.Group = NoLocation
		default:
			r.Group = WholeOrganization
		}
	}
	return nil
}

// scanTriples runs a query returning three text columns and calls fn with each row.
func scanTriples(ctx context.Context, q db.Queryer, query string, args []any, fn func(a, b, c string)) error {
	return forRows(ctx, q, query, args, func(scan func(...any) error) error {
		var a, b, c string
		err := scan(&a, &b, &c)
		fn(a, b, c)
		return err
	})
}

// forRows runs a query and calls fn with the Scan of each row.
func forRows(ctx context.Context, q db.Queryer, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GapRefresh says what a refresh of the gap statistics did.
type GapRefresh struct {
	Full         bool `json:"full"`         // recounted everything instead of what changed
	Changes      int  `json:"changes"`      // level and person changes consumed
	People       int  `json:"people"`       // people newly counted, no longer counted, or in another cell
	Requirements int  `json:"requirements"` // requirements added, changed or removed
	Units        int  `json:"units"`        // org units whose division changed
	Adjusted     int  `json:"adjusted"`     // counts adjusted by level changes
	Recounted    int  `json:"recounted"`    // cells and cell skills recounted
	Snapshot     bool `json:"snapshot"`     // took today's history snapshot
}

// maxIncrementalChanges is the backlog of changes above which a refresh recounts everything,
// which then costs less (after a bulk load of levels; docs/PERFORMANCE.md).
const maxIncrementalChanges = 200_000

// RefreshGapStats brings the gap statistics up to date with the levels, people, requirements and
// org units as they are now, from what changed since the last refresh (recounting everything on
// the first run and after bulk loads), and takes the day's history snapshot if none was taken
// today. It is idempotent and safe to run from several instances at once: they take turns, and
// when it returns every change committed before the call is counted. The server runs it
// periodically; its cost is in docs/PERFORMANCE.md.
func (s *Service) RefreshGapStats(ctx context.Context) (GapRefresh, error) {
	return s.refreshGapStats(ctx, false)
}

// RebuildGapStats recounts the gap statistics from scratch, as the first refresh does: for an
// operator who wants to be sure, or to check the incremental path.
func (s *Service) RebuildGapStats(ctx context.Context) (GapRefresh, error) {
	return s.refreshGapStats(ctx, true)
}

func (s *Service) refreshGapStats(ctx context.Context, full bool) (GapRefresh, error) {
	var rep GapRefresh
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		rep = GapRefresh{}
		if tx.Dialect() == db.Postgres {
			// One snapshot for the whole refresh, as SQLite's single writer has, taken after the
			// lock that makes instances take turns: LOCK, unlike SELECT, takes no snapshot, and
			// this mode lets readers through. No JIT, and room to sort and hash for a recount.
			for _, stmt := range []string{
				`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`,
				`LOCK TABLE skill_gap_state IN EXCLUSIVE MODE`,
				`SET LOCAL jit = off`,
				`SET LOCAL work_mem = '256MB'`,
			} {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("start: %w", err)
				}
			}
		}
		var refreshed *time.Time
		var lastDay core.Date
		if err := tx.QueryRowContext(ctx, `SELECT refreshed_at, history_day FROM skill_gap_state`).Scan(&refreshed, &lastDay); err != nil {
			return fmt.Errorf("read the state: %w", err)
		}
		var first, last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(min(id), 0), COALESCE(max(id), 0) FROM skill_gap_changes`).Scan(&first, &last); err != nil {
			return fmt.Errorf("find the changes: %w", err)
		}
		rep.Full = full || refreshed == nil || last-first >= maxIncrementalChanges
		var err error
		if rep.Full {
			err = rebuildGapStats(ctx, tx, last, &rep)
		} else {
			err = updateGapStats(ctx, tx, last, &rep)
		}
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		today := core.DateOf(now.UTC())
		if lastDay != today {
			if err := snapshotGaps(ctx, tx, today); err != nil {
				return err
			}
			rep.Snapshot = true
		}
		_, err = tx.ExecContext(ctx, `UPDATE skill_gap_state SET refreshed_at = ?, history_day = ?`, now, today)
		return err
	})
	if err != nil {
		return GapRefresh{}, fmt.Errorf("refresh gap statistics: %w", err)
	}
	return rep, nil
}

// gapTenths is the gap between a required level and a current one in tenths of a level, never
// below 0: what statsInsert computes in SQL.
func gapTenths(required int, level float64) int64 {
	return max(0, int64(math.Round((float64(required)-level)*10)))
}

// statsInsert counts skill_gap_stats rows from the people counted (g), the requirements of their
// cell's role (r) and their levels; from and where choose which.
func statsInsert(from, where string) string {
	return `INSERT INTO skill_gap_stats (cell_id, skill_id, criticality, required, short, gap_tenths)
		SELECT cell_id, skill_id, criticality, count(*), sum(CASE WHEN gap > 0 THEN 1 ELSE 0 END), sum(gap)
		FROM (SELECT g.cell_id, r.skill_id, r.criticality,
				CASE WHEN r.level - COALESCE(l.level, 0) > 0 THEN CAST(round((r.level - COALESCE(l.level, 0)) * 10) AS INTEGER) ELSE 0 END AS gap
			FROM ` + from + `
			LEFT JOIN skill_levels l ON l.person_id = g.person_id AND l.skill_id = r.skill_id
			WHERE ` + where + `) x
		GROUP BY cell_id, skill_id, criticality`
}

// totalsInsert sums skill_gap_stats into skill_gap_totals for one grouping, group being a column
// of the cells (c).
func totalsInsert(grouping, group string) string {
	sums := ""
	for rank := 3; rank >= 1; rank-- {
		for _, col := range []string{"required", "short", "gap_tenths"} {
			sums += fmt.Sprintf(", sum(CASE WHEN st.criticality = %d THEN st.%s ELSE 0 END)", rank, col)
		}
	}
	by := "st.skill_id"
	if group != "''" {
		by = group + ", st.skill_id"
	}
	return `INSERT INTO skill_gap_totals (grouping, group_id, skill_id, ` + totalsColumns + `)
		SELECT '` + grouping + `', ` + group + `, st.skill_id` + sums + `
		FROM skill_gap_stats st JOIN skill_gap_cells c ON c.id = st.cell_id GROUP BY ` + by
}

// totalsColumns are the count columns of skill_gap_totals, in the order of a gapTotal.
const totalsColumns = `critical_required, critical_short, critical_gap, important_required, important_short, important_gap, useful_required, useful_short, useful_gap`

// rebuildGapStats copies the sources and recounts everything.
func rebuildGapStats(ctx context.Context, tx *db.Tx, last int64, rep *GapRefresh) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM skill_gap_changes WHERE id <= ?`, last)
	if err != nil {
		return fmt.Errorf("consume the changes: %w", err)
	}
	n, _ := res.RowsAffected()
	rep.Changes = int(n)
	divisions, err := unitDivisions(ctx, tx)
	if err != nil {
		return err
	}
	units := make([][]any, 0, len(divisions))
	for id, div := range divisions {
		units = append(units, []any{id, div})
	}
	var cells [][]any
	if err := scanTriples(ctx, tx, `SELECT DISTINCT COALESCE(org_unit_id, ''), job_role_id, location FROM people WHERE status = 'active' AND job_role_id IS NOT NULL`, nil,
		func(unit, role, loc string) {
			cells = append(cells, []any{len(cells) + 1, unit, role, loc, divisions[unit]})
		}); err != nil {
		return err
	}
	for _, step := range []struct {
		stmt, table string
		cols        []string
		rows        [][]any
	}{
		{stmt: `DELETE FROM skill_gap_units`},
		{table: "skill_gap_units", cols: []string{"org_unit_id", "division_id"}, rows: units},
		{stmt: `DELETE FROM skill_gap_requirements`},
		{stmt: `INSERT INTO skill_gap_requirements (job_role_id, skill_id, level, criticality)
			SELECT job_role_id, skill_id, level, CASE criticality WHEN 'critical' THEN 3 WHEN 'important' THEN 2 ELSE 1 END FROM role_requirements`},
		{stmt: `DELETE FROM skill_gap_cells`},
		{table: "skill_gap_cells", cols: []string{"id", "org_unit_id", "job_role_id", "location", "division_id"}, rows: cells},
		{stmt: `DELETE FROM skill_gap_people`},
		{stmt: `INSERT INTO skill_gap_people (person_id, cell_id) SELECT p.id, c.id FROM people p
			JOIN skill_gap_cells c ON c.org_unit_id = COALESCE(p.org_unit_id, '') AND c.job_role_id = p.job_role_id AND c.location = p.location
			WHERE p.status = 'active' AND p.job_role_id IS NOT NULL`},
		{stmt: `DELETE FROM skill_gap_stats`},
		{stmt: statsInsert(`skill_gap_people g JOIN skill_gap_cells c ON c.id = g.cell_id JOIN skill_gap_requirements r ON r.job_role_id = c.job_role_id`, "1 = 1")},
		{stmt: `DELETE FROM skill_gap_totals`},
		{stmt: totalsInsert(GroupByDivision, "c.division_id")},
		{stmt: totalsInsert(GroupByLocation, "c.location")},
		{stmt: totalsInsert(GroupByRole, "c.job_role_id")},
		{stmt: totalsInsert(GroupByOrganization, "''")},
	} {
		var err error
		if step.table != "" {
			err = db.InsertMany(ctx, tx, step.table, step.cols, step.rows)
		} else {
			_, err = tx.ExecContext(ctx, step.stmt)
		}
		if err != nil {
			return fmt.Errorf("recount: %w", err)
		}
	}
	return nil
}

// gapCell is where people are counted together: org unit ("" for none), job role, location; and
// the unit's division.
type gapCell struct{ unit, role, location, division string }

type gapKey struct{ role, skill string }

type gapReq struct{ level, rank int }

// cellSkill names one count; skill "" stands for every skill of the cell.
type cellSkill struct {
	cell  int64
	skill string
}

// statRow is a row of skill_gap_stats.
type statRow struct {
	cell          int64
	skill         string
	rank          int
	required      int64
	short, tenths int64
}

// gapTotal is the change to a row of skill_gap_totals, in the order of totalsColumns.
type gapTotal [9]int64

type totalKey struct{ grouping, group, skill string }

// gapRefresh is the state of an incremental refresh.
type gapRefresh struct {
	tx     *db.Tx
	rep    *GapRefresh
	cells  map[int64]*gapCell
	ids    map[gapCell]int64
	byRole map[string][]int64
	totals map[totalKey]*gapTotal
	work   map[cellSkill]bool
}

// add adds a count row, times sign, to the totals of its cell's groups.
func (r *gapRefresh) add(st statRow, sign int64) {
	c := r.cells[st.cell]
	for _, k := range []totalKey{{GroupByDivision, c.division, st.skill}, {GroupByLocation, c.location, st.skill},
		{GroupByRole, c.role, st.skill}, {GroupByOrganization, "", st.skill}} {
		t := r.totals[k]
		if t == nil {
			t = &gapTotal{}
			r.totals[k] = t
		}
		i := (3 - st.rank) * 3
		t[i] += sign * st.required
		t[i+1] += sign * st.short
		t[i+2] += sign * st.tenths
	}
}

// readStats reads skill_gap_stats rows.
func (r *gapRefresh) readStats(ctx context.Context, query string, args ...any) ([]statRow, error) {
	var out []statRow
	err := forRows(ctx, r.tx, `SELECT st.cell_id, st.skill_id, st.criticality, st.required, st.short, st.gap_tenths FROM `+query, args,
		func(scan func(...any) error) error {
			var s statRow
			err := scan(&s.cell, &s.skill, &s.rank, &s.required, &s.short, &s.tenths)
			out = append(out, s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	return out, nil
}

// updateGapStats consumes the changes up to last, brings the copies of the sources up to date,
// adjusts the counts level changes touch, recounts the cells that people and requirement changes
// touch, and applies every difference to the totals.
func updateGapStats(ctx context.Context, tx *db.Tx, last int64, rep *GapRefresh) error {
	r := &gapRefresh{tx: tx, rep: rep, totals: map[totalKey]*gapTotal{}, work: map[cellSkill]bool{}}
	// The first change of each level since the last refresh holds the level counted; only
	// levels that differ from it now matter. A bulk recompute logs every level of a person
	// twice (deleted, inserted) though few change.
	type change struct {
		person, skill string
		old, now      float64
	}
	var levels []change
	moved := map[string]bool{}
	if last > 0 {
		// The current level is a subquery so that both engines look it up by key, whatever
		// their statistics say about the size of the log.
		err := forRows(ctx, tx, `SELECT person_id, skill_id, old, now FROM (
				SELECT f.person_id, f.skill_id, COALESCE(f.old_level, 0) AS old,
					COALESCE((SELECT l.level FROM skill_levels l WHERE l.person_id = f.person_id AND l.skill_id = f.skill_id), 0) AS now
				FROM (SELECT person_id, skill_id, old_level, row_number() OVER (PARTITION BY person_id, skill_id ORDER BY id) AS n
					FROM skill_gap_changes WHERE id <= ? AND skill_id IS NOT NULL) f
				WHERE f.n = 1) x
			WHERE old <> now`, []any{last}, func(scan func(...any) error) error {
			var c change
			err := scan(&c.person, &c.skill, &c.old, &c.now)
			levels = append(levels, c)
			return err
		})
		if err == nil {
			err = scanTriples(ctx, tx, `SELECT DISTINCT person_id, '', '' FROM skill_gap_changes WHERE id <= ? AND skill_id IS NULL`, []any{last},
				func(id, _, _ string) { moved[id] = true })
		}
		if err != nil {
			return fmt.Errorf("read the changes: %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM skill_gap_changes WHERE id <= ?`, last)
		if err != nil {
			return fmt.Errorf("consume the changes: %w", err)
		}
		n, _ := res.RowsAffected()
		rep.Changes = int(n)
	}
	divisions, err := r.syncUnits(ctx)
	if err != nil {
		return err
	}
	changedReqs, err := r.syncRequirements(ctx)
	if err != nil {
		return err
	}
	if err := r.movePeople(ctx, moved, divisions); err != nil {
		return err
	}
	if len(changedReqs) > 0 {
		if err := r.loadCells(ctx); err != nil {
			return err
		}
		// A changed requirement is recounted in every cell of its role.
		for _, k := range changedReqs {
			for _, id := range r.byRole[k.role] {
				r.work[cellSkill{id, k.skill}] = true
			}
		}
	}

	// Level changes adjust the counts they touch, unless those are recounted anyway.
	if len(levels) > 0 {
		if err := r.loadCells(ctx); err != nil {
			return err
		}
		byPerson := map[string][]change{}
		for _, c := range levels {
			byPerson[c.person] = append(byPerson[c.person], c)
		}
		people := map[string]bool{}
		for id := range byPerson {
			people[id] = true
		}
		deltas := map[cellSkill]*statRow{}
		err := inChunks(people, func(in string, args []any) error {
			// Where each person is counted, and what their role requires.
			return forRows(ctx, tx, `SELECT g.person_id, g.cell_id, r.skill_id, r.level, r.criticality FROM skill_gap_people g
				JOIN skill_gap_cells c ON c.id = g.cell_id JOIN skill_gap_requirements r ON r.job_role_id = c.job_role_id
				WHERE g.person_id IN `+in, args, func(scan func(...any) error) error {
				var person string
				var k cellSkill
				var req gapReq
				if err := scan(&person, &k.cell, &k.skill, &req.level, &req.rank); err != nil {
					return err
				}
				for _, c := range byPerson[person] {
					if c.skill != k.skill || r.work[cellSkill{k.cell, ""}] || r.work[k] {
						continue
					}
					d := deltas[k]
					if d == nil {
						d = &statRow{cell: k.cell, skill: k.skill, rank: req.rank}
						deltas[k] = d
					}
					before, after := gapTenths(req.level, c.old), gapTenths(req.level, c.now)
					d.tenths += after - before
					switch {
					case before == 0 && after > 0:
						d.short++
					case before > 0 && after == 0:
						d.short--
					}
				}
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("read changed levels: %w", err)
		}
		for k, d := range deltas {
			if d.short == 0 && d.tenths == 0 {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE skill_gap_stats SET short = short + ?, gap_tenths = gap_tenths + ? WHERE cell_id = ? AND skill_id = ?`,
				d.short, d.tenths, k.cell, k.skill)
			if err != nil {
				return fmt.Errorf("adjust counts: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				r.work[k] = true // not counted yet: cannot happen, but a recount is always right
				continue
			}
			r.add(*d, 1)
			rep.Adjusted++
		}
	}
	if err := r.recount(ctx); err != nil {
		return err
	}
	return r.applyTotals(ctx)
}

// loadCells reads the cells counted, once.
func (r *gapRefresh) loadCells(ctx context.Context) error {
	if r.cells != nil {
		return nil
	}
	r.cells, r.ids, r.byRole = map[int64]*gapCell{}, map[gapCell]int64{}, map[string][]int64{}
	err := forRows(ctx, r.tx, `SELECT id, org_unit_id, job_role_id, location, division_id FROM skill_gap_cells`, nil, func(scan func(...any) error) error {
		var id int64
		var c gapCell
		if err := scan(&id, &c.unit, &c.role, &c.location, &c.division); err != nil {
			return err
		}
		r.cells[id], r.byRole[c.role] = &c, append(r.byRole[c.role], id)
		r.ids[gapCell{c.unit, c.role, c.location, ""}] = id
		return nil
	})
	if err != nil {
		return fmt.Errorf("read cells: %w", err)
	}
	return nil
}

// syncUnits brings skill_gap_units, the cells' divisions and the division totals up to date with
// the unit tree, and returns every unit's division.
func (r *gapRefresh) syncUnits(ctx context.Context) (map[string]string, error) {
	divisions, err := unitDivisions(ctx, r.tx)
	if err != nil {
		return nil, err
	}
	counted := map[string]string{}
	if err := scanTriples(ctx, r.tx, `SELECT org_unit_id, division_id, '' FROM skill_gap_units`, nil, func(id, div, _ string) { counted[id] = div }); err != nil {
		return nil, err
	}
	var added [][]any
	for id, div := range divisions {
		old, ok := counted[id]
		if !ok {
			added = append(added, []any{id, div})
			continue
		}
		if old == div {
			continue
		}
		// The unit's counts move from one division's totals to the other's.
		r.rep.Units++
		if err := r.loadCells(ctx); err != nil {
			return nil, err
		}
		rows, err := r.readStats(ctx, `skill_gap_stats st JOIN skill_gap_cells c ON c.id = st.cell_id WHERE c.org_unit_id = ?`, id)
		if err != nil {
			return nil, err
		}
		for _, st := range rows {
			r.add(st, -1)
		}
		for cell, c := range r.cells {
			if c.unit == id {
				r.cells[cell].division = div
			}
		}
		for _, st := range rows {
			r.add(st, 1)
		}
		for _, stmt := range []string{`UPDATE skill_gap_units SET division_id = ? WHERE org_unit_id = ?`, `UPDATE skill_gap_cells SET division_id = ? WHERE org_unit_id = ?`} {
			if _, err := r.tx.ExecContext(ctx, stmt, div, id); err != nil {
				return nil, fmt.Errorf("move a unit to its division: %w", err)
			}
		}
	}
	for id := range counted {
		if _, ok := divisions[id]; !ok {
			if _, err := r.tx.ExecContext(ctx, `DELETE FROM skill_gap_units WHERE org_unit_id = ?`, id); err != nil {
				return nil, err
			}
		}
	}
	return divisions, db.InsertMany(ctx, r.tx, "skill_gap_units", []string{"org_unit_id", "division_id"}, added)
}

// syncRequirements brings skill_gap_requirements up to date with role_requirements and returns
// the requirements that were added, changed or removed.
func (r *gapRefresh) syncRequirements(ctx context.Context) ([]gapKey, error) {
	const rank = `CASE rr.criticality WHEN 'critical' THEN 3 WHEN 'important' THEN 2 ELSE 1 END`
	var changed []gapKey
	var rows [][]any
	err := forRows(ctx, r.tx, `SELECT rr.job_role_id, rr.skill_id, rr.level, `+rank+`, 1 FROM role_requirements rr
			LEFT JOIN skill_gap_requirements g ON g.job_role_id = rr.job_role_id AND g.skill_id = rr.skill_id
			WHERE g.job_role_id IS NULL OR g.level <> rr.level OR g.criticality <> `+rank+`
		UNION ALL
		SELECT g.job_role_id, g.skill_id, 0, 0, 0 FROM skill_gap_requirements g
			WHERE NOT EXISTS (SELECT 1 FROM role_requirements rr WHERE rr.job_role_id = g.job_role_id AND rr.skill_id = g.skill_id)`, nil,
		func(scan func(...any) error) error {
			var k gapKey
			var v gapReq
			var present int
			if err := scan(&k.role, &k.skill, &v.level, &v.rank, &present); err != nil {
				return err
			}
			changed = append(changed, k)
			if present == 1 {
				rows = append(rows, []any{k.role, k.skill, v.level, v.rank})
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("compare requirements: %w", err)
	}
	for _, k := range changed {
		if _, err := r.tx.ExecContext(ctx, `DELETE FROM skill_gap_requirements WHERE job_role_id = ? AND skill_id = ?`, k.role, k.skill); err != nil {
			return nil, err
		}
	}
	r.rep.Requirements = len(changed)
	return changed, db.InsertMany(ctx, r.tx, "skill_gap_requirements", []string{"job_role_id", "skill_id", "level", "criticality"}, rows)
}

// movePeople puts the people whose unit, role, location or status changed in their new cells
// (creating cells as needed), and marks their old and new cells for a recount.
func (r *gapRefresh) movePeople(ctx context.Context, moved map[string]bool, divisions map[string]string) error {
	if len(moved) == 0 {
		return nil
	}
	if err := r.loadCells(ctx); err != nil {
		return err
	}
	was, now := map[string]int64{}, map[string]gapCell{}
	err := inChunks(moved, func(in string, args []any) error {
		err := forRows(ctx, r.tx, `SELECT person_id, cell_id FROM skill_gap_people WHERE person_id IN `+in, args, func(scan func(...any) error) error {
			var id string
			var cell int64
			err := scan(&id, &cell)
			was[id] = cell
			return err
		})
		if err != nil {
			return err
		}
		return forRows(ctx, r.tx, `SELECT id, COALESCE(org_unit_id, ''), job_role_id, location FROM people
			WHERE status = 'active' AND job_role_id IS NOT NULL AND id IN `+in, args, func(scan func(...any) error) error {
			var id string
			var c gapCell
			err := scan(&id, &c.unit, &c.role, &c.location)
			now[id] = c
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("read moved people: %w", err)
	}
	last := int64(0)
	for id := range r.cells {
		last = max(last, id)
	}
	var newCells, placed [][]any
	var gone []any
	for id := range moved {
		old, counted := was[id]
		c, counts := now[id]
		cell, known := r.ids[c]
		if counts && !known {
			last++
			cell = last
			r.ids[c], r.byRole[c.role] = cell, append(r.byRole[c.role], cell)
			r.cells[cell] = &gapCell{c.unit, c.role, c.location, divisions[c.unit]}
			newCells = append(newCells, []any{cell, c.unit, c.role, c.location, divisions[c.unit]})
		}
		if counted == counts && (!counts || old == cell) {
			continue // back where they were counted
		}
		r.rep.People++
		if counted {
			gone = append(gone, id)
			r.work[cellSkill{old, ""}] = true
		}
		if counts {
			placed = append(placed, []any{id, cell})
			r.work[cellSkill{cell, ""}] = true
		}
	}
	if err := db.InsertMany(ctx, r.tx, "skill_gap_cells", []string{"id", "org_unit_id", "job_role_id", "location", "division_id"}, newCells); err != nil {
		return err
	}
	for start := 0; start < len(gone); start += 500 {
		chunk := gone[start:min(start+500, len(gone))]
		if _, err := r.tx.ExecContext(ctx, `DELETE FROM skill_gap_people WHERE person_id IN `+db.In(len(chunk)), chunk...); err != nil {
			return err
		}
	}
	return db.InsertMany(ctx, r.tx, "skill_gap_people", []string{"person_id", "cell_id"}, placed)
}

// recount recounts the marked cells and cell skills from the sources; the totals lose the old
// counts and gain the new.
func (r *gapRefresh) recount(ctx context.Context) error {
	var rows [][]any
	for k := range r.work {
		if k.skill == "" || !r.work[cellSkill{k.cell, ""}] {
			rows = append(rows, []any{k.cell, k.skill})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	r.rep.Recounted = len(rows)
	if err := db.InsertMany(ctx, r.tx, "skill_gap_work", []string{"cell_id", "skill_id"}, rows); err != nil {
		return err
	}
	// The counts of the work list: CROSS JOIN makes SQLite start from it (PostgreSQL plans freely).
	counts := `skill_gap_work w CROSS JOIN skill_gap_stats st WHERE st.cell_id = w.cell_id AND (w.skill_id = '' OR w.skill_id = st.skill_id)`
	old, err := r.readStats(ctx, counts)
	if err != nil {
		return err
	}
	from := `skill_gap_work w CROSS JOIN skill_gap_people g CROSS JOIN skill_gap_cells c CROSS JOIN skill_gap_requirements r`
	on := `g.cell_id = w.cell_id AND c.id = w.cell_id AND r.job_role_id = c.job_role_id`
	for _, stmt := range []string{
		`DELETE FROM skill_gap_stats WHERE cell_id IN (SELECT cell_id FROM skill_gap_work WHERE skill_id = '')`,
		`DELETE FROM skill_gap_stats WHERE (cell_id, skill_id) IN (SELECT cell_id, skill_id FROM skill_gap_work WHERE skill_id <> '')`,
		statsInsert(from, on+` AND w.skill_id = ''`),
		statsInsert(from, on+` AND w.skill_id <> '' AND r.skill_id = w.skill_id`),
	} {
		if _, err := r.tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("recount: %w", err)
		}
	}
	counted, err := r.readStats(ctx, counts)
	if err != nil {
		return err
	}
	for _, st := range old {
		r.add(st, -1)
	}
	for _, st := range counted {
		r.add(st, 1)
	}
	_, err = r.tx.ExecContext(ctx, `DELETE FROM skill_gap_work`)
	return err
}

// applyTotals adds the differences collected to skill_gap_totals, 500 rows a statement, and drops
// the rows left with nobody required.
func (r *gapRefresh) applyTotals(ctx context.Context) error {
	type row struct {
		k totalKey
		t *gapTotal
	}
	var rows []row
	emptied := false
	for k, t := range r.totals {
		if *t != (gapTotal{}) {
			rows = append(rows, row{k, t})
			emptied = emptied || t[0] < 0 || t[3] < 0 || t[6] < 0
		}
	}
	cols := strings.Split(totalsColumns, ", ")
	var set []string
	for _, c := range cols {
		set = append(set, c+" = skill_gap_totals."+c+" + excluded."+c)
	}
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", 3+len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += 500 {
		chunk := rows[start:min(start+500, len(rows))]
		tuples := make([]string, len(chunk))
		var args []any
		for i, x := range chunk {
			tuples[i] = tuple
			args = append(args, x.k.grouping, x.k.group, x.k.skill)
			for _, v := range x.t {
				args = append(args, v)
			}
		}
		if _, err := r.tx.ExecContext(ctx, `INSERT INTO skill_gap_totals (grouping, group_id, skill_id, `+totalsColumns+`) VALUES `+strings.Join(tuples, ", ")+`
			ON CONFLICT (grouping, group_id, skill_id) DO UPDATE SET `+strings.Join(set, ", "), args...); err != nil {
			return fmt.Errorf("update totals: %w", err)
		}
	}
	if emptied {
		if _, err := r.tx.ExecContext(ctx, `DELETE FROM skill_gap_totals WHERE critical_required = 0 AND important_required = 0 AND useful_required = 0`); err != nil {
			return fmt.Errorf("update totals: %w", err)
		}
	}
	return nil
}

// inChunks calls fn with "(?, …)" and the arguments for each 500 of ids.
func inChunks(ids map[string]bool, fn func(in string, args []any) error) error {
	args := make([]any, 0, len(ids))
	for id := range ids {
		args = append(args, id)
	}
	for start := 0; start < len(args); start += 500 {
		chunk := args[start:min(start+500, len(args))]
		if err := fn(db.In(len(chunk)), chunk); err != nil {
			return err
		}
	}
	return nil
}

// unitDivisions maps every org unit to its division: the topmost unit of kind division on its
// path, or "" when there is none.
func unitDivisions(ctx context.Context, q db.Queryer) (map[string]string, error) {
	kind, path := map[string]string{}, map[string]string{}
	if err := scanTriples(ctx, q, `SELECT id, kind, path FROM org_units`, nil, func(id, k, p string) { kind[id], path[id] = k, p }); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(kind))
	for id, p := range path {
		out[id] = ""
		for _, anc := range strings.Split(strings.Trim(p, "/"), "/") {
			if kind[anc] == "division" {
				out[id] = anc
				break
			}
		}
	}
	return out, nil
}

// snapshotGaps records the day's totals per skill and for all skills together, for the
// organization and each division, skipping retired skills as the ranking does.
func snapshotGaps(ctx context.Context, tx *db.Tx, day core.Date) error {
	sum := func(col string) string {
		return fmt.Sprintf("COALESCE(sum(critical_%[1]s + important_%[1]s + useful_%[1]s), 0)", col)
	}
	cols := sum("required") + `, ` + sum("short") + `, ` + sum("gap") + `,
		COALESCE(sum(critical_gap * CAST(? AS DOUBLE PRECISION) + important_gap * CAST(? AS DOUBLE PRECISION) + useful_gap * CAST(? AS DOUBLE PRECISION)), 0)
		FROM skill_gap_totals WHERE grouping = ? AND skill_id IN (SELECT id FROM skills WHERE retired_at IS NULL)`
	var rows [][]any
	for _, sel := range []struct{ grouping, query string }{
		{GroupByOrganization, `SELECT 'organization', '', skill_id, ` + cols + ` GROUP BY skill_id`},
		{GroupByOrganization, `SELECT 'organization', '', '', ` + cols},
		{GroupByDivision, `SELECT 'division', group_id, skill_id, ` + cols + ` GROUP BY group_id, skill_id`},
		{GroupByDivision, `SELECT 'division', group_id, '', ` + cols + ` GROUP BY group_id`},
	} {
		err := forRows(ctx, tx, sel.query, []any{weight(3), weight(2), weight(1), sel.grouping}, func(scan func(...any) error) error {
			var scope, division, skill string
			var required, short, tenths int64
			var priority float64
			if err := scan(&scope, &division, &skill, &required, &short, &tenths, &priority); err != nil {
				return err
			}
			rows = append(rows, []any{scope, division, skill, day, required, short, tenths, priority / 10})
			return nil
		})
		if err != nil {
			return fmt.Errorf("take the gap history snapshot: %w", err)
		}
	}
	return db.InsertMany(ctx, tx, "skill_gap_history", []string{"scope", "division_id", "skill_id", "day", "required", "short", "gap_tenths", "priority"}, rows)
}

// GapTrendFilter chooses one series of the daily gap history.
type GapTrendFilter struct {
	SkillID string // "" for all skills together
	// DivisionID nil means the whole organization; "" the people outside any division.
	DivisionID *string
	From, To   core.Date // inclusive; zero for no bound
}

// GapTrendPoint is one day of a gap trend.
type GapTrendPoint struct {
	Day      core.Date `json:"day"`
	Required int       `json:"required"`
	Short    int       `json:"short"`
	GapSum   float64   `json:"gap_sum"`
	MeanGap  float64   `json:"mean_gap"`
	Priority float64   `json:"priority"`
}

// MaxTrendDays bounds a trend: ten years of daily snapshots.
const MaxTrendDays = 3660

// GapTrend returns the daily history of a skill's gaps (or of all skills together) in the
// organization or one division, oldest day first. Days on which no refresh ran, or on which no
// role required the skill, have no point.
func (s *Service) GapTrend(ctx context.Context, actor *core.Actor, f GapTrendFilter) ([]GapTrendPoint, error) {
	if err := seesOrganization(actor); err != nil {
		return nil, err
	}
	scope, division := "organization", ""
	if f.DivisionID != nil {
		scope, division = "division", *f.DivisionID
	}
	where, args := []string{"scope = ?", "division_id = ?", "skill_id = ?"}, []any{scope, division, f.SkillID}
	if !f.From.IsZero() {
		where, args = append(where, "day >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "day <= ?"), append(args, f.To)
	}
	// The newest days when there are more than MaxTrendDays.
	rows, err := s.DB.QueryContext(ctx, `SELECT day, required, short, gap_tenths, priority FROM skill_gap_history
		WHERE `+strings.Join(where, " AND ")+` ORDER BY day DESC LIMIT ?`, append(args, MaxTrendDays)...)
	if err != nil {
		return nil, fmt.Errorf("read the gap trend: %w", err)
	}
	defer rows.Close()
	out := []GapTrendPoint{}
	for rows.Next() {
		var p GapTrendPoint
		var tenths int64
		if err := rows.Scan(&p.Day, &p.Required, &p.Short, &tenths, &p.Priority); err != nil {
			return nil, err
		}
		p.GapSum, p.Priority = float64(tenths)/10, roundTenth(p.Priority)
		if p.Short > 0 {
			p.MeanGap = roundTenth(p.GapSum / float64(p.Short))
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b GapTrendPoint) int { return cmp.Compare(a.Day.String(), b.Day.String()) })
	return out, nil
}
