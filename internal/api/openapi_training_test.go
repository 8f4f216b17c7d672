package api_test

import (
	"time"

	"github.com/learnloop/learnloop/internal/api"
	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/notify"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/training"
)

// trainingExamples are answers of the training API as the service fills them: an item whole and
// as lists show it, attempts open and submitted, a path's progress, the learner's and the
// manager's views, the compliance matrix, certificates and a classification.
func trainingExamples(now time.Time, id, id2 string) []struct {
	schema string
	value  any
} {
	day := core.Date{Year: 2026, Month: 3, Day: 1}
	score, yes, no := 87.5, true, false
	full := &training.Item{ID: id, Code: "FS-1", Title: "Forklift safety", Description: "Drive safely.", Kind: training.KindELearning,
		Modality: training.ModalitySelfPaced, DurationMinutes: 90, Language: "en", Provider: "Acme", CostPerLearner: 1250, FixedCost: 100000,
		Currency: "EUR", ExternalURL: "https://learn.example.com/fs", Status: training.StatusPublished, Enrollment: training.EnrollOpen,
		Certifying: true, Compliance: true, ValidityMonths: 12, RenewDays: 30, Tags: []string{"safety"},
		Skills: []training.ItemSkill{{SkillID: id2, SkillName: "Forklift driving", TargetLevel: 3}},
		Objectives: []*training.Objective{{ID: id, Position: 1, Text: "Identify the load limits", Bloom: bloom.Remember},
			{ID: id2, Position: 2, Text: "Understand safety", Bloom: bloom.Understand, Override: true, Warnings: bloom.Classify("Understand safety").Warnings}},
		Content: []*training.Content{{ID: id, Position: 1, Title: "Handout", Kind: "file", Filename: "handout.pdf", ContentType: "application/pdf", Size: 1024,
			Inline: true, CreatedAt: now}, {ID: id2, Position: 2, Title: "Video", Kind: "link", URL: "https://intranet.example.com/v", CreatedAt: now}},
		HasTest: true, CreatedAt: now, UpdatedAt: now}
	listed := &training.Item{ID: id2, Title: "Draft", Kind: training.KindPath, Modality: training.ModalityBlended, Language: "de", Currency: "USD",
		Status: training.StatusDraft, Enrollment: training.EnrollAssigned, Tags: []string{}, CreatedAt: now, UpdatedAt: now}
	question := &training.Question{ID: id, ItemID: id2, ObjectiveID: id2, Position: 1, Kind: training.QuestionSingle, Prompt: "Where?", Explanation: "There.",
		Points: 2, Options: []training.Option{{ID: id, Text: "Here", Correct: true}, {ID: id2, Text: "There"}}}
	short := &training.Question{ID: id2, ItemID: id2, Position: 2, Pool: "hard", Kind: training.QuestionShort, Prompt: "What?", Accepted: []string{"Tyres"},
		Points: 1, Retired: true}
	quiz := &training.Quiz{ID: id, ItemID: id2, Kind: training.QuizTest, Title: "Test: Forklift safety", PassMark: 70, MaxAttempts: 3, TimeLimitMinutes: 20,
		ShuffleQuestions: true, Draws: []training.Draw{{Pool: "", Count: 5}, {Pool: "hard", Count: 0}}, Questions: 6, CreatedAt: now, UpdatedAt: now}
	open := &training.Attempt{ID: id, QuizID: id2, QuizKind: training.QuizTest, QuizTitle: "Test", ItemID: id2, PersonID: id, Number: 1, StartedAt: now,
		DeadlineAt: &now, PassMark: 70, Questions: []training.AttemptQuestion{{ID: id, Kind: training.QuestionSingle, Prompt: "Where?", Points: 2,
			Options: []training.AttemptOption{{ID: id2, Text: "There"}, {ID: id, Text: "Here"}}}, {ID: id2, Kind: training.QuestionShort, Prompt: "What?", Points: 1}}}
	earned, zero := 2.0, 0.0
	submitted := *open
	submitted.SubmittedAt, submitted.Score, submitted.Passed = &now, &score, &yes
	submitted.Questions = []training.AttemptQuestion{
		{ID: id, Kind: training.QuestionSingle, Prompt: "Where?", Points: 2, Options: []training.AttemptOption{{ID: id, Text: "Here"}},
			Response: &training.Response{OptionIDs: []string{id}}, Earned: &earned, Correct: &yes, Explanation: "There.", Answer: []string{"Here"}},
		{ID: id2, Kind: training.QuestionShort, Prompt: "What?", Points: 1, Earned: &zero, Correct: &no, Answer: []string{"Tyres"}}}
	submitted.ByObjective = []training.ObjectiveScore{{ObjectiveID: id2, Text: "Identify", Earned: 2, Possible: 3, Score: 66.7}}
	steps := []training.PathStep{{ItemID: id, Title: "Forklift safety", Kind: training.KindELearning, Status: training.StatusPublished, Position: 1}}
	level := training.PathLevel{Level: 1, Name: "Basics", Required: 0, MinScore: 80, Steps: steps}
	session := &training.Session{ID: id, ItemID: id2, ItemTitle: "Workshop", StartsAt: now, EndsAt: now, TimeZone: "Europe/Berlin", Location: "Room 1",
		InstructorID: id2, InstructorName: "Bo Chen", Capacity: 10, RegistrationDeadline: &now, Status: training.SessionCancelled, CancelReason: "Ill",
		Sequence: 2, Registered: 10, Waitlisted: 1, CreatedAt: now, UpdatedAt: now}
	online := &training.Session{ID: id2, ItemID: id, ItemTitle: "Webinar", StartsAt: now, EndsAt: now, TimeZone: "UTC", OnlineURL: "https://meet.example.com/x",
		Capacity: 100, Status: training.SessionScheduled, CreatedAt: now, UpdatedAt: now}
	waiting := &training.Registration{ID: id, SessionID: id2, PersonID: id, PersonName: "Ann Lee", Status: training.RegistrationWaitlisted, RegisteredAt: now,
		Sequence: 1, Position: 1}
	seat := &training.Registration{ID: id2, SessionID: id2, PersonID: id2, PersonName: "Bo Chen", Status: training.RegistrationRegistered,
		Attendance: training.Attended, RegisteredAt: now, PromotedAt: &now}
	enrollment := &training.Enrollment{ID: id, ItemID: id2, ItemTitle: "Forklift safety", ItemKind: training.KindELearning, PersonID: id, PersonName: "Ann Lee",
		Status: training.EnrollmentCompleted, Source: training.SourceRule, RuleID: id2, AssignedBy: id2, AssignedByName: "Bo Chen", DueOn: day, EnrolledAt: now,
		StartedAt: &now, CompletedAt: &now, Score: &score, ExpiresOn: day, Reason: "Renewal", UpdatedAt: now}
	request := &training.Enrollment{ID: id2, ItemID: id, ItemTitle: "Negotiation", ItemKind: training.KindCourse, PersonID: id2, PersonName: "Bo Chen",
		Status: training.EnrollmentRequested, Source: training.SourceSelf, Overdue: true, EnrolledAt: now, UpdatedAt: now}
	assigned := &training.Entry{ItemID: id, Title: "Forklift safety", Kind: training.KindELearning, Compliance: true, EnrollmentID: id2,
		Status: training.EnrollmentEnrolled, Source: training.SourceManager, DueOn: day, Overdue: true, ComplianceStatus: training.Overdue}
	done := &training.Entry{ItemID: id2, Title: "Negotiation", Kind: training.KindCourse, CompletedAt: &now, Score: &score, ValidUntil: day,
		CertificateID: id}
	rule := &training.Rule{ID: id, Name: "New starters", ItemID: id2, ItemTitle: "Data protection", JobRoleID: id2, JobRoleName: "Engineer", OrgUnitID: id,
		OrgUnitName: "Platform", Location: "Berlin", HiredWithinDays: 30, DueDays: 14, Active: true, CreatedAt: now, UpdatedAt: now, EvaluatedAt: &now, Open: 3}
	report := &training.RuleReport{Items: 1, Assigned: 3, Renewals: 1, Withdrawn: 2}
	counts := training.Counts{Compliant: 5, DueSoon: 1, Overdue: 2, Expired: 1, Exempt: 1}
	unit := &org.OrgUnit{ID: id, Code: "PLT", Name: "Platform", Kind: "team", CreatedAt: now, UpdatedAt: now, Headcount: 3}
	cert := &training.Certificate{ID: id, Number: "LL-2026-ABCDE", PersonID: id2, ItemID: id, EnrollmentID: id2, PersonName: "Ann Lee", Title: "Forklift safety",
		Kind: "course", IssuedOn: day, ExpiresOn: day, Score: &score, RevokedAt: &now, RevokeReason: "Issued in error", CreatedAt: now,
		Code: "abcdefghijklmnopqrstuvwxyz234567"}
	path := &training.Certificate{ID: id2, Number: "LL-2026-FGHIJ", PersonID: id2, ItemID: id, EnrollmentID: id, PersonName: "Ann Lee", Title: "Safety path",
		Kind: "learning path", IssuedOn: day, CreatedAt: now}
	total := 2
	return []struct {
		schema string
		value  any
	}{
		{"LearningItem", full},
		{"LearningItem", listed},
		{"LearningItemList", api.List[*training.Item]{Items: []*training.Item{listed}, NextCursor: "abc"}},
		{"Question", question},
		{"Question", short},
		{"QuestionList", api.List[*training.Question]{Items: []*training.Question{question, short}, Total: &total}},
		{"Quiz", quiz},
		{"QuizList", api.List[*training.Quiz]{Items: []*training.Quiz{quiz}, Total: &total}},
		{"Attempt", open},
		{"Attempt", &submitted},
		{"Path", api.Path{Levels: []*training.PathLevel{&level}}},
		{"Path", api.Path{Levels: []*training.PathLevel{}}},
		{"PathProgress", &training.PathProgress{Levels: []*training.LevelProgress{{PathLevel: level, Open: true, Done: 1, Needed: 1, Complete: true,
			Progress: []training.StepProgress{{ItemID: id, Status: training.EnrollmentCompleted, Score: &score, Counts: true}}}}, Complete: true, Enrolled: true}},
		{"PathProgress", &training.PathProgress{Levels: []*training.LevelProgress{{PathLevel: level, Open: true, Needed: 1,
			Progress: []training.StepProgress{{ItemID: id, Status: "not_started"}}}}, Current: 1}},
		{"Session", session},
		{"SessionList", api.List[*training.Session]{Items: []*training.Session{session, online}}},
		{"RegistrationList", api.List[*training.Registration]{Items: []*training.Registration{seat, waiting}, Total: &total}},
		{"CalendarFeed", api.CalendarFeed{URL: "https://learn.example.com/calendar/abc.ics"}},
		{"Enrollment", enrollment},
		{"EnrollmentList", api.List[*training.Enrollment]{Items: []*training.Enrollment{enrollment, request}, NextCursor: "abc"}},
		{"AssignReport", &training.AssignReport{Assigned: []string{id}, Updated: []string{}, Skipped: []string{id2}}},
		{"MyLearning", &training.MyLearning{Assigned: []*training.Entry{assigned}, InProgress: []*training.Entry{}, Requested: []*training.Entry{},
			Recommended: []*training.Recommendation{{ItemID: id, Title: "Pricing", Kind: training.KindCourse, Skills: []string{"Pricing"}, Closes: 1.5}},
			Completed:   []*training.Entry{done}, Exempt: []*training.Entry{}, Sessions: []*training.MySession{{Session: online, RegistrationID: id,
				Status: training.RegistrationWaitlisted, Position: 2}}}},
		{"Team", &training.Team{Members: []*training.TeamMember{{Person: &org.Person{ID: id, GivenName: "Ann", FamilyName: "Lee", Status: org.StatusActive,
			CreatedAt: now, UpdatedAt: now}, Entries: []*training.Entry{assigned, done}, Open: 1, Overdue: 1, NotObserved: []*training.Entry{done}}},
			Requests: []*training.Enrollment{request}}},
		{"Notifications", api.Notifications{Items: []*notify.Notification{{ID: id, Kind: notify.KindNudge, Message: "Bo reminds you.", Link: "/training/items/" + id,
			SenderID: id2, SenderName: "Bo Chen", CreatedAt: now, ReadAt: &now}, {ID: id2, Kind: notify.KindCompletion, Message: "Done.", CreatedAt: now}}, Unread: 1}},
		{"AssignmentRuleList", api.List[*training.Rule]{Items: []*training.Rule{rule, {ID: id2, Name: "Everyone", ItemID: id, ItemTitle: "Code of conduct",
			DueDays: 30, CreatedAt: now, UpdatedAt: now}}, Total: &total}},
		{"RuleChange", api.RuleChange{Rule: rule, Report: report}},
		{"RuleReport", &training.RuleReport{People: 4}},
		{"Compliance", api.Compliance{Unit: unit, AsOf: day, Total: counts,
			Items: []training.ItemCompliance{{ItemID: id, Title: "Data protection", ValidityMonths: 12, Counts: counts}},
			Units: []api.UnitCompliance{{UnitCompliance: training.UnitCompliance{UnitID: id2, Name: "Backend", Counts: counts},
				Items: []api.ItemCounts{{ItemID: id, Counts: counts}}}, {UnitCompliance: training.UnitCompliance{Name: "Directly in this unit"},
				Items: []api.ItemCounts{{ItemID: id}}}}}},
		{"Compliance", api.Compliance{AsOf: day, Items: []training.ItemCompliance{}, Units: []api.UnitCompliance{}}},
		{"ComplianceRowList", api.List[*training.ComplianceRow]{Items: []*training.ComplianceRow{{PersonID: id, EmployeeNumber: "E1", Name: "Ann Lee",
			Email: "ann@example.com", OrgUnit: "Platform", JobRole: "Engineer", Manager: "Bo Chen", ItemID: id2, ItemTitle: "Data protection", Status: training.Exempt,
			CompletedAt: &now, Score: &score, ValidUntil: day, DueOn: day, ExemptReason: "Certified elsewhere"}, {PersonID: id2, Name: "Bo Chen", ItemID: id2,
			ItemTitle: "Data protection", Status: training.Overdue}}, Total: &total}},
		{"CertificateList", api.List[*training.Certificate]{Items: []*training.Certificate{cert, path}, Total: &total}},
		{"CertificateVerification", &training.Verification{Number: "LL-2026-ABCDE", PersonName: "Ann Lee", Title: "Forklift safety", Kind: "course",
			IssuedOn: day, State: "revoked", RevokedAt: &now}},
		{"BloomClassification", bloom.Classify("Identify and explain the load limits")},
		{"BloomClassification", bloom.Classify("")},
	}
}
