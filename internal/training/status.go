package training

import (
	"context"
	"fmt"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// refreshStatus rewrites where a person stands with an item from their enrollments; every
// change of an enrollment calls it in the same transaction.
func (s *Service) refreshStatus(ctx context.Context, tx *db.Tx, personID, itemID string) error {
	return rebuildStatus(ctx, tx, "person_id = ? AND item_id = ?", personID, itemID)
}

// rebuildStatus rewrites the training_status rows of every person and item whose enrollments
// match where (a condition on enrollments): the open enrollment and its due date, the latest
// completion with its score, expiry and renewal day (the expiry less the item's renew_days),
// whether the latest enrollment is an exemption, and whether the item is required of the
// person (the latest enrollment was assigned, not chosen, and not withdrawn or declined). It is
// the one definition of the status, for one pair after a change and for thousands after a
// history import.
func rebuildStatus(ctx context.Context, tx *db.Tx, where string, args ...any) error {
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
	return nil
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
