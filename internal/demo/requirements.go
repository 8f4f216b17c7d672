package demo

import "fmt"

// What each job role of the catalog requires, and the coverage targets of teams. Individual
// contributors' roles are listed one by one; a more senior role raises its base role's levels
// by one and adds a few skills. Management roles take their department's domain skills and the
// leadership skills of their level. Every role needs the compliance basics.

// need is one skill a role requires, at a level, with a criticality.
type need struct {
	skill string
	level int
	crit  string
}

func crit(skill string, level int) need { return need{skill, level, "critical"} }
func imp(skill string, level int) need  { return need{skill, level, "important"} }
func use(skill string, level int) need  { return need{skill, level, "useful"} }

// basics are what everyone must know.
var basics = []need{crit("Data Protection (GDPR)", 2), crit("Information Security Awareness", 2)}

// antiBribery is required of everyone who deals with money, customers or suppliers.
var antiBribery = crit("Anti-Bribery & Corruption", 2)

// senior returns a senior version of base: every level one higher (at most 5), then extra,
// which may also replace a skill of base.
func senior(base []need, extra ...need) []need {
	out := make([]need, 0, len(base)+len(extra))
	for _, n := range base {
		n.level = min(n.level+1, 5)
		out = append(out, n)
	}
	for _, e := range extra {
		out = withNeed(out, e)
	}
	return out
}

// withNeed returns needs with n added, replacing a need of the same skill.
func withNeed(needs []need, n need) []need {
	for i := range needs {
		if needs[i].skill == n.skill {
			needs[i] = n
			return needs
		}
	}
	return append(needs, n)
}

