package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// migrationLock is the PostgreSQL advisory lock key held while migrating, so that several
// instances starting together apply each migration once.
const migrationLock = 7_341_902_117

// Migrations lists the embedded migration names for a dialect, in order.
func Migrations(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrationFS, path.Join("migrations", string(d)))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// Pending lists migrations not yet applied.
func (d *DB) Pending(ctx context.Context) ([]string, error) {
	all, err := Migrations(d.Dialect)
	if err != nil {
		return nil, err
	}
	applied, err := d.applied(ctx, d.Reader())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range all {
		if !applied[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

func (d *DB) applied(ctx context.Context, q Queryer) (map[string]bool, error) {
	var exists bool
	var err error
	if d.Dialect == Postgres {
		err = q.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists)
	} else {
		var n int
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
		exists = n > 0
	}
	if err != nil {
		return nil, fmt.Errorf("read migration state: %w", err)
	}
	done := map[string]bool{}
	if !exists {
		return done, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read migration state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		done[n] = true
	}
	return done, rows.Err()
}

// Migrate applies every pending migration, each in its own transaction, and returns the names it
// applied. Migrations are forward-only.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	if d.Dialect == Postgres {
		conn, err := d.write.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return nil, fmt.Errorf("take migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock) //nolint:errcheck
	}
	if _, err := d.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	all, err := Migrations(d.Dialect)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, name := range all {
		err := d.WithTx(ctx, func(tx *Tx) error {
			// Checked inside the transaction: another process may have applied it meanwhile.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := migrationFS.ReadFile(path.Join("migrations", string(d.Dialect), name))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, time.Now().UTC()); err != nil {
				return err
			}
			done = append(done, name)
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("apply migration %s: %w", name, err)
		}
	}
	return done, nil
}
