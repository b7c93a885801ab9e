package auth

import (
	"context"
	"sync"
	"time"

	"concord"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// memUsers is an in-memory concord.UserStore and MemberGrouper for unit
// tests of this package (the stores have their own conformance suite).
type memUsers struct {
	mu       sync.Mutex
	users    map[string]concord.User
	tokens   map[string]concord.Token // by hash
	sessions map[string]concord.Session
	groups   map[string][]string
	reads    int // TokenByHash, SessionByHash, User and MemberGroups calls
}

var _ concord.UserStore = (*memUsers)(nil)

func newMemUsers() *memUsers {
	return &memUsers{users: map[string]concord.User{}, tokens: map[string]concord.Token{},
		sessions: map[string]concord.Session{}, groups: map[string][]string{}}
}

func notFound(what string) error { return concord.Errorf(concord.ENOTFOUND, "%s not found", what) }

func (m *memUsers) CreateUser(_ context.Context, u *concord.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[u.Name]; ok {
		return concord.Errorf(concord.ECONFLICT, "user %q exists", u.Name)
	}
	m.users[u.Name] = *u
	return nil
}

func (m *memUsers) SetPassword(_ context.Context, name, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[name]
	if !ok {
		return notFound("user")
	}
	u.PasswordHash = hash
	m.users[name] = u
	for h, s := range m.sessions {
		if s.User == name {
			delete(m.sessions, h)
		}
	}
	return nil
}

func (m *memUsers) User(_ context.Context, name string) (*concord.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	u, ok := m.users[name]
	if !ok {
		return nil, notFound("user")
	}
	return &u, nil
}

func (m *memUsers) Users(_ context.Context, member string) ([]concord.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []concord.User
	for _, u := range m.users {
		if member == "" || u.Member == member {
			out = append(out, u)
		}
	}
	return out, nil
}

func (m *memUsers) UpdateUser(_ context.Context, u *concord.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[u.Name]; !ok {
		return notFound("user")
	}
	m.users[u.Name] = *u
	return nil
}

func (m *memUsers) CreateToken(_ context.Context, t *concord.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[t.Hash] = *t
	return nil
}

func (m *memUsers) TokenByHash(_ context.Context, hash string) (*concord.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	t, ok := m.tokens[hash]
	if !ok {
		return nil, notFound("token")
	}
	return &t, nil
}

func (m *memUsers) Tokens(_ context.Context, user string) ([]concord.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []concord.Token
	for _, t := range m.tokens {
		if t.User == user {
			out = append(out, t)
		}
	}
	return out, nil
}

func (m *memUsers) RevokeToken(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, t := range m.tokens {
		if t.ID == id {
			t.RevokedAt = &at
			m.tokens[h] = t
			return nil
		}
	}
	return notFound("token")
}

func (m *memUsers) CreateSession(_ context.Context, s *concord.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.Hash] = *s
	return nil
}

func (m *memUsers) SessionByHash(_ context.Context, hash string) (*concord.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	s, ok := m.sessions[hash]
	if !ok {
		return nil, notFound("session")
	}
	return &s, nil
}

func (m *memUsers) DeleteSession(_ context.Context, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[hash]; !ok {
		return notFound("session")
	}
	delete(m.sessions, hash)
	return nil
}

func (m *memUsers) MemberGroups(_ context.Context, member string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	return m.groups[member], nil
}
