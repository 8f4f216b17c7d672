package xapi

import (
	"fmt"
	"strings"
	"testing"
)

// benchBatch returns a batch of n realistic statements of about 1 KB each, with varied actors,
// verbs and activities, like those the LRS load test posts.
func benchBatch(n int) []byte {
	verbs := []string{"completed", "attempted", "experienced", "passed", "answered"}
	pad := strings.Repeat("x", 420)
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		a, act, v := i*37%5000+1, i*53%2000+1, verbs[i%len(verbs)]
		fmt.Fprintf(&b, `{"id":"ec531277-b57b-4c15-8d91-%012d","actor":{"objectType":"Agent","name":"Bench %d","mbox":"mailto:bench%d@example.com"},`+
			`"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},`+
			`"object":{"objectType":"Activity","id":"http://example.com/bench/activity/%d","definition":{"name":{"en-US":"Bench activity %d"},"type":"http://adlnet.gov/expapi/activities/lesson"}},`+
			`"result":{"completion":true,"success":true,"score":{"scaled":0.%d},"duration":"PT%dM"},`+
			`"context":{"registration":"ec531277-b57b-4c15-8d91-%012d","contextActivities":{"parent":[{"id":"http://example.com/bench/course/%d"}]},"extensions":{"http://example.com/ext/note":"%s"}},`+
			`"timestamp":"2024-05-18T05:32:34.804Z"}`,
			i, a, a, v, v, act, act, 10+i%89, 1+i%90, i*7919, act%50, pad)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// BenchmarkParseStatements measures parsing and validating a batch of 100 statements of about
// 1 KB; the ns/statement metric is the cost of one statement.
func BenchmarkParseStatements(b *testing.B) {
	batch := benchBatch(100)
	if _, _, err := ParseStatements(batch, V103); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(batch)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ParseStatements(batch, V103); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/statement")
}

func BenchmarkEquivalent(b *testing.B) {
	sts, _, err := ParseStatements(benchBatch(2), V103)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Equivalent(sts[0].Tree, sts[0].Tree)
	}
}

func BenchmarkFormatCanonical(b *testing.B) {
	sts, _, err := ParseStatements(benchBatch(1), V103)
	if err != nil {
		b.Fatal(err)
	}
	langs := ParseAcceptLanguage("de-DE, en;q=0.8")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Format(sts[0].Tree, "canonical", langs)
	}
}
