package training_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apognu/gocal"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/training"
)

func (f *fixture) session(it *training.Item, capacity int, start time.Time) *training.Session {
	f.t.Helper()
	ss, err := f.svc.CreateSession(ctx, f.actor("E7"), training.SessionInput{ItemID: it.ID, StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		TimeZone: "Europe/Berlin", Location: "Berlin office, room 4", Capacity: capacity, InstructorID: f.ids["E1"]})
	if err != nil {
		f.t.Fatalf("schedule: %v", err)
	}
	return ss
}

// TestLastSeatsUnderLoad: 50 people register at the same moment for the last 10 seats: exactly
// 10 get a seat and 40 wait, on every engine. Cancelling a seat promotes the first in line.
func TestLastSeatsUnderLoad(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 60)
		ws := f.item("First aid workshop", training.KindWorkshop)
		ss := f.session(ws, 20, f.clock.T.Add(7*24*time.Hour))
		// Ten seats are taken already.
		for i := 51; i <= 60; i++ {
			if _, err := f.svc.Register(ctx, f.actor(fmt.Sprintf("P%03d", i)), ss.ID); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		start := make(chan struct{})
		for i := 1; i <= 50; i++ {
			wg.Add(1)
			go func(n string) {
				defer wg.Done()
				<-start
				_, err := f.svc.Register(ctx, f.actor(n), ss.ID)
				errs <- err
			}(fmt.Sprintf("P%03d", i))
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("register: %v", err)
			}
		}
		got := must[*training.Session](t)(f.svc.FindSessionByID(ctx, f.actor("E7"), ss.ID))
		if got.Registered != 20 || got.Waitlisted != 40 {
			t.Fatalf("registered %d, waitlisted %d; want 20 and 40", got.Registered, got.Waitlisted)
		}
		regs := must[[]*training.Registration](t)(f.svc.Registrations(ctx, f.actor("E7"), ss.ID))
		var first *training.Registration
		for _, r := range regs {
			if r.Status == training.RegistrationWaitlisted && r.Position == 1 {
				first = r
			}
		}
		if first == nil {
			t.Fatal("nobody is first on the waitlist")
		}
		// A seat frees up: the first in line gets it and is told.
		var seat *training.Registration
		for _, r := range regs {
			if r.Status == training.RegistrationRegistered {
				seat = r
				break
			}
		}
		owner := &core.Actor{PersonID: seat.PersonID}
		if _, err := f.svc.CancelRegistration(ctx, owner, seat.ID); err != nil {
			t.Fatal(err)
		}
		promoted, _, err := f.svc.FindRegistrationByID(ctx, f.actor("E7"), first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if promoted.Status != training.RegistrationRegistered || promoted.PromotedAt == nil {
			t.Errorf("first in line after a cancellation: %+v", promoted)
		}
		inbox := &notify.Service{DB: d, Clock: f.clock}
		msgs, _, _ := inbox.Recent(ctx, &core.Actor{PersonID: first.PersonID}, 5)
		if len(msgs) == 0 || !strings.Contains(msgs[0].Message, "seat freed up") {
			t.Errorf("the promoted person was not told: %+v", msgs)
		}
		// Someone else cannot cancel a registration.
		_, err = f.svc.CancelRegistration(ctx, f.actor("E3"), first.ID)
		code(t, err, core.ENOTFOUND)
	})
}

