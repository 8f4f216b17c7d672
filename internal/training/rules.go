package training

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/notify"
)

// An assignment rule says "everyone in role X / org unit Y (and below) / location L / hired in
// the last N days must complete item Z within D days". Rules are evaluated per item, all its
// active rules together, when a rule changes, when people join or move (the people triggers
// note who changed; RefreshRules reads the note) and once a day for everyone, which also starts
// renewals: someone in a rule's audience whose completion of a recurring item reaches its renewal
// day gets a new enrollment, due when the completion expires. Someone who no longer matches any
// active rule of an item loses the open enrollments the rules gave them.
//
// Due dates: a new enrollment is due DueDays after the later of today and the person's hire date
// (a new hire imported before their first day is due counting from that day).

// Rule is an assignment rule.
type Rule struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	ItemID          string     `json:"item_id"`
	ItemTitle       string     `json:"item_title"`
	JobRoleID       string     `json:"job_role_id,omitempty"`
	JobRoleName     string     `json:"job_role_name,omitempty"`
	OrgUnitID       string     `json:"org_unit_id,omitempty"`
	OrgUnitName     string     `json:"org_unit_name,omitempty"`
	Location        string     `json:"location,omitempty"`
	HiredWithinDays int        `json:"hired_within_days"`
	DueDays         int        `json:"due_days"`
	Active          bool       `json:"active"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	EvaluatedAt     *time.Time `json:"evaluated_at,omitempty"`
	// Open counts the open enrollments the rule made.
	Open int `json:"open_enrollments"`
}

// RuleInput creates or changes a rule.
type RuleInput struct {
	Name            string `json:"name"`
	ItemID          string `json:"item_id"`
	JobRoleID       string `json:"job_role_id"`
	OrgUnitID       string `json:"org_unit_id"`
	Location        string `json:"location"`
	HiredWithinDays int    `json:"hired_within_days"`
	DueDays         int    `json:"due_days"`
	Active          bool   `json:"active"`
}

const ruleColumns = `r.id, r.name, r.item_id, i.title, COALESCE(r.job_role_id, ''), COALESCE(jr.name, ''), COALESCE(r.org_unit_id, ''), COALESCE(u.name, ''),
	r.location, r.hired_within_days, r.due_days, r.active, r.created_at, r.updated_at, r.evaluated_at,
	(SELECT count(*) FROM enrollments e WHERE e.rule_id = r.id AND e.status IN ` + openStatuses + `)`

const ruleFrom = ` FROM assignment_rules r JOIN learning_items i ON i.id = r.item_id LEFT JOIN job_roles jr ON jr.id = r.job_role_id
	LEFT JOIN org_units u ON u.id = r.org_unit_id`

func scanRule(row interface{ Scan(...any) error }) (*Rule, error) {
	var r Rule
	if err := row.Scan(&r.ID, &r.Name, &r.ItemID, &r.ItemTitle, &r.JobRoleID, &r.JobRoleName, &r.OrgUnitID, &r.OrgUnitName, &r.Location,
		&r.HiredWithinDays, &r.DueDays, &r.Active, &r.CreatedAt, &r.UpdatedAt, &r.EvaluatedAt, &r.Open); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	utc(r.EvaluatedAt)
	return &r, nil
}

// FindRules returns the rules, of one item or all ("" itemID), by name.
func (s *Service) FindRules(ctx context.Context, actor *core.Actor, itemID string) ([]*Rule, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	where, args := "1 = 1", []any{}
	if itemID != "" {
		where, args = "r.item_id = ?", append(args, itemID)
	}
	return s.rules(ctx, s.DB.Reader(), where, args...)
}

func (s *Service) rules(ctx context.Context, q db.Queryer, where string, args ...any) ([]*Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+ruleFrom+` WHERE `+where+` ORDER BY lower(r.name), r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find rules: %w", err)
	}
	return db.Collect(rows, scanRule)
}

// FindRuleByID returns a rule.
func (s *Service) FindRuleByID(ctx context.Context, actor *core.Actor, id string) (*Rule, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	if !core.ValidID(id) {
		return nil, core.NotFound("rule")
	}
	rs, err := s.rules(ctx, s.DB.Reader(), "r.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, core.NotFound("rule")
	}
	return rs[0], nil
}

