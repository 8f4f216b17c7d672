package server_test

import (
	"context"
	encjson "encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/api/apitest"
	"github.com/learnloop/learnloop/internal/core"
	st "github.com/learnloop/learnloop/internal/server/servertest"
	"github.com/learnloop/learnloop/internal/survey"
)

// surveyDoc is what the tests read of a survey from the API.
type surveyDoc struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Kind      string `json:"kind"`
	Anonymous bool   `json:"anonymous"`
	Status    string `json:"status"`
	Deadline  string `json:"deadline"`
	Invited   int    `json:"invited"`
	Answered  int    `json:"answered"`
	Questions []struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Prompt     string `json:"prompt"`
		Required   bool   `json:"required"`
		ScaleMax   int    `json:"scale_max"`
		LowLabel   string `json:"low_label"`
		HighLabel  string `json:"high_label"`
		MaxChoices int    `json:"max_choices"`
		MaxLength  int    `json:"max_length"`
		Options    []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		} `json:"options"`
	} `json:"questions"`
}

func decode[T any](t *testing.T, res *st.Response) T {
	t.Helper()
	var v T
	if err := encjson.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("decode %T: %v\n%.500s", v, err, res.Body)
	}
	return v
}

func getSurvey(t *testing.T, env *st.Env, role, id string) surveyDoc {
	t.Helper()
	res := env.Do(t, role, "GET", "/api/v1/surveys/"+id, "", "")
	if res.Status != 200 {
		t.Fatalf("get survey as %s: %d %s", role, res.Status, res.Body)
	}
	return decode[surveyDoc](t, res)
}

// location returns the path a redirect or creation points to.
func location(t *testing.T, res *st.Response, status int) string {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d\n%.800s", res.Status, status, res.Body)
	}
	return res.Header.Get("Location")
}

// editorForm is the draft editor's form as a browser posts it for the survey, unchanged.
func editorForm(sv surveyDoc, deadline string) url.Values {
	f := url.Values{"title": {sv.Title}, "kind": {sv.Kind}, "deadline": {deadline}, "questions": {strconv.Itoa(len(sv.Questions))}}
	if sv.Anonymous {
		f.Set("anonymous", "on")
	}
	for i, q := range sv.Questions {
		p := fmt.Sprintf("q%d.", i)
		f.Set(p+"id", q.ID)
		f.Set(p+"kind", q.Kind)
		f.Set(p+"prompt", q.Prompt)
		if q.Required {
			f.Set(p+"required", "on")
		}
		f.Set(p+"scale_max", strconv.Itoa(q.ScaleMax))
		f.Set(p+"low_label", q.LowLabel)
		f.Set(p+"high_label", q.HighLabel)
		f.Set(p+"max_choices", strconv.Itoa(q.MaxChoices))
		f.Set(p+"max_length", strconv.Itoa(q.MaxLength))
		var labels []string
		for _, o := range q.Options {
			labels = append(labels, o.Label)
		}
		f.Set(p+"options", strings.Join(labels, "\n"))
	}
	return f
}

func unitOf(t *testing.T, env *st.Env, personID string) string {
	t.Helper()
	p := decode[struct {
		OrgUnitID string `json:"org_unit_id"`
	}](t, env.Do(t, st.Sys, "GET", "/api/v1/people/"+personID, "", ""))
	if p.OrgUnitID == "" {
		t.Fatalf("person %s has no org unit", personID)
	}
	return p.OrgUnitID
}

// answerAll answers every question of the learning-needs template for people with no account.
func answerAll(sv surveyDoc, skill string) []survey.AnswerInput {
	var out []survey.AnswerInput
	for _, q := range sv.Questions {
		a := survey.AnswerInput{QuestionID: q.ID}
		switch q.Kind {
		case survey.QuestionScale:
			a.Scale = 2
		case survey.QuestionSkills:
			a.Choices = []string{skill}
		case survey.QuestionSingle, survey.QuestionMultiple:
			a.Choices = []string{q.Options[0].ID}
		case survey.QuestionText:
			a.Text = "Pairing with a colleague"
		}
		out = append(out, a)
	}
	return out
}

