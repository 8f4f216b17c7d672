package demo

import (
	"slices"

	"github.com/learnloop/learnloop/internal/training"
)

// The demo's learning catalog: mandatory compliance with tests, an onboarding path, product
// training, technical courses, a leadership programme and courses in the offices' languages. It
// is plain data, like the skills framework; who takes what in the history is decided by each
// course's audience and weight (see training.go).
//
// Objectives are written in English whatever the course's language, because the objective
// classifier reads English verbs. A few are deliberately vague ("Understand …") so that the
// catalog shows its advice on objectives that cannot be assessed.

// course is a learning item of the catalog.
type course struct {
	code, title, kind, modality string
	minutes                     int
	lang, provider              string
	perLearner, fixed           int // in pence
	enroll                      string
	certifying, compliance      bool
	validity                    int // months a completion stays valid; 0 for ever
	tags                        []string
	skills                      []courseSkill
	objectives                  []string
	about                       string
	link                        string      // the e-learning's address, added as content
	external                    string      // the provider's page of an external course
	test                        *quiz       // the test that completes it
	levels                      []pathLevel // a path's levels
	// who may take it of their own accord or be sent by their manager, and how often among
	// them (0: only as a path step, by a rule or by L&D's choice).
	who    audience
	weight int
}

type courseSkill struct {
	name  string
	level int
}

type pathLevel struct {
	name     string
	required int // 0 for all
	steps    []string
}

// quiz is a course's test: every question of its bank, pass mark in percent.
type quiz struct {
	passMark, attempts, minutes int
	questions                   []question
}

// question is a question of a test, tied to the objective at index obj. Choice options
// marked with a leading "*" are right; an ordering question lists its steps in order.
type question struct {
	obj             int
	kind            string
	prompt, explain string
	options         []string
	answer          bool
	accepted        []string
	points          int
}

func single(obj int, prompt, explain string, options ...string) question {
	return question{obj: obj, kind: training.QuestionSingle, prompt: prompt, explain: explain, options: options, points: 1}
}

func multiple(obj int, prompt, explain string, options ...string) question {
	return question{obj: obj, kind: training.QuestionMultiple, prompt: prompt, explain: explain, options: options, points: 2}
}

func truth(obj int, prompt string, answer bool, explain string) question {
	return question{obj: obj, kind: training.QuestionTrueFalse, prompt: prompt, explain: explain, answer: answer, points: 1}
}

func short(obj int, prompt, explain string, accepted ...string) question {
	return question{obj: obj, kind: training.QuestionShort, prompt: prompt, explain: explain, accepted: accepted, points: 1}
}

func ordering(obj int, prompt, explain string, steps ...string) question {
	return question{obj: obj, kind: training.QuestionOrdering, prompt: prompt, explain: explain, options: steps, points: 2}
}

// points is what a perfect attempt at the test scores.
func (q *quiz) points() int {
	n := 0
	for _, x := range q.questions {
		n += x.points
	}
	return n
}

// audience says whether a course suits a person.
type audience func(p *person) bool

func everyone(*person) bool { return true }

func inDivision(codes ...string) audience {
	return func(p *person) bool { return p.unit.div != nil && slices.Contains(codes, p.unit.div.code) }
}

func inDepartment(codes ...string) audience {
	return func(p *person) bool { return p.dept != nil && slices.Contains(codes, p.dept.code) }
}

func atOffice(locs ...int) audience {
	return func(p *person) bool { return slices.Contains(locs, p.loc) }
}

func managers(p *person) bool { return p.reports > 0 && p.level != levelCEO }

func both(a, b audience) audience { return func(p *person) bool { return a(p) && b(p) } }

func anyOf(as ...audience) audience {
	return func(p *person) bool {
		for _, a := range as {
			if a(p) {
				return true
			}
		}
		return false
	}
}

const (
	inhouse   = "Northwind Learning & Development"
	academy   = "Northwind Engineering Academy"
	product   = "Northwind Product Education"
	brightw   = "Brightwater Learning"
	cloudforg = "Cloudforge Institute"
	kestrel   = "Kestrel Leadership Partners"
	safeworks = "SafeWorks Training"
	lexicon   = "Lexicon Language School"
	datacraft = "DataCraft Academy"
	learnHost = "https://learn.northwind.example/"
)

// Codes of the courses that planning refers to by name.
const (
	codeSafety     = "CMP-HS"
	codeGDPR       = "CMP-GDPR"
	codeBribery    = "CMP-ABC"
	codeSecurity   = "CMP-SEC"
	codeConduct    = "CMP-COC"
	codeFirstAid   = "CMP-FIRSTAID"
	codeOnboarding = "PATH-ONB"
	codeLeadership = "PATH-LEAD"
	codeProductCrt = "PRD-CERT"
)

