package score

import "concord/match/normalize"

// Part similarity by a weighted edit distance on a phonetic spelling.
//
// Jaro-Winkler alone flatters short names (Salma/Salami 0.91, Amir/Amin
// 0.88) and a consonant skeleton alone cannot tell Hasan from Hossein. So
// two spellings are first folded into a phonetic form where the habits of
// romanisation tables meet (ph f, q k, kh x h, dzh dj zh j, sch sh, ou oo u,
// ee i, ai ay ei ey one diphthong, doubled letters once, a final h after a
// vowel dropped), then compared by an edit distance whose costs follow how
// names vary: a vowel for a related vowel (a/e, e/i, o/u) is cheap, a
// consonant for one of its class (t/d, s/z, k/g, b/p, f/v, th/s, dh/z,
// j/g, sh/ch, h/x, and d/z, as ض ظ are read) costs half, anything else
// costs one, and another consonant at the first letter costs half more. The budget of edits grows with length (a
// four-letter name may only change a vowel); past it the parts do not match.
// Two more rules, from how names are built rather than spelt:
//
//   - prefix-only similarity is not a typo: Nodir/Nodirbek, Hamid/Hamidou,
//     Ali/Aliyev are different names (a suffix of two letters or more);
//   - one real name for another is not an edit: when both spellings are
//     known names (a lexicon of given and family names) and they differ by
//     a full consonant edit, they are different names (Amir/Amin,
//     Yasin/Yasir, Nadia/Nadir), while vowel and class edits stay variants
//     of one name (Tariq/Tarek, Hamid/Hamed, Osman/Othman).

// phonetic symbols for digraphs.
const (
	symSh = 'S' // sh, sch, ch (French), ş, š
	symCh = 'C' // ch, tch, č
	symTh = 'T' // th
	symDh = 'D' // dh
	symGh = 'G' // gh
	symAi = 'Y' // ai ay ei ey
)

// phonetic folds a canonical Latin part into phonetic symbols (at most
// len(buf) bytes).
func phonetic(buf []byte, t string) []byte {
	b := buf[:0]
	n := len(t)
	for i := 0; i < n; i++ {
		c := t[i]
		var next, next2 byte
		if i+1 < n {
			next = t[i+1]
		}
		if i+2 < n {
			next2 = t[i+2]
		}
		out := c
		switch c {
		case 'p':
			if next == 'h' {
				out, i = 'f', i+1
			}
		case 'q':
			out = 'k'
		case 'c':
			switch {
			case next == 'k':
				out, i = 'k', i+1
			case next == 'h':
				out, i = symCh, i+1
			case next == 'e' || next == 'i' || next == 'y':
				out = 's'
			default:
				out = 'k'
			}
		case 'k':
			if next == 'h' {
				out, i = 'x', i+1
			} else if next == 's' {
				out, i = 'x', i+1
			}
		case 'd':
			switch {
			case next == 's' && next2 == 'c' && i+3 < n && t[i+3] == 'h':
				out, i = 'j', i+3 // German dsch (Dschihad, Dschamal)
			case next == 'z' && next2 == 'h':
				out, i = 'j', i+2
			case next == 'j':
				out, i = 'j', i+1
			case next == 'h':
				out, i = symDh, i+1
			}
		case 'z':
			if next == 'h' {
				out, i = 'j', i+1
			}
		case 's':
			switch {
			case next == 'c' && next2 == 'h':
				out, i = symSh, i+2
			case next == 'h':
				out, i = symSh, i+1
			case next == 'y' && i > 0 && isVowelByte(t[i-1]) && isVowelByte(next2) && next2 != 'y':
				out, i = symSh, i+1 // Indonesian and Malay sy between vowels (Rasyid, Basyir)
			}
		case 't':
			switch {
			case next == 's' && next2 == 'c' && i+3 < n && t[i+3] == 'h':
				out, i = symCh, i+3 // German tsch (Tschetschenien, Gutschajew)
			case next == 'j' && i+2 < n && isVowelByte(next2):
				out, i = symCh, i+1 // Dutch and old Indonesian tj (Tjahjadi)
			case next == 'c' && next2 == 'h':
				out, i = symCh, i+2
			case next == 'h':
				out, i = symTh, i+1
			case next == 's' || next == 'z':
				out, i = 's', i+1 // ts, tz
			}
		case 'g':
			if next == 'h' {
				out, i = symGh, i+1
			}
		case 'o':
			if next == 'u' || next == 'o' {
				out, i = 'u', i+1
			}
		case 'e':
			switch {
			case next == 'e':
				out, i = 'i', i+1
			case (next == 'i' || next == 'y') && !isVowelByte(next2):
				out, i = symAi, i+1
			}
		case 'a':
			switch {
			case (next == 'i' || next == 'y') && !isVowelByte(next2):
				out, i = symAi, i+1
			case next == 'i' && next2 == 'i' && (i+3 >= n || !isVowelByte(t[i+3])):
				out, i = symAi, i+2 // a long i written twice (الطائي Taii, Tai)
			}
		case 'y':
			if i > 0 && !isVowelByte(next) {
				out = 'i'
			}
		case 'w':
			if i > 0 && !isVowelByte(next) {
				out = 'u'
			}
		case 'h':
			if i == n-1 && i > 0 {
				continue // final h: Hamzah, Abdullah
			}
		}
		if len(b) > 0 && b[len(b)-1] == out {
			continue // doubled letters once
		}
		if len(b) == cap(b) {
			break
		}
		b = append(b, out)
	}
	return b
}

