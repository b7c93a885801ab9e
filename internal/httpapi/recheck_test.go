package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/job"
	"concord/match"
)

// screenAs stores a screened row for v's member as the runner would: the
// result with the versions of its matches, and an alert per match.
func (e *env) screenAs(user, name string) *concord.Job {
	e.t.Helper()
	ctx := context.Background()
	v := e.viewer(user)
	q := job.Query{ID: "t1", Name: name}
	qb, _ := json.Marshal(&q)
	j := &concord.Job{ID: "job-recheck", Kind: "csv", Source: "t.csv", Owner: user, Member: v.Member, Threshold: 0.5, Limit: 5}
	ac := concord.WithActor(ctx, concord.Actor{User: user, Member: v.Member, Via: "api"})
	if err := e.store.CreateJob(ac, j, concord.JobRows([]concord.JobRow{{JobID: j.ID, N: 0, Key: "t1", Query: qb}})); err != nil {
		e.t.Fatal(err)
	}
	ms, err := e.matcher.Match(ctx, v, q.MatchQuery(), match.Options{Threshold: 0.5, Limit: 5})
	if err != nil || len(ms) == 0 {
		e.t.Fatalf("no match for %s: %v", name, err)
	}
	res := job.Result{ID: "t1", Matches: ms}
	var alerts []concord.Alert
	for _, m := range ms {
		ent, err := e.store.Entity(ctx, v.Filter(), m.EntityID)
		if err != nil {
			e.t.Fatal(err)
		}
		res.Versions = append(res.Versions, ent.Version())
		mb, _ := json.Marshal(&m)
		alerts = append(alerts, concord.Alert{Row: 0, QueryKey: "t1", Identity: "ident", EntityID: m.EntityID,
			EntityVersion: ent.Version(), Score: m.Score, Query: qb, Match: mb})
	}
	rb, _ := json.Marshal(&res)
	if err := e.store.CompleteRows(ac, j.ID, []concord.JobRow{{JobID: j.ID, N: 0, Key: "t1", Query: qb, Result: rb, Done: true}}, alerts); err != nil {
		e.t.Fatal(err)
	}
	return j
}

// viewer is the access viewer of a test user, as the server builds it.
func (e *env) viewer(user string) access.Viewer {
	e.t.Helper()
	p, err := e.srv.auth.Authenticate(context.Background(), e.tokens[user])
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Viewer
}

