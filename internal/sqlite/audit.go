package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"concord"
	"concord/internal/sqlstore"
)

// audited runs fn in a write transaction and, when fn succeeds, appends one
// audit event for it (the actor of ctx and ch) in the same transaction: the
// write and its record commit together or not at all. SQLite has one writer
// (transactions begin IMMEDIATE), so appends are serialised and the chain
// cannot fork.
func (db *DB) audited(ctx context.Context, op string, ch sqlstore.Change, fn func(tx *sql.Tx, ch *sqlstore.Change) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx, &ch); err != nil {
		return wrap(op, err)
	}
	if err := db.appendAudit(ctx, tx, ch); err != nil {
		return wrap(op, err)
	}
	return wrap(op, tx.Commit())
}

// appendAudit chains one event after the last row of the audit.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, ch sqlstore.Change) error {
	ev := sqlstore.NewEvent(ctx, db.now(), ch)
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&ev.Seq, &ev.Prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ev.Seq++
	ev.Hash = ev.ComputeHash()
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (seq, time, actor, member, via, action, object, detail, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ev.Seq, micros(ev.Time), ev.Actor, ev.Member, ev.Via,
		ev.Action, ev.Object, ev.Detail, ev.Prev, ev.Hash)
	return err
}

// Audit appends a standalone event: a read, or an action with no other write.
func (db *DB) Audit(ctx context.Context, action, object, detail string) error {
	if action == "" {
		return concord.Errorf(concord.EINVALID, "audit: empty action")
	}
	return db.audited(ctx, "sqlite.Audit", sqlstore.Change{Action: action, Object: object, Detail: detail},
		func(*sql.Tx, *sqlstore.Change) error { return nil })
}

const auditCols = `seq, time, actor, member, via, action, object, detail, prev, hash`

// AuditEvents returns the events q selects, in seq order.
func (db *DB) AuditEvents(ctx context.Context, q concord.AuditQuery) ([]concord.AuditEvent, error) {
	const op = "sqlite.AuditEvents"
	w := &where{}
	w.add("seq > ?", q.After)
	for _, c := range []struct{ col, val string }{{"member", q.Member}, {"actor", q.Actor}, {"action", q.Action}} {
		if c.val != "" {
			w.add(c.col+" = ?", c.val)
		}
	}
	query := `SELECT ` + auditCols + ` FROM audit WHERE ` + w.String() + ` ORDER BY seq`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, q.Limit)
	}
	out := []concord.AuditEvent{}
	err := db.eachAudit(ctx, query, w.args, func(ev *concord.AuditEvent) error {
		out = append(out, *ev)
		return nil
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// EachAuditEvent streams the whole chain in seq order.
func (db *DB) EachAuditEvent(ctx context.Context, fn func(*concord.AuditEvent) error) error {
	var fnErr error
	err := db.eachAudit(ctx, `SELECT `+auditCols+` FROM audit ORDER BY seq`, nil, func(ev *concord.AuditEvent) error {
		fnErr = fn(ev)
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return wrap("sqlite.EachAuditEvent", err)
}

func (db *DB) eachAudit(ctx context.Context, query string, args []any, fn func(*concord.AuditEvent) error) error {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev concord.AuditEvent
		var at int64
		if err := rows.Scan(&ev.Seq, &at, &ev.Actor, &ev.Member, &ev.Via, &ev.Action, &ev.Object,
			&ev.Detail, &ev.Prev, &ev.Hash); err != nil {
			return err
		}
		ev.Time = fromMicros(at)
		if err := fn(&ev); err != nil {
			return err
		}
	}
	return rows.Err()
}