func isVowelByte(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', symAi:
		return true
	}
	return false
}

// subCost is the cost of writing a for b.
func subCost(a, b byte) float64 {
	if a == b {
		return 0
	}
	if a > b {
		a, b = b, a
	}
	va, vb := isVowelByte(a), isVowelByte(b)
	if va && vb {
		switch string([]byte{a, b}) {
		case "ae", "ei", "ou", "iy", "Ye", "Yi", "Ya", "ey":
			return 0.4
		case "ao":
			return 0.7 // Persian, Tajik and Uzbek write ā as o (Rahmon, G'ofur, Khoda)
		case "eu":
			return 0.7 // French and Persian e for an unstressed u (Youssef, Mostefa)
		}
		return 1
	}
	if va != vb {
		switch string([]byte{a, b}) {
		case "uw":
			return 0.4 // a glide written as its vowel (Sahraoui/Sahrawi, Aouadi/Awadi)
		case "jy":
			return 0.5 // German, Slavic and Dutch j for y (Jussuf, Jurij, Jahja)
		}
		return 1
	}
	switch string([]byte{a, b}) {
	case "dt", "sz", "gk", "bp", "fv", "Ts", "Tt", "Dd", "Dz", "gj", "CS", "Ss", "hx", "Gg", "Gx", "kx", "Cj", "jz", "Cs", "dz":
		return 0.5
	case "Cx": // German ch for kh (Chalil, Achmed, Scheich)
		return 0.5
	case "vw": // German and Polish w for v, Persian v for w (Iwanow, Vali/Wali)
		return 0.5
	case "Gk": // gh for q, as dialects read ق (Ghadaffi/Qadhafi)
		return 0.5
	case "DT": // dh and th for ذ and ث alike (Ghathafi/Qadhafi)
		return 0.5
	}
	return 1
}

// indelCost is the cost of inserting or deleting c.
func indelCost(c byte) float64 {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return 0.5 // a vowel written or not (Mhmd, Hasan/Hassan are folded)
	case 'h':
		return 0.5 // Mohamed/Mohamad/Muhammed; silent h
	}
	return 1
}

// editBudget is the edit cost a part of n phonetic symbols may carry and
// still be the same name.
func editBudget(n int) float64 {
	switch {
	case n <= 4:
		return 0.5
	case n <= 7:
		return 1
	case n <= 10:
		return 1.5
	}
	return 2
}

