package ical_test

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/ical"
)

// TestTimesAreTheSameInstants checks that an app reading the file puts each session at the
// instants it was scheduled for, across clock changes and in zones with odd offsets, whether it
// places times by TZID as most apps do (gocal, golang-ical) or by the VTIMEZONE in the file.
func TestTimesAreTheSameInstants(t *testing.T) {
	t.Parallel()
	berlin := mustLoad(t, "Europe/Berlin")
	kolkata := mustLoad(t, "Asia/Kolkata")
	sydney := mustLoad(t, "Australia/Sydney")
	newYork := mustLoad(t, "America/New_York")
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name               string
		zone               string
		start, end         time.Time
		wantStart, wantEnd string // the unfolded DTSTART and DTEND lines
	}{
		{"Berlin in winter", "Europe/Berlin",
			time.Date(2027, 1, 15, 9, 0, 0, 0, berlin), time.Date(2027, 1, 15, 17, 0, 0, 0, berlin),
			"DTSTART;TZID=Europe/Berlin:20270115T090000", "DTEND;TZID=Europe/Berlin:20270115T170000"},
		// The last Sunday of March: 01:30 CET to 04:00 CEST is an hour and a half.
		{"Berlin across the spring change", "Europe/Berlin",
			utc("2027-03-28T00:30:00Z"), utc("2027-03-28T02:00:00Z"),
			"DTSTART;TZID=Europe/Berlin:20270328T013000", "DTEND;TZID=Europe/Berlin:20270328T040000"},
		{"Berlin across the autumn change", "Europe/Berlin",
			utc("2027-10-30T23:00:00Z"), utc("2027-10-31T03:00:00Z"),
			"DTSTART;TZID=Europe/Berlin:20271031T010000", "DTEND;TZID=Europe/Berlin:20271031T040000"},
		// 02:30 happens twice on that night; each instant is written in UTC so that no reader
		// has to guess which one is meant. 03:00 CET happens once.
		{"Berlin at the first 02:30", "Europe/Berlin",
			utc("2027-10-31T00:30:00Z"), utc("2027-10-31T02:00:00Z"),
			"DTSTART:20271031T003000Z", "DTEND;TZID=Europe/Berlin:20271031T030000"},
		{"Berlin at the second 02:30", "Europe/Berlin",
			utc("2027-10-31T01:30:00Z"), utc("2027-10-31T02:30:00Z"),
			"DTSTART:20271031T013000Z", "DTEND;TZID=Europe/Berlin:20271031T033000"},
		{"Kolkata, half an hour off the hour", "Asia/Kolkata",
			time.Date(2027, 6, 1, 10, 0, 0, 0, kolkata), time.Date(2027, 6, 1, 12, 30, 0, 0, kolkata),
			"DTSTART;TZID=Asia/Kolkata:20270601T100000", "DTEND;TZID=Asia/Kolkata:20270601T123000"},
		// Sydney's clocks go back from 03:00 AEDT to 02:00 AEST on the first Sunday of April.
		{"Sydney as daylight saving ends", "Australia/Sydney",
			time.Date(2027, 4, 4, 1, 0, 0, 0, sydney), time.Date(2027, 4, 4, 5, 0, 0, 0, sydney),
			"DTSTART;TZID=Australia/Sydney:20270404T010000", "DTEND;TZID=Australia/Sydney:20270404T050000"},
		{"Sydney on the first day of daylight saving", "Australia/Sydney",
			time.Date(2027, 10, 3, 9, 0, 0, 0, sydney), time.Date(2027, 10, 3, 17, 0, 0, 0, sydney),
			"DTSTART;TZID=Australia/Sydney:20271003T090000", "DTEND;TZID=Australia/Sydney:20271003T170000"},
		{"New York past midnight UTC", "America/New_York",
			time.Date(2027, 7, 1, 18, 0, 0, 0, newYork), time.Date(2027, 7, 1, 21, 0, 0, 0, newYork),
			"DTSTART;TZID=America/New_York:20270701T180000", "DTEND;TZID=America/New_York:20270701T210000"},
		// Past 2037 Go's zone bounds include turns of the year that are not changes.
		{"Berlin on the last day of a leap year past 2037", "Europe/Berlin",
			time.Date(2040, 12, 31, 18, 0, 0, 0, berlin), time.Date(2040, 12, 31, 23, 0, 0, 0, berlin),
			"DTSTART;TZID=Europe/Berlin:20401231T180000", "DTEND;TZID=Europe/Berlin:20401231T230000"},
		{"Berlin in the summer of 2090", "Europe/Berlin",
			time.Date(2090, 7, 1, 9, 0, 0, 0, berlin), time.Date(2090, 7, 1, 17, 0, 0, 0, berlin),
			"DTSTART;TZID=Europe/Berlin:20900701T090000", "DTEND;TZID=Europe/Berlin:20900701T170000"},
		{"no zone is UTC", "",
			time.Date(2027, 1, 15, 9, 0, 0, 0, berlin), time.Date(2027, 1, 15, 17, 0, 0, 0, berlin),
			"DTSTART:20270115T080000Z", "DTEND:20270115T160000Z"},
		{"the zone of the session, not of the Go value", "Asia/Kolkata",
			time.Date(2027, 1, 15, 9, 0, 0, 0, sydney), time.Date(2027, 1, 15, 10, 0, 0, 0, sydney),
			"DTSTART;TZID=Asia/Kolkata:20270115T033000", "DTEND;TZID=Asia/Kolkata:20270115T043000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := encode(t, &ical.Calendar{Events: []ical.Event{session("s1@example.com", tt.start, tt.end, tt.zone)}})
			if got := propLine(t, b, "DTSTART"); got != tt.wantStart {
				t.Errorf("DTSTART line %q, want %q", got, tt.wantStart)
			}
			if got := propLine(t, b, "DTEND"); got != tt.wantEnd {
				t.Errorf("DTEND line %q, want %q", got, tt.wantEnd)
			}

			g := parseGocal(t, b)
			if len(g.Events) != 1 {
				t.Fatalf("gocal read %d events", len(g.Events))
			}
			if ev := g.Events[0]; !ev.Start.Equal(tt.start) || !ev.End.Equal(tt.end) {
				t.Errorf("gocal: %v – %v, want %v – %v", ev.Start, ev.End, tt.start, tt.end)
			}

			c := parseICS(t, b)
			ev := c.Events()[0]
			start, err1 := ev.GetStartAt()
			end, err2 := ev.GetEndAt()
			if err1 != nil || err2 != nil || !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("golang-ical: %v – %v (%v, %v), want %v – %v", start, end, err1, err2, tt.start, tt.end)
			}

			// A reader that goes by the VTIMEZONE in the file, as RFC 5545 section 3.6.5 says.
			rules := zoneRules(t, c)
			for _, p := range []struct {
				name string
				want time.Time
			}{{"DTSTART", tt.start}, {"DTEND", tt.end}} {
				pr := prop(ev, p.name)
				tzid, ok := pr.ICalParameters["TZID"]
				if !ok {
					continue
				}
				zr, ok := rules[tzid[0]]
				if !ok {
					t.Fatalf("%s names TZID %s but there is no VTIMEZONE for it", p.name, tzid[0])
				}
				if got, ok := zr.resolve(t, pr.Value); !ok || !got.Equal(p.want) {
					t.Errorf("%s %s by the VTIMEZONE is %v (found %v), want %v", p.name, pr.Value, got, ok, p.want)
				}
			}
		})
	}
}

