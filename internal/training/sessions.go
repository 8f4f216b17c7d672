package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/outbox"
)

// Session statuses.
const (
	SessionScheduled = "scheduled"
	SessionCancelled = "cancelled"
)

// Registration statuses: a seat, a place on the waitlist, or cancelled.
const (
	RegistrationRegistered = "registered"
	RegistrationWaitlisted = "waitlisted"
	RegistrationCancelled  = "cancelled"
)

// Attendance marks.
const (
	Attended = "attended"
	NoShow   = "no_show"
)

// Session is a scheduled instance of an instructor-led item.
type Session struct {
	ID                   string     `json:"id"`
	ItemID               string     `json:"item_id"`
	ItemTitle            string     `json:"item_title"`
	StartsAt             time.Time  `json:"starts_at"`
	EndsAt               time.Time  `json:"ends_at"`
	TimeZone             string     `json:"time_zone"`
	Location             string     `json:"location"`
	OnlineURL            string     `json:"online_url"`
	InstructorID         string     `json:"instructor_id,omitempty"`
	InstructorName       string     `json:"instructor_name,omitempty"`
	InstructorEmail      string     `json:"-"`
	Capacity             int        `json:"capacity"`
	RegistrationDeadline *time.Time `json:"registration_deadline,omitempty"`
	Status               string     `json:"status"`
	CancelReason         string     `json:"cancel_reason,omitempty"`
	Sequence             int        `json:"sequence"`
	Registered           int        `json:"registered"`
	Waitlisted           int        `json:"waitlisted"`
	CreatedAt            time.Time  `json:"created_at"`
	UpdatedAt            time.Time  `json:"updated_at"`
}

// SeatsLeft returns the free seats.
func (ss *Session) SeatsLeft() int { return max(ss.Capacity-ss.Registered, 0) }

// Open reports whether people may register at now.
func (ss *Session) Open(now time.Time) bool {
	return ss.Status == SessionScheduled && now.Before(ss.StartsAt) && (ss.RegistrationDeadline == nil || now.Before(*ss.RegistrationDeadline))
}

// Local returns t in the session's own time zone.
func (ss *Session) Local(t time.Time) time.Time {
	if loc, err := time.LoadLocation(ss.TimeZone); err == nil {
		return t.In(loc)
	}
	return t.UTC()
}

const sessionColumns = `ss.id, ss.item_id, i.title, ss.starts_at, ss.ends_at, ss.time_zone, ss.location, ss.online_url, COALESCE(ss.instructor_id, ''),
	COALESCE(ip.given_name || ' ' || ip.family_name, ''), COALESCE(ip.email, ''), ss.capacity, ss.registration_deadline, ss.status, ss.cancel_reason,
	ss.sequence, ss.created_at, ss.updated_at,
	(SELECT count(*) FROM session_registrations r WHERE r.session_id = ss.id AND r.status = 'registered'),
	(SELECT count(*) FROM session_registrations r WHERE r.session_id = ss.id AND r.status = 'waitlisted')`

const sessionFrom = ` FROM training_sessions ss JOIN learning_items i ON i.id = ss.item_id LEFT JOIN people ip ON ip.id = ss.instructor_id`

func scanSession(row interface{ Scan(...any) error }) (*Session, error) {
	var ss Session
	err := row.Scan(&ss.ID, &ss.ItemID, &ss.ItemTitle, &ss.StartsAt, &ss.EndsAt, &ss.TimeZone, &ss.Location, &ss.OnlineURL, &ss.InstructorID,
		&ss.InstructorName, &ss.InstructorEmail, &ss.Capacity, &ss.RegistrationDeadline, &ss.Status, &ss.CancelReason, &ss.Sequence,
		&ss.CreatedAt, &ss.UpdatedAt, &ss.Registered, &ss.Waitlisted)
	if err != nil {
		return nil, err
	}
	ss.StartsAt, ss.EndsAt, ss.CreatedAt, ss.UpdatedAt = ss.StartsAt.UTC(), ss.EndsAt.UTC(), ss.CreatedAt.UTC(), ss.UpdatedAt.UTC()
	utc(ss.RegistrationDeadline)
	return &ss, nil
}

