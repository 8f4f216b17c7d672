package training

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/outbox"
	"github.com/learnloop/learnloop/internal/skills"
)

// ActivityWeight is how much a completion without a test counts, as activity evidence of the
// skills an item develops: half of a fresh activity rating. Attending is not proof of skill.
const ActivityWeight = 0.5

// completion is what finishing an item records.
type completion struct {
	at    time.Time
	score *float64 // the test's score in percent, when a test decided the completion
	note  string   // for the audit log
}

// complete records that e's person completed e's item: the enrollment, the person's status, the
// skills evidence, a certificate when the item certifies, and the paths the item is a step of.
func (s *Service) complete(ctx context.Context, tx *db.Tx, actor *core.Actor, e *Enrollment, c completion) error {
	it, err := s.findItem(ctx, tx, e.ItemID)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var expires core.Date
	if it.ValidityMonths > 0 {
		expires = core.DateOf(c.at.UTC().AddDate(0, it.ValidityMonths, 0))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = 'completed', started_at = COALESCE(started_at, ?), completed_at = ?, score = ?,
		expires_on = ?, updated_at = ? WHERE id = ?`, c.at, c.at, c.score, expires, now, e.ID); err != nil {
		return fmt.Errorf("complete enrollment: %w", err)
	}
	e.Status = EnrollmentCompleted
	if err := s.refreshStatus(ctx, tx, e.PersonID, e.ItemID); err != nil {
		return err
	}
	ev := outbox.Event{Type: outbox.Completed, PersonID: e.PersonID, At: c.at, Object: itemRef(e.ItemID), Score: c.score}
	if c.score != nil {
		ok := true
		ev.Success = &ok
	}
	if err := publish(ctx, tx, ev); err != nil {
		return err
	}
	if err := s.recordEvidence(ctx, tx, e.PersonID, it, c, now); err != nil {
		return err
	}
	if it.Certifying {
		if _, err := s.issueCertificate(ctx, tx, e, it, c, expires, now); err != nil {
			return err
		}
	}
	if err := s.audit(ctx, tx, actor, audit.Entry{Action: "training.complete", TargetType: "person", TargetID: e.PersonID,
		Summary: fmt.Sprintf("%s completed %q%s", e.PersonName, it.Title, c.note)}); err != nil {
		return err
	}
	return s.advancePaths(ctx, tx, actor, e.PersonID, it.ID, now)
}

// recordEvidence turns a completion into skills evidence: a passed test is a test rating of
// each skill at the level the item targets, weighted by the score; a completion without a test
// is activity evidence at ActivityWeight.
func (s *Service) recordEvidence(ctx context.Context, tx *db.Tx, personID string, it *Item, c completion, now time.Time) error {
	if len(it.Skills) == 0 || s.Skills == nil {
		return nil
	}
	return s.Skills.RecordTrainingEvidence(ctx, tx, evidenceOf(personID, it, c), now)
}

// evidenceOf is the skills evidence of one completion.
func evidenceOf(personID string, it *Item, c completion) []skills.TrainingEvidence {
	ev := make([]skills.TrainingEvidence, 0, len(it.Skills))
	for _, sk := range it.Skills {
		e := skills.TrainingEvidence{PersonID: personID, SkillID: sk.SkillID, Level: sk.TargetLevel, At: c.at}
		if c.score != nil {
			e.Source, e.Weight = skills.SourceTest, *c.score/100
			e.Note = fmt.Sprintf("Passed the test of %q with %s", it.Title, Percent(*c.score))
		} else {
			e.Source, e.Weight = skills.SourceActivity, ActivityWeight
			e.Note = fmt.Sprintf("Completed %q (no test)", it.Title)
		}
		ev = append(ev, e)
	}
	return ev
}

// Percent shows a score in percent without needless decimals ("85%", "87.5%").
func Percent(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f%%", f)
	}
	return fmt.Sprintf("%.1f%%", f)
}

// MarkComplete records that the actor finished an item that neither a test nor attendance
// decides (a reading, a video, a job aid, an e-learning module without a test). Compliance
// items are not completed on the learner's word.
func (s *Service) MarkComplete(ctx context.Context, actor *core.Actor, enrollmentID string) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingLearn); err != nil {
		return nil, err
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.findEnrollment(ctx, tx, enrollmentID)
		if err != nil {
			return err
		}
		if e.PersonID != actor.PersonID {
			return core.NotFound("enrollment")
		}
		if e.Status != EnrollmentEnrolled && e.Status != EnrollmentInProgress {
			return core.Errorf(core.ECONFLICT, "this enrollment is %s", e.Status)
		}
		it, err := s.findItem(ctx, tx, e.ItemID)
		if err != nil {
			return err
		}
		switch {
		case it.HasTest:
			return core.Errorf(core.ECONFLICT, "pass the test to complete %q", it.Title)
		case Scheduled(it.Kind):
			return core.Errorf(core.ECONFLICT, "%q is completed by attending a session", it.Title)
		case it.Kind == KindPath:
			return core.Errorf(core.ECONFLICT, "a path is completed by completing its steps")
		case it.Compliance:
			// Saying so is not evidence an auditor accepts.
			return core.Errorf(core.ECONFLICT, "compliance training is completed by a test, by attendance, or recorded by L&D")
		}
		return s.complete(ctx, tx, actor, e, completion{at: s.Clock.Now()})
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), enrollmentID)
}

// RecordInput records a completion that happened elsewhere: an external course, a classroom
// session before learnloop, a history imported from another system.
type RecordInput struct {
	PersonID    string    `json:"person_id"`
	ItemID      string    `json:"item_id"`
	CompletedAt time.Time `json:"completed_at"`
	Score       *float64  `json:"score,omitempty"`
	Note        string    `json:"note"`
}

// RecordCompletion records a completion on a person's behalf; those who run training do it. A
// score counts as a passed test (test evidence weighted by the score).
func (s *Service) RecordCompletion(ctx context.Context, actor *core.Actor, in RecordInput) (*Enrollment, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var v core.Validation
	if in.CompletedAt.IsZero() {
		in.CompletedAt = now
	}
	if in.CompletedAt.After(now.Add(time.Minute)) {
		v.Add("completed_at", "cannot be in the future")
	}
	if in.Score != nil && (*in.Score < 0 || *in.Score > 100) {
		v.Add("score", "enter a score from 0 to 100")
	}
	in.Note = clean(in.Note)
	if len([]rune(in.Note)) > maxText {
		v.Add("note", "must be at most %d characters", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id string
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.Org.FindPersonByID(ctx, actor, in.PersonID)
		if err != nil {
			return core.Invalid("person_id", "unknown person")
		}
		it, err := s.findItem(ctx, tx, in.ItemID)
		if err != nil {
			return core.Invalid("item_id", "unknown learning item")
		}
		if it.Kind == KindPath {
			return core.Invalid("item_id", "a path is completed by completing its steps")
		}
		e, err := s.openEnrollment(ctx, tx, p.ID, it.ID)
		if err != nil {
			return err
		}
		if e == nil {
			if id, err = s.insertEnrollment(ctx, tx, newEnrollment{personID: p.ID, itemID: it.ID, status: EnrollmentEnrolled, source: SourceAdmin,
				assignedBy: actor.PersonID}, in.CompletedAt.UTC()); err != nil {
				return err
			}
			if e, err = s.findEnrollment(ctx, tx, id); err != nil {
				return err
			}
		}
		id = e.ID
		note := " (recorded by L&D)"
		if in.Note != "" {
			note = " (recorded by L&D: " + in.Note + ")"
		}
		return s.complete(ctx, tx, actor, e, completion{at: in.CompletedAt.UTC().Truncate(time.Microsecond), score: in.Score, note: note})
	})
	if err != nil {
		return nil, err
	}
	return s.findEnrollment(ctx, s.DB.Reader(), id)
}