// TestVTimezoneFollowsZoneDatabase checks the STANDARD and DAYLIGHT components written for an
// event: the real clock changes from the year before it to the year after it, each written as
// its onset in the local time before it.
func TestVTimezoneFollowsZoneDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		zone string
		day  time.Time // the session runs from 09:00 to 10:00 local time on this day
		want []string  // kind, DTSTART, TZOFFSETFROM, TZOFFSETTO, TZNAME
	}{
		{"Europe/Berlin", time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), []string{
			"STANDARD 20251026T030000 +0200 +0100 CET",
			"DAYLIGHT 20260329T020000 +0100 +0200 CEST",
			"STANDARD 20261025T030000 +0200 +0100 CET",
			"DAYLIGHT 20270328T020000 +0100 +0200 CEST",
			"STANDARD 20271031T030000 +0200 +0100 CET",
			"DAYLIGHT 20280326T020000 +0100 +0200 CEST",
			"STANDARD 20281029T030000 +0200 +0100 CET",
		}},
		{"Australia/Sydney", time.Date(2027, 4, 4, 0, 0, 0, 0, time.UTC), []string{
			"DAYLIGHT 20251005T020000 +1000 +1100 AEDT",
			"STANDARD 20260405T030000 +1100 +1000 AEST",
			"DAYLIGHT 20261004T020000 +1000 +1100 AEDT",
			"STANDARD 20270404T030000 +1100 +1000 AEST",
			"DAYLIGHT 20271003T020000 +1000 +1100 AEDT",
			"STANDARD 20280402T030000 +1100 +1000 AEST",
			"DAYLIGHT 20281001T020000 +1000 +1100 AEDT",
		}},
		// No daylight saving since 1945: one STANDARD, from the last change.
		{"Asia/Kolkata", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), []string{
			"STANDARD 19451015T000000 +0630 +0530 IST",
		}},
		// Brazil gave up daylight saving in 2019.
		{"America/Sao_Paulo", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), []string{
			"STANDARD 20190217T000000 -0200 -0300 -03",
		}},
		{"UTC", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), []string{
			"STANDARD 19700101T000000 +0000 +0000 UTC",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			t.Parallel()
			loc := mustLoad(t, tt.zone)
			start := time.Date(tt.day.Year(), tt.day.Month(), tt.day.Day(), 9, 0, 0, 0, loc)
			b := encode(t, &ical.Calendar{Events: []ical.Event{session("s1@example.com", start, start.Add(time.Hour), tt.zone)}})
			c := parseICS(t, b)
			zones := c.Timezones()
			if len(zones) != 1 {
				t.Fatalf("%d VTIMEZONEs, want 1", len(zones))
			}
			if id := prop(zones[0], "TZID"); id == nil || id.Value != tt.zone {
				t.Fatalf("TZID %v, want %s", id, tt.zone)
			}
			var got []string
			for _, o := range zones[0].SubComponents() {
				got = append(got, strings.Join([]string{kind(o), value(o, "DTSTART"), value(o, "TZOFFSETFROM"), value(o, "TZOFFSETTO"), value(o, "TZNAME")}, " "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("observances (-want +got):\n%s", diff)
			}
			// Each onset is a change in Go's zone database.
			for _, r := range zoneRules(t, c)[tt.zone] {
				_, before := r.onset.Add(-time.Second).In(loc).Zone()
				_, after := r.onset.In(loc).Zone()
				if after != r.to || (before != r.from && r.from != r.to) {
					t.Errorf("onset %v: Go has %d → %d, the file %d → %d", r.onset, before, after, r.from, r.to)
				}
			}
		})
	}
}

