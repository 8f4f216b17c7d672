package web

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
)

// PeopleView is the people directory.
type PeopleView struct {
	Page
	Filter    org.PersonFilter
	People    []*org.Person
	Total     int
	NextURL   string
	Units     template.HTML // <option> lists, built in Go (see options)
	Roles     template.HTML
	Locations template.HTML
	Manager   *org.Person
	Export    string
	Capped    bool // more people match than were counted
	Cap       int
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	q := r.URL.Query()
	f := org.PersonFilter{Query: q.Get("q"), OrgUnitID: q.Get("unit"), JobRoleID: q.Get("role"), Location: q.Get("location"),
		ManagerID: q.Get("manager"), Status: q.Get("status"), Cursor: q.Get("after")}
	v := PeopleView{Page: h.page(r, "People", "people"), Filter: f}
	var next string
	var err error
	v.People, next, v.Total, err = h.svc.Org.FindPeople(ctx, actor, f)
	if core.ErrorCode(err) == core.EINVALID {
		// A stale link (a unit that was deleted, an old cursor): show everyone instead of an error.
		v.Flash = core.ErrorMessage(err)
		v.Filter = org.PersonFilter{}
		v.People, next, v.Total, err = h.svc.Org.FindPeople(ctx, actor, v.Filter)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Total > org.CountCap {
		v.Capped, v.Cap = true, org.CountCap
	}
	if next != "" {
		nq := url.Values{}
		for k, vals := range q {
			nq[k] = vals
		}
		nq.Set("after", next)
		v.NextURL = "/people?" + nq.Encode()
	}
	eq := url.Values{"status": {f.Status}}
	v.Export = "/people/export?" + eq.Encode()
	if f.ManagerID != "" {
		v.Manager, _ = h.svc.Org.FindPersonByID(ctx, actor, f.ManagerID)
	}
	if v.SeesOthers() && !isFragment(r) {
		c, err := h.svc.Org.FilterChoices(ctx, actor)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		units := c.Units
		if f.OrgUnitID != "" && !slices.ContainsFunc(units, func(u *org.OrgUnit) bool { return u.ID == f.OrgUnitID }) {
			// A team chosen from the org chart is offered too, so the filter shows it.
			if u, err := h.svc.Org.FindUnitByID(ctx, actor, f.OrgUnitID); err == nil {
				units = append(slices.Clone(units), u)
			}
		}
		v.Units = options(unitOptions(units, f.OrgUnitID))
		roles := make([]Option, len(c.Roles))
		for i, role := range c.Roles {
			roles[i] = Option{Value: role.ID, Label: role.Name, Selected: role.ID == f.JobRoleID}
		}
		v.Roles = options(roles)
		locations := make([]Option, len(c.Locations))
		for i, l := range c.Locations {
			locations[i] = Option{Value: l, Label: l, Selected: l == f.Location}
		}
		v.Locations = options(locations)
	}
	h.render(w, r, http.StatusOK, "people", v)
}

// Option is one choice of a select box.
type Option struct {
	Value, Label string
	Selected     bool
}

// options writes <option> elements with escaped values. A filter may offer hundreds of choices,
// and escaping each through the template engine costs more than the search behind the page.
func options(opts []Option) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(o.Value))
		if o.Selected {
			b.WriteString(`" selected>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString(html.EscapeString(o.Label))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value above is escaped
}

// unitOptions lists units indented by depth, selecting the chosen one.
func unitOptions(units []*org.OrgUnit, chosen string) []Option {
	out := make([]Option, len(units))
	for i, u := range units {
		out[i] = Option{Value: u.ID, Label: strings.Repeat("— ", max(u.Depth(), 0)) + u.Name, Selected: u.ID == chosen}
	}
	return out
}

func (h *Handler) exportPeople(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.download(w, r, "text/csv; charset=utf-8", fmt.Sprintf("people-%s.csv", h.clock.Now().Format("2006-01-02")), func(out io.Writer) error {
		_, err := h.svc.Org.ExportPeople(r.Context(), actor, out, r.URL.Query().Get("status"))
		return err
	})
}

// PersonView is a person's profile.
type PersonView struct {
	Page
	Person       *org.Person
	Reports      []*org.Person
	ReportsTotal int
	Account      *auth.Account
	NoAccount    bool
	Self         bool
	Roles        []core.Role
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	p, err := h.svc.Org.FindPersonByID(ctx, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := PersonView{Page: h.page(r, p.Name(), "people"), Person: p, Self: p.ID == actor.PersonID, Roles: core.GrantableRoles}
	if v.Reports, _, v.ReportsTotal, err = h.svc.Org.FindPeople(ctx, actor, org.PersonFilter{ManagerID: p.ID, Limit: 50}); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Self || actor.Can(core.PermAccountsRead) {
		v.Account, err = h.svc.Auth.FindAccountByPerson(ctx, actor, p.ID)
		switch core.ErrorCode(err) {
		case "":
		case core.ENOTFOUND:
			v.NoAccount = true
		default:
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "person", v)
}

// PersonFormView edits or creates a person.
type PersonFormView struct {
	FormView
	Person *org.Person
	Units  []*org.OrgUnit
	Roles  []*org.JobRole
}

func (h *Handler) personForm(r *http.Request, actor *core.Actor, p *org.Person) (PersonFormView, error) {
	title := "New person"
	if p != nil {
		title = "Edit " + p.Name()
	}
	v := PersonFormView{FormView: h.form(r, title, "people"), Person: p}
	var err error
	if v.Units, err = h.svc.Org.UnitOptions(r.Context(), actor, -1, ""); err != nil {
		return v, err
	}
	v.Roles, err = h.svc.Org.RoleOptions(r.Context(), actor)
	if p != nil {
		in := p.Input()
		v.Values = personValues(in)
		if p.ManagerID != "" {
			if m, err := h.svc.Org.FindPersonByID(r.Context(), core.System, p.ManagerID); err == nil {
				v.Values["manager"] = m.EmployeeNumber
				if m.EmployeeNumber == "" {
					v.Values["manager"] = m.Email
				}
			}
		}
	} else {
		v.Values["status"] = org.StatusActive
	}
	return v, err
}

func personValues(in org.PersonInput) map[string]string {
	return map[string]string{"employee_number": in.EmployeeNumber, "given_name": in.GivenName, "family_name": in.FamilyName,
		"email": in.Email, "job_title": in.JobTitle, "job_role_id": in.JobRoleID, "org_unit_id": in.OrgUnitID,
		"location": in.Location, "time_zone": in.TimeZone, "hire_date": in.HireDate.String(), "status": in.Status, "left_on": in.LeftOn.String()}
}

func (h *Handler) newPerson(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.personFormPage(w, r, actor, "")
}

func (h *Handler) editPerson(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.personFormPage(w, r, actor, r.PathValue("id"))
}

// editable returns the person with id to edit ("" for a new person), after checking the actor
// may change people at all.
func (h *Handler) editable(r *http.Request, actor *core.Actor, id string) (*org.Person, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, nil
	}
	return h.svc.Org.FindPersonByID(r.Context(), actor, id)
}

func (h *Handler) personFormPage(w http.ResponseWriter, r *http.Request, actor *core.Actor, id string) {
	p, err := h.editable(r, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.personForm(r, actor, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "person_form", v)
}

// readPerson reads the person form; a bad date or an unknown manager becomes a field error.
func (h *Handler) readPerson(r *http.Request, actor *core.Actor, v *PersonFormView) org.PersonInput {
	f := func(k string) string { v.Values[k] = r.PostFormValue(k); return v.Values[k] }
	in := org.PersonInput{EmployeeNumber: f("employee_number"), GivenName: f("given_name"), FamilyName: f("family_name"), Email: f("email"),
		JobTitle: f("job_title"), JobRoleID: f("job_role_id"), OrgUnitID: f("org_unit_id"), Location: f("location"), TimeZone: f("time_zone"), Status: f("status")}
	for _, d := range []struct {
		field string
		dst   *core.Date
	}{{"hire_date", &in.HireDate}, {"left_on", &in.LeftOn}} {
		if s := strings.TrimSpace(f(d.field)); s != "" {
			date, err := core.ParseDate(s)
			if err != nil {
				v.Errors[d.field] = v.T("Use the form YYYY-MM-DD.")
			}
			*d.dst = date
		}
	}
	if ref := strings.TrimSpace(f("manager")); ref != "" {
		m, err := h.svc.Org.FindPersonByRef(r.Context(), actor, ref)
		if err != nil {
			v.Errors["manager"] = v.T("No one has the employee number or email %q.", ref)
		} else {
			in.ManagerID = m.ID
		}
	}
	return in
}

func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.savePerson(w, r, actor, "")
}

func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.savePerson(w, r, actor, r.PathValue("id"))
}

// savePerson creates (id "") or updates a person from the form.
func (h *Handler) savePerson(w http.ResponseWriter, r *http.Request, actor *core.Actor, id string) {
	p, err := h.editable(r, actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.personForm(r, actor, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := h.readPerson(r, actor, &v)
	if len(v.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, "person_form", v)
		return
	}
	if p == nil {
		p, err = h.svc.Org.CreatePerson(r.Context(), actor, in)
	} else {
		_, err = h.svc.Org.UpdatePerson(r.Context(), actor, p.ID, in)
	}
	if err != nil {
		h.formError(w, r, err, "person_form", &v.FormView, &v)
		return
	}
	if id == "" {
		h.redirect(w, r, "/people/"+p.ID, "%s was added.", p.Name())
		return
	}
	h.redirect(w, r, "/people/"+p.ID, "Saved.")
}

// formError shows a refused form again with err beside its fields or above the form, and
// answers other errors with an error page. view must point to the page's view, whose FormView is
// f, so that the error set on f is the one rendered.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, err error, name string, f *FormView, view any) {
	switch core.ErrorCode(err) {
	case core.EINVALID, core.ECONFLICT:
		f.setError(err)
		h.render(w, r, http.StatusUnprocessableEntity, name, view)
	default:
		h.fail(w, r, err)
	}
}

func (h *Handler) createAccount(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	var roles []core.Role
	for _, s := range r.PostForm["role"] {
		roles = append(roles, core.Role(s))
	}
	a, err := h.svc.Auth.CreateAccount(r.Context(), actor, auth.NewAccount{PersonID: r.PathValue("id"), Roles: roles})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/people/"+a.PersonID, "%s now has an account; a link to set a password was emailed to %s.", a.Name, a.Email)
}
