package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"concord/internal/store"
	"concord/internal/storetest"
)

// TestSQLitePageSize: a new SQLite store has 16 KiB pages (a bulk load's
// lookups in the WAL grow with its frames: see sqlitePageSize); a store
// made before with other pages keeps them, migrates and imports.
func TestSQLitePageSize(t *testing.T) {
	ctx := t.Context()
	check := func(dir string, want int) {
		t.Helper()
		db, err := store.OpenSQLite(ctx, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if n, err := store.PageSize(ctx, db); err != nil || n != want {
			t.Fatalf("page size %d (%v), want %d", n, err, want)
		}
		if n, err := store.WALSizeLimit(ctx, db); err != nil || n != 64<<20 {
			t.Fatalf("journal_size_limit %d (%v), want 64 MiB: a bulk load's WAL would keep its size on disk", n, err)
		}
		if _, err := db.Import(ctx, storetest.SyntheticBatch("un", "1", 50, 2)); err != nil {
			t.Fatal(err)
		}
	}
	fresh := t.TempDir()
	check(fresh, 16384)
	check(fresh, 16384) // opened again

	old := t.TempDir()
	raw, err := sql.Open("sqlite", filepath.Join(old, "concord.db")+"?_pragma=page_size(4096)&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE before_concord (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	check(old, 4096)
}
