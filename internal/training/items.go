package training

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/fold"
)

// Item is a learning item of the catalog.
type Item struct {
	ID              string   `json:"id"`
	Code            string   `json:"code"`
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	Kind            string   `json:"kind"`
	Modality        string   `json:"modality"`
	DurationMinutes int      `json:"duration_minutes"`
	Language        string   `json:"language"`
	Provider        string   `json:"provider"`
	CostPerLearner  Money    `json:"cost_per_learner"`
	FixedCost       Money    `json:"fixed_cost"`
	Currency        string   `json:"currency"`
	ExternalURL     string   `json:"external_url"`
	Status          string   `json:"status"`
	Enrollment      string   `json:"enrollment"`
	Certifying      bool     `json:"certifying"`
	Compliance      bool     `json:"compliance"`
	ValidityMonths  int      `json:"validity_months"`
	RenewDays       int      `json:"renew_days"`
	Tags            []string `json:"tags"`
	// Filled in by FindItemByID, not by lists.
	Skills     []ItemSkill  `json:"skills,omitempty"`
	Objectives []*Objective `json:"objectives,omitempty"`
	Content    []*Content   `json:"content,omitempty"`
	HasTest    bool         `json:"has_test"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// KindLabel is the kind's name for people; web pages translate it.
func (it *Item) KindLabel() string { return KindLabels[it.Kind] }

// KindLabels name the kinds of item for people.
var KindLabels = map[string]string{
	KindELearning: "E-learning module", KindCourse: "Course", KindWorkshop: "Workshop", KindILT: "Instructor-led session",
	KindWebinar: "Webinar", KindExternal: "External course", KindReading: "Reading", KindVideo: "Video", KindJobAid: "Job aid",
	KindMicrolearning: "Microlearning", KindPath: "Learning path",
}

// ModalityLabels name the modalities for people.
var ModalityLabels = map[string]string{
	ModalitySelfPaced: "Self-paced", ModalityLiveOnline: "Live online", ModalityInPerson: "In person", ModalityBlended: "Blended",
}

// Money is an amount in minor units of a currency (cents); JSON writes and reads it in major
// units with two decimals (12.5 is 1250).
type Money int64

// MarshalJSON writes the amount in major units.
func (m Money) MarshalJSON() ([]byte, error) {
	sign, n := "", int64(m)
	if n < 0 {
		sign, n = "-", -n
	}
	return []byte(fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)), nil
}

// UnmarshalJSON reads an amount in major units, rounded to the cent.
func (m *Money) UnmarshalJSON(b []byte) error {
	var f float64
	if _, err := fmt.Sscan(string(b), &f); err != nil {
		return fmt.Errorf("not an amount")
	}
	*m = Money(math.Round(f * 100))
	return nil
}

// String writes the amount in major units ("12.50").
func (m Money) String() string {
	b, _ := m.MarshalJSON()
	return string(b)
}

// ParseMoney reads an amount such as "12.50" or "1,200.00" (thousands separators are dropped).
func ParseMoney(s string) (Money, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, nil
	}
	var m Money
	if err := m.UnmarshalJSON([]byte(s)); err != nil {
		return 0, fmt.Errorf("%q is not an amount such as 120.00", s)
	}
	return m, nil
}

// ItemSkill is a skill an item develops, with the level it brings a learner to.
type ItemSkill struct {
	SkillID     string `json:"skill_id"`
	SkillName   string `json:"skill_name,omitempty"`
	TargetLevel int    `json:"target_level"`
}

// Objective is what a learner will be able to do after an item.
type Objective struct {
	ID       string `json:"id"`
	Position int    `json:"position"`
	Text     string `json:"text"`
	// Bloom is the level on Bloom's revised taxonomy: the classifier's suggestion unless
	// Override says the author chose it.
	Bloom    bloom.Level `json:"bloom_level"`
	Override bool        `json:"bloom_override"`
	// Warnings are the classifier's remarks on the text (not observable, ambiguous verb).
	Warnings []bloom.Warning `json:"warnings,omitempty"`
}

// ItemInput is the full state of an item to create or update.
type ItemInput struct {
	Code            string           `json:"code"`
	Title           string           `json:"title"`
	Description     string           `json:"description"`
	Kind            string           `json:"kind"`
	Modality        string           `json:"modality"`
	DurationMinutes int              `json:"duration_minutes"`
	Language        string           `json:"language"`
	Provider        string           `json:"provider"`
	CostPerLearner  Money            `json:"cost_per_learner"`
	FixedCost       Money            `json:"fixed_cost"`
	Currency        string           `json:"currency"`
	ExternalURL     string           `json:"external_url"`
	Status          string           `json:"status"`
	Enrollment      string           `json:"enrollment"`
	Certifying      bool             `json:"certifying"`
	Compliance      bool             `json:"compliance"`
	ValidityMonths  int              `json:"validity_months"`
	RenewDays       int              `json:"renew_days"`
	Tags            []string         `json:"tags"`
	Skills          []ItemSkill      `json:"skills"`
	Objectives      []ObjectiveInput `json:"objectives"`
}

// ObjectiveInput is one objective as written. An ID keeps an existing objective (and the
// questions tied to it) while its text changes; Bloom, when set, overrides the classifier.
type ObjectiveInput struct {
	ID    string `json:"id,omitempty"`
	Text  string `json:"text"`
	Bloom string `json:"bloom_level,omitempty"`
}

// Input returns the item as an input, the starting point of an update.
func (it *Item) Input() ItemInput {
	in := ItemInput{Code: it.Code, Title: it.Title, Description: it.Description, Kind: it.Kind, Modality: it.Modality,
		DurationMinutes: it.DurationMinutes, Language: it.Language, Provider: it.Provider, CostPerLearner: it.CostPerLearner,
		FixedCost: it.FixedCost, Currency: it.Currency, ExternalURL: it.ExternalURL, Status: it.Status, Enrollment: it.Enrollment,
		Certifying: it.Certifying, Compliance: it.Compliance, ValidityMonths: it.ValidityMonths, RenewDays: it.RenewDays,
		Tags: slices.Clone(it.Tags), Skills: slices.Clone(it.Skills)}
	for _, o := range it.Objectives {
		oi := ObjectiveInput{ID: o.ID, Text: o.Text}
		if o.Override {
			oi.Bloom = string(o.Bloom)
		}
		in.Objectives = append(in.Objectives, oi)
	}
	return in
}

func (in *ItemInput) normalize() {
	in.Code = strings.TrimSpace(in.Code)
	in.Title, in.Provider = clean(in.Title), clean(in.Provider)
	in.Description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	in.Kind, in.Modality = strings.ToLower(strings.TrimSpace(in.Kind)), strings.ToLower(strings.TrimSpace(in.Modality))
	in.Language, in.Currency = strings.TrimSpace(in.Language), strings.ToUpper(strings.TrimSpace(in.Currency))
	in.ExternalURL = strings.TrimSpace(in.ExternalURL)
	in.Status, in.Enrollment = strings.ToLower(strings.TrimSpace(in.Status)), strings.ToLower(strings.TrimSpace(in.Enrollment))
	if in.Status == "" {
		in.Status = StatusDraft
	}
	if in.Enrollment == "" {
		in.Enrollment = EnrollOpen
	}
	if in.Language == "" {
		in.Language = "en"
	}
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	if in.Modality == "" {
		in.Modality = ModalitySelfPaced
		if Scheduled(in.Kind) {
			in.Modality = ModalityInPerson
		}
	}
	if in.RenewDays == 0 && in.ValidityMonths > 0 {
		in.RenewDays = 30
	}
	var tags []string
	for _, t := range in.Tags {
		if t = strings.ToLower(clean(t)); t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	in.Tags = tags
	for i := range in.Objectives {
		in.Objectives[i].Text = clean(in.Objectives[i].Text)
		in.Objectives[i].Bloom = strings.TrimSpace(in.Objectives[i].Bloom)
	}
}

func (in *ItemInput) validate(v *core.Validation) {
	if in.Title == "" {
		v.Add("title", "enter a title")
	} else if len([]rune(in.Title)) > maxTitle {
		v.Add("title", "must be at most %d characters", maxTitle)
	}
	if len(in.Code) > 40 || strings.ContainsAny(in.Code, " \t\n") {
		v.Add("code", "a code has at most 40 characters and no spaces")
	}
	if len([]rune(in.Description)) > maxDescription {
		v.Add("description", "must be at most %d characters", maxDescription)
	}
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "choose one of %s", strings.Join(Kinds, ", "))
	}
	if !slices.Contains(Modalities, in.Modality) {
		v.Add("modality", "choose one of %s", strings.Join(Modalities, ", "))
	}
	if in.DurationMinutes < 0 || in.DurationMinutes > 100000 {
		v.Add("duration_minutes", "enter the duration in minutes, from 0 to 100000")
	}
	if tag, err := language.Parse(in.Language); err != nil || len(in.Language) > 20 {
		v.Add("language", "%q is not a language code such as en, de or pt-BR", in.Language)
	} else {
		in.Language = tag.String()
	}
	if len([]rune(in.Provider)) > 200 {
		v.Add("provider", "must be at most 200 characters")
	}
	if in.CostPerLearner < 0 || in.CostPerLearner > 1e11 {
		v.Add("cost_per_learner", "enter an amount from 0")
	}
	if in.FixedCost < 0 || in.FixedCost > 1e13 {
		v.Add("fixed_cost", "enter an amount from 0")
	}
	if len(in.Currency) != 3 || strings.Trim(in.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		v.Add("currency", "enter a three-letter currency code such as EUR or USD")
	}
	if in.ExternalURL != "" && !webAddress(in.ExternalURL) {
		v.Add("external_url", "enter a web address starting with https://")
	}
	if !slices.Contains(ItemStatuses, in.Status) {
		v.Add("status", "choose draft, published or retired")
	}
	if !slices.Contains(EnrollModes, in.Enrollment) {
		v.Add("enrollment", "choose open, approval or assigned")
	}
	if in.ValidityMonths < 0 || in.ValidityMonths > 120 {
		v.Add("validity_months", "enter how many months a completion stays valid, from 0 (for ever) to 120")
	}
	if in.RenewDays < 0 || in.RenewDays > 365 {
		v.Add("renew_days", "enter from 0 to 365 days")
	}
	if len(in.Tags) > maxTags {
		v.Add("tags", "at most %d tags", maxTags)
	}
	for _, t := range in.Tags {
		if len([]rune(t)) > 50 {
			v.Add("tags", "a tag has at most 50 characters")
		}
	}
	if len(in.Objectives) > maxObjectives {
		v.Add("objectives", "at most %d objectives", maxObjectives)
	}
	for i, o := range in.Objectives {
		f := fmt.Sprintf("objectives[%d]", i)
		if o.Text == "" {
			v.Add(f+".text", "write the objective, or remove it")
		} else if len([]rune(o.Text)) > 500 {
			v.Add(f+".text", "must be at most 500 characters")
		}
		if o.Bloom != "" {
			if _, err := bloom.ParseLevel(o.Bloom); err != nil {
				v.Add(f+".bloom_level", "choose remember, understand, apply, analyze, evaluate or create")
			}
		}
	}
	seen := map[string]bool{}
	for i, sk := range in.Skills {
		f := fmt.Sprintf("skills[%d]", i)
		if !core.ValidID(sk.SkillID) {
			v.Add(f+".skill_id", "choose a skill of the framework")
		} else if seen[sk.SkillID] {
			v.Add(f+".skill_id", "the skill is listed twice")
		}
		seen[sk.SkillID] = true
		if sk.TargetLevel < 1 {
			v.Add(f+".target_level", "enter the level the item brings a learner to")
		}
	}
}

// webAddress reports whether s is an absolute http or https URL.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2000
}

// checkRefs checks the skills and their levels against the framework and fills in their names.
func (s *Service) checkRefs(ctx context.Context, q db.Queryer, in *ItemInput, v *core.Validation) error {
	var lo, hi int
	if err := q.QueryRowContext(ctx, `SELECT min(level), max(level) FROM proficiency_levels`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("read the scale: %w", err)
	}
	for i := range in.Skills {
		sk := &in.Skills[i]
		if !core.ValidID(sk.SkillID) {
			continue
		}
		var retired bool
		err := q.QueryRowContext(ctx, `SELECT name, retired_at IS NOT NULL FROM skills WHERE id = ?`, sk.SkillID).Scan(&sk.SkillName, &retired)
		f := fmt.Sprintf("skills[%d]", i)
		switch {
		case db.IsNoRows(err):
			v.Add(f+".skill_id", "unknown skill")
		case err != nil:
			return err
		case retired:
			v.Add(f+".skill_id", "%s is retired", sk.SkillName)
		}
		if sk.TargetLevel > hi {
			v.Add(f+".target_level", "%d is above the top of the scale (%d)", sk.TargetLevel, hi)
		}
	}
	return nil
}

const itemColumns = `i.id, COALESCE(i.code, ''), i.title, i.description, i.kind, i.modality, i.duration_minutes, i.language, i.provider,
	i.cost_per_learner, i.fixed_cost, i.currency, i.external_url, i.status, i.enrollment, i.certifying, i.compliance,
	i.validity_months, i.renew_days, i.tags, i.created_at, i.updated_at`

func scanItem(row interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var tags string
	err := row.Scan(&it.ID, &it.Code, &it.Title, &it.Description, &it.Kind, &it.Modality, &it.DurationMinutes, &it.Language, &it.Provider,
		&it.CostPerLearner, &it.FixedCost, &it.Currency, &it.ExternalURL, &it.Status, &it.Enrollment, &it.Certifying, &it.Compliance,
		&it.ValidityMonths, &it.RenewDays, &tags, &it.CreatedAt, &it.UpdatedAt)
	if err != nil {
		return nil, err
	}
	it.Tags = splitTags(tags)
	it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	return &it, nil
}

// Tags are stored beside the item for display, separated by "|", and in item_tags for filtering.
func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "|")
}

// mayRun reports whether the actor runs training (the catalog, sessions, rules).
func mayRun(actor *core.Actor) bool { return actor.Can(core.PermTrainingWrite) }

// visible returns the condition on items i that the actor may see: drafts only for those who run
// training.
func visible(actor *core.Actor) string {
	if mayRun(actor) {
		return "1 = 1"
	}
	return "i.status <> 'draft'"
}

// FindItemByID returns an item with its skills, objectives and content.
func (s *Service) FindItemByID(ctx context.Context, actor *core.Actor, id string) (*Item, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	it, err := s.findItem(ctx, s.DB.Reader(), id)
	if err != nil {
		return nil, err
	}
	if it.Status == StatusDraft && !mayRun(actor) {
		return nil, core.NotFound("learning item")
	}
	return it, nil
}

// findItem reads an item whole, whoever asks.
func (s *Service) findItem(ctx context.Context, q db.Queryer, id string) (*Item, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("learning item")
	}
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM learning_items i WHERE i.id = ?`, id))
	if err != nil {
		return nil, notFoundIn("learning item", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, x.target_level FROM item_skills x JOIN skills s ON s.id = x.skill_id
		WHERE x.item_id = ? ORDER BY lower(s.name)`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sk ItemSkill
		if err := rows.Scan(&sk.SkillID, &sk.SkillName, &sk.TargetLevel); err != nil {
			rows.Close()
			return nil, err
		}
		it.Skills = append(it.Skills, sk)
	}
	rows.Close()
	if it.Objectives, err = findObjectives(ctx, q, id); err != nil {
		return nil, err
	}
	if it.Content, err = findContent(ctx, q, id); err != nil {
		return nil, err
	}
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM quizzes WHERE item_id = ? AND kind = 'test')`, id).Scan(&it.HasTest); err != nil {
		return nil, err
	}
	return it, rows.Err()
}

