package storetest

import (
	"fmt"
	"testing"
	"time"

	"concord"
)

// firstImport is a new dataset's batch of n entities with two statements
// each, larger than what the store held before: written in small chunks
// (TestImportChunks) it is a bulk load.
func firstImport(dataset string, n int) *concord.ImportBatch {
	b := batch(dataset, "1")
	for i := range n {
		id := fmt.Sprintf("%s-%03d", dataset, i)
		b.Statements = append(b.Statements, Stmt(dataset, id, "Person", "name", "Name "+id), Stmt(dataset, id, "Person", "nationality", "iq"))
	}
	return b
}

// testImportRepeats: a new dataset's batch that states a statement twice,
// far apart, stores it once, as the first time with the widest first and
// last seen and the provenance of the last time, whatever the chunks of
// the import; the report counts it once; imported again, nothing is added
// or removed and last seen moves.
func testImportRepeats(t *testing.T, s concord.Store) {
	mustImport(t, s, batch("un", "1", Stmt("un", "X", "Person", "name", "Before")))
	b := firstImport("list", 40)
	early, late := b.Statements[1], b.Statements[1]
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	early.FirstSeen, early.LastSeen = day(5), day(6)
	late.FirstSeen, late.LastSeen, late.SourceRef, late.Handling = day(3), day(4), "list:moved", concord.TLPGreen
	b.Statements[1] = early
	b.Statements = append(b.Statements, late)
	r := mustImport(t, s, b)
	if r.Statements != 80 || r.Entities != 40 || r.NAdded != 40 || r.Records.NAdded != 40 {
		t.Errorf("report: %d statements, %d entities, %d added, %d records added; want 80, 40, 40, 40",
			r.Statements, r.Entities, r.NAdded, r.Records.NAdded)
	}
	st, err := s.Statements(ctx(t), everything, early.EntityID)
	if err != nil {
		t.Fatal(err)
	}
	var got []concord.Statement
	for _, x := range st {
		if x.ID == early.ID {
			got = append(got, x)
		}
	}
	if len(got) != 1 {
		t.Fatalf("the repeated statement is stored %d times: %+v", len(got), got)
	}
	if g := got[0]; !g.FirstSeen.Equal(day(3)) || !g.LastSeen.Equal(day(6)) || g.SourceRef != "list:moved" || g.Handling != concord.TLPGreen {
		t.Errorf("repeated statement stored as %+v, want seen 3–6 January, source list:moved, GREEN", g)
	}
	before := snapshot(t, s, "X", early.EntityID)
	b.Version = "2"
	r = mustImport(t, s, b)
	// Nothing changed either, whatever the chunks: the repeat's first time
	// refreshes its provenance and its last time sets it back.
	if r.NAdded+r.NChanged+r.NRemoved+r.Retracted != 0 || r.Records.NChanged != 0 || r.Statements != 80 {
		t.Errorf("imported again: %+v", r)
	}
	if got := snapshot(t, s, "X", early.EntityID); got == before {
		t.Errorf("imported again, last seen did not move:\n%s", got)
	}
}

// testImportFirstConflict: a new dataset's batch that gives one of its
// statements (its last) the id of another dataset's statement is refused
// and changes nothing, however it is written; the store takes it without.
func testImportFirstConflict(t *testing.T, s concord.Store) {
	taken := Stmt("un", "X", "Person", "name", "Taken")
	mustImport(t, s, batch("un", "1", taken))
	want := snapshot(t, s, "X", "list-000", "list-039")
	b := firstImport("list", 40)
	forged := Stmt("list", "list-039", "Person", "alias", "Forged")
	forged.ID = taken.ID
	_, err := s.Import(ctx(t), batch("list", "1", append(b.Statements, forged)...))
	wantCode(t, "id of another dataset", err, concord.ECONFLICT)
	if got := snapshot(t, s, "X", "list-000", "list-039"); got != want {
		t.Errorf("failed import changed the store:\n%s\nwant\n%s", got, want)
	}
	bad := firstImport("list", 40)
	bad.Statements = append(bad.Statements, concord.Statement{Schema: "Person", Prop: "name", Value: "no entity"})
	_, err = s.Import(ctx(t), bad)
	wantCode(t, "bad last statement", err, concord.EINVALID)
	if got := snapshot(t, s, "X", "list-000", "list-039"); got != want {
		t.Errorf("failed import changed the store:\n%s\nwant\n%s", got, want)
	}
	r := mustImport(t, s, firstImport("list", 40))
	if r.NAdded != 40 || r.Statements != 80 {
		t.Errorf("import after the refusals: %+v", r)
	}
	if _, err := s.Import(ctx(t), batch("list", "2", forged)); concord.ErrorCode(err) != concord.ECONFLICT {
		t.Errorf("forged id after the refusals: %v, want a conflict", err)
	}
}
