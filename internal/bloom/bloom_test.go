package bloom_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/bloom"
)

// codes returns the warning codes of c, space-separated, for compact tables.
func codes(c bloom.Classification) string {
	s := make([]string, len(c.Warnings))
	for i, w := range c.Warnings {
		s[i] = w.Code
	}
	return strings.Join(s, " ")
}

const (
	amb     = bloom.WarnAmbiguousVerb
	vague   = bloom.WarnNotObservable
	several = bloom.WarnSeveralVerbs
	noVerb  = bloom.WarnNoVerb
)

func TestClassify(t *testing.T) {
	tests := []struct {
		objective string
		level     bloom.Level
		verb      string
		warnings  string // codes, space-separated
	}{
		// Remember
		{"Identify the five hazard classes on a safety data sheet", bloom.Remember, "identify", ""},
		{"List the steps of the lockout procedure", bloom.Remember, "list", ""},
		{"Define the term 'personal data'", bloom.Remember, "define", ""},
		{"State the three lines of defence", bloom.Remember, "state", ""},
		{"Recall the emergency phone number", bloom.Remember, "recall", ""},
		{"Name the parts of a fire extinguisher", bloom.Remember, "name", ""},
		{"Locate the first-aid kit on the floor plan", bloom.Remember, "locate", ""},
		{"Label the components of a balance sheet", bloom.Remember, "label", ""},
		{"Recognize phishing emails", bloom.Remember, "recognize", amb},
		{"Look up a product code in the catalogue", bloom.Remember, "look up", ""},

		// Understand
		{"By the end of this course, learners will be able to explain how interest rates affect bond prices", bloom.Understand, "explain", amb},
		{"Summarize the key points of the data protection policy", bloom.Understand, "summarize", ""},
		{"Describe the customer complaints process", bloom.Understand, "describe", ""},
		{"Paraphrase a client's request back to them", bloom.Understand, "paraphrase", ""},
		{"Classify incidents by severity", bloom.Understand, "classify", amb},
		{"Give examples of unconscious bias in hiring", bloom.Understand, "give examples", ""},
		{"Discuss the benefits of flexible working", bloom.Understand, "discuss", ""},
		{"Interpret a simple control chart", bloom.Understand, "interpret", amb},
		{"Predict how a price rise will affect demand", bloom.Understand, "predict", amb},

		// Apply
		{"Participants can calculate the break-even point of a product", bloom.Apply, "calculate", ""},
		{"Use the CRM to log a customer call", bloom.Apply, "use", ""},
		{"Carry out a manual handling risk assessment", bloom.Apply, "carry out", ""},
		{"Demonstrate the correct way to lift a box", bloom.Apply, "demonstrate", amb},
		{"Operate a forklift truck safely", bloom.Apply, "operate", ""},
		{"Solve simple cash-flow problems", bloom.Apply, "solve", amb},
		{"Implement the new onboarding checklist", bloom.Apply, "implement", ""},
		{"Work out the VAT due on an invoice", bloom.Apply, "work out", ""},
		{"Complete a timesheet in the HR system", bloom.Apply, "complete", ""},
		{"Role-play a difficult conversation with a customer", bloom.Apply, "role-play", ""},

		// Analyze
		{"Compare two vendor proposals against the evaluation criteria", bloom.Analyze, "compare", amb},
		{"Analyze sales data to find seasonal trends", bloom.Analyze, "analyze", ""},
		{"Differentiate between a data controller and a data processor", bloom.Analyze, "differentiate", ""},
		{"Diagnose the cause of a network outage", bloom.Analyze, "diagnose", ""},
		{"Break down a project into work packages", bloom.Analyze, "break down", ""},
		{"Investigate the root cause of a customer complaint", bloom.Analyze, "investigate", ""},
		{"Examine a contract for unfavourable terms", bloom.Analyze, "examine", ""},
		{"Distinguish facts from opinions in a witness statement", bloom.Analyze, "distinguish", ""},
		{"Find out what a customer needs before offering a product", bloom.Analyze, "find out", amb},

		// Evaluate
		{"Justify a staffing decision using the capacity model", bloom.Evaluate, "justify", ""},
		{"Evaluate the effectiveness of a training programme", bloom.Evaluate, "evaluate", ""},
		{"Critique a colleague's presentation using the feedback model", bloom.Evaluate, "critique", ""},
		{"Prioritize support tickets by business impact", bloom.Evaluate, "prioritize", ""},
		{"Recommend a pricing strategy to the board", bloom.Evaluate, "recommend", ""},
		{"Assess a supplier's financial stability", bloom.Evaluate, "assess", amb},
		{"Defend a budget request in front of the finance committee", bloom.Evaluate, "defend", ""},
		{"Make decisions about escalation using the risk matrix", bloom.Evaluate, "make decisions", ""},
		{"Draw conclusions from a customer survey", bloom.Evaluate, "draw conclusions", ""},

		// Create
		{"Design a test plan for a new release", bloom.Create, "design", ""},
		{"Develop a coaching plan for a new team member", bloom.Create, "develop", amb},
		{"Write a business case for a new CRM", bloom.Create, "write", amb},
		{"Create a lesson plan for a 30-minute session", bloom.Create, "create", ""},
		{"Formulate a hypothesis about customer churn", bloom.Create, "formulate", ""},
		{"Come up with three alternatives to the current process", bloom.Create, "come up with", ""},
		{"Put together a crisis communication plan", bloom.Create, "put together", ""},
		{"Plan a team offsite within budget", bloom.Create, "plan", amb},
		{"Develop a knowledge base for the help desk", bloom.Create, "develop", amb},

		// Verbs that cannot be observed
		{"Understand the data protection principles", bloom.Understand, "understand", vague},
		{"Know the company's values", bloom.Remember, "know", vague},
		{"Be aware of the whistleblowing policy", bloom.Remember, "be aware of", vague},
		{"Learners are aware of the escalation route", bloom.Remember, "be aware of", vague},
		{"Be familiar with the expense policy", bloom.Remember, "be familiar with", vague},
		{"Become familiar with the ticketing system", bloom.Remember, "become familiar with", vague},
		{"Appreciate the value of diversity", bloom.Understand, "appreciate", vague},
		{"Learn the basics of Excel", bloom.Remember, "learn", vague},
		{"Grasp the fundamentals of project finance", bloom.Understand, "grasp", vague},
		{"Realise the impact of poor data quality", bloom.Understand, "realise", vague},
		{"Believe in the importance of safety", bloom.Understand, "believe", vague},
		{"Comprehend the structure of the organisation", bloom.Understand, "comprehend", vague},
		{"Demonstrate an understanding of the code of conduct", bloom.Understand, "understand", vague},
		{"Demonstrate a clear and thorough understanding of the code of conduct", bloom.Understand, "understand", vague},
		{"Gain a basic knowledge of accounting terms", bloom.Remember, "know", vague},
		{"Learners will have a good awareness of fire risks", bloom.Remember, "be aware of", vague},
		{"Gain insight into customer behaviour", bloom.Understand, "understand", vague},
		{"Recognise the importance of data protection", bloom.Understand, "recognise the importance of", vague},

		// Stems before the verb
		{"Learners will be able to identify the fire exits", bloom.Remember, "identify", ""},
		{"Participants should be able to summarise a meeting", bloom.Understand, "summarise", ""},
		{"Students will compare two essays", bloom.Analyze, "compare", amb},
		{"You can set up a shared mailbox", bloom.Apply, "set up", amb},
		{"Employees will be able to correctly complete a risk assessment", bloom.Apply, "complete", ""},
		{"To independently configure a VPN client", bloom.Apply, "configure", ""},
		{"Be able to calculate overtime pay", bloom.Apply, "calculate", ""},
		{"Able to calculate overtime pay", bloom.Apply, "calculate", ""},
		{"By the end of this module you will be able to design a survey", bloom.Create, "design", ""},
		{"At the end of the session, participants will confidently deliver a presentation", bloom.Apply, "deliver", ""},
		{"Upon completion of this training, staff can prioritise their workload", bloom.Evaluate, "prioritise", ""},
		{"After completing the module on risk, data and privacy, you will be able to justify a data request", bloom.Evaluate, "justify", ""},
		{"By the end of the session identify the three types of hazard", bloom.Remember, "identify", ""},
		{"1. Identify the hazards", bloom.Remember, "identify", ""},
		{"2) List the reporting lines", bloom.Remember, "list", ""},
		{"- List the reporting lines", bloom.Remember, "list", ""},
		{"• Describe the escalation path", bloom.Understand, "describe", ""},
		{"iv. Describe the escalation path", bloom.Understand, "describe", ""},
		{"a) Select the appropriate PPE for the task", bloom.Evaluate, "select", amb},
		{"LO3: Evaluate supplier bids", bloom.Evaluate, "evaluate", ""},
		{"Learning outcome 2 - Draft a project charter", bloom.Create, "draft", ""},
		{"This course will enable you to negotiate a salary", bloom.Apply, "negotiate", ""},
		{"Know how to use the fire extinguisher", bloom.Apply, "use", ""},
		{"Learn to use pivot tables in Excel", bloom.Apply, "use", ""},
		{"Demonstrate the ability to write a SQL query", bloom.Create, "write", amb},
		{"The learner will be able to explain the sales process", bloom.Understand, "explain", amb},
		{"Change managers will be able to apply the ADKAR model", bloom.Apply, "apply", ""},
		{"Safety representatives can inspect a workplace", bloom.Analyze, "inspect", ""},
		{"Accurately and safely carry out a lift", bloom.Apply, "carry out", ""},
		{"  IDENTIFY THE HAZARDS!  ", bloom.Remember, "identify", ""},
		{"“Explain” the new policy", bloom.Understand, "explain", amb},
		{"Using the template, write a report", bloom.Create, "write", amb},
		{"Following this session, list three hazards", bloom.Remember, "list", ""},
		{"Following the lockout procedure, isolate a machine", bloom.Analyze, "isolate", amb},

		// Forms and British spellings
		{"Identifies the main stakeholders", bloom.Remember, "identify", ""},
		{"Identifying risks in a project plan", bloom.Remember, "identify", ""},
		{"Analysing customer feedback", bloom.Analyze, "analyse", ""},
		{"Summarises a report in one paragraph", bloom.Understand, "summarise", ""},
		{"Organising a filing system", bloom.Analyze, "organise", amb},
		{"Categorise expenses correctly", bloom.Understand, "categorise", amb},
		{"Utilise the knowledge base to answer customer questions", bloom.Apply, "utilise", ""},
		{"Criticise an argument's logic", bloom.Evaluate, "criticise", ""},
		{"Recognising a scam call", bloom.Remember, "recognise", amb},
		{"Planned a sprint", bloom.Create, "plan", amb},
		{"Modelling cash flows in a spreadsheet", bloom.Create, "model", amb},
		{"Carried out a fire drill", bloom.Apply, "carry out", ""},
		{"Practise active listening", bloom.Apply, "practise", ""},
		{"Chose a supplier", bloom.Evaluate, "choose", amb},

		// Several verbs
		{"Identify and explain the risks of phishing", bloom.Understand, "explain", amb + " " + several},
		{"Identify hazards, assess risks and recommend controls", bloom.Evaluate, "assess", amb + " " + several},
		{"Understand and apply the principles of GDPR", bloom.Apply, "apply", vague + " " + several},
		{"Analyse/evaluate the options", bloom.Evaluate, "evaluate", several},
		{"Identifying and reporting near misses", bloom.Understand, "report", amb + " " + several},
		{"Calculate the cost and use it to set the price", bloom.Apply, "calculate", several},
		{"Describe how to identify and assess risks", bloom.Understand, "describe", ""},
		{"Describe the design and test phases", bloom.Understand, "describe", ""},
		{"Compare and contrast two leadership styles", bloom.Analyze, "compare and contrast", amb},
		{"Explain the difference between a plan and a budget", bloom.Understand, "explain", amb},
		{"List the tools and materials needed", bloom.Remember, "list", ""},
		{"Describe the plan, do, check, act cycle", bloom.Understand, "describe", ""},
		{"Explain how to identify a phishing email and report it", bloom.Understand, "explain", amb},
		{"Plan, do, review", bloom.Create, "plan", amb + " " + several},

		// No verb
		{"The GDPR", "", "", noVerb},
		{"Data protection basics", "", "", noVerb},
		{"The GDPR and how it can be applied", "", "", noVerb},
		{"Learners will be able to", "", "", noVerb},
		{"By the end of this session", "", "", noVerb},
		{"Ensure compliance with the policy", "", "", noVerb},
		{"•", "", "", noVerb},

		// Blank
		{"", "", "", ""},
		{"  \n\t ", "", "", ""},

		// Other languages
		{"Erkläre den Unterschied zwischen Zins und Rendite", "", "", noVerb},
		{"识别安全数据表上的危险类别", "", "", noVerb},
		{"Expliquer le principe de précaution", "", "", noVerb},
		{"اشرح مبادئ حماية البيانات", "", "", noVerb},
		{"Объясните принципы защиты данных", "", "", noVerb},
	}
	for _, tt := range tests {
		t.Run(tt.objective, func(t *testing.T) {
			t.Parallel()
			c := bloom.Classify(tt.objective)
			if c.Level != tt.level || c.Verb != tt.verb || codes(c) != tt.warnings {
				t.Errorf("Classify = level %q, verb %q, warnings %q; want %q, %q, %q\n%+v",
					c.Level, c.Verb, codes(c), tt.level, tt.verb, tt.warnings, c.Warnings)
			}
			if want := tt.level != "" && !strings.Contains(tt.warnings, vague); c.Observable != want {
				t.Errorf("Observable = %v, want %v", c.Observable, want)
			}
		})
	}
}

