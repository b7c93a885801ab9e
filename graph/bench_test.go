package graph

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
)

// listIndex loads the UN list and OFAC (the whole list from ../shared when
// there, the importer's sample otherwise) into an index, as Load would.
func listIndex(b *testing.B) (*Index, []string, string) {
	var recs []importer.Record
	if _, err := unxml.Read(seed.UNList(), "un.xml", func(r importer.Record) error { recs = append(recs, r); return nil }); err != nil {
		b.Fatal(err)
	}
	p := concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	batches := []*concord.ImportBatch{importer.Batch("un", "1", "un", recs, p)}
	dir, what := "../../shared/data/lists", "UN + OFAC"
	paths, _ := filepath.Glob(dir + "/ofac_*.csv")
	if len(paths) != 3 {
		paths, _ = filepath.Glob("../internal/importer/ofaccsv/testdata/*.csv")
		what = "UN + OFAC sample"
	}
	files, err := ofaccsv.FindFiles(paths)
	if err != nil {
		b.Fatal(err)
	}
	recs = nil
	if _, err := ofaccsv.Read(files, func(r importer.Record) error { recs = append(recs, r); return nil }); err != nil {
		b.Fatal(err)
	}
	batches = append(batches, importer.Batch("ofac", "1", "ofac", recs, p))
	ix := NewIndex()
	var listed []string
	for _, bt := range batches {
		by := map[string][]concord.Statement{}
		var order []string
		for _, s := range bt.Statements {
			if _, ok := by[s.EntityID]; !ok {
				order = append(order, s.EntityID)
			}
			by[s.EntityID] = append(by[s.EntityID], s)
		}
		for _, id := range order {
			ix.Add(by[id])
			if listable[by[id][0].Schema] {
				listed = append(listed, id)
			}
		}
	}
	return ix, listed, what
}

// synthetic adds people and links between them, members' contributions
// under three audiences, some tied to listed entities.
func synthetic(ix *Index, listed []string, people, links int) []string {
	rng := rand.New(rand.NewPCG(3, 4))
	auds := []concord.Provenance{
		{Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber},
		{Dataset: "member-fr", ContributedBy: "fr", Audience: concord.GroupAudience("ttwg"), Handling: concord.TLPAmber},
		{Dataset: "member-es", ContributedBy: "es", Audience: concord.AudienceCoalition, Handling: concord.TLPGreen},
	}
	ids := make([]string, people)
	for i := range ids {
		ids[i] = fmt.Sprint("syn-p", i)
		e := concord.NewEntity(ids[i], "Person")
		e.Add("name", fmt.Sprint("Synthetic Person ", i))
		ix.Add(e.Statements(auds[i%3]))
	}
	types := []string{"Associate", "Family", "Ownership", "Payment", "Membership", "Directorship", "UnknownLink"}
	for i := 0; i < links; i++ {
		typ := types[rng.IntN(len(types))]
		l := linkSchemata[typ]
		a, b := ids[rng.IntN(people)], ids[rng.IntN(people)]
		if rng.IntN(100) == 0 {
			b = listed[rng.IntN(len(listed))]
		}
		e := concord.NewEntity(fmt.Sprint("syn-l", i), typ)
		e.Add(l.from, a)
		e.Add(l.to, b)
		ix.Add(e.Statements(auds[rng.IntN(3)]))
	}
	return ids
}

// BenchmarkNetwork measures a 2-hop neighbourhood and a 3-hop exposure
// check from random synthetic people on UN + OFAC plus 1,000,000 synthetic
// links (300,000 people), as a member's analyst sees the network.
func BenchmarkNetwork(b *testing.B) {
	t0 := time.Now()
	ix, listed, what := listIndex(b)
	ids := synthetic(ix, listed, 300_000, 1_000_000)
	nodes, edges := ix.Len()
	b.Logf("%s + 1,000,000 synthetic links: %d nodes, %d stated edges, built in %s", what, nodes, edges, time.Since(t0).Round(time.Millisecond))
	f := concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition,
		concord.MemberAudience("es"), concord.GroupAudience("ttwg")}, Handlings: concord.TLPs}
	for _, q := range []struct {
		name string
		run  func(v *View, id string) int
	}{
		{"neighbourhood-2", func(v *View, id string) int { s, _ := v.Neighbourhood(id, 2, 0); return len(s.Nodes) }},
		{"exposure-3", func(v *View, id string) int { e, _ := v.Exposure(id, 3, 0); return len(e.Paths) }},
	} {
		b.Run(q.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			var lat []time.Duration
			total := 0
			for i := 0; i < b.N; i++ {
				t := time.Now()
				v := ix.View(f) // assembled for every question, as the API does
				total += q.run(v, ids[rng.IntN(len(ids))])
				lat = append(lat, time.Since(t))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total)/float64(b.N), "results/op")
		})
	}
	// One link changed (another associate, under another audience), as
	// Live.Apply replaces it once read from the store.
	b.Run("replace", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(7, 8))
		auds := []concord.Provenance{
			{Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber},
			{Dataset: "member-es", ContributedBy: "es", Audience: concord.AudienceCoalition, Handling: concord.TLPGreen},
		}
		for i := 0; i < b.N; i++ {
			id := fmt.Sprint("syn-l", rng.IntN(1_000_000))
			e := concord.NewEntity(id, "Associate")
			e.Add("person", ids[rng.IntN(len(ids))])
			e.Add("associate", ids[rng.IntN(len(ids))])
			stmts := e.Statements(auds[i%2])
			ix.Replace(id, stmts)
		}
	})
}
