package demo

import (
	"cmp"
	"fmt"
	"strings"
)

// The demo's skills framework: categories, each with its skills. It is plain data, like the role
// catalog; the specializations that grow it for benchmarks are generated from it (see
// specializations).

// Skill types, as the skills service names them.
const (
	typTech = "technical"
	typSoft = "interpersonal"
	typLead = "leadership"
	typComp = "compliance"
	typBiz  = "business"
	typLang = "language"
	typTool = "tool"
)

// skillGroup is one category of the framework: its path from the top ("Engineering / Mobile"),
// the type of its skills unless a skill says otherwise, and the skills.
type skillGroup struct {
	path   string
	typ    string
	skills []skillDef
}

// skillDef is a skill: its name, its aliases separated by semicolons (which aliases cannot
// contain), a one-sentence description and, where it differs from its group's, its type.
type skillDef struct {
	name, aka, about, typ string
}

var framework = []skillGroup{
	{"Engineering / Programming Languages", typTech, []skillDef{
		{"Go", "Golang", "Writes idiomatic, concurrent Go services and command-line tools.", ""},
		{"Java", "Java SE; JVM", "Builds and maintains applications on the Java platform.", ""},
		{"Kotlin", "", "Writes Kotlin for Android apps and services on the JVM.", ""},
		{"Swift", "", "Writes Swift for Apple platforms, using its type system and concurrency model.", ""},
		{"Python", "Python 3", "Writes Python for services, scripts, data work and automation.", ""},
		{"JavaScript", "JS; ECMAScript", "Writes modern JavaScript for browsers and Node.js.", ""},
		{"TypeScript", "TS", "Uses TypeScript's type system to build safer front-end and Node.js code.", ""},
		{"C#", "C Sharp; .NET", "Builds applications and services in C# on .NET.", ""},
		{"C++", "CPP", "Writes efficient, safe C++ for performance-critical components.", ""},
		{"Rust", "", "Writes memory-safe systems code in Rust.", ""},
		{"SQL", "Structured Query Language", "Writes correct, efficient queries, joins and aggregations in SQL.", ""},
		{"Shell Scripting", "Bash; sh", "Automates tasks with robust, readable shell scripts.", ""},
		{"R", "R language", "Analyzes data and builds statistical models in R.", ""},
	}},
	{"Engineering / Web & Frontend", typTech, []skillDef{
		{"React", "React.js; ReactJS", "Builds component-based user interfaces with React and its hooks.", ""},
		{"Vue.js", "Vue", "Builds user interfaces with Vue.js.", ""},
		{"HTML & CSS", "HTML; CSS", "Writes semantic HTML and maintainable, responsive CSS.", ""},
		{"Web Accessibility", "a11y; WCAG", "Builds web interfaces that meet WCAG and work with assistive technology.", ""},
		{"Web Performance", "Core Web Vitals", "Measures and improves page load, rendering and interaction speed.", ""},
		{"Node.js", "Node", "Builds server-side applications and tooling on Node.js.", ""},
	}},
	{"Engineering / Mobile", typTech, []skillDef{
		{"iOS Development", "iOS", "Builds, tests and ships native iOS apps.", ""},
		{"Android Development", "Android", "Builds, tests and ships native Android apps.", ""},
		{"React Native", "RN", "Builds cross-platform mobile apps with React Native.", ""},
		{"Mobile Release Management", "App Store releases", "Ships mobile apps through store review, staged rollouts and hotfixes.", ""},
	}},
	{"Engineering / Architecture & Design", typTech, []skillDef{
		{"Software Design", "Code design", "Structures code into clear modules with sensible boundaries and abstractions.", ""},
		{"System Design", "Systems architecture", "Designs systems of services, storage and queues that meet scale and reliability needs.", ""},
		{"API Design", "", "Designs consistent, versioned and well-documented APIs.", ""},
		{"REST APIs", "RESTful APIs", "Builds and consumes HTTP APIs that follow REST conventions.", ""},
		{"Microservices", "", "Builds and operates systems made of independently deployed services.", ""},
		{"Distributed Systems", "", "Reasons about consistency, partial failure and consensus in distributed systems.", ""},
		{"Event-Driven Architecture", "EDA", "Designs systems around events, queues and asynchronous processing.", ""},
	}},
	{"Engineering / Cloud & Infrastructure", typTech, []skillDef{
		{"Amazon Web Services", "AWS", "Builds and runs systems on AWS services such as EC2, S3, RDS and IAM.", ""},
		{"Google Cloud Platform", "GCP; Google Cloud", "Builds and runs systems on Google Cloud.", ""},
		{"Microsoft Azure", "Azure", "Builds and runs systems on Microsoft Azure.", ""},
		{"Kubernetes", "k8s", "Deploys, scales and troubleshoots workloads on Kubernetes.", ""},
		{"Docker", "Containers", "Packages applications as container images and runs them.", ""},
		{"Terraform", "HCL; Infrastructure as Code; IaC", "Manages cloud infrastructure as code with Terraform.", ""},
		{"Linux Administration", "Linux; Sysadmin", "Administers, tunes and troubleshoots Linux servers.", ""},
		{"Networking", "TCP/IP; DNS", "Understands TCP/IP, DNS, load balancing and TLS well enough to debug them.", ""},
		{"Cloud Cost Management", "FinOps", "Understands, allocates and reduces cloud spend.", ""},
	}},
	{"Engineering / Data Stores", typTech, []skillDef{
		{"PostgreSQL", "Postgres", "Designs schemas for, queries and operates PostgreSQL.", ""},
		{"MySQL", "MariaDB", "Designs schemas for, queries and operates MySQL.", ""},
		{"Redis", "", "Uses Redis for caching, queues and fast data structures.", ""},
		{"Elasticsearch", "OpenSearch; ELK", "Indexes and searches data with Elasticsearch.", ""},
		{"Apache Kafka", "Kafka", "Builds producers, consumers and streams on Kafka.", ""},
		{"Data Modeling", "Schema design", "Designs relational and analytical data models that stay correct as they grow.", ""},
		{"Database Performance Tuning", "Query optimisation", "Reads query plans and tunes indexes and queries.", ""},
	}},
	{"Engineering / Reliability & Operations", typTech, []skillDef{
		{"Incident Management", "Incident command; Incident response", "Leads and takes part in incidents, from detection through resolution to the review.", ""},
		{"Observability", "o11y", "Instruments systems with metrics, logs and traces to understand their behavior.", ""},
		{"Monitoring & Alerting", "Prometheus; Grafana", "Sets up actionable alerts and dashboards that catch problems early.", ""},
		{"SLOs & Error Budgets", "SLO; SLI", "Defines service level objectives and uses error budgets to balance speed and reliability.", ""},
		{"Capacity Planning", "", "Forecasts load and adds capacity before it runs out.", ""},
		{"Disaster Recovery", "DR; Business continuity", "Plans and rehearses recovery from the loss of systems or regions.", ""},
		{"Performance Engineering", "Profiling", "Finds and removes performance bottlenecks with profiling and benchmarks.", ""},
	}},
	{"Engineering / Engineering Practices", typTech, []skillDef{
		{"Code Review", "", "Gives and receives timely review that improves code and spreads knowledge.", ""},
		{"Unit Testing", "", "Writes fast, reliable unit tests that document behavior.", ""},
		{"Continuous Integration", "CI", "Keeps the main branch releasable with automated builds and tests.", ""},
		{"Git", "Version control", "Uses Git fluently for branching, history and collaboration.", ""},
		{"Debugging", "", "Finds the cause of defects methodically, in development and in production.", ""},
		{"Secure Coding", "OWASP Top 10", "Writes code that resists common attacks such as injection and broken access control.", ""},
		{"Agile Delivery", "Scrum; Kanban", "Delivers in short iterations with Scrum or Kanban practices.", ""},
		{"Technical Documentation", "Design docs; Runbooks", "Writes design documents, runbooks and READMEs that others can act on.", ""},
	}},
	{"Engineering / Quality Engineering", typTech, []skillDef{
		{"Test Automation", "Automated testing", "Designs and maintains automated test suites that run in CI.", ""},
		{"Manual Testing", "", "Tests software by hand against requirements and reports defects clearly.", ""},
		{"Exploratory Testing", "", "Explores software with charters and heuristics to find unexpected problems.", ""},
		{"Test Planning", "Test strategy", "Decides what to test, how and when, based on risk.", ""},
		{"Performance Testing", "Load testing; k6; JMeter", "Measures how systems behave under load.", ""},
		{"API Testing", "Postman", "Tests APIs for correctness, contracts and error handling.", ""},
		{"Playwright", "Cypress; Selenium", "Writes reliable cross-browser end-to-end tests.", typTool},
		{"Defect Management", "Bug tracking", "Reports, triages and tracks defects to resolution.", ""},
	}},
	{"Engineering / Security", typTech, []skillDef{
		{"Application Security", "AppSec", "Finds and fixes vulnerabilities in applications through review, testing and design.", ""},
		{"Cloud Security", "", "Secures cloud accounts, networks and workloads.", ""},
		{"Threat Modeling", "STRIDE", "Identifies threats to a system early and designs mitigations.", ""},
		{"Penetration Testing", "Pen testing; Ethical hacking", "Tests systems by attacking them as an adversary would.", ""},
		{"Vulnerability Management", "", "Finds, prioritizes and drives fixes for vulnerabilities across the estate.", ""},
		{"Identity & Access Management", "IAM; SSO", "Designs and runs authentication, single sign-on and least-privilege access.", ""},
		{"Security Monitoring", "SIEM; Detection engineering", "Builds detections and watches security events.", ""},
		{"Security Incident Response", "DFIR", "Contains, investigates and recovers from security incidents.", ""},
	}},
	{"Engineering / Data Engineering", typTech, []skillDef{
		{"ETL Pipelines", "ELT; Data pipelines", "Builds reliable pipelines that move and transform data.", ""},
		{"Apache Spark", "Spark; PySpark", "Processes large datasets with Spark.", ""},
		{"Apache Airflow", "Airflow", "Schedules and monitors data workflows with Airflow.", ""},
		{"dbt", "data build tool", "Builds tested, documented analytics models with dbt.", typTool},
		{"Stream Processing", "Flink; Kafka Streams", "Processes data in real time as streams.", ""},
		{"Data Warehousing", "Snowflake; BigQuery", "Designs and runs analytical warehouses and their models.", ""},
		{"Data Quality", "Data observability", "Tests, monitors and fixes the quality of data.", ""},
	}},
	{"Engineering / Data Science & Machine Learning", typTech, []skillDef{
		{"Statistics", "Statistical analysis", "Applies statistical methods correctly and explains their limits.", ""},
		{"Experimentation", "A/B testing", "Designs, runs and analyzes controlled experiments.", ""},
		{"Machine Learning", "ML", "Trains, evaluates and improves machine learning models.", ""},
		{"Deep Learning", "Neural networks", "Builds and trains neural networks.", ""},
		{"Large Language Models", "LLM; GenAI", "Builds products on large language models, with prompting, retrieval and evaluation.", ""},
		{"Forecasting", "Time series", "Forecasts time series and communicates the uncertainty.", ""},
		{"Recommender Systems", "Recommendations; Ranking", "Builds systems that rank and recommend items.", ""},
		{"MLOps", "ML engineering", "Deploys, monitors and retrains models in production.", ""},
		{"PyTorch", "", "Builds and trains models with PyTorch.", typTool},
		{"pandas", "DataFrames", "Cleans and analyzes tabular data with pandas.", typTool},
		{"Data Visualization", "Dataviz", "Presents data in charts that are accurate and easy to read.", ""},
	}},

	{"Product & Design / Product Management", typBiz, []skillDef{
		{"Product Strategy", "", "Sets a product direction that serves customers and the business.", ""},
		{"Product Discovery", "", "Validates problems and solutions with customers before building.", ""},
		{"Roadmapping", "Product roadmap", "Plans and communicates what will be built, when and why.", ""},
		{"Prioritization", "", "Chooses what to do first by weighing value, cost and risk.", ""},
		{"Requirements Writing", "User stories; PRD", "Writes clear problem statements, user stories and acceptance criteria.", ""},
		{"Product Metrics", "KPIs", "Defines and tracks the metrics that show whether a product works.", ""},
		{"Pricing Strategy", "Pricing & packaging", "Sets prices and packages that customers understand and value.", ""},
	}},
	{"Product & Design / Design", typTech, []skillDef{
		{"Interaction Design", "IxD", "Designs how people move through and act in a product.", ""},
		{"Visual Design", "UI design", "Creates clear, consistent and attractive interfaces.", ""},
		{"Prototyping", "", "Builds prototypes to explore and test ideas quickly.", ""},
		{"Design Systems", "Component library", "Builds and maintains shared components, tokens and guidelines.", ""},
		{"Information Architecture", "IA", "Organizes and labels content so that people find it.", ""},
		{"Accessible Design", "Inclusive design", "Designs for people with a wide range of abilities.", ""},
		{"Motion Design", "Animation", "Uses motion to explain and delight without distracting.", ""},
		{"Content Design", "UX writing; Microcopy", "Writes interface text and content that helps people act.", ""},
		{"User Journey Mapping", "Journey maps; Service design", "Maps the steps, needs and pain points of a customer's experience.", ""},
		{"Figma", "", "Designs, prototypes and collaborates in Figma.", typTool},
	}},
	{"Product & Design / User Research", typTech, []skillDef{
		{"User Interviews", "Customer interviews", "Plans and runs interviews that reveal needs and behavior.", ""},
		{"Usability Testing", "User testing", "Tests designs with real users and turns the findings into changes.", ""},
		{"Survey Design", "Questionnaires", "Writes unbiased surveys and analyzes the answers.", ""},
		{"Qualitative Analysis", "Research synthesis; Affinity mapping", "Synthesizes interviews and observations into insights.", ""},
		{"Research Operations", "ResearchOps", "Runs participant recruiting, consent, tools and the research repository.", ""},
	}},
	{"Product & Design / Product Analytics", typTech, []skillDef{
		{"Product Analytics", "Amplitude; Mixpanel", "Analyzes product usage to answer questions about behavior.", ""},
		{"Dashboards & Reporting", "BI reporting", "Builds dashboards and reports that people trust and use.", ""},
		{"Looker", "LookML", "Models data and builds explores and dashboards in Looker.", typTool},
		{"Tableau", "", "Builds interactive analyses and dashboards in Tableau.", typTool},
	}},
	{"Product & Design / Technical Writing", typTech, []skillDef{
		{"Technical Writing", "Tech writing", "Writes accurate, task-focused documentation for technical readers.", ""},
		{"API Documentation", "API reference", "Documents APIs with references, guides and examples.", ""},
		{"Docs as Code", "Docs-as-code", "Writes and publishes documentation with developer tools and workflows.", ""},
		{"Localization", "L10n; Translation management", "Prepares content and products for other languages and markets.", ""},
	}},

	{"Sales / Selling", typBiz, []skillDef{
		{"Prospecting", "Lead generation; Cold outreach", "Finds potential customers and opens conversations by phone, email and social channels.", ""},
		{"Sales Discovery", "Discovery calls", "Uncovers a prospect's needs, pains and buying process.", ""},
		{"Solution Selling", "Consultative selling; Value selling", "Sells by tying the product to the customer's problems and their value.", ""},
		{"Objection Handling", "", "Answers concerns honestly and keeps deals moving.", ""},
		{"Pipeline Management", "", "Keeps an accurate, healthy pipeline of opportunities.", ""},
		{"Sales Forecasting", "", "Forecasts bookings accurately from the pipeline.", ""},
		{"Account Planning", "Key account management", "Plans how to grow and protect important accounts.", ""},
		{"Enterprise Sales", "Complex sales", "Leads long sales cycles with many stakeholders and procurement.", ""},
		{"MEDDICC", "MEDDIC; MEDDPICC", "Qualifies deals with the MEDDICC framework.", ""},
		{"Commercial Negotiation", "Deal negotiation", "Negotiates price, terms and scope to an outcome both sides can live with.", ""},
		{"Account Expansion", "Upselling; Cross-selling", "Grows existing customers through upsell and cross-sell.", ""},
	}},
	{"Sales / Solutions Engineering", typBiz, []skillDef{
		{"Product Demonstration", "Demos", "Runs tailored demos that show value for the customer's case.", ""},
		{"Technical Discovery", "", "Uncovers a customer's technical environment and requirements.", typTech},
		{"Proof of Concept Delivery", "POC; Pilot", "Plans and runs proofs of concept with clear success criteria.", ""},
		{"Solution Architecture", "", "Designs how the product fits into a customer's systems.", typTech},
		{"RFP Responses", "RFI; Security questionnaires", "Answers requests for proposal and security questionnaires accurately.", ""},
	}},
	{"Sales / Revenue Operations", typBiz, []skillDef{
		{"Salesforce Administration", "SFDC admin", "Configures Salesforce objects, flows, permissions and reports.", typTool},
		{"CPQ", "Configure Price Quote", "Configures and supports the quoting and pricing tools.", typTool},
		{"Deal Desk", "Deal structuring", "Structures non-standard deals and their approvals within policy.", ""},
		{"Sales Compensation", "Commissions", "Designs and calculates sales commission plans.", ""},
		{"Territory Planning", "", "Divides markets and accounts fairly among sellers.", ""},
		{"CRM Data Management", "Data hygiene", "Keeps CRM data accurate, complete and free of duplicates.", ""},
		{"Sales Analytics", "", "Analyzes pipeline, win rates and seller productivity.", ""},
	}},

	{"Customer Support & Success / Support", typBiz, []skillDef{
		{"Ticket Triage", "", "Sorts, prioritizes and routes incoming support requests.", ""},
		{"Troubleshooting", "Diagnostics", "Diagnoses customer problems step by step and finds the fix.", typTech},
		{"Written Customer Communication", "Support writing", "Writes clear, friendly replies that resolve the question.", ""},
		{"Escalation Management", "", "Handles escalated cases and coordinates with engineering.", ""},
		{"De-escalation", "Difficult conversations with customers", "Calms upset customers and turns the conversation around.", typSoft},
		{"Phone & Chat Support", "Voice support; Live chat", "Resolves problems live by phone and chat, with empathy and control.", ""},
		{"Zendesk", "", "Works and configures tickets, macros and views in Zendesk.", typTool},
		{"Knowledge Base Writing", "Help center articles", "Writes and maintains self-service help articles.", ""},
		{"Support Quality Assurance", "QA scoring", "Reviews support conversations against a quality rubric and coaches.", ""},
		{"Workforce Management", "WFM; Scheduling", "Forecasts contact volume and schedules staff to meet it.", ""},
		{"Log Analysis", "", "Reads application logs and traces to find out what went wrong.", typTech},
	}},
	{"Customer Support & Success / Customer Success", typBiz, []skillDef{
		{"Customer Onboarding", "", "Gets new customers set up and successful quickly.", ""},
		{"Renewal Management", "Renewals", "Secures renewals by managing risk and timing early.", ""},
		{"Churn Prevention", "Retention", "Spots customers at risk and acts before they leave.", ""},
		{"Business Reviews", "QBR", "Runs reviews that show customers the value they get.", ""},
		{"Gainsight", "", "Manages customer health, success plans and playbooks in Gainsight.", typTool},
		{"Implementation Project Management", "Implementation", "Runs customer implementations on time and in scope.", ""},
		{"Data Migration", "", "Moves customers' data from their old systems safely and completely.", typTech},
		{"Product Training Delivery", "Customer training", "Teaches customers to use the product well.", ""},
	}},

	{"Marketing / Growth & Digital", typBiz, []skillDef{
		{"Search Engine Optimization", "SEO", "Improves organic search visibility through content, technical and link work.", ""},
		{"Paid Search", "SEM; Google Ads; PPC", "Plans and optimizes paid search campaigns.", ""},
		{"Email Marketing", "", "Plans, writes and tests email campaigns.", ""},
		{"Marketing Automation", "Marketo", "Builds automated, segmented nurture programs.", ""},
		{"HubSpot", "", "Runs campaigns, workflows and reporting in HubSpot.", typTool},
		{"Conversion Rate Optimization", "CRO", "Raises conversion by testing pages and flows.", ""},
		{"Web Analytics", "Google Analytics; GA4", "Measures website traffic and behavior.", ""},
		{"Lifecycle Marketing", "Retention marketing", "Engages customers at each stage of their lifecycle.", ""},
		{"Demand Generation", "Demand gen", "Creates pipeline for sales with campaigns across channels.", ""},
	}},
	{"Marketing / Product Marketing", typBiz, []skillDef{
		{"Positioning & Messaging", "Positioning", "Defines how a product is different and says so clearly.", ""},
		{"Competitive Intelligence", "Competitor analysis", "Tracks competitors and equips sales to win against them.", ""},
		{"Market Research", "", "Sizes markets and studies buyers through primary and secondary research.", ""},
		{"Product Launches", "Launch management", "Plans and runs launches across teams and channels.", ""},
		{"Sales Enablement", "Enablement", "Gives sellers the content, training and tools to sell.", ""},
		{"Analyst Relations", "AR", "Works with industry analysts to shape their view of the company.", ""},
	}},
	{"Marketing / Brand & Content", typBiz, []skillDef{
		{"Brand Strategy", "Brand", "Defines and protects what the brand stands for.", ""},
		{"Copywriting", "", "Writes persuasive copy for ads, web pages and campaigns.", ""},
		{"Content Strategy", "Content marketing", "Plans content that serves an audience and the business.", ""},
		{"Graphic Design", "", "Creates visual assets for print, web and social.", typTech},
		{"Adobe Creative Cloud", "Photoshop; Illustrator; InDesign; Premiere Pro", "Produces design and video work in Adobe's creative tools.", typTool},
		{"Video Production", "Filming; Video editing", "Plans, shoots and edits video, from brief to final cut.", typTech},
		{"Social Media Marketing", "Social media", "Builds an audience and engagement on social channels.", ""},
	}},
	{"Marketing / Communications & Events", typBiz, []skillDef{
		{"Public Relations", "PR", "Earns media coverage and protects the company's reputation.", ""},
		{"Media Relations", "Press relations", "Builds relationships with journalists and handles press enquiries.", ""},
		{"Internal Communications", "Internal comms", "Keeps employees informed and engaged.", ""},
		{"Crisis Communications", "", "Prepares for a crisis and communicates through one.", ""},
		{"Event Planning", "Event management", "Plans and runs events, from budget to logistics.", ""},
		{"Community Management", "", "Grows and moderates a community of users.", ""},
		{"Sponsorship Management", "", "Chooses, negotiates and makes the most of sponsorships.", ""},
	}},

	{"Operations & Finance / Finance & Accounting", typBiz, []skillDef{
		{"Financial Planning & Analysis", "FP&A", "Plans, budgets and analyzes financial performance.", ""},
		{"Financial Modeling", "Financial modelling", "Builds financial models that support decisions.", ""},
		{"Budgeting & Forecasting", "Rolling forecast", "Prepares budgets and rolling forecasts and explains variances.", ""},
		{"General Ledger Accounting", "GL; Bookkeeping", "Records transactions and keeps the ledger accurate.", ""},
		{"Month-End Close", "Financial close", "Closes the books accurately and on time.", ""},
		{"Revenue Recognition", "ASC 606; IFRS 15", "Applies revenue recognition rules to customer contracts.", ""},
		{"Accounts Payable", "AP", "Processes supplier invoices and payments accurately.", ""},
		{"Accounts Receivable", "Collections", "Invoices customers and collects cash.", ""},
		{"IFRS", "International Financial Reporting Standards", "Applies International Financial Reporting Standards.", ""},
		{"US GAAP", "GAAP", "Applies US generally accepted accounting principles.", ""},
		{"NetSuite", "Oracle NetSuite", "Records, reports and configures accounting in NetSuite.", typTool},
	}},
	{"Operations & Finance / Tax, Treasury & Payroll", typBiz, []skillDef{
		{"Corporate Tax", "Direct tax", "Prepares corporate income tax returns and plans for tax.", ""},
		{"Indirect Tax", "VAT; GST; Sales tax", "Handles VAT, GST and sales tax.", ""},
		{"Transfer Pricing", "", "Sets and documents prices between group companies.", ""},
		{"Treasury Management", "Treasury; Cash management", "Manages cash, banking, foreign exchange and liquidity.", ""},
		{"Payroll Processing", "Payroll", "Runs accurate, on-time payroll.", ""},
		{"Payroll Compliance", "", "Keeps payroll compliant with the tax and employment rules of each country.", ""},
	}},
	{"Operations & Finance / Audit & Risk", typBiz, []skillDef{
		{"Internal Audit", "", "Plans and performs audits of processes and controls.", ""},
		{"Internal Controls", "SOX; ICFR", "Designs and tests controls over financial reporting.", ""},
		{"Risk Assessment", "Risk management", "Identifies, rates and tracks risks to the business.", ""},
	}},
	{"Operations & Finance / Business Operations", typBiz, []skillDef{
		{"Program Management", "", "Runs programs of related projects across teams to an outcome.", ""},
		{"Project Management", "PMP; PRINCE2", "Plans and delivers projects on time, in scope and on budget.", ""},
		{"Process Improvement", "Continuous improvement", "Finds waste in processes and removes it.", ""},
		{"Business Analysis", "Requirements analysis", "Analyzes business needs and turns them into requirements.", ""},
		{"Vendor Management", "Supplier management", "Manages vendors' performance, relationships and contracts.", ""},
		{"Business Intelligence", "BI", "Turns company data into reporting that supports decisions.", typTech},
	}},
	{"Operations & Finance / Legal", typBiz, []skillDef{
		{"Contract Drafting", "", "Drafts clear, enforceable contracts.", ""},
		{"Contract Negotiation", "", "Negotiates contract terms that protect the company.", ""},
		{"Commercial Law", "", "Advises on commercial agreements and disputes.", ""},
		{"Employment Law", "Labour law", "Advises on hiring, terms of employment and dismissal.", ""},
		{"Privacy Law", "CIPP; Data protection law", "Advises on data protection and privacy regulation.", ""},
		{"Intellectual Property", "IP; Trademarks; Patents", "Protects and licenses patents, trademarks and copyright.", ""},
		{"Corporate Governance", "Company secretarial", "Runs board, shareholder and entity governance.", ""},
		{"Contract Management", "CLM", "Tracks contracts, their obligations and renewals.", ""},
	}},
	{"Operations & Finance / Procurement", typBiz, []skillDef{
		{"Strategic Sourcing", "Sourcing", "Runs sourcing events and chooses suppliers on total value.", ""},
		{"Supplier Risk Management", "Third-party risk", "Assesses and monitors the risk that suppliers bring.", ""},
		{"Purchase Order Management", "Purchasing; PO", "Raises and tracks purchase orders within policy.", ""},
		{"Spend Analysis", "", "Analyzes spend to find savings.", ""},
		{"Coupa", "", "Runs requisitions, approvals and suppliers in Coupa.", typTool},
	}},
	{"Operations & Finance / Workplace & Facilities", typBiz, []skillDef{
		{"Facilities Management", "FM", "Keeps offices safe, working and maintained.", ""},
		{"Space Planning", "", "Plans office layouts and seating.", ""},
		{"Workplace Experience", "Employee experience", "Makes the office a good place to work.", ""},
		{"Travel Management", "Business travel", "Arranges business travel within policy and duty of care.", ""},
	}},
	{"Operations & Finance / IT", typTech, []skillDef{
		{"IT Service Management", "ITSM; ITIL", "Runs IT services with incident, request and change processes.", ""},
		{"Endpoint Management", "MDM; Intune; Jamf", "Manages and secures laptops and phones at scale.", ""},
		{"Okta", "", "Administers single sign-on, lifecycle and policies in Okta.", typTool},
		{"Microsoft 365 Administration", "Office 365; Entra ID", "Administers Microsoft 365 and its directory.", typTool},
		{"IT Asset Management", "ITAM", "Tracks hardware and software assets through their life.", ""},
		{"Hardware Support", "Desktop support", "Sets up, repairs and replaces computers and peripherals.", ""},
		{"ServiceNow", "", "Works in and configures ServiceNow.", typTool},
		{"SaaS Administration", "", "Manages the licenses, settings and integrations of business SaaS tools.", ""},
	}},

	{"People & Learning / HR", typBiz, []skillDef{
		{"HR Business Partnering", "HRBP", "Advises leaders on people, organization and change.", ""},
		{"Employee Relations", "ER", "Handles grievances, investigations and disciplinary cases fairly.", ""},
		{"Workforce Planning", "Headcount planning", "Plans the people a business will need.", ""},
		{"Compensation Design", "Compensation", "Designs pay structures and salary bands.", ""},
		{"Benefits Administration", "Benefits", "Runs benefits programs and enrollment.", ""},
		{"Equity Administration", "Stock plans", "Administers equity grants, vesting and exercises.", ""},
		{"HRIS Administration", "HRIS", "Configures and maintains the HR information system.", typTech},
		{"Workday", "Workday HCM", "Uses and configures Workday.", typTool},
		{"People Analytics", "HR analytics", "Analyzes workforce data to answer questions about people.", ""},
		{"Immigration & Mobility", "Visas; Global mobility", "Manages visas and international moves.", ""},
		{"Employee Onboarding", "Onboarding", "Runs a smooth start for new hires.", ""},
	}},
	{"People & Learning / Talent Acquisition", typBiz, []skillDef{
		{"Candidate Sourcing", "Boolean search", "Finds and engages passive candidates.", ""},
		{"Structured Interviewing", "", "Runs fair, consistent interviews with clear scoring.", ""},
		{"Technical Recruiting", "Tech recruiting", "Recruits engineers and other technical specialists.", ""},
		{"Employer Branding", "Employer brand", "Shows candidates why the company is a good place to work.", ""},
		{"Offer Management", "Offer negotiation", "Prepares and negotiates offers that candidates accept.", ""},
		{"Interview Scheduling", "Recruiting coordination", "Schedules interviews across many calendars smoothly.", ""},
		{"Greenhouse", "ATS", "Runs hiring pipelines in Greenhouse.", typTool},
		{"Recruiting Analytics", "", "Measures funnel conversion, time to hire and quality of hire.", ""},
	}},
	{"People & Learning / Learning & Development", typBiz, []skillDef{
		{"Instructional Design", "ADDIE", "Designs learning experiences that change what people do.", ""},
		{"Learning Needs Analysis", "Training needs analysis; TNA", "Finds out what people need to learn and why.", ""},
		{"Facilitation", "Training delivery", "Leads workshops and classes, in the room and online, that engage and teach.", typSoft},
		{"E-learning Development", "eLearning", "Builds interactive online courses.", typTech},
		{"Articulate Storyline", "Articulate 360; Rise", "Builds e-learning with Articulate Storyline and Rise.", typTool},
		{"Learning Management Systems", "LMS", "Administers learning platforms and their content.", typTech},
		{"Learning Evaluation", "Kirkpatrick", "Measures whether learning worked, from reaction to results.", ""},
		{"Skills Frameworks", "Competency frameworks", "Builds and maintains skills and competency frameworks.", ""},
	}},

	{"Leadership & Management / People Leadership", typLead, []skillDef{
		{"People Management", "Line management", "Leads a team day to day: goals, one-to-ones, wellbeing and growth.", ""},
		{"Coaching", "", "Helps others find their own answers and grow.", ""},
		{"Mentoring", "", "Shares experience to help others develop their careers.", ""},
		{"Giving Feedback", "Feedback", "Gives specific, timely feedback that people can act on.", ""},
		{"Performance Management", "", "Sets expectations, reviews performance and deals with underperformance.", ""},
		{"Hiring & Interviewing", "Hiring", "Defines roles, interviews and decides fairly.", ""},
		{"Inclusive Leadership", "DEI", "Leads so that everyone can contribute and grow.", ""},
		{"Career Development", "Career conversations", "Helps people plan and make progress in their careers.", ""},
	}},
	{"Leadership & Management / Strategic Leadership", typLead, []skillDef{
		{"Strategic Planning", "Strategy", "Sets direction and turns it into plans and priorities.", ""},
		{"Organizational Design", "Org design", "Shapes teams, roles and reporting lines to fit the strategy.", ""},
		{"Change Management", "", "Leads people through change so that it sticks.", ""},
		{"Budget Management", "Budget ownership", "Owns a budget and spends it well.", ""},
		{"Executive Communication", "", "Communicates concisely and credibly with executives and the board.", ""},
		{"Decision Making", "", "Makes timely, sound decisions on incomplete information.", ""},
		{"Goal Setting", "OKRs", "Sets clear, measurable goals and tracks them.", ""},
		{"Investor Relations", "IR", "Explains performance and plans to investors and the board.", typBiz},
	}},

	{"Compliance / Mandatory Training", typComp, []skillDef{
		{"Data Protection (GDPR)", "GDPR; Data privacy", "Handles personal data lawfully and reports breaches promptly.", ""},
		{"Information Security Awareness", "Security awareness; Phishing awareness", "Recognizes phishing and social engineering and keeps data and devices safe.", ""},
		{"Anti-Bribery & Corruption", "ABC; FCPA; UK Bribery Act", "Recognizes and refuses bribes, improper gifts and conflicts of interest.", ""},
		{"Health & Safety", "H&S; OSHA", "Works safely and knows how to report hazards and incidents.", ""},
		{"Code of Conduct", "Business ethics", "Knows and follows the company's code of conduct.", ""},
		{"Anti-Harassment", "Respect at work", "Recognizes, prevents and reports harassment and discrimination.", ""},
		{"First Aid", "", "Gives first aid until professional help arrives.", ""},
		{"Fire Safety", "Fire warden", "Knows the fire procedures and leads evacuations as a warden.", ""},
	}},
	{"Compliance / Regulation & Standards", typComp, []skillDef{
		{"Anti-Money Laundering", "AML; KYC", "Spots and reports suspicious transactions.", ""},
		{"Export Controls & Sanctions", "Sanctions screening", "Checks that sales and shipments respect export controls and sanctions.", ""},
		{"PCI DSS", "PCI", "Handles payment card data as PCI DSS requires.", ""},
		{"SOC 2", "SOC2", "Operates controls and collects evidence for SOC 2 audits.", ""},
		{"ISO 27001", "ISO/IEC 27001; ISMS", "Runs an information security management system to ISO 27001.", ""},
	}},

	{"Interpersonal Skills / Communication", typSoft, []skillDef{
		{"Written Communication", "Writing", "Writes clearly and concisely for the reader.", ""},
		{"Presentation Skills", "Public speaking", "Presents ideas to groups with confidence and clarity.", ""},
		{"Active Listening", "", "Listens to understand and checks that it has.", ""},
		{"Storytelling", "", "Makes ideas memorable through narrative.", ""},
		{"Cross-Cultural Communication", "", "Works well across cultures, languages and time zones.", ""},
	}},
	{"Interpersonal Skills / Collaboration", typSoft, []skillDef{
		{"Stakeholder Management", "", "Understands stakeholders' interests and keeps them aligned.", ""},
		{"Negotiation", "", "Reaches agreements that work for both sides.", ""},
		{"Conflict Resolution", "", "Resolves disagreements constructively.", ""},
		{"Influencing", "Persuasion", "Brings people round without authority over them.", ""},
		{"Relationship Building", "Professional networking", "Builds trusting working relationships.", ""},
		{"Teamwork", "Collaboration", "Works well with others towards shared goals.", ""},
		{"Customer Empathy", "Customer focus", "Understands customers' situations and how they feel.", ""},
	}},
	{"Interpersonal Skills / Personal Effectiveness", typSoft, []skillDef{
		{"Problem Solving", "", "Breaks problems down and finds workable solutions.", ""},
		{"Critical Thinking", "", "Questions assumptions and weighs the evidence.", ""},
		{"Time Management", "", "Plans time well and meets commitments.", ""},
		{"Attention to Detail", "Accuracy", "Gets the details right, every time.", ""},
		{"Adaptability", "", "Stays effective when things change.", ""},
	}},

	{"Business Skills", typBiz, []skillDef{
		{"Business Acumen", "Commercial awareness", "Understands how the company makes money and what drives its results.", ""},
		{"Financial Literacy", "", "Reads financial statements and understands the numbers behind decisions.", ""},
		{"Data Literacy", "", "Reads, questions and uses data in everyday decisions.", ""},
		{"SaaS Business Models", "SaaS metrics; ARR", "Understands recurring revenue, churn and unit economics.", ""},
	}},

	{"Languages", typLang, []skillDef{
		{"English", "", "Works in English: speaking, reading and writing.", ""},
		{"Spanish", "Español", "Works in Spanish: speaking, reading and writing.", ""},
		{"German", "Deutsch", "Works in German: speaking, reading and writing.", ""},
		{"French", "Français", "Works in French: speaking, reading and writing.", ""},
		{"Mandarin Chinese", "Mandarin; Putonghua", "Works in Mandarin Chinese: speaking, reading and writing.", ""},
		{"Japanese", "", "Works in Japanese: speaking, reading and writing.", ""},
		{"Hindi", "", "Works in Hindi: speaking, reading and writing.", ""},
		{"Portuguese", "Português", "Works in Portuguese: speaking, reading and writing.", ""},
		{"Italian", "Italiano", "Works in Italian: speaking, reading and writing.", ""},
		{"Dutch", "Nederlands", "Works in Dutch: speaking, reading and writing.", ""},
		{"Korean", "", "Works in Korean: speaking, reading and writing.", ""},
		{"Arabic", "", "Works in Arabic: speaking, reading and writing.", ""},
		{"Polish", "Polski", "Works in Polish: speaking, reading and writing.", ""},
		{"Turkish", "Türkçe", "Works in Turkish: speaking, reading and writing.", ""},
		{"Malay", "Bahasa Melayu", "Works in Malay: speaking, reading and writing.", ""},
	}},

	{"Tools & Productivity", typTool, []skillDef{
		{"Microsoft Excel", "Excel; Spreadsheets", "Analyzes data in Excel with formulas, pivot tables and lookups.", ""},
		{"Microsoft PowerPoint", "PowerPoint; Google Slides", "Builds clear slide decks.", ""},
		{"Jira", "", "Tracks work with issues, boards and workflows in Jira.", ""},
		{"Confluence", "Wiki", "Writes and organizes team documentation in Confluence.", ""},
		{"Power BI", "", "Builds reports and data models in Power BI.", ""},
		{"Salesforce", "Salesforce CRM", "Works opportunities, accounts and reports in Salesforce.", ""},
		{"Slack", "", "Communicates in channels, threads and workflows in Slack.", ""},
	}},
}

