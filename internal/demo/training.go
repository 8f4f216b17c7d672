package demo

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/learnloop/learnloop/internal/training"
)

// The training step: a catalog of some sixty learning items (courses.go), the assignment rules
// of the compliance items and of the onboarding path, sessions in the offices in the weeks
// around the demo's day, and two years of enrollments, scores and completions of everyone who
// works here, drawn from streamTraining. It needs the skills step: items develop skills of the
// framework.
//
// Mandatory items recur: a person completes them about once per validity period, from thirty
// days before the last completion expires to a couple of weeks after. Most people are
// compliant; some are in their renewal window, some let their completion expire, some new
// starters and a few others never completed an item and are overdue, and a few are exempt. New
// starters of the last two years went through the onboarding path in their first three months;
// most managers took the leadership programme. Everyone else chose, or was sent on, one to three
// items that suit their role and office. Test scores are drawn around 82% per attempt; below
// the pass mark the learner tries again, so completions carry the passing attempt's score.
//
// Times are planned in days before the demo's day and bounded by hire dates, like ratings, but
// written relative to the day Generate runs (see writeTraining), which becomes the training
// picture's own demo day: whether an assignment is overdue, a completion expired or a session
// still ahead is decided on the real clock by the training service, so a history pinned to the
// reference date of hire dates would show, a few months later, every assignment overdue,
// every yearly completion expired and no session to come. Moving the days forward keeps them
// after the hires, since Generate does not run before the reference date.

// TrainingOptions choose the demo's training picture. The zero value gives the full picture.
type TrainingOptions struct {
	Off bool // no catalog, sessions or learning history; implied by SkillOptions.Off
}

// LearningItem is an item of the demo's catalog.
type LearningItem struct {
	Code, Title, Kind, Language string
	Compliance, Certifying      bool
	ValidityMonths              int
	Skills                      []string // the names of the skills it develops
	Objectives                  []string
	Questions                   int      // the questions of its test; 0 without one
	Steps                       []string // a path's steps, by code
}

// TrainingRule assigns an item to an audience: everyone, everyone in a unit, or new starters.
type TrainingRule struct {
	Name            string
	Item            string // code
	Unit            string // code; "" for everyone
	HiredWithinDays int
	DueDays         int
}

// TrainingSession is a scheduled session of an instructor-led item.
type TrainingSession struct {
	Item        string // code
	Location    string // an office, or "Online"
	TimeZone    string
	Week        int          // weeks after the demo's week (before it when negative)
	Day         time.Weekday // of that week
	Start       string       // local time, "09:30"
	Minutes     int
	Capacity    int
	Registrants int // people who register, the last of them on the waitlist when more than Capacity
	Cancelled   bool
}

// Enrollment is one planned enrollment of the history.
type Enrollment struct {
	Person       string // employee number
	Item         string // code
	Source       string // self, manager, rule, admin or path
	Status       string // completed, in_progress, enrolled, withdrawn or exempt
	EnrolledAgo  int    // days before the demo's day
	CompletedAgo int    // days before the demo's day; 0 without a completion
	DueIn        int    // days after the demo's day, negative when past
	Due          bool   // whether it has a due date
	Score        float64
	Scored       bool   // whether it has a score, in percent: a passed test
	Reason       string // why it was withdrawn or exempted
}

// Enrollment statuses and sources, as small numbers in a planned enrollment.
const (
	enCompleted = iota
	enInProgress
	enEnrolled
	enWithdrawn
	enExempt
)

var enrollmentStatuses = []string{training.EnrollmentCompleted, training.EnrollmentInProgress, training.EnrollmentEnrolled,
	training.EnrollmentWithdrawn, training.EnrollmentExempt}

const (
	bySelf = iota
	byManager
	byRule
	byAdmin
	byPath
)

var enrollmentSources = []string{training.SourceSelf, training.SourceManager, training.SourceRule, training.SourceAdmin, training.SourcePath}

// noDue marks an enrollment without a due date.
const noDue = math.MinInt16

