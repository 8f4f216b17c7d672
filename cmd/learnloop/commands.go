package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/learnloop/learnloop/internal/auth"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/mail"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/server"
	"github.com/learnloop/learnloop/internal/skills"
	"github.com/learnloop/learnloop/internal/tabular"
	"github.com/learnloop/learnloop/internal/tna"
	"github.com/learnloop/learnloop/internal/training"
)

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "learnloop",
		Short: "learnloop: skills, training, learning and their impact, in one self-hosted service",
		Long: `learnloop links roles and their skill requirements, assessed skills, training and on-the-job
learning, reinforcement and measured impact. It runs as one binary on SQLite (a single file) or
PostgreSQL.

Settings come from flags, then LEARNLOOP_* environment variables (LEARNLOOP_DB, LEARNLOOP_ADDR,
…; LEARNLOOP_<NAME>_FILE reads a value from a file, for secrets), then the file named by --config
or LEARNLOOP_CONFIG (KEY=value lines with the same names), then the defaults.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := e.applyConfig(cmd); err != nil {
				return err
			}
			_, err := e.logger() // refuse bad log settings before doing anything
			return err
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&e.db, "db", "learnloop.db", "database: a SQLite file path, or a postgres:// URL")
	pf.StringVar(&e.config, "config", "", "file of LEARNLOOP_NAME=value settings")
	pf.StringVar(&e.files, "files", "", "directory of uploaded training content (default: beside a SQLite file, DB-files; else ./learnloop-files)")
	pf.StringVar(&e.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	pf.StringVar(&e.logFormat, "log-format", "text", "log format: text or json")
	for _, n := range []string{"db", "files", "log-level", "log-format"} {
		configurable(pf.Lookup(n))
	}
	root.AddCommand(serveCmd(e), demoCmd(e), migrateCmd(e), userCmd(e), tokenCmd(e), importCmd(e), exportCmd(e), reportCmd(e), objectivesCmd(e), rulesCmd(e),
		xapiCmd(e), backupCmd(e), versionCmd(e))
	return root
}

// openDB opens the configured database; migrate applies pending migrations first.
func (e *env) openDB(ctx context.Context, migrate bool) (*db.DB, error) {
	d, err := db.Open(ctx, e.db, db.Options{})
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := d.Migrate(ctx); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	pending, err := d.Pending(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if len(pending) > 0 {
		d.Close()
		return nil, fmt.Errorf("the database schema is behind by %d migrations; run `learnloop migrate` first", len(pending))
	}
	return d, nil
}

// services opens the database and the domain services for a command-line tool.
func (e *env) services(ctx context.Context) (*db.DB, server.Services, error) {
	d, err := e.openDB(ctx, true)
	if err != nil {
		return nil, server.Services{}, err
	}
	log, err := e.logger()
	if err != nil {
		d.Close()
		return nil, server.Services{}, err
	}
	svc, err := server.NewServices(d, core.SystemClock{}, mail.LogMailer{Log: log}, log, server.Config{BaseURL: e.getenv("LEARNLOOP_BASE_URL"), Files: e.files})
	if err != nil {
		d.Close()
		return nil, server.Services{}, err
	}
	return d, svc, nil
}

// withAccount opens the services and finds the account that signs in with email.
func (e *env) withAccount(ctx context.Context, email string, fn func(accounts *auth.Service, a *auth.Account) error) error {
	d, svc, err := e.services(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	accounts := svc.Auth
	a, err := accounts.AccountByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("no account signs in with %s", email)
	}
	return fn(accounts, a)
}

func serveCmd(e *env) *cobra.Command {
	var addr, baseURL, proxies string
	var noMigrate bool
	var maxUpload, maxContent int64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the learnloop server",
		Long: `Run the web UI, the REST API (/api/v1) and the health and metrics endpoints.

