package web

import (
	"net/http"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
)

// OrgView is the org-unit tree, and one unit's detail when a unit is chosen.
type OrgView struct {
	FormView
	Units    []*org.OrgUnit // shown in the tree and offered as parents
	Folded   bool           // a large tree shows its upper levels only
	Unit     *org.OrgUnit
	Path     []*org.OrgUnit // the chosen unit's ancestors, from the top
	Children []*org.OrgUnit
	People   []*org.Person
	Total    int
	Kinds    []string
}

// maxTreeUnits is the most units the org chart lists at once; a larger organization shows its
// company, divisions and departments, and each unit's page lists the units below it.
const maxTreeUnits = 300

func (h *Handler) orgView(r *http.Request, actor *core.Actor, unitID string) (OrgView, error) {
	v := OrgView{FormView: h.form(r, "Organization", "org"), Kinds: org.UnitKinds}
	all, err := h.svc.Org.FindUnits(r.Context(), actor)
	if err != nil {
		return v, err
	}
	v.Units = all
	if len(all) > maxTreeUnits {
		v.Folded, v.Units = true, nil
		for _, u := range all {
			if u.Depth() <= 2 || u.ID == unitID {
				v.Units = append(v.Units, u)
			}
		}
	}
	if unitID == "" {
		return v, nil
	}
	byID := map[string]*org.OrgUnit{}
	for _, u := range all {
		byID[u.ID] = u
	}
	v.Unit = byID[unitID]
	if v.Unit == nil {
		return v, core.NotFound("org unit")
	}
	v.Title = v.Unit.Name
	for p := byID[v.Unit.ParentID]; p != nil; p = byID[p.ParentID] {
		v.Path = append([]*org.OrgUnit{p}, v.Path...)
	}
	for _, u := range all {
		if u.ParentID == unitID {
			v.Children = append(v.Children, u)
		}
	}
	v.People, _, v.Total, err = h.svc.Org.FindPeople(r.Context(), actor, org.PersonFilter{OrgUnitID: unitID, Limit: 25})
	v.Values = map[string]string{"code": v.Unit.Code, "name": v.Unit.Name, "kind": v.Unit.Kind, "parent_id": v.Unit.ParentID}
	return v, err
}

func (h *Handler) orgTree(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.orgView(r, actor, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "org", v)
}

func (h *Handler) unit(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.orgView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "org", v)
}

func unitInput(r *http.Request) org.UnitInput {
	return org.UnitInput{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), ParentID: r.PostFormValue("parent_id")}
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := unitInput(r)
	u, err := h.svc.Org.CreateUnit(r.Context(), actor, in)
	if err != nil {
		v, verr := h.orgView(r, actor, in.ParentID)
		if verr != nil {
			v, _ = h.orgView(r, actor, "")
		}
		v.Values = map[string]string{"new_code": in.Code, "new_name": in.Name, "new_kind": in.Kind, "parent_id": in.ParentID}
		h.formError(w, r, prefixFields(err, "new_"), "org", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/org/units/"+u.ID, "Created %q.", u.Name)
}

// prefixFields renames the fields of a validation error, for pages with two forms.
func prefixFields(err error, prefix string) error {
	e := core.AsError(err)
	if e == nil {
		return err
	}
	out := &core.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{}}
	if e.Field != "" {
		out.Field = prefix + e.Field
	}
	for f, m := range e.Fields {
		out.Fields[prefix+f] = m
	}
	if len(out.Fields) == 0 && out.Field != "" {
		out.Fields[out.Field] = e.Message
	}
	return out
}

func (h *Handler) updateUnit(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := unitInput(r)
	u, err := h.svc.Org.UpdateUnit(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		v, verr := h.orgView(r, actor, r.PathValue("id"))
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"code": in.Code, "name": in.Name, "kind": in.Kind, "parent_id": in.ParentID}
		h.formError(w, r, err, "org", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/org/units/"+u.ID, "Saved.")
}

func (h *Handler) deleteUnit(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	u, err := h.svc.Org.FindUnitByID(r.Context(), actor, id)
	if err == nil {
		err = h.svc.Org.DeleteUnit(r.Context(), actor, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to := "/org"
	if u.ParentID != "" {
		to = "/org/units/" + u.ParentID
	}
	h.redirect(w, r, to, "Deleted %q.", u.Name)
}

func (h *Handler) exportUnits(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	var b strings.Builder
	if _, err := h.svc.Org.ExportUnits(r.Context(), actor, &b); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="org-units.csv"`)
	_, _ = w.Write([]byte(b.String()))
}

// RolesView lists job roles.
type RolesView struct {
	FormView
	Roles []*org.JobRole
	Edit  string
}

func (h *Handler) rolesView(r *http.Request, actor *core.Actor) (RolesView, error) {
	v := RolesView{FormView: h.form(r, "Job roles", "org")}
	var err error
	v.Roles, err = h.svc.Org.FindRoles(r.Context(), actor)
	return v, err
}

func (h *Handler) roles(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.rolesView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "roles", v)
}

func (h *Handler) createRole(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := org.RoleInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if _, err := h.svc.Org.CreateRole(r.Context(), actor, in); err != nil {
		v, verr := h.rolesView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values = map[string]string{"name": in.Name, "description": in.Description}
		h.formError(w, r, err, "roles", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/org/roles", "Created %q.", in.Name)
}

func (h *Handler) updateRole(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := org.RoleInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if _, err := h.svc.Org.UpdateRole(r.Context(), actor, r.PathValue("id"), in); err != nil {
		v, verr := h.rolesView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Edit = r.PathValue("id")
		v.Values = map[string]string{"edit_name": in.Name, "edit_description": in.Description}
		h.formError(w, r, prefixFields(err, "edit_"), "roles", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/org/roles", "Saved.")
}

func (h *Handler) deleteRole(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Org.DeleteRole(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/org/roles", "The job role was deleted.")
}
