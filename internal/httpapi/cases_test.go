package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/service"
)

// caseBody is a family at al-Hol: a French mother (adult) and, when
// child, her son born in 2015.
func caseBody(child bool, audience, handling string) map[string]any {
	persons := []map[string]any{{"names": []string{"Amina Quraishi", "أمينة القريشي"}, "birth_date": "1994-03-02", "gender": "female",
		"nationality": []string{"France"}, "passports": []string{"19AB12345"}}}
	var kin []map[string]any
	if child {
		persons = append(persons, map[string]any{"names": []string{"Yusuf Quraishi"}, "birth_date": "2015-06", "nationality": []string{"fr"}})
		kin = []map[string]any{{"person": 0, "relative": 1, "relationship": "child"}}
	}
	b := map[string]any{"location": "al-Hol camp", "location_type": "camp", "custodian": "SDF", "held_since": "2019-03",
		"identified": "2026-01-05", "persons": persons, "kinship": kin}
	if audience != "" {
		b["audience"], b["handling"] = audience, handling
	}
	return b
}

func createCase(t *testing.T, e *env, user string, body map[string]any) service.CaseView {
	t.Helper()
	var cv service.CaseView
	e.must(201, e.do("POST", "/v1/cases", user, body)).json(t, &cv)
	return cv
}

const why = "?purpose=" + "repatriation+file+review"

// TestCaseWorkflow walks a family from its first record to the
// repatriation of both, through the API, with the refusals on the way.
func TestCaseWorkflow(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testCaseWorkflow(t, newEnvOn(t, b)) })
	}
}

