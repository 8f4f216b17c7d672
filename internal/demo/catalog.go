package demo

// The company's fixed facts: who it is, where it works and what its divisions do. Everything
// that varies with the seed is drawn from these lists.

const (
	companyName = "Northwind Dynamics"
	companyCode = "NWD"
	domain      = "northwind.example"
	ceoRole     = "Chief Executive Officer"
)

// location is an office with its IANA time zone and its share of the workforce.
type location struct {
	name, tz string
	weight   int
	// cultures are the naming cultures most common among people hired there, with weights.
	cultures []int
}

// Location indexes, so catalog weights are checked by the compiler.
const (
	london = iota
	berlin
	madrid
	newYork
	austin
	sanFrancisco
	toronto
	singapore
	bangalore
	sydney
	numLocations
)

// hq is where the chief executive and, more often than not, the division heads sit.
const hq = london

var locations = [numLocations]location{
	london:       {"London", "Europe/London", 16, []int{english: 10, irish: 2, indian: 3, westAfrican: 2, pakistani: 2, polish: 1, italian: 1}},
	berlin:       {"Berlin", "Europe/Berlin", 9, []int{german: 10, turkish: 3, polish: 2, nordic: 1, greek: 1, dutch: 1}},
	madrid:       {"Madrid", "Europe/Madrid", 6, []int{spanish: 10, latinAmerican: 3, portuguese: 2, french: 1}},
	newYork:      {"New York", "America/New_York", 16, []int{english: 8, irish: 2, latinAmerican: 3, chinese: 2, hebrew: 2, italian: 2, westAfrican: 1}},
	austin:       {"Austin", "America/Chicago", 9, []int{english: 8, latinAmerican: 5, indian: 2, vietnamese: 1}},
	sanFrancisco: {"San Francisco", "America/Los_Angeles", 10, []int{english: 5, chinese: 3, indian: 3, latinAmerican: 2, korean: 1, vietnamese: 1, japanese: 1, persian: 1}},
	toronto:      {"Toronto", "America/Toronto", 7, []int{english: 6, chinese: 2, indian: 2, french: 2, irish: 1, pakistani: 1, eastAfrican: 1}},
	singapore:    {"Singapore", "Asia/Singapore", 8, []int{chinese: 8, malay: 3, indian: 2}},
	bangalore:    {"Bangalore", "Asia/Kolkata", 12, []int{indian: 1}},
	sydney:       {"Sydney", "Australia/Sydney", 7, []int{english: 7, chinese: 2, irish: 1, vietnamese: 1, indian: 1, greek: 1}},
}

// roleShare is one job role among a unit's individual contributors, with how common it is and
// the specialisms its job titles may name.
type roleShare struct {
	role        string
	weight      int
	specialisms []string
}

// department is a kind of department a division has, with the roles of its people. Its head is
// a director when they lead managers; leaders of managers further down are senior managers.
type department struct {
	code, name                  string
	weight                      float64
	director, senior, manager   string
	members                     []roleShare
	areas                       []string // names of the groups or teams directly below it
	where                       []int    // location weights; nil means the division's
	isLearning, isHR, isSysTeam bool     // where the demo's administrators are found
}

// division is a top-level part of the company.
type division struct {
	code, name, head string
	weight           float64
	where            []int
	departments      []department // in order of priority: small divisions have the first ones
}

// Software engineering levels, shared by several engineering departments.
func engineers(specialisms ...string) []roleShare {
	return []roleShare{
		{"Software Engineer", 44, specialisms},
		{"Senior Software Engineer", 38, specialisms},
		{"Staff Engineer", 12, specialisms},
		{"Principal Engineer", 2, nil},
		{"Site Reliability Engineer", 4, nil},
	}
}

