package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/ical"
	"github.com/learnloop/learnloop/internal/training"
)

func (h *Handler) registerSessions(rt *httpx.Router) {
	rt.HandleFunc("POST /training/items/{id}/sessions", h.signedIn(h.createSession))
	rt.HandleFunc("GET /training/sessions/{id}", h.signedIn(h.sessionPage))
	rt.HandleFunc("POST /training/sessions/{id}", h.signedIn(h.updateSession))
	rt.HandleFunc("POST /training/sessions/{id}/cancel", h.signedIn(h.cancelSession))
	rt.HandleFunc("POST /training/sessions/{id}/register", h.signedIn(h.register))
	rt.HandleFunc("POST /training/sessions/{id}/attendance", h.signedIn(h.markAttendance))
	rt.HandleFunc("POST /training/registrations/{id}/cancel", h.signedIn(h.cancelRegistration))
	rt.HandleFunc("GET /training/registrations/{id}/calendar.ics", h.signedIn(h.registrationCalendar))
	rt.HandleFunc("GET /training/calendar", h.signedIn(h.calendarPage))
	rt.HandleFunc("POST /training/calendar", h.signedIn(h.renewCalendar))
	rt.HandleFunc("GET /calendar/{token}", h.calendarFeed)
}

// readSession reads the session form: times in the session's own zone.
func readSession(r *http.Request, itemID string) (training.SessionInput, error) {
	f := r.PostFormValue
	in := training.SessionInput{ItemID: itemID, TimeZone: strings.TrimSpace(f("time_zone")), Location: f("location"), OnlineURL: f("online_url"),
		InstructorID: f("instructor_id")}
	var v core.Validation
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil || in.TimeZone == "" {
		loc = time.UTC
	}
	parse := func(field string, required bool) *time.Time {
		s := strings.TrimSpace(f(field))
		if s == "" {
			if required {
				v.Add(field, "enter a date and time")
			}
			return nil
		}
		for _, layout := range []string{localInput, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return &t
			}
		}
		v.Add(field, "use the form YYYY-MM-DD HH:MM")
		return nil
	}
	if t := parse("starts_at", true); t != nil {
		in.StartsAt = *t
	}
	if t := parse("ends_at", true); t != nil {
		in.EndsAt = *t
	}
	in.RegistrationDeadline = parse("registration_deadline", false)
	n, err := strconv.Atoi(strings.TrimSpace(f("capacity")))
	if err != nil {
		v.Add("capacity", "enter the number of seats")
	}
	in.Capacity = n
	if err := v.Err(); err != nil {
		return in, err
	}
	return in, nil
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.itemAction(w, r, actor, id, func() (string, error) {
		in, err := readSession(r, id)
		if err != nil {
			return "", err
		}
		if in.InstructorID != "" && !core.ValidID(in.InstructorID) {
			p, err := h.svc.Org.FindPersonByRef(r.Context(), actor, in.InstructorID)
			if err != nil {
				return "", core.Invalid("instructor_id", "no person with this employee number or email")
			}
			in.InstructorID = p.ID
		}
		if _, err := h.svc.Training.CreateSession(r.Context(), actor, in); err != nil {
			return "", err
		}
		return "The session is scheduled.", nil
	})
}

// SessionView is a session's page: the details, the viewer's place, and for the instructor
// and L&D the list of people with the attendance form.
type SessionView struct {
	FormView
	Session    *training.Session
	Item       *training.Item
	Mine       *training.Registration
	People     []*training.Registration
	Teaches    bool // the viewer is the instructor
	Admin      bool
	CanMark    bool
	Open       bool
	Registered int
	Waiting    int
}

func (h *Handler) sessionView(r *http.Request, actor *core.Actor, id string) (SessionView, error) {
	v := SessionView{FormView: h.form(r, "Session", "training"), Admin: actor.Can(core.PermTrainingWrite)}
	ctx := r.Context()
	ss, err := h.svc.Training.FindSessionByID(ctx, actor, id)
	if err != nil {
		return v, err
	}
	v.Session, v.Title, v.Teaches = ss, ss.ItemTitle, ss.InstructorID == actor.PersonID && actor.PersonID != ""
	if v.Item, err = h.svc.Training.FindItemByID(ctx, actor, ss.ItemID); err != nil {
		return v, err
	}
	regs, err := h.svc.Training.Registrations(ctx, actor, id)
	if err != nil {
		return v, err
	}
	for _, reg := range regs {
		if reg.PersonID == actor.PersonID && reg.Status != training.RegistrationCancelled {
			v.Mine = reg
		}
	}
	if v.Teaches || v.Admin {
		v.People = regs
	}
	now := h.clock.Now()
	v.Open = ss.Open(now)
	v.CanMark = (v.Teaches || v.Admin) && ss.Status == training.SessionScheduled && !now.Before(ss.StartsAt.Add(-time.Hour))
	loc := ss.Local(ss.StartsAt).Location()
	v.Values = map[string]string{"starts_at": ss.StartsAt.In(loc).Format(localInput), "ends_at": ss.EndsAt.In(loc).Format(localInput),
		"time_zone": ss.TimeZone, "location": ss.Location, "online_url": ss.OnlineURL, "instructor_id": ss.InstructorID,
		"capacity": strconv.Itoa(ss.Capacity)}
	if ss.RegistrationDeadline != nil {
		v.Values["registration_deadline"] = ss.RegistrationDeadline.In(loc).Format(localInput)
	}
	return v, nil
}

