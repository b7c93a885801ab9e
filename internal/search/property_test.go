package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/follow"
)

// The property of issue 8 §1: what a viewer gets — match results, their
// order, scores and explanations, search totals, entity views, exports,
// screening jobs with their results and alerts, the audit view — is a
// function of what that viewer may see and nothing else. Two worlds are
// built from the same seed: the same public lists and the same member
// contributions (some visible to the viewer, some not); world B also holds
// records the viewer may not see, many of them named like listed persons.
// The viewer's users then do the same things in both worlds, through the
// real HTTP API on the real store, and every response must be the same, byte
// for byte.
//
// Nothing is normalised but the random job ids: the audit view numbers a
// member's own rows (issue 8 §4), and an alert's entity_version is that of
// the listed record as the member sees it (§2).
func TestHiddenRecordsChangeNothing(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4}
	if s := os.Getenv("CONCORD_PROPERTY_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CONCORD_PROPERTY_SEED=%q: %v", s, err)
		}
		seeds = []uint64{n}
	} else if underRace {
		seeds = seeds[:1]
	} else if testing.Short() {
		seeds = seeds[:2]
	}
	lists := publicLists(t)
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			for _, sd := range seeds {
				if backend == "postgres" && len(seeds) > 1 && sd > 2 {
					continue // PostgreSQL worlds are slower to build: fewer seeds
				}
				t.Run(fmt.Sprintf("seed=%d", sd), func(t *testing.T) {
					sc := newScenario(sd, lists)
					t.Logf("viewer %s, %d hidden records, %d hidden statements on visible records", sc.viewer, len(sc.hidden), len(sc.hiddenOnVisible))
					a := sc.session(t, sc.build(t, backend, false, false))
					b := sc.session(t, sc.build(t, backend, true, false))
					compareSessions(t, sc, a, b)
					if sd <= 2 && !(underRace && backend == "postgres") {
						t.Run("live", func(t *testing.T) {
							a := sc.session(t, sc.build(t, backend, false, true))
							b := sc.session(t, sc.build(t, backend, true, true))
							compareSessions(t, sc, a, b)
						})
					}
				})
			}
		})
	}
}

// build makes one world: coalition, public lists, contributions (and the
// hidden records when withHidden), then the node's services.
//
// When live, the node is serving (and following the store's change feed)
// before the second half of the contributions, the hidden records and a
// new version of the second list arrive: they reach its indexes through
// Apply, not a build.
func (sc *scenario) build(t *testing.T, backend string, withHidden, live bool) *world {
	t.Helper()
	ctx := context.Background()
	clock := &stepClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	st := openStore(t, backend, clock)
	sys := concord.WithActor(ctx, concord.Actor{User: "system", Via: "test"})
	co := &concord.Coalition{Name: "test", Members: []concord.Member{{ID: "sec", Kind: "organisation", Name: "Secretariat"}},
		Groups: []concord.Group{
			{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup, Members: []string{"es", "fr"}},
			{ID: "africa", Name: "Africa Focus Group", Kind: concord.GroupTaskForce, Members: []string{"fr", "de"}},
		}}
	for _, m := range memberIDs {
		co.Members = append(co.Members, concord.Member{ID: m, Country: strings.ToUpper(m), Name: "Member " + m})
	}
	if err := st.LoadCoalition(sys, co); err != nil {
		t.Fatal(err)
	}
	for _, b := range []*concord.ImportBatch{sc.lists.un, sc.lists.eu, sc.lists.common} {
		if _, err := st.Import(sys, b); err != nil {
			t.Fatal(err)
		}
	}
	contribute := func(cs []contribution) {
		for _, c := range cs {
			cctx := concord.WithActor(ctx, concord.Actor{User: c.member + "-analyst", Member: c.member, Via: "test"})
			if err := st.Contribute(cctx, c.stmts); err != nil {
				t.Fatal(err)
			}
		}
	}
	var users []concord.User
	for _, m := range memberIDs {
		users = append(users,
			concord.User{Name: m + "-analyst", Member: m, Roles: []concord.Role{concord.RoleAnalyst, concord.RoleReviewer}, PasswordHash: "x"},
			concord.User{Name: m + "-admin", Member: m, Roles: []concord.Role{concord.RoleAdmin}, PasswordHash: "x"})
	}
	// Hidden records are interleaved with the others: some before, some after.
	half := len(sc.background) / 2
	contribute(sc.background[:half])
	var w *world
	var f *follow.Follower
	if live {
		w = serve(t, st, clock, users)
		f = w.follows(t)
	}
	if withHidden {
		contribute(sc.hidden[:20])
		contribute(sc.hiddenOnVisible)
	}
	if live {
		if _, err := st.Import(sys, sc.lists.eu2); err != nil {
			t.Fatal(err)
		}
	}
	contribute(sc.background[half:])
	if withHidden {
		contribute(sc.hidden[20:])
	}
	if !live {
		return serve(t, st, clock, users)
	}
	w.caughtUp(t, f)
	return w
}

// step is one request of a session and its response.
type step struct {
	label string
	r     reply
}

