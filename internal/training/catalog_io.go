package training

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/tabular"
)

// KindCatalog is the import kind of catalog files.
const KindCatalog = "catalog"

// catalogColumns are the columns of a catalog file, with the other names they go by.
var catalogColumns = map[string][]string{
	"code":             {"item code", "course code"},
	"title":            {"name", "course", "course title"},
	"kind":             {"type", "item type"},
	"modality":         {"delivery"},
	"duration_minutes": {"duration", "minutes", "duration (minutes)"},
	"language":         {"lang"},
	"provider":         {"vendor"},
	"cost_per_learner": {"cost", "price", "cost per learner"},
	"fixed_cost":       {"fixed cost"},
	"currency":         {},
	"status":           {},
	"enrollment":       {"enrolment"},
	"certifying":       {"certificate"},
	"compliance":       {"mandatory"},
	"validity_months":  {"validity", "valid for (months)"},
	"renew_days":       {"renew before (days)"},
	"tags":             {"keywords"},
	"skills":           {"skills developed"},
	"objectives":       {"learning objectives"},
	"external_url":     {"url", "link"},
	"description":      {"summary"},
}

// CatalogColumnOrder is the column order of exported catalog files, which import unchanged.
var CatalogColumnOrder = []string{"code", "title", "kind", "modality", "duration_minutes", "language", "provider", "cost_per_learner", "fixed_cost",
	"currency", "status", "enrollment", "certifying", "compliance", "validity_months", "renew_days", "tags", "skills", "objectives", "external_url", "description"}

const catalogHelp = "Catalog files have one row per learning item: code (the key; without one, the title is), title, kind (elearning, course, workshop, ilt, webinar, external, reading, video, job_aid, microlearning), modality (self_paced, live_online, in_person, blended), duration_minutes, language, provider, cost_per_learner and fixed_cost (amounts such as 120.00), currency, status (draft, published, retired), enrollment (open, approval, assigned), certifying and compliance (yes or no), validity_months, renew_days, tags (separated by semicolons), skills (name:target level, separated by semicolons, such as Negotiation:3; Pricing:2), objectives (separated by |), external_url and description. A file changes only the columns it has; items missing from it are kept."

// ImportKinds are the files this package imports: the catalog.
func (s *Service) ImportKinds() []*importer.Kind {
	return []*importer.Kind{{
		Name: KindCatalog, Label: "Training catalog", Perm: core.PermTrainingWrite, Help: catalogHelp,
		Plan: func(ctx context.Context, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			if err := actor.Require(core.PermTrainingWrite); err != nil {
				return nil, err
			}
			p, err := s.planCatalog(ctx, s.DB.Reader(), data, o.Encoding)
			if err != nil {
				return nil, err
			}
			return p.report, nil
		},
		Apply: func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			if err := actor.Require(core.PermTrainingWrite); err != nil {
				return nil, err
			}
			p, err := s.planCatalog(ctx, tx, data, o.Encoding)
			if err != nil || !p.report.Valid {
				return reportOf(p), err
			}
			for _, r := range p.rows {
				if _, err := s.saveItem(ctx, tx, actor, r.id, r.in); err != nil {
					return nil, fmt.Errorf("line %d: %w", r.line, err)
				}
			}
			p.report.Applied = true
			name := o.Filename
			if name == "" {
				name = "a catalog file"
			}
			return p.report, s.audit(ctx, tx, actor, audit.Entry{Action: "training.catalog_import", TargetType: "catalog",
				Summary: fmt.Sprintf("Imported %s: %s", name, p.report.Summary())})
		},
	}}
}

func reportOf(p *catalogPlan) *tabular.Report {
	if p == nil {
		return nil
	}
	return p.report
}

type catalogPlan struct {
	report *tabular.Report
	rows   []catalogRow
}

type catalogRow struct {
	line int
	id   string // "" for a new item
	in   ItemInput
}

var yesNo = map[string]bool{"yes": true, "y": true, "true": true, "1": true, "no": false, "n": false, "false": false, "0": false, "": false}

