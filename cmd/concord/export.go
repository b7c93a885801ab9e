package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/importer/ftm"
	"concord/internal/service"
	"concord/internal/stix"
)

// memberNames names members by id (falling back to the id).
func memberNames(ctx context.Context, st concord.CoalitionStore) func(string) string {
	names := map[string]string{}
	if ms, err := st.Members(ctx); err == nil {
		for _, m := range ms {
			names[m.ID] = m.Name
		}
	}
	return func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
}

func (m *Main) exportCommand() *cobra.Command {
	var format, out, dataset, member string
	var schemata []string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export entities as FollowTheMoney JSON lines or a STIX 2.1 bundle",
		Long: `Export every entity of the store (or of one dataset or schema) as
FollowTheMoney JSON, one entity per line, as OpenSanctions-style tools read it,
or (--format stix) as a STIX 2.1 bundle, as MISP and OpenCTI read it: persons
and organisations as threat-actor, intrusion-set or identity, documents,
accounts, wallets and media hashes as indicators, links as relationships,
TLP 2.0 markings, the contributing member or list publisher as
created_by_ref and the list references (un:QDi.001) as external references.
--member exports what that member may see (default: everything, as the
operator). Output is deterministic: export, import into an empty store and
export again gives the same bytes.`,
		Example: `  concord export --format ftm > all.ftm.json
  concord export --dataset un --schema Person --out persons.ftm.json
  concord export --format stix --member uz > uz-view.stix.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ftm" && format != "stix" {
				return concord.Errorf(concord.EINVALID, "--format %q: want ftm or stix", format)
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
			q := concord.EntityQuery{Schemata: schemata, Dataset: dataset}
			f := concord.System
			if member != "" {
				if _, err := st.Member(ctx, member); err != nil {
					return fmt.Errorf("--member: %w", err)
				}
				groups, err := st.MemberGroups(ctx, member)
				if err != nil {
					return err
				}
				f = access.Node(member, groups).Filter()
			}
			if format == "stix" {
				sw, err := stix.Export(ctx, st, f, q, w, stix.ID("bundle", fmt.Sprintf("export %s %s %v", m.Clock.Now(), member, schemata)), memberNames(ctx, st))
				if err != nil {
					return err
				}
				return st.Audit(ctx, "export", "stix", fmt.Sprintf("%d objects; member=%q dataset=%q schema=%v", sw.Count(), member, dataset, schemata))
			}
			bw := bufio.NewWriterSize(w, 1<<16)
			n := 0
			if err := st.EachEntity(ctx, f, q, func(e *concord.Entity) error {
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
	cmd.Flags().StringVar(&format, "format", "ftm", "output format: ftm or stix")
	cmd.Flags().StringVar(&member, "member", "", "export what this member may see (default: everything)")
	cmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for stdout)")
	cmd.Flags().StringVar(&dataset, "dataset", "", "only this dataset (e.g. un, ofac)")
	cmd.Flags().StringSliceVar(&schemata, "schema", nil, "only these schemata (e.g. Person,Organization)")
	return cmd
}
