package skills_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/tabular"
)

const fwHeader = "skill,category,type,description,aliases,retired\n"

// exportCSV returns the framework as CSV.
func exportCSV(t *testing.T, svc *skills.Service) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := svc.ExportFramework(ctx, core.System, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// exportJSON returns the framework as it travels: encoded and decoded again.
func exportJSON(t *testing.T, svc *skills.Service) *skills.Framework {
	t.Helper()
	f, err := svc.ExportFrameworkJSON(ctx, core.System)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var out skills.Framework
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// imports counts the framework imports in the audit log.
func imports(t *testing.T, d *db.DB) int {
	t.Helper()
	action := "skills.framework_import"
	entries, _, err := (&audit.Service{DB: d}).Find(ctx, core.System, audit.Filter{Action: &action})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// checkProblems compares a report's problems with "line|column|reason fragment" strings.
func checkProblems(t *testing.T, rep *tabular.Report, want []string) {
	t.Helper()
	var got []string
	for _, p := range rep.Problems {
		got = append(got, strconv.Itoa(p.Line)+"|"+p.Column+"|"+p.Reason)
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d:\n%s", strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	for i, w := range want {
		parts := strings.SplitN(w, "|", 3)
		p := rep.Problems[i]
		if parts[0] != strconv.Itoa(p.Line) || parts[1] != p.Column || !strings.Contains(p.Reason, parts[2]) {
			t.Errorf("problem %d = %s, want %s", i, got[i], w)
		}
	}
	if rep.Valid || rep.Applied || rep.ProblemCount != len(want) {
		t.Errorf("report valid=%v applied=%v with %d problems", rep.Valid, rep.Applied, rep.ProblemCount)
	}
}

func TestFrameworkImportReportsEveryProblemAndAppliesNothing(t *testing.T) {
	long := strings.Repeat("x", 201)
	tests := []struct {
		name string
		file string
		want []string // "line|column|reason fragment" per problem, in order
	}{
		{"no skill column", "category,type\nEngineering,technical\n", []string{"1||missing column skill (accepted headers: skill, name, skill name)"}},
		{"a column twice", "skill,Skill Name\nRust,Rust\n", []string{"1|Skill Name|both mean skill"}},
		{"duplicate skill", fwHeader + "Rust,,,,,\nrust,,,,,\n", []string{`3|skill|duplicate skill "rust" (first on line 2)`}},
		{"duplicate of a stored skill", fwHeader + "Go,,,,,\nGO,,,,,\n", []string{`3|skill|duplicate skill "GO" (first on line 2)`}},
		{"a skill and its alias", fwHeader + "Go,,,,,\ngo language,,,,,\n", []string{`3|skill|"go language" is the skill Go, which is already on line 2`}},
		{"an alias of two skills", fwHeader + "Database,,,,,\n", []string{`2|skill|"Database" is an alias of 2 skills (Oracle, Postgres): use the skill's name`}},
		{"alias is another skill's name", fwHeader + "Rust,,,,Ferris; SQL,\n", []string{`2|aliases|alias "SQL" is the name of the skill SQL`}},
		{"alias is another skill's alias", fwHeader + "Rust,,,,Go language,\n", []string{`2|aliases|alias "Go language" is already an alias of the skill Go`}},
		{"alias is a new skill's name", fwHeader + "Rust,,,,Cargo,\nCargo,,,,,\n", []string{`2|aliases|alias "Cargo" is the name of the skill Cargo`}},
		{"unknown type", fwHeader + "Rust,,magic,,,\n", []string{`2|type|unknown type "magic": choose one of technical, interpersonal`}},
		{"bad retired value", fwHeader + "Rust,,,,,maybe\n", []string{`2|retired|"maybe" is not yes or no`}},
		{"name too long", fwHeader + long + ",,,,,\n", []string{"2|skill|a skill name has at most 200 characters"}},
		{"description too long", fwHeader + "Rust,,," + strings.Repeat("d", 4001) + ",,\n", []string{"2|description|at most 4000 characters (this one has 4001)"}},
		{"alias too long", fwHeader + "Rust,,,,ok;" + long + ",\n", []string{"2|aliases|an alias has at most 200 characters"}},
		{"alias on two lines", fwHeader + "Rust,,,,\"Rust lang\nRustlang\",\n", []string{`2|aliases|alias "Rust lang\nRustlang" spans several lines`}},
		{"no name", fwHeader + ",Engineering,,,,\n", []string{"2|skill|the skill name is empty"}},
		{"empty category in a path", fwHeader + "Rust,Engineering//Systems,,,,\n", []string{"2|category|a category path has an empty part"}},
		{"category name too long", fwHeader + "Rust,Engineering/" + long + ",,,,\n", []string{"2|category|a category name has at most 200 characters"}},
		{"every problem of a row, in column order", "Name,Category,Type,Retired\nRust,/,magic,maybe\n,Engineering,,\nRust,,,\n",
			[]string{"2|Category|empty part", "2|Type|unknown type", "2|Retired|not yes or no", "3|Name|the skill name is empty",
				`4|Name|duplicate skill "Rust" (first on line 2)`}},
		{"wrong number of fields", fwHeader + "Rust,,\n", []string{"2||has 3 fields but the header has 6"}},
		{"bad quoting", fwHeader + "Ru\"st,,,,,\n", []string{"2||not valid CSV"}},
		{"not UTF-8", fwHeader + "R\xe4st,,,,,\n", []string{"2||not UTF-8"}},
		{"binary junk", "\x00\x01\x02PK\x03\x04", []string{"1||not text"}},
		{"empty file", " \n", []string{"0||empty"}},
		{"header only", fwHeader, []string{"0||no skills"}},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, name := range []string{"Postgres", "Oracle"} {
			if _, err := f.svc.CreateSkill(ctx, core.System, skills.SkillInput{Name: name, Aliases: []string{"Database"}}); err != nil {
				t.Fatal(err)
			}
		}
		before := exportCSV(t, f.svc)
		cats, _ := f.svc.FindCategories(ctx, core.System)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				plan, err := f.svc.PlanFrameworkImport(ctx, lnd, []byte(tt.file), skills.FrameworkOptions{})
				if err != nil {
					t.Fatal(err)
				}
				checkProblems(t, plan, tt.want)
				rep, err := f.svc.ImportFramework(ctx, lnd, []byte(tt.file), skills.FrameworkOptions{})
				if err != nil {
					t.Fatal(err)
				}
				checkProblems(t, rep, tt.want)
				if after := exportCSV(t, f.svc); after != before {
					t.Errorf("a refused file changed the skills:\n%s", after)
				}
				if now, _ := f.svc.FindCategories(ctx, core.System); len(now) != len(cats) {
					t.Errorf("a refused file created categories: %d, want %d", len(now), len(cats))
				}
			})
		}
		if n := imports(t, d); n != 0 {
			t.Errorf("%d audit entries for refused files", n)
		}
	})
}

func TestFrameworkCSVRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		cats, _ := f.svc.FindCategories(ctx, core.System)
		backend, err := f.svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Back end", ParentID: cats[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		// Values a spreadsheet would run as formulas, a form's CRLF line breaks, a retired skill,
		// a skill without a category and a category path two deep.
		for _, in := range []skills.SkillInput{
			{Name: "-O3 tuning", CategoryID: backend.ID, Type: "tool", Description: "=HYPERLINK(\"x\")", Aliases: []string{"@opt", "Optimizing, compilers"}},
			{Name: "Listening", Type: "interpersonal", Description: "Hears people out.\r\n\r\nAsks \"why\" twice.", Retired: true},
			// Two skills may share an alias when made by hand; the file must still import.
			{Name: "Postgres", Aliases: []string{"Database"}},
			{Name: "Oracle", Aliases: []string{"database"}},
		} {
			if _, err := f.svc.CreateSkill(ctx, core.System, in); err != nil {
				t.Fatal(err)
			}
		}
		file := exportCSV(t, f.svc)
		for _, want := range []string{fwHeader, "'-O3 tuning,Engineering / Back end,tool,\"'=HYPERLINK(\"\"x\"\")\",\"'@opt; Optimizing, compilers\",no\n",
			"Go,Engineering,technical,,Go language,no\n", "Listening,,interpersonal,", ",,yes\n"} {
			if !strings.Contains(file, want) {
				t.Errorf("export lacks %q:\n%s", want, file)
			}
		}
		rep, err := f.svc.ImportFramework(ctx, lnd, []byte(file), skills.FrameworkOptions{Filename: "skills.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Valid || !rep.Applied || rep.Rows != 8 || rep.Unchanged != 8 || rep.Create+rep.Update != 0 || len(rep.Changes) != 0 {
			t.Fatalf("re-import: %s %+v %+v", rep.Summary(), rep.Problems, rep.Changes)
		}
		if n := imports(t, d); n != 0 {
			t.Errorf("an import that changed nothing wrote %d audit entries", n)
		}
		if again := exportCSV(t, f.svc); again != file {
			t.Errorf("export after re-import differs:\n%s", cmp.Diff(file, again))
		}
		// A real change is audited once, with the file name.
		changed := strings.Replace(file, "Go,Engineering,technical,,Go language,no", "Go,Engineering,technical,The Go language.,Go language,no", 1)
		if rep, err = f.svc.ImportFramework(ctx, lnd, []byte(changed), skills.FrameworkOptions{Filename: "skills.csv"}); err != nil || rep.Update != 1 {
			t.Fatalf("one change: %v %s", err, rep.Summary())
		}
		action := "skills.framework_import"
		entries, _, _ := (&audit.Service{DB: d}).Find(ctx, core.System, audit.Filter{Action: &action})
		if len(entries) != 1 || !strings.Contains(entries[0].Summary, "skills.csv: 8 rows: 0 new, 1 updated, 7 unchanged") {
			t.Errorf("audit: %+v", entries)
		}
	})
}

