package xapi

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNegotiateVersion(t *testing.T) {
	cases := []struct {
		header, want string
	}{
		{"1.0", V103}, {"1.0.0", V103}, {"1.0.1", V103}, {"1.0.3", V103}, {"1.0.9", V103}, {" 1.0.3 ", V103},
		{"2.0", V200}, {"2.0.0", V200}, {"2.0.1", V200},
		{"", ""}, {"0.95", ""}, {"0.9.9", ""}, {"1", ""}, {"1.1.0", ""}, {"1.0.", ""}, {"1.0.x", ""}, {"2.1.0", ""}, {"3.0.0", ""}, {"v1.0.3", ""},
	}
	for _, c := range cases {
		got, err := NegotiateVersion(c.header)
		if got != c.want {
			t.Errorf("NegotiateVersion(%q) = %q, want %q", c.header, got, c.want)
		}
		if c.want == "" {
			var xe *Error
			if !errors.As(err, &xe) || xe.Path != "X-Experience-API-Version" || xe.Status != 400 {
				t.Errorf("NegotiateVersion(%q) error = %v, want a 400 *Error on the header", c.header, err)
			}
		} else if err != nil {
			t.Errorf("NegotiateVersion(%q): %v", c.header, err)
		}
	}
}

func TestValidUUID(t *testing.T) {
	for _, s := range []string{"fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "FD41C918-B88B-4B20-A0A5-A4C32391AAA0", "00000000-0000-0000-0000-000000000000", "01919422-a115-7121-99e5-88d5486ad5f4"} {
		if !ValidUUID(s) {
			t.Errorf("ValidUUID(%q) = false", s)
		}
	}
	for _, s := range []string{"", "AA97B177-9383-4934-8543-0F91A7A028368", "MA97B177-9383-4934-8543-0F91A7A02836", "fd41c918b88b4b20a0a5a4c32391aaa0",
		"fd41c918-b88b-4b20-a0a5-a4c32391aaa", "urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "fd41c918-b88b-4b20-a0a5_a4c32391aaa0"} {
		if ValidUUID(s) {
			t.Errorf("ValidUUID(%q) = true", s)
		}
	}
}

func TestValidIRI(t *testing.T) {
	valid := []string{
		"http://example.com", "http://example.com/xapi/verbs#defenestrated", "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
		"urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "tag:example.com,2024:a", "http://example.com/فعل/خواندن",
		"http://[2001:db8::1]/a", "http://example.com/a%20b", "mailto:a@example.com", "file:///tmp/a", "x-custom+scheme.v1:thing",
	}
	for _, s := range valid {
		if !ValidIRI(s) {
			t.Errorf("ValidIRI(%q) = false", s)
		}
	}
	invalid := []string{
		"", "should error", "ab=c://should.fail.com", "/relative/path", "#fragment", "1http://example.com", "http:",
		"http://example.com/a b", "http://example.com/a%2", "http://example.com/a%zz", "http://example.com/a#b#c",
		"http://example.com/<tag>", "http://example.com/a|b", "http://example.com/{id}", "http://example.com/a\\b",
		"http://example.com/a[1]", "http://example.com/\u0085", "http://example.com/\x7f", "http://example.com/\xff",
	}
	for _, s := range invalid {
		if ValidIRI(s) {
			t.Errorf("ValidIRI(%q) = true", s)
		}
	}
}

func TestValidMbox(t *testing.T) {
	for _, s := range []string{"mailto:xapi@adlnet.gov", "MAILTO:a@b", "mailto:first.last+tag@sub.example.co.uk", "mailto:\"odd person\"@example.com",
		"mailto:jürgen@müller.de", "mailto:a@[192.168.0.1]"} {
		if !validMbox(s) {
			t.Errorf("validMbox(%q) = false", s)
		}
	}
	for _, s := range []string{"", "mailto:", "mailto:should.fail.com", "http://should.fail.com", "xapi@adlnet.gov", "mailto:@example.com",
		"mailto:a@", "mailto:a b@example.com", "mailto:.a@example.com", "mailto:a..b@example.com", "mailto:a@-example.com", "mailto:a@exa mple.com", "mailto:a@b..c"} {
		if validMbox(s) {
			t.Errorf("validMbox(%q) = true", s)
		}
	}
}

// RFC 5646 well-formedness, with the conformance suite's examples (XAPI-00013, 00121).
func TestValidLanguageTag(t *testing.T) {
	valid := []string{"de", "en-US", "i-enochian", "ine", "zh-Hant", "sr-Latn", "zh-cmn-Hans-CN", "sr-Latn-RS", "sl-rozaj-biske",
		"de-CH-1901", "hy-Latn-IT-arevela", "de-DE", "az-Arab-x-AZE-derbend", "x-whatever", "es-419", "tlh", "EN-us",
		"en-a-bbb-x-a-ccc", "de-CH-x-phonebk", "qaa-Qaaa-QM-x-southern", "zh-min-nan", "en-GB-oed", "sgn-BE-FR", "abcdefgh"}
	for _, s := range valid {
		if !ValidLanguageTag(s) {
			t.Errorf("ValidLanguageTag(%q) = false", s)
		}
	}
	invalid := []string{"", "a12345", "de-419-DE", "a-DE", "ar-a-aaa-b-bbb-a-ccc", "en-", "-en", "en--US", "abcdefghi", "en-US-", "x",
		"x-", "x-abcdefghi", "de-1901-1901", "en-a", "en-a-x", "e1", "en_US", "supercalifragilisticexpialidociouswhatabouthhhhhhh"}
	for _, s := range invalid {
		if ValidLanguageTag(s) {
			t.Errorf("ValidLanguageTag(%q) = true", s)
		}
	}
}

