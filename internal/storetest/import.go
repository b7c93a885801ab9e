package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"concord"
)

func batch(dataset, version string, stmts ...concord.Statement) *concord.ImportBatch {
	return &concord.ImportBatch{Dataset: dataset, Version: version, Source: dataset + "-" + version + ".xml", Statements: stmts}
}

func testImportDelta(t *testing.T, s concord.Store) {
	a1 := Stmt("un", "A", "Person", "id", "A")
	a2 := Stmt("un", "A", "Person", "name", "Abu Example")
	a3 := Stmt("un", "A", "Person", "alias", "Abou Example")
	b1 := Stmt("un", "B", "Organization", "name", "Example Front")
	c1 := Stmt("un", "C", "Person", "name", "Third Person")

	r := mustImport(t, s, batch("un", "v1", a1, a2, b1))
	wantReport(t, r, []string{"A", "B"}, nil, nil)
	if r.Entities != 2 || r.Statements != 3 || r.BySchema["Person"] != 1 || r.BySchema["Organization"] != 1 || r.Version != "v1" || r.Dataset != "un" {
		t.Errorf("v1 report: %+v", r)
	}
	before, err := s.Statements(ctx(t), concord.System, "A")
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 2 || !before[0].FirstSeen.Equal(before[0].LastSeen) || before[0].FirstSeen.IsZero() || before[0].Seq >= before[1].Seq {
		t.Errorf("v1 statements: %+v", before)
	}
	ds, err := s.Datasets(ctx(t))
	if err != nil || len(ds) != 1 || ds[0].Name != "un" || ds[0].Version != "v1" || ds[0].Source != "un-v1.xml" || ds[0].ImportedAt.IsZero() {
		t.Errorf("datasets: %+v %v", ds, err)
	}

	r = mustImport(t, s, batch("un", "v1", a1, a2, b1))
	if !r.Unchanged() {
		t.Errorf("re-import of the same batch: %+v", r)
	}
	after, _ := s.Statements(ctx(t), concord.System, "A")
	for i := range after {
		if after[i].Seq != before[i].Seq || !after[i].FirstSeen.Equal(before[i].FirstSeen) || after[i].LastSeen.Before(before[i].LastSeen) {
			t.Errorf("refresh: %+v after %+v", after[i], before[i])
		}
	}

	// v2: A gains an alias, B leaves the list, C joins it.
	r = mustImport(t, s, batch("un", "v2", a1, a2, a3, c1))
	wantReport(t, r, []string{"C"}, []string{"A"}, []string{"B"})
	if _, err := s.Entity(ctx(t), concord.System, "B"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("removed entity still visible: %v", err)
	}
	hist, err := s.Statements(ctx(t), everything, "B")
	if err != nil || len(hist) != 1 || !hist[0].Retracted || hist[0].Value != "Example Front" {
		t.Errorf("history of removed entity: %+v %v", hist, err)
	}
	if ds, _ := s.Datasets(ctx(t)); len(ds) != 1 || ds[0].Version != "v2" {
		t.Errorf("datasets after v2: %+v", ds)
	}

	// v3 = v1: B comes back (un-retracted, same statement), C goes, A loses the alias.
	r = mustImport(t, s, batch("un", "v3", a1, a2, b1))
	wantReport(t, r, []string{"B"}, []string{"A"}, []string{"C"})
	hist2, err := s.Statements(ctx(t), everything, "B")
	if err != nil || len(hist2) != 1 || hist2[0].Retracted || hist2[0].Seq != hist[0].Seq {
		t.Errorf("un-retracted statement: %+v %v", hist2, err)
	}
	e, err := s.Entity(ctx(t), concord.System, "A")
	if err != nil || !reflect.DeepEqual(e.Properties, map[string][]string{"name": {"Abu Example"}}) {
		t.Errorf("entity A after v3: %+v %v", e, err)
	}
	e, err = s.Entity(ctx(t), concord.Filter{All: true, IncludeRetracted: true}, "A")
	if err != nil || !reflect.DeepEqual(e.Properties["alias"], []string{"Abou Example"}) {
		t.Errorf("entity A with history: %+v %v", e, err)
	}

	// Another dataset is independent: importing it retracts nothing of "un".
	r = mustImport(t, s, batch("ofac", "1", Stmt("ofac", "A", "Person", "name", "ABU EXAMPLE")))
	wantReport(t, r, []string{"A"}, nil, nil)
	if c, _ := s.Counts(ctx(t), concord.System); c["Person"] != 1 || c["Organization"] != 1 {
		t.Errorf("counts: %v", c)
	}
	e, _ = s.Entity(ctx(t), concord.System, "A")
	if !slices.Equal(e.Properties["name"], []string{"Abu Example", "ABU EXAMPLE"}) || !slices.Equal(e.Datasets, []string{"un", "ofac"}) {
		t.Errorf("merged entity: %+v", e)
	}

	// An empty complete batch removes everything of the dataset.
	r = mustImport(t, s, batch("ofac", "2"))
	wantReport(t, r, nil, nil, []string{"A"})
}

