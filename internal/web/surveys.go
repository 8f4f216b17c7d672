package web

import (
	"encoding/csv"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/chart"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tabular"
)

func (h *Handler) registerSurveys(rt *httpx.Router) {
	rt.HandleFunc("GET /surveys", h.signedIn(h.surveys))
	rt.HandleFunc("POST /surveys", h.signedIn(h.createSurvey))
	rt.HandleFunc("GET /surveys/{id}", h.signedIn(h.surveyPage))
	rt.HandleFunc("POST /surveys/{id}", h.signedIn(h.saveSurvey))
	rt.HandleFunc("POST /surveys/{id}/send", h.signedIn(h.sendSurvey))
	rt.HandleFunc("POST /surveys/{id}/open", h.signedIn(h.openSurvey))
	rt.HandleFunc("POST /surveys/{id}/close", h.signedIn(h.closeSurvey))
	rt.HandleFunc("POST /surveys/{id}/delete", h.signedIn(h.deleteSurvey))
	rt.HandleFunc("GET /surveys/{id}/answer", h.signedIn(h.answerPage))
	rt.HandleFunc("POST /surveys/{id}/answer", h.signedIn(h.submitAnswers))
	rt.HandleFunc("GET /surveys/{id}/results", h.signedIn(h.surveyResults))
	rt.HandleFunc("GET /surveys/{id}/results/export", h.signedIn(h.exportSurveyResults))
}

// Deadlines are entered and shown in the viewer's time zone, as <input type="datetime-local">
// sends them; a bare date means the end of that day.
const localInput = "2006-01-02T15:04"

func (p Page) localValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.loc).Format(localInput)
}

func (p Page) parseLocal(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{localInput, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, p.loc); err == nil {
			return t, true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, p.loc); err == nil {
		return t.Add(24*time.Hour - time.Minute), true
	}
	return time.Time{}, false
}

// Zone names the viewer's time zone, beside fields that take a time.
func (p Page) Zone() string { return p.loc.String() }

// kindLabels name the kinds of survey and question for people.
var kindLabels = map[string]string{
	survey.KindLNA:          "Learning needs analysis",
	survey.KindReaction:     "Reaction to a training",
	survey.KindFeedback:     "360 feedback",
	survey.KindGeneral:      "General",
	survey.QuestionScale:    "Scale",
	survey.QuestionSingle:   "One choice",
	survey.QuestionMultiple: "Several choices",
	survey.QuestionText:     "Text",
	survey.QuestionSkills:   "Skills from the framework",
}

// KindLabel names a kind of survey or question.
func (p Page) KindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return p.T(l)
	}
	return kind
}

// surveyState says where a survey stands: a draft, open until its deadline, or closed.
func surveyState(p Page, status string, deadline, now time.Time) string {
	switch {
	case status == survey.StatusDraft:
		return p.T("draft")
	case status == survey.StatusOpen && now.Before(deadline):
		return p.T("open")
	case status == survey.StatusOpen:
		return p.T("deadline passed")
	}
	return p.T("closed")
}

// SurveysView lists the surveys the viewer is invited to and, for authors, every survey with the
// form to start a new one.
type SurveysView struct {
	FormView
	Invitations []*survey.Invitation
	Author      bool
	Surveys     []SurveyRow
	Kind        string
	Status      string
	Kinds       []string
	Statuses    []string
	NextURL     string
	LNASize     int // questions in the learning-needs template
}

// SurveyRow is a survey in the authors' list.
type SurveyRow struct {
	*survey.Survey
	State string
	Rate  int // percent of the invited who answered
}

func rate(answered, invited int) int {
	if invited == 0 {
		return 0
	}
	return int(float64(answered)/float64(invited)*100 + 0.5)
}

