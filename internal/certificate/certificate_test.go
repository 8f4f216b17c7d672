package certificate

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"github.com/learnloop/learnloop/internal/core"
)

func mm(v float64) float64 { return v * 72 / 25.4 }

func score(n int) *int { return &n }

// sample is a complete certificate; cases change what they are about.
func sample() Data {
	return Data{
		Number:       "NWD-2026-7F3K9Q",
		Recipient:    "Łukasz Wróblewski",
		Title:        "Forklift safety refresher",
		Kind:         KindCourse,
		Organization: "Northwind Logistics",
		IssuedOn:     core.Date{Year: 2026, Month: 3, Day: 12},
		VerifyURL:    "https://learn.example.com/certificates/verify/7F3K9QX2B8",
	}
}

// render renders d, reads it back and checks what must hold for every certificate: one A4
// landscape page; the name, number and URL on it; every text inside the page, clear of every
// other text and of every line; a QR code that scans to the verification URL with its quiet
// zone free; the URL as a link; the creation date taken from the completion date.
func render(t *testing.T, d Data) page {
	t.Helper()
	b, err := Render(d)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	p := readPage(t, b)
	if p.count != 1 {
		t.Errorf("%d pages, want 1", p.count)
	}
	if math.Abs(p.w-841.89) > 0.01 || math.Abs(p.h-595.28) > 0.01 {
		t.Errorf("page is %.2f × %.2f pt, want A4 landscape 841.89 × 595.28", p.w, p.h)
	}
	for _, s := range []string{d.Number, d.VerifyURL} {
		if !p.shows(s) {
			t.Errorf("%q is not on the page:\n%s", s, strings.Join(p.texts(), "\n"))
		}
	}

	inside := box{mm(15), mm(15), p.w - mm(15), p.h - mm(15)}
	for i, r := range p.runs {
		if r.box.x0 < inside.x0 || r.box.y0 < inside.y0 || r.box.x1 > inside.x1 || r.box.y1 > inside.y1 {
			t.Errorf("%q (%.1f pt) reaches %+v, outside the 15 mm margin %+v", r.text, r.size, r.box, inside)
		}
		for _, o := range p.runs[i+1:] {
			if r.box.grow(-0.2).overlaps(o.box.grow(-0.2)) {
				t.Errorf("%q overlaps %q: %+v and %+v", r.text, o.text, r.box, o.box)
			}
		}
		for _, s := range p.strokes {
			if r.box.overlaps(s.grow(0.5)) {
				t.Errorf("%q touches the line %+v", r.text, s)
			}
		}
	}

	got, err := p.decodeQR()
	if err != nil || got != d.VerifyURL {
		t.Errorf("QR code reads %q (%v), want %q", got, err, d.VerifyURL)
	}
	sq, module := p.qr()
	if w, h := sq.x1-sq.x0, sq.y1-sq.y0; w < mm(25) || math.Abs(w-h) > 0.1 {
		t.Errorf("QR code is %.1f × %.1f mm, want a square of at least 25 mm", w*25.4/72, h*25.4/72)
	}
	quiet := sq.grow(4*module - 0.1)
	for _, r := range p.runs {
		if r.box.overlaps(quiet) {
			t.Errorf("%q is inside the QR code's quiet zone", r.text)
		}
	}
	for _, s := range p.strokes {
		if s.overlaps(quiet) {
			t.Errorf("the line %+v is inside the QR code's quiet zone", s)
		}
	}
	// Both the printed URL and the QR code open the verification page when clicked.
	var urlText []box
	for _, r := range p.between("Check that this certificate is genuine at", "Scan to verify") {
		urlText = append(urlText, r.box)
	}
	for name, want := range map[string][]box{"the URL": urlText, "the QR code": {sq}} {
		linked := len(want) > 0
		for _, w := range want {
			covered := false
			for _, l := range p.links {
				covered = covered || (l.uri == d.VerifyURL && contains(l.area.grow(1), w))
			}
			linked = linked && covered
		}
		if !linked {
			t.Errorf("%s at %+v is not a link to %s: links %+v", name, want, d.VerifyURL, p.links)
		}
	}
	if len(p.links) != 2 {
		t.Errorf("%d links, want 2: %+v", len(p.links), p.links)
	}
	if want := "D:" + strings.ReplaceAll(d.IssuedOn.String(), "-", "") + "000000"; p.info["CreationDate"] != want {
		t.Errorf("CreationDate %q, want %q", p.info["CreationDate"], want)
	}
	return p
}

