package httpapi

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"concord"
)

func TestMatchYenteShape(t *testing.T) {
	e := newEnv(t)
	body := `{"queries": {
		"q1": {"schema": "Person", "properties": {"name": ["Abu Bakr al-Baghdadi", "Ibrahim Awwad"], "birthDate": "1971", "nationality": ["Iraq"], "gender": ["male"]}},
		"q2": {"schema": "Person", "properties": {"firstName": ["Nobody"], "lastName": ["Atall"]}}
	}, "weights": {"name_literal": 0.8}}`
	var out struct {
		Responses map[string]struct {
			Status  int               `json:"status"`
			Results []json.RawMessage `json:"results"`
			Total   total             `json:"total"`
			Query   map[string]any    `json:"query"`
		} `json:"responses"`
		Limit   int            `json:"limit"`
		Matcher map[string]any `json:"matcher"`
	}
	r := e.must(200, e.do("POST", "/v1/match?limit=3&threshold=0.7", "fr-viewer", body))
	r.json(t, &out)
	q1 := out.Responses["q1"]
	if out.Limit != 3 || q1.Status != 200 || len(q1.Results) != 1 || q1.Total.Value != 1 || q1.Query["schema"] != "Person" || len(out.Matcher) == 0 {
		t.Fatalf("response %s", r.Body)
	}
	var res map[string]any
	json.Unmarshal(q1.Results[0], &res)
	for _, k := range []string{"id", "caption", "schema", "properties", "datasets", "referents", "score", "match", "features", "explanation"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result lacks %q: %s", k, q1.Results[0])
		}
	}
	if res["id"] != "un-qdi-1" || res["match"] != true || res["features"].(map[string]any)["name_similarity"] == nil {
		t.Errorf("result %s", q1.Results[0])
	}
	if len(out.Responses["q2"].Results) != 0 {
		t.Errorf("q2 matched %s", r.Body)
	}
	// One audit event for the request, naming the queries.
	evs, err := e.store.AuditEvents(context.Background(), concord.AuditQuery{Action: "match", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Actor != "fr-viewer" || evs[0].Member != "fr" || !strings.Contains(evs[0].Detail, "q1,q2") {
		t.Errorf("audit %+v", evs)
	}
	// yente's dataset path.
	e.must(200, e.do("POST", "/v1/match/default", "fr-viewer", body))
	var ds struct {
		Responses map[string]matchResponse `json:"responses"`
	}
	e.must(200, e.do("POST", "/v1/match/member-es", "fr-viewer", body)).json(t, &ds)
	if len(ds.Responses["q1"].Results) != 0 {
		t.Errorf("dataset filter ignored: %+v", ds.Responses["q1"].Results)
	}

	for name, bad := range map[string]string{
		"no queries":     `{"queries": {}}`,
		"unknown schema": `{"queries": {"q": {"schema": "Starship", "properties": {"name": ["x"]}}}}`,
		"no name":        `{"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}}`,
		"not json":       `{"queries": `,
	} {
		if r := e.do("POST", "/v1/match", "fr-viewer", bad); r.Code != 400 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
	e.must(400, e.do("POST", "/v1/match?threshold=2", "fr-viewer", body))
	e.must(400, e.do("POST", "/v1/match?limit=0", "fr-viewer", body))
	// The refs of a record merged across lists are returned as concord
	// screen returns them, not only the lead entity's.
	e.matcher.mu.Lock()
	e.matcher.refs = map[string][]string{"un-qdi-1": {"un:QDi.001", "ofac:15440"}}
	e.matcher.mu.Unlock()
	var merged struct {
		Responses map[string]matchResponse `json:"responses"`
	}
	e.must(200, e.do("POST", "/v1/match", "fr-viewer", body)).json(t, &merged)
	if rs := merged.Responses["q1"].Results; len(rs) != 1 || strings.Join(rs[0].Referents, ",") != "un:QDi.001,ofac:15440" {
		t.Errorf("referents of a merged record: %+v", rs)
	}
	e.matcher.mu.Lock()
	e.matcher.refs = nil
	e.matcher.mu.Unlock()
}

func TestJobs(t *testing.T) {
	e := newEnv(t)
	csv := "id,name,birth_date,nationality\nt1,Abu Bakr al-Baghdadi,1971,iq\nt2,Maria Lopez,1990,es\n"
	var j concord.Job
	r := e.must(202, e.do("POST", "/v1/jobs?threshold=0.75&limit=3&name=manifest.csv", "es-analyst", csv, "Content-Type", "text/csv"))
	r.json(t, &j)
	if j.Kind != "csv" || j.Member != "es" || j.Owner != "es-analyst" || r.Header.Get("Location") != "/v1/jobs/"+j.ID {
		t.Fatalf("job %+v", j)
	}
	if c := e.jobs.calls[0]; c.kind != "csv" || c.source != "manifest.csv" || c.threshold != 0.75 || c.limit != 3 {
		t.Errorf("submit %+v", c)
	}
	// A PAXLST message is recognised by its content.
	pax, err := os.ReadFile(firstPaxlst(t))
	if err != nil {
		t.Fatal(err)
	}
	var pj concord.Job
	e.must(202, e.do("POST", "/v1/jobs", "es-reviewer", pax, "Content-Type", "application/octet-stream")).json(t, &pj)
	if pj.Kind != "paxlst" {
		t.Errorf("paxlst detected as %q", pj.Kind)
	}
	// Payment messages: declared, or recognised by their content.
	pacs, err := os.ReadFile("../importer/iso20022/testdata/concord_pacs008_listed.xml")
	if err != nil {
		t.Fatal(err)
	}
	mt, err := os.ReadFile("../importer/swiftmt/testdata/concord_mt103_listed.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		body  []byte
		ctype string
		kind  string
	}{
		{pacs, "application/xml", "iso20022"},
		{pacs, "", "iso20022"},
		{mt, "application/x-swift", "swift-mt"},
		{mt, "text/plain", "swift-mt"},
	} {
		var job concord.Job
		e.must(202, e.do("POST", "/v1/jobs", "es-analyst", c.body, "Content-Type", c.ctype)).json(t, &job)
		if job.Kind != c.kind {
			t.Errorf("%s: kind %q, want %q", c.ctype, job.Kind, c.kind)
		}
	}
	e.must(400, e.do("POST", "/v1/jobs", "es-analyst", pacs, "Content-Type", "application/pdf"))
	// So is a PNRGOV push, also when sent as EDIFACT.
	pnr, err := os.ReadFile("../importer/pnrgov/testdata/concord_sample_push.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"application/octet-stream", "application/edifact"} {
		var nj concord.Job
		e.must(202, e.do("POST", "/v1/jobs", "es-reviewer", pnr, "Content-Type", ct)).json(t, &nj)
		if nj.Kind != "pnrgov" {
			t.Errorf("%s: pnrgov detected as %q", ct, nj.Kind)
		}
	}
	e.must(400, e.do("POST", "/v1/jobs", "es-analyst", "{}", "Content-Type", "application/json"))
	e.must(400, e.do("POST", "/v1/jobs", "es-analyst", "  ", "Content-Type", "text/csv"))
	e.must(403, e.do("POST", "/v1/jobs", "es-viewer", csv, "Content-Type", "text/csv"))

	// Only the member's jobs.
	e.must(200, e.do("GET", "/v1/jobs/"+j.ID, "es-reviewer", nil))
	e.must(404, e.do("GET", "/v1/jobs/"+j.ID, "fr-analyst", nil))
	e.must(404, e.do("GET", "/v1/jobs/"+j.ID+"/results", "fr-analyst", nil))
	e.must(404, e.do("GET", "/v1/jobs/nope", "es-analyst", nil))
	var list struct{ Jobs []concord.Job }
	e.must(200, e.do("GET", "/v1/jobs", "fr-analyst", nil)).json(t, &list)
	if len(list.Jobs) != 0 {
		t.Errorf("fr lists %+v", list.Jobs)
	}
	e.must(403, e.do("GET", "/v1/jobs", "es-viewer", nil))

	// Results: done rows only, in order, one JSON line each.
	if r := e.must(200, e.do("GET", "/v1/jobs/"+j.ID+"/results", "es-analyst", nil)); len(r.Body) != 0 {
		t.Errorf("results before screening: %q", r.Body)
	}
	ctx := context.Background()
	rows, err := e.store.PendingRows(ctx, j.ID, 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("pending rows %v %v", rows, err)
	}
	rows[1].Result, rows[1].Done = []byte("{\n \"id\": \"t2\", \"results\": []\n}"), true
	if err := e.store.CompleteRows(ctx, j.ID, rows[1:], nil); err != nil {
		t.Fatal(err)
	}
	r = e.must(200, e.do("GET", "/v1/jobs/"+j.ID+"/results", "es-analyst", nil))
	if string(r.Body) != `{"id":"t2","results":[]}`+"\n" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-ndjson") {
		t.Errorf("results %q", r.Body)
	}
	rows[0].Result, rows[0].Done = []byte(`{"id":"t1","results":[]}`), true
	e.store.CompleteRows(ctx, j.ID, rows[:1], nil)
	r = e.must(200, e.do("GET", "/v1/jobs/"+j.ID+"/results", "es-analyst", nil))
	if got := strings.Split(strings.TrimSpace(string(r.Body)), "\n"); len(got) != 2 || !strings.Contains(got[0], "t1") || !strings.Contains(got[1], "t2") {
		t.Errorf("results %q", r.Body)
	}
}

func firstPaxlst(t *testing.T) string {
	t.Helper()
	ms, _ := filepath.Glob("../importer/paxlst/testdata/*.txt")
	for _, m := range ms {
		if b, err := os.ReadFile(m); err == nil && strings.Contains(string(b), "PAXLST") {
			return m
		}
	}
	t.Skip("no PAXLST sample")
	return ""
}

// raiseAlerts makes a job of member es with two screened rows and alerts.
func raiseAlerts(t *testing.T, e *env) []concord.Alert {
	t.Helper()
	ctx := context.Background()
	var j concord.Job
	e.must(202, e.do("POST", "/v1/jobs", "es-analyst", "id,name\nt1,Abu Bakr al-Baghdadi\nt2,Abu Bakr Baghdadi\n", "Content-Type", "text/csv")).json(t, &j)
	rows, err := e.store.PendingRows(ctx, j.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []concord.Alert
	for i := range rows {
		rows[i].Done, rows[i].Result = true, []byte(`{"id":"`+rows[i].Key+`"}`)
		alerts = append(alerts, concord.Alert{JobID: j.ID, Row: rows[i].N, QueryKey: rows[i].Key, Identity: "id-" + rows[i].Key,
			Member: "es", EntityID: "un-qdi-1", EntityVersion: "v1", Score: 0.93, Query: rows[i].Query,
			Match: []byte(`{"entity_id":"un-qdi-1"}`), Status: concord.AlertPending, CreatedAt: e.clock.Now()})
	}
	if err := e.store.CompleteRows(ctx, j.ID, rows, alerts); err != nil {
		t.Fatal(err)
	}
	var list struct{ Alerts []concord.Alert }
	e.must(200, e.do("GET", "/v1/alerts?status=pending&job="+j.ID, "es-reviewer", nil)).json(t, &list)
	if len(list.Alerts) != 2 {
		t.Fatalf("alerts %+v", list.Alerts)
	}
	return list.Alerts
}

func TestAlertDecisionFlow(t *testing.T) {
	e := newEnv(t)
	as := raiseAlerts(t, e)
	id := func(a concord.Alert) string { return "/v1/alerts/" + itoa64(a.ID) }
	decide := func(user string, a concord.Alert, status, reason string) *resp {
		return e.do("POST", id(a)+"/decision", user, map[string]string{"status": status, "reason": reason})
	}
	// Other members do not see the alert at all.
	e.must(404, e.do("GET", id(as[0]), "fr-reviewer", nil))
	e.must(404, decide("fr-reviewer", as[0], "dismissed", "not ours"))
	var frList struct{ Alerts []concord.Alert }
	e.must(200, e.do("GET", "/v1/alerts", "fr-reviewer", nil)).json(t, &frList)
	if len(frList.Alerts) != 0 {
		t.Errorf("fr sees %+v", frList.Alerts)
	}
	e.must(403, e.do("GET", "/v1/alerts", "es-viewer", nil))
	// The member's administrator oversees jobs and alerts, read-only.
	var adminList struct{ Alerts []concord.Alert }
	e.must(200, e.do("GET", "/v1/alerts?status=pending", "es-admin", nil)).json(t, &adminList)
	if len(adminList.Alerts) != 2 {
		t.Errorf("es-admin lists %d alerts, want 2", len(adminList.Alerts))
	}
	var jobs struct{ Jobs []concord.Job }
	e.must(200, e.do("GET", "/v1/jobs", "es-admin", nil)).json(t, &jobs)
	if len(jobs.Jobs) != 1 {
		t.Errorf("es-admin lists %d jobs, want 1", len(jobs.Jobs))
	}
	e.must(200, e.do("GET", id(as[0]), "es-admin", nil))
	e.must(403, decide("es-admin", as[0], "dismissed", "an administrator does not decide"))
	e.must(404, e.do("GET", id(as[0]), "sec-secretariat", nil))
	// A screener sees but does not decide.
	e.must(200, e.do("GET", id(as[0]), "es-analyst", nil))
	e.must(403, decide("es-analyst", as[0], "confirmed", "looks right"))
	// A reason is required, the status must be a decision.
	e.must(400, decide("es-reviewer", as[0], "confirmed", "   "))
	e.must(400, decide("es-reviewer", as[0], "pending", "undo"))
	e.must(404, decide("es-reviewer", concord.Alert{ID: 999999}, "confirmed", "x"))

	var got concord.Alert
	e.must(200, decide("es-reviewer", as[0], "confirmed", "same person: name, birth year and nationality agree")).json(t, &got)
	if got.Status != concord.AlertConfirmed || got.Reviewer != "es-reviewer" || got.Reason == "" || got.DecidedAt == nil {
		t.Errorf("decided %+v", got)
	}
	e.must(409, decide("es-reviewer", as[0], "dismissed", "changed my mind"))
	e.must(200, decide("es-reviewer", as[1], "dismissed", "different person: born 1990"))

	var pending struct{ Alerts []concord.Alert }
	e.must(200, e.do("GET", "/v1/alerts?status=pending", "es-reviewer", nil)).json(t, &pending)
	if len(pending.Alerts) != 0 {
		t.Errorf("pending after decisions: %+v", pending.Alerts)
	}
	e.must(400, e.do("GET", "/v1/alerts?status=maybe", "es-reviewer", nil))
}

func TestAuditScope(t *testing.T) {
	e := newEnv(t)
	e.must(200, e.do("GET", "/v1/entities/un-qdi-1", "es-viewer", nil))
	e.must(200, e.do("GET", "/v1/entities/un-qdi-1", "fr-viewer", nil))
	var es, all struct{ Events []concord.AuditEvent }
	e.must(200, e.do("GET", "/v1/audit?action=entity.read", "es-admin", nil)).json(t, &es)
	if len(es.Events) != 1 || es.Events[0].Actor != "es-viewer" || es.Events[0].Object != "un-qdi-1" {
		t.Errorf("es admin audit %+v", es.Events)
	}
	e.must(200, e.do("GET", "/v1/audit?action=entity.read", "sec-secretariat", nil)).json(t, &all)
	if len(all.Events) != 2 {
		t.Errorf("secretariat audit %+v", all.Events)
	}
	e.must(403, e.do("GET", "/v1/audit", "es-analyst", nil))
	e.must(400, e.do("GET", "/v1/audit?after=x", "es-admin", nil))
	// The admin's own reading of the audit is audited.
	var self struct{ Events []concord.AuditEvent }
	e.must(200, e.do("GET", "/v1/audit?action=audit.read&actor=es-admin", "es-admin", nil)).json(t, &self)
	if len(self.Events) == 0 {
		t.Error("reading the audit is not audited")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// Issue 8 §4: a member's view of the audit tells nothing of the other
// members' activity. es does the same in two worlds; in one, fr also reads
// and screens in between. es's administrator gets the same bytes in both,
// numbered 1, 2, 3 ... without gaps and without the chain's links.
func TestAuditMemberViewRevealsNoOtherActivity(t *testing.T) {
	view := func(busy bool) []byte {
		e := newEnv(t)
		e.must(200, e.do("GET", "/v1/entities/un-qdi-1", "es-viewer", nil))
		if busy {
			for range 7 {
				e.must(200, e.do("GET", "/v1/entities/un-qdi-1", "fr-viewer", nil))
				e.must(200, e.do("GET", "/v1/search?q=baghdadi", "fr-analyst", nil))
			}
		}
		e.must(200, e.do("GET", "/v1/search?q=baghdadi", "es-viewer", nil))
		e.must(200, e.do("GET", "/v1/audit?limit=2", "es-admin", nil))
		return e.must(200, e.do("GET", "/v1/audit?after=2", "es-admin", nil)).Body
	}
	quiet, busy := view(false), view(true)
	if string(quiet) != string(busy) {
		t.Errorf("es's audit view changes with fr's activity:\nquiet %s\nbusy  %s", quiet, busy)
	}
	var got struct {
		Events []map[string]any `json:"events"`
	}
	json.Unmarshal(busy, &got)
	for i, ev := range got.Events {
		if ev["seq"] != float64(i+3) {
			t.Errorf("row %d numbered %v, want %d", i, ev["seq"], i+3)
		}
		for _, k := range []string{"prev", "hash", "key_id"} {
			if _, ok := ev[k]; ok {
				t.Errorf("row %d shows the chain's %s", i, k)
			}
		}
	}
	if len(got.Events) < 2 {
		t.Fatalf("es's view after row 2: %s", busy)
	}
	// The secretariat reads the chain itself.
	e := newEnv(t)
	e.must(200, e.do("GET", "/v1/entities/un-qdi-1", "es-viewer", nil))
	var all struct{ Events []concord.AuditEvent }
	e.must(200, e.do("GET", "/v1/audit", "sec-secretariat", nil)).json(t, &all)
	if len(all.Events) == 0 || all.Events[len(all.Events)-1].Hash == "" {
		t.Errorf("secretariat's view: %+v", all.Events)
	}
}
