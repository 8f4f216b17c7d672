package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/training"
)

func (h *Handler) registerTrainingAdmin(rt *httpx.Router) {
	rt.HandleFunc("GET /training/objectives/classify", h.signedIn(h.classifyObjective))
	rt.HandleFunc("GET /training/team", h.signedIn(h.teamPage))
	rt.HandleFunc("POST /training/assign", h.signedIn(h.assign))
	rt.HandleFunc("GET /training/rules", h.signedIn(h.rulesPage))
	rt.HandleFunc("POST /training/rules", h.signedIn(h.createRule))
	rt.HandleFunc("POST /training/rules/evaluate", h.signedIn(h.evaluateRules))
	rt.HandleFunc("POST /training/rules/{id}", h.signedIn(h.updateRule))
	rt.HandleFunc("POST /training/rules/{id}/delete", h.signedIn(h.deleteRule))
	rt.HandleFunc("GET /training/compliance", h.signedIn(h.compliancePage))
	rt.HandleFunc("GET /training/compliance/export", h.signedIn(h.exportCompliance))
	rt.HandleFunc("GET /training/certificates/{id}", h.signedIn(h.certificatePage))
	rt.HandleFunc("GET /training/certificates/{id}/pdf", h.signedIn(h.certificatePDF))
	rt.HandleFunc("POST /training/certificates/{id}/revoke", h.signedIn(h.revokeCertificate))
	rt.HandleFunc("GET /certificates/verify/{code}", h.verifyCertificate)
	rt.HandleFunc("GET /notifications", h.signedIn(h.notifications))
	rt.HandleFunc("POST /notifications/read", h.signedIn(h.readNotifications))
}

// TeamView is a manager's view of their team's learning.
type TeamView struct {
	FormView
	*training.Team
	Catalog template.HTML // items to assign
	Manager *org.Person
}

func (h *Handler) teamView(r *http.Request, actor *core.Actor) (TeamView, error) {
	v := TeamView{FormView: h.form(r, "Your team's learning", "training")}
	ctx := r.Context()
	managerID := r.URL.Query().Get("manager")
	var err error
	if v.Team, err = h.svc.Training.FindTeam(ctx, actor, managerID); err != nil {
		return v, err
	}
	if managerID != "" && managerID != actor.PersonID {
		if v.Manager, err = h.svc.Org.FindPersonByID(ctx, actor, managerID); err != nil {
			return v, err
		}
		v.Title = v.T("Learning of %s's team", v.Manager.Name())
	}
	items, _, err := h.svc.Training.FindItems(ctx, actor, training.ItemFilter{Limit: core.MaxLimit})
	if err != nil {
		return v, err
	}
	opts := []Option{{Value: "", Label: v.T("— choose an item —")}}
	for _, it := range items {
		opts = append(opts, Option{Value: it.ID, Label: it.Title, Selected: it.ID == r.PostFormValue("item_id")})
	}
	v.Catalog = options(opts)
	return v, nil
}

func (h *Handler) teamPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.teamView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "team", v)
}

// assign assigns an item to the people ticked on the team page or an item's page.
func (h *Handler) assign(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, core.Invalid("person_ids", "the form could not be read"))
		return
	}
	p := h.page(r, "", "")
	due, err := p.dueDate(r.PostFormValue("due_on"))
	var rep *training.AssignReport
	if err == nil {
		rep, err = h.svc.Training.Assign(r.Context(), actor, training.AssignInput{ItemID: r.PostFormValue("item_id"), PersonIDs: r.PostForm["person_ids"],
			DueOn: due, Note: r.PostFormValue("note")})
	}
	back := safeNext(r.PostFormValue("next"))
	if err != nil {
		if c := core.ErrorCode(err); c != core.EINVALID {
			h.fail(w, r, err)
			return
		}
		v, verr := h.teamView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		v.Values["due_on"], v.Values["note"] = r.PostFormValue("due_on"), r.PostFormValue("note")
		h.formError(w, r, err, "team", &v.FormView, &v)
		return
	}
	msg := fmt.Sprintf("Assigned to %d people.", len(rep.Assigned)+len(rep.Updated))
	if len(rep.Skipped) > 0 {
		msg += fmt.Sprintf(" %d already hold a valid completion.", len(rep.Skipped))
	}
	h.redirect(w, r, back, "%s", msg)
}

