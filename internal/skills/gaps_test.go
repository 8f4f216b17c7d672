package skills_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// gapShape sizes a generated organization for the gap ranking's tests and benchmarks.
type gapShape struct {
	People       int
	Divisions    int // each with Departments departments of Teams teams
	Departments  int
	Teams        int
	RolesPerDiv  int // job roles of a division; its teams use TeamRoles of them
	TeamRoles    int
	Skills       int
	Categories   int // top-level categories, each with 4 below it
	ReqsPerRole  int
	Locations    int
	SecondRating float64 // chance of a second rating of a skill, besides the first (95%)
	Seed         uint64
}

// genUnit, genPerson and genReq are the generated rows the tests read back.
type genUnit struct {
	id, kind, parent, path string
	div                    int // index of its division, -1 for none
}

type genPerson struct {
	id, unit, role, location string
	left                     bool
}

type genReq struct {
	role, skill string
	level       int
	criticality string
}

// genOrg is a generated organization, written straight into the tables.
type genOrg struct {
	units      []genUnit
	roles      []string
	divRoles   [][]string // roles of each division
	skills     []string
	categories []string
	people     []genPerson
	reqs       []genReq
	ratings    int
	levels     int
}

// generateOrg writes an organization of the given shape into d with multi-row inserts, as an
// import would, deriving each current level from the ratings with skills.Derive (what the
// bulk recompute stores).
func generateOrg(tb testing.TB, d *db.DB, sh gapShape, now time.Time) *genOrg {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(sh.Seed, 7))
	g := &genOrg{}
	insert := func(table string, cols []string, rows [][]any) {
		tb.Helper()
		for start := 0; start < len(rows); start += 100_000 {
			chunk := rows[start:min(start+100_000, len(rows))]
			if err := d.WithTx(ctx, func(tx *db.Tx) error { return db.InsertMany(ctx, tx, table, cols, chunk) }); err != nil {
				tb.Fatal(err)
			}
		}
	}

	// Units: company → divisions → departments → teams.
	var unitRows [][]any
	addUnit := func(kind, parent, parentPath string, div int) genUnit {
		id := core.NewID()
		u := genUnit{id: id, kind: kind, parent: parent, path: parentPath + id + "/", div: div}
		var p any
		if parent != "" {
			p = parent
		}
		unitRows = append(unitRows, []any{id, fmt.Sprintf("U%d", len(unitRows)), fmt.Sprintf("%s %d", kind, len(unitRows)), kind, p, u.path, now, now})
		g.units = append(g.units, u)
		return u
	}
	company := addUnit("company", "", "/", -1)
	var teams []genUnit
	var heads []genUnit // divisions and departments, where a few people sit
	for dv := range sh.Divisions {
		div := addUnit("division", company.id, company.path, dv)
		heads = append(heads, div)
		for range sh.Departments {
			dep := addUnit("department", div.id, div.path, dv)
			heads = append(heads, dep)
			for range sh.Teams {
				teams = append(teams, addUnit("team", dep.id, dep.path, dv))
			}
		}
	}
	insert("org_units", []string{"id", "code", "name", "kind", "parent_id", "path", "created_at", "updated_at"}, unitRows)

	// Roles: each division has its own.
	var roleRows [][]any
	g.divRoles = make([][]string, sh.Divisions)
	for dv := range sh.Divisions {
		for range sh.RolesPerDiv {
			id := core.NewID()
			g.roles = append(g.roles, id)
			g.divRoles[dv] = append(g.divRoles[dv], id)
			roleRows = append(roleRows, []any{id, fmt.Sprintf("Role %d", len(roleRows)), "", now, now})
		}
	}
	insert("job_roles", []string{"id", "name", "description", "created_at", "updated_at"}, roleRows)

	// Categories and skills.
	var catRows, skillRows [][]any
	var leaves []string
	for c := range sh.Categories {
		top := core.NewID()
		g.categories = append(g.categories, top)
		catRows = append(catRows, []any{top, fmt.Sprintf("Category %d", c), nil, "/" + top + "/", now, now})
		for k := range 4 {
			id := core.NewID()
			g.categories = append(g.categories, id)
			leaves = append(leaves, id)
			catRows = append(catRows, []any{id, fmt.Sprintf("Category %d.%d", c, k), top, "/" + top + "/" + id + "/", now, now})
		}
	}
	insert("skill_categories", []string{"id", "name", "parent_id", "path", "created_at", "updated_at"}, catRows)
	for i := range sh.Skills {
		id := core.NewID()
		g.skills = append(g.skills, id)
		skillRows = append(skillRows, []any{id, leaves[i%len(leaves)], fmt.Sprintf("Skill %d", i), "", "technical", "", nil, now, now})
	}
	insert("skills", []string{"id", "category_id", "name", "description", "type", "aliases", "retired_at", "created_at", "updated_at"}, skillRows)

	// Requirements: most from the division's own pool of skills, some from a shared pool.
	pool := max(sh.Skills/(sh.Divisions+1), sh.ReqsPerRole)
	byRole := map[string][]genReq{}
	var reqRows [][]any
	for dv, roles := range g.divRoles {
		for _, role := range roles {
			seen := map[string]bool{}
			for len(seen) < min(sh.ReqsPerRole, sh.Skills) {
				var sk string
				if r.Float64() < 0.7 {
					sk = g.skills[(dv*pool+r.IntN(pool))%sh.Skills]
				} else {
					sk = g.skills[(sh.Divisions*pool+r.IntN(pool))%sh.Skills]
				}
				if seen[sk] {
					continue
				}
				seen[sk] = true
				crit := []string{"critical", "important", "important", "useful", "useful"}[r.IntN(5)]
				q := genReq{role: role, skill: sk, level: 2 + r.IntN(4), criticality: crit}
				byRole[role] = append(byRole[role], q)
				g.reqs = append(g.reqs, q)
				reqRows = append(reqRows, []any{role, sk, q.level, crit, now})
			}
		}
	}
	insert("role_requirements", []string{"job_role_id", "skill_id", "level", "criticality", "updated_at"}, reqRows)

	// Teams use a few roles of their division and sit in one or two locations.
	teamRoles := make([][]string, len(teams))
	teamLocs := make([][2]string, len(teams))
	for i, t := range teams {
		roles := g.divRoles[t.div]
		for range sh.TeamRoles {
			teamRoles[i] = append(teamRoles[i], roles[r.IntN(len(roles))])
		}
		teamLocs[i] = [2]string{fmt.Sprintf("City %d", r.IntN(sh.Locations)), fmt.Sprintf("City %d", r.IntN(sh.Locations))}
	}
	var personRows [][]any
	for i := range sh.People {
		p := genPerson{id: core.NewID(), left: r.Float64() < 0.02}
		switch x := r.Float64(); {
		case x < 0.001:
			// No unit at all, any role.
			p.role, p.location = g.roles[r.IntN(len(g.roles))], ""
		case x < 0.004:
			p.unit, p.role, p.location = company.id, g.roles[r.IntN(len(g.roles))], "City 0"
		case x < 0.02:
			h := heads[r.IntN(len(heads))]
			p.unit, p.role, p.location = h.id, g.divRoles[h.div][r.IntN(len(g.divRoles[h.div]))], "City 1"
		default:
			t := r.IntN(len(teams))
			p.unit, p.role = teams[t].id, teamRoles[t][r.IntN(len(teamRoles[t]))]
			p.location = teamLocs[t][0]
			if r.Float64() < 0.15 {
				p.location = teamLocs[t][1]
			}
		}
		if r.Float64() < 0.01 {
			p.role = "" // no job role yet
		}
		g.people = append(g.people, p)
		status, left := "active", any(nil)
		if p.left {
			status, left = "left", "2026-01-31"
		}
		var unit, role any
		if p.unit != "" {
			unit = p.unit
		}
		if p.role != "" {
			role = p.role
		}
		name := fmt.Sprintf("person %d", i)
		personRows = append(personRows, []any{p.id, fmt.Sprintf("E%d", i), "Given", name, fmt.Sprintf("p%d@example.com", i), "", role, unit, nil,
			p.location, "", nil, status, left, "/" + p.id + "/", name, name, now, now})
	}
	insert("people", []string{"id", "employee_number", "given_name", "family_name", "email", "job_title", "job_role_id", "org_unit_id", "manager_id",
		"location", "time_zone", "hire_date", "status", "left_on", "reports_path", "sort_name", "search_text", "created_at", "updated_at"}, personRows)

	// Ratings, mostly in the skills a person's role requires, and their current levels.
	var ratingRows, levelRows [][]any
	flush := func() {
		insert("skill_ratings", []string{"id", "person_id", "skill_id", "level", "source", "rater_person_id", "rated_at", "note", "evidence_url", "created_at"}, ratingRows)
		insert("skill_levels", []string{"person_id", "skill_id", "level", "confidence", "self_level", "manager_level", "ratings", "last_evidence_at", "computed_at"}, levelRows)
		g.ratings += len(ratingRows)
		g.levels += len(levelRows)
		ratingRows, levelRows = ratingRows[:0], levelRows[:0]
	}
	sources := []string{skills.SourceSelf, skills.SourceManager, skills.SourceTest, skills.SourcePeer}
	for _, p := range g.people {
		ev := map[string][]skills.Evidence{}
		var order []string
		rate := func(sk string, around int) {
			n := 0
			if r.Float64() < 0.95 {
				n++
			}
			if r.Float64() < sh.SecondRating {
				n++
			}
			for range n {
				lvl := min(max(around+r.IntN(3)-1, 0), 5)
				e := skills.Evidence{Level: lvl, Source: sources[r.IntN(len(sources))], At: now.Add(-time.Duration(r.IntN(700*24)) * time.Hour)}
				if _, ok := ev[sk]; !ok {
					order = append(order, sk)
				}
				ev[sk] = append(ev[sk], e)
				ratingRows = append(ratingRows, []any{core.NewID(), p.id, sk, e.Level, e.Source, nil, e.At, "", "", now})
			}
		}
		for _, q := range byRole[p.role] {
			rate(q.skill, q.level-1+r.IntN(2))
		}
		for range 2 {
			rate(g.skills[r.IntN(len(g.skills))], r.IntN(5))
		}
		for _, sk := range order {
			c, ok := skills.Derive(ev[sk], now)
			if ok {
				levelRows = append(levelRows, []any{p.id, sk, c.Level, c.Confidence, c.SelfLevel, c.ManagerLevel, c.Ratings, c.LastEvidence, now})
			}
		}
		if len(ratingRows) > 200_000 {
			flush()
		}
	}
	flush()
	return g
}

