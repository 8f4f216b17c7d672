package demo

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// The skills step: a framework of some 350 skills (see framework.go), requirements for every job
// role in the organization and coverage targets for some teams (requirements.go), and ratings of
// everyone who works here, drawn from streamSkills.
//
// Ratings follow a twice-yearly review cycle: a person assesses themselves a few days before
// their manager rates them, most recently in the last cycle, some longer ago, so the derived
// confidence varies. Each person has a true level in each skill: what the role requires, moved
// by their aptitude, by how long they have been here and by chance. Self-assessments lean by
// temperament (some people rate themselves up, some down) and now and then miss by two levels;
// managers' ratings sit close to the true level. About one required skill in eight is left
// unrated, and compliance training adds test results; some people hold certifications.

// SkillOptions size the demo's skills picture. The zero value gives the full picture.
type SkillOptions struct {
	Off bool // the organization alone: no framework, requirements or ratings
	// Framework is how many skills the framework holds: 0 for the catalog's own (CatalogSkills);
	// more, up to MaxSkills, adds generated specializations of catalog skills, for benchmarks.
	Framework int
	// PerPerson is how many ratings an active person has on average: 0 for the natural number
	// (about 20: their role's skills, a few others, tests). Fewer keeps each person's first
	// ratings, which are in their role's skills, for a quicker large demo; more tops people up
	// with ratings in skills related to theirs. At most MaxRatingsPerPerson.
	PerPerson int
}

// BenchmarkSkills is the skills picture the skills performance work measures against: at
// MaxPeople, about 2,000 skills and 3 million ratings.
var BenchmarkSkills = SkillOptions{Framework: 2000, PerPerson: 30}

// MaxRatingsPerPerson bounds SkillOptions.PerPerson.
const MaxRatingsPerPerson = 60

// CatalogSkills is the size of the framework's catalog; MaxSkills is the largest framework that
// specializations can make.
var CatalogSkills, MaxSkills = frameworkSizes()

// Skill is a skill of the demo's framework.
type Skill struct {
	Name        string
	Category    string // the path of its category: "Engineering / Mobile"
	Type        string // one of skills.Types
	Description string
	Aliases     []string
}

// Requirement says a job role needs a skill at a level.
type Requirement struct {
	Role        string
	Skill       string
	Level       int
	Criticality string // critical, important or useful
}

// Coverage asks an org unit (by code) for at least MinPeople people at Level or above in a skill.
type Coverage struct {
	Unit      string
	Skill     string
	Level     int
	MinPeople int
}

// Rating is one rating of a person in a skill.
type Rating struct {
	Person  string // employee number
	Skill   string
	Level   int
	Source  string // self, manager, test or certification
	Rater   string // employee number of who gave it; "" for tests and certifications
	RatedAt time.Time
}

// Rating sources, as stored in a rating.
const (
	srcSelf = iota
	srcManager
	srcTest
	srcCertification
)

var sourceNames = []string{skills.SourceSelf, skills.SourceManager, skills.SourceTest, skills.SourceCertification}

// rating is a planned Rating, small enough for millions of them.
type rating struct {
	person, rater int32 // indexes in company.people; rater is -1 for none
	skill         int16
	ago           int16 // days before the reference date, at least 1
	level, source int8
}

// Ratings returns the planned ratings, person by person.
func (d *Data) Ratings() iter.Seq[Rating] {
	return func(yield func(Rating) bool) {
		for _, r := range d.ratings {
			if !yield(d.rating(r)) {
				return
			}
		}
	}
}

// RatingCount returns how many ratings Ratings yields.
func (d *Data) RatingCount() int { return len(d.ratings) }

func (d *Data) rating(r rating) Rating {
	out := Rating{Person: d.numbers[r.person], Skill: d.Skills[r.skill].Name, Level: int(r.level), Source: sourceNames[r.source],
		RatedAt: ratedAt(int(r.ago))}
	if r.rater >= 0 {
		out.Rater = d.numbers[r.rater]
	}
	return out
}

// ratedAt is the time of a rating ago days before the reference date: mid-morning in London.
func ratedAt(ago int) time.Time {
	return referenceDate.AddDate(0, 0, -ago).Add(10 * time.Hour)
}

// checkSkillOptions refuses sizes the generator cannot make.
func checkSkillOptions(o SkillOptions) error {
	if o.Framework != 0 && (o.Framework < CatalogSkills || o.Framework > MaxSkills) {
		return core.Invalid("framework", "a demo skills framework has between %d and %d skills", CatalogSkills, MaxSkills)
	}
	if o.PerPerson < 0 || o.PerPerson > MaxRatingsPerPerson {
		return core.Invalid("per_person", "a demo has between 0 and %d ratings per person", MaxRatingsPerPerson)
	}
	return nil
}

