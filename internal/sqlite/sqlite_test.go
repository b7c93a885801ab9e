package sqlite_test

import (
	"testing"

	"concord"
	"concord/internal/sqlite"
	"concord/internal/storetest"
)

func open(t testing.TB) *sqlite.DB {
	db, err := sqlite.Open(t.Context(), t.TempDir(), storetest.NewClock())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) concord.Store { return open(t) })
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		db, err := sqlite.Open(t.Context(), dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(t.Context(), storetest.SyntheticBatch("un", "1", 10, 2)); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkImport: see storetest.BenchImport.
func BenchmarkImport(b *testing.B) {
	storetest.BenchImport(b, func(b *testing.B) concord.Store { return open(b) })
}

// BenchmarkAudit: see storetest.BenchAudit.
func BenchmarkAudit(b *testing.B) {
	storetest.BenchAudit(b, func(b *testing.B) concord.Store { return open(b) })
}

// BenchmarkEntity: see storetest.BenchEntity.
func BenchmarkEntity(b *testing.B) {
	storetest.BenchEntity(b, func(b *testing.B) concord.Store { return open(b) })
}
