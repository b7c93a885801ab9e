package normalize

import (
	_ "embed"
	"strings"
)

// lexiconText is a list of given and family names in their canonical
// Latin form (Canon), one a line: the Latin-script names of
// names.tsv (given and family names by locale, from the name lists of the
// @faker-js/faker package, MIT) and a hand-written list of common Arabic,
// Persian, Turkic and South Asian given names in their usual English
// spellings. match's TestLexicon regenerates it (go test ./match -run
// TestLexicon -update).
//
//go:embed lexicon.txt
var lexiconText string

// lexicon is the set of known names (a sorted slice searched by binary
// search: one string, no map of 30,000 entries on the heap).
var lexicon = func() []string {
	var out []string
	for _, l := range strings.Split(lexiconText, "\n") {
		if l != "" && l[0] != '#' {
			out = append(out, l)
		}
	}
	return out
}()

// KnownName reports whether canonical part t is a known given or family
// name.
func KnownName(t string) bool {
	lo, hi := 0, len(lexicon)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if lexicon[m] < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(lexicon) && lexicon[lo] == t
}
