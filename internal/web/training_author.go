package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

// ItemFormView creates or edits a catalog item.
type ItemFormView struct {
	FormView
	Item       *training.Item // nil for a new one
	Kinds      []string
	Modalities []string
	Statuses   []string
	Modes      []string
	Skills     []SkillRow
	Objectives []ObjectiveRow
	SkillList  template.HTML
	Levels     []skills.ScaleLevel
	BloomNames []bloom.Level
}

// SkillRow is one row of the skills an item develops, in the form.
type SkillRow struct {
	N       int
	SkillID string
	Level   int
	Options template.HTML
}

// ObjectiveRow is one objective in the form, with what the classifier says of it.
type ObjectiveRow struct {
	N        int
	ID       string
	Text     string
	Bloom    string // the author's choice, "" for automatic
	Suggest  bloom.Level
	Warnings []bloom.Warning
}

// Blank form rows added after the item's own, for new skills and objectives.
const blankRows = 3

func (h *Handler) itemForm(r *http.Request, actor *core.Actor, it *training.Item, in training.ItemInput) (ItemFormView, error) {
	title := "New learning item"
	if it != nil {
		title = "Edit " + it.Title
	}
	v := ItemFormView{FormView: h.form(r, title, "training"), Item: it, Kinds: training.Kinds, Modalities: training.Modalities,
		Statuses: training.ItemStatuses, Modes: training.EnrollModes, BloomNames: bloom.Levels}
	ctx := r.Context()
	all, err := h.svc.Skills.FindSkills(ctx, actor, skills.SkillFilter{})
	if err != nil {
		return v, err
	}
	if v.Levels, err = h.svc.Skills.Scale(ctx, actor); err != nil {
		return v, err
	}
	skillOptions := func(selected string) template.HTML {
		opts := []Option{{Value: "", Label: v.T("— no skill —")}}
		for _, s := range all {
			opts = append(opts, Option{Value: s.ID, Label: s.Name, Selected: s.ID == selected})
		}
		return options(opts)
	}
	for i, sk := range in.Skills {
		v.Skills = append(v.Skills, SkillRow{N: i, SkillID: sk.SkillID, Level: sk.TargetLevel, Options: skillOptions(sk.SkillID)})
	}
	for i := 0; i < blankRows; i++ {
		v.Skills = append(v.Skills, SkillRow{N: len(in.Skills) + i, Level: 3, Options: skillOptions("")})
	}
	for i, o := range in.Objectives {
		c := bloom.Classify(o.Text)
		v.Objectives = append(v.Objectives, ObjectiveRow{N: i, ID: o.ID, Text: o.Text, Bloom: o.Bloom, Suggest: c.Level, Warnings: c.Warnings})
	}
	for i := 0; i < blankRows; i++ {
		v.Objectives = append(v.Objectives, ObjectiveRow{N: len(in.Objectives) + i})
	}
	v.Values = itemValues(in)
	return v, nil
}

// itemValues are an input's fields as the form shows them.
func itemValues(in training.ItemInput) map[string]string {
	b := func(x bool) string {
		if x {
			return "on"
		}
		return ""
	}
	n := func(i int) string {
		if i == 0 {
			return ""
		}
		return strconv.Itoa(i)
	}
	return map[string]string{"code": in.Code, "title": in.Title, "description": in.Description, "kind": in.Kind, "modality": in.Modality,
		"duration_minutes": n(in.DurationMinutes), "language": in.Language, "provider": in.Provider, "cost_per_learner": in.CostPerLearner.String(),
		"fixed_cost": in.FixedCost.String(), "currency": in.Currency, "external_url": in.ExternalURL, "status": in.Status, "enrollment": in.Enrollment,
		"certifying": b(in.Certifying), "compliance": b(in.Compliance), "validity_months": n(in.ValidityMonths), "renew_days": n(in.RenewDays),
		"tags": strings.Join(in.Tags, ", ")}
}

