package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"concord/internal/sqlite"
	"concord/internal/storetest"
)

func TestService(t *testing.T) {
	storetest.RunService(t, func(t *testing.T) (storetest.Service, storetest.Exec) {
		db := open(t)
		return db, func(ctx context.Context, query string) error { return rawExec(ctx, db, query) }
	})
}

// rawExec runs query on the database file of db through a connection of its
// own, as someone with access to the file would.
func rawExec(ctx context.Context, db *sqlite.DB, query string) error {
	raw, err := sql.Open("sqlite", db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.ExecContext(ctx, query)
	return err
}

// TestAuditShared: two stores on one data directory, as the server and the
// CLI: each keeps the chain head in memory and must see the other's appends.
func TestAuditShared(t *testing.T) {
	dir := t.TempDir()
	var dbs [2]*sqlite.DB
	for i := range dbs {
		db, err := sqlite.Open(t.Context(), dir, storetest.NewClock())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	storetest.AuditShared(t, dbs[0], dbs[1])
}

// TestAuditFailure: a trigger refuses some audit rows.
func TestAuditFailure(t *testing.T) {
	db := open(t)
	storetest.AuditFailure(t, db, func(ctx context.Context, query string) error { return rawExec(ctx, db, query) },
		[]string{`CREATE TRIGGER audit_reject BEFORE INSERT ON audit WHEN NEW.object = 'reject'
			BEGIN SELECT RAISE(ABORT, 'audit row refused'); END`},
		[]string{`DROP TRIGGER audit_reject`})
}