func (h *Handler) surveysView(r *http.Request, actor *core.Actor) (SurveysView, error) {
	ctx := r.Context()
	q := r.URL.Query()
	v := SurveysView{FormView: h.form(r, "Surveys", "surveys"), Author: actor.Can(core.PermSurveysWrite), Kind: q.Get("kind"), Status: q.Get("status"),
		Kinds: survey.Kinds, Statuses: []string{survey.StatusDraft, survey.StatusOpen, survey.StatusClosed}, LNASize: len(survey.DefaultLNA().Questions)}
	var err error
	if v.Invitations, err = h.svc.Surveys.MySurveys(ctx, actor); err != nil {
		return v, err
	}
	if !v.Author {
		return v, nil
	}
	f := survey.SurveyFilter{Kind: v.Kind, Status: v.Status, Cursor: q.Get("after"), Limit: 25}
	list, next, err := h.svc.Surveys.FindSurveys(ctx, actor, f)
	if core.ErrorCode(err) == core.EINVALID {
		// A stale link (an old cursor, a status that does not exist): show the first page instead.
		v.Flash = core.ErrorMessage(err)
		v.Kind, v.Status = "", ""
		list, next, err = h.svc.Surveys.FindSurveys(ctx, actor, survey.SurveyFilter{Limit: 25})
	}
	if err != nil {
		return v, err
	}
	now := h.clock.Now()
	for _, sv := range list {
		v.Surveys = append(v.Surveys, SurveyRow{Survey: sv, State: surveyState(v.Page, sv.Status, sv.Deadline, now), Rate: rate(sv.Answered, sv.Invited)})
	}
	if next != "" {
		v.NextURL = "/surveys?" + url.Values{"kind": {v.Kind}, "status": {v.Status}, "after": {next}}.Encode()
	}
	// A new survey is due in two weeks, at the end of a working day, unless the author says otherwise.
	due := h.clock.Now().In(v.loc).AddDate(0, 0, 14)
	v.Values["deadline"] = time.Date(due.Year(), due.Month(), due.Day(), 17, 0, 0, 0, v.loc).Format(localInput)
	v.Values["template"] = "lna"
	return v, nil
}

func (h *Handler) surveys(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.surveysView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "surveys", v)
}

// createSurvey starts a draft: blank, or from the learning-needs template with the author's title
// and deadline.
func (h *Handler) createSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	// The list around the form is read only when the form is shown again.
	again := func(err error) {
		v, verr := h.surveysView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		for _, f := range []string{"title", "deadline", "template"} {
			v.Values[f] = r.PostFormValue(f)
		}
		h.formError(w, r, err, "surveys", &v.FormView, &v)
	}
	in := survey.SurveyInput{Kind: survey.KindGeneral}
	if r.PostFormValue("template") == "lna" {
		in = survey.DefaultLNA()
	}
	in.Title = r.PostFormValue("title")
	p := h.page(r, "Surveys", "surveys")
	deadline, ok := p.parseLocal(r.PostFormValue("deadline"))
	if !ok {
		again(core.Invalid("deadline", "%s", p.T("Enter a date and time, for example %s.", p.localValue(h.clock.Now().AddDate(0, 0, 14)))))
		return
	}
	in.Deadline = deadline
	sv, err := h.svc.Surveys.CreateSurvey(r.Context(), actor, in)
	if err != nil {
		again(err)
		return
	}
	h.redirect(w, r, "/surveys/"+sv.ID, "Created the draft %q. Check its questions, send it to people, then open it.", sv.Title)
}

// SurveyView is a survey for its authors: the draft editor (or the questions, once open), sending,
// opening and closing, and the progress of the answers.
type SurveyView struct {
	FormView
	Survey        *survey.Survey
	State         string
	Questions     []*QuestionForm // the editor's questions, as saved or as posted
	Kinds         []string
	QuestionKinds []string
	Units         template.HTML // <option>s of the send form
	units         []*org.OrgUnit
	CanSend       bool
	Passed        bool // the deadline has passed
	Invitation    *survey.Invitation
	Rate          int // percent of the invited who answered
}

// QuestionForm is one question in the draft editor. Options are edited one per line.
type QuestionForm struct {
	Index      int // from 0, as in the form's field names
	ID         string
	Kind       string
	Prompt     string
	Help       string
	Required   bool
	ScaleMax   int
	LowLabel   string
	HighLabel  string
	Options    string
	MaxChoices int
	MaxLength  int
	Last       bool
	Errors     map[string]string // by field: prompt, options, scale_max…
}

// Number is the question's number as people read it.
func (q *QuestionForm) Number() int { return q.Index + 1 }

func questionForms(sv *survey.Survey) []*QuestionForm {
	out := make([]*QuestionForm, len(sv.Questions))
	for i, q := range sv.Questions {
		labels := make([]string, len(q.Options))
		for j, o := range q.Options {
			labels[j] = o.Label
		}
		out[i] = &QuestionForm{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Help: q.Help, Required: q.Required, ScaleMax: q.ScaleMax,
			LowLabel: q.LowLabel, HighLabel: q.HighLabel, Options: strings.Join(labels, "\n"), MaxChoices: q.MaxChoices, MaxLength: q.MaxLength}
	}
	return out
}