// RulesView lists the assignment rules with the form for a new one.
type RulesView struct {
	FormView
	Rules     []*training.Rule
	Items     template.HTML
	Roles     template.HTML
	Units     template.HTML
	AllItems  []*training.Item
	AllRoles  []*org.JobRole
	AllUnits  []*org.OrgUnit
	Evaluated *training.RuleReport
}

func (h *Handler) rulesView(r *http.Request, actor *core.Actor) (RulesView, error) {
	v := RulesView{FormView: h.form(r, "Assignment rules", "training")}
	ctx := r.Context()
	var err error
	if v.Rules, err = h.svc.Training.FindRules(ctx, actor, ""); err != nil {
		return v, err
	}
	if v.AllItems, _, err = h.svc.Training.FindItems(ctx, actor, training.ItemFilter{Limit: core.MaxLimit}); err != nil {
		return v, err
	}
	if v.AllRoles, err = h.svc.Org.RoleOptions(ctx, actor); err != nil {
		return v, err
	}
	if v.AllUnits, err = h.svc.Org.UnitOptions(ctx, actor, 4, ""); err != nil {
		return v, err
	}
	v.Items, v.Roles, v.Units = ruleOptions(v, r.PostFormValue("item_id"), r.PostFormValue("job_role_id"), r.PostFormValue("org_unit_id"))
	v.Values["due_days"] = "30"
	return v, nil
}

// ruleOptions are the choices of a rule form with the given ones selected.
func ruleOptions(v RulesView, item, role, unit string) (template.HTML, template.HTML, template.HTML) {
	items := []Option{{Value: "", Label: v.T("— choose an item —")}}
	for _, it := range v.AllItems {
		items = append(items, Option{Value: it.ID, Label: it.Title, Selected: it.ID == item})
	}
	roles := []Option{{Value: "", Label: v.T("Any job role")}}
	for _, jr := range v.AllRoles {
		roles = append(roles, Option{Value: jr.ID, Label: jr.Name, Selected: jr.ID == role})
	}
	units := []Option{{Value: "", Label: v.T("Any org unit")}}
	for _, u := range v.AllUnits {
		units = append(units, Option{Value: u.ID, Label: strings.Repeat("— ", u.Depth()) + u.Name, Selected: u.ID == unit})
	}
	return options(items), options(roles), options(units)
}

// RuleForm renders the choices of an existing rule's form.
func (v RulesView) RuleForm(r *training.Rule) map[string]template.HTML {
	items, roles, units := ruleOptions(v, r.ItemID, r.JobRoleID, r.OrgUnitID)
	return map[string]template.HTML{"items": items, "roles": roles, "units": units}
}

func (h *Handler) rulesPage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.rulesView(r, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "rules", v)
}

func readRule(r *http.Request) training.RuleInput {
	f := r.PostFormValue
	in := training.RuleInput{Name: f("name"), ItemID: f("item_id"), JobRoleID: f("job_role_id"), OrgUnitID: f("org_unit_id"), Location: f("location"),
		Active: f("active") != ""}
	in.HiredWithinDays, _ = strconv.Atoi(strings.TrimSpace(f("hired_within_days")))
	in.DueDays, _ = strconv.Atoi(strings.TrimSpace(f("due_days")))
	return in
}

