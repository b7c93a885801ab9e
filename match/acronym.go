package match

import (
	"slices"
	"strings"
	"unicode"

	"concord/match/normalize"
)

// An organisation's listed name often carries its acronym in brackets
// (MUJAHIDIN INDONESIAN TIMUR (MIT), AL-QAIDA IN THE ARABIAN PENINSULA
// (AQAP), UGANDA COMMERCIAL IMPEX (UCI) LTD), where another list writes
// the name and the acronym as two names. Compared as one, the acronym is
// an unmatched part of the full name, and the acronym alone covers one
// part of it. So such a record name is also indexed as the name without
// the brackets and as the acronym alone, when the acronym's letters are
// the initials of the name's words (a bracket that is no acronym of the
// name, TOUS POUR LA PAIX ET LE DEVELOPPEMENT (NGO), a comment or another
// script, is left as it is).

// acronymNames returns the name without its bracketed acronym and the
// acronym, or ok false when name holds no such acronym.
func acronymNames(name string) (outer, acronym string, ok bool) {
	i := strings.IndexByte(name, '(')
	if i < 0 || strings.Count(name, "(") != 1 {
		return "", "", false
	}
	j := strings.IndexByte(name[i:], ')')
	if j < 0 {
		return "", "", false
	}
	inner := strings.TrimSpace(name[i+1 : i+j])
	outer = strings.TrimSpace(strings.TrimSpace(name[:i]) + " " + strings.TrimSpace(name[i+j+1:]))
	if !isAcronym(inner) || !initialsOf(inner, outer) {
		return "", "", false
	}
	return outer, inner, true
}

// isAcronym reports a single word of 2 to 10 Latin letters (with digits,
// dots, hyphens or slashes between them: ISIS-GS, LRM/A) of which at least
// two are capitals.
func isAcronym(s string) bool {
	letters, upper := 0, 0
	for _, r := range s {
		switch {
		case r < 0x80 && unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		case r >= '0' && r <= '9', r == '.', r == '-', r == '/', r == '&':
		default:
			return false
		}
	}
	return letters >= 2 && letters <= 10 && upper >= 2
}

// initialsOf reports whether the letters of acr, in order, are initials
// of the words of name (split at spaces, hyphens, apostrophes and
// slashes), the first of them the first word's.
func initialsOf(acr, name string) bool {
	var ini []byte
	for _, w := range strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		ini = append(ini, byte(unicode.ToLower([]rune(w)[0])))
	}
	k := 0
	for _, r := range acr {
		if !unicode.IsLetter(r) {
			continue
		}
		c := byte(unicode.ToLower(r))
		if k == 0 {
			if len(ini) == 0 || ini[0] != c {
				return false
			}
			k = 1
			continue
		}
		for k < len(ini) && ini[k] != c {
			k++
		}
		if k == len(ini) {
			return false
		}
		k++
	}
	return k > 0
}

// slashAcronym returns the name and the acronym of a name that writes
// its acronym after a spaced slash (AL-ITIHAAD AL-ISLAMIYA / AIAI,
// HARAKAT UL-MUJAHIDIN / HUM), as the bracketed acronyms above, where
// other lists and the original script write the name alone: ok false when
// name has no such slash or the side after it is no acronym of the one
// before. (A slash without spaces joins the words of one name, ADF/NALU;
// other sides of a spaced slash may be a description, JOUMAA MONEY
// LAUNDERING ORGANIZATION / DRUG TRAFFICKING ORGANIZATION, not a name.)
func slashAcronym(name string) (outer, acronym string, ok bool) {
	outer, acronym, ok = strings.Cut(name, " / ")
	if !ok || strings.Contains(acronym, " / ") {
		return "", "", false
	}
	outer, acronym = strings.TrimSpace(outer), strings.TrimSpace(acronym)
	if !isAcronym(acronym) || !initialsOf(acronym, outer) {
		return "", "", false
	}
	return outer, acronym, true
}

// An organisation is often searched for, and listed by another list, by
// the acronym of its name alone (PFLP for POPULAR FRONT FOR THE
// LIBERATION OF PALESTINE, GBAE for GENERAL BUREAU OF ATOMIC ENERGY, UWSA
// for UNITED WA STATE ARMY), where its record does not write it. So the
// name of an organisation of three to eight words is also indexed, as a
// weak name, under the initials of its words: once without the connecting
// words (of, the, and, in, for, …), and once keeping the Arabic article
// and the Urdu and Persian ezafe, which acronyms written in the region
// keep (HUJI for HARAKAT-UL JIHAD ISLAMI), and once keeping the article
// but not the ezafe (TTPJUA). A weak name scores less than a
// written one (weakNameFactor); a derived acronym is found by its
// spelling only, not by its skeleton, so that it weighs on no other
// part's frequency (upsert). One of three letters is derived too (LRA,
// BIF, IMU, NPA: the lists' own aliases of their organisations are often
// such acronyms), but it ranks without alerting: three initials are what
// countless ordinary firms are called (MPC Trading LLC, MPC Ltd: 17,576
// of them name every firm in a register), so a record met only through
// one scores at most shortAcronymCap, below the screening threshold. A
// reviewer searching LRA finds LORD'S RESISTANCE ARMY first; a payment
// to MPC Trading LLC is not stopped on MACHINE PARDAZAN CO.'s initials
// (the org-negatives set measures such names, docs/benchmarks.md
// "Session 13 (branch orgs2)").

