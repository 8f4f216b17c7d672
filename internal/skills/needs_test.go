package skills_test

import (
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/skills"
)

// TestTrainingNeedsByHand checks a team's needs against figures worked out by hand.
func TestTrainingNeedsByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		grace, jose := f.actor(t, "E2"), f.actor(t, "E4")
		rate := func(a *core.Actor, who, skill string, level int, source string) {
			t.Helper()
			if _, err := f.svc.Rate(ctx, a, skills.RatingInput{PersonID: f.ids[who], SkillID: f.skills[skill], Level: level, Source: source}); err != nil {
				t.Fatal(err)
			}
		}
		rate(grace, "E3", "Go", 4, "manager")
		rate(grace, "E3", "SQL", 2, "manager")
		rate(grace, "E4", "Go", 3, "manager")
		rate(jose, "E4", "Writing", 2, "self")
		n, err := f.svc.TrainingNeeds(ctx, grace, skills.NeedsFilter{Below: f.ids["E2"]})
		if err != nil {
			t.Fatal(err)
		}
		// The role requires Go 4 (critical ×3), SQL 3 (important ×2), Writing 2 (useful ×1).
		// Alan: SQL 2 (gap 1), Writing unrated (gap 2). José: Go 3 (gap 1), SQL unrated (gap 3).
		// SQL: 2 short, gap 4, priority 8; Go: 1 short, priority 3; Writing: 1 short, priority 2.
		type want struct {
			skill         string
			required      int
			short         int
			gap, mean, pr float64
			crit          string
		}
		wants := []want{{"SQL", 2, 2, 4, 2, 8, "important"}, {"Go", 2, 1, 1, 1, 3, "critical"}, {"Writing", 2, 1, 2, 2, 2, "useful"}}
		if n.People != 2 || len(n.Needs) != len(wants) {
			t.Fatalf("%d people, %d needs", n.People, len(n.Needs))
		}
		for i, w := range wants {
			got := n.Needs[i]
			if got.Skill != w.skill || got.Required != w.required || got.Short != w.short || got.GapSum != w.gap || got.MeanGap != w.mean ||
				got.Priority != w.pr || got.Criticality != w.crit || got.Since.IsZero() || len(got.People) != w.short {
				t.Errorf("need %d: %+v, want %+v", i, got, w)
			}
		}
		if p := n.Needs[0].People[0]; p.Name != "José Núñez" || p.Gap != 3 || p.Level != 0 || p.Target != 3 {
			t.Errorf("SQL's biggest gap: %+v", p)
		}
		// Only critical requirements: Go alone.
		if crit, _ := f.svc.TrainingNeeds(ctx, grace, skills.NeedsFilter{Below: f.ids["E2"], Criticality: "critical"}); len(crit.Needs) != 1 || crit.Needs[0].Skill != "Go" {
			t.Errorf("critical only: %+v", crit.Needs)
		}
		// Another manager sees nobody of Grace's team; José sees himself only.
		if other, err := f.svc.TrainingNeeds(ctx, f.actor(t, "E5"), skills.NeedsFilter{Below: f.ids["E2"]}); err != nil || other.People != 0 || len(other.Needs) != 0 {
			t.Errorf("another manager: %+v %v", other, err)
		}
		self, err := f.svc.TrainingNeeds(ctx, jose, skills.NeedsFilter{Below: f.ids["E2"]})
		if err != nil || self.People != 1 || len(self.Needs) != 2 {
			t.Fatalf("José: %+v %v", self, err)
		}
		if _, err := f.svc.TrainingNeeds(ctx, grace, skills.NeedsFilter{Criticality: "urgent"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("bad criticality: %v", err)
		}
	})
}
