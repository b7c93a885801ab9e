package eval

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field perturbations: how a listed name reaches a screening system from
// people and machines that never saw the engine — a border clerk typing what
// he hears, a bank's payment system, a passport's machine-readable zone read
// by OCR, another romanisation table. They are written independently of the
// engine's normalisation rules (package normalize) and do not reuse the
// romanisation habits of the legacy variant set (perturb.go).
//
// Each returns the perturbed name and false when the rule does not apply.
// The kinds are the ones the issue reports apart. Those of person forms
// (given and family boxes, family name first, a passport's MRZ, initials
// of given names) apply to persons only: an organisation has no middle
// name, no passport and no given names.
var fieldKinds = []struct {
	kind   string
	fn     func(string, *rand.Rand) (string, bool)
	person bool
}{
	{"merged", fieldMerge, false},
	{"article", fieldArticle, false},
	{"dropped-middle", fieldDropMiddle, true},
	{"typo", fieldTypo, false},
	{"reordered", fieldReorder, true},
	{"ocr-mrz", fieldMRZ, true},
	{"clerk", fieldClerk, false},
	{"initials", fieldInitials, true},
}

// words splits a name on spaces, keeping hyphenated parts whole.
func words(name string) []string { return strings.Fields(name) }

// isParticle reports Arabic-name particles and articles as a clerk sees
// them: short function words between real names.
func isParticle(w string) bool {
	switch strings.ToLower(strings.Trim(w, ".,")) {
	case "al", "el", "bin", "ibn", "bint", "ben", "abu", "abou", "abd", "abdul", "abdel", "ould", "ag", "ul", "ad", "ud", "as", "ash", "ar", "at", "az", "an", "umm", "de", "la", "le", "van", "von", "der", "du":
		return true
	}
	return false
}

// fieldMerge writes two neighbouring parts as one, as forms with one box per
// name, or payment systems that squeeze spaces, do: a particle with its
// noun (Abu Bakr → Abubakr, Bin Laden → Binladen, Al Masri → Almasri), a
// double given name (Mohammad Yousuf → Mohammadyousuf), or the whole name
// without spaces when it is short.
func fieldMerge(name string, rng *rand.Rand) (string, bool) {
	ws := words(name)
	if len(ws) < 2 {
		return "", false
	}
	// Prefer a particle with the next part.
	var at []int
	for i := 0; i+1 < len(ws); i++ {
		if isParticle(ws[i]) || strings.Contains(ws[i], "-") {
			at = append(at, i)
		}
	}
	var i int
	if len(at) > 0 && rng.IntN(3) > 0 {
		i = at[rng.IntN(len(at))]
	} else {
		i = rng.IntN(len(ws) - 1)
	}
	a := strings.ReplaceAll(ws[i], "-", "")
	b := strings.ReplaceAll(ws[i+1], "-", "")
	joined := a + strings.ToLower(b)
	if isUpper(a) {
		joined = a + strings.ToUpper(b)
	}
	out := append(append(append([]string{}, ws[:i]...), joined), ws[i+2:]...)
	return strings.Join(out, " "), true
}

// fieldArticle changes how an Arabic article is written: attached without
// a hyphen (al-Masri → Almasri), assimilated or not (ash-Shami ↔
// al-Shami), El for al, or left out; a name without one gains none.
func fieldArticle(name string, rng *rand.Rand) (string, bool) {
	ws := words(name)
	for i, w := range ws {
		lw := strings.ToLower(w)
		var rest string
		switch {
		case len(lw) > 3 && (strings.HasPrefix(lw, "al-") || strings.HasPrefix(lw, "el-")):
			rest = w[3:]
		case len(lw) > 4 && (strings.HasPrefix(lw, "ash-") || strings.HasPrefix(lw, "adh-")):
			rest = w[4:]
		case len(lw) > 3 && lw[0] == 'a' && lw[2] == '-' && strings.ContainsRune("dtsrznl", rune(lw[1])):
			rest = w[3:]
		case (lw == "al" || lw == "el") && i+1 < len(ws):
			rest = ws[i+1]
			ws = append(ws[:i+1:i+1], ws[i+2:]...)
		}
		if rest == "" {
			continue
		}
		up := isUpper(w)
		var nw string
		switch rng.IntN(5) {
		case 0: // attached: Almasri
			nw = "Al" + strings.ToLower(rest)
		case 1: // El-
			nw = "El-" + rest
		case 2: // left out
			nw = rest
		case 3: // assimilated to the next consonant, or not
			c := strings.ToLower(rest[:1])
			if strings.Contains("tdsrzn", c) {
				nw = "A" + c + "-" + rest
			} else {
				nw = "Al " + rest
			}
		default: // separate word
			nw = "Al " + rest
		}
		if up {
			nw = strings.ToUpper(nw)
		}
		ws[i] = nw
		return strings.Join(ws, " "), true
	}
	return "", false
}

