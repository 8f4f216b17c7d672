package db

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/learnloop/learnloop/internal/core"
)

// FormatError maps a driver error to a core error where the cause is the caller's: a duplicate
// key is a conflict, a missing row is not found. Other errors pass through unchanged.
func FormatError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return core.NotFound("record")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &core.Error{Code: core.ECONFLICT, Message: "this already exists", Field: uniqueField(se.Error())}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return core.Errorf(core.ECONFLICT, "this is still referenced, or refers to something that does not exist")
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return core.Errorf(core.EINVALID, "a value is missing or out of range")
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &core.Error{Code: core.ECONFLICT, Message: "this already exists", Field: uniqueField(pe.ConstraintName)}
		case "23503":
			return core.Errorf(core.ECONFLICT, "this is still referenced, or refers to something that does not exist")
		case "23514", "23502":
			return core.Errorf(core.EINVALID, "a value is missing or out of range")
		}
	}
	return err
}

// uniqueField guesses the field a unique violation is about from the constraint text, which
// names the column in SQLite ("people.email") and the index in PostgreSQL ("people_email_key").
func uniqueField(s string) string {
	for _, f := range []string{"employee_number", "email", "code", "name"} {
		if strings.Contains(s, f) {
			return f
		}
	}
	return ""
}

// IsNoRows reports whether err means a query found no row.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
