package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/tna"
)

// trainingNeeds answers a training needs analysis as JSON, or as a CSV or XLSX file.
func (h *Handler) trainingNeeds(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	q := r.URL.Query()
	format := q.Get("format")
	ctype := map[string]string{"": "", "json": "", "csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	ct, ok := ctype[format]
	if !ok {
		h.fail(w, r, core.Invalid("format", "choose json, csv or xlsx"))
		return
	}
	rep, err := h.TNA.Build(r.Context(), a, tna.Filter{SurveyID: q.Get("survey"), NeedsFilter: skills.NeedsFilter{OrgUnitID: q.Get("org_unit"),
		Below: q.Get("below"), JobRoleID: q.Get("job_role"), Location: q.Get("location"), CategoryID: q.Get("category"), Criticality: q.Get("criticality")}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ct == "" {
		httpx.WriteJSON(w, http.StatusOK, rep)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="training-needs-%s.%s"`, time.Now().UTC().Format("2006-01-02"), format))
	if err := rep.Write(w, format); err != nil {
		h.Log.ErrorContext(r.Context(), "export training needs", "err", err)
	}
}
