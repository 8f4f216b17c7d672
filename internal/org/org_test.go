package org_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
)

var ctx = context.Background()

const baseCSV = `employee_number,given_name,family_name,email,job_title,job_role,org_unit,manager,location,time_zone,hire_date
E1,Ada,Lovelace,ada@example.com,CEO,Executive,ACME,,London,Europe/London,2020-01-01
E2,Grace,Hopper,grace@example.com,VP Engineering,Engineering Manager,ENG,E1,New York,America/New_York,2020-02-01
E3,Alan,Turing,alan@example.com,Engineer,Software Engineer,ENG-PLAT,E2,London,Europe/London,2021-03-01
E4,José,Núñez,jose@example.com,Engineer,Software Engineer,ENG-PLAT,E2,Madrid,Europe/Madrid,2022-04-01
E5,Katherine,Johnson,kj@example.com,Head of Sales,Sales Manager,SALES,E1,Berlin,Europe/Berlin,2021-05-01
E6,Linus,Torvalds,linus@example.com,Account Executive,Account Executive,SALES,E5,Berlin,Europe/Berlin,2023-06-01
`

// fixture is a small organization: Ada runs the company, Grace engineering (Alan, José), Katherine
// sales (Linus).
type fixture struct {
	svc   *org.Service
	clock *core.FixedClock
	units map[string]string // code → id
	ids   map[string]string // employee number → id
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{clock: &core.FixedClock{T: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}, units: map[string]string{}, ids: map[string]string{}}
	f.svc = org.NewService(d, f.clock)
	for _, u := range []struct{ code, name, kind, parent string }{
		{"ACME", "Acme Corp", "company", ""},
		{"ENG", "Engineering", "division", "ACME"},
		{"ENG-PLAT", "Platform", "team", "ENG"},
		{"SALES", "Sales", "division", "ACME"},
	} {
		unit, err := f.svc.CreateUnit(ctx, core.System, org.UnitInput{Code: u.code, Name: u.name, Kind: u.kind, ParentID: f.units[u.parent]})
		if err != nil {
			t.Fatalf("create unit %s: %v", u.code, err)
		}
		f.units[u.code] = unit.ID
	}
	rep, err := f.svc.Import(ctx, core.System, []byte(baseCSV), org.ImportOptions{})
	if err != nil || !rep.Valid {
		t.Fatalf("import fixture: %v %+v", err, rep)
	}
	people, _, _, err := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Status: "all", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		f.ids[p.EmployeeNumber] = p.ID
	}
	return f
}

// actor returns the actor of the person with employee number n, with the given roles.
func (f *fixture) actor(t *testing.T, n string, roles ...core.Role) *core.Actor {
	t.Helper()
	mgr, err := f.svc.IsManager(ctx, f.ids[n])
	if err != nil {
		t.Fatal(err)
	}
	return &core.Actor{AccountID: "acct-" + n, PersonID: f.ids[n], Name: n, Roles: roles, IsManager: mgr}
}

func numbers(people []*org.Person) []string {
	var out []string
	for _, p := range people {
		out = append(out, p.EmployeeNumber)
	}
	return out
}

func TestDataScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tests := []struct {
			name  string
			actor *core.Actor
			want  []string // visible employee numbers, by family name
		}{
			{"employee sees only themselves", f.actor(t, "E3"), []string{"E3"}},
			{"manager sees their reporting tree", f.actor(t, "E2"), []string{"E2", "E4", "E3"}},
			{"top manager sees everyone below", f.actor(t, "E1"), []string{"E2", "E5", "E1", "E4", "E6", "E3"}},
			{"other manager sees only their own tree", f.actor(t, "E5"), []string{"E5", "E6"}},
			{"L&D admin sees everyone", f.actor(t, "E6", core.RoleLnDAdmin), []string{"E2", "E5", "E1", "E4", "E6", "E3"}},
			{"token without people:read sees nothing", &core.Actor{PersonID: f.ids["E1"], Roles: []core.Role{core.RoleHRAdmin}, Scopes: []core.Permission{core.PermAuditRead}}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _, total, err := f.svc.FindPeople(ctx, tt.actor, org.PersonFilter{})
				if tt.want == nil {
					if core.ErrorCode(err) != core.EFORBIDDEN {
						t.Fatalf("err = %v, want forbidden", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, numbers(got)); diff != "" {
					t.Errorf("visible people (-want +got):\n%s", diff)
				}
				if total != len(tt.want) {
					t.Errorf("total = %d, want %d", total, len(tt.want))
				}
				// Someone outside the scope is not found, not forbidden: their existence stays private.
				for n, id := range f.ids {
					_, err := f.svc.FindPersonByID(ctx, tt.actor, id)
					visible := strings.Contains(strings.Join(tt.want, ","), n)
					if visible && err != nil {
						t.Errorf("find %s: %v, want visible", n, err)
					}
					if !visible && core.ErrorCode(err) != core.ENOTFOUND {
						t.Errorf("find %s: err = %v, want not found", n, err)
					}
				}
			})
		}
	})
}

func TestSearchAndFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tests := []struct {
			name string
			f    org.PersonFilter
			want []string
		}{
			{"prefix of a family name", org.PersonFilter{Query: "tur"}, []string{"E3"}},
			{"diacritics are ignored", org.PersonFilter{Query: "nunez"}, []string{"E4"}},
			{"accented query finds plain text", org.PersonFilter{Query: "JOSÉ"}, []string{"E4"}},
			{"every word must match", org.PersonFilter{Query: "alan eng"}, []string{"E3"}},
			{"email part", org.PersonFilter{Query: "kj"}, []string{"E5"}},
			{"employee number", org.PersonFilter{Query: "e6"}, []string{"E6"}},
			{"one letter browses family names", org.PersonFilter{Query: "T"}, []string{"E6", "E3"}},
			{"punctuation only matches everyone", org.PersonFilter{Query: "%_*\""}, []string{"E2", "E5", "E1", "E4", "E6", "E3"}},
			{"org unit includes sub-units", org.PersonFilter{OrgUnitID: f.units["ENG"]}, []string{"E2", "E4", "E3"}},
			{"job role", org.PersonFilter{JobRoleID: roleID(t, f, "Software Engineer")}, []string{"E4", "E3"}},
			{"location", org.PersonFilter{Location: "Berlin"}, []string{"E5", "E6"}},
			{"direct reports", org.PersonFilter{ManagerID: f.ids["E1"]}, []string{"E2", "E5"}},
			{"no match", org.PersonFilter{Query: "zzz"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _, _, err := f.svc.FindPeople(ctx, core.System, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, numbers(got)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	})
}

func roleID(t *testing.T, f *fixture, name string) string {
	t.Helper()
	roles, err := f.svc.FindRoles(ctx, core.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if r.Name == name {
			return r.ID
		}
	}
	t.Fatalf("no role %q", name)
	return ""
}

func TestPagingWalksEveryoneOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var seen []string
		cursor := ""
		for range 10 {
			page, next, _, err := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Limit: 4, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, numbers(page)...)
			if next == "" {
				break
			}
			cursor = next
		}
		if diff := cmp.Diff([]string{"E2", "E5", "E1", "E4", "E6", "E3"}, seen); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if _, _, _, err := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Cursor: "garbage"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("bad cursor: err = %v, want invalid", err)
		}
	})
}

func TestChangingAManagerMovesTheSubtree(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		grace, err := f.svc.FindPersonByID(ctx, core.System, f.ids["E2"])
		if err != nil {
			t.Fatal(err)
		}
		in := grace.Input()
		in.ManagerID = f.ids["E5"] // Grace now reports to Katherine
		if _, err := f.svc.UpdatePerson(ctx, core.System, grace.ID, in); err != nil {
			t.Fatal(err)
		}
		got, _, _, err := f.svc.FindPeople(ctx, f.actor(t, "E5"), org.PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"E2", "E5", "E4", "E6", "E3"}, numbers(got)); diff != "" {
			t.Errorf("Katherine's tree after the move (-want +got):\n%s", diff)
		}
		// Alan cannot become Grace's manager: Alan reports to Grace.
		in.ManagerID = f.ids["E3"]
		_, err = f.svc.UpdatePerson(ctx, core.System, grace.ID, in)
		if e := core.AsError(err); e == nil || e.Field != "manager_id" {
			t.Errorf("cycle: err = %v, want invalid manager_id", err)
		}
	})
}

func TestPersonWritesNeedHRRights(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := org.PersonInput{EmployeeNumber: "E9", GivenName: "New", FamilyName: "Person"}
		for _, a := range []*core.Actor{f.actor(t, "E1"), f.actor(t, "E3", core.RoleLnDAdmin)} {
			if _, err := f.svc.CreatePerson(ctx, a, in); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s create: err = %v, want forbidden", a.Name, err)
			}
			if _, err := f.svc.PlanImport(ctx, a, []byte(baseCSV), org.ImportOptions{}); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s import: err = %v, want forbidden", a.Name, err)
			}
		}
		hr := f.actor(t, "E6", core.RoleHRAdmin)
		p, err := f.svc.CreatePerson(ctx, hr, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != org.StatusActive || p.Name() != "New Person" {
			t.Errorf("created %+v", p)
		}
		in.Email = "ADA@example.com"
		in.EmployeeNumber = "E10"
		_, err = f.svc.CreatePerson(ctx, hr, in)
		if e := core.AsError(err); e == nil || e.Code != core.ECONFLICT || e.Field != "email" {
			t.Errorf("duplicate email: err = %v, want conflict on email", err)
		}
		in = org.PersonInput{GivenName: " ", FamilyName: "X", Email: "not an email", TimeZone: "Mars/Olympus"}
		_, err = f.svc.CreatePerson(ctx, hr, in)
		e := core.AsError(err)
		if e == nil || e.Code != core.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
		for _, field := range []string{"given_name", "email", "time_zone"} {
			if e.Fields[field] == "" {
				t.Errorf("no message for %s in %v", field, e.Fields)
			}
		}
	})
}

func TestExportImportsUnchanged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var buf bytes.Buffer
		n, err := f.svc.ExportPeople(ctx, core.System, &buf, "all")
		if err != nil || n != 6 {
			t.Fatalf("export: %d, %v", n, err)
		}
		rep, err := f.svc.Import(ctx, core.System, buf.Bytes(), org.ImportOptions{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Valid || rep.Unchanged != 6 || rep.Create+rep.Update+rep.Leave != 0 {
			t.Errorf("re-import of export: %s %+v", rep.Summary(), rep.Problems)
		}
		// A manager exports only their own tree.
		buf.Reset()
		if n, err := f.svc.ExportPeople(ctx, f.actor(t, "E5"), &buf, ""); err != nil || n != 2 {
			t.Errorf("manager export: %d rows, %v; want 2", n, err)
		}
	})
}
