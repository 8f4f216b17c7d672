package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestSkillsCommands runs the skills commands an operator scripts on a demo organization: the
// framework and the matrix go out and come back unchanged, and the reports agree with each other.
func TestSkillsCommands(t *testing.T) {
	c := newCLI(t)
	c.ok("", "demo", "--no-serve", "--people", "60", "--seed", "3", "--password", demoPassword)

	// The framework round-trips as CSV.
	c.ok("", "export", "skills", "--out", c.path("skills.csv"))
	if out := c.ok("", "import", "skills", c.path("skills.csv")); !strings.Contains(out, " 0 new, 0 updated") {
		t.Errorf("framework re-import: %s", out)
	}
	var framework struct {
		Skills []struct{ Name string } `json:"skills"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "export", "skills", "--format", "json")), &framework); err != nil || len(framework.Skills) < 100 {
		t.Errorf("framework as JSON: %d skills, %v", len(framework.Skills), err)
	}

	// The Engineering matrix as CSV, read back as a manager's ratings, changes nothing.
	c.ok("", "export", "matrix", "--unit", "ENG", "--format", "csv", "--out", c.path("eng.csv"))
	if out := c.ok("", "import", "skills-matrix", "--source", "manager", "--dry-run", c.path("eng.csv")); !strings.Contains(out, "0 new") {
		t.Errorf("matrix re-import: %s", out)
	}
	c.ok("", "export", "matrix", "--unit", "eng", "--out", c.path("eng.xlsx"))
	if b, err := os.ReadFile(c.path("eng.xlsx")); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("the XLSX export is no zip file: %v", err)
	}

	// The gap ranking: JSON and CSV give the same rows, highest priority first, and the
	// organization's people short of a skill are the divisions' added together.
	type row struct {
		Skill    string  `json:"skill"`
		Group    string  `json:"group"`
		Short    int     `json:"short"`
		Priority float64 `json:"priority"`
	}
	var byOrg, byDivision struct {
		Rows []row `json:"rows"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "report", "gaps", "--group-by", "organization", "--format", "json")), &byOrg); err != nil || len(byOrg.Rows) == 0 {
		t.Fatalf("gaps as JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(c.ok("", "report", "gaps", "--format", "json")), &byDivision); err != nil {
		t.Fatal(err)
	}
	short := map[string]int{}
	for _, r := range byDivision.Rows {
		short[r.Skill] += r.Short
	}
	for i, r := range byOrg.Rows {
		if i > 0 && r.Priority > byOrg.Rows[i-1].Priority {
			t.Errorf("row %d (%s, %v) ranks below a lower priority", i+1, r.Skill, r.Priority)
		}
		if short[r.Skill] != r.Short {
			t.Errorf("%s: %d people short in the organization, %d in its divisions", r.Skill, r.Short, short[r.Skill])
		}
	}
	c.ok("", "report", "gaps", "--group-by", "organization", "--out", c.path("gaps.csv"))
	f, err := os.Open(c.path("gaps.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) != len(byOrg.Rows)+1 || records[0][0] != "Rank" {
		t.Fatalf("gaps as CSV: %d records for %d rows, %v", len(records), len(byOrg.Rows), err)
	}
	for i, r := range byOrg.Rows {
		if rec := records[i+1]; rec[1] != r.Skill || rec[9] != strconv.FormatFloat(r.Priority, 'f', -1, 64) {
			t.Errorf("CSV row %d %v, JSON %+v", i+1, rec, r)
		}
	}
	// Within a unit, only its people count.
	var eng struct {
		Rows []row `json:"rows"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "report", "gaps", "--unit", "ENG", "--format", "json")), &eng); err != nil || len(eng.Rows) == 0 {
		t.Fatalf("Engineering's gaps: %v", err)
	}
	for _, r := range eng.Rows {
		if r.Group != "Engineering" {
			t.Errorf("Engineering's gaps hold a row of %s", r.Group)
		}
	}
	var needs struct {
		Needs []struct {
			Skill string `json:"skill"`
		} `json:"needs"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "report", "needs", "--unit", "ENG", "--format", "json")), &needs); err != nil || len(needs.Needs) != len(eng.Rows) {
		t.Errorf("Engineering's training needs: %d, its gaps %d: %v", len(needs.Needs), len(eng.Rows), err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "gaps", "--format", "xlsx"}, "--format: choose csv or json"},
		{[]string{"report", "gaps", "--unit", "NOPE"}, `--unit: no org unit has the code or id "NOPE"`},
		{[]string{"report", "gaps", "--group-by", "team"}, "group_by"},
		{[]string{"report", "gaps", "--criticality", "vital"}, "criticality"},
		{[]string{"export", "matrix", "--unit", "ENG", "--format", "ods"}, "format"},
		{[]string{"import", "skills-matrix", c.path("eng.csv")}, `"source" not set`},
	} {
		if _, _, err := c.run("", tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("learnloop %s: %v, want an error naming %q", strings.Join(tt.args, " "), err, tt.want)
		}
	}
}
