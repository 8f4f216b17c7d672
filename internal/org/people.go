package org

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/fold"
)

// Person statuses.
const (
	StatusActive = "active"
	StatusLeft   = "left"
)

// Person is anyone in the organization. People are never deleted: someone who leaves is marked
// as left, keeping their history.
type Person struct {
	ID             string    `json:"id"`
	EmployeeNumber string    `json:"employee_number"`
	GivenName      string    `json:"given_name"`
	FamilyName     string    `json:"family_name"`
	Email          string    `json:"email"`
	JobTitle       string    `json:"job_title"`
	JobRoleID      string    `json:"job_role_id,omitempty"`
	JobRoleName    string    `json:"job_role_name,omitempty"`
	OrgUnitID      string    `json:"org_unit_id,omitempty"`
	OrgUnitName    string    `json:"org_unit_name,omitempty"`
	ManagerID      string    `json:"manager_id,omitempty"`
	ManagerName    string    `json:"manager_name,omitempty"`
	Location       string    `json:"location"`
	TimeZone       string    `json:"time_zone"`
	HireDate       core.Date `json:"hire_date"`
	Status         string    `json:"status"`
	LeftOn         core.Date `json:"left_on"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	ReportsPath    string    `json:"-"`
}

// Name returns the person's full name.
func (p *Person) Name() string { return strings.TrimSpace(p.GivenName + " " + p.FamilyName) }

// PersonInput is the full state of a person to create or update. JSON decoding over an existing
// input changes only the fields present, which is how the API's PATCH works.
type PersonInput struct {
	EmployeeNumber string    `json:"employee_number"`
	GivenName      string    `json:"given_name"`
	FamilyName     string    `json:"family_name"`
	Email          string    `json:"email"`
	JobTitle       string    `json:"job_title"`
	JobRoleID      string    `json:"job_role_id"`
	OrgUnitID      string    `json:"org_unit_id"`
	ManagerID      string    `json:"manager_id"`
	Location       string    `json:"location"`
	TimeZone       string    `json:"time_zone"`
	HireDate       core.Date `json:"hire_date"`
	Status         string    `json:"status"`
	LeftOn         core.Date `json:"left_on"`
}

// Input returns p as an input, the starting point of an update.
func (p *Person) Input() PersonInput {
	return PersonInput{EmployeeNumber: p.EmployeeNumber, GivenName: p.GivenName, FamilyName: p.FamilyName, Email: p.Email,
		JobTitle: p.JobTitle, JobRoleID: p.JobRoleID, OrgUnitID: p.OrgUnitID, ManagerID: p.ManagerID, Location: p.Location,
		TimeZone: p.TimeZone, HireDate: p.HireDate, Status: p.Status, LeftOn: p.LeftOn}
}

// normalize trims every field, lowercases the email and defaults the status.
func (in *PersonInput) normalize() {
	in.EmployeeNumber = strings.TrimSpace(in.EmployeeNumber)
	in.GivenName, in.FamilyName = trimmed(in.GivenName), trimmed(in.FamilyName)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.JobTitle, in.Location = trimmed(in.JobTitle), trimmed(in.Location)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.JobRoleID, in.OrgUnitID, in.ManagerID = strings.TrimSpace(in.JobRoleID), strings.TrimSpace(in.OrgUnitID), strings.TrimSpace(in.ManagerID)
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = StatusActive
	}
	if in.Status == StatusActive {
		in.LeftOn = core.Date{}
	}
}

// validate checks the fields on their own; references to other rows are checked by the caller.
func (in *PersonInput) validate(v *core.Validation) {
	if in.GivenName == "" {
		v.Add("given_name", "enter a given name")
	}
	if in.FamilyName == "" {
		v.Add("family_name", "enter a family name")
	}
	checkLen(v, "given_name", in.GivenName, 200)
	checkLen(v, "family_name", in.FamilyName, 200)
	checkLen(v, "employee_number", in.EmployeeNumber, 64)
	checkLen(v, "job_title", in.JobTitle, 200)
	checkLen(v, "location", in.Location, 200)
	if in.Email != "" {
		if msg := checkEmail(in.Email); msg != "" {
			v.Add("email", "%s", msg)
		}
	}
	if msg := checkTimeZone(in.TimeZone); msg != "" {
		v.Add("time_zone", "%s", msg)
	}
	switch in.Status {
	case StatusActive:
	case StatusLeft:
		if !in.LeftOn.IsZero() && !in.HireDate.IsZero() && in.LeftOn.Before(in.HireDate) {
			v.Add("left_on", "the leaving date is before the hire date")
		}
	default:
		v.Add("status", "must be active or left")
	}
	for field, id := range map[string]string{"job_role_id": in.JobRoleID, "org_unit_id": in.OrgUnitID, "manager_id": in.ManagerID} {
		if id != "" && !core.ValidID(id) {
			v.Add(field, "not a valid id")
		}
	}
}

func checkEmail(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return fmt.Sprintf("%q is not an email address", s)
	}
	return ""
}

// knownZones remembers time zone names already checked: loading a zone reads and parses its
// rules, which costs more than the rest of an import row.
var knownZones sync.Map // name → bool

func checkTimeZone(tz string) string {
	if tz == "" {
		return ""
	}
	ok, seen := knownZones.Load(tz)
	if !seen {
		_, err := time.LoadLocation(tz)
		ok = err == nil && tz != "Local"
		knownZones.Store(tz, ok)
	}
	if !ok.(bool) {
		return fmt.Sprintf("%q is not a time zone name such as Europe/Berlin", tz)
	}
	return ""
}

// PersonFilter selects people. Empty fields do not filter.
type PersonFilter struct {
	Query     string // words matched as prefixes against names, email, employee number, job title
	OrgUnitID string // this unit and every unit below it
	JobRoleID string
	Location  string
	ManagerID string // direct reports of this person
	Below     string // everyone below this person in the reporting tree
	Status    string // active (the default), left or all
	Cursor    string
	Limit     int
}

const personColumns = `p.id, COALESCE(p.employee_number, ''), p.given_name, p.family_name, COALESCE(p.email, ''), p.job_title,
	COALESCE(p.job_role_id, ''), COALESCE(r.name, ''), COALESCE(p.org_unit_id, ''), COALESCE(u.name, ''),
	COALESCE(p.manager_id, ''), COALESCE(m.given_name || ' ' || m.family_name, ''), p.location, p.time_zone,
	p.hire_date, p.status, p.left_on, p.reports_path, p.created_at, p.updated_at, p.sort_name`

const personJoins = `
	LEFT JOIN job_roles r ON r.id = p.job_role_id
	LEFT JOIN org_units u ON u.id = p.org_unit_id
	LEFT JOIN people m ON m.id = p.manager_id`

const personFrom = ` FROM people p` + personJoins

func scanPerson(row interface{ Scan(...any) error }, sortKey *string) (*Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.EmployeeNumber, &p.GivenName, &p.FamilyName, &p.Email, &p.JobTitle,
		&p.JobRoleID, &p.JobRoleName, &p.OrgUnitID, &p.OrgUnitName, &p.ManagerID, &p.ManagerName,
		&p.Location, &p.TimeZone, &p.HireDate, &p.Status, &p.LeftOn, &p.ReportsPath, &p.CreatedAt, &p.UpdatedAt, sortKey)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, err
}

// scope returns the condition limiting people p to what actor may see: everyone for admins,
// otherwise the actor and everyone below them in the reporting tree.
func (s *Service) scope(ctx context.Context, q db.Queryer, actor *core.Actor) (string, []any, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return "", nil, err
	}
	if actor.SeesAllPeople() {
		return "1 = 1", nil, nil
	}
	if actor.PersonID == "" {
		return "1 = 0", nil, nil
	}
	var path string
	if err := q.QueryRowContext(ctx, `SELECT reports_path FROM people WHERE id = ?`, actor.PersonID).Scan(&path); err != nil {
		return "", nil, notFoundIn("person", err)
	}
	// The actor's own path starts the range, and everyone below them sorts inside it: one index
	// range scan for "me and my reporting tree".
	_, hi := subtreeRange(path)
	return "p.reports_path >= ? AND p.reports_path < ?", []any{path, hi}, nil
}

// CountCap bounds how far FindPeople counts the matches: counting every one of 100,000 people
// on each keystroke costs more than the search itself, and "more than 1,000" tells as much.
const CountCap = 1000

// condition turns a filter into a WHERE condition on people p within the actor's scope; match
// and matchArg are the full-text part, when there is one (searchPlan needs them).
func (s *Service) condition(ctx context.Context, q db.Queryer, actor *core.Actor, f PersonFilter) (cond string, args []any, match string, matchArg any, err error) {
	scope, args, err := s.scope(ctx, q, actor)
	if err != nil {
		return "", nil, "", nil, err
	}
	bad := func(e error) (string, []any, string, any, error) { return "", nil, "", nil, e }
	where := []string{scope}
	switch f.Status {
	case "", StatusActive:
		where = append(where, "p.status = 'active'")
	case StatusLeft:
		where = append(where, "p.status = 'left'")
	case "all":
	default:
		return bad(core.Invalid("status", "must be active, left or all"))
	}
	if initial := fold.String(f.Query); len([]rune(initial)) == 1 {
		// One letter browses by family name, as a phone book does: people whose family name
		// starts with it, read in order from the name index.
		r := []rune(initial)[0]
		where, args = append(where, "p.sort_name >= ? AND p.sort_name < ?"), append(args, initial, string(r+1))
	} else if c, arg := matchCondition(s.DB.Dialect, f.Query); c != "" {
		match, matchArg = c, arg
		where, args = append(where, c), append(args, arg)
	}
	if f.OrgUnitID != "" {
		u, err := s.findUnit(ctx, q, f.OrgUnitID)
		if err != nil {
			return bad(core.Invalid("org_unit", "unknown org unit"))
		}
		lo, hi := subtreeRange(u.Path)
		where, args = append(where, "p.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)"), append(args, lo, hi)
	}
	if f.JobRoleID != "" {
		if !core.ValidID(f.JobRoleID) {
			return bad(core.Invalid("job_role", "unknown job role"))
		}
		where, args = append(where, "p.job_role_id = ?"), append(args, f.JobRoleID)
	}
	if f.Location != "" {
		where, args = append(where, "p.location = ?"), append(args, f.Location)
	}
	if f.ManagerID != "" {
		if !core.ValidID(f.ManagerID) {
			return bad(core.Invalid("manager", "unknown manager"))
		}
		where, args = append(where, "p.manager_id = ?"), append(args, f.ManagerID)
	}
	if f.Below != "" {
		var path string
		if !core.ValidID(f.Below) || q.QueryRowContext(ctx, `SELECT reports_path FROM people WHERE id = ?`, f.Below).Scan(&path) != nil {
			return bad(core.Invalid("below", "unknown manager"))
		}
		lo, hi := subtreeRange(path)
		where, args = append(where, "p.reports_path > ? AND p.reports_path < ?"), append(args, lo, hi)
	}
	return strings.Join(where, " AND "), args, match, matchArg, nil
}

// PeopleCondition returns an SQL condition on the people table, aliased p, selecting the people
// the actor may see that match f, with its arguments: other packages' reports join on it so they
// keep the same data scope.
func (s *Service) PeopleCondition(ctx context.Context, actor *core.Actor, f PersonFilter) (string, []any, error) {
	cond, args, _, _, err := s.condition(ctx, s.DB.Reader(), actor, f)
	return cond, args, err
}

// Selection returns up to limit people the actor may see that match f, by family name: the rows of
// a report or a matrix.
func (s *Service) Selection(ctx context.Context, actor *core.Actor, f PersonFilter, limit int) ([]*Person, error) {
	q := s.DB.Reader()
	cond, args, _, _, err := s.condition(ctx, q, actor, f)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+personColumns+personFrom+` WHERE `+cond+` ORDER BY p.sort_name, p.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("select people: %w", err)
	}
	defer rows.Close()
	var out []*Person
	for rows.Next() {
		var key string
		p, err := scanPerson(rows, &key)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SelectionRoles returns the distinct job roles of the people the actor may see that match f.
func (s *Service) SelectionRoles(ctx context.Context, actor *core.Actor, f PersonFilter) ([]string, error) {
	q := s.DB.Reader()
	cond, args, _, _, err := s.condition(ctx, q, actor, f)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT p.job_role_id FROM people p WHERE `+cond+` AND p.job_role_id IS NOT NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("select roles: %w", err)
	}
	return db.Collect(rows, db.ScanString)
}

