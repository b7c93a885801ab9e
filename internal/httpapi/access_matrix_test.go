package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/graph"
	"concord/internal/service"
)

// shared is one record contributed by es-analyst under one audience and
// handling, with a name no other record shares.
type shared struct {
	id, name string
	audience concord.Audience
	handling concord.TLP
}

// surnames are distinctive, unrelated family names, one per record.
var surnames = []string{"Quraishi", "Vandermeer", "Oyelaran", "Kowalczyk", "Tshabalala", "Nakamura", "Fitzgerald", "Zhukovsky", "Abernathy", "Lindqvist", "Okonkwo-Baptiste"}

// contributeMatrix has es-analyst contribute one Person per valid
// (audience, handling) pair.
func contributeMatrix(t *testing.T, e *env) []shared {
	t.Helper()
	var out []shared
	i := 0
	for _, a := range []concord.Audience{"member:es", "group:ttwg", "coalition"} {
		for _, h := range concord.TLPs {
			if (h == concord.TLPAmberStrict || h == concord.TLPRed) && a != "member:es" {
				continue
			}
			name := "Yusuf " + surnames[i]
			var res struct {
				EntityID string `json:"entity_id"`
			}
			e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{
				"schema": "Person", "audience": a, "handling": h,
				"properties": map[string][]string{"name": {name}, "birthDate": {"1980-05-0" + fmt.Sprint(i%9+1)}, "nationality": {"Syria"}},
			})).json(t, &res)
			out = append(out, shared{res.EntityID, name, a, h})
			i++
		}
	}
	return out
}

// sees is the expected visibility: the contributor's member always; others
// when the audience is theirs (any handling the contributor chose is
// releasable to that audience by construction).
func sees(member string, groups []string, s shared) bool {
	switch {
	case member == "es":
		return true
	case s.audience == concord.AudienceCoalition:
		return true
	case s.audience == "group:ttwg":
		return slices.Contains(groups, "ttwg")
	}
	return false
}

func counts(t *testing.T, e *env, user string) map[string]int {
	var st struct {
		Schemata map[string]int `json:"schemata"`
		Total    int            `json:"total"`
	}
	e.must(200, e.do("GET", "/v1/stats", user, nil)).json(t, &st)
	st.Schemata["*"] = st.Total
	return st.Schemata
}

// TestAccessMatrix is the endpoint part of the matrix: role × member ×
// audience × TLP × endpoint. A record the viewer may not see is absent from
// the entity view (same 404 as a missing id), statements, search, match and
// the counts.
func TestAccessMatrix(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testAccessMatrix(t, newEnvOn(t, b)) })
	}
}