func (s *Service) findSession(ctx context.Context, q db.Queryer, id string) (*Session, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("session")
	}
	ss, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE ss.id = ?`, id))
	if err != nil {
		return nil, notFoundIn("session", err)
	}
	return ss, nil
}

// lockSession takes the session's row lock on PostgreSQL, so that registrations for one session
// are decided one at a time; SQLite's single writer does that already.
func lockSession(ctx context.Context, tx *db.Tx, id string) error {
	if !core.ValidID(id) {
		return core.NotFound("session")
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM training_sessions WHERE id = ?`+lockSuffix(tx), id).Scan(&one)
	return notFoundIn("session", err)
}

// FindSessionByID returns a session of an item the actor may see.
func (s *Service) FindSessionByID(ctx context.Context, actor *core.Actor, id string) (*Session, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	ss, err := s.findSession(ctx, s.DB.Reader(), id)
	if err != nil {
		return nil, err
	}
	if _, err := s.FindItemByID(ctx, actor, ss.ItemID); err != nil {
		return nil, core.NotFound("session")
	}
	return ss, nil
}

// SessionFilter selects sessions.
type SessionFilter struct {
	ItemID       string
	InstructorID string
	From, To     time.Time // sessions that end after From and start before To; zero means open-ended
	Status       string    // scheduled, cancelled or "" for both
	Limit        int
}

// FindSessions returns sessions by start time.
func (s *Service) FindSessions(ctx context.Context, actor *core.Actor, f SessionFilter) ([]*Session, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	where, args := []string{visible(actor)}, []any{}
	if f.ItemID != "" {
		where, args = append(where, "ss.item_id = ?"), append(args, f.ItemID)
	}
	if f.InstructorID != "" {
		where, args = append(where, "ss.instructor_id = ?"), append(args, f.InstructorID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "ss.ends_at > ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "ss.starts_at < ?"), append(args, f.To)
	}
	switch f.Status {
	case "":
	case SessionScheduled, SessionCancelled:
		where, args = append(where, "ss.status = ?"), append(args, f.Status)
	default:
		return nil, core.Invalid("status", "must be scheduled or cancelled")
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY ss.starts_at, ss.id LIMIT ?`,
		append(args, core.ClampLimit(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("find sessions: %w", err)
	}
	return db.Collect(rows, scanSession)
}

// SessionInput schedules or reschedules a session.
type SessionInput struct {
	ItemID               string     `json:"item_id"`
	StartsAt             time.Time  `json:"starts_at"`
	EndsAt               time.Time  `json:"ends_at"`
	TimeZone             string     `json:"time_zone"`
	Location             string     `json:"location"`
	OnlineURL            string     `json:"online_url"`
	InstructorID         string     `json:"instructor_id"`
	Capacity             int        `json:"capacity"`
	RegistrationDeadline *time.Time `json:"registration_deadline"`
}

func (in *SessionInput) validate(v *core.Validation) {
	in.Location, in.OnlineURL, in.TimeZone = clean(in.Location), strings.TrimSpace(in.OnlineURL), strings.TrimSpace(in.TimeZone)
	if in.StartsAt.IsZero() {
		v.Add("starts_at", "enter when the session starts")
	}
	if in.EndsAt.IsZero() {
		v.Add("ends_at", "enter when the session ends")
	} else if !in.EndsAt.After(in.StartsAt) {
		v.Add("ends_at", "the end must be after the start")
	} else if in.EndsAt.Sub(in.StartsAt) > 14*24*time.Hour {
		v.Add("ends_at", "a session lasts at most two weeks; schedule longer programmes as several sessions")
	}
	if in.TimeZone == "" {
		v.Add("time_zone", "enter the session's time zone, such as Europe/Berlin")
	} else if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
		v.Add("time_zone", "%q is not a time zone name such as Europe/Berlin", in.TimeZone)
	}
	if len([]rune(in.Location)) > 300 {
		v.Add("location", "must be at most 300 characters")
	}
	if in.OnlineURL != "" && !webAddress(in.OnlineURL) {
		v.Add("online_url", "enter a web address starting with https://")
	}
	if in.Location == "" && in.OnlineURL == "" {
		v.Add("location", "enter a place or an online link")
	}
	if in.Capacity < 1 || in.Capacity > 10000 {
		v.Add("capacity", "enter from 1 to 10000 seats")
	}
	if in.RegistrationDeadline != nil && in.RegistrationDeadline.After(in.StartsAt) {
		v.Add("registration_deadline", "registration must close before the session starts")
	}
	if in.InstructorID != "" && !core.ValidID(in.InstructorID) {
		v.Add("instructor_id", "unknown person")
	}
}

func (in *SessionInput) round() {
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Second), in.EndsAt.UTC().Truncate(time.Second)
	if in.RegistrationDeadline != nil {
		d := in.RegistrationDeadline.UTC().Truncate(time.Second)
		in.RegistrationDeadline = &d
	}
}

// CreateSession schedules a session of an instructor-led item.
func (s *Service) CreateSession(ctx context.Context, actor *core.Actor, in SessionInput) (*Session, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var v core.Validation
	in.validate(&v)
	if !in.StartsAt.IsZero() && in.StartsAt.Before(s.Clock.Now()) {
		v.Add("starts_at", "the start has passed")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	in.round()
	id := core.NewID()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		it, err := s.findItem(ctx, tx, in.ItemID)
		if err != nil {
			return core.Invalid("item_id", "unknown learning item")
		}
		if !Scheduled(it.Kind) {
			return core.Invalid("item_id", "%q is not a kind of item that runs in sessions (instructor-led session, workshop, webinar)", it.Title)
		}
		if err := s.checkInstructor(ctx, tx, in.InstructorID); err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO training_sessions (id, item_id, starts_at, ends_at, time_zone, location, online_url, instructor_id,
			capacity, registration_deadline, status, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?)`,
			id, it.ID, in.StartsAt, in.EndsAt, in.TimeZone, in.Location, in.OnlineURL, nullID(in.InstructorID), in.Capacity, in.RegistrationDeadline,
			now, now); err != nil {
			return fmt.Errorf("schedule session: %w", err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.session_create", TargetType: "learning_item", TargetID: it.ID,
			Summary: fmt.Sprintf("Scheduled a session of %q on %s", it.Title, in.StartsAt.Format(time.RFC3339))})
	})
	if err != nil {
		return nil, err
	}
	return s.findSession(ctx, s.DB.Reader(), id)
}