// FindPeople returns one page of the people actor may see, ordered by family name, the cursor of
// the next page ("" on the last) and how many people match in all, counted up to CountCap + 1
// (so a total above CountCap means "more than CountCap").
func (s *Service) FindPeople(ctx context.Context, actor *core.Actor, f PersonFilter) ([]*Person, string, int, error) {
	q := s.DB.Reader()
	cond, args, match, matchArg, err := s.condition(ctx, q, actor, f)
	if err != nil {
		return nil, "", 0, err
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people p WHERE `+cond+` LIMIT ?) c`, append(args, CountCap+1)...).Scan(&total); err != nil {
		return nil, "", 0, fmt.Errorf("count people: %w", err)
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 2)
		if err != nil {
			return nil, "", 0, err
		}
		cond += " AND (p.sort_name > ? OR (p.sort_name = ? AND p.id > ?))"
		args = append(args, key[0], key[0], key[1])
	}
	from, err := s.searchPlan(ctx, q, actor, match, matchArg, total, args)
	if err != nil {
		return nil, "", 0, err
	}
	limit := core.ClampLimit(f.Limit)
	// The page is chosen on the people table alone; names of roles, units and managers are
	// joined for the page's rows only.
	rows, err := q.QueryContext(ctx, `SELECT `+personColumns+` FROM (SELECT p.id FROM `+from+` WHERE `+cond+` ORDER BY p.sort_name, p.id LIMIT ?) pg
		JOIN people p ON p.id = pg.id`+personJoins+` ORDER BY p.sort_name, p.id`, append(args, limit+1)...)
	if err != nil {
		return nil, "", 0, fmt.Errorf("find people: %w", err)
	}
	defer rows.Close()
	var out []*Person
	var keys []string
	for rows.Next() {
		var key string
		p, err := scanPerson(rows, &key)
		if err != nil {
			return nil, "", 0, err
		}
		out, keys = append(out, p), append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", 0, err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = core.EncodeCursor(keys[limit-1], out[limit-1].ID)
	}
	return out, next, total, nil
}

// Thresholds of searchPlan (variables so that tests can reach every plan on a small organization).
var (
	// smallTree is the size of reporting tree below which a manager's search reads their tree first.
	smallTree = 2000
	// denseMatch is the number of full-text matches above which a search walks the name index
	// instead of sorting every match (a common prefix such as "an").
	denseMatch = 5000
)

// searchPlan chooses how SQLite reads a full-text search, which its planner cannot estimate: a
// search in a small reporting tree reads that tree first; a prefix matching a large share of
// everyone walks the name index in order, stopping at a page; anything else sorts the matches.
// PostgreSQL's planner sees all this from its statistics.
func (s *Service) searchPlan(ctx context.Context, q db.Queryer, actor *core.Actor, match string, matchArg any, total int, args []any) (string, error) {
	if match == "" || s.DB.Dialect != db.SQLite {
		return "people p", nil
	}
	if !actor.SeesAllPeople() && actor.PersonID != "" {
		// The scope's two bounds are the first arguments (see scope).
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people WHERE reports_path >= ? AND reports_path < ? LIMIT ?) t`,
			args[0], args[1], smallTree+1).Scan(&n); err != nil {
			return "", fmt.Errorf("size the reporting tree: %w", err)
		}
		if n <= smallTree {
			return "people p INDEXED BY people_reports_path_idx", nil
		}
	}
	if total <= CountCap {
		return "people p", nil
	}
	// Counting in the full-text index alone is cheap next to reading thousands of rows.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people_fts WHERE people_fts MATCH ? LIMIT ?) t`, matchArg, denseMatch+1).Scan(&n); err != nil {
		return "", fmt.Errorf("count matches: %w", err)
	}
	if n > denseMatch {
		return "people p INDEXED BY people_sort_idx", nil
	}
	return "people p", nil
}

