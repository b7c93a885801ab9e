package graph

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
)

// codec is a test encoder and decoder: numbers as uvarints, strings
// length-prefixed, in one byte slice.
type codec struct{ b []byte }

func (c *codec) Uvarint(x uint64) { c.b = binary.AppendUvarint(c.b, x) }
func (c *codec) String(s string)  { c.Uvarint(uint64(len(s))); c.b = append(c.b, s...) }

type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("short")

func (r *reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) String() string {
	n := r.Uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) Err() error { return r.err }

func encode(ix *Index) []byte {
	var c codec
	ix.Encode(&c)
	return c.b
}

// unIndex is the network of the bundled UN list, the small world's
// member records and synthetic people linked to listed entities under
// three audiences.
func unIndex(t testing.TB) *Index {
	t.Helper()
	var recs []importer.Record
	if _, err := unxml.Read(seed.UNList(), "un.xml", func(r importer.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	bt := importer.Batch("un", "1", "un", recs, concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear})
	by := map[string][]concord.Statement{}
	var order []string
	for _, s := range bt.Statements {
		if _, ok := by[s.EntityID]; !ok {
			order = append(order, s.EntityID)
		}
		by[s.EntityID] = append(by[s.EntityID], s)
	}
	ix := build(world())
	var listed []string
	for _, id := range order {
		ix.Add(by[id])
		if listable[by[id][0].Schema] {
			listed = append(listed, id)
		}
	}
	synthetic(ix, listed, 300, 600)
	return ix
}

// A decoded index is the index that was encoded, and answers every viewer
// alike.
func TestSnapshotRoundTrip(t *testing.T) {
	for name, ix := range map[string]*Index{"empty": NewIndex(), "world": build(world()), "un": unIndex(t)} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeIndex(&reader{b: encode(ix)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, ix) {
				t.Fatalf("decoded index differs")
			}
			for _, f := range []concord.Filter{esView, concord.System, {Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}} {
				a, b := got.View(f), ix.View(f)
				for _, n := range ix.nodes {
					na, _ := a.Neighbourhood(n.id, 2, 100)
					nb, _ := b.Neighbourhood(n.id, 2, 100)
					if !reflect.DeepEqual(na, nb) {
						t.Fatalf("neighbourhood of %s differs", n.id)
					}
				}
			}
		})
	}
}

// A damaged or cut snapshot is refused.
func TestSnapshotCorrupt(t *testing.T) {
	good := encode(build(world()))
	for _, cut := range []int{0, 1, len(good) / 3, len(good) / 2, len(good) - 1} {
		if _, err := DecodeIndex(&reader{b: good[:cut]}); err == nil {
			t.Errorf("a snapshot cut at %d of %d bytes decodes", cut, len(good))
		}
	}
	// A reference out of range: the edges' count far beyond the nodes'.
	var c codec
	c.Uvarint(0) // no visibility
	c.Uvarint(1) // one node
	c.String("n")
	c.String("Person")
	for range 4 { // schemas, vis, listed, names
		c.Uvarint(0)
	}
	c.Uvarint(0) // refs
	c.Uvarint(1) // one edge at the node
	c.Uvarint(7) // ... number 7
	c.Uvarint(0) // values
	c.Uvarint(0) // no edge at all
	c.Uvarint(0) // no shared value
	_, err := DecodeIndex(&reader{b: c.b})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("an edge that is not there: %v", err)
	}
}

func FuzzDecodeIndex(f *testing.F) {
	f.Add(encode(NewIndex()))
	f.Add(encode(build(world())))
	f.Add([]byte{1, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		ix, err := DecodeIndex(&reader{b: b})
		if err != nil {
			return
		}
		// What decodes can be viewed and walked without a panic.
		v := ix.View(esView)
		for _, n := range ix.nodes {
			_, _ = v.Neighbourhood(n.id, 2, 10)
		}
	})
}
