package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"concord"
	"concord/internal/sqlstore"
)

const userCols = `name, member, roles, password_hash, disabled, created_at`

func joinRoles(rs []concord.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CreateUser stores a new user; ECONFLICT if the name is taken. A zero
// CreatedAt is set to now.
func (db *DB) CreateUser(ctx context.Context, u *concord.User) error {
	const op = "sqlite.CreateUser"
	if err := sqlstore.CheckUser(u); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now()
	}
	return db.audited(ctx, op, sqlstore.Change{Action: "user.create", Object: u.Name, Detail: "member=" + u.Member + " roles=" + joinRoles(u.Roles)},
		func(tx *sql.Tx, _ *sqlstore.Change) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
				u.Name, u.Member, joinRoles(u.Roles), u.PasswordHash, u.Disabled, micros(u.CreatedAt))
			if concord.ErrorCode(wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "user " + u.Name + " already exists"}
			}
			return err
		})
}

func scanUsers(rows *sql.Rows) ([]concord.User, error) {
	defer rows.Close()
	out := []concord.User{}
	for rows.Next() {
		var u concord.User
		var roles string
		var at int64
		if err := rows.Scan(&u.Name, &u.Member, &roles, &u.PasswordHash, &u.Disabled, &at); err != nil {
			return nil, err
		}
		u.Roles = []concord.Role{}
		for _, r := range splitList(roles) {
			u.Roles = append(u.Roles, concord.Role(r))
		}
		u.CreatedAt = fromMicros(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// User returns one user or ENOTFOUND.
func (db *DB) User(ctx context.Context, name string) (*concord.User, error) {
	rows, err := db.rs.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, name)
	if err != nil {
		return nil, wrap("sqlite.User", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, wrap("sqlite.User", err)
	}
	if len(us) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return &us[0], nil
}

// Users lists the users of member ("" = all) by name.
func (db *DB) Users(ctx context.Context, member string) ([]concord.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE ? = '' OR member = ? ORDER BY name`, member, member)
	if err != nil {
		return nil, wrap("sqlite.Users", err)
	}
	us, err := scanUsers(rows)
	return us, wrap("sqlite.Users", err)
}

// UpdateUser replaces the member, roles, password hash and disabled flag of
// an existing user (ENOTFOUND otherwise).
func (db *DB) UpdateUser(ctx context.Context, u *concord.User) error {
	if err := sqlstore.CheckUser(u); err != nil {
		return err
	}
	detail := "member=" + u.Member + " roles=" + joinRoles(u.Roles)
	if u.Disabled {
		detail += " disabled"
	}
	return db.audited(ctx, "sqlite.UpdateUser", sqlstore.Change{Action: "user.update", Object: u.Name, Detail: detail},
		func(tx *sql.Tx, _ *sqlstore.Change) error {
			return mustAffect(tx.ExecContext(ctx, `UPDATE users SET member = ?, roles = ?, password_hash = ?, disabled = ? WHERE name = ?`,
				u.Member, joinRoles(u.Roles), u.PasswordHash, u.Disabled, u.Name))(
				concord.Errorf(concord.ENOTFOUND, "user %q not found", u.Name))
		})
}

// userExists returns ENOTFOUND for an unknown user.
func userExists(ctx context.Context, tx *sql.Tx, name string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return concord.Errorf(concord.ENOTFOUND, "user %q not found", name)
	}
	return nil
}

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micros(*t)
}

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
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
	return db.audited(ctx, "sqlite.CreateToken", sqlstore.Change{Action: "token.create", Object: t.ID, Detail: "user=" + t.User + " scopes=" + strings.Join(t.Scopes, ",")},
		func(tx *sql.Tx, _ *sqlstore.Change) error {
			if err := userExists(ctx, tx, t.User); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO tokens (id, user_name, name, scopes, hash, created_at, expires_at, revoked_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.User, t.Name, strings.Join(t.Scopes, ","), t.Hash,
				micros(t.CreatedAt), nullMicros(t.ExpiresAt), nullMicros(t.RevokedAt))
			return err
		})
}

const tokenCols = `id, user_name, name, scopes, hash, created_at, expires_at, revoked_at`

func scanTokens(rows *sql.Rows) ([]concord.Token, error) {
	defer rows.Close()
	out := []concord.Token{}
	for rows.Next() {
		var t concord.Token
		var scopes string
		var at int64
		var exp, rev sql.NullInt64
		if err := rows.Scan(&t.ID, &t.User, &t.Name, &scopes, &t.Hash, &at, &exp, &rev); err != nil {
			return nil, err
		}
		t.Scopes, t.CreatedAt, t.ExpiresAt, t.RevokedAt = splitList(scopes), fromMicros(at), fromNullMicros(exp), fromNullMicros(rev)
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenByHash returns the token with this hash, revoked or expired ones
// included (the caller decides), or ENOTFOUND.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*concord.Token, error) {
	rows, err := db.rs.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash)
	if err != nil {
		return nil, wrap("sqlite.TokenByHash", err)
	}
	ts, err := scanTokens(rows)
	if err != nil {
		return nil, wrap("sqlite.TokenByHash", err)
	}
	if len(ts) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "token not found")
	}
	return &ts[0], nil
}

// Tokens lists a user's tokens, oldest first.
func (db *DB) Tokens(ctx context.Context, user string) ([]concord.Token, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE user_name = ? ORDER BY created_at, id`, user)
	if err != nil {
		return nil, wrap("sqlite.Tokens", err)
	}
	ts, err := scanTokens(rows)
	return ts, wrap("sqlite.Tokens", err)
}

// RevokeToken marks a token revoked at the given time (the first revocation
// is kept); ENOTFOUND for an unknown id.
func (db *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return db.audited(ctx, "sqlite.RevokeToken", sqlstore.Change{Action: "token.revoke", Object: id}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		return mustAffect(tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, micros(at), id))(
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
	return db.audited(ctx, "sqlite.CreateSession", sqlstore.Change{Action: "session.create", Object: s.User}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		if err := userExists(ctx, tx, s.User); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.Hash, s.User, micros(s.CreatedAt), micros(s.ExpiresAt))
		return err
	})
}

// SessionByHash returns a session (expired ones included) or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*concord.Session, error) {
	var s concord.Session
	var at, exp int64
	err := db.rs.QueryRowContext(ctx, `SELECT hash, user_name, created_at, expires_at FROM sessions WHERE hash = ?`, hash).
		Scan(&s.Hash, &s.User, &at, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, concord.Errorf(concord.ENOTFOUND, "session not found")
	}
	if err != nil {
		return nil, wrap("sqlite.SessionByHash", err)
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(at), fromMicros(exp)
	return &s, nil
}

// DeleteSession ends a session; ENOTFOUND when there is none.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.audited(ctx, "sqlite.DeleteSession", sqlstore.Change{Action: "session.delete"}, func(tx *sql.Tx, ch *sqlstore.Change) error {
		var user string
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE hash = ? RETURNING user_name`, hash).Scan(&user)
		if errors.Is(err, sql.ErrNoRows) {
			return concord.Errorf(concord.ENOTFOUND, "session not found")
		}
		ch.Object = user
		return err
	})
}