// enrollment is a planned Enrollment, small enough for millions of them.
type enrollment struct {
	person              int32
	item                int16
	enrolled, completed int16 // days before the demo's day; completed is 0 without a completion
	// due is in days after the demo's day, or noDue; with atExpiry it is instead the day (before
	// the demo's day) of the completion on whose expiry the renewal is due.
	due                    int16
	score                  int16 // tenths of a percent; -1 without a score
	status, source, reason int8  // reason indexes reasons; -1 for none
	atExpiry               bool
}

// reasons are why people withdrew or were exempted. The first few are exemptions.
var reasons = []string{
	"On long-term leave; to complete on return",
	"Completed equivalent training with a previous employer; certificate on file",
	"Contractor covered by their agency's own programme",
	"Works fully remotely and never visits an office",
	"No longer needed in my role",
	"Moved to another team",
	"Took the vendor's own course instead",
	"No time this quarter; will enrol again later",
}

const (
	firstWithdrawReason = 4
	remoteReason        = 3
)

// Enrollments returns the planned history, person by person.
func (d *Data) Enrollments() iter.Seq[Enrollment] {
	return func(yield func(Enrollment) bool) {
		for _, e := range d.enrollments {
			if !yield(d.enrollment(e)) {
				return
			}
		}
	}
}

// EnrollmentCount returns how many enrollments Enrollments yields.
func (d *Data) EnrollmentCount() int { return len(d.enrollments) }

func (d *Data) enrollment(e enrollment) Enrollment {
	c := &courses[e.item]
	out := Enrollment{Person: d.numbers[e.person], Item: c.code, Source: enrollmentSources[e.source], Status: enrollmentStatuses[e.status],
		EnrolledAgo: int(e.enrolled), CompletedAgo: int(e.completed)}
	switch {
	case e.atExpiry:
		out.DueIn, out.Due = validityDays(courses[e.item].validity)-int(e.due), true
	case e.due != noDue:
		out.DueIn, out.Due = int(e.due), true
	}
	if e.score >= 0 {
		out.Score, out.Scored = float64(e.score)/10, true
	}
	if e.reason >= 0 {
		out.Reason = reasons[e.reason]
	}
	return out
}

// validityDays approximates months of validity in days, for planning; the service adds months.
func validityDays(months int) int { return months * 365 / 12 }

// Shares, in per mille, of where long-serving people stand with a recurring compliance item.
const (
	shareCompliant  = 800 // completed within the validity, before the renewal window
	shareRenewal    = 890 // in the renewal window: due soon
	shareExpired    = 950 // let the completion expire
	shareOverdue    = 970 // never completed, and the assignment is overdue
	shareDueSoonNew = 985 // never completed, assigned recently
	// the rest are exempt
)

const (
	complianceDueDays = 30 // the rules' due date for compliance items
	onboardingDueDays = 90
	renewalWindow     = 30 // training's default renew_days
)

// Classes of standing that planning can force on a login's compliance items.
const (
	classAny = iota
	classCompliant
	classRenewal
	classOverdue
)

// The live actions: what the demo does through the training service as people would, after
// the history, so that the demo's newest data goes through the same code as real use.
type liveActions struct {
	lnd      int32 // the L&D login, who runs the catalog
	sessions []plannedSession
	requests []request    // people asking to take an item that needs approval
	attempts []attempt    // tests taken
	assigns  []assignment // a manager assigning an item
	nudges   []assignment // a manager's reminder of an open enrollment (due unused)
	exempts  []exemption
	finishes []assignment // people marking an item complete (manager, due unused)
}

type request struct {
	person, item, manager int32
	decide                int8 // 0 pending, 1 approved, -1 declined by the manager
}

// attempt answers a test's questions, in the order of its bank, right or wrong.
type attempt struct {
	person, item int32
	right        []bool
}

type assignment struct {
	manager, person, item int32
	dueIn                 int
}

type exemption struct {
	person, item, reason int32
}

// courseIndex maps course codes to their index in courses.
var courseIndex = func() map[string]int {
	out := make(map[string]int, len(courses))
	for i, c := range courses {
		out[c.code] = i
	}
	return out
}()

