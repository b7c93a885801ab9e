package eval

import (
	"math/rand/v2"
	"strings"
)

// arabicVariations are the everyday ways one Arabic-script name is written
// differently: hamza forms on alif (أ إ آ ↔ ا), alif maqsura and ya
// (ى ↔ ي), ta marbuta and ha (ة ↔ ه), Persian and Arabic letters (ي ↔ ی,
// ك ↔ ک), tatweel and harakat added, the article ال dropped, and عبد ال
// joined or split.
var arabicVariations = []struct {
	kind string
	fn   func(string, *rand.Rand) (string, bool)
}{
	{"hamza", func(s string, _ *rand.Rand) (string, bool) {
		return replaceAny(s, strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا"), strings.NewReplacer("ا", "أ"))
	}},
	{"alif-maqsura", func(s string, _ *rand.Rand) (string, bool) {
		return replaceAny(s, strings.NewReplacer("ى", "ي"), endsReplacer("ي", "ى"))
	}},
	{"ta-marbuta", func(s string, _ *rand.Rand) (string, bool) {
		return replaceAny(s, strings.NewReplacer("ة", "ه"), endsReplacer("ه", "ة"))
	}},
	{"persian-letters", func(s string, _ *rand.Rand) (string, bool) {
		return replaceAny(s, strings.NewReplacer("ي", "ی", "ك", "ک"), strings.NewReplacer("ی", "ي", "ک", "ك"))
	}},
	{"tatweel-harakat", func(s string, rng *rand.Rand) (string, bool) {
		rs := []rune(s)
		var out []rune
		added := false
		for i, r := range rs {
			out = append(out, r)
			if i+1 < len(rs) && r != ' ' && rs[i+1] != ' ' && isJoining(r) && rng.IntN(3) == 0 {
				if rng.IntN(2) == 0 {
					out = append(out, '\u0640') // tatweel
				} else {
					out = append(out, []rune{'\u064E', '\u064F', '\u0650', '\u0651'}[rng.IntN(4)])
				}
				added = true
			}
		}
		return string(out), added
	}},
	{"no-article", func(s string, _ *rand.Rand) (string, bool) {
		fs := strings.Fields(s)
		changed := false
		for i, f := range fs {
			if strings.HasPrefix(f, "ال") && len([]rune(f)) > 3 && f != "الله" {
				fs[i] = strings.TrimPrefix(f, "ال")
				changed = true
			}
		}
		return strings.Join(fs, " "), changed
	}},
	{"abd-joined-split", func(s string, _ *rand.Rand) (string, bool) {
		if strings.Contains(s, "عبد ال") {
			return strings.ReplaceAll(s, "عبد ال", "عبدال"), true
		}
		if strings.Contains(s, "عبدال") {
			return strings.ReplaceAll(s, "عبدال", "عبد ال"), true
		}
		return "", false
	}},
}

// replaceAny applies the first replacer that changes s, else the second.
func replaceAny(s string, a, b interface{ Replace(string) string }) (string, bool) {
	if o := a.Replace(s); o != s {
		return o, true
	}
	if o := b.Replace(s); o != s {
		return o, true
	}
	return "", false
}

type endsRep struct{ from, to string }

// endsReplacer replaces from at the end of each word.
func endsReplacer(from, to string) endsRep { return endsRep{from, to} }

func (e endsRep) Replace(s string) string {
	fs := strings.Fields(s)
	for i, f := range fs {
		if strings.HasSuffix(f, e.from) && len([]rune(f)) > 2 {
			fs[i] = strings.TrimSuffix(f, e.from) + e.to
		}
	}
	return strings.Join(fs, " ")
}

// isJoining reports Arabic letters that connect to the next one.
func isJoining(r rune) bool {
	if r < 0x0620 || r > 0x064A {
		return false
	}
	switch r {
	case 'ا', 'أ', 'إ', 'آ', 'د', 'ذ', 'ر', 'ز', 'و', 'ؤ', 'ة', 'ى', 'ء':
		return false
	}
	return true
}

func isArabicScript(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}
