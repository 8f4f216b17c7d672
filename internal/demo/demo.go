// Package demo generates a believable demo organization, the same for the same seed: a company
// with divisions, departments and teams, a reporting tree with realistic spans, people with
// names, job roles, offices and hire dates, five accounts to sign in with, a skills picture: a
// framework of a few hundred skills, what every job role requires, coverage targets of some
// teams, and everyone's self-assessments, manager ratings, test results and certifications
// (see skills.go); and a training picture: a learning catalog with compliance tests, paths,
// assignment rules, sessions before and after the demo's day, and two years of enrollments,
// scores, completions and certificates (see training.go).
//
// The chief executive leads the division heads; every other manager leads five to twelve
// people, and the tree grows deeper (departments within departments) as the company grows. A
// small company has fewer divisions: Engineering and People always, all eight from about 100
// people. Below 30 people the People division is its head and one to four others, the one
// exception to the spans. Until Operations has IT people (from 90 to 120 people, by seed) the
// system administrator is an engineer, and below about 20 people the manager login is the head
// of Engineering, which is then a single team.
//
// It works in two steps. Build plans everything in memory and returns it as the files an HR
// system would export (and the skills and training pictures as plain data), without touching a
// database. Generate writes those files through the domain services, exactly as an
// administrator's import would, then creates the accounts and records the skills and training
// pictures.
//
// Each planning step draws from its own random stream (see the stream constants), so a step
// added later, as skills and training were, leaves the organization as it was for a given
// seed. Such a step adds its output to Data and a matching write step to Generate.
package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
)

// Size limits of a demo organization.
const (
	DefaultPeople = 500
	MinPeople     = 10
	MaxPeople     = 100_000
)

// Random streams, one per planning step. Never renumber them: that would change every demo.
const (
	streamStructure = iota + 1
	streamPeople
	streamLeavers
	streamSkills
	streamTraining
)

// Options say which demo organization to build.
type Options struct {
	People   int          // default 500 when 0; up to 100_000
	Seed     uint64       // same seed + same People + same Skills and Training => the same output
	Password string       // password for the demo logins; required by Generate
	Skills   SkillOptions // the zero value gives the full skills picture
	// Training is the training picture, which needs the skills picture: Skills.Off turns it off
	// too. The zero value gives the full picture.
	Training TrainingOptions
}

// Login is a demo account to sign in with.
type Login struct {
	Role  string // human label: "System administrator", "HR administrator", "L&D administrator", "Manager", "Employee"
	Name  string
	Email string
	roles []core.Role
}

// Data is a demo organization as import files, with the accounts to create afterwards.
type Data struct {
	UnitsCSV  []byte // org-unit file for org.Service.ImportUnits: code,name,kind,parent
	PeopleCSV []byte // people file for org.Service.Import, in the columns of org.PeopleColumnOrder, managers first
	Logins    []Login
	Company   string // company name

	// The skills picture, empty when Options.Skills.Off: the framework's category paths
	// (parents first) and skills, what each job role in the organization requires, coverage
	// targets of teams, and the ratings (see Ratings).
	Categories   []string
	Skills       []Skill
	Requirements []Requirement
	Coverage     []Coverage

	// The training picture, empty when Options.Training.Off or Options.Skills.Off: the catalog,
	// the rules that assign its compliance items and the onboarding path, the sessions, and the
	// history (see Enrollments).
	Catalog       []LearningItem
	TrainingRules []TrainingRule
	Sessions      []TrainingSession

	units   int
	ratings []rating
	numbers []string // employee numbers in planning order, which ratings and enrollments refer to

	enrollments  []enrollment
	names, zones []string // people's names and time zones in planning order, for the live actions
	live         liveActions
}

// Result says what Generate wrote.
type Result struct {
	Company string
	People  int
	Units   int
	Logins  []Login
	// Skills, Requirements and Ratings count what the skills step wrote.
	Skills, Requirements, Ratings int
	// The training step's counts: items of the catalog, sessions, enrollments (the history,
	// the rules' assignments and the live actions'), completions and certificates among them.
	LearningItems, Sessions, Enrollments, Completions, Certificates int
}

// company is the organization being planned.
type company struct {
	seed   uint64
	units  []*unit
	people []*person
	logins []*login
}

type login struct {
	person *person
	role   string
	roles  []core.Role
}

func (c *company) rand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(c.seed, stream))
}

// Build returns the demo organization's data for opts, deterministically, without touching a
// database.
func Build(opts Options) (*Data, error) {
	n := opts.People
	if n == 0 {
		n = DefaultPeople
	}
	if n < MinPeople || n > MaxPeople {
		return nil, core.Invalid("people", "a demo organization has between %d and %d people", MinPeople, MaxPeople)
	}
	if err := checkSkillOptions(opts.Skills); err != nil {
		return nil, err
	}
	c := &company{seed: opts.Seed}
	c.planStructure(n, c.rand(streamStructure))
	c.describePeople(c.rand(streamPeople))
	if err := c.chooseLogins(); err != nil {
		return nil, err
	}
	c.chooseLeavers(c.rand(streamLeavers))
	c.assignNumbers()
	d, err := c.data()
	if err != nil || opts.Skills.Off {
		return d, err
	}
	if err := c.planSkills(opts.Skills, d, c.rand(streamSkills)); err != nil {
		return nil, err
	}
	if opts.Training.Off {
		return d, nil
	}
	if err := c.planTraining(d, c.rand(streamTraining)); err != nil {
		return nil, err
	}
	return d, nil
}

