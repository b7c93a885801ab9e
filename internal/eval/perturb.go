package eval

import (
	"math/rand/v2"
	"strings"
)

type perturbation struct {
	name string
	fn   func(string, *rand.Rand) (string, bool)
}

// perturbations are general ways names vary between documents; none is
// tuned to a particular record.
var perturbations = []perturbation{
	{"romanisation", romanise},
	{"typo", typo},
	{"reorder", reorder},
	{"drop-part", dropPart},
	{"merge-parts", mergeParts},
	{"no-article", noArticle},
	{"lowercase-punct", punct},
}

// romanisation habits: each pair turns one common spelling of a sound into
// another (English, French, German and Russian-style conventions).
var habits = [][2]string{
	{"ou", "u"}, {"u", "ou"}, {"oo", "u"}, {"ee", "i"}, {"i", "ee"}, {"y", "i"}, {"i", "y"},
	{"j", "dj"}, {"j", "dzh"}, {"dzh", "j"}, {"dj", "j"}, {"sh", "ch"}, {"ch", "sh"}, {"sh", "sch"},
	{"kh", "h"}, {"kh", "x"}, {"q", "k"}, {"k", "q"}, {"w", "ou"}, {"w", "v"}, {"v", "w"},
	{"ss", "s"}, {"s", "ss"}, {"mm", "m"}, {"m", "mm"}, {"dd", "d"}, {"e", "a"}, {"a", "e"},
	{"o", "u"}, {"u", "o"}, {"yu", "iu"}, {"ya", "ia"}, {"zh", "j"}, {"ts", "tz"}, {"x", "ks"},
	{"ph", "f"}, {"gh", "g"}, {"th", "t"}, {"dh", "d"}, {"aa", "a"}, {"ei", "ay"}, {"ai", "ay"},
	{"ie", "i"}, {"'", ""}, {"-", " "}, {"c", "k"},
}

func romanise(name string, rng *rand.Rand) (string, bool) {
	low := strings.ToLower(name)
	var cands [][2]string
	for _, h := range habits {
		if strings.Contains(low, h[0]) {
			cands = append(cands, h)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	out := low
	// Apply one or two habits, each at one occurrence.
	for k := 0; k < 1+rng.IntN(2) && len(cands) > 0; k++ {
		h := cands[rng.IntN(len(cands))]
		idx := indexes(out, h[0])
		if len(idx) == 0 {
			continue
		}
		at := idx[rng.IntN(len(idx))]
		out = out[:at] + h[1] + out[at+len(h[0]):]
	}
	return strings.ToUpper(out[:1]) + out[1:], true
}

func indexes(s, sub string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return out
		}
		out = append(out, i+j)
		i += j + 1
		if i >= len(s) {
			return out
		}
	}
}

// typo makes one keyboard-style edit (substitution, deletion, insertion or
// transposition) inside a part of at least five letters.
func typo(name string, rng *rand.Rand) (string, bool) {
	parts := strings.Fields(name)
	var long []int
	for i, p := range parts {
		if len([]rune(p)) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	i := long[rng.IntN(len(long))]
	r := []rune(parts[i])
	pos := 1 + rng.IntN(len(r)-2)
	letter := rune('a' + rng.IntN(26))
	switch rng.IntN(4) {
	case 0:
		r[pos] = letter
	case 1:
		r = append(r[:pos], r[pos+1:]...)
	case 2:
		r = append(r[:pos], append([]rune{letter}, r[pos:]...)...)
	case 3:
		r[pos], r[pos+1] = r[pos+1], r[pos]
	}
	parts[i] = string(r)
	return strings.Join(parts, " "), true
}

// reorder moves the last part first (family name first, as many documents
// write it) or swaps two parts.
func reorder(name string, rng *rand.Rand) (string, bool) {
	parts := strings.Fields(name)
	if len(parts) < 2 {
		return "", false
	}
	if rng.IntN(2) == 0 {
		parts = append([]string{parts[len(parts)-1]}, parts[:len(parts)-1]...)
	} else {
		i := rng.IntN(len(parts) - 1)
		parts[i], parts[i+1] = parts[i+1], parts[i]
	}
	return strings.Join(parts, " "), true
}

// dropPart drops one middle part of a name of three or more parts.
func dropPart(name string, rng *rand.Rand) (string, bool) {
	parts := strings.Fields(name)
	if len(parts) < 3 {
		return "", false
	}
	i := 1 + rng.IntN(len(parts)-2)
	return strings.Join(append(parts[:i:i], parts[i+1:]...), " "), true
}

// mergeParts joins two adjacent parts (Abdul Rahman → Abdulrahman) or
// splits a long part in two.
func mergeParts(name string, rng *rand.Rand) (string, bool) {
	parts := strings.Fields(name)
	if len(parts) >= 3 || (len(parts) == 2 && rng.IntN(2) == 0) {
		i := rng.IntN(len(parts) - 1)
		merged := parts[i] + strings.ToLower(parts[i+1])
		return strings.Join(append(append(parts[:i:i], merged), parts[i+2:]...), " "), true
	}
	for i, p := range parts {
		if r := []rune(p); len(r) >= 8 {
			at := len(r) / 2
			parts[i] = string(r[:at]) + " " + string(r[at:])
			return strings.Join(parts, " "), true
		}
	}
	return "", false
}

// noArticle drops or detaches Arabic articles and linking particles.
func noArticle(name string, rng *rand.Rand) (string, bool) {
	low := strings.ToLower(name)
	for _, a := range []string{"al-", "el-", "ad-", "ash-", "as-", "ar-", "at-", "an-", "az-"} {
		if strings.Contains(low, a) {
			repl := []string{"", "al ", "el "}[rng.IntN(3)]
			return strings.ReplaceAll(low, a, repl), true
		}
	}
	return "", false
}

// punct strips punctuation and case.
func punct(name string, _ *rand.Rand) (string, bool) {
	out := strings.Map(func(r rune) rune {
		switch r {
		case '-', '\'', '.', ',', '’', '`':
			return ' '
		}
		return r
	}, strings.ToLower(name))
	out = strings.Join(strings.Fields(out), " ")
	return out, out != strings.ToLower(name)
}