func (h *Handler) ruleDone(w http.ResponseWriter, r *http.Request, actor *core.Actor, rep *training.RuleReport, err error) {
	if err != nil {
		if core.ErrorCode(err) != core.EINVALID && core.ErrorCode(err) != core.ECONFLICT {
			h.fail(w, r, err)
			return
		}
		v, verr := h.rulesView(r, actor)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		for _, k := range []string{"name", "location", "hired_within_days", "due_days", "active"} {
			v.Values[k] = r.PostFormValue(k)
		}
		h.formError(w, r, err, "rules", &v.FormView, &v)
		return
	}
	msg := "Saved."
	if rep != nil {
		msg = fmt.Sprintf("Saved: %d assigned, %d renewals, %d withdrawn.", rep.Assigned, rep.Renewals, rep.Withdrawn)
	}
	h.redirect(w, r, "/training/rules", "%s", msg)
}

func (h *Handler) createRule(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	_, rep, err := h.svc.Training.CreateRule(r.Context(), actor, readRule(r))
	h.ruleDone(w, r, actor, rep, err)
}

func (h *Handler) updateRule(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	_, rep, err := h.svc.Training.UpdateRule(r.Context(), actor, r.PathValue("id"), readRule(r))
	h.ruleDone(w, r, actor, rep, err)
}

func (h *Handler) deleteRule(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	h.ruleDone(w, r, actor, nil, h.svc.Training.DeleteRule(r.Context(), actor, r.PathValue("id")))
}

func (h *Handler) evaluateRules(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	rep, err := h.svc.Training.EvaluateRules(r.Context(), actor)
	h.ruleDone(w, r, actor, rep, err)
}

// MaxListed is the most people and items the compliance page lists without a status chosen:
// beyond it, the list would be too long to read and the export is the better tool.
const MaxListed = 5000

// ComplianceView is the compliance dashboard of a unit, with its people when drilled down.
type ComplianceView struct {
	Narrow bool // the people are listed
	Page
	Dash      *training.ComplianceDashboard
	Rows      []*training.ComplianceRow
	RowsTotal int
	UnitID    string
	ItemID    string
	Status    string
	Statuses  []string
	Trail     []*org.OrgUnit // the chosen unit's ancestors, for the way back up
	Query     string         // the filter as a query string, for the export links
}

// Cell returns the counts of a unit below and an item.
func (v ComplianceView) Cell(unitID, itemID string) training.Counts {
	return v.Dash.Matrix[unitID+"|"+itemID]
}

