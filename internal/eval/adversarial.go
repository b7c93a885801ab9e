package eval

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"concord/match"
)

// Adversarial script variation: what real systems emit for one name in
// Arabic or Cyrillic script and a matcher may not fold. Each kind is one
// habit of software or of a national orthography, written here apart from
// the engine's tables:
//
//   - presentation-forms: the contextual glyph code points (U+FB50–FDFF,
//     U+FE70–FEFF) that PDF text extraction and old Windows code pages
//     emit instead of the letters, lam-alif as its ligature;
//   - zero-width: ZWNJ (U+200C), which Persian and Urdu write between the
//     parts of one word, and ZWJ (U+200D) inside words;
//   - bidi-marks: RLM, LRM and ALM (U+200F, U+200E, U+061C) and embedding
//     or isolate controls around words, as web forms and word processors
//     leave them in pasted right-to-left text;
//   - kashida: runs of tatweel (U+0640) that justify Arabic text;
//   - urdu-letters: the Urdu orthography of an Arabic name: farsi yeh for
//     ya and alif maqsura (ی), keheh for kaf (ک), heh goal for ha (ہ), teh
//     marbuta goal (ۃ) for ta marbuta;
//   - persian-letters: the Persian orthography: ی, ک, ta marbuta written
//     ه, hamza seats on alif dropped, alif maqsura as ی (موسی);
//   - hamza-seats: hamza as a combining mark on its seat (ؤ → و + U+0654,
//     ئ → ی + U+0654), the Persian keyboard's spelling;
//   - nfd: the canonical decomposition of the whole name (أ → ا + U+0654,
//     آ → ا + U+0653), as macOS file names and some databases store it;
//   - shadda-dagger: shadda and superscript (dagger) alif on consonants, as
//     vocalised text writes them;
//   - central-asian-cyrillic: a Russian-Cyrillic name in Uzbek, Kazakh or
//     Tajik Cyrillic (х → ҳ, к → қ and г → ғ beside a back vowel, дж → ж
//     or ҷ, final и → ӣ);
//   - uzbek-latin: a Cyrillic name in the Uzbek Latin alphabet of 1995
//     (x for х, q for қ, gʻ and oʻ with the turned comma or an apostrophe,
//     j for ж, sh and ch);
//   - kazakh-latin: a Cyrillic name in the Kazakh Latin alphabet of 2021
//     (ş, ç, ğ, ä, ö, ü, ū, ı, ñ, i for и and й).
//
// homoglyphs is a record's Latin name with letters replaced by the
// Cyrillic and Greek ones drawn like them. as-written is the name unchanged, so that each kind compares with the
// same names untouched. uzbek-latin-respelt and kazakh-latin-respelt are
// the Latin names of a record of Uzbekistan or Tajikistan, Kazakhstan or
// Kyrgyzstan (English romanisations of Russian Cyrillic) in the national
// Latin alphabet (nationalLatin).
var adversarialKinds = []struct {
	kind string
	fn   func(string, *rand.Rand) (string, bool)
}{
	{"presentation-forms", presentationForms},
	{"zero-width", zeroWidth},
	{"bidi-marks", bidiMarks},
	{"kashida", kashida},
	{"urdu-letters", func(s string, _ *rand.Rand) (string, bool) {
		if !isArabicScript(s) {
			return "", false
		}
		o := strings.NewReplacer("ي", "ی", "ى", "ی", "ك", "ک", "ه", "ہ", "ة", "ۃ").Replace(s)
		return o, o != s
	}},
	{"persian-letters", func(s string, _ *rand.Rand) (string, bool) {
		if !isArabicScript(s) {
			return "", false
		}
		o := strings.NewReplacer("ي", "ی", "ى", "ی", "ك", "ک", "ة", "ه", "أ", "ا", "إ", "ا").Replace(s)
		return o, o != s
	}},
	{"hamza-seats", func(s string, _ *rand.Rand) (string, bool) {
		if !isArabicScript(s) {
			return "", false
		}
		o := strings.NewReplacer("ؤ", "و\u0654", "ئ", "ی\u0654", "أ", "ا\u0654").Replace(s)
		return o, o != s
	}},
	{"nfd", func(s string, _ *rand.Rand) (string, bool) {
		o := norm.NFD.String(s)
		return o, o != s && !IsLatin(s)
	}},
	{"shadda-dagger", shaddaDagger},
	{"central-asian-cyrillic", centralAsianCyrillic},
	{"uzbek-latin", func(s string, rng *rand.Rand) (string, bool) { return cyrToLatin(s, uzbekLatin, rng) }},
	{"kazakh-latin", func(s string, rng *rand.Rand) (string, bool) { return cyrToLatin(s, kazakhLatin, rng) }},
}

