package survey

// DefaultLNA returns the default learning needs analysis questionnaire, offered as a template:
// what people want to learn and which skills they feel they lack (both picked from the skills
// framework, so the training needs analysis can set them beside the measured gaps), how they
// prefer to learn (actively or passively, alone or with others, in short pieces or long sessions,
// each a scale whose mean places a team between the two), what has worked for them, how much time
// they have, and anything else in their own words.
//
// It is not anonymous, so that answers can also guide each person's own development plan; the
// author may make it anonymous before opening it. The deadline is left for the author to set.
func DefaultLNA() SurveyInput {
	options := func(labels ...string) []OptionInput {
		out := make([]OptionInput, len(labels))
		for i, l := range labels {
			out[i].Label = l
		}
		return out
	}
	return SurveyInput{
		Title: "Learning needs analysis",
		Description: "Tell us what you want to learn and how you learn best. Your answers shape the training and learning " +
			"we offer next year. It takes about five minutes.",
		Kind: KindLNA,
		Questions: []QuestionInput{
			{Kind: QuestionSkills, Required: true, MaxChoices: 5,
				Prompt: "Which skills do you want to learn or improve in the coming year?",
				Help:   "Choose up to five from the skills framework."},
			{Kind: QuestionSkills, MaxChoices: 5,
				Prompt: "Which skills do you feel you lack for your current work?",
				Help:   "Choose up to five. This is about how you see it yourself, not about a rating."},
			{Kind: QuestionScale, Required: true, ScaleMax: 5,
				Prompt:   "How do you prefer to learn?",
				LowLabel: "Actively: by doing, trying and discussing", HighLabel: "Passively: by reading, watching and listening"},
			{Kind: QuestionScale, Required: true, ScaleMax: 5,
				Prompt:   "Do you prefer to learn alone or with others?",
				LowLabel: "Alone, at my own pace", HighLabel: "With others: in a group, with a colleague or a mentor"},
			{Kind: QuestionScale, Required: true, ScaleMax: 5,
				Prompt:   "Do you prefer short pieces or long sessions?",
				LowLabel: "Short pieces of a few minutes", HighLabel: "Long sessions of an hour or more"},
			{Kind: QuestionMultiple,
				Prompt: "Which ways of learning have worked well for you?",
				Help:   "Choose all that apply.",
				Options: options("Courses and workshops with a trainer", "E-learning", "Learning on the job, with real tasks",
					"Mentoring or coaching", "Learning from colleagues", "Reading books, articles and documentation",
					"Videos and podcasts", "Conferences and professional communities")},
			{Kind: QuestionSingle,
				Prompt:  "How much time could you give to learning in a typical month?",
				Options: options("Less than 2 hours", "2 to 4 hours", "4 to 8 hours", "More than 8 hours")},
			{Kind: QuestionText, MaxLength: 2000,
				Prompt: "What else should we know about what or how you want to learn?"},
		},
	}
}
