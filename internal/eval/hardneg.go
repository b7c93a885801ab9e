package eval

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"concord/match"
)

// Split is a half of the name stock: the tuning sets draw from one half
// of each locale's names (and of the listed persons' name stock), the
// report sets from the other, so that figures reported are not on names
// the engine was tuned on.
type Split uint8

// The two halves.
const (
	SplitTune Split = iota
	SplitReport
)

func (s Split) String() string {
	if s == SplitTune {
		return "tune"
	}
	return "report"
}

// inSplit assigns a name to a half by a hash of its spelling.
func inSplit(name string, s Split) bool {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(name)))
	return Split(h.Sum32()%2) == s
}

// regionLocales are the locales of names.tsv whose family names the
// coalition's border agencies screen most: the Middle East, Central Asia,
// Turkey and the Caucasus, South Asia, West Africa, South-East Asia.
var regionLocales = []string{"ar", "fa", "ur", "ku_ckb", "uz_UZ_latin", "az", "tr", "ru", "en_NG", "yo_NG", "fr_SN", "id_ID", "bn_BD"}

// otherLocales are travellers of every other origin, the control group.
var otherLocales = []string{"en_GB", "de", "fr", "es", "it", "pl", "nl", "pt_BR", "sv", "cs_CZ", "ro", "el", "hr", "vi", "ko", "ja", "zh_CN"}

// nameStock holds the given and family names frequent among listed
// persons (Latin spellings), with their counts.
type nameStock struct {
	given, family []string
	listed        map[string][]int32 // folded word → listed person names holding it (ascending)
	exact         map[string]bool    // folded names of every listed record, any schema
}

// covered reports whether every folded word of name is in one name of a
// listed person, or whether name is, folded, the name of any listed record
// (organisations and vessels too): such a traveller would be a listed name,
// or a listed name with parts left out, which no name matcher can tell
// apart. The fold is the evaluation's own (foldTokens: case, accents,
// particles, word order), not the engine's, so a respelling (Saqr for
// Sakr, Mehdi for Mahdi) is not covered and stays a negative.
func (st *nameStock) covered(name string) bool {
	ws := foldTokens(name)
	if len(ws) == 0 {
		return true
	}
	if st.exact[strings.Join(ws, " ")] {
		return true
	}
	cur := st.listed[ws[0]]
	for _, w := range ws[1:] {
		next := st.listed[w]
		var both []int32
		i, j := 0, 0
		for i < len(cur) && j < len(next) {
			switch {
			case cur[i] < next[j]:
				i++
			case cur[i] > next[j]:
				j++
			default:
				both = append(both, cur[i])
				i++
				j++
			}
		}
		cur = both
	}
	return len(cur) > 0
}

// stock reads the listed persons' names: UN names are "GIVEN … FAMILY",
// OFAC names "FAMILY, Given …".
func stock(recs []match.Record, split Split) nameStock {
	gc, fc := map[string]int{}, map[string]int{}
	st := nameStock{listed: map[string][]int32{}, exact: map[string]bool{}}
	nid := int32(0)
	for i := range recs {
		r := &recs[i]
		for _, n := range append(slices.Clone(r.Names), r.WeakNames...) {
			if k := foldKey(n); k != "" {
				st.exact[k] = true
			}
		}
		if r.Schema != "Person" {
			continue
		}
		for _, n := range append(slices.Clone(r.Names), r.WeakNames...) {
			for _, w := range slices.Compact(foldTokens(n)) {
				st.listed[w] = append(st.listed[w], nid)
			}
			nid++
		}
		if len(r.Names) == 0 || !IsLatin(r.Names[0]) {
			continue
		}
		n := r.Names[0]
		var given, family []string
		if fam, giv, ok := strings.Cut(n, ","); ok {
			given, family = strings.Fields(giv), strings.Fields(fam)
		} else {
			ws := strings.Fields(n)
			if len(ws) < 2 {
				continue
			}
			given, family = ws[:1], ws[len(ws)-1:]
		}
		if len(given) > 0 {
			if g := cleanWord(given[0]); g != "" {
				gc[g]++
			}
		}
		if len(family) > 0 {
			if f := cleanWord(family[len(family)-1]); f != "" {
				fc[f]++
			}
		}
	}
	top := func(c map[string]int, min int) []string {
		var out []string
		for w, n := range c {
			if n >= min && inSplit(w, split) {
				out = append(out, w)
			}
		}
		slices.SortFunc(out, func(a, b string) int {
			if d := cmp.Compare(c[b], c[a]); d != 0 {
				return d
			}
			return cmp.Compare(a, b)
		})
		return out
	}
	st.given, st.family = top(gc, 3), top(fc, 3)
	return st
}

// cleanWord title-cases a name word of letters (and inner hyphens or
// apostrophes) of three letters or more, or returns "" for particles and
// other words.
func cleanWord(w string) string {
	w = strings.Trim(w, ".,;:()\"")
	if len(w) < 3 || isParticle(w) {
		return ""
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return ""
		}
	}
	return titleCase(strings.ToLower(w))
}

