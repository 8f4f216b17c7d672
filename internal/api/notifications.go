package api

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/notify"
)

// Notifications are the caller's latest notifications, newest first, with how many of all
// their notifications are unread.
type Notifications struct {
	Items  []*notify.Notification `json:"items"`
	Unread int                    `json:"unread"`
}

func (h *Handler) myNotifications(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, unread, err := h.Notify.Recent(r.Context(), a, n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if items == nil {
		items = []*notify.Notification{}
	}
	httpx.WriteJSON(w, http.StatusOK, Notifications{Items: items, Unread: unread})
}

// NotificationRead marks one notification read, or all of them without an id.
type NotificationRead struct {
	ID string `json:"id"`
}

func (h *Handler) readNotifications(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	var in NotificationRead
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Notify.MarkRead(r.Context(), a, in.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
