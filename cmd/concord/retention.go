package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/service"
)

func (m *Main) retentionCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Retention policies per member and kind of record, and the job that applies them",
		Long: `A member keeps a kind of record in person-identifying form for a number of
months: a closed case is depersonalised (its persons' names replaced by a
reference, birth dates, documents and photograph hashes removed, the documents
and reasons of its history redacted) that many months after it was closed,
unless it is linked to an open case, to a listed entity or to a person on a
member's watch. Member * is the default of the members without their own.
concord serve runs the job every hour (--retention-every); every case it
changes is recorded in the audit.`,
	}
	list := &cobra.Command{
		Use: "list", Short: "List the policies", Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			ps, err := st.RetentionPolicies(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "MEMBER\tKIND\tMONTHS")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%s\t%d\n", p.Member, p.Kind, p.Months)
			}
			return tw.Flush()
		}),
	}
	set := &cobra.Command{
		Use: "set MEMBER KIND MONTHS", Short: "Set a policy (MONTHS 0 removes it; MEMBER * is the default)",
		Example: `  concord retention set es case 24
  concord retention set '*' case 60`,
		Args: cobra.ExactArgs(3),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			n, err := strconv.Atoi(args[2])
			if err != nil {
				return concord.Errorf(concord.EINVALID, "months %q: want a number", args[2])
			}
			if args[0] != "*" {
				if _, err := st.Member(ctx, args[0]); err != nil {
					return err
				}
			}
			p := concord.RetentionPolicy{Member: args[0], Kind: args[1], Months: n}
			if err := st.PutRetentionPolicy(ctx, p); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "retention %s %s: %d months\n", p.Member, p.Kind, p.Months)
			return nil
		}),
	}
	var at string
	run := &cobra.Command{
		Use: "run", Short: "Apply the policies now (or --at a given time) and report", Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			now := m.Clock.Now()
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "--at %q: want RFC 3339 (2027-06-01T00:00:00Z)", at)
				}
				now = t
			}
			rep, err := (&service.Service{Store: st, Clock: m.Clock}).RunRetention(ctx, now)
			if err != nil {
				return err
			}
			return writeJSON(m.Stdout, rep)
		}),
	}
	run.Flags().StringVar(&at, "at", "", "apply the policies as at this time (RFC 3339), to see what falls due")
	cmd.AddCommand(list, set, run)
	return cmd
}

// retentionLoop runs the retention job at start and then every every,
// until ctx ends, as the system actor "retention".
func retentionLoop(ctx context.Context, svc *service.Service, clock concord.Clock, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	ctx = concord.WithActor(ctx, concord.Actor{User: "retention", Via: "system"})
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := svc.RunRetention(ctx, clock.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("retention job", "err", err)
		case err == nil && (len(rep.Depersonalised) > 0 || len(rep.Kept) > 0):
			log.Info("retention job", "depersonalised", rep.Depersonalised, "kept", len(rep.Kept))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
