package ical

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
)

// epoch is where an observance that has no known beginning is said to start.
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// zone is one time zone the events use.
type zone struct {
	name  string
	loc   *time.Location
	years map[int]bool // the local years of the events' starts and ends
	used  bool         // some DTSTART or DTEND refers to it by TZID
}

// zoneSet holds the zones of a calendar in the order the events first name them.
type zoneSet struct {
	byName map[string]*zone
	order  []*zone
}

func newZoneSet() *zoneSet { return &zoneSet{byName: map[string]*zone{}} }

// add checks the event's times, loads its zone and notes the years it needs.
func (s *zoneSet) add(e *Event) error {
	if err := e.checkTimes(); err != nil {
		return err
	}
	if e.TimeZone == "" {
		return nil
	}
	z := s.byName[e.TimeZone]
	if z == nil {
		// "Local" is the server's own zone, which says nothing about the session.
		// A TZID parameter cannot be quoted, so the name must not need it; zone names never do.
		loc, err := time.LoadLocation(e.TimeZone)
		if err != nil || e.TimeZone == "Local" || strings.ContainsFunc(e.TimeZone, notZoneChar) {
			return core.Invalid("time_zone", "%q is not a time zone name such as Europe/Berlin", e.TimeZone)
		}
		z = &zone{name: e.TimeZone, loc: loc, years: map[int]bool{}}
		s.byName[e.TimeZone] = z
		s.order = append(s.order, z)
	}
	for _, t := range []time.Time{e.Start, e.End} {
		local := t.In(z.loc)
		z.years[local.Year()] = true
		if !ambiguous(local) {
			z.used = true
		}
	}
	return nil
}

// notZoneChar reports characters that no IANA zone name holds.
func notZoneChar(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/_-+", r))
}

// get returns the named zone, nil for "".
func (s *zoneSet) get(name string) *zone { return s.byName[name] }

// write writes a VTIMEZONE for every zone a time refers to.
func (s *zoneSet) write(w *writer) {
	for _, z := range s.order {
		if z.used {
			writeZone(w, z.name, z.loc, slices.Sorted(maps.Keys(z.years)))
		}
	}
}

// dateTime returns the name with parameters and the value of a DATE-TIME property: local time
// with a TZID, or UTC for events without a zone and for wall-clock times that happen twice.
func (z *zone) dateTime(name string, t time.Time) (string, string) {
	if z == nil {
		return name, utc(t)
	}
	local := t.In(z.loc)
	if ambiguous(local) {
		return name, utc(t)
	}
	return name + ";TZID=" + z.name, local.Format(localFormat)
}

// ambiguous reports whether t's wall-clock time happens twice in its zone, because clocks are
// turned back shortly before or after t. RFC 5545 takes such a local time as the first of the
// two, Go's time.Date as either; written in UTC, the instant means the same to every reader.
func ambiguous(t time.Time) bool {
	start, end := t.ZoneBounds()
	_, off := t.Zone()
	if !start.IsZero() {
		_, before := start.Add(-time.Second).Zone()
		if back := before - off; back > 0 && t.Before(start.Add(time.Duration(back)*time.Second)) {
			return true
		}
	}
	if !end.IsZero() {
		_, after := end.Zone()
		if back := off - after; back > 0 && !t.Before(end.Add(-time.Duration(back)*time.Second)) {
			return true
		}
	}
	return false
}

// observance is one period of a zone's offset, a STANDARD or DAYLIGHT sub-component.
type observance struct {
	onset    time.Time // when the period begins
	name     string    // its abbreviation, such as CEST
	from, to int       // the offsets before and during it, in seconds east of UTC
	daylight bool
}

// state is what a zone says about an instant; a change of any part begins an observance.
type state struct {
	name string
	off  int
	dst  bool
}

func stateAt(t time.Time) state {
	name, off := t.Zone()
	return state{name, off, t.IsDST()}
}

