package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/audit"
)

func (m *Main) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the tamper-evident audit",
	}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit hash chain; report the first altered, inserted or deleted row",
		Long: `Walk the audit chain from its first row and recompute every hash. Exit status
0 means the chain is intact; otherwise the first row that was altered,
inserted or deleted is reported and the exit status is 4.`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			brk, res, err := audit.Check(ctx, st)
			if err != nil {
				return err
			}
			if brk != nil {
				fmt.Fprintf(m.Stdout, "audit chain BROKEN at row %d (%s): %s\n", brk.Seq, brk.Kind, brk.Message)
				return &exitError{code: 4}
			}
			fmt.Fprintf(m.Stdout, "audit chain intact: %d rows, head %s\n", res.Rows, res.Head)
			return nil
		}),
	}
	var q concord.AuditQuery
	list := &cobra.Command{
		Use:   "list",
		Short: "List audit rows",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			evs, err := st.AuditEvents(ctx, q)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SEQ\tTIME\tACTOR\tMEMBER\tVIA\tACTION\tOBJECT\tDETAIL")
			for _, e := range evs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.Format("2006-01-02T15:04:05Z"), e.Actor, e.Member, e.Via, e.Action, e.Object, e.Detail)
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&q.Member, "member", "", "only this member's rows")
	list.Flags().StringVar(&q.Actor, "actor", "", "only this user's rows")
	list.Flags().StringVar(&q.Action, "action", "", "only this action")
	list.Flags().Int64Var(&q.After, "after", 0, "rows after this seq")
	list.Flags().IntVar(&q.Limit, "limit", 100, "at most this many rows")
	cmd.AddCommand(verify, list)
	return cmd
}
