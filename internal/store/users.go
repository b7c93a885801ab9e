package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"concord"
)

// Lists (roles, scopes) are stored comma-separated.

func joinRoles(rs []concord.Role) string { return strings.Join(toStrings(rs), ",") }

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

const userCols = `name, member, roles, password_hash, disabled, created_at`

func scanUser(s scanner, u *concord.User) error {
	var roles string
	if err := s.Scan(&u.Name, &u.Member, &roles, &u.PasswordHash, &u.Disabled, tm{&u.CreatedAt}); err != nil {
		return err
	}
	u.Roles = []concord.Role{}
	for _, r := range splitList(roles) {
		u.Roles = append(u.Roles, concord.Role(r))
	}
	return nil
}

// CreateUser stores a new user; ECONFLICT if the name is taken. A zero
// CreatedAt is set to now.
func (db *DB) CreateUser(ctx context.Context, u *concord.User) error {
	const op = "store.CreateUser"
	if err := checkUser(u); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now()
	}
	return db.audited(ctx, op, change{Action: "user.create", Object: u.Name, Detail: "member=" + u.Member + " roles=" + joinRoles(u.Roles)},
		func(t *tx, _ *change) error {
			t.changed(concord.ChangeCredentials, "user:"+u.Name)
			_, err := t.exec(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
				u.Name, u.Member, joinRoles(u.Roles), u.PasswordHash, u.Disabled, u.CreatedAt)
			if concord.ErrorCode(db.wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "user " + u.Name + " already exists"}
			}
			return err
		})
}

// User returns one user or ENOTFOUND.
func (db *DB) User(ctx context.Context, name string) (*concord.User, error) {
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, name)
	us, err := scanAll(rows, err, scanUser)
	if err != nil {
		return nil, db.wrap("store.User", err)
	}
	if len(us) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return &us[0], nil
}

// Users lists the users of member ("" = all) by name.
func (db *DB) Users(ctx context.Context, member string) ([]concord.User, error) {
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users WHERE ? = '' OR member = ? ORDER BY name`, member, member)
	us, err := scanAll(rows, err, scanUser)
	return us, db.wrap("store.Users", err)
}

// UpdateUser replaces the member, roles, password hash and disabled flag of
// an existing user (ENOTFOUND otherwise).
func (db *DB) UpdateUser(ctx context.Context, u *concord.User) error {
	if err := checkUser(u); err != nil {
		return err
	}
	detail := "member=" + u.Member + " roles=" + joinRoles(u.Roles)
	if u.Disabled {
		detail += " disabled"
	}
	return db.audited(ctx, "store.UpdateUser", change{Action: "user.update", Object: u.Name, Detail: detail},
		func(t *tx, _ *change) error {
			t.changed(concord.ChangeCredentials, "user:"+u.Name)
			return mustAffect(t.exec(ctx, `UPDATE users SET member = ?, roles = ?, password_hash = ?, disabled = ? WHERE name = ?`,
				u.Member, joinRoles(u.Roles), u.PasswordHash, u.Disabled, u.Name))(
				concord.Errorf(concord.ENOTFOUND, "user %q not found", u.Name))
		})
}

// SetPassword replaces the password hash of user name and deletes its
// sessions: a reset password ends every session opened with the old one.
// Its tokens stay (they never knew the password).
func (db *DB) SetPassword(ctx context.Context, name, passwordHash string) error {
	return db.audited(ctx, "store.SetPassword", change{Action: "user.password_reset", Object: name},
		func(t *tx, ch *change) error {
			t.changed(concord.ChangeCredentials, "user:"+name)
			if err := mustAffect(t.exec(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, passwordHash, name))(
				concord.Errorf(concord.ENOTFOUND, "user %q not found", name)); err != nil {
				return err
			}
			res, err := t.exec(ctx, `DELETE FROM sessions WHERE user_name = ?`, name)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			ch.Detail = "sessions ended: " + strconv.FormatInt(n, 10)
			return nil
		})
}

// userExists returns ENOTFOUND for an unknown user.
func userExists(ctx context.Context, t *tx, name string) error {
	var n int
	if err := t.row(ctx, `SELECT count(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return nil
}

// CreateToken stores a token of an existing user; ECONFLICT if its id or
// hash is taken.
func (db *DB) CreateToken(ctx context.Context, tok *concord.Token) error {
	if tok.ID == "" || tok.Hash == "" {
		return concord.Errorf(concord.EINVALID, "token: id and hash are required")
	}
	if tok.CreatedAt.IsZero() {
		tok.CreatedAt = db.now()
	}
	return db.audited(ctx, "store.CreateToken", change{Action: "token.create", Object: tok.ID, Detail: "user=" + tok.User + " scopes=" + strings.Join(tok.Scopes, ",")},
		func(t *tx, _ *change) error {
			if err := userExists(ctx, t, tok.User); err != nil {
				return err
			}
			t.changed(concord.ChangeCredentials, "token:"+tok.ID)
			_, err := t.exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tok.ID, tok.User, tok.Name,
				strings.Join(tok.Scopes, ","), tok.Hash, tok.CreatedAt, tok.ExpiresAt, tok.RevokedAt)
			return err
		})
}

