package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
)

// Federation (concord.FederationStore): the log of statement versions this
// node made or received, in the order it learnt them. The node's own
// versions are found by comparing the statements members contributed with
// the version last logged for each (fed_state), for the entities the change
// feed says changed since the last time (all of them when the feed was
// pruned), so that no write path of the store has to know about federation.
// Versions received from peers are written with the statement, in one
// transaction, so that the comparison finds them equal.

const (
	lockFederation = "concord.federation" // the federation log
	syncPage       = 1000                 // statements compared per query
	syncMaxIDs     = 5000                 // more changed entities: compare all
)

var _ concord.FederationStore = (*DB)(nil)

// NodeID returns this node's id, creating it on first use.
func (db *DB) NodeID(ctx context.Context) (string, error) {
	const op = "store.NodeID"
	var id string
	err := db.row(ctx, `SELECT value FROM fed_meta WHERE key = 'node_id'`).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", db.wrap(op, err)
	}
	err = db.write(ctx, func(t *tx) error {
		id, err = nodeID(ctx, t)
		return err
	})
	return id, db.wrap(op, err)
}

// nodeID reads or creates the node id within t.
func nodeID(ctx context.Context, t *tx) (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	if _, err := t.exec(ctx, `INSERT INTO fed_meta (key, value) VALUES ('node_id', ?) ON CONFLICT (key) DO NOTHING`,
		"node-"+hex.EncodeToString(b)); err != nil {
		return "", err
	}
	var id string
	err := t.row(ctx, `SELECT value FROM fed_meta WHERE key = 'node_id'`).Scan(&id)
	return id, err
}

func metaInt(ctx context.Context, t *tx, key string) (int64, bool, error) {
	var v string
	err := t.row(ctx, `SELECT value FROM fed_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, true, err
}

func setMeta(ctx context.Context, t *tx, key string, v int64) error {
	_, err := t.exec(ctx, `INSERT INTO fed_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		key, strconv.FormatInt(v, 10))
	return err
}

// SyncFederationLog logs this node's own changes since the last time.
func (db *DB) SyncFederationLog(ctx context.Context) error {
	return db.wrap("store.SyncFederationLog", db.write(ctx, func(t *tx) error {
		if err := t.lock(ctx, lockFederation); err != nil {
			return err
		}
		_, err := syncLog(ctx, t)
		return err
	}))
}

// logger appends versions to fed_log and fed_state within one transaction.
type logger struct {
	t       *tx
	self    string
	seq     int64 // last log position
	selfSeq int64 // last origin sequence of this node
}

func newLogger(ctx context.Context, t *tx) (*logger, error) {
	self, err := nodeID(ctx, t)
	if err != nil {
		return nil, err
	}
	l := &logger{t: t, self: self}
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM fed_log`).Scan(&l.seq); err != nil {
		return nil, err
	}
	if l.selfSeq, _, err = metaInt(ctx, t, "origin_seq"); err != nil {
		return nil, err
	}
	return l, nil
}

// nextSelf is the origin sequence of this node's next version: increasing,
// and no less than the time in microseconds, so that it tells a receiver
// when the change was made and nothing of how many changes it did not see.
func (l *logger) nextSelf() int64 {
	l.selfSeq = max(l.selfSeq+1, l.t.db.now().UnixMicro())
	return l.selfSeq
}

// add logs one version of statement id.
func (l *logger) add(ctx context.Context, id, origin string, originSeq int64, a concord.Audience, h concord.TLP, retracted bool) error {
	l.seq++
	if _, err := l.t.exec(ctx, `INSERT INTO fed_log (seq, statement_id, origin, origin_seq, audience, handling, retracted)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.seq, id, origin, originSeq, string(a), string(h), retracted); err != nil {
		return err
	}
	return l.state(ctx, id, origin, originSeq, a, h, retracted)
}

func (l *logger) close(ctx context.Context) error {
	return setMeta(ctx, l.t, "origin_seq", l.selfSeq)
}

