package match

import (
	"strings"
	"unicode"

	"concord/match/translit"
)

// Chinese names reach the lists in pinyin (Mao Zedong, Deng Xiaoping) and
// in Wade-Giles (Mao Tse-tung, Teng Hsiao-p'ing, Chou En-lai). A name in
// Han script transliterates to pinyin (package translit); it is also
// screened in Wade-Giles, and a Latin name written in Wade-Giles syllables
// (hyphenated given names) also in pinyin. The conversions are per
// syllable and rule-based; aspiration marks are dropped, as normalize drops
// apostrophes.

// wgInitials map pinyin initials to Wade-Giles, longest first.
var wgInitials = [][2]string{
	{"zh", "ch"}, {"ch", "ch"}, {"sh", "sh"}, {"z", "ts"}, {"c", "ts"}, {"r", "j"},
	{"j", "ch"}, {"q", "ch"}, {"x", "hs"}, {"b", "p"}, {"d", "t"}, {"g", "k"},
}

// pinyinToWG converts one pinyin syllable to Wade-Giles.
func pinyinToWG(s string) string {
	switch s {
	case "zhi":
		return "chih"
	case "chi":
		return "chih"
	case "shi":
		return "shih"
	case "ri":
		return "jih"
	case "zi", "ci":
		return "tzu"
	case "si":
		return "ssu"
	case "er":
		return "erh"
	case "you":
		return "yu"
	case "yan":
		return "yen"
	case "ye":
		return "yeh"
	case "yi":
		return "i"
	case "yong":
		return "yung"
	}
	ini, fin := "", s
	for _, p := range wgInitials {
		if strings.HasPrefix(s, p[0]) {
			ini, fin = p[1], s[len(p[0]):]
			break
		}
	}
	if ini == "" {
		for _, c := range "pmftnlkh" {
			if strings.HasPrefix(s, string(c)) {
				ini, fin = string(c), s[1:]
				break
			}
		}
	}
	switch {
	case strings.HasSuffix(fin, "ong"):
		fin = strings.TrimSuffix(fin, "ong") + "ung"
	case strings.HasSuffix(fin, "ian"):
		fin = strings.TrimSuffix(fin, "ian") + "ien"
	case fin == "ie" || fin == "ue":
		fin += "h"
	case fin == "e" && (ini == "k" || ini == "h"):
		fin = "o"
	case fin == "ui":
		fin = "uei"
	}
	return ini + fin
}

// wgToPinyin converts one Wade-Giles syllable to pinyin (the usual
// reading where Wade-Giles is ambiguous without aspiration marks).
func wgToPinyin(s string) string {
	switch s {
	case "chih":
		return "zhi"
	case "shih":
		return "shi"
	case "jih":
		return "ri"
	case "tzu", "tsu":
		return "zi"
	case "ssu", "szu":
		return "si"
	case "erh":
		return "er"
	case "yen":
		return "yan"
	case "yeh":
		return "ye"
	}
	// Aspirated initials (p', t', k', ch', ts') are the voiceless
	// pinyin ones; unmarked, the voiced ones.
	for _, a := range [][2]string{{"ch'i", "qi"}, {"ch'ü", "qü"}, {"ch'", "ch"}, {"ts'", "c"}, {"tz'", "c"}, {"p'", "p"}, {"t'", "t"}, {"k'", "k"}} {
		if strings.HasPrefix(s, a[0]) {
			return a[1] + wgFinal(strings.TrimPrefix(s, a[0]))
		}
	}
	s = strings.ReplaceAll(s, "'", "")
	ini, fin := "", s
	switch {
	case strings.HasPrefix(s, "hs"):
		ini, fin = "x", s[2:]
	case strings.HasPrefix(s, "ch") && (strings.HasPrefix(s[2:], "i") || strings.HasPrefix(s[2:], "ü")):
		ini, fin = "j", s[2:]
	case strings.HasPrefix(s, "ch"):
		ini, fin = "zh", s[2:]
	case strings.HasPrefix(s, "ts"), strings.HasPrefix(s, "tz"):
		ini, fin = "z", s[2:]
	case strings.HasPrefix(s, "sh"):
		ini, fin = "sh", s[2:]
	case strings.HasPrefix(s, "j"):
		ini, fin = "r", s[1:]
	case strings.HasPrefix(s, "k"):
		ini, fin = "g", s[1:]
	case strings.HasPrefix(s, "t"):
		ini, fin = "d", s[1:]
	case strings.HasPrefix(s, "p"):
		ini, fin = "b", s[1:]
	case len(s) > 0:
		ini, fin = s[:1], s[1:]
	}
	return ini + wgFinal(fin)
}

