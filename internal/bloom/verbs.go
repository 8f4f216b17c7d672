package bloom

import "strings"

// The verb table. Each verb is written once, in its American base form; the index below adds the
// other forms an author types ("identifies", "identifying", "identified") and the British
// spellings ("analyse", "summarise"). Phrasal verbs are written with spaces ("carry out").
//
// The lists follow the usual published ones (Anderson & Krathwohl's cognitive processes, and the
// verb lists universities and L&D teams circulate). Most verbs there appear under more than one
// level somewhere; a verb is listed as ambiguous here only when the level really changes what
// learners would be asked to do, so that the warning stays worth reading.

// single lists the verbs that belong to one level.
var single = map[Level]string{
	Remember: `cite, count, define, duplicate, enumerate, find, highlight, identify, label, list,
		locate, memorize, name, order, pinpoint, quote, recall, recite, record, recount, repeat,
		reproduce, retrieve, specify, spell, state, tabulate, tell, underline, look up, point out,
		write down`,
	Understand: `annotate, articulate, associate, clarify, contextualize, convert, describe,
		discuss, exemplify, express, extend, extrapolate, generalize, give examples,
		give an example, interpolate, paraphrase, rephrase, represent, restate, review,
		rewrite, summarize, translate, talk through`,
	Apply: `administer, adjust, apply, calculate, calibrate, carry out, complete, compute, conduct,
		configure, deliver, discover, dramatize, employ, execute, facilitate, fill in, follow,
		handle, implement, install, maintain, manipulate, measure, navigate, negotiate, operate,
		perform, practice, resolve, role-play, role play, run, schedule, show, simulate, use, utilize,
		work out, figure out, lead, coach, teach, train, communicate, respond, escalate, process,
		enter, submit, comply, access, give feedback`,
	Analyze: `analyze, attribute, break down, correlate, deconstruct, deduce, diagnose, diagram,
		differentiate, discriminate, dissect, distinguish, examine, explore, inspect, investigate,
		parse, question, research, scrutinize, segment, separate, subdivide, survey,
		trace, debug`,
	Evaluate: `appraise, argue, audit, conclude, convince, critique, criticize, debate, decide,
		defend, dispute, evaluate, grade, judge, justify, persuade, prioritize, prove, rank, rate,
		recommend, reject, score, support, validate, value, verify, weigh, weigh up,
		draw conclusions, draw a conclusion, make decisions, make a decision, make judgments,
		make judgements, make recommendations, make a recommendation`,
	Create: `author, brainstorm, combine, compile, compose, create, design, devise, draft,
		establish, formulate, generate, hypothesize, innovate, invent, originate, propose,
		prototype, rearrange, reconstruct, reorganize, revise, storyboard, synthesize,
		put together, come up with, draw up, write up, map out`,
}