// trainingPlanner plans the history of one person at a time.
type trainingPlanner struct {
	rng *rand.Rand

	p      *person
	last   int // the day after the hire date, in days before the demo's day
	window int // the earliest day of the history for this person
	used   []bool
	recs   []enrollment
	// first is the first completion after the hire date of each item, for the onboarding path.
	first map[int]int
	// has marks, for each item with sessions, the people with an enrollment in it, and open
	// those whose latest one is open.
	has, open map[int][]bool
}

// planTraining plans the catalog, the rules, the history, the live actions and the sessions.
func (c *company) planTraining(d *Data, rng *rand.Rand) error {
	if err := catalogData(d); err != nil {
		return err
	}
	c.trainingRules(d)
	d.names = make([]string, len(c.people))
	d.zones = make([]string, len(c.people))
	for i, p := range c.people {
		d.names[i], d.zones[i] = p.given+" "+p.family, locations[p.loc].tz
	}
	pl := &trainingPlanner{rng: rng, used: make([]bool, len(courses)), first: map[int]int{}, has: map[int][]bool{}, open: map[int][]bool{}}
	for _, s := range schedule {
		i := courseIndex[s.item]
		if pl.has[i] == nil {
			pl.has[i], pl.open[i] = make([]bool, len(c.people)), make([]bool, len(c.people))
		}
	}
	emp, mgr := c.loginPerson(loginEmployee), c.loginPerson(loginManager)
	var reports []*person // the manager login's team, but the employee login
	active := 0
	for _, p := range c.people {
		if p.leftAgo == 0 {
			active++
			if p.manager == mgr && p != emp {
				reports = append(reports, p)
			}
		}
	}
	firstAiders := c.chooseFirstAiders(rng)
	live := &d.live
	live.lnd = int32(c.loginPerson(loginLnDAdmin).seq)
	for _, p := range c.people {
		if p.leftAgo > 0 {
			continue
		}
		pl.start(p)
		forced := classAny
		if p.login {
			forced = classCompliant
		}
		for _, code := range []string{codeConduct, codeGDPR, codeSecurity, codeBribery, codeSafety} {
			if code == codeSafety && !inUnit(p, safetyUnit) {
				continue
			}
			class := forced
			switch {
			case p == emp && code == codeSecurity && pl.last > 400:
				class = classRenewal // due soon on the employee's page
			case len(reports) > 1 && p == reports[1] && code == codeGDPR:
				class = classOverdue // overdue in the manager's team
			}
			pl.compliance(courseIndex[code], class)
		}
		if pl.last <= maxRatingDays {
			pl.path(courseIndex[codeOnboarding], pl.last, byRule, onboardingDueDays, p.login)
		}
		if firstAiders[p.seq] {
			pl.firstAid()
		}
		if managers(p) {
			pl.leadership(p == mgr)
		}
		switch {
		case p == emp:
			pl.employee()
		case len(reports) > 0 && p == reports[0]:
			pl.overdueAssignment("ENG-SQLPERF", 50, 20)
			pl.choose(p)
		default:
			pl.choose(p)
		}
		pl.plan(live, p, emp, mgr, reports, active)
		pl.finish(d)
	}
	live.sessions = c.planSessions(pl, emp, rng)
	d.Sessions = d.trainingSessions()
	return nil
}

// catalogData describes the catalog in d, checking its skills against the framework and its
// paths' steps.
func catalogData(d *Data) error {
	known := make(map[string]bool, len(d.Skills))
	for _, s := range d.Skills {
		known[s.Name] = true
	}
	for _, co := range courses {
		it := LearningItem{Code: co.code, Title: co.title, Kind: co.kind, Language: cmp.Or(co.lang, "en"), Compliance: co.compliance,
			Certifying: co.certifying, ValidityMonths: co.validity, Objectives: co.objectives}
		for _, s := range co.skills {
			if !known[s.name] {
				return fmt.Errorf("demo: the course %s develops %q, which is not in the framework", co.code, s.name)
			}
			it.Skills = append(it.Skills, s.name)
		}
		if co.test != nil {
			it.Questions = len(co.test.questions)
		}
		for _, l := range co.levels {
			for _, st := range l.steps {
				if _, ok := courseIndex[st]; !ok {
					return fmt.Errorf("demo: the path %s has the unknown step %s", co.code, st)
				}
				it.Steps = append(it.Steps, st)
			}
		}
		d.Catalog = append(d.Catalog, it)
	}
	return nil
}

