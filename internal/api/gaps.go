package api

import (
	"io"
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/skills"
)

// GapRankingPage is the answer of GET /skill-gaps: a page of the organization's skill gaps,
// highest priority first.
type GapRankingPage struct {
	Items []*skills.GapRow `json:"items"`
	// Total counts the rows of every page; NextOffset is the offset of the next page, absent on
	// the last.
	Total      int    `json:"total"`
	NextOffset int    `json:"next_offset,omitempty"`
	GroupBy    string `json:"group_by"`
	// AsOf is when the figures were last brought up to date, null before the first time.
	AsOf *time.Time `json:"as_of"`
}

// noDivision is the division parameter of the people outside any division.
const noDivision = "none"

// skillGaps answers a page of the gap ranking as JSON, or every row of it as CSV.
func (h *Handler) skillGaps(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		h.fail(w, r, core.Invalid("format", "choose json or csv"))
		return
	}
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	off, err := offset(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := skills.GapFilter{GroupBy: q.Get("group_by"), OrgUnitID: q.Get("org_unit"), CategoryID: q.Get("category"), Criticality: q.Get("criticality"),
		Limit: n, Offset: off}
	if format == "csv" {
		// Every row, whatever the page; ExportGaps reads them all before it writes, so an error is
		// still a problem answer.
		h.download(w, r, "skill-gaps-"+time.Now().UTC().Format("2006-01-02")+".csv", func(out io.Writer) error {
			_, err := h.Skills.ExportGaps(r.Context(), a, f, "csv", out)
			return err
		})
		return
	}
	rk, err := h.Skills.GapRanking(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := GapRankingPage{Items: rk.Rows, Total: rk.Total, GroupBy: rk.GroupBy}
	if next := off + len(rk.Rows); len(rk.Rows) > 0 && next < rk.Total {
		page.NextOffset = next
	}
	if !rk.AsOf.IsZero() {
		page.AsOf = &rk.AsOf
	}
	httpx.WriteJSON(w, http.StatusOK, page)
}

// skillGapTrend answers the daily history of a skill's gaps, or of all skills together, in the
// organization or one division.
func (h *Handler) skillGapTrend(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	q := r.URL.Query()
	f := skills.GapTrendFilter{SkillID: q.Get("skill")}
	switch d := q.Get("division"); d {
	case "":
	case noDivision:
		f.DivisionID = new(string)
	default:
		f.DivisionID = &d
	}
	for _, d := range []struct {
		name string
		dst  *core.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := q.Get(d.name); s != "" {
			day, err := core.ParseDate(s)
			if err != nil {
				h.fail(w, r, core.Invalid(d.name, "use a date in the form YYYY-MM-DD"))
				return
			}
			*d.dst = day
		}
	}
	// Who may ask comes first; what GapTrend answers with an empty series is then checked.
	points, err := h.Skills.GapTrend(r.Context(), a, f)
	if err == nil {
		err = h.Skills.CheckGapTrend(r.Context(), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	total := len(points)
	httpx.WriteJSON(w, http.StatusOK, listOf(points, &total))
}

// download answers the CSV file write produces: an error before its first byte is answered as a
// problem, one after it can only be logged.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, filename string, write func(io.Writer) error) {
	h.downloadAs(w, r, "text/csv; charset=utf-8", filename, write)
}

// downloadAs is download for a file of any type.
func (h *Handler) downloadAs(w http.ResponseWriter, r *http.Request, contentType, filename string, write func(io.Writer) error) {
	out := &httpx.File{W: w, ContentType: contentType, Filename: filename}
	if err := write(out); err != nil {
		if !out.Started() {
			h.fail(w, r, err)
			return
		}
		h.Log.ErrorContext(r.Context(), "download", "file", filename, "err", err)
	}
}
