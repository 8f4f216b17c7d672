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

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/tabular"
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
	cond += " AND (s.required OR s.exempt) AND s.item_id IN (SELECT id FROM learning_items WHERE compliance)"
	if f.ItemID != "" {
		cond, args = cond+" AND s.item_id = ?", append(args, f.ItemID)
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
	q := `SELECT COALESCE(substr(u.path, ?, 36), ''), s.item_id, ` + statusCase + `, count(*)
		FROM training_status s JOIN people p ON p.id = s.person_id LEFT JOIN org_units u ON u.id = p.org_unit_id
		WHERE ` + cond + ` GROUP BY 1, 2, 3`
	rows, err := s.DB.QueryContext(ctx, q, slices.Concat([]any{prefix}, statusArgs(day), args)...)
	if err != nil {
		return nil, fmt.Errorf("count compliance: %w", err)
	}
	byItem := map[string]*Counts{}
	byUnit := map[string]*Counts{}
	for rows.Next() {
		var unitID, itemID, status string
		var n int
		if err := rows.Scan(&unitID, &itemID, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if byItem[itemID] == nil {
			byItem[itemID] = &Counts{}
		}
		if byUnit[unitID] == nil {
			byUnit[unitID] = &Counts{}
		}
		byItem[itemID].add(status, n)
		byUnit[unitID].add(status, n)
		d.Total.add(status, n)
		c := d.Matrix[unitID+"|"+itemID]
		c.add(status, n)
		d.Matrix[unitID+"|"+itemID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
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

// complianceItems lists the compliance items by title.
func (s *Service) complianceItems(ctx context.Context) ([]*Item, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+itemColumns+` FROM learning_items i WHERE i.compliance ORDER BY lower(i.title), i.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
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

// MaxComplianceRows bounds a person list on a page; exports have no bound.
const MaxComplianceRows = 1000

// FindComplianceRows returns people's standing with the compliance items, worst first, up to
// limit rows (0 for all), with how many there are in all.
func (s *Service) FindComplianceRows(ctx context.Context, actor *core.Actor, f ComplianceFilter, limit int) ([]*ComplianceRow, int, error) {
	var out []*ComplianceRow
	total, err := s.eachComplianceRow(ctx, actor, f, limit, func(r *ComplianceRow) error {
		out = append(out, r)
		return nil
	})
	return out, total, err
}

// eachComplianceRow calls fn for each row of the filter, worst status first, then by unit and
// name, and returns how many rows match.
func (s *Service) eachComplianceRow(ctx context.Context, actor *core.Actor, f ComplianceFilter, limit int, fn func(*ComplianceRow) error) (int, error) {
	cond, args, _, err := s.complianceScope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	day := today(s.Clock.Now(), "")
	status := statusCase
	if f.Status != "" {
		if !slices.Contains(ComplianceStatuses, f.Status) {
			return 0, core.Invalid("status", "choose one of %s", strings.Join(ComplianceStatuses, ", "))
		}
		cond, args = cond+" AND "+statusCase+" = ?", append(append(args, statusArgs(day)...), f.Status)
	}
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM training_status s JOIN people p ON p.id = s.person_id WHERE `+cond, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("count compliance rows: %w", err)
	}
	q := `SELECT p.id, COALESCE(p.employee_number, ''), p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), COALESCE(u.name, ''), COALESCE(r.name, ''),
		COALESCE(m.given_name || ' ' || m.family_name, ''), i.id, i.title, ` + status + `, s.completed_at, s.score, s.valid_until, s.due_on,
		CASE WHEN s.exempt THEN COALESCE((SELECT e.reason FROM enrollments e WHERE e.person_id = s.person_id AND e.item_id = s.item_id AND e.status = 'exempt'
			ORDER BY e.decided_at DESC LIMIT 1), '') ELSE '' END
		FROM training_status s JOIN people p ON p.id = s.person_id JOIN learning_items i ON i.id = s.item_id
		LEFT JOIN org_units u ON u.id = p.org_unit_id LEFT JOIN job_roles r ON r.id = p.job_role_id LEFT JOIN people m ON m.id = p.manager_id
		WHERE ` + cond + `
		ORDER BY CASE ` + status + ` WHEN 'expired' THEN 0 WHEN 'overdue' THEN 1 WHEN 'due_soon' THEN 2 WHEN 'compliant' THEN 3 ELSE 4 END,
			lower(u.name), p.sort_name, p.id, lower(i.title)`
	qargs := slices.Concat(statusArgs(day), args, statusArgs(day))
	if limit > 0 {
		q += " LIMIT ?"
		qargs = append(qargs, limit)
	}
	rows, err := s.DB.QueryContext(ctx, q, qargs...)
	if err != nil {
		return 0, fmt.Errorf("find compliance rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ComplianceRow
		if err := rows.Scan(&r.PersonID, &r.EmployeeNumber, &r.Name, &r.Email, &r.OrgUnit, &r.JobRole, &r.Manager, &r.ItemID, &r.ItemTitle, &r.Status,
			&r.CompletedAt, &r.Score, &r.ValidUntil, &r.DueOn, &r.ExemptReason); err != nil {
			return 0, err
		}
		utc(r.CompletedAt)
		if err := fn(&r); err != nil {
			return 0, err
		}
	}
	return total, rows.Err()
}

// ComplianceFormats are the formats of a compliance export.
var ComplianceFormats = []string{"csv", "xlsx"}

// complianceHeader is the export's header: who, what, when completed, score, expiry.
var complianceHeader = []string{"Employee number", "Name", "Email", "Org unit", "Job role", "Manager", "Item", "Status", "Completed on", "Score",
	"Valid until", "Due on", "Exemption reason"}

// StatusLabels name the compliance statuses for people and files.
var StatusLabels = map[string]string{Compliant: "Compliant", DueSoon: "Due soon", Overdue: "Overdue", Expired: "Expired", Exempt: "Exempt"}

// ExportCompliance writes every row of the filter as CSV or XLSX (with a summary sheet: when,
// by whom, for which unit) and returns the number of rows. The rows are read before anything is
// written for CSV as for XLSX, so that an error leaves w untouched.
func (s *Service) ExportCompliance(ctx context.Context, actor *core.Actor, f ComplianceFilter, format string, w io.Writer) (int, error) {
	if !slices.Contains(ComplianceFormats, format) {
		return 0, core.Invalid("format", "choose csv or xlsx")
	}
	rows, _, err := s.FindComplianceRows(ctx, actor, f, 0)
	if err != nil {
		return 0, err
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
	if format == "csv" {
		c := csv.NewWriter(w)
		if err := c.Write(complianceHeader); err != nil {
			return 0, err
		}
		for _, r := range rows {
			vals := values(r)
			rec := make([]string, len(vals))
			for i, v := range vals {
				switch x := v.(type) {
				case string:
					rec[i] = tabular.Escape(x)
				case float64:
					rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
				}
			}
			if err := c.Write(rec); err != nil {
				return 0, err
			}
		}
		c.Flush()
		return len(rows), c.Error()
	}
	scope := "everyone you see"
	if f.OrgUnitID != "" {
		if u, err := s.Org.FindUnitByID(ctx, actor, f.OrgUnitID); err == nil {
			scope = u.Name + " and the units below it"
		}
	}
	summary := [][]any{{"Compliance report", ""}, {"Generated", s.Clock.Now().UTC().Format("2006-01-02 15:04 UTC")}, {"Generated by", orSystem(actor)},
		{"People", scope}, {"Status as of", today(s.Clock.Now(), "").String()}, {"Rows", len(rows)}}
	return len(rows), writeXLSX(w, "Compliance", complianceHeader, rows, values, summary)
}

// writeXLSX writes rows on a first sheet with a bold, frozen header and a filter, and a summary
// sheet after it.
func writeXLSX[T any](w io.Writer, name string, header []string, rows []T, values func(T) []any, summary [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range rows {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), values(r)); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(header), len(rows)+1)
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	if _, err := f.NewSheet("Summary"); err != nil {
		return err
	}
	for i, row := range summary {
		if err := f.SetSheetRow("Summary", "A"+strconv.Itoa(i+1), &row); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}
