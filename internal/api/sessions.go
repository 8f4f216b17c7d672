package api

import (
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

// findSessions lists an item's sessions by start time.
func (h *Handler) findSessions(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := training.SessionFilter{ItemID: r.PathValue("id"), Status: q.Get("status"), Limit: n}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				h.fail(w, r, core.Invalid(name, "use an RFC 3339 time such as 2026-01-31T00:00:00Z"))
				return
			}
			*dst = t
		}
	}
	// An item the caller may not see has no sessions to show either.
	if _, err := h.Training.FindItemByID(r.Context(), a, f.ItemID); err != nil {
		h.fail(w, r, err)
		return
	}
	sessions, err := h.Training.FindSessions(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(sessions, "", nil))
}

func (h *Handler) getSession(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	ss, err := h.Training.FindSessionByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ss)
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.SessionInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ss, err := h.Training.CreateSession(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/sessions/"+ss.ID)
	httpx.WriteJSON(w, http.StatusCreated, ss)
}

// putSession reschedules a session; a session stays with its item, whatever item_id says.
func (h *Handler) putSession(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in training.SessionInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ss, err := h.Training.UpdateSession(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ss)
}

// Reason is the body of a change that is explained: a cancellation, a withdrawal, a revocation.
type Reason struct {
	Reason string `json:"reason"`
}

func (h *Handler) cancelSession(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	var in Reason
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ss, err := h.Training.CancelSession(r.Context(), a, r.PathValue("id"), in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ss)
}

func (h *Handler) findRegistrations(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.writeRegistrations(w, r, a, http.StatusOK)
}

// writeRegistrations answers the registrations of the session in the path the caller may see.
func (h *Handler) writeRegistrations(w http.ResponseWriter, r *http.Request, a *core.Actor, status int) {
	regs, err := h.Training.Registrations(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := len(regs)
	httpx.WriteJSON(w, status, listOf(regs, &n))
}

// register books the caller into the session: 201 with a new seat or waitlist place, 200 with
// the place they already had.
func (h *Handler) register(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingLearn); err != nil {
		h.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	had, known := h.heldRegistration(r, a, id)
	reg, err := h.Training.Register(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if !known || reg.ID == had {
		status = http.StatusOK
	}
	httpx.WriteJSON(w, status, reg)
}

// heldRegistration returns the id of the caller's seat or waitlist place in a session ("" for
// none), and whether it could be read: Register answers a place the caller already has as it
// is, and only this read before it tells a new one (see openEnrollment).
func (h *Handler) heldRegistration(r *http.Request, a *core.Actor, sessionID string) (id string, known bool) {
	if a.PersonID == "" {
		return "", false
	}
	regs, err := h.Training.Registrations(r.Context(), a, sessionID)
	if err != nil {
		return "", false
	}
	for _, reg := range regs {
		if reg.PersonID == a.PersonID && reg.Status != training.RegistrationCancelled {
			return reg.ID, true
		}
	}
	return "", true
}

// AttendanceBody marks who came to a session: person id → attended, no_show or "" to clear.
type AttendanceBody struct {
	Attendance training.AttendanceInput `json:"attendance"`
}

// markAttendance records the marks and answers the session's registrations with them.
func (h *Handler) markAttendance(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	if err := a.Require(core.PermTrainingRead); err != nil {
		h.fail(w, r, err)
		return
	}
	var in AttendanceBody
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Training.MarkAttendance(r.Context(), a, r.PathValue("id"), in.Attendance); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeRegistrations(w, r, a, http.StatusOK)
}

// cancelRegistration gives up a seat or waitlist place; the registration stays, cancelled, so
// that calendars learn of it.
func (h *Handler) cancelRegistration(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	reg, err := h.Training.CancelRegistration(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, reg)
}

// registrationCalendar answers the registration's iCalendar file: an invitation while the
// person has a place, a cancellation once they or the session do not.
func (h *Handler) registrationCalendar(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	b, mediaType, err := h.Training.RegistrationCalendar(r.Context(), a, r.PathValue("id"), h.BaseURL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := &httpx.File{W: w, ContentType: mediaType, Filename: "session.ics"}
	_, _ = out.Write(b)
}

// CalendarFeed is the address of the caller's personal calendar feed, for calendar apps to
// subscribe to.
type CalendarFeed struct {
	URL string `json:"url"`
}

func (h *Handler) myCalendar(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.feedAddress(w, r, a, false)
}

// renewCalendar makes a new feed address; the old one stops working.
func (h *Handler) renewCalendar(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	h.feedAddress(w, r, a, true)
}

func (h *Handler) feedAddress(w http.ResponseWriter, r *http.Request, a *core.Actor, renew bool) {
	u, err := h.Training.FeedAddress(r.Context(), a, h.BaseURL, renew)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, CalendarFeed{URL: u})
}
