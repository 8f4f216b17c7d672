package training_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/training"
)

// A small valid PDF and PNG, and files that must not be kept.
var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	pngFile = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
)

func TestContentFiles(t *testing.T) {
	d := dbtest.SQLite(t)
	f := newFixture(t, d, 0)
	it := f.item("Forklift handbook", training.KindReading)
	lnd := f.actor("E7")
	tests := []struct {
		name, filename string
		data           []byte
		code           string
		ctype          string
		inline         bool
	}{
		{"a PDF", "handbook.pdf", pdfFile, "", "application/pdf", true},
		{"a PNG named .pdf is a PNG", "diagram.pdf", pngFile, "", "image/png", true},
		{"HTML is refused", "page.html", []byte("<!doctype html><html><script>alert(1)</script></html>"), core.EINVALID, "", false},
		{"SVG is refused", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), core.EINVALID, "", false},
		{"a program is refused", "setup.exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...), core.EINVALID, "", false},
		{"an empty file is refused", "empty.pdf", nil, core.EINVALID, "", false},
		{"too large", "big.pdf", append(append([]byte{}, pdfFile...), make([]byte, 2048)...), core.ETOOLARGE, "", false},
	}
	f.svc.MaxUpload = 1024
	for _, tt := range tests {
		c, err := f.svc.AddContentFile(ctx, lnd, it.ID, "", tt.filename, bytes.NewReader(tt.data))
		if got := core.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.name, got, err, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		if c.ContentType != tt.ctype || c.Inline != tt.inline || c.Filename != tt.filename {
			t.Errorf("%s: %+v", tt.name, c)
		}
		_, file, err := f.svc.OpenContent(ctx, f.actor("E3"), it.ID, c.ID)
		if err != nil {
			t.Fatalf("%s: open: %v", tt.name, err)
		}
		b, _ := io.ReadAll(file)
		file.Close()
		if !bytes.Equal(b, tt.data) {
			t.Errorf("%s: stored bytes differ", tt.name)
		}
	}
	// Opening the material starts the learner's enrollment.
	alan := f.actor("E3")
	e := must[*training.Enrollment](t)(f.svc.Enroll(ctx, alan, it.ID))
	first := must[*training.Item](t)(f.svc.FindItemByID(ctx, alan, it.ID)).Content[0]
	_, file, err := f.svc.OpenContent(ctx, alan, it.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	file.Close()
	if got := must[*training.Enrollment](t)(f.svc.FindEnrollmentByID(ctx, alan, e.ID)); got.Status != training.EnrollmentInProgress || got.StartedAt == nil {
		t.Errorf("after opening the material: %s", got.Status)
	}
	// A name that tries to climb out of the directory is only a name.
	c, err := f.svc.AddContentFile(ctx, lnd, it.ID, "", `..\..\etc/passwd.pdf`, bytes.NewReader(pdfFile))
	if err != nil || c.Filename != "passwd.pdf" {
		t.Errorf("traversal name: %+v %v", c, err)
	}
	// Links: only web addresses.
	_, err = f.svc.AddContentLink(ctx, lnd, it.ID, "Run", "javascript:alert(1)")
	code(t, err, core.EINVALID)
	must[*training.Content](t)(f.svc.AddContentLink(ctx, lnd, it.ID, "Video on the intranet", "https://intranet.example.com/v/42"))
	// Only L&D adds content; anyone who sees the item reads it.
	_, err = f.svc.AddContentFile(ctx, f.actor("E3"), it.ID, "", "x.pdf", bytes.NewReader(pdfFile))
	code(t, err, core.EFORBIDDEN)
	got := must[*training.Item](t)(f.svc.FindItemByID(ctx, f.actor("E3"), it.ID))
	if len(got.Content) != 4 {
		t.Errorf("content %+v", got.Content)
	}
	code(t, f.svc.RemoveContent(ctx, lnd, it.ID, got.Content[0].ID), "")
}

func TestCatalogImport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		imp := importer.New(d, f.clock, f.svc.ImportKinds()...)
		lnd := f.actor("E7")
		file := "code,title,kind,duration_minutes,cost_per_learner,status,certifying,compliance,validity_months,tags,skills,objectives\n" +
			"SAFE-1,Forklift safety,elearning,45,25.00,published,yes,yes,12,safety; warehouse,Forklift safety:3,Identify load limits | Carry out the pre-shift check\n" +
			"NEG-1,Negotiation basics,workshop,240,\"1,200.00\",published,no,no,0,sales,Negotiation:2,Prepare a negotiation plan\n"
		plan, err := imp.Plan(ctx, lnd, training.KindCatalog, []byte(file), importer.Options{})
		if err != nil || !plan.Valid || plan.Create != 2 {
			t.Fatalf("plan: %+v %v", plan, err)
		}
		st, err := imp.Stage(ctx, lnd, training.KindCatalog, []byte(file), importer.Options{Filename: "catalog.csv"})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := imp.Apply(ctx, lnd, st.ID)
		if err != nil || !rep.Applied {
			t.Fatalf("apply: %+v %v", rep, err)
		}
		items, _, _ := f.svc.FindItems(ctx, lnd, training.ItemFilter{Query: "negotiation"})
		if len(items) != 1 || items[0].CostPerLearner != 120000 || items[0].Kind != training.KindWorkshop {
			t.Fatalf("imported: %+v", items)
		}
		// Exported, then imported again: nothing new, both updated in place.
		var buf bytes.Buffer
		if n, err := f.svc.ExportCatalog(ctx, lnd, &buf); err != nil || n != 2 {
			t.Fatalf("export: %d %v", n, err)
		}
		plan, err = imp.Plan(ctx, lnd, training.KindCatalog, buf.Bytes(), importer.Options{})
		if err != nil || !plan.Valid || plan.Create != 0 || plan.Update != 2 {
			t.Fatalf("re-import: %+v %v", plan, err)
		}
		// Every bad row is reported with its line and column, and nothing is applied.
		bad := "code,title,kind,skills,certifying\nX-1,Fine,course,,no\nX-2,,course,,no\nX-3,Bad kind,seminar,,no\nX-4,Bad skill,course,Juggling:3,no\nX-5,Bad flag,course,,perhaps\n"
		r, err := imp.Plan(ctx, lnd, training.KindCatalog, []byte(bad), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid || r.ProblemCount != 4 {
			t.Fatalf("bad file: %+v", r)
		}
		lines := map[int]string{}
		for _, p := range r.Problems {
			lines[p.Line] = p.Column
		}
		if lines[3] != "title" || lines[4] != "kind" || lines[5] != "skills" || lines[6] != "certifying" {
			t.Errorf("problems %+v", r.Problems)
		}
		if rep, err := imp.Import(ctx, lnd, training.KindCatalog, []byte(bad), importer.Options{}); err == nil && rep.Applied {
			t.Error("an invalid file applied")
		}
		all, _, _ := f.svc.FindItems(ctx, lnd, training.ItemFilter{Status: "all"})
		if len(all) != 2 || strings.Contains(all[0].Title+all[1].Title, "Fine") {
			t.Errorf("a refused file left items behind: %v", all)
		}
		// Only those who run training import the catalog.
		_, err = imp.Plan(ctx, f.actor("E3"), training.KindCatalog, []byte(file), importer.Options{})
		code(t, err, core.EFORBIDDEN)
	})
}

func TestRecordHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		dp := f.item("Data protection", training.KindELearning, func(in *training.ItemInput) {
			in.Compliance, in.Certifying, in.ValidityMonths = true, true, 12
			in.Skills = []training.ItemSkill{{SkillID: f.skills["SQL"], TargetLevel: 2}}
		})
		lnd := f.actor("E7")
		at := f.clock.T.AddDate(0, -3, 0)
		done := at.Add(48 * time.Hour)
		score := 88.0
		recs := []training.HistoryRecord{
			{PersonID: f.ids["E3"], ItemID: dp.ID, EnrolledAt: at, Status: training.EnrollmentCompleted, CompletedAt: &done, Score: &score},
			{PersonID: f.ids["E4"], ItemID: dp.ID, EnrolledAt: at, Status: training.EnrollmentEnrolled, Source: training.SourceRule, DueOn: core.DateOf(at.AddDate(0, 1, 0))},
		}
		n := must[int](t)(f.svc.RecordHistory(ctx, lnd, recs, "test"))
		if n != 2 {
			t.Fatalf("%d recorded", n)
		}
		alan := f.entry("E3", dp.ID)
		if alan == nil || alan.CertificateID == "" || alan.ComplianceStatus != "" && alan.ComplianceStatus != training.Compliant || alan.ValidUntil.IsZero() {
			t.Errorf("Alan: %+v", alan)
		}
		jose := f.entry("E4", dp.ID)
		if jose == nil || !jose.Overdue || jose.ComplianceStatus != training.Overdue {
			t.Errorf("José: %+v", jose)
		}
		// A bad record refuses the batch, naming it; nothing is written.
		bad := []training.HistoryRecord{recs[0], {PersonID: f.ids["E5"], ItemID: dp.ID, EnrolledAt: at, Status: "finished"}}
		_, err := f.svc.RecordHistory(ctx, lnd, bad, "")
		if e := core.AsError(err); e == nil || e.Field != "records[1].status" {
			t.Errorf("bad batch: %v", err)
		}
		var count int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM enrollments`).Scan(&count); err != nil || count != 2 {
			t.Errorf("%d enrollments after a refused batch (%v)", count, err)
		}
		// A second open enrollment beside an existing one is a conflict.
		_, err = f.svc.RecordHistory(ctx, lnd, recs[1:], "")
		code(t, err, core.ECONFLICT)
		_, err = f.svc.RecordHistory(ctx, f.actor("E2"), recs, "")
		code(t, err, core.EFORBIDDEN)
	})
}
