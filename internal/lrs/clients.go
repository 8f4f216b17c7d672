package lrs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// The xAPI scopes an LRS client can hold (xAPI 1.0.3, Communication 4.2 "OAuth Authorization
// Scope"; 2.0 keeps them). "all" includes everything, "all/read" every read.
const (
	ScopeStatementsWrite    = "statements/write"
	ScopeStatementsRead     = "statements/read"
	ScopeStatementsReadMine = "statements/read/mine"
	ScopeAllRead            = "all/read"
	ScopeAll                = "all"
	ScopeState              = "state"
	ScopeDefine             = "define"
	ScopeProfile            = "profile"
)

// Scopes lists every scope in display order.
var Scopes = []string{ScopeStatementsWrite, ScopeStatementsRead, ScopeStatementsReadMine, ScopeState, ScopeProfile, ScopeDefine, ScopeAllRead, ScopeAll}

// Client is a system that talks to the LRS with HTTP Basic credentials: an e-learning package, a
// simulator, a vendor's platform, a script. The statements it sends carry it as their authority.
type Client struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Key        string     `json:"key"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// Statements counts the statements the client has stored.
	Statements int64 `json:"statements"`
}

// Can reports whether the client holds scope, directly or through "all" (and "all/read" for
// reads).
func (c *Client) Can(scope string) bool {
	if slices.Contains(c.Scopes, ScopeAll) || slices.Contains(c.Scopes, scope) {
		return true
	}
	switch scope {
	case ScopeStatementsRead, ScopeStatementsReadMine:
		return slices.Contains(c.Scopes, ScopeAllRead) || (scope == ScopeStatementsReadMine && slices.Contains(c.Scopes, ScopeStatementsRead))
	}
	return false
}

// CanRead reports whether the client may read statements at all (its own at least).
func (c *Client) CanRead() bool {
	return c.Can(ScopeStatementsRead) || c.Can(ScopeStatementsReadMine)
}

// ReadsOnlyOwn reports whether the client may read only the statements it stored.
func (c *Client) ReadsOnlyOwn() bool {
	return !c.Can(ScopeStatementsRead) && c.Can(ScopeStatementsReadMine)
}

// ParseScopes reads a comma- or space-separated list of xAPI scopes.
func ParseScopes(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(Scopes, f) {
			return nil, core.Invalid("scopes", "unknown scope %q: use %s", f, strings.Join(Scopes, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, core.Invalid("scopes", "name at least one scope")
	}
	return out, nil
}

// NewClient describes a client to create.
type NewClient struct {
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

// CreateClient creates an LRS client and returns it with its secret, which is never shown again.
func (s *Service) CreateClient(ctx context.Context, actor *core.Actor, in NewClient) (*Client, string, error) {
	if err := requireClients(actor); err != nil {
		return nil, "", err
	}
	in.Name = strings.TrimSpace(in.Name)
	var v core.Validation
	switch {
	case in.Name == "":
		v.Add("name", "name the client after what uses it")
	case len(in.Name) > 100:
		v.Add("name", "must be at most 100 characters")
	}
	scopes, err := ParseScopes(strings.Join(in.Scopes, " "))
	if err != nil {
		v.Add("scopes", "%s", core.ErrorMessage(err))
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	now := s.Clock.Now()
	c := &Client{ID: core.NewID(), Name: in.Name, Key: random(12), Scopes: scopes, CreatedAt: now}
	secret := random(24)
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var by any
		if actor.AccountID != "" {
			by = actor.AccountID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO xapi_clients (id, name, key, secret_hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Name, c.Key, hashSecret(secret), strings.Join(c.Scopes, " "), by, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, actor, audit.Entry{Action: "xapi_client.create", TargetType: "xapi_client", TargetID: c.ID,
			Summary: fmt.Sprintf("Created LRS client %q with scopes %s", c.Name, strings.Join(c.Scopes, " "))})
	})
	if err != nil {
		return nil, "", err
	}
	return c, secret, nil
}

func requireClients(actor *core.Actor) error {
	if actor.TokenID != "" {
		return &core.Error{Code: core.EFORBIDDEN, Message: "an API token cannot manage LRS clients; sign in to do it"}
	}
	return actor.Require(core.PermXAPIClients)
}

const clientColumns = `id, name, key, scopes, created_at, revoked_at, last_used_at, statements`

func scanClient(row db.Row) (*Client, error) {
	var c Client
	var scopes string
	if err := row.Scan(&c.ID, &c.Name, &c.Key, &scopes, &c.CreatedAt, &c.RevokedAt, &c.LastUsedAt, &c.Statements); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	c.Scopes = strings.Fields(scopes)
	return &c, nil
}

// Clients lists the LRS clients, active ones first.
func (s *Service) Clients(ctx context.Context, actor *core.Actor) ([]*Client, error) {
	if err := requireClients(actor); err != nil {
		return nil, err
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+clientColumns+` FROM xapi_clients ORDER BY revoked_at IS NOT NULL, created_at DESC, id LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("list LRS clients: %w", err)
	}
	return db.Collect(rows, scanClient)
}

