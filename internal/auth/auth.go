// Package auth holds accounts (a person's right to sign in), their granted roles, password
// hashing, sessions, API tokens, password resets and sign-in throttling. It turns a session
// cookie or a bearer token into the core.Actor that every domain service checks.
//
// An account always belongs to a person; the person's email is the sign-in name and the
// person's status decides whether the account works (someone who left cannot sign in).
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
)

// Service is the accounts and authentication service.
type Service struct {
	DB     *db.DB
	Clock  core.Clock
	Org    *org.Service
	Mailer mail.Mailer
	Log    *slog.Logger
	// BaseURL prefixes links in emails ("https://learn.example.com").
	BaseURL string
	Params  PasswordParams
	// Lifetimes of sessions: idle (since the last request) and absolute.
	SessionIdle, SessionMax time.Duration
	// dummyHash is verified when an email is unknown, so a wrong email costs as much time as a
	// wrong password and does not reveal which accounts exist. Made on first use.
	dummyOnce sync.Once
	dummyHash string
}

// NewService returns a Service with default settings.
func NewService(d *db.DB, clock core.Clock, orgs *org.Service, mailer mail.Mailer, log *slog.Logger, baseURL string) *Service {
	s := &Service{DB: d, Clock: clock, Org: orgs, Mailer: mailer, Log: log, BaseURL: strings.TrimSuffix(baseURL, "/"),
		Params: DefaultParams, SessionIdle: 12 * time.Hour, SessionMax: 7 * 24 * time.Hour}
	return s
}

// verifyDummy spends the time of one password check.
func (s *Service) verifyDummy(pw string) {
	s.dummyOnce.Do(func() { s.dummyHash, _ = HashPassword(randomToken(16), s.Params) })
	VerifyPassword(s.dummyHash, pw)
}

// Account is a person's sign-in.
type Account struct {
	ID              string      `json:"id"`
	PersonID        string      `json:"person_id"`
	Name            string      `json:"name"`
	Email           string      `json:"email"`
	PersonStatus    string      `json:"person_status"`
	Roles           []core.Role `json:"roles"`
	HasPassword     bool        `json:"has_password"`
	Disabled        bool        `json:"disabled"`
	CreatedAt       time.Time   `json:"created_at"`
	LastLoginAt     *time.Time  `json:"last_login_at"`
	PasswordChanged *time.Time  `json:"password_changed_at"`
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

func (s *Service) audit(ctx context.Context, tx *db.Tx, actor *core.Actor, e audit.Entry) error {
	return audit.Record(ctx, tx, s.Clock.Now(), actor, e)
}

const accountColumns = `a.id, a.person_id, p.given_name || ' ' || p.family_name, COALESCE(p.email, ''), p.status,
	a.password_hash <> '', a.disabled_at IS NOT NULL, a.created_at, a.last_login_at, a.password_changed_at`

func scanAccount(row interface{ Scan(...any) error }) (*Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.PersonID, &a.Name, &a.Email, &a.PersonStatus, &a.HasPassword, &a.Disabled, &a.CreatedAt, &a.LastLoginAt, &a.PasswordChanged)
	a.CreatedAt = a.CreatedAt.UTC()
	a.Roles = []core.Role{}
	return &a, err
}

