package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/api/apitest"
	st "github.com/learnloop/learnloop/internal/server/servertest"
)

const (
	form = "application/x-www-form-urlencoded"
	json = "application/json"
	csv  = "text/csv"
)

// access is one endpoint's row of the permission table: the request to send and the status each
// role must get. Unsafe requests run on a fresh server per role, so one role's success cannot
// change what the next one sees.
type access struct {
	route       string // the registered pattern this row covers
	method      string
	path        string // {outsider}, {employee} … are replaced with fixture ids
	contentType string
	body        string
	want        map[string]int
	// hidden must not appear in the body for roles refused or scoped away from it.
	hidden string
}

// everyone returns a want map giving code to every signed-in role and anon to anonymous visitors.
func everyone(anon, code int) map[string]int {
	return map[string]int{st.Anon: anon, st.Employee: code, st.Manager: code, st.LnD: code, st.HR: code, st.Sys: code}
}

// admins returns a want map where only HR and system administrators get ok.
func admins(anon, refused, ok int) map[string]int {
	return map[string]int{st.Anon: anon, st.Employee: refused, st.Manager: refused, st.LnD: refused, st.HR: ok, st.Sys: ok}
}

// skillAdmins returns a want map where L&D, HR and system administrators get ok.
func skillAdmins(anon, refused, ok int) map[string]int {
	return with(admins(anon, refused, ok), st.LnD, ok)
}

func with(m map[string]int, kv ...any) map[string]int {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(int)
	}
	return m
}

// rows is the whole permission table; each area of the product keeps its rows beside its tests.
func rows() []access {
	return slices.Concat(table, surveyTable, trainingTable, trainingAPITable, lrsTable)
}