// FindPersonByID returns a person the actor may see; anyone else is "not found", so that a
// person's existence is not revealed outside the actor's scope.
func (s *Service) FindPersonByID(ctx context.Context, actor *core.Actor, id string) (*Person, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("person")
	}
	q := s.DB.Reader()
	scope, args, err := s.scope(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	var key string
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.id = ? AND `+scope, append([]any{id}, args...)...), &key)
	if err != nil {
		return nil, notFoundIn("person", err)
	}
	return p, nil
}

// findPerson reads a person without a scope check, for the service's own use.
func (s *Service) findPerson(ctx context.Context, q db.Queryer, id string) (*Person, error) {
	var key string
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.id = ?`, id), &key)
	if err != nil {
		return nil, notFoundIn("person", err)
	}
	return p, nil
}

// FindPersonByEmail returns the person with this email, without a scope check: it serves login
// and account administration, which check their own permissions.
func (s *Service) FindPersonByEmail(ctx context.Context, email string) (*Person, error) {
	var key string
	p, err := scanPerson(s.DB.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.email = ?`, strings.ToLower(strings.TrimSpace(email))), &key)
	if err != nil {
		return nil, notFoundIn("person", err)
	}
	return p, nil
}

// IsManager reports whether anyone active reports to the person.
func (s *Service) IsManager(ctx context.Context, personID string) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people WHERE manager_id = ? AND status = 'active' LIMIT 1) x`, personID).Scan(&n)
	return n > 0, err
}

