// Package certificate renders the completion certificate a person receives for a certifying
// course or learning path: one A4 landscape PDF page with the person's name, what they
// completed, when, and a verification URL printed both as text and as a QR code, so that anyone
// holding the paper can check it is genuine.
//
// The page is drawn with DejaVu Sans embedded from memory (Latin with Vietnamese, Greek and
// Cyrillic), so names from an international workforce print as written and the package reads
// nothing from disk.
// Text that is too long shrinks, then wraps, and only as a last resort is cut with an ellipsis;
// the fields a reader must be able to copy exactly (the number and the URL) are instead limited
// in length by validation, so they never need cutting.
package certificate

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"

	"github.com/learnloop/learnloop/internal/core"
)

// Kinds of thing a certificate is issued for; Kind decides the wording of the sentence.
const (
	KindCourse = "course"
	KindPath   = "learning path"
)

// Limits on the fields that are never shortened on the page.
const (
	MaxNumberLen    = 32  // runes
	MaxVerifyURLLen = 200 // bytes; longer URLs make a QR code too dense to scan at print size
)

// maxSkills is how many skills are named before the rest are counted ("and 3 more"): a
// certificate is not a transcript.
const maxSkills = 5

// Data is what a certificate shows.
type Data struct {
	Number       string    // certificate number, e.g. "NWD-2026-7F3K9Q"; required
	Recipient    string    // the person's full name; required
	Title        string    // what was completed, e.g. "Forklift safety refresher"; required
	Kind         string    // KindCourse or KindPath; required
	Organization string    // the issuing organization's name; optional
	IssuedOn     core.Date // the completion date; required
	ExpiresOn    core.Date // zero: the certificate does not expire; else shown as "Valid until"
	Score        *int      // percentage score of the final test, when there was one (0–100)
	Hours        float64   // learning time in hours; 0 leaves it out
	Skills       []string  // skills it develops; the first few are shown
	VerifyURL    string    // absolute http or https URL of the verification page; required
}

// Render validates d and returns the certificate as a one-page PDF.
//
// Invalid data is refused with an EINVALID *core.Error whose Field is the first field at fault
// and whose Fields holds a message for each one. A field holding a character the certificate
// cannot print as written is refused too, rather than printed as empty boxes or garbled: one the
// embedded fonts have no glyph for (Chinese or most emoji, for example), one of a right-to-left
// script (Hebrew, Arabic), or an accent that has no precomposed letter.
//
// The output is deterministic: the same Data gives the same bytes. The document's creation and
// modification dates are midnight UTC of IssuedOn, so a certificate rendered again later, for a
// download or a cache, is byte for byte the first one.
func Render(d Data) ([]byte, error) {
	d = clean(d)
	if err := validate(d); err != nil {
		return nil, err
	}
	pdf := newDocument(d)
	l := layout{pdf}
	p, err := layOut(l, d)
	if err != nil {
		return nil, fmt.Errorf("lay out certificate %s: %w", d.Number, err)
	}
	pdf.AddPage()
	paint(l, p, d.VerifyURL)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write certificate %s: %w", d.Number, err)
	}
	return buf.Bytes(), nil
}

// clean collapses white space (a title pasted with a line break, a name with a double space) so
// that the page wraps text where it needs to, not where the input happened to break, and
// composes accents typed as separate marks: fpdf places each character on its own, so "e" and a
// combining diaeresis would not stack into "ë".
func clean(d Data) Data {
	d.Number = squash(d.Number)
	d.Recipient = squash(d.Recipient)
	d.Title = squash(d.Title)
	d.Kind = squash(d.Kind)
	d.Organization = squash(d.Organization)
	d.VerifyURL = strings.TrimSpace(d.VerifyURL)
	var skills []string
	for _, s := range d.Skills {
		if s = squash(s); s != "" {
			skills = append(skills, s)
		}
	}
	d.Skills = skills
	return d
}

func squash(s string) string { return norm.NFC.String(strings.Join(strings.Fields(s), " ")) }

