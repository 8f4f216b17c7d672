package skills_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

var ctx = context.Background()

// fixture: Ada (CEO) manages Grace (engineering manager), who manages Alan and José; Katherine
// (sales) reports to Ada. Software Engineers need Go (critical, 4), SQL (important, 3) and
// Writing (useful, 2).
type fixture struct {
	svc    *skills.Service
	orgs   *org.Service
	clock  *core.FixedClock
	ids    map[string]string // employee number → person id
	skills map[string]string // name → skill id
	role   string            // Software Engineer
	senior string            // Senior Engineer
}

const peopleCSV = `employee_number,given_name,family_name,email,job_role,manager,org_unit
E1,Ada,Lovelace,ada@example.com,Executive,,
E2,Grace,Hopper,grace@example.com,Engineering Manager,E1,ENG
E3,Alan,Turing,alan@example.com,Software Engineer,E2,ENG
E4,José,Núñez,jose@example.com,Software Engineer,E2,ENG
E5,Katherine,Johnson,kj@example.com,Sales Manager,E1,SALES
`

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{clock: &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}, ids: map[string]string{}, skills: map[string]string{}}
	f.orgs = org.NewService(d, f.clock)
	f.svc = skills.NewService(d, f.clock, f.orgs)
	for _, code := range []string{"ENG", "SALES"} {
		if _, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: code, Name: code, Kind: "team"}); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := f.orgs.Import(ctx, core.System, []byte(peopleCSV), org.ImportOptions{}); err != nil || !rep.Applied {
		t.Fatalf("import: %v %v", err, rep)
	}
	people, _, _, _ := f.orgs.FindPeople(ctx, core.System, org.PersonFilter{Limit: 100})
	for _, p := range people {
		f.ids[p.EmployeeNumber] = p.ID
		if p.EmployeeNumber == "E3" {
			f.role = p.JobRoleID
		}
	}
	senior, err := f.orgs.CreateRole(ctx, core.System, org.RoleInput{Name: "Senior Engineer"})
	if err != nil {
		t.Fatal(err)
	}
	f.senior = senior.ID
	cat, err := f.svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Engineering"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Go", "SQL", "Writing", "Negotiation"} {
		sk, err := f.svc.CreateSkill(ctx, core.System, skills.SkillInput{Name: name, CategoryID: cat.ID, Aliases: []string{name + " language"}})
		if err != nil {
			t.Fatal(err)
		}
		f.skills[name] = sk.ID
	}
	for _, r := range []skills.RequirementInput{
		{JobRoleID: f.role, SkillID: f.skills["Go"], Level: 4, Criticality: "critical"},
		{JobRoleID: f.role, SkillID: f.skills["SQL"], Level: 3, Criticality: "important"},
		{JobRoleID: f.role, SkillID: f.skills["Writing"], Level: 2, Criticality: "useful"},
		{JobRoleID: f.senior, SkillID: f.skills["Go"], Level: 5, Criticality: "critical"},
	} {
		if err := f.svc.SetRequirement(ctx, core.System, r); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) actor(t *testing.T, n string, roles ...core.Role) *core.Actor {
	t.Helper()
	mgr, _ := f.orgs.IsManager(ctx, f.ids[n])
	return &core.Actor{PersonID: f.ids[n], Name: n, Roles: roles, IsManager: mgr}
}

func TestRatingRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		goSkill := f.skills["Go"]
		tests := []struct {
			name   string
			actor  *core.Actor
			person string
			source string
			code   string
		}{
			{"self-assessment", f.actor(t, "E3"), "E3", "self", ""},
			{"self-assessment of someone else", f.actor(t, "E3"), "E4", "self", core.ENOTFOUND},
			{"manager rates a report", f.actor(t, "E2"), "E3", "manager", ""},
			{"skip-level manager rates", f.actor(t, "E1"), "E3", "manager", ""},
			{"manager rating of themselves", f.actor(t, "E2"), "E2", "manager", core.EFORBIDDEN},
			{"manager rating by someone else's manager", f.actor(t, "E5"), "E3", "manager", core.ENOTFOUND},
			{"HR admin is not the manager", f.actor(t, "E5", core.RoleHRAdmin), "E3", "manager", core.EFORBIDDEN},
			{"peer endorsement of a colleague", f.actor(t, "E4"), "E3", "peer", ""},
			{"peer endorsement of oneself", f.actor(t, "E4"), "E4", "peer", core.EFORBIDDEN},
			{"peer endorsement outside one's unit", f.actor(t, "E5"), "E3", "peer", core.ENOTFOUND},
			{"employee records a certification", f.actor(t, "E3"), "E3", "certification", core.EFORBIDDEN},
			{"L&D records a test result", f.actor(t, "E5", core.RoleLnDAdmin), "E3", "test", ""},
			{"unknown source", f.actor(t, "E3"), "E3", "gut feeling", core.EINVALID},
			{"token without skills:rate", &core.Actor{PersonID: f.ids["E3"], Scopes: []core.Permission{core.PermSkillsRead}}, "E3", "self", core.EFORBIDDEN},
		}
		for _, tt := range tests {
			_, err := f.svc.Rate(ctx, tt.actor, skills.RatingInput{PersonID: f.ids[tt.person], SkillID: goSkill, Level: 3, Source: tt.source})
			if core.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.code)
			}
		}
		for _, bad := range []skills.RatingInput{
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: 6, Source: "self"},
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: -1, Source: "self"},
			{PersonID: f.ids["E3"], SkillID: core.NewID(), Level: 2, Source: "self"},
			{PersonID: f.ids["E3"], SkillID: goSkill, Level: 2, Source: "self", EvidenceURL: "javascript:alert(1)"},
		} {
			if _, err := f.svc.Rate(ctx, f.actor(t, "E3"), bad); core.ErrorCode(err) != core.EINVALID {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		hist, err := f.svc.FindRatings(ctx, f.actor(t, "E2"), f.ids["E3"], goSkill)
		if err != nil || len(hist) != 5 {
			t.Errorf("history: %d ratings, %v; want 5", len(hist), err)
		}
		if _, err := f.svc.FindRatings(ctx, f.actor(t, "E5"), f.ids["E3"], ""); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("another manager reading the history: %v", err)
		}
	})
}

// TestProfileGapsByHand checks the profile against numbers worked out by hand.
func TestProfileGapsByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alan, grace := f.actor(t, "E3"), f.actor(t, "E2")
		rate := func(a *core.Actor, skill string, level int, source string) {
			t.Helper()
			if _, err := f.svc.Rate(ctx, a, skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills[skill], Level: level, Source: source}); err != nil {
				t.Fatal(err)
			}
		}
		rate(alan, "Go", 2, "self")
		rate(grace, "Go", 4, "manager") // (0.4·2 + 0.8·4)/1.2 = 3.33 → 3.3; self and manager 2 apart
		rate(grace, "SQL", 3, "manager")
		rate(alan, "Negotiation", 1, "self") // not required by the role
		prof, err := f.svc.PersonProfile(ctx, grace, f.ids["E3"], "")
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			skill    string
			level    float64
			required int
			gap      float64
			disagree bool
		}{
			{"Go", 3.3, 4, 0.7, true},   // weighted gap 0.7·3 = 2.1
			{"Writing", 0, 2, 2, false}, // 2·1 = 2.0
			{"SQL", 3, 3, 0, false},     // 0
			{"Negotiation", 1, 0, 0, false},
		}
		if len(prof.Skills) != len(want) {
			t.Fatalf("%d skills: %+v", len(prof.Skills), prof.Skills)
		}
		for i, w := range want {
			got := prof.Skills[i]
			if got.SkillName != w.skill || got.Level != w.level || got.Required != w.required || got.Gap != w.gap || got.Disagreement != w.disagree {
				t.Errorf("skill %d: %+v, want %+v", i, got, w)
			}
		}
		// Readiness: Go 3.3/4 = 0.825 ×3, SQL 1 ×2, Writing 0 ×1 → (2.475 + 2) / 6 = 0.746.
		if prof.Readiness != 0.746 || prof.WeightedGap != 4.1 {
			t.Errorf("readiness %v weighted gap %v, want 0.746 and 4.1", prof.Readiness, prof.WeightedGap)
		}
		// Against Senior Engineer: Go 5 critical only → 3.3/5 = 0.66.
		sen, err := f.svc.PersonProfile(ctx, alan, f.ids["E3"], f.senior)
		if err != nil || sen.Readiness != 0.66 || sen.JobRole != "Senior Engineer" {
			t.Errorf("senior readiness %+v %v", sen, err)
		}
		// Katherine (another manager) does not see Alan's profile.
		if _, err := f.svc.PersonProfile(ctx, f.actor(t, "E5"), f.ids["E3"], ""); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("other manager: %v", err)
		}
	})
}

