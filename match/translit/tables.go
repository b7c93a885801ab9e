package translit

// Arabic script: Arabic, Persian, Urdu, Pashto (and Kurdish Sorani) letters.
// Short vowels are not written; long vowels and the weak letters waw and ya
// become vowels inside a word and w/y at its start, so that يوسف gives
// "yusf" (skeleton like Yusuf) and حسين gives "hsin" (like Husayn).
var arabicTable = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ؤ': "u", 'ئ': "i",
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z",
	'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'ه': "h", 'ة': "a", 'ى': "a",
	// Persian
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ی': "i", 'ۀ': "a",
	// Urdu
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ہ': "h", 'ھ': "h", 'ے': "e", 'ۃ': "a", 'ۓ': "e",
	// Pashto
	'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "zh", 'ښ': "sh", 'ځ': "z", 'څ': "s", 'ڼ': "n",
	'ې': "e", 'ۍ': "ai", 'ګ': "g", 'ڭ': "ng", 'ۇ': "u", 'ۆ': "o", 'ێ': "e", 'ڤ': "v",
	'ڵ': "l", 'ڕ': "r", 'ە': "a", 'ٶ': "u", 'ٸ': "i", 'ڃ': "n", 'ﻻ': "la",
}

// arabicMarks are harakat (combining marks) that carry a vowel.
var arabicMarks = map[rune]string{
	'\u064E': "a", '\u064F': "u", '\u0650': "i", '\u0670': "a",
}

func arabicRune(r rune, wordStart bool) string {
	switch {
	case r >= 0x0660 && r <= 0x0669:
		return string('0' + (r - 0x0660))
	case r >= 0x06F0 && r <= 0x06F9:
		return string('0' + (r - 0x06F0))
	}
	switch r {
	case 'ع':
		if wordStart {
			return "a"
		}
		return ""
	case 'و':
		if wordStart {
			return "w"
		}
		return "u"
	case 'ي', 'ی', 'ى', 'ې', 'ۍ':
		if wordStart {
			return "y"
		}
		if r == 'ى' {
			return "a"
		}
		return "i"
	case '\u060C', '\u061B', '\u061F', '\u066B', '\u066C', '\u06D4':
		return " "
	case '\u0640':
		return ""
	}
	if v, ok := arabicTable[r]; ok {
		return v
	}
	return ""
}

// Cyrillic with Russian, Ukrainian, Belarusian, Uzbek, Kazakh, Kyrgyz and
// Tajik letters, in an English-style romanisation (BGN/PCGN-like).
var cyrillicTable = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
	// Ukrainian, Belarusian
	'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u",
	// Uzbek (ў is o' in Uzbek; u in Belarusian: both end up vowels)
	'қ': "q", 'ғ': "gh", 'ҳ': "h",
	// Kazakh, Kyrgyz
	'ә': "a", 'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h",
	// Tajik
	'ӣ': "i", 'ӯ': "u", 'ҷ': "j",
	// others
	// Serbian and Macedonian, as Gaj's Latin alphabet and the Macedonian
	// romanisation (BGN/PCGN 2013) write them: ђ is đ, which ASCII spells
	// dj (Djordjevic, as the Latin đ below); ѓ and ќ are gj and kj (NFKD
	// splits them: ToLatin reads them before the mark).
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dzh", 'ѕ': "dz", 'ѓ': "gj", 'ќ': "kj",
}

func cyrillicRune(r rune, wordStart bool, prev rune) string {
	l := toLowerCyr(r)
	switch l {
	case 'е':
		// Russian е after a vowel or at word start is "ye" (Yevgeny); the
		// skeleton treats initial y+vowel as a vowel, so Evgeny meets it.
		if wordStart {
			return "ye"
		}
	}
	if v, ok := cyrillicTable[l]; ok {
		return v
	}
	return ""
}

func toLowerCyr(r rune) rune {
	switch {
	case r >= 0x0410 && r <= 0x042F:
		return r + 0x20
	case r >= 0x0400 && r <= 0x040F:
		return r + 0x50
	case r >= 0x0460 && r <= 0x052F && r%2 == 0:
		return r + 1
	}
	return r
}

var greekTable = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th",
	'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p",
	'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

