// Package training is the structured half of learning and development: the catalog of learning
// items with their objectives, skills and content; levelled paths; scheduled sessions with
// waitlists and attendance; enrollments, assignments and the rules that make them; recurring
// compliance; question banks and quizzes; certificates.
//
// # Completion is evidence, not proof
//
// Completions and scores are recorded honestly and feed the skills picture as evidence: passing
// an item's test records a test rating of each skill the item develops, at the level it targets,
// weighted by the score; completing an item without a test records activity evidence at half
// weight. Neither replaces a manager seeing the skill applied, which is why the team view says
// "completed, not yet observed applying it" until a manager rates the skill again.
//
// # Where a person stands
//
// Enrollments are the history: one row per person, item and cycle (a recurring compliance item
// starts a new cycle before the last completion expires). training_status is the present: one
// row per person and item with the open enrollment, its due date, the latest completion with its
// score and expiry, and any exemption, rewritten in the transaction of every change (see
// refreshStatus). "My learning", the team view and the compliance dashboard read it, so they do
// not sift through years of history.
package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

// Service is the training domain service.
type Service struct {
	DB     *db.DB
	Clock  core.Clock
	Org    *org.Service
	Skills *skills.Service
	Blobs  *blob.Store
	// MaxUpload bounds uploaded content files.
	MaxUpload int64
	// Organization is the name printed on certificates; without it, the name of the top org
	// unit is.
	Organization string
}

// NewService returns a Service.
func NewService(d *db.DB, clock core.Clock, orgs *org.Service, sk *skills.Service, blobs *blob.Store) *Service {
	return &Service{DB: d, Clock: clock, Org: orgs, Skills: sk, Blobs: blobs, MaxUpload: 512 << 20}
}

func (s *Service) audit(ctx context.Context, tx *db.Tx, actor *core.Actor, e audit.Entry) error {
	return audit.Record(ctx, tx, s.Clock.Now(), actor, e)
}

// Kinds of learning item.
const (
	KindELearning     = "elearning"
	KindCourse        = "course"
	KindWorkshop      = "workshop"
	KindILT           = "ilt" // instructor-led session
	KindWebinar       = "webinar"
	KindExternal      = "external"
	KindReading       = "reading"
	KindVideo         = "video"
	KindJobAid        = "job_aid"
	KindMicrolearning = "microlearning"
	KindPath          = "path"
)

// Kinds lists the kinds of learning item in display order.
var Kinds = []string{KindELearning, KindCourse, KindWorkshop, KindILT, KindWebinar, KindExternal, KindReading, KindVideo,
	KindJobAid, KindMicrolearning, KindPath}

// Scheduled reports whether items of a kind run as scheduled sessions, whose attendance
// completes them.
func Scheduled(kind string) bool {
	return kind == KindILT || kind == KindWorkshop || kind == KindWebinar
}

// Modalities: how an item is delivered.
const (
	ModalitySelfPaced  = "self_paced"
	ModalityLiveOnline = "live_online"
	ModalityInPerson   = "in_person"
	ModalityBlended    = "blended"
)

// Modalities lists the modalities.
var Modalities = []string{ModalitySelfPaced, ModalityLiveOnline, ModalityInPerson, ModalityBlended}

// Statuses of an item: a draft is seen only by those who run training; a retired item keeps its
// history but takes no new enrollments.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusRetired   = "retired"
)

// ItemStatuses lists the statuses of an item.
var ItemStatuses = []string{StatusDraft, StatusPublished, StatusRetired}

// How people may enroll in an item.
const (
	EnrollOpen     = "open"     // anyone enrolls themselves
	EnrollApproval = "approval" // self-enrollment waits for the manager's approval
	EnrollAssigned = "assigned" // only by assignment (a manager, L&D or a rule)
)

// EnrollModes lists the enrollment modes.
var EnrollModes = []string{EnrollOpen, EnrollApproval, EnrollAssigned}

// Limits.
const (
	maxTitle       = 300
	maxDescription = 20000
	maxObjectives  = 30
	maxTags        = 20
	maxText        = 2000
)

// reasonText cleans a reason or note someone gives and checks its length; required says it
// may not be empty, with why as the message.
func reasonText(field, s string, required bool, why string) (string, error) {
	s = clean(s)
	switch {
	case s == "" && required:
		return "", core.Invalid(field, "%s", why)
	case len([]rune(s)) > maxText:
		return "", core.Invalid(field, "must be at most %d characters", maxText)
	}
	return s, nil
}

// clean collapses runs of space and trims.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// notFoundIn turns "no rows" into not found and wraps other errors; nil stays nil.
func notFoundIn(what string, err error) error {
	if err == nil {
		return nil
	}
	if db.IsNoRows(err) {
		return core.NotFound(what)
	}
	return fmt.Errorf("find %s: %w", what, err)
}

// lockSuffix returns the row lock to add to a SELECT inside a write transaction: FOR UPDATE on
// PostgreSQL, nothing on SQLite, whose single writer already runs write transactions one at a
// time.
func lockSuffix(tx *db.Tx) string {
	if tx.Dialect() == db.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// today is the calendar date at now in the time zone tz ("" is UTC).
func today(now time.Time, tz string) core.Date {
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return core.DateOf(now.In(loc))
		}
	}
	return core.DateOf(now.UTC())
}

// addDays returns the date n days after d.
func addDays(d core.Date, n int) core.Date { return core.DateOf(d.Time().AddDate(0, 0, n)) }