func (s *Service) checkInstructor(ctx context.Context, q db.Queryer, id string) error {
	if id == "" {
		return nil
	}
	var status string
	if err := q.QueryRowContext(ctx, `SELECT status FROM people WHERE id = ?`, id).Scan(&status); err != nil || status != "active" {
		return core.Invalid("instructor_id", "choose an active person as instructor")
	}
	return nil
}

// UpdateSession reschedules a session. Calendars see the change (a higher sequence); a bigger
// room promotes people from the waitlist, a smaller one keeps those already registered.
func (s *Service) UpdateSession(ctx context.Context, actor *core.Actor, id string, in SessionInput) (*Session, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var v core.Validation
	in.validate(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	in.round()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockSession(ctx, tx, id); err != nil {
			return err
		}
		old, err := s.findSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Status == SessionCancelled {
			return core.Errorf(core.ECONFLICT, "this session was cancelled")
		}
		if err := s.checkInstructor(ctx, tx, in.InstructorID); err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE training_sessions SET starts_at = ?, ends_at = ?, time_zone = ?, location = ?, online_url = ?,
			instructor_id = ?, capacity = ?, registration_deadline = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			in.StartsAt, in.EndsAt, in.TimeZone, in.Location, in.OnlineURL, nullID(in.InstructorID), in.Capacity, in.RegistrationDeadline, now, id); err != nil {
			return fmt.Errorf("update session: %w", err)
		}
		moved := !old.StartsAt.Equal(in.StartsAt) || !old.EndsAt.Equal(in.EndsAt) || old.Location != in.Location || old.OnlineURL != in.OnlineURL
		if moved {
			people, err := s.sessionPeople(ctx, tx, id, RegistrationRegistered, RegistrationWaitlisted)
			if err != nil {
				return err
			}
			var msgs []notify.Message
			for _, p := range people {
				msgs = append(msgs, notify.Message{PersonID: p, Kind: notify.KindSession, SenderID: actor.PersonID,
					Text: fmt.Sprintf("The session of %q you registered for has changed: check the time and place.", old.ItemTitle), Link: "/training/sessions/" + id})
			}
			if err := notify.Send(ctx, tx, now, msgs...); err != nil {
				return err
			}
		}
		if _, err := s.promote(ctx, tx, id, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.session_update", TargetType: "learning_item", TargetID: old.ItemID,
			Summary: fmt.Sprintf("Changed the session of %q on %s", old.ItemTitle, in.StartsAt.Format(time.RFC3339))})
	})
	if err != nil {
		return nil, err
	}
	return s.findSession(ctx, s.DB.Reader(), id)
}

