package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// TestScreenshots refreshes the README's screenshots when LEARNLOOP_SCREENSHOTS names a
// directory (docs/images): `LEARNLOOP_E2E=1 LEARNLOOP_SCREENSHOTS=$PWD/docs/images go test
// -run Screenshots ./internal/e2e/`.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LEARNLOOP_SCREENSHOTS")
	if dir == "" {
		t.Skip("LEARNLOOP_SCREENSHOTS is not set")
	}
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.Manager)
	for _, page := range []struct{ file, path, ready string }{
		{"matrix.png", "/skills/matrix?sort=gap", "#matrix"},
		{"needs.png", "/skills/needs", "#needs"},
	} {
		do(t, ctx, chromedp.Navigate(env.URL+page.path), chromedp.WaitVisible(chromedp.CSS(page.ready)))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, page.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Training, on the demo's catalog and history: an employee's learning and the compliance
	// dashboard.
	tenv := st.StartWithTraining(t, st.TestPeople)
	if _, err := tenv.Server.Services.LRS.Deliver(context.Background()); err != nil { // the history, as statements
		t.Fatal(err)
	}
	for _, shot := range []struct{ role, file, path, ready string }{
		{st.Manager, "training.png", "/training", "#completed"},
		{st.HR, "compliance.png", "/training/compliance", "#by-unit"},
		{st.LnD, "record.png", "/record", "#statements"},
	} {
		tctx := browser(t)
		signIn(t, tctx, tenv, shot.role)
		do(t, tctx, chromedp.Navigate(tenv.URL+shot.path), chromedp.WaitVisible(chromedp.CSS(shot.ready)))
		png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, shot.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
