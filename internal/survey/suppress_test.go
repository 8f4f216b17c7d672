package survey

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSuppressionLeavesNoSmallRemainder checks the suppression pattern on random org trees: no
// shown group is below the minimum, and no shown group minus the shown groups just inside it
// leaves between 1 and min-1 responses, which would expose a small group by subtraction.
func TestSuppressionLeavesNoSmallRemainder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 500; trial++ {
		units := map[string]*unitInfo{}
		var ids []string
		for i := 0; i < 1+rng.IntN(30); i++ {
			id := fmt.Sprintf("u%02d", i)
			path := "/"
			if len(ids) > 0 && rng.IntN(4) > 0 {
				path = units[ids[rng.IntN(len(ids))]].path
			}
			units[id] = &unitInfo{id: id, path: path + id + "/"}
			ids = append(ids, id)
		}
		perUnit := map[string]int{"": rng.IntN(3)} // people in no unit
		for _, id := range ids {
			if rng.IntN(3) > 0 {
				perUnit[id] = rng.IntN(8)
			}
		}
		shown := suppress(units, perUnit, MinGroup)

		// Count each group's responses independently of suppress.
		n := map[string]int{}
		for uid, c := range perUnit {
			n[""] += c
			if u := units[uid]; u != nil {
				for _, a := range segments(u.path) {
					n[a] += c
				}
			}
		}
		inside := func(outer, inner string) bool { // inner strictly inside outer
			if inner == "" || inner == outer {
				return false
			}
			return outer == "" || slices.Contains(segments(units[inner].path), outer)
		}
		groups := append([]string{""}, ids...)
		for _, g := range groups {
			if !shown[g] {
				continue
			}
			if n[g] < MinGroup {
				t.Fatalf("trial %d: group %q shown with %d responses", trial, g, n[g])
			}
			// The frontier: shown groups inside g with no shown group between.
			rest := n[g]
			for _, h := range groups {
				if !shown[h] || !inside(g, h) {
					continue
				}
				maximal := true
				for _, k := range groups {
					if shown[k] && inside(g, k) && inside(k, h) {
						maximal = false
					}
				}
				if maximal {
					rest -= n[h]
				}
			}
			if rest > 0 && rest < MinGroup {
				t.Fatalf("trial %d: group %q (%d) minus its shown sub-groups leaves %d", trial, g, n[g], rest)
			}
		}
		// Suppression hides sub-groups, never the group being checked: with enough responses,
		// everyone is shown.
		if shown[""] != (n[""] >= MinGroup) {
			t.Fatalf("trial %d: everyone (%d) shown %v", trial, n[""], shown[""])
		}
	}
}
