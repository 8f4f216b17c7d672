package tabular

import (
	"fmt"
	"slices"
)

// Report says what an import found and would do (or did). Every importer fills one, so the web
// preview, the API and the command line show all imports alike.
type Report struct {
	// Kind is what the file holds: people, org_units, skills…
	Kind      string    `json:"kind"`
	Rows      int       `json:"rows"`
	Valid     bool      `json:"valid"`
	Applied   bool      `json:"applied"`
	Problems  []Problem `json:"problems"`
	Ignored   []string  `json:"ignored_columns,omitempty"`
	Create    int       `json:"create"`
	Update    int       `json:"update"`
	Unchanged int       `json:"unchanged"`
	Leave     int       `json:"leave"`
	NewRoles  []string  `json:"new_job_roles,omitempty"`
	// Changes lists planned changes, the first MaxPreviewChanges of them.
	Changes []Change `json:"changes"`
	// ProblemCount counts every problem, also beyond those listed.
	ProblemCount int `json:"problem_count"`
}

// Change is one planned change, for the preview.
type Change struct {
	Line   int      `json:"line,omitempty"`
	Kind   string   `json:"kind"` // create, update, leave
	Key    string   `json:"key"`
	Name   string   `json:"name"`
	Fields []string `json:"fields,omitempty"`
}

// Limits on what a report carries.
const (
	MaxPreviewChanges = 500
	MaxProblems       = 1000
)

// NewReport returns an empty report for a kind of file.
func NewReport(kind string) *Report {
	return &Report{Kind: kind, Problems: []Problem{}, Changes: []Change{}}
}

// Problem records a problem; past MaxProblems it is only counted.
func (r *Report) Problem(p Problem) {
	r.ProblemCount++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	}
}

// SortProblems orders problems by line, keeping the order found within a line.
func (r *Report) SortProblems() {
	slices.SortStableFunc(r.Problems, func(a, b Problem) int { return a.Line - b.Line })
}

// AddChange records a planned change for the preview.
func (r *Report) AddChange(c Change) {
	if len(r.Changes) < MaxPreviewChanges {
		r.Changes = append(r.Changes, c)
	}
}

// Summary is a one-line account of the report.
func (r *Report) Summary() string {
	if !r.Valid {
		return fmt.Sprintf("%d rows, %d problems: nothing applied", r.Rows, r.ProblemCount)
	}
	s := fmt.Sprintf("%d rows: %d new, %d updated, %d unchanged", r.Rows, r.Create, r.Update, r.Unchanged)
	if r.Kind == "people" {
		s += fmt.Sprintf(", %d marked as left", r.Leave)
	}
	if len(r.NewRoles) > 0 {
		s += fmt.Sprintf(", %d new job roles", len(r.NewRoles))
	}
	return s
}

// ReadFile reads an import file into report: its rows and columns when the file can be imported
// at all, else nil columns and the problems that stop it (noun names what rows hold: "people").
func ReadFile(report *Report, data []byte, encoding string, columns map[string][]string, required []string, noun string) (*Table, *Columns, error) {
	table, err := Read(data, Options{Encoding: encoding})
	if err != nil {
		if fe, ok := err.(*FileError); ok {
			report.Problem(fe.Problem)
			return nil, nil, nil
		}
		return nil, nil, err
	}
	report.Rows = len(table.Rows)
	for _, pr := range table.Problems {
		report.Problem(pr)
	}
	cols, probs := table.MapColumns(columns, required)
	report.Ignored = cols.Unknown
	for _, pr := range probs {
		report.Problem(pr)
	}
	if len(probs) > 0 {
		return nil, nil, nil
	}
	if len(table.Rows) == 0 && len(table.Problems) == 0 {
		report.Problem(Problem{Reason: "the file has a header but no " + noun})
		return nil, nil, nil
	}
	return table, cols, nil
}
