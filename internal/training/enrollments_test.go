package training_test

import (
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/training"
)

func TestEnrollApproveAssign(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		open := f.item("Reading: the style guide", training.KindReading)
		approval := f.item("Leadership essentials", training.KindCourse, func(in *training.ItemInput) { in.Enrollment = training.EnrollApproval })
		assigned := f.item("Data protection", training.KindELearning, func(in *training.ItemInput) { in.Enrollment = training.EnrollAssigned })
		alan, grace, sam := f.actor("E3"), f.actor("E2"), f.actor("E6")

		// Open: enrolled at once; enrolling again returns the same enrollment.
		e := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, open.ID))
		if e.Status != training.EnrollmentEnrolled || e.Source != training.SourceSelf {
			t.Errorf("open item: %+v", e)
		}
		again := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, open.ID))
		if again.ID != e.ID {
			t.Errorf("a second enrollment %s beside %s", again.ID, e.ID)
		}
		// Approval: a request the manager sees as a notification, decided by the manager only.
		req := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, approval.ID))
		if req.Status != training.EnrollmentRequested {
			t.Fatalf("approval item: %s", req.Status)
		}
		inbox := &notify.Service{DB: d, Clock: f.clock}
		msgs, unread, err := inbox.Recent(ctx, grace, 10)
		if err != nil || unread != 1 || msgs[0].Kind != notify.KindApproval {
			t.Errorf("the manager's notifications: %d %+v %v", unread, msgs, err)
		}
		_, err = f.svc.Decide(ctx, f.actor("E5"), req.ID, true, "")
		code(t, err, core.ENOTFOUND) // another manager does not even see it
		_, err = f.svc.Decide(ctx, alan, req.ID, true, "")
		code(t, err, core.EFORBIDDEN)
		ok := must[*training.Enrollment](t)(f.svc.Decide(ctx, grace, req.ID, true, "Go for it"))
		if ok.Status != training.EnrollmentEnrolled {
			t.Errorf("approved: %s", ok.Status)
		}
		_, err = f.svc.Decide(ctx, grace, req.ID, false, "")
		code(t, err, core.ECONFLICT)
		// Assigned only: nobody enrolls themselves.
		_, err = f.svc.Enroll(ctx, alan, assigned.ID)
		code(t, err, core.EFORBIDDEN)

		// A manager assigns to their reports, not to others'.
		due := core.Date{Year: 2026, Month: 6, Day: 15}
		_, err = f.svc.Assign(ctx, grace, training.AssignInput{ItemID: assigned.ID, PersonIDs: []string{sam.PersonID}, DueOn: due})
		if c := core.ErrorCode(err); c != core.EINVALID && c != core.EFORBIDDEN {
			t.Errorf("assigning to someone else's report: %v", err)
		}
		rep := must[*training.AssignReport](t)(f.svc.Assign(ctx, grace, training.AssignInput{ItemID: assigned.ID, PersonIDs: []string{alan.PersonID, f.ids["E4"]}, DueOn: due, Note: "Before the audit"}))
		if len(rep.Assigned) != 2 {
			t.Errorf("assign report %+v", rep)
		}
		// Assigning what someone chose turns it into an assignment with the due date.
		rep = must[*training.AssignReport](t)(f.svc.Assign(ctx, grace, training.AssignInput{ItemID: open.ID, PersonIDs: []string{alan.PersonID}, DueOn: due}))
		if len(rep.Updated) != 1 {
			t.Errorf("assign over a self-enrollment: %+v", rep)
		}
		// The learner cannot withdraw an assignment; the manager can.
		list, _, err := f.svc.FindEnrollments(ctx, alan, training.EnrollmentFilter{PersonID: alan.PersonID, ItemID: assigned.ID, Status: "open"})
		if err != nil || len(list) != 1 {
			t.Fatalf("find enrollments: %v %v", list, err)
		}
		_, err = f.svc.Withdraw(ctx, alan, list[0].ID, "")
		code(t, err, core.EFORBIDDEN)
		must[*training.Enrollment](t)(f.svc.Withdraw(ctx, grace, list[0].ID, "Changed team"))

		// Overdue once the due date has passed in the person's own time zone.
		f.clock.T = time.Date(2026, 6, 16, 1, 0, 0, 0, time.UTC)
		mine := must[*training.MyLearning](t)(f.svc.FindMyLearning(ctx, alan))
		if len(mine.Assigned) != 1 || mine.Assigned[0].ItemID != open.ID || !mine.Assigned[0].Overdue {
			t.Errorf("my learning, assigned: %+v", mine.Assigned)
		}
		if len(mine.InProgress) != 1 || mine.InProgress[0].ItemID != approval.ID {
			t.Errorf("my learning, chosen: %+v", mine.InProgress)
		}
		// José is in New York, where it is still the 15th: not overdue yet.
		jose := f.actor("E4")
		jose.TimeZone = "America/New_York"
		jm := must[*training.MyLearning](t)(f.svc.FindMyLearning(ctx, jose))
		if len(jm.Assigned) != 1 || jm.Assigned[0].Overdue {
			t.Errorf("José's assignment on his 15th: %+v", jm.Assigned)
		}
		// The manager's team view lists overdue work; outsiders see nothing of it.
		team := must[*training.Team](t)(f.svc.FindTeam(ctx, grace, ""))
		overdue := 0
		for _, m := range team.Members {
			overdue += m.Overdue
		}
		if overdue == 0 {
			t.Errorf("team view shows nothing overdue: %+v", team.Members)
		}
		_, err = f.svc.FindTeam(ctx, sam, grace.PersonID)
		if err == nil {
			t.Error("an employee sees another manager's team")
		}
		// Nudges: from the manager, once a day.
		e2 := mine.Assigned[0]
		if err := f.svc.Nudge(ctx, grace, e2.EnrollmentID, "Please finish it this week."); err != nil {
			t.Fatal(err)
		}
		code(t, f.svc.Nudge(ctx, grace, e2.EnrollmentID, ""), core.ECONFLICT)
		code(t, f.svc.Nudge(ctx, f.actor("E5"), e2.EnrollmentID, ""), core.ENOTFOUND)
	})
}