The database is migrated on start unless --no-migrate is given (then the server refuses to start
on an outdated schema). SIGINT or SIGTERM stop the server after the requests in flight finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := e.openDB(cmd.Context(), !noMigrate)
			if err != nil {
				return err
			}
			defer d.Close()
			return e.serve(cmd.Context(), d, serveOptions{addr: addr, baseURL: baseURL, proxies: proxies, maxUpload: maxUpload, maxContent: maxContent}, nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "localhost:8080", "address to listen on (host:port; :8080 for every interface)")
	f.StringVar(&baseURL, "base-url", "", "public address of learnloop, for links in emails (default http://ADDR)")
	f.StringVar(&proxies, "trusted-proxies", "", "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is trusted")
	f.Int64Var(&maxUpload, "max-upload", 64<<20, "largest import file accepted, in bytes")
	f.Int64Var(&maxContent, "max-content", 512<<20, "largest training content file (slides, video) accepted, in bytes")
	f.BoolVar(&noMigrate, "no-migrate", false, "do not migrate the database on start")
	for _, n := range []string{"addr", "base-url", "trusted-proxies", "max-upload", "max-content", "no-migrate"} {
		configurable(f.Lookup(n))
	}
	return cmd
}

type serveOptions struct {
	addr, baseURL, proxies string
	maxUpload, maxContent  int64
}

// serve runs the server on d until ctx ends; ready, when set, is called with the address once the
// server listens.
func (e *env) serve(ctx context.Context, d *db.DB, o serveOptions, ready func(url string)) error {
	log, err := e.logger()
	if err != nil {
		return err
	}
	trusted, err := parsePrefixes(o.proxies)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	base := o.baseURL
	if base == "" {
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if a := net.ParseIP(host); a == nil || a.IsUnspecified() || a.IsLoopback() {
			host = "localhost"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	if _, err := url.Parse(base); err != nil {
		return fmt.Errorf("--base-url: %w", err)
	}
	srv, err := server.New(ctx, server.Config{BaseURL: base, TrustedProxies: trusted, MaxUpload: o.maxUpload, Files: e.files, MaxContent: o.maxContent, Version: version}, d, log, core.SystemClock{}, nil)
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("learnloop is listening", "url", base, "addr", ln.Addr().String(), "db", string(d.Dialect), "version", version)
	if ready != nil {
		ready(base)
	}
	return srv.Serve(ctx, ln)
}

func migrateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations",
		Long:  "Apply every pending migration, each in its own transaction. Migrations only go forward; back up first (see `learnloop backup`).",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := db.Open(cmd.Context(), e.db, db.Options{})
			if err != nil {
				return err
			}
			defer d.Close()
			done, err := d.Migrate(cmd.Context())
			for _, n := range done {
				fmt.Fprintln(e.stdout, "applied", n)
			}
			if err == nil && len(done) == 0 {
				fmt.Fprintln(e.stdout, "the database is up to date")
			}
			return err
		},
	}
}

func versionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(e.stdout, "learnloop", version)
			return nil
		},
	}
}

// readSecret reads a password from stdin (first line) when asked to, or makes one up.
func (e *env) readSecret(fromStdin bool) (string, bool, error) {
	if !fromStdin {
		return generatePassword(), true, nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 4096))
	if err != nil {
		return "", false, err
	}
	pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	if pw == "" {
		return "", false, errors.New("no password on standard input")
	}
	return pw, false, nil
}

// generatePassword returns a random password that is easy to type: 20 base32 characters in groups.
func generatePassword() string {
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
	return s[:5] + "-" + s[5:10] + "-" + s[10:15] + "-" + s[15:]
}

func userCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Create accounts, set passwords and grant roles"}
	var email, name, given, family, number string
	var roles []string
	var pwStdin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an account (and its person, when no one has the email yet)",
		Long: `Create an account that signs in with --email. If no person has this email, a person is created
from --name (or --given-name and --family-name). Without --password-stdin a password is generated
and printed once.

Example: learnloop user create --email admin@example.com --name "Ada Admin" --role sys_admin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, svc, err := e.services(ctx)
			if err != nil {
				return err
			}
			defer d.Close()
			orgs, accounts := svc.Org, svc.Auth
			var rs []core.Role
			for _, r := range roles {
				role, err := core.ParseRole(r)
				if err != nil {
					return err
				}
				rs = append(rs, role)
			}
			pw, generated, err := e.readSecret(pwStdin)
			if err != nil {
				return err
			}
			in := auth.NewAccount{Password: pw, Roles: rs}
			if p, err := orgs.FindPersonByEmail(ctx, email); err == nil {
				in.PersonID = p.ID
			} else {
				if given == "" && family == "" {
					parts := strings.Fields(name)
					if len(parts) < 2 {
						return errors.New("no one has this email yet: give --name \"Given Family\" (or --given-name and --family-name) to create the person")
					}
					given, family = strings.Join(parts[:len(parts)-1], " "), parts[len(parts)-1]
				}
				in.Person = &org.PersonInput{GivenName: given, FamilyName: family, Email: email, EmployeeNumber: number}
			}
			a, err := accounts.CreateAccount(ctx, core.System, in)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stdout, "created account for %s <%s>%s\n", a.Name, a.Email, roleList(a.Roles))
			if generated {
				fmt.Fprintf(e.stdout, "password: %s\n(shown once; the person can change it under Change password)\n", pw)
			}
			return nil
		},
	}
	cf := create.Flags()
	cf.StringVar(&email, "email", "", "email to sign in with (required)")
	cf.StringVar(&name, "name", "", "full name, for a new person")
	cf.StringVar(&given, "given-name", "", "given name, for a new person")
	cf.StringVar(&family, "family-name", "", "family name, for a new person")
	cf.StringVar(&number, "employee-number", "", "employee number, for a new person")
	cf.StringSliceVar(&roles, "role", nil, "role to grant: lnd_admin, hr_admin or sys_admin (repeat for several)")
	cf.BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")
	_ = create.MarkFlagRequired("email")

	var spEmail string
	var spStdin bool
	setPassword := &cobra.Command{
		Use:   "set-password",
		Short: "Set an account's password (signs out its sessions)",
		Long:  "Set the password of the account that signs in with --email. Without --password-stdin a password is generated and printed once.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withAccount(cmd.Context(), spEmail, func(accounts *auth.Service, a *auth.Account) error {
				pw, generated, err := e.readSecret(spStdin)
				if err != nil {
					return err
				}
				if err := accounts.SetPassword(cmd.Context(), core.System, a.ID, pw); err != nil {
					return describe(err)
				}
				fmt.Fprintf(e.stdout, "password set for %s <%s>\n", a.Name, a.Email)
				if generated {
					fmt.Fprintf(e.stdout, "password: %s\n", pw)
				}
				return nil
			})
		},
	}
	setPassword.Flags().StringVar(&spEmail, "email", "", "email the account signs in with (required)")
	setPassword.Flags().BoolVar(&spStdin, "password-stdin", false, "read the password from the first line of standard input")
	_ = setPassword.MarkFlagRequired("email")

	var gEmail string
	var gRoles []string
	var revoke bool
	grant := &cobra.Command{
		Use:   "grant",
		Short: "Grant (or with --revoke, take away) roles",
		Long: `Grant roles to the account that signs in with --email: lnd_admin (L&D administrator), hr_admin (HR
administrator) or sys_admin (system administrator). Employee and manager are not granted: every
account is an employee, and whoever has people reporting to them is their manager.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withAccount(cmd.Context(), gEmail, func(accounts *auth.Service, a *auth.Account) error {
				set := map[core.Role]bool{}
				for _, r := range a.Roles {
					set[r] = true
				}
				for _, s := range gRoles {
					r, err := core.ParseRole(s)
					if err != nil {
						return err
					}
					set[r] = !revoke
				}
				var rs []core.Role
				for r, on := range set {
					if on {
						rs = append(rs, r)
					}
				}
				a, err := accounts.SetRoles(cmd.Context(), core.System, a.ID, rs)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(e.stdout, "%s <%s> now has roles: %s\n", a.Name, a.Email, strings.TrimPrefix(roleList(a.Roles), " with roles "))
				return nil
			})
		},
	}
	grant.Flags().StringVar(&gEmail, "email", "", "email the account signs in with (required)")
	grant.Flags().StringSliceVar(&gRoles, "role", nil, "role: lnd_admin, hr_admin or sys_admin (repeat for several; required)")
	grant.Flags().BoolVar(&revoke, "revoke", false, "take the roles away instead")
	_ = grant.MarkFlagRequired("email")
	_ = grant.MarkFlagRequired("role")
	cmd.AddCommand(create, setPassword, grant)
	return cmd
}

