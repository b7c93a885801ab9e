package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// defaultGroupMax is how many standalone audit events one transaction
// commits at most.
const defaultGroupMax = 128

// group commits items from concurrent callers in batches (group commit).
// The first caller to find no batch in progress becomes the leader: it takes
// the queued items (its own first, at most limit), commits them with one call
// of commit, hands the result to every caller of the batch and passes the
// lead to the oldest caller still waiting, who commits what queued up in the
// meantime. A caller returns only when its item is committed, or with the
// batch's error: nothing is fire-and-forget.
type group[T any] struct {
	limit  int                   // items per batch; <= 0 means defaultGroupMax
	commit func(items []T) error // commits all items or none

	mu      sync.Mutex
	queue   []*groupCall[T]
	leading bool // a leader is committing, or the lead is being handed over
}

type groupCall[T any] struct {
	item T
	wake chan groupWake // buffered (1): written under mu, at most once
}

type groupWake struct {
	lead bool  // take the lead
	err  error // else: the result of the batch
}

// Do queues item and returns once it is committed (nil) or its batch failed
// (the batch's error, the same for every caller of the batch). If ctx ends
// while the item is still queued, Do withdraws it and returns ctx's error;
// once taken into a batch, the item's fate is waited for.
func (g *group[T]) do(ctx context.Context, item T) error {
	c := &groupCall[T]{item: item, wake: make(chan groupWake, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if !g.leading {
		g.leading = true
		g.mu.Unlock()
		return g.lead(c)
	}
	g.mu.Unlock()
	var w groupWake
	select {
	case w = <-c.wake:
	case <-ctx.Done():
		g.mu.Lock()
		if i := slices.Index(g.queue, c); i >= 0 && len(c.wake) == 0 {
			// Still queued and neither leading nor in a batch: withdraw.
			g.queue = slices.Delete(g.queue, i, i+1)
			g.mu.Unlock()
			return ctx.Err()
		}
		g.mu.Unlock()
		w = <-c.wake
	}
	if !w.lead {
		return w.err
	}
	return g.lead(c)
}

// lead commits one batch, c (the head of the queue) first, then passes the
// lead on.
func (g *group[T]) lead(c *groupCall[T]) (err error) {
	limit := g.limit
	if limit <= 0 {
		limit = defaultGroupMax
	}
	g.mu.Lock()
	n := min(len(g.queue), limit)
	batch := slices.Clone(g.queue[:n])
	g.queue = slices.Delete(g.queue, 0, n)
	g.mu.Unlock()
	if batch[0] != c {
		panic("store.group: the leader is not the head of the queue")
	}
	items := make([]T, len(batch))
	for i, b := range batch {
		items[i] = b.item
	}
	defer func() {
		p := recover()
		if p != nil {
			err = fmt.Errorf("store.group: commit panicked: %v", p)
		}
		g.mu.Lock()
		for _, b := range batch[1:] {
			b.wake <- groupWake{err: err}
		}
		if len(g.queue) > 0 {
			g.queue[0].wake <- groupWake{lead: true}
		} else {
			g.leading = false
		}
		g.mu.Unlock()
		if p != nil {
			panic(p)
		}
	}()
	return g.commit(items)
}

// groupTimeout bounds a group commit. The batch serves several callers, so
// it runs on a context of its own rather than its leader's: one caller going
// away does not fail the others.
const groupTimeout = 30 * time.Second

// groupContext is the context of a group commit.
func groupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), groupTimeout)
}
