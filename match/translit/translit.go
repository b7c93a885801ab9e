// Package translit detects the script of a name and transliterates it to
// lower-case ASCII Latin with table-driven rules.
//
// The output is not a scholarly romanisation: it is a deterministic, lossy
// spelling chosen so that the consonant skeletons produced by package keys
// agree with the common English, French, German and Russian-style
// romanisations of the same name. Arabic-script text (Arabic, Persian, Urdu,
// Pashto) carries no short vowels, so its output is mostly consonants; the
// matching engine compares skeletons, which are vowel-insensitive.
//
// Hand-written rules: Latin (diacritics stripped through NFKD), Arabic,
// Persian, Urdu, Pashto, Cyrillic (Russian, Ukrainian, Belarusian, Uzbek,
// Kazakh, Tajik, Kyrgyz, Serbian, Macedonian, Bulgarian letters), Greek,
// Hebrew, Armenian, Georgian and Hangul; Han runs as pinyin with the family
// name apart (readings in Wade-Giles: package match). Other scripts (kana,
// Devanagari, Bengali and the other Indic scripts, Thai, Lao, Khmer,
// Myanmar, Ge'ez…) go through the transliteration table of
// github.com/mozillazg/go-unidecode, the long-tail fallback.
package translit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// Script is a writing system detected in a string.
type Script uint8

// Scripts recognised by Detect.
const (
	Unknown Script = iota
	Latin
	Arabic
	Cyrillic
	Greek
	Hebrew
	Armenian
	Georgian
	Hangul
	Han
	Kana
	Thai
	Other
)

var scriptNames = [...]string{"Unknown", "Latin", "Arabic", "Cyrillic", "Greek", "Hebrew", "Armenian", "Georgian", "Hangul", "Han", "Kana", "Thai", "Other"}

func (s Script) String() string {
	if int(s) < len(scriptNames) {
		return scriptNames[s]
	}
	return "Script(?)"
}

// Of returns the script of a single rune; digits, punctuation and spaces are
// Unknown.
func Of(r rune) Script {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return Latin
		}
		return Unknown
	case unicode.Is(unicode.Latin, r):
		return Latin
	case unicode.Is(unicode.Arabic, r):
		return Arabic
	case unicode.Is(unicode.Cyrillic, r):
		return Cyrillic
	case unicode.Is(unicode.Greek, r):
		return Greek
	case unicode.Is(unicode.Hebrew, r):
		return Hebrew
	case unicode.Is(unicode.Armenian, r):
		return Armenian
	case unicode.Is(unicode.Georgian, r):
		return Georgian
	case unicode.Is(unicode.Hangul, r):
		return Hangul
	case unicode.Is(unicode.Han, r):
		return Han
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return Kana
	case unicode.Is(unicode.Thai, r):
		return Thai
	case unicode.IsLetter(r):
		return Other
	}
	return Unknown
}

// Detect returns the dominant script of s (the one with most letters; ties
// go to the earlier constant), or Unknown when s has no letters.
func Detect(s string) Script {
	var counts [Other + 1]int
	for _, r := range s {
		counts[Of(r)]++
	}
	best := Unknown
	for sc := Latin; sc <= Other; sc++ {
		if counts[sc] > counts[best] || best == Unknown && counts[sc] > 0 {
			best = sc
		}
	}
	return best
}

