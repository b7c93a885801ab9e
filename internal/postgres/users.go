package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"concord"
	"concord/internal/sqlstore"
)

const userCols = `name, member, roles, password_hash, disabled, created_at`

func roleStrings(rs []concord.Role) []string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return s
}

// CreateUser stores a new user; ECONFLICT if the name is taken. A zero
// CreatedAt is set to now.
func (db *DB) CreateUser(ctx context.Context, u *concord.User) error {
	const op = "postgres.CreateUser"
	if err := sqlstore.CheckUser(u); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now()
	}
	return db.audited(ctx, op, sqlstore.Change{Action: "user.create", Object: u.Name, Detail: "member=" + u.Member + " roles=" + strings.Join(roleStrings(u.Roles), ",")},
		func(tx pgx.Tx, _ *sqlstore.Change) error {
			_, err := tx.Exec(ctx, `INSERT INTO users (`+userCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
				u.Name, u.Member, roleStrings(u.Roles), u.PasswordHash, u.Disabled, u.CreatedAt)
			if concord.ErrorCode(wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "user " + u.Name + " already exists"}
			}
			return err
		})
}

func (db *DB) users(ctx context.Context, op, tail string, args ...any) ([]concord.User, error) {
	var out []concord.User
	err := db.read(ctx, op, func(q queryer) error {
		rows, err := q.Query(ctx, `SELECT `+userCols+` FROM users `+tail, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.User, error) {
			var u concord.User
			var roles []string
			err := r.Scan(&u.Name, &u.Member, &roles, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
			u.Roles = make([]concord.Role, len(roles))
			for i, s := range roles {
				u.Roles[i] = concord.Role(s)
			}
			u.CreatedAt = u.CreatedAt.UTC()
			return u, err
		})
		return err
	})
	if out == nil {
		out = []concord.User{}
	}
	return out, err
}

// User returns one user or ENOTFOUND.
func (db *DB) User(ctx context.Context, name string) (*concord.User, error) {
	us, err := db.users(ctx, "postgres.User", `WHERE name = $1`, name)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return &us[0], nil
}

// Users lists the users of member ("" = all) by name.
func (db *DB) Users(ctx context.Context, member string) ([]concord.User, error) {
	return db.users(ctx, "postgres.Users", `WHERE $1 = '' OR member = $1 ORDER BY name`, member)
}

// UpdateUser replaces the member, roles, password hash and disabled flag of
// an existing user (ENOTFOUND otherwise).
func (db *DB) UpdateUser(ctx context.Context, u *concord.User) error {
	if err := sqlstore.CheckUser(u); err != nil {
		return err
	}
	detail := "member=" + u.Member + " roles=" + strings.Join(roleStrings(u.Roles), ",")
	if u.Disabled {
		detail += " disabled"
	}
	return db.audited(ctx, "postgres.UpdateUser", sqlstore.Change{Action: "user.update", Object: u.Name, Detail: detail},
		func(tx pgx.Tx, _ *sqlstore.Change) error {
			tag, err := tx.Exec(ctx, `UPDATE users SET member = $1, roles = $2, password_hash = $3, disabled = $4 WHERE name = $5`,
				u.Member, roleStrings(u.Roles), u.PasswordHash, u.Disabled, u.Name)
			if err == nil && tag.RowsAffected() == 0 {
				return concord.Errorf(concord.ENOTFOUND, "user %q not found", u.Name)
			}
			return err
		})
}

