// Package fold turns text into the form learnloop searches and sorts by: lower case, without
// diacritics, with every run of characters other than letters and digits as one space. Search
// text, search queries and sort keys all go through it, so both storage engines tokenize
// identically ("José O'Neil" and "jose oneil" find each other).
package fold

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// String folds s.
func String(s string) string {
	out := s
	if !isASCII(s) {
		// Decomposing and dropping the combining marks is the slow part, and pure ASCII has none.
		t := stripMarks.Get().(transform.Transformer)
		if o, _, err := transform.String(t, s); err == nil {
			out = o
		}
		stripMarks.Put(t)
	}
	var b strings.Builder
	b.Grow(len(out))
	space := false
	for _, r := range strings.ToLower(out) {
		switch {
		case r == '\'' || r == '’':
			// Apostrophes join: O'Neil → oneil.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// stripMarks holds transformers that remove diacritics; a transformer keeps state, so each
// goroutine takes its own.
var stripMarks = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