// loadRoles fills the roles of the given accounts.
func (s *Service) loadRoles(ctx context.Context, q db.Queryer, accounts ...*Account) error {
	if len(accounts) == 0 {
		return nil
	}
	byID := map[string]*Account{}
	args := make([]any, 0, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
		args = append(args, a.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT account_id, role FROM account_roles WHERE account_id IN `+db.In(len(args))+` ORDER BY role`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var r core.Role
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		byID[id].Roles = append(byID[id].Roles, r)
	}
	return rows.Err()
}

// AccountFilter selects accounts.
type AccountFilter struct {
	Query  string // matches name or email
	Role   core.Role
	Cursor string
	Limit  int
}

// FindAccounts lists accounts by email.
func (s *Service) FindAccounts(ctx context.Context, actor *core.Actor, f AccountFilter) ([]*Account, string, error) {
	if err := actor.Require(core.PermAccountsRead); err != nil {
		return nil, "", err
	}
	where, args := []string{"1 = 1"}, []any{}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		where = append(where, "(lower(p.given_name || ' ' || p.family_name) LIKE ? ESCAPE '\\' OR p.email LIKE ? ESCAPE '\\')")
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		args = append(args, like, like)
	}
	if f.Role != "" {
		where, args = append(where, "a.id IN (SELECT account_id FROM account_roles WHERE role = ?)"), append(args, f.Role)
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 2)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(COALESCE(p.email, '') > ? OR (COALESCE(p.email, '') = ? AND a.id > ?))")
		args = append(args, key[0], key[0], key[1])
	}
	limit := core.ClampLimit(f.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a JOIN people p ON p.id = a.person_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY COALESCE(p.email, ''), a.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find accounts: %w", err)
	}
	defer rows.Close()
	var out []*Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = core.EncodeCursor(out[limit-1].Email, out[limit-1].ID)
	}
	return out, next, s.loadRoles(ctx, s.DB.Reader(), out...)
}

// FindAccountByID returns one account. Anyone may read their own.
func (s *Service) FindAccountByID(ctx context.Context, actor *core.Actor, id string) (*Account, error) {
	if id != actor.AccountID || actor.Scopes != nil {
		if err := actor.Require(core.PermAccountsRead); err != nil {
			return nil, err
		}
	}
	return s.findAccount(ctx, s.DB.Reader(), "a.id = ?", id)
}

// FindAccountByPerson returns the account of a person; ENOTFOUND when they have none.
func (s *Service) FindAccountByPerson(ctx context.Context, actor *core.Actor, personID string) (*Account, error) {
	if personID != actor.PersonID {
		if err := actor.Require(core.PermAccountsRead); err != nil {
			return nil, err
		}
	}
	return s.findAccount(ctx, s.DB.Reader(), "a.person_id = ?", personID)
}

func (s *Service) findAccount(ctx context.Context, q db.Queryer, cond string, arg string) (*Account, error) {
	if !core.ValidID(arg) && !strings.Contains(cond, "email") {
		return nil, core.NotFound("account")
	}
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a JOIN people p ON p.id = a.person_id WHERE `+cond, arg))
	if db.IsNoRows(err) {
		return nil, core.NotFound("account")
	}
	if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return a, s.loadRoles(ctx, q, a)
}

// NewAccount describes an account to create: for an existing person (PersonID) or, from the
// command line, for a new person described by Person.
type NewAccount struct {
	PersonID string           `json:"person_id"`
	Person   *org.PersonInput `json:"-"`
	Password string           `json:"password"`
	Roles    []core.Role      `json:"roles"`
}

