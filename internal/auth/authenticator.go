package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"concord"
	"concord/access"
)

// MemberGrouper returns the groups of a member (concord.CoalitionStore has it).
type MemberGrouper interface {
	MemberGroups(ctx context.Context, member string) ([]string, error)
}

// Config configures an Authenticator. Users and Groups are required.
type Config struct {
	Users      concord.UserStore
	Groups     MemberGrouper
	Clock      concord.Clock // nil: the system clock
	SessionTTL time.Duration // 0: 12 hours
	// Throttle is how failed sign-ins slow down further attempts (see
	// Policy); zero fields take their defaults.
	Throttle Policy
	// Params are the cost of the dummy hash verified for unknown users; they
	// should equal those of real hashes so that both take the same time.
	// Zero: DefaultParams.
	Params Params
	// MaxHashing bounds concurrent password verifications (each needs
	// Params.Memory); 0: 4.
	MaxHashing int
	// CacheTTL is how long a resolved credential is remembered (see
	// Authenticate); 0: DefaultCacheTTL, negative: no cache.
	CacheTTL time.Duration
	// CacheSize bounds the remembered credentials; 0: 10000.
	CacheSize int
}

// DefaultCacheTTL is how long, by default, a credential's principal is
// remembered: the longest a revocation, logout, disabled account or group
// change made by another process takes to reach this one.
const DefaultCacheTTL = 5 * time.Second

// Authenticator turns credentials into viewers and passwords into sessions.
type Authenticator struct {
	users    concord.UserStore
	groups   MemberGrouper
	clock    concord.Clock
	ttl      time.Duration
	throttle *Throttle
	dummy    string
	params   Params
	sem      chan struct{}
	cache    *principalCache // nil: none
}

// Principal is an authenticated caller: its viewer for access decisions and
// how it authenticated.
type Principal struct {
	Viewer      access.Viewer
	User        *concord.User
	TokenID     string // the API token used, or ""
	SessionHash string // the session used, or ""
}

// Session is the result of a successful Login.
type Session struct {
	Token     string        `json:"token"` // the session credential, shown once
	ExpiresAt time.Time     `json:"expires_at"`
	User      *concord.User `json:"user"`
}

// RetryAfterError tells a rate-limited caller when to try again. It is
// wrapped in a concord.Error with code ERATELIMIT.
type RetryAfterError struct{ Wait time.Duration }

func (e *RetryAfterError) Error() string { return "retry after " + e.Wait.Round(time.Second).String() }

// RetryAfter returns the wait.
func (e *RetryAfterError) RetryAfter() time.Duration { return e.Wait }

var (
	errBadCredential = concord.Errorf(concord.EUNAUTHORIZED, "missing, invalid or expired credentials")
	errBadLogin      = concord.Errorf(concord.EUNAUTHORIZED, "wrong user name or password")
)

