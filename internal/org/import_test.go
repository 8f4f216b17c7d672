package org_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
)

const header = "employee_number,given_name,family_name,email,org_unit,manager,hire_date,time_zone,status\n"

func TestImportReportsEveryBadRowAndAppliesNothing(t *testing.T) {
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(header + "E7,Mary,Jackson,,ENG,E2,,,\n")
	tests := []struct {
		name string
		file string
		opts org.ImportOptions
		want []string // "line|column|reason fragment" per problem, in order
	}{
		{"missing required column", "given_name,family_name\nA,B\n", org.ImportOptions{}, []string{"1||missing column employee_number"}},
		{"a column twice", "employee_number,Employee ID,given_name,family_name\nE7,E7,A,B\n", org.ImportOptions{}, []string{"1|Employee ID|both mean employee_number"}},
		{"bad fields", header +
			"E7,Mary,Jackson,mary@,ENG,E2,2024-13-01,Mars/Base,maybe\n" +
			"E8,,Vaughan,,NOPE,E2,,,\n", org.ImportOptions{},
			[]string{"2|status|unknown status", "2|hire_date|not a date", "2|email|not an email", "2|time_zone|not a time zone",
				"3|given_name|enter a given name", "3|org_unit|unknown org unit"}},
		{"unknown manager", header + "E7,Mary,Jackson,,ENG,E99,,,\n", org.ImportOptions{}, []string{"2|manager|unknown manager"}},
		{"no employee number", header + ",Mary,Jackson,,ENG,E2,,,\n", org.ImportOptions{}, []string{"2|employee_number|the employee number is empty"}},
		{"no employee number, unknown email", header + ",Mary,Jackson,mj@example.com,ENG,E2,,,\n", org.ImportOptions{}, []string{"2|employee_number|no one without an employee number has the email"}},
		{"manager by unknown email", header + "E7,Mary,Jackson,,ENG,nobody@example.com,,,\n", org.ImportOptions{}, []string{"2|manager|unknown manager"}},
		{"own manager", header + "E7,Mary,Jackson,,ENG,E7,,,\n", org.ImportOptions{}, []string{"2|manager|own manager"}},
		{"duplicate employee number", header + "E7,Mary,Jackson,,ENG,E2,,,\nE7,Dorothy,Vaughan,,ENG,E2,,,\n", org.ImportOptions{}, []string{"3|employee_number|duplicate employee number E7 (first on line 2)"}},
		{"duplicate email in file", header + "E7,Mary,Jackson,m@example.com,ENG,E2,,,\nE8,Dorothy,Vaughan,M@example.com,ENG,E2,,,\n", org.ImportOptions{}, []string{"3|email|duplicate email"}},
		{"email of someone else", header + "E7,Mary,Jackson,ada@example.com,ENG,E2,,,\n", org.ImportOptions{}, []string{"2|email|already belongs to Ada Lovelace (E1)"}},
		{"manager cycle", header + "E7,Mary,Jackson,,ENG,E8,,,\nE8,Dorothy,Vaughan,,ENG,E7,,,\n", org.ImportOptions{},
			[]string{"2|manager|manager cycle: E7 → E8 → E7", "3|manager|manager cycle: E7 → E8 → E7"}},
		{"cycle through stored people", header + "E1,Ada,Lovelace,ada@example.com,ACME,E3,,,\n", org.ImportOptions{},
			[]string{"2|manager|manager cycle"}},
		{"full import with a manager left out", header + "E7,Mary,Jackson,,ENG,E2,,,\n", org.ImportOptions{Full: true},
			[]string{"2|manager|would mark them as left"}},
		{"wrong number of fields", header + "E7,Mary,Jackson,,ENG\n", org.ImportOptions{}, []string{"2||has 5 fields but the header has 9"}},
		{"bad quoting", header + "E7,Ma\"ry,Jackson,,ENG,E2,,,\n", org.ImportOptions{}, []string{"2||not valid CSV"}},
		{"not UTF-8", header + "E7,Mary,J\xe4ckson,,ENG,E2,,,\n", org.ImportOptions{}, []string{"2||not UTF-8"}},
		{"binary junk", "\x00\x01\x02PK\x03\x04", org.ImportOptions{}, []string{"1||not text"}},
		{"empty file", " \n", org.ImportOptions{}, []string{"0||empty"}},
		{"header only", header, org.ImportOptions{}, []string{"0||no people"}},
		{"unknown encoding", header, org.ImportOptions{Encoding: "ebcdic"}, []string{"0||unknown encoding"}},
		{"valid: semicolons and a byte-order mark", "\ufeffEmployee Number;First Name;Last Name;Manager\nE7;Mary;Jackson;E2\n", org.ImportOptions{}, nil},
		{"valid: UTF-16 from Excel", utf16, org.ImportOptions{}, nil},
		{"valid: windows-1252 when told", mustCP1252(header + "E7,Mary,Jäckson,,ENG,E2,,,\n"), org.ImportOptions{Encoding: "windows-1252"}, nil},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rep, err := f.svc.Import(ctx, core.System, []byte(tt.file), tt.opts)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range rep.Problems {
					got = append(got, p.String())
				}
				if len(got) != len(tt.want) {
					t.Fatalf("problems:\n%s\nwant %d: %v", strings.Join(got, "\n"), len(tt.want), tt.want)
				}
				for i, w := range tt.want {
					parts := strings.SplitN(w, "|", 3)
					p := rep.Problems[i]
					if want := parts[0]; want != "" && want != strconv.Itoa(p.Line) || p.Column != parts[1] || !strings.Contains(p.Reason, parts[2]) {
						t.Errorf("problem %d = %q (line %d, column %q), want %q", i, p.Reason, p.Line, p.Column, w)
					}
				}
				if tt.want != nil {
					if rep.Valid || rep.Applied {
						t.Errorf("report valid=%v applied=%v with problems", rep.Valid, rep.Applied)
					}
					_, _, total, _ := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Status: "all"})
					if total != 6 {
						t.Errorf("a bad file changed the people: %d people, want 6", total)
					}
					return
				}
				if !rep.Applied || rep.Create != 1 {
					t.Errorf("valid file: %s", rep.Summary())
				}
				people, _, _, _ := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Query: "E7"})
				if len(people) != 1 || !strings.HasPrefix(people[0].FamilyName, "J") || people[0].ManagerID != f.ids["E2"] {
					t.Errorf("imported %+v", people)
				}
				// Put the fixture back for the next case.
				e7 := people[0].Input()
				e7.EmployeeNumber, e7.Status = "X-"+people[0].ID, org.StatusLeft
				if _, err := f.svc.UpdatePerson(ctx, core.System, people[0].ID, e7); err != nil {
					t.Fatal(err)
				}
				f.clearLeavers(t, d)
			})
		}
	})
}

