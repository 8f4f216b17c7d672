package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/tabular"
)

// The columns of a people file, each with the header names HR systems use for it.
var peopleColumns = map[string][]string{
	"employee_number": {"employee number", "employee id", "employee no", "emp no", "emp id", "personnel number", "worker id", "staff id", "staff number"},
	"given_name":      {"given name", "first name", "firstname", "forename"},
	"family_name":     {"family name", "last name", "lastname", "surname"},
	"email":           {"email", "email address", "work email", "business email", "mail"},
	"job_title":       {"job title", "title", "position", "position title", "business title"},
	"job_role":        {"job role", "role", "job profile"},
	"org_unit":        {"org unit", "org unit code", "organization unit", "organisation unit", "department", "department code", "team", "unit"},
	"manager":         {"manager", "manager id", "manager employee number", "manager employee id", "manager email", "supervisor", "supervisor id", "reports to", "line manager"},
	"location":        {"location", "office", "work location", "site"},
	"time_zone":       {"time zone", "timezone", "tz"},
	"hire_date":       {"hire date", "start date", "date of hire", "hired", "join date"},
	"status":          {"status", "employment status"},
	"left_on":         {"left on", "leaving date", "termination date", "end date", "left date"},
}

// PeopleColumnOrder is the column order of exported people files, which import unchanged.
var PeopleColumnOrder = []string{"employee_number", "given_name", "family_name", "email", "job_title", "job_role", "org_unit",
	"manager", "location", "time_zone", "hire_date", "status", "left_on"}

var statusWords = map[string]string{
	"active": StatusActive, "a": StatusActive, "employed": StatusActive, "current": StatusActive, "yes": StatusActive, "true": StatusActive,
	"left": StatusLeft, "l": StatusLeft, "terminated": StatusLeft, "t": StatusLeft, "inactive": StatusLeft, "leaver": StatusLeft,
	"former": StatusLeft, "no": StatusLeft, "false": StatusLeft,
}

// ImportOptions tunes a people import.
type ImportOptions struct {
	// Full means the file lists everyone: active people with an employee number who are missing
	// from it are marked as left. People without an employee number (accounts created by hand)
	// are never touched by an import.
	Full bool `json:"full"`
	// Encoding of the file when it has no byte-order mark: "" (UTF-8) or a tabular.Encodings key.
	Encoding string `json:"encoding,omitempty"`
	// Filename is recorded in the audit log.
	Filename string `json:"filename,omitempty"`
}

// ImportReport says what an import found and would do (or did).
type ImportReport = tabular.Report

// Change is one planned change of an import.
type Change = tabular.Change

// PlanImport validates a people file against the current data and reports what importing it
// would change, changing nothing.
func (s *Service) PlanImport(ctx context.Context, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	p, err := s.plan(ctx, s.DB.Reader(), data, opts)
	if err != nil {
		return nil, err
	}
	return p.report, nil
}

// Import validates a people file and, only when every row is valid, applies it in one
// transaction. The report says what was done; when it is not Valid nothing changed.
func (s *Service) Import(ctx context.Context, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	var report *ImportReport
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		report, err = s.importIn(ctx, tx, actor, data, opts)
		return err
	})
	return report, err
}

// importIn plans and, when valid, applies a people file inside tx.
func (s *Service) importIn(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, opts ImportOptions) (*ImportReport, error) {
	if tx.Dialect() == db.Postgres {
		// One import at a time: a plan is only valid against the data it was made from.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7341902118)`); err != nil {
			return nil, err
		}
	}
	p, err := s.plan(ctx, tx, data, opts)
	if err != nil {
		return nil, err
	}
	if !p.report.Valid {
		return p.report, nil
	}
	if err := s.apply(ctx, tx, actor, p); err != nil {
		return nil, err
	}
	p.report.Applied = true
	return p.report, nil
}

// importRow is one parsed line of the file.
type importRow struct {
	line       int
	in         PersonInput
	roleName   string
	managerRef string
	target     *stored // the existing person this row updates, nil when new
	id         string
	bad        bool
}

