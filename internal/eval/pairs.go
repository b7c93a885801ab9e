package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"concord/match"
)

// Pair is one labelled name pair: is Name2 the same person or organisation
// as Name1? Schema is "Person", "Organization" or "" (either).
type Pair struct {
	Name1, Name2, Schema string
	Match                bool
	Note                 string
	Line                 int // line in the file it was read from, 0 for generated pairs
}

// ReadPairs reads a labelled pair file: CSV with the header
// name1,name2,schema,is_match (further columns are ignored; a "note"
// column, when present, groups the report); is_match is true/false, 1/0 or
// yes/no. Lines starting with # are comments. Errors name the file and line.
func ReadPairs(r io.Reader, file string) ([]Pair, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, want a header name1,name2,schema,is_match", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range []string{"name1", "name2", "schema", "is_match"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s:1: header has no column %q (want name1,name2,schema,is_match)", file, c)
		}
	}
	var out []Pair
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", file, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Pair{Name1: get("name1"), Name2: get("name2"), Line: line, Note: get("note")}
		if p.Name1 == "" || p.Name2 == "" {
			return nil, fmt.Errorf("%s:%d: name1 and name2 must not be empty", file, line)
		}
		switch sc := get("schema"); strings.ToLower(sc) {
		case "", "any", "thing":
		case "person":
			p.Schema = "Person"
		case "organization", "organisation", "company", "legalentity":
			p.Schema = "Organization"
		default:
			return nil, fmt.Errorf("%s:%d: schema %q: want Person, Organization or empty", file, line, sc)
		}
		switch v := strings.ToLower(get("is_match")); v {
		case "true", "1", "yes", "y", "t":
			p.Match = true
		case "false", "0", "no", "n", "f":
		default:
			return nil, fmt.Errorf("%s:%d: is_match %q: want true or false", file, line, v)
		}
		if p.Note == "" {
			p.Note = p.Schema
			if p.Note == "" {
				p.Note = "any"
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no pairs", file)
	}
	return out, nil
}

// Thresholds are the score thresholds a pair report is printed at.
var Thresholds = []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}

// PairResult is the precision, recall and F1 of a pair set at each
// threshold.
type PairResult struct {
	Name      string
	Pairs     int
	Positives int
	Rows      []PRRow
	ByNote    map[string][4]int // at the default threshold: tp, fn, fp, tn
	Misses    []string
}

// PRRow is one threshold's confusion counts.
type PRRow struct {
	Threshold          float64
	TP, FP, FN, TN     int
	Precision, Recall  float64
	F1, FalsePositives float64 // false-positive rate on the negatives
}

// ScorePairs scores every pair with the engine (Name1 as the query, Name2
// as a one-name record, the index's part statistics) and tabulates them.
func ScorePairs(ix *match.Index, name string, ps []Pair, threshold float64) PairResult {
	scores := make([]float64, len(ps))
	for i, p := range ps {
		m, ok := ix.Score(match.Query{Name: p.Name1, Schema: p.Schema}, match.Record{ID: "pair", Schema: p.Schema, Names: []string{p.Name2}}, match.Options{Threshold: 1e-9})
		if ok {
			scores[i] = m.Score
		}
	}
	res := PairResult{Name: name, Pairs: len(ps), ByNote: map[string][4]int{}}
	for _, p := range ps {
		if p.Match {
			res.Positives++
		}
	}
	for _, t := range Thresholds {
		r := PRRow{Threshold: t}
		for i, p := range ps {
			hit := scores[i] >= t
			switch {
			case hit && p.Match:
				r.TP++
			case hit:
				r.FP++
			case p.Match:
				r.FN++
			default:
				r.TN++
			}
		}
		if r.TP+r.FP > 0 {
			r.Precision = float64(r.TP) / float64(r.TP+r.FP)
		}
		if r.TP+r.FN > 0 {
			r.Recall = float64(r.TP) / float64(r.TP+r.FN)
		}
		if r.Precision+r.Recall > 0 {
			r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
		}
		if r.FP+r.TN > 0 {
			r.FalsePositives = float64(r.FP) / float64(r.FP+r.TN)
		}
		res.Rows = append(res.Rows, r)
	}
	for i, p := range ps {
		c := res.ByNote[p.Note]
		hit := scores[i] >= threshold
		switch {
		case hit && p.Match:
			c[0]++
		case p.Match:
			c[1]++
		case hit:
			c[2]++
		default:
			c[3]++
		}
		res.ByNote[p.Note] = c
		if hit != p.Match && len(res.Misses) < 40 {
			kind := "FN"
			if hit {
				kind = "FP"
			}
			at := ""
			if p.Line > 0 {
				at = fmt.Sprintf(" (line %d)", p.Line)
			}
			res.Misses = append(res.Misses, fmt.Sprintf("%s %.2f %q ~ %q [%s]%s", kind, scores[i], p.Name1, p.Name2, p.Note, at))
		}
	}
	return res
}

