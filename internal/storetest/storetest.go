// Package storetest is the conformance suite every concord.Store runs
// (internal/store, on SQLite and on PostgreSQL): import deltas and history,
// transactional failure, visibility compiled into storage compared with the
// reference concord.Filter.Allows and concord.Assemble on random data,
// coalition CRUD, not-found errors and reads during an import.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
)

// Run runs the suite. open returns a new, empty store for each subtest and
// registers its Close with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) concord.Store) {
	RunImport(t, open)
	RunImportLarge(t, open)
	t.Run("Visibility", func(t *testing.T) { testVisibility(t, open(t)) })
	t.Run("Referencing", func(t *testing.T) { testReferencing(t, open(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, open(t)) })
	t.Run("Coalition", func(t *testing.T) { testCoalition(t, open(t)) })
	t.Run("LoadCoalition", func(t *testing.T) { testLoadCoalition(t, open(t)) })
	t.Run("ConcurrentReads", func(t *testing.T) { testConcurrentReads(t, open(t)) })
	t.Run("ConcurrentImports", func(t *testing.T) { testConcurrentImports(t, open(t)) })
	t.Run("ScanEntities", func(t *testing.T) { testScanEntities(t, open(t)) })
}

// Clock is a test clock that advances by one second (plus a microsecond, so
// precision shows) on every reading.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock starting on 2026-02-01 at noon UTC.
func NewClock() *Clock {
	return &Clock{t: time.Date(2026, 2, 1, 12, 0, 0, 123456000, time.UTC)}
}

// Now returns the next instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second + time.Microsecond)
	return c.t
}

// Stmt builds a public CLEAR statement of the given dataset with its id set.
func Stmt(dataset, entity, schema, prop, value string) concord.Statement {
	return concord.Statement{
		EntityID: entity, Schema: schema, Prop: prop, Value: value, Dataset: dataset,
		SourceRef: dataset + ":" + entity, Audience: concord.AudiencePublic, Handling: concord.TLPClear,
	}.MakeID()
}

// SyntheticBatch returns a complete batch of n entities with per statements
// each (an "id" statement and names), like a sanctions list.
func SyntheticBatch(dataset, version string, n, per int) *concord.ImportBatch {
	b := &concord.ImportBatch{Dataset: dataset, Version: version, Source: "synthetic"}
	b.Statements = make([]concord.Statement, 0, n*per)
	for i := range n {
		id := fmt.Sprintf("%s-%06d", dataset, i)
		schema := "Person"
		if i%4 == 0 {
			schema = "Organization"
		}
		b.Statements = append(b.Statements, Stmt(dataset, id, schema, "id", id))
		for j := 1; j < per; j++ {
			b.Statements = append(b.Statements, Stmt(dataset, id, schema, "alias", fmt.Sprintf("Name %d of %s %s", j, id, version)))
		}
	}
	return b
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustImport(t *testing.T, s concord.Store, b *concord.ImportBatch) *concord.ImportReport {
	t.Helper()
	r, err := s.Import(ctx(t), b)
	if err != nil {
		t.Fatalf("import %s %s: %v", b.Dataset, b.Version, err)
	}
	return r
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := concord.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantReport(t *testing.T, r *concord.ImportReport, added, changed, removed []string) {
	t.Helper()
	norm := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	if !reflect.DeepEqual(norm(r.Added), norm(added)) || !reflect.DeepEqual(norm(r.Changed), norm(changed)) ||
		!reflect.DeepEqual(norm(r.Removed), norm(removed)) {
		t.Errorf("%s %s: report added %v changed %v removed %v, want %v %v %v",
			r.Dataset, r.Version, r.Added, r.Changed, r.Removed, added, changed, removed)
	}
}

// RunImport runs the import tests of Run but the large one alone (a store
// that writes imports in smaller chunks runs them again).
func RunImport(t *testing.T, open func(t *testing.T) concord.Store) {
	t.Run("ImportDelta", func(t *testing.T) { testImportDelta(t, open(t)) })
	t.Run("ImportRecords", func(t *testing.T) { testImportRecords(t, open(t)) })
	t.Run("ImportPartial", func(t *testing.T) { testImportPartial(t, open(t)) })
	t.Run("ImportDetails", func(t *testing.T) { testImportDetails(t, open(t)) })
	t.Run("ImportKeepsBatch", func(t *testing.T) { testImportKeepsBatch(t, open(t)) })
	t.Run("ImportInvalid", func(t *testing.T) { testImportInvalid(t, open(t)) })
	t.Run("ImportRollback", func(t *testing.T) { testImportRollback(t, open(t)) })
	t.Run("ImportCheck", func(t *testing.T) { testImportCheck(t, open(t)) })
	t.Run("ImportRepeats", func(t *testing.T) { testImportRepeats(t, open(t)) })
	t.Run("ImportFirstConflict", func(t *testing.T) { testImportFirstConflict(t, open(t)) })
}

// RunImportLarge runs the import test of 4,000 entities (20,000 statements).
func RunImportLarge(t *testing.T, open func(t *testing.T) concord.Store) {
	t.Run("ImportLarge", func(t *testing.T) { testImportLarge(t, open(t)) })
}

// everything is the filter of history views: all statements, retracted too.
var everything = concord.Filter{All: true, IncludeRetracted: true}

// snapshot is every observable piece of store state about the given
// entities, to check that a failed import changed nothing.
func snapshot(t *testing.T, s concord.Store, ids ...string) string {
	t.Helper()
	var b strings.Builder
	counts, err := s.Counts(ctx(t), concord.System)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "count %s=%d\n", k, counts[k])
	}
	ds, err := s.Datasets(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		fmt.Fprintf(&b, "dataset %+v\n", d)
	}
	for _, id := range ids {
		st, err := s.Statements(ctx(t), everything, id)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			fmt.Fprintf(&b, "%s: none\n", id)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range st {
			fmt.Fprintf(&b, "%+v\n", x)
		}
	}
	return b.String()
}

