package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean removes from a name what software adds to text and a reader does
// not see, so that every later rule meets the letters as a keyboard types
// them:
//
//   - format characters (Unicode category Cf): the zero-width non-joiner
//     and joiner (U+200C, U+200D) that Persian and Urdu write inside and
//     between the parts of a word, the directional marks LRM, RLM and ALM
//     (U+200E, U+200F, U+061C) and the embedding, override and isolate
//     controls (U+202A–202E, U+2066–2069) that web forms and word
//     processors leave in pasted right-to-left text, the byte-order mark,
//     the soft hyphen;
//   - tatweel (kashida, U+0640), which only stretches a joined letter to
//     justify a line;
//   - the Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF: the
//     contextual glyphs and ligatures that PDF text layers and old code
//     pages hold instead of the letters) are written as their letters (the
//     compatibility decomposition; lam-alif is two letters); the forms
//     that stand for a vowel sign, or for a phrase of several words (the
//     eulogy ﷺ), are dropped, as harakat are;
//   - a name in another normal form (NFD: آ as alif and a combining
//     madda, й as и and a combining breve) is composed (NFC).
//
// And a word that mixes Latin letters with Cyrillic or Greek ones drawn
// like Latin ones (Нassan, Ahmеd: a homoglyph typed to evade screening,
// or a keyboard left in another layout) has those read as the Latin
// letters they look like (the confusables of Unicode's UTS #39). No
// word of one script is touched: ПЕТРОВ and Petrov stay what they are.
//
// Names with nothing of the kind (every ASCII name, most others) are
// returned as they are, without allocating.
func Clean(s string) string {
	s = clean(s)
	if mixedCyrGreek(s) {
		s = readLookAlikes(s)
	}
	return s
}

func clean(s string) string {
	i, marks := 0, false
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unclean(r) {
			break
		}
		marks = marks || composing(r)
		i += n
	}
	if i == len(s) {
		if !marks || norm.NFC.IsNormalString(s) {
			return s
		}
		return norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == '\u0640' || unicode.Is(unicode.Cf, r):
		case r >= 0xFB50 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFE:
			d := norm.NFKC.String(string(r))
			if strings.ContainsAny(d, " \u0640") || d == string(r) {
				continue // a vowel sign's form, a phrase, or no letter at all
			}
			b.WriteString(d)
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// unclean reports runes that Clean rewrites or drops: tatweel, the
// presentation forms and the format characters (category Cf, its ranges
// below U+10000 written out: unicode.Is costs more than the test).
func unclean(r rune) bool {
	switch {
	case r < 0x0600:
		return r == 0x00AD
	case r < 0x0700:
		return r <= 0x0605 || r == 0x061C || r == 0x0640 || r == 0x06DD
	case r < 0x2000:
		return r == 0x070F || r == 0x08E2 || r == 0x180E
	case r < 0x2070:
		return r >= 0x200B && r <= 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2060
	case r < 0xFB50:
		return false
	case r < 0x10000:
		return r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF || r >= 0xFFF9 && r <= 0xFFFB
	}
	return unicode.Is(unicode.Cf, r)
}

// composing reports combining marks and jamo that NFC may compose with the
// letter before (Latin, Cyrillic and Greek diacritics, the Arabic madda
// and hamza, Hangul jamo, the kana voicing marks): a name without any is
// already composed.
func composing(r rune) bool {
	switch {
	case r < 0x0300:
		return false
	case r < 0x0370:
		return true
	case r < 0x0653:
		return false
	case r <= 0x0655:
		return true
	case r < 0x093C:
		return false
	}
	return r <= 0x0DFF && unicode.Is(unicode.M, r) || r >= 0x1100 && r <= 0x11FF || r == 0x3099 || r == 0x309A
}

// mixedCyrGreek reports whether s holds an ASCII letter and a rune of
// U+0340–U+053F (Greek and Cyrillic; UTF-8 lead bytes 0xCD–0xD4).
func mixedCyrGreek(s string) bool {
	latin, cg := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			latin = true
		case c >= 0xCD && c <= 0xD4:
			cg = true
		default:
			continue
		}
		if latin && cg {
			return true
		}
	}
	return false
}

// lookAlikes are the Cyrillic and Greek letters drawn like a Latin one.
var lookAlikes = map[rune]rune{
	'А': 'A', 'а': 'a', 'В': 'B', 'Е': 'E', 'е': 'e', 'К': 'K', 'к': 'k', 'М': 'M', 'Н': 'H', 'О': 'O',
	'о': 'o', 'Р': 'P', 'р': 'p', 'С': 'C', 'с': 'c', 'Т': 'T', 'у': 'y', 'Х': 'X', 'х': 'x', 'І': 'I',
	'і': 'i', 'Ј': 'J', 'ј': 'j', 'Ѕ': 'S', 'ѕ': 's', 'Ү': 'Y', 'Ԁ': 'D', 'ԁ': 'd', 'Ԛ': 'Q', 'ԛ': 'q',
	'Ԝ': 'W', 'ԝ': 'w', 'Һ': 'h', 'һ': 'h', 'Ӏ': 'I',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'ο': 'o', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ι': 'i', 'ν': 'v',
}

// readLookAlikes reads as Latin the look-alike letters of every word
// that mixes Latin letters with Cyrillic or Greek ones.
func readLookAlikes(s string) string {
	rs := []rune(s)
	changed := false
	for i := 0; i < len(rs); {
		j := i
		latin, other := false, false
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
			switch {
			case unicode.Is(unicode.Latin, rs[j]):
				latin = true
			case rs[j] >= 0x0370 && rs[j] <= 0x04FF || rs[j] >= 0x0500 && rs[j] <= 0x052F:
				other = true
			}
			j++
		}
		if latin && other {
			for k := i; k < j; k++ {
				if l, ok := lookAlikes[rs[k]]; ok {
					rs[k] = l
					changed = true
				}
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	if !changed {
		return s
	}
	return string(rs)
}