// New returns an Authenticator.
func New(cfg Config) (*Authenticator, error) {
	if cfg.Users == nil || cfg.Groups == nil {
		return nil, errors.New("auth.New: Users and Groups are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = concord.SystemClock{}
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Params == (Params{}) {
		cfg.Params = DefaultParams
	}
	if cfg.MaxHashing <= 0 {
		cfg.MaxHashing = 4
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 10000
	}
	dummy, err := HashPasswordParams("concord-dummy-password-for-unknown-users", cfg.Params)
	if err != nil {
		return nil, err
	}
	return &Authenticator{
		users: cfg.Users, groups: cfg.Groups, clock: cfg.Clock, ttl: cfg.SessionTTL,
		throttle: NewThrottle(cfg.Throttle, cfg.Clock),
		dummy:    dummy, params: cfg.Params, sem: make(chan struct{}, cfg.MaxHashing),
		cache: newPrincipalCache(cfg.CacheTTL, cfg.CacheSize),
	}, nil
}

// maxCredential bounds the length of a credential worth looking up.
const maxCredential = 256

// Authenticate resolves a bearer token or session credential. Every failure
// (unknown, revoked, expired, disabled user) is the same EUNAUTHORIZED;
// only an unavailable store gives another error.
//
// A successful resolution is remembered for Config.CacheTTL (never beyond
// the credential's expiry), keyed by the credential's hash, so that the
// requests of one client cost one hash rather than three store reads.
// Logout, RevokeToken, ForgetUser and ForgetAll on this Authenticator evict
// at once; a change made by another process (concord token revoke, user
// disable, another node) takes effect within the TTL.
func (a *Authenticator) Authenticate(ctx context.Context, cred string) (*Principal, error) {
	if cred == "" || len(cred) > maxCredential {
		return nil, errBadCredential
	}
	var tokenCred bool
	switch {
	case strings.HasPrefix(cred, TokenPrefix):
		if _, ok := tokenID(cred); !ok {
			return nil, errBadCredential
		}
		tokenCred = true
	case strings.HasPrefix(cred, SessionPrefix):
	default:
		return nil, errBadCredential
	}
	now := a.clock.Now()
	key := sha256.Sum256([]byte(cred))
	p, epoch := a.cache.get(key, now)
	if p != nil {
		return p, nil
	}
	p, expires, err := a.resolve(ctx, cred, hex.EncodeToString(key[:]), tokenCred, now)
	if err != nil {
		return nil, err
	}
	a.cache.put(key, epoch, p, now, expires)
	return p, nil
}

// resolve reads the credential of hash from the store and builds its
// principal; expires is when the credential ends (zero: never).
func (a *Authenticator) resolve(ctx context.Context, cred, hash string, tokenCred bool, now time.Time) (p *Principal, expires time.Time, err error) {
	p = &Principal{}
	var user string
	var scopes []string
	if tokenCred {
		id, _ := tokenID(cred)
		t, err := a.users.TokenByHash(ctx, hash)
		if err != nil {
			return nil, expires, lookupErr(err)
		}
		if t.ID != id || t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
			return nil, expires, errBadCredential
		}
		if t.ExpiresAt != nil {
			expires = *t.ExpiresAt
		}
		user, p.TokenID = t.User, t.ID
		// A token always narrows: nil would mean "every scope".
		scopes = append([]string{}, t.Scopes...)
	} else {
		s, err := a.users.SessionByHash(ctx, hash)
		if err != nil {
			return nil, expires, lookupErr(err)
		}
		if !now.Before(s.ExpiresAt) {
			return nil, expires, errBadCredential
		}
		expires = s.ExpiresAt
		user, p.SessionHash = s.User, hash
	}
	u, err := a.users.User(ctx, user)
	if err != nil {
		return nil, expires, lookupErr(err)
	}
	if u.Disabled || u.Member == "" {
		return nil, expires, errBadCredential
	}
	groups, err := a.groups.MemberGroups(ctx, u.Member)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, expires, err
	}
	p.User = u
	p.Viewer = access.Viewer{User: u.Name, Member: u.Member, Roles: u.Roles, Groups: groups, Scopes: scopes}
	return p, expires, nil
}

// RevokeToken revokes the API token id in the store and forgets it at once.
// Checking that the caller may revoke it is the caller's business.
func (a *Authenticator) RevokeToken(ctx context.Context, id string) error {
	if err := a.users.RevokeToken(ctx, id, a.clock.Now()); err != nil {
		return err
	}
	a.ForgetToken(id)
	return nil
}

// ForgetToken drops the remembered principal of the API token id: call it
// when the token changed elsewhere (see the change feed).
func (a *Authenticator) ForgetToken(id string) {
	a.cache.forget(func(p *Principal) bool { return p.TokenID == id })
}

// ForgetUser drops the remembered credentials of user: call it after
// changing the user (roles, member, disabled), or when it changed elsewhere.
func (a *Authenticator) ForgetUser(user string) {
	a.cache.forget(func(p *Principal) bool { return p.Viewer.User == user })
}