func TestConfidenceFadesAndRefreshes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.svc.Rate(ctx, f.actor(t, "E2"), skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 4, Source: "manager"}); err != nil {
			t.Fatal(err)
		}
		level := func() float64 {
			prof, _ := f.svc.PersonProfile(ctx, core.System, f.ids["E3"], "")
			for _, s := range prof.Skills {
				if s.SkillName == "Go" {
					return s.Confidence
				}
			}
			return -1
		}
		if c := level(); c != 0.55 {
			t.Fatalf("fresh confidence %v", c)
		}
		f.clock.Advance(skills.HalfLife)
		n, err := f.svc.RefreshLevels(ctx, f.clock.Now().Add(-24*time.Hour), 100)
		if err != nil || n != 1 {
			t.Fatalf("refresh: %d %v", n, err)
		}
		if c := level(); c != 0.33 { // 1 − e^−0.4
			t.Errorf("after a half-life: confidence %v, want 0.33", c)
		}
	})
}

func TestFrameworkEdits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		emp := f.actor(t, "E3")
		if _, err := f.svc.CreateSkill(ctx, emp, skills.SkillInput{Name: "Rust"}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("employee creating a skill: %v", err)
		}
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		if _, err := f.svc.CreateSkill(ctx, lnd, skills.SkillInput{Name: "go"}); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("duplicate name: %v", err)
		}
		if _, err := f.svc.CreateSkill(ctx, lnd, skills.SkillInput{Name: "Rust", Type: "magic"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("bad type: %v", err)
		}
		var ce *core.Error
		if _, err := f.svc.CreateCategory(ctx, lnd, skills.CategoryInput{Name: "Data / AI"}); !errors.As(err, &ce) || ce.Field != "name" {
			t.Errorf("a category name with the path separator: %v", err)
		}
		found, err := f.svc.FindSkills(ctx, emp, skills.SkillFilter{Query: "sql lang"})
		if err != nil || len(found) != 1 || found[0].Name != "SQL" {
			t.Errorf("search by alias: %v %v", found, err)
		}
		sk, _ := f.svc.FindSkillByID(ctx, emp, f.skills["Writing"])
		in := skills.SkillInput{Name: sk.Name, CategoryID: sk.CategoryID, Type: sk.Type, Retired: true}
		if _, err := f.svc.UpdateSkill(ctx, lnd, sk.ID, in); err != nil {
			t.Fatal(err)
		}
		if found, _ := f.svc.FindSkills(ctx, emp, skills.SkillFilter{}); len(found) != 3 {
			t.Errorf("retired skills are still offered: %d", len(found))
		}
		if _, err := f.svc.Rate(ctx, emp, skills.RatingInput{PersonID: f.ids["E3"], SkillID: sk.ID, Level: 2, Source: "self"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("rating a retired skill: %v", err)
		}
		// The scale can shrink only while no rating uses the levels it drops.
		if _, err := f.svc.Rate(ctx, emp, skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 5, Source: "self"}); err != nil {
			t.Fatal(err)
		}
		three := []skills.ScaleLevel{{0, "None", ""}, {1, "Learning", ""}, {2, "Capable", ""}, {3, "Expert", ""}}
		if err := f.svc.SetScale(ctx, lnd, three); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("shrinking a used scale: %v", err)
		}
		six := []skills.ScaleLevel{{0, "a", ""}, {1, "b", ""}, {2, "c", ""}, {3, "d", ""}, {4, "e", ""}, {5, "f", ""}, {6, "g", ""}}
		if err := f.svc.SetScale(ctx, lnd, six); err != nil {
			t.Errorf("growing the scale: %v", err)
		}
		if err := f.svc.SetScale(ctx, lnd, []skills.ScaleLevel{{0, "a", ""}, {2, "b", ""}}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("a scale with a gap: %v", err)
		}
	})
}

func TestRecordRatingsInBulk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		batch := []skills.RatingInput{
			{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 4, Source: "test"},
			{PersonID: f.ids["E3"], SkillID: f.skills["SQL"], Level: 2, Source: "test"},
			{PersonID: f.ids["E4"], SkillID: f.skills["Go"], Level: 5, Source: "certification"},
		}
		if _, err := f.svc.RecordRatings(ctx, f.actor(t, "E2"), batch, "x"); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("a manager recording in bulk: %v", err)
		}
		bad := append(append([]skills.RatingInput{}, batch...), skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 9, Source: "test"})
		_, err := f.svc.RecordRatings(ctx, lnd, bad, "x")
		if e := core.AsError(err); e == nil || e.Field != "ratings[3].level" {
			t.Fatalf("bad batch: %v", err)
		}
		if prof, _ := f.svc.PersonProfile(ctx, core.System, f.ids["E3"], ""); prof.Readiness != 0 {
			t.Errorf("a refused batch left ratings behind: readiness %v", prof.Readiness)
		}
		if n, err := f.svc.RecordRatings(ctx, lnd, batch, "test results"); err != nil || n != 3 {
			t.Fatalf("%d %v", n, err)
		}
		// Go 4/4 ×3, SQL 2/3 ×2, Writing 0 ×1 → (3 + 1.333) / 6 = 0.722.
		prof, err := f.svc.PersonProfile(ctx, core.System, f.ids["E3"], "")
		if err != nil || prof.Readiness != 0.722 {
			t.Errorf("readiness after bulk: %v %v", prof.Readiness, err)
		}
		// A single rating afterwards updates incrementally on top.
		if _, err := f.svc.Rate(ctx, f.actor(t, "E3"), skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Writing"], Level: 2, Source: "self"}); err != nil {
			t.Fatal(err)
		}
		prof, _ = f.svc.PersonProfile(ctx, core.System, f.ids["E3"], "")
		if prof.Readiness != 0.889 { // (3 + 1.333 + 1) / 6
			t.Errorf("readiness after a self-assessment: %v", prof.Readiness)
		}
	})
}

