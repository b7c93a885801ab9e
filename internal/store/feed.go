package store

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"concord"
)

// The change feed: every audited write records what it changed (t.changed)
// and publish appends it to the changes table under the audit lock, so that
// seq follows commit order without gaps. Followers read it with Changes and
// wait with WaitChange, woken at once by writes of this process, and by
// the dialect's watcher for the others: LISTEN/NOTIFY on PostgreSQL, PRAGMA
// data_version on SQLite.

const (
	changeIDsPerRow    = 1000           // ids per changes row
	defaultChangesPage = 1000           // Changes with no limit
	changeRetention    = 24 * time.Hour // changes older than this are pruned
	changePoll         = time.Second    // WaitChange looks again this often regardless
)

// changed records that t changes ids of kind; no ids means anything of the
// kind. The changes are published with the write's audit row.
func (t *tx) changed(kind string, ids ...string) {
	for i := range t.changes {
		if c := &t.changes[i]; c.Kind == kind {
			if c.IDs != nil {
				c.IDs = append(c.IDs, ids...)
			}
			if len(ids) == 0 {
				c.IDs = nil
			}
			return
		}
	}
	c := concord.Change{Kind: kind}
	if len(ids) > 0 {
		c.IDs = slices.Clone(ids)
	}
	t.changes = append(t.changes, c)
}

// publish appends t's changes to the feed, numbered after the last one: the
// caller holds the audit lock until commit. On PostgreSQL the listeners are
// notified at commit.
func (t *tx) publish(ctx context.Context) error {
	if len(t.changes) == 0 {
		return nil
	}
	var seq int64
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq); err != nil {
		return err
	}
	type row struct {
		kind string
		ids  []string
	}
	var rows []row
	for _, c := range t.changes {
		ids := slices.Compact(slices.Sorted(slices.Values(c.IDs)))
		for len(ids) > changeIDsPerRow {
			rows = append(rows, row{c.Kind, ids[:changeIDsPerRow]})
			ids = ids[changeIDsPerRow:]
		}
		rows = append(rows, row{c.Kind, ids})
	}
	now := t.db.now()
	_, err := insertRows(ctx, t, "changes", []string{"seq", "kind", "ids", "at"}, "", len(rows), 100, func(i int, vals []any) []any {
		ids, _ := json.Marshal(rows[i].ids)
		if rows[i].ids == nil {
			ids = []byte("[]")
		}
		return append(vals, seq+int64(i)+1, rows[i].kind, string(ids), now)
	})
	if err != nil {
		return err
	}
	t.published = true
	return t.db.d.notify(ctx, t, seq+int64(len(rows)))
}

// Changes returns up to limit changes after after, in order.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]concord.Change, error) {
	const op = "store.Changes"
	if limit <= 0 {
		limit = defaultChangesPage
	}
	rows, err := db.query(ctx, `SELECT seq, kind, ids, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	out, err := scanAll(rows, err, func(s scanner, c *concord.Change) error {
		var ids string
		if err := s.Scan(&c.Seq, &c.Kind, &ids, tm{&c.At}); err != nil {
			return err
		}
		return json.Unmarshal([]byte(ids), &c.IDs)
	})
	if err != nil {
		return nil, db.wrap(op, err)
	}
	gone := len(out) > 0 && out[0].Seq != after+1
	if len(out) == 0 && after > 0 {
		last, err := db.LastChange(ctx)
		if err != nil {
			return nil, err
		}
		gone = last < after
	}
	if gone {
		return nil, &concord.Error{Code: concord.ECONFLICT, Op: op,
			Message: "the change feed no longer holds the changes after " + itoa(after) + ": load again from the store"}
	}
	return out, nil
}

// LastChange is the seq of the latest change.
func (db *DB) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	err := db.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq)
	return seq, db.wrap("store.LastChange", err)
}

// WaitChange returns once the latest change is other than after. The first
// call starts the watcher that wakes waiters when another process writes.
func (db *DB) WaitChange(ctx context.Context, after int64) error {
	db.feed.start(db)
	for {
		woken := db.feed.waiter()
		last, err := db.LastChange(ctx)
		if err != nil {
			return err
		}
		if last != after {
			return nil
		}
		select {
		case <-woken:
		case <-time.After(changePoll):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// feed wakes the waiters of a store.
type feed struct {
	mu      sync.Mutex
	woken   chan struct{} // closed and replaced by wake
	stop    context.CancelFunc
	stopped chan struct{}
	closed  bool
}

// waiter returns a channel closed by the next wake.
func (f *feed) waiter() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.woken == nil {
		f.woken = make(chan struct{})
	}
	return f.woken
}

// wake wakes every waiter.
func (f *feed) wake() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.woken != nil {
		close(f.woken)
		f.woken = nil
	}
}

// start runs the dialect's watcher and the pruning of old changes until
// the store closes, once.
func (f *feed) start(db *DB) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stop != nil || f.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.stop, f.stopped = cancel, make(chan struct{})
	go func() {
		defer close(f.stopped)
		var wg sync.WaitGroup
		wg.Go(func() { db.d.watch(ctx, f.wake) })
		prune := time.NewTicker(time.Hour)
		defer prune.Stop()
		for {
			db.pruneChanges(ctx)
			select {
			case <-ctx.Done():
				wg.Wait()
				return
			case <-prune.C:
			}
		}
	}()
}

// close stops the watcher.
func (f *feed) close() {
	f.mu.Lock()
	f.closed = true
	stop, stopped := f.stop, f.stopped
	f.mu.Unlock()
	if stop != nil {
		stop()
		<-stopped
	}
}

// pruneChanges deletes changes older than changeRetention, always keeping
// the latest (which numbers the next). Housekeeping of the feed, not a
// write of the record: it is not audited.
func (db *DB) pruneChanges(ctx context.Context) {
	q, args := bind(db.d, `DELETE FROM changes WHERE at < ? AND seq < (SELECT MAX(seq) FROM changes)`,
		[]any{db.now().Add(-changeRetention)})
	_, _ = db.w.ExecContext(ctx, q, args...)
}