// ScriptAdversarialSet: every Arabic-script and Cyrillic name of a listed
// record, as written and with every adversarial kind that changes it,
// against the Latin-only records. It draws from its own generator so that
// the other sets of the suite stay as they were.
func ScriptAdversarialSet(recs []match.Record, seed uint64) Set {
	rng := rand.New(rand.NewPCG(seed, 3))
	hrng := rand.New(rand.NewPCG(seed, 4)) // homoglyphs: apart, so the other kinds draw as before
	s := Set{Name: "script-adversarial", Index: "latin", Breakdown: true,
		About: "Arabic-script and Cyrillic names as software and national orthographies write them (presentation forms, zero-width and bidi marks, kashida, Urdu and Persian letters, hamza seats, NFD, Central Asian Cyrillic, Uzbek and Kazakh Latin; Central Asian records' Latin names respelt), against the Latin-only records"}
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		if nat := centralAsian(r); nat != "" {
			// The Latin names of a Central Asian record, in the national
			// Latin alphabet of its country.
			for _, n := range r.Names {
				if v, ok := nationalLatin(n, nat); ok && v != n {
					s.Cases = append(s.Cases, Case{Query: match.Query{Name: v, Schema: r.Schema}, Want: ref(r), Note: nat + "-latin-respelt"})
				}
			}
		}
		if hasNonLatin(r) && len(r.Names) > 0 && IsLatin(r.Names[0]) {
			// The record's Latin name with look-alike letters of another
			// script typed in, as screening evasion and mixed keyboards do.
			if v, ok := homoglyphs(r.Names[0], hrng); ok {
				s.Cases = append(s.Cases, Case{Query: match.Query{Name: v, Schema: r.Schema}, Want: ref(r), Note: "homoglyphs"})
			}
		}
		for _, n := range r.Names {
			if !isArabicScript(n) && !isCyrillic(n) {
				continue
			}
			s.Cases = append(s.Cases, Case{Query: match.Query{Name: n, Schema: r.Schema}, Want: ref(r), Note: "as-written"})
			for _, k := range adversarialKinds {
				if v, ok := k.fn(n, rng); ok && v != n {
					s.Cases = append(s.Cases, Case{Query: match.Query{Name: v, Schema: r.Schema}, Want: ref(r), Note: k.kind})
				}
			}
		}
	}
	return s
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// forms maps an Arabic letter to its presentation forms: isolated, final,
// and for letters that join the next one initial and medial (the order of
// the Unicode blocks). lamAlif maps an alif to the isolated and final
// forms of its ligature with lam. Both are read from the compatibility
// decompositions of U+FB50–FDFF and U+FE70–FEFF.
var forms, lamAlif = presentationTables()