// Counts are the sizes of the organization an administrator sees at a glance.
type Counts struct {
	Active, Left, Units int
}

// countsTTL is how long the organization's counts are reused. Counting 100,000 people takes
// longer than the rest of a page, and a count a few seconds old misleads no one; this instance's
// own changes refresh it at once.
const countsTTL = 30 * time.Second

type countCache struct {
	mu sync.Mutex
	at time.Time
	c  Counts
}

// forgetCaches drops the cached counts and filter choices after a change.
func (s *Service) forgetCaches() {
	s.counts.mu.Lock()
	s.counts.at = time.Time{}
	s.counts.mu.Unlock()
	s.choices.mu.Lock()
	s.choices.c = nil
	s.choices.mu.Unlock()
}

// OrgCounts returns how many people are active and have left, and how many units there are, for
// actors who see everyone.
func (s *Service) OrgCounts(ctx context.Context, actor *core.Actor) (Counts, error) {
	if !actor.SeesAllPeople() {
		return Counts{}, core.Forbidden
	}
	c := &s.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < countsTTL {
		return c.c, nil
	}
	var out Counts
	rows, err := s.DB.QueryContext(ctx, `SELECT status, count(*) FROM people GROUP BY status`)
	if err != nil {
		return out, fmt.Errorf("count people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return out, err
		}
		if st == StatusActive {
			out.Active = n
		} else {
			out.Left += n
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM org_units`).Scan(&out.Units); err != nil {
		return out, fmt.Errorf("count units: %w", err)
	}
	c.c, c.at = out, time.Now()
	return out, nil
}

// CountReports returns how many active people report to a manager, directly or further down.
func (s *Service) CountReports(ctx context.Context, actor *core.Actor, managerID string) (int, error) {
	m, err := s.FindPersonByID(ctx, actor, managerID)
	if err != nil {
		return 0, err
	}
	lo, hi := subtreeRange(m.ReportsPath)
	var n int
	err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE reports_path > ? AND reports_path < ? AND status = 'active'`, lo, hi).Scan(&n)
	return n, err
}

// Choices are what the directory's filters offer: the upper levels of the org-unit tree, every
// job role and every location.
type Choices struct {
	Units     []*OrgUnit
	Roles     []*JobRole
	Locations []string
}

// choicesTTL is how long the filter choices are reused. Reading them costs more than a search on
// a large organization; they change with imports, and this instance's own changes refresh them.
const choicesTTL = 30 * time.Second

type choiceCache struct {
	mu sync.Mutex
	at time.Time
	c  *Choices
}

// FilterChoices returns the directory's filter choices. The units go two levels below the top
// (company, divisions, departments); deeper units are reached from the org chart.
func (s *Service) FilterChoices(ctx context.Context, actor *core.Actor) (*Choices, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	c := &s.choices
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c != nil && time.Since(c.at) < choicesTTL {
		return c.c, nil
	}
	units, err := s.UnitOptions(ctx, actor, 2, "")
	if err != nil {
		return nil, err
	}
	roles, err := s.RoleOptions(ctx, actor)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT location FROM people WHERE location <> '' ORDER BY location`)
	if err != nil {
		return nil, fmt.Errorf("find locations: %w", err)
	}
	defer rows.Close()
	var locations []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		locations = append(locations, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.c, c.at = &Choices{Units: units, Roles: roles, Locations: locations}, time.Now()
	return c.c, nil
}

// checkRefs validates the references of in against the database; id is the person being updated
// ("" when creating). It returns the manager's reports path ("" without a manager).
func (s *Service) checkRefs(ctx context.Context, tx *db.Tx, id string, in *PersonInput, v *core.Validation) (string, error) {
	if in.JobRoleID != "" && core.ValidID(in.JobRoleID) {
		if _, err := s.findRole(ctx, tx, in.JobRoleID); err != nil {
			v.Add("job_role_id", "unknown job role")
		}
	}
	if in.OrgUnitID != "" && core.ValidID(in.OrgUnitID) {
		if _, err := s.findUnit(ctx, tx, in.OrgUnitID); err != nil {
			v.Add("org_unit_id", "unknown org unit")
		}
	}
	if in.ManagerID == "" || !core.ValidID(in.ManagerID) {
		return "", nil
	}
	if in.ManagerID == id {
		v.Add("manager_id", "a person cannot be their own manager")
		return "", nil
	}
	var path string
	err := tx.QueryRowContext(ctx, `SELECT reports_path FROM people WHERE id = ?`, in.ManagerID).Scan(&path)
	if db.IsNoRows(err) {
		v.Add("manager_id", "unknown manager")
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if id != "" && strings.Contains(path, "/"+id+"/") {
		v.Add("manager_id", "this manager reports to the person, which would make a reporting cycle")
	}
	return path, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreatePerson adds one person.
func (s *Service) CreatePerson(ctx context.Context, actor *core.Actor, in PersonInput) (*Person, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	in.normalize()
	var v core.Validation
	in.validate(&v)
	id := core.NewID()
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		managerPath, err := s.checkRefs(ctx, tx, "", &in, &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := s.Clock.Now()
		p := personFromInput(id, &in, childPath(managerPath, id))
		_, err = tx.ExecContext(ctx, `INSERT INTO people (id, employee_number, given_name, family_name, email, job_title, job_role_id, org_unit_id,
			manager_id, location, time_zone, hire_date, status, left_on, reports_path, sort_name, search_text, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(personValues(p), now, now)...)
		if err != nil {
			return personConflict(db.FormatError(err))
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "person.create", TargetType: "person", TargetID: id,
			Summary: fmt.Sprintf("Created %s (%s)", p.Name(), orDash(p.EmployeeNumber))})
	})
	if err != nil {
		return nil, err
	}
	return s.findPerson(ctx, s.DB.Reader(), id)
}