// entities collects EachEntity's output.
func entities(t *testing.T, s concord.Store, f concord.Filter, q concord.EntityQuery) []*concord.Entity {
	t.Helper()
	var out []*concord.Entity
	if err := s.EachEntity(ctx(t), f, q, func(e *concord.Entity) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatalf("EachEntity: %v", err)
	}
	return out
}

func testNotFound(t *testing.T, s concord.Store) {
	mustImport(t, s, &concord.ImportBatch{Dataset: "member-es", Statements: []concord.Statement{{
		EntityID: "es-1", Schema: "Person", Prop: "name", Value: "Hidden Person",
		ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPRed,
	}}})
	other := concord.Filter{Member: "us", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition}, Handlings: concord.TLPs}
	_, errMissing := s.Entity(ctx(t), other, "nobody")
	_, errHidden := s.Entity(ctx(t), other, "es-1")
	wantCode(t, "missing entity", errMissing, concord.ENOTFOUND)
	wantCode(t, "hidden entity", errHidden, concord.ENOTFOUND)
	if concord.ErrorMessage(errMissing) != strings.ReplaceAll(concord.ErrorMessage(errHidden), "es-1", "nobody") {
		t.Errorf("missing and hidden differ: %q vs %q", concord.ErrorMessage(errMissing), concord.ErrorMessage(errHidden))
	}
	_, err := s.Statements(ctx(t), other, "es-1")
	wantCode(t, "hidden statements", err, concord.ENOTFOUND)
	if e, err := s.Entity(ctx(t), concord.Filter{Member: "es"}, "es-1"); err != nil || e.Caption() != "Hidden Person" {
		t.Errorf("originator: %v %v", e, err)
	}
	if c, err := s.Counts(ctx(t), other); err != nil || len(c) != 0 {
		t.Errorf("counts of hidden entity: %v %v", c, err)
	}
	if got := entities(t, s, other, concord.EntityQuery{}); len(got) != 0 {
		t.Errorf("EachEntity shows hidden entity: %v", got)
	}
	_, err = s.Member(ctx(t), "nobody")
	wantCode(t, "Member", err, concord.ENOTFOUND)
	_, err = s.Group(ctx(t), "nobody")
	wantCode(t, "Group", err, concord.ENOTFOUND)
	wantCode(t, "DeleteMember", s.DeleteMember(ctx(t), "nobody"), concord.ENOTFOUND)
	wantCode(t, "DeleteGroup", s.DeleteGroup(ctx(t), "nobody"), concord.ENOTFOUND)
	_, err = s.MemberGroups(ctx(t), "nobody")
	wantCode(t, "MemberGroups", err, concord.ENOTFOUND)
}

