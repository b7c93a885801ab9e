package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"concord"
)

// SQLite: one file (modernc.org/sqlite, no cgo) in WAL mode under the data
// directory. Writes go through a single connection whose transactions begin
// IMMEDIATE, so they are serialised (with other processes on the file too);
// reads use a separate read-only pool of prepared statements and see the
// last committed state while an import runs. Times are Unix microseconds.
type sqliteDialect struct {
	path string // the database file
}

const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// OpenSQLite creates dir if needed and opens (or creates) dir/concord.db,
// applying any pending migrations. A nil clock means the system clock.
func OpenSQLite(ctx context.Context, dir string, clock concord.Clock) (*DB, error) {
	const op = "store.OpenSQLite"
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, &concord.Error{Code: concord.EINTERNAL, Op: op, Message: "create data directory", Err: err}
	}
	path := filepath.Join(dir, "concord.db")
	if err := createSQLite(ctx, path); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, path, err)
	}
	w, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_pragma=journal_size_limit("+strconv.Itoa(walSizeLimit)+")&_pragma=cache_size(-131072)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db := newDB(sqliteDialect{path: path}, w, r, clock)
	db.Path = path
	db.rs.prepare = true
	if err := db.open(ctx); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, path, err)
	}
	return db, nil
}

// sqlitePageSize is the page size of a new store. A bulk load's
// transaction stays in the WAL until it commits, and SQLite looks a page up
// there by walking the WAL index's hash tables of the transaction one by
// one (4096 frames each), for every page it writes (is the page already
// in this transaction?) and every page it reads: a cost that grows with
// the frames the transaction already wrote, so quadratically with the
// load (walFindFrame, 4 KiB pages: 2.7 s of a 1M import's CPU, 41.6 s of
// 3M's). 16 KiB pages make a quarter of the frames to look up, each lookup
// a quarter as long (3M: 2.9 s). A store made before keeps its page size
// (changing it takes a VACUUM).
const sqlitePageSize = 16384

// walSizeLimit is what the WAL file is cut back to when SQLite restarts it
// after a checkpoint. A bulk load is one transaction, so its WAL holds the
// whole load until the commit (16 GB for 10M persons); without a limit the
// file keeps that size on disk for as long as a long-running node (serve)
// keeps the store open, though its frames were all checkpointed.
const walSizeLimit = 64 << 20

// createSQLite makes a new database file at path with sqlitePageSize pages,
// in WAL mode; it leaves an existing one as it is. The page size is set on
// a connection of its own before any other: SQLite sizes its page cache,
// when cache_size is given in KiB, by the page size it had when the cache
// size was set, and modernc.org/sqlite runs a DSN's pragmas in
// alphabetical order (cache_size before page_size), which gave a 16 KiB
// store a page cache of 512 MB instead of 128 MB.
func createSQLite(ctx context.Context, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=page_size("+strconv.Itoa(sqlitePageSize)+")&_journal_mode=WAL")
	if err != nil {
		return err
	}
	defer db.Close()
	// Setting journal_mode (on the connection's first use) writes the
	// file's first page, which fixes its page size.
	return db.PingContext(ctx)
}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) rebind(query string) string { return query }

func (sqliteDialect) arg(v any) any {
	v, _ = deref(v)
	if t, ok := v.(time.Time); ok {
		return micros(t)
	}
	return v
}

var sqliteTypes = strings.NewReplacer(
	"${seq}", "INTEGER PRIMARY KEY", // the rowid
	"${serial}", "INTEGER PRIMARY KEY",
	"${bigint}", "INTEGER",
	"${time}", "INTEGER",
	"${bool}", "INTEGER",
	"${float}", "REAL",
	"${blob}", "BLOB",
	"${list}", "TEXT",
	"${empty_list}", "''",
	"${hot_updates}", "",
	"${temp_rows}", "",
	"${scratch}", "",
)

func (sqliteDialect) types() *strings.Replacer { return sqliteTypes }

func (sqliteDialect) arrays() bool { return false }

func (sqliteDialect) byIndex(index string) string { return " INDEXED BY " + index }

func (sqliteDialect) lock(context.Context, *tx, string) error { return nil }

func (sqliteDialect) sessionLock(context.Context, *sql.Conn, string) (func(), error) {
	return func() {}, nil
}

func (sqliteDialect) forUpdate() string { return "" }

func (sqliteDialect) skipLocked() string { return "" }

// copyRows runs multi-row INSERTs that bind the values their rows share
// once: see sqliteInsert.
func (sqliteDialect) copyRows(ctx context.Context, t *tx, table string, cols []string, conflict string, n int, row func(i int, vals []any) []any) (int64, error) {
	return sqliteInsert(ctx, t, table, cols, conflict, n, row)
}

func (sqliteDialect) notify(context.Context, *tx, int64) error { return nil }

// watch polls PRAGMA data_version on a connection of its own: it changes
// when another connection (of this process or another) commits.
func (d sqliteDialect) watch(ctx context.Context, wake func()) {
	db, err := sql.Open("sqlite", d.path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last int64 = -1
	for {
		// The first reading wakes too: a write may have come between a
		// waiter's look and this baseline.
		var v int64
		if err := db.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err == nil && v != last {
			wake()
			last = v
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (sqliteDialect) conflict(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return "duplicate key"
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return "still referenced"
		}
	}
	return ""
}

func (sqliteDialect) indexes(ctx context.Context, t *tx, table string) ([]tableIndex, error) {
	rows, err := t.query(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, table)
	return scanAll(rows, err, func(s scanner, ix *tableIndex) error { return s.Scan(&ix.name, &ix.ddl) })
}

// dropping needs nothing: the writer is exclusive, and readers go on
// reading the last commit.
func (sqliteDialect) dropping(_ context.Context, _ *tx, fn func() error) error { return fn() }

// importing sorts in temporary files rather than in memory (temp_store is
// MEMORY for statement journals and small sorts, and a sorter in memory
// would hold every key of an index that a bulk load builds at once), with a
// helper thread: the sorter keeps about cache_size (128 MB) of keys in
// memory per thread and merges the runs it wrote. The temporary storage
// cannot change inside a transaction.
func (sqliteDialect) importing() session {
	return session{before: []string{`PRAGMA temp_store = FILE`, `PRAGMA threads = 1`},
		after: []string{`PRAGMA temp_store = MEMORY`, `PRAGMA threads = 0`}}
}

func (sqliteDialect) building(_ context.Context, _ *tx, fn func() error) error { return fn() }
