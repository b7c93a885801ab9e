package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"concord"
)

func TestPolicyBackoff(t *testing.T) {
	p := Policy{}.withDefaults()
	for _, c := range []struct {
		n    int
		want time.Duration
	}{
		{1, 0}, {5, 0}, {6, time.Second}, {7, 2 * time.Second}, {8, 4 * time.Second},
		{15, 512 * time.Second}, {16, 15 * time.Minute}, {40, 15 * time.Minute}, {1 << 20, 15 * time.Minute},
	} {
		if got := p.backoff(c.n, p.Free); got != c.want {
			t.Errorf("failure %d: block %v, want %v", c.n, got, c.want)
		}
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":                 "192.0.2.1",
		"::ffff:192.0.2.1":          "192.0.2.1",
		"2001:db8:1:2:3:4:5:6":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":      "2001:db8:1:2::/64",
		"fe80::1%eth0":              "fe80::/64",
		"not an address":            "not an address",
		"":                          "",
		"2001:db8:1:3:3:4:5:6":      "2001:db8:1:3::/64",
		"2001:0db8:0001:0002::0001": "2001:db8:1:2::/64",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// login signs in through f's authenticator and returns the error code and
// the wait of a rate-limited attempt.
func login(t *testing.T, f *fixture, user, pw, addr string) (string, time.Duration) {
	t.Helper()
	_, err := f.a.Login(context.Background(), user, pw, addr)
	var ra *RetryAfterError
	if errors.As(err, &ra) {
		return concord.ErrorCode(err), ra.Wait
	}
	return concord.ErrorCode(err), 0
}

const alicePW = "alice password 1"

func TestLoginThrottle(t *testing.T) {
	const (
		attacker = "192.0.2.66"
		office   = "198.51.100.7"
		other    = "203.0.113.9"
	)
	for _, c := range []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"five free failures, then a block doubling from one second", func(t *testing.T, f *fixture) {
			for i := range 5 {
				if code, _ := login(t, f, "alice", "wrong", attacker); code != concord.EUNAUTHORIZED {
					t.Fatalf("failure %d: %s", i+1, code)
				}
			}
			if code, _ := login(t, f, "alice", "wrong", attacker); code != concord.EUNAUTHORIZED {
				t.Fatalf("6th failure: %s, want the password checked", code)
			}
			for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
				code, wait := login(t, f, "alice", alicePW, attacker)
				if code != concord.ERATELIMIT || wait != want {
					t.Fatalf("blocked %d: %s wait %v, want rate_limited %v", i, code, wait, want)
				}
				f.clock.Add(wait)
				if code, _ := login(t, f, "alice", "wrong", attacker); code != concord.EUNAUTHORIZED {
					t.Fatalf("after the block: %s", code)
				}
			}
		}},
		{"the right password of another account from the same address works", func(t *testing.T, f *fixture) {
			f.addUser(t, "bob", "es", "bob password 12", concord.RoleViewer)
			for range 30 {
				login(t, f, "alice", "wrong", attacker)
				f.clock.Add(time.Second)
			}
			if code, _ := login(t, f, "alice", alicePW, attacker); code != concord.ERATELIMIT {
				t.Fatalf("attacker's pair: %s, want rate_limited", code)
			}
			if code, _ := login(t, f, "bob", "bob password 12", attacker); code != "" {
				t.Fatalf("bob behind the same address: %s", code)
			}
		}},
		{"spraying many accounts from one address blocks none of them", func(t *testing.T, f *fixture) {
			for i := range 50 {
				login(t, f, fmt.Sprintf("user%d", i), "guess", attacker)
			}
			if code, _ := login(t, f, "alice", alicePW, attacker); code != "" {
				t.Fatalf("alice from the sprayer's address: %s", code)
			}
		}},
		{"the account's own correct password from a familiar address is never blocked", func(t *testing.T, f *fixture) {
			if code, _ := login(t, f, "alice", alicePW, office); code != "" {
				t.Fatal(code)
			}
			// A distributed attack: 5 guesses from each of 40 addresses.
			for i := range 40 {
				for range 5 {
					login(t, f, "alice", "wrong", fmt.Sprintf("10.0.%d.1", i))
				}
			}
			if code, _ := login(t, f, "alice", alicePW, office); code != "" {
				t.Fatalf("from the office: %s", code)
			}
			// An unfamiliar address is throttled for this account only.
			if code, wait := login(t, f, "alice", alicePW, other); code != concord.ERATELIMIT || wait <= 0 {
				t.Fatalf("from an unfamiliar address: %s %v", code, wait)
			}
		}},
		{"a success resets its pair", func(t *testing.T, f *fixture) {
			for range 5 {
				login(t, f, "alice", "wrong", office)
			}
			if code, _ := login(t, f, "alice", alicePW, office); code != "" {
				t.Fatal(code)
			}
			for range 5 {
				login(t, f, "alice", "wrong", office)
			}
			if code, _ := login(t, f, "alice", alicePW, office); code != "" {
				t.Fatalf("failures before a success still count: %s", code)
			}
		}},
		{"an unknown user is throttled like a known one", func(t *testing.T, f *fixture) {
			for range 6 {
				login(t, f, "ghost", "x", attacker)
			}
			if code, wait := login(t, f, "ghost", "x", attacker); code != concord.ERATELIMIT || wait != time.Second {
				t.Fatalf("unknown user: %s %v", code, wait)
			}
		}},
		{"user names fold case", func(t *testing.T, f *fixture) {
			for range 6 {
				login(t, f, "ALICE", "wrong", attacker)
			}
			if code, _ := login(t, f, "alice", alicePW, attacker); code != concord.ERATELIMIT {
				t.Fatalf("case-folded name: %s", code)
			}
		}},
		{"an IPv6 /64 is one address", func(t *testing.T, f *fixture) {
			for i := range 6 {
				login(t, f, "alice", "wrong", fmt.Sprintf("2001:db8:7:7::%x", i+1))
			}
			if code, _ := login(t, f, "alice", alicePW, "2001:db8:7:7::ffff"); code != concord.ERATELIMIT {
				t.Fatalf("same /64: %s", code)
			}
			if code, _ := login(t, f, "alice", alicePW, "2001:db8:7:8::1"); code != "" {
				t.Fatalf("another /64: %s", code)
			}
		}},
		{"failures are forgotten after a quiet day", func(t *testing.T, f *fixture) {
			for range 20 {
				login(t, f, "alice", "wrong", attacker)
				f.clock.Add(15 * time.Minute)
			}
			f.clock.Add(24 * time.Hour)
			for i := range 5 {
				if code, _ := login(t, f, "alice", "wrong", attacker); code != concord.EUNAUTHORIZED {
					t.Fatalf("failure %d after a day: %s", i+1, code)
				}
			}
		}},
		{"unlock clears every address of the account", func(t *testing.T, f *fixture) {
			f.addUser(t, "bob", "es", "bob password 12", concord.RoleViewer)
			for i := range 40 {
				login(t, f, "alice", "wrong", fmt.Sprintf("10.1.%d.1", i%4))
				login(t, f, "bob", "wrong", attacker)
			}
			f.a.Unlock("Alice")
			for i := range 4 {
				if code, _ := login(t, f, "alice", alicePW, fmt.Sprintf("10.1.%d.1", i)); code != "" {
					t.Fatalf("after unlock, address %d: %s", i, code)
				}
			}
			if code, _ := login(t, f, "bob", "bob password 12", attacker); code != concord.ERATELIMIT {
				t.Fatalf("bob was unlocked too: %s", code)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, newFixture(t)) })
	}
}