// clearLeavers removes people who left, which no service does (people are never deleted), so
// that each table case starts from the same six people.
func (f *fixture) clearLeavers(t *testing.T, d *db.DB) {
	t.Helper()
	if _, err := d.ExecContext(ctx, `DELETE FROM people WHERE status = 'left'`); err != nil {
		t.Fatal(err)
	}
}

func mustCP1252(s string) string {
	out, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

func TestImportUpdatesLeaversAndIdempotence(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// The same file again changes nothing.
		rep, err := f.svc.Import(ctx, core.System, []byte(baseCSV), org.ImportOptions{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unchanged != 6 || rep.Create+rep.Update+rep.Leave != 0 || len(rep.NewRoles) != 0 {
			t.Fatalf("re-import: %s", rep.Summary())
		}
		// A full file without Linus marks him as left; Alan moves to Katherine; Ada's email changes.
		file := strings.Replace(strings.Replace(baseCSV, "E6,Linus,Torvalds,linus@example.com,Account Executive,Account Executive,SALES,E5,Berlin,Europe/Berlin,2023-06-01\n", "", 1),
			"ENG-PLAT,E2,London", "SALES,kj@example.com,London", 1)
		file = strings.Replace(file, "ada@example.com", "ada.lovelace@example.com", 1)
		rep, err = f.svc.Import(ctx, core.System, []byte(file), org.ImportOptions{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Applied || rep.Update != 2 || rep.Leave != 1 || rep.Unchanged != 3 {
			t.Fatalf("second import: %s %v", rep.Summary(), rep.Problems)
		}
		want := []org.Change{
			{Kind: "leave", Key: "E6", Name: "Linus Torvalds"},
			{Line: 2, Kind: "update", Key: "E1", Name: "Ada Lovelace", Fields: []string{"email"}},
			{Line: 4, Kind: "update", Key: "E3", Name: "Alan Turing", Fields: []string{"org_unit", "manager"}},
		}
		if diff := cmp.Diff(want, rep.Changes); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
		linus, err := f.svc.FindPersonByID(ctx, core.System, f.ids["E6"])
		if err != nil {
			t.Fatal(err)
		}
		if linus.Status != org.StatusLeft || linus.LeftOn.String() != "2026-05-04" {
			t.Errorf("Linus: status %s left on %s", linus.Status, linus.LeftOn)
		}
		got, _, _, _ := f.svc.FindPeople(ctx, f.actor(t, "E5"), org.PersonFilter{})
		if diff := cmp.Diff([]string{"E5", "E3"}, numbers(got)); diff != "" {
			t.Errorf("Katherine's active tree (-want +got):\n%s", diff)
		}
		// A partial file (not full) leaves people who are missing alone, and a file with fewer
		// columns changes only those columns.
		rep, err = f.svc.Import(ctx, core.System, []byte("employee_number,given_name,family_name\nE2,Grace B.,Hopper\n"), org.ImportOptions{})
		if err != nil || rep.Update != 1 || rep.Leave != 0 {
			t.Fatalf("partial import: %v %s", err, rep.Summary())
		}
		grace, _ := f.svc.FindPersonByID(ctx, core.System, f.ids["E2"])
		if grace.GivenName != "Grace B." || grace.Email != "grace@example.com" || grace.ManagerID != f.ids["E1"] || grace.TimeZone != "America/New_York" {
			t.Errorf("partial import touched other fields: %+v", grace)
		}
	})
}

func TestImportSwapsEmailsAndLinksHandMadePeople(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// An administrator created by hand, without an employee number.
		admin, err := f.svc.CreatePerson(ctx, core.System, org.PersonInput{GivenName: "Root", FamilyName: "Admin", Email: "root@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		file := "employee_number,given_name,family_name,email\n" +
			"E3,Alan,Turing,jose@example.com\n" +
			"E4,José,Núñez,alan@example.com\n" +
			"E100,Root,Admin,root@example.com\n"
		rep, err := f.svc.Import(ctx, core.System, []byte(file), org.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Applied || rep.Update != 3 || rep.Create != 0 {
			t.Fatalf("%s %v", rep.Summary(), rep.Problems)
		}
		alan, _ := f.svc.FindPersonByID(ctx, core.System, f.ids["E3"])
		root, _ := f.svc.FindPersonByID(ctx, core.System, admin.ID)
		if alan.Email != "jose@example.com" || root.EmployeeNumber != "E100" {
			t.Errorf("alan %s, root %q", alan.Email, root.EmployeeNumber)
		}
		// A full import never marks hand-made people without an employee number as left.
		other, _ := f.svc.CreatePerson(ctx, core.System, org.PersonInput{GivenName: "Ext", FamilyName: "Consultant"})
		if _, err := f.svc.Import(ctx, core.System, []byte(baseCSV), org.ImportOptions{Full: true}); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.svc.FindPersonByID(ctx, core.System, other.ID); p.Status != org.StatusActive {
			t.Errorf("hand-made person marked %s", p.Status)
		}
	})
}

func TestImportRoundTripsFormulaLikeValues(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "employee_number,given_name,family_name,job_title\n\"'=E7\",\"'@Mary\",Jackson,\"'+1 engineer\"\n"
		if rep, err := f.svc.Import(ctx, core.System, []byte(file), org.ImportOptions{}); err != nil || !rep.Applied {
			t.Fatalf("%v %+v", err, rep)
		}
		people, _, _, _ := f.svc.FindPeople(ctx, core.System, org.PersonFilter{Query: "jackson"})
		if len(people) != 1 || people[0].EmployeeNumber != "=E7" || people[0].GivenName != "@Mary" {
			t.Fatalf("imported %+v", people)
		}
		var buf strings.Builder
		if _, err := f.svc.ExportPeople(ctx, core.System, &buf, ""); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "'=E7,'@Mary,Jackson") {
			t.Errorf("export does not protect formula-like values:\n%s", buf.String())
		}
		rep, err := f.svc.Import(ctx, core.System, []byte(buf.String()), org.ImportOptions{Full: true})
		if err != nil || rep.Unchanged != 7 || rep.Update+rep.Create+rep.Leave != 0 {
			t.Errorf("round trip: %v %s %v", err, rep.Summary(), rep.Problems)
		}
	})
}

func TestImportCreatesMissingJobRoles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "employee_number,given_name,family_name,job_role\nE7,Mary,Jackson,Aerospace Engineer\nE8,Dorothy,Vaughan,aerospace engineer\nE9,Kat,G,Executive\n"
		rep, err := f.svc.PlanImport(ctx, core.System, []byte(file), org.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Aerospace Engineer"}, rep.NewRoles); diff != "" || rep.Applied {
			t.Errorf("new roles (-want +got):\n%s applied=%v", diff, rep.Applied)
		}
		if _, err := f.svc.Import(ctx, core.System, []byte(file), org.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		people, _, _, _ := f.svc.FindPeople(ctx, core.System, org.PersonFilter{JobRoleID: roleID(t, f, "Aerospace Engineer")})
		if len(people) != 2 {
			t.Errorf("%d people hold the new role, want 2", len(people))
		}
	})
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(baseCSV), false)
	f.Add([]byte(header+"E7,Mary,Jackson,,ENG,E8,,,\nE8,Dorothy,Vaughan,,ENG,E7,,,\n"), true)
	f.Add([]byte("\ufeffa;b;c\n1;2;3\n"), false)
	f.Add([]byte("employee_number\n\"unterminated\n"), false)
	d := dbtest.SQLite(f)
	svc := org.NewService(d, &core.FixedClock{})
	f.Fuzz(func(t *testing.T, data []byte, full bool) {
		rep, err := svc.PlanImport(ctx, core.System, data, org.ImportOptions{Full: full})
		if err != nil {
			t.Fatalf("plan returned an error instead of a report: %v", err)
		}
		if rep.Valid && rep.ProblemCount > 0 || !rep.Valid && rep.ProblemCount == 0 {
			t.Fatalf("valid=%v with %d problems", rep.Valid, rep.ProblemCount)
		}
		for _, p := range rep.Problems {
			if p.Reason == "" {
				t.Fatalf("problem without a reason: %+v", p)
			}
		}
	})
}