// readItem reads the item form; fields it cannot read go to errs.
func readItem(r *http.Request, errs map[string]string, t func(string, ...any) string) training.ItemInput {
	f := r.PostFormValue
	in := training.ItemInput{Code: f("code"), Title: f("title"), Description: f("description"), Kind: f("kind"), Modality: f("modality"),
		Language: f("language"), Provider: f("provider"), Currency: f("currency"), ExternalURL: f("external_url"), Status: f("status"),
		Enrollment: f("enrollment"), Certifying: f("certifying") != "", Compliance: f("compliance") != ""}
	for field, dst := range map[string]*int{"duration_minutes": &in.DurationMinutes, "validity_months": &in.ValidityMonths, "renew_days": &in.RenewDays} {
		if s := strings.TrimSpace(f(field)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs[field] = t("Enter a whole number.")
			}
			*dst = n
		}
	}
	for field, dst := range map[string]*training.Money{"cost_per_learner": &in.CostPerLearner, "fixed_cost": &in.FixedCost} {
		m, err := training.ParseMoney(f(field))
		if err != nil {
			errs[field] = t("Enter an amount such as 120.00.")
		}
		*dst = m
	}
	in.Tags = append(in.Tags, strings.FieldsFunc(f("tags"), func(r rune) bool { return r == ',' || r == ';' })...)
	for i := 0; i < 100; i++ {
		id := f(fmt.Sprintf("skill.%d.id", i))
		if _, ok := r.PostForm[fmt.Sprintf("skill.%d.id", i)]; !ok {
			break
		}
		if id == "" {
			continue
		}
		level, _ := strconv.Atoi(f(fmt.Sprintf("skill.%d.level", i)))
		in.Skills = append(in.Skills, training.ItemSkill{SkillID: id, TargetLevel: level})
	}
	for i := 0; i < 100; i++ {
		key := fmt.Sprintf("objective.%d.text", i)
		if _, ok := r.PostForm[key]; !ok {
			break
		}
		text := strings.TrimSpace(f(key))
		if text == "" {
			continue
		}
		in.Objectives = append(in.Objectives, training.ObjectiveInput{ID: f(fmt.Sprintf("objective.%d.id", i)), Text: text, Bloom: f(fmt.Sprintf("objective.%d.bloom", i))})
	}
	return in
}

func (h *Handler) newItem(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	in := training.ItemInput{Kind: training.KindCourse, Status: training.StatusDraft, Enrollment: training.EnrollOpen, Language: "en", Currency: "EUR"}
	if k := r.URL.Query().Get("kind"); k != "" {
		in.Kind = k
	}
	v, err := h.itemForm(r, actor, nil, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "item_form", v)
}

func (h *Handler) editItem(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	it, err := h.svc.Training.FindItemByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.itemForm(r, actor, it, it.Input())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "item_form", v)
}

func (h *Handler) createItem(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.saveItem(w, r, actor, "")
}

func (h *Handler) updateItem(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.saveItem(w, r, actor, r.PathValue("id"))
}

func (h *Handler) saveItem(w http.ResponseWriter, r *http.Request, actor *core.Actor, id string) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(r, "", "")
	errs := map[string]string{}
	in := readItem(r, errs, p.T)
	var old *training.Item
	if id != "" {
		var err error
		if old, err = h.svc.Training.FindItemByID(r.Context(), actor, id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	var it *training.Item
	var err error
	if len(errs) == 0 {
		if id == "" {
			it, err = h.svc.Training.CreateItem(r.Context(), actor, in)
		} else {
			it, err = h.svc.Training.UpdateItem(r.Context(), actor, id, in)
		}
	}
	if len(errs) > 0 || err != nil {
		v, verr := h.itemForm(r, actor, old, in)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		for k, m := range errs {
			v.Errors[k] = m
		}
		if err == nil {
			v.Error = p.T("Please check the fields marked below.")
			h.render(w, r, http.StatusUnprocessableEntity, "item_form", v)
			return
		}
		h.formError(w, r, err, "item_form", &v.FormView, &v)
		return
	}
	if id == "" {
		h.redirect(w, r, "/training/items/"+it.ID, "%s was added to the catalog.", it.Title)
		return
	}
	h.redirect(w, r, "/training/items/"+it.ID, "Saved.")
}

// addContent stores an uploaded file, or a link, as content of the item.
func (h *Handler) addContent(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxContent+1<<20)
	h.itemAction(w, r, actor, id, func() (string, error) {
		if link := strings.TrimSpace(r.FormValue("url")); link != "" || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			c, err := h.svc.Training.AddContentLink(r.Context(), actor, id, r.FormValue("title"), link)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Added the link %q.", c.Title), nil
		}
		file, hdr, err := r.FormFile("file")
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return "", &core.Error{Code: core.ETOOLARGE, Field: "file", Message: "the file is larger than " + blob.Size(h.cfg.MaxContent)}
			}
			return "", core.Invalid("file", "choose a file, or give a web address")
		}
		defer file.Close()
		c, err := h.svc.Training.AddContentFile(r.Context(), actor, id, r.FormValue("title"), hdr.Filename, file)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Uploaded %s.", c.Filename), nil
	})
}