func (s *Service) checkRule(ctx context.Context, q db.Queryer, in *RuleInput) error {
	in.Name, in.Location = clean(in.Name), clean(in.Location)
	var v core.Validation
	if in.Name == "" {
		v.Add("name", "name the rule, such as \"New starters: data protection\"")
	} else if len([]rune(in.Name)) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if in.DueDays < 1 || in.DueDays > 730 {
		v.Add("due_days", "enter within how many days, from 1 to 730")
	}
	if in.HiredWithinDays < 0 || in.HiredWithinDays > 3650 {
		v.Add("hired_within_days", "enter from 0 (anyone) to 3650 days")
	}
	if len([]rune(in.Location)) > 200 {
		v.Add("location", "must be at most 200 characters")
	}
	var one int
	if in.JobRoleID != "" && (!core.ValidID(in.JobRoleID) || q.QueryRowContext(ctx, `SELECT 1 FROM job_roles WHERE id = ?`, in.JobRoleID).Scan(&one) != nil) {
		v.Add("job_role_id", "unknown job role")
	}
	if in.OrgUnitID != "" && (!core.ValidID(in.OrgUnitID) || q.QueryRowContext(ctx, `SELECT 1 FROM org_units WHERE id = ?`, in.OrgUnitID).Scan(&one) != nil) {
		v.Add("org_unit_id", "unknown org unit")
	}
	if err := v.Err(); err != nil {
		return err
	}
	it, err := s.findItem(ctx, q, in.ItemID)
	if err != nil {
		return core.Invalid("item_id", "unknown learning item")
	}
	if in.Active && it.Status != StatusPublished {
		return core.Invalid("item_id", "%q is %s; publish it before a rule assigns it", it.Title, it.Status)
	}
	return nil
}

// CreateRule adds a rule and, when active, applies it at once.
func (s *Service) CreateRule(ctx context.Context, actor *core.Actor, in RuleInput) (*Rule, *RuleReport, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, nil, err
	}
	if err := s.checkRule(ctx, s.DB.Reader(), &in); err != nil {
		return nil, nil, err
	}
	id := core.NewID()
	var rep *RuleReport
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignment_rules (id, name, item_id, job_role_id, org_unit_id, location, hired_within_days, due_days,
			active, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.Name, in.ItemID, nullID(in.JobRoleID),
			nullID(in.OrgUnitID), in.Location, in.HiredWithinDays, in.DueDays, in.Active, nullID(actor.PersonID), now, now); err != nil {
			return fmt.Errorf("create rule: %w", err)
		}
		var err error
		if rep, err = s.evaluateItem(ctx, tx, in.ItemID, nil, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.rule_create", TargetType: "learning_item", TargetID: in.ItemID,
			Summary: fmt.Sprintf("Added the assignment rule %q: %s", in.Name, rep)})
	})
	if err != nil {
		return nil, nil, err
	}
	r, err := s.FindRuleByID(ctx, actor, id)
	return r, rep, err
}

// UpdateRule changes a rule and applies the item's rules again: people who now match are
// assigned, those who no longer match any rule of the item lose what the rules assigned them.
func (s *Service) UpdateRule(ctx context.Context, actor *core.Actor, id string, in RuleInput) (*Rule, *RuleReport, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, nil, err
	}
	old, err := s.FindRuleByID(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkRule(ctx, s.DB.Reader(), &in); err != nil {
		return nil, nil, err
	}
	var rep *RuleReport
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE assignment_rules SET name = ?, item_id = ?, job_role_id = ?, org_unit_id = ?, location = ?,
			hired_within_days = ?, due_days = ?, active = ?, updated_at = ? WHERE id = ?`, in.Name, in.ItemID, nullID(in.JobRoleID), nullID(in.OrgUnitID),
			in.Location, in.HiredWithinDays, in.DueDays, in.Active, now, id); err != nil {
			return fmt.Errorf("update rule: %w", err)
		}
		if rep, err = s.evaluateItem(ctx, tx, in.ItemID, nil, now); err != nil {
			return err
		}
		if old.ItemID != in.ItemID {
			more, err := s.evaluateItem(ctx, tx, old.ItemID, nil, now)
			if err != nil {
				return err
			}
			rep.add(more)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.rule_update", TargetType: "learning_item", TargetID: in.ItemID,
			Summary: fmt.Sprintf("Changed the assignment rule %q: %s", in.Name, rep)})
	})
	if err != nil {
		return nil, nil, err
	}
	r, err := s.FindRuleByID(ctx, actor, id)
	return r, rep, err
}

// DeleteRule removes a rule that never assigned anyone; a rule with a history is deactivated
// instead, so that its assignments keep their origin.
func (s *Service) DeleteRule(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return err
	}
	r, err := s.FindRuleByID(ctx, actor, id)
	if err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM enrollments WHERE rule_id = ?`, id).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return core.Errorf(core.ECONFLICT, "this rule assigned %d enrollments; deactivate it instead, which keeps where they came from", used)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignment_rules WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.rule_delete", TargetType: "learning_item", TargetID: r.ItemID,
			Summary: fmt.Sprintf("Removed the assignment rule %q", r.Name)})
	})
}