func roleList(rs []core.Role) string {
	if len(rs) == 0 {
		return " with roles (none: employee)"
	}
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	return " with roles " + strings.Join(s, ", ")
}

// describe turns a validation error into one readable line naming its fields.
func describe(err error) error {
	e := core.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		if e != nil {
			return errors.New(e.Message + fieldSuffix(e.Field))
		}
		return err
	}
	var parts []string
	for f, m := range e.Fields {
		parts = append(parts, f+": "+m)
	}
	return errors.New(strings.Join(parts, "; "))
}

func fieldSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " (" + f + ")"
}

func tokenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create API tokens for automation"}
	var user, scopes, name string
	var expires time.Duration
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token and print it once",
		Long: `Create an API token for the account that signs in with --user. The token acts as that account,
limited to --scopes (comma-separated, or "all"): people:read, people:write, accounts:read,
accounts:write, audit:read. Send it as "Authorization: Bearer <token>". It is printed once and
stored only as a hash.

Example: learnloop token create --user hr@example.com --scopes people:read,people:write --name "HRIS sync"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withAccount(cmd.Context(), user, func(accounts *auth.Service, a *auth.Account) error {
				sc, err := core.ParseScopes(scopes)
				if err != nil {
					return describe(err)
				}
				if scopes == "all" {
					// "all" means all the account may use, not more.
					owner := &core.Actor{Roles: a.Roles}
					sc = slices.DeleteFunc(sc, func(p core.Permission) bool { return !owner.Can(p) })
				}
				in := auth.NewToken{AccountID: a.ID, Name: name, Scopes: sc}
				if expires > 0 {
					t := time.Now().UTC().Add(expires)
					in.ExpiresAt = &t
				}
				t, secret, err := accounts.CreateToken(cmd.Context(), core.System, in)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintln(e.stdout, secret)
				fmt.Fprintf(e.stderr, "token %q for %s with scopes %s (shown once)\n", t.Name, t.AccountEmail, strings.Join(scopeStrings(t.Scopes), ","))
				return nil
			})
		},
	}
	f := create.Flags()
	f.StringVar(&user, "user", "", "email of the account the token acts as (required)")
	f.StringVar(&scopes, "scopes", "", "comma-separated scopes, or all (required)")
	f.StringVar(&name, "name", "command line", "what the token is for")
	f.DurationVar(&expires, "expires", 0, "lifetime, such as 2160h (90 days); 0 never expires")
	_ = create.MarkFlagRequired("user")
	_ = create.MarkFlagRequired("scopes")
	cmd.AddCommand(create)
	return cmd
}

func scopeStrings(ps []core.Permission) []string {
	var s []string
	for _, p := range ps {
		s = append(s, string(p))
	}
	return s
}

func importCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import people, org units, a skills framework, skill ratings or the training catalog from CSV",
		Long: `Import a CSV file. Columns are matched by header name, in any order. Every row is validated
