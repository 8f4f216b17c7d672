package skills_test

import (
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/skills"
)

// TestSelfAssessmentThenValidation: Alan, new, assesses himself in his role's three skills; Grace,
// his manager, sees the three levels waiting, confirms two and adjusts one; then nothing waits.
// Ada, above Grace, validates only her direct reports; José cannot assess Alan.
func TestSelfAssessmentThenValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alan, grace, jose, ada := f.actor(t, "E3"), f.actor(t, "E2"), f.actor(t, "E4"), f.actor(t, "E1")
		levels := []skills.AssessedLevel{{SkillID: f.skills["Go"], Level: 3}, {SkillID: f.skills["SQL"], Level: 2}, {SkillID: f.skills["Writing"], Level: 4}}
		if _, err := f.svc.SelfAssess(ctx, jose, f.ids["E3"], levels, ""); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("José assessing Alan: %v", err)
		}
		bad := append([]skills.AssessedLevel{}, levels...)
		bad[2].Level = 9
		if _, err := f.svc.SelfAssess(ctx, alan, f.ids["E3"], bad, ""); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("a level off the scale: %v", err)
		}
		if p, _ := f.svc.PersonProfile(ctx, alan, f.ids["E3"], ""); p.Skills[0].Ratings != 0 {
			t.Fatal("a refused self-assessment left ratings behind")
		}
		n, err := f.svc.SelfAssess(ctx, alan, f.ids["E3"], levels, "First week")
		if err != nil || n != 3 {
			t.Fatalf("self-assessment: %d %v", n, err)
		}
		// The same form again records nothing.
		if n, err := f.svc.SelfAssess(ctx, alan, f.ids["E3"], levels, ""); err != nil || n != 0 {
			t.Errorf("unchanged self-assessment recorded %d: %v", n, err)
		}
		f.clock.Advance(time.Hour)
		pending, err := f.svc.PendingValidations(ctx, grace, "")
		if err != nil || len(pending) != 3 {
			t.Fatalf("Grace's pending validations: %d %v", len(pending), err)
		}
		if p := pending[0]; p.PersonName != "Alan Turing" || p.ManagerLevel != nil || p.SelfAt.IsZero() {
			t.Errorf("pending: %+v", p)
		}
		if other, _ := f.svc.PendingValidations(ctx, ada, ""); len(other) != 0 {
			t.Errorf("Ada sees %d validations of people she does not manage directly", len(other))
		}
		if one, _ := f.svc.PendingValidations(ctx, grace, f.ids["E4"]); len(one) != 0 {
			t.Errorf("José has nothing to validate, got %d", len(one))
		}
		if _, err := f.svc.Validate(ctx, jose, []skills.AssessedLevel{{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 3}}, ""); core.ErrorCode(err) != core.EFORBIDDEN && core.ErrorCode(err) != core.EINVALID {
			t.Errorf("José validating Alan: %v", err)
		}
		// Confirm Go and SQL, adjust Writing to 2.
		if n, err := f.svc.Validate(ctx, grace, []skills.AssessedLevel{{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 3},
			{PersonID: f.ids["E3"], SkillID: f.skills["SQL"], Level: 2}, {PersonID: f.ids["E3"], SkillID: f.skills["Writing"], Level: 2}}, "Checked in our 1:1"); err != nil || n != 3 {
			t.Fatalf("validate: %d %v", n, err)
		}
		if pending, _ := f.svc.PendingValidations(ctx, grace, ""); len(pending) != 0 {
			t.Errorf("still pending: %d", len(pending))
		}
		prof, _ := f.svc.PersonProfile(ctx, grace, f.ids["E3"], "")
		for _, ps := range prof.Skills {
			if ps.SkillName == "Writing" && (ps.SelfLevel == nil || *ps.SelfLevel != 4 || ps.ManagerLevel == nil || *ps.ManagerLevel != 2 || !ps.Disagreement) {
				t.Errorf("Writing after the adjustment: %+v", ps)
			}
		}
		// A new self-rating waits again, showing the manager's earlier level.
		f.clock.Advance(time.Hour)
		if _, err := f.svc.SelfAssess(ctx, alan, f.ids["E3"], []skills.AssessedLevel{{SkillID: f.skills["Writing"], Level: 3}}, ""); err != nil {
			t.Fatal(err)
		}
		pending, _ = f.svc.PendingValidations(ctx, grace, f.ids["E3"])
		if len(pending) != 1 || pending[0].SelfLevel != 3 || pending[0].ManagerLevel == nil || *pending[0].ManagerLevel != 2 || pending[0].Required != 2 {
			t.Errorf("after a new self-rating: %+v", pending)
		}
	})
}
