package org

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/tabular"
)

// The columns of an org-unit file. Units are matched by code; parent names the parent's code.
var unitColumnNames = map[string][]string{
	"code":   {"unit code", "org unit code", "department code", "id"},
	"name":   {"unit name", "org unit", "org unit name", "department", "department name"},
	"kind":   {"type", "level", "unit type"},
	"parent": {"parent code", "parent unit", "parent id", "parent unit code"},
}

// UnitColumnOrder is the column order of exported org-unit files.
var UnitColumnOrder = []string{"code", "name", "kind", "parent"}

// PlanUnitImport validates an org-unit file and reports what importing it would change.
func (s *Service) PlanUnitImport(ctx context.Context, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	p, err := s.planUnits(ctx, s.DB.Reader(), data, opts)
	if err != nil {
		return nil, err
	}
	return p.report, nil
}

// ImportUnits creates and updates org units from a file, all or nothing. Units missing from the
// file are left alone: removing a unit is a deliberate act (DeleteUnit).
func (s *Service) ImportUnits(ctx context.Context, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	var report *ImportReport
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		report, err = s.importUnitsIn(ctx, tx, actor, data, opts)
		return err
	})
	return report, err
}

// importUnitsIn plans and, when valid, applies an org-unit file inside tx.
func (s *Service) importUnitsIn(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	p, err := s.planUnits(ctx, tx, data, opts)
	if err != nil {
		return nil, err
	}
	report := p.report
	if !report.Valid {
		return report, nil
	}
	err = func() error {
		now := s.Clock.Now()
		var rows [][]any
		for _, u := range p.creates {
			rows = append(rows, []any{u.ID, u.Code, u.Name, u.Kind, nullable(u.ParentID), u.Path, now, now})
		}
		if err := db.InsertMany(ctx, tx, "org_units", []string{"id", "code", "name", "kind", "parent_id", "path", "created_at", "updated_at"}, rows); err != nil {
			return uniqueCode(err)
		}
		for _, u := range p.updates {
			if _, err := tx.ExecContext(ctx, `UPDATE org_units SET code = ?, name = ?, kind = ?, parent_id = ?, path = ?, updated_at = ? WHERE id = ?`,
				u.Code, u.Name, u.Kind, nullable(u.ParentID), u.Path, now, u.ID); err != nil {
				return uniqueCode(db.FormatError(err))
			}
		}
		report.Applied = true
		if report.Create+report.Update == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "org_units.import", TargetType: "import",
			Summary: fmt.Sprintf("Imported %s: %s", orFile(opts.Filename), report.Summary()),
			Details: map[string]any{"rows": report.Rows, "create": report.Create, "update": report.Update, "unchanged": report.Unchanged}})
	}()
	if err != nil {
		return nil, err
	}
	return report, nil
}

type unitPlan struct {
	report  *ImportReport
	creates []*OrgUnit
	updates []*OrgUnit
}

