package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"concord"
	"concord/internal/importer/pnrgov"
	"concord/internal/job"

	"concord/match"
)

// exitRowsSkipped is the exit status of a screening that skipped bad rows.
const exitRowsSkipped = 3

func (m *Main) screenCommand() *cobra.Command {
	var in, out, deny string
	var threshold float64
	var limit, workers int
	var member string
	cmd := &cobra.Command{
		Use:   "screen",
		Short: "Screen a batch of names, a PAXLST manifest, a PNRGOV push or a payment message against everything imported",
		Long: `Screen queries against every list in the store and write one JSON line per
query, in input order:

  {"id": "t1", "matches": [{"entity_id": "un-QDi.001", "refs": ["un:QDi.001"],
    "caption": "...", "schema": "Person", "score": 0.93, "explanation": [...]}]}

Input is a CSV with a header: id and name required; birth_date (YYYY,
YYYY-MM or YYYY-MM-DD), nationality (ISO 3166 alpha-2/alpha-3 or English
name), gender, schema (Person, Organization or empty) and document_number
optional; other columns are ignored. A UN/EDIFACT PAXLST manifest is
recognised by its content: each traveller is screened, its id naming its
position in the message (msg1-pax3). So is a PNRGOV push (PNR data): one
line per traveller per PNR, its id naming its place (msg1-pnr2-pax1) and
"booking" its record locator; the traveller's name, birth date,
nationality, gender and passport are screened as a manifest's. Special
service requests that reveal religion or health (meals, wheelchairs,
medical cases: the categories of the EU PNR Directive) and free-text
remarks are dropped as the push is read; --pnr-deny FILE replaces that list
of SSR codes (one code or pattern such as WC* or *ML per line).

Payment messages are recognised by their content too: ISO 20022 pacs.008,
pacs.009 and pain.001 (any version or bank variant) and SWIFT MT103 / MT202
(COV) files. Every party of every transaction is screened and written as one
line with its transaction and role ("tx 3 creditor", "tx 3 creditor agent",
"tx 3 remittance information"): names through the matching engine; account
numbers and IBANs, BICs and digital-currency wallets, including those
written in free text, exactly against the identifiers of listed records;
the names hiding in remittance and instruction texts. An identifier hit
scores 1 (0.95 for another branch of a listed bank). A message that cannot
be read is refused with its line and element path (or field tag) before
anything is screened; a message of any size streams. With --member, a party
whose address, IBAN or BIC is in one of that member's high-risk countries
(concord coalition high-risk) carries a flag with its reason.

Matches at or above --threshold are listed, best first, at most --limit. A
bad row is reported on stderr with its line number and skipped; the exit
status is then 3. A summary line (queries, hits, time) ends the run.`,
		Example: `  concord screen --in travellers.csv --out results.jsonl
  concord screen --in manifest.edi --out - --threshold 0.85
  concord screen --in pnr-push.edi --out hits.jsonl --pnr-deny deny.txt
  concord screen --in pacs008.xml --out -
  concord screen --in mt103.txt --out alerts.jsonl
  cat queries.csv | concord screen --in - --out - --workers 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if threshold <= 0 || threshold > 1 {
				return concord.Errorf(concord.EINVALID, "--threshold %v: want a score in (0,1]", threshold)
			}
			if limit <= 0 {
				return concord.Errorf(concord.EINVALID, "--limit %d: want at least 1", limit)
			}
			opt, err := readOptions(deny)
			if err != nil {
				return err
			}
			return m.runScreen(cmd.Context(), opt, in, out, threshold, limit, workers, member)
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "query CSV, PAXLST manifest, PNRGOV push or payment message (- for stdin)")
	cmd.Flags().StringVar(&out, "out", "-", "results file, JSON lines (- for stdout)")
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "minimum score of a reported match")
	cmd.Flags().IntVar(&limit, "limit", match.DefaultLimit, "maximum matches per query")
	cmd.Flags().IntVar(&workers, "workers", 0, "screening goroutines (default: number of CPUs)")
	cmd.Flags().StringVar(&member, "member", "", "payments: flag parties tied to this member's high-risk countries (concord coalition high-risk)")
	cmd.Flags().StringVar(&deny, "pnr-deny", "", "file of SSR codes never kept from a PNRGOV push (default: special meals and health requests)")
	_ = cmd.MarkFlagRequired("in")
	return cmd
}

// readOptions are how batches are read: the deny list of a PNRGOV push
// from a file, or the default.
func readOptions(denyFile string) (job.Options, error) {
	var o job.Options
	if denyFile == "" {
		return o, nil
	}
	f, err := os.Open(denyFile)
	if err != nil {
		return o, concord.Errorf(concord.EINVALID, "--pnr-deny: %v", err)
	}
	defer f.Close()
	d, err := pnrgov.ParseDenyList(f)
	if err != nil {
		return o, concord.Errorf(concord.EINVALID, "--pnr-deny %s: %v", denyFile, err)
	}
	o.PNR.Deny = d
	return o, nil
}

func (m *Main) runScreen(ctx context.Context, read job.Options, in, out string, threshold float64, limit, workers int, member string) error {
	var r io.Reader = m.Stdin
	var file *os.File
	name := "stdin"
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return concord.Errorf(concord.EINVALID, "%v", err)
		}
		defer f.Close()
		r, name, file = f, in, f
	}
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(4096)
	if kind := job.DetectKind(head); job.IsPayment(kind) {
		var rs io.ReadSeeker = file
		if file == nil {
			sp, cleanup, err := spool(br)
			if err != nil {
				return err
			}
			defer cleanup()
			rs = sp
		} else if _, err := file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return m.runScreenPayments(ctx, rs, name, kind, out, threshold, limit, workers, member)
	}
	_, qs, bad, _, err := read.ReadQueries(br, name)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintf(m.Stderr, "%s:%d: skipped: %s\n", name, b.Line, b.Msg)
	}
	ctx = m.cliActor(ctx)
	st, err := m.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	t0 := time.Now()
	// The index of a node on the same data directory, if it saved one,
	// brought up to date through the change feed; else built from the store.
	warn := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, at, _, err := loadIndex(ctx, st, m.indexSnapshot("", false), warn, nil)
	if err != nil {
		return err
	}
	if err := catchUp(ctx, st, svc, at); err != nil {
		return err
	}
	built := time.Since(t0)

	w, closeOut, err := m.output(out)
	if err != nil {
		return err
	}
	defer closeOut()
	var progress func(int64)
	if m.Interactive && !m.Quiet && len(qs) > 1000 {
		bar := progressbar.NewOptions(len(qs), progressbar.OptionSetWriter(m.Stderr),
			progressbar.OptionSetDescription("screening"), progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount())
		progress = func(n int64) { _ = bar.Set64(n) }
		defer bar.Finish()
	}
	opt := match.Options{Threshold: threshold, Limit: limit}
	t1 := time.Now()
	results, err := job.Screen(ctx, qs, workers, func(_ context.Context, q match.Query) ([]match.Match, error) {
		return svc.MatchAll(q, opt), nil
	}, progress)
	if err != nil {
		return err
	}
	elapsed := time.Since(t1)
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	hits := 0
	for i := range results {
		if len(results[i].Matches) > 0 {
			hits++
		}
		if err := enc.Encode(&results[i]); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := st.Audit(ctx, "screen", name, fmt.Sprintf("%d queries, %d with hits, threshold %.2f", len(qs), hits, threshold)); err != nil {
		return err
	}
	qps := 0.0
	if elapsed > 0 {
		qps = float64(len(qs)) / elapsed.Seconds()
	}
	fmt.Fprintf(m.Stderr, "screened %d queries against %d entities: %d with hits, %d rows skipped; index %s, screening %s (%.0f queries/s)\n",
		len(qs), svc.Len(), hits, len(bad), built.Round(time.Millisecond), elapsed.Round(time.Millisecond), qps)
	if len(bad) > 0 {
		return &exitError{code: exitRowsSkipped, msg: fmt.Sprintf("%d bad rows skipped", len(bad))}
	}
	return nil
}

// output opens the results file, or standard output for "-".
func (m *Main) output(out string) (io.Writer, func(), error) {
	if out == "-" {
		return m.Stdout, func() {}, nil
	}
	f, err := os.Create(out)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