// smallShape is a random organization small enough to recount by hand after every change.
var smallShape = gapShape{People: 400, Divisions: 3, Departments: 2, Teams: 3, RolesPerDiv: 6, TeamRoles: 3,
	Skills: 60, Categories: 2, ReqsPerRole: 6, Locations: 3, SecondRating: 0.45, Seed: 3}

// refRanking computes the ranking the plain way: every active person with a role, every
// requirement of the role, their level (0 without one), the gap, grouped and summed in Go. It
// reads the source tables directly and finds divisions by walking parent links, not paths.
func refRanking(t *testing.T, d *db.DB, f skills.GapFilter) []*skills.GapRow {
	t.Helper()
	q := d.Reader()
	type unit struct{ parent, kind, name string }
	units := map[string]unit{}
	forRows(t, q, `SELECT id, COALESCE(parent_id, ''), kind, name FROM org_units`, func(sc func(...any)) {
		var id string
		var u unit
		sc(&id, &u.parent, &u.kind, &u.name)
		units[id] = u
	})
	division := func(id string) string {
		div := ""
		for ; id != ""; id = units[id].parent {
			if units[id].kind == "division" {
				div = id // the topmost one wins
			}
		}
		return div
	}
	inUnit := func(id string) bool {
		for ; id != ""; id = units[id].parent {
			if id == f.OrgUnitID {
				return true
			}
		}
		return false
	}
	type skill struct {
		name, category, catParent, catID string
		retired                          bool
	}
	sks := map[string]skill{}
	forRows(t, q, `SELECT s.id, s.name, COALESCE(c.name, ''), COALESCE(c.parent_id, ''), COALESCE(s.category_id, ''), s.retired_at IS NOT NULL
		FROM skills s LEFT JOIN skill_categories c ON c.id = s.category_id`, func(sc func(...any)) {
		var id string
		var k skill
		sc(&id, &k.name, &k.category, &k.catParent, &k.catID, &k.retired)
		sks[id] = k
	})
	roleNames := map[string]string{}
	forRows(t, q, `SELECT id, name FROM job_roles`, func(sc func(...any)) {
		var id, name string
		sc(&id, &name)
		roleNames[id] = name
	})
	type req struct {
		skill, crit string
		level       int
	}
	reqs := map[string][]req{}
	forRows(t, q, `SELECT job_role_id, skill_id, level, criticality FROM role_requirements`, func(sc func(...any)) {
		var role string
		var r req
		sc(&role, &r.skill, &r.level, &r.crit)
		reqs[role] = append(reqs[role], r)
	})
	levels := map[[2]string]float64{}
	forRows(t, q, `SELECT person_id, skill_id, level FROM skill_levels`, func(sc func(...any)) {
		var p, sk string
		var l float64
		sc(&p, &sk, &l)
		levels[[2]string{p, sk}] = l
	})
	rank := map[string]int{"critical": 3, "important": 2, "useful": 1}
	type acc struct {
		required, short int
		tenths          int64
		weighted        float64
		crit            int
	}
	groups := map[[2]string]*acc{}
	forRows(t, q, `SELECT id, COALESCE(org_unit_id, ''), job_role_id, location FROM people WHERE status = 'active' AND job_role_id IS NOT NULL`, func(sc func(...any)) {
		var id, unitID, role, loc string
		sc(&id, &unitID, &role, &loc)
		if f.OrgUnitID != "" && !inUnit(unitID) {
			return
		}
		var group string
		switch f.GroupBy {
		case skills.GroupByDivision, "":
			group = division(unitID)
		case skills.GroupByLocation:
			group = loc
		case skills.GroupByRole:
			group = role
		}
		for _, r := range reqs[role] {
			sk := sks[r.skill]
			if sk.retired || rank[r.crit] < rank[f.Criticality] || f.CategoryID != "" && sk.catID != f.CategoryID && sk.catParent != f.CategoryID {
				continue
			}
			a := groups[[2]string{group, r.skill}]
			if a == nil {
				a = &acc{}
				groups[[2]string{group, r.skill}] = a
			}
			a.required++
			gap := int64(math.Round((float64(r.level) - levels[[2]string{id, r.skill}]) * 10))
			if gap <= 0 {
				continue
			}
			a.short++
			a.tenths += gap
			a.weighted += skills.Weight[r.crit] * float64(gap)
			a.crit = max(a.crit, rank[r.crit])
		}
	})
	var out []*skills.GapRow
	for k, a := range groups {
		if a.short == 0 {
			continue
		}
		row := &skills.GapRow{SkillID: k[1], Skill: sks[k[1]].name, Category: sks[k[1]].category, GroupID: k[0], Required: a.required, Short: a.short,
			GapSum: float64(a.tenths) / 10, Priority: math.Round(a.weighted) / 10, Criticality: skills.Criticalities[3-a.crit]}
		row.MeanGap = math.Round(row.GapSum/float64(row.Short)*10) / 10
		switch {
		case f.GroupBy == skills.GroupByLocation && k[0] != "":
			row.Group = k[0]
		case f.GroupBy == skills.GroupByRole:
			row.Group = roleNames[k[0]]
		case k[0] != "":
			row.Group = units[k[0]].name
		case f.GroupBy == skills.GroupByLocation:
			row.Group = skills.NoLocation
		case f.GroupBy == skills.GroupByOrganization:
			row.Group = skills.WholeOrganization
		default:
			row.Group = skills.NoDivision
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b *skills.GapRow) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(b.Short, a.Short), strings.Compare(a.SkillID, b.SkillID), strings.Compare(a.GroupID, b.GroupID))
	})
	return out
}

