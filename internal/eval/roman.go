package eval

import (
	"strings"
	"unicode"
)

// Romanisation tables of the evaluation, written apart from the engine's
// (package translit) so that cross-script queries are not spelt by the
// rules that will read them back. Cyrillic has a French, a German and an
// ISO-9-like (ASCII-folded) scheme; Arabic script a French/Maghreb and an
// English scheme that, as clerks do, write a vowel between consonants that
// the script leaves unwritten.

type scheme struct {
	name string
	cyr  map[rune]string
	arab map[rune]string
	vow  string // vowel written between unvoweled Arabic consonants
}

var cyrBase = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'з': "z", 'и': "i", 'к': "k", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ф': "f", 'ъ': "", 'ь': "",
	'э': "e", 'і': "i", 'ў': "u", 'ғ': "gh", 'қ': "q", 'ҳ': "h", 'ә': "a", 'ө': "o", 'ү': "u", 'ң': "ng",
}

func withBase(extra map[rune]string) map[rune]string {
	m := make(map[rune]string, len(cyrBase)+len(extra))
	for k, v := range cyrBase {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

var arabBase = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ح': "h", 'خ': "kh", 'د': "d",
	'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "", 'غ': "gh",
	'ج': "j", 'ش': "sh", 'و': "w", 'ي': "y", 'ی': "y", 'ف': "f", 'ق': "q", 'ك': "k", 'ک': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h", 'ة': "a", 'ى': "a",
	'ء': "", 'ؤ': "u", 'ئ': "i", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ہ': "h", 'ھ': "h", 'ے': "e",
}

func arabWith(extra map[rune]string) map[rune]string {
	m := make(map[rune]string, len(arabBase)+len(extra))
	for k, v := range arabBase {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

var schemes = []scheme{
	{name: "french",
		cyr:  withBase(map[rune]string{'ж': "j", 'х': "kh", 'ц': "ts", 'ч': "tch", 'ш': "ch", 'щ': "chtch", 'у': "ou", 'ы': "y", 'й': "i", 'ю': "iou", 'я': "ia", 'ё': "io"}),
		arab: arabWith(map[rune]string{'ج': "dj", 'ش': "ch", 'و': "ou", 'ي': "i", 'ی': "i", 'خ': "kh", 'غ': "gh", 'ق': "k"}),
		vow:  "e"},
	{name: "german",
		cyr:  withBase(map[rune]string{'ж': "sch", 'х': "ch", 'ц': "z", 'ч': "tsch", 'ш': "sch", 'щ': "schtsch", 'у': "u", 'ы': "y", 'й': "j", 'ю': "ju", 'я': "ja", 'ё': "jo", 'в': "w", 'з': "s", 'с': "ss"}),
		arab: arabWith(map[rune]string{'ج': "dsch", 'ش': "sch", 'و': "u", 'ي': "i", 'ی': "i", 'خ': "ch", 'ث': "s", 'ذ': "s"}),
		vow:  "a"},
	{name: "iso",
		cyr:  withBase(map[rune]string{'ж': "z", 'х': "h", 'ц': "c", 'ч': "c", 'ш': "s", 'щ': "sc", 'у': "u", 'ы': "y", 'й': "j", 'ю': "ju", 'я': "ja", 'ё': "e"}),
		arab: arabWith(map[rune]string{'ج': "j", 'ش': "sh", 'و': "w", 'ي': "y", 'ی': "y", 'ح': "h", 'ع': "'", 'ق': "q"}),
		vow:  "a"},
}

// romanise writes a Cyrillic or Arabic-script name in Latin with scheme sc.
// ok is false when the name has letters of another script.
func (sc *scheme) romanise(name string) (string, bool) {
	var b strings.Builder
	rs := []rune(name)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		lr := unicode.ToLower(r)
		if v, ok := sc.cyr[lr]; ok {
			if lr == 'е' && (i == 0 || !unicode.IsLetter(rs[i-1]) || isCyrVowel(rs[i-1])) && sc.name != "iso" {
				v = "ie"
				if sc.name == "german" {
					v = "je"
				}
			}
			b.WriteString(v)
			continue
		}
		if v, ok := sc.arab[r]; ok {
			// The article ال at a word's start, as French and English
			// spellings write it (El-din, El-rahman); only the article:
			// a name that merely begins with the letters al (علي, Ali)
			// is written as its letters say.
			if r == 'ا' && (i == 0 || !unicode.IsLetter(rs[i-1])) && i+2 < len(rs) && rs[i+1] == 'ل' && unicode.IsLetter(rs[i+2]) {
				b.WriteString("el-")
				i++
				continue
			}
			// و and ي are consonants at a word's start, vowels inside.
			if (r == 'و' || r == 'ي' || r == 'ی') && (i == 0 || !unicode.IsLetter(rs[i-1])) {
				v = map[rune]string{'و': "w", 'ي': "y", 'ی': "y"}[r]
			}
			b.WriteString(v)
			// A vowel between two consonants the script leaves unwritten.
			if i+1 < len(rs) && isArabConsonant(r) && isArabConsonant(rs[i+1]) && !(r == 'ل' && i >= 1 && rs[i-1] == 'ا' && (i == 1 || !unicode.IsLetter(rs[i-2]))) {
				b.WriteString(sc.vow)
			}
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r) || r == '\u0640' || r == '\u200c':
		case unicode.IsLetter(r) && r < 0x80:
			b.WriteRune(r)
		case unicode.IsLetter(r):
			return "", false
		default:
			b.WriteRune(' ')
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return titleCase(out), out != ""
}

func isCyrVowel(r rune) bool {
	return strings.ContainsRune("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯ", r)
}

func isArabConsonant(r rune) bool {
	switch r {
	case 'ا', 'أ', 'إ', 'آ', 'و', 'ي', 'ی', 'ى', 'ة', 'ء', 'ؤ', 'ئ', 'ے':
		return false
	}
	_, ok := arabBase[r]
	return ok
}
