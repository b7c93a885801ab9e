package index

import "testing"

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