func TestAmbiguousVerbsListEveryLevel(t *testing.T) {
	tests := []struct {
		objective  string
		level      bloom.Level
		candidates []bloom.Level
	}{
		{"Compare two vendor proposals", bloom.Analyze, []bloom.Level{bloom.Understand, bloom.Analyze, bloom.Evaluate}},
		{"Classify the incidents", bloom.Understand, []bloom.Level{bloom.Understand, bloom.Analyze}},
		{"Select a supplier", bloom.Evaluate, []bloom.Level{bloom.Remember, bloom.Apply, bloom.Analyze, bloom.Evaluate}},
		{"Plan a project", bloom.Create, []bloom.Level{bloom.Apply, bloom.Create}},
		{"Demonstrate a safe lift", bloom.Apply, []bloom.Level{bloom.Understand, bloom.Apply}},
		{"Test the backup", bloom.Analyze, []bloom.Level{bloom.Apply, bloom.Analyze, bloom.Evaluate}},
		{"Identify the fire exits", bloom.Remember, []bloom.Level{bloom.Remember}},
	}
	for _, tt := range tests {
		c := bloom.Classify(tt.objective)
		if c.Level != tt.level || !slices.Equal(c.Candidates, tt.candidates) {
			t.Errorf("%q: level %q, candidates %v; want %q, %v", tt.objective, c.Level, c.Candidates, tt.level, tt.candidates)
		}
	}
}

