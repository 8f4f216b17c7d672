package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
)

// Setting returns the value stored under key, or "" when there is none.
func (d *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := d.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if IsNoRows(err) {
		return "", nil
	}
	return v, err
}

// PutSetting stores value under key.
func (d *DB) PutSetting(ctx context.Context, key, value string) error {
	_, err := d.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SwapSetting replaces key's value old ("" when there is none) with value and reports whether
// it did: of several instances swapping the same old value, exactly one wins, which lets them
// share work by claiming it.
func (d *DB) SwapSetting(ctx context.Context, key, old, value string) (bool, error) {
	var res sql.Result
	var err error
	if old == "" {
		res, err = d.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value = ''`, key, value)
	} else {
		res, err = d.ExecContext(ctx, `UPDATE settings SET value = ? WHERE key = ? AND value = ?`, value, key, old)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Secret returns the installation's secret key named key, creating it on first use. Every
// instance on one database shares it, so tokens signed by one are valid on all.
func (d *DB) Secret(ctx context.Context, key string) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	// Insert-if-absent, then read: when two instances start together both read the one winner.
	if _, err := d.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, hex.EncodeToString(b)); err != nil {
		return nil, fmt.Errorf("store secret %s: %w", key, err)
	}
	v, err := d.Setting(ctx, key)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// Optimize refreshes the query planner's statistics where they are stale, within a bounded
// amount of work (SQLite: PRAGMA optimize with analysis_limit; PostgreSQL's autovacuum does this
// itself). The server runs it with its periodic cleanup, so that a store that grew since it was
// created keeps good plans.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	if _, err := d.write.ExecContext(ctx, `PRAGMA analysis_limit = 1000`); err != nil {
		return err
	}
	_, err := d.write.ExecContext(ctx, `PRAGMA optimize`)
	return err
}

// Backup writes a consistent copy of a SQLite database to path while others keep using it.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return fmt.Errorf("backup is for SQLite; use pg_dump for PostgreSQL")
	}
	if _, err := d.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
