package index

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"

	"concord/media/pdq"
)

func randomHash(r *rand.Rand) pdq.Hash {
	return pdq.Hash{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
}

// flip returns h with n distinct random bits flipped.
func flip(r *rand.Rand, h pdq.Hash, n int) pdq.Hash {
	for _, k := range r.Perm(256)[:n] {
		h[k/64] ^= 1 << (k % 64)
	}
	return h
}

// corpus is random hashes plus, for each query, neighbours at every
// distance up to 70, so that every radius has matches to find.
func corpus(r *rand.Rand, n, queries int) ([]pdq.Hash, []pdq.Hash) {
	hs := make([]pdq.Hash, 0, n+queries*72)
	for range n {
		hs = append(hs, randomHash(r))
	}
	qs := make([]pdq.Hash, queries)
	for i := range qs {
		qs[i] = randomHash(r)
		for d := 0; d <= 70; d++ {
			hs = append(hs, flip(r, qs[i], d))
		}
		hs = append(hs, qs[i]) // a duplicate
	}
	r.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
	return hs, qs
}

// TestRecall: the tables find exactly what the brute-force scan finds, at
// every radius from 0 to 63, whatever the number of parts.
func TestRecall(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	hs, qs := corpus(r, 20000, 20)
	for _, parts := range []int{0, 11, 12, 13, 16, 23, 32} {
		x := Build(hs, Options{Parts: parts})
		if x.Stats().Parts == 0 {
			t.Fatal("no tables built")
		}
		for radius := 0; radius <= 63; radius++ {
			for _, q := range qs {
				got := x.Lookup(q, radius, nil)
				want := x.Scan(q, radius, nil)
				if !slices.Equal(got, want) {
					t.Fatalf("parts %d radius %d: %d matches, brute force %d", parts, radius, len(got), len(want))
				}
				if len(want) < radius+2 { // the planted neighbours at least
					t.Fatalf("radius %d: only %d matches", radius, len(want))
				}
			}
		}
	}
}

func TestLookupEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	hs, qs := corpus(r, 5000, 3)
	x := Build(hs, Options{})
	if got := x.Lookup(qs[0], -1, nil); len(got) != 0 {
		t.Errorf("radius -1: %d matches", len(got))
	}
	if got := x.Lookup(qs[0], 300, nil); len(got) != len(hs) {
		t.Errorf("radius 300: %d matches, want all %d", len(got), len(hs))
	}
	got := x.Lookup(qs[0], 10, nil)
	for i, m := range got {
		if h, ok := x.Hash(m.ID); !ok || h.Distance(qs[0]) != m.Distance {
			t.Fatalf("match %+v: wrong distance", m)
		}
		if i > 0 && (got[i-1].Distance > m.Distance || got[i-1].Distance == m.Distance && got[i-1].ID >= m.ID) {
			t.Fatalf("not in order of distance then id: %v", got)
		}
	}
	if got[0].Distance != 0 || got[1].Distance != 0 {
		t.Errorf("the query and its duplicate not first: %v", got[:2])
	}
	// Appends to dst.
	pre := []Match{{ID: 99, Distance: 99}}
	if out := x.Lookup(qs[0], 10, pre); len(out) != len(got)+1 || out[0].ID != 99 {
		t.Errorf("dst not kept")
	}
	if New(Options{}).Lookup(qs[0], 31, nil) != nil {
		t.Error("empty index found something")
	}
}

// TestAddRemove: hashes added after the build (scanned, then tabled by
// the rebuilds Add triggers) and removals are seen by lookups at once.
func TestAddRemove(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	hs, qs := corpus(r, 3000, 10)
	x := New(Options{MinTable: 1000})
	var ids []uint32
	for i := 0; i < len(hs); i += 97 {
		end := min(i+97, len(hs))
		first := x.Add(hs[i:end]...)
		for k := range end - i {
			ids = append(ids, first+uint32(k))
		}
		if i%1000 < 97 {
			check(t, x, qs)
		}
	}
	if x.Len() != len(hs) || x.Stats().Parts == 0 {
		t.Fatalf("stats %v", x.Stats())
	}
	for _, id := range ids {
		if id%3 == 0 {
			if !x.Remove(id) {
				t.Fatalf("remove %d", id)
			}
		}
	}
	if x.Remove(ids[0]) || x.Remove(uint32(len(hs)+5)) {
		t.Error("removed twice, or a missing id")
	}
	if _, ok := x.Hash(ids[0]); ok {
		t.Error("removed hash still there")
	}
	check(t, x, qs)
	x.Rebuild()
	check(t, x, qs)
	if s := x.Stats(); s.Removed != (len(hs)+2)/3 || s.Hashes != len(hs)-s.Removed || s.Tail != 0 {
		t.Errorf("stats %+v", s)
	}
	for _, q := range qs {
		for _, m := range x.Lookup(q, 63, nil) {
			if m.ID%3 == 0 {
				t.Fatalf("removed id %d found", m.ID)
			}
		}
	}
}