// officeLanguages are the languages people speak at each office besides English, by location.
var officeLanguages = [numLocations][]string{
	berlin:    {"German"},
	madrid:    {"Spanish"},
	austin:    {"Spanish"},
	toronto:   {"French"},
	singapore: {"Mandarin Chinese", "Malay"},
	bangalore: {"Hindi"},
}

// Review cycles, in days before the reference date (mid-December and mid-June), and how likely a
// person's latest assessment is to come from each.
var (
	reviewCycles  = []int{18, 200, 383, 565}
	cycleWeights  = []int{50, 25, 15, 10}
	maxRatingDays = 730 // ratings, tests and certifications of the last two years
)

// Shares, in percent, that shape the ratings.
const (
	gapShare          = 12 // required skills nobody has rated
	selfShare         = 92 // people who assess themselves
	managerShare      = 90 // of a diligent manager's reports, those they rate
	lazyManagers      = 10 // managers who rate nobody
	managerSkillShare = 88 // of a rated person's assessed skills, those their manager rates
	missShare         = 3  // self-assessments two levels off
	historyShare      = 15 // rated skills with an earlier rating from the cycle before
	testShare         = 70 // compliance skills with a training test result
	coverageShare     = 75 // team members rated in their team's coverage skills
)

// planSkills plans the skills picture into d: the framework, requirements of the roles people
// hold, coverage targets and ratings.
func (c *company) planSkills(o SkillOptions, d *Data, rng *rand.Rand) error {
	fw := buildFramework(o.Framework)
	d.Categories, d.Skills = fw.categories, fw.skills

	// Requirements, for the roles in the organization in the order they first appear.
	type req struct {
		skill, level int
		compliance   bool
	}
	roleReqs := map[string][]req{}
	for _, p := range c.people {
		if _, done := roleReqs[p.role]; done {
			continue
		}
		needs, ok := roleRequirements[p.role]
		if !ok {
			return fmt.Errorf("demo: no skills for the role %q", p.role)
		}
		rs := make([]req, 0, len(needs))
		for _, n := range needs {
			i, ok := fw.index[n.skill]
			if !ok {
				return fmt.Errorf("demo: the role %q requires %q, which is not in the framework", p.role, n.skill)
			}
			rs = append(rs, req{i, n.level, fw.skills[i].Type == typComp})
			d.Requirements = append(d.Requirements, Requirement{Role: p.role, Skill: n.skill, Level: n.level, Criticality: n.crit})
		}
		roleReqs[p.role] = rs
	}

	// Coverage targets for the first teams of some departments.
	covered := map[string]int{}
	targets := map[*unit][]int{}
	for _, u := range c.units {
		if !u.leaf || u.dept == nil || len(coverageRules[u.dept.code]) == 0 || covered[u.dept.code] == maxCoveredTeams {
			continue
		}
		covered[u.dept.code]++
		for _, r := range coverageRules[u.dept.code] {
			i, ok := fw.index[r.skill]
			if !ok {
				return fmt.Errorf("demo: the coverage target %q is not in the framework", r.skill)
			}
			d.Coverage = append(d.Coverage, Coverage{Unit: u.code, Skill: r.skill, Level: r.level, MinPeople: r.min})
			targets[u] = append(targets[u], i)
		}
	}

	// Whether each manager rates their reports at all; the manager login does, so that the
	// demo shows a manager's own ratings.
	diligent := make([]bool, len(c.people))
	for i, p := range c.people {
		diligent[i] = rng.IntN(100) >= lazyManagers || p.login
	}
	certShare := make([]int, len(fw.skills))
	for name, share := range certifications {
		i, ok := fw.index[name]
		if !ok {
			return fmt.Errorf("demo: the certification %q is not in the framework", name)
		}
		certShare[i] = share
	}
	d.numbers = make([]string, len(c.people))
	for i, p := range c.people {
		d.numbers[i] = p.number
	}

	pl := &ratingPlanner{fw: fw, rng: rng}
	for _, p := range c.people {
		if p.leftAgo > 0 {
			continue
		}
		pl.start(p, p.manager != nil && diligent[p.manager.seq] && rng.IntN(100) < managerShare)
		for _, r := range roleReqs[p.role] {
			pl.have = append(pl.have, r.skill)
		}
		for _, r := range roleReqs[p.role] {
			truth := pl.truth(r.level)
			if rng.IntN(100) >= gapShare {
				pl.assess(r.skill, truth, managerSkillShare, true)
			}
			if r.compliance && certShare[r.skill] == 0 && rng.IntN(100) < testShare {
				level := 2
				switch x := rng.IntN(100); {
				case x < 4:
					level = 1 // failed, and due to retake it
				case x >= 80:
					level = 3
				}
				pl.add(r.skill, level, srcTest, -1, pl.anyDay())
			}
			if share := certShare[r.skill]; share > 0 && rng.IntN(100) < share {
				pl.add(r.skill, max(truth, 3), srcCertification, -1, pl.anyDay())
			}
		}
		// Teams with coverage targets rate their members in those skills, needed or not.
		for _, s := range targets[p.unit] {
			if !slices.Contains(pl.have, s) && rng.IntN(100) < coverageShare {
				pl.have = append(pl.have, s)
				base := 3
				if p.level != levelIC || strings.HasPrefix(p.role, "Senior") || strings.HasPrefix(p.role, "Staff") || strings.HasPrefix(p.role, "Principal") {
					base = 4
				}
				pl.assess(s, pl.truth(base), managerSkillShare, false)
			}
		}
		for range 1 + rng.IntN(4) {
			pl.extra(p, pl.relatedOrGeneral(p))
		}
		if o.PerPerson > 0 {
			want := max(1, o.PerPerson*7/10+rng.IntN(o.PerPerson*6/10+1))
			for tries := 0; pl.count() < want && tries < 4*o.PerPerson; tries++ {
				pl.extra(p, pl.related())
			}
			// Fewer than the natural number keeps the first, which are in the role's skills.
			pl.ratings = pl.ratings[:min(want, len(pl.ratings))]
		}
		d.ratings = append(d.ratings, pl.ratings...)
	}
	return nil
}

