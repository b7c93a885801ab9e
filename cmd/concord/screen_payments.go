package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"concord"
	"concord/internal/idindex"
	"concord/internal/importer/payment"
	"concord/internal/job"
	"concord/internal/search"
	"concord/match"
)

// runScreenPayments screens a payment message: a first pass reads the whole
// message so that a broken one is refused before anything is written, a
// second streams it through the screening, a batch of transactions at a
// time, writing one line per party.
func (m *Main) runScreenPayments(ctx context.Context, rs io.ReadSeeker, name, kind, out string, threshold float64, limit, workers int, member string) error {
	parties := 0
	meta, err := job.ReadPayments(rs, name, kind, func(qs []job.Query) error { parties += len(qs); return nil })
	if err != nil {
		return err
	}
	var msg payment.Message
	_ = json.Unmarshal([]byte(meta), &msg)
	for _, w := range msg.Warnings {
		fmt.Fprintf(m.Stderr, "%s: warning: %s\n", name, w)
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return err
	}

	ctx = m.cliActor(ctx)
	st, err := m.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	t0 := time.Now()
	svc, err := search.New(ctx, st)
	if err != nil {
		return err
	}
	ids, err := idindex.New(ctx, st)
	if err != nil {
		return err
	}
	built := time.Since(t0)
	var highRisk []string
	if member != "" {
		mem, err := st.Member(ctx, member)
		if err != nil {
			return err
		}
		highRisk = mem.HighRisk
	}

	w, closeOut, err := m.output(out)
	if err != nil {
		return err
	}
	defer closeOut()
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	opt := match.Options{Threshold: threshold, Limit: limit}
	sc := job.NewScreener(job.Matchers{
		Names:    func(_ context.Context, q match.Query) ([]match.Match, error) { return svc.MatchAll(q, opt), nil },
		Idents:   ids.MatchAll,
		Limit:    limit,
		HighRisk: highRisk,
		Member:   member,
	})
	hits, warned, flagged := 0, 0, 0
	t1 := time.Now()
	if _, err := job.ReadPayments(rs, name, kind, func(qs []job.Query) error {
		res, err := sc.Screen(ctx, qs, workers, nil)
		if err != nil {
			return err
		}
		for i := range res {
			if len(res[i].Matches) > 0 {
				hits++
			}
			if len(res[i].Warnings) > 0 {
				warned++
			}
			if len(res[i].Flags) > 0 {
				flagged++
			}
			if err := enc.Encode(&res[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	elapsed := time.Since(t1)
	if err := st.Audit(ctx, "screen", name, fmt.Sprintf("%s: %d transactions, %d parties, %d with hits, threshold %.2f",
		msg.Format, msg.Transactions, parties, hits, threshold)); err != nil {
		return err
	}
	tps := 0.0
	if elapsed > 0 {
		tps = float64(msg.Transactions) / elapsed.Seconds()
	}
	fmt.Fprintf(m.Stderr, "screened %d parties of %d transactions (%s) against %d entities and %d identifiers: %d with hits, %d flagged, %d with warnings; index %s, screening %s (%.0f transactions/s)\n",
		parties, msg.Transactions, msg.Format, svc.Len(), ids.Len(), hits, flagged, warned, built.Round(time.Millisecond), elapsed.Round(time.Millisecond), tps)
	return nil
}

// spool copies standard input to a temporary file, so that a message can
// be read twice.
func spool(r io.Reader) (io.ReadSeeker, func(), error) {
	f, err := os.CreateTemp("", "concord-screen-*")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		cleanup()
		return nil, nil, concord.Errorf(concord.EINVALID, "reading the message: %v", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, nil, err
	}
	return f, cleanup, nil
}
