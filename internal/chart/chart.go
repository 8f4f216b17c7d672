// Package chart draws the charts learnloop shows as SVG on the server: no script to download, the
// same picture in the browser, in print and in an email, and text that screen readers can reach.
// Every chart has a title and a description, and pages show the numbers beside it, so colour is
// never the only way to read it.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Bar is one row of a bar chart: a value and, optionally, a target marked on the same axis.
type Bar struct {
	Label  string
	Value  float64
	Target float64 // 0 for none
}

// Bars draws horizontal bars on a 0..max axis with a tick per whole step, marking each target
// with a line; a bar that reaches its target is drawn in the "met" colour, one below it in the
// "gap" colour, and the value is written at the end of the bar.
func Bars(title string, bars []Bar, max float64) template.HTML {
	const (
		rowH   = 26
		labelW = 190
		plotW  = 320
		valueW = 70
		top    = 8
	)
	if max <= 0 {
		max = 1
	}
	h := top*2 + rowH*len(bars) + 18
	w := labelW + plotW + valueW
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="t d">`, w, h)
	fmt.Fprintf(&b, `<title id="t">%s</title><desc id="d">%s</desc>`, esc(title), esc(describe(bars)))
	x := func(v float64) float64 { return labelW + plotW*v/max }
	for i := 0; i <= int(max); i++ {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, x(float64(i)), x(float64(i)), top, h-18)
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%d</text>`, x(float64(i)), h-4, i)
	}
	for i, bar := range bars {
		y := top + i*rowH
		class := "bar"
		if bar.Target > 0 {
			if bar.Value >= bar.Target {
				class += " met"
			} else {
				class += " gap"
			}
		}
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+rowH/2+4, esc(truncate(bar.Label, 28)))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="%d" rx="3"/>`, class, labelW, y+5, x(bar.Value)-labelW, rowH-10)
		if bar.Target > 0 {
			fmt.Fprintf(&b, `<line class="target" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, x(bar.Target), x(bar.Target), y+2, y+rowH-2)
		}
		value := fmt.Sprintf("%.1f", bar.Value)
		if bar.Target > 0 {
			value += fmt.Sprintf(" / %g", bar.Target)
		}
		fmt.Fprintf(&b, `<text class="value" x="%d" y="%d">%s</text>`, labelW+plotW+6, y+rowH/2+4, value)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

func describe(bars []Bar) string {
	var parts []string
	for _, b := range bars {
		if b.Target > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f of %g", b.Label, b.Value, b.Target))
		} else {
			parts = append(parts, fmt.Sprintf("%s %.1f", b.Label, b.Value))
		}
	}
	return strings.Join(parts, "; ")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }
