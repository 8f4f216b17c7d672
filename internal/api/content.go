package api

import (
	"errors"
	"mime"
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

// ContentLinkInput adds a link to an item's content: an e-learning module elsewhere, a video
// on the intranet.
type ContentLinkInput struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// addContent adds a file (multipart/form-data with the fields file and title) or a link (JSON)
// to an item.
func (h *Handler) addContent(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	itemID := r.PathValue("id")
	var c *training.Content
	var err error
	switch ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct {
	case "multipart/form-data":
		c, err = h.uploadContent(w, r, a, itemID)
	case "application/json":
		var in ContentLinkInput
		if err = httpx.DecodeJSON(w, r, &in); err == nil {
			c, err = h.Training.AddContentLink(r.Context(), a, itemID, in.Title, in.URL)
		}
	default:
		err = core.Invalid("Content-Type", "send a file as multipart/form-data, or a link as application/json")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if c.Kind == "file" {
		w.Header().Set("Location", "/api/v1/learning-items/"+itemID+"/content/"+c.ID)
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
}

// uploadContent stores the form's file. Parts beyond a small in-memory buffer wait in
// temporary files, so a large video does not sit in memory and the title may come after the
// file.
func (h *Handler) uploadContent(w http.ResponseWriter, r *http.Request, a *core.Actor, itemID string) (*training.Content, error) {
	max := h.Training.MaxUpload
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &core.Error{Code: core.ETOOLARGE, Field: "file", Message: "the file is larger than " + httpx.Bytes(max)}
		}
		return nil, core.Invalid("body", "the form could not be read: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	f, fh, err := r.FormFile("file")
	if err != nil {
		return nil, core.Invalid("file", "send the file in a form field named file")
	}
	defer f.Close()
	return h.Training.AddContentFile(r.Context(), a, itemID, r.FormValue("title"), fh.Filename, f)
}

// getContent serves an item's file with range and conditional requests. The headers keep it
// inert: the type sniffed at upload and no other (nosniff), a sandbox without scripts or
// requests of its own, no embedding by other sites, and a file name that cannot break the
// header.
func (h *Handler) getContent(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	c, f, err := h.Training.OpenContent(r.Context(), a, r.PathValue("id"), r.PathValue("content_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	httpx.ServeStored(w, r, httpx.Stored{Filename: c.Filename, ContentType: c.ContentType, ETag: c.ETag(), Inline: c.Inline, ModTime: c.CreatedAt}, f)
}

func (h *Handler) removeContent(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := h.Training.RemoveContent(r.Context(), a, r.PathValue("id"), r.PathValue("content_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
