package auth

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"concord"
)

// Policy is how failed sign-ins slow down further attempts.
//
// Attempts are throttled per (account, address): the first Free failures of
// one account from one address cost nothing but the password check; each
// later one blocks that pair for Base, then twice as long, and so on up to
// Max. A correct password from another address, or for another account from
// the same address, is never refused: a careless user or an attacker behind
// a shared proxy cannot lock everyone else out.
//
// Guessing one account's password from many addresses is throttled per
// account, but only for the addresses the account has not signed in from
// lately ("unfamiliar" addresses, as Microsoft's smart lockout has it): after
// AccountFree failures from unfamiliar addresses, each further one blocks the
// account for unfamiliar addresses with the same backoff. Addresses the
// account signed in from within Familiar keep working.
//
// A key's failures are forgotten after a successful sign-in of that pair, or
// after Forget without failure; an operator clears them at once (Unlock).
type Policy struct {
	Free        int           // failures per (account, address) before backoff; 0: 5
	AccountFree int           // failures per account from unfamiliar addresses before backoff; 0: 20
	Base        time.Duration // first block; 0: 1 second
	Max         time.Duration // longest block; 0: 15 minutes
	Forget      time.Duration // failures are forgotten after this long without one; 0: 24 hours
	Familiar    time.Duration // an address is familiar this long after a sign-in from it; 0: 30 days
	// MaxKeys bounds the remembered keys; 0: 100,000. Beyond it the entries
	// that block nothing are dropped first.
	MaxKeys int
}

func (p Policy) withDefaults() Policy {
	if p.Free <= 0 {
		p.Free = 5
	}
	if p.AccountFree <= 0 {
		p.AccountFree = 20
	}
	if p.Base <= 0 {
		p.Base = time.Second
	}
	if p.Max <= 0 {
		p.Max = 15 * time.Minute
	}
	if p.Max < p.Base {
		p.Max = p.Base
	}
	if p.Forget <= 0 {
		p.Forget = 24 * time.Hour
	}
	if p.Familiar <= 0 {
		p.Familiar = 30 * 24 * time.Hour
	}
	if p.MaxKeys <= 0 {
		p.MaxKeys = 100_000
	}
	return p
}

// backoff is the block after the n-th failure of a key allowed free
// failures: zero up to free, then Base, 2·Base, 4·Base ... up to Max.
func (p Policy) backoff(n, free int) time.Duration {
	if n <= free {
		return 0
	}
	d := p.Base
	for i := free + 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Throttle keeps the failed sign-ins of a process. It is safe for concurrent
// use and bounded in memory (Policy.MaxKeys).
type Throttle struct {
	p     Policy
	clock concord.Clock

	mu       sync.Mutex
	pairs    map[string]*strike   // account + "\x00" + address
	accounts map[string]*strike   // account: failures from unfamiliar addresses
	familiar map[string]time.Time // account + "\x00" + address: last sign-in
}

// strike is the failure record of one key.
type strike struct {
	n     int       // failures since the last reset
	last  time.Time // latest failure
	until time.Time // blocked until
}

// NewThrottle returns a throttle with policy p (zero fields take their
// defaults) on clock (nil: the system clock).
func NewThrottle(p Policy, clock concord.Clock) *Throttle {
	if clock == nil {
		clock = concord.SystemClock{}
	}
	return &Throttle{p: p.withDefaults(), clock: clock,
		pairs: map[string]*strike{}, accounts: map[string]*strike{}, familiar: map[string]time.Time{}}
}

// accountKey folds a user name as sign-in does (case-insensitively).
func accountKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// addressKey is the throttled unit of a remote address: the address itself
// for IPv4, its /64 network for IPv6 (one subscriber gets a whole /64).
// Anything unparsable is kept as given.
func addressKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return remote
	}
	a = a.Unmap()
	if a.Is6() {
		if pfx, err := a.WithZone("").Prefix(64); err == nil {
			return pfx.String()
		}
	}
	return a.String()
}