// trainingRules plans the rules: the compliance items for everyone (safety for Operations,
// when the company has it) and the onboarding path for new starters.
func (c *company) trainingRules(d *Data) {
	d.TrainingRules = []TrainingRule{
		{Name: "Everyone: data protection", Item: codeGDPR, DueDays: complianceDueDays},
		{Name: "Everyone: information security awareness", Item: codeSecurity, DueDays: complianceDueDays},
		{Name: "Everyone: anti-bribery and corruption", Item: codeBribery, DueDays: complianceDueDays},
		{Name: "Everyone: code of conduct", Item: codeConduct, DueDays: complianceDueDays},
	}
	if slices.ContainsFunc(c.units, func(u *unit) bool { return u.code == safetyUnit }) {
		d.TrainingRules = append(d.TrainingRules, TrainingRule{Name: "Operations: health and safety at work", Item: codeSafety, Unit: safetyUnit,
			DueDays: complianceDueDays})
	}
	d.TrainingRules = append(d.TrainingRules, TrainingRule{Name: "New starters: welcome to Northwind", Item: codeOnboarding, HiredWithinDays: 30,
		DueDays: onboardingDueDays})
}

// safetyUnit is the unit whose people must hold the safety course: Operations runs the offices,
// the stock rooms and the events.
const safetyUnit = "OPS"

// inUnit reports whether the person works in the unit with the code, or below it.
func inUnit(p *person, code string) bool {
	for u := p.unit; u != nil; u = u.parent {
		if u.code == code {
			return true
		}
	}
	return false
}

func (c *company) loginPerson(role string) *person {
	for _, l := range c.logins {
		if l.role == role {
			return l.person
		}
	}
	return nil
}

// chooseFirstAiders appoints first aiders: about one in sixty people of each office, facilities
// staff first.
func (c *company) chooseFirstAiders(rng *rand.Rand) []bool {
	out := make([]bool, len(c.people))
	var byOffice [numLocations][]*person
	for _, p := range c.people {
		if p.leftAgo == 0 && p.level != levelCEO {
			byOffice[p.loc] = append(byOffice[p.loc], p)
		}
	}
	for _, staff := range byOffice {
		if len(staff) < 8 {
			continue
		}
		want := max(1, len(staff)/60)
		var facilities, others []*person
		for _, p := range staff {
			if p.dept != nil && p.dept.code == "FAC" {
				facilities = append(facilities, p)
			} else {
				others = append(others, p)
			}
		}
		rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		for _, p := range append(facilities, others...)[:want] {
			out[p.seq] = true
		}
	}
	return out
}

func (pl *trainingPlanner) start(p *person) {
	pl.p, pl.last, pl.recs = p, p.hired-1, pl.recs[:0]
	pl.window = min(maxRatingDays, pl.last)
	clear(pl.used)
	clear(pl.first)
}

// finish adds the person's enrollments to the plan.
func (pl *trainingPlanner) finish(d *Data) {
	for _, e := range pl.recs {
		if has := pl.has[int(e.item)]; has != nil {
			has[e.person] = true
			if e.status == enEnrolled || e.status == enInProgress {
				pl.open[int(e.item)][e.person] = true
			}
		}
	}
	d.enrollments = append(d.enrollments, pl.recs...)
}

func (pl *trainingPlanner) add(item int, status, source int, enrolled, completed int) *enrollment {
	pl.used[item] = true
	pl.recs = append(pl.recs, enrollment{person: int32(pl.p.seq), item: int16(item), enrolled: int16(enrolled), completed: int16(completed),
		due: noDue, score: -1, status: int8(status), source: int8(source), reason: -1})
	return &pl.recs[len(pl.recs)-1]
}

// between draws a day from lo to hi, both included.
func (pl *trainingPlanner) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + pl.rng.IntN(hi-lo+1)
}

// openStatus draws whether an open enrollment has been started; items taught in sessions wait
// enrolled until a session is booked.
func (pl *trainingPlanner) openStatus(item int) int {
	if training.Scheduled(courses[item].kind) || pl.rng.IntN(100) < 40 {
		return enEnrolled
	}
	return enInProgress
}

