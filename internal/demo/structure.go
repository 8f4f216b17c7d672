package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Span limits: every manager below the chief executive leads between minSpan and maxSpan people.
// A team is its manager and their reports, so its size is one more.
const (
	minSpan = 5
	maxSpan = 12
	minTeam = minSpan + 1
	maxTeam = maxSpan + 1
	// minGroup is the smallest unit that splits into at least minSpan teams of at least minTeam.
	minGroup = minSpan*minTeam + 1
)

// idealSizes are the sizes of subtrees with one, two, three… levels of management when every
// manager leads eight people. Units are split so their parts come close to one of them, which
// keeps teams near eight and the tree no deeper than it needs to be.
var idealSizes = []float64{9, 73, 585, 4681, 37449}

// Levels of a person in the hierarchy, which decide their role and how long they have been here.
const (
	levelIC = iota
	levelManager
	levelSenior
	levelDirector
	levelDivisionHead
	levelCEO
)

type unit struct {
	code, name, kind string
	parent           *unit
	div              *division
	dept             *department // nil for the company and its divisions
	head             *person     // nil for a unit whose people report to the parent's head
	loc              int
	// leaf is true when the unit's people are its head and individual contributors only.
	leaf bool
}

type person struct {
	seq         int // order of planning, which breaks ties between equal hire dates
	unit        *unit
	manager     *person
	dept        *department // whose job roles apply; nil for executives
	role, title string
	level       int
	reports     int // direct reports
	active      int // direct reports who have not left
	login       bool

	given, family, email, number string
	loc                          int
	// hired and leftAgo count days before the reference date; leftAgo is 0 for active people.
	hired, leftAgo int
}

// planStructure lays out the org-unit tree and the reporting tree for n people, and gives every
// person a unit, a manager and a job role.
func (c *company) planStructure(n int, rng *rand.Rand) {
	root := c.addUnit(companyCode, companyName, "company", nil)
	root.loc = hq
	ceo := c.addPerson(root, nil, nil)
	root.head = ceo
	ceo.role, ceo.title, ceo.level = ceoRole, ceoRole, levelCEO
	for i, b := range divisionBudgets(n - 1) {
		if b == 0 {
			continue
		}
		div := &divisions[i]
		u := c.addUnit(div.code, div.name, "division", root)
		u.div = div
		u.loc = hq
		if rng.IntN(3) == 0 {
			u.loc = pickWeighted(rng, div.where)
		}
		c.staffDivision(u, b, ceo, rng)
	}
}

// divisionBudgets shares r people among the divisions by weight, taking as many divisions (in
// order of priority) as can each have a head and a full team. Below that, the company is
// Engineering and a People division of at least two. A larger company never has fewer
// divisions than a smaller one.
func divisionBudgets(r int) []int {
	out := make([]int, len(divisions))
	for d := len(divisions); d >= 2; d-- {
		w := make([]float64, d)
		var sum, least float64 = 0, 1
		for i := range w {
			w[i] = divisions[i].weight
			sum, least = sum+w[i], min(least, w[i])
		}
		if float64(r)*least/sum >= minTeam {
			copy(out, apportion(r, w))
			return out
		}
	}
	people := max(2, int(math.Round(float64(r)*divisions[1].weight/(divisions[0].weight+divisions[1].weight))))
	out[0], out[1] = r-people, people
	return out
}

