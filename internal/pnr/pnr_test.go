package pnr

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/pgtest"
	"concord/internal/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var secret = []byte("0123456789abcdef0123456789abcdef-test-node")

var (
	amina = access.Viewer{User: "amina", Member: "at", Roles: []concord.Role{concord.RoleAnalyst}}
	rev   = access.Viewer{User: "rev", Member: "at", Roles: []concord.Role{concord.RoleReviewer}}
	boss  = access.Viewer{User: "boss", Member: "at", Roles: []concord.Role{concord.RoleAdmin}}
	vic   = access.Viewer{User: "vic", Member: "at", Roles: []concord.Role{concord.RoleViewer}}
	fanny = access.Viewer{User: "fanny", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst, concord.RoleReviewer}}
)

func as(v access.Viewer) context.Context {
	return concord.WithActor(context.Background(), concord.Actor{User: v.User, Member: v.Member, Via: "test"})
}

type env struct {
	svc   *Service
	st    *store.DB
	clock *clock
}

// stores are the stores the service is tested on: SQLite, and PostgreSQL
// when CONCORD_TEST_POSTGRES names a server.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 2, 20, 11, 0, 0, 0, time.UTC)}
			var st *store.DB
			var err error
			switch name {
			case "sqlite":
				st, err = store.OpenSQLite(t.Context(), t.TempDir(), c)
			case "postgres":
				if !pgtest.Available() {
					t.Skip("CONCORD_TEST_POSTGRES not set")
				}
				st, err = store.OpenPostgres(t.Context(), pgtest.URL(t), c)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			svc, err := New(st, secret, c, nil)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, &env{svc: svc, st: st, clock: c})
		})
	}
}

