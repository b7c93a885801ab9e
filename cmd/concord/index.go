package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"concord"
	"concord/internal/follow"
	"concord/internal/search"
)

// snapshotEvery is how often concord serve saves the match index's
// snapshot while changes arrive (and once more when it stops).
const snapshotEvery = 10 * time.Minute

// indexSnapshot is the snapshot file of the match index: --index-snapshot,
// or index.snapshot in the data directory of the embedded store; none for
// PostgreSQL unless given.
func (m *Main) indexSnapshot(flag string, set bool) string {
	switch {
	case set:
		return flag
	case m.DBURL == "":
		return filepath.Join(m.DataDir, "index.snapshot")
	}
	return ""
}

// loadIndex loads the match index: from its snapshot when there is one
// that the store's change feed can bring up to date, else from the store.
// It returns the feed position the index reflects, from which the node
// follows the feed. building, when not nil, is called before a build
// from the store.
func loadIndex(ctx context.Context, st concord.Store, snapshot string, log *slog.Logger, building func()) (*search.Service, int64, bool, error) {
	head, err := st.LastChange(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	svc := search.Open(st)
	if snapshot != "" {
		t0 := time.Now()
		v, err := svc.LoadFile(snapshot)
		switch {
		case err == nil && v <= head:
			log.Info("match index loaded from its snapshot", "file", snapshot, "records", svc.Len(), "changes behind", head-v, "took", time.Since(t0).String())
			return svc, v, true, nil
		case err == nil:
			log.Warn("the match index snapshot is ahead of the store (restored from a backup?): building the index from the store", "file", snapshot)
		case !errors.Is(err, os.ErrNotExist):
			log.Warn("the match index snapshot is unusable: building the index from the store", "file", snapshot, "err", err)
		}
	}
	if building != nil {
		building()
	}
	t0 := time.Now()
	if err := svc.Rebuild(ctx); err != nil {
		return nil, 0, false, err
	}
	log.Info("match index loaded", "records", svc.Len(), "took", time.Since(t0).String())
	return svc, head, false, nil
}

// catchUp applies the feed's changes after from to the index, up to the
// latest (for commands that screen once and do not follow).
func catchUp(ctx context.Context, st concord.ChangeFeed, svc *search.Service, from int64) error {
	for {
		cs, err := st.Changes(ctx, from, 0)
		if concord.ErrorCode(err) == concord.ECONFLICT {
			return svc.Rebuild(ctx)
		}
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return nil
		}
		if ids, all := changedEntities(cs); all {
			if err := svc.Rebuild(ctx); err != nil {
				return err
			}
		} else if err := svc.Apply(ctx, ids); err != nil {
			return err
		}
		from = cs[len(cs)-1].Seq
	}
}

// changedEntities returns the entities a page of changes names; all when
// one of them may have changed any.
func changedEntities(cs []concord.Change) (ids []string, all bool) {
	for _, c := range cs {
		if c.Kind == concord.ChangeEntities {
			all = all || len(c.IDs) == 0
			ids = append(ids, c.IDs...)
		}
	}
	return ids, all
}

// saveSnapshots saves the indexes' snapshots, as of the follower's
// position, every snapshotEvery while it moves, and once more when ctx
// ends; first at once when an index was just built from the store.
func saveSnapshots(ctx context.Context, nx *nodeIndexes, f *follow.Follower, path string, now bool, log *slog.Logger) {
	saved, savedNet := int64(-1), int64(-1)
	save := func() {
		v := f.Position()
		if !f.CaughtUp() {
			return
		}
		if v != saved {
			if err := nx.saveEntities(path, v, log); err != nil {
				return
			}
			saved = v
		}
		if at, err := nx.saveNetwork(path, savedNet, log); err == nil {
			savedNet = at
		}
	}
	tick := time.NewTicker(snapshotEvery)
	defer tick.Stop()
	if now {
		// Once the follower has caught up (the snapshot must not be behind
		// what it says it reflects).
		for !f.CaughtUp() && ctx.Err() == nil {
			sleepCtx(ctx, 100*time.Millisecond)
		}
		save()
	}
	for {
		select {
		case <-ctx.Done():
			save()
			return
		case <-tick.C:
			save()
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