// prefixOnly reports whether the shorter of a, b is a prefix of the longer
// and the rest has two letters or more (Nodir/Nodirbek, Hamid/Hamidou).
func prefixOnly(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 2 || len(b)-len(a) < 2 || b[:len(a)] != a {
		return false
	}
	return !articleSuffix(a, b)
}

// articleSuffix reports whether the longer of a, b is the shorter (four
// letters or more) with an Arabic article attached, as the name before it
// carries it (Khudamul Islam, Ansarul Muslimina): the same word.
func articleSuffix(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 4 || len(b) != len(a)+2 || b[:len(a)] != a {
		return false
	}
	switch b[len(a):] {
	case "ul", "al", "ol", "il", "el", "ud", "ur", "us", "un":
		return true
	}
	return false
}

// phonSim is the similarity of two parts by their phonetic edit cost, in
// [0,1]; 0 when the cost is over budget or the rules above say they are
// different names. known reports whether a canonical part is a known name.
func phonSim(a, b string, known func(string) bool) float64 {
	if a == b {
		return 1
	}
	if articleSuffix(a, b) {
		return 0.9
	}
	if prefixOnly(a, b) || feminineOf(a, b, known) || feminineOf(b, a, known) || normalize.EastSlavicOtherSex(a, b) {
		return 0 // Aleksandr/Aleksandra, Vladislav/Vladislava: a man's and a woman's name (normalize)
	}
	var ba, bb [32]byte
	pa, pb := phonetic(ba[:], a), phonetic(bb[:], b)
	if string(pa) == string(pb) {
		return 0.95
	}
	n := max(len(pa), len(pb))
	// Each symbol of length difference costs at least half an edit: far
	// apart lengths need no table (unless only vowels differ, below).
	cost, hard := 99.0, true
	if float64(absDiff(len(pa), len(pb)))*0.5 <= editBudget(n) || consonants(pa) >= 4 {
		cost, hard = editCost(pa, pb)
	}
	// A typist's slip on the written letters can change how the rest
	// reads (innocent → innocdnt: c no longer before e): one edit of the
	// spelling on five letters or more, two on nine, still count.
	if l := max(len(a), len(b)); l >= 5 && a[0] == b[0] && absDiff(len(a), len(b)) <= 4 && cost > 0.4 {
		var ra, rb [32]byte
		if d, _ := editCost(letters(ra[:], a), letters(rb[:], b)); d <= 1 || d <= 2 && l >= 9 {
			if d < cost || cost > editBudget(n) {
				cost, n, hard = d, l, true
			}
		}
	}
	bothKnown := func() bool { return known != nil && known(a) && known(b) } // two lexicon look-ups: only when needed
	if cost > editBudget(n) && shortSlip(a, b) && known != nil && !known(a) {
		return shortSlipSim // Kabg for Kang, Jaun for Juan, Arir for Arif
	}
	if cost > editBudget(n) && sameLetters(pa, pb) && !bothKnown() {
		// The same letters of an Arabic-script spelling, as tables that
		// write its long vowels and glides differently give them (ي as i,
		// y, ey or iy: Tib/Tayeb, Zinih/Zeiniye; و as u, ou or w;
		// ض as d or z: Dya/Zia): a weak match the rest of the name must
		// carry. Two known names stay two names (Said/Sayed).
		return letterSim
	}
	if cost > editBudget(n) {
		if !hard && written(pa) >= 3 && sameConsonants(pa, pb) && (vowelHabits(pa, pb) || !bothKnown()) {
			// Three consonants or more in the same order, only the vowels
			// differ: one name in two vowel habits (Muhammad/Mehemed) —
			// unless both are known names (Mahmud/Muhammad).
			return 0.9
		}
		return 0
	}
	if hard && bothKnown() {
		return 0 // two real names: Amir/Amin
	}
	// A vowel (0.4) on five letters → 0.93, a typo (1) on eight → 0.90.
	s := 0.98 - 0.6*cost/float64(max(n, 4))
	if s < vowelOnlySim && written(pa) >= 3 && sameConsonants(pa, pb) && (vowelHabits(pa, pb) || !bothKnown()) {
		// The same consonants, once romanisation habits are folded, and
		// only vowels apart: scripts that write no short vowels leave each
		// table its own (Mohamed/Muhammad, Youssef/Yusuf, Soltan/Sultan).
		// Two known names qualify only when each vowel pair is a habit of
		// the tables (a/e, e/i, o/u, a/o, e/u: Selim/Salim), not another
		// vowel (Hamid/Hamad, Jamil/Jamal, Karim/Karam are two names).
		s = max(s, vowelOnlySim)
	}
	return s
}

