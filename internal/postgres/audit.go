package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"concord"
	"concord/internal/sqlstore"
)

// audited runs fn in a transaction and, when fn succeeds, appends one audit
// event for it (the actor of ctx and ch) in the same transaction: the write
// and its record commit together or not at all.
func (db *DB) audited(ctx context.Context, op string, ch sqlstore.Change, fn func(tx pgx.Tx, ch *sqlstore.Change) error) error {
	return wrap(op, db.tx(ctx, func(tx pgx.Tx) error {
		if err := fn(tx, &ch); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ch)
	}))
}

// appendAudit chains one event after the last row of the audit. A
// transaction advisory lock, taken last and held until commit, serialises
// appends across connections and nodes, so two writers never chain to the
// same row; the holder waits for nothing else, so it cannot deadlock.
func (db *DB) appendAudit(ctx context.Context, tx pgx.Tx, ch sqlstore.Change) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, "concord.audit"); err != nil {
		return err
	}
	ev := sqlstore.NewEvent(ctx, db.now(), ch)
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&ev.Seq, &ev.Prev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	ev.Seq++
	ev.Hash = ev.ComputeHash()
	_, err = tx.Exec(ctx, `INSERT INTO audit (seq, time, actor, member, via, action, object, detail, prev, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, ev.Seq, ev.Time, ev.Actor, ev.Member, ev.Via,
		ev.Action, ev.Object, ev.Detail, ev.Prev, ev.Hash)
	return err
}

// Audit appends a standalone event: a read, or an action with no other write.
func (db *DB) Audit(ctx context.Context, action, object, detail string) error {
	if action == "" {
		return concord.Errorf(concord.EINVALID, "audit: empty action")
	}
	return db.audited(ctx, "postgres.Audit", sqlstore.Change{Action: action, Object: object, Detail: detail},
		func(pgx.Tx, *sqlstore.Change) error { return nil })
}

const auditCols = `seq, time, actor, member, via, action, object, detail, prev, hash`

// AuditEvents returns the events q selects, in seq order.
func (db *DB) AuditEvents(ctx context.Context, q concord.AuditQuery) ([]concord.AuditEvent, error) {
	w := &where{}
	w.conds = append(w.conds, "seq > "+w.arg(q.After))
	for _, c := range []struct{ col, val string }{{"member", q.Member}, {"actor", q.Actor}, {"action", q.Action}} {
		if c.val != "" {
			w.conds = append(w.conds, c.col+" = "+w.arg(c.val))
		}
	}
	query := `SELECT ` + auditCols + ` FROM audit WHERE ` + w.String() + ` ORDER BY seq`
	if q.Limit > 0 {
		query += ` LIMIT ` + w.arg(q.Limit)
	}
	out := []concord.AuditEvent{}
	err := db.read(ctx, "postgres.AuditEvents", func(qr queryer) error {
		return eachAudit(ctx, qr, query, w.args, func(ev *concord.AuditEvent) error {
			out = append(out, *ev)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachAuditEvent streams the whole chain in seq order.
func (db *DB) EachAuditEvent(ctx context.Context, fn func(*concord.AuditEvent) error) error {
	var fnErr error
	err := db.read(ctx, "postgres.EachAuditEvent", func(q queryer) error {
		return eachAudit(ctx, q, `SELECT `+auditCols+` FROM audit ORDER BY seq`, nil, func(ev *concord.AuditEvent) error {
			fnErr = fn(ev)
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

func eachAudit(ctx context.Context, q queryer, query string, args []any, fn func(*concord.AuditEvent) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev concord.AuditEvent
		if err := rows.Scan(&ev.Seq, &ev.Time, &ev.Actor, &ev.Member, &ev.Via, &ev.Action, &ev.Object,
			&ev.Detail, &ev.Prev, &ev.Hash); err != nil {
			return err
		}
		ev.Time = ev.Time.UTC()
		if err := fn(&ev); err != nil {
			return err
		}
	}
	return rows.Err()
}