const tokenCols = `id, user_name, name, scopes, hash, created_at, expires_at, revoked_at`

func scanToken(s scanner, t *concord.Token) error {
	var scopes string
	if err := s.Scan(&t.ID, &t.User, &t.Name, &scopes, &t.Hash, tm{&t.CreatedAt}, ntm{&t.ExpiresAt}, ntm{&t.RevokedAt}); err != nil {
		return err
	}
	t.Scopes = splitList(scopes)
	return nil
}

// TokenByHash returns the token with this hash, revoked or expired ones
// included (the caller decides), or ENOTFOUND.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*concord.Token, error) {
	rows, err := db.query(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash)
	ts, err := scanAll(rows, err, scanToken)
	if err != nil {
		return nil, db.wrap("store.TokenByHash", err)
	}
	if len(ts) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "token not found")
	}
	return &ts[0], nil
}

// Tokens lists a user's tokens, oldest first.
func (db *DB) Tokens(ctx context.Context, user string) ([]concord.Token, error) {
	rows, err := db.query(ctx, `SELECT `+tokenCols+` FROM tokens WHERE user_name = ? ORDER BY created_at, id`, user)
	ts, err := scanAll(rows, err, scanToken)
	return ts, db.wrap("store.Tokens", err)
}

// RevokeToken marks a token revoked at the given time (the first revocation
// is kept); ENOTFOUND for an unknown id.
func (db *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return db.audited(ctx, "store.RevokeToken", change{Action: "token.revoke", Object: id}, func(t *tx, _ *change) error {
		t.changed(concord.ChangeCredentials, "token:"+id)
		return mustAffect(t.exec(ctx, `UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, at, id))(
			concord.Errorf(concord.ENOTFOUND, "token %q not found", id))
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
	return db.audited(ctx, "store.CreateSession", change{Action: "session.create", Object: s.User}, func(t *tx, _ *change) error {
		if err := userExists(ctx, t, s.User); err != nil {
			return err
		}
		t.changed(concord.ChangeCredentials, "session:"+s.User)
		_, err := t.exec(ctx, `INSERT INTO sessions (hash, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.Hash, s.User, s.CreatedAt, s.ExpiresAt)
		return err
	})
}

// SessionByHash returns a session (expired ones included) or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*concord.Session, error) {
	var s concord.Session
	err := db.row(ctx, `SELECT hash, user_name, created_at, expires_at FROM sessions WHERE hash = ?`, hash).
		Scan(&s.Hash, &s.User, tm{&s.CreatedAt}, tm{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, concord.Errorf(concord.ENOTFOUND, "session not found")
	}
	if err != nil {
		return nil, db.wrap("store.SessionByHash", err)
	}
	return &s, nil
}

// DeleteSession ends a session; ENOTFOUND when there is none.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.audited(ctx, "store.DeleteSession", change{Action: "session.delete"}, func(t *tx, ch *change) error {
		err := t.row(ctx, `DELETE FROM sessions WHERE hash = ? RETURNING user_name`, hash).Scan(&ch.Object)
		if errors.Is(err, sql.ErrNoRows) {
			return concord.Errorf(concord.ENOTFOUND, "session not found")
		}
		t.changed(concord.ChangeCredentials, "session:"+ch.Object)
		return err
	})
}