// Base roles that others build on.
var (
	softwareEngineer = []need{crit("Software Design", 3), crit("Code Review", 3), imp("Go", 3), imp("TypeScript", 2),
		imp("Unit Testing", 3), imp("SQL", 2), use("Git", 3), use("Debugging", 3)}
	sre = []need{crit("Incident Management", 3), crit("Kubernetes", 3), imp("Observability", 3), imp("Linux Administration", 3),
		imp("Terraform", 3), use("SLOs & Error Budgets", 2), use("Shell Scripting", 3), use("Go", 2)}
	dataEngineer = []need{crit("ETL Pipelines", 3), crit("SQL", 4), imp("Python", 3), imp("Apache Spark", 2), imp("Apache Airflow", 3),
		imp("Data Modeling", 3), use("Data Quality", 2), use("Apache Kafka", 2)}
	dataScientist = []need{crit("Statistics", 3), crit("Python", 3), crit("Machine Learning", 3), imp("SQL", 3), imp("Experimentation", 3),
		imp("Data Visualization", 3), use("pandas", 3), use("Forecasting", 2)}
	mobileEngineer = []need{crit("Software Design", 3), crit("Code Review", 3), imp("iOS Development", 2), imp("Android Development", 2),
		imp("Swift", 2), imp("Kotlin", 2), use("Mobile Release Management", 2), use("Unit Testing", 3)}
	qaEngineer = []need{crit("Manual Testing", 3), crit("Test Planning", 3), imp("Exploratory Testing", 3), imp("API Testing", 2),
		imp("Defect Management", 3), use("Test Automation", 2), use("SQL", 2)}
	securityEngineer = []need{crit("Application Security", 3), crit("Threat Modeling", 3), imp("Cloud Security", 3), imp("Secure Coding", 3),
		imp("Vulnerability Management", 3), imp("Identity & Access Management", 2), use("Penetration Testing", 2), use("Python", 3)}
	recruiter = []need{crit("Structured Interviewing", 3), crit("Candidate Sourcing", 3), imp("Offer Management", 3), imp("Greenhouse", 3),
		imp("Stakeholder Management", 3), use("Employer Branding", 2), use("Negotiation", 2)}
	hrbp = []need{crit("HR Business Partnering", 3), crit("Employee Relations", 3), imp("Employment Law", 2), imp("Organizational Design", 2),
		imp("Workforce Planning", 2), imp("Coaching", 3), use("People Analytics", 2), use("Change Management", 2)}
	accountExecutive = []need{crit("Sales Discovery", 3), crit("Pipeline Management", 3), imp("Solution Selling", 3), imp("Commercial Negotiation", 2),
		imp("Objection Handling", 3), imp("Salesforce", 3), use("Product Demonstration", 2), use("Prospecting", 3)}
	sdr = []need{crit("Prospecting", 3), imp("Sales Discovery", 2), imp("Salesforce", 2), imp("Written Communication", 3), use("Time Management", 3),
		use("Objection Handling", 2)}
	solutionsEngineer = []need{crit("Product Demonstration", 3), crit("Technical Discovery", 3), imp("Solution Architecture", 3),
		imp("Proof of Concept Delivery", 3), imp("REST APIs", 3), imp("Presentation Skills", 3), use("RFP Responses", 2), use("SQL", 2)}
	supportSpecialist = []need{crit("Ticket Triage", 3), crit("Written Customer Communication", 3), imp("Troubleshooting", 2), imp("Zendesk", 3),
		imp("De-escalation", 2), use("Phone & Chat Support", 2), use("Knowledge Base Writing", 2)}
	techSupport = []need{crit("Troubleshooting", 3), crit("Log Analysis", 3), imp("REST APIs", 2), imp("SQL", 2), imp("Escalation Management", 2),
		imp("Written Customer Communication", 3), use("Zendesk", 3)}
	csm = []need{crit("Customer Onboarding", 3), crit("Renewal Management", 3), imp("Churn Prevention", 3), imp("Business Reviews", 3),
		imp("Stakeholder Management", 3), use("Gainsight", 2), use("Account Expansion", 2)}
	implementation = []need{crit("Implementation Project Management", 3), crit("Customer Onboarding", 3), imp("Data Migration", 2),
		imp("Product Training Delivery", 3), imp("REST APIs", 2), use("Project Management", 2)}
	associatePM = []need{crit("Requirements Writing", 2), crit("Product Discovery", 2), imp("Prioritization", 2), imp("Product Metrics", 2),
		imp("Agile Delivery", 2), use("SQL", 2), use("Stakeholder Management", 2)}
	productManager  = senior(associatePM, imp("Roadmapping", 3))
	productDesigner = []need{crit("Interaction Design", 3), crit("Visual Design", 3), crit("Figma", 3), imp("Prototyping", 3), imp("Design Systems", 2),
		imp("Usability Testing", 2), use("Accessible Design", 2)}
	uxResearcher = []need{crit("User Interviews", 3), crit("Usability Testing", 3), crit("Qualitative Analysis", 3), imp("Survey Design", 2),
		imp("Statistics", 2), imp("Presentation Skills", 3), use("User Journey Mapping", 2)}
	productAnalyst = []need{crit("SQL", 3), crit("Product Analytics", 3), imp("Experimentation", 2), imp("Dashboards & Reporting", 3),
		imp("Statistics", 2), imp("Looker", 2), use("Python", 2)}
	technicalWriter = []need{crit("Technical Writing", 3), crit("API Documentation", 2), imp("Docs as Code", 2), imp("Information Architecture", 2),
		imp("Git", 2), use("Localization", 2), use("Attention to Detail", 3)}
	legalCounsel = []need{crit("Contract Drafting", 3), crit("Commercial Law", 3), imp("Contract Negotiation", 3), imp("Privacy Law", 2),
		imp("Employment Law", 2), imp("Written Communication", 4), use("Intellectual Property", 2)}
	financialAnalyst = []need{crit("Financial Modeling", 3), crit("Microsoft Excel", 4), imp("Budgeting & Forecasting", 3),
		imp("Financial Planning & Analysis", 3), imp("Business Acumen", 2), use("SQL", 2), use("Presentation Skills", 2)}
	accountant = []need{crit("General Ledger Accounting", 3), crit("Month-End Close", 3), imp("IFRS", 2), imp("NetSuite", 3),
		imp("Microsoft Excel", 3), imp("Internal Controls", 2), use("Revenue Recognition", 2)}
	internalAuditor = []need{crit("Internal Audit", 3), crit("Internal Controls", 3), imp("Risk Assessment", 3), imp("SOC 2", 2),
		imp("Data Literacy", 2), use("Written Communication", 3)}
)

