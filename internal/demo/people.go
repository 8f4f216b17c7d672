package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
)

// referenceDate is "today" for the demo: hire and leaving dates lie before it. It is fixed so the
// same seed gives the same file on any day.
var referenceDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	maxTenureDays = 15 * 365 // the company is fifteen years old
	minTenureDays = 45
	leaverShare   = 0.02
)

// tenure draws how many days before the reference date someone at level was hired. Hires
// lean towards recent years for individual contributors, as a growing company's do, and
// towards early years for senior leaders. Only integer draws are used, so the result is the
// same on every architecture.
func tenure(rng *rand.Rand, level int) int {
	if level == levelCEO {
		return maxTenureDays // the founder
	}
	span := maxTenureDays - minTenureDays
	a := rng.IntN(span)
	switch level {
	case levelIC:
		if rng.IntN(2) == 0 {
			a = min(a, rng.IntN(span))
		}
	case levelSenior, levelDirector, levelDivisionHead:
		if rng.IntN(10) < 3+level-levelSenior {
			a = max(a, rng.IntN(span))
		}
	}
	return minTenureDays + a
}

// describePeople gives everyone a location, a name and a hire date.
func (c *company) describePeople(rng *rand.Rand) {
	for _, p := range c.people {
		p.loc = p.unit.loc
		if p.level == levelIC && rng.IntN(5) == 0 {
			// Most of a team sits together; some members work from another office.
			p.loc = pickWeighted(rng, p.unit.where())
		}
		cu := rng.IntN(numCultures)
		if rng.IntN(5) < 3 {
			cu = pickWeighted(rng, locations[p.loc].cultures)
		}
		names := &cultures[cu]
		p.given = names.given[rng.IntN(len(names.given))]
		p.family = names.family[rng.IntN(len(names.family))]
		p.hired = tenure(rng, p.level)
	}
}

// Login roles, as shown to people choosing a demo account.
const (
	loginSysAdmin = "System administrator"
	loginHRAdmin  = "HR administrator"
	loginLnDAdmin = "L&D administrator"
	loginManager  = "Manager"
	loginEmployee = "Employee"
)

// chooseLogins picks the five people who get demo accounts and gives them memorable emails.
// They are chosen before anyone leaves, and never leave.
func (c *company) chooseLogins() error {
	isIC := func(p *person) bool { return p.level == levelIC && !p.login }
	inEngineering := func(p *person) bool { return p.unit.div != nil && p.unit.div.code == "ENG" }
	var manager *person
	for _, teamsOnly := range []bool{true, false} {
		for _, u := range c.units {
			if manager == nil && u.leaf && u.head != nil && u.div != nil && u.div.code == "ENG" &&
				(u.kind == "team" || !teamsOnly) && u.head.reports >= minSpan && u.head.reports <= maxSpan {
				manager = u.head
			}
		}
	}
	if manager == nil {
		return fmt.Errorf("demo: no engineering team for the manager login")
	}
	manager.login = true
	choices := []struct {
		role, local string
		roles       []core.Role
		who         *person
		rules       []func(*person) bool
	}{
		{role: loginManager, local: "manager", who: manager},
		{role: loginEmployee, local: "employee", rules: []func(*person) bool{
			func(p *person) bool { return isIC(p) && p.manager == manager },
		}},
		{role: loginHRAdmin, local: "hr", roles: []core.Role{core.RoleHRAdmin}, rules: []func(*person) bool{
			func(p *person) bool { return isIC(p) && p.dept != nil && p.dept.isHR },
			func(p *person) bool {
				return isIC(p) && p.unit.div != nil && p.unit.div.code == "PPL" && !p.dept.isLearning
			},
			func(p *person) bool { return p.level == levelDivisionHead && p.unit.div.code == "PPL" },
		}},
		{role: loginLnDAdmin, local: "lnd", roles: []core.Role{core.RoleLnDAdmin}, rules: []func(*person) bool{
			func(p *person) bool { return isIC(p) && p.dept != nil && p.dept.isLearning },
			func(p *person) bool { return !p.login && p.dept != nil && p.dept.isLearning },
		}},
		{role: loginSysAdmin, local: "admin", roles: []core.Role{core.RoleSysAdmin}, rules: []func(*person) bool{
			func(p *person) bool {
				return isIC(p) && p.dept != nil && p.dept.isSysTeam && strings.Contains(p.role, "Systems Administrator")
			},
			func(p *person) bool { return isIC(p) && p.dept != nil && p.dept.isSysTeam },
			func(p *person) bool { return isIC(p) && p.dept != nil && p.dept.code == "INFRA" },
			func(p *person) bool { return isIC(p) && inEngineering(p) },
			isIC,
		}},
	}
	byRole := map[string]*login{}
	for _, ch := range choices {
		who := ch.who
		for _, rule := range ch.rules {
			if who == nil {
				who = c.first(rule)
			}
		}
		if who == nil {
			return fmt.Errorf("demo: nobody fits the %s login", ch.role)
		}
		who.login = true
		who.email = ch.local + "@" + domain
		byRole[ch.role] = &login{person: who, role: ch.role, roles: ch.roles}
	}
	for _, role := range []string{loginSysAdmin, loginHRAdmin, loginLnDAdmin, loginManager, loginEmployee} {
		c.logins = append(c.logins, byRole[role])
	}
	return nil
}

