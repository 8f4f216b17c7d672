// Package tna builds the training needs analysis of a team or unit: the measured skill gaps of
// its people (who, how many, how big, how critical, since when) beside what the same people said
// in the latest learning needs analysis survey (which skills they want to learn or feel they
// lack, and how they prefer to learn).
package tna

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/survey"
)

// Service builds reports.
type Service struct {
	Org     *org.Service
	Skills  *skills.Service
	Surveys *survey.Service
	Clock   core.Clock
}

// Filter chooses the people and skills of a report, and the survey set beside them ("" takes
// the latest learning needs analysis that was opened).
type Filter struct {
	skills.NeedsFilter
	SurveyID string
}

// Report is a training needs analysis.
type Report struct {
	Generated time.Time    `json:"generated_at"`
	Unit      *org.OrgUnit `json:"org_unit,omitempty"`
	People    int          `json:"people"`
	Needs     []*Need      `json:"needs"`
	// Units are the columns of Need.ByUnit: the units directly below Unit, then Unit itself.
	Units  []skills.NeedUnit `json:"units,omitempty"`
	Survey *SurveyAnswers    `json:"survey,omitempty"`
}

// Need is a skill with its gap and what people said about it.
type Need struct {
	*skills.Need
	// Asked counts, for each skills question of the survey (SurveyAnswers.Questions), the
	// people who chose this skill; nil without a survey or when its answers are hidden.
	Asked []int `json:"asked,omitempty"`
}

// SurveyAnswers is what the survey says about the same people.
type SurveyAnswers struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Status       string    `json:"status"`
	Deadline     time.Time `json:"deadline"`
	Scope        string    `json:"scope"` // the unit the answers cover, or "everyone invited"
	Invited      int       `json:"invited"`
	Answered     int       `json:"answered"`
	ResponseRate float64   `json:"response_rate"`
	// Suppressed: too few answers to show them without identifying people (anonymous surveys).
	Suppressed bool `json:"suppressed"`
	// Questions are the prompts of the survey's skills questions, in order.
	Questions []string `json:"questions"`
	// AskedOnly are skills people chose that nobody selected falls short in.
	AskedOnly []AskedSkill `json:"asked_only"`
	// Preferences are the means of the survey's scale questions: how these people like to learn.
	Preferences []Preference `json:"preferences"`
}

// AskedSkill is a skill people chose in the survey.
type AskedSkill struct {
	SkillID string `json:"skill_id"`
	Skill   string `json:"skill"`
	Asked   []int  `json:"asked"`
}

// Preference is a scale question's mean: 1 leans to Low, Max to High.
type Preference struct {
	Prompt string  `json:"prompt"`
	Low    string  `json:"low"`
	High   string  `json:"high"`
	Max    int     `json:"max"`
	Mean   float64 `json:"mean"`
	Count  int     `json:"count"`
}

// Build makes the report. The gaps follow the actor's data scope; the survey's answers are added
// only for actors who may read survey results, and they respect the survey's anonymity rules.
func (s *Service) Build(ctx context.Context, actor *core.Actor, f Filter) (*Report, error) {
	needs, err := s.Skills.TrainingNeeds(ctx, actor, f.NeedsFilter)
	if err != nil {
		return nil, err
	}
	rep := &Report{Generated: s.Clock.Now(), People: needs.People, Needs: make([]*Need, len(needs.Needs)), Units: needs.Units}
	for i, n := range needs.Needs {
		rep.Needs[i] = &Need{Need: n}
	}
	if f.OrgUnitID != "" {
		if rep.Unit, err = s.Org.FindUnitByID(ctx, actor, f.OrgUnitID); err != nil {
			return nil, err
		}
	}
	if !actor.Can(core.PermSurveysWrite) {
		return rep, nil
	}
	sv, err := s.survey(ctx, actor, f.SurveyID)
	if err != nil || sv == nil {
		return rep, err
	}
	res, err := s.Surveys.Results(ctx, actor, sv.ID, survey.ResultFilter{OrgUnitID: f.OrgUnitID})
	if err != nil {
		return nil, err
	}
	g := res.Overall
	ans := &SurveyAnswers{ID: sv.ID, Title: sv.Title, Status: sv.Status, Deadline: sv.Deadline, Scope: "everyone invited",
		Invited: g.Invited, Answered: g.Answered, ResponseRate: g.ResponseRate, Suppressed: g.Suppressed,
		Questions: []string{}, AskedOnly: []AskedSkill{}, Preferences: []Preference{}}
	if rep.Unit != nil {
		ans.Scope = rep.Unit.Name
	}
	rep.Survey = ans
	var skillQs []*survey.QuestionResult
	for _, q := range sv.Questions {
		if q.Kind == survey.QuestionSkills {
			ans.Questions = append(ans.Questions, q.Prompt)
		}
	}
	if g.Suppressed {
		return rep, nil
	}
	scale := map[string]*survey.Question{}
	for _, q := range sv.Questions {
		scale[q.ID] = q
	}
	for _, qr := range g.Questions {
		switch qr.Kind {
		case survey.QuestionSkills:
			skillQs = append(skillQs, qr)
		case survey.QuestionScale:
			if q := scale[qr.QuestionID]; q != nil && qr.Answered > 0 {
				ans.Preferences = append(ans.Preferences, Preference{Prompt: q.Prompt, Low: q.LowLabel, High: q.HighLabel, Max: q.ScaleMax, Mean: qr.Mean, Count: qr.Answered})
			}
		}
	}
	asked := map[string][]int{}
	names := map[string]string{}
	for i, qr := range skillQs {
		for _, sc := range qr.Skills {
			if asked[sc.ID] == nil {
				asked[sc.ID] = make([]int, len(skillQs))
			}
			asked[sc.ID][i] = sc.Count
			names[sc.ID] = sc.Name
		}
	}
	for _, n := range rep.Needs {
		n.Asked = asked[n.SkillID]
		if n.Asked == nil {
			n.Asked = make([]int, len(skillQs))
		}
		delete(asked, n.SkillID)
	}
	for id, counts := range asked {
		ans.AskedOnly = append(ans.AskedOnly, AskedSkill{SkillID: id, Skill: names[id], Asked: counts})
	}
	slices.SortFunc(ans.AskedOnly, func(a, b AskedSkill) int {
		return cmp.Or(cmp.Compare(sum(b.Asked), sum(a.Asked)), cmp.Compare(a.Skill, b.Skill))
	})
	return rep, nil
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// survey finds the survey to set beside the gaps: the one asked for, or the latest learning
// needs analysis that was opened; nil when there is none.
func (s *Service) survey(ctx context.Context, actor *core.Actor, id string) (*survey.Survey, error) {
	if id == "" {
		cursor := ""
		for {
			page, next, err := s.Surveys.FindSurveys(ctx, actor, survey.SurveyFilter{Kind: survey.KindLNA, Cursor: cursor, Limit: 50})
			if err != nil {
				return nil, err
			}
			for _, sv := range page {
				if sv.Status != survey.StatusDraft {
					id = sv.ID
					break
				}
			}
			if id != "" || next == "" {
				break
			}
			cursor = next
		}
		if id == "" {
			return nil, nil
		}
	}
	sv, err := s.Surveys.FindSurveyByID(ctx, actor, id)
	if err != nil {
		if core.ErrorCode(err) == core.ENOTFOUND {
			return nil, core.Invalid("survey", "unknown survey")
		}
		return nil, err
	}
	if sv.Status == survey.StatusDraft {
		return nil, core.Invalid("survey", "this survey was never opened; it has no answers")
	}
	return sv, nil
}
