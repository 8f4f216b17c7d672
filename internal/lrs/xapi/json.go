package xapi

import (
	"encoding/binary"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of any JSON the package reads, so that hostile input cannot
// exhaust the stack. Statements themselves nest about a dozen levels; extension values are held
// to maxExtensionDepth by the validator, well inside this bound.
const maxJSONDepth = 128

// parseJSON reads one JSON document into a tree of map[string]any, []any, string, json.Number,
// bool and nil. Unlike encoding/json it rejects what the xAPI spec forbids and encoding/json lets
// through: a property used twice in one object (Data 2.2, LRSs 4.2.1), invalid UTF-8 and lone
// surrogate escapes (Communication 1.4), and nesting deeper than maxJSONDepth.
//
// Strings are substrings of one copy of the input wherever no escape forces a new string, which
// keeps allocations to the containers themselves. root prefixes the path of any error.
func parseJSON(data []byte, root []pathSeg) (any, *Error) {
	p := parser{s: string(data), b: data, path: root}
	// A byte order mark is tolerated (RFC 8259 section 8.1).
	if len(p.s) >= 3 && p.s[0] == 0xEF && p.s[1] == 0xBB && p.s[2] == 0xBF {
		p.i = 3
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.fail("unexpected data after the JSON value")
	}
	return v, nil
}

type parser struct {
	s     string
	b     []byte // the same bytes as s, for word-sized reads
	i     int
	depth int
	path  []pathSeg
}

func (p *parser) fail(msg string) *Error {
	return badRequest(pathString(p.path, ""), "invalid JSON at byte %d: %s", p.i, msg)
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (any, *Error) {
	p.space()
	if p.i >= len(p.s) {
		return nil, p.fail("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return nil, p.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (p *parser) literal(word string) *Error {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return p.fail("invalid literal")
	}
	p.i += len(word)
	return nil
}

func (p *parser) enter() *Error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.fail("nested deeper than " + strconv.Itoa(maxJSONDepth) + " levels")
	}
	return nil
}

func (p *parser) object() (any, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++ // {
	m := make(map[string]any)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return m, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.fail("expected a property name")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.fail("expected ':' after a property name")
		}
		p.i++
		p.path = append(p.path, pathSeg{key: key, idx: -1})
		v, err := p.value()
		p.path = p.path[:len(p.path)-1]
		if err != nil {
			return nil, err
		}
		// A key used twice leaves the map's size unchanged: one hash instead of a lookup and an
		// insert.
		n := len(m)
		m[key] = v
		if len(m) == n {
			return nil, badRequest(pathString(p.path, key), "property used more than once")
		}
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("unexpected end of input in an object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			return m, nil
		default:
			return nil, p.fail("expected ',' or '}' in an object")
		}
	}
}

func (p *parser) array() (any, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++ // [
	a := make([]any, 0, 4)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return a, nil
	}
	for {
		p.path = append(p.path, pathSeg{idx: len(a)})
		v, err := p.value()
		p.path = p.path[:len(p.path)-1]
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("unexpected end of input in an array")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return a, nil
		default:
			return nil, p.fail("expected ',' or ']' in an array")
		}
	}
}

// str reads a string starting at the opening quote. Strings without escapes are returned as
// substrings of the input.
func (p *parser) str() (string, *Error) {
	start := p.i + 1
	s, b := p.s, p.b
	for j := start; j < len(s); {
		// Skip eight plain bytes at a time: none is a quote, a backslash, a control character
		// or part of a multi-byte sequence.
		for j+8 <= len(b) && !special(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		if j >= len(s) {
			break
		}
		c := s[j]
		switch {
		case c == '"':
			p.i = j + 1
			return s[start:j], nil
		case c == '\\':
			return p.escaped(start, j)
		case c < 0x20:
			p.i = j
			return "", p.fail("control character in a string")
		case c < utf8.RuneSelf:
			j++
		default:
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size == 1 {
				p.i = j
				return "", p.fail("invalid UTF-8")
			}
			j += size
		}
	}
	p.i = len(s)
	return "", p.fail("unterminated string")
}

// special reports whether any of the eight bytes of w is '"', '\\', below 0x20 or above 0x7F.
func special(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q, bs := w^(lo*'"'), w^(lo*'\\')
	return ((q-lo)&^q|(bs-lo)&^bs|(w-lo*0x20)&^w|w)&hi != 0
}

// escaped finishes a string that contains escapes; j is the offset of the first backslash.
func (p *parser) escaped(start, j int) (string, *Error) {
	buf := make([]byte, 0, j-start+16)
	buf = append(buf, p.s[start:j]...)
	for j < len(p.s) {
		c := p.s[j]
		switch {
		case c == '"':
			p.i = j + 1
			return string(buf), nil
		case c == '\\':
			if j+1 >= len(p.s) {
				p.i = j
				return "", p.fail("unterminated escape")
			}
			e := p.s[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(p.s, j)
				if !ok {
					p.i = j
					return "", p.fail("invalid \\u escape")
				}
				j += 4
				if utf16.IsSurrogate(r) {
					// A high surrogate must be followed by an escaped low one; a lone surrogate
					// has no UTF-8 encoding.
					lo, ok := rune(0), false
					if r < 0xDC00 && j+6 <= len(p.s) && p.s[j] == '\\' && p.s[j+1] == 'u' {
						lo, ok = hex4(p.s, j+2)
					}
					dec := utf16.DecodeRune(r, lo)
					if !ok || dec == utf8.RuneError {
						p.i = j
						return "", p.fail("unpaired surrogate in a \\u escape")
					}
					j += 6
					r = dec
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.i = j - 1
				return "", p.fail("invalid escape")
			}
		case c < 0x20:
			p.i = j
			return "", p.fail("control character in a string")
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			j++
		default:
			r, size := utf8.DecodeRuneInString(p.s[j:])
			if r == utf8.RuneError && size == 1 {
				p.i = j
				return "", p.fail("invalid UTF-8")
			}
			buf = append(buf, p.s[j:j+size]...)
			j += size
		}
	}
	p.i = len(p.s)
	return "", p.fail("unterminated string")
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// number reads a number by the RFC 8259 grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() (any, *Error) {
	s, start, i := p.s, p.i, p.i
	if s[i] == '-' {
		i++
	}
	digits := func() bool {
		n := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		p.i = i
		return nil, p.fail("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			p.i = i
			return nil, p.fail("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			p.i = i
			return nil, p.fail("invalid number")
		}
	}
	p.i = i
	return json.Number(s[start:i]), nil
}
