package api

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/tabular"
)

func (h *Handler) findPeople(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	people, next, total, err := h.Org.FindPeople(r.Context(), a, org.PersonFilter{Query: q.Get("q"), OrgUnitID: q.Get("org_unit"),
		JobRoleID: q.Get("job_role"), Location: q.Get("location"), ManagerID: q.Get("manager"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: n})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := list(people, next, &total)
	if total > org.CountCap {
		*page.Total, page.TotalCapped = org.CountCap, true
	}
	httpx.WriteJSON(w, http.StatusOK, page)
}

func (h *Handler) getPerson(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	p, err := h.Org.FindPersonByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in org.PersonInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.Org.CreatePerson(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/people/"+p.ID)
	httpx.WriteJSON(w, http.StatusCreated, p)
}

// patchPerson changes the fields present in the body and keeps the others.
func (h *Handler) patchPerson(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermPeopleWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.Org.FindPersonByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := p.Input()
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if p, err = h.Org.UpdatePerson(r.Context(), a, p.ID, in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) exportPeople(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.download(w, r, fmt.Sprintf("people-%s.csv", time.Now().UTC().Format("2006-01-02")), func(out io.Writer) error {
		_, err := h.Org.ExportPeople(r.Context(), a, out, r.URL.Query().Get("status"))
		return err
	})
}

// importOptions reads the query parameters of an import.
func importOptions(r *http.Request) (opts importer.Options, dryRun bool, err error) {
	q := r.URL.Query()
	if dryRun, err = boolParam(r, "dry_run"); err != nil {
		return
	}
	if opts.Full, err = boolParam(r, "full"); err != nil {
		return
	}
	opts.Encoding, opts.Filename, opts.Source = q.Get("encoding"), q.Get("filename"), q.Get("source")
	if opts.Filename == "" {
		opts.Filename = "API upload"
	}
	return
}

// importFile answers an import of the kind: 200 with the report when the file is valid (applied
// unless it was a dry run), 422 problem+json with the report when it is not.
func (h *Handler) importFile(kind string) func(http.ResponseWriter, *http.Request, *core.Actor) {
	return func(w http.ResponseWriter, r *http.Request, a *core.Actor) {
		if _, err := h.Imports.Kind(a, kind); err != nil {
			h.fail(w, r, err)
			return
		}
		opts, dryRun, err := importOptions(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data, err := httpx.ReadBody(w, r, h.MaxUpload)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var rep *tabular.Report
		if dryRun {
			rep, err = h.Imports.Plan(r.Context(), a, kind, data, opts)
		} else {
			rep, err = h.Imports.Import(r.Context(), a, kind, data, opts)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.report(w, r, rep)
	}
}

// report answers with an import report: 200 when it is valid, 422 problem+json when not.
func (h *Handler) report(w http.ResponseWriter, r *http.Request, rep *tabular.Report) {
	if !rep.Valid {
		httpx.WriteProblemWith(w, r, h.Log, &core.Error{Code: core.EINVALID, Field: "body",
			Message: fmt.Sprintf("the file has %d problems; nothing was applied", rep.ProblemCount)}, rep)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
}
