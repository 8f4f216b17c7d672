package xapi

import (
	"strconv"
	"time"
)

// ParseTimestamp parses a Timestamp by the xAPI 1.0.3 rule (Data 4.5): an ISO 8601 combined date
// and time, in the extended ("2013-05-18T05:32:34.804+02:00") or the basic
// ("20130518T053234.804+0200") format, with "T", "t" or, as RFC 3339 allows, a space between date
// and time. Seconds, the fraction and the zone are optional; a timestamp without a zone is read as
// UTC. An offset of minus zero ("-00", "-0000", "-00:00"), which RFC 3339 reserves for an unknown
// local offset, is rejected, as the conformance suite requires. The result is in UTC.
//
// This is the reading for query parameters (since, until) under both versions. Statements sent
// under 2.0.0 are held to RFC 3339 instead, which needs seconds and an offset.
func ParseTimestamp(s string) (time.Time, error) {
	t, ok := parseTime(s, false)
	if !ok {
		return time.Time{}, badRequest("", "%s is not an ISO 8601 timestamp", strconv.Quote(s))
	}
	return t, nil
}

// parseTime parses an ISO 8601 timestamp, or with rfc3339 only the RFC 3339 profile.
func parseTime(s string, rfc3339 bool) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if !isDigit(c) {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok := num(0, 4)
	if !ok || len(s) < 5 {
		return time.Time{}, false
	}
	ext := s[4] == '-'
	if rfc3339 && !ext {
		return time.Time{}, false
	}
	var month, day, i int
	var ok1, ok2 bool
	if ext {
		month, ok1 = num(5, 2)
		day, ok2 = num(8, 2)
		if len(s) < 10 || s[7] != '-' {
			return time.Time{}, false
		}
		i = 10
	} else {
		month, ok1 = num(4, 2)
		day, ok2 = num(6, 2)
		i = 8
	}
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false
	}
	if i >= len(s) || (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
		return time.Time{}, false
	}
	i++
	hour, ok := num(i, 2)
	if !ok {
		return time.Time{}, false
	}
	i += 2
	if ext {
		if i >= len(s) || s[i] != ':' {
			return time.Time{}, false
		}
		i++
	}
	minute, ok := num(i, 2)
	if !ok {
		return time.Time{}, false
	}
	i += 2
	sec, nsec, haveSec := 0, 0, false
	if ext && i < len(s) && s[i] == ':' {
		if sec, ok = num(i+1, 2); !ok {
			return time.Time{}, false
		}
		i, haveSec = i+3, true
	} else if !ext && i < len(s) && isDigit(s[i]) {
		if sec, ok = num(i, 2); !ok {
			return time.Time{}, false
		}
		i, haveSec = i+2, true
	}
	if rfc3339 && !haveSec {
		return time.Time{}, false
	}
	if haveSec && i < len(s) && (s[i] == '.' || (s[i] == ',' && !rfc3339)) {
		i++
		start, scale := i, 100000000
		for i < len(s) && isDigit(s[i]) {
			nsec += int(s[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == start {
			return time.Time{}, false
		}
	}
	if minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	// ISO 8601 lets 24:00:00 name the end of a day; RFC 3339 does not.
	if hour > 23 && (rfc3339 || hour != 24 || minute != 0 || sec != 0 || nsec != 0) {
		return time.Time{}, false
	}
	offset := 0
	switch {
	case i == len(s):
		if rfc3339 {
			return time.Time{}, false
		}
	case (s[i] == 'Z' || s[i] == 'z') && i+1 == len(s):
	case s[i] == '+' || s[i] == '-':
		sign := 1
		if s[i] == '-' {
			sign = -1
		}
		oh, ok := num(i+1, 2)
		if !ok {
			return time.Time{}, false
		}
		i += 3
		om := 0
		switch {
		case i == len(s) && !rfc3339:
		case ext && i < len(s) && s[i] == ':':
			if om, ok = num(i+1, 2); !ok || i+3 != len(s) {
				return time.Time{}, false
			}
		case !ext && !rfc3339:
			if om, ok = num(i, 2); !ok || i+2 != len(s) {
				return time.Time{}, false
			}
		default:
			return time.Time{}, false
		}
		if oh > 23 || om > 59 || (sign < 0 && oh == 0 && om == 0) {
			return time.Time{}, false
		}
		offset = sign * (oh*3600 + om*60)
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