func testAccessMatrix(t *testing.T, e *env) {
	viewers := []struct {
		user   string
		member string
		groups []string
	}{
		{"es-viewer", "es", []string{"ttwg"}},
		{"es-reviewer", "es", []string{"ttwg"}},
		{"fr-viewer", "fr", []string{"ttwg", "africa"}},
		{"fr-analyst", "fr", []string{"ttwg", "africa"}},
		{"uz-viewer", "uz", nil},
		{"uz-analyst", "uz", nil},
		{"sec-secretariat", "sec", nil},
	}
	before := map[string]map[string]int{}
	for _, v := range viewers {
		before[v.user] = counts(t, e, v.user)
	}
	recs := contributeMatrix(t, e)
	missing := e.must(404, e.do("GET", "/v1/entities/m-es-doesnotexist", "uz-viewer", nil)).Body
	missingSt := e.must(404, e.do("GET", "/v1/entities/m-es-doesnotexist/statements", "uz-viewer", nil)).Body

	for _, v := range viewers {
		after := counts(t, e, v.user)
		want := 0
		for _, s := range recs {
			if sees(v.member, v.groups, s) {
				want++
			}
		}
		for _, k := range []string{"*", "Person"} {
			if got := after[k] - before[v.user][k]; got != want {
				t.Errorf("%s: %s count grew by %d, want %d", v.user, k, got, want)
			}
		}
		// Export: the same set, for those whose role may export.
		if r := e.do("GET", "/v1/export", v.user, nil); strings.HasSuffix(v.user, "-analyst") {
			e.must(200, r)
			for _, s := range recs {
				if got := strings.Contains(string(r.Body), `{"id":"`+s.id+`",`); got != sees(v.member, v.groups, s) {
					t.Errorf("%s: export holds %s (%s %s): %v", v.user, s.id, s.audience, s.handling, got)
				}
			}
		} else if r.Code != 403 {
			t.Errorf("%s: export status %d, want 403", v.user, r.Code)
		}
		for _, s := range recs {
			t.Run(fmt.Sprintf("%s/%s/%s", v.user, s.audience, s.handling), func(t *testing.T) {
				vis := sees(v.member, v.groups, s)
				r := e.do("GET", "/v1/entities/"+s.id, v.user, nil)
				switch {
				case vis && r.Code != 200:
					t.Errorf("entity: %d %s, want 200", r.Code, r.Body)
				case !vis && (r.Code != 404 || string(r.Body) != string(missing)):
					t.Errorf("entity: %d %s, want the body of a missing one %s", r.Code, r.Body, missing)
				}
				r = e.do("GET", "/v1/entities/"+s.id+"/statements", v.user, nil)
				switch {
				case vis && r.Code != 200:
					t.Errorf("statements: %d %s", r.Code, r.Body)
				case !vis && (r.Code != 404 || string(r.Body) != string(missingSt)):
					t.Errorf("statements: %d %s, want %s", r.Code, r.Body, missingSt)
				}

				var sr struct {
					Results []result `json:"results"`
				}
				e.must(200, e.do("GET", "/v1/search?q="+url.QueryEscape(s.name), v.user, nil)).json(t, &sr)
				if found := slices.ContainsFunc(sr.Results, func(r result) bool { return r.ID == s.id }); found != vis {
					t.Errorf("search %q: found %v, want %v", s.name, found, vis)
				}

				var mr struct {
					Responses map[string]matchResponse `json:"responses"`
				}
				e.must(200, e.do("POST", "/v1/match?threshold=0.5", v.user, map[string]any{"queries": map[string]any{
					"q1": map[string]any{"schema": "Person", "properties": map[string]any{"name": []string{s.name}, "nationality": []string{"sy"}}},
				}})).json(t, &mr)
				found := slices.ContainsFunc(mr.Responses["q1"].Results, func(r result) bool { return r.ID == s.id })
				if found != vis {
					t.Errorf("match %q: found %v, want %v", s.name, found, vis)
				}
			})
		}
	}
	testGraphMatrix(t, e, recs, viewers)
}

