package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"concord"
	"concord/internal/store"
	"concord/match"
)

// Records changed again and again leave compacted indexes that answer as a
// fresh build does.
func TestApplyCompacts(t *testing.T) {
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "system", Via: "test"})
	st, err := store.OpenSQLite(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.LoadCoalition(ctx, &concord.Coalition{Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}}}); err != nil {
		t.Fatal(err)
	}
	put := func(i int) {
		t.Helper()
		var stmts []concord.Statement
		for _, id := range []string{"un-1", "un-2", "un-3"} {
			e := concord.NewEntity(id, "Person")
			e.Add("name", "Omar Farouk Bashir "+id)
			e.Add("birthDate", fmt.Sprint(1950+i%40))
			stmts = append(stmts, e.Statements(concord.Provenance{Dataset: "un", SourceRef: "un:" + id, Audience: concord.AudiencePublic, Handling: concord.TLPClear})...)
		}
		alias := concord.NewEntity("un-1", "Person")
		alias.Add("alias", fmt.Sprintf("Zoltan Kwiatkowski %c", 'a'+i%26))
		if _, err := st.Import(ctx, &concord.ImportBatch{Dataset: "un", Statements: stmts}); err != nil {
			t.Fatal(err)
		}
		if err := st.Contribute(ctx, alias.Statements(concord.Provenance{Dataset: "member-es", SourceRef: "es:un-1", ContributedBy: "es",
			Audience: concord.AudienceCoalition, Handling: concord.TLPGreen})[1:]); err != nil {
			t.Fatal(err)
		}
	}
	put(0)
	svc, err := New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	svc.compactAt = 5
	maxDead := 0
	for i := 1; i <= 30; i++ {
		put(i)
		if err := svc.Apply(ctx, []string{"un-1", "un-2", "un-3"}); err != nil {
			t.Fatal(err)
		}
		maxDead = max(maxDead, svc.base.Dead(), svc.classes[concord.AudienceCoalition].Dead())
	}
	if maxDead > 5+3 {
		t.Errorf("up to %d dead records: not compacted", maxDead)
	}
	fresh, err := New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []match.Query{{Name: "Omar Farouk Bashir", BirthDate: "1980"}, {Name: "Zoltan Kwiatkowski e"}} {
		if a, b := svc.MatchAll(q, match.Options{Threshold: 0.3}), fresh.MatchAll(q, match.Options{Threshold: 0.3}); !reflect.DeepEqual(a, b) {
			t.Errorf("%q after compactions\n%+v\nfresh\n%+v", q.Name, a, b)
		}
	}
}
