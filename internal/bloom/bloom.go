// Package bloom classifies learning objectives ("what the learner will be able to do afterwards")
// on Bloom's revised taxonomy (Anderson & Krathwohl, 2001) by their leading verb, and says what
// makes an objective hard to assess: a verb that cannot be observed ("understand"), a verb that
// fits several levels ("compare"), no verb at all, or several performances in one objective.
//
// The level is a suggestion. Authors may choose another one; the caller stores whose choice it was.
// The package has no dependencies and imports nothing from the rest of learnloop.
package bloom

import (
	"fmt"
	"slices"
	"strings"
)

// Level is one level of the cognitive process dimension of the revised taxonomy.
type Level string

// The six levels, lowest first.
const (
	Remember   Level = "remember"
	Understand Level = "understand"
	Apply      Level = "apply"
	Analyze    Level = "analyze"
	Evaluate   Level = "evaluate"
	Create     Level = "create"
)

// Levels lists the levels in order, lowest first.
var Levels = []Level{Remember, Understand, Apply, Analyze, Evaluate, Create}

// ParseLevel reads a level by its name, in any case and with surrounding spaces; the British
// "analyse" is accepted for Analyze. The empty string is not a level: an objective that has none
// stores "".
func ParseLevel(s string) (Level, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "analyse" {
		return Analyze, nil
	}
	if l := Level(name); l.Rank() > 0 {
		return l, nil
	}
	return "", fmt.Errorf("unknown Bloom level %q: use one of remember, understand, apply, analyze, evaluate or create", s)
}

// Rank returns the position of l in Levels, from 1 for Remember to 6 for Create, and 0 for
// anything that is not a level.
func (l Level) Rank() int {
	return slices.Index(Levels, l) + 1
}

// title returns the level's name with a capital, as it is written in sentences ("Analyze").
func (l Level) title() string {
	if l == "" {
		return ""
	}
	return strings.ToUpper(string(l[:1])) + string(l[1:])
}

// Warning codes. The codes are stable and may key translations; the messages are English.
const (
	// WarnNotObservable: a verb such as "understand" or "know" that nobody can watch a learner do.
	WarnNotObservable = "not_observable"
	// WarnAmbiguousVerb: the verb belongs to more than one level; the author should confirm one.
	WarnAmbiguousVerb = "ambiguous_verb"
	// WarnNoVerb: no action verb was found where the objective should start.
	WarnNoVerb = "no_verb"
	// WarnSeveralVerbs: the objective asks for more than one performance.
	WarnSeveralVerbs = "several_verbs"
)

// Warning is advice for the author of an objective. Message is a plain English sentence, safe to
// show as it is in the web interface and on the command line.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Classification is the suggested level of one objective, with what the suggestion rests on.
type Classification struct {
	// Level is the suggested level; "" when no verb was recognized.
	Level Level `json:"level"`
	// Verb is the verb the level comes from, in its base form as the author spells it
	// ("identify", "analyse", "carry out"). With several verbs, it is the one with the highest level.
	Verb string `json:"verb"`
	// Verbs lists every verb found, in order, each once.
	Verbs []string `json:"verbs,omitempty"`
	// Candidates lists every level Verb belongs to, lowest first; more than one means it is
	// ambiguous. Level is always one of them.
	Candidates []Level `json:"candidates,omitempty"`
	// Observable is true when every verb found names something a learner can be seen to do; it is
	// false for "understand", "know", "be aware of" and the like, and when no verb was found.
	Observable bool `json:"observable"`
	// Warnings are in a fixed order: not observable, ambiguous verb, several verbs; or no verb alone.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Classify suggests a level for objective from its leading verb.
//
// The verb is looked for at the start, after what authors put before it: bullets and numbering,
// "By the end of this course,", "Learners will be able to", "can", "should", "to", and adverbs
// such as "accurately". Verbs are recognized in their usual forms ("identifies", "identifying",
// "identified") and British spellings ("analyse"). A verb further on does not count: in "The
// GDPR and how it can be applied" the learner is not asked to do anything.
//
// The rules, which Warnings also explain to the author:
//   - A verb of several levels ("compare") suggests the level listed first for it in this
//     package's table: where published verb lists most often place it, read the way course
//     authors use it ("compare two proposals" is analysis). Candidates lists all its levels.
//   - An objective that joins several verbs ("identify and explain") gets the highest of their
//     levels, since a learner must do all of them; it is also told to test one performance.
//   - "Know how to", "learn to" and "demonstrate the ability to" are read as "be able to": the
//     verb after them counts. "Demonstrate an understanding of" and "gain knowledge of" count as
//     "understand" and "know", which cannot be observed.
//
// A blank objective gets the zero Classification, with no warnings: there is nothing to advise
// on yet, and whether an objective is required is for the caller to decide. Classify is safe for
// concurrent use.
func Classify(objective string) Classification {
	toks := tokenize(objective)
	if len(toks) == 0 {
		return Classification{}
	}
	head, ok := findHead(toks)
	if !ok {
		return Classification{Warnings: []Warning{{WarnNoVerb,
			"No action verb was found at the start of the objective. Begin with what the learner will be able to do, " +
				"such as identify, explain, calculate, compare, justify or design."}}}
	}
	found := append([]match{head}, moreVerbs(toks, head)...)

	// The highest level wins; among equals, the first verb.
	decider := found[0]
	for _, m := range found[1:] {
		if m.verb.levels[0].Rank() > decider.verb.levels[0].Rank() {
			decider = m
		}
	}
	c := Classification{
		Level:      decider.verb.levels[0],
		Verb:       decider.spelled,
		Candidates: slices.SortedFunc(slices.Values(decider.verb.levels), func(a, b Level) int { return a.Rank() - b.Rank() }),
		Observable: true,
	}
	for _, m := range found {
		c.Verbs = append(c.Verbs, m.spelled)
		if m.verb.hint != "" {
			c.Observable = false
			c.Warnings = append(c.Warnings, Warning{WarnNotObservable, fmt.Sprintf(
				"%s cannot be observed or tested; say what the learner will do to show %s.", quote(m.phrase), m.verb.hint)})
		}
	}
	if len(c.Candidates) > 1 {
		c.Warnings = append(c.Warnings, Warning{WarnAmbiguousVerb, fmt.Sprintf(
			"%s can mean %s. %s is suggested, as most verb lists place it there; choose the level that matches what learners will actually do.",
			quote(decider.phrase), titles(c.Candidates, "or"), c.Level.title())})
	}
	if len(found) > 1 {
		c.Warnings = append(c.Warnings, Warning{WarnSeveralVerbs, fmt.Sprintf(
			"This objective asks for more than one thing (%s). An objective should test one performance, so consider "+
				"writing one objective for each. The suggested level, %s, is the highest of them.",
			words(c.Verbs), c.Level.title())})
	}
	return c
}

// quote puts a verb as the author wrote it in quotation marks, with a capital: “Understand”.
func quote(phrase string) string {
	r := []rune(phrase)
	return "“" + strings.ToUpper(string(r[:1])) + string(r[1:]) + "”"
}

// titles lists levels for a sentence: "Understand, Analyze or Evaluate".
func titles(levels []Level, conj string) string {
	s := make([]string, len(levels))
	for i, l := range levels {
		s[i] = l.title()
	}
	return join(s, conj)
}

// words lists verbs for a sentence: "identify, explain and evaluate".
func words(verbs []string) string { return join(verbs, "and") }

func join(s []string, conj string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}