// RuleReport counts what applying rules did.
type RuleReport struct {
	Items     int `json:"items"`
	Assigned  int `json:"assigned"`
	Renewals  int `json:"renewals"`
	Withdrawn int `json:"withdrawn"`
	People    int `json:"people"` // the people looked at, when only some were
}

func (r *RuleReport) add(o *RuleReport) {
	r.Items += o.Items
	r.Assigned += o.Assigned
	r.Renewals += o.Renewals
	r.Withdrawn += o.Withdrawn
}

func (r *RuleReport) String() string {
	return fmt.Sprintf("%d assigned, %d renewals, %d withdrawn", r.Assigned, r.Renewals, r.Withdrawn)
}

// audience returns the condition on people p matching a rule, with its arguments. The hire-date
// window decides who is assigned, not who keeps an assignment: withdrawals (keep true) leave it
// out, so a new starter still unfinished on day 31 keeps their assignment.
func audience(ctx context.Context, q db.Queryer, r *Rule, day core.Date, keep bool) (string, []any, error) {
	where, args := []string{"p.status = 'active'"}, []any{}
	if r.JobRoleID != "" {
		where, args = append(where, "p.job_role_id = ?"), append(args, r.JobRoleID)
	}
	if r.OrgUnitID != "" {
		var path string
		if err := q.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = ?`, r.OrgUnitID).Scan(&path); err != nil {
			return "", nil, fmt.Errorf("rule %s: find org unit: %w", r.ID, err)
		}
		where, args = append(where, "p.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)"),
			append(args, path, strings.TrimSuffix(path, "/")+"0")
	}
	if r.Location != "" {
		where, args = append(where, "p.location = ?"), append(args, r.Location)
	}
	if r.HiredWithinDays > 0 && !keep {
		where, args = append(where, "p.hire_date >= ?"), append(args, addDays(day, -r.HiredWithinDays))
	}
	return strings.Join(where, " AND "), args, nil
}

// EvaluateRules applies every active rule to everyone: the daily run, and what an operator runs
// from the command line.
func (s *Service) EvaluateRules(ctx context.Context, actor *core.Actor) (*RuleReport, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	items, err := s.ruleItems(ctx)
	if err != nil {
		return nil, err
	}
	total := &RuleReport{}
	for _, item := range items {
		// One transaction per item keeps the writer free for others between items.
		err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
			rep, err := s.evaluateItem(ctx, tx, item, nil, s.Clock.Now())
			if err != nil {
				return err
			}
			total.add(rep)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if total.Assigned+total.Renewals+total.Withdrawn > 0 {
		err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
			return s.audit(ctx, tx, actor, audit.Entry{Action: "training.rules", TargetType: "rules", Summary: "Applied the assignment rules: " + total.String()})
		})
	}
	return total, err
}

// ruleItems lists the items that have rules (active or not: an inactive rule's assignments may
// need withdrawing).
func (s *Service) ruleItems(ctx context.Context) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT item_id FROM assignment_rules ORDER BY item_id`)
	if err != nil {
		return nil, err
	}
	return db.Collect(rows, db.ScanString)
}