func forRows(t *testing.T, q db.Queryer, query string, fn func(scan func(...any))) {
	t.Helper()
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(func(dest ...any) {
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// allRanking reads every page of the ranking.
func allRanking(t *testing.T, svc *skills.Service, f skills.GapFilter) []*skills.GapRow {
	t.Helper()
	var out []*skills.GapRow
	f.Limit = 37 // pages end mid-way through groups
	for f.Offset = 0; ; f.Offset += f.Limit {
		page, err := svc.GapRanking(ctx, core.System, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Rows...)
		if len(page.Rows) < f.Limit {
			if page.Total != len(out) {
				t.Fatalf("total %d, read %d rows", page.Total, len(out))
			}
			return out
		}
	}
}

// checkRanking compares the ranking with the plain recount, for each grouping and some filters.
func checkRanking(t *testing.T, d *db.DB, svc *skills.Service, g *genOrg, when string) {
	t.Helper()
	filters := []skills.GapFilter{
		{GroupBy: skills.GroupByDivision},
		{GroupBy: skills.GroupByLocation},
		{GroupBy: skills.GroupByRole},
		{GroupBy: skills.GroupByOrganization},
		{GroupBy: skills.GroupByDivision, Criticality: "important"},
		{GroupBy: skills.GroupByRole, CategoryID: g.categories[0]},
		{GroupBy: skills.GroupByLocation, CategoryID: g.categories[2], Criticality: "critical"},
		{GroupBy: skills.GroupByOrganization, OrgUnitID: g.units[1].id},
		{GroupBy: skills.GroupByDivision, OrgUnitID: g.units[2].id, Criticality: "useful"},
	}
	for _, f := range filters {
		want, got := refRanking(t, d, f), allRanking(t, svc, f)
		if len(want) == 0 {
			t.Fatalf("%s: %+v: the recount found no gaps; the test checks nothing", when, f)
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			for i := range max(len(want), len(got)) {
				if i < len(want) && i < len(got) {
					t.Logf("%d want %s %s %v %d | got %s %s %v %d", i, want[i].SkillID[28:], want[i].GroupID, want[i].Priority, want[i].Short, got[i].SkillID[28:], got[i].GroupID, got[i].Priority, got[i].Short)
				}
			}
			t.Fatalf("%s: %+v: ranking differs from the recount (-want +got):\n%s", when, f, diff)
		}
	}
}

func TestGapRankingFollowsChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		clock := &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
		orgs := org.NewService(d, clock)
		svc := skills.NewService(d, clock, orgs)
		g := generateOrg(t, d, smallShape, clock.Now())

		rep, err := svc.RefreshGapStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Full || !rep.Snapshot {
			t.Fatalf("first refresh: %+v, want a full rebuild and a snapshot", rep)
		}
		checkRanking(t, d, svc, g, "first refresh")
		if rep, err := svc.RefreshGapStats(ctx); err != nil || rep != (skills.GapRefresh{}) {
			t.Fatalf("refresh with nothing changed: %+v %v", rep, err)
		}

		r := rand.New(rand.NewPCG(5, 5))
		retired := map[string]bool{}
		skill := func() string {
			for {
				if sk := g.skills[r.IntN(len(g.skills))]; !retired[sk] {
					return sk
				}
			}
		}
		// Mostly a skill the person's role requires, where a rating moves a count.
		skillOf := func(p *org.Person) string {
			var reqs []string
			for _, q := range g.reqs {
				if q.role == p.JobRoleID && !retired[q.skill] {
					reqs = append(reqs, q.skill)
				}
			}
			if len(reqs) == 0 || r.IntN(4) == 0 {
				return skill()
			}
			return reqs[r.IntN(len(reqs))]
		}
		active := func() *org.Person {
			for {
				p, err := orgs.FindPersonByID(ctx, core.System, g.people[r.IntN(len(g.people))].id)
				if err != nil {
					t.Fatal(err)
				}
				if p.Status == org.StatusActive {
					return p
				}
			}
		}
		update := func(p *org.Person, change func(in *org.PersonInput)) {
			in := p.Input()
			change(&in)
			if _, err := orgs.UpdatePerson(ctx, core.System, p.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		teams := []genUnit{}
		for _, u := range g.units {
			if u.kind == "team" {
				teams = append(teams, u)
			}
		}
		steps := []struct {
			name string
			do   func()
		}{
			{"ratings", func() {
				for range 15 {
					p := active()
					if _, err := svc.Rate(ctx, core.System, skills.RatingInput{PersonID: p.ID, SkillID: skillOf(p), Level: r.IntN(6), Source: "manager"}); err != nil {
						t.Fatal(err)
					}
				}
			}},
			{"ratings in bulk", func() {
				var in []skills.RatingInput
				for range 60 {
					p := active()
					in = append(in, skills.RatingInput{PersonID: p.ID, SkillID: skillOf(p), Level: r.IntN(6), Source: "test"})
				}
				if _, err := svc.RecordRatings(ctx, core.System, in, "test results"); err != nil {
					t.Fatal(err)
				}
			}},
			{"people move unit, role and location", func() {
				for range 8 {
					p := active()
					update(p, func(in *org.PersonInput) { in.OrgUnitID = teams[r.IntN(len(teams))].id })
					p = active()
					update(p, func(in *org.PersonInput) { in.JobRoleID = g.roles[r.IntN(len(g.roles))] })
					p = active()
					update(p, func(in *org.PersonInput) { in.Location = fmt.Sprintf("City %d", r.IntN(smallShape.Locations+1)) })
				}
			}},
			{"people leave, lose a role, lose a unit, join", func() {
				for range 5 {
					update(active(), func(in *org.PersonInput) { in.Status = org.StatusLeft })
				}
				update(active(), func(in *org.PersonInput) { in.JobRoleID = "" })
				update(active(), func(in *org.PersonInput) { in.OrgUnitID = "" })
				for i := range 3 {
					p, err := orgs.CreatePerson(ctx, core.System, org.PersonInput{GivenName: "New", FamilyName: fmt.Sprint(i), JobRoleID: g.roles[r.IntN(len(g.roles))],
						OrgUnitID: teams[r.IntN(len(teams))].id, Location: "City 0"})
					if err != nil {
						t.Fatal(err)
					}
					g.people = append(g.people, genPerson{id: p.ID, unit: p.OrgUnitID, role: p.JobRoleID, location: p.Location})
				}
			}},
			{"someone who left comes back", func() {
				for _, p := range g.people {
					if p.left {
						back, err := orgs.FindPersonByID(ctx, core.System, p.id)
						if err != nil {
							t.Fatal(err)
						}
						update(back, func(in *org.PersonInput) { in.Status = org.StatusActive })
						break
					}
				}
			}},
			{"requirements change, appear and go", func() {
				for range 4 {
					q := g.reqs[r.IntN(len(g.reqs))]
					if err := svc.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: q.role, SkillID: q.skill, Level: 1 + r.IntN(5),
						Criticality: skills.Criticalities[r.IntN(3)]}); err != nil {
						t.Fatal(err)
					}
				}
				if err := svc.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: g.roles[0], SkillID: skill(), Level: 4,
					Criticality: "critical"}); err != nil {
					t.Fatal(err)
				}
				for range 2 {
					i := r.IntN(len(g.reqs))
					if err := svc.DeleteRequirement(ctx, core.System, g.reqs[i].role, g.reqs[i].skill); err != nil && core.ErrorCode(err) != core.ENOTFOUND {
						t.Fatal(err)
					}
					g.reqs = slices.Delete(g.reqs, i, i+1)
				}
			}},
			{"a department moves to another division", func() {
				for _, u := range g.units {
					if u.kind == "department" && u.div == 0 {
						unit, err := orgs.FindUnitByID(ctx, core.System, u.id)
						if err != nil {
							t.Fatal(err)
						}
						other := g.units[1+smallShape.Departments*(smallShape.Teams+1)+1] // the second division
						if other.kind != "division" || other.div != 1 {
							t.Fatalf("expected the second division, got %+v", other)
						}
						if _, err := orgs.UpdateUnit(ctx, core.System, u.id, org.UnitInput{Code: unit.Code, Name: unit.Name, Kind: unit.Kind, ParentID: other.id}); err != nil {
							t.Fatal(err)
						}
						return
					}
				}
			}},
			{"a skill is retired and moves category", func() {
				sk, err := svc.FindSkillByID(ctx, core.System, g.reqs[0].skill)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.UpdateSkill(ctx, core.System, sk.ID, skills.SkillInput{Name: sk.Name, CategoryID: sk.CategoryID, Type: sk.Type, Retired: true}); err != nil {
					t.Fatal(err)
				}
				retired[sk.ID] = true
				g.reqs = slices.DeleteFunc(g.reqs, func(q genReq) bool { return q.skill == sk.ID })
				sk, err = svc.FindSkillByID(ctx, core.System, g.reqs[len(g.reqs)-1].skill)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.UpdateSkill(ctx, core.System, sk.ID, skills.SkillInput{Name: sk.Name, CategoryID: g.categories[1], Type: sk.Type}); err != nil {
					t.Fatal(err)
				}
			}},
			{"levels refreshed as time passes", func() {
				clock.Advance(400 * 24 * time.Hour)
				if _, err := svc.RefreshLevels(ctx, clock.Now(), 100_000); err != nil {
					t.Fatal(err)
				}
			}},
		}
		for _, st := range steps {
			st.do()
			rep, err := svc.RefreshGapStats(ctx)
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if rep.Full {
				t.Fatalf("%s: %+v: a small change rebuilt everything", st.name, rep)
			}
			t.Logf("%s: %+v", st.name, rep)
			checkRanking(t, d, svc, g, st.name)
		}
		// Everything at once, then a rebuild gives the same answer.
		for _, st := range steps[:6] {
			st.do()
		}
		if _, err := svc.RefreshGapStats(ctx); err != nil {
			t.Fatal(err)
		}
		checkRanking(t, d, svc, g, "all changes together")
		before := allRanking(t, svc, skills.GapFilter{GroupBy: skills.GroupByRole})
		if rep, err := svc.RebuildGapStats(ctx); err != nil || !rep.Full {
			t.Fatalf("rebuild: %+v %v", rep, err)
		}
		if diff := gocmp.Diff(before, allRanking(t, svc, skills.GapFilter{GroupBy: skills.GroupByRole})); diff != "" {
			t.Fatalf("rebuild differs from the incremental refreshes (-incremental +rebuild):\n%s", diff)
		}
	})
}

func TestGapRankingPermissionsAndInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.svc.RefreshGapStats(ctx); err != nil {
			t.Fatal(err)
		}
		hr := f.actor(t, "E5", core.RoleHRAdmin)
		for _, tt := range []struct {
			name  string
			actor *core.Actor
			f     skills.GapFilter
			code  string
		}{
			{"HR admin", hr, skills.GapFilter{}, ""},
			{"L&D admin", f.actor(t, "E3", core.RoleLnDAdmin), skills.GapFilter{GroupBy: skills.GroupByRole}, ""},
			{"system admin", f.actor(t, "E3", core.RoleSysAdmin), skills.GapFilter{GroupBy: skills.GroupByLocation}, ""},
			{"employee", f.actor(t, "E3"), skills.GapFilter{}, core.EFORBIDDEN},
			{"manager of everyone but not an admin", f.actor(t, "E1"), skills.GapFilter{}, core.EFORBIDDEN},
			{"HR admin's token without people:read", &core.Actor{PersonID: f.ids["E5"], Roles: []core.Role{core.RoleHRAdmin}, Scopes: []core.Permission{core.PermSkillsRead}},
				skills.GapFilter{}, core.EFORBIDDEN},
			{"unknown grouping", hr, skills.GapFilter{GroupBy: "team"}, core.EINVALID},
			{"unknown criticality", hr, skills.GapFilter{Criticality: "vital"}, core.EINVALID},
			{"unknown category", hr, skills.GapFilter{CategoryID: core.NewID()}, core.EINVALID},
			{"unknown unit", hr, skills.GapFilter{OrgUnitID: "nope"}, core.EINVALID},
		} {
			_, err := f.svc.GapRanking(ctx, tt.actor, tt.f)
			if core.ErrorCode(err) != tt.code {
				t.Errorf("%s: got %v, want code %q", tt.name, err, tt.code)
			}
			_, err = f.svc.GapTrend(ctx, tt.actor, skills.GapTrendFilter{})
			if want := tt.code; (want == core.EFORBIDDEN) != (core.ErrorCode(err) == core.EFORBIDDEN) {
				t.Errorf("%s: trend: got %v", tt.name, err)
			}
		}
	})
}

