package auth_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
)

var ctx = context.Background()

const pw = "correct horse battery"

type env struct {
	svc   *auth.Service
	orgs  *org.Service
	clock *core.FixedClock
	mail  *mail.Outbox
	d     *db.DB
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	e := &env{clock: &core.FixedClock{T: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}, mail: &mail.Outbox{}, d: d}
	e.orgs = org.NewService(d, e.clock)
	e.svc = auth.NewService(d, e.clock, e.orgs, e.mail, slog.New(slog.NewTextHandler(io.Discard, nil)), "https://learn.example.com")
	e.svc.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	return e
}

// user creates a person with an account and returns the account.
func (e *env) user(t *testing.T, email string, roles ...core.Role) *auth.Account {
	t.Helper()
	name := strings.Split(email, "@")[0]
	a, err := e.svc.CreateAccount(ctx, core.System, auth.NewAccount{Person: &org.PersonInput{GivenName: name, FamilyName: "Test", Email: email}, Password: pw, Roles: roles})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return a
}

func (e *env) login(t *testing.T, email string) (*auth.Session, *core.Actor) {
	t.Helper()
	s, a, err := e.svc.Login(ctx, email, pw, "10.0.0.1", "test")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return s, a
}

func TestPasswordHashing(t *testing.T) {
	p := auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	h, err := auth.HashPassword(pw, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := auth.HashPassword(pw, p)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tt := range []struct {
		hash, pw string
		ok       bool
	}{{h, pw, true}, {h, pw + " ", false}, {h, "", false}, {"$argon2id$v=19$garbage", pw, false}, {"", pw, false}} {
		if got := auth.VerifyPassword(tt.hash, tt.pw); got != tt.ok {
			t.Errorf("VerifyPassword(%q, %q) = %v", tt.hash, tt.pw, got)
		}
	}
	for _, bad := range []string{"short", strings.Repeat("a", 12), "me@example.com", strings.Repeat("x", 300)} {
		if auth.CheckPassword(bad, "me@example.com") == nil {
			t.Errorf("password %q accepted", bad)
		}
	}
}

func TestLoginSessionsAndThrottling(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		acct := e.user(t, "ann@example.com", core.RoleHRAdmin)
		sess, actor := e.login(t, "ANN@example.com ")
		if actor.AccountID != acct.ID || !actor.HasRole(core.RoleHRAdmin) || actor.IsManager {
			t.Errorf("actor = %+v", actor)
		}
		if got, _, err := e.svc.Authenticate(ctx, sess.Token); err != nil || got.PersonID != acct.PersonID {
			t.Errorf("authenticate: %+v, %v", got, err)
		}
		// Unknown email and wrong password look the same.
		for _, try := range [][2]string{{"nobody@example.com", pw}, {"ann@example.com", "wrong password"}} {
			_, _, err := e.svc.Login(ctx, try[0], try[1], "10.0.0.2", "")
			if core.ErrorCode(err) != core.EUNAUTHORIZED || core.ErrorMessage(err) != "The email or password is not right." {
				t.Errorf("login %v: %v", try, err)
			}
		}
		// Five failures lock the account for the window, even with the right password.
		for range 4 {
			e.svc.Login(ctx, "ann@example.com", "wrong password", "10.0.0.3", "")
		}
		if _, _, err := e.svc.Login(ctx, "ann@example.com", pw, "10.0.0.4", ""); core.ErrorCode(err) != core.ETOOMANY {
			t.Fatalf("after 5 failures: %v, want too many", err)
		}
		e.clock.Advance(16 * time.Minute)
		e.login(t, "ann@example.com")
		// An idle session ends; a used one is extended.
		e.clock.Advance(11 * time.Hour)
		if _, _, err := e.svc.Authenticate(ctx, sess.Token); err != nil {
			t.Fatalf("session used within the idle time: %v", err)
		}
		e.clock.Advance(11 * time.Hour)
		if _, _, err := e.svc.Authenticate(ctx, sess.Token); err != nil {
			t.Fatalf("session extended by use: %v", err)
		}
		e.clock.Advance(13 * time.Hour)
		if _, _, err := e.svc.Authenticate(ctx, sess.Token); core.ErrorCode(err) != core.EUNAUTHORIZED {
			t.Errorf("idle session: %v, want unauthorized", err)
		}
		// Logout ends the session.
		s2, _ := e.login(t, "ann@example.com")
		if err := e.svc.Logout(ctx, s2.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Authenticate(ctx, s2.Token); core.ErrorCode(err) != core.EUNAUTHORIZED {
			t.Errorf("after logout: %v", err)
		}
	})
}

