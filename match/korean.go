package match

import (
	"strings"
)

// Korean names reach the lists in McCune–Reischauer (Ch'oe Sŏng-il, with
// or without the apostrophe and breve: Choe Song Il, Ch'o'l), in the
// Revised Romanisation (Choe Seong-il, Cheol) and in customary spellings
// (Choi, Park, Lee, Chul, Young); the given name of two syllables is
// written as one word, hyphenated or as two words (Il-Gyu, Ilgyu, Il
// Kyu). A Latin name that reads as Korean (koreanReading) is indexed and
// screened also in one canonical reading, so that the spellings meet:
// the surname in its one customary form (Pak for Park and Bak, Ri for
// Lee, Li, Yi and Rhee, Choe for Choi …), the given name one word a
// syllable (the syllable, one Hangul block, is the unit of a Korean
// name: Jong-un and Jong-il differ in a whole syllable, which a joined
// word would blur into one letter-level difference), and in each
// syllable the letters the systems write apart
// folded: MR writes a plain stop voiced between voiced sounds and
// voiceless elsewhere (k/g, t/d, p/b, ch/j), RR always voiced; MR marks
// aspiration with an apostrophe (ch', k', t', p'), customary spellings
// drop it; ŏ ŭ are o' u' without the breve, eo eu in RR; s before i is
// sh in customary spellings; l and r are one letter (ㄹ). The fold is per
// syllable and only for names whose every word is Korean syllables and
// whose surname is a Korean one; a surname Chinese or Vietnamese names
// share (Li, Kang, Han, Chang, Song …) also wants a syllable only Korean
// romanisation writes (a final l, k, p, t or m, eo, ae, oe, yo, ŏ/o',
// ŭ/u'), so that pinyin, Wade-Giles and Vietnamese names keep their one
// reading. Customary spellings also write the aspirated stops ph, kh,
// th, chh (Phil for P'il), and a consonant before y (Kyu, Hyok, Pyong)
// is Korean too.

// koreanSurnames maps the customary spellings of Korean surnames to one
// form. Those marked in koreanShared are also Chinese, Cantonese or
// Vietnamese surnames.
var koreanSurnames = map[string]string{
	"kim": "kim", "gim": "kim",
	"pak": "pak", "park": "pak", "bak": "pak", "bahk": "pak",
	"ri": "ri", "li": "ri", "lee": "ri", "yi": "ri", "rhee": "ri", "rhie": "ri",
	"choe": "choe", "choi": "choe", "chwe": "choe",
	"jong": "chong", "chong": "chong", "jung": "chong", "chung": "chong", "jeong": "chong", "cheong": "chong",
	"kang": "kang", "gang": "kang",
	"ko": "ko", "go": "ko", "koh": "ko", "goh": "ko",
	"ryu": "ryu", "yu": "ryu", "yoo": "ryu", "ryoo": "ryu", "lyu": "ryu",
	"han": "han",
	"cho": "cho", "jo": "cho",
	"chang": "chang", "jang": "chang",
	"chon": "chon", "jon": "chon", "jeon": "chon", "cheon": "chon",
	"sin": "sin", "shin": "sin",
	"yun": "yun", "yoon": "yun",
	"rim": "rim", "lim": "rim", "im": "rim",
	"o": "o", "oh": "o",
	"hong": "hong",
	"kwon": "kwon", "gwon": "kwon",
	"hwang": "hwang",
	"an":    "an", "ahn": "an",
	"song": "song",
	"yang": "ryang", "ryang": "ryang",
	"paek": "paek", "baek": "paek", "paik": "paek", "baik": "paek",
	"ro": "ro", "roh": "ro", "no": "ro", "noh": "ro",
	"mun": "mun", "moon": "mun",
	"son": "son", "sohn": "son",
	"ju": "ju", "joo": "ju", "chu": "ju",
	"hyon": "hyon", "hyun": "hyon", "hyeon": "hyon",
	"kil": "kil", "gil": "kil",
	"kye": "kye", "gye": "kye",
	"sok": "sok", "seok": "sok",
	"om": "om", "eom": "om",
	"pae": "pae", "bae": "pae",
	"pyon": "pyon", "byun": "pyon", "byeon": "pyon",
	"ku": "ku", "koo": "ku", "gu": "ku",
	"ma": "ma", "nam": "nam", "ha": "ha", "cha": "cha", "chae": "chae",
	"tong": "tong", "kwak": "kwak", "min": "min", "sung": "song", "seong": "song",
}

// koreanShared are the surnames in koreanSurnames that Chinese,
// Cantonese or Vietnamese names share.
var koreanShared = map[string]bool{
	"li": true, "lee": true, "yi": true, "kang": true, "gang": true, "ko": true, "go": true, "koh": true, "goh": true,
	"yu": true, "han": true, "chang": true, "jang": true, "chung": true, "jung": true, "sin": true, "lim": true, "o": true,
	"hong": true, "an": true, "song": true, "yang": true, "mun": true, "son": true, "ju": true, "chu": true, "ma": true,
	"nam": true, "ha": true, "cha": true, "tong": true, "min": true, "sung": true, "gu": true, "ku": true, "kim": true,
	"chong": true, "chon": true, "cho": true, "jo": true, "im": true, "no": true, "ro": true, "yoo": true, "gil": true,
}

// koreanVowels are the vowels of Korean romanisations, longest first:
// MR (ŏ ŭ written o' u' once the breve is lost), RR (eo eu) and the
// customary oo, ou, ee, oi.
var koreanVowels = []string{
	"yeo", "woo", "wae", "yae", "weo", "eo", "eu", "ae", "ya", "yo", "yu", "ye", "wa", "wo", "we", "wi", "oe", "oi", "ui", "oo", "ou", "ee",
	"a", "e", "i", "o", "u",
}