func (c *company) first(ok func(*person) bool) *person {
	for _, p := range c.people {
		if ok(p) {
			return p
		}
	}
	return nil
}

// chooseLeavers marks about two percent of people as having left. Only members of teams leave,
// and only while their manager keeps at least five active reports, so nobody who left manages
// anyone and every span stays within limits.
func (c *company) chooseLeavers(rng *rand.Rand) {
	want := int(math.Round(float64(len(c.people)) * leaverShare))
	var candidates []*person
	for _, p := range c.people {
		if p.level == levelIC && p.unit.leaf && !p.login {
			candidates = append(candidates, p)
		}
	}
	rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, p := range candidates {
		if want == 0 {
			break
		}
		if p.manager.active <= minSpan {
			continue
		}
		p.manager.active--
		// Leaving dates lean towards the recent past and fall after the hire date.
		p.leftAgo = 1 + min(rng.IntN(p.hired-1), rng.IntN(p.hired-1))
		want--
	}
}

// assignNumbers numbers people in the order they were hired, as HR systems do, and gives
// everyone without a login address a first.last email, numbered when the name is taken (the
// earlier hire keeps the plain address). People stay in org-chart order: the import inserts
// them in file order, and rows that follow the tree keep its indexes close to append-only,
// which makes a large import about a quarter faster than rows in hiring order.
func (c *company) assignNumbers() {
	order := slices.Clone(c.people)
	slices.SortFunc(order, func(a, b *person) int { return cmp.Or(cmp.Compare(b.hired, a.hired), cmp.Compare(a.seq, b.seq)) })
	taken := make(map[string]int, len(order))
	// Names repeat, and folding one is costly: fold each once.
	parts := map[string]string{}
	part := func(name string) string {
		s, ok := parts[name]
		if !ok {
			s = emailPart(name)
			parts[name] = s
		}
		return s
	}
	for i, p := range order {
		p.number = fmt.Sprintf("E%06d", i+1)
		if p.login {
			continue
		}
		local := part(p.given) + "." + part(p.family)
		taken[local]++
		if n := taken[local]; n > 1 {
			local += strconv.Itoa(n)
		}
		p.email = local + "@" + domain
	}
}

// dates holds every date a demo can contain, by days before the reference date.
var dates = func() []string {
	out := make([]string, maxTenureDays+1)
	for n := range out {
		out[n] = referenceDate.AddDate(0, 0, -n).Format(core.DateLayout)
	}
	return out
}()