// divisions in order of priority: a small company has the first few. People comes second so
// that even the smallest demo has HR and L&D administrators.
var divisions = []division{
	{code: "ENG", name: "Engineering", head: "VP Engineering", weight: 0.30,
		where: []int{london: 3, berlin: 4, madrid: 2, newYork: 2, austin: 2, sanFrancisco: 4, toronto: 2, singapore: 1, bangalore: 5, sydney: 1},
		departments: []department{
			{code: "PE", name: "Product Engineering", weight: 0.30, director: "Director of Engineering", senior: "Senior Engineering Manager", manager: "Engineering Manager",
				members: engineers("Frontend", "Backend", "Full Stack", "Payments", "Search"),
				areas:   []string{"Checkout", "Search", "Onboarding", "Payments", "Notifications", "Accounts", "Growth", "Reporting", "Integrations", "Billing", "Catalog", "Collaboration"}},
			{code: "PLAT", name: "Platform", weight: 0.20, director: "Director of Engineering", senior: "Senior Engineering Manager", manager: "Engineering Manager",
				members: engineers("Backend", "Distributed Systems", "Developer Tooling", "Storage"),
				areas:   []string{"Compute", "Storage", "Networking", "Developer Experience", "Build & Release", "Identity", "Messaging", "Runtime", "Databases", "Edge", "Scheduling", "Caching"}},
			{code: "INFRA", name: "Infrastructure & Reliability", weight: 0.12, director: "Director of Infrastructure", senior: "Senior Engineering Manager", manager: "Engineering Manager",
				members: []roleShare{{"Site Reliability Engineer", 45, []string{"Kubernetes", "Observability", "Incident Response"}}, {"Senior Site Reliability Engineer", 35, nil},
					{"Cloud Engineer", 15, []string{"AWS", "GCP", "Azure"}}, {"Staff Engineer", 5, nil}},
				areas: []string{"Observability", "Cloud Foundations", "Incident Management", "Capacity", "Kubernetes", "Databases Operations", "Networking Operations", "Cost Efficiency"}},
			{code: "DATA", name: "Data & AI", weight: 0.13, director: "Director of Data", senior: "Senior Engineering Manager", manager: "Data Engineering Manager",
				members: []roleShare{{"Data Engineer", 28, []string{"Pipelines", "Streaming"}}, {"Senior Data Engineer", 18, nil}, {"Data Scientist", 20, []string{"Experimentation", "Forecasting", "NLP"}},
					{"Senior Data Scientist", 12, nil}, {"Machine Learning Engineer", 16, []string{"Recommendations", "Ranking", "MLOps"}}, {"Analytics Engineer", 6, nil}},
				areas: []string{"Data Platform", "Machine Learning", "Recommendations", "Experimentation", "Forecasting", "Data Quality", "Analytics Engineering", "Applied AI"}},
			{code: "MOB", name: "Mobile", weight: 0.10, director: "Director of Engineering", senior: "Senior Engineering Manager", manager: "Engineering Manager",
				members: []roleShare{{"Mobile Engineer", 48, []string{"iOS", "Android", "React Native"}}, {"Senior Mobile Engineer", 38, []string{"iOS", "Android"}}, {"Staff Engineer", 14, nil}},
				areas:   []string{"iOS", "Android", "Mobile Platform", "Mobile Growth", "Mobile Payments", "Offline", "Mobile Design System", "Wearables"}},
			{code: "QA", name: "Quality Engineering", weight: 0.08, director: "Director of Quality", senior: "Senior QA Manager", manager: "QA Manager",
				members: []roleShare{{"QA Engineer", 45, []string{"Manual", "Exploratory"}}, {"Test Automation Engineer", 35, []string{"Web", "Mobile", "API"}}, {"Senior QA Engineer", 20, nil}},
				areas:   []string{"Test Automation", "Release Quality", "Performance Testing", "Accessibility", "Mobile Quality", "API Quality", "Test Infrastructure", "Exploratory Testing"}},
			{code: "SEC", name: "Security", weight: 0.07, director: "Director of Security", senior: "Senior Security Manager", manager: "Security Engineering Manager",
				members: []roleShare{{"Security Engineer", 50, []string{"Application Security", "Cloud Security", "Detection"}}, {"Senior Security Engineer", 35, nil}, {"Security Analyst", 15, nil}},
				areas:   []string{"Application Security", "Cloud Security", "Detection & Response", "Identity Security", "Security Tooling", "Governance & Risk", "Red Team", "Privacy Engineering"}},
		}},
	{code: "PPL", name: "People", head: "Chief People Officer", weight: 0.08,
		where: []int{london: 5, berlin: 2, madrid: 1, newYork: 4, austin: 2, sanFrancisco: 1, toronto: 1, singapore: 1, bangalore: 2, sydney: 1},
		departments: []department{
			{code: "LND", name: "Learning & Development", weight: 0.17, director: "Director of Learning & Development", senior: "Senior Learning & Development Manager", manager: "Learning & Development Manager",
				members: []roleShare{{"Learning & Development Specialist", 45, []string{"Leadership", "Onboarding", "Technical Skills", "Compliance"}}, {"Instructional Designer", 25, []string{"E-learning", "Blended Learning"}},
					{"Learning Technologist", 12, nil}, {"Facilitator", 18, []string{"Leadership", "Communication"}}},
				areas:      []string{"Leadership Academy", "Technical Academy", "Onboarding", "Compliance Training", "Learning Technology", "Sales Enablement", "Coaching & Mentoring", "Career Development"},
				isLearning: true},
			{code: "TA", name: "Talent Acquisition", weight: 0.33, director: "Director of Talent Acquisition", senior: "Senior Recruiting Manager", manager: "Recruiting Manager",
				members: []roleShare{{"Recruiter", 40, []string{"Technical", "Go-to-Market", "Executive"}}, {"Senior Recruiter", 25, nil}, {"Sourcer", 20, nil}, {"Recruiting Coordinator", 15, nil}},
				areas:   []string{"Technical Recruiting", "Go-to-Market Recruiting", "Campus Recruiting", "Executive Search", "Recruiting Operations", "Employer Brand", "Sourcing", "Recruiting Coordination"}},
			{code: "HRBP", name: "People Partners", weight: 0.20, director: "Director of People Partners", senior: "Senior People Partner Manager", manager: "People Partner Manager",
				members: []roleShare{{"HR Business Partner", 60, nil}, {"Senior HR Business Partner", 25, nil}, {"Employee Relations Specialist", 15, nil}},
				areas:   []string{"Engineering & Product Partners", "Go-to-Market Partners", "G&A Partners", "Employee Relations", "Organizational Design", "Workforce Planning", "EMEA Partners", "Americas Partners"}},
			{code: "HROPS", name: "HR Operations", weight: 0.18, director: "Director of HR Operations", senior: "Senior HR Operations Manager", manager: "HR Operations Manager",
				members: []roleShare{{"HR Generalist", 40, nil}, {"HR Operations Specialist", 30, nil}, {"HRIS Analyst", 20, nil}, {"People Analyst", 10, nil}},
				areas:   []string{"HR Services", "HR Systems", "People Analytics", "Onboarding Operations", "Immigration", "Policy & Compliance", "HR Shared Services", "Employee Data"},
				isHR:    true},
			{code: "REW", name: "Total Rewards", weight: 0.12, director: "Director of Total Rewards", senior: "Senior Total Rewards Manager", manager: "Total Rewards Manager",
				members: []roleShare{{"Compensation Analyst", 45, nil}, {"Benefits Specialist", 35, nil}, {"Equity Administrator", 20, nil}},
				areas:   []string{"Compensation", "Benefits", "Equity", "Recognition", "Wellbeing", "Mobility", "Pay Equity", "Rewards Operations"}},
		}},
	{code: "SAL", name: "Sales", head: "VP Sales", weight: 0.18,
		where: []int{london: 4, berlin: 2, madrid: 1, newYork: 5, austin: 3, sanFrancisco: 3, toronto: 2, singapore: 2, bangalore: 1, sydney: 2},
		departments: []department{
			{code: "NA", name: "Sales North America", weight: 0.30, director: "Director of Sales", senior: "Regional Sales Manager", manager: "Sales Manager",
				members: accountExecutives, where: []int{newYork: 5, austin: 3, sanFrancisco: 3, toronto: 2},
				areas: []string{"Enterprise East", "Enterprise West", "Enterprise Central", "Commercial East", "Commercial West", "Canada", "Public Sector", "Strategic Accounts"}},
			{code: "EMEA", name: "Sales EMEA", weight: 0.22, director: "Director of Sales", senior: "Regional Sales Manager", manager: "Sales Manager",
				members: accountExecutives, where: []int{london: 5, berlin: 3, madrid: 2},
				areas: []string{"UK & Ireland", "DACH", "Iberia", "Nordics", "Benelux", "France", "Southern Europe", "Middle East"}},
			{code: "APAC", name: "Sales APAC", weight: 0.13, director: "Director of Sales", senior: "Regional Sales Manager", manager: "Sales Manager",
				members: accountExecutives, where: []int{singapore: 4, sydney: 4, bangalore: 2},
				areas: []string{"ANZ", "South East Asia", "India", "Japan", "Greater China", "Korea", "Strategic APAC", "Commercial APAC"}},
			{code: "SDR", name: "Sales Development", weight: 0.18, director: "Director of Sales Development", senior: "Senior Sales Development Manager", manager: "Sales Development Manager",
				members: []roleShare{{"Sales Development Representative", 70, []string{"Inbound", "Outbound"}}, {"Senior Sales Development Representative", 30, nil}},
				where:   []int{london: 3, newYork: 2, austin: 4, toronto: 2, madrid: 1, singapore: 1},
				areas:   []string{"Inbound", "Outbound Enterprise", "Outbound Commercial", "EMEA Development", "APAC Development", "Partner Development", "Events Follow-up", "Expansion"}},
			{code: "SE", name: "Solutions Engineering", weight: 0.12, director: "Director of Solutions Engineering", senior: "Senior Solutions Engineering Manager", manager: "Solutions Engineering Manager",
				members: []roleShare{{"Solutions Engineer", 60, []string{"Enterprise", "Commercial"}}, {"Senior Solutions Engineer", 40, nil}},
				areas:   []string{"Enterprise Solutions", "Commercial Solutions", "Technical Alliances", "Proof of Concept", "Solutions Architecture", "Demo Engineering", "Integrations Consulting", "Value Engineering"}},
			{code: "SOP", name: "Sales Operations", weight: 0.05, director: "Director of Revenue Operations", senior: "Senior Revenue Operations Manager", manager: "Revenue Operations Manager",
				members: []roleShare{{"Sales Operations Analyst", 50, nil}, {"Deal Desk Specialist", 25, nil}, {"CRM Administrator", 25, nil}},
				areas:   []string{"Deal Desk", "Sales Systems", "Forecasting & Planning", "Territory Planning", "Commissions", "Sales Analytics", "Enablement Operations", "Data Hygiene"}},
		}},
	{code: "SUP", name: "Customer Support", head: "VP Customer Support", weight: 0.15,
		where: []int{london: 2, berlin: 1, madrid: 3, newYork: 1, austin: 4, toronto: 2, singapore: 2, bangalore: 4, sydney: 2},
		departments: []department{
			{code: "FRONT", name: "Frontline Support", weight: 0.40, director: "Director of Customer Support", senior: "Support Manager", manager: "Support Team Lead",
				members: []roleShare{{"Support Specialist", 65, []string{"Billing", "Accounts", "Chat", "Phone"}}, {"Senior Support Specialist", 35, nil}},
				areas:   []string{"Americas Frontline", "EMEA Frontline", "APAC Frontline", "Billing Support", "Chat Support", "Phone Support", "Weekend Support", "Priority Support"}},
			{code: "TECH", name: "Technical Support", weight: 0.22, director: "Director of Technical Support", senior: "Technical Support Manager", manager: "Support Team Lead",
				members: []roleShare{{"Technical Support Engineer", 65, []string{"API", "Integrations", "Mobile"}}, {"Senior Technical Support Engineer", 35, nil}},
				areas:   []string{"API Support", "Integrations Support", "Escalations", "Mobile Support", "Enterprise Support", "Incident Support", "Platform Support", "Data Support"}},
			{code: "CS", name: "Customer Success", weight: 0.22, director: "Director of Customer Success", senior: "Customer Success Manager Lead", manager: "Customer Success Team Lead",
				members: []roleShare{{"Customer Success Manager", 65, []string{"Enterprise", "Mid-Market"}}, {"Senior Customer Success Manager", 35, nil}},
				areas:   []string{"Enterprise Success", "Mid-Market Success", "Digital Success", "Renewals", "Adoption", "Strategic Accounts Success", "Customer Advocacy", "Health & Retention"}},
			{code: "ONB", name: "Onboarding & Implementation", weight: 0.10, director: "Director of Implementation", senior: "Senior Implementation Manager", manager: "Implementation Manager",
				members: []roleShare{{"Implementation Consultant", 70, nil}, {"Senior Implementation Consultant", 30, nil}},
				areas:   []string{"Enterprise Onboarding", "Commercial Onboarding", "Data Migration", "Training Services", "Professional Services", "Integration Services", "Go-Live", "Partner Onboarding"}},
			{code: "SUPOPS", name: "Support Operations", weight: 0.06, director: "Director of Support Operations", senior: "Senior Support Operations Manager", manager: "Support Operations Manager",
				members: []roleShare{{"Support Operations Analyst", 50, nil}, {"Knowledge Base Specialist", 30, nil}, {"Quality Assurance Specialist", 20, nil}},
				areas:   []string{"Workforce Management", "Support Tooling", "Knowledge Base", "Support Quality", "Support Analytics", "Self-Service", "Process Excellence", "Voice of the Customer"}},
		}},
	{code: "PRD", name: "Product", head: "Chief Product Officer", weight: 0.06,
		where: []int{london: 3, berlin: 2, madrid: 1, newYork: 2, austin: 1, sanFrancisco: 4, toronto: 1, bangalore: 1},
		departments: []department{
			{code: "PM", name: "Product Management", weight: 0.40, director: "Director of Product", senior: "Group Product Manager", manager: "Product Lead",
				members: []roleShare{{"Associate Product Manager", 15, nil}, {"Product Manager", 50, []string{"Growth", "Platform", "Payments", "Mobile"}}, {"Senior Product Manager", 35, nil}},
				areas:   []string{"Core Product", "Growth", "Platform Product", "Payments Product", "Mobile Product", "Enterprise Product", "Data Product", "Marketplace"}},
			{code: "DES", name: "Design", weight: 0.30, director: "Director of Design", senior: "Senior Design Manager", manager: "Design Manager",
				members: []roleShare{{"Product Designer", 50, []string{"Interaction", "Visual", "Mobile"}}, {"Senior Product Designer", 30, nil}, {"Designer", 10, []string{"Brand", "Motion"}}, {"Content Designer", 10, nil}},
				areas:   []string{"Design System", "Core Experience", "Growth Design", "Mobile Design", "Enterprise Design", "Brand Design", "Content Design", "Design Operations"}},
			{code: "UXR", name: "User Research", weight: 0.10, director: "Director of Research", senior: "Senior Research Manager", manager: "Research Manager",
				members: []roleShare{{"UX Researcher", 65, []string{"Qualitative", "Quantitative"}}, {"Senior UX Researcher", 35, nil}},
				areas:   []string{"Discovery Research", "Usability", "Research Operations", "Quantitative Research", "Customer Insights", "Accessibility Research", "Market Research", "Research Enablement"}},
			{code: "ANA", name: "Product Analytics", weight: 0.12, director: "Director of Analytics", senior: "Senior Analytics Manager", manager: "Analytics Manager",
				members: []roleShare{{"Product Analyst", 65, nil}, {"Senior Product Analyst", 35, nil}},
				areas:   []string{"Growth Analytics", "Core Analytics", "Experimentation Analytics", "Monetization Analytics", "Mobile Analytics", "Insights", "Metrics Platform", "Customer Analytics"}},
			{code: "DOCS", name: "Technical Writing", weight: 0.08, director: "Director of Documentation", senior: "Senior Documentation Manager", manager: "Documentation Manager",
				members: []roleShare{{"Technical Writer", 70, []string{"API", "Product"}}, {"Senior Technical Writer", 30, nil}},
				areas:   []string{"API Documentation", "Product Documentation", "Developer Guides", "Release Notes", "Localization", "Help Center", "Docs Tooling", "Tutorials"}},
		}},
	{code: "OPS", name: "Operations", head: "Chief Operating Officer", weight: 0.10,
		where: []int{london: 5, berlin: 1, madrid: 1, newYork: 3, austin: 2, sanFrancisco: 1, toronto: 1, singapore: 1, bangalore: 3, sydney: 1},
		departments: []department{
			{code: "IT", name: "IT", weight: 0.30, director: "Director of IT", senior: "Senior IT Manager", manager: "IT Manager",
				members:   []roleShare{{"IT Support Specialist", 45, []string{"Service Desk", "Hardware"}}, {"IT Systems Administrator", 30, []string{"Identity", "Endpoints", "SaaS"}}, {"IT Systems Engineer", 25, nil}},
				areas:     []string{"Service Desk", "Endpoint Management", "Identity & Access", "Business Applications", "Collaboration Tools", "IT Infrastructure", "Asset Management", "IT Security"},
				isSysTeam: true},
			{code: "BIZOPS", name: "Business Operations", weight: 0.22, director: "Director of Business Operations", senior: "Senior Business Operations Manager", manager: "Business Operations Manager",
				members: []roleShare{{"Business Operations Analyst", 50, nil}, {"Program Manager", 35, []string{"Strategy", "Operations"}}, {"Business Analyst", 15, nil}},
				areas:   []string{"Strategy", "Planning", "Program Management", "Business Intelligence", "Process Improvement", "Vendor Management", "Operational Excellence", "Special Projects"}},
			{code: "LEGAL", name: "Legal", weight: 0.18, director: "General Counsel", senior: "Associate General Counsel", manager: "Legal Manager",
				members: []roleShare{{"Legal Counsel", 45, []string{"Commercial", "Employment", "Privacy"}}, {"Senior Legal Counsel", 25, nil}, {"Paralegal", 30, nil}},
				areas:   []string{"Commercial Legal", "Employment Law", "Privacy", "Corporate Legal", "Intellectual Property", "Litigation", "Regulatory", "Legal Operations"}},
			{code: "FAC", name: "Workplace & Facilities", weight: 0.18, director: "Director of Workplace", senior: "Senior Workplace Manager", manager: "Facilities Manager",
				members: []roleShare{{"Facilities Coordinator", 45, nil}, {"Workplace Experience Specialist", 35, nil}, {"Office Manager", 20, nil}},
				areas:   []string{"London Office", "New York Office", "Bangalore Office", "Berlin Office", "Workplace Experience", "Real Estate", "Health & Safety", "Travel"}},
			{code: "PROC", name: "Procurement", weight: 0.12, director: "Director of Procurement", senior: "Senior Procurement Manager", manager: "Procurement Manager",
				members: []roleShare{{"Procurement Specialist", 60, nil}, {"Buyer", 40, nil}},
				areas:   []string{"Strategic Sourcing", "Software Purchasing", "Hardware Purchasing", "Contracts", "Supplier Risk", "Procurement Operations", "Services Purchasing", "Sustainability"}},
		}},
	{code: "MKT", name: "Marketing", head: "Chief Marketing Officer", weight: 0.07,
		where: []int{london: 4, berlin: 1, madrid: 1, newYork: 5, austin: 2, sanFrancisco: 3, toronto: 1, singapore: 1, sydney: 1},
		departments: []department{
			{code: "GROW", name: "Growth Marketing", weight: 0.30, director: "Director of Growth Marketing", senior: "Senior Marketing Manager", manager: "Marketing Manager",
				members: []roleShare{{"Marketing Specialist", 45, []string{"Paid Media", "Email", "Lifecycle"}}, {"Growth Marketing Specialist", 35, nil}, {"SEO Specialist", 20, nil}},
				areas:   []string{"Paid Acquisition", "Lifecycle", "SEO", "Web", "Marketing Analytics", "Partnerships Marketing", "Demand Generation", "Conversion"}},
			{code: "PMM", name: "Product Marketing", weight: 0.22, director: "Director of Product Marketing", senior: "Senior Product Marketing Manager", manager: "Product Marketing Lead",
				members: []roleShare{{"Product Marketing Manager", 70, []string{"Enterprise", "Platform"}}, {"Market Research Analyst", 30, nil}},
				areas:   []string{"Core Product Marketing", "Enterprise Marketing", "Competitive Intelligence", "Launches", "Pricing & Packaging", "Customer Marketing", "Industry Marketing", "Analyst Relations"}},
			{code: "BRAND", name: "Brand & Creative", weight: 0.20, director: "Director of Brand", senior: "Senior Creative Manager", manager: "Creative Manager",
				members: []roleShare{{"Graphic Designer", 35, nil}, {"Copywriter", 30, nil}, {"Video Producer", 15, nil}, {"Marketing Specialist", 20, []string{"Brand"}}},
				areas:   []string{"Brand Studio", "Creative Services", "Video", "Copy", "Web Design", "Campaigns", "Social", "Design Production"}},
			{code: "EVT", name: "Events & Community", weight: 0.15, director: "Director of Events", senior: "Senior Events Manager", manager: "Events Manager",
				members: []roleShare{{"Event Manager", 50, []string{"Conferences", "Field"}}, {"Community Manager", 50, nil}},
				areas:   []string{"Flagship Conference", "Field Events", "Community", "Webinars", "User Groups", "Sponsorships", "Developer Relations", "Partner Events"}},
			{code: "COMMS", name: "Communications", weight: 0.13, director: "Director of Communications", senior: "Senior Communications Manager", manager: "Communications Manager",
				members: []roleShare{{"Communications Specialist", 60, []string{"Internal", "External"}}, {"PR Manager", 40, nil}},
				areas:   []string{"Public Relations", "Internal Communications", "Executive Communications", "Social Media", "Content", "Crisis Communications", "Editorial", "Media Relations"}},
		}},
	{code: "FIN", name: "Finance", head: "Chief Financial Officer", weight: 0.06,
		where: []int{london: 5, newYork: 4, austin: 1, toronto: 1, singapore: 1, bangalore: 2, madrid: 1},
		departments: []department{
			{code: "FPA", name: "FP&A", weight: 0.28, director: "Director of FP&A", senior: "Senior Finance Manager", manager: "Finance Manager",
				members: []roleShare{{"Financial Analyst", 60, []string{"Revenue", "Cost", "Headcount"}}, {"Senior Financial Analyst", 40, nil}},
				areas:   []string{"Corporate FP&A", "Revenue Planning", "Cost Planning", "Headcount Planning", "Business Finance", "Pricing Finance", "Investor Reporting", "Strategic Finance"}},
			{code: "ACC", name: "Accounting", weight: 0.32, director: "Controller", senior: "Senior Accounting Manager", manager: "Accounting Manager",
				members: []roleShare{{"Accountant", 40, nil}, {"Senior Accountant", 25, nil}, {"Accounts Payable Specialist", 20, nil}, {"Accounts Receivable Specialist", 15, nil}},
				areas:   []string{"General Ledger", "Accounts Payable", "Accounts Receivable", "Revenue Accounting", "Close & Consolidation", "Technical Accounting", "Billing Operations", "Expenses"}},
			{code: "TAX", name: "Tax & Treasury", weight: 0.14, director: "Director of Tax & Treasury", senior: "Senior Tax Manager", manager: "Tax Manager",
				members: []roleShare{{"Tax Specialist", 55, []string{"Indirect Tax", "Corporate Tax"}}, {"Treasury Analyst", 45, nil}},
				areas:   []string{"Corporate Tax", "Indirect Tax", "Treasury", "Transfer Pricing", "Tax Compliance", "Cash Management", "Risk & Insurance", "Equity Finance"}},
			{code: "PAY", name: "Payroll", weight: 0.14, director: "Director of Payroll", senior: "Senior Payroll Manager", manager: "Payroll Manager",
				members: []roleShare{{"Payroll Specialist", 70, []string{"EMEA", "Americas", "APAC"}}, {"Payroll Analyst", 30, nil}},
				areas:   []string{"EMEA Payroll", "Americas Payroll", "APAC Payroll", "Payroll Systems", "Payroll Compliance", "Expat Payroll", "Payroll Operations", "Global Payroll"}},
			{code: "AUDIT", name: "Internal Audit", weight: 0.12, director: "Head of Internal Audit", senior: "Senior Audit Manager", manager: "Audit Manager",
				members: []roleShare{{"Internal Auditor", 70, nil}, {"Senior Internal Auditor", 30, nil}},
				areas:   []string{"Financial Audit", "IT Audit", "Operational Audit", "SOX Compliance", "Risk Assessment", "Audit Analytics", "Controls Testing", "Investigations"}},
		}},
}

var accountExecutives = []roleShare{
	{"Account Executive", 45, []string{"Enterprise", "Commercial", "Mid-Market"}},
	{"Senior Account Executive", 30, nil},
	{"Enterprise Account Executive", 15, nil},
	{"Account Manager", 10, nil},
}
