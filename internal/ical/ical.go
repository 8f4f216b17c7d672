// Package ical writes iCalendar data (RFC 5545) for scheduled training sessions: the .ics file
// attached to a registration, as an iTIP message (RFC 5546) with METHOD:REQUEST or, when the
// session or the registration is cancelled, METHOD:CANCEL; and the personal feed that calendar
// apps subscribe to, with every session a person is registered for.
//
// Calendar apps recognise an event by its UID and keep the copy with the highest SEQUENCE. So a
// session keeps one UID for life, every change a calendar should show (time, place, title,
// cancellation) raises its sequence, and a cancelled session stays in the feed with
// STATUS:CANCELLED and a higher sequence, so that apps update or strike out the copy they have
// instead of adding a second one or keeping a stale one.
//
// A session held in a time zone is written in that zone's local time (DTSTART;TZID=Europe/Berlin)
// with a VTIMEZONE built from Go's zone database, so that apps keep it at the right wall-clock
// time and show it in the session's zone; without a zone, times are written in UTC.
//
// The package writes iCalendar itself instead of through github.com/arran4/golang-ical, whose
// writer (v0.3.4) ends lines with "\n" on Unix unless told otherwise, lets a carriage return through in
// TEXT values and any character through in URL and mailto values (either starts a new property
// line in some readers), backslash-escapes parameter values instead of quoting them (it writes
// CN=Müller\, Anna, which RFC 5545 readers take as "Müller\" followed by garbage), and has no way
// to derive a VTIMEZONE from a time.Location. The tests read the output back with golang-ical's
// parser and with github.com/apognu/gocal.
package ical

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/learnloop/learnloop/internal/core"
)

// ContentType is the media type of iCalendar data, for HTTP answers and email attachments. An
// iTIP attachment also names its method; see Calendar.MediaType.
const ContentType = "text/calendar; charset=utf-8"

// DefaultProdID is the PRODID written when Calendar.ProdID is empty.
const DefaultProdID = "-//learnloop//learnloop//EN"

// iTIP methods (RFC 5546 section 3.2).
const (
	// MethodPublish publishes events that need no answer. It needs an organizer and allows no
	// attendees; a subscribed feed is usually written without a method instead.
	MethodPublish = "PUBLISH"
	// MethodRequest invites the attendees to an event, or updates it: one event with an
	// organizer and at least one attendee.
	MethodRequest = "REQUEST"
	// MethodCancel cancels an event for the attendees it lists. With StatusCancelled the whole
	// event is cancelled; without a status only the listed attendees are taken off it, as when
	// one registration is cancelled (RFC 5546 section 3.2.5).
	MethodCancel = "CANCEL"
)

// Event statuses (STATUS).
const (
	StatusTentative = "TENTATIVE"
	StatusConfirmed = "CONFIRMED"
	StatusCancelled = "CANCELLED"
)

// Participation statuses of an attendee (PARTSTAT).
const (
	PartStatNeedsAction = "NEEDS-ACTION"
	PartStatAccepted    = "ACCEPTED"
	PartStatDeclined    = "DECLINED"
	PartStatTentative   = "TENTATIVE"
)

// Roles of an attendee (ROLE).
const (
	RoleChair          = "CHAIR"
	RoleRequired       = "REQ-PARTICIPANT"
	RoleOptional       = "OPT-PARTICIPANT"
	RoleNonParticipant = "NON-PARTICIPANT"
)

// The values each field may take; "" leaves the property or parameter out.
var (
	statuses  = []string{"", StatusConfirmed, StatusTentative, StatusCancelled}
	partStats = []string{"", PartStatNeedsAction, PartStatAccepted, PartStatDeclined, PartStatTentative}
	roles     = []string{"", RoleChair, RoleRequired, RoleOptional, RoleNonParticipant}
)

// Calendar is an iCalendar object: a feed of events, or one event sent as an iTIP message.
type Calendar struct {
	ProdID string // PRODID; DefaultProdID when empty
	Name   string // the calendar's name in the app (NAME and X-WR-CALNAME), for feeds
	Method string // "", MethodPublish, MethodRequest or MethodCancel
	// Refresh asks subscribed apps to fetch the feed again this often (REFRESH-INTERVAL and
	// X-PUBLISHED-TTL); whole seconds, 0 for no advice.
	Refresh time.Duration
	Events  []Event
}