// fieldDropMiddle leaves out middle names, as a form with two boxes (given,
// family) does: one or two parts between the first and the last, or a whole
// filiation chain (bin X bin Y).
func fieldDropMiddle(name string, rng *rand.Rand) (string, bool) {
	ws := words(name)
	if len(ws) < 3 {
		return "", false
	}
	n := 1
	if len(ws) >= 5 && rng.IntN(2) == 0 {
		n = 2
	}
	i := 1 + rng.IntN(len(ws)-1-n)
	if isParticle(ws[i]) && i+n < len(ws)-1 {
		n++ // a particle goes with its noun
	}
	out := append(append([]string{}, ws[:i]...), ws[i+n:]...)
	return strings.Join(out, " "), true
}

// qwerty neighbours for keyboard slips.
var qwerty = map[byte]string{
	'q': "wa", 'w': "qes", 'e': "wrd", 'r': "etf", 't': "ryg", 'y': "tuh", 'u': "yij", 'i': "uok", 'o': "ipl", 'p': "ol",
	'a': "qsz", 's': "awdz", 'd': "sefx", 'f': "drgc", 'g': "fthv", 'h': "gyjb", 'j': "hukn", 'k': "jilm", 'l': "kop",
	'z': "asx", 'x': "zsdc", 'c': "xdfv", 'v': "cfgb", 'b': "vghn", 'n': "bhjm", 'm': "njk",
}

// fieldTypo is one slip of a typist on a part of four letters or more: a
// neighbouring key, a doubled or a missing letter, two letters swapped.
func fieldTypo(name string, rng *rand.Rand) (string, bool) {
	ws := words(name)
	var long []int
	for i, w := range ws {
		if len(w) >= 4 && isASCIIWord(w) {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	i := long[rng.IntN(len(long))]
	b := []byte(ws[i])
	pos := 1 + rng.IntN(len(b)-1)
	c := b[pos] | 0x20
	switch rng.IntN(4) {
	case 0:
		if nb := qwerty[c]; nb != "" {
			r := nb[rng.IntN(len(nb))]
			if b[pos] < 'a' {
				r -= 32
			}
			b[pos] = r
		} else {
			return "", false
		}
	case 1:
		b = append(b[:pos+1], b[pos:]...)
	case 2:
		b = append(b[:pos:pos], b[pos+1:]...)
	case 3:
		if pos+1 >= len(b) {
			pos--
		}
		b[pos], b[pos+1] = b[pos+1], b[pos]
	}
	if string(b) == ws[i] {
		return "", false
	}
	ws[i] = string(b)
	return strings.Join(ws, " "), true
}

// fieldReorder writes the family name first, as passports, manifests and
// bank forms do ("SURNAME, Given Names" or "SURNAME Given"), or reverses
// the given names.
func fieldReorder(name string, rng *rand.Rand) (string, bool) {
	if strings.Contains(name, ",") {
		// "LAST, First Middle" → "First Middle LAST"
		i := strings.IndexByte(name, ',')
		a, b := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+1:])
		if a == "" || b == "" {
			return "", false
		}
		return b + " " + a, true
	}
	ws := words(name)
	if len(ws) < 2 {
		return "", false
	}
	last := ws[len(ws)-1]
	rest := strings.Join(ws[:len(ws)-1], " ")
	switch rng.IntN(3) {
	case 0:
		return strings.ToUpper(last) + ", " + rest, true
	case 1:
		return last + " " + rest, true
	default:
		if len(ws) == 2 {
			return ws[1] + " " + ws[0], true
		}
		ws[0], ws[1] = ws[1], ws[0]
		return strings.Join(ws, " "), true
	}
}

