package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/chart"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// PersonSkillsView is a person's skills against a role, with the forms to rate them.
type PersonSkillsView struct {
	FormView
	Person    *org.Person
	Profile   *skills.Profile
	Chart     template.HTML
	Scale     []skills.ScaleLevel
	History   []*skills.Rating
	Self      bool
	IsManager bool // the viewer manages this person
	CanRecord bool // the viewer may record tests and certifications
	SkillList template.HTML
	RoleList  template.HTML
	Readiness int // percent
	Sources   []string
	TopLevel  int
}

func (h *Handler) mySkills(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.personSkills(w, r, actor, actor.PersonID)
}

func (h *Handler) personSkillsPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.personSkills(w, r, actor, r.PathValue("id"))
}

func (h *Handler) personSkillsView(r *http.Request, actor *core.Actor, personID string) (PersonSkillsView, error) {
	ctx := r.Context()
	v := PersonSkillsView{FormView: h.form(r, "Skills", "skills")}
	p, err := h.svc.Org.FindPersonByID(ctx, actor, personID)
	if err != nil {
		return v, err
	}
	v.Person, v.Self = p, p.ID == actor.PersonID
	v.IsManager = !v.Self && actor.PersonID != "" && strings.Contains(p.ReportsPath, "/"+actor.PersonID+"/")
	v.CanRecord = actor.Can(core.PermSkillsWrite)
	if !v.Self {
		v.Title = v.T("Skills of %s", p.Name())
	}
	if v.Profile, err = h.svc.Skills.PersonProfile(ctx, actor, p.ID, r.URL.Query().Get("role")); err != nil {
		return v, err
	}
	v.Readiness = int(v.Profile.Readiness*100 + 0.5)
	if v.Scale, err = h.svc.Skills.Scale(ctx, actor); err != nil {
		return v, err
	}
	v.TopLevel = v.Scale[len(v.Scale)-1].Level
	var bars []chart.Bar
	for _, s := range v.Profile.Skills {
		if s.Required > 0 && len(bars) < 15 {
			bars = append(bars, chart.Bar{Label: s.SkillName, Value: s.Level, Target: float64(s.Required)})
		}
	}
	if len(bars) > 0 {
		v.Chart = chart.Bars(v.T("Current level against the level %s needs", v.Profile.JobRole), bars, float64(v.TopLevel))
	}
	if v.History, err = h.svc.Skills.FindRatings(ctx, actor, p.ID, ""); err != nil {
		return v, err
	}
	all, err := h.svc.Skills.FindSkills(ctx, actor, skills.SkillFilter{})
	if err != nil {
		return v, err
	}
	opts := make([]Option, 0, len(all))
	for _, s := range all {
		label := s.Name
		if s.CategoryName != "" {
			label += " (" + s.CategoryName + ")"
		}
		opts = append(opts, Option{Value: s.ID, Label: label})
	}
	v.SkillList = options(opts)
	roles, err := h.svc.Org.RoleOptions(ctx, actor)
	if err != nil {
		return v, err
	}
	ropts := []Option{{Value: "", Label: v.T("Their own role")}}
	for _, role := range roles {
		ropts = append(ropts, Option{Value: role.ID, Label: role.Name, Selected: role.ID == r.URL.Query().Get("role")})
	}
	v.RoleList = options(ropts)
	switch {
	case v.Self:
		v.Sources = []string{skills.SourceSelf}
	case v.IsManager:
		v.Sources = []string{skills.SourceManager, skills.SourcePeer}
	default:
		v.Sources = []string{skills.SourcePeer}
	}
	if v.CanRecord {
		v.Sources = append(v.Sources, skills.SourceTest, skills.SourceCertification, skills.SourceActivity)
	}
	return v, nil
}

func (h *Handler) personSkills(w http.ResponseWriter, r *http.Request, actor *core.Actor, personID string) {
	v, err := h.personSkillsView(r, actor, personID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "person_skills", v)
}

