package training

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// Entry is a person's standing with one item, as "My learning" and the team view show it.
type Entry struct {
	ItemID        string     `json:"item_id"`
	Title         string     `json:"title"`
	Kind          string     `json:"kind"`
	Compliance    bool       `json:"compliance"`
	EnrollmentID  string     `json:"enrollment_id,omitempty"` // the open enrollment
	Status        string     `json:"status,omitempty"`        // the open enrollment's status
	Source        string     `json:"source,omitempty"`
	DueOn         core.Date  `json:"due_on"`
	Overdue       bool       `json:"overdue"`
	CompletedAt   *time.Time `json:"completed_at,omitempty"`
	Score         *float64   `json:"score,omitempty"`
	ValidUntil    core.Date  `json:"valid_until"`
	CertificateID string     `json:"certificate_id,omitempty"`
	// ComplianceStatus is set for compliance items required of the person.
	ComplianceStatus string `json:"compliance_status,omitempty"`
	Exempt           bool   `json:"exempt"`
}

// Assigned reports whether the open enrollment was assigned rather than chosen.
func (e *Entry) Assigned() bool { return e.Source != "" && e.Source != SourceSelf }

// Recommendation is an item that closes some of a person's skill gaps.
type Recommendation struct {
	ItemID string   `json:"item_id"`
	Title  string   `json:"title"`
	Kind   string   `json:"kind"`
	Skills []string `json:"skills"` // the gap skills it develops
	// Closes is the weighted levels of gap it would close (criticality weight × levels).
	Closes float64 `json:"closes"`
}

// MyLearning is a learner's page: what is assigned (due first), what is in progress or waits
// for approval, what would close their role's gaps, what they completed, and their sessions.
type MyLearning struct {
	Assigned    []*Entry          `json:"assigned"`
	InProgress  []*Entry          `json:"in_progress"`
	Requested   []*Entry          `json:"requested"`
	Recommended []*Recommendation `json:"recommended"`
	Completed   []*Entry          `json:"completed"`
	Exempt      []*Entry          `json:"exempt"`
	Sessions    []*MySession      `json:"sessions"`
}

// MySession is an upcoming session the person has a place in.
type MySession struct {
	Session        *Session `json:"session"`
	RegistrationID string   `json:"registration_id"`
	Status         string   `json:"status"`
	Position       int      `json:"waitlist_position,omitempty"`
}

// entries reads a person's standing with every item they were ever enrolled in.
func (s *Service) entries(ctx context.Context, q db.Queryer, personID, tz string, now time.Time) ([]*Entry, error) {
	day := today(now, tz)
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.title, i.kind, i.compliance, COALESCE(s.open_id, ''), s.open_status, COALESCE(e.source, ''), s.due_on,
		s.completed_at, s.score, s.valid_until, COALESCE(c.id, ''), s.required OR s.exempt, s.exempt, `+statusCase+`
		FROM training_status s JOIN learning_items i ON i.id = s.item_id LEFT JOIN enrollments e ON e.id = s.open_id
		LEFT JOIN certificates c ON c.enrollment_id = s.completed_id AND c.revoked_at IS NULL
		WHERE s.person_id = ?`, append(statusArgs(day), personID)...)
	if err != nil {
		return nil, fmt.Errorf("read learning: %w", err)
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		var e Entry
		var counted bool
		var status string
		if err := rows.Scan(&e.ItemID, &e.Title, &e.Kind, &e.Compliance, &e.EnrollmentID, &e.Status, &e.Source, &e.DueOn, &e.CompletedAt, &e.Score,
			&e.ValidUntil, &e.CertificateID, &counted, &e.Exempt, &status); err != nil {
			return nil, err
		}
		utc(e.CompletedAt)
		e.Overdue = e.EnrollmentID != "" && !e.DueOn.IsZero() && e.DueOn.Before(day)
		if e.Compliance && counted {
			e.ComplianceStatus = status
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// FindMyLearning returns the actor's learning page.
func (s *Service) FindMyLearning(ctx context.Context, actor *core.Actor) (*MyLearning, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	if actor.PersonID == "" {
		return nil, core.NotFound("person")
	}
	now := s.Clock.Now()
	entries, err := s.entries(ctx, s.DB.Reader(), actor.PersonID, actor.TimeZone, now)
	if err != nil {
		return nil, err
	}
	m := &MyLearning{Assigned: []*Entry{}, InProgress: []*Entry{}, Requested: []*Entry{}, Completed: []*Entry{}, Exempt: []*Entry{},
		Recommended: []*Recommendation{}, Sessions: []*MySession{}}
	for _, e := range entries {
		switch {
		case e.Exempt:
			m.Exempt = append(m.Exempt, e)
		case e.Status == EnrollmentRequested:
			m.Requested = append(m.Requested, e)
		case e.EnrollmentID != "" && e.Assigned():
			m.Assigned = append(m.Assigned, e)
		case e.EnrollmentID != "":
			m.InProgress = append(m.InProgress, e)
		}
		if e.CompletedAt != nil {
			m.Completed = append(m.Completed, e)
		}
	}
	// Assigned: overdue first, then the nearest due date, undated last.
	slices.SortFunc(m.Assigned, func(a, b *Entry) int {
		switch {
		case a.DueOn.IsZero() != b.DueOn.IsZero():
			if a.DueOn.IsZero() {
				return 1
			}
			return -1
		case a.DueOn != b.DueOn:
			if a.DueOn.Before(b.DueOn) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Title, b.Title)
	})
	byTitle := func(a, b *Entry) int { return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) }
	slices.SortFunc(m.InProgress, byTitle)
	slices.SortFunc(m.Requested, byTitle)
	slices.SortFunc(m.Completed, func(a, b *Entry) int { return b.CompletedAt.Compare(*a.CompletedAt) })
	if m.Sessions, err = s.mySessions(ctx, actor.PersonID, now); err != nil {
		return nil, err
	}
	if actor.Can(core.PermSkillsRead) && s.Skills != nil {
		if m.Recommended, err = s.recommend(ctx, actor, entries, 5); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// mySessions lists the person's places in sessions that have not ended, soonest first.
func (s *Service) mySessions(ctx context.Context, personID string, now time.Time) ([]*MySession, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.session_id, r.status FROM session_registrations r JOIN training_sessions ss ON ss.id = r.session_id
		WHERE r.person_id = ? AND r.status <> 'cancelled' AND ss.ends_at > ? ORDER BY ss.starts_at`, personID, now)
	if err != nil {
		return nil, err
	}
	type reg struct{ id, session, status string }
	var regs []reg
	for rows.Next() {
		var r reg
		if err := rows.Scan(&r.id, &r.session, &r.status); err != nil {
			rows.Close()
			return nil, err
		}
		regs = append(regs, r)
	}
	rows.Close()
	out := []*MySession{}
	for _, r := range regs {
		ss, err := s.findSession(ctx, s.DB.Reader(), r.session)
		if err != nil {
			return nil, err
		}
		ms := &MySession{Session: ss, RegistrationID: r.id, Status: r.status}
		if r.status == RegistrationWaitlisted {
			reg := &Registration{PersonID: personID, Status: r.status}
			if err := s.number(ctx, r.session, []*Registration{reg}); err != nil {
				return nil, err
			}
			ms.Position = reg.Position
		}
		out = append(out, ms)
	}
	return out, rows.Err()
}

