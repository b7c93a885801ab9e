package store_test

import (
	"sync"
	"testing"

	"concord"
	"concord/internal/pgtest"
	"concord/internal/store"
	"concord/internal/storetest"
)

// TestConcurrentOpen starts several nodes on one fresh schema at once: the
// advisory lock lets exactly one apply each migration.
func TestConcurrentOpen(t *testing.T) {
	u := pgtest.URL(t)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			db, err := store.OpenPostgres(t.Context(), u, nil)
			if err != nil {
				t.Error(err)
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	db := dialects[1].openAt(t, u)
	if _, err := db.Import(t.Context(), storetest.SyntheticBatch("un", "1", 10, 2)); err != nil {
		t.Fatal(err)
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{
		"postgres://host:notaport/db",
		"postgres://host/db?pool_max_conns=0",
		"postgres://host/db?pool_max_conns=many",
		"postgres://host/db?pool_max_conn_lifetime=forever",
		"postgres://host/db?pool_size=3",
	} {
		_, err := store.OpenPostgres(t.Context(), u, nil)
		if concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestPoolMaxConns: one connection is enough for every store method (none
// holds a connection while it acquires another: the suites would hang), and
// the pool settings are not sent to the server as runtime parameters.
func TestPoolMaxConns(t *testing.T) {
	d := dialects[1]
	const one = "&pool_max_conns=1&pool_max_conn_idle_time=1m"
	storetest.Run(t, func(t *testing.T) concord.Store { return d.openAt(t, pgtest.URL(t)+one) })
	storetest.RunService(t, func(t *testing.T) (storetest.Service, storetest.Exec) {
		u := pgtest.URL(t)
		return d.openAt(t, u+one), d.exec(u)
	})
	storetest.RunPNR(t, func(t *testing.T) storetest.Service { return d.openAt(t, pgtest.URL(t)+one) })
}