// rateSkill records a rating from the form on a person's skills page.
func (h *Handler) rateSkill(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	personID := r.PathValue("id")
	level, err := strconv.Atoi(r.PostFormValue("level"))
	in := skills.RatingInput{PersonID: personID, SkillID: r.PostFormValue("skill_id"), Level: level, Source: r.PostFormValue("source"),
		Note: r.PostFormValue("note"), EvidenceURL: r.PostFormValue("evidence_url")}
	if err == nil {
		_, err = h.svc.Skills.Rate(r.Context(), actor, in)
	} else {
		err = core.Invalid("level", "choose a level")
	}
	if err != nil {
		if c := core.ErrorCode(err); c != core.EINVALID {
			h.fail(w, r, err)
			return
		}
		v, verr := h.personSkillsView(r, actor, personID)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"skill_id": in.SkillID, "level": r.PostFormValue("level"), "source": in.Source, "note": in.Note, "evidence_url": in.EvidenceURL}
		v.setError(err)
		h.render(w, r, http.StatusUnprocessableEntity, "person_skills", v)
		return
	}
	to := "/people/" + personID + "/skills"
	if personID == actor.PersonID {
		to = "/skills"
	}
	h.redirect(w, r, to, "Saved. The current level now counts this rating.")
}

// FrameworkView lists the skills framework.
type FrameworkView struct {
	FormView
	Categories   []*skills.Category
	Skills       []*skills.Skill
	Query        string
	Category     string
	Types        []string
	CategoryList template.HTML
}

func (h *Handler) frameworkView(r *http.Request, actor *core.Actor) (FrameworkView, error) {
	q := r.URL.Query()
	v := FrameworkView{FormView: h.form(r, "Skills framework", "skills"), Query: q.Get("q"), Category: q.Get("category"), Types: skills.Types}
	var err error
	if v.Categories, err = h.svc.Skills.FindCategories(r.Context(), actor); err != nil {
		return v, err
	}
	if v.Skills, err = h.svc.Skills.FindSkills(r.Context(), actor, skills.SkillFilter{Query: v.Query, CategoryID: v.Category}); err != nil {
		return v, err
	}
	opts := []Option{{Value: "", Label: v.T("None")}}
	for _, c := range v.Categories {
		opts = append(opts, Option{Value: c.ID, Label: c.FullName})
	}
	v.CategoryList = options(opts)
	return v, nil
}

func (h *Handler) framework(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.frameworkView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "framework", v)
}