// CancelSession cancels a session: everyone registered or waiting is told, and their
// calendars show it cancelled. Their enrollments stay open for another session.
func (s *Service) CancelSession(ctx context.Context, actor *core.Actor, id, reason string) (*Session, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	reason, err := reasonText("reason", reason, false, "")
	if err != nil {
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockSession(ctx, tx, id); err != nil {
			return err
		}
		ss, err := s.findSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if ss.Status == SessionCancelled {
			return core.Errorf(core.ECONFLICT, "this session was cancelled already")
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE training_sessions SET status = 'cancelled', cancel_reason = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			reason, now, id); err != nil {
			return err
		}
		people, err := s.sessionPeople(ctx, tx, id, RegistrationRegistered, RegistrationWaitlisted)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		text := fmt.Sprintf("The session of %q on %s was cancelled.", ss.ItemTitle, ss.Local(ss.StartsAt).Format("2 Jan 2006 15:04 MST"))
		if reason != "" {
			text += " " + reason
		}
		for _, p := range people {
			msgs = append(msgs, notify.Message{PersonID: p, Kind: notify.KindSession, SenderID: actor.PersonID, Text: text, Link: "/training/items/" + ss.ItemID})
		}
		if err := notify.Send(ctx, tx, now, msgs...); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.session_cancel", TargetType: "learning_item", TargetID: ss.ItemID,
			Summary: fmt.Sprintf("Cancelled the session of %q on %s: %s", ss.ItemTitle, ss.StartsAt.Format(time.RFC3339), orDash(reason))})
	})
	if err != nil {
		return nil, err
	}
	return s.findSession(ctx, s.DB.Reader(), id)
}

func (s *Service) sessionPeople(ctx context.Context, q db.Queryer, sessionID string, statuses ...string) ([]string, error) {
	args := []any{sessionID}
	for _, st := range statuses {
		args = append(args, st)
	}
	rows, err := q.QueryContext(ctx, `SELECT person_id FROM session_registrations WHERE session_id = ? AND status IN `+db.In(len(statuses))+` ORDER BY registered_at, id`, args...)
	if err != nil {
		return nil, err
	}
	return db.Collect(rows, db.ScanString)
}

