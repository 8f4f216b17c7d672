package training

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/tabular"
	"github.com/learnloop/learnloop/internal/workbook"
)

// Compliance is about the items marked compliance (safety, data protection, anti-bribery):
// who must hold them, who does, and who is late. A person counts for an item when it is
// required of them (assigned by a manager, L&D or a rule) or they are exempt from it; leavers do
// not count. Their status is one of ComplianceStatuses, decided by statusCase on today's date.

// ComplianceFilter chooses the people and items of a compliance view.
type ComplianceFilter struct {
	OrgUnitID string // the unit and everything below it; "" for everyone in the actor's scope
	ItemID    string // one compliance item; "" for all
	Status    string // people of one status (person lists only)
}

// Counts are the people in each compliance status.
type Counts struct {
	Compliant int `json:"compliant"`
	DueSoon   int `json:"due_soon"`
	Overdue   int `json:"overdue"`
	Expired   int `json:"expired"`
	Exempt    int `json:"exempt"`
}

// Total returns everyone counted.
func (c Counts) Total() int { return c.Compliant + c.DueSoon + c.Overdue + c.Expired + c.Exempt }

// Rate returns the share compliant among those not exempt, from 0 to 1 (1 when nobody counts).
func (c Counts) Rate() float64 {
	n := c.Total() - c.Exempt
	if n == 0 {
		return 1
	}
	return float64(c.Compliant) / float64(n)
}

func (c Counts) negated() Counts {
	return Counts{Compliant: -c.Compliant, DueSoon: -c.DueSoon, Overdue: -c.Overdue, Expired: -c.Expired, Exempt: -c.Exempt}
}

func (c *Counts) merge(o Counts) {
	c.Compliant += o.Compliant
	c.DueSoon += o.DueSoon
	c.Overdue += o.Overdue
	c.Expired += o.Expired
	c.Exempt += o.Exempt
}

func (c *Counts) add(status string, n int) {
	switch status {
	case Compliant:
		c.Compliant += n
	case DueSoon:
		c.DueSoon += n
	case Overdue:
		c.Overdue += n
	case Expired:
		c.Expired += n
	case Exempt:
		c.Exempt += n
	}
}

// ComplianceDashboard is the compliance of a unit: per item, and per unit directly below it.
type ComplianceDashboard struct {
	Unit   *org.OrgUnit      `json:"unit,omitempty"` // nil for the whole scope
	AsOf   core.Date         `json:"as_of"`
	Total  Counts            `json:"total"`
	Items  []ItemCompliance  `json:"items"`
	Units  []UnitCompliance  `json:"units"`
	Matrix map[string]Counts `json:"-"` // unit id + "|" + item id → counts
}

// ItemCompliance is one compliance item's counts.
type ItemCompliance struct {
	ItemID         string `json:"item_id"`
	Title          string `json:"title"`
	ValidityMonths int    `json:"validity_months"`
	Counts
}

// UnitCompliance is one unit below the chosen one, with everything below it; UnitID "" stands
// for the people directly in the chosen unit.
type UnitCompliance struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
	Counts
}

// complianceScope returns the condition on people p and training_status s for the filter, with
// its arguments, and the chosen unit.
func (s *Service) complianceScope(ctx context.Context, actor *core.Actor, f ComplianceFilter) (string, []any, *org.OrgUnit, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return "", nil, nil, err
	}
	if !actor.SeesAllPeople() && !actor.IsManager && !actor.IsSystem() {
		return "", nil, nil, core.Errorf(core.EFORBIDDEN, "compliance is for managers, L&D and HR")
	}
	var unit *org.OrgUnit
	pf := org.PersonFilter{}
	if f.OrgUnitID != "" {
		u, err := s.Org.FindUnitByID(ctx, actor, f.OrgUnitID)
		if err != nil {
			return "", nil, nil, core.Invalid("org_unit", "unknown org unit")
		}
		unit, pf.OrgUnitID = u, u.ID
	}
	cond, args, err := s.Org.PeopleCondition(ctx, actor, pf)
	if err != nil {
		return "", nil, nil, err
	}
	// The scope is a reporting line (those who see everyone read the kept counts instead): the
	// people come first, then their few items by the key. "|| ''" keeps SQLite, which has no
	// statistics to go by, from starting at every standing with an item instead.
	cond += " AND (s.required OR s.exempt) AND s.item_id || '' IN (SELECT id FROM learning_items WHERE compliance)"
	if f.ItemID != "" {
		cond, args = cond+" AND s.item_id || '' = ?", append(args, f.ItemID)
	}
	return cond, args, unit, nil
}

