package auth

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"concord"
)

func (m *memUsers) readCount() int { m.mu.Lock(); defer m.mu.Unlock(); return m.reads }

func (m *memUsers) revokeElsewhere(t *testing.T, id string, at time.Time) {
	t.Helper()
	if err := m.RevokeToken(context.Background(), id, at); err != nil {
		t.Fatal(err)
	}
}

func mustAuth(t *testing.T, a *Authenticator, cred string) *Principal {
	t.Helper()
	p, err := a.Authenticate(context.Background(), cred)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p
}

func mustFail(t *testing.T, a *Authenticator, cred, why string) {
	t.Helper()
	if _, err := a.Authenticate(context.Background(), cred); concord.ErrorCode(err) != concord.EUNAUTHORIZED {
		t.Fatalf("%s: err %v, want unauthorized", why, err)
	}
}

func TestCacheSparesStoreReads(t *testing.T) {
	f := newFixture(t)
	plain, tok, err := f.a.CreateToken(context.Background(), "alice", "ci", []string{"read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p1 := mustAuth(t, f.a, plain)
	n := f.users.readCount()
	if n != 3 {
		t.Fatalf("first authentication: %d store reads, want 3", n)
	}
	p2 := mustAuth(t, f.a, plain)
	if f.users.readCount() != n {
		t.Error("a second authentication within the TTL read the store")
	}
	if p1 == p2 || p2.TokenID != tok.ID || p2.Viewer.User != "alice" || !slices.Equal(p2.Viewer.Groups, []string{"ttwg", "africa"}) {
		t.Errorf("cached principal %+v (first %+v): want an equal copy", p2, p1)
	}
	// A wrong credential is never served from the cache.
	mustFail(t, f.a, otherSecret(plain), "other secret")
	f.clock.Add(DefaultCacheTTL)
	mustAuth(t, f.a, plain)
	if f.users.readCount() == n {
		t.Error("after the TTL the store was not read")
	}
}

func TestCacheRevocation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, tok, _ := f.a.CreateToken(ctx, "alice", "ci", []string{"read"}, 0)
	mustAuth(t, f.a, plain)
	// Through this Authenticator: at once.
	if err := f.a.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	mustFail(t, f.a, plain, "revoked here")

	// By another process (the CLI, another node): within the TTL.
	plain, tok, _ = f.a.CreateToken(ctx, "alice", "ci2", []string{"read"}, 0)
	mustAuth(t, f.a, plain)
	f.users.revokeElsewhere(t, tok.ID, f.clock.Now())
	f.clock.Add(DefaultCacheTTL - time.Millisecond)
	mustAuth(t, f.a, plain) // the documented window
	f.clock.Add(time.Millisecond)
	mustFail(t, f.a, plain, "revoked elsewhere, after the TTL")
}

func TestCacheDisabledUserAndGroups(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, _, _ := f.a.CreateToken(ctx, "alice", "ci", []string{"read"}, 0)
	mustAuth(t, f.a, plain)
	u, _ := f.users.User(ctx, "alice")
	u.Disabled = true
	f.users.UpdateUser(ctx, u)
	f.a.ForgetUser("alice")
	mustFail(t, f.a, plain, "disabled")
	u.Disabled = false
	f.users.UpdateUser(ctx, u)

	if p := mustAuth(t, f.a, plain); len(p.Viewer.Groups) != 2 {
		t.Fatalf("groups %v", p.Viewer.Groups)
	}
	f.users.mu.Lock()
	f.users.groups["es"] = []string{"ttwg"}
	f.users.mu.Unlock()
	f.a.ForgetAll()
	if p := mustAuth(t, f.a, plain); !slices.Equal(p.Viewer.Groups, []string{"ttwg"}) {
		t.Errorf("after leaving a group: groups %v", p.Viewer.Groups)
	}
}

func TestCacheNeverOutlivesCredential(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, _, _ := f.a.CreateToken(ctx, "alice", "ci", []string{"read"}, time.Second)
	mustAuth(t, f.a, plain)
	f.clock.Add(time.Second)
	mustFail(t, f.a, plain, "expired token, TTL not over")

	s, err := f.a.Login(ctx, "alice", "alice password 1", "")
	if err != nil {
		t.Fatal(err)
	}
	p := mustAuth(t, f.a, s.Token)
	if err := f.a.Logout(ctx, p); err != nil {
		t.Fatal(err)
	}
	mustFail(t, f.a, s.Token, "after logout")
}

func TestCacheOff(t *testing.T) {
	f := newFixture(t)
	var err error
	f.a, err = New(Config{Users: f.users, Groups: f.users, Clock: f.clock, Params: cheap, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	plain, _, _ := f.a.CreateToken(context.Background(), "alice", "ci", []string{"read"}, 0)
	mustAuth(t, f.a, plain)
	n := f.users.readCount()
	mustAuth(t, f.a, plain)
	if f.users.readCount() != 2*n {
		t.Errorf("without a cache: %d reads, want %d", f.users.readCount(), 2*n)
	}
}

// An eviction between the store reads and the insertion keeps the stale
// principal out.
func TestCacheEvictionRace(t *testing.T) {
	c := newPrincipalCache(time.Minute, 10)
	now := time.Now()
	key := [32]byte{1}
	_, epoch := c.get(key, now)
	c.forget(func(p *Principal) bool { return p.TokenID == "t1" })
	c.put(key, epoch, &Principal{TokenID: "t1"}, now, time.Time{})
	if p, _ := c.get(key, now); p != nil {
		t.Fatal("a principal read before an eviction was cached after it")
	}
	// Bounded: a full cache makes room.
	for i := range 25 {
		_, epoch := c.get([32]byte{byte(i)}, now)
		c.put([32]byte{byte(i)}, epoch, &Principal{}, now, time.Time{})
	}
	if len(c.m) > 10 {
		t.Errorf("%d entries, bound 10", len(c.m))
	}
}

func TestCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, tok, _ := f.a.CreateToken(ctx, "alice", "ci", []string{"read"}, 0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if _, err := f.a.Authenticate(ctx, plain); err != nil && concord.ErrorCode(err) != concord.EUNAUTHORIZED {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() { _ = f.a.RevokeToken(ctx, tok.ID) })
	wg.Wait()
	mustFail(t, f.a, plain, "revoked during concurrent use")
}
