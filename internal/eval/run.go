package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"concord/match"
)

// Result is what one set measured.
type Result struct {
	Set       string
	About     string
	Queries   int
	Recall1   float64 // share of positive cases whose expected record ranks first (any score)
	Recall5   float64 // ... ranks in the top five
	HitRate   float64 // share of positive cases whose expected record scores ≥ threshold
	FPR       float64 // share of negative cases with any match ≥ threshold
	QPS       float64 // queries per second with Workers goroutines
	Workers   int
	P50, P99  time.Duration     // single-query latency
	ByNote    map[string][3]int // positives: ranked first, first and ≥ threshold, cases; negatives: flagged, 0, cases
	Negatives int
	Control   int            // cases counted in their note only (Case.Control)
	Breakdown bool           // print the per-note figures even when not verbose
	Redrawn   map[string]int // generated negatives not kept because their name is listed, by note
	Skipped   map[string]int // queries left out as exact lookups, by reason
	Misses    []string       // a few examples
	Threshold float64
}

// RunOptions tune a Run.
type RunOptions struct {
	Threshold float64
	// Workers is the number of goroutines of the throughput measurement
	// (0: GOMAXPROCS); without Timing, of the ranking.
	Workers int
	// Timing measures throughput (a pass of its own) and single-query
	// latency (ranking one query at a time); without it the cases are
	// ranked on Workers goroutines and no time is reported.
	Timing bool
	// CountFP, when set, says which matches of a negative case count as
	// false positives (e.g. only those on real list records).
	CountFP func(m match.Match) bool
	// Dump, when set, receives every positive case that is not a hit and
	// every flagged negative, with the ranked matches and their
	// explanations (WriteDump writes them as JSON lines).
	Dump func(Outcome)
	// Indexes holds the indexes that cases naming one (Case.Index) run
	// against instead of Run's.
	Indexes map[string]*match.Index
}

// Outcome is one case that went wrong: a positive whose expected record
// was not first at or above the threshold ("miss": not first; "low":
// first, below the threshold), or a flagged negative ("fp").
type Outcome struct {
	Set     string        `json:"set"`
	Note    string        `json:"note"`
	Kind    string        `json:"kind"`
	Query   match.Query   `json:"query"`
	Want    string        `json:"want,omitempty"`
	Rank    int           `json:"rank"` // of the expected record among the five ranked, -1 when absent
	Matches []match.Match `json:"matches"`
}

// Run screens every case of s against ix. Recall is measured without a
// threshold (rank of the expected record among all candidates); FPR at
// threshold. With o.Timing, throughput uses o.Workers goroutines and
// latency is timed query by query on one goroutine.
func Run(ix *match.Index, s Set, o RunOptions) Result {
	threshold, workers, countFP := o.Threshold, o.Workers, o.CountFP
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	res := Result{Set: s.Name, About: s.About, Queries: len(s.Cases), Workers: workers, ByNote: map[string][3]int{}, Threshold: threshold, Breakdown: s.Breakdown, Redrawn: s.Redrawn, Skipped: s.Skipped}
	indexOf := func(c *Case) *match.Index {
		if c.Index == "" {
			return ix
		}
		x, ok := o.Indexes[c.Index]
		if !ok {
			panic(fmt.Sprintf("eval: set %s: no index %q in RunOptions.Indexes", s.Name, c.Index))
		}
		return x
	}
	ranked := make([][]match.Match, len(s.Cases))
	parallel := func(fn func(i int)) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(s.Cases) {
						return
					}
					fn(i)
				}
			}()
		}
		wg.Wait()
	}
	rank := func(i int) []match.Match {
		return indexOf(&s.Cases[i]).Match(s.Cases[i].Query, match.Options{Threshold: 1e-9, Limit: 5})
	}
	if o.Timing {
		// Throughput: the screening call as `concord screen` makes it.
		t0 := time.Now()
		parallel(func(i int) {
			_ = indexOf(&s.Cases[i]).Match(s.Cases[i].Query, match.Options{Threshold: threshold, Limit: 5})
		})
		if el := time.Since(t0); el > 0 {
			res.QPS = float64(len(s.Cases)) / el.Seconds()
		}
		// Latency and ranks, one query at a time.
		lat := make([]time.Duration, len(s.Cases))
		for i := range s.Cases {
			t := time.Now()
			ranked[i] = rank(i)
			lat[i] = time.Since(t)
		}
		slices.Sort(lat)
		if len(lat) > 0 {
			res.P50 = lat[len(lat)/2]
			res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
		}
	} else {
		parallel(func(i int) { ranked[i] = rank(i) })
	}
	dump := func(c Case, kind string, rank int, ms []match.Match) {
		if o.Dump != nil {
			o.Dump(Outcome{Set: s.Name, Note: c.Note, Kind: kind, Query: c.Query, Want: c.Want, Rank: rank, Matches: ms})
		}
	}
	pos, r1, r5, hit, neg, fp := 0, 0, 0, 0, 0, 0
	for i, c := range s.Cases {
		ms := ranked[i]
		if c.Want == "" {
			if c.Control {
				res.Control++
			} else {
				neg++
			}
			nb := res.ByNote[c.Note]
			nb[2]++
			res.ByNote[c.Note] = nb
			for _, m := range ms {
				if m.Score >= threshold && (countFP == nil || countFP(m)) {
					if !c.Control {
						fp++
					}
					nb[0]++
					res.ByNote[c.Note] = nb
					dump(c, "fp", -1, ms)
					if len(res.Misses) < 10 {
						res.Misses = append(res.Misses, fmt.Sprintf("FP %q %s → %s %q %.2f", c.Query.Name, c.Query.BirthDate, m.EntityID, m.Caption, m.Score))
					}
					break
				}
			}
			continue
		}
		if c.Control {
			res.Control++
		} else {
			pos++
		}
		rank := -1
		for k, m := range ms {
			if slices.Contains(m.Refs, c.Want) || m.EntityID == c.Want {
				rank = k
				if m.Score >= threshold && !c.Control {
					hit++
				}
				break
			}
		}
		nb := res.ByNote[c.Note]
		nb[2]++
		switch {
		case rank == 0 && ms[0].Score >= threshold:
			nb[0]++
			nb[1]++
		case rank == 0:
			nb[0]++
			dump(c, "low", rank, ms)
		default:
			dump(c, "miss", rank, ms)
		}
		res.ByNote[c.Note] = nb
		if c.Control {
			continue
		}
		if rank == 0 {
			r1++
		}
		if rank != 0 && len(res.Misses) < 10 {
			got := "nothing"
			if len(ms) > 0 {
				got = fmt.Sprintf("%s %q %.2f", ms[0].EntityID, ms[0].Caption, ms[0].Score)
			}
			res.Misses = append(res.Misses, fmt.Sprintf("miss [%s] %q want %s, got %s", c.Note, c.Query.Name, c.Want, got))
		}
		if rank >= 0 && rank < 5 {
			r5++
		}
	}
	if pos > 0 {
		res.Recall1 = float64(r1) / float64(pos)
		res.Recall5 = float64(r5) / float64(pos)
		res.HitRate = float64(hit) / float64(pos)
	}
	if neg > 0 {
		res.FPR = float64(fp) / float64(neg)
	}
	res.Negatives = neg
	res.Queries -= res.Control
	return res
}

