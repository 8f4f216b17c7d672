package training_test

import (
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/training"
)

// FuzzCatalogImport plans arbitrary catalog files: the planner never fails with an internal
// error, and a valid plan applies, after which planning the same file again creates nothing.
func FuzzCatalogImport(f *testing.F) {
	for _, seed := range []string{
		"code,title,kind\nA-1,First,course\n",
		"title,skills,objectives\nX,Go:3; SQL:2,Write a query | Explain an index\n",
		"title;cost_per_learner;certifying\n\"Quoted, title\";\"1,200.50\";yes\n",
		"title,kind\n=cmd|' /C calc'!A0,course\n",
		"\xef\xbb\xbftitle,validity_months\nBOM,12\n",
		"title\n\n\n",
		"code,title\nA,x\nA,y\n",
	} {
		f.Add([]byte(seed))
	}
	d := dbtest.SQLite(f)
	fx := newFixture(f, d, 0)
	imp := importer.New(d, fx.clock, fx.svc.ImportKinds()...)
	lnd := fx.actor("E7")
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := imp.Plan(ctx, lnd, training.KindCatalog, data, importer.Options{})
		if core.ErrorCode(err) == core.EINTERNAL {
			t.Fatalf("internal error: %v", err)
		}
		if err != nil || !rep.Valid {
			return
		}
		applied, err := imp.Import(ctx, lnd, training.KindCatalog, data, importer.Options{})
		if err != nil || !applied.Applied {
			t.Fatalf("a valid plan did not apply: %+v %v", applied, err)
		}
		again, err := imp.Plan(ctx, lnd, training.KindCatalog, data, importer.Options{})
		if err != nil || !again.Valid || again.Create != 0 {
			t.Fatalf("the same file planned again creates %d (%+v, %v)", again.Create, again, err)
		}
	})
}
