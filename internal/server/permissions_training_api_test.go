package server_test

import st "github.com/learnloop/learnloop/internal/server/servertest"

// learners returns a want map giving code to every signed-in person; the people:read token is
// refused, as it is on every training endpoint that needs a training scope.
func learners(anon, code int) map[string]int { return with(everyone(anon, code), st.TokenRead, 403) }

// runners returns a want map where those who run training (L&D, HR and system administrators,
// who hold training:write) get ok, employees and managers refused.
func runners(anon, refused, ok int) map[string]int {
	return with(skillAdmins(anon, refused, ok), st.TokenRead, 403)
}

// The training fixture (see servertest.TrainingFixture): the employee reports to the manager,
// was assigned the compliance module by them, completed the fixture course (with a
// certificate) and holds a seat in the workshop's session, which the manager teaches; the
// manager's other report asks to take the approval course; the L&D administrator has an open
// attempt at the fixture course's test. L&D, HR and system administrators all run training.
const (
	sessionJSON = `{"item_id":"{workshop}","starts_at":"2099-01-01T09:00:00Z","ends_at":"2099-01-01T11:00:00Z","time_zone":"Europe/Berlin","location":"Room 2","capacity":5}`
	ruleJSON    = `{"name":"API rule","item_id":"{assigned}","job_role_id":"{unusedrole}","due_days":30,"active":true}`
)

