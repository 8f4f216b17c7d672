package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// TestLnDConnectsAToolAndTheLearnerSeesItsStatements: L&D creates an LRS client in the admin
// pages and copies its credentials; the tool sends a statement about the employee; the employee
// finds it in their learning record, on a phone-sized screen.
func TestLnDConnectsAToolAndTheLearnerSeesItsStatements(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.LnD)
	do(t, ctx, chromedp.Navigate(env.URL+"/admin/lrs"),
		chromedp.SendKeys(chromedp.CSS("#new-client #name"), "Safety simulator"),
		chromedp.Click(chromedp.Search(`//form[@id="new-client"]//label[contains(., "statements/write")]/input`)),
		chromedp.Click(chromedp.CSS(`#new-client button[type="submit"]`)),
	)
	waitText(t, ctx, "#clients", "Safety simulator")
	key, secret := text(t, ctx, "#client-key"), text(t, ctx, "#client-secret")
	if key == "" || secret == "" {
		t.Fatal("the new client's credentials are not shown")
	}
	body := `{"actor":{"mbox":"mailto:` + env.Fix.Emails[st.Employee] + `"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},` +
		`"object":{"id":"https://sim.example.com/scenarios/forklift","definition":{"name":{"en-US":"Forklift safety scenario"}}},"result":{"score":{"scaled":0.92}}}`
	req, _ := http.NewRequest("POST", env.URL+"/xapi/statements", strings.NewReader(body))
	req.SetBasicAuth(key, secret)
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the tool's statement was refused: %d", res.StatusCode)
	}

	phone := browser(t)
	do(t, phone, chromedp.EmulateViewport(390, 844))
	signIn(t, phone, env, st.Employee)
	do(t, phone, chromedp.Navigate(env.URL+"/training"), chromedp.Click(chromedp.Search(`//nav[contains(@class, "subnav")]//a[text()="Learning record"]`)))
	waitText(t, phone, "#statements", "Forklift safety scenario")
	waitText(t, phone, "#statements", "92%")
	waitText(t, phone, "#statements", "Safety simulator")
}