// TestVTimezoneOnlyForZonesInUse checks that a feed carries one VTIMEZONE per zone its times
// refer to, none for events in UTC, and none for a zone whose times all had to be written in UTC.
func TestVTimezoneOnlyForZonesInUse(t *testing.T) {
	t.Parallel()
	berlin := mustLoad(t, "Europe/Berlin")
	sydney := mustLoad(t, "Australia/Sydney")
	kolkata := mustLoad(t, "Asia/Kolkata")
	first := time.Date(2027, 10, 31, 0, 15, 0, 0, time.UTC) // 02:15 CEST, which happens twice
	b := encode(t, &ical.Calendar{Events: []ical.Event{
		session("a@example.com", time.Date(2027, 1, 15, 9, 0, 0, 0, berlin), time.Date(2027, 1, 15, 10, 0, 0, 0, berlin), "Europe/Berlin"),
		session("b@example.com", time.Date(2027, 2, 1, 9, 0, 0, 0, sydney), time.Date(2027, 2, 1, 10, 0, 0, 0, sydney), "Australia/Sydney"),
		session("c@example.com", time.Date(2028, 5, 1, 9, 0, 0, 0, berlin), time.Date(2028, 5, 1, 10, 0, 0, 0, berlin), "Europe/Berlin"),
		session("d@example.com", time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC), ""),
		// London's 01:15 to 01:45 happen twice that night, so this event is written in UTC and
		// London's zone is not needed.
		session("e@example.com", time.Date(2027, 3, 1, 9, 0, 0, 0, kolkata), time.Date(2027, 3, 1, 10, 0, 0, 0, kolkata), "Asia/Kolkata"),
		session("f@example.com", first.Add(time.Hour), first.Add(90*time.Minute), "Europe/London"),
	}})
	c := parseICS(t, b)
	var ids []string
	for _, z := range c.Timezones() {
		ids = append(ids, prop(z, "TZID").Value)
	}
	if want := []string{"Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"}; !slices.Equal(ids, want) {
		t.Errorf("VTIMEZONEs %v, want %v", ids, want)
	}
	// Berlin's span runs from 2027 to 2028, so the year after the last event is covered too.
	rules := zoneRules(t, c)["Europe/Berlin"]
	if last := rules[len(rules)-1].onset; last.Year() != 2029 {
		t.Errorf("Berlin's last observance begins %v, want in 2029", last)
	}
	g := parseGocal(t, b)
	if len(g.Events) != 6 {
		t.Fatalf("gocal read %d events", len(g.Events))
	}
	if ev := g.Events[5]; !ev.Start.Equal(first.Add(time.Hour)) || !ev.End.Equal(first.Add(90*time.Minute)) {
		t.Errorf("London event at %v – %v", ev.Start, ev.End)
	}
}

