package storetest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"concord"
)

var (
	rSchemata   = []string{"Thing", "LegalEntity", "Person", "Organization", "Company"}
	rProps      = []string{"name", "alias", "country", "notes", "id"}
	rAudiences  = []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, "member:es", "member:us", "group:tf-syria", "group:ttwg"}
	rMembers    = []string{"", "es", "us", "uz"}
	rDatasets   = []string{"d1", "d2", "d3"}
	rBaseTime   = time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	rEntityPool = 14
)

func randStatement(r *rand.Rand, dataset string) concord.Statement {
	s := concord.Statement{
		EntityID:      fmt.Sprintf("e%02d", r.IntN(rEntityPool)),
		Schema:        rSchemata[r.IntN(len(rSchemata))],
		Prop:          rProps[r.IntN(len(rProps))],
		Value:         fmt.Sprintf("v%d", r.IntN(6)),
		Dataset:       dataset,
		SourceRef:     fmt.Sprintf("%s:%d", dataset, r.IntN(3)),
		ContributedBy: rMembers[r.IntN(len(rMembers))],
	}
	randShare(r, &s)
	if r.IntN(3) == 0 {
		s.Lang = "ara"
	}
	if r.IntN(4) == 0 {
		s.FirstSeen = rBaseTime.Add(time.Duration(r.Int64N(1e13)) * time.Microsecond)
		s.LastSeen = s.FirstSeen.Add(time.Duration(r.IntN(1000)) * time.Hour)
	}
	return s.MakeID()
}

func randShare(r *rand.Rand, s *concord.Statement) {
	s.Audience = rAudiences[r.IntN(len(rAudiences))]
	s.Handling = concord.TLPs[r.IntN(len(concord.TLPs))]
}

func randFilter(r *rand.Rand) concord.Filter {
	f := concord.Filter{All: r.IntN(8) == 0, IncludeRetracted: r.IntN(4) == 0, Member: rMembers[r.IntN(len(rMembers))]}
	for _, a := range rAudiences {
		if r.IntN(2) == 0 {
			f.Audiences = append(f.Audiences, a)
		}
	}
	for _, h := range concord.TLPs {
		if r.IntN(2) == 0 {
			f.Handlings = append(f.Handlings, h)
		}
	}
	return f
}

// model is what the store should hold after a series of imports.
type model struct {
	order []string                     // statement ids in insertion order
	byID  map[string]concord.Statement // latest version (retracted flag included)
}

func (m *model) apply(b *concord.ImportBatch) {
	in := map[string]bool{}
	for _, s := range b.Statements {
		in[s.ID] = true
		if _, ok := m.byID[s.ID]; !ok {
			m.order = append(m.order, s.ID)
		}
		m.byID[s.ID] = s
	}
	if b.Partial {
		return
	}
	for id, s := range m.byID {
		if s.Dataset == b.Dataset && !in[id] {
			s.Retracted = true
			m.byID[id] = s
		}
	}
}

// testVisibility imports random statements with random audiences, handlings
// and contributors (then newer versions that retract, revive and re-share
// some), and checks every read under random filters against concord.Assemble
// over the statements concord.Filter.Allows keeps.
func testVisibility(t *testing.T, s concord.Store) {
	r := rand.New(rand.NewPCG(7, 11))
	m := &model{byID: map[string]concord.Statement{}}
	imp := func(b *concord.ImportBatch) {
		mustImport(t, s, b)
		m.apply(b)
	}
	var v1 = map[string][]concord.Statement{}
	for _, d := range rDatasets {
		b := &concord.ImportBatch{Dataset: d, Version: "1"}
		for range 40 {
			b.Statements = append(b.Statements, randStatement(r, d))
		}
		b.Statements = dedupe(b.Statements)
		v1[d] = b.Statements
		imp(b)
	}
	for i, d := range rDatasets {
		b := &concord.ImportBatch{Dataset: d, Version: "2", Partial: i == 2}
		for _, st := range v1[d] {
			if r.IntN(3) == 0 {
				continue // retracted (unless partial)
			}
			if r.IntN(5) == 0 {
				randShare(r, &st) // re-shared
			}
			b.Statements = append(b.Statements, st)
		}
		for range 15 {
			b.Statements = append(b.Statements, randStatement(r, d))
		}
		b.Statements = dedupe(b.Statements)
		imp(b)
	}
	// v3 of d1 brings back some of v1 (un-retraction).
	b := &concord.ImportBatch{Dataset: "d1", Version: "3"}
	for _, st := range v1["d1"] {
		if r.IntN(2) == 0 {
			b.Statements = append(b.Statements, m.byID[st.ID])
		}
	}
	for i := range b.Statements {
		b.Statements[i].Retracted = false
	}
	imp(b)

	all := groundTruth(t, s, m)
	ids := entityIDs(all)
	for i := range 80 {
		f := randFilter(r)
		t.Run(fmt.Sprintf("filter%02d", i), func(t *testing.T) {
			checkFilter(t, s, f, all, append(ids, "e99"), r)
		})
	}
}

