package org

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/tabular"
)

// ExportPeople writes the people actor may see as CSV in the import layout, so an exported file
// imports again without changes. status is active, left or all ("" means all).
func (s *Service) ExportPeople(ctx context.Context, actor *core.Actor, w io.Writer, status string) (int, error) {
	q := s.DB.Reader()
	scope, args, err := s.scope(ctx, q, actor)
	if err != nil {
		return 0, err
	}
	switch status {
	case "", "all":
	case StatusActive, StatusLeft:
		scope += " AND p.status = ?"
		args = append(args, status)
	default:
		return 0, core.Invalid("status", "must be active, left or all")
	}
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(p.employee_number, ''), p.given_name, p.family_name, COALESCE(p.email, ''), p.job_title,
		COALESCE(r.name, ''), COALESCE(u.code, ''), COALESCE(m.employee_number, m.email, ''), p.location, p.time_zone, p.hire_date, p.status, p.left_on
		FROM people p
		LEFT JOIN job_roles r ON r.id = p.job_role_id
		LEFT JOIN org_units u ON u.id = p.org_unit_id
		LEFT JOIN people m ON m.id = p.manager_id
		WHERE `+scope+` ORDER BY p.sort_name, p.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("export people: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(PeopleColumnOrder); err != nil {
		return 0, err
	}
	n := 0
	rec := make([]string, len(PeopleColumnOrder))
	for rows.Next() {
		var hire, left core.Date
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &rec[5], &rec[6], &rec[7], &rec[8], &rec[9], &hire, &rec[11], &left); err != nil {
			return n, err
		}
		rec[10], rec[12] = hire.String(), left.String()
		if err := cw.Write(escapeAll(rec)); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// escapeAll protects formula-like values in place (see tabular.Escape) and returns rec.
func escapeAll(rec []string) []string {
	for i := range rec {
		rec[i] = tabular.Escape(rec[i])
	}
	return rec
}
