package mediabank_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/mediabank"
	"concord/internal/pgtest"
	"concord/internal/store"
	"concord/media/exchange"
	"concord/media/pdq"
)

func backends() []string {
	if pgtest.Available() {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

func openStore(t *testing.T, backend string) concord.Store {
	t.Helper()
	ctx := context.Background()
	var st concord.Store
	var err error
	if backend == "sqlite" {
		st, err = store.OpenSQLite(ctx, t.TempDir(), concord.SystemClock{})
	} else {
		st, err = store.OpenPostgres(ctx, pgtest.URL(t), concord.SystemClock{})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// flip returns h with the first n bits flipped.
func flip(h pdq.Hash, n int) pdq.Hash {
	for k := range n {
		h[k/64] ^= 1 << (k % 64)
	}
	return h
}

var (
	poster, _ = pdq.Parse("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	video, _  = pdq.Parse("e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064")
	uz        = access.Viewer{User: "amina", Member: "uz", Roles: []concord.Role{concord.RoleAnalyst}}
	es        = access.Viewer{User: "lucia", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
)

func importRecords(t *testing.T, ctx context.Context, st concord.Store, bank *mediabank.Bank, v access.Viewer, dataset string, recs []exchange.Record, sh mediabank.Share) *concord.ImportReport {
	t.Helper()
	b, err := mediabank.Batch(v, dataset, "1", "test", recs, sh)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Import(concord.WithActor(ctx, concord.Actor{User: v.User}), b)
	if err != nil {
		t.Fatal(err)
	}
	for _, ids := range [][]string{rep.Added, rep.Changed, rep.Removed} {
		for _, id := range ids {
			if err := bank.Refresh(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rep
}

func ids(hits []mediabank.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.EntityID)
	}
	return out
}

// TestBankViewer: a viewer matches only the hashes it may see; a hidden
// record is never a hit and lends nothing; retraction and narrowing take
// effect at once.
func TestBankViewer(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t, backend)
			bank, err := mediabank.New(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			shared := []exchange.Record{
				{Type: exchange.TypePDQ, Value: poster.String(), Quality: 100, Labels: []string{"outlet:amaq", "campaign:spring"}, Description: "poster"},
				{Type: exchange.TypeMD5, Value: strings.Repeat("ab", 16), Quality: -1},
			}
			importRecords(t, ctx, st, bank, uz, "uz-bank", shared, mediabank.Share{Member: "uz", Audience: concord.AudienceCoalition, TLP: concord.TLPAmber})
			own := []exchange.Record{{Type: exchange.TypePDQ, Value: flip(poster, 3).String(), Quality: 90, Labels: []string{"outlet:secret-source"}, TLP: concord.TLPRed}}
			importRecords(t, ctx, st, bank, uz, "uz-red", own, mediabank.Share{Member: "uz", Audience: concord.MemberAudience("uz"), TLP: concord.TLPAmber})
			if bank.Len() != 2 {
				t.Fatalf("bank holds %d hashes, want 2", bank.Len())
			}
			q := flip(poster, 5)
			o := mediabank.Options{Radius: pdq.DefaultRadius}
			hitsUZ, err := bank.Match(ctx, uz, q, o)
			if err != nil {
				t.Fatal(err)
			}
			hitsES, err := bank.Match(ctx, es, q, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(hitsUZ) != 2 || hitsUZ[0].Distance != 2 || hitsUZ[1].Distance != 5 {
				t.Fatalf("uz: %+v", hitsUZ)
			}
			if len(hitsES) != 1 || hitsES[0].Distance != 5 || !slices.Equal(hitsES[0].Labels, []string{"outlet:amaq", "campaign:spring"}) || *hitsES[0].Quality != 100 {
				t.Fatalf("es: %+v", hitsES)
			}
			if hitsES[0].EntityID != hitsUZ[1].EntityID {
				t.Errorf("es sees %s, uz %v", hitsES[0].EntityID, ids(hitsUZ))
			}
			// A hidden record never even shows as the closest: es's result
			// is what it would be without the RED record.
			if got, _ := bank.Match(ctx, es, flip(poster, 3), mediabank.Options{Radius: 0}); len(got) != 0 {
				t.Errorf("es matched the RED hash at distance 0: %+v", got)
			}
			if got, _ := bank.Match(ctx, es, video, o); len(got) != 0 {
				t.Errorf("unrelated picture matched: %+v", got)
			}
			checkSnapshot(t, ctx, st, bank, q, o)
			// Narrowing: uz reimports its shared bank for its member only.
			importRecords(t, ctx, st, bank, uz, "uz-bank", shared, mediabank.Share{Member: "uz", Audience: concord.MemberAudience("uz"), TLP: concord.TLPAmber})
			if got, _ := bank.Match(ctx, es, q, o); len(got) != 0 {
				t.Errorf("after narrowing es still matches %v", ids(got))
			}
			if got, _ := bank.Match(ctx, uz, q, o); len(got) != 2 {
				t.Errorf("after narrowing uz matches %v", ids(got))
			}
			// Retraction: a newer version of the bank without the poster.
			importRecords(t, ctx, st, bank, uz, "uz-bank", shared[1:], mediabank.Share{Member: "uz", Audience: concord.MemberAudience("uz"), TLP: concord.TLPAmber})
			if got, _ := bank.Match(ctx, uz, q, o); len(got) != 1 || got[0].Distance != 2 {
				t.Errorf("after retraction uz matches %+v", got)
			}
			// A rebuilt bank agrees with the refreshed one.
			fresh, err := mediabank.New(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			if fresh.Len() != bank.Len() {
				t.Errorf("rebuilt %d hashes, refreshed %d", fresh.Len(), bank.Len())
			}
			// The viewer needs the match right.
			if _, err := bank.Match(ctx, access.Viewer{Member: "es", Roles: []concord.Role{concord.RoleAdmin}, Scopes: []string{"read"}}, q, o); concord.ErrorCode(err) != concord.EFORBIDDEN {
				t.Errorf("read-only token: %v", err)
			}
		})
	}
}

func TestBatchRules(t *testing.T) {
	rec := []exchange.Record{{Type: exchange.TypePDQ, Value: poster.String(), Quality: -1, TLP: concord.TLPRed}}
	if _, err := mediabank.Batch(uz, "b", "1", "in.csv", rec, mediabank.Share{Member: "uz", Audience: concord.AudienceCoalition, TLP: concord.TLPAmber}); err == nil || !strings.Contains(err.Error(), "in.csv: record 1") {
		t.Errorf("RED to the coalition: %v", err)
	}
	if _, err := mediabank.Batch(uz, "", "1", "in.csv", rec, mediabank.Share{}); err == nil {
		t.Error("no dataset accepted")
	}
	viewer := access.Viewer{Member: "uz", Roles: []concord.Role{concord.RoleViewer}}
	if _, err := mediabank.Batch(viewer, "b", "1", "in.csv", rec[:0], mediabank.Share{Member: "uz", Audience: concord.AudienceCoalition, TLP: concord.TLPAmber}); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

// TestRecordsRoundTrip: what is imported exports as the same records.
func TestRecordsRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "sqlite")
	bank, _ := mediabank.New(ctx, st)
	in := []exchange.Record{
		{Type: exchange.TypePDQ, Value: poster.String(), Quality: 88, Labels: []string{"outlet:amaq"}, Description: "poster", Owner: "platform", Status: "MALICIOUS", TLP: concord.TLPGreen},
		{Type: exchange.TypeSHA256, Value: strings.Repeat("cd", 32), Quality: -1},
	}
	importRecords(t, ctx, st, bank, uz, "uz-bank", in, mediabank.Share{Member: "uz", Audience: concord.AudienceCoalition, TLP: concord.TLPAmber})
	out, err := mediabank.Records(ctx, st, es.Filter(), "uz-bank")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("%d records: %+v", len(out), out)
	}
	byType := map[string]exchange.Record{}
	for _, r := range out {
		byType[r.Type] = r
	}
	p := byType[exchange.TypePDQ]
	if p.Value != poster.String() || p.Quality != 88 || p.TLP != concord.TLPGreen || p.Description != "poster" || !slices.Equal(p.Labels, []string{"outlet:amaq"}) || p.Owner != "platform" {
		t.Errorf("pdq record %+v", p)
	}
	if s := byType[exchange.TypeSHA256]; s.TLP != concord.TLPAmber {
		t.Errorf("sha256 record %+v", s)
	}
	// es sees nothing of a member-only bank.
	importRecords(t, ctx, st, bank, uz, "uz-own", in[:1], mediabank.Share{Member: "uz", Audience: concord.MemberAudience("uz"), TLP: concord.TLPAmber})
	if out, _ := mediabank.Records(ctx, st, es.Filter(), "uz-own"); len(out) != 0 {
		t.Errorf("es exports %+v", out)
	}
}
