package certificate

import (
	"math"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

func TestWrapBreaksAtSpacesAndInsideOnlyTooWideWords(t *testing.T) {
	t.Parallel()
	const size = 12
	cases := []struct {
		name  string
		text  string
		w     float64 // millimetres
		lines int     // 0: any number
	}{
		{"fits", "Fire safety", 80, 1},
		{"breaks at spaces", "Advanced occupational health and safety for warehouse supervisors", 60, 0},
		{"splits a word wider than the line", "Arbeitssicherheitsunterweisungsnachweis für Staplerfahrer", 40, 0},
		{"a character wider than the line stands alone", "WWW", 1, 3},
		{"Greek and Cyrillic", "Ηλέκτρα Παπαδοπούλου Дмитрий Иванов", 35, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := layout{newDocument(sample())} // a document measures with its own state
			lines := l.wrap(c.text, bold, size, c.w)
			if c.lines > 0 && len(lines) != c.lines {
				t.Errorf("%d lines %q, want %d", len(lines), lines, c.lines)
			}
			for _, line := range lines {
				if w := l.width(bold, size, line); w > c.w && len([]rune(line)) > 1 {
					t.Errorf("line %q is %.1f mm wide, more than %.0f", line, w, c.w)
				}
			}
			// Nothing is lost or added but the spaces the lines break at.
			nospace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
			if got := nospace(strings.Join(lines, "")); got != nospace(c.text) {
				t.Errorf("lines %q hold %q, want %q", lines, got, nospace(c.text))
			}
			words := strings.Fields(c.text)
			for _, word := range words {
				if l.width(bold, size, word) <= c.w && !strings.Contains(" "+strings.Join(lines, " ")+" ", " "+word+" ") {
					t.Errorf("%q fits on a line but was split: %q", word, lines)
				}
			}
		})
	}
}

func TestFitPrefersOneSmallerLineAndBalancesWrappedOnes(t *testing.T) {
	t.Parallel()
	l := layout{newDocument(sample())}
	st := style{font: bold, size: 20, minSize: 10, maxLines: 3}
	width := func(s string) float64 { return l.width(bold, 20, s) }

	// A little too wide at full size: one line, shrunk, rather than two.
	text := "Forklift safety refresher for warehouse staff"
	b := l.fit(text, st, width(text)*0.9)
	if len(b.lines) != 1 || b.size >= 20 || b.size < 15 {
		t.Errorf("%q at %.1f pt on %d lines, want one line between 15 and 20 pt", text, b.size, len(b.lines))
	}

	// Too wide for one line even when smaller: two lines at full size, of similar length,
	// rather than a full line and a short one.
	text = "Forklift safety refresher for warehouse staff and visiting drivers of the northern depot"
	b = l.fit(text, st, width(text)*0.7)
	if len(b.lines) != 2 || b.size != 20 {
		t.Fatalf("%q at %.1f pt on %d lines %q, want two lines at 20 pt", text, b.size, len(b.lines), b.lines)
	}
	if d := math.Abs(width(b.lines[0]) - width(b.lines[1])); d > width(text)*0.15 {
		t.Errorf("lines %q differ by %.1f mm of %.1f: not balanced", b.lines, d, width(text))
	}

	// Three full-size lines would fit, but they would be taller than maxHeight allows, so the
	// block takes smaller lines.
	text = strings.Repeat("Forklift safety ", 6)
	w := width(text) / 2.8
	if n := len(l.wrap(text, bold, 20, w)); n != 3 {
		t.Fatalf("%q takes %d lines at 20 pt, want 3 for this case to mean anything", text, n)
	}
	tall := st
	tall.maxHeight = 2.5 * 20 * leading * ptToMM
	if b = l.fit(text, tall, w); b.height() > tall.maxHeight || b.size >= 20 {
		t.Errorf("block is %.1f mm high at %.1f pt, want smaller than 20 pt and at most %.1f mm", b.height(), b.size, tall.maxHeight)
	}
}

// A capital with two stacked accents reaches above the line box. Wrapped under a line with
// descenders, the lines move apart rather than touch; ordinary text keeps its leading.
func TestStackedAccentsClearTheLineAbove(t *testing.T) {
	t.Parallel()
	f, err := sfnt.Parse(sansBold)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	upem := f.UnitsPerEm()
	bounds := func(r rune) fixed.Rectangle26_6 {
		i, err := f.GlyphIndex(&buf, r)
		if err != nil || i == 0 {
			t.Fatalf("no glyph for %q", r)
		}
		b, _, err := f.GlyphBounds(&buf, i, fixed.I(int(upem)), xfont.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// In ems: how far Ẩ reaches above its baseline and p below its own.
	need := float64(bounds('p').Max.Y-bounds('Ẩ').Min.Y) / 64 / float64(upem)
	if need <= leading {
		t.Fatalf("Ẩ under p needs %.2f em, no more than the leading: this case means nothing", need)
	}

	l := layout{newDocument(sample())}
	b := l.fit("Nguyễn Quỳnh gypgyp ẨN ẨN ẨN ẨN", nameStyle, 70)
	if len(b.lines) < 2 {
		t.Fatalf("%q on one line; want it wrapped", b.lines)
	}
	if b.spacing < need {
		t.Errorf("lines %q are %.2f em apart, want at least %.2f so that Ẩ clears p", b.lines, b.spacing, need)
	}
	plain := l.fit(strings.Repeat("Łukasz Wróblewski Zoë Ørsted Şebnem Ηλέκτρα Дмитрий Йосиф ", 3), nameStyle, textW)
	if len(plain.lines) < 2 || plain.spacing != leading {
		t.Errorf("ordinary text on %d lines %.2f em apart, want several at the leading %.2f", len(plain.lines), plain.spacing, leading)
	}
}