// planCatalog reads a catalog file and checks every row against the catalog and the skills
// framework, changing nothing.
func (s *Service) planCatalog(ctx context.Context, q db.Queryer, data []byte, encoding string) (*catalogPlan, error) {
	report := tabular.NewReport(KindCatalog)
	p := &catalogPlan{report: report}
	table, cols, err := tabular.ReadFile(report, data, encoding, catalogColumns, []string{"title"}, "items")
	if err != nil || cols == nil {
		report.SortProblems()
		return p, err
	}
	existing, err := s.catalogKeys(ctx, q)
	if err != nil {
		return nil, err
	}
	skillsByName, err := skillNamesMap(ctx, q)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, tr := range table.Rows {
		get := func(f string) string { return strings.TrimSpace(tabular.Unescape(cols.Get(tr, f))) }
		problem := func(field, value, reason string) {
			report.Problem(tabular.Problem{Line: tr.Line, Column: cols.Name(field), Value: value, Reason: reason})
		}
		code, title := get("code"), get("title")
		key := "title:" + strings.ToLower(clean(title))
		if code != "" {
			key = "code:" + strings.ToLower(code)
		}
		if first, dup := seen[key]; dup {
			problem("title", title, fmt.Sprintf("the same item is on line %d already", first))
			continue
		}
		seen[key] = tr.Line
		row := catalogRow{line: tr.Line}
		var old *Item
		if id, ok := existing[key]; ok {
			if old, err = s.findItem(ctx, q, id); err != nil {
				return nil, err
			}
			row.id, row.in = id, old.Input()
		} else {
			row.in = ItemInput{Kind: KindCourse}
		}
		in := &row.in
		set := func(field string, dst *string) {
			if cols.Has(field) {
				*dst = get(field)
			}
		}
		set("code", &in.Code)
		set("title", &in.Title)
		set("kind", &in.Kind)
		set("modality", &in.Modality)
		set("language", &in.Language)
		set("provider", &in.Provider)
		set("currency", &in.Currency)
		set("status", &in.Status)
		set("enrollment", &in.Enrollment)
		set("external_url", &in.ExternalURL)
		set("description", &in.Description)
		for field, dst := range map[string]*int{"duration_minutes": &in.DurationMinutes, "validity_months": &in.ValidityMonths, "renew_days": &in.RenewDays} {
			if !cols.Has(field) {
				continue
			}
			v := get(field)
			if v == "" {
				*dst = 0
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				problem(field, v, "enter a whole number")
				continue
			}
			*dst = n
		}
		for field, dst := range map[string]*Money{"cost_per_learner": &in.CostPerLearner, "fixed_cost": &in.FixedCost} {
			if !cols.Has(field) {
				continue
			}
			m, err := ParseMoney(get(field))
			if err != nil {
				problem(field, get(field), err.Error())
				continue
			}
			*dst = m
		}
		for field, dst := range map[string]*bool{"certifying": &in.Certifying, "compliance": &in.Compliance} {
			if !cols.Has(field) {
				continue
			}
			b, ok := yesNo[strings.ToLower(get(field))]
			if !ok {
				problem(field, get(field), "enter yes or no")
				continue
			}
			*dst = b
		}
		if cols.Has("tags") {
			in.Tags = splitList(get("tags"), ";")
		}
		if cols.Has("skills") {
			in.Skills = nil
			for _, part := range splitList(get("skills"), ";") {
				name, level := part, ""
				if i := strings.LastIndex(part, ":"); i >= 0 {
					name, level = strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+1:])
				}
				id, ok := skillsByName[strings.ToLower(clean(name))]
				if !ok {
					problem("skills", part, fmt.Sprintf("%q is not a skill of the framework", name))
					continue
				}
				n, err := strconv.Atoi(level)
				if err != nil {
					problem("skills", part, "write each skill as name:target level, such as Negotiation:3")
					continue
				}
				in.Skills = append(in.Skills, ItemSkill{SkillID: id, TargetLevel: n})
			}
		}
		if cols.Has("objectives") {
			kept := map[string]string{} // text → id of an objective already there
			if old != nil {
				for _, o := range old.Objectives {
					kept[strings.ToLower(o.Text)] = o.ID
				}
			}
			in.Objectives = nil
			for _, text := range splitList(strings.ReplaceAll(get("objectives"), "\n", "|"), "|") {
				in.Objectives = append(in.Objectives, ObjectiveInput{ID: kept[strings.ToLower(clean(text))], Text: text})
			}
		}
		in.normalize()
		var v core.Validation
		in.validate(&v)
		if err := s.checkRefs(ctx, q, in, &v); err != nil {
			return nil, err
		}
		if e := core.AsError(v.Err()); e != nil {
			for field, msg := range e.Fields {
				base := field
				if i := strings.IndexAny(base, "[."); i >= 0 {
					base = base[:i]
				}
				problem(base, "", msg)
			}
			continue
		}
		if old != nil && old.Kind != in.Kind {
			if err := s.checkKindChange(ctx, q, old, in.Kind); err != nil {
				problem("kind", in.Kind, core.ErrorMessage(err))
				continue
			}
		}
		if row.id == "" {
			report.Create++
			report.AddChange(tabular.Change{Line: tr.Line, Kind: "create", Key: in.Code, Name: in.Title})
		} else {
			report.Update++
			report.AddChange(tabular.Change{Line: tr.Line, Kind: "update", Key: in.Code, Name: in.Title})
		}
		p.rows = append(p.rows, row)
	}
	report.SortProblems()
	report.Valid = report.ProblemCount == 0
	return p, nil
}