// testGraphMatrix is the network's part of the matrix: each record is
// linked, under its own audience and handling, to the public listed record;
// a viewer's network holds the record, the link and the exposure exactly
// when the viewer sees them, and a hidden record answers like a missing one.
func testGraphMatrix(t *testing.T, e *env, recs []shared, viewers []struct {
	user   string
	member string
	groups []string
}) {
	e.must(501, e.do("GET", "/v1/graph/un-qdi-1/neighbourhood", "uz-viewer", nil))
	for _, s := range recs {
		e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{
			"schema": "Associate", "audience": s.audience, "handling": s.handling,
			"properties": map[string][]string{"person": {s.id}, "associate": {"un-qdi-1"}},
		}))
	}
	ix, err := graph.Load(context.Background(), e.store)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.cfg.Network = func() *graph.Index { return ix }
	missing := e.must(404, e.do("GET", "/v1/graph/m-es-doesnotexist/neighbourhood", "uz-viewer", nil)).Body
	for _, v := range viewers {
		var sub graph.Subgraph
		e.must(200, e.do("GET", "/v1/graph/un-qdi-1/neighbourhood?hops=1", v.user, nil)).json(t, &sub)
		for _, s := range recs {
			vis := sees(v.member, v.groups, s)
			if got := slices.ContainsFunc(sub.Nodes, func(n graph.Node) bool { return n.ID == s.id }); got != vis {
				t.Errorf("%s: neighbourhood holds %s (%s %s): %v", v.user, s.id, s.audience, s.handling, got)
			}
			r := e.do("GET", "/v1/graph/"+s.id+"/exposure?hops=1", v.user, nil)
			switch {
			case vis && r.Code != 200:
				t.Errorf("%s: exposure of %s: %d %s", v.user, s.id, r.Code, r.Body)
			case vis:
				var ex graph.Exposure
				r.json(t, &ex)
				if !ex.Exposed || ex.Paths[0].Steps[0][0].Type != graph.Associate {
					t.Errorf("%s: exposure of %s: %+v", v.user, s.id, ex)
				}
			case r.Code != 404 || !bytes.Equal(e.do("GET", "/v1/graph/"+s.id+"/neighbourhood", v.user, nil).Body, missing):
				t.Errorf("%s: hidden %s: %d %s", v.user, s.id, r.Code, r.Body)
			}
		}
		want := 1
		for _, s := range recs {
			if sees(v.member, v.groups, s) {
				want++
			}
		}
		if len(sub.Nodes) != want || len(sub.Edges) != want-1 {
			t.Errorf("%s: %d nodes and %d edges, want %d and %d", v.user, len(sub.Nodes), len(sub.Edges), want, want-1)
		}
	}
	// Formats, paths, analysis and bad parameters.
	for _, c := range []struct {
		path  string
		code  int
		ctype string
	}{
		{"/v1/graph/un-qdi-1/neighbourhood?format=graphml", 200, "application/graphml+xml"},
		{"/v1/graph/un-qdi-1/neighbourhood?format=cytoscape", 200, "application/json"},
		{"/v1/graph/un-qdi-1/neighbourhood?format=svg", 200, "image/svg+xml"},
		{"/v1/graph/un-qdi-1/neighbourhood?format=pdf", 400, ""},
		{"/v1/graph/un-qdi-1/neighbourhood?hops=9", 400, ""},
		{"/v1/graph/un-qdi-1/analysis?hops=1", 200, "application/json"},
		{"/v1/graph/paths?from=un-qdi-1&to=" + recs[0].id, 200, "application/json"},
		{"/v1/graph/paths?from=un-qdi-1", 400, ""},
	} {
		r := e.do("GET", c.path, "es-viewer", nil)
		if r.Code != c.code || c.ctype != "" && !strings.HasPrefix(r.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s: %d %s %s", c.path, r.Code, r.Header.Get("Content-Type"), r.Body)
		}
	}
}

