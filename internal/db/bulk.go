package db

import (
	"context"
	"fmt"
	"strings"
)

// maxParams keeps a generated statement under both engines' limits on bound parameters
// (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// InsertMany inserts rows into table with multi-row INSERT statements, as many rows per statement
// as the parameter limit allows. It is the fast path for imports and the demo generator; run it
// inside a transaction so a failure leaves nothing behind.
func InsertMany(ctx context.Context, ex Execer, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, min(500, maxParams/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.Grow(len(head) + len(chunk)*(len(tuple)+2))
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if len(r) != len(cols) {
				return fmt.Errorf("insert into %s: row has %d values for %d columns", table, len(r), len(cols))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, r...)
		}
		if _, err := ex.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, FormatError(err))
		}
	}
	return nil
}

// In returns "(?, ?, …)" for n values, for IN lists.
func In(n int) string {
	if n <= 0 {
		return "(NULL)"
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}
