package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/skills"
)

// MatrixView is the skills matrix of a team, unit, role or location.
type MatrixView struct {
	Page
	Matrix      *skills.Matrix
	Filter      skills.MatrixFilter
	Query       url.Values
	Units       template.HTML
	Roles       template.HTML
	Categories  template.HTML
	Locations   template.HTML
	NextURL     string
	ExportXLSX  string
	ExportCSV   string
	Error       string
	MaxTeam     int
	Criticality []string
}

// matrixFilter reads the matrix filter from a query; a manager with no other choice sees
// everyone below them.
func matrixFilter(q url.Values, actor *core.Actor) skills.MatrixFilter {
	f := skills.MatrixFilter{OrgUnitID: q.Get("unit"), Below: q.Get("below"), JobRoleID: q.Get("role"), Location: q.Get("location"),
		CategoryID: q.Get("category"), Criticality: q.Get("criticality"), OnlyGaps: q.Get("gaps") == "1", SortByGap: q.Get("sort") == "gap",
		Cursor: q.Get("after")}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	if f.OrgUnitID == "" && f.Below == "" && f.JobRoleID == "" && f.Location == "" && actor.IsManager && !actor.SeesAllPeople() {
		f.Below = actor.PersonID
	}
	return f
}

func (h *Handler) matrix(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	q := r.URL.Query()
	v := MatrixView{Page: h.page(r, "Skills matrix", "skills"), Query: q, MaxTeam: skills.MaxTeam, Criticality: skills.Criticalities}
	v.Filter = matrixFilter(q, actor)
	if v.Filter.Below != "" && q.Get("below") == "" {
		q.Set("below", v.Filter.Below)
	}
	var err error
	v.Matrix, err = h.svc.Skills.Matrix(ctx, actor, v.Filter)
	if core.ErrorCode(err) == core.EINVALID {
		v.Error = core.ErrorMessage(err)
		v.Filter.SortByGap, v.Filter.OnlyGaps = false, false
		v.Matrix, err = h.svc.Skills.Matrix(ctx, actor, v.Filter)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.svc.Org.FilterChoices(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Units = options(unitOptions(c.Units, v.Filter.OrgUnitID))
	roles := []Option{}
	for _, role := range c.Roles {
		roles = append(roles, Option{Value: role.ID, Label: role.Name, Selected: role.ID == v.Filter.JobRoleID})
	}
	v.Roles = options(roles)
	var locs []Option
	for _, l := range c.Locations {
		locs = append(locs, Option{Value: l, Label: l, Selected: l == v.Filter.Location})
	}
	v.Locations = options(locs)
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
	next := url.Values{}
	for k, vals := range q {
		next[k] = vals
	}
	switch {
	case v.Matrix.NextCursor != "":
		next.Set("after", v.Matrix.NextCursor)
		v.NextURL = "/skills/matrix?" + next.Encode()
	case v.Matrix.NextOffset > 0:
		next.Set("offset", strconv.Itoa(v.Matrix.NextOffset))
		v.NextURL = "/skills/matrix?" + next.Encode()
	}
	exp := url.Values{}
	for k, vals := range q {
		if k != "after" && k != "offset" {
			exp[k] = vals
		}
	}
	exp.Set("format", "xlsx")
	v.ExportXLSX = "/skills/matrix/export?" + exp.Encode()
	exp.Set("format", "csv")
	v.ExportCSV = "/skills/matrix/export?" + exp.Encode()
	h.render(w, r, http.StatusOK, "matrix", v)
}

func (h *Handler) exportMatrix(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	format := q.Get("format")
	f := matrixFilter(q, actor)
	// Headers go out with the first byte, so errors the request itself causes are caught first.
	if _, err := h.svc.Skills.Matrix(r.Context(), actor, f); err != nil {
		h.fail(w, r, err)
		return
	}
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if ctype == "" {
		h.fail(w, r, core.Invalid("format", "choose csv or xlsx"))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="skills-matrix-%s.%s"`, h.clock.Now().Format("2006-01-02"), format))
	if _, err := h.svc.Skills.ExportMatrix(r.Context(), actor, f, format, w); err != nil {
		h.log.ErrorContext(r.Context(), "export matrix", "err", err)
	}
}

// cellClass names a matrix cell's state, for its colour; the number is always shown too.
func cellClass(c skills.MatrixCell) string {
	switch {
	case c.Required > 0 && c.Gap > 0:
		return "gap"
	case c.Required > 0:
		return "met"
	case c.Rated:
		return "extra"
	}
	return "none"
}
