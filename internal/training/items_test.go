package training_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/training"
)

func TestCatalogItems(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		lnd := f.actor("E7")
		in := training.ItemInput{Code: "NEG-101", Title: "  Negotiation   basics ", Kind: "workshop", DurationMinutes: 240, Language: "en-gb",
			Provider: "Acme Academy", CostPerLearner: 12050, FixedCost: 150000, Currency: "gbp", Status: "published", Enrollment: "approval",
			Tags: []string{"Sales", "sales", " soft skills "}, Skills: []training.ItemSkill{{SkillID: f.skills["Negotiation"], TargetLevel: 3}},
			Objectives: []training.ObjectiveInput{{Text: "Prepare a negotiation plan with a walk-away point"}, {Text: "Understand the buyer's position"},
				{Text: "Compare two offers against your plan", Bloom: "evaluate"}}}
		it, err := f.svc.CreateItem(ctx, lnd, in)
		if err != nil {
			t.Fatal(err)
		}
		if it.Title != "Negotiation basics" || it.Language != "en-GB" || it.Currency != "GBP" || it.Modality != training.ModalityInPerson {
			t.Errorf("not normalized: %q %q %q %q", it.Title, it.Language, it.Currency, it.Modality)
		}
		if strings.Join(it.Tags, ",") != "sales,soft skills" {
			t.Errorf("tags %v", it.Tags)
		}
		if len(it.Skills) != 1 || it.Skills[0].SkillName != "Negotiation" || it.Skills[0].TargetLevel != 3 {
			t.Errorf("skills %+v", it.Skills)
		}
		if len(it.Objectives) != 3 {
			t.Fatalf("objectives %+v", it.Objectives)
		}
		o := it.Objectives
		if o[0].Bloom == "" || o[0].Override {
			t.Errorf("the first objective is classified automatically: %+v", o[0])
		}
		if o[1].Bloom != bloom.Understand || len(o[1].Warnings) == 0 {
			t.Errorf("\"understand\" gets a warning: %+v", o[1])
		}
		if o[2].Bloom != bloom.Evaluate || !o[2].Override {
			t.Errorf("the author's level is kept: %+v", o[2])
		}
		// Money reads and writes in major units.
		b, _ := json.Marshal(it)
		if !strings.Contains(string(b), `"cost_per_learner":120.50`) || !strings.Contains(string(b), `"fixed_cost":1500.00`) {
			t.Errorf("money in JSON: %s", b)
		}

		// An update that keeps an objective's id keeps the objective (and its questions).
		up := it.Input()
		up.Objectives = []training.ObjectiveInput{{ID: o[2].ID, Text: "Compare two offers against the plan"}, {Text: "Close a deal"}}
		it2, err := f.svc.UpdateItem(ctx, lnd, it.ID, up)
		if err != nil {
			t.Fatal(err)
		}
		if len(it2.Objectives) != 2 || it2.Objectives[0].ID != o[2].ID || it2.Objectives[0].Position != 1 {
			t.Errorf("objectives after update: %+v", it2.Objectives)
		}

		// Every wrong field is named.
		_, err = f.svc.CreateItem(ctx, lnd, training.ItemInput{Kind: "seminar", Language: "not a language!", Currency: "euro", CostPerLearner: -1,
			ExternalURL: "javascript:alert(1)", Status: "live", Objectives: []training.ObjectiveInput{{Text: ""}},
			Skills: []training.ItemSkill{{SkillID: f.skills["Go"], TargetLevel: 9}}})
		e := core.AsError(err)
		if e == nil || e.Code != core.EINVALID {
			t.Fatalf("bad input: %v", err)
		}
		for _, field := range []string{"title", "kind", "language", "currency", "cost_per_learner", "external_url", "status", "objectives[0].text", "skills[0].target_level"} {
			if e.Fields[field] == "" {
				t.Errorf("no message for %s: %v", field, e.Fields)
			}
		}
		// A duplicate code is refused, naming the field.
		_, err = f.svc.CreateItem(ctx, lnd, training.ItemInput{Code: "neg-101", Title: "Other", Kind: "course"})
		if e := core.AsError(err); e == nil || e.Field != "code" {
			t.Errorf("duplicate code: %v", err)
		}
		// Only those who run training write the catalog.
		_, err = f.svc.CreateItem(ctx, f.actor("E2"), training.ItemInput{Title: "Mine", Kind: "course"})
		code(t, err, core.EFORBIDDEN)
	})
}