// CreateAccount gives a person an account. Without a password the person sets one through the
// password-reset link, which is emailed to them.
func (s *Service) CreateAccount(ctx context.Context, actor *core.Actor, in NewAccount) (*Account, error) {
	if err := actor.Require(core.PermAccountsWrite); err != nil {
		return nil, err
	}
	if err := s.checkGrant(actor, in.Roles); err != nil {
		return nil, err
	}
	if in.Person != nil {
		p, err := s.Org.CreatePerson(ctx, actor, *in.Person)
		if err != nil {
			return nil, err
		}
		in.PersonID = p.ID
	}
	person, err := s.Org.FindPersonByID(ctx, core.System, in.PersonID)
	if err != nil {
		return nil, core.Invalid("person_id", "unknown person")
	}
	if person.Email == "" {
		return nil, core.Invalid("person_id", "%s has no email address, which is needed to sign in", person.Name())
	}
	hash := ""
	if in.Password != "" {
		if err := CheckPassword(in.Password, person.Email); err != nil {
			return nil, err
		}
		if hash, err = HashPassword(in.Password, s.Params); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	id := core.NewID()
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var changed any
		if hash != "" {
			changed = now
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, person_id, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, person.ID, hash, changed, now)
		if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
			return &core.Error{Code: core.ECONFLICT, Field: "person_id", Message: person.Name() + " already has an account"}
		}
		if err != nil {
			return err
		}
		for _, r := range in.Roles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, ?, ?)`, id, r, now); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "account.create", TargetType: "account", TargetID: id,
			Summary: fmt.Sprintf("Created an account for %s <%s>%s", person.Name(), person.Email, rolesText(in.Roles)),
			Details: map[string]any{"person_id": person.ID, "roles": in.Roles}})
	})
	if err != nil {
		return nil, err
	}
	if hash == "" {
		if err := s.sendReset(ctx, id, person.Email, "Set your learnloop password", "An account was created for you on learnloop."); err != nil {
			s.Log.ErrorContext(ctx, "send account invitation", "account", id, "err", err)
		}
	}
	return s.findAccount(ctx, s.DB.Reader(), "a.id = ?", id)
}

func rolesText(rs []core.Role) string {
	if len(rs) == 0 {
		return ""
	}
	var names []string
	for _, r := range rs {
		names = append(names, string(r))
	}
	return " with roles " + strings.Join(names, ", ")
}

// checkGrant refuses roles the actor may not hand out: only system administrators grant the
// system administrator role.
func (s *Service) checkGrant(actor *core.Actor, roles []core.Role) error {
	for _, r := range roles {
		if !slices.Contains(core.GrantableRoles, r) {
			return core.Invalid("roles", "unknown role %q", r)
		}
		if r == core.RoleSysAdmin && !actor.HasRole(core.RoleSysAdmin) {
			return &core.Error{Code: core.EFORBIDDEN, Field: "roles", Message: "only a system administrator can grant the system administrator role"}
		}
	}
	return nil
}

// SetRoles replaces an account's granted roles.
func (s *Service) SetRoles(ctx context.Context, actor *core.Actor, accountID string, roles []core.Role) (*Account, error) {
	return s.UpdateAccount(ctx, actor, accountID, &roles, nil)
}

// SetDisabled disables or re-enables an account. Disabling ends its sessions and stops its tokens.
func (s *Service) SetDisabled(ctx context.Context, actor *core.Actor, accountID string, disabled bool) (*Account, error) {
	return s.UpdateAccount(ctx, actor, accountID, nil, &disabled)
}

// UpdateAccount changes an account's roles and whether it is disabled, in one transaction; nil
// leaves that part as it is.
func (s *Service) UpdateAccount(ctx context.Context, actor *core.Actor, accountID string, roles *[]core.Role, disabled *bool) (*Account, error) {
	if err := actor.Require(core.PermAccountsWrite); err != nil {
		return nil, err
	}
	if disabled != nil && *disabled && accountID == actor.AccountID {
		return nil, core.Errorf(core.ECONFLICT, "you cannot disable your own account")
	}
	var rs []core.Role
	if roles != nil {
		rs = slices.Compact(slices.Sorted(slices.Values(*roles)))
		if err := s.checkGrant(actor, rs); err != nil {
			return nil, err
		}
	}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		a, err := s.findAccount(ctx, tx, "a.id = ?", accountID)
		if err != nil {
			return err
		}
		if roles != nil {
			if err := s.setRoles(ctx, tx, actor, a, rs); err != nil {
				return err
			}
		}
		if disabled != nil {
			return s.setDisabled(ctx, tx, actor, a, *disabled)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.findAccount(ctx, s.DB.Reader(), "a.id = ?", accountID)
}

func (s *Service) setRoles(ctx context.Context, tx *db.Tx, actor *core.Actor, a *Account, roles []core.Role) error {
	had := slices.Contains(a.Roles, core.RoleSysAdmin)
	if had != slices.Contains(roles, core.RoleSysAdmin) && !actor.HasRole(core.RoleSysAdmin) {
		return &core.Error{Code: core.EFORBIDDEN, Field: "roles", Message: "only a system administrator can change who is a system administrator"}
	}
	if had && !slices.Contains(roles, core.RoleSysAdmin) {
		if err := s.keepOneSysAdmin(ctx, tx, a.ID); err != nil {
			return err
		}
	}
	if slices.Equal(a.Roles, roles) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM account_roles WHERE account_id = ?`, a.ID); err != nil {
		return err
	}
	now := s.Clock.Now()
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, ?, ?)`, a.ID, r, now); err != nil {
			return err
		}
	}
	before := a.Roles
	a.Roles = roles
	return s.audit(ctx, tx, actor, audit.Entry{Action: "account.roles", TargetType: "account", TargetID: a.ID,
		Summary: fmt.Sprintf("Changed the roles of %s <%s> from [%s] to [%s]", a.Name, a.Email, joinRoles(before), joinRoles(roles)),
		Details: map[string]any{"before": before, "after": roles}})
}

func joinRoles(rs []core.Role) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// keepOneSysAdmin refuses to remove the last working system administrator, who would lock
// everyone out of administration.
func (s *Service) keepOneSysAdmin(ctx context.Context, tx *db.Tx, losing string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM account_roles r JOIN accounts a ON a.id = r.account_id
		JOIN people p ON p.id = a.person_id
		WHERE r.role = 'sys_admin' AND a.disabled_at IS NULL AND p.status = 'active' AND a.id <> ?`, losing).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return core.Errorf(core.ECONFLICT, "this is the last active system administrator; make someone else one first")
	}
	return nil
}