// latinFamily returns family names of locale loc in the given split, in
// Latin (Arabic-script and Cyrillic ones romanised by a scheme of the
// evaluation, as a clerk would write them).
func latinFamily(names *Names, loc string, split Split, rng *rand.Rand, part string) []string {
	src := names.Family[loc]
	if part == "given" {
		src = names.Given[loc]
	}
	var out []string
	for _, f := range src {
		if !inSplit(f, split) {
			continue
		}
		if IsLatin(f) {
			out = append(out, f)
			continue
		}
		sc := &schemes[rng.IntN(len(schemes))]
		if v, ok := sc.romanise(f); ok && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// feminine turns a masculine family name (or a given name made one) into
// the feminine form of Russian, Central Asian and Caucasian naming:
// Karimov → Karimova, Aliyev → Aliyeva; a given name becomes a family name
// first (Karim → Karimova) or a patronymic (Karimovna).
func feminine(w string, rng *rand.Rand) string {
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "ov"), strings.HasSuffix(lw, "ev"), strings.HasSuffix(lw, "in"):
		return w + "a"
	case strings.HasSuffix(lw, "a"), strings.HasSuffix(lw, "e"), strings.HasSuffix(lw, "i"), strings.HasSuffix(lw, "o"), strings.HasSuffix(lw, "u"):
		return w + "yeva"
	}
	switch rng.IntN(3) {
	case 0:
		return w + "ovna"
	case 1:
		return w + "ova"
	}
	return w + "eva"
}

// HardNegativeSet: n travellers who are not listed, drawn from the name
// stock of the listed themselves — given names frequent among listed
// persons (respelt a third of the time, as another romanisation would) with
// family names of the regions screened, feminine family-name forms made
// from listed given names, ordinary travellers of those regions, and a
// control group of other origins. Half carry a birth date. Note is the
// traveller's group: "<given culture>/<family culture>". A generated name
// that a listed record carries (see covered; the whole list, both halves)
// is not a negative: another traveller is drawn instead, and Set.Redrawn
// counts these by group. Then n/2 control travellers of other origins
// (other/other, Case.Control) narrow the control group's rate.
func HardNegativeSet(recs []match.Record, names *Names, n int, rng *rand.Rand, split Split) Set {
	s := Set{Name: "hard-negatives", Index: "full", About: "non-listed travellers from the listed persons' own name stock, regional family names, feminine forms, other romanisations (groups: given/family culture)"}
	st := stock(recs, split)
	fams := map[string][]string{}
	givens := map[string][]string{}
	for _, l := range append(slices.Clone(regionLocales), otherLocales...) {
		if _, ok := names.Family[l]; !ok {
			continue
		}
		fams[l] = latinFamily(names, l, split, rng, "family")
		givens[l] = latinFamily(names, l, split, rng, "given")
	}
	var regions, others []string
	for _, l := range regionLocales {
		if len(fams[l]) > 0 && len(givens[l]) > 0 {
			regions = append(regions, l)
		}
	}
	for _, l := range otherLocales {
		if len(fams[l]) > 0 && len(givens[l]) > 0 {
			others = append(others, l)
		}
	}
	if len(st.given) == 0 || len(regions) == 0 {
		return s
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	for len(s.Cases) < n {
		var name, group string
		switch k := rng.IntN(20); {
		case k < 9: // listed given name + regional family name
			g := pick(st.given)
			if rng.IntN(3) == 0 {
				if v, ok := fieldClerk(g, rng); ok {
					g = v
				}
			}
			if rng.IntN(4) == 0 {
				g += " " + pick(st.given)
			}
			loc := pick(regions)
			name, group = g+" "+pick(fams[loc]), "listed-given/"+loc
		case k < 12: // feminine family name from a listed given name
			loc := []string{"uz_UZ_latin", "az", "ru"}[rng.IntN(3)]
			if len(givens[loc]) == 0 {
				continue
			}
			name, group = pick(givens[loc])+" "+feminine(pick(st.given), rng), loc+"/feminine-of-listed"
		case k < 14: // listed given name + listed family name stock, other person
			if len(st.family) == 0 {
				continue
			}
			name, group = pick(st.given)+" "+pick(st.family), "listed-given/listed-family"
		case k < 17: // regional traveller
			loc := pick(regions)
			name, group = pick(givens[loc])+" "+pick(fams[loc]), loc+"/"+loc
		default: // everyone else
			if len(others) == 0 {
				continue
			}
			loc := pick(others)
			name, group = pick(givens[loc])+" "+pick(fams[loc]), "other/other"
		}
		if st.covered(name) {
			if s.Redrawn == nil {
				s.Redrawn = map[string]int{}
			}
			s.Redrawn[group]++
			continue
		}
		q := match.Query{ID: fmt.Sprint("hn", len(s.Cases)), Name: name, Schema: "Person"}
		if rng.IntN(2) == 0 {
			q.BirthDate = fmt.Sprintf("%04d-%02d-%02d", 1940+rng.IntN(69), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		s.Cases = append(s.Cases, Case{Query: q, Note: group})
	}
	// The control group measured more exactly: n/2 more travellers of
	// other origins, in the group's figures only (Case.Control), so that
	// the other groups' rates are compared with a rate known to a few
	// hundredths of a point rather than to a quarter of one.
	for k := 0; k < n/2 && len(others) > 0; {
		loc := pick(others)
		name := pick(givens[loc]) + " " + pick(fams[loc])
		if st.covered(name) {
			continue
		}
		q := match.Query{ID: fmt.Sprint("hc", k), Name: name, Schema: "Person"}
		if rng.IntN(2) == 0 {
			q.BirthDate = fmt.Sprintf("%04d-%02d-%02d", 1940+rng.IntN(69), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		s.Cases = append(s.Cases, Case{Query: q, Note: "other/other", Control: true})
		k++
	}
	return s
}
