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
// ok is false when the name has letters of another script. The short
// vowels the Arabic script leaves unwritten are guessed: sc.vow between
// every two consonants (romaniseHeard writes them as heard where it can).
func (sc *scheme) romanise(name string) (string, bool) {
	return sc.romaniseHeard(name, nil)
}

// romaniseHeard is romanise by a clerk who has heard the name: the short
// vowels of an Arabic-script word, which the script does not write, are
// those of the word's spelling in heard (the Latin names of the same
// person or organisation), written the scheme's way (French ou for u), and
// a consonant cluster stays a cluster (أحمد is Ahmed, never Ahamed; عبد is
// Abd, never Abad). Only the vowels come from heard: the consonants, the
// long vowels and the article are the scheme's. A word that no heard word
// aligns with (same consonants, one at most differing) falls back to
// sc.vow between consonants.
func (sc *scheme) romaniseHeard(name string, heard []string) (string, bool) {
	var b strings.Builder
	rs := []rune(name)
	var gaps, finals map[int]string
	if len(heard) > 0 {
		gaps, finals = sc.heardGaps(rs, heardWords(heard))
	}
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
			if i+1 < len(rs) && isArabConsonant(r) && isArabConsonant(rs[i+1]) && !afterArticle(rs, i) {
				if v, ok := gaps[i]; ok {
					b.WriteString(v)
				} else {
					b.WriteString(sc.vow)
				}
			}
			b.WriteString(finals[i])
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

// afterArticle: rs[i] is the ل of the article ال at a word's start.
func afterArticle(rs []rune, i int) bool {
	return rs[i] == 'ل' && i >= 1 && rs[i-1] == 'ا' && (i == 1 || !unicode.IsLetter(rs[i-2]))
}

// heardWords: the lower-case letters of every word of the Latin names, and
// of every two neighbouring words joined (Abdul Rahman heard as the one
// word عبدالرحمن); apostrophes and hyphens split words, and letters of
// other scripts are none.
func heardWords(names []string) []string {
	var out []string
	for _, n := range names {
		ws := strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) || r >= 0x80 })
		for i, w := range ws {
			out = append(out, w)
			if i+1 < len(ws) {
				out = append(out, w+ws[i+1])
			}
		}
	}
	return out
}

// latinSkeleton splits a Latin word into its consonants (digraphs such as
// sh, kh, dj one consonant; a doubled one once) and the vowels before each
// consonant and after the last (gaps[k] precedes consonant k; y and w count
// as vowels, as they write long vowels and diphthongs).
func latinSkeleton(w string) (cons []string, gaps []string) {
	var gap strings.Builder
	for i := 0; i < len(w); {
		c := w[i]
		if strings.IndexByte("aeiouyw", c) >= 0 {
			gap.WriteByte(c)
			i++
			continue
		}
		n := 1
		if strings.HasPrefix(w[i:], "sch") || strings.HasPrefix(w[i:], "tch") {
			n = 3
		} else if i+1 < len(w) {
			switch w[i : i+2] {
			case "sh", "ch", "kh", "th", "dh", "gh", "zh", "ph", "dj", "ts":
				n = 2
			}
		}
		u := w[i : i+n]
		i += n
		if len(cons) > 0 && cons[len(cons)-1] == u && gap.Len() == 0 {
			continue
		}
		gaps = append(gaps, gap.String())
		gap.Reset()
		cons = append(cons, u)
	}
	gaps = append(gaps, gap.String())
	return cons, gaps
}

// arabLatin: the first Latin letters an Arabic consonant is commonly
// written with, to align an Arabic word with a heard one.
var arabLatin = map[rune]string{
	'ب': "bp", 'ت': "t", 'ط': "t", 'ث': "ts", 'ج': "jgd", 'ح': "h", 'ه': "h", 'ة': "h", 'ھ': "h", 'ہ': "h",
	'خ': "kch", 'د': "dz", 'ض': "dz", 'ذ': "dzt", 'ظ': "dzt", 'ر': "r", 'ز': "zs", 'س': "sc", 'ص': "sc",
	'ش': "sc", 'غ': "gr", 'ف': "fp", 'ق': "qkgc", 'ك': "kcq", 'ک': "kcq", 'گ': "gk", 'ل': "l", 'م': "m",
	'ن': "n", 'پ': "pb", 'چ': "ct", 'ژ': "zj",
}