// TestContributionRules covers the write side of the matrix: who may share
// with which audience, contributing to a hidden entity, retraction and
// reshare by the originator only.
func TestContributionRules(t *testing.T) {
	e := newEnv(t)
	post := func(user string, body map[string]any) *resp { return e.do("POST", "/v1/statements", user, body) }
	person := func(a, h string) map[string]any {
		return map[string]any{"schema": "Person", "audience": a, "handling": h, "properties": map[string][]string{"name": {"Idris Oyelaran"}}}
	}
	e.must(403, post("es-viewer", person("coalition", "GREEN")))          // role
	e.must(403, post("uz-analyst", person("group:ttwg", "AMBER")))        // not in the group
	e.must(403, post("es-analyst", person("public", "CLEAR")))            // public is for lists
	e.must(403, post("es-analyst", person("member:fr", "AMBER")))         // another member
	e.must(400, post("es-analyst", person("coalition", "RED")))           // RED stays in the member
	e.must(400, post("es-analyst", person("group:ttwg", "AMBER+STRICT"))) // idem
	e.must(400, post("es-analyst", person("coalition", "PURPLE")))        // unknown TLP
	e.must(400, post("es-analyst", map[string]any{"schema": "Person", "audience": "coalition", "handling": "GREEN",
		"properties": map[string][]string{"flag": {"x"}}})) // not a Person property
	e.must(400, post("es-analyst", map[string]any{"schema": "Starship", "audience": "coalition", "handling": "GREEN",
		"properties": map[string][]string{"name": {"x"}}}))

	var secret, open struct {
		EntityID   string              `json:"entity_id"`
		Statements []concord.Statement `json:"statements"`
	}
	e.must(201, post("es-analyst", person("member:es", "RED"))).json(t, &secret)
	e.must(201, post("es-analyst", person("coalition", "TLP:AMBER"))).json(t, &open)
	if open.Statements[0].Dataset != "member-es" || open.Statements[0].ContributedBy != "es" ||
		open.Statements[0].SourceRef != "es:"+open.EntityID || open.Statements[0].Handling != concord.TLPAmber ||
		len(open.EntityID) < 8 || open.EntityID[:5] != "m-es-" {
		t.Fatalf("provenance %+v", open.Statements[0])
	}
	e.mu.Lock()
	if !slices.Contains(e.changed, open.EntityID) {
		t.Error("OnChange not called for a contribution")
	}
	e.mu.Unlock()

	// fr adds to what it sees; contributing to what it cannot see is 404.
	add := func(user, id string) *resp {
		return post(user, map[string]any{"entity_id": id, "audience": "coalition", "handling": "GREEN",
			"properties": map[string][]string{"alias": {"Abu Idris"}}})
	}
	e.must(201, add("fr-analyst", open.EntityID))
	hiddenBody := e.must(404, add("fr-analyst", secret.EntityID)).Body
	missingBody := e.must(404, add("fr-analyst", "m-es-0000000000000000")).Body
	if string(hiddenBody) != string(missingBody) {
		t.Errorf("hidden %s differs from missing %s", hiddenBody, missingBody)
	}

	// Only the originator retracts or reshares; others get 404 even when
	// they see the statement.
	ids := []string{open.Statements[0].ID, open.Statements[1].ID}
	e.must(404, e.do("POST", "/v1/statements/retract", "fr-analyst", map[string]any{"ids": ids}))
	e.must(404, e.do("POST", "/v1/statements/reshare", "fr-analyst", map[string]any{"ids": ids, "audience": "member:fr", "handling": "RED"}))
	e.must(403, e.do("POST", "/v1/statements/retract", "es-viewer", map[string]any{"ids": ids}))
	e.must(404, e.do("POST", "/v1/statements/retract", "es-analyst", map[string]any{"ids": []string{"nope"}}))

	// Reshare the RED record to the coalition: uz now sees it.
	e.must(404, e.do("GET", "/v1/entities/"+secret.EntityID, "uz-viewer", nil))
	var sids []string
	for _, s := range secret.Statements {
		sids = append(sids, s.ID)
	}
	e.must(400, e.do("POST", "/v1/statements/reshare", "es-analyst", map[string]any{"ids": sids, "audience": "coalition", "handling": "RED"}))
	e.must(200, e.do("POST", "/v1/statements/reshare", "es-analyst", map[string]any{"ids": sids, "audience": "coalition", "handling": "GREEN"}))
	e.must(200, e.do("GET", "/v1/entities/"+secret.EntityID, "uz-viewer", nil))

	// Retract it: gone for everyone else, and OnChange tells the index.
	e.mu.Lock()
	e.changed = nil
	e.mu.Unlock()
	e.must(200, e.do("POST", "/v1/statements/retract", "es-analyst", map[string]any{"ids": sids}))
	e.must(404, e.do("GET", "/v1/entities/"+secret.EntityID, "uz-viewer", nil))
	e.must(404, e.do("GET", "/v1/entities/"+secret.EntityID, "es-viewer", nil))
	e.mu.Lock()
	if !slices.Equal(e.changed, []string{secret.EntityID}) {
		t.Errorf("OnChange after retract: %v", e.changed)
	}
	e.mu.Unlock()
	e.must(404, e.do("POST", "/v1/statements/retract", "es-analyst", map[string]any{"ids": sids}))
}