// TestUpdatesAndCancellations follows one session through its life as the attendee's calendar
// sees it: the invitation, a move, the cancellation of the registration and of the session.
func TestUpdatesAndCancellations(t *testing.T) {
	t.Parallel()
	berlin := mustLoad(t, "Europe/Berlin")
	start := time.Date(2027, 1, 15, 9, 0, 0, 0, berlin)
	base := session("session-42@learnloop.example", start, start.Add(8*time.Hour), "Europe/Berlin")
	base.Attendees = []ical.Attendee{{Name: "Jörg Schmidt", Email: "joerg@example.com", PartStat: ical.PartStatAccepted, Role: ical.RoleRequired}}
	moved := base
	moved.Sequence, moved.Start, moved.End = 1, start.Add(24*time.Hour), start.Add(32*time.Hour)
	unregistered := moved
	unregistered.Sequence, unregistered.Status = 2, ""
	cancelled := moved
	cancelled.Sequence, cancelled.Status = 2, ical.StatusCancelled
	tests := []struct {
		name       string
		method     string
		event      ical.Event
		wantMethod string // as gocal reads it
		wantStatus string // "" for no STATUS property
	}{
		{"invitation", ical.MethodRequest, base, "REQUEST", "CONFIRMED"},
		{"moved", ical.MethodRequest, moved, "REQUEST", "CONFIRMED"},
		{"registration cancelled", ical.MethodCancel, unregistered, "CANCEL", ""},
		{"session cancelled", ical.MethodCancel, cancelled, "CANCEL", "CANCELLED"},
		{"session cancelled in the feed", "", cancelled, "", "CANCELLED"},
	}
	lastSeq := -1
	for _, tt := range tests {
		// Not parallel: each step must carry a higher sequence than the one before.
		t.Run(tt.name, func(t *testing.T) {
			b := encode(t, &ical.Calendar{Method: tt.method, Events: []ical.Event{tt.event}})
			g := parseGocal(t, b)
			if len(g.Events) != 1 {
				t.Fatalf("gocal read %d events", len(g.Events))
			}
			ev := g.Events[0]
			if g.Method != tt.wantMethod || ev.Uid != base.UID || ev.Status != tt.wantStatus || ev.Sequence != tt.event.Sequence {
				t.Errorf("METHOD %q UID %q STATUS %q SEQUENCE %d, want %q %q %q %d",
					g.Method, ev.Uid, ev.Status, ev.Sequence, tt.wantMethod, base.UID, tt.wantStatus, tt.event.Sequence)
			}
			if ev.Sequence < lastSeq || (tt.wantStatus == "CANCELLED" && ev.Sequence <= 1) {
				t.Errorf("sequence %d does not follow %d", ev.Sequence, lastSeq)
			}
			lastSeq = ev.Sequence
			if !ev.Start.Equal(tt.event.Start) {
				t.Errorf("start %v, want %v", ev.Start, tt.event.Start)
			}
			if ev.Organizer == nil || ev.Organizer.Value != "mailto:training@example.com" {
				t.Errorf("organizer %+v", ev.Organizer)
			}
			c := parseICS(t, b)
			if m, ok := calProp(c, "METHOD"); m != tt.method || ok != (tt.method != "") {
				t.Errorf("golang-ical METHOD %q (%v), want %q", m, ok, tt.method)
			}
			if tt.method != "" {
				atts := c.Events()[0].Attendees()
				if len(atts) != 1 || atts[0].Email() != "joerg@example.com" || atts[0].ParticipationStatus() != ics.ParticipationStatusAccepted {
					t.Errorf("attendees %+v", atts)
				}
			}
		})
	}
}

