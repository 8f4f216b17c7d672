package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// openLNA has the L&D administrator start a learning-needs survey from the template, send it to
// the employee and open it, through the API. It returns the survey's id.
func openLNA(t *testing.T, env *st.Env, title string) string {
	t.Helper()
	res := env.Do(t, st.LnD, "GET", "/api/v1/survey-templates/lna", "", "")
	var in map[string]any
	if err := json.Unmarshal([]byte(res.Body), &in); err != nil {
		t.Fatalf("template: %v %s", err, res.Body)
	}
	in["title"], in["deadline"] = title, time.Now().AddDate(0, 0, 14).UTC().Format(time.RFC3339)
	body, _ := json.Marshal(in)
	res = env.Do(t, st.LnD, "POST", "/api/v1/surveys", "application/json", string(body))
	var sv struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(res.Body), &sv); err != nil || res.Status != 201 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	for _, step := range []struct{ path, body string }{
		{"/send", fmt.Sprintf(`{"person_ids":[%q]}`, env.Fix.Persons[st.Employee])},
		{"/open", ""},
	} {
		if res := env.Do(t, st.LnD, "POST", "/api/v1/surveys/"+sv.ID+step.path, "application/json", step.body); res.Status != 200 {
			t.Fatalf("%s: %d %s", step.path, res.Status, res.Body)
		}
	}
	return sv.ID
}

func TestEmployeeAnswersTheLearningNeedsSurvey(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	id := openLNA(t, env, "What shall we learn next year?")
	signIn(t, ctx, env, st.Employee)

	// The home page asks for the survey; the survey list leads to it.
	waitText(t, ctx, ".steps", "Answer the survey “What shall we learn next year?”")
	do(t, ctx, chromedp.Navigate(env.URL+"/surveys"))
	waitText(t, ctx, "#my-surveys", "to answer")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#my-surveys a[href="/surveys/`+id+`"]`)))
	waitText(t, ctx, "h1", "What shall we learn next year?")

	// Sending without the required answers keeps the person on the form, told where. (The
	// browser's own check of required fields is switched off, to reach the server's.)
	do(t, ctx, chromedp.Click(chromedp.CSS("#q3-1")))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("answer-form").noValidate = true`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#send-answers")))
	waitText(t, ctx, "#q1-error", "answer this question")
	if checked, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("q3-1").checked`)); !checked {
		t.Error("the refused form forgot the answer given")
	}

	// Answer every required question like a person: a skill from the list and three scales.
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#q1-input"), env.Fix.Skill),
		chromedp.Click(chromedp.CSS(`label[for="q4-0"]`)),
		chromedp.Click(chromedp.CSS(`label[for="q5-4"]`)),
		chromedp.Click(chromedp.CSS(`label[for="q6-1"]`)), // several ways of learning may be chosen
		chromedp.Click(chromedp.CSS(`label[for="q6-3"]`)),
		chromedp.SendKeys(chromedp.CSS("#q8-input"), "More time for pairing."),
		chromedp.Click(chromedp.CSS("#send-answers")),
	)
	waitText(t, ctx, "#thanks", "Thank you for your answers")
	waitText(t, ctx, ".flash", "your answers were saved")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#answer-form").length`)); n != 0 {
		t.Error("the form is still offered after answering")
	}
	do(t, ctx, chromedp.Navigate(env.URL+"/surveys"))
	waitText(t, ctx, "#my-surveys", "answered")

	// The author counts the answer.
	res := env.Do(t, st.LnD, "GET", "/api/v1/surveys/"+id, "", "")
	var sv struct{ Answered int }
	if err := json.Unmarshal([]byte(res.Body), &sv); err != nil || sv.Answered != 1 {
		t.Errorf("the survey counts %d answers, want 1 (%v)", sv.Answered, err)
	}
}
