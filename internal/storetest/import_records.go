package storetest

import (
	"reflect"
	"testing"

	"concord"
)

// testImportRecords checks the delta by list record (source ref): a record
// comes and goes with its listed entity, and changes with any of its
// entities; every record of a new dataset is added.
func testImportRecords(t *testing.T, s concord.Store) {
	st := func(ref, entity, schema, prop, value string) concord.Statement {
		x := Stmt("l", entity, schema, prop, value)
		x.SourceRef = ref
		return x
	}
	p1, d1 := st("l:1", "P1", "Person", "name", "First Person"), st("l:1", "D1", "Passport", "number", "X1")
	p2 := st("l:2", "P2", "Person", "name", "Second Person")
	d3 := st("l:3", "D3", "Passport", "number", "X3") // a record without a listed entity
	p4, d4 := st("l:4", "P4", "Person", "name", "Fourth Person"), st("l:4", "D4", "Passport", "number", "X4")
	imp := func(version string, stmts ...concord.Statement) *concord.RecordDelta {
		b := batch("l", version, stmts...)
		b.Listed = []string{"Person"}
		return &mustImport(t, s, b).Records
	}
	want := func(what string, got *concord.RecordDelta, records int, added, changed, removed []string) {
		t.Helper()
		w := concord.RecordDelta{Records: records, Added: added, Changed: changed, Removed: removed,
			NAdded: len(added), NChanged: len(changed), NRemoved: len(removed)}
		for _, l := range []*[]string{&w.Added, &w.Changed, &w.Removed} {
			if *l == nil {
				*l = []string{}
			}
		}
		if !reflect.DeepEqual(*got, w) {
			t.Errorf("%s: records %+v, want %+v", what, *got, w)
		}
	}
	want("v1", imp("v1", p1, d1, p2, d3, p4, d4), 4, []string{"l:1", "l:2", "l:3", "l:4"}, nil, nil)
	want("v1 again", imp("v1", p1, d1, p2, d3, p4, d4), 4, nil, nil, nil)
	// v2: l:1's passport changes, l:2 goes, l:4 loses its passport and its
	// person gains an alias, l:5 comes.
	d1b := st("l:1", "D1", "Passport", "number", "X1-B")
	p4b := st("l:4", "P4", "Person", "alias", "Fourth")
	p5 := st("l:5", "P5", "Person", "name", "Fifth Person")
	want("v2", imp("v2", p1, d1b, d3, p4, p4b, p5), 4, []string{"l:5"}, []string{"l:1", "l:4"}, []string{"l:2"})
	// v3: the passport-only record goes: without a listed entity it goes
	// with its last entity.
	want("v3", imp("v3", p1, d1b, p4, p4b, p5), 3, nil, nil, []string{"l:3"})
	// v4: it comes back with a second passport, then loses one of them
	// (changed), then its other passport changes and a new one comes while
	// the first stays as it was (changed: an entity of it is unchanged).
	d3b := st("l:3", "D3b", "Passport", "number", "X3-B")
	want("v4", imp("v4", p1, d1b, p4, p4b, p5, d3, d3b), 4, []string{"l:3"}, nil, nil)
	want("v5", imp("v5", p1, d1b, p4, p4b, p5, d3), 4, nil, []string{"l:3"}, nil)
	d3c := st("l:3", "D3c", "Passport", "number", "X3-C")
	want("v6", imp("v6", p1, d1b, p4, p4b, p5, d3, d3c), 4, nil, []string{"l:3"}, nil)
	// v7: all of it goes.
	want("v7", imp("v7", p1, d1b, p4, p4b, p5), 3, nil, nil, []string{"l:3"})
}