func (h *Handler) createCategory(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := skills.CategoryInput{Name: r.PostFormValue("name"), ParentID: r.PostFormValue("parent_id")}
	if _, err := h.svc.Skills.CreateCategory(r.Context(), actor, in); err != nil {
		v, verr := h.frameworkView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"category_name": in.Name}
		h.formError(w, r, prefixFields(err, "category_"), "framework", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/skills/framework", "Created %q.", in.Name)
}

func skillInput(r *http.Request) skills.SkillInput {
	return skills.SkillInput{Name: r.PostFormValue("name"), CategoryID: r.PostFormValue("category_id"), Type: r.PostFormValue("type"),
		Description: r.PostFormValue("description"), Aliases: strings.Split(r.PostFormValue("aliases"), ";"), Retired: r.PostFormValue("retired") == "on"}
}

func (h *Handler) createSkill(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := skillInput(r)
	sk, err := h.svc.Skills.CreateSkill(r.Context(), actor, in)
	if err != nil {
		v, verr := h.frameworkView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"name": in.Name, "type": in.Type, "description": in.Description, "aliases": r.PostFormValue("aliases")}
		h.formError(w, r, err, "framework", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/skills/framework/"+sk.ID, "Created %q.", sk.Name)
}

// SkillView is one skill: what it is and which roles need it.
type SkillView struct {
	FormView
	Skill        *skills.Skill
	Requirements []*skills.Requirement
	Types        []string
	CategoryList template.HTML
}

func (h *Handler) skillView(r *http.Request, actor *core.Actor, id string) (SkillView, error) {
	v := SkillView{FormView: h.form(r, "Skill", "skills"), Types: skills.Types}
	var err error
	if v.Skill, err = h.svc.Skills.FindSkillByID(r.Context(), actor, id); err != nil {
		return v, err
	}
	v.Title = v.Skill.Name
	if v.Requirements, err = h.svc.Skills.FindRequirements(r.Context(), actor, "", id); err != nil {
		return v, err
	}
	cats, err := h.svc.Skills.FindCategories(r.Context(), actor)
	if err != nil {
		return v, err
	}
	opts := []Option{{Value: "", Label: v.T("None")}}
	for _, c := range cats {
		opts = append(opts, Option{Value: c.ID, Label: c.FullName, Selected: c.ID == v.Skill.CategoryID})
	}
	v.CategoryList = options(opts)
	v.Values = map[string]string{"name": v.Skill.Name, "type": v.Skill.Type, "description": v.Skill.Description, "aliases": strings.Join(v.Skill.Aliases, "; ")}
	if v.Skill.Retired {
		v.Values["retired"] = "on"
	}
	return v, nil
}

func (h *Handler) skill(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.skillView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "skill", v)
}

func (h *Handler) updateSkill(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	in := skillInput(r)
	if _, err := h.svc.Skills.UpdateSkill(r.Context(), actor, id, in); err != nil {
		v, verr := h.skillView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"name": in.Name, "type": in.Type, "description": in.Description, "aliases": r.PostFormValue("aliases")}
		h.formError(w, r, err, "skill", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/skills/framework/"+id, "Saved.")
}

// RoleView is a job role with its skill requirements.
type RoleView struct {
	FormView
	Role          *org.JobRole
	Requirements  []*skills.Requirement
	SkillList     template.HTML
	Scale         []skills.ScaleLevel
	Criticalities []string
}

func (h *Handler) roleView(r *http.Request, actor *core.Actor, id string) (RoleView, error) {
	v := RoleView{FormView: h.form(r, "Job role", "org"), Criticalities: skills.Criticalities}
	var err error
	if v.Role, err = h.svc.Org.FindRoleByID(r.Context(), actor, id); err != nil {
		return v, err
	}
	v.Title = v.Role.Name
	if v.Requirements, err = h.svc.Skills.FindRequirements(r.Context(), actor, id, ""); err != nil {
		return v, err
	}
	if v.Scale, err = h.svc.Skills.Scale(r.Context(), actor); err != nil {
		return v, err
	}
	all, err := h.svc.Skills.FindSkills(r.Context(), actor, skills.SkillFilter{})
	if err != nil {
		return v, err
	}
	opts := make([]Option, len(all))
	for i, s := range all {
		opts[i] = Option{Value: s.ID, Label: s.Name}
	}
	v.SkillList = options(opts)
	return v, nil
}

func (h *Handler) role(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.roleView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "role", v)
}

func (h *Handler) setRequirement(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	in := skills.RequirementInput{JobRoleID: id, SkillID: r.PostFormValue("skill_id"), Level: level, Criticality: r.PostFormValue("criticality")}
	if err := h.svc.Skills.SetRequirement(r.Context(), actor, in); err != nil {
		v, verr := h.roleView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, err, "role", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/org/roles/"+id, "Saved.")
}

func (h *Handler) deleteRequirement(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	if err := h.svc.Skills.DeleteRequirement(r.Context(), actor, id, r.PathValue("skill")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/org/roles/"+id, "The requirement was removed.")
}

// levelName shows a level with its name from the scale ("3 · Independent").
func levelName(scale []skills.ScaleLevel, level int) string {
	for _, l := range scale {
		if l.Level == level {
			return fmt.Sprintf("%d · %s", level, l.Name)
		}
	}
	return strconv.Itoa(level)
}