// ratingPlanner plans the ratings of one person at a time.
type ratingPlanner struct {
	fw  *frameworkInfo
	rng *rand.Rand

	p        *person
	managed  bool
	aptitude int  // -1, 0 or 1: how much above or below their role's levels they are
	tenure   int  // -1 for recent hires still growing into the role, +1 for some long-serving people
	lean     int  // -1, 0 or 1: how they tend to rate themselves
	assesses bool // they assess themselves at all
	// ago is the day of their latest assessment by their manager; selfAgo of their own, a
	// few days earlier; prevAgo of the cycle before, or 0 when they were not here then.
	ago, selfAgo, prevAgo int
	have                  []int // skills already planned, rated or not
	ratings               []rating
}

func (pl *ratingPlanner) start(p *person, managed bool) {
	rng := pl.rng
	pl.p, pl.managed, pl.have, pl.ratings = p, managed, pl.have[:0], pl.ratings[:0]
	pl.aptitude = []int{-1, 0, 0, 1}[rng.IntN(4)]
	pl.tenure = 0
	switch {
	case p.hired < 365 && rng.IntN(2) == 0:
		pl.tenure = -1
	case p.hired > 6*365 && rng.IntN(3) == 0:
		pl.tenure = 1
	}
	switch x := rng.IntN(20); {
	case x < 4:
		pl.lean = 1
	case x < 7:
		pl.lean = -1
	default:
		pl.lean = 0
	}
	pl.assesses = rng.IntN(100) < selfShare
	cycle := pickWeighted(rng, cycleWeights)
	for cycle > 0 && reviewCycles[cycle]+25 >= p.hired {
		cycle--
	}
	pl.ago = reviewCycles[cycle] + rng.IntN(14)
	pl.selfAgo = pl.ago + 1 + rng.IntN(10)
	pl.prevAgo = 0
	if cycle+1 < len(reviewCycles) && reviewCycles[cycle+1]+25 < p.hired {
		pl.prevAgo = reviewCycles[cycle+1] + rng.IntN(14)
	}
}

// truth draws the person's true level in a skill whose expected level is level.
func (pl *ratingPlanner) truth(level int) int {
	noise := 0
	switch pl.rng.IntN(5) {
	case 0:
		noise = -1
	case 4:
		noise = 1
	}
	return clampLevel(level + pl.aptitude + pl.tenure + noise)
}

func clampLevel(l int) int { return min(max(l, 1), 5) }