// ambiguous lists the verbs that belong to several levels. The first level is the one suggested:
// where the published lists place the verb most often, read the way course authors use it
// ("compare two proposals" is analysis, "plan a project" is creation). The other levels follow.
var ambiguous = []struct {
	verb   string
	levels []Level
}{
	{"arrange", []Level{Remember, Create}},
	{"match", []Level{Remember, Understand}},
	{"recognize", []Level{Remember, Understand}},

	{"classify", []Level{Understand, Analyze}},
	{"categorize", []Level{Understand, Analyze}},
	{"explain", []Level{Understand, Analyze}},
	{"infer", []Level{Understand, Analyze}},
	{"interpret", []Level{Understand, Apply, Analyze}},
	{"outline", []Level{Understand, Analyze}},
	{"predict", []Level{Understand, Apply, Evaluate}},

	{"demonstrate", []Level{Apply, Understand}},
	{"illustrate", []Level{Apply, Understand, Analyze}},
	{"solve", []Level{Apply, Analyze}},
	{"estimate", []Level{Apply, Understand, Evaluate}},
	{"determine", []Level{Apply, Analyze, Evaluate}},
	{"troubleshoot", []Level{Apply, Analyze}},
	{"modify", []Level{Apply, Create}},
	{"change", []Level{Apply, Create}},
	{"manage", []Level{Apply, Create}},
	{"present", []Level{Apply, Create}},
	{"sketch", []Level{Apply, Create}},
	{"draw", []Level{Apply, Create}},
	{"report", []Level{Understand, Apply}},
	{"set up", []Level{Apply, Create}},
	{"prepare", []Level{Create, Apply}},

	{"compare", []Level{Analyze, Understand, Evaluate}},
	{"contrast", []Level{Analyze, Understand}},
	{"compare and contrast", []Level{Analyze, Understand}},
	{"organize", []Level{Analyze, Create}},
	{"relate", []Level{Analyze, Understand}},
	{"integrate", []Level{Analyze, Create}},
	{"structure", []Level{Analyze, Create}},
	{"experiment", []Level{Analyze, Apply}},
	{"test", []Level{Analyze, Apply, Evaluate}},
	{"find out", []Level{Analyze, Apply}},

	{"assess", []Level{Evaluate, Analyze}},
	{"select", []Level{Evaluate, Remember, Apply, Analyze}},
	{"choose", []Level{Evaluate, Remember, Apply}},
	{"check", []Level{Evaluate, Apply}},
	{"monitor", []Level{Evaluate, Apply}},
	{"detect", []Level{Evaluate, Analyze}},
	{"isolate", []Level{Analyze, Apply}},

	{"plan", []Level{Create, Apply}},
	{"develop", []Level{Create, Apply}},
	{"construct", []Level{Create, Apply}},
	{"produce", []Level{Create, Apply}},
	{"write", []Level{Create, Apply}},
	{"build", []Level{Create, Apply}},
	{"assemble", []Level{Create, Apply}},
	{"adapt", []Level{Create, Apply}},
	{"model", []Level{Create, Analyze}},
}

// Hints say what to write instead of a verb that cannot be observed; they complete the sentence
// "say what the learner will do to show …".
const (
	hintUnderstanding = "understanding, such as explain, summarize or classify"
	hintKnowledge     = "what they know, such as list, define or identify"
	hintAwareness     = "awareness, such as identify, describe or report"
	hintFamiliarity   = "familiarity, such as identify, describe or locate"
	hintAppreciation  = "appreciation, such as explain, justify or discuss"
	hintImportance    = "that they see why it matters, such as explain, justify or give examples"
)

// vague lists what authors write that cannot be observed or tested, with the level it would
// stand for and a hint for rewriting it.
var vague = []struct {
	verb  string
	level Level
	hint  string
}{
	{"understand", Understand, hintUnderstanding},
	{"comprehend", Understand, hintUnderstanding},
	{"grasp", Understand, hintUnderstanding},
	{"realize", Understand, hintUnderstanding},
	{"appreciate", Understand, hintAppreciation},
	{"believe", Understand, "what they believe, such as explain, justify or defend"},
	{"know", Remember, hintKnowledge},
	{"get to know", Remember, hintKnowledge},
	{"learn", Remember, "what they have learned, such as list, explain or use"},
	{"be aware of", Remember, hintAwareness},
	{"become aware of", Remember, hintAwareness},
	{"be conscious of", Remember, hintAwareness},
	{"be familiar with", Remember, hintFamiliarity},
	{"become familiar with", Remember, hintFamiliarity},
	{"familiarize", Remember, hintFamiliarity},
	{"be acquainted with", Remember, hintFamiliarity},
	{"recognize the importance of", Understand, hintImportance},
	{"recognize the value of", Understand, hintImportance},
	{"recognize the need for", Understand, hintImportance},
	{"recognize the significance of", Understand, hintImportance},
	{"recognize the benefits of", Understand, hintImportance},
	{"recognize the role of", Understand, hintImportance},
}