// Registration is a person's place in a session.
type Registration struct {
	ID           string     `json:"id"`
	SessionID    string     `json:"session_id"`
	PersonID     string     `json:"person_id"`
	PersonName   string     `json:"person_name"`
	PersonEmail  string     `json:"-"`
	Status       string     `json:"status"`
	Attendance   string     `json:"attendance"`
	RegisteredAt time.Time  `json:"registered_at"`
	PromotedAt   *time.Time `json:"promoted_at,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	Sequence     int        `json:"sequence"`
	// Position is the place on the waitlist, from 1; 0 for others.
	Position int `json:"waitlist_position,omitempty"`
}

const registrationColumns = `r.id, r.session_id, r.person_id, p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), r.status, r.attendance,
	r.registered_at, r.promoted_at, r.cancelled_at, r.sequence`

func scanRegistration(row interface{ Scan(...any) error }) (*Registration, error) {
	var r Registration
	if err := row.Scan(&r.ID, &r.SessionID, &r.PersonID, &r.PersonName, &r.PersonEmail, &r.Status, &r.Attendance, &r.RegisteredAt,
		&r.PromotedAt, &r.CancelledAt, &r.Sequence); err != nil {
		return nil, err
	}
	r.RegisteredAt = r.RegisteredAt.UTC()
	utc(r.PromotedAt)
	utc(r.CancelledAt)
	return &r, nil
}

// Registrations lists a session's registrations, seats first, then the waitlist in order, then
// the cancelled. The instructor and those who run training see everyone; anyone else sees only
// their own.
func (s *Service) Registrations(ctx context.Context, actor *core.Actor, sessionID string) ([]*Registration, error) {
	ss, err := s.FindSessionByID(ctx, actor, sessionID)
	if err != nil {
		return nil, err
	}
	where, args := "r.session_id = ?", []any{sessionID}
	if !mayRun(actor) && ss.InstructorID != actor.PersonID {
		where, args = where+" AND r.person_id = ?", append(args, actor.PersonID)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+registrationColumns+` FROM session_registrations r JOIN people p ON p.id = r.person_id
		WHERE `+where+` ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, r.registered_at, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find registrations: %w", err)
	}
	defer rows.Close()
	var out []*Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Waitlist positions count everyone waiting, also those this actor does not see.
	if err := s.number(ctx, sessionID, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) number(ctx context.Context, sessionID string, regs []*Registration) error {
	waiting, err := s.sessionPeople(ctx, s.DB.Reader(), sessionID, RegistrationWaitlisted)
	if err != nil {
		return err
	}
	pos := map[string]int{}
	for i, p := range waiting {
		pos[p] = i + 1
	}
	for _, r := range regs {
		if r.Status == RegistrationWaitlisted {
			r.Position = pos[r.PersonID]
		}
	}
	return nil
}

// FindRegistrationByID returns a registration the actor may see: their own, or any for the
// session's instructor and those who run training.
func (s *Service) FindRegistrationByID(ctx context.Context, actor *core.Actor, id string) (*Registration, *Session, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, nil, err
	}
	if !core.ValidID(id) {
		return nil, nil, core.NotFound("registration")
	}
	r, err := scanRegistration(s.DB.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM session_registrations r JOIN people p ON p.id = r.person_id WHERE r.id = ?`, id))
	if err != nil {
		return nil, nil, notFoundIn("registration", err)
	}
	ss, err := s.findSession(ctx, s.DB.Reader(), r.SessionID)
	if err != nil {
		return nil, nil, err
	}
	if r.PersonID != actor.PersonID && ss.InstructorID != actor.PersonID && !mayRun(actor) {
		return nil, nil, core.NotFound("registration")
	}
	if err := s.number(ctx, r.SessionID, []*Registration{r}); err != nil {
		return nil, nil, err
	}
	return r, ss, nil
}

// Register books the actor into a session: a seat while there are free ones, else a place on
// the waitlist. Registration needs an enrollment in the item, made here when the item is open;
// a person has one place per item, so registering moves them from another session of it.
func (s *Service) Register(ctx context.Context, actor *core.Actor, sessionID string) (*Registration, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return nil, err
	}
	if actor.PersonID == "" {
		return nil, core.Errorf(core.EFORBIDDEN, "only a person registers")
	}
	var regID string
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockSession(ctx, tx, sessionID); err != nil {
			return err
		}
		ss, err := s.findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch {
		case ss.Status == SessionCancelled:
			return core.Errorf(core.ECONFLICT, "this session was cancelled")
		case !now.Before(ss.StartsAt):
			return core.Errorf(core.ECONFLICT, "this session has started")
		case ss.RegistrationDeadline != nil && !now.Before(*ss.RegistrationDeadline):
			return core.Errorf(core.ECONFLICT, "registration for this session closed on %s", ss.Local(*ss.RegistrationDeadline).Format("2 Jan 2006 15:04 MST"))
		}
		e, err := s.enrollmentFor(ctx, tx, actor, ss.ItemID, now)
		if err != nil {
			return err
		}
		var existing struct {
			id, status string
		}
		err = tx.QueryRowContext(ctx, `SELECT id, status FROM session_registrations WHERE session_id = ? AND person_id = ?`, sessionID, actor.PersonID).
			Scan(&existing.id, &existing.status)
		if err == nil && existing.status != RegistrationCancelled {
			regID = existing.id
			return nil
		}
		if err != nil && !db.IsNoRows(err) {
			return err
		}
		// One place per item: a registration for another future session of it ends here.
		if err := s.cancelRegistrations(ctx, tx, actor.PersonID, ss.ItemID, now); err != nil {
			return err
		}
		var registered int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM session_registrations WHERE session_id = ? AND status = 'registered'`, sessionID).Scan(&registered); err != nil {
			return err
		}
		status := RegistrationRegistered
		if registered >= ss.Capacity {
			status = RegistrationWaitlisted
		}
		if existing.id != "" {
			regID = existing.id
			_, err = tx.ExecContext(ctx, `UPDATE session_registrations SET status = ?, attendance = '', enrollment_id = ?, registered_at = ?, promoted_at = NULL,
				cancelled_at = NULL, sequence = sequence + 1 WHERE id = ?`, status, e.ID, now, regID)
		} else {
			regID = core.NewID()
			_, err = tx.ExecContext(ctx, `INSERT INTO session_registrations (id, session_id, person_id, enrollment_id, status, registered_at)
				VALUES (?, ?, ?, ?, ?, ?)`, regID, sessionID, actor.PersonID, e.ID, status, now)
		}
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if err := s.start(ctx, tx, e, now); err != nil {
			return err
		}
		if status == RegistrationRegistered {
			item := itemRef(ss.ItemID)
			if err := publish(ctx, tx, outbox.Event{Type: outbox.Registered, PersonID: actor.PersonID, At: now, Object: sessionRef(sessionID), Parent: &item}); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.register", TargetType: "learning_item", TargetID: ss.ItemID,
			Summary: fmt.Sprintf("Registered (%s) for the session of %q on %s", status, ss.ItemTitle, ss.StartsAt.Format(time.RFC3339))})
	})
	if err != nil {
		return nil, err
	}
	r, _, err := s.FindRegistrationByID(ctx, actor, regID)
	return r, err
}

