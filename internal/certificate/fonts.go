package certificate

import (
	_ "embed"
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// family is the name the fonts are registered under in each document.
const family = "dejavu"

// Styles as fpdf names them.
const (
	regular = ""
	bold    = "B"
	italic  = "I"
)

// DejaVu Sans, vendored from npm by scripts/vendor.sh; its version is listed in
// internal/web/static/vendor/VENDORED.md and its licence is fonts/LICENSE. It covers Latin
// (Vietnamese included), Greek and Cyrillic.
var (
	//go:embed fonts/DejaVuSans.ttf
	sansRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	sansBold []byte
	//go:embed fonts/DejaVuSans-Oblique.ttf
	sansOblique []byte
)

// fonts are the TrueType files compiled into the binary; fpdf embeds the subset of glyphs a
// certificate uses, so a PDF carries a few kilobytes of each, not the whole font.
var fonts = []struct {
	style string
	ttf   []byte
}{
	{regular, sansRegular},
	{bold, sansBold},
	{italic, sansOblique},
}

// coverage parses the fonts once to answer which characters they can draw. The styles do not
// cover the same characters (the oblique lacks some scripts the other two have), and which style
// draws which field is a matter of design, so a character counts only if every style has it.
var coverage = sync.OnceValue(func() []*sfnt.Font {
	parsed := make([]*sfnt.Font, len(fonts))
	for i, f := range fonts {
		p, err := sfnt.Parse(f.ttf)
		if err != nil {
			panic("parse the certificate font " + family + f.style + ": " + err.Error()) // compiled in, so this cannot happen
		}
		parsed[i] = p
	}
	return parsed
})

// parsedFont returns the parsed font of a style.
func parsedFont(style string) *sfnt.Font {
	for i, f := range fonts {
		if f.style == style {
			return coverage()[i]
		}
	}
	panic("no certificate font of style " + style)
}

// inkGap is the least space, in ems, between an accent and a descender of the line above.
const inkGap = 0.04

// lineSpacing is how far apart, as a multiple of the size, the baselines of s are when it wraps:
// leading, unless s has a letter tall enough to touch the descenders of the line above, as the
// Vietnamese capitals with two stacked accents (Ẩ, Ễ) are, and then as far as the tallest and
// the deepest glyphs of s need. It depends on s alone, not on where the lines break, so that
// fitting knows a block's height before it balances the lines.
func lineSpacing(style, s string) float64 {
	var top, depth float64
	for _, r := range s {
		e := glyphInk(style, r)
		top, depth = max(top, e.top), max(depth, e.depth)
	}
	return max(leading, top+depth+inkGap)
}

// reach is how far a glyph's ink goes above and below the baseline, in ems.
type reach struct{ top, depth float64 }

type inkKey struct {
	style string
	r     rune
}

// inks caches glyphInk, which fitting asks for every character of every text.
var inks sync.Map // inkKey → reach

func glyphInk(style string, r rune) reach {
	key := inkKey{style, r}
	if e, ok := inks.Load(key); ok {
		return e.(reach)
	}
	f := parsedFont(style)
	var b sfnt.Buffer
	var e reach
	if i, err := f.GlyphIndex(&b, r); err == nil && i != 0 {
		// At a size of one em per unit the bounds come in font units, y growing downwards.
		upem := f.UnitsPerEm()
		if bounds, _, err := f.GlyphBounds(&b, i, fixed.I(int(upem)), xfont.HintingNone); err == nil {
			e = reach{-float64(bounds.Min.Y) / 64 / float64(upem), float64(bounds.Max.Y) / 64 / float64(upem)}
		}
	}
	inks.Store(key, e)
	return e
}

// hasGlyph reports whether every style of the fonts can draw r, using b as scratch space.
// Spaces count as drawable whatever the fonts say.
func hasGlyph(b *sfnt.Buffer, r rune) bool {
	if r == ' ' {
		return true
	}
	for _, f := range coverage() {
		if i, err := f.GlyphIndex(b, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}