// compliance plans a person's cycles of a recurring compliance item; class forces where the
// latest cycle leaves them.
func (pl *trainingPlanner) compliance(item, class int) {
	c := &courses[item]
	vd := validityDays(c.validity)
	rng := pl.rng
	var done []int // completions, oldest first, in days before the demo's day
	renewal := func() int { return pl.between(-15, 30) }
	if pl.last <= maxRatingDays {
		// A new starter's first cycle is their first week; renewals follow.
		if class == classOverdue || class == classAny && rng.IntN(100) < 3 {
			e := pl.add(item, pl.openStatus(item), byRule, pl.last, 0)
			e.due = int16(complianceDueDays - pl.last)
			return
		}
		for at := pl.last - rng.IntN(min(10, pl.last)); at >= 1; at -= vd - renewal() {
			done = append(done, at)
		}
	} else {
		x := rng.IntN(1000)
		switch class {
		case classCompliant:
			x = 0
		case classRenewal:
			x = shareCompliant
		case classOverdue:
			x = shareExpired
		}
		switch {
		case x < shareCompliant:
			done = []int{pl.between(5, vd-renewalWindow-1)}
		case x < shareRenewal:
			done = []int{pl.between(vd-renewalWindow, vd)}
			if class == classRenewal {
				done[0] = vd - 12
			}
		case x < shareExpired && pl.last >= vd+2:
			// Past its validity: for the two-year items, a little before the history's window.
			done = []int{pl.between(vd+2, min(vd+75, pl.last))}
		case x < shareExpired:
			done = []int{pl.between(vd-renewalWindow, vd)} // too new here to have let it expire
		case x < shareOverdue:
			at := pl.between(40, min(200, pl.window))
			e := pl.add(item, pl.openStatus(item), byRule, at, 0)
			e.due = int16(complianceDueDays - at)
			return
		case x < shareDueSoonNew:
			at := pl.between(2, 20)
			e := pl.add(item, pl.openStatus(item), byRule, at, 0)
			e.due = int16(complianceDueDays - at)
			return
		default:
			at := pl.between(10, min(400, pl.window))
			reason := rng.IntN(3)
			if item == courseIndex[codeSafety] && rng.IntN(2) == 0 {
				reason = remoteReason
			}
			if rng.IntN(10) < 4 && at+30 < pl.window {
				pl.completion(item, pl.between(at+30, min(at+200, pl.window)), -1)
			}
			e := pl.add(item, enExempt, byAdmin, at, 0)
			e.reason = int8(reason)
			return
		}
		for at := done[0] + vd - renewal(); at <= pl.window; at += vd - renewal() {
			done = slices.Insert(done, 0, at)
		}
	}
	prev := -1
	for _, at := range done {
		pl.completion(item, at, prev)
		prev = at
	}
	if len(done) > 0 {
		pl.first[item] = done[0]
		// The renewal of the latest completion, once its window has been open a few days; in
		// the first days the rules' daily run has yet to make it.
		if opened := prev - vd + renewalWindow; opened >= 3 {
			e := pl.add(item, pl.openStatus(item), byRule, opened, 0)
			e.due, e.atExpiry = int16(prev), true
		}
	}
}

// completion plans a completed cycle of a compliance item at day at: enrolled when the renewal
// of the completion before it (prev, -1 for none) opened, or a couple of weeks earlier.
func (pl *trainingPlanner) completion(item, at, prev int) {
	c := &courses[item]
	enrolled := min(at+pl.between(1, 20), pl.last)
	if at == pl.last || at >= pl.last-10 && pl.last <= maxRatingDays {
		enrolled = pl.last // a new starter's first week
	}
	due := complianceDueDays - enrolled
	atExpiry := false
	if prev >= 0 {
		enrolled = max(at, min(prev-validityDays(c.validity)+renewalWindow, pl.last))
		due, atExpiry = prev, true
	}
	e := pl.add(item, enCompleted, byRule, enrolled, at)
	e.due, e.atExpiry = int16(due), atExpiry
	if c.test != nil {
		e.score = pl.testScore(c.test)
	}
}

