package db

import (
	"context"
	"database/sql"
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
	return InsertManyOn(ctx, ex, table, cols, rows, "")
}

// InsertManyOn is InsertMany with a clause after each statement's values, such as
// "ON CONFLICT (a, b) DO UPDATE SET c = excluded.c", for bulk upserts (both engines read it alike).
func InsertManyOn(ctx context.Context, ex Execer, table string, cols []string, rows [][]any, onConflict string) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, min(500, maxParams/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	statement := func(n int) string {
		var b strings.Builder
		b.Grow(len(head) + n*(len(tuple)+2))
		b.WriteString(head)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
		}
		if onConflict != "" {
			b.WriteString(" ")
			b.WriteString(onConflict)
		}
		return b.String()
	}
	// In a transaction, the statement of a full chunk is prepared once and reused: parsing a
	// statement of thousands of placeholders for every chunk cost SQLite about a tenth of a bulk
	// insert.
	var full *sql.Stmt
	tx, _ := ex.(*Tx)
	if tx != nil && len(rows) >= 2*per {
		stmt, err := tx.tx.PrepareContext(ctx, tx.d.rebind(statement(per)))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, FormatError(err))
		}
		defer stmt.Close()
		full = stmt
	}
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, r := range chunk {
			if len(r) != len(cols) {
				return fmt.Errorf("insert into %s: row has %d values for %d columns", table, len(r), len(cols))
			}
			args = append(args, r...)
		}
		var err error
		if full != nil && len(chunk) == per {
			_, err = full.ExecContext(ctx, tx.d.args(args)...)
		} else {
			_, err = ex.ExecContext(ctx, statement(len(chunk)), args...)
		}
		if err != nil {
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