// stored is a person as the database holds them, for comparison.
type stored struct {
	Person
	inFile bool
}

type plan struct {
	report  *ImportReport
	cols    *tabular.Columns
	rows    []*importRow
	newRole map[string]string // lower name → new id
	roleIDs map[string]string // lower name → id (existing and new)
	creates []*Person
	updates []*Person
	leaves  []*Person
	moved   []*Person       // people whose only change is their reports path
	rekeyed map[string]bool // people whose employee number or email changes
	today   core.Date
	opts    ImportOptions
}

func (s *Service) plan(ctx context.Context, q db.Queryer, data []byte, opts ImportOptions) (*plan, error) {
	report := tabular.NewReport("people")
	p := &plan{report: report, opts: opts, newRole: map[string]string{}, rekeyed: map[string]bool{}, today: core.DateOf(s.Clock.Now())}
	table, cols, err := tabular.ReadFile(report, data, opts.Encoding, peopleColumns, []string{"employee_number", "given_name", "family_name"}, "people")
	if err != nil || cols == nil {
		return p, err
	}
	p.cols = cols
	ref, err := s.loadRefData(ctx, q)
	if err != nil {
		return nil, err
	}
	p.parseRows(table, ref)
	p.resolve(ref)
	report.SortProblems()
	report.Valid = report.ProblemCount == 0
	if report.Valid {
		p.diff(ref)
	}
	return p, nil
}

// refData is the current organization, loaded once per plan.
type refData struct {
	people    []*stored
	byNumber  map[string]*stored
	byEmail   map[string]*stored
	byID      map[string]*stored
	unitCode  map[string]string   // lower code → id
	unitName  map[string][]string // lower name → ids
	unitCodes map[string]string   // id → code
	roles     map[string]string   // lower name → id
	roleNames map[string]string   // id → name
}

