package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/service"
)

// TestRetention runs the retention job with the injected clock: a closed
// case is depersonalised exactly when its member's policy makes it due,
// not a microsecond before; a case linked to an open case or to a listed
// entity is kept however late; a member without a policy keeps its cases.
func TestRetention(t *testing.T) {
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) { testRetention(t, newEnvOn(t, b)) })
	}
}

func testRetention(t *testing.T, e *env) {
	ctx := context.Background()
	e.must(200, e.do("PUT", "/v1/retention/es/case", "es-admin", map[string]any{"months": 12}))
	mk := func(user string, extra map[string]any) string {
		b := caseBody(false, "member:es", "AMBER")
		if strings.HasPrefix(user, "fr") {
			b["audience"] = "member:fr"
		}
		for k, v := range extra {
			b[k] = v
		}
		return createCase(t, e, user, b).ID
	}
	closeCase := func(user, id string) {
		e.must(200, e.do("POST", "/v1/cases/"+id+"/status", user, map[string]any{"status": "closed", "reason": "repatriated"}))
	}
	plain := mk("es-analyst", nil)
	listed := mk("es-analyst", map[string]any{"linked_entities": []string{"un-qdi-1"}})
	open := mk("es-analyst", nil)
	related := mk("es-analyst", map[string]any{"related_cases": []string{open}})
	other := mk("fr-analyst", nil) // fr has no policy
	closedAt := e.clock.Now()
	for _, id := range []string{plain, listed, related} {
		closeCase("es-analyst", id)
	}
	closeCase("fr-analyst", other)
	due := closedAt.AddDate(0, 12, 0)
	run := func(at time.Time) *service.RetentionReport {
		t.Helper()
		rep, err := e.srv.svc.RunRetention(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	rep := run(due.Add(-time.Microsecond))
	if len(rep.Depersonalised) != 0 || !rep.Next.Equal(due) {
		t.Fatalf("before due: %+v", rep)
	}
	rep = run(due)
	if !slices.Equal(rep.Depersonalised, []string{plain}) || rep.Kept[listed] == "" || rep.Kept[related] == "" || rep.Kept[other] != "" {
		t.Fatalf("when due: %+v", rep)
	}
	var cv service.CaseView
	e.must(200, e.do("GET", "/v1/cases/"+plain, "es-analyst", nil)).json(t, &cv)
	p := cv.Persons[0].Person
	if cv.Status != concord.CaseDepersonalised || cv.Persons[0].Caption != plain+" person 1" || len(p.Properties["birthDate"]) > 0 ||
		len(p.Properties["passportNumber"]) > 0 || p.First("nationality") != "fr" || cv.Case.First("location") != "al-Hol camp" {
		t.Errorf("depersonalised case: %+v %+v", cv, p)
	}
	for _, h := range cv.Persons[0].History {
		if len(h.Documents) > 0 || h.Reason != "" {
			t.Errorf("history keeps %v %q", h.Documents, h.Reason)
		}
	}
	st := e.must(200, e.do("GET", "/v1/cases/export?purpose=retention+check", "es-analyst", nil)).Body
	for _, line := range strings.Split(string(st), "\n") {
		if strings.Contains(line, `"id":"`+cv.Persons[0].ID+`"`) && (strings.Contains(line, "Amina") || strings.Contains(line, "19AB12345")) {
			t.Errorf("export after retention: %s", line)
		}
	}
	evs, _ := e.store.AuditEvents(ctx, concord.AuditQuery{Action: "retention.depersonalise"})
	if len(evs) != 1 || evs[0].Object != plain {
		t.Errorf("audit %+v", evs)
	}

	// Years later, the linked ones are still kept; once the related case
	// closes, the case it held is depersonalised at the next run.
	if rep := run(due.AddDate(5, 0, 0)); len(rep.Depersonalised) != 0 {
		t.Errorf("linked cases depersonalised: %+v", rep)
	}
	closeCase("es-analyst", open)
	rep = run(due.AddDate(5, 0, 0))
	if got := slices.Sorted(slices.Values(rep.Depersonalised)); !slices.Equal(got, slices.Sorted(slices.Values([]string{related, open}))) {
		t.Errorf("after the related case closed: %+v", rep)
	}
	if _, ok := rep.Kept[listed]; !ok {
		t.Errorf("a case linked to a listed entity is kept: %+v", rep)
	}
	e.must(409, e.do("POST", "/v1/cases/"+plain+"/status", "es-analyst", map[string]any{"status": "open", "reason": "reopen"}))
}