func (h *Handler) removeContent(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	if err := h.svc.Training.RemoveContent(r.Context(), actor, id, r.PathValue("content")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/training/items/"+id, "Removed.")
}

// recordCompletion records a completion on someone's behalf (an external course).
func (h *Handler) recordCompletion(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.itemAction(w, r, actor, id, func() (string, error) {
		p, err := h.svc.Org.FindPersonByRef(r.Context(), actor, r.PostFormValue("person"))
		if err != nil {
			return "", core.Invalid("person", "no person with this employee number or email")
		}
		in := training.RecordInput{PersonID: p.ID, ItemID: id, Note: r.PostFormValue("note")}
		page := h.page(r, "", "")
		if s := r.PostFormValue("completed_on"); s != "" {
			t, ok := page.parseLocal(s)
			if !ok {
				return "", core.Invalid("completed_on", "use the form YYYY-MM-DD")
			}
			in.CompletedAt = t
		}
		if s := strings.TrimSpace(r.PostFormValue("score")); s != "" {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return "", core.Invalid("score", "enter a score from 0 to 100")
			}
			in.Score = &f
		}
		if _, err := h.svc.Training.RecordCompletion(r.Context(), actor, in); err != nil {
			return "", err
		}
		return fmt.Sprintf("Recorded the completion of %s.", p.Name()), nil
	})
}

func (h *Handler) exempt(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.itemAction(w, r, actor, id, func() (string, error) {
		p, err := h.svc.Org.FindPersonByRef(r.Context(), actor, r.PostFormValue("person"))
		if err != nil {
			return "", core.Invalid("person", "no person with this employee number or email")
		}
		if _, err := h.svc.Training.Exempt(r.Context(), actor, training.ExemptInput{PersonID: p.ID, ItemID: id, Reason: r.PostFormValue("reason")}); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is exempt.", p.Name()), nil
	})
}

// setPath saves the path editor: level.N.name, level.N.required, level.N.min_score and the
// items chosen in level.N.items.
func (h *Handler) setPath(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	h.itemAction(w, r, actor, id, func() (string, error) {
		if err := r.ParseForm(); err != nil {
			return "", core.Invalid("levels", "the form could not be read")
		}
		var in training.PathInput
		for i := 0; i < 20; i++ {
			items := r.PostForm[fmt.Sprintf("level.%d.items", i)]
			name := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("level.%d.name", i)))
			if len(items) == 0 && name == "" {
				continue
			}
			req, _ := strconv.Atoi(r.PostFormValue(fmt.Sprintf("level.%d.required", i)))
			score, _ := strconv.Atoi(r.PostFormValue(fmt.Sprintf("level.%d.min_score", i)))
			in.Levels = append(in.Levels, training.PathLevelInput{Name: name, Required: req, MinScore: score, ItemIDs: items})
		}
		if _, err := h.svc.Training.SetPath(r.Context(), actor, id, in); err != nil {
			return "", err
		}
		return "Saved the path.", nil
	})
}

// QuestionBankView is an item's question bank and quizzes, for those who run training.
type QuestionBankView struct {
	FormView
	Item      *training.Item
	Questions []*training.Question
	Quizzes   map[string]*training.Quiz
	Kinds     []string
	Objective map[string]string // id → text
}

func (h *Handler) questionBankView(r *http.Request, actor *core.Actor, id string) (QuestionBankView, error) {
	v := QuestionBankView{FormView: h.form(r, "Question bank", "training"), Kinds: training.QuestionKinds, Quizzes: map[string]*training.Quiz{}, Objective: map[string]string{}}
	it, err := h.svc.Training.FindItemByID(r.Context(), actor, id)
	if err != nil {
		return v, err
	}
	v.Item, v.Title = it, v.T("Questions of %s", it.Title)
	if v.Questions, err = h.svc.Training.FindQuestions(r.Context(), actor, id); err != nil {
		return v, err
	}
	zs, err := h.svc.Training.FindQuizzes(r.Context(), actor, id)
	if err != nil {
		return v, err
	}
	for _, z := range zs {
		v.Quizzes[z.Kind] = z
	}
	for _, o := range it.Objectives {
		v.Objective[o.ID] = o.Text
	}
	v.Values["kind"], v.Values["points"] = training.QuestionSingle, "1"
	return v, nil
}

