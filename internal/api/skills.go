package api

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/tabular"
)

func (h *Handler) registerSkills(rt *httpx.Router) {
	rt.HandleFunc("GET /api/v1/skills", h.authed(h.findSkills))
	rt.HandleFunc("POST /api/v1/skills", h.authed(h.createSkill))
	rt.HandleFunc("GET /api/v1/skills/export", h.authed(h.exportFramework))
	rt.HandleFunc("POST /api/v1/skills/import", h.authed(h.importFile(skills.KindFramework)))
	rt.HandleFunc("GET /api/v1/skills-framework", h.authed(h.getFramework))
	rt.HandleFunc("PUT /api/v1/skills-framework", h.authed(h.putFramework))
	rt.HandleFunc("GET /api/v1/skills/{id}", h.authed(h.getSkill))
	rt.HandleFunc("PATCH /api/v1/skills/{id}", h.authed(h.patchSkill))
	rt.HandleFunc("GET /api/v1/skill-categories", h.authed(h.findCategories))
	rt.HandleFunc("POST /api/v1/skill-categories", h.authed(h.createCategory))
	rt.HandleFunc("GET /api/v1/proficiency-scale", h.authed(h.getScale))
	rt.HandleFunc("PUT /api/v1/proficiency-scale", h.authed(h.putScale))
	rt.HandleFunc("GET /api/v1/job-roles/{id}/requirements", h.authed(h.findRequirements))
	rt.HandleFunc("PUT /api/v1/job-roles/{id}/requirements/{skill_id}", h.authed(h.putRequirement))
	rt.HandleFunc("DELETE /api/v1/job-roles/{id}/requirements/{skill_id}", h.authed(h.deleteRequirement))
	rt.HandleFunc("GET /api/v1/org-units/{id}/coverage-targets", h.authed(h.findCoverageTargets))
	rt.HandleFunc("PUT /api/v1/org-units/{id}/coverage-targets/{skill_id}", h.authed(h.putCoverageTarget))
	rt.HandleFunc("POST /api/v1/ratings", h.authed(h.rate))
	rt.HandleFunc("POST /api/v1/ratings/import", h.authed(h.importFile(skills.KindMatrix)))
	rt.HandleFunc("GET /api/v1/people/{id}/ratings", h.authed(h.findRatings))
	rt.HandleFunc("GET /api/v1/people/{id}/skills", h.authed(h.personSkills))
	rt.HandleFunc("GET /api/v1/training-needs", h.authed(h.trainingNeeds))
	rt.HandleFunc("GET /api/v1/skill-gaps", h.authed(h.skillGaps))
	rt.HandleFunc("GET /api/v1/skill-gaps/trend", h.authed(h.skillGapTrend))
	rt.HandleFunc("POST /api/v1/people/{id}/self-assessment", h.authed(h.selfAssess))
	rt.HandleFunc("GET /api/v1/validations", h.authed(h.findValidations))
	rt.HandleFunc("POST /api/v1/validations", h.authed(h.validate))
}

func (h *Handler) findSkills(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	q := r.URL.Query()
	retired, err := boolParam(r, "retired")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.Skills.FindSkills(r.Context(), a, skills.SkillFilter{Query: q.Get("q"), CategoryID: q.Get("category"), Type: q.Get("type"), Retired: retired})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(list)
	httpx.WriteJSON(w, http.StatusOK, listOf(list, &n))
}

func listOf[T any](items []T, total *int) List[T] { return list(items, "", total) }

func (h *Handler) getSkill(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	sk, err := h.Skills.FindSkillByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sk)
}

