package skills

import (
	"math"
	"time"
)

// Rating sources, from the person themselves to an exam.
const (
	SourceSelf          = "self"
	SourceManager       = "manager"
	SourcePeer          = "peer"
	SourceTest          = "test"
	SourceCertification = "certification"
	SourceActivity      = "activity"
)

// Sources lists the rating sources in display order.
var Sources = []string{SourceSelf, SourceManager, SourcePeer, SourceTest, SourceCertification, SourceActivity}

// Trust is how much one fresh rating from a source counts. An independent check (a
// certification, a test) counts most, a manager's observation next, evidence from activity and a
// peer's endorsement less, and a self-assessment least: it matters, but it is the easiest to be
// wrong about.
var Trust = map[string]float64{
	SourceCertification: 1.0,
	SourceTest:          0.9,
	SourceManager:       0.8,
	SourceActivity:      0.6,
	SourcePeer:          0.5,
	SourceSelf:          0.4,
}

// HalfLife is the age at which a rating counts half as much as a fresh one: skills not shown for
// a long time are less certain.
const HalfLife = 540 * 24 * time.Hour

// Evidence is one rating as the level rule sees it.
type Evidence struct {
	Level   int
	Source  string
	RaterID string // "" for sources without a person (a test)
	At      time.Time
	// Weight scales the source's trust, from just above 0 to 1: a test passed with 80% counts
	// 0.8 of a test. 0 stands for 1, a full rating.
	Weight float64
}

// Current is a person's derived level in one skill.
type Current struct {
	Level        float64 // weighted mean of the counting ratings, one decimal
	Confidence   float64 // 0..1, how much evidence supports it and how fresh
	SelfLevel    *int    // the latest self-assessment, when there is one
	ManagerLevel *int    // the latest manager rating, when there is one
	Ratings      int     // ratings that count (the latest of each rater and source)
	LastEvidence time.Time
}

// Disagreement reports whether the person and their manager see the level two or more levels
// apart; such pairs are shown, never averaged away silently.
func (c Current) Disagreement() bool {
	return c.SelfLevel != nil && c.ManagerLevel != nil && abs(*c.SelfLevel-*c.ManagerLevel) >= 2
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Derive applies the level rule to every rating of one person in one skill:
//
//  1. Only the latest rating of each rater in each source counts: a manager who re-rates
//     replaces their own earlier view, without erasing it from the history.
//  2. Each counting rating weighs Trust[source] × its weight × ½^(age / HalfLife); the weight is 1
//     except for evidence from training (a test counts by its score).
//  3. The level is the weighted mean of the counting levels, rounded to one decimal.
//  4. The confidence is 1 − e^(−Σ weights): one fresh manager rating gives 0.55, a manager and a
//     test together 0.82, a self-assessment alone 0.33, and every year without new evidence
//     lowers it.
//
// ok is false when there is no rating.
func Derive(ratings []Evidence, now time.Time) (c Current, ok bool) {
	type key struct{ source, rater string }
	latest := map[key]Evidence{}
	var self, manager *Evidence
	for i := range ratings {
		r := ratings[i]
		k := key{r.Source, r.RaterID}
		if cur, seen := latest[k]; !seen || r.At.After(cur.At) {
			latest[k] = r
		}
		if r.Source == SourceSelf && (self == nil || r.At.After(self.At)) {
			self = &ratings[i]
		}
		if r.Source == SourceManager && (manager == nil || r.At.After(manager.At)) {
			manager = &ratings[i]
		}
	}
	if len(latest) == 0 {
		return c, false
	}
	var sumW, sumWL float64
	for _, r := range latest {
		age := max(now.Sub(r.At), 0)
		weight := r.Weight
		if weight <= 0 || weight > 1 {
			weight = 1
		}
		w := Trust[r.Source] * weight * math.Pow(0.5, float64(age)/float64(HalfLife))
		sumW += w
		sumWL += w * float64(r.Level)
		if r.At.After(c.LastEvidence) {
			c.LastEvidence = r.At
		}
	}
	c.Ratings = len(latest)
	if sumW > 0 {
		c.Level = math.Round(sumWL/sumW*10) / 10
	}
	c.Confidence = math.Round((1-math.Exp(-sumW))*100) / 100
	if self != nil {
		c.SelfLevel = &self.Level
	}
	if manager != nil {
		c.ManagerLevel = &manager.Level
	}
	return c, true
}