func presentationTables() (map[rune][]rune, map[rune][]rune) {
	f, la := map[rune][]rune{}, map[rune][]rune{}
	var prev rune
	// The base block first: the extended one repeats a few of its letters
	// (Uighur alif maqsura) in forms of their own.
	for _, block := range [][2]rune{{0xFE70, 0xFEFC}, {0xFB50, 0xFBFF}} {
		for r := block[0]; r <= block[1]; r++ {
			d := []rune(norm.NFKD.String(string(r)))
			switch {
			case len(d) == 1 && d[0] >= 0x0621 && d[0] <= 0x06FF && d[0] != r:
				if _, seen := f[d[0]]; seen && d[0] != prev {
					prev = 0
					continue
				}
				f[d[0]] = append(f[d[0]], r)
				prev = d[0]
			case len(d) >= 2 && d[0] == 'ل' && r >= 0xFEF5:
				// NFKD splits آ أ إ into alif and a mark: compose again.
				if a := []rune(norm.NFC.String(string(d[1:]))); len(a) == 1 {
					la[a[0]] = append(la[a[0]], r)
				}
				prev = 0
			default:
				prev = 0
			}
		}
	}
	for k, v := range f {
		if len(v) != 2 && len(v) != 4 {
			delete(f, k)
		}
	}
	return f, la
}

func dualJoining(r rune) bool { return len(forms[r]) == 4 }

// presentationForms writes each letter as the glyph its place in the word
// takes, as a PDF's text layer holds it.
func presentationForms(s string, _ *rand.Rand) (string, bool) {
	if !isArabicScript(s) {
		return "", false
	}
	rs := []rune(s)
	var b strings.Builder
	changed := false
	letter := func(j int) bool { return j >= 0 && j < len(rs) && forms[rs[j]] != nil }
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		fs := forms[r]
		if fs == nil {
			b.WriteRune(r)
			continue
		}
		joinsPrev := letter(i-1) && dualJoining(rs[i-1])
		if r == 'ل' && i+1 < len(rs) && len(lamAlif[rs[i+1]]) == 2 {
			b.WriteRune(lamAlif[rs[i+1]][btoi(joinsPrev)])
			i++
			changed = true
			continue
		}
		joinsNext := len(fs) == 4 && letter(i+1)
		var o rune
		switch {
		case joinsPrev && joinsNext:
			o = fs[3]
		case joinsNext:
			o = fs[2]
		case joinsPrev:
			o = fs[1]
		default:
			o = fs[0]
		}
		b.WriteRune(o)
		changed = true
	}
	return b.String(), changed
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// zeroWidth puts a ZWNJ inside one word of four letters or more and a ZWJ
// inside another where there is one.
func zeroWidth(s string, rng *rand.Rand) (string, bool) {
	if IsLatin(s) {
		return "", false
	}
	fs := strings.Fields(s)
	changed := false
	marks := []string{"\u200c", "\u200d"}
	for _, i := range rng.Perm(len(fs)) {
		rs := []rune(fs[i])
		if len(rs) < 4 || len(marks) == 0 {
			continue
		}
		at := 1 + rng.IntN(len(rs)-2)
		fs[i] = string(rs[:at]) + marks[0] + string(rs[at:])
		marks = marks[1:]
		changed = true
	}
	return strings.Join(fs, " "), changed
}

// bidiMarks leaves directional marks the way pasted text carries them: a
// mark at the start, between words or at the end, or the whole name in an
// embedding or an isolate.
func bidiMarks(s string, rng *rand.Rand) (string, bool) {
	if IsLatin(s) {
		return "", false
	}
	switch rng.IntN(4) {
	case 0:
		return "\u200f" + s + "\u200f", true
	case 1:
		return strings.Join(strings.Fields(s), "\u200e \u200e"), true
	case 2:
		return "\u202b" + s + "\u202c", true
	default:
		fs := strings.Fields(s)
		for i := range fs {
			fs[i] = "\u061c" + fs[i]
		}
		return "\u2067" + strings.Join(fs, " ") + "\u2069", true
	}
}

// kashida stretches joined letters with runs of two to four tatweels.
func kashida(s string, rng *rand.Rand) (string, bool) {
	if !isArabicScript(s) {
		return "", false
	}
	rs := []rune(s)
	var out []rune
	added := false
	for i, r := range rs {
		out = append(out, r)
		if i+1 < len(rs) && isJoining(r) && rs[i+1] >= 0x0621 && rs[i+1] <= 0x064A && (!added || rng.IntN(2) == 0) {
			for k := 2 + rng.IntN(3); k > 0; k-- {
				out = append(out, '\u0640')
			}
			added = true
		}
	}
	return string(out), added
}

