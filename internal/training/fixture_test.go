package training_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

var ctx = context.Background()

// fixture: Ada (CEO) manages Grace (engineering manager), who manages Alan and José; Katherine
// (sales manager) reports to Ada and manages Sam. Lena is an L&D administrator in People.
// Extra people P001… (engineers under Grace) exist when asked for, for crowds.
type fixture struct {
	t      testing.TB
	d      *db.DB
	svc    *training.Service
	orgs   *org.Service
	sk     *skills.Service
	clock  *core.FixedClock
	ids    map[string]string // employee number → person id
	skills map[string]string // name → skill id
	units  map[string]string // code → unit id
	eng    string            // the Software Engineer role
}

const basePeople = `employee_number,given_name,family_name,email,job_role,manager,org_unit,hire_date,time_zone
E1,Ada,Lovelace,ada@example.com,Executive,,HQ,2015-01-05,Europe/London
E2,Grace,Hopper,grace@example.com,Engineering Manager,E1,ENG,2018-03-01,Europe/London
E3,Alan,Turing,alan@example.com,Software Engineer,E2,ENG,2020-06-01,Europe/Berlin
E4,José,Núñez,jose@example.com,Software Engineer,E2,ENG,2026-05-20,America/New_York
E5,Katherine,Johnson,kj@example.com,Sales Manager,E1,SALES,2019-09-01,America/New_York
E6,Sam,Okafor,sam@example.com,Account Executive,E5,SALES,2021-02-01,Europe/London
E7,Lena,Fischer,lena@example.com,L&D Specialist,E1,PEOPLE,2017-04-01,Europe/Berlin
`

func newFixture(t testing.TB, d *db.DB, crowd int) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, clock: &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}, ids: map[string]string{},
		skills: map[string]string{}, units: map[string]string{}}
	f.orgs = org.NewService(d, f.clock)
	f.sk = skills.NewService(d, f.clock, f.orgs)
	blobs, err := blob.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = training.NewService(d, f.clock, f.orgs, f.sk, blobs)
	f.svc.Organization = "Fixture Ltd"
	for _, code := range []string{"HQ", "ENG", "SALES", "PEOPLE"} {
		u, err := f.orgs.CreateUnit(ctx, core.System, org.UnitInput{Code: code, Name: code, Kind: "team"})
		if err != nil {
			t.Fatal(err)
		}
		f.units[code] = u.ID
	}
	var b strings.Builder
	b.WriteString(basePeople)
	for i := 1; i <= crowd; i++ {
		fmt.Fprintf(&b, "P%03d,Person,Number%03d,p%03d@example.com,Software Engineer,E2,ENG,2022-01-10,Europe/Berlin\n", i, i, i)
	}
	if rep, err := f.orgs.Import(ctx, core.System, []byte(b.String()), org.ImportOptions{}); err != nil || !rep.Applied {
		t.Fatalf("import: %v %+v", err, rep)
	}
	people, _, _, _ := f.orgs.FindPeople(ctx, core.System, org.PersonFilter{Limit: core.MaxLimit})
	for _, p := range people {
		f.ids[p.EmployeeNumber] = p.ID
		if p.EmployeeNumber == "E3" {
			f.eng = p.JobRoleID
		}
	}
	cat, err := f.sk.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Work"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Go", "SQL", "Negotiation", "Forklift safety"} {
		s, err := f.sk.CreateSkill(ctx, core.System, skills.SkillInput{Name: name, CategoryID: cat.ID})
		if err != nil {
			t.Fatal(err)
		}
		f.skills[name] = s.ID
	}
	if err := f.sk.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: f.eng, SkillID: f.skills["Go"], Level: 4, Criticality: "critical"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// actor returns the actor of a person of the fixture: E2 and E5 and E1 are managers, E7 runs
// training.
func (f *fixture) actor(number string) *core.Actor {
	a := &core.Actor{PersonID: f.ids[number], Name: number, AccountID: "acc-" + number}
	switch number {
	case "E1", "E2", "E5":
		a.IsManager = true
	case "E7":
		a.Roles = []core.Role{core.RoleLnDAdmin}
	}
	return a
}

// item creates a published item of kind with the given options applied.
func (f *fixture) item(title, kind string, opts ...func(*training.ItemInput)) *training.Item {
	f.t.Helper()
	in := training.ItemInput{Title: title, Kind: kind, Status: training.StatusPublished}
	for _, o := range opts {
		o(&in)
	}
	it, err := f.svc.CreateItem(ctx, f.actor("E7"), in)
	if err != nil {
		f.t.Fatalf("create item %q: %v", title, err)
	}
	return it
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// code asserts err has the code want ("" for no error).
func code(t *testing.T, err error, want string) {
	t.Helper()
	if got := core.ErrorCode(err); got != want {
		t.Fatalf("error code %q (%v), want %q", got, err, want)
	}
}
