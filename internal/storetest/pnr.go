package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"concord"
)

// RunPNR runs the suite of PNR bookings: versions, links, the network,
// depersonalisation and deletion on schedule, re-personalisation, policies,
// rules, hits and counts. open returns a new, empty store.
func RunPNR(t *testing.T, open func(t *testing.T) Service) {
	t.Run("PNRVersions", func(t *testing.T) { testPNRVersions(t, open(t)) })
	t.Run("PNRLinks", func(t *testing.T) { testPNRLinks(t, open(t)) })
	t.Run("PNRHousekeeping", func(t *testing.T) { testPNRHousekeeping(t, open(t)) })
	t.Run("PNRRules", func(t *testing.T) { testPNRRules(t, open(t)) })
}

// push is a version of booking loc of member with a phone link.
func push(member, loc string, prev int, digest, phone string) concord.BookingPush {
	return concord.BookingPush{Member: member, Owner: "ZZ", Locator: loc, Created: "2026-02-01T10:00", Flight: "ZZ471 IST-VIE",
		Departure: "2026-02-22T09:30", Travellers: 1, Prev: prev, Digest: digest, Changes: []string{"first push"},
		Personal: fmt.Appendf(nil, `{"locator":%q,"travellers":[{"surname":"HASSAN","phone":%q}]}`, loc, phone),
		Masked:   fmt.Appendf(nil, `{"locator":%q,"travellers":[{}]}`, loc), Sealed: []byte("sealed " + loc),
		Links: []concord.BookingLink{{Kind: concord.LinkPhone, Key: "k-" + phone, Value: phone, Traveller: 1},
			{Kind: concord.LinkAgency, Key: "k-agency", Value: "iata:17345678"}}}
}

func bookingID(member, loc string) string {
	return concord.BookingKey{Member: member, Owner: "ZZ", Locator: loc, Created: "2026-02-01T10:00"}.ID()
}

