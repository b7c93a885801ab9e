package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/eval"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/search"
	"concord/internal/seed"
	"concord/match"
)

func (m *Main) evalPairsCommand() *cobra.Command {
	var (
		unFile, ofacDir string
		threshold       float64
		verbose         bool
	)
	cmd := &cobra.Command{
		Use:   "pairs FILE.csv",
		Short: "Precision, recall and F1 per threshold on a labelled pair file",
		Long: `Score every pair of a labelled CSV file with the engine and print precision,
recall, F1 and the false-positive rate per threshold, so that an operator can
choose a threshold knowing what it costs on their own data.

The file has a header with the columns name1,name2,schema,is_match (others
are ignored; a "note" column groups the counts): name1 is screened as the
query, name2 as a record holding that one name; schema is Person,
Organization or empty; is_match is true or false. Lines starting with # are
comments. The part statistics (how rare each name part is) come from the
UN and OFAC lists (--un, --ofac), or the bundled UN list when those files
are absent.`,
		Example: `  concord eval pairs internal/eval/testdata/report_pairs.csv
  concord eval pairs my_pairs.csv --threshold 0.85 -v`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return concord.Errorf(concord.EINVALID, "%v", err)
			}
			ps, err := eval.ReadPairs(f, args[0])
			f.Close()
			if err != nil {
				return concord.Errorf(concord.EINVALID, "%v", err)
			}
			recs, src, err := pairStats(unFile, ofacDir)
			if err != nil {
				return err
			}
			merged, _ := search.Merge(recs)
			ix := match.Build(slices.Values(merged))
			fmt.Fprintf(m.Stdout, "part statistics: %s (%d records)\n\n", src, ix.Len())
			eval.WritePairs(m.Stdout, eval.ScorePairs(ix, filepath.Base(args[0]), ps, threshold), threshold, verbose)
			return nil
		},
	}
	def := func(p string) string { return filepath.Join("..", "shared", "data", p) }
	cmd.Flags().StringVar(&unFile, "un", def("lists/un_consolidated.xml"), "UN Consolidated List XML (statistics)")
	cmd.Flags().StringVar(&ofacDir, "ofac", def("lists"), "directory holding the OFAC CSV files (empty: UN only)")
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "threshold of the per-note counts and the misses listed")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list misclassified pairs")
	return cmd
}

// pairStats loads the lists whose part statistics weigh the pairs: the
// files when they exist, else the bundled UN list.
func pairStats(unFile, ofacDir string) ([]match.Record, string, error) {
	if _, err := os.Stat(unFile); err == nil {
		if ofacDir != "" {
			if _, err := os.Stat(filepath.Join(ofacDir, "ofac_sdn.csv")); err != nil {
				ofacDir = ""
			}
		}
		recs, err := loadEvalRecords(unFile, ofacDir)
		src := unFile
		if ofacDir != "" {
			src += " and OFAC SDN"
		}
		return recs, src, err
	}
	var recs []match.Record
	_, err := unxml.Read(seed.UNList(), "bundled UN list", func(r importer.Record) error {
		if e := r.Main(); e != nil {
			e.Refs = []string{r.Ref}
			recs = append(recs, search.RecordOf(e))
		}
		return nil
	})
	return recs, "the bundled UN list", err
}