// contributorNeeds are the requirements of individual contributors' roles, before the compliance
// that every role or department adds.
var contributorNeeds = map[string][]need{
	// Engineering
	"Software Engineer":        softwareEngineer,
	"Senior Software Engineer": senior(softwareEngineer, imp("System Design", 3), use("Mentoring", 3)),
	"Staff Engineer": {crit("System Design", 4), crit("Software Design", 5), crit("Code Review", 4), imp("Distributed Systems", 4),
		imp("Mentoring", 4), imp("Technical Documentation", 4), imp("Influencing", 4), use("Go", 4)},
	"Principal Engineer": {crit("System Design", 5), crit("Distributed Systems", 5), crit("Influencing", 5), imp("Technical Documentation", 5),
		imp("Mentoring", 5), imp("Strategic Planning", 3), use("Secure Coding", 4), use("Executive Communication", 3)},
	"Site Reliability Engineer":        sre,
	"Senior Site Reliability Engineer": senior(sre, imp("Capacity Planning", 3), use("Disaster Recovery", 3)),
	"Cloud Engineer": {crit("Amazon Web Services", 3), crit("Terraform", 3), imp("Networking", 3), imp("Cloud Security", 2),
		imp("Kubernetes", 2), use("Cloud Cost Management", 2), use("Google Cloud Platform", 2)},
	"Data Engineer":         dataEngineer,
	"Senior Data Engineer":  senior(dataEngineer, imp("Stream Processing", 3), use("Mentoring", 3)),
	"Data Scientist":        dataScientist,
	"Senior Data Scientist": senior(dataScientist, imp("Stakeholder Management", 3), use("Mentoring", 3)),
	"Machine Learning Engineer": {crit("Machine Learning", 3), crit("Python", 4), imp("MLOps", 3), imp("PyTorch", 3), imp("Deep Learning", 2),
		imp("Recommender Systems", 2), use("Kubernetes", 2), use("Large Language Models", 2)},
	"Analytics Engineer": {crit("SQL", 4), crit("dbt", 3), imp("Data Modeling", 3), imp("Data Warehousing", 3), imp("Data Quality", 3),
		use("Looker", 2), use("Git", 3)},
	"Mobile Engineer":          mobileEngineer,
	"Senior Mobile Engineer":   senior(mobileEngineer, imp("System Design", 3), use("Mentoring", 3)),
	"QA Engineer":              qaEngineer,
	"Senior QA Engineer":       senior(qaEngineer, imp("Performance Testing", 3), use("Mentoring", 3)),
	"Test Automation Engineer": {crit("Test Automation", 3), crit("Playwright", 3), imp("TypeScript", 3), imp("API Testing", 3), imp("Continuous Integration", 3), imp("Performance Testing", 2), use("Git", 3)},
	"Security Engineer":        securityEngineer,
	"Senior Security Engineer": senior(securityEngineer, imp("Security Incident Response", 3), use("Mentoring", 3)),
	"Security Analyst": {crit("Security Monitoring", 3), crit("Security Incident Response", 3), imp("Vulnerability Management", 2),
		imp("Networking", 2), use("ISO 27001", 2), use("Log Analysis", 3)},

	// People
	"Learning & Development Specialist": {crit("Learning Needs Analysis", 3), crit("Facilitation", 3), imp("Instructional Design", 2),
		imp("Learning Management Systems", 2), imp("Learning Evaluation", 2), use("Skills Frameworks", 2), use("Stakeholder Management", 3)},
	"Instructional Designer": {crit("Instructional Design", 3), crit("E-learning Development", 3), imp("Articulate Storyline", 3),
		imp("Learning Evaluation", 2), imp("Written Communication", 3), use("Graphic Design", 2), use("Accessible Design", 2)},
	"Learning Technologist": {crit("Learning Management Systems", 3), imp("E-learning Development", 2), imp("SaaS Administration", 3),
		imp("Articulate Storyline", 2), use("HTML & CSS", 2), use("Dashboards & Reporting", 2)},
	"Facilitator": {crit("Facilitation", 4), crit("Presentation Skills", 3), imp("Coaching", 2), imp("Active Listening", 3),
		use("Learning Evaluation", 2)},
	"Recruiter":        recruiter,
	"Senior Recruiter": senior(recruiter, use("Recruiting Analytics", 3), use("Mentoring", 2)),
	"Sourcer": {crit("Candidate Sourcing", 4), imp("Technical Recruiting", 2), imp("Written Communication", 3), use("Greenhouse", 2),
		use("Recruiting Analytics", 2)},
	"Recruiting Coordinator": {crit("Interview Scheduling", 3), imp("Greenhouse", 3), imp("Time Management", 3), imp("Attention to Detail", 3),
		use("Written Communication", 2)},
	"HR Business Partner":        hrbp,
	"Senior HR Business Partner": senior(hrbp, imp("Influencing", 4)),
	"Employee Relations Specialist": {crit("Employee Relations", 3), crit("Employment Law", 3), imp("Conflict Resolution", 3),
		imp("Anti-Harassment", 3), imp("Active Listening", 3), use("Written Communication", 3)},
	"HR Generalist": {crit("Employee Onboarding", 3), imp("Employee Relations", 2), imp("HRIS Administration", 2), imp("Benefits Administration", 2),
		imp("Employment Law", 2), use("Workday", 2)},
	"HR Operations Specialist": {crit("HRIS Administration", 3), crit("Workday", 3), imp("Employee Onboarding", 3), imp("Attention to Detail", 3),
		use("Immigration & Mobility", 2), use("Microsoft Excel", 3)},
	"HRIS Analyst": {crit("HRIS Administration", 4), crit("Workday", 4), imp("People Analytics", 2), imp("SQL", 2), imp("Data Quality", 2),
		use("Business Analysis", 2)},
	"People Analyst": {crit("People Analytics", 3), crit("SQL", 3), imp("Statistics", 2), imp("Data Visualization", 3), imp("Workday", 2),
		use("Python", 2)},
	"Compensation Analyst": {crit("Compensation Design", 3), crit("Microsoft Excel", 4), imp("Statistics", 2), imp("Workday", 2),
		imp("Data Literacy", 3), use("Financial Modeling", 2)},
	"Benefits Specialist": {crit("Benefits Administration", 3), imp("Vendor Management", 2), imp("Employment Law", 2),
		imp("Written Communication", 3), use("Workday", 2)},
	"Equity Administrator": {crit("Equity Administration", 3), crit("Attention to Detail", 4), imp("Microsoft Excel", 3),
		imp("Payroll Compliance", 2), use("Corporate Governance", 2)},

	// Sales
	"Account Executive":        accountExecutive,
	"Senior Account Executive": senior(accountExecutive, imp("Account Planning", 3)),
	"Enterprise Account Executive": {crit("Enterprise Sales", 4), crit("Sales Discovery", 4), crit("Commercial Negotiation", 4), imp("MEDDICC", 3),
		imp("Account Planning", 4), imp("Stakeholder Management", 4), imp("Sales Forecasting", 3), use("Salesforce", 3)},
	"Account Manager": {crit("Account Expansion", 3), crit("Relationship Building", 3), imp("Renewal Management", 3), imp("Account Planning", 3),
		imp("Salesforce", 3), use("Commercial Negotiation", 2)},
	"Sales Development Representative":        sdr,
	"Senior Sales Development Representative": senior(sdr, use("Mentoring", 2)),
	"Solutions Engineer":                      solutionsEngineer,
	"Senior Solutions Engineer":               senior(solutionsEngineer, use("Mentoring", 3)),
	"Sales Operations Analyst": {crit("Sales Analytics", 3), crit("Microsoft Excel", 4), imp("Sales Forecasting", 3), imp("Territory Planning", 2),
		imp("Salesforce", 3), use("SQL", 2)},
	"Deal Desk Specialist": {crit("Deal Desk", 3), crit("CPQ", 3), imp("Contract Management", 2), imp("Pricing Strategy", 2),
		imp("Attention to Detail", 3)},
	"CRM Administrator": {crit("Salesforce Administration", 3), imp("CPQ", 2), imp("CRM Data Management", 3), imp("Business Analysis", 2),
		use("SQL", 2)},

	// Customer Support
	"Support Specialist":                supportSpecialist,
	"Senior Support Specialist":         senior(supportSpecialist, imp("Escalation Management", 3), use("Mentoring", 2)),
	"Technical Support Engineer":        techSupport,
	"Senior Technical Support Engineer": senior(techSupport, imp("Incident Management", 2), use("Mentoring", 3)),
	"Customer Success Manager":          csm,
	"Senior Customer Success Manager":   senior(csm, imp("Commercial Negotiation", 3)),
	"Implementation Consultant":         implementation,
	"Senior Implementation Consultant":  senior(implementation, use("Solution Architecture", 3)),
	"Support Operations Analyst": {crit("Workforce Management", 3), crit("Dashboards & Reporting", 3), imp("Zendesk", 3), imp("SQL", 2),
		imp("Process Improvement", 2)},
	"Knowledge Base Specialist": {crit("Knowledge Base Writing", 4), imp("Written Communication", 4), imp("Information Architecture", 2),
		imp("Zendesk", 2), use("Localization", 2)},
	"Quality Assurance Specialist": {crit("Support Quality Assurance", 3), imp("Giving Feedback", 3), imp("Written Customer Communication", 3),
		imp("Attention to Detail", 3), use("Coaching", 2)},

	// Product
	"Associate Product Manager": associatePM,
	"Product Manager":           productManager,
	"Senior Product Manager":    senior(productManager, crit("Product Strategy", 3), use("Mentoring", 3)),
	"Product Designer":          productDesigner,
	"Senior Product Designer":   senior(productDesigner, imp("User Journey Mapping", 3), use("Mentoring", 3)),
	"Designer": {crit("Visual Design", 3), crit("Adobe Creative Cloud", 3), imp("Figma", 3), imp("Motion Design", 2), imp("Graphic Design", 3),
		use("Brand Strategy", 2)},
	"Content Designer": {crit("Content Design", 3), crit("Written Communication", 4), imp("Information Architecture", 2), imp("Figma", 2),
		imp("Usability Testing", 2), use("Localization", 2)},
	"UX Researcher":           uxResearcher,
	"Senior UX Researcher":    senior(uxResearcher, imp("Research Operations", 3), use("Mentoring", 3)),
	"Product Analyst":         productAnalyst,
	"Senior Product Analyst":  senior(productAnalyst, imp("Product Metrics", 3), use("Mentoring", 3)),
	"Technical Writer":        technicalWriter,
	"Senior Technical Writer": senior(technicalWriter, use("Mentoring", 3)),

	// Operations
	"IT Support Specialist": {crit("Hardware Support", 3), crit("IT Service Management", 3), imp("Endpoint Management", 2), imp("Okta", 2),
		imp("Microsoft 365 Administration", 2), imp("Customer Empathy", 3), use("ServiceNow", 2)},
	"IT Systems Administrator": {crit("Identity & Access Management", 3), crit("Okta", 3), imp("Endpoint Management", 3), imp("SaaS Administration", 3),
		imp("Microsoft 365 Administration", 3), use("Shell Scripting", 2), use("IT Asset Management", 2)},
	"IT Systems Engineer": {crit("Networking", 3), crit("Endpoint Management", 3), imp("Identity & Access Management", 3), imp("Linux Administration", 2),
		imp("Shell Scripting", 3), imp("Microsoft Azure", 2), use("ISO 27001", 2)},
	"Business Operations Analyst": {crit("Business Analysis", 3), crit("Microsoft Excel", 4), imp("SQL", 2), imp("Dashboards & Reporting", 3),
		imp("Process Improvement", 2), use("Financial Modeling", 2)},
	"Program Manager": {crit("Program Management", 3), crit("Stakeholder Management", 3), imp("Project Management", 3), imp("Risk Assessment", 2),
		imp("Agile Delivery", 2), imp("Executive Communication", 2), use("Jira", 3)},
	"Business Analyst": {crit("Business Analysis", 3), crit("Requirements Writing", 3), imp("Process Improvement", 2), imp("SQL", 2),
		imp("Stakeholder Management", 3), use("Microsoft Excel", 3)},
	"Legal Counsel":        legalCounsel,
	"Senior Legal Counsel": senior(legalCounsel, imp("Corporate Governance", 3)),
	"Paralegal": {crit("Contract Management", 3), imp("Contract Drafting", 2), imp("Corporate Governance", 2), imp("Attention to Detail", 4),
		use("Intellectual Property", 1)},
	"Facilities Coordinator": {crit("Facilities Management", 2), crit("Health & Safety", 3), imp("Vendor Management", 2), imp("Fire Safety", 2),
		use("First Aid", 2), use("Space Planning", 1)},
	"Workplace Experience Specialist": {crit("Workplace Experience", 3), imp("Event Planning", 2), imp("Customer Empathy", 3),
		imp("Health & Safety", 2), use("Travel Management", 2), use("First Aid", 2)},
	"Office Manager": {crit("Facilities Management", 3), crit("Health & Safety", 3), imp("Vendor Management", 3), imp("Workplace Experience", 3),
		imp("Budget Management", 2), use("Fire Safety", 3), use("First Aid", 2)},
	"Procurement Specialist": {crit("Strategic Sourcing", 3), crit("Contract Negotiation", 3), imp("Supplier Risk Management", 3),
		imp("Spend Analysis", 2), imp("Coupa", 3), use("Vendor Management", 2)},
	"Buyer": {crit("Purchase Order Management", 3), imp("Coupa", 3), imp("Negotiation", 2), imp("Spend Analysis", 2),
		use("Supplier Risk Management", 2)},

	// Marketing
	"Marketing Specialist": {crit("Email Marketing", 3), crit("Marketing Automation", 2), imp("Content Strategy", 2), imp("HubSpot", 3),
		imp("Web Analytics", 2), imp("Copywriting", 2), use("Social Media Marketing", 2)},
	"Growth Marketing Specialist": {crit("Paid Search", 3), crit("Conversion Rate Optimization", 3), imp("Web Analytics", 3),
		imp("Experimentation", 2), imp("Demand Generation", 2), use("SQL", 2), use("Lifecycle Marketing", 2)},
	"SEO Specialist": {crit("Search Engine Optimization", 4), imp("Content Strategy", 3), imp("Web Analytics", 3), imp("HTML & CSS", 2),
		imp("Web Performance", 2), use("Copywriting", 2)},
	"Product Marketing Manager": {crit("Positioning & Messaging", 3), crit("Product Launches", 3), imp("Competitive Intelligence", 3),
		imp("Market Research", 2), imp("Sales Enablement", 3), imp("Pricing Strategy", 2), use("Presentation Skills", 3), use("Analyst Relations", 2)},
	"Market Research Analyst": {crit("Market Research", 3), crit("Survey Design", 3), imp("Statistics", 2), imp("Competitive Intelligence", 2),
		imp("Data Visualization", 2), use("Microsoft Excel", 3)},
	"Graphic Designer": {crit("Graphic Design", 3), crit("Adobe Creative Cloud", 3), imp("Visual Design", 3), imp("Figma", 2),
		imp("Brand Strategy", 2), use("Motion Design", 2)},
	"Copywriter": {crit("Copywriting", 4), imp("Content Strategy", 2), imp("Brand Strategy", 2), imp("Search Engine Optimization", 2),
		use("Attention to Detail", 3), use("Storytelling", 3)},
	"Video Producer": {crit("Video Production", 3), crit("Adobe Creative Cloud", 3), imp("Motion Design", 2), imp("Storytelling", 3),
		imp("Project Management", 2), use("Social Media Marketing", 2)},
	"Event Manager": {crit("Event Planning", 3), crit("Vendor Management", 3), imp("Budget Management", 2), imp("Project Management", 2),
		imp("Health & Safety", 2), use("Negotiation", 2), use("Sponsorship Management", 2)},
	"Community Manager": {crit("Community Management", 3), imp("Social Media Marketing", 3), imp("Written Communication", 3),
		imp("Event Planning", 2), imp("Relationship Building", 3), use("Content Strategy", 2)},
	"Communications Specialist": {crit("Internal Communications", 3), crit("Written Communication", 4), imp("Public Relations", 2),
		imp("Content Strategy", 2), imp("Social Media Marketing", 2), use("Crisis Communications", 1)},
	"PR Manager": {crit("Public Relations", 4), crit("Media Relations", 4), imp("Crisis Communications", 3), imp("Written Communication", 4),
		imp("Storytelling", 3), use("Executive Communication", 3)},

	// Finance
	"Financial Analyst":        financialAnalyst,
	"Senior Financial Analyst": senior(financialAnalyst, imp("Stakeholder Management", 3), use("Mentoring", 2)),
	"Accountant":               accountant,
	"Senior Accountant":        senior(accountant, imp("US GAAP", 3), use("Mentoring", 2)),
	"Accounts Payable Specialist": {crit("Accounts Payable", 3), imp("NetSuite", 3), imp("Purchase Order Management", 2), imp("Attention to Detail", 3),
		use("Indirect Tax", 1), use("Microsoft Excel", 3)},
	"Accounts Receivable Specialist": {crit("Accounts Receivable", 3), imp("NetSuite", 3), imp("Negotiation", 2), imp("Attention to Detail", 3),
		use("Revenue Recognition", 1), use("Microsoft Excel", 3)},
	"Tax Specialist": {crit("Corporate Tax", 3), crit("Indirect Tax", 3), imp("Transfer Pricing", 2), imp("IFRS", 2), imp("Microsoft Excel", 3),
		use("Attention to Detail", 3)},
	"Treasury Analyst": {crit("Treasury Management", 3), imp("Financial Modeling", 3), imp("Microsoft Excel", 4), imp("Anti-Money Laundering", 2),
		use("Risk Assessment", 2)},
	"Payroll Specialist": {crit("Payroll Processing", 3), crit("Payroll Compliance", 3), imp("Workday", 2), imp("Attention to Detail", 4),
		imp("Microsoft Excel", 3), use("Employment Law", 1)},
	"Payroll Analyst": {crit("Payroll Compliance", 3), crit("Microsoft Excel", 4), imp("Payroll Processing", 3), imp("Data Literacy", 3),
		imp("Workday", 3), use("SQL", 2)},
	"Internal Auditor":        internalAuditor,
	"Senior Internal Auditor": senior(internalAuditor, imp("Stakeholder Management", 3), use("Mentoring", 2)),
}

