package api_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/api"
	"github.com/learnloop/learnloop/internal/api/apitest"
	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
	"github.com/learnloop/learnloop/internal/tabular"
	"github.com/learnloop/learnloop/internal/tna"
	"github.com/learnloop/learnloop/internal/training"
)

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadDoc parses the API document as plain JSON values.
func loadDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// operations calls fn for every operation in the document's paths.
func operations(t *testing.T, doc map[string]any, fn func(method, path string, item, op map[string]any)) {
	t.Helper()
	paths, _ := doc["paths"].(map[string]any)
	if len(paths) == 0 {
		t.Fatal("the document has no paths")
	}
	for _, path := range sortedKeys(paths) {
		item, _ := paths[path].(map[string]any)
		for _, m := range methods {
			if op, ok := item[m].(map[string]any); ok {
				fn(m, path, item, op)
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// member returns the object at the end of keys, or nil.
func member(v any, keys ...string) map[string]any {
	m, _ := v.(map[string]any)
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	return m
}

// resolve follows a local JSON pointer reference ("#/components/schemas/Person").
func resolve(doc map[string]any, ref string) (any, bool) {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if ptr == "" {
			break
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref returns v, or what it refers to when it is a reference object.
func deref(doc map[string]any, v any) map[string]any {
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, _ := resolve(doc, ref)
		m, _ = target.(map[string]any)
	}
	return m
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	rt := httpx.NewRouter()
	(&api.Handler{}).Register(rt)
	rec := httptest.NewRecorder()
	rt.Mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/v1/openapi.json = %d %q, want 200 application/json", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !bytes.Equal(rec.Body.Bytes(), api.OpenAPI()) || len(api.OpenAPI()) < 100 {
		t.Errorf("the served document is not the embedded openapi.json (%d bytes)", rec.Body.Len())
	}
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	rt := httpx.NewRouter()
	(&api.Handler{}).Register(rt)
	routes := map[string]bool{}
	for _, p := range rt.Routes("/api/v1/") {
		routes[p] = true
	}
	if len(routes) == 0 {
		t.Fatal("Register mounted no route under /api/v1/")
	}
	documented := map[string]bool{}
	operations(t, loadDoc(t), func(method, path string, _, _ map[string]any) {
		documented[strings.ToUpper(method)+" "+path] = true
	})
	var missing, extra []string
	for r := range routes {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routes[d] {
			extra = append(extra, d)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json:\n\t%s", strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("documented operations with no route:\n\t%s", strings.Join(extra, "\n\t"))
	}
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)

	t.Run("version and info", func(t *testing.T) {
		if doc["openapi"] != "3.1.0" {
			t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
		}
		info, _ := doc["info"].(map[string]any)
		if info["title"] != "learnloop API" || info["version"] == nil {
			t.Errorf("info = %v, want the title and a version", info)
		}
	})

	// A pretty-printed document keeps diffs readable; json.Indent is the reference layout.
	t.Run("formatted", func(t *testing.T) {
		var want bytes.Buffer
		if err := json.Indent(&want, bytes.TrimSpace(api.OpenAPI()), "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if !bytes.Equal(want.Bytes(), api.OpenAPI()) {
			t.Error("openapi.json is not indented with two spaces and ended by a newline")
		}
	})

	t.Run("operations", func(t *testing.T) {
		tags := map[string]bool{}
		declared, _ := doc["tags"].([]any)
		for _, tag := range declared {
			name, _ := member(tag)["name"].(string)
			tags[name] = true
		}
		seen := map[string]string{}
		operations(t, doc, func(method, path string, _, op map[string]any) {
			where := strings.ToUpper(method) + " " + path
			id, _ := op["operationId"].(string)
			switch {
			case id == "":
				t.Errorf("%s has no operationId", where)
			case seen[id] != "":
				t.Errorf("operationId %q is used by %s and %s", id, seen[id], where)
			}
			seen[id] = where
			opTags, _ := op["tags"].([]any)
			if len(opTags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			for _, tag := range opTags {
				if s, _ := tag.(string); !tags[s] {
					t.Errorf("%s has tag %v, which the document does not declare", where, tag)
				}
			}
			if s, _ := op["summary"].(string); s == "" {
				t.Errorf("%s has no summary", where)
			}
			responses, _ := op["responses"].(map[string]any)
			success := false
			for code := range responses {
				success = success || strings.HasPrefix(code, "2")
			}
			if !success {
				t.Errorf("%s documents no success response", where)
			}
		})
	})

	t.Run("security", func(t *testing.T) {
		// What needs no authentication: this document, and checking a certificate by the code
		// printed on it.
		public := map[string]bool{"/api/v1/openapi.json": true, "/api/v1/certificate-verifications/{code}": true}
		schemes := member(doc, "components", "securitySchemes")
		for _, name := range []string{"bearerAuth", "sessionCookie"} {
			if schemes[name] == nil {
				t.Errorf("security scheme %s is missing", name)
			}
		}
		if got, _ := doc["security"].([]any); len(got) != 2 {
			t.Errorf("global security = %v, want bearerAuth or sessionCookie", got)
		}
		operations(t, doc, func(method, path string, _, op map[string]any) {
			sec, has := op["security"].([]any)
			if public[path] {
				if !has || len(sec) != 0 {
					t.Errorf("%s %s must be public (security: [])", method, path)
				}
				return
			}
			if has && len(sec) == 0 {
				t.Errorf("%s %s is documented as public, but only the document itself and certificate verification are", method, path)
			}
		})
	})

	t.Run("references resolve", func(t *testing.T) {
		var walk func(at string, v any)
		walk = func(at string, v any) {
			switch v := v.(type) {
			case map[string]any:
				if ref, ok := v["$ref"].(string); ok {
					if _, found := resolve(doc, ref); !found || !strings.HasPrefix(ref, "#/") {
						t.Errorf("%s: $ref %q does not resolve within the document", at, ref)
					}
				}
				for k, e := range v {
					walk(at+"/"+k, e)
				}
			case []any:
				for _, e := range v {
					walk(at+"/[]", e)
				}
			}
		}
		walk("#", doc)
	})

	t.Run("path parameters declared", func(t *testing.T) {
		placeholder := regexp.MustCompile(`\{([^}]+)\}`)
		operations(t, doc, func(method, path string, item, op map[string]any) {
			declared := map[string]bool{}
			for _, list := range []any{item["parameters"], op["parameters"]} {
				params, _ := list.([]any)
				for _, p := range params {
					p := deref(doc, p)
					if p["in"] != "path" {
						continue
					}
					name, _ := p["name"].(string)
					declared[name] = true
					if p["required"] != true {
						t.Errorf("%s %s: path parameter %s is not required", method, path, name)
					}
				}
			}
			for _, m := range placeholder.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s %s: path parameter %s is not declared", method, path, m[1])
				}
				delete(declared, m[1])
			}
			for name := range declared {
				t.Errorf("%s %s declares path parameter %s, which the path does not have", method, path, name)
			}
		})
	})

	t.Run("schemas compile", func(t *testing.T) {
		schemas := member(doc, "components", "schemas")
		if len(schemas) == 0 {
			t.Fatal("the document has no component schemas")
		}
		for _, name := range sortedKeys(schemas) {
			if _, err := apitest.Schema(name); err != nil {
				t.Errorf("%v", err)
			}
		}
	})
}

// goTypes pairs component schemas with the Go types they describe. Response schemas must require
// every field the type always writes; request schemas must refuse what the decoder refuses.
var goTypes = []struct {
	schema  string
	typ     reflect.Type
	request bool
}{
	{"Person", reflect.TypeFor[org.Person](), false},
	{"PersonInput", reflect.TypeFor[org.PersonInput](), true},
	{"PersonPatch", reflect.TypeFor[org.PersonInput](), true},
	{"PersonList", reflect.TypeFor[api.List[*org.Person]](), false},
	{"OrgUnit", reflect.TypeFor[org.OrgUnit](), false},
	{"OrgUnitInput", reflect.TypeFor[org.UnitInput](), true},
	{"OrgUnitPatch", reflect.TypeFor[org.UnitInput](), true},
	{"OrgUnitList", reflect.TypeFor[api.List[*org.OrgUnit]](), false},
	{"JobRole", reflect.TypeFor[org.JobRole](), false},
	{"JobRoleInput", reflect.TypeFor[org.RoleInput](), true},
	{"JobRolePatch", reflect.TypeFor[org.RoleInput](), true},
	{"JobRoleList", reflect.TypeFor[api.List[*org.JobRole]](), false},
	{"ImportReport", reflect.TypeFor[org.ImportReport](), false},
	{"ImportChange", reflect.TypeFor[org.Change](), false},
	{"FileProblem", reflect.TypeFor[tabular.Problem](), false},
	{"Account", reflect.TypeFor[auth.Account](), false},
	{"AccountInput", reflect.TypeFor[auth.NewAccount](), true},
	{"AccountPatch", reflect.TypeFor[api.AccountPatch](), true},
	{"AccountList", reflect.TypeFor[api.List[*auth.Account]](), false},
	{"Token", reflect.TypeFor[auth.Token](), false},
	{"TokenInput", reflect.TypeFor[auth.NewToken](), true},
	{"CreatedToken", reflect.TypeFor[api.CreatedToken](), false},
	{"TokenList", reflect.TypeFor[api.List[*auth.Token]](), false},
	{"AuditEntry", reflect.TypeFor[audit.Entry](), false},
	{"AuditEntryList", reflect.TypeFor[api.List[*audit.Entry]](), false},
	{"Me", reflect.TypeFor[api.Me](), false},
	{"Problem", reflect.TypeFor[httpx.Problem](), false},
	{"FieldProblem", reflect.TypeFor[httpx.FieldProblem](), false},
	{"Skill", reflect.TypeFor[skills.Skill](), false},
	{"SkillInput", reflect.TypeFor[skills.SkillInput](), true},
	{"SkillPatch", reflect.TypeFor[skills.SkillInput](), true},
	{"SkillList", reflect.TypeFor[api.List[*skills.Skill]](), false},
	{"SkillCategory", reflect.TypeFor[skills.Category](), false},
	{"SkillCategoryInput", reflect.TypeFor[skills.CategoryInput](), true},
	{"SkillCategoryList", reflect.TypeFor[api.List[*skills.Category]](), false},
	{"ScaleLevel", reflect.TypeFor[skills.ScaleLevel](), false},
	{"ScaleLevelInput", reflect.TypeFor[skills.ScaleLevel](), true},
	{"Scale", reflect.TypeFor[api.Scale](), false},
	{"ScaleInput", reflect.TypeFor[api.Scale](), true},
	{"Requirement", reflect.TypeFor[skills.Requirement](), false},
	{"RequirementInput", reflect.TypeFor[api.RequirementBody](), true},
	{"RequirementList", reflect.TypeFor[api.List[*skills.Requirement]](), false},
	{"CoverageTarget", reflect.TypeFor[skills.CoverageTarget](), false},
	{"CoverageTargetInput", reflect.TypeFor[api.CoverageBody](), true},
	{"CoverageTargetList", reflect.TypeFor[api.List[*skills.CoverageTarget]](), false},
	{"Rating", reflect.TypeFor[skills.Rating](), false},
	{"RatingInput", reflect.TypeFor[skills.RatingInput](), true},
	{"RatingList", reflect.TypeFor[api.List[*skills.Rating]](), false},
	{"PersonSkill", reflect.TypeFor[skills.PersonSkill](), false},
	{"SkillProfile", reflect.TypeFor[skills.Profile](), false},
	{"Framework", reflect.TypeFor[skills.Framework](), false},
	{"FrameworkCategory", reflect.TypeFor[skills.FrameworkCategory](), false},
	{"FrameworkSkill", reflect.TypeFor[skills.FrameworkSkill](), false},
	{"FrameworkRequirement", reflect.TypeFor[skills.FrameworkRequirement](), false},
	{"LevelDescriptor", reflect.TypeFor[skills.LevelDescriptor](), false},
	{"NeedPerson", reflect.TypeFor[skills.NeedPerson](), false},
	{"NeedUnit", reflect.TypeFor[skills.NeedUnit](), false},
	{"UnitNeed", reflect.TypeFor[skills.UnitNeed](), false},
	{"TrainingNeed", reflect.TypeFor[tna.Need](), false},
	{"AskedSkill", reflect.TypeFor[tna.AskedSkill](), false},
	{"LearningPreference", reflect.TypeFor[tna.Preference](), false},
	{"SurveyAnswers", reflect.TypeFor[tna.SurveyAnswers](), false},
	{"TrainingNeeds", reflect.TypeFor[tna.Report](), false},
	{"AssessedLevel", reflect.TypeFor[skills.AssessedLevel](), true},
	{"LevelsInput", reflect.TypeFor[api.LevelsInput](), true},
	{"Recorded", reflect.TypeFor[api.Recorded](), false},
	{"Validation", reflect.TypeFor[skills.Validation](), false},
	{"ValidationList", reflect.TypeFor[api.List[*skills.Validation]](), false},
	{"SkillGap", reflect.TypeFor[skills.GapRow](), false},
	{"SkillGapRanking", reflect.TypeFor[api.GapRankingPage](), false},
	{"SkillGapTrendPoint", reflect.TypeFor[skills.GapTrendPoint](), false},
	{"SkillGapTrendList", reflect.TypeFor[api.List[skills.GapTrendPoint]](), false},
	// Surveys.
	{"Survey", reflect.TypeFor[survey.Survey](), false},
	{"SurveyQuestion", reflect.TypeFor[survey.Question](), false},
	{"SurveyOption", reflect.TypeFor[survey.Option](), false},
	{"SurveyInput", reflect.TypeFor[survey.SurveyInput](), true},
	{"SurveyQuestionInput", reflect.TypeFor[survey.QuestionInput](), true},
	{"SurveyOptionInput", reflect.TypeFor[survey.OptionInput](), true},
	{"SurveyTemplate", reflect.TypeFor[api.SurveyTemplate](), false},
	{"SurveyList", reflect.TypeFor[api.List[*survey.Survey]](), false},
	{"SurveyRecipients", reflect.TypeFor[survey.Recipients](), true},
	{"SurveySendReport", reflect.TypeFor[survey.SendReport](), false},
	{"SurveyResponseInput", reflect.TypeFor[api.SurveyResponseInput](), true},
	{"SurveyAnswerInput", reflect.TypeFor[survey.AnswerInput](), true},
	{"SurveyInvitation", reflect.TypeFor[survey.Invitation](), false},
	{"SurveyInvitationList", reflect.TypeFor[api.List[*survey.Invitation]](), false},
	{"SurveyResults", reflect.TypeFor[survey.Results](), false},
	{"SurveyGroup", reflect.TypeFor[survey.Group](), false},
	{"SurveyQuestionResult", reflect.TypeFor[survey.QuestionResult](), false},
	{"SurveyOptionCount", reflect.TypeFor[survey.OptionCount](), false},
	{"SurveySkillCount", reflect.TypeFor[survey.SkillCount](), false},
	{"SurveyTextAnswer", reflect.TypeFor[survey.TextAnswer](), false},
	// Training.
	{"LearningItem", reflect.TypeFor[training.Item](), false},
	{"LearningItemSkill", reflect.TypeFor[training.ItemSkill](), false},
	{"Objective", reflect.TypeFor[training.Objective](), false},
	{"ObjectiveWarning", reflect.TypeFor[bloom.Warning](), false},
	{"Content", reflect.TypeFor[training.Content](), false},
	{"LearningItemInput", reflect.TypeFor[training.ItemInput](), true},
	{"LearningItemPatch", reflect.TypeFor[training.ItemInput](), true},
	{"ObjectiveInput", reflect.TypeFor[training.ObjectiveInput](), true},
	{"LearningItemList", reflect.TypeFor[api.List[*training.Item]](), false},
	{"ContentLinkInput", reflect.TypeFor[api.ContentLinkInput](), true},
	{"Question", reflect.TypeFor[training.Question](), false},
	{"QuestionOption", reflect.TypeFor[training.Option](), false},
	{"QuestionInput", reflect.TypeFor[training.QuestionInput](), true},
	{"QuestionOptionInput", reflect.TypeFor[training.OptionInput](), true},
	{"QuestionList", reflect.TypeFor[api.List[*training.Question]](), false},
	{"QuizDraw", reflect.TypeFor[training.Draw](), false},
	{"Quiz", reflect.TypeFor[training.Quiz](), false},
	{"QuizInput", reflect.TypeFor[training.QuizInput](), true},
	{"QuizList", reflect.TypeFor[api.List[*training.Quiz]](), false},
	{"Attempt", reflect.TypeFor[training.Attempt](), false},
	{"AttemptQuestion", reflect.TypeFor[training.AttemptQuestion](), false},
	{"AttemptOption", reflect.TypeFor[training.AttemptOption](), false},
	{"AttemptResponse", reflect.TypeFor[training.Response](), false},
	{"ObjectiveScore", reflect.TypeFor[training.ObjectiveScore](), false},
	{"Submission", reflect.TypeFor[api.Submission](), true},
	{"Path", reflect.TypeFor[api.Path](), false},
	{"PathLevel", reflect.TypeFor[training.PathLevel](), false},
	{"PathStep", reflect.TypeFor[training.PathStep](), false},
	{"PathInput", reflect.TypeFor[training.PathInput](), true},
	{"PathLevelInput", reflect.TypeFor[training.PathLevelInput](), true},
	{"PathProgress", reflect.TypeFor[training.PathProgress](), false},
	{"LevelProgress", reflect.TypeFor[training.LevelProgress](), false},
	{"StepProgress", reflect.TypeFor[training.StepProgress](), false},
	{"Session", reflect.TypeFor[training.Session](), false},
	{"SessionInput", reflect.TypeFor[training.SessionInput](), true},
	{"SessionList", reflect.TypeFor[api.List[*training.Session]](), false},
	{"Reason", reflect.TypeFor[api.Reason](), true},
	{"Registration", reflect.TypeFor[training.Registration](), false},
	{"RegistrationList", reflect.TypeFor[api.List[*training.Registration]](), false},
	{"AttendanceInput", reflect.TypeFor[api.AttendanceBody](), true},
	{"CalendarFeed", reflect.TypeFor[api.CalendarFeed](), false},
	{"Enrollment", reflect.TypeFor[training.Enrollment](), false},
	{"EnrollmentList", reflect.TypeFor[api.List[*training.Enrollment]](), false},
	{"EnrollInput", reflect.TypeFor[api.EnrollInput](), true},
	{"Decision", reflect.TypeFor[api.Decision](), true},
	{"NudgeInput", reflect.TypeFor[api.NudgeInput](), true},
	{"AssignInput", reflect.TypeFor[training.AssignInput](), true},
	{"AssignReport", reflect.TypeFor[training.AssignReport](), false},
	{"ExemptInput", reflect.TypeFor[training.ExemptInput](), true},
	{"CompletionInput", reflect.TypeFor[training.RecordInput](), true},
	{"LearningEntry", reflect.TypeFor[training.Entry](), false},
	{"Recommendation", reflect.TypeFor[training.Recommendation](), false},
	{"MySession", reflect.TypeFor[training.MySession](), false},
	{"MyLearning", reflect.TypeFor[training.MyLearning](), false},
	{"TeamMember", reflect.TypeFor[training.TeamMember](), false},
	{"Team", reflect.TypeFor[training.Team](), false},
	{"Notification", reflect.TypeFor[notify.Notification](), false},
	{"Notifications", reflect.TypeFor[api.Notifications](), false},
	{"NotificationRead", reflect.TypeFor[api.NotificationRead](), true},
	{"AssignmentRule", reflect.TypeFor[training.Rule](), false},
	{"AssignmentRuleInput", reflect.TypeFor[training.RuleInput](), true},
	{"AssignmentRuleList", reflect.TypeFor[api.List[*training.Rule]](), false},
	{"RuleReport", reflect.TypeFor[training.RuleReport](), false},
	{"RuleChange", reflect.TypeFor[api.RuleChange](), false},
	{"ComplianceCounts", reflect.TypeFor[training.Counts](), false},
	{"ItemCompliance", reflect.TypeFor[training.ItemCompliance](), false},
	{"ItemCounts", reflect.TypeFor[api.ItemCounts](), false},
	{"UnitCompliance", reflect.TypeFor[api.UnitCompliance](), false},
	{"Compliance", reflect.TypeFor[api.Compliance](), false},
	{"ComplianceRow", reflect.TypeFor[training.ComplianceRow](), false},
	{"ComplianceRowList", reflect.TypeFor[api.List[*training.ComplianceRow]](), false},
	{"Certificate", reflect.TypeFor[training.Certificate](), false},
	{"CertificateList", reflect.TypeFor[api.List[*training.Certificate]](), false},
	{"CertificateVerification", reflect.TypeFor[training.Verification](), false},
	{"ObjectiveText", reflect.TypeFor[api.ObjectiveText](), true},
	{"BloomClassification", reflect.TypeFor[bloom.Classification](), false},
}

// jsonFields returns the JSON names of t's fields and whether each is always written (neither
// omitempty nor omitzero).
func jsonFields(t *testing.T, typ reflect.Type) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			// encoding/json promotes an embedded struct's fields.
			e := f.Type
			if e.Kind() == reflect.Pointer {
				e = e.Elem()
			}
			maps.Copy(out, jsonFields(t, e))
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		o := strings.Split(opts, ",")
		out[name] = !slices.Contains(o, "omitempty") && !slices.Contains(o, "omitzero")
	}
	return out
}

func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	schemas := member(doc, "components", "schemas")
	for _, tt := range goTypes {
		t.Run(tt.schema, func(t *testing.T) {
			t.Parallel()
			sch := member(schemas, tt.schema)
			if sch == nil {
				t.Fatalf("schema %s is missing", tt.schema)
			}
			props := member(sch, "properties")
			required := map[string]bool{}
			list, _ := sch["required"].([]any)
			for _, r := range list {
				name, _ := r.(string)
				required[name] = true
			}
			fields := jsonFields(t, tt.typ)
			for name, always := range fields {
				switch {
				case props[name] == nil:
					t.Errorf("%s.%s is not documented", tt.typ, name)
				case always && !tt.request && !required[name]:
					t.Errorf("%s.%s is always written but not required", tt.typ, name)
				}
			}
			for name := range props {
				if _, ok := fields[name]; !ok {
					t.Errorf("property %s does not exist in %s", name, tt.typ)
				}
			}
			for name := range required {
				if props[name] == nil {
					t.Errorf("required %s is not a property", name)
				}
			}
			if sch["additionalProperties"] != false {
				t.Errorf("%s must set additionalProperties: false (the decoder refuses unknown fields; answers are exact)", tt.schema)
			}
		})
	}
	documented := map[string]bool{}
	for _, tt := range goTypes {
		documented[tt.schema] = true
	}
	for name := range schemas {
		if member(schemas, name)["type"] == "object" && !documented[name] {
			t.Errorf("object schema %s is not paired with a Go type in goTypes", name)
		}
	}
}