// TestTokenScopesNarrowAccess: a token narrows its user's roles; what it
// lacks is refused before any record is looked up.
func TestTokenScopesNarrowAccess(t *testing.T) {
	e := newEnv(t)
	mint := func(user string, scopes ...string) string {
		var tr tokenResponse
		e.must(201, e.do("POST", "/v1/tokens", user, map[string]any{"name": "narrow", "scopes": scopes})).json(t, &tr)
		return tr.Secret
	}
	matchOnly := mint("es-analyst", "match")
	e.must(403, e.do("GET", "/v1/entities/un-qdi-1", matchOnly, nil))
	e.must(403, e.do("GET", "/v1/stats", matchOnly, nil))
	e.must(403, e.do("POST", "/v1/statements", matchOnly, map[string]any{"schema": "Person", "audience": "coalition", "handling": "GREEN", "properties": map[string][]string{"name": {"x"}}}))
	e.must(200, e.do("POST", "/v1/match", matchOnly, `{"queries":{"q":{"schema":"Person","properties":{"name":"Abu Bakr al-Baghdadi"}}}}`))
	readOnly := mint("es-analyst", "read")
	e.must(403, e.do("POST", "/v1/jobs", readOnly, "id,name\nt1,x\n", "Content-Type", "text/csv"))
	e.must(403, e.do("POST", "/v1/statements/retract", readOnly, map[string]any{"ids": []string{"x"}}))
	// A scope the roles do not grant gives nothing: a viewer's write token.
	viewerWrite := mint("es-viewer", "write", "read")
	e.must(403, e.do("POST", "/v1/statements", viewerWrite, map[string]any{"schema": "Person", "audience": "coalition", "handling": "GREEN", "properties": map[string][]string{"name": {"x"}}}))
}

// TestAccessMatrixCases extends the matrix to cases: es-analyst records one
// case of a French national per (audience, TLP) pair, the bilateral share
// with the home country (member:fr) included; every viewer gets the case,
// its place in the list and export, and its history exactly when it may
// see it, and the body of a missing case otherwise — also when it tries to
// act on it.
func TestAccessMatrixCases(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testAccessMatrixCases(t, newEnvOn(t, b)) })
	}
}

func testAccessMatrixCases(t *testing.T, e *env) {
	var recs []shared
	for _, a := range []concord.Audience{"member:es", "member:fr", "group:ttwg", "coalition"} {
		for _, h := range concord.TLPs {
			if (h == concord.TLPAmberStrict || h == concord.TLPRed) && !strings.HasPrefix(string(a), "member:") {
				continue
			}
			cv := createCase(t, e, "es-analyst", caseBody(false, string(a), string(h)))
			recs = append(recs, shared{cv.ID, cv.Persons[0].ID, a, h})
		}
	}
	users := []struct {
		user, member string
		groups       []string
	}{
		{"es-viewer", "es", []string{"ttwg"}}, {"es-reviewer", "es", []string{"ttwg"}},
		{"fr-viewer", "fr", []string{"ttwg", "africa"}}, {"fr-analyst", "fr", []string{"ttwg", "africa"}},
		{"uz-viewer", "uz", nil}, {"uz-analyst", "uz", nil}, {"sec-secretariat", "sec", nil},
	}
	const nope = "/v1/cases/case-es-0000000000000000"
	missing := e.must(404, e.do("GET", nope, "uz-viewer", nil)).Body
	for _, u := range users {
		var list struct {
			Cases []service.CaseSummary `json:"cases"`
		}
		e.must(200, e.do("GET", "/v1/cases", u.user, nil)).json(t, &list)
		export := e.do("GET", "/v1/cases/export?purpose=matrix", u.user, nil)
		// Acting on a missing case: 404, or 403 for a role that may not act at all.
		missingStep := e.do("POST", nope+"/persons/det-es-0/steps", u.user, map[string]any{"step": "nationality_verified", "country": "fr"})
		if strings.HasSuffix(u.user, "-analyst") != (export.Code == 200) {
			t.Errorf("%s: case export %d", u.user, export.Code)
		}
		for _, s := range recs {
			vis := u.member == "es" || (s.audience == "member:fr" && u.member == "fr") || sees(u.member, u.groups, s)
			t.Run(u.user+"/"+string(s.audience)+"/"+string(s.handling), func(t *testing.T) {
				r := e.do("GET", "/v1/cases/"+s.id, u.user, nil)
				switch {
				case vis && r.Code != 200:
					t.Errorf("case: %d %s", r.Code, r.Body)
				case !vis && (r.Code != 404 || string(r.Body) != strings.ReplaceAll(string(missing), "case-es-0000000000000000", s.id)):
					t.Errorf("case: %d %s, want the body of a missing one %s", r.Code, r.Body, missing)
				}
				listed := slices.ContainsFunc(list.Cases, func(c service.CaseSummary) bool { return c.ID == s.id })
				if listed != vis {
					t.Errorf("listed %v, want %v", listed, vis)
				}
				if export.Code == 200 && strings.Contains(string(export.Body), `"id":"`+s.id+`"`) != vis {
					t.Errorf("export holds it: %v, want %v", !vis, vis)
				}
				if !vis {
					r := e.do("POST", "/v1/cases/"+s.id+"/persons/"+s.name+"/steps", u.user, map[string]any{"step": "nationality_verified", "country": "fr"})
					if r.Code != missingStep.Code || string(r.Body) != string(missingStep.Body) {
						t.Errorf("acting on a hidden case: %d %s, want %s", r.Code, r.Body, missingStep.Body)
					}
				}
			})
		}
	}
}

