package store

import (
	"context"
	"testing"

	"concord"
	"concord/internal/pgtest"
)

// TestStatementCache: the hot reads and the audit append run prepared, and
// repeating them prepares nothing new. On PostgreSQL pgx prepares each query
// once per connection (counted in pg_prepared_statements of the pool's one
// connection); on SQLite the store's own caches hold them.
func TestStatementCache(t *testing.T) {
	ctx := t.Context()
	for _, c := range []struct {
		name     string
		open     func(t *testing.T) (*DB, error)
		prepared func(db *DB) int
	}{
		{"sqlite", func(t *testing.T) (*DB, error) { return OpenSQLite(ctx, t.TempDir(), nil) }, func(db *DB) int {
			db.rs.mu.RLock()
			defer db.rs.mu.RUnlock()
			return len(db.rs.m) + len(db.ws.m)
		}},
		{"postgres", func(t *testing.T) (*DB, error) { return OpenPostgres(ctx, pgtest.URL(t)+"&pool_max_conns=1", nil) }, func(db *DB) int {
			var n int
			if err := db.row(context.WithoutCancel(ctx), `SELECT count(*) FROM pg_prepared_statements`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := c.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sys := concord.WithActor(ctx, concord.Actor{User: "sec", Via: "cli"})
			if err := db.PutMember(sys, &concord.Member{ID: "es", Country: "ES", Name: "Spain"}); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateUser(sys, &concord.User{Name: "alice", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}); err != nil {
				t.Fatal(err)
			}
			f := concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: []concord.TLP{concord.TLPClear}}
			hot := func() {
				db.Entity(ctx, f, "Q1")
				db.User(ctx, "alice")
				db.TokenByHash(ctx, "nope")
				db.SessionByHash(ctx, "nope")
				if _, err := db.MemberGroups(ctx, "es"); err != nil {
					t.Fatal(err)
				}
				if err := db.Audit(sys, "match", "", ""); err != nil {
					t.Fatal(err)
				}
			}
			hot()
			first := c.prepared(db)
			for range 3 {
				hot()
			}
			if again := c.prepared(db); first < 8 || again != first {
				t.Errorf("prepared statements: %d after one round of hot calls, %d after four", first, again)
			}
		})
	}
}
