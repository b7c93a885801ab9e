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
