package training

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/outbox"
)

// Enrollment statuses. Requested, enrolled and in progress are open: a person has at most one
// open enrollment per item.
const (
	EnrollmentRequested  = "requested"   // waits for the manager's approval
	EnrollmentEnrolled   = "enrolled"    // not started yet
	EnrollmentInProgress = "in_progress" // started: content opened, a test begun, a session booked
	EnrollmentCompleted  = "completed"
	EnrollmentWithdrawn  = "withdrawn"
	EnrollmentRejected   = "rejected" // the manager declined the request
	EnrollmentExempt     = "exempt"   // excused, with a reason
)

// openStatuses is the SQL list of open statuses.
const openStatuses = "('requested', 'enrolled', 'in_progress')"

func isOpen(status string) bool {
	return status == EnrollmentRequested || status == EnrollmentEnrolled || status == EnrollmentInProgress
}

// Sources of an enrollment.
const (
	SourceSelf    = "self"
	SourceManager = "manager"
	SourceRule    = "rule"
	SourceAdmin   = "admin" // L&D or HR
	SourcePath    = "path"  // a step of a path the person is enrolled in
)

// Enrollment is one person's enrollment in one item, in one cycle.
type Enrollment struct {
	ID             string     `json:"id"`
	ItemID         string     `json:"item_id"`
	ItemTitle      string     `json:"item_title"`
	ItemKind       string     `json:"item_kind"`
	PersonID       string     `json:"person_id"`
	PersonName     string     `json:"person_name"`
	Status         string     `json:"status"`
	Source         string     `json:"source"`
	RuleID         string     `json:"rule_id,omitempty"`
	AssignedBy     string     `json:"assigned_by,omitempty"`
	AssignedByName string     `json:"assigned_by_name,omitempty"`
	DueOn          core.Date  `json:"due_on"`
	Overdue        bool       `json:"overdue"`
	EnrolledAt     time.Time  `json:"enrolled_at"`
	StartedAt      *time.Time `json:"started_at,omitempty"`
	CompletedAt    *time.Time `json:"completed_at,omitempty"`
	Score          *float64   `json:"score,omitempty"`
	ExpiresOn      core.Date  `json:"expires_on"`
	Reason         string     `json:"reason,omitempty"`
	UpdatedAt      time.Time  `json:"updated_at"`
	personPath     string
	personTZ       string
}

const enrollmentColumns = `e.id, e.item_id, i.title, i.kind, e.person_id, p.given_name || ' ' || p.family_name, e.status, e.source,
	COALESCE(e.rule_id, ''), COALESCE(e.assigned_by, ''), COALESCE(a.given_name || ' ' || a.family_name, ''), e.due_on, e.enrolled_at,
	e.started_at, e.completed_at, e.score, e.expires_on, e.reason, e.updated_at, p.reports_path, p.time_zone`

const enrollmentFrom = ` FROM enrollments e JOIN learning_items i ON i.id = e.item_id JOIN people p ON p.id = e.person_id
	LEFT JOIN people a ON a.id = e.assigned_by`

func scanEnrollment(row interface{ Scan(...any) error }, now time.Time) (*Enrollment, error) {
	var e Enrollment
	err := row.Scan(&e.ID, &e.ItemID, &e.ItemTitle, &e.ItemKind, &e.PersonID, &e.PersonName, &e.Status, &e.Source, &e.RuleID, &e.AssignedBy,
		&e.AssignedByName, &e.DueOn, &e.EnrolledAt, &e.StartedAt, &e.CompletedAt, &e.Score, &e.ExpiresOn, &e.Reason, &e.UpdatedAt,
		&e.personPath, &e.personTZ)
	if err != nil {
		return nil, err
	}
	e.EnrolledAt, e.UpdatedAt = e.EnrolledAt.UTC(), e.UpdatedAt.UTC()
	utc(e.StartedAt)
	utc(e.CompletedAt)
	e.Overdue = isOpen(e.Status) && !e.DueOn.IsZero() && e.DueOn.Before(today(now, e.personTZ))
	return &e, nil
}

func utc(t *time.Time) {
	if t != nil {
		*t = t.UTC()
	}
}