// assess plans the self-assessment and, as managerShare (in percent) allows, the manager's rating
// of a skill whose true level is truth; history adds an earlier rating now and then.
func (pl *ratingPlanner) assess(skill, truth, managerShare int, history bool) {
	rng := pl.rng
	if pl.assesses {
		self := truth
		if pl.lean != 0 && rng.IntN(2) == 0 {
			self += pl.lean
		}
		switch x := rng.IntN(100); {
		case x < missShare:
			self += []int{2, 2, -2}[rng.IntN(3)]
		case x < missShare+15:
			self += []int{-1, 1}[rng.IntN(2)]
		}
		self = clampLevel(self)
		if history && pl.prevAgo > 0 && rng.IntN(100) < historyShare {
			pl.add(skill, max(self-rng.IntN(2), 1), srcSelf, pl.p.seq, pl.prevAgo+1+rng.IntN(10))
		}
		pl.add(skill, self, srcSelf, pl.p.seq, pl.selfAgo)
	}
	if pl.managed && rng.IntN(100) < managerShare {
		m := truth
		switch rng.IntN(10) {
		case 0:
			m--
		case 1:
			m++
		}
		m = clampLevel(m)
		if history && pl.prevAgo > 0 && rng.IntN(100) < historyShare {
			pl.add(skill, max(m-1, 1), srcManager, pl.p.manager.seq, pl.prevAgo)
		}
		pl.add(skill, m, srcManager, pl.p.manager.seq, pl.ago)
	}
}

// extra plans a self-assessment, and sometimes the manager's view, of a skill outside the
// person's role (nothing when skill is -1).
func (pl *ratingPlanner) extra(p *person, skill int) {
	if skill < 0 {
		return
	}
	pl.have = append(pl.have, skill)
	rng := pl.rng
	level := 1 + rng.IntN(3) + max(pl.aptitude, 0)
	if pl.fw.skills[skill].Type == typLang {
		level = 1 + rng.IntN(3)
		if native := officeLanguages[p.loc]; skill == pl.fw.index["English"] || slices.ContainsFunc(native, func(l string) bool { return pl.fw.index[l] == skill }) {
			level = 3 + rng.IntN(3)
		}
	}
	ago := pl.selfAgo
	if rng.IntN(3) == 0 {
		ago = pl.anyDay()
	}
	pl.add(skill, clampLevel(level), srcSelf, p.seq, ago)
	if pl.managed && rng.IntN(4) == 0 {
		pl.add(skill, clampLevel(level+rng.IntN(3)-1), srcManager, p.manager.seq, pl.ago)
	}
}

// relatedOrGeneral picks a skill outside the person's role: a language, a general tool or a
// skill near one they need.
func (pl *ratingPlanner) relatedOrGeneral(p *person) int {
	rng, fw := pl.rng, pl.fw
	var pick func() int
	switch x := rng.IntN(20); {
	case x < 7:
		pick = func() int {
			langs := officeLanguages[p.loc]
			if len(langs) > 0 && rng.IntN(2) == 0 {
				return fw.index[langs[rng.IntN(len(langs))]]
			}
			if len(langs) > 0 {
				return fw.index["English"]
			}
			return fw.languages[rng.IntN(len(fw.languages))]
		}
	case x < 12:
		pick = func() int { return fw.tools[rng.IntN(len(fw.tools))] }
	default:
		return pl.related()
	}
	return pl.fresh(pick)
}

// related picks a skill in the category of one the person has, or failing that any skill.
func (pl *ratingPlanner) related() int {
	rng, fw := pl.rng, pl.fw
	return pl.fresh(func() int {
		if len(pl.have) > 0 && rng.IntN(10) < 8 {
			near := fw.byCategory[fw.skills[pl.have[rng.IntN(len(pl.have))]].Category]
			return near[rng.IntN(len(near))]
		}
		return rng.IntN(len(fw.skills))
	})
}

// fresh returns a skill from pick that the person does not have yet, or -1 after a few tries.
func (pl *ratingPlanner) fresh(pick func() int) int {
	for range 6 {
		if s := pick(); !slices.Contains(pl.have, s) {
			return s
		}
	}
	return -1
}

// anyDay is a day within the last two years since the person was hired.
func (pl *ratingPlanner) anyDay() int {
	return 1 + pl.rng.IntN(min(maxRatingDays, pl.p.hired-1))
}

func (pl *ratingPlanner) count() int { return len(pl.ratings) }

func (pl *ratingPlanner) add(skill, level, source, rater, ago int) {
	if source == srcSelf || source == srcManager {
		ago = min(ago, pl.p.hired-1)
	}
	pl.ratings = append(pl.ratings, rating{person: int32(pl.p.seq), rater: int32(rater), skill: int16(skill), ago: int16(ago),
		level: int8(level), source: int8(source)})
}

// ratingBatch is how many ratings Generate records in one transaction: large enough that the
// per-batch work (reading the skills, the audit entry) does not matter, small enough to keep
// memory flat at millions of ratings.
const ratingBatch = 50_000