// RefreshRules applies the rules to the people whose unit, role, location, hire date or status
// changed since it last ran, consuming the change notes; safe to run from several instances
// (a note is consumed in the transaction that acts on it).
func (s *Service) RefreshRules(ctx context.Context) (*RuleReport, error) {
	total := &RuleReport{}
	for {
		var ids []string
		var maxID int64
		err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, person_id FROM training_people_changes ORDER BY id LIMIT 2000`)
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for rows.Next() {
				var id int64
				var p string
				if err := rows.Scan(&id, &p); err != nil {
					rows.Close()
					return err
				}
				maxID = id
				if !seen[p] {
					seen[p] = true
					ids = append(ids, p)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil || len(ids) == 0 {
				return err
			}
			items, err := s.ruleItems(ctx)
			if err != nil {
				return err
			}
			slices.Sort(ids)
			now := s.Clock.Now()
			for _, item := range items {
				rep, err := s.evaluateItem(ctx, tx, item, ids, now)
				if err != nil {
					return err
				}
				total.add(rep)
			}
			total.People += len(ids)
			// Who moved also moves in the compliance counts.
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			if err := s.countCompliance(ctx, tx, "person_id IN "+db.In(len(ids)), args...); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM training_people_changes WHERE id <= ?`, maxID)
			return err
		})
		if err != nil || len(ids) == 0 {
			return total, err
		}
	}
}

