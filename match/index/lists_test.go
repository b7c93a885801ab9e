package index

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The posting lists read the same whatever form they are in: written as a
// build writes them, frozen, grown after freezing (a frozen list copied
// before it changes, new keys after the frozen ones), and decoded from a
// snapshot of any of these; a model of plain slices says what they hold.
func TestListsForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix := New()
	type model struct{ exact, near, src [][]uint32 }
	var m model
	key := func(i int) uint32 {
		id := ix.Key(fmt.Sprint("k", i))
		for int(id) >= len(m.exact) {
			m.exact, m.near, m.src = append(m.exact, nil), append(m.near, nil), append(m.src, nil)
		}
		return id
	}
	doc := uint32(0)
	write := func(docs int) {
		for range docs {
			doc++
			for range 1 + rng.IntN(4) {
				k := key(rng.IntN(3 * postingsGroup))
				ix.AddExact(k, doc)
				ix.AddExact(k, doc) // repeats are ignored
				if p := m.exact[k]; len(p) == 0 || p[len(p)-1] != doc {
					m.exact[k] = append(m.exact[k], doc)
				}
				if rng.IntN(10) == 0 {
					d := key(rng.IntN(3 * postingsGroup))
					ix.AddNear(d, doc)
					if p := m.near[d]; len(p) == 0 || p[len(p)-1] != doc {
						m.near[d] = append(m.near[d], doc)
					}
					ix.AddSource(d, k)
					m.src[d] = append(m.src[d], k)
				}
			}
		}
	}
	check := func(stage string, x *Index) {
		t.Helper()
		if x.Keys() != len(m.exact) {
			t.Fatalf("%s: %d keys, want %d", stage, x.Keys(), len(m.exact))
		}
		postings := 0
		for k := range uint32(x.Keys()) {
			for _, c := range []struct {
				what      string
				got, want []uint32
			}{{"exact", x.Exact(k), m.exact[k]}, {"near", x.Near(k), m.near[k]}, {"sources", x.Sources(k), m.src[k]}} {
				if !slices.Equal(c.got, c.want) {
					t.Fatalf("%s: key %d %s %v, want %v", stage, k, c.what, c.got, c.want)
				}
			}
			postings += len(m.exact[k]) + len(m.near[k])
		}
		if x.Postings() != postings {
			t.Fatalf("%s: %d postings, want %d", stage, x.Postings(), postings)
		}
		if err := x.Check(int(doc) + 1); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		var buf bytes.Buffer
		e := NewEncoder(&buf, "t")
		x.Encode(e)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		d, err := NewDecoder(bytes.NewReader(buf.Bytes()), "t")
		if err != nil {
			t.Fatal(err)
		}
		y, err := Decode(d)
		if err != nil {
			t.Fatalf("%s: decode: %v", stage, err)
		}
		for k := range uint32(x.Keys()) {
			if !slices.Equal(y.Exact(k), m.exact[k]) || !slices.Equal(y.Near(k), m.near[k]) || !slices.Equal(y.Sources(k), m.src[k]) {
				t.Fatalf("%s: decoded key %d differs", stage, k)
			}
		}
	}
	write(2000)
	check("built", ix)
	ix.Freeze()
	if ix.exact.own != nil || ix.near.mine != nil {
		t.Fatal("frozen lists kept their slices")
	}
	check("frozen", ix)
	write(500) // into frozen lists and new keys
	check("grown after freezing", ix)
	ix.Freeze()
	check("frozen again", ix)
	// A list handed out before a change stays as it was.
	k := key(0)
	before := slices.Clone(ix.Exact(k))
	held := ix.Exact(k)
	doc++
	ix.AddExact(k, doc)
	m.exact[k] = append(m.exact[k], doc)
	if !slices.Equal(held, before) {
		t.Fatal("a frozen list changed under its reader")
	}
	check("after one more", ix)
}