func TestImportUnits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "Code,Name,Type,Parent Code\n" +
			"ENG,Engineering,division,ACME\n" + // unchanged
			"ENG-DATA,Data,team,ENG\n" + // new, child of existing
			"OPS,Operations,division,ACME\n" + // new
			"OPS-IT,IT,department,OPS\n" + // new, child of new, listed after its parent
			"SALES,Sales & Partnerships,division,OPS\n" // renamed and moved under a new unit
		rep, err := f.svc.ImportUnits(ctx, core.System, []byte(file), org.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Applied || rep.Create != 3 || rep.Update != 1 || rep.Unchanged != 1 {
			t.Fatalf("%s %v", rep.Summary(), rep.Problems)
		}
		// Moving Sales moved its people's unit filter with it: Operations now includes Sales.
		people, _, _, _ := f.svc.FindPeople(ctx, core.System, org.PersonFilter{OrgUnitID: unitByCode(t, f, "OPS")})
		if diff := cmp.Diff([]string{"E5", "E6"}, numbers(people)); diff != "" {
			t.Errorf("people under Operations (-want +got):\n%s", diff)
		}
		var buf strings.Builder
		if _, err := f.svc.ExportUnits(ctx, core.System, &buf); err != nil {
			t.Fatal(err)
		}
		rep, err = f.svc.ImportUnits(ctx, core.System, []byte(buf.String()), org.ImportOptions{})
		if err != nil || rep.Unchanged != 7 || rep.Create+rep.Update != 0 {
			t.Errorf("export round trip: %v %s", err, rep.Summary())
		}
		for _, tt := range []struct{ file, want string }{
			{"code,name,kind,parent\nX,X,galaxy,\n", "line 2: kind: choose one of"},
			{"code,name,kind,parent\nX,X,team,NOPE\n", "line 2: parent: unknown parent unit"},
			{"code,name,kind,parent\nA,A,team,B\nB,B,team,A\n", "line 2: parent: parent cycle: A → B → A"},
			{"code,name,kind,parent\nACME,Acme,company,ENG\n", "parent cycle"},
			{"code,name,kind\nX,X,team\nx,Y,team\n", "line 3: code: duplicate code x (first on line 2)"},
			{"name,kind\nX,team\n", "missing column code"},
		} {
			rep, err := f.svc.ImportUnits(ctx, core.System, []byte(tt.file), org.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0].String(), tt.want) {
				t.Errorf("%q: problems %v, want %q", tt.file, rep.Problems, tt.want)
			}
		}
		if _, err := f.svc.ImportUnits(ctx, f.actor(t, "E1", core.RoleLnDAdmin), []byte(file), org.ImportOptions{}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("L&D admin importing units: %v", err)
		}
	})
}

func unitByCode(t *testing.T, f *fixture, code string) string {
	t.Helper()
	units, err := f.svc.FindUnits(ctx, core.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return ""
}

func TestImportOfLargeJunkIsRefusedQuickly(t *testing.T) {
	d := dbtest.SQLite(t)
	svc := org.NewService(d, &core.FixedClock{})
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, tt := range []struct {
		name string
		data func() []byte
		want string
	}{
		{"50 MB of binary", func() []byte {
			b := make([]byte, 50<<20)
			for i := range b {
				b[i] = byte(rnd.IntN(256))
			}
			return b
		}, "not text"},
		{"50 MB of text that is not a people file", func() []byte {
			var b strings.Builder
			for b.Len() < 50<<20 {
				b.WriteString("alpha,beta;gamma\tdelta,epsilon\n")
			}
			return []byte(b.String())
		}, "missing column employee_number"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			rep, err := svc.PlanImport(ctx, core.System, tt.data(), org.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0].Reason, tt.want) {
				t.Errorf("problems %v, want %q", rep.Problems, tt.want)
			}
			t.Logf("refused in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}
