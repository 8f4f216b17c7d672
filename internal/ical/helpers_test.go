package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests run the same on machines without a zoneinfo database
	"unicode/utf8"

	"github.com/apognu/gocal"
	ics "github.com/arran4/golang-ical"

	"github.com/learnloop/learnloop/internal/ical"
)

// encode encodes c, failing the test on an error, and checks the framing every reader relies on.
func encode(t testing.TB, c *ical.Calendar) []byte {
	t.Helper()
	b, err := c.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	checkFraming(t, b)
	return b
}

// checkFraming checks that every line ends with CRLF, holds at most 75 octets of valid UTF-8
// and no other control character but tab, and that the object is one VCALENDAR.
func checkFraming(t testing.TB, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("END:VCALENDAR\r\n")) || !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR\r\n")) {
		t.Fatalf("not one VCALENDAR:\n%s", b)
	}
	lines := bytes.SplitAfter(b, []byte("\r\n"))
	lines = lines[:len(lines)-1] // the empty rest after the last CRLF
	for i, l := range lines {
		content := l[:len(l)-2]
		if !bytes.HasSuffix(l, []byte("\r\n")) || bytes.ContainsAny(content, "\r\n") {
			t.Fatalf("line %d does not end with CRLF alone: %q", i+1, l)
		}
		if len(content) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(content), content)
		}
		if !utf8.Valid(content) {
			t.Errorf("line %d is not UTF-8 or splits a character: %q", i+1, content)
		}
		for _, c := range content {
			if (c < 0x20 && c != '\t') || c == 0x7f {
				t.Errorf("line %d holds control character %#x: %q", i+1, c, content)
			}
		}
		if len(content) == 0 {
			t.Errorf("line %d is empty", i+1)
		}
	}
	if got := bytes.Count(b, []byte("\r\nBEGIN:VCALENDAR")); got != 0 {
		t.Errorf("%d nested VCALENDARs", got)
	}
}

// unfold returns the content lines of b, unfolded as RFC 5545 section 3.1 says.
func unfold(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// propLine returns the one unfolded content line of the named property in the VEVENT, or "".
func propLine(t testing.TB, b []byte, name string) string {
	t.Helper()
	var found []string
	in := false
	for _, l := range unfold(b) {
		switch {
		case l == "BEGIN:VEVENT":
			in = true
		case l == "END:VEVENT":
			in = false
		case in && (strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";")):
			found = append(found, l)
		}
	}
	if len(found) > 1 {
		t.Fatalf("%d %s lines: %q", len(found), name, found)
	}
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

// parseGocal reads b with gocal, which places times by their TZID as most calendar apps do.
func parseGocal(t testing.TB, b []byte) *gocal.Gocal {
	t.Helper()
	p := gocal.NewParser(bytes.NewReader(b))
	p.SkipBounds = true
	if err := p.Parse(); err != nil {
		t.Fatalf("gocal: %v\n%s", err, b)
	}
	return p
}

// parseICS reads b with golang-ical, which is strict about where properties may appear.
func parseICS(t testing.TB, b []byte) *ics.Calendar {
	t.Helper()
	c, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("golang-ical: %v\n%s", err, b)
	}
	return c
}

// calProp returns the value of a calendar property as golang-ical read it, and whether it is there.
func calProp(c *ics.Calendar, name string) (string, bool) {
	for _, p := range c.CalendarProperties {
		if p.IANAToken == name {
			return p.Value, true
		}
	}
	return "", false
}

// prop returns the first property of a component as golang-ical read it, or nil.
func prop(c ics.Component, name string) *ics.IANAProperty {
	props := c.UnknownPropertiesIANAProperties()
	for i := range props {
		if props[i].IANAToken == name {
			return &props[i]
		}
	}
	return nil
}

// propNames lists a component's properties in order.
func propNames(c ics.Component) []string {
	var names []string
	for _, p := range c.UnknownPropertiesIANAProperties() {
		names = append(names, p.IANAToken)
	}
	return names
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var stamp = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// session returns a confirmed session for the tests to vary.
func session(uid string, start, end time.Time, zone string) ical.Event {
	return ical.Event{
		UID: uid, Stamp: stamp, Start: start, End: end, TimeZone: zone,
		Summary: "Forklift safety", Location: "Hall 3", Status: ical.StatusConfirmed,
		Organizer: &ical.Person{Name: "Training team", Email: "training@example.com"},
	}
}