func TestThrottleBoundedMemory(t *testing.T) {
	c := newClock()
	th := NewThrottle(Policy{MaxKeys: 100}, c)
	// A blocked pair survives a flood of other keys.
	for range 10 {
		th.Fail("alice", "192.0.2.1")
	}
	for i := range 1000 {
		th.Fail(fmt.Sprintf("user%d", i), "192.0.2.2")
		th.Succeed(fmt.Sprintf("user%d", i), fmt.Sprintf("10.0.%d.%d", i/250, i%250))
	}
	if n := len(th.pairs) + len(th.accounts) + len(th.familiar); n > 101 {
		t.Errorf("%d keys kept, bound 100", n)
	}
	if _, blocked := th.Check("alice", "192.0.2.1"); !blocked {
		t.Error("a blocked pair was evicted by a flood of other keys")
	}
}

// memAudit is an audit that FollowUnlocks reads.
type memAudit struct {
	mu  sync.Mutex
	evs []concord.AuditEvent
}

func (m *memAudit) Audit(_ context.Context, action, object, detail string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.evs = append(m.evs, concord.AuditEvent{Seq: int64(len(m.evs)) + 1, Action: action, Object: object})
	return nil
}

func (m *memAudit) AuditEvents(_ context.Context, q concord.AuditQuery) ([]concord.AuditEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []concord.AuditEvent
	for _, ev := range m.evs {
		if ev.Seq > q.After && (q.Action == "" || ev.Action == q.Action) {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (m *memAudit) EachAuditEvent(context.Context, func(*concord.AuditEvent) error) error { return nil }

// An unlock recorded in the audit by another process reaches the running
// authenticator.
func TestFollowUnlocks(t *testing.T) {
	f := newFixture(t)
	for range 10 {
		login(t, f, "alice", "wrong", "192.0.2.1")
	}
	if code, _ := login(t, f, "alice", alicePW, "192.0.2.1"); code != concord.ERATELIMIT {
		t.Fatalf("not throttled: %s", code)
	}
	st := &memAudit{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.a.FollowUnlocks(ctx, st, time.Millisecond, nil); close(done) }()
	defer func() { cancel(); <-done }()
	st.Audit(ctx, ActionUnlock, "alice", "")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if code, _ := login(t, f, "alice", alicePW, "192.0.2.1"); code == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the unlock did not reach the authenticator")
		}
	}
}
