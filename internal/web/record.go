package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/lrs"
)

// RecordView is the learning record: xAPI statements, newest first. Everyone sees their own;
// those who read the whole record filter everyone's.
type RecordView struct {
	Page
	All                                  bool
	Person, Verb, Activity, Since, Until string
	PersonName                           string
	Entries                              []lrs.Entry
	NextURL, ExportURL                   string
}

// recordFilter reads the filters of the record pages.
func (h *Handler) recordFilter(r *http.Request, actor *core.Actor, v *RecordView) (lrs.Filter, error) {
	q := r.URL.Query()
	v.Person, v.Verb, v.Activity, v.Since, v.Until = strings.TrimSpace(q.Get("person")), strings.TrimSpace(q.Get("verb")), strings.TrimSpace(q.Get("activity")), q.Get("since"), q.Get("until")
	v.All = actor.Can(core.PermXAPIRead)
	f := lrs.Filter{Verb: v.Verb, Activity: v.Activity, More: q.Get("more")}
	if v.Person != "" && v.All {
		p, err := h.svc.Org.FindPersonByEmail(r.Context(), v.Person)
		if err != nil {
			return f, core.Invalid("person", "nobody has the email %s", v.Person)
		}
		f.PersonID, v.PersonName = p.ID, p.Name()
	}
	for _, d := range []struct {
		name, s string
		dst     *time.Time
		add     time.Duration
	}{{"since", v.Since, &f.Since, 0}, {"until", v.Until, &f.Until, 24 * time.Hour}} {
		if d.s == "" {
			continue
		}
		day, err := core.ParseDate(d.s)
		if err != nil {
			return f, core.Invalid(d.name, "use dates in the form YYYY-MM-DD")
		}
		*d.dst = day.Time().Add(d.add)
	}
	return f, nil
}

func (v *RecordView) query(extra ...string) string {
	q := url.Values{}
	for k, s := range map[string]string{"person": v.Person, "verb": v.Verb, "activity": v.Activity, "since": v.Since, "until": v.Until} {
		if s != "" {
			q.Set(k, s)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q.Encode()
}

func (h *Handler) record(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v := RecordView{Page: h.page(r, "Learning record", "training")}
	f, err := h.recordFilter(r, actor, &v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	es, err := h.svc.LRS.Browse(r.Context(), actor, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Entries = es.Entries
	if es.More != "" {
		v.NextURL = "/record?" + v.query("more", es.More)
	}
	v.ExportURL = "/record/export?" + v.query()
	h.render(w, r, http.StatusOK, "record", v)
}

// exportRecord streams the filtered statements as JSON lines, oldest first.
func (h *Handler) exportRecord(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	var v RecordView
	f, err := h.recordFilter(r, actor, &v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.More = ""
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="learning-record-%s.jsonl"`, h.clock.Now().Format("2006-01-02")))
	if _, err := h.svc.LRS.Export(r.Context(), actor, f, w); err != nil {
		h.log.WarnContext(r.Context(), "export learning record", "err", err)
	}
}

// LRSClientsView lists the LRS clients and creates them, and the mappings of other tools'
// activities to learning items.
type LRSClientsView struct {
	FormView
	Clients     []*lrs.Client
	Mappings    []*lrs.Mapping
	Scopes      []string
	Key, Secret string
	Endpoint    string
}

func (h *Handler) lrsClientsView(r *http.Request, actor *core.Actor) (LRSClientsView, error) {
	v := LRSClientsView{FormView: h.form(r, "LRS clients", "admin"), Scopes: lrs.Scopes, Endpoint: strings.TrimRight(h.cfg.BaseURL, "/") + "/xapi"}
	var err error
	if v.Clients, err = h.svc.LRS.Clients(r.Context(), actor); err != nil {
		return v, err
	}
	v.Mappings, err = h.svc.LRS.Mappings(r.Context(), actor)
	return v, err
}

func (h *Handler) createMapping(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	m, err := h.svc.LRS.Map(r.Context(), actor, r.PostFormValue("activity_id"), r.PostFormValue("item"))
	if err != nil {
		if core.ErrorCode(err) != core.EINVALID {
			h.fail(w, r, err)
			return
		}
		v, verr := h.lrsClientsView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.setError(err)
		v.Values["activity_id"], v.Values["item"] = r.PostFormValue("activity_id"), r.PostFormValue("item")
		h.render(w, r, http.StatusUnprocessableEntity, "lrs_clients", v)
		return
	}
	h.redirect(w, r, "/admin/lrs", "Statements about %s now complete %q (%d completions recorded from earlier statements).", m.ActivityID, m.ItemTitle, m.Applied)
}

func (h *Handler) deleteMapping(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.LRS.Unmap(r.Context(), actor, r.PostFormValue("activity_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/admin/lrs", "The mapping was removed; the completions it recorded stay.")
}

func (h *Handler) lrsClients(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.lrsClientsView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "lrs_clients", v)
}

// createLRSClient shows the new client's secret once, on the answer to the form.
func (h *Handler) createLRSClient(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	in := lrs.NewClient{Name: r.PostFormValue("name"), Scopes: r.PostForm["scope"]}
	c, secret, formErr := h.svc.LRS.CreateClient(r.Context(), actor, in)
	v, err := h.lrsClientsView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if formErr != nil {
		if core.ErrorCode(formErr) != core.EINVALID {
			h.fail(w, r, formErr)
			return
		}
		v.setError(formErr)
		v.Values["name"] = in.Name
		status = http.StatusUnprocessableEntity
	} else {
		v.Key, v.Secret = c.Key, secret
	}
	h.render(w, r, status, "lrs_clients", v)
}

func (h *Handler) revokeLRSClient(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.LRS.RevokeClient(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/admin/lrs", "The client was revoked; its credentials no longer work.")
}
