package api

import (
	"bytes"
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/org"
)

func (h *Handler) findUnits(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	units, err := h.Org.FindUnits(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(units)
	httpx.WriteJSON(w, http.StatusOK, list(units, "", &n))
}

func (h *Handler) getUnit(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	u, err := h.Org.FindUnitByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in org.UnitInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.Org.CreateUnit(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/org-units/"+u.ID)
	httpx.WriteJSON(w, http.StatusCreated, u)
}

func (h *Handler) patchUnit(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.Org.FindUnitByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := org.UnitInput{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentID: u.ParentID}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if u, err = h.Org.UpdateUnit(r.Context(), a, u.ID, in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (h *Handler) deleteUnit(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Org.DeleteUnit(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) exportUnits(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	// Collected before any header is written, so an error can still become a problem answer.
	var buf bytes.Buffer
	if _, err := h.Org.ExportUnits(r.Context(), a, &buf); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="org-units.csv"`)
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) findRoles(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	roles, err := h.Org.FindRoles(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(roles)
	httpx.WriteJSON(w, http.StatusOK, list(roles, "", &n))
}

func (h *Handler) getRole(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	role, err := h.Org.FindRoleByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, role)
}

func (h *Handler) createRole(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in org.RoleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	role, err := h.Org.CreateRole(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/job-roles/"+role.ID)
	httpx.WriteJSON(w, http.StatusCreated, role)
}

func (h *Handler) patchRole(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	role, err := h.Org.FindRoleByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := org.RoleInput{Name: role.Name, Description: role.Description}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if role, err = h.Org.UpdateRole(r.Context(), a, role.ID, in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, role)
}

func (h *Handler) deleteRole(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Org.DeleteRole(r.Context(), a, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