// TestTextRoundTrips checks that titles, descriptions and places come back exactly, long or not
// in ASCII, and that nothing in them becomes a property or component of its own.
func TestTextRoundTrips(t *testing.T) {
	t.Parallel()
	german := "Sicherheitsunterweisung für Gabelstaplerfahrer — Halle 3, Tor Nord"
	tests := []struct {
		name, in, want string
	}{
		{"German with a comma", german, german},
		{"long", strings.Repeat(german+"; ", 9), strings.Repeat(german+"; ", 9)},
		{"four-octet characters across folds", strings.Repeat("🦺x", 60), strings.Repeat("🦺x", 60)},
		{"escapes across folds", strings.Repeat(`\,;`, 80), strings.Repeat(`\,;`, 80)},
		{"lines", "Bring:\n- boots\n- gloves", "Bring:\n- boots\n- gloves"},
		{"a component in the title", "Forklift\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:x",
			"Forklift\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:x"},
		{"a bare carriage return", "Forklift\rATTACH:http://evil.example", "Forklift\nATTACH:http://evil.example"},
		{"characters with a meaning", `a;b,c\d:e"f\n`, `a;b,c\d:e"f\n`},
		{"control characters are dropped", "a\x00b\x1bc\x7fd\te\f", "abcd\te"},
		{"broken UTF-8", "Gr\xfc\xdfe", "Gr\uFFFDe"},
		{"leading space", " indented", " indented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := session("s1@example.com", stamp.Add(time.Hour), stamp.Add(2*time.Hour), "")
			e.Summary, e.Description, e.Location = tt.in, tt.in, tt.in
			b := encode(t, &ical.Calendar{Name: tt.in, Events: []ical.Event{e}})

			c := parseICS(t, b)
			if n := len(c.Components); n != 1 {
				t.Fatalf("%d components, want 1", n)
			}
			ev := c.Events()[0]
			want := []string{"UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "ORGANIZER"}
			if got := propNames(ev); !slices.Equal(got, want) {
				t.Errorf("properties %v, want %v", got, want)
			}
			for _, name := range []string{"SUMMARY", "DESCRIPTION", "LOCATION"} {
				if got := prop(ev, name).Value; got != tt.want {
					t.Errorf("golang-ical %s %q, want %q", name, got, tt.want)
				}
			}
			if got, _ := calProp(c, "X-WR-CALNAME"); got != tt.want {
				t.Errorf("X-WR-CALNAME %q, want %q", got, tt.want)
			}
			if uid := prop(ev, "UID").Value; uid != "s1@example.com" {
				t.Errorf("UID %q", uid)
			}

			// gocal leaves \n escaped and drops a leading space; otherwise it must agree.
			g := parseGocal(t, b)
			if len(g.Events) != 1 {
				t.Fatalf("gocal read %d events", len(g.Events))
			}
			wantGocal := strings.TrimPrefix(strings.ReplaceAll(tt.want, "\n", `\n`), " ")
			if ev := g.Events[0]; ev.Summary != wantGocal || ev.Description != wantGocal || ev.Location != wantGocal {
				t.Errorf("gocal %q / %q / %q, want %q", ev.Summary, ev.Description, ev.Location, wantGocal)
			}
		})
	}
}

// TestPeopleRoundTrip checks organizer and attendee names and addresses: names with the
// characters that end a parameter are quoted, and nothing in a name becomes a property.
func TestPeopleRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, email string
		wantCN      string // as golang-ical reads it; "" for no CN
		wantParam   string // in the unfolded line
		wantValue   string
	}{
		{"Anna Schmidt", "anna@example.com", "Anna Schmidt", ";CN=Anna Schmidt;", "mailto:anna@example.com"},
		{"Müller, Anna", "anna@example.com", "Müller, Anna", `;CN="Müller, Anna";`, "mailto:anna@example.com"},
		{"Dr. Lee: QA; Safety", "lee@example.com", "Dr. Lee: QA; Safety", `;CN="Dr. Lee: QA; Safety";`, "mailto:lee@example.com"},
		{`Robert "Bob" Lee`, "bob@example.com", "Robert 'Bob' Lee", ";CN=Robert 'Bob' Lee;", "mailto:bob@example.com"},
		{"Eve\r\nATTENDEE:mailto:evil@example.com", "eve@example.com", "Eve ATTENDEE:mailto:evil@example.com",
			`;CN="Eve ATTENDEE:mailto:evil@example.com";`, "mailto:eve@example.com"},
		{`CORP\jdoe`, "jdoe@example.com", "CORP/jdoe", ";CN=CORP/jdoe;", "mailto:jdoe@example.com"},
		{"", "nobody@example.com", "", "ATTENDEE;ROLE", "mailto:nobody@example.com"},
		{"Jörg", "jörg@example.de", "Jörg", ";CN=Jörg;", "mailto:j%C3%B6rg@example.de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := session("s1@example.com", stamp.Add(time.Hour), stamp.Add(2*time.Hour), "")
			e.Organizer = &ical.Person{Name: tt.name, Email: tt.email}
			e.Attendees = []ical.Attendee{{Name: tt.name, Email: tt.email, PartStat: ical.PartStatNeedsAction, Role: ical.RoleOptional}}
			b := encode(t, &ical.Calendar{Method: ical.MethodRequest, Events: []ical.Event{e}})
			if line := propLine(t, b, "ATTENDEE"); !strings.Contains(line, tt.wantParam) || !strings.HasSuffix(line, ":"+tt.wantValue) {
				t.Errorf("ATTENDEE line %q, want %q and value %q", line, tt.wantParam, tt.wantValue)
			}
			ev := parseICS(t, b).Events()[0]
			atts := ev.Attendees()
			if len(atts) != 1 {
				t.Fatalf("%d attendees", len(atts))
			}
			a := atts[0]
			cn := a.ICalParameters["CN"]
			if (tt.wantCN == "" && cn != nil) || (tt.wantCN != "" && !slices.Equal(cn, []string{tt.wantCN})) {
				t.Errorf("attendee CN %q, want %q", cn, tt.wantCN)
			}
			if a.Value != tt.wantValue || a.ParticipationStatus() != ics.ParticipationStatusNeedsAction || a.ICalParameters["ROLE"][0] != "OPT-PARTICIPANT" {
				t.Errorf("attendee %q %v", a.Value, a.ICalParameters)
			}
			org := prop(ev, "ORGANIZER")
			if org.Value != tt.wantValue || (tt.wantCN != "" && org.ICalParameters["CN"][0] != tt.wantCN) {
				t.Errorf("organizer %q %v", org.Value, org.ICalParameters)
			}
		})
	}
}