// writeSkills writes the skills picture through the skills service as the system: the framework,
// the requirements, the coverage targets, then the ratings in batches, each attributed to its
// rater. people maps employee numbers to ids (see activePeople).
func writeSkills(ctx context.Context, orgs *org.Service, data *Data, people map[string]string, res *Result) error {
	if len(data.Skills) == 0 {
		return nil
	}
	svc := skills.NewService(orgs.DB, orgs.Clock, orgs)
	categories := map[string]string{}
	for _, path := range data.Categories {
		parent, name := "", path
		if i := strings.LastIndex(path, " / "); i >= 0 {
			parent, name = path[:i], path[i+3:]
		}
		cat, err := svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: name, ParentID: categories[parent]})
		if err != nil {
			return fmt.Errorf("create demo skill category %s: %w", path, err)
		}
		categories[path] = cat.ID
	}
	skillIDs := make([]string, len(data.Skills))
	byName := make(map[string]string, len(data.Skills))
	for i, s := range data.Skills {
		sk, err := svc.CreateSkill(ctx, core.System, skills.SkillInput{CategoryID: categories[s.Category], Name: s.Name,
			Description: s.Description, Type: s.Type, Aliases: s.Aliases})
		if err != nil {
			return fmt.Errorf("create demo skill %s: %w", s.Name, err)
		}
		skillIDs[i], byName[s.Name] = sk.ID, sk.ID
	}
	res.Skills = len(data.Skills)

	roles, err := orgs.RoleOptions(ctx, core.System)
	if err != nil {
		return err
	}
	roleIDs := map[string]string{}
	for _, r := range roles {
		roleIDs[r.Name] = r.ID
	}
	for _, r := range data.Requirements {
		if err := svc.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: roleIDs[r.Role], SkillID: byName[r.Skill],
			Level: r.Level, Criticality: r.Criticality}); err != nil {
			return fmt.Errorf("set demo requirement %s of %s: %w", r.Skill, r.Role, err)
		}
	}
	res.Requirements = len(data.Requirements)
	units, err := orgs.FindUnits(ctx, core.System)
	if err != nil {
		return err
	}
	unitIDs := map[string]string{}
	for _, u := range units {
		unitIDs[u.Code] = u.ID
	}
	for _, t := range data.Coverage {
		if err := svc.SetCoverageTarget(ctx, core.System, skills.CoverageTarget{OrgUnitID: unitIDs[t.Unit], SkillID: byName[t.Skill],
			Level: t.Level, MinPeople: t.MinPeople}); err != nil {
			return fmt.Errorf("set demo coverage target %s of %s: %w", t.Skill, t.Unit, err)
		}
	}

	ids := make([]string, len(data.numbers))
	for i, n := range data.numbers {
		ids[i] = people[n] // "" for people who left, whom no rating names
	}
	days := map[int16]*time.Time{}
	batch := make([]skills.RatingInput, 0, min(ratingBatch, len(data.ratings))+100)
	flush := func() error {
		if _, err := svc.RecordRatings(ctx, core.System, batch, "demo organization"); err != nil {
			return fmt.Errorf("record demo ratings: %w", err)
		}
		res.Ratings += len(batch)
		batch = batch[:0]
		return nil
	}
	for i, r := range data.ratings {
		// A batch ends between people, so each person's levels are derived from all their ratings.
		if len(batch) >= ratingBatch && r.person != data.ratings[i-1].person {
			if err := flush(); err != nil {
				return err
			}
		}
		at, ok := days[r.ago]
		if !ok {
			t := ratedAt(int(r.ago))
			at, days[r.ago] = &t, &t
		}
		in := skills.RatingInput{PersonID: ids[r.person], SkillID: skillIDs[r.skill], Level: int(r.level), Source: sourceNames[r.source], RatedAt: at}
		if r.rater >= 0 {
			in.RaterID = ids[r.rater]
		}
		batch = append(batch, in)
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

// activePeople maps the employee numbers of everyone who works here to their ids.
func activePeople(ctx context.Context, orgs *org.Service) (map[string]string, error) {
	out := map[string]string{}
	f := org.PersonFilter{Status: org.StatusActive, Limit: core.MaxLimit}
	for {
		page, next, _, err := orgs.FindPeople(ctx, core.System, f)
		if err != nil {
			return nil, fmt.Errorf("find demo people: %w", err)
		}
		for _, p := range page {
			out[p.EmployeeNumber] = p.ID
		}
		if next == "" {
			return out, nil
		}
		f.Cursor = next
	}
}