// evaluateItem applies an item's rules inside tx, to everyone or to the given people only.
func (s *Service) evaluateItem(ctx context.Context, tx *db.Tx, itemID string, only []string, now time.Time) (*RuleReport, error) {
	rep := &RuleReport{Items: 1}
	it, err := s.findItem(ctx, tx, itemID)
	if err != nil {
		return nil, err
	}
	rules, err := s.rules(ctx, tx, "r.item_id = ? AND r.active", itemID)
	if err != nil {
		return nil, err
	}
	day := today(now, "")
	onlyCond, onlyArgs := "", []any{}
	if only != nil {
		onlyCond = " AND p.id IN " + db.In(len(only))
		for _, id := range only {
			onlyArgs = append(onlyArgs, id)
		}
	}
	var audiences []string
	var audienceArgs []any
	if it.Status == StatusPublished {
		for _, r := range rules {
			kept, keptArgs, err := audience(ctx, tx, r, day, true)
			if err != nil {
				return nil, err
			}
			audiences, audienceArgs = append(audiences, "("+kept+")"), append(audienceArgs, keptArgs...)
			cond, args, err := audience(ctx, tx, r, day, false)
			if err != nil {
				return nil, err
			}
			n, renewed, err := s.assignAudience(ctx, tx, it, r, cond+onlyCond, append(args, onlyArgs...), day, now)
			if err != nil {
				return nil, err
			}
			rep.Assigned += n
			rep.Renewals += renewed
		}
	}
	w, err := s.withdrawOutside(ctx, tx, it, audiences, audienceArgs, onlyCond, onlyArgs, now)
	if err != nil {
		return nil, err
	}
	rep.Withdrawn = w
	if only == nil {
		if _, err := tx.ExecContext(ctx, `UPDATE assignment_rules SET evaluated_at = ? WHERE item_id = ?`, now, itemID); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// assignAudience enrolls the people matching cond who have no open enrollment in the item, no
// exemption and no completion short of its renewal day.
func (s *Service) assignAudience(ctx context.Context, tx *db.Tx, it *Item, r *Rule, cond string, args []any, day core.Date, now time.Time) (assigned, renewed int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.hire_date, s.valid_until FROM people p
		LEFT JOIN training_status s ON s.person_id = p.id AND s.item_id = ?
		WHERE `+cond+` AND (s.person_id IS NULL OR s.open_id IS NULL AND NOT s.exempt AND (s.completed_at IS NULL OR s.renew_on IS NOT NULL AND s.renew_on <= ?))
		ORDER BY p.id`, append(append([]any{it.ID}, args...), day)...)
	if err != nil {
		return 0, 0, fmt.Errorf("rule %s: find audience: %w", r.ID, err)
	}
	type due struct {
		person string
		on     core.Date
		renew  bool
	}
	var todo []due
	for rows.Next() {
		var d due
		var hired, valid core.Date
		if err := rows.Scan(&d.person, &hired, &valid); err != nil {
			rows.Close()
			return 0, 0, err
		}
		start := day
		if !hired.IsZero() && day.Before(hired) {
			start = hired
		}
		d.on = addDays(start, r.DueDays)
		if !valid.IsZero() {
			// A renewal is due when the completion expires.
			d.on, d.renew = valid, true
		}
		todo = append(todo, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return 0, 0, err
	}
	enrollments := make([][]any, 0, len(todo))
	status := make([][]any, 0, len(todo))
	msgs := make([]notify.Message, 0, len(todo))
	for _, d := range todo {
		id := core.NewID()
		enrollments = append(enrollments, []any{id, it.ID, d.person, EnrollmentEnrolled, SourceRule, r.ID, d.on, now, now})
		status = append(status, []any{d.person, it.ID, id, EnrollmentEnrolled, d.on, true, false})
		text := fmt.Sprintf("You have been assigned %q, due on %s.", it.Title, d.on)
		if d.renew {
			renewed++
			text = fmt.Sprintf("Time to renew %q: your completion expires on %s.", it.Title, d.on)
		} else {
			assigned++
		}
		msgs = append(msgs, notify.Message{PersonID: d.person, Kind: notify.KindAssignment, Text: text, Link: "/training/items/" + it.ID})
	}
	if err := db.InsertMany(ctx, tx, "enrollments", []string{"id", "item_id", "person_id", "status", "source", "rule_id", "due_on", "enrolled_at", "updated_at"},
		enrollments); err != nil {
		return 0, 0, err
	}
	// The status rows change only in their open part: completions and scores stay.
	if err := db.InsertManyOn(ctx, tx, "training_status", []string{"person_id", "item_id", "open_id", "open_status", "due_on", "required", "exempt"}, status,
		`ON CONFLICT (person_id, item_id) DO UPDATE SET open_id = excluded.open_id, open_status = excluded.open_status, due_on = excluded.due_on,
		required = excluded.required, exempt = excluded.exempt`); err != nil {
		return 0, 0, err
	}
	for start := 0; start < len(todo); start += 500 {
		chunk := todo[start:min(start+500, len(todo))]
		args := []any{it.ID}
		for _, d := range chunk {
			args = append(args, d.person)
		}
		if err := s.countCompliance(ctx, tx, "item_id = ? AND person_id IN "+db.In(len(chunk)), args...); err != nil {
			return 0, 0, err
		}
	}
	if err := notify.Send(ctx, tx, now, msgs...); err != nil {
		return 0, 0, err
	}
	if it.Kind == KindPath {
		for _, d := range todo {
			if err := s.openSteps(ctx, tx, d.person, it.ID, d.on, now); err != nil {
				return 0, 0, err
			}
		}
	}
	return assigned, renewed, nil
}

// withdrawOutside withdraws the open rule enrollments in an item of people in none of the
// audiences (every one of them when the item has no active rule).
func (s *Service) withdrawOutside(ctx context.Context, tx *db.Tx, it *Item, audiences []string, args []any, onlyCond string, onlyArgs []any, now time.Time) (int, error) {
	inside := "0 = 1"
	if len(audiences) > 0 {
		inside = strings.Join(audiences, " OR ")
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.person_id FROM enrollments e JOIN people p ON p.id = e.person_id
		WHERE e.item_id = ? AND e.source = 'rule' AND e.status IN `+openStatuses+strings.ReplaceAll(onlyCond, "p.id", "e.person_id")+` AND NOT (`+inside+`)
		ORDER BY e.id`, slices.Concat([]any{it.ID}, onlyArgs, args)...)
	if err != nil {
		return 0, fmt.Errorf("find enrollments to withdraw: %w", err)
	}
	type gone struct{ id, person string }
	var out []gone
	for rows.Next() {
		var g gone
		if err := rows.Scan(&g.id, &g.person); err != nil {
			rows.Close()
			return 0, err
		}
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, g := range out {
		if _, err := tx.ExecContext(ctx, `UPDATE enrollments SET status = 'withdrawn', reason = ?, decided_at = ?, updated_at = ? WHERE id = ?`,
			"no longer in the audience of an assignment rule", now, now, g.id); err != nil {
			return 0, err
		}
		if err := s.cancelRegistrations(ctx, tx, g.person, it.ID, now); err != nil {
			return 0, err
		}
		if err := s.refreshStatus(ctx, tx, g.person, it.ID); err != nil {
			return 0, err
		}
	}
	return len(out), nil
}