// TestLearningNeedsSurveyInTheBrowserForms walks the whole life of a learning-needs survey through
// the pages: an L&D administrator starts it from the template, makes it anonymous, sends it to a
// unit and opens it; the employee is asked on the home page, answers, cannot answer twice; the
// results hide the answers until enough people answered.
func TestLearningNeedsSurveyInTheBrowserForms(t *testing.T) {
	env := st.Start(t)
	deadline := time.Now().AddDate(0, 1, 0).Format("2006-01-02T15:04")

	// Start from the template with the author's title and deadline.
	res := env.Do(t, st.LnD, "POST", "/surveys", form, url.Values{"title": {"Learning needs 2027"}, "deadline": {deadline}, "template": {"lna"}}.Encode())
	id := strings.TrimPrefix(location(t, res, http.StatusSeeOther), "/surveys/")
	sv := getSurvey(t, env, st.LnD, id)
	if sv.Title != "Learning needs 2027" || sv.Kind != survey.KindLNA || sv.Status != survey.StatusDraft || len(sv.Questions) != len(survey.DefaultLNA().Questions) {
		t.Fatalf("created %+v", sv)
	}
	page := env.Do(t, st.LnD, "GET", "/surveys/"+id, "", "")
	for _, want := range []string{"Which skills do you want to learn or improve in the coming year?", "Actively: by doing, trying and discussing", `name="q5.options"`, "Save draft", "Open the survey"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the draft's page lacks %q", want)
		}
	}

	// The editor saves the whole form: anonymous now, every question and option keeps its id.
	f := editorForm(sv, deadline)
	f.Set("anonymous", "on")
	f.Set("op", "save")
	location(t, env.Do(t, st.LnD, "POST", "/surveys/"+id, form, f.Encode()), http.StatusSeeOther)
	saved := getSurvey(t, env, st.LnD, id)
	if !saved.Anonymous {
		t.Error("the survey is not anonymous after saving the editor")
	}
	before, _ := encjson.Marshal(sv.Questions)
	after, _ := encjson.Marshal(saved.Questions)
	if string(before) != string(after) {
		t.Errorf("saving the unchanged editor changed the questions:\n%s\n%s", before, after)
	}

	// Send to the employee's unit, then open.
	unit := unitOf(t, env, env.Fix.Persons[st.Employee])
	res = env.Do(t, st.LnD, "POST", "/surveys/"+id+"/send", form, "org_unit_ids="+unit)
	location(t, res, http.StatusSeeOther)
	if sv = getSurvey(t, env, st.LnD, id); sv.Invited < 1 {
		t.Fatalf("sending to the unit invited no one: %+v", sv)
	}
	// An unknown person is named beside the field, and nothing is sent.
	res = env.Do(t, st.LnD, "POST", "/surveys/"+id+"/send", form, "people=NOBODY-42")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="people-error"`) || !strings.Contains(res.Body, "NOBODY-42") {
		t.Errorf("an unknown person: %d\n%.500s", res.Status, res.Body)
	}
	// Before it opens, the employee does not see it.
	if res := env.Do(t, st.Employee, "GET", "/surveys/"+id, "", ""); res.Status != http.StatusNotFound {
		t.Errorf("the employee sees the draft: %d", res.Status)
	}
	location(t, env.Do(t, st.LnD, "POST", "/surveys/"+id+"/open", form, ""), http.StatusSeeOther)

	// The employee is asked on the home page and in the list.
	home := env.Do(t, st.Employee, "GET", "/", "", "")
	if !strings.Contains(home.Body, "Answer the survey “Learning needs 2027” before") || !strings.Contains(home.Body, `href="/surveys/`+id+`"`) {
		t.Errorf("the home page does not ask for the survey:\n%.3000s", home.Body)
	}
	list := env.Do(t, st.Employee, "GET", "/surveys", "", "")
	if !strings.Contains(list.Body, "Learning needs 2027") || !strings.Contains(list.Body, "to answer") || strings.Contains(list.Body, "New survey") {
		t.Errorf("the employee's survey list:\n%.3000s", list.Body)
	}
	form1 := env.Do(t, st.Employee, "GET", "/surveys/"+id, "", "")
	if form1.Status != 200 || !strings.Contains(form1.Body, `id="answer-form"`) || !strings.Contains(form1.Body, "This survey is anonymous") {
		t.Fatalf("answer form: %d\n%.2000s", form1.Status, form1.Body)
	}
	if strings.Contains(form1.Body, "Save draft") {
		t.Error("the employee is shown the editor")
	}

	// Missing required answers are named beside their questions, and what was chosen stays.
	skillsQ, scaleQ, textQ := sv.Questions[0].ID, sv.Questions[2].ID, sv.Questions[7].ID
	answers := url.Values{"answers." + scaleQ: {"2"}, "answers." + textQ: {"More pairing, less slides"}}
	res = env.Do(t, st.Employee, "POST", "/surveys/"+id+"/answer", form, answers.Encode())
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete answers: %d", res.Status)
	}
	for _, want := range []string{`id="q1-error"`, "answer this question", `aria-describedby="q1-help q1-error"`, `aria-invalid="true"`, "More pairing, less slides", `value="2" checked`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `id="q3-error"`) {
		t.Error("an answered question is marked wrong")
	}

	// Complete answers are taken once.
	for _, q := range sv.Questions[2:5] {
		answers.Set("answers."+q.ID, "4")
	}
	answers.Set("answers."+skillsQ, env.Fix.Skill)
	res = env.Do(t, st.Employee, "POST", "/surveys/"+id+"/answer", form, answers.Encode())
	if to := location(t, res, http.StatusSeeOther); to != "/surveys/"+id {
		t.Errorf("after answering: to %s", to)
	}
	thanks := env.Do(t, st.Employee, "GET", "/surveys/"+id, "", "")
	if !strings.Contains(thanks.Body, "Thank you for your answers") || strings.Contains(thanks.Body, `id="answer-form"`) {
		t.Errorf("after answering the page shows:\n%.2000s", thanks.Body)
	}
	res = env.Do(t, st.Employee, "POST", "/surveys/"+id+"/answer", form, answers.Encode())
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "you have already answered this survey") {
		i := strings.Index(res.Body, "<main")
		t.Errorf("a second answer: %d\n%.1500s", res.Status, res.Body[max(i, 0):])
	}
	if home := env.Do(t, st.Employee, "GET", "/", "", ""); strings.Contains(home.Body, "Learning needs 2027") {
		t.Error("the home page still asks for an answered survey")
	}

	// One answer of an anonymous survey is not shown; the employee cannot see results at all.
	results := env.Do(t, st.LnD, "GET", "/surveys/"+id+"/results", "", "")
	if results.Status != 200 || !strings.Contains(results.Body, "Fewer than 5 answers; hidden to protect anonymity.") || strings.Contains(results.Body, "More pairing") {
		t.Fatalf("results of one answer: %d\n%.3000s", results.Status, results.Body)
	}
	if res := env.Do(t, st.Employee, "GET", "/surveys/"+id+"/results", "", ""); res.Status != http.StatusForbidden || strings.Contains(res.Body, "More pairing") {
		t.Errorf("the employee's results: %d", res.Status)
	}

	// Four more answers make a group of five, which is shown with its figures and texts, without names.
	respondents := uninvited(t, env, id, 4)
	for _, pid := range respondents {
		if err := env.Server.Services.Surveys.Submit(context.Background(), &core.Actor{PersonID: pid}, id, answerAll(sv, env.Fix.Skill)); err != nil {
			t.Fatalf("answer as %s: %v", pid, err)
		}
	}
	results = env.Do(t, st.LnD, "GET", "/surveys/"+id+"/results?unit="+unit, "", "")
	for _, want := range []string{"5 of ", "More pairing, less slides", "Pairing with a colleague", `<svg class="chart"`, `aria-labelledby="chart-q3-t chart-q3-d"`, "Fixture skill", "mean 2.4 of 5"} {
		if !strings.Contains(results.Body, want) {
			t.Errorf("results of five answers lack %q", want)
		}
	}
	if strings.Contains(results.Body, `aria-labelledby="t d"`) {
		t.Error("charts share the ids t and d")
	}
	export := env.Do(t, st.LnD, "GET", "/surveys/"+id+"/results/export?unit="+unit, "", "")
	if export.Status != 200 || !strings.HasPrefix(export.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(export.Body, "group,org_unit_id,invited,answered") || !strings.Contains(export.Body, "Pairing with a colleague") {
		t.Errorf("export: %d %q\n%.500s", export.Status, export.Header.Get("Content-Type"), export.Body)
	}
}

// uninvited returns n people invited to the survey who have not answered yet, other than the
// signed-in test roles.
func uninvited(t *testing.T, env *st.Env, surveyID string, n int) []string {
	t.Helper()
	rows, err := env.DB.QueryContext(context.Background(), `SELECT person_id FROM survey_invitations WHERE survey_id = ? AND answered_at IS NULL ORDER BY person_id`, surveyID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	logins := map[string]bool{}
	for _, id := range env.Fix.Persons {
		logins[id] = true
	}
	var out []string
	for rows.Next() && len(out) < n {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if !logins[id] {
			out = append(out, id)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d people to answer, want %d", len(out), n)
	}
	return out
}

// TestSurveyEditorButtons adds, moves and removes questions without JavaScript: each button shows
// the changed form unsaved, Save keeps it, and a bad question is marked where it is.
func TestSurveyEditorButtons(t *testing.T) {
	env := st.Start(t)
	deadline := time.Now().AddDate(0, 0, 20).Format("2006-01-02T15:04")
	res := env.Do(t, st.HR, "POST", "/surveys", form, url.Values{"title": {"Onboarding"}, "deadline": {deadline}, "template": {"blank"}}.Encode())
	id := strings.TrimPrefix(location(t, res, http.StatusSeeOther), "/surveys/")
	base := url.Values{"title": {"Onboarding"}, "kind": {"general"}, "deadline": {deadline}}

	f := cloneValues(base)
	f.Set("questions", "0")
	f.Set("op", "add")
	f.Set("new_kind", "single")
	res = env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode())
	if res.Status != 200 || !strings.Contains(res.Body, "Not saved yet") || !strings.Contains(res.Body, `name="q0.options"`) {
		t.Fatalf("add: %d\n%.2000s", res.Status, res.Body)
	}
	if sv := getSurvey(t, env, st.HR, id); len(sv.Questions) != 0 {
		t.Error("adding a question saved it")
	}

	f = cloneValues(base)
	f.Set("questions", "2")
	f.Set("q0.kind", "single")
	f.Set("q0.prompt", "Which team?")
	f.Set("q0.options", "Red\n\nBlue\n")
	f.Set("q1.kind", "scale")
	f.Set("q1.prompt", "How welcome did you feel?")
	f.Set("q1.scale_max", "5")
	f.Set("op", "up-1")
	res = env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode())
	if i, j := strings.Index(res.Body, "How welcome"), strings.Index(res.Body, "Which team?"); res.Status != 200 || i < 0 || j < 0 || i > j {
		t.Fatalf("moving question 2 up: %d (at %d and %d)", res.Status, i, j)
	}

	// Saving a question without its prompt marks that question.
	f = cloneValues(base)
	f.Set("questions", "2")
	f.Set("q0.kind", "scale")
	f.Set("q0.prompt", "How welcome did you feel?")
	f.Set("q0.scale_max", "5")
	f.Set("q1.kind", "single")
	f.Set("q1.options", "Red\n\nBlue\n")
	f.Set("op", "save")
	res = env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode())
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="q1-prompt-error"`) || strings.Contains(res.Body, `id="q0-prompt-error"`) {
		t.Fatalf("a question without a prompt: %d\n%.3000s", res.Status, res.Body)
	}
	f.Set("q1.prompt", "Which team?")
	location(t, env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode()), http.StatusSeeOther)
	sv := getSurvey(t, env, st.HR, id)
	if len(sv.Questions) != 2 || sv.Questions[1].Kind != "single" || len(sv.Questions[1].Options) != 2 || sv.Questions[1].Options[1].Label != "Blue" {
		t.Fatalf("saved %+v", sv.Questions)
	}

	// Removing a question and saving keeps the other one with its id.
	f = editorForm(sv, deadline)
	f.Set("op", "remove-0")
	res = env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode())
	if strings.Contains(res.Body, "How welcome") {
		t.Error("the removed question is still in the form")
	}
	kept := sv.Questions[1].ID
	f = editorForm(sv, deadline)
	for _, k := range []string{"id", "kind", "prompt", "options", "scale_max", "low_label", "high_label", "max_choices", "max_length"} {
		f.Set("q0."+k, f.Get("q1."+k))
	}
	f.Set("questions", "1")
	f.Set("op", "save")
	location(t, env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode()), http.StatusSeeOther)
	if sv := getSurvey(t, env, st.HR, id); len(sv.Questions) != 1 || sv.Questions[0].ID != kept {
		t.Errorf("after removing: %+v", sv.Questions)
	}

	// Turning the question into a scale starts it with five points.
	f.Set("q0.kind", "scale")
	f.Del("q0.scale_max")
	location(t, env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode()), http.StatusSeeOther)
	if sv := getSurvey(t, env, st.HR, id); sv.Questions[0].Kind != "scale" || sv.Questions[0].ScaleMax != 5 || sv.Questions[0].ID != kept {
		t.Errorf("after changing the kind: %+v", sv.Questions)
	}

	// Once open, the questions no longer change.
	location(t, env.Do(t, st.HR, "POST", "/surveys/"+id+"/open", form, ""), http.StatusSeeOther)
	if res := env.Do(t, st.HR, "POST", "/surveys/"+id, form, f.Encode()); res.Status != http.StatusConflict {
		t.Errorf("editing an open survey: %d", res.Status)
	}
	if res := env.Do(t, st.HR, "POST", "/surveys/"+id+"/delete", form, ""); res.Status != http.StatusConflict {
		t.Errorf("deleting an open survey: %d", res.Status)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestSurveyAPI runs a survey through the API: template, create, make anonymous, send, open,
// answer once, results, and the refusals along the way. Every answer matches the document.
func TestSurveyAPI(t *testing.T) {
	env := st.Start(t)
	do := func(role, method, route, path, body string) *st.Response {
		t.Helper()
		res := env.Do(t, role, method, path, json, body)
		apitest.ValidateResponse(t, route, res.Status, []byte(res.Body))
		return res
	}
	tmpl := decode[map[string]any](t, do(st.LnD, "GET", "GET /api/v1/survey-templates/lna", "/api/v1/survey-templates/lna", ""))
	tmpl["title"] = "LNA via the API"
	tmpl["deadline"] = time.Now().AddDate(0, 0, 10).UTC().Format(time.RFC3339)
	body, _ := encjson.Marshal(tmpl)
	res := do(st.LnD, "POST", "POST /api/v1/surveys", "/api/v1/surveys", string(body))
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	sv := decode[surveyDoc](t, res)
	if res.Header.Get("Location") != "/api/v1/surveys/"+sv.ID || sv.Status != "draft" || len(sv.Questions) != 8 {
		t.Fatalf("created %s %+v", res.Header.Get("Location"), sv)
	}
	path := "/api/v1/surveys/" + sv.ID

	// PUT replaces the draft; sending it the ids keeps the questions.
	tmpl["anonymous"] = true
	qs := tmpl["questions"].([]any)
	for i, q := range qs {
		q.(map[string]any)["id"] = sv.Questions[i].ID
	}
	tmpl["questions"] = qs[:len(qs)-1] // without the text question
	body, _ = encjson.Marshal(tmpl)
	res = do(st.LnD, "PUT", "PUT /api/v1/surveys/{id}", path, string(body))
	if got := decode[surveyDoc](t, res); res.Status != 200 || !got.Anonymous || len(got.Questions) != 7 || got.Questions[0].ID != sv.Questions[0].ID {
		t.Fatalf("put: %d %s", res.Status, res.Body)
	}

	// Sending again invites only people not invited before.
	to := fmt.Sprintf(`{"person_ids":[%q,%q]}`, env.Fix.Persons[st.Employee], env.Fix.Persons[st.Manager])
	for i, want := range []string{`"invited":2,"already_invited":0`, `"invited":0,"already_invited":2`} {
		if res := do(st.LnD, "POST", "POST /api/v1/surveys/{id}/send", path+"/send", to); res.Status != 200 || !strings.Contains(res.Body, want) {
			t.Errorf("send %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	res = do(st.LnD, "POST", "POST /api/v1/surveys/{id}/send", path+"/send", `{"org_unit_ids":["not-a-unit"]}`)
	if p := decodeProblem(t, res); res.Status != 422 || p.Field != "org_unit_ids" {
		t.Errorf("send to an unknown unit: %d %+v", res.Status, p)
	}
	if res := do(st.LnD, "POST", "POST /api/v1/surveys/{id}/open", path+"/open", ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"open"`) {
		t.Fatalf("open: %d %s", res.Status, res.Body)
	}
	if res := do(st.LnD, "PUT", "PUT /api/v1/surveys/{id}", path, string(body)); res.Status != http.StatusConflict {
		t.Errorf("put an open survey: %d", res.Status)
	}

	// The employee sees the invitation and the questions, not the progress.
	mine := decode[struct {
		Items []struct {
			SurveyID  string `json:"survey_id"`
			CanAnswer bool   `json:"can_answer"`
		} `json:"items"`
	}](t, do(st.Employee, "GET", "GET /api/v1/me/surveys", "/api/v1/me/surveys", ""))
	if len(mine.Items) == 0 || mine.Items[0].SurveyID != sv.ID || !mine.Items[0].CanAnswer {
		t.Errorf("my surveys: %+v", mine)
	}
	if got := getSurvey(t, env, st.Employee, sv.ID); got.Invited != 0 || len(got.Questions) != 7 {
		t.Errorf("the employee's view: %+v", got)
	}

	// Answers: each bad one named by its question; then accepted once.
	scale := sv.Questions[2].ID
	res = do(st.Employee, "POST", "POST /api/v1/surveys/{id}/responses", path+"/responses", fmt.Sprintf(`{"answers":[{"question_id":%q,"scale":9}]}`, scale))
	p := decodeProblem(t, res)
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	if res.Status != 422 || !fields["answers."+scale] || !fields["answers."+sv.Questions[0].ID] || fields["answers."+sv.Questions[1].ID] {
		t.Errorf("bad answers: %d %+v", res.Status, p)
	}
	var answers []string
	for _, q := range sv.Questions[:7] {
		switch q.Kind {
		case "skills":
			answers = append(answers, fmt.Sprintf(`{"question_id":%q,"choices":[%q]}`, q.ID, env.Fix.Skill))
		case "scale":
			answers = append(answers, fmt.Sprintf(`{"question_id":%q,"scale":3}`, q.ID))
		}
	}
	ok := `{"answers":[` + strings.Join(answers, ",") + `]}`
	if res := do(st.Employee, "POST", "POST /api/v1/surveys/{id}/responses", path+"/responses", ok); res.Status != http.StatusNoContent {
		t.Fatalf("answer: %d %s", res.Status, res.Body)
	}
	if res := do(st.Employee, "POST", "POST /api/v1/surveys/{id}/responses", path+"/responses", ok); res.Status != http.StatusConflict {
		t.Errorf("a second answer: %d %s", res.Status, res.Body)
	}
	if res := do(st.Manager, "GET", "GET /api/v1/surveys/{id}/results", path+"/results", ""); res.Status != http.StatusForbidden {
		t.Errorf("the manager reads results: %d", res.Status)
	}

	// One anonymous answer is suppressed, with the reason to tell.
	results := decode[struct {
		MinGroup int `json:"min_group"`
		Overall  struct {
			Invited, Answered, Responses int
			Suppressed                   bool
			Questions                    []any
		} `json:"overall"`
	}](t, do(st.LnD, "GET", "GET /api/v1/surveys/{id}/results", path+"/results", ""))
	if o := results.Overall; results.MinGroup != 5 || o.Invited != 2 || o.Answered != 1 || !o.Suppressed || o.Responses != 0 || len(o.Questions) != 0 {
		t.Errorf("results: %+v", results)
	}
	res = do(st.LnD, "GET", "GET /api/v1/surveys/{id}/results", path+"/results?org_unit=00000000-0000-7000-8000-000000000000", "")
	if p := decodeProblem(t, res); res.Status != 422 || p.Field != "org_unit" {
		t.Errorf("results of an unknown unit: %d %+v", res.Status, p)
	}

	// Closed: no more answers, and it stays.
	if res := do(st.LnD, "POST", "POST /api/v1/surveys/{id}/close", path+"/close", ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"closed"`) {
		t.Errorf("close: %d %s", res.Status, res.Body)
	}
	if res := do(st.Manager, "POST", "POST /api/v1/surveys/{id}/responses", path+"/responses", ok); res.Status != http.StatusConflict {
		t.Errorf("answering a closed survey: %d", res.Status)
	}
	if res := do(st.LnD, "DELETE", "DELETE /api/v1/surveys/{id}", path, ""); res.Status != http.StatusConflict {
		t.Errorf("deleting a closed survey: %d", res.Status)
	}
	list := decode[struct {
		Items []surveyDoc `json:"items"`
	}](t, do(st.HR, "GET", "GET /api/v1/surveys", "/api/v1/surveys?status=closed&kind=lna", ""))
	if len(list.Items) != 1 || list.Items[0].ID != sv.ID || list.Items[0].Answered != 1 || list.Items[0].Questions != nil {
		t.Errorf("closed learning-needs surveys: %+v", list.Items)
	}
}