func importPNR(t *testing.T, s Service, imp *concord.PNRImport) *concord.PNRImportReport {
	t.Helper()
	rep, err := s.ImportPNR(as(t, "amina", imp.Member), imp)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func testPNRVersions(t *testing.T, s Service) {
	c := ctx(t)
	j := &concord.Job{ID: "job-pnr", Kind: "pnrgov", Source: "push.edi", Owner: "amina", Member: "at", Threshold: 0.8, Limit: 5}
	rows := []concord.JobRow{{JobID: "job-pnr", N: 0, Key: "pnr/" + bookingID("at", "Q7KD2M") + "/1/1", Query: []byte(`{"name":"HASSAN"}`)}}
	rep := importPNR(t, s, &concord.PNRImport{Member: "at", Source: "push.edi", Job: j, JobRows: rows,
		Pushes: []concord.BookingPush{push("at", "Q7KD2M", 0, "d1", "905321112233"), push("at", "R2BX9P", 0, "d2", "4477")}})
	if rep.New != 2 || rep.Job != "job-pnr" || rep.Screened != 1 || len(rep.BookingIDs) != 2 || rep.BookingIDs[0] != bookingID("at", "Q7KD2M") {
		t.Fatalf("report %+v", rep)
	}
	wantEvent(t, s, "amina", "pnr.import", "push.edi", "2 PNRs: 2 new, 0 changed, 0 unchanged; 1 travellers to screen, 0 rule hits")
	if got, err := s.Job(c, "job-pnr"); err != nil || got.Total != 1 || got.Kind != "pnrgov" {
		t.Errorf("job %+v %v", got, err)
	}
	// The same content again is a push, not a version; a changed one is a version.
	p := push("at", "Q7KD2M", 1, "d1", "905321112233")
	p.Same = true
	q := push("at", "R2BX9P", 1, "d3", "4477")
	q.Changes = []string{"traveller 1: seats changed"}
	rep = importPNR(t, s, &concord.PNRImport{Member: "at", Source: "push2.edi", Pushes: []concord.BookingPush{p, q}})
	if rep.Unchanged != 1 || rep.Changed != 1 || rep.Job != "" {
		t.Errorf("second push %+v", rep)
	}
	b, vs, err := s.Booking(c, "at", bookingID("at", "R2BX9P"))
	if err != nil || b.Versions != 2 || b.Pushes != 2 || len(vs) != 2 || vs[1].N != 2 || vs[1].Changes[0] != "traveller 1: seats changed" ||
		vs[1].Masked || !strings.Contains(string(vs[1].Data), "HASSAN") || vs[0].Source != "push.edi" {
		t.Fatalf("booking %+v versions %+v %v", b, vs, err)
	}
	if b, _, _ := s.Booking(c, "at", bookingID("at", "Q7KD2M")); b.Versions != 1 || b.Pushes != 2 {
		t.Errorf("repeated push: %+v", b)
	}
	// Compared with a version that is no longer the latest: a conflict, and nothing stored.
	before := auditLen(t, s)
	_, err = s.ImportPNR(as(t, "amina", "at"), &concord.PNRImport{Member: "at", Source: "late.edi",
		Pushes: []concord.BookingPush{push("at", "NEW001", 0, "d9", "1"), push("at", "R2BX9P", 1, "d4", "4477")}})
	if concord.ErrorCode(err) != concord.ECONFLICT || auditLen(t, s) != before {
		t.Errorf("stale push: %v", err)
	}
	if bs, _ := s.Bookings(c, concord.BookingQuery{Member: "at"}); len(bs) != 2 {
		t.Errorf("a refused push stored %d bookings", len(bs))
	}
	latest, err := s.LatestVersions(c, []concord.BookingKey{{Member: "at", Owner: "ZZ", Locator: "R2BX9P", Created: "2026-02-01T10:00"},
		{Member: "fr", Owner: "ZZ", Locator: "R2BX9P", Created: "2026-02-01T10:00"}})
	if err != nil || len(latest) != 1 {
		t.Fatalf("latest %v %v", latest, err)
	}
	for _, lv := range latest {
		if lv.N != 2 || lv.Digest != "d3" || !strings.Contains(string(lv.Personal), "HASSAN") {
			t.Errorf("latest %+v", lv)
		}
	}
	// Another member's bookings are not found, not listed.
	if _, _, err := s.Booking(c, "fr", bookingID("at", "R2BX9P")); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("another member's booking: %v", err)
	}
	if bs, _ := s.Bookings(c, concord.BookingQuery{Member: "fr"}); len(bs) != 0 {
		t.Errorf("fr lists %+v", bs)
	}
	if bs, _ := s.Bookings(c, concord.BookingQuery{Member: "at", Locator: "Q7KD2M"}); len(bs) != 1 || bs[0].Locator != "Q7KD2M" {
		t.Errorf("by locator %+v", bs)
	}
	// A version not depersonalised is not re-personalised: it is shown whole.
	if _, err := s.Repersonalise(as(t, "rev", "at"), "at", bookingID("at", "R2BX9P"), 2, "rev", "court order 12/2026"); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("re-personalising a whole version: %v", err)
	}
	for _, bad := range []*concord.PNRImport{{Source: "x"}, {Member: "at", Pushes: []concord.BookingPush{push("fr", "X", 0, "d", "1")}}} {
		if _, err := s.ImportPNR(c, bad); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("invalid import %+v: %v", bad, err)
		}
	}
}