// WritePairs prints a pair result: precision, recall, F1 and the
// false-positive rate by threshold, then counts per note at the threshold.
func WritePairs(w io.Writer, r PairResult, threshold float64, verbose bool) {
	fmt.Fprintf(w, "%s: %d pairs (%d matches, %d non-matches)\n\n", r.Name, r.Pairs, r.Positives, r.Pairs-r.Positives)
	fmt.Fprintln(w, "| threshold | precision | recall | F1 | false-positive rate | TP | FP | FN | TN |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, row := range r.Rows {
		fmt.Fprintf(w, "| %.2f | %.3f | %.3f | %.3f | %.2f%% | %d | %d | %d | %d |\n", row.Threshold, row.Precision, row.Recall, row.F1, 100*row.FalsePositives, row.TP, row.FP, row.FN, row.TN)
	}
	notes := slices.Sorted(func(yield func(string) bool) {
		for k := range r.ByNote {
			if !yield(k) {
				return
			}
		}
	})
	fmt.Fprintf(w, "\nat %.2f, by note:\n", threshold)
	for _, k := range notes {
		c := r.ByNote[k]
		rec, fpr := "–", "–"
		if c[0]+c[1] > 0 {
			rec = fmt.Sprintf("%.3f", float64(c[0])/float64(c[0]+c[1]))
		}
		if c[2]+c[3] > 0 {
			fpr = fmt.Sprintf("%.1f%%", 100*float64(c[2])/float64(c[2]+c[3]))
		}
		fmt.Fprintf(w, "  %-28s recall %s of %d, false positives %s of %d\n", k, rec, c[0]+c[1], fpr, c[2]+c[3])
	}
	if verbose {
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// ListPairs returns labelled pairs from the lists themselves: every alias
// of a listed record against its primary name (matches), and pairs of
// different records of one list whose names share a word but each have a
// word the other lacks (non-matches: a list does not repeat a person), at
// most n of each, sampled with rng.
func ListPairs(recs []match.Record, n int, rng *rand.Rand) []Pair {
	var pos, neg []Pair
	for i := range recs {
		r := &recs[i]
		if !matchable(r) || len(r.Names) < 2 || !IsLatin(r.Names[0]) {
			continue
		}
		for _, a := range r.Names[1:] {
			if a != r.Names[0] {
				pos = append(pos, Pair{Name1: a, Name2: r.Names[0], Schema: r.Schema, Match: true, Note: "alias/" + r.Schema})
			}
		}
	}
	// Records of one list sharing a rare-enough word.
	type nm struct {
		rec  int
		name string
		ws   []string
	}
	byWord := map[string][]nm{}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) || len(r.Names) == 0 || !IsLatin(r.Names[0]) {
			continue
		}
		ws := slices.Compact(foldTokens(r.Names[0]))
		if len(ws) < 2 {
			continue
		}
		for _, w := range ws {
			if len(w) >= 3 {
				byWord[listOf(r)+" "+w] = append(byWord[listOf(r)+" "+w], nm{i, r.Names[0], ws})
			}
		}
	}
	words := slices.Sorted(func(yield func(string) bool) {
		for k := range byWord {
			if !yield(k) {
				return
			}
		}
	})
	seen := map[[2]int]bool{}
	for _, w := range words {
		g := byWord[w]
		if len(g) < 2 {
			continue
		}
		for k := 0; k < 4; k++ { // a few pairs per shared word
			a, b := g[rng.IntN(len(g))], g[rng.IntN(len(g))]
			if a.rec == b.rec || seen[[2]int{a.rec, b.rec}] || recs[a.rec].Schema != recs[b.rec].Schema {
				continue
			}
			seen[[2]int{a.rec, b.rec}] = true
			if !distinct(a.ws, b.ws) || sameNames(&recs[a.rec], &recs[b.rec]) {
				continue
			}
			neg = append(neg, Pair{Name1: a.name, Name2: b.name, Schema: recs[a.rec].Schema, Note: "other-record/" + recs[a.rec].Schema})
		}
	}
	rng.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
	rng.Shuffle(len(neg), func(i, j int) { neg[i], neg[j] = neg[j], neg[i] })
	return append(pos[:min(n, len(pos))], neg[:min(n, len(neg))]...)
}

// distinct reports whether each word list has a word that is not within
// two letters of any word of the other: the names differ by a real part.
func distinct(a, b []string) bool {
	own := func(x, y []string) bool {
		for _, w := range x {
			near := false
			for _, v := range y {
				if w == v || levenshtein(w, v) <= 2 {
					near = true
					break
				}
			}
			if !near {
				return true
			}
		}
		return false
	}
	return own(a, b) && own(b, a)
}

// sameNames reports whether two records share a name once folded (two
// entries of one person in one list, as happens for aliases).
func sameNames(a, b *match.Record) bool {
	ka := map[string]bool{}
	for _, n := range a.Names {
		ka[foldKey(n)] = true
	}
	for _, n := range b.Names {
		if ka[foldKey(n)] {
			return true
		}
	}
	return false
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