// WriteDump returns a Dump function writing each outcome to w as a JSON
// line, and a function returning the first write error.
func WriteDump(w io.Writer) (func(Outcome), func() error) {
	enc := json.NewEncoder(w)
	var err error
	return func(o Outcome) {
			if err == nil {
				err = enc.Encode(o)
			}
		}, func() error {
			return err
		}
}

// WriteTable prints results as a Markdown table, then details per set.
func WriteTable(w io.Writer, rs []Result, verbose bool) {
	fmt.Fprintln(w, "| set | queries | recall@1 | recall@5 | hit rate ≥ threshold | false positives | queries/s | p50 | p99 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		rec1, rec5, hr, fpr := "–", "–", "–", "–"
		if r.Negatives > 0 {
			fpr = fmt.Sprintf("%.2f%%", 100*r.FPR)
		} else {
			rec1, rec5, hr = fmt.Sprintf("%.3f", r.Recall1), fmt.Sprintf("%.3f", r.Recall5), fmt.Sprintf("%.3f", r.HitRate)
		}
		qps, p50, p99 := "–", "–", "–"
		if r.QPS > 0 {
			qps, p50, p99 = fmt.Sprintf("%.0f", r.QPS), r.P50.Round(time.Microsecond).String(), r.P99.Round(time.Microsecond).String()
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", r.Set, r.Queries, rec1, rec5, hr, fpr, qps, p50, p99)
	}
	for _, r := range rs {
		if !verbose && !r.Breakdown {
			continue
		}
		fmt.Fprintf(w, "\n%s: %s\n", r.Set, r.About)
		switch {
		case r.Control > 0 && r.Negatives > 0:
			fmt.Fprintf(w, "  (+ %d control travellers of other origins, in other/other below only: not in the table's queries or rate)\n", r.Control)
		case r.Control > 0:
			fmt.Fprintf(w, "  (+ %d other names and weak aliases, in their notes below only: not in the table's queries or recall)\n", r.Control)
		}
		notes := make([]string, 0, len(r.ByNote))
		for k := range r.ByNote {
			notes = append(notes, k)
		}
		sort.Strings(notes)
		for _, k := range notes {
			v := r.ByNote[k]
			if r.Negatives > 0 {
				fmt.Fprintf(w, "  %-40s flagged %.2f%% (%d of %d)\n", k, 100*float64(v[0])/float64(v[2]), v[0], v[2])
				continue
			}
			fmt.Fprintf(w, "  %-24s recall@1 %.3f, first and ≥ threshold %.3f (%d)\n", k, float64(v[0])/float64(v[2]), float64(v[1])/float64(v[2]), v[2])
		}
		if r.Negatives > 0 {
			writeGroups(w, r)
			writeRedrawn(w, r)
		}
		writeSkipped(w, r)
		if !verbose {
			continue
		}
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// writeRedrawn prints how many generated travellers were drawn again, by
// group, because their name is a listed one (a label fix: a name-only
// screen must flag them).
func writeRedrawn(w io.Writer, r Result) {
	writeCounts(w, "redrawn, the name being a listed one", r.Redrawn)
}

// writeSkipped prints how many queries were left out as exact lookups,
// by reason.
func writeSkipped(w io.Writer, r Result) {
	writeCounts(w, "left out, an exact lookup or a name two records hold", r.Skipped)
}

// writeCounts prints one line: what, the total of counts and each count
// by its key in order; nothing when counts is empty.
func writeCounts(w io.Writer, what string, counts map[string]int) {
	if len(counts) == 0 {
		return
	}
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	fmt.Fprintf(w, "  %s: %d (%s)\n", what, total, strings.Join(parts, ", "))
}

// writeGroups prints the false-positive rate by the culture of the given
// name and of the family name (the two halves of a note "given/family"),
// each with its 95% Wilson interval, and the ratio of the highest rate
// among groups of 200 travellers or more to the control group's ("other",
// travellers of other origins; without it, to the lowest), with the interval
// that the two rates' intervals give it (at least 90%: hi's lower bound
// over lo's upper bound, hi's upper bound over lo's lower bound), and
// their difference in points with Newcombe's interval (which stays finite
// when the lowest group has no flag). With a few flags in a group of a
// thousand the ratio alone is noise; the intervals say how much.
func writeGroups(w io.Writer, r Result) {
	for half := 0; half < 2; half++ {
		agg := map[string][2]int{}
		for k, v := range r.ByNote {
			parts := strings.SplitN(k, "/", 2)
			if len(parts) != 2 {
				return
			}
			a := agg[parts[half]]
			a[0] += v[0]
			a[1] += v[2]
			agg[parts[half]] = a
		}
		keys := make([]string, 0, len(agg))
		for k := range agg {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var lo, hi [2]int // flagged, cases of the lowest and highest rate
		lo[1], hi[1] = -1, -1
		var line []string
		for _, k := range keys {
			a := agg[k]
			rate := float64(a[0]) / float64(a[1])
			l, u := Wilson(a[0], a[1])
			line = append(line, fmt.Sprintf("%s %.2f%% [%.2f–%.2f] (%d)", k, 100*rate, 100*l, 100*u, a[1]))
			if a[1] >= 200 {
				if lo[1] < 0 || rate < float64(lo[0])/float64(lo[1]) && agg["other"][1] < 200 {
					lo = a
				}
				if k == "other" {
					lo = a
				}
				if hi[1] < 0 || rate > float64(hi[0])/float64(hi[1]) {
					hi = a
				}
			}
		}
		label := [2]string{"by given-name culture", "by family-name culture"}[half]
		ratio, against := "–", "lowest"
		if agg["other"][1] >= 200 {
			against = "other"
		}
		if lo[1] > 0 {
			ratio = ratioCI(hi[0], hi[1], lo[0], lo[1]) + ", difference " + diffCI(hi[0], hi[1], lo[0], lo[1])
		}
		fmt.Fprintf(w, "  %s (flagged, 95%% interval, cases): %s; highest/%s %s\n", label, strings.Join(line, ", "), against, ratio)
	}
}

// Wilson returns the 95% Wilson score interval of the proportion k of n.
func Wilson(k, n int) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	const z = 1.959964
	p, nf := float64(k)/float64(n), float64(n)
	d := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / d
	h := z / d * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	lo, hi = max(0, c-h), min(1, c+h)
	if k == 0 {
		lo = 0 // exactly, not a rounding error above it
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// ratioCI writes the ratio of the rates k1/n1 and k2/n2 with the interval
// their Wilson intervals give it ("∞" where the second may be 0).
func ratioCI(k1, n1, k2, n2 int) string {
	f := func(x float64) string {
		if math.IsInf(x, 1) || math.IsNaN(x) {
			return "∞"
		}
		return fmt.Sprintf("%.2f", x)
	}
	l1, u1 := Wilson(k1, n1)
	l2, u2 := Wilson(k2, n2)
	r1, r2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	mid := math.Inf(1)
	switch {
	case r2 > 0:
		mid = r1 / r2
	case r1 == 0:
		mid = 1
	}
	up := math.Inf(1)
	if l2 > 0 {
		up = u1 / l2
	}
	return fmt.Sprintf("%s [%s–%s]", f(mid), f(l1/u2), f(up))
}

// diffCI writes the difference of the rates k1/n1 and k2/n2 in percentage
// points with Newcombe's hybrid Wilson 95% interval.
func diffCI(k1, n1, k2, n2 int) string {
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := Wilson(k1, n1)
	l2, u2 := Wilson(k2, n2)
	d := p1 - p2
	lo := d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi := d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return fmt.Sprintf("%+.2f points [%+.2f, %+.2f]", 100*d, 100*lo, 100*hi)
}