func contains(outer, inner box) bool {
	return outer.x0 <= inner.x0 && outer.y0 <= inner.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1
}

func TestRenderShowsTheCertificate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*Data)
		want  []string
		never []string
	}{
		{
			name: "course with every detail",
			edit: func(d *Data) {
				d.ExpiresOn = core.Date{Year: 2028, Month: 3, Day: 12}
				d.Score = score(92)
				d.Hours = 6.5
				d.Skills = []string{"Safe load handling", "Pallet stacking", "Hazard spotting"}
			},
			want: []string{"Northwind Logistics", "Certificate of completion", "Łukasz Wróblewski", "has completed the course",
				"Forklift safety refresher", "Date of completion", "12 March 2026", "Valid until", "12 March 2028",
				"Final test score", "92%", "Learning time", "6.5 hours", "Safe load handling · Pallet stacking · Hazard spotting"},
		},
		{
			name:  "learning path without optional details",
			edit:  func(d *Data) { d.Recipient, d.Kind, d.Organization = "Zoë Ørsted", KindPath, "" },
			want:  []string{"Zoë Ørsted", "has completed the learning path", "12 March 2026"},
			never: []string{"has completed the course", "Valid until", "Final test score", "Learning time", "Skills developed", "Northwind"},
		},
		{
			name: "a score of zero is still a score",
			edit: func(d *Data) { d.Recipient, d.Score, d.Hours = "Şebnem Yılmaz", score(0), 1 },
			want: []string{"Şebnem Yılmaz", "Final test score", "0%", "1 hour"},
		},
		{
			name: "Greek",
			edit: func(d *Data) {
				d.Recipient, d.Title = "Ηλέκτρα Παπαδοπούλου", "Ασφάλεια στην αποθήκη"
			},
			want: []string{"Ηλέκτρα Παπαδοπούλου", "Ασφάλεια στην αποθήκη"},
		},
		{
			name: "Cyrillic, with more skills than are shown",
			edit: func(d *Data) {
				d.Recipient, d.Title = "Дмитрий Иванов", "Охрана труда"
				d.Skills = []string{"Один", "Два", "Три", "Четыре", "Пять", "Шесть", "Семь", "Восемь"}
			},
			want:  []string{"Дмитрий Иванов", "Охрана труда", "Один · Два · Три · Четыре · Пять and 3 more"},
			never: []string{"Шесть"},
		},
		{
			name: "Vietnamese",
			edit: func(d *Data) {
				d.Recipient, d.Title, d.Organization = "Nguyễn Hương", "An toàn vận hành xe nâng", "Công ty Đặng Đức"
				d.Skills = []string{"Xếp dỡ hàng hóa", "Sơ cứu"}
			},
			want: []string{"Nguyễn Hương", "An toàn vận hành xe nâng", "Công ty Đặng Đức", "Xếp dỡ hàng hóa · Sơ cứu"},
		},
		{name: "Vietnamese: Đặng Đức", edit: func(d *Data) { d.Recipient = "Đặng Đức" }, want: []string{"Đặng Đức"}},
		{name: "Vietnamese: Trần Thu", edit: func(d *Data) { d.Recipient = "Trần Thu" }, want: []string{"Trần Thu"}},
		{name: "Vietnamese: Phạm Minh Anh", edit: func(d *Data) { d.Recipient = "Phạm Minh Anh" }, want: []string{"Phạm Minh Anh"}},
		{name: "Vietnamese: Hoàng Vũ", edit: func(d *Data) { d.Recipient = "Hoàng Vũ" }, want: []string{"Hoàng Vũ"}},
		{
			name: "white space in the input is tidied",
			edit: func(d *Data) { d.Recipient, d.Title = "  Zoë \n Ørsted ", "Fire\tsafety\n" },
			want: []string{"Zoë Ørsted", "Fire safety"},
		},
		{
			name: "accents typed as separate marks are composed",
			edit: func(d *Data) { d.Recipient = "Zoe\u0308 \u00d8rsted" },
			want: []string{"Zo\u00eb \u00d8rsted"},
		},
		{
			// Vietnamese typed with a keyboard that sends marks separately, often two per letter.
			name: "Vietnamese typed as separate marks is composed",
			edit: func(d *Data) { d.Recipient = norm.NFD.String("Nguyễn Hương") },
			want: []string{"Nguy\u1ec5n H\u01b0\u01a1ng"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := sample()
			c.edit(&d)
			p := render(t, d)
			for _, s := range c.want {
				if !p.shows(s) {
					t.Errorf("%q is not on the page:\n%s", s, strings.Join(p.texts(), "\n"))
				}
			}
			for _, s := range c.never {
				if p.shows(s) {
					t.Errorf("%q is on the page and should not be", s)
				}
			}
		})
	}
}