func TestSessionRulesAndAttendance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		ws := f.item("Negotiation lab", training.KindWorkshop)
		start := f.clock.T.Add(48 * time.Hour)
		deadline := start.Add(-24 * time.Hour)
		ss := must[*training.Session](t)(f.svc.CreateSession(ctx, f.actor("E7"), training.SessionInput{ItemID: ws.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			TimeZone: "Europe/Berlin", OnlineURL: "https://meet.example.com/neg", Capacity: 2, InstructorID: f.ids["E5"], RegistrationDeadline: &deadline}))

		// Bad input names each field.
		_, err := f.svc.CreateSession(ctx, f.actor("E7"), training.SessionInput{ItemID: ws.ID, StartsAt: start, EndsAt: start.Add(-time.Hour), TimeZone: "Mars/Olympus", Capacity: 0})
		e := core.AsError(err)
		for _, field := range []string{"ends_at", "time_zone", "capacity", "location"} {
			if e == nil || e.Fields[field] == "" {
				t.Errorf("no message for %s: %v", field, err)
			}
		}
		// Only scheduled kinds have sessions.
		reading := f.item("Handbook", training.KindReading)
		_, err = f.svc.CreateSession(ctx, f.actor("E7"), training.SessionInput{ItemID: reading.ID, StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "UTC", Location: "x", Capacity: 1})
		code(t, err, core.EINVALID)

		alan, jose := f.actor("E3"), f.actor("E4")
		ra := must[*training.Registration](t)(f.svc.Register(ctx, alan, ss.ID))
		rj := must[*training.Registration](t)(f.svc.Register(ctx, jose, ss.ID))
		if ra.Status != training.RegistrationRegistered || rj.Status != training.RegistrationRegistered {
			t.Fatalf("statuses %s %s", ra.Status, rj.Status)
		}
		// Registering again changes nothing.
		again := must[*training.Registration](t)(f.svc.Register(ctx, alan, ss.ID))
		if again.ID != ra.ID {
			t.Error("a second registration")
		}
		// The deadline passed: no more registrations.
		f.clock.T = deadline.Add(time.Minute)
		_, err = f.svc.Register(ctx, f.actor("E6"), ss.ID)
		code(t, err, core.ECONFLICT)

		// Attendance: the instructor marks it, nobody else (the learner cannot), not days before.
		code(t, f.svc.MarkAttendance(ctx, f.actor("E5"), ss.ID, training.AttendanceInput{alan.PersonID: training.Attended}), core.ECONFLICT)
		f.clock.T = start.Add(30 * time.Minute)
		code(t, f.svc.MarkAttendance(ctx, alan, ss.ID, training.AttendanceInput{alan.PersonID: training.Attended}), core.EFORBIDDEN)
		code(t, f.svc.MarkAttendance(ctx, f.actor("E5"), ss.ID, training.AttendanceInput{f.ids["E6"]: training.Attended}), core.EINVALID)
		if err := f.svc.MarkAttendance(ctx, f.actor("E5"), ss.ID, training.AttendanceInput{alan.PersonID: training.Attended, jose.PersonID: training.NoShow}); err != nil {
			t.Fatal(err)
		}
		am := must[*training.MyLearning](t)(f.svc.FindMyLearning(ctx, alan))
		if len(am.Completed) != 1 || am.Completed[0].ItemID != ws.ID {
			t.Errorf("attending completes a workshop without a test: %+v", am.Completed)
		}
		jm := must[*training.MyLearning](t)(f.svc.FindMyLearning(ctx, jose))
		if len(jm.Completed) != 0 || len(jm.InProgress) != 1 {
			t.Errorf("a no-show keeps the enrollment open: %+v %+v", jm.Completed, jm.InProgress)
		}
		// Undoing the attendance of a completion is refused: the record stays.
		code(t, f.svc.MarkAttendance(ctx, f.actor("E5"), ss.ID, training.AttendanceInput{alan.PersonID: training.NoShow}), core.ECONFLICT)
	})
}