func greekRune(r rune, rs []rune, i int) string {
	l := r
	if r >= 0x0391 && r <= 0x03A9 {
		l = r + 0x20
	}
	// ου is u, αυ/ευ are av/ev: handle υ after ο/α/ε.
	if l == 'υ' && i > 0 {
		switch toLowerGreek(rs[i-1]) {
		case 'ο':
			return "u"
		case 'α', 'ε':
			return "v"
		}
	}
	if v, ok := greekTable[l]; ok {
		return v
	}
	return ""
}

func toLowerGreek(r rune) rune {
	if r >= 0x0391 && r <= 0x03A9 {
		return r + 0x20
	}
	return r
}

var hebrewTable = map[rune]string{
	'א': "a", 'ב': "b", 'ג': "g", 'ד': "d", 'ה': "h", 'ו': "v", 'ז': "z", 'ח': "kh",
	'ט': "t", 'י': "y", 'כ': "k", 'ך': "k", 'ל': "l", 'מ': "m", 'ם': "m", 'נ': "n",
	'ן': "n", 'ס': "s", 'ע': "", 'פ': "p", 'ף': "f", 'צ': "ts", 'ץ': "ts", 'ק': "k",
	'ר': "r", 'ש': "sh", 'ת': "t",
}

func hebrewRune(r rune, wordStart bool) string {
	if r == 'ע' && wordStart {
		return "a"
	}
	if r == 'י' && !wordStart {
		return "i"
	}
	if v, ok := hebrewTable[r]; ok {
		return v
	}
	if r == '\u05BE' || r == '\u05F3' || r == '\u05F4' {
		return " "
	}
	return ""
}

// Hangul conjoining jamo (NFKD output) in Revised Romanisation.
var (
	jamoLead   = []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	jamoVowel  = []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	jamoTrail  = []string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	firstLeads = map[string]string{"g": "k", "r": "l", "b": "p", "d": "t"}
)

func jamo(r rune, wordStart bool) string {
	switch {
	case r >= 0x1100 && r <= 0x1112:
		v := jamoLead[r-0x1100]
		if wordStart {
			if w, ok := firstLeads[v]; ok && v == "g" {
				return w // Kim, not Gim
			}
		}
		return v
	case r >= 0x1161 && r <= 0x1175:
		return jamoVowel[r-0x1161]
	case r >= 0x11A8 && r <= 0x11C2:
		return jamoTrail[r-0x11A7]
	}
	return ""
}

// latinExtra covers Latin letters that NFKD does not decompose. đ is the
// Serbian, Croatian and Bosnian letter of Cyrillic ђ, spelt dj in ASCII
// (Đorđević, Djordjevic, Ђорђевић are one name).
var latinExtra = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe", 'đ': "dj", 'Đ': "dj",
	'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l", 'ı': "i", 'ħ': "h", 'Ħ': "h",
	'ŀ': "l", 'ŉ': "n", 'ŋ': "ng", 'ſ': "s", 'ə': "a", 'Ə': "a", 'ɣ': "gh", 'ʒ': "zh", 'ɛ': "e", 'ɔ': "o",
	'ƒ': "f", 'ʃ': "sh",
}

// otherRune covers letters of other alphabets cheaply romanised (Armenian,
// Georgian). Unlisted letters are dropped.
var otherRune = map[rune]string{
	// Armenian
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e", 'ը': "e", 'թ': "t",
	'ժ': "zh", 'ի': "i", 'լ': "l", 'խ': "kh", 'ծ': "ts", 'կ': "k", 'հ': "h", 'ձ': "dz", 'ղ': "gh",
	'ճ': "ch", 'մ': "m", 'յ': "y", 'ն': "n", 'շ': "sh", 'ո': "o", 'չ': "ch", 'պ': "p", 'ջ': "j",
	'ռ': "r", 'ս': "s", 'վ': "v", 'տ': "t", 'ր': "r", 'ց': "ts", 'ւ': "u", 'փ': "p", 'ք': "k", 'օ': "o", 'ֆ': "f",
	// Georgian
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z", 'თ': "t", 'ი': "i",
	'კ': "k", 'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o", 'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s",
	'ტ': "t", 'უ': "u", 'ფ': "p", 'ქ': "k", 'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts",
	'ძ': "dz", 'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j", 'ჰ': "h",
}
