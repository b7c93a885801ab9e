package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// principalCache remembers, for a few seconds, the principal a credential
// resolved to, so that a client sending many requests with one token costs
// one hash instead of three store reads per request.
//
// It is keyed by the SHA-256 of the credential (the plain credential is
// never kept) and holds only successful authentications: an invalid
// credential always reaches the store. An entry lives at most ttl and never
// beyond the credential's own expiry. Revocation, logout and coalition
// changes made through this process evict at once (Forget*); those made by
// another process (the CLI, another node on the same database) take effect
// within ttl.
type principalCache struct {
	ttl time.Duration
	max int

	mu    sync.RWMutex
	m     map[[sha256.Size]byte]cacheEntry
	epoch uint64 // bumped by every eviction; see put
}

type cacheEntry struct {
	p         *Principal
	at, until time.Time
}

func newPrincipalCache(ttl time.Duration, max int) *principalCache {
	if ttl <= 0 {
		return nil
	}
	return &principalCache{ttl: ttl, max: max, m: map[[sha256.Size]byte]cacheEntry{}}
}

// get returns a copy of the cached principal of key, if fresh at now, and
// the epoch to pass to put after a miss.
func (c *principalCache) get(key [sha256.Size]byte, now time.Time) (*Principal, uint64) {
	if c == nil {
		return nil, 0
	}
	c.mu.RLock()
	e, ok := c.m[key]
	epoch := c.epoch
	c.mu.RUnlock()
	// A clock that went back (tests, NTP steps) is a miss too.
	if !ok || now.Before(e.at) || !now.Before(e.until) {
		return nil, epoch
	}
	p := *e.p // callers get their own copy; the slices are never written
	return &p, epoch
}

// put caches p for key until now+ttl or expires, whichever is first (a zero
// expires means none). It does nothing if an eviction happened since the
// lookup that returned epoch: a principal read from the store before a
// revocation must not be cached after it.
func (c *principalCache) put(key [sha256.Size]byte, epoch uint64, p *Principal, now, expires time.Time) {
	if c == nil {
		return
	}
	until := now.Add(c.ttl)
	if !expires.IsZero() && expires.Before(until) {
		until = expires
	}
	cp := *p
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != epoch {
		return
	}
	if len(c.m) >= c.max {
		for k, e := range c.m {
			if !now.Before(e.until) || now.Before(e.at) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[key] = cacheEntry{p: &cp, at: now, until: until}
}

// forget evicts the entries for which drop is true (all when drop is nil).
func (c *principalCache) forget(drop func(*Principal) bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if drop == nil {
		clear(c.m)
		return
	}
	for k, e := range c.m {
		if drop(e.p) {
			delete(c.m, k)
		}
	}
}
