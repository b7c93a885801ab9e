package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the numbered migrations: migrations/NNNN_name.sql for
// both dialects, written with the dialect's types as ${macros}, and
// migrations/<dialect>/NNNN_name.sql where the DDL really differs. Version
// numbers are unique across both directories.
//
//go:embed migrations
var migrations embed.FS

// migration is one embedded migration file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationFiles reads the migrations of a dialect in numeric order, with its
// types filled in.
func migrationFiles(d dialect) ([]migration, error) {
	var out []migration
	for _, dir := range []string{"migrations", "migrations/" + d.name()} {
		names, err := fs.Glob(migrations, dir+"/*.sql")
		if err != nil {
			return nil, err
		}
		for _, p := range names {
			base := path.Base(p)
			num, _, ok := strings.Cut(base, "_")
			v, err := strconv.Atoi(num)
			if !ok || err != nil {
				return nil, fmt.Errorf("migration %s: name must start with a number and _", p)
			}
			b, err := fs.ReadFile(migrations, p)
			if err != nil {
				return nil, err
			}
			out = append(out, migration{version: v, name: base, sql: d.types().Replace(string(b))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrate applies the migrations that schema_migrations does not list yet,
// each in its own transaction, in numeric order, holding the migration lock
// (PostgreSQL: a session advisory lock, so that nodes starting together
// apply each migration once; SQLite: each transaction holds the writer).
func (db *DB) migrate(ctx context.Context) error {
	files, err := migrationFiles(db.d)
	if err != nil {
		return err
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := db.d.sessionLock(ctx, conn, lockMigrate)
	if err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, db.d.types().Replace(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${time} NOT NULL)`)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range files {
		err := func() error {
			sqltx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer sqltx.Rollback()
			t := &tx{Tx: sqltx, db: db, conn: conn}
			defer t.closePrepared()
			var n int
			if err := t.row(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := sqltx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, db.now()); err != nil {
				return err
			}
			return sqltx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}
