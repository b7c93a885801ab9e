package federation_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/federation"
)

func exportBundle(t *testing.T, n *testNode, opt federation.ExportOptions) (string, *federation.ExportResult) {
	t.Helper()
	var buf bytes.Buffer
	res, err := n.node.ExportBundle(context.Background(), &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bundle")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, res
}

// refused imports path at n and checks the error and that n is unchanged.
func refused(t *testing.T, n *testNode, path, want string) {
	t.Helper()
	ctx := context.Background()
	before := held(t, n)
	p0, _ := n.st.Peers(ctx)
	_, err := n.node.ImportBundle(ctx, path)
	if err == nil {
		t.Fatalf("imported; want an error with %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want %q", err, want)
	}
	if got := held(t, n); !slices.Equal(got, before) {
		t.Errorf("a refused bundle changed the store: %d statements, had %d", len(got), len(before))
	}
	if p1, _ := n.st.Peers(ctx); !slices.EqualFunc(p0, p1, func(a, b concord.Peer) bool { return a.Bundle == b.Bundle && a.NodeID == b.NodeID }) {
		t.Error("a refused bundle changed the peers' numbers")
	}
}

func TestBundles(t *testing.T) {
	ctx := context.Background()
	hub := newNode(t, "hub", "secretariat")
	uz := newNode(t, "uz", "uz")
	iq := newNode(t, "iq", "iq")
	stranger := newNode(t, "stranger", "secretariat")
	for _, n := range []*testNode{uz, iq} {
		peer(t, n, hub, true)
		n.st.PutPeer(ctx, &concord.Peer{ID: "hub", Member: "secretariat", PublicKey: hub.node.Key.String(), Relay: true})
	}
	uzRec := contribute(t, hub, "de", "rec-1", "Abu Bundle", concord.GroupAudience("tf-central-asia"), concord.TLPAmber)
	coal := contribute(t, hub, "fr", "rec-2", "Abu Coalition", concord.AudienceCoalition, concord.TLPGreen)
	iqOnly := contribute(t, hub, "iq", "rec-3", "Abu Iraq", concord.MemberAudience("iq"), concord.TLPRed)
	contribute(t, stranger, "fr", "rec-9", "Abu Stranger", concord.AudienceCoalition, concord.TLPGreen)

	// Round trip, encrypted to uz's node key.
	b1, res := exportBundle(t, hub, federation.ExportOptions{To: "uz", EncryptTo: uz.node.Key.Public()})
	if res.Number != 1 || res.Base != 0 || res.Versions != len(uzRec)+len(coal) {
		t.Fatalf("bundle 1: %+v", res)
	}
	if raw, _ := os.ReadFile(b1); bytes.Contains(raw, []byte("Abu Bundle")) {
		t.Fatal("the encrypted bundle holds names in clear")
	}
	// Not for iq: encrypted to uz, and for member uz.
	refused(t, iq, b1, "encrypted to another node")
	imp, err := uz.node.ImportBundle(ctx, b1)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != len(uzRec)+len(coal) {
		t.Errorf("import: %+v", imp.FederationReport)
	}
	if got, want := held(t, uz), ids(uzRec, coal); !slices.Equal(got, want) {
		t.Errorf("uz holds %v, want %v", got, want)
	}
	// Replay.
	refused(t, uz, b1, "already imported")

	// The next bundle continues the first: a retraction travels in it.
	if err := hub.st.Retract(concord.WithActor(ctx, concord.Actor{User: "fr-analyst", Member: "fr"}), "fr", ids(coal)); err != nil {
		t.Fatal(err)
	}
	b2, res := exportBundle(t, hub, federation.ExportOptions{To: "uz"})
	if res.Number != 2 || res.Base != 1 || res.Versions != len(coal) {
		t.Fatalf("bundle 2: %+v", res)
	}
	b3, _ := exportBundle(t, hub, federation.ExportOptions{To: "uz"})
	// Bundle 3 continues 2, which uz has not imported: a gap.
	refused(t, uz, b3, "import bundles 2 to 2 first")

	// One byte altered anywhere (header, a version, the count, the
	// signature) is refused.
	raw, _ := os.ReadFile(b2)
	for _, at := range []int{25, len(raw) / 2, bytes.Index(raw, []byte("END ")) + 4, len(raw) - 10} {
		bad := slices.Clone(raw)
		bad[at] ^= 0x01
		p := filepath.Join(t.TempDir(), "altered")
		os.WriteFile(p, bad, 0o600)
		_, err := uz.node.ImportBundle(ctx, p)
		if err == nil {
			t.Errorf("byte %d altered: imported", at)
			continue
		}
		refused(t, uz, p, "")
	}
	// Cut short.
	p := filepath.Join(t.TempDir(), "short")
	os.WriteFile(p, raw[:len(raw)-30], 0o600)
	refused(t, uz, p, "cut short")

	// Meant for another member.
	forIQ, _ := exportBundle(t, hub, federation.ExportOptions{To: "iq"})
	refused(t, uz, forIQ, "the bundle is for member iq; this node serves uz")
	// Signed by a key uz does not know.
	alien, _ := exportBundle(t, stranger, federation.ExportOptions{To: "uz"})
	refused(t, uz, alien, "unknown node key")

	if _, err := uz.node.ImportBundle(ctx, b2); err != nil {
		t.Fatal(err)
	}
	if got, want := held(t, uz), ids(uzRec); !slices.Equal(got, want) {
		t.Errorf("after the retraction uz holds %v, want %v", got, want)
	}
	if _, err := uz.node.ImportBundle(ctx, b3); err != nil {
		t.Fatal(err)
	}
	if _, err := iq.node.ImportBundle(ctx, forIQ); err != nil {
		t.Fatal(err)
	}
	if got, want := held(t, iq), ids(iqOnly); !slices.Equal(got, want) {
		t.Errorf("iq holds %v, want %v (the coalition record was retracted before its first bundle)", got, want)
	}
	// --since start: everything again, continuing nothing; changes nothing.
	full, res := exportBundle(t, hub, federation.ExportOptions{To: "uz", Since: "start"})
	if res.Base != 0 || res.Number != 4 {
		t.Fatalf("full bundle: %+v", res)
	}
	imp, err = uz.node.ImportBundle(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added+imp.Updated+imp.Withdrawn != 0 {
		t.Errorf("a full bundle after the increments changed %+v", imp.FederationReport)
	}
}
