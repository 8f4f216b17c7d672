package api

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

func (h *Handler) findItems(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	items, next, err := h.Training.FindItems(r.Context(), a, training.ItemFilter{Query: q.Get("q"), Kind: q.Get("kind"), Modality: q.Get("modality"),
		Language: q.Get("language"), SkillID: q.Get("skill_id"), Tag: q.Get("tag"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: n})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(items, next, nil))
}

func (h *Handler) getItem(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	it, err := h.Training.FindItemByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, it)
}

func (h *Handler) createItem(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.ItemInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	it, err := h.Training.CreateItem(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/learning-items/"+it.ID)
	httpx.WriteJSON(w, http.StatusCreated, it)
}

// patchItem changes the fields present in the body and keeps the others; skills and objectives
// present are replaced whole.
func (h *Handler) patchItem(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	it, err := h.Training.FindItemByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := it.Input()
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if it, err = h.Training.UpdateItem(r.Context(), a, it.ID, in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, it)
}

func (h *Handler) exportCatalog(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.download(w, r, fmt.Sprintf("catalog-%s.csv", time.Now().UTC().Format("2006-01-02")), func(out io.Writer) error {
		_, err := h.Training.ExportCatalog(r.Context(), a, out)
		return err
	})
}

// Path is a path's levels in order, each with its steps: the answer of GET and PUT on a path.
type Path struct {
	Levels []*training.PathLevel `json:"levels"`
}

func pathOf(levels []*training.PathLevel) Path {
	if levels == nil {
		levels = []*training.PathLevel{}
	}
	return Path{Levels: levels}
}

func (h *Handler) getPath(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	levels, err := h.Training.FindPathLevels(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, pathOf(levels))
}

// putPath replaces a path's levels and steps with the body.
func (h *Handler) putPath(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.PathInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	levels, err := h.Training.SetPath(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, pathOf(levels))
}

func (h *Handler) pathProgress(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	p, err := h.Training.FindPathProgress(r.Context(), a, r.PathValue("id"), r.URL.Query().Get("person_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Levels == nil {
		// A path without levels yet.
		p.Levels = []*training.LevelProgress{}
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

// ObjectiveText is an objective to classify.
type ObjectiveText struct {
	Text string `json:"text"`
}

// classifyObjective suggests a Bloom level for an objective as its author writes it.
func (h *Handler) classifyObjective(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingRead); err != nil {
		h.fail(w, r, err)
		return
	}
	var in ObjectiveText
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, bloom.Classify(in.Text))
}
