package web

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/learnloop/learnloop/internal/chart"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/skills"
)

// GapsView is the organization's ranking of skill gaps, with the daily trend of one skill (or
// all) in the organization or one division.
type GapsView struct {
	Page
	Filter      skills.GapFilter
	Ranking     *skills.GapRanking
	Rows        []GapRowView
	Groupings   []Option
	GroupName   string // the group column's heading
	Units       template.HTML
	Categories  template.HTML
	Criticality []string
	Weights     []CriticalityWeight
	Query       url.Values // the page's choices, for the hidden fields of each form
	PrevURL     string
	NextURL     string
	ExportCSV   string

	// The trend.
	TrendSkill     string
	TrendDivision  string // "", "none" or a division's id
	TrendSkills    template.HTML
	TrendDivisions template.HTML
	TrendOf        string // what the trend is of, in words
	TrendDays      int
	Trend          []skills.GapTrendPoint
	Recent         []skills.GapTrendPoint // newest first
	PriorityChart  template.HTML
	ShortChart     template.HTML
}

// GapRowView is a row of the ranking with its rank and a link to its skill's trend.
type GapRowView struct {
	*skills.GapRow
	Rank     int
	TrendURL string
}

// CriticalityWeight is what a gap of one criticality counts for in the priority.
type CriticalityWeight struct {
	Criticality string
	Weight      float64
}

// gapTrendDays is how far back the page draws the trend.
const gapTrendDays = 365

// noDivision is the division choice of the people outside any division.
const noDivision = "none"