func (s *Service) setDisabled(ctx context.Context, tx *db.Tx, actor *core.Actor, a *Account, disabled bool) error {
	if a.Disabled == disabled {
		return nil
	}
	if slices.Contains(a.Roles, core.RoleSysAdmin) {
		if !actor.HasRole(core.RoleSysAdmin) {
			return core.Forbidden
		}
		if disabled {
			if err := s.keepOneSysAdmin(ctx, tx, a.ID); err != nil {
				return err
			}
		}
	}
	var at any
	verb := "Enabled"
	if disabled {
		at, verb = s.Clock.Now(), "Disabled"
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, a.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled_at = ? WHERE id = ?`, at, a.ID); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, audit.Entry{Action: "account." + strings.ToLower(verb), TargetType: "account", TargetID: a.ID,
		Summary: fmt.Sprintf("%s the account of %s <%s>", verb, a.Name, a.Email)})
}

// SetPassword sets an account's password as an administrator (or the command line) and ends the
// account's sessions.
func (s *Service) SetPassword(ctx context.Context, actor *core.Actor, accountID, pw string) error {
	if err := actor.Require(core.PermAccountsWrite); err != nil {
		return err
	}
	a, err := s.findAccount(ctx, s.DB.Reader(), "a.id = ?", accountID)
	if err != nil {
		return err
	}
	if slices.Contains(a.Roles, core.RoleSysAdmin) && !actor.HasRole(core.RoleSysAdmin) {
		return core.Forbidden
	}
	return s.storePassword(ctx, actor, a, pw, "", "account.password_set", "Set the password of %s <%s>", nil)
}

// ChangePassword changes the actor's own password after checking the current one, and ends their
// other sessions (keepSession is the current session's token, or "").
func (s *Service) ChangePassword(ctx context.Context, actor *core.Actor, current, pw, keepSession string) error {
	if actor.AccountID == "" || actor.TokenID != "" {
		return core.Forbidden
	}
	var hash string
	if err := s.DB.QueryRowContext(ctx, `SELECT password_hash FROM accounts WHERE id = ?`, actor.AccountID).Scan(&hash); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !VerifyPassword(hash, current) {
		return core.Invalid("current_password", "the current password is not right")
	}
	a, err := s.findAccount(ctx, s.DB.Reader(), "a.id = ?", actor.AccountID)
	if err != nil {
		return err
	}
	return s.storePassword(ctx, actor, a, pw, keepSession, "account.password_change", "%s <%s> changed their password", nil)
}

// storePassword sets a's password, ends its sessions but keepSession, spends its reset links and
// audits it; check, when set, runs first in the transaction and can refuse.
func (s *Service) storePassword(ctx context.Context, actor *core.Actor, a *Account, pw, keepSession, action, summary string, check func(*db.Tx) error) error {
	if err := CheckPassword(pw, a.Email); err != nil {
		return err
	}
	hash, err := HashPassword(pw, s.Params)
	if err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?`, hash, now, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ? AND id <> ?`, a.ID, hashToken(keepSession)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL`, now, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: action, TargetType: "account", TargetID: a.ID, Summary: fmt.Sprintf(summary, a.Name, a.Email)})
	})
}

// AccountByEmail finds the account of the person with this email, for the command line.
func (s *Service) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	return s.findAccount(ctx, s.DB.Reader(), "p.email = ?", strings.ToLower(strings.TrimSpace(email)))
}
