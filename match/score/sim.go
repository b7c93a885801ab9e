// Package score compares prepared names and attributes and returns scores
// in [0,1] with the details needed to explain them.
//
// Names are compared part by part: parts are aligned order-free and
// greedily by similarity, adjacent parts may be merged to meet a single part
// on the other side ("salah din" ↔ "salahdin"), and each part carries an
// IDF-like weight so that rare parts dominate the result. Part similarity is
// the best of Jaro-Winkler on the canonical Latin forms and a skeleton
// comparison (equal, or one edit apart), which is what makes romanisation
// variants and Arabic-script names (no short vowels) meet.
package score

import (
	"strings"

	"concord/match/keys"
	"concord/match/normalize"
)

// JaroWinkler returns the Jaro-Winkler similarity of two ASCII strings
// (prefix scale 0.1, at most 4 prefix bytes). Strings longer than 64 bytes
// are compared on their first 64 bytes.
func JaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	if len(a) > 64 {
		a = a[:64]
	}
	if len(b) > 64 {
		b = b[:64]
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var am, bm uint64 // matched flags
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := i-window, i+window+1
		if lo < 0 {
			lo = 0
		}
		if hi > lb {
			hi = lb
		}
		for j := lo; j < hi; j++ {
			if bm&(1<<j) == 0 && a[i] == b[j] {
				am |= 1 << i
				bm |= 1 << j
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, j := 0, 0
	for i := 0; i < la; i++ {
		if am&(1<<i) == 0 {
			continue
		}
		for bm&(1<<j) == 0 {
			j++
		}
		if a[i] != b[j] {
			t++
		}
		j++
	}
	fm := float64(m)
	jaro := (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
	p := 0
	for p < 4 && p < la && a[p] == b[p] {
		p++
	}
	return jaro + float64(p)*0.1*(1-jaro)
}

// EditDistance1 reports whether a and b are at most one edit apart
// (insertion, deletion, substitution or adjacent transposition).
func EditDistance1(a, b string) bool {
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > 1 {
		return false
	}
	i := 0
	for i < la && a[i] == b[i] {
		i++
	}
	if i == la {
		return true
	}
	if la == lb {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// PartSim is the similarity of two name parts given their canonical Latin
// forms and skeletons. Values under MinPartSim are reported as 0.
func PartSim(qText, qSkel, rText, rSkel string) float64 {
	return partSim(qText, qSkel, rText, rSkel, false)
}

// partSim is PartSim; bare says one side was transliterated from a script
// that does not write short vowels. Spellings that both have vowels are
// compared by their phonetic edit cost (phon.go); a spelling without
// vowels, as Arabic script transliterates, by its consonant skeleton.
func partSim(qText, qSkel, rText, rSkel string, bare bool) float64 {
	s := spellSim(qText, qSkel, rText, rSkel, bare)
	if s < attachedSim {
		if v := ulSim(qText, rText, rSkel, bare); v > s {
			s = v
		} else if v := ulSim(rText, qText, qSkel, bare); v > s {
			s = v
		}
	}
	return s
}

// ulSim is the similarity of a, written with the article ul joined to its
// end, and b without it: South Asian spellings write the Arabic construct
// so (Harkatul Jihad, Jamatul Ahrar, Saiful Islam for Harakat-ul Jihad,
// Jamaat-ul-Ahrar, Saif al-Islam), whose hyphenated and separate forms
// drop ul as an article. The stem keeps four letters or more and ends in
// a consonant (Rasul, Kabul and Paul are whole names), and Abdul is not
// one (package normalize reads it). It is 0 for other pairs.
func ulSim(a, b, bSkel string, bare bool) float64 {
	n := len(a)
	if n < 6 || a[n-2] != 'u' || a[n-1] != 'l' || isVowelByte(a[n-3]) || strings.HasSuffix(a, "bdul") || strings.HasSuffix(b, "ul") {
		return 0
	}
	stem := a[:n-2]
	v := spellSim(stem, keys.Skeleton(stem), b, bSkel, bare) * attachedSim
	if v < MinPartSim {
		return 0
	}
	return v
}

// spellSim is partSim without the joined article ul.
func spellSim(qText, qSkel, rText, rSkel string, bare bool) float64 {
	if qText == rText {
		return 1
	}
	if r, ok := AttachedArticle(qText); ok && r == rText {
		return attachedSim
	}
	if r, ok := AttachedArticle(rText); ok && r == qText {
		return attachedSim
	}
	if !(bare || vowelless(qText) || vowelless(rText)) {
		s := phonSim(qText, rText, normalize.KnownName)
		if s < MinPartSim {
			return 0
		}
		return s
	}
	s := JaroWinkler(qText, rText)
	if construct(qText, qSkel, rText, rSkel) {
		qSkel = rSkel // ة read as t before a genitive: one word
	} else if construct(rText, rSkel, qText, qSkel) {
		rSkel = qSkel
	}
	if len(qSkel) >= 2 && len(rSkel) >= 2 && qSkel[0] != rSkel[0] {
		return 0 // a different first consonant: another name
	}
	if bare && (yaOnset(qText) && vowelOnset(rText) || yaOnset(rText) && vowelOnset(qText)) {
		return 0 // ي is a consonant: Ekpo is not يعقوب (yqub), whose skeleton it shares
	}
	if skelPrefix(qSkel, rSkel) {
		return 0 // consonants added at the end: another name (Adl/Adelusi), not a spelling
	}
	if qSkel == rSkel && len(qSkel) >= 2 {
		if longIClash(qText, rText) || longIClash(rText, qText) {
			return 0 // amyr (أمير, Amir) is not Omar or Amar, whose skeleton it shares
		}
		v := 0.9
		if len(qSkel) >= 4 {
			v = 0.95
		}
		s = max(s, v)
	} else if len(qSkel) >= 3 && len(rSkel) >= 3 && EditDistance1(qSkel, rSkel) && !prefixOnly(qSkel, rSkel) && !normalize.KnownName(qText) && !normalize.KnownName(rText) {
		// A consonant apart is a spelling, unless one side is a known
		// name: then the other writes another name (Mahdi is not محمود,
		// mhmud, as Amir is not Amin), and only the letters' own
		// similarity counts.
		v := 0.82
		if len(qSkel) >= 5 && len(rSkel) >= 5 {
			v = 0.86
		}
		s = max(s, v)
	}
	if s < MinPartSim {
		return 0
	}
	return s
}

// construct reports whether b is a with its ta marbuta (ة, transliterated
// h and dropped from the skeleton) read as t, as it is before a genitive
// and as Latin spellings of names of that shape write it (عصبة ASBAT
// al-Ansar, جبهة JABHAT al-Nusra, حركة HARAKAT, جماعة JAMAAT): b's
// skeleton is a's and a t, b's text ends in at or et. A skeleton that a
// spelling only extends otherwise is another name (skelPrefix).
func construct(a, aSkel, b, bSkel string) bool {
	if len(a) < 3 || a[len(a)-1] != 'h' || len(bSkel) != len(aSkel)+1 || len(aSkel) < 2 || bSkel[len(aSkel)] != 't' || bSkel[:len(aSkel)] != aSkel {
		return false
	}
	return len(b) >= 4 && b[len(b)-1] == 't' && (b[len(b)-2] == 'a' || b[len(b)-2] == 'e')
}

// AttachedArticle returns t without an Arabic article written attached
// in Latin (alqahtani, elhabhab → qahtani, habhab), when the rest has four
// letters or more and the whole is not a known name (Albert, Alvarez);
// ok is false for parts without one.
func AttachedArticle(t string) (string, bool) {
	if len(t) >= 6 && (t[0] == 'a' || t[0] == 'e') && t[1] == 'l' && !isVowelByte(t[2]) && !normalize.KnownName(t) {
		return t[2:], true
	}
	return "", false
}

// attachedSim is the similarity of a part with its article attached and
// the part without it: one word.
const attachedSim = 0.95

// skelPrefix reports whether the shorter of two skeletons (two consonants
// or more) is a proper prefix of the longer.
func skelPrefix(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 2 && len(b) > len(a) && b[:len(a)] == a
}

// MinPartSim is the part similarity below which two parts do not match.
const MinPartSim = 0.8

// yaOnset reports a part that begins with y before a consonant: what an
// Arabic-script name beginning with ي (a consonant there) reads as when its
// short vowel is not written (yqub, yzyd). Latin spellings of it begin with
// y, j or i (Yaqub, Jakub, Iakoub), never with a, e, o or u.
func yaOnset(t string) bool {
	return len(t) >= 3 && t[0] == 'y' && !isVowelByte(t[1])
}

// longIClash reports whether part v, written without short vowels, has a
// long ī (a y between two consonants: amyr, slym, hsyn) where the vowelled
// part w of the same consonants has a vowel run with no i, e or y (Omar,
// Salam, Hassan): the script wrote a vowel there that w does not have, so
// they are two names (أمير Amir is not عمر Omar, حسين Husayn not حسن
// Hassan). The run is the one between the consonants that come before and
// after the y in v (same skeletons); none found, no clash.
func longIClash(v, w string) bool {
	if !vowelless(v) || vowelless(w) {
		return false
	}
	for i := 1; i < len(v)-1; i++ {
		if v[i] != 'y' || isVowelByte(v[i-1]) || isVowelByte(v[i+1]) {
			continue
		}
		pre, suf := keys.Skeleton(v[:i]), keys.Skeleton(v[i+1:])
		found, ok := false, false
		for a := 1; a < len(w); a++ {
			if !isVowelByte(w[a]) || isVowelByte(w[a-1]) {
				continue
			}
			b := a
			for b < len(w) && isVowelByte(w[b]) {
				b++
			}
			if b == len(w) {
				break
			}
			if keys.Skeleton(w[:a]) == pre && keys.Skeleton(w[b:]) == suf {
				found = true
				ok = ok || strings.ContainsAny(w[a:b], "iey")
			}
		}
		if found && !ok {
			return true
		}
	}
	return false
}

// vowelOnset reports a part that begins with a, e, o or u.
func vowelOnset(t string) bool {
	return t != "" && (t[0] == 'a' || t[0] == 'e' || t[0] == 'o' || t[0] == 'u')
}

// vowelless reports whether t (three letters or more) has no vowel after
// its first letter, as a name transliterated from Arabic script often
// has ("mhmd", "ysf").
func vowelless(t string) bool {
	if len(t) < 3 {
		return false
	}
	for i := 1; i < len(t); i++ {
		switch t[i] {
		case 'a', 'e', 'i', 'o', 'u':
			return false
		}
	}
	return true
}

// joinedArticle reports whether y is the name x, written after an Arabic
// article that was dropped (x.Article: al-Azhar, ELSSEID), spelt with
// the article joined as Maghrebi spellings write it: its l before a vowel
// (Lazher for al-Azhar, Lamine for al-Amin, Lahcen for al-Hasan) or,
// before a sun letter, a vowel and the letter doubled (Essid for
// as-Sayyid, Ettayeb for at-Tayyib). Only a part the other side wrote
// with its article qualifies, so Latif and Atif (لطيف، عاطف), Essam and
// Sam stay two names. The rest of y is returned by joinedRest.
func joinedArticle(x, y *Part) bool {
	_, ok := joinedRest(x, y)
	return ok
}

// joinedRest returns y without its joined article when joinedArticle.
func joinedRest(x, y *Part) (string, bool) {
	t, w := x.Text, y.Text
	if !x.Article || x.Kind != normalize.KindName || y.Kind != normalize.KindName || len(t) < 3 || len(w) < 5 {
		return "", false
	}
	switch {
	case w[0] == 'l' && isVowelByte(w[1]) && isVowelByte(t[0]):
		return w[1:], true
	case (w[0] == 'a' || w[0] == 'e') && w[1] == w[2] && w[1] == t[0] && strings.IndexByte("tdrzsn", w[1]) >= 0:
		return w[2:], true
	}
	return "", false
}

// joinedArticleSim is the similarity of q and r when one is the other
// written with its article joined (joinedArticle): the rest's similarity
// to the other, times attachedSim; 0 otherwise.
func joinedArticleSim(q, r *Part) float64 {
	x, y := q, r
	rest, ok := joinedRest(x, y)
	if !ok {
		x, y = r, q
		if rest, ok = joinedRest(x, y); !ok {
			return 0
		}
	}
	v := partSim(rest, keys.Skeleton(rest), x.Text, x.Skel, x.Bare || y.Bare) * attachedSim
	if v < MinPartSim {
		return 0
	}
	return v
}
