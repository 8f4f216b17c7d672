package skills

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/tabular"
)

// FrameworkOptions tunes a framework import.
type FrameworkOptions struct {
	// Encoding of a CSV file without a byte-order mark: "" (UTF-8) or a tabular.Encodings key.
	Encoding string `json:"encoding,omitempty"`
	// Filename is recorded in the audit log.
	Filename string `json:"filename,omitempty"`
}

// The columns of a framework file, one row per skill, with the header names accepted for each
// (compared like every import: case, spaces and punctuation do not matter).
var frameworkColumns = map[string][]string{
	"skill":       {"name", "skill name"},
	"category":    {"skill category", "category path"},
	"type":        {"skill type"},
	"description": {"skill description"},
	"aliases":     {"alias", "synonyms", "also known as"},
	"retired":     {"is retired", "archived"},
}

// FrameworkColumnOrder is the column order of exported framework files, which import unchanged.
var FrameworkColumnOrder = []string{"skill", "category", "type", "description", "aliases", "retired"}

// csvField names the CSV column of each skill field.
var csvField = map[string]string{"name": "skill"}

// retiredWords are the values the retired column accepts.
var retiredWords = map[string]bool{"yes": true, "y": true, "true": true, "1": true, "no": false, "n": false, "false": false, "0": false}

// PlanFrameworkImport validates a framework file (CSV, one row per skill) and reports what
// importing it would change, changing nothing.
//
// Rows match stored skills by name, case-insensitively, or else by one of their aliases; a row
// matched by an alias keeps the skill's name and the name in the file stays one of its aliases.
// A file changes only the columns it has, and an empty type or retired cell keeps what is stored
// (technical and not retired for a new skill); an empty category, description or aliases cell
// clears it. Categories are paths ("Engineering / Backend"); missing ones are created along the
// path. Skills missing from the file are left alone.
func (s *Service) PlanFrameworkImport(ctx context.Context, actor *core.Actor, data []byte, opts FrameworkOptions) (*tabular.Report, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	p, err := s.planFramework(ctx, s.DB.Reader(), data, opts)
	if err != nil {
		return nil, err
	}
	return p.report, nil
}

// ImportFramework validates a framework file (see PlanFrameworkImport) and, only when it has no
// problem at all, applies it in one transaction. When the report is not Valid nothing changed.
func (s *Service) ImportFramework(ctx context.Context, actor *core.Actor, data []byte, opts FrameworkOptions) (*tabular.Report, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	return s.importFramework(ctx, actor, orFile(opts.Filename, "a skills framework file"), func(q db.Queryer) (*frameworkPlan, error) {
		return s.planFramework(ctx, q, data, opts)
	})
}

// PlanFrameworkJSON validates a framework in its JSON form and reports what importing it would
// change, changing nothing. See ImportFrameworkJSON.
func (s *Service) PlanFrameworkJSON(ctx context.Context, actor *core.Actor, f *Framework) (*tabular.Report, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	p, err := s.planJSON(ctx, s.DB.Reader(), f)
	if err != nil {
		return nil, err
	}
	return p.report, nil
}

// ImportFrameworkJSON applies a framework in its JSON form, all or nothing:
//
//   - a non-empty scale replaces the proficiency scale by the rules of SetScale; an empty one
//     keeps it;
//   - categories and skills are created or updated, matched by path and by name (or alias) like
//     the CSV import; each skill entry sets every field, except that an empty type keeps the
//     stored one and absent levels keep the skill's level descriptors;
//   - the requirements replace those of every job role they mention: a role's requirements
//     missing from the file are removed. Roles the file does not mention are untouched, and so
//     are categories and skills missing from it.
//
// Problems are located by JSON path in Problem.Column ("skills[3].type"), with Line 0. The
// report counts every entry of the file (scale levels, categories, skills, requirements) as
// new, updated or unchanged; dropped scale levels and removed requirements are listed as
// changes of kind "delete".
func (s *Service) ImportFrameworkJSON(ctx context.Context, actor *core.Actor, f *Framework) (*tabular.Report, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	return s.importFramework(ctx, actor, "a skills framework (JSON)", func(q db.Queryer) (*frameworkPlan, error) {
		return s.planJSON(ctx, q, f)
	})
}

// importFramework plans inside one transaction and applies the plan there when it is valid.
func (s *Service) importFramework(ctx context.Context, actor *core.Actor, what string, plan func(q db.Queryer) (*frameworkPlan, error)) (*tabular.Report, error) {
	var report *tabular.Report
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		report, err = s.importFrameworkIn(ctx, tx, actor, what, plan)
		return err
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// importFrameworkIn plans inside tx and applies the plan there when it is valid.
func (s *Service) importFrameworkIn(ctx context.Context, tx *db.Tx, actor *core.Actor, what string, plan func(q db.Queryer) (*frameworkPlan, error)) (*tabular.Report, error) {
	if err := actor.Require(core.PermSkillsWrite); err != nil {
		return nil, err
	}
	if tx.Dialect() == db.Postgres {
		// One framework import at a time: a plan is only valid against the data it was made from.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7341902120)`); err != nil {
			return nil, err
		}
	}
	p, err := plan(tx)
	if err != nil {
		return nil, err
	}
	if p.report.Valid {
		if err := s.applyFramework(ctx, tx, actor, p, what); err != nil {
			return nil, err
		}
	}
	return p.report, nil
}

