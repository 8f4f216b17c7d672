package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
)

func TestBothEnginesHaveTheSameMigrations(t *testing.T) {
	lite, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration names differ between engines (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		again, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Errorf("second migrate applied %v, want nothing", again)
		}
		pending, err := d.Pending(ctx)
		if err != nil || len(pending) != 0 {
			t.Errorf("pending = %v, %v; want none", pending, err)
		}
	})
}

func TestTimesRoundTripAndSortAsTimes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		// Fractions of different lengths: the driver's default text form would sort .31 after .3102.
		times := []time.Time{base.Add(310200 * time.Microsecond), base.Add(310 * time.Millisecond), base, base.Add(time.Second)}
		for i, tm := range times {
			if _, err := d.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, string(rune('a'+i)), "x"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, "k", tm); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := d.QueryContext(ctx, `SELECT at FROM login_failures WHERE key = ? ORDER BY at`, "k")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []time.Time
		for rows.Next() {
			var tm time.Time
			if err := rows.Scan(&tm); err != nil {
				t.Fatal(err)
			}
			got = append(got, tm.UTC())
		}
		want := []time.Time{base, base.Add(310 * time.Millisecond), base.Add(310200 * time.Microsecond), base.Add(time.Second)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("times out of order (-want +got):\n%s", diff)
		}
		var latest any
		if err := d.QueryRowContext(ctx, `SELECT max(at) FROM login_failures`).Scan(&latest); err != nil {
			t.Fatal(err)
		}
		if tm, err := db.ParseTime(latest); err != nil || !tm.Equal(base.Add(time.Second)) {
			t.Errorf("max(at) = %v, %v", tm, err)
		}
	})
}

func TestWithTxRollsBackOnError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, "k", "v"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = ?`, "k").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("rolled-back row is visible")
		}
	})
}

func TestFormatErrorMapsUniqueViolationToConflict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now()
		ins := `INSERT INTO job_roles (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`
		if _, err := d.ExecContext(ctx, ins, core.NewID(), "Engineer", now, now); err != nil {
			t.Fatal(err)
		}
		_, err := d.ExecContext(ctx, ins, core.NewID(), "ENGINEER", now, now)
		err = db.FormatError(err)
		if core.ErrorCode(err) != core.ECONFLICT {
			t.Fatalf("code = %q (%v), want conflict", core.ErrorCode(err), err)
		}
		if e := core.AsError(err); e.Field != "name" {
			t.Errorf("field = %q, want name", e.Field)
		}
	})
}

func TestInsertManySpansSeveralStatements(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var rows [][]any
		for i := range 1234 {
			rows = append(rows, []any{"k" + strings.Repeat("x", i%7) + string(rune('A'+i%26)) + time.Duration(i).String(), "v"})
		}
		err := d.WithTx(ctx, func(tx *db.Tx) error { return db.InsertMany(ctx, tx, "settings", []string{"key", "value"}, rows) })
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM settings`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(rows) {
			t.Errorf("count = %d, want %d", n, len(rows))
		}
	})
}

func TestReaderRefusesWritesOnSQLite(t *testing.T) {
	d := dbtest.SQLite(t)
	_, err := d.Reader().QueryContext(context.Background(), `INSERT INTO settings (key, value) VALUES ('a', 'b') RETURNING key`)
	if err == nil {
		t.Fatal("write through the read pool succeeded")
	}
}

func TestCollectReadsEveryRowInOrderOrStopsAtAScanError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rows := [][]any{{"b", "2"}, {"a", "1"}, {"c", "x"}}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return db.InsertMany(ctx, tx, "settings", []string{"key", "value"}, rows) }); err != nil {
			t.Fatal(err)
		}
		q, err := d.QueryContext(ctx, `SELECT key FROM settings ORDER BY key`)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := db.Collect(q, db.ScanString)
		if diff := cmp.Diff([]string{"a", "b", "c"}, keys); err != nil || diff != "" {
			t.Errorf("keys (-want +got): %s %v", diff, err)
		}
		q, err = d.QueryContext(ctx, `SELECT value FROM settings ORDER BY key`)
		if err != nil {
			t.Fatal(err)
		}
		nums, err := db.Collect(q, func(r db.Row) (int, error) { var n int; return n, r.Scan(&n) })
		if err == nil || nums != nil {
			t.Errorf("a value that is not a number was read: %v %v", nums, err)
		}
	})
}

func TestSwapSettingLetsOneClaimantWin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, c := range []struct {
			old, value string
			won        bool
		}{{"", "1", true}, {"", "2", false}, {"1", "5", true}, {"1", "6", false}, {"5", "7", true}} {
			won, err := d.SwapSetting(ctx, "claim", c.old, c.value)
			if err != nil || won != c.won {
				t.Fatalf("swap %q → %q: %v %v, want %v", c.old, c.value, won, err, c.won)
			}
		}
		if v, _ := d.Setting(ctx, "claim"); v != "7" {
			t.Fatalf("value %q, want 7", v)
		}
	})
}

func TestOptimizeSucceedsOnBothEngines(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := d.Optimize(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
