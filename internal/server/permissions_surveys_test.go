package server_test

import st "github.com/learnloop/learnloop/internal/server/servertest"

// authors returns a want map where the authors of surveys (L&D, HR and system administrators) get
// ok.
func authors(anon, refused, ok int) map[string]int { return skillAdmins(anon, refused, ok) }

// The fixture's draft is sent to no one; the open survey is sent to the employee and the L&D
// administrator, so they answer it, the manager does not find it, and HR and system
// administrators are authors who are not invited.
const (
	draftSurvey = "/surveys/" + st.DraftSurvey
	openSurvey  = "/surveys/" + st.OpenSurvey
	draftTitle  = "Fixture draft survey"
	surveyForm  = "title=Renamed+draft&kind=general&deadline=2099-01-01T09:00&questions=1&q0.kind=scale&q0.prompt=How+useful%3F&q0.scale_max=5&op=save"
	surveyJSON  = `{"title":"Renamed draft","deadline":"2099-01-01T09:00:00Z","questions":[{"kind":"scale","prompt":"How useful?","scale_max":5}]}`
)

// surveyTable holds the permission rows of the survey pages and API.
var surveyTable = []access{
	{route: "GET /surveys", method: "GET", path: "/surveys", want: everyone(303, 200), hidden: draftTitle},
	{route: "POST /surveys", method: "POST", path: "/surveys", contentType: form, body: "title=Needs+2027&deadline=2099-01-01T09%3A00&template=lna", want: authors(303, 403, 303)},
	{route: "GET /surveys/{id}", method: "GET", path: draftSurvey, want: authors(303, 404, 200), hidden: draftTitle},
	{route: "POST /surveys/{id}", method: "POST", path: draftSurvey, contentType: form, body: surveyForm, want: authors(303, 403, 303)},
	{route: "POST /surveys/{id}/send", method: "POST", path: draftSurvey + "/send", contentType: form, body: "org_unit_ids={unit}", want: authors(303, 403, 303)},
	{route: "POST /surveys/{id}/open", method: "POST", path: draftSurvey + "/open", contentType: form, want: authors(303, 403, 303)},
	{route: "POST /surveys/{id}/close", method: "POST", path: openSurvey + "/close", contentType: form, want: authors(303, 403, 303)},
	{route: "POST /surveys/{id}/delete", method: "POST", path: draftSurvey + "/delete", contentType: form, want: authors(303, 403, 303)},
	// Authors who are not invited see a preview and cannot answer.
	{route: "GET /surveys/{id}/answer", method: "GET", path: openSurvey + "/answer", want: with(authors(303, 404, 200), st.Employee, 200), hidden: draftTitle},
	{route: "POST /surveys/{id}/answer", method: "POST", path: openSurvey + "/answer", contentType: form,
		want: with(authors(303, 404, 403), st.Employee, 303, st.LnD, 303)},
	{route: "GET /surveys/{id}/results", method: "GET", path: openSurvey + "/results", want: authors(303, 403, 200)},
	{route: "GET /surveys/{id}/results/export", method: "GET", path: openSurvey + "/results/export", want: authors(303, 403, 200)},

	{route: "GET /api/v1/surveys", method: "GET", path: "/api/v1/surveys", want: with(authors(401, 403, 200), st.TokenRead, 403), hidden: draftTitle},
	{route: "POST /api/v1/surveys", method: "POST", path: "/api/v1/surveys", contentType: json, body: `{"title":"API survey","deadline":"2099-01-01T00:00:00Z"}`,
		want: with(authors(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/surveys/{id}", method: "GET", path: "/api/v1" + openSurvey, want: with(authors(401, 404, 200), st.Employee, 200, st.TokenRead, 403)},
	{route: "PUT /api/v1/surveys/{id}", method: "PUT", path: "/api/v1" + draftSurvey, contentType: json, body: surveyJSON, want: with(authors(401, 403, 200), st.TokenRead, 403)},
	{route: "DELETE /api/v1/surveys/{id}", method: "DELETE", path: "/api/v1" + draftSurvey, want: with(authors(401, 403, 204), st.TokenRead, 403)},
	{route: "POST /api/v1/surveys/{id}/send", method: "POST", path: "/api/v1" + draftSurvey + "/send", contentType: json, body: `{"org_unit_ids":["{unit}"]}`,
		want: with(authors(401, 403, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/surveys/{id}/open", method: "POST", path: "/api/v1" + draftSurvey + "/open", want: with(authors(401, 403, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/surveys/{id}/close", method: "POST", path: "/api/v1" + openSurvey + "/close", want: with(authors(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/surveys/{id}/results", method: "GET", path: "/api/v1" + openSurvey + "/results", want: with(authors(401, 403, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/surveys/{id}/responses", method: "POST", path: "/api/v1" + openSurvey + "/responses", contentType: json, body: `{"answers":[]}`,
		want: with(authors(401, 404, 403), st.Employee, 204, st.LnD, 204, st.TokenRead, 403)},
	{route: "GET /api/v1/me/surveys", method: "GET", path: "/api/v1/me/surveys", want: with(everyone(401, 200), st.TokenRead, 403), hidden: draftTitle},
	{route: "GET /api/v1/survey-templates/lna", method: "GET", path: "/api/v1/survey-templates/lna", want: with(authors(401, 403, 200), st.TokenRead, 403)},
}
