package certificate

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in millimetres: A4 landscape, a double frame, and the text kept well inside it
// so that a printer's unprintable edge never touches anything.
const (
	pageW = 297.0
	pageH = 210.0

	frameOuter = 9.0  // inset of the heavy outer frame line
	frameInner = 12.0 // inset of the thin inner line

	textLeft  = 28.0
	textRight = pageW - 28.0
	textW     = textRight - textLeft

	mainTop     = 22.0  // the main block is centred between mainTop and the footer
	mainGap     = 6.0   // at least this much space between the main block and the footer's rule
	footerTop   = 150.0 // the footer's rule, unless long facts push it up
	footerPad   = 4.0   // space between the footer's rule and its first line
	footerLimit = 193.0 // the footer's text ends above this, five millimetres inside the frame
	qrSize      = 32.0
	qrTop       = 159.0 // seven millimetres above the inner frame: more than the quiet zone
	qrLeft      = textRight - qrSize
	gridW       = qrLeft - 8 - textLeft // the footer's facts and the URL stay left of the QR code

	ptToMM  = 25.4 / 72
	leading = 1.22 // line height as a multiple of the font size
)

// Colours: one dark blue for the heading and the title, a muted gold for the frame and the rule,
// and greys for the text around them. All print well in black and white too.
var (
	blue  = rgb{31, 62, 94}
	gold  = rgb{166, 134, 64}
	ink   = rgb{33, 33, 33}
	muted = rgb{95, 99, 104}
)

type rgb struct{ r, g, b int }

// style is a font and colour for one piece of text, and how far it may shrink and wrap.
type style struct {
	font     string // regular, bold or italic
	size     float64
	minSize  float64 // 0: never shrinks
	maxLines int     // 0 or 1: one line
	// maxHeight, when set, bounds the block's height in millimetres, so that many lines must
	// also be smaller ones and the page keeps room for everything else.
	maxHeight float64
	color     rgb
	// truncate allows cutting with an ellipsis when even the smallest size needs too many
	// lines; the number and the URL are never cut, validation keeps them short enough instead.
	truncate bool
}

// block is text fitted to a width: its lines at the size they fit at, their baselines spacing
// times the size apart.
type block struct {
	style
	size    float64
	lines   []string
	spacing float64
}

func (b block) lineHeight() float64 { return b.size * leading * ptToMM }
func (b block) height() float64     { return blockHeight(len(b.lines), b.size, b.spacing) }

// blockHeight runs from the top of the first line to the bottom of the last.
func blockHeight(lines int, size, spacing float64) float64 {
	if lines == 0 {
		return 0
	}
	return (leading + float64(lines-1)*spacing) * size * ptToMM
}

// layout fits text to widths, measuring with the document's fonts, and draws fitted text.
type layout struct{ pdf *fpdf.Fpdf }

func (l layout) width(font string, size float64, s string) float64 {
	l.pdf.SetFont(family, font, size)
	return l.pdf.GetStringWidth(s)
}

// fit finds the largest size, in half points, at which s fits in width w. Fewer lines win while
// the text stays at three quarters of its size or more: a name is better on one line in a
// slightly smaller size than broken over two. Wrapped lines are then balanced, so a title
// breaks into two similar lines rather than a full line and a word.
func (l layout) fit(s string, st style, w float64) block {
	maxLines := max(st.maxLines, 1)
	minSize := st.minSize
	if minSize == 0 || minSize > st.size {
		minSize = st.size
	}
	spacing := lineSpacing(st.font, s)
	for n := 1; n <= maxLines; n++ {
		floor := max(minSize, st.size*0.75)
		if n == maxLines {
			floor = minSize
		}
		for size := st.size; size >= floor; size -= 0.5 {
			lines := l.wrap(s, st.font, size, w)
			if len(lines) <= n && (st.maxHeight == 0 || blockHeight(len(lines), size, spacing) <= st.maxHeight) {
				return block{st, size, l.balance(s, st.font, size, w, lines), spacing}
			}
		}
	}
	lines := l.wrap(s, st.font, minSize, w)
	if len(lines) > maxLines && st.truncate {
		lines = l.cut(lines, maxLines, st.font, minSize, w)
	}
	return block{st, minSize, lines, spacing}
}

// wrap breaks s into lines no wider than w, at spaces where it can and inside a word only when
// the word alone is wider than a line (a URL, a long compound name).
func (l layout) wrap(s, font string, size, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if l.width(font, size, candidate) <= w {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
		for l.width(font, size, line) > w {
			head, tail := l.split(line, font, size, w)
			lines = append(lines, head)
			line = tail
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// split cuts a word that does not fit into the longest head that does and the rest.
func (l layout) split(word, font string, size, w float64) (string, string) {
	r := []rune(word)
	n := max(len(r)-1, 1)
	for n > 1 && l.width(font, size, string(r[:n])) > w {
		n--
	}
	return string(r[:n]), string(r[n:])
}

// balance narrows the width as far as the text keeps its number of lines without breaking a
// word it did not break before, so the lines come out of similar length.
func (l layout) balance(s, font string, size, w float64, lines []string) []string {
	if len(lines) < 2 {
		return lines
	}
	joined := strings.Join(lines, " ")
	lo, hi := w/2, w
	best := lines
	for range 12 {
		mid := (lo + hi) / 2
		if got := l.wrap(s, font, size, mid); len(got) <= len(lines) && strings.Join(got, " ") == joined {
			best, hi = got, mid
		} else {
			lo = mid
		}
	}
	return best
}

// cut keeps n lines and ends the last with an ellipsis.
func (l layout) cut(lines []string, n int, font string, size, w float64) []string {
	last := []rune(strings.Join(lines[n-1:], " "))
	for len(last) > 0 && l.width(font, size, strings.TrimRight(string(last), " ")+"…") > w {
		last = last[:len(last)-1]
	}
	out := append([]string(nil), lines[:n-1]...)
	return append(out, strings.TrimRight(string(last), " ")+"…")
}

// text draws b with the top of its first line at y, aligned as a placed block says.
func (l layout) text(b block, x, y float64, align string) {
	pdf := l.pdf
	pdf.SetFont(family, b.font, b.size)
	pdf.SetTextColor(b.color.r, b.color.g, b.color.b)
	desc := pdf.GetFontDesc(family, b.font)
	// The baseline sits so that ascent and descent are centred in the line height.
	glyphs := float64(desc.Ascent-desc.Descent) / 1000 * b.size * ptToMM
	baseline := (b.lineHeight()-glyphs)/2 + float64(desc.Ascent)/1000*b.size*ptToMM
	for _, line := range b.lines {
		w := pdf.GetStringWidth(line)
		left := x
		if align == "C" {
			left = x - w/2
		}
		pdf.Text(left, y+baseline, line)
		y += b.spacing * b.size * ptToMM
	}
}