first; if any row is bad, every problem is listed with its line and column and nothing is applied
(exit status 2). Importing the same file twice changes nothing.`}
	// The kinds' descriptions do not depend on a database; the services are opened per run.
	var kinds []*importer.Kind
	kinds = append(kinds, (&org.Service{}).ImportKinds()...)
	kinds = append(kinds, (&skills.Service{}).ImportKinds()...)
	kinds = append(kinds, (&training.Service{}).ImportKinds()...)
	for _, k := range kinds {
		var dryRun, full bool
		var encoding, source string
		sub := &cobra.Command{
			Use:   strings.ReplaceAll(k.Name, "_", "-") + " FILE",
			Short: "Import " + strings.ToLower(k.Label) + " from CSV (all rows valid, or nothing applied)",
			Long:  k.Help + "\n\nFILE - reads standard input. Nothing is applied unless every row is valid (exit status 2).",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx := cmd.Context()
				data, err := readInput(e, args[0])
				if err != nil {
					return err
				}
				d, svc, err := e.services(ctx)
				if err != nil {
					return err
				}
				defer d.Close()
				opts := importer.Options{Full: full, Encoding: encoding, Source: source, Filename: args[0]}
				var rep *tabular.Report
				if dryRun {
					rep, err = svc.Imports.Plan(ctx, core.System, k.Name, data, opts)
				} else {
					rep, err = svc.Imports.Import(ctx, core.System, k.Name, data, opts)
				}
				if err != nil {
					return describe(err)
				}
				printReport(e.stdout, rep, dryRun)
				if !rep.Valid {
					return &exitError{code: 2, msg: fmt.Sprintf("%d problems; nothing was applied", rep.ProblemCount)}
				}
				return nil
			},
		}
		sub.Flags().BoolVar(&dryRun, "dry-run", false, "validate and report, change nothing")
		if k.Reads("full") {
			sub.Flags().BoolVar(&full, "full", false, "the file lists everyone: mark active people missing from it as left")
		}
		if k.Reads("source") {
			sub.Flags().StringVar(&source, "source", "", "where the levels come from: "+strings.Join(k.Sources, " or ")+" (required)")
			_ = sub.MarkFlagRequired("source")
		}
		sub.Flags().StringVar(&encoding, "encoding", "", "encoding of a file without byte-order mark when not UTF-8: windows-1252, iso-8859-1, iso-8859-15")
		cmd.AddCommand(sub)
	}
	return cmd
}

func readInput(e *env, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(e.stdin)
	}
	return os.ReadFile(path)
}

func printReport(w io.Writer, rep *tabular.Report, dryRun bool) {
	for _, p := range rep.Problems {
		fmt.Fprintln(w, p.String())
	}
	if rep.ProblemCount > len(rep.Problems) {
		fmt.Fprintf(w, "… and %d more problems\n", rep.ProblemCount-len(rep.Problems))
	}
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(w, "ignored columns: %s\n", strings.Join(rep.Ignored, ", "))
	}
	if len(rep.NewRoles) > 0 {
		fmt.Fprintf(w, "new job roles: %s\n", strings.Join(rep.NewRoles, ", "))
	}
	verb := "applied"
	if dryRun {
		verb = "dry run, nothing applied"
	}
	if !rep.Valid {
		verb = "nothing applied"
	}
	fmt.Fprintf(w, "%s (%s)\n", rep.Summary(), verb)
}

func exportCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export people, org units, the skills framework, a skills matrix, the training catalog or compliance"}
	var out, status string
	people := &cobra.Command{
		Use:   "people",
		Short: "Export people as CSV in the import layout",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.export(cmd.Context(), out, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				return svc.Org.ExportPeople(ctx, core.System, w, status)
			})
		},
	}
	people.Flags().StringVar(&status, "status", "all", "active, left or all")
	units := &cobra.Command{
		Use:   "org-units",
		Short: "Export org units as CSV in the import layout",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.export(cmd.Context(), out, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				return svc.Org.ExportUnits(ctx, core.System, w)
			})
		},
	}
	var frameworkFormat string
	framework := &cobra.Command{
		Use:   "skills",
		Short: "Export the skills framework: CSV in the import layout, or JSON with the scale, categories, level descriptions and role requirements",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if frameworkFormat != "csv" && frameworkFormat != "json" {
				return fmt.Errorf("--format: choose csv or json")
			}
			return e.export(cmd.Context(), out, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				if frameworkFormat == "csv" {
					return svc.Skills.ExportFramework(ctx, core.System, w)
				}
				f, err := svc.Skills.ExportFrameworkJSON(ctx, core.System)
				if err != nil {
					return 0, err
				}
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return len(f.Skills), enc.Encode(f)
			})
		},
	}
	framework.Flags().StringVar(&frameworkFormat, "format", "csv", "csv or json")
	var unit, matrixFormat string
	var onlyGaps bool
	matrix := &cobra.Command{
		Use:   "matrix",
		Short: "Export the skills matrix of an org unit (and the units below it) as XLSX or CSV",
		Long: `Export the skills matrix of --unit (its code or id) and every unit below it: one row per person,
