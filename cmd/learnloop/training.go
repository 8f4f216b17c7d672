package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/learnloop/learnloop/internal/bloom"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/server"
	"github.com/learnloop/learnloop/internal/training"
)

// trainingExports are the export subcommands of training: the catalog and compliance. The
// caller adds --out to each.
func trainingExports(e *env) []*cobra.Command {
	catalog := &cobra.Command{
		Use:   "catalog",
		Short: "Export the training catalog as CSV in the import layout",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.export(cmd.Context(), outFlag(cmd), func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				return svc.Training.ExportCatalog(ctx, core.System, w)
			})
		},
	}
	var unit, item, status, format string
	compliance := &cobra.Command{
		Use:   "compliance",
		Short: "Export compliance for auditors: who, what, when completed, score, expiry, as XLSX or CSV",
		Long: `Export everyone required to hold a compliance item (assigned by a manager, L&D or a rule) or exempt from
it, one row per person and item: employee number, name, email, org unit, job role, manager, item,
status (compliant, due soon, overdue, expired, exempt), completion date, score, valid until, due
date and the reason of an exemption. --unit narrows to an org unit and the units below it (code or
id), --item to one item (code or id), --status to one status. XLSX adds a summary sheet saying when
and for whom it was made.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "xlsx" {
				return fmt.Errorf("--format: choose xlsx or csv")
			}
			return e.export(cmd.Context(), outFlag(cmd), func(ctx context.Context, svc server.Services, w io.Writer) (int, error) {
				f := training.ComplianceFilter{Status: status}
				if unit != "" {
					u, err := findUnit(ctx, svc.Org, unit)
					if err != nil {
						return 0, err
					}
					f.OrgUnitID = u.ID
				}
				if item != "" {
					it, err := findItem(ctx, svc.Training, item)
					if err != nil {
						return 0, err
					}
					f.ItemID = it.ID
				}
				return svc.Training.ExportCompliance(ctx, core.System, f, format, w)
			})
		},
	}
	compliance.Flags().StringVar(&unit, "unit", "", "org unit code or id (default: everyone)")
	compliance.Flags().StringVar(&item, "item", "", "compliance item code or id (default: every compliance item)")
	compliance.Flags().StringVar(&status, "status", "", "only this status: compliant, due_soon, overdue, expired or exempt")
	compliance.Flags().StringVar(&format, "format", "xlsx", "xlsx or csv")
	return []*cobra.Command{catalog, compliance}
}

// outFlag reads the --out flag the export command gave every subcommand.
func outFlag(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("out"); f != nil {
		return f.Value.String()
	}
	return "-"
}

// findItem finds a learning item by its code or id.
func findItem(ctx context.Context, svc *training.Service, ref string) (*training.Item, error) {
	if core.ValidID(ref) {
		return svc.FindItemByID(ctx, core.System, ref)
	}
	items, _, err := svc.FindItems(ctx, core.System, training.ItemFilter{Query: ref, Status: "all", Limit: core.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if strings.EqualFold(it.Code, ref) {
			return it, nil
		}
	}
	return nil, fmt.Errorf("no learning item has the code %q", ref)
}

func objectivesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "objectives", Short: "Work with learning objectives"}
	var format string
	classify := &cobra.Command{
		Use:   `classify "OBJECTIVE"…`,
		Short: "Classify learning objectives on Bloom's revised taxonomy from their leading verb",
		Long: `Print the level of each objective on Bloom's revised taxonomy (remember, understand, apply,
analyze, evaluate, create), the verb it was read from, the levels an ambiguous verb belongs to,
and warnings: a verb that cannot be observed ("understand", "know", "be aware of"), an ambiguous
verb, several verbs in one objective, no verb at all. Exit status 1 when any objective has a
warning, so scripts can check a catalog. --format json prints one JSON object per objective.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format: choose text or json")
			}
			warned := 0
			enc := json.NewEncoder(e.stdout)
			for _, text := range args {
				c := bloom.Classify(text)
				if len(c.Warnings) > 0 {
					warned++
				}
				if format == "json" {
					if err := enc.Encode(struct {
						Objective string `json:"objective"`
						bloom.Classification
					}{text, c}); err != nil {
						return err
					}
					continue
				}
				level := string(c.Level)
				if level == "" {
					level = "no level"
				}
				fmt.Fprintf(e.stdout, "%s\t%s", level, text)
				if c.Verb != "" {
					fmt.Fprintf(e.stdout, "\t(verb: %s)", c.Verb)
				}
				fmt.Fprintln(e.stdout)
				if len(c.Candidates) > 1 {
					names := make([]string, len(c.Candidates))
					for i, l := range c.Candidates {
						names[i] = string(l)
					}
					fmt.Fprintf(e.stdout, "  could also be: %s\n", strings.Join(names, ", "))
				}
				for _, w := range c.Warnings {
					fmt.Fprintf(e.stdout, "  warning: %s\n", w.Message)
				}
			}
			if warned > 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("%d of %d objectives have warnings", warned, len(args))}
			}
			return nil
		},
	}
	classify.Flags().StringVar(&format, "format", "text", "text or json")
	cmd.AddCommand(classify)
	return cmd
}

func rulesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "Training assignment rules"}
	cmd.AddCommand(&cobra.Command{
		Use:   "apply",
		Short: "Apply every active assignment rule to everyone now (the server does it daily, and every minute for people who changed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, svc, err := e.services(cmd.Context())
			if err != nil {
				return err
			}
			defer d.Close()
			rep, err := svc.Training.EvaluateRules(cmd.Context(), core.System)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stdout, "%d items: %d assigned, %d renewals, %d withdrawn\n", rep.Items, rep.Assigned, rep.Renewals, rep.Withdrawn)
			return nil
		},
	})
	return cmd
}