// alertFor raises an alert for traveller 1 of version 1 of a booking.
func alertFor(t *testing.T, s Service, member, booking, status string) {
	t.Helper()
	id := "job-" + booking
	key := "pnr/" + booking + "/1/1"
	if err := s.CreateJob(as(t, "amina", member), &concord.Job{ID: id, Kind: "pnrgov", Owner: "amina", Member: member, Threshold: 0.8, Limit: 5},
		concord.JobRows([]concord.JobRow{{JobID: id, N: 0, Key: key, Query: []byte(`{"name":"x"}`)}})); err != nil {
		t.Fatal(err)
	}
	a := concord.Alert{JobID: id, Row: 0, QueryKey: key, Identity: "i", EntityID: "un-QDi.001", EntityVersion: "v", Score: 0.95,
		Query: []byte(`{"name":"MUHAMMAD ZIDAN"}`), Match: []byte(`{"score":0.95}`), Status: concord.AlertPending}
	if err := s.CompleteRows(as(t, "amina", member), id, []concord.JobRow{{JobID: id, N: 0, Result: []byte(`{"id":"x","matches":[]}`), Done: true}}, []concord.Alert{a}); err != nil {
		t.Fatal(err)
	}
	if status != concord.AlertPending {
		as, _ := s.Alerts(ctx(t), concord.AlertQuery{Member: member, JobID: id})
		if err := s.DecideAlert(ctx(t), as[0].ID, status, "rev", "different person: passport differs"); err != nil {
			t.Fatal(err)
		}
	}
}

func testPNRLinks(t *testing.T, s Service) {
	c := ctx(t)
	importPNR(t, s, &concord.PNRImport{Member: "at", Source: "push.edi", Pushes: []concord.BookingPush{
		push("at", "LISTED", 0, "d1", "905321112233"), push("at", "SAMEPH", 0, "d2", "905321112233"), push("at", "OTHER1", 0, "d3", "4477")}})
	importPNR(t, s, &concord.PNRImport{Member: "fr", Source: "fr.edi", Pushes: []concord.BookingPush{push("fr", "FRENCH", 0, "d4", "905321112233")}})
	ls, err := s.Links(c, concord.LinkQuery{Member: "at", Kind: concord.LinkPhone, Key: "k-905321112233"}, 0)
	if err != nil || len(ls) != 2 {
		t.Fatalf("who else used this phone: %+v %v", ls, err)
	}
	for _, l := range ls {
		if l.Booking.Member != "at" || l.Value != "905321112233" || l.Traveller != 1 || l.Version != 1 {
			t.Errorf("link %+v", l)
		}
	}
	if ls, _ := s.Links(c, concord.LinkQuery{Member: "at", BookingID: bookingID("at", "LISTED")}, 0); len(ls) != 2 {
		t.Errorf("links of a booking: %+v", ls)
	}
	if _, err := s.Links(c, concord.LinkQuery{Member: "at"}, 0); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("empty link query: %v", err)
	}
	// The network: bookings sharing a link with a booking of a listed
	// person (an alert not dismissed), within the member.
	if n, _ := s.Network(c, "at", 0); len(n) != 0 {
		t.Errorf("network without alerts: %+v", n)
	}
	alertFor(t, s, "at", bookingID("at", "LISTED"), concord.AlertPending)
	alertFor(t, s, "at", bookingID("at", "OTHER1"), concord.AlertDismissed)
	n, err := s.Network(c, "at", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, l := range n {
		if l.Via != bookingID("at", "LISTED") || l.Booking.Member != "at" {
			t.Errorf("network link %+v", l)
		}
		got[l.Booking.Locator+" "+l.Kind] = true
	}
	// SAMEPH by phone and agency; OTHER1 by agency (its own alert is dismissed).
	if len(got) != 3 || !got["SAMEPH phone"] || !got["SAMEPH agency"] || !got["OTHER1 agency"] {
		t.Errorf("network %v", got)
	}
	if n, _ := s.Network(c, "fr", 0); len(n) != 0 {
		t.Errorf("fr's network holds at's alerts: %+v", n)
	}
}

