package org_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/org"
)

// words is the test's own reading of what a search matches: lower-case words without accents.
func words(s string) []string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ = transform.String(t, strings.ToLower(strings.ReplaceAll(s, "'", "")))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TestSearchFindsExactlyTheMatches compares searches (with the plans SQLite is steered to for
// common and rare prefixes, and for managers) against a plain reading of everyone, on an
// organization big enough to pass the count cap.
func TestSearchFindsExactlyTheMatches(t *testing.T) {
	data, err := demo.Build(demo.Options{People: 1300, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		svc := org.NewService(d, core.SystemClock{})
		if _, err := svc.ImportUnits(ctx, core.System, data.UnitsCSV, org.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if rep, err := svc.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{}); err != nil || !rep.Applied {
			t.Fatalf("%v %v", err, rep.Problems)
		}
		everyone := walk(t, svc, core.System, org.PersonFilter{})
		if len(everyone) <= org.CountCap {
			t.Fatalf("only %d active people; the test needs more than the cap", len(everyone))
		}
		_, _, total, _ := svc.FindPeople(ctx, core.System, org.PersonFilter{})
		if total != org.CountCap+1 {
			t.Errorf("total = %d, want the cap + 1 (%d)", total, org.CountCap+1)
		}
		// A team manager (a small tree) and the chief executive (everyone).
		manager := &core.Actor{PersonID: everyone[0].ManagerID, IsManager: true}
		ceo := &core.Actor{IsManager: true}
		for _, p := range everyone {
			if p.ManagerID == "" {
				ceo.PersonID = p.ID
			}
		}
		for _, th := range []struct{ tree, dense int }{{2000, 5000}, {50, 100}, {0, 0}} {
			restore := org.SetSearchThresholds(th.tree, th.dense)
			checkSearches(t, svc, everyone, manager, ceo)
			restore()
		}
	})
}

func checkSearches(t *testing.T, svc *org.Service, everyone []*org.Person, manager, ceo *core.Actor) {
	t.Helper()
	for _, tt := range []struct {
		actor *core.Actor
		query string
	}{
		{core.System, "a"}, {core.System, "an"}, {core.System, "e"}, {core.System, "jo"}, {core.System, "engineer"},
		{core.System, everyone[7].FamilyName}, {core.System, everyone[400].GivenName + " " + everyone[400].FamilyName[:2]},
		{manager, "an"}, {manager, "s"}, {manager, "e"}, {ceo, "an"}, {ceo, "ma"}, {core.System, "zzzz"},
	} {
		got := walk(t, svc, tt.actor, org.PersonFilter{Query: tt.query})
		var want []*org.Person
		q := words(tt.query)
		for _, p := range walk(t, svc, tt.actor, org.PersonFilter{}) {
			if matches(p, q) {
				want = append(want, p)
			}
		}
		if !slices.EqualFunc(ids(got), ids(want), func(a, b string) bool { return a == b }) {
			t.Errorf("%s searching %q: %d people, want %d", tt.actor.PersonID, tt.query, len(got), len(want))
		}
	}
}

// matches says whether a person matches query words: one letter is a family-name initial, more
// are prefixes of words of their names, email, employee number or job title.
func matches(p *org.Person, q []string) bool {
	if len(q) == 1 && len([]rune(q[0])) == 1 {
		fam := words(p.FamilyName)
		return len(fam) > 0 && strings.HasPrefix(strings.Join(fam, " "), q[0])
	}
	have := words(strings.Join([]string{p.GivenName, p.FamilyName, p.Email, p.EmployeeNumber, p.JobTitle}, " "))
	for _, w := range q {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
			return false
		}
	}
	return true
}

func walk(t *testing.T, svc *org.Service, actor *core.Actor, f org.PersonFilter) []*org.Person {
	t.Helper()
	var out []*org.Person
	f.Limit = 500
	for {
		page, next, _, err := svc.FindPeople(ctx, actor, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == "" {
			return out
		}
		f.Cursor = next
	}
}

func ids(ps []*org.Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}
