package concord

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may do within its member.
type Role string

// Roles. Secretariat works at coalition level (all members' audit, coalition
// membership); the others act within the user's member.
const (
	RoleViewer      Role = "viewer"      // search, match, view
	RoleAnalyst     Role = "analyst"     // + contribute and retract the member's statements, screen
	RoleReviewer    Role = "reviewer"    // + decide alerts
	RoleAdmin       Role = "admin"       // + users, tokens and audit of the member
	RoleSecretariat Role = "secretariat" // coalition level: members, groups, the whole audit
)

// Roles lists the valid roles.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleReviewer, RoleAdmin, RoleSecretariat}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "unknown role %q (want viewer, analyst, reviewer, admin or secretariat)", s)
}

// User is a person or machine account of one member.
type User struct {
	Name         string    `json:"name"` // login, unique
	Member       string    `json:"member"`
	Roles        []Role    `json:"roles"`
	PasswordHash string    `json:"-"` // argon2id, PHC string format
	Disabled     bool      `json:"disabled,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// HasRole reports whether the user holds r.
func (u *User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// Token is a bearer API token. Only its hash is stored; the secret is shown
// once when created.
type Token struct {
	ID        string     `json:"id"` // public identifier, also the token's prefix
	User      string     `json:"user"`
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"` // "read", "match", "screen", "write", "review", "admin"
	Hash      string     `json:"-"`      // sha256 of the secret
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Session is a signed-in person's browser or API session.
type Session struct {
	Hash      string    `json:"-"` // sha256 of the session secret
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserStore keeps accounts, tokens and sessions.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error // ECONFLICT if the name is taken
	User(ctx context.Context, name string) (*User, error)
	Users(ctx context.Context, member string) ([]User, error) // member "" = all
	UpdateUser(ctx context.Context, u *User) error
	// SetPassword replaces a user's password hash and ends its sessions, in
	// one transaction (an operator's password reset); ENOTFOUND for none.
	SetPassword(ctx context.Context, name, passwordHash string) error
	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	Tokens(ctx context.Context, user string) ([]Token, error)
	RevokeToken(ctx context.Context, id string, at time.Time) error
	CreateSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, hash string) (*Session, error)
	DeleteSession(ctx context.Context, hash string) error
}

// Actor is who performs an operation, carried in the context so that every
// store write records it in the audit in the same transaction.
type Actor struct {
	User   string `json:"user"`
	Member string `json:"member"`
	Via    string `json:"via"` // "cli", "api", "job", "system"
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{User: "system", Via: "system"}
}
