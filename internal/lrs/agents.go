package lrs

import (
	"context"
	"fmt"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Person returns the Person object of an agent (xAPI Data 2.4.6.1 / Communication 2.5): every
// name and identifier the LRS knows for the person behind it. For a learnloop person that is the
// learnloop account, the work email and the name; for anyone else what the agent itself says.
func (s *Service) Person(ctx context.Context, agent map[string]any) (map[string]any, error) {
	p := map[string]any{"objectType": "Person"}
	addTo := func(k string, v any) {
		list, _ := p[k].([]any)
		for _, have := range list {
			if fmt.Sprint(have) == fmt.Sprint(v) {
				return
			}
		}
		p[k] = append(list, v)
	}
	for _, k := range []string{"name", "mbox", "mbox_sha1sum", "openid", "account"} {
		if v, ok := agent[k]; ok {
			addTo(k, v)
		}
	}
	cond, arg := "", ""
	if acc, ok := agent["account"].(map[string]any); ok && acc["homePage"] == s.HomePage {
		if id, _ := acc["name"].(string); core.ValidID(id) {
			cond, arg = "id = ?", id
		}
	} else if m, ok := agent["mbox"].(string); ok && strings.HasPrefix(strings.ToLower(m), "mailto:") {
		cond, arg = "email = ?", strings.ToLower(m[len("mailto:"):])
	}
	if cond == "" {
		return p, nil
	}
	var id, given, family string
	var email *string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT id, given_name, family_name, email FROM people WHERE `+cond, arg).Scan(&id, &given, &family, &email)
	if db.IsNoRows(err) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the person of an agent: %w", err)
	}
	addTo("name", strings.TrimSpace(given+" "+family))
	if email != nil && *email != "" {
		addTo("mbox", "mailto:"+*email)
	}
	addTo("account", map[string]any{"homePage": s.HomePage, "name": id})
	return p, nil
}
