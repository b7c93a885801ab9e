package follow_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/follow"
	"concord/internal/store"
)

// applied collects what a follower applied.
type applied struct {
	mu      sync.Mutex
	ids     []string
	reloads int
}

func (a *applied) apply(_ context.Context, cs []concord.Change) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range cs {
		a.ids = append(a.ids, c.IDs...)
	}
	return nil
}

func (a *applied) has(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Contains(a.ids, id)
}

// eventually waits up to 2 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 2 s", what)
		}
	}
}

func TestFollower(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(concord.WithActor(t.Context(), concord.Actor{User: "sec", Via: "cli"}))
	defer cancel()
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.OpenSQLite(ctx, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	node, cli := dbs[0], dbs[1]
	if err := cli.CreateUser(ctx, &concord.User{Name: "before", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	last, err := node.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}

	run := func(from int64) (*follow.Follower, *applied, chan error) {
		a := &applied{}
		f := &follow.Follower{Feed: node, Apply: a.apply, Reload: func(context.Context) error {
			a.mu.Lock()
			a.reloads++
			a.mu.Unlock()
			return nil
		}}
		done := make(chan error, 1)
		go func() { done <- f.Run(ctx, from) }()
		return f, a, done
	}
	f, a, done := run(last)
	eventually(t, "caught up", f.CaughtUp)
	for name, s := range map[string]*store.DB{"node": node, "cli": cli} { // this handle's writes, and another's
		if err := s.CreateUser(ctx, &concord.User{Name: name, Member: "es"}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "user "+name+" applied", func() bool { return a.has("user:" + name) })
	}
	if a.has("user:before") {
		t.Error("a change before the starting point was applied")
	}
	if got, want := f.Position(), last+2; got != want {
		t.Errorf("position %d, want %d", got, want)
	}

	// A follower ahead of the feed (a restored database) reloads and goes on
	// from the feed's latest change.
	g, b, gdone := run(last + 100)
	eventually(t, "reload", func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.reloads == 1 })
	if err := cli.CreateUser(ctx, &concord.User{Name: "after", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "write after the reload", func() bool { return b.has("user:after") })
	if g.Position() != last+3 {
		t.Errorf("position after the reload: %d, want %d", g.Position(), last+3)
	}
	cancel()
	for _, d := range []chan error{done, gdone} {
		if err := <-d; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}