// fieldMRZ writes the name as a passport's machine-readable zone holds it
// and an OCR reads it back: upper case, diacritics and punctuation gone,
// SURNAME<<GIVEN<NAMES truncated to 39 characters, and one character
// misread (0/O, 1/I, 8/B, 5/S, RN/M, CL/D).
func fieldMRZ(name string, rng *rand.Rand) (string, bool) {
	ws := words(strings.Map(func(r rune) rune {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || r == ' '):
			return unicode.ToUpper(r)
		case r == '-' || r == '\'' || r == ',' || r == '.':
			return ' '
		case unicode.IsLetter(r):
			return unicode.ToUpper(baseLetter(r))
		}
		return ' '
	}, name))
	if len(ws) < 2 {
		return "", false
	}
	mrz := ws[len(ws)-1] + "<<" + strings.Join(ws[:len(ws)-1], "<")
	if len(mrz) > 39 {
		mrz = mrz[:39]
	}
	conf := [][2]string{{"O", "0"}, {"I", "1"}, {"B", "8"}, {"S", "5"}, {"M", "RN"}, {"D", "CL"}, {"E", "F"}, {"U", "V"}}
	c := conf[rng.IntN(len(conf))]
	if idx := strings.Index(mrz[1:], c[0]); idx >= 0 && rng.IntN(2) == 0 {
		mrz = mrz[:idx+1] + c[1] + mrz[idx+1+len(c[0]):]
	}
	// What a system shows of an MRZ: chevrons as spaces, surname first.
	out := strings.Join(strings.Fields(strings.ReplaceAll(mrz, "<", " ")), " ")
	return out, out != ""
}

// baseLetter strips a diacritic from common Latin letters.
func baseLetter(r rune) rune {
	const from, to = "àáâãäåāăąçćčďèéêëēėęěğģìíîïīįıķĺļľłñńņňòóôõöøōőŕřśşšţťùúûüūůűųýÿźżžəḥṣṭẓḍ", "aaaaaaaaacccdeeeeeeeeggiiiiiiikllllnnnnoooooooorrssssttuuuuuuuuyyzzzahstzd"
	for i, f := range []rune(from) {
		if f == unicode.ToLower(r) {
			return rune(to[i])
		}
	}
	return r
}

// clerkSounds are what a clerk writes for sounds he hears, not a
// romanisation table: vowels heard differently, consonants doubled or not,
// silent letters left out.
var clerkSounds = [][2]string{
	{"moh", "mah"}, {"muh", "moh"}, {"ou", "oo"}, {"oo", "ou"}, {"ei", "ai"}, {"ay", "ei"}, {"ai", "ei"},
	{"ie", "y"}, {"y", "ie"}, {"ee", "ea"}, {"a", "aa"}, {"aa", "a"}, {"i", "ee"}, {"u", "oo"},
	{"h", ""}, {"q", "g"}, {"gh", "g"}, {"kh", "k"}, {"j", "g"}, {"zz", "z"}, {"z", "s"}, {"th", "s"},
	{"w", "ou"}, {"v", "w"}, {"ck", "k"}, {"ph", "f"}, {"tt", "t"}, {"ll", "l"}, {"l", "ll"}, {"rr", "r"},
	{"dh", "z"}, {"sch", "sh"}, {"ch", "tch"}, {"e", "i"},
}

// fieldClerk respells the name as a clerk hears it: one or two sounds
// written another way, never at the first letter.
func fieldClerk(name string, rng *rand.Rand) (string, bool) {
	low := strings.ToLower(name)
	out := low
	changed := false
	for k := 0; k < 1+rng.IntN(2); k++ {
		var cands [][2]string
		for _, s := range clerkSounds {
			if i := strings.Index(out[1:], s[0]); i >= 0 {
				cands = append(cands, s)
			}
		}
		if len(cands) == 0 {
			break
		}
		s := cands[rng.IntN(len(cands))]
		idx := indexes(out[1:], s[0])
		at := 1 + idx[rng.IntN(len(idx))]
		out = out[:at] + s[1] + out[at+len(s[0]):]
		changed = true
	}
	if !changed || out == low {
		return "", false
	}
	return titleCase(out), true
}

// fieldInitials abbreviates the given names but one to initials, as
// bank records and lists of signatories do ("M. Zaydan", "A.-K. Haddad").
func fieldInitials(name string, rng *rand.Rand) (string, bool) {
	ws := words(name)
	if len(ws) < 3 {
		return "", false
	}
	// Keep the first and last; abbreviate one middle name.
	i := 1 + rng.IntN(len(ws)-2)
	if isParticle(ws[i]) || len(ws[i]) < 2 {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(ws[i])
	ws[i] = string(unicode.ToUpper(r)) + "."
	return strings.Join(ws, " "), true
}

func isUpper(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		has = has || unicode.IsUpper(r)
	}
	return has
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func titleCase(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r, n := utf8.DecodeRuneInString(w)
		ws[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(ws, " ")
}
