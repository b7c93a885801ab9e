// Package follow applies a concord.ChangeFeed to what a node keeps in
// memory — its match index, its credential and coalition caches — as this
// and the other processes on the same database commit writes.
//
// A node reads the feed's position (LastChange) before it loads what it
// keeps from the store, then runs a Follower from that position: every
// change committed during or after the load is applied, in order, once.
package follow

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"concord"
)

// Follower applies the changes of Feed with Apply.
type Follower struct {
	Feed concord.ChangeFeed
	// Apply applies a page of changes, in order. On an error the same page
	// is applied again a second later.
	Apply func(ctx context.Context, cs []concord.Change) error
	// Reload, if set, loads again from the store what the follower keeps,
	// when the feed no longer holds the changes after the follower's
	// position (it fell behind the feed's retention, or the database was
	// restored); the follower then goes on from the feed's latest change,
	// read before Reload.
	Reload func(ctx context.Context) error
	Log    *slog.Logger

	pos      atomic.Int64
	caughtUp atomic.Bool
}

// retry is how long the follower waits after an error.
const retry = time.Second

// Run applies every change after after until ctx ends (it returns nil then).
func (f *Follower) Run(ctx context.Context, after int64) error {
	log := f.Log
	if log == nil {
		log = slog.Default()
	}
	f.pos.Store(after)
	for ctx.Err() == nil {
		cs, err := f.Feed.Changes(ctx, after, 0)
		switch {
		case concord.ErrorCode(err) == concord.ECONFLICT:
			last, err := f.Feed.LastChange(ctx)
			if err == nil && f.Reload != nil {
				log.Warn("the change feed lost this node's position: loading again", "after", after, "last", last)
				err = f.Reload(ctx)
			}
			if err != nil {
				f.pause(ctx, log, "reloading after a gap in the change feed", err)
				continue
			}
			after = last
			f.pos.Store(after)
		case err != nil:
			f.pause(ctx, log, "reading the change feed", err)
		case len(cs) > 0:
			if err := f.Apply(ctx, cs); err != nil {
				f.pause(ctx, log, "applying changes", err)
				continue
			}
			after = cs[len(cs)-1].Seq
			f.pos.Store(after)
		default:
			f.caughtUp.Store(true)
			if err := f.Feed.WaitChange(ctx, after); err != nil {
				f.pause(ctx, log, "waiting for changes", err)
			}
		}
	}
	return nil
}

func (f *Follower) pause(ctx context.Context, log *slog.Logger, what string, err error) {
	if ctx.Err() != nil {
		return
	}
	log.Error(what, "err", err)
	select {
	case <-ctx.Done():
	case <-time.After(retry):
	}
}

// Position is the seq of the last change applied (or the starting point).
func (f *Follower) Position() int64 { return f.pos.Load() }

// CaughtUp reports whether the follower has once applied every change the
// feed held: the node's state is as current as the store's was then.
func (f *Follower) CaughtUp() bool { return f.caughtUp.Load() }
