package survey

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// ResultFilter narrows results to an org unit and the units below it; empty means everyone.
type ResultFilter struct {
	OrgUnitID string `json:"org_unit_id"`
}

// Results are a survey's answers aggregated for a group of people (everyone, or an org unit with
// the units below it) and for each unit one level further down.
type Results struct {
	Survey *Survey `json:"survey"`
	// MinGroup is the fewest responses a group needs to be shown: MinGroup for anonymous
	// surveys, 0 for the others.
	MinGroup int      `json:"min_group"`
	Overall  *Group   `json:"overall"`
	Units    []*Group `json:"units"` // the filter's sub-units (or the top units), by name
}

// Group is the response rate and the answers of the people of a unit and the units below it.
// People are counted in the unit they were in when they answered, or, until they answer, when
// they were invited.
type Group struct {
	OrgUnitID    string  `json:"org_unit_id,omitempty"` // "" for everyone invited
	Name         string  `json:"name,omitempty"`
	Invited      int     `json:"invited"`
	Answered     int     `json:"answered"`
	ResponseRate float64 `json:"response_rate"` // Answered / Invited, from 0 to 1
	// Suppressed hides the answers of an anonymous survey's group that is too small to show
	// (see suppress); Responses and Questions are then empty.
	Suppressed bool              `json:"suppressed"`
	Responses  int               `json:"responses"`
	Questions  []*QuestionResult `json:"questions,omitempty"`
}

// QuestionResult aggregates the answers to one question.
type QuestionResult struct {
	QuestionID string `json:"question_id"`
	Kind       string `json:"kind"`
	Prompt     string `json:"prompt"`
	Answered   int    `json:"answered"` // responses that answered the question
	// Scale: the mean (two decimals) and how many chose each value, from 1 up.
	Mean         float64 `json:"mean,omitempty"`
	Distribution []int   `json:"distribution,omitempty"`
	// Choices: every option in order with its count. Skills: the skills chosen, most often first.
	Options []OptionCount `json:"options,omitempty"`
	Skills  []SkillCount  `json:"skills,omitempty"`
	// Texts are listed for the filtered group only, not for each sub-unit.
	Texts []TextAnswer `json:"texts,omitempty"`
}

// OptionCount is how often an option was chosen.
type OptionCount struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// SkillCount is how often a skill was chosen.
type SkillCount struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// TextAnswer is one free-text answer. Who wrote it is given only for a survey that is not
// anonymous, and only to its author and to HR and system administrators.
type TextAnswer struct {
	Text       string `json:"text"`
	PersonID   string `json:"person_id,omitempty"`
	PersonName string `json:"person_name,omitempty"`
}

// unitInfo is what results need of an org unit.
type unitInfo struct {
	id, name, path string
}

// segments returns the ids on a unit's path, from the top.
func segments(path string) []string { return strings.Split(strings.Trim(path, "/"), "/") }

// tally accumulates the invitations and answers of one group.
type tally struct {
	g        *Group
	answered map[string]int            // question → responses that answered it
	counts   map[string]map[string]int // question → option id, skill id or scale value → count
}

func newTally(g *Group) *tally {
	return &tally{g: g, answered: map[string]int{}, counts: map[string]map[string]int{}}
}