func testPNRHousekeeping(t *testing.T, s Service) {
	c := ctx(t)
	if p, err := s.PNRPolicy(c, "at"); err != nil || p != concord.DefaultPNRPolicy("at") || p.DepersonaliseDays != 183 {
		t.Fatalf("default policy %+v %v", p, err)
	}
	if err := s.SetPNRPolicy(as(t, "boss", "fr"), concord.PNRPolicy{Member: "fr", DepersonaliseDays: 30, RetainDays: 365}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []concord.PNRPolicy{{Member: "fr"}, {Member: "fr", DepersonaliseDays: 400, RetainDays: 365}, {DepersonaliseDays: 1, RetainDays: 2}} {
		if err := s.SetPNRPolicy(c, bad); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("policy %+v: %v", bad, err)
		}
	}
	importPNR(t, s, &concord.PNRImport{Member: "at", Source: "at.edi", Pushes: []concord.BookingPush{push("at", "ATBOOK", 0, "d1", "111111")}})
	importPNR(t, s, &concord.PNRImport{Member: "fr", Source: "fr.edi", Pushes: []concord.BookingPush{push("fr", "FRBOOK", 0, "d2", "222222")}})
	alertFor(t, s, "at", bookingID("at", "ATBOOK"), concord.AlertPending)
	for _, q := range []struct {
		member, booking string
		want            int
	}{{"at", bookingID("at", "ATBOOK"), 1}, {"fr", bookingID("at", "ATBOOK"), 0}, {"at", bookingID("fr", "FRBOOK"), 0}, {"at", "%", 0}, {"at", "bk-_%", 0}} {
		if as, err := s.BookingAlerts(c, q.member, q.booking); err != nil || len(as) != q.want {
			t.Errorf("BookingAlerts(%s, %s): %d alerts %v, want %d", q.member, q.booking, len(as), err, q.want)
		}
	}
	_, vs, _ := s.Booking(c, "at", bookingID("at", "ATBOOK"))
	t0 := vs[0].Received

	// Day 31: fr's version is masked (its policy), at's is not.
	rep, err := s.PNRHousekeeping(as(t, "system", ""), t0.Add(31*24*time.Hour))
	if err != nil || *rep != (concord.HousekeepingReport{Depersonalised: 1}) {
		t.Fatalf("day 31: %+v %v", rep, err)
	}
	wantEvent(t, s, "system", "pnr.housekeeping", "", "1 versions depersonalised, 0 deleted, 0 bookings deleted")
	b, vs, _ := s.Booking(c, "fr", bookingID("fr", "FRBOOK"))
	if !b.Masked || !vs[0].Masked || vs[0].DepersonalisedAt == nil || strings.Contains(string(vs[0].Data), "HASSAN") {
		t.Errorf("fr after 31 days: %+v %+v %s", b, vs[0], vs[0].Data)
	}
	if ls, _ := s.Links(c, concord.LinkQuery{Member: "fr", Kind: concord.LinkPhone, Key: "k-222222"}, 0); len(ls) != 1 || ls[0].Value != "" {
		t.Errorf("a masked version's link is kept, its value not: %+v", ls)
	}
	if _, vs, _ := s.Booking(c, "at", bookingID("at", "ATBOOK")); vs[0].Masked {
		t.Error("at's version masked on fr's policy")
	}
	// A masked version is seen whole by a reviewer giving a reason, audited.
	sealed, err := s.Repersonalise(as(t, "rev", "fr"), "fr", bookingID("fr", "FRBOOK"), 1, "rev", "judicial authorisation 2026/114")
	if err != nil || string(sealed) != "sealed FRBOOK" {
		t.Errorf("re-personalise: %q %v", sealed, err)
	}
	wantEvent(t, s, "rev", "pnr.repersonalise", bookingID("fr", "FRBOOK")+"/1", "rev: judicial authorisation 2026/114")
	for _, bad := range []struct{ member, reviewer, reason string }{{"at", "rev", "judicial authorisation"}, {"fr", "", "x reason here"}, {"fr", "rev", ""}} {
		if _, err := s.Repersonalise(c, bad.member, bookingID("fr", "FRBOOK"), 1, bad.reviewer, bad.reason); err == nil {
			t.Errorf("re-personalise %+v accepted", bad)
		}
	}
	// Day 184: at's is masked too, with what its screening row and alert
	// say, and the change feed tells other nodes that alerts and jobs
	// changed.
	seq, err := s.LastChange(c)
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := s.PNRHousekeeping(c, t0.Add(184*24*time.Hour)); rep.Depersonalised != 1 || rep.Deleted != 0 {
		t.Errorf("day 184: %+v", rep)
	}
	chs, err := s.Changes(c, seq, 0)
	kinds := map[string]bool{}
	for _, ch := range chs {
		kinds[ch.Kind] = true
	}
	if err != nil || !kinds[concord.ChangeAlerts] || !kinds[concord.ChangeJobs] {
		t.Errorf("changes of the schedule: %+v %v", chs, err)
	}
	as, _ := s.Alerts(c, concord.AlertQuery{Member: "at"})
	rows, _ := s.JobRows(c, "job-"+bookingID("at", "ATBOOK"), -1, 0)
	if len(as) != 1 || strings.Contains(string(as[0].Query), "ZIDAN") || strings.Contains(string(rows[0].Query), `"x"`) || as[0].EntityID != "un-QDi.001" {
		t.Errorf("alert %s / row %s after depersonalisation", as[0].Query, rows[0].Query)
	}
	// Day 366: fr's is deleted with its booking; at's only after five years,
	// with its alert and screening job.
	if rep, _ := s.PNRHousekeeping(c, t0.Add(366*24*time.Hour)); *rep != (concord.HousekeepingReport{Deleted: 1, Bookings: 1}) {
		t.Errorf("day 366: %+v", rep)
	}
	if _, _, err := s.Booking(c, "fr", bookingID("fr", "FRBOOK")); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("deleted booking: %v", err)
	}
	if ls, _ := s.Links(c, concord.LinkQuery{Member: "fr", Kind: concord.LinkPhone, Key: "k-222222"}, 0); len(ls) != 0 {
		t.Errorf("links of a deleted version: %+v", ls)
	}
	if rep, _ := s.PNRHousekeeping(c, t0.Add((5*365+2)*24*time.Hour)); *rep != (concord.HousekeepingReport{Deleted: 1, Bookings: 1}) {
		t.Errorf("five years: %+v", rep)
	}
	if as, _ := s.Alerts(c, concord.AlertQuery{Member: "at"}); len(as) != 0 {
		t.Errorf("alerts of a deleted version: %+v", as)
	}
	if _, err := s.Job(c, "job-"+bookingID("at", "ATBOOK")); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("screening job of a deleted version: %v", err)
	}
	if rep, _ := s.PNRHousekeeping(c, t0.Add(10*365*24*time.Hour)); *rep != (concord.HousekeepingReport{}) {
		t.Errorf("nothing left: %+v", rep)
	}
	wantIntact(t, s, auditLen(t, s))
}