var courses = []course{
	// Compliance: assigned by the rules (first aid by L&D), renewed before they expire.
	{code: codeSafety, title: "Health and Safety at Work", kind: training.KindELearning, minutes: 45, provider: inhouse, perLearner: 600,
		enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 12, tags: []string{"compliance", "safety", "mandatory"},
		skills: []courseSkill{{"Health & Safety", 2}, {"Fire Safety", 1}},
		about: "The yearly safety course for everyone who works in our offices, stock rooms and at events: hazards, reporting, fire " +
			"procedures and a healthy workstation. It ends with a test; the pass mark is 80%.",
		link: learnHost + "compliance/health-and-safety",
		objectives: []string{
			"Identify common hazards in offices, stock rooms and event venues",
			"Follow the procedure for reporting a hazard, near miss or injury",
			"Describe what to do when the fire alarm sounds",
			"Adjust a workstation to reduce the risk of strain injuries",
			"Understand the company's health and safety policy",
		},
		test: &quiz{passMark: 80, attempts: 3, minutes: 20, questions: []question{
			single(0, "Which of these is a trip hazard you should deal with straight away?", "Trailing cables across walkways cause most trips in offices.",
				"*A cable run across a walkway", "A closed fire door", "A labelled recycling bin", "A wet-floor sign beside a spill"),
			multiple(0, "Which of these are hazards in a stock room? Choose all that apply.", "Heavy boxes up high, blocked exits and damaged leads all need action.",
				"*Boxes stacked above shoulder height", "*A blocked fire exit", "A first-aid kit on the wall", "*A frayed kettle lead"),
			truth(1, "A near miss does not need to be reported if nobody was hurt.", false,
				"Near misses are reported too: they show where the next injury would happen."),
			short(1, "Within how many hours must an injury at work be reported on the incident form? Give a number.",
				"Every injury is reported within 24 hours, however small.", "24", "24 hours", "twenty-four"),
			ordering(2, "Put these steps in order for when the fire alarm sounds.", "Leave at once, gather at the assembly point and let the warden count you.",
				"Stop what you are doing", "Leave by the nearest safe exit", "Go to the assembly point", "Report to the fire warden"),
			single(2, "The alarm sounds while you are on a customer call. What do you do?", "Calls, laptops and coats stay behind: leave at once.",
				"*End the call and leave the building", "Finish the call first", "Wait for a colleague to confirm it is real", "Collect your laptop and coat"),
			single(3, "Where should the top of your monitor be?", "At or just below eye level keeps your neck neutral.",
				"*At or slightly below eye level", "Well above eye level", "Level with the desk", "It makes no difference"),
			truth(3, "You may ask for a workstation assessment at any time, not only when you join.", true,
				"Ask the facilities team whenever your work or your health changes."),
		}}},
	{code: codeGDPR, title: "Data Protection and GDPR Essentials", kind: training.KindELearning, minutes: 40, provider: inhouse,
		enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 24, tags: []string{"compliance", "privacy", "gdpr", "mandatory"},
		skills: []courseSkill{{"Data Protection (GDPR)", 2}},
		about: "What personal data is, the principles for handling it, and what to do when something goes wrong. Everyone completes it " +
			"every two years; it ends with a test with a pass mark of 80%.",
		link: learnHost + "compliance/data-protection",
		objectives: []string{
			"Identify personal data and special category data in everyday work",
			"Apply the data protection principles when you collect or share customer data",
			"Escalate a suspected personal data breach to the privacy team without delay",
			"Respond to a data subject access request by routing it to the privacy team",
		},
		test: &quiz{passMark: 80, attempts: 3, minutes: 20, questions: []question{
			multiple(0, "Which of these are personal data? Choose all that apply.", "Anything that identifies a living person, directly or with other data, is personal data.",
				"*A customer's work email address", "*An IP address linked to an account", "A company's registered office address", "*A support call recording"),
			single(0, "Which of these is special category data?", "Health, ethnicity, religion, biometrics and a few more need extra protection.",
				"*A note about an employee's health condition", "A job title", "A postcode", "An order number"),
			truth(1, "You may keep customer data indefinitely in case it becomes useful later.", false,
				"Data is kept only as long as its purpose needs, then deleted under the retention schedule."),
			single(1, "A colleague asks for a customer export to test a new feature. What should you do?", "Tests use anonymised or synthetic data, never live customer data.",
				"*Use anonymised or synthetic test data instead", "Send the export by email", "Upload it to a shared drive", "Send only the first 1,000 rows"),
			short(2, "Within how many hours must the company tell the regulator of a reportable breach? Give a number.",
				"The clock starts when the company becomes aware, so report to the privacy team at once.", "72", "72 hours", "seventy-two"),
			ordering(2, "You sent customer data to the wrong person. Put the steps in order.", "Report first: the privacy team decides what happens next.",
				"Report it to the privacy team straight away", "Note what was sent, to whom and when", "Ask the recipient to delete it, if the privacy team agrees",
				"Follow the privacy team's next steps"),
			single(3, "A customer asks for a copy of all the data held about them. What do you do?", "Subject access requests go to the privacy team the same day.",
				"*Pass the request to the privacy team the same day", "Reply that the company does not share data", "Send them their account export yourself",
				"Ask them to send the request by post"),
			truth(3, "The company has one month to answer a subject access request.", true, "One month, extendable only in complex cases."),
		}}},
	{code: codeBribery, title: "Anti-Bribery and Corruption", kind: training.KindELearning, minutes: 30, provider: inhouse,
		enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 24, tags: []string{"compliance", "ethics", "mandatory"},
		skills: []courseSkill{{"Anti-Bribery & Corruption", 2}},
		about: "How to recognize and refuse bribes, the limits for gifts and hospitality, and how to raise a concern. Everyone completes it " +
			"every two years; the test's pass mark is 80%.",
		link: learnHost + "compliance/anti-bribery",
		objectives: []string{
			"Identify a bribe, including facilitation payments and improper gifts",
			"Apply the gift and hospitality limits in the policy",
			"Record gifts and hospitality in the register",
			"Escalate a suspicion of bribery through the speak-up line",
			"Be aware of the UK Bribery Act and the US Foreign Corrupt Practices Act",
		},
		test: &quiz{passMark: 80, attempts: 3, minutes: 15, questions: []question{
			single(0, "A customs official asks for a small cash payment to release your equipment faster. This is:", "Facilitation payments are bribes under the UK Bribery Act.",
				"*A facilitation payment, which the policy forbids", "A normal fee", "Acceptable if under £50", "Acceptable with a receipt"),
			multiple(0, "Which of these could be bribes? Choose all that apply.", "Anything of value offered to influence a decision can be a bribe.",
				"*Tickets to a final offered during a tender", "*A job offered to a buyer's relative", "A branded pen at a conference",
				"*A donation to a charity run by a prospect's manager"),
			short(1, "Up to what value in pounds may you accept a gift without approval? Give a number.", "Gifts above £50 need your manager's and Legal's approval.",
				"50", "£50", "50 pounds"),
			truth(1, "Hospitality offered during a live tender needs approval whatever its value.", true,
				"During a tender even a lunch can look like an attempt to influence the outcome."),
			single(2, "When must a gift you accepted be recorded in the register?", "Record gifts within five working days, declined ones above the limit too.",
				"*Within five working days", "At the end of the year", "Only if it is worth over £500", "Never, if it was food"),
			ordering(3, "You suspect a bribe. Put these steps in order.", "Refuse, write it down while it is fresh, report, then help the investigation.",
				"Do not agree to anything", "Write down what happened", "Report it through the speak-up line", "Cooperate with the investigation"),
			truth(3, "You can report a concern anonymously through the speak-up line.", true, "The line is run independently and accepts anonymous reports."),
		}}},
	{code: codeSecurity, title: "Information Security Awareness", kind: training.KindELearning, minutes: 35, provider: inhouse,
		enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 12, tags: []string{"compliance", "security", "mandatory"},
		skills: []courseSkill{{"Information Security Awareness", 2}},
		about: "Phishing, passwords, classifying information and reporting incidents: the yearly security course for everyone, with a " +
			"test whose pass mark is 80%.",
		link: learnHost + "compliance/security-awareness",
		objectives: []string{
			"Identify the warning signs of a phishing email",
			"Use the report button to send a suspicious message to the security team",
			"Create a passphrase that meets the password policy",
			"Label documents as public, internal, confidential or restricted",
		},
		test: &quiz{passMark: 80, attempts: 3, minutes: 20, questions: []question{
			multiple(0, "Which of these are warning signs of phishing? Choose all that apply.", "Unknown domains, urgency and requests for credentials are the classic signs.",
				"*A sender address that does not match the company's domain", "*Pressure to act within the hour", "*A request to confirm your password",
				"A meeting invitation from your manager for your usual one-to-one"),
			single(0, "An email from \"IT Support\" asks you to sign in to keep your mailbox; the link goes to northwind-mail.help. What is it?",
				"Our systems never live on look-alike domains.", "*Phishing", "A genuine IT request", "A newsletter", "A calendar invitation"),
			truth(1, "If you clicked a phishing link, wait to see whether anything happens before you report it.", false,
				"Report at once: minutes matter when an account may be compromised."),
			single(1, "What is the quickest way to report a suspicious email?", "The button sends the message with its headers to the security team.",
				"*The Report phishing button in your mail app", "Forward it to your whole team", "Delete it", "Reply and ask the sender"),
			short(2, "How many characters must a passphrase have at least under the policy? Give a number.", "Fourteen characters or more; length beats complexity.",
				"14", "fourteen"),
			truth(2, "Reusing your work password on a personal site is fine if it is long.", false, "A leak elsewhere would open your work account too."),
			ordering(3, "Order these classifications from least to most sensitive.", "Public, internal, confidential, restricted.",
				"Public", "Internal", "Confidential", "Restricted"),
			single(3, "How is a customer contract with its pricing classified?", "Commercial terms are confidential.",
				"*Confidential", "Public", "Internal", "Unclassified"),
		}}},
	{code: codeConduct, title: "Code of Conduct", kind: training.KindReading, minutes: 25, provider: inhouse,
		enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 12, tags: []string{"compliance", "ethics", "mandatory"},
		skills: []courseSkill{{"Code of Conduct", 2}},
		about: "Read the code of conduct, then show with a short test that you can apply it: once when you join and every year " +
			"after. The pass mark is 80%.",
		link: learnHost + "policies/code-of-conduct",
		objectives: []string{
			"Describe how the code of conduct applies to everyday decisions",
			"Locate the speak-up line and the policies the code refers to",
			"Understand the company's values",
		},
		test: &quiz{passMark: 80, attempts: 3, minutes: 10, questions: []question{
			single(0, "A supplier you are evaluating invites you to dinner. What do you do first?", "Check the hospitality rules and tell your manager before you accept.",
				"*Check the gifts and hospitality policy and tell your manager", "Accept: dinners are always fine", "Decline and say nothing", "Send a colleague instead"),
			truth(0, "The code of conduct applies to contractors working for us as well as to employees.", true, "Everyone who works on our behalf follows the code."),
			multiple(0, "Which of these are conflicts of interest you must declare? Choose all that apply.", "Declare anything that could make others doubt your judgement.",
				"*Your partner works for a supplier you manage", "*You hold shares in a competitor", "You play football with a colleague",
				"*You run a side business that sells to our customers"),
			ordering(0, "You are unsure whether something is allowed. Put these steps in order.", "Pause, check, ask, and keep a note of what was decided.",
				"Stop before you act", "Check the code and the policy it refers to", "Ask your manager or Legal", "Keep a note of the decision"),
			short(1, "What is the name of the line for raising a concern in confidence?", "The speak-up line takes reports by phone or online, anonymously if you wish.",
				"speak-up line", "speak up line", "speak-up", "speakup"),
			single(1, "Where do you find the policies the code refers to?", "Every policy is in the policy library on the intranet.",
				"*In the policy library on the intranet", "In your welcome email", "Only from HR, on request", "On the public website"),
		}}},
	{code: codeFirstAid, title: "First Aid at Work", kind: training.KindILT, modality: training.ModalityInPerson, minutes: 1080, provider: safeworks,
		perLearner: 29500, enroll: training.EnrollAssigned, certifying: true, compliance: true, validity: 36, tags: []string{"compliance", "safety", "first aid"},
		skills: []courseSkill{{"First Aid", 3}},
		about:  "The three-day qualification for the appointed first aiders of each office, taught by an accredited trainer. Renewed every three years.",
		objectives: []string{
			"Inspect an incident scene for danger before you help",
			"Perform cardiopulmonary resuscitation on an adult",
			"Use the recovery position for an unresponsive, breathing casualty",
			"Handle bleeding, burns and shock until help arrives",
		}},

	// Onboarding.
	{code: "ONB-WELCOME", title: "Welcome to Northwind Dynamics", kind: training.KindVideo, minutes: 20, provider: inhouse,
		tags: []string{"onboarding"}, link: learnHost + "onboarding/welcome",
		about:      "Our chief executive on where Northwind comes from, who our customers are and what we are building next.",
		objectives: []string{"Describe the company's mission, customers and products", "Understand how the company is organized"}},
	{code: "ONB-FIRSTWEEK", title: "Your First Week: Accounts, Devices and Tools", kind: training.KindJobAid, minutes: 15, provider: inhouse,
		tags: []string{"onboarding", "it"}, link: learnHost + "onboarding/first-week",
		about: "A checklist for your first days: single sign-on, your laptop, the tools every team uses and where to ask for help.",
		objectives: []string{"Configure single sign-on and multi-factor authentication on your laptop",
			"Locate the IT service desk, the people handbook and your team's channels"}},
	{code: "ONB-HOWWEWORK", title: "How We Work: Rituals, Tools and Decisions", kind: training.KindMicrolearning, minutes: 10, provider: inhouse,
		tags: []string{"onboarding", "ways of working"}, link: learnHost + "onboarding/how-we-work",
		about:      "Five short lessons on planning, design documents, decision logs and asynchronous work across time zones.",
		skills:     []courseSkill{{"Cross-Cultural Communication", 2}},
		objectives: []string{"Summarize how decisions are recorded in design documents and decision logs", "Use the planning board to track your team's work"}},
	{code: "ONB-BENEFITS", title: "Benefits and Wellbeing at Northwind", kind: training.KindReading, minutes: 15, provider: inhouse,
		tags: []string{"onboarding", "benefits"}, link: learnHost + "onboarding/benefits",
		about:      "Pension, health cover, leave, the wellbeing allowance and the employee assistance programme, country by country.",
		objectives: []string{"Locate the employee assistance programme and the wellbeing allowance", "Be familiar with the benefits of your country"}},
	{code: "ONB-CUSTOMERS", title: "Customer Stories: Three Teams on Northwind", kind: training.KindVideo, minutes: 30, provider: product,
		tags: []string{"onboarding", "customers"}, link: learnHost + "onboarding/customer-stories",
		skills:     []courseSkill{{"Customer Empathy", 2}},
		about:      "Three customers, a retailer, a hospital group and a logistics firm, on the problems they bought Northwind to solve.",
		objectives: []string{"Summarize the problems customers buy Northwind to solve", "Describe how one customer measures the value they get"}},
	{code: "ONB-90DAY", title: "Your 90-Day Review", kind: training.KindJobAid, minutes: 20, provider: inhouse,
		tags: []string{"onboarding", "goals"}, link: learnHost + "onboarding/90-day-review",
		skills:     []courseSkill{{"Goal Setting", 2}},
		about:      "How to get ready for the conversation with your manager at the end of your third month, with a goals template.",
		objectives: []string{"Draft three goals for your next quarter", "Summarize what went well and what you need in your first months"}},
	{code: codeOnboarding, title: "Welcome to Northwind: Your First 90 Days", kind: training.KindPath, provider: inhouse,
		enroll: training.EnrollAssigned, tags: []string{"onboarding", "new starters"},
		about: "Everything a new starter does in their first three months, in three stages: the mandatory basics in week one, the product " +
			"and our ways of working in month one, customers and goals by month three.",
		objectives: []string{"Complete the mandatory training in your first week", "Describe how your team contributes to the company's goals",
			"Draft your goals with your manager by the end of month three"},
		levels: []pathLevel{
			{name: "Week 1", steps: []string{"ONB-WELCOME", "ONB-FIRSTWEEK", codeConduct, codeGDPR, codeSecurity}},
			{name: "Month 1", steps: []string{"PRD-FUND", "ONB-HOWWEWORK", "ONB-BENEFITS"}},
			{name: "Month 3", required: 2, steps: []string{"ONB-CUSTOMERS", "ONB-90DAY", "PRD-WHATSNEW"}},
		}},

	// Product training.
	{code: "PRD-FUND", title: "Northwind Platform Fundamentals", kind: training.KindELearning, minutes: 60, provider: product,
		tags: []string{"product"}, skills: []courseSkill{{"SaaS Business Models", 2}, {"Business Acumen", 2}}, link: learnHost + "product/fundamentals",
		about: "A guided tour of the platform in a demo workspace: the modules, who uses them, and how our plans differ.",
		objectives: []string{"Describe the main modules of the Northwind platform and who uses them", "Navigate the workspace, dashboards and settings of a demo account",
			"Summarize what each pricing plan includes"},
		who: everyone, weight: 3},
	{code: "PRD-ANALYTICS", title: "Northwind Analytics: Dashboards and Reports", kind: training.KindCourse, minutes: 180, provider: product,
		tags: []string{"product", "analytics"}, skills: []courseSkill{{"Dashboards & Reporting", 3}, {"Data Literacy", 2}}, link: learnHost + "product/analytics",
		about: "Build the dashboards customers ask for most, schedule reports and share them safely. Four modules with exercises.",
		objectives: []string{"Design a dashboard that answers one customer question", "Configure a scheduled report with the right permissions",
			"Distinguish a filter from a segment in a report"},
		who: inDivision("PRD", "SAL", "SUP", "MKT"), weight: 2},
	{code: "PRD-API", title: "Integrations and the Northwind API", kind: training.KindCourse, minutes: 240, provider: product,
		tags: []string{"product", "api", "integrations"}, skills: []courseSkill{{"REST APIs", 3}, {"API Design", 2}}, link: learnHost + "product/api",
		about: "Authentication, pagination, webhooks and rate limits, with a sandbox workspace to call the API from.",
		objectives: []string{"Configure an OAuth client for the API", "Use webhooks to react to changes in a workspace",
			"Debug a failing integration from its request log"},
		who: inDepartment("PE", "PLAT", "SE", "TECH", "ONB"), weight: 3},
	{code: "PRD-WHATSNEW", title: "What's New in Northwind: Quarterly Release Briefing", kind: training.KindWebinar, modality: training.ModalityLiveOnline,
		minutes: 60, provider: product, tags: []string{"product", "release"},
		about:      "Product managers walk through the quarter's releases with live demos and questions. Recorded for those who cannot join.",
		objectives: []string{"Describe the features released this quarter", "Know the roadmap themes for next quarter"},
		who:        everyone, weight: 2},
	{code: codeProductCrt, title: "Northwind Certified Administrator", kind: training.KindCourse, minutes: 300, provider: product, certifying: true, validity: 24,
		tags: []string{"product", "certification"}, skills: []courseSkill{{"Customer Onboarding", 3}, {"Troubleshooting", 2}},
		link:  learnHost + "product/certified-administrator",
		about: "The certification for everyone who sets up and supports customer workspaces. Study the five modules, then pass the test (75%).",
		objectives: []string{"Configure users, roles and single sign-on for a customer workspace", "Diagnose the most common sync errors from the activity log",
			"Trace a settings change to the person who made it in the audit log", "Recommend the right plan for a customer's size and needs"},
		test: &quiz{passMark: 75, attempts: 3, minutes: 30, questions: []question{
			single(0, "A customer wants new employees to get access automatically. What do you configure?", "SCIM keeps accounts in step with the identity provider.",
				"*SCIM provisioning from their identity provider", "A shared admin account", "Weekly CSV uploads", "Guest links"),
			ordering(0, "Put the single sign-on setup steps in order.", "Create, connect, test with one account, then enforce.",
				"Create the SAML app in the identity provider", "Upload the metadata to the workspace", "Test sign-in with one account", "Enforce single sign-on for everyone"),
			multiple(1, "Which of these pause a sync? Choose all that apply.", "Expired tokens, rate limits and missing folders stop a sync; avatars do not.",
				"*An expired API token", "*A rate limit from the source system", "A user changing their avatar", "*A deleted source folder"),
			short(2, "Which log shows who changed a workspace setting?", "The audit log keeps every settings change with its author.", "audit log", "the audit log", "audit"),
			truth(3, "The Team plan includes single sign-on.", false, "Single sign-on comes with the Business and Enterprise plans."),
			single(3, "A 40-person company needs dashboards and the API but not single sign-on. Which plan fits?", "Business has dashboards and the API.",
				"*Business", "Team", "Enterprise", "Free"),
		}},
		who: inDepartment("FRONT", "TECH", "CS", "ONB", "SE"), weight: 4},
	{code: "PRD-DEMO", title: "Demoing Northwind: The Five-Minute Story", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 180,
		provider: product, fixed: 120000, tags: []string{"product", "sales"}, skills: []courseSkill{{"Product Demonstration", 3}, {"Storytelling", 2}},
		about:      "Practise a five-minute demo built around the customer's problem, with feedback from solutions engineers.",
		objectives: []string{"Deliver a five-minute demo that starts from the customer's problem", "Adjust the demo to a prospect's industry"},
		who:        inDivision("SAL"), weight: 4},
	{code: "PRD-TROUBLE", title: "Troubleshooting Northwind for Support Teams", kind: training.KindELearning, minutes: 90, provider: product,
		tags: []string{"product", "support"}, skills: []courseSkill{{"Troubleshooting", 3}, {"Log Analysis", 2}}, link: learnHost + "product/troubleshooting",
		about:      "The ten problems customers report most, how to find their cause in the logs, and when to escalate to engineering.",
		objectives: []string{"Diagnose the ten most common customer problems from the logs", "Escalate a defect to engineering with a reproducible case"},
		who:        inDivision("SUP"), weight: 5},

	// Technical courses.
	{code: "ENG-GO", title: "Go for Backend Engineers", kind: training.KindCourse, modality: training.ModalityBlended, minutes: 480, provider: academy,
		tags: []string{"engineering", "go", "backend"}, skills: []courseSkill{{"Go", 3}, {"Unit Testing", 2}}, link: learnHost + "engineering/go",
		about:      "Idiomatic Go for services: packages, errors, interfaces, concurrency and testing, with a code review of your exercises.",
		objectives: []string{"Use idiomatic error handling and package layout in Go", "Use goroutines and channels without leaking them", "Debug a data race with the race detector"},
		who:        inDepartment("PE", "PLAT", "INFRA"), weight: 5},
	{code: "ENG-K8S", title: "Kubernetes Operations", kind: training.KindExternal, modality: training.ModalityLiveOnline, minutes: 1440, provider: cloudforg,
		perLearner: 145000, enroll: training.EnrollApproval, tags: []string{"engineering", "kubernetes", "cloud"}, skills: []courseSkill{{"Kubernetes", 3}, {"Docker", 2}},
		external:   "https://www.cloudforge.example/courses/kubernetes-operations",
		about:      "A three-day live course on running production clusters: workloads, networking, storage, upgrades and troubleshooting.",
		objectives: []string{"Configure a stateful workload with persistent storage", "Diagnose a failing pod from its events and logs", "Perform a cluster upgrade without downtime"},
		who:        inDepartment("PLAT", "INFRA"), weight: 4},
	{code: "ENG-SECCODE", title: "Secure Coding: OWASP Top 10 in Practice", kind: training.KindWorkshop, modality: training.ModalityLiveOnline, minutes: 240,
		provider: academy, fixed: 320000, tags: []string{"engineering", "security"}, skills: []courseSkill{{"Secure Coding", 3}, {"Application Security", 2}},
		about:      "Hands-on: find and fix injection, broken access control and the rest of the OWASP Top 10 in a deliberately vulnerable app.",
		objectives: []string{"Identify injection and broken access control in a code review", "Apply parameterized queries and output encoding", "Design authorization checks for a new endpoint"},
		who:        inDivision("ENG"), weight: 4},
	{code: "ENG-SYSDESIGN", title: "Designing Distributed Systems", kind: training.KindCourse, minutes: 600, provider: academy,
		tags: []string{"engineering", "architecture"}, skills: []courseSkill{{"System Design", 3}, {"Distributed Systems", 3}}, link: learnHost + "engineering/system-design",
		about: "Partitioning, replication, consistency and failure, taught through five design reviews of real Northwind systems.",
		objectives: []string{"Evaluate the trade-offs of synchronous and asynchronous communication", "Design a partitioning scheme for a growing data set",
			"Justify a consistency model for a given feature", "Understand the CAP theorem"},
		who: inDepartment("PE", "PLAT", "DATA", "MOB"), weight: 3},
	{code: "ENG-INCIDENT", title: "Incident Command for On-Call Engineers", kind: training.KindILT, modality: training.ModalityInPerson, minutes: 360,
		provider: academy, certifying: true, tags: []string{"engineering", "on-call", "reliability"}, skills: []courseSkill{{"Incident Management", 3}},
		about:      "The certification for joining the on-call rota as incident commander: roles, communication and a live simulated outage.",
		objectives: []string{"Lead an incident call through the incident roles", "Communicate status updates to stakeholders every thirty minutes", "Conduct a blameless post-incident review"},
		who:        inDepartment("PLAT", "INFRA", "SEC", "TECH"), weight: 4},
	{code: "ENG-OTEL", title: "Observability with OpenTelemetry", kind: training.KindELearning, minutes: 120, provider: brightw, perLearner: 3900,
		tags: []string{"engineering", "observability"}, skills: []courseSkill{{"Observability", 3}, {"Monitoring & Alerting", 2}},
		external:   "https://www.brightwater.example/opentelemetry",
		about:      "Instrument a service with traces, metrics and logs, and find a slow dependency from a trace.",
		objectives: []string{"Implement OpenTelemetry tracing in an HTTP service", "Trace a slow request to the dependency that caused it", "Configure an alert on an error budget"},
		who:        inDepartment("PLAT", "INFRA", "PE"), weight: 3},
	{code: "ENG-TF", title: "Terraform: Infrastructure as Code", kind: training.KindExternal, modality: training.ModalityLiveOnline, minutes: 960, provider: cloudforg,
		perLearner: 98000, enroll: training.EnrollApproval, tags: []string{"engineering", "cloud", "terraform"}, skills: []courseSkill{{"Terraform", 3}},
		external:   "https://www.cloudforge.example/courses/terraform",
		about:      "Two days on modules, state, workspaces and safe changes to shared infrastructure.",
		objectives: []string{"Compose reusable Terraform modules", "Use remote state with locking", "Revise a module's resources without destroying them"},
		who:        inDepartment("INFRA", "PLAT"), weight: 3},
	{code: "ENG-SQLPERF", title: "SQL Performance Tuning", kind: training.KindVideo, minutes: 150, provider: brightw, perLearner: 2500,
		tags: []string{"engineering", "databases"}, skills: []courseSkill{{"Database Performance Tuning", 3}, {"PostgreSQL", 2}},
		external:   "https://www.brightwater.example/sql-performance",
		about:      "Ten short videos on reading query plans, choosing indexes and rewriting slow queries in PostgreSQL.",
		objectives: []string{"Examine a PostgreSQL query plan", "Design an index for a slow query", "Rewrite a correlated subquery as a join"},
		who:        inDepartment("PE", "PLAT", "DATA", "ANA"), weight: 3},
	{code: "ENG-REVIEW", title: "Effective Code Review", kind: training.KindMicrolearning, minutes: 15, provider: academy,
		tags: []string{"engineering", "code review"}, skills: []courseSkill{{"Code Review", 3}}, link: learnHost + "engineering/code-review",
		about:      "Five lessons of three minutes: what to look for, how to phrase a comment, and when to approve.",
		objectives: []string{"Prioritize review comments by their impact", "Rephrase a blocking comment as a question"},
		who:        inDivision("ENG"), weight: 5},
	{code: "ENG-TESTING", title: "Testing in Go: Table Tests, Fakes and Fuzzing", kind: training.KindReading, minutes: 60, provider: academy,
		tags: []string{"engineering", "go", "testing"}, skills: []courseSkill{{"Unit Testing", 3}}, link: learnHost + "engineering/testing-in-go",
		about:      "Our engineering guide to tests that fail for the right reasons, with examples from our own services.",
		objectives: []string{"Compose table-driven tests for a function with edge cases", "Use a fake instead of a mock for a storage dependency"},
		who:        inDepartment("PE", "PLAT", "QA"), weight: 3},
	{code: "ENG-MLOPS", title: "MLOps: Models in Production", kind: training.KindExternal, modality: training.ModalityLiveOnline, minutes: 1200, provider: datacraft,
		perLearner: 120000, enroll: training.EnrollApproval, tags: []string{"engineering", "machine learning"}, skills: []courseSkill{{"MLOps", 3}, {"Machine Learning", 2}},
		external:   "https://www.datacraft.example/mlops",
		about:      "Five half-days on model registries, deployment, monitoring for drift and retraining pipelines.",
		objectives: []string{"Run a model behind a versioned endpoint", "Measure the data drift of a model in production", "Schedule retraining with a pipeline"},
		who:        inDepartment("DATA"), weight: 4},
	{code: "ENG-A11Y", title: "Accessibility for Web Developers", kind: training.KindELearning, minutes: 90, provider: brightw, perLearner: 2900,
		tags: []string{"engineering", "accessibility", "frontend"}, skills: []courseSkill{{"Web Accessibility", 3}},
		external:   "https://www.brightwater.example/web-accessibility",
		about:      "WCAG 2.2 in practice: semantics, keyboard use, contrast and testing with a screen reader.",
		objectives: []string{"Audit a page against WCAG 2.2 level AA", "Use ARIA only where native HTML falls short", "Navigate a form with a screen reader"},
		who:        inDepartment("PE", "MOB", "QA", "DES"), weight: 3},
	{code: "ENG-HANDBOOK", title: "The Northwind Engineering Handbook", kind: training.KindReading, minutes: 45, provider: academy,
		tags: []string{"engineering", "onboarding"}, skills: []courseSkill{{"Software Design", 2}, {"Technical Documentation", 2}},
		link:       learnHost + "engineering/handbook",
		about:      "How we design, review, ship and run software: the practices every engineer here follows.",
		objectives: []string{"Follow the design review process for a new service", "Locate the runbook of any service you are on call for"},
		who:        inDivision("ENG"), weight: 4},
	{code: "ENG-SEVERITY", title: "Incident Severity Levels at a Glance", kind: training.KindJobAid, minutes: 5, provider: academy,
		tags: []string{"engineering", "on-call"}, skills: []courseSkill{{"Incident Management", 2}}, link: learnHost + "engineering/severity-levels",
		about:      "One page: what makes an incident SEV1 to SEV4, who to page, and how fast to update customers.",
		objectives: []string{"Rate an incident's severity from its customer impact", "Locate who to page for each severity level"},
		who:        inDepartment("PLAT", "INFRA", "SEC", "TECH"), weight: 3},
	{code: "ENG-REACT", title: "React and TypeScript Patterns", kind: training.KindCourse, minutes: 360, provider: academy,
		tags: []string{"engineering", "frontend"}, skills: []courseSkill{{"React", 3}, {"TypeScript", 3}}, link: learnHost + "engineering/react",
		about:      "Components, hooks, state and types the way our web app uses them, with a small feature to build.",
		objectives: []string{"Design typed component props for a reusable form", "Use hooks to fetch and cache data", "Debug a re-render loop with the profiler"},
		who:        inDepartment("PE", "MOB"), weight: 3},

	// Sales, support and everyday skills.
	{code: "SAL-MEDDICC", title: "Qualifying Deals with MEDDICC", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 240,
		provider: kestrel, fixed: 450000, tags: []string{"sales", "qualification"}, skills: []courseSkill{{"MEDDICC", 3}, {"Sales Discovery", 3}},
		about:      "Qualify three live opportunities with MEDDICC in small groups, coached by sales leaders.",
		objectives: []string{"Apply the MEDDICC framework to a live opportunity", "Identify the economic buyer and the champion of a deal", "Prioritize the deals to pursue this quarter"},
		who:        inDepartment("NA", "EMEA", "APAC", "SE"), weight: 5},
	{code: "SAL-NEGOT", title: "Negotiation Skills for Account Teams", kind: training.KindILT, modality: training.ModalityInPerson, minutes: 420, provider: kestrel,
		perLearner: 65000, enroll: training.EnrollApproval, tags: []string{"sales", "negotiation"}, skills: []courseSkill{{"Commercial Negotiation", 3}},
		about:      "A day of negotiation practice with role-plays filmed and reviewed: anchors, concessions and walking away.",
		objectives: []string{"Negotiate a multi-year renewal with a procurement team", "Justify a price without discounting"},
		who:        inDepartment("NA", "EMEA", "APAC", "CS"), weight: 3},
	{code: "SUP-DEESC", title: "De-escalation on the Phone and in Chat", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 180,
		provider: inhouse, fixed: 90000, tags: []string{"support", "communication"}, skills: []courseSkill{{"De-escalation", 3}, {"Customer Empathy", 2}},
		about:      "Role-play the hardest calls and chats of the quarter and practise the words that calm them down.",
		objectives: []string{"Use acknowledging language to calm an upset customer", "Resolve a complaint within the support policy", "Understand why customers escalate"},
		who:        inDepartment("FRONT", "TECH", "CS"), weight: 5},
	{code: "SUP-KB", title: "Writing Help-Centre Articles", kind: training.KindJobAid, minutes: 10, provider: inhouse,
		tags: []string{"support", "writing"}, skills: []courseSkill{{"Knowledge Base Writing", 2}}, link: learnHost + "support/help-centre-style",
		about:      "The template and style rules for help-centre articles, with three good examples.",
		objectives: []string{"Draft a help-centre article from a resolved ticket", "Use the help-centre template and its style rules"},
		who:        inDepartment("FRONT", "TECH", "SUPOPS"), weight: 4},
	{code: "GEN-PRESENT", title: "Presenting with Confidence", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 240, provider: kestrel,
		fixed: 280000, tags: []string{"communication"}, skills: []courseSkill{{"Presentation Skills", 3}},
		about:      "Structure a talk, handle nerves and questions, and give a five-minute presentation with feedback.",
		objectives: []string{"Compose a five-minute talk around one message", "Deliver a presentation with feedback from the group", "Respond to hostile questions calmly"},
		who:        everyone, weight: 1},
	{code: "GEN-EXCEL", title: "Excel for Analysts: Pivot Tables and Lookups", kind: training.KindVideo, minutes: 120, provider: brightw, perLearner: 1900,
		tags: []string{"excel", "data"}, skills: []courseSkill{{"Microsoft Excel", 3}}, external: "https://www.brightwater.example/excel-for-analysts",
		about:      "Pivot tables, XLOOKUP, dynamic arrays and charts that update themselves, in twelve short videos.",
		objectives: []string{"Summarize a data set with a pivot table", "Use XLOOKUP to combine two tables"},
		who:        anyOf(inDivision("FIN", "OPS", "PPL"), inDepartment("SOP", "SUPOPS")), weight: 3},
	{code: "GEN-FINANCE", title: "Finance for Non-Finance Managers", kind: training.KindWebinar, modality: training.ModalityLiveOnline, minutes: 90,
		provider: inhouse, tags: []string{"finance", "management"}, skills: []courseSkill{{"Financial Literacy", 3}, {"Budget Management", 2}},
		about:      "Our finance team on reading the profit and loss account, how budgets are set and what drives cash.",
		objectives: []string{"Analyze your department's monthly profit and loss report", "Calculate the cost of a new hire for the budget"},
		who:        managers, weight: 2},
	{code: "GEN-WRITING", title: "Writing Clearly at Work", kind: training.KindMicrolearning, minutes: 12, provider: inhouse,
		tags: []string{"communication", "writing"}, skills: []courseSkill{{"Written Communication", 3}}, link: learnHost + "skills/writing",
		about:      "Four lessons on putting the point first, cutting words and writing for readers in a hurry.",
		objectives: []string{"Rewrite an email so that its request comes first", "Revise a paragraph to half its length"},
		who:        everyone, weight: 2},
	{code: "GEN-PHISH", title: "Five-Minute Phishing Check", kind: training.KindMicrolearning, minutes: 5, provider: inhouse,
		tags: []string{"security"}, skills: []courseSkill{{"Information Security Awareness", 2}}, link: learnHost + "security/phishing-check",
		about:      "Ten real messages from our inboxes: spot the phishing ones.",
		objectives: []string{"Distinguish phishing emails from genuine ones", "Use the report button on a suspicious message"},
		who:        everyone, weight: 2},
	{code: "GEN-EXPENSES", title: "Travel and Expenses: Quick Guide", kind: training.KindJobAid, minutes: 5, provider: inhouse,
		tags: []string{"finance", "travel"}, skills: []courseSkill{{"Travel Management", 1}}, link: learnHost + "policies/expenses",
		about:      "How to book travel within policy and claim expenses with receipts.",
		objectives: []string{"Submit an expense claim with its receipts", "Locate the travel booking tool and the policy limits"},
		who:        everyone, weight: 2},

	// The leadership programme and its steps.
	{code: "LEAD-FIRST", title: "Managing for the First Time", kind: training.KindCourse, modality: training.ModalityBlended, minutes: 360, provider: inhouse,
		tags: []string{"leadership", "new managers"}, skills: []courseSkill{{"People Management", 3}}, link: learnHost + "leadership/first-time-managers",
		about:      "The move from doing the work to leading the people who do it: expectations, delegation and your first ninety days as a manager.",
		objectives: []string{"Conduct a delegation conversation with clear expectations", "Draft a plan for your first ninety days as a manager", "Understand what changes when you become a manager"},
		who:        managers, weight: 1},
	{code: "LEAD-1TO1", title: "One-to-Ones That Matter", kind: training.KindMicrolearning, minutes: 15, provider: inhouse,
		tags: []string{"leadership"}, skills: []courseSkill{{"People Management", 2}, {"Active Listening", 2}}, link: learnHost + "leadership/one-to-ones",
		about:      "Three lessons on running one-to-ones that belong to the other person.",
		objectives: []string{"Conduct a one-to-one with an agenda set by your report", "Record the actions agreed at the end of each one-to-one"},
		who:        managers, weight: 1},
	{code: "LEAD-FEEDBACK", title: "Giving Feedback That Lands", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 180, provider: inhouse,
		fixed: 60000, tags: []string{"leadership", "feedback"}, skills: []courseSkill{{"Giving Feedback", 3}},
		about:      "Practise the situation-behaviour-impact model on real cases, in pairs, with a facilitator.",
		objectives: []string{"Give feedback with the situation-behaviour-impact model", "Respond to defensiveness without backing down"},
		who:        managers, weight: 1},
	{code: "LEAD-COACH", title: "Coaching Conversations", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 240, provider: kestrel,
		fixed: 380000, tags: []string{"leadership", "coaching"}, skills: []courseSkill{{"Coaching", 3}},
		about:      "The GROW model and powerful questions, practised in coaching trios with an accredited coach.",
		objectives: []string{"Conduct a coaching conversation with the GROW model", "Formulate open questions that move a conversation forward"},
		who:        managers, weight: 1},
	{code: "LEAD-PERF", title: "Performance Conversations", kind: training.KindILT, modality: training.ModalityInPerson, minutes: 300, provider: inhouse,
		tags: []string{"leadership", "performance"}, skills: []courseSkill{{"Performance Management", 3}},
		about:      "Setting expectations, the mid-year and year-end reviews, and addressing underperformance early and fairly.",
		objectives: []string{"Conduct a year-end review against agreed goals", "Draft an improvement plan with measurable steps"},
		who:        managers, weight: 1},
	{code: "LEAD-HIRE", title: "Hiring Fairly: Structured Interviews", kind: training.KindELearning, minutes: 60, provider: inhouse,
		tags: []string{"leadership", "hiring"}, skills: []courseSkill{{"Hiring & Interviewing", 3}, {"Structured Interviewing", 2}}, link: learnHost + "leadership/hiring",
		about:      "Write a scorecard, ask behavioural questions, score independently and decide together.",
		objectives: []string{"Compose a scorecard for a role", "Rate candidates independently before the debrief"},
		who:        managers, weight: 1},
	{code: "LEAD-CHANGE", title: "Leading Through Change", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 240, provider: kestrel,
		fixed: 350000, tags: []string{"leadership", "change"}, skills: []courseSkill{{"Change Management", 3}},
		about:      "Why people resist change and how to lead a team through a reorganization, a new tool or a new strategy.",
		objectives: []string{"Map out the people a change affects and what it asks of them", "Communicate a change your team did not choose"},
		who:        managers, weight: 1},
	{code: "LEAD-INCL", title: "Inclusive Leadership", kind: training.KindWebinar, modality: training.ModalityLiveOnline, minutes: 90, provider: inhouse,
		tags: []string{"leadership", "inclusion"}, skills: []courseSkill{{"Inclusive Leadership", 3}},
		about:      "Bias in hiring, promotion and everyday meetings, and what a manager can do about it. Live, with breakout rooms.",
		objectives: []string{"Identify where bias can enter a promotion decision", "Facilitate a meeting in which everyone contributes"},
		who:        managers, weight: 1},
	{code: "LEAD-BUDGET", title: "Budgets and Forecasts for Managers", kind: training.KindELearning, minutes: 75, provider: inhouse,
		tags: []string{"leadership", "finance"}, skills: []courseSkill{{"Budget Management", 3}}, link: learnHost + "leadership/budgets",
		about:      "Own your team's budget: headcount, tools and travel, the quarterly forecast and what to do when you are over.",
		objectives: []string{"Calculate your team's run rate from the monthly report", "Prioritize spending when the budget is cut"},
		who:        managers, weight: 1},
	{code: codeLeadership, title: "Leading at Northwind: The Manager Programme", kind: training.KindPath, provider: inhouse,
		enroll: training.EnrollApproval, certifying: true, tags: []string{"leadership", "programme"},
		about: "Our programme for people managers, new and experienced, in three stages over about six months. Ask your manager to " +
			"nominate you; those who complete it receive the programme certificate.",
		objectives: []string{"Conduct one-to-ones, feedback and coaching conversations that help people grow",
			"Lead a performance review against agreed goals", "Understand the manager's role at Northwind"},
		levels: []pathLevel{
			{name: "Foundations", steps: []string{"LEAD-FIRST", "LEAD-1TO1", "LEAD-FEEDBACK"}},
			{name: "Growing people", steps: []string{"LEAD-COACH", "LEAD-PERF", "LEAD-HIRE"}},
			{name: "Leading the team", required: 2, steps: []string{"LEAD-CHANGE", "LEAD-INCL", "LEAD-BUDGET"}},
		}},

	// Courses for the offices in their languages.
	{code: "LANG-DE", title: "Deutsch im Beruf: Meetings und E-Mails", kind: training.KindExternal, modality: training.ModalityInPerson, minutes: 1800,
		lang: "de", provider: lexicon, perLearner: 42000, enroll: training.EnrollApproval, tags: []string{"language", "german"},
		skills: []courseSkill{{"German", 3}}, external: "https://www.lexicon.example/berlin/deutsch-im-beruf",
		about:      "Zehn Wochen Abendkurs in Berlin-Mitte: Besprechungen leiten, E-Mails schreiben und Small Talk im Büro (Niveau B1–B2).",
		objectives: []string{"Conduct a team meeting in German", "Compose a business email in German"},
		who:        atOffice(berlin), weight: 4},
	{code: "LEAD-DE", title: "Führen im Wandel", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 420, lang: "de", provider: kestrel,
		fixed: 410000, tags: []string{"leadership", "change"}, skills: []courseSkill{{"Change Management", 3}, {"People Management", 3}},
		about:      "Ein Tag für Führungskräfte in Berlin: Veränderungen erklären, Widerstände verstehen und das Team mitnehmen.",
		objectives: []string{"Communicate a reorganization to your team", "Respond to resistance with open questions"},
		who:        both(managers, atOffice(berlin)), weight: 4},
	{code: "LANG-ES", title: "Presentaciones eficaces en español", kind: training.KindWorkshop, modality: training.ModalityInPerson, minutes: 240, lang: "es",
		provider: inhouse, fixed: 150000, tags: []string{"communication", "spanish"}, skills: []courseSkill{{"Presentation Skills", 3}, {"Spanish", 3}},
		about:      "Taller práctico en la oficina de Madrid: estructurar una presentación, hablar en público y responder preguntas difíciles.",
		objectives: []string{"Deliver a five-minute presentation in Spanish", "Design a presentation for a customer audience"},
		who:        atOffice(madrid), weight: 3},
	{code: "SUP-ES", title: "Atención al cliente: casos difíciles", kind: training.KindELearning, minutes: 60, lang: "es", provider: inhouse,
		tags: []string{"support", "spanish"}, skills: []courseSkill{{"De-escalation", 2}, {"Written Customer Communication", 2}},
		link:       learnHost + "support/casos-dificiles",
		about:      "Módulo en línea para el equipo de soporte de Madrid: clientes molestos, reclamaciones y cómo escribir respuestas que calman.",
		objectives: []string{"Resolve a complaint in Spanish within the support policy", "Rewrite a curt reply in a calm tone"},
		who:        both(inDivision("SUP"), atOffice(madrid)), weight: 5},
	{code: "LANG-FR", title: "Français des affaires", kind: training.KindExternal, modality: training.ModalityLiveOnline, minutes: 1200, lang: "fr",
		provider: lexicon, perLearner: 38000, enroll: training.EnrollApproval, tags: []string{"language", "french"},
		skills: []courseSkill{{"French", 3}}, external: "https://www.lexicon.example/francais-des-affaires",
		about:      "Cours en ligne de dix semaines pour nos équipes de Toronto et nos clients francophones : réunions, négociation et écrits professionnels.",
		objectives: []string{"Conduct a customer call in French", "Negotiate a meeting date and agenda in French"},
		who:        atOffice(toronto), weight: 3},
	{code: "LANG-EN", title: "English for International Meetings", kind: training.KindExternal, modality: training.ModalityLiveOnline, minutes: 900,
		provider: lexicon, perLearner: 36000, enroll: training.EnrollApproval, tags: []string{"language", "english"},
		skills: []courseSkill{{"English", 4}}, external: "https://www.lexicon.example/english-for-meetings",
		about:      "Ten online lessons for colleagues whose first language is not English: chairing, disagreeing politely and summarizing.",
		objectives: []string{"Summarize the decisions of a meeting in English", "Use polite phrases to disagree in a meeting"},
		who:        atOffice(berlin, madrid, singapore), weight: 2},
}
