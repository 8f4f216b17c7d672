package xapihttp

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

// document serves the State (/activities/state), Activity Profile (/activities/profile) and
// Agent Profile (/agents/profile) resources (xAPI Communication 2.3–2.6).
func (h *Handler) document(w http.ResponseWriter, r *request, kind string) error {
	scope := lrs.ScopeProfile
	if kind == lrs.StateDoc {
		scope = lrs.ScopeState
	}
	if !r.client.Can(scope) {
		return forbidden(scope)
	}
	idParam := "profileId"
	var allowed []string
	switch kind {
	case lrs.StateDoc:
		idParam = "stateId"
		allowed = []string{"activityId", "agent", "registration", "stateId", "since"}
	case lrs.ActivityProfileDoc:
		allowed = []string{"activityId", "profileId", "since"}
	default:
		allowed = []string{"agent", "profileId", "since"}
	}
	if err := params(r.query, allowed...); err != nil {
		return err
	}
	k := lrs.DocKey{Kind: kind, ID: r.query.Get(idParam)}
	if kind != lrs.AgentProfileDoc {
		k.Activity = r.query.Get("activityId")
		if k.Activity == "" {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "activityId: required"}
		}
		if !xapi.ValidIRI(k.Activity) {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "activityId: " + strconv.Quote(k.Activity) + " is not an IRI"}
		}
	}
	if kind != lrs.ActivityProfileDoc {
		a := r.query.Get("agent")
		if a == "" {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "agent: required"}
		}
		_, key, err := xapi.ParseAgent("agent", []byte(a), r.version)
		if err != nil {
			return err
		}
		if key == "" {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "agent: must be an agent or an identified group"}
		}
		k.Agent = key
	}
	k.AnyRegistration = kind == lrs.StateDoc && !r.query.Has("registration")
	if reg := r.query.Get("registration"); reg != "" {
		if !xapi.ValidUUID(reg) {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "registration: " + strconv.Quote(reg) + " is not a UUID"}
		}
		k.Registration = strings.ToLower(reg)
	}
	var since time.Time
	if v := r.query.Get("since"); v != "" {
		if k.ID != "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "since: only for listing documents (a GET without " + idParam + ")"}
		}
		t, err := xapi.ParseTimestamp(v)
		if err != nil {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "since: " + strconv.Quote(v) + " is not an ISO 8601 timestamp"}
		}
		since = t
	}
	// A PUT over an existing document needs a precondition: for profiles in 1.0.3 (Communication
	// 3.1), for every document resource in 2.0 (LRSs 4.1.4).
	pre := lrs.Precondition{IfMatch: r.header.Get("If-Match"), IfNoneMatch: r.header.Get("If-None-Match"),
		Required: kind != lrs.StateDoc || r.version == xapi.V200}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if k.ID == "" {
			ids, err := h.LRS.DocumentIDs(r.Context(), k, since)
			if err != nil {
				return err
			}
			if ids == nil {
				ids = []string{}
			}
			writeJSON(w, http.StatusOK, ids)
			return nil
		}
		d, err := h.LRS.Document(r.Context(), k)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", d.ContentType)
		w.Header().Set("ETag", `"`+d.ETag+`"`)
		w.Header().Set("Last-Modified", d.Updated.Format(http.TimeFormat))
		w.Header().Set("Content-Length", strconv.Itoa(len(d.Content)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(d.Content)
		return nil
	case http.MethodPut, http.MethodPost:
		if k.ID == "" {
			return &lrs.Error{Status: http.StatusBadRequest, Message: idParam + ": required"}
		}
		if r.Method == http.MethodPost {
			pre.Required = false // a merge is safe without a precondition
		}
		d, err := h.LRS.PutDocument(r.Context(), k, r.contentType, r.body, r.Method == http.MethodPost, pre, r.client.ID)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", `"`+d.ETag+`"`)
		w.WriteHeader(http.StatusNoContent)
		return nil
	case http.MethodDelete:
		if k.ID == "" && kind != lrs.StateDoc {
			return &lrs.Error{Status: http.StatusBadRequest, Message: idParam + ": required"}
		}
		if err := h.LRS.DeleteDocument(r.Context(), k, pre); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	w.Header().Set("Allow", "GET, HEAD, PUT, POST, DELETE")
	return &lrs.Error{Status: http.StatusMethodNotAllowed, Message: r.Method + " is not allowed on documents"}
}

// activities serves /xapi/activities: the full definition of one activity.
func (h *Handler) activities(w http.ResponseWriter, r *request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return &lrs.Error{Status: http.StatusMethodNotAllowed, Message: "the Activities resource only answers GET"}
	}
	if err := params(r.query, "activityId"); err != nil {
		return err
	}
	id := r.query.Get("activityId")
	if id == "" || !xapi.ValidIRI(id) {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "activityId: required, an IRI"}
	}
	a, err := h.LRS.Activity(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// agents serves /xapi/agents: the Person object of an agent.
func (h *Handler) agents(w http.ResponseWriter, r *request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return &lrs.Error{Status: http.StatusMethodNotAllowed, Message: "the Agents resource only answers GET"}
	}
	if err := params(r.query, "agent"); err != nil {
		return err
	}
	a := r.query.Get("agent")
	if a == "" {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "agent: required"}
	}
	tree, _, err := xapi.ParseAgent("agent", []byte(a), r.version)
	if err != nil {
		return err
	}
	p, err := h.LRS.Person(r.Context(), tree)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