// connectors are the words an acronym leaves out; articles those that
// one of its readings keeps.
var (
	connectors = map[string]bool{"of": true, "the": true, "and": true, "in": true, "for": true, "on": true, "at": true, "to": true, "de": true, "del": true, "la": true, "le": true, "les": true, "du": true, "des": true, "y": true, "et": true, "fi": true, "wal": true, "li": true, "lil": true, "al": true, "el": true, "ul": true, "ud": true, "e": true, "i": true, "an": true, "ar": true, "as": true, "ash": true}
	articles   = map[string]bool{"al": true, "el": true, "ul": true, "ud": true, "e": true, "i": true}
	// arabicArticles are the articles without the ezafe: a third reading
	// keeps them alone (TTPJUA for Tehrik-e Taliban Pakistan Jamaat ul
	// Ahrar, beside TTPJA and TETPJUA).
	arabicArticles = map[string]bool{"al": true, "el": true, "ul": true, "ud": true}
)

// minAcronym is the fewest letters of a derived acronym.
const minAcronym = 3

// shortAcronymCap is the most a record scores when its best name is a
// derived acronym of fewer than four letters (above): below the default
// threshold (0.80), so that it ranks but does not alert.
const shortAcronymCap = 0.79

// shortAcronym reports a derived acronym of three letters.
func shortAcronym(n *name) bool { return n.acr && len(n.raw) < 4 }

// derivedAcronyms appends to dst the acronyms of an organisation's name
// (above) of minAcronym to eight letters, or none when the name is in
// another script, has digits, or fewer than three or more than eight
// words besides the connecting ones.
func derivedAcronyms(dst []string, name string) []string {
	// A bracketed or slashed acronym, or comment, is no word of the name
	// (AL-QAIDA IN THE ARABIAN PENINSULA (AQAP), AL-ITIHAAD AL-ISLAMIYA /
	// AIAI).
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = name[:i]
	}
	name, _, _ = strings.Cut(name, " / ")
	var words []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == '/' || r == ',' }) {
		var b strings.Builder
		for _, r := range w {
			switch {
			case r < 0x80 && unicode.IsLetter(r):
				b.WriteRune(unicode.ToLower(r))
			case r < 0x80 && unicode.IsDigit(r):
				return dst
			case r >= 0x80 && unicode.IsLetter(r):
				return dst // another script, or letters the initials would not show
			}
		}
		if b.Len() > 0 {
			words = append(words, b.String())
		}
	}
	// Legal forms are no words of the acronym (PROFINET PTE. LTD. is no
	// PPL, NATIONAL LOTTERY AD no NLA); an organisation word such as
	// Company is (NIOC, National Iranian Oil Company).
	head, tail := normalize.LegalEnds(words)
	words = words[head : len(words)-tail]
	if len(words) < 3 || len(words) > 12 {
		return dst
	}
	start := len(dst)
	for keep := range 3 { // no article, the Arabic one only, all
		var acr []byte
		sig := 0
		for _, w := range words {
			if connectors[w] && !(keep == 2 && articles[w] || keep == 1 && arabicArticles[w]) {
				continue
			}
			acr = append(acr, w[0])
			if !connectors[w] {
				sig++
			}
		}
		if sig < 3 || sig > 8 || len(acr) < minAcronym || len(acr) > 8 {
			continue
		}
		if a := strings.ToUpper(string(acr)); !slices.Contains(dst[start:], a) {
			dst = append(dst, a)
		}
	}
	return dst
}

// joinedAcronym returns an organisation's query name written as one
// acronym in hyphenated parts (TTP-JA, TTP-JUA: the acronym of a branch
// of the body after the body's own) joined into one word, TTPJA, the
// form under which derived acronyms are indexed; or "" when the name is
// no such acronym: a person's name, a name with spaces, parts of other
// than capitals, a first part under three letters (AL-NUR), or fewer
// than minAcronym or more than eight letters.
func joinedAcronym(name, schema string) string {
	if schema != "Organization" || !strings.Contains(name, "-") {
		return ""
	}
	var b strings.Builder
	for i, p := range strings.Split(name, "-") {
		if p == "" || i == 0 && len(p) < 3 { // AL-NUR is a word with its article
			return ""
		}
		for _, r := range p {
			if r > 0x7f || !unicode.IsUpper(r) {
				return ""
			}
		}
		b.WriteString(p)
	}
	if b.Len() < minAcronym || b.Len() > 8 {
		return ""
	}
	return b.String()
}
