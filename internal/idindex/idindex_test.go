package idindex_test

import (
	"context"
	"strings"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/idindex"
	"concord/internal/idindex/idtest"
	"concord/internal/importer/payment"
	"concord/internal/store"
)

func open(t *testing.T) (*store.DB, *idindex.Index) {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.LoadCoalition(ctx, &concord.Coalition{
		Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}, {ID: "fr", Country: "FR", Name: "France"}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := idtest.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	ix, err := idindex.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return db, ix
}

// TestIndex runs on one store (loading the UN list is the slow part): the
// look-ups of the system view, then a member's contribution through the
// viewer's filter and Refresh.
func TestIndex(t *testing.T) {
	db, ix := open(t)
	t.Run("MatchAll", func(t *testing.T) { testMatchAll(t, ix) })
	t.Run("Snapshot", func(t *testing.T) { testSnapshot(t, db, ix) })
	t.Run("ViewerAndRefresh", func(t *testing.T) { testViewerAndRefresh(t, db, ix) })
}

func testMatchAll(t *testing.T, ix *idindex.Index) {
	ctx := context.Background()
	tests := []struct {
		id      payment.Ident
		entity  string
		feature string
		score   float64
	}{
		{payment.Ident{Kind: payment.IdentIBAN, Value: "IQ86RAFB123000000472910"}, "un-QDi.277", "identifier.iban", 1},
		{payment.Ident{Kind: payment.IdentAccount, Value: "0012345678001"}, "un-QDe.137", "identifier.account", 1},
		{payment.Ident{Kind: payment.IdentBIC, Value: "AIIFIQBA"}, "ofac-24545", "identifier.bic", 1},
		{payment.Ident{Kind: payment.IdentBIC, Value: "BKMTIRTH123"}, "ofac-25019", "identifier.bic", 1},
		{payment.Ident{Kind: payment.IdentWallet, Value: "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"}, "ofac-25308", "identifier.wallet", 1},
		{payment.Ident{Kind: payment.IdentWallet, Value: "1JREJdZupiFhE7ZzQPtASuMCvvpXC7wRsC"}, "ofac-25308", "identifier.wallet", 1}, // an "alt." address
		{payment.Ident{Kind: payment.IdentID, Value: "421002197703250019"}, "ofac-25308", "identifier.idNumber", 1},
	}
	for _, tt := range tests {
		ms, err := ix.MatchAll(ctx, []payment.Ident{tt.id})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].EntityID != tt.entity || ms[0].Score != tt.score || ms[0].Explanation[0].Feature != tt.feature {
			t.Errorf("%v: %+v", tt.id, ms)
			continue
		}
		if len(ms[0].Refs) == 0 || ms[0].Caption == "" {
			t.Errorf("%v: no refs or caption: %+v", tt.id, ms[0])
		}
	}
	for _, id := range []payment.Ident{
		{Kind: payment.IdentWallet, Value: "12qtd5bfwrsdnsazy76uve1xycgntojh9h"}, // base58 is case-sensitive
		{Kind: payment.IdentIBAN, Value: "DE89370400440532013000"},
		{Kind: payment.IdentBIC, Value: "COBADEFF"},
		{Kind: payment.IdentID, Value: "2904"}, // too short to compare
	} {
		if ms, _ := ix.MatchAll(ctx, []payment.Ident{id}); len(ms) != 0 {
			t.Errorf("%v matched %+v", id, ms)
		}
	}
	ms, _ := ix.MatchAll(ctx, []payment.Ident{{Kind: payment.IdentIBAN, Value: "IQ86RAFB123000000472910"}})
	if e := ms[0].Explanation[0]; !strings.Contains(e.Candidate, "BankAccount fiu-acct-1") {
		t.Errorf("explanation %+v", e)
	}
}

func testViewerAndRefresh(t *testing.T, db *store.DB, ix *idindex.Index) {
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "es-user", Member: "es"})
	acct := concord.NewEntity("es-acct-9", "BankAccount")
	acct.Add("holder", "un-QDi.278")
	acct.Add("iban", "DE02120300000000202051")
	p := concord.Provenance{Dataset: "member-es", SourceRef: "es:acct-9", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber}
	if err := db.Contribute(ctx, acct.Statements(p)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Refresh(ctx, acct.ID); err != nil {
		t.Fatal(err)
	}
	q := []payment.Ident{{Kind: payment.IdentIBAN, Value: "DE02120300000000202051"}}
	es := access.Viewer{User: "es-user", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
	fr := access.Viewer{User: "fr-user", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst}}
	if ms, err := ix.Match(ctx, es, q); err != nil || len(ms) != 1 || ms[0].EntityID != "un-QDi.278" {
		t.Errorf("es: %+v, %v", ms, err)
	}
	if ms, err := ix.Match(ctx, fr, q); err != nil || len(ms) != 0 {
		t.Errorf("fr sees a hidden account: %+v, %v", ms, err)
	}
	if _, err := ix.Match(ctx, access.Viewer{User: "x", Member: "fr"}, q); concord.ErrorCode(err) != concord.EFORBIDDEN {
		t.Errorf("no role: %v", err)
	}
	ids, err := db.Statements(ctx, concord.System, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sids []string
	for _, s := range ids {
		sids = append(sids, s.ID)
	}
	if err := db.Retract(ctx, "es", sids); err != nil {
		t.Fatal(err)
	}
	if err := ix.Refresh(ctx, acct.ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := ix.MatchAll(ctx, q); len(ms) != 0 {
		t.Errorf("retracted account still found: %+v", ms)
	}
}

func BenchmarkMatchAllMiss(b *testing.B) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := idtest.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	ix, err := idindex.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	q := []payment.Ident{{Kind: payment.IdentIBAN, Value: "DE89370400440532013000"}, {Kind: payment.IdentBIC, Value: "COBADEFF"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.MatchAll(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
