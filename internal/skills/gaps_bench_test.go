package skills_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// naiveRankingSQL is the ranking computed at request time from the source tables: every active
// person × their role's requirements × their current level, grouped by division and skill.
const naiveRankingSQL = `WITH ud AS (
	SELECT u.id AS unit_id, min(dv.id) AS division_id FROM org_units u
	JOIN org_units dv ON dv.kind = 'division' AND u.path >= dv.path AND u.path < dv.path || '0' GROUP BY u.id)
SELECT division_id, skill_id, count(*) AS required, sum(CASE WHEN gap > 0 THEN 1 ELSE 0 END) AS short, sum(gap) AS gap,
	sum(gap * CASE criticality WHEN 'critical' THEN 3 WHEN 'important' THEN 2 ELSE 1 END) AS priority, count(*) OVER () AS total
FROM (
	SELECT COALESCE(ud.division_id, '') AS division_id, rr.skill_id, rr.criticality,
		CASE WHEN rr.level - COALESCE(sl.level, 0) > 0 THEN CAST(round((rr.level - COALESCE(sl.level, 0)) * 10) AS INTEGER) ELSE 0 END AS gap
	FROM people p JOIN role_requirements rr ON rr.job_role_id = p.job_role_id
	JOIN skills s ON s.id = rr.skill_id AND s.retired_at IS NULL
	LEFT JOIN skill_levels sl ON sl.person_id = p.id AND sl.skill_id = rr.skill_id
	LEFT JOIN ud ON ud.unit_id = p.org_unit_id
	WHERE p.status = 'active') x
GROUP BY division_id, skill_id HAVING sum(gap) > 0
ORDER BY priority DESC, skill_id, division_id LIMIT 50`

// BenchmarkGapRanking measures the org-wide gap ranking on a copy of the demo's benchmark
// organization (100,000 people, 2,000 skills, about 3 million ratings; see matrix_bench_test.go)
// on each engine: the naive request-time query, full and incremental refreshes of the
// statistics, and the ranking read for each grouping.
//
//	LEARNLOOP_BENCH_SKILLS=1 LEARNLOOP_TEST_POSTGRES_DSN=... \
//	  go test -run XXX -bench GapRanking -benchtime 5x -timeout 2h ./internal/skills/
func BenchmarkGapRanking(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := scratchCopy(b, dialect)
			svc := skills.NewService(d, core.SystemClock{}, org.NewService(d, core.SystemClock{}))
			// The first refresh after the demo's bulk load recounts everything.
			start := time.Now()
			rep, err := svc.RefreshGapStats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("first refresh (%d changes logged, full %v): %s", rep.Changes, rep.Full, time.Since(start).Round(time.Millisecond))
			if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
				b.Fatal(err)
			}
			b.Run("naive", func(b *testing.B) {
				for b.Loop() {
					rows, err := d.QueryContext(ctx, naiveRankingSQL)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					rows.Close()
					if err := rows.Err(); err != nil || n == 0 {
						b.Fatal(err, n)
					}
				}
			})
			b.Run("refresh-full", func(b *testing.B) {
				for b.Loop() {
					if rep, err := svc.RebuildGapStats(ctx); err != nil || !rep.Full {
						b.Fatal(rep, err)
					}
				}
			})
			b.Run("refresh-unchanged", func(b *testing.B) {
				for b.Loop() {
					if rep, err := svc.RefreshGapStats(ctx); err != nil || rep.Full || rep.Recounted > 0 || rep.Adjusted > 0 {
						b.Fatal(rep, err)
					}
				}
			})
			pairs := benchRequiredPairs(b, d)
			r := rand.New(rand.NewPCG(1, 9))
			ratings := func() []skills.RatingInput {
				in := make([]skills.RatingInput, 1000)
				for i := range in {
					p := pairs[r.IntN(len(pairs))]
					in[i] = skills.RatingInput{PersonID: p[0], SkillID: p[1], Level: r.IntN(6), Source: skills.SourceTest}
				}
				return in
			}
			b.Run("record-1000-ratings", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.RecordRatings(ctx, core.System, ratings(), "bench"); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := svc.RefreshGapStats(ctx); err != nil {
					b.Fatal(err)
				}
			})
			b.Run("refresh-after-1000-ratings", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					if _, err := svc.RecordRatings(ctx, core.System, ratings(), "bench"); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if rep, err := svc.RefreshGapStats(ctx); err != nil || rep.Full || rep.Adjusted == 0 {
						b.Fatal(rep, err)
					}
				}
			})
			var unit, category string
			if err := d.QueryRowContext(ctx, `SELECT id FROM org_units WHERE kind = 'division' ORDER BY id LIMIT 1`).Scan(&unit); err != nil {
				b.Fatal(err)
			}
			if err := d.QueryRowContext(ctx, `SELECT id FROM skill_categories WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&category); err != nil {
				b.Fatal(err)
			}
			// The middle page of the longest ranking.
			byRole, err := svc.GapRanking(ctx, core.System, skills.GapFilter{GroupBy: skills.GroupByRole, Limit: 1})
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name string
				f    skills.GapFilter
			}{
				{"rank-by-division", skills.GapFilter{GroupBy: skills.GroupByDivision}},
				{"rank-by-location", skills.GapFilter{GroupBy: skills.GroupByLocation}},
				{"rank-by-role", skills.GapFilter{GroupBy: skills.GroupByRole}},
				{"rank-organization", skills.GapFilter{GroupBy: skills.GroupByOrganization}},
				{"rank-by-role-middle-page", skills.GapFilter{GroupBy: skills.GroupByRole, Offset: byRole.Total / 2}},
				{"rank-by-location-in-division", skills.GapFilter{GroupBy: skills.GroupByLocation, OrgUnitID: unit}},
				{"rank-by-division-category-critical", skills.GapFilter{GroupBy: skills.GroupByDivision, CategoryID: category, Criticality: "critical"}},
			} {
				b.Run(c.name, func(b *testing.B) {
					var rk *skills.GapRanking
					for b.Loop() {
						var err error
						if rk, err = svc.GapRanking(ctx, core.System, c.f); err != nil || len(rk.Rows) == 0 {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(rk.Total), "rows")
				})
			}
		})
	}
}

// benchRequiredPairs returns (person, skill) pairs of active people and skills their role
// requires, where new ratings change gaps.
func benchRequiredPairs(b *testing.B, d *db.DB) [][2]string {
	rows, err := d.QueryContext(ctx, `SELECT p.id, rr.skill_id FROM people p JOIN role_requirements rr ON rr.job_role_id = p.job_role_id
		WHERE p.status = 'active' ORDER BY p.id LIMIT 200000`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