// session is what the viewer's users do, in order; every response is kept.
func (sc *scenario) session(t *testing.T, w *world) []step {
	t.Helper()
	analyst, admin := sc.viewer+"-analyst", sc.viewer+"-admin"
	var out []step
	do := func(label, method, path, user string, body []byte, ct string) reply {
		r := w.do(method, path, user, body, ct)
		out = append(out, step{label, r})
		return r
	}
	qs := map[string]any{}
	for i, q := range sc.queries {
		props := map[string][]string{"name": {q.name}}
		if q.birth != "" {
			props["birthDate"] = []string{q.birth}
		}
		if q.nat != "" {
			props["nationality"] = []string{q.nat}
		}
		qs[fmt.Sprintf("q%02d", i)] = map[string]any{"schema": "LegalEntity", "properties": props}
	}
	body, _ := json.Marshal(map[string]any{"queries": qs})
	do("match", "POST", "/v1/match", analyst, body, "application/json")
	do("match low threshold", "POST", "/v1/match?threshold=0.5&limit=20", analyst, body, "application/json")
	for _, q := range sc.queries {
		do("search "+q.name, "GET", "/v1/search?limit=50&q="+urlQuery(q.name), analyst, nil, "")
	}
	do("stats", "GET", "/v1/stats", analyst, nil, "")
	var ids []string
	ids = append(ids, sc.visibleIDs...)
	ids = append(ids, sc.hiddenIDs[:8]...)
	for _, c := range sc.hiddenOnVisible {
		ids = append(ids, c.stmts[0].EntityID)
	}
	for _, r := range sc.lists.recs[:10] {
		ids = append(ids, r.id)
	}
	for _, id := range ids {
		do("entity "+id, "GET", "/v1/entities/"+id, analyst, nil, "")
		do("statements "+id, "GET", "/v1/entities/"+id+"/statements", analyst, nil, "")
	}
	do("export", "GET", "/v1/export", analyst, nil, "")
	var csv strings.Builder
	csv.WriteString("id,name,birth_date,nationality\n")
	for i, q := range sc.queries {
		fmt.Fprintf(&csv, "t%d,%q,%s,%s\n", i, q.name, q.birth, q.nat)
	}
	screen := func(round string) {
		r := do("submit "+round, "POST", "/v1/jobs?name=trial&threshold=0.7", analyst, []byte(csv.String()), "text/csv")
		var j concord.Job
		if err := json.Unmarshal(r.Body, &j); err != nil || r.Code != 202 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		w.waitJob(j.ID)
		do("job "+round, "GET", "/v1/jobs/"+j.ID, analyst, nil, "")
		do("results "+round, "GET", "/v1/jobs/"+j.ID+"/results", analyst, nil, "")
		do("jobs "+round, "GET", "/v1/jobs", analyst, nil, "")
		do("alerts "+round, "GET", "/v1/alerts?limit=500", analyst, nil, "")
	}
	screen("1")
	{
		// Dismiss the first pending alert, then screen again: the dismissed
		// pair is not raised again, hidden statements on the record or not.
		var as struct {
			Alerts []concord.Alert `json:"alerts"`
		}
		r := do("pending", "GET", "/v1/alerts?status=pending&limit=500", analyst, nil, "")
		if err := json.Unmarshal(r.Body, &as); err != nil {
			t.Fatalf("alerts: %s", r.Body)
		}
		if len(as.Alerts) == 0 {
			t.Fatalf("no alert to review: the trial screens listed names, some must hit")
		}
		d, _ := json.Marshal(map[string]string{"status": "dismissed", "reason": "different person"})
		do("decide", "POST", fmt.Sprintf("/v1/alerts/%d/decision", as.Alerts[0].ID), analyst, d, "application/json")
		screen("2")
	}
	do("audit", "GET", "/v1/audit?limit=1000", admin, nil, "")
	return out
}

func urlQuery(s string) string {
	return strings.NewReplacer("%", "%25", " ", "%20", "&", "%26", "+", "%2B", "#", "%23", "'", "%27", "\"", "%22").Replace(s)
}

var (
	jobIDRE = regexp.MustCompile(`job-[0-9a-f]{16}`)
)

// normalise replaces what differs between any two runs (random job ids) and
// what other items of issue 8 own (see TestHiddenRecordsChangeNothing).
func normalise(steps []step, sc *scenario) []step {
	jobs := map[string]string{}
	out := make([]step, len(steps))
	for i, s := range steps {
		b := jobIDRE.ReplaceAllFunc(s.r.Body, func(id []byte) []byte {
			if _, ok := jobs[string(id)]; !ok {
				jobs[string(id)] = fmt.Sprintf("job-%d", len(jobs)+1)
			}
			return []byte(jobs[string(id)])
		})
		out[i] = step{s.label, reply{s.r.Code, b}}
	}
	return out
}

func compareSessions(t *testing.T, sc *scenario, a, b []step) {
	t.Helper()
	a, b = normalise(a, sc), normalise(b, sc)
	if len(a) != len(b) {
		t.Fatalf("the sessions made %d and %d requests", len(a), len(b))
	}
	hits := 0
	for i := range a {
		if a[i].label != b[i].label {
			t.Fatalf("request %d: %s / %s", i, a[i].label, b[i].label)
		}
		if a[i].r.Code != b[i].r.Code || !bytes.Equal(a[i].r.Body, b[i].r.Body) {
			ca, cb := around(a[i].r.Body, b[i].r.Body)
			t.Errorf("%s: hidden records changed the response\nwithout: %d …%s…\nwith:    %d …%s…", a[i].label,
				a[i].r.Code, ca, b[i].r.Code, cb)
		}
		if strings.HasPrefix(a[i].label, "alerts") {
			hits += bytes.Count(a[i].r.Body, []byte(`"entity_id"`))
		}
	}
	if hits == 0 {
		t.Errorf("no alert in the sessions: the trial does not exercise screening")
	}
}

// around returns both bodies around their first difference.
func around(a, b []byte) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	cut := func(x []byte) string { return string(x[max(0, i-300):min(len(x), i+300)]) }
	return cut(a), cut(b)
}