// ExportFramework writes every skill, retired ones included, as CSV in the import layout:
// importing the file again changes nothing.
func (s *Service) ExportFramework(ctx context.Context, actor *core.Actor, w io.Writer) (int, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return 0, err
	}
	q := s.DB.Reader()
	cats, err := s.categories(ctx, q)
	if err != nil {
		return 0, err
	}
	path := map[string]string{}
	for _, c := range cats {
		path[c.ID] = c.FullName
	}
	all, err := allSkills(ctx, q)
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(FrameworkColumnOrder); err != nil {
		return 0, err
	}
	for _, sk := range all {
		rec := []string{sk.Name, path[sk.CategoryID], sk.Type, sk.Description, strings.Join(sk.Aliases, "; "), yesNo(sk.Retired)}
		for i := range rec {
			rec[i] = tabular.Escape(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(all), cw.Error()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Framework is the whole skills framework in a form that moves between installations: things
// refer to each other by name, never by id.
type Framework struct {
	Scale        []ScaleLevel           `json:"scale,omitempty"`
	Categories   []FrameworkCategory    `json:"categories,omitempty"`
	Skills       []FrameworkSkill       `json:"skills,omitempty"`
	Requirements []FrameworkRequirement `json:"requirements,omitempty"`
}

// FrameworkCategory is one category; its path is the parent's path, " / ", and its name.
type FrameworkCategory struct {
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"` // the parent's path ("Engineering / Backend"); "" at the top
}

// FrameworkSkill is one skill.
type FrameworkSkill struct {
	Name        string   `json:"name"` // unique, case-insensitively
	Category    string   `json:"category,omitempty"`
	Type        string   `json:"type"`
	Description string   `json:"description,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Retired     bool     `json:"retired,omitempty"`
	// Levels describes what some levels of the scale mean for this skill; absent keeps what is
	// stored, an empty list removes the descriptors.
	Levels []LevelDescriptor `json:"levels,omitempty"`
}

// LevelDescriptor says what one level of the scale means for one skill.
type LevelDescriptor struct {
	Level       int    `json:"level"`
	Description string `json:"description"`
}

// FrameworkRequirement says a job role needs a skill at a level.
type FrameworkRequirement struct {
	JobRole     string `json:"job_role"`
	Skill       string `json:"skill"`
	Level       int    `json:"level"`
	Criticality string `json:"criticality"`
}

// ExportFrameworkJSON returns the whole framework: the scale, the categories (parents first),
// every skill with its level descriptors, and every role requirement. Importing it again
// changes nothing.
func (s *Service) ExportFrameworkJSON(ctx context.Context, actor *core.Actor) (*Framework, error) {
	if err := actor.Require(core.PermSkillsRead); err != nil {
		return nil, err
	}
	q := s.DB.Reader()
	f := &Framework{Categories: []FrameworkCategory{}, Skills: []FrameworkSkill{}, Requirements: []FrameworkRequirement{}}
	var err error
	if f.Scale, err = s.scale(ctx, q); err != nil {
		return nil, err
	}
	cats, err := s.categories(ctx, q)
	if err != nil {
		return nil, err
	}
	path := map[string]string{}
	for _, c := range cats {
		path[c.ID] = c.FullName
		f.Categories = append(f.Categories, FrameworkCategory{Name: c.Name, Parent: path[c.ParentID]})
	}
	all, err := allSkills(ctx, q)
	if err != nil {
		return nil, err
	}
	levels, err := descriptors(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, sk := range all {
		f.Skills = append(f.Skills, FrameworkSkill{Name: sk.Name, Category: path[sk.CategoryID], Type: sk.Type, Description: sk.Description,
			Aliases: sk.Aliases, Retired: sk.Retired, Levels: levels[sk.ID]})
	}
	reqs, err := s.requirements(ctx, q, "", "")
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		f.Requirements = append(f.Requirements, FrameworkRequirement{JobRole: r.JobRoleName, Skill: r.SkillName, Level: r.Level, Criticality: r.Criticality})
	}
	return f, nil
}

// allSkills returns every skill, retired ones too, by name.
func allSkills(ctx context.Context, q db.Queryer) ([]*Skill, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+skillColumns+skillFrom+` ORDER BY lower(s.name), s.id`)
	if err != nil {
		return nil, fmt.Errorf("read skills: %w", err)
	}
	return db.Collect(rows, scanSkill)
}

// descriptors returns every skill's level descriptors by skill id, lowest level first.
func descriptors(ctx context.Context, q db.Queryer) (map[string][]LevelDescriptor, error) {
	rows, err := q.QueryContext(ctx, `SELECT skill_id, level, description FROM skill_level_descriptors ORDER BY skill_id, level`)
	if err != nil {
		return nil, fmt.Errorf("read level descriptors: %w", err)
	}
	defer rows.Close()
	out := map[string][]LevelDescriptor{}
	for rows.Next() {
		var id string
		var l LevelDescriptor
		if err := rows.Scan(&id, &l.Level, &l.Description); err != nil {
			return nil, err
		}
		out[id] = append(out[id], l)
	}
	return out, rows.Err()
}

// frameworkPlan is what an import would change, worked out against the stored framework before
// anything is written.
type frameworkPlan struct {
	report *tabular.Report
	// create says whether categories missing from a skill's path are created (CSV) or are a
	// problem (JSON, which lists its categories).
	create bool

	stored  []*Skill
	byName  map[string]*Skill            // lower name → stored skill
	byAlias map[string][]*Skill          // lower alias → stored skills
	cats    map[string][]*Category       // path key → stored and planned categories
	newCats []*Category                  // parents first
	catLine map[string]int               // new category id → first line that needs it
	renamed []*Category                  // stored categories whose name changes
	levels  map[string][]LevelDescriptor // stored descriptors by skill id (JSON only)
	top     int                          // the highest level of the scale after the import

	rows    []*skillRow
	creates []*skillRow
	updates []*skillRow
	final   map[string]*Skill   // lower final name → skill, for requirements
	aliasOf map[string][]*Skill // lower final alias → skills, for requirements

	catEntries   int          // categories listed in a JSON file
	oldScale     []ScaleLevel // the stored scale (JSON only)
	scale        []ScaleLevel // the new scale; nil keeps it
	scaleChanged bool
	reqs         []*reqRow
	reqDeletes   []*Requirement
	deletes      int // scale levels dropped and requirements removed
}

// skillRow is one skill of an import: a CSV row or a JSON entry.
type skillRow struct {
	line   int    // 1-based line of a CSV row; 0 in JSON
	first  string // how a later duplicate points here: "on line 4", "at skills[3]"
	column func(field string, i int) string

	// What the file sets; nil (or false) keeps what is stored.
	name        string
	category    *string
	typ         string
	description *string
	aliases     []string
	setAliases  bool
	retiredRaw  *string
	retired     *bool
	levels      []LevelDescriptor
	setLevels   bool

	categoryID string
	target     *Skill // the stored skill the row updates; nil for a new one
	byAlias    bool
	skip       bool // the name is unusable: left out of matching
	final      Skill
	fields     []string // what the import changes
}

// reqRow is one requirement of a JSON file, resolved.
type reqRow struct {
	roleID, roleName   string
	skillID, skillName string
	level              int
	criticality        string
}

// loadFramework reads what every plan compares against: the skills, the categories, the scale.
func (s *Service) loadFramework(ctx context.Context, q db.Queryer, report *tabular.Report) (*frameworkPlan, error) {
	p := &frameworkPlan{report: report, byName: map[string]*Skill{}, byAlias: map[string][]*Skill{},
		cats: map[string][]*Category{}, catLine: map[string]int{}, final: map[string]*Skill{}}
	var err error
	if p.stored, err = allSkills(ctx, q); err != nil {
		return nil, err
	}
	for _, sk := range p.stored {
		p.byName[strings.ToLower(sk.Name)] = sk
		for _, a := range sk.Aliases {
			key := strings.ToLower(a)
			if !slices.Contains(p.byAlias[key], sk) {
				p.byAlias[key] = append(p.byAlias[key], sk)
			}
		}
	}
	cats, err := s.categories(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		key := pathKey(splitPath(c.FullName))
		p.cats[key] = append(p.cats[key], c)
	}
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(max(level), 0) FROM proficiency_levels`).Scan(&p.top); err != nil {
		return nil, fmt.Errorf("read the scale: %w", err)
	}
	return p, nil
}

// planFramework plans a CSV framework file.
func (s *Service) planFramework(ctx context.Context, q db.Queryer, data []byte, opts FrameworkOptions) (*frameworkPlan, error) {
	report := tabular.NewReport("skills")
	table, cols, err := tabular.ReadFile(report, data, opts.Encoding, frameworkColumns, []string{"skill"}, "skills")
	if err != nil || cols == nil {
		// A header problem is found after the rows' quoting problems.
		report.SortProblems()
		return &frameworkPlan{report: report}, err
	}
	p, err := s.loadFramework(ctx, q, report)
	if err != nil {
		return nil, err
	}
	p.create = true
	column := func(field string, _ int) string {
		if f, ok := csvField[field]; ok {
			field = f
		}
		return cols.Name(field)
	}
	for _, tr := range table.Rows {
		r := &skillRow{line: tr.Line, first: fmt.Sprintf("on line %d", tr.Line), column: column, name: cols.Get(tr, "skill")}
		optional := func(field string) *string {
			if !cols.Has(field) {
				return nil
			}
			v := cols.Get(tr, field)
			return &v
		}
		r.category, r.description, r.retiredRaw = optional("category"), optional("description"), optional("retired")
		r.typ = cols.Get(tr, "type")
		if cols.Has("aliases") {
			r.setAliases = true
			r.aliases = strings.Split(cols.Get(tr, "aliases"), ";")
		}
		p.rows = append(p.rows, r)
	}
	p.planSkills()
	report.SortProblems()
	report.Valid = report.ProblemCount == 0
	if report.Valid {
		p.diffCategories()
		p.diffSkills()
		slices.SortStableFunc(report.Changes, func(a, b tabular.Change) int { return a.Line - b.Line })
	}
	return p, nil
}

// planJSON plans a framework in its JSON form.
func (s *Service) planJSON(ctx context.Context, q db.Queryer, f *Framework) (*frameworkPlan, error) {
	report := tabular.NewReport("skills")
	if f == nil || len(f.Scale)+len(f.Categories)+len(f.Skills)+len(f.Requirements) == 0 {
		report.Problem(tabular.Problem{Reason: "the framework is empty: it has no scale, categories, skills or requirements"})
		return &frameworkPlan{report: report}, nil
	}
	report.Rows = len(f.Scale) + len(f.Categories) + len(f.Skills) + len(f.Requirements)
	p, err := s.loadFramework(ctx, q, report)
	if err != nil {
		return nil, err
	}
	if p.levels, err = descriptors(ctx, q); err != nil {
		return nil, err
	}
	if p.oldScale, err = s.scale(ctx, q); err != nil {
		return nil, err
	}
	p.planScale(f.Scale)
	p.planCategories(f.Categories)
	for i, fs := range f.Skills {
		r := &skillRow{first: fmt.Sprintf("at skills[%d]", i), column: jsonColumn("skills", i),
			name: fs.Name, category: &fs.Category, typ: fs.Type, description: &fs.Description,
			aliases: fs.Aliases, setAliases: true, retired: &fs.Retired, levels: slices.Clone(fs.Levels), setLevels: fs.Levels != nil}
		p.rows = append(p.rows, r)
	}
	p.planSkills()
	reqs, err := s.requirements(ctx, q, "", "")
	if err != nil {
		return nil, err
	}
	if err := p.planRequirements(ctx, q, f.Requirements, reqs); err != nil {
		return nil, err
	}
	sortByPath(report.Problems)
	report.Valid = report.ProblemCount == 0
	if report.Valid {
		p.diffScale()
		p.diffCategories()
		p.diffSkills()
		p.diffRequirements(reqs)
	}
	return p, nil
}

// jsonColumn locates the fields of entry i of a JSON list: "skills[3].type", "skills[3].aliases[1]".
func jsonColumn(list string, i int) func(field string, j int) string {
	return func(field string, j int) string {
		if j >= 0 {
			return fmt.Sprintf("%s[%d].%s[%d]", list, i, field, j)
		}
		return fmt.Sprintf("%s[%d].%s", list, i, field)
	}
}

// sortByPath orders JSON problems as the file is: scale, categories, skills, requirements, each
// by index, keeping the order found within an entry.
func sortByPath(probs []tabular.Problem) {
	rank := func(col string) (int, int) {
		list, rest, _ := strings.Cut(col, "[")
		n, _ := strconv.Atoi(strings.SplitN(rest, "]", 2)[0])
		switch list {
		case "scale":
			return 1, n
		case "categories":
			return 2, n
		case "skills":
			return 3, n
		case "requirements":
			return 4, n
		}
		return 0, 0
	}
	slices.SortStableFunc(probs, func(a, b tabular.Problem) int {
		ra, ia := rank(a.Column)
		rb, ib := rank(b.Column)
		if ra != rb {
			return ra - rb
		}
		return ia - ib
	})
}

// bad records a problem with one field of a row.
func (p *frameworkPlan) bad(r *skillRow, field string, i int, value, format string, args ...any) {
	p.report.Problem(tabular.Problem{Line: r.line, Column: r.column(field, i), Value: value, Reason: fmt.Sprintf(format, args...)})
}

// planSkills checks every row, matches rows to stored skills and checks the result: no skill
// twice, no alias that is another skill's name or alias.
func (p *frameworkPlan) planSkills() {
	for _, r := range p.rows {
		p.checkFields(r)
	}
	seen := map[string]*skillRow{}
	for _, r := range p.rows {
		if r.skip {
			continue
		}
		key := strings.ToLower(r.name)
		if sk := p.byName[key]; sk != nil {
			r.target = sk
		} else {
			switch cands := p.byAlias[key]; len(cands) {
			case 0:
			case 1:
				r.target, r.byAlias = cands[0], true
			default:
				names := make([]string, len(cands))
				for i, c := range cands {
					names[i] = c.Name
				}
				p.bad(r, "name", -1, r.name, "%q is an alias of %d skills (%s): use the skill's name", r.name, len(cands), strings.Join(names, ", "))
				r.skip = true
				continue
			}
		}
		if r.target != nil {
			key = r.target.ID
		}
		if first, dup := seen[key]; dup {
			if r.byAlias || first.byAlias {
				p.bad(r, "name", -1, r.name, "%q is the skill %s, which is already %s", r.name, r.target.Name, first.first)
			} else {
				p.bad(r, "name", -1, r.name, "duplicate skill %q (first %s)", r.name, first.first)
			}
			r.skip = true
			continue
		}
		seen[key] = r
		p.finalize(r)
	}
	p.checkNames()
}

// checkFields checks and normalizes each field of a row on its own, in column order.
func (p *frameworkPlan) checkFields(r *skillRow) {
	raw := r.name
	r.name = oneLine(r.name)
	switch {
	case r.name == "":
		p.bad(r, "name", -1, raw, "the skill name is empty")
		r.skip = true
	case len([]rune(r.name)) > 200:
		p.bad(r, "name", -1, raw, "a skill name has at most 200 characters")
		r.skip = true
	}
	if r.category != nil {
		id, msg := p.resolveCategory(*r.category, r.line)
		if msg != "" {
			p.bad(r, "category", -1, *r.category, "%s", msg)
		}
		r.categoryID = id
	}
	if raw := r.typ; raw != "" {
		r.typ = strings.ToLower(strings.TrimSpace(raw))
		if !slices.Contains(Types, r.typ) {
			p.bad(r, "type", -1, raw, "unknown type %q: choose one of %s", raw, strings.Join(Types, ", "))
		}
	}
	if r.description != nil {
		d := strings.TrimSpace(*r.description)
		if n := utf8.RuneCountInString(d); n > 4000 {
			p.bad(r, "description", -1, "", "a description has at most 4000 characters (this one has %d)", n)
		}
		r.description = &d
	}
	if r.setAliases {
		var ok []string
		for i, a := range r.aliases {
			a = strings.TrimSpace(a)
			switch {
			case strings.ContainsAny(a, "\r\n"):
				p.bad(r, "aliases", i, a, "alias %q spans several lines; an alias is one line", a)
			case strings.Contains(a, ";"):
				p.bad(r, "aliases", i, a, "alias %q contains a semicolon, which separates aliases", a)
			case utf8.RuneCountInString(a) > 200:
				p.bad(r, "aliases", i, a, "an alias has at most 200 characters")
			default:
				ok = append(ok, a)
			}
		}
		r.aliases = ok
	}
	if r.retiredRaw != nil && *r.retiredRaw != "" {
		b, ok := retiredWords[strings.ToLower(*r.retiredRaw)]
		if !ok {
			p.bad(r, "retired", -1, *r.retiredRaw, "%q is not yes or no", *r.retiredRaw)
		}
		r.retired = &b
	}
	if r.setLevels {
		seen := map[int]int{}
		for i, l := range r.levels {
			l.Description = strings.TrimSpace(l.Description)
			r.levels[i] = l
			if l.Level < 0 || l.Level > p.top {
				p.bad(r, "levels", i, strconv.Itoa(l.Level), "level %d is outside the scale (0 to %d)", l.Level, p.top)
			} else if first, dup := seen[l.Level]; dup {
				p.bad(r, "levels", i, strconv.Itoa(l.Level), "level %d is described twice (first at levels[%d])", l.Level, first)
			}
			seen[l.Level] = i
			switch {
			case l.Description == "":
				p.bad(r, "levels", i, "", "describe level %d", l.Level)
			case utf8.RuneCountInString(l.Description) > 4000:
				p.bad(r, "levels", i, "", "a level description has at most 4000 characters")
			}
		}
		slices.SortStableFunc(r.levels, func(a, b LevelDescriptor) int { return a.Level - b.Level })
	}
}

// finalize works out what a matched row's skill looks like after the import.
func (p *frameworkPlan) finalize(r *skillRow) {
	f := Skill{ID: core.NewID(), Type: "technical", Aliases: []string{}}
	if r.target != nil {
		f = *r.target
		f.Aliases = slices.Clone(f.Aliases)
	}
	if !r.byAlias {
		f.Name = r.name
	}
	if r.category != nil {
		f.CategoryID = r.categoryID
	}
	if r.typ != "" {
		f.Type = r.typ
	}
	if r.description != nil {
		f.Description = *r.description
	}
	if r.setAliases {
		f.Aliases = r.aliases
		if r.byAlias {
			// The name the file uses stays an alias, so the next import matches again.
			f.Aliases = append(f.Aliases, r.name)
		}
	}
	if r.retired != nil {
		f.Retired = *r.retired
	}
	f.Aliases = cleanAliases(f.Aliases, f.Name)
	r.final = f
	p.final[strings.ToLower(f.Name)] = &r.final
}

// cleanAliases normalizes spaces and drops empty aliases, the name itself and repeats, as
// SkillInput.validate does.
func cleanAliases(in []string, name string) []string {
	out := []string{}
	for _, a := range in {
		a = oneLine(a)
		if a != "" && !strings.EqualFold(a, name) && !slices.ContainsFunc(out, func(b string) bool { return strings.EqualFold(a, b) }) {
			out = append(out, a)
		}
	}
	return out
}

// checkNames refuses an alias a row adds when, after the import, another skill has it as its
// name or as an alias: alias matching would no longer know which skill is meant. Aliases
// already stored on the skill are not checked again, so an export always imports.
func (p *frameworkPlan) checkNames() {
	names := map[string]*Skill{}
	aliases := map[string][]*Skill{}
	inFile := map[string]bool{}
	var all []*Skill
	for _, r := range p.rows {
		if !r.skip {
			inFile[r.final.ID] = true
			all = append(all, &r.final)
		}
	}
	for _, sk := range p.stored {
		if !inFile[sk.ID] {
			all = append(all, sk)
			p.final[strings.ToLower(sk.Name)] = sk
		}
	}
	for _, sk := range all {
		names[strings.ToLower(sk.Name)] = sk
		for _, a := range sk.Aliases {
			aliases[strings.ToLower(a)] = append(aliases[strings.ToLower(a)], sk)
		}
	}
	p.aliasOf = aliases
	for _, r := range p.rows {
		if r.skip {
			continue
		}
		for _, a := range r.final.Aliases {
			if r.target != nil && slices.ContainsFunc(r.target.Aliases, func(b string) bool { return strings.EqualFold(a, b) }) {
				continue
			}
			key := strings.ToLower(a)
			if other := names[key]; other != nil && other.ID != r.final.ID {
				p.bad(r, "aliases", -1, a, "alias %q is the name of the skill %s", a, other.Name)
				continue
			}
			for _, other := range aliases[key] {
				if other.ID != r.final.ID {
					p.bad(r, "aliases", -1, a, "alias %q is already an alias of the skill %s", a, other.Name)
					break
				}
			}
		}
	}
}

// diffSkills turns the matched rows of a valid plan into creates and updates.
func (p *frameworkPlan) diffSkills() {
	for _, r := range p.rows {
		name := r.final.Name
		if r.target == nil {
			p.creates = append(p.creates, r)
			p.report.Create++
			p.report.AddChange(tabular.Change{Line: r.line, Kind: "create", Key: "skill", Name: name})
			continue
		}
		old, f := r.target, &r.final
		for _, c := range []struct {
			field   string
			changed bool
		}{
			{"name", old.Name != f.Name},
			{"category", old.CategoryID != f.CategoryID},
			{"type", old.Type != f.Type},
			{"description", lf(old.Description) != lf(f.Description)},
			{"aliases", strings.Join(old.Aliases, "\n") != strings.Join(f.Aliases, "\n")},
			{"retired", old.Retired != f.Retired},
			{"levels", r.setLevels && !slices.Equal(p.levels[old.ID], r.levels)},
		} {
			if c.changed {
				r.fields = append(r.fields, c.field)
			}
		}
		if len(r.fields) == 0 {
			p.report.Unchanged++
			continue
		}
		p.updates = append(p.updates, r)
		p.report.Update++
		p.report.AddChange(tabular.Change{Line: r.line, Kind: "update", Key: "skill", Name: name, Fields: r.fields})
	}
}

// lf compares texts whatever their line endings: browsers send a textarea's lines with CRLF,
// CSV readers return LF.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// oneLine collapses runs of white space, as names are stored.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitPath splits a category path at "/" (with or without spaces around it).
func splitPath(path string) []string {
	parts := strings.Split(path, "/")
	for i := range parts {
		parts[i] = oneLine(parts[i])
	}
	return parts
}

// pathKey is what category paths compare by: "Engineering / Backend" = "engineering/backend".
// A category whose own name holds a "/" compares like the path it spells.
func pathKey(parts []string) string { return strings.ToLower(strings.Join(parts, "/")) }

// findCategory returns the category at a path, or a reason when several share it.
func (p *frameworkPlan) findCategory(parts []string) (*Category, string) {
	switch cs := p.cats[pathKey(parts)]; len(cs) {
	case 0:
		return nil, ""
	case 1:
		return cs[0], ""
	default:
		return nil, fmt.Sprintf("%d categories have the path %q; rename one of them first", len(cs), strings.Join(parts, " / "))
	}
}

// resolveCategory returns the id of the category at path ("" for none). When the plan creates
// categories, missing ones along the path are planned below the deepest one that exists.
func (p *frameworkPlan) resolveCategory(path string, line int) (string, string) {
	if strings.TrimSpace(path) == "" {
		return "", ""
	}
	parts := splitPath(path)
	for _, part := range parts {
		if part == "" {
			return "", "a category path has an empty part: separate categories with \" / \""
		}
		if len([]rune(part)) > 200 {
			return "", "a category name has at most 200 characters"
		}
	}
	if c, msg := p.findCategory(parts); c != nil || msg != "" {
		return idOf(c), msg
	}
	if !p.create {
		return "", fmt.Sprintf("unknown category %q: list it in categories", path)
	}
	k := len(parts) - 1
	var parent *Category
	for ; k > 0; k-- {
		c, msg := p.findCategory(parts[:k])
		if msg != "" {
			return "", msg
		}
		if c != nil {
			parent = c
			break
		}
	}
	for _, name := range parts[k:] {
		parent = p.addCategory(name, parent, line)
	}
	return parent.ID, ""
}

func idOf(c *Category) string {
	if c == nil {
		return ""
	}
	return c.ID
}

// addCategory plans a new category under parent (nil for the top).
func (p *frameworkPlan) addCategory(name string, parent *Category, line int) *Category {
	c := &Category{ID: core.NewID(), Name: name, FullName: name}
	parentPath := "/"
	if parent != nil {
		c.ParentID, parentPath, c.FullName = parent.ID, parent.Path, parent.FullName+" / "+name
	}
	c.Path = parentPath + c.ID + "/"
	key := pathKey(splitPath(c.FullName))
	p.cats[key] = append(p.cats[key], c)
	p.newCats = append(p.newCats, c)
	p.catLine[c.ID] = line
	return c
}

// diffCategories lists the planned categories in the report. A JSON file lists its categories,
// so there each counts as new, updated or unchanged; a CSV file only names them in skill rows.
func (p *frameworkPlan) diffCategories() {
	if !p.create {
		p.report.Create += len(p.newCats)
		p.report.Update += len(p.renamed)
		p.report.Unchanged += p.catEntries - len(p.newCats) - len(p.renamed)
	}
	for _, c := range p.newCats {
		p.report.AddChange(tabular.Change{Line: p.catLine[c.ID], Kind: "create", Key: "category", Name: c.FullName})
	}
	for _, c := range p.renamed {
		p.report.AddChange(tabular.Change{Kind: "update", Key: "category", Name: c.FullName, Fields: []string{"name"}})
	}
}

// planScale checks a JSON file's scale by the rules of SetScale; an empty one keeps the scale.
// Whether dropped levels are still used is checked with the requirements.
func (p *frameworkPlan) planScale(levels []ScaleLevel) {
	if len(levels) == 0 {
		return
	}
	bad := func(column, value, format string, args ...any) {
		p.report.Problem(tabular.Problem{Column: column, Value: value, Reason: fmt.Sprintf(format, args...)})
	}
	if len(levels) < 2 || len(levels) > 11 {
		bad("scale", strconv.Itoa(len(levels)), "a scale has 2 to 11 levels")
	}
	scale := make([]ScaleLevel, len(levels))
	for i, l := range levels {
		scale[i] = ScaleLevel{Level: l.Level, Name: strings.TrimSpace(l.Name), Description: strings.TrimSpace(l.Description)}
		if l.Level != i {
			bad(fmt.Sprintf("scale[%d].level", i), strconv.Itoa(l.Level), "levels run from 0 upwards without gaps; level %d is out of place", l.Level)
		}
		if scale[i].Name == "" {
			bad(fmt.Sprintf("scale[%d].name", i), "", "name level %d", l.Level)
		}
	}
	p.scale, p.top = scale, min(len(scale), 11)-1
}

// planCategories checks a JSON file's categories, parents before children whatever the file's
// order, and plans the missing ones. A stored category is updated only when its name differs
// from the file's in case or spacing.
func (p *frameworkPlan) planCategories(cats []FrameworkCategory) {
	type entry struct {
		i            int
		name, parent string
		key          string
	}
	var entries []entry
	for i, c := range cats {
		bad := func(field, value, format string, args ...any) {
			p.report.Problem(tabular.Problem{Column: fmt.Sprintf("categories[%d].%s", i, field), Value: value, Reason: fmt.Sprintf(format, args...)})
		}
		name := oneLine(c.Name)
		switch {
		case name == "":
			bad("name", c.Name, "enter a name")
			continue
		case len([]rune(name)) > 200:
			bad("name", c.Name, "a category name has at most 200 characters")
			continue
		}
		parts := splitPath(name)
		if strings.TrimSpace(c.Parent) != "" {
			parent := splitPath(c.Parent)
			if slices.Contains(parent, "") {
				bad("parent", c.Parent, "a category path has an empty part: separate categories with \" / \"")
				continue
			}
			parts = append(parent, parts...)
		}
		entries = append(entries, entry{i: i, name: name, parent: c.Parent, key: pathKey(parts)})
	}
	// A parent's path is always shorter than its children's.
	slices.SortStableFunc(entries, func(a, b entry) int { return len(a.key) - len(b.key) })
	seen := map[string]int{}
	for _, e := range entries {
		bad := func(field, value, format string, args ...any) {
			p.report.Problem(tabular.Problem{Column: fmt.Sprintf("categories[%d].%s", e.i, field), Value: value, Reason: fmt.Sprintf(format, args...)})
		}
		if first, dup := seen[e.key]; dup {
			bad("name", e.name, "duplicate category (first at categories[%d])", first)
			continue
		}
		seen[e.key] = e.i
		var parent *Category
		if strings.TrimSpace(e.parent) != "" {
			c, msg := p.findCategory(splitPath(e.parent))
			switch {
			case msg != "":
				bad("parent", e.parent, "%s", msg)
				continue
			case c == nil:
				bad("parent", e.parent, "unknown parent category %q: list it in categories", e.parent)
				continue
			}
			parent = c
		}
		c, msg := p.findCategory(strings.Split(e.key, "/"))
		switch {
		case msg != "":
			bad("name", e.name, "%s", msg)
		case c == nil:
			p.addCategory(e.name, parent, 0)
		case c.ParentID != idOf(parent):
			bad("name", e.name, "the path %q belongs to the category %q under another parent", c.FullName, c.Name)
		case c.Name != e.name:
			c.FullName = strings.TrimSuffix(c.FullName, c.Name) + e.name
			c.Name = e.name
			p.renamed = append(p.renamed, c)
		}
	}
	p.catEntries = len(entries)
}

// planRequirements checks a JSON file's requirements against the roles, the skills after the
// import and the scale after the import, and whether a shrinking scale drops used levels.
func (p *frameworkPlan) planRequirements(ctx context.Context, q db.Queryer, in []FrameworkRequirement, stored []*Requirement) error {
	roles := map[string][2]string{}
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM job_roles`)
	if err != nil {
		return fmt.Errorf("read job roles: %w", err)
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		roles[strings.ToLower(name)] = [2]string{id, name}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	mentioned := map[string]bool{}
	seen := map[[2]string]int{}
	for i, fr := range in {
		bad := func(field, value, format string, args ...any) {
			p.report.Problem(tabular.Problem{Column: fmt.Sprintf("requirements[%d].%s", i, field), Value: value, Reason: fmt.Sprintf(format, args...)})
		}
		r := &reqRow{level: fr.Level, criticality: strings.ToLower(strings.TrimSpace(fr.Criticality))}
		ok := true
		if role, found := roles[strings.ToLower(oneLine(fr.JobRole))]; found {
			r.roleID, r.roleName = role[0], role[1]
			mentioned[r.roleID] = true
		} else {
			bad("job_role", fr.JobRole, "unknown job role %q", fr.JobRole)
			ok = false
		}
		key := strings.ToLower(oneLine(fr.Skill))
		sk := p.final[key]
		if cands := p.aliasOf[key]; sk == nil && len(cands) == 1 {
			sk = cands[0]
		}
		if sk != nil {
			r.skillID, r.skillName = sk.ID, sk.Name
		} else {
			bad("skill", fr.Skill, "unknown skill %q: list it in skills or create it first", fr.Skill)
			ok = false
		}
		if fr.Level < 1 || fr.Level > p.top {
			bad("level", strconv.Itoa(fr.Level), "a requirement asks for a level from 1 to %d", p.top)
			ok = false
		}
		if !slices.Contains(Criticalities, r.criticality) {
			bad("criticality", fr.Criticality, "unknown criticality %q: choose critical, important or useful", fr.Criticality)
			ok = false
		}
		if r.roleID != "" && r.skillID != "" {
			key := [2]string{r.roleID, r.skillID}
			if first, dup := seen[key]; dup {
				bad("skill", fr.Skill, "%s already requires %s at requirements[%d]", r.roleName, r.skillName, first)
				ok = false
			}
			seen[key] = i
		}
		if ok {
			p.reqs = append(p.reqs, r)
		}
	}
	if p.scale == nil {
		return nil
	}
	// The levels a smaller scale drops must be unused once the file is applied.
	var used int
	if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM skill_ratings WHERE level > ?) + (SELECT count(*) FROM coverage_targets WHERE level > ?)`,
		p.top, p.top).Scan(&used); err != nil {
		return fmt.Errorf("check the scale: %w", err)
	}
	for _, r := range stored {
		if !mentioned[r.JobRoleID] && r.Level > p.top {
			used++
		}
	}
	if used > 0 {
		p.report.Problem(tabular.Problem{Column: "scale", Value: strconv.Itoa(len(p.scale)),
			Reason: fmt.Sprintf("%d ratings, requirements or coverage targets use levels above %d; the scale cannot drop them", used, p.top)})
	}
	return nil
}

// diffRequirements turns the file's requirements and scale into changes: each role the file
// mentions gets exactly the file's requirements.
func (p *frameworkPlan) diffRequirements(stored []*Requirement) {
	old := map[[2]string]*Requirement{}
	for _, r := range stored {
		old[[2]string{r.JobRoleID, r.SkillID}] = r
	}
	inFile := map[[2]string]bool{}
	mentioned := map[string]bool{}
	var keep []*reqRow
	for _, r := range p.reqs {
		key := [2]string{r.roleID, r.skillID}
		inFile[key], mentioned[r.roleID] = true, true
		name := r.roleName + ": " + r.skillName
		switch o := old[key]; {
		case o == nil:
			p.report.Create++
			p.report.AddChange(tabular.Change{Kind: "create", Key: "requirement", Name: name})
			keep = append(keep, r)
		case o.Level != r.level || o.Criticality != r.criticality:
			var fields []string
			if o.Level != r.level {
				fields = append(fields, "level")
			}
			if o.Criticality != r.criticality {
				fields = append(fields, "criticality")
			}
			p.report.Update++
			p.report.AddChange(tabular.Change{Kind: "update", Key: "requirement", Name: name, Fields: fields})
			keep = append(keep, r)
		default:
			p.report.Unchanged++
		}
	}
	p.reqs = keep
	for _, r := range stored {
		if mentioned[r.JobRoleID] && !inFile[[2]string{r.JobRoleID, r.SkillID}] {
			p.reqDeletes = append(p.reqDeletes, r)
			p.deletes++
			p.report.AddChange(tabular.Change{Kind: "delete", Key: "requirement", Name: r.JobRoleName + ": " + r.SkillName})
		}
	}
}

// diffScale compares a new scale with the stored one, level by level.
func (p *frameworkPlan) diffScale() {
	if p.scale == nil {
		return
	}
	old := p.oldScale
	for _, l := range p.scale {
		name := fmt.Sprintf("%d %s", l.Level, l.Name)
		switch {
		case l.Level >= len(old):
			p.report.Create++
			p.report.AddChange(tabular.Change{Kind: "create", Key: "scale", Name: name})
			p.scaleChanged = true
		case old[l.Level] != l:
			var fields []string
			if old[l.Level].Name != l.Name {
				fields = append(fields, "name")
			}
			if old[l.Level].Description != l.Description {
				fields = append(fields, "description")
			}
			p.report.Update++
			p.report.AddChange(tabular.Change{Kind: "update", Key: "scale", Name: name, Fields: fields})
			p.scaleChanged = true
		default:
			p.report.Unchanged++
		}
	}
	for _, l := range old[min(len(p.scale), len(old)):] {
		p.deletes++
		p.scaleChanged = true
		p.report.AddChange(tabular.Change{Kind: "delete", Key: "scale", Name: fmt.Sprintf("%d %s", l.Level, l.Name)})
	}
}

// applyFramework writes a valid plan inside tx, with one audit entry when anything changed.
func (s *Service) applyFramework(ctx context.Context, tx *db.Tx, actor *core.Actor, p *frameworkPlan, what string) error {
	now := s.Clock.Now()
	if p.scaleChanged {
		if _, err := tx.ExecContext(ctx, `DELETE FROM proficiency_levels`); err != nil {
			return err
		}
		rows := make([][]any, len(p.scale))
		for i, l := range p.scale {
			rows[i] = []any{l.Level, l.Name, l.Description}
		}
		if err := db.InsertMany(ctx, tx, "proficiency_levels", []string{"level", "name", "description"}, rows); err != nil {
			return err
		}
	}
	cats := make([][]any, len(p.newCats))
	for i, c := range p.newCats {
		cats[i] = []any{c.ID, c.Name, nullable(c.ParentID), c.Path, now, now}
	}
	if err := db.InsertMany(ctx, tx, "skill_categories", []string{"id", "name", "parent_id", "path", "created_at", "updated_at"}, cats); err != nil {
		return fmt.Errorf("create categories: %w", err)
	}
	for _, c := range p.renamed {
		if _, err := tx.ExecContext(ctx, `UPDATE skill_categories SET name = ?, updated_at = ? WHERE id = ?`, c.Name, now, c.ID); err != nil {
			return fmt.Errorf("rename category %s: %w", c.FullName, db.FormatError(err))
		}
	}
	skills := make([][]any, len(p.creates))
	var levels [][]any
	for i, r := range p.creates {
		f := &r.final
		var retired any
		if f.Retired {
			retired = now
		}
		skills[i] = []any{f.ID, nullable(f.CategoryID), f.Name, f.Description, f.Type, strings.Join(f.Aliases, "\n"), retired, now, now}
		for _, l := range r.levels {
			levels = append(levels, []any{f.ID, l.Level, l.Description})
		}
	}
	if err := db.InsertMany(ctx, tx, "skills", []string{"id", "category_id", "name", "description", "type", "aliases", "retired_at", "created_at", "updated_at"}, skills); err != nil {
		return fmt.Errorf("create skills: %w", skillConflict(err))
	}
	for _, r := range p.updates {
		f := &r.final
		args := []any{nullable(f.CategoryID), f.Name, f.Description, f.Type, strings.Join(f.Aliases, "\n"), now}
		retired := "NULL"
		if f.Retired {
			// A skill that stays retired keeps the date it was retired.
			retired, args = "COALESCE(retired_at, ?)", append(args, now)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE skills SET category_id = ?, name = ?, description = ?, type = ?, aliases = ?, updated_at = ?, retired_at = `+retired+` WHERE id = ?`,
			append(args, f.ID)...); err != nil {
			return fmt.Errorf("update skill %s: %w", f.Name, skillConflict(db.FormatError(err)))
		}
		if slices.Contains(r.fields, "levels") {
			if _, err := tx.ExecContext(ctx, `DELETE FROM skill_level_descriptors WHERE skill_id = ?`, f.ID); err != nil {
				return err
			}
			for _, l := range r.levels {
				levels = append(levels, []any{f.ID, l.Level, l.Description})
			}
		}
	}
	if err := db.InsertMany(ctx, tx, "skill_level_descriptors", []string{"skill_id", "level", "description"}, levels); err != nil {
		return err
	}
	for _, r := range p.reqDeletes {
		if _, err := tx.ExecContext(ctx, `DELETE FROM role_requirements WHERE job_role_id = ? AND skill_id = ?`, r.JobRoleID, r.SkillID); err != nil {
			return err
		}
	}
	for _, r := range p.reqs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_requirements (job_role_id, skill_id, level, criticality, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (job_role_id, skill_id) DO UPDATE SET level = excluded.level, criticality = excluded.criticality, updated_at = excluded.updated_at`,
			r.roleID, r.skillID, r.level, r.criticality, now); err != nil {
			return err
		}
	}
	rep := p.report
	rep.Applied = true
	if rep.Create+rep.Update+p.deletes+len(p.newCats)+len(p.renamed) == 0 {
		return nil
	}
	summary := rep.Summary()
	if p.create && len(p.newCats) > 0 {
		summary += fmt.Sprintf(", %d new categories", len(p.newCats))
	}
	if p.deletes > 0 {
		summary += fmt.Sprintf(", %d removed", p.deletes)
	}
	return s.audit(ctx, tx, actor, audit.Entry{Action: "skills.framework_import", TargetType: "import",
		Summary: fmt.Sprintf("Imported %s: %s", what, summary),
		Details: map[string]any{"rows": rep.Rows, "create": rep.Create, "update": rep.Update, "unchanged": rep.Unchanged,
			"new_categories": len(p.newCats), "removed": p.deletes}})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orFile(name, otherwise string) string {
	if name == "" {
		return otherwise
	}
	return name
}
