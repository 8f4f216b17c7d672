package xapi

import (
	"mime"
	"strings"
	"unicode/utf8"
)

// Scanners for the formatted strings of xAPI (Data 4.0, LRSs 4.2.7). They are hand-written
// rather than regular expressions: every statement goes through several of them.

// ValidUUID reports whether s is a UUID in the standard string form of RFC 4122
// (8-4-4-4-12 hexadecimal digits, either case). Any version and variant is accepted: the spec
// recommends variant 2 but requires only the standard form (Data 4.4, LRSs 4.2.7).
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !isHex(c) {
			return false
		}
	}
	return true
}

// lowerASCII returns s in lower case, allocating only when s has upper-case letters.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

// ValidIRI reports whether s is an absolute IRI by the generic syntax of RFC 3987: a scheme
// (a letter, then letters, digits, "+", "-" or "."), a colon and a non-empty remainder made only
// of the characters an IRI may hold, with well-formed percent-encodings, at most one "#" and
// square brackets only around an IP literal host. Relative references and values without a
// scheme are rejected (Data 2.2.s4.b1.b8). IRLs (homePage, moreInfo, fileUrl) are held to the
// same syntax: whether they resolve cannot be checked offline.
func ValidIRI(s string) bool { return validIRI(s, false) }

// validIRI is ValidIRI; with ascii it accepts only URIs (RFC 3986), as for openid.
func validIRI(s string, ascii bool) bool {
	n := len(s)
	if n == 0 || !isAlpha(s[0]) {
		return false
	}
	i := 1
	for i < n && (isAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') {
		i++
	}
	if i >= n || s[i] != ':' || i+1 == n {
		return false
	}
	i++
	// The authority of a hierarchical IRI runs from "//" to the next "/", "?" or "#"; only there
	// may "[" and "]" appear.
	authEnd := i
	if strings.HasPrefix(s[i:], "//") {
		authEnd = i + 2
		for authEnd < n && s[authEnd] != '/' && s[authEnd] != '?' && s[authEnd] != '#' {
			authEnd++
		}
	}
	fragment := false
	for i < n {
		c := s[i]
		if c >= utf8.RuneSelf {
			if ascii {
				return false
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !ucschar(r) || (r == utf8.RuneError && size == 1) {
				return false
			}
			i += size
			continue
		}
		switch {
		case iriChars[c]:
		case c == '%':
			if i+2 >= n || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case c == '#':
			if fragment {
				return false
			}
			fragment = true
		case c == '[' || c == ']':
			if i >= authEnd {
				return false
			}
		default:
			return false
		}
		i++
	}
	return true
}

// iriChars marks the ASCII characters an IRI may hold as they are: unreserved, gen-delims
// other than "#", "[" and "]", and sub-delims (RFC 3986 section 2).
var iriChars = func() (t [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?@!$&'()*+,;=") {
		t[c] = true
	}
	return t
}()

// ucschar reports whether r may appear unencoded in an IRI (RFC 3987 ucschar and iprivate):
// anything from U+00A0 up except surrogates and the noncharacters.
func ucschar(r rune) bool {
	switch {
	case r < 0xA0, r >= 0xD800 && r <= 0xDFFF, r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE, r > 0x10FFFF:
		return false
	}
	return true
}

// validMbox reports whether s is a "mailto:" IRI holding one e-mail address (Data 2.4.2.3): a
// local part (a dot-atom of RFC 5322 atext, or a quoted string) and a domain (dot-separated
// labels or an address literal), internationalized as RFC 6531 allows. The scheme is matched
// without regard to case, as RFC 3987 requires.
func validMbox(s string) bool {
	if len(s) < 7 || !strings.EqualFold(s[:7], "mailto:") {
		return false
	}
	addr := s[7:]
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return false
	}
	return validLocalPart(addr[:at]) && validDomain(addr[at+1:])
}

func validLocalPart(l string) bool {
	if len(l) >= 2 && l[0] == '"' && l[len(l)-1] == '"' {
		for i := 1; i < len(l)-1; i++ {
			if l[i] < 0x20 || l[i] == 0x7F {
				return false
			}
		}
		return utf8.ValidString(l)
	}
	if l[0] == '.' || l[len(l)-1] == '.' || strings.Contains(l, "..") {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c >= utf8.RuneSelf || isAlnum(c) || c == '.' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return false
	}
	return utf8.ValidString(l)
}

func validDomain(d string) bool {
	if len(d) >= 2 && d[0] == '[' && d[len(d)-1] == ']' {
		for i := 1; i < len(d)-1; i++ {
			if c := d[i]; !isHex(c) && c != ':' && c != '.' && !isAlpha(c) {
				return false
			}
		}
		return len(d) > 2
	}
	for rest := d; ; {
		label, tail, more := strings.Cut(rest, ".")
		rest = tail
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; c < utf8.RuneSelf && !isAlnum(c) && c != '-' {
				return false
			}
		}
		if !more {
			return utf8.ValidString(d)
		}
	}
}