func TestFrameworkCSVCreatesCategoryPaths(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "Skill Name;Category\n" +
			"Kubernetes;Engineering / Platform / Containers\n" +
			"Helm;engineering/platform/containers\n" +
			"Terraform;Engineering/Platform\n" +
			"Budgeting;Finance\n"
		plan, err := f.svc.PlanFrameworkImport(ctx, core.System, []byte(file), skills.FrameworkOptions{})
		if err != nil || !plan.Valid || plan.Create != 4 {
			t.Fatalf("plan: %v %s %+v", err, plan.Summary(), plan.Problems)
		}
		want := []tabular.Change{
			{Line: 2, Kind: "create", Key: "category", Name: "Engineering / Platform"},
			{Line: 2, Kind: "create", Key: "category", Name: "Engineering / Platform / Containers"},
			{Line: 2, Kind: "create", Key: "skill", Name: "Kubernetes"},
			{Line: 3, Kind: "create", Key: "skill", Name: "Helm"},
			{Line: 4, Kind: "create", Key: "skill", Name: "Terraform"},
			{Line: 5, Kind: "create", Key: "category", Name: "Finance"},
			{Line: 5, Kind: "create", Key: "skill", Name: "Budgeting"},
		}
		if diff := cmp.Diff(want, plan.Changes); diff != "" {
			t.Errorf("preview (-want +got):\n%s", diff)
		}
		if cats, _ := f.svc.FindCategories(ctx, core.System); len(cats) != 1 {
			t.Fatalf("planning created categories: %d", len(cats))
		}
		rep, err := f.svc.ImportFramework(ctx, core.System, []byte(file), skills.FrameworkOptions{})
		if err != nil || !rep.Applied {
			t.Fatalf("import: %v %+v", err, rep)
		}
		cats, _ := f.svc.FindCategories(ctx, core.System)
		var names []string
		for _, c := range cats {
			names = append(names, c.FullName)
		}
		if diff := cmp.Diff([]string{"Engineering", "Engineering / Platform", "Engineering / Platform / Containers", "Finance"}, names); diff != "" {
			t.Errorf("categories (-want +got):\n%s", diff)
		}
		all, _ := f.svc.FindSkills(ctx, core.System, skills.SkillFilter{CategoryID: cats[2].ID})
		var inContainers []string
		for _, sk := range all {
			inContainers = append(inContainers, sk.Name)
		}
		if diff := cmp.Diff([]string{"Helm", "Kubernetes"}, inContainers); diff != "" {
			t.Errorf("skills in Containers (-want +got):\n%s", diff)
		}
		if n := imports(t, d); n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
	})
}

