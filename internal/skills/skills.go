// Package skills holds the skills framework (categories, skills, the proficiency scale), what
// roles and org units require, ratings from every source, each person's current level derived
// from them by one rule (see Derive), and the gaps between what is required and what is there.
package skills

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
)

// Service is the skills domain service.
type Service struct {
	DB    *db.DB
	Clock core.Clock
	Org   *org.Service
}

// NewService returns a Service.
func NewService(d *db.DB, clock core.Clock, orgs *org.Service) *Service {
	return &Service{DB: d, Clock: clock, Org: orgs}
}

func (s *Service) audit(ctx context.Context, tx *db.Tx, actor *core.Actor, e audit.Entry) error {
	return audit.Record(ctx, tx, s.Clock.Now(), actor, e)
}

// Types of skills.
var Types = []string{"technical", "interpersonal", "leadership", "compliance", "business", "language", "tool"}

// ScaleLevel is one step of the proficiency scale.
type ScaleLevel struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Scale returns the organization's proficiency scale, lowest level first.
func (s *Service) Scale(ctx context.Context, actor *core.Actor) ([]ScaleLevel, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	return s.scale(ctx, s.DB.Reader())
}

func (s *Service) scale(ctx context.Context, q db.Queryer) ([]ScaleLevel, error) {
	rows, err := q.QueryContext(ctx, `SELECT level, name, description FROM proficiency_levels ORDER BY level`)
	if err != nil {
		return nil, fmt.Errorf("read the scale: %w", err)
	}
	defer rows.Close()
	var out []ScaleLevel
	for rows.Next() {
		var l ScaleLevel
		if err := rows.Scan(&l.Level, &l.Name, &l.Description); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkLevel refuses a level outside the scale.
func (s *Service) checkLevel(ctx context.Context, q db.Queryer, field string, level int) error {
	var lo, hi int
	if err := q.QueryRowContext(ctx, `SELECT min(level), max(level) FROM proficiency_levels`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("read the scale: %w", err)
	}
	if level < lo || level > hi {
		return core.Invalid(field, "%d is outside the scale (%d to %d)", level, lo, hi)
	}
	return nil
}

// SetScale replaces the proficiency scale. Levels run from 0 without gaps; a level that ratings
// or requirements use cannot be removed.
func (s *Service) SetScale(ctx context.Context, actor *core.Actor, levels []ScaleLevel) error {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return err
	}
	if len(levels) < 2 || len(levels) > 11 {
		return core.Invalid("levels", "a scale has 2 to 11 levels")
	}
	var v core.Validation
	for i, l := range levels {
		levels[i].Name, levels[i].Description = strings.TrimSpace(l.Name), strings.TrimSpace(l.Description)
		if l.Level != i {
			v.Add("levels", "levels run from 0 upwards without gaps; level %d is out of place", l.Level)
		}
		if levels[i].Name == "" {
			v.Add(fmt.Sprintf("levels[%d].name", i), "name level %d", l.Level)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	top := len(levels) - 1
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM skill_ratings WHERE level > ?) + (SELECT count(*) FROM role_requirements WHERE level > ?) + (SELECT count(*) FROM coverage_targets WHERE level > ?)`,
			top, top, top).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return core.Errorf(core.ECONFLICT, "%d ratings or requirements use levels above %d; the scale cannot drop them", used, top)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM proficiency_levels`); err != nil {
			return err
		}
		for _, l := range levels {
			if _, err := tx.ExecContext(ctx, `INSERT INTO proficiency_levels (level, name, description) VALUES (?, ?, ?)`, l.Level, l.Name, l.Description); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.scale", Summary: fmt.Sprintf("Set the proficiency scale to %d levels", len(levels))})
	})
}

// Category groups skills; categories form a tree.
type Category struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	ParentID  string    `json:"parent_id,omitempty"`
	Path      string    `json:"-"`
	FullName  string    `json:"full_name"` // "Engineering / Backend"
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Depth returns how many ancestors the category has.
func (c *Category) Depth() int { return strings.Count(c.Path, "/") - 2 }

// FindCategories returns every category as a depth-first tree walk, siblings by name.
func (s *Service) FindCategories(ctx context.Context, actor *core.Actor) ([]*Category, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	return s.categories(ctx, s.DB.Reader())
}