func findObjectives(ctx context.Context, q db.Queryer, itemID string) ([]*Objective, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, position, text, bloom_level, bloom_override FROM objectives WHERE item_id = ? ORDER BY position`, itemID)
	if err != nil {
		return nil, fmt.Errorf("find objectives: %w", err)
	}
	defer rows.Close()
	var out []*Objective
	for rows.Next() {
		var o Objective
		var level string
		if err := rows.Scan(&o.ID, &o.Position, &o.Text, &level, &o.Override); err != nil {
			return nil, err
		}
		o.Bloom = bloom.Level(level)
		o.Warnings = bloom.Classify(o.Text).Warnings
		out = append(out, &o)
	}
	return out, rows.Err()
}

// ItemFilter selects catalog items. Empty fields do not filter.
type ItemFilter struct {
	Query    string // words matched anywhere in the title, code, provider, tags, skills and objectives
	Kind     string
	Modality string
	Language string
	SkillID  string
	Tag      string
	// Status is published (the default for learners), draft, retired or all; only those who run
	// training see drafts.
	Status string
	Cursor string
	Limit  int
}

// FindItems returns a page of the catalog by title and the cursor of the next page.
func (s *Service) FindItems(ctx context.Context, actor *core.Actor, f ItemFilter) ([]*Item, string, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, "", err
	}
	where, args := []string{visible(actor)}, []any{}
	switch f.Status {
	case "", StatusPublished:
		where = append(where, "i.status = 'published'")
	case StatusDraft, StatusRetired:
		where, args = append(where, "i.status = ?"), append(args, f.Status)
	case "all":
	default:
		return nil, "", core.Invalid("status", "must be published, draft, retired or all")
	}
	for _, w := range strings.Fields(fold.String(f.Query)) {
		where, args = append(where, "i.search_text LIKE ?"), append(args, "%"+w+"%")
	}
	if f.Kind != "" {
		if !slices.Contains(Kinds, f.Kind) {
			return nil, "", core.Invalid("kind", "choose one of %s", strings.Join(Kinds, ", "))
		}
		where, args = append(where, "i.kind = ?"), append(args, f.Kind)
	}
	if f.Modality != "" {
		if !slices.Contains(Modalities, f.Modality) {
			return nil, "", core.Invalid("modality", "choose one of %s", strings.Join(Modalities, ", "))
		}
		where, args = append(where, "i.modality = ?"), append(args, f.Modality)
	}
	if f.Language != "" {
		where, args = append(where, "lower(i.language) = lower(?)"), append(args, f.Language)
	}
	if f.SkillID != "" {
		where, args = append(where, "i.id IN (SELECT item_id FROM item_skills WHERE skill_id = ?)"), append(args, f.SkillID)
	}
	if f.Tag != "" {
		where, args = append(where, "i.id IN (SELECT item_id FROM item_tags WHERE tag = ?)"), append(args, strings.ToLower(clean(f.Tag)))
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 2)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "(lower(i.title) > ? OR lower(i.title) = ? AND i.id > ?)"), append(args, key[0], key[0], key[1])
	}
	limit := core.ClampLimit(f.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+itemColumns+` FROM learning_items i WHERE `+strings.Join(where, " AND ")+`
		ORDER BY lower(i.title), i.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find learning items: %w", err)
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = core.EncodeCursor(strings.ToLower(last.Title), last.ID)
	}
	return out, next, nil
}