// ForgetAll drops every remembered credential: call it after a change that
// may alter many viewers, such as the members of a group.
func (a *Authenticator) ForgetAll() { a.cache.forget(nil) }

// lookupErr maps a store's not-found to the one unauthorized error.
func lookupErr(err error) error {
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return errBadCredential
	}
	return err
}

// Login checks a user's password and opens a session. Unknown user, wrong
// password, disabled account and an account without password give the same
// error after the same work (an argon2id verification). Failed attempts are
// throttled per (account, address) and, from addresses the account has not
// signed in from lately, per account (see Policy): a throttled attempt gets
// ERATELIMIT wrapping a *RetryAfterError, without its password being
// checked. Another account's correct password, or this account's from a
// familiar address, is never refused because of someone else's failures.
func (a *Authenticator) Login(ctx context.Context, name, password, remote string) (*Session, error) {
	if name == "" || password == "" {
		return nil, concord.Errorf(concord.EINVALID, "user and password are required")
	}
	if len(name) > 256 || len(password) > 1024 {
		return nil, errBadLogin
	}
	if wait, blocked := a.throttle.Check(name, remote); blocked {
		return nil, &concord.Error{Code: concord.ERATELIMIT, Op: "auth.Login",
			Message: "too many failed sign-ins; try again later", Err: &RetryAfterError{Wait: wait}}
	}
	u, err := a.users.User(ctx, name)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	hash := a.dummy
	if u != nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, err := a.verify(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || u.PasswordHash == "" || u.Disabled || u.Member == "" {
		a.throttle.Fail(name, remote)
		return nil, errBadLogin
	}
	a.throttle.Succeed(name, remote)
	now := a.clock.Now()
	plain, s, err := newSession(u.Name, now, a.ttl)
	if err != nil {
		return nil, err
	}
	actor := concord.ActorFrom(ctx)
	via := actor.Via
	if via == "" || via == "system" {
		via = "api"
	}
	ctx = concord.WithActor(ctx, concord.Actor{User: u.Name, Member: u.Member, Via: via})
	if err := a.users.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	return &Session{Token: plain, ExpiresAt: s.ExpiresAt, User: u}, nil
}

// Unlock forgets the failed sign-ins of user from every address (an
// operator's concord user unlock, or a password reset).
func (a *Authenticator) Unlock(user string) { a.throttle.Unlock(user) }

// verify runs VerifyPassword under the concurrency bound.
func (a *Authenticator) verify(ctx context.Context, hash, password string) (bool, error) {
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-a.sem }()
	return VerifyPassword(hash, password), nil
}

// Logout ends the session p used, if any (an API token stays valid: revoke
// it instead).
func (a *Authenticator) Logout(ctx context.Context, p *Principal) error {
	if p == nil || p.SessionHash == "" {
		return nil
	}
	err := a.users.DeleteSession(ctx, p.SessionHash)
	a.cache.forget(func(q *Principal) bool { return q.SessionHash == p.SessionHash })
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil
	}
	return err
}

// CreateToken issues an API token for user and stores its hash; the plain
// credential is returned once. A zero ttl means no expiry.
func (a *Authenticator) CreateToken(ctx context.Context, user, name string, scopes []string, ttl time.Duration) (string, *concord.Token, error) {
	if strings.TrimSpace(name) == "" {
		return "", nil, concord.Errorf(concord.EINVALID, "a token needs a name")
	}
	plain, t, err := NewToken(user, name, scopes, a.clock.Now(), ttl)
	if err != nil {
		return "", nil, err
	}
	if err := a.users.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// Now returns the authenticator's clock reading.
func (a *Authenticator) Now() time.Time { return a.clock.Now() }

// HashPassword validates and hashes a new password with the authenticator's
// parameters (those its dummy hash uses, so sign-in times stay alike).
func (a *Authenticator) HashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	return HashPasswordParams(password, a.params)
}