func testConcurrentReads(t *testing.T, s concord.Store) {
	mustImport(t, s, SyntheticBatch("base", "1", 300, 3))
	done := make(chan struct{})
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				c, err := s.Counts(ctx(t), concord.System)
				if err != nil {
					errs <- err
					return
				}
				if c["Person"] != 225 && c["Person"] != 225+1500 {
					errs <- fmt.Errorf("counts during import: %v (a partial import is visible)", c)
					return
				}
				if _, err := s.Entity(ctx(t), concord.System, "base-000001"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	mustImport(t, s, SyntheticBatch("big", "1", 2000, 5))
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c, _ := s.Counts(ctx(t), concord.System); c["Person"] != 1725 || c["Organization"] != 575 {
		t.Errorf("counts after import: %v", c)
	}
}

func testConcurrentImports(t *testing.T, s concord.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Go(func() {
			_, err := s.Import(ctx(t), SyntheticBatch(fmt.Sprintf("d%d", i), "1", 200, 3))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c, _ := s.Counts(ctx(t), concord.System); c["Person"] != 4*150 {
		t.Errorf("counts after concurrent imports: %v", c)
	}
}

func testImportLarge(t *testing.T, s concord.Store) {
	n := 4000
	if testing.Short() {
		n = 1000
	}
	b := SyntheticBatch("large", "1", n, 5)
	start := time.Now()
	r := mustImport(t, s, b)
	t.Logf("import of %d statements: %v", len(b.Statements), time.Since(start))
	if r.Entities != n || len(r.Added) != n || r.Statements != 5*n {
		t.Errorf("report: %d entities, %d added, %d statements", r.Entities, len(r.Added), r.Statements)
	}
	start = time.Now()
	r = mustImport(t, s, SyntheticBatch("large", "2", n, 5))
	t.Logf("re-import with changes: %v", time.Since(start))
	if len(r.Changed) != n {
		t.Errorf("re-import changed %d, want %d", len(r.Changed), n)
	}
	seen := 0
	err := s.EachEntity(ctx(t), concord.System, concord.EntityQuery{}, func(e *concord.Entity) error {
		if want := fmt.Sprintf("large-%06d", seen); e.ID != want || len(e.Properties["alias"]) != 4 {
			return fmt.Errorf("entity %d: %s with %v, want %s", seen, e.ID, e.Properties, want)
		}
		seen++
		return nil
	})
	if err != nil || seen != n {
		t.Errorf("EachEntity: %d entities, %v", seen, err)
	}
	stop := errors.New("stop")
	if err := s.EachEntity(ctx(t), concord.System, concord.EntityQuery{}, func(*concord.Entity) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachEntity does not return fn's error: %v", err)
	}
}

// BenchImport measures imports of a list the size of OFAC's (20k entities,
// 100k statements) into a fresh store: the first import, the re-import of the
// same version (no change), and a new version in which every entity changed.
func BenchImport(b *testing.B, open func(b *testing.B) concord.Store) {
	v1 := SyntheticBatch("ofac", "1", 20000, 5)
	v2 := SyntheticBatch("ofac", "2", 20000, 5)
	steps := []struct {
		name  string
		setup []*concord.ImportBatch
		batch *concord.ImportBatch
	}{
		{"first", nil, v1},
		{"same", []*concord.ImportBatch{v1}, v1},
		{"changed", []*concord.ImportBatch{v1}, v2},
	}
	for _, st := range steps {
		b.Run(st.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := open(b)
				for _, x := range st.setup {
					if _, err := s.Import(b.Context(), x); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if _, err := s.Import(b.Context(), st.batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(st.batch.Statements)), "statements/op")
		})
	}
}
