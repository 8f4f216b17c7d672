package skills

import (
	"context"
	"fmt"

	"github.com/learnloop/learnloop/internal/core"
)

// CheckGapTrend checks what GapTrend takes on trust, for the pages and the API that pass on what
// people typed: the skill exists, the division is an org unit of kind division, and the period
// does not end before it starts. GapTrend itself answers those with an empty series.
func (s *Service) CheckGapTrend(ctx context.Context, f GapTrendFilter) error {
	q := s.DB.Reader()
	var n int
	if f.SkillID != "" {
		if !core.ValidID(f.SkillID) {
			return core.Invalid("skill", "unknown skill")
		}
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM skills WHERE id = ?`, f.SkillID).Scan(&n); err != nil {
			return fmt.Errorf("find skill: %w", err)
		}
		if n == 0 {
			return core.Invalid("skill", "unknown skill")
		}
	}
	if f.DivisionID != nil && *f.DivisionID != "" {
		if !core.ValidID(*f.DivisionID) {
			return core.Invalid("division", "unknown division")
		}
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM org_units WHERE id = ? AND kind = 'division'`, *f.DivisionID).Scan(&n); err != nil {
			return fmt.Errorf("find division: %w", err)
		}
		if n == 0 {
			return core.Invalid("division", "unknown division: choose an org unit of kind division")
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return core.Invalid("to", "the period ends before it starts")
	}
	return nil
}