// TestAccessMatrixWork extends the matrix to meetings, decisions and
// action items: a group's records are visible to the group's members only
// (in the lists, the meeting page, the calendar, and when acting on them),
// the coalition's to every member; hidden answers like missing.
func TestAccessMatrixWork(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testAccessMatrixWork(t, newWorkEnv(t, b)) })
	}
}

func testAccessMatrixWork(t *testing.T, e *workEnv) {
	group := map[string]bool{"es": true, "fr": true}
	records := []struct {
		id, kind  string
		coalition bool
	}{
		{e.coalitionMeeting, "meeting", true}, {e.groupMeeting, "meeting", false},
		{e.decision, "decision", false}, {e.frAction, "action", false}, {e.groupAction, "action", false},
	}
	for _, u := range []struct{ user, member string }{{"es-viewer", "es"}, {"es-analyst", "es"}, {"fr-viewer", "fr"}, {"fr-analyst", "fr"},
		{"uz-viewer", "uz"}, {"uz-analyst", "uz"}, {"sec-secretariat", "sec"}} {
		meetings := string(e.must(200, e.do("GET", "/v1/meetings", u.user, nil)).Body)
		decisions := string(e.must(200, e.do("GET", "/v1/decisions", u.user, nil)).Body)
		actions := string(e.must(200, e.do("GET", "/v1/actions", u.user, nil)).Body)
		cal := string(e.must(200, e.do("GET", "/v1/calendar.ics", u.user, nil)).Body)
		missingMeeting := e.must(404, e.do("GET", "/v1/meetings/meeting-es-0000000000000000", u.user, nil)).Body
		missingAction := e.do("POST", "/v1/actions/action-es-0000000000000000/status", u.user, map[string]any{"status": "in_progress"})
		for _, r := range records {
			vis := r.coalition || group[u.member] || (u.member == "sec" && r.coalition)
			t.Run(u.user+"/"+r.id, func(t *testing.T) {
				in := map[string]string{"meeting": meetings, "decision": decisions, "action": actions}[r.kind]
				if strings.Contains(in, `"id":"`+r.id+`"`) != vis {
					t.Errorf("%s list holds it: %v, want %v", r.kind, !vis, vis)
				}
				if r.kind == "meeting" {
					if strings.Contains(cal, r.id+"@concord") != vis {
						t.Errorf("calendar holds it: %v, want %v", !vis, vis)
					}
					resp := e.do("GET", "/v1/meetings/"+r.id, u.user, nil)
					if vis && resp.Code != 200 || !vis && (resp.Code != 404 || string(resp.Body) != string(missingMeeting)) {
						t.Errorf("meeting: %d %s", resp.Code, resp.Body)
					}
				}
				if r.kind == "action" && !vis {
					resp := e.do("POST", "/v1/actions/"+r.id+"/status", u.user, map[string]any{"status": "in_progress"})
					if resp.Code != missingAction.Code || string(resp.Body) != string(missingAction.Body) {
						t.Errorf("acting on a hidden action item: %d %s, want %d %s", resp.Code, resp.Body, missingAction.Code, missingAction.Body)
					}
				}
				gen := e.do("GET", "/v1/entities/"+r.id, u.user, nil)
				if (gen.Code == 200) != vis {
					t.Errorf("entity view %d", gen.Code)
				}
			})
		}
	}
}