// TestCalendar checks the .ics of a registration and the personal feed with a real iCalendar
// parser: the times, the same UID through updates and cancellations, and a rising SEQUENCE.
func TestCalendar(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		ws := f.item("Sicherheitsunterweisung für Gabelstaplerfahrer", training.KindILT)
		// The last Sunday of March 2027 is the change to summer time in Berlin.
		start := time.Date(2027, 3, 28, 9, 0, 0, 0, time.UTC)
		ss := f.session(ws, 5, start)
		alan := f.actor("E3")
		reg := must[*training.Registration](t)(f.svc.Register(ctx, alan, ss.ID))
		const base = "https://learn.example.com"

		parse := func(b []byte) []gocal.Event {
			t.Helper()
			c := gocal.NewParser(bytes.NewReader(b))
			from, to := start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0)
			c.Start, c.End = &from, &to
			if err := c.Parse(); err != nil {
				t.Fatalf("parse: %v\n%s", err, b)
			}
			return c.Events
		}
		ics, ctype, err := f.svc.RegistrationCalendar(ctx, alan, reg.ID, base)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ctype, "method=REQUEST") || !strings.Contains(string(ics), "METHOD:REQUEST") {
			t.Errorf("an invitation: %s", ctype)
		}
		evs := parse(ics)
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		ev := evs[0]
		if !ev.Start.Equal(start) || !ev.End.Equal(start.Add(3*time.Hour)) || ev.Summary != ws.Title {
			t.Errorf("event %v–%v %q", ev.Start, ev.End, ev.Summary)
		}
		uid, seq := ev.Uid, ev.Sequence
		// Another person cannot read the registration's calendar.
		_, _, err = f.svc.RegistrationCalendar(ctx, f.actor("E4"), reg.ID, base)
		code(t, err, core.ENOTFOUND)

		// A change of time reaches the calendar as the same event, newer.
		up := training.SessionInput{ItemID: ws.ID, StartsAt: start.Add(time.Hour), EndsAt: start.Add(4 * time.Hour), TimeZone: "Europe/Berlin", Location: "Halle 3, Tor Nord", Capacity: 5}
		must[*training.Session](t)(f.svc.UpdateSession(ctx, f.actor("E7"), ss.ID, up))
		ics, _, _ = f.svc.RegistrationCalendar(ctx, alan, reg.ID, base)
		ev = parse(ics)[0]
		if ev.Uid != uid || ev.Sequence <= seq || !ev.Start.Equal(start.Add(time.Hour)) || ev.Location != "Halle 3, Tor Nord" {
			t.Errorf("update: uid %q seq %d start %v location %q", ev.Uid, ev.Sequence, ev.Start, ev.Location)
		}
		seq = ev.Sequence

		// The personal feed has the event too, with the same UID; a bad token finds nothing.
		addr := must[string](t)(f.svc.FeedAddress(ctx, alan, base, false))
		token := strings.TrimSuffix(addr[strings.LastIndex(addr, "/")+1:], ".ics")
		feed := must[[]byte](t)(f.svc.Feed(ctx, token, base))
		fe := parse(feed)
		if len(fe) != 1 || fe[0].Uid != uid {
			t.Fatalf("feed: %+v", fe)
		}
		if addr2 := must[string](t)(f.svc.FeedAddress(ctx, alan, base, false)); addr2 != addr {
			t.Error("the feed address changes when shown again")
		}
		_, err = f.svc.Feed(ctx, strings.Repeat("0", 40), base)
		code(t, err, core.ENOTFOUND)

		// Cancelling the session: the registration's file becomes a cancellation, the feed shows
		// the event cancelled, both with a higher sequence.
		must[*training.Session](t)(f.svc.CancelSession(ctx, f.actor("E7"), ss.ID, "The trainer is ill."))
		ics, ctype, _ = f.svc.RegistrationCalendar(ctx, alan, reg.ID, base)
		ev = parse(ics)[0]
		if !strings.Contains(ctype, "method=CANCEL") || ev.Status != "CANCELLED" || ev.Uid != uid || ev.Sequence <= seq {
			t.Errorf("cancellation: %s status %q seq %d", ctype, ev.Status, ev.Sequence)
		}
		fe = parse(must[[]byte](t)(f.svc.Feed(ctx, token, base)))
		if len(fe) != 1 || fe[0].Status != "CANCELLED" {
			t.Errorf("feed after cancellation: %+v", fe)
		}
		// A new address ends the old one.
		must[string](t)(f.svc.FeedAddress(ctx, alan, base, true))
		_, err = f.svc.Feed(ctx, token, base)
		code(t, err, core.ENOTFOUND)
	})
}