func splitList(s, sep string) []string {
	var out []string
	for _, part := range strings.Split(s, sep) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// catalogKeys maps the keys rows are matched by (code:…, title:…) to item ids.
func (s *Service) catalogKeys(ctx context.Context, q db.Queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(code, ''), title FROM learning_items`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, code, title string
		if err := rows.Scan(&id, &code, &title); err != nil {
			return nil, err
		}
		if code != "" {
			out["code:"+strings.ToLower(code)] = id
		} else {
			out["title:"+strings.ToLower(title)] = id
		}
	}
	return out, rows.Err()
}

// skillNamesMap maps lower-case skill names and aliases of active skills to their ids.
func skillNamesMap(ctx context.Context, q db.Queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, aliases FROM skills WHERE retired_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name, aliases string
		if err := rows.Scan(&id, &name, &aliases); err != nil {
			return nil, err
		}
		for _, a := range strings.Split(aliases, ";") {
			if a = strings.ToLower(clean(a)); a != "" {
				out[a] = id
			}
		}
		out[strings.ToLower(clean(name))] = id
	}
	return out, rows.Err()
}

// ExportCatalog writes the catalog as CSV in CatalogColumnOrder, which imports unchanged.
func (s *Service) ExportCatalog(ctx context.Context, actor *core.Actor, w io.Writer) (int, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return 0, err
	}
	var items []*Item
	cursor := ""
	for {
		page, next, err := s.FindItems(ctx, actor, ItemFilter{Status: "all", Cursor: cursor, Limit: core.MaxLimit})
		if err != nil {
			return 0, err
		}
		for _, it := range page {
			full, err := s.findItem(ctx, s.DB.Reader(), it.ID)
			if err != nil {
				return 0, err
			}
			items = append(items, full)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	c := csv.NewWriter(w)
	if err := c.Write(CatalogColumnOrder); err != nil {
		return 0, err
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, it := range items {
		var sk, obj []string
		for _, x := range it.Skills {
			sk = append(sk, fmt.Sprintf("%s:%d", x.SkillName, x.TargetLevel))
		}
		for _, o := range it.Objectives {
			obj = append(obj, o.Text)
		}
		rec := []string{it.Code, it.Title, it.Kind, it.Modality, strconv.Itoa(it.DurationMinutes), it.Language, it.Provider, it.CostPerLearner.String(),
			it.FixedCost.String(), it.Currency, it.Status, it.Enrollment, yes(it.Certifying), yes(it.Compliance), strconv.Itoa(it.ValidityMonths),
			strconv.Itoa(it.RenewDays), strings.Join(it.Tags, "; "), strings.Join(sk, "; "), strings.Join(obj, " | "), it.ExternalURL, it.Description}
		for i := range rec {
			rec[i] = tabular.Escape(rec[i])
		}
		if err := c.Write(rec); err != nil {
			return 0, err
		}
	}
	c.Flush()
	return len(items), c.Error()
}
