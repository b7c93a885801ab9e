package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/unxml"
	"concord/internal/search"
	"concord/internal/stix"
)

func (m *Main) importCommand() *cobra.Command {
	var format, dataset string
	var partial, dryRun, confirm bool
	var share shareFlags
	var cpuProfile string
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import lists: UN Consolidated List XML, OFAC SDN CSV, FollowTheMoney JSON lines, STIX 2.1",
		Long: `Import one or more lists into the store. The format is detected from each
file's name and content, or forced with --format. The OFAC SDN files
(sdn.csv, alt.csv, add.csv; any names containing sdn/alt/add) are imported
together as one dataset. A STIX 2.1 bundle (MISP, OpenCTI) becomes records:
threat-actors, intrusion-sets and identities, indicators on documents,
accounts, wallets and file hashes, relationships between them; each takes
its object's TLP marking; objects Concord has no place for (malware, attack
patterns, network indicators) are counted and skipped. --member imports FtM
or STIX as that member's contribution under --audience and --tlp.

Each dataset is imported as a whole in one transaction: records missing from
a newer version are retracted (history is kept), and the command reports the
delta (added, changed, removed records, each counted; the first ten of each
listed). A malformed file is refused with an error naming the file and line,
and the store is left unchanged.

FtM files are streamed into the store, so memory stays bounded whatever
their size: a lone file is read once, in its import's transaction (a file
holding several datasets is read once more for each other dataset); when
the command has several files, each FtM file is checked first, so that a bad
one is refused before any is imported.

A part of a dataset is never taken for the whole: the OFAC list without its
alt or add file is refused (it would retract every alternate name or
address) unless --partial says the files are a part, which adds and
refreshes records and retracts nothing. FtM files are always partial. An
import that would retract more than a tenth of a dataset's statements is
refused with its delta, and nothing changes: --dry-run shows the delta of
any import without applying it, --confirm applies a large one.`,
		Example: `  concord import ../shared/data/lists/un_consolidated.xml
  concord import ofac_sdn.csv ofac_alt.csv ofac_add.csv
  concord import --format ftm --dataset member-es entities.ftm.json
  concord import --partial ofac_sdn.csv          # refresh the SDN records, keep names and addresses
  concord import --dry-run un_consolidated.xml    # the delta, nothing changed
  concord import --confirm un_consolidated.xml    # apply a delta that retracts much

  concord import --format stix --dataset es-opencti --member es --audience group:ttwg --tlp AMBER bundle.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && !slices.Contains(importer.Formats, format) {
				return concord.Errorf(concord.EINVALID, "--format %q: want one of %s", format, strings.Join(importer.Formats, ", "))
			}
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "--cpuprofile: %v", err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			return m.runImport(cmd.Context(), importOptions{format: format, dataset: dataset, partial: partial, dryRun: dryRun, confirm: confirm, share: share}, args)
		},
	}
	cmd.Flags().StringVar(&share.member, "member", "", "FtM and STIX: import as this member's contribution (default: a published list, public)")
	// STIX objects carry their own TLP marking; --tlp is for unmarked ones.
	cmd.Flags().StringVar(&share.audience, "audience", "", "with --member: who may see it (member:ID, group:ID, coalition; default member:MEMBER)")
	cmd.Flags().StringVar(&share.tlp, "tlp", "AMBER", "with --member: TLP 2.0 handling (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")
	cmd.Flags().StringVar(&format, "format", "", "input format: "+strings.Join(importer.Formats, "|")+" (default: detect)")
	cmd.Flags().StringVar(&dataset, "dataset", "", "dataset name for FtM imports (default: each entity's first dataset)")
	cmd.Flags().BoolVar(&partial, "partial", false, "the files are a part of their dataset: add and refresh records, retract nothing")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show the delta the import would make and change nothing")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the import to this file (go tool pprof)")
	cmd.Flags().BoolVar(&confirm, "confirm", false, "apply an import even if it retracts more than a tenth of its dataset's statements")
	return cmd
}

// shareFlags are concord import's --member, --audience and --tlp.
type shareFlags struct{ member, audience, tlp string }

// provenance is the provenance the flags give: a published list without
// --member, else the member's contribution (checked against the store's
// groups by check).
func (f shareFlags) provenance() (concord.Provenance, error) {
	if f.member == "" {
		if f.audience != "" {
			return concord.Provenance{}, concord.Errorf(concord.EINVALID, "--audience needs --member")
		}
		return publicProvenance(), nil
	}
	aud := f.audience
	if aud == "" {
		aud = string(concord.MemberAudience(f.member))
	}
	a, err := concord.ParseAudience(aud)
	if err != nil {
		return concord.Provenance{}, err
	}
	h, err := concord.ParseTLP(f.tlp)
	if err != nil {
		return concord.Provenance{}, err
	}
	return concord.Provenance{ContributedBy: f.member, Audience: a, Handling: h}, nil
}

// checkHandlings holds the handling of each statement of b (a STIX
// object's own TLP marking) to the sharing rules: a published list carries
// CLEAR and GREEN only, a member's contribution what its audience allows.
func (f shareFlags) checkHandlings(ctx context.Context, st concord.Store, b *concord.ImportBatch) error {
	checked := map[concord.TLP]bool{}
	for _, s := range b.Statements {
		if checked[s.Handling] {
			continue
		}
		checked[s.Handling] = true
		var err error
		if f.member == "" {
			if s.Handling != concord.TLPClear && s.Handling != concord.TLPGreen {
				err = concord.Errorf(concord.EINVALID, "TLP:%s cannot be published: import it as a member's contribution (--member ID --audience ...)", s.Handling)
			}
		} else {
			err = f.check(ctx, st, concord.Provenance{Audience: s.Audience, Handling: s.Handling})
		}
		if err != nil {
			return fmt.Errorf("%s: %s (record %s): %w", b.Source, s.SourceRef, s.EntityID, err)
		}
	}
	return nil
}

// check holds a member's import to the sharing rules of access.
func (f shareFlags) check(ctx context.Context, st concord.Store, p concord.Provenance) error {
	if f.member == "" {
		return nil
	}
	if _, err := st.Member(ctx, f.member); err != nil {
		return fmt.Errorf("--member: %w", err)
	}
	groups, err := st.MemberGroups(ctx, f.member)
	if err != nil {
		return err
	}
	v := access.Viewer{User: "operator", Member: f.member, Roles: []concord.Role{concord.RoleAnalyst}, Groups: groups}
	return access.ValidateShare(v, p.Audience, p.Handling)
}

// importOptions are the flags of concord import.
type importOptions struct {
	format, dataset string
	partial         bool // batches only add and refresh
	dryRun          bool // compute and show the delta, change nothing
	confirm         bool // apply a delta that retracts much
	share           shareFlags
}

// errDryRun stops a dry run's import once its delta is known.
var errDryRun = errors.New("dry run")

// retractGuard refuses, unless confirmed, an import that would retract more
// than a tenth of its dataset's live statements (and more than a handful):
// the mark of a part taken for the whole, such as one file of a list.
func retractGuard(r *concord.ImportReport) error {
	if r.Live == 0 || r.Retracted <= 50 || r.Retracted*10 <= r.Live {
		return nil
	}
	return concord.Errorf(concord.EINVALID, "%s: this import would retract %d of the dataset's %d statements (%d%%): "+
		"%d entities removed, %d changed, %d added. Is the file a part of the dataset? Nothing was changed; "+
		"see the delta with --dry-run, apply it with --confirm, or import a part with --partial",
		r.Dataset, r.Retracted, r.Live, r.Retracted*100/r.Live, r.NRemoved, r.NChanged, r.NAdded)
}

func (m *Main) runImport(ctx context.Context, o importOptions, files []string) error {
	defer paceImport()()
	format, dataset := o.format, o.dataset
	share := o.share
	prov, err := share.provenance()
	if err != nil {
		return err
	}
	groups := map[string][]string{}
	for _, f := range files {
		ff := format
		if ff == "" {
			head, err := readHead(f)
			if err != nil {
				return err
			}
			if ff = importer.Detect(f, head); ff == "" {
				return concord.Errorf(concord.EINVALID, "%s: unknown format; use --format %s", f, strings.Join(importer.Formats, "|"))
			}
		}
		groups[ff] = append(groups[ff], f)
	}
	// Parse everything before opening the store: a bad file changes nothing.
	var batches []*concord.ImportBatch
	for _, f := range groups[importer.FormatUNXML] {
		b, err := m.readUN(f)
		if err != nil {
			return err
		}
		batches = append(batches, b)
	}
	if fs := groups[importer.FormatOFACCSV]; len(fs) > 0 {
		b, err := m.readOFAC(fs, o.partial)
		if err != nil {
			return err
		}
		batches = append(batches, b)
	}
	if o.partial {
		for _, b := range batches {
			b.Partial = true
		}
	}
	// FtM files are streamed into the store; each is checked first unless
	// it is the command's only file (its one stream checks it).
	var streams []*ftmStream
	for _, f := range groups[importer.FormatFtM] {
		fs, err := m.openFtM(f, dataset, prov, len(files) > 1)
		if err != nil {
			return err
		}
		streams = append(streams, fs)
		batches = append(batches, fs.batches()...)
	}
	for _, f := range groups[importer.FormatSTIX] {
		b, err := m.readSTIX(f, dataset, prov)
		if err != nil {
			return err
		}
		batches = append(batches, b)
	}
	st, err := m.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := share.check(ctx, st, prov); err != nil {
		return err
	}
	for _, b := range batches {
		if err := share.checkHandlings(ctx, st, b); err != nil {
			return err
		}
	}
	for len(batches) > 0 {
		b := batches[0]
		batches = batches[1:]
		b.Listed = search.Matchable
		var planned *concord.ImportReport
		b.Check = func(r *concord.ImportReport) error {
			planned = r
			if o.dryRun {
				return errDryRun
			}
			if o.confirm {
				return nil
			}
			return retractGuard(r)
		}
		rep, err := st.Import(ctx, b)
		switch {
		case errors.Is(err, errDryRun):
			rep = planned
		case err != nil:
			return fmt.Errorf("importing %s: %w", b.Source, err)
		}
		printReport(m.Stdout, rep)
		if o.dryRun {
			fmt.Fprintf(m.Stdout, "  dry run: nothing was changed (%d of %d statements would be retracted)\n", rep.Retracted, rep.Live)
		}
		for _, fs := range streams {
			// A lone file's first stream found its other datasets.
			batches = append(batches, fs.more(b)...)
		}
	}
	return nil
}

func readHead(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return buf[:n], nil
}

// openProgress opens a file, wrapped in a progress bar on a terminal.
func (m *Main) openProgress(file string) (io.Reader, func(), error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	if m.Quiet || !m.Interactive {
		return f, func() { f.Close() }, nil
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	bar := progressbar.NewOptions64(fi.Size(),
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetDescription(filepath.Base(file)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	r := progressbar.NewReader(f, bar)
	return &r, func() { bar.Finish(); f.Close() }, nil
}

func (m *Main) readUN(file string) (*concord.ImportBatch, error) {
	r, done, err := m.openProgress(file)
	if err != nil {
		return nil, err
	}
	defer done()
	var recs []importer.Record
	meta, err := unxml.Read(r, file, func(rec importer.Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return importer.Batch("un", meta.Generated, file, recs, publicProvenance()), nil
}

// readOFAC reads the files of the OFAC list; without partial, all three
// must be there.
func (m *Main) readOFAC(files []string, partial bool) (*concord.ImportBatch, error) {
	fs, err := ofaccsv.FindFiles(files)
	if err != nil {
		return nil, err
	}
	if missing := fs.Missing(); len(missing) > 0 && !partial {
		lost := "alternate names and addresses"
		switch {
		case fs.Alt != "":
			lost = "addresses"
		case fs.Add != "":
			lost = "alternate names"
		}
		return nil, concord.Errorf(concord.EINVALID, "ofac: %s without %s: the OFAC SDN list is three files (sdn.csv, alt.csv, add.csv), "+
			"and importing a part of it as the whole would retract every record's %s; give all three files, "+
			"or --partial to add and refresh records without retracting anything",
			filepath.Base(fs.SDN), strings.Join(missing, " and "), lost)
	}
	var recs []importer.Record
	if _, err := ofaccsv.Read(fs, func(rec importer.Record) error {
		recs = append(recs, rec)
		return nil
	}); err != nil {
		return nil, err
	}
	return importer.Batch("ofac", "", strings.Join(files, ","), recs, publicProvenance()), nil
}

// readSTIX reads a STIX 2.1 bundle into one batch of dataset (default
// "stix"); each record takes its object's TLP marking, else --tlp.
func (m *Main) readSTIX(file, dataset string, prov concord.Provenance) (*concord.ImportBatch, error) {
	r, done, err := m.openProgress(file)
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := stix.Read(r, file)
	if err != nil {
		return nil, err
	}
	if dataset == "" {
		dataset = "stix"
	}
	b := stixBatch(res, dataset, file, prov)
	m.logf("%s: %d STIX objects, %d records; skipped: %s", file, res.Objects, len(res.Records), orNothing(res.SkippedSummary()))
	return b, nil
}

// stixBatch turns what a STIX file held into a partial batch of dataset.
func stixBatch(res *stix.Result, dataset, source string, prov concord.Provenance) *concord.ImportBatch {
	b := &concord.ImportBatch{Dataset: dataset, Source: source, Partial: true}
	for _, r := range res.Records {
		p := prov
		p.Dataset, p.SourceRef = dataset, r.SourceRef
		if r.Handling != "" {
			p.Handling = r.Handling
		}
		for _, s := range r.Entity.Statements(p) {
			s.FirstSeen, s.LastSeen = r.Entity.FirstSeen, r.Entity.LastSeen
			b.Statements = append(b.Statements, s)
		}
	}
	return b
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

func printReport(w io.Writer, r *concord.ImportReport) {
	d := r.Records
	fmt.Fprintf(w, "%s: %d records (%d entities, %d statements)", r.Dataset, d.Records, r.Entities, r.Statements)
	if r.Version != "" {
		fmt.Fprintf(w, ", version %s", r.Version)
	}
	fmt.Fprintln(w)
	var parts []string
	for _, s := range search.Matchable {
		if n := r.BySchema[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, plural(s, n)))
		}
	}
	var rest []string
	for s, n := range r.BySchema {
		if !slices.Contains(search.Matchable, s) {
			rest = append(rest, fmt.Sprintf("%d %s", n, s))
		}
	}
	sort.Strings(rest)
	fmt.Fprintf(w, "  listed: %s\n", strings.Join(parts, ", "))
	if len(rest) > 0 {
		fmt.Fprintf(w, "  with: %s\n", strings.Join(rest, ", "))
	}
	if r.Unchanged() {
		fmt.Fprintln(w, "  no change since the last import")
		return
	}
	fmt.Fprintf(w, "  delta: %d records added, %d changed, %d removed (retracted, history kept)\n", d.NAdded, d.NChanged, d.NRemoved)
	for _, l := range []struct {
		sign string
		n    int
		ids  []string
	}{{"+", d.NAdded, d.Added}, {"~", d.NChanged, d.Changed}, {"-", d.NRemoved, d.Removed}} {
		for i, id := range l.ids {
			if i == 10 {
				fmt.Fprintf(w, "    %s ... %d more\n", l.sign, l.n-10)
				break
			}
			fmt.Fprintf(w, "    %s %s\n", l.sign, id)
		}
	}
}

func plural(schema string, n int) string {
	names := map[string][2]string{
		"Person": {"person", "persons"}, "Organization": {"organisation", "organisations"},
		"Company": {"company", "companies"}, "LegalEntity": {"legal entity", "legal entities"},
		"Vessel": {"vessel", "vessels"}, "Airplane": {"aircraft", "aircraft"},
	}
	if n == 1 {
		return names[schema][0]
	}
	return names[schema][1]
}
