package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
)

func (m *Main) jobCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "job",
		Short: "List, inspect and cancel screening jobs (as the operator)",
	}
	var member string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the screening jobs, newest first",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			js, err := st.Jobs(ctx, member)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tMEMBER\tOWNER\tSTATUS\tDONE\tTOTAL\tHITS\tREFUSED\tCREATED")
			for _, j := range js {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", j.ID, j.Member, j.Owner, j.Status, j.Done, j.Total, j.Hits,
					j.Errors, j.CreatedAt.Format("2006-01-02T15:04:05Z"))
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&member, "member", "", "only this member's jobs")
	var after, limit int
	errs := &cobra.Command{
		Use:   "errors ID",
		Short: "List the input rows a job refused (the first ones are kept; all are counted)",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			j, err := st.Job(ctx, args[0])
			if err != nil {
				return err
			}
			es, err := st.JobErrors(ctx, j.ID, after, limit)
			if err != nil {
				return err
			}
			for _, e := range es {
				fmt.Fprintf(m.Stdout, "%d\tline %d: %s\n", e.N, e.Line, e.Message)
			}
			fmt.Fprintf(m.Stderr, "%d shown, %d refused in all\n", len(es), j.Errors)
			return nil
		}),
	}
	errs.Flags().IntVar(&after, "after", -1, "errors after this n")
	errs.Flags().IntVar(&limit, "limit", 100, "errors at most (0: all stored)")
	cancel := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel an unfinished job on every node; rows screened so far keep their results",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			if err := st.CancelJob(ctx, args[0]); err != nil {
				return err
			}
			j, err := st.Job(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "job %s cancelled: %d of %d rows done\n", j.ID, j.Done, j.Total)
			return nil
		}),
	}
	cmd.AddCommand(list, errs, cancel)
	return cmd
}