// ISO 8601:2004 4.4.3.2 durations (Data 4.6, XAPI-00124).
func TestValidDuration(t *testing.T) {
	valid := []string{"PT4H35M59.14S", "PT16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT1H0M0.1S", "PT0S", "P1D", "PT1.5H",
		"P1M", "PT1M", "P0,5Y", "PT1.999S"}
	for _, s := range valid {
		if !ValidDuration(s) {
			t.Errorf("ValidDuration(%q) = false", s)
		}
	}
	invalid := []string{"", "P", "PT", "PA1H0M0S", "P4W1D", "P1DT", "P0003-01-29T04:35:59", "PT1S1M", "P1Y1Y", "PT1.5H30M", "1D",
		"-P1D", "P1H", "P.5Y", "P1.Y", "pt1s", "P16559.14S", "PT1H T1M", "P1DT1D"}
	for _, s := range invalid {
		if ValidDuration(s) {
			t.Errorf("ValidDuration(%q) = true", s)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	cases := []struct {
		in       string
		want     time.Time
		rfc3339  bool // also valid under 2.0.0's RFC 3339 rule
		rejected bool
	}{
		{in: "2013-05-18T05:32:34.804Z", want: utc(2013, 5, 18, 5, 32, 34, 804000000), rfc3339: true},
		{in: "2013-05-18T07:32:34.804+02:00", want: utc(2013, 5, 18, 5, 32, 34, 804000000), rfc3339: true},
		{in: "2013-05-18t05:32:34z", want: utc(2013, 5, 18, 5, 32, 34, 0), rfc3339: true},
		{in: "2008-09-15 15:53:00.601+00:00", want: utc(2008, 9, 15, 15, 53, 0, 601000000), rfc3339: true},
		{in: "2016-12-31T23:59:60Z", want: utc(2017, 1, 1, 0, 0, 0, 0), rfc3339: true},
		{in: "2012-02-29T00:00:00-05:30", want: utc(2012, 2, 29, 5, 30, 0, 0), rfc3339: true},
		{in: "2013-05-18T05:32:34.123456789123Z", want: utc(2013, 5, 18, 5, 32, 34, 123456789), rfc3339: true},
		{in: "2013-05-18T05:32:34", want: utc(2013, 5, 18, 5, 32, 34, 0)},
		{in: "2013-05-18T05:32Z", want: utc(2013, 5, 18, 5, 32, 0, 0)},
		{in: "2013-05-18T05:32:34,5+02", want: utc(2013, 5, 18, 3, 32, 34, 500000000)},
		{in: "20130518T053234.804+0200", want: utc(2013, 5, 18, 3, 32, 34, 804000000)},
		{in: "20130518T0532Z", want: utc(2013, 5, 18, 5, 32, 0, 0)},
		{in: "2013-05-18T24:00:00Z", want: utc(2013, 5, 19, 0, 0, 0, 0)},
		{in: "should fail", rejected: true},
		{in: "01/011/2015", rejected: true},
		{in: "2008-09-15T15:53:00.601-00", rejected: true},
		{in: "2008-09-15T15:53:00.601-0000", rejected: true},
		{in: "2008-09-15T15:53:00.601-00:00", rejected: true},
		{in: "2013-02-29T00:00:00Z", rejected: true},
		{in: "2013-13-01T00:00:00Z", rejected: true},
		{in: "2013-05-18T24:00:01Z", rejected: true},
		{in: "2013-05-18T05:60:00Z", rejected: true},
		{in: "2013-05-18T05:32:34.Z", rejected: true},
		{in: "2013-05-18T05:32:34+2:00", rejected: true},
		{in: "2013-05-18T05:32:34+24:00", rejected: true},
		{in: "2013-05-1805:32:34Z", rejected: true},
		{in: "2013-05-18T0532Z", rejected: true},
		{in: "20130518T05:32Z", rejected: true},
		{in: "2013-05-18", rejected: true},
		{in: "2013-05-18T05:32:34Zjunk", rejected: true},
		{in: "", rejected: true},
	}
	for _, c := range cases {
		got, err := ParseTimestamp(c.in)
		if c.rejected {
			if err == nil {
				t.Errorf("ParseTimestamp(%q) = %v, want an error", c.in, got)
			}
		} else if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if _, ok := parseTime(c.in, true); ok != c.rfc3339 {
			t.Errorf("parseTime(%q, rfc3339) ok = %v, want %v", c.in, ok, c.rfc3339)
		}
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{Path: "actor.mbox", Message: "is wrong", Status: 400}
	if e.Error() != "actor.mbox: is wrong" {
		t.Errorf("Error() = %q", e.Error())
	}
	if (&Error{Message: "bad"}).Error() != "bad" {
		t.Error("an error without a path is its message")
	}
	if got := pathString([]pathSeg{{idx: 3}, {key: "context", idx: -1}, {key: "parent", idx: -1}, {idx: 1}}, "id"); got != "[3].context.parent[1].id" {
		t.Errorf("pathString = %q", got)
	}
	if !strings.Contains(badRequest("x", "%d", 5).Error(), "x: 5") {
		t.Error("badRequest formats")
	}
}
