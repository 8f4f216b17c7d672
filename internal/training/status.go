package training

import (
	"context"
	"fmt"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// refreshStatus rewrites where a person stands with an item from their enrollments; every
// change of an enrollment calls it in the same transaction.
func (s *Service) refreshStatus(ctx context.Context, tx *db.Tx, personID, itemID string) error {
	return s.rebuildStatus(ctx, tx, "person_id = ? AND item_id = ?", personID, itemID)
}

// rebuildStatus rewrites the training_status rows of every person and item whose enrollments
// match where (a condition on enrollments): the open enrollment and its due date, the latest
// completion with its score, expiry and renewal day (the expiry less the item's renew_days),
// whether the latest enrollment is an exemption, and whether the item is required of the
// person (the latest enrollment was assigned, not chosen, and not withdrawn or declined). It is
// the one definition of the status, for one pair after a change and for thousands after a
// history import. The compliance counts of the same pairs follow.
func (s *Service) rebuildStatus(ctx context.Context, tx *db.Tx, where string, args ...any) error {
	renew := "date(d.expires_on, '-' || i.renew_days || ' days')"
	if tx.Dialect() == db.Postgres {
		renew = "d.expires_on - i.renew_days"
	}
	q := `WITH e AS (SELECT * FROM enrollments WHERE ` + where + `),
	latest AS (SELECT person_id, item_id, status, source, row_number() OVER (PARTITION BY person_id, item_id ORDER BY enrolled_at DESC, id DESC) AS rn FROM e),
	done AS (SELECT person_id, item_id, id, completed_at, score, expires_on,
		row_number() OVER (PARTITION BY person_id, item_id ORDER BY completed_at DESC, id DESC) AS rn FROM e WHERE status = 'completed')
	INSERT INTO training_status (person_id, item_id, open_id, open_status, due_on, required, completed_at, completed_id, score, valid_until, renew_on, exempt)
	SELECT l.person_id, l.item_id, o.id, COALESCE(o.status, ''), o.due_on, l.source <> 'self' AND l.status NOT IN ('withdrawn', 'rejected'),
		d.completed_at, d.id, d.score, d.expires_on, CASE WHEN d.expires_on IS NULL THEN NULL ELSE ` + renew + ` END, l.status = 'exempt'
	FROM latest l JOIN learning_items i ON i.id = l.item_id
	LEFT JOIN e o ON o.person_id = l.person_id AND o.item_id = l.item_id AND o.status IN ` + openStatuses + `
	LEFT JOIN done d ON d.person_id = l.person_id AND d.item_id = l.item_id AND d.rn = 1
	WHERE l.rn = 1
	ON CONFLICT (person_id, item_id) DO UPDATE SET open_id = excluded.open_id, open_status = excluded.open_status, due_on = excluded.due_on,
		required = excluded.required, completed_at = excluded.completed_at, completed_id = excluded.completed_id, score = excluded.score,
		valid_until = excluded.valid_until, renew_on = excluded.renew_on, exempt = excluded.exempt`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("refresh training status: %w", err)
	}
	return s.countCompliance(ctx, tx, where, args...)
}

// Compliance statuses of a person with a required item.
const (
	Compliant = "compliant" // completed, and the completion is not near its expiry
	DueSoon   = "due_soon"  // not completed yet but not overdue, or the completion's renewal has opened
	Overdue   = "overdue"   // never completed, and the due date has passed
	Expired   = "expired"   // the last completion has expired
	Exempt    = "exempt"
)

// ComplianceStatuses lists them from best to worst, exempt last.
var ComplianceStatuses = []string{Compliant, DueSoon, Overdue, Expired, Exempt}

// statusCase is the one definition of the compliance status, as an SQL expression on
// training_status s taking the date of today three times. Lists and counts both use it.
const statusCase = `CASE
	WHEN s.exempt THEN 'exempt'
	WHEN s.completed_at IS NOT NULL AND s.valid_until IS NULL THEN 'compliant'
	WHEN s.valid_until IS NOT NULL AND s.renew_on > ? THEN 'compliant'
	WHEN s.valid_until IS NOT NULL AND s.valid_until >= ? THEN 'due_soon'
	WHEN s.valid_until IS NOT NULL THEN 'expired'
	WHEN s.due_on IS NOT NULL AND s.due_on < ? THEN 'overdue'
	ELSE 'due_soon' END`

// statusArgs returns the arguments statusCase takes for day d.
func statusArgs(d core.Date) []any { return []any{d, d, d} }

// countedOnKey is the setting holding the day the compliance counts are as of.
const countedOnKey = "compliance_counted_on"

// countedOn returns the day the compliance counts are as of; the first call on a new database
// starts them today (there is nothing to count yet).
func (s *Service) countedOn(ctx context.Context, q db.Queryer) (core.Date, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, countedOnKey).Scan(&v)
	if db.IsNoRows(err) {
		return today(s.Clock.Now(), ""), nil
	}
	if err != nil {
		return core.Date{}, fmt.Errorf("read the compliance counts' day: %w", err)
	}
	return core.ParseDate(v)
}