// TestOpenAPISchemasAcceptGoValues marshals values of the answer types as the handlers do and
// validates them, so the types' JSON encoding (dates, times, nulls) matches the document.
func TestOpenAPISchemasAcceptGoValues(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 31, 9, 15, 0, 123456000, time.UTC)
	id, id2 := "0190c2d4-5f7e-7a1b-9c3d-2e4f6a8b0c1d", "0190c2d4-5f7e-7a1b-9c3d-2e4f6a8b0c1e"
	full := &org.Person{ID: id, EmployeeNumber: "E1", GivenName: "Ann", FamilyName: "Lee", Email: "ann@example.com",
		JobTitle: "Engineer", JobRoleID: id2, JobRoleName: "Engineer", OrgUnitID: id2, OrgUnitName: "Platform",
		ManagerID: id2, ManagerName: "Bo Chen", Location: "Berlin", TimeZone: "Europe/Berlin",
		HireDate: core.Date{Year: 2024, Month: 3, Day: 1}, Status: org.StatusLeft, LeftOn: core.Date{Year: 2025, Month: 6, Day: 30},
		CreatedAt: now, UpdatedAt: now}
	bare := &org.Person{ID: id, GivenName: "Bo", FamilyName: "Chen", Status: org.StatusActive, CreatedAt: now, UpdatedAt: now}
	unit := &org.OrgUnit{ID: id, Code: "PLT", Name: "Platform", Kind: "team", ParentID: id2, CreatedAt: now, UpdatedAt: now, Headcount: 3}
	role := &org.JobRole{ID: id, Name: "Engineer", CreatedAt: now, UpdatedAt: now}
	report := &org.ImportReport{Kind: "people", Rows: 2, Problems: []tabular.Problem{{Line: 2, Column: "email", Value: "x", Reason: "bad"}},
		Ignored: []string{"shoe size"}, NewRoles: []string{"Chef"}, Changes: []org.Change{{Line: 3, Kind: "update", Key: "E1", Name: "Ann Lee",
			Fields: []string{"email"}}, {Kind: "leave", Key: "E2", Name: "Bo Chen"}}, ProblemCount: 1}
	account := &auth.Account{ID: id, PersonID: id2, Name: "Ann Lee", Email: "ann@example.com", PersonStatus: "active", Roles: []core.Role{}, CreatedAt: now}
	admin := &auth.Account{ID: id, PersonID: id2, Name: "Ann Lee", Email: "ann@example.com", PersonStatus: "active",
		Roles: []core.Role{core.RoleHRAdmin}, HasPassword: true, CreatedAt: now, LastLoginAt: &now, PasswordChanged: &now}
	token := &auth.Token{ID: id, AccountID: id2, AccountEmail: "ann@example.com", Name: "HRIS sync", Prefix: "ll_abc123",
		Scopes: []core.Permission{core.PermPeopleRead}, CreatedAt: now, ExpiresAt: &now}
	entry := &audit.Entry{ID: id, At: now, ActorAccountID: id2, ActorName: "Ann Lee <ann@example.com>", Action: "person.update",
		TargetType: "person", TargetID: id, Summary: "Updated Bo Chen", Details: map[string]any{"before": map[string]string{"email": ""}}}
	forever := *token
	forever.ExpiresAt, forever.RevokedAt, forever.LastUsedAt = nil, &now, &now
	skill := &skills.Skill{ID: id, CategoryID: id2, CategoryName: "Backend", Name: "Go", Description: "The Go language.", Type: "language",
		Aliases: []string{"Golang"}, CreatedAt: now, UpdatedAt: now}
	bareSkill := &skills.Skill{ID: id, Name: "Listening", Type: "interpersonal", Aliases: []string{}, Retired: true, CreatedAt: now, UpdatedAt: now}
	category := &skills.Category{ID: id, Name: "Backend", ParentID: id2, Path: "/" + id2 + "/" + id + "/", FullName: "Engineering / Backend", CreatedAt: now, UpdatedAt: now}
	topCategory := &skills.Category{ID: id2, Name: "Engineering", CreatedAt: now, UpdatedAt: now}
	requirement := &skills.Requirement{JobRoleID: id, JobRoleName: "Engineer", SkillID: id2, SkillName: "Go", Level: 3, Criticality: "critical"}
	coverage := &skills.CoverageTarget{OrgUnitID: id, OrgUnitName: "Platform", SkillID: id2, SkillName: "Go", Level: 4, MinPeople: 2}
	rating := &skills.Rating{ID: id, PersonID: id2, SkillID: id, SkillName: "Go", Level: 3, Source: skills.SourceManager, RaterID: id,
		RaterName: "Bo Chen", RatedAt: now, Note: "Led the migration.", EvidenceURL: "https://example.com/review"}
	testRating := &skills.Rating{ID: id, PersonID: id2, SkillID: id, SkillName: "Go", Level: 0, Source: skills.SourceTest, RatedAt: now}
	three, one := 3, 1
	assessed := &skills.PersonSkill{SkillID: id, SkillName: "Go", Category: "Backend", Level: 2.4, Confidence: 0.82, SelfLevel: &three,
		ManagerLevel: &one, Ratings: 2, LastEvidence: now, Required: 3, Criticality: "critical", Gap: 0.6, Disagreement: true}
	unassessed := &skills.PersonSkill{SkillID: id2, SkillName: "Kubernetes", Required: 2, Criticality: "useful", Gap: 2}
	total := 1
	tests := []struct {
		schema string
		value  any
	}{
		{"Person", full},
		{"Person", bare},
		{"PersonList", api.List[*org.Person]{Items: []*org.Person{full, bare}, NextCursor: "abc", Total: &total}},
		{"OrgUnit", unit},
		{"OrgUnitList", api.List[*org.OrgUnit]{Items: []*org.OrgUnit{unit}, Total: &total}},
		{"JobRole", role},
		{"JobRoleList", api.List[*org.JobRole]{Items: []*org.JobRole{}, Total: &total}},
		{"ImportReport", report},
		{"Account", account},
		{"Account", admin},
		{"AccountList", api.List[*auth.Account]{Items: []*auth.Account{admin}, NextCursor: "abc"}},
		{"Token", token},
		{"Token", &forever},
		{"CreatedToken", api.CreatedToken{Token: token, Secret: "ll_abc123secret"}},
		{"TokenList", api.List[*auth.Token]{Items: []*auth.Token{token}}},
		{"AuditEntry", entry},
		{"AuditEntry", &audit.Entry{ID: id, At: now, ActorName: "system", Action: "people.import", Summary: "Imported"}},
		{"AuditEntryList", api.List[*audit.Entry]{Items: []*audit.Entry{entry}}},
		{"Me", api.Me{AccountID: id, PersonID: id2, Name: "Ann Lee", Email: "ann@example.com", Roles: []core.Role{},
			Permissions: []core.Permission{core.PermPeopleRead}, Scopes: []core.Permission{core.PermPeopleRead}}},
		{"Me", api.Me{AccountID: id, PersonID: id2, Name: "Ann Lee", Email: "", Roles: []core.Role{core.RoleSysAdmin}, IsManager: true}},
		{"Skill", skill},
		{"Skill", bareSkill},
		{"SkillList", api.List[*skills.Skill]{Items: []*skills.Skill{skill, bareSkill}, Total: &total}},
		{"SkillCategory", category},
		{"SkillCategory", topCategory},
		{"SkillCategoryList", api.List[*skills.Category]{Items: []*skills.Category{topCategory, category}, Total: &total}},
		{"Scale", api.Scale{Levels: []skills.ScaleLevel{{Level: 0, Name: "None", Description: "No knowledge."}, {Level: 1, Name: "Awareness"}}}},
		{"Requirement", requirement},
		{"RequirementList", api.List[*skills.Requirement]{Items: []*skills.Requirement{requirement}, Total: &total}},
		{"CoverageTarget", coverage},
		{"CoverageTargetList", api.List[*skills.CoverageTarget]{Items: []*skills.CoverageTarget{coverage}, Total: &total}},
		{"Rating", rating},
		{"Rating", testRating},
		{"RatingList", api.List[*skills.Rating]{Items: []*skills.Rating{rating, testRating}, Total: &total}},
		{"PersonSkill", assessed},
		{"PersonSkill", unassessed},
		{"SkillProfile", &skills.Profile{PersonID: id, JobRoleID: id2, JobRole: "Engineer", Skills: []*skills.PersonSkill{assessed, unassessed},
			Readiness: 0.4, WeightedGap: 3.8}},
		{"SkillProfile", &skills.Profile{PersonID: id, Skills: []*skills.PersonSkill{}}},
		{"Framework", &skills.Framework{Scale: []skills.ScaleLevel{{Level: 0, Name: "None"}, {Level: 1, Name: "Aware"}},
			Categories: []skills.FrameworkCategory{{Name: "Engineering"}, {Name: "Backend", Parent: "Engineering"}},
			Skills: []skills.FrameworkSkill{{Name: "Go", Category: "Engineering / Backend", Type: "technical", Aliases: []string{"Golang"},
				Levels: []skills.LevelDescriptor{{Level: 1, Description: "Reads Go code."}}}, {Name: "Old tool", Type: "tool", Retired: true}},
			Requirements: []skills.FrameworkRequirement{{JobRole: "Engineer", Skill: "Go", Level: 1, Criticality: "critical"}}}},
		{"Framework", &skills.Framework{}},
		{"TrainingNeeds", &tna.Report{Generated: now, People: 3, Unit: unit, Units: []skills.NeedUnit{{ID: id, Name: "Platform"}, {ID: id2, Name: "Engineering"}}, Needs: []*tna.Need{{Need: &skills.Need{SkillID: id, Skill: "Go", Category: "Engineering",
			Criticality: "critical", Required: 3, Short: 1, GapSum: 1.5, MeanGap: 1.5, Priority: 4.5, Since: now,
			People: []skills.NeedPerson{{PersonID: id2, Name: "Ann Lee", JobRole: "Engineer", Level: 2.5, Target: 4, Gap: 1.5, Criticality: "critical", Since: now}},
			ByUnit: []skills.UnitNeed{{Required: 2, Short: 1}, {Required: 1, Short: 0}}},
			Asked: []int{2, 0}}}, Survey: &tna.SurveyAnswers{ID: id, Title: "LNA", Status: "open", Deadline: now, Scope: "Platform", Invited: 3, Answered: 2,
			ResponseRate: 0.67, Questions: []string{"Want", "Lack"}, AskedOnly: []tna.AskedSkill{{SkillID: id2, Skill: "Kotlin", Asked: []int{1, 0}}},
			Preferences: []tna.Preference{{Prompt: "How?", Low: "Actively", High: "Passively", Max: 5, Mean: 2.5, Count: 2}}}}},
		{"TrainingNeeds", &tna.Report{Generated: now, Needs: []*tna.Need{}}},
		{"Recorded", api.Recorded{Recorded: 3}},
		{"ValidationList", api.List[*skills.Validation]{Items: []*skills.Validation{{PersonID: id, PersonName: "Ann Lee", SkillID: id2, SkillName: "Go",
			SelfLevel: 3, SelfAt: now, ManagerLevel: &one, Required: 4}, {PersonID: id, PersonName: "Ann Lee", SkillID: id2, SkillName: "SQL", SelfLevel: 1, SelfAt: now}}, Total: &total}},
		{"SkillGapRanking", api.GapRankingPage{Items: []*skills.GapRow{
			{SkillID: id, Skill: "Go", Category: "Engineering", GroupID: id2, Group: "Engineering", Required: 12, Short: 5, GapSum: 7.5, MeanGap: 1.5,
				Priority: 22.5, Criticality: "critical"},
			{SkillID: id2, Skill: "Listening", Group: skills.NoDivision, Required: 3, Short: 1, GapSum: 0.4, MeanGap: 0.4, Priority: 0.4, Criticality: "useful"}},
			Total: 120, NextOffset: 50, GroupBy: skills.GroupByDivision, AsOf: &now}},
		{"SkillGapRanking", api.GapRankingPage{Items: []*skills.GapRow{}, GroupBy: skills.GroupByLocation}},
		{"SkillGapTrendList", api.List[skills.GapTrendPoint]{Items: []skills.GapTrendPoint{
			{Day: core.Date{Year: 2026, Month: 6, Day: 1}, Required: 40, Short: 12, GapSum: 18.5, MeanGap: 1.5, Priority: 41.5},
			{Day: core.Date{Year: 2026, Month: 6, Day: 2}, Required: 40}}, Total: &total}},
		{"Problem", httpx.Problem{Type: "about:blank", Title: "Unprocessable Entity", Status: 422, Detail: "bad file",
			Instance: "/api/v1/people/import", Code: core.EINVALID, Field: "body",
			Errors: []httpx.FieldProblem{{Field: "body", Message: "bad file"}}, Report: report}},
	}
	tests = append(tests, surveyExamples(now, id, id2)...)
	tests = append(tests, trainingExamples(now, id, id2)...)
	for _, tt := range tests {
		body, err := json.Marshal(tt.value)
		if err != nil {
			t.Fatal(err)
		}
		apitest.ValidateSchema(t, tt.schema, body)
	}
}