// observances returns the periods of loc that cover [from, to): the one in effect at from and
// every one that begins before to, each from Go's zone database.
func observances(loc *time.Location, from, to time.Time) []observance {
	t := from.In(loc)
	onset, known := lastChange(t)
	var obs []observance
	add := func(onset time.Time, before, now state) {
		obs = append(obs, observance{
			onset: onset, name: now.name, from: before.off, to: now.off,
			// Go marks some winter offsets as daylight saving (Europe/Dublin's GMT); calendar
			// apps expect DAYLIGHT to move clocks forward, so only such a period is called one.
			daylight: now.dst && now.off > before.off,
		})
	}
	if known {
		add(onset, stateAt(onset.Add(-time.Second)), stateAt(onset))
	} else {
		// The zone never changed before from: any onset before the events will do.
		onset = epoch
		if from.Before(epoch) {
			onset = from
		}
		add(onset, stateAt(t), stateAt(t))
	}
	for {
		next, ok := nextChange(t, to)
		if !ok {
			return obs
		}
		add(next, stateAt(t), stateAt(next))
		t = next
	}
}

// The bounds that Time.ZoneBounds reports are not always changes: past a zone's last explicit
// transition it also reports the turns of the year, and in leap years it can report an end
// before the instant asked about (golang/go#81583). So lastChange and nextChange use the bounds
// as guesses, keep only those where the zone does change, and find the exact second by search.

// lastChange returns the instant at which the period containing t began, false if it has
// always been in effect.
func lastChange(t time.Time) (time.Time, bool) {
	cur := stateAt(t)
	for range 1000 {
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			return time.Time{}, false
		}
		if start.After(t) {
			start = t.Add(-24 * time.Hour)
		}
		before := start.Add(-time.Second)
		if stateAt(before) != cur {
			return firstChange(before, t), true
		}
		t = before
	}
	return t, true
}

// nextChange returns the first instant after t and before limit at which t's zone changes.
func nextChange(t, limit time.Time) (time.Time, bool) {
	cur := stateAt(t)
	for t.Before(limit) {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			return time.Time{}, false
		}
		if !end.After(t) {
			end = t.Add(24 * time.Hour)
		}
		if end.After(limit) {
			end = limit
		}
		if stateAt(end) != cur {
			return firstChange(t, end), true
		}
		t = end
	}
	return time.Time{}, false
}

// firstChange returns the first whole second in (lo, hi] whose zone differs from lo's, given
// that hi's does and that the zone changes once in between.
func firstChange(lo, hi time.Time) time.Time {
	cur := stateAt(lo)
	loc := lo.Location()
	l, h := lo.Unix(), hi.Unix()
	if stateAt(time.Unix(h-1, 0).In(loc)) == cur {
		return time.Unix(h, 0).In(loc) // the usual case: the bound was right
	}
	for h-l > 1 {
		m := l + (h-l)/2
		if stateAt(time.Unix(m, 0).In(loc)) == cur {
			l = m
		} else {
			h = m
		}
	}
	return time.Unix(h, 0).In(loc)
}

// writeZone writes a VTIMEZONE for loc with the periods from the year before to the year after
// each of the given years, in order, so that apps can place the events and any that move by a
// few months; years with no event near them are left out, which keeps a feed with one session
// far in the future small.
func writeZone(w *writer, name string, loc *time.Location, years []int) {
	w.line("BEGIN:VTIMEZONE")
	w.prop("TZID", text(name))
	var last time.Time
	for i := 0; i < len(years); {
		// Windows that meet or overlap are written as one.
		j := i
		for j+1 < len(years) && years[j+1]-years[j] <= 3 {
			j++
		}
		from := time.Date(years[i]-1, 1, 1, 0, 0, 0, 0, loc)
		to := time.Date(years[j]+2, 1, 1, 0, 0, 0, 0, loc)
		i = j + 1
		for _, o := range observances(loc, from, to) {
			if !o.onset.After(last) && !last.IsZero() {
				continue // already written for the window before
			}
			last = o.onset
			writeObservance(w, o)
		}
	}
	w.line("END:VTIMEZONE")
}

func writeObservance(w *writer, o observance) {
	kind := "STANDARD"
	if o.daylight {
		kind = "DAYLIGHT"
	}
	w.line("BEGIN:" + kind)
	// The onset is written in the local time that was in effect just before it.
	w.prop("DTSTART", o.onset.UTC().Add(time.Duration(o.from)*time.Second).Format(localFormat))
	w.prop("TZOFFSETFROM", offset(o.from))
	w.prop("TZOFFSETTO", offset(o.to))
	if o.name != "" {
		w.prop("TZNAME", text(o.name))
	}
	w.line("END:" + kind)
}

// offset writes a UTC offset as ±hhmm, or ±hhmmss when it has seconds; zero is +0000, since the
// RFC forbids -0000.
func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
