package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// perturb rewrites a Latin name the way other romanisation habits, typists
// and manifests do. Perturbations are generic, never record-specific.
func perturb(rng *rand.Rand, name string) (string, string) {
	words := strings.Fields(name)
	switch k := rng.IntN(9); k {
	case 0: // vowel habit
		r := strings.NewReplacer("ou", "u", "u", "ou", "e", "i", "i", "e", "o", "u", "a", "e")
		return r.Replace(strings.ToLower(name)), "vowels"
	case 1: // consonant habit
		r := strings.NewReplacer("q", "k", "j", "dj", "sh", "ch", "kh", "h", "y", "i", "mm", "m", "ss", "s", "dh", "z")
		return r.Replace(strings.ToLower(name)), "consonants"
	case 2: // reorder
		if len(words) > 1 {
			slices.Reverse(words)
		}
		return strings.Join(words, " "), "reorder"
	case 3: // drop a middle token
		if len(words) >= 3 {
			i := 1 + rng.IntN(len(words)-2)
			words = slices.Delete(words, i, i+1)
		}
		return strings.Join(words, " "), "drop"
	case 4: // merge two tokens
		if len(words) >= 2 {
			i := rng.IntN(len(words) - 1)
			words[i] += words[i+1]
			words = slices.Delete(words, i+1, i+2)
		}
		return strings.Join(words, " "), "merge"
	case 5: // one typo in a long word
		b := []byte(name)
		for tries := 0; tries < 10; tries++ {
			i := rng.IntN(len(b))
			if b[i] >= 'A' && b[i] <= 'z' && i > 0 {
				b[i] = 'a' + byte(rng.IntN(26))
				break
			}
		}
		return string(b), "typo"
	case 6: // upper-case, punctuation
		return strings.ToUpper(strings.ReplaceAll(name, " ", "-")), "punct"
	case 7: // transposition
		b := []byte(name)
		if len(b) > 4 {
			i := 1 + rng.IntN(len(b)-3)
			b[i], b[i+1] = b[i+1], b[i]
		}
		return string(b), "transpose"
	default:
		return name, "alias"
	}
}

type evalSet struct {
	name        string
	n, at1, at5 int
	fails       []string
}

func (s *evalSet) add(ix *Index, q Query, want string) {
	s.n++
	ms := ix.Match(q, Options{Limit: 5})
	for i, m := range ms {
		if m.EntityID == want {
			// The same person is on several lists (UN and OFAC) and the
			// importer merges them; a tie with the top score counts.
			if i == 0 || m.Score == ms[0].Score {
				s.at1++
			}
			s.at5++
			return
		}
	}
	if len(s.fails) < 15 {
		got := ""
		if len(ms) > 0 {
			got = fmt.Sprintf("%s %.3f", ms[0].Caption, ms[0].Score)
		} else if all := ix.Match(q, Options{Limit: 3, Threshold: 0.01}); len(all) > 0 {
			for _, m := range all {
				got += fmt.Sprintf("[%s %s %.3f] ", m.EntityID, m.Caption, m.Score)
			}
		}
		s.fails = append(s.fails, fmt.Sprintf("%q want %s got %s", q.Name, want, got))
	}
}

func (s *evalSet) report(t *testing.T) float64 {
	r1 := float64(s.at1) / float64(max(1, s.n))
	t.Logf("%-16s n=%5d recall@1=%.4f recall@5=%.4f", s.name, s.n, r1, float64(s.at5)/float64(max(1, s.n)))
	if testing.Verbose() && os.Getenv("EVAL_FAILS") != "" {
		for _, f := range s.fails {
			t.Log("  miss:", f)
		}
	}
	return r1
}

// TestEvalLists measures recall and false positives on the shared UN and
// OFAC lists (skipped when absent).
func TestEvalLists(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	un := loadUN(t)
	ofac := loadOFAC(t)
	all := append(slices.Clone(un), ofac...)
	start := time.Now()
	ix := Build(func(yield func(Record) bool) {
		for _, r := range all {
			if !yield(r.Record) { // original-script names left out on purpose
				return
			}
		}
	})
	t.Logf("build: %d records in %v", ix.Len(), time.Since(start))

	// Under the race detector the measurement samples one record in
	// eight (and as many travellers): it checks no concurrency.
	stride, nTrav := 1, 20000
	if raceEnabled {
		stride, nTrav = 8, 2500
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alias := &evalSet{name: "latin-alias"}
	variant := &evalSet{name: "latin-variant"}
	orig := &evalSet{name: "original-script"}
	for i, r := range un {
		if i%stride != 0 {
			continue
		}
		for _, n := range append(slices.Clone(r.Names), r.WeakNames...) {
			alias.add(ix, Query{Name: n}, r.ID)
			p, _ := perturb(rng, n)
			variant.add(ix, Query{Name: p, Schema: r.Schema}, r.ID)
		}
		for _, n := range r.Original {
			orig.add(ix, Query{Name: n}, r.ID)
		}
	}
	for i, r := range ofac {
		if i%(5*stride) != 0 || r.Schema != "Person" {
			continue
		}
		for _, n := range r.Names {
			p, _ := perturb(rng, n)
			variant.add(ix, Query{Name: p, Schema: r.Schema}, r.ID)
		}
	}
	alias.report(t)
	variant.report(t)
	orig.report(t)

	given, family := travellers(t)
	locales := make([]string, 0, len(given))
	for l := range given {
		if len(family[l]) > 0 {
			locales = append(locales, l)
		}
	}
	slices.Sort(locales)
	fp, n := 0, 0
	var fps []string
	var qs []Query
	for i := 0; i < nTrav; i++ {
		l := locales[rng.IntN(len(locales))]
		g, f := given[l], family[l]
		name := g[rng.IntN(len(g))] + " " + f[rng.IntN(len(f))]
		if rng.IntN(3) == 0 {
			name = g[rng.IntN(len(g))] + " " + name
		}
		q := Query{Name: name, BirthDate: fmt.Sprintf("%04d-%02d-%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28)), Schema: "Person"}
		qs = append(qs, q)
		n++
		if ms := ix.Match(q, Options{}); len(ms) > 0 {
			fp++
			if len(fps) < 20 {
				fps = append(fps, fmt.Sprintf("%s %s -> %s (%s) %.3f", l, name, ms[0].Caption, ms[0].EntityID, ms[0].Score))
			}
		}
	}
	t.Logf("negatives: n=%d false positives=%d rate=%.4f", n, fp, float64(fp)/float64(n))
	if os.Getenv("EVAL_FAILS") != "" {
		for _, f := range fps {
			t.Log("  fp:", f)
		}
	}
	start = time.Now()
	for _, q := range qs {
		ix.Match(q, Options{})
	}
	el := time.Since(start)
	t.Logf("single-thread negatives: %.0f q/s", float64(len(qs))/el.Seconds())
}
