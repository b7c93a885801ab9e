package score

import (
	"math/rand/v2"
	"testing"
)

// editCostRef is editCost as it was before its tables: every cell asks
// subCost, indelCost and isVowelByte, and applies the first letter's rules
// itself. It is the reference the tables must equal to the bit.
func editCostRef(a, b []byte) (float64, bool) {
	la, lb := len(a), len(b)
	if la > 32 || lb > 32 {
		a, b = a[:min(la, 32)], b[:min(lb, 32)]
		la, lb = len(a), len(b)
	}
	var rows [3][33]float64
	var hrows [3][33]bool
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	hp2, hp, hc := &hrows[0], &hrows[1], &hrows[2]
	for j := 1; j <= lb; j++ {
		prev[j] = prev[j-1] + indelCost(b[j-1]) + first(j-1)
		hp[j] = hp[j-1] || indelCost(b[j-1]) == 1
	}
	for i := 1; i <= la; i++ {
		cur[0] = prev[0] + indelCost(a[i-1]) + first(i-1)
		hc[0] = hp[0] || indelCost(a[i-1]) == 1
		for j := 1; j <= lb; j++ {
			sc := subCost(a[i-1], b[j-1])
			if sc == 0.7 && (i == 1 || j == 1) {
				sc = 1 // ā as o is cheap inside a name, not as its first letter (Omar/Amar)
			}
			fp := 0.0
			if sc == 1 && (i == 1 || j == 1) {
				fp = 0.5 // another first letter (a class variant is not: Gaddafi/Qadhafi)
			}
			best, h := prev[j-1]+sc+fp, hp[j-1] || sc == 1 && !(isVowelByte(a[i-1]) && isVowelByte(b[j-1]))
			if v := prev[j] + indelCost(a[i-1]) + first(i-1); v < best {
				best, h = v, hp[j] || indelCost(a[i-1]) == 1
			}
			if v := cur[j-1] + indelCost(b[j-1]) + first(j-1); v < best {
				best, h = v, hc[j-1] || indelCost(b[j-1]) == 1
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] && a[i-1] != a[i-2] {
				if v := prev2[j-2] + 1; v < best {
					best, h = v, true
				}
			}
			cur[j], hc[j] = best, h
		}
		prev2, prev, cur = prev, cur, prev2
		hp2, hp, hc = hp, hc, hp2
	}
	return prev[lb], hp[lb]
}

func first(i int) float64 {
	if i == 0 {
		return 0.5
	}
	return 0
}

// symbols are the bytes phonetic spellings are made of, and a few that
// canonical parts copied by letters may hold.
const symbols = "abcdefghijklmnopqrstuvwxyzSCTDGY'-0"

// randomSpelling is a spelling of 0..n symbols; rarely a byte of any value.
func randomSpelling(rng *rand.Rand, n int) []byte {
	s := make([]byte, rng.IntN(n+1))
	for i := range s {
		if rng.IntN(50) == 0 {
			s[i] = byte(rng.IntN(256))
		} else {
			s[i] = symbols[rng.IntN(len(symbols))]
		}
	}
	return s
}

// variant edits a few symbols of s (a change, an insertion, a deletion, two
// neighbours swapped), as the spellings editCost meets are near each other.
func variant(rng *rand.Rand, s []byte) []byte {
	v := append([]byte(nil), s...)
	for k := rng.IntN(4); k > 0; k-- {
		i := 0
		if len(v) > 0 {
			i = rng.IntN(len(v))
		}
		c := symbols[rng.IntN(len(symbols))]
		switch op := rng.IntN(4); {
		case op == 0 && len(v) > 0:
			v[i] = c
		case op == 1:
			v = append(v[:i], append([]byte{c}, v[i:]...)...)
		case op == 2 && len(v) > 0:
			v = append(v[:i], v[i+1:]...)
		case op == 3 && i+1 < len(v):
			v[i], v[i+1] = v[i+1], v[i]
		}
	}
	return v
}

func TestEditCostTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 7))
	check := func(a, b []byte) {
		t.Helper()
		got, gotHard := editCost(a, b)
		want, wantHard := editCostRef(a, b)
		if got != want || gotHard != wantHard {
			t.Fatalf("editCost(%q, %q) = %v, %v; the reference says %v, %v", a, b, got, gotHard, want, wantHard)
		}
	}
	for n := 0; n < 200_000; n++ {
		max := 12
		if n%20 == 0 {
			max = 40 // over the 32 symbols kept
		}
		a := randomSpelling(rng, max)
		b := variant(rng, a)
		if n%3 == 0 {
			b = randomSpelling(rng, max)
		}
		check(a, b)
	}
	// Every pair of single symbols and of two-symbol spellings: the first
	// row and column, where the tables fold the first letter's rules in.
	for x := 0; x < 256; x++ {
		for y := 0; y < 256; y++ {
			check([]byte{byte(x)}, []byte{byte(y)})
			check([]byte{'a', byte(x)}, []byte{byte(y), 'o'})
		}
	}
}

func FuzzEditCost(f *testing.F) {
	f.Add([]byte("muhamad"), []byte("mehemed"))
	f.Add([]byte("amar"), []byte("omar"))
	f.Add([]byte(""), []byte("x"))
	f.Add([]byte("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop"), []byte("SCTDGY"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		got, gotHard := editCost(a, b)
		want, wantHard := editCostRef(a, b)
		if got != want || gotHard != wantHard {
			t.Fatalf("editCost(%q, %q) = %v, %v; the reference says %v, %v", a, b, got, gotHard, want, wantHard)
		}
	})
}

// editPairs are spellings near each other, as phonSim meets them.
func editPairs() [][2][]byte {
	rng := rand.New(rand.NewPCG(3, 5))
	pairs := make([][2][]byte, 1024)
	for i := range pairs {
		a := randomSpelling(rng, 10)
		for len(a) < 4 {
			a = append(a, symbols[rng.IntN(26)])
		}
		pairs[i] = [2][]byte{a, variant(rng, a)}
	}
	return pairs
}

func BenchmarkEditCost(b *testing.B) {
	pairs := editPairs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pairs[i%len(pairs)]
		editCost(p[0], p[1])
	}
}

func BenchmarkEditCostRef(b *testing.B) {
	pairs := editPairs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pairs[i%len(pairs)]
		editCostRef(p[0], p[1])
	}
}
