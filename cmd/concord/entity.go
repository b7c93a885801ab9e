package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
)

func (m *Main) entityCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "entity",
		Short: "Show entities and their statements",
	}
	var asJSON, history bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one entity: its properties and the provenance of every value",
		Example: `  concord entity show un-QDi.001
  concord entity show ofac-6365 --json`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(true, func(ctx context.Context, st concord.Store, args []string) error {
			f := concord.System
			f.IncludeRetracted = history
			e, err := st.Entity(ctx, f, args[0])
			if err != nil {
				return err
			}
			stmts, err := st.Statements(ctx, f, args[0])
			if err != nil {
				return err
			}
			if err := st.Audit(ctx, "entity.read", e.ID, ""); err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					*concord.Entity
					Caption    string              `json:"caption"`
					Statements []concord.Statement `json:"statements"`
				}{e, e.Caption(), stmts})
			}
			fmt.Fprintf(m.Stdout, "%s  %s  %s\n", e.ID, e.Schema, e.Caption())
			fmt.Fprintf(m.Stdout, "datasets: %v  refs: %v\n\n", e.Datasets, e.Refs)
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PROPERTY\tVALUE\tSOURCE\tBY\tAUDIENCE\tTLP\tLAST SEEN")
			for _, s := range stmts {
				if s.Prop == "id" {
					continue
				}
				v := s.Value
				if s.Retracted {
					v += " (retracted)"
				}
				by := s.ContributedBy
				if by == "" {
					by = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Prop, v, s.SourceRef, by, s.Audience, s.Handling, s.LastSeen.Format("2006-01-02"))
			}
			return tw.Flush()
		}),
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON with every statement")
	show.Flags().BoolVar(&history, "history", false, "include retracted statements")
	cmd.AddCommand(show)
	return cmd
}
