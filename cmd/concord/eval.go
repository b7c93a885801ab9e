package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/eval"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/search"
	"concord/match"
)

func (m *Main) evalCommand() *cobra.Command {
	var (
		unFile, ofacDir, namesFile, cpuProfile string
		writeQueries                           string
		travellers, synthetic, workers         int
		seed                                   uint64
		threshold                              float64
		verbose                                bool
	)
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure the matching engine: recall, false positives, throughput, latency",
		Long: `Build labelled sets from the UN and OFAC lists and measure the engine on them:

  alias            every Latin name and alias of a listed person or organisation
  variant          primary names perturbed the way names vary (romanisation
                   habits, typos, reordering, dropped, merged and split parts,
                   articles, punctuation), half of them with the birth date
  original-script  names in Arabic and other scripts, against an index from
                   which every non-Latin name was removed
  travellers       non-listed travellers from names.tsv with birth dates

It prints recall@1 and recall@5 (rank of the expected record), the share of
expected records scoring at or above the threshold, the false-positive rate
on travellers at the threshold, queries per second with --workers, and
single-query p50/p99 latency, as a Markdown table.

--synthetic N adds N made-up persons (from names.tsv) to the index, to
measure the engine at watchlist scale: build time, memory and throughput.
False positives then count only hits on the real lists.`,
		Example: `  concord eval
  concord eval --workers 2 --synthetic 1000000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			recs, err := loadEvalRecords(unFile, ofacDir)
			if err != nil {
				return err
			}
			nf, err := os.Open(namesFile)
			if err != nil {
				return concord.Errorf(concord.EINVALID, "%v", err)
			}
			names, err := eval.ReadNames(nf)
			nf.Close()
			if err != nil {
				return err
			}
			rng := rand.New(rand.NewPCG(seed, 1))
			sets := []eval.Set{eval.AliasSet(recs), eval.VariantSet(recs, rng), eval.OriginalScriptSet(recs), eval.TravellerSet(names, travellers, rng)}
			if writeQueries != "" {
				return writeSets(writeQueries, sets)
			}

			runtime.GC()
			t0 := time.Now()
			merged, groups := search.Merge(recs)
			full := match.Build(func(yield func(match.Record) bool) {
				for _, r := range merged {
					if !yield(r) {
						return
					}
				}
				if synthetic > 0 {
					for r := range eval.Synthetic(names, synthetic, seed) {
						if !yield(r) {
							return
						}
					}
				}
			})
			build := time.Since(t0)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Fprintf(m.Stdout, "index: %d records (%d list records, %d merged across lists into %d, + %d synthetic), built in %s (merge included), heap %.0f MiB, peak RSS %s\n\n",
				full.Len(), len(recs), mergedCount(groups), len(groups), synthetic, build.Round(time.Millisecond), float64(ms.HeapInuse)/(1<<20), peakRSS())
			latin := match.Build(slices.Values(eval.LatinOnly(merged)))
			real := func(mm match.Match) bool { return !strings.HasPrefix(mm.EntityID, "syn-") }
			var results []eval.Result
			for _, s := range sets {
				ix := full
				if s.Index == "latin" {
					ix = latin
				}
				results = append(results, eval.Run(ix, s, threshold, workers, real))
			}
			fmt.Fprintf(m.Stdout, "threshold %.2f, %d workers, GOMAXPROCS %d, seed %d\n\n", threshold, results[0].Workers, runtime.GOMAXPROCS(0), seed)
			eval.WriteTable(m.Stdout, results, verbose)
			return nil
		},
	}
	def := func(p string) string { return filepath.Join("..", "shared", "data", p) }
	cmd.Flags().StringVar(&unFile, "un", def("lists/un_consolidated.xml"), "UN Consolidated List XML")
	cmd.Flags().StringVar(&ofacDir, "ofac", def("lists"), "directory holding ofac_sdn.csv, ofac_alt.csv, ofac_add.csv (empty: UN only)")
	cmd.Flags().StringVar(&namesFile, "names", def("names/names.tsv"), "names by locale (locale, part, name)")
	cmd.Flags().IntVar(&travellers, "travellers", 10000, "non-listed travellers to generate")
	cmd.Flags().IntVar(&synthetic, "synthetic", 0, "synthetic watchlist persons to add to the index")
	cmd.Flags().IntVar(&workers, "workers", 2, "goroutines for the throughput measurement")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed of the generated sets")
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "score threshold for hits and false positives")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "recall per perturbation and example misses")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile")
	cmd.Flags().StringVar(&writeQueries, "write-queries", "", "write each set as a `concord screen` query CSV into this directory, and stop")
	return cmd
}

// loadEvalRecords reads the lists straight from files (no store) into
// engine records.
func loadEvalRecords(unFile, ofacDir string) ([]match.Record, error) {
	var recs []match.Record
	add := func(r importer.Record) error {
		e := r.Main()
		if e == nil {
			return nil
		}
		e.Refs = []string{r.Ref}
		recs = append(recs, search.RecordOf(e))
		return nil
	}
	f, err := os.Open(unFile)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	defer f.Close()
	if _, err := unxml.Read(f, unFile, add); err != nil {
		return nil, err
	}
	if ofacDir != "" {
		fs := ofaccsv.Files{SDN: filepath.Join(ofacDir, "ofac_sdn.csv"), Alt: filepath.Join(ofacDir, "ofac_alt.csv"), Add: filepath.Join(ofacDir, "ofac_add.csv")}
		if _, err := ofaccsv.Read(fs, add); err != nil {
			return nil, err
		}
	}
	return recs, nil
}

// peakRSS reads the process's peak resident set size (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "n/a"
}

func mergedCount(groups map[string][]string) int {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	return n
}

// writeSets writes each set's queries as a screening CSV (DIR/<set>.csv).
func writeSets(dir string, sets []eval.Set) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range sets {
		f, err := os.Create(filepath.Join(dir, s.Name+".csv"))
		if err != nil {
			return err
		}
		w := csv.NewWriter(f)
		_ = w.Write([]string{"id", "name", "birth_date", "nationality", "gender", "schema", "expected"})
		for i, c := range s.Cases {
			_ = w.Write([]string{fmt.Sprint(s.Name, i), c.Query.Name, c.Query.BirthDate, c.Query.Nationality, c.Query.Gender, c.Query.Schema, c.Want})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
