package importer_test

import (
	"context"
	"slices"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
)

var ctx = context.Background()

func newService(d *db.DB) *importer.Service {
	orgs := org.NewService(d, core.SystemClock{})
	sk := skills.NewService(d, core.SystemClock{}, orgs)
	return importer.New(d, core.SystemClock{}, slices.Concat(orgs.ImportKinds(), sk.ImportKinds())...)
}

func names(kinds []*importer.Kind) []string {
	var out []string
	for _, k := range kinds {
		out = append(out, k.Name)
	}
	return out
}

func TestKindsFollowPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		hr := &core.Actor{Name: "hr", Roles: []core.Role{core.RoleHRAdmin}}
		lnd := &core.Actor{Name: "lnd", Roles: []core.Role{core.RoleLnDAdmin}}
		emp := &core.Actor{Name: "emp"}
		mgr := &core.Actor{Name: "mgr", IsManager: true}
		if got := names(s.Kinds(lnd)); !slices.Equal(got, []string{"skills", "skills_matrix"}) {
			t.Errorf("L&D administrator's kinds: %v", got)
		}
		if got := names(s.Kinds(mgr)); !slices.Equal(got, []string{"skills_matrix"}) {
			t.Errorf("manager's kinds: %v", got)
		}
		if _, err := s.Plan(ctx, emp, skills.KindMatrix, []byte("email,Go\na@example.com,3\n"), importer.Options{Source: "manager"}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("employee importing a matrix: %v", err)
		}
		if _, err := s.Plan(ctx, mgr, skills.KindMatrix, []byte("email,Go\na@example.com,3\n"), importer.Options{Source: "self"}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("matrix with a bad source: %v", err)
		}
		if got := names(s.Kinds(hr)); !slices.Contains(got, "people") || !slices.Contains(got, "skills") {
			t.Errorf("HR administrator's kinds: %v", got)
		}
		if got := s.Kinds(emp); len(got) != 0 {
			t.Errorf("an employee may import %v", names(got))
		}
		people := []byte("employee_number,given_name,family_name\nX1,Pat,New\n")
		if _, err := s.Stage(ctx, lnd, org.KindPeople, people, importer.Options{Filename: "p.csv"}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("L&D administrator staging people: %v", err)
		}
		if _, err := s.Import(ctx, emp, skills.KindFramework, []byte("skill\nGo\n"), importer.Options{}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("employee importing skills: %v", err)
		}
		if _, err := s.Plan(ctx, hr, "shoes", people, importer.Options{}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("unknown kind: %v", err)
		}
		// A people file staged by HR is invisible to the L&D administrator.
		st, err := s.Stage(ctx, hr, org.KindPeople, people, importer.Options{Filename: "p.csv", Source: "ignored"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Options.Source != "" {
			t.Errorf("an option the kind does not read was kept: %+v", st.Options)
		}
		if _, _, err := s.Preview(ctx, lnd, st.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("L&D administrator previewing a people file: %v", err)
		}
		if err := s.Discard(ctx, lnd, st.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("L&D administrator discarding a people file: %v", err)
		}
		if _, err := s.Apply(ctx, lnd, st.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("L&D administrator applying a people file: %v", err)
		}
		fw, err := s.Stage(ctx, lnd, skills.KindFramework, []byte("skill,category\nGo,Engineering / Backend\n"), importer.Options{Filename: "f.csv"})
		if err != nil {
			t.Fatal(err)
		}
		recent, err := s.Recent(ctx, lnd, 10)
		if err != nil || len(recent) != 1 || recent[0].ID != fw.ID {
			t.Errorf("L&D administrator's recent files: %v %v", recent, err)
		}
		if recent, _ := s.Recent(ctx, hr, 10); len(recent) != 2 {
			t.Errorf("HR administrator's recent files: %d", len(recent))
		}
		if _, err := s.Recent(ctx, emp, 10); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("employee listing imports: %v", err)
		}
	})
}

func TestStagedFileAppliesOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		lnd := &core.Actor{Name: "lnd", Roles: []core.Role{core.RoleLnDAdmin}}
		file := []byte("skill,category,type\nGo,Engineering / Backend,technical\nSQL,Engineering / Data,technical\n")
		st, err := s.Stage(ctx, lnd, skills.KindFramework, file, importer.Options{Filename: "framework.csv"})
		if err != nil {
			t.Fatal(err)
		}
		got, rep, err := s.Preview(ctx, lnd, st.ID)
		if err != nil || !rep.Valid || rep.Create != 2 || got.Filename != "framework.csv" || got.Size != len(file) {
			t.Fatalf("preview: %+v %+v %v", got, rep, err)
		}
		if rep, err = s.Apply(ctx, lnd, st.ID); err != nil || !rep.Valid || !rep.Applied || rep.Create != 2 {
			t.Fatalf("apply: %+v %v", rep, err)
		}
		if _, err := s.Apply(ctx, lnd, st.ID); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("applying twice: %v", err)
		}
		if err := s.Discard(ctx, lnd, st.ID); err != nil {
			t.Errorf("discarding an applied file: %v", err)
		}
		recent, _ := s.Recent(ctx, lnd, 10)
		if len(recent) != 1 || recent[0].Status != "applied" || recent[0].Summary == "" {
			t.Errorf("after applying: %+v", recent[0])
		}
		// The same file again changes nothing; a bad file changes nothing either.
		if rep, err := s.Import(ctx, lnd, skills.KindFramework, file, importer.Options{}); err != nil || rep.Unchanged != 2 || rep.Create+rep.Update != 0 {
			t.Errorf("re-import: %+v %v", rep, err)
		}
		bad, err := s.Stage(ctx, lnd, skills.KindFramework, []byte("skill,type\nRust,magic\n"), importer.Options{Filename: "bad.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := s.Apply(ctx, lnd, bad.ID); err != nil || rep.Valid || rep.Applied {
			t.Errorf("applying a bad file: %+v %v", rep, err)
		}
		if recent, _ := s.Recent(ctx, lnd, 10); recent[0].Status != "previewed" {
			t.Errorf("a bad file was marked %s", recent[0].Status)
		}
		if _, err := s.Stage(ctx, lnd, skills.KindFramework, nil, importer.Options{}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("staging an empty file: %v", err)
		}
		if _, _, err := s.Preview(ctx, lnd, "not-an-id"); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("previewing a bad id: %v", err)
		}
	})
}