// recommend ranks published items by how much of the person's role gaps they would close:
// for each gap skill an item develops, the levels between the person's level and the item's
// target (at most the gap), times the requirement's criticality weight. Items the person is
// enrolled in or holds a valid completion of are left out.
func (s *Service) recommend(ctx context.Context, actor *core.Actor, entries []*Entry, n int) ([]*Recommendation, error) {
	prof, err := s.Skills.PersonProfile(ctx, actor, actor.PersonID, "")
	if err != nil {
		return nil, err
	}
	gaps := map[string]*skills.PersonSkill{}
	var ids []any
	for _, ps := range prof.Skills {
		if ps.Required > 0 && ps.Gap > 0 {
			gaps[ps.SkillID] = ps
			ids = append(ids, ps.SkillID)
		}
	}
	out := []*Recommendation{}
	if len(ids) == 0 {
		return out, nil
	}
	skip := map[string]bool{}
	day := today(s.Clock.Now(), actor.TimeZone)
	for _, e := range entries {
		if e.EnrollmentID != "" || e.CompletedAt != nil && (e.ValidUntil.IsZero() || day.Before(e.ValidUntil)) {
			skip[e.ItemID] = true
		}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT i.id, i.title, i.kind, x.skill_id, x.target_level FROM item_skills x JOIN learning_items i ON i.id = x.item_id
		WHERE i.status = 'published' AND i.enrollment <> 'assigned' AND x.skill_id IN `+db.In(len(ids)), ids...)
	if err != nil {
		return nil, fmt.Errorf("recommend: %w", err)
	}
	defer rows.Close()
	byItem := map[string]*Recommendation{}
	for rows.Next() {
		var id, title, kind, skill string
		var target int
		if err := rows.Scan(&id, &title, &kind, &skill, &target); err != nil {
			return nil, err
		}
		g := gaps[skill]
		closes := math.Min(float64(target)-g.Level, g.Gap)
		if skip[id] || closes <= 0 {
			continue
		}
		r := byItem[id]
		if r == nil {
			r = &Recommendation{ItemID: id, Title: title, Kind: kind}
			byItem[id] = r
		}
		r.Skills = append(r.Skills, g.SkillName)
		r.Closes += closes * skills.Weight[g.Criticality]
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range byItem {
		r.Closes = math.Round(r.Closes*10) / 10
		slices.Sort(r.Skills)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Recommendation) int {
		if a.Closes != b.Closes {
			if a.Closes > b.Closes {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Title, b.Title)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// TeamMember is one person of a manager's team with their learning.
type TeamMember struct {
	Person  *org.Person `json:"person"`
	Entries []*Entry    `json:"entries"`
	Open    int         `json:"open"`
	Overdue int         `json:"overdue"`
	// NotObserved lists recent completions of items that develop skills, where no manager has
	// rated any of those skills since: training done, application on the job not yet seen.
	NotObserved []*Entry `json:"not_observed"`
}

// Team is a manager's view of their direct reports' learning, with the requests waiting for
// their decision.
type Team struct {
	Members  []*TeamMember `json:"members"`
	Requests []*Enrollment `json:"requests"`
}

// ObservationWindow is how far back the team view looks for completions not yet observed.
const ObservationWindow = 120 * 24 * time.Hour

// FindTeam returns the learning of the people reporting directly to the manager (the actor
// when managerID is ""), as the manager or someone who sees them.
func (s *Service) FindTeam(ctx context.Context, actor *core.Actor, managerID string) (*Team, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	if managerID == "" {
		managerID = actor.PersonID
	}
	if err := s.seePerson(ctx, actor, managerID); err != nil {
		return nil, err
	}
	people, _, _, err := s.Org.FindPeople(ctx, actor, org.PersonFilter{ManagerID: managerID, Limit: core.MaxLimit})
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	t := &Team{Members: []*TeamMember{}, Requests: []*Enrollment{}}
	for _, p := range people {
		entries, err := s.entries(ctx, s.DB.Reader(), p.ID, p.TimeZone, now)
		if err != nil {
			return nil, err
		}
		if entries == nil {
			entries = []*Entry{}
		}
		m := &TeamMember{Person: p, Entries: entries, NotObserved: []*Entry{}}
		for _, e := range entries {
			if e.EnrollmentID != "" {
				m.Open++
			}
			if e.Overdue {
				m.Overdue++
			}
		}
		if m.NotObserved, err = s.notObserved(ctx, p.ID, entries, now); err != nil {
			return nil, err
		}
		t.Members = append(t.Members, m)
	}
	reqs, _, err := s.FindEnrollments(ctx, actor, EnrollmentFilter{Team: managerID, Status: EnrollmentRequested, Limit: core.MaxLimit})
	if err != nil {
		return nil, err
	}
	if reqs != nil {
		t.Requests = reqs
	}
	return t, nil
}

// notObserved picks the person's completions of the last ObservationWindow, of items with
// skills, that no manager rating of those skills has followed.
func (s *Service) notObserved(ctx context.Context, personID string, entries []*Entry, now time.Time) ([]*Entry, error) {
	out := []*Entry{}
	for _, e := range entries {
		if e.CompletedAt == nil || now.Sub(*e.CompletedAt) > ObservationWindow {
			continue
		}
		var skillsCount, observed int
		err := s.DB.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM skill_ratings r WHERE r.person_id = ? AND r.skill_id = x.skill_id
			AND r.source = 'manager' AND r.rated_at >= ?) THEN 1 ELSE 0 END), 0) FROM item_skills x WHERE x.item_id = ?`, personID, *e.CompletedAt, e.ItemID).
			Scan(&skillsCount, &observed)
		if err != nil {
			return nil, err
		}
		if skillsCount > 0 && observed == 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// Nudge sends a person a reminder about an open enrollment: their managers and those who run
// training may, once a day per enrollment.
func (s *Service) Nudge(ctx context.Context, actor *core.Actor, enrollmentID, message string) error {
	if err := actor.Require(core.PermTrainingAssign); err != nil {
		return err
	}
	message = clean(message)
	if len([]rune(message)) > 500 {
		return core.Invalid("message", "must be at most 500 characters")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.findEnrollment(ctx, tx, enrollmentID)
		if err != nil {
			return err
		}
		if !sees(actor, e.PersonID, e.personPath) {
			return core.NotFound("enrollment")
		}
		if !managesPerson(actor, e.PersonID, e.personPath) && !mayRun(actor) {
			return core.Errorf(core.EFORBIDDEN, "only %s's managers and L&D send reminders", e.PersonName)
		}
		if !isOpen(e.Status) {
			return core.Errorf(core.ECONFLICT, "%s's enrollment in %q has ended (%s)", e.PersonName, e.ItemTitle, e.Status)
		}
		now := s.Clock.Now()
		link := "/training/items/" + e.ItemID
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE person_id = ? AND kind = 'nudge' AND link = ? AND created_at > ?`,
			e.PersonID, link, now.Add(-24*time.Hour)).Scan(&recent); err != nil {
			return err
		}
		if recent > 0 {
			return core.Errorf(core.ECONFLICT, "%s was reminded of %q in the last day already", e.PersonName, e.ItemTitle)
		}
		text := fmt.Sprintf("%s reminds you of %q.", orSystem(actor), e.ItemTitle)
		if !e.DueOn.IsZero() {
			text = fmt.Sprintf("%s reminds you of %q, due on %s.", orSystem(actor), e.ItemTitle, e.DueOn)
		}
		if message != "" {
			text += " " + message
		}
		if err := notify.Send(ctx, tx, now, notify.Message{PersonID: e.PersonID, Kind: notify.KindNudge, Text: text, Link: link, SenderID: actor.PersonID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.nudge", TargetType: "person", TargetID: e.PersonID,
			Summary: fmt.Sprintf("Reminded %s of %q", e.PersonName, e.ItemTitle)})
	})
}
