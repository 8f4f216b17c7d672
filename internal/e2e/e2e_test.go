// Package e2e drives the real learnloop server with a real headless Chromium through the flows
// people use: signing in, searching the directory, importing a CSV file with its preview, and
// seeing only what one's role allows. The tests run when LEARNLOOP_E2E is set (CI sets it).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// browser starts a fresh headless Chromium for one test. When the test fails, a screenshot of the
// page is kept as a test artifact (and copied to $LEARNLOOP_E2E_ARTIFACTS when set).
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("LEARNLOOP_E2E") == "" {
		t.Skip("LEARNLOOP_E2E is not set")
	}
	path := os.Getenv("LEARNLOOP_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("LEARNLOOP_E2E is set but there is no browser at %s: %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx)
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

func screenshot(t *testing.T, ctx context.Context) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".jpg"
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("LEARNLOOP_E2E_ARTIFACTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err == nil {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, png, 0o644); err == nil {
				t.Logf("screenshot of the failing page: %s", p)
			}
		}
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("browser: %v (at %s)", err, loc)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// waitText waits until the element's text contains want. It checks again after every failure,
// because a page that is navigating (a form's redirect) cannot be asked anything.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, want)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {innerText: "(missing)"}).innerText`, sel)))
	t.Fatalf("%s never showed %q; it shows:\n%.800s", sel, want, got)
}

// signIn uses the sign-in form like a person.
func signIn(t *testing.T, ctx context.Context, env *st.Env, role string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), env.Fix.Emails[role]),
		chromedp.SendKeys(chromedp.CSS("#password"), st.Password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
	)
	waitText(t, ctx, "h1", "Welcome")
}

func person(t *testing.T, env *st.Env, id string) (given, family string) {
	t.Helper()
	res := env.Do(t, st.Sys, "GET", "/api/v1/people/"+id, "", "")
	var p struct {
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatal(err)
	}
	return p.GivenName, p.FamilyName
}

func TestSignInAndSearchPeople(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	// A wrong password keeps the person on the form with a message.
	do(t, ctx,
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), env.Fix.Emails[st.HR]),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
	)
	waitText(t, ctx, ".error", "The email or password is not right.")
	signIn(t, ctx, env, st.HR)

	given, family := person(t, env, env.Fix.Report)
	query := family[:min(4, len(family))] + " " + given[:2]
	var found struct {
		Total int `json:"total"`
	}
	res := env.Do(t, st.HR, "GET", "/api/v1/people?q="+url.QueryEscape(query), "", "")
	if err := json.Unmarshal([]byte(res.Body), &found); err != nil || found.Total == 0 {
		t.Fatalf("the API finds no one for %q: %s", query, res.Body)
	}
	count := fmt.Sprintf("%d people", found.Total)
	if found.Total == 1 {
		count = "1 person"
	}
	do(t, ctx, chromedp.Navigate(env.URL+"/people"), chromedp.WaitVisible(chromedp.CSS("#q")))
	// Typing updates the results in place (htmx), without loading a new page.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), query))
	waitText(t, ctx, "#results", count)
	waitText(t, ctx, "#results", family+", "+given)
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.samePage === true`))
	if err != nil || !same {
		t.Errorf("the search reloaded the page instead of updating the results (%v)", err)
	}
	// The address keeps the search, so it can be shared or reloaded.
	deadline := time.Now().Add(5 * time.Second)
	for loc := ""; !strings.Contains(loc, "q="); time.Sleep(50 * time.Millisecond) {
		if loc, _ = chromedp.Run(ctx, chromedp.Location()); time.Now().After(deadline) {
			t.Errorf("the address %s does not keep the search", loc)
			break
		}
	}
	// Following the result opens the profile.
	do(t, ctx, chromedp.Click(chromedp.CSS("#results tbody th a")))
	waitText(t, ctx, "h1", family)
}

func TestImportPreviewAndConfirm(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.HR)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(bad, []byte("Employee ID;First Name;Last Name;Manager\nX1;Ann;;X2\nX2;Bob;Two;X1\n"), 0o600)
	os.WriteFile(good, []byte("Employee ID,First Name,Last Name,Email,Manager\nX1,Annika,Zephyrine,annika@example.com,\nX2,Bartholomew,Zephyrine,bart@example.com,X1\n"), 0o600)

	// A bad file: every problem is listed with its line, and nothing can be applied.
	do(t, ctx,
		chromedp.Navigate(env.URL+"/admin/import"),
		chromedp.WaitVisible(chromedp.CSS("#file")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)),
	)
	waitText(t, ctx, "#import-summary", "problems")
	problems := text(t, ctx, "#problems tbody")
	for _, want := range []string{"enter a family name", "manager cycle"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems table lacks %q:\n%s", want, problems)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#apply").length`)); n != 0 {
		t.Error("a file with problems can be applied")
	}

	// A good file: the preview counts the changes, then applying it adds the people.
	do(t, ctx,
		chromedp.Navigate(env.URL+"/admin/import"),
		chromedp.WaitVisible(chromedp.CSS("#file")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}),
		chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)),
	)
	waitText(t, ctx, "#import-summary", "2 new")
	if got := text(t, ctx, "#count-create"); got != "2" {
		t.Errorf("preview counts %q new people, want 2", got)
	}
	if res := env.Do(t, st.HR, "GET", "/api/v1/people?q=zephyrine", "", ""); !strings.Contains(res.Body, `"total":0`) {
		t.Fatal("the preview already applied the file")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#apply")))
	waitText(t, ctx, ".flash", "Imported")
	do(t, ctx, chromedp.Navigate(env.URL+"/people?q=zephyrine"))
	waitText(t, ctx, "#results", "2 people")
	waitText(t, ctx, "#results", "Bartholomew")
}

func TestEachRoleSeesItsOwnScope(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.Employee)
	do(t, ctx, chromedp.Navigate(env.URL+"/people"))
	waitText(t, ctx, "#results", "1 person")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results tbody tr").length`)); n != 1 {
		t.Errorf("an employee sees %d people in the directory, want only themselves", n)
	}
	do(t, ctx, chromedp.Navigate(env.URL+"/people/"+env.Fix.Outsider))
	waitText(t, ctx, "h1", "Not found")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("a[href^='/admin']").length`)); n != 0 {
		t.Error("an employee is offered the Admin menu")
	}
}

func TestPhoneWidthMenu(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	do(t, ctx, chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	signIn(t, ctx, env, st.Manager)
	visible := func(sel string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.checkVisibility(); })()`, sel)))
		return err == nil && v
	}
	if visible(`.menu nav a[href="/people"]`) {
		t.Error("on a phone the menu should start folded")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(".menu > summary")))
	if !visible(`.menu nav a[href="/people"]`) {
		t.Error("opening the menu does not show the navigation")
	}
	// The page does not scroll sideways.
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if wide {
		t.Error("the home page is wider than a phone screen")
	}
}
