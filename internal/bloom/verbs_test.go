package bloom

import (
	"slices"
	"strings"
	"testing"
)

// entries returns every verb of the tables with its levels, the suggested one first.
func entries() map[string][][]Level {
	out := map[string][][]Level{}
	for _, level := range Levels {
		for _, s := range strings.Split(single[level], ",") {
			if s = strings.Join(strings.Fields(s), " "); s != "" {
				out[s] = append(out[s], []Level{level})
			}
		}
	}
	for _, a := range ambiguous {
		out[a.verb] = append(out[a.verb], a.levels)
	}
	for _, v := range vague {
		out[v.verb] = append(out[v.verb], []Level{v.level})
	}
	return out
}

func TestEveryLevelHasARichVerbList(t *testing.T) {
	count := map[Level]int{}
	for base, e := range entries() {
		if len(e) > 1 {
			t.Errorf("%q is listed %d times", base, len(e))
		}
		count[e[0][0]]++
	}
	for _, l := range Levels {
		if count[l] < 30 {
			t.Errorf("%s suggests only %d verbs", l, count[l])
		}
	}
}

func TestAmbiguousVerbsHaveSeveralLevels(t *testing.T) {
	for _, a := range ambiguous {
		levels := slices.Clone(a.levels)
		slices.Sort(levels)
		if len(slices.Compact(levels)) < 2 {
			t.Errorf("%q: levels %v", a.verb, a.levels)
		}
		for _, l := range a.levels {
			if l.Rank() == 0 {
				t.Errorf("%q: unknown level %q", a.verb, l)
			}
		}
	}
}

// Two verbs may not share a written form, or one of them could never be found.
func TestIndexHasNoClashes(t *testing.T) {
	owner := map[string]string{}
	for base := range entries() {
		for _, spelled := range spellings(base) {
			for written := range inflect(spelled) {
				if other, ok := owner[written]; ok && other != base {
					t.Errorf("%q is a form of both %q and %q", written, other, base)
				}
				owner[written] = base
			}
		}
	}
	for _, w := range []string{"learners", "participants", "the", "will", "able", "to", "by"} {
		if _, ok := index[w]; ok {
			t.Errorf("%q is taken for a verb", w)
		}
	}
}

func TestInflect(t *testing.T) {
	tests := []struct {
		base string
		want []string
	}{
		{"identify", []string{"identify", "identifies", "identifying", "identified"}},
		{"use", []string{"use", "uses", "using", "used"}},
		{"plan", []string{"plans", "planning", "planned"}},
		{"model", []string{"modeling", "modelling", "modeled", "modelled"}},
		{"analyse", []string{"analyses", "analysing", "analysed"}},
		{"choose", []string{"chooses", "choosing", "chose", "chosen"}},
		{"carry out", []string{"carries out", "carrying out", "carried out"}},
		{"be aware of", []string{"is aware of", "are aware of", "being aware of"}},
		{"compare and contrast", []string{"comparing and contrasting", "compared and contrasted"}},
		{"survey", []string{"surveys", "surveyed"}},
		{"learn", []string{"learned", "learnt"}},
		{"set up", []string{"sets up", "setting up", "set up"}},
	}
	for _, tt := range tests {
		forms := inflect(tt.base)
		for _, w := range tt.want {
			if _, ok := forms[w]; !ok {
				t.Errorf("inflect(%q) lacks %q: %v", tt.base, w, forms)
			}
		}
	}
	if _, ok := inflect("choose")["choosed"]; ok {
		t.Error(`inflect("choose") makes "choosed"`)
	}
}

func TestBritishSpellings(t *testing.T) {
	for _, w := range []string{"analyse", "summarise", "organise", "prioritise", "recognise", "criticise",
		"categorise", "utilise", "memorise", "practise", "familiarise", "realise"} {
		f, ok := index[w]
		if !ok || f.spelled != w {
			t.Errorf("%q: %+v, %v", w, f, ok)
		}
	}
}