// apportion splits total into parts proportional to weights by the largest-remainder method.
//
// Planning uses floating point only in single, correctly rounded operations (no math.Log or
// math.Pow, and explicit conversions where a compiler could fuse a multiply and an add), so a
// seed gives the same organization on every architecture.
func apportion(total int, weights []float64) []int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	rem := make([]float64, len(weights))
	left := total
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int(exact)
		rem[i] = exact - float64(out[i])
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// staffDivision fills division u with h people: its head and, depending on size, a single team,
// a few staff and departments, or departments only.
func (c *company) staffDivision(u *unit, h int, manager *person, rng *rand.Rand) {
	div := u.div
	head := c.addPerson(u, manager, nil)
	head.role, head.title, head.level = div.head, div.head, levelDivisionHead
	u.head = head
	r := h - 1
	deptWeight := func(from int) func(int) int {
		return func(i int) int {
			if i < from {
				return 0
			}
			return int(div.departments[i].weight * 100)
		}
	}
	if r <= maxSpan {
		u.leaf = true
		for range r {
			d := &div.departments[pickFunc(rng, len(div.departments), deptWeight(0))]
			c.addIC(u, head, d, rng)
		}
		c.keepLearningUnit(u)
		return
	}
	var budgets []int
	staff := 0
	if r < minGroup-1 {
		staff, budgets = staffAndTeams(r, rng)
	} else {
		// As many departments as can have about nine people each, the largest first.
		k := min(max(r/9, minSpan), len(div.departments))
		w := make([]float64, k)
		for i := range w {
			w[i] = div.departments[i].weight * (0.8 + float64(0.4*rng.Float64()))
		}
		budgets = apportion(r-k*minTeam, w)
		for i := range budgets {
			budgets[i] += minTeam
		}
	}
	for i, b := range budgets {
		d := &div.departments[i]
		child := c.addUnit(div.code+"-"+d.code, d.name, "department", u)
		child.div, child.dept = div, d
		child.loc = c.childLocation(u, child, rng)
		c.staffUnit(child, b, head, rng)
	}
	// Staff come from the departments the division is too small to have.
	from := len(budgets)
	if from >= len(div.departments) {
		from = 0
	}
	for range staff {
		c.addIC(u, head, &div.departments[pickFunc(rng, len(div.departments), deptWeight(from))], rng)
	}
}

// keepLearningUnit gives a People division too small for departments its Learning &
// Development unit all the same: the demo's L&D administrator works there.
func (c *company) keepLearningUnit(u *unit) {
	var lnd *department
	for i := range u.div.departments {
		if u.div.departments[i].isLearning {
			lnd = &u.div.departments[i]
		}
	}
	if lnd == nil {
		return
	}
	child := c.addUnit(u.div.code+"-"+lnd.code, lnd.name, "department", u)
	child.div, child.dept, child.loc = u.div, lnd, u.loc
	var members []*person
	for _, p := range c.people {
		if p.unit == u && p.level == levelIC {
			members = append(members, p)
		}
	}
	moved := false
	for _, p := range members {
		if p.dept == lnd {
			p.unit, moved = child, true
		}
	}
	if !moved && len(members) > 0 {
		p := members[len(members)-1]
		p.unit, p.dept = child, lnd
		p.role = lnd.members[0].role
		p.title = p.role
	}
}

// staffUnit fills a department, group or team u with h people, head first.
func (c *company) staffUnit(u *unit, h int, manager *person, rng *rand.Rand) {
	head := c.addPerson(u, manager, u.dept)
	u.head = head
	r := h - 1
	if r <= maxSpan {
		u.leaf = true
		head.level, head.role = levelManager, u.dept.manager
		head.title = head.role + ", " + u.name
		for range r {
			c.addIC(u, head, u.dept, rng)
		}
		return
	}
	head.level, head.role = levelSenior, u.dept.senior
	if u.parent.dept == nil {
		head.level, head.role = levelDirector, u.dept.director
	}
	head.title = head.role + ", " + u.name
	var budgets []int
	staff := 0
	if r < minGroup-1 {
		staff, budgets = staffAndTeams(r, rng)
	} else {
		budgets = splitUnit(r, rng)
	}
	for i, b := range budgets {
		kind := "team"
		if b > maxTeam {
			kind = "department"
		}
		child := c.addUnit(fmt.Sprintf("%s-%02d", u.code, i+1), c.childName(u, i), kind, u)
		child.div, child.dept = u.div, u.dept
		child.loc = c.childLocation(u, child, rng)
		c.staffUnit(child, b, head, rng)
	}
	for range staff {
		c.addIC(u, head, u.dept, rng)
	}
}

// staffAndTeams splits r people, too few for five teams, into individual contributors reporting
// to the head directly and one or two teams, so that the head still leads five to twelve.
func staffAndTeams(r int, rng *rand.Rand) (int, []int) {
	teams, lo, hi := 1, max(minSpan-1, r-maxTeam), min(maxSpan-1, r-minTeam)
	// One team and staff can hold up to 24 people, two teams from 15; switching at 21 keeps
	// both the staff and the teams of middling size.
	if r > 20 {
		teams, lo, hi = 2, max(minSpan-2, r-2*maxTeam), min(maxSpan-2, r-2*minTeam)
	}
	// Most people work in teams, so the head's own staff stay at the small end.
	staff := lo + rng.IntN((hi-lo)/2+1)
	rest := r - staff
	if teams == 1 {
		return staff, []int{rest}
	}
	return staff, []int{rest / 2, rest - rest/2}
}