func TestSeveralVerbsAreListed(t *testing.T) {
	c := bloom.Classify("Identify, explain and evaluate the options")
	if want := []string{"identify", "explain", "evaluate"}; !slices.Equal(c.Verbs, want) {
		t.Errorf("Verbs = %v, want %v", c.Verbs, want)
	}
	if c.Level != bloom.Evaluate || c.Verb != "evaluate" {
		t.Errorf("level %q from %q, want the highest, evaluate", c.Level, c.Verb)
	}
	if c := bloom.Classify("Identify the hazards"); !slices.Equal(c.Verbs, []string{"identify"}) {
		t.Errorf("one verb: Verbs = %v", c.Verbs)
	}
}

// The messages are shown to course authors as they are, so they are pinned here.
func TestMessages(t *testing.T) {
	tests := []struct {
		objective, code, message string
	}{
		{"Understand the data protection principles", vague,
			"“Understand” cannot be observed or tested; say what the learner will do to show understanding, such as explain, summarize or classify."},
		{"Be aware of the policy", vague,
			"“Be aware of” cannot be observed or tested; say what the learner will do to show awareness, such as identify, describe or report."},
		{"Demonstrate an understanding of the policy", vague,
			"“Demonstrate an understanding” cannot be observed or tested; say what the learner will do to show understanding, such as explain, summarize or classify."},
		{"Compare two proposals", amb,
			"“Compare” can mean Understand, Analyze or Evaluate. Analyze is suggested, as most verb lists place it there; choose the level that matches what learners will actually do."},
		{"Identify and explain the risks", several,
			"This objective asks for more than one thing (identify and explain). An objective should test one performance, so consider writing one objective for each. The suggested level, Understand, is the highest of them."},
		{"The GDPR", noVerb,
			"No action verb was found at the start of the objective. Begin with what the learner will be able to do, such as identify, explain, calculate, compare, justify or design."},
	}
	for _, tt := range tests {
		c := bloom.Classify(tt.objective)
		i := slices.IndexFunc(c.Warnings, func(w bloom.Warning) bool { return w.Code == tt.code })
		if i < 0 {
			t.Errorf("%q: no %s warning in %+v", tt.objective, tt.code, c.Warnings)
		} else if got := c.Warnings[i].Message; got != tt.message {
			t.Errorf("%q:\n got %s\nwant %s", tt.objective, got, tt.message)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]bloom.Level{
		"remember": bloom.Remember, "Understand": bloom.Understand, " APPLY ": bloom.Apply,
		"analyze": bloom.Analyze, "Analyse": bloom.Analyze, "evaluate": bloom.Evaluate, "create": bloom.Create,
	} {
		if got, err := bloom.ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "analysis", "synthesis", "knowledge", "3"} {
		if got, err := bloom.ParseLevel(bad); err == nil {
			t.Errorf("ParseLevel(%q) = %q, want an error", bad, got)
		}
	}
	for i, l := range bloom.Levels {
		if l.Rank() != i+1 {
			t.Errorf("%s.Rank() = %d, want %d", l, l.Rank(), i+1)
		}
		if got, err := bloom.ParseLevel(string(l)); err != nil || got != l {
			t.Errorf("ParseLevel(%q) does not round-trip: %q, %v", l, got, err)
		}
	}
	if r := bloom.Level("").Rank(); r != 0 {
		t.Errorf(`Level("").Rank() = %d, want 0`, r)
	}
}

func TestLongInput(t *testing.T) {
	long := func(start, repeat string) string {
		s := start + strings.Repeat(repeat, 10_000/len(repeat)+1)
		return s[:10_000]
	}
	tests := []struct {
		name      string
		objective string
		level     bloom.Level
		warnings  string
	}{
		{"one verb, long object", long("Identify ", "the hazards and the risks "), bloom.Remember, ""},
		{"no verb", long("", "and "), "", noVerb},
		{"verbs over and over", long("", "identify and explain and "), bloom.Understand, amb + " " + several},
		{"one word", long("", "x"), "", noVerb},
		{"stems only", long("", "learners will be able to "), "", noVerb},
		{"lead-ins only", long("", "by the end of "), "", noVerb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bloom.Classify(tt.objective)
			if c.Level != tt.level || codes(c) != tt.warnings {
				t.Errorf("level %q, warnings %q; want %q, %q", c.Level, codes(c), tt.level, tt.warnings)
			}
		})
	}
}