// enrollmentFor returns the actor's open enrollment in an item that lets them book a session,
// enrolling them when the item is open to all.
func (s *Service) enrollmentFor(ctx context.Context, tx *db.Tx, actor *core.Actor, itemID string, now time.Time) (*Enrollment, error) {
	e, err := s.openEnrollment(ctx, tx, actor.PersonID, itemID)
	if err != nil {
		return nil, err
	}
	if e != nil {
		if e.Status == EnrollmentRequested {
			return nil, core.Errorf(core.ECONFLICT, "your manager has not approved your enrollment in %q yet", e.ItemTitle)
		}
		return e, nil
	}
	it, err := s.enrollable(ctx, tx, actor, itemID)
	if err != nil {
		return nil, err
	}
	switch it.Enrollment {
	case EnrollAssigned:
		return nil, core.Errorf(core.EFORBIDDEN, "%q is taken by assignment only; ask your manager or L&D", it.Title)
	case EnrollApproval:
		return nil, core.Errorf(core.EFORBIDDEN, "%q needs your manager's approval: ask to take it on its page first", it.Title)
	}
	id, err := s.insertEnrollment(ctx, tx, newEnrollment{personID: actor.PersonID, itemID: itemID, status: EnrollmentEnrolled, source: SourceSelf}, now)
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, tx, id)
}

// CancelRegistration gives up a seat or a place on the waitlist before the session starts: the
// person themselves, or those who run training. A freed seat goes to the first person waiting.
func (s *Service) CancelRegistration(ctx context.Context, actor *core.Actor, registrationID string) (*Registration, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil && !mayRun(actor) {
		return nil, err
	}
	r, ss, err := s.FindRegistrationByID(ctx, actor, registrationID)
	if err != nil {
		return nil, err
	}
	if r.PersonID != actor.PersonID && !mayRun(actor) {
		return nil, core.Errorf(core.EFORBIDDEN, "only %s cancels their registration", r.PersonName)
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockSession(ctx, tx, ss.ID); err != nil {
			return err
		}
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM session_registrations WHERE id = ?`, r.ID).Scan(&status); err != nil {
			return err
		}
		now := s.Clock.Now()
		switch {
		case status == RegistrationCancelled:
			return core.Errorf(core.ECONFLICT, "this registration was cancelled already")
		case !now.Before(ss.StartsAt):
			return core.Errorf(core.ECONFLICT, "the session has started; ask the instructor to mark you absent instead")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE session_registrations SET status = 'cancelled', cancelled_at = ?, sequence = sequence + 1 WHERE id = ?`, now, r.ID); err != nil {
			return err
		}
		if _, err := s.promote(ctx, tx, ss.ID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.unregister", TargetType: "person", TargetID: r.PersonID,
			Summary: fmt.Sprintf("Cancelled %s's registration for the session of %q on %s", r.PersonName, ss.ItemTitle, ss.StartsAt.Format(time.RFC3339))})
	})
	if err != nil {
		return nil, err
	}
	r, _, err = s.FindRegistrationByID(ctx, actor, registrationID)
	return r, err
}