// domainNeeds are what a department's managers need of its own field, by department code.
var domainNeeds = map[string][]need{
	"PE":     {imp("Software Design", 3), imp("System Design", 3), use("Agile Delivery", 3)},
	"PLAT":   {imp("System Design", 3), imp("Distributed Systems", 3), use("Incident Management", 3)},
	"INFRA":  {crit("Incident Management", 4), imp("Kubernetes", 3), imp("SLOs & Error Budgets", 3)},
	"DATA":   {imp("Machine Learning", 2), imp("Data Modeling", 3), imp("SQL", 3)},
	"MOB":    {imp("iOS Development", 2), imp("Android Development", 2), use("Mobile Release Management", 3)},
	"QA":     {imp("Test Planning", 4), imp("Test Automation", 3), use("Defect Management", 3)},
	"SEC":    {crit("Security Incident Response", 3), imp("Threat Modeling", 3), imp("ISO 27001", 2)},
	"LND":    {crit("Instructional Design", 3), imp("Learning Evaluation", 3), imp("Skills Frameworks", 3)},
	"TA":     {crit("Structured Interviewing", 4), imp("Recruiting Analytics", 3), imp("Employer Branding", 2)},
	"HRBP":   {crit("HR Business Partnering", 4), imp("Employee Relations", 3), imp("Employment Law", 3)},
	"HROPS":  {crit("HRIS Administration", 3), imp("Employee Onboarding", 3), imp("Employment Law", 2)},
	"REW":    {crit("Compensation Design", 4), imp("Benefits Administration", 3), imp("Equity Administration", 2)},
	"NA":     {crit("Sales Forecasting", 4), crit("Pipeline Management", 4), imp("Commercial Negotiation", 3)},
	"EMEA":   {crit("Sales Forecasting", 4), crit("Pipeline Management", 4), imp("Commercial Negotiation", 3)},
	"APAC":   {crit("Sales Forecasting", 4), crit("Pipeline Management", 4), imp("Commercial Negotiation", 3)},
	"SDR":    {crit("Prospecting", 4), imp("Pipeline Management", 3), imp("Salesforce", 3)},
	"SE":     {crit("Solution Architecture", 4), imp("Product Demonstration", 4), imp("Technical Discovery", 3)},
	"SOP":    {crit("Sales Analytics", 4), imp("Territory Planning", 3), imp("Salesforce Administration", 2)},
	"FRONT":  {crit("Escalation Management", 4), imp("Support Quality Assurance", 3), imp("Zendesk", 3)},
	"TECH":   {crit("Escalation Management", 4), imp("Troubleshooting", 4), imp("Incident Management", 3)},
	"CS":     {crit("Renewal Management", 4), imp("Churn Prevention", 4), imp("Business Reviews", 4)},
	"ONB":    {crit("Implementation Project Management", 4), imp("Data Migration", 3), imp("Customer Onboarding", 4)},
	"SUPOPS": {crit("Workforce Management", 4), imp("Dashboards & Reporting", 3), imp("Process Improvement", 3)},
	"PM":     {crit("Product Strategy", 4), imp("Roadmapping", 4), imp("Product Discovery", 3)},
	"DES":    {crit("Interaction Design", 4), imp("Design Systems", 3), imp("Visual Design", 3)},
	"UXR":    {crit("User Interviews", 4), imp("Qualitative Analysis", 4), imp("Research Operations", 3)},
	"ANA":    {crit("Product Analytics", 4), imp("SQL", 3), imp("Experimentation", 3)},
	"DOCS":   {crit("Technical Writing", 4), imp("Information Architecture", 3), imp("Docs as Code", 3)},
	"IT":     {crit("IT Service Management", 4), imp("Identity & Access Management", 3), imp("ISO 27001", 2)},
	"BIZOPS": {crit("Program Management", 4), imp("Business Analysis", 3), imp("Process Improvement", 3)},
	"LEGAL":  {crit("Commercial Law", 4), imp("Contract Negotiation", 4), imp("Corporate Governance", 3)},
	"FAC":    {crit("Health & Safety", 4), crit("Facilities Management", 4), imp("Vendor Management", 3)},
	"PROC":   {crit("Strategic Sourcing", 4), imp("Supplier Risk Management", 3), imp("Contract Negotiation", 4)},
	"GROW":   {crit("Demand Generation", 4), imp("Marketing Automation", 3), imp("Web Analytics", 3)},
	"PMM":    {crit("Positioning & Messaging", 4), imp("Product Launches", 4), imp("Competitive Intelligence", 3)},
	"BRAND":  {crit("Brand Strategy", 4), imp("Visual Design", 3), imp("Copywriting", 3)},
	"EVT":    {crit("Event Planning", 4), imp("Community Management", 3), imp("Vendor Management", 3)},
	"COMMS":  {crit("Public Relations", 4), imp("Crisis Communications", 3), imp("Internal Communications", 4)},
	"FPA":    {crit("Financial Planning & Analysis", 4), imp("Financial Modeling", 4), imp("Budgeting & Forecasting", 4)},
	"ACC":    {crit("Month-End Close", 4), imp("IFRS", 3), imp("Internal Controls", 3)},
	"TAX":    {crit("Corporate Tax", 4), imp("Treasury Management", 3), imp("Transfer Pricing", 3)},
	"PAY":    {crit("Payroll Compliance", 4), imp("Payroll Processing", 4), imp("Workday", 3)},
	"AUDIT":  {crit("Internal Audit", 4), imp("Risk Assessment", 4), imp("Internal Controls", 4)},
}

