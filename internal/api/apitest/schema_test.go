package apitest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/api/apitest"
)

// recorder stands in for the test given to ValidateSchema, so a failure can be observed
// instead of failing this test.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

const validPerson = `{
	"id": "0190c2d4-5f7e-7a1b-9c3d-2e4f6a8b0c1d",
	"employee_number": "E1001",
	"given_name": "Ann",
	"family_name": "Lee",
	"email": "ann@example.com",
	"job_title": "Engineer",
	"org_unit_id": "0190c2d4-5f7e-7a1b-9c3d-2e4f6a8b0c1e",
	"org_unit_name": "Platform",
	"location": "Berlin",
	"time_zone": "Europe/Berlin",
	"hire_date": "2024-03-01",
	"status": "active",
	"left_on": "",
	"created_at": "2026-01-31T09:15:00.123456Z",
	"updated_at": "2026-01-31T09:15:00Z"
}`

func TestValidateSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema string
		body   string
		want   string // part of the failure message; "" when the body is valid
	}{
		{"valid person", "Person", validPerson, ""},
		{"missing required field", "Person", strings.Replace(validPerson, `"family_name": "Lee",`, "", 1), "family_name"},
		{"status outside the enum", "Person", strings.Replace(validPerson, `"status": "active"`, `"status": "gone"`, 1), "status"},
		{"malformed date", "Person", strings.Replace(validPerson, `"hire_date": "2024-03-01"`, `"hire_date": "01/03/2024"`, 1), "hire_date"},
		{"time that is not RFC 3339", "Person", strings.Replace(validPerson, `"2026-01-31T09:15:00Z"`, `"yesterday"`, 1), "updated_at"},
		{"undocumented field", "Person", strings.Replace(validPerson, `"status"`, `"salary": 1, "status"`, 1), "salary"},
		{"wrong type", "Person", strings.Replace(validPerson, `"E1001"`, `1001`, 1), "employee_number"},
		{"not JSON", "Person", `{"id": `, "not JSON"},
		{"unknown schema", "Nobody", `{}`, "Nobody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			apitest.ValidateSchema(r, tt.schema, []byte(tt.body))
			// The message quotes the body after the error; only the error counts here.
			msg, _, _ := strings.Cut(strings.Join(r.failures, "\n"), "\nbody: ")
			switch {
			case tt.want == "" && len(r.failures) > 0:
				t.Errorf("a valid body was refused: %s", r.failures)
			case tt.want != "" && len(r.failures) == 0:
				t.Errorf("an invalid body was accepted:\n%s", tt.body)
			case tt.want != "" && !strings.Contains(msg, tt.want):
				t.Errorf("the failure does not mention %q: %s", tt.want, msg)
			}
		})
	}
}
