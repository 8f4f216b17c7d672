package core_test

import (
	"slices"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
)

func TestPermissionsByRole(t *testing.T) {
	all := []core.Permission{core.PermPeopleRead, core.PermPeopleWrite, core.PermAccountsRead, core.PermAccountsWrite, core.PermAuditRead, core.PermTokensAll,
		core.PermSkillsRead, core.PermSkillsRate, core.PermSkillsWrite, core.PermTrainingRead, core.PermTrainingLearn, core.PermTrainingAssign, core.PermTrainingWrite}
	everyone := []core.Permission{core.PermPeopleRead, core.PermSkillsRead, core.PermSkillsRate, core.PermTrainingRead, core.PermTrainingLearn}
	runs := []core.Permission{core.PermTrainingAssign, core.PermTrainingWrite}
	tests := []struct {
		name    string
		actor   *core.Actor
		can     []core.Permission
		seesAll bool
	}{
		{"nobody", nil, nil, false},
		{"employee", &core.Actor{PersonID: "p"}, everyone, false},
		{"manager", &core.Actor{PersonID: "p", IsManager: true}, append(slices.Clone(everyone), core.PermTrainingAssign), false},
		{"L&D admin", &core.Actor{Roles: []core.Role{core.RoleLnDAdmin}}, slices.Concat(everyone, runs, []core.Permission{core.PermSkillsWrite}), true},
		{"HR admin", &core.Actor{Roles: []core.Role{core.RoleHRAdmin}}, slices.Concat(everyone, runs, []core.Permission{core.PermPeopleWrite, core.PermAccountsRead,
			core.PermAccountsWrite, core.PermAuditRead, core.PermSkillsWrite}), true},
		{"system admin", &core.Actor{Roles: []core.Role{core.RoleSysAdmin}}, all, true},
		{"HR admin's token with one scope", &core.Actor{Roles: []core.Role{core.RoleHRAdmin}, Scopes: []core.Permission{core.PermAuditRead}}, []core.Permission{core.PermAuditRead}, false},
		{"employee's token asking for more than the role", &core.Actor{Scopes: []core.Permission{core.PermPeopleWrite, core.PermPeopleRead, core.PermSkillsWrite}}, []core.Permission{core.PermPeopleRead}, false},
		{"the command line", core.System, all, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range all {
				want := false
				for _, c := range tt.can {
					want = want || c == p
				}
				if got := tt.actor.Can(p); got != want {
					t.Errorf("Can(%s) = %v, want %v", p, got, want)
				}
				if err := tt.actor.Require(p); (err == nil) != want || err != nil && core.ErrorCode(err) != core.EFORBIDDEN {
					t.Errorf("Require(%s) = %v", p, err)
				}
			}
			if got := tt.actor.SeesAllPeople(); got != tt.seesAll {
				t.Errorf("SeesAllPeople = %v, want %v", got, tt.seesAll)
			}
		})
	}
}

func TestParseRoleAndScopes(t *testing.T) {
	for in, want := range map[string]core.Role{"hr_admin": core.RoleHRAdmin, "HR-Admin": core.RoleHRAdmin, " lnd admin ": core.RoleLnDAdmin, "sys_admin": core.RoleSysAdmin} {
		if got, err := core.ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"manager", "employee", "root", ""} {
		if _, err := core.ParseRole(bad); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("ParseRole(%q) accepted", bad)
		}
	}
	if got, err := core.ParseScopes("people:read, people:read audit:read"); err != nil || len(got) != 2 {
		t.Errorf("ParseScopes: %v %v", got, err)
	}
	if got, _ := core.ParseScopes("all"); len(got) != len(core.Scopes) {
		t.Errorf("all = %v", got)
	}
	for _, bad := range []string{"", "people:delete", "tokens:all"} {
		if _, err := core.ParseScopes(bad); err == nil {
			t.Errorf("ParseScopes(%q) accepted", bad)
		}
	}
}

func TestValidationNamesEveryField(t *testing.T) {
	var v core.Validation
	if v.Err() != nil {
		t.Fatal("empty validation is an error")
	}
	v.Add("email", "bad %s", "email")
	v.Add("name", "missing")
	v.Add("email", "second message is ignored")
	e := core.AsError(v.Err())
	if e == nil || e.Code != core.EINVALID || e.Field != "email" || e.Message != "bad email" || len(e.Fields) != 2 || e.Fields["email"] != "bad email" {
		t.Errorf("%+v", e)
	}
}

func TestDates(t *testing.T) {
	d, err := core.ParseDate("2024-02-29")
	if err != nil || d.String() != "2024-02-29" {
		t.Fatalf("%v %v", d, err)
	}
	for _, bad := range []string{"2023-02-29", "29.02.2024", "2024-2-9", ""} {
		if _, err := core.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var z core.Date
	if v, _ := z.Value(); v != nil || z.String() != "" {
		t.Error("the zero date is not NULL and empty")
	}
	var s core.Date
	if err := s.Scan("2024-01-02 00:00:00+00:00"); err != nil || s.String() != "2024-01-02" {
		t.Errorf("scan text: %v %v", s, err)
	}
	if c := core.EncodeCursor("a", "b"); c == "" {
		t.Error("empty cursor")
	} else if key, err := core.DecodeCursor(c, 2); err != nil || key[1] != "b" {
		t.Errorf("cursor round trip: %v %v", key, err)
	}
}
