package server_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	st "github.com/learnloop/learnloop/internal/server/servertest"
	"github.com/learnloop/learnloop/internal/skills"
)

// gapOrg is a small organization added to the test one, whose gap figures are worked out by hand
// below. The job role Gap analyst requires, in the category Gap test:
//
//	Gap Go       level 4, critical  (weight 3)
//	Gap SQL      level 3, important (weight 2)
//	Gap Writing  level 2, useful    (weight 1)
//
// Ann and Bob work in Gap team (in the division Gap division) in Gaptown; Cy has no unit and
// works at "=SUM(1+1)", a location a spreadsheet would run as a formula. Their levels and gaps:
//
//	        Go     SQL    Writing
//	Ann     3 (1)  2 (1)  – (2)
//	Bob     4 (0)  – (3)  2 (0)
//	Cy      1 (3)  3 (0)  1 (1)
//
// So, priority = Σ weight × gap over the people short:
//
//	whole organization: Go 3×(1+3) = 12, SQL 2×(1+3) = 8, Writing 1×(2+1) = 3
//	Gap division:       SQL 2×4 = 8, Go 3×1 = 3, Writing 1×2 = 2
//	no division (Cy):   Go 3×3 = 9, Writing 1×1 = 1 (Cy meets SQL)
type gapOrg struct {
	category, division, team string
	skill                    map[string]string // Go, SQL, Writing → id
	person                   map[string]string // Ann, Bob, Cy → id
}

const formulaLocation = "=SUM(1+1)"

