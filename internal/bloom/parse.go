package bloom

import (
	"strings"
	"unicode"
)

// token is a lower-case word, or one punctuation mark.
type token struct {
	text string
	word bool
}

// tokenize splits s into lower-case words and punctuation marks. Apostrophes and hyphens inside a
// word belong to it ("role-play"); typographic apostrophes and hyphens count as plain ones.
func tokenize(s string) []token {
	var toks []token
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			toks = append(toks, token{text: w.String(), word: true})
			w.Reset()
		}
	}
	runes := []rune(s)
	for i, r := range runes {
		switch r {
		case '’', '‘', 'ʼ':
			r = '\''
		case '‐', '‑':
			r = '-'
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			w.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '-') && w.Len() > 0 && i+1 < len(runes) && unicode.IsLetter(runes[i+1]):
			w.WriteRune(r)
		case unicode.IsSpace(r) || r == unicode.ReplacementChar:
			flush()
		default:
			flush()
			toks = append(toks, token{text: string(r)})
		}
	}
	flush()
	return toks
}

// match is a verb found in an objective.
type match struct {
	verb    *verb
	spelled string // the base form as the author spells it
	phrase  string // how a message quotes it: spelled, or the words of "demonstrate an understanding"
	kind    kind
	end     int // the token after it
}

const (
	// headWithin is how far into an objective its verb may start: past the longest stems, not in
	// the middle of a paragraph.
	headWithin = 60
	// maxDepth bounds the retries after a lead-in ("By the end of this course, …"), so that odd
	// input cannot make Classify slow.
	maxDepth = 4
)

// Words and phrases that come before the verb.
var (
	// leadIns start a phrase that ends before the learner's part: "By the end of this course,".
	leadIns = phrases(`by the end of | at the end of | by the close of | upon completion of |
		on completion of | upon successful completion of | on successful completion of |
		after successful completion of | following completion of | following the completion of |
		upon completing | on completing | after completing | having completed | after attending |
		after taking | after this | after the | following this | in this | during this |
		through this`)
	// verbStems start with a verb but only lead to the real one: "learn to use".
	verbStems = phrases(`learn to | learn how to | know how to | understand how to |
		demonstrate the ability to | demonstrate an ability to | demonstrate their ability to |
		show the ability to | show an ability to | develop the ability to | gain the ability to`)
	// stems are the rest: "will be able to".
	stems = phrases(`be able to | are able to | is able to | able to | become able to |
		have the ability to | have the skills to | have the skill to | feel confident to |
		be confident to | feel able to | be equipped to | be ready to | be prepared to |
		be in a position to | be expected to | be required to | will | can | should | must |
		shall | may | could | would | to | also | then | now | further | both | either`)
	// subjects name the learners: "Participants", "the learner", "you".
	subjects = set(`learner learners participant participants student students trainee trainees
		attendee attendees delegate delegates employee employees staff colleague colleagues worker
		workers member members candidate candidates apprentice apprentices pupil pupils user users
		manager managers leader leaders team teams people person individual individuals everyone
		newcomers starters hires engineers analysts agents advisers advisors officers
		representatives reps supervisors nurses teachers coaches owners professionals
		practitioners leads administrators developers designers planners testers reviewers
		trainers facilitators assessors you we they i he she`)
	determiners = set(`the each every all our new these successful`)
	// labels precede an objective in lists: "Learning objective 2:", "LO1 -".
	labels = set(`learning objective objectives outcome outcomes lo aim aims goal goals step task`)
	// adverbs that authors put before the verb. Other words ending in -ly that are not verbs
	// ("apply") are taken as adverbs as well.
	adverbs = set(`accurately correctly independently confidently effectively successfully safely
		clearly competently consistently appropriately thoroughly properly efficiently reliably
		critically fully quickly better more easily`)
	// blockers show that a phrase before a "will" or "can" is not a subject: in "The GDPR and how
	// it can be applied" nobody is going to apply anything.
	blockers = set(`and or how why what when where which who whom whose that if whether not so
		because while unless until`)
	modals = set(`will can should must shall may could would`)
	// objectStarts begin what a verb acts on; a second verb that is also a common noun ("test")
	// counts only when one of these follows it.
	objectStarts = set(`the a an this that these those their its his her your our my each every all
		any some how why what when where which who whether if them it they him us me one two three
		four five several multiple appropriate relevant key new different possible suitable`)
	// fillers may stand between a verb and a vague noun: "demonstrate a clear and thorough
	// understanding".
	fillers = set(`a an the their his her your our its some good basic clear sound solid deep deeper
		better broad broader thorough working general full fuller greater increased improved
		practical overall comprehensive detailed in-depth strong fundamental firm real genuine
		high level of and own`)
	// vagueNounEnds may follow a vague noun: "knowledge of", "insight into".
	vagueNounEnds = set(`of about in into for on regarding around that how what why when where which
		with`)
	// conjunctions join a second verb to the first.
	conjunctions = set(`and or then plus , ; & + / .`)
	romans       = set(`i ii iii iv v vi vii viii ix x xi xii`)
	joiners      = set(`also to both further finally`)
	// enablers make the course the subject: "This course will enable you to …".
	enablers = set(`enable enables help helps allow allows equip equips prepare prepares teach
		teaches train trains show shows`)
	courseWords = set("this the our")
	courseNouns = set(`course module session workshop programme program training lesson unit
		e-learning webinar class seminar activity exercise simulation tutorial curriculum pathway
		path guide toolkit`)
	andOr = set("and or")
	able  = set("able")
	to    = set("to")
)

