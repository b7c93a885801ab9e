package mediabank_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"concord/access"
	"concord/internal/mediabank"
	"concord/match/index"
	"concord/media/pdq"
)

// checkSnapshot: a bank decoded from a snapshot of bank answers each
// viewer's lookups (by hash and by digest) as bank does; a cut snapshot
// is refused.
func checkSnapshot(t *testing.T, ctx context.Context, st mediabank.Store, bank *mediabank.Bank, q pdq.Hash, o mediabank.Options) {
	t.Helper()
	var b bytes.Buffer
	e := index.NewEncoder(&b, "test")
	bank.Encode(e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	decode := func(into *mediabank.Bank, data []byte) error {
		d, err := index.NewDecoder(bytes.NewReader(data), "test")
		if err != nil {
			return err
		}
		if err := into.Decode(d); err != nil {
			return err
		}
		return d.Done()
	}
	fresh := mediabank.Open(st)
	if err := decode(fresh, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if fresh.Len() != bank.Len() {
		t.Fatalf("decoded %d hashes, want %d", fresh.Len(), bank.Len())
	}
	for _, v := range []access.Viewer{uz, es} {
		want, err := bank.Match(ctx, v, q, o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fresh.Match(ctx, v, q, o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s from the snapshot: %+v, want %+v", v.Member, got, want)
		}
		dq := mediabank.Query{MD5: strings.Repeat("ab", 16)}
		wantMD5, _ := bank.Lookup(ctx, v, dq, o)
		gotMD5, _ := fresh.Lookup(ctx, v, dq, o)
		if !reflect.DeepEqual(gotMD5, wantMD5) || len(wantMD5) != 1 {
			t.Errorf("%s digest from the snapshot: %+v, want %+v", v.Member, gotMD5, wantMD5)
		}
	}
	for _, cut := range []int{10, b.Len() / 2, b.Len() - 5} {
		if err := decode(mediabank.Open(st), b.Bytes()[:cut]); err == nil {
			t.Errorf("a snapshot cut at %d of %d bytes decodes", cut, b.Len())
		}
	}
}

func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	e := index.NewEncoder(&b, "test")
	e.Uvarint(1)
	e.String("media-x")
	e.Uvarint(1)
	e.String(strings.Repeat("\x01", 32))
	e.Uvarint(1)
	e.String("md5:" + strings.Repeat("ab", 16))
	if err := e.Close(); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte("test\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := index.NewDecoder(bytes.NewReader(data), "test")
		if err != nil {
			return
		}
		bank := mediabank.Open(nil)
		if err := bank.Decode(d); err != nil {
			if bank.Len() != 0 {
				t.Fatalf("a snapshot that does not decode left %d hashes", bank.Len())
			}
			return
		}
		var out bytes.Buffer
		bank.Encode(index.NewEncoder(&out, "test")) // what decodes encodes again
	})
}