func testCaseWorkflow(t *testing.T, e *env) {
	cv := createCase(t, e, "es-analyst", caseBody(true, "", ""))
	if cv.Minors != 1 || cv.Audience != "member:fr" || cv.Handling != concord.TLPAmberStrict || len(cv.Persons) != 2 || len(cv.Kinship) != 1 {
		t.Fatalf("a case with a minor: %d minors, %s %s, %d persons", cv.Minors, cv.Audience, cv.Handling, len(cv.Persons))
	}
	mother, child := cv.Persons[0].ID, cv.Persons[1].ID
	if !cv.Persons[1].Minor || cv.Persons[0].Minor || cv.Persons[0].State != concord.StepIdentified {
		t.Fatalf("persons %+v", cv.Persons)
	}
	base := "/v1/cases/" + cv.ID
	// Hidden is missing; a minor's case needs a purpose.
	missing := e.must(404, e.do("GET", "/v1/cases/case-es-0000000000000000"+why, "uz-analyst", nil)).Body
	if hidden := e.must(404, e.do("GET", base+why, "uz-analyst", nil)).Body; string(hidden) != string(missing) {
		t.Errorf("hidden %s, missing %s", hidden, missing)
	}
	r := e.must(400, e.do("GET", base, "fr-viewer", nil))
	if !strings.Contains(string(r.Body), "minor") {
		t.Errorf("no purpose: %s", r.Body)
	}
	e.must(200, e.do("GET", base+why, "fr-viewer", nil))
	evs, _ := e.store.AuditEvents(context.Background(), concord.AuditQuery{Action: "case.read", Actor: "fr-viewer"})
	if len(evs) != 2 || !strings.Contains(evs[0].Detail, "refused") || !strings.Contains(evs[1].Detail, `purpose="repatriation file review"`) {
		t.Errorf("case reads audited as %+v", evs)
	}
	// The generic paths do not serve case records.
	e.must(400, e.do("GET", "/v1/entities/"+child, "es-analyst", nil))
	e.must(400, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"entity_id": mother, "audience": "member:es", "handling": "RED",
		"properties": map[string][]string{"alias": {"x"}}}))
	if ex := e.must(200, e.do("GET", "/v1/export", "es-analyst", nil)).Body; strings.Contains(string(ex), cv.ID) || strings.Contains(string(ex), "Quraishi") {
		t.Error("the generic export holds case records")
	}
	// Lists withhold a minor's name without a purpose.
	var list struct {
		Cases []service.CaseSummary `json:"cases"`
	}
	e.must(200, e.do("GET", "/v1/cases", "fr-analyst", nil)).json(t, &list)
	if len(list.Cases) != 1 || list.Cases[0].Persons[1].Caption != service.WithheldCaption || list.Cases[0].Persons[0].Caption != "Amina Quraishi" {
		t.Errorf("list %+v", list.Cases)
	}

	step := func(user, person string, status int, body map[string]any) {
		t.Helper()
		e.must(status, e.do("POST", base+"/persons/"+person+"/steps", user, body))
	}
	s := func(step string, kv ...string) map[string]any {
		m := map[string]any{"step": step, "date": "2026-02-01"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, p := range []string{mother, child} {
		step("es-analyst", p, 403, s("nationality_verified", "country", "fr")) // the custodian side does not verify
		step("fr-analyst", p, 400, s("requested"))                             // out of order
		step("fr-analyst", p, 403, s("nationality_verified", "country", "ES")) // not fr's nationality to verify
		step("fr-viewer", p, 403, s("nationality_verified", "country", "fr"))  // role
		step("fr-analyst", p, 201, map[string]any{"step": "nationality_verified", "date": "2026-01-20", "country": "FR", "documents": []string{"consular note 2026/114"}})
		step("fr-analyst", p, 403, s("home_country_notified")) // the custodian notifies
		step("es-analyst", p, 201, s("home_country_notified", "reason", "note verbale"))
		step("es-analyst", p, 201, s("requested"))
		step("es-reviewer", p, 403, s("accepted")) // the requester does not decide
		step("fr-analyst", p, 403, s("accepted"))  // a decision is a reviewer's
		step("fr-reviewer", p, 400, s("refused"))  // a refusal needs a reason
		step("fr-reviewer", p, 201, s("refused", "reason", "identity documents incomplete"))
		step("es-analyst", p, 400, s("transferred")) // refused: request again first
		step("es-analyst", p, 201, map[string]any{"step": "requested", "date": "2026-02-10", "documents": []string{"birth certificate"}})
		step("fr-reviewer", p, 400, map[string]any{"step": "accepted", "date": "2026-02-09"}) // before the request
		step("fr-reviewer", p, 201, map[string]any{"step": "accepted", "date": "2026-02-12"})
		step("es-analyst", p, 201, map[string]any{"step": "transferred", "date": "2026-02-20", "documents": []string{"flight manifest ZZ0456"}})
		step("es-analyst", p, 403, s("released", "reason", "x")) // the home country decides what follows
		step("uz-analyst", p, 404, s("prosecuted"))              // hidden case: missing
	}
	step("fr-analyst", mother, 201, map[string]any{"step": "prosecuted", "date": "2026-02-21"})
	step("fr-analyst", mother, 201, map[string]any{"step": "released", "date": "2026-02-25", "reason": "sentence served"})
	step("fr-analyst", child, 201, map[string]any{"step": "reintegrated", "date": "2026-02-22"})
	step("fr-analyst", child, 400, s("released", "reason", "x")) // reintegrated is final

	var got service.CaseView
	e.must(200, e.do("GET", base+why, "es-analyst", nil)).json(t, &got)
	var states []string
	for _, p := range got.Persons {
		states = append(states, p.State)
		for i, h := range p.History {
			if h.Actor == "" || h.Member == "" || h.Date == "" || (i > 0 && h.Date < p.History[i-1].Date) {
				t.Errorf("step %+v", h)
			}
		}
	}
	if !slices.Equal(states, []string{concord.StepReleased, concord.StepReintegrated}) || len(got.Persons[0].History) != 10 {
		t.Errorf("states %v, %d steps", states, len(got.Persons[0].History))
	}
	if h := got.Persons[0].History[1]; h.Member != "fr" || h.Side != concord.SideHome || h.Country != "fr" || h.Actor != "fr-analyst" || h.Documents[0] != "consular note 2026/114" {
		t.Errorf("verification %+v", h)
	}

	// Watch: the released mother on fr's watch; fr's screening finds her,
	// nobody else's does.
	e.must(404, e.do("POST", base+"/persons/"+mother+"/watch", "uz-analyst", map[string]any{}))              // hidden: missing
	e.must(403, e.do("POST", base+"/persons/"+mother+"/watch", "fr-viewer", map[string]any{"purpose": "x"})) // role
	e.must(400, e.do("POST", base+"/persons/"+mother+"/watch", "fr-analyst", map[string]any{}))              // a minor's case: purpose
	var w struct {
		Watch string `json:"watch"`
	}
	e.must(200, e.do("POST", base+"/persons/"+mother+"/watch", "fr-analyst", map[string]any{"purpose": "returnee monitoring"})).json(t, &w)
	e.must(409, e.do("POST", base+"/persons/"+mother+"/watch", "fr-analyst", map[string]any{"purpose": "again"}))
	matchFor := func(user string) bool {
		var mr struct {
			Responses map[string]matchResponse `json:"responses"`
		}
		e.must(200, e.do("POST", "/v1/match?threshold=0.7", user, map[string]any{"queries": map[string]any{
			"q": map[string]any{"schema": "Person", "properties": map[string]any{"name": []string{"Amina Kuraishi"}, "birthDate": []string{"1994"}}}}})).json(t, &mr)
		return slices.ContainsFunc(mr.Responses["q"].Results, func(r result) bool { return r.ID == w.Watch })
	}
	if !matchFor("fr-analyst") || matchFor("es-analyst") || matchFor("uz-analyst") {
		t.Errorf("watch record matched: fr %v es %v uz %v", matchFor("fr-analyst"), matchFor("es-analyst"), matchFor("uz-analyst"))
	}
	e.must(200, e.do("DELETE", base+"/persons/"+mother+"/watch"+why, "fr-analyst", nil))
	if matchFor("fr-analyst") {
		t.Error("an unwatched person still matches")
	}

	// Close: the originator only, with a reason.
	e.must(403, e.do("POST", base+"/status", "fr-analyst", map[string]any{"status": "closed", "reason": "done"}))
	e.must(400, e.do("POST", base+"/status", "es-analyst", map[string]any{"status": "closed"}))
	e.must(200, e.do("POST", base+"/status", "es-analyst", map[string]any{"status": "closed", "reason": "both repatriated"}))
	e.must(409, e.do("POST", base+"/status", "es-analyst", map[string]any{"status": "closed", "reason": "again"}))
	step("fr-analyst", mother, 409, s("reintegrated")) // a closed case takes no step
}

// TestCaseStats: counts over what the viewer sees, small cells
// suppressed, for task-force leads and the secretariat.
func TestCaseStats(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.PutGroup(ctx, &concord.Group{ID: service.TaskForce, Name: "Syria and Iraq Task Force", Kind: concord.GroupTaskForce,
		Members: []string{"es", "fr"}, Leads: []string{"es"}}); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		b := caseBody(false, "", "")
		if i >= 5 {
			b["persons"] = []map[string]any{{"names": []string{"Omar Vandermeer"}, "birth_date": "1990", "nationality": []string{"be"}}}
		}
		createCase(t, e, "fr-analyst", b) // default audience: the task force
	}
	createCase(t, e, "fr-analyst", caseBody(false, "member:fr", "AMBER")) // not the task force's
	var tb service.CaseTable
	e.must(200, e.do("GET", "/v1/cases/stats?by=nationality", "es-viewer", nil)).json(t, &tb)
	want := `[{be <5} {fr ≥5}]`
	if got := fmtCells(tb); got != want || tb.Total != "7" {
		t.Errorf("by nationality %s total %s, want %s 7", got, tb.Total, want)
	}
	e.must(403, e.do("GET", "/v1/cases/stats?by=location", "fr-analyst", nil)) // a member, not a lead
	e.must(200, e.do("GET", "/v1/cases/stats?by=status", "sec-secretariat", nil)).json(t, &tb)
	if tb.Total != "<5" && tb.Total != "0" {
		t.Errorf("the secretariat sees no case of these audiences: %+v", tb)
	}
	e.must(400, e.do("GET", "/v1/cases/stats?by=name", "es-viewer", nil))
}

func fmtCells(t service.CaseTable) string {
	var parts []string
	for _, c := range t.Cells {
		parts = append(parts, "{"+c.Key+" "+c.Count+"}")
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestRetentionPolicyAPI(t *testing.T) {
	e := newEnv(t)
	e.must(403, e.do("PUT", "/v1/retention/fr/case", "es-admin", map[string]any{"months": 12}))
	e.must(403, e.do("PUT", "/v1/retention/es/case", "es-analyst", map[string]any{"months": 12}))
	e.must(200, e.do("PUT", "/v1/retention/es/case", "es-admin", map[string]any{"months": 12}))
	e.must(200, e.do("PUT", "/v1/retention/*/case", "sec-secretariat", map[string]any{"months": 60}))
	e.must(400, e.do("PUT", "/v1/retention/es/case", "es-admin", map[string]any{}))
	e.must(400, e.do("PUT", "/v1/retention/es/meeting", "es-admin", map[string]any{"months": 1}))
	var ps struct {
		Policies []concord.RetentionPolicy `json:"policies"`
	}
	e.must(200, e.do("GET", "/v1/retention", "uz-viewer", nil)).json(t, &ps)
	if len(ps.Policies) != 2 {
		t.Errorf("policies %+v", ps)
	}
}
