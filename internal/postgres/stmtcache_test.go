package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"concord"
	"concord/internal/pgtest"
)

// TestStatementCache: pgx prepares each query once per connection and caches
// it (QueryExecModeCacheStatement, its default); the hot reads and the audit
// append run prepared, and repeating them prepares nothing new.
func TestStatementCache(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, pgtest.URL(t)+"&pool_max_conns=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cc := db.pool.Config().ConnConfig
	if cc.DefaultQueryExecMode != pgx.QueryExecModeCacheStatement || cc.StatementCacheCapacity <= 0 {
		t.Fatalf("statement cache off: mode %v, capacity %d", cc.DefaultQueryExecMode, cc.StatementCacheCapacity)
	}
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
	prepared := func() int {
		var n int
		err := db.with(ctx, func(c *pgxpool.Conn) error {
			return c.QueryRow(context.WithoutCancel(ctx), `SELECT count(*) FROM pg_prepared_statements`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	hot()
	first := prepared()
	for range 3 {
		hot()
	}
	if again := prepared(); first < 8 || again != first {
		t.Errorf("prepared statements: %d after one round of hot calls, %d after four", first, again)
	}
}
