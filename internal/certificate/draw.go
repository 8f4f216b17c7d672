package certificate

import "fmt"

// The styles of the page, from the top. Sizes are in points, heights in millimetres. The
// maximum heights are chosen so that the main block and the footer, both at their tallest, still
// fit on the page (a test renders the tallest certificate and checks it).
var (
	orgStyle     = style{font: bold, size: 13, minSize: 9, color: muted, truncate: true}
	headingStyle = style{font: bold, size: 30, color: blue}
	leadStyle    = style{font: italic, size: 13, color: muted}
	nameStyle    = style{font: bold, size: 34, minSize: 18, maxLines: 3, maxHeight: 30, color: ink, truncate: true}
	titleStyle   = style{font: bold, size: 22, minSize: 12, maxLines: 4, maxHeight: 24, color: blue, truncate: true}
	skillsStyle  = style{font: regular, size: 10.5, minSize: 9, maxLines: 2, color: muted, truncate: true}
	labelStyle   = style{font: regular, size: 7.5, color: muted}
	valueStyle   = style{font: bold, size: 11, minSize: 8, maxLines: 2, color: ink}
	urlLeadStyle = style{font: regular, size: 8, color: muted}
	urlStyle     = style{font: regular, size: 9, minSize: 6.5, maxLines: 3, color: blue}
	qrLabelStyle = style{font: italic, size: 7.5, color: muted}
)

// factColumns is how many facts (number, dates, score, time) the footer has side by side.
const factColumns = 3

// Spaces in millimetres.
const (
	columnGap     = 6.0
	factRowGap    = 2.5
	urlAboveGap   = 3.0
	ruleW         = 60.0
	ruleGapAbove  = 3.0
	ruleGapBelow  = 7.0
	afterOrgGap   = 4.0
	afterTitleGap = 5.0
	smallGap      = 2.5
)

// item is one piece of the main block, a block of text or the rule under the heading, and the
// space below it.
type item struct {
	block
	rule bool
	gap  float64
}

func (it item) height() float64 {
	if it.rule {
		return 0
	}
	return it.block.height()
}

// plan is a certificate laid out and ready to paint: every text at its place, the rules and
// the QR code. Laying out only measures; painting happens once the page exists, so that the
// many trial sizes of fitting leave nothing behind in the page's content.
type plan struct {
	texts []placed
	rules []rule
	qr    [][]bool
	url   rect // the area of the printed URL, a link to it like the QR code
}

// placed is a block of text whose first line has its top at y, aligned "C" (centred on x) or
// "L" (starting at x).
type placed struct {
	block
	x, y  float64
	align string
}

type rule struct{ x0, x1, y, width float64 }

type rect struct{ x, y, w, h float64 }

// layOut plans the page: the footer is measured first, since long facts may push its rule up,
// and the main block is centred in the space above it.
func layOut(l layout, d Data) (plan, error) {
	var p plan
	footer, height := layOutFooter(l, d)
	top := min(footerTop, footerLimit-height-footerPad)

	var items []item
	if d.Organization != "" {
		items = append(items, item{block: l.fit(d.Organization, orgStyle, textW), gap: afterOrgGap})
	}
	items = append(items,
		item{block: l.fit("Certificate of completion", headingStyle, textW), gap: ruleGapAbove},
		item{rule: true, gap: ruleGapBelow},
		item{block: l.fit("This is to certify that", leadStyle, textW), gap: smallGap},
		item{block: l.fit(d.Recipient, nameStyle, textW), gap: smallGap},
		item{block: l.fit(completion(d.Kind), leadStyle, textW), gap: smallGap},
		item{block: l.fit(d.Title, titleStyle, textW), gap: afterTitleGap},
	)
	if len(d.Skills) > 0 {
		items = append(items, item{block: l.fit("Skills developed: "+skillList(d.Skills), skillsStyle, textW)})
	}
	total := 0.0
	for i, it := range items {
		total += it.height()
		if i < len(items)-1 {
			total += it.gap
		}
	}
	// Centred vertically in its area, so a short certificate does not leave a hole at the bottom.
	y := mainTop + max(0, (top-mainGap-mainTop-total)/2)
	for _, it := range items {
		if it.rule {
			p.rules = append(p.rules, rule{pageW/2 - ruleW/2, pageW/2 + ruleW/2, y, 0.5})
		} else {
			p.texts = append(p.texts, placed{it.block, pageW / 2, y, "C"})
		}
		y += it.height() + it.gap
	}

	// The footer follows the main block in the content too, so that text copied from the page
	// or read aloud comes in reading order.
	for i := range footer {
		footer[i].y += top + footerPad
	}
	p.texts = append(p.texts, footer...)
	p.rules = append(p.rules, rule{textLeft, textRight, top, 0.3})
	url := footer[len(footer)-1] // the URL comes last
	p.url = rect{url.x, url.y, gridW, url.height()}

	// The QR code sits at the bottom right, its caption above it and clear of its quiet zone.
	bits, err := qrModules(d.VerifyURL)
	if err != nil {
		return plan{}, err
	}
	p.qr = bits
	quiet := 4 * qrSize / float64(len(bits))
	caption := l.fit("Scan to verify", qrLabelStyle, qrSize)
	p.texts = append(p.texts, placed{caption, qrLeft + qrSize/2, qrTop - quiet - caption.height(), "C"})
	return p, nil
}