func dedupe(st []concord.Statement) []concord.Statement {
	seen := map[string]bool{}
	var out []concord.Statement
	for _, s := range st {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	return out
}

// groundTruth reads every statement back through the history filter and
// checks it against the model: ids, insertion order, retraction, sharing.
func groundTruth(t *testing.T, s concord.Store, m *model) []concord.Statement {
	t.Helper()
	var all []concord.Statement
	for i := range rEntityPool {
		st, err := s.Statements(ctx(t), everything, fmt.Sprintf("e%02d", i))
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, st...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Seq < all[j].Seq })
	if len(all) != len(m.order) {
		t.Fatalf("store holds %d statements, model %d", len(all), len(m.order))
	}
	for i, got := range all {
		want := m.byID[m.order[i]]
		if got.ID != want.ID {
			t.Fatalf("statement %d in seq order is %s, want %s (insertion order)", i, got.ID, want.ID)
		}
		if got.Retracted != want.Retracted || got.Audience != want.Audience || got.Handling != want.Handling ||
			got.EntityID != want.EntityID || got.Value != want.Value || got.ContributedBy != want.ContributedBy {
			t.Errorf("statement %s:\n got %+v\nwant %+v", got.ID, got, want)
		}
		if !want.FirstSeen.IsZero() && got.FirstSeen.After(want.FirstSeen) {
			t.Errorf("statement %s: first seen %v, batch said %v", got.ID, got.FirstSeen, want.FirstSeen)
		}
	}
	return all
}

func entityIDs(all []concord.Statement) []string {
	var ids []string
	for _, s := range all {
		if !slices.Contains(ids, s.EntityID) {
			ids = append(ids, s.EntityID)
		}
	}
	return ids
}

func allowed(f concord.Filter, all []concord.Statement, keep func(*concord.Statement) bool) []concord.Statement {
	var out []concord.Statement
	for i := range all {
		if f.Allows(&all[i]) && (keep == nil || keep(&all[i])) {
			out = append(out, all[i])
		}
	}
	return out
}

func checkFilter(t *testing.T, s concord.Store, f concord.Filter, all []concord.Statement, ids []string, r *rand.Rand) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("filter %+v", f)
		}
	})
	vis := allowed(f, all, nil)
	want := concord.Assemble(vis)
	byID := map[string]*concord.Entity{}
	counts := map[string]int{}
	for _, e := range want {
		byID[e.ID] = e
		counts[e.Schema]++
	}
	for _, id := range ids {
		got, err := s.Entity(ctx(t), f, id)
		if byID[id] == nil {
			wantCode(t, "Entity "+id, err, concord.ENOTFOUND)
		} else if err != nil || !reflect.DeepEqual(got, byID[id]) {
			t.Errorf("Entity %s:\n got %+v %v\nwant %+v", id, got, err, byID[id])
		}
		st, err := s.Statements(ctx(t), f, id)
		wantSt := allowed(f, all, func(s *concord.Statement) bool { return s.EntityID == id })
		if len(wantSt) == 0 {
			wantCode(t, "Statements "+id, err, concord.ENOTFOUND)
		} else if err != nil || !reflect.DeepEqual(st, wantSt) {
			t.Errorf("Statements %s: got %d %v, want %d", id, len(st), err, len(wantSt))
		}
	}
	gotCounts, err := s.Counts(ctx(t), f)
	if err != nil || len(gotCounts) != len(counts) || (len(counts) > 0 && !reflect.DeepEqual(gotCounts, counts)) {
		t.Errorf("Counts: got %v %v, want %v", gotCounts, err, counts)
	}
	sameEntities(t, "EachEntity", entities(t, s, f, concord.EntityQuery{}), want)

	d := rDatasets[r.IntN(len(rDatasets))]
	sch := []string{rSchemata[r.IntN(len(rSchemata))], rSchemata[r.IntN(len(rSchemata))]}
	pick := []string{ids[r.IntN(len(ids))], ids[r.IntN(len(ids))], "e99"}
	for _, q := range []concord.EntityQuery{{Dataset: d}, {Schemata: sch}, {IDs: pick}, {Dataset: d, Schemata: sch[:1]}} {
		keep := func(s *concord.Statement) bool {
			return (q.Dataset == "" || s.Dataset == q.Dataset) && (len(q.IDs) == 0 || slices.Contains(q.IDs, s.EntityID))
		}
		var wantQ []*concord.Entity
		for _, e := range concord.Assemble(allowed(f, all, keep)) {
			if len(q.Schemata) == 0 || slices.Contains(q.Schemata, e.Schema) {
				wantQ = append(wantQ, e)
			}
		}
		sameEntities(t, fmt.Sprintf("EachEntity %+v", q), entities(t, s, f, q), wantQ)
	}
	// Props narrows what each entity is assembled from, not which entities
	// are listed or their order.
	props := []string{rProps[r.IntN(len(rProps))]}
	q := concord.EntityQuery{Schemata: sch, Props: props}
	narrow := map[string]*concord.Entity{}
	for _, e := range concord.Assemble(allowed(f, all, func(s *concord.Statement) bool { return s.Prop == "id" || slices.Contains(props, s.Prop) })) {
		narrow[e.ID] = e
	}
	var wantP []*concord.Entity
	for _, e := range concord.Assemble(allowed(f, all, func(*concord.Statement) bool { return true })) {
		if n := narrow[e.ID]; n != nil && slices.Contains(sch, n.Schema) {
			wantP = append(wantP, n)
		}
	}
	sameEntities(t, fmt.Sprintf("EachEntity %+v", q), entities(t, s, f, q), wantP)
}

