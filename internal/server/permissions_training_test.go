package server_test

import st "github.com/learnloop/learnloop/internal/server/servertest"

// trainers returns a want map where those who run training (L&D, HR and system administrators)
// get ok.
func trainers(anon, refused, ok int) map[string]int { return skillAdmins(anon, refused, ok) }

// The fixture (servertest.TrainingFixture): the employee has a seat in the manager's workshop
// session, an assignment from the manager and a certificate; the report waits for the manager's
// approval; the L&D administrator has a test attempt open.
const (
	sessionForm = "starts_at=2099-01-01T09%3A00&ends_at=2099-01-01T11%3A00&time_zone=Europe%2FLondon&location=Room+2&capacity=5"
	ruleForm    = "name=Fixture+rule+two&item_id={assigned}&due_days=10"
)

// trainingTable holds the permission rows of the training pages.
var trainingTable = []access{
	{route: "GET /training", method: "GET", path: "/training", want: everyone(303, 200)},
	{route: "GET /training/catalog", method: "GET", path: "/training/catalog?status=all", want: everyone(303, 200), hidden: "{drafttitle}"},
	{route: "GET /training/catalog/export", method: "GET", path: "/training/catalog/export", want: everyone(303, 200), hidden: "{drafttitle}"},
	{route: "GET /training/items/new", method: "GET", path: "/training/items/new", want: trainers(303, 403, 200)},
	{route: "POST /training/items", method: "POST", path: "/training/items", contentType: form, body: "title=Brand+new+item&kind=course", want: trainers(303, 403, 303)},
	{route: "GET /training/items/{id}", method: "GET", path: "/training/items/{item}", want: everyone(303, 200)},
	{route: "GET /training/items/{id}", method: "GET", path: "/training/items/{draft}", want: trainers(303, 404, 200), hidden: "{drafttitle}"},
	{route: "GET /training/items/{id}/edit", method: "GET", path: "/training/items/{draft}/edit", want: trainers(303, 403, 200), hidden: "{drafttitle}"},
	{route: "POST /training/items/{id}", method: "POST", path: "/training/items/{draft}", contentType: form, body: "title=Renamed+draft&kind=course&status=draft", want: trainers(303, 403, 303)},
	// Assigned only: the employee, who holds the assignment, gets it back; nobody else enrols.
	{route: "POST /training/items/{id}/enroll", method: "POST", path: "/training/items/{assigned}/enroll", contentType: form, want: with(everyone(303, 403), st.Employee, 303)},
	{route: "POST /training/items/{id}/content", method: "POST", path: "/training/items/{item}/content", contentType: form, body: "title=Intranet&url=https%3A%2F%2Fintranet.example.com%2Fx", want: trainers(303, 403, 303)},
	{route: "GET /training/items/{id}/content/{content}", method: "GET", path: "/training/items/{item}/content/{content}", want: everyone(303, 200)},
	{route: "GET /training/items/{id}/content/{content}", method: "GET", path: "/training/items/{draft}/content/{content}", want: trainers(303, 404, 404)},
	{route: "POST /training/items/{id}/content/{content}/delete", method: "POST", path: "/training/items/{item}/content/{content}/delete", contentType: form, want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/completions", method: "POST", path: "/training/items/{approval}/completions", contentType: form, body: "person={employeeemail}&score=88", want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/exemptions", method: "POST", path: "/training/items/{assigned}/exemptions", contentType: form, body: "person={employeeemail}&reason=Medical+leave", want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/path", method: "POST", path: "/training/items/{path}/path", contentType: form, body: "level.0.name=One&level.0.items={item}&level.1.name=Two&level.1.items={approval}", want: trainers(303, 403, 303)},
	{route: "GET /training/items/{id}/questions", method: "GET", path: "/training/items/{item}/questions", want: trainers(303, 403, 200), hidden: "This one"},
	{route: "POST /training/items/{id}/questions", method: "POST", path: "/training/items/{item}/questions", contentType: form, body: "kind=true_false&prompt=The+sky+is+blue&answer=true&points=1", want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/questions/{question}", method: "POST", path: "/training/items/{item}/questions/{question}", contentType: form,
		body: "kind=single&prompt=Which%3F&opt.0.text=A&opt.0.correct=on&opt.1.text=B&points=1", want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/questions/{question}/retire", method: "POST", path: "/training/items/{item}/questions/{question}/retire", contentType: form, want: trainers(303, 403, 303)},
	{route: "POST /training/items/{id}/quiz", method: "POST", path: "/training/items/{item}/quiz", contentType: form, body: "kind=test&pass_mark=60", want: trainers(303, 403, 303)},
	// The employee's assignment came from the manager: they cannot withdraw it; the manager and L&D can.
	{route: "POST /training/enrollments/{id}/withdraw", method: "POST", path: "/training/enrollments/{enrollment}/withdraw", contentType: form, want: with(trainers(303, 403, 303), st.Manager, 303)},
	// The employee's own, but a compliance module: not completed on the learner's word.
	{route: "POST /training/enrollments/{id}/complete", method: "POST", path: "/training/enrollments/{enrollment}/complete", contentType: form, want: with(everyone(303, 404), st.Employee, 409)},
	{route: "POST /training/enrollments/{id}/decide", method: "POST", path: "/training/enrollments/{request}/decide", contentType: form, body: "decision=approve",
		want: with(trainers(303, 403, 303), st.Manager, 303)},
	{route: "POST /training/enrollments/{id}/nudge", method: "POST", path: "/training/enrollments/{enrollment}/nudge", contentType: form, want: with(trainers(303, 403, 303), st.Manager, 303)},
	// The employee passed this test already; the others start (or, for L&D, resume) an attempt.
	{route: "POST /training/quizzes/{id}/attempts", method: "POST", path: "/training/quizzes/{quiz}/attempts", contentType: form, want: with(everyone(303, 303), st.Employee, 409)},
	{route: "GET /training/attempts/{id}", method: "GET", path: "/training/attempts/{attempt}", want: trainers(303, 404, 200), hidden: "Which part is the fixture?"},
	{route: "POST /training/attempts/{id}", method: "POST", path: "/training/attempts/{attempt}", contentType: form, want: with(everyone(303, 404), st.LnD, 303)},

	{route: "POST /training/items/{id}/sessions", method: "POST", path: "/training/items/{workshop}/sessions", contentType: form, body: sessionForm, want: trainers(303, 403, 303)},
	{route: "GET /training/sessions/{id}", method: "GET", path: "/training/sessions/{session}", want: everyone(303, 200)},
	{route: "POST /training/sessions/{id}", method: "POST", path: "/training/sessions/{session}", contentType: form, body: sessionForm, want: trainers(303, 403, 303)},
	{route: "POST /training/sessions/{id}/cancel", method: "POST", path: "/training/sessions/{session}/cancel", contentType: form, body: "reason=Room+flooded", want: trainers(303, 403, 303)},
	{route: "POST /training/sessions/{id}/register", method: "POST", path: "/training/sessions/{session}/register", contentType: form, want: everyone(303, 303)},
	// A month before the session: too early for the instructor and L&D (the form says so); never
	// for others.
	{route: "POST /training/sessions/{id}/attendance", method: "POST", path: "/training/sessions/{session}/attendance", contentType: form, body: "att.{employee}=attended",
		want: with(trainers(303, 403, 422), st.Manager, 422)},
	{route: "POST /training/registrations/{id}/cancel", method: "POST", path: "/training/registrations/{registration}/cancel", contentType: form,
		want: with(trainers(303, 404, 303), st.Employee, 303, st.Manager, 403)},
	{route: "GET /training/registrations/{id}/calendar.ics", method: "GET", path: "/training/registrations/{registration}/calendar.ics", want: with(trainers(303, 404, 200), st.Employee, 200, st.Manager, 200)},
	{route: "GET /training/calendar", method: "GET", path: "/training/calendar", want: everyone(303, 200)},
	{route: "POST /training/calendar", method: "POST", path: "/training/calendar", contentType: form, want: everyone(303, 200)},
	{route: "GET /calendar/{token}", method: "GET", path: "/calendar/0000000000000000000000000000000000000000.ics", want: everyone(404, 404)},

	{route: "GET /training/objectives/classify", method: "GET", path: "/training/objectives/classify?text=Understand+the+rules", want: everyone(303, 200)},
	{route: "GET /training/team", method: "GET", path: "/training/team", want: everyone(303, 200)},
	{route: "GET /training/team", method: "GET", path: "/training/team?manager={manager}", want: with(everyone(303, 200), st.Employee, 404)},
	{route: "POST /training/assign", method: "POST", path: "/training/assign", contentType: form, body: "item_id={approval}&person_ids={report}&due_on=2099-01-01",
		want: with(trainers(303, 403, 303), st.Manager, 303)},
	{route: "GET /training/rules", method: "GET", path: "/training/rules", want: trainers(303, 403, 200)},
	{route: "POST /training/rules", method: "POST", path: "/training/rules", contentType: form, body: ruleForm, want: trainers(303, 403, 303)},
	{route: "POST /training/rules/evaluate", method: "POST", path: "/training/rules/evaluate", contentType: form, want: trainers(303, 403, 303)},
	{route: "POST /training/rules/{id}", method: "POST", path: "/training/rules/{rule}", contentType: form, body: ruleForm, want: trainers(303, 403, 303)},
	{route: "POST /training/rules/{id}/delete", method: "POST", path: "/training/rules/{rule}/delete", contentType: form, want: trainers(303, 403, 303)},
	{route: "GET /training/compliance", method: "GET", path: "/training/compliance?item={assigned}", want: with(trainers(303, 403, 200), st.Manager, 200), hidden: "{outsidername}"},
	{route: "GET /training/compliance/export", method: "GET", path: "/training/compliance/export?format=csv", want: with(trainers(303, 403, 200), st.Manager, 200), hidden: "{outsidername}"},
	{route: "GET /training/certificates/{id}", method: "GET", path: "/training/certificates/{certificate}", want: with(trainers(303, 200, 200), st.Anon, 303)},
	{route: "GET /training/certificates/{id}/pdf", method: "GET", path: "/training/certificates/{certificate}/pdf", want: with(trainers(303, 404, 200), st.Employee, 200)},
	{route: "POST /training/certificates/{id}/revoke", method: "POST", path: "/training/certificates/{certificate}/revoke", contentType: form, body: "reason=Issued+in+error", want: trainers(303, 403, 303)},
	{route: "GET /certificates/verify/{code}", method: "GET", path: "/certificates/verify/{certcode}", want: everyone(200, 200)},
	{route: "GET /certificates/verify/{code}", method: "GET", path: "/certificates/verify/nosuchcode", want: everyone(404, 404)},
	{route: "GET /notifications", method: "GET", path: "/notifications", want: everyone(303, 200)},
	{route: "POST /notifications/read", method: "POST", path: "/notifications/read", contentType: form, want: everyone(303, 303)},
}
