package e2e
import ("os"; "testing"; "github.com/chromedp/chromedp"; st "github.com/learnloop/learnloop/internal/server/servertest")
func TestZZShots(t *testing.T) {
	ctx := browser(t)
	env := st.Start(t)
	signIn(t, ctx, env, st.LnD)
	tf := env.Fix.Training
	for name, p := range map[string]string{"mylearning": "/training", "item": "/training/items/" + tf.Item, "path": "/training/items/" + tf.Path, "workshop": "/training/items/" + tf.Workshop, "session": "/training/sessions/" + tf.Session, "compliance": "/training/compliance", "form": "/training/items/" + tf.Item + "/edit", "questions": "/training/items/" + tf.Item + "/questions", "attempt": "/training/attempts/" + tf.Attempt, "rules": "/training/rules", "catalog": "/training/catalog"} {
		do(t, ctx, chromedp.Navigate(env.URL+p))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil { t.Fatal(err) }
		os.WriteFile("/tmp/shot-"+name+".png", png, 0o644)
	}
}
