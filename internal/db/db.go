// Package db opens learnloop's storage (SQLite by default, PostgreSQL for scale), runs
// transactions, applies the embedded migrations and maps driver errors to core codes. Domain
// packages write their own SQL against it in the subset both engines share, with ? placeholders.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the storage engine.
type Dialect string

// The two engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// IsPostgresDSN reports whether dsn selects PostgreSQL; anything else is a SQLite file path.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// DB is an open database. On SQLite every write goes through one writer connection (SQLite allows
// one writer at a time; queuing in Go is cheaper than busy retries) while reads use a pool. On
// PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	// Path is the SQLite file; empty on PostgreSQL.
	Path  string
	write *sql.DB
	read  *sql.DB
}

// Options tunes Open.
type Options struct {
	// MaxConns caps the read pool on SQLite and the whole pool on PostgreSQL (default 16).
	MaxConns int
}

// Open connects to dsn: a postgres:// URL or a SQLite file path (created when missing).
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	var d *DB
	var err error
	if IsPostgresDSN(dsn) {
		d, err = openPostgres(dsn, opts)
	} else {
		d, err = openSQLite(dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.Dialect, err)
	}
	return d, nil
}

func openPostgres(dsn string, opts Options) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(opts.MaxConns)
	pool.SetMaxIdleConns(opts.MaxConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: Postgres, write: pool, read: pool}, nil
}

// sqlitePragmas are set on every SQLite connection: WAL lets readers run beside the writer,
// NORMAL sync is durable across application crashes in WAL mode, and the busy timeout covers
// other processes (a CLI import beside a running server). Temporary files — the journals of
// savepoints and statements, sorts — stay in memory: a group commit of statements (one savepoint
// per request) spent an eighth of its time writing its savepoint journal to a temporary file.
// The write-ahead log is checkpointed every 8,000 pages (32 MB) instead of 1,000: a page that
// many commits change (an index's busy leaf) is then copied to the database once per checkpoint
// rather than eight times, which took statement ingest from 9,300 to 13,300 a second here.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32000)&_pragma=temp_store(2)&_pragma=wal_autocheckpoint(8000)"

func openSQLite(path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty database path")
	}
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + sqlitePragmas
	// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so two writers never
	// both read and then fail to upgrade.
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(opts.MaxConns)
	read.SetMaxIdleConns(opts.MaxConns)
	read.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: SQLite, Path: path, write: write, read: read}, nil
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	// The writer first: on a fresh SQLite file it creates the file and switches it to WAL before
	// a read-only connection could trip over it.
	if err := d.write.PingContext(ctx); err != nil {
		return err
	}
	return d.read.PingContext(ctx)
}

// Close closes all connections.
func (d *DB) Close() error {
	err := d.write.Close()
	if d.read != d.write {
		err = errors.Join(err, d.read.Close())
	}
	return err
}

// Pools returns the underlying pools (writer, reader) for metrics; they are the same on
// PostgreSQL.
func (d *DB) Pools() (write, read *sql.DB) { return d.write, d.read }

// Queryer runs reads: both *DB (on its read pool) and *Tx satisfy it, so a find function can run
// inside or outside a transaction.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// Execer runs writes: *DB (on its writer) and *Tx satisfy it.
type Execer interface {
	Queryer
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type reader struct{ d *DB }

// Reader returns a Queryer on the read pool.
func (d *DB) Reader() Queryer { return reader{d} }

func (r reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.d.read.QueryContext(ctx, r.d.rebind(q), r.d.args(args)...)
}

func (r reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.d.read.QueryRowContext(ctx, r.d.rebind(q), r.d.args(args)...)
}

func (r reader) Dialect() Dialect { return r.d.Dialect }

// QueryContext runs a read on the read pool.
func (d *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.Reader().QueryContext(ctx, q, args...)
}

// QueryRowContext runs a one-row read on the read pool.
func (d *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return d.Reader().QueryRowContext(ctx, q, args...)
}

// ExecContext runs one write statement outside an explicit transaction.
func (d *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.write.ExecContext(ctx, d.rebind(q), d.args(args)...)
}

// Tx is a transaction on the writer.
type Tx struct {
	tx *sql.Tx
	d  *DB
}

// Dialect returns the engine the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.d.Dialect }

// QueryContext runs a read inside the transaction.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.d.rebind(q), tx.d.args(args)...)
}

// QueryRowContext runs a one-row read inside the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.d.rebind(q), tx.d.args(args)...)
}

// ExecContext runs a write inside the transaction.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.d.rebind(q), tx.d.args(args)...)
}

// WithTx runs fn in a transaction and commits when fn returns nil; any error or panic rolls back,
// so a failed request leaves nothing half-written.
func (d *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, d: d}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", FormatError(err))
	}
	return nil
}

// timeLayout stores SQLite times as fixed-width UTC text, so that text order is time order (the
// driver's default trims trailing zeros, which breaks ordering) and precision matches PostgreSQL.
const timeLayout = "2006-01-02 15:04:05.000000+00:00"

// args adapts arguments to the engine: on SQLite times become fixed-width UTC text.
func (d *DB) args(args []any) []any {
	if d.Dialect != SQLite {
		return args
	}
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC().Format(timeLayout)
		case *time.Time:
			if v == nil {
				args[i] = nil
			} else {
				args[i] = v.UTC().Format(timeLayout)
			}
		}
	}
	return args
}

var rebound sync.Map // query text → PostgreSQL text

// rebind turns ? placeholders into $1, $2… on PostgreSQL, leaving quoted text alone.
func (d *DB) rebind(q string) string {
	if d.Dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	s := b.String()
	// Generated bulk statements vary in row count and are not worth keeping.
	if len(q) < 4096 {
		rebound.Store(q, s)
	}
	return s
}

// ParseTime reads a time that an aggregate (max, min) returned: SQLite hands those back as text
// because the column type is lost.
func ParseTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return t.UTC(), nil
	case string:
		return time.Parse(timeLayout, t)
	case []byte:
		return time.Parse(timeLayout, string(t))
	}
	return time.Time{}, fmt.Errorf("cannot read %T as a time", v)
}

// Row is what a scan function reads one row from: *sql.Row or *sql.Rows.
type Row = interface{ Scan(dest ...any) error }

// Collect reads every row of rows with scan, in order, and closes rows.
func Collect[T any](rows *sql.Rows, scan func(Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ScanString reads a row of one text column, for Collect.
func ScanString(row Row) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}
