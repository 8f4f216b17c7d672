package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/lrs"
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
	cmd.AddCommand(client)
	return cmd
}