// testScore draws the score of the attempt that passed: each attempt around 82%, a little
// better each time, in the steps the test's points allow; the third attempt passes at worst
// with the pass mark.
func (pl *trainingPlanner) testScore(q *quiz) int16 {
	points := q.points()
	for try := range 3 {
		sum := 0
		for range 12 {
			sum += pl.rng.IntN(1000)
		}
		raw := 820 + 40*try + (sum-5994)*2/25 // tenths of a percent; sd 8 points
		halves := min(max((raw*points*2+500)/1000, 0), 2*points)
		score := (halves*1000 + points) / (2 * points)
		if score >= q.passMark*10 {
			return int16(score)
		}
	}
	halves := (q.passMark*points*2 + 99) / 100
	return int16((halves*1000 + points) / (2 * points))
}

// stepDays draws how long after enrolling someone completes an item of a kind.
func (pl *trainingPlanner) stepDays(item int) int {
	switch courses[item].kind {
	case training.KindMicrolearning, training.KindJobAid:
		return pl.between(0, 3)
	case training.KindReading, training.KindVideo:
		return pl.between(0, 7)
	case training.KindELearning:
		return pl.between(1, 21)
	case training.KindCourse:
		return pl.between(5, 40)
	case training.KindExternal:
		return pl.between(14, 75)
	}
	return pl.between(7, 50) // a session to wait for
}

// path plans an enrollment in a path from day start: each level's steps are enrolled in when it
// opens; the next opens when enough of them are complete. Steps that are compliance items count
// with the person's own completion of them. A step may stall; sure keeps every step going.
func (pl *trainingPlanner) path(item, start, source, dueDays int, sure bool) {
	c := &courses[item]
	opens := start
	complete := true
	for _, l := range c.levels {
		var done []int
		for _, code := range l.steps {
			st := courseIndex[code]
			if courses[st].compliance {
				if at, ok := pl.first[st]; ok && at <= opens {
					done = append(done, at)
				}
				continue
			}
			if pl.used[st] {
				continue
			}
			at := opens - pl.stepDays(st)
			if at >= 1 && (sure || pl.rng.IntN(100) >= 6) {
				e := pl.add(st, enCompleted, byPath, opens, at)
				if courses[st].test != nil {
					e.score = pl.testScore(courses[st].test)
				}
				done = append(done, at)
			} else {
				pl.add(st, pl.openStatus(st), byPath, opens, 0)
			}
		}
		needed := len(l.steps)
		if l.required > 0 {
			needed = l.required
		}
		if len(done) < needed {
			complete = false
			break
		}
		slices.Sort(done)
		slices.Reverse(done) // the earliest first
		opens = done[needed-1]
	}
	status, completed := enInProgress, 0
	if complete {
		status, completed = enCompleted, opens
	}
	e := pl.add(item, status, source, start, completed)
	if dueDays > 0 {
		e.due = int16(dueDays - start)
	}
}

// firstAid plans an appointed first aider's qualification: held, or assigned and waiting for
// a session.
func (pl *trainingPlanner) firstAid() {
	item := courseIndex[codeFirstAid]
	if pl.rng.IntN(100) < 20 || pl.window < 60 {
		at := pl.between(12, min(60, pl.window))
		e := pl.add(item, enEnrolled, byAdmin, at, 0)
		e.due = int16(90 - at)
		return
	}
	at := pl.between(20, pl.window-40)
	pl.add(item, enCompleted, byAdmin, at+pl.between(10, 40), at)
}

// leadership plans a manager's leadership programme: most took it, some are still in it.
func (pl *trainingPlanner) leadership(scripted bool) {
	item := courseIndex[codeLeadership]
	rng := pl.rng
	if scripted {
		pl.managerProgramme(item)
		return
	}
	if rng.IntN(100) >= 70 || pl.window < 60 {
		return
	}
	start := pl.between(60, pl.window)
	source, due := bySelf, 0
	switch x := rng.IntN(100); {
	case x < 35:
		source, due = byManager, 180
	case x < 55:
		source, due = byAdmin, 180
	}
	pl.path(item, start, source, due, false)
}

