package org

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/learnloop/learnloop/internal/db"
)

// fold lowercases s, strips diacritics and turns every run of characters other than letters and
// digits into one space. Search text, search queries and sort keys all go through it, so both
// engines tokenize identically ("José O'Neil" and "jose oneil" find each other).
func fold(s string) string {
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

// searchText is what the full-text index holds for a person, given their folded names.
func searchText(given, family string, p *Person) string {
	return given + " " + family + " " + fold(p.Email+" "+p.EmployeeNumber+" "+p.JobTitle)
}

// sortName orders people by family name, then given name (both already folded).
func sortName(given, family string) string {
	return family + " " + given
}

// matchCondition returns a WHERE condition on people p that matches every word of q as a prefix,
// using the engine's own full-text index, or "" when q has no searchable words.
func matchCondition(d db.Dialect, q string) (string, any) {
	words := strings.Fields(fold(q))
	if len(words) == 0 {
		return "", nil
	}
	if len(words) > 8 {
		words = words[:8]
	}
	if d == db.Postgres {
		for i, w := range words {
			words[i] = w + ":*"
		}
		return "p.search @@ to_tsquery('simple', ?)", strings.Join(words, " & ")
	}
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return "p.seq IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)", strings.Join(words, " ")
}
