package eval

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"concord/match"
)

// Sets built with rules that are not the engine's own (field.go, roman.go,
// arabic.go), and real positives and hard negatives found in the lists.

// FieldVariantSet: the primary name of every listed person and
// organisation, changed by each field perturbation (merged parts, articles,
// typos, a clerk's spelling; for persons also dropped middle names,
// reordering, OCR'd MRZ, initials); a third of them with the birth date.
func FieldVariantSet(recs []match.Record, rng *rand.Rand) Set {
	s := Set{Name: "variant-field", Index: "full", About: "primary names changed the way clerks, banks, OCR'd passports and forms change them (rules apart from the engine's)"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) || len(r.Names) == 0 || !IsLatin(r.Names[0]) {
			continue
		}
		for _, k := range fieldKinds {
			if k.person && r.Schema != "Person" {
				continue
			}
			v, ok := k.fn(r.Names[0], rng)
			if !ok || strings.EqualFold(v, r.Names[0]) {
				continue
			}
			q := match.Query{Name: v, Schema: r.Schema}
			if len(r.BirthDates) > 0 && rng.IntN(3) == 0 {
				q.BirthDate = r.BirthDates[0]
			}
			s.Cases = append(s.Cases, Case{Query: q, Want: ref(r), Note: k.kind})
		}
	}
	return s
}

// ScriptRomanisedSet: every Arabic-script and Cyrillic name of a listed
// record, romanised with another table (French, German, ISO-like) by a
// clerk who has heard the name (the short vowels the Arabic script leaves
// unwritten are the ones of the record's Latin names, roman.go), queried
// against the index without non-Latin names.
func ScriptRomanisedSet(recs []match.Record, rng *rand.Rand) Set {
	s := Set{Name: "script-romanised", Index: "latin", About: "Arabic-script and Cyrillic names romanised by other tables (French, German, ISO-like), against the Latin-only records"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		for _, n := range r.Names {
			if IsLatin(n) {
				continue
			}
			sc := &schemes[rng.IntN(len(schemes))]
			v, ok := sc.romaniseHeard(n, r.Names)
			if !ok || len(v) < 3 {
				continue
			}
			s.Cases = append(s.Cases, Case{Query: match.Query{Name: v, Schema: r.Schema}, Want: ref(r), Note: sc.name})
		}
	}
	return s
}

// ArabicVariationSet: every Arabic-script name of a listed record, written
// with one everyday orthographic variation, against the Latin-only records.
func ArabicVariationSet(recs []match.Record, rng *rand.Rand) Set {
	s := Set{Name: "arabic-variation", Index: "latin", About: "Arabic-script names with everyday orthographic variation (hamza, alif maqsura, ta marbuta, tatweel, harakat, article, عبد ال), against the Latin-only records"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		for _, n := range r.Names {
			if !isArabicScript(n) {
				continue
			}
			var cands []int
			for k := range arabicVariations {
				cands = append(cands, k)
			}
			rng.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
			for _, k := range cands {
				if v, ok := arabicVariations[k].fn(n, rng); ok && v != n {
					s.Cases = append(s.Cases, Case{Query: match.Query{Name: v, Schema: r.Schema}, Want: ref(r), Note: arabicVariations[k].kind})
					break
				}
			}
		}
	}
	return s
}

// LatinToScriptSet: the primary Latin name of records that also have a name in
// another script, queried against an index holding those records with their
// non-Latin names only (a record contributed in Arabic or Cyrillic script).
func LatinToScriptSet(recs []match.Record) Set {
	s := Set{Name: "latin-to-script", Index: "script", About: "primary Latin names against records held in their original script only"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) || !hasNonLatin(r) {
			continue
		}
		// The primary name, which the original script writes (aliases
		// are often other names altogether).
		if n := r.Names[0]; IsLatin(n) && len(strings.Fields(n)) > 0 {
			s.Cases = append(s.Cases, Case{Query: match.Query{Name: n, Schema: r.Schema}, Want: ref(r), Note: scriptOf(r)})
		}
	}
	return s
}

