package skills

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/tabular"
)

// MatrixImportOptions tunes a skills matrix import.
type MatrixImportOptions struct {
	// Format is "xlsx" or "csv"; "" detects it: a zip archive is a workbook, anything else CSV.
	Format string `json:"format,omitempty"`
	// Source is the source of the ratings that changed cells record: "manager" (the importer
	// rates the people below them) or "test" (an assessment L&D or HR ran; needs skills:write).
	Source string `json:"source"`
	// Encoding of a CSV file without a byte-order mark: "" (UTF-8) or a tabular.Encodings key.
	Encoding string `json:"encoding,omitempty"`
	// Filename is recorded in the audit log and in the note of each rating.
	Filename string `json:"filename,omitempty"`
}

// Bounds of a matrix file: beyond them the file is refused with a problem, not read on.
const (
	MaxMatrixRows   = 20000
	MaxMatrixSkills = 1000
	// MaxMatrixUnzipped is the most a workbook may unpack to (every sheet and part together).
	MaxMatrixUnzipped = 64 << 20
)

// MatrixImportSources are the rating sources a matrix import records.
var MatrixImportSources = []string{SourceManager, SourceTest}

// The columns of a matrix file that are not skills: who the row is (employee number or email)
// and what the export adds for reading (name, job role, org unit), which the import ignores.
// Headers compare like every import: case, spaces and punctuation do not matter.
var matrixImportColumns = map[string][]string{
	"employee_number": {"employee number", "employee id", "employee no", "emp no", "emp id", "personnel number", "worker id", "staff id", "staff number"},
	"email":           {"email", "email address", "work email", "business email", "mail"},
	"name":            {"name", "full name", "employee name", "given name", "first name", "family name", "last name", "surname"},
	"job_role":        {"job role", "role", "job title", "title", "position"},
	"org_unit":        {"org unit", "organization unit", "organisation unit", "department", "team", "unit"},
}

// PlanMatrixImport validates a skills matrix (people in rows, skills in columns, levels in
// cells: the layout of ExportMatrix, or one kept by hand) and reports what importing it would
// record, changing nothing.
//
// A cell equal to the person's current level (one decimal, as the export shows it) changes
// nothing, so importing an export unchanged records nothing; an empty cell changes nothing
// either. Any other cell is a new rating from Source by the importer, and must be a whole level
// of the scale. Report.Create counts the new ratings, Unchanged the cells equal to the current
// level, and Changes lists each person with a new rating and the skills it is in.
//
// In a workbook the sheet named "Matrix" is read, or else the only sheet holding data; problems
// name the sheet and cell ("Matrix!C7") in Problem.Column and the sheet row in Problem.Line. In
// CSV they name the line and the column's header.
func (s *Service) PlanMatrixImport(ctx context.Context, actor *core.Actor, data []byte, opts MatrixImportOptions) (*tabular.Report, error) {
	if err := s.checkMatrixImport(actor, &opts); err != nil {
		return nil, err
	}
	p, err := s.planMatrix(ctx, s.DB.Reader(), actor, data, opts)
	if err != nil {
		return nil, err
	}
	return p.report, nil
}

