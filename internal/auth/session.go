package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Session is a signed-in browser.
type Session struct {
	// ID is the SHA-256 of the cookie token; the token itself is never stored.
	ID        string
	Token     string // only set by Login
	AccountID string
	ExpiresAt time.Time
}

// Sign-in throttling: failures counted per account and per client address over a window.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 5
	maxAddressFailures = 30
)

var errBadLogin = &core.Error{Code: core.EUNAUTHORIZED, Field: "password", Message: "The email or password is not right."}

// Login checks an email and password and starts a session.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (*Session, *core.Actor, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"login:email:" + email, "login:ip:" + ip}
	if err := s.throttled(ctx, keys, []int{maxAccountFailures, maxAddressFailures}); err != nil {
		return nil, nil, err
	}
	var accountID, hash string
	err := s.DB.QueryRowContext(ctx, `SELECT a.id, a.password_hash FROM accounts a JOIN people p ON p.id = a.person_id
		WHERE p.email = ? AND a.disabled_at IS NULL AND p.status = 'active'`, email).Scan(&accountID, &hash)
	if err != nil && !db.IsNoRows(err) {
		return nil, nil, fmt.Errorf("login: %w", err)
	}
	if accountID == "" || hash == "" {
		s.verifyDummy(password)
		return nil, nil, s.failLogin(ctx, keys)
	}
	if len(password) > 4*MaxPasswordLen || !VerifyPassword(hash, password) {
		return nil, nil, s.failLogin(ctx, keys)
	}
	token := randomToken(32)
	now := s.Clock.Now()
	sess := &Session{ID: hashToken(token), Token: token, AccountID: accountID, ExpiresAt: s.expiry(now, now)}
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, accountID, now, now, sess.ExpiresAt, ip, userAgent); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET last_login_at = ? WHERE id = ?`, now, accountID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, keys[0])
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("start session: %w", err)
	}
	actor, _, err := s.Authenticate(ctx, token)
	return sess, actor, err
}

func (s *Service) failLogin(ctx context.Context, keys []string) error {
	if err := s.recordFailure(ctx, keys...); err != nil {
		return err
	}
	return errBadLogin
}

// expiry is when a session last used at seen and created at created ends.
func (s *Service) expiry(created, seen time.Time) time.Time {
	idle, hard := seen.Add(s.SessionIdle), created.Add(s.SessionMax)
	if idle.Before(hard) {
		return idle
	}
	return hard
}

// throttled returns ETOOMANY when any key has reached its limit of failures in the window.
func (s *Service) throttled(ctx context.Context, keys []string, limits []int) error {
	since := s.Clock.Now().Add(-throttleWindow)
	for i, k := range keys {
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at > ?`, k, since).Scan(&n); err != nil {
			return fmt.Errorf("check throttle: %w", err)
		}
		if n >= limits[i] {
			return core.Errorf(core.ETOOMANY, "Too many attempts. Wait %d minutes and try again.", int(throttleWindow.Minutes()))
		}
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, keys ...string) error {
	now := s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, k, now); err != nil {
				return fmt.Errorf("record failure: %w", err)
			}
		}
		return nil
	})
}

// touchEvery limits how often a session's last use is written: at most once a minute.
const touchEvery = time.Minute

// Authenticate returns the actor of a session token, extending the session while it is used.
// An unknown, expired or ended session, a disabled account and a person who left are all
// EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (*core.Actor, *Session, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, core.Errorf(core.EUNAUTHORIZED, "please sign in")
	}
	id := hashToken(token)
	now := s.Clock.Now()
	var created, seen time.Time
	a := &core.Actor{}
	sess := &Session{ID: id}
	err := s.DB.QueryRowContext(ctx, `SELECT s.account_id, s.created_at, s.last_seen_at, s.expires_at, a.person_id,
		p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), p.time_zone,
		EXISTS (SELECT 1 FROM people r WHERE r.manager_id = a.person_id AND r.status = 'active')
		FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN people p ON p.id = a.person_id
		WHERE s.id = ? AND s.expires_at > ? AND a.disabled_at IS NULL AND p.status = 'active'`, id, now).
		Scan(&sess.AccountID, &created, &seen, &sess.ExpiresAt, &a.PersonID, &a.Name, &a.Email, &a.TimeZone, &a.IsManager)
	if db.IsNoRows(err) {
		return nil, nil, core.Errorf(core.EUNAUTHORIZED, "your session has ended; please sign in again")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate session: %w", err)
	}
	a.AccountID = sess.AccountID
	if a.Roles, err = s.roles(ctx, a.AccountID); err != nil {
		return nil, nil, err
	}
	if now.Sub(seen) >= touchEvery {
		sess.ExpiresAt = s.expiry(created, now)
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, now, sess.ExpiresAt, id); err != nil {
			return nil, nil, fmt.Errorf("extend session: %w", err)
		}
	}
	return a, sess, nil
}

func (s *Service) roles(ctx context.Context, accountID string) ([]core.Role, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT role FROM account_roles WHERE account_id = ? ORDER BY role`, accountID)
	if err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	var out []core.Role
	for rows.Next() {
		var r core.Role
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, hashToken(token))
	return err
}

// EndSessions ends every session of an account (sign out everywhere).
func (s *Service) EndSessions(ctx context.Context, actor *core.Actor, accountID string) error {
	if accountID != actor.AccountID {
		if err := actor.Require(core.PermAccountsWrite); err != nil {
			return err
		}
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "account.sessions_end", TargetType: "account", TargetID: accountID, Summary: "Ended all sessions"})
	})
}

// Cleanup deletes expired sessions, old sign-in failures and spent reset links. It is safe to run
// from several instances at once.
func (s *Service) Cleanup(ctx context.Context) error {
	now := s.Clock.Now()
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at < ?`, now},
		{`DELETE FROM login_failures WHERE at < ?`, now.Add(-24 * time.Hour)},
		{`DELETE FROM password_resets WHERE expires_at < ?`, now.Add(-24 * time.Hour)},
	} {
		if _, err := s.DB.ExecContext(ctx, q.sql, q.at); err != nil {
			return fmt.Errorf("cleanup: %w", err)
		}
	}
	return nil
}