func orDash(s string) string {
	if s == "" {
		return "no employee number"
	}
	return s
}

func personFromInput(id string, in *PersonInput, path string) *Person {
	return &Person{ID: id, EmployeeNumber: in.EmployeeNumber, GivenName: in.GivenName, FamilyName: in.FamilyName, Email: in.Email,
		JobTitle: in.JobTitle, JobRoleID: in.JobRoleID, OrgUnitID: in.OrgUnitID, ManagerID: in.ManagerID, Location: in.Location,
		TimeZone: in.TimeZone, HireDate: in.HireDate, Status: in.Status, LeftOn: in.LeftOn, ReportsPath: path}
}

// personValues lists a person's stored columns in the order of the INSERT in CreatePerson.
func personValues(p *Person) []any {
	given, family := fold.String(p.GivenName), fold.String(p.FamilyName)
	return []any{p.ID, nullable(p.EmployeeNumber), p.GivenName, p.FamilyName, nullable(p.Email), p.JobTitle, nullable(p.JobRoleID),
		nullable(p.OrgUnitID), nullable(p.ManagerID), p.Location, p.TimeZone, p.HireDate, p.Status, p.LeftOn, p.ReportsPath,
		sortName(given, family), searchText(given, family, p)}
}

func personConflict(err error) error {
	e := core.AsError(err)
	if e == nil || e.Code != core.ECONFLICT {
		return err
	}
	switch e.Field {
	case "email":
		return &core.Error{Code: core.ECONFLICT, Field: "email", Message: "another person already has this email"}
	case "employee_number":
		return &core.Error{Code: core.ECONFLICT, Field: "employee_number", Message: "another person already has this employee number"}
	}
	return err
}