// ImportMatrix validates a skills matrix (see PlanMatrixImport) and, only when every cell is
// valid, records its new ratings in one transaction. When the report is not Valid nothing
// changed.
func (s *Service) ImportMatrix(ctx context.Context, actor *core.Actor, data []byte, opts MatrixImportOptions) (*tabular.Report, error) {
	if err := s.checkMatrixImport(actor, &opts); err != nil {
		return nil, err
	}
	var report *tabular.Report
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		report, err = s.importMatrixIn(ctx, tx, actor, data, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// importMatrixIn plans a matrix inside tx and records its ratings there when it is valid, for
// ImportMatrix and for an importer that runs several steps in one transaction.
func (s *Service) importMatrixIn(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, opts MatrixImportOptions) (*tabular.Report, error) {
	if err := s.checkMatrixImport(actor, &opts); err != nil {
		return nil, err
	}
	if tx.Dialect() == db.Postgres {
		// One matrix import at a time: a plan compares with the levels it was made from, and
		// recomputing replaces levels wholesale.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7341902130)`); err != nil {
			return nil, err
		}
	}
	p, err := s.planMatrix(ctx, tx, actor, data, opts)
	if err != nil {
		return nil, err
	}
	report := p.report
	if !report.Valid {
		return report, nil
	}
	file := "a skills matrix"
	if opts.Filename != "" {
		file = matrixTruncate(opts.Filename, 200)
	}
	summary := fmt.Sprintf("Imported %s: %d new %s ratings of %d people, %d cells unchanged",
		file, report.Create, opts.Source, len(report.Changes), report.Unchanged)
	if err := s.recordChecked(ctx, tx, actor, p.ratings, audit.Entry{Action: "skills.matrix_import", TargetType: "ratings", Summary: summary,
		Details: map[string]any{"rows": report.Rows, "create": report.Create, "unchanged": report.Unchanged, "source": opts.Source}}); err != nil {
		return nil, err
	}
	report.Applied = true
	return report, nil
}

// checkMatrixImport checks what does not depend on the file: the options, and that the actor
// may record ratings from the source at all.
func (s *Service) checkMatrixImport(actor *core.Actor, opts *MatrixImportOptions) error {
	if err := actor.Require(core.PermSkillsRate); err != nil {
		return err
	}
	opts.Source = strings.ToLower(strings.TrimSpace(opts.Source))
	opts.Format = strings.ToLower(strings.TrimSpace(opts.Format))
	if !slices.Contains(MatrixImportSources, opts.Source) {
		return core.Invalid("source", "choose manager or test")
	}
	if opts.Format != "" && opts.Format != "xlsx" && opts.Format != "csv" {
		return core.Invalid("format", "choose xlsx or csv")
	}
	if opts.Source == SourceTest {
		// The rule for tests does not depend on the person rated.
		return s.mayRate(actor, &org.Person{}, SourceTest)
	}
	return nil
}

// recordChecked stores ratings whose every permission and value was checked (a matrix plan, a
// self-assessment, a manager's validation) inside tx, rated by the actor, recomputes the current
// levels of everyone they touch and audits them as entry, with the number of people in its
// details. Unlike RecordRatings it needs no skills:write: the caller checked each rating by the
// rule of its source.
func (s *Service) recordChecked(ctx context.Context, tx *db.Tx, actor *core.Actor, ratings []RatingInput, entry audit.Entry) error {
	if len(ratings) == 0 {
		return nil
	}
	now := s.Clock.Now()
	var rater any
	if !actor.IsSystem() && actor.PersonID != "" {
		rater = actor.PersonID
	}
	rows := make([][]any, 0, len(ratings))
	people := map[string]bool{}
	for _, r := range ratings {
		rows = append(rows, []any{core.NewID(), r.PersonID, r.SkillID, r.Level, r.Source, rater, now, r.Note, r.EvidenceURL, now})
		people[r.PersonID] = true
	}
	if err := db.InsertMany(ctx, tx, "skill_ratings", []string{"id", "person_id", "skill_id", "level", "source", "rater_person_id",
		"rated_at", "note", "evidence_url", "created_at"}, rows); err != nil {
		return err
	}
	ids := make([]string, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if err := s.recomputePeople(ctx, tx, ids, now); err != nil {
		return err
	}
	if entry.Details == nil {
		entry.Details = map[string]any{}
	}
	entry.Details["people"] = len(ids)
	return s.audit(ctx, tx, actor, entry)
}

// matrixPlan is what a matrix file would record.
type matrixPlan struct {
	report  *tabular.Report
	table   *matrixTable
	cols    []matrixColumn
	ratings []RatingInput
}

// matrixColumn is what a column of the file holds: a person field (field), a skill, or nothing
// usable (an unknown skill or a column without a header: both nil).
type matrixColumn struct {
	field string
	skill *Skill
}

func (p *matrixPlan) problem(line, col int, value, format string, args ...any) {
	p.report.Problem(tabular.Problem{Line: line, Column: p.table.where(line, col), Value: value, Reason: fmt.Sprintf(format, args...)})
}

func (s *Service) planMatrix(ctx context.Context, q db.Queryer, actor *core.Actor, data []byte, opts MatrixImportOptions) (*matrixPlan, error) {
	report := tabular.NewReport("skills_matrix")
	p := &matrixPlan{report: report}
	t, err := readMatrix(report, data, opts)
	if err != nil {
		return nil, err
	}
	if t != nil {
		p.table = t
		report.Rows = len(t.rows)
		if err := s.checkMatrix(ctx, q, actor, p, opts); err != nil {
			return nil, err
		}
	}
	report.SortProblems()
	report.Valid = report.ProblemCount == 0
	if !report.Valid {
		// Counts describe a file that can be applied; an invalid one records nothing.
		report.Create, report.Unchanged, report.Changes, p.ratings = 0, 0, []tabular.Change{}, nil
	}
	return p, nil
}

// checkMatrix maps the columns, finds the people and checks every cell against their current
// levels and the rating rules.
func (s *Service) checkMatrix(ctx context.Context, q db.Queryer, actor *core.Actor, p *matrixPlan, opts MatrixImportOptions) error {
	t := p.table
	all, err := s.FindSkills(ctx, core.System, SkillFilter{Retired: true})
	if err != nil {
		return err
	}
	if !p.mapColumns(all) {
		return nil
	}
	if len(t.rows) == 0 {
		p.report.Problem(tabular.Problem{Line: t.headerLine, Reason: "the file has a header but no people"})
		return nil
	}
	scale, err := s.scale(ctx, q)
	if err != nil {
		return err
	}
	if len(scale) == 0 {
		return fmt.Errorf("plan matrix import: the proficiency scale is empty")
	}
	lo, hi := scale[0].Level, scale[len(scale)-1].Level
	people, err := s.matrixPeople(ctx, q, actor, p)
	if err != nil {
		return err
	}
	var found []*org.Person
	var skillCols []MatrixSkill
	for _, per := range people {
		found = append(found, per)
	}
	for _, c := range p.cols {
		if c.skill != nil {
			skillCols = append(skillCols, MatrixSkill{ID: c.skill.ID, Name: c.skill.Name})
		}
	}
	levels, err := s.levelsOf(ctx, q, found, skillCols)
	if err != nil {
		return err
	}
	note := "From a skills matrix import"
	if opts.Filename != "" {
		note = "From the skills matrix " + matrixTruncate(opts.Filename, 200)
	}
	firstLine := map[string]int{} // person id → line of their first row
	headless := map[int]bool{}    // columns without a header already reported
	for _, r := range t.rows {
		refCol, ref := p.personRef(r)
		var person *org.Person
		switch {
		case ref == "":
			if p.hasLevels(r) {
				p.problem(r.Line, p.personColumn(), "", "the row has levels but no employee number or email: fill it in so the levels can be matched to someone")
			}
		case people[p.cols[refCol].field+"\x00"+ref] == nil:
			p.problem(r.Line, refCol, ref, "unknown person: no current employee you can see has the %s %s", personFieldName(p.cols[refCol].field), ref)
		default:
			person = people[p.cols[refCol].field+"\x00"+ref]
			if first, dup := firstLine[person.ID]; dup {
				p.problem(r.Line, refCol, ref, "%s is already on %s %d: keep one row per person", person.Name(), t.lineWord(), first)
				person = nil
			} else {
				firstLine[person.ID] = r.Line
			}
		}
		var current map[string]levelValue
		if person != nil {
			current = levels[person.ID]
		}
		var changed []string
		var ratings []RatingInput
		for j := range max(len(p.cols), len(r.Fields)) {
			c := p.column(j)
			v := t.cell(r, j)
			if v == "" || c.field != "" {
				continue
			}
			if c.skill == nil {
				if (j >= len(t.header) || t.header[j] == "") && !headless[j] {
					headless[j] = true
					p.problem(r.Line, j, v, "this column has no header: name its skill in the header (%s %d)", t.lineWord(), t.headerLine)
				}
				continue
			}
			if f := t.formulas[matrixCell{r.Line, j}]; f != "" {
				p.problem(r.Line, j, "="+f, "the cell holds a formula: enter the level as a number")
				continue
			}
			level, ok := parseMatrixLevel(v)
			if !ok {
				p.problem(r.Line, j, v, "%q is not a level: enter the level as a number from %d to %d", v, lo, hi)
				continue
			}
			cur, rated := current[c.skill.ID]
			if rated && math.Abs(level-roundTenth(cur.Level)) < 1e-6 {
				p.report.Unchanged++
				continue
			}
			if level < float64(lo) || level > float64(hi) {
				p.problem(r.Line, j, v, "%s is outside the scale (%d to %d)", formatMatrixLevel(level), lo, hi)
				continue
			}
			if person == nil {
				continue
			}
			if level != math.Trunc(level) {
				if rated {
					p.problem(r.Line, j, v, "%s is not a whole level: a new rating is a whole number from %d to %d (the current level, %s, may stay as it is)",
						formatMatrixLevel(level), lo, hi, formatMatrixLevel(roundTenth(cur.Level)))
				} else {
					p.problem(r.Line, j, v, "%s is not a whole level: a new rating is a whole number from %d to %d", formatMatrixLevel(level), lo, hi)
				}
				continue
			}
			changed = append(changed, c.skill.Name)
			ratings = append(ratings, RatingInput{PersonID: person.ID, SkillID: c.skill.ID, Level: int(level), Source: opts.Source, Note: note})
		}
		if len(ratings) == 0 {
			continue
		}
		if err := s.mayRate(actor, person, opts.Source); err != nil {
			if core.AsError(err) == nil {
				return err
			}
			p.problem(r.Line, refCol, ref, "%s", core.ErrorMessage(err))
			continue
		}
		p.ratings = append(p.ratings, ratings...)
		key := person.EmployeeNumber
		if key == "" {
			key = person.Email
		}
		p.report.AddChange(tabular.Change{Line: r.Line, Kind: "update", Key: key, Name: person.Name(), Fields: changed})
	}
	p.report.Create = len(p.ratings)
	return nil
}

// mapColumns reads the header: person columns by name, every other column a skill. It reports
// false when the file cannot be checked further.
func (p *matrixPlan) mapColumns(all []*Skill) bool {
	t := p.table
	lookup := map[string]string{}
	for field, names := range matrixImportColumns {
		for _, n := range names {
			lookup[tabular.Key(n)] = field
		}
	}
	active, retired := map[string]*Skill{}, map[string]*Skill{}
	aliases := map[string][]*Skill{}
	for _, sk := range all {
		if sk.Retired {
			retired[foldSkillName(sk.Name)] = sk
			for _, a := range sk.Aliases {
				retired[foldSkillName(a)] = sk
			}
			continue
		}
		active[foldSkillName(sk.Name)] = sk
		for _, a := range sk.Aliases {
			aliases[foldSkillName(a)] = append(aliases[foldSkillName(a)], sk)
		}
	}
	line := t.headerLine
	skills := 0
	for _, h := range t.header {
		if _, person := lookup[tabular.Key(h)]; h != "" && (!person || active[foldSkillName(h)] != nil) {
			skills++
		}
	}
	if skills > MaxMatrixSkills {
		p.report.Problem(tabular.Problem{Line: line, Reason: fmt.Sprintf("the file has more than %d skill columns: import the matrix in parts", MaxMatrixSkills)})
		return false
	}
	p.cols = make([]matrixColumn, len(t.header))
	fieldAt, skillAt := map[string]int{}, map[string]int{}
	for j, h := range t.header {
		if h == "" {
			continue
		}
		field, ok := lookup[tabular.Key(h)]
		if info := field != "employee_number" && field != "email"; ok && info && active[foldSkillName(h)] != nil {
			ok = false // a skill of that very name is the likelier meaning
		}
		if ok {
			p.cols[j].field = field
			if field != "employee_number" && field != "email" {
				p.report.Ignored = append(p.report.Ignored, h)
				continue
			}
			if first, dup := fieldAt[field]; dup {
				p.problem(line, j, h, "this column and %q both hold the %s; keep one", t.header[first], personFieldName(field))
				p.cols[j].field = "duplicate"
				continue
			}
			fieldAt[field] = j
			continue
		}
		key := foldSkillName(h)
		sk := active[key]
		if sk == nil {
			switch named := aliases[key]; len(named) {
			case 0:
				if r := retired[key]; r != nil {
					p.problem(line, j, h, "the skill %s is retired: remove the column", r.Name)
				} else {
					p.problem(line, j, h, "unknown skill %q: every column but the person's employee number, email, name, job role and org unit must name a skill of the framework (by its name or an alias)", h)
				}
				continue
			case 1:
				sk = named[0]
			default:
				names := make([]string, len(named))
				for i, n := range named {
					names[i] = n.Name
				}
				slices.Sort(names)
				p.problem(line, j, h, "%q is an alias of several skills (%s): use the skill's name", h, strings.Join(names, ", "))
				continue
			}
		}
		if first, dup := skillAt[sk.ID]; dup {
			p.problem(line, j, h, "this column and %q (%s) are both the skill %s; keep one", t.header[first], t.where(line, first), sk.Name)
			continue
		}
		skillAt[sk.ID] = j
		p.cols[j].skill = sk
	}
	if _, ok := fieldAt["employee_number"]; !ok {
		if _, ok := fieldAt["email"]; !ok {
			p.report.Problem(tabular.Problem{Line: line, Reason: "missing column Employee number (or Email) naming the person of each row; accepted headers: " +
				strings.Join(slices.Concat(matrixImportColumns["employee_number"], matrixImportColumns["email"]), ", ")})
			return false
		}
	}
	return true
}

// personRef returns the column and value naming the person of a row: the employee number, or
// the email when the employee number is empty. col is that of the employee number when both are
// empty.
func (p *matrixPlan) personRef(r tabular.Row) (int, string) {
	col := p.personColumn()
	for _, field := range []string{"employee_number", "email"} {
		for j, c := range p.cols {
			if c.field != field {
				continue
			}
			if v := p.table.cell(r, j); v != "" {
				if field == "email" {
					v = strings.ToLower(v)
				}
				return j, v
			}
		}
	}
	return col, ""
}

// personColumn is the first column naming people: where a row without one is reported.
func (p *matrixPlan) personColumn() int {
	for _, field := range []string{"employee_number", "email"} {
		for j, c := range p.cols {
			if c.field == field {
				return j
			}
		}
	}
	return 0
}

// column returns what column j holds; columns past the header hold nothing usable.
func (p *matrixPlan) column(j int) matrixColumn {
	if j < len(p.cols) {
		return p.cols[j]
	}
	return matrixColumn{}
}

// hasLevels reports whether a row holds anything in a column that is not a person column.
func (p *matrixPlan) hasLevels(r tabular.Row) bool {
	for j, v := range r.Fields {
		if v != "" && p.column(j).field == "" {
			return true
		}
	}
	return false
}

func personFieldName(field string) string {
	if field == "email" {
		return "email"
	}
	return "employee number"
}

// matrixPeople finds the people the rows name among the current employees the actor may see,
// keyed by field and value ("employee_number\x00E3"). Anyone else is missing, so that the
// import does not reveal who works here outside the actor's scope.
func (s *Service) matrixPeople(ctx context.Context, q db.Queryer, actor *core.Actor, p *matrixPlan) (map[string]*org.Person, error) {
	wanted := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range p.table.rows {
		col, ref := p.personRef(r)
		if ref == "" {
			continue
		}
		field := p.cols[col].field
		if k := field + "\x00" + ref; !seen[k] {
			seen[k] = true
			wanted[field] = append(wanted[field], ref)
		}
	}
	out := map[string]*org.Person{}
	byID := map[string]*org.Person{}
	for _, field := range []string{"employee_number", "email"} {
		refs := wanted[field]
		for start := 0; start < len(refs); start += 500 {
			chunk := refs[start:min(start+500, len(refs))]
			args := make([]any, len(chunk))
			for i, v := range chunk {
				args[i] = v
			}
			rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(employee_number, ''), given_name, family_name, COALESCE(email, ''), status, reports_path
				FROM people WHERE status = 'active' AND `+field+` IN `+db.In(len(chunk)), args...)
			if err != nil {
				return nil, fmt.Errorf("find the people of a matrix: %w", err)
			}
			for rows.Next() {
				per := &org.Person{}
				if err := rows.Scan(&per.ID, &per.EmployeeNumber, &per.GivenName, &per.FamilyName, &per.Email, &per.Status, &per.ReportsPath); err != nil {
					rows.Close()
					return nil, err
				}
				if known := byID[per.ID]; known != nil {
					per = known // named by employee number in one row and by email in another
				}
				byID[per.ID] = per
				key := per.EmployeeNumber
				if field == "email" {
					key = per.Email
				}
				out[field+"\x00"+key] = per
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	if actor.SeesAllPeople() {
		return out, nil
	}
	// Everyone else sees part of the organization: the people service says who.
	visible := map[string]bool{}
	for id := range byID {
		_, err := s.Org.FindPersonByID(ctx, actor, id)
		switch {
		case err == nil:
			visible[id] = true
		case core.ErrorCode(err) != core.ENOTFOUND:
			return nil, err
		}
	}
	for k, per := range out {
		if !visible[per.ID] {
			delete(out, k)
		}
	}
	return out, nil
}

// parseMatrixLevel reads a number as people type it: "3", "3.3", or "3,3" where a comma is the
// decimal separator.
func parseMatrixLevel(v string) (float64, bool) {
	if strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		v = strings.Replace(v, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func formatMatrixLevel(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// foldSkillName compares skill names as people write them: case and runs of spaces do not matter.
func foldSkillName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func matrixTruncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// matrixTable is a matrix file read into text cells, whatever its format.
type matrixTable struct {
	sheet      string // the worksheet read; "" for CSV
	header     []string
	headerLine int
	rows       []tabular.Row // non-empty rows below the header; Line is the file line or sheet row
	formulas   map[matrixCell]string
}

type matrixCell struct{ line, col int }

// cell returns a trimmed cell of a row ("" past its end).
func (t *matrixTable) cell(r tabular.Row, col int) string {
	if col < len(r.Fields) {
		return r.Fields[col]
	}
	return ""
}

// where locates a cell for a problem: "Matrix!C7" in a workbook, the column's header in CSV.
func (t *matrixTable) where(line, col int) string {
	if t.sheet == "" {
		if col < len(t.header) && t.header[col] != "" {
			return t.header[col]
		}
		return fmt.Sprintf("column %d", col+1)
	}
	name, err := excelize.CoordinatesToCellName(col+1, max(line, 1))
	if err != nil {
		return matrixSheetRef(t.sheet)
	}
	return matrixSheetRef(t.sheet) + "!" + name
}

func (t *matrixTable) lineWord() string {
	if t.sheet == "" {
		return "line"
	}
	return "row"
}

// matrixSheetRef writes a sheet name as formulas do, quoted when it is not a plain word.
func matrixSheetRef(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))) {
			plain = false
		}
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// readMatrix reads a matrix file into report: its table when the file can be read at all, else
// nil and the problem that stops it.
func readMatrix(report *tabular.Report, data []byte, opts MatrixImportOptions) (*matrixTable, error) {
	format := opts.Format
	if format == "" {
		format = "csv"
		if isZipFile(data) || isOLEFile(data) {
			format = "xlsx"
		}
	}
	if format == "xlsx" {
		return readMatrixXLSX(report, data), nil
	}
	return readMatrixCSV(report, data, opts.Encoding)
}

func isZipFile(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// isOLEFile recognises a compound document: an encrypted workbook or an old .xls file.
func isOLEFile(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
}

func matrixFileProblem(report *tabular.Report, format string, args ...any) {
	report.Problem(tabular.Problem{Reason: fmt.Sprintf(format, args...)})
}

func readMatrixCSV(report *tabular.Report, data []byte, encoding string) (*matrixTable, error) {
	if isZipFile(data) || isOLEFile(data) {
		matrixFileProblem(report, "the file is an Excel workbook, not CSV: import it as XLSX")
		return nil, nil
	}
	table, err := tabular.Read(data, tabular.Options{Encoding: encoding})
	if err != nil {
		var fe *tabular.FileError
		if errors.As(err, &fe) {
			report.Problem(fe.Problem)
			return nil, nil
		}
		return nil, err
	}
	if len(table.Rows) > MaxMatrixRows {
		matrixFileProblem(report, "the file has more than %d rows: import the matrix in parts", MaxMatrixRows)
		return nil, nil
	}
	for _, pr := range table.Problems {
		report.Problem(pr)
	}
	t := &matrixTable{headerLine: 1, header: table.Header}
	for i, h := range t.header {
		t.header[i] = tabular.Unescape(h)
	}
	for _, r := range table.Rows {
		for i, f := range r.Fields {
			r.Fields[i] = tabular.Unescape(strings.TrimSpace(f))
		}
		t.rows = append(t.rows, r)
	}
	return t, nil
}

// readMatrixXLSX reads the matrix sheet of a workbook: the sheet named "Matrix", or else the only
// sheet holding data. Other sheets are listed in report.Ignored.
func readMatrixXLSX(report *tabular.Report, data []byte) (t *matrixTable) {
	const damaged = "the workbook cannot be read: it may be damaged; open it in Excel and save it again"
	switch {
	case isOLEFile(data):
		matrixFileProblem(report, "the workbook is password-protected or in the old .xls format: save it as an .xlsx workbook without a password")
		return nil
	case !isZipFile(data):
		matrixFileProblem(report, "the file is not an XLSX workbook")
		return nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		matrixFileProblem(report, "the file is not a valid XLSX workbook: it may be damaged or incomplete")
		return nil
	}
	var size uint64
	workbook := false
	for _, zf := range zr.File {
		size += zf.UncompressedSize64
		workbook = workbook || strings.EqualFold(zf.Name, "xl/workbook.xml")
	}
	if !workbook {
		matrixFileProblem(report, "the file is a zip archive but not an XLSX workbook: save the matrix as .xlsx or .csv")
		return nil
	}
	if size > MaxMatrixUnzipped {
		matrixFileProblem(report, "the workbook unpacks to more than %d MB: import the matrix in parts", MaxMatrixUnzipped>>20)
		return nil
	}
	// excelize answers formulas and merged cells only from a fully parsed sheet, which costs more
	// than reading it; most sheets have neither, and their XML says so.
	cellChecks, err := hasFormulasOrMerges(zr)
	if err != nil {
		matrixFileProblem(report, "the file is not a valid XLSX workbook: it may be damaged or incomplete")
		return nil
	}
	// A damaged workbook can trip the reader anywhere; it is the file's problem, not the server's.
	defer func() {
		if recover() != nil {
			report.Problem(tabular.Problem{Reason: damaged})
			t = nil
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxMatrixUnzipped, UnzipXMLSizeLimit: MaxMatrixUnzipped})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		matrixFileProblem(report, damaged)
		return nil
	}
	defer f.Close()
	sheets := f.GetSheetList()
	name := ""
	for _, sh := range sheets {
		if strings.EqualFold(sh, SheetMatrix) {
			name = sh
		}
	}
	if name == "" {
		var withData []string
		for _, sh := range sheets {
			has, err := matrixSheetHasData(f, sh)
			if err != nil {
				matrixFileProblem(report, damaged)
				return nil
			}
			if has {
				withData = append(withData, sh)
			}
		}
		switch len(withData) {
		case 0:
			matrixFileProblem(report, "the workbook has no rows")
			return nil
		case 1:
			name = withData[0]
		default:
			matrixFileProblem(report, "the workbook has several sheets with data (%s) and none is named %q: name the matrix sheet %q or remove the others",
				strings.Join(withData, ", "), SheetMatrix, SheetMatrix)
			return nil
		}
	}
	for _, sh := range sheets {
		if sh != name {
			report.Ignored = append(report.Ignored, fmt.Sprintf("sheet %q", sh))
		}
	}
	t = &matrixTable{sheet: name, formulas: map[matrixCell]string{}}
	if !readMatrixSheet(report, f, t) {
		return nil
	}
	if !cellChecks {
		return t
	}
	merged, err := f.GetMergeCells(name, true)
	if err != nil {
		matrixFileProblem(report, damaged)
		return nil
	}
	mergedData := false
	for _, m := range merged {
		ref := strings.SplitN(m[0], ":", 2)
		_, top, err1 := excelize.CellNameToCoordinates(ref[0])
		_, bottom, err2 := excelize.CellNameToCoordinates(ref[len(ref)-1])
		if err1 != nil || err2 != nil || max(top, bottom) < t.headerLine {
			continue
		}
		mergedData = true
		report.Problem(tabular.Problem{Line: max(min(top, bottom), t.headerLine), Column: matrixSheetRef(name) + "!" + ref[0], Value: m[0],
			Reason: fmt.Sprintf("merged cells (%s): unmerge them so that each cell holds its own value", m[0])})
	}
	if mergedData {
		// Every lookup in a sheet with merged cells walks them all; the file is refused anyway.
		return t
	}
	// Formulas: a level is entered, not computed. Only cells with a value can hold a level.
	for _, r := range t.rows {
		for j, v := range r.Fields {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, r.Line)
			formula, err := f.GetCellFormula(name, ref)
			if err != nil {
				matrixFileProblem(report, damaged)
				return nil
			}
			if formula != "" {
				t.formulas[matrixCell{r.Line, j}] = formula
			}
		}
	}
	return t
}

// readMatrixSheet reads the header (the first non-empty row) and the non-empty rows below it.
func readMatrixSheet(report *tabular.Report, f *excelize.File, t *matrixTable) bool {
	rows, err := f.Rows(t.sheet)
	if err != nil {
		matrixFileProblem(report, "the sheet %s cannot be read", t.sheet)
		return false
	}
	defer rows.Close()
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			report.Problem(tabular.Problem{Line: line, Column: matrixSheetRef(t.sheet), Reason: fmt.Sprintf("row %d cannot be read", line)})
			return false
		}
		empty := true
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
			empty = empty && cells[i] == ""
		}
		if empty {
			continue
		}
		if t.header == nil {
			t.header, t.headerLine = cells, line
			continue
		}
		if len(t.rows) == MaxMatrixRows {
			matrixFileProblem(report, "the sheet %s has more than %d rows: import the matrix in parts", t.sheet, MaxMatrixRows)
			return false
		}
		t.rows = append(t.rows, tabular.Row{Line: line, Fields: cells})
	}
	if err := rows.Error(); err != nil {
		matrixFileProblem(report, "the sheet %s cannot be read: it may be damaged; open it in Excel and save it again", t.sheet)
		return false
	}
	if t.header == nil {
		matrixFileProblem(report, "the sheet %s has no rows", t.sheet)
		return false
	}
	return true
}

// matrixSheetHasData reports whether a sheet holds any non-empty cell.
func matrixSheetHasData(f *excelize.File, sheet string) (bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false, err
		}
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				return true, nil
			}
		}
	}
	return false, rows.Error()
}

// hasFormulasOrMerges reports whether any worksheet of a workbook holds a formula or merged cells.
func hasFormulasOrMerges(zr *zip.Reader) (bool, error) {
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return false, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, MaxMatrixUnzipped+1))
		rc.Close()
		if err != nil {
			return false, err
		}
		if hasElement(data, "f", "mergeCell") {
			return true, nil
		}
	}
	return false, nil
}

// hasElement reports whether XML text holds an element of one of the names, with or without a
// namespace prefix.
func hasElement(data []byte, names ...string) bool {
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			return false
		}
		start := i + j + 1
		end := start
		for end < len(data) && !strings.ContainsRune(" \t\r\n/>", rune(data[end])) {
			end++
		}
		tag := data[start:end]
		if c := bytes.LastIndexByte(tag, ':'); c >= 0 {
			tag = tag[c+1:]
		}
		for _, n := range names {
			if string(tag) == n {
				return true
			}
		}
		i = end
	}
	return false
}