// TestGapRankingByHand checks the fixture's numbers worked out on paper, and the history.
func TestGapRankingByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rk, err := f.svc.GapRanking(ctx, core.System, skills.GapFilter{})
		if err != nil || !rk.AsOf.IsZero() || len(rk.Rows) != 0 {
			t.Fatalf("before any refresh: %+v %v, want no rows and no time", rk, err)
		}
		// Alan and José are Software Engineers (Go 4 critical, SQL 3 important, Writing 2
		// useful) in ENG, a team outside any division. Alan has Go 2 and SQL 3 (a manager's
		// ratings); José has nothing.
		for _, r := range []skills.RatingInput{
			{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 2, Source: "manager"},
			{PersonID: f.ids["E3"], SkillID: f.skills["SQL"], Level: 3, Source: "manager"},
		} {
			if _, err := f.svc.Rate(ctx, core.System, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.RefreshGapStats(ctx); err != nil {
			t.Fatal(err)
		}
		rk, err = f.svc.GapRanking(ctx, core.System, skills.GapFilter{GroupBy: skills.GroupByOrganization})
		if err != nil {
			t.Fatal(err)
		}
		want := []*skills.GapRow{
			// Go: gaps 2 and 4, × 3 = 18.
			{SkillID: f.skills["Go"], Skill: "Go", Category: "Engineering", Group: skills.WholeOrganization, Required: 2, Short: 2, GapSum: 6, MeanGap: 3, Priority: 18, Criticality: "critical"},
			// SQL: only José, 3 × 2 = 6.
			{SkillID: f.skills["SQL"], Skill: "SQL", Category: "Engineering", Group: skills.WholeOrganization, Required: 2, Short: 1, GapSum: 3, MeanGap: 3, Priority: 6, Criticality: "important"},
			// Writing: both, 2 + 2.
			{SkillID: f.skills["Writing"], Skill: "Writing", Category: "Engineering", Group: skills.WholeOrganization, Required: 2, Short: 2, GapSum: 4, MeanGap: 2, Priority: 4, Criticality: "useful"},
		}
		if diff := gocmp.Diff(want, rk.Rows); diff != "" || rk.Total != 3 || !rk.AsOf.Equal(f.clock.Now()) {
			t.Fatalf("total %d, as of %s; rows (-want +got):\n%s", rk.Total, rk.AsOf, diff)
		}
		// The export holds every row, whatever the page asked for.
		var csvOut bytes.Buffer
		if n, err := f.svc.ExportGaps(ctx, core.System, skills.GapFilter{GroupBy: skills.GroupByOrganization, Limit: 1, Offset: 2}, "csv", &csvOut); err != nil || n != 3 {
			t.Fatalf("export: %d rows, %v", n, err)
		}
		wantCSV := "Rank,Skill,Category,Group,Criticality,People required,People short,Levels missing,Mean gap,Priority\n" +
			"1,Go,Engineering,(whole organization),critical,2,2,6,3,18\n" +
			"2,SQL,Engineering,(whole organization),important,2,1,3,3,6\n" +
			"3,Writing,Engineering,(whole organization),useful,2,2,4,2,4\n"
		if csvOut.String() != wantCSV {
			t.Fatalf("CSV export:\n%s\nwant:\n%s", csvOut.String(), wantCSV)
		}
		var jsonOut bytes.Buffer
		var back skills.GapRanking
		if n, err := f.svc.ExportGaps(ctx, core.System, skills.GapFilter{GroupBy: skills.GroupByOrganization}, "json", &jsonOut); err != nil || n != 3 {
			t.Fatalf("JSON export: %d rows, %v", n, err)
		} else if err := json.Unmarshal(jsonOut.Bytes(), &back); err != nil || gocmp.Diff(want, back.Rows) != "" {
			t.Fatalf("JSON export: %v\n%s", err, jsonOut.String())
		}
		if _, err := f.svc.ExportGaps(ctx, core.System, skills.GapFilter{}, "xlsx", io.Discard); core.ErrorCode(err) != core.EINVALID {
			t.Fatalf("export as xlsx: %v, want invalid format", err)
		}
		if _, err := f.svc.ExportGaps(ctx, f.actor(t, "E1"), skills.GapFilter{}, "csv", io.Discard); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Fatalf("export by a manager: %v, want forbidden", err)
		}
		rk, err = f.svc.GapRanking(ctx, core.System, skills.GapFilter{Criticality: "important", Limit: 1, Offset: 1})
		if err != nil || rk.Total != 2 || len(rk.Rows) != 1 || rk.Rows[0].Skill != "SQL" || rk.Rows[0].Group != skills.NoDivision {
			t.Fatalf("second page of important gaps by division: %+v %v", rk, err)
		}
		if rk, err := f.svc.GapRanking(ctx, core.System, skills.GapFilter{Offset: 10}); err != nil || rk.Total != 3 || len(rk.Rows) != 0 {
			t.Fatalf("past the end: %+v %v", rk, err)
		}
		if rk, err := f.svc.GapRanking(ctx, core.System, skills.GapFilter{GroupBy: skills.GroupByLocation}); err != nil || rk.Rows[0].Group != skills.NoLocation {
			t.Fatalf("by location: %+v %v", rk, err)
		}

		// The next day Alan reaches Go 4: his Go gap closes. One snapshot a day.
		f.clock.Advance(24 * time.Hour)
		if _, err := f.svc.Rate(ctx, core.System, skills.RatingInput{PersonID: f.ids["E3"], SkillID: f.skills["Go"], Level: 4, Source: "manager"}); err != nil {
			t.Fatal(err)
		}
		for i, snap := range []bool{true, false} {
			if rep, err := f.svc.RefreshGapStats(ctx); err != nil || rep.Snapshot != snap || rep.Full {
				t.Fatalf("refresh %d on day 2: %+v %v", i, rep, err)
			}
		}
		day1, day2 := core.DateOf(f.clock.Now().Add(-24*time.Hour)), core.DateOf(f.clock.Now())
		goTrend, err := f.svc.GapTrend(ctx, core.System, skills.GapTrendFilter{SkillID: f.skills["Go"]})
		if err != nil {
			t.Fatal(err)
		}
		wantGo := []skills.GapTrendPoint{
			{Day: day1, Required: 2, Short: 2, GapSum: 6, MeanGap: 3, Priority: 18},
			{Day: day2, Required: 2, Short: 1, GapSum: 4, MeanGap: 4, Priority: 12},
		}
		if diff := gocmp.Diff(wantGo, goTrend); diff != "" {
			t.Fatalf("Go trend (-want +got):\n%s", diff)
		}
		none := ""
		all, err := f.svc.GapTrend(ctx, core.System, skills.GapTrendFilter{DivisionID: &none, From: day2})
		wantAll := []skills.GapTrendPoint{{Day: day2, Required: 6, Short: 4, GapSum: 11, MeanGap: 2.8, Priority: 22}}
		if diff := gocmp.Diff(wantAll, all); err != nil || diff != "" {
			t.Fatalf("all skills outside any division from day 2 (-want +got): %v\n%s", err, diff)
		}
		if other, err := f.svc.GapTrend(ctx, core.System, skills.GapTrendFilter{DivisionID: new(string(core.NewID()))}); err != nil || len(other) != 0 {
			t.Fatalf("a division without history: %+v %v", other, err)
		}
	})
}

