package federation_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/federation"
	"concord/internal/pgtest"
	"concord/internal/seed"
	"concord/internal/store"
)

// testNode is one node of a test federation: its own store, key and
// feed listener on loopback.
type testNode struct {
	name   string
	member string
	st     *store.DB
	node   *federation.Node
	url    string
	// cut, when set, breaks feed responses (a sync killed mid-way).
	cut atomic.Int32
}

var clock = fixedClock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func newNode(t *testing.T, name, member string) *testNode {
	return newNodeOn(t, name, member, false)
}

// newNodeOn opens a node on SQLite or, with pg, on PostgreSQL
// (CONCORD_TEST_POSTGRES; the test skips without it). The secretariat's
// node relays.
func newNodeOn(t *testing.T, name, member string, pg bool) *testNode {
	t.Helper()
	ctx := context.Background()
	relay := member == "secretariat"
	var st *store.DB
	var err error
	if pg {
		st, err = store.OpenPostgres(ctx, pgtest.URL(t), concord.SystemClock{})
	} else {
		st, err = store.OpenSQLite(ctx, t.TempDir(), concord.SystemClock{})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := seed.Coalition()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.LoadCoalition(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := st.SetNodeMember(ctx, member); err != nil {
		t.Fatal(err)
	}
	seedBytes := sha256.Sum256([]byte("test node " + name))
	n := &testNode{name: name, member: member, st: st,
		node: &federation.Node{Store: st, Key: federation.KeyFromSeed(seedBytes[:]), Clock: clock, PageSize: 1000, Relay: relay}}
	cfg, err := n.node.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := n.node.Handler()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.cut.Load() > 0 {
			n.cut.Add(-1)
			if n.cut.Load() == 0 {
				// Cut this response half-way: headers and part of the body,
				// then the connection closes.
				rec := &halfWriter{ResponseWriter: w}
				h.ServeHTTP(rec, r)
				rec.cut()
				return
			}
		}
		h.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(tls.NewListener(ln, cfg))
	t.Cleanup(func() { srv.Close() })
	n.url = "https://" + ln.Addr().String()
	return n
}

// halfWriter passes on half of a response, then closes the connection.
type halfWriter struct {
	http.ResponseWriter
	buf []byte
}

func (h *halfWriter) Write(b []byte) (int, error) { h.buf = append(h.buf, b...); return len(b), nil }

func (h *halfWriter) cut() {
	_, _ = h.ResponseWriter.Write(h.buf[:len(h.buf)/2])
	if f, ok := h.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	conn, _, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err == nil {
		conn.Close()
	}
}

// peer makes b a peer of a (a pulls from b when url is set).
func peer(t *testing.T, a, b *testNode, relay bool) {
	t.Helper()
	if err := a.st.PutPeer(context.Background(), &concord.Peer{ID: b.name, Member: b.member,
		PublicKey: b.node.Key.String(), URL: b.url, Relay: relay}); err != nil {
		t.Fatal(err)
	}
}

// contribute has member say one record with audience and handling on n;
// it returns the record's statements.
func contribute(t *testing.T, n *testNode, member, id, name string, aud concord.Audience, h concord.TLP) []concord.Statement {
	t.Helper()
	v := access.Viewer{User: member + "-analyst", Member: member, Roles: []concord.Role{concord.RoleAnalyst}}
	ctx := context.Background()
	groups, err := n.st.MemberGroups(ctx, member)
	if err != nil {
		t.Fatal(err)
	}
	v.Groups = groups
	if err := access.ValidateShare(v, aud, h); err != nil {
		t.Fatalf("%s sharing with %s: %v", member, aud, err)
	}
	e := concord.NewEntity(id, "Person")
	e.Add("name", name)
	e.Add("nationality", "sy")
	stmts := e.Statements(concord.Provenance{Dataset: "member-" + member, SourceRef: member + ":" + id,
		ContributedBy: member, Audience: aud, Handling: h, Seen: clock.Now()})
	ctx = concord.WithActor(ctx, concord.Actor{User: v.User, Member: member, Via: "test"})
	if err := n.st.Contribute(ctx, stmts); err != nil {
		t.Fatal(err)
	}
	return stmts
}

// held returns the ids of the contributed statements n holds, unretracted.
func held(t *testing.T, n *testNode) []string {
	t.Helper()
	var out []string
	err := n.st.EachEntity(context.Background(), concord.System, concord.EntityQuery{}, func(e *concord.Entity) error {
		stmts, err := n.st.Statements(context.Background(), concord.System, e.ID)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if s.ContributedBy != "" {
				out = append(out, s.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func pull(t *testing.T, n *testNode, from string) *federation.PullResult {
	t.Helper()
	res, err := n.node.Pull(context.Background(), from)
	if err != nil {
		t.Fatalf("%s pulling from %s: %v", n.name, from, err)
	}
	return res
}

// syncAll runs two rounds of pulls: member nodes from the hub, the hub from
// them, then again, so that what passes through the hub arrives.
func syncAll(t *testing.T, hub *testNode, members ...*testNode) {
	for range 2 {
		for _, m := range members {
			pull(t, hub, m.name)
		}
		for _, m := range members {
			pull(t, m, hub.name)
		}
	}
}

func ids(stmts ...[]concord.Statement) []string {
	var out []string
	for _, ss := range stmts {
		for _, s := range ss {
			out = append(out, s.ID)
		}
	}
	sort.Strings(out)
	return out
}

func TestThreeNodes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testThreeNodes(t, false) })
	// The coalition node on PostgreSQL, the member nodes on SQLite.
	t.Run("postgres", func(t *testing.T) { testThreeNodes(t, true) })
}

func testThreeNodes(t *testing.T, pg bool) {
	ctx := context.Background()
	hub := newNodeOn(t, "hub", "secretariat", pg)
	uz := newNode(t, "uz", "uz")
	iq := newNode(t, "iq", "iq")
	peer(t, hub, uz, false)
	peer(t, hub, iq, false)
	peer(t, uz, hub, true)
	peer(t, iq, hub, true)

	// Records made on the hub by members' analysts working there.
	type rec struct {
		member string
		aud    concord.Audience
		tlp    concord.TLP
		stmts  []concord.Statement
	}
	recs := []*rec{
		{member: "es", aud: concord.MemberAudience("es"), tlp: concord.TLPAmber},
		{member: "uz", aud: concord.MemberAudience("uz"), tlp: concord.TLPRed},
		{member: "iq", aud: concord.MemberAudience("iq"), tlp: concord.TLPAmberStrict},
		{member: "de", aud: concord.GroupAudience("tf-central-asia"), tlp: concord.TLPAmber},
		{member: "de", aud: concord.GroupAudience("tf-syria-iraq"), tlp: concord.TLPAmber},
		{member: "fr", aud: concord.AudienceCoalition, tlp: concord.TLPGreen},
		{member: "gb", aud: concord.AudienceCoalition, tlp: concord.TLPClear},
	}
	for i, r := range recs {
		r.stmts = contribute(t, hub, r.member, "hub-rec-"+string(rune('a'+i)), "Abu Example "+string(rune('A'+i)), r.aud, r.tlp)
	}
	// Records made on the member nodes.
	uzCoalition := contribute(t, uz, "uz", "uz-rec-1", "Jamshid Example", concord.AudienceCoalition, concord.TLPGreen)
	uzOwn := contribute(t, uz, "uz", "uz-rec-2", "Rustam Example", concord.MemberAudience("uz"), concord.TLPAmber)
	iqGroup := contribute(t, iq, "iq", "iq-rec-1", "Haidar Example", concord.GroupAudience("tf-syria-iraq"), concord.TLPAmber)

	syncAll(t, hub, uz, iq)

	// What each node holds is exactly what its member may see of the
	// statements that could reach it (through the hub, whose member is
	// the secretariat), checked against the predicate itself.
	all := map[string]concord.Statement{}
	for _, r := range recs {
		for _, s := range r.stmts {
			all[s.ID] = s
		}
	}
	for _, ss := range [][]concord.Statement{uzCoalition, uzOwn, iqGroup} {
		for _, s := range ss {
			all[s.ID] = s
		}
	}
	madeOn := map[string]*testNode{}
	for _, s := range ids(uzCoalition, uzOwn) {
		madeOn[s] = uz
	}
	for _, s := range ids(iqGroup) {
		madeOn[s] = iq
	}
	sees := func(n *testNode, s concord.Statement) bool {
		groups, _ := n.st.MemberGroups(ctx, n.member)
		return access.Node(n.member, groups).Sees(&s)
	}
	for _, n := range []*testNode{hub, uz, iq} {
		var want []string
		for id, s := range all {
			origin := madeOn[id]
			if origin == nil {
				origin = hub
			}
			switch {
			case origin == n:
				want = append(want, id)
			case !sees(n, s):
			case origin == hub || n == hub || sees(hub, s):
				want = append(want, id)
			}
		}
		sort.Strings(want)
		if got := held(t, n); !slices.Equal(got, want) {
			t.Errorf("%s holds %d statements, want %d:\n got %v\nwant %v", n.name, len(got), len(want), got, want)
		}
	}
	// Spot checks of the matrix above, in words.
	if slices.Contains(held(t, iq), recs[1].stmts[0].ID) {
		t.Error("iq received uz's member-only record")
	}
	if !slices.Contains(held(t, uz), recs[3].stmts[0].ID) || slices.Contains(held(t, iq), recs[3].stmts[0].ID) {
		t.Error("the Central Asia task force's record must reach uz and not iq")
	}
	if !slices.Contains(held(t, iq), uzCoalition[0].ID) {
		t.Error("uz's coalition record did not reach iq through the hub")
	}

	// A second sync changes nothing: every version is already there.
	before := [][]string{held(t, hub), held(t, uz), held(t, iq)}
	for _, n := range []*testNode{uz, iq} {
		if res := pull(t, n, hub.name); res.Added+res.Updated+res.Withdrawn != 0 {
			t.Errorf("%s: a repeated sync changed %+v", n.name, res.FederationReport)
		}
	}
	if after := [][]string{held(t, hub), held(t, uz), held(t, iq)}; !slices.EqualFunc(before, after, slices.Equal) {
		t.Error("a repeated sync changed what the nodes hold")
	}

	// The originator retracts a coalition record and narrows another to
	// its own member: the retraction reaches every node that had it, the
	// narrowing withdraws it from the others.
	actor := concord.WithActor(ctx, concord.Actor{User: "fr-analyst", Member: "fr", Via: "test"})
	if err := hub.st.Retract(actor, "fr", ids(recs[5].stmts)); err != nil {
		t.Fatal(err)
	}
	if err := uz.st.Reshare(concord.WithActor(ctx, concord.Actor{User: "uz-analyst", Member: "uz"}), "uz", ids(uzCoalition),
		concord.MemberAudience("uz"), concord.TLPAmber); err != nil {
		t.Fatal(err)
	}
	syncAll(t, hub, uz, iq)
	for _, n := range []*testNode{hub, uz, iq} {
		for _, s := range recs[5].stmts {
			if st, err := n.st.Statement(ctx, concord.System, s.ID); err == nil {
				t.Errorf("%s still holds the retracted statement %s unretracted (%+v)", n.name, s.ID, st)
			}
		}
	}
	for _, n := range []*testNode{hub, iq} {
		if _, err := n.st.Statement(ctx, concord.System, uzCoalition[0].ID); err == nil {
			t.Errorf("%s still holds uz's record narrowed to uz", n.name)
		}
	}
	if _, err := uz.st.Statement(ctx, concord.System, uzCoalition[0].ID); err != nil {
		t.Errorf("uz lost its own narrowed record: %v", err)
	}
	// Widening again brings it back.
	if err := uz.st.Reshare(concord.WithActor(ctx, concord.Actor{User: "uz-analyst", Member: "uz"}), "uz", ids(uzCoalition),
		concord.AudienceCoalition, concord.TLPGreen); err != nil {
		t.Fatal(err)
	}
	syncAll(t, hub, uz, iq)
	if s, err := iq.st.Statement(ctx, concord.System, uzCoalition[0].ID); err != nil || s.Audience != concord.AudienceCoalition {
		t.Errorf("iq after widening: %+v, %v", s, err)
	}
}

func TestSyncKilledMidwayResumes(t *testing.T) {
	ctx := context.Background()
	hub := newNode(t, "hub", "secretariat")
	uz := newNode(t, "uz", "uz")
	hub.node.PageSize = 10
	peer(t, hub, uz, false)
	peer(t, uz, hub, true)
	var want []string
	for i := range 9 {
		want = append(want, ids(contribute(t, hub, "fr", "rec-"+string(rune('a'+i)), "Name "+string(rune('A'+i)),
			concord.AudienceCoalition, concord.TLPGreen))...)
	}
	sort.Strings(want)
	// The third page is cut half-way.
	hub.cut.Store(3)
	r0, err := uz.node.Pull(ctx, hub.name)
	if err == nil {
		t.Fatalf("a pull cut mid-way did not fail: %+v", r0)
	}
	got := held(t, uz)
	if len(got) == 0 || len(got) >= len(want) {
		t.Fatalf("after the cut: %d of %d statements (want the pages before it)", len(got), len(want))
	}
	res := pull(t, uz, hub.name)
	if got := held(t, uz); !slices.Equal(got, want) {
		t.Errorf("after resuming: %d statements, want %d", len(got), len(want))
	}
	if res.Ignored != 0 || res.Added != len(want)-len(got) && res.Added+len(got) != len(want) {
		t.Errorf("the resumed pull: %+v", res.FederationReport)
	}
	// Replaying a page already applied is refused by its cursor.
	p, _ := uz.st.Peer(ctx, hub.name)
	if p.Cursor == "" {
		t.Fatal("no cursor stored")
	}
}

// TestFeedMatchesAccessMatrix: for every member × audience × TLP ×
// contributor, a statement reaches a member's node exactly when an analyst
// of that member sees it on the origin node.
func TestFeedMatchesAccessMatrix(t *testing.T) {
	ctx := context.Background()
	hub := newNode(t, "hub", "secretariat")
	audiences := []concord.Audience{concord.AudienceCoalition, concord.MemberAudience("uz"), concord.MemberAudience("iq"),
		concord.MemberAudience("es"), concord.GroupAudience("tf-central-asia"), concord.GroupAudience("tf-syria-iraq")}
	var all []concord.Statement
	for _, by := range []string{"uz", "iq", "fr"} {
		for _, a := range audiences {
			for _, h := range concord.TLPs {
				e := concord.NewEntity("m-"+by+"-"+strings.NewReplacer(":", "-", "+", "-").Replace(string(a)+"-"+string(h)), "Person")
				e.Add("name", "Matrix "+by+" "+string(a)+" "+string(h))
				stmts := e.Statements(concord.Provenance{Dataset: "member-" + by, SourceRef: by + ":" + e.ID, ContributedBy: by,
					Audience: a, Handling: h, Seen: clock.Now()})
				if err := hub.st.Contribute(concord.WithActor(ctx, concord.Actor{User: by, Member: by}), stmts); err != nil {
					t.Fatal(err)
				}
				all = append(all, stmts...)
			}
		}
	}
	for _, m := range []string{"uz", "iq", "es"} {
		n := newNode(t, m, m)
		peer(t, n, hub, true)
		peer(t, hub, n, false)
		pull(t, n, hub.name)
		groups, _ := hub.st.MemberGroups(ctx, m)
		analyst := access.Viewer{User: m + "-analyst", Member: m, Roles: []concord.Role{concord.RoleAnalyst}, Groups: groups}
		var want []string
		for _, s := range all {
			if analyst.Sees(&s) {
				want = append(want, s.ID)
			}
		}
		sort.Strings(want)
		if got := held(t, n); !slices.Equal(got, want) {
			t.Errorf("%s's node holds %d statements; its analysts see %d on the origin", m, len(got), len(want))
		}
	}
}

// TestCaseRecordsStayHome: a case's records and a minor's are served by the
// case operations only (with a purpose), so no feed carries them, whoever
// may see them; a record that becomes a minor's is withdrawn.
func TestCaseRecordsStayHome(t *testing.T) {
	ctx := context.Background()
	hub := newNode(t, "hub", "secretariat")
	uz := newNode(t, "uz", "uz")
	peer(t, hub, uz, false)
	peer(t, uz, hub, true)
	say := func(id, schema string, props map[string][]string) []concord.Statement {
		t.Helper()
		e := concord.NewEntity(id, schema)
		for k, v := range props {
			e.Add(k, v...)
		}
		stmts := e.Statements(concord.Provenance{Dataset: "member-fr", SourceRef: "fr:" + id, ContributedBy: "fr",
			Audience: concord.AudienceCoalition, Handling: concord.TLPGreen, Seen: clock.Now()})
		if err := hub.st.Contribute(concord.WithActor(ctx, concord.Actor{User: "fr-analyst", Member: "fr", Via: "test"}), stmts); err != nil {
			t.Fatal(err)
		}
		return stmts
	}
	detainee := say("fr-detainee", concord.SchemaDetainee, map[string][]string{"name": {"Umm Example"}})
	minor := say("fr-minor", "Person", map[string][]string{"name": {"Yusuf Example"}, "topics": {concord.TopicMinor}})
	adult := say("fr-adult", "Person", map[string][]string{"name": {"Ahmad Example"}})
	pull(t, uz, hub.name)
	got := held(t, uz)
	for _, s := range slices.Concat(detainee, minor) {
		if slices.Contains(got, s.ID) {
			t.Errorf("uz received %s %s of a case's or a minor's record", s.Schema, s.Prop)
		}
	}
	if want := ids(adult); !slices.Equal(got, want) {
		t.Fatalf("uz holds %v, want the adult's record %v", got, want)
	}
	// The adult's record is found to be a minor's: what uz had is withdrawn.
	say("fr-adult", "Person", map[string][]string{"topics": {concord.TopicMinor}})
	pull(t, uz, hub.name)
	if got := held(t, uz); len(got) != 0 {
		t.Errorf("uz still holds %v of a record that became a minor's", got)
	}
	// The mark was a mistake: retracted, the record travels again.
	var mark []string
	stmts, err := hub.st.Statements(ctx, concord.System, "fr-adult")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if s.Prop == "topics" {
			mark = append(mark, s.ID)
		}
	}
	if err := hub.st.Retract(concord.WithActor(ctx, concord.Actor{User: "fr-analyst", Member: "fr", Via: "test"}), "fr", mark); err != nil {
		t.Fatal(err)
	}
	pull(t, uz, hub.name)
	if got, want := held(t, uz), ids(adult); !slices.Equal(got, want) {
		t.Errorf("after the mark's retraction uz holds %v, want %v", got, want)
	}
}
