package normalize

import (
	"maps"
	"slices"
	"strings"
)

// Organisation words misspelt. The words of the legal-form and symbol
// tables (limited, corporation, trading, foundation, industries…) are
// generic: when a typist slips on one (Corporatiion, Lmited, Tradieng) or
// a clerk writes it as he hears it (Holdeeng, Fooondateeon), it no longer
// meets its table entry, and the name loses a part it shares with every
// spelling of it. A word of five letters or more that is not in the
// tables is read as a table word when it has the same first letter and
// either the same consonants with its vowel runs changed (the vowel
// fold: foundation, fooondateeon → "fandatan") or, from six letters,
// one edit of it (a letter added, dropped, changed or two swapped). A
// fold or edit that two table words share corrects nothing. In a name the
// caller knows to be an organisation's, a word of four to seven letters
// also meets a table word of four or five letters by its fold (Grooop,
// Traade, Cloob, Foond: group, trade, club, fund).

// orgWordTable indexes the table words by vowel fold and by their
// one-deletion variants; a key may lead to several words.
type orgWordTable struct {
	words  map[string]bool
	byFold map[string][]string
	byDel  map[string][]string // words and their one-deletion variants
}

var orgWords = orgWordTable{words: map[string]bool{}, byFold: map[string][]string{}, byDel: map[string][]string{}}

// Lengths from which words are corrected: by their vowel fold, and by one
// edit (the longer of the two words; the shorter has one letter less at
// least).
const (
	minFoldWord = 6
	minEditWord = 7
	// Organisation domains (technology, petrochemical, engineering) are
	// table words from eight letters: shorter ones are ordinary words and
	// names too (marine, house, trust).
	minDomainWord = 8
	// In a name the caller knows to be an organisation's, table words of
	// four and five letters (group, trade, club, fund) are corrected too,
	// by their vowel fold only (Grooop, Traade, Foond).
	minShortFoldWord = 4
)

// buildOrgWords fills orgWords from the legal-form and symbol tables.
func buildOrgWords() {
	for _, t := range [...]*phraseTable{legalForms, symbols} {
		for k, p := range t.m {
			if p.kind != KindLegal && p.kind != KindSymbol && !(p.kind == KindName && len(k) >= minDomainWord) {
				continue // short organisation domains are ordinary words (marine, house)
			}
			if p.scripts == arabicBit {
				continue // a skeleton of consonants (shrkh, mhdudh), no Latin word
			}
			for _, w := range strings.Fields(k) {
				if asciiLetters(w) {
					orgWords.words[w] = true
				}
			}
		}
	}
	var buf [64]byte
	for _, w := range slices.Sorted(maps.Keys(orgWords.words)) {
		if len(w) < minShortFoldWord || len(w) > len(buf) {
			continue
		}
		f := string(vowelFold(buf[:0], w))
		orgWords.byFold[f] = append(orgWords.byFold[f], w)
		if len(w) < minFoldWord {
			continue
		}
		if len(w) >= minEditWord-1 {
			orgWords.byDel[w] = append(orgWords.byDel[w], w)
			for i := range len(w) {
				d := w[:i] + w[i+1:]
				if !slices.Contains(orgWords.byDel[d], w) {
					orgWords.byDel[d] = append(orgWords.byDel[d], w)
				}
			}
		}
	}
}

// correctOrgWords rewrites the misspelt table words of a name's words in
// place. Many person names are one edit or a vowel change from a table
// word (Verena, Venturi, Straka, Rossini): a word is corrected only in
// the name of an organisation, known by another table word in it
// (Pejman Industrial Services Corporatiion), or when it ends a longer
// name and is read as a legal form by an edit, or by its vowels from
// seven letters (Keencloud Lmited, Arabi Limeeted). org says the caller
// knows the name to be an organisation's (AppendOrgTokens).
func correctOrgWords(words []string, org bool) {
	for i := 0; !org && i < len(words); i++ {
		org = orgWords.words[words[i]]
	}
	for i, w := range words {
		last := i == len(words)-1 && len(words) >= 2
		if !org && !last {
			continue // outside an organisation's name only the last word is corrected
		}
		t, fold, ok := orgWord(w)
		if !ok && org && len(w) >= minShortFoldWord && len(w) < minFoldWord+2 {
			t, fold, ok = shortOrgWord(w)
		}
		if !ok {
			continue
		}
		if org || last && isLegal(t) && (!fold || len(w) >= 7 && len(t) >= 7) {
			words[i] = t
		}
	}
}