// TestGapRefreshConcurrent runs refreshes from several goroutines (instances) while ratings
// arrive: every change must be counted exactly once, whoever's refresh consumes it.
func TestGapRefreshConcurrent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		clock := &core.FixedClock{T: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
		svc := skills.NewService(d, clock, org.NewService(d, clock))
		g := generateOrg(t, d, smallShape, clock.Now())
		if _, err := svc.RefreshGapStats(ctx); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		stop := make(chan struct{})
		for i := range 3 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(i), 1))
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					q := g.reqs[r.IntN(len(g.reqs))]
					var in []skills.RatingInput
					// Each writer rates its own people: concurrent bulk recomputes of one person
					// conflict in bulk.go (its delete-then-insert), which is not what this tests.
					for j, p := range g.people {
						if j%3 == i && p.role == q.role && !p.left && len(in) < 3 {
							in = append(in, skills.RatingInput{PersonID: p.id, SkillID: q.skill, Level: r.IntN(6), Source: "test"})
						}
					}
					if _, err := svc.RecordRatings(ctx, core.System, in, "concurrent"); err != nil && len(in) > 0 {
						errs <- err
						return
					}
				}
			})
		}
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := svc.RefreshGapStats(ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		time.Sleep(500 * time.Millisecond)
		close(stop)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if _, err := svc.RefreshGapStats(ctx); err != nil {
			t.Fatal(err)
		}
		checkRanking(t, d, svc, g, "after concurrent refreshes")
	})
}
