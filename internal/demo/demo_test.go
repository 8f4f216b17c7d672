package demo_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
)

var ctx = context.Background()

const pw = "demo password 2026"

func TestBuildIsDeterministic(t *testing.T) {
	t.Parallel()
	build := func(n int, seed uint64) *demo.Data {
		t.Helper()
		d, err := demo.Build(demo.Options{People: n, Seed: seed})
		if err != nil {
			t.Fatalf("build %d people, seed %d: %v", n, seed, err)
		}
		return d
	}
	a, b := build(2000, 7), build(2000, 7)
	if !bytes.Equal(a.PeopleCSV, b.PeopleCSV) || !bytes.Equal(a.UnitsCSV, b.UnitsCSV) || !sameLogins(a.Logins, b.Logins) {
		t.Error("the same seed gave different organizations")
	}
	if c := build(2000, 8); bytes.Equal(a.PeopleCSV, c.PeopleCSV) || bytes.Equal(a.UnitsCSV, c.UnitsCSV) {
		t.Error("another seed gave the same organization")
	}
	if d := build(0, 7); bytes.Count(d.PeopleCSV, []byte("\n")) != demo.DefaultPeople+1 {
		t.Errorf("People 0 gave %d rows, want the default %d", bytes.Count(d.PeopleCSV, []byte("\n"))-1, demo.DefaultPeople)
	}
	for _, n := range []int{-1, 9, demo.MaxPeople + 1} {
		if _, err := demo.Build(demo.Options{People: n}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("build %d people: %v, want invalid", n, err)
		}
	}
}

func TestBuildShapesAValidOrganization(t *testing.T) {
	t.Parallel()
	for _, n := range []int{10, 50, 500, 5000} {
		for _, seed := range []uint64{1, 2, 3} {
			d, err := demo.Build(demo.Options{People: n, Seed: seed})
			if err != nil {
				t.Fatalf("build %d people: %v", n, err)
			}
			checkOrganization(t, n, d)
		}
	}
}

// TestEverySizeIsValid sweeps small sizes, where the structure changes shape most often.
func TestEverySizeIsValid(t *testing.T) {
	t.Parallel()
	for n := demo.MinPeople; n <= 400; n++ {
		d, err := demo.Build(demo.Options{People: n, Seed: uint64(n)})
		if err != nil {
			t.Fatalf("build %d people: %v", n, err)
		}
		checkOrganization(t, n, d)
	}
}

func sameLogins(a, b []demo.Login) bool {
	return slices.EqualFunc(a, b, func(x, y demo.Login) bool { return x.Role == y.Role && x.Name == y.Name && x.Email == y.Email })
}

type row map[string]string

func readCSV(t *testing.T, data []byte, header []string) []row {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	if !slices.Equal(recs[0], header) {
		t.Fatalf("header %v, want %v", recs[0], header)
	}
	var out []row
	for _, rec := range recs[1:] {
		r := row{}
		for i, h := range header {
			r[h] = rec[i]
		}
		out = append(out, r)
	}
	return out
}

var generatedEmail = regexp.MustCompile(`^[a-z]+\.[a-z]+[0-9]*@northwind\.example$`)

