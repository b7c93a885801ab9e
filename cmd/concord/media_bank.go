package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/mediabank"
	"concord/media"
	"concord/media/exchange"
)

// formatHashes is `media hash` output ("HEX QUALITY FILE" lines) as an
// import format.
const formatHashes = "hashes"

func (m *Main) mediaImportCommand() *cobra.Command {
	var (
		format, dataset, member, audience, tlp, version string
	)
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import media hashes into the hash bank, as a member's contribution",
		Long: `Import hash lists into the store's hash bank: ThreatExchange descriptor CSV or
JSON (te-csv, te-json), python-threatexchange / Hasher-Matcher-Actioner signal
files (signals: "pdq HEX" a line) or "concord media hash" output (hashes), the
format told by the content unless --format says it.

Each hash becomes a Media record of --dataset (one record per hash: its PDQ
hash and quality, or its MD5 or SHA-256, labels from the tags, description,
publisher, first and last seen), contributed by --member to --audience. A
record keeps the TLP its source gives (ThreatExchange share levels: WHITE is
CLEAR; AMBER+STRICT travels as AMBER with the tag tlp:amber+strict), else
--tlp. TLP:AMBER+STRICT and RED records go to one member only.

The files are parsed whole before the store is opened; one bad record
refuses the import with its file, line and field, and nothing changes. A
newer version of the dataset retracts the hashes it no longer holds and
narrows or widens the audience of those it holds again (history is kept).`,
		Example: `  concord media import --dataset uz-bank --member uz --audience coalition --tlp AMBER descriptors.csv
  concord media hash pictures/*.jpg > bank.txt && concord media import --dataset uz-pictures --member uz bank.txt`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataset == "" || member == "" {
				return concord.Errorf(concord.EINVALID, "--dataset and --member are required")
			}
			a, err := concord.ParseAudience(audience)
			if err != nil {
				return err
			}
			h, err := concord.ParseTLP(tlp)
			if err != nil {
				return err
			}
			var recs []exchange.Record
			skipped := map[string]int{}
			for _, name := range args {
				rs, sk, err := readMediaList(name, format)
				if err != nil {
					return err
				}
				recs = append(recs, rs...)
				for k, n := range sk {
					skipped[k] += n
				}
			}
			ctx := cmd.Context()
			st, err := m.openStore(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			if _, err := st.Member(ctx, member); err != nil {
				return concord.Errorf(concord.EINVALID, "--member %s: no such member", member)
			}
			groups, err := st.MemberGroups(ctx, member)
			if err != nil {
				return err
			}
			v := access.Viewer{User: "operator", Member: member, Roles: []concord.Role{concord.RoleAnalyst}, Groups: groups}
			b, err := mediabank.Batch(v, dataset, version, strings.Join(args, ","), recs, mediabank.Share{Member: member, Audience: a, TLP: h})
			if err != nil {
				return err
			}
			rep, err := st.Import(ctx, b)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s: %d hashes in %d records: %d added, %d changed, %d removed\n",
				dataset, len(recs), rep.Entities, rep.NAdded, rep.NChanged, rep.NRemoved)
			for k, n := range skipped {
				fmt.Fprintf(m.Stderr, "skipped %d descriptors of type %s (not media hashes)\n", n, k)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "te-csv, te-json, signals or hashes (default: detect)")
	cmd.Flags().StringVar(&dataset, "dataset", "", "dataset of the records (required), e.g. uz-bank")
	cmd.Flags().StringVar(&member, "member", "", "contributing member (required)")
	cmd.Flags().StringVar(&audience, "audience", "coalition", "who may see them: coalition, group:<id> or member:<id>")
	cmd.Flags().StringVar(&tlp, "tlp", "AMBER", "TLP of records whose source gives none")
	cmd.Flags().StringVar(&version, "version", "", "version of the dataset, for the record")
	return cmd
}

// readMediaList reads one hash list in any import format.
func readMediaList(name, format string) ([]exchange.Record, map[string]int, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	if format == "" {
		format = exchange.Detect(data)
		if format == exchange.FormatSignals && !signalLines(data) {
			format = formatHashes
		}
	}
	if format == formatHashes {
		list, err := media.ReadHashList(bytes.NewReader(data), name)
		if err != nil {
			return nil, nil, err
		}
		recs := make([]exchange.Record, len(list))
		for i, e := range list {
			r := exchange.Record{Type: exchange.TypePDQ, Value: e.Hash.String(), Quality: -1}
			// "QUALITY FILE" as media hash prints it: the quality, and the
			// file's name as the description.
			q, rest, _ := strings.Cut(e.Label, " ")
			if n, err := strconv.Atoi(q); err == nil && n >= 0 && n <= 100 {
				r.Quality, r.Description = n, strings.TrimSpace(rest)
			} else {
				r.Description = e.Label
			}
			recs[i] = r
		}
		return recs, nil, nil
	}
	l, err := exchange.Read(bytes.NewReader(data), format, name)
	if err != nil {
		return nil, nil, err
	}
	return l.Records, l.Skipped, nil
}

func (m *Main) mediaExportCommand() *cobra.Command {
	var format, dataset, out, member string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the hash bank as ThreatExchange CSV/JSON or HMA signal lines",
		Long: `Write the store's media records, one per hash, as ThreatExchange descriptor CSV
(te-csv, the columns of its bulk upload), ThreatExchange JSON lines (te-json)
or python-threatexchange / Hasher-Matcher-Actioner signal lines (signals).
Each record carries the TLP of its hash (CLEAR is written WHITE; AMBER+STRICT
as AMBER with the tag tlp:amber+strict). --member exports only what that
member may see: what may leave for a partner is decided by the same rule as
what a user sees.`,
		Example: `  concord media export --format te-csv --dataset uz-bank > bank.csv
  concord media export --format signals --member es > es-signals.txt`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			f := concord.System
			if member != "" {
				if _, err := st.Member(ctx, member); err != nil {
					return concord.Errorf(concord.EINVALID, "--member %s: no such member", member)
				}
				groups, err := st.MemberGroups(ctx, member)
				if err != nil {
					return err
				}
				f = access.Viewer{User: "operator", Member: member, Roles: []concord.Role{concord.RoleAnalyst}, Groups: groups}.Filter()
			}
			recs, err := mediabank.Records(ctx, st, f, dataset)
			if err != nil {
				return err
			}
			var w io.Writer = m.Stdout
			if out != "-" {
				file, err := os.Create(out)
				if err != nil {
					return err
				}
				defer file.Close()
				w = file
			}
			bw := bufio.NewWriter(w)
			if err := exchange.Write(bw, format, recs); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "exported %d hashes\n", len(recs))
			return st.Audit(ctx, "media.export", dataset, fmt.Sprintf("%d hashes as %s, view of %q", len(recs), format, member))
		}),
	}
	cmd.Flags().StringVar(&format, "format", exchange.FormatTECSV, "te-csv, te-json or signals")
	cmd.Flags().StringVar(&dataset, "dataset", "", "only this dataset")
	cmd.Flags().StringVar(&member, "member", "", "export only what this member may see")
	cmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for stdout)")
	return cmd
}
