package skills_test

import (
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

func TestCheckGapTrend(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		div, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: "DIV", Name: "Division", Kind: "division"})
		if err != nil {
			t.Fatal(err)
		}
		team, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: "T1", Name: "Team", Kind: "team", ParentID: div.ID})
		if err != nil {
			t.Fatal(err)
		}
		none, jan31, feb1 := "", core.Date{Year: 2026, Month: 1, Day: 31}, core.Date{Year: 2026, Month: 2, Day: 1}
		for _, tt := range []struct {
			name  string
			f     skills.GapTrendFilter
			field string
		}{
			{"all skills in the organization", skills.GapTrendFilter{}, ""},
			{"a skill outside any division, one day", skills.GapTrendFilter{SkillID: f.skills["Go"], DivisionID: &none, From: feb1, To: feb1}, ""},
			{"a division", skills.GapTrendFilter{DivisionID: &div.ID, From: jan31}, ""},
			{"unknown skill", skills.GapTrendFilter{SkillID: core.NewID()}, "skill"},
			{"malformed skill", skills.GapTrendFilter{SkillID: "Go"}, "skill"},
			{"unknown division", skills.GapTrendFilter{DivisionID: new(core.NewID())}, "division"},
			{"a team is no division", skills.GapTrendFilter{DivisionID: &team.ID}, "division"},
			{"ends before it starts", skills.GapTrendFilter{From: feb1, To: jan31}, "to"},
		} {
			err := f.svc.CheckGapTrend(ctx, tt.f)
			if e := core.AsError(err); tt.field == "" && err != nil || tt.field != "" && (e == nil || e.Code != core.EINVALID || e.Field != tt.field) {
				t.Errorf("%s: %v, want a problem with %q", tt.name, err, tt.field)
			}
		}
	})
}