// checkOrganization asserts what a demo organization of n people promises.
func checkOrganization(t *testing.T, n int, d *demo.Data) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%d people: "+format, append([]any{n}, args...)...)
	}
	units := readCSV(t, d.UnitsCSV, org.UnitColumnOrder)
	unitByCode := map[string]row{}
	for _, u := range units {
		if _, dup := unitByCode[u["code"]]; dup {
			fail("unit code %s twice", u["code"])
		}
		if !slices.Contains(org.UnitKinds, u["kind"]) {
			fail("unit %s has kind %q", u["code"], u["kind"])
		}
		if (u["parent"] == "") != (u["kind"] == "company") {
			fail("unit %s (%s) has parent %q", u["code"], u["kind"], u["parent"])
		}
		if _, ok := unitByCode[u["parent"]]; u["parent"] != "" && !ok {
			fail("unit %s comes before its parent %s", u["code"], u["parent"])
		}
		unitByCode[u["code"]] = u
	}
	divisionOf := func(code string) string {
		for u := unitByCode[code]; u != nil; u = unitByCode[u["parent"]] {
			if u["kind"] == "division" {
				return u["name"]
			}
		}
		return ""
	}

	people := readCSV(t, d.PeopleCSV, org.PeopleColumnOrder)
	if len(people) != n {
		fail("%d rows", len(people))
	}
	byNumber := map[string]row{}
	emails := map[string]bool{}
	reports := map[string][]row{}
	line := map[string]int{}
	zones := map[string]bool{}
	left := 0
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range people {
		line[p["employee_number"]] = i
		if m, ok := line[p["manager"]]; p["manager"] != "" && !ok {
			fail("%s comes before their manager %s", p["employee_number"], p["manager"])
		} else if ok && m >= i {
			fail("%s reports to themself", p["employee_number"])
		}
		if _, dup := byNumber[p["employee_number"]]; dup {
			fail("employee number %s twice", p["employee_number"])
		}
		byNumber[p["employee_number"]] = p
		if emails[p["email"]] {
			fail("email %s twice", p["email"])
		}
		emails[p["email"]] = true
		if _, ok := unitByCode[p["org_unit"]]; !ok {
			fail("%s is in unknown unit %q", p["employee_number"], p["org_unit"])
		}
		if p["given_name"] == "" || p["family_name"] == "" || p["job_role"] == "" || !strings.HasPrefix(p["job_title"], p["job_role"]) {
			fail("%s is incomplete: %v", p["employee_number"], p)
		}
		zones[p["time_zone"]] = true
		hired, err := time.Parse(core.DateLayout, p["hire_date"])
		if err != nil || !hired.Before(ref) || hired.Before(ref.AddDate(-16, 0, 0)) {
			fail("%s was hired on %q", p["employee_number"], p["hire_date"])
		}
		switch p["status"] {
		case org.StatusActive:
			if p["left_on"] != "" {
				fail("active %s left on %s", p["employee_number"], p["left_on"])
			}
		case org.StatusLeft:
			left++
			leftOn, err := time.Parse(core.DateLayout, p["left_on"])
			if err != nil || !leftOn.After(hired) || !leftOn.Before(ref) {
				fail("%s hired on %s left on %q", p["employee_number"], p["hire_date"], p["left_on"])
			}
		default:
			fail("%s has status %q", p["employee_number"], p["status"])
		}
		reports[p["manager"]] = append(reports[p["manager"]], p)
	}
	for z := range zones {
		if _, err := time.LoadLocation(z); err != nil || z == "" {
			fail("time zone %q: %v", z, err)
		}
	}
	if want := int(math.Round(float64(n) * 0.02)); left != want {
		fail("%d people left, want %d", left, want)
	}

	// The reporting tree: one chief executive at the top of the company, no cycles, nobody
	// reporting to someone who left, and spans of five to twelve.
	top := reports[""]
	if len(top) != 1 || top[0]["job_role"] != "Chief Executive Officer" || unitByCode[top[0]["org_unit"]]["kind"] != "company" {
		fail("top of the tree: %v", top)
	}
	for mgr, rs := range reports {
		if mgr == "" {
			continue
		}
		m, ok := byNumber[mgr]
		if !ok {
			fail("unknown manager %s", mgr)
			continue
		}
		if m["status"] != org.StatusActive {
			fail("%s left but manages %d people", mgr, len(rs))
		}
		active := 0
		for _, r := range rs {
			if r["status"] == org.StatusActive {
				active++
			}
		}
		switch {
		case m["manager"] == "":
			for _, r := range rs {
				if unitByCode[r["org_unit"]]["kind"] != "division" {
					fail("the chief executive's report %s is not a division head", r["employee_number"])
				}
			}
		case len(rs) > 12 || active < 5:
			// The one exception: the People division of a company under 30 is its head and
			// one to four others.
			if n >= 30 || m["job_role"] != "Chief People Officer" || len(rs) < 1 {
				fail("%s (%s) leads %d people, %d active", mgr, m["job_title"], len(rs), active)
			}
		}
	}
	for _, p := range people {
		seen := map[string]bool{}
		for q := p; q != nil && q["manager"] != ""; q = byNumber[q["manager"]] {
			if seen[q["employee_number"]] {
				fail("reporting cycle through %s", p["employee_number"])
				break
			}
			seen[q["employee_number"]] = true
		}
	}

	// The logins.
	wantLogins := []struct{ role, email string }{
		{"System administrator", "admin@northwind.example"},
		{"HR administrator", "hr@northwind.example"},
		{"L&D administrator", "lnd@northwind.example"},
		{"Manager", "manager@northwind.example"},
		{"Employee", "employee@northwind.example"},
	}
	if len(d.Logins) != len(wantLogins) {
		t.Fatalf("%d people: logins %v", n, d.Logins)
	}
	byEmail := map[string]row{}
	for _, p := range people {
		byEmail[p["email"]] = p
		if !generatedEmail.MatchString(p["email"]) && !slices.ContainsFunc(wantLogins, func(l struct{ role, email string }) bool { return l.email == p["email"] }) {
			fail("email %q is not first.last@northwind.example", p["email"])
		}
	}
	for i, l := range d.Logins {
		p := byEmail[l.Email]
		if l.Role != wantLogins[i].role || l.Email != wantLogins[i].email || p == nil || l.Name != p["given_name"]+" "+p["family_name"] || p["status"] != org.StatusActive {
			fail("login %d = %+v (%v), want %v", i, l, p, wantLogins[i])
		}
	}
	if d.Company == "" || strings.Contains(d.Company, "@") {
		fail("company %q", d.Company)
	}
	hr, lnd, mgr, emp := byEmail["hr@northwind.example"], byEmail["lnd@northwind.example"], byEmail["manager@northwind.example"], byEmail["employee@northwind.example"]
	if divisionOf(hr["org_unit"]) != "People" {
		fail("the HR administrator works in %s", hr["org_unit"])
	}
	if unitByCode[lnd["org_unit"]]["name"] != "Learning & Development" && !strings.HasPrefix(lnd["org_unit"], "PPL-LND") {
		fail("the L&D administrator works in %s", lnd["org_unit"])
	}
	if divisionOf(mgr["org_unit"]) != "Engineering" || len(reports[mgr["employee_number"]]) < 5 || len(reports[mgr["employee_number"]]) > 12 {
		fail("the manager login (%s in %s) leads %d people", mgr["job_title"], mgr["org_unit"], len(reports[mgr["employee_number"]]))
	}
	for _, r := range reports[mgr["employee_number"]] {
		if len(reports[r["employee_number"]]) > 0 {
			fail("the manager login leads another manager, %s", r["employee_number"])
		}
	}
	if emp["manager"] != mgr["employee_number"] || len(reports[emp["employee_number"]]) > 0 {
		fail("the employee login reports to %s and leads %d", emp["manager"], len(reports[emp["employee_number"]]))
	}
}