// shaddaDagger writes shadda on some consonants and superscript alif after
// others, as vocalised text does.
func shaddaDagger(s string, rng *rand.Rand) (string, bool) {
	if !isArabicScript(s) {
		return "", false
	}
	rs := []rune(s)
	var out []rune
	added := false
	for i, r := range rs {
		out = append(out, r)
		if i+1 < len(rs) && isArabConsonant(r) && rs[i+1] != ' ' && rng.IntN(3) == 0 {
			if rng.IntN(2) == 0 {
				out = append(out, '\u0651')
			} else {
				out = append(out, '\u0670')
			}
			added = true
		}
	}
	return string(out), added
}

// centralAsianCyrillic writes a Russian-Cyrillic name the way an Uzbek,
// Kazakh or Tajik office does: the letters for sounds Russian lacks.
func centralAsianCyrillic(s string, rng *rand.Rand) (string, bool) {
	if !isCyrillic(s) {
		return "", false
	}
	back := func(r rune) bool { return strings.ContainsRune("аоуыАОУЫ", r) }
	lang := rng.IntN(3) // 0 Uzbek, 1 Kazakh, 2 Tajik
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		lr := unicode.ToLower(r)
		up := r != lr
		nb := i+1 < len(rs) && back(rs[i+1]) || i > 0 && back(rs[i-1])
		o := lr
		switch {
		case lr == 'х' && lang != 1:
			o = 'ҳ'
		case lr == 'х' && lang == 1 && (i == 0 || !unicode.IsLetter(rs[i-1])):
			o = 'һ'
		case lr == 'к' && nb && lang != 2:
			o = 'қ'
		case lr == 'к' && nb && lang == 2:
			o = 'қ'
		case lr == 'г' && nb:
			o = 'ғ'
		case lr == 'д' && i+1 < len(rs) && unicode.ToLower(rs[i+1]) == 'ж':
			i++
			o = []rune{'ж', 'ж', 'ҷ'}[lang]
		case lr == 'и' && lang == 2 && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1])):
			o = 'ӣ'
		case lr == 'у' && lang == 1 && i > 0 && !isCyrVowel(rs[i-1]):
			o = 'ұ'
		}
		if up {
			o = unicode.ToUpper(o)
		}
		out = append(out, o)
	}
	o := string(out)
	return o, o != s
}

var uzbekLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "j", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "x", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh", 'ъ': "ʼ", 'ы': "i", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", 'ў': "oʻ", 'қ': "q", 'ғ': "gʻ", 'ҳ': "h",
}

var kazakhLatin = map[rune]string{
	'а': "a", 'ә': "ä", 'б': "b", 'в': "v", 'г': "g", 'ғ': "ğ", 'д': "d", 'е': "e", 'ё': "io", 'ж': "j",
	'з': "z", 'и': "i", 'й': "i", 'к': "k", 'қ': "q", 'л': "l", 'м': "m", 'н': "n", 'ң': "ñ", 'о': "o",
	'ө': "ö", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "ū", 'ү': "ü", 'ф': "f", 'х': "h",
	'һ': "h", 'ц': "ts", 'ч': "ç", 'ш': "ş", 'щ': "ş", 'ъ': "", 'ы': "y", 'і': "ı", 'ь': "", 'э': "e",
	'ю': "iu", 'я': "ia",
}