func TestCompletionFeedsSkills(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		reading := f.item("SQL pocket guide", training.KindReading, func(in *training.ItemInput) {
			in.Skills = []training.ItemSkill{{SkillID: f.skills["SQL"], TargetLevel: 2}}
		})
		alan := f.actor("E3")
		e := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, reading.ID))
		done := must[*training.Enrollment](t)(f.svc.MarkComplete(ctx, alan, e.ID))
		if done.Status != training.EnrollmentCompleted || done.CompletedAt == nil {
			t.Fatalf("completed: %+v", done)
		}
		ratings := must[[]*skills.Rating](t)(f.sk.FindRatings(ctx, core.System, alan.PersonID, f.skills["SQL"]))
		if len(ratings) != 1 || ratings[0].Source != skills.SourceActivity || ratings[0].Level != 2 {
			t.Fatalf("activity evidence: %+v", ratings)
		}
		prof := must[*skills.Profile](t)(f.sk.PersonProfile(ctx, core.System, alan.PersonID, ""))
		for _, ps := range prof.Skills {
			// One activity rating at half weight: 0.6 × 0.5 = 0.3 → confidence 1 − e^−0.3.
			if ps.SkillID == f.skills["SQL"] && (ps.Level != 2 || ps.Confidence != 0.26) {
				t.Errorf("SQL level %v confidence %v", ps.Level, ps.Confidence)
			}
		}
		// The manager sees the completion as not yet observed, until they rate the skill.
		grace := f.actor("E2")
		team := must[*training.Team](t)(f.svc.FindTeam(ctx, grace, ""))
		notSeen := func() int {
			n := 0
			for _, m := range team.Members {
				if m.Person.ID == alan.PersonID {
					n = len(m.NotObserved)
				}
			}
			return n
		}
		if notSeen() != 1 {
			t.Errorf("not observed: %d", notSeen())
		}
		f.clock.Advance(time.Hour)
		if _, err := f.sk.Rate(ctx, grace, skills.RatingInput{PersonID: alan.PersonID, SkillID: f.skills["SQL"], Level: 2, Source: skills.SourceManager}); err != nil {
			t.Fatal(err)
		}
		team = must[*training.Team](t)(f.svc.FindTeam(ctx, grace, ""))
		if notSeen() != 0 {
			t.Error("still not observed after the manager's rating")
		}
		// A reading cannot be "completed" by L&D as a path, nor marked twice.
		_, err := f.svc.MarkComplete(ctx, alan, e.ID)
		code(t, err, core.ECONFLICT)
	})
}