// Results aggregates the answers of a survey for its authors. On an anonymous survey a group of
// fewer than MinGroup responses, and any group whose showing would let a smaller one be worked
// out by subtraction, is suppressed; so are its texts.
func (s *Service) Results(ctx context.Context, actor *core.Actor, id string, f ResultFilter) (*Results, error) {
	if err := actor.Require(core.PermSurveysWrite); err != nil {
		return nil, err
	}
	q := s.DB.Reader()
	sv, err := s.findSurvey(ctx, q, id)
	if err != nil {
		return nil, err
	}
	units, err := loadUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	var focus *unitInfo
	if f.OrgUnitID != "" {
		if focus = units[f.OrgUnitID]; focus == nil {
			return nil, core.Invalid("org_unit_id", "unknown org unit")
		}
	}
	gr := newGrouping(units, focus)
	overall := gr.overall
	if err := eachRow(ctx, q, `SELECT COALESCE(org_unit_id, ''), count(*), count(answered_at) FROM survey_invitations WHERE survey_id = ? GROUP BY org_unit_id`,
		[]any{id}, func(scan func(...any) error) error {
			var unit string
			var invited, answered int
			if err := scan(&unit, &invited, &answered); err != nil {
				return err
			}
			for _, t := range gr.tallies(unit) {
				t.g.Invited += invited
				t.g.Answered += answered
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("count invitations: %w", err)
	}
	kinds := map[string]string{}
	for _, qu := range sv.Questions {
		kinds[qu.ID] = qu.Kind
	}
	// Responses per unit (r), responses per unit and question (q), and choices per unit, question
	// and option, skill or scale value (c), in one statement: one snapshot, so that the counts
	// that decide suppression are the counts shown.
	perUnit := map[string]int{}
	if err := eachRow(ctx, q, `SELECT 'r', COALESCE(org_unit_id, ''), '', '', 0, count(*) FROM survey_responses WHERE survey_id = ? GROUP BY org_unit_id
		UNION ALL
		SELECT 'q', COALESCE(r.org_unit_id, ''), a.question_id, '', 0, count(DISTINCT a.response_id)
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = ? GROUP BY r.org_unit_id, a.question_id
		UNION ALL
		SELECT 'c', COALESCE(r.org_unit_id, ''), a.question_id, a.item, COALESCE(a.number, 0), count(*)
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = ? AND a.text IS NULL
		GROUP BY r.org_unit_id, a.question_id, a.item, a.number`,
		[]any{id, id, id}, func(scan func(...any) error) error {
			var what, unit, question, item string
			var number, n int
			if err := scan(&what, &unit, &question, &item, &number, &n); err != nil {
				return err
			}
			if what == "r" {
				perUnit[unit] += n
			}
			if kinds[question] == QuestionScale {
				item = strconv.Itoa(number)
			}
			for _, t := range gr.tallies(unit) {
				switch what {
				case "r":
					t.g.Responses += n
				case "q":
					t.answered[question] += n
				default:
					if t.counts[question] == nil {
						t.counts[question] = map[string]int{}
					}
					t.counts[question][item] += n
				}
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("count answers: %w", err)
	}

	res := &Results{Survey: sv, Overall: overall.g, Units: []*Group{}}
	shown := func(string) bool { return true }
	if sv.Anonymous {
		res.MinGroup = MinGroup
		pattern := suppress(units, perUnit, MinGroup)
		shown = func(id string) bool { return pattern[id] }
	}
	names, err := skillNames(ctx, q, sv, overall)
	if err != nil {
		return nil, err
	}
	overall.fill(sv, shown(overall.g.OrgUnitID), names)
	for _, t := range gr.children {
		t.fill(sv, shown(t.g.OrgUnitID), names)
		res.Units = append(res.Units, t.g)
	}
	slices.SortFunc(res.Units, func(a, b *Group) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.OrgUnitID, b.OrgUnitID))
	})
	if !overall.g.Suppressed {
		// Names go with texts only where the survey is not anonymous and the reader is its author
		// or an administrator of people's data.
		named := !sv.Anonymous && (actor.IsSystem() || actor.HasRole(core.RoleHRAdmin) || actor.HasRole(core.RoleSysAdmin) ||
			actor.PersonID != "" && actor.PersonID == sv.CreatedBy)
		if err := s.addTexts(ctx, q, sv, focus, overall.g, named); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// grouping places the people of each org unit in the groups of the results: the filtered group
// (everyone, or the focus unit and the units below it) and the sub-unit of it that holds them.
type grouping struct {
	units    map[string]*unitInfo
	focus    *unitInfo // nil for everyone
	overall  *tally
	children map[string]*tally // by the sub-unit's id
	memo     map[string][]*tally
}

func newGrouping(units map[string]*unitInfo, focus *unitInfo) *grouping {
	gr := &grouping{units: units, focus: focus, overall: newTally(&Group{}), children: map[string]*tally{}, memo: map[string][]*tally{}}
	if focus != nil {
		gr.overall.g.OrgUnitID, gr.overall.g.Name = focus.id, focus.name
	}
	return gr
}

// tallies returns the groups the people of a unit count in ("" for no unit, or a unit deleted
// since): none when the unit is outside the filter.
func (gr *grouping) tallies(unitID string) []*tally {
	if ts, ok := gr.memo[unitID]; ok {
		return ts
	}
	var ts []*tally
	var below []string // the unit's path below the filtered group
	u := gr.units[unitID]
	switch {
	case gr.focus == nil:
		ts = []*tally{gr.overall}
		if u != nil {
			below = segments(u.path)
		}
	case u != nil && strings.HasPrefix(u.path, gr.focus.path):
		ts = []*tally{gr.overall}
		if r := strings.Trim(u.path[len(gr.focus.path):], "/"); r != "" {
			below = strings.Split(r, "/")
		}
	}
	if len(below) > 0 {
		child := gr.children[below[0]]
		if child == nil {
			child = newTally(&Group{OrgUnitID: below[0]})
			if cu := gr.units[below[0]]; cu != nil {
				child.g.Name = cu.name
			}
			gr.children[below[0]] = child
		}
		ts = append(ts, child)
	}
	gr.memo[unitID] = ts
	return ts
}

// eachRow runs a query and calls fn with each row's Scan.
func eachRow(ctx context.Context, q db.Queryer, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func loadUnits(ctx context.Context, q db.Queryer) (map[string]*unitInfo, error) {
	units := map[string]*unitInfo{}
	err := eachRow(ctx, q, `SELECT id, name, path FROM org_units`, nil, func(scan func(...any) error) error {
		var u unitInfo
		if err := scan(&u.id, &u.name, &u.path); err != nil {
			return err
		}
		units[u.id] = &u
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find org units: %w", err)
	}
	return units, nil
}

// skillNames names the skills chosen in the filtered group (every sub-unit's choices are among them).
func skillNames(ctx context.Context, q db.Queryer, sv *Survey, overall *tally) (map[string]string, error) {
	var args []any
	for _, qu := range sv.Questions {
		if qu.Kind == QuestionSkills {
			for id := range overall.counts[qu.ID] {
				args = append(args, id)
			}
		}
	}
	names := map[string]string{}
	if len(args) == 0 {
		return names, nil
	}
	err := eachRow(ctx, q, `SELECT id, name FROM skills WHERE id IN `+db.In(len(args)), args, func(scan func(...any) error) error {
		var id, name string
		if err := scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("name skills: %w", err)
	}
	return names, nil
}

// fill turns the tally into its group's results, or marks the group suppressed.
func (t *tally) fill(sv *Survey, shown bool, skillNames map[string]string) {
	g := t.g
	if g.Invited > 0 {
		g.ResponseRate = round(float64(g.Answered)/float64(g.Invited), 3)
	}
	if !shown {
		g.Suppressed, g.Responses = true, 0
		return
	}
	for _, qu := range sv.Questions {
		r := &QuestionResult{QuestionID: qu.ID, Kind: qu.Kind, Prompt: qu.Prompt, Answered: t.answered[qu.ID]}
		counts := t.counts[qu.ID]
		switch qu.Kind {
		case QuestionScale:
			r.Distribution = make([]int, qu.ScaleMax)
			sum, n := 0, 0
			for v := 1; v <= qu.ScaleMax; v++ {
				c := counts[strconv.Itoa(v)]
				r.Distribution[v-1] = c
				sum, n = sum+v*c, n+c
			}
			if n > 0 {
				r.Mean = round(float64(sum)/float64(n), 2)
			}
		case QuestionSingle, QuestionMultiple:
			for _, o := range qu.Options {
				r.Options = append(r.Options, OptionCount{ID: o.ID, Label: o.Label, Count: counts[o.ID]})
			}
		case QuestionSkills:
			for id, c := range counts {
				r.Skills = append(r.Skills, SkillCount{ID: id, Name: skillNames[id], Count: c})
			}
			slices.SortFunc(r.Skills, func(a, b SkillCount) int {
				return cmp.Or(b.Count-a.Count, strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
			})
		}
		g.Questions = append(g.Questions, r)
	}
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// addTexts lists the free-text answers of the group. An anonymous survey's texts come in the
// order of their random response ids, which says nothing about who wrote them or when.
func (s *Service) addTexts(ctx context.Context, q db.Queryer, sv *Survey, focus *unitInfo, g *Group, named bool) error {
	byQuestion := map[string]*QuestionResult{}
	for _, r := range g.Questions {
		if r.Kind == QuestionText {
			byQuestion[r.QuestionID] = r
		}
	}
	if len(byQuestion) == 0 {
		return nil
	}
	query := `SELECT a.question_id, a.text, COALESCE(r.person_id, ''), COALESCE(p.given_name || ' ' || p.family_name, '')
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id LEFT JOIN people p ON p.id = r.person_id
		WHERE r.survey_id = ? AND a.text IS NOT NULL`
	args := []any{sv.ID}
	if focus != nil {
		query += ` AND r.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)`
		args = append(args, focus.path, strings.TrimSuffix(focus.path, "/")+"0")
	}
	err := eachRow(ctx, q, query+` ORDER BY r.submitted_at, r.id, a.question_id`, args, func(scan func(...any) error) error {
		var question string
		var t TextAnswer
		if err := scan(&question, &t.Text, &t.PersonID, &t.PersonName); err != nil {
			return err
		}
		if !named {
			t.PersonID, t.PersonName = "", ""
		}
		if r := byQuestion[question]; r != nil {
			r.Texts = append(r.Texts, t)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("find text answers: %w", err)
	}
	return nil
}

// node is a group in the suppression tree: everyone ("" id) or an org unit with its sub-units.
type node struct {
	id    string
	n     int // responses in the group
	kids  []*node
	shown bool
}

// suppress decides, once for the whole org tree, which groups of an anonymous survey are shown.
// A group of fewer than min responses is hidden. Then, from the bottom up, each shown group is
// checked against the shown groups just inside it (its frontier): what the group holds beyond
// them can be computed by subtraction, so it must be nothing or at least min responses. When it
// is not, groups of the frontier are hidden too (see decide) until it is. Hiding only ever merges
// a remainder into a larger one, so groups checked earlier stay safe; and every filter of the
// results reads the same pattern, so no two queries can be subtracted to expose a small group
// either.
func suppress(units map[string]*unitInfo, perUnit map[string]int, min int) map[string]bool {
	root := &node{}
	nodes := map[string]*node{"": root}
	for unitID, n := range perUnit {
		root.n += n
		u := units[unitID]
		if u == nil {
			continue // no unit, or a unit deleted since: counted in everyone only
		}
		parent := root
		for _, id := range segments(u.path) {
			nd := nodes[id]
			if nd == nil {
				nd = &node{id: id}
				nodes[id] = nd
				parent.kids = append(parent.kids, nd)
			}
			nd.n += n
			parent = nd
		}
	}
	decide(root, min)
	shown := make(map[string]bool, len(nodes))
	for id, nd := range nodes {
		shown[id] = nd.shown
	}
	return shown
}

func decide(nd *node, min int) {
	for _, k := range nd.kids {
		decide(k, min)
	}
	nd.shown = nd.n >= min
	if !nd.shown {
		return
	}
	frontier := shownBelow(nd)
	rest := nd.n - total(frontier)
	// An empty frontier leaves rest = nd.n ≥ min, so the loop always has a group to hide.
	for rest > 0 && rest < min {
		// Hide the group with the smallest remainder of its own: being shown and checked, that
		// remainder is at least min, so one group settles it. A group its shown sub-groups cover
		// entirely adds nothing when hidden; it is opened up, smallest first, only when no other
		// group is left.
		own := make(map[*node]int, len(frontier))
		for _, m := range frontier {
			own[m] = m.n - total(shownBelow(m))
		}
		covered := func(m *node) int {
			if own[m] == 0 {
				return 1
			}
			return 0
		}
		slices.SortFunc(frontier, func(a, b *node) int {
			return cmp.Or(covered(a)-covered(b), own[a]-own[b], a.n-b.n, strings.Compare(a.id, b.id))
		})
		m := frontier[0]
		m.shown = false
		rest += own[m]
		frontier = append(frontier[1:], shownBelow(m)...)
	}
}

// shownBelow returns the shown groups inside nd that no other shown group inside nd contains.
func shownBelow(nd *node) []*node {
	var out []*node
	for _, k := range nd.kids {
		if k.shown {
			out = append(out, k)
		} else {
			out = append(out, shownBelow(k)...)
		}
	}
	return out
}

func total(nodes []*node) int {
	n := 0
	for _, nd := range nodes {
		n += nd.n
	}
	return n
}