func testImportPartial(t *testing.T, s concord.Store) {
	a := Stmt("ftm", "A", "Person", "name", "One")
	b := Stmt("ftm", "B", "Person", "name", "Two")
	mustImport(t, s, batch("ftm", "1", a))
	p := batch("ftm", "2", b)
	p.Partial = true
	r := mustImport(t, s, p)
	wantReport(t, r, []string{"B"}, nil, nil)
	p = batch("ftm", "3", a, Stmt("ftm", "A", "Person", "alias", "Uno"))
	p.Partial = true
	r = mustImport(t, s, p)
	wantReport(t, r, nil, []string{"A"}, nil)
	if c, _ := s.Counts(ctx(t), concord.System); c["Person"] != 2 {
		t.Errorf("partial import retracted: %v", c)
	}
}

// testImportKeepsBatch: the store reads the caller's batch and never
// modifies it (ids, datasets and timestamps it fills in are its own), and a
// re-import keeps the earliest first-seen and the latest last-seen.
func testImportKeepsBatch(t *testing.T, s concord.Store) {
	early := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	late := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	x := Stmt("", "K", "Person", "name", "Kept")
	x.ID = ""
	y := Stmt("", "K", "Person", "alias", "Keeper")
	y.ID, y.FirstSeen = "", early
	b := batch("ftm", "1", x, y, x)
	want := slices.Clone(b.Statements)
	mustImport(t, s, b)
	if !reflect.DeepEqual(b.Statements, want) {
		t.Errorf("import modified the batch:\n got %+v\nwant %+v", b.Statements, want)
	}
	y.FirstSeen, y.LastSeen = time.Time{}, late
	r := mustImport(t, s, batch("ftm", "2", x, y))
	wantReport(t, r, nil, nil, nil)
	st, err := s.Statements(ctx(t), concord.System, "K")
	if err != nil || len(st) != 2 {
		t.Fatalf("statements: %+v %v", st, err)
	}
	for _, got := range st {
		if got.Prop == "alias" && (!got.FirstSeen.Equal(early) || !got.LastSeen.Equal(late)) {
			t.Errorf("re-import: first/last seen %v %v, want %v %v", got.FirstSeen, got.LastSeen, early, late)
		}
		if got.Dataset != "ftm" || got.ID == "" {
			t.Errorf("stored statement %+v: want dataset ftm and an id", got)
		}
	}
}

func testImportDetails(t *testing.T, s concord.Store) {
	first := time.Date(2020, 1, 2, 3, 4, 5, 123456000, time.UTC)
	last := time.Date(2025, 6, 7, 8, 9, 10, 654321000, time.FixedZone("CET", 3600))
	x := Stmt("ftm", "E", "LegalEntity", "id", "E")
	x.FirstSeen, x.LastSeen = first, last
	y := Stmt("ftm", "E", "Person", "name", "Specific")
	y.Lang, y.ContributedBy, y.Audience, y.Handling = "ara", "es", concord.GroupAudience("tf-syria"), concord.TLPAmberStrict
	y = y.MakeID()
	z := Stmt("", "E", "LegalEntity", "name", "Generic") // dataset filled from the batch
	z.ID = ""
	r := mustImport(t, s, batch("ftm", "1", x, y, x, z, y))
	if r.Statements != 3 || r.Entities != 1 || r.BySchema["Person"] != 1 || len(r.BySchema) != 1 {
		t.Errorf("report with duplicates: %+v", r)
	}
	st, err := s.Statements(ctx(t), concord.System, "E")
	if err != nil || len(st) != 3 {
		t.Fatalf("statements: %+v %v", st, err)
	}
	if !st[0].FirstSeen.Equal(first) || st[0].FirstSeen.Location() != time.UTC || !st[0].LastSeen.Equal(last) || st[0].LastSeen.Location() != time.UTC {
		t.Errorf("batch times not kept exactly in UTC: %v %v", st[0].FirstSeen, st[0].LastSeen)
	}
	got := st[1]
	got.Seq, got.FirstSeen, got.LastSeen = 0, time.Time{}, time.Time{}
	want := y
	want.FirstSeen, want.LastSeen = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	zz := z
	zz.Dataset = "ftm"
	if st[2].ID != zz.MakeID().ID || st[2].Dataset != "ftm" {
		t.Errorf("id and dataset not filled: %+v", st[2])
	}
	e, _ := s.Entity(ctx(t), concord.System, "E")
	if e.Schema != "Person" || !e.FirstSeen.Equal(first) {
		t.Errorf("entity: %+v", e)
	}
	if c, _ := s.Counts(ctx(t), concord.System); !reflect.DeepEqual(c, map[string]int{"Person": 1}) {
		t.Errorf("counts: %v", c)
	}
	// A later batch that changes only the audience changes the entity.
	y2 := y
	y2.Audience = concord.AudienceCoalition
	r = mustImport(t, s, batch("ftm", "2", x, y2, z))
	wantReport(t, r, nil, []string{"E"}, nil)
	st, _ = s.Statements(ctx(t), concord.System, "E")
	if st[1].Audience != concord.AudienceCoalition || st[1].ID != y.ID {
		t.Errorf("audience not updated: %+v", st[1])
	}
}