func TestGenerateWritesADemoPeopleCanSignInTo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		orgs, accounts := services(d)
		res, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: 500, Seed: 42, Password: pw})
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		data, _ := demo.Build(demo.Options{People: 500, Seed: 42})
		if res.People != 500 || res.Units != bytes.Count(data.UnitsCSV, []byte("\n"))-1 || res.Company != data.Company || !sameLogins(res.Logins, data.Logins) {
			t.Errorf("result = %+v", res)
		}
		units, err := orgs.FindUnits(ctx, core.System)
		if err != nil || len(units) != res.Units {
			t.Errorf("%d units stored (%v), want %d", len(units), err, res.Units)
		}
		if _, _, n, err := orgs.FindPeople(ctx, core.System, org.PersonFilter{Status: "all", Limit: 1}); err != nil || n != 500 {
			t.Errorf("%d people stored (%v), want 500", n, err)
		}

		actors := map[string]*core.Actor{}
		for _, l := range res.Logins {
			_, a, err := accounts.Login(ctx, l.Email, pw, "127.0.0.1", "test")
			if err != nil {
				t.Fatalf("sign in as the %s %s: %v", l.Role, l.Email, err)
			}
			if a.Name != l.Name {
				t.Errorf("%s signed in as %q, want %q", l.Email, a.Name, l.Name)
			}
			actors[l.Role] = a
		}
		for role, want := range map[string]core.Role{"System administrator": core.RoleSysAdmin, "HR administrator": core.RoleHRAdmin, "L&D administrator": core.RoleLnDAdmin} {
			if a := actors[role]; !slices.Equal(a.Roles, []core.Role{want}) || !a.SeesAllPeople() {
				t.Errorf("the %s has roles %v", role, a.Roles)
			}
		}

		mgr := actors["Manager"]
		if !mgr.IsManager || len(mgr.Roles) != 0 {
			t.Errorf("manager actor = %+v", mgr)
		}
		seen, _, total, err := orgs.FindPeople(ctx, mgr, org.PersonFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		me, err := orgs.FindPersonByID(ctx, core.System, mgr.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if total <= 5 || total > 13 || len(seen) != total {
			t.Errorf("the manager sees %d people (%d listed), want themself and 5–12 reports", total, len(seen))
		}
		for _, p := range seen {
			if p.ID != me.ID && (p.ManagerID != me.ID || !strings.HasPrefix(p.ReportsPath, me.ReportsPath)) {
				t.Errorf("the manager sees %s, who is not below them", p.Name())
			}
		}

		emp := actors["Employee"]
		seen, _, total, err = orgs.FindPeople(ctx, emp, org.PersonFilter{Status: "all"})
		if err != nil || total != 1 || len(seen) != 1 || seen[0].ID != emp.PersonID || emp.IsManager || len(emp.Roles) != 0 {
			t.Errorf("the employee sees %d people (%v), actor %+v", total, err, emp)
		}
		if seen[0].ManagerID != me.ID {
			t.Errorf("the employee reports to %s, not the manager login", seen[0].ManagerName)
		}
		checkGeneratedSkills(t, d, orgs, data, res, mgr)
		checkGeneratedTraining(t, d, orgs, data, res, actors)

		// A second run does not mix a demo into existing data.
		if _, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: 500, Seed: 42, Password: pw}); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("second generate: %v, want conflict", err)
		}
	})
}