// number renumbers the questions after one was added, moved or removed.
func number(qs []*QuestionForm) {
	for i, q := range qs {
		q.Index, q.Last = i, i == len(qs)-1
		if q.Errors == nil {
			q.Errors = map[string]string{}
		}
	}
}

func (h *Handler) surveyView(r *http.Request, actor *core.Actor, id string) (SurveyView, error) {
	ctx := r.Context()
	v := SurveyView{FormView: h.form(r, "Survey", "surveys"), Kinds: survey.Kinds, QuestionKinds: survey.QuestionKinds}
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return v, err
	}
	sv, err := h.svc.Surveys.FindSurveyByID(ctx, actor, id)
	if err != nil {
		return v, err
	}
	v.Survey, v.Title = sv, sv.Title
	now := h.clock.Now()
	v.Passed, v.State, v.Rate = !now.Before(sv.Deadline), surveyState(v.Page, sv.Status, sv.Deadline, now), rate(sv.Answered, sv.Invited)
	v.CanSend = sv.Status != survey.StatusClosed && !v.Passed
	v.Values = map[string]string{"title": sv.Title, "description": sv.Description, "kind": sv.Kind, "deadline": v.localValue(sv.Deadline)}
	if sv.Anonymous {
		v.Values["anonymous"] = "on"
	}
	v.Questions = questionForms(sv)
	number(v.Questions)
	if v.CanSend {
		if v.units, err = h.svc.Org.FindUnits(ctx, actor); err != nil {
			return v, err
		}
		v.chooseUnits(nil)
	}
	// An author may be invited too; they answer on the answer page.
	mine, err := h.svc.Surveys.MySurveys(ctx, actor)
	if err != nil {
		return v, err
	}
	for _, inv := range mine {
		if inv.SurveyID == sv.ID {
			v.Invitation = inv
		}
	}
	return v, nil
}

// chooseUnits lists the org units of the send form with their headcounts, selecting the chosen.
func (v *SurveyView) chooseUnits(chosen []string) {
	opts := make([]Option, len(v.units))
	for i, u := range v.units {
		opts[i] = Option{Value: u.ID, Label: fmt.Sprintf("%s%s (%d)", strings.Repeat("— ", max(u.Depth(), 0)), u.Name, u.Headcount),
			Selected: slices.Contains(chosen, u.ID)}
	}
	v.Units = options(opts)
}

// surveyPage shows authors the survey's page and everyone else the answer form.
func (h *Handler) surveyPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if !actor.Can(core.PermSurveysWrite) {
		h.answerPage(w, r, actor)
		return
	}
	v, err := h.surveyView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "survey", v)
}

// maxFormQuestions bounds what the editor reads from a form; the survey's own limit is lower.
const maxFormQuestions = 200

// readEditor reads the draft editor's form into v and returns the survey it describes. Options
// keep their ids when their label is unchanged.
func readEditor(r *http.Request, v *SurveyView, now time.Time) survey.SurveyInput {
	f := func(k string) string { v.Values[k] = r.PostFormValue(k); return v.Values[k] }
	in := survey.SurveyInput{Title: f("title"), Description: f("description"), Kind: f("kind"), Anonymous: f("anonymous") == "on"}
	if d, ok := v.parseLocal(f("deadline")); ok {
		in.Deadline = d
	} else {
		v.Errors["deadline"] = v.T("Enter a date and time, for example %s.", v.localValue(now.AddDate(0, 0, 14)))
	}
	old := map[string]*survey.Question{}
	for _, q := range v.Survey.Questions {
		old[q.ID] = q
	}
	n, _ := strconv.Atoi(r.PostFormValue("questions"))
	v.Questions = nil
	for i := range min(max(n, 0), maxFormQuestions) {
		g := func(k string) string { return r.PostFormValue(fmt.Sprintf("q%d.%s", i, k)) }
		num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(g(k))); return n }
		q := &QuestionForm{ID: g("id"), Kind: g("kind"), Prompt: g("prompt"), Help: g("help"), Required: g("required") == "on",
			ScaleMax: num("scale_max"), LowLabel: g("low_label"), HighLabel: g("high_label"), Options: g("options"),
			MaxChoices: num("max_choices"), MaxLength: num("max_length")}
		if _, shown := r.PostForm[fmt.Sprintf("q%d.scale_max", i)]; q.Kind == survey.QuestionScale && !shown {
			q.ScaleMax = 5 // the kind was just changed to a scale: start from the usual five points
		}
		v.Questions = append(v.Questions, q)
		qi := survey.QuestionInput{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Help: q.Help, Required: q.Required, ScaleMax: q.ScaleMax,
			LowLabel: q.LowLabel, HighLabel: q.HighLabel, MaxChoices: q.MaxChoices, MaxLength: q.MaxLength}
		ids := map[string][]string{} // label → ids of the saved question's options
		if o := old[q.ID]; o != nil {
			for _, opt := range o.Options {
				k := strings.ToLower(opt.Label)
				ids[k] = append(ids[k], opt.ID)
			}
		}
		for _, line := range strings.Split(q.Options, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			opt := survey.OptionInput{Label: line}
			if k := strings.ToLower(line); len(ids[k]) > 0 {
				opt.ID, ids[k] = ids[k][0], ids[k][1:]
			}
			qi.Options = append(qi.Options, opt)
		}
		in.Questions = append(in.Questions, qi)
	}
	number(v.Questions)
	return in
}

