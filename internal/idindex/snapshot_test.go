package idindex_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/idindex"
	"concord/internal/importer/payment"
	"concord/internal/store"
	"concord/match"
	"concord/match/index"
)

func encode(t testing.TB, ix *idindex.Index) []byte {
	t.Helper()
	var b bytes.Buffer
	e := index.NewEncoder(&b, "test")
	ix.Encode(e)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func decode(ix *idindex.Index, b []byte) error {
	d, err := index.NewDecoder(bytes.NewReader(b), "test")
	if err != nil {
		return err
	}
	if err := ix.Decode(d); err != nil {
		return err
	}
	return d.Done()
}

// testSnapshot: an index decoded from a snapshot answers every look-up as
// the one it was taken from, for the system and for each viewer (a
// member's account hidden from another stays hidden); a cut snapshot is
// refused and leaves the index as it was.
func testSnapshot(t *testing.T, db *store.DB, ix *idindex.Index) {
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "es-user", Member: "es"})
	acct := concord.NewEntity("es-acct-10", "BankAccount")
	acct.Add("holder", "un-QDi.278")
	acct.Add("iban", "DE75512108001245126199")
	p := concord.Provenance{Dataset: "member-es", SourceRef: "es:acct-10", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber}
	if err := db.Contribute(ctx, acct.Statements(p)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Refresh(ctx, acct.ID); err != nil {
		t.Fatal(err)
	}
	b := encode(t, ix)
	fresh := idindex.Open(db)
	if err := decode(fresh, b); err != nil {
		t.Fatal(err)
	}
	if fresh.Len() != ix.Len() || ix.Len() == 0 {
		t.Fatalf("decoded %d identifiers, want %d", fresh.Len(), ix.Len())
	}
	testMatchAll(t, fresh)
	ids := []payment.Ident{
		{Kind: payment.IdentIBAN, Value: "DE75512108001245126199"}, {Kind: payment.IdentIBAN, Value: "IQ86RAFB123000000472910"},
		{Kind: payment.IdentBIC, Value: "AIIFIQBA"}, {Kind: payment.IdentWallet, Value: "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"},
	}
	for _, v := range []access.Viewer{
		{User: "es-user", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}},
		{User: "fr-user", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst}},
	} {
		want, err := ix.Match(ctx, v, ids)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fresh.Match(ctx, v, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || len(want) < 3 {
			t.Errorf("viewer %s: %+v, want %+v", v.User, got, want)
		}
		if hidden := slices.ContainsFunc(got, func(m match.Match) bool { return strings.Contains(fmt.Sprint(m.Explanation), acct.ID) }); hidden != (v.Member == "es") {
			t.Errorf("viewer %s finds the es account: %v", v.User, hidden)
		}
	}
	before := fresh.Len()
	for _, cut := range []int{10, len(b) / 2, len(b) - 5} {
		if err := decode(fresh, b[:cut]); err == nil {
			t.Errorf("a snapshot cut at %d of %d bytes decodes", cut, len(b))
		}
	}
	if fresh.Len() != before {
		t.Errorf("a cut snapshot changed the index: %d identifiers, want %d", fresh.Len(), before)
	}
	bad := bytes.Clone(b)
	bad[len(bad)/2] ^= 0xff
	if err := decode(idindex.Open(db), bad); err == nil {
		t.Error("a damaged snapshot decodes")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encode(f, idindex.Open(nil)))
	var b bytes.Buffer
	e := index.NewEncoder(&b, "test")
	e.Uvarint(1)
	e.String("account")
	e.String("DE89370400440532013000")
	e.Uvarint(1)
	e.String("acct-1")
	e.String("iban")
	e.String("DE89 3704 0044 0532 0130 00")
	if err := e.Close(); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		ix := idindex.Open(nil)
		d, err := index.NewDecoder(bytes.NewReader(b), "test")
		if err != nil {
			return
		}
		if err := ix.Decode(d); err != nil {
			if ix.Len() != 0 {
				t.Fatalf("a snapshot that does not decode left %d identifiers", ix.Len())
			}
			return
		}
		_ = encode(t, ix) // what decodes encodes again
	})
}