// koreanInitials are the initial consonants, longest first (aspiration
// apostrophes are removed before parsing).
var koreanInitials = []string{"tch", "chh", "kk", "tt", "pp", "ss", "jj", "ch", "sh", "ph", "kh", "th", "k", "g", "n", "d", "t", "r", "l", "m", "b", "p", "s", "j", "h", ""}

// koreanFinals are the final consonants, longest first.
var koreanFinals = []string{"ng", "k", "n", "t", "l", "m", "p", ""}

// foldKorean returns the canonical form of a syllable and whether it is
// one only Korean romanisation writes.
func foldKorean(in, v, f string) (string, bool) {
	marked := false
	switch in {
	case "g", "kk", "kh":
		in = "k"
	case "d", "tt", "th":
		in = "t"
	case "b", "pp", "ph":
		in = "p"
	case "j", "jj", "tch", "chh":
		in = "ch"
	case "sh", "ss":
		in = "s"
	case "l":
		in = "r"
	}
	switch v {
	case "eo", "weo":
		marked = true
		v = strings.TrimSuffix(v, "eo") + "o"
	case "yeo":
		marked = true
		v = "yo"
	case "eu":
		v = "u"
	case "oo", "woo":
		v = "u"
	case "ou":
		v = "o"
	case "ee":
		v = "i"
	case "oi", "we", "wae":
		v = "oe"
	case "ae", "oe", "yae":
		marked = true
	case "yo":
		marked = true
	}
	if v == "oe" {
		marked = true
	}
	switch f {
	case "l", "k", "p", "t", "m":
		marked = true
	}
	if in != "" && v[0] == 'y' {
		// A consonant before y (Kyu, Hyok, Pyong, Ryong): pinyin and
		// Wade-Giles write none.
		marked = true
	}
	return in + v + f, marked
}

// parseKorean reads a word as one to three Korean syllables (trying the
// longer final first where both parses fit): the canonical syllables and
// whether one is marked Korean.
func parseKorean(w string) ([]string, bool, bool) {
	var best []string
	var bestMarked bool
	var rec func(s string, acc []string, marked bool) bool
	rec = func(s string, acc []string, marked bool) bool {
		if s == "" {
			best, bestMarked = append([]string(nil), acc...), marked
			return true
		}
		if len(acc) == 3 {
			return false
		}
		for _, in := range koreanInitials {
			if !strings.HasPrefix(s, in) {
				continue
			}
			r := s[len(in):]
			for _, v := range koreanVowels {
				if !strings.HasPrefix(r, v) {
					continue
				}
				r2 := r[len(v):]
				if in == "" && len(acc) > 0 && !strings.ContainsAny(acc[len(acc)-1][len(acc[len(acc)-1])-1:], "kntlmpg") {
					// No vowel after a vowel inside one word (Wei is not
					// we-i): Korean writes that hiatus with a hyphen.
					continue
				}
				for _, f := range koreanFinals {
					if !strings.HasPrefix(r2, f) {
						continue
					}
					c, mk := foldKorean(in, v, f)
					if rec(r2[len(f):], append(acc, c), marked || mk) {
						return true
					}
				}
			}
		}
		return false
	}
	if !rec(w, nil, false) {
		return nil, false, false
	}
	return best, bestMarked, true
}

var koreanMarks = strings.NewReplacer("ŏ", "o", "Ŏ", "o", "ŭ", "u", "Ŭ", "u", "’", "", "'", "", "`", "", "‘", "", "ʼ", "", ",", " ")

// koreanReading returns the canonical Korean reading of a person's Latin
// name that reads as Korean (see above), "" for other names and for a
// name already written so.
func koreanReading(name string) string {
	out, as := koreanCanon(name)
	if out == as {
		return ""
	}
	return out
}

// koreanCanon returns the canonical Korean reading of name ("" when it
// does not read as Korean) and the name in lower case, its words apart.
func koreanCanon(name string) (canon, as string) {
	raw := name
	marked := strings.ContainsAny(raw, "'’ŏŭŎŬ‘`ʼ")
	low := strings.ToLower(koreanMarks.Replace(raw))
	for i := 0; i < len(low); i++ {
		c := low[i]
		if !(c >= 'a' && c <= 'z' || c == ' ' || c == '-') {
			return "", ""
		}
	}
	ws := strings.Fields(low)
	if len(ws) < 2 || len(ws) > 4 {
		return "", ""
	}
	sur := -1
	switch {
	case strings.Contains(name, ","):
		// SURNAME, Given: the lists' order.
		if fam := strings.Fields(strings.ToLower(koreanMarks.Replace(name[:strings.Index(name, ",")]))); len(fam) == 1 && koreanSurnames[fam[0]] != "" {
			sur = 0
		} else {
			return "", ""
		}
	case koreanSurnames[ws[0]] != "":
		sur = 0
	case koreanSurnames[ws[len(ws)-1]] != "":
		sur = len(ws) - 1
	default:
		return "", ""
	}
	var given []string
	for i, w := range ws {
		if i == sur {
			continue
		}
		for _, part := range strings.Split(w, "-") {
			if part == "" {
				continue
			}
			syl, mk, ok := parseKorean(part)
			if !ok {
				return "", ""
			}
			marked = marked || mk
			given = append(given, syl...)
		}
	}
	if len(given) == 0 || len(given) > 3 {
		return "", ""
	}
	if koreanShared[ws[sur]] && !marked {
		return "", ""
	}
	return koreanSurnames[ws[sur]] + " " + strings.Join(given, " "), strings.Join(ws, " ")
}
