package org

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

// UnitKinds are the levels of the org-unit tree, from the top.
var UnitKinds = []string{"company", "division", "department", "team"}

// OrgUnit is a node of the organization tree.
type OrgUnit struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	ParentID  string    `json:"parent_id,omitempty"`
	Path      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Headcount counts active people in the unit and all units below it, when asked for.
	Headcount int `json:"headcount"`
}

// UnitInput creates or updates an org unit.
type UnitInput struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	ParentID string `json:"parent_id"`
}

const unitColumns = `id, code, name, kind, COALESCE(parent_id, ''), path, created_at, updated_at`

func scanUnit(row interface{ Scan(...any) error }) (*OrgUnit, error) {
	var u OrgUnit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.Path, &u.CreatedAt, &u.UpdatedAt)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, err
}

// FindUnits returns every org unit ordered as a depth-first walk of the tree, with headcounts.
// The tree is the organization's structure, which everyone may see.
func (s *Service) FindUnits(ctx context.Context, actor *core.Actor) ([]*OrgUnit, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	return s.findUnits(ctx, s.DB.Reader(), true)
}

func (s *Service) findUnits(ctx context.Context, q db.Queryer, headcount bool) ([]*OrgUnit, error) {
	units, err := queryUnits(ctx, q, ``)
	if err != nil {
		return nil, err
	}
	if headcount && len(units) > 0 {
		if err := s.countHeads(ctx, q, units); err != nil {
			return nil, err
		}
	}
	return sortTree(units, false), nil
}

// UnitOptions lists units for a chooser: every unit down to maxDepth levels below the top (all
// when maxDepth < 0), plus the unit keep (a current choice) wherever it is; without headcounts,
// which cost a scan of the people.
func (s *Service) UnitOptions(ctx context.Context, actor *core.Actor, maxDepth int, keep string) ([]*OrgUnit, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	if maxDepth < 0 {
		return s.findUnits(ctx, s.DB.Reader(), false)
	}
	// A path is "/" and one 36-character id with its "/" per level, so its length tells its depth.
	units, err := queryUnits(ctx, s.DB.Reader(), `WHERE length(path) <= ? OR id = ?`, 1+(idLen+1)*(maxDepth+1), keep)
	if err != nil {
		return nil, err
	}
	// keep may sit below units that are left out; it then follows the last listed ancestor.
	return sortTree(units, true), nil
}

// idLen is the length of an id (a UUID in text form).
const idLen = 36

// queryUnits reads the org units matching where.
func queryUnits(ctx context.Context, q db.Queryer, where string, args ...any) ([]*OrgUnit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+unitColumns+` FROM org_units `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find org units: %w", err)
	}
	return db.Collect(rows, scanUnit)
}

// countHeads fills Headcount with the active people in each unit and its descendants.
func (s *Service) countHeads(ctx context.Context, q db.Queryer, units []*OrgUnit) error {
	rows, err := q.QueryContext(ctx, `SELECT org_unit_id, count(*) FROM people WHERE status = 'active' AND org_unit_id IS NOT NULL GROUP BY org_unit_id`)
	if err != nil {
		return fmt.Errorf("count people per unit: %w", err)
	}
	defer rows.Close()
	own := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		own[id] = n
	}
	byID := make(map[string]*OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	for id, n := range own {
		for u := byID[id]; u != nil; u = byID[u.ParentID] {
			u.Headcount += n
		}
	}
	return rows.Err()
}