func hasNonLatin(r *match.Record) bool {
	for _, n := range r.Names {
		if !IsLatin(n) {
			return true
		}
	}
	return false
}

func scriptOf(r *match.Record) string {
	for _, n := range r.Names {
		for _, c := range n {
			switch {
			case unicode.Is(unicode.Arabic, c):
				return "arabic"
			case unicode.Is(unicode.Cyrillic, c):
				return "cyrillic"
			case unicode.Is(unicode.Han, c):
				return "han"
			case unicode.IsLetter(c) && !unicode.Is(unicode.Latin, c):
				return "other"
			}
		}
	}
	return "latin"
}

// ScriptOnly returns the records that have a non-Latin name, each with its
// non-Latin names only.
func ScriptOnly(recs []match.Record) []match.Record {
	var out []match.Record
	for _, r := range recs {
		var names []string
		for _, n := range r.Names {
			if !IsLatin(n) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			continue
		}
		r.Names, r.WeakNames = names, nil
		out = append(out, r)
	}
	return out
}

// listOf is the list a record comes from: the prefix of its first ref.
func listOf(r *match.Record) string {
	if len(r.Refs) == 0 {
		return ""
	}
	l, _, _ := strings.Cut(r.Refs[0], ":")
	return l
}

// OnlyList returns the records of one list (by ref prefix).
func OnlyList(recs []match.Record, list string) []match.Record {
	var out []match.Record
	for i := range recs {
		if listOf(&recs[i]) == list {
			out = append(out, recs[i])
		}
	}
	return out
}

