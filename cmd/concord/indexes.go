package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"

	"concord"
	"concord/graph"
	"concord/internal/idindex"
	"concord/internal/mediabank"
	"concord/internal/search"
)

// nodeIndexes are what a node keeps in memory of the store's entities.
type nodeIndexes struct {
	match   *search.Service
	ids     *idindex.Index
	bank    *mediabank.Bank
	network *graph.Live
	// at is the feed position every index reflects at least (the oldest
	// snapshot's, or the store's when they were built): the node follows
	// the feed from there. fresh says some index was built from the
	// store (its snapshot is saved once the node has caught up).
	at    int64
	fresh bool
}

// loadIndexes loads the node's indexes at once, each from its snapshot
// (when snapshot names one that the feed can bring up to date) or from the
// store: each reads on its own, so the start takes as long as the slowest
// and uses every core. The first error is returned once all have ended.
func loadIndexes(ctx context.Context, st concord.Store, snapshot string, log *slog.Logger) (*nodeIndexes, error) {
	head, err := st.LastChange(ctx)
	if err != nil {
		return nil, err
	}
	// building, called by a loader before it builds its index from the
	// store, restores the collector at once (its snapshot was unusable).
	building := func() {}
	if haveSnapshots(snapshot) {
		restore := relaxGC()
		defer restore()
		building = restore
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nx := &nodeIndexes{network: &graph.Live{
		Load:    func(ctx context.Context) (*graph.Index, error) { return graph.Load(ctx, st) },
		Version: st.LastChange,
		Source:  st,
	}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	at, fresh := head, false
	done := func(v int64, loaded bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			cancel()
			return
		}
		at, fresh = min(at, v), fresh || !loaded
	}
	wg.Go(func() {
		var v int64
		var loaded bool
		var err error
		nx.match, v, loaded, err = loadIndex(ctx, st, snapshot, log, building)
		done(v, loaded, err)
	})
	wg.Go(func() {
		var v int64
		var loaded bool
		var err error
		nx.ids, v, loaded, err = loadIDs(ctx, st, snapshot, head, log, building)
		done(v, loaded, err)
	})
	wg.Go(func() {
		var v int64
		var loaded bool
		var err error
		nx.bank, v, loaded, err = loadBank(ctx, st, snapshot, head, log, building)
		done(v, loaded, err)
	})
	wg.Go(func() {
		loaded, err := loadNetwork(ctx, st, nx.network, snapshot, head, log, building)
		done(nx.network.At(), loaded, err)
	})
	wg.Wait()
	if len(errs) > 0 {
		// The first error other than a cancellation is the cause.
		for _, err := range errs {
			if !errors.Is(err, context.Canceled) {
				return nil, err
			}
		}
		return nil, errs[0]
	}
	nx.at, nx.fresh = at, fresh
	return nx, nil
}

// relaxGC lets the heap grow five times between collections (GOGC=400)
// until the function it returns is called, unless GOGC allows more: the
// indexes are millions of small values that all stay, which the
// collector would otherwise mark again and again as the heap doubles (a
// fifth of the CPU of a 1M node's start from its snapshots). What it
// leaves uncollected meanwhile is little (the snapshots' read buffers):
// the peak did not grow.
//
// restore may be called more than once, from any goroutine: the first
// call restores. A loader whose snapshot turns out unusable (another
// format after an upgrade, a corrupt file) calls it before it builds from
// the store: at 1M records such a build under GOGC=400 peaked at 5.6 GB
// of RSS instead of 3.5 GB.
func relaxGC() (restore func()) {
	old := debug.SetGCPercent(loadGCPercent)
	if old < 0 || old > loadGCPercent {
		debug.SetGCPercent(old)
	}
	var once sync.Once
	return func() { once.Do(func() { debug.SetGCPercent(old) }) }
}

// haveSnapshots says whether every index has a snapshot file to start
// from. Only then is the collector relaxed: a build from the store makes
// and drops far more than it keeps, and with GOGC=400 a 1M node's first
// start peaked at 10.0 GB of RSS instead of 4.2 GB.
func haveSnapshots(path string) bool {
	if path == "" {
		return false
	}
	for _, f := range []string{path, idsSnapshot(path), bankSnapshot(path), networkSnapshot(path)} {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return true
}

// loadGCPercent is GOGC while the indexes load from their snapshots.
const loadGCPercent = 400