// validSHA1 reports whether s is the 40 hexadecimal digits of a SHA-1 hash (mbox_sha1sum).
func validSHA1(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// validSHA2 reports whether s is the hexadecimal digest of a SHA-224, SHA-256, SHA-384 or
// SHA-512 hash, the lengths an attachment's sha2 can have (Data 2.4.11).
func validSHA2(s string) bool {
	switch len(s) {
	case 56, 64, 96, 128:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// validMediaType reports whether s is an Internet media type: type "/" subtype with optional
// parameters (RFC 2045, RFC 2046).
func validMediaType(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	return err == nil && strings.Count(mt, "/") == 1
}

// mediaTypeOf returns the lower-case type/subtype of a media type, without parameters.
func mediaTypeOf(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidLanguageTag reports whether s is a well-formed RFC 5646 language tag: the sequence of
// subtags and their lengths follows the "Language-Tag" grammar (langtag, privateuse or a
// grandfathered tag), no variant appears twice and no extension singleton appears twice
// (Data 2.2.s4.b2, LRSs 4.2.7). Case is not significant. Whether a subtag is registered in the
// IANA registry is not checked, which the spec allows.
func ValidLanguageTag(s string) bool {
	if s == "" {
		return false
	}
	return regularTag(s) || grandfathered(s)
}

// regularTag reports whether s is a langtag or a privateuse tag.
func regularTag(s string) bool {
	t := subtags{s: s}
	first, ok := t.next()
	if !ok {
		return false
	}
	if len(first) == 1 && first[0]|0x20 == 'x' {
		return t.privateUse()
	}
	n := len(first)
	if n < 2 || n > 8 || !allAlpha(first) {
		return false
	}
	sub, ok := t.next()
	// extlang: up to three 3-letter subtags after a 2- or 3-letter language.
	if n <= 3 {
		for k := 0; ok && k < 3 && len(sub) == 3 && allAlpha(sub); k++ {
			sub, ok = t.next()
		}
	}
	if ok && len(sub) == 4 && allAlpha(sub) { // script
		sub, ok = t.next()
	}
	if ok && ((len(sub) == 2 && allAlpha(sub)) || (len(sub) == 3 && allDigit(sub))) { // region
		sub, ok = t.next()
	}
	var variants []string
	for ok && isVariant(sub) {
		for _, v := range variants {
			if strings.EqualFold(v, sub) {
				return false
			}
		}
		variants = append(variants, sub)
		sub, ok = t.next()
	}
	var singletons [36]bool
	for ok && len(sub) == 1 && sub[0]|0x20 != 'x' {
		c := sub[0] | 0x20
		if !isAlnum(c) {
			return false
		}
		idx := int(c - '0')
		if c >= 'a' {
			idx = int(c-'a') + 10
		}
		if singletons[idx] {
			return false
		}
		singletons[idx] = true
		count := 0
		for sub, ok = t.next(); ok && len(sub) >= 2 && len(sub) <= 8 && allAlnum(sub); sub, ok = t.next() {
			count++
		}
		if count == 0 {
			return false
		}
	}
	if ok && len(sub) == 1 && sub[0]|0x20 == 'x' {
		return t.privateUse()
	}
	return !ok && !t.err
}

// subtags walks the "-"-separated subtags of a tag; err is set by an empty subtag.
type subtags struct {
	s   string
	i   int
	err bool
}

func (t *subtags) next() (string, bool) {
	if t.i > len(t.s) || t.err {
		return "", false
	}
	j := strings.IndexByte(t.s[t.i:], '-')
	var sub string
	if j < 0 {
		sub = t.s[t.i:]
		t.i = len(t.s) + 1
	} else {
		sub = t.s[t.i : t.i+j]
		t.i += j + 1
		if t.i == len(t.s) {
			t.err = true // trailing "-"
		}
	}
	if sub == "" {
		t.err = true
		return "", false
	}
	return sub, true
}

// privateUse checks the subtags after an "x" singleton: one or more of 1-8 alphanumerics.
func (t *subtags) privateUse() bool {
	count := 0
	for sub, ok := t.next(); ok; sub, ok = t.next() {
		if len(sub) > 8 || !allAlnum(sub) {
			return false
		}
		count++
	}
	return count > 0 && !t.err
}

func isVariant(s string) bool {
	if !allAlnum(s) {
		return false
	}
	return (len(s) >= 5 && len(s) <= 8) || (len(s) == 4 && isDigit(s[0]))
}

func allAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) {
			return false
		}
	}
	return true
}

func allDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// grandfatheredTags are the irregular and regular grandfathered tags of RFC 5646 section 2.1.
var grandfatheredTags = []string{
	"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
	"i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
	"art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan",
	"zh-xiang",
}

func grandfathered(s string) bool {
	for _, g := range grandfatheredTags {
		if strings.EqualFold(s, g) {
			return true
		}
	}
	return false
}

// ValidDuration reports whether s is an ISO 8601:2004 duration in the format of section 4.4.3.2
// (Data 4.6, LRSs 4.2.7): "P" followed by years, months and days ("nY", "nM", "nD") and, after
// "T", hours, minutes and seconds ("nH", "nM", "nS"), each at most once and in that order, at
// least one of them, with a decimal fraction only on the last; or "P" with weeks alone ("nW").
// The alternative format of section 4.4.3.3 ("P0003-01-29T04:35:59") is rejected.
func ValidDuration(s string) bool {
	if len(s) < 3 || s[0] != 'P' {
		return false
	}
	const date, clock = "YMD", "HMS"
	i, components, fraction := 1, 0, false
	order, inTime := 0, false
	for i < len(s) {
		if s[i] == 'T' {
			if inTime {
				return false
			}
			inTime, order = true, 0
			i++
			if i == len(s) {
				return false // "T" needs a time component after it
			}
			continue
		}
		if fraction {
			return false // only the last component may have a fraction
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			i++
			n := i
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			if i == n {
				return false
			}
			fraction = true
		}
		if i == len(s) {
			return false
		}
		d := s[i]
		i++
		if d == 'W' {
			// Weeks stand alone: "P4W".
			return components == 0 && !inTime && i == len(s)
		}
		designators := date
		if inTime {
			designators = clock
		}
		k := strings.IndexByte(designators[order:], d)
		if k < 0 {
			return false
		}
		order += k + 1
		components++
	}
	return components > 0
}