func TestFrameworkCSVMatchesByAlias(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "skill,description,aliases\nGo language,The Go programming language.,Golang\nsql,,SQL language\n"
		rep, err := f.svc.ImportFramework(ctx, core.System, []byte(file), skills.FrameworkOptions{})
		if err != nil || !rep.Applied || rep.Create != 0 || rep.Update != 2 {
			t.Fatalf("%v %s %+v", err, rep.Summary(), rep.Problems)
		}
		want := []tabular.Change{
			{Line: 2, Kind: "update", Key: "skill", Name: "Go", Fields: []string{"description", "aliases"}},
			{Line: 3, Kind: "update", Key: "skill", Name: "sql", Fields: []string{"name"}},
		}
		if diff := cmp.Diff(want, rep.Changes); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
		goSkill, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["Go"])
		if goSkill.Name != "Go" || goSkill.Description != "The Go programming language." || !slices.Equal(goSkill.Aliases, []string{"Golang", "Go language"}) {
			t.Errorf("Go after import: %+v", goSkill)
		}
		// The same file again matches the same skills and changes nothing.
		if rep, _ := f.svc.ImportFramework(ctx, core.System, []byte(file), skills.FrameworkOptions{}); rep.Unchanged != 2 || rep.Create+rep.Update != 0 {
			t.Errorf("again: %s", rep.Summary())
		}
	})
}

func TestFrameworkCSVChangesOnlyItsColumns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		if _, err := f.svc.UpdateSkill(ctx, lnd, f.skills["SQL"], skills.SkillInput{Name: "SQL", CategoryID: "", Type: "tool", Aliases: []string{"Structured Query Language"}, Retired: true}); err != nil {
			t.Fatal(err)
		}
		before, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["SQL"])
		file := "Skill,Description,Type,Retired\nSQL,Querying relational databases.,,\nRust,Systems programming.,,\nWriting,,leadership,yes\n"
		rep, err := f.svc.ImportFramework(ctx, lnd, []byte(file), skills.FrameworkOptions{})
		if err != nil || !rep.Applied || rep.Create != 1 || rep.Update != 2 {
			t.Fatalf("%v %s %+v", err, rep.Summary(), rep.Problems)
		}
		sql, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["SQL"])
		want := *before
		want.Description, want.UpdatedAt = "Querying relational databases.", sql.UpdatedAt
		if diff := cmp.Diff(&want, sql); diff != "" {
			t.Errorf("SQL (-want +got):\n%s", diff)
		}
		writing, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["Writing"])
		if writing.Type != "leadership" || !writing.Retired || writing.CategoryID == "" || !slices.Equal(writing.Aliases, []string{"Writing language"}) {
			t.Errorf("Writing: %+v", writing)
		}
		rust, _ := f.svc.FindSkills(ctx, core.System, skills.SkillFilter{Query: "rust"})
		if len(rust) != 1 || rust[0].Type != "technical" || rust[0].CategoryID != "" || rust[0].Retired || len(rust[0].Aliases) != 0 {
			t.Errorf("Rust: %+v", rust)
		}
		// Skills missing from the file are left alone.
		negotiation, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["Negotiation"])
		if negotiation.Description != "" || negotiation.CategoryID == "" {
			t.Errorf("Negotiation: %+v", negotiation)
		}
		// An empty retired cell keeps a retired skill retired; "no" brings it back.
		if rep, _ := f.svc.ImportFramework(ctx, lnd, []byte("skill,retired\nSQL,\n"), skills.FrameworkOptions{}); rep.Unchanged != 1 {
			t.Errorf("empty retired cell: %s", rep.Summary())
		}
		if rep, _ := f.svc.ImportFramework(ctx, lnd, []byte("skill,retired\nSQL,No\n"), skills.FrameworkOptions{}); rep.Update != 1 {
			t.Errorf("retired no: %s", rep.Summary())
		}
		if sql, _ := f.svc.FindSkillByID(ctx, core.System, f.skills["SQL"]); sql.Retired {
			t.Errorf("SQL is still retired")
		}
	})
}

