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
)

// A path is an item of kind path whose steps are other items in numbered levels. Level 1 is open
// from the start; each later level opens when the one before it is complete by its rule: every
// step (Required 0) or Required of them, each step counting only when completed, and with at
// least MinScore when its test gave a score. Completing the last level completes the path.
// People enrolled in a path are enrolled in the steps of each level as it opens.

// PathLevel is one level of a path.
type PathLevel struct {
	Level    int        `json:"level"`
	Name     string     `json:"name"`
	Required int        `json:"required"`  // steps to complete; 0 means all
	MinScore int        `json:"min_score"` // the least test score a step counts with, 0 for any pass
	Steps    []PathStep `json:"steps"`
}

// PathStep is an item of a path level.
type PathStep struct {
	ItemID   string `json:"item_id"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Status   string `json:"item_status"`
	Position int    `json:"position"`
}

// needed returns how many steps complete the level.
func (l *PathLevel) needed() int {
	active := 0
	for _, st := range l.Steps {
		if st.Status != StatusRetired {
			active++
		}
	}
	if l.Required <= 0 || l.Required > active {
		return active
	}
	return l.Required
}

// PathInput is a path's levels in order, each with its steps in order.
type PathInput struct {
	Levels []PathLevelInput `json:"levels"`
}

// PathLevelInput is one level of a PathInput.
type PathLevelInput struct {
	Name     string   `json:"name"`
	Required int      `json:"required"`
	MinScore int      `json:"min_score"`
	ItemIDs  []string `json:"item_ids"`
}

// FindPathLevels returns the levels of a path with their steps.
func (s *Service) FindPathLevels(ctx context.Context, actor *core.Actor, pathID string) ([]*PathLevel, error) {
	it, err := s.FindItemByID(ctx, actor, pathID)
	if err != nil {
		return nil, err
	}
	if it.Kind != KindPath {
		return nil, core.NotFound("path")
	}
	return pathLevels(ctx, s.DB.Reader(), pathID)
}

func pathLevels(ctx context.Context, q db.Queryer, pathID string) ([]*PathLevel, error) {
	rows, err := q.QueryContext(ctx, `SELECT level, name, required, min_score FROM path_levels WHERE path_id = ? ORDER BY level`, pathID)
	if err != nil {
		return nil, fmt.Errorf("find path levels: %w", err)
	}
	var levels []*PathLevel
	byLevel := map[int]*PathLevel{}
	for rows.Next() {
		var l PathLevel
		if err := rows.Scan(&l.Level, &l.Name, &l.Required, &l.MinScore); err != nil {
			rows.Close()
			return nil, err
		}
		levels = append(levels, &l)
		byLevel[l.Level] = &l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT st.level, st.position, i.id, i.title, i.kind, i.status FROM path_steps st JOIN learning_items i ON i.id = st.item_id
		WHERE st.path_id = ? ORDER BY st.level, st.position`, pathID)
	if err != nil {
		return nil, fmt.Errorf("find path steps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st PathStep
		var level int
		if err := rows.Scan(&level, &st.Position, &st.ItemID, &st.Title, &st.Kind, &st.Status); err != nil {
			return nil, err
		}
		if l := byLevel[level]; l != nil {
			l.Steps = append(l.Steps, st)
		}
	}
	return levels, rows.Err()
}

