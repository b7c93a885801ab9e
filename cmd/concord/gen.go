package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/eval"
	"concord/internal/importer/ftm"
)

func (m *Main) genCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate synthetic data for tests and benchmarks",
	}
	var (
		persons        int
		seed           uint64
		dataset, names string
		out            string
	)
	ftmCmd := &cobra.Command{
		Use:   "ftm",
		Short: "Write made-up watchlist persons as FollowTheMoney JSON lines",
		Long: `Write --persons made-up persons, built from names.tsv as concord eval
--synthetic builds them (one to three given names and a family name of one
locale, aliases, a birth date, a nationality, a gender, sometimes a passport
number), as FtM JSON lines of the dataset --dataset, for import benchmarks.
The output is the same for the same seed.`,
		Example: `  concord gen ftm --persons 1000000 > /tmp/1m.ftm.json
  concord --data /tmp/big import --format ftm /tmp/1m.ftm.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if persons <= 0 {
				return concord.Errorf(concord.EINVALID, "--persons: want a positive number")
			}
			ns, err := readNames(names)
			if err != nil {
				return err
			}
			w := bufio.NewWriterSize(m.Stdout, 1<<20)
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "%v", err)
				}
				defer f.Close()
				w = bufio.NewWriterSize(f, 1<<20)
			}
			for r := range eval.Synthetic(ns, persons, seed) {
				e := concord.NewEntity(r.ID, r.Schema)
				e.Datasets, e.Refs = []string{dataset}, r.Refs
				for _, n := range r.Names {
					e.Add("name", n)
				}
				for _, p := range []struct {
					prop string
					vals []string
				}{{"birthDate", r.BirthDates}, {"nationality", r.Nationalities}, {"passportNumber", r.Identifiers}} {
					for _, v := range p.vals {
						e.Add(p.prop, v)
					}
				}
				if r.Gender != "" {
					e.Add("gender", r.Gender)
				}
				if err := ftm.Write(w, e); err != nil {
					return err
				}
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("gen ftm: %w", err)
			}
			return nil
		},
	}
	ftmCmd.Flags().IntVar(&persons, "persons", 0, "how many persons")
	ftmCmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the generator")
	ftmCmd.Flags().StringVar(&dataset, "dataset", "synthetic", "dataset of the entities")
	ftmCmd.Flags().StringVar(&names, "names", filepath.Join("..", "shared", "data", "names", "names.tsv"), "names by locale (locale, part, name)")
	ftmCmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for standard output)")
	cmd.AddCommand(ftmCmd)
	return cmd
}