// seedDescriptors gives Go two level descriptors through the JSON import.
func seedDescriptors(t *testing.T, f *fixture) {
	t.Helper()
	fw := exportJSON(t, f.svc)
	for i := range fw.Skills {
		if fw.Skills[i].Name == "Go" {
			fw.Skills[i].Levels = []skills.LevelDescriptor{{Level: 4, Description: "Designs concurrent systems."}, {Level: 1, Description: "Has done the tour."}}
		}
	}
	rep, err := f.svc.ImportFrameworkJSON(ctx, core.System, fw)
	if err != nil || !rep.Applied || rep.Update != 1 {
		t.Fatalf("descriptors: %v %s %+v", err, rep.Summary(), rep.Problems)
	}
}

func TestFrameworkJSONRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		cats, _ := f.svc.FindCategories(ctx, core.System)
		if _, err := f.svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Data", ParentID: cats[0].ID}); err != nil {
			t.Fatal(err)
		}
		seedDescriptors(t, f)
		fw := exportJSON(t, f.svc)
		if len(fw.Scale) != 6 || len(fw.Categories) != 2 || fw.Categories[1] != (skills.FrameworkCategory{Name: "Data", Parent: "Engineering"}) ||
			len(fw.Skills) != 4 || len(fw.Requirements) != 4 {
			t.Fatalf("export: %+v", fw)
		}
		if got := fw.Skills[0]; got.Name != "Go" || got.Category != "Engineering" || len(got.Levels) != 2 || got.Levels[0].Level != 1 {
			t.Errorf("Go: %+v", got)
		}
		if got := fw.Requirements[0]; got != (skills.FrameworkRequirement{JobRole: "Senior Engineer", Skill: "Go", Level: 5, Criticality: "critical"}) {
			t.Errorf("first requirement: %+v", got)
		}
		audited := imports(t, d)
		rep, err := f.svc.ImportFrameworkJSON(ctx, lnd, fw)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Applied || rep.Rows != 16 || rep.Unchanged != 16 || rep.Create+rep.Update != 0 || len(rep.Changes) != 0 {
			t.Fatalf("re-import: %s %+v %+v", rep.Summary(), rep.Problems, rep.Changes)
		}
		if n := imports(t, d); n != audited {
			t.Errorf("an import that changed nothing was audited")
		}

		// Into another installation, which has the job roles but nothing of the framework.
		other := dbtest.SQLite(t)
		if d.Dialect == db.Postgres {
			other = dbtest.Postgres(t)
		}
		orgs := org.NewService(other, f.clock)
		for _, name := range []string{"Software Engineer", "Senior Engineer"} {
			if _, err := orgs.CreateRole(ctx, core.System, org.RoleInput{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		svc := skills.NewService(other, f.clock, orgs)
		rep, err = svc.ImportFrameworkJSON(ctx, core.System, fw)
		if err != nil || !rep.Applied || rep.Create != 2+4+4 || rep.Unchanged != 6 {
			t.Fatalf("into a new installation: %v %s %+v", err, rep.Summary(), rep.Problems)
		}
		if diff := cmp.Diff(fw, exportJSON(t, svc)); diff != "" {
			t.Errorf("the framework changed on the way (-sent +arrived):\n%s", diff)
		}
	})
}

