package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

func xapiCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "xapi", Short: "The xAPI Learning Record Store at /xapi: its clients"}
	client := &cobra.Command{Use: "client", Short: "LRS clients: the credentials other tools use to send and read statements"}
	var name, scopes, format string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an LRS client and print its key and secret once",
		Long: `Create an LRS client. Tools send statements to <base URL>/xapi with HTTP Basic
authentication: the key as the user name, the secret as the password. --scopes is a
comma-separated list of xAPI scopes, or "all":
  ` + strings.Join(lrs.Scopes, ", ") + `
The secret is printed once and stored only as a hash.

Example: learnloop xapi client create --name "Vendor e-learning" --scopes statements/write,state`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			sc, err := lrs.ParseScopes(scopes)
			if err != nil {
				return describe(err)
			}
			c, secret, err := svc.LRS.CreateClient(cmd.Context(), core.System, lrs.NewClient{Name: name, Scopes: sc})
			if err != nil {
				return describe(err)
			}
			if format == "json" {
				return json.NewEncoder(e.stdout).Encode(map[string]any{"id": c.ID, "name": c.Name, "key": c.Key, "secret": secret, "scopes": c.Scopes})
			}
			fmt.Fprintf(e.stdout, "key:    %s\nsecret: %s\n", c.Key, secret)
			fmt.Fprintf(e.stderr, "LRS client %q with scopes %s (the secret is shown once)\n", c.Name, strings.Join(c.Scopes, ","))
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&name, "name", "", "what the client is (required)")
	f.StringVar(&scopes, "scopes", "", "comma-separated xAPI scopes, or all (required)")
	f.StringVar(&format, "format", "text", "text or json")
	_ = create.MarkFlagRequired("name")
	_ = create.MarkFlagRequired("scopes")

	var listFormat string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the LRS clients with their scopes and activity",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			cs, err := svc.LRS.Clients(cmd.Context(), core.System)
			if err != nil {
				return describe(err)
			}
			if listFormat == "json" {
				return json.NewEncoder(e.stdout).Encode(cs)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tNAME\tSCOPES\tSTATEMENTS\tLAST USED\tSTATUS")
			for _, c := range cs {
				used, status := "never", "active"
				if c.LastUsedAt != nil {
					used = c.LastUsedAt.UTC().Format(time.DateTime)
				}
				if c.RevokedAt != nil {
					status = "revoked " + c.RevokedAt.UTC().Format(time.DateOnly)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", c.Key, c.Name, strings.Join(c.Scopes, ","), c.Statements, used, status)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&listFormat, "format", "text", "text or json")
	revoke := &cobra.Command{
		Use:   "revoke KEY",
		Short: "Revoke an LRS client: its credentials stop working, its statements stay",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			if err := svc.LRS.RevokeClient(cmd.Context(), core.System, args[0]); err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stderr, "revoked LRS client %s\n", args[0])
			return nil
		},
	}
	client.AddCommand(create, list, revoke)
	cmd.AddCommand(client, xapiExportCmd(e), xapiImportCmd(e))
	return cmd
}

func xapiExportCmd(e *env) *cobra.Command {
	var person, verb, activity, since, until string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write statements as JSON lines (one statement per line, oldest first) to standard output",
		Long: `Write the statements of the learning record as JSON lines, oldest first, filtered by person
(email), verb and activity IRI, and stored time (--since, --until: RFC 3339 times or YYYY-MM-DD).

Example: learnloop xapi export --person ana@example.com --since 2026-01-01 > ana.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			f := lrs.Filter{Verb: verb, Activity: activity}
			if person != "" {
				p, err := svc.Org.FindPersonByEmail(cmd.Context(), person)
				if err != nil {
					return fmt.Errorf("--person: nobody has the email %s", person)
				}
				f.PersonID = p.ID
			}
			for _, t := range []struct {
				flag, v string
				dst     *time.Time
			}{{"--since", since, &f.Since}, {"--until", until, &f.Until}} {
				if t.v == "" {
					continue
				}
				v, err := time.Parse(time.RFC3339, t.v)
				if err != nil {
					day, derr := core.ParseDate(t.v)
					if derr != nil {
						return fmt.Errorf("%s: use an RFC 3339 time or YYYY-MM-DD", t.flag)
					}
					v = day.Time()
				}
				*t.dst = v
			}
			w := bufio.NewWriterSize(e.stdout, 1<<16)
			n, err := svc.LRS.Export(cmd.Context(), core.System, f, w)
			if err != nil {
				return describe(err)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%d statements\n", n)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&person, "person", "", "only this person's statements (their email)")
	fl.StringVar(&verb, "verb", "", "only statements with this verb IRI")
	fl.StringVar(&activity, "activity", "", "only statements about this activity IRI")
	fl.StringVar(&since, "since", "", "only statements stored after this time")
	fl.StringVar(&until, "until", "", "only statements stored at or before this time")
	return cmd
}

func xapiImportCmd(e *env) *cobra.Command {
	var version string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Load statements from a JSON-lines file (- for standard input), validated, all or nothing",
		Long: `Load statements from a JSON-lines file: one statement per line, validated as the LRS validates
statements it receives. Nothing is stored unless every line is valid: the first invalid line is
reported with its number and the property at fault. Statements keep their ids (a statement
already stored is skipped when identical, refused when different); their authority is learnloop.

Example: learnloop xapi import vendor-history.jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := xapi.NegotiateVersion(version)
			if err != nil {
				return fmt.Errorf("--version: use 1.0.3 or 2.0.0")
			}
			in := e.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			var sts []*xapi.Statement
			sc := bufio.NewScanner(in)
			sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
			for line := 1; sc.Scan(); line++ {
				b := bytes.TrimSpace(sc.Bytes())
				if len(b) == 0 {
					continue
				}
				st, err := xapi.ParseStatement(b, v)
				if err != nil {
					return fmt.Errorf("line %d: %w", line, err)
				}
				sts = append(sts, st)
			}
			if err := sc.Err(); err != nil {
				return err
			}
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			n, err := svc.LRS.Import(cmd.Context(), v, sts)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stderr, "%d statements read, %d stored\n", len(sts), n)
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "version", "1.0.3", "the xAPI version the statements follow: 1.0.3 or 2.0.0")
	return cmd
}
