package ical_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/ical"
)

// FuzzEncode checks that whatever people type into a title, description, place, name or
// calendar name comes back as the same text and never as a property or component of its own.
func FuzzEncode(f *testing.F) {
	f.Add("Sicherheitsunterweisung für Gabelstaplerfahrer — Halle 3, Tor Nord", "Bring boots.\nAnd gloves.", "Halle 3, Tor Nord", "Müller, Anna", "Schulungen")
	f.Add("x\r\nEND:VEVENT\r\nBEGIN:VEVENT", "a\rATTACH:http://evil", "\\;,:\"", "Eve\r\nATTENDEE:mailto:evil@example.com", "\r\nMETHOD:CANCEL")
	f.Add(strings.Repeat("€", 100), strings.Repeat(`\n`, 80), strings.Repeat("🦺 ", 40), strings.Repeat(`"`, 90), strings.Repeat(";", 100))
	f.Add("\xff\xfe", "\x00\x01\x7f", " ", `Robert "Bob" \ Lee`, "")
	f.Add("", "", "", "", "\t")
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	start := time.Date(2027, 3, 28, 1, 30, 0, 0, berlin)

	build := func(summary, description, location, name, calName string) *ical.Calendar {
		e := session("s1@example.com", start, start.Add(2*time.Hour), "Europe/Berlin")
		e.Summary, e.Description, e.Location = summary, description, location
		e.Organizer.Name = name
		e.Attendees = []ical.Attendee{{Name: name, Email: "anna@example.com", PartStat: ical.PartStatAccepted, Role: ical.RoleRequired}}
		return &ical.Calendar{Method: ical.MethodRequest, Name: calName, Events: []ical.Event{e}}
	}
	// Same as the input wherever it is not empty, so that both write the same properties.
	plain := func(s string) string {
		if s == "" {
			return ""
		}
		return "x"
	}

	f.Fuzz(func(t *testing.T, summary, description, location, name, calName string) {
		b := encode(t, build(summary, description, location, name, calName))
		base := encode(t, build(plain(summary), plain(description), plain(location), plain(name), plain(calName)))
		if got, want := len(unfold(b)), len(unfold(base)); got != want {
			t.Fatalf("%d content lines, want %d:\n%s", got, want, b)
		}

		c := parseICS(t, b)
		if n := len(c.Components); n != 2 || len(c.Events()) != 1 {
			t.Fatalf("%d components, want a VTIMEZONE and a VEVENT", n)
		}
		var calProps []string
		for _, p := range c.CalendarProperties {
			calProps = append(calProps, p.IANAToken)
		}
		wantCal := []string{"VERSION", "PRODID", "METHOD"}
		if calName != "" {
			wantCal = append(wantCal, "NAME", "X-WR-CALNAME")
			if got, _ := calProp(c, "X-WR-CALNAME"); got != wantText(calName) {
				t.Errorf("X-WR-CALNAME %q, want %q", got, wantText(calName))
			}
		}
		if !slices.Equal(calProps, wantCal) {
			t.Errorf("calendar properties %v, want %v", calProps, wantCal)
		}
		if m, _ := calProp(c, "METHOD"); m != "REQUEST" {
			t.Errorf("METHOD %q", m)
		}

		ev := c.Events()[0]
		want := []string{"UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"}
		if description != "" {
			want = append(want, "DESCRIPTION")
		}
		if location != "" {
			want = append(want, "LOCATION")
		}
		want = append(want, "STATUS", "ORGANIZER", "ATTENDEE")
		if got := propNames(ev); !slices.Equal(got, want) {
			t.Fatalf("properties %v, want %v", got, want)
		}
		for _, p := range []struct{ name, in string }{{"SUMMARY", summary}, {"DESCRIPTION", description}, {"LOCATION", location}} {
			if p.in == "" {
				continue
			}
			if got := prop(ev, p.name).Value; got != wantText(p.in) {
				t.Errorf("%s %q, want %q", p.name, got, wantText(p.in))
			}
		}
		if got := prop(ev, "UID").Value; got != "s1@example.com" {
			t.Errorf("UID %q", got)
		}
		if got, err := ev.GetStartAt(); err != nil || !got.Equal(start) {
			t.Errorf("start %v (%v), want %v", got, err, start)
		}

		cn := wantParam(name)
		for _, p := range []struct {
			name   string
			params []string
		}{{"ORGANIZER", nil}, {"ATTENDEE", []string{"PARTSTAT", "ROLE"}}} {
			pr := prop(ev, p.name)
			wantParams := p.params
			if cn != "" {
				wantParams = append(wantParams, "CN")
			}
			if got := slices.Sorted(maps.Keys(pr.ICalParameters)); !slices.Equal(got, slices.Sorted(slices.Values(wantParams))) {
				t.Errorf("%s parameters %v, want %v", p.name, got, wantParams)
			}
			if pr.Value != "mailto:"+map[string]string{"ORGANIZER": "training@example.com", "ATTENDEE": "anna@example.com"}[p.name] {
				t.Errorf("%s value %q", p.name, pr.Value)
			}
			if cn != "" && !slices.Equal(pr.ICalParameters["CN"], []string{cn}) {
				t.Errorf("%s CN %q, want %q", p.name, pr.ICalParameters["CN"], cn)
			}
		}

		// gocal leaves \n escaped and drops a leading space; otherwise it must agree.
		g := parseGocal(t, b)
		if len(g.Events) != 1 {
			t.Fatalf("gocal read %d events", len(g.Events))
		}
		gocalText := func(s string) string {
			return strings.TrimPrefix(strings.ReplaceAll(wantText(s), "\n", `\n`), " ")
		}
		if ge := g.Events[0]; ge.Summary != gocalText(summary) || ge.Description != gocalText(description) || ge.Location != gocalText(location) || ge.Uid != "s1@example.com" {
			t.Errorf("gocal %q / %q / %q / %q", ge.Uid, ge.Summary, ge.Description, ge.Location)
		}
	})
}

// wantText is the text a reader should get back for s: iCalendar carries any character but the
// control characters; line breaks in any convention become "\n", other controls but tab go, and
// broken UTF-8 becomes U+FFFD.
func wantText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// one break, written by the \n that follows
		case c == '\r':
			b.WriteByte('\n')
		case c == '\n' || c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// wantParam is the name a reader should get back from a CN parameter, which cannot hold line
// breaks or double quotes, nor backslashes that every reader takes as written.
func wantParam(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ", `"`, "'", `\`, "/").Replace(wantText(s))
}