// TestFeed checks what a subscribed calendar sees: its name, how often to look again, every
// session including the cancelled one, and no iTIP method.
func TestFeed(t *testing.T) {
	t.Parallel()
	berlin := mustLoad(t, "Europe/Berlin")
	sydney := mustLoad(t, "Australia/Sydney")
	a := session("a@example.com", time.Date(2027, 1, 15, 9, 0, 0, 0, berlin), time.Date(2027, 1, 15, 17, 0, 0, 0, berlin), "Europe/Berlin")
	b := session("b@example.com", time.Date(2027, 2, 1, 9, 0, 0, 0, sydney), time.Date(2027, 2, 1, 12, 0, 0, 0, sydney), "Australia/Sydney")
	b.Status, b.Sequence = ical.StatusCancelled, 3
	b.URL = "https://learnloop.example/sessions/b?from=feed&x=1;2"
	b.Created, b.LastModified = stamp.Add(-48*time.Hour), stamp.Add(-time.Hour)
	c := session("c@example.com", time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC), "")
	c.Status = ical.StatusTentative
	name := "Jörg's training, Schulungen"
	out := encode(t, &ical.Calendar{Name: name, Refresh: 90 * time.Minute, Events: []ical.Event{a, b, c}})

	cal := parseICS(t, out)
	for _, p := range []struct{ name, want string }{
		{"VERSION", "2.0"}, {"PRODID", ical.DefaultProdID}, {"NAME", name}, {"X-WR-CALNAME", name},
		{"REFRESH-INTERVAL", "PT1H30M"}, {"X-PUBLISHED-TTL", "PT1H30M"},
	} {
		if got, _ := calProp(cal, p.name); got != p.want {
			t.Errorf("%s %q, want %q", p.name, got, p.want)
		}
	}
	if m, ok := calProp(cal, "METHOD"); ok {
		t.Errorf("a feed has METHOD %q", m)
	}
	if n := len(cal.Timezones()); n != 2 {
		t.Errorf("%d VTIMEZONEs, want 2", n)
	}
	bev := cal.Events()[1]
	if u := prop(bev, "URL"); u == nil || u.Value != b.URL {
		t.Errorf("URL %v, want %s", u, b.URL)
	}
	for _, p := range []struct{ name, want string }{{"CREATED", "20261129T080000Z"}, {"LAST-MODIFIED", "20261201T070000Z"}} {
		if got := prop(bev, p.name); got == nil || got.Value != p.want {
			t.Errorf("%s %v, want %s", p.name, got, p.want)
		}
	}

	g := parseGocal(t, out)
	var got []string
	for _, ev := range g.Events {
		got = append(got, fmt.Sprintf("%s %s %d %s", ev.Uid, ev.Status, ev.Sequence, ev.Start.UTC().Format(time.RFC3339)))
	}
	want := []string{
		"a@example.com CONFIRMED 0 2027-01-15T08:00:00Z",
		"b@example.com CANCELLED 3 2027-01-31T22:00:00Z",
		"c@example.com TENTATIVE 0 2027-03-01T09:00:00Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestEmptyFeed checks that a person without sessions still gets a calendar apps accept: RFC
// 5545 asks for at least one component, so it holds the UTC zone.
func TestEmptyFeed(t *testing.T) {
	t.Parallel()
	b := encode(t, &ical.Calendar{Name: "My training"})
	c := parseICS(t, b)
	if len(c.Events()) != 0 || len(c.Timezones()) != 1 {
		t.Errorf("%d events and %d zones, want 0 and 1", len(c.Events()), len(c.Timezones()))
	}
	if g := parseGocal(t, b); len(g.Events) != 0 {
		t.Errorf("gocal read %d events", len(g.Events))
	}
}

// TestEncodeRejects checks that bad data is refused with an error that says what is wrong, as
// EINVALID when it comes from what people entered and EINTERNAL when the caller broke a rule.
func TestEncodeRejects(t *testing.T) {
	t.Parallel()
	ok := func() ical.Event {
		e := session("s1@example.com", stamp.Add(time.Hour), stamp.Add(2*time.Hour), "Europe/Berlin")
		e.Attendees = []ical.Attendee{{Email: "anna@example.com"}}
		return e
	}
	with := func(method string, f func(e *ical.Event)) *ical.Calendar {
		e := ok()
		f(&e)
		return &ical.Calendar{Method: method, Events: []ical.Event{e}}
	}
	tests := []struct {
		name     string
		cal      *ical.Calendar
		wantCode string
		wantMsg  string
	}{
		{"unknown zone", with("", func(e *ical.Event) { e.TimeZone = "Mars/Olympus_Mons" }), core.EINVALID, `"Mars/Olympus_Mons" is not a time zone name`},
		{"the server's zone", with("", func(e *ical.Event) { e.TimeZone = "Local" }), core.EINVALID, "not a time zone name"},
		{"a path for a zone", with("", func(e *ical.Event) { e.TimeZone = "../../etc/passwd" }), core.EINVALID, "not a time zone name"},
		{"a zone name that would need quoting", with("", func(e *ical.Event) { e.TimeZone = "Europe/Berlin;X=1" }), core.EINVALID, "not a time zone name"},
		{"a zone with a line break", with("", func(e *ical.Event) { e.TimeZone = "Europe/Berlin\r\nX:y" }), core.EINVALID, "not a time zone name"},
		{"end before start", with("", func(e *ical.Event) { e.End = e.Start.Add(-time.Minute) }), core.EINVALID, "must end after it starts"},
		{"no duration", with("", func(e *ical.Event) { e.End = e.Start }), core.EINVALID, "must end after it starts"},
		{"year 10000", with("", func(e *ical.Event) { e.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), core.EINVALID, "year 10000"},
		{"organizer address with a line", with("", func(e *ical.Event) { e.Organizer.Email = "a@example.com\r\nATTACH:x" }), core.EINVALID, "is not an email address"},
		{"attendee with a display name", with(ical.MethodRequest, func(e *ical.Event) { e.Attendees[0].Email = "Anna <anna@example.com>" }), core.EINVALID, "is not an email address"},
		{"attendee without an address", with(ical.MethodRequest, func(e *ical.Event) { e.Attendees[0].Email = "" }), core.EINVALID, "is not an email address"},
		{"URL with a line", with("", func(e *ical.Event) { e.URL = "https://example.com/\r\nATTACH:x" }), core.EINVALID, "is not an http or https address"},
		{"script URL", with("", func(e *ical.Event) { e.URL = "javascript:alert(1)" }), core.EINVALID, "is not an http or https address"},
		{"relative URL", with("", func(e *ical.Event) { e.URL = "/sessions/1" }), core.EINVALID, "is not an http or https address"},
		{"no UID", with("", func(e *ical.Event) { e.UID = "" }), core.EINTERNAL, "no UID"},
		{"no stamp", with("", func(e *ical.Event) { e.Stamp = time.Time{} }), core.EINTERNAL, "no DTSTAMP"},
		{"no start", with("", func(e *ical.Event) { e.Start = time.Time{} }), core.EINTERNAL, "no start or end"},
		{"negative sequence", with("", func(e *ical.Event) { e.Sequence = -1 }), core.EINTERNAL, "negative sequence"},
		{"unknown status", with("", func(e *ical.Event) { e.Status = "DONE" }), core.EINTERNAL, `unknown status "DONE"`},
		{"unknown PARTSTAT", with("", func(e *ical.Event) { e.Attendees[0].PartStat = "MAYBE" }), core.EINTERNAL, "unknown participation status"},
		{"unknown role", with("", func(e *ical.Event) { e.Attendees[0].Role = "BOSS" }), core.EINTERNAL, "unknown role"},
		{"unknown method", with("REPLY", func(e *ical.Event) {}), core.EINTERNAL, `unknown method "REPLY"`},
		{"REQUEST without organizer", with(ical.MethodRequest, func(e *ical.Event) { e.Organizer = nil }), core.EINTERNAL, "needs an organizer"},
		{"REQUEST without attendee", with(ical.MethodRequest, func(e *ical.Event) { e.Attendees = nil }), core.EINTERNAL, "needs an attendee"},
		{"REQUEST of a cancelled event", with(ical.MethodRequest, func(e *ical.Event) { e.Status = ical.StatusCancelled }), core.EINTERNAL, "sent as a CANCEL"},
		{"CANCEL confirmed", with(ical.MethodCancel, func(e *ical.Event) { e.Status = ical.StatusConfirmed }), core.EINTERNAL, "a CANCEL has status CANCELLED or none"},
		{"CANCEL for nobody", with(ical.MethodCancel, func(e *ical.Event) { e.Attendees = nil }), core.EINTERNAL, "names the attendees"},
		{"PUBLISH with attendees", with(ical.MethodPublish, func(e *ical.Event) {}), core.EINTERNAL, "a PUBLISH has no attendees"},
		{"REQUEST of two events", &ical.Calendar{Method: ical.MethodRequest, Events: []ical.Event{ok(), ok()}}, core.EINTERNAL, "holds one event, not 2"},
		{"two events with one UID", &ical.Calendar{Events: []ical.Event{ok(), ok()}}, core.EINTERNAL, `two events with UID "s1@example.com"`},
		{"refresh below a second", &ical.Calendar{Refresh: time.Millisecond}, core.EINTERNAL, "refresh interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := tt.cal.Encode()
			if err == nil {
				t.Fatalf("no error; wrote\n%s", b)
			}
			if got := core.ErrorCode(err); got != tt.wantCode || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q (%s), want %s containing %q", err, got, tt.wantCode, tt.wantMsg)
			}
			if b != nil {
				t.Error("data returned with an error")
			}
		})
	}
}