// Event is one scheduled session as a VEVENT. Times are kept to the second.
type Event struct {
	UID      string // stable and globally unique, such as "session-ID@host"
	Sequence int    // raised on every change a calendar should show
	// Stamp (DTSTAMP) is when an iTIP message was created, or, in a feed without a method, when
	// the event last changed.
	Stamp      time.Time
	Start, End time.Time
	// TimeZone is the IANA name of the session's zone, such as "Europe/Berlin"; "" writes the
	// times in UTC.
	TimeZone    string
	Summary     string
	Description string
	Location    string
	URL         string // an absolute http or https address, or ""
	Status      string // "", StatusConfirmed, StatusTentative or StatusCancelled
	Organizer   *Person
	Attendees   []Attendee
	// Created and LastModified are written when set.
	Created, LastModified time.Time
}

// Person is an organizer: a name (CN) and an email address (mailto:).
type Person struct {
	Name  string
	Email string
}

// Attendee is a person taking part in an event. Empty PartStat and Role are left out, which
// readers take as PartStatNeedsAction and RoleRequired.
type Attendee struct {
	Name     string
	Email    string
	PartStat string
	Role     string
}

// MediaType returns the media type for the calendar as an email attachment: ContentType with the
// method parameter that RFC 6047 requires of iTIP messages, so that mail clients offer it as an
// invitation.
func (c *Calendar) MediaType() string {
	if c.Method == "" {
		return ContentType
	}
	return ContentType + "; method=" + c.Method
}

// Encode returns the calendar as iCalendar data. An unknown time zone, an invalid email address
// or URL, an event that does not end after it starts or a year outside 2 to 9998 is an EINVALID
// error; an event that breaks the rules of its iTIP method is an internal error, a mistake of
// the caller.
func (c *Calendar) Encode() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	zones := newZoneSet()
	for i := range c.Events {
		if err := zones.add(&c.Events[i]); err != nil {
			return nil, fmt.Errorf("ical: event %q: %w", c.Events[i].UID, err)
		}
	}

	var w writer
	w.line("BEGIN:VCALENDAR")
	w.prop("VERSION", "2.0")
	w.prop("PRODID", text(cmp.Or(c.ProdID, DefaultProdID)))
	if c.Method != "" {
		w.prop("METHOD", c.Method)
	}
	if c.Name != "" {
		w.prop("NAME", text(c.Name))
		w.prop("X-WR-CALNAME", text(c.Name))
	}
	if c.Refresh > 0 {
		d := duration(c.Refresh)
		w.prop("REFRESH-INTERVAL;VALUE=DURATION", d)
		w.prop("X-PUBLISHED-TTL", d)
	}
	zones.write(&w)
	if len(c.Events) == 0 {
		// RFC 5545 requires at least one component; an empty feed carries the UTC zone.
		writeZone(&w, "UTC", time.UTC, []int{1970})
	}
	for i := range c.Events {
		if err := c.writeEvent(&w, &c.Events[i], zones); err != nil {
			return nil, fmt.Errorf("ical: event %q: %w", c.Events[i].UID, err)
		}
	}
	w.line("END:VCALENDAR")
	return w.buf.Bytes(), nil
}

// check enforces what RFC 5546 asks of each method, and what RFC 5545 asks of every event that
// the caller, not the user, is responsible for.
func (c *Calendar) check() error {
	switch c.Method {
	case "", MethodPublish:
	case MethodRequest, MethodCancel:
		if len(c.Events) != 1 {
			return fmt.Errorf("ical: a %s holds one event, not %d", c.Method, len(c.Events))
		}
	default:
		return fmt.Errorf("ical: unknown method %q", c.Method)
	}
	if c.Refresh < 0 || (c.Refresh > 0 && c.Refresh < time.Second) {
		return fmt.Errorf("ical: refresh interval %v is not a positive number of seconds", c.Refresh)
	}
	uids := make(map[string]bool, len(c.Events))
	for i := range c.Events {
		e := &c.Events[i]
		if err := e.check(c.Method); err != nil {
			return fmt.Errorf("ical: event %q: %w", e.UID, err)
		}
		// Without RECURRENCE-ID, two components with one UID are one event written twice.
		if uids[e.UID] {
			return fmt.Errorf("ical: two events with UID %q", e.UID)
		}
		uids[e.UID] = true
	}
	return nil
}