const longName = "Maria Fernanda de los Ángeles Łukasz-Wróblewska von Ørsted-Yılmaz Παπαδοπούλου Ивановна"

// longest fills every field of d to its longest.
func longest(d *Data) {
	d.Recipient = strings.Repeat(longName+" ", 4)
	d.Title = strings.Repeat("Forklift safety refresher ", 80)
	d.Organization = strings.Repeat("Northwind Logistics International ", 10)
	// ᙲ is the widest character in DejaVu Sans Bold that the certificate accepts, @ the widest
	// for its bytes in DejaVu Sans: the number and the URL at their widest, which must still fit
	// whole.
	d.Number = strings.Repeat("ᙲ", MaxNumberLen)
	d.VerifyURL = "https://learn.example.com/certificates/verify/" + strings.Repeat("@", MaxVerifyURLLen-46)
	d.ExpiresOn = core.Date{Year: 2099, Month: 12, Day: 31}
	d.Score = score(100)
	d.Hours = 12345.6
	d.Skills = []string{strings.Repeat("Hazardous goods storage ", 10), "Pallet stacking", "Incident reporting", "First aid", "Racking inspection", "Team briefing", "Loading"}
}

func TestLongTextShrinksOrWrapsInsideThePage(t *testing.T) {
	t.Parallel()
	title200 := strings.Repeat("Warehouse racking inspection ", 7)[:200]
	// shape is how a block should come out: on so many lines, at a size from min to max points,
	// and whole or (cut) its start with an ellipsis.
	type shape struct {
		lines    int
		min, max float64
		cut      bool
	}
	fullName, fullTitle := shape{1, 34, 34, false}, shape{1, 22, 22, false}
	cases := []struct {
		name       string
		edit       func(*Data)
		recipient  shape
		title      shape
		alsoOnPage []string
	}{
		{"short name at full size", func(*Data) {}, fullName, fullTitle, nil},
		{"a longer name shrinks onto one line", func(d *Data) { d.Recipient = "Maria Fernanda de los Ángeles Wróblewska" },
			shape{1, 25.5, 33.5, false}, fullTitle, nil},
		{"a very long name wraps", func(d *Data) { d.Recipient = longName }, shape{2, 18, 34, false}, fullTitle, nil},
		{"a 200-character title wraps whole", func(d *Data) { d.Title = title200 }, fullName, shape{3, 12, 22, false}, nil},
		{"an absurd title is cut with an ellipsis", func(d *Data) { d.Title = strings.Repeat("Forklift safety refresher ", 80) },
			fullName, shape{4, 12, 12, true}, nil},
		{"a word longer than a line breaks inside it", func(d *Data) { d.Title = strings.Repeat("Sicherheitsunterweisung", 6) },
			fullName, shape{3, 12, 22, false}, nil},
		{"everything at its longest at once", longest, shape{3, 18, 18, true}, shape{4, 12, 12, true},
			[]string{"12345.6 hours", "100%", "31 December 2099"}},
		{
			// Capitals with stacked accents push wrapped lines apart; the page must still hold it all.
			"everything at its longest, in Vietnamese with stacked accents",
			func(d *Data) {
				longest(d)
				d.Recipient = strings.Repeat("Nguyễn Thị Phương Thảo ẨN ỔN Đặng Hoàng Yến ", 6)
				d.Title = strings.Repeat("Ổn định quy trình xếp dỡ hàng ", 40)
				d.Organization = strings.Repeat("Công ty Cổ phần Ẩm thực Quảng Ngãi ", 10)
				d.Skills[0] = strings.Repeat("Ẩn họa kho hàng ", 15)
			},
			shape{3, 18, 18, true}, shape{4, 12, 12, true},
			[]string{"12345.6 hours", "100%", "31 December 2099"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := sample()
			c.edit(&d)
			p := render(t, d)
			check := func(what, text string, lines []run, want shape) {
				t.Helper()
				if len(lines) != want.lines {
					t.Errorf("%s on %d lines %q, want %d", what, len(lines), joined(lines), want.lines)
				}
				for _, l := range lines {
					if l.size < want.min || l.size > want.max {
						t.Errorf("%s at %.1f pt, want %.1f to %.1f", what, l.size, want.min, want.max)
					}
				}
				got := joined(lines)
				if want.cut {
					if !strings.HasSuffix(got, "…") || !strings.HasPrefix(squash(text), strings.TrimSuffix(got, "…")) {
						t.Errorf("%s %q, want the start of it cut with an ellipsis", what, got)
					}
				} else if !p.shows(squash(text)) {
					t.Errorf("%s is not whole on the page: %q", what, got)
				}
			}
			check("name", d.Recipient, p.between("This is to certify that", "has completed the "+d.Kind), c.recipient)
			title := p.between("has completed the "+d.Kind, "Skills developed: ")
			if len(d.Skills) == 0 {
				title = p.between("has completed the "+d.Kind, "Certificate number")
			}
			check("title", d.Title, title, c.title)
			for _, s := range c.alsoOnPage {
				if !p.shows(s) {
					t.Errorf("%q is not on the page", s)
				}
			}
		})
	}
}

func TestQRCodeHoldsShortAndLongURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"http://l.ex/1", // short enough for the smallest code: the biggest modules, the widest quiet zone
		"https://learn.example.com/certificates/verify/7F3K9QX2B8",
		"https://learn.example.com/certificates/verify/" + strings.Repeat("9", MaxVerifyURLLen-46),
	} {
		t.Run(fmt.Sprint(len(u)), func(t *testing.T) {
			t.Parallel()
			d := sample()
			d.VerifyURL = u
			render(t, d) // decodes the code and checks its size and quiet zone
		})
	}
}

func TestRenderRefusesInvalidData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*Data)
		field string
	}{
		{"no recipient", func(d *Data) { d.Recipient = "" }, "Recipient"},
		{"a recipient of spaces", func(d *Data) { d.Recipient = " \t\n" }, "Recipient"},
		{"no title", func(d *Data) { d.Title = "" }, "Title"},
		{"no number", func(d *Data) { d.Number = "" }, "Number"},
		{"a number too long to print whole", func(d *Data) { d.Number = strings.Repeat("7", MaxNumberLen+1) }, "Number"},
		{"no verification URL", func(d *Data) { d.VerifyURL = "" }, "VerifyURL"},
		{"a relative URL", func(d *Data) { d.VerifyURL = "/certificates/verify/7F3K9Q" }, "VerifyURL"},
		{"a URL without a host", func(d *Data) { d.VerifyURL = "https:///verify/7F3K9Q" }, "VerifyURL"},
		{"a URL of another scheme", func(d *Data) { d.VerifyURL = "ftp://learn.example.com/verify/7F3K9Q" }, "VerifyURL"},
		{"a script URL", func(d *Data) { d.VerifyURL = "javascript:alert(1)" }, "VerifyURL"},
		{"a URL with a space", func(d *Data) { d.VerifyURL = "https://learn.example.com/verify/7F3 K9Q" }, "VerifyURL"},
		{"a URL too long to scan", func(d *Data) {
			d.VerifyURL = "https://learn.example.com/v/" + strings.Repeat("x", MaxVerifyURLLen)
		}, "VerifyURL"},
		{"an unknown kind", func(d *Data) { d.Kind = "webinar" }, "Kind"},
		{"no kind", func(d *Data) { d.Kind = "" }, "Kind"},
		{"no completion date", func(d *Data) { d.IssuedOn = core.Date{} }, "IssuedOn"},
		{"expiry before completion", func(d *Data) { d.ExpiresOn = core.Date{Year: 2026, Month: 3, Day: 11} }, "ExpiresOn"},
		{"expiry on the day of completion", func(d *Data) { d.ExpiresOn = d.IssuedOn }, "ExpiresOn"},
		{"a score over 100", func(d *Data) { d.Score = score(101) }, "Score"},
		{"a negative score", func(d *Data) { d.Score = score(-1) }, "Score"},
		{"negative hours", func(d *Data) { d.Hours = -1 }, "Hours"},
		{"hours that are not a number", func(d *Data) { d.Hours = math.NaN() }, "Hours"},
		{"infinite hours", func(d *Data) { d.Hours = math.Inf(1) }, "Hours"},
		{"a name the fonts cannot draw", func(d *Data) { d.Recipient = "李小龍" }, "Recipient"},
		{"an emoji in the title", func(d *Data) { d.Title = "Forklift safety 🚜" }, "Title"},
		// The regular and bold fonts have Tifinagh, the oblique does not.
		{"a script only some styles have", func(d *Data) { d.Title = "ⵜⴰⵎⴰⵣⵉⵖⵜ" }, "Title"},
		// The fonts have Hebrew and, in two styles, Arabic, but the page would print them reversed.
		{"a name written right to left", func(d *Data) { d.Recipient = "שרה כהן" }, "Recipient"},
		{"an Arabic name", func(d *Data) { d.Recipient = "ليلى" }, "Recipient"},
		// Ọ with a grave accent has no precomposed letter; the mark would collide with the Ọ.
		{"an accent that does not compose", func(d *Data) { d.Recipient = "O\u0323\u0300la" }, "Recipient"},
		{"a control character in a skill", func(d *Data) { d.Skills = []string{"Stacking\x00"} }, "Skills"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := sample()
			c.edit(&d)
			b, err := Render(d)
			if err == nil {
				t.Fatalf("rendered %d bytes, want an error about %s", len(b), c.field)
			}
			e := core.AsError(err)
			if e == nil || e.Code != core.EINVALID || e.Field != c.field {
				t.Fatalf("error %#v, want EINVALID for field %s", err, c.field)
			}
			if b != nil {
				t.Error("returned a PDF with the error")
			}
		})
	}

	// Every fault is reported at once, so a form can show them all.
	_, err := Render(Data{Kind: KindCourse, IssuedOn: core.Date{Year: 2026, Month: 1, Day: 1}})
	e := core.AsError(err)
	if e == nil {
		t.Fatalf("empty data: %v", err)
	}
	for _, f := range []string{"Number", "Recipient", "Title", "VerifyURL"} {
		if e.Fields[f] == "" {
			t.Errorf("no message for %s in %v", f, e.Fields)
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	t.Parallel()
	d := sample()
	d.Score, d.Hours, d.Skills = score(92), 6.5, []string{"Safe load handling", "Pallet stacking"}
	d.ExpiresOn = core.Date{Year: 2028, Month: 3, Day: 12}
	first, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	// Concurrent renders also show that nothing is shared between documents.
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Go(func() { results[i], _ = Render(d) })
	}
	wg.Wait()
	for i, b := range results {
		if !bytes.Equal(b, first) {
			t.Fatalf("render %d differs from the first (%d and %d bytes)", i, len(b), len(first))
		}
	}
	other := d
	other.Recipient = "Zoë Ørsted"
	if b, _ := Render(other); bytes.Equal(b, first) {
		t.Error("a different recipient gave the same bytes")
	}
}

