package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
)

func (h *Handler) findCertificates(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	certs, err := h.Training.FindCertificates(r.Context(), a, r.URL.Query().Get("person_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(certs)
	httpx.WriteJSON(w, http.StatusOK, listOf(certs, &n))
}

func (h *Handler) getCertificate(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	c, err := h.Training.FindCertificateByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, c)
}

func (h *Handler) certificatePDF(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	c, b, err := h.Training.CertificatePDF(r.Context(), a, r.PathValue("id"), h.BaseURL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := &httpx.File{W: w, ContentType: "application/pdf", Filename: "certificate-" + c.Number + ".pdf"}
	_, _ = out.Write(b)
}

func (h *Handler) revokeCertificate(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in Reason
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Training.RevokeCertificate(r.Context(), a, r.PathValue("id"), in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, c)
}

// verifyCertificate answers whether the certificate with this verification code is genuine and
// valid, to anyone: the code is the secret, and the answer names only the holder and what they
// completed.
func (h *Handler) verifyCertificate(w http.ResponseWriter, r *http.Request) {
	v, err := h.Training.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}