func (e *Event) check(method string) error {
	switch {
	case e.UID == "":
		return errors.New("no UID")
	case e.Sequence < 0:
		return fmt.Errorf("negative sequence %d", e.Sequence)
	case e.Stamp.IsZero():
		return errors.New("no DTSTAMP")
	case e.Start.IsZero() || e.End.IsZero():
		return errors.New("no start or end")
	}
	if !slices.Contains(statuses, e.Status) {
		return fmt.Errorf("unknown status %q", e.Status)
	}
	for _, a := range e.Attendees {
		if !slices.Contains(partStats, a.PartStat) {
			return fmt.Errorf("unknown participation status %q", a.PartStat)
		}
		if !slices.Contains(roles, a.Role) {
			return fmt.Errorf("unknown role %q", a.Role)
		}
	}
	if method != "" && e.Organizer == nil {
		return fmt.Errorf("a %s needs an organizer", method)
	}
	switch method {
	case MethodPublish:
		if len(e.Attendees) > 0 {
			return errors.New("a PUBLISH has no attendees")
		}
	case MethodRequest:
		if len(e.Attendees) == 0 {
			return errors.New("a REQUEST needs an attendee")
		}
		if e.Status == StatusCancelled {
			return errors.New("a cancelled event is sent as a CANCEL, not a REQUEST")
		}
	case MethodCancel:
		if len(e.Attendees) == 0 {
			return errors.New("a CANCEL names the attendees it cancels for")
		}
		if e.Status != "" && e.Status != StatusCancelled {
			return fmt.Errorf("a CANCEL has status %s or none, not %s", StatusCancelled, e.Status)
		}
	}
	return nil
}

// checkTimes checks the times of a session, which come from what people entered.
func (e *Event) checkTimes() error {
	if !e.End.After(e.Start) {
		return core.Invalid("end", "the session must end after it starts")
	}
	for _, t := range []time.Time{e.Start, e.End, e.Stamp, e.Created, e.LastModified} {
		// Years have four digits in iCalendar, in UTC and in any zone.
		if y := t.UTC().Year(); !t.IsZero() && (y < 2 || y > 9998) {
			return core.Invalid("start", "the year %d cannot be written in a calendar", t.Year())
		}
	}
	return nil
}

func (c *Calendar) writeEvent(w *writer, e *Event, zones *zoneSet) error {
	var link, organizer string
	if e.URL != "" {
		var err error
		if link, err = checkURL(e.URL); err != nil {
			return err
		}
	}
	if e.Organizer != nil {
		var err error
		if organizer, err = calAddress(e.Organizer.Email); err != nil {
			return err
		}
	}
	attendees := make([]string, len(e.Attendees))
	for i, a := range e.Attendees {
		var err error
		if attendees[i], err = calAddress(a.Email); err != nil {
			return err
		}
	}

	w.line("BEGIN:VEVENT")
	w.prop("UID", text(e.UID))
	w.prop("SEQUENCE", strconv.Itoa(e.Sequence))
	w.prop("DTSTAMP", utc(e.Stamp))
	zone := zones.get(e.TimeZone)
	w.prop(zone.dateTime("DTSTART", e.Start))
	w.prop(zone.dateTime("DTEND", e.End))
	w.prop("SUMMARY", text(e.Summary))
	if e.Description != "" {
		w.prop("DESCRIPTION", text(e.Description))
	}
	if e.Location != "" {
		w.prop("LOCATION", text(e.Location))
	}
	if link != "" {
		w.prop("URL", link)
	}
	if e.Status != "" {
		w.prop("STATUS", e.Status)
	}
	if e.Organizer != nil {
		w.prop("ORGANIZER"+param("CN", e.Organizer.Name), organizer)
	}
	for i, a := range e.Attendees {
		name := "ATTENDEE" + param("CN", a.Name)
		if a.Role != "" {
			name += ";ROLE=" + a.Role
		}
		if a.PartStat != "" {
			name += ";PARTSTAT=" + a.PartStat
		}
		w.prop(name, attendees[i])
	}
	if !e.Created.IsZero() {
		w.prop("CREATED", utc(e.Created))
	}
	if !e.LastModified.IsZero() {
		w.prop("LAST-MODIFIED", utc(e.LastModified))
	}
	w.line("END:VEVENT")
	return nil
}