func (h *Handler) questionBank(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.questionBankView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "questions", v)
}

// readQuestion reads the question form: opt.N.text and opt.N.correct for options, accepted
// answers one per line, answer true or false.
func readQuestion(r *http.Request) training.QuestionInput {
	f := r.PostFormValue
	in := training.QuestionInput{Kind: f("kind"), Prompt: f("prompt"), Explanation: f("explanation"), ObjectiveID: f("objective_id"), Pool: f("pool")}
	in.Points, _ = strconv.Atoi(f("points"))
	for i := 0; i < 12; i++ {
		text := strings.TrimSpace(f(fmt.Sprintf("opt.%d.text", i)))
		if text == "" {
			continue
		}
		in.Options = append(in.Options, training.OptionInput{Text: text, Correct: f(fmt.Sprintf("opt.%d.correct", i)) != ""})
	}
	for _, line := range strings.Split(f("accepted"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Accepted = append(in.Accepted, line)
		}
	}
	if in.Kind == training.QuestionTrueFalse {
		in.Options = nil
		switch f("answer") {
		case "true":
			b := true
			in.Answer = &b
		case "false":
			b := false
			in.Answer = &b
		}
	}
	return in
}

func (h *Handler) saveQuestion(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id, qid := r.PathValue("id"), r.PathValue("question")
	in := readQuestion(r)
	if _, err := h.svc.Training.SaveQuestion(r.Context(), actor, id, qid, in); err != nil {
		v, verr := h.questionBankView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		for _, k := range []string{"kind", "prompt", "explanation", "objective_id", "pool", "points", "accepted", "answer"} {
			v.Values[k] = r.PostFormValue(k)
		}
		h.formError(w, r, err, "questions", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/training/items/"+id+"/questions", "Saved the question.")
}

func (h *Handler) retireQuestion(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	retire := r.PostFormValue("restore") == ""
	if err := h.svc.Training.RetireQuestion(r.Context(), actor, id, r.PathValue("question"), retire); err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "The question is out of future tests."
	if !retire {
		msg = "The question is back in the bank."
	}
	h.redirect(w, r, "/training/items/"+id+"/questions", msg)
}

// setQuiz saves an item's test or pre-test settings; draws are "pool: count" lines.
func (h *Handler) setQuiz(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	f := r.PostFormValue
	in := training.QuizInput{Title: f("title"), ShuffleQuestions: f("shuffle_questions") != "", ShuffleOptions: f("shuffle_options") != ""}
	in.PassMark, _ = strconv.Atoi(f("pass_mark"))
	in.MaxAttempts, _ = strconv.Atoi(f("max_attempts"))
	in.TimeLimitMinutes, _ = strconv.Atoi(f("time_limit_minutes"))
	var bad error
	for _, line := range strings.Split(f("draws"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		pool, count, ok := strings.Cut(line, ":")
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if !ok || err != nil {
			bad = core.Invalid("draws", "write one pool per line as pool: number of questions, such as basics: 5")
			break
		}
		in.Draws = append(in.Draws, training.Draw{Pool: strings.TrimSpace(pool), Count: n})
	}
	var err error
	if bad != nil {
		err = bad
	} else {
		_, err = h.svc.Training.SetQuiz(r.Context(), actor, id, f("kind"), in)
	}
	if err != nil {
		v, verr := h.questionBankView(r, actor, id)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, err, "questions", &v.FormView, &v)
		return
	}
	h.redirect(w, r, "/training/items/"+id+"/questions", "Saved the test settings.")
}

// ClassifyView is the classifier's verdict on one objective, shown beside the field as the
// author types.
type ClassifyView struct {
	Page
	bloom.Classification
}

func (h *Handler) classifyObjective(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	text := r.URL.Query().Get("text")
	for k, vs := range r.URL.Query() {
		if strings.HasPrefix(k, "objective.") && strings.HasSuffix(k, ".text") && len(vs) > 0 {
			text = vs[0]
		}
	}
	v := ClassifyView{Page: h.page(r, "Objective", "training"), Classification: bloom.Classify(text)}
	h.render(w, r, http.StatusOK, "classify", v)
}

// dueDate reads a date field of a form in the viewer's zone ("" is no date).
func (p Page) dueDate(s string) (core.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return core.Date{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, p.loc)
	if err != nil {
		return core.Date{}, core.Invalid("due_on", "use the form YYYY-MM-DD")
	}
	return core.DateOf(t), nil
}