one column per skill their roles require, with each person's level. The XLSX file also has the
required levels, colours for gaps and a legend.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.export(cmd.Context(), out, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				u, err := findUnit(ctx, svc.Org, unit)
				if err != nil {
					return 0, err
				}
				return svc.Skills.ExportMatrix(ctx, core.System, skills.MatrixFilter{OrgUnitID: u.ID, OnlyGaps: onlyGaps}, matrixFormat, w)
			})
		},
	}
	matrix.Flags().StringVar(&unit, "unit", "", "org unit code or id (required)")
	matrix.Flags().StringVar(&matrixFormat, "format", "xlsx", "xlsx or csv")
	matrix.Flags().BoolVar(&onlyGaps, "only-gaps", false, "only people with a gap, and only skills someone falls short in")
	_ = matrix.MarkFlagRequired("unit")
	for _, c := range append([]*cobra.Command{people, units, framework, matrix}, trainingExports(e)...) {
		c.Flags().StringVar(&out, "out", "-", "file to write (- for standard output)")
		cmd.AddCommand(c)
	}
	return cmd
}

func reportCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Write reports: training needs, top skill gaps"}
	var unit, format, out, criticality, surveyID string
	needs := &cobra.Command{
		Use:   "needs",
		Short: "Write the training needs analysis of an org unit as CSV, XLSX or JSON",
		Long: `Write the training needs analysis of --unit (its code or id) and every unit below it: each required
skill someone falls short in, with how many people, how many levels, how critically and since when,
highest priority first, beside the answers of the latest learning needs analysis survey (or
--survey). XLSX adds a sheet of the people short and one of the survey's answers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "xlsx" && format != "json" {
				return fmt.Errorf("--format: choose csv, xlsx or json")
			}
			return e.export(cmd.Context(), out, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				u, err := findUnit(ctx, svc.Org, unit)
				if err != nil {
					return 0, err
				}
				rep, err := svc.TNA.Build(ctx, core.System, tna.Filter{SurveyID: surveyID, NeedsFilter: skills.NeedsFilter{OrgUnitID: u.ID, Criticality: criticality}})
				if err != nil {
					return 0, err
				}
				if format == "json" {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return len(rep.Needs), enc.Encode(rep)
				}
				return len(rep.Needs), rep.Write(w, format)
			})
		},
	}
	needs.Flags().StringVar(&unit, "unit", "", "org unit code or id (required)")
	needs.Flags().StringVar(&format, "format", "xlsx", "xlsx, csv or json")
	needs.Flags().StringVar(&criticality, "criticality", "", "only skills required at least this critically: critical, important or useful")
	needs.Flags().StringVar(&surveyID, "survey", "", "id of the learning needs survey to show (default: the latest opened)")
	needs.Flags().StringVar(&out, "out", "-", "file to write (- for standard output)")
	_ = needs.MarkFlagRequired("unit")
	var gapUnit, gapFormat, gapOut, gapCriticality, groupBy string
	gaps := &cobra.Command{
		Use:   "gaps",
		Short: "Write the organization's top skill gaps, ranked by priority, as CSV or JSON",
		Long: `Write the skill gaps of the whole organization, or of --unit (its code or id) and the units below
it: per skill and group (--group-by division, location, role or organization) the people whose
role requires the skill, those short of it and by how many levels, highest priority first.
Priority is criticality weight × levels missing, summed over the people short (docs/SKILLS.md).
The statistics are brought up to date first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(skills.GapFormats, gapFormat) {
				return fmt.Errorf("--format: choose %s", strings.Join(skills.GapFormats, " or "))
			}
			return e.export(cmd.Context(), gapOut, func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				f := skills.GapFilter{GroupBy: groupBy, Criticality: gapCriticality}
				if gapUnit != "" {
					u, err := findUnit(ctx, svc.Org, gapUnit)
					if err != nil {
						return 0, err
					}
					f.OrgUnitID = u.ID
				}
				if _, err := svc.Skills.RefreshGapStats(ctx); err != nil {
					return 0, err
				}
				return svc.Skills.ExportGaps(ctx, core.System, f, gapFormat, w)
			})
		},
	}
	gaps.Flags().StringVar(&gapUnit, "unit", "", "org unit code or id (default: the whole organization)")
	gaps.Flags().StringVar(&groupBy, "group-by", skills.GroupByDivision, strings.Join(skills.GapGroupings, ", "))
	gaps.Flags().StringVar(&gapFormat, "format", "csv", "csv or json")
	gaps.Flags().StringVar(&gapCriticality, "criticality", "", "only skills required at least this critically: critical, important or useful")
	gaps.Flags().StringVar(&gapOut, "out", "-", "file to write (- for standard output)")
	cmd.AddCommand(needs, gaps)
	return cmd
}