// syncLog logs, as this node's versions, the contributed statements whose
// share or retraction differs from their last logged version, among the
// entities changed since the last sync (all when the feed no longer tells).
// The caller holds the federation lock.
func syncLog(ctx context.Context, t *tx) (*logger, error) {
	l, err := newLogger(ctx, t)
	if err != nil {
		return nil, err
	}
	last, known, err := metaInt(ctx, t, "last_change")
	if err != nil {
		return nil, err
	}
	var head int64
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&head); err != nil {
		return nil, err
	}
	if known && head == last {
		return l, nil
	}
	var entities []string
	all := !known
	if !all {
		if entities, all, err = changedEntities(ctx, t, last, head); err != nil {
			return nil, err
		}
	}
	if all || len(entities) > 0 {
		if err := l.diff(ctx, entities, all); err != nil {
			return nil, err
		}
	}
	if err := l.close(ctx); err != nil {
		return nil, err
	}
	return l, setMeta(ctx, t, "last_change", head)
}

// changedEntities returns the entities the feed says changed in (last,
// head], or all when the feed does not hold every change of that range,
// names a change of any entity, or names too many.
func changedEntities(ctx context.Context, t *tx, last, head int64) ([]string, bool, error) {
	var first sql.NullInt64
	if err := t.row(ctx, `SELECT MIN(seq) FROM changes WHERE seq > ?`, last).Scan(&first); err != nil {
		return nil, false, err
	}
	if !first.Valid || first.Int64 != last+1 {
		return nil, true, nil
	}
	rows, err := t.query(ctx, `SELECT ids FROM changes WHERE seq > ? AND seq <= ? AND kind = ?`, last, head, concord.ChangeEntities)
	lists, err := scanAll(rows, err, func(s scanner, v *string) error { return s.Scan(v) })
	if err != nil {
		return nil, false, err
	}
	seen := map[string]bool{}
	var out []string
	for _, js := range lists {
		var ids []string
		if err := json.Unmarshal([]byte(js), &ids); err != nil {
			return nil, false, err
		}
		if len(ids) == 0 {
			return nil, true, nil
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		if len(out) > syncMaxIDs {
			return nil, true, nil
		}
	}
	return out, false, nil
}

// diff logs the contributed statements (of entities, or all) that differ
// from their last logged version, a page at a time in statement order.
// When a record is marked a minor's, or the mark is retracted, all its
// statements are logged again: the feed then withholds them, or sends them
// again (concord.FederationEntry.CaseOnly).
func (l *logger) diff(ctx context.Context, entities []string, all bool) error {
	t := l.t
	type row struct {
		seq         int64
		id, entity  string
		prop, value string
		aud, hnd    string
		retracted   bool
		origin      sql.NullString
		oseq        sql.NullInt64
	}
	var after int64
	marked := map[string]bool{} // entities whose minor mark changed
	logged := map[string]bool{}
	for {
		w := t.db.where()
		w.add("s.contributed_by <> ''")
		w.add(`(f.statement_id IS NULL OR f.audience <> s.audience OR f.handling <> s.handling OR f.retracted <> s.retracted)`)
		w.add("s.seq > ?", after)
		if !all {
			w.in("s.entity_id", entities)
		}
		rows, err := t.query(ctx, `SELECT s.seq, s.id, s.entity_id, s.prop, s.value, s.audience, s.handling, s.retracted, f.origin, f.origin_seq
			FROM statements s LEFT JOIN fed_state f ON f.statement_id = s.id
			WHERE `+w.String()+` ORDER BY s.seq LIMIT `+strconv.Itoa(syncPage), w.args...)
		page, err := scanAll(rows, err, func(s scanner, v *row) error {
			return s.Scan(&v.seq, &v.id, &v.entity, &v.prop, &v.value, &v.aud, &v.hnd, &v.retracted, &v.origin, &v.oseq)
		})
		if err != nil {
			return err
		}
		for _, r := range page {
			// A statement received from another node and changed here
			// (by its member's users on this node) becomes this node's.
			if err := l.add(ctx, r.id, l.self, l.nextSelf(), concord.Audience(r.aud), concord.TLP(r.hnd), r.retracted); err != nil {
				return err
			}
			logged[r.id] = true
			if r.prop == "topics" && r.value == concord.TopicMinor {
				marked[r.entity] = true
			}
			after = r.seq
		}
		if len(page) < syncPage {
			break
		}
	}
	for _, e := range slices.Sorted(maps.Keys(marked)) {
		rows, err := t.query(ctx, `SELECT id, audience, handling, retracted FROM statements
			WHERE entity_id = ? AND contributed_by <> '' ORDER BY seq`, e)
		page, err := scanAll(rows, err, func(s scanner, v *row) error {
			return s.Scan(&v.id, &v.aud, &v.hnd, &v.retracted)
		})
		if err != nil {
			return err
		}
		for _, r := range page {
			if logged[r.id] {
				continue
			}
			if err := l.add(ctx, r.id, l.self, l.nextSelf(), concord.Audience(r.aud), concord.TLP(r.hnd), r.retracted); err != nil {
				return err
			}
		}
	}
	return nil
}

// FederationHead returns the last log position.
func (db *DB) FederationHead(ctx context.Context) (int64, error) {
	var n int64
	err := db.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM fed_log`).Scan(&n)
	return n, db.wrap("store.FederationHead", err)
}

// FederationLog returns up to limit log entries after position after, each
// with the statement's content and the shares its earlier entries had.
func (db *DB) FederationLog(ctx context.Context, after int64, limit int) ([]concord.FederationEntry, error) {
	const op = "store.FederationLog"
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	// A case's records and a minor's (an entity with the minor topic) are
	// marked CaseOnly, for the feed to withhold.
	args := []any{concord.TopicMinor}
	for _, sc := range concord.CaseSchemata {
		args = append(args, sc)
	}
	args = append(args, after)
	rows, err := db.query(ctx, `SELECT l.seq, l.origin, l.origin_seq, l.audience, l.handling, l.retracted,
		s.id, s.entity_id, s.schema, s.prop, s.value, s.lang, s.dataset, s.source_ref, s.contributed_by, s.first_seen, s.last_seen,
		EXISTS (SELECT 1 FROM statements m WHERE m.entity_id = s.entity_id AND m.prop = 'topics' AND m.value = ? AND NOT m.retracted)
			OR s.schema IN (?`+strings.Repeat(", ?", len(concord.CaseSchemata)-1)+`)
		FROM fed_log l JOIN statements s ON s.id = l.statement_id
		WHERE l.seq > ? ORDER BY l.seq LIMIT `+strconv.Itoa(limit), args...)
	out, err := scanAll(rows, err, func(sc scanner, e *concord.FederationEntry) error {
		s := &e.Statement
		return sc.Scan(&e.Seq, &e.Origin, &e.OriginSeq, &s.Audience, &s.Handling, &s.Retracted,
			&s.ID, &s.EntityID, &s.Schema, &s.Prop, &s.Value, &s.Lang, &s.Dataset, &s.SourceRef, &s.ContributedBy,
			tm{&s.FirstSeen}, tm{&s.LastSeen}, &e.CaseOnly)
	})
	if err != nil || len(out) == 0 {
		return out, db.wrap(op, err)
	}
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].Statement.ID
	}
	w := db.where()
	w.in("statement_id", ids)
	w.add("seq < ?", out[len(out)-1].Seq)
	w.add("NOT retracted")
	type earlier struct {
		seq int64
		id  string
		sh  concord.Share
	}
	rows, err = db.query(ctx, `SELECT seq, statement_id, audience, handling FROM fed_log WHERE `+w.String()+` ORDER BY seq`, w.args...)
	prev, err := scanAll(rows, err, func(sc scanner, v *earlier) error {
		return sc.Scan(&v.seq, &v.id, &v.sh.Audience, &v.sh.Handling)
	})
	if err != nil {
		return nil, db.wrap(op, err)
	}
	byID := map[string][]earlier{}
	for _, p := range prev {
		byID[p.id] = append(byID[p.id], p)
	}
	for i := range out {
		e := &out[i]
		for _, p := range byID[e.Statement.ID] {
			if p.seq < e.Seq && !containsShare(e.Earlier, p.sh) {
				e.Earlier = append(e.Earlier, p.sh)
			}
		}
	}
	return out, nil
}

func containsShare(list []concord.Share, s concord.Share) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ApplyFederated applies versions from src in one transaction, after
// checking src's position against what was imported from the peer before.
func (db *DB) ApplyFederated(ctx context.Context, src concord.FederationSource, versions iter.Seq2[*concord.StatementVersion, error]) (*concord.FederationReport, error) {
	const op = "store.ApplyFederated"
	rep := &concord.FederationReport{}
	err := db.audited(ctx, op, change{Action: "federate", Object: "peer:" + src.Peer}, func(t *tx, ch *change) error {
		if err := t.lock(ctx, lockFederation); err != nil {
			return err
		}
		if err := t.lock(ctx, lockImport); err != nil {
			return err
		}
		if err := checkSource(ctx, t, src); err != nil {
			return err
		}
		l, err := syncLog(ctx, t)
		if err != nil {
			return err
		}
		a := &applier{t: t, l: l, rep: rep, now: db.now(), entities: map[string]bool{}}
		if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&a.stmtSeq); err != nil {
			return err
		}
		for v, err := range versions {
			if err != nil {
				return err
			}
			if err := a.apply(ctx, v); err != nil {
				return err
			}
		}
		if err := advanceSource(ctx, t, src, db.now()); err != nil {
			return err
		}
		for id := range a.entities {
			rep.Entities = append(rep.Entities, id)
		}
		ch.Detail = "+" + strconv.Itoa(rep.Added) + " ~" + strconv.Itoa(rep.Updated) + " -" + strconv.Itoa(rep.Withdrawn) +
			" =" + strconv.Itoa(rep.Ignored)
		if len(rep.Entities) > 0 {
			t.changed(concord.ChangeEntities, rep.Entities...)
		}
		// The statements written here are logged with their origin (in
		// fed_state as they are): the next sync finds them equal.
		return l.close(ctx)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// checkSource refuses a feed page that does not continue from the peer's
// cursor, a bundle already imported (replay) and one that leaves a gap.
func checkSource(ctx context.Context, t *tx, src concord.FederationSource) error {
	var cursor, nodeID string
	var bundle int64
	err := t.row(ctx, `SELECT cursor, node_id, bundle FROM fed_peers WHERE id = ?`+t.forUpdate(), src.Peer).Scan(&cursor, &nodeID, &bundle)
	if errors.Is(err, sql.ErrNoRows) {
		return concord.Errorf(concord.ENOTFOUND, "peer %s not found", src.Peer)
	}
	if err != nil {
		return err
	}
	if nodeID != "" && src.NodeID != nodeID {
		return concord.Errorf(concord.EINVALID, "peer %s: node id %s, but the peer is node %s", src.Peer, src.NodeID, nodeID)
	}
	if src.Number > 0 {
		switch {
		case src.Number <= bundle:
			return concord.Errorf(concord.ECONFLICT, "bundle %d from peer %s was already imported (last imported: %d): a replay", src.Number, src.Peer, bundle)
		case src.Base > bundle:
			return concord.Errorf(concord.ECONFLICT, "bundle %d from peer %s continues bundle %d, but the last imported is %d: import bundles %d to %d first",
				src.Number, src.Peer, src.Base, bundle, bundle+1, src.Base)
		}
		return nil
	}
	if src.Since != cursor {
		return concord.Errorf(concord.ECONFLICT, "feed page from peer %s does not continue from the stored cursor (another sync ran meanwhile?)", src.Peer)
	}
	return nil
}

func advanceSource(ctx context.Context, t *tx, src concord.FederationSource, now time.Time) error {
	if src.Number > 0 {
		_, err := t.exec(ctx, `UPDATE fed_peers SET bundle = ?, node_id = ?, last_sync = ? WHERE id = ?`, src.Number, src.NodeID, now, src.Peer)
		return err
	}
	_, err := t.exec(ctx, `UPDATE fed_peers SET cursor = ?, node_id = ?, last_sync = ? WHERE id = ?`, src.Until, src.NodeID, now, src.Peer)
	return err
}