func check(t *testing.T, x *Index, qs []pdq.Hash) {
	t.Helper()
	for _, radius := range []int{0, 5, 16, 31, 32, 47, 63} {
		for _, q := range qs {
			if got, want := x.Lookup(q, radius, nil), x.Scan(q, radius, nil); !slices.Equal(got, want) {
				t.Fatalf("%v radius %d: %d matches, brute force %d", x.Stats(), radius, len(got), len(want))
			}
		}
	}
}

// TestConcurrent runs lookups while hashes are added and removed (for the
// race detector), then checks the final state.
func TestConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	hs, qs := corpus(r, 6000, 8)
	x := New(Options{MinTable: 1000})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				x.Lookup(qs[(i+g)%len(qs)], 31, nil)
			}
		}()
	}
	for i := 0; i < len(hs); i += 50 {
		first := x.Add(hs[i:min(i+50, len(hs))]...)
		if i%500 == 0 {
			x.Remove(first)
		}
	}
	close(stop)
	wg.Wait()
	check(t, x, qs)
}

func TestNeighbours(t *testing.T) {
	for _, tt := range []struct {
		w    uint
		t    int
		want int
	}{{16, 0, 1}, {16, 1, 17}, {16, 2, 137}, {21, 3, 1562}, {8, 8, 256}, {32, 1, 33}} {
		seen := map[uint32]bool{}
		neighbours(5, tt.w, tt.t, func(v uint32) {
			if seen[v] || v>>tt.w != 0 && tt.w < 32 {
				t.Fatalf("w=%d t=%d: %x twice or out of range", tt.w, tt.t, v)
			}
			seen[v] = true
		})
		if len(seen) != tt.want {
			t.Errorf("w=%d t=%d: %d values, want %d", tt.w, tt.t, len(seen), tt.want)
		}
	}
}

func TestSub(t *testing.T) {
	h, _ := pdq.Parse("0123456789abcdef" + "fedcba9876543210" + "00000000ffffffff" + "8000000000000001")
	for _, tt := range []struct {
		off, w uint
		want   uint32
	}{{0, 16, 0x0123}, {4, 8, 0x12}, {56, 16, 0xeffe}, {60, 8, 0xff}, {128, 32, 0}, {160, 32, 0xffffffff}, {190, 4, 0xe}, {252, 4, 1}, {250, 6, 1}} {
		if got := sub(&h, tt.off, tt.w); got != tt.want {
			t.Errorf("sub(%d, %d) = %x, want %x", tt.off, tt.w, got, tt.want)
		}
	}
	for _, m := range []int{11, 12, 16, 23, 32} {
		ps := layout(m)
		end := ps[len(ps)-1].off + ps[len(ps)-1].width
		if end != 256 {
			t.Errorf("layout(%d) covers %d bits", m, end)
		}
	}
}

func TestChooseParts(t *testing.T) {
	for _, tt := range []struct{ n, lo, hi int }{{5000, 15, 16}, {100_000, 14, 16}, {1_000_000, 14, 16}, {10_000_000, 12, 15}} {
		if p := ChooseParts(tt.n); p < tt.lo || p > tt.hi {
			t.Errorf("ChooseParts(%d) = %d, want %d..%d", tt.n, p, tt.lo, tt.hi)
		}
	}
}

func readHashes(t testing.TB, path string) []pdq.Hash {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var hs []pdq.Hash
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		h, err := pdq.Parse(sc.Text())
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		hs = append(hs, h)
	}
	return hs
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestNeedlesHaystack is the reference index's regression data: the
// needles matched against the haystack at radius 31, by the tables and by
// brute force, and the matches compared with testdata/needles.golden (one
// line a match: needle line, haystack line, distance).
func TestNeedlesHaystack(t *testing.T) {
	hay := readHashes(t, "../testdata/pdq/haystack.txt")
	needles := readHashes(t, "../testdata/pdq/needles.txt")
	x := Build(hay, Options{MinTable: 1})
	var out bytes.Buffer
	found := 0
	for i, n := range needles {
		got := x.Lookup(n, pdq.DefaultRadius, nil)
		if want := x.Scan(n, pdq.DefaultRadius, nil); !slices.Equal(got, want) {
			t.Fatalf("needle %s: %v, brute force %v", n, got, want)
		}
		if len(got) > 0 {
			found++
		}
		for _, m := range got {
			fmt.Fprintf(&out, "%d %d %d\n", i+1, m.ID+1, m.Distance)
		}
	}
	if found != len(needles) {
		t.Errorf("%d of %d needles found", found, len(needles))
	}
	const golden = "testdata/needles.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("matches differ from %s (go test -update to rewrite)", golden)
	}
}
