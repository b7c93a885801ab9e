package eval

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"concord/match"
)

// synthNats are nationalities drawn for synthetic records.
var synthNats = []string{"sy", "iq", "af", "pk", "uz", "tj", "kg", "kz", "ru", "tr", "ng", "so", "ye", "sa", "eg", "ly", "tn", "ma", "fr", "de", "gb", "be", "nl", "ir", "lb", "jo", "ml", "ne", "td", "cm"}

// Synthetic yields n made-up watchlist persons built from names.tsv: one to
// three given names and a family name of one locale, one or two aliases
// (another order, another family name), a birth date, a nationality and
// sometimes a passport number. The ids are syn-0 … syn-(n-1). The sequence is
// deterministic for a seed.
func Synthetic(names *Names, n int, seed uint64) iter.Seq[match.Record] {
	return func(yield func(match.Record) bool) {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		for i := 0; i < n; i++ {
			loc := names.Locales[rng.IntN(len(names.Locales))]
			g, f := names.Given[loc], names.Family[loc]
			given := g[rng.IntN(len(g))]
			for k := rng.IntN(3); k > 0; k-- {
				given += " " + g[rng.IntN(len(g))]
			}
			fam := f[rng.IntN(len(f))]
			r := match.Record{
				ID:            fmt.Sprint("syn-", i),
				Schema:        "Person",
				Names:         []string{given + " " + fam},
				BirthDates:    []string{fmt.Sprintf("%04d-%02d-%02d", 1940+rng.IntN(69), 1+rng.IntN(12), 1+rng.IntN(28))},
				Nationalities: []string{synthNats[rng.IntN(len(synthNats))]},
				Refs:          []string{fmt.Sprint("synthetic:", i)},
			}
			r.Caption = r.Names[0]
			if rng.IntN(2) == 0 {
				r.Names = append(r.Names, fam+" "+given)
			}
			if rng.IntN(3) == 0 {
				r.Names = append(r.Names, given+" "+f[rng.IntN(len(f))])
			}
			if rng.IntN(3) == 0 {
				r.Identifiers = []string{fmt.Sprintf("%c%08d", 'A'+rng.IntN(26), rng.IntN(100000000))}
			}
			if rng.IntN(2) == 0 {
				r.Gender = "male"
			} else {
				r.Gender = "female"
			}
			if !yield(r) {
				return
			}
		}
	}
}

// LatinOnly returns copies of recs without their non-Latin names (records
// left with no name keep their first).
func LatinOnly(recs []match.Record) []match.Record {
	out := make([]match.Record, len(recs))
	for i, r := range recs {
		var names []string
		for _, n := range r.Names {
			if IsLatin(n) {
				names = append(names, n)
			}
		}
		if len(names) == 0 && len(r.Names) > 0 {
			names = r.Names[:1]
		}
		r.Names = names
		var weak []string
		for _, n := range r.WeakNames {
			if IsLatin(n) {
				weak = append(weak, n)
			}
		}
		r.WeakNames = weak
		out[i] = r
	}
	return out
}
