package web

import (
	"net/http"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/training"
)

// Step is something the viewer should do next.
type Step struct {
	Text string
	Href string
}

// HomeView is the start page, different for each role.
type HomeView struct {
	Page
	Me           *org.Person
	Reports      []*org.Person
	ReportsTotal int
	TeamTotal    int
	Steps        []Step
	Active, Left int
	Units        int
	Imports      []*importer.Staged
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, actor *core.Actor) {
	ctx := r.Context()
	v := HomeView{Page: h.page(r, "Home", "home")}
	var err error
	if v.Me, err = h.svc.Org.FindPersonByID(ctx, actor, actor.PersonID); err != nil {
		h.fail(w, r, err)
		return
	}
	if actor.IsManager {
		if v.Reports, _, v.ReportsTotal, err = h.svc.Org.FindPeople(ctx, actor, org.PersonFilter{ManagerID: actor.PersonID, Limit: 12}); err != nil {
			h.fail(w, r, err)
			return
		}
		if v.TeamTotal, err = h.svc.Org.CountReports(ctx, actor, actor.PersonID); err != nil {
			h.fail(w, r, err)
			return
		}
		v.Steps = append(v.Steps, Step{v.T("Review your team: %d people report to you, %d in your whole reporting line.", v.ReportsTotal, v.TeamTotal), "/people?manager=" + actor.PersonID})
		pending, err := h.svc.Skills.PendingValidations(ctx, actor, "")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if n := len(pending); n > 0 {
			v.Steps = append(v.Steps, Step{v.T("%d self-assessed skill levels of your team wait for you to confirm or adjust them.", n), "/skills/validate"})
		}
	}
	if actor.SeesAllPeople() {
		c, err := h.svc.Org.OrgCounts(ctx, actor)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Active, v.Left, v.Units = c.Active, c.Left, c.Units
	}
	if len(h.svc.Imports.Kinds(actor)) > 0 {
		if v.Imports, err = h.svc.Imports.Recent(ctx, actor, 5); err != nil {
			h.fail(w, r, err)
			return
		}
		for _, im := range v.Imports {
			if im.Status == "previewed" {
				v.Steps = append(v.Steps, Step{v.T("Finish the import of %s you previewed.", im.Filename), "/admin/import/" + im.ID})
			}
		}
	}
	if actor.Can(core.PermPeopleWrite) {
		if v.Units == 0 {
			v.Steps = append(v.Steps, Step{v.T("Set up your organization's units (company, divisions, departments, teams)."), "/org"})
		}
		if v.Active <= 1 {
			v.Steps = append(v.Steps, Step{v.T("Import your people from your HR system's CSV export."), "/admin/import"})
		}
	}
	// One query lists the surveys waiting for an answer, soonest deadline first.
	invitations, err := h.svc.Surveys.MySurveys(ctx, actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, inv := range invitations {
		if inv.CanAnswer {
			v.Steps = append(v.Steps, Step{v.T("Answer the survey “%s” before %s.", inv.Title, v.Time(inv.Deadline)), "/surveys/" + inv.SurveyID})
		}
	}
	if v.Me.JobRoleID != "" {
		prof, err := h.svc.Skills.PersonProfile(ctx, actor, actor.PersonID, "")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		unassessed := 0
		for _, ps := range prof.Skills {
			if ps.Required > 0 && ps.SelfLevel == nil {
				unassessed++
			}
		}
		if unassessed > 0 {
			v.Steps = append(v.Steps, Step{v.T("Assess yourself in the %d skills your role needs that you have not assessed yet.", unassessed), "/skills/assess"})
		}
	}
	if err := h.trainingSteps(r, actor, &v); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Me.JobRoleID == "" || v.Me.OrgUnitID == "" {
		v.Steps = append(v.Steps, Step{v.T("Your profile has no job role or org unit yet; ask HR to complete it."), "/people/" + actor.PersonID})
	}
	h.render(w, r, http.StatusOK, "home", v)
}

// trainingSteps adds what training asks of the viewer: overdue and soon-due assignments, the
// next sessions, requests waiting for their approval and unread notifications.
func (h *Handler) trainingSteps(r *http.Request, actor *core.Actor, v *HomeView) error {
	ctx := r.Context()
	mine, err := h.svc.Training.FindMyLearning(ctx, actor)
	if err != nil {
		return err
	}
	now := h.clock.Now()
	overdue, soon := 0, 0
	for _, e := range mine.Assigned {
		switch {
		case e.Overdue:
			overdue++
		case !e.DueOn.IsZero() && e.DueOn.Before(core.DateOf(now.AddDate(0, 0, 8))):
			soon++
		}
	}
	if overdue > 0 {
		v.Steps = append(v.Steps, Step{v.T("%d of your assigned trainings are overdue.", overdue), "/training"})
	}
	if soon > 0 {
		v.Steps = append(v.Steps, Step{v.T("%d of your assigned trainings are due within a week.", soon), "/training"})
	}
	for _, s := range mine.Sessions {
		if s.Session.StartsAt.Before(now.AddDate(0, 0, 7)) && s.Session.Status == training.SessionScheduled {
			v.Steps = append(v.Steps, Step{v.T("Your session %q is on %s.", s.Session.ItemTitle, v.LocalTime(s.Session.StartsAt, s.Session.TimeZone)), "/training/sessions/" + s.Session.ID})
		}
	}
	if actor.IsManager {
		reqs, _, err := h.svc.Training.FindEnrollments(ctx, actor, training.EnrollmentFilter{Team: actor.PersonID, Status: training.EnrollmentRequested, Limit: 100})
		if err != nil {
			return err
		}
		if n := len(reqs); n > 0 {
			v.Steps = append(v.Steps, Step{v.T("%d requests to take training wait for your approval.", n), "/training/team"})
		}
	}
	if _, unread, err := h.svc.Notify.Recent(ctx, actor, 1); err != nil {
		return err
	} else if unread > 0 {
		v.Steps = append(v.Steps, Step{v.T("You have %d unread notifications.", unread), "/notifications"})
	}
	return nil
}
