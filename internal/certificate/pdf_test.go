package certificate

import (
	"bytes"
	"encoding/hex"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// This file reads a rendered certificate back the way a PDF viewer does: text through each
// font's ToUnicode map and positioned with the font's own widths, paths as the page paints
// them. Tests then judge what a person would see, not how the package built it.
//
// The PDF library parses the file, its objects and its content stream. Its own text decoding is
// not used: it applies a ToUnicode range by adding to the last byte only, which garbles every
// character above U+00FF under the single <0000>–<FFFF> range fpdf writes (Greek and Cyrillic
// names, Ł, Ş). The decoding below follows the PDF specification instead.

// pt is a point in PDF user space: points from the bottom left corner of the page.
type pt struct{ x, y float64 }

// box is an axis-aligned rectangle in user space.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) overlaps(c box) bool {
	return b.x0 < c.x1 && c.x0 < b.x1 && b.y0 < c.y1 && c.y0 < b.y1
}

func (b box) grow(d float64) box { return box{b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d} }

// run is one string shown on the page (one Tj), with the box its glyphs occupy.
type run struct {
	text string
	font string // the font's BaseFont
	size float64
	box  box
}

// page is what a reader finds in a certificate.
type page struct {
	count   int // pages in the document
	w, h    float64
	runs    []run
	fills   []box // filled subpaths (the QR code's modules, row by row)
	strokes []box // stroked segments (the frame's sides, the rules)
	links   []link
	info    map[string]string
}

// link is a link annotation: where a click goes, and the area that takes the click.
type link struct {
	uri  string
	area box
}

// font is what the reader needs of a page font: how codes map to text, and their widths.
type font struct {
	base            string
	toUnicode       func(code int) []rune
	widths          map[int]float64 // per code, in thousandths of the font size
	defaultWidth    float64
	ascent, descent float64 // thousandths; descent is negative
}

func readPage(t *testing.T, b []byte) page {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF a reader can open: %v", err)
	}
	p := page{count: r.NumPage(), info: map[string]string{}}
	info := r.Trailer().Key("Info")
	for _, k := range info.Keys() {
		p.info[k] = info.Key(k).Text()
	}
	pg := r.Page(1)
	media := pg.V.Key("MediaBox")
	if media.IsNull() {
		media = pg.V.Key("Parent").Key("MediaBox")
	}
	p.w = media.Index(2).Float64() - media.Index(0).Float64()
	p.h = media.Index(3).Float64() - media.Index(1).Float64()
	annots := pg.V.Key("Annots")
	for i := range annots.Len() {
		a := annots.Index(i)
		r := a.Key("Rect")
		p.links = append(p.links, link{a.Key("A").Key("URI").RawString(), bounds([]pt{
			{r.Index(0).Float64(), r.Index(1).Float64()}, {r.Index(2).Float64(), r.Index(3).Float64()}})})
	}

	fonts := map[string]*font{}
	res := pg.V.Key("Resources").Key("Font")
	for _, name := range res.Keys() {
		fonts[name] = readFont(t, res.Key(name))
	}

	var (
		cur      *font
		size     float64
		tm       pt // text position set by Td
		path     [][]pt
		operands []pdf.Value
	)
	pdf.Interpret(pg.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		operands = operands[:0]
		for stk.Len() > 0 {
			operands = append([]pdf.Value{stk.Pop()}, operands...)
		}
		num := func(i int) float64 { return operands[i].Float64() }
		switch op {
		case "Tf":
			cur, size = fonts[operands[0].Name()], num(1)
			if cur == nil {
				t.Fatalf("content uses font %s, which the page does not have", operands[0].Name())
			}
		case "BT":
			tm = pt{}
		case "Td":
			tm = pt{tm.x + num(0), tm.y + num(1)}
		case "Tj":
			p.runs = append(p.runs, show(cur, size, tm, operands[0].RawString()))
		case "TJ", "'", `"`, "Tm", "TD", "T*", "cm":
			t.Fatalf("content uses %s, which this reader does not follow", op)
		case "m":
			path = append(path, []pt{{num(0), num(1)}})
		case "l":
			last := len(path) - 1
			path[last] = append(path[last], pt{num(0), num(1)})
		case "re":
			x, y, w, h := num(0), num(1), num(2), num(3)
			path = append(path, []pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}})
		case "S":
			for _, sub := range path {
				for i := 1; i < len(sub); i++ {
					p.strokes = append(p.strokes, bounds(sub[i-1:i+1]))
				}
			}
			path = nil
		case "f", "F", "f*":
			for _, sub := range path {
				p.fills = append(p.fills, bounds(sub))
			}
			path = nil
		case "n", "B", "B*", "b", "b*", "s":
			path = nil
		}
	})
	return p
}