// writer collects content lines, folded and ended with CRLF.
type writer struct {
	buf bytes.Buffer
}

// maxLine is the longest a content line may be, in octets without the CRLF (RFC 5545 3.1).
const maxLine = 75

// prop writes name (with any parameters) and an already encoded value.
func (w *writer) prop(name, value string) { w.line(name + ":" + value) }

// line writes one content line, folded so that no line exceeds maxLine octets. A fold never
// splits a UTF-8 sequence, which the RFC forbids, nor an escape such as \n, which the RFC allows
// but which trips up readers that unescape before they unfold.
func (w *writer) line(s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > limit-utf8.UTFMax+1 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if backslashes(s[:cut])%2 == 1 {
			cut--
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the continuation line starts with a space
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}

// backslashes counts the backslashes that end s.
func backslashes(s string) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n
}

// clean makes s valid UTF-8 and turns line breaks into "\n" and drops the other control
// characters but tab, none of which iCalendar text can carry.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)

// text encodes s as a TEXT value (RFC 5545 3.3.11).
func text(s string) string { return textEscaper.Replace(clean(s)) }

// param returns ";NAME=value" for a parameter taken from user data, or "" for an empty value.
// Parameter values have no escapes: one with ":", ";" or "," is quoted, and a double quote,
// which cannot appear even then, becomes an apostrophe; line breaks become spaces. A backslash
// is allowed, but some readers (golang-ical among them) take it as an escape and lose the rest
// of the line, the address included, so it becomes a slash.
func param(name, value string) string {
	value = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\t':
			return ' '
		case '"':
			return '\''
		case '\\':
			return '/'
		}
		return r
	}, clean(value))
	if value == "" {
		return ""
	}
	if strings.ContainsAny(value, ":;,") {
		value = `"` + value + `"`
	}
	return ";" + name + "=" + value
}

// calAddress returns the mailto: URI of an email address. Octets outside printable ASCII are
// percent-encoded (RFC 6068), so that an address in any script stays one token.
func calAddress(email string) (string, error) {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email || strings.ContainsAny(email, ` "()<>[]\,;:`) {
		return "", core.Invalid("email", "%q is not an email address", email)
	}
	var b strings.Builder
	b.WriteString("mailto:")
	for i := 0; i < len(email); i++ {
		if c := email[i]; c <= 0x20 || c >= 0x7f || c == '%' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// checkURL accepts absolute http and https addresses written in printable ASCII: a URI value is
// not escaped, so anything else could end the line.
func checkURL(s string) (string, error) {
	u, err := url.Parse(s)
	ok := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] > 0x20 && s[i] < 0x7f
	}
	if !ok {
		return "", core.Invalid("url", "%q is not an http or https address", s)
	}
	return s, nil
}

const (
	utcFormat   = "20060102T150405Z"
	localFormat = "20060102T150405"
)

func utc(t time.Time) string { return t.UTC().Format(utcFormat) }

// duration writes d as an RFC 5545 dur-time, such as PT1H30M.
func duration(d time.Duration) string {
	s := int64(d / time.Second)
	var b strings.Builder
	b.WriteString("PT")
	if h := s / 3600; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := s / 60 % 60; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if sec := s % 60; sec > 0 {
		fmt.Fprintf(&b, "%dS", sec)
	}
	return b.String()
}
