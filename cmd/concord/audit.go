package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/audit"
)

func (m *Main) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the tamper-evident audit; sign checkpoints of it",
		Long: `Every write and every read is recorded in the audit, in the transaction of
the change, as a hash chain sealed with the node's audit key (--audit-key,
a file kept apart from the database).

What each part protects:
  the chain       a row altered, inserted or deleted in the middle
  the audit key   the chain rewritten or rows added by someone who can write
                  the database but does not hold the key
  a checkpoint    the newest rows deleted, or anything rewritten, up to the
                  checkpoint's row, even by the key's holder: keep
                  checkpoints where the operator cannot change them`,
	}
	var keyFiles, checkpoints []string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit chain, its seals and checkpoints; report the first altered, inserted or deleted row",
		Long: `Walk the audit chain from its first row, recompute every hash and check every
seal with the node's audit key (and the keys of other nodes given with --key).
With --checkpoint, also check that the chain still holds the row each
checkpoint signed, unchanged: nothing before it was altered or deleted.
Exit status 0 means the chain is intact; otherwise the first row concerned is
reported and the exit status is 4.`,
		Example: `  concord audit verify
  concord audit verify --checkpoint /mnt/archive/audit-2026-03-01.json
  concord --db postgres://... audit verify --key node-b.key --key node-c.key`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			opt, err := m.auditOptions(keyFiles, checkpoints)
			if err != nil {
				return err
			}
			brk, res, err := audit.CheckWith(ctx, st, opt)
			if err != nil {
				return err
			}
			if brk != nil {
				fmt.Fprintf(m.Stdout, "audit chain BROKEN at row %d (%s): %s\n", brk.Seq, brk.Kind, brk.Message)
				return &exitError{code: 4}
			}
			fmt.Fprintf(m.Stdout, "audit chain intact: %d rows (%d sealed), head %s\n", res.Rows, res.Sealed, res.Head)
			for _, c := range opt.Checkpoints {
				fmt.Fprintf(m.Stdout, "  matches the checkpoint of row %d signed %s\n", c.Seq, c.Time.Format("2006-01-02T15:04:05Z"))
			}
			return nil
		}),
	}
	verify.Flags().StringArrayVar(&keyFiles, "key", nil, "audit key file of another node, whose rows to verify too (repeatable)")
	verify.Flags().StringArrayVar(&checkpoints, "checkpoint", nil, "checkpoint file (from concord audit checkpoint) the chain must still match (repeatable)")

	var out string
	checkpoint := &cobra.Command{
		Use:   "checkpoint",
		Short: "Verify the chain and write its signed head, to keep where the operator cannot change it",
		Long: `Verify the whole chain (as concord audit verify does), then write a checkpoint:
the last row's number and hash, the time, signed with the node's audit key
(Ed25519; the public key is in the checkpoint and printed by concord audit key).
Keep checkpoints outside the operator's reach — another member's auditor, a
ticket, write-once storage — and give them to concord audit verify --checkpoint:
nothing at or before a checkpoint's row can then be changed or deleted
unnoticed. Run it regularly (cron) to bound what could go unnoticed.`,
		Example: `  concord audit checkpoint --out /mnt/archive/audit-$(date +%F).json
  concord audit checkpoint | mail -s "audit checkpoint" auditor@secretariat.example`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			key, err := m.auditKey()
			if err != nil {
				return err
			}
			opt, err := m.auditOptions(keyFiles, nil)
			if err != nil {
				return err
			}
			brk, res, err := audit.CheckWith(ctx, st, opt)
			if err != nil {
				return err
			}
			if brk != nil {
				fmt.Fprintf(m.Stderr, "audit chain BROKEN at row %d (%s): %s\nno checkpoint written\n", brk.Seq, brk.Kind, brk.Message)
				return &exitError{code: 4}
			}
			b := audit.Sign(key, res.Rows, res.Head, m.Clock.Now()).JSON()
			if out == "" || out == "-" {
				_, err = m.Stdout.Write(b)
				return err
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return concord.Errorf(concord.EINVALID, "--out: %v", err)
			}
			if _, err := f.Write(b); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "checkpoint of row %d written to %s\n", res.Rows, out)
			return nil
		}),
	}
	checkpoint.Flags().StringVar(&out, "out", "", "write the checkpoint to this new file (default: standard output)")
	checkpoint.Flags().StringArrayVar(&keyFiles, "key", nil, "audit key file of another node, whose rows to verify too (repeatable)")

	keyCmd := &cobra.Command{
		Use:   "key",
		Short: "Show the node's audit key id and the public key that verifies its checkpoints",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := m.auditKey()
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "audit key %s (%s)\ncheckpoint public key (Ed25519): %s\n", k.ID, m.auditKeyPath(), audit.PublicKey(k))
			return nil
		},
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
	cmd.AddCommand(verify, checkpoint, keyCmd, list)
	return cmd
}

// auditOptions are the node's key and those of keyFiles, and the
// checkpoints of files, each checked to be signed by one of the keys.
func (m *Main) auditOptions(keyFiles, files []string) (audit.Options, error) {
	own, err := m.auditKey()
	if err != nil {
		return audit.Options{}, err
	}
	opt := audit.Options{Keys: []*concord.AuditKey{own}}
	for _, f := range keyFiles {
		k, err := audit.ReadKey(f)
		if err != nil {
			return opt, concord.FieldError("--key", err)
		}
		opt.Keys = append(opt.Keys, k)
	}
	for _, f := range files {
		c, err := audit.ReadCheckpoint(f, opt.Keys...)
		if err != nil {
			return opt, concord.FieldError("--checkpoint", err)
		}
		opt.Checkpoints = append(opt.Checkpoints, c)
	}
	return opt, nil
}
