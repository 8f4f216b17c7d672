package demo_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

func buildSkills(t *testing.T, n int, seed uint64, o demo.SkillOptions) *demo.Data {
	t.Helper()
	d, err := demo.Build(demo.Options{People: n, Seed: seed, Skills: o})
	if err != nil {
		t.Fatalf("build %d people with skills %+v: %v", n, o, err)
	}
	return d
}

func TestSkillsAreDeterministicAndLeaveTheOrganizationAlone(t *testing.T) {
	t.Parallel()
	a, b := buildSkills(t, 2000, 7, demo.SkillOptions{}), buildSkills(t, 2000, 7, demo.SkillOptions{})
	ra, rb := slices.Collect(a.Ratings()), slices.Collect(b.Ratings())
	if len(ra) == 0 || !slices.EqualFunc(ra, rb, sameRating) || !slices.Equal(a.Requirements, b.Requirements) ||
		!slices.Equal(a.Coverage, b.Coverage) || !slices.Equal(a.Categories, b.Categories) || len(a.Skills) != len(b.Skills) {
		t.Error("the same seed gave different skills")
	}
	if c := buildSkills(t, 2000, 8, demo.SkillOptions{}); slices.EqualFunc(ra[:100], slices.Collect(c.Ratings())[:100], sameRating) {
		t.Error("another seed gave the same ratings")
	}
	// The skills step draws from its own stream: with or without it, at any size, the
	// organization is the same.
	for _, o := range []demo.SkillOptions{{Off: true}, demo.BenchmarkSkills} {
		c := buildSkills(t, 2000, 7, o)
		if !bytes.Equal(a.PeopleCSV, c.PeopleCSV) || !bytes.Equal(a.UnitsCSV, c.UnitsCSV) || !sameLogins(a.Logins, c.Logins) {
			t.Errorf("skills %+v changed the organization", o)
		}
		if o.Off && (len(c.Skills) != 0 || len(c.Requirements) != 0 || c.RatingCount() != 0) {
			t.Errorf("skills off gave %d skills, %d requirements, %d ratings", len(c.Skills), len(c.Requirements), c.RatingCount())
		}
	}
}

func sameRating(a, b demo.Rating) bool {
	return a.Person == b.Person && a.Skill == b.Skill && a.Level == b.Level && a.Source == b.Source && a.Rater == b.Rater && a.RatedAt.Equal(b.RatedAt)
}

func TestSkillOptions(t *testing.T) {
	t.Parallel()
	d := buildSkills(t, 300, 1, demo.BenchmarkSkills)
	if len(d.Skills) != demo.BenchmarkSkills.Framework {
		t.Errorf("%d skills, want %d", len(d.Skills), demo.BenchmarkSkills.Framework)
	}
	people := map[string]bool{}
	for r := range d.Ratings() {
		people[r.Person] = true
	}
	if per := float64(d.RatingCount()) / float64(len(people)); per < 27 || per > 33 {
		t.Errorf("%.1f ratings per person, want about %d", per, demo.BenchmarkSkills.PerPerson)
	}
	light := buildSkills(t, 300, 1, demo.SkillOptions{PerPerson: 5})
	if per := float64(light.RatingCount()) / float64(len(people)); per < 4 || per > 5.5 {
		t.Errorf("%.1f ratings per person, want about 5", per)
	}
	if n := len(buildSkills(t, 300, 1, demo.SkillOptions{}).Skills); n != demo.CatalogSkills {
		t.Errorf("the default framework has %d skills, want the catalog's %d", n, demo.CatalogSkills)
	}
	for _, o := range []demo.SkillOptions{{Framework: 10}, {Framework: demo.MaxSkills + 1}, {PerPerson: -1}, {PerPerson: demo.MaxRatingsPerPerson + 1}} {
		if _, err := demo.Build(demo.Options{People: 50, Skills: o}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("skills %+v: %v, want invalid", o, err)
		}
	}
}