func (s *Service) categories(ctx context.Context, q db.Queryer) ([]*Category, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, COALESCE(parent_id, ''), path, created_at, updated_at FROM skill_categories`)
	if err != nil {
		return nil, fmt.Errorf("find skill categories: %w", err)
	}
	defer rows.Close()
	byID := map[string]*Category{}
	children := map[string][]*Category{}
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.ID, &c.Name, &c.ParentID, &c.Path, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		byID[c.ID] = &c
		children[c.ParentID] = append(children[c.ParentID], &c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Category, 0, len(byID))
	var walk func(parent, prefix string)
	walk = func(parent, prefix string) {
		kids := children[parent]
		slices.SortFunc(kids, func(a, b *Category) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		for _, k := range kids {
			k.FullName = prefix + k.Name
			out = append(out, k)
			walk(k.ID, k.FullName+" / ")
		}
	}
	walk("", "")
	return out, nil
}

// CategoryInput creates or renames a category.
type CategoryInput struct {
	Name     string `json:"name"`
	ParentID string `json:"parent_id"`
}

// CreateCategory adds a category under its parent (or at the top).
func (s *Service) CreateCategory(ctx context.Context, actor *core.Actor, in CategoryInput) (*Category, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		return nil, core.Invalid("name", "enter a name of at most 200 characters")
	}
	if strings.Contains(in.Name, "/") {
		// "/" separates the levels of a category's full name in files.
		return nil, core.Invalid("name", "a category name cannot contain \"/\"")
	}
	var c *Category
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		c, err = s.createCategory(ctx, tx, in)
		if err != nil {
			return err
		}
		c.FullName = c.Name
		if in.ParentID != "" {
			all, err := s.categories(ctx, tx)
			if err != nil {
				return err
			}
			for _, p := range all {
				if p.ID == in.ParentID {
					c.FullName = p.FullName + " / " + c.Name
				}
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.category_create", TargetType: "skill_category", TargetID: c.ID,
			Summary: fmt.Sprintf("Created the skill category %q", c.Name)})
	})
	return c, err
}

func (s *Service) createCategory(ctx context.Context, tx *db.Tx, in CategoryInput) (*Category, error) {
	now := s.Clock.Now()
	c := &Category{ID: core.NewID(), Name: in.Name, ParentID: in.ParentID, CreatedAt: now, UpdatedAt: now}
	parentPath := "/"
	if in.ParentID != "" {
		if !core.ValidID(in.ParentID) || tx.QueryRowContext(ctx, `SELECT path FROM skill_categories WHERE id = ?`, in.ParentID).Scan(&parentPath) != nil {
			return nil, core.Invalid("parent_id", "unknown parent category")
		}
	}
	c.Path = parentPath + c.ID + "/"
	var parent any
	if in.ParentID != "" {
		parent = in.ParentID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO skill_categories (id, name, parent_id, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, parent, c.Path, now, now)
	if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
		return nil, &core.Error{Code: core.ECONFLICT, Field: "name", Message: "a category with this name is already there"}
	}
	return c, err
}

// Skill is a named capability.
type Skill struct {
	ID           string    `json:"id"`
	CategoryID   string    `json:"category_id,omitempty"`
	CategoryName string    `json:"category,omitempty"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Type         string    `json:"type"`
	Aliases      []string  `json:"aliases"`
	Retired      bool      `json:"retired"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// SkillInput creates or updates a skill.
type SkillInput struct {
	CategoryID  string   `json:"category_id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Type        string   `json:"type"`
	Aliases     []string `json:"aliases"`
	Retired     bool     `json:"retired"`
}

func (in *SkillInput) validate() error {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Description = strings.TrimSpace(in.Description)
	in.Type = strings.ToLower(strings.TrimSpace(in.Type))
	if in.Type == "" {
		in.Type = "technical"
	}
	var aliases []string
	for _, a := range in.Aliases {
		a = strings.Join(strings.Fields(a), " ")
		if a != "" && !strings.EqualFold(a, in.Name) && !slices.ContainsFunc(aliases, func(b string) bool { return strings.EqualFold(a, b) }) {
			aliases = append(aliases, a)
		}
	}
	in.Aliases = aliases
	var v core.Validation
	if in.Name == "" {
		v.Add("name", "enter a name")
	}
	if len([]rune(in.Name)) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if len([]rune(in.Description)) > 4000 {
		v.Add("description", "must be at most 4000 characters")
	}
	if !slices.Contains(Types, in.Type) {
		v.Add("type", "choose one of %s", strings.Join(Types, ", "))
	}
	if in.CategoryID != "" && !core.ValidID(in.CategoryID) {
		v.Add("category_id", "unknown category")
	}
	for _, a := range in.Aliases {
		// Whitespace, line breaks included, was collapsed above.
		if strings.Contains(a, ";") || len([]rune(a)) > 200 {
			v.Add("aliases", "an alias is at most 200 characters without semicolons")
		}
	}
	return v.Err()
}

const skillColumns = `s.id, COALESCE(s.category_id, ''), COALESCE(c.name, ''), s.name, s.description, s.type, s.aliases, s.retired_at IS NOT NULL, s.created_at, s.updated_at`
const skillFrom = ` FROM skills s LEFT JOIN skill_categories c ON c.id = s.category_id`