// facet is a way of specializing a skill: "Kubernetes: Performance Tuning". about has one %s,
// the skill's name.
type facet struct{ name, about string }

// facets by skill type, for the specializations that grow the framework for benchmarks.
var facets = map[string][]facet{
	typTech: {
		{"Performance Tuning", "Tunes %s for speed and efficiency."},
		{"Troubleshooting", "Diagnoses and fixes hard problems in %s."},
		{"Security", "Keeps work in %s secure against common attacks."},
		{"Testing", "Tests work in %s thoroughly and automatically."},
		{"Architecture", "Designs larger systems around %s."},
		{"Migrations & Upgrades", "Moves systems onto and between versions of %s."},
		{"Automation", "Automates repetitive work around %s."},
		{"Teaching", "Teaches %s to others through pairing, talks and guides."},
	},
	typBiz: {
		{"Strategy", "Sets the approach to %s for a team or function."},
		{"Metrics & Reporting", "Measures and reports on %s."},
		{"Process Design", "Designs repeatable processes for %s."},
		{"International Practice", "Practices %s across countries and their local rules."},
		{"Tooling", "Chooses and runs the tools that support %s."},
		{"Coaching Others", "Coaches colleagues in %s."},
	},
	typTool: {
		{"Administration", "Administers %s for a team or company."},
		{"Automation", "Automates work in %s with rules, scripts or integrations."},
		{"Reporting", "Builds reports and dashboards in %s."},
		{"Integrations", "Connects %s to other systems."},
	},
	typSoft: {
		{"Remote Teams", "Practices %s in remote and hybrid teams."},
		{"Senior Stakeholders", "Practices %s with executives and senior stakeholders."},
		{"Across Cultures", "Practices %s across cultures and languages."},
		{"Coaching Others", "Coaches colleagues in %s."},
	},
	typLead: {
		{"Scaling Organizations", "Practices %s in a fast-growing organization."},
		{"Remote Teams", "Practices %s with remote and distributed teams."},
		{"Coaching Others", "Coaches other leaders in %s."},
	},
	typLang: {
		{"Business Writing", "Writes business documents in %s."},
		{"Presenting & Negotiating", "Presents and negotiates in %s."},
	},
	typComp: {
		{"Practitioner", "Applies %s in a specialist role and advises others."},
		{"Auditing", "Audits how teams comply with %s."},
	},
}

