package translit

// Latin letters with a diacritic that stands for a digraph. NFKD splits
// them into the letter and a combining mark, and the mark alone would be
// dropped (š → s), losing what every English-style romanisation of the
// same name writes: š ş ș for sh (Czech, ISO 9 and DIN/ISO 233 for ш and
// ش; Turkish, Azerbaijani, Turkmen; Romanian), č for ch, ž for zh; ǧ for j
// (DIN 31635 and ISO 233 for ج); ğ and ġ for gh (Azerbaijani, Turkish;
// DIN/ISO for غ); ḫ and ẖ for kh (خ); ṯ for th (ث) and ḏ for dh (ذ). So
// Šamil, Şamil and Shamil, Ǧamāl and Jamal, Ḫālid and Khalid are one
// spelling. ç stays c (French ç is s, Turkish ç is ch: the engine's part
// comparison treats c before e/i and ch as near).

// markedLetter returns the spelling of ASCII letter r followed by the
// combining mark m (U+0300–U+036F), or "" when the mark is only dropped.
func markedLetter(r, m rune) string {
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	switch m {
	case 0x030C: // caron
		switch r {
		case 's':
			return "sh"
		case 'c':
			return "ch"
		case 'z':
			return "zh"
		case 'g':
			return "j"
		}
	case 0x0327, 0x0326: // cedilla, comma below
		if r == 's' {
			return "sh"
		}
	case 0x0306, 0x0307: // breve, dot above
		if r == 'g' {
			return "gh"
		}
	case 0x032E, 0x0331: // breve below, macron below
		switch r {
		case 'h':
			return "kh"
		case 't':
			return "th"
		case 'd':
			return "dh"
		}
	}
	return ""
}
