package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"concord"
)

// testScanEntities: ScanEntities gives the entities EachEntity gives, in id
// order, for every filter and query, and ranges of ids partition them.
func testScanEntities(t *testing.T, s concord.Store) {
	mustImport(t, s, SyntheticBatch("un", "1", 60, 3))
	mustImport(t, s, SyntheticBatch("ofac", "1", 40, 2))
	b := SyntheticBatch("un", "x", 5, 2)
	for i := range b.Statements { // another view of five UN entities, for one member only
		st := &b.Statements[i]
		st.Dataset, st.ContributedBy, st.Audience, st.Handling = "member-es", "es", concord.MemberAudience("es"), concord.TLPRed
		st.ID = ""
		*st = st.MakeID()
	}
	b.Dataset = "member-es"
	mustImport(t, s, b)
	scan := func(f concord.Filter, q concord.EntityQuery) []*concord.Entity {
		var out []*concord.Entity
		if err := s.ScanEntities(ctx(t), f, q, func(e *concord.Entity) error { out = append(out, e); return nil }); err != nil {
			t.Fatalf("ScanEntities: %v", err)
		}
		return out
	}
	ids := func(es []*concord.Entity) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, c := range scanCases() {
		t.Run(c.name, func(t *testing.T) {
			want := entities(t, s, c.f, c.q)
			slices.SortFunc(want, func(a, b *concord.Entity) int { return strings.Compare(a.ID, b.ID) })
			got := scan(c.f, c.q)
			if !reflect.DeepEqual(ids(got), ids(want)) {
				t.Fatalf("ids %v, want %v", ids(got), ids(want))
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("entity %s: %+v, want %+v", got[i].ID, got[i], want[i])
				}
			}
			// Three ranges cover the same entities, once each.
			all := ids(got)
			if len(all) < 3 {
				return
			}
			a, b := all[len(all)/3], all[2*len(all)/3]
			var parts []string
			for _, r := range [][2]string{{"", a}, {a, b}, {b, ""}} {
				q := c.q
				q.After, q.Until = r[0], r[1]
				parts = append(parts, ids(scan(c.f, q))...)
			}
			if !slices.Equal(parts, all) {
				t.Errorf("ranges give %v, want %v", parts, all)
			}
		})
	}
	testScanStatements(t, s)
	stop := fmt.Errorf("stop")
	if err := s.ScanEntities(ctx(t), concord.System, concord.EntityQuery{}, func(*concord.Entity) error { return stop }); err != stop {
		t.Errorf("ScanEntities does not return fn's error: %v", err)
	}
}

// scanCase is one viewer and query of the scan tests.
type scanCase struct {
	name string
	f    concord.Filter
	q    concord.EntityQuery
}

// scanCases are the viewers and queries ScanEntities and ScanStatements are
// checked with: the system, a member, the public, and each kind of query.
func scanCases() []scanCase {
	public := concord.Filter{Member: "fr", Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}
	return []scanCase{
		{"system", concord.System, concord.EntityQuery{}},
		{"member", concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}, concord.EntityQuery{}},
		{"public", public, concord.EntityQuery{}},
		{"dataset", concord.System, concord.EntityQuery{Dataset: "ofac"}},
		{"schema", concord.System, concord.EntityQuery{Schemata: []string{"Organization"}}},
		{"props", concord.System, concord.EntityQuery{Props: []string{"alias"}}},
		{"ids", concord.System, concord.EntityQuery{IDs: []string{"un-000003", "ofac-000007", "nope"}}},
	}
}

// testScanStatements: ScanStatements gives, entity by entity in id order,
// the statements Statements gives each entity (those of q's props), and
// ranges of ids partition them.
func testScanStatements(t *testing.T, s concord.Store) {
	for _, c := range scanCases() {
		if len(c.q.Schemata) > 0 {
			continue // ScanStatements ignores q.Schemata
		}
		t.Run("statements/"+c.name, func(t *testing.T) {
			scan := func(q concord.EntityQuery) (ids []string, runs [][]concord.Statement) {
				err := s.ScanStatements(ctx(t), c.f, q, func(ss []concord.Statement) error {
					ids = append(ids, ss[0].EntityID)
					runs = append(runs, ss)
					return nil
				})
				if err != nil {
					t.Fatalf("ScanStatements: %v", err)
				}
				return ids, runs
			}
			var wantIDs []string
			for _, e := range entities(t, s, c.f, concord.EntityQuery{Dataset: c.q.Dataset, IDs: c.q.IDs}) {
				wantIDs = append(wantIDs, e.ID)
			}
			slices.Sort(wantIDs)
			ids, runs := scan(c.q)
			if !slices.Equal(ids, wantIDs) {
				t.Fatalf("ids %v, want %v", ids, wantIDs)
			}
			for i, id := range ids {
				all, err := s.Statements(ctx(t), c.f, id)
				if err != nil {
					t.Fatal(err)
				}
				var want []concord.Statement
				for _, st := range all {
					if (c.q.Dataset == "" || st.Dataset == c.q.Dataset) && (len(c.q.Props) == 0 || st.Prop == "id" || slices.Contains(c.q.Props, st.Prop)) {
						want = append(want, st)
					}
				}
				if !reflect.DeepEqual(runs[i], want) {
					t.Errorf("entity %s: %+v, want %+v", id, runs[i], want)
				}
			}
			if len(ids) < 3 {
				return
			}
			a, b := ids[len(ids)/3], ids[2*len(ids)/3]
			var parts []string
			for _, r := range [][2]string{{"", a}, {a, b}, {b, ""}} {
				q := c.q
				q.After, q.Until = r[0], r[1]
				got, _ := scan(q)
				parts = append(parts, got...)
			}
			if !slices.Equal(parts, ids) {
				t.Errorf("ranges give %v, want %v", parts, ids)
			}
		})
	}
	stop := fmt.Errorf("stop")
	if err := s.ScanStatements(ctx(t), concord.System, concord.EntityQuery{}, func([]concord.Statement) error { return stop }); err != stop {
		t.Errorf("ScanStatements does not return fn's error: %v", err)
	}
}