// splitUnit splits r ≥ 30 people into five to twelve parts, each either a team or a unit big
// enough for five teams, choosing the number of parts that brings them closest to an ideal size.
func splitUnit(r int, rng *rand.Rand) []int {
	type option struct {
		k     int
		score float64
	}
	var opts []option
	best := math.Inf(1)
	for k := minSpan; k <= maxSpan; k++ {
		lo, hi := r/k, (r+k-1)/k
		if lo < minTeam || (hi > maxTeam && lo < minGroup) {
			continue
		}
		// The score is how many times larger or smaller than the nearest ideal the parts are.
		size := float64(r) / float64(k)
		score := math.Inf(1)
		for _, ideal := range idealSizes {
			score = min(score, max(size/ideal, ideal/size))
		}
		opts = append(opts, option{k, score})
		best = min(best, score)
	}
	// Near-ties are broken by chance, so one seed's units are not all shaped alike.
	var near []int
	for _, o := range opts {
		if o.score <= best*1.16 {
			near = append(near, o.k)
		}
	}
	k := near[rng.IntN(len(near))]
	if (r+k-1)/k <= maxTeam {
		parts := make([]int, k)
		for i := range parts {
			parts[i] = r / k
			if i < r%k {
				parts[i]++
			}
		}
		// Swap people between teams so that sizes vary within the limits.
		for range 2 * k {
			a, b := rng.IntN(k), rng.IntN(k)
			if a != b && parts[a] > minTeam && parts[b] < maxTeam {
				parts[a]--
				parts[b]++
			}
		}
		return parts
	}
	w := make([]float64, k)
	for i := range w {
		w[i] = 0.75 + float64(0.5*rng.Float64())
	}
	parts := apportion(r-k*minGroup, w)
	for i := range parts {
		parts[i] += minGroup
	}
	return parts
}

// childName names the i-th unit below u: a department's groups and teams take names from the
// department's areas; below those, units are numbered.
func (c *company) childName(u *unit, i int) string {
	if u.parent.dept == nil {
		if i < len(u.dept.areas) {
			return u.dept.areas[i]
		}
		return fmt.Sprintf("%s %d", u.name, i+1)
	}
	if u.kind == "department" && u.parent.parent.dept == nil {
		return fmt.Sprintf("%s %d", u.name, i+1)
	}
	return fmt.Sprintf("%s.%d", u.name, i+1)
}

// childLocation is where child, a new unit below u, is based. A department is placed by its own
// weights (its division head sits at headquarters, but its people need not); a group or team
// is mostly where its parent is.
func (c *company) childLocation(u, child *unit, rng *rand.Rand) int {
	if u.kind != "division" && rng.IntN(10) < 6 {
		return u.loc
	}
	return pickWeighted(rng, child.where())
}

// where returns the location weights of the unit's people.
func (u *unit) where() []int {
	if u.dept != nil && u.dept.where != nil {
		return u.dept.where
	}
	if u.div != nil {
		return u.div.where
	}
	return []int{hq: 1}
}

func (c *company) addUnit(code, name, kind string, parent *unit) *unit {
	u := &unit{code: code, name: name, kind: kind, parent: parent}
	if parent != nil {
		u.div = parent.div
	}
	c.units = append(c.units, u)
	return u
}

func (c *company) addPerson(u *unit, manager *person, dept *department) *person {
	p := &person{seq: len(c.people), unit: u, manager: manager, dept: dept}
	if manager != nil {
		manager.reports++
		manager.active++
	}
	c.people = append(c.people, p)
	return p
}

// addIC adds an individual contributor in u with one of the department's job roles.
func (c *company) addIC(u *unit, manager *person, d *department, rng *rand.Rand) *person {
	p := c.addPerson(u, manager, d)
	rs := d.members[pickFunc(rng, len(d.members), func(i int) int { return d.members[i].weight })]
	p.role, p.title = rs.role, rs.role
	if len(rs.specialisms) > 0 && rng.IntN(2) == 0 {
		p.title += ", " + rs.specialisms[rng.IntN(len(rs.specialisms))]
	}
	return p
}

// pickWeighted returns an index of weights chosen with probability proportional to its weight.
func pickWeighted(rng *rand.Rand, weights []int) int {
	return pickFunc(rng, len(weights), func(i int) int { return weights[i] })
}

func pickFunc(rng *rand.Rand, n int, weight func(int) int) int {
	total := 0
	for i := range n {
		total += weight(i)
	}
	x := rng.IntN(total)
	for i := range n {
		if x -= weight(i); x < 0 {
			return i
		}
	}
	return n - 1
}