// findUnit finds an org unit by code or id.
func findUnit(ctx context.Context, orgs *org.Service, codeOrID string) (*org.OrgUnit, error) {
	units, err := orgs.FindUnits(ctx, core.System)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.ID == codeOrID || strings.EqualFold(u.Code, codeOrID) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("--unit: no org unit has the code or id %q", codeOrID)
}

// export writes a file with write; a file is replaced only once it is complete.
func (e *env) export(ctx context.Context, out string, write func(context.Context, server.Services, io.Writer) (int, error)) error {
	d, svc, err := e.services(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	w := e.stdout
	var f *os.File
	if out != "-" {
		if f, err = os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*"); err != nil {
			return err
		}
		defer os.Remove(f.Name()) // gone once renamed
		w = f
	}
	n, err := write(ctx, svc, w)
	if f != nil {
		err = errors.Join(err, f.Close())
		if err == nil {
			err = os.Rename(f.Name(), out)
		}
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stderr, "exported %d rows\n", n)
	return nil
}

func backupCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Write a consistent copy of a SQLite database while learnloop runs",
		Long: `Write a consistent, compact copy of the SQLite database to --out, without stopping the server
(SQLite's VACUUM INTO). Restore by stopping learnloop and putting the copy in place of the
database file. On PostgreSQL use pg_dump instead (see docs/OPERATIONS.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if db.IsPostgresDSN(e.db) {
				return errors.New("backup copies SQLite databases; on PostgreSQL use pg_dump (see docs/OPERATIONS.md)")
			}
			if _, err := os.Stat(e.db); err != nil {
				return fmt.Errorf("no database at %s", e.db)
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s already exists; choose a new file", out)
			}
			d, err := db.Open(cmd.Context(), e.db, db.Options{})
			if err != nil {
				return err
			}
			defer d.Close()
			start := time.Now()
			if err := d.Backup(cmd.Context(), out); err != nil {
				return err
			}
			st, _ := os.Stat(out)
			fmt.Fprintf(e.stdout, "backed up %s to %s (%d bytes) in %s\n", e.db, out, st.Size(), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write the copy to (required; must not exist)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