var (
	unitHeader   = []string{"code", "name", "kind", "parent"}
	peopleHeader = []string{"employee_number", "given_name", "family_name", "email", "job_title", "job_role", "org_unit",
		"manager", "location", "time_zone", "hire_date", "status", "left_on"}
)

// data writes the planned organization as import files.
func (c *company) data() (*Data, error) {
	var units, people bytes.Buffer
	w := csv.NewWriter(&units)
	w.Write(unitHeader)
	for _, u := range c.units {
		parent := ""
		if u.parent != nil {
			parent = u.parent.code
		}
		w.Write([]string{u.code, u.name, u.kind, parent})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write demo units: %w", err)
	}
	people.Grow(len(c.people) * 160)
	w = csv.NewWriter(&people)
	w.Write(peopleHeader)
	rec := make([]string, len(peopleHeader))
	for _, p := range c.people {
		manager, status, leftOn := "", org.StatusActive, ""
		if p.manager != nil {
			manager = p.manager.number
		}
		if p.leftAgo > 0 {
			status, leftOn = org.StatusLeft, dates[p.leftAgo]
		}
		loc := &locations[p.loc]
		rec = append(rec[:0], p.number, p.given, p.family, p.email, p.title, p.role, p.unit.code,
			manager, loc.name, loc.tz, dates[p.hired], status, leftOn)
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write demo people: %w", err)
	}
	d := &Data{UnitsCSV: units.Bytes(), PeopleCSV: people.Bytes(), Company: companyName, units: len(c.units)}
	for _, l := range c.logins {
		d.Logins = append(d.Logins, Login{Role: l.role, Name: l.person.given + " " + l.person.family, Email: l.person.email, roles: l.roles})
	}
	return d, nil
}

// Generate builds the data and writes it: the org units, then the people, then accounts for
// the logins, then the skills picture through a skills service on the same database, all as
// the system actor, then the training picture through a training service, as the L&D login and
// the people who take part (see writeTraining). The database must hold no people or units yet.
func Generate(ctx context.Context, orgs *org.Service, accounts *auth.Service, opts Options) (*Result, error) {
	if opts.Password == "" {
		return nil, core.Invalid("password", "choose a password for the demo accounts")
	}
	data, err := Build(opts)
	if err != nil {
		return nil, err
	}
	// Checked before the import so a weak password does not leave a demo without accounts.
	for _, l := range data.Logins {
		if err := auth.CheckPassword(opts.Password, l.Email); err != nil {
			return nil, err
		}
	}
	if err := checkEmpty(ctx, orgs); err != nil {
		return nil, err
	}
	res := &Result{Company: data.Company, Units: data.units, Logins: data.Logins}
	report, err := orgs.ImportUnits(ctx, core.System, data.UnitsCSV, org.ImportOptions{Filename: "demo org units"})
	if err := imported("org units", report, err); err != nil {
		return nil, err
	}
	report, err = orgs.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{Filename: "demo people"})
	if err := imported("people", report, err); err != nil {
		return nil, err
	}
	res.People = report.Create
	for _, l := range data.Logins {
		p, err := orgs.FindPersonByEmail(ctx, l.Email)
		if err != nil {
			return nil, fmt.Errorf("find demo login %s: %w", l.Email, err)
		}
		if _, err := accounts.CreateAccount(ctx, core.System, auth.NewAccount{PersonID: p.ID, Password: opts.Password, Roles: l.roles}); err != nil {
			return nil, fmt.Errorf("create demo account %s: %w", l.Email, err)
		}
	}
	if len(data.Skills) == 0 {
		return res, nil
	}
	people, err := activePeople(ctx, orgs)
	if err != nil {
		return nil, err
	}
	if err := writeSkills(ctx, orgs, data, people, res); err != nil {
		return nil, err
	}
	if err := writeTraining(ctx, orgs, data, people, res); err != nil {
		return nil, err
	}
	return res, nil
}

// checkEmpty refuses to mix a demo into a real organization.
func checkEmpty(ctx context.Context, orgs *org.Service) error {
	_, _, people, err := orgs.FindPeople(ctx, core.System, org.PersonFilter{Status: "all", Limit: 1})
	if err != nil {
		return fmt.Errorf("count people: %w", err)
	}
	units, err := orgs.FindUnits(ctx, core.System)
	if err != nil {
		return fmt.Errorf("count org units: %w", err)
	}
	if people > 0 || len(units) > 0 {
		return core.Errorf(core.ECONFLICT, "the database already holds %d people and %d org units; a demo needs an empty database", people, len(units))
	}
	return nil
}

// imported turns an import that failed or found problems into an error naming the first few.
func imported(what string, report *org.ImportReport, err error) error {
	if err != nil {
		return fmt.Errorf("import demo %s: %w", what, err)
	}
	if report.Valid {
		return nil
	}
	var probs []string
	for _, p := range report.Problems[:min(5, len(report.Problems))] {
		probs = append(probs, p.String())
	}
	return fmt.Errorf("import demo %s: %s: %s", what, report.Summary(), strings.Join(probs, "; "))
}
