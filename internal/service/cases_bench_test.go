package service

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/store"
)

// benchClock is a settable clock.
type benchClock struct{ t time.Time }

func (c *benchClock) Now() time.Time { return c.t }

// benchCases opens a SQLite store in a temporary directory with n family
// cases recorded by Spain (a French mother and her son, born in 2015, at
// one of four camps and prisons), every other one closed; it returns the
// service and the Spanish analyst, a lead of the Syria and Iraq task force.
func benchCases(b *testing.B, n int) (*Service, access.Viewer, *benchClock) {
	b.Helper()
	ctx := context.Background()
	clock := &benchClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db, err := store.OpenSQLite(ctx, b.TempDir(), clock)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.LoadCoalition(ctx, &concord.Coalition{Name: "bench",
		Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}, {ID: "fr", Country: "FR", Name: "France"},
			{ID: "iq", Country: "IQ", Name: "Iraq"}, {ID: "sec", Kind: "organisation", Name: "Coalition secretariat"}},
		Groups: []concord.Group{{ID: "syria-iraq", Name: "Syria and Iraq task force", Kind: concord.GroupTaskForce,
			Members: []string{"es", "fr", "iq"}, Leads: []string{"es"}}},
	}); err != nil {
		b.Fatal(err)
	}
	s := &Service{Store: db, Clock: clock}
	v := access.Viewer{User: "es-analyst", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, Groups: []string{"syria-iraq"}}
	places := []string{"al-Hol camp", "al-Roj camp", "Ghwayran prison", "al-Sina'a prison"}
	nats := []string{"fr", "iq", "de", "tn", "ma"}
	for i := range n {
		nat := nats[i%len(nats)]
		cv, err := s.CreateCase(ctx, v, NewCase{Location: places[i%len(places)], LocationType: "camp", Custodian: "SDF", HeldSince: "2019-03",
			Identified: "2026-01-05", Audience: "member:es", Handling: string(concord.TLPAmber),
			Persons: []NewPerson{
				{Names: []string{fmt.Sprintf("Amina Quraishi %d", i)}, BirthDate: "1994-03-02", Gender: "female", Nationality: []string{nat}, Passports: []string{fmt.Sprintf("19AB%05d", i)}},
				{Names: []string{fmt.Sprintf("Yusuf Quraishi %d", i)}, BirthDate: "2015-06", Nationality: []string{nat}},
			},
			Kinship: []NewKinship{{Person: 0, Relative: 1, Relationship: "child"}}})
		if err != nil {
			b.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := s.SetCaseStatus(ctx, v, cv.ID, concord.CaseClosed, "repatriated"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s, v, clock
}

// BenchmarkCases reads n cases as their originator: the list's first page,
// statistics by nationality and the export.
func BenchmarkCases(b *testing.B) {
	for _, n := range []int{1000} {
		s, v, _ := benchCases(b, n)
		ctx := context.Background()
		b.Run(fmt.Sprintf("list/%d", n), func(b *testing.B) {
			for b.Loop() {
				if cs, err := s.Cases(ctx, v, CaseQuery{Limit: 50}); err != nil || len(cs) != 50 {
					b.Fatal(len(cs), err)
				}
			}
		})
		b.Run(fmt.Sprintf("stats/%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CaseStats(ctx, v, "nationality"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("export/%d", n), func(b *testing.B) {
			for b.Loop() {
				err := s.ExportCases(ctx, v, "benchmark", func(e *concord.Entity) error { _, err := fmt.Fprintln(io.Discard, e.ID); return err },
					func(*concord.WorkflowEvent) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRetention is one run of the retention job over n cases of which
// half are closed and due: each run starts from a new store, so it is
// meant for -benchtime 1x (a later iteration would find nothing due).
func BenchmarkRetention(b *testing.B) {
	for _, n := range []int{1000} {
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			s, _, clock := benchCases(b, n)
			ctx := context.Background()
			sec := access.Viewer{User: "sec", Member: "sec", Roles: []concord.Role{concord.RoleSecretariat}}
			if err := s.SetRetention(ctx, sec, concord.RetentionPolicy{Member: "es", Kind: concord.KindCase, Months: 12}); err != nil {
				b.Fatal(err)
			}
			at := clock.t.AddDate(1, 0, 0)
			b.ResetTimer()
			for i := range b.N {
				rep, err := s.RunRetention(ctx, at)
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 && len(rep.Depersonalised) != n/2 {
					b.Fatalf("depersonalised %d of %d, kept %v", len(rep.Depersonalised), n/2, rep.Kept)
				}
			}
		})
	}
}