func (h *Handler) compliancePage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	v := ComplianceView{Page: h.page(r, "Compliance", "training"), UnitID: q.Get("unit"), ItemID: q.Get("item"), Status: q.Get("status"),
		Statuses: training.ComplianceStatuses}
	f := training.ComplianceFilter{OrgUnitID: v.UnitID, ItemID: v.ItemID, Status: v.Status}
	ctx := r.Context()
	var err error
	if v.Dash, err = h.svc.Training.FindCompliance(ctx, actor, training.ComplianceFilter{OrgUnitID: f.OrgUnitID, ItemID: f.ItemID}); err != nil {
		h.fail(w, r, err)
		return
	}
	// Everyone is in one top unit (the company): start one level down, where the units differ.
	if v.UnitID == "" && len(v.Dash.Units) == 1 && v.Dash.Units[0].UnitID != "" {
		if v.Dash, err = h.svc.Training.FindCompliance(ctx, actor, training.ComplianceFilter{OrgUnitID: v.Dash.Units[0].UnitID, ItemID: f.ItemID}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	// People are listed once the view is narrow enough to read: a unit or an item of at most
	// MaxListed people, or a status.
	v.Narrow = v.Status != "" || (v.UnitID != "" || v.ItemID != "") && v.Dash.Total.Total() <= MaxListed
	if v.Narrow {
		if v.Rows, v.RowsTotal, err = h.svc.Training.FindComplianceRows(ctx, actor, f, training.MaxComplianceRows); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Dash.Unit != nil {
		// The way back up: the units on the chosen one's path, top first.
		for _, id := range strings.Split(strings.Trim(v.Dash.Unit.Path, "/"), "/") {
			if id == v.Dash.Unit.ID {
				continue
			}
			if u, err := h.svc.Org.FindUnitByID(ctx, actor, id); err == nil {
				v.Trail = append(v.Trail, u)
			}
		}
		v.Title = v.T("Compliance of %s", v.Dash.Unit.Name)
	}
	v.Query = r.URL.Query().Encode()
	h.render(w, r, http.StatusOK, "compliance", v)
}

func (h *Handler) exportCompliance(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	q := r.URL.Query()
	format := q.Get("format")
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if ctype == "" {
		h.fail(w, r, core.Invalid("format", "choose csv or xlsx"))
		return
	}
	f := training.ComplianceFilter{OrgUnitID: q.Get("unit"), ItemID: q.Get("item"), Status: q.Get("status")}
	h.download(w, r, ctype, fmt.Sprintf("compliance-%s.%s", h.clock.Now().Format("2006-01-02"), format), func(out io.Writer) error {
		_, err := h.svc.Training.ExportCompliance(r.Context(), actor, f, format, out)
		return err
	})
}

// CertificateView is a certificate's page for its holder, their managers and L&D.
type CertificateView struct {
	FormView
	Cert      *training.Certificate
	State     string
	VerifyURL string
	Admin     bool
	Mine      bool
}

func (h *Handler) certificateView(r *http.Request, actor *core.Actor, id string) (CertificateView, error) {
	v := CertificateView{FormView: h.form(r, "Certificate", "training"), Admin: actor.Can(core.PermTrainingWrite)}
	c, err := h.svc.Training.FindCertificateByID(r.Context(), actor, id)
	if err != nil {
		return v, err
	}
	v.Cert, v.Mine, v.State = c, c.PersonID == actor.PersonID, c.State(core.DateOf(h.clock.Now()))
	if c.Code != "" {
		v.VerifyURL = training.VerifyURL(h.cfg.BaseURL, c.Code)
	}
	v.Title = v.T("Certificate: %s", c.Title)
	return v, nil
}

func (h *Handler) certificatePage(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v, err := h.certificateView(r, actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "certificate", v)
}

func (h *Handler) certificatePDF(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	c, b, err := h.svc.Training.CertificatePDF(r.Context(), actor, r.PathValue("id"), h.cfg.BaseURL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="certificate-%s.pdf"`, c.Number))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}

func (h *Handler) revokeCertificate(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	id := r.PathValue("id")
	if _, err := h.svc.Training.RevokeCertificate(r.Context(), actor, id, r.PostFormValue("reason")); err != nil {
		if core.ErrorCode(err) == core.EINVALID {
			v, verr := h.certificateView(r, actor, id)
			if verr != nil {
				h.fail(w, r, verr)
				return
			}
			h.formError(w, r, err, "certificate", &v.FormView, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/training/certificates/"+id, "The certificate is revoked; its verification page says so.")
}

// VerifyView is the public verification page of a certificate.
type VerifyView struct {
	Page
	V *training.Verification
}

func (h *Handler) verifyCertificate(w http.ResponseWriter, r *http.Request) {
	v := VerifyView{Page: h.page(r, "Certificate check", "")}
	var err error
	if v.V, err = h.svc.Training.Verify(r.Context(), r.PathValue("code")); err != nil {
		if core.ErrorCode(err) == core.ENOTFOUND {
			h.render(w, r, http.StatusNotFound, "verify", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	// Anyone may look a certificate up; nobody needs the page cached or indexed.
	w.Header().Set("X-Robots-Tag", "noindex")
	h.render(w, r, http.StatusOK, "verify", v)
}

// NotificationsView lists the viewer's notifications.
type NotificationsView struct {
	Page
	Items  []*notify.Notification
	Unread int
}

func (h *Handler) notifications(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	v := NotificationsView{Page: h.page(r, "Notifications", "")}
	var err error
	if v.Items, v.Unread, err = h.svc.Notify.Recent(r.Context(), actor, 100); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "notifications", v)
}

func (h *Handler) readNotifications(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	if err := h.svc.Notify.MarkRead(r.Context(), actor, r.PostFormValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	to := safeNext(r.PostFormValue("next"))
	if to == "/" {
		to = "/notifications"
	}
	h.redirect(w, r, to, "")
}