func sameEntities(t *testing.T, what string, got, want []*concord.Entity) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d entities, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: entity %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

// testReferencing: the records that link to an entity, as the reader sees
// them (a link in a hidden or retracted statement does not count).
func testReferencing(t *testing.T, s concord.Store) {
	pub := concord.Provenance{Dataset: "un", SourceRef: "un:1", Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	person := concord.NewEntity("p1", "Person")
	person.Add("name", "Abu Example")
	doc := concord.NewEntity("p1-doc", "Passport")
	doc.Add("number", "X1")
	doc.Add("holder", "p1")
	other := concord.NewEntity("p2-doc", "Passport")
	other.Add("holder", "p2")
	named := concord.NewEntity("n1", "Note") // names p1 in a text, not a link
	named.Add("notes", "p1")
	var stmts []concord.Statement
	for _, e := range []*concord.Entity{person, doc, other, named} {
		stmts = append(stmts, e.Statements(pub)...)
	}
	mustImport(t, s, &concord.ImportBatch{Dataset: "un", Version: "1", Statements: stmts})
	note := concord.NewEntity("es-note", "Note")
	note.Add("entity", "p1")
	note.Add("notes", "seen in Mosul")
	if err := s.Contribute(as(t, "ana", "es"), note.Statements(concord.Provenance{Dataset: "member-es", SourceRef: "es:1",
		ContributedBy: "es", Audience: "member:es", Handling: concord.TLPAmber})); err != nil {
		t.Fatal(err)
	}
	refs := func(f concord.Filter, id string) []string {
		t.Helper()
		var out []string
		if err := s.EachEntity(ctx(t), f, concord.EntityQuery{Referencing: id}, func(e *concord.Entity) error {
			out = append(out, e.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	public := concord.Filter{Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}
	es := concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic, "member:es"}, Handlings: concord.TLPs}
	if got := refs(public, "p1"); !slices.Equal(got, []string{"p1-doc"}) {
		t.Errorf("public links to p1: %v", got)
	}
	if got := refs(es, "p1"); !slices.Equal(got, []string{"p1-doc", "es-note"}) {
		t.Errorf("es's links to p1: %v", got)
	}
	if got := refs(public, "nobody"); len(got) != 0 {
		t.Errorf("links to nobody: %v", got)
	}
	var ids []string
	for _, st := range note.Statements(concord.Provenance{Dataset: "member-es", ContributedBy: "es"}) {
		if st.Prop == "entity" {
			ids = append(ids, st.ID)
		}
	}
	if err := s.Retract(as(t, "ana", "es"), "es", ids); err != nil {
		t.Fatal(err)
	}
	if got := refs(es, "p1"); !slices.Equal(got, []string{"p1-doc"}) {
		t.Errorf("es's links to p1 after retracting its link: %v", got)
	}
}