func (h *Handler) createSkill(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in skills.SkillInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	sk, err := h.Skills.CreateSkill(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/skills/"+sk.ID)
	httpx.WriteJSON(w, http.StatusCreated, sk)
}

func (h *Handler) patchSkill(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	sk, err := h.Skills.FindSkillByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := skills.SkillInput{CategoryID: sk.CategoryID, Name: sk.Name, Description: sk.Description, Type: sk.Type, Aliases: sk.Aliases, Retired: sk.Retired}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if sk, err = h.Skills.UpdateSkill(r.Context(), a, sk.ID, in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sk)
}

func (h *Handler) findCategories(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	cats, err := h.Skills.FindCategories(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(cats)
	httpx.WriteJSON(w, http.StatusOK, listOf(cats, &n))
}

func (h *Handler) createCategory(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in skills.CategoryInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Skills.CreateCategory(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
}

// Scale is the body of the proficiency-scale resource.
type Scale struct {
	Levels []skills.ScaleLevel `json:"levels"`
}

func (h *Handler) getScale(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	levels, err := h.Skills.Scale(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, Scale{Levels: levels})
}

func (h *Handler) putScale(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in Scale
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Skills.SetScale(r.Context(), a, in.Levels); err != nil {
		h.fail(w, r, err)
		return
	}
	h.getScale(w, r, a)
}

func (h *Handler) findRequirements(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if _, err := h.Org.FindRoleByID(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeRequirements(w, r, a)
}

// writeRequirements answers the requirements of the role in the path.
func (h *Handler) writeRequirements(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	reqs, err := h.Skills.FindRequirements(r.Context(), a, r.PathValue("id"), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(reqs)
	httpx.WriteJSON(w, http.StatusOK, listOf(reqs, &n))
}

// RequirementBody sets one requirement.
type RequirementBody struct {
	Level       int    `json:"level"`
	Criticality string `json:"criticality"`
}

func (h *Handler) putRequirement(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in RequirementBody
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	err := h.Skills.SetRequirement(r.Context(), a, skills.RequirementInput{JobRoleID: r.PathValue("id"), SkillID: r.PathValue("skill_id"), Level: in.Level, Criticality: in.Criticality})
	if err != nil {
		h.fail(w, r, notFoundForPath(err))
		return
	}
	h.writeRequirements(w, r, a)
}

// notFoundForPath turns "unknown role/skill" about an id in the path into 404: the address, not
// the body, was wrong.
func notFoundForPath(err error) error {
	if e := core.AsError(err); e != nil && e.Code == core.EINVALID && (e.Field == "job_role_id" || e.Field == "skill_id" || e.Field == "org_unit_id") {
		return core.NotFound(strings.TrimSuffix(strings.ReplaceAll(e.Field, "_", " "), " id"))
	}
	return err
}

func (h *Handler) deleteRequirement(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Skills.DeleteRequirement(r.Context(), a, r.PathValue("id"), r.PathValue("skill_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) findCoverageTargets(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if _, err := h.Org.FindUnitByID(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCoverageTargets(w, r, a)
}

// writeCoverageTargets answers the coverage targets of the unit in the path.
func (h *Handler) writeCoverageTargets(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	targets, err := h.Skills.FindCoverageTargets(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(targets)
	httpx.WriteJSON(w, http.StatusOK, listOf(targets, &n))
}

// CoverageBody sets a coverage target.
type CoverageBody struct {
	Level     int `json:"level"`
	MinPeople int `json:"min_people"`
}

func (h *Handler) putCoverageTarget(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in CoverageBody
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	err := h.Skills.SetCoverageTarget(r.Context(), a, skills.CoverageTarget{OrgUnitID: r.PathValue("id"), SkillID: r.PathValue("skill_id"), Level: in.Level, MinPeople: in.MinPeople})
	if err != nil {
		h.fail(w, r, notFoundForPath(err))
		return
	}
	h.writeCoverageTargets(w, r, a)
}

func (h *Handler) rate(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsRate); err != nil {
		h.fail(w, r, err)
		return
	}
	var in skills.RatingInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rating, err := h.Skills.Rate(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, rating)
}

func (h *Handler) findRatings(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	ratings, err := h.Skills.FindRatings(r.Context(), a, r.PathValue("id"), r.URL.Query().Get("skill"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(ratings)
	page := listOf(ratings, &n)
	page.TotalCapped = n == skills.MaxHistory
	httpx.WriteJSON(w, http.StatusOK, page)
}

func (h *Handler) personSkills(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	prof, err := h.Skills.PersonProfile(r.Context(), a, r.PathValue("id"), r.URL.Query().Get("job_role"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, prof)
}

func (h *Handler) exportFramework(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsRead); err != nil {
		h.fail(w, r, err)
		return
	}
	h.download(w, r, fmt.Sprintf("skills-%s.csv", time.Now().UTC().Format("2006-01-02")), func(out io.Writer) error {
		_, err := h.Skills.ExportFramework(r.Context(), a, out)
		return err
	})
}

func (h *Handler) getFramework(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	f, err := h.Skills.ExportFrameworkJSON(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, f)
}

// putFramework imports a whole framework in its JSON form (see skills.ImportFrameworkJSON),
// all or nothing; dry_run=true only reports.
func (h *Handler) putFramework(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermSkillsWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	dryRun, err := boolParam(r, "dry_run")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var f skills.Framework
	if err := httpx.DecodeJSONUpTo(w, r, &f, h.MaxUpload); err != nil {
		h.fail(w, r, err)
		return
	}
	var rep *tabular.Report
	if dryRun {
		rep, err = h.Skills.PlanFrameworkJSON(r.Context(), a, &f)
	} else {
		rep, err = h.Skills.ImportFrameworkJSON(r.Context(), a, &f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.report(w, r, rep)
}