func TestMediaType(t *testing.T) {
	t.Parallel()
	for method, want := range map[string]string{
		"":                 "text/calendar; charset=utf-8",
		ical.MethodCancel:  "text/calendar; charset=utf-8; method=CANCEL",
		ical.MethodRequest: "text/calendar; charset=utf-8; method=REQUEST",
	} {
		if got := (&ical.Calendar{Method: method}).MediaType(); got != want {
			t.Errorf("MediaType for %q = %q, want %q", method, got, want)
		}
	}
}

// zoneRule is one STANDARD or DAYLIGHT component as a reader applies it.
type zoneRule struct {
	onset    time.Time // the instant it begins: its DTSTART in the offset before it
	from, to int
}

type zoneRuleSet []zoneRule

// zoneRules reads every VTIMEZONE of c, in the order of their onsets.
func zoneRules(t testing.TB, c *ics.Calendar) map[string]zoneRuleSet {
	t.Helper()
	out := map[string]zoneRuleSet{}
	for _, z := range c.Timezones() {
		id := prop(z, "TZID").Value
		if _, dup := out[id]; dup {
			t.Fatalf("two VTIMEZONEs for %s", id)
		}
		var rules zoneRuleSet
		for _, o := range z.SubComponents() {
			from, to := parseOffset(t, value(o, "TZOFFSETFROM")), parseOffset(t, value(o, "TZOFFSETTO"))
			wall, err := time.Parse("20060102T150405", value(o, "DTSTART"))
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			rules = append(rules, zoneRule{onset: wall.Add(-time.Duration(from) * time.Second), from: from, to: to})
		}
		if len(rules) == 0 {
			t.Fatalf("VTIMEZONE %s without STANDARD or DAYLIGHT", id)
		}
		sort.Slice(rules, func(i, j int) bool { return rules[i].onset.Before(rules[j].onset) })
		out[id] = rules
	}
	return out
}

