package index

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	ix := New()
	a := ix.Key("mhmt")
	if ix.Key("mhmt") != a {
		t.Fatal("key not stable")
	}
	ix.AddExact(a, 1)
	ix.AddExact(a, 1)
	ix.AddExact(a, 5)
	ix.AddNear(a, 3)
	if got := ix.Exact(a); len(got) != 2 || got[1] != 5 {
		t.Fatalf("exact %v", got)
	}
	if id, ok := ix.Lookup([]byte("mhmt")); !ok || id != a {
		t.Fatal("lookup")
	}
	if _, ok := ix.Lookup([]byte("x")); ok {
		t.Fatal("lookup absent")
	}
	if !Contains(ix.Exact(a), 5) || Contains(ix.Exact(a), 4) || ix.Postings() != 3 {
		t.Fatal("contains/postings")
	}
	in := NewInterner()
	s1 := in.Bytes([]byte("abc"))
	if s2 := in.String("abc"); s2 != s1 {
		t.Fatal("intern")
	}
}

// The key table finds every key and nothing else as it grows, after a
// snapshot too, and a look-up allocates nothing.
func TestKeyTable(t *testing.T) {
	ix := New()
	const n = 5000
	key := func(i int) string { return fmt.Sprint("k", i*7919%100003) }
	for i := range n {
		if id := ix.Key(key(i)); id != uint32(i) {
			t.Fatalf("key %d got id %d", i, id)
		}
		ix.AddExact(uint32(i), uint32(i))
	}
	var buf bytes.Buffer
	e := NewEncoder(&buf, "t")
	ix.Encode(e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	d, err := NewDecoder(bytes.NewReader(buf.Bytes()), "t")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	for name, x := range map[string]*Index{"built": ix, "decoded": got} {
		for i := range n {
			if id, ok := x.Lookup([]byte(key(i))); !ok || id != uint32(i) {
				t.Fatalf("%s: %q: %d %v", name, key(i), id, ok)
			}
			if id, ok := x.Find(key(i)); !ok || id != uint32(i) {
				t.Fatalf("%s: Find %q: %d %v", name, key(i), id, ok)
			}
		}
		for _, k := range []string{"", "k", "k100003", "x1", "k0 "} {
			if _, ok := x.Find(k); ok {
				t.Errorf("%s: found %q", name, k)
			}
		}
		b := []byte(key(17))
		if a := testing.AllocsPerRun(100, func() { x.Lookup(b) }); a != 0 {
			t.Errorf("%s: Lookup allocates %v times", name, a)
		}
	}
	// The decoded index keeps growing.
	if id := got.Key("new"); id != n || got.Key(key(3)) != 3 {
		t.Fatal("decoded index does not grow")
	}
	for i := range n {
		if id, ok := got.Find(key(i)); !ok || id != uint32(i) {
			t.Fatalf("after growing: %q: %d %v", key(i), id, ok)
		}
	}
}

// A key table that names a key twice, or an id beyond the keys, is refused.
func TestKeyTableCorrupt(t *testing.T) {
	build := func(mutate func(*Index)) []byte {
		ix := New()
		for _, k := range []string{"a", "b", "c"} {
			ix.Key(k)
		}
		mutate(ix)
		var buf bytes.Buffer
		e := NewEncoder(&buf, "t")
		ix.Encode(e)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	slot := func(ix *Index, v uint32) int { return slices.Index(ix.ids.slots, v) }
	cases := map[string]func(*Index){
		"id twice":       func(ix *Index) { ix.ids.slots[slot(ix, 0)] = 1 },
		"id out of keys": func(ix *Index) { ix.ids.slots[slot(ix, 0)] = 9 },
		"a key missing":  func(ix *Index) { ix.ids.slots[slot(ix, 1)] = 0 },
		"table too small": func(ix *Index) {
			ix.ids.slots = ix.ids.slots[:8]
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(build(mutate)), "t")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(d); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
		})
	}
}
