package storetest

import (
	"fmt"
	"runtime"
	"testing"

	"concord"
	"concord/internal/audit"
)

// BenchAudit measures standalone audit appends (the event every API request
// records): one caller after another, and 8 concurrent callers, as under
// `concord loadgen --clients 8`. The chain is verified after each run.
func BenchAudit(b *testing.B, open func(b *testing.B) concord.Store) {
	run := func(b *testing.B, s concord.Store, parallel bool) {
		c := concord.WithActor(b.Context(), concord.Actor{User: "bench", Member: "es", Via: "api"})
		b.ReportAllocs()
		b.ResetTimer()
		if parallel {
			b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Audit(c, "match", "q1", "3 results"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		} else {
			for range b.N {
				if err := s.Audit(c, "match", "q1", "3 results"); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StopTimer()
		br, _, err := audit.Check(b.Context(), s)
		if err != nil {
			b.Fatal(err)
		}
		if br != nil {
			b.Fatalf("audit chain broken: %v", br)
		}
	}
	b.Run("sequential", func(b *testing.B) { run(b, open(b), false) })
	b.Run("parallel8", func(b *testing.B) { run(b, open(b), true) })
}

// BenchEntity measures Entity by id through a member's filter (the per-result
// read of /v1/match), from one caller and from 8 concurrent callers.
func BenchEntity(b *testing.B, open func(b *testing.B) concord.Store) {
	const n = 2000
	f := concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition},
		Handlings: []concord.TLP{concord.TLPClear, concord.TLPGreen, concord.TLPAmber}}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("un-%06d", (i*7919)%n)
	}
	run := func(b *testing.B, parallel bool) {
		s := open(b)
		if _, err := s.Import(b.Context(), SyntheticBatch("un", "1", n, 5)); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		if parallel {
			b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, err := s.Entity(b.Context(), f, ids[i%n]); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
			return
		}
		for i := range b.N {
			if _, err := s.Entity(b.Context(), f, ids[i%n]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sequential", func(b *testing.B) { run(b, false) })
	b.Run("parallel8", func(b *testing.B) { run(b, true) })
}