// IsASCII reports whether s is pure ASCII.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ToLatin transliterates s to lower-case ASCII. Letters become a-z, digits
// are kept, every other rune becomes a space or disappears (apostrophes,
// ayn, hamza and combining marks vanish so that "al-'Adl" and "al Adl" meet).
// Word boundaries are kept as single spaces; the result is trimmed.
func ToLatin(s string) string {
	if IsASCII(s) {
		return asciiLatin(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	s = norm.NFKD.String(s) // splits Latin diacritics and Hangul syllables into jamo
	prevSpace := true
	wordStart := true
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if unicode.Is(unicode.Han, r) {
			// A run of Han characters: pinyin syllables, the first (the
			// family name) apart and the others joined (习近平 Xi Jinping).
			j := i
			for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
				j++
			}
			if !prevSpace {
				b.WriteByte(' ')
			}
			writeHan(&b, rs[i:j])
			b.WriteByte(' ')
			prevSpace, wordStart = true, true
			i = j - 1
			continue
		}
		if fallback(r) {
			// Scripts without hand-written rules: the long-tail table.
			if i+1 < len(rs) && (rs[i+1] == 0x3099 || rs[i+1] == 0x309A) {
				// Kana with its (semi-)voicing mark, as NFKD split it.
				if c := []rune(norm.NFC.String(string(rs[i : i+2]))); len(c) == 1 {
					r = c[0]
				}
				i++
			}
			if out := fallbackLatin(r); out != "" {
				b.WriteString(out)
				prevSpace, wordStart = false, false
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			if v, ok := arabicMarks[r]; ok {
				b.WriteString(v)
			}
			continue
		}
		var out string
		switch {
		case r < 0x80:
			out = asciiRune(r)
			if i+1 < len(rs) && rs[i+1] >= 0x0300 && rs[i+1] <= 0x036F {
				if d := markedLetter(r, rs[i+1]); d != "" {
					out = d
				}
			}
		case r >= 0x0600 && r <= 0x06FF || r >= 0x0750 && r <= 0x077F || r >= 0xFB50 && r <= 0xFEFF:
			out = arabicRune(r, wordStart || afterArticle(rs, i))
			if (r == 'ه' || r == 'ہ') && !wordStart && b.Len() > 0 && digraphHead(b.String()[b.Len()-1]) {
				// ز+ه is z-h, not the digraph zh (زهرا Zahra, کهلان
				// Kahlan, دهب Dahab): a vowel keeps the two apart.
				out = "ah"
			}
			if (r == 'ه' || r == 'ہ') && secondOfTwo(rs, i) {
				// A name of one letter and ه (طه Taha): the ه is a root
				// consonant that every Latin spelling voices, not the
				// silent ending a final h is elsewhere.
				out += "a"
			}
			if (out == "s" || out == "z") && !wordStart && b.Len() > 0 && b.String()[b.Len()-1] == 't' {
				// ت+ص is t-s, not the affricate ts (Cyrillic ц, German z)
				// that the skeleton reads as one consonant: معتصم
				// Mutasim, المتصدق Motassadeq.
				out = "a" + out
			}
		case r >= 0x0400 && r <= 0x052F:
			out = cyrillicRune(r, wordStart, prevRune(rs, i))
			if i+1 < len(rs) && rs[i+1] == 0x0301 {
				// Macedonian ѓ and ќ, which NFKD split into г and к
				// and an acute: gj and kj.
				switch toLowerCyr(r) {
				case 'г':
					out = "gj"
				case 'к':
					out = "kj"
				}
			}
		case r >= 0x0370 && r <= 0x03FF || r >= 0x1F00 && r <= 0x1FFF:
			out = greekRune(r, rs, i)
		case r >= 0x0590 && r <= 0x05FF:
			out = hebrewRune(r, wordStart)
		case r >= 0x1100 && r <= 0x11FF:
			out = jamo(r, wordStart)
		default:
			if v, ok := latinExtra[r]; ok {
				out = v
			} else if unicode.IsLetter(r) {
				if v, ok := otherRune[r]; ok {
					out = v
				} else if lr := unicode.ToLower(r); lr < 0x80 {
					out = string(lr)
				} else {
					out = ""
				}
			} else if isJoiner(r) {
				out = ""
			} else {
				out = " "
			}
		}
		if out == " " {
			if !prevSpace {
				b.WriteByte(' ')
				prevSpace = true
			}
			wordStart = true
			continue
		}
		if out != "" {
			b.WriteString(out)
			prevSpace = false
			wordStart = false
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// secondOfTwo reports whether rs[i] ends a word of two letters (harakat
// and tatweel aside).
func secondOfTwo(rs []rune, i int) bool {
	letter := func(r rune) bool { return unicode.IsLetter(r) && r != '\u0640' }
	skip := func(r rune) bool { return unicode.Is(unicode.Mn, r) || r == '\u0640' }
	j := i + 1
	for j < len(rs) && skip(rs[j]) {
		j++
	}
	if j < len(rs) && letter(rs[j]) {
		return false
	}
	n := 0
	for k := i - 1; k >= 0; k-- {
		switch {
		case skip(rs[k]):
		case letter(rs[k]):
			n++
			if n > 1 {
				return false
			}
		default:
			return n == 1
		}
	}
	return n == 1
}

func prevRune(rs []rune, i int) rune {
	if i == 0 {
		return ' '
	}
	return rs[i-1]
}

// isJoiner reports runes that glue letters of one word: apostrophes, ayn
// and hamza signs, modifier letters, zero-width joiners, tatweel.
func isJoiner(r rune) bool {
	switch r {
	case '\'', '`', '’', '‘', 'ʼ', 'ʻ', 'ʽ', 'ʾ', 'ʿ', '´', 'ˈ', '\u200c', '\u200d', '\u0640', '\u00ad', '′':
		return true
	}
	return unicode.Is(unicode.Lm, r) || unicode.Is(unicode.Cf, r)
}

func asciiRune(r rune) string {
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		return asciiTable[r]
	case 'A' <= r && r <= 'Z':
		return asciiTable[r+32]
	case r == '\'' || r == '`':
		return ""
	}
	return " "
}

var asciiTable = func() (t [128]string) {
	for r := 0; r < 128; r++ {
		t[r] = string(rune(r))
	}
	return
}()

// asciiLatin is the fast path for ASCII input: lower-case, keep letters and
// digits, drop apostrophes, everything else separates words.
func asciiLatin(s string) string {
	buf := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			buf = append(buf, c)
			space = false
		case 'A' <= c && c <= 'Z':
			buf = append(buf, c+32)
			space = false
		case c == '\'' || c == '`':
		default:
			if !space {
				buf = append(buf, ' ')
				space = true
			}
		}
	}
	if n := len(buf); n > 0 && buf[n-1] == ' ' {
		buf = buf[:n-1]
	}
	return string(buf)
}

// afterArticle reports whether rs[i] directly follows a word-initial
// Arabic article ال, so that العدل gives "aladl" like العدل's Latin al-'Adl.
func afterArticle(rs []rune, i int) bool {
	if i < 2 || rs[i-1] != 'ل' || (rs[i-2] != 'ا' && rs[i-2] != 'أ' && rs[i-2] != 'ٱ') {
		return false
	}
	return i == 2 || !unicode.IsLetter(rs[i-3])
}

// digraphHead reports Latin letters that form a digraph with a following h
// (sh, zh, kh, th, dh, gh, ch, ph).
func digraphHead(c byte) bool {
	switch c {
	case 's', 'z', 'k', 't', 'd', 'g', 'c', 'p':
		return true
	}
	return false
}

// fallbackScripts are the scripts read by the long-tail table.
var fallbackScripts = []*unicode.RangeTable{
	unicode.Hiragana, unicode.Katakana, unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati,
	unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Thai, unicode.Lao, unicode.Tibetan, unicode.Myanmar, unicode.Khmer, unicode.Ethiopic,
	unicode.Mongolian, unicode.Syriac, unicode.Thaana,
}

// fallback reports runes of the blocks of fallbackScripts (a cheap range
// test; fallbackLatin checks the script).
func fallback(r rune) bool {
	return r >= 0x0700 && r < 0x0750 || r >= 0x0780 && r < 0x07C0 || r >= 0x0900 && r < 0x10A0 ||
		r >= 0x1200 && r < 0x13A0 || r >= 0x1780 && r < 0x18B0 || r >= 0x3040 && r < 0x3100
}

// fallbackLatin romanises one rune with the long-tail table, lower case,
// letters and digits only.
func fallbackLatin(r rune) string {
	if !unicode.In(r, fallbackScripts...) {
		return ""
	}
	u := unidecode.Unidecode(string(r))
	var buf [16]byte
	out := buf[:0]
	for i := 0; i < len(u) && len(out) < len(buf); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = append(out, c)
		case c >= 'A' && c <= 'Z':
			out = append(out, c+32)
		}
	}
	return string(out)
}