func TestFrameworkJSONReportsEveryProblemAndAppliesNothing(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *skills.Framework)
		want   []string
	}{
		{"empty", func(f *skills.Framework) { *f = skills.Framework{} }, []string{"0||the framework is empty"}},
		{"scale with a gap and no name", func(f *skills.Framework) { f.Scale[2].Level = 7; f.Scale[3].Name = " " },
			[]string{"0|scale[2].level|level 7 is out of place", "0|scale[3].name|name level 3"}},
		{"scale of one level", func(f *skills.Framework) { f.Scale, f.Requirements = f.Scale[:1], nil },
			[]string{"0|scale|a scale has 2 to 11 levels", "0|scale|use levels above 0; the scale cannot drop them"}},
		{"scale dropping used levels", func(f *skills.Framework) { f.Scale, f.Requirements = f.Scale[:3], nil },
			[]string{"0|scale|3 ratings, requirements or coverage targets use levels above 2"}},
		{"requirements above a smaller scale", func(f *skills.Framework) { f.Scale = f.Scale[:4] },
			[]string{"0|requirements[0].level|a requirement asks for a level from 1 to 3", "0|requirements[1].level|from 1 to 3"}},
		{"unknown parent category", func(f *skills.Framework) {
			f.Categories = append(f.Categories, skills.FrameworkCategory{Name: "Backend", Parent: "Engineering / Platform"})
		}, []string{`0|categories[1].parent|unknown parent category "Engineering / Platform"`}},
		{"duplicate category", func(f *skills.Framework) {
			f.Categories = append(f.Categories, skills.FrameworkCategory{Name: "Data", Parent: "Engineering"}, skills.FrameworkCategory{Name: "data", Parent: "engineering"})
		}, []string{"0|categories[2].name|duplicate category (first at categories[1])"}},
		{"bad skill fields", func(f *skills.Framework) {
			f.Skills[1].Category = "Marketing"
			f.Skills[1].Type = "magic"
			f.Skills[2].Aliases = []string{"ok", "semi;colon", "two\nlines"}
			f.Skills[3].Name = ""
		}, []string{`0|skills[1].category|unknown category "Marketing": list it in categories`, `0|skills[1].type|unknown type "magic"`,
			`0|skills[2].aliases[1]|contains a semicolon`, `0|skills[2].aliases[2]|spans several lines`, "0|skills[3].name|the skill name is empty"}},
		{"duplicate skill", func(f *skills.Framework) { f.Skills = append(f.Skills, skills.FrameworkSkill{Name: "go language"}) },
			[]string{`0|skills[4].name|"go language" is the skill Go, which is already at skills[0]`}},
		{"alias of another skill", func(f *skills.Framework) { f.Skills[0].Aliases = []string{"SQL language"} },
			[]string{`0|skills[0].aliases|alias "SQL language" is already an alias of the skill SQL`}},
		{"bad level descriptors", func(f *skills.Framework) {
			f.Skills[0].Levels = []skills.LevelDescriptor{{Level: 6, Description: "x"}, {Level: 2, Description: " "}, {Level: 2, Description: "y"}}
		}, []string{"0|skills[0].levels[0]|level 6 is outside the scale (0 to 5)", "0|skills[0].levels[1]|describe level 2",
			"0|skills[0].levels[2]|level 2 is described twice (first at levels[1])"}},
		{"bad requirements", func(f *skills.Framework) {
			f.Requirements = append(f.Requirements,
				skills.FrameworkRequirement{JobRole: "Astronaut", Skill: "Go", Level: 2, Criticality: "useful"},
				skills.FrameworkRequirement{JobRole: "Software Engineer", Skill: "Cobol", Level: 0, Criticality: "nice"},
				skills.FrameworkRequirement{JobRole: "software engineer", Skill: "go", Level: 3, Criticality: "Useful"})
		}, []string{`0|requirements[4].job_role|unknown job role "Astronaut"`, `0|requirements[5].skill|unknown skill "Cobol"`,
			"0|requirements[5].level|a requirement asks for a level from 1 to 5", `0|requirements[5].criticality|unknown criticality "nice"`,
			"0|requirements[6].skill|Software Engineer already requires Go at requirements[1]"}},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lnd := f.actor(t, "E5", core.RoleLnDAdmin)
		original := exportJSON(t, f.svc)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fw := exportJSON(t, f.svc)
				tt.change(fw)
				plan, err := f.svc.PlanFrameworkJSON(ctx, lnd, fw)
				if err != nil {
					t.Fatal(err)
				}
				checkProblems(t, plan, tt.want)
				rep, err := f.svc.ImportFrameworkJSON(ctx, lnd, fw)
				if err != nil {
					t.Fatal(err)
				}
				checkProblems(t, rep, tt.want)
				if diff := cmp.Diff(original, exportJSON(t, f.svc)); diff != "" {
					t.Errorf("a refused framework changed something:\n%s", diff)
				}
			})
		}
		if rep, err := f.svc.PlanFrameworkJSON(ctx, lnd, nil); err != nil || rep.Valid {
			t.Errorf("nil framework: %v %+v", err, rep)
		}
	})
}