func testPNRRules(t *testing.T, s Service) {
	c := ctx(t)
	r := &concord.PNRRule{ID: "rule-1", Member: "at", Name: "via IST, cash", Enabled: true, CreatedBy: "amina",
		Conditions: []concord.RuleCondition{{Kind: "route_via", Values: []string{"IST"}}, {Kind: "cash"}}}
	if err := s.PutPNRRule(as(t, "amina", "at"), r); err != nil || r.Version != 1 || r.UpdatedAt.IsZero() {
		t.Fatalf("put %+v %v", r, err)
	}
	r.Name = "via IST, paid in cash"
	if err := s.PutPNRRule(c, r); err != nil || r.Version != 2 {
		t.Fatalf("replace %+v %v", r, err)
	}
	other := *r
	other.Member = "fr"
	if err := s.PutPNRRule(c, &other); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("fr replacing at's rule: %v", err)
	}
	rules, err := s.PNRRules(c, "at")
	if err != nil || len(rules) != 1 || rules[0].Name != "via IST, paid in cash" || rules[0].Conditions[0].Values[0] != "IST" || !rules[0].Enabled {
		t.Fatalf("rules %+v %v", rules, err)
	}
	if rs, _ := s.PNRRules(c, "fr"); len(rs) != 0 {
		t.Errorf("fr sees %+v", rs)
	}
	p := push("at", "RULEHT", 0, "d1", "1234567")
	p.Hits = []concord.RuleHit{{RuleID: "rule-1", RuleVersion: 2, RuleName: r.Name, Traveller: 1,
		Explanation: []string{"route via IST: ZZ300 KBL-IST arrives ...", "paid in cash (FOP CA) 420.00 EUR"}}}
	stats := []concord.RuleStat{{RuleID: "rule-1", Nationality: "AFG", Evaluated: 1, Hits: 1}, {RuleID: "rule-1", Nationality: "CZE", Evaluated: 3}}
	rep := importPNR(t, s, &concord.PNRImport{Member: "at", Source: "p.edi", Pushes: []concord.BookingPush{p}, Stats: stats})
	if rep.RuleHits != 1 {
		t.Errorf("report %+v", rep)
	}
	importPNR(t, s, &concord.PNRImport{Member: "at", Source: "p2.edi", Stats: []concord.RuleStat{{RuleID: "rule-1", Nationality: "AFG", Evaluated: 1}},
		Pushes: []concord.BookingPush{push("at", "RULEH2", 0, "d2", "7654321")}})
	st, err := s.RuleStats(c, "at", "rule-1")
	if err != nil || fmt.Sprint(st) != "[{rule-1 AFG 2 1} {rule-1 CZE 3 0}]" {
		t.Errorf("stats %v %v", st, err)
	}
	if st, _ := s.RuleStats(c, "fr", "rule-1"); len(st) != 0 {
		t.Errorf("fr sees at's counts %v", st)
	}
	hits, err := s.RuleHits(c, concord.RuleHitQuery{Member: "at", Status: concord.AlertPending})
	if err != nil || len(hits) != 1 || hits[0].BookingID != bookingID("at", "RULEHT") || hits[0].Version != 1 || len(hits[0].Explanation) != 2 || hits[0].RuleVersion != 2 {
		t.Fatalf("hits %+v %v", hits, err)
	}
	if hs, _ := s.RuleHits(c, concord.RuleHitQuery{Member: "fr"}); len(hs) != 0 {
		t.Errorf("fr sees hits %+v", hs)
	}
	if err := s.DecideRuleHit(c, "fr", hits[0].ID, concord.AlertDismissed, "rev", "not ours to decide"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("fr deciding at's hit: %v", err)
	}
	if err := s.DecideRuleHit(as(t, "rev", "at"), "at", hits[0].ID, concord.AlertDismissed, "rev", "family visit, documented"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "rev", "pnr.hit.decide", fmt.Sprint(hits[0].ID), "dismissed: family visit, documented")
	if err := s.DecideRuleHit(c, "at", hits[0].ID, concord.AlertConfirmed, "rev", "changed my mind"); concord.ErrorCode(err) != concord.ECONFLICT {
		t.Errorf("deciding twice: %v", err)
	}
	h, _ := s.RuleHits(c, concord.RuleHitQuery{Member: "at", BookingID: bookingID("at", "RULEHT")})
	if len(h) != 1 || h[0].Status != concord.AlertDismissed || h[0].Reviewer != "rev" || h[0].DecidedAt == nil {
		t.Errorf("decided hit %+v", h)
	}
	if err := s.DeletePNRRule(c, "fr", "rule-1"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("fr deleting at's rule: %v", err)
	}
	if err := s.DeletePNRRule(c, "at", "rule-1"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.RuleStats(c, "at", "rule-1"); len(st) != 0 {
		t.Errorf("counts of a deleted rule %v", st)
	}
	if h, _ := s.RuleHits(c, concord.RuleHitQuery{Member: "at"}); len(h) != 1 {
		t.Errorf("hits of a deleted rule are kept for review: %+v", h)
	}
	conds, _ := json.Marshal(h[0].Explanation)
	if !strings.Contains(string(conds), "route via IST") {
		t.Errorf("explanation %s", conds)
	}
}