// writeHan writes a run of Han characters as pinyin: one syllable alone,
// two to four as a family name and a joined given name, more as they come.
func writeHan(b *strings.Builder, run []rune) {
	syl := make([]string, 0, len(run))
	for _, r := range run {
		s := strings.ToLower(strings.TrimSpace(unidecode.Unidecode(string(r))))
		if s != "" && IsASCII(s) {
			syl = append(syl, s)
		}
	}
	switch {
	case len(syl) >= 2 && len(syl) <= 4:
		b.WriteString(syl[0])
		b.WriteByte(' ')
		for _, s := range syl[1:] {
			b.WriteString(s)
		}
	default:
		b.WriteString(strings.Join(syl, " "))
	}
}

// LooseVowels reports whether s is mostly in a script whose romanisation
// says little about vowels (Arabic script, the Indic scripts, Thai, Lao,
// Khmer, Ge'ez), so that names from it compare by consonants.
func LooseVowels(s string) bool {
	loose, other := 0, 0
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.Is(unicode.Mc, r) && !unicode.Is(unicode.Mn, r):
		case unicode.Is(unicode.Arabic, r) || fallback(r) && !unicode.In(r, unicode.Hiragana, unicode.Katakana):
			loose++
		default:
			other++
		}
	}
	return loose > other
}