// wgFinal converts a Wade-Giles final to pinyin.
func wgFinal(fin string) string {
	switch {
	case strings.HasSuffix(fin, "ung"):
		return strings.TrimSuffix(fin, "ung") + "ong"
	case strings.HasSuffix(fin, "ien"):
		return strings.TrimSuffix(fin, "ien") + "ian"
	case strings.HasSuffix(fin, "ieh"), strings.HasSuffix(fin, "ueh"):
		return strings.TrimSuffix(fin, "h")
	case fin == "uei":
		return "ui"
	}
	return fin
}

// hanReadings returns the Wade-Giles reading of a name written in Han
// script ("" when it has none).
func hanReadings(name string) string {
	hasHan := false
	for _, r := range name {
		if unicode.Is(unicode.Han, r) {
			hasHan = true
			break
		}
	}
	if !hasHan {
		return ""
	}
	var words []string
	for _, run := range strings.Fields(name) {
		var syl []string
		for _, r := range run {
			if !unicode.Is(unicode.Han, r) {
				continue
			}
			if s := translit.ToLatin(string(r)); s != "" && !strings.Contains(s, " ") {
				syl = append(syl, pinyinToWG(s))
			}
		}
		switch {
		case len(syl) >= 2 && len(syl) <= 4:
			words = append(words, syl[0], strings.Join(syl[1:], "-"))
		case len(syl) > 0:
			words = append(words, syl...)
		}
	}
	return strings.Join(words, " ")
}

// wadeGilesReading returns the pinyin reading of a Latin name written in
// Wade-Giles: one with a hyphenated compound of short syllables (Tse-tung,
// Hsiao-p'ing) or a syllable only Wade-Giles writes (hs-, tz-, -ih, -ieh);
// "" for other names.
func wadeGilesReading(name string) string {
	if !translit.IsASCII(name) {
		return ""
	}
	if !strings.Contains(name, "-") && !strings.Contains(name, "hs") && !strings.Contains(name, "HS") && !strings.Contains(name, "Hs") {
		return "" // neither a hyphenated compound nor hs-: not Wade-Giles
	}
	low := strings.ToLower(apostrophes.Replace(name))
	ws := strings.Fields(low)
	if len(ws) < 2 || len(ws) > 4 {
		return ""
	}
	wg := false
	var out []string
	for _, w := range ws {
		syls := strings.Split(w, "-")
		if len(syls) > 3 {
			return ""
		}
		for _, s := range syls {
			if !wgSyllable(strings.ReplaceAll(s, "'", "")) {
				return ""
			}
			if strings.HasPrefix(s, "hs") || strings.HasPrefix(s, "tz") || strings.HasSuffix(s, "ih") || strings.HasSuffix(s, "ieh") {
				wg = true
			}
		}
		if len(syls) == 2 {
			wg = true
		}
		var p strings.Builder
		for _, s := range syls {
			p.WriteString(wgToPinyin(s))
		}
		out = append(out, p.String())
	}
	if !wg {
		return ""
	}
	return strings.Join(out, " ")
}

var apostrophes = strings.NewReplacer("’", "'", "`", "'", "‘", "'")

// wgSyllable reports whether s has the shape of a Chinese syllable: an
// initial of one consonant (or ch, hs, ts, tz, sh, ss), vowels, and an
// optional final n, ng, h or rh.
func wgSyllable(s string) bool {
	if len(s) == 0 || len(s) > 6 {
		return false
	}
	i := 0
	for _, in := range []string{"ch", "hs", "ts", "tz", "sh", "ss", "sz"} {
		if strings.HasPrefix(s, in) {
			i = 2
			break
		}
	}
	if i == 0 && strings.IndexByte("bcdfghjklmnprstwyz", s[0]) >= 0 {
		i = 1
	}
	j := i
	for j < len(s) && strings.IndexByte("aeiou", s[j]) >= 0 {
		j++
	}
	if j == i {
		return false
	}
	switch s[j:] {
	case "", "n", "ng", "h", "rh":
		return true
	}
	return false
}