func TestPeopleWhoLeftOrAreDisabledCannotSignIn(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		admin := e.user(t, "admin@example.com", core.RoleSysAdmin)
		_, adminActor := e.login(t, "admin@example.com")
		bob := e.user(t, "bob@example.com")
		sess, _ := e.login(t, "bob@example.com")
		if _, err := e.svc.SetDisabled(ctx, adminActor, bob.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Authenticate(ctx, sess.Token); err == nil {
			t.Error("a disabled account's session still works")
		}
		if _, _, err := e.svc.Login(ctx, "bob@example.com", pw, "1.1.1.1", ""); err == nil {
			t.Error("a disabled account can sign in")
		}
		if _, err := e.svc.SetDisabled(ctx, adminActor, bob.ID, false); err != nil {
			t.Fatal(err)
		}
		sess, _ = e.login(t, "bob@example.com")
		p, _ := e.orgs.FindPersonByID(ctx, core.System, bob.PersonID)
		in := p.Input()
		in.Status = org.StatusLeft
		if _, err := e.orgs.UpdatePerson(ctx, core.System, p.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Authenticate(ctx, sess.Token); err == nil {
			t.Error("the session of someone who left still works")
		}
		if _, err := e.svc.SetDisabled(ctx, adminActor, admin.ID, true); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("disabling yourself: %v", err)
		}
	})
}

func TestRoleGrants(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		root := e.user(t, "root@example.com", core.RoleSysAdmin)
		hr := e.user(t, "hr@example.com", core.RoleHRAdmin)
		emp := e.user(t, "emp@example.com")
		_, rootA := e.login(t, "root@example.com")
		_, hrA := e.login(t, "hr@example.com")
		_, empA := e.login(t, "emp@example.com")
		tests := []struct {
			name  string
			actor *core.Actor
			acct  string
			roles []core.Role
			code  string
		}{
			{"employee cannot grant", empA, emp.ID, []core.Role{core.RoleLnDAdmin}, core.EFORBIDDEN},
			{"HR grants L&D admin", hrA, emp.ID, []core.Role{core.RoleLnDAdmin}, ""},
			{"HR cannot make a system admin", hrA, emp.ID, []core.Role{core.RoleSysAdmin}, core.EFORBIDDEN},
			{"HR cannot demote a system admin", hrA, root.ID, nil, core.EFORBIDDEN},
			{"unknown role", rootA, emp.ID, []core.Role{"king"}, core.EINVALID},
			{"the last system admin stays", rootA, root.ID, []core.Role{core.RoleHRAdmin}, core.ECONFLICT},
			{"system admin makes a system admin", rootA, hr.ID, []core.Role{core.RoleHRAdmin, core.RoleSysAdmin}, ""},
			{"then the first may step down", rootA, root.ID, nil, ""},
		}
		for _, tt := range tests {
			_, err := e.svc.SetRoles(ctx, tt.actor, tt.acct, tt.roles)
			if core.ErrorCode(err) != tt.code {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.code)
			}
		}
		a, _ := e.svc.FindAccountByID(ctx, core.System, emp.ID)
		if !slices.Equal(a.Roles, []core.Role{core.RoleLnDAdmin}) {
			t.Errorf("emp roles = %v", a.Roles)
		}
		entries, _, err := (&audit.Service{DB: d}).Find(ctx, core.System, audit.Filter{Action: ptr("account.roles")})
		if err != nil || len(entries) != 3 {
			t.Fatalf("audit: %d entries, %v", len(entries), err)
		}
		if !strings.Contains(entries[2].Summary, "from [] to [lnd_admin]") || !strings.HasPrefix(entries[2].ActorName, "hr Test <hr@example.com>") {
			t.Errorf("audit entry: %+v", entries[2])
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestAPITokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(t, "hr@example.com", core.RoleHRAdmin)
		e.user(t, "emp@example.com")
		_, hrA := e.login(t, "hr@example.com")
		_, empA := e.login(t, "emp@example.com")
		if _, _, err := e.svc.CreateToken(ctx, empA, auth.NewToken{Name: "x", Scopes: []core.Permission{core.PermPeopleWrite}}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("employee token with people:write: %v, want invalid", err)
		}
		tok, secret, err := e.svc.CreateToken(ctx, hrA, auth.NewToken{Name: "HRIS sync", Scopes: []core.Permission{core.PermPeopleRead, core.PermPeopleWrite}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "ll_") || !strings.HasPrefix(secret, tok.Prefix) || len(secret) < 40 {
			t.Errorf("secret %q, prefix %q", secret, tok.Prefix)
		}
		a, err := e.svc.TokenActor(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Can(core.PermPeopleWrite) || a.Can(core.PermAuditRead) || !a.SeesAllPeople() {
			t.Errorf("token actor permissions: %v", a.Permissions())
		}
		if _, _, err := e.svc.CreateToken(ctx, a, auth.NewToken{Name: "y", Scopes: []core.Permission{core.PermPeopleRead}}); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("token minting a token: %v", err)
		}
		if err := e.svc.RevokeToken(ctx, empA, tok.ID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("someone else revoking: %v, want not found", err)
		}
		if err := e.svc.RevokeToken(ctx, hrA, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.TokenActor(ctx, secret); core.ErrorCode(err) != core.EUNAUTHORIZED {
			t.Errorf("revoked token: %v", err)
		}
		exp := e.clock.Now().Add(time.Hour)
		_, s2, _ := e.svc.CreateToken(ctx, hrA, auth.NewToken{Name: "short", Scopes: []core.Permission{core.PermPeopleRead}, ExpiresAt: &exp})
		e.clock.Advance(2 * time.Hour)
		if _, err := e.svc.TokenActor(ctx, s2); core.ErrorCode(err) != core.EUNAUTHORIZED {
			t.Errorf("expired token: %v", err)
		}
		if _, err := e.svc.FindTokens(ctx, hrA, true); core.ErrorCode(err) != core.EFORBIDDEN {
			t.Errorf("HR listing all tokens: %v", err)
		}
	})
}

