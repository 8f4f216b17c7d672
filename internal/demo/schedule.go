package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The demo's sessions: a fixed schedule of instructor-led items in the offices and online, in
// weeks counted from the week Generate runs, and who registers for each.

// onlineOffice is the office of a session held online.
const onlineOffice = -1

// sessionPlan is one session of the schedule; registrants is how many people register.
type sessionPlan struct {
	item        string
	week        int
	day         time.Weekday
	start       string
	minutes     int
	office      int // a location, or onlineOffice
	tz          string
	capacity    int
	registrants int
	cancel      string // why it was cancelled, for the one that is
	lnd         bool   // the L&D login teaches it
}

// schedule is the demo's sessions: six in the past weeks, with attendance, and the next eight
// weeks' in the offices' time zones, two of them full with a waitlist and one cancelled.
var schedule = []sessionPlan{
	{item: "PRD-WHATSNEW", week: -6, day: time.Wednesday, start: "16:00", minutes: 60, office: onlineOffice, tz: "Europe/London", capacity: 500, registrants: 24},
	{item: "ENG-SECCODE", week: -5, day: time.Wednesday, start: "10:00", minutes: 240, office: onlineOffice, tz: "Europe/London", capacity: 24, registrants: 16},
	{item: "SAL-MEDDICC", week: -4, day: time.Tuesday, start: "09:00", minutes: 240, office: london, capacity: 20, registrants: 12},
	{item: "LEAD-FEEDBACK", week: -3, day: time.Tuesday, start: "13:30", minutes: 180, office: london, capacity: 14, registrants: 8, lnd: true},
	{item: "SUP-DEESC", week: -2, day: time.Thursday, start: "09:00", minutes: 180, office: austin, capacity: 16, registrants: 10},
	{item: "ENG-INCIDENT", week: -1, day: time.Thursday, start: "09:30", minutes: 360, office: berlin, capacity: 18, registrants: 10},

	{item: "LEAD-FEEDBACK", week: 1, day: time.Wednesday, start: "13:30", minutes: 180, office: london, capacity: 14, registrants: 6, lnd: true},
	{item: "ENG-SECCODE", week: 2, day: time.Tuesday, start: "10:00", minutes: 240, office: onlineOffice, tz: "Europe/London", capacity: 24, registrants: 27},
	{item: "PRD-WHATSNEW", week: 2, day: time.Wednesday, start: "16:00", minutes: 60, office: onlineOffice, tz: "Europe/London", capacity: 500, registrants: 30},
	{item: "PRD-WHATSNEW", week: 2, day: time.Thursday, start: "10:00", minutes: 60, office: onlineOffice, tz: "Asia/Singapore", capacity: 300, registrants: 15},
	{item: "SUP-DEESC", week: 2, day: time.Thursday, start: "09:00", minutes: 180, office: madrid, capacity: 16, registrants: 8},
	{item: "LEAD-PERF", week: 2, day: time.Tuesday, start: "09:30", minutes: 300, office: toronto, capacity: 14, registrants: 5,
		cancel: "The facilitator is unwell; the session moves to next month."},
	{item: "GEN-PRESENT", week: 3, day: time.Wednesday, start: "14:00", minutes: 240, office: london, capacity: 12, registrants: 16},
	{item: "SAL-MEDDICC", week: 3, day: time.Tuesday, start: "09:00", minutes: 240, office: newYork, capacity: 20, registrants: 12},
	{item: "LEAD-COACH", week: 3, day: time.Thursday, start: "09:00", minutes: 240, office: singapore, capacity: 12, registrants: 5},
	{item: "LANG-ES", week: 3, day: time.Thursday, start: "10:00", minutes: 240, office: madrid, capacity: 10, registrants: 6},
	{item: "ENG-INCIDENT", week: 4, day: time.Wednesday, start: "09:00", minutes: 360, office: sanFrancisco, capacity: 18, registrants: 10},
	{item: "GEN-FINANCE", week: 4, day: time.Thursday, start: "15:00", minutes: 90, office: onlineOffice, tz: "Europe/London", capacity: 200, registrants: 15, lnd: true},
	{item: "SUP-DEESC", week: 4, day: time.Monday, start: "10:00", minutes: 180, office: bangalore, capacity: 20, registrants: 10},
	{item: codeFirstAid, week: 5, day: time.Monday, start: "09:00", minutes: 2*24*60 + 8*60, office: london, capacity: 12, registrants: 8},
	{item: "ENG-SECCODE", week: 5, day: time.Thursday, start: "09:30", minutes: 240, office: berlin, capacity: 16, registrants: 10},
	{item: "LEAD-INCL", week: 5, day: time.Wednesday, start: "17:00", minutes: 90, office: onlineOffice, tz: "Europe/London", capacity: 150, registrants: 12},
	{item: "LEAD-COACH", week: 6, day: time.Wednesday, start: "09:30", minutes: 240, office: london, capacity: 12, registrants: 7},
	{item: "LEAD-DE", week: 6, day: time.Tuesday, start: "09:30", minutes: 420, office: berlin, capacity: 12, registrants: 5},
	{item: "ENG-INCIDENT", week: 6, day: time.Thursday, start: "09:30", minutes: 360, office: bangalore, capacity: 18, registrants: 8},
	{item: "GEN-PRESENT", week: 7, day: time.Tuesday, start: "09:30", minutes: 240, office: sydney, capacity: 12, registrants: 6},
	{item: "SAL-MEDDICC", week: 8, day: time.Tuesday, start: "09:30", minutes: 240, office: london, capacity: 20, registrants: 10},
}