// UpdatePerson replaces a person's fields with in. Changing the manager moves the person's whole
// reporting subtree with them.
func (s *Service) UpdatePerson(ctx context.Context, actor *core.Actor, id string, in PersonInput) (*Person, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if !core.ValidID(id) {
		return nil, core.NotFound("person")
	}
	in.normalize()
	var v core.Validation
	in.validate(&v)
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.findPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		managerPath, err := s.checkRefs(ctx, tx, id, &in, &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.Status == StatusLeft && in.LeftOn.IsZero() {
			in.LeftOn = core.DateOf(s.Clock.Now())
		}
		p := personFromInput(id, &in, childPath(managerPath, id))
		changed := changedFields(old, p)
		if len(changed) == 0 {
			return nil
		}
		if err := updatePerson(ctx, tx, p, s.Clock.Now()); err != nil {
			return err
		}
		if p.ReportsPath != old.ReportsPath {
			if err := movePaths(ctx, tx, old.ReportsPath, p.ReportsPath); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "person.update", TargetType: "person", TargetID: id,
			Summary: fmt.Sprintf("Updated %s: %s", p.Name(), strings.Join(changed, ", ")), Details: map[string]any{"changed": changed}})
	})
	if err != nil {
		return nil, err
	}
	return s.findPerson(ctx, s.DB.Reader(), id)
}