var linkRE = regexp.MustCompile(`/password/reset/(\S+)`)

func TestPasswordResetAndChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(t, "ann@example.com")
		old, _ := e.login(t, "ann@example.com")
		if err := e.svc.RequestPasswordReset(ctx, "nobody@example.com", "1.2.3.4"); err != nil {
			t.Fatalf("unknown email: %v", err)
		}
		if len(e.mail.Sent) != 0 {
			t.Fatal("a reset email went to an unknown address")
		}
		if err := e.svc.RequestPasswordReset(ctx, "Ann@example.com", "1.2.3.4"); err != nil {
			t.Fatal(err)
		}
		m := e.mail.Last()
		match := linkRE.FindStringSubmatch(m.Text)
		if m.To != "ann@example.com" || match == nil || !strings.Contains(m.Text, "https://learn.example.com/password/reset/") {
			t.Fatalf("reset mail: %+v", m)
		}
		token := match[1]
		if err := e.svc.ResetPassword(ctx, token, "short"); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("weak password: %v", err)
		}
		if err := e.svc.ResetPassword(ctx, token, "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ResetPassword(ctx, token, "another passphrase!"); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("reusing the link: %v", err)
		}
		if _, _, err := e.svc.Authenticate(ctx, old.Token); err == nil {
			t.Error("a reset left the old session working")
		}
		s, a, err := e.svc.Login(ctx, "ann@example.com", "a brand new passphrase", "1.2.3.4", "")
		if err != nil {
			t.Fatal(err)
		}
		other, _, _ := e.svc.Login(ctx, "ann@example.com", "a brand new passphrase", "1.2.3.5", "")
		if err := e.svc.ChangePassword(ctx, a, "wrong", "third passphrase here", s.Token); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("wrong current password: %v", err)
		}
		if err := e.svc.ChangePassword(ctx, a, "a brand new passphrase", "third passphrase here", s.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Authenticate(ctx, s.Token); err != nil {
			t.Errorf("the current session should survive a password change: %v", err)
		}
		if _, _, err := e.svc.Authenticate(ctx, other.Token); err == nil {
			t.Error("other sessions should end on a password change")
		}
		// Expired links do not work.
		e.svc.RequestPasswordReset(ctx, "ann@example.com", "1.2.3.4")
		token = linkRE.FindStringSubmatch(e.mail.Last().Text)[1]
		e.clock.Advance(auth.ResetLifetime + time.Minute)
		if err := e.svc.CheckResetToken(ctx, token); err == nil {
			t.Error("an expired link still works")
		}
	})
}

func TestAccountWithoutPasswordGetsAnInvitation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p, err := e.orgs.CreatePerson(ctx, core.System, org.PersonInput{GivenName: "Cy", FamilyName: "New", Email: "cy@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.svc.CreateAccount(ctx, core.System, auth.NewAccount{PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.HasPassword || e.mail.Last().To != "cy@example.com" || !strings.Contains(e.mail.Last().Text, "/password/reset/") {
			t.Errorf("account %+v, mail %+v", a, e.mail.Last())
		}
		if _, err := e.svc.CreateAccount(ctx, core.System, auth.NewAccount{PersonID: p.ID}); core.ErrorCode(err) != core.ECONFLICT {
			t.Errorf("second account: %v", err)
		}
		if _, _, err := e.svc.Login(ctx, "cy@example.com", "", "1.1.1.1", ""); core.ErrorCode(err) != core.EUNAUTHORIZED {
			t.Errorf("empty password on an account without one: %v", err)
		}
	})
}
