package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/importer/ftm"
	"concord/internal/service"
)

func (m *Main) exportCommand() *cobra.Command {
	var format, out, dataset string
	var schemata []string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export entities as FollowTheMoney JSON lines",
		Long: `Export every entity of the store (or of one dataset or schema) as
FollowTheMoney JSON, one entity per line, as OpenSanctions-style tools read it.
Output is deterministic: export, import into an empty store and export again
gives the same bytes.`,
		Example: `  concord export --format ftm > all.ftm.json
  concord export --dataset un --schema Person --out persons.ftm.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ftm" {
				return concord.Errorf(concord.EINVALID, "--format %q: only ftm is supported", format)
			}
			ctx := cmd.Context() // Run made the operator its actor
			st, err := m.openStore(ctx, true)
			if err != nil {
				return err
			}
			defer st.Close()
			w := m.Stdout
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 1<<16)
			q := concord.EntityQuery{Schemata: schemata, Dataset: dataset}
			n := 0
			if err := st.EachEntity(ctx, concord.System, q, func(e *concord.Entity) error {
				if !service.Served(e) {
					return nil // cases and minors' records: concord case export
				}
				n++
				return ftm.Write(bw, e)
			}); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			return st.Audit(ctx, "export", "ftm", fmt.Sprintf("%d entities; dataset=%q schema=%v", n, dataset, schemata))
		},
	}
	cmd.Flags().StringVar(&format, "format", "ftm", "output format (ftm)")
	cmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for stdout)")
	cmd.Flags().StringVar(&dataset, "dataset", "", "only this dataset (e.g. un, ofac)")
	cmd.Flags().StringSliceVar(&schemata, "schema", nil, "only these schemata (e.g. Person,Organization)")
	return cmd
}