func newGapOrg(t *testing.T, env *st.Env) *gapOrg {
	t.Helper()
	ctx := context.Background()
	svc := env.Server.Services
	g := &gapOrg{skill: map[string]string{}, person: map[string]string{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cat, err := svc.Skills.CreateCategory(ctx, core.System, skills.CategoryInput{Name: "Gap test"})
	must(err)
	g.category = cat.ID
	role, err := svc.Org.CreateRole(ctx, core.System, org.RoleInput{Name: "Gap analyst"})
	must(err)
	for _, req := range []struct {
		name, criticality string
		level             int
	}{{"Go", "critical", 4}, {"SQL", "important", 3}, {"Writing", "useful", 2}} {
		sk, err := svc.Skills.CreateSkill(ctx, core.System, skills.SkillInput{Name: "Gap " + req.name, CategoryID: cat.ID, Type: "technical"})
		must(err)
		g.skill[req.name] = sk.ID
		must(svc.Skills.SetRequirement(ctx, core.System, skills.RequirementInput{JobRoleID: role.ID, SkillID: sk.ID, Level: req.level, Criticality: req.criticality}))
	}
	div, err := svc.Org.CreateUnit(ctx, core.System, org.UnitInput{Code: "GAPDIV", Name: "Gap division", Kind: "division"})
	must(err)
	team, err := svc.Org.CreateUnit(ctx, core.System, org.UnitInput{Code: "GAPTEAM", Name: "Gap team", Kind: "team", ParentID: div.ID})
	must(err)
	g.division, g.team = div.ID, team.ID
	for _, p := range []struct{ name, unit, location string }{{"Ann", team.ID, "Gaptown"}, {"Bob", team.ID, "Gaptown"}, {"Cy", "", formulaLocation}} {
		person, err := svc.Org.CreatePerson(ctx, core.System, org.PersonInput{GivenName: p.name, FamilyName: "Gapper", JobRoleID: role.ID, OrgUnitID: p.unit,
			Location: p.location, Status: org.StatusActive})
		must(err)
		g.person[p.name] = person.ID
	}
	for _, r := range []struct {
		person, skill string
		level         int
	}{{"Ann", "Go", 3}, {"Ann", "SQL", 2}, {"Bob", "Go", 4}, {"Bob", "Writing", 2}, {"Cy", "Go", 1}, {"Cy", "SQL", 3}, {"Cy", "Writing", 1}} {
		_, err := svc.Skills.Rate(ctx, core.System, skills.RatingInput{PersonID: g.person[r.person], SkillID: g.skill[r.skill], Level: r.level, Source: skills.SourceManager})
		must(err)
	}
	if _, err := svc.Skills.RefreshGapStats(ctx); err != nil {
		t.Fatal(err)
	}
	return g
}

// gapItem is what the tests read of a row of the API's ranking.
type gapItem struct {
	SkillID     string  `json:"skill_id"`
	Skill       string  `json:"skill"`
	Category    string  `json:"category"`
	GroupID     string  `json:"group_id"`
	Group       string  `json:"group"`
	Required    int     `json:"required"`
	Short       int     `json:"short"`
	GapSum      float64 `json:"gap_sum"`
	MeanGap     float64 `json:"mean_gap"`
	Priority    float64 `json:"priority"`
	Criticality string  `json:"criticality"`
}

type gapPage struct {
	Items      []gapItem  `json:"items"`
	Total      int        `json:"total"`
	NextOffset int        `json:"next_offset"`
	GroupBy    string     `json:"group_by"`
	AsOf       *time.Time `json:"as_of"`
}

func TestGapRankingAPIShowsTheFiguresWorkedOutByHand(t *testing.T) {
	env := st.Start(t)
	g := newGapOrg(t, env)
	item := func(skill, groupID, group string, required, short int, gapSum, meanGap, priority float64, crit string) gapItem {
		return gapItem{SkillID: g.skill[skill], Skill: "Gap " + skill, Category: "Gap test", GroupID: groupID, Group: group, Required: required, Short: short,
			GapSum: gapSum, MeanGap: meanGap, Priority: priority, Criticality: crit}
	}
	whole := skills.WholeOrganization
	byDivision := []gapItem{
		item("Go", "", skills.NoDivision, 1, 1, 3, 3, 9, "critical"),
		item("SQL", g.division, "Gap division", 2, 2, 4, 2, 8, "important"),
		item("Go", g.division, "Gap division", 2, 1, 1, 1, 3, "critical"),
		item("Writing", g.division, "Gap division", 2, 1, 2, 2, 2, "useful"),
		item("Writing", "", skills.NoDivision, 1, 1, 1, 1, 1, "useful"),
	}
	tests := []struct {
		name  string
		query string
		want  []gapItem
		total int
		next  int
	}{
		{"whole organization", "group_by=organization", []gapItem{
			item("Go", "", whole, 3, 2, 4, 2, 12, "critical"),
			item("SQL", "", whole, 3, 2, 4, 2, 8, "important"),
			item("Writing", "", whole, 3, 2, 3, 1.5, 3, "useful"),
		}, 3, 0},
		{"by division, the default", "", byDivision, 5, 0},
		{"by division, first page", "group_by=division&limit=2", byDivision[:2], 5, 2},
		{"by division, last page", "group_by=division&limit=2&offset=4", byDivision[4:], 5, 0},
		{"by location", "group_by=location&limit=3", []gapItem{
			item("Go", formulaLocation, formulaLocation, 1, 1, 3, 3, 9, "critical"),
			item("SQL", "Gaptown", "Gaptown", 2, 2, 4, 2, 8, "important"),
			item("Go", "Gaptown", "Gaptown", 2, 1, 1, 1, 3, "critical"),
		}, 5, 3},
		{"at least important", "group_by=organization&criticality=important", []gapItem{
			item("Go", "", whole, 3, 2, 4, 2, 12, "critical"),
			item("SQL", "", whole, 3, 2, 4, 2, 8, "important"),
		}, 2, 0},
		{"in Gap team", "group_by=organization&org_unit=" + g.team, []gapItem{
			item("SQL", "", whole, 2, 2, 4, 2, 8, "important"),
			item("Go", "", whole, 2, 1, 1, 1, 3, "critical"),
			item("Writing", "", whole, 2, 1, 2, 2, 2, "useful"),
		}, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, role := range []string{st.LnD, st.HR} {
				res := env.Do(t, role, "GET", "/api/v1/skill-gaps?category="+g.category+"&"+tt.query, "", "")
				if res.Status != 200 {
					t.Fatalf("as %s: %d %s", role, res.Status, res.Body)
				}
				page := decode[gapPage](t, res)
				if diff := cmp.Diff(tt.want, page.Items); diff != "" {
					t.Errorf("as %s: rows (-want +got):\n%s", role, diff)
				}
				if page.Total != tt.total || page.NextOffset != tt.next {
					t.Errorf("as %s: total %d, next offset %d; want %d, %d", role, page.Total, page.NextOffset, tt.total, tt.next)
				}
				if page.AsOf == nil || time.Since(*page.AsOf) > time.Minute {
					t.Errorf("as %s: as of %v, want the refresh a moment ago", role, page.AsOf)
				}
			}
		})
	}

	// The figures are as of the last refresh: Cy reaching Writing 2 shows after the next one.
	if _, err := env.Server.Services.Skills.Rate(context.Background(), core.System, skills.RatingInput{PersonID: g.person["Cy"], SkillID: g.skill["Writing"],
		Level: 2, Source: skills.SourceManager}); err != nil {
		t.Fatal(err)
	}
	if page := decode[gapPage](t, env.Do(t, st.HR, "GET", "/api/v1/skill-gaps?category="+g.category, "", "")); page.Total != 5 {
		t.Errorf("before the refresh: %d rows, want the 5 counted", page.Total)
	}
	if _, err := env.Server.Services.Skills.RefreshGapStats(context.Background()); err != nil {
		t.Fatal(err)
	}
	if page := decode[gapPage](t, env.Do(t, st.HR, "GET", "/api/v1/skill-gaps?category="+g.category, "", "")); cmp.Diff(byDivision[:4], page.Items) != "" || page.Total != 4 {
		t.Errorf("after the refresh: %+v, want Cy's Writing gap gone", page)
	}
}

func TestGapRankingCSVIsWholeAndFormulaSafe(t *testing.T) {
	env := st.Start(t)
	g := newGapOrg(t, env)
	want := "Rank,Skill,Category,Group,Criticality,People required,People short,Levels missing,Mean gap,Priority\n" +
		"1,Gap Go,Gap test,'=SUM(1+1),critical,1,1,3,3,9\n" +
		"2,Gap SQL,Gap test,Gaptown,important,2,2,4,2,8\n" +
		"3,Gap Go,Gap test,Gaptown,critical,2,1,1,1,3\n" +
		"4,Gap Writing,Gap test,Gaptown,useful,2,1,2,2,2\n" +
		"5,Gap Writing,Gap test,'=SUM(1+1),useful,1,1,1,1,1\n"
	// Every row, whatever the page: the API's CSV and the page's download are the same file.
	for _, path := range []string{
		"/api/v1/skill-gaps?format=csv&group_by=location&limit=2&offset=2&category=" + g.category,
		"/skills/gaps/export?group_by=location&offset=2&category=" + g.category,
	} {
		res := env.Do(t, st.LnD, "GET", path, "", "")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!regexp.MustCompile(`^attachment; filename="skill-gaps-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(res.Header.Get("Content-Disposition")) {
			t.Fatalf("%s: %d %v\n%s", path, res.Status, res.Header, res.Body)
		}
		if res.Body != want {
			t.Errorf("%s:\n%s\nwant:\n%s", path, res.Body, want)
		}
	}
	// A bad filter is an error, not a file.
	res := env.Do(t, st.LnD, "GET", "/skills/gaps/export?group_by=team", "", "")
	if res.Status != 422 || res.Header.Get("Content-Disposition") != "" || !strings.Contains(res.Body, "choose division, location, role, organization") {
		t.Errorf("export grouped by team: %d %v\n%.300s", res.Status, res.Header, res.Body)
	}
	if res := env.Do(t, st.Manager, "GET", "/skills/gaps/export", "", ""); res.Status != 403 || res.Header.Get("Content-Disposition") != "" {
		t.Errorf("a manager's export: %d %v", res.Status, res.Header)
	}
}

func TestGapTrendAPI(t *testing.T) {
	env := st.Start(t)
	g := newGapOrg(t, env)
	today := core.DateOf(time.Now().UTC())
	yesterday := core.DateOf(time.Now().UTC().AddDate(0, 0, -1))
	// The server took today's snapshot; yesterday's is written as an earlier refresh would have.
	if _, err := env.DB.ExecContext(context.Background(), `INSERT INTO skill_gap_history (scope, division_id, skill_id, day, required, short, gap_tenths, priority)
		VALUES ('organization', '', ?, ?, 3, 2, 60, 18)`, g.skill["Go"], yesterday); err != nil {
		t.Fatal(err)
	}
	type point struct {
		Day      string  `json:"day"`
		Required int     `json:"required"`
		Short    int     `json:"short"`
		GapSum   float64 `json:"gap_sum"`
		MeanGap  float64 `json:"mean_gap"`
		Priority float64 `json:"priority"`
	}
	type trend struct {
		Items []point `json:"items"`
		Total int     `json:"total"`
	}
	for _, tt := range []struct {
		name  string
		query string
		want  []point
	}{
		{"Go in the organization", "skill=" + g.skill["Go"], []point{{yesterday.String(), 3, 2, 6, 3, 18}, {today.String(), 3, 2, 4, 2, 12}}},
		{"from today", "skill=" + g.skill["Go"] + "&from=" + today.String(), []point{{today.String(), 3, 2, 4, 2, 12}}},
		{"until yesterday", "skill=" + g.skill["Go"] + "&to=" + yesterday.String(), []point{{yesterday.String(), 3, 2, 6, 3, 18}}},
		{"SQL in Gap division", "skill=" + g.skill["SQL"] + "&division=" + g.division, []point{{today.String(), 2, 2, 4, 2, 8}}},
		{"Go outside any division", "skill=" + g.skill["Go"] + "&division=none", []point{{today.String(), 1, 1, 3, 3, 9}}},
		{"all skills in Gap division", "division=" + g.division, []point{{today.String(), 6, 4, 7, 1.8, 13}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, st.HR, "GET", "/api/v1/skill-gaps/trend?"+tt.query, "", "")
			if res.Status != 200 {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
			got := decode[trend](t, res)
			if diff := cmp.Diff(tt.want, got.Items); diff != "" || got.Total != len(tt.want) {
				t.Errorf("total %d; points (-want +got):\n%s", got.Total, diff)
			}
		})
	}
}

func TestGapAPIBadInputNamesTheField(t *testing.T) {
	env := st.Start(t)
	g := newGapOrg(t, env)
	for _, tt := range []struct {
		name, path, field string
	}{
		{"unknown grouping", "/api/v1/skill-gaps?group_by=bogus", "group_by"},
		{"unknown org unit", "/api/v1/skill-gaps?org_unit=" + core.NewID(), "org_unit"},
		{"malformed org unit", "/api/v1/skill-gaps?org_unit=eng", "org_unit"},
		{"unknown category", "/api/v1/skill-gaps?category=" + core.NewID(), "category"},
		{"unknown criticality", "/api/v1/skill-gaps?criticality=vital", "criticality"},
		{"limit 0", "/api/v1/skill-gaps?limit=0", "limit"},
		{"negative offset", "/api/v1/skill-gaps?offset=-1", "offset"},
		{"offset not a number", "/api/v1/skill-gaps?offset=ten", "offset"},
		{"XLSX", "/api/v1/skill-gaps?format=xlsx", "format"},
		{"bad grouping as CSV", "/api/v1/skill-gaps?format=csv&group_by=team", "group_by"},
		{"bad date", "/api/v1/skill-gaps/trend?from=31/12/2025", "from"},
		{"bad end date", "/api/v1/skill-gaps/trend?to=yesterday", "to"},
		{"end before start", "/api/v1/skill-gaps/trend?from=2026-02-01&to=2026-01-31", "to"},
		{"unknown skill", "/api/v1/skill-gaps/trend?skill=" + core.NewID(), "skill"},
		{"unknown division", "/api/v1/skill-gaps/trend?division=" + core.NewID(), "division"},
		{"a team is no division", "/api/v1/skill-gaps/trend?division=" + g.team, "division"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, st.HR, "GET", tt.path, "", "")
			if res.Status != 422 {
				t.Fatalf("status %d, want 422: %s", res.Status, res.Body)
			}
			if p := decodeProblem(t, res); p.Code != "invalid" || p.Field != tt.field {
				t.Errorf("code %q field %q, want invalid %q (%s)", p.Code, p.Field, tt.field, p.Detail)
			}
		})
	}
	// Those refused are refused whatever they ask.
	for _, role := range []string{st.Employee, st.Manager} {
		if res := env.Do(t, role, "GET", "/api/v1/skill-gaps/trend?division="+g.team, "", ""); res.Status != 403 {
			t.Errorf("as %s: %d, want 403", role, res.Status)
		}
	}
}

// tableRows returns the text of each body row of the table with the given id, tags removed and
// spaces collapsed.
func tableRows(t *testing.T, body, id string) []string {
	t.Helper()
	start := strings.Index(body, `<table id="`+id+`">`)
	if start < 0 {
		t.Fatalf("no table %s in\n%s", id, body)
	}
	table := body[start:]
	table = table[strings.Index(table, "<tbody>"):strings.Index(table, "</tbody>")]
	tags, spaces := regexp.MustCompile(`<[^>]*>`), regexp.MustCompile(`\s+`)
	var out []string
	for _, tr := range strings.Split(table, "<tr>")[1:] {
		out = append(out, strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(tags.ReplaceAllString(tr, " ")), " ")))
	}
	return out
}

func TestGapPageShowsTheRankingAndTheTrend(t *testing.T) {
	env := st.Start(t)
	g := newGapOrg(t, env)
	yesterday := core.DateOf(time.Now().UTC().AddDate(0, 0, -1))
	today := core.DateOf(time.Now().UTC())
	if _, err := env.DB.ExecContext(context.Background(), `INSERT INTO skill_gap_history (scope, division_id, skill_id, day, required, short, gap_tenths, priority)
		VALUES ('organization', '', ?, ?, 3, 2, 60, 18)`, g.skill["Go"], yesterday); err != nil {
		t.Fatal(err)
	}

	res := env.Do(t, st.LnD, "GET", "/skills/gaps?category="+g.category, "", "")
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	want := []string{
		"1 Gap Go Gap test (no division) 1 1 3.0 9.0 critical Trend of Gap Go",
		"2 Gap SQL Gap test Gap division 2 2 2.0 8.0 important Trend of Gap SQL",
		"3 Gap Go Gap test Gap division 2 1 1.0 3.0 critical Trend of Gap Go",
		"4 Gap Writing Gap test Gap division 2 1 2.0 2.0 useful Trend of Gap Writing",
		"5 Gap Writing Gap test (no division) 1 1 1.0 1.0 useful Trend of Gap Writing",
	}
	if diff := cmp.Diff(want, tableRows(t, res.Body, "gaps")); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}
	for _, s := range []string{
		"Figures as of ", "critical 3, important 2, useful 1", "criticality × gap size × headcount",
		`href="/skills/gaps"`, // the subnav
		// Each row links to its skill's trend in its division; the export keeps the filters.
		`href="/skills/gaps?category=` + g.category + `&amp;division=none&amp;skill=` + g.skill["Go"] + `#trend"`,
		`href="/skills/gaps?category=` + g.category + `&amp;division=` + g.division + `&amp;skill=` + g.skill["SQL"] + `#trend"`,
		`href="/skills/gaps/export?category=` + g.category + `"`,
		// Without a skill, the trend of all skills has today's snapshot only.
		`id="trend-start"`,
	} {
		if !strings.Contains(res.Body, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	if strings.Contains(res.Body, `rel="next"`) || strings.Contains(res.Body, `rel="prev"`) {
		t.Error("five rows need no second page")
	}

	// The second page of the role grouping; then Go's trend in the organization, drawn.
	res = env.Do(t, st.HR, "GET", "/skills/gaps?group_by=location&offset=3&category="+g.category+"&skill="+g.skill["Go"], "", "")
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	want = []string{
		"4 Gap Writing Gap test Gaptown 2 1 2.0 2.0 useful Trend of Gap Writing",
		"5 Gap Writing Gap test =SUM(1+1) 1 1 1.0 1.0 useful Trend of Gap Writing",
	}
	if diff := cmp.Diff(want, tableRows(t, res.Body, "gaps")); diff != "" {
		t.Errorf("page 2 by location (-want +got):\n%s", diff)
	}
	wantTrend := []string{today.String() + " 3 2 4.0 2.0 12.0", yesterday.String() + " 3 2 6.0 3.0 18.0"}
	if diff := cmp.Diff(wantTrend, tableRows(t, res.Body, "trend-table")); diff != "" {
		t.Errorf("trend table (-want +got):\n%s", diff)
	}
	for _, s := range []string{
		`rel="prev"`, "Gap Go in the whole organization",
		`aria-labelledby="trend-priority-t trend-priority-d"`, `aria-labelledby="trend-short-t trend-short-d"`, "<polyline",
		"2 values from " + yesterday.String() + " (18) to " + today.String() + " (12)",
		"2 values from " + yesterday.String() + " (2) to " + today.String() + " (2)",
		// The trend form keeps the ranking's choices.
		`<input type="hidden" name="group_by" value="location">`, `<input type="hidden" name="offset" value="3">`,
	} {
		if !strings.Contains(res.Body, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	if strings.Contains(res.Body, `id="trend-start"`) {
		t.Error("two days of figures are a trend")
	}

	// A division's trend of one skill.
	res = env.Do(t, st.Sys, "GET", "/skills/gaps?"+url.Values{"skill": {g.skill["SQL"]}, "division": {g.division}}.Encode(), "", "")
	if diff := cmp.Diff([]string{today.String() + " 2 2 4.0 2.0 8.0"}, tableRows(t, res.Body, "trend-table")); res.Status != 200 || diff != "" {
		t.Errorf("SQL in Gap division: %d (-want +got):\n%s", res.Status, diff)
	}

	for _, tt := range []struct{ path, message string }{
		{"/skills/gaps?group_by=bogus", "choose division, location, role, organization"},
		{"/skills/gaps?unit=" + core.NewID(), "unknown org unit"},
		{"/skills/gaps?division=" + g.team, "unknown division"},
	} {
		if res := env.Do(t, st.LnD, "GET", tt.path, "", ""); res.Status != 422 || !strings.Contains(res.Body, tt.message) {
			t.Errorf("%s: %d, want 422 saying %q\n%.400s", tt.path, res.Status, tt.message, res.Body)
		}
	}
	// Managers and employees neither get the page nor see it in the menu.
	for _, role := range []string{st.Employee, st.Manager} {
		if res := env.Do(t, role, "GET", "/skills/gaps", "", ""); res.Status != 403 || strings.Contains(res.Body, "Gap division") {
			t.Errorf("as %s: %d", role, res.Status)
		}
		if res := env.Do(t, role, "GET", "/skills", "", ""); res.Status != 200 || strings.Contains(res.Body, `href="/skills/gaps"`) {
			t.Errorf("as %s: the skills menu links to the gap ranking (%d)", role, res.Status)
		}
	}
}