func TestGenerateChecksThePasswordFirst(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	orgs, accounts := services(d)
	for _, bad := range []string{"", "short"} {
		if _, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: 50, Password: bad}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("password %q: %v, want invalid", bad, err)
		}
	}
	if _, _, n, err := orgs.FindPeople(ctx, core.System, org.PersonFilter{Status: "all"}); err != nil || n != 0 {
		t.Errorf("a refused demo stored %d people (%v)", n, err)
	}
}

func services(d *db.DB) (*org.Service, *auth.Service) {
	clock := &core.FixedClock{T: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	orgs := org.NewService(d, clock)
	accounts := auth.NewService(d, clock, orgs, mail.LogMailer{Log: log}, log, "https://learn.example.com")
	accounts.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	return orgs, accounts
}

func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		if _, err := demo.Build(demo.Options{People: demo.MaxPeople, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerate writes the largest demo into a fresh SQLite database, with production
// password hashing, as `learnloop demo` does: with the default skills and training pictures,
// without training (skills alone), without skills (and so without training), and with the
// skills picture the skills benchmarks need (BenchmarkSkills). Pick one with
// -bench 'Generate/default'; LEARNLOOP_DEMO_PEOPLE sets another size.
func BenchmarkGenerate(b *testing.B) {
	if testing.Short() {
		b.Skip("writes 100,000 people")
	}
	people := demo.MaxPeople
	if n, err := strconv.Atoi(os.Getenv("LEARNLOOP_DEMO_PEOPLE")); err == nil {
		people = n
	}
	for _, bc := range []struct {
		name     string
		skills   demo.SkillOptions
		training demo.TrainingOptions
	}{
		{"default", demo.SkillOptions{}, demo.TrainingOptions{}},
		{"no-training", demo.SkillOptions{}, demo.TrainingOptions{Off: true}},
		{"no-skills", demo.SkillOptions{Off: true}, demo.TrainingOptions{}},
		{"benchmark-skills", demo.BenchmarkSkills, demo.TrainingOptions{Off: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				d := dbtest.SQLite(b)
				clock := core.SystemClock{}
				log := slog.New(slog.NewTextHandler(io.Discard, nil))
				orgs := org.NewService(d, clock)
				accounts := auth.NewService(d, clock, orgs, mail.LogMailer{Log: log}, log, "https://learn.example.com")
				b.StartTimer()
				res, err := demo.Generate(ctx, orgs, accounts, demo.Options{People: people, Seed: 1, Password: pw, Skills: bc.skills, Training: bc.training})
				if err != nil {
					b.Fatal(err)
				}
				if res.People != people {
					b.Fatalf("generated %d people", res.People)
				}
				b.ReportMetric(float64(res.Ratings), "ratings")
				b.ReportMetric(float64(res.Enrollments), "enrollments")
			}
		})
	}
}
