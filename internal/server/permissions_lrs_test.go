package server_test

import st "github.com/learnloop/learnloop/internal/server/servertest"

// lrsAdmins returns a want map where those who manage LRS clients (L&D and system
// administrators) get ok.
func lrsAdmins(anon, refused, ok int) map[string]int {
	return map[string]int{st.Anon: anon, st.Employee: refused, st.Manager: refused, st.LnD: ok, st.HR: refused, st.Sys: ok}
}

// lrsTable holds the permission rows of the learning record pages. The xAPI resources at /xapi
// authenticate LRS clients, not people; internal/lrs/xapihttp tests who they refuse.
var lrsTable = []access{
	// Everyone reads their own record; a person filter from someone without xapi:read is ignored.
	{route: "GET /record", method: "GET", path: "/record?person={employeeemail}", want: everyone(303, 200)},
	{route: "GET /record/export", method: "GET", path: "/record/export", want: everyone(303, 200)},
	{route: "GET /admin/lrs", method: "GET", path: "/admin/lrs", want: lrsAdmins(303, 403, 200)},
	{route: "POST /admin/lrs/clients", method: "POST", path: "/admin/lrs/clients", contentType: form, body: "name=Vendor+e-learning&scope=statements%2Fwrite",
		want: lrsAdmins(303, 403, 200)},
	{route: "POST /admin/lrs/clients/{id}/revoke", method: "POST", path: "/admin/lrs/clients/0193a5f2-0000-7000-8000-000000000000/revoke", contentType: form,
		want: lrsAdmins(303, 403, 404)},
	{route: "POST /admin/lrs/mappings", method: "POST", path: "/admin/lrs/mappings", contentType: form,
		body: "activity_id=https%3A%2F%2Fvendor.example.com%2Fcourses%2F1&item={item}", want: lrsAdmins(303, 403, 303)},
	{route: "POST /admin/lrs/mappings/delete", method: "POST", path: "/admin/lrs/mappings/delete", contentType: form,
		body: "activity_id=https%3A%2F%2Fvendor.example.com%2Fcourses%2Fnone", want: lrsAdmins(303, 403, 404)},
}