// FindCompliance returns the compliance dashboard of a unit (the actor's whole scope without one):
// counts per compliance item and per unit directly below.
func (s *Service) FindCompliance(ctx context.Context, actor *core.Actor, f ComplianceFilter) (*ComplianceDashboard, error) {
	cond, args, unit, err := s.complianceScope(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	day := today(s.Clock.Now(), "")
	d := &ComplianceDashboard{Unit: unit, AsOf: day, Matrix: map[string]Counts{}}
	// The unit directly below the chosen one that a person is in is the 36 characters of their
	// unit's path after the chosen unit's path ('' for people directly in it or in no unit).
	prefix := 2 // after the leading "/" of a top unit's path
	if unit != nil {
		prefix = len(unit.Path) + 1
	}
	// cells: unit directly below (or "" for people directly in the unit or in no unit) → item →
	// counts.
	cells := map[string]map[string]*Counts{}
	cell := func(unitID, itemID string) *Counts {
		if cells[unitID] == nil {
			cells[unitID] = map[string]*Counts{}
		}
		if cells[unitID][itemID] == nil {
			cells[unitID][itemID] = &Counts{}
		}
		return cells[unitID][itemID]
	}
	if actor.SeesAllPeople() || actor.IsSystem() {
		if cells, err = s.keptCounts(ctx, unit, f.ItemID); err != nil {
			return nil, err
		}
	} else {
		q := `SELECT COALESCE(substr(u.path, ?, 36), ''), s.item_id, ` + statusCase + `, count(*)
			FROM training_status s JOIN people p ON p.id = s.person_id LEFT JOIN org_units u ON u.id = p.org_unit_id
			WHERE ` + cond + ` GROUP BY 1, 2, 3`
		rows, err := s.DB.QueryContext(ctx, q, slices.Concat([]any{prefix}, statusArgs(day), args)...)
		if err != nil {
			return nil, fmt.Errorf("count compliance: %w", err)
		}
		for rows.Next() {
			var unitID, itemID, status string
			var n int
			if err := rows.Scan(&unitID, &itemID, &status, &n); err != nil {
				rows.Close()
				return nil, err
			}
			cell(unitID, itemID).add(status, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	byItem := map[string]*Counts{}
	byUnit := map[string]*Counts{}
	for unitID, items := range cells {
		for itemID, c := range items {
			if c.Total() == 0 {
				continue
			}
			if byItem[itemID] == nil {
				byItem[itemID] = &Counts{}
			}
			if byUnit[unitID] == nil {
				byUnit[unitID] = &Counts{}
			}
			byItem[itemID].merge(*c)
			byUnit[unitID].merge(*c)
			d.Total.merge(*c)
			d.Matrix[unitID+"|"+itemID] = *c
		}
	}
	items, err := s.complianceItems(ctx)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if f.ItemID != "" && it.ID != f.ItemID {
			continue
		}
		ic := ItemCompliance{ItemID: it.ID, Title: it.Title, ValidityMonths: it.ValidityMonths}
		if c := byItem[it.ID]; c != nil {
			ic.Counts = *c
		}
		d.Items = append(d.Items, ic)
	}
	names, err := s.unitNames(ctx, byUnit)
	if err != nil {
		return nil, err
	}
	for id, c := range byUnit {
		name := names[id]
		if id == "" {
			name = "Directly in this unit"
			if unit == nil {
				name = "No org unit"
			}
		}
		d.Units = append(d.Units, UnitCompliance{UnitID: id, Name: name, Counts: *c})
	}
	// Worst first: the units an auditor or a manager should look at.
	slices.SortFunc(d.Units, func(a, b UnitCompliance) int {
		if a.Rate() != b.Rate() {
			if a.Rate() < b.Rate() {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return d, nil
}

// keptCounts returns the cells of a dashboard (unit directly below, or "" → item → counts) from
// the kept counts (those who see everyone), made of today's statuses (recounted first when the
// day has changed since). The counts of a unit are of everyone at or below it: the cells are the
// children's counts, and the people directly in the unit are its own counts less its children's.
// Without a unit the cells are the top units' and the people in no unit.
func (s *Service) keptCounts(ctx context.Context, unit *org.OrgUnit, itemID string) (map[string]map[string]*Counts, error) {
	if _, err := s.RecountCompliance(ctx, false); err != nil {
		return nil, err
	}
	items, args := "c.item_id IN (SELECT id FROM learning_items WHERE compliance)", []any{}
	if itemID != "" {
		items, args = items+" AND c.item_id = ?", append(args, itemID)
	}
	self, children, sargs := "''", "u.parent_id IS NULL", []any{}
	if unit != nil {
		self, children, sargs = "?", "u.parent_id = ?", []any{unit.ID}
	}
	q := `SELECT '', c.item_id, c.status, c.people FROM compliance_counts c WHERE c.org_unit_id = ` + self + ` AND ` + items + `
		UNION ALL SELECT c.org_unit_id, c.item_id, c.status, c.people FROM org_units u JOIN compliance_counts c ON c.org_unit_id = u.id
		WHERE ` + children + ` AND ` + items
	rows, err := s.DB.QueryContext(ctx, q, slices.Concat(sargs, args, sargs, args)...)
	if err != nil {
		return nil, fmt.Errorf("read compliance counts: %w", err)
	}
	defer rows.Close()
	cells := map[string]map[string]*Counts{}
	at := func(unitID, item string) *Counts {
		if cells[unitID] == nil {
			cells[unitID] = map[string]*Counts{}
		}
		if cells[unitID][item] == nil {
			cells[unitID][item] = &Counts{}
		}
		return cells[unitID][item]
	}
	for rows.Next() {
		var unitID, item, status string
		var n int
		if err := rows.Scan(&unitID, &item, &status, &n); err != nil {
			return nil, err
		}
		at(unitID, item).add(status, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if unit != nil {
		// "" holds the unit's own counts so far: take its children's off.
		for child, byItem := range cells {
			if child == "" {
				continue
			}
			for item, c := range byItem {
				at("", item).merge(c.negated())
			}
		}
	}
	return cells, nil
}

// complianceItems lists the compliance items by title.
func (s *Service) complianceItems(ctx context.Context) ([]*Item, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+itemColumns+` FROM learning_items i WHERE i.compliance ORDER BY lower(i.title), i.id`)
	if err != nil {
		return nil, err
	}
	return db.Collect(rows, scanItem)
}

func (s *Service) unitNames(ctx context.Context, units map[string]*Counts) (map[string]string, error) {
	out := map[string]string{}
	var ids []any
	for id := range units {
		if id != "" {
			ids = append(ids, id)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := s.DB.QueryContext(ctx, `SELECT id, name FROM org_units WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = name
		}
		rows.Close()
	}
	return out, nil
}

// ComplianceRow is one person's standing with one compliance item: what an auditor reads.
type ComplianceRow struct {
	PersonID       string     `json:"person_id"`
	EmployeeNumber string     `json:"employee_number"`
	Name           string     `json:"name"`
	Email          string     `json:"email"`
	OrgUnit        string     `json:"org_unit"`
	JobRole        string     `json:"job_role"`
	Manager        string     `json:"manager"`
	ItemID         string     `json:"item_id"`
	ItemTitle      string     `json:"item_title"`
	Status         string     `json:"status"`
	CompletedAt    *time.Time `json:"completed_at,omitempty"`
	Score          *float64   `json:"score,omitempty"`
	ValidUntil     core.Date  `json:"valid_until"`
	DueOn          core.Date  `json:"due_on"`
	ExemptReason   string     `json:"exempt_reason,omitempty"`
}

// MaxComplianceRows bounds a person list on a page (the export has everyone).
const MaxComplianceRows = 200

// FindComplianceRows returns people's standing with the compliance items, worst first, up to
// limit rows (0 for all), with how many there are in all.
func (s *Service) FindComplianceRows(ctx context.Context, actor *core.Actor, f ComplianceFilter, limit int) ([]*ComplianceRow, int, error) {
	var out []*ComplianceRow
	total := 0
	_, err := s.eachComplianceRow(ctx, actor, f, limit, &total, func(r *ComplianceRow) error {
		out = append(out, r)
		return nil
	})
	return out, total, err
}

// complianceRowColumns are a ComplianceRow's columns; status is the status column's expression.
func complianceRowColumns(status string) string {
	return `p.id, COALESCE(p.employee_number, ''), p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), COALESCE(u.name, ''), COALESCE(r.name, ''),
		COALESCE(m.given_name || ' ' || m.family_name, ''), i.id, i.title, ` + status + `, s.completed_at, s.score, s.valid_until, s.due_on,
		CASE WHEN s.exempt THEN COALESCE((SELECT e.reason FROM enrollments e WHERE e.person_id = s.person_id AND e.item_id = s.item_id AND e.status = 'exempt'
			ORDER BY e.decided_at DESC LIMIT 1), '') ELSE '' END`
}

// complianceRowJoins name the person's unit, role and manager and the item of a row.
const complianceRowJoins = ` JOIN people p ON p.id = s.person_id JOIN learning_items i ON i.id = s.item_id
	LEFT JOIN org_units u ON u.id = p.org_unit_id LEFT JOIN job_roles r ON r.id = p.job_role_id LEFT JOIN people m ON m.id = p.manager_id`

// worstFirst orders rows by status, worst first, then by unit, name and item.
func worstFirst(status string) string {
	return ` ORDER BY CASE ` + status + ` WHEN 'expired' THEN 0 WHEN 'overdue' THEN 1 WHEN 'due_soon' THEN 2 WHEN 'compliant' THEN 3 ELSE 4 END,
		lower(u.name), p.sort_name, p.id, lower(i.title)`
}

// eachComplianceRow calls fn for each row of the filter, worst status first, then by unit and
// name, and returns how many it called fn for; with total set, it also counts every match
// first. Those who see everyone read the kept statuses (compliance_counted, indexed by status
// and item), as the dashboard does; others' scopes are small and read live.
func (s *Service) eachComplianceRow(ctx context.Context, actor *core.Actor, f ComplianceFilter, limit int, total *int, fn func(*ComplianceRow) error) (int, error) {
	cond, args, unit, err := s.complianceScope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	if f.Status != "" && !slices.Contains(ComplianceStatuses, f.Status) {
		return 0, core.Invalid("status", "choose one of %s", strings.Join(ComplianceStatuses, ", "))
	}
	var count, q string
	var qargs []any
	if actor.SeesAllPeople() || actor.IsSystem() {
		if _, err := s.RecountCompliance(ctx, false); err != nil {
			return 0, err
		}
		where, wargs := []string{"c.item_id IN (SELECT id FROM learning_items WHERE compliance)"}, []any{}
		if unit != nil {
			where, wargs = append(where, "c.unit_path >= ? AND c.unit_path < ?"), append(wargs, unit.Path, strings.TrimSuffix(unit.Path, "/")+"0")
		}
		if f.ItemID != "" {
			where, wargs = append(where, "c.item_id = ?"), append(wargs, f.ItemID)
		}
		if f.Status != "" {
			where, wargs = append(where, "c.status = ?"), append(wargs, f.Status)
		}
		w := strings.Join(where, " AND ")
		count = `SELECT count(*) FROM compliance_counted c WHERE ` + w
		q = `SELECT ` + complianceRowColumns("c.status") + ` FROM compliance_counted c JOIN training_status s ON s.person_id = c.person_id AND s.item_id = c.item_id` +
			complianceRowJoins + ` WHERE ` + w + worstFirst("c.status")
		args, qargs = wargs, wargs
	} else {
		day := today(s.Clock.Now(), "")
		if f.Status != "" {
			cond, args = cond+" AND "+statusCase+" = ?", append(append(args, statusArgs(day)...), f.Status)
		}
		count = `SELECT count(*) FROM training_status s JOIN people p ON p.id = s.person_id WHERE ` + cond
		q = `SELECT ` + complianceRowColumns(statusCase) + ` FROM training_status s` + complianceRowJoins + ` WHERE ` + cond + worstFirst(statusCase)
		qargs = slices.Concat(statusArgs(day), args, statusArgs(day))
	}
	if total != nil {
		if err := s.DB.QueryRowContext(ctx, count, args...).Scan(total); err != nil {
			return 0, fmt.Errorf("count compliance rows: %w", err)
		}
	}
	if limit > 0 {
		q += " LIMIT ?"
		qargs = append(slices.Clone(qargs), limit)
	}
	rows, err := s.DB.QueryContext(ctx, q, qargs...)
	if err != nil {
		return 0, fmt.Errorf("find compliance rows: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r ComplianceRow
		if err := rows.Scan(&r.PersonID, &r.EmployeeNumber, &r.Name, &r.Email, &r.OrgUnit, &r.JobRole, &r.Manager, &r.ItemID, &r.ItemTitle, &r.Status,
			&r.CompletedAt, &r.Score, &r.ValidUntil, &r.DueOn, &r.ExemptReason); err != nil {
			return n, err
		}
		utc(r.CompletedAt)
		if err := fn(&r); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ComplianceFormats are the formats of a compliance export.
var ComplianceFormats = []string{"csv", "xlsx"}

// complianceHeader is the export's header: who, what, when completed, score, expiry.
var complianceHeader = []string{"Employee number", "Name", "Email", "Org unit", "Job role", "Manager", "Item", "Status", "Completed on", "Score",
	"Valid until", "Due on", "Exemption reason"}

// StatusLabels name the compliance statuses for people and files.
var StatusLabels = map[string]string{Compliant: "Compliant", DueSoon: "Due soon", Overdue: "Overdue", Expired: "Expired", Exempt: "Exempt"}

// ExportCompliance writes every row of the filter as CSV or XLSX (with a summary sheet: when,
// by whom, for which unit) and returns the number of rows. Rows stream from the database to the
// file, so a whole company's export keeps memory flat; a wrong filter is refused before anything
// is written.
func (s *Service) ExportCompliance(ctx context.Context, actor *core.Actor, f ComplianceFilter, format string, w io.Writer) (int, error) {
	if !slices.Contains(ComplianceFormats, format) {
		return 0, core.Invalid("format", "choose csv or xlsx")
	}
	if _, _, _, err := s.complianceScope(ctx, actor, f); err != nil {
		return 0, err
	}
	if f.Status != "" && !slices.Contains(ComplianceStatuses, f.Status) {
		return 0, core.Invalid("status", "choose one of %s", strings.Join(ComplianceStatuses, ", "))
	}
	values := func(r *ComplianceRow) []any {
		var completed, score any = "", ""
		if r.CompletedAt != nil {
			completed = r.CompletedAt.Format("2006-01-02")
		}
		if r.Score != nil {
			score = *r.Score
		}
		return []any{r.EmployeeNumber, r.Name, r.Email, r.OrgUnit, r.JobRole, r.Manager, r.ItemTitle, StatusLabels[r.Status], completed, score,
			r.ValidUntil.String(), r.DueOn.String(), r.ExemptReason}
	}
	each := func(row func([]any) error) (int, error) {
		return s.eachComplianceRow(ctx, actor, f, 0, nil, func(r *ComplianceRow) error { return row(values(r)) })
	}
	if format == "csv" {
		c := csv.NewWriter(w)
		if err := c.Write(complianceHeader); err != nil {
			return 0, err
		}
		n, err := each(func(vals []any) error {
			rec := make([]string, len(vals))
			for i, v := range vals {
				switch x := v.(type) {
				case string:
					rec[i] = tabular.Escape(x)
				case float64:
					rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
				}
			}
			return c.Write(rec)
		})
		if err != nil {
			return n, err
		}
		c.Flush()
		return n, c.Error()
	}
	scope := "everyone you see"
	if f.OrgUnitID != "" {
		if u, err := s.Org.FindUnitByID(ctx, actor, f.OrgUnitID); err == nil {
			scope = u.Name + " and the units below it"
		}
	}
	summary := [][]any{{"Compliance report", ""}, {"Generated", s.Clock.Now().UTC().Format("2006-01-02 15:04 UTC")}, {"Generated by", orSystem(actor)},
		{"People", scope}, {"Status as of", today(s.Clock.Now(), "").String()}}
	wb, err := workbook.New()
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	n, err := wb.Table("Compliance", complianceHeader, true, func(row func([]any) error) error { _, err := each(row); return err })
	if err != nil {
		return n, err
	}
	if err := wb.Rows("Summary", append(summary, []any{"Rows", n})); err != nil {
		return n, err
	}
	_, err = wb.WriteTo(w)
	return n, err
}
