package httpapi

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"concord"
)

func samplePush(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../importer/pnrgov/testdata/concord_sample_push.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPNRAccessMatrix extends the matrix to PNR data and its links: only
// the PNR unit of the member that received a push (its analysts and
// reviewers, with the screen scope) sees its bookings, versions, links,
// network, rules and hits; for everyone else they answer exactly like
// missing ones, in every list and count.
func TestPNRAccessMatrix(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testPNRAccessMatrix(t, newEnvOn(t, b)) })
	}
}

func testPNRAccessMatrix(t *testing.T, e *env) {
	push := samplePush(t)
	e.must(403, e.do("POST", "/v1/pnr/pushes", "es-viewer", push, "Content-Type", "application/edifact"))
	e.must(400, e.do("POST", "/v1/pnr/pushes", "es-analyst", "id,name\nq1,x\n", "Content-Type", "application/edifact"))
	var rep concord.PNRImportReport
	e.must(201, e.do("POST", "/v1/pnr/pushes?name=ZZ471", "es-analyst", push, "Content-Type", "application/edifact")).json(t, &rep)
	if rep.New != 3 || rep.Screened != 4 || rep.Job == "" {
		t.Fatalf("push %+v", rep)
	}
	var rule concord.PNRRule
	e.must(201, e.do("POST", "/v1/pnr/rules", "es-analyst", map[string]any{"name": "cash", "enabled": true,
		"conditions": []map[string]any{{"kind": "cash"}}})).json(t, &rule)
	e.must(400, e.do("POST", "/v1/pnr/rules", "es-analyst", map[string]any{"name": "by nationality",
		"conditions": []map[string]any{{"kind": "nationality", "values": []string{"AFG"}}}}))
	e.must(201, e.do("POST", "/v1/pnr/pushes?name=again", "es-analyst", strings.Replace(string(push), "RPI+2+HK", "RPI+2+KK", 1)))
	var hits struct{ Hits []concord.RuleHit }
	e.must(200, e.do("GET", "/v1/pnr/hits", "es-reviewer", nil)).json(t, &hits)
	if len(hits.Hits) != 2 {
		t.Fatalf("hits %+v", hits)
	}
	var list struct{ Bookings []concord.Booking }
	e.must(200, e.do("GET", "/v1/pnr/bookings", "es-analyst", nil)).json(t, &list)
	if len(list.Bookings) != 3 {
		t.Fatalf("bookings %+v", list)
	}
	id := list.Bookings[0].ID
	missing := string(e.must(404, e.do("GET", "/v1/pnr/bookings/bk-0000000000000000", "es-analyst", nil)).Body)
	missingLinks := string(e.must(404, e.do("GET", "/v1/pnr/bookings/bk-0000000000000000/links", "es-analyst", nil)).Body)

	type access struct {
		user  string
		read  bool // the PNR unit of es
		other bool // may read PNR data, of another member
	}
	for _, v := range []access{
		{"es-analyst", true, false}, {"es-reviewer", true, false},
		{"es-viewer", false, false}, {"es-admin", false, false}, {"uz-viewer", false, false}, {"sec-secretariat", false, false},
		{"fr-analyst", false, true}, {"fr-reviewer", false, true}, {"uz-analyst", false, true},
	} {
		t.Run(v.user, func(t *testing.T) {
			reads := []string{"/v1/pnr/bookings", "/v1/pnr/bookings/" + id, "/v1/pnr/bookings/" + id + "/links",
				"/v1/pnr/links?kind=phone&value=905321112233", "/v1/pnr/network", "/v1/pnr/rules", "/v1/pnr/hits",
				"/v1/pnr/rules/" + rule.ID + "/rates", "/v1/pnr/bookings/" + id + "/network?hops=2",
				"/v1/pnr/bookings/" + id + "/network?format=graphml", "/v1/pnr/bookings/" + id + "/exposure"}
			for _, path := range reads {
				r := e.do("GET", path, v.user, nil)
				switch {
				case v.read && r.Code != 200:
					t.Errorf("%s: %d %s", path, r.Code, r.Body)
				case !v.read && !v.other && r.Code != 403:
					t.Errorf("%s: %d, want 403", path, r.Code)
				case v.other:
					body := string(r.Body)
					switch {
					case strings.HasSuffix(path, "/links") && strings.HasPrefix(path, "/v1/pnr/bookings/"):
						if r.Code != 404 || body != missingLinks {
							t.Errorf("%s: %d %s, want the body of a missing booking", path, r.Code, body)
						}
					case strings.HasPrefix(path, "/v1/pnr/bookings/"):
						if r.Code != 404 || body != missing {
							t.Errorf("%s: %d %s, want the body of a missing booking", path, r.Code, body)
						}
					case strings.HasPrefix(path, "/v1/pnr/rules/"):
						if r.Code != 404 {
							t.Errorf("%s: %d", path, r.Code)
						}
					default:
						if r.Code != 200 || strings.Contains(body, "Q7KD2M") || strings.Contains(body, rule.ID) ||
							strings.Contains(body, `"booking"`) || strings.Contains(body, `"id"`) {
							t.Errorf("%s: %d %s, want an empty answer", path, r.Code, body)
						}
					}
				}
			}
		})
	}
	// The network of a booking, as package graph answers it: its linked
	// bookings, in every export format.
	var sub struct {
		Nodes []struct{ ID, Caption string }
		Edges []struct{ Type, Label string }
	}
	q7 := ""
	for _, b := range list.Bookings {
		if b.Locator == "Q7KD2M" {
			q7 = b.ID
		}
	}
	e.must(200, e.do("GET", "/v1/pnr/bookings/"+q7+"/network?hops=1", "es-analyst", nil)).json(t, &sub)
	if len(sub.Nodes) != 2 || len(sub.Edges) != 2 || !strings.HasPrefix(sub.Nodes[1].Caption, "T5WN8A") || sub.Edges[0].Type != "linked_to" {
		t.Errorf("network of Q7KD2M: %+v", sub)
	}
	for format, want := range map[string]string{"svg": "<svg", "graphml": "<graphml", "cytoscape": `"elements"`} {
		if r := e.must(200, e.do("GET", "/v1/pnr/bookings/"+q7+"/network?format="+format, "es-analyst", nil)); !strings.Contains(string(r.Body), want) {
			t.Errorf("format %s: %.200s", format, r.Body)
		}
	}
	e.must(400, e.do("GET", "/v1/pnr/bookings/"+q7+"/network?format=dot", "es-analyst", nil))
	e.must(400, e.do("GET", "/v1/pnr/bookings/"+q7+"/exposure?hops=9", "es-analyst", nil))

	// Writes: re-personalisation is a reviewer's (and only of a masked
	// version); the policy an administrator's; rules an analyst's of their
	// own member; hits are decided by the member's reviewers.
	e.must(403, e.do("POST", "/v1/pnr/bookings/"+id+"/versions/1/repersonalise", "es-analyst", map[string]string{"reason": "judicial order 1/26"}))
	e.must(400, e.do("POST", "/v1/pnr/bookings/"+id+"/versions/1/repersonalise", "es-reviewer", map[string]string{"reason": "judicial order 1/26"}))
	e.must(404, e.do("POST", "/v1/pnr/bookings/"+id+"/versions/1/repersonalise", "fr-reviewer", map[string]string{"reason": "judicial order 1/26"}))
	e.must(403, e.do("PUT", "/v1/pnr/policy", "es-analyst", map[string]int{"depersonalise_days": 30, "retain_days": 365}))
	var pol concord.PNRPolicy
	e.must(200, e.do("PUT", "/v1/pnr/policy", "es-admin", map[string]int{"depersonalise_days": 30, "retain_days": 365})).json(t, &pol)
	if pol.Member != "es" || pol.DepersonaliseDays != 30 {
		t.Errorf("policy %+v", pol)
	}
	e.must(400, e.do("PUT", "/v1/pnr/policy", "es-admin", map[string]int{"depersonalise_days": 400, "retain_days": 365}))
	e.must(200, e.do("GET", "/v1/pnr/policy", "es-admin", nil)).json(t, &pol)
	if pol.RetainDays != 365 {
		t.Errorf("policy %+v", pol)
	}
	e.must(403, e.do("POST", "/v1/pnr/rules", "es-reviewer", map[string]any{"name": "x", "conditions": []map[string]any{{"kind": "cash"}}}))
	e.must(404, e.do("PUT", "/v1/pnr/rules/"+rule.ID, "fr-analyst", map[string]any{"name": "mine now", "conditions": []map[string]any{{"kind": "cash"}}}))
	e.must(404, e.do("DELETE", "/v1/pnr/rules/"+rule.ID, "fr-analyst", nil))
	e.must(404, e.do("POST", "/v1/pnr/hits/"+itoa(hits.Hits[0].ID)+"/decision", "fr-reviewer", map[string]string{"status": "dismissed", "reason": "x"}))
	e.must(403, e.do("POST", "/v1/pnr/hits/"+itoa(hits.Hits[0].ID)+"/decision", "es-analyst", map[string]string{"status": "dismissed", "reason": "x"}))
	e.must(200, e.do("POST", "/v1/pnr/hits/"+itoa(hits.Hits[0].ID)+"/decision", "es-reviewer", map[string]string{"status": "dismissed", "reason": "documented trip"}))
	e.must(409, e.do("POST", "/v1/pnr/hits/"+itoa(hits.Hits[0].ID)+"/decision", "es-reviewer", map[string]string{"status": "confirmed", "reason": "again"}))
	// A token without the screen scope reads no PNR data.
	var tr tokenResponse
	e.must(201, e.do("POST", "/v1/tokens", "es-analyst", map[string]any{"name": "narrow", "scopes": []string{"read", "match"}})).json(t, &tr)
	e.must(403, e.do("GET", "/v1/pnr/bookings", tr.Secret, nil))
	e.must(403, e.do("GET", "/v1/pnr/links?kind=phone&value=905321112233", tr.Secret, nil))
	e.must(403, e.do("POST", "/v1/pnr/pushes", tr.Secret, push))
	// Reads are audited.
	evs, err := e.store.AuditEvents(e.t.Context(), concord.AuditQuery{Action: "pnr.links"})
	if err != nil || len(evs) == 0 || evs[0].Member != "es" {
		t.Errorf("link queries audited: %+v %v", evs, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A push over the upload limit is refused with 413, whether it says its
// length or not, and stores nothing.
func TestPNRPushTooLarge(t *testing.T) {
	e := newEnv(t)
	push := samplePush(t)
	e.srv.cfg.MaxJobBody = int64(len(push) - 1)
	e.mustRefuseOversized("/v1/pnr/pushes", "application/edifact", push)
	var list struct{ Bookings []concord.Booking }
	if e.must(200, e.do("GET", "/v1/pnr/bookings", "es-analyst", nil)).json(t, &list); len(list.Bookings) != 0 {
		t.Errorf("an oversized push stored bookings: %+v", list.Bookings)
	}
	if js, _ := e.store.Jobs(context.Background(), ""); len(js) != 0 {
		t.Errorf("an oversized push made a job: %+v", js)
	}
	e.srv.cfg.MaxJobBody = int64(len(push))
	e.must(201, e.do("POST", "/v1/pnr/pushes", "es-analyst", push, "Content-Type", "application/edifact"))
}
