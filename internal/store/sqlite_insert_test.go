package store

import (
	"testing"
	"time"
)

// TestShape: which columns of a group of rows sqliteInsert binds once.
func TestShape(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]any
		want string
	}{
		{"one row binds every value", [][]any{{int64(1), "a", true}}, "rrr"},
		{"shared and per row", [][]any{{int64(7), "a", "x", false}, {int64(7), "b", "x", false}}, "srss"},
		{"a sequence", [][]any{{int64(5), "a"}, {int64(6), "a"}, {int64(7), "a"}}, "ns"},
		{"a gap is no sequence", [][]any{{int64(5), "a"}, {int64(7), "a"}}, "rs"},
		{"types differ", [][]any{{"1", int64(1)}, {int64(1), "1"}}, "rr"},
		{"nil and blobs are bound per row", [][]any{{nil, []byte("a")}, {nil, []byte("a")}}, "rr"},
		{"the last row differs", [][]any{{"a", true}, {"a", true}, {"b", false}}, "rr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var vals []any
			for _, r := range tc.rows {
				vals = append(vals, r...)
			}
			modes := make([]byte, len(tc.rows[0]))
			shape(modes, vals, len(tc.rows))
			if string(modes) != tc.want {
				t.Errorf("shape = %q, want %q", modes, tc.want)
			}
		})
	}
}

// TestSharedInsert: the statement puts the shared columns first, numbered,
// and each row's own values after them, anonymous.
func TestSharedInsert(t *testing.T) {
	got := sharedInsert("t", []string{"seq", "id", "ds", "v"}, "ON CONFLICT (id) DO NOTHING", []byte("nrsr"), 2)
	want := `INSERT INTO t (seq, ds, id, v) VALUES (?1+1,?2,?,?),(?1+2,?2,?,?) ON CONFLICT (id) DO NOTHING`
	if got != want {
		t.Errorf("sharedInsert =\n%s\nwant\n%s", got, want)
	}
	if got := sharedInsert("t", []string{"a", "b"}, "", []byte("rr"), 1); got != `INSERT INTO t (a, b) VALUES (?,?)` {
		t.Errorf("sharedInsert without shared columns = %s", got)
	}
}

// TestSQLiteInsert: rows written through shared, sequence and per-row
// parameters (groups of every shape, a partial last group, times and ints
// converted) read back as they were given, and an upsert counts its rows.
func TestSQLiteInsert(t *testing.T) {
	db, err := OpenSQLite(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	when := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	const n = sqliteGroup*2 + 7
	row := func(i int, vals []any) []any {
		seq := int64(100 + i)
		if i >= sqliteGroup*2 {
			seq = int64(100 + 3*i) // no sequence in the last group
		}
		kind := "same"
		if i >= sqliteGroup && i < sqliteGroup*2 {
			kind = []string{"odd", "even"}[i%2]
		}
		return append(vals, seq, "id"+itoa(int64(i)), kind, when, i%3)
	}
	err = db.write(t.Context(), func(t2 *tx) error {
		if _, err := t2.ExecContext(t.Context(), `CREATE TABLE ins (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, kind TEXT, at INTEGER, k INTEGER)`); err != nil {
			return err
		}
		cols := []string{"seq", "id", "kind", "at", "k"}
		got, err := sqliteInsert(t.Context(), t2, "ins", cols, "", n, row)
		if err != nil || got != n {
			t.Fatalf("inserted %d rows (%v), want %d", got, err, n)
		}
		again, err := sqliteInsert(t.Context(), t2, "ins", cols, "ON CONFLICT (id) DO UPDATE SET k = excluded.k + 1", 3, row)
		if err != nil || again != 3 {
			t.Fatalf("upserted %d rows (%v), want 3", again, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.w.QueryContext(t.Context(), `SELECT seq, id, kind, at, k FROM ins ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string][]any{}
	for i := range n {
		v := row(i, nil)
		k := v[4].(int)
		if i < 3 {
			k++
		}
		want[v[1].(string)] = []any{v[0], v[2], micros(when), int64(k)}
	}
	count := 0
	for rows.Next() {
		var seq, at, k int64
		var id, kind string
		if err := rows.Scan(&seq, &id, &kind, &at, &k); err != nil {
			t.Fatal(err)
		}
		count++
		w := want[id]
		if w == nil || w[0] != seq || w[1] != kind || w[2] != at || w[3] != k {
			t.Errorf("row %s = %d %s %d %d, want %v", id, seq, kind, at, k, w)
		}
	}
	if err := rows.Err(); err != nil || count != n {
		t.Errorf("read %d rows (%v), want %d", count, err, n)
	}
}