func sample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../importer/pnrgov/testdata/concord_sample_push.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) importAs(t *testing.T, v access.Viewer, data []byte) *concord.PNRImportReport {
	t.Helper()
	rep, err := e.svc.Import(as(v), v, "push.edi", data)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (e *env) booking(t *testing.T, loc string) *BookingView {
	t.Helper()
	bs, err := e.svc.Bookings(as(amina), amina, loc, 0)
	if err != nil || len(bs) != 1 {
		t.Fatalf("bookings %s: %+v %v", loc, bs, err)
	}
	b, err := e.svc.Booking(as(amina), amina, bs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPushesAndVersions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		data := sample(t)
		rep := e.importAs(t, amina, data)
		if rep.PNRs != 3 || rep.New != 3 || rep.Screened != 4 || rep.Job == "" {
			t.Fatalf("first push %+v", rep)
		}
		j, err := e.st.Job(context.Background(), rep.Job)
		if err != nil || j.Kind != "pnrgov" || j.Total != 4 || j.Member != "at" || j.Owner != "amina" {
			t.Fatalf("job %+v %v", j, err)
		}
		rows, _ := e.st.PendingRows(context.Background(), rep.Job, 0)
		if !strings.HasPrefix(rows[0].Key, "pnr/bk-") || !strings.HasSuffix(rows[0].Key, "/1/1") || !strings.Contains(string(rows[0].Query), `"booking":"Q7KD2M"`) {
			t.Errorf("row %s %s", rows[0].Key, rows[0].Query)
		}
		// The same push again: nothing to screen, no version.
		if rep := e.importAs(t, amina, data); rep.Unchanged != 3 || rep.Job != "" || rep.Screened != 0 {
			t.Errorf("repeat %+v", rep)
		}
		// The next push: Karim's passport changes, a traveller joins R2BX9P.
		next := strings.Replace(string(data), "/P/EGY/A7654321/", "/P/EGY/A7650000/", 1)
		next = strings.Replace(next, "TKT+5551234567892:T:1'", "TKT+5551234567892:T:1'TIF+GHAFFARI+ZAHRA MRS:A:2'"+
			"SSR+DOCS:HK:1:ZZ:::::/P/AFG/O2222222/AFG/01JAN99/F/01JAN30/GHAFFARI/ZAHRA'", 1)
		rep = e.importAs(t, amina, []byte(next))
		if rep.Changed != 2 || rep.Unchanged != 1 || rep.Screened != 2 {
			t.Fatalf("next push %+v", rep)
		}
		rows, _ = e.st.PendingRows(context.Background(), rep.Job, 0)
		if len(rows) != 2 || !strings.HasSuffix(rows[0].Key, "/2/2") || !strings.Contains(string(rows[0].Query), "KARIM") ||
			!strings.HasSuffix(rows[1].Key, "/2/2") || !strings.Contains(string(rows[1].Query), "ZAHRA") {
			t.Errorf("screened %s %s / %s %s", rows[0].Key, rows[0].Query, rows[1].Key, rows[1].Query)
		}
		b := e.booking(t, "Q7KD2M")
		if b.Booking.Versions != 2 || b.Booking.Pushes != 3 || len(b.Versions) != 2 ||
			!slices.Contains(b.Versions[1].Changes, "traveller 2: name, birth date, nationality or documents changed") {
			t.Errorf("booking %+v %+v", b.Booking, b.Versions)
		}
		// What the law forbids keeping never reached the store.
		for _, v := range b.Versions {
			if strings.Contains(string(v.Data), "MOML") {
				t.Errorf("version %d holds the special meal", v.N)
			}
		}
		// A malformed push changes nothing.
		before, _ := e.svc.Bookings(as(amina), amina, "", 0)
		if _, err := e.svc.Import(as(amina), amina, "bad.edi", data[:len(data)/2]); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("half a push: %v", err)
		}
		after, _ := e.svc.Bookings(as(amina), amina, "", 0)
		if len(before) != len(after) {
			t.Errorf("a refused push stored bookings")
		}
		// Rights and members.
		if _, err := e.svc.Import(as(vic), vic, "push.edi", data); concord.ErrorCode(err) != concord.EFORBIDDEN {
			t.Errorf("viewer pushing: %v", err)
		}
		if bs, err := e.svc.Bookings(as(fanny), fanny, "", 0); err != nil || len(bs) != 0 {
			t.Errorf("fr sees %+v %v", bs, err)
		}
		if _, err := e.svc.Booking(as(fanny), fanny, b.Booking.ID); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("fr opening at's booking: %v", err)
		}
		if _, err := e.svc.Bookings(as(vic), vic, "", 0); concord.ErrorCode(err) != concord.EFORBIDDEN {
			t.Errorf("viewer reading PNR data: %v", err)
		}
	})
}