// findEnrollment reads an enrollment, locking it inside a write transaction.
func (s *Service) findEnrollment(ctx context.Context, q db.Queryer, id string) (*Enrollment, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("enrollment")
	}
	lock := ""
	if tx, ok := q.(*db.Tx); ok {
		lock = lockSuffix(tx)
		if lock != "" {
			lock += " OF e"
		}
	}
	e, err := scanEnrollment(q.QueryRowContext(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+` WHERE e.id = ?`+lock, id), s.Clock.Now())
	if err != nil {
		return nil, notFoundIn("enrollment", err)
	}
	return e, nil
}

// openEnrollment returns the person's open enrollment in an item, or nil.
func (s *Service) openEnrollment(ctx context.Context, q db.Queryer, personID, itemID string) (*Enrollment, error) {
	e, err := scanEnrollment(q.QueryRowContext(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+`
		WHERE e.person_id = ? AND e.item_id = ? AND e.status IN `+openStatuses, personID, itemID), s.Clock.Now())
	if db.IsNoRows(err) {
		return nil, nil
	}
	return e, err
}

// sees reports whether the actor may see a person's learning: their own, that of the people
// below them in the reporting tree, and everyone's for those who see everyone.
func sees(actor *core.Actor, personID, reportsPath string) bool {
	return actor.IsSystem() || actor.SeesAllPeople() || personID == actor.PersonID ||
		actor.PersonID != "" && strings.Contains(reportsPath, "/"+actor.PersonID+"/")
}

// managesPerson reports whether the actor is above the person in the reporting tree.
func managesPerson(actor *core.Actor, personID, reportsPath string) bool {
	return actor.PersonID != "" && personID != actor.PersonID && strings.Contains(reportsPath, "/"+actor.PersonID+"/")
}

// FindEnrollmentByID returns an enrollment the actor may see.
func (s *Service) FindEnrollmentByID(ctx context.Context, actor *core.Actor, id string) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	e, err := s.findEnrollment(ctx, s.DB.Reader(), id)
	if err != nil {
		return nil, err
	}
	if !sees(actor, e.PersonID, e.personPath) {
		return nil, core.NotFound("enrollment")
	}
	return e, nil
}

// EnrollmentFilter selects enrollments; empty fields do not filter.
type EnrollmentFilter struct {
	PersonID string
	ItemID   string
	// Team: everyone below this person in the reporting tree (the actor's own team by default
	// for managers).
	Team    string
	Status  string // an enrollment status, "open" or "" for all
	Overdue bool
	Cursor  string
	Limit   int
}

