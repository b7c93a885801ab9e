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
	Load  func(ctx context.Context) (*Index, error)
	Delay time.Duration // default 2 s

	cur   atomic.Pointer[Index]
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

// Current is the index questions are answered from; nil before the first
// build.
func (l *Live) Current() *Index { return l.cur.Load() }

// Rebuild builds the index now.
func (l *Live) Rebuild(ctx context.Context) error {
	l.init()
	ix, err := l.Load(ctx)
	if err != nil {
		return err
	}
	l.cur.Store(ix)
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
