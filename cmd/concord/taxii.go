package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"concord/internal/search"
	"concord/internal/taxii"
)

func (m *Main) taxiiCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "taxii",
		Short: "TAXII 2.1: pull a collection of a peer, MISP or OpenCTI into a dataset",
		Long: `concord serve answers TAXII 2.1 under /taxii2/ (discovery, one API root, one
collection per audience the caller may read). concord taxii pull reads a
collection's STIX 2.1 objects from another server, page by page, and imports
them into a dataset, as a member's contribution with --member (see concord
import for the mapping of STIX objects to records).`,
	}
	var share shareFlags
	var opt taxii.PullOptions
	var dataset string
	pull := &cobra.Command{
		Use:   "pull URL --dataset NAME [--member ID --audience A --tlp T]",
		Short: "Import the objects of a TAXII 2.1 collection (URL: …/collections/ID/)",
		Example: `  concord taxii pull https://opencti.example/taxii2/root/collections/2c9f…/ --dataset es-opencti \
      --member es --audience member:es --tlp AMBER --token "$OPENCTI_TOKEN"
  concord taxii pull http://127.0.0.1:8080/taxii2/api/collections/coalition/ --dataset peer-coalition \
      --user amina --password "$TOKEN" --added-after 2026-03-01T00:00:00.000Z`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			prov, err := share.provenance()
			if err != nil {
				return err
			}
			if opt.Token == "" && opt.User == "" {
				opt.Token = os.Getenv("CONCORD_TAXII_TOKEN")
			}
			opt.URL = args[0]
			res, err := taxii.Pull(ctx, opt)
			if err != nil {
				return err
			}
			b := stixBatch(res.Result, dataset, args[0], prov)
			st, err := m.openStore(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := share.check(ctx, st, prov); err != nil {
				return err
			}
			if err := share.checkHandlings(ctx, st, b); err != nil {
				return err
			}
			if len(b.Statements) == 0 {
				fmt.Fprintf(m.Stdout, "%s: %d pages, %d objects, nothing to import (skipped: %s)\n", args[0], res.Pages, res.Objects, orNothing(res.SkippedSummary()))
				return nil
			}
			b.Listed = search.Matchable
			rep, err := st.Import(ctx, b)
			if err != nil {
				return err
			}
			printReport(m.Stdout, rep)
			fmt.Fprintf(m.Stdout, "%d pages, %d objects; skipped: %s\n", res.Pages, res.Objects, orNothing(res.SkippedSummary()))
			if res.LastAdded != "" {
				fmt.Fprintf(m.Stdout, "next time: --added-after %s\n", res.LastAdded)
			}
			return nil
		},
	}
	pull.Flags().StringVar(&dataset, "dataset", "", "the dataset to import into (required)")
	pull.Flags().StringVar(&share.member, "member", "", "import as this member's contribution (default: a published list, public)")
	pull.Flags().StringVar(&share.audience, "audience", "", "with --member: who may see it (default member:MEMBER)")
	pull.Flags().StringVar(&share.tlp, "tlp", "AMBER", "with --member: TLP for objects without a TLP marking")
	pull.Flags().StringVar(&opt.Token, "token", "", "bearer token (default: $CONCORD_TAXII_TOKEN)")
	pull.Flags().StringVar(&opt.User, "user", "", "HTTP Basic user")
	pull.Flags().StringVar(&opt.Password, "password", "", "HTTP Basic password (for Concord: an API token)")
	pull.Flags().StringVar(&opt.AddedAfter, "added-after", "", "only objects added after this timestamp")
	pull.Flags().IntVar(&opt.Limit, "limit", 0, "objects per page to ask for (default: the server's)")
	_ = pull.MarkFlagRequired("dataset")
	cmd.AddCommand(pull)
	return cmd
}
