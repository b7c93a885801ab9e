package search_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/search"
	"concord/internal/seed"
	"concord/match"
)

const sharedLists = "../../../shared/data/lists"

// benchService is a service on SQLite with the UN list, OFAC's when
// ../shared is there, and member contributions: per member of es, fr and
// uz, 200 records for the coalition, 200 for its member alone and aliases
// on 100 listed persons; es also 200 for ttwg.
func benchService(b *testing.B) (lists, all *search.Service, qs []match.Query) {
	b.Helper()
	ctx := context.Background()
	f := newFixture(b, "sqlite")
	pub := concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	var names []string
	var ids []string
	load := func(ds string, read func(fn func(importer.Record) error) error) {
		var recs []importer.Record
		if err := read(func(r importer.Record) error {
			recs = append(recs, r)
			if m := r.Main(); m.First("name") != "" && (m.Schema == "Person" || m.Schema == "Organization") {
				names, ids = append(names, m.First("name")), append(ids, m.ID)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := f.db.Import(ctx, importer.Batch(ds, "1", ds, recs, pub)); err != nil {
			b.Fatal(err)
		}
	}
	load("un", func(fn func(importer.Record) error) error {
		_, err := unxml.Read(seed.UNList(), "un.xml", fn)
		return err
	})
	if _, err := os.Stat(sharedLists + "/ofac_sdn.csv"); err == nil {
		files, err := ofaccsv.FindFiles([]string{sharedLists + "/ofac_sdn.csv", sharedLists + "/ofac_alt.csv", sharedLists + "/ofac_add.csv"})
		if err != nil {
			b.Fatal(err)
		}
		load("ofac", func(fn func(importer.Record) error) error {
			_, err := ofaccsv.Read(files, fn)
			return err
		})
	}
	lists, err := search.New(ctx, f.db)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []string{"es", "fr", "uz"} {
		aud := []concord.Audience{concord.AudienceCoalition, concord.MemberAudience(m)}
		if m == "es" {
			aud = append(aud, concord.GroupAudience("ttwg"))
		}
		n := 0
		var stmts []concord.Statement
		for _, a := range aud {
			for i := range 200 {
				n++
				e := concord.NewEntity(fmt.Sprintf("m-%s-%d", m, n), "Person")
				e.Add("name", names[(n*7919+len(m))%len(names)]+" "+m)
				e.Add("birthDate", fmt.Sprint(1950+i%40))
				stmts = append(stmts, e.Statements(concord.Provenance{Dataset: "member-" + m, SourceRef: m + ":" + e.ID, ContributedBy: m, Audience: a, Handling: concord.TLPAmber})...)
			}
		}
		for i := range 100 {
			e := concord.NewEntity(ids[(i*31+len(m))%len(ids)], "Person")
			e.Add("alias", names[(i*131)%len(names)])
			stmts = append(stmts, e.Statements(concord.Provenance{Dataset: "member-" + m, SourceRef: m + ":" + e.ID, ContributedBy: m, Audience: concord.AudienceCoalition, Handling: concord.TLPGreen})[1:]...)
		}
		if err := f.db.Contribute(ctx, stmts); err != nil {
			b.Fatal(err)
		}
	}
	if all, err = search.New(ctx, f.db); err != nil {
		b.Fatal(err)
	}
	for i, n := range names {
		if i%3 == 0 {
			qs = append(qs, match.Query{Name: n, BirthDate: "1975-05-05"})
		}
	}
	return lists, all, qs
}

// BenchmarkMatchViewer screens list names for viewers of three kinds:
// the operator (every audience), es (coalition, ttwg and its own records)
// and any viewer of a node holding the published lists alone.
func BenchmarkMatchViewer(b *testing.B) {
	lists, svc, qs := benchService(b)
	ctx := context.Background()
	b.Run("operator", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i += 7 {
				svc.MatchAll(qs[i%len(qs)], match.Options{})
			}
		})
	})
	b.Run("member", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i += 7 {
				if _, err := svc.Match(ctx, viewerES, qs[i%len(qs)], match.Options{}); err != nil {
					b.Error(err)
				}
			}
		})
	})
	b.Run("lists-only", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i += 7 {
				if _, err := lists.Match(ctx, viewerES, qs[i%len(qs)], match.Options{}); err != nil {
					b.Error(err)
				}
			}
		})
	})
}