func (s *Service) loadRefData(ctx context.Context, q db.Queryer) (*refData, error) {
	ref := &refData{byNumber: map[string]*stored{}, byEmail: map[string]*stored{}, byID: map[string]*stored{},
		unitCode: map[string]string{}, unitName: map[string][]string{}, unitCodes: map[string]string{},
		roles: map[string]string{}, roleNames: map[string]string{}}
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(employee_number, ''), given_name, family_name, COALESCE(email, ''), job_title,
		COALESCE(job_role_id, ''), COALESCE(org_unit_id, ''), COALESCE(manager_id, ''), location, time_zone, hire_date, status, left_on, reports_path
		FROM people`)
	if err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		st := &stored{}
		p := &st.Person
		if err := rows.Scan(&p.ID, &p.EmployeeNumber, &p.GivenName, &p.FamilyName, &p.Email, &p.JobTitle, &p.JobRoleID, &p.OrgUnitID,
			&p.ManagerID, &p.Location, &p.TimeZone, &p.HireDate, &p.Status, &p.LeftOn, &p.ReportsPath); err != nil {
			return nil, err
		}
		ref.people = append(ref.people, st)
		ref.byID[p.ID] = st
		if p.EmployeeNumber != "" {
			ref.byNumber[p.EmployeeNumber] = st
		}
		if p.Email != "" {
			ref.byEmail[p.Email] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	urows, err := q.QueryContext(ctx, `SELECT id, code, name FROM org_units`)
	if err != nil {
		return nil, fmt.Errorf("load org units: %w", err)
	}
	defer urows.Close()
	for urows.Next() {
		var id, code, name string
		if err := urows.Scan(&id, &code, &name); err != nil {
			return nil, err
		}
		ref.unitCode[strings.ToLower(code)] = id
		ref.unitName[strings.ToLower(name)] = append(ref.unitName[strings.ToLower(name)], id)
		ref.unitCodes[id] = code
	}
	if err := urows.Err(); err != nil {
		return nil, err
	}
	rrows, err := q.QueryContext(ctx, `SELECT id, name FROM job_roles`)
	if err != nil {
		return nil, fmt.Errorf("load job roles: %w", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var id, name string
		if err := rrows.Scan(&id, &name); err != nil {
			return nil, err
		}
		ref.roles[strings.ToLower(name)] = id
		ref.roleNames[id] = name
	}
	return ref, rrows.Err()
}

// parseRows reads every row into an input, checking each field on its own.
func (p *plan) parseRows(t *tabular.Table, ref *refData) {
	c := p.cols
	firstNumber, firstEmail := map[string]int{}, map[string]int{}
	for _, tr := range t.Rows {
		r := &importRow{line: tr.Line}
		bad := func(field, value, format string, args ...any) {
			r.bad = true
			p.report.Problem(tabular.Problem{Line: tr.Line, Column: c.Name(field), Value: value, Reason: fmt.Sprintf(format, args...)})
		}
		in := &r.in
		in.EmployeeNumber = c.Get(tr, "employee_number")
		in.GivenName, in.FamilyName = c.Get(tr, "given_name"), c.Get(tr, "family_name")
		in.Email, in.JobTitle = c.Get(tr, "email"), c.Get(tr, "job_title")
		in.Location, in.TimeZone = c.Get(tr, "location"), c.Get(tr, "time_zone")
		r.roleName, r.managerRef = trimmed(c.Get(tr, "job_role")), c.Get(tr, "manager")
		if v := c.Get(tr, "status"); v != "" {
			st, ok := statusWords[strings.ToLower(v)]
			if !ok {
				bad("status", v, "unknown status %q: use active or left", v)
			}
			in.Status = st
		}
		for _, f := range []struct {
			field string
			dst   *core.Date
		}{{"hire_date", &in.HireDate}, {"left_on", &in.LeftOn}} {
			if v := c.Get(tr, f.field); v != "" {
				d, err := core.ParseDate(v)
				if err != nil {
					bad(f.field, v, "%q is not a date: use YYYY-MM-DD", v)
				}
				*f.dst = d
			}
		}
		in.normalize()
		if in.EmployeeNumber == "" {
			// Only a person added by hand (no employee number) may be named by email alone;
			// resolve checks that one exists.
			if in.Email == "" {
				bad("employee_number", "", "the employee number is empty")
			}
		} else if first, dup := firstNumber[in.EmployeeNumber]; dup {
			bad("employee_number", in.EmployeeNumber, "duplicate employee number %s (first on line %d)", in.EmployeeNumber, first)
		} else {
			firstNumber[in.EmployeeNumber] = tr.Line
		}
		if in.Email != "" {
			if first, dup := firstEmail[in.Email]; dup {
				bad("email", in.Email, "duplicate email %s (first on line %d)", in.Email, first)
			} else {
				firstEmail[in.Email] = tr.Line
			}
		}
		var v core.Validation
		in.validate(&v)
		if e := core.AsError(v.Err()); e != nil {
			for _, f := range []string{"given_name", "family_name", "employee_number", "email", "job_title", "location", "time_zone", "status", "left_on"} {
				if msg, ok := e.Fields[f]; ok {
					bad(f, fieldValue(in, f), "%s", msg)
				}
			}
		}
		if v := c.Get(tr, "org_unit"); v != "" {
			id, msg := resolveUnit(ref, v)
			if msg != "" {
				bad("org_unit", v, "%s", msg)
			}
			in.OrgUnitID = id
		}
		if r.roleName != "" {
			if len([]rune(r.roleName)) > 200 {
				bad("job_role", r.roleName, "must be at most 200 characters")
			}
			key := strings.ToLower(r.roleName)
			if _, ok := ref.roles[key]; !ok {
				if _, ok := p.newRole[key]; !ok {
					p.newRole[key] = core.NewID()
					p.report.NewRoles = append(p.report.NewRoles, r.roleName)
				}
			}
		}
		p.rows = append(p.rows, r)
	}
}

func fieldValue(in *PersonInput, f string) string {
	switch f {
	case "given_name":
		return in.GivenName
	case "family_name":
		return in.FamilyName
	case "employee_number":
		return in.EmployeeNumber
	case "email":
		return in.Email
	case "time_zone":
		return in.TimeZone
	case "status":
		return in.Status
	case "left_on":
		return in.LeftOn.String()
	}
	return ""
}

// resolveUnit finds an org unit by code, then by name (which must then be unique).
func resolveUnit(ref *refData, v string) (string, string) {
	key := strings.ToLower(v)
	if id, ok := ref.unitCode[key]; ok {
		return id, ""
	}
	switch ids := ref.unitName[key]; len(ids) {
	case 0:
		return "", fmt.Sprintf("unknown org unit %q: create it first or use an existing unit's code", v)
	case 1:
		return ids[0], ""
	default:
		return "", fmt.Sprintf("%d org units are named %q: use the unit's code", len(ids), v)
	}
}

// resolve matches rows to stored people, fills the columns the file lacks from what is stored,
// resolves managers and checks the final state: unique emails, known managers, no cycles.
func (p *plan) resolve(ref *refData) {
	c := p.cols
	bad := func(r *importRow, field, value, format string, args ...any) {
		r.bad = true
		p.report.Problem(tabular.Problem{Line: r.line, Column: c.Name(field), Value: value, Reason: fmt.Sprintf(format, args...)})
	}
	for _, r := range p.rows {
		if st, ok := ref.byNumber[r.in.EmployeeNumber]; ok && r.in.EmployeeNumber != "" {
			r.target = st
		} else if st, ok := ref.byEmail[r.in.Email]; ok && r.in.Email != "" && st.EmployeeNumber == "" {
			// A person created by hand (an administrator's account) is linked to their HR record by email.
			r.target = st
		}
		if r.target == nil && r.in.EmployeeNumber == "" {
			if r.in.Email != "" {
				bad(r, "employee_number", "", "the employee number is empty, and no one without an employee number has the email %s", r.in.Email)
			}
			r.id = core.NewID()
			continue
		}
		if r.target == nil {
			r.id = core.NewID()
			continue
		}
		r.id = r.target.ID
		r.target.inFile = true
		p.keepStored(r)
	}
	// The final state: who holds which employee number and email once the file is applied.
	finalNumber := map[string]string{}
	finalEmail := map[string]string{}
	outside := map[string]*stored{} // stored people the file does not mention
	for _, st := range ref.people {
		if st.inFile {
			continue
		}
		outside[st.ID] = st
		if st.EmployeeNumber != "" {
			finalNumber[st.EmployeeNumber] = st.ID
		}
		if st.Email != "" {
			finalEmail[st.Email] = st.ID
		}
	}
	for _, r := range p.rows {
		if r.in.Email == "" {
			continue
		}
		if owner, ok := outside[finalEmail[r.in.Email]]; ok {
			bad(r, "email", r.in.Email, "email %s already belongs to %s (%s)", r.in.Email, owner.Name(), orDash(owner.EmployeeNumber))
		}
	}
	for _, r := range p.rows {
		if r.in.EmployeeNumber != "" {
			finalNumber[r.in.EmployeeNumber] = r.id
		}
		if r.in.Email != "" {
			finalEmail[r.in.Email] = r.id
		}
	}
	managerOf := map[string]string{} // person id → manager id, final state
	for id, st := range outside {
		managerOf[id] = st.ManagerID
	}
	for _, r := range p.rows {
		if c.Has("manager") {
			r.in.ManagerID = ""
			if m := r.managerRef; m != "" {
				id := finalNumber[m]
				if strings.Contains(m, "@") {
					id = finalEmail[strings.ToLower(m)]
				}
				st := outside[id]
				switch {
				case id == "":
					bad(r, "manager", m, "unknown manager %q: no one in the file or in learnloop has this employee number or email", m)
				case id == r.id:
					bad(r, "manager", m, "a person cannot be their own manager")
				case st != nil && p.opts.Full && st.EmployeeNumber != "" && st.Status == StatusActive:
					bad(r, "manager", m, "manager %s is not in the file, so this full import would mark them as left", m)
				default:
					r.in.ManagerID = id
				}
			}
		}
		managerOf[r.id] = r.in.ManagerID
	}
	p.findCycles(managerOf)
}

// keepStored fills the fields of a row whose column the file lacks with the stored values, so
// that a file with fewer columns changes only what it has.
func (p *plan) keepStored(r *importRow) {
	st, c := &r.target.Person, p.cols
	keep := func(field string, dst *string, v string) {
		if !c.Has(field) {
			*dst = v
		}
	}
	keep("email", &r.in.Email, st.Email)
	keep("job_title", &r.in.JobTitle, st.JobTitle)
	keep("org_unit", &r.in.OrgUnitID, st.OrgUnitID)
	keep("manager", &r.in.ManagerID, st.ManagerID)
	keep("location", &r.in.Location, st.Location)
	keep("time_zone", &r.in.TimeZone, st.TimeZone)
	if !c.Has("hire_date") {
		r.in.HireDate = st.HireDate
	}
	if !c.Has("left_on") && r.in.Status == st.Status {
		r.in.LeftOn = st.LeftOn
	}
}

// findCycles reports every row whose manager chain loops back on itself.
func (p *plan) findCycles(managerOf map[string]string) {
	rowOf := make(map[string]*importRow, len(p.rows))
	for _, r := range p.rows {
		rowOf[r.id] = r
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int, len(managerOf))
	for _, r := range p.rows {
		var path []string
		id := r.id
		for id != "" && state[id] == unseen {
			state[id] = onPath
			path = append(path, id)
			id = managerOf[id]
		}
		if id != "" && state[id] == onPath {
			// The loop is the part of the path from id onwards.
			loop := path[slices.Index(path, id):]
			names := make([]string, 0, len(loop)+1)
			for _, m := range append(loop, id) {
				if mr := rowOf[m]; mr != nil {
					names = append(names, mr.in.EmployeeNumber)
				}
			}
			for _, m := range loop {
				if mr := rowOf[m]; mr != nil {
					mr.bad = true
					p.report.Problem(tabular.Problem{Line: mr.line, Column: p.cols.Name("manager"), Value: mr.managerRef,
						Reason: "manager cycle: " + strings.Join(names, " → ")})
				}
			}
		}
		for _, m := range path {
			state[m] = done
		}
	}
}

// diff turns a valid plan into creates, updates and leavers, with every person's final reports
// path.
func (p *plan) diff(ref *refData) {
	final := make(map[string]*Person, len(ref.people)+len(p.rows))
	for _, st := range ref.people {
		cp := st.Person
		final[st.ID] = &cp
	}
	p.roleIDs = ref.roles
	for key, id := range p.newRole {
		p.roleIDs[key] = id
	}
	for _, r := range p.rows {
		in := r.in
		if p.cols.Has("job_role") {
			in.JobRoleID = ""
			if r.roleName != "" {
				in.JobRoleID = p.roleIDs[strings.ToLower(r.roleName)]
			}
		} else if r.target != nil {
			in.JobRoleID = r.target.JobRoleID
		}
		if in.Status == StatusLeft && in.LeftOn.IsZero() {
			in.LeftOn = p.today
			if r.target != nil && r.target.Status == StatusLeft {
				in.LeftOn = r.target.LeftOn
			}
		}
		final[r.id] = personFromInput(r.id, &in, "")
	}
	for _, st := range ref.people {
		if p.opts.Full && !st.inFile && st.EmployeeNumber != "" && st.Status == StatusActive {
			f := final[st.ID]
			f.Status, f.LeftOn = StatusLeft, p.today
			p.leaves = append(p.leaves, f)
			p.report.Leave++
			p.report.AddChange(Change{Kind: "leave", Key: st.EmployeeNumber, Name: st.Name()})
		}
	}
	// Paths follow the final manager chain; the plan has no cycles at this point.
	var pathOf func(id string) string
	pathOf = func(id string) string {
		f := final[id]
		if f.ReportsPath != "" {
			return f.ReportsPath
		}
		parent := ""
		if f.ManagerID != "" {
			parent = pathOf(f.ManagerID)
		}
		f.ReportsPath = childPath(parent, id)
		return f.ReportsPath
	}
	for _, f := range final {
		f.ReportsPath = ""
	}
	for id := range final {
		pathOf(id)
	}
	for _, r := range p.rows {
		f := final[r.id]
		if r.target == nil {
			p.creates = append(p.creates, f)
			p.report.Create++
			p.report.AddChange(Change{Line: r.line, Kind: "create", Key: f.EmployeeNumber, Name: f.Name()})
			continue
		}
		changed := changedFields(&r.target.Person, f)
		if len(changed) == 0 {
			if f.ReportsPath != r.target.ReportsPath {
				p.moved = append(p.moved, f)
			}
			p.report.Unchanged++
			continue
		}
		p.updates = append(p.updates, f)
		if slices.Contains(changed, "email") || slices.Contains(changed, "employee_number") {
			p.rekeyed[f.ID] = true
		}
		p.report.Update++
		p.report.AddChange(Change{Line: r.line, Kind: "update", Key: f.EmployeeNumber, Name: f.Name(), Fields: changed})
	}
	for _, st := range ref.people {
		if !st.inFile && final[st.ID].ReportsPath != st.ReportsPath && final[st.ID].Status == st.Status {
			p.moved = append(p.moved, final[st.ID])
		}
	}
	// Managers before their reports, so every inserted row's manager already exists.
	slices.SortStableFunc(p.creates, func(a, b *Person) int { return len(a.ReportsPath) - len(b.ReportsPath) })
}

// apply writes a valid plan inside tx.
func (s *Service) apply(ctx context.Context, tx *db.Tx, actor *core.Actor, p *plan) error {
	now := s.Clock.Now()
	var roles [][]any
	for _, name := range p.report.NewRoles {
		roles = append(roles, []any{p.newRole[strings.ToLower(name)], name, "", now, now})
	}
	if err := db.InsertMany(ctx, tx, "job_roles", []string{"id", "name", "description", "created_at", "updated_at"}, roles); err != nil {
		return err
	}
	rows := make([][]any, 0, len(p.creates))
	for _, c := range p.creates {
		rows = append(rows, append(personValues(c), now, now))
	}
	if err := db.InsertMany(ctx, tx, "people", []string{"id", "employee_number", "given_name", "family_name", "email", "job_title",
		"job_role_id", "org_unit_id", "manager_id", "location", "time_zone", "hire_date", "status", "left_on", "reports_path",
		"sort_name", "search_text", "created_at", "updated_at"}, rows); err != nil {
		return personConflict(err)
	}
	// Updates may swap emails or employee numbers between people: clear the changed keys first so
	// no intermediate state violates a unique index.
	for _, u := range p.updates {
		if !p.rekeyed[u.ID] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE people SET employee_number = NULL, email = NULL WHERE id = ?`, u.ID); err != nil {
			return err
		}
	}
	for _, list := range [][]*Person{p.updates, p.leaves} {
		for _, u := range list {
			if err := updatePerson(ctx, tx, u, now); err != nil {
				return fmt.Errorf("update %s: %w", u.EmployeeNumber, err)
			}
		}
	}
	for _, m := range p.moved {
		if _, err := tx.ExecContext(ctx, `UPDATE people SET reports_path = ? WHERE id = ?`, m.ReportsPath, m.ID); err != nil {
			return err
		}
	}
	if p.report.Create+p.report.Update+p.report.Leave+len(p.report.NewRoles) == 0 {
		return nil
	}
	return s.audit(ctx, tx, actor, audit.Entry{Action: "people.import", TargetType: "import",
		Summary: fmt.Sprintf("Imported %s: %s", orFile(p.opts.Filename), p.report.Summary()),
		Details: map[string]any{"rows": p.report.Rows, "create": p.report.Create, "update": p.report.Update,
			"unchanged": p.report.Unchanged, "leave": p.report.Leave, "new_job_roles": p.report.NewRoles, "full": p.opts.Full}})
}

func orFile(name string) string {
	if name == "" {
		return "a people file"
	}
	return name
}