func (s *Service) planUnits(ctx context.Context, q db.Queryer, data []byte, opts ImportOptions) (*unitPlan, error) {
	p := &unitPlan{report: tabular.NewReport("org_units")}
	report := p.report
	table, cols, err := tabular.ReadFile(report, data, opts.Encoding, unitColumnNames, []string{"code", "name", "kind"}, "org units")
	if err != nil || cols == nil {
		return p, err
	}
	existing, err := s.findUnits(ctx, q, false)
	if err != nil {
		return nil, err
	}
	// final holds every unit after the import, by lower-case code.
	final := map[string]*OrgUnit{}
	stored := map[string]*OrgUnit{}
	codeOf := map[string]string{}
	for _, u := range existing {
		cp := *u
		final[strings.ToLower(u.Code)] = &cp
		stored[u.ID] = u
		codeOf[u.ID] = strings.ToLower(u.Code)
	}
	type row struct {
		line   int
		unit   *OrgUnit
		parent string
	}
	var rows []row
	firstLine := map[string]int{}
	for _, tr := range table.Rows {
		bad := func(field, value, format string, args ...any) {
			report.Problem(tabular.Problem{Line: tr.Line, Column: cols.Name(field), Value: value, Reason: fmt.Sprintf(format, args...)})
		}
		in := UnitInput{Code: cols.Get(tr, "code"), Name: cols.Get(tr, "name"), Kind: cols.Get(tr, "kind")}
		if e := core.AsError(in.validate()); e != nil {
			for _, f := range []string{"code", "name", "kind"} {
				if msg, ok := e.Fields[f]; ok {
					bad(f, cols.Get(tr, f), "%s", msg)
				}
			}
			continue
		}
		key := strings.ToLower(in.Code)
		if first, dup := firstLine[key]; dup {
			bad("code", in.Code, "duplicate code %s (first on line %d)", in.Code, first)
			continue
		}
		firstLine[key] = tr.Line
		u := final[key]
		if u == nil {
			u = &OrgUnit{ID: core.NewID()}
			final[key] = u
			codeOf[u.ID] = key
		}
		u.Code, u.Name, u.Kind = in.Code, in.Name, in.Kind
		rows = append(rows, row{line: tr.Line, unit: u, parent: strings.ToLower(cols.Get(tr, "parent"))})
	}
	for _, r := range rows {
		if !cols.Has("parent") {
			continue
		}
		r.unit.ParentID = ""
		if r.parent == "" {
			continue
		}
		parent, ok := final[r.parent]
		switch {
		case !ok:
			report.Problem(tabular.Problem{Line: r.line, Column: cols.Name("parent"), Value: r.parent, Reason: fmt.Sprintf("unknown parent unit %q", r.parent)})
		case parent == r.unit:
			report.Problem(tabular.Problem{Line: r.line, Column: cols.Name("parent"), Value: r.parent, Reason: "a unit cannot be its own parent"})
		default:
			r.unit.ParentID = parent.ID
		}
	}
	byID := map[string]*OrgUnit{}
	for _, u := range final {
		byID[u.ID] = u
	}
	// Paths from the final parents; a loop is a problem on each row in it.
	for _, r := range rows {
		seen := map[string]bool{}
		var chain []string
		for u := r.unit; u != nil; u = byID[u.ParentID] {
			if seen[u.ID] {
				report.Problem(tabular.Problem{Line: r.line, Column: cols.Name("parent"), Value: r.parent,
					Reason: "parent cycle: " + strings.Join(append(chain, u.Code), " → ")})
				break
			}
			seen[u.ID] = true
			chain = append(chain, u.Code)
		}
	}
	report.SortProblems()
	report.Valid = report.ProblemCount == 0
	if !report.Valid {
		return p, nil
	}
	var pathOf func(u *OrgUnit) string
	done := map[string]bool{}
	pathOf = func(u *OrgUnit) string {
		if !done[u.ID] {
			parent := ""
			if u.ParentID != "" {
				parent = pathOf(byID[u.ParentID])
			}
			u.Path, done[u.ID] = childPath(parent, u.ID), true
		}
		return u.Path
	}
	inFile := map[string]int{}
	for _, r := range rows {
		inFile[r.unit.ID] = r.line
	}
	for _, u := range final {
		pathOf(u)
	}
	for _, u := range final {
		old, ok := stored[u.ID]
		switch {
		case !ok:
			p.creates = append(p.creates, u)
			report.Create++
			report.AddChange(Change{Line: inFile[u.ID], Kind: "create", Key: u.Code, Name: u.Name})
		case old.Code != u.Code || old.Name != u.Name || old.Kind != u.Kind || old.ParentID != u.ParentID:
			p.updates = append(p.updates, u)
			report.Update++
			var fields []string
			for _, f := range [][3]string{{"code", old.Code, u.Code}, {"name", old.Name, u.Name}, {"kind", old.Kind, u.Kind}, {"parent", old.ParentID, u.ParentID}} {
				if f[1] != f[2] {
					fields = append(fields, f[0])
				}
			}
			report.AddChange(Change{Line: inFile[u.ID], Kind: "update", Key: u.Code, Name: u.Name, Fields: fields})
		case old.Path != u.Path:
			p.updates = append(p.updates, u) // moved with an ancestor
		default:
			if _, ok := inFile[u.ID]; ok {
				report.Unchanged++
			}
		}
	}
	slices.SortFunc(p.creates, func(a, b *OrgUnit) int { return len(a.Path) - len(b.Path) })
	slices.SortFunc(report.Changes, func(a, b Change) int { return a.Line - b.Line })
	return p, nil
}

// ExportUnits writes every org unit as CSV in the import layout, parents before children.
func (s *Service) ExportUnits(ctx context.Context, actor *core.Actor, w io.Writer) (int, error) {
	units, err := s.FindUnits(ctx, actor)
	if err != nil {
		return 0, err
	}
	code := map[string]string{}
	for _, u := range units {
		code[u.ID] = u.Code
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(UnitColumnOrder); err != nil {
		return 0, err
	}
	for _, u := range units {
		if err := cw.Write(escapeAll([]string{u.Code, u.Name, u.Kind, code[u.ParentID]})); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(units), cw.Error()
}
