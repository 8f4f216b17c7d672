package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/skills"
)

// AssessView is the self-assessment form: the skills the person's role requires (and any they
// assessed before), each with the scale.
type AssessView struct {
	FormView
	Profile *skills.Profile
	Scale   []skills.ScaleLevel
	Chosen  map[string]int // skill → level chosen (the latest self level, or what was sent)
}

func (h *Handler) assessView(r *http.Request, actor *core.Actor) (AssessView, error) {
	v := AssessView{FormView: h.form(r, "Assess yourself", "skills"), Chosen: map[string]int{}}
	var err error
	if v.Profile, err = h.svc.Skills.PersonProfile(r.Context(), actor, actor.PersonID, ""); err != nil {
		return v, err
	}
	if v.Scale, err = h.svc.Skills.Scale(r.Context(), actor); err != nil {
		return v, err
	}
	for _, ps := range v.Profile.Skills {
		if ps.SelfLevel != nil {
			v.Chosen[ps.SkillID] = *ps.SelfLevel
		}
	}
	return v, nil
}

func (h *Handler) assessForm(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.assessView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "assess", v)
}

// assess records the self-assessment: one radio group per skill, named level-<skill id>.
func (h *Handler) assess(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.assessView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var levels []skills.AssessedLevel
	for _, ps := range v.Profile.Skills {
		raw := r.PostFormValue("level-" + ps.SkillID)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Errors["level-"+ps.SkillID] = v.T("Choose a level.")
			continue
		}
		v.Chosen[ps.SkillID] = n
		levels = append(levels, skills.AssessedLevel{SkillID: ps.SkillID, Level: n})
	}
	v.Values["note"] = r.PostFormValue("note")
	if len(v.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, "assess", v)
		return
	}
	n, err := h.svc.Skills.SelfAssess(r.Context(), actor, actor.PersonID, levels, r.PostFormValue("note"))
	if err != nil {
		h.formError(w, r, err, "assess", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/skills", "Your self-assessment is saved: %d levels recorded. Your manager will confirm or adjust them.", n)
}

// ValidateView lists the self-assessed levels of the viewer's reports that wait for them.
type ValidateView struct {
	FormView
	Pending []*skills.Validation
	Scale   []skills.ScaleLevel
	Person  string
}

func (h *Handler) validateView(r *http.Request, actor *core.Actor) (ValidateView, error) {
	v := ValidateView{FormView: h.form(r, "Self-assessments to validate", "skills"), Person: r.URL.Query().Get("person")}
	var err error
	if v.Pending, err = h.svc.Skills.PendingValidations(r.Context(), actor, v.Person); err != nil {
		return v, err
	}
	v.Scale, err = h.svc.Skills.Scale(r.Context(), actor)
	return v, err
}

func (h *Handler) validations(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.validateView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "validate", v)
}

// validate records the manager's levels for the checked rows: each row sends item=<person>:<skill>
// and level-<person>:<skill>.
func (h *Handler) validate(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	var items []skills.AssessedLevel
	for _, key := range r.PostForm["item"] {
		person, skill, ok := strings.Cut(key, ":")
		n, err := strconv.Atoi(r.PostFormValue("level-" + key))
		if !ok || err != nil {
			h.fail(w, r, core.Invalid("level", "choose a level for every checked row"))
			return
		}
		items = append(items, skills.AssessedLevel{PersonID: person, SkillID: skill, Level: n})
	}
	if len(items) == 0 {
		h.redirect(w, r, back(r, "/skills/validate"), "Nothing was checked, so nothing was recorded.")
		return
	}
	n, err := h.svc.Skills.Validate(r.Context(), actor, items, r.PostFormValue("note"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	target := "/skills/validate"
	if p := r.PostFormValue("person"); p != "" {
		target += "?" + url.Values{"person": {p}}.Encode()
	}
	h.redirect(w, r, target, "%d levels recorded as their manager's rating.", n)
}
