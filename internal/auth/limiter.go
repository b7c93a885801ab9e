package auth

import (
	"sync"
	"time"

	"concord"
)

// Limiter counts failed sign-ins per key (a user name, a remote address) in a
// sliding window: after Max failures within Window the key is blocked until
// the oldest of them leaves the window. It is safe for concurrent use and
// bounded in memory.
type Limiter struct {
	Max    int
	Window time.Duration
	Clock  concord.Clock

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxKeys bounds the limiter's memory; beyond it stale keys are swept and,
// if still too many, the map is reset (fail open for memory, not for a
// particular attacker: the per-user key is checked as well).
const maxKeys = 100_000

// NewLimiter returns a limiter of max failures per window.
func NewLimiter(max int, window time.Duration, clock concord.Clock) *Limiter {
	if clock == nil {
		clock = concord.SystemClock{}
	}
	return &Limiter{Max: max, Window: window, Clock: clock, failures: map[string][]time.Time{}}
}

// Blocked reports whether any of keys is blocked now, and for how long.
func (l *Limiter) Blocked(keys ...string) (time.Duration, bool) {
	now := l.Clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		f := l.prune(k, now)
		if len(f) >= l.Max {
			if w := f[len(f)-l.Max].Add(l.Window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait, wait > 0
}

// Fail records a failure for each key.
func (l *Limiter) Fail(keys ...string) {
	now := l.Clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxKeys {
		l.sweep(now)
	}
	for _, k := range keys {
		f := l.prune(k, now)
		if len(f) >= 2*l.Max { // keep only what decides blocking
			f = f[len(f)-l.Max:]
		}
		l.failures[k] = append(f, now)
	}
}

// Reset forgets the failures of key (after a successful sign-in).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.failures, key)
	l.mu.Unlock()
}

// prune drops failures older than the window; l.mu is held.
func (l *Limiter) prune(k string, now time.Time) []time.Time {
	f := l.failures[k]
	i := 0
	for i < len(f) && !f[i].Add(l.Window).After(now) {
		i++
	}
	if i == len(f) {
		delete(l.failures, k)
		return nil
	}
	if i > 0 {
		f = append(f[:0], f[i:]...)
		l.failures[k] = f
	}
	return f
}

func (l *Limiter) sweep(now time.Time) {
	for k := range l.failures {
		l.prune(k, now)
	}
	if len(l.failures) >= maxKeys {
		clear(l.failures)
	}
}
