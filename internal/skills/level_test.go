package skills

import (
	"testing"
	"time"
)

func TestDeriveByHand(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	tests := []struct {
		name       string
		ratings    []Evidence
		level      float64
		confidence float64
		counting   int
		disagree   bool
	}{
		{"one fresh manager rating", []Evidence{{Level: 3, Source: SourceManager, RaterID: "m", At: now}}, 3, 0.55, 1, false},
		// 0.4·2 + 0.8·4 = 4.0 over 1.2 → 3.33; confidence 1 − e^−1.2 = 0.70.
		{"self 2 and manager 4 weigh by trust", []Evidence{
			{Level: 2, Source: SourceSelf, RaterID: "p", At: now},
			{Level: 4, Source: SourceManager, RaterID: "m", At: now},
		}, 3.3, 0.70, 2, true},
		// A manager's re-rating replaces their earlier one: only the 4 counts.
		{"the latest of a rater counts", []Evidence{
			{Level: 1, Source: SourceManager, RaterID: "m", At: ago(48 * time.Hour)},
			{Level: 4, Source: SourceManager, RaterID: "m", At: now},
		}, 4, 0.55, 1, false},
		// Two managers (before and after a reorganization) both count.
		{"different raters both count", []Evidence{
			{Level: 2, Source: SourceManager, RaterID: "m1", At: now},
			{Level: 4, Source: SourceManager, RaterID: "m2", At: now},
		}, 3, 0.80, 2, false},
		// A certification 540 days old weighs 0.5; a fresh self-assessment 0.4:
		// (0.5·5 + 0.4·3) / 0.9 = 4.11; confidence 1 − e^−0.9 = 0.59.
		{"old evidence counts less", []Evidence{
			{Level: 5, Source: SourceCertification, At: ago(HalfLife)},
			{Level: 3, Source: SourceSelf, RaterID: "p", At: now},
		}, 4.1, 0.59, 2, false},
		// Three years unused: 0.8 · ½^(1095/540) = 0.196 → confidence 0.18.
		{"skills unused for years lose confidence", []Evidence{{Level: 4, Source: SourceManager, RaterID: "m", At: ago(1095 * 24 * time.Hour)}}, 4, 0.18, 1, false},
		// test 0.9·5, peer 0.5·3, activity 0.6·4 = 4.5+1.5+2.4 = 8.4 over 2.0 → 4.2; 1 − e^−2 = 0.86.
		{"all sources", []Evidence{
			{Level: 5, Source: SourceTest, At: now},
			{Level: 3, Source: SourcePeer, RaterID: "q", At: now},
			{Level: 4, Source: SourceActivity, At: now},
		}, 4.2, 0.86, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := Derive(tt.ratings, now)
			if !ok {
				t.Fatal("no level")
			}
			if c.Level != tt.level || c.Confidence != tt.confidence || c.Ratings != tt.counting || c.Disagreement() != tt.disagree {
				t.Errorf("got level %v confidence %v counting %d disagreement %v; want %v %v %d %v",
					c.Level, c.Confidence, c.Ratings, c.Disagreement(), tt.level, tt.confidence, tt.counting, tt.disagree)
			}
		})
	}
	if _, ok := Derive(nil, now); ok {
		t.Error("a level without ratings")
	}
}