// sortTree orders units depth-first, siblings by name, so a flat list reads as an indented tree.
// With orphans, a unit whose parent is not in the list hangs under its nearest listed ancestor.
func sortTree(units []*OrgUnit, orphans bool) []*OrgUnit {
	children := map[string][]*OrgUnit{}
	byID := map[string]bool{}
	for _, u := range units {
		byID[u.ID] = true
	}
	for _, u := range units {
		parent := u.ParentID
		if orphans && parent != "" && !byID[parent] {
			ids := strings.Split(strings.Trim(u.Path, "/"), "/")
			parent = ""
			for i := len(ids) - 2; i >= 0; i-- {
				if byID[ids[i]] {
					parent = ids[i]
					break
				}
			}
		}
		children[parent] = append(children[parent], u)
	}
	out := make([]*OrgUnit, 0, len(units))
	var walk func(parent string)
	walk = func(parent string) {
		kids := children[parent]
		slices.SortFunc(kids, func(a, b *OrgUnit) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		for _, k := range kids {
			out = append(out, k)
			walk(k.ID)
		}
	}
	walk("")
	return out
}

// Depth returns how many ancestors the unit has (0 for a root).
func (u *OrgUnit) Depth() int { return strings.Count(u.Path, "/") - 2 }

// FindUnitByID returns one org unit.
func (s *Service) FindUnitByID(ctx context.Context, actor *core.Actor, id string) (*OrgUnit, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	return s.findUnit(ctx, s.DB.Reader(), id)
}

func (s *Service) findUnit(ctx context.Context, q db.Queryer, id string) (*OrgUnit, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("org unit")
	}
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM org_units WHERE id = ?`, id))
	if err != nil {
		return nil, notFoundIn("org unit", err)
	}
	return u, nil
}

func (in *UnitInput) validate() error {
	in.Code, in.Name, in.Kind = strings.TrimSpace(in.Code), trimmed(in.Name), strings.ToLower(strings.TrimSpace(in.Kind))
	var v core.Validation
	if in.Name == "" {
		v.Add("name", "enter a name")
	}
	checkLen(&v, "name", in.Name, 200)
	if in.Code == "" {
		v.Add("code", "enter a code (the unit's key in your HR system)")
	}
	checkLen(&v, "code", in.Code, 64)
	if !slices.Contains(UnitKinds, in.Kind) {
		v.Add("kind", "choose one of %s", strings.Join(UnitKinds, ", "))
	}
	if in.ParentID != "" && !core.ValidID(in.ParentID) {
		v.Add("parent_id", "unknown parent unit")
	}
	return v.Err()
}

// CreateUnit adds an org unit under its parent (or as a root).
func (s *Service) CreateUnit(ctx context.Context, actor *core.Actor, in UnitInput) (*OrgUnit, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	u := &OrgUnit{ID: core.NewID(), Code: in.Code, Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, CreatedAt: now, UpdatedAt: now}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		parentPath := ""
		if in.ParentID != "" {
			p, err := s.findUnit(ctx, tx, in.ParentID)
			if err != nil {
				return core.Invalid("parent_id", "unknown parent unit")
			}
			parentPath = p.Path
		}
		u.Path = childPath(parentPath, u.ID)
		var parent any
		if u.ParentID != "" {
			parent = u.ParentID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO org_units (id, code, name, kind, parent_id, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Code, u.Name, u.Kind, parent, u.Path, now, now)
		if err != nil {
			return uniqueCode(db.FormatError(err))
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "org_unit.create", TargetType: "org_unit", TargetID: u.ID,
			Summary: fmt.Sprintf("Created %s %q (%s)", u.Kind, u.Name, u.Code)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func uniqueCode(err error) error {
	if core.ErrorCode(err) == core.ECONFLICT {
		return &core.Error{Code: core.ECONFLICT, Field: "code", Message: "another unit already has this code"}
	}
	return err
}

// UpdateUnit renames, recodes or moves an org unit. Moving a unit moves its whole subtree; a unit
// cannot move below itself.
func (s *Service) UpdateUnit(ctx context.Context, actor *core.Actor, id string, in UnitInput) (*OrgUnit, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *OrgUnit
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.findUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		newPath := u.Path
		if in.ParentID != u.ParentID {
			parentPath := ""
			if in.ParentID != "" {
				p, err := s.findUnit(ctx, tx, in.ParentID)
				if err != nil {
					return core.Invalid("parent_id", "unknown parent unit")
				}
				if strings.HasPrefix(p.Path, u.Path) {
					return core.Invalid("parent_id", "a unit cannot move below itself")
				}
				parentPath = p.Path
			}
			newPath = childPath(parentPath, u.ID)
			lo, hi := subtreeRange(u.Path)
			if _, err := tx.ExecContext(ctx, `UPDATE org_units SET path = ? || substr(path, ?) WHERE path > ? AND path < ?`,
				newPath, len(u.Path)+1, lo, hi); err != nil {
				return fmt.Errorf("move org unit subtree: %w", err)
			}
		}
		now := s.Clock.Now()
		var parent any
		if in.ParentID != "" {
			parent = in.ParentID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE org_units SET code = ?, name = ?, kind = ?, parent_id = ?, path = ?, updated_at = ? WHERE id = ?`,
			in.Code, in.Name, in.Kind, parent, newPath, now, id); err != nil {
			return uniqueCode(db.FormatError(err))
		}
		out = &OrgUnit{ID: id, Code: in.Code, Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, Path: newPath, CreatedAt: u.CreatedAt, UpdatedAt: now}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "org_unit.update", TargetType: "org_unit", TargetID: id,
			Summary: fmt.Sprintf("Updated %s %q (%s)", in.Kind, in.Name, in.Code),
			Details: map[string]any{"before": map[string]string{"code": u.Code, "name": u.Name, "kind": u.Kind, "parent_id": u.ParentID}}})
	})
	return out, err
}

// DeleteUnit removes an org unit that has no sub-units and no people.
func (s *Service) DeleteUnit(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.findUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		var kids, people int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM org_units WHERE parent_id = ?), (SELECT count(*) FROM people WHERE org_unit_id = ?)`, id, id).Scan(&kids, &people); err != nil {
			return err
		}
		if kids > 0 || people > 0 {
			return core.Errorf(core.ECONFLICT, "%s still has %d sub-units and %d people (including people who left); move them first", u.Name, kids, people)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM org_units WHERE id = ?`, id); err != nil {
			return db.FormatError(err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "org_unit.delete", TargetType: "org_unit", TargetID: id,
			Summary: fmt.Sprintf("Deleted %s %q (%s)", u.Kind, u.Name, u.Code)})
	})
}