// leadershipNeeds are the leadership skills of each level of management.
var leadershipNeeds = map[int][]need{
	levelManager: {crit("People Management", 3), imp("Coaching", 3), imp("Performance Management", 3), imp("Hiring & Interviewing", 3),
		use("Giving Feedback", 3)},
	levelSenior: {crit("People Management", 4), imp("Coaching", 4), imp("Performance Management", 4), imp("Strategic Planning", 3),
		imp("Budget Management", 3), use("Hiring & Interviewing", 4)},
	levelDirector: {crit("Strategic Planning", 4), crit("People Management", 4), imp("Organizational Design", 3), imp("Budget Management", 4),
		imp("Executive Communication", 4), use("Change Management", 3)},
	levelDivisionHead: {crit("Strategic Planning", 5), crit("Executive Communication", 5), imp("Organizational Design", 4), imp("Budget Management", 4),
		imp("Change Management", 4), imp("Business Acumen", 4)},
}

// headNeeds are what each division head needs of their division's field, by division code.
var headNeeds = map[string][]need{
	"ENG": {imp("System Design", 4)},
	"PPL": {imp("Workforce Planning", 4)},
	"SAL": {imp("Sales Forecasting", 5)},
	"SUP": {imp("Churn Prevention", 4)},
	"PRD": {imp("Product Strategy", 5)},
	"OPS": {imp("Program Management", 4)},
	"MKT": {imp("Brand Strategy", 4)},
	"FIN": {imp("Financial Planning & Analysis", 5)},
}

