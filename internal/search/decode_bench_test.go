package search_test

import (
	"bytes"
	"os"
	"strconv"
	"testing"

	"concord/internal/eval"
	"concord/match"
	"concord/match/index"
)

// BenchmarkDecodeIndex (here, not in match: the engine's tests may not import
// the evaluation) decodes the snapshot of an index of synthetic
// persons (eval.Synthetic, as concord gen ftm writes them; 20,000 unless
// CONCORD_BENCH_RECORDS says otherwise), what a node pays at start for
// its match index.
func BenchmarkDecodeIndex(b *testing.B) {
	f, err := os.Open("../../../shared/data/names/names.tsv")
	if err != nil {
		b.Skip("names.tsv not available:", err)
	}
	names, err := eval.ReadNames(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	n := 20000
	if s := os.Getenv("CONCORD_BENCH_RECORDS"); s != "" {
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ix := match.Build(eval.Synthetic(names, n, 1))
	var buf bytes.Buffer
	e := index.NewEncoder(&buf, "bench")
	ix.Encode(e)
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		d, err := index.NewDecoder(bytes.NewReader(buf.Bytes()), "bench")
		if err != nil {
			b.Fatal(err)
		}
		got, err := match.DecodeIndex(d)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Done(); err != nil {
			b.Fatal(err)
		}
		if got.Len() != n {
			b.Fatalf("%d records, want %d", got.Len(), n)
		}
	}
}
