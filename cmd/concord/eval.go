package main

import (
	"encoding/csv"
	"fmt"
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
		writeQueries, dumpFile                 string
		timing                                 bool
		travellers, synthetic, workers         int
		seed                                   uint64
		threshold                              float64
		split, only                            string
		verbose                                bool
	)
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure the matching engine: recall, false positives, throughput, latency",
		Long: `Build labelled sets from the UN and OFAC lists and names.tsv and measure the
engine on them. Positives (recall@1, recall@5, share first and at or above
the threshold):

  alias             every Latin name and alias of a listed person or organisation
                    (against the full index, which holds it: an exact lookup)
  alias-heldout     the other Latin names (aliases, a.k.a.s) of a listed person
                    or organisation against its own list with every record
                    holding only its primary name; a query that normalises to
                    a kept name is left out (counted); only the respellings
                    of the kept name make the headline: other names (kunya,
                    nickname, former name, translation) and weak aliases are
                    reported in their notes apart
  variant           primary names perturbed by the engine's own idea of variation
                    (legacy: romanisation habits, typos, reordering, dropped,
                    merged and split parts, articles, punctuation)
  variant-field     primary names changed by rules apart from the engine's: a
                    clerk's spelling, keyboard typos, merged parts, articles,
                    dropped middle names, reordering, an OCR'd passport MRZ,
                    initials; reported per kind
  original-script   names in Arabic and other scripts, against an index from
                    which every non-Latin name was removed
  script-romanised  Arabic-script and Cyrillic names romanised by other tables
                    (French, German, ISO-like), against the Latin-only index
  arabic-variation  Arabic-script names with everyday orthographic variation
  latin-to-script   Latin names against records held in their original script only
  script-adversarial
                    Arabic-script and Cyrillic names as software and national
                    orthographies write them: presentation forms, zero-width
                    and bidi marks, kashida, Urdu and Persian letters, hamza
                    seats, NFD, shadda and dagger alif, Central Asian
                    Cyrillic, Uzbek and Kazakh Latin; each name also as
                    written; the Latin names of Central Asian records
                    respelt in their country's Latin alphabet; Latin names
                    with Cyrillic or Greek look-alike letters; per kind
  un-vs-ofac        OFAC names and aliases that respell a UN record's names, the
                    records linked without the engine (document, birth date,
                    an identical name), against the UN list alone; persons and
                    organisations apart, and a person's OFAC name that shares
                    no word with any of the UN record's names (a nickname, a
                    name the UN does not hold) apart as person-other-name,
                    one that is a kunya alone, with at most a nisba (ABU
                    WALID, AL-MASRI, Abu Ahmad), apart as person-kunya,
                    and an organisation's OFAC name none of whose distinctive
                    words (those in fewer than one organisation name in 200
                    on the lists) nor acronyms meets the UN record's names (a
                    front, a renaming) apart as organisation-other-name

Negatives (share of queries with any result at or above the threshold):

  travellers        non-listed travellers from names.tsv with birth dates
  hard-negatives    non-listed travellers from the listed persons' own name
                    stock: frequent listed given names with regional family
                    names, feminine forms, other romanisations; reported per
                    group (culture of the given and of the family name); a
                    traveller whose name is a listed one is drawn again, and
                    the redraws are printed per group; each group's rate has
                    its 95% Wilson interval, and the highest group's ratio and
                    difference to the control group (other origins, enlarged
                    by half the set's size, in its group only) their intervals
  org-negatives     ordinary company names no list holds, queried as
                    organisations: three or four random initials with a trade
                    word and a legal form (MPC Trading LLC), initials with a
                    legal form alone (MPC Ltd), common trade words (Global
                    Star Logistics), regional family names and words of good
                    omen (Karimov Logistics LLC, Al Noor General Trading);
                    reported per way of naming; a listed name, or a listed
                    organisation's name with another legal form, is drawn
                    again

Labelled pairs from the lists (aliases against primary names; different
records of one list sharing a name word) are scored one by one and printed
as precision, recall and F1 per threshold.

Tuning and reporting are kept apart: every set is built twice, once for
tuning (seed --seed, the "tune" half of the records and of the name stock)
and once for reporting (seed --seed+1, the other half). --split chooses
one; both are printed by default.

--synthetic N adds N made-up persons (from names.tsv) to the index, to
measure the engine at watchlist scale: build time, memory and throughput.
False positives then count only hits on the real lists.

"concord eval pairs FILE.csv" scores a labelled pair file of your own.`,
		Example: `  concord eval
  concord eval --split report -v
  concord eval --split tune --timing=false --dump misses.jsonl
  concord eval --workers 2 --synthetic 1000000
  concord eval pairs internal/eval/testdata/report_pairs.csv`,
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
			var splits []eval.Split
			switch split {
			case "both":
				splits = []eval.Split{eval.SplitTune, eval.SplitReport}
			case "tune":
				splits = []eval.Split{eval.SplitTune}
			case "report":
				splits = []eval.Split{eval.SplitReport}
			default:
				return concord.Errorf(concord.EINVALID, "--split %q: want tune, report or both", split)
			}
			recs, err := loadEvalRecords(unFile, ofacDir)
			if err != nil {
				return err
			}
			names, err := readNames(namesFile)
			if err != nil {
				return err
			}
			if writeQueries != "" {
				return writeSets(writeQueries, eval.Suite(recs, names, seed, splits[0], travellers))
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
			indexes := evalIndexes(recs, merged, full)
			var dump func(eval.Outcome)
			if dumpFile != "" {
				f, err := os.Create(dumpFile)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "%v", err)
				}
				defer f.Close()
				var dumpErr func() error
				dump, dumpErr = eval.WriteDump(f)
				defer func() {
					if err := dumpErr(); err != nil {
						fmt.Fprintf(m.Stderr, "--dump %s: %v\n", dumpFile, err)
					}
				}()
			}
			real := func(mm match.Match) bool { return !strings.HasPrefix(mm.EntityID, "syn-") }
			for k, sp := range splits {
				s := seed + uint64(k)
				if split == "report" {
					s = seed + 1
				}
				var results []eval.Result
				for _, set := range eval.Suite(recs, names, s, sp, travellers) {
					if only != "" && !slices.Contains(strings.Split(only, ","), set.Name) {
						continue
					}
					results = append(results, eval.Run(indexes[set.Index], set, eval.RunOptions{Threshold: threshold, Workers: workers, Timing: timing, CountFP: real, Dump: dump, Indexes: indexes}))
				}
				fmt.Fprintf(m.Stdout, "## %s sets: seed %d, %s half; threshold %.2f, %d workers, GOMAXPROCS %d\n\n", sp, s, sp, threshold, results[0].Workers, runtime.GOMAXPROCS(0))
				eval.WriteTable(m.Stdout, results, verbose)
				if synthetic == 0 && (only == "" || slices.Contains(strings.Split(only, ","), "pairs")) {
					fmt.Fprintln(m.Stdout)
					pr := eval.ScorePairs(full, "list pairs ("+sp.String()+")", eval.SuitePairs(recs, s, sp, 5000), threshold)
					eval.WritePairs(m.Stdout, pr, threshold, verbose)
				}
				fmt.Fprintln(m.Stdout)
			}
			return nil
		},
	}
	cmd.AddCommand(m.evalPairsCommand(), m.evalFitCommand())
	def := func(p string) string { return filepath.Join("..", "shared", "data", p) }
	cmd.Flags().StringVar(&unFile, "un", def("lists/un_consolidated.xml"), "UN Consolidated List XML")
	cmd.Flags().StringVar(&ofacDir, "ofac", def("lists"), "directory holding ofac_sdn.csv, ofac_alt.csv, ofac_add.csv (empty: UN only)")
	cmd.Flags().StringVar(&namesFile, "names", def("names/names.tsv"), "names by locale (locale, part, name)")
	cmd.Flags().IntVar(&travellers, "travellers", 10000, "non-listed travellers to generate")
	cmd.Flags().IntVar(&synthetic, "synthetic", 0, "synthetic watchlist persons to add to the index")
	cmd.Flags().IntVar(&workers, "workers", 2, "goroutines for the throughput measurement")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed of the tuning sets (the report sets use seed+1)")
	cmd.Flags().StringVar(&split, "split", "both", "which sets: tune, report or both")
	cmd.Flags().StringVar(&only, "sets", "", "comma-separated names of the sets to run (\"pairs\" for the list pairs); empty: all")
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "score threshold for hits and false positives")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "recall per perturbation and example misses")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile")
	cmd.Flags().BoolVar(&timing, "timing", true, "measure throughput and latency (--timing=false ranks the cases on --workers goroutines and reports no time)")
	cmd.Flags().StringVar(&dumpFile, "dump", "", "write every positive case that is not a hit and every flagged negative, with the ranked matches and their explanations, to this file as JSON lines")
	cmd.Flags().StringVar(&writeQueries, "write-queries", "", "write each set (of the first --split) as a `concord screen` query CSV into this directory, and stop")
	return cmd
}

// evalIndexes returns the indexes the sets and cases run against
// (Set.Index, Case.Index): full (given), the Latin-only, script-only and
// UN-only ones, and each list's records with their primary names only
// ("primary:un", "primary:ofac").
func evalIndexes(recs, merged []match.Record, full *match.Index) map[string]*match.Index {
	ixs := map[string]*match.Index{
		"full":   full,
		"latin":  match.Build(slices.Values(eval.LatinOnly(merged))),
		"script": match.Build(slices.Values(eval.ScriptOnly(recs))),
		"un":     match.Build(slices.Values(eval.OnlyList(recs, "un"))),
	}
	for _, l := range eval.Lists(recs) {
		ixs["primary:"+l] = match.Build(slices.Values(eval.PrimaryOnly(recs, l)))
	}
	return ixs
}

// readNames reads names.tsv.
func readNames(file string) (*eval.Names, error) {
	nf, err := os.Open(file)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	defer nf.Close()
	return eval.ReadNames(nf)
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