// Client finds one client by its id or its key.
func (s *Service) Client(ctx context.Context, actor *core.Actor, idOrKey string) (*Client, error) {
	if err := requireClients(actor); err != nil {
		return nil, err
	}
	c, err := scanClient(s.DB.Reader().QueryRowContext(ctx, `SELECT `+clientColumns+` FROM xapi_clients WHERE id = ? OR key = ?`, idOrKey, idOrKey))
	if db.IsNoRows(err) {
		return nil, core.NotFound("LRS client")
	}
	return c, err
}

// RevokeClient stops a client's credentials from working; its statements stay.
func (s *Service) RevokeClient(ctx context.Context, actor *core.Actor, idOrKey string) error {
	c, err := s.Client(ctx, actor, idOrKey)
	if err != nil || c.RevokedAt != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE xapi_clients SET revoked_at = ? WHERE id = ?`, now, c.ID); err != nil {
			return err
		}
		s.mu.Lock()
		delete(s.clients, c.Key)
		s.mu.Unlock()
		return audit.Record(ctx, tx, now, actor, audit.Entry{Action: "xapi_client.revoke", TargetType: "xapi_client", TargetID: c.ID,
			Summary: fmt.Sprintf("Revoked LRS client %q", c.Name)})
	})
}

// Authenticate returns the active client with these Basic credentials, or an EUNAUTHORIZED
// error. Clients are remembered for a short while so that a burst of requests does not read the
// same row again and again; a revocation takes effect here at once and on other instances
// within clientTTL. Last use is written at most once a minute per client.
func (s *Service) Authenticate(ctx context.Context, key, secret string) (*Client, error) {
	unauthorized := core.Errorf(core.EUNAUTHORIZED, "the LRS credentials are not valid or were revoked")
	if key == "" || len(key) > 100 || len(secret) > 200 {
		return nil, unauthorized
	}
	now := s.Clock.Now()
	s.mu.Lock()
	k, ok := s.clients[key]
	s.mu.Unlock()
	if !ok || now.After(k.until) {
		var c Client
		var scopes string
		err := s.DB.Reader().QueryRowContext(ctx, `SELECT id, name, key, scopes, created_at, last_used_at, secret_hash FROM xapi_clients WHERE key = ? AND revoked_at IS NULL`, key).
			Scan(&c.ID, &c.Name, &c.Key, &scopes, &c.CreatedAt, &c.LastUsedAt, &k.hash)
		if db.IsNoRows(err) {
			return nil, unauthorized
		}
		if err != nil {
			return nil, fmt.Errorf("authenticate LRS client: %w", err)
		}
		c.Scopes = strings.Fields(scopes)
		k.client, k.until = &c, now.Add(clientTTL)
		if c.LastUsedAt != nil {
			k.used = *c.LastUsedAt
		}
		s.mu.Lock()
		if len(s.clients) >= 1000 {
			clear(s.clients)
		}
		s.clients[key] = k
		s.mu.Unlock()
	}
	if !secretMatches(secret, k.hash) {
		return nil, unauthorized
	}
	if now.Sub(k.used) > time.Minute {
		k.used = now
		s.mu.Lock()
		s.clients[key] = k
		s.mu.Unlock()
		if _, err := s.DB.ExecContext(ctx, `UPDATE xapi_clients SET last_used_at = ? WHERE id = ?`, now, k.client.ID); err != nil {
			return nil, fmt.Errorf("record LRS client use: %w", err)
		}
	}
	return k.client, nil
}

// clientTTL is how long an authenticated client is remembered.
const clientTTL = 30 * time.Second

type cachedClient struct {
	client *Client
	hash   string
	until  time.Time
	used   time.Time
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func secretMatches(secret, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(hash)) == 1
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
