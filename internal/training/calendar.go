package training

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/ical"
)

// Calendar entries. Every session is one event with the same UID wherever it appears (the
// .ics of a registration, the personal feed), and its SEQUENCE is the session's plus the
// registration's, both raised on every change: a rescheduled session, a cancelled one, a
// registration cancelled or moved from the waitlist all reach calendars as updates of the
// same event.

// sessionUID is the stable identifier of a session's calendar event.
func sessionUID(sessionID, host string) string { return "session-" + sessionID + "@" + host }

func hostOf(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "learnloop"
}

// sessionEvent is a session as a calendar event for one registration (nil for the
// instructor's copy).
func sessionEvent(ss *Session, r *Registration, baseURL string, now time.Time) ical.Event {
	host := hostOf(baseURL)
	ev := ical.Event{UID: sessionUID(ss.ID, host), Sequence: ss.Sequence, Stamp: now, Start: ss.StartsAt, End: ss.EndsAt, TimeZone: ss.TimeZone,
		Summary: ss.ItemTitle, Location: ss.Location, URL: strings.TrimSuffix(baseURL, "/") + "/training/sessions/" + ss.ID,
		Status: ical.StatusConfirmed, Created: ss.CreatedAt, LastModified: ss.UpdatedAt}
	var desc []string
	if ss.OnlineURL != "" {
		desc = append(desc, "Join online: "+ss.OnlineURL)
		if ev.Location == "" {
			ev.Location = ss.OnlineURL
		}
	}
	if ss.InstructorName != "" {
		desc = append(desc, "Instructor: "+ss.InstructorName)
	}
	if r != nil {
		ev.Sequence += r.Sequence
		switch r.Status {
		case RegistrationWaitlisted:
			ev.Status = ical.StatusTentative
			desc = append(desc, fmt.Sprintf("You are number %d on the waitlist; learnloop tells you when a seat frees up.", r.Position))
		case RegistrationCancelled:
			ev.Status = ical.StatusCancelled
			desc = append(desc, "Your registration was cancelled.")
		}
	}
	if ss.Status == SessionCancelled {
		ev.Status = ical.StatusCancelled
		desc = append(desc, "This session was cancelled. "+ss.CancelReason)
	}
	desc = append(desc, "Details: "+ev.URL)
	ev.Description = strings.TrimSpace(strings.Join(desc, "\n"))
	return ev
}

// RegistrationCalendar returns the .ics of a registration: an invitation (METHOD:REQUEST) while
// the person has a seat or waits, a cancellation (METHOD:CANCEL) once the registration or the
// session is cancelled.
func (s *Service) RegistrationCalendar(ctx context.Context, actor *core.Actor, registrationID, baseURL string) ([]byte, string, error) {
	r, ss, err := s.FindRegistrationByID(ctx, actor, registrationID)
	if err != nil {
		return nil, "", err
	}
	now := s.Clock.Now()
	ev := sessionEvent(ss, r, baseURL, now)
	ev.Organizer = &ical.Person{Name: "learnloop", Email: "noreply@" + hostOf(baseURL)}
	if ss.InstructorEmail != "" {
		ev.Organizer = &ical.Person{Name: ss.InstructorName, Email: ss.InstructorEmail}
	}
	att := ical.Attendee{Name: r.PersonName, Email: r.PersonEmail, PartStat: ical.PartStatAccepted, Role: ical.RoleRequired}
	if r.Status == RegistrationWaitlisted {
		att.PartStat = ical.PartStatTentative
	}
	cal := ical.Calendar{Method: ical.MethodRequest}
	if ev.Status == ical.StatusCancelled {
		cal.Method = ical.MethodCancel
		att.PartStat = ical.PartStatDeclined
		if ss.Status != SessionCancelled {
			// Only this attendee leaves; the event itself goes on (RFC 5546 section 3.2.5).
			ev.Status = ""
		}
	}
	if att.Email == "" {
		// iTIP needs an address for the attendee; without one the file is a plain event.
		cal.Method, ev.Organizer = "", nil
	} else {
		ev.Attendees = []ical.Attendee{att}
	}
	cal.Events = []ical.Event{ev}
	b, err := cal.Encode()
	if err != nil {
		return nil, "", err
	}
	return b, cal.MediaType(), nil
}