var ceoNeeds = []need{crit("Strategic Planning", 5), crit("Executive Communication", 5), crit("Investor Relations", 4), imp("Decision Making", 5),
	imp("Organizational Design", 4), imp("Business Acumen", 5), imp("Change Management", 4), use("Storytelling", 4)}

// bribeExposed are the divisions and departments whose every role needs anti-bribery training.
var bribeExposed = map[string]bool{"SAL": true, "FIN": true, "PROC": true, "LEGAL": true, "EVT": true}

// roleRequirements maps every role of the catalog to what it requires. A role name used by
// several departments takes the needs of the first.
var roleRequirements = func() map[string][]need {
	out := map[string][]need{}
	add := func(role string, needs ...[]need) {
		if _, done := out[role]; done {
			return
		}
		var all []need
		for _, ns := range append([][]need{basics}, needs...) {
			for _, n := range ns {
				all = withNeed(all, n)
			}
		}
		out[role] = all
	}
	add(ceoRole, ceoNeeds, []need{{"Anti-Bribery & Corruption", 3, "critical"}})
	for _, div := range divisions {
		add(div.head, leadershipNeeds[levelDivisionHead], headNeeds[div.code], []need{{"Anti-Bribery & Corruption", 3, "critical"}})
		for _, d := range div.departments {
			var extra []need
			if bribeExposed[div.code] || bribeExposed[d.code] {
				extra = []need{antiBribery}
			}
			add(d.manager, domainNeeds[d.code], leadershipNeeds[levelManager], extra)
			add(d.senior, domainNeeds[d.code], leadershipNeeds[levelSenior], extra)
			add(d.director, domainNeeds[d.code], leadershipNeeds[levelDirector], extra)
			for _, m := range d.members {
				needs, ok := contributorNeeds[m.role]
				if !ok {
					panic(fmt.Sprintf("demo: no skills for the role %q", m.role))
				}
				add(m.role, needs, extra)
			}
		}
	}
	return out
}()

