package match

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"testing"

	"concord/match/index"
)

func snapshot(t testing.TB, ix *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := index.NewEncoder(&buf, "test")
	ix.Encode(e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func restore(b []byte) (*Index, error) {
	d, err := index.NewDecoder(bytes.NewReader(b), "test")
	if err != nil {
		return nil, err
	}
	ix, err := DecodeIndex(d)
	if err != nil {
		return nil, err
	}
	return ix, d.Done()
}

// A snapshot answers every query as the index it was taken of, and keeps
// taking changes.
func TestSnapshotRoundTrip(t *testing.T) {
	ix := testIndex()
	ix.Remove("x:3") // a dead slot
	ix.Upsert(Record{ID: "x:2", Schema: "Person", Names: []string{"Mohammed Ali Hassan", "Abu Ali"}, BirthDates: []string{"1970-02"}})
	// Typed parts: legal forms, filiation chains, a FAMILY name, initials.
	ix.Upsert(Record{ID: "x:7", Schema: "Company", Names: []string{"Al Rashid Trading Company LLC", "Rashid Brothers Ltd"}})
	ix.Upsert(Record{ID: "x:8", Schema: "Person", Names: []string{"Abdullah bin Muhammad bin Salih", "KARIMOV, Jamshid A."}})
	// A name in Arabic script only, indexed with its other readings.
	ix.Upsert(Record{ID: "x:10", Schema: "Person", Names: []string{"نور محمد ثاقب"}})
	got, err := restore(snapshot(t, ix))
	if err != nil {
		t.Fatal(err)
	}
	qs := []Query{{Name: "Seif al Adel"}, {Name: "محمد صلاح الدين عبدالحليم زيدان"}, {Name: "Mohamed Zidan", BirthDate: "1963-04-11", DocumentNumber: "A1234567"},
		{Name: "Jamshid Yusupov"}, {Name: "Mohammed Ali", BirthDate: "1970"}, {Name: "Mohamed Ali Karimov"}, {Name: "Abu Ali"},
		{Name: "Al Rashid Trading Co"}, {Name: "Rashid Brothers Limited"}, {Name: "Abdullah ibn Muhammad"}, {Name: "Jamshid Karimov"},
		{Name: "Noor Mohammad Saqib"}, {Name: "نور محمد ثاقب"}}
	opt := Options{Threshold: 0.3, Limit: 20}
	for _, q := range qs {
		if a, b := ix.Match(q, opt), got.Match(q, opt); !reflect.DeepEqual(a, b) {
			t.Errorf("%q:\nindex    %+v\nsnapshot %+v", q.Name, a, b)
		}
	}
	if got.Len() != ix.Len() {
		t.Errorf("Len %d, want %d", got.Len(), ix.Len())
	}
	// What decoding derives (part.jlen) is what building set.
	for i := range ix.slots {
		if a, b := ix.slots[i].names, got.slots[i].names; !ix.slots[i].dead && !reflect.DeepEqual(a, b) {
			t.Errorf("slot %d: names %+v, from the snapshot %+v", i, a, b)
		}
	}
	for _, x := range []*Index{ix, got} {
		x.Upsert(Record{ID: "x:9", Schema: "Person", Names: []string{"Zoltan Kwiatkowski"}})
		x.Remove("x:2")
	}
	for _, q := range append(qs, Query{Name: "Zoltan Kwiatkowski"}) {
		if a, b := ix.Match(q, opt), got.Match(q, opt); !reflect.DeepEqual(a, b) {
			t.Errorf("after changes, %q:\nindex    %+v\nsnapshot %+v", q.Name, a, b)
		}
	}
	if !bytes.Equal(snapshot(t, ix), snapshot(t, got)) {
		t.Error("the snapshots of both differ")
	}
}

// A damaged snapshot is refused, never half read.
func TestSnapshotCorrupt(t *testing.T) {
	b := snapshot(t, testIndex())
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("nope"), b[4:]...),
		"truncated": b[:len(b)/2],
		"no sum":    b[:len(b)-4],
	}
	for _, at := range []int{10, len(b) / 3, len(b) - 6} {
		c := bytes.Clone(b)
		c[at] ^= 0x40
		cases["flipped byte"] = c
		if _, err := restore(c); !errors.Is(err, index.ErrCorrupt) {
			t.Errorf("byte %d flipped: err %v", at, err)
		}
	}
	for name, c := range cases {
		if _, err := restore(c); !errors.Is(err, index.ErrCorrupt) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func FuzzSnapshot(f *testing.F) {
	f.Add(snapshot(f, testIndex()))
	small := NewIndex()
	small.Upsert(Record{ID: "a", Schema: "Person", Names: []string{"Ali Hassan"}, BirthDates: []string{"1970"}})
	f.Add(snapshot(f, small))
	table := crc32.MakeTable(crc32.Castagnoli)
	f.Fuzz(func(t *testing.T, b []byte) {
		// Sign what the fuzzer wrote, so that it gets past the checksum.
		if len(b) > 4 {
			b = binary.LittleEndian.AppendUint32(b[:len(b)-4:len(b)-4], crc32.Checksum(b[:len(b)-4], table))
		}
		ix, err := restore(b)
		if err != nil {
			return
		}
		ix.Match(Query{Name: "Ali Hassan"}, Options{})
	})
}

// The snapshot writes every field of an entry: a field added to entry,
// name or part must be written by encodeEntry and read by DecodeIndex
// (and snapshotVersion bumped), then counted here. part.jlen and
// name.twin are derived from the name's texts and parts on decode, not
// written; part.local and
// part.unknown (and the local strings at the end of entry.vals) are only
// set in entries prepared for one query, never in an indexed one.
func TestSnapshotCoversEntries(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{entry{}, 12}, {name{}, 8}, {part{}, 10}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields, the snapshot writes %d: see encodeEntry", c.v, n, c.want)
		}
	}
}
