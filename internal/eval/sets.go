// Package eval measures the matching engine on labelled sets built from the
// real lists: recall@1 and recall@5 of listed records behind alias,
// variant and original-script queries, the false-positive rate on travellers
// who are not listed, throughput and latency. `concord eval` drives it; the
// figures go to docs/benchmarks.md.
package eval

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"concord/match"
)

// Case is one labelled query: Want is the source ref of the expected list
// record (e.g. "un:QDi.001"), "" for a traveller who is not listed. A result
// is right when its refs hold Want: records of several lists describing one
// person are merged into one result.
type Case struct {
	Query match.Query
	Want  string
	Note  string // how the query was made
	// Control marks a case counted in its note's figures only, not in the
	// set's queries, recall and false-positive rate: a negative drawn only
	// to measure its group's rate more exactly (HardNegativeSet), a
	// positive that is another name rather than a respelling
	// (AliasHeldOutSet).
	Control bool
	// Index, when set, names the index the case runs against
	// (RunOptions.Indexes) instead of its set's.
	Index string
}

// Set is a named list of cases and the index it runs against.
type Set struct {
	Name  string
	About string
	Cases []Case
	// Index selects the index: "full"; "latin" (records without their
	// non-Latin names, so original-script queries must cross scripts);
	// "script" (records with a non-Latin name, holding only those); "un"
	// (the UN list alone, records not merged with other lists); "primary"
	// (each case names its list's index of primary names, Case.Index).
	Index string
	// Breakdown asks for the per-note figures in every report.
	Breakdown bool
	// Redrawn counts, by note, the generated negatives that were not kept
	// because their name is a listed one (HardNegativeSet).
	Redrawn map[string]int
	// Skipped counts, by reason, the queries left out because they would
	// be an exact lookup (AliasHeldOutSet).
	Skipped map[string]int
	// skipped are the cases Skipped counts (Note: the reason), so that
	// a split keeps the count of its own records.
	skipped []Case
}

// countSkipped sets s.Skipped from s.skipped.
func (s *Set) countSkipped() {
	s.Skipped = nil
	if len(s.skipped) == 0 {
		return
	}
	s.Skipped = map[string]int{}
	for _, c := range s.skipped {
		s.Skipped[c.Note]++
	}
}

// Names are given and family names by locale (names.tsv).
type Names struct {
	Given, Family map[string][]string
	Locales       []string // locales with both given and family names
}