func BenchmarkClassify(b *testing.B) {
	for _, bm := range []struct{ name, objective string }{
		{"typical", "By the end of this course, learners will be able to explain how interest rates affect bond prices"},
		{"10000 characters", strings.Repeat("by the end of identify and explain ", 286)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				bloom.Classify(bm.objective)
			}
		})
	}
}

func TestOddInputDoesNotPanic(t *testing.T) {
	for _, s := range []string{
		"\xff\xfe\x00", "\u200b\u200b", "🙂 Identify 🙂", "e\u0301xplain", "Ⅳ. Identify", "...",
		"'", "-", "a)", "1.", "lo", "LO", "be", "be aware", "compare and", "demonstrate an",
		"demonstrate an understanding", "by the end of,", "learners will", "to to to to",
	} {
		c := bloom.Classify(s)
		checkInvariants(t, s, c)
	}
}

// checkInvariants checks what holds for every objective.
func checkInvariants(t *testing.T, s string, c bloom.Classification) {
	t.Helper()
	if c.Level == "" {
		if c.Verb != "" || len(c.Candidates) > 0 || len(c.Verbs) > 0 || c.Observable {
			t.Fatalf("%q: no level, yet %+v", s, c)
		}
		if len(c.Warnings) > 1 || len(c.Warnings) == 1 && c.Warnings[0].Code != noVerb {
			t.Fatalf("%q: no level, warnings %+v", s, c.Warnings)
		}
		if strings.TrimSpace(s) == "" && len(c.Warnings) > 0 {
			t.Fatalf("blank %q has warnings %+v", s, c.Warnings)
		}
		return
	}
	if c.Level.Rank() == 0 || !slices.Contains(c.Candidates, c.Level) {
		t.Fatalf("%q: level %q not among candidates %v", s, c.Level, c.Candidates)
	}
	for i := 1; i < len(c.Candidates); i++ {
		if c.Candidates[i-1].Rank() >= c.Candidates[i].Rank() {
			t.Fatalf("%q: candidates %v not lowest first", s, c.Candidates)
		}
	}
	if c.Verb == "" || !slices.Contains(c.Verbs, c.Verb) {
		t.Fatalf("%q: verb %q not among %v", s, c.Verb, c.Verbs)
	}
	known := []string{vague, amb, several}
	notObservable := false
	for _, w := range c.Warnings {
		if !slices.Contains(known, w.Code) || w.Message == "" || strings.Contains(w.Message, "%!") {
			t.Fatalf("%q: bad warning %+v", s, w)
		}
		notObservable = notObservable || w.Code == vague
	}
	if c.Observable == notObservable {
		t.Fatalf("%q: Observable %v with warnings %+v", s, c.Observable, c.Warnings)
	}
	if (len(c.Candidates) > 1) != slices.ContainsFunc(c.Warnings, func(w bloom.Warning) bool { return w.Code == amb }) {
		t.Fatalf("%q: candidates %v, warnings %+v", s, c.Candidates, c.Warnings)
	}
	if (len(c.Verbs) > 1) != slices.ContainsFunc(c.Warnings, func(w bloom.Warning) bool { return w.Code == several }) {
		t.Fatalf("%q: verbs %v, warnings %+v", s, c.Verbs, c.Warnings)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"Identify the five hazard classes on a safety data sheet",
		"By the end of this course, learners will be able to explain how interest rates affect bond prices",
		"Compare two vendor proposals against the evaluation criteria",
		"Understand and apply the principles",
		"Demonstrate an understanding of the code of conduct",
		"Recognise the importance of data protection",
		"1. a) Learners should be able to accurately and safely carry out a lift",
		"Identify hazards, assess risks and recommend controls",
		"Describe how to identify and assess risks",
		"The GDPR", "", "识别危险", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := bloom.Classify(s)
		checkInvariants(t, s, c)
		if again := bloom.Classify(s); !reflect.DeepEqual(c, again) {
			t.Fatalf("%q classified twice differently: %+v, %+v", s, c, again)
		}
	})
}