// surveyExamples are answers of the survey API: every kind of question, results with a hidden
// group and named texts, and the learning-needs template as the handler serves it.
func surveyExamples(now time.Time, id, id2 string) []struct {
	schema string
	value  any
} {
	questions := []*survey.Question{
		{ID: id, Position: 1, Kind: survey.QuestionScale, Prompt: "How?", Required: true, ScaleMax: 5, LowLabel: "Actively", HighLabel: "Passively"},
		{ID: id2, Position: 2, Kind: survey.QuestionMultiple, Prompt: "Which?", Help: "All that apply.", MaxChoices: 2,
			Options: []survey.Option{{ID: id, Label: "Courses"}, {ID: id2, Label: "Mentoring"}}},
		{ID: id, Position: 3, Kind: survey.QuestionSkills, Prompt: "Skills?"},
		{ID: id2, Position: 4, Kind: survey.QuestionText, Prompt: "Else?", MaxLength: 2000},
	}
	closed := &survey.Survey{ID: id, Title: "LNA 2027", Description: "Tell us.", Kind: survey.KindLNA, Anonymous: true, Status: survey.StatusClosed,
		Deadline: now, CreatedBy: id2, CreatedByName: "Ann Lee", CreatedAt: now, UpdatedAt: now, OpenedAt: &now, ClosedAt: &now,
		Invited: 12, Answered: 7, Questions: questions}
	draft := &survey.Survey{ID: id2, Title: "Draft", Kind: survey.KindGeneral, Status: survey.StatusDraft, Deadline: now, CreatedAt: now, UpdatedAt: now}
	lna := survey.DefaultLNA()
	answered := &survey.Invitation{SurveyID: id, Title: "LNA", Kind: survey.KindLNA, Status: survey.StatusOpen, Deadline: now, InvitedAt: now,
		Answered: true, AnsweredAt: &now}
	waiting := &survey.Invitation{SurveyID: id2, Title: "Reaction", Description: "How was it?", Kind: survey.KindReaction, Anonymous: true,
		Status: survey.StatusOpen, Deadline: now, InvitedAt: now, CanAnswer: true}
	shown := &survey.Group{Invited: 12, Answered: 7, ResponseRate: 0.583, Responses: 7, Questions: []*survey.QuestionResult{
		{QuestionID: id, Kind: survey.QuestionScale, Prompt: "How?", Answered: 7, Mean: 2.43, Distribution: []int{2, 2, 1, 1, 1}},
		{QuestionID: id2, Kind: survey.QuestionMultiple, Prompt: "Which?", Answered: 5,
			Options: []survey.OptionCount{{ID: id, Label: "Courses", Count: 4}, {ID: id2, Label: "Mentoring", Count: 0}}},
		{QuestionID: id, Kind: survey.QuestionSkills, Prompt: "Skills?", Answered: 6, Skills: []survey.SkillCount{{ID: id2, Name: "Go", Count: 3}}},
		{QuestionID: id2, Kind: survey.QuestionText, Prompt: "Else?", Answered: 2,
			Texts: []survey.TextAnswer{{Text: "More time."}, {Text: "Pairing.", PersonID: id, PersonName: "Bo Chen"}}},
		{QuestionID: id, Kind: survey.QuestionScale, Prompt: "Unanswered?", Distribution: []int{0, 0, 0}},
	}}
	hidden := &survey.Group{OrgUnitID: id, Name: "Platform", Invited: 4, Answered: 3, ResponseRate: 0.75, Suppressed: true}
	total := 2
	return []struct {
		schema string
		value  any
	}{
		{"Survey", closed},
		{"Survey", draft},
		{"SurveyList", api.List[*survey.Survey]{Items: []*survey.Survey{draft}, NextCursor: "abc"}},
		{"SurveyList", api.List[*survey.Survey]{Items: []*survey.Survey{}}},
		{"SurveyTemplate", api.SurveyTemplate{Title: lna.Title, Description: lna.Description, Kind: lna.Kind, Anonymous: lna.Anonymous, Questions: lna.Questions}},
		{"SurveySendReport", &survey.SendReport{Invited: 5, AlreadyInvited: 1}},
		{"SurveyInvitation", answered},
		{"SurveyInvitation", waiting},
		{"SurveyInvitationList", api.List[*survey.Invitation]{Items: []*survey.Invitation{waiting, answered}, Total: &total}},
		{"SurveyResults", &survey.Results{Survey: closed, MinGroup: survey.MinGroup, Overall: shown, Units: []*survey.Group{hidden}}},
		{"SurveyResults", &survey.Results{Survey: draft, Overall: &survey.Group{}, Units: []*survey.Group{}}},
	}
}
