package match

import (
	"strings"
	"unicode"
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