func validate(d Data) error {
	var v core.Validation
	required := func(field, value, what string) {
		if value == "" {
			v.Add(field, "%s is required", what)
		}
	}
	required("Number", d.Number, "the certificate number")
	if n := utf8.RuneCountInString(d.Number); n > MaxNumberLen {
		v.Add("Number", "the certificate number has %d characters; at most %d fit on the certificate", n, MaxNumberLen)
	}
	required("Recipient", d.Recipient, "the recipient's name")
	required("Title", d.Title, "the title of what was completed")
	if d.Kind != KindCourse && d.Kind != KindPath {
		v.Add("Kind", "the kind must be %q or %q", KindCourse, KindPath)
	}
	if d.IssuedOn.IsZero() {
		v.Add("IssuedOn", "the completion date is required")
	}
	if !d.ExpiresOn.IsZero() && !d.IssuedOn.IsZero() && !d.IssuedOn.Before(d.ExpiresOn) {
		v.Add("ExpiresOn", "the expiry date must be after the completion date")
	}
	if d.Score != nil && (*d.Score < 0 || *d.Score > 100) {
		v.Add("Score", "the score must be a percentage from 0 to 100")
	}
	if d.Hours < 0 || math.IsNaN(d.Hours) || math.IsInf(d.Hours, 0) {
		v.Add("Hours", "the learning time must be a number of hours, 0 or more")
	}
	if msg := checkURL(d.VerifyURL); msg != "" {
		v.Add("VerifyURL", "%s", msg)
	}
	// The font check comes last so that a missing field is reported as missing.
	texts := []struct{ field, value string }{
		{"Number", d.Number}, {"Recipient", d.Recipient}, {"Title", d.Title},
		{"Organization", d.Organization}, {"VerifyURL", d.VerifyURL},
	}
	for _, s := range d.Skills {
		texts = append(texts, struct{ field, value string }{"Skills", s})
	}
	for _, t := range texts {
		if missing := unsupported(t.value); missing != "" {
			v.Add(t.field, "the certificate font cannot show %s", missing)
		}
	}
	return v.Err()
}

func checkURL(s string) string {
	if s == "" {
		return "the verification URL is required"
	}
	if len(s) > MaxVerifyURLLen {
		return fmt.Sprintf("the verification URL has %d characters; at most %d fit in a readable QR code", len(s), MaxVerifyURLLen)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t") {
		return "the verification URL must be an absolute http or https URL"
	}
	return ""
}

// unsupported lists the characters of s that the certificate cannot print as written, quoted,
// or as U+ codes where quoting would not show them.
func unsupported(s string) string {
	var missing []string
	seen := map[rune]bool{}
	var b sfnt.Buffer
	for _, r := range s {
		if seen[r] || printable(&b, r) {
			continue
		}
		seen[r] = true
		if unicode.IsPrint(r) && !unicode.Is(unicode.M, r) {
			missing = append(missing, strconv.QuoteRune(r))
		} else {
			missing = append(missing, fmt.Sprintf("U+%04X", r))
		}
	}
	return strings.Join(missing, ", ")
}

// printable reports whether r comes out on paper as written, using b as scratch space. fpdf sets
// each character after the previous one, left to right, with no shaping, so besides a glyph in
// every style this rules out right-to-left scripts, which would print reversed, and combining
// marks left over after composing, which would sit unpositioned, colliding with capitals. It also
// rules out the invisible characters (control characters, zero-width joiners) that have no place
// on paper.
func printable(b *sfnt.Buffer, r rune) bool {
	if !unicode.IsGraphic(r) || unicode.Is(unicode.M, r) {
		return false
	}
	if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL {
		return false
	}
	return hasGlyph(b, r)
}

// newDocument starts an A4 landscape document in millimetres with the fonts loaded and the
// metadata set, and no page yet. An error is kept in the document for Output to return.
func newDocument(d Data) *fpdf.Fpdf {
	pdf := fpdf.New("L", "mm", "A4", "")
	// Resource dictionaries are written from maps; sorting them keeps the bytes stable.
	pdf.SetCatalogSort(true)
	created := d.IssuedOn.Time()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	for _, f := range fonts {
		pdf.AddUTF8FontFromBytes(family, f.style, f.ttf)
	}
	pdf.SetTitle("Certificate of completion: "+d.Title, true)
	pdf.SetSubject(d.Recipient+" "+completion(d.Kind)+" "+d.Title, true)
	if d.Organization != "" {
		pdf.SetAuthor(d.Organization, true)
	}
	pdf.SetKeywords(d.Number, true)
	pdf.SetCreator("learnloop", true)
	pdf.SetLang("en")
	return pdf
}

// completion is the sentence between the name and the title.
func completion(kind string) string {
	return "has completed the " + kind
}

// formatDate writes a date with the month in words, which no reader can misread as day/month
// or month/day.
func formatDate(d core.Date) string {
	return d.Time().Format("2 January 2006")
}

// formatHours writes learning time to a tenth of an hour, the precision anyone counts in, and
// never as zero: a few minutes of learning are still learning.
func formatHours(h float64) string {
	s := strconv.FormatFloat(max(h, 0.1), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "1" {
		return "1 hour"
	}
	return s + " hours"
}

// skillList names the first few skills and counts the others.
func skillList(skills []string) string {
	if len(skills) <= maxSkills {
		return strings.Join(skills, " · ")
	}
	return strings.Join(skills[:maxSkills], " · ") + fmt.Sprintf(" and %d more", len(skills)-maxSkills)
}