// managerProgramme is the manager login's programme: the first stage done, the second under way.
func (pl *trainingPlanner) managerProgramme(item int) {
	start := min(150, pl.last)
	steps := courses[item].levels
	at := start
	for _, code := range steps[0].steps {
		at = max(at-pl.between(5, 20), 40)
		pl.add(courseIndex[code], enCompleted, byPath, start, at)
	}
	second := steps[1].steps // a workshop done, a session to book, an e-learning module begun
	pl.add(courseIndex[second[0]], enCompleted, byPath, at, max(at-15, 1))
	pl.add(courseIndex[second[1]], enEnrolled, byPath, at, 0)
	pl.add(courseIndex[second[2]], enInProgress, byPath, at, 0)
	e := pl.add(item, enInProgress, byManager, start, 0)
	e.due = int16(180 - start)
}

// choose plans the items a person chose or was sent on: one to three that suit them, more for
// managers.
func (pl *trainingPlanner) choose(p *person) {
	rng := pl.rng
	var eligible []int
	total := 0
	for i := range courses {
		c := &courses[i]
		if c.weight > 0 && !pl.used[i] && c.who(p) {
			eligible = append(eligible, i)
			total += c.weight
		}
	}
	n := 1 + rng.IntN(3)
	if managers(p) {
		n++
	}
	for ; n > 0 && total > 0; n-- {
		x := rng.IntN(total)
		for k, i := range eligible {
			if x -= courses[i].weight; x < 0 {
				total -= courses[i].weight
				eligible = slices.Delete(eligible, k, k+1)
				pl.chosen(p, i)
				break
			}
		}
	}
}

// chosen plans one enrollment in an item someone chose or was sent on, at any time in their
// window: mostly completed, sometimes dropped or stalled, and still open when recent.
func (pl *trainingPlanner) chosen(p *person, item int) {
	rng := pl.rng
	c := &courses[item]
	source := bySelf
	switch x := rng.IntN(100); {
	case x < 55:
	case x < 85 && p.manager != nil:
		source = byManager
	case x >= 85:
		source = byAdmin
	}
	enrolled := pl.between(1, pl.window)
	at := enrolled - pl.stepDays(item)
	due := noDue
	if source != bySelf {
		due = []int{30, 45, 60}[rng.IntN(3)] - enrolled
	}
	var e *enrollment
	switch y := rng.IntN(100); {
	case at >= 1 && y < 82:
		e = pl.add(item, enCompleted, source, enrolled, at)
		if c.test != nil {
			e.score = pl.testScore(c.test)
		}
	case at >= 1 && y < 92 && source == bySelf:
		e = pl.add(item, enWithdrawn, source, enrolled, 0)
		e.reason = int8(firstWithdrawReason + rng.IntN(len(reasons)-firstWithdrawReason))
	default:
		e = pl.add(item, pl.openStatus(item), source, enrolled, 0)
	}
	e.due = int16(due)
}

// overdueAssignment plans an item a manager assigned days ago, due overdue days ago, not started.
func (pl *trainingPlanner) overdueAssignment(code string, days, overdue int) {
	days = min(days, pl.last)
	e := pl.add(courseIndex[code], enEnrolled, byManager, days, 0)
	e.due = int16(-overdue)
}

// employee plans the employee login's own items: an assignment overdue and one due soon, a
// course under way and two completed. Their test and their session come live (see plan).
func (pl *trainingPlanner) employee() {
	pl.overdueAssignment("ENG-OTEL", 40, 9)
	e := pl.add(courseIndex["ENG-TESTING"], enEnrolled, byManager, 5, 0)
	e.due = 10
	pl.add(courseIndex["ENG-SYSDESIGN"], enInProgress, bySelf, min(20, pl.last), 0)
	pl.add(courseIndex["ENG-REVIEW"], enCompleted, bySelf, min(62, pl.last), min(60, pl.last-1))
	pl.add(courseIndex["ENG-HANDBOOK"], enCompleted, bySelf, min(110, pl.last), min(100, pl.last-2))
	pl.used[courseIndex[codeProductCrt]], pl.used[courseIndex["ENG-SECCODE"]] = true, true
}

// Bounds on the live actions besides the logins', whatever the size of the demo.
const (
	liveRequests   = 8
	liveRenewals   = 3
	liveCertified  = 4
	liveFinishes   = 2
	liveExemptions = 1
)

