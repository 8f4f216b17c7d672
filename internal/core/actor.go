package core

import (
	"slices"
	"strings"
)

// Role is what an account may do beyond its own record. Employee and manager are never granted:
// every account is an employee, and a person is a manager exactly when someone active reports to
// them, which the data decides.
type Role string

// The roles learnloop knows.
const (
	RoleEmployee Role = "employee"
	RoleManager  Role = "manager"
	RoleLnDAdmin Role = "lnd_admin"
	RoleHRAdmin  Role = "hr_admin"
	RoleSysAdmin Role = "sys_admin"
)

// GrantableRoles are the roles an administrator can grant to an account.
var GrantableRoles = []Role{RoleLnDAdmin, RoleHRAdmin, RoleSysAdmin}

// ParseRole accepts a grantable role by its name ("hr_admin", also "hr-admin" or "HR admin").
func ParseRole(s string) (Role, error) {
	r := Role(strings.ReplaceAll(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"), " ", "_"))
	if slices.Contains(GrantableRoles, r) {
		return r, nil
	}
	return "", Invalid("role", "unknown role %q: use one of lnd_admin, hr_admin, sys_admin", s)
}

// Permission names one kind of action. Permissions are also the scopes of API tokens: a token can
// do what its account's roles allow and its scopes name, nothing more.
type Permission string

// The permissions. Reading people is granted to everyone; how many people an actor sees is a data
// scope (self, reporting tree, everyone) decided by SeesAllPeople and the reporting tree.
const (
	PermPeopleRead    Permission = "people:read"
	PermPeopleWrite   Permission = "people:write"
	PermAccountsRead  Permission = "accounts:read"
	PermAccountsWrite Permission = "accounts:write"
	PermAuditRead     Permission = "audit:read"
	PermTokensAll     Permission = "tokens:all"
	// Skills: reading the framework and the levels in one's data scope, rating (within the
	// rules of each rating source), and changing the framework and requirements.
	PermSkillsRead  Permission = "skills:read"
	PermSkillsRate  Permission = "skills:rate"
	PermSkillsWrite Permission = "skills:write"
	// Surveys: answering those one is invited to, and writing, sending and reading the
	// results of surveys (learning-needs analyses, reactions).
	PermSurveysAnswer Permission = "surveys:answer"
	PermSurveysWrite  Permission = "surveys:write"
	// Training: reading the catalog and the learning of the people in one's data scope; taking
	// part in it oneself (enrolling, registering, taking tests); assigning it to the people in
	// one's data scope (managers: their reporting line); and running it (the catalog, sessions,
	// rules, question banks, exemptions, certificates).
	PermTrainingRead   Permission = "training:read"
	PermTrainingLearn  Permission = "training:learn"
	PermTrainingAssign Permission = "training:assign"
	PermTrainingWrite  Permission = "training:write"
	// The learning record store: browsing everyone's statements (one's own are always
	// visible), and managing the LRS clients that send and read statements. Like tokens, LRS
	// clients are credentials, so they are managed by signed-in people only, never by tokens.
	PermXAPIRead    Permission = "xapi:read"
	PermXAPIClients Permission = "xapi:clients"
)

// Scopes lists every permission that can be given to an API token, in display order.
var Scopes = []Permission{PermPeopleRead, PermPeopleWrite, PermAccountsRead, PermAccountsWrite, PermAuditRead,
	PermSkillsRead, PermSkillsRate, PermSkillsWrite, PermSurveysAnswer, PermSurveysWrite,
	PermTrainingRead, PermTrainingLearn, PermTrainingAssign, PermTrainingWrite, PermXAPIRead}

// rolePermissions is the one table of who may do what.
var rolePermissions = map[Role][]Permission{
	RoleEmployee: {PermPeopleRead, PermSkillsRead, PermSkillsRate, PermSurveysAnswer, PermTrainingRead, PermTrainingLearn},
	RoleManager:  {PermPeopleRead, PermSkillsRead, PermSkillsRate, PermSurveysAnswer, PermTrainingRead, PermTrainingLearn, PermTrainingAssign},
	RoleLnDAdmin: {PermPeopleRead, PermSkillsRead, PermSkillsRate, PermSkillsWrite, PermSurveysAnswer, PermSurveysWrite,
		PermTrainingRead, PermTrainingLearn, PermTrainingAssign, PermTrainingWrite, PermXAPIRead, PermXAPIClients},
	RoleHRAdmin: {PermPeopleRead, PermPeopleWrite, PermAccountsRead, PermAccountsWrite, PermAuditRead, PermSkillsRead, PermSkillsRate, PermSkillsWrite,
		PermSurveysAnswer, PermSurveysWrite, PermTrainingRead, PermTrainingLearn, PermTrainingAssign, PermTrainingWrite, PermXAPIRead},
	RoleSysAdmin: {PermPeopleRead, PermPeopleWrite, PermAccountsRead, PermAccountsWrite, PermAuditRead, PermTokensAll, PermSkillsRead, PermSkillsRate, PermSkillsWrite,
		PermSurveysAnswer, PermSurveysWrite, PermTrainingRead, PermTrainingLearn, PermTrainingAssign, PermTrainingWrite, PermXAPIRead, PermXAPIClients},
}

// ParseScopes reads a comma- or space-separated list of scopes; "all" stands for every scope.
func ParseScopes(s string) ([]Permission, error) {
	var out []Permission
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if f == "all" {
			return slices.Clone(Scopes), nil
		}
		p := Permission(f)
		if !slices.Contains(Scopes, p) {
			return nil, Invalid("scopes", "unknown scope %q", f)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, Invalid("scopes", "name at least one scope")
	}
	return out, nil
}

// Actor is the account on whose behalf something is done.
type Actor struct {
	AccountID string
	PersonID  string
	Name      string
	Email     string
	// TimeZone is the person's IANA time zone, for showing times ("" means UTC).
	TimeZone string
	// Roles are the granted roles; IsManager is derived from the reporting tree.
	Roles     []Role
	IsManager bool
	// Scopes restricts an actor authenticated by an API token; nil means a browser session or
	// the system, limited by roles alone.
	Scopes []Permission
	// TokenID is set when the actor came in with an API token.
	TokenID string
	system  bool
}

// System is the actor for work the operator starts from the command line (migrations, imports
// from the CLI, the demo generator). It may do everything.
var System = &Actor{Name: "system", system: true}

// IsSystem reports whether a is the command-line operator.
func (a *Actor) IsSystem() bool { return a != nil && a.system }

// HasRole reports whether the actor holds r. Everyone is an employee; managers are derived.
func (a *Actor) HasRole(r Role) bool {
	switch {
	case a == nil:
		return false
	case a.system:
		return true
	case r == RoleEmployee:
		return true
	case r == RoleManager:
		return a.IsManager
	}
	return slices.Contains(a.Roles, r)
}

// Can reports whether the actor may use permission p.
func (a *Actor) Can(p Permission) bool {
	if a == nil {
		return false
	}
	if a.system {
		return true
	}
	if a.Scopes != nil && !slices.Contains(a.Scopes, p) {
		return false
	}
	for _, r := range a.allRoles() {
		if slices.Contains(rolePermissions[r], p) {
			return true
		}
	}
	return false
}

// SeesAllPeople reports whether the actor's data scope is the whole organization.
func (a *Actor) SeesAllPeople() bool {
	return a.Can(PermPeopleRead) && (a.system || a.HasRole(RoleLnDAdmin) || a.HasRole(RoleHRAdmin) || a.HasRole(RoleSysAdmin))
}

// Permissions lists what the actor may do, for display and for choosing token scopes.
func (a *Actor) Permissions() []Permission {
	var out []Permission
	for _, p := range append(slices.Clone(Scopes), PermTokensAll, PermXAPIClients) {
		if a.Can(p) {
			out = append(out, p)
		}
	}
	return out
}

func (a *Actor) allRoles() []Role {
	rs := append([]Role{RoleEmployee}, a.Roles...)
	if a.IsManager {
		rs = append(rs, RoleManager)
	}
	return rs
}

// Require returns Forbidden unless the actor may use p.
func (a *Actor) Require(p Permission) error {
	if !a.Can(p) {
		return Forbidden
	}
	return nil
}