// Check reports whether a sign-in of account from remote may be attempted
// now, and if not, how long to wait.
func (t *Throttle) Check(account, remote string) (wait time.Duration, blocked bool) {
	now := t.clock.Now()
	acct, pair := accountKey(account), accountKey(account)+"\x00"+addressKey(remote)
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.pairs[pair]; s != nil && now.Before(s.until) {
		wait = s.until.Sub(now)
	}
	if !t.isFamiliar(pair, now) {
		if s := t.accounts[acct]; s != nil && now.Before(s.until) {
			wait = max(wait, s.until.Sub(now))
		}
	}
	return wait, wait > 0
}

// Fail records a failed sign-in of account from remote.
func (t *Throttle) Fail(account, remote string) {
	now := t.clock.Now()
	acct, pair := accountKey(account), accountKey(account)+"\x00"+addressKey(remote)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bound(now)
	t.strike(t.pairs, pair, t.p.Free, now)
	if !t.isFamiliar(pair, now) {
		t.strike(t.accounts, acct, t.p.AccountFree, now)
	}
}

// Succeed records a successful sign-in: the pair's failures are forgotten
// and the address becomes familiar to the account. The account's failures
// from unfamiliar addresses are left alone (an attack elsewhere goes on).
func (t *Throttle) Succeed(account, remote string) {
	now := t.clock.Now()
	pair := accountKey(account) + "\x00" + addressKey(remote)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pairs, pair)
	t.bound(now)
	t.familiar[pair] = now
}

// Unlock forgets every failure of account, from every address.
func (t *Throttle) Unlock(account string) {
	acct := accountKey(account)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, acct)
	for k := range t.pairs {
		if a, _, _ := strings.Cut(k, "\x00"); a == acct {
			delete(t.pairs, k)
		}
	}
}

// isFamiliar reports whether the pair signed in within Policy.Familiar; t.mu
// is held.
func (t *Throttle) isFamiliar(pair string, now time.Time) bool {
	at, ok := t.familiar[pair]
	return ok && !now.Before(at) && now.Sub(at) < t.p.Familiar
}

// strike counts one failure of key in m; t.mu is held.
func (t *Throttle) strike(m map[string]*strike, key string, free int, now time.Time) {
	s := m[key]
	if s == nil || now.Sub(s.last) >= t.p.Forget || now.Before(s.last) {
		s = &strike{}
		m[key] = s
	}
	if now.Before(s.until) {
		// Attempts while blocked are refused before the password is
		// checked; one that got here raced a concurrent failure.
		return
	}
	s.n++
	s.last = now
	if d := t.p.backoff(s.n, free); d > 0 {
		s.until = now.Add(d)
	}
}

// bound keeps the maps within Policy.MaxKeys: stale entries go first, then
// the failures that block nothing now, then the oldest familiar addresses.
// Every key is written only after a password verification, which
// Config.MaxHashing rate-limits, so an attacker cannot churn them quickly.
// t.mu is held.
func (t *Throttle) bound(now time.Time) {
	if len(t.pairs)+len(t.accounts)+len(t.familiar) < t.p.MaxKeys {
		return
	}
	for _, m := range []map[string]*strike{t.pairs, t.accounts} {
		for k, s := range m {
			if now.Sub(s.last) >= t.p.Forget || now.Before(s.last) {
				delete(m, k)
			}
		}
	}
	for k, at := range t.familiar {
		if now.Sub(at) >= t.p.Familiar || now.Before(at) {
			delete(t.familiar, k)
		}
	}
	if len(t.pairs)+len(t.accounts)+len(t.familiar) < t.p.MaxKeys {
		return
	}
	for _, m := range []map[string]*strike{t.pairs, t.accounts} {
		for k, s := range m {
			if !now.Before(s.until) {
				delete(m, k)
			}
		}
	}
	if len(t.pairs)+len(t.accounts)+len(t.familiar) >= t.p.MaxKeys {
		clear(t.familiar)
	}
}