func scanSkill(row interface{ Scan(...any) error }) (*Skill, error) {
	var sk Skill
	var aliases string
	err := row.Scan(&sk.ID, &sk.CategoryID, &sk.CategoryName, &sk.Name, &sk.Description, &sk.Type, &aliases, &sk.Retired, &sk.CreatedAt, &sk.UpdatedAt)
	sk.Aliases = splitAliases(aliases)
	sk.CreatedAt, sk.UpdatedAt = sk.CreatedAt.UTC(), sk.UpdatedAt.UTC()
	return &sk, err
}

func splitAliases(s string) []string {
	out := []string{}
	for _, a := range strings.Split(s, "\n") {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// SkillFilter selects skills.
type SkillFilter struct {
	Query      string // matches name or alias
	CategoryID string // this category and those below it
	Type       string
	Retired    bool // include retired skills
}

// FindSkills lists skills by name.
func (s *Service) FindSkills(ctx context.Context, actor *core.Actor, f SkillFilter) ([]*Skill, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	where, args := []string{"1 = 1"}, []any{}
	if !f.Retired {
		where = append(where, "s.retired_at IS NULL")
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		where, args = append(where, `(lower(s.name) LIKE ? ESCAPE '\' OR lower(s.aliases) LIKE ? ESCAPE '\')`), append(args, like, like)
	}
	if f.CategoryID != "" {
		var path string
		if !core.ValidID(f.CategoryID) || s.DB.QueryRowContext(ctx, `SELECT path FROM skill_categories WHERE id = ?`, f.CategoryID).Scan(&path) != nil {
			return nil, core.Invalid("category", "unknown category")
		}
		where, args = append(where, "c.path >= ? AND c.path < ?"), append(args, path, strings.TrimSuffix(path, "/")+"0")
	}
	if f.Type != "" {
		where, args = append(where, "s.type = ?"), append(args, f.Type)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+skillColumns+skillFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY lower(s.name)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find skills: %w", err)
	}
	return db.Collect(rows, scanSkill)
}

// FindSkillByID returns one skill.
func (s *Service) FindSkillByID(ctx context.Context, actor *core.Actor, id string) (*Skill, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	return s.findSkill(ctx, s.DB.Reader(), id)
}

func (s *Service) findSkill(ctx context.Context, q db.Queryer, id string) (*Skill, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("skill")
	}
	sk, err := scanSkill(q.QueryRowContext(ctx, `SELECT `+skillColumns+skillFrom+` WHERE s.id = ?`, id))
	if db.IsNoRows(err) {
		return nil, core.NotFound("skill")
	}
	return sk, err
}

// CreateSkill adds a skill.
func (s *Service) CreateSkill(ctx context.Context, actor *core.Actor, in SkillInput) (*Skill, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	id := core.NewID()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.insertSkill(ctx, tx, id, in); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.skill_create", TargetType: "skill", TargetID: id, Summary: fmt.Sprintf("Created the skill %q", in.Name)})
	})
	if err != nil {
		return nil, err
	}
	return s.findSkill(ctx, s.DB.Reader(), id)
}

func (s *Service) insertSkill(ctx context.Context, tx *db.Tx, id string, in SkillInput) error {
	now := s.Clock.Now()
	var cat, retired any
	if in.CategoryID != "" {
		cat = in.CategoryID
	}
	if in.Retired {
		retired = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO skills (id, category_id, name, description, type, aliases, retired_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, cat, in.Name, in.Description, in.Type, strings.Join(in.Aliases, "\n"), retired, now, now)
	return skillConflict(db.FormatError(err))
}

func skillConflict(err error) error {
	switch core.ErrorCode(err) {
	case core.ECONFLICT:
		if core.AsError(err).Field == "name" {
			return &core.Error{Code: core.ECONFLICT, Field: "name", Message: "a skill with this name already exists"}
		}
		return &core.Error{Code: core.EINVALID, Field: "category_id", Message: "unknown category"}
	}
	return err
}

// UpdateSkill replaces a skill's fields. Retiring a skill keeps its ratings and hides it from
// choices.
func (s *Service) UpdateSkill(ctx context.Context, actor *core.Actor, id string, in SkillInput) (*Skill, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.findSkill(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		var cat, retired any
		if in.CategoryID != "" {
			cat = in.CategoryID
		}
		if in.Retired {
			retired = now
			if old.Retired {
				if err := tx.QueryRowContext(ctx, `SELECT retired_at FROM skills WHERE id = ?`, id).Scan(&retired); err != nil {
					return err
				}
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE skills SET category_id = ?, name = ?, description = ?, type = ?, aliases = ?, retired_at = ?, updated_at = ? WHERE id = ?`,
			cat, in.Name, in.Description, in.Type, strings.Join(in.Aliases, "\n"), retired, now, id)
		if err != nil {
			return skillConflict(db.FormatError(err))
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.skill_update", TargetType: "skill", TargetID: id, Summary: fmt.Sprintf("Updated the skill %q", in.Name)})
	})
	if err != nil {
		return nil, err
	}
	return s.findSkill(ctx, s.DB.Reader(), id)
}