// isLegal reports whether table word t stands alone for a legal form.
func isLegal(t string) bool {
	p, ok := legalForms.m[t]
	return ok && p.kind == KindLegal
}

// orgWord returns the table word that w misspells, if any: one word, or
// words that all stand for the same table entry (fondation, foundation);
// fold says it was found by its vowels, not by an edit.
func orgWord(w string) (string, bool, bool) {
	if len(w) < minFoldWord || len(w) > 40 || orgWords.words[w] || honorifics[w] || filiation[w] || !asciiLetters(w) {
		return "", false, false
	}
	var buf [64]byte
	var cands []string
	pick := func() (string, bool) {
		// Words that stand alone in a table win over words of longer
		// phrases (limited over limitied); they must agree.
		var alone []string
		for _, t := range cands {
			if _, ok := entryOf(t); ok {
				alone = append(alone, t)
			}
		}
		if len(alone) == 0 {
			alone = cands
			if len(slices.Compact(slices.Sorted(slices.Values(alone)))) > 1 {
				return "", false
			}
		}
		for _, t := range alone[1:] {
			if !sameEntry(alone[0], t) {
				return "", false
			}
		}
		return alone[0], len(alone) > 0
	}
	for _, t := range orgWords.byFold[string(vowelFold(buf[:0], w))] {
		if t[0] == w[0] {
			cands = append(cands, t)
		}
	}
	if len(cands) > 0 {
		t, ok := pick()
		return t, true, ok
	}
	try := func(k string) {
		for _, t := range orgWords.byDel[k] {
			if t[0] == w[0] && max(len(t), len(w)) >= minEditWord && oneEdit(w, t) && !inflection(w, t) && !slices.Contains(cands, t) {
				cands = append(cands, t)
			}
		}
	}
	try(w)
	for i := range len(w) {
		try(string(append(append(buf[:0], w[:i]...), w[i+1:]...)))
	}
	if len(cands) == 0 {
		return "", false, false
	}
	t, ok := pick()
	return t, false, ok
}

// shortOrgWord is orgWord for a short word (four to seven letters) in an
// organisation's name: the table word of four or five letters that has
// its vowel fold and first letter, when one entry has it.
func shortOrgWord(w string) (string, bool, bool) {
	if orgWords.words[w] || honorifics[w] || filiation[w] || !asciiLetters(w) {
		return "", false, false
	}
	var buf [64]byte
	var cands []string
	for _, t := range orgWords.byFold[string(vowelFold(buf[:0], w))] {
		if t[0] == w[0] && len(t) < minFoldWord && t != w {
			if _, ok := entryOf(t); ok {
				cands = append(cands, t)
			}
		}
	}
	if len(cands) == 0 {
		return "", false, false
	}
	for _, t := range cands[1:] {
		if !sameEntry(cands[0], t) {
			return "", false, false
		}
	}
	return cands[0], true, true
}

// sameEntry reports whether table words a and b stand alone for the same
// token.
func sameEntry(a, b string) bool {
	pa, oka := entryOf(a)
	pb, okb := entryOf(b)
	return oka && okb && pa.kind == pb.kind && pa.text == pb.text && pa.generic == pb.generic
}

func entryOf(w string) (phrase, bool) {
	if p, ok := legalForms.m[w]; ok {
		return p, true
	}
	p, ok := symbols.m[w]
	return p, ok
}