// TestTeamMatrixByHand checks a team's matrix against figures worked out by hand.
func TestTeamMatrixByHand(t *testing.T) {
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
		m, err := f.svc.Matrix(ctx, grace, skills.MatrixFilter{Below: f.ids["E2"], SortByGap: true})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Analysed || m.People != 2 || m.TotalSkills != 3 {
			t.Fatalf("analysed %v, %d people, %d skills", m.Analysed, m.People, m.TotalSkills)
		}
		names := []string{m.Skills[0].Name, m.Skills[1].Name, m.Skills[2].Name}
		if names[0] != "Go" || names[1] != "SQL" || names[2] != "Writing" {
			t.Fatalf("columns %v", names)
		}
		// José: Go gap 1 ×3 + SQL gap 3 ×2 = 9; Alan: SQL gap 1 ×2 + Writing gap 2 ×1 = 4.
		if m.Rows[0].Name != "José Núñez" || m.Rows[0].WeightedGap != 9 || m.Rows[1].WeightedGap != 4 {
			t.Errorf("rows by gap: %s %v, %s %v", m.Rows[0].Name, m.Rows[0].WeightedGap, m.Rows[1].Name, m.Rows[1].WeightedGap)
		}
		goCol, sqlCol, writing := m.Skills[0], m.Skills[1], m.Skills[2]
		if goCol.Target != 4 || goCol.Covered != 1 || goCol.Below != 1 || !goCol.Critical || !goCol.SinglePoint {
			t.Errorf("Go column %+v", goCol)
		}
		if sqlCol.Covered != 0 || sqlCol.Below != 2 || sqlCol.SinglePoint {
			t.Errorf("SQL column %+v", sqlCol)
		}
		if writing.Covered != 1 || writing.Below != 1 {
			t.Errorf("Writing column %+v", writing)
		}
		if m.TruckFactor == nil || *m.TruckFactor != 1 {
			t.Errorf("truck factor %v, want 1", m.TruckFactor)
		}
		alanGo := m.Rows[1].Cells[0]
		if !alanGo.Rated || alanGo.Level != 4 || alanGo.Required != 4 || alanGo.Gap != 0 || alanGo.Criticality != "critical" {
			t.Errorf("Alan's Go cell %+v", alanGo)
		}
		joseSQL := m.Rows[0].Cells[1]
		if joseSQL.Rated || joseSQL.Gap != 3 {
			t.Errorf("José's SQL cell %+v", joseSQL)
		}
		// Only critical skills: Go alone.
		crit, _ := f.svc.Matrix(ctx, grace, skills.MatrixFilter{Below: f.ids["E2"], Criticality: "critical"})
		if len(crit.Skills) != 1 || crit.Skills[0].Name != "Go" {
			t.Errorf("critical only: %+v", crit.Skills)
		}
		// Another manager sees nobody of Grace's team.
		other, err := f.svc.Matrix(ctx, f.actor(t, "E5"), skills.MatrixFilter{Below: f.ids["E2"]})
		if err != nil || len(other.Rows) != 0 {
			t.Errorf("another manager: %d rows, %v", len(other.Rows), err)
		}
		// A coverage target on a unit adds its skill and its bar.
		unit, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: "T", Name: "Team", Kind: "team"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetCoverageTarget(ctx, core.System, skills.CoverageTarget{OrgUnitID: unit.ID, SkillID: f.skills["Negotiation"], Level: 3, MinPeople: 2}); err != nil {
			t.Fatal(err)
		}
		tm, err := f.svc.Matrix(ctx, core.System, skills.MatrixFilter{OrgUnitID: unit.ID})
		if err != nil || len(tm.Skills) != 1 || tm.Skills[0].MinPeople != 2 || tm.Skills[0].Target != 3 {
			t.Errorf("unit with a target: %+v %v", tm.Skills, err)
		}
	})
}
