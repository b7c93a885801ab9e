package graph

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"concord"
)

// applyChunk is how many changed entities Apply reads from the store at
// once and replaces under one hold of the index's lock.
const applyChunk = 500

// Live keeps an index in step with the store: a change to entities
// replaces their facts in the current index (Apply), a change it cannot
// follow entity by entity rebuilds it (Rebuild). Questions are answered
// from the current index meanwhile.
type Live struct {
	Load func(ctx context.Context) (*Index, error)
	// Version, if set, is read before each Load: the position of the
	// store's change feed the index then reflects at least (At), as a
	// snapshot of it records.
	Version func(ctx context.Context) (int64, error)
	// Source, if set, is where Apply reads the changed entities'
	// statements (every audience); without it a change rebuilds.
	Source Source

	wmu sync.Mutex // one writer at a time: Apply, Rebuild, Set
	ix  atomic.Pointer[Index]
	at  atomic.Int64
}

// Current is the index questions are answered from; nil before the first
// build.
func (l *Live) Current() *Index { return l.ix.Load() }

// At is the feed position the current index reflects at least (see
// Version and Reached): 0 before the first build or without Version.
func (l *Live) At() int64 { return l.at.Load() }

// CurrentAt is Current and a feed position it reflects at least (the
// position is read first: changes applied meanwhile only make the index
// newer).
func (l *Live) CurrentAt() (*Index, int64) {
	at := l.at.Load()
	return l.ix.Load(), at
}

// Set makes ix, which reflects feed position at (a snapshot's), the
// current index.
func (l *Live) Set(ix *Index, at int64) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.ix.Store(ix)
	l.at.Store(at)
}

// Reached records that every change of the feed up to position seq has
// been applied (by Apply or a rebuild).
func (l *Live) Reached(seq int64) {
	for {
		at := l.at.Load()
		if seq <= at || l.at.CompareAndSwap(at, seq) {
			return
		}
	}
}

// Rebuild builds the index now.
func (l *Live) Rebuild(ctx context.Context) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return l.rebuild(ctx)
}

func (l *Live) rebuild(ctx context.Context) error {
	var at int64
	if l.Version != nil {
		var err error
		if at, err = l.Version(ctx); err != nil {
			return err
		}
	}
	ix, err := l.Load(ctx)
	if err != nil {
		return err
	}
	l.ix.Store(ix)
	l.at.Store(at)
	return nil
}

// Refresh applies a change to one entity.
func (l *Live) Refresh(ctx context.Context, id string) error {
	return l.Apply(ctx, []string{id})
}

// Apply re-reads the entities with these ids after a change (an import,
// a contribution, a retraction, a reshare, a record gone) and replaces
// their facts in the current index, a chunk at a time: no rebuild,
// whatever their number, and questions go on between chunks. Without a
// Source or a current index it rebuilds.
func (l *Live) Apply(ctx context.Context, ids []string) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	ix := l.ix.Load()
	if l.Source == nil || ix == nil {
		return l.rebuild(ctx)
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for start := 0; start < len(ids); start += applyChunk {
		chunk := ids[start:min(start+applyChunk, len(ids))]
		stmts := make(map[string][]concord.Statement, len(chunk))
		if err := l.Source.ScanStatements(ctx, concord.System, concord.EntityQuery{IDs: chunk}, func(ss []concord.Statement) error {
			stmts[ss[0].EntityID] = ss
			return nil
		}); err != nil {
			return err
		}
		ix.ReplaceAll(chunk, stmts)
	}
	return nil
}