// SetPath replaces a path's levels and steps. A step is any item but a path, in one level only.
func (s *Service) SetPath(ctx context.Context, actor *core.Actor, pathID string, in PathInput) ([]*PathLevel, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var v core.Validation
	if len(in.Levels) > 20 {
		v.Add("levels", "a path has at most 20 levels")
	}
	seen := map[string]bool{}
	for i, l := range in.Levels {
		f := fmt.Sprintf("levels[%d]", i)
		in.Levels[i].Name = clean(l.Name)
		if len([]rune(in.Levels[i].Name)) > 200 {
			v.Add(f+".name", "must be at most 200 characters")
		}
		if len(l.ItemIDs) == 0 {
			v.Add(f+".item_ids", "a level needs at least one step")
		}
		if len(l.ItemIDs) > 100 {
			v.Add(f+".item_ids", "a level has at most 100 steps")
		}
		if l.Required < 0 || l.Required > len(l.ItemIDs) {
			v.Add(f+".required", "enter how many of the %d steps complete the level (0 for all)", len(l.ItemIDs))
		}
		if l.MinScore < 0 || l.MinScore > 100 {
			v.Add(f+".min_score", "enter a score from 0 to 100")
		}
		for j, id := range l.ItemIDs {
			if seen[id] {
				v.Add(fmt.Sprintf("%s.item_ids[%d]", f, j), "the item is a step of the path already")
			}
			seen[id] = true
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		path, err := s.findItem(ctx, tx, pathID)
		if err != nil {
			return err
		}
		if path.Kind != KindPath {
			return core.Invalid("kind", "%q is not a path", path.Title)
		}
		for i, l := range in.Levels {
			for j, id := range l.ItemIDs {
				f := fmt.Sprintf("levels[%d].item_ids[%d]", i, j)
				step, err := s.findItem(ctx, tx, id)
				if err != nil {
					v.Add(f, "unknown learning item")
					continue
				}
				if step.Kind == KindPath {
					v.Add(f, "%q is a path; a step is a single item", step.Title)
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM path_steps WHERE path_id = ?`, pathID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM path_levels WHERE path_id = ?`, pathID); err != nil {
			return err
		}
		var levels, steps [][]any
		for i, l := range in.Levels {
			levels = append(levels, []any{pathID, i + 1, l.Name, l.Required, l.MinScore})
			for j, id := range l.ItemIDs {
				steps = append(steps, []any{pathID, id, i + 1, j + 1})
			}
		}
		if err := db.InsertMany(ctx, tx, "path_levels", []string{"path_id", "level", "name", "required", "min_score"}, levels); err != nil {
			return err
		}
		if err := db.InsertMany(ctx, tx, "path_steps", []string{"path_id", "item_id", "level", "position"}, steps); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.path", TargetType: "learning_item", TargetID: pathID,
			Summary: fmt.Sprintf("Set the %d levels and %d steps of path %q", len(levels), len(steps), path.Title)})
	})
	if err != nil {
		return nil, err
	}
	return pathLevels(ctx, s.DB.Reader(), pathID)
}

// PathProgress is where a person stands on a path.
type PathProgress struct {
	Levels []*LevelProgress `json:"levels"`
	// Current is the first level not complete yet (0 when the path is complete).
	Current  int  `json:"current_level"`
	Complete bool `json:"complete"`
	Enrolled bool `json:"enrolled"`
}

// LevelProgress is a level of a path with a person's steps.
type LevelProgress struct {
	PathLevel
	Open     bool           `json:"open"`
	Complete bool           `json:"complete"`
	Done     int            `json:"done"`
	Needed   int            `json:"needed"`
	Progress []StepProgress `json:"progress"`
}

// StepProgress is a person's state in one step.
type StepProgress struct {
	ItemID string   `json:"item_id"`
	Status string   `json:"status"` // not_started, an open enrollment status, completed
	Score  *float64 `json:"score,omitempty"`
	Counts bool     `json:"counts"` // counts toward the level
}

// FindPathProgress returns a person's progress on a path (the actor's own when personID is "").
func (s *Service) FindPathProgress(ctx context.Context, actor *core.Actor, pathID, personID string) (*PathProgress, error) {
	if personID == "" {
		personID = actor.PersonID
	}
	if _, err := s.FindPathLevels(ctx, actor, pathID); err != nil {
		return nil, err
	}
	if err := s.seePerson(ctx, actor, personID); err != nil {
		return nil, err
	}
	return pathProgress(ctx, s.DB.Reader(), pathID, personID)
}

// seePerson answers not found unless the actor may see the person's learning.
func (s *Service) seePerson(ctx context.Context, actor *core.Actor, personID string) error {
	if personID == actor.PersonID && personID != "" {
		return nil
	}
	_, err := s.Org.FindPersonByID(ctx, actor, personID)
	return err
}

