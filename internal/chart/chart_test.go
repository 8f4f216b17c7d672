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
