package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/training"
)

func (h *Handler) registerTraining(rt *httpx.Router) {
	rt.HandleFunc("GET /training", h.signedIn(h.myLearning))
	rt.HandleFunc("GET /training/catalog", h.signedIn(h.catalog))
	rt.HandleFunc("GET /training/catalog/export", h.signedIn(h.exportCatalog))
	rt.HandleFunc("GET /training/items/new", h.signedIn(h.newItem))
	rt.HandleFunc("POST /training/items", h.signedIn(h.createItem))
	rt.HandleFunc("GET /training/items/{id}", h.signedIn(h.itemPage))
	rt.HandleFunc("GET /training/items/{id}/edit", h.signedIn(h.editItem))
	rt.HandleFunc("POST /training/items/{id}", h.signedIn(h.updateItem))
	rt.HandleFunc("POST /training/items/{id}/enroll", h.signedIn(h.enroll))
	rt.HandleFunc("POST /training/items/{id}/content", h.signedIn(h.addContent))
	rt.HandleFunc("GET /training/items/{id}/content/{content}", h.signedIn(h.serveContent))
	rt.HandleFunc("POST /training/items/{id}/content/{content}/delete", h.signedIn(h.removeContent))
	rt.HandleFunc("POST /training/items/{id}/completions", h.signedIn(h.recordCompletion))
	rt.HandleFunc("POST /training/items/{id}/exemptions", h.signedIn(h.exempt))
	rt.HandleFunc("POST /training/items/{id}/path", h.signedIn(h.setPath))
	rt.HandleFunc("GET /training/items/{id}/questions", h.signedIn(h.questionBank))
	rt.HandleFunc("POST /training/items/{id}/questions", h.signedIn(h.saveQuestion))
	rt.HandleFunc("POST /training/items/{id}/questions/{question}", h.signedIn(h.saveQuestion))
	rt.HandleFunc("POST /training/items/{id}/questions/{question}/retire", h.signedIn(h.retireQuestion))
	rt.HandleFunc("POST /training/items/{id}/quiz", h.signedIn(h.setQuiz))
	rt.HandleFunc("POST /training/enrollments/{id}/withdraw", h.signedIn(h.withdraw))
	rt.HandleFunc("POST /training/enrollments/{id}/complete", h.signedIn(h.markComplete))
	rt.HandleFunc("POST /training/enrollments/{id}/decide", h.signedIn(h.decide))
	rt.HandleFunc("POST /training/enrollments/{id}/nudge", h.signedIn(h.nudge))
	rt.HandleFunc("POST /training/quizzes/{id}/attempts", h.signedIn(h.startAttempt))
	rt.HandleFunc("GET /training/attempts/{id}", h.signedIn(h.attemptPage))
	rt.HandleFunc("POST /training/attempts/{id}", h.signedIn(h.submitAttempt))
	h.registerSessions(rt)
	h.registerTrainingAdmin(rt)
}

// Training words for people: statuses, sources, enrolment modes, attendance.
var trainingLabels = map[string]string{
	training.EnrollmentRequested: "waiting for approval", training.EnrollmentEnrolled: "not started", training.EnrollmentInProgress: "in progress",
	training.EnrollmentCompleted: "completed", training.EnrollmentWithdrawn: "withdrawn", training.EnrollmentRejected: "declined",
	training.EnrollmentExempt: "exempt",
	training.SourceSelf:       "chosen", training.SourceManager: "assigned by a manager", training.SourceRule: "required for your role or team",
	training.SourceAdmin: "assigned by L&D", training.SourcePath: "a step of a path",
	training.Compliant: "compliant", training.DueSoon: "due soon", training.Overdue: "overdue", training.Expired: "expired",
	training.EnrollOpen: "anyone may enrol", training.EnrollApproval: "enrolment needs the manager's approval", training.EnrollAssigned: "by assignment only",
	training.StatusDraft: "draft", training.StatusPublished: "published", training.StatusRetired: "retired",
	training.RegistrationRegistered: "registered", training.RegistrationWaitlisted: "on the waitlist", training.RegistrationCancelled: "cancelled",
	training.Attended: "attended", training.NoShow: "did not attend",
	"not_started": "not started",
}

// TL names a training status, source, modality or question kind for people. Item kinds have
// KindName: "path" is both a kind and a source.
func (p Page) TL(key string) string {
	if l, ok := trainingLabels[key]; ok {
		return p.T(l)
	}
	if l, ok := training.ModalityLabels[key]; ok {
		return p.T(l)
	}
	return p.T(strings.ReplaceAll(key, "_", " "))
}

// KindName names a kind of learning item for people ("Learning path").
func (p Page) KindName(kind string) string {
	if l, ok := training.KindLabels[kind]; ok {
		return p.T(l)
	}
	return p.T(kind)
}

// Minutes shows a duration in minutes for people ("45 min", "2 h 30 min", "3 days").
func (p Page) Minutes(m int) string {
	switch {
	case m <= 0:
		return ""
	case m < 60:
		return p.T("%d min", m)
	case m%(60*8) == 0 && m >= 60*8*2:
		return p.T("%d days", m/(60*8))
	case m%60 == 0:
		return p.T("%d h", m/60)
	}
	return p.T("%d h %d min", m/60, m%60)
}

