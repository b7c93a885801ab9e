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

// BenchmarkImport imports a list the size of OFAC's (about 100k statements),
// then re-imports it with every entity changed.
func BenchmarkImport(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db := open(b)
		b.StartTimer()
		if _, err := db.Import(b.Context(), storetest.SyntheticBatch("ofac", "1", 20000, 5)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(b.Context(), storetest.SyntheticBatch("ofac", "2", 20000, 5)); err != nil {
			b.Fatal(err)
		}
	}
}