// newQuestion is a blank question of a kind, with the usual settings of that kind.
func newQuestion(kind string) *QuestionForm {
	q := &QuestionForm{Kind: kind}
	switch kind {
	case survey.QuestionScale:
		q.ScaleMax = 5
	case survey.QuestionText:
		q.MaxLength = 2000
	case survey.QuestionSkills:
		q.MaxChoices = 5
	}
	return q
}

var editOp = regexp.MustCompile(`^(remove|up|down)-(\d+)$`)

// rearrange applies an editor button other than Save (add, remove, move up or down) to the
// questions of the form. It reports false for Save.
func rearrange(v *SurveyView, op, newKind string) bool {
	qs := v.Questions
	if op == "add" {
		if !slices.Contains(survey.QuestionKinds, newKind) {
			newKind = survey.QuestionScale
		}
		v.Questions = append(qs, newQuestion(newKind))
		number(v.Questions)
		return true
	}
	m := editOp.FindStringSubmatch(op)
	if m == nil {
		return false
	}
	i, _ := strconv.Atoi(m[2])
	if i < 0 || i >= len(qs) {
		return true
	}
	switch m[1] {
	case "remove":
		v.Questions = slices.Delete(qs, i, i+1)
	case "up":
		if i > 0 {
			qs[i-1], qs[i] = qs[i], qs[i-1]
		}
	case "down":
		if i < len(qs)-1 {
			qs[i], qs[i+1] = qs[i+1], qs[i]
		}
	}
	number(v.Questions)
	return true
}

var questionField = regexp.MustCompile(`^questions\[(\d+)\]\.([a-z_]+)`)

// placeErrors copies the errors of the questions (questions[2].prompt) beside the questions.
func (v *SurveyView) placeErrors() {
	for field, msg := range v.Errors {
		m := questionField.FindStringSubmatch(field)
		if m == nil {
			continue
		}
		if i, _ := strconv.Atoi(m[1]); i < len(v.Questions) {
			if q := v.Questions[i]; q.Errors[m[2]] == "" {
				q.Errors[m[2]] = msg
			}
		}
	}
}

// saveSurvey handles the draft editor: Save replaces the draft; the buttons that add, remove and
// move questions show the changed form again without saving it.
func (h *Handler) saveSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	v, err := h.surveyView(r, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Survey.Status != survey.StatusDraft {
		h.fail(w, r, core.Errorf(core.ECONFLICT, "this survey is %s; only a draft can be edited", v.Survey.Status))
		return
	}
	in := readEditor(r, &v, h.clock.Now())
	if rearrange(&v, r.PostFormValue("op"), r.PostFormValue("new_kind")) {
		v.Flash = v.T("Not saved yet: press Save draft to keep your changes.")
		h.render(w, r, http.StatusOK, "survey", v)
		return
	}
	if len(v.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, "survey", v)
		return
	}
	if _, err := h.svc.Surveys.UpdateSurvey(r.Context(), actor, id, in); err != nil {
		if c := core.ErrorCode(err); c != core.EINVALID && c != core.ECONFLICT {
			h.fail(w, r, err)
			return
		}
		v.setError(err)
		v.placeErrors()
		h.render(w, r, http.StatusUnprocessableEntity, "survey", v)
		return
	}
	h.redirect(w, r, "/surveys/"+id, "Saved.")
}

