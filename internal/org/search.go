package org

import (
	"strings"

	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/fold"
)

// searchText is what the full-text index holds for a person, given their folded names.
func searchText(given, family string, p *Person) string {
	return given + " " + family + " " + fold.String(p.Email+" "+p.EmployeeNumber+" "+p.JobTitle)
}

// sortName orders people by family name, then given name (both already folded).
func sortName(given, family string) string {
	return family + " " + given
}

// matchCondition returns a WHERE condition on people p that matches every word of q as a prefix,
// using the engine's own full-text index, or "" when q has no searchable words.
func matchCondition(d db.Dialect, q string) (string, any) {
	words := strings.Fields(fold.String(q))
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