func pathProgress(ctx context.Context, q db.Queryer, pathID, personID string) (*PathProgress, error) {
	levels, err := pathLevels(ctx, q, pathID)
	if err != nil {
		return nil, err
	}
	type state struct {
		open, done string
		score      *float64
	}
	states := map[string]state{}
	rows, err := q.QueryContext(ctx, `SELECT s.item_id, s.open_status, s.completed_at IS NOT NULL, s.score FROM training_status s
		WHERE s.person_id = ? AND s.item_id IN (SELECT item_id FROM path_steps WHERE path_id = ?)`, personID, pathID)
	if err != nil {
		return nil, fmt.Errorf("read path progress: %w", err)
	}
	for rows.Next() {
		var id, open string
		var done bool
		var score *float64
		if err := rows.Scan(&id, &open, &done, &score); err != nil {
			rows.Close()
			return nil, err
		}
		st := state{open: open, score: score}
		if done {
			st.done = EnrollmentCompleted
		}
		states[id] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p := &PathProgress{Complete: len(levels) > 0, Levels: []*LevelProgress{}}
	var enrolled int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM enrollments WHERE person_id = ? AND item_id = ? AND status IN `+openStatuses+`
		OR person_id = ? AND item_id = ? AND status = 'completed'`, personID, pathID, personID, pathID).Scan(&enrolled); err != nil {
		return nil, err
	}
	p.Enrolled = enrolled > 0
	open := true
	for _, l := range levels {
		lp := &LevelProgress{PathLevel: *l, Open: open, Needed: l.needed()}
		for _, step := range l.Steps {
			st := states[step.ItemID]
			sp := StepProgress{ItemID: step.ItemID, Status: "not_started", Score: st.score}
			switch {
			case st.done != "":
				sp.Status = EnrollmentCompleted
				sp.Counts = step.Status != StatusRetired && (l.MinScore == 0 || st.score == nil || *st.score >= float64(l.MinScore))
			case st.open != "":
				sp.Status = st.open
			}
			if sp.Counts {
				lp.Done++
			}
			lp.Progress = append(lp.Progress, sp)
		}
		lp.Complete = open && lp.Done >= lp.Needed
		if !lp.Complete {
			if p.Current == 0 && open {
				p.Current = l.Level
			}
			p.Complete = false
			open = false
		}
		p.Levels = append(p.Levels, lp)
	}
	return p, nil
}

// startPath enrolls a person who just enrolled in a path in the steps of its open levels.
func (s *Service) startPath(ctx context.Context, tx *db.Tx, personID string, it *Item, due core.Date, now time.Time) error {
	if it.Kind != KindPath {
		return nil
	}
	return s.openSteps(ctx, tx, personID, it.ID, due, now)
}

// openSteps enrolls the person in every step of the path's open levels they have neither
// completed nor an open enrollment in, and completes the path when every level is complete.
func (s *Service) openSteps(ctx context.Context, tx *db.Tx, personID, pathID string, due core.Date, now time.Time) error {
	p, err := pathProgress(ctx, tx, pathID, personID)
	if err != nil {
		return err
	}
	for _, l := range p.Levels {
		if !l.Open {
			break
		}
		for i, sp := range l.Progress {
			step := l.Steps[i]
			if sp.Status != "not_started" || step.Status != StatusPublished {
				continue
			}
			if _, err := s.insertEnrollment(ctx, tx, newEnrollment{personID: personID, itemID: step.ItemID, status: EnrollmentEnrolled,
				source: SourcePath, due: due}, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// advancePaths looks at every path the completed item is a step of and in which the person has
// an open enrollment: steps of newly opened levels are enrolled in, and a path whose levels are
// all complete is completed.
func (s *Service) advancePaths(ctx context.Context, tx *db.Tx, actor *core.Actor, personID, itemID string, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.item_id, e.due_on FROM enrollments e JOIN path_steps st ON st.path_id = e.item_id
		WHERE st.item_id = ? AND e.person_id = ? AND e.status IN `+openStatuses, itemID, personID)
	if err != nil {
		return fmt.Errorf("find paths: %w", err)
	}
	type open struct {
		enrollment, path string
		due              core.Date
	}
	var paths []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.enrollment, &o.path, &o.due); err != nil {
			rows.Close()
			return err
		}
		paths = append(paths, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(paths, func(a, b open) int { return strings.Compare(a.path, b.path) })
	for _, o := range paths {
		p, err := pathProgress(ctx, tx, o.path, personID)
		if err != nil {
			return err
		}
		if p.Complete {
			e, err := s.findEnrollment(ctx, tx, o.enrollment)
			if err != nil {
				return err
			}
			if err := s.complete(ctx, tx, actor, e, completion{at: now}); err != nil {
				return err
			}
			continue
		}
		if err := s.openSteps(ctx, tx, personID, o.path, o.due, now); err != nil {
			return err
		}
	}
	return nil
}
