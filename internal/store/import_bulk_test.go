package store_test

import (
	"context"
	"reflect"
	"testing"

	"concord"
	"concord/internal/store"
	"concord/internal/storetest"
)

// TestImportBulk: a new dataset's import larger than the store is a bulk
// load (TestImportChunks runs the import conformance tests through it too);
// the statement indexes are all there afterwards, also after a bulk load
// that failed; a small import or one of a dataset already stored is not
// one.
func TestImportBulk(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		ctx := t.Context()
		db := d.fresh(t)
		store.SetImportChunk(db, 10)
		indexes := func() []string {
			t.Helper()
			ixs, err := store.StatementIndexes(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			return ixs
		}
		want := indexes()
		if len(want) != 4 {
			t.Fatalf("statement indexes: %q", want)
		}
		steps := []struct {
			name string
			b    *concord.ImportBatch
			code string // the import's error code
			bulk int64  // bulk loads so far
		}{
			{"small", storetest.SyntheticBatch("small", "1", 3, 3), "", 0},
			{"large", storetest.SyntheticBatch("large", "1", 20, 3), "", 1},
			{"large again", storetest.SyntheticBatch("large", "2", 30, 3), "", 1},
			{"larger, bad", func() *concord.ImportBatch {
				b := storetest.SyntheticBatch("larger", "1", 80, 3)
				b.Statements = append(b.Statements, concord.Statement{Schema: "Person", Prop: "name", Value: "x"})
				return b
			}(), concord.EINVALID, 2},
			{"larger", storetest.SyntheticBatch("larger", "1", 80, 3), "", 3},
			{"second small", storetest.SyntheticBatch("second", "1", 100, 1), "", 3},
		}
		for _, s := range steps {
			r, err := db.Import(ctx, s.b)
			if concord.ErrorCode(err) != s.code {
				t.Fatalf("%s: %v, want code %q", s.name, err, s.code)
			}
			if got := store.BulkLoads(db); got != s.bulk {
				t.Errorf("%s: %d bulk loads, want %d", s.name, got, s.bulk)
			}
			if got := indexes(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: statement indexes\n%q\nwant\n%q", s.name, got, want)
			}
			if err == nil && r.Statements != len(s.b.Statements) {
				t.Errorf("%s: %d statements, want %d", s.name, r.Statements, len(s.b.Statements))
			}
		}
	})
}

// TestImportBulkBusy: on PostgreSQL a bulk load that cannot lock the
// statement table within 2 s (another session reads it) is an ordinary
// import.
func TestImportBulkBusy(t *testing.T) {
	d := dialects[1]
	target := d.target(t)
	db := d.openAt(t, target)
	store.SetImportChunk(db, 10)
	raw, err := d.raw(target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	reader, err := raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var n int
	if err := reader.QueryRowContext(t.Context(), `SELECT count(*) FROM statements`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	r, err := db.Import(context.WithoutCancel(t.Context()), storetest.SyntheticBatch("large", "1", 20, 3))
	if err != nil {
		t.Fatal(err)
	}
	if r.NAdded != 20 || store.BulkLoads(db) != 0 {
		t.Errorf("%d added, %d bulk loads; want 20, 0", r.NAdded, store.BulkLoads(db))
	}
}