// heardGaps aligns every Arabic-script word of rs with the heard word of
// the same consonants and returns, for each rune index i where romanise
// would write sc.vow after rs[i], the vowel heard there ("" for none), and
// the vowel heard after a word's last consonant (finals).
func (sc *scheme) heardGaps(rs []rune, heard []string) (gaps, finals map[int]string) {
	gaps, finals = map[int]string{}, map[int]string{}
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		start := i
		if j-i > 2 && rs[i] == 'ا' && rs[i+1] == 'ل' {
			start = i + 2 // the article, written el- apart
		}
		sc.wordGaps(rs, start, j, heard, gaps, finals)
		i = j
	}
	return gaps, finals
}

func (sc *scheme) wordGaps(rs []rune, from, to int, heard []string, gaps, finals map[int]string) {
	// The word's consonant slots: ع, silent in Latin, is none; a doubled
	// letter (shadda unwritten, لل) is one.
	slot := make([]int, to-from) // slot of each rune, -1 for none
	var letters []rune
	for k := from; k < to; k++ {
		slot[k-from] = -1
		r := rs[k]
		if !isArabConsonant(r) || r == 'ع' {
			continue
		}
		if k > from && len(letters) > 0 && rs[k-1] == r {
			slot[k-from] = len(letters) - 1
			continue
		}
		slot[k-from] = len(letters)
		letters = append(letters, r)
	}
	if len(letters) == 0 {
		return
	}
	// The heard word of the same consonants, at most one differing in a
	// word of three or more; else one that begins with them (عبد heard in
	// Abdallah, حميد in Hamidullah).
	best, bestCost := -1, 1<<30
	var bestGaps []string
	for h, w := range heard {
		cons, g := latinSkeleton(w)
		if len(cons) < len(letters) {
			continue
		}
		miss := 0
		for k, r := range letters {
			if !strings.ContainsRune(arabLatin[r], rune(cons[k][0])) {
				miss++
			}
		}
		cost := 2 * miss
		switch {
		case len(cons) > len(letters):
			if miss > 0 || len(letters) < 2 {
				continue
			}
			cost = 1
			g = append(g[:len(letters)], "")
		case miss > 1 || miss == 1 && len(letters) < 3:
			continue
		}
		if cost < bestCost {
			best, bestCost, bestGaps = h, cost, g
		}
	}
	if best < 0 {
		return
	}
	// A final short vowel heard after the word's last consonant (طه is
	// Taha), written after it.
	if last := to - 1; slot[last-from] >= 0 {
		if v := sc.vowel(bestGaps[len(letters)]); v != "" {
			finals[last] = v
		}
	}
	used := map[int]bool{}
	for k := from; k+1 < to; k++ {
		if !isArabConsonant(rs[k]) || !isArabConsonant(rs[k+1]) {
			continue
		}
		// The gap before the next slot: after rs[k]'s slot, or, after
		// an ع, before the consonant that follows it.
		g := -1
		if s := slot[k+1-from]; s >= 0 {
			g = s
			if slot[k-from] == s {
				gaps[k] = "" // the doubled letter
				continue
			}
		} else if s := slot[k-from]; s >= 0 {
			g = s + 1 // a consonant before ع
		} else {
			// ع before ع: nothing heard between
			gaps[k] = ""
			continue
		}
		if used[g] {
			gaps[k] = ""
			continue
		}
		used[g] = true
		gaps[k] = sc.vowel(bestGaps[g])
	}
}

// vowel writes the first vowel of a heard gap the scheme's way.
func (sc *scheme) vowel(gap string) string {
	for _, c := range gap {
		switch c {
		case 'u':
			if sc.name == "french" {
				return "ou"
			}
			return "u"
		case 'a', 'e', 'i', 'o':
			return string(c)
		}
	}
	return ""
}
