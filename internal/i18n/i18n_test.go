package i18n

import "testing"

func TestTranslatorFallsBackToEnglishKeys(t *testing.T) {
	catalogs["de"] = map[string]string{"People": "Personen", "%d people": "%d Personen"}
	defer delete(catalogs, "de")
	for _, tt := range []struct{ header, key, want string }{
		{"de-CH, en;q=0.5", "People", "Personen"},
		{"de", "%d people", "3 Personen"},
		{"de", "Sign in", "Sign in"},
		{"fr, it", "People", "People"},
		{"", "People", "People"},
	} {
		tr := For(tt.header)
		var got string
		if tt.key == "%d people" {
			got = tr.T(tt.key, 3)
		} else {
			got = tr.T(tt.key)
		}
		if got != tt.want {
			t.Errorf("For(%q).T(%q) = %q, want %q", tt.header, tt.key, got, tt.want)
		}
	}
}