// feminineOf reports whether f is the feminine form of the known given
// name m: m with an a (or ah) after its last consonant, as Arabic,
// Romance and Slavic names form it (Jamil/Jamila, Hasan/Hasanah,
// Manuel/Manuela, Ivan/Ivana). They are two names, a man's and a woman's, not a vowel
// written otherwise: the phonetic cost of one vowel would let them meet
// at 0.93. m must be a known name of three letters or more, so that a
// final a a table writes (Hamza, Musa, Mustafa: no known name without
// it) is not read as one; f's rest must spell m, a vowel habit or a
// doubled letter apart (Jameela/Jamil, Hasanah/Hassan). A name ending
// in e is left alone: tables write a final e for a as often as not
// (Felipe/Felipa, Marine/Marina, White/Whita in the tuning variants),
// and organisations' words end so too.
func feminineOf(f, m string, known func(string) bool) bool {
	n := len(f)
	if n < 4 || len(m) < 3 || f[0] != m[0] || known == nil || isVowelByte(m[len(m)-1]) {
		return false
	}
	if f[n-1] != 'a' && (f[n-1] != 'h' || f[n-2] != 'a') {
		return false // cheap: most pairs stop here, before their phonetic spellings
	}
	var bf, bm [32]byte
	pf, pm := phonetic(bf[:], f), phonetic(bm[:], m) // Hasanah: the final h goes
	nf, nm := len(pf), len(pm)
	if nf < 3 || nm < 2 || pf[nf-1] != 'a' || isVowelByte(pf[nf-2]) || isVowelByte(pm[nm-1]) || pf[nf-2] == 'v' {
		return false // -ova, -eva: a Slavic family name, one family for both (package normalize folds it)
	}
	// f's rest spells m, or a related vowel apart (Jameela/Jamil): not a
	// vowel more or less (Ahmda, a slip on Ahmad, is not Ahmd + a).
	if string(pf[:nf-1]) != string(pm) {
		if cost, hard := editCost(pf[:nf-1], pm); hard || cost >= 0.5 {
			return false
		}
	}
	return known(m)
}

// shortSlip reports whether a and b, the longer of four letters and the
// shorter of three or four, are one slip of a typist apart (a letter
// changed, added, dropped, or two neighbours swapped) after their first
// letter, and not only at the end. The phonetic budget lets a four-letter
// name change only a vowel, which keeps Amir/Amin and Rami/Rani apart; but
// a slip on a short part (Kabg, Jaun, Arir, Mamadu True) leaves a spelling
// that is no name at all, and the part it was typed for is the only one
// it can stand for. phonSim applies it only when the query's spelling is
// not a known name: a real name spelt right is that name, not a slip on
// another.
func shortSlip(a, b string) bool {
	la, lb := len(a), len(b)
	if max(la, lb) != 4 || min(la, lb) < 3 || a[0] != b[0] {
		return false
	}
	if la != lb && (a[:min(la, lb)] == b[:min(la, lb)]) {
		return false // a last letter more or less: another name (Kan/Kang, Sami/Samir)
	}
	return EditDistance1(a, b)
}

// shortSlipSim is the similarity of a short part and a slip on it: just
// over MinPartSim, weaker than a vowel written otherwise, so that the
// rest of the name must carry the match.
const shortSlipSim = 0.82

// vowelOnlySim is the least similarity of two spellings that differ only
// in their vowels (see phonSim).
const vowelOnlySim = 0.93

// vowelHabits reports whether two spellings with the same consonants
// (sameConsonants) have a vowel between the same consonants, and only
// vowels that romanisation tables exchange (subCost under 1): Selim/Salim,
// Youssef/Yusuf, but not Mahmud/Muhammad (a vowel against none) nor
// Hamid/Hamad.
func vowelHabits(a, b []byte) bool {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		// The vowels of this gap on each side.
		i0, j0 := i, j
		for i < len(a) && plainVowel(a[i]) {
			i++
		}
		for j < len(b) && plainVowel(b[j]) {
			j++
		}
		if (i > i0) != (j > j0) || i > i0 && subCost(a[i0], b[j0]) >= 1 {
			return false // a vowel against none (Mahmud/Muhammad), or another vowel
		}
		if i < len(a) && j < len(b) && a[i] != b[j] {
			return false // ي as a diphthong on one side, a vowel on the other
		}
		// The consonants agree (sameConsonants): step over one.
		i++
		j++
	}
	return true
}

// sameConsonants reports whether two phonetic spellings have the same
// consonant symbols in the same order. A diphthong and a y before a vowel
// count as consonants, as Arabic script writes their ي: Husayn/Hussein
// agree, Hasan/Hossein do not. A diphthong may meet an i between the
// same consonants on the other side, since ي is read ī or ay and tables
// write either (Zubaydi/Zebidi, Husayn/Hasin, Sulaiman/Saliman); an a
// there is another name. So does a vowel at the start, which Arabic
// script writes with an alif: Ahmed/Hamid do not agree.
func sameConsonants(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 || plainVowel(a[0]) != plainVowel(b[0]) {
		return false
	}
	i, j := 0, 0
	for {
		i0, j0 := i, j
		for i < len(a) && plainVowel(a[i]) {
			i++
		}
		for j < len(b) && plainVowel(b[j]) {
			j++
		}
		if i < len(a) && a[i] == symAi && (j == len(b) || b[j] != symAi) && hasI(b[j0:j]) {
			i++ // ay against ī: the same ي
			continue
		}
		if j < len(b) && b[j] == symAi && (i == len(a) || a[i] != symAi) && hasI(a[i0:i]) {
			j++
			continue
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] && !shCh(a[i], b[j]) {
			return false
		}
		i++
		j++
	}
}

// shCh reports whether two consonant symbols are sh and ch: ش is ch in
// French spellings (Chenedakh/Shindakh, Chaker/Shakir, Cherif/Sharif),
// one letter when every other consonant agrees.
func shCh(a, b byte) bool {
	return a == symSh && b == symCh || a == symCh && b == symSh
}

// hasI reports whether a gap of plain vowels holds an i.
func hasI(gap []byte) bool {
	for _, c := range gap {
		if c == 'i' {
			return true
		}
	}
	return false
}

// consonants counts the consonant symbols of a phonetic spelling.
func consonants(p []byte) int {
	n := 0
	for _, c := range p {
		if !isVowelByte(c) {
			n++
		}
	}
	return n
}