// ReadNames reads names.tsv (locale, part, name; header line).
func ReadNames(r io.Reader) (*Names, error) {
	n := &Names{Given: map[string][]string{}, Family: map[string][]string{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if line == 1 && len(f) > 0 && f[0] == "locale" {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("names.tsv:%d: want 3 tab-separated fields, got %d", line, len(f))
		}
		name, ok := repairName(f[2])
		if !ok {
			return nil, fmt.Errorf("names.tsv:%d: name %q holds a control character and is not mis-decoded UTF-8", line, f[2])
		}
		switch f[1] {
		case "given":
			n.Given[f[0]] = append(n.Given[f[0]], name)
		case "family":
			n.Family[f[0]] = append(n.Family[f[0]], name)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for l := range n.Given {
		if len(n.Family[l]) > 0 {
			n.Locales = append(n.Locales, l)
		}
	}
	slices.Sort(n.Locales)
	return n, nil
}

// repairName undoes the one damage names.tsv is known to hold: UTF-8
// read as Latin-1 and written out again ("Ã\u0096mer" for "Ömer", line
// 23,499 of the public file), which leaves a C1 control character that the
// store's value checks refuse, so a synthetic file drawing the name could
// not be imported. Only a name holding a control character is touched, and
// it is repaired only when its runes, taken as bytes, are valid UTF-8;
// otherwise ok is false. Clean names come back as they are.
func repairName(s string) (string, bool) {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return s, false
		}
		b = append(b, byte(r))
	}
	if !utf8.Valid(b) || strings.ContainsFunc(string(b), unicode.IsControl) {
		return s, false
	}
	return string(b), true
}

// IsLatin reports whether every letter of s is Latin.
func IsLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func matchable(r *match.Record) bool { return r.Schema == "Person" || r.Schema == "Organization" }

// AliasSet: every Latin name and alias of every listed person and
// organisation, queried with its schema.
func AliasSet(recs []match.Record) Set {
	s := Set{Name: "alias", Index: "full", About: "every Latin name and alias of a listed person or organisation, as the query"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		for _, n := range r.Names {
			if IsLatin(n) && len(strings.Fields(n)) > 0 {
				s.Cases = append(s.Cases, Case{Query: match.Query{Name: n, Schema: r.Schema}, Want: ref(r), Note: "alias"})
			}
		}
	}
	return s
}

// OriginalScriptSet: every non-Latin name of a listed record, queried
// against an index from which all non-Latin names were removed.
func OriginalScriptSet(recs []match.Record) Set {
	s := Set{Name: "original-script", Index: "latin", About: "names in Arabic and other scripts, matched to the Latin-only record"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		for _, n := range r.Names {
			if !IsLatin(n) {
				s.Cases = append(s.Cases, Case{Query: match.Query{Name: n}, Want: ref(r), Note: "original script"})
			}
		}
	}
	return s
}

// VariantSet: each listed person's primary name changed the way names
// really vary between documents — another romanisation habit, a typo, the
// parts reordered, a middle part dropped, two parts merged or one split —
// with and without the birth date.
func VariantSet(recs []match.Record, rng *rand.Rand) Set {
	s := Set{Name: "variant", Index: "full", About: "primary names of listed persons and organisations, perturbed (romanisation, typo, order, dropped/merged/split parts)"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) || len(r.Names) == 0 || !IsLatin(r.Names[0]) {
			continue
		}
		base := r.Names[0]
		for _, p := range perturbations {
			v, ok := p.fn(base, rng)
			if !ok || v == base {
				continue
			}
			q := match.Query{Name: v, Schema: r.Schema}
			note := p.name
			if len(r.BirthDates) > 0 && rng.IntN(2) == 0 {
				q.BirthDate = r.BirthDates[0]
				note += "+dob"
			}
			s.Cases = append(s.Cases, Case{Query: q, Want: ref(r), Note: note})
		}
	}
	return s
}

// TravellerSet: n travellers who are not listed, with a name drawn from one
// locale of names.tsv (native script where the locale has one) and a birth
// date between 1940 and 2008.
func TravellerSet(names *Names, n int, rng *rand.Rand, split Split) Set {
	s := Set{Name: "travellers", Index: "full", About: "non-listed travellers: given + family names of one locale (names.tsv) and a birth date"}
	given, family := map[string][]string{}, map[string][]string{}
	for i := 0; i < n; i++ {
		loc := names.Locales[rng.IntN(len(names.Locales))]
		if _, ok := given[loc]; !ok {
			given[loc], family[loc] = halfOf(names.Given[loc], split), halfOf(names.Family[loc], split)
		}
		g, f := given[loc], family[loc]
		if len(g) == 0 || len(f) == 0 {
			i--
			continue
		}
		name := g[rng.IntN(len(g))]
		if rng.IntN(4) == 0 {
			name += " " + g[rng.IntN(len(g))]
		}
		name += " " + f[rng.IntN(len(f))]
		dob := fmt.Sprintf("%04d-%02d-%02d", 1940+rng.IntN(69), 1+rng.IntN(12), 1+rng.IntN(28))
		s.Cases = append(s.Cases, Case{Query: match.Query{ID: fmt.Sprint("trav", i), Name: name, BirthDate: dob, Schema: "Person"}, Note: loc})
	}
	return s
}

func ref(r *match.Record) string {
	if len(r.Refs) > 0 {
		return r.Refs[0]
	}
	return r.ID
}

// halfOf returns the names of xs in the split (all of them when the split
// would leave none).
func halfOf(xs []string, split Split) []string {
	var out []string
	for _, x := range xs {
		if inSplit(x, split) {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return xs
	}
	return out
}