// vagueNounVerbForms maps the forms of vagueNounVerbs ("gained", "has") to their kinds.
var vagueNounVerbForms = func() map[string]kind {
	m := map[string]kind{}
	for w := range vagueNounVerbs {
		for f, k := range inflect(w) {
			m[f] |= k
		}
	}
	return m
}()

// phrases splits a "|"-separated list of phrases into their words.
func phrases(s string) [][]string {
	var out [][]string
	for _, p := range strings.Split(s, "|") {
		if w := strings.Fields(p); len(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

// hasWords reports whether the words of p start at toks[i].
func hasWords(toks []token, i int, p []string) bool {
	if i+len(p) > len(toks) {
		return false
	}
	for j, w := range p {
		if !toks[i+j].word || toks[i+j].text != w {
			return false
		}
	}
	return true
}

// longestAt returns the length of the longest of ps that starts at toks[i], or 0.
func longestAt(toks []token, i int, ps [][]string) int {
	n := 0
	for _, p := range ps {
		if len(p) > n && hasWords(toks, i, p) {
			n = len(p)
		}
	}
	return n
}

func isWord(toks []token, i int, words map[string]bool) bool {
	return i < len(toks) && toks[i].word && words[toks[i].text]
}

func isPunct(toks []token, i int, marks string) bool {
	return i < len(toks) && !toks[i].word && strings.Contains(marks, toks[i].text)
}

// findHead finds the verb an objective starts with.
func findHead(toks []token) (match, bool) { return headFrom(toks, 0, 0) }

// headFrom finds the verb that the objective's words from toks[i] on start with, skipping what
// may stand before it. depth counts the retries that brought it here.
func headFrom(toks []token, i, depth int) (match, bool) {
	if depth > maxDepth {
		return match{}, false
	}
	start := i
	for i < len(toks) && i < headWithin {
		t := toks[i]
		switch {
		case !t.word: // bullets, quotation marks, brackets
			i++
			continue
		case isNumber(t.text):
			i++ // "1.", "2)", "LO3"
			continue
		case (len([]rune(t.text)) == 1 || romans[t.text]) && isPunct(toks, i+1, ".)"):
			i += 2 // "a)", "iv."
			continue
		case i == start && labels[t.text]:
			if j := skipLabel(toks, i); j > i {
				i = j
				continue
			}
		}
		if n := longestAt(toks, i, verbStems); n > 0 {
			if m, ok := headFrom(toks, i+n, depth+1); ok {
				return m, true
			}
		}
		if n := longestAt(toks, i, leadIns); n > 0 {
			for _, j := range afterLeadIn(toks, i+n) {
				if m, ok := headFrom(toks, j, depth+1); ok {
					return m, true
				}
			}
			return match{}, false
		}
		if m, ok := verbAt(toks, i); ok {
			if isWord(toks, m.end, subjects) && subjectEnd(toks, m.end) > m.end {
				i = m.end // "Change managers will …": the verb was part of the subject
				continue
			}
			if m.kind&kindBase == 0 && m.kind&kindING != 0 {
				// "Using the template, write a report": the verb after the comma is the one asked for.
				if c := commaWithin(toks, m.end, 12); c > 0 {
					if n, ok := headFrom(toks, c, depth+1); ok && n.kind&kindBase != 0 {
						return n, true
					}
				}
			}
			return m, true
		}
		if n := longestAt(toks, i, stems); n > 0 {
			i += n
			continue
		}
		if subjects[t.text] {
			i++
			continue
		}
		if determiners[t.text] && isWord(toks, i+1, subjects) {
			i += 2
			continue
		}
		if isAdverb(t.text) {
			i++
			if isWord(toks, i, andOr) || isPunct(toks, i, ",") {
				i++ // "accurately and safely"
			}
			continue
		}
		if j := enablerEnd(toks, i); j > i {
			i = j
			continue
		}
		if j := subjectEnd(toks, i); j > i {
			i = j
			continue
		}
		return match{}, false
	}
	return match{}, false
}

// isNumber reports whether w numbers an objective in a list: "1", "2a", "lo3".
func isNumber(w string) bool {
	w = strings.TrimPrefix(w, "lo")
	return w != "" && w[0] >= '0' && w[0] <= '9'
}

// enablerEnd returns where the learner's part starts after "This course will enable you to" and
// the like, or i when the words at toks[i] are not such a phrase.
func enablerEnd(toks []token, i int) int {
	if !isWord(toks, i, courseWords) {
		return i
	}
	course := false
	for j := i + 1; j < len(toks) && j <= i+6 && toks[j].word; j++ {
		course = course || courseNouns[toks[j].text]
		if !course || !enablers[toks[j].text] {
			continue
		}
		for k := j + 1; k < len(toks) && k <= j+4 && toks[k].word; k++ {
			if toks[k].text == "to" {
				return k + 1
			}
		}
		return i
	}
	return i
}

// skipLabel skips "Learning objective 2:" and the like, returning i when there is none.
func skipLabel(toks []token, i int) int {
	j := i
	for j < len(toks) && toks[j].word && (labels[toks[j].text] || unicode.IsDigit([]rune(toks[j].text)[0])) {
		j++
	}
	if isPunct(toks, j, ":-–—.)") {
		return j + 1
	}
	return i
}

// isAdverb reports whether w is an adverb that may stand before the verb.
func isAdverb(w string) bool {
	if adverbs[w] {
		return true
	}
	_, isVerb := index[w]
	return !isVerb && len(w) > 4 && strings.HasSuffix(w, "ly")
}

// subjectEnd returns where a subject that is not in the subjects list ends, when a modal follows
// it within a few words: "Safety representatives can …". It returns i when there is none.
func subjectEnd(toks []token, i int) int {
	for j := i + 1; j < len(toks) && j <= i+6; j++ {
		switch {
		case !toks[j].word || blockers[toks[j].text]:
			return i
		case modals[toks[j].text] || (toks[j].text == "are" || toks[j].text == "is") && isWord(toks, j+1, able):
			return j
		}
	}
	return i
}

// commaWithin returns the position after the first comma in the n tokens from i, or 0.
func commaWithin(toks []token, i, n int) int {
	for j := i; j < len(toks) && j < i+n; j++ {
		if isPunct(toks, j, ",") {
			return j + 1
		}
		if isPunct(toks, j, ".;:!?") {
			return 0
		}
	}
	return 0
}

// afterLeadIn returns where the learner's part may start after a lead-in, best guess first: after
// the comma that ends the lead-in, at the modal of "… learners will", or at the first verb.
func afterLeadIn(toks []token, i int) []int {
	var comma, modal, verb int
scan:
	for j := i; j < len(toks) && j < i+25; j++ {
		switch {
		case isPunct(toks, j, ".!?"):
			break scan
		case isPunct(toks, j, ",:;-–—") && comma == 0:
			comma = j + 1
		case isWord(toks, j, modals) && modal == 0:
			modal = j
		case verb == 0 && toks[j].word:
			if _, ok := verbAt(toks, j); ok {
				verb = j
			}
		}
	}
	var out []int
	for _, j := range []int{comma, modal, verb} {
		if j > 0 {
			out = append(out, j)
		}
	}
	return out
}

// verbAt reports the verb that starts at toks[i]: a vague phrase such as "demonstrate an
// understanding of", then the longest phrasal verb, then a single word.
func verbAt(toks []token, i int) (match, bool) {
	if i >= len(toks) || !toks[i].word {
		return match{}, false
	}
	if m, ok := vagueNounAt(toks, i); ok {
		return m, true
	}
	for n := min(maxWords, len(toks)-i); n >= 1; n-- {
		words := make([]string, 0, n)
		for _, t := range toks[i : i+n] {
			if !t.word {
				break
			}
			words = append(words, t.text)
		}
		if len(words) < n {
			continue
		}
		if f, ok := index[strings.Join(words, " ")]; ok {
			return match{verb: f.verb, spelled: f.spelled, phrase: f.spelled, kind: f.kind, end: i + n}, true
		}
	}
	return match{}, false
}

// vagueNounAt recognizes "demonstrate an understanding of", "gain knowledge of" and the like at
// toks[i]. The noun must be followed by what it is about ("of", "into" …) so that "build a
// knowledge base" is still building.
func vagueNounAt(toks []token, i int) (match, bool) {
	k, ok := vagueNounVerbForms[toks[i].text]
	if !ok {
		return match{}, false
	}
	for j := i + 1; j < len(toks) && j <= i+6 && toks[j].word; j++ {
		if base, ok := vagueNouns[toks[j].text]; ok {
			if j+1 < len(toks) && toks[j+1].word && !vagueNounEnds[toks[j+1].text] {
				return match{}, false
			}
			words := make([]string, 0, j-i+1)
			for _, t := range toks[i : j+1] {
				words = append(words, t.text)
			}
			f := index[base]
			return match{verb: f.verb, spelled: base, phrase: strings.Join(words, " "), kind: k, end: j + 1}, true
		}
		if !fillers[toks[j].text] {
			return match{}, false
		}
	}
	return match{}, false
}

// moreVerbs returns the verbs joined to the head by "and", "or", commas and the like, each once:
// "identify, explain and evaluate". A joined verb must have the same form as the head
// ("identifying and explaining"). One that follows the previous verb straight away ("design and
// test") always counts; one further on counts unless it is also a common noun that is not
// followed by what it acts on ("describe the design and test phases"). The search stops at an
// infinitive in the object: in "describe how to identify and assess risks" the verbs after "to"
// say what is described, not what the learner does.
func moreVerbs(toks []token, head match) []match {
	var out []match
	seen := map[*verb]bool{head.verb: true}
	prevEnd := head.end
	for k := head.end; k < len(toks); k++ {
		if isWord(toks, k, to) {
			if _, ok := verbAt(toks, k+1); ok {
				return out
			}
			continue
		}
		if !conjunctions[toks[k].text] {
			continue
		}
		m, ok := verbAt(toks, skipJoiners(toks, k+1))
		if !ok || m.kind&head.kind == 0 {
			continue
		}
		if k != prevEnd && m.verb.noun && !actsOn(toks, m.end) {
			continue
		}
		if !seen[m.verb] {
			seen[m.verb] = true
			out = append(out, m)
		}
		prevEnd = m.end
		k = m.end - 1
	}
	return out
}

// actsOn reports whether what follows toks[i-1] reads as what a verb acts on, or ends the
// sentence: "and test them", "and test." but not "and test phases" or "and test, …".
func actsOn(toks []token, i int) bool {
	return i >= len(toks) || isPunct(toks, i, ".;!?") || isWord(toks, i, objectStarts)
}

// skipJoiners skips what may stand between a conjunction and the next verb: "and then",
// "and/or", "and accurately", "and be able to".
func skipJoiners(toks []token, i int) int {
	for range 4 {
		switch {
		case i >= len(toks):
			return i
		case hasWords(toks, i, []string{"be", "able", "to"}):
			i += 3
		case conjunctions[toks[i].text] || joiners[toks[i].text] || toks[i].word && isAdverb(toks[i].text):
			i++
		default:
			return i
		}
	}
	return i
}
