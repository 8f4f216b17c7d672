package tna

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/tabular"
	"github.com/learnloop/learnloop/internal/workbook"
)

// Formats a report is written in.
var Formats = []string{"csv", "xlsx"}

// header is the needs table's header: fixed columns, then one per survey skills question, then
// the people short.
func (r *Report) header() []string {
	h := []string{"Skill", "Category", "Criticality", "People required", "People short", "Levels missing", "Mean gap", "Priority", "Open since"}
	if r.Survey != nil {
		for _, q := range r.Survey.Questions {
			h = append(h, "Survey: "+q)
		}
	}
	return append(h, "People short (biggest gap first)")
}

// rows are the needs table's rows as text, then the skills only the survey asked for.
func (r *Report) rows() [][]string {
	var out [][]string
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for _, n := range r.Needs {
		row := []string{n.Skill, n.Category, n.Criticality, strconv.Itoa(n.Required), strconv.Itoa(n.Short), num(n.GapSum), num(n.MeanGap),
			num(n.Priority), n.Since.UTC().Format("2006-01-02")}
		row = append(row, r.asked(n.Asked)...)
		names := make([]string, len(n.People))
		for i, p := range n.People {
			names[i] = fmt.Sprintf("%s (%s of %d)", p.Name, num(p.Level), p.Target)
		}
		if more := n.Short - len(n.People); more > 0 {
			names = append(names, fmt.Sprintf("and %d more", more))
		}
		out = append(out, append(row, strings.Join(names, "; ")))
	}
	if r.Survey != nil {
		for _, a := range r.Survey.AskedOnly {
			row := []string{a.Skill, "", "", "", "0", "", "", "", ""}
			out = append(out, append(append(row, r.asked(a.Asked)...), ""))
		}
	}
	return out
}

func (r *Report) asked(counts []int) []string {
	if r.Survey == nil {
		return nil
	}
	out := make([]string, len(r.Survey.Questions))
	for i := range out {
		if i < len(counts) {
			out[i] = strconv.Itoa(counts[i])
		}
	}
	return out
}

// Write writes the report as "csv" (the needs table) or "xlsx" (the needs table, one row per
// person short, and the survey's answers).
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "csv":
		c := csv.NewWriter(w)
		for _, row := range append([][]string{r.header()}, r.rows()...) {
			for i := range row {
				row[i] = tabular.Escape(row[i])
			}
			if err := c.Write(row); err != nil {
				return err
			}
		}
		c.Flush()
		return c.Error()
	case "xlsx":
		return r.writeXLSX(w)
	}
	return core.Invalid("format", "choose csv or xlsx")
}

func (r *Report) writeXLSX(w io.Writer) error {
	wb, err := workbook.New()
	if err != nil {
		return err
	}
	defer wb.Close()
	sheet := func(name string, header []string, rows [][]any) error {
		_, err := wb.Table(name, header, false, workbook.Slice(rows))
		return err
	}
	// The needs, with numbers as numbers so they sort and sum.
	var needs [][]any
	for _, n := range r.Needs {
		row := []any{n.Skill, n.Category, n.Criticality, n.Required, n.Short, n.GapSum, n.MeanGap, n.Priority, n.Since.UTC().Format("2006-01-02")}
		for _, c := range r.asked(n.Asked) {
			row = append(row, atoi(c))
		}
		names := make([]string, len(n.People))
		for i, p := range n.People {
			names[i] = p.Name
		}
		needs = append(needs, append(row, strings.Join(names, "; ")))
	}
	if r.Survey != nil {
		for _, a := range r.Survey.AskedOnly {
			row := []any{a.Skill, "", "", "", 0, "", "", "", ""}
			for _, c := range r.asked(a.Asked) {
				row = append(row, atoi(c))
			}
			needs = append(needs, append(row, ""))
		}
	}
	if err := sheet("Needs", r.header(), needs); err != nil {
		return err
	}
	var people [][]any
	for _, n := range r.Needs {
		for _, p := range n.People {
			people = append(people, []any{n.Skill, p.Name, p.JobRole, p.Level, p.Target, p.Gap, p.Criticality, p.Since.UTC().Format("2006-01-02")})
		}
	}
	if err := sheet("People", []string{"Skill", "Person", "Job role", "Level", "Required", "Gap", "Criticality", "Open since"}, people); err != nil {
		return err
	}
	if s := r.Survey; s != nil {
		rows := [][]any{{"Survey", s.Title}, {"Status", s.Status}, {"Answers cover", s.Scope}, {"Invited", s.Invited}, {"Answered", s.Answered},
			{"Response rate", s.ResponseRate}}
		if s.Suppressed {
			rows = append(rows, []any{"Answers", "hidden: too few answers to show them without identifying people"})
		}
		for _, p := range s.Preferences {
			rows = append(rows, []any{p.Prompt, p.Mean, fmt.Sprintf("1 = %s, %d = %s", p.Low, p.Max, p.High)})
		}
		if err := sheet("Survey", []string{"", "", ""}, rows); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(w)
	return err
}

func atoi(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return s
}
