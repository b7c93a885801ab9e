package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/media/index"
	"concord/media/pdq"
)

func (m *Main) mediaBenchCommand() *cobra.Command {
	var (
		n, queries, scanQueries, radius, workers, parts int
		seed                                            uint64
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the PDQ index: build time, memory, lookups/s against brute force",
		Long: `Build an index of --hashes random PDQ hashes, each query planted in it with
neighbours at distances 0, 8, 16, 24 and 31 (and 32, 40, outside the default
radius), then measure:

  build     time to build the tables, and the memory the index holds
  index     lookups/s at --radius on --workers goroutines, per second of
            wall time and per second of CPU time (the figure that holds
            when other work shares the machine)
  scan      the same for the brute-force popcount scan (--scan-queries)
  recall    the share of the scan's matches that the index found

and print them as a Markdown table row.`,
		Example: `  concord media bench --hashes 1000000
  concord media bench --hashes 10000000 --queries 2000 --scan-queries 20`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 || queries < 1 || scanQueries < 0 || queries*8 > n {
				return concord.Errorf(concord.EINVALID, "--hashes must be at least 8 × --queries")
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			r := rand.New(rand.NewPCG(seed, 1))
			hs := make([]pdq.Hash, n)
			for i := range hs {
				hs[i] = pdq.Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
			}
			qs := make([]pdq.Hash, queries)
			dists := []int{0, 8, 16, 24, 31, 32, 40}
			stride := n / (len(dists) * queries)
			for i := range qs {
				qs[i] = pdq.Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
				for k, d := range dists {
					h := qs[i]
					for _, b := range r.Perm(256)[:d] {
						h[b/64] ^= 1 << (b % 64)
					}
					hs[(i*len(dists)+k)*stride] = h
				}
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			t0 := time.Now()
			x := index.Build(hs, index.Options{Parts: parts})
			build := time.Since(t0)
			runtime.GC()
			runtime.ReadMemStats(&after)
			hs = nil
			st := x.Stats()

			lookup := func(q pdq.Hash, dst []index.Match) []index.Match { return x.Lookup(q, radius, dst) }
			scan := func(q pdq.Hash, dst []index.Match) []index.Match { return x.Scan(q, radius, dst) }
			idxRate, idxFound := runLookups(qs, workers, lookup)
			sq := qs[:min(scanQueries, len(qs))]
			var scanRate lookupRate
			scanFound := 0
			recall := 1.0
			if len(sq) > 0 {
				scanRate, scanFound = runLookups(sq, workers, scan)
				got, want := 0, 0
				for _, q := range sq {
					a, b := x.Lookup(q, radius, nil), x.Scan(q, radius, nil)
					want += len(b)
					for _, mt := range b {
						if slices.Contains(a, mt) {
							got++
						}
					}
				}
				if want > 0 {
					recall = float64(got) / float64(want)
				}
			}
			fmt.Fprintf(m.Stderr, "%s; build %s; %d lookups found %d matches, %d scans %d\n", st, build.Round(time.Millisecond), len(qs), idxFound, len(sq), scanFound)
			fmt.Fprintln(m.Stdout, "| hashes | parts | build | index memory | heap growth | radius | workers | index lookups/s | per CPU-second | scan lookups/s | per CPU-second | recall |")
			fmt.Fprintln(m.Stdout, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
			fmt.Fprintf(m.Stdout, "| %d | %d | %.2f s | %.0f MiB | %.0f MiB | %d | %d | %.0f | %.0f | %.0f | %.0f | %.3f |\n",
				n, st.Parts, build.Seconds(), float64(st.Bytes)/(1<<20), float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20),
				radius, workers, idxRate.wall, idxRate.cpu, scanRate.wall, scanRate.cpu, recall)
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "hashes", 1_000_000, "hashes in the index")
	cmd.Flags().IntVar(&queries, "queries", 10_000, "lookups through the index")
	cmd.Flags().IntVar(&scanQueries, "scan-queries", 200, "lookups by brute force (and recall checks)")
	cmd.Flags().IntVar(&radius, "radius", pdq.DefaultRadius, "Hamming radius of the lookups")
	cmd.Flags().IntVar(&workers, "workers", 0, "goroutines looking up (default: number of CPUs)")
	cmd.Flags().IntVar(&parts, "parts", 0, "sub-strings of the index (0: chosen from --hashes)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	return cmd
}

// lookupRate is the throughput of a run of lookups: per second of wall
// time on all workers, and per second of the CPU time the process used
// (the figure that holds when other work shares the machine).
type lookupRate struct{ wall, cpu float64 }

// runLookups runs fn over qs on workers goroutines and returns lookups per
// second and the matches found.
func runLookups(qs []pdq.Hash, workers int, fn func(pdq.Hash, []index.Match) []index.Match) (lookupRate, int) {
	var next, found atomic.Int64
	var wg sync.WaitGroup
	c0 := cpuTime()
	t0 := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []index.Match
			for {
				i := int(next.Add(1)) - 1
				if i >= len(qs) {
					return
				}
				dst = fn(qs[i], dst[:0])
				found.Add(int64(len(dst)))
			}
		}()
	}
	wg.Wait()
	wall, cpu := time.Since(t0), cpuTime()-c0
	return lookupRate{wall: float64(len(qs)) / wall.Seconds(), cpu: float64(len(qs)) / cpu.Seconds()}, int(found.Load())
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
