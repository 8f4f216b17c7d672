package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/mail"
)

// ResetLifetime is how long a password-reset link works.
const ResetLifetime = time.Hour

// Reset request limits per hour, per address and per email.
const (
	maxResetsPerAddress = 10
	maxResetsPerEmail   = 3
)

// RequestPasswordReset emails a reset link when an active account has this email. It answers the
// same whether or not the account exists, so it cannot be used to find out who has one.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"reset:email:" + email, "reset:ip:" + ip}
	since := s.Clock.Now().Add(-time.Hour)
	for i, limit := range []int{maxResetsPerEmail, maxResetsPerAddress} {
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at > ?`, keys[i], since).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return core.Errorf(core.ETOOMANY, "Too many reset requests. Wait an hour and try again.")
		}
	}
	if err := s.recordFailure(ctx, keys...); err != nil {
		return err
	}
	var accountID string
	err := s.DB.QueryRowContext(ctx, `SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id
		WHERE p.email = ? AND a.disabled_at IS NULL AND p.status = 'active'`, email).Scan(&accountID)
	if db.IsNoRows(err) {
		s.Log.InfoContext(ctx, "password reset requested for an unknown email", "ip", ip)
		return nil
	}
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return s.sendReset(ctx, accountID, email, "Reset your learnloop password", "Someone (hopefully you) asked to reset your learnloop password.")
}

func (s *Service) sendReset(ctx context.Context, accountID, email, subject, intro string) error {
	token := randomToken(32)
	now := s.Clock.Now()
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO password_resets (id, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashToken(token), accountID, now, now.Add(ResetLifetime)); err != nil {
		return fmt.Errorf("store reset link: %w", err)
	}
	link := s.BaseURL + "/password/reset/" + token
	return s.Mailer.Send(ctx, mail.Message{To: email, Subject: subject, Text: fmt.Sprintf(
		"%s\n\nOpen this link within %d minutes to choose a password:\n%s\n\nIf you did not ask for this, ignore this email.\n",
		intro, int(ResetLifetime.Minutes()), link)})
}

// SendPasswordLink emails a person a link to set their password (an administrator's "reset
// password" button); the old password keeps working until the link is used.
func (s *Service) SendPasswordLink(ctx context.Context, actor *core.Actor, accountID string) error {
	if err := actor.Require(core.PermAccountsWrite); err != nil {
		return err
	}
	a, err := s.findAccount(ctx, s.DB.Reader(), "a.id = ?", accountID)
	if err != nil {
		return err
	}
	if a.Disabled || a.PersonStatus != "active" || a.Email == "" {
		return core.Errorf(core.ECONFLICT, "this account cannot sign in, so a password link would not work")
	}
	if err := s.sendReset(ctx, a.ID, a.Email, "Set your learnloop password", "An administrator sent you a link to set your learnloop password."); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		return s.audit(ctx, tx, actor, audit.Entry{Action: "account.password_link", TargetType: "account", TargetID: a.ID,
			Summary: fmt.Sprintf("Sent a password link to %s <%s>", a.Name, a.Email)})
	})
}

var errBadReset = core.Errorf(core.EINVALID, "This reset link is not valid any more. Ask for a new one.")

// CheckResetToken reports whether a reset link can still be used.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	_, err := s.resetAccount(ctx, s.DB.Reader(), token)
	return err
}

func (s *Service) resetAccount(ctx context.Context, q db.Queryer, token string) (string, error) {
	if token == "" || len(token) > 100 {
		return "", errBadReset
	}
	var accountID string
	err := q.QueryRowContext(ctx, `SELECT r.account_id FROM password_resets r JOIN accounts a ON a.id = r.account_id JOIN people p ON p.id = a.person_id
		WHERE r.id = ? AND r.used_at IS NULL AND r.expires_at > ? AND a.disabled_at IS NULL AND p.status = 'active'`,
		hashToken(token), s.Clock.Now()).Scan(&accountID)
	if db.IsNoRows(err) {
		return "", errBadReset
	}
	return accountID, err
}

// ResetPassword sets a new password with a reset link, which then stops working, and ends every
// session of the account.
func (s *Service) ResetPassword(ctx context.Context, token, pw string) error {
	accountID, err := s.resetAccount(ctx, s.DB.Reader(), token)
	if err != nil {
		return err
	}
	a, err := s.findAccount(ctx, s.DB.Reader(), "a.id = ?", accountID)
	if err != nil {
		return err
	}
	self := &core.Actor{AccountID: a.ID, PersonID: a.PersonID, Name: a.Name, Email: a.Email}
	// The link is checked again inside the transaction, so it cannot be used twice at once.
	return s.storePassword(ctx, self, a, pw, "", "account.password_reset", "%s <%s> reset their password with an emailed link",
		func(tx *db.Tx) error { _, err := s.resetAccount(ctx, tx, token); return err })
}
