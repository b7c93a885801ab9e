package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/eval"
	"concord/internal/search"
	"concord/match"
	"concord/match/score"
)

func (m *Main) evalFitCommand() *cobra.Command {
	var (
		unFile, ofacDir, namesFile, write string
		seed                              uint64
		perSet, travellers                int
		lambda, maxFlag                   float64
	)
	cmd := &cobra.Command{
		Use:   "fit",
		Short: "Fit the name-score calibration on the tuning sets",
		Long: `Fit the logistic regression that turns the features of a name comparison
into the name score (match/score/calibration.go), on the tuning sets only:
seed --seed, the tuning half of the list records and of the name stock
(the report sets of "concord eval" are never used). Each case of each
tuning set (at most --per-set) is screened; every record it ranks in its
top five becomes a row, a match when it is the expected record. The model
is printed with its log-loss and accuracy on the rows, before and after.
Its bias is then shifted (the prior odds of screening, where a listed
person is rarer than among the ranked rows) so that the default threshold
flags at most --max-flagged of the tuning travellers with the most recall
that allows; the model is written as Go source to --write (default:
stdout).

Run it again after a change to the features or the engine's comparisons,
then rebuild; "concord eval" shows the effect on both halves.`,
		Example: `  concord eval fit --write match/score/calibration.go`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			recs, err := loadEvalRecords(unFile, ofacDir)
			if err != nil {
				return err
			}
			names, err := readNames(namesFile)
			if err != nil {
				return err
			}
			merged, _ := search.Merge(recs)
			full := match.Build(slices.Values(merged))
			indexes := evalIndexes(recs, merged, full)
			sets := eval.Suite(recs, names, seed, eval.SplitTune, travellers)
			rows := eval.FitRows(indexes, sets, perSet)
			pos := 0
			for _, r := range rows {
				if r.Match {
					pos++
				}
			}
			before, accB := eval.LogLoss(score.Calibration, rows)
			model := eval.Fit(rows, lambda)
			after, accA := eval.LogLoss(model, rows)
			shift := model.Bias
			model, flag, recall := eval.OperatingPoint(model, rows, match.DefaultThreshold, maxFlag)
			shift = model.Bias - shift
			fmt.Fprintf(m.Stderr, "%d rows (%d matches) from %d tuning sets, seed %d: log-loss %.4f → %.4f, accuracy %.4f → %.4f\n",
				len(rows), pos, len(sets), seed, before, after, accB, accA)
			for i, w := range model.W {
				fmt.Fprintf(m.Stderr, "  %-20s %9.4f\n", score.FeatureNames[i], w)
			}
			fmt.Fprintf(m.Stderr, "  %-20s %9.4f (prior shift %+.2f: at %.2f, %.2f%% of tuning travellers flagged, recall %.3f)\n", "bias", model.Bias, shift, match.DefaultThreshold, 100*flag, recall)
			out := m.Stdout
			if write != "" {
				f, err := os.Create(write)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "%v", err)
				}
				defer f.Close()
				out = f
			}
			return eval.WriteModel(out, model, fmt.Sprintf("%d rows of the tuning sets, seed %d; bias shifted %+.2f so that %.2f flags %.2f%% of the tuning travellers", len(rows), seed, shift, match.DefaultThreshold, 100*flag))
		},
	}
	def := func(p string) string { return filepath.Join("..", "shared", "data", p) }
	cmd.Flags().StringVar(&unFile, "un", def("lists/un_consolidated.xml"), "UN Consolidated List XML")
	cmd.Flags().StringVar(&ofacDir, "ofac", def("lists"), "directory holding the OFAC CSV files")
	cmd.Flags().StringVar(&namesFile, "names", def("names/names.tsv"), "names by locale")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the tuning sets")
	cmd.Flags().IntVar(&perSet, "per-set", 3000, "cases screened per set")
	cmd.Flags().IntVar(&travellers, "travellers", 10000, "travellers generated per negative set")
	cmd.Flags().Float64Var(&lambda, "lambda", 1, "ridge penalty on the weights")
	cmd.Flags().Float64Var(&maxFlag, "max-flagged", 0.003, "share of tuning travellers the default threshold may flag (sets the prior)")
	cmd.Flags().StringVar(&write, "write", "", "write the model's Go source to this file (default: stdout)")
	return cmd
}