func testImportInvalid(t *testing.T, s concord.Store) {
	good := Stmt("un", "A", "Person", "name", "Kept")
	mustImport(t, s, batch("un", "1", good))
	want := snapshot(t, s, "A", "B")
	mod := func(f func(*concord.Statement)) *concord.ImportBatch {
		b := Stmt("un", "B", "Person", "name", "New")
		f(&b)
		return batch("un", "2", Stmt("un", "B", "Person", "id", "B"), b)
	}
	cases := map[string]*concord.ImportBatch{
		"nil":                nil,
		"no dataset":         batch("", "1", good),
		"empty entity id":    mod(func(s *concord.Statement) { s.EntityID = "" }),
		"empty schema":       mod(func(s *concord.Statement) { s.Schema = "" }),
		"empty prop":         mod(func(s *concord.Statement) { s.Prop = "" }),
		"bad audience":       mod(func(s *concord.Statement) { s.Audience = "everyone" }),
		"empty audience":     mod(func(s *concord.Statement) { s.Audience = "" }),
		"bad handling":       mod(func(s *concord.Statement) { s.Handling = "tlp:amber" }),
		"other dataset":      mod(func(s *concord.Statement) { s.Dataset = "ofac" }),
		"retracted in batch": mod(func(s *concord.Statement) { s.Retracted = true }),
	}
	for name, b := range cases {
		_, err := s.Import(ctx(t), b)
		wantCode(t, name, err, concord.EINVALID)
		if got := snapshot(t, s, "A", "B"); got != want {
			t.Errorf("%s: store changed:\n%s\nwant\n%s", name, got, want)
		}
	}
}

// testImportRollback fails an import after it has written: a statement id
// already used by another dataset collides on insert, after the batch has
// refreshed and retracted statements. Nothing may remain of it.
func testImportRollback(t *testing.T, s concord.Store) {
	taken := Stmt("un", "X", "Person", "name", "Taken")
	mustImport(t, s, batch("un", "1", taken))
	b1, b2 := Stmt("ofac", "B", "Person", "name", "One"), Stmt("ofac", "B", "Person", "alias", "Two")
	mustImport(t, s, batch("ofac", "1", b1, b2))
	want := snapshot(t, s, "X", "B", "C")
	forged := Stmt("ofac", "C", "Person", "name", "Forged")
	forged.ID = taken.ID
	_, err := s.Import(ctx(t), batch("ofac", "2", b1, Stmt("ofac", "C", "Person", "id", "C"), forged))
	wantCode(t, "id of another dataset", err, concord.ECONFLICT)
	if got := snapshot(t, s, "X", "B", "C"); got != want {
		t.Errorf("failed import changed the store:\n%s\nwant\n%s", got, want)
	}
	// The store still works after the rollback.
	r := mustImport(t, s, batch("ofac", "2", b1))
	wantReport(t, r, nil, []string{"B"}, nil)
}

// testImportCheck: an import's Check sees the delta (entities and
// statements: live before, retracted) before anything is written; its error
// changes nothing, not even the audit.
func testImportCheck(t *testing.T, s concord.Store) {
	a1 := Stmt("ofac", "A", "Person", "id", "A")
	a2 := Stmt("ofac", "A", "Person", "name", "Abu Example")
	a3 := Stmt("ofac", "A", "Person", "alias", "Abou Example")
	a4 := Stmt("ofac", "A", "Person", "alias", "Abu Ex")
	b1 := Stmt("ofac", "B", "Person", "id", "B")
	b2 := Stmt("ofac", "B", "Person", "name", "Another Name")
	mustImport(t, s, batch("ofac", "v1", a1, a2, a3, a4, b1, b2))
	before := snapshot(t, s, "A", "B")
	audit := auditLen(t, s)
	var seen *concord.ImportReport
	refuse := concord.Errorf(concord.EINVALID, "too much retracted")
	b := batch("ofac", "v2", a1, a2, b1, b2) // the aliases are gone
	b.Check = func(r *concord.ImportReport) error { seen = r; return refuse }
	if _, err := s.Import(ctx(t), b); err != refuse {
		t.Fatalf("Import with a refusing Check: %v", err)
	}
	if seen == nil || seen.Live != 6 || seen.Retracted != 2 || len(seen.Changed) != 1 || len(seen.Added)+len(seen.Removed) != 0 {
		t.Errorf("report given to Check: %+v", seen)
	}
	if after := snapshot(t, s, "A", "B"); after != before {
		t.Errorf("a refused import changed the store:\n%s\n%s", before, after)
	}
	if n := auditLen(t, s); n != audit {
		t.Errorf("a refused import wrote %d audit rows", n-audit)
	}
	b.Check = func(*concord.ImportReport) error { return nil }
	if r := mustImport(t, s, b); r.Retracted != 2 || r.Live != 6 {
		t.Errorf("applied: %+v", r)
	}
}
