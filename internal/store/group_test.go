package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestGroup: every item is committed exactly once, batches form under
// concurrency, and no batch exceeds its limit.
func TestGroup(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]int{}
	batches, biggest := 0, 0
	g := &group[int]{limit: 5, commit: func(items []int) error {
		time.Sleep(200 * time.Microsecond) // a commit takes a while
		mu.Lock()
		defer mu.Unlock()
		batches++
		biggest = max(biggest, len(items))
		for _, it := range items {
			seen[it]++
		}
		return nil
	}}
	const workers, each = 16, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := g.do(t.Context(), w*each+i); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != workers*each {
		t.Fatalf("%d items committed, want %d", len(seen), workers*each)
	}
	for it, n := range seen {
		if n != 1 {
			t.Errorf("item %d committed %d times", it, n)
		}
	}
	if biggest > 5 || biggest < 2 {
		t.Errorf("largest batch %d, want 2..5", biggest)
	}
	t.Logf("%d items in %d batches", workers*each, batches)
}

// TestGroupError: a failed batch fails every caller in it, and the next batch
// is committed normally.
func TestGroupError(t *testing.T) {
	boom := errors.New("boom")
	release := make(chan struct{})
	var mu sync.Mutex
	var calls [][]string
	g := &group[string]{commit: func(items []string) error {
		mu.Lock()
		calls = append(calls, items)
		first := len(calls) == 1
		mu.Unlock()
		if first {
			<-release // hold the first batch until the others queue
			return nil
		}
		for _, it := range items {
			if it == "bad" {
				return boom
			}
		}
		return nil
	}}
	done := make(chan error, 1)
	go func() { done <- g.do(t.Context(), "first") }()
	for {
		g.mu.Lock()
		leading := g.leading
		g.mu.Unlock()
		if leading {
			break
		}
		time.Sleep(time.Millisecond)
	}
	errs := make(chan error, 3)
	for _, it := range []string{"a", "bad", "b"} {
		go func() { errs <- g.do(t.Context(), it) }()
	}
	for {
		g.mu.Lock()
		n := len(g.queue)
		g.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := <-errs; !errors.Is(err, boom) {
			t.Errorf("caller of the failed batch got %v", err)
		}
	}
	if err := g.do(t.Context(), "after"); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || len(calls[1]) != 3 {
		t.Errorf("batches %v", calls)
	}
}

// TestGroupCancel: a caller whose context ends while its item is queued
// withdraws it; the item is never committed.
func TestGroupCancel(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var got []string
	g := &group[string]{commit: func(items []string) error {
		if items[0] == "first" {
			<-release
		}
		mu.Lock()
		got = append(got, items...)
		mu.Unlock()
		return nil
	}}
	done := make(chan error, 1)
	go func() { done <- g.do(t.Context(), "first") }()
	for {
		g.mu.Lock()
		leading := g.leading
		g.mu.Unlock()
		if leading {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan error, 1)
	go func() { cancelled <- g.do(ctx, "withdrawn") }()
	for {
		g.mu.Lock()
		n := len(g.queue)
		g.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("withdrawn caller got %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := g.do(t.Context(), "last"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "first" || got[1] != "last" {
		t.Errorf("committed %v", got)
	}
}