// FindEnrollments returns enrollments in the actor's data scope, newest first, with the cursor
// of the next page.
func (s *Service) FindEnrollments(ctx context.Context, actor *core.Actor, f EnrollmentFilter) ([]*Enrollment, string, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, "", err
	}
	pf := org.PersonFilter{Status: "all", Below: f.Team}
	cond, args, err := s.Org.PeopleCondition(ctx, actor, pf)
	if err != nil {
		return nil, "", err
	}
	where := []string{cond}
	if f.PersonID != "" {
		where, args = append(where, "e.person_id = ?"), append(args, f.PersonID)
	}
	if f.ItemID != "" {
		where, args = append(where, "e.item_id = ?"), append(args, f.ItemID)
	}
	switch {
	case f.Status == "":
	case f.Status == "open":
		where = append(where, "e.status IN "+openStatuses)
	case slices.Contains([]string{EnrollmentRequested, EnrollmentEnrolled, EnrollmentInProgress, EnrollmentCompleted, EnrollmentWithdrawn, EnrollmentRejected, EnrollmentExempt}, f.Status):
		where, args = append(where, "e.status = ?"), append(args, f.Status)
	default:
		return nil, "", core.Invalid("status", "unknown enrollment status %q", f.Status)
	}
	now := s.Clock.Now()
	if f.Overdue {
		// Due dates are days in each person's zone; a day's margin here, the exact test below.
		where, args = append(where, "e.status IN "+openStatuses+" AND e.due_on < ?"), append(args, core.DateOf(now.Add(14*time.Hour)))
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "e.id < ?"), append(args, key[0])
	}
	limit := core.ClampLimit(f.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY e.id DESC LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find enrollments: %w", err)
	}
	defer rows.Close()
	var out []*Enrollment
	for rows.Next() {
		e, err := scanEnrollment(rows, now)
		if err != nil {
			return nil, "", err
		}
		if f.Overdue && !e.Overdue {
			continue
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = core.EncodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}

// enrollable finds an item that takes new enrollments. A draft is not found by those who do not
// run training: its title must not leak through an error.
func (s *Service) enrollable(ctx context.Context, q db.Queryer, actor *core.Actor, itemID string) (*Item, error) {
	it, err := s.findItem(ctx, q, itemID)
	if err != nil {
		return nil, err
	}
	if it.Status == StatusDraft && !mayRun(actor) {
		return nil, core.NotFound("learning item")
	}
	if it.Status != StatusPublished {
		return nil, core.Invalid("item_id", "%q is not open for enrollment (%s)", it.Title, it.Status)
	}
	return it, nil
}

// Enroll enrolls the actor in an item: at once when the item is open, as a request to their
// manager when it needs approval. An open enrollment the actor already has is returned as it is.
func (s *Service) Enroll(ctx context.Context, actor *core.Actor, itemID string) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return nil, err
	}
	if actor.PersonID == "" {
		return nil, core.Errorf(core.EFORBIDDEN, "only a person enrolls")
	}
	var id string
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		it, err := s.enrollable(ctx, tx, actor, itemID)
		if err != nil {
			return err
		}
		if open, err := s.openEnrollment(ctx, tx, actor.PersonID, it.ID); err != nil || open != nil {
			if open != nil {
				id = open.ID
			}
			return err
		}
		status := EnrollmentEnrolled
		switch it.Enrollment {
		case EnrollAssigned:
			return core.Errorf(core.EFORBIDDEN, "%q is taken by assignment only; ask your manager or L&D", it.Title)
		case EnrollApproval:
			status = EnrollmentRequested
		}
		me, err := s.Org.FindPersonByID(ctx, core.System, actor.PersonID)
		if err != nil {
			return err
		}
		if status == EnrollmentRequested && me.ManagerID == "" {
			// Nobody to ask: the request would wait for ever.
			status = EnrollmentEnrolled
		}
		now := s.Clock.Now()
		if id, err = s.insertEnrollment(ctx, tx, newEnrollment{personID: actor.PersonID, itemID: it.ID, status: status, source: SourceSelf}, now); err != nil {
			return err
		}
		if status == EnrollmentRequested {
			if err := notify.Send(ctx, tx, now, notify.Message{PersonID: me.ManagerID, Kind: notify.KindApproval, SenderID: actor.PersonID,
				Text: fmt.Sprintf("%s asks to take %q.", me.Name(), it.Title), Link: "/training/team/approvals"}); err != nil {
				return err
			}
		}
		if err := s.startPath(ctx, tx, actor.PersonID, it, core.Date{}, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.enroll", TargetType: "learning_item", TargetID: it.ID,
			Summary: fmt.Sprintf("%s %q", map[string]string{EnrollmentEnrolled: "Enrolled in", EnrollmentRequested: "Asked to take"}[status], it.Title)})
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), id)
}

type newEnrollment struct {
	personID, itemID, status, source, ruleID, assignedBy string
	due                                                  core.Date
}

// insertEnrollment writes a new open enrollment and the person's status with the item.
func (s *Service) insertEnrollment(ctx context.Context, tx *db.Tx, n newEnrollment, now time.Time) (string, error) {
	id := core.NewID()
	var rule, by any
	if n.ruleID != "" {
		rule = n.ruleID
	}
	if n.assignedBy != "" {
		by = n.assignedBy
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO enrollments (id, item_id, person_id, status, source, rule_id, assigned_by, due_on, enrolled_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, n.itemID, n.personID, n.status, n.source, rule, by, n.due, now, now); err != nil {
		if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
			return "", core.Errorf(core.ECONFLICT, "already enrolled")
		}
		return "", fmt.Errorf("enroll: %w", err)
	}
	if n.status == EnrollmentEnrolled {
		if err := publish(ctx, tx, outbox.Event{ID: id, Type: outbox.Enrolled, PersonID: n.personID, At: now, Object: itemRef(n.itemID)}); err != nil {
			return "", err
		}
	}
	return id, s.refreshStatus(ctx, tx, n.personID, n.itemID)
}

