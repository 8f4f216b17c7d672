package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognize in logs and scanners.
const TokenPrefix = "ll_"

// Token is an API token for integrations. Only its hash is stored; the token itself is shown
// once, when it is created.
type Token struct {
	ID           string            `json:"id"`
	AccountID    string            `json:"account_id"`
	AccountEmail string            `json:"account_email"`
	Name         string            `json:"name"`
	Prefix       string            `json:"prefix"`
	Scopes       []core.Permission `json:"scopes"`
	CreatedAt    time.Time         `json:"created_at"`
	ExpiresAt    *time.Time        `json:"expires_at"`
	LastUsedAt   *time.Time        `json:"last_used_at"`
	RevokedAt    *time.Time        `json:"revoked_at"`
}

// Active reports whether the token still works at now.
func (t *Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now))
}

// NewToken describes a token to create.
type NewToken struct {
	AccountID string            `json:"account_id"` // "" for the actor's own account
	Name      string            `json:"name"`
	Scopes    []core.Permission `json:"scopes"`
	ExpiresAt *time.Time        `json:"expires_at"`
}

// CreateToken creates a token and returns it with its secret, which is never shown again. A
// token's scopes must be within what its account may do; tokens cannot create tokens.
func (s *Service) CreateToken(ctx context.Context, actor *core.Actor, in NewToken) (*Token, string, error) {
	if actor.TokenID != "" {
		return nil, "", &core.Error{Code: core.EFORBIDDEN, Message: "an API token cannot create tokens; sign in to create one"}
	}
	if in.AccountID == "" {
		in.AccountID = actor.AccountID
	}
	if in.AccountID != actor.AccountID {
		if err := actor.Require(core.PermTokensAll); err != nil {
			return nil, "", err
		}
	}
	in.Name = strings.TrimSpace(in.Name)
	var v core.Validation
	if in.Name == "" {
		v.Add("name", "name the token after what uses it")
	}
	if len(in.Name) > 100 {
		v.Add("name", "must be at most 100 characters")
	}
	if len(in.Scopes) == 0 {
		v.Add("scopes", "choose at least one scope")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.Clock.Now()) {
		v.Add("expires_at", "must be in the future")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	a, err := s.findAccount(ctx, s.DB.Reader(), "a.id = ?", in.AccountID)
	if err != nil {
		return nil, "", core.Invalid("account_id", "unknown account")
	}
	owner := &core.Actor{AccountID: a.ID, PersonID: a.PersonID, Roles: a.Roles}
	for _, sc := range in.Scopes {
		if !slices.Contains(core.Scopes, sc) {
			return nil, "", core.Invalid("scopes", "unknown scope %q", sc)
		}
		if !owner.Can(sc) {
			return nil, "", core.Invalid("scopes", "the account's roles do not allow %s", sc)
		}
	}
	secret := TokenPrefix + randomToken(32)
	now := s.Clock.Now()
	t := &Token{ID: core.NewID(), AccountID: a.ID, AccountEmail: a.Email, Name: in.Name, Prefix: secret[:len(TokenPrefix)+6],
		Scopes: in.Scopes, CreatedAt: now, ExpiresAt: in.ExpiresAt}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, account_id, name, hash, prefix, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.AccountID, t.Name, hashToken(secret), t.Prefix, scopesText(t.Scopes), now, t.ExpiresAt); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "token.create", TargetType: "token", TargetID: t.ID,
			Summary: fmt.Sprintf("Created API token %q for %s with scopes %s", t.Name, a.Email, scopesText(t.Scopes))})
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

func scopesText(ps []core.Permission) string {
	var s []string
	for _, p := range ps {
		s = append(s, string(p))
	}
	return strings.Join(s, " ")
}

const tokenColumns = `t.id, t.account_id, COALESCE(p.email, ''), t.name, t.prefix, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*Token, error) {
	var t Token
	var scopes string
	err := row.Scan(&t.ID, &t.AccountID, &t.AccountEmail, &t.Name, &t.Prefix, &scopes, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt)
	t.CreatedAt = t.CreatedAt.UTC()
	for _, f := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, core.Permission(f))
	}
	return &t, err
}

// FindTokens lists the actor's own tokens, or every token when all is set (system administrators).
func (s *Service) FindTokens(ctx context.Context, actor *core.Actor, all bool) ([]*Token, error) {
	cond, args := "t.account_id = ?", []any{actor.AccountID}
	if all {
		if err := actor.Require(core.PermTokensAll); err != nil {
			return nil, err
		}
		cond, args = "1 = 1", nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN people p ON p.id = a.person_id
		WHERE `+cond+` ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return db.Collect(rows, scanToken)
}

// RevokeToken stops a token from working. People revoke their own; system administrators any.
func (s *Service) RevokeToken(ctx context.Context, actor *core.Actor, id string) error {
	if !core.ValidID(id) {
		return core.NotFound("token")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN people p ON p.id = a.person_id WHERE t.id = ?`, id))
		if db.IsNoRows(err) {
			return core.NotFound("token")
		}
		if err != nil {
			return err
		}
		if t.AccountID != actor.AccountID && !actor.Can(core.PermTokensAll) {
			return core.NotFound("token")
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, s.Clock.Now(), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "token.revoke", TargetType: "token", TargetID: id,
			Summary: fmt.Sprintf("Revoked API token %q of %s", t.Name, t.AccountEmail)})
	})
}

// TokenActor returns the actor of a bearer token: the token's account, limited to its scopes.
func (s *Service) TokenActor(ctx context.Context, secret string) (*core.Actor, error) {
	unauthorized := core.Errorf(core.EUNAUTHORIZED, "the API token is not valid, expired or revoked")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, unauthorized
	}
	now := s.Clock.Now()
	a := &core.Actor{}
	var scopes string
	var lastUsed *time.Time
	err := s.DB.QueryRowContext(ctx, `SELECT t.id, t.scopes, t.last_used_at, a.id, a.person_id, p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), p.time_zone,
		EXISTS (SELECT 1 FROM people r WHERE r.manager_id = a.person_id AND r.status = 'active')
		FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN people p ON p.id = a.person_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND a.disabled_at IS NULL AND p.status = 'active'`,
		hashToken(secret), now).Scan(&a.TokenID, &scopes, &lastUsed, &a.AccountID, &a.PersonID, &a.Name, &a.Email, &a.TimeZone, &a.IsManager)
	if db.IsNoRows(err) {
		return nil, unauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate token: %w", err)
	}
	a.Scopes = []core.Permission{}
	for _, f := range strings.Fields(scopes) {
		a.Scopes = append(a.Scopes, core.Permission(f))
	}
	if a.Roles, err = s.roles(ctx, a.AccountID); err != nil {
		return nil, err
	}
	if lastUsed == nil || now.Sub(*lastUsed) >= touchEvery {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, a.TokenID); err != nil {
			return nil, fmt.Errorf("record token use: %w", err)
		}
	}
	return a, nil
}