// listed imports two records: un-QDi.001 of the UN list, which everyone
// sees, and fr-secret, which only France sees.
func (e *env) listed(t *testing.T) {
	t.Helper()
	un := concord.NewEntity("un-QDi.001", "Person")
	un.Add("name", "Muhammad Salah al-Din Zidan")
	secret := concord.NewEntity("fr-secret", "Person")
	secret.Add("name", "Known only to France")
	for _, b := range []*concord.ImportBatch{
		{Dataset: "un", Version: "1", Statements: un.Statements(concord.Provenance{Dataset: "un", SourceRef: "un:QDi.001", Audience: concord.AudiencePublic, Handling: concord.TLPClear})},
		{Dataset: "fr-watch", Version: "1", Statements: secret.Statements(concord.Provenance{Dataset: "fr-watch", Audience: concord.MemberAudience("fr"), Handling: concord.TLPAmber})},
	} {
		if _, err := e.st.Import(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLinksAndNetwork(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		rep := e.importAs(t, amina, sample(t))
		// Who else used this phone?
		ans, err := e.svc.Links(as(amina), amina, concord.LinkPhone, "+90 532 111 22 33", 0)
		if err != nil {
			t.Fatal(err)
		}
		var locs []string
		for _, b := range ans.Bookings {
			locs = append(locs, b.Booking.Locator)
		}
		slices.Sort(locs)
		if strings.Join(slices.Compact(locs), ",") != "Q7KD2M,T5WN8A" {
			t.Errorf("phone links %v", locs)
		}
		if ans, _ := e.svc.Links(as(fanny), fanny, concord.LinkPhone, "905321112233", 0); len(ans.Bookings) != 0 {
			t.Errorf("fr sees at's links %+v", ans.Bookings)
		}
		if ans, _ := e.svc.Links(as(amina), amina, concord.LinkCard, "4000 0566 5566 5556", 0); len(ans.Bookings) != 1 || ans.Bookings[0].Booking.Locator != "R2BX9P" || ans.Bookings[0].Value != "VI ···5556" {
			t.Errorf("card links %+v", ans.Bookings)
		}
		for _, bad := range [][2]string{{"address", "x"}, {"phone", "12"}, {"card", "XXXX1234"}, {"religion", "x"}} {
			if _, err := e.svc.Links(as(amina), amina, bad[0], bad[1], 0); concord.ErrorCode(err) != concord.EINVALID {
				t.Errorf("link query %v: %v", bad, err)
			}
		}
		q := e.booking(t, "Q7KD2M")
		lo, err := e.svc.LinksOf(as(amina), amina, q.Booking.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(lo.CoTravellers) != 2 || lo.CoTravellers[1].Name != "KARIM HASSAN" {
			t.Errorf("co-travellers %+v", lo.CoTravellers)
		}
		kinds := map[string]bool{}
		for _, l := range lo.Linked {
			if l.Booking.Locator != "T5WN8A" || l.Via != q.Booking.ID {
				t.Errorf("linked %+v", l)
			}
			kinds[l.Kind] = true
		}
		if !kinds["phone"] || !kinds["agency"] {
			t.Errorf("links of Q7KD2M by %v", kinds)
		}
		// The network: Q7KD2M's first traveller has an alert.
		if n, _ := e.svc.Network(as(amina), amina, 0); len(n) != 0 {
			t.Errorf("network before screening %+v", n)
		}
		e.listed(t)
		rows, _ := e.st.PendingRows(context.Background(), rep.Job, 0)
		alert := func(n int, entity string) {
			t.Helper()
			a := concord.Alert{Row: n, QueryKey: rows[n].Key, Identity: "i" + entity, EntityID: entity, EntityVersion: "v", Score: 0.97,
				Query: rows[n].Query, Match: []byte(`{}`), Status: concord.AlertPending}
			done := []concord.JobRow{{JobID: rep.Job, N: n, Result: []byte(`{}`), Done: true}}
			if err := e.st.CompleteRows(as(amina), rep.Job, done, []concord.Alert{a}); err != nil {
				t.Fatal(err)
			}
		}
		// An alert on a record Austria does not see (narrowed by its
		// originator since, say) makes no booking one of a listed person.
		alert(1, "fr-secret")
		if n, err := e.svc.Network(as(amina), amina, 0); err != nil || len(n) != 0 {
			t.Errorf("network of an alert on a hidden record: %+v %v", n, err)
		}
		alert(0, "un-QDi.001")
		n, err := e.svc.Network(as(amina), amina, 0)
		if err != nil || len(n) != 1 || n[0].Booking.Locator != "Q7KD2M" || len(n[0].CoTravellers) != 2 || len(n[0].Linked) != 2 ||
			n[0].Linked[0].Booking.Locator != "T5WN8A" {
			t.Fatalf("network %+v %v", n, err)
		}
		if n, _ := e.svc.Network(as(fanny), fanny, 0); len(n) != 0 {
			t.Errorf("fr's network %+v", n)
		}
		evs, _ := e.st.AuditEvents(context.Background(), concord.AuditQuery{Action: "pnr.links"})
		if len(evs) < 2 || evs[0].Actor != "amina" {
			t.Errorf("link queries not audited: %+v", evs)
		}
	})
}

func TestRules(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for _, bad := range []concord.PNRRule{
			{Name: "by nationality", Conditions: []concord.RuleCondition{{Kind: "nationality", Values: []string{"AFG"}}}},
			{Name: "young men", Conditions: []concord.RuleCondition{{Kind: "age", Hours: 25}, {Kind: "gender", Values: []string{"M"}}}},
			{Name: "Muslim meal", Conditions: []concord.RuleCondition{{Kind: "service", Values: []string{"MOML"}}}},
			{Name: "meal", Conditions: []concord.RuleCondition{{Kind: "meal"}}},
			{Name: "via", Conditions: []concord.RuleCondition{{Kind: "route_via", Values: []string{"ISTANBUL"}}}},
			{Name: "soon", Conditions: []concord.RuleCondition{{Kind: "booked_within_hours"}}},
			{Name: "nothing"},
			{Conditions: []concord.RuleCondition{{Kind: "cash"}}},
			{Name: "x", Conditions: []concord.RuleCondition{{Kind: "horoscope"}}},
			{Name: "cash\x00", Conditions: []concord.RuleCondition{{Kind: "cash"}}},
			{Name: strings.Repeat("long ", 41), Conditions: []concord.RuleCondition{{Kind: "cash"}}},
			{Name: "agency", Conditions: []concord.RuleCondition{{Kind: "agency", Values: []string{"office:ABC\x1bDEF"}}}},
		} {
			if _, err := e.svc.PutRule(as(amina), amina, bad); concord.ErrorCode(err) != concord.EINVALID {
				t.Errorf("rule %+v accepted: %v", bad, err)
			} else if bad.Name == "Muslim meal" && !strings.Contains(err.Error(), "dropped") || bad.Name == "by nationality" && !strings.Contains(err.Error(), "protected") {
				t.Errorf("rule %q: %v", bad.Name, err)
			}
		}
		via, err := e.svc.PutRule(as(amina), amina, concord.PNRRule{Name: "via IST, one-way", Enabled: true,
			Conditions: []concord.RuleCondition{{Kind: CondRouteVia, Values: []string{"ist"}}, {Kind: CondOneWay}}})
		if err != nil {
			t.Fatal(err)
		}
		cash, err := e.svc.PutRule(as(amina), amina, concord.PNRRule{Name: "cash, booked within 3 days", Enabled: true,
			Conditions: []concord.RuleCondition{{Kind: CondCash}, {Kind: CondBookedSoon, Hours: 72}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PutRule(as(rev), rev, concord.PNRRule{Name: "x", Conditions: []concord.RuleCondition{{Kind: CondCash}}}); concord.ErrorCode(err) != concord.EFORBIDDEN {
			t.Errorf("reviewer defining a rule: %v", err)
		}
		rep := e.importAs(t, amina, sample(t))
		if rep.RuleHits != 3 {
			t.Errorf("%d rule hits, want 3", rep.RuleHits)
		}
		hits, err := e.svc.Hits(as(rev), rev, concord.RuleHitQuery{Status: concord.AlertPending})
		if err != nil || len(hits) != 3 {
			t.Fatalf("hits %+v %v", hits, err)
		}
		byRule := map[string][]concord.RuleHit{}
		for _, h := range hits {
			byRule[h.RuleID] = append(byRule[h.RuleID], h)
		}
		if h := byRule[via.ID]; len(h) != 1 || h[0].Traveller != 1 || !strings.HasPrefix(h[0].Explanation[0], "route via IST: ZZ300 KBL-IST arrives 2026-02-22T05:45") ||
			h[0].Explanation[1] != "one-way: KBL to VIE, no leg back to KBL" {
			t.Errorf("via hits %+v", h)
		}
		if h := byRule[cash.ID]; len(h) != 2 || !strings.HasPrefix(h[0].Explanation[1], "booked 35 h before departure (at most 72)") {
			t.Errorf("cash hits %+v", h)
		}
		for _, h := range hits {
			for _, w := range h.Explanation {
				if strings.Contains(w, "ZIDAN") || strings.Contains(w, "GHAFFARI") || strings.Contains(w, "HASSAN") {
					t.Errorf("an explanation names a person: %q", w)
				}
			}
		}
		// The hit rate of each rule by nationality.
		r, err := e.svc.Rates(as(amina), amina, cash.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]RuleRate{}
		for _, x := range r.ByNationality {
			got[x.Nationality] = x
		}
		if got["EGY"].Evaluated != 2 || got["EGY"].Hits != 2 || got["EGY"].Rate != 1 || got["AFG"].Hits != 0 || got["CZE"].Evaluated != 1 ||
			r.All.Evaluated != 4 || r.All.Hits != 2 || r.All.Rate != 0.5 {
			t.Errorf("rates %+v", r)
		}
		if _, err := e.svc.Rates(as(fanny), fanny, cash.ID); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("fr reading at's rates: %v", err)
		}
		// A new version raises no hit again for the same traveller.
		next := strings.Replace(string(sample(t)), "RPI+2+HK", "RPI+2+KK", 1)
		if rep := e.importAs(t, amina, []byte(next)); rep.Changed != 1 || rep.RuleHits != 0 {
			t.Errorf("next push %+v", rep)
		}
		// A person decides; nothing acts on a hit.
		if err := e.svc.DecideHit(as(amina), amina, hits[0].ID, concord.AlertDismissed, "no reason"); concord.ErrorCode(err) != concord.EFORBIDDEN {
			t.Errorf("analyst deciding: %v", err)
		}
		if err := e.svc.DecideHit(as(rev), rev, hits[0].ID, concord.AlertDismissed, "family\x07 visit"); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "reason: contains the control character U+0007") {
			t.Errorf("a reason with a control character: %v", err)
		}
		if err := e.svc.DecideHit(as(rev), rev, hits[0].ID, concord.AlertDismissed, "documented family visit"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DecideHit(as(fanny), fanny, hits[1].ID, concord.AlertDismissed, "not mine at all"); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("fr deciding at's hit: %v", err)
		}
		if err := e.svc.DeleteRule(as(amina), amina, via.ID); err != nil {
			t.Fatal(err)
		}
		if rs, _ := e.svc.Rules(as(amina), amina); len(rs) != 1 || rs[0].ID != cash.ID {
			t.Errorf("rules %+v", rs)
		}
	})
}

func TestDepersonaliseRepersonaliseDelete(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.importAs(t, amina, sample(t))
		q := e.booking(t, "Q7KD2M")
		if _, err := e.svc.SetPolicy(as(amina), amina, 30, 90); concord.ErrorCode(err) != concord.EFORBIDDEN {
			t.Errorf("analyst setting the policy: %v", err)
		}
		if p, _ := e.svc.Policy(as(amina), amina); p.DepersonaliseDays != 183 || p.RetainDays != 1826 {
			t.Errorf("default policy %+v", p)
		}
		// Six months on, the schedule masks the versions.
		e.clock.add(184 * 24 * time.Hour)
		rep, err := e.svc.Housekeep(concord.WithActor(context.Background(), concord.Actor{User: "system", Via: "schedule"}))
		if err != nil || rep.Depersonalised != 3 {
			t.Fatalf("housekeeping %+v %v", rep, err)
		}
		m := e.booking(t, "Q7KD2M")
		if !m.Booking.Masked || !m.Versions[0].Masked || strings.Contains(string(m.Versions[0].Data), "ZIDAN") ||
			!strings.Contains(string(m.Versions[0].Data), `"locator":"Q7KD2M"`) {
			t.Errorf("masked version %s", m.Versions[0].Data)
		}
		for _, l := range m.Links {
			if l.Value != "" {
				t.Errorf("masked link value %+v", l)
			}
		}
		// Links outlive depersonalisation.
		if ans, _ := e.svc.Links(as(amina), amina, concord.LinkPhone, "905321112233", 0); len(ans.Bookings) < 2 {
			t.Errorf("links after depersonalisation: %+v", ans.Bookings)
		}
		lo, _ := e.svc.LinksOf(as(amina), amina, q.Booking.ID, 0)
		if !lo.CoTravellers[0].Masked || lo.CoTravellers[0].Name != "" {
			t.Errorf("masked co-traveller %+v", lo.CoTravellers[0])
		}
		// Only a reviewer, with a reason, sees it whole again; audited.
		for _, c := range []struct {
			v      access.Viewer
			reason string
			code   string
		}{{amina, "judicial order 4711/26", concord.EFORBIDDEN}, {rev, "because", concord.EINVALID}, {fanny, "judicial order 4711/26", concord.ENOTFOUND},
			{rev, "judicial order\x00 4711/26", concord.EINVALID}, {rev, "judicial order \xff4711/26", concord.EINVALID}} {
			if _, err := e.svc.Repersonalise(as(c.v), c.v, q.Booking.ID, 1, c.reason); concord.ErrorCode(err) != c.code {
				t.Errorf("%s re-personalising (%q): %v, want %s", c.v.User, c.reason, err, c.code)
			}
		}
		p, err := e.svc.Repersonalise(as(rev), rev, q.Booking.ID, 1, "judicial order 4711/26 of the Vienna court")
		if err != nil || p.Travellers[0].Surname != "ZIDAN" || p.Travellers[0].Documents[0].Number != "A1234567" {
			t.Fatalf("re-personalised %+v %v", p, err)
		}
		evs, _ := e.st.AuditEvents(context.Background(), concord.AuditQuery{Action: "pnr.repersonalise"})
		if len(evs) != 1 || evs[0].Actor != "rev" || !strings.Contains(evs[0].Detail, "Vienna court") {
			t.Errorf("audit %+v", evs)
		}
		// A member's policy of its own; five years on everything is gone.
		if _, err := e.svc.SetPolicy(as(boss), boss, 30, 400); err != nil {
			t.Fatal(err)
		}
		e.clock.add(220 * 24 * time.Hour)
		if rep, _ := e.svc.Housekeep(as(boss)); rep.Deleted != 3 || rep.Bookings != 3 {
			t.Errorf("after the member's retention %+v", rep)
		}
		if bs, _ := e.svc.Bookings(as(amina), amina, "", 0); len(bs) != 0 {
			t.Errorf("bookings after retention %+v", bs)
		}
		b, _ := json.Marshal(q)
		if len(b) == 0 {
			t.Fatal("empty")
		}
	})
}