// vagueNouns are the nouns of "demonstrate an understanding of", "gain knowledge of" and the
// like: a real verb wrapped around something that still cannot be observed. Each maps to the
// vague verb it stands for.
var vagueNouns = map[string]string{
	"understanding": "understand",
	"comprehension": "comprehend",
	"insight":       "understand",
	"insights":      "understand",
	"overview":      "understand",
	"grasp":         "grasp",
	"knowledge":     "know",
	"awareness":     "be aware of",
	"familiarity":   "be familiar with",
	"appreciation":  "appreciate",
}

// vagueNounVerbs are the verbs that wrap a vague noun. Those that are in the table ("demonstrate",
// "develop") would otherwise be taken at face value.
var vagueNounVerbs = set(`demonstrate show display have gain develop acquire build deepen broaden
	improve increase get possess achieve obtain enhance expand extend strengthen`)

// nouns are verbs that are also common nouns ("the test plan", "the design and test phases").
// After the first verb, a second one is only counted when it reads as a verb: see moreVerbs.
var nouns = set(`access attribute audit brainstorm change check conduct count debate design
	diagram dispute draft estimate experiment grade handle implement judge label list match measure
	model monitor name order outline plan practice present process produce prototype question quote
	rank rate recall record repeat report research review role-play run schedule score segment
	separate set up show sketch spell state storyboard structure support survey test trace use
	value`)

// irregular lists the forms the regular rules cannot make. An irregular past replaces the regular
// one, except for the verbs where both are in use.
var irregular = map[string]struct{ third, past string }{
	"be":         {third: "is are am", past: "was were been"},
	"become":     {past: "became"},
	"build":      {past: "built"},
	"choose":     {past: "chose chosen"},
	"come":       {past: "came"},
	"draw":       {past: "drew drawn"},
	"find":       {past: "found"},
	"get":        {past: "got gotten"},
	"give":       {past: "gave given"},
	"have":       {third: "has", past: "had"},
	"know":       {past: "knew known"},
	"learn":      {past: "learnt"},
	"prove":      {past: "proven"},
	"put":        {past: "put"},
	"run":        {past: "ran"},
	"set":        {past: "set"},
	"show":       {past: "shown"},
	"spell":      {past: "spelt"},
	"tell":       {past: "told"},
	"understand": {past: "understood"},
	"write":      {past: "wrote written"},
	"break":      {past: "broke broken"},
	"lead":       {past: "led"},
	"make":       {past: "made"},
	"teach":      {past: "taught"},
}

// kind is a bit set of the grammatical forms a word can be: "set" is both a base and a past form.
type kind uint8

const (
	kindBase kind = 1 << iota
	kindThird
	kindING
	kindPast
)

// verb is one entry of the table.
type verb struct {
	base   string  // American base form, as in the tables above
	levels []Level // the suggested level first
	hint   string  // for a vague verb, what to write instead; "" for an observable verb
	noun   bool    // also a common noun
}

// form is what one written form stands for.
type form struct {
	verb    *verb
	spelled string // the base form as the author spells it ("analyse" for "analysing")
	kind    kind
}

// index maps every written form, phrasal ones with single spaces, to its verb. It is built once
// and only read afterwards, so Classify is safe for concurrent use.
var index, maxWords = buildIndex()

func buildIndex() (map[string]form, int) {
	idx := map[string]form{}
	longest := 1
	add := func(v *verb) {
		for _, spelled := range spellings(v.base) {
			for written, k := range inflect(spelled) {
				f, ok := idx[written]
				if ok && f.verb != v {
					continue // the first entry wins; TestIndexHasNoClashes keeps this from mattering
				}
				if !ok {
					f = form{verb: v, spelled: spelled}
				}
				f.kind |= k
				idx[written] = f
			}
		}
		longest = max(longest, len(strings.Fields(v.base)))
	}
	for _, level := range Levels {
		for _, s := range strings.Split(single[level], ",") {
			if s = strings.Join(strings.Fields(s), " "); s != "" {
				add(&verb{base: s, levels: []Level{level}, noun: nouns[s]})
			}
		}
	}
	for _, a := range ambiguous {
		add(&verb{base: a.verb, levels: a.levels, noun: nouns[a.verb]})
	}
	for _, v := range vague {
		add(&verb{base: v.verb, levels: []Level{v.level}, hint: v.hint})
	}
	return idx, longest
}

