package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tna"
)

// NeedsView is the training needs analysis of a team or unit.
type NeedsView struct {
	Page
	Report      *tna.Report
	Filter      tna.Filter
	Units       template.HTML
	Categories  template.HTML
	Surveys     template.HTML
	Criticality []string
	ExportXLSX  string
	ExportCSV   string
	MaxPeople   int
}

// needsFilter reads a report's filter from a query; like the matrix, a manager with no other
// choice gets everyone below them.
func needsFilter(q url.Values, actor *core.Actor) tna.Filter {
	m := matrixFilter(q, actor)
	return tna.Filter{NeedsFilter: skills.NeedsFilter{OrgUnitID: m.OrgUnitID, Below: m.Below, JobRoleID: m.JobRoleID, Location: m.Location,
		CategoryID: m.CategoryID, Criticality: m.Criticality}, SurveyID: q.Get("survey")}
}

func (h *Handler) needs(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	q := r.URL.Query()
	v := NeedsView{Page: h.page(r, "Training needs", "skills"), Criticality: skills.Criticalities, MaxPeople: skills.MaxNeedPeople}
	v.Filter = needsFilter(q, actor)
	var err error
	if v.Report, err = h.svc.TNA.Build(ctx, actor, v.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.svc.Org.FilterChoices(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Units = options(unitOptions(c.Units, v.Filter.OrgUnitID))
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
	if actor.Can(core.PermSurveysWrite) {
		lnas, _, err := h.svc.Surveys.FindSurveys(ctx, actor, survey.SurveyFilter{Kind: survey.KindLNA, Limit: 50})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var sopts []Option
		for _, sv := range lnas {
			if sv.Status != survey.StatusDraft {
				sopts = append(sopts, Option{Value: sv.ID, Label: sv.Title + " (" + sv.Deadline.Format("2006-01-02") + ")", Selected: sv.ID == v.Filter.SurveyID})
			}
		}
		v.Surveys = options(sopts)
	}
	exp := url.Values{}
	for k, vals := range q {
		exp[k] = vals
	}
	if v.Filter.Below != "" {
		exp.Set("below", v.Filter.Below)
	}
	exp.Set("format", "xlsx")
	v.ExportXLSX = "/skills/needs/export?" + exp.Encode()
	exp.Set("format", "csv")
	v.ExportCSV = "/skills/needs/export?" + exp.Encode()
	h.render(w, r, http.StatusOK, "needs", v)
}

func (h *Handler) exportNeeds(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	format := r.URL.Query().Get("format")
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if ctype == "" {
		h.fail(w, r, core.Invalid("format", "choose csv or xlsx"))
		return
	}
	rep, err := h.svc.TNA.Build(r.Context(), actor, needsFilter(r.URL.Query(), actor))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="training-needs-%s.%s"`, h.clock.Now().Format("2006-01-02"), format))
	if err := rep.Write(w, format); err != nil {
		h.log.ErrorContext(r.Context(), "export training needs", "err", err)
	}
}
