package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"concord"
	"concord/internal/sqlstore"
)

// head is the last row of the audit chain as the writer last saw it.
type head struct {
	seq  int64
	hash string
	ok   bool // false: unknown (at open, after a failed transaction), read the table
}

// chain appends audit events inside one write transaction, starting from
// the store's in-memory head.
type chain struct {
	db     *DB
	tx     *sql.Tx
	head   head
	synced bool // head checked against the table in this transaction
}

// write runs fn in a write transaction. It holds the writer (one write
// transaction at a time in this process; BEGIN IMMEDIATE excludes other
// processes) and owns the in-memory chain head: committed, the head moves
// to the last event fn appended; rolled back, or if the commit fails, the
// head is forgotten and the next write reads it from the table.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx, c *chain) error) error {
	select {
	case db.writer <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-db.writer }()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		db.head.ok = false
		return err
	}
	committed := false
	defer func() {
		if !committed {
			db.head.ok = false
			tx.Rollback()
		}
	}()
	c := &chain{db: db, tx: tx, head: db.head}
	if err := fn(tx, c); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	db.head = c.head
	return nil
}

// append chains ev (Seq, Prev and Hash set here) after the last row of the
// audit. The first append of a transaction compares the in-memory head with
// the table's max(seq), read under the write lock, and reloads the head when
// another process (or anything else) appended since: the head is never
// trusted past what the table says.
func (c *chain) append(ctx context.Context, ev *concord.AuditEvent) error {
	if !c.synced {
		if c.head.ok {
			var last sql.NullInt64
			if err := c.tx.StmtContext(ctx, c.db.ws.maxSeq).QueryRowContext(ctx).Scan(&last); err != nil {
				return err
			}
			c.head.ok = last.Int64 == c.head.seq
		}
		if !c.head.ok {
			h, err := loadHead(ctx, c.tx.StmtContext(ctx, c.db.ws.head))
			if err != nil {
				return err
			}
			c.head = h
		}
		c.synced = true
	}
	ev.Seq, ev.Prev = c.head.seq+1, c.head.hash
	ev.Hash = ev.ComputeHash()
	if _, err := c.tx.StmtContext(ctx, c.db.ws.insert).ExecContext(ctx, ev.Seq, micros(ev.Time), ev.Actor,
		ev.Member, ev.Via, ev.Action, ev.Object, ev.Detail, ev.Prev, ev.Hash); err != nil {
		return err
	}
	c.head = head{seq: ev.Seq, hash: ev.Hash, ok: true}
	return nil
}

// loadHead reads the last row of the audit; an empty audit has head 0, "".
func loadHead(ctx context.Context, st *sql.Stmt) (head, error) {
	h := head{ok: true}
	err := st.QueryRowContext(ctx).Scan(&h.seq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	if err != nil {
		return head{}, err
	}
	return h, nil
}

const (
	sqlAuditMaxSeq = `SELECT max(seq) FROM audit`
	sqlAuditHead   = `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`
	sqlAuditInsert = `INSERT INTO audit (seq, time, actor, member, via, action, object, detail, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// audited runs fn in a write transaction and, when fn succeeds, appends one
// audit event for it (the actor of ctx and ch) in the same transaction: the
// write and its record commit together or not at all.
func (db *DB) audited(ctx context.Context, op string, ch sqlstore.Change, fn func(tx *sql.Tx, ch *sqlstore.Change) error) error {
	return wrap(op, db.write(ctx, func(tx *sql.Tx, c *chain) error {
		if err := fn(tx, &ch); err != nil {
			return err
		}
		ev := sqlstore.NewEvent(ctx, db.now(), ch)
		return c.append(ctx, &ev)
	}))
}

// Audit appends a standalone event: a read, or an action with no other write.
// Concurrent callers share one transaction (see sqlstore.Group); each returns
// once its event is committed, or with the error of its batch.
func (db *DB) Audit(ctx context.Context, action, object, detail string) error {
	if action == "" {
		return concord.Errorf(concord.EINVALID, "audit: empty action")
	}
	ev := sqlstore.NewEvent(ctx, time.Time{}, sqlstore.Change{Action: action, Object: object, Detail: detail})
	return wrap("sqlite.Audit", db.group.Do(ctx, ev))
}

// commitAudit is the group commit of standalone events: one transaction,
// the events chained in queue order and timed as they are appended.
func (db *DB) commitAudit(evs []concord.AuditEvent) error {
	ctx, cancel := sqlstore.GroupContext()
	defer cancel()
	return db.write(ctx, func(_ *sql.Tx, c *chain) error {
		for i := range evs {
			evs[i].Time = db.now()
			if err := c.append(ctx, &evs[i]); err != nil {
				return err
			}
		}
		return nil
	})
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