// cancelRegistrations ends a person's registrations for future sessions of an item (when their
// enrollment ends or they book another session), promoting the waitlists they leave.
func (s *Service) cancelRegistrations(ctx context.Context, tx *db.Tx, personID, itemID string, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.session_id FROM session_registrations r JOIN training_sessions ss ON ss.id = r.session_id
		WHERE r.person_id = ? AND ss.item_id = ? AND r.status <> 'cancelled' AND ss.starts_at > ? AND ss.status = 'scheduled' ORDER BY ss.id`, personID, itemID, now)
	if err != nil {
		return err
	}
	type reg struct{ id, session string }
	var regs []reg
	for rows.Next() {
		var r reg
		if err := rows.Scan(&r.id, &r.session); err != nil {
			rows.Close()
			return err
		}
		regs = append(regs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range regs {
		if err := lockSession(ctx, tx, r.session); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE session_registrations SET status = 'cancelled', cancelled_at = ?, sequence = sequence + 1 WHERE id = ?`, now, r.id); err != nil {
			return err
		}
		if _, err := s.promote(ctx, tx, r.session, now); err != nil {
			return err
		}
	}
	return nil
}

// promote gives free seats to the people waiting longest, and tells them. The caller holds the
// session's lock.
func (s *Service) promote(ctx context.Context, tx *db.Tx, sessionID string, now time.Time) (int, error) {
	ss, err := s.findSession(ctx, tx, sessionID)
	if err != nil {
		return 0, err
	}
	free := ss.Capacity - ss.Registered
	if free <= 0 || ss.Waitlisted == 0 || ss.Status != SessionScheduled || !now.Before(ss.StartsAt) {
		return 0, nil
	}
	waiting, err := s.sessionPeople(ctx, tx, sessionID, RegistrationWaitlisted)
	if err != nil {
		return 0, err
	}
	if len(waiting) > free {
		waiting = waiting[:free]
	}
	var msgs []notify.Message
	for _, p := range waiting {
		if _, err := tx.ExecContext(ctx, `UPDATE session_registrations SET status = 'registered', promoted_at = ?, sequence = sequence + 1
			WHERE session_id = ? AND person_id = ?`, now, sessionID, p); err != nil {
			return 0, err
		}
		item := itemRef(ss.ItemID)
		if err := publish(ctx, tx, outbox.Event{Type: outbox.Registered, PersonID: p, At: now, Object: sessionRef(sessionID), Parent: &item}); err != nil {
			return 0, err
		}
		msgs = append(msgs, notify.Message{PersonID: p, Kind: notify.KindSession, Link: "/training/sessions/" + sessionID,
			Text: fmt.Sprintf("A seat freed up: you are now registered for %q on %s.", ss.ItemTitle, ss.Local(ss.StartsAt).Format("2 Jan 2006 15:04 MST"))})
	}
	return len(waiting), notify.Send(ctx, tx, now, msgs...)
}

// AttendanceInput marks who came: person id → attended or no_show ("" clears a mark).
type AttendanceInput map[string]string

