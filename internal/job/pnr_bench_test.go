package job

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/search"
	"concord/internal/seed"
	"concord/match"
)

// benchIndex is the engine's index of the bundled UN list and, when the
// shared data is there, the OFAC SDN list: what a node screens against.
func benchIndex(b *testing.B, withOFAC bool) *match.Index {
	b.Helper()
	var recs []match.Record
	add := func(r importer.Record) error {
		if e := r.Main(); e != nil {
			e.Refs = []string{r.Ref}
			recs = append(recs, search.RecordOf(e))
		}
		return nil
	}
	if _, err := unxml.Read(seed.UNList(), "un", add); err != nil {
		b.Fatal(err)
	}
	if withOFAC {
		dir := "../../../shared/data/lists"
		if _, err := os.Stat(filepath.Join(dir, "ofac_sdn.csv")); err != nil {
			b.Skip("no ../shared/data/lists: OFAC left out")
		}
		fs := ofaccsv.Files{SDN: filepath.Join(dir, "ofac_sdn.csv"), Alt: filepath.Join(dir, "ofac_alt.csv"), Add: filepath.Join(dir, "ofac_add.csv")}
		if _, err := ofaccsv.Read(fs, add); err != nil {
			b.Fatal(err)
		}
	}
	return match.Build(func(yield func(match.Record) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	})
}

// BenchmarkScreenPNRGOV parses the 250 KB push of 127 PNRs (268
// travellers) and screens every traveller with two workers, as `concord
// screen` and a server job do; PNRs/s counts both.
func BenchmarkScreenPNRGOV(b *testing.B) {
	data, err := os.ReadFile(pnrData + "gtas_pnrWithBags.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, lists := range []struct {
		name string
		ofac bool
	}{{"UN", false}, {"UN+OFAC", true}} {
		b.Run(lists.name, func(b *testing.B) {
			ix := benchIndex(b, lists.ofac)
			opt := match.Options{Threshold: match.DefaultThreshold, Limit: match.DefaultLimit}
			fn := func(_ context.Context, q match.Query) ([]match.Match, error) { return ix.Match(q, opt), nil }
			b.ReportAllocs()
			pnrs, travellers := 0, 0
			for b.Loop() {
				_, qs, _, _, err := ReadQueries(bytes.NewReader(data), "push.edi")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Screen(context.Background(), qs, 2, fn, nil); err != nil {
					b.Fatal(err)
				}
				pnrs, travellers = pnrs+127, travellers+len(qs)
			}
			b.ReportMetric(float64(pnrs)/b.Elapsed().Seconds(), "PNRs/s")
			b.ReportMetric(float64(travellers)/b.Elapsed().Seconds(), "travellers/s")
		})
	}
}