// vowelFold appends w with its vowels written by class (a; e i y as i;
// o u as u), a run of one class once, and doubled consonants once:
// foundation and fooondateeon both give "fundatiun".
func vowelFold(dst []byte, w string) []byte {
	start := len(dst)
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 'e', 'i':
			c = 'i'
		case 'y':
			if i > 0 {
				c = 'i'
			}
		case 'o', 'u':
			c = 'u'
		}
		if len(dst) > start && dst[len(dst)-1] == c {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// inflection reports whether a and b differ only in a final vowel
// (fratello/fratelli, partida/partido): in a name, another word.
func inflection(a, b string) bool {
	return len(a) == len(b) && a[:len(a)-1] == b[:len(b)-1] && isVowel(a[len(a)-1]) && isVowel(b[len(b)-1])
}

// oneEdit reports whether a and b are one insertion, deletion,
// substitution or adjacent transposition apart.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return i == len(a) || a[i+1:] == b[i+1:] || i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

func asciiLetters(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// splitCompound splits a word that is an organisation word written
// joined to another word (Grouplimited, Exportcompany, Tradecenter): w is
// the two when one end of it, of five letters or more, stands alone in
// the tables (a legal form, a symbol, or a domain of minDomainWord letters
// or more) and the rest has four letters or more. Of the places it may be
// split at, the one where both ends are table words wins
// (Industriesorganisation: industries and organisation, not industrie
// and sorganisation), then the one with the longer table word
// (Corporacioncimex: corporacion and cimex, not corpor and acioncimex).
func splitCompound(w string) (string, string, bool) {
	if len(w) < 9 || orgWords.words[w] || !asciiLetters(w) {
		return "", "", false
	}
	alone := func(t string) bool {
		p, ok := entryOf(t)
		// A domain word is an end only of a word that is not a known
		// name (Fabbricatore is a family name, not fabbrica and tore).
		return ok && (p.kind == KindLegal || p.kind == KindSymbol || p.kind == KindName && len(t) >= minDomainWord && !KnownName(w))
	}
	best, bestScore := 0, 0
	for k := 4; k+4 <= len(w); k++ {
		sa := len(w)-k >= 5 && alone(w[k:])
		pa := k >= 5 && alone(w[:k])
		if !sa && !pa {
			continue
		}
		score := 0
		if sa {
			score = len(w) - k
		}
		if pa {
			score = max(score, k)
		}
		if sa && pa {
			score += 100
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	if best == 0 {
		return "", "", false
	}
	return w[:best], w[best:], true
}

// ocrLetters reads the digits an OCR'd passport or a typist puts for
// letters inside a word (indu5tries, c0, ibrah1m): 0 o, 1 i, 5 s, 8 b.
// Words with other digits, ordinals (1st) and numbers are left alone.
func ocrLetters(w string) string {
	letters, digits := 0, 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z':
			letters++
		case c == '0' || c == '1' || c == '5' || c == '8':
			digits++
		default:
			return w
		}
	}
	if letters == 0 || digits == 0 {
		return w
	}
	if _, ok := ordinalDigits(w); ok {
		return w
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '0':
			return 'o'
		case '1':
			return 'i'
		case '5':
			return 's'
		case '8':
			return 'b'
		}
		return r
	}, w)
}

// Legal forms written joined. A typist or a form that drops the space
// before a legal form leaves one word (COMPANYLTD, TAMAYOZLLC,
// NORDWERKGMBH), which meets neither the record's name word nor its legal
// form. In an organisation's name (the caller knows its schema), a legal
// form of the tables whose first three letters are consonants (ltd, ltda,
// llc, gmbh, pjsc: abbreviations, not syllables) is read apart from the
// word it ends, when the rest has three letters or more and no known
// name and no table word but another legal form ends with it: nts is a
// legal form of the tables, and ends investments and consultants.

// gluedForms are those legal forms, the longest first.
var gluedForms []string

// buildGluedForms fills gluedForms; after buildOrgWords.
func buildGluedForms() {
	cands := map[string]bool{} // the forms, until a word ends with one
	longest := 0
	for k, p := range legalForms.m {
		if p.kind == KindLegal && p.scripts&latinBit != 0 && len(k) >= 3 && asciiLetters(k) && consonant(k[0]) && consonant(k[1]) && consonant(k[2]) {
			cands[k] = true
			longest = max(longest, len(k))
		}
	}
	ends := func(w string) {
		for l := 3; l <= longest && l < len(w); l++ {
			if cands[w[len(w)-l:]] {
				cands[w[len(w)-l:]] = false
			}
		}
	}
	for w := range orgWords.words {
		if !isLegal(w) { // legal forms end with others (pjsc, cjsc; ggmbh)
			ends(w)
		}
	}
	for _, w := range lexicon {
		ends(w)
	}
	for k, ok := range cands {
		if ok {
			gluedForms = append(gluedForms, k)
		}
	}
	slices.SortFunc(gluedForms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
}

func consonant(c byte) bool { return c >= 'a' && c <= 'z' && !isVowel(c) && c != 'y' }

// splitGluedLegal splits w, a word of an organisation's name (org), into a
// word and the legal form joined to its end (see above), the longest form
// first.
func splitGluedLegal(w string, org bool) (string, string, bool) {
	if !org || len(w) < 6 || !asciiLetters(w) {
		return "", "", false
	}
	if _, ok := entryOf(w); ok || orgWords.words[w] {
		return "", "", false
	}
	for _, k := range gluedForms {
		if len(w)-len(k) >= 3 && strings.HasSuffix(w, k) {
			return w[:len(w)-len(k)], k, true
		}
	}
	return "", "", false
}