func (h *Handler) sessionPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.sessionView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "session", v)
}

// sessionAction runs an action of the session page and goes back to it, or shows the page
// again with the error.
func (h *Handler) sessionAction(w http.ResponseWriter, r *http.Request, actor *core.Actor, id string, fn func() (string, error)) {
	done, err := fn()
	if err != nil {
		if c := core.ErrorCode(err); c != core.EINVALID && c != core.ECONFLICT {
			h.fail(w, r, err)
			return
		}
		v, verr := h.sessionView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, err, "session", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/training/sessions/"+id, done)
}

func (h *Handler) updateSession(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.sessionAction(w, r, actor, id, func() (string, error) {
		ss, err := h.svc.Training.FindSessionByID(r.Context(), actor, id)
		if err != nil {
			return "", err
		}
		in, err := readSession(r, ss.ItemID)
		if err != nil {
			return "", err
		}
		if _, err := h.svc.Training.UpdateSession(r.Context(), actor, id, in); err != nil {
			return "", err
		}
		return "Saved. Everyone registered sees the change in their calendar.", nil
	})
}

func (h *Handler) cancelSession(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.sessionAction(w, r, actor, id, func() (string, error) {
		if _, err := h.svc.Training.CancelSession(r.Context(), actor, id, r.PostFormValue("reason")); err != nil {
			return "", err
		}
		return "The session is cancelled; everyone registered has been told.", nil
	})
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.sessionAction(w, r, actor, id, func() (string, error) {
		reg, err := h.svc.Training.Register(r.Context(), actor, id)
		if err != nil {
			return "", err
		}
		if reg.Status == training.RegistrationWaitlisted {
			return "The session is full: you are number " + strconv.Itoa(reg.Position) + " on the waitlist.", nil
		}
		return "You are registered. Add the session to your calendar below.", nil
	})
}

func (h *Handler) cancelRegistration(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	reg, err := h.svc.Training.CancelRegistration(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/training/sessions/"+reg.SessionID, "Your registration is cancelled.")
}

// markAttendance reads one mark per person: att.<person id> = attended, no_show or "".
func (h *Handler) markAttendance(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.sessionAction(w, r, actor, id, func() (string, error) {
		if err := r.ParseForm(); err != nil {
			return "", core.Invalid("attendance", "the form could not be read")
		}
		marks := training.AttendanceInput{}
		for k, vs := range r.PostForm {
			if p, ok := strings.CutPrefix(k, "att."); ok && len(vs) > 0 && vs[0] != "-" {
				marks[p] = vs[0]
			}
		}
		if err := h.svc.Training.MarkAttendance(r.Context(), actor, id, marks); err != nil {
			return "", err
		}
		return "Attendance saved.", nil
	})
}

func (h *Handler) registrationCalendar(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	b, ctype, err := h.svc.Training.RegistrationCalendar(r.Context(), actor, r.PathValue("id"), h.cfg.BaseURL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="session.ics"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// CalendarView shows the personal calendar feed's address.
type CalendarView struct {
	Page
	URL     string
	Webcal  string
	Renewed bool
}

func (h *Handler) calendarPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.showCalendar(w, r, actor, false)
}

func (h *Handler) renewCalendar(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.showCalendar(w, r, actor, true)
}

func (h *Handler) showCalendar(w http.ResponseWriter, r *http.Request, actor *core.Actor, renew bool) {
	addr, err := h.svc.Training.FeedAddress(r.Context(), actor, h.cfg.BaseURL, renew)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := CalendarView{Page: h.page(r, "Your training calendar", "training"), URL: addr, Renewed: renew}
	v.Webcal = "webcal://" + strings.TrimPrefix(strings.TrimPrefix(addr, "https://"), "http://")
	h.render(w, r, http.StatusOK, "calendar", v)
}

// calendarFeed answers a calendar app: the address's secret token is the only credential, as
// apps send no cookies.
func (h *Handler) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	b, err := h.svc.Training.Feed(r.Context(), token, h.cfg.BaseURL)
	if err != nil {
		if core.ErrorCode(err) == core.ENOTFOUND {
			http.Error(w, "no such calendar", http.StatusNotFound)
			return
		}
		httpx.LogError(h.log, r, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ical.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(b)
}