func bounds(pts []pt) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, q := range pts {
		b = box{min(b.x0, q.x), min(b.y0, q.y), max(b.x1, q.x), max(b.y1, q.y)}
	}
	return b
}

// show decodes a shown string into text and measures it as a viewer lays it out.
func show(f *font, size float64, at pt, raw string) run {
	if len(raw)%2 != 0 {
		panic("odd-length string in a two-byte font")
	}
	var text []rune
	w := 0.0
	for i := 0; i < len(raw); i += 2 {
		code := int(raw[i])<<8 | int(raw[i+1])
		text = append(text, f.toUnicode(code)...)
		if cw, ok := f.widths[code]; ok {
			w += cw
		} else {
			w += f.defaultWidth
		}
	}
	k := size / 1000
	return run{
		text: string(text), font: f.base, size: size,
		box: box{at.x, at.y + f.descent*k, at.x + w*k, at.y + f.ascent*k},
	}
}

func readFont(t *testing.T, v pdf.Value) *font {
	t.Helper()
	if v.Key("Subtype").Name() != "Type0" || v.Key("Encoding").Name() != "Identity-H" {
		t.Fatalf("font %s is %s/%s; the certificate should use Identity-H Type0 fonts for Unicode text",
			v.Key("BaseFont").Name(), v.Key("Subtype").Name(), v.Key("Encoding").Name())
	}
	cid := v.Key("DescendantFonts").Index(0)
	desc := cid.Key("FontDescriptor")
	f := &font{
		base:         v.Key("BaseFont").Name(),
		widths:       map[int]float64{},
		defaultWidth: 1000,
		ascent:       desc.Key("Ascent").Float64(),
		descent:      desc.Key("Descent").Float64(),
	}
	if dw := cid.Key("DW"); !dw.IsNull() {
		f.defaultWidth = dw.Float64()
	}
	// W is a list of "c [w1 w2 …]" (widths from code c on) and "c1 c2 w" (one width for a range).
	ws := cid.Key("W")
	for i := 0; i < ws.Len(); {
		c := int(ws.Index(i).Int64())
		if next := ws.Index(i + 1); next.Kind() == pdf.Array {
			for j := range next.Len() {
				f.widths[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last, w := int(ws.Index(i+1).Int64()), ws.Index(i+2).Float64()
		for code := c; code <= last; code++ {
			f.widths[code] = w
		}
		i += 3
	}
	f.toUnicode = readToUnicode(t, f.base, v.Key("ToUnicode"))
	return f
}

var (
	cmapSection = regexp.MustCompile(`(?s)begin(bfchar|bfrange)(.*?)end(?:bfchar|bfrange)`)
	cmapHex     = regexp.MustCompile(`<([0-9A-Fa-f]*)>`)
)

// readToUnicode reads a ToUnicode CMap's bfchar and bfrange entries. In a range, the code's
// offset from the start of the range is added to the whole destination value (PDF 32000-1
// 9.10.3), not to its last byte.
func readToUnicode(t *testing.T, base string, v pdf.Value) func(int) []rune {
	t.Helper()
	if v.IsNull() {
		t.Fatalf("font %s has no ToUnicode map: its text cannot be copied or searched", base)
	}
	src, err := io.ReadAll(v.Reader())
	if err != nil {
		t.Fatalf("read the ToUnicode map of %s: %v", base, err)
	}
	type span struct {
		lo, hi int
		dst    []uint16
	}
	var spans []span
	units := func(h string) []uint16 {
		b, err := hex.DecodeString(h)
		if err != nil || len(b)%2 != 0 {
			t.Fatalf("ToUnicode of %s: bad hex <%s>", base, h)
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return u
	}
	code := func(h string) int {
		n := 0
		for _, u := range units(h) {
			n = n<<16 | int(u)
		}
		return n
	}
	for _, sec := range cmapSection.FindAllStringSubmatch(string(src), -1) {
		hexes := cmapHex.FindAllStringSubmatch(sec[2], -1)
		per := 3
		if sec[1] == "bfchar" {
			per = 2
		}
		if len(hexes)%per != 0 {
			t.Fatalf("ToUnicode of %s: a %s entry this reader does not follow:%s", base, sec[1], sec[2])
		}
		for i := 0; i < len(hexes); i += per {
			lo := code(hexes[i][1])
			if per == 2 {
				spans = append(spans, span{lo, lo, units(hexes[i+1][1])})
			} else {
				spans = append(spans, span{lo, code(hexes[i+1][1]), units(hexes[i+2][1])})
			}
		}
	}
	return func(c int) []rune {
		for _, s := range spans {
			if c >= s.lo && c <= s.hi {
				dst := append([]uint16(nil), s.dst...)
				dst[len(dst)-1] += uint16(c - s.lo)
				return utf16.Decode(dst)
			}
		}
		return []rune{'\uFFFD'}
	}
}

// texts returns the page's strings in the order they are drawn.
func (p page) texts() []string {
	s := make([]string, len(p.runs))
	for i, r := range p.runs {
		s[i] = r.text
	}
	return s
}

// shows reports whether s is on the page, whole: on one line, wrapped at spaces over several,
// or (a URL, a number) broken inside a word.
func (p page) shows(s string) bool {
	return strings.Contains(strings.Join(p.texts(), " "), s) || strings.Contains(strings.Join(p.texts(), ""), s)
}

// between returns the runs after the first run that is after and before the next that starts
// with before: the lines of one block.
func (p page) between(after, before string) []run {
	var out []run
	in := false
	for _, r := range p.runs {
		switch {
		case !in && r.text == after:
			in = true
		case in && strings.HasPrefix(r.text, before):
			return out
		case in:
			out = append(out, r)
		}
	}
	return nil
}

func joined(runs []run) string {
	s := make([]string, len(runs))
	for i, r := range runs {
		s[i] = r.text
	}
	return strings.Join(s, " ")
}

// qr is the QR code's square and its module size, from the filled rectangles.
func (p page) qr() (box, float64) {
	if len(p.fills) == 0 {
		return box{}, 0
	}
	all := p.fills[0]
	module := math.Inf(1)
	for _, f := range p.fills {
		all = box{min(all.x0, f.x0), min(all.y0, f.y0), max(all.x1, f.x1), max(all.y1, f.y1)}
		module = min(module, f.y1-f.y0) // each rectangle is one row of modules high
	}
	return all, module
}

// decodeQR paints the filled rectangles on white, as a printer would, and reads the QR code
// from the picture.
func (p page) decodeQR() (string, error) {
	sq, _ := p.qr()
	const scale, margin = 6.0, 48 // pixels per point; white border in pixels
	w := int(math.Ceil((sq.x1-sq.x0)*scale)) + 2*margin
	h := int(math.Ceil((sq.y1-sq.y0)*scale)) + 2*margin
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	for _, f := range p.fills {
		// Device pixels count from the top; user space from the bottom.
		r := image.Rect(
			margin+int(math.Round((f.x0-sq.x0)*scale)), margin+int(math.Round((sq.y1-f.y1)*scale)),
			margin+int(math.Round((f.x1-sq.x0)*scale)), margin+int(math.Round((sq.y1-f.y0)*scale)))
		draw.Draw(img, r, image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
