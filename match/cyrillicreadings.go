package match

import (
	"strings"
	"unicode"
)

// A record name in Cyrillic is indexed under its German and French
// romanisations too, written from the published tables (German: Duden, as
// the German press writes Russian names; French: the usage of the French
// press and of the Quai d'Orsay), so that a Latin query spelt by either
// meets a record held in Cyrillic only: Jewgeni Prigoschin and Evgueni
// Prigojine are Евгений Пригожин, Boris Schukow and Boris Joukov are
// Борис Жуков. The transliteration of the index itself (translit) is the
// English-style one (BGN/PCGN-like), which German ж = sch, French ж = j,
// ш = ch, у = ou do not meet. The work is done once, when the record is
// indexed; a query in Cyrillic is screened as one name.

// cyrillicReadings appends to dst the German and French readings of a
// name with Cyrillic letters (none for other names).
func cyrillicReadings(dst []string, name string) []string {
	if !hasCyrillic(name) {
		return dst
	}
	return append(dst, romaniseCyrillic(name, &germanCyr), romaniseCyrillic(name, &frenchCyr))
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// cyrTable is one romanisation table of Russian Cyrillic.
type cyrTable struct {
	letters map[rune]string
	// iotated: е, ё, ю, я at the start of a word or after a vowel, ъ or ь.
	iotated map[rune]string
	// ending: -ий, -ый at the end of a word.
	endIj, endYj string
	// soft: г before е, и, ы, э (French gu: Evgueni, Sergueï).
	soft string
	// vowelJ: й after a vowel (French ï: Sergueï, Nikolaï).
	vowelJ string
	// finalIn: -ин at the end of a word (French -ine: Prigojine).
	finalIn string
}

var germanCyr = cyrTable{
	letters: map[rune]string{
		'а': "a", 'б': "b", 'в': "w", 'г': "g", 'д': "d", 'е': "e", 'ё': "jo", 'ж': "sch", 'з': "s",
		'и': "i", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
		'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "ch", 'ц': "z", 'ч': "tsch", 'ш': "sch",
		'щ': "schtsch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "ju", 'я': "ja",
	},
	iotated: map[rune]string{'е': "je", 'ё': "jo", 'ю': "ju", 'я': "ja"},
	endIj:   "i", endYj: "y",
	vowelJ: "j",
}

var frenchCyr = cyrTable{
	letters: map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "io", 'ж': "j", 'з': "z",
		'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
		'с': "s", 'т': "t", 'у': "ou", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "tch", 'ш': "ch",
		'щ': "chtch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iou", 'я': "ia",
	},
	iotated: map[rune]string{'е': "ie", 'ё': "io", 'ю': "iou", 'я': "ia"},
	endIj:   "i", endYj: "y",
	soft: "gu", vowelJ: "ï", finalIn: "ine",
}

const cyrVowels = "аеёиоуыэюя"

// romaniseCyrillic writes name's Cyrillic letters by table t (lower case;
// other characters as they are).
func romaniseCyrillic(name string, t *cyrTable) string {
	rs := []rune(strings.ToLower(name))
	var b strings.Builder
	isCyr := func(i int) bool { return i >= 0 && i < len(rs) && unicode.Is(unicode.Cyrillic, rs[i]) }
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !isCyr(i) {
			b.WriteRune(r)
			continue
		}
		end := !isCyr(i + 1)
		switch {
		case (r == 'и' || r == 'ы') && i+1 < len(rs) && rs[i+1] == 'й' && !isCyr(i+2) && isCyr(i-1):
			if r == 'и' {
				b.WriteString(t.endIj)
			} else {
				b.WriteString(t.endYj)
			}
			i++
		case t.iotated[r] != "" && (!isCyr(i-1) || strings.ContainsRune(cyrVowels+"ъь", rs[i-1])):
			b.WriteString(t.iotated[r])
		case r == 'г' && t.soft != "" && i+1 < len(rs) && strings.ContainsRune("еиыэ", rs[i+1]):
			b.WriteString(t.soft)
		case r == 'й' && isCyr(i-1) && strings.ContainsRune(cyrVowels, rs[i-1]):
			b.WriteString(t.vowelJ)
		case r == 'н' && end && t.finalIn != "" && i >= 3 && rs[i-1] == 'и':
			// -ин final: the и is written already; French adds e.
			b.WriteString("ne")
		case r == 'с' && isCyr(i-1) && isCyr(i+1) && strings.ContainsRune(cyrVowels, rs[i-1]) && strings.ContainsRune(cyrVowels, rs[i+1]):
			b.WriteString("ss") // с between vowels, as both tables write it
		default:
			if s, ok := t.letters[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
