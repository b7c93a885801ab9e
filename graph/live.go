package graph

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Live keeps an index in step with the store: a change marks it stale and
// a rebuild follows within Delay (several changes, one rebuild); questions
// are answered from the last index built meanwhile.
type Live struct {
	Load func(ctx context.Context) (*Index, error)
	// Version, if set, is read before each Load: the position of the
	// store's change feed the index then reflects at least (At), as a
	// snapshot of it records.
	Version func(ctx context.Context) (int64, error)
	Delay   time.Duration // default 2 s

	cur   atomic.Pointer[built]
	once  sync.Once
	dirty chan struct{}
}

func (l *Live) init() {
	l.once.Do(func() {
		l.dirty = make(chan struct{}, 1)
		if l.Delay <= 0 {
			l.Delay = 2 * time.Second
		}
	})
}

// built is an index and the feed position it reflects.
type built struct {
	ix *Index
	at int64
}

// Current is the index questions are answered from; nil before the first
// build.
func (l *Live) Current() *Index {
	if b := l.cur.Load(); b != nil {
		return b.ix
	}
	return nil
}

// At is the feed position the current index reflects at least (see
// Version): 0 before the first build or without Version.
func (l *Live) At() int64 {
	if b := l.cur.Load(); b != nil {
		return b.at
	}
	return 0
}

// CurrentAt is Current and At of one build.
func (l *Live) CurrentAt() (*Index, int64) {
	if b := l.cur.Load(); b != nil {
		return b.ix, b.at
	}
	return nil, 0
}

// Set makes ix, which reflects feed position at (a snapshot's), the
// current index.
func (l *Live) Set(ix *Index, at int64) {
	l.init()
	l.cur.Store(&built{ix, at})
}

// Rebuild builds the index now.
func (l *Live) Rebuild(ctx context.Context) error {
	l.init()
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
	l.cur.Store(&built{ix, at})
	return nil
}

// Refresh marks the index stale after a change to an entity.
func (l *Live) Refresh(_ context.Context, _ string) error {
	l.init()
	select {
	case l.dirty <- struct{}{}:
	default:
	}
	return nil
}

// Run rebuilds the index after changes until ctx ends; errors go to
// onError and the previous index stays.
func (l *Live) Run(ctx context.Context, onError func(error)) {
	l.init()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.dirty:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.Delay):
		}
		if err := l.Rebuild(ctx); err != nil && ctx.Err() == nil && onError != nil {
			onError(err)
		}
	}
}