// MarkAttendance records attendance: the session's instructor and those who run training mark
// it, from an hour before the start. Attending completes the enrollment of an item without a
// test; with a test, the person still has to pass it.
func (s *Service) MarkAttendance(ctx context.Context, actor *core.Actor, sessionID string, marks AttendanceInput) error {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return err
	}
	ss, err := s.FindSessionByID(ctx, actor, sessionID)
	if err != nil {
		return err
	}
	if ss.InstructorID != actor.PersonID && !mayRun(actor) {
		return core.Errorf(core.EFORBIDDEN, "only the instructor or L&D marks attendance")
	}
	now := s.Clock.Now()
	switch {
	case ss.Status == SessionCancelled:
		return core.Errorf(core.ECONFLICT, "this session was cancelled")
	case now.Before(ss.StartsAt.Add(-time.Hour)):
		return core.Errorf(core.ECONFLICT, "attendance is marked from an hour before the session starts")
	}
	for pid, mark := range marks {
		if mark != Attended && mark != NoShow && mark != "" {
			return core.Invalid("attendance", "mark attended or no_show, not %q", mark)
		}
		if !core.ValidID(pid) {
			return core.Invalid("attendance", "unknown person")
		}
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		it, err := s.findItem(ctx, tx, ss.ItemID)
		if err != nil {
			return err
		}
		attended, absent := 0, 0
		for pid, mark := range marks {
			var regID, status, was, enrollmentID string
			err := tx.QueryRowContext(ctx, `SELECT id, status, attendance, COALESCE(enrollment_id, '') FROM session_registrations WHERE session_id = ? AND person_id = ?`,
				sessionID, pid).Scan(&regID, &status, &was, &enrollmentID)
			if db.IsNoRows(err) || err == nil && status != RegistrationRegistered {
				return core.Invalid("attendance", "only people with a seat are marked")
			}
			if err != nil {
				return err
			}
			if was == mark {
				continue
			}
			if was == Attended && mark != Attended {
				var done string
				_ = tx.QueryRowContext(ctx, `SELECT status FROM enrollments WHERE id = ?`, enrollmentID).Scan(&done)
				if done == EnrollmentCompleted {
					return core.Errorf(core.ECONFLICT, "a completion was recorded for this attendance; it stays in the record")
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE session_registrations SET attendance = ?, marked_at = ?, marked_by = ? WHERE id = ?`,
				mark, now, nullID(actor.PersonID), regID); err != nil {
				return err
			}
			switch mark {
			case Attended:
				attended++
				item := itemRef(ss.ItemID)
				if err := publish(ctx, tx, outbox.Event{Type: outbox.Attended, PersonID: pid, At: now, Object: sessionRef(sessionID), Parent: &item,
					By: actor.PersonID}); err != nil {
					return err
				}
				if err := s.attended(ctx, tx, actor, enrollmentID, it, ss); err != nil {
					return err
				}
			case NoShow:
				absent++
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.attendance", TargetType: "learning_item", TargetID: ss.ItemID,
			Summary: fmt.Sprintf("Marked attendance of the session of %q on %s: %d attended, %d absent", ss.ItemTitle, ss.StartsAt.Format(time.RFC3339), attended, absent)})
	})
}

// attended completes the enrollment behind a registration when attendance is all the item asks.
func (s *Service) attended(ctx context.Context, tx *db.Tx, actor *core.Actor, enrollmentID string, it *Item, ss *Session) error {
	if enrollmentID == "" {
		return nil
	}
	e, err := s.findEnrollment(ctx, tx, enrollmentID)
	if err != nil || !isOpen(e.Status) {
		return err
	}
	if it.HasTest {
		// The test may have been passed before the attendance was marked.
		var score *float64
		err := tx.QueryRowContext(ctx, `SELECT max(a.score) FROM quiz_attempts a JOIN quizzes z ON z.id = a.quiz_id
			WHERE a.enrollment_id = ? AND z.kind = 'test' AND a.passed`, e.ID).Scan(&score)
		if err != nil {
			return err
		}
		if score == nil {
			return s.start(ctx, tx, e, s.Clock.Now())
		}
		return s.complete(ctx, tx, actor, e, completion{at: s.Clock.Now(), score: score, note: fmt.Sprintf(" (attended, and passed the test with %s)", Percent(*score))})
	}
	at := ss.EndsAt
	if now := s.Clock.Now(); at.After(now) {
		at = now
	}
	return s.complete(ctx, tx, actor, e, completion{at: at, note: " (attended the session)"})
}