// Decide approves or declines a request to take an item; the person's managers (anyone above
// them in the reporting tree) decide, and those who run training.
func (s *Service) Decide(ctx context.Context, actor *core.Actor, enrollmentID string, approve bool, reason string) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingAssign); err != nil {
		return nil, err
	}
	reason, err := reasonText("reason", reason, false, "")
	if err != nil {
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.findEnrollment(ctx, tx, enrollmentID)
		if err != nil {
			return err
		}
		if !sees(actor, e.PersonID, e.personPath) {
			return core.NotFound("enrollment")
		}
		if !managesPerson(actor, e.PersonID, e.personPath) && !mayRun(actor) {
			return core.Errorf(core.EFORBIDDEN, "only %s's manager decides this request", e.PersonName)
		}
		if e.Status != EnrollmentRequested {
			return core.Errorf(core.ECONFLICT, "this request was already decided (%s)", e.Status)
		}
		status, verb := EnrollmentEnrolled, "approved"
		if !approve {
			status, verb = EnrollmentRejected, "declined"
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = ?, decided_by = ?, decided_at = ?, reason = ?, updated_at = ? WHERE id = ?`,
			status, nullID(actor.PersonID), now, reason, now, e.ID); err != nil {
			return err
		}
		if err := s.refreshStatus(ctx, tx, e.PersonID, e.ItemID); err != nil {
			return err
		}
		if approve {
			if err := publish(ctx, tx, outbox.Event{ID: e.ID, Type: outbox.Enrolled, PersonID: e.PersonID, At: now, Object: itemRef(e.ItemID)}); err != nil {
				return err
			}
		}
		text := fmt.Sprintf("Your request to take %q was %s.", e.ItemTitle, verb)
		if reason != "" {
			text += " " + reason
		}
		if err := notify.Send(ctx, tx, now, notify.Message{PersonID: e.PersonID, Kind: notify.KindApproval, SenderID: actor.PersonID, Text: text,
			Link: "/training/items/" + e.ItemID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.decide", TargetType: "person", TargetID: e.PersonID,
			Summary: fmt.Sprintf("%s %s's request to take %q", strings.ToUpper(verb[:1])+verb[1:], e.PersonName, e.ItemTitle)})
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), enrollmentID)
}

func nullID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// AssignInput assigns an item to people.
type AssignInput struct {
	ItemID    string    `json:"item_id"`
	PersonIDs []string  `json:"person_ids"`
	DueOn     core.Date `json:"due_on"`
	Note      string    `json:"note"`
}

// AssignReport says what an assignment did for each person.
type AssignReport struct {
	Assigned []string `json:"assigned"` // new enrollments
	Updated  []string `json:"updated"`  // open enrollments now assigned, with the due date
	// Skipped are people who already completed the item and whose completion is still valid.
	Skipped []string `json:"skipped"`
}

// Assign makes an item required of people with a due date: managers assign it to the people
// below them, those who run training to anyone. An open enrollment becomes the assignment (its
// due date set); someone whose completion is still valid is skipped.
func (s *Service) Assign(ctx context.Context, actor *core.Actor, in AssignInput) (*AssignReport, error) {
	if err := actor.Require(core.PermTrainingAssign); err != nil {
		return nil, err
	}
	in.Note = clean(in.Note)
	var v core.Validation
	if len(in.PersonIDs) == 0 {
		v.Add("person_ids", "choose at least one person")
	}
	if len(in.PersonIDs) > 5000 {
		v.Add("person_ids", "assign at most 5000 people at once; use a rule for more")
	}
	now := s.Clock.Now()
	if !in.DueOn.IsZero() && in.DueOn.Before(core.DateOf(now.Add(-24*time.Hour))) {
		v.Add("due_on", "the due date has passed")
	}
	if len([]rune(in.Note)) > maxText {
		v.Add("note", "must be at most %d characters", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	source := SourceManager
	if mayRun(actor) {
		source = SourceAdmin
	}
	rep := &AssignReport{Assigned: []string{}, Updated: []string{}, Skipped: []string{}}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		it, err := s.enrollable(ctx, tx, actor, in.ItemID)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for i, pid := range in.PersonIDs {
			p, err := s.Org.FindPersonByID(ctx, actor, pid)
			if err != nil {
				return core.Invalid(fmt.Sprintf("person_ids[%d]", i), "unknown person")
			}
			if !mayRun(actor) && !managesPerson(actor, p.ID, p.ReportsPath) {
				return &core.Error{Code: core.EFORBIDDEN, Field: fmt.Sprintf("person_ids[%d]", i), Message: fmt.Sprintf("you may assign training only to the people who report to you, not to %s", p.Name())}
			}
			if p.Status != org.StatusActive {
				return core.Invalid(fmt.Sprintf("person_ids[%d]", i), "%s has left", p.Name())
			}
			open, err := s.openEnrollment(ctx, tx, p.ID, it.ID)
			if err != nil {
				return err
			}
			switch {
			case open != nil:
				status := open.Status
				if status == EnrollmentRequested {
					status = EnrollmentEnrolled
				}
				if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = ?, source = ?, assigned_by = ?, due_on = ?, updated_at = ? WHERE id = ?`,
					status, source, nullID(actor.PersonID), in.DueOn, now, open.ID); err != nil {
					return err
				}
				if err := s.refreshStatus(ctx, tx, p.ID, it.ID); err != nil {
					return err
				}
				rep.Updated = append(rep.Updated, p.ID)
			default:
				valid, err := s.holdsValid(ctx, tx, p.ID, it.ID, now)
				if err != nil {
					return err
				}
				if valid {
					rep.Skipped = append(rep.Skipped, p.ID)
					continue
				}
				if _, err := s.insertEnrollment(ctx, tx, newEnrollment{personID: p.ID, itemID: it.ID, status: EnrollmentEnrolled, source: source,
					assignedBy: actor.PersonID, due: in.DueOn}, now); err != nil {
					return err
				}
				if err := s.startPath(ctx, tx, p.ID, it, in.DueOn, now); err != nil {
					return err
				}
				rep.Assigned = append(rep.Assigned, p.ID)
			}
			text := fmt.Sprintf("%s assigned you %q.", orSystem(actor), it.Title)
			if !in.DueOn.IsZero() {
				text = fmt.Sprintf("%s assigned you %q, due on %s.", orSystem(actor), it.Title, in.DueOn)
			}
			if in.Note != "" {
				text += " " + in.Note
			}
			msgs = append(msgs, notify.Message{PersonID: p.ID, Kind: notify.KindAssignment, SenderID: actor.PersonID, Text: text, Link: "/training/items/" + it.ID})
		}
		if err := notify.Send(ctx, tx, now, msgs...); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.assign", TargetType: "learning_item", TargetID: it.ID,
			Summary: fmt.Sprintf("Assigned %q to %d people (%d already enrolled, %d skipped with a valid completion)", it.Title,
				len(rep.Assigned)+len(rep.Updated), len(rep.Updated), len(rep.Skipped))})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func orSystem(a *core.Actor) string {
	if a.Name == "" || a.IsSystem() {
		return "L&D"
	}
	return a.Name
}