// sendSurvey invites org units and people named by employee number or email.
func (h *Handler) sendSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	v, err := h.surveyView(r, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Values["people"] = r.PostFormValue("people")
	to := survey.Recipients{OrgUnitIDs: r.PostForm["org_unit_ids"]}
	v.chooseUnits(to.OrgUnitIDs)
	var unknown []string
	for _, ref := range strings.FieldsFunc(v.Values["people"], func(c rune) bool { return c == '\n' || c == ',' || c == ';' || c == '\r' }) {
		if ref = strings.TrimSpace(ref); ref == "" {
			continue
		}
		p, err := h.svc.Org.FindPersonByRef(r.Context(), actor, ref)
		switch core.ErrorCode(err) {
		case "":
			to.PersonIDs = append(to.PersonIDs, p.ID)
		case core.ENOTFOUND:
			unknown = append(unknown, ref)
		default:
			h.fail(w, r, err)
			return
		}
	}
	if len(unknown) > 0 {
		v.Errors["people"] = v.T("No one has the employee number or email %s.", strings.Join(unknown, ", "))
		h.render(w, r, http.StatusUnprocessableEntity, "survey", v)
		return
	}
	rep, err := h.svc.Surveys.Send(r.Context(), actor, id, to)
	if err != nil {
		h.formError(w, r, err, "survey", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/surveys/"+id, "Invited %d more people; %d of those chosen were invited before.", rep.Invited, rep.AlreadyInvited)
}

func (h *Handler) openSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.surveyAction(w, r, actor, func(id string) error { return h.svc.Surveys.Open(r.Context(), actor, id) },
		"The survey is open: the people invited can answer it until the deadline.")
}

func (h *Handler) closeSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.surveyAction(w, r, actor, func(id string) error { return h.svc.Surveys.Close(r.Context(), actor, id) },
		"The survey is closed: it takes no more answers.")
}