// trainingAPITable holds the permission rows of the training API.
var trainingAPITable = []access{
	// The catalog: everyone reads what is published, those who run training see and write drafts.
	{route: "GET /api/v1/learning-items", method: "GET", path: "/api/v1/learning-items?status=all&limit=500", want: learners(401, 200), hidden: "{drafttitle}"},
	{route: "POST /api/v1/learning-items", method: "POST", path: "/api/v1/learning-items", contentType: json, body: `{"title":"API course","kind":"course"}`,
		want: runners(401, 403, 201)},
	{route: "GET /api/v1/learning-items/export", method: "GET", path: "/api/v1/learning-items/export", want: learners(401, 200), hidden: "{drafttitle}"},
	{route: "POST /api/v1/learning-items/import", method: "POST", path: "/api/v1/learning-items/import?dry_run=true", contentType: csv,
		body: "title,kind\nAPI imported course,course\n", want: runners(401, 403, 200)},
	{route: "GET /api/v1/learning-items/{id}", method: "GET", path: "/api/v1/learning-items/{item}", want: learners(401, 200)},
	{route: "GET /api/v1/learning-items/{id}", method: "GET", path: "/api/v1/learning-items/{draft}", want: runners(401, 404, 200), hidden: "{drafttitle}"},
	{route: "PATCH /api/v1/learning-items/{id}", method: "PATCH", path: "/api/v1/learning-items/{item}", contentType: json, body: `{"description":"Now described."}`,
		want: runners(401, 403, 200)},
	{route: "PATCH /api/v1/learning-items/{id}", method: "PATCH", path: "/api/v1/learning-items/{draft}", contentType: json, body: `{"status":"published"}`,
		want: runners(401, 403, 200), hidden: "{drafttitle}"},
	{route: "POST /api/v1/learning-items/{id}/content", method: "POST", path: "/api/v1/learning-items/{item}/content", contentType: json,
		body: `{"title":"Intranet page","url":"https://intranet.example.com/page"}`, want: runners(401, 403, 201)},
	{route: "GET /api/v1/learning-items/{id}/content/{content_id}", method: "GET", path: "/api/v1/learning-items/{item}/content/{content}", want: learners(401, 200)},
	{route: "DELETE /api/v1/learning-items/{id}/content/{content_id}", method: "DELETE", path: "/api/v1/learning-items/{item}/content/{content}",
		want: runners(401, 403, 204)},

	// Question banks hold the answers: only those who run training read or write them.
	{route: "GET /api/v1/learning-items/{id}/questions", method: "GET", path: "/api/v1/learning-items/{item}/questions", want: runners(401, 403, 200)},
	{route: "POST /api/v1/learning-items/{id}/questions", method: "POST", path: "/api/v1/learning-items/{item}/questions", contentType: json,
		body: `{"kind":"true_false","prompt":"Forklifts have brakes.","answer":true}`, want: runners(401, 403, 201)},
	{route: "PUT /api/v1/learning-items/{id}/questions/{question_id}", method: "PUT", path: "/api/v1/learning-items/{item}/questions/{question}", contentType: json,
		body: `{"kind":"single","prompt":"Which part?","options":[{"text":"This one","correct":true},{"text":"That one"}]}`, want: runners(401, 403, 200)},
	{route: "DELETE /api/v1/learning-items/{id}/questions/{question_id}", method: "DELETE", path: "/api/v1/learning-items/{item}/questions/{question}",
		want: runners(401, 403, 204)},
	{route: "GET /api/v1/learning-items/{id}/quizzes", method: "GET", path: "/api/v1/learning-items/{item}/quizzes", want: learners(401, 200)},
	{route: "PUT /api/v1/learning-items/{id}/quizzes/{kind}", method: "PUT", path: "/api/v1/learning-items/{item}/quizzes/test", contentType: json,
		body: `{"pass_mark":80}`, want: runners(401, 403, 200)},
	// The fixture's test has an attempt, which keeps it.
	{route: "DELETE /api/v1/quizzes/{id}", method: "DELETE", path: "/api/v1/quizzes/{quiz}", want: runners(401, 403, 409)},

	// Attempts: the employee's completion of the fixture course is still valid; the L&D
	// administrator gets their open attempt back; an attempt is its person's alone to submit.
	{route: "POST /api/v1/quizzes/{id}/attempts", method: "POST", path: "/api/v1/quizzes/{quiz}/attempts", want: with(learners(401, 201), st.Employee, 409)},
	{route: "GET /api/v1/attempts/{id}", method: "GET", path: "/api/v1/attempts/{attempt}", want: runners(401, 404, 200)},
	{route: "POST /api/v1/attempts/{id}/submission", method: "POST", path: "/api/v1/attempts/{attempt}/submission", contentType: json, body: `{"answers":{}}`,
		want: with(learners(401, 404), st.LnD, 200)},

	// Paths.
	{route: "GET /api/v1/learning-items/{id}/path", method: "GET", path: "/api/v1/learning-items/{path}/path", want: learners(401, 200)},
	{route: "GET /api/v1/learning-items/{id}/path", method: "GET", path: "/api/v1/learning-items/{item}/path", want: learners(401, 404)},
	{route: "PUT /api/v1/learning-items/{id}/path", method: "PUT", path: "/api/v1/learning-items/{path}/path", contentType: json,
		body: `{"levels":[{"name":"One","item_ids":["{item}"]},{"name":"Two","item_ids":["{workshop}"]}]}`, want: runners(401, 403, 200)},
	// A person's progress is seen by themselves and by those who see them.
	{route: "GET /api/v1/learning-items/{id}/path/progress", method: "GET", path: "/api/v1/learning-items/{path}/path/progress?person_id={report}",
		want: with(learners(401, 200), st.Employee, 404)},

	// Sessions: everyone reads them, those who run training schedule them; the manager teaches
	// the fixture's session, so sees its registrations and marks attendance (not before the
	// hour before it starts: next month).
	{route: "GET /api/v1/learning-items/{id}/sessions", method: "GET", path: "/api/v1/learning-items/{workshop}/sessions", want: learners(401, 200)},
	{route: "GET /api/v1/learning-items/{id}/sessions", method: "GET", path: "/api/v1/learning-items/{draft}/sessions", want: runners(401, 404, 200), hidden: "{drafttitle}"},
	{route: "POST /api/v1/sessions", method: "POST", path: "/api/v1/sessions", contentType: json, body: sessionJSON, want: runners(401, 403, 201)},
	{route: "GET /api/v1/sessions/{id}", method: "GET", path: "/api/v1/sessions/{session}", want: learners(401, 200)},
	{route: "PUT /api/v1/sessions/{id}", method: "PUT", path: "/api/v1/sessions/{session}", contentType: json, body: sessionJSON, want: runners(401, 403, 200)},
	{route: "POST /api/v1/sessions/{id}/cancel", method: "POST", path: "/api/v1/sessions/{session}/cancel", contentType: json, body: `{"reason":"The trainer is ill."}`,
		want: runners(401, 403, 200)},
	{route: "GET /api/v1/sessions/{id}/registrations", method: "GET", path: "/api/v1/sessions/{session}/registrations", want: learners(401, 200)},
	// The employee has their seat already.
	{route: "POST /api/v1/sessions/{id}/registrations", method: "POST", path: "/api/v1/sessions/{session}/registrations", want: with(learners(401, 201), st.Employee, 200)},
	{route: "POST /api/v1/sessions/{id}/attendance", method: "POST", path: "/api/v1/sessions/{session}/attendance", contentType: json,
		body: `{"attendance":{"{employee}":"attended"}}`, want: with(runners(401, 403, 409), st.Manager, 409)},
	// The employee gives up their own seat, those who run training anyone's; the instructor sees
	// it but may not.
	{route: "DELETE /api/v1/registrations/{id}", method: "DELETE", path: "/api/v1/registrations/{registration}", want: with(runners(401, 403, 200), st.Employee, 200)},
	{route: "GET /api/v1/registrations/{id}/calendar", method: "GET", path: "/api/v1/registrations/{registration}/calendar", want: learners(401, 200)},

	// The learner.
	{route: "GET /api/v1/me/learning", method: "GET", path: "/api/v1/me/learning", want: learners(401, 200)},
	{route: "GET /api/v1/me/calendar", method: "GET", path: "/api/v1/me/calendar", want: learners(401, 200)},
	{route: "POST /api/v1/me/calendar", method: "POST", path: "/api/v1/me/calendar", want: learners(401, 200)},
	// Notifications are the account's own; reading them takes training:read, which a token for
	// people data alone lacks.
	{route: "GET /api/v1/me/notifications", method: "GET", path: "/api/v1/me/notifications", want: learners(401, 200)},
	{route: "POST /api/v1/me/notifications/read", method: "POST", path: "/api/v1/me/notifications/read", contentType: json, body: `{}`, want: with(learners(401, 204))},

	// Enrollments. The L&D administrator's attempt enrolled them in the fixture course already.
	{route: "POST /api/v1/enrollments", method: "POST", path: "/api/v1/enrollments", contentType: json, body: `{"item_id":"{item}"}`,
		want: with(learners(401, 201), st.LnD, 200)},
	// Only by assignment: the employee has it assigned, nobody else may enroll.
	{route: "POST /api/v1/enrollments", method: "POST", path: "/api/v1/enrollments", contentType: json, body: `{"item_id":"{assigned}"}`,
		want: with(learners(401, 403), st.Employee, 200)},
	{route: "GET /api/v1/enrollments", method: "GET", path: "/api/v1/enrollments?person_id={report}", want: learners(401, 200)},
	{route: "GET /api/v1/enrollments/{id}", method: "GET", path: "/api/v1/enrollments/{request}", want: with(learners(401, 200), st.Employee, 404)},
	// What a manager assigned, the person may not withdraw; the manager and L&D may.
	{route: "POST /api/v1/enrollments/{id}/withdraw", method: "POST", path: "/api/v1/enrollments/{enrollment}/withdraw", contentType: json,
		body: `{"reason":"Not needed after all."}`, want: with(learners(401, 200), st.Employee, 403)},
	// The employee's own, but a compliance module: not completed on the learner's word.
	{route: "POST /api/v1/enrollments/{id}/complete", method: "POST", path: "/api/v1/enrollments/{enrollment}/complete", want: with(learners(401, 404), st.Employee, 409)},
	{route: "POST /api/v1/enrollments/{id}/decision", method: "POST", path: "/api/v1/enrollments/{request}/decision", contentType: json, body: `{"approve":true}`,
		want: with(learners(401, 200), st.Employee, 403)},
	{route: "POST /api/v1/enrollments/{id}/nudge", method: "POST", path: "/api/v1/enrollments/{enrollment}/nudge", contentType: json, body: `{"message":"Due soon."}`,
		want: with(learners(401, 204), st.Employee, 403)},
	{route: "POST /api/v1/assignments", method: "POST", path: "/api/v1/assignments", contentType: json,
		body: `{"item_id":"{item}","person_ids":["{report}"],"due_on":"2099-01-01"}`, want: with(learners(401, 200), st.Employee, 403)},
	// A manager assigns only to their reporting line: the outsider is not someone they see.
	{route: "POST /api/v1/assignments", method: "POST", path: "/api/v1/assignments", contentType: json,
		body: `{"item_id":"{item}","person_ids":["{outsider}"]}`, want: with(learners(401, 200), st.Employee, 403, st.Manager, 422)},
	{route: "POST /api/v1/exemptions", method: "POST", path: "/api/v1/exemptions", contentType: json,
		body: `{"person_id":"{employee}","item_id":"{assigned}","reason":"Certified elsewhere."}`, want: runners(401, 403, 200)},
	{route: "POST /api/v1/completions", method: "POST", path: "/api/v1/completions", contentType: json,
		body: `{"person_id":"{report}","item_id":"{item}","score":80}`, want: runners(401, 403, 200)},
	{route: "GET /api/v1/team/learning", method: "GET", path: "/api/v1/team/learning?manager_id={manager}", want: with(learners(401, 200), st.Employee, 404)},

	// Assignment rules are for those who run training.
	{route: "GET /api/v1/assignment-rules", method: "GET", path: "/api/v1/assignment-rules", want: runners(401, 403, 200)},
	{route: "POST /api/v1/assignment-rules", method: "POST", path: "/api/v1/assignment-rules", contentType: json, body: ruleJSON, want: runners(401, 403, 201)},
	{route: "POST /api/v1/assignment-rules/evaluate", method: "POST", path: "/api/v1/assignment-rules/evaluate", want: runners(401, 403, 200)},
	{route: "GET /api/v1/assignment-rules/{id}", method: "GET", path: "/api/v1/assignment-rules/{rule}", want: runners(401, 403, 200)},
	{route: "PUT /api/v1/assignment-rules/{id}", method: "PUT", path: "/api/v1/assignment-rules/{rule}", contentType: json, body: ruleJSON, want: runners(401, 403, 200)},
	{route: "DELETE /api/v1/assignment-rules/{id}", method: "DELETE", path: "/api/v1/assignment-rules/{rule}", want: runners(401, 403, 204)},

	// Compliance is for managers (their reporting tree) and those who see everyone.
	{route: "GET /api/v1/compliance", method: "GET", path: "/api/v1/compliance", want: with(learners(401, 200), st.Employee, 403)},
	{route: "GET /api/v1/compliance/rows", method: "GET", path: "/api/v1/compliance/rows?item_id={assigned}", want: with(learners(401, 200), st.Employee, 403)},
	{route: "GET /api/v1/compliance/export", method: "GET", path: "/api/v1/compliance/export?format=xlsx", want: with(learners(401, 200), st.Employee, 403)},

	// Certificates: the holder, their managers and administrators read them; only the holder
	// and those who run training download the PDF.
	{route: "GET /api/v1/certificates", method: "GET", path: "/api/v1/certificates?person_id={report}", want: with(learners(401, 200), st.Employee, 404)},
	{route: "GET /api/v1/certificates/{id}", method: "GET", path: "/api/v1/certificates/{certificate}", want: learners(401, 200)},
	{route: "GET /api/v1/certificates/{id}/pdf", method: "GET", path: "/api/v1/certificates/{certificate}/pdf", want: with(learners(401, 200), st.Manager, 404)},
	{route: "POST /api/v1/certificates/{id}/revoke", method: "POST", path: "/api/v1/certificates/{certificate}/revoke", contentType: json,
		body: `{"reason":"Issued in error."}`, want: runners(401, 403, 200)},
	// Anyone holding the code, signed in or not.
	{route: "GET /api/v1/certificate-verifications/{code}", method: "GET", path: "/api/v1/certificate-verifications/{certcode}",
		want: with(everyone(200, 200), st.TokenRead, 200)},
	{route: "GET /api/v1/certificate-verifications/{code}", method: "GET", path: "/api/v1/certificate-verifications/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		want: with(everyone(404, 404), st.TokenRead, 404)},

	{route: "POST /api/v1/objectives/classify", method: "POST", path: "/api/v1/objectives/classify", contentType: json,
		body: `{"text":"Identify the load limits on a data plate"}`, want: learners(401, 200)},
}