// spellings returns base and its British spelling, if it has one: -ize becomes -ise (on the first
// word of a phrasal verb), -yze becomes -yse, and a few words are listed.
func spellings(base string) []string {
	first, rest, _ := strings.Cut(base, " ")
	if rest != "" {
		rest = " " + rest
	}
	var british string
	switch {
	case first == "practice":
		british = "practise"
	case strings.HasSuffix(first, "ize"):
		british = strings.TrimSuffix(first, "ize") + "ise"
	case strings.HasSuffix(first, "yze"):
		british = strings.TrimSuffix(first, "yze") + "yse"
	default:
		return []string{base}
	}
	return []string{base, british + rest}
}

// inflect returns the forms of a base form with the kind of each. In a phrasal verb only the
// first word changes ("carries out"), except that "compare and contrast" changes both verbs.
func inflect(base string) map[string]kind {
	words := strings.Fields(base)
	out := map[string]kind{}
	for _, k := range []kind{kindBase, kindThird, kindING, kindPast} {
		for _, first := range wordForms(words[0], k) {
			w := append([]string{first}, words[1:]...)
			if len(words) == 3 && words[1] == "and" {
				for _, last := range wordForms(words[2], k) {
					w[2] = last
					out[strings.Join(w, " ")] |= k
				}
				continue
			}
			out[strings.Join(w, " ")] |= k
		}
	}
	return out
}

// wordForms returns the forms of one word of kind k by the regular English rules, with both the
// single and the doubled final consonant ("modeling", "modelling") where English may double it,
// and the irregular forms.
func wordForms(w string, k kind) []string {
	irr := irregular[w]
	switch k {
	case kindBase:
		return []string{w}
	case kindThird:
		out := strings.Fields(irr.third)
		switch {
		case w == "be":
		case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
			strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh") || strings.HasSuffix(w, "o"):
			out = append(out, w+"es")
		case consonantY(w):
			out = append(out, w[:len(w)-1]+"ies")
		default:
			out = append(out, w+"s")
		}
		return out
	case kindING:
		switch {
		case strings.HasSuffix(w, "ie"):
			return []string{w[:len(w)-2] + "ying"}
		case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && w != "be":
			return []string{w[:len(w)-1] + "ing"}
		case doubles(w):
			return []string{w + "ing", w + w[len(w)-1:] + "ing"}
		}
		return []string{w + "ing"}
	case kindPast:
		out := strings.Fields(irr.past)
		if len(out) > 0 && w != "learn" && w != "spell" && w != "prove" {
			return out // "chose", not "choosed"; "learnt" and "learned" are both English
		}
		switch {
		case strings.HasSuffix(w, "e"):
			out = append(out, w+"d")
		case consonantY(w):
			out = append(out, w[:len(w)-1]+"ied")
		case doubles(w):
			out = append(out, w+"ed", w+w[len(w)-1:]+"ed")
		default:
			out = append(out, w+"ed")
		}
		return out
	}
	return nil
}

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

// consonantY reports whether w ends in a consonant and y ("identify" → "identifies").
func consonantY(w string) bool {
	n := len(w)
	return n >= 2 && w[n-1] == 'y' && !isVowel(w[n-2])
}

// doubles reports whether w ends consonant–vowel–consonant, where English may double the last
// letter ("plan" → "planning"; "label" → "labelling" in British spelling).
func doubles(w string) bool {
	n := len(w)
	if n < 3 {
		return false
	}
	a, b, c := w[n-3], w[n-2], w[n-1]
	return !isVowel(a) && isVowel(b) && !isVowel(c) && strings.IndexByte("wxy", c) < 0
}

// set makes a set of the space-separated words in s.
func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
