package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// dialect is everything that differs between SQLite and PostgreSQL. Queries
// are written once, with ? placeholders, TRUE/FALSE literals and the SQL
// both accept (INSERT … ON CONFLICT … DO UPDATE, RETURNING, UPDATE … FROM);
// the dialect numbers the placeholders, converts times, writes the DDL
// types, and provides the locks, bulk inserts and error codes.
type dialect interface {
	// name is "sqlite" or "postgres", also the directory of its own migrations.
	name() string
	// rebind turns the ? placeholders of query into the dialect's own.
	rebind(query string) string
	// arg converts an argument: a time.Time (or *time.Time, nil for NULL)
	// into what the dialect's time columns hold.
	arg(v any) any
	// types are the DDL macros (${time}, ${bool}, …) of migrations and
	// temporary tables.
	types() *strings.Replacer
	// byIndex makes the table before it read through the named index
	// (SQLite's planner, without statistics, may prefer the index on
	// statements.dataset, whose one value matches every row of an import).
	byIndex(index string) string
	// arrays reports whether a list is one array argument (col = ANY(?))
	// rather than one argument per value (col IN (?, …)).
	arrays() bool
	// lock takes the named lock until the end of t (PostgreSQL: an advisory
	// transaction lock per schema; SQLite's writer is exclusive already).
	lock(ctx context.Context, t *tx, name string) error
	// sessionLock takes the named lock for the session of conn, until unlock.
	sessionLock(ctx context.Context, conn *sql.Conn, name string) (unlock func(), err error)
	// forUpdate is the row-locking clause of a SELECT in a write (or "");
	// skipLocked the same, skipping rows locked by other transactions.
	forUpdate() string
	skipLocked() string
	// copyRows inserts n rows into table, row appending the values of row
	// i, and returns how many it inserted; with conflict (an ON CONFLICT
	// clause) it upserts them and counts the rows inserted or updated.
	copyRows(ctx context.Context, t *tx, table string, cols []string, conflict string, n int, row func(i int, vals []any) []any) (int64, error)
	// indexes lists the indexes of table that a bulk load drops and builds
	// again: all but its primary key's.
	indexes(ctx context.Context, t *tx, table string) ([]tableIndex, error)
	// dropping runs fn, which drops indexes for a bulk load, with what the
	// dialect needs for it; errBusy means the table could not be locked
	// (nothing was dropped, t goes on).
	dropping(ctx context.Context, t *tx, fn func() error) error
	// importing is what an import sets on its connection (see session).
	importing() session
	// building runs fn, which builds indexes of a bulk load, with the
	// dialect's settings for it.
	building(ctx context.Context, t *tx, fn func() error) error
	// notify tells the other processes, at commit, that t published
	// changes up to seq (SQLite: they see the file change).
	notify(ctx context.Context, t *tx, seq int64) error
	// watch calls wake whenever another process may have committed
	// changes, until ctx ends.
	watch(ctx context.Context, wake func())
	// conflict names the constraint an error violated: "duplicate key",
	// "still referenced", or "" for any other error.
	conflict(err error) string
}

// Lock names (the PostgreSQL advisory lock keys of earlier releases, so that
// nodes of both can run side by side during an upgrade).
const (
	lockAudit   = "concord.audit"   // appends to the audit chain
	lockImport  = "concord.import"  // numbers statements: imports, contributions
	lockMigrate = "concord.migrate" // session lock while migrating
)

// bind prepares a query and its arguments for the dialect.
func bind(d dialect, query string, args []any) (string, []any) {
	for i, a := range args {
		args[i] = d.arg(a)
	}
	return d.rebind(query), args
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// micros is t as Unix microseconds (UTC), SQLite's time columns.
func micros(t time.Time) int64 { return t.UTC().Truncate(time.Microsecond).UnixMicro() }

// fromMicros is the UTC time of Unix microseconds us.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// deref turns a *time.Time into a time or nil.
func deref(v any) (any, bool) {
	p, ok := v.(*time.Time)
	if !ok {
		return v, false
	}
	if p == nil {
		return nil, true
	}
	return *p, true
}