// holdsValid reports whether the person completed the item and the completion has not reached
// its renewal window.
func (s *Service) holdsValid(ctx context.Context, q db.Queryer, personID, itemID string, now time.Time) (bool, error) {
	var completed *time.Time
	var renew core.Date
	err := q.QueryRowContext(ctx, `SELECT completed_at, renew_on FROM training_status WHERE person_id = ? AND item_id = ?`, personID, itemID).Scan(&completed, &renew)
	if db.IsNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return completed != nil && (renew.IsZero() || today(now, "").Before(renew)), nil
}

// Withdraw ends an open enrollment without completion: the person withdraws their own
// self-enrollment or request; their managers withdraw what a manager assigned; those who run
// training withdraw anything. Session registrations of the item end with it.
func (s *Service) Withdraw(ctx context.Context, actor *core.Actor, enrollmentID, reason string) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil && !actor.Can(core.PermTrainingAssign) {
		return nil, err
	}
	reason, err := reasonText("reason", reason, false, "")
	if err != nil {
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.findEnrollment(ctx, tx, enrollmentID)
		if err != nil {
			return err
		}
		if !sees(actor, e.PersonID, e.personPath) {
			return core.NotFound("enrollment")
		}
		own := e.PersonID == actor.PersonID
		switch {
		case mayRun(actor):
		case own && e.Source == SourceSelf:
		case managesPerson(actor, e.PersonID, e.personPath) && actor.Can(core.PermTrainingAssign) && e.Source == SourceManager:
		case own:
			return core.Errorf(core.EFORBIDDEN, "this was assigned to you; ask whoever assigned it to withdraw it")
		default:
			return core.Forbidden
		}
		if !isOpen(e.Status) {
			return core.Errorf(core.ECONFLICT, "this enrollment has ended (%s)", e.Status)
		}
		return s.closeEnrollment(ctx, tx, actor, e, EnrollmentWithdrawn, reason)
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), enrollmentID)
}