// TestGraph: a booking's network, answered by package graph: T5WN8A shares
// Q7KD2M's phone and agency, and Q7KD2M's traveller has an alert on a listed
// person, so T5WN8A is exposed within two hops; a record the viewer may not
// see is no node; another member's analyst finds no booking; a dismissed
// alert is no edge; a depersonalised link keeps its kind, not its value.
func TestGraph(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.listed(t)
		rep := e.importAs(t, amina, sample(t))
		rows, _ := e.st.PendingRows(ctx, rep.Job, 0)
		alert := func(n int, entity string) concord.Alert {
			return concord.Alert{Row: n, QueryKey: rows[n].Key, Identity: "i" + entity, EntityID: entity, EntityVersion: "v", Score: 0.97,
				Query: rows[n].Query, Match: []byte(`{}`), Status: concord.AlertPending}
		}
		done := []concord.JobRow{{JobID: rep.Job, N: 0, Result: []byte(`{}`), Done: true}, {JobID: rep.Job, N: 1, Result: []byte(`{}`), Done: true}}
		if err := e.st.CompleteRows(as(amina), rep.Job, done, []concord.Alert{alert(0, "un-QDi.001"), alert(1, "fr-secret")}); err != nil {
			t.Fatal(err)
		}
		q7, t5 := e.booking(t, "Q7KD2M").Booking.ID, e.booking(t, "T5WN8A").Booking.ID

		g, err := e.svc.Graph(as(amina), amina, t5, 2)
		if err != nil {
			t.Fatal(err)
		}
		if g.Bookings != 2 || g.Node != BookingNode(t5) || !g.View.Has(BookingNode(q7)) || !g.View.Has("un-QDi.001") || g.View.Has("fr-secret") {
			t.Fatalf("graph of T5WN8A: %+v, un %v, fr-secret %v", g, g.View.Has("un-QDi.001"), g.View.Has("fr-secret"))
		}
		ex, err := g.View.Exposure(g.Node, 2, 0)
		if err != nil || !ex.Exposed || len(ex.Paths) != 1 || len(ex.Paths[0].Nodes) != 3 || ex.Paths[0].Nodes[2].ID != "un-QDi.001" {
			t.Fatalf("exposure %+v %v", ex, err)
		}
		var roles []string
		for _, step := range ex.Paths[0].Steps {
			for _, ed := range step {
				roles = append(roles, ed.Label)
			}
		}
		if r := strings.Join(roles, "; "); !strings.Contains(r, "same phone: 905321112233") || !strings.Contains(r, "same agency") ||
			!strings.Contains(r, "traveller 1 screened: alert") {
			t.Errorf("path labels %q", r)
		}
		// Each link names its source PNRs: the two versions, or the screened traveller.
		for i, want := range [][]string{{VersionRef(t5, 1), VersionRef(q7, 1)}, {rows[0].Key}} {
			for _, ed := range ex.Paths[0].Steps[i] {
				if !slices.Equal(ed.Refs, want) || !slices.Equal(ed.Datasets, []string{"pnr"}) {
					t.Errorf("step %d edge %q: refs %v, datasets %v, want %v", i, ed.Label, ed.Refs, ed.Datasets, want)
				}
			}
		}
		if ex, _ := g.View.Exposure(g.Node, 1, 0); ex.Exposed {
			t.Error("exposed within one hop")
		}
		if sub, _ := g.View.Neighbourhood(g.Node, 2, 0); len(sub.Nodes) != 3 {
			t.Errorf("neighbourhood %+v", sub.Nodes)
		}
		// Rights and members.
		if _, err := e.svc.Graph(as(fanny), fanny, t5, 2); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("fr's analyst: %v", err)
		}
		for _, v := range []access.Viewer{vic, boss} {
			if _, err := e.svc.Graph(as(v), v, t5, 2); concord.ErrorCode(err) != concord.EFORBIDDEN {
				t.Errorf("%s: %v", v.User, err)
			}
		}
		if _, err := e.svc.Graph(as(amina), amina, t5, 0); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("hops 0: %v", err)
		}
		// A dismissed alert is no edge.
		as1, _ := e.st.BookingAlerts(ctx, "at", q7)
		if err := e.st.DecideAlert(as(rev), as1[0].ID, concord.AlertDismissed, "rev", "a namesake"); err != nil {
			t.Fatal(err)
		}
		if g, _ := e.svc.Graph(as(amina), amina, t5, 3); g.View.Has("un-QDi.001") {
			t.Error("a dismissed alert links the booking")
		}
		// Depersonalised: the phone link stays, without its value.
		e.clock.add(200 * 24 * time.Hour)
		if _, err := e.svc.Housekeep(ctx); err != nil {
			t.Fatal(err)
		}
		g, _ = e.svc.Graph(as(amina), amina, t5, 1)
		sub, _ := g.View.Neighbourhood(g.Node, 1, 0)
		var labels []string
		for _, ed := range sub.Edges {
			labels = append(labels, ed.Label)
		}
		if l := strings.Join(labels, "; "); !strings.Contains(l, "same phone") || strings.Contains(l, "905321112233") {
			t.Errorf("after depersonalisation: %q", l)
		}
		evs, _ := e.st.AuditEvents(ctx, concord.AuditQuery{Action: "pnr.graph"})
		if len(evs) < 3 || evs[0].Actor != "amina" || evs[0].Object != t5 {
			t.Errorf("graph not audited: %+v", evs)
		}
	})
}
