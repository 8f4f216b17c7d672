package dbtest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/db"
)

// Benchmarks on large generated organizations keep them between runs, because generating one
// takes minutes: a SQLite file in LEARNLOOP_BENCH_DIR (the temporary directory by default) and a
// PostgreSQL database on the server LEARNLOOP_TEST_POSTGRES_DSN names. Delete them to generate
// afresh.

// EnvBenchDir names the environment variable holding the directory of kept SQLite databases.
const EnvBenchDir = "LEARNLOOP_BENCH_DIR"

// Kept opens the benchmark database called name on an engine (a file-name-like word such as
// "learnloop-bench-skills-100000"; PostgreSQL spells it with underscores), migrated; it is closed
// when the benchmark ends. When it does not exist yet, generate fills an empty migrated one
// first, under another name so that an interrupted generation is never mistaken for a finished
// one, which is then analysed and, on SQLite, checkpointed so that the file alone is the
// database. It skips on PostgreSQL when the server is not configured.
func Kept(b testing.TB, dialect db.Dialect, name string, generate func(d *db.DB)) *db.DB {
	b.Helper()
	if dialect == db.Postgres {
		base := postgresBase(b)
		database := strings.ReplaceAll(name, "-", "_")
		if !pgDatabaseExists(b, base, database) {
			partial := database + "_partial"
			pgAdmin(b, base, `DROP DATABASE IF EXISTS `+partial)
			pgAdmin(b, base, `CREATE DATABASE `+partial)
			fill(b, pgDatabase(b, base, partial), generate)
			pgAdmin(b, base, `ALTER DATABASE `+partial+` RENAME TO `+database)
		}
		return OpenBench(b, pgDatabase(b, base, database))
	}
	path := keptPath(name)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		partial := path + ".partial"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(partial + suffix)
		}
		fill(b, partial, generate)
		if err := os.Rename(partial, path); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	return OpenBench(b, path)
}

// OpenBench opens and migrates a database with the server's own connection settings (tests'
// databases use fewer connections); it is closed when the benchmark ends.
func OpenBench(b testing.TB, dsn string) *db.DB {
	b.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return d
}

func fill(b testing.TB, dsn string, generate func(d *db.DB)) {
	b.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	generate(d)
	if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if d.Dialect == db.SQLite {
		if _, err := d.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
	}
}

// ScratchCopy opens a copy of the kept database called name that a benchmark may change; the
// copy is removed when the benchmark ends. Close every connection to the kept database first
// (on SQLite after a checkpoint, so that the file alone is the database).
func ScratchCopy(b testing.TB, dialect db.Dialect, name string) *db.DB {
	b.Helper()
	if dialect == db.Postgres {
		base := postgresBase(b)
		database := strings.ReplaceAll(name, "-", "_")
		scratch := database + "_scratch"
		pgAdmin(b, base, `DROP DATABASE IF EXISTS `+scratch+` WITH (FORCE)`)
		// Closed connections take a moment to leave the server.
		var err error
		for range 50 {
			if err = pgAdminErr(base, `CREATE DATABASE `+scratch+` TEMPLATE `+database); err == nil {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = pgAdminErr(base, `DROP DATABASE IF EXISTS `+scratch+` WITH (FORCE)`) })
		return OpenBench(b, pgDatabase(b, base, scratch))
	}
	path := filepath.Join(b.TempDir(), "scratch.db")
	src, err := os.Open(keptPath(name))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	return OpenBench(b, path)
}

func keptPath(name string) string {
	return filepath.Join(cmp.Or(os.Getenv(EnvBenchDir), os.TempDir()), name+".db")
}

func postgresBase(b testing.TB) string {
	b.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		b.Skip(EnvPostgres + " is not set")
	}
	return base
}

// pgDatabase is the server's DSN naming another database.
func pgDatabase(b testing.TB, base, database string) string {
	b.Helper()
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + database
	return u.String()
}

func pgAdmin(b testing.TB, base, stmt string) {
	b.Helper()
	if err := pgAdminErr(base, stmt); err != nil {
		b.Fatalf("%s: %v", stmt, err)
	}
}

func pgAdminErr(base, stmt string) error {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.Exec(stmt)
	return err
}

func pgDatabaseExists(b testing.TB, base, database string) bool {
	b.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, database).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n > 0
}