// cyrToLatin writes a Cyrillic name with a national Latin table; the
// Uzbek turned comma is written ʻ, ' or ‘ as keyboards have it, and е at a
// word's start ye in Uzbek.
func cyrToLatin(s string, table map[rune]string, rng *rand.Rand) (string, bool) {
	if !isCyrillic(s) {
		return "", false
	}
	apos := []string{"ʻ", "'", "‘"}[rng.IntN(3)]
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		lr := unicode.ToLower(r)
		v, ok := table[lr]
		if !ok {
			if unicode.IsLetter(r) {
				return "", false
			}
			b.WriteRune(r)
			continue
		}
		if lr == 'е' && (i == 0 || !unicode.IsLetter(rs[i-1])) && table['ў'] != "" {
			v = "ye"
		}
		v = strings.ReplaceAll(v, "ʻ", apos)
		if r != lr && v != "" {
			rv := []rune(v)
			rv[0] = unicode.ToUpper(rv[0])
			v = string(rv)
		}
		b.WriteString(v)
	}
	return b.String(), true
}

// centralAsian returns "uzbek" for a record of Uzbekistan or Tajikistan,
// "kazakh" for one of Kazakhstan or Kyrgyzstan, else "".
func centralAsian(r *match.Record) string {
	for _, c := range r.Nationalities {
		switch c {
		case "uz", "tj":
			return "uzbek"
		case "kz", "kg":
			return "kazakh"
		}
	}
	return ""
}

// Latin names as the lists romanise them (English, from Russian
// Cyrillic) respelt in the national Latin alphabet that a passport of the
// country writes: Uzbek (1995) x for kh, j for zh, gʻ for gh; Kazakh
// (2021) ş, ç, j, h, ğ, ñ, and i for the y of ya and yu.
var (
	uzbekRespell  = strings.NewReplacer("kh", "x", "Kh", "X", "KH", "X", "zh", "j", "Zh", "J", "ZH", "J", "gh", "gʻ", "Gh", "Gʻ", "GH", "Gʻ")
	kazakhRespell = strings.NewReplacer("sh", "ş", "Sh", "Ş", "SH", "Ş", "ch", "ç", "Ch", "Ç", "CH", "Ç", "zh", "j", "Zh", "J", "ZH", "J",
		"kh", "h", "Kh", "H", "KH", "H", "gh", "ğ", "Gh", "Ğ", "GH", "Ğ", "ya", "ia", "Ya", "Ia", "YA", "IA", "yu", "iu", "Yu", "Iu", "YU", "IU")
)

func nationalLatin(n, nat string) (string, bool) {
	if !IsLatin(n) {
		return "", false
	}
	if nat == "uzbek" {
		return uzbekRespell.Replace(n), true
	}
	return kazakhRespell.Replace(n), true
}

// lookAlike maps Latin letters to the Cyrillic and Greek letters drawn
// like them (Unicode's confusables, UTS #39).
var lookAlike = map[rune][]rune{
	'A': {'А', 'Α'}, 'a': {'а'}, 'B': {'В', 'Β'}, 'C': {'С'}, 'c': {'с'}, 'E': {'Е', 'Ε'}, 'e': {'е'},
	'H': {'Н', 'Η'}, 'I': {'І', 'Ι'}, 'i': {'і'}, 'J': {'Ј'}, 'j': {'ј'}, 'K': {'К', 'Κ'}, 'M': {'М', 'Μ'},
	'N': {'Ν'}, 'O': {'О', 'Ο'}, 'o': {'о', 'ο'}, 'P': {'Р', 'Ρ'}, 'p': {'р'}, 'S': {'Ѕ'}, 's': {'ѕ'},
	'T': {'Т', 'Τ'}, 'X': {'Х', 'Χ'}, 'x': {'х'}, 'Y': {'Ү', 'Υ'}, 'y': {'у'}, 'Z': {'Ζ'},
}

// homoglyphs replaces about one letter in three that has a look-alike
// (at least one) with it.
func homoglyphs(s string, rng *rand.Rand) (string, bool) {
	rs := []rune(s)
	var at []int
	for i, r := range rs {
		if lookAlike[r] != nil {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return "", false
	}
	changed := false
	for k, i := range at {
		if rng.IntN(3) == 0 || !changed && k == len(at)-1 {
			alts := lookAlike[rs[i]]
			rs[i] = alts[rng.IntN(len(alts))]
			changed = true
		}
	}
	return string(rs), changed
}
