package postgres_test

import (
	"sync"
	"testing"

	"concord"
	"concord/internal/pgtest"
	"concord/internal/postgres"
	"concord/internal/storetest"
)

// The tests need a PostgreSQL server: CONCORD_TEST_POSTGRES is its URL, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable, for a role
// that may create schemas. Each test works in a fresh schema, dropped after:
// schemaURL is a fresh schema on the server named by CONCORD_TEST_POSTGRES
// (see internal/pgtest); without it the PostgreSQL tests are skipped.
func schemaURL(t testing.TB) string { return pgtest.URL(t) }

func open(t testing.TB, url string) *postgres.DB {
	db, err := postgres.Open(t.Context(), url, storetest.NewClock())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) concord.Store { return open(t, schemaURL(t)) })
}

// TestConcurrentOpen starts several nodes on one fresh schema at once: the
// advisory lock lets exactly one apply each migration.
func TestConcurrentOpen(t *testing.T) {
	u := schemaURL(t)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			db, err := postgres.Open(t.Context(), u, nil)
			if err != nil {
				t.Error(err)
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	db := open(t, u)
	if _, err := db.Import(t.Context(), storetest.SyntheticBatch("un", "1", 10, 2)); err != nil {
		t.Fatal(err)
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{
		"postgres://host:notaport/db",
		"postgres://host/db?pool_max_conns=0",
		"postgres://host/db?pool_max_conns=many",
	} {
		_, err := postgres.Open(t.Context(), u, nil)
		if concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestPoolMaxConns: one connection is enough for every store method (none
// holds a connection while it acquires another), and the setting is not sent
// to the server as a runtime parameter.
func TestPoolMaxConns(t *testing.T) {
	db := open(t, schemaURL(t)+"&pool_max_conns=1")
	ctx := t.Context()
	if _, err := db.Import(ctx, storetest.SyntheticBatch("un", "1", 10, 2)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := db.Counts(ctx, concord.Filter{All: true}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// BenchmarkImport: see storetest.BenchImport.
func BenchmarkImport(b *testing.B) {
	storetest.BenchImport(b, func(b *testing.B) concord.Store { return open(b, schemaURL(b)) })
}

// BenchmarkAudit: see storetest.BenchAudit.
func BenchmarkAudit(b *testing.B) {
	storetest.BenchAudit(b, func(b *testing.B) concord.Store { return open(b, schemaURL(b)) })
}

// BenchmarkEntity: see storetest.BenchEntity.
func BenchmarkEntity(b *testing.B) {
	storetest.BenchEntity(b, func(b *testing.B) concord.Store { return open(b, schemaURL(b)) })
}