// countedFrom is the FROM and WHERE of the pairs that count for compliance: compliance items,
// active people, required or exempt; u is the person's unit.
const countedFrom = ` FROM training_status s JOIN people p ON p.id = s.person_id JOIN learning_items i ON i.id = s.item_id
	LEFT JOIN org_units u ON u.id = p.org_unit_id
	WHERE i.compliance AND p.status = 'active' AND (s.required OR s.exempt)`

// countKey is one compliance count: a unit (everyone at or below it; "" for people in no unit),
// an item and a status.
type countKey struct{ unit, item, status string }

// rollUp adds n people of a unit path to the counts of every unit on the path, or of "" for
// people in no unit.
func rollUp(delta map[countKey]int, path, item, status string, n int) {
	if path == "" {
		delta[countKey{"", item, status}] += n
		return
	}
	for _, id := range strings.Split(strings.Trim(path, "/"), "/") {
		delta[countKey{id, item, status}] += n
	}
}

// readCounts adds what q's rows (unit path, item, status, people) make of the counts, times sign.
func readCounts(ctx context.Context, q db.Queryer, delta map[countKey]int, sign int, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("count compliance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var path, item, status string
		var n int
		if err := rows.Scan(&path, &item, &status, &n); err != nil {
			return err
		}
		rollUp(delta, path, item, status, sign*n)
	}
	return rows.Err()
}

// countCompliance brings the compliance counts of the pairs matching where (a condition on
// person_id and item_id) up to date: what they contributed, under the units they were in then, is
// taken off, and what they contribute now is added, as of the counts' day.
func (s *Service) countCompliance(ctx context.Context, tx *db.Tx, where string, args ...any) error {
	day, err := s.countedOn(ctx, tx)
	if err != nil {
		return err
	}
	delta := map[countKey]int{}
	if err := readCounts(ctx, tx, delta, -1, `SELECT unit_path, item_id, status, count(*) FROM compliance_counted WHERE `+where+`
		GROUP BY unit_path, item_id, status`, args...); err != nil {
		return err
	}
	now := `SELECT COALESCE(u.path, '') AS up, s.item_id AS item, ` + statusCase + ` AS status` + countedFrom + ` AND ` + where
	if err := readCounts(ctx, tx, delta, 1, `SELECT up, item, status, count(*) FROM (`+now+`) x GROUP BY up, item, status`, append(statusArgs(day), args...)...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM compliance_counted WHERE `+where, args...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_counted (person_id, item_id, unit_path, status)
		SELECT s.person_id, s.item_id, COALESCE(u.path, ''), `+statusCase+countedFrom+` AND `+where, append(statusArgs(day), args...)...); err != nil {
		return fmt.Errorf("count compliance: %w", err)
	}
	return writeCounts(ctx, tx, delta, true)
}

// writeCounts adds delta to the counts (add) or writes it as they are.
func writeCounts(ctx context.Context, tx *db.Tx, delta map[countKey]int, add bool) error {
	rows := make([][]any, 0, len(delta))
	for k, n := range delta {
		if n != 0 {
			rows = append(rows, []any{k.unit, k.item, k.status, n})
		}
	}
	on := ""
	if add {
		on = `ON CONFLICT (org_unit_id, item_id, status) DO UPDATE SET people = compliance_counts.people + excluded.people`
	}
	return db.InsertManyOn(ctx, tx, "compliance_counts", []string{"org_unit_id", "item_id", "status", "people"}, rows, on)
}

// RecountCompliance counts compliance again for everyone, as of today, unless the counts are
// of today already (force recounts anyway). The server does it when the day changes; the
// dashboard does it when it finds the counts of an earlier day.
func (s *Service) RecountCompliance(ctx context.Context, force bool) (bool, error) {
	day := today(s.Clock.Now(), "")
	if !force {
		// Most views find the counts current: no write transaction for them.
		on, err := s.countedOn(ctx, s.DB.Reader())
		if err != nil {
			return false, err
		}
		var set int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = ?`, countedOnKey).Scan(&set); err != nil {
			return false, err
		}
		if set > 0 && on == day {
			return false, nil
		}
	}
	recounted := false
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`+lockSuffix(tx), countedOnKey).Scan(&v)
		if err != nil && !db.IsNoRows(err) {
			return err
		}
		if v == day.String() && !force {
			return nil
		}
		for _, q := range []string{`DELETE FROM compliance_counted`, `DELETE FROM compliance_counts`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_counted (person_id, item_id, unit_path, status)
			SELECT s.person_id, s.item_id, COALESCE(u.path, ''), `+statusCase+countedFrom, statusArgs(day)...); err != nil {
			return fmt.Errorf("recount compliance: %w", err)
		}
		delta := map[countKey]int{}
		if err := readCounts(ctx, tx, delta, 1, `SELECT unit_path, item_id, status, count(*) FROM compliance_counted GROUP BY unit_path, item_id, status`); err != nil {
			return err
		}
		if err := writeCounts(ctx, tx, delta, false); err != nil {
			return err
		}
		recounted = true
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, countedOnKey, day.String())
		return err
	})
	return recounted, err
}