var table = []access{
	// Pages anyone may open.
	{route: "GET /static/{path...}", method: "GET", path: "/static/app.css", want: everyone(200, 200)},
	{route: "GET /login", method: "GET", path: "/login", want: everyone(200, 303)},
	{route: "POST /login", method: "POST", path: "/login", contentType: form, body: "email=nobody%40example.com&password=wrong+password", want: everyone(401, 401)},
	{route: "POST /logout", method: "POST", path: "/logout", contentType: form, want: everyone(303, 303)},
	{route: "GET /password/forgot", method: "GET", path: "/password/forgot", want: everyone(200, 200)},
	{route: "POST /password/forgot", method: "POST", path: "/password/forgot", contentType: form, body: "email=nobody%40example.com", want: everyone(200, 200)},
	{route: "GET /password/reset/{token}", method: "GET", path: "/password/reset/not-a-token", want: everyone(422, 422)},
	{route: "POST /password/reset/{token}", method: "POST", path: "/password/reset/not-a-token", contentType: form, body: "password=a+long+new+password&confirm=a+long+new+password", want: everyone(422, 422)},
	{route: "GET /healthz", method: "GET", path: "/healthz", want: everyone(200, 200)},
	{route: "GET /readyz", method: "GET", path: "/readyz", want: everyone(200, 200)},
	{route: "GET /metrics", method: "GET", path: "/metrics", want: everyone(200, 200)},
	{route: "GET /api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", want: everyone(200, 200)},

	// Signed-in pages.
	{route: "GET /{$}", method: "GET", path: "/", want: everyone(303, 200)},
	{route: "GET /account/password", method: "GET", path: "/account/password", want: everyone(303, 200)},
	{route: "POST /account/password", method: "POST", path: "/account/password", contentType: form, body: "current_password=wrong&password=another+long+password&confirm=another+long+password", want: everyone(303, 422)},
	{route: "GET /account/tokens", method: "GET", path: "/account/tokens", want: everyone(303, 200)},
	{route: "POST /account/tokens", method: "POST", path: "/account/tokens", contentType: form, body: "name=script&scope=people%3Aread&expires_days=30", want: everyone(303, 200)},
	{route: "POST /account/tokens/{id}/revoke", method: "POST", path: "/account/tokens/{hrtoken}/revoke", contentType: form,
		want: with(everyone(303, 404), st.HR, 303, st.Sys, 303)},
	{route: "GET /people", method: "GET", path: "/people", want: everyone(303, 200), hidden: "{outsidername}"},
	{route: "GET /people/export", method: "GET", path: "/people/export", want: everyone(303, 200), hidden: "{outsidername}"},
	{route: "GET /people/new", method: "GET", path: "/people/new", want: admins(303, 403, 200)},
	{route: "POST /people", method: "POST", path: "/people", contentType: form, body: "given_name=Pat&family_name=New&status=active", want: admins(303, 403, 303)},
	{route: "GET /people/{id}", method: "GET", path: "/people/{outsider}", want: with(admins(303, 404, 200), st.LnD, 200), hidden: "{outsidername}"},
	{route: "GET /people/{id}/edit", method: "GET", path: "/people/{report}/edit", want: admins(303, 403, 200)},
	{route: "POST /people/{id}", method: "POST", path: "/people/{report}", contentType: form, body: "given_name=Renamed&family_name=Person&status=active", want: admins(303, 403, 303)},
	{route: "POST /people/{id}/account", method: "POST", path: "/people/{noaccount}/account", contentType: form, want: admins(303, 403, 303)},
	{route: "GET /org", method: "GET", path: "/org", want: everyone(303, 200)},
	{route: "GET /org/units/{id}", method: "GET", path: "/org/units/{unit}", want: everyone(303, 200)},
	{route: "POST /org/units", method: "POST", path: "/org/units", contentType: form, body: "code=NEW&name=New+team&kind=team", want: admins(303, 403, 303)},
	{route: "POST /org/units/{id}", method: "POST", path: "/org/units/{emptyunit}", contentType: form, body: "code=EMPTY&name=Renamed&kind=team", want: admins(303, 403, 303)},
	{route: "POST /org/units/{id}/delete", method: "POST", path: "/org/units/{emptyunit}/delete", contentType: form, want: admins(303, 403, 303)},
	{route: "GET /org/units/export", method: "GET", path: "/org/units/export", want: everyone(303, 200)},
	{route: "GET /org/roles", method: "GET", path: "/org/roles", want: everyone(303, 200)},
	{route: "POST /org/roles", method: "POST", path: "/org/roles", contentType: form, body: "name=Brand+new+role", want: admins(303, 403, 303)},
	{route: "POST /org/roles/{id}", method: "POST", path: "/org/roles/{unusedrole}", contentType: form, body: "name=Renamed+role", want: admins(303, 403, 303)},
	{route: "POST /org/roles/{id}/delete", method: "POST", path: "/org/roles/{unusedrole}/delete", contentType: form, want: admins(303, 403, 303)},

	// Administration.
	// L&D administrators import skills files and managers their team's levels; a staged people
	// file is not theirs to see.
	{route: "GET /admin/import", method: "GET", path: "/admin/import", want: with(skillAdmins(303, 403, 200), st.Manager, 200)},
	{route: "POST /admin/import", method: "POST", path: "/admin/import", contentType: form, body: "kind=people", want: with(skillAdmins(303, 403, 422), st.Manager, 422)},
	{route: "GET /admin/import/{id}", method: "GET", path: "/admin/import/{staged}", want: with(admins(303, 403, 200), st.LnD, 404, st.Manager, 404), hidden: "staged.csv"},
	{route: "POST /admin/import/{id}/apply", method: "POST", path: "/admin/import/{staged}/apply", contentType: form, want: with(admins(303, 403, 303), st.LnD, 404, st.Manager, 404)},
	{route: "POST /admin/import/{id}/discard", method: "POST", path: "/admin/import/{staged}/discard", contentType: form, want: with(admins(303, 403, 303), st.LnD, 404, st.Manager, 404)},
	{route: "GET /admin/accounts", method: "GET", path: "/admin/accounts", want: admins(303, 403, 200)},
	{route: "POST /admin/accounts/{id}/roles", method: "POST", path: "/admin/accounts/{employeeaccount}/roles", contentType: form, body: "role=lnd_admin", want: admins(303, 403, 303)},
	{route: "POST /admin/accounts/{id}/disable", method: "POST", path: "/admin/accounts/{employeeaccount}/disable", contentType: form, want: admins(303, 403, 303)},
	{route: "POST /admin/accounts/{id}/enable", method: "POST", path: "/admin/accounts/{employeeaccount}/enable", contentType: form, want: admins(303, 403, 303)},
	{route: "POST /admin/accounts/{id}/password-link", method: "POST", path: "/admin/accounts/{employeeaccount}/password-link", contentType: form, want: admins(303, 403, 303)},
	{route: "POST /admin/accounts/{id}/sessions/end", method: "POST", path: "/admin/accounts/{hraccount}/sessions/end", contentType: form, want: admins(303, 403, 303)},
	{route: "GET /admin/tokens", method: "GET", path: "/admin/tokens", want: with(admins(303, 403, 403), st.Sys, 200)},
	{route: "POST /admin/tokens/{id}/revoke", method: "POST", path: "/admin/tokens/{hrtoken}/revoke", contentType: form, want: with(admins(303, 403, 403), st.Sys, 303)},
	{route: "GET /admin/audit", method: "GET", path: "/admin/audit", want: admins(303, 403, 200)},

	// Skills.
	{route: "GET /skills", method: "GET", path: "/skills", want: everyone(303, 200)},
	{route: "GET /people/{id}/skills", method: "GET", path: "/people/{report}/skills", want: with(skillAdmins(303, 404, 200), st.Manager, 200)},
	{route: "POST /people/{id}/skills/ratings", method: "POST", path: "/people/{report}/skills/ratings", contentType: form,
		body: "skill_id={skill}&level=3&source=manager&note=seen+in+review", want: with(skillAdmins(303, 404, 403), st.Manager, 303)},
	{route: "GET /skills/matrix", method: "GET", path: "/skills/matrix?unit={unit}", want: everyone(303, 200)},
	{route: "GET /skills/needs", method: "GET", path: "/skills/needs?unit={unit}", want: everyone(303, 200)},
	{route: "GET /skills/needs/export", method: "GET", path: "/skills/needs/export?format=csv", want: everyone(303, 200)},
	// The organization's gap ranking: only those who see everyone, not managers of many.
	{route: "GET /skills/gaps", method: "GET", path: "/skills/gaps?group_by=role", want: skillAdmins(303, 403, 200)},
	{route: "GET /skills/gaps", method: "GET", path: "/skills/gaps?group_by=organization&skill={skill}&division=none", want: skillAdmins(303, 403, 200)},
	{route: "GET /skills/gaps/export", method: "GET", path: "/skills/gaps/export?group_by=location", want: skillAdmins(303, 403, 200)},
	{route: "GET /skills/assess", method: "GET", path: "/skills/assess", want: everyone(303, 200)},
	{route: "POST /skills/assess", method: "POST", path: "/skills/assess", contentType: form, body: "level-{skill}=2", want: everyone(303, 303)},
	{route: "GET /skills/validate", method: "GET", path: "/skills/validate", want: everyone(303, 200)},
	// Only the report's manager validates; administrators see the person but are not their manager.
	{route: "POST /skills/validate", method: "POST", path: "/skills/validate", contentType: form, body: "item={report}:{skill}&level-{report}:{skill}=3",
		want: with(skillAdmins(303, 403, 403), st.Employee, 422, st.Manager, 303)},
	{route: "GET /skills/matrix/export", method: "GET", path: "/skills/matrix/export?format=xlsx", want: everyone(303, 200)},
	{route: "GET /skills/framework", method: "GET", path: "/skills/framework", want: everyone(303, 200)},
	{route: "POST /skills/framework/categories", method: "POST", path: "/skills/framework/categories", contentType: form, body: "name=New+category", want: skillAdmins(303, 403, 303)},
	{route: "POST /skills/framework/skills", method: "POST", path: "/skills/framework/skills", contentType: form, body: "name=Brand+new+skill&type=technical", want: skillAdmins(303, 403, 303)},
	{route: "GET /skills/framework/{id}", method: "GET", path: "/skills/framework/{skill}", want: everyone(303, 200)},
	{route: "POST /skills/framework/{id}", method: "POST", path: "/skills/framework/{skill}", contentType: form, body: "name=Renamed+skill&type=tool", want: skillAdmins(303, 403, 303)},
	{route: "GET /org/roles/{id}", method: "GET", path: "/org/roles/{role}", want: everyone(303, 200)},
	{route: "POST /org/roles/{id}/requirements", method: "POST", path: "/org/roles/{role}/requirements", contentType: form, body: "skill_id={skill}&level=4&criticality=critical", want: skillAdmins(303, 403, 303)},
	{route: "POST /org/roles/{id}/requirements/{skill}/delete", method: "POST", path: "/org/roles/{role}/requirements/{skill}/delete", contentType: form, want: skillAdmins(303, 403, 303)},

	// The API: 401 without credentials; tokens limited by their scopes.
	{route: "GET /api/v1/me", method: "GET", path: "/api/v1/me", want: with(everyone(401, 200), st.TokenRead, 200)},
	{route: "GET /api/v1/people", method: "GET", path: "/api/v1/people?limit=500", want: with(everyone(401, 200), st.TokenRead, 200, st.TokenAudit, 403), hidden: "{outsidername}"},
	{route: "POST /api/v1/people", method: "POST", path: "/api/v1/people", contentType: json, body: `{"given_name":"Pat","family_name":"New"}`, want: with(admins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/people/export", method: "GET", path: "/api/v1/people/export", want: with(everyone(401, 200), st.TokenAudit, 403), hidden: "{outsidername}"},
	{route: "POST /api/v1/people/import", method: "POST", path: "/api/v1/people/import?dry_run=true", contentType: csv, body: "employee_number,given_name,family_name\nX1,Pat,New\n", want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/people/{id}", method: "GET", path: "/api/v1/people/{outsider}", want: with(admins(401, 404, 200), st.LnD, 200, st.TokenRead, 200, st.TokenAudit, 403), hidden: "{outsidername}"},
	{route: "PATCH /api/v1/people/{id}", method: "PATCH", path: "/api/v1/people/{report}", contentType: json, body: `{"job_title":"Lead"}`, want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/org-units", method: "GET", path: "/api/v1/org-units", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "POST /api/v1/org-units", method: "POST", path: "/api/v1/org-units", contentType: json, body: `{"code":"API","name":"API team","kind":"team"}`, want: with(admins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/org-units/export", method: "GET", path: "/api/v1/org-units/export", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "POST /api/v1/org-units/import", method: "POST", path: "/api/v1/org-units/import?dry_run=true", contentType: csv, body: "code,name,kind\nX,X,team\n", want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/org-units/{id}", method: "GET", path: "/api/v1/org-units/{unit}", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PATCH /api/v1/org-units/{id}", method: "PATCH", path: "/api/v1/org-units/{emptyunit}", contentType: json, body: `{"name":"Renamed"}`, want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "DELETE /api/v1/org-units/{id}", method: "DELETE", path: "/api/v1/org-units/{emptyunit}", want: with(admins(401, 403, 204), st.TokenRead, 403)},
	{route: "GET /api/v1/job-roles", method: "GET", path: "/api/v1/job-roles", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "POST /api/v1/job-roles", method: "POST", path: "/api/v1/job-roles", contentType: json, body: `{"name":"API role"}`, want: with(admins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/job-roles/{id}", method: "GET", path: "/api/v1/job-roles/{role}", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PATCH /api/v1/job-roles/{id}", method: "PATCH", path: "/api/v1/job-roles/{unusedrole}", contentType: json, body: `{"description":"x"}`, want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "DELETE /api/v1/job-roles/{id}", method: "DELETE", path: "/api/v1/job-roles/{unusedrole}", want: with(admins(401, 403, 204), st.TokenRead, 403)},
	{route: "GET /api/v1/accounts", method: "GET", path: "/api/v1/accounts", want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/accounts", method: "POST", path: "/api/v1/accounts", contentType: json, body: `{"person_id":"{noaccount}"}`, want: with(admins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/accounts/{id}", method: "GET", path: "/api/v1/accounts/{employeeaccount}", want: with(admins(401, 403, 200), st.Employee, 200, st.TokenRead, 403)},
	{route: "PATCH /api/v1/accounts/{id}", method: "PATCH", path: "/api/v1/accounts/{employeeaccount}", contentType: json, body: `{"roles":["lnd_admin"]}`, want: with(admins(401, 403, 200), st.TokenRead, 403)},
	{route: "DELETE /api/v1/accounts/{id}/sessions", method: "DELETE", path: "/api/v1/accounts/{hraccount}/sessions", want: with(admins(401, 403, 204), st.TokenRead, 403)},
	{route: "POST /api/v1/accounts/{id}/password-link", method: "POST", path: "/api/v1/accounts/{employeeaccount}/password-link", want: with(admins(401, 403, 204), st.TokenRead, 403)},
	{route: "GET /api/v1/tokens", method: "GET", path: "/api/v1/tokens", want: with(everyone(401, 200), st.TokenRead, 200)},
	{route: "POST /api/v1/tokens", method: "POST", path: "/api/v1/tokens", contentType: json, body: `{"name":"script","scopes":["people:read"]}`, want: with(everyone(401, 201), st.TokenRead, 403)},
	{route: "DELETE /api/v1/tokens/{id}", method: "DELETE", path: "/api/v1/tokens/{hrtoken}", want: with(everyone(401, 404), st.HR, 204, st.Sys, 204)},
	{route: "GET /api/v1/audit", method: "GET", path: "/api/v1/audit", want: with(admins(401, 403, 200), st.TokenRead, 403, st.TokenAudit, 200)},
	{route: "GET /api/v1/skills", method: "GET", path: "/api/v1/skills?q=fixture", want: with(everyone(401, 200), st.TokenRead, 403, st.TokenSkills, 200)},
	{route: "POST /api/v1/skills", method: "POST", path: "/api/v1/skills", contentType: json, body: `{"name":"API skill","type":"tool"}`, want: with(skillAdmins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/skills/export", method: "GET", path: "/api/v1/skills/export", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "POST /api/v1/skills/import", method: "POST", path: "/api/v1/skills/import?dry_run=true", contentType: csv, body: "skill,category\nAPI skill,Test fixtures\n", want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	// Managers import levels for the people below them; the fixture's file names someone outside
	// every manager's reporting line, so only the skills administrators' test results are valid.
	{route: "POST /api/v1/ratings/import", method: "POST", path: "/api/v1/ratings/import?dry_run=true&source=test", contentType: csv,
		body: "email,Fixture skill\n{outsidername},3\n", want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	// Everyone gets the needs of the people in their data scope: the outsider's name shows only
	// to those who see everyone.
	{route: "GET /api/v1/training-needs", method: "GET", path: "/api/v1/training-needs", want: with(everyone(401, 200), st.TokenAudit, 403)},
	// Org-wide figures: skills:read is not enough, the caller must see everyone (people:read as an
	// L&D, HR or system administrator).
	{route: "GET /api/v1/skill-gaps", method: "GET", path: "/api/v1/skill-gaps?group_by=division&limit=5",
		want: with(skillAdmins(401, 403, 200), st.TokenRead, 403, st.TokenAudit, 403, st.TokenSkills, 403)},
	{route: "GET /api/v1/skill-gaps/trend", method: "GET", path: "/api/v1/skill-gaps/trend?skill={skill}&from=2020-01-01",
		want: with(skillAdmins(401, 403, 200), st.TokenRead, 403, st.TokenSkills, 403)},
	{route: "POST /api/v1/people/{id}/self-assessment", method: "POST", path: "/api/v1/people/{employee}/self-assessment", contentType: json,
		body: `{"levels":[{"skill_id":"{skill}","level":2}]}`, want: with(skillAdmins(401, 403, 403), st.Employee, 200, st.TokenRead, 403)},
	{route: "GET /api/v1/validations", method: "GET", path: "/api/v1/validations", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "POST /api/v1/validations", method: "POST", path: "/api/v1/validations", contentType: json,
		body: `{"levels":[{"person_id":"{report}","skill_id":"{skill}","level":3}]}`, want: with(skillAdmins(401, 403, 403), st.Employee, 422, st.Manager, 200, st.TokenRead, 403)},
	{route: "GET /api/v1/skills-framework", method: "GET", path: "/api/v1/skills-framework", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PUT /api/v1/skills-framework", method: "PUT", path: "/api/v1/skills-framework", contentType: json, body: `{"skills":[{"name":"API framework skill","type":"tool"}]}`, want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/skills/{id}", method: "GET", path: "/api/v1/skills/{skill}", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PATCH /api/v1/skills/{id}", method: "PATCH", path: "/api/v1/skills/{skill}", contentType: json, body: `{"description":"Now described."}`, want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/skill-categories", method: "GET", path: "/api/v1/skill-categories", want: with(everyone(401, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/skill-categories", method: "POST", path: "/api/v1/skill-categories", contentType: json, body: `{"name":"API category"}`, want: with(skillAdmins(401, 403, 201), st.TokenRead, 403)},
	{route: "GET /api/v1/proficiency-scale", method: "GET", path: "/api/v1/proficiency-scale", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PUT /api/v1/proficiency-scale", method: "PUT", path: "/api/v1/proficiency-scale", contentType: json,
		body: `{"levels":[{"level":0,"name":"None","description":""},{"level":1,"name":"Aware","description":""},{"level":2,"name":"Basic","description":""},{"level":3,"name":"Able","description":""},{"level":4,"name":"Strong","description":""},{"level":5,"name":"Master","description":""}]}`,
		want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	{route: "GET /api/v1/job-roles/{id}/requirements", method: "GET", path: "/api/v1/job-roles/{role}/requirements", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PUT /api/v1/job-roles/{id}/requirements/{skill_id}", method: "PUT", path: "/api/v1/job-roles/{role}/requirements/{skill}", contentType: json, body: `{"level":4,"criticality":"critical"}`, want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	{route: "DELETE /api/v1/job-roles/{id}/requirements/{skill_id}", method: "DELETE", path: "/api/v1/job-roles/{role}/requirements/{skill}", want: with(skillAdmins(401, 403, 204), st.TokenRead, 403)},
	{route: "GET /api/v1/org-units/{id}/coverage-targets", method: "GET", path: "/api/v1/org-units/{unit}/coverage-targets", want: with(everyone(401, 200), st.TokenAudit, 403)},
	{route: "PUT /api/v1/org-units/{id}/coverage-targets/{skill_id}", method: "PUT", path: "/api/v1/org-units/{unit}/coverage-targets/{skill}", contentType: json, body: `{"level":3,"min_people":2}`, want: with(skillAdmins(401, 403, 200), st.TokenRead, 403)},
	{route: "POST /api/v1/ratings", method: "POST", path: "/api/v1/ratings", contentType: json, body: `{"person_id":"{report}","skill_id":"{skill}","level":3,"source":"manager"}`,
		want: with(skillAdmins(401, 404, 403), st.Manager, 201, st.TokenRead, 403)},
	{route: "GET /api/v1/people/{id}/ratings", method: "GET", path: "/api/v1/people/{report}/ratings", want: with(skillAdmins(401, 404, 200), st.Manager, 200, st.TokenRead, 403)},
	{route: "GET /api/v1/people/{id}/skills", method: "GET", path: "/api/v1/people/{report}/skills", want: with(skillAdmins(401, 404, 200), st.Manager, 200, st.TokenRead, 403), hidden: ""},
}

func (e *access) expand(env *st.Env, outsiderName string) (path, body, hidden string) {
	tf := env.Fix.Training
	r := strings.NewReplacer("{outsider}", env.Fix.Outsider, "{report}", env.Fix.Report, "{noaccount}", env.Fix.NoAccount,
		"{unit}", env.Fix.Unit, "{emptyunit}", env.Fix.EmptyUnit, "{role}", env.Fix.Role, "{unusedrole}", env.Fix.UnusedRole,
		"{hrtoken}", env.Fix.HRToken, "{staged}", env.Fix.StagedImport, "{employeeaccount}", env.Fix.Accounts[st.Employee],
		"{hraccount}", env.Fix.Accounts[st.HR], "{employee}", env.Fix.Persons[st.Employee], "{outsidername}", outsiderName, "{skill}", env.Fix.Skill,
		"{manager}", env.Fix.Persons[st.Manager], "{employeeemail}", url.QueryEscape(env.Fix.Emails[st.Employee]),
		"{item}", tf.Item, "{content}", tf.Content, "{question}", tf.Question, "{quiz}", tf.Quiz, "{draft}", tf.Draft, "{drafttitle}", tf.DraftTitle,
		"{assigned}", tf.Assigned, "{approval}", tf.Approval, "{path}", tf.Path, "{workshop}", tf.Workshop, "{session}", tf.Session,
		"{enrollment}", tf.Enrollment, "{request}", tf.Request, "{registration}", tf.Registration, "{certificate}", tf.Certificate,
		"{certcode}", tf.CertCode, "{rule}", tf.Rule, "{attempt}", tf.Attempt)
	return r.Replace(e.path), r.Replace(e.body), r.Replace(e.hidden)
}

// TestPermissionTable sends every endpoint's request as every role and checks the status, and
// that refused or scoped-out actors never see the outsider's data.
func TestPermissionTable(t *testing.T) {
	shared := st.Start(t)
	outsiderName := personName(t, shared, shared.Fix.Outsider)
	for _, row := range rows() {
		t.Run(row.method+" "+row.path, func(t *testing.T) {
			t.Parallel()
			roles := make([]string, 0, len(row.want))
			for role := range row.want {
				roles = append(roles, role)
			}
			slices.Sort(roles)
			for _, role := range roles {
				env := shared
				if row.method != "GET" {
					env = st.Start(t)
				}
				path, body, hidden := row.expand(env, outsiderName)
				res := env.Do(t, role, row.method, path, row.contentType, body)
				if want := row.want[role]; res.Status != want {
					t.Errorf("as %s: status %d, want %d\n%.300s", role, res.Status, want, res.Body)
				}
				mayContain := res.Status < 300 && (role == st.LnD || role == st.HR || role == st.Sys || role == st.TokenRead)
				if hidden != "" && !mayContain && strings.Contains(res.Body, hidden) {
					t.Errorf("as %s: the answer shows %q, which this actor may not see", role, hidden)
				}
				if res.Status >= 400 && strings.HasPrefix(path, "/api/") && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
					t.Errorf("as %s: API error answered %q, want application/problem+json", role, res.Header.Get("Content-Type"))
				}
				// Every API answer is one the document describes, body and all.
				if strings.HasPrefix(row.route, "GET /api/v1/openapi.json") || !strings.Contains(row.route, " /api/") {
					continue
				}
				apitest.ValidateResponse(t, row.route, res.Status, []byte(res.Body))
			}
		})
	}
}

// TestPermissionTableCoversEveryRoute fails when a route has no row, so a new endpoint cannot
// ship without its permission expectations.
func TestPermissionTableCoversEveryRoute(t *testing.T) {
	env := st.Start(t)
	covered := map[string]bool{}
	for _, row := range rows() {
		covered[row.route] = true
		if len(row.want) < len(st.Roles) {
			t.Errorf("%s: the table must give every role an expected status", row.route)
		}
		refused := false
		for role, code := range row.want {
			if role != st.Anon && (code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusUnauthorized) || role == st.Anon && code != http.StatusOK && code != http.StatusUnprocessableEntity {
				refused = true
			}
		}
		public := row.want[st.Anon] == http.StatusOK || row.want[st.Anon] == http.StatusUnprocessableEntity || row.want[st.Anon] == http.StatusUnauthorized && strings.HasPrefix(row.route, "POST /login")
		if !refused && !public {
			t.Errorf("%s: no actor is refused", row.route)
		}
	}
	for _, r := range env.Server.Router().Routes("/") {
		if !covered[r] {
			t.Errorf("route %q has no row in the permission table", r)
		}
	}
}

func personName(t *testing.T, env *st.Env, id string) string {
	t.Helper()
	res := env.Do(t, st.Sys, "GET", "/api/v1/people/"+id, "", "")
	if res.Status != 200 {
		t.Fatalf("find person: %d %s", res.Status, res.Body)
	}
	// The email is unique, so it recognizes the person in pages and CSV.
	i := strings.Index(res.Body, `"email":"`)
	rest := res.Body[i+len(`"email":"`):]
	return rest[:strings.Index(rest, `"`)]
}
