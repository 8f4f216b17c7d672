package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/skills"
)

// TestFrameworkIsWellFormed checks the catalog as the skills service and its users will see it.
func TestFrameworkIsWellFormed(t *testing.T) {
	t.Parallel()
	if CatalogSkills < 250 || CatalogSkills > 350 {
		t.Errorf("the catalog has %d skills, want 250 to 350", CatalogSkills)
	}
	if MaxSkills < BenchmarkSkills.Framework {
		t.Errorf("specializations reach %d skills, fewer than the benchmark's %d", MaxSkills, BenchmarkSkills.Framework)
	}
	fw := buildFramework(MaxSkills)
	if len(fw.skills) != MaxSkills {
		t.Fatalf("a framework of %d skills has %d", MaxSkills, len(fw.skills))
	}
	names := map[string]bool{}
	for _, s := range fw.skills {
		names[strings.ToLower(s.Name)] = true
	}
	if len(names) != len(fw.skills) {
		t.Errorf("%d skills have only %d names, ignoring case", len(fw.skills), len(names))
	}
	types := map[string]int{}
	for _, s := range fw.skills[:CatalogSkills] {
		types[s.Type]++
		if !slices.Contains(skills.Types, s.Type) {
			t.Errorf("%s has the type %q", s.Name, s.Type)
		}
		if !slices.Contains(fw.categories, s.Category) {
			t.Errorf("%s is in the unknown category %q", s.Name, s.Category)
		}
		if len(s.Description) < 20 || !strings.HasSuffix(s.Description, ".") || strings.Count(s.Description, ". ") > 0 {
			t.Errorf("%s is described as %q, want one sentence", s.Name, s.Description)
		}
		for _, a := range s.Aliases {
			if a == "" || strings.EqualFold(a, s.Name) || (names[strings.ToLower(a)] && !strings.EqualFold(a, s.Name)) {
				t.Errorf("%s has the alias %q, empty or the name of a skill", s.Name, a)
			}
		}
	}
	for _, typ := range skills.Types {
		if types[typ] < 5 {
			t.Errorf("only %d skills are of the type %s", types[typ], typ)
		}
	}
	for i, c := range fw.categories {
		if j := strings.LastIndex(c, " / "); j >= 0 && !slices.Contains(fw.categories[:i], c[:j]) {
			t.Errorf("the category %q comes before its parent", c)
		}
		if len(fw.byCategory[c]) == 0 && !slices.ContainsFunc(fw.categories[i+1:], func(d string) bool { return strings.HasPrefix(d, c+" / ") }) {
			t.Errorf("the category %q is empty", c)
		}
	}
	for _, top := range []string{"Engineering", "Product & Design", "Sales", "Customer Support & Success", "Marketing", "Operations & Finance",
		"People & Learning", "Leadership & Management", "Compliance", "Interpersonal Skills", "Languages", "Tools & Productivity"} {
		if !slices.Contains(fw.categories, top) {
			t.Errorf("no category %q", top)
		}
	}
	for _, want := range [][2]string{{"Kubernetes", "k8s"}, {"Amazon Web Services", "AWS"}, {"Go", "Golang"}} {
		if s := fw.skills[fw.index[want[0]]]; !slices.Contains(s.Aliases, want[1]) {
			t.Errorf("%s has the aliases %v, want %s among them", want[0], s.Aliases, want[1])
		}
	}
}

// TestEveryRoleHasRequirements checks every job role of the catalog, whether or not a given
// demo has people in it.
func TestEveryRoleHasRequirements(t *testing.T) {
	t.Parallel()
	fw := buildFramework(0)
	roles := []string{ceoRole}
	for _, div := range divisions {
		roles = append(roles, div.head)
		for _, d := range div.departments {
			roles = append(roles, d.director, d.senior, d.manager)
			for _, m := range d.members {
				roles = append(roles, m.role)
			}
		}
	}
	levelOf := func(role, skill string) int {
		for _, n := range roleRequirements[role] {
			if n.skill == skill {
				return n.level
			}
		}
		return 0
	}
	for _, role := range roles {
		needs := roleRequirements[role]
		if len(needs) < 5 || len(needs) > 12 {
			t.Errorf("%s requires %d skills, want 5 to 12", role, len(needs))
		}
		seen := map[string]bool{}
		for _, n := range needs {
			if _, ok := fw.index[n.skill]; !ok {
				t.Errorf("%s requires %q, which is not in the framework", role, n.skill)
			}
			if seen[n.skill] || n.level < 1 || n.level > 5 || !slices.Contains(skills.Criticalities, n.crit) {
				t.Errorf("%s requires %s at level %d (%s), twice or out of range", role, n.skill, n.level, n.crit)
			}
			seen[n.skill] = true
		}
		for _, b := range basics {
			if levelOf(role, b.skill) != 2 {
				t.Errorf("%s requires %s at level %d, want the basic 2", role, b.skill, levelOf(role, b.skill))
			}
		}
	}
	// Seniority asks for more.
	for _, pair := range [][2]string{{"Software Engineer", "Senior Software Engineer"}, {"Data Scientist", "Senior Data Scientist"},
		{"Associate Product Manager", "Product Manager"}, {"Product Manager", "Senior Product Manager"}, {"Account Executive", "Senior Account Executive"}} {
		junior, senior := roleRequirements[pair[0]], roleRequirements[pair[1]]
		if len(senior) < len(junior) {
			t.Errorf("%s requires %d skills, fewer than a %s's %d", pair[1], len(senior), pair[0], len(junior))
		}
		for _, n := range junior {
			if l := levelOf(pair[1], n.skill); l < n.level {
				t.Errorf("%s requires %s at %d, below a %s's %d", pair[1], n.skill, l, pair[0], n.level)
			}
		}
	}
	for _, role := range []string{"Engineering Manager", "Director of Sales", "VP Engineering", ceoRole} {
		if levelOf(role, "Strategic Planning")+levelOf(role, "People Management") == 0 {
			t.Errorf("%s needs no leadership skills", role)
		}
	}
	for _, rules := range coverageRules {
		for _, r := range rules {
			if _, ok := fw.index[r.skill]; !ok || r.min < 1 || r.level < 1 || r.level > 5 {
				t.Errorf("coverage target %+v", r)
			}
		}
	}
	for name := range certifications {
		if _, ok := fw.index[name]; !ok {
			t.Errorf("certification in the unknown skill %q", name)
		}
	}
}
