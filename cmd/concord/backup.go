package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/audit"
	"concord/internal/store"
)

func (m *Main) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup DIR",
		Short: "Write an online, consistent copy of the SQLite store into DIR",
		Long: `Write a copy of the embedded store (--data) into DIR/concord.db while
servers and commands go on using it: the copy is one consistent snapshot
(SQLite's VACUUM INTO), compacted, and the backup is recorded in the audit.
DIR must not hold a backup already. Restore it with concord restore. The
audit key (--audit-key; audit.key in --data) is not in the backup: it is kept
apart from the database, and a restore needs it to verify the chain.

A PostgreSQL store (--db) is backed up with pg_dump and restored with
pg_restore (see docs/operations.md), e.g.
  pg_dump --format=custom --schema=concord --file concord.dump "$URL"`,
		Example: `  concord --data /var/lib/concord backup /backups/concord-$(date +%F)`,
		Args:    cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			b, ok := st.(interface {
				Backup(ctx context.Context, dir string) (string, error)
			})
			if !ok {
				return concord.Errorf(concord.EUNSUPPORTED, "this store has no backup")
			}
			start := time.Now()
			file, err := b.Backup(ctx, args[0])
			if err != nil {
				return err
			}
			fi, err := os.Stat(file)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "backup written: %s (%.1f MB in %v)\n", file, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(m.Stdout, "  the audit key %s is not in it: keep a copy apart; a restore needs it\n", m.auditKeyPath())
			return nil
		}),
	}
}

func (m *Main) restoreCommand() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore BACKUP",
		Short: "Restore a backup (a directory written by concord backup, or its concord.db) as the SQLite store",
		Long: `Check a backup (SQLite's integrity check; not written by a newer
Concord) and make it the store of --data: the data directory gets a copy of
it, is migrated forward if the backup is older, and its audit chain is
verified with the audit key that sealed it (--audit-key, else audit.key in
--data: copy it there first). Stop every server and command on the data
directory first. A data
directory that holds a store is left alone unless --force, which keeps the
old files beside it as concord.db.replaced-TIME.`,
		Example: `  concord --data /var/lib/concord restore /backups/concord-2026-12-01`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if m.DBURL != "" {
				return concord.Errorf(concord.EUNSUPPORTED, "restore a PostgreSQL database with pg_restore (docs/operations.md)")
			}
			src := args[0]
			if fi, err := os.Stat(src); err == nil && fi.IsDir() {
				src = filepath.Join(src, store.BackupName)
			}
			if err := store.CheckBackup(ctx, src); err != nil {
				return err
			}
			key, err := audit.ReadKey(m.auditKeyPath())
			if errors.Is(err, fs.ErrNotExist) {
				return concord.Errorf(concord.EINVALID, "restore needs the audit key that sealed the backup's chain: copy it to %s or give --audit-key; nothing was changed", m.auditKeyPath())
			} else if err != nil {
				return concord.FieldError("--audit-key", err)
			}
			dst := filepath.Join(m.DataDir, "concord.db")
			if _, err := os.Stat(dst); err == nil {
				if !force {
					return concord.Errorf(concord.ECONFLICT, "%s holds a store; --force replaces it (stop concord serve first)", m.DataDir)
				}
				stamp := time.Now().UTC().Format("20060102T150405")
				for _, suffix := range []string{"", "-wal", "-shm"} {
					if _, err := os.Stat(dst + suffix); err == nil {
						if err := os.Rename(dst+suffix, dst+".replaced-"+stamp+suffix); err != nil {
							return err
						}
					}
				}
			}
			if err := os.MkdirAll(m.DataDir, 0o750); err != nil {
				return err
			}
			if err := copyFile(src, dst); err != nil {
				return err
			}
			st, err := store.OpenSQLite(ctx, m.DataDir, m.Clock)
			if err != nil {
				return err
			}
			defer st.Close()
			st.UseAuditKey(key)
			brk, res, err := audit.CheckWith(ctx, st, audit.Options{Keys: []*concord.AuditKey{key}})
			if err != nil {
				return err
			}
			if brk != nil {
				return concord.Errorf(concord.EINVALID, "restored, but the audit chain is BROKEN at row %d (%s): %s", brk.Seq, brk.Kind, brk.Message)
			}
			if err := st.Audit(m.cliActor(ctx), "restore", src, ""); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "restored %s into %s: audit chain intact (%d rows)\n", src, m.DataDir, res.Rows)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace the store of the data directory (its files are kept beside it)")
	return cmd
}

// copyFile copies src to dst through a temporary file in dst's directory,
// renamed into place once complete and synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".restore-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
