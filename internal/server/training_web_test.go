package server_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

// A learning path is named "Learning path" wherever its kind shows: kinds and enrollment sources
// share a spelling ("path", for the steps of a path someone is enrolled in), and the pages once
// called the path itself "a step of a path".
func TestTrainingPagesNamePathsApartFromTheirSteps(t *testing.T) {
	env := st.Start(t)
	path := env.Fix.Training.Path
	if res := env.Do(t, st.Employee, "POST", "/training/items/"+path+"/enroll", "application/x-www-form-urlencoded", url.Values{}.Encode()); res.Status != 303 {
		t.Fatalf("enroll in the path: %d %.300s", res.Status, res.Body)
	}
	mine := env.Do(t, st.Employee, "GET", "/training", "", "")
	row := regexp.MustCompile(`(?s)<a href="/training/items/` + path + `">Fixture path</a>.*?</li>`).FindString(mine.Body)
	if row == "" {
		t.Fatalf("the path is not on My learning:\n%s", mine.Body)
	}
	if !strings.Contains(row, "Learning path") || strings.Contains(row, "a step of a path") {
		t.Errorf("the path's row names its kind wrongly: %s", row)
	}
	for _, page := range []string{"/training/catalog?kind=path", "/training/items/" + path} {
		body := env.Do(t, st.Employee, "GET", page, "", "").Body
		if !strings.Contains(body, "Learning path") || strings.Contains(body, "a step of a path") {
			t.Errorf("%s names the kind wrongly", page)
		}
	}
}
