package postgres

import (
	"context"
	"errors"
	"time"

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
		seq, prev, err := lockHead(ctx, tx)
		if err != nil {
			return err
		}
		evs := []concord.AuditEvent{sqlstore.NewEvent(ctx, db.now(), ch)}
		chainEvents(seq, prev, evs)
		return insertEvents(ctx, tx, evs)
	}))
}

// lockHead takes the audit lock and reads the last row of the chain. The
// transaction advisory lock, taken last and held until commit, serialises
// appends across connections and nodes, so two writers never chain to the
// same row; the holder waits for nothing else, so it cannot deadlock. The
// head is read in a statement of its own, after the lock is granted, so that
// its snapshot includes the previous holder's rows (READ COMMITTED).
func lockHead(ctx context.Context, tx pgx.Tx) (seq int64, hash string, err error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, "concord.audit"); err != nil {
		return 0, "", err
	}
	err = tx.QueryRow(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	return seq, hash, err
}

// chainEvents numbers evs after the row (seq, hash) and chains them.
func chainEvents(seq int64, hash string, evs []concord.AuditEvent) {
	for i := range evs {
		ev := &evs[i]
		ev.Seq, ev.Prev = seq+1, hash
		ev.Hash = ev.ComputeHash()
		seq, hash = ev.Seq, ev.Hash
	}
}

const sqlAuditInsert = `INSERT INTO audit (seq, time, actor, member, via, action, object, detail, prev, hash)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

// insertEvents inserts chained events, several in one round trip (pgx
// prepares the statement once per connection and caches it).
func insertEvents(ctx context.Context, tx pgx.Tx, evs []concord.AuditEvent) error {
	if len(evs) == 1 {
		ev := &evs[0]
		_, err := tx.Exec(ctx, sqlAuditInsert, ev.Seq, ev.Time, ev.Actor, ev.Member, ev.Via,
			ev.Action, ev.Object, ev.Detail, ev.Prev, ev.Hash)
		return err
	}
	b := &pgx.Batch{}
	for i := range evs {
		ev := &evs[i]
		b.Queue(sqlAuditInsert, ev.Seq, ev.Time, ev.Actor, ev.Member, ev.Via,
			ev.Action, ev.Object, ev.Detail, ev.Prev, ev.Hash)
	}
	return tx.SendBatch(ctx, b).Close()
}

// Audit appends a standalone event: a read, or an action with no other write.
// Concurrent callers share one transaction (see sqlstore.Group), which takes
// the audit lock and reads the head once; each caller returns once its event
// is committed, or with the error of its batch.
func (db *DB) Audit(ctx context.Context, action, object, detail string) error {
	if action == "" {
		return concord.Errorf(concord.EINVALID, "audit: empty action")
	}
	ev := sqlstore.NewEvent(ctx, time.Time{}, sqlstore.Change{Action: action, Object: object, Detail: detail})
	return wrap("postgres.Audit", db.group.Do(ctx, ev))
}

// commitAudit is the group commit of standalone events: one transaction,
// the events chained in queue order and timed once the lock is held.
func (db *DB) commitAudit(evs []concord.AuditEvent) error {
	ctx, cancel := sqlstore.GroupContext()
	defer cancel()
	return db.tx(ctx, func(tx pgx.Tx) error {
		seq, prev, err := lockHead(ctx, tx)
		if err != nil {
			return err
		}
		for i := range evs {
			evs[i].Time = db.now()
		}
		chainEvents(seq, prev, evs)
		return insertEvents(ctx, tx, evs)
	})
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