func (h *Handler) gaps(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	q := r.URL.Query()
	v := GapsView{Page: h.page(r, "Top skill gaps", "skills"), Criticality: skills.Criticalities, TrendDays: gapTrendDays,
		TrendSkill: q.Get("skill"), TrendDivision: q.Get("division")}
	v.Filter = gapFilter(q)
	var err error
	if v.Ranking, err = h.svc.Skills.GapRanking(ctx, actor, v.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Filter.GroupBy = v.Ranking.GroupBy
	// The trend; its choices are checked as the API checks them, so a typed address fails clearly.
	tf := skills.GapTrendFilter{SkillID: v.TrendSkill, From: core.DateOf(h.clock.Now().UTC().AddDate(0, 0, 1-gapTrendDays))}
	if v.TrendDivision == noDivision {
		tf.DivisionID = new(string)
	} else if v.TrendDivision != "" {
		tf.DivisionID = &v.TrendDivision
	}
	if v.Trend, err = h.svc.Skills.GapTrend(ctx, actor, tf); err == nil {
		err = h.svc.Skills.CheckGapTrend(ctx, tf)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}

	// The choices of both forms.
	c, err := h.svc.Org.FilterChoices(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Units = options(unitOptions(c.Units, v.Filter.OrgUnitID))
	divisionName := map[string]string{"": v.T("the whole organization"), noDivision: v.T("people outside any division")}
	divisions := []Option{{Value: noDivision, Label: v.T(skills.NoDivision), Selected: v.TrendDivision == noDivision}}
	for _, u := range c.Units {
		if u.Kind == "division" {
			divisions = append(divisions, Option{Value: u.ID, Label: u.Name, Selected: u.ID == v.TrendDivision})
			divisionName[u.ID] = u.Name
		}
	}
	if _, ok := divisionName[v.TrendDivision]; !ok {
		// A division deeper than the filter's units.
		u, err := h.svc.Org.FindUnitByID(ctx, actor, v.TrendDivision)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		divisions, divisionName[u.ID] = append(divisions, Option{Value: u.ID, Label: u.Name, Selected: true}), u.Name
	}
	v.TrendDivisions = options(divisions)
	cats, err := h.svc.Skills.FindCategories(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var copts []Option
	for _, cat := range cats {
		copts = append(copts, Option{Value: cat.ID, Label: cat.FullName, Selected: cat.ID == v.Filter.CategoryID})
	}
	v.Categories = options(copts)
	all, err := h.svc.Skills.FindSkills(ctx, actor, skills.SkillFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	skillName, known := v.T("all skills together"), v.TrendSkill == ""
	sopts := make([]Option, 0, len(all)+1)
	for _, sk := range all {
		label := sk.Name
		if sk.CategoryName != "" {
			label += " (" + sk.CategoryName + ")"
		}
		sopts = append(sopts, Option{Value: sk.ID, Label: label, Selected: sk.ID == v.TrendSkill})
		if sk.ID == v.TrendSkill {
			skillName, known = sk.Name, true
		}
	}
	if !known {
		// A retired skill keeps its history, but FindSkills lists current skills only.
		sk, err := h.svc.Skills.FindSkillByID(ctx, actor, v.TrendSkill)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		skillName, sopts = sk.Name, append(sopts, Option{Value: sk.ID, Label: sk.Name, Selected: true})
	}
	v.TrendSkills = options(sopts)
	for _, g := range skills.GapGroupings {
		v.Groupings = append(v.Groupings, Option{Value: g, Label: v.T(groupingLabels[g]), Selected: g == v.Filter.GroupBy})
	}
	v.GroupName = v.T(groupingHeadings[v.Filter.GroupBy])
	for _, crit := range skills.Criticalities {
		v.Weights = append(v.Weights, CriticalityWeight{crit, skills.Weight[crit]})
	}

	// Links: pages, rows' trends, the export. Each keeps the other form's choices.
	v.Query = url.Values{}
	for _, k := range []string{"group_by", "unit", "category", "criticality", "skill", "division"} {
		if val := q.Get(k); val != "" {
			v.Query.Set(k, val)
		}
	}
	link := func(set map[string]string, anchor string) string {
		u := url.Values{}
		for k, vals := range v.Query {
			u[k] = vals
		}
		for k, val := range set {
			if val == "" {
				u.Del(k)
			} else {
				u.Set(k, val)
			}
		}
		return "/skills/gaps?" + u.Encode() + anchor
	}
	first := max(v.Filter.Offset, 0)
	if first > 0 {
		v.PrevURL = link(map[string]string{"offset": offsetParam(max(first-core.DefaultLimit, 0))}, "")
	}
	if next := first + len(v.Ranking.Rows); next < v.Ranking.Total {
		v.NextURL = link(map[string]string{"offset": strconv.Itoa(next)}, "")
	}
	offset := offsetParam(first)
	for i, row := range v.Ranking.Rows {
		set := map[string]string{"skill": row.SkillID, "division": "", "offset": offset}
		if v.Filter.GroupBy == skills.GroupByDivision {
			set["division"] = cmp.Or(row.GroupID, noDivision)
		}
		v.Rows = append(v.Rows, GapRowView{GapRow: row, Rank: first + i + 1, TrendURL: link(set, "#trend")})
	}
	exp := url.Values{}
	for _, k := range []string{"group_by", "unit", "category", "criticality"} {
		if val := q.Get(k); val != "" {
			exp.Set(k, val)
		}
	}
	v.ExportCSV = "/skills/gaps/export?" + exp.Encode()
	if first > 0 {
		v.Query.Set("offset", strconv.Itoa(first))
	}

	// The trend's charts and its last two weeks.
	v.TrendOf = v.T("%s in %s", skillName, divisionName[v.TrendDivision])
	if len(v.Trend) >= 2 {
		var priority, short []chart.Point
		for _, p := range v.Trend {
			priority = append(priority, chart.Point{Label: p.Day.String(), Value: p.Priority})
			short = append(short, chart.Point{Label: p.Day.String(), Value: float64(p.Short)})
		}
		v.PriorityChart = chartWithID(chart.Line(v.T("Priority of %s, by day", v.TrendOf), priority), "trend-priority")
		v.ShortChart = chartWithID(chart.Line(v.T("People short of %s, by day", v.TrendOf), short), "trend-short")
	}
	v.Recent = slices.Clone(v.Trend[max(len(v.Trend)-14, 0):])
	slices.Reverse(v.Recent)
	h.render(w, r, http.StatusOK, "gaps", v)
}

// groupingLabels name the groupings in the filter; groupingHeadings head the group column.
var (
	groupingLabels   = map[string]string{skills.GroupByDivision: "Division", skills.GroupByLocation: "Location", skills.GroupByRole: "Job role", skills.GroupByOrganization: "Whole organization"}
	groupingHeadings = map[string]string{skills.GroupByDivision: "Division", skills.GroupByLocation: "Location", skills.GroupByRole: "Job role", skills.GroupByOrganization: "Group"}
)

// gapFilter reads the ranking's filter from a query; a malformed offset is the first page.
func gapFilter(q url.Values) skills.GapFilter {
	f := skills.GapFilter{GroupBy: q.Get("group_by"), OrgUnitID: q.Get("unit"), CategoryID: q.Get("category"), Criticality: q.Get("criticality")}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Offset = max(f.Offset, 0)
	return f
}

// offsetParam is the offset query value of a page: none for the first.
func offsetParam(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (h *Handler) exportGaps(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	// ExportGaps reads every row before it writes the first: errors become a page, not a file.
	h.download(w, r, "text/csv; charset=utf-8", fmt.Sprintf("skill-gaps-%s.csv", h.clock.Now().Format("2006-01-02")), func(out io.Writer) error {
		_, err := h.svc.Skills.ExportGaps(r.Context(), actor, gapFilter(r.URL.Query()), "csv", out)
		return err
	})
}

// download answers the file write produces: an error before its first byte is answered as a
// page, one after it can only be logged.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, contentType, filename string, write func(io.Writer) error) {
	out := &httpx.File{W: w, ContentType: contentType, Filename: filename}
	if err := write(out); err != nil {
		if !out.Started() {
			h.fail(w, r, err)
			return
		}
		h.log.ErrorContext(r.Context(), "download", "file", filename, "err", err)
	}
}