// surveyAction runs a change of the survey in the path and shows why it was refused beside the
// field it concerns.
func (h *Handler) surveyAction(w http.ResponseWriter, r *http.Request, actor *core.Actor, do func(id string) error, done string) {
	id := r.PathValue("id")
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := do(id); err != nil {
		v, verr := h.surveyView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, err, "survey", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/surveys/"+id, done)
}

func (h *Handler) deleteSurvey(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Surveys.DeleteSurvey(r.Context(), actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/surveys", "The draft was deleted.")
}

// AnswerView is a survey as the people invited answer it.
type AnswerView struct {
	FormView
	Survey     *survey.Survey
	Invitation *survey.Invitation
	Questions  []*AnswerQuestion
	// State is "answer" (the form), "answered" (thank you), "closed", or "preview" for an author
	// who is not invited.
	State  string
	Author bool
}

// AnswerQuestion is one question of the answer form with what the person chose so far.
type AnswerQuestion struct {
	*survey.Question
	Field   string // the form field and error key: answers.<question id>
	DOMID   string // q1, q2… for labels and error references
	Scale   []Choice
	Choices []Choice
	Text    string
	Skills  template.HTML
	Limit   int // most choices allowed, 0 for one or any
}

// Choice is one radio button or checkbox.
type Choice struct {
	Value, Label string
	Checked      bool
}

func (h *Handler) answerView(r *http.Request, actor *core.Actor, id string, posted map[string][]string) (AnswerView, error) {
	ctx := r.Context()
	v := AnswerView{FormView: h.form(r, "Survey", "surveys"), Author: actor.Can(core.PermSurveysWrite)}
	sv, err := h.svc.Surveys.FindSurveyByID(ctx, actor, id)
	if err != nil {
		return v, err
	}
	v.Survey, v.Title = sv, sv.Title
	mine, err := h.svc.Surveys.MySurveys(ctx, actor)
	if err != nil {
		return v, err
	}
	for _, inv := range mine {
		if inv.SurveyID == sv.ID {
			v.Invitation = inv
		}
	}
	switch inv := v.Invitation; {
	case inv == nil:
		v.State = "preview" // only authors find a survey they are not invited to
	case inv.Answered:
		v.State = "answered"
	case inv.CanAnswer:
		v.State = "answer"
	default:
		v.State = "closed"
	}
	var skillList []*skills.Skill
	if slices.ContainsFunc(sv.Questions, func(q *survey.Question) bool { return q.Kind == survey.QuestionSkills }) && (v.State == "answer" || v.State == "preview") {
		if skillList, err = h.svc.Skills.FindSkills(ctx, actor, skills.SkillFilter{}); err != nil {
			return v, err
		}
	}
	for i, q := range sv.Questions {
		aq := &AnswerQuestion{Question: q, Field: "answers." + q.ID, DOMID: fmt.Sprintf("q%d", i+1)}
		chosen := posted[aq.Field]
		switch q.Kind {
		case survey.QuestionScale:
			for n := 1; n <= q.ScaleMax; n++ {
				c := Choice{Value: strconv.Itoa(n), Label: strconv.Itoa(n)}
				switch {
				case n == 1 && q.LowLabel != "":
					c.Label += " · " + q.LowLabel
				case n == q.ScaleMax && q.HighLabel != "":
					c.Label += " · " + q.HighLabel
				}
				c.Checked = slices.Contains(chosen, c.Value)
				aq.Scale = append(aq.Scale, c)
			}
		case survey.QuestionSingle, survey.QuestionMultiple:
			for _, o := range q.Options {
				aq.Choices = append(aq.Choices, Choice{Value: o.ID, Label: o.Label, Checked: slices.Contains(chosen, o.ID)})
			}
			if q.Kind == survey.QuestionMultiple && q.MaxChoices > 0 && q.MaxChoices < len(q.Options) {
				aq.Limit = q.MaxChoices
			}
		case survey.QuestionText:
			if len(chosen) > 0 {
				aq.Text = chosen[0]
			}
		case survey.QuestionSkills:
			aq.Skills = skillOptions(skillList, chosen)
			aq.Limit = q.MaxChoices
		}
		v.Questions = append(v.Questions, aq)
	}
	return v, nil
}

// skillOptions lists the skills of the framework grouped by category, selecting the chosen ones.
func skillOptions(list []*skills.Skill, chosen []string) template.HTML {
	byCategory := map[string][]Option{}
	var categories []string
	for _, s := range list {
		if _, ok := byCategory[s.CategoryName]; !ok {
			categories = append(categories, s.CategoryName)
		}
		byCategory[s.CategoryName] = append(byCategory[s.CategoryName], Option{Value: s.ID, Label: s.Name, Selected: slices.Contains(chosen, s.ID)})
	}
	slices.SortFunc(categories, func(a, b string) int {
		// Skills without a category come last.
		if (a == "") != (b == "") {
			return strings.Compare(b, a)
		}
		return strings.Compare(strings.ToLower(a), strings.ToLower(b))
	})
	var b strings.Builder
	for _, c := range categories {
		if c == "" || len(categories) == 1 {
			b.WriteString(string(options(byCategory[c])))
			continue
		}
		b.WriteString(`<optgroup label="` + html.EscapeString(c) + `">`)
		b.WriteString(string(options(byCategory[c])))
		b.WriteString(`</optgroup>`)
	}
	return template.HTML(b.String()) //nolint:gosec // labels are escaped here and in options
}

// answerPage shows the answer form, or the thank-you once answered.
func (h *Handler) answerPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.answerView(r, actor, r.PathValue("id"), nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "survey_answer", v)
}

// submitAnswers records the answers of the form; a refused answer shows the form again with each
// message beside its question.
func (h *Handler) submitAnswers(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	ctx := r.Context()
	sv, err := h.svc.Surveys.FindSurveyByID(ctx, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	var answers []survey.AnswerInput
	for _, q := range sv.Questions {
		vals := r.PostForm["answers."+q.ID]
		a := survey.AnswerInput{QuestionID: q.ID}
		switch q.Kind {
		case survey.QuestionScale:
			if len(vals) > 0 && vals[0] != "" {
				if a.Scale, err = strconv.Atoi(vals[0]); err != nil || len(vals) > 1 {
					a.Scale = -1 // refused with the question's own message
				}
			}
		case survey.QuestionText:
			a.Text = strings.Join(vals, "\n")
		default:
			for _, c := range vals {
				if c != "" {
					a.Choices = append(a.Choices, c)
				}
			}
		}
		answers = append(answers, a)
	}
	err = h.svc.Surveys.Submit(ctx, actor, id, answers)
	if err == nil {
		to := "/surveys/" + id
		if actor.Can(core.PermSurveysWrite) {
			to += "/answer"
		}
		h.redirect(w, r, to, "Thank you: your answers were saved.")
		return
	}
	if c := core.ErrorCode(err); c != core.EINVALID && c != core.ECONFLICT {
		h.fail(w, r, err)
		return
	}
	v, verr := h.answerView(r, actor, id, r.PostForm)
	if verr != nil {
		h.fail(w, r, verr)
		return
	}
	h.formError(w, r, err, "survey_answer", &v.FormView, &v)
}

// ResultsView shows a survey's results to its authors.
type ResultsView struct {
	Page
	Survey    *survey.Survey
	Results   *survey.Results
	Unit      string
	Units     template.HTML
	Groups    []*survey.Group // the filtered group first, then its sub-units
	Questions []*ResultQuestion
	Export    string
	Rate      int
}

// ResultQuestion is one question's results for the filtered group.
type ResultQuestion struct {
	*survey.QuestionResult
	Question *survey.Question
	Number   int
	Chart    template.HTML
	Rows     []ResultRow   // the distribution of a scale, the options, or the skills
	Means    []GroupResult // scale: the mean of each group
	More     int           // skills chosen beyond those listed
}

// maxSkillRows is how many of the skills chosen most the page lists; the export has them all.
const maxSkillRows = 30

// ResultRow is a count with its share of the people who answered the question.
type ResultRow struct {
	Label string
	Count int
	Pct   int
}

// GroupResult is one group's figure for a question.
type GroupResult struct {
	Name       string
	Answered   int
	Mean       float64
	Suppressed bool
}

func (h *Handler) surveyResults(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	unit := r.URL.Query().Get("unit")
	res, err := h.svc.Surveys.Results(ctx, actor, r.PathValue("id"), survey.ResultFilter{OrgUnitID: unit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := ResultsView{Page: h.page(r, "Results", "surveys"), Survey: res.Survey, Results: res, Unit: unit}
	v.Title = v.T("Results: %s", res.Survey.Title)
	v.Rate = rate(res.Overall.Answered, res.Overall.Invited)
	units, err := h.svc.Org.UnitOptions(ctx, actor, -1, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Units = options(unitOptions(units, unit))
	v.Groups = append([]*survey.Group{res.Overall}, res.Units...)
	v.Export = "/surveys/" + res.Survey.ID + "/results/export"
	if unit != "" {
		v.Export += "?" + url.Values{"unit": {unit}}.Encode()
	}
	byID := map[string]*survey.Question{}
	for _, q := range res.Survey.Questions {
		byID[q.ID] = q
	}
	overall := v.T("Everyone")
	if res.Overall.Name != "" {
		overall = res.Overall.Name
	}
	for i, qr := range res.Overall.Questions {
		rq := &ResultQuestion{QuestionResult: qr, Question: byID[qr.QuestionID], Number: i + 1}
		share := func(n int) int {
			if qr.Answered == 0 {
				return 0
			}
			return int(float64(n)/float64(qr.Answered)*100 + 0.5)
		}
		switch qr.Kind {
		case survey.QuestionScale:
			q := rq.Question
			for n, c := range qr.Distribution {
				label := strconv.Itoa(n + 1)
				switch {
				case n == 0 && q.LowLabel != "":
					label += " · " + q.LowLabel
				case n == len(qr.Distribution)-1 && q.HighLabel != "":
					label += " · " + q.HighLabel
				}
				rq.Rows = append(rq.Rows, ResultRow{Label: label, Count: c, Pct: share(c)})
			}
			rq.Means = append(rq.Means, GroupResult{Name: overall, Answered: qr.Answered, Mean: qr.Mean})
			var bars []chart.Bar
			if qr.Answered > 0 {
				bars = append(bars, chart.Bar{Label: overall, Value: qr.Mean})
			}
			for _, g := range res.Units {
				gr := GroupResult{Name: g.Name, Suppressed: g.Suppressed}
				for _, gq := range g.Questions {
					if gq.QuestionID == qr.QuestionID {
						gr.Answered, gr.Mean = gq.Answered, gq.Mean
					}
				}
				rq.Means = append(rq.Means, gr)
				if !gr.Suppressed && gr.Answered > 0 && len(bars) < 16 {
					bars = append(bars, chart.Bar{Label: g.Name, Value: gr.Mean})
				}
			}
			if len(bars) > 0 {
				rq.Chart = chartWithID(chart.Bars(v.T("Mean answer to “%s”, from 1 to %d", q.Prompt, q.ScaleMax), bars, float64(q.ScaleMax)),
					fmt.Sprintf("chart-q%d", rq.Number))
			}
		case survey.QuestionSingle, survey.QuestionMultiple:
			for _, o := range qr.Options {
				rq.Rows = append(rq.Rows, ResultRow{Label: o.Label, Count: o.Count, Pct: share(o.Count)})
			}
		case survey.QuestionSkills:
			for _, s := range qr.Skills {
				if len(rq.Rows) == maxSkillRows {
					rq.More++
					continue
				}
				rq.Rows = append(rq.Rows, ResultRow{Label: s.Name, Count: s.Count, Pct: share(s.Count)})
			}
		}
		v.Questions = append(v.Questions, rq)
	}
	h.render(w, r, http.StatusOK, "survey_results", v)
}

// chartWithID gives a chart ids of its own. chart.Bars names its title and description "t" and
// "d", which repeat when a page shows several charts, so every chart would be labelled by the
// first one's title.
func chartWithID(svg template.HTML, id string) template.HTML {
	s := strings.Replace(string(svg), `aria-labelledby="t d"`, `aria-labelledby="`+id+`-t `+id+`-d"`, 1)
	s = strings.Replace(s, `<title id="t">`, `<title id="`+id+`-t">`, 1)
	s = strings.Replace(s, `<desc id="d">`, `<desc id="`+id+`-d">`, 1)
	return template.HTML(s) //nolint:gosec // the chart escaped its texts; id is made of letters and digits
}

// exportSurveyResults writes the results page as CSV: one row per group, question and value.
func (h *Handler) exportSurveyResults(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	res, err := h.svc.Surveys.Results(r.Context(), actor, r.PathValue("id"), survey.ResultFilter{OrgUnitID: r.URL.Query().Get("unit")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="survey-results-%s.csv"`, h.clock.Now().Format("2006-01-02")))
	if err := writeResultsCSV(csv.NewWriter(w), res); err != nil {
		h.log.ErrorContext(r.Context(), "export survey results", "err", err)
	}
}

func writeResultsCSV(cw *csv.Writer, res *survey.Results) error {
	prompts := map[string]*survey.Question{}
	number := map[string]int{}
	for i, q := range res.Survey.Questions {
		prompts[q.ID], number[q.ID] = q, i+1
	}
	_ = cw.Write([]string{"group", "org_unit_id", "invited", "answered", "response_rate", "hidden", "question", "prompt", "kind", "answered_question", "item", "count", "mean"})
	for _, g := range append([]*survey.Group{res.Overall}, res.Units...) {
		name := g.Name
		if g.OrgUnitID == "" {
			name = "Everyone"
		}
		group := []string{tabular.Escape(name), g.OrgUnitID, strconv.Itoa(g.Invited), strconv.Itoa(g.Answered),
			strconv.FormatFloat(g.ResponseRate, 'f', -1, 64), strconv.FormatBool(g.Suppressed)}
		_ = cw.Write(append(slices.Clone(group), "", "", "", "", "", "", ""))
		for _, qr := range g.Questions {
			q := prompts[qr.QuestionID]
			row := func(item string, count int, mean string) {
				_ = cw.Write(append(slices.Clone(group), strconv.Itoa(number[qr.QuestionID]), tabular.Escape(q.Prompt), qr.Kind,
					strconv.Itoa(qr.Answered), tabular.Escape(item), strconv.Itoa(count), mean))
			}
			switch qr.Kind {
			case survey.QuestionScale:
				mean := strconv.FormatFloat(qr.Mean, 'f', -1, 64)
				for n, c := range qr.Distribution {
					row(strconv.Itoa(n+1), c, mean)
				}
			case survey.QuestionSingle, survey.QuestionMultiple:
				for _, o := range qr.Options {
					row(o.Label, o.Count, "")
				}
			case survey.QuestionSkills:
				for _, s := range qr.Skills {
					row(s.Name, s.Count, "")
				}
			case survey.QuestionText:
				for _, t := range qr.Texts {
					row(t.Text, 1, "")
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
