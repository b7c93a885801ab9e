package index

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"

	"concord/media/pdq"
)

var benchHuge = flag.Bool("index.huge", false, "also benchmark 10,000,000 hashes (about 1.3 GB)")

// benchSet is n uniformly random hashes and queries each planted with
// neighbours at distances 0, 8, 16, 24 and 31 in it.
func benchSet(n, queries int) ([]pdq.Hash, []pdq.Hash) {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	hs := make([]pdq.Hash, n)
	for i := range hs {
		hs[i] = randomHash(r)
	}
	qs := make([]pdq.Hash, queries)
	for i := range qs {
		qs[i] = randomHash(r)
		for k, d := range []int{0, 8, 16, 24, 31} {
			hs[(i*5+k)*(n/(5*queries))] = flip(r, qs[i], d)
		}
	}
	return hs, qs
}

func benchSizes() []int {
	s := []int{100_000, 1_000_000}
	if *benchHuge {
		s = append(s, 10_000_000)
	}
	return s
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		hs, _ := benchSet(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				x := Build(hs, Options{})
				b.ReportMetric(float64(x.Stats().Bytes)/(1<<20), "MiB")
			}
		})
	}
}

// BenchmarkLookup is one lookup at radius 31 through the tables and by
// brute force, run in parallel on GOMAXPROCS goroutines (lookups/s is
// 1e9 / ns/op).
func BenchmarkLookup(b *testing.B) {
	for _, n := range benchSizes() {
		hs, qs := benchSet(n, 1000)
		x := Build(hs, Options{})
		for _, mode := range []string{"mih", "scan"} {
			b.Run(fmt.Sprintf("%s/%d/parts=%d", mode, n, x.Stats().Parts), func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					var dst []Match
					i := 0
					for pb.Next() {
						if mode == "mih" {
							dst = x.Lookup(qs[i%len(qs)], pdq.DefaultRadius, dst[:0])
						} else {
							dst = x.Scan(qs[i%len(qs)], pdq.DefaultRadius, dst[:0])
						}
						if len(dst) < 5 {
							b.Fatalf("%d matches", len(dst))
						}
						i++
					}
				})
			})
		}
	}
}

// BenchmarkParts compares the splits at one million hashes.
func BenchmarkParts(b *testing.B) {
	hs, qs := benchSet(1_000_000, 1000)
	for _, m := range []int{11, 12, 13, 14, 16} {
		x := Build(hs, Options{Parts: m})
		b.Run(fmt.Sprint(m), func(b *testing.B) {
			var dst []Match
			i := 0
			for b.Loop() {
				dst = x.Lookup(qs[i%len(qs)], pdq.DefaultRadius, dst[:0])
				i++
			}
		})
	}
}