// foldTokens is the evaluation's own plain reading of a name: lower case,
// diacritics and punctuation gone, particles left out.
func foldTokens(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = strings.Map(baseLetter, w)
		if isParticle(w) || len(w) < 2 {
			continue
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

func foldKey(name string) string { return strings.Join(foldTokens(name), " ") }

// CrossListSet: real spellings of one person or organisation on two lists.
// An OFAC record is linked to a UN record without the engine: persons by a
// shared document number, or a shared full birth date and two shared name
// words; organisations (and persons) by a name written identically on both
// lists (same words once folded, two words or more) that is the primary
// name of one of them, or by two such names, unless their birth years are
// more than five years apart (yearsAgree). The queries are
// the linked OFAC record's names and aliases that are written differently
// from every name of the UN record, screened against the UN list alone. A
// person's name that does not respell any of the UN record's names (see
// respells) is noted person-other-name: no name matcher can find it on the
// UN list, so it is reported apart from the respellings. An organisation's
// name none of whose distinctive words meets the UN record's names (see
// orgRespells) is noted organisation-other-name: a front or a renaming
// (MILLI MUSLIM LEAGUE, AL-ANFAL TRUST for Lashkar-e-Tayyiba). A person's
// name that respells one but is a kunya alone (kunyaOnly) is noted
// person-kunya, also apart.
func CrossListSet(recs []match.Record) Set {
	s := Set{Name: "un-vs-ofac", Index: "un", About: "OFAC names and aliases that respell a UN record's names (records linked by document, birth date or an identical name), against the UN list alone"}
	un := OnlyList(recs, "un")
	byKey := map[string][]int{}
	byID := map[string][]int{}
	byDOB := map[string][]int{}
	generic := genericOrgWords(recs)
	for i := range un {
		r := &un[i]
		for _, n := range r.Names {
			if k := foldKey(n); strings.Contains(k, " ") {
				byKey[k] = append(byKey[k], i)
			}
		}
		for _, id := range r.Identifiers {
			if n := normID(id); len(n) >= 6 {
				byID[n] = append(byID[n], i)
			}
		}
		for _, d := range r.BirthDates {
			if len(d) == 10 {
				byDOB[d] = append(byDOB[d], i)
			}
		}
	}
	for i := range recs {
		o := &recs[i]
		if listOf(o) != "ofac" || !matchable(o) {
			continue
		}
		link := map[int]bool{}
		if o.Schema == "Person" {
			for _, id := range o.Identifiers {
				for _, j := range byID[normID(id)] {
					link[j] = true
				}
			}
			for _, d := range o.BirthDates {
				for _, j := range byDOB[d] {
					if sharedWords(o, &un[j]) >= 2 {
						link[j] = true
					}
				}
			}
		}
		// One identical name links only when it is the primary name of
		// either record, or a second name is identical too: two
		// organisations may share one alias (Hizballah and the Houthis
		// are both "Ansar Allah").
		// Each spelling counts once: OFAC's "RAHMAN, Abu Abdur" and
		// "RAHMAN, Abdur Abu" fold to one key and are one name, not two.
		shared := map[int]int{}
		counted := map[string]bool{}
		for k, n := range o.Names {
			key := foldKey(n)
			if counted[key] {
				continue
			}
			counted[key] = true
			for _, j := range byKey[key] {
				shared[j]++
				if k == 0 || foldKey(un[j].Names[0]) == foldKey(n) {
					shared[j]++
				}
			}
		}
		for j, c := range shared {
			if c >= 2 && yearsAgree(o, &un[j]) {
				link[j] = true
			}
		}
		if len(link) != 1 { // ambiguous or none
			continue
		}
		var j int
		for k := range link {
			j = k
		}
		u := &un[j]
		if !match.Compatible(o.Schema, u.Schema) {
			continue
		}
		unKeys := map[string]bool{}
		for _, n := range append(slices.Clone(u.Names), u.WeakNames...) {
			unKeys[foldKey(n)] = true
		}
		note := "person"
		if u.Schema != "Person" {
			note = "organisation"
		}
		seen := map[string]bool{}
		for _, n := range o.Names {
			k := foldKey(n)
			if k == "" || unKeys[k] || seen[k] || !IsLatin(n) {
				continue
			}
			seen[k] = true
			nt := note
			switch {
			case nt == "person" && !respells(n, u):
				nt = "person-other-name"
			case nt == "person" && kunyaOnly(n):
				nt = "person-kunya"
			case nt == "organisation" && !orgRespells(n, u, generic):
				nt = "organisation-other-name"
			}
			s.Cases = append(s.Cases, Case{Query: match.Query{Name: n, Schema: o.Schema}, Want: ref(u), Note: nt})
		}
	}
	return s
}

// respells reports whether name n of a person respells a name of UN record
// u rather than being another name of the same person (a nickname, a name
// the UN does not list, a translation such as "the One-Armed"): at least
// half of n's words, and one at the least, have a counterpart in one of
// u's names — the same word once folded, or one within a third of its
// letters in edits (Tariq/Tarak, Ibrahim/Ibraheem; half, from four
// letters: Ameur/Amar), or the start of the other (Salah/Salahidin). A rule of the evaluation's own, not the engine's.
func respells(n string, u *match.Record) bool {
	ws := foldTokens(unquote(n))
	if len(ws) == 0 {
		return false
	}
	for _, un := range append(slices.Clone(u.Names), u.WeakNames...) {
		us := foldTokens(unquote(un))
		c := countCounterparts(ws, us, counterpart)
		if c > 0 && 2*c >= len(ws) {
			return true
		}
	}
	return false
}

// kunyaOnly reports a person's name that is a kunya alone, with at most
// nisbas beside it: ABU WALID, ABU HURAYRAH AL-SAN'AI, "AL-MASRI, Abu
// Ahmad", "AL-WARUD, Abu". A kunya ("father of Ahmad") with an origin
// ("the Egyptian") is a nom de guerre that many men bear, not an identity:
// a screening engine scores it as one name part (the UN itself gives many
// as low-quality aliases), and flagging it alone at the threshold would
// flag everyone called so. Such names are the lists' names of the person,
// but no matcher should find them alone, so they are counted apart from
// the respellings. A nisba is a word after al- ending in i (al-Masri,
// al-Tunisi, al-Jazrawi, al-Almani).
func kunyaOnly(n string) bool {
	ws := strings.FieldsFunc(strings.ToLower(unquote(n)), func(r rune) bool { return !unicode.IsLetter(r) })
	kunyas, nouns := 0, 0
	for i := 0; i < len(ws); i++ {
		switch w := ws[i]; {
		case w == "abu" || w == "abou" || w == "abo" || w == "umm" || w == "um" || w == "oum":
			kunyas++
		case w == "al" || w == "el":
			if i+1 < len(ws) && strings.HasSuffix(ws[i+1], "i") {
				i++ // a nisba
			}
		default:
			nouns++
		}
	}
	return kunyas == 1 && nouns == 1
}

// countCounterparts counts the words of ws that have a counterpart in us
// by same.
func countCounterparts(ws, us []string, same func(w, x string) bool) int {
	c := 0
	for _, w := range ws {
		for _, x := range us {
			if same(w, x) {
				c++
				break
			}
		}
	}
	return c
}

// genericOrgWords returns the words that occur in the names of at least
// one organisation in 200 on all the lists together (at least 5), counted
// once per record: islamic, group, company, trading, foundation, al-....
// A measure of the evaluation's own, from the lists, not the engine's
// table of organisation words.
func genericOrgWords(recs []match.Record) map[string]bool {
	df := map[string]int{}
	orgs := 0
	for i := range recs {
		r := &recs[i]
		if r.Schema != "Organization" {
			continue
		}
		orgs++
		seen := map[string]bool{}
		for _, n := range append(slices.Clone(r.Names), r.WeakNames...) {
			for _, w := range foldTokens(unquote(n)) {
				if !seen[w] {
					seen[w] = true
					df[w]++
				}
			}
		}
	}
	out := map[string]bool{}
	for w, c := range df {
		if c >= 5 && c*200 >= orgs {
			out[w] = true
		}
	}
	return out
}

// orgRespells reports whether name n of an organisation respells (or
// abbreviates) a name of UN record u rather than being another name of
// the same body (a front, a renaming): one of n's distinctive words — not
// generic (genericOrgWords) nor a spelling of a generic word — has a
// counterpart (see orgCounterpart; or two neighbouring words written
// as one: YASAIR for Yas Air) in one of u's names, or is an acronym of
// words of one of them (TTP for Tehrik-e Taliban Pakistan); or more than
// half of n's words, two at the least, have counterparts in one of them
// (ISLAMIC STATE OF IRAQ AND AL-SHAM for Islamic State of Iraq). A rule of
// the evaluation's own, not the engine's. A translation of the whole name
// (GOLDEN CHAIN for Selselat al-Thahab) shares no word and is noted an
// other name too.
func orgRespells(n string, u *match.Record, generic map[string]bool) bool {
	ws := orgWords(n)
	var dist []string
	for _, w := range ws {
		if !isGeneric(w, generic) {
			dist = append(dist, w)
		}
	}
	for _, un := range append(slices.Clone(u.Names), u.WeakNames...) {
		us := orgWords(un)
		raw := wordsOf(un)
		for k := 0; k+1 < len(raw); k++ {
			us = append(us, raw[k]+raw[k+1])
		}
		for _, w := range dist {
			if acronymOf(w, un) {
				return true
			}
			for _, x := range us {
				if orgCounterpart(w, x) {
					return true
				}
			}
		}
		c := countCounterparts(ws, us, orgCounterpart)
		if c >= 2 && 2*c > len(ws) {
			return true
		}
	}
	return false
}

// isGeneric reports whether w is a generic word or a spelling of one
// (islamiyah, islami for islamic).
func isGeneric(w string, generic map[string]bool) bool {
	if generic[w] {
		return true
	}
	for g := range generic {
		if orgCounterpart(w, g) {
			return true
		}
	}
	return false
}

// orgWords returns the words of an organisation's name folded, without
// particles and connecting words (of, the, and, e, wa), sorted.
func orgWords(name string) []string {
	var out []string
	for _, w := range foldTokens(unquote(name)) {
		if !connecting(w) {
			out = append(out, w)
		}
	}
	return out
}

func connecting(w string) bool {
	switch w {
	case "e", "i", "o", "wa", "va", "and", "of", "the", "in", "for", "fi", "on", "to", "et", "des", "di", "da", "del":
		return true
	}
	return isParticle(w)
}

// orgCounterpart is counterpart made stricter for the words of
// organisations' names, among which short acronyms abound: words under
// four letters meet only when equal, longer ones within a quarter of
// their letters in edits (Yarmuk/Yarmouk, not Idara/Idawat), or one the
// start of the other (Arme/Armed).
func orgCounterpart(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len([]rune(a)), len([]rune(b))
	if min(la, lb) < 4 {
		return false
	}
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) || levenshtein(a, b)*4 <= max(la, lb)
}

// wordsOf returns name's words folded, connecting words and all, in order.
func wordsOf(name string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(strings.ToLower(unquote(name)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if t = strings.Map(baseLetter, t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// acronymOf reports whether w (three to eight letters) is the initials
// of a run of name's words, connecting words taken (JUA for
// Jamaat-ul-Ahrar) or left out (TTP for Tehrik-e Taliban Pakistan), or
// (two letters) the initials of the whole name (JI for Jemaah Islamiyah).
func acronymOf(w, name string) bool {
	l := len([]rune(w))
	if l < 2 || l > 8 {
		return false
	}
	var all, main []rune
	for _, t := range wordsOf(name) {
		r := []rune(t)[0]
		all = append(all, r)
		if !connecting(t) {
			main = append(main, r)
		}
	}
	if l == 2 {
		return string(main) == w
	}
	return strings.Contains(string(all), w) || strings.Contains(string(main), w)
}

func counterpart(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len([]rune(a)), len([]rune(b))
	if min(la, lb) >= 4 && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a)) {
		return true
	}
	d := levenshtein(a, b)
	return d*3 <= max(la, lb) || min(la, lb) >= 4 && d*2 <= max(la, lb)
}

// unquote drops the apostrophes and ayn/hamza signs that transcriptions
// put inside a word (Sa'adi, Mu'ammar), so that it stays one word.
func unquote(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', '‘', 'ʿ', 'ʾ', '`', 'ʻ', 'ʼ':
			return -1
		}
		return r
	}, s)
}

// yearsAgree reports whether two records that share a name may be one
// person by their birth years: one of neither, or years at most five
// apart (lists disagree by a year or a few: Iyad ag Ghali 1954/1958). Two
// persons of one name born fifteen years apart are two (OFAC's KIM, Yong
// Chol born 1946/47 is not the UN's, born 1962).
func yearsAgree(a, b *match.Record) bool {
	if len(a.BirthDates) == 0 || len(b.BirthDates) == 0 {
		return true
	}
	for _, x := range a.BirthDates {
		for _, y := range b.BirthDates {
			xa, errA := strconv.Atoi(x[:min(4, len(x))])
			ya, errB := strconv.Atoi(y[:min(4, len(y))])
			if errA != nil || errB != nil || xa-ya <= 5 && ya-xa <= 5 {
				return true
			}
		}
	}
	return false
}

func sharedWords(a, b *match.Record) int {
	wa := map[string]bool{}
	for _, n := range a.Names {
		for _, w := range foldTokens(n) {
			if len(w) >= 3 {
				wa[w] = true
			}
		}
	}
	shared := map[string]bool{}
	for _, n := range b.Names {
		for _, w := range foldTokens(n) {
			if wa[w] {
				shared[w] = true
			}
		}
	}
	return len(shared)
}

func normID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