// plannedSession is a session of the schedule with the people who register, in order, and
// whether each attended (past sessions only). When assign is set, L&D assigns the item to them
// first: first aiders are appointed, not volunteers.
type plannedSession struct {
	plan       *sessionPlan
	item       int
	instructor int32 // -1 for an outside trainer
	people     []int32
	attended   []bool
	assign     bool
}

// planSessions chooses who registers for each session of the schedule: people of its office
// (anyone for an online one) whom the item suits and who never took it or have it open; for
// first aid, people L&D appoints. The employee login registers for the first online security
// workshop to come.
func (c *company) planSessions(pl *trainingPlanner, emp *person, rng *rand.Rand) []plannedSession {
	var lnd []*person
	for _, p := range c.people {
		if p.leftAgo == 0 && p.dept != nil && p.dept.isLearning && !p.login && p.level == levelIC {
			lnd = append(lnd, p)
		}
	}
	lndLogin := c.loginPerson(loginLnDAdmin)
	booked := map[int][]bool{} // item → people registered for one of its sessions
	var out []plannedSession
	for k := range schedule {
		s := &schedule[k]
		item := courseIndex[s.item]
		co := &courses[item]
		ps := plannedSession{plan: s, item: item, instructor: -1}
		switch {
		case s.lnd && lndLogin != nil:
			ps.instructor = int32(lndLogin.seq)
		case co.provider == inhouse && len(lnd) > 0:
			// A facilitator of the office when it has one.
			who := lnd[k%len(lnd)]
			if i := slices.IndexFunc(lnd, func(p *person) bool { return p.loc == s.office }); i >= 0 {
				who = lnd[i]
			}
			ps.instructor = int32(who.seq)
		}
		if booked[item] == nil {
			booked[item] = make([]bool, len(c.people))
		}
		var candidates []int32
		if s.item == "ENG-SECCODE" && s.office == onlineOffice && s.week > 0 && emp != nil && !booked[item][emp.seq] {
			ps.people = append(ps.people, int32(emp.seq))
			booked[item][emp.seq] = true
		}
		for _, p := range c.people {
			switch {
			case p.leftAgo > 0 || p.login || booked[item][p.seq] || int32(p.seq) == ps.instructor:
			case s.office != onlineOffice && p.loc != s.office:
			case co.code == codeFirstAid:
				if !pl.has[item][p.seq] && p.level == levelIC {
					candidates = append(candidates, int32(p.seq))
				}
			case (!pl.has[item][p.seq] || pl.open[item][p.seq]) && co.who(p):
				candidates = append(candidates, int32(p.seq))
			}
		}
		rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
		ps.assign = co.code == codeFirstAid
		for _, who := range candidates[:min(len(candidates), s.registrants-len(ps.people))] {
			ps.people = append(ps.people, who)
			booked[item][who] = true
		}
		if s.week < 0 {
			for range ps.people {
				ps.attended = append(ps.attended, rng.IntN(100) < 88)
			}
		}
		out = append(out, ps)
	}
	return out
}

// trainingSessions describes the planned sessions for Data.
func (d *Data) trainingSessions() []TrainingSession {
	var out []TrainingSession
	for _, ps := range d.live.sessions {
		s := ps.plan
		ts := TrainingSession{Item: s.item, Location: "Online", TimeZone: s.tz, Week: s.week, Day: s.day, Start: s.start, Minutes: s.minutes,
			Capacity: s.capacity, Registrants: len(ps.people), Cancelled: s.cancel != ""}
		if s.office != onlineOffice {
			ts.Location, ts.TimeZone = locations[s.office].name, locations[s.office].tz
		}
		out = append(out, ts)
	}
	return out
}

// sessionStart returns when a planned session starts, in the week around monday (the Monday of
// the day Generate runs), in its time zone.
func sessionStart(s *sessionPlan, monday time.Time) (time.Time, *time.Location, error) {
	tz := s.tz
	if s.office != onlineOffice {
		tz = locations[s.office].tz
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("demo: session time zone: %w", err)
	}
	var hh, mm int
	if _, err := fmt.Sscanf(s.start, "%d:%d", &hh, &mm); err != nil {
		return time.Time{}, nil, fmt.Errorf("demo: session start %q: %w", s.start, err)
	}
	day := monday.AddDate(0, 0, 7*s.week+int(s.day)-int(time.Monday))
	// Nobody trains between Christmas Eve and New Year's Day: such a session moves a week
	// further from the demo's day.
	for day.Month() == time.December && day.Day() >= 24 || day.Month() == time.January && day.Day() == 1 {
		if s.week < 0 {
			day = day.AddDate(0, 0, -7)
		} else {
			day = day.AddDate(0, 0, 7)
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc), loc, nil
}

// trainingRooms are the offices' training rooms.
var trainingRooms = [numLocations]string{london: "Thames", berlin: "Spree", madrid: "Retiro", newYork: "Hudson", austin: "Colorado",
	sanFrancisco: "Presidio", toronto: "Don Valley", singapore: "Marina", bangalore: "Cubbon", sydney: "Harbour"}

// place is where a planned session happens: a training room, or an online address.
func (s *sessionPlan) place(start time.Time) (room, link string) {
	if s.office == onlineOffice {
		return "", "https://meet.northwind.example/training/" + strings.ToLower(s.item) + "-" + start.Format("20060102")
	}
	return trainingRooms[s.office] + " training room, Northwind " + locations[s.office].name + " office", ""
}