// closeEnrollment ends an open enrollment as withdrawn or exempt, cancelling the person's
// registrations for the item's future sessions (which promotes the waitlist).
func (s *Service) closeEnrollment(ctx context.Context, tx *db.Tx, actor *core.Actor, e *Enrollment, status, reason string) error {
	now := s.Clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = ?, reason = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ?`,
		status, reason, nullID(actor.PersonID), now, now, e.ID); err != nil {
		return err
	}
	if err := s.cancelRegistrations(ctx, tx, e.PersonID, e.ItemID, now); err != nil {
		return err
	}
	if err := s.refreshStatus(ctx, tx, e.PersonID, e.ItemID); err != nil {
		return err
	}
	verb := map[string]string{EnrollmentWithdrawn: "Withdrew", EnrollmentExempt: "Exempted"}[status]
	return s.audit(ctx, tx, actor, audit.Entry{Action: "training." + status, TargetType: "person", TargetID: e.PersonID,
		Summary: fmt.Sprintf("%s %s from %q: %s", verb, e.PersonName, e.ItemTitle, orDash(reason))})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ExemptInput excuses a person from an item.
type ExemptInput struct {
	PersonID string `json:"person_id"`
	ItemID   string `json:"item_id"`
	Reason   string `json:"reason"`
}

// Exempt excuses a person from an item with a reason (a prior qualification, a long absence):
// those who run training decide. The person counts as exempt, not overdue, until assigned again.
func (s *Service) Exempt(ctx context.Context, actor *core.Actor, in ExemptInput) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var err error
	if in.Reason, err = reasonText("reason", in.Reason, true, "say why the person is exempt; auditors will ask"); err != nil {
		return nil, err
	}
	var id string
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.Org.FindPersonByID(ctx, actor, in.PersonID)
		if err != nil {
			return core.Invalid("person_id", "unknown person")
		}
		if err := s.itemExists(ctx, tx, in.ItemID); err != nil {
			return core.Invalid("item_id", "unknown learning item")
		}
		open, err := s.openEnrollment(ctx, tx, p.ID, in.ItemID)
		if err != nil {
			return err
		}
		if open == nil {
			// An exemption ahead of any assignment is kept as an enrollment of its own, so that
			// the rules leave the person alone.
			if id, err = s.insertEnrollment(ctx, tx, newEnrollment{personID: p.ID, itemID: in.ItemID, status: EnrollmentEnrolled, source: SourceAdmin,
				assignedBy: actor.PersonID}, s.Clock.Now()); err != nil {
				return err
			}
			if open, err = s.findEnrollment(ctx, tx, id); err != nil {
				return err
			}
		}
		id = open.ID
		return s.closeEnrollment(ctx, tx, actor, open, EnrollmentExempt, in.Reason)
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), id)
}

// start marks an enrollment in progress the first time its person opens content, begins a test
// or books a session.
func (s *Service) start(ctx context.Context, tx *db.Tx, e *Enrollment, now time.Time) error {
	if e.Status != EnrollmentEnrolled {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = 'in_progress', started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?`,
		now, now, e.ID); err != nil {
		return err
	}
	e.Status = EnrollmentInProgress
	return s.refreshStatus(ctx, tx, e.PersonID, e.ItemID)
}

// publish records learning events (internal/outbox) in the transaction of the change.
func publish(ctx context.Context, tx *db.Tx, events ...outbox.Event) error {
	return outbox.Publish(ctx, tx, events...)
}

func itemRef(id string) outbox.Ref { return outbox.Ref{Kind: "item", ID: id} }

func sessionRef(id string) outbox.Ref { return outbox.Ref{Kind: "session", ID: id} }
