package certificate

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// minQRVersion keeps the modules of a very short URL's code from growing so large that its
// quiet zone (four modules on every side) would not fit in the footer.
const minQRVersion = 3

// qrModules encodes content as a QR code without its quiet zone: true is a dark module.
func qrModules(content string) ([][]bool, error) {
	// Medium error correction (15 %) survives a fold or a smudge while keeping the modules
	// large enough to scan from paper.
	q, err := qrcode.New(content, qrcode.Medium)
	if err == nil && q.VersionNumber < minQRVersion {
		q, err = qrcode.NewWithForcedVersion(content, minQRVersion, qrcode.Medium)
	}
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// drawModules draws a QR code as a size × size square with its top left corner at (x, y) in
// the current fill colour. The modules are vector squares rather than an embedded image: they
// stay sharp at any printer resolution and no viewer blurs their edges. Each row's dark runs are
// one rectangle and the whole code is one filled path, so viewers show no hairline seams
// between modules.
func drawModules(pdf *fpdf.Fpdf, bits [][]bool, x, y, size float64) {
	m := size / float64(len(bits))
	for row, line := range bits {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			end := col
			for end < len(line) && line[end] {
				end++
			}
			x0, y0, x1, y1 := x+float64(col)*m, y+float64(row)*m, x+float64(end)*m, y+float64(row+1)*m
			pdf.MoveTo(x0, y0)
			pdf.LineTo(x1, y0)
			pdf.LineTo(x1, y1)
			pdf.LineTo(x0, y1)
			pdf.ClosePath()
			col = end
		}
	}
	pdf.DrawPath("F")
}
