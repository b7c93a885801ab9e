package score

import (
	"strings"

	"concord/match/keys"
	"concord/match/normalize"
)

// Compounds with al-Din ("of the faith": Salah al-Din, Nur al-Din, Jalal
// al-Din, Siraj al-Din) are called by their first half as often as in
// full — Salah for Salah al-Din, Nour for Nour al-Din, as Arabic and
// Persian naming shortens them — and the lists write the same man both
// ways: UN LYi.028 "Salah Badi", OFAC "BADI, Salahidin", "BADI,
// Salah-Eddin", "BADI, Saladin". Package normalize joins the halves
// written apart (Salah Eddine → salahdin); dinStem takes a joined
// compound apart again. A compound meets its first half at dinSim times
// the halves' similarity: a spelling of the half only, so the rest of the
// name must carry the match.

// dinSim is the similarity of a joined al-Din compound and its first half
// alone, spelt alike.
const dinSim = 0.85

// dinSuffixes are al-Din joined to the name before it, with the article's
// vowel and doubled d as each habit writes them (Salahuddin, Salaheddine,
// Salahidin, Nooruddeen, Salaheldin), longest first.
var dinSuffixes = []string{"uddeen", "uddine", "eddine", "eldine", "eldeen", "uldeen", "uddin", "eddin", "eldin", "uldin", "iddin", "addin", "edine", "udin", "idin", "edin", "adin", "deen", "dine", "din"}

// dinStem returns the first half of t when t is a joined al-Din compound
// whose first half keeps four letters or more (salah, noor, jalal: not
// Ala of Aladdin, whose half is too short to be told from other names).
// A first half left ending in a vowel may have taken the article's vowel
// (Saladin: sala, salah with its h unwritten).
func dinStem(t string) (string, bool) {
	if len(t) < 7 || !strings.HasSuffix(t, "din") && !strings.HasSuffix(t, "deen") && !strings.HasSuffix(t, "dine") {
		return "", false
	}
	for _, s := range dinSuffixes {
		if !strings.HasSuffix(t, s) {
			continue
		}
		if stem := t[:len(t)-len(s)]; len(stem) >= 4 {
			return stem, true
		}
		break
	}
	// The shortest form, after a vowel: sala|din.
	for _, s := range []string{"din", "deen", "dine"} {
		if stem := strings.TrimSuffix(t, s); stem != t && len(stem) >= 4 && isVowelByte(stem[len(stem)-1]) {
			return stem, true
		}
	}
	return "", false
}

// dinEnd is dinStem's cheap first test, for the comparison's inner loop:
// seven letters or more, ending in n or e.
func dinEnd(t string) bool {
	n := len(t)
	return n >= 7 && (t[n-1] == 'n' || t[n-1] == 'e')
}

// dinPair reports whether one of a, b is a joined al-Din compound and the
// other is not: what dinCompoundSim may score above 0 (the bound's test).
func dinPair(a, b *Part) bool {
	if !dinEnd(a.Text) && !dinEnd(b.Text) || a.Kind != normalize.KindName || b.Kind != normalize.KindName {
		return false
	}
	_, ca := dinStem(a.Text)
	_, cb := dinStem(b.Text)
	return ca != cb
}

// dinCompoundSim is the similarity of a joined al-Din compound and a part
// that is its first half (see dinSim); 0 for other pairs.
func dinCompoundSim(a, b *Part) float64 {
	if !dinEnd(a.Text) && !dinEnd(b.Text) || a.Kind != normalize.KindName || b.Kind != normalize.KindName {
		return 0
	}
	stem, ca := dinStem(a.Text)
	sb, cb := dinStem(b.Text)
	if ca == cb {
		return 0 // neither a compound, or both (dinPair)
	}
	if !ca {
		a, b, stem = b, a, sb
	}
	v := dinSim * partSim(stem, keys.Skeleton(stem), b.Text, b.Skel, a.Bare || b.Bare)
	if v < MinPartSim {
		return 0
	}
	return v
}