// resolve returns the instant of a local time: the first one, as RFC 5545 says, whose offset's
// observance is in effect at it.
func (rs zoneRuleSet) resolve(t testing.TB, local string) (time.Time, bool) {
	t.Helper()
	wall, err := time.Parse("20060102T150405", local)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		at := wall.Add(-time.Duration(r.to) * time.Second)
		if !at.Before(r.onset) && (i+1 == len(rs) || at.Before(rs[i+1].onset)) {
			return at, true
		}
	}
	return time.Time{}, false
}

func parseOffset(t testing.TB, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') || s == "-0000" {
		t.Fatalf("bad UTC offset %q", s)
	}
	n := func(i int) int {
		v, err := strconv.Atoi(s[i : i+2])
		if err != nil {
			t.Fatalf("bad UTC offset %q", s)
		}
		return v
	}
	sec := n(1)*3600 + n(3)*60
	if len(s) == 7 {
		sec += n(5)
	}
	if s[0] == '-' {
		sec = -sec
	}
	return sec
}

func value(c ics.Component, name string) string {
	if p := prop(c, name); p != nil {
		return p.Value
	}
	return ""
}

func kind(c ics.Component) string {
	switch c.(type) {
	case *ics.Standard:
		return "STANDARD"
	case *ics.Daylight:
		return "DAYLIGHT"
	}
	return fmt.Sprintf("%T", c)
}