// plan adds the person's live actions, now that their history is known.
func (pl *trainingPlanner) plan(live *liveActions, p, emp, mgr *person, reports []*person, active int) {
	rng := pl.rng
	me := int32(p.seq)
	approval := []string{"ENG-K8S", "ENG-TF", "ENG-MLOPS", "LANG-EN", "SAL-NEGOT", "LANG-DE", "LANG-FR"}
	wants := func(code string) bool { i := courseIndex[code]; return !pl.used[i] && courses[i].who(p) }
	switch {
	case p == emp:
		cert := &courses[courseIndex[codeProductCrt]]
		right := make([]bool, len(cert.test.questions))
		right[0], right[4] = true, true // two of six: a fail
		live.attempts = append(live.attempts, attempt{person: me, item: int32(courseIndex[codeProductCrt]), right: right})
		if mgr != nil {
			live.nudges = append(live.nudges, assignment{manager: int32(mgr.seq), person: me, item: int32(courseIndex["ENG-OTEL"])})
		}
		return
	case slices.Contains(reports, p):
		// The manager login's team: three ask to take a course, one is assigned a course.
		switch k := slices.Index(reports, p); {
		case k < 3:
			code := approval[k]
			for i := 0; pl.used[courseIndex[code]] && i < len(approval); i++ {
				code = approval[i]
			}
			if !pl.used[courseIndex[code]] {
				live.requests = append(live.requests, request{person: me, item: int32(courseIndex[code]), manager: int32(mgr.seq)})
			}
		case k == 3:
			if i := courseIndex["ENG-REVIEW"]; !pl.used[i] {
				live.assigns = append(live.assigns, assignment{manager: int32(mgr.seq), person: me, item: int32(i), dueIn: 21})
			}
		}
		return
	case p.login:
		return
	}
	// Elsewhere, a few people at random: about liveRequests of them in the whole company.
	if p.manager != nil && rng.IntN(active) < liveRequests && len(live.requests) < liveRequests+3 {
		for _, code := range approval {
			if wants(code) {
				r := request{person: me, item: int32(courseIndex[code]), manager: int32(p.manager.seq)}
				switch len(live.requests) % 4 {
				case 0:
					r.decide = 1
				case 1:
					r.decide = -1
				}
				live.requests = append(live.requests, r)
				break
			}
		}
	}
	for _, e := range pl.recs {
		open := e.status == enEnrolled || e.status == enInProgress
		switch {
		case !open:
		case int(e.item) == courseIndex[codeSecurity] && countAttempts(live, codeSecurity) < liveRenewals && rng.IntN(20) == 0:
			right := slices.Repeat([]bool{true}, len(courses[e.item].test.questions))
			right[2] = false
			live.attempts = append(live.attempts, attempt{person: me, item: int32(e.item), right: right})
		case selfPaced(int(e.item)) && len(live.finishes) < liveFinishes && rng.IntN(10) == 0:
			live.finishes = append(live.finishes, assignment{person: me, item: int32(e.item)})
		case int(e.item) == courseIndex[codeSafety] && len(live.exempts) < liveExemptions:
			live.exempts = append(live.exempts, exemption{person: me, item: int32(e.item), reason: remoteReason})
		}
	}
	if i := courseIndex[codeProductCrt]; wants(codeProductCrt) && countAttempts(live, codeProductCrt) < liveCertified+1 && rng.IntN(8) == 0 {
		right := slices.Repeat([]bool{true}, len(courses[i].test.questions))
		if countAttempts(live, codeProductCrt)%4 == 3 {
			right[1], right[2], right[3] = false, false, false // fails
		} else {
			right[4] = false
		}
		live.attempts = append(live.attempts, attempt{person: me, item: int32(i), right: right})
	}
}

// selfPaced reports whether the learner completes an item by saying so: no test, no session,
// not a path, and not compliance, which takes evidence.
func selfPaced(item int) bool {
	c := &courses[item]
	return c.test == nil && !training.Scheduled(c.kind) && c.kind != training.KindPath && !c.compliance
}

func countAttempts(live *liveActions, code string) int {
	n := 0
	for _, a := range live.attempts {
		if courses[a.item].code == code {
			n++
		}
	}
	return n
}
