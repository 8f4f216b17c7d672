package chart

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestBarsIsWellFormedAccessibleSVG(t *testing.T) {
	svg := string(Bars(`Skills of <Ann & "Bob">`, []Bar{{Label: "Go", Value: 3.3, Target: 4}, {Label: "SQL <script>", Value: 3, Target: 3}, {Label: "Writing", Value: 1}}, 5))
	if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	for _, want := range []string{`role="img"`, `<title id="t">Skills of &lt;Ann &amp; &#34;Bob&#34;&gt;</title>`, "Go 3.3 of 4", `class="bar gap"`, `class="bar met"`, "3.3 / 4", `class="target"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %q in\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<script>") {
		t.Error("a label was not escaped")
	}
	if n := strings.Count(svg, "<rect"); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
}

func TestLineIsWellFormedAccessibleSVG(t *testing.T) {
	points := []Point{{Label: "2026-06-01", Value: 18}, {Label: "2026-06-02", Value: 12}, {Label: "<2026-06-03>", Value: 13.5}}
	svg := string(Line(`Priority of "Go" & more`, points))
	if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	for _, want := range []string{`role="img"`, `<title id="t">Priority of &#34;Go&#34; &amp; more</title>`,
		"3 values from 2026-06-01 (18) to &lt;2026-06-03&gt; (13.5); lowest 12 on 2026-06-02, highest 18 on 2026-06-01.",
		// 18 rounds the axis up to 20, in quarters.
		`text-anchor="end">20</text>`, `text-anchor="end">5</text>`,
		`<polyline class="line" points="56.0,28.0 336.0,82.0 616.0,68.5"/>`, "<title>2026-06-02: 12</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %q in\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, "<circle"); n != 3 {
		t.Errorf("%d dots, want 3", n)
	}

	one := string(Line("One day", points[:1]))
	if strings.Contains(one, "<polyline") || strings.Count(one, "<circle") != 1 || !strings.Contains(one, "<desc id=\"d\">2026-06-01: 18.</desc>") {
		t.Errorf("a single point is a dot with its value:\n%s", one)
	}
	if none := string(Line("Nothing", nil)); !strings.Contains(none, "No values.") || strings.Contains(none, "<circle") {
		t.Errorf("no points:\n%s", none)
	}
}

func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 0.4: 1, 1: 1, 1.2: 2, 3: 4, 5: 6, 7.5: 8, 9: 10, 18: 20, 22: 40, 101: 200, 5000: 6000} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}