// TestBuildPlansARealisticSkillsPicture checks the planned ratings against the organization they
// rate, and their shape: most people rated, some gaps, some disagreements, levels that follow
// seniority and tenure, dates spread over two years.
func TestBuildPlansARealisticSkillsPicture(t *testing.T) {
	t.Parallel()
	d := buildSkills(t, 2000, 5, demo.SkillOptions{})
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	people := readCSV(t, d.PeopleCSV, org.PeopleColumnOrder)
	byNumber := map[string]row{}
	for _, p := range people {
		byNumber[p["employee_number"]] = p
	}
	types := map[string]string{}
	for _, s := range d.Skills {
		types[s.Name] = s.Type
	}
	required := map[string]map[string]int{} // role → skill → level
	for _, r := range d.Requirements {
		if types[r.Skill] == "" || !slices.Contains(skills.Criticalities, r.Criticality) {
			t.Errorf("requirement %+v", r)
		}
		if required[r.Role] == nil {
			required[r.Role] = map[string]int{}
		}
		required[r.Role][r.Skill] = r.Level
	}
	active := 0
	for _, p := range people {
		if n := len(required[p["job_role"]]); n < 5 || n > 12 {
			t.Errorf("%s (%s) has %d required skills", p["employee_number"], p["job_role"], n)
		}
		if p["status"] == org.StatusActive {
			active++
		}
	}
	units := map[string]bool{}
	for _, u := range readCSV(t, d.UnitsCSV, org.UnitColumnOrder) {
		units[u["code"]] = true
	}
	for _, c := range d.Coverage {
		if !units[c.Unit] || types[c.Skill] == "" || c.MinPeople < 1 {
			t.Errorf("coverage target %+v", c)
		}
	}
	if len(d.Coverage) < 5 {
		t.Errorf("%d coverage targets", len(d.Coverage))
	}

	type key struct{ person, skill string }
	latest := map[key]map[string]demo.Rating{} // by source
	sources := map[string]int{}
	old, recent := 0, 0
	for r := range d.Ratings() {
		p := byNumber[r.Person]
		if p == nil || p["status"] != org.StatusActive || types[r.Skill] == "" || r.Level < 0 || r.Level > 5 {
			t.Fatalf("rating %+v of %v", r, p)
		}
		wantRater := map[string]string{"self": r.Person, "manager": p["manager"], "test": "", "certification": ""}
		if want, ok := wantRater[r.Source]; !ok || r.Rater != want {
			t.Errorf("rating %+v, want the rater %q", r, want)
		}
		if r.Source == "test" && types[r.Skill] != "compliance" {
			t.Errorf("a test result in %s", r.Skill)
		}
		hired, _ := time.Parse(core.DateLayout, p["hire_date"])
		if !r.RatedAt.After(hired) || !r.RatedAt.Before(ref) || r.RatedAt.Before(ref.AddDate(-2, 0, -1)) {
			t.Errorf("%s, hired %s, rated on %s", r.Person, p["hire_date"], r.RatedAt)
		}
		switch age := ref.Sub(r.RatedAt); {
		case age > 365*24*time.Hour:
			old++
		case age < 90*24*time.Hour:
			recent++
		}
		sources[r.Source]++
		k := key{r.Person, r.Skill}
		if latest[k] == nil {
			latest[k] = map[string]demo.Rating{}
		}
		if cur, ok := latest[k][r.Source]; !ok || r.RatedAt.After(cur.RatedAt) {
			latest[k][r.Source] = r
		}
	}
	total := d.RatingCount()
	t.Logf("%d ratings of %d active people: %v", total, active, sources)
	if per := float64(total) / float64(active); per < 12 || per > 25 {
		t.Errorf("%.1f ratings per active person", per)
	}
	if sources["test"] < active/2 || sources["certification"] < active/50 || sources["manager"] < sources["self"]/2 {
		t.Errorf("ratings by source: %v", sources)
	}
	if share(old, total) < 0.1 || share(recent, total) < 0.3 {
		t.Errorf("%d ratings older than a year and %d from the last 90 days, of %d", old, recent, total)
	}

	rated := map[string]bool{}
	var pairs, unrated, both, disagree int
	// Manager ratings against what the role requires, by seniority and by tenure.
	type mean struct{ sum, n float64 }
	bySeniority := map[string]*mean{"Software Engineer": {}, "Senior Software Engineer": {}}
	newcomers, veterans := &mean{}, &mean{}
	for k, rs := range latest {
		rated[k.person] = true
		if self, ok := rs["self"]; ok {
			if m, ok := rs["manager"]; ok {
				both++
				if self.Level-m.Level >= 2 || m.Level-self.Level >= 2 {
					disagree++
				}
			}
		}
	}
	for _, p := range people {
		if p["status"] != org.StatusActive {
			continue
		}
		hired, _ := time.Parse(core.DateLayout, p["hire_date"])
		for skill, level := range required[p["job_role"]] {
			pairs++
			rs := latest[key{p["employee_number"], skill}]
			if len(rs) == 0 {
				unrated++
				continue
			}
			m, ok := rs["manager"]
			if !ok {
				continue
			}
			if b := bySeniority[p["job_role"]]; b != nil && skill == "Software Design" {
				b.sum, b.n = b.sum+float64(m.Level), b.n+1
			}
			switch age := ref.Sub(hired); {
			case age < 365*24*time.Hour:
				newcomers.sum, newcomers.n = newcomers.sum+float64(m.Level-level), newcomers.n+1
			case age > 7*365*24*time.Hour:
				veterans.sum, veterans.n = veterans.sum+float64(m.Level-level), veterans.n+1
			}
		}
	}
	t.Logf("%d of %d active people rated; %d of %d required skills unrated; %d of %d self/manager pairs disagree",
		len(rated), active, unrated, pairs, disagree, both)
	if share(len(rated), active) < 0.95 {
		t.Errorf("only %d of %d active people have ratings", len(rated), active)
	}
	if s := share(unrated, pairs); s < 0.05 || s > 0.25 {
		t.Errorf("%d of %d required skills are unrated, want some gaps but not most", unrated, pairs)
	}
	if s := share(disagree, both); s < 0.01 || s > 0.1 {
		t.Errorf("%d of %d people disagree with their manager by two levels or more, want a few percent", disagree, both)
	}
	junior, senior := bySeniority["Software Engineer"], bySeniority["Senior Software Engineer"]
	if junior.n < 20 || senior.n < 20 || senior.sum/senior.n < junior.sum/junior.n+0.5 {
		t.Errorf("managers rate Software Design at %.2f for software engineers and %.2f for senior ones", junior.sum/junior.n, senior.sum/senior.n)
	}
	if newcomers.n < 50 || veterans.n < 50 || veterans.sum/veterans.n < newcomers.sum/newcomers.n+0.3 {
		t.Errorf("against their role, managers rate newcomers %+.2f and veterans %+.2f", newcomers.sum/newcomers.n, veterans.sum/veterans.n)
	}
}

