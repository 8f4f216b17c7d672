package survey

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Recipients names who a survey goes to: people one by one, and org units, each meaning everyone
// active in the unit and in the units below it.
type Recipients struct {
	PersonIDs  []string `json:"person_ids"`
	OrgUnitIDs []string `json:"org_unit_ids"`
}

// SendReport says what a Send did.
type SendReport struct {
	Invited        int `json:"invited"`         // people invited now
	AlreadyInvited int `json:"already_invited"` // people among the recipients invited before
}

// Send invites the recipients to a draft or open survey: one invitation per person, and none for
// people invited before, so sending again to a grown unit reaches only the newcomers.
func (s *Service) Send(ctx context.Context, actor *core.Actor, id string, to Recipients) (*SendReport, error) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return nil, err
	}
	people, units := dedupe(to.PersonIDs), dedupe(to.OrgUnitIDs)
	if len(people) == 0 && len(units) == 0 {
		return nil, core.Invalid("recipients", "choose people or org units to send the survey to")
	}
	now := s.Clock.Now()
	rep := &SendReport{}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if st.status == StatusClosed {
			return core.Errorf(core.ECONFLICT, "this survey is closed")
		}
		if !now.Before(st.deadline) {
			return core.Errorf(core.ECONFLICT, "the deadline of this survey has passed")
		}
		unitOf, err := s.recipients(ctx, tx, people, units)
		if err != nil {
			return err
		}
		invited, err := invitees(ctx, tx, id)
		if err != nil {
			return err
		}
		var rows [][]any
		for pid, unit := range unitOf {
			if invited[pid] {
				rep.AlreadyInvited++
				continue
			}
			var u any
			if unit != "" {
				u = unit
			}
			rows = append(rows, []any{id, pid, u, now})
		}
		// Sorted so that the statement is the same for the same recipients.
		slices.SortFunc(rows, func(a, b []any) int { return strings.Compare(a[1].(string), b[1].(string)) })
		if err := db.InsertMany(ctx, tx, "survey_invitations", []string{"survey_id", "person_id", "org_unit_id", "invited_at"}, rows); err != nil {
			return err
		}
		rep.Invited = len(rows)
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.send", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Sent the survey %q to %d more people (%d invited before)", st.title, rep.Invited, rep.AlreadyInvited),
			Details: map[string]any{"people": len(people), "org_unit_ids": units}})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// recipients resolves people and units to the active people they stand for, with each person's
// org unit ("" for none).
func (s *Service) recipients(ctx context.Context, tx *db.Tx, people, units []string) (map[string]string, error) {
	var v core.Validation
	unitOf := map[string]string{}
	for _, uid := range units {
		if !core.ValidID(uid) {
			v.Add("org_unit_ids", "unknown org unit %q", uid)
			continue
		}
		var path string
		err := tx.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = ?`, uid).Scan(&path)
		if db.IsNoRows(err) {
			v.Add("org_unit_ids", "unknown org unit %q", uid)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("find org unit: %w", err)
		}
		// The unit's subtree is the range of paths that start with its own (see org.FindPeople).
		rows, err := tx.QueryContext(ctx, `SELECT id, org_unit_id FROM people WHERE status = 'active'
			AND org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)`, path, strings.TrimSuffix(path, "/")+"0")
		if err != nil {
			return nil, fmt.Errorf("find people of a unit: %w", err)
		}
		if err := collect(rows, unitOf); err != nil {
			return nil, err
		}
	}
	for _, pid := range people {
		if !core.ValidID(pid) {
			v.Add("person_ids", "unknown person %q", pid)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for start := 0; start < len(people); start += 500 {
		chunk := people[start:min(start+500, len(people))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, given_name || ' ' || family_name, status, COALESCE(org_unit_id, '') FROM people WHERE id IN `+db.In(len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("find people: %w", err)
		}
		found := map[string]bool{}
		for rows.Next() {
			var id, name, status, unit string
			if err := rows.Scan(&id, &name, &status, &unit); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = true
			if status != "active" {
				v.Add("person_ids", "%s has left; surveys go to people who work here", name)
				continue
			}
			unitOf[id] = unit
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, id := range chunk {
			if !found[id] {
				v.Add("person_ids", "unknown person %q", id)
			}
		}
	}
	return unitOf, v.Err()
}