// letters copies a's letters as symbols without phonetic folding (vowels
// and h keep their half costs).
func letters(buf []byte, a string) []byte {
	n := copy(buf, a)
	return buf[:n]
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// plainVowel reports the vowel symbols that scripts without short vowels
// leave unwritten (not y, not a diphthong).
func plainVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// written counts the symbols of p that scripts without short vowels write
// (all but plain vowels).
func written(p []byte) int {
	n := 0
	for _, c := range p {
		if !plainVowel(c) {
			n++
		}
	}
	return n
}

// letterSim is the similarity of two spellings that write the same letters
// of an Arabic-script name (sameLetters) and are no closer otherwise: just
// over MinPartSim.
const letterSim = 0.84

// arabicLetters reads a phonetic spelling back as the letters an
// Arabic-script original would have, as the romanisation tables map them
// (BGN/PCGN, ISO 233, DIN 31635, French usage): the script writes
// consonants and long vowels, not short ones. So a, e and o inside a
// word are dropped (short vowels, or an alif each table writes its own
// way); i, y and the diphthongs ai/ei are one letter ي ('I'), u, w and
// a final o one letter و ('U'); a final a or e is dropped (ة, ى or a short
// vowel); a vowel at the start is an onset ('_': ا or ع, which ISO
// writes as an apostrophe and others as a vowel); a repeated ي or و is
// one (iy, uw), while two consonants a vowel apart stay two (Barrera is
// not Bor). It writes at most len(buf) symbols.
func arabicLetters(buf []byte, p []byte) []byte {
	b := buf[:0]
	for i, c := range p {
		var out byte
		switch c {
		case 'a', 'e', 'o':
			switch {
			case i == 0:
				out = '_'
			case c == 'o' && i == len(p)-1:
				out = 'U' // a final o is و (Amro, عمرو)
			default:
				continue
			}
		case 'i', 'y', symAi:
			out = 'I'
		case 'u', 'w':
			out = 'U'
		default:
			out = c
		}
		if len(b) > 0 && b[len(b)-1] == out && letterVowel(out) {
			continue // iy, ii, uw: one letter
		}
		if len(b) == cap(b) {
			break
		}
		b = append(b, out)
	}
	return b
}

// sameLetters reports whether two phonetic spellings read as the same
// letters of an Arabic-script name (arabicLetters), or one edit apart: a
// consonant written as the tables write one letter (oneLetter: ض as d
// or z, ق as q or g), or an onset written on one side only (ع as a vowel or an
// apostrophe, when the other side still reads as three letters). Each
// side must say enough (enoughLetters).
func sameLetters(pa, pb []byte) bool {
	var ba, bb [32]byte
	la, lb := arabicLetters(ba[:], pa), arabicLetters(bb[:], pb)
	if !enoughLetters(la) || !enoughLetters(lb) {
		return false
	}
	if string(la) == string(lb) {
		return true
	}
	switch {
	case len(la) == len(lb):
		diff := -1
		for i := range la {
			if la[i] != lb[i] {
				if diff >= 0 {
					return false
				}
				diff = i
			}
		}
		return oneLetter(la[diff], lb[diff])
	case len(la) == len(lb)+1 && la[0] == '_' && len(lb) >= 3:
		return string(la[1:]) == string(lb)
	case len(lb) == len(la)+1 && lb[0] == '_' && len(la) >= 3:
		return string(lb[1:]) == string(la)
	}
	return false
}

// oneLetter reports whether phonetic consonants x and y are how the
// tables write one Arabic letter: ض d or z (ISO 233 and DIN 31635 ḍ,
// Persian and Urdu usage z), ذ and ظ dh, d or z, ث th, t or s (DIN ṯ,
// German and Persian s), ق q/k or g (Maghreb and Gulf usage), ج j or g
// (Egyptian), خ and ح kh, h or German ch, ش sh or French ch. Letters the
// tables keep apart stay apart, though the phonetic classes join them:
// س and ز (s, z), ت and د (t, d), ب and پ (b, p).
func oneLetter(x, y byte) bool {
	if x > y {
		x, y = y, x
	}
	switch string([]byte{x, y}) {
	case "dz", "Dz", "Dd", "Ts", "Tt", "gk", "Gk", "Gg", "gj", "hx", "Cx", "CS":
		return true
	}
	return false
}

func letterVowel(c byte) bool { return c == 'I' || c == 'U' || c == '_' }

// enoughLetters reports whether a reading says enough to match on: three
// letters or more with a consonant among them, or a consonant and ي or و
// (Dya, Wly), not two bare consonants (Nolh/Nla).
func enoughLetters(l []byte) bool {
	cons, glide := 0, false
	for _, c := range l {
		switch c {
		case 'I', 'U':
			glide = true
		case '_':
		default:
			cons++
		}
	}
	return cons >= 1 && (len(l) >= 3 || glide)
}