// layOutFooter places the facts in columns and the verification URL below them, from y = 0,
// and returns them, the URL last, with their height.
func layOutFooter(l layout, d Data) ([]placed, float64) {
	facts := []fact{{"Certificate number", d.Number}, {"Date of completion", formatDate(d.IssuedOn)}}
	if !d.ExpiresOn.IsZero() {
		facts = append(facts, fact{"Valid until", formatDate(d.ExpiresOn)})
	}
	if d.Score != nil {
		facts = append(facts, fact{"Final test score", formatScore(*d.Score)})
	}
	if d.Hours > 0 {
		facts = append(facts, fact{"Learning time", formatHours(d.Hours)})
	}
	var texts []placed
	colW := (gridW - columnGap*float64(factColumns-1)) / float64(factColumns)
	y := 0.0
	for start := 0; start < len(facts); start += factColumns {
		rowEnd := y
		for i, f := range facts[start:min(start+factColumns, len(facts))] {
			x := textLeft + float64(i)*(colW+columnGap)
			label := l.fit(f.label, labelStyle, colW)
			value := l.fit(f.value, valueStyle, colW)
			texts = append(texts, placed{label, x, y, "L"}, placed{value, x, y + label.height(), "L"})
			rowEnd = max(rowEnd, y+label.height()+value.height())
		}
		y = rowEnd + factRowGap
	}
	y += urlAboveGap - factRowGap
	lead := l.fit("Check that this certificate is genuine at", urlLeadStyle, gridW)
	texts = append(texts, placed{lead, textLeft, y, "L"})
	y += lead.height()
	url := l.fit(d.VerifyURL, urlStyle, gridW)
	texts = append(texts, placed{url, textLeft, y, "L"})
	return texts, y + url.height()
}

// paint draws a plan on the current page.
func paint(l layout, p plan, verifyURL string) {
	pdf := l.pdf
	pdf.SetDrawColor(gold.r, gold.g, gold.b)
	pdf.SetLineWidth(1.2)
	pdf.Rect(frameOuter, frameOuter, pageW-2*frameOuter, pageH-2*frameOuter, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(frameInner, frameInner, pageW-2*frameInner, pageH-2*frameInner, "D")
	for _, r := range p.rules {
		pdf.SetLineWidth(r.width)
		pdf.Line(r.x0, r.y, r.x1, r.y)
	}
	for _, t := range p.texts {
		l.text(t.block, t.x, t.y, t.align)
	}
	pdf.LinkString(p.url.x, p.url.y, p.url.w, p.url.h, verifyURL)
	pdf.SetFillColor(0, 0, 0)
	drawModules(pdf, p.qr, qrLeft, qrTop, qrSize)
	pdf.LinkString(qrLeft, qrTop, qrSize, qrSize, verifyURL)
}

// fact is a labelled value in the footer.
type fact struct{ label, value string }

func formatScore(score int) string { return fmt.Sprintf("%d%%", score) }