// The styles cover different characters; hasGlyph must hold for each of them, or a character
// accepted for a bold name would print as a box.
func TestHasGlyphHoldsForEveryStyle(t *testing.T) {
	t.Parallel()
	var parsed []*sfnt.Font
	for _, f := range fonts {
		p, err := sfnt.Parse(f.ttf)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, p)
	}
	var b sfnt.Buffer
	inSome := 0
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r == ' ' {
			continue // drawable whatever the fonts say
		}
		all, some := true, false
		for _, f := range parsed {
			i, err := f.GlyphIndex(&b, r)
			has := err == nil && i != 0
			all, some = all && has, some || has
		}
		if all != hasGlyph(&b, r) {
			t.Errorf("%U: in every style %v, hasGlyph %v", r, all, hasGlyph(&b, r))
		}
		if some && !all {
			inSome++
		}
	}
	if inSome == 0 {
		t.Error("the styles cover the same characters; this test no longer checks anything")
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ got, want string }{
		{formatHours(1), "1 hour"},
		{formatHours(0.04), "0.1 hours"}, // learning that took any time at all is not "0 hours"
		{formatHours(2), "2 hours"},
		{formatHours(6.54), "6.5 hours"},
		{formatDate(core.Date{Year: 2026, Month: 1, Day: 2}), "2 January 2026"},
		{formatScore(87), "87%"},
		{skillList([]string{"A", "B"}), "A · B"},
		{skillList([]string{"A", "B", "C", "D", "E", "F"}), "A · B · C · D · E and 1 more"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	d := sample()
	d.Score, d.Hours, d.Skills = score(92), 6.5, []string{"Safe load handling", "Pallet stacking", "Hazard spotting"}
	d.ExpiresOn = core.Date{Year: 2028, Month: 3, Day: 12}
	var size int
	for b.Loop() {
		out, err := Render(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