// Percent shows a score.
func (p Page) Percent(f *float64) string {
	if f == nil {
		return ""
	}
	return training.Percent(*f)
}

// LocalTime shows t in zone tz ("Europe/Berlin"), with the zone's abbreviation.
func (p Page) LocalTime(t time.Time, tz string) string {
	if loc, err := time.LoadLocation(tz); err == nil {
		return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
	}
	return t.UTC().Format("Mon 2 Jan 2006, 15:04 UTC")
}

// MyLearningView is the learner's page.
type MyLearningView struct {
	Page
	*training.MyLearning
	Team  bool // the viewer manages people
	Admin bool // the viewer runs training
}

func (h *Handler) myLearning(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v := MyLearningView{Page: h.page(r, "My learning", "training"), Team: actor.IsManager, Admin: actor.Can(core.PermTrainingWrite)}
	var err error
	if v.MyLearning, err = h.svc.Training.FindMyLearning(r.Context(), actor); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "training", v)
}

// CatalogView is the catalog with its filters.
type CatalogView struct {
	Page
	Items      []*training.Item
	Query      string
	Kind       string
	Modality   string
	Status     string
	Tag        string
	Kinds      []string
	Modalities []string
	NextURL    string
	Admin      bool
}

func (h *Handler) catalog(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	v := CatalogView{Page: h.page(r, "Catalog", "training"), Query: q.Get("q"), Kind: q.Get("kind"), Modality: q.Get("modality"), Status: q.Get("status"),
		Tag: q.Get("tag"), Kinds: training.Kinds, Modalities: training.Modalities, Admin: actor.Can(core.PermTrainingWrite)}
	f := training.ItemFilter{Query: v.Query, Kind: v.Kind, Modality: v.Modality, Status: v.Status, Tag: v.Tag, SkillID: q.Get("skill"), Cursor: q.Get("after"), Limit: 30}
	items, next, err := h.svc.Training.FindItems(r.Context(), actor, f)
	if core.ErrorCode(err) == core.EINVALID {
		v.Flash = core.ErrorMessage(err)
		items, next, err = h.svc.Training.FindItems(r.Context(), actor, training.ItemFilter{Limit: 30})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Items = items
	if next != "" {
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("after", next)
		v.NextURL = "/training/catalog?" + nq.Encode()
	}
	h.render(w, r, http.StatusOK, "catalog", v)
}

func (h *Handler) exportCatalog(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.download(w, r, "text/csv; charset=utf-8", "catalog-"+h.clock.Now().Format("2006-01-02")+".csv", func(out io.Writer) error {
		_, err := h.svc.Training.ExportCatalog(r.Context(), actor, out)
		return err
	})
}

// ItemView is an item's page: what it is, where the viewer stands, and what they can do.
type ItemView struct {
	FormView
	Item       *training.Item
	Entry      *training.Entry // the viewer's standing, nil when never enrolled
	Sessions   []*SessionRow
	Quizzes    []*training.Quiz
	Test       *training.Quiz
	PreTest    *training.Quiz
	Attempts   []*training.Attempt
	Levels     []*training.PathLevel
	Progress   *training.PathProgress
	StepTitles map[string]string
	Admin      bool
	Manager    bool
	CanEnroll  bool
	Assignable []PersonOption // the viewer's reports, for the assign form
	Rules      []*training.Rule
	Catalog    []*training.Item // other items, for the path editor
	BloomNames []bloom.Level
	Now        time.Time
}

// SessionRow is a session with the viewer's place in it.
type SessionRow struct {
	*training.Session
	Mine *training.Registration
}

// PersonOption is a person one may choose in a form.
type PersonOption struct {
	ID, Name, Detail string
}

func (h *Handler) itemView(r *http.Request, actor *core.Actor, id string) (ItemView, error) {
	ctx := r.Context()
	v := ItemView{FormView: h.form(r, "Learning item", "training"), Admin: actor.Can(core.PermTrainingWrite), Manager: actor.IsManager,
		BloomNames: bloom.Levels, Now: h.clock.Now()}
	it, err := h.svc.Training.FindItemByID(ctx, actor, id)
	if err != nil {
		return v, err
	}
	v.Item, v.Title = it, it.Title
	mine, err := h.svc.Training.FindMyLearning(ctx, actor)
	if err != nil {
		return v, err
	}
	for _, list := range [][]*training.Entry{mine.Assigned, mine.InProgress, mine.Requested, mine.Completed, mine.Exempt} {
		for _, e := range list {
			if e.ItemID == id && v.Entry == nil {
				v.Entry = e
			}
		}
	}
	v.CanEnroll = it.Status == training.StatusPublished && it.Enrollment != training.EnrollAssigned && (v.Entry == nil || v.Entry.EnrollmentID == "")
	if training.Scheduled(it.Kind) {
		sessions, err := h.svc.Training.FindSessions(ctx, actor, training.SessionFilter{ItemID: id, From: h.clock.Now().AddDate(0, 0, -30), Limit: 100})
		if err != nil {
			return v, err
		}
		for _, ss := range sessions {
			row := &SessionRow{Session: ss}
			regs, err := h.svc.Training.Registrations(ctx, actor, ss.ID)
			if err != nil {
				return v, err
			}
			for _, reg := range regs {
				if reg.PersonID == actor.PersonID && reg.Status != training.RegistrationCancelled {
					row.Mine = reg
				}
			}
			v.Sessions = append(v.Sessions, row)
		}
	}
	if v.Quizzes, err = h.svc.Training.FindQuizzes(ctx, actor, id); err != nil {
		return v, err
	}
	for _, z := range v.Quizzes {
		switch z.Kind {
		case training.QuizTest:
			v.Test = z
		case training.QuizPreTest:
			v.PreTest = z
		}
		attempts, err := h.svc.Training.FindAttempts(ctx, actor, z.ID, "")
		if err != nil {
			return v, err
		}
		v.Attempts = append(v.Attempts, attempts...)
	}
	if it.Kind == training.KindPath {
		if v.Levels, err = h.svc.Training.FindPathLevels(ctx, actor, id); err != nil {
			return v, err
		}
		if v.Progress, err = h.svc.Training.FindPathProgress(ctx, actor, id, ""); err != nil {
			return v, err
		}
		if v.Admin {
			all, _, err := h.svc.Training.FindItems(ctx, actor, training.ItemFilter{Status: "all", Limit: core.MaxLimit})
			if err != nil {
				return v, err
			}
			for _, c := range all {
				if c.Kind != training.KindPath {
					v.Catalog = append(v.Catalog, c)
				}
			}
		}
	}
	if actor.IsManager && it.Status == training.StatusPublished {
		team, err := h.svc.Training.FindTeam(ctx, actor, "")
		if err != nil {
			return v, err
		}
		for _, m := range team.Members {
			v.Assignable = append(v.Assignable, PersonOption{ID: m.Person.ID, Name: m.Person.Name(), Detail: m.Person.JobTitle})
		}
	}
	if v.Admin {
		if v.Rules, err = h.svc.Training.FindRules(ctx, actor, id); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (h *Handler) itemPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.itemView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "item", v)
}

// itemAction runs an action of the item page and goes back to it with a message, or shows the
// page again with the error.
func (h *Handler) itemAction(w http.ResponseWriter, r *http.Request, actor *core.Actor, itemID string, fn func() (string, error)) {
	done, err := fn()
	if err != nil {
		if c := core.ErrorCode(err); c != core.EINVALID && c != core.ECONFLICT {
			h.fail(w, r, err)
			return
		}
		v, verr := h.itemView(r, actor, itemID)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, err, "item", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/training/items/"+itemID, done)
}

func (h *Handler) enroll(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.itemAction(w, r, actor, id, func() (string, error) {
		e, err := h.svc.Training.Enroll(r.Context(), actor, id)
		switch {
		case err != nil:
			return "", err
		case e.Status == training.EnrollmentRequested:
			return "Your manager has been asked to approve your enrollment.", nil
		}
		return "You are enrolled.", nil
	})
}

// enrollmentAction runs an action on an enrollment and goes back where the form came from.
func (h *Handler) enrollmentAction(w http.ResponseWriter, r *http.Request, done string, fn func(id string) (*training.Enrollment, error)) {
	e, err := fn(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	back := safeNext(r.PostFormValue("next"))
	if back == "/" && e != nil {
		back = "/training/items/" + e.ItemID
	}
	h.redirect(w, r, back, done)
}

func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.enrollmentAction(w, r, "Withdrawn.", func(id string) (*training.Enrollment, error) {
		return h.svc.Training.Withdraw(r.Context(), actor, id, r.PostFormValue("reason"))
	})
}

func (h *Handler) markComplete(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.enrollmentAction(w, r, "Marked as completed. Well done!", func(id string) (*training.Enrollment, error) {
		return h.svc.Training.MarkComplete(r.Context(), actor, id)
	})
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	approve := r.PostFormValue("decision") == "approve"
	msg := "Declined."
	if approve {
		msg = "Approved."
	}
	h.enrollmentAction(w, r, msg, func(id string) (*training.Enrollment, error) {
		return h.svc.Training.Decide(r.Context(), actor, id, approve, r.PostFormValue("reason"))
	})
}

func (h *Handler) nudge(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.enrollmentAction(w, r, "Reminder sent.", func(id string) (*training.Enrollment, error) {
		return nil, h.svc.Training.Nudge(r.Context(), actor, id, r.PostFormValue("message"))
	})
}

func (h *Handler) serveContent(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	c, f, err := h.svc.Training.OpenContent(r.Context(), actor, r.PathValue("id"), r.PathValue("content"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	httpx.ServeStored(w, r, httpx.Stored{Filename: c.Filename, ContentType: c.ContentType, ETag: c.ETag(), Inline: c.Inline, ModTime: c.CreatedAt}, f)
}
