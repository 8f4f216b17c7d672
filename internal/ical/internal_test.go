package ical

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
	"unicode/utf8"
)

func TestLineFolding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantLines int
	}{
		{"75 octets stay on one line", "SUMMARY:" + strings.Repeat("a", 67), 1},
		{"76 octets fold", "SUMMARY:" + strings.Repeat("a", 68), 2},
		{"continuation lines hold 74 octets after the space", "SUMMARY:" + strings.Repeat("a", 67+74), 2},
		{"one more octet makes a third line", "SUMMARY:" + strings.Repeat("a", 67+75), 3},
		{"a two-octet character across the limit", "SUMMARY:" + strings.Repeat("a", 66) + "ü" + "b", 2},
		{"four-octet characters", "SUMMARY:" + strings.Repeat("🦺", 50), 3},
		{"an escape across the limit", "SUMMARY:" + strings.Repeat("a", 66) + `\n` + "b", 2},
		{"escaped backslashes across the limit", "SUMMARY:" + strings.Repeat(`\\`, 60), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var w writer
			w.line(tt.in)
			out := w.buf.String()
			if !strings.HasSuffix(out, "\r\n") {
				t.Fatalf("no CRLF at the end: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
			if len(lines) != tt.wantLines {
				t.Errorf("%d lines, want %d: %q", len(lines), tt.wantLines, lines)
			}
			for i, l := range lines {
				if len(l) > maxLine || !utf8.ValidString(l) {
					t.Errorf("line %d: %d octets, valid UTF-8 %v: %q", i, len(l), utf8.ValidString(l), l)
				}
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("line %d does not start with a space: %q", i, l)
				}
				// Every escape stays whole: a line ends with an even run of backslashes.
				if i < len(lines)-1 && backslashes(l)%2 == 1 {
					t.Errorf("line %d splits an escape: %q", i, l)
				}
			}
			if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != tt.in {
				t.Errorf("unfolds to %q, want %q", got, tt.in)
			}
		})
	}
}

func TestAmbiguous(t *testing.T) {
	t.Parallel()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	sydney, _ := time.LoadLocation("Australia/Sydney")
	at := func(s string, loc *time.Location) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.In(loc)
	}
	tests := []struct {
		at   time.Time
		want bool
	}{
		{at("2027-10-31T00:59:59Z", berlin), true},  // 02:59:59 CEST, again at 02:59:59 CET
		{at("2027-10-31T00:00:00Z", berlin), true},  // 02:00 CEST
		{at("2027-10-30T23:59:59Z", berlin), false}, // 01:59:59 CEST, once
		{at("2027-10-31T01:00:00Z", berlin), true},  // 02:00 CET
		{at("2027-10-31T01:59:59Z", berlin), true},  // 02:59:59 CET
		{at("2027-10-31T02:00:00Z", berlin), false}, // 03:00 CET
		{at("2027-03-28T01:00:00Z", berlin), false}, // 03:00 CEST, right after the gap
		{at("2027-01-15T08:00:00Z", berlin), false},
		{at("2027-04-03T15:30:00Z", sydney), true},  // 02:30 AEDT
		{at("2027-04-03T16:30:00Z", sydney), true},  // 02:30 AEST
		{at("2027-04-03T17:00:00Z", sydney), false}, // 03:00 AEST
		{at("2027-01-15T08:00:00Z", time.UTC), false},
	}
	for _, tt := range tests {
		if got := ambiguous(tt.at); got != tt.want {
			t.Errorf("ambiguous(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

// TestObservancesAreRealChanges checks the periods found past the zones' last explicit
// transitions, where Go reports bounds that are not changes (golang/go#81583): every onset
// changes the zone, and each year of a zone with daylight saving has two.
func TestObservancesAreRealChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		zone    string
		perYear int
	}{
		{"Europe/Berlin", 2}, {"America/New_York", 2}, {"Australia/Sydney", 2}, {"Asia/Kolkata", 0}, {"UTC", 0},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			for y := 2030; y <= 2050; y++ {
				from, to := time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
				obs := observances(loc, from, to)
				if got := len(obs) - 1; got != tt.perYear {
					t.Errorf("%d: %d changes, want %d: %+v", y, got, tt.perYear, obs)
				}
				if obs[0].onset.After(from) {
					t.Errorf("%d: the first observance begins at %v, after %v", y, obs[0].onset, from)
				}
				// The first observance began at a change too, unless the zone never had one.
				real := obs[1:]
				if tt.perYear > 0 {
					real = obs
				}
				for _, o := range real {
					if stateAt(o.onset.Add(-time.Second)) == stateAt(o.onset) || o.from == o.to {
						t.Errorf("%d: %v is not a change", y, o.onset)
					}
				}
			}
		})
	}
}

func TestOffset(t *testing.T) {
	t.Parallel()
	for sec, want := range map[int]string{
		0: "+0000", 3600: "+0100", -18000: "-0500", 19800: "+0530", 20700: "+0545", -12600: "-0330", 3208: "+005328",
	} {
		if got := offset(sec); got != want {
			t.Errorf("offset(%d) = %q, want %q", sec, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 24 * time.Hour: "PT24H", 45 * time.Second: "PT45S", time.Hour + 1500*time.Millisecond: "PT1H1S",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestWriteZoneCoversEachYear checks that a zone used in years far apart gets the periods near
// each of them and none in between, and that windows which meet are written once.
func TestWriteZoneCoversEachYear(t *testing.T) {
	t.Parallel()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		years []int
		want  int // STANDARD and DAYLIGHT components
	}{
		{[]int{2027}, 7},             // the period in effect on 2026-01-01 and 2 × 3 changes
		{[]int{2027, 2028}, 9},       // 2026 to 2029
		{[]int{2027, 2030}, 13},      // windows 2026–2028 and 2029–2031 meet
		{[]int{2027, 2090}, 14},      // two windows of 7
		{[]int{2027, 2027, 2027}, 7}, // repeated years add nothing
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.years), func(t *testing.T) {
			t.Parallel()
			var w writer
			writeZone(&w, "Europe/Berlin", berlin, tt.years)
			out := w.buf.String()
			if got := strings.Count(out, "BEGIN:STANDARD") + strings.Count(out, "BEGIN:DAYLIGHT"); got != tt.want {
				t.Errorf("%d observances, want %d:\n%s", got, tt.want, out)
			}
			// Onsets only ever increase.
			var last string
			for _, l := range strings.Split(out, "\r\n") {
				if v, ok := strings.CutPrefix(l, "DTSTART:"); ok {
					if v <= last {
						t.Errorf("onset %s after %s", v, last)
					}
					last = v
				}
			}
		})
	}
}