func share(n, of int) float64 { return float64(n) / float64(max(of, 1)) }

// checkGeneratedSkills checks the skills picture Generate wrote, as the skills service and the
// manager login see it.
func checkGeneratedSkills(t *testing.T, d *db.DB, orgs *org.Service, data *demo.Data, res *demo.Result, mgr *core.Actor) {
	t.Helper()
	if res.Skills != len(data.Skills) || res.Requirements != len(data.Requirements) || res.Ratings != data.RatingCount() || res.Ratings == 0 {
		t.Errorf("result = %+v, want %d skills, %d requirements, %d ratings", res, len(data.Skills), len(data.Requirements), data.RatingCount())
	}
	svc := skills.NewService(d, orgs.Clock, orgs)
	cats, err := svc.FindCategories(ctx, core.System)
	if err != nil || len(cats) != len(data.Categories) {
		t.Errorf("%d categories (%v), want %d", len(cats), err, len(data.Categories))
	}
	all, err := svc.FindSkills(ctx, core.System, skills.SkillFilter{})
	if err != nil || len(all) != len(data.Skills) {
		t.Errorf("%d skills (%v), want %d", len(all), err, len(data.Skills))
	}
	if found, err := svc.FindSkills(ctx, core.System, skills.SkillFilter{Query: "k8s"}); err != nil || len(found) != 1 || found[0].Name != "Kubernetes" {
		t.Errorf("k8s finds %v (%v), want Kubernetes", found, err)
	}
	reqs, err := svc.FindRequirements(ctx, core.System, "", "")
	if err != nil || len(reqs) != len(data.Requirements) {
		t.Errorf("%d requirements (%v), want %d", len(reqs), err, len(data.Requirements))
	}
	targets, err := svc.FindCoverageTargets(ctx, core.System, "")
	if err != nil || len(targets) != len(data.Coverage) {
		t.Errorf("%d coverage targets (%v), want %d", len(targets), err, len(data.Coverage))
	}

	var stored, people, withLevels, both, disagree int
	// The skills step's ratings have no note; the training history's evidence says what it is.
	err = d.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM skill_ratings WHERE note = ''), (SELECT count(*) FROM people WHERE status = 'active'),
		(SELECT count(DISTINCT person_id) FROM skill_levels),
		(SELECT count(*) FROM skill_levels WHERE self_level IS NOT NULL AND manager_level IS NOT NULL),
		(SELECT count(*) FROM skill_levels WHERE abs(self_level - manager_level) >= 2)`).Scan(&stored, &people, &withLevels, &both, &disagree)
	if err != nil {
		t.Fatal(err)
	}
	if stored != data.RatingCount() || share(withLevels, people) < 0.95 || share(disagree, both) < 0.01 || share(disagree, both) > 0.1 {
		t.Errorf("%d ratings stored; %d of %d active people have levels; %d of %d self/manager pairs disagree",
			stored, withLevels, people, disagree, both)
	}

	// The manager login's team: a mix of skills met, gaps and unrated requirements, with the
	// manager's own ratings attributed to them.
	me, err := orgs.FindPersonByID(ctx, core.System, mgr.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if ts, err := svc.FindCoverageTargets(ctx, mgr, me.OrgUnitID); err != nil || len(ts) == 0 {
		t.Errorf("the manager's team has coverage targets %v (%v)", ts, err)
	}
	team, _, _, err := orgs.FindPeople(ctx, mgr, org.PersonFilter{ManagerID: me.ID})
	if err != nil || len(team) < 5 {
		t.Fatalf("the manager's team: %d people (%v)", len(team), err)
	}
	var met, short, unrated, byManager int
	readiness := map[float64]bool{}
	for _, p := range team {
		prof, err := svc.PersonProfile(ctx, mgr, p.ID, "")
		if err != nil {
			t.Fatalf("profile of %s: %v", p.Name(), err)
		}
		readiness[prof.Readiness] = true
		for _, s := range prof.Skills {
			switch {
			case s.Required == 0:
			case s.Ratings == 0:
				unrated++
			case s.Gap > 0:
				short++
			default:
				met++
			}
		}
		ratings, err := svc.FindRatings(ctx, mgr, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ratings {
			switch {
			case r.Source == skills.SourceManager && (r.RaterID != me.ID || r.RaterName != me.Name()):
				t.Errorf("a manager rating of %s is by %s (%s), not the manager", p.Name(), r.RaterName, r.RaterID)
			case r.Source == skills.SourceSelf && r.RaterID != p.ID:
				t.Errorf("a self-assessment of %s is by %s", p.Name(), r.RaterName)
			case r.Source == skills.SourceManager:
				byManager++
			}
		}
	}
	if met == 0 || short == 0 || unrated == 0 || len(readiness) < 3 || byManager == 0 {
		t.Errorf("the manager's team of %d: %d requirements met, %d short, %d unrated, %d readiness values, %d ratings by the manager",
			len(team), met, short, unrated, len(readiness), byManager)
	}
}