// frameworkInfo is the framework with what planning needs to find its way around it.
type frameworkInfo struct {
	categories []string
	skills     []Skill
	index      map[string]int // skill name → index
	byCategory map[string][]int
	tools      []int // the general tools everyone may know
	languages  []int
}

// catalogSkills returns the skills of the catalog, in order, and the category paths, parents
// first.
func catalogSkills() ([]string, []Skill) {
	var cats []string
	seen := map[string]bool{}
	var out []Skill
	for _, g := range framework {
		parts := strings.Split(g.path, " / ")
		for i := range parts {
			p := strings.Join(parts[:i+1], " / ")
			if !seen[p] {
				seen[p] = true
				cats = append(cats, p)
			}
		}
		for _, s := range g.skills {
			sk := Skill{Name: s.name, Category: g.path, Type: cmp.Or(s.typ, g.typ), Description: s.about}
			if s.aka != "" {
				for _, a := range strings.Split(s.aka, ";") {
					sk.Aliases = append(sk.Aliases, strings.TrimSpace(a))
				}
			}
			out = append(out, sk)
		}
	}
	return cats, out
}

// specializations returns up to n specializations of the catalog's skills, in facets' order:
// every skill's first facet, then every skill's second, and so on, so that any number of them
// spreads over the whole framework.
func specializations(catalog []Skill, n int) []Skill {
	var out []Skill
	for f := 0; len(out) < n; f++ {
		added := false
		for _, s := range catalog {
			fs := facets[s.Type]
			if f >= len(fs) || len(out) == n {
				continue
			}
			added = true
			out = append(out, Skill{Name: s.Name + ": " + fs[f].name, Category: s.Category, Type: s.Type,
				Description: fmt.Sprintf(fs[f].about, s.Name)})
		}
		if !added {
			break
		}
	}
	return out
}

func frameworkSizes() (catalog, most int) {
	_, sks := catalogSkills()
	return len(sks), len(sks) + len(specializations(sks, 1<<20))
}

// buildFramework returns a framework of size skills (0 for the catalog alone).
func buildFramework(size int) *frameworkInfo {
	cats, sks := catalogSkills()
	if size > len(sks) {
		sks = append(sks, specializations(sks, size-len(sks))...)
	}
	fw := &frameworkInfo{categories: cats, skills: sks, index: make(map[string]int, len(sks)), byCategory: map[string][]int{}}
	for i, s := range sks {
		fw.index[s.Name] = i
		fw.byCategory[s.Category] = append(fw.byCategory[s.Category], i)
		switch {
		case s.Category == "Tools & Productivity":
			fw.tools = append(fw.tools, i)
		case s.Category == "Languages" && !strings.Contains(s.Name, ":"):
			fw.languages = append(fw.languages, i)
		}
	}
	return fw
}