func updatePerson(ctx context.Context, tx *db.Tx, p *Person, now time.Time) error {
	vals := personValues(p)
	_, err := tx.ExecContext(ctx, `UPDATE people SET employee_number = ?, given_name = ?, family_name = ?, email = ?, job_title = ?,
		job_role_id = ?, org_unit_id = ?, manager_id = ?, location = ?, time_zone = ?, hire_date = ?, status = ?, left_on = ?,
		reports_path = ?, sort_name = ?, search_text = ?, updated_at = ? WHERE id = ?`, append(vals[1:], now, p.ID)...)
	if err != nil {
		return personConflict(db.FormatError(err))
	}
	return nil
}

// movePaths rewrites the reports paths of everyone below a person whose own path changed.
func movePaths(ctx context.Context, tx *db.Tx, oldPath, newPath string) error {
	lo, hi := subtreeRange(oldPath)
	_, err := tx.ExecContext(ctx, `UPDATE people SET reports_path = ? || substr(reports_path, ?) WHERE reports_path > ? AND reports_path < ?`,
		newPath, len(oldPath)+1, lo, hi)
	if err != nil {
		return fmt.Errorf("move reporting subtree: %w", err)
	}
	return nil
}

// changedFields names the fields that differ between a stored person and its new state.
func changedFields(a, b *Person) []string {
	var out []string
	add := func(name string, x, y any) {
		if x != y {
			out = append(out, name)
		}
	}
	add("employee_number", a.EmployeeNumber, b.EmployeeNumber)
	add("given_name", a.GivenName, b.GivenName)
	add("family_name", a.FamilyName, b.FamilyName)
	add("email", a.Email, b.Email)
	add("job_title", a.JobTitle, b.JobTitle)
	add("job_role", a.JobRoleID, b.JobRoleID)
	add("org_unit", a.OrgUnitID, b.OrgUnitID)
	add("manager", a.ManagerID, b.ManagerID)
	add("location", a.Location, b.Location)
	add("time_zone", a.TimeZone, b.TimeZone)
	add("hire_date", a.HireDate, b.HireDate)
	add("status", a.Status, b.Status)
	add("left_on", a.LeftOn, b.LeftOn)
	return out
}

// FindPersonByRef finds a person the actor may see by employee number or, when ref holds an @, by
// email: how people name a manager in forms and files.
func (s *Service) FindPersonByRef(ctx context.Context, actor *core.Actor, ref string) (*Person, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, core.NotFound("person")
	}
	q := s.DB.Reader()
	scope, args, err := s.scope(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	cond, arg := "p.employee_number = ?", ref
	if strings.Contains(ref, "@") {
		cond, arg = "p.email = ?", strings.ToLower(ref)
	}
	var key string
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE `+cond+` AND `+scope, append([]any{arg}, args...)...), &key)
	if err != nil {
		return nil, notFoundIn("person", err)
	}
	return p, nil
}
