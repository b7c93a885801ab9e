package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"concord"
)

// BackupName is the file a backup writes in its directory.
const BackupName = "concord.db"

// Backup writes an online, consistent copy of the database into dir
// (created if needed, and without a backup in it yet): on SQLite with
// VACUUM INTO, which reads one snapshot while writers go on and writes a
// compact copy; the backup is audited. A PostgreSQL database is backed up
// with pg_dump (see docs/operations.md): EUNSUPPORTED.
func (db *DB) Backup(ctx context.Context, dir string) (string, error) {
	const op = "store.Backup"
	if db.Path == "" {
		return "", &concord.Error{Code: concord.EUNSUPPORTED, Op: op,
			Message: "back a PostgreSQL database up with pg_dump (docs/operations.md)"}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", concord.Errorf(concord.EINVALID, "backup: %v", err)
	}
	dst := filepath.Join(dir, BackupName)
	if _, err := os.Stat(dst); err == nil {
		return "", concord.Errorf(concord.ECONFLICT, "backup: %s exists; choose an empty directory", dst)
	}
	// The audit row goes in first, so that the copy holds the record of its
	// own making.
	if err := db.Audit(ctx, "backup", dst, ""); err != nil {
		return "", err
	}
	// A connection of its own: the read pool's are query-only, and the
	// writer's would hold every write up for the length of the copy.
	src, err := sql.Open("sqlite", db.Path+"?"+pragmas)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
		return "", db.wrap(op, err)
	}
	return dst, nil
}

// CheckBackup opens a backup file read-only and checks it: SQLite's
// integrity check, and the schema's migrations, which must not be newer
// than this program's.
func CheckBackup(ctx context.Context, file string) error {
	const op = "store.CheckBackup"
	if _, err := os.Stat(file); err != nil {
		return concord.Errorf(concord.EINVALID, "restore: %v", err)
	}
	raw, err := sql.Open("sqlite", file+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer raw.Close()
	var ok string
	if err := raw.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return concord.Errorf(concord.EINVALID, "restore: %s is not a Concord database: %v", file, err)
	}
	if ok != "ok" {
		return concord.Errorf(concord.EINVALID, "restore: %s is damaged: %s", file, ok)
	}
	files, err := migrationFiles(sqliteDialect{})
	if err != nil {
		return err
	}
	var newest int
	if err := raw.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return concord.Errorf(concord.EINVALID, "restore: %s is not a Concord database: %v", file, err)
	}
	if newest > files[len(files)-1].version {
		return concord.Errorf(concord.EINVALID, "restore: %s has migration %d, newer than this program's %d", file, newest, files[len(files)-1].version)
	}
	return nil
}
