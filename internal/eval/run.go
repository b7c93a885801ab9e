package eval

import (
	"fmt"
	"io"
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
	Breakdown bool     // print the per-note figures even when not verbose
	Misses    []string // a few examples
	Threshold float64
}

// Run screens every case of s against ix. Recall is measured without a
// threshold (rank of the expected record among all candidates); FPR at
// threshold. Throughput uses workers goroutines; latency is timed query by
// query on one goroutine.
func Run(ix *match.Index, s Set, threshold float64, workers int, countFP func(m match.Match) bool) Result {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	res := Result{Set: s.Name, About: s.About, Queries: len(s.Cases), Workers: workers, ByNote: map[string][3]int{}, Threshold: threshold, Breakdown: s.Breakdown}
	ranked := make([][]match.Match, len(s.Cases))
	// Throughput: the screening call as `concord screen` makes it.
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(s.Cases) {
					return
				}
				_ = ix.Match(s.Cases[i].Query, match.Options{Threshold: threshold, Limit: 5})
			}
		}()
	}
	wg.Wait()
	if el := time.Since(t0); el > 0 {
		res.QPS = float64(len(s.Cases)) / el.Seconds()
	}
	// Latency and ranks, one query at a time.
	lat := make([]time.Duration, len(s.Cases))
	for i, c := range s.Cases {
		t := time.Now()
		ranked[i] = ix.Match(c.Query, match.Options{Threshold: 1e-9, Limit: 5})
		lat[i] = time.Since(t)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		res.P50 = lat[len(lat)/2]
		res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	pos, r1, r5, hit, neg, fp := 0, 0, 0, 0, 0, 0
	for i, c := range s.Cases {
		ms := ranked[i]
		if c.Want == "" {
			neg++
			nb := res.ByNote[c.Note]
			nb[2]++
			res.ByNote[c.Note] = nb
			for _, m := range ms {
				if m.Score >= threshold && (countFP == nil || countFP(m)) {
					fp++
					nb[0]++
					res.ByNote[c.Note] = nb
					if len(res.Misses) < 10 {
						res.Misses = append(res.Misses, fmt.Sprintf("FP %q %s → %s %q %.2f", c.Query.Name, c.Query.BirthDate, m.EntityID, m.Caption, m.Score))
					}
					break
				}
			}
			continue
		}
		pos++
		rank := -1
		for k, m := range ms {
			if slices.Contains(m.Refs, c.Want) || m.EntityID == c.Want {
				rank = k
				if m.Score >= threshold {
					hit++
				}
				break
			}
		}
		nb := res.ByNote[c.Note]
		nb[2]++
		if rank == 0 {
			r1++
			nb[0]++
			if ms[0].Score >= threshold {
				nb[1]++
			}
		} else if len(res.Misses) < 10 {
			got := "nothing"
			if len(ms) > 0 {
				got = fmt.Sprintf("%s %q %.2f", ms[0].EntityID, ms[0].Caption, ms[0].Score)
			}
			res.Misses = append(res.Misses, fmt.Sprintf("miss [%s] %q want %s, got %s", c.Note, c.Query.Name, c.Want, got))
		}
		res.ByNote[c.Note] = nb
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
	return res
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
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %.0f | %s | %s |\n", r.Set, r.Queries, rec1, rec5, hr, fpr, r.QPS,
			r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond))
	}
	for _, r := range rs {
		if !verbose && !r.Breakdown {
			continue
		}
		fmt.Fprintf(w, "\n%s: %s\n", r.Set, r.About)
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
		}
		if !verbose {
			continue
		}
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// writeGroups prints the false-positive rate by the culture of the given
// name and of the family name (the two halves of a note "given/family"),
// and the ratio of the highest to the lowest rate among groups of 200
// travellers or more.
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
		lo, hi := 2.0, -1.0
		var line []string
		for _, k := range keys {
			a := agg[k]
			rate := float64(a[0]) / float64(a[1])
			line = append(line, fmt.Sprintf("%s %.2f%% (%d)", k, 100*rate, a[1]))
			if a[1] >= 200 {
				lo, hi = min(lo, rate), max(hi, rate)
			}
		}
		label := [2]string{"by given-name culture", "by family-name culture"}[half]
		ratio := "–"
		if lo > 0 && hi >= 0 {
			ratio = fmt.Sprintf("%.2f", hi/lo)
		} else if hi > 0 {
			ratio = "∞"
		}
		fmt.Fprintf(w, "  %s: %s; highest/lowest %s\n", label, strings.Join(line, ", "), ratio)
	}
}
