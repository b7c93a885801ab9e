package match

import (
	"strings"

	"concord/match/normalize"
)

// OCR'd letters. A passport's machine-readable zone, and any name read
// from a scan, comes through a character reader, whose best-known
// confusions put two letters for one: rn for m (the two arches of an m
// split), cl for d (the bowl of a d open). ocrLetters in package normalize
// reads back the digits a reader puts for letters (0 o, 1 i, 5 s, 8 b),
// which no name holds; rn and cl are in many real names (Bernard,
// Fernando, Clara), so a person's name is also screened as its OCR
// reading, with rn read m and cl read d in its words that are no known
// name (RNOHAMMED, AHRNAD, ABCLULLAH, KARACLZIC), and scores its best.
// Known names keep their letters (Arnold, Cornelia, Claude), and so do
// the names of organisations and of records of unknown schema, whose
// words (Eastern, Government, Cycle) are no names and were not read from
// a passport.
//
// A reader also puts v for u and f for e (a stroke lost or added), letters
// that stand in many names; read back only where the name needs a vowel:
// a v after a consonant and before another or at the end (GVL, ABDVL,
// KYV: Gul, Abdul, Kyu), an f between two consonants inside the word
// (MAGHOMFD, FFTHI: Maghomed, Fethi). Pavlov, Ivlev, Yevgeny, Dvorak and
// Hofstadter keep their letters, and so does a v before ya, yo, yu, ye
// (Svyatoslav, Zvyagin: the Russian я, ё, ю, е after it).

// ocrReading returns the OCR reading of a person's name (see above), or ""
// when no word of it changes.
func ocrReading(name, schema string) string {
	if schema != "Person" || !ocrSuspect(name) {
		return ""
	}
	var b strings.Builder
	done := 0 // name[:done] is written to b, once a word has changed
	start := -1
	flush := func(end int) {
		w := name[start:end]
		at := start
		start = -1
		if len(w) < 2 || !asciiWord(w) {
			return
		}
		lw := strings.ToLower(w)
		r, ok := ocrWord(lw)
		if !ok || normalize.KnownName(normalize.Canon(lw).Text) {
			return
		}
		b.WriteString(name[done:at])
		b.WriteString(r)
		done = end
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80 // a word with letters of other alphabets is left whole
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			flush(i)
		}
	}
	if start >= 0 {
		flush(len(name))
	}
	if done == 0 {
		return ""
	}
	b.WriteString(name[done:])
	return b.String()
}

// ocrWord returns lower-case word w with the letters a reader puts for
// other letters read back (see above); ok when any was.
func ocrWord(w string) (string, bool) {
	ok := false
	if len(w) >= 3 && (strings.Contains(w, "rn") || strings.Contains(w, "cl")) {
		w, ok = ocrPairs.Replace(w), true
	}
	var buf []byte
	for i := 1; i < len(w); i++ {
		c := w[i]
		if c != 'v' && c != 'f' || plainVowel(w[i-1]) {
			continue
		}
		end := i == len(w)-1
		if c == 'v' && (end || !plainVowel(w[i+1]) && !slavicVy(w[i+1:])) || c == 'f' && !end && !plainVowel(w[i+1]) {
			if buf == nil {
				buf = []byte(w)
			}
			if c == 'v' {
				buf[i] = 'u'
			} else {
				buf[i] = 'e'
			}
		}
	}
	if buf != nil {
		return string(buf), true
	}
	return w, ok
}

// slavicVy reports whether rest, the letters after a v, starts with y and
// a vowel: the ya, yo, yu, ye of я, ё, ю, е (BGN/PCGN) after the v of a
// Russian name (Svyatoslav, Zvyagin), no u misread.
func slavicVy(rest string) bool {
	return len(rest) >= 2 && rest[0] == 'y' && plainVowel(rest[1])
}

// plainVowel reports a, e, i, o, u.
func plainVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// ocrPairs are the letter pairs a reader puts for one letter.
var ocrPairs = strings.NewReplacer("rn", "m", "cl", "d")

// asciiWord reports whether w is written in ASCII letters only: a name
// with diacritics (Hernández) was not read from a machine-readable zone.
func asciiWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ocrSuspect reports whether name holds, in any case, letters that
// ocrWord may read back (rn, cl, v, f).
func ocrSuspect(name string) bool {
	for i := 0; i < len(name); i++ {
		a := name[i] | 0x20
		if a == 'v' || a == 'f' {
			return true
		}
		if i+1 < len(name) {
			if c := name[i+1] | 0x20; a == 'r' && c == 'n' || a == 'c' && c == 'l' {
				return true
			}
		}
	}
	return false
}
