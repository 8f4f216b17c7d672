package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

// historyBatch is how many enrollments Generate records in one transaction: large enough that
// the per-batch work (reading the items, rebuilding the statuses, the audit entry) does not
// matter, small enough to keep memory flat at a million enrollments.
const historyBatch = 20_000

// replayClock is the training service's clock while the demo writes: the real time, except
// while the demo replays something that happened earlier (a session scheduled weeks ago, its
// registrations, the attendance marked after it).
type replayClock struct {
	base core.Clock
	at   time.Time
}

func (c *replayClock) Now() time.Time {
	if c.at.IsZero() {
		return c.base.Now()
	}
	return c.at
}

// trainingWriter writes the training picture.
type trainingWriter struct {
	data  *Data
	svc   *training.Service
	clock *replayClock
	res   *Result
	now   time.Time
	day0  time.Time // midnight (UTC) of the day Generate runs: the demo's day, for the history
	lnd   *core.Actor
	ids   []string // person ids in planning order; "" for people who left
	items []*training.Item
	quiz  map[int]string // item → the id of its test
}

// writeTraining writes the training picture through a training service on the same database:
// the catalog with its content, paths, question banks and tests, as the L&D login; the history
// in batches; the rules, whose first run assigns what the history left open (renewals whose
// window opened in the last days); then the sessions and the live actions, each at the time it
// happened, as the people who took them; and last the rules' run for the people the import
// added, so that the server starts with nothing left to do. people maps employee numbers to ids.
func writeTraining(ctx context.Context, orgs *org.Service, data *Data, people map[string]string, res *Result) error {
	if len(data.Catalog) == 0 {
		return nil
	}
	clock := &replayClock{base: orgs.Clock}
	sk := skills.NewService(orgs.DB, clock, orgs)
	svc := training.NewService(orgs.DB, clock, orgs, sk, nil)
	svc.Organization = data.Company
	now := orgs.Clock.Now()
	w := &trainingWriter{data: data, svc: svc, clock: clock, res: res, now: now, quiz: map[int]string{},
		day0: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
	w.ids = make([]string, len(data.numbers))
	for i, n := range data.numbers {
		w.ids[i] = people[n]
	}
	w.lnd = w.actor(data.live.lnd)
	w.lnd.Roles = []core.Role{core.RoleLnDAdmin}
	if err := w.catalog(ctx, sk); err != nil {
		return err
	}
	if err := w.history(ctx); err != nil {
		return err
	}
	// Without statistics, SQLite reads a person's enrollments in one item through the item's
	// index: every enrollment change would scan the item's whole history. Fresh statistics
	// let it take the person's index.
	if _, err := orgs.DB.ExecContext(ctx, `ANALYZE enrollments`); err != nil {
		return fmt.Errorf("analyze the demo's enrollments: %w", err)
	}
	if err := w.rules(ctx, orgs); err != nil {
		return err
	}
	if err := w.sessions(ctx); err != nil {
		return err
	}
	if err := w.actions(ctx); err != nil {
		return err
	}
	clock.at = time.Time{}
	if _, err := svc.RefreshRules(ctx); err != nil {
		return fmt.Errorf("apply the demo's rules to its people: %w", err)
	}
	// The counts are read back rather than added up: a completion in a session or a test also
	// moves its paths on, which enrolls in their next steps and may complete and certify them.
	err := orgs.DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM enrollments), (SELECT count(*) FROM enrollments WHERE status = 'completed'),
		(SELECT count(*) FROM certificates)`).Scan(&res.Enrollments, &res.Completions, &res.Certificates)
	if err != nil {
		return fmt.Errorf("count the demo's enrollments: %w", err)
	}
	return nil
}

// actor is a person of the demo acting for themself.
func (w *trainingWriter) actor(i int32) *core.Actor {
	return &core.Actor{PersonID: w.ids[i], Name: w.data.names[i], TimeZone: w.data.zones[i]}
}

func (w *trainingWriter) manager(i int32) *core.Actor {
	a := w.actor(i)
	a.IsManager = true
	return a
}

// contentTitles name an item's link by its kind.
var contentTitles = map[string]string{
	training.KindELearning: "Start the module", training.KindCourse: "Course materials", training.KindReading: "Read online",
	training.KindVideo: "Watch the video", training.KindJobAid: "Open the guide", training.KindMicrolearning: "Start the lessons",
}

// catalog creates the items, their content links, question banks and tests, then the paths.
func (w *trainingWriter) catalog(ctx context.Context, sk *skills.Service) error {
	all, err := sk.FindSkills(ctx, core.System, skills.SkillFilter{})
	if err != nil {
		return fmt.Errorf("find the demo's skills: %w", err)
	}
	skillIDs := make(map[string]string, len(all))
	for _, s := range all {
		skillIDs[s.Name] = s.ID
	}
	svc, lnd := w.svc, w.lnd
	w.items = make([]*training.Item, len(courses))
	for i := range courses {
		c := &courses[i]
		in := training.ItemInput{Code: c.code, Title: c.title, Description: c.about, Kind: c.kind, Modality: c.modality, DurationMinutes: c.minutes,
			Language: c.lang, Provider: c.provider, CostPerLearner: training.Money(c.perLearner), FixedCost: training.Money(c.fixed), Currency: "GBP",
			ExternalURL: c.external, Status: training.StatusPublished, Enrollment: cmp.Or(c.enroll, training.EnrollOpen), Certifying: c.certifying,
			Compliance: c.compliance, ValidityMonths: c.validity, Tags: c.tags}
		for _, s := range c.skills {
			in.Skills = append(in.Skills, training.ItemSkill{SkillID: skillIDs[s.name], TargetLevel: s.level})
		}
		for _, o := range c.objectives {
			in.Objectives = append(in.Objectives, training.ObjectiveInput{Text: o})
		}
		it, err := svc.CreateItem(ctx, lnd, in)
		if err != nil {
			return fmt.Errorf("create demo learning item %s: %w", c.code, err)
		}
		w.items[i] = it
		if c.link != "" {
			if _, err := svc.AddContentLink(ctx, lnd, it.ID, cmp.Or(contentTitles[c.kind], "Open"), c.link); err != nil {
				return fmt.Errorf("add the content of %s: %w", c.code, err)
			}
		}
		if c.test == nil {
			continue
		}
		for _, q := range c.test.questions {
			in := training.QuestionInput{ObjectiveID: it.Objectives[q.obj].ID, Kind: q.kind, Prompt: q.prompt, Explanation: q.explain,
				Points: q.points, Accepted: q.accepted}
			switch q.kind {
			case training.QuestionTrueFalse:
				in.Answer = &q.answer
			default:
				for _, o := range q.options {
					text, right := strings.CutPrefix(o, "*")
					in.Options = append(in.Options, training.OptionInput{Text: text, Correct: right})
				}
			}
			if _, err := svc.SaveQuestion(ctx, lnd, it.ID, "", in); err != nil {
				return fmt.Errorf("add a question to %s: %w", c.code, err)
			}
		}
		z, err := svc.SetQuiz(ctx, lnd, it.ID, training.QuizTest, training.QuizInput{PassMark: c.test.passMark, MaxAttempts: c.test.attempts,
			TimeLimitMinutes: c.test.minutes, ShuffleQuestions: true, ShuffleOptions: true})
		if err != nil {
			return fmt.Errorf("set the test of %s: %w", c.code, err)
		}
		w.quiz[i] = z.ID
	}
	for i := range courses {
		c := &courses[i]
		if len(c.levels) == 0 {
			continue
		}
		var in training.PathInput
		for _, l := range c.levels {
			lv := training.PathLevelInput{Name: l.name, Required: l.required}
			for _, code := range l.steps {
				lv.ItemIDs = append(lv.ItemIDs, w.items[courseIndex[code]].ID)
			}
			in.Levels = append(in.Levels, lv)
		}
		if _, err := svc.SetPath(ctx, lnd, w.items[i].ID, in); err != nil {
			return fmt.Errorf("set the steps of %s: %w", c.code, err)
		}
	}
	w.res.LearningItems = len(courses)
	return nil
}

// at is a time of day ago days before the demo's day: working hours in UTC, spread by salt.
func (w *trainingWriter) at(ago int, salt int) time.Time {
	return w.day0.AddDate(0, 0, -ago).Add(8*time.Hour + time.Duration(salt%540)*time.Minute)
}

// date is the date days after the demo's day.
func (w *trainingWriter) date(days int) core.Date { return core.DateOf(w.day0.AddDate(0, 0, days)) }

// history records the planned enrollments in batches that end between people.
func (w *trainingWriter) history(ctx context.Context) error {
	recs := w.data.enrollments
	batch := make([]training.HistoryRecord, 0, min(historyBatch, len(recs))+100)
	scores := make([]float64, 0, cap(batch))
	times := make([]time.Time, 0, cap(batch))
	flush := func() error {
		if _, err := w.svc.RecordHistory(ctx, w.lnd, batch, "the demo organization's learning history"); err != nil {
			return fmt.Errorf("record the demo's learning history: %w", err)
		}
		batch, scores, times = batch[:0], scores[:0], times[:0]
		return nil
	}
	for i, e := range recs {
		if len(batch) >= historyBatch && e.person != recs[i-1].person {
			if err := flush(); err != nil {
				return err
			}
		}
		c := &courses[e.item]
		r := training.HistoryRecord{PersonID: w.ids[e.person], ItemID: w.items[e.item].ID, Source: enrollmentSources[e.source],
			Status: enrollmentStatuses[e.status], EnrolledAt: w.at(int(e.enrolled), i*7919)}
		switch {
		case e.atExpiry:
			r.DueOn = core.DateOf(w.day0.AddDate(0, 0, -int(e.due)).AddDate(0, c.validity, 0))
		case e.due != noDue:
			r.DueOn = w.date(int(e.due))
		}
		if e.status == enCompleted {
			t := w.at(int(e.completed), i*104729+31)
			if e.completed == e.enrolled {
				t = r.EnrolledAt.Add(time.Duration(min(max(c.minutes, 5), 90)) * time.Minute)
			}
			times = append(times, t)
			r.CompletedAt = &times[len(times)-1]
		}
		if e.score >= 0 {
			scores = append(scores, float64(e.score)/10)
			r.Score = &scores[len(scores)-1]
		}
		if e.reason >= 0 {
			r.Reason = reasons[e.reason]
		}
		batch = append(batch, r)
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

// rules creates the assignment rules; each applies itself at once.
func (w *trainingWriter) rules(ctx context.Context, orgs *org.Service) error {
	units, err := orgs.FindUnits(ctx, core.System)
	if err != nil {
		return err
	}
	unitIDs := map[string]string{}
	for _, u := range units {
		unitIDs[u.Code] = u.ID
	}
	for _, r := range w.data.TrainingRules {
		_, _, err := w.svc.CreateRule(ctx, w.lnd, training.RuleInput{Name: r.Name, ItemID: w.items[courseIndex[r.Item]].ID, OrgUnitID: unitIDs[r.Unit],
			HiredWithinDays: r.HiredWithinDays, DueDays: r.DueDays, Active: true})
		if err != nil {
			return fmt.Errorf("create the demo rule %q: %w", r.Name, err)
		}
	}
	return nil
}

// sessions schedules the sessions, each when it was scheduled: three weeks ahead of a past
// session, ten days before the day Generate runs for one to come; people register over the
// following hours; attendance of a past session is marked after it ends, and the cancelled
// session is cancelled two days ago.
func (w *trainingWriter) sessions(ctx context.Context) error {
	svc, clock := w.svc, w.clock
	defer func() { clock.at = time.Time{} }()
	monday := w.day0.AddDate(0, 0, -((int(w.day0.Weekday()) + 6) % 7))
	for k, ps := range w.data.live.sessions {
		s := ps.plan
		start, loc, err := sessionStart(s, monday)
		if err != nil {
			return err
		}
		end := start.Add(time.Duration(s.minutes) * time.Minute)
		room, link := s.place(start)
		in := training.SessionInput{ItemID: w.items[ps.item].ID, StartsAt: start, EndsAt: end, TimeZone: loc.String(), Location: room, OnlineURL: link,
			Capacity: s.capacity}
		if room != "" {
			deadline := start.AddDate(0, 0, -2)
			in.RegistrationDeadline = &deadline
		}
		if ps.instructor >= 0 {
			in.InstructorID = w.ids[ps.instructor]
		}
		created := w.now.AddDate(0, 0, -10).Add(time.Duration(k) * time.Minute)
		if s.week < 0 {
			created = start.AddDate(0, 0, -21)
		}
		clock.at = created
		ss, err := svc.CreateSession(ctx, w.lnd, in)
		if err != nil {
			return fmt.Errorf("schedule a demo session of %s: %w", s.item, err)
		}
		if ps.assign && len(ps.people) > 0 {
			clock.at = created.Add(20 * time.Minute)
			in := training.AssignInput{ItemID: w.items[ps.item].ID, DueOn: core.DateOf(end.In(loc).AddDate(0, 0, 14)),
				Note: "You are one of the office's new first aiders: book the course below."}
			for _, who := range ps.people {
				in.PersonIDs = append(in.PersonIDs, w.ids[who])
			}
			if _, err := svc.Assign(ctx, w.lnd, in); err != nil {
				return fmt.Errorf("appoint the demo's first aiders: %w", err)
			}
		}
		seated := map[string]bool{}
		for j, who := range ps.people {
			clock.at = created.Add(time.Duration(j+1) * 41 * time.Minute)
			reg, err := svc.Register(ctx, w.actor(who), ss.ID)
			if err != nil {
				return fmt.Errorf("register for the demo session of %s: %w", s.item, err)
			}
			if reg.Status == training.RegistrationRegistered {
				seated[reg.PersonID] = true
			}
		}
		w.res.Sessions++
		switch {
		case s.week < 0:
			clock.at = end.Add(90 * time.Minute)
			marks := training.AttendanceInput{}
			for j, who := range ps.people {
				if !seated[w.ids[who]] {
					continue
				}
				marks[w.ids[who]] = training.NoShow
				if ps.attended[j] {
					marks[w.ids[who]] = training.Attended
				}
			}
			if err := svc.MarkAttendance(ctx, w.lnd, ss.ID, marks); err != nil {
				return fmt.Errorf("mark attendance of the demo session of %s: %w", s.item, err)
			}
		case s.cancel != "":
			clock.at = w.now.AddDate(0, 0, -2)
			if _, err := svc.CancelSession(ctx, w.lnd, ss.ID, s.cancel); err != nil {
				return fmt.Errorf("cancel the demo session of %s: %w", s.item, err)
			}
		}
	}
	return nil
}

// actions does what people do on their learning pages: requests, decisions, a manager's
// assignment and reminder, tests taken, an item marked complete, an exemption.
func (w *trainingWriter) actions(ctx context.Context) error {
	svc, live := w.svc, &w.data.live
	for _, r := range live.requests {
		e, err := svc.Enroll(ctx, w.actor(r.person), w.items[r.item].ID)
		if err != nil {
			return fmt.Errorf("ask to take %s: %w", courses[r.item].code, err)
		}
		if r.decide == 0 || e.Status != training.EnrollmentRequested {
			continue
		}
		reason := ""
		if r.decide < 0 {
			reason = "Not this quarter: the team's training budget is spent. Ask again in the next planning round."
		}
		if _, err := svc.Decide(ctx, w.manager(r.manager), e.ID, r.decide > 0, reason); err != nil {
			return fmt.Errorf("decide a request to take %s: %w", courses[r.item].code, err)
		}
	}
	for _, a := range live.assigns {
		if _, err := svc.Assign(ctx, w.manager(a.manager), training.AssignInput{ItemID: w.items[a.item].ID, PersonIDs: []string{w.ids[a.person]},
			DueOn: w.date(a.dueIn), Note: "Fifteen minutes well spent before your next review."}); err != nil {
			return fmt.Errorf("assign %s: %w", courses[a.item].code, err)
		}
	}
	for _, n := range live.nudges {
		mgr := w.manager(n.manager)
		open, _, err := svc.FindEnrollments(ctx, mgr, training.EnrollmentFilter{PersonID: w.ids[n.person], ItemID: w.items[n.item].ID, Status: "open"})
		if err != nil {
			return err
		}
		for _, e := range open {
			if err := svc.Nudge(ctx, mgr, e.ID, "Could you finish this before the sprint review?"); err != nil {
				return fmt.Errorf("remind of %s: %w", courses[n.item].code, err)
			}
		}
	}
	for _, a := range live.attempts {
		if err := w.attempt(ctx, a); err != nil {
			return err
		}
	}
	for _, f := range live.finishes {
		me := w.actor(f.person)
		open, _, err := svc.FindEnrollments(ctx, me, training.EnrollmentFilter{PersonID: me.PersonID, ItemID: w.items[f.item].ID, Status: "open"})
		if err != nil {
			return err
		}
		for _, e := range open {
			if _, err := svc.MarkComplete(ctx, me, e.ID); err != nil {
				return fmt.Errorf("complete %s: %w", courses[f.item].code, err)
			}
		}
	}
	for _, x := range live.exempts {
		if _, err := svc.Exempt(ctx, w.lnd, training.ExemptInput{PersonID: w.ids[x.person], ItemID: w.items[x.item].ID, Reason: reasons[x.reason]}); err != nil {
			return fmt.Errorf("exempt from %s: %w", courses[x.item].code, err)
		}
	}
	return nil
}

// attempt takes a test as its person: each question answered right or wrong as planned, in the
// order the attempt drew them.
func (w *trainingWriter) attempt(ctx context.Context, a attempt) error {
	svc, me := w.svc, w.actor(a.person)
	code := courses[a.item].code
	bank, err := svc.FindQuestions(ctx, w.lnd, w.items[a.item].ID)
	if err != nil {
		return err
	}
	at, err := svc.StartAttempt(ctx, me, w.quiz[int(a.item)])
	if err != nil {
		return fmt.Errorf("start the test of %s: %w", code, err)
	}
	answers := map[string]training.Response{}
	for _, aq := range at.Questions {
		i := slices.IndexFunc(bank, func(q *training.Question) bool { return q.ID == aq.ID })
		if i < 0 {
			continue
		}
		answers[aq.ID] = answer(bank[i], a.right[i])
	}
	if _, err := svc.SubmitAttempt(ctx, me, at.ID, answers); err != nil {
		return fmt.Errorf("submit the test of %s: %w", code, err)
	}
	return nil
}

// answer is a right or a wrong response to a question.
func answer(q *training.Question, right bool) training.Response {
	var good, bad []string
	for _, o := range q.Options {
		if o.Correct {
			good = append(good, o.ID)
		} else {
			bad = append(bad, o.ID)
		}
	}
	switch q.Kind {
	case training.QuestionShort:
		if right {
			return training.Response{Text: q.Accepted[0]}
		}
		return training.Response{Text: "not sure"}
	case training.QuestionOrdering:
		if right {
			return training.Response{OptionIDs: good}
		}
		wrong := slices.Clone(good)
		slices.Reverse(wrong)
		return training.Response{OptionIDs: wrong}
	}
	if right {
		if q.Kind == training.QuestionMultiple {
			return training.Response{OptionIDs: good}
		}
		return training.Response{OptionIDs: good[:1]}
	}
	return training.Response{OptionIDs: bad[:1]}
}
