// Package chart draws the charts learnloop shows as SVG on the server: no script to download, the
// same picture in the browser, in print and in an email, and text that screen readers can reach.
// Every chart has a title and a description, and pages show the numbers beside it, so colour is
// never the only way to read it.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
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

// Point is one value of a series drawn by Line, with its label on the x axis (a day).
type Point struct {
	Label string
	Value float64
}

// Line draws a series of values, in order, as a line with a dot at each point on an axis from 0
// to a round number at or above the highest value, with four grid lines. The x axis names the
// first and the last point; the description gives the first, last, lowest and highest values, so
// that a screen reader does not have to read hundreds of points. A single point is a dot.
func Line(title string, points []Point) template.HTML {
	const (
		axisW = 56
		plotW = 560
		plotH = 180
		top   = 10
		w     = axisW + plotW + 24
		h     = top + plotH + 26
	)
	high := 0.0
	for _, p := range points {
		high = max(high, p.Value)
	}
	high = niceCeil(high)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart line-chart" role="img" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="t d">`, w, h)
	fmt.Fprintf(&b, `<title id="t">%s</title><desc id="d">%s</desc>`, esc(title), esc(describeSeries(points)))
	y := func(v float64) float64 { return top + plotH - plotH*v/high }
	x := func(i int) float64 {
		if len(points) < 2 {
			return axisW + plotW/2
		}
		return axisW + plotW*float64(i)/float64(len(points)-1)
	}
	for i := 0; i <= 4; i++ {
		v := high * float64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, axisW, axisW+plotW, y(v), y(v))
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end">%s</text>`, axisW-6, y(v)+4, strconv.FormatFloat(v, 'f', -1, 64))
	}
	if len(points) > 1 {
		b.WriteString(`<polyline class="line" points="`)
		for i, p := range points {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(i), y(p.Value))
		}
		b.WriteString(`"/>`)
	}
	// Dots only while they stay apart; a long series is a line.
	if len(points) <= 62 {
		for i, p := range points {
			fmt.Fprintf(&b, `<circle class="dot" cx="%.1f" cy="%.1f" r="3"><title>%s: %s</title></circle>`, x(i), y(p.Value), esc(p.Label), number(p.Value))
		}
	}
	if len(points) > 0 {
		last := len(points) - 1
		anchor := "start"
		if last == 0 {
			anchor = "middle"
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="%s">%s</text>`, x(0), h-6, anchor, esc(points[0].Label))
		if last > 0 {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="end">%s</text>`, x(last), h-6, esc(points[last].Label))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// describeSeries sums a series up in words.
func describeSeries(points []Point) string {
	if len(points) == 0 {
		return "No values."
	}
	first, last := points[0], points[len(points)-1]
	if len(points) == 1 {
		return fmt.Sprintf("%s: %s.", first.Label, number(first.Value))
	}
	low, high := first, first
	for _, p := range points {
		if p.Value < low.Value {
			low = p
		}
		if p.Value > high.Value {
			high = p
		}
	}
	return fmt.Sprintf("%d values from %s (%s) to %s (%s); lowest %s on %s, highest %s on %s.", len(points), first.Label, number(first.Value),
		last.Label, number(last.Value), number(low.Value), low.Label, number(high.Value), high.Label)
}

// niceCeil rounds v up to 1, 2, 4, 6 or 8 times a power of ten (at least 1), so that the axis's
// quarters are round numbers.
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 6, 8, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// number writes a value with at most one decimal.
func number(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
