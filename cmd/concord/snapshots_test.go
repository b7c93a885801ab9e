package main

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/importer/payment"
)

// The identifier index, the hash bank and the network start from their
// snapshots when the feed can bring them up to date, from the store
// otherwise, and answer the same either way, each viewer seeing only what
// it may.
func TestNodeSnapshotsLifecycle(t *testing.T) {
	ctx, _, st, m := seededDataDir(t)
	path := m.indexSnapshot("", false)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	start := func() *nodeIndexes {
		t.Helper()
		logs.Reset()
		nx, err := loadIndexes(ctx, st, path, log)
		if err != nil {
			t.Fatal(err)
		}
		// What the follower does from nx.at: apply the changes since to
		// each index (to the network those after its own position).
		for _, ix := range []entityIndex{nx.ids, nx.network} {
			from := nx.at
			if p, ok := ix.(positioned); ok {
				from = max(from, p.At())
			}
			cs, err := st.Changes(ctx, from, 0)
			if err != nil {
				t.Fatal(err)
			}
			ids, all := changedEntities(cs)
			if err := applyTo(ctx, ix, ids, all); err != nil {
				t.Fatal(err)
			}
		}
		return nx
	}
	save := func(nx *nodeIndexes) {
		t.Helper()
		head, err := st.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := nx.saveEntities(path, head, log); err != nil {
			t.Fatal(err)
		}
		if _, err := nx.saveNetwork(path, -1, log); err != nil {
			t.Fatal(err)
		}
	}
	has := func(what string) bool { return strings.Contains(logs.String(), what) }
	es := access.Viewer{User: "es-user", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
	fr := access.Viewer{User: "fr-user", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst}}
	iban := []payment.Ident{{Kind: payment.IdentIBAN, Value: "DE75512108001245126199"}}
	found := func(nx *nodeIndexes, v access.Viewer) bool {
		t.Helper()
		ms, err := nx.ids.Match(ctx, v, iban)
		if err != nil {
			t.Fatal(err)
		}
		return len(ms) == 1 && ms[0].EntityID == "un-QDi.278"
	}

	nx := start()
	if nx.fresh != true || has("from its snapshot") {
		t.Fatalf("first start: fresh %v\n%s", nx.fresh, logs.String())
	}
	save(nx)
	nodes, edges := nx.network.Current().Len()
	ids := nx.ids.Len()

	nx = start()
	if nx.fresh || !has("identifier index loaded from its snapshot") || !has("hash bank loaded from its snapshot") || !has("network loaded from its snapshot") {
		t.Fatalf("second start: fresh %v\n%s", nx.fresh, logs.String())
	}
	if n, e := nx.network.Current().Len(); n != nodes || e != edges || nx.ids.Len() != ids {
		t.Fatalf("from the snapshots: %d nodes, %d edges, %d identifiers; want %d, %d, %d", n, e, nx.ids.Len(), nodes, edges, ids)
	}

	// Spain's account arrives while no node runs: the identifier index
	// and the network catch up through the feed.
	acct := concord.NewEntity("es-acct-10", "BankAccount")
	acct.Add("holder", "un-QDi.278")
	acct.Add("iban", "DE75512108001245126199")
	p := concord.Provenance{Dataset: "member-es", SourceRef: "es:acct-10", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber}
	if err := st.Contribute(concord.WithActor(ctx, concord.Actor{User: "es-user", Member: "es"}), acct.Statements(p)); err != nil {
		t.Fatal(err)
	}
	nx = start()
	if nx.fresh || !has("identifier index loaded from its snapshot") || !has("network loaded from its snapshot") {
		t.Fatalf("start after a change:\n%s", logs.String())
	}
	if !found(nx, es) || found(nx, fr) {
		t.Errorf("after catching up: es finds the account %v, fr %v (want true, false)", found(nx, es), found(nx, fr))
	}
	esView := nx.network.Current().View(es.Filter())
	frView := nx.network.Current().View(fr.Filter())
	if !esView.Has(acct.ID) || frView.Has(acct.ID) {
		t.Errorf("network: es sees the account %v, fr %v (want true, false)", esView.Has(acct.ID), frView.Has(acct.ID))
	}
	save(nx)

	// Damaged snapshots are set aside: all three are built from the store.
	for _, f := range []string{idsSnapshot(path), bankSnapshot(path), networkSnapshot(path)} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	nx = start()
	if !nx.fresh || has("identifier index loaded from its snapshot") || has("network loaded from its snapshot") || strings.Count(logs.String(), "unusable") != 3 {
		t.Fatalf("damaged snapshots: fresh %v\n%s", nx.fresh, logs.String())
	}
	if !found(nx, es) || found(nx, fr) {
		t.Errorf("from the store: es finds the account %v, fr %v (want true, false)", found(nx, es), found(nx, fr))
	}
}
