package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"concord"
)

// change describes a write for its audit event: set by the store method,
// completed in the write's transaction (a count, an id assigned there).
type change struct {
	Action string
	Object string
	Detail string
}

// newEvent is the audit event of ch by the actor of ctx at now, before it is
// chained (Seq, Prev and Hash are set by appendAudit).
func newEvent(ctx context.Context, now time.Time, ch change) concord.AuditEvent {
	a := concord.ActorFrom(ctx)
	return concord.AuditEvent{Time: now, Actor: a.User, Member: a.Member, Via: a.Via,
		Action: ch.Action, Object: ch.Object, Detail: ch.Detail}
}

// objects names the entities of a write for its audit event: up to a few
// ids, then how many more.
func objects(ids []string) string {
	const show = 5
	seen := map[string]bool{}
	var list []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			list = append(list, id)
		}
	}
	if len(list) <= show {
		return strings.Join(list, ",")
	}
	return strings.Join(list[:show], ",") + ",+" + strconv.Itoa(len(list)-show)
}

const (
	auditCols       = `seq, time, actor, member, via, action, object, detail, key_id, member_seq, prev, hash`
	sqlAuditHead    = `SELECT seq, hash, key_id FROM audit ORDER BY seq DESC LIMIT 1`
	sqlAuditInsert  = `INSERT INTO audit (` + auditCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlMemberSeq    = `SELECT COALESCE(MAX(member_seq), 0) FROM audit WHERE member = ?`
	auditInsertCols = 12
)

// UseAuditKey makes the store seal every audit row it appends with k (nil:
// none, the unkeyed chain of earlier releases). Set it once, after opening
// and before the first write. A store without a key refuses to append to a
// chain whose last row is sealed: it would break the chain for verify.
func (db *DB) UseAuditKey(k *concord.AuditKey) { db.auditKey.Store(k) }

// AuditHead returns the seq and key id of the last audit row (0 and "" for
// an empty audit).
func (db *DB) AuditHead(ctx context.Context) (seq int64, keyID string, err error) {
	var hash string
	err = db.row(ctx, sqlAuditHead).Scan(&seq, &hash, &keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return seq, keyID, db.wrap("store.AuditHead", err)
}

// appendAudit chains evs after the last row of the audit and inserts them
// (one multi-row INSERT), each sealed with the store's audit key if it has
// one, and numbered within its member (MemberSeq). The audit lock, taken
// last in the transaction and held until commit, serialises appends across
// connections, processes and nodes, so two writers never chain to the same
// row; its holder waits for nothing else, so it cannot deadlock. The head
// is read after the lock is granted, so that it includes the previous
// holder's rows. With stamp, the events are timed once the lock is held.
func (t *tx) appendAudit(ctx context.Context, evs []concord.AuditEvent, stamp bool) error {
	if err := t.lock(ctx, lockAudit); err != nil {
		return err
	}
	if stamp {
		for i := range evs {
			evs[i].Time = t.db.now()
		}
	}
	var seq int64
	var hash, headKey string
	if err := t.row(ctx, sqlAuditHead).Scan(&seq, &hash, &headKey); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	key := t.db.auditKey.Load()
	if key == nil && headKey != "" {
		return &concord.Error{Code: concord.EINTERNAL, Message: "the audit is sealed with key " + headKey +
			", which this node was not given: rows without it would break the chain"}
	}
	memberSeq := map[string]int64{}
	args := make([]any, 0, auditInsertCols*len(evs))
	for i := range evs {
		ev := &evs[i]
		ms, ok := memberSeq[ev.Member]
		if !ok {
			if err := t.row(ctx, sqlMemberSeq, ev.Member).Scan(&ms); err != nil {
				return err
			}
		}
		ev.MemberSeq = ms + 1
		memberSeq[ev.Member] = ev.MemberSeq
		ev.Seq, ev.Prev = seq+1, hash
		if key != nil {
			key.Seal(ev)
		} else {
			ev.KeyID, ev.Hash = "", ev.ComputeHash()
		}
		seq, hash = ev.Seq, ev.Hash
		args = append(args, ev.Seq, ev.Time, ev.Actor, ev.Member, ev.Via, ev.Action, ev.Object, ev.Detail,
			ev.KeyID, ev.MemberSeq, ev.Prev, ev.Hash)
	}
	q := sqlAuditInsert
	if len(evs) > 1 {
		q += strings.Repeat(", ("+marks(auditInsertCols)+")", len(evs)-1)
	}
	_, err := t.exec(ctx, q, args...)
	return err
}

// Audit appends a standalone event: a read, or an action with no other write.
// Concurrent callers share one transaction (see group), which takes the
// audit lock and reads the head once; each caller returns once its event is
// committed, or with the error of its batch.
func (db *DB) Audit(ctx context.Context, action, object, detail string) error {
	if action == "" {
		return concord.Errorf(concord.EINVALID, "audit: empty action")
	}
	ev := newEvent(ctx, time.Time{}, change{Action: action, Object: object, Detail: detail})
	return db.wrap("store.Audit", db.group.do(ctx, ev))
}

// commitAudit is the group commit of standalone events: one transaction,
// the events chained in queue order and timed once the lock is held.
func (db *DB) commitAudit(evs []concord.AuditEvent) error {
	ctx, cancel := groupContext()
	defer cancel()
	return db.write(ctx, func(t *tx) error { return t.appendAudit(ctx, evs, true) })
}

// AuditEvents returns the events q selects, in seq order.
func (db *DB) AuditEvents(ctx context.Context, q concord.AuditQuery) ([]concord.AuditEvent, error) {
	w := db.where()
	order := "seq"
	if q.ByMember {
		// The member's own numbering: its rows, paged by member_seq.
		order = "member_seq"
		w.add("member = ?", q.Member)
		w.add("member_seq > ?", q.After)
		q.Member = ""
	} else {
		w.add("seq > ?", q.After)
	}
	for _, c := range []struct{ col, val string }{{"member", q.Member}, {"actor", q.Actor}, {"action", q.Action}} {
		if c.val != "" {
			w.add(c.col+" = ?", c.val)
		}
	}
	query := `SELECT ` + auditCols + ` FROM audit WHERE ` + w.String() + ` ORDER BY ` + order
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
		return nil, db.wrap("store.AuditEvents", err)
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
	return db.wrap("store.EachAuditEvent", err)
}

func (db *DB) eachAudit(ctx context.Context, query string, args []any, fn func(*concord.AuditEvent) error) error {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev concord.AuditEvent
		if err := rows.Scan(&ev.Seq, tm{&ev.Time}, &ev.Actor, &ev.Member, &ev.Via, &ev.Action, &ev.Object,
			&ev.Detail, &ev.KeyID, &ev.MemberSeq, &ev.Prev, &ev.Hash); err != nil {
			return err
		}
		if err := fn(&ev); err != nil {
			return err
		}
	}
	return rows.Err()
}
