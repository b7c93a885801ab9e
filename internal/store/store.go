// Package store is Concord's one SQL store, on SQLite (the embedded default,
// OpenSQLite) and PostgreSQL (production, OpenPostgres), both through
// database/sql. Each query is written once; what differs between the two
// sits behind the small dialect type (placeholders, time and DDL types,
// locks, bulk inserts, error codes). Migrations are embedded and numbered
// (migrations/*.sql, with the dialect's types as ${macros}; a dialect's own
// directory only where the DDL really differs). Every write goes through one
// audited-transaction helper that appends the hash-chained audit row in the
// write's own transaction; every read takes the reader's concord.Filter,
// compiled into the query.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"concord"
)

// DB is the store on either dialect.
type DB struct {
	d     dialect
	w     *sql.DB    // writes (SQLite: the one writer connection)
	r     *sql.DB    // reads (SQLite: a read-only pool; PostgreSQL: w)
	rs    *stmtCache // reads, prepared once per connection on SQLite
	ws    *stmtCache // the writer's hot statements (SQLite)
	clock concord.Clock
	group group[concord.AuditEvent] // standalone audit events
	feed  feed                      // wakes WaitChange
	// auditKey seals appended audit rows (nil: unkeyed); see UseAuditKey.
	auditKey atomic.Pointer[concord.AuditKey]
	// importChunk is how many statements an import writes at a time
	// (importChunk; tests make it small).
	importChunk int
	// bulkLoads counts the imports that started a bulk load (bulkLoad).
	bulkLoads atomic.Int64

	// Path is the SQLite database file ("" on PostgreSQL).
	Path string
}

var _ concord.Store = (*DB)(nil)

func newDB(d dialect, w, r *sql.DB, clock concord.Clock) *DB {
	if clock == nil {
		clock = concord.SystemClock{}
	}
	db := &DB{d: d, w: w, r: r, clock: clock, rs: &stmtCache{db: r}, ws: &stmtCache{db: w}, importChunk: importChunk}
	db.group.commit = db.commitAudit
	return db
}

// open migrates and prepares the writer's hot statements (SQLite), closing
// the pools on error.
func (db *DB) open(ctx context.Context) error {
	err := db.migrate(ctx)
	if err == nil && db.rs.prepare {
		db.ws.prepare = true
		err = db.ws.prepareAll(ctx, sqlAuditHead, sqlAuditInsert, sqlMemberSeq)
	}
	if err != nil {
		db.Close()
	}
	return err
}

// Close closes the prepared statements and the pools.
func (db *DB) Close() error {
	db.feed.close()
	errs := []error{db.rs.Close(), db.ws.Close(), db.w.Close()}
	if db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	return errors.Join(errs...)
}

func (db *DB) now() time.Time { return db.clock.Now().UTC().Truncate(time.Microsecond) }

// wrap turns driver errors into concord errors: constraint violations are
// conflicts, everything else internal.
func (db *DB) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *concord.Error
	if errors.As(err, &ce) {
		return err
	}
	if msg := db.d.conflict(err); msg != "" {
		return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: msg, Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &concord.Error{Code: concord.EINTERNAL, Op: op, Err: err}
}

// querier runs reads: the store's read pool, or a write transaction.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	row(ctx context.Context, q string, args ...any) *sql.Row
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, args = bind(db.d, q, args)
	return db.rs.query(ctx, q, args)
}

func (db *DB) row(ctx context.Context, q string, args ...any) *sql.Row {
	q, args = bind(db.d, q, args)
	return db.rs.row(ctx, q, args)
}

// scanner is a row being scanned.
type scanner interface{ Scan(dest ...any) error }

// scanAll scans every row of a query (rows, err) with scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(s scanner, v *T) error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// strs is the one text column of a query's rows.
func strs(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.query(ctx, query, args...)
	return scanAll(rows, err, func(s scanner, v *string) error { return s.Scan(v) })
}

// tm scans a time column of either dialect (Unix microseconds or a
// timestamp) into a UTC time.
type tm struct{ t *time.Time }

func (d tm) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*d.t = fromMicros(v)
	case time.Time:
		*d.t = v.UTC()
	default:
		return fmt.Errorf("time column holds %T", src)
	}
	return nil
}

// ntm scans a nullable time column.
type ntm struct{ t **time.Time }

func (d ntm) Scan(src any) error {
	if src == nil {
		*d.t = nil
		return nil
	}
	var t time.Time
	if err := (tm{&t}).Scan(src); err != nil {
		return err
	}
	*d.t = &t
	return nil
}

// mustAffect turns a result that affected no row into the given error.
func mustAffect(res sql.Result, err error) func(error) error {
	return func(missing error) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return missing
		}
		return nil
	}
}
