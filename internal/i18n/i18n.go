// Package i18n translates the words learnloop shows. Every string on a page goes through T, keyed
// by its English text, so adding a language means adding a catalog, not editing templates.
package i18n

import (
	"fmt"
	"strings"
)

// DefaultLang is the language used when no catalog matches.
const DefaultLang = "en"

// catalogs maps a language to translations of English keys. English needs none: a missing
// translation falls back to the key itself.
var catalogs = map[string]map[string]string{
	DefaultLang: {},
}

// Translator renders keys in one language.
type Translator struct {
	Lang string
	cat  map[string]string
}

// For returns the translator for the best match of an Accept-Language header value.
func For(acceptLanguage string) Translator {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		for _, l := range []string{tag, strings.SplitN(tag, "-", 2)[0]} {
			if c, ok := catalogs[l]; ok {
				return Translator{Lang: l, cat: c}
			}
		}
	}
	return Translator{Lang: DefaultLang, cat: catalogs[DefaultLang]}
}

// T translates key and, with args, formats it like fmt.Sprintf.
func (t Translator) T(key string, args ...any) string {
	s, ok := t.cat[key]
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