// feedKey is the installation's key for calendar feed addresses.
func (s *Service) feedKey(ctx context.Context) ([]byte, error) {
	return s.DB.Secret(ctx, "calendar_feed_key")
}

// feedToken derives a person's feed token from the key, the person and when the address was
// made: it can be shown again at any time without being stored, and making a new address
// (a new time) ends the old one.
func feedToken(key []byte, personID string, created time.Time) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s|%d", personID, created.UnixMicro())
	return hex.EncodeToString(m.Sum(nil))[:40]
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FeedAddress returns the actor's personal calendar feed address, making one the first time;
// renew makes a new one, and the old address stops working.
func (s *Service) FeedAddress(ctx context.Context, actor *core.Actor, baseURL string, renew bool) (string, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return "", err
	}
	if actor.PersonID == "" {
		return "", core.Errorf(core.EFORBIDDEN, "only a person has a calendar")
	}
	key, err := s.feedKey(ctx)
	if err != nil {
		return "", err
	}
	var created time.Time
	err = s.DB.QueryRowContext(ctx, `SELECT created_at FROM calendar_feeds WHERE person_id = ?`, actor.PersonID).Scan(&created)
	if err != nil && !db.IsNoRows(err) {
		return "", err
	}
	if db.IsNoRows(err) || renew {
		old := created
		created = s.Clock.Now()
		if !created.After(old) {
			// A new address must differ from the old one, also within one clock tick.
			created = old.Add(time.Microsecond)
		}
		token := feedToken(key, actor.PersonID, created)
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, actor.PersonID, tokenHash(token), created); err != nil {
			return "", fmt.Errorf("make calendar address: %w", err)
		}
	}
	return strings.TrimSuffix(baseURL, "/") + "/calendar/" + feedToken(key, actor.PersonID, created.UTC()) + ".ics", nil
}

// Feed returns the calendar of the person whose feed token this is: the sessions they are
// registered or waitlisted for, those whose registration or session was cancelled (so that the
// calendar app removes them), and those they teach, from 60 days back. An unknown token is not
// found.
func (s *Service) Feed(ctx context.Context, token, baseURL string) ([]byte, error) {
	if len(token) != 40 {
		return nil, core.NotFound("calendar")
	}
	var personID, name string
	err := s.DB.QueryRowContext(ctx, `SELECT f.person_id, p.given_name || ' ' || p.family_name FROM calendar_feeds f JOIN people p ON p.id = f.person_id
		WHERE f.token_hash = ? AND p.status = 'active'`, tokenHash(token)).Scan(&personID, &name)
	if err != nil {
		return nil, notFoundIn("calendar", err)
	}
	now := s.Clock.Now()
	from := now.AddDate(0, 0, -60)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+registrationColumns+` FROM session_registrations r JOIN people p ON p.id = r.person_id
		JOIN training_sessions ss ON ss.id = r.session_id WHERE r.person_id = ? AND ss.ends_at > ? ORDER BY ss.starts_at, ss.id`, personID, from)
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	var regs []*Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		regs = append(regs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cal := ical.Calendar{Name: "learnloop: " + name, Refresh: 6 * time.Hour}
	seen := map[string]bool{}
	for _, r := range regs {
		ss, err := s.findSession(ctx, s.DB.Reader(), r.SessionID)
		if err != nil {
			return nil, err
		}
		if err := s.number(ctx, r.SessionID, []*Registration{r}); err != nil {
			return nil, err
		}
		ev := sessionEvent(ss, r, baseURL, now)
		ev.Stamp = latest(ss.UpdatedAt, r.RegisteredAt, r.CancelledAt, r.PromotedAt)
		cal.Events = append(cal.Events, ev)
		seen[ss.ID] = true
	}
	taught, err := s.FindSessions(ctx, core.System, SessionFilter{InstructorID: personID, From: from, Limit: core.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, ss := range taught {
		if seen[ss.ID] {
			continue
		}
		ev := sessionEvent(ss, nil, baseURL, now)
		ev.Stamp = ss.UpdatedAt
		ev.Summary = "Teaching: " + ss.ItemTitle
		cal.Events = append(cal.Events, ev)
	}
	return cal.Encode()
}

func latest(t time.Time, more ...any) time.Time {
	for _, m := range more {
		switch v := m.(type) {
		case time.Time:
			if v.After(t) {
				t = v
			}
		case *time.Time:
			if v != nil && v.After(t) {
				t = *v
			}
		}
	}
	return t
}