// Issue 8 §5: stored alerts and job results are read through the reader's
// view, as everything else is. After fr narrows a value of its record, es's
// alert no longer shows it; after fr narrows the whole record, es's alert
// is gone — answered exactly like an alert that never was — and its job
// result has no match on it.
func TestStoredOutcomesFilteredOnRead(t *testing.T) {
	e := newEnv(t)
	var created struct {
		EntityID   string              `json:"entity_id"`
		Statements []concord.Statement `json:"statements"`
	}
	e.must(201, e.do("POST", "/v1/statements", "fr-analyst", map[string]any{
		"schema": "Person", "audience": "coalition", "handling": "GREEN",
		"properties": map[string][]string{"name": {"Yusuf Omar Hadid"}, "alias": {"Abu Hafsa al-Tunisi"}, "birthDate": {"1984"}},
	})).json(t, &created)
	ids := map[string]string{}
	for _, st := range created.Statements {
		ids[st.Prop] = st.ID
	}
	j := e.screenAs("es-analyst", "Yusuf Omar Hadid")
	alerts := func() []concord.Alert {
		var as struct{ Alerts []concord.Alert }
		e.must(200, e.do("GET", "/v1/alerts", "es-reviewer", nil)).json(t, &as)
		return as.Alerts
	}
	results := func() string {
		return string(e.must(200, e.do("GET", "/v1/jobs/"+j.ID+"/results", "es-analyst", nil)).Body)
	}
	as := alerts()
	if len(as) != 1 || !strings.Contains(string(as[0].Match), "Yusuf Omar Hadid") || !strings.Contains(results(), created.EntityID) {
		t.Fatalf("before: alerts %+v results %s", as, results())
	}
	if strings.Contains(results(), "versions") {
		t.Errorf("results show the stored versions: %s", results())
	}
	id := as[0].ID

	// fr narrows the alias and the birth date to itself.
	e.must(200, e.do("POST", "/v1/statements/reshare", "fr-analyst", map[string]any{
		"ids": []string{ids["alias"], ids["birthDate"]}, "audience": "member:fr", "handling": "AMBER"}))
	as = alerts()
	if len(as) != 1 {
		t.Fatalf("after narrowing values: %d alerts", len(as))
	}
	one := string(e.must(200, e.do("GET", fmt.Sprintf("/v1/alerts/%d", id), "es-reviewer", nil)).Body)
	for _, body := range []string{string(as[0].Match), one, results()} {
		if strings.Contains(body, "Abu Hafsa") || strings.Contains(body, "1984") {
			t.Errorf("a narrowed value is shown: %s", body)
		}
	}
	if as[0].EntityVersion == "" || !strings.Contains(one, "Yusuf Omar Hadid") {
		t.Errorf("rechecked alert: %+v", as[0])
	}

	// fr narrows the rest of it too: es no longer sees the record at all.
	var all []string
	for _, st := range created.Statements {
		all = append(all, st.ID)
	}
	e.must(200, e.do("POST", "/v1/statements/reshare", "fr-analyst", map[string]any{
		"ids": all, "audience": "member:fr", "handling": "AMBER"}))
	if as := alerts(); len(as) != 0 {
		t.Errorf("alerts on a record es no longer sees: %+v", as)
	}
	gone := e.do("GET", fmt.Sprintf("/v1/alerts/%d", id), "es-reviewer", nil)
	never := e.do("GET", "/v1/alerts/987654", "es-reviewer", nil)
	if gone.Code != 404 || string(gone.Body) != string(never.Body) {
		t.Errorf("hidden alert %d %s, missing alert %d %s", gone.Code, gone.Body, never.Code, never.Body)
	}
	e.must(404, e.do("POST", fmt.Sprintf("/v1/alerts/%d/decision", id), "es-reviewer", map[string]string{"status": "dismissed", "reason": "x"}))
	if r := results(); strings.Contains(r, created.EntityID) || strings.Contains(r, "Yusuf") || !strings.Contains(r, `"id":"t1"`) {
		t.Errorf("result after the record was narrowed: %s", r)
	}
}

// A decision on a rechecked alert is held against the record as the
// reviewer saw it.
func TestDecisionOnWhatWasSeen(t *testing.T) {
	e := newEnv(t)
	var created struct {
		Statements []concord.Statement `json:"statements"`
	}
	e.must(201, e.do("POST", "/v1/statements", "fr-analyst", map[string]any{
		"schema": "Person", "audience": "coalition", "handling": "GREEN",
		"properties": map[string][]string{"name": {"Yusuf Omar Hadid"}, "alias": {"Abu Hafsa al-Tunisi"}},
	})).json(t, &created)
	e.screenAs("es-analyst", "Yusuf Omar Hadid")
	var alias string
	for _, st := range created.Statements {
		if st.Prop == "alias" {
			alias = st.ID
		}
	}
	e.must(200, e.do("POST", "/v1/statements/retract", "fr-analyst", map[string]any{"ids": []string{alias}}))
	var as struct{ Alerts []concord.Alert }
	e.must(200, e.do("GET", "/v1/alerts", "es-reviewer", nil)).json(t, &as)
	if len(as.Alerts) != 1 {
		t.Fatalf("alerts %+v", as.Alerts)
	}
	seen := as.Alerts[0].EntityVersion
	e.must(200, e.do("POST", fmt.Sprintf("/v1/alerts/%d/decision", as.Alerts[0].ID), "es-reviewer",
		map[string]string{"status": "dismissed", "reason": "different person"}))
	ok, err := e.store.Dismissed(context.Background(), "es", "ident", as.Alerts[0].EntityID, seen)
	if err != nil || !ok {
		t.Errorf("the dismissal is not held against the version the reviewer saw: %v %v", ok, err)
	}
}