// userExists returns ENOTFOUND for an unknown user.
func userExists(ctx context.Context, tx pgx.Tx, name string) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE name = $1)`, name).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateToken stores a token of an existing user; ECONFLICT if its id or
// hash is taken.
func (db *DB) CreateToken(ctx context.Context, t *concord.Token) error {
	if t.ID == "" || t.Hash == "" {
		return concord.Errorf(concord.EINVALID, "token: id and hash are required")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return db.audited(ctx, "postgres.CreateToken", sqlstore.Change{Action: "token.create", Object: t.ID, Detail: "user=" + t.User + " scopes=" + strings.Join(t.Scopes, ",")},
		func(tx pgx.Tx, _ *sqlstore.Change) error {
			if err := userExists(ctx, tx, t.User); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO tokens (id, user_name, name, scopes, hash, created_at, expires_at, revoked_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, t.User, t.Name, scopes, t.Hash, t.CreatedAt, t.ExpiresAt, t.RevokedAt)
			return err
		})
}

func (db *DB) tokens(ctx context.Context, op, tail string, args ...any) ([]concord.Token, error) {
	var out []concord.Token
	err := db.read(ctx, op, func(q queryer) error {
		rows, err := q.Query(ctx, `SELECT id, user_name, name, scopes, hash, created_at, expires_at, revoked_at FROM tokens `+tail, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.Token, error) {
			var t concord.Token
			err := r.Scan(&t.ID, &t.User, &t.Name, &t.Scopes, &t.Hash, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
			t.CreatedAt, t.ExpiresAt, t.RevokedAt = t.CreatedAt.UTC(), utcPtr(t.ExpiresAt), utcPtr(t.RevokedAt)
			if t.Scopes == nil {
				t.Scopes = []string{}
			}
			return t, err
		})
		return err
	})
	if out == nil {
		out = []concord.Token{}
	}
	return out, err
}

// TokenByHash returns the token with this hash, revoked or expired ones
// included (the caller decides), or ENOTFOUND.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*concord.Token, error) {
	ts, err := db.tokens(ctx, "postgres.TokenByHash", `WHERE hash = $1`, hash)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "token not found")
	}
	return &ts[0], nil
}

// Tokens lists a user's tokens, oldest first.
func (db *DB) Tokens(ctx context.Context, user string) ([]concord.Token, error) {
	return db.tokens(ctx, "postgres.Tokens", `WHERE user_name = $1 ORDER BY created_at, id`, user)
}

// RevokeToken marks a token revoked at the given time (the first revocation
// is kept); ENOTFOUND for an unknown id.
func (db *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return db.audited(ctx, "postgres.RevokeToken", sqlstore.Change{Action: "token.revoke", Object: id}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		tag, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, at, id)
		if err == nil && tag.RowsAffected() == 0 {
			return concord.Errorf(concord.ENOTFOUND, "token %q not found", id)
		}
		return err
	})
}

// CreateSession stores a session of an existing user.
func (db *DB) CreateSession(ctx context.Context, s *concord.Session) error {
	if s.Hash == "" {
		return concord.Errorf(concord.EINVALID, "session: hash is required")
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	return db.audited(ctx, "postgres.CreateSession", sqlstore.Change{Action: "session.create", Object: s.User}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		if err := userExists(ctx, tx, s.User); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (hash, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			s.Hash, s.User, s.CreatedAt, s.ExpiresAt)
		return err
	})
}

// SessionByHash returns a session (expired ones included) or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*concord.Session, error) {
	var s concord.Session
	err := db.read(ctx, "postgres.SessionByHash", func(q queryer) error {
		rows, err := q.Query(ctx, `SELECT hash, user_name, created_at, expires_at FROM sessions WHERE hash = $1`, hash)
		if err != nil {
			return err
		}
		s, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (concord.Session, error) {
			var s concord.Session
			err := r.Scan(&s.Hash, &s.User, &s.CreatedAt, &s.ExpiresAt)
			s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
			return s, err
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return concord.Errorf(concord.ENOTFOUND, "session not found")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// DeleteSession ends a session; ENOTFOUND when there is none.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.audited(ctx, "postgres.DeleteSession", sqlstore.Change{Action: "session.delete"}, func(tx pgx.Tx, ch *sqlstore.Change) error {
		err := tx.QueryRow(ctx, `DELETE FROM sessions WHERE hash = $1 RETURNING user_name`, hash).Scan(&ch.Object)
		if errors.Is(err, pgx.ErrNoRows) {
			return concord.Errorf(concord.ENOTFOUND, "session not found")
		}
		return err
	})
}