func TestFrameworkJSONReplacesRequirementsOfMentionedRoles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		fw := &skills.Framework{
			Scale: append(exportJSON(t, f.svc).Scale, skills.ScaleLevel{Level: 6, Name: "Master", Description: "Writes the book."}),
			Skills: []skills.FrameworkSkill{{Name: "Rust", Category: "Engineering", Type: "technical",
				Levels: []skills.LevelDescriptor{{Level: 6, Description: "Works on the compiler."}}}},
			Requirements: []skills.FrameworkRequirement{
				{JobRole: "software engineer", Skill: "Go", Level: 6, Criticality: "Critical"},
				{JobRole: "Software Engineer", Skill: "rust", Level: 2, Criticality: "useful"},
				{JobRole: "Software Engineer", Skill: "sql language", Level: 3, Criticality: "important"}, // by alias
			},
		}
		rep, err := f.svc.ImportFrameworkJSON(ctx, core.System, fw)
		if err != nil || !rep.Applied {
			t.Fatalf("%v %+v", err, rep)
		}
		if rep.Rows != 11 || rep.Create != 3 || rep.Update != 1 || rep.Unchanged != 7 {
			t.Errorf("counts: %s", rep.Summary())
		}
		want := []tabular.Change{
			{Kind: "create", Key: "scale", Name: "6 Master"},
			{Kind: "create", Key: "skill", Name: "Rust"},
			{Kind: "update", Key: "requirement", Name: "Software Engineer: Go", Fields: []string{"level"}},
			{Kind: "create", Key: "requirement", Name: "Software Engineer: Rust"},
			{Kind: "delete", Key: "requirement", Name: "Software Engineer: Writing"},
		}
		if diff := cmp.Diff(want, rep.Changes); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
		reqs, _ := f.svc.FindRequirements(ctx, core.System, "", "")
		var got []string
		for _, r := range reqs {
			got = append(got, r.JobRoleName+" "+r.SkillName+" "+strconv.Itoa(r.Level)+" "+r.Criticality)
		}
		// Senior Engineer is not in the file and keeps its requirement.
		if diff := cmp.Diff([]string{"Senior Engineer Go 5 critical", "Software Engineer Go 6 critical",
			"Software Engineer SQL 3 important", "Software Engineer Rust 2 useful"}, got); diff != "" {
			t.Errorf("requirements (-want +got):\n%s", diff)
		}
		if scale, _ := f.svc.Scale(ctx, core.System); len(scale) != 7 || scale[6].Name != "Master" {
			t.Errorf("scale: %+v", scale)
		}
		action := "skills.framework_import"
		entries, _, _ := (&audit.Service{DB: d}).Find(ctx, core.System, audit.Filter{Action: &action})
		if len(entries) != 1 || !strings.Contains(entries[0].Summary, "11 rows: 3 new, 1 updated, 7 unchanged, 1 removed") {
			t.Errorf("audit: %+v", entries)
		}
	})
}

func TestFrameworkPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := []byte(fwHeader + "Rust,,,,,\n")
		fw := exportJSON(t, f.svc)
		for _, a := range []struct {
			name  string
			actor *core.Actor
		}{
			{"employee", f.actor(t, "E3")},
			{"manager", f.actor(t, "E2")},
			{"token with skills:read only", &core.Actor{PersonID: f.ids["E5"], Roles: []core.Role{core.RoleLnDAdmin}, Scopes: []core.Permission{core.PermSkillsRead}}},
			{"nobody", nil},
		} {
			if _, err := f.svc.PlanFrameworkImport(ctx, a.actor, file, skills.FrameworkOptions{}); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s plans a CSV import: %v", a.name, err)
			}
			if _, err := f.svc.ImportFramework(ctx, a.actor, file, skills.FrameworkOptions{}); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s imports CSV: %v", a.name, err)
			}
			if _, err := f.svc.PlanFrameworkJSON(ctx, a.actor, fw); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s plans a JSON import: %v", a.name, err)
			}
			if _, err := f.svc.ImportFrameworkJSON(ctx, a.actor, fw); core.ErrorCode(err) != core.EFORBIDDEN {
				t.Errorf("%s imports JSON: %v", a.name, err)
			}
		}
		if found, _ := f.svc.FindSkills(ctx, core.System, skills.SkillFilter{Query: "rust"}); len(found) != 0 {
			t.Errorf("a refused import created %v", found)
		}
		// Everyone may read the framework; a token without skills:read may not.
		if _, err := f.svc.ExportFramework(ctx, f.actor(t, "E3"), &bytes.Buffer{}); err != nil {
			t.Errorf("employee exports CSV: %v", err)
		}
		if _, err := f.svc.ExportFrameworkJSON(ctx, f.actor(t, "E3")); err != nil {
			t.Errorf("employee exports JSON: %v", err)
		}
		rateOnly := &core.Actor{PersonID: f.ids["E3"], Scopes: []core.Permission{core.PermSkillsRate}}
		if _, err := f.svc.ExportFramework(ctx, rateOnly, &bytes.Buffer{}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("token without skills:read exports CSV: %v", err)
		}
		if _, err := f.svc.ExportFrameworkJSON(ctx, rateOnly); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("token without skills:read exports JSON: %v", err)
		}
		if rep, err := f.svc.ImportFramework(ctx, f.actor(t, "E5", core.RoleLnDAdmin), file, skills.FrameworkOptions{}); err != nil || rep.Create != 1 {
			t.Errorf("L&D admin imports: %v %+v", err, rep)
		}
	})
}

func FuzzFrameworkImport(f *testing.F) {
	f.Add([]byte(fwHeader + "Go,Engineering,technical,,Go language,no\nRust,Engineering / Systems,tool,Fast.,Ferris; Rustlang,yes\n"))
	f.Add([]byte(fwHeader + "Go,,,,,\ngo language,,,,,\n"))
	f.Add([]byte("Skill;Category;Aliases\nHelm;a//b;x\"y\n"))
	f.Add([]byte("name\n\"unterminated\n"))
	f.Add([]byte("\ufeffskill,retired,type\nA,maybe,magic\n,,\n"))
	f.Add([]byte("0\n0\"")) // a quoting problem on line 2 and a missing column on line 1
	d := dbtest.SQLite(f)
	clock := &core.FixedClock{}
	svc := skills.NewService(d, clock, org.NewService(d, clock))
	cat, err := svc.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Engineering"})
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"Go", "SQL"} {
		if _, err := svc.CreateSkill(ctx, core.System, skills.SkillInput{Name: name, CategoryID: cat.ID, Aliases: []string{name + " language"}}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := svc.PlanFrameworkImport(ctx, core.System, data, skills.FrameworkOptions{})
		if err != nil {
			t.Fatalf("plan returned an error instead of a report: %v", err)
		}
		if rep.Valid == (rep.ProblemCount > 0) || len(rep.Problems) > rep.ProblemCount || rep.Applied {
			t.Fatalf("valid=%v applied=%v with %d problems (%d listed)", rep.Valid, rep.Applied, rep.ProblemCount, len(rep.Problems))
		}
		if rep.Valid && rep.Create+rep.Update+rep.Unchanged != rep.Rows {
			t.Fatalf("%d rows but %d new, %d updated, %d unchanged", rep.Rows, rep.Create, rep.Update, rep.Unchanged)
		}
		for i, p := range rep.Problems {
			if p.Reason == "" || i > 0 && p.Line < rep.Problems[i-1].Line {
				t.Fatalf("problem %d out of order or without a reason: %+v", i, rep.Problems)
			}
		}
		for _, c := range rep.Changes {
			if c.Name == "" || (c.Key != "skill" && c.Key != "category") || (c.Kind != "create" && c.Kind != "update") {
				t.Fatalf("change %+v", c)
			}
		}
	})
}