// coverageRule asks every team of a department for at least min people at level or above.
type coverageRule struct {
	skill      string
	level, min int
}

// coverageRules are the teams' coverage targets, by department code.
var coverageRules = map[string][]coverageRule{
	"PE":    {{"Code Review", 4, 2}},
	"PLAT":  {{"Incident Management", 4, 2}, {"Distributed Systems", 4, 1}},
	"INFRA": {{"Incident Management", 4, 2}, {"Kubernetes", 4, 2}},
	"DATA":  {{"SQL", 4, 2}},
	"MOB":   {{"Mobile Release Management", 3, 2}},
	"QA":    {{"Test Automation", 4, 1}},
	"SEC":   {{"Security Incident Response", 4, 2}},
	"FRONT": {{"De-escalation", 3, 2}},
	"TECH":  {{"Troubleshooting", 4, 2}},
	"IT":    {{"Identity & Access Management", 4, 1}},
	"FAC":   {{"First Aid", 3, 1}, {"Fire Safety", 3, 1}},
	"PAY":   {{"Payroll Compliance", 4, 1}},
}

// maxCoveredTeams bounds how many teams of one department get coverage targets, so that a large
// demo has a few hundred targets rather than thousands.
const maxCoveredTeams = 25

// certifications are skills that people who need them may hold a certificate in, with the
// share in percent of those who do: a cloud certificate, PMP, ITIL, CIPP/E, ACCA and so on.
var certifications = map[string]int{
	"Amazon Web Services": 35, "Google Cloud Platform": 25, "Microsoft Azure": 25, "Kubernetes": 20,
	"Project Management": 30, "Program Management": 15, "IT Service Management": 30, "Salesforce Administration": 40,
	"ISO 27001": 20, "Privacy Law": 30, "IFRS": 25, "Internal Audit": 30, "Application Security": 15, "Agile Delivery": 10,
	"Health & Safety": 40, "First Aid": 60, "Fire Safety": 50, "Workday": 25, "Payroll Compliance": 20,
}