func TestCatalogSearchAndDrafts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, 0)
		f.item("Forklift safety refresher", training.KindELearning, func(in *training.ItemInput) {
			in.Tags = []string{"safety"}
			in.Skills = []training.ItemSkill{{SkillID: f.skills["Forklift safety"], TargetLevel: 2}}
		})
		f.item("Go concurrency", training.KindCourse, func(in *training.ItemInput) { in.Provider = "Gopher Guild" })
		f.item("Données personnelles", training.KindELearning, func(in *training.ItemInput) { in.Language = "fr" })
		f.item("Secret draft", training.KindCourse, func(in *training.ItemInput) { in.Status = training.StatusDraft })
		emp := f.actor("E3")
		titles := func(a *core.Actor, flt training.ItemFilter) string {
			t.Helper()
			items, _, err := f.svc.FindItems(ctx, a, flt)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Title)
			}
			return strings.Join(out, "; ")
		}
		tests := []struct {
			name  string
			actor *core.Actor
			f     training.ItemFilter
			want  string
		}{
			{"everything published, by title", emp, training.ItemFilter{}, "Données personnelles; Forklift safety refresher; Go concurrency"},
			{"a word of the title", emp, training.ItemFilter{Query: "fork"}, "Forklift safety refresher"},
			{"accents do not matter", emp, training.ItemFilter{Query: "donnees"}, "Données personnelles"},
			{"the provider", emp, training.ItemFilter{Query: "gopher"}, "Go concurrency"},
			{"a skill's name", emp, training.ItemFilter{Query: "forklift safety"}, "Forklift safety refresher"},
			{"by skill", emp, training.ItemFilter{SkillID: f.skills["Forklift safety"]}, "Forklift safety refresher"},
			{"by tag", emp, training.ItemFilter{Tag: "Safety"}, "Forklift safety refresher"},
			{"by kind", emp, training.ItemFilter{Kind: training.KindCourse}, "Go concurrency"},
			{"by language", emp, training.ItemFilter{Language: "FR"}, "Données personnelles"},
			{"drafts are not for learners", emp, training.ItemFilter{Status: "all"}, "Données personnelles; Forklift safety refresher; Go concurrency"},
			{"drafts are for L&D", f.actor("E7"), training.ItemFilter{Status: "draft"}, "Secret draft"},
		}
		for _, tt := range tests {
			if got := titles(tt.actor, tt.f); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
		}
		// Paging by cursor walks the catalog once.
		page, next, err := f.svc.FindItems(ctx, emp, training.ItemFilter{Limit: 2})
		if err != nil || len(page) != 2 || next == "" {
			t.Fatalf("first page: %d %q %v", len(page), next, err)
		}
		rest, next2, err := f.svc.FindItems(ctx, emp, training.ItemFilter{Limit: 2, Cursor: next})
		if err != nil || len(rest) != 1 || next2 != "" || rest[0].Title != "Go concurrency" {
			t.Errorf("second page: %v %q %v", rest, next2, err)
		}
		// A draft is not found by learners.
		drafts, _, _ := f.svc.FindItems(ctx, f.actor("E7"), training.ItemFilter{Status: "draft"})
		_, err = f.svc.FindItemByID(ctx, emp, drafts[0].ID)
		code(t, err, core.ENOTFOUND)
	})
}