// CreateItem adds an item to the catalog.
func (s *Service) CreateItem(ctx context.Context, actor *core.Actor, in ItemInput) (*Item, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var it *Item
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		it, err = s.saveItem(ctx, tx, actor, "", in)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.item_create", TargetType: "learning_item", TargetID: it.ID,
			Summary: fmt.Sprintf("Added %s %q to the catalog", strings.ToLower(KindLabels[it.Kind]), it.Title)})
	})
	return it, err
}

// UpdateItem replaces an item's fields, skills and objectives.
func (s *Service) UpdateItem(ctx context.Context, actor *core.Actor, id string, in ItemInput) (*Item, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	var it *Item
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.findItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Kind != strings.ToLower(strings.TrimSpace(in.Kind)) {
			if err := s.checkKindChange(ctx, tx, old, in.Kind); err != nil {
				return err
			}
		}
		if it, err = s.saveItem(ctx, tx, actor, id, in); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.item_update", TargetType: "learning_item", TargetID: it.ID,
			Summary: fmt.Sprintf("Changed %q", it.Title)})
	})
	return it, err
}

// checkKindChange refuses a change of kind that would strand what depends on the old one: a path
// with steps, or scheduled sessions.
func (s *Service) checkKindChange(ctx context.Context, tx db.Queryer, old *Item, kind string) error {
	var steps, sessions int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM path_steps WHERE path_id = ?), (SELECT count(*) FROM training_sessions WHERE item_id = ?)`,
		old.ID, old.ID).Scan(&steps, &sessions); err != nil {
		return err
	}
	if old.Kind == KindPath && steps > 0 {
		return core.Invalid("kind", "this path has steps; remove them before making it another kind of item")
	}
	if sessions > 0 && !Scheduled(strings.ToLower(strings.TrimSpace(kind))) {
		return core.Invalid("kind", "this item has scheduled sessions; it must stay a kind that runs in sessions")
	}
	return nil
}

// saveItem validates in and writes it as item id (a new item when id is "").
func (s *Service) saveItem(ctx context.Context, tx *db.Tx, actor *core.Actor, id string, in ItemInput) (*Item, error) {
	in.normalize()
	var v core.Validation
	in.validate(&v)
	if err := s.checkRefs(ctx, tx, &in, &v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var code any
	if in.Code != "" {
		code = in.Code
	}
	search := fold.String(strings.Join(slices.Concat([]string{in.Title, in.Code, in.Provider}, in.Tags, skillNames(in.Skills), objectiveTexts(in.Objectives)), " "))
	var err error
	rebuild := false
	if id == "" {
		id = core.NewID()
		var by any
		if actor.PersonID != "" {
			by = actor.PersonID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO learning_items (id, code, title, description, kind, modality, duration_minutes, language, provider,
			cost_per_learner, fixed_cost, currency, external_url, status, enrollment, certifying, compliance, validity_months, renew_days, tags,
			search_text, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, code, in.Title, in.Description, in.Kind, in.Modality, in.DurationMinutes, in.Language, in.Provider, in.CostPerLearner, in.FixedCost,
			in.Currency, in.ExternalURL, in.Status, in.Enrollment, in.Certifying, in.Compliance, in.ValidityMonths, in.RenewDays,
			strings.Join(in.Tags, "|"), search, by, now, now)
	} else {
		var renew int
		var compliance bool
		if err := tx.QueryRowContext(ctx, `SELECT renew_days, compliance FROM learning_items WHERE id = ?`, id).Scan(&renew, &compliance); err != nil {
			return nil, notFoundIn("learning item", err)
		}
		// Renewal days and the compliance flag are in everyone's status with the item.
		rebuild = renew != in.RenewDays || compliance != in.Compliance
		_, err = tx.ExecContext(ctx, `UPDATE learning_items SET code = ?, title = ?, description = ?, kind = ?, modality = ?, duration_minutes = ?,
			language = ?, provider = ?, cost_per_learner = ?, fixed_cost = ?, currency = ?, external_url = ?, status = ?, enrollment = ?,
			certifying = ?, compliance = ?, validity_months = ?, renew_days = ?, tags = ?, search_text = ?, updated_at = ? WHERE id = ?`,
			code, in.Title, in.Description, in.Kind, in.Modality, in.DurationMinutes, in.Language, in.Provider, in.CostPerLearner, in.FixedCost,
			in.Currency, in.ExternalURL, in.Status, in.Enrollment, in.Certifying, in.Compliance, in.ValidityMonths, in.RenewDays,
			strings.Join(in.Tags, "|"), search, now, id)
	}
	if err != nil {
		if e := db.FormatError(err); core.ErrorCode(e) == core.ECONFLICT {
			return nil, core.Invalid("code", "another item has the code %s", in.Code)
		}
		return nil, fmt.Errorf("save learning item: %w", err)
	}
	if err := replaceRows(ctx, tx, "item_tags", "item_id", id, []string{"item_id", "tag"}, func(add func(...any)) {
		for _, t := range in.Tags {
			add(id, t)
		}
	}); err != nil {
		return nil, err
	}
	if err := replaceRows(ctx, tx, "item_skills", "item_id", id, []string{"item_id", "skill_id", "target_level"}, func(add func(...any)) {
		for _, sk := range in.Skills {
			add(id, sk.SkillID, sk.TargetLevel)
		}
	}); err != nil {
		return nil, err
	}
	if err := saveObjectives(ctx, tx, id, in.Objectives); err != nil {
		return nil, err
	}
	if rebuild {
		if err := s.rebuildStatus(ctx, tx, "item_id = ?", id); err != nil {
			return nil, err
		}
	}
	return s.findItem(ctx, tx, id)
}

func skillNames(sk []ItemSkill) []string {
	out := make([]string, len(sk))
	for i, x := range sk {
		out[i] = x.SkillName
	}
	return out
}

func objectiveTexts(in []ObjectiveInput) []string {
	out := make([]string, len(in))
	for i, o := range in {
		out[i] = o.Text
	}
	return out
}

// replaceRows deletes the rows of table whose key column is id and inserts those fill adds.
func replaceRows(ctx context.Context, tx *db.Tx, table, key, id string, cols []string, fill func(add func(...any))) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+key+` = ?`, id); err != nil {
		return fmt.Errorf("replace %s: %w", table, err)
	}
	var rows [][]any
	fill(func(v ...any) { rows = append(rows, v) })
	return db.InsertMany(ctx, tx, table, cols, rows)
}

// saveObjectives writes an item's objectives in order: those with the ID of an existing objective
// of the item keep it (so questions stay tied to them), others are new, and objectives left out
// are removed (their questions keep their place in the bank, untied).
func saveObjectives(ctx context.Context, tx *db.Tx, itemID string, in []ObjectiveInput) error {
	old, err := findObjectives(ctx, tx, itemID)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, o := range in {
		keep[o.ID] = true
	}
	for _, o := range old {
		if !keep[o.ID] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM objectives WHERE id = ?`, o.ID); err != nil {
				return err
			}
		}
	}
	// Positions are moved out of the way first: the unique (item, position) pair would otherwise
	// trip over a reordering.
	if _, err := tx.ExecContext(ctx, `UPDATE objectives SET position = -position - 1 WHERE item_id = ?`, itemID); err != nil {
		return err
	}
	exists := map[string]bool{}
	for _, o := range old {
		exists[o.ID] = true
	}
	for i, o := range in {
		level, override := classify(o)
		if o.ID != "" && exists[o.ID] {
			if _, err := tx.ExecContext(ctx, `UPDATE objectives SET position = ?, text = ?, bloom_level = ?, bloom_override = ? WHERE id = ?`,
				i+1, o.Text, level, override, o.ID); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO objectives (id, item_id, position, text, bloom_level, bloom_override) VALUES (?, ?, ?, ?, ?, ?)`,
			core.NewID(), itemID, i+1, o.Text, level, override); err != nil {
			return err
		}
	}
	return nil
}

// classify returns an objective's level: the author's choice when given, else the classifier's.
func classify(o ObjectiveInput) (level string, override bool) {
	if o.Bloom != "" {
		if l, err := bloom.ParseLevel(o.Bloom); err == nil {
			return string(l), true
		}
	}
	return string(bloom.Classify(o.Text).Level), false
}

// itemExists answers not found unless id is an item.
func (s *Service) itemExists(ctx context.Context, q db.Queryer, id string) error {
	var one int
	if !core.ValidID(id) || q.QueryRowContext(ctx, `SELECT 1 FROM learning_items WHERE id = ?`, id).Scan(&one) != nil {
		return core.NotFound("learning item")
	}
	return nil
}