func collect(rows *sql.Rows, unitOf map[string]string) error {
	defer rows.Close()
	for rows.Next() {
		var id, unit string
		if err := rows.Scan(&id, &unit); err != nil {
			return err
		}
		unitOf[id] = unit
	}
	return rows.Err()
}

func invitees(ctx context.Context, q db.Queryer, surveyID string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id FROM survey_invitations WHERE survey_id = ?`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("find invitations: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Open makes a draft answerable. It needs at least one question and a deadline in the future;
// from then on the questionnaire no longer changes.
func (s *Service) Open(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if st.status != StatusDraft {
			return core.Errorf(core.ECONFLICT, "this survey is already %s", st.status)
		}
		var questions int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM survey_questions WHERE survey_id = ?`, id).Scan(&questions); err != nil {
			return fmt.Errorf("count questions: %w", err)
		}
		if questions == 0 {
			return core.Invalid("questions", "add at least one question before opening the survey")
		}
		if !now.Before(st.deadline) {
			return core.Invalid("deadline", "the deadline has passed; move it before opening the survey")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET status = ?, opened_at = ?, updated_at = ? WHERE id = ?`, StatusOpen, now, now, id); err != nil {
			return fmt.Errorf("open survey: %w", err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.open", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Opened the survey %q until %s", st.title, st.deadline.UTC().Format(time.RFC3339))})
	})
}

// Close stops an open survey from taking answers before its deadline.
func (s *Service) Close(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := lockSurvey(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if st.status != StatusOpen {
			return core.Errorf(core.ECONFLICT, "only an open survey can be closed; this one is %s", st.status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?`, StatusClosed, now, now, id); err != nil {
			return fmt.Errorf("close survey: %w", err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "survey.close", TargetType: "survey", TargetID: id,
			Summary: fmt.Sprintf("Closed the survey %q", st.title)})
	})
}

// Invitation is a survey as the person invited to it sees it in their list.
type Invitation struct {
	SurveyID    string     `json:"survey_id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Kind        string     `json:"kind"`
	Anonymous   bool       `json:"anonymous"`
	Status      string     `json:"status"`
	Deadline    time.Time  `json:"deadline"`
	InvitedAt   time.Time  `json:"invited_at"`
	Answered    bool       `json:"answered"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty"`
	// CanAnswer is true while the person has not answered and the survey takes answers.
	CanAnswer bool `json:"can_answer"`
}

// MySurveys lists the open and closed surveys the actor is invited to: first those waiting for an
// answer, soonest deadline first, then the others, latest deadline first. Drafts stay hidden
// until they open.
func (s *Service) MySurveys(ctx context.Context, actor *core.Actor) ([]*Invitation, error) {
	if err := actor.Require(core.PermSurveysAnswer); err != nil {
		return nil, err
	}
	out := []*Invitation{}
	if actor.PersonID == "" {
		return out, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT s.id, s.title, s.description, s.kind, s.anonymous, s.status, s.deadline, i.invited_at, i.answered_at
		FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id WHERE i.person_id = ? AND s.status <> ?`, actor.PersonID, StatusDraft)
	if err != nil {
		return nil, fmt.Errorf("find my surveys: %w", err)
	}
	defer rows.Close()
	now := s.Clock.Now()
	for rows.Next() {
		var inv Invitation
		if err := rows.Scan(&inv.SurveyID, &inv.Title, &inv.Description, &inv.Kind, &inv.Anonymous, &inv.Status, &inv.Deadline, &inv.InvitedAt, &inv.AnsweredAt); err != nil {
			return nil, err
		}
		inv.Deadline, inv.InvitedAt = inv.Deadline.UTC(), inv.InvitedAt.UTC()
		if inv.AnsweredAt != nil {
			t := inv.AnsweredAt.UTC()
			inv.AnsweredAt, inv.Answered = &t, true
		}
		inv.CanAnswer = !inv.Answered && inv.Status == StatusOpen && now.Before(inv.Deadline)
		out = append(out, &inv)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Invitation) int {
		switch {
		case a.CanAnswer != b.CanAnswer:
			if a.CanAnswer {
				return -1
			}
			return 1
		case a.CanAnswer:
			return a.Deadline.Compare(b.Deadline)
		}
		return b.Deadline.Compare(a.Deadline)
	})
	return out, nil
}
