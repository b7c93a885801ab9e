// Package sqlite is Concord's embedded store: one SQLite file (modernc.org/sqlite,
// no cgo) in WAL mode under the data directory, with embedded numbered
// migrations. Writes go through a single connection whose transactions begin
// IMMEDIATE, so they are serialised; reads use a separate read-only pool and
// see the last committed state while an import runs.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"concord"
	"concord/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite store.
type DB struct {
	w     *sql.DB    // the one writer connection
	r     *sql.DB    // read-only pool
	rs    *stmtCache // prepared hot reads on r
	clock concord.Clock
	Path  string // the database file

	// writer is held by the write transaction in progress (see write); it
	// owns head and the writer's prepared statements.
	writer chan struct{}
	head   head
	ws     *writerStmts
	group  sqlstore.Group[concord.AuditEvent] // standalone audit events
}

var _ concord.Store = (*DB)(nil)

const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// Open creates dir if needed and opens (or creates) dir/concord.db, applying
// any pending migrations. A nil clock means the system clock.
func Open(ctx context.Context, dir string, clock concord.Clock) (*DB, error) {
	if clock == nil {
		clock = concord.SystemClock{}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, &concord.Error{Code: concord.EINTERNAL, Op: "sqlite.Open", Message: "create data directory", Err: err}
	}
	db := &DB{clock: clock, Path: filepath.Join(dir, "concord.db"), writer: make(chan struct{}, 1)}
	db.group.Commit = db.commitAudit
	var err error
	db.w, err = sql.Open("sqlite", db.Path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite.Open: %w", err)
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	if err := db.migrate(ctx); err != nil {
		db.w.Close()
		return nil, fmt.Errorf("sqlite.Open %s: %w", db.Path, err)
	}
	db.r, err = sql.Open("sqlite", db.Path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		db.w.Close()
		return nil, fmt.Errorf("sqlite.Open: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.r.SetMaxOpenConns(n)
	db.r.SetMaxIdleConns(n)
	db.rs = newStmtCache(db.r)
	if db.ws, err = prepareWriter(ctx, db.w); err == nil {
		db.head, err = loadHead(ctx, db.ws.head)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite.Open %s: %w", db.Path, err)
	}
	return db, nil
}

// Close closes the prepared statements and both pools.
func (db *DB) Close() error {
	var errs []error
	if db.ws != nil {
		errs = append(errs, db.ws.Close())
	}
	return errors.Join(append(errs, db.rs.Close(), db.r.Close(), db.w.Close())...)
}

func (db *DB) now() time.Time { return db.clock.Now().UTC().Truncate(time.Microsecond) }

// migrate applies the embedded migrations that schema_migrations does not
// list yet, each in its own transaction, in numeric order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, err := sqlstore.MigrationFiles(migrations)
	if err != nil {
		return err
	}
	for _, m := range files {
		if err := db.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m sqlstore.Migration) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, db.now().UnixMicro()); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	return tx.Commit()
}

// wrap turns driver errors into concord errors: constraint violations are
// conflicts, everything else internal.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *concord.Error
	if errors.As(err, &ce) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "duplicate key", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "still referenced", Err: err}
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &concord.Error{Code: concord.EINTERNAL, Op: op, Err: err}
}

func micros(t time.Time) int64 { return t.UTC().Truncate(time.Microsecond).UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
