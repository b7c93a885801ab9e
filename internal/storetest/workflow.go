package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
)

// caseRecord is a case of member with one person, shared with audience.
func caseRecord(member, caseID, personID string, a concord.Audience) []concord.Statement {
	prov := concord.Provenance{Dataset: "cases-" + member, SourceRef: member + ":" + caseID, ContributedBy: member,
		Audience: a, Handling: concord.TLPAmber, Seen: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	c := concord.NewEntity(caseID, concord.SchemaCase)
	c.Add("location", "al-Hol camp")
	c.Add("notes", "family of Abu Example")
	c.Add("subject", personID)
	p := concord.NewEntity(personID, concord.SchemaDetainee)
	p.Add("name", "Amina Example", "أمينة")
	p.Add("birthDate", "2010-04-02")
	p.Add("passportNumber", "P1234567")
	p.Add("nationality", "FR")
	p.Add("case", caseID)
	return append(c.Statements(prov), p.Statements(prov)...)
}

func step(caseID, subject, state string) concord.WorkflowEvent {
	return concord.WorkflowEvent{Record: caseID, Subject: subject, Kind: concord.KindRepatriation, State: state,
		Date: "2026-01-10", Actor: "es-analyst", Member: "es", Side: concord.SideCustodian, Documents: []string{"note 12/2026"}, Reason: "seen by ICRC"}
}

var (
	esOnly = concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, "member:es"}, Handlings: concord.TLPs}
	frView = concord.Filter{Member: "fr", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, "member:fr", "group:tf"}, Handlings: concord.TLPs}
	uzView = concord.Filter{Member: "uz", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, "member:uz"}, Handlings: concord.TLPs}
)

// testWorkflow: a record's statements and first events commit together;
// its history is read only by those who see the record (hidden answers
// like missing); check sees the history and refuses without a trace.
func testWorkflow(t *testing.T, s Service) {
	c := ctx(t)
	evs := []concord.WorkflowEvent{step("case-1", "det-1", concord.StepIdentified)}
	if err := s.ContributeRecord(c, caseRecord("es", "case-1", "det-1", "group:tf"), evs); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "ContributeRecord without statements", s.ContributeRecord(c, nil, evs), concord.EINVALID)
	bad := []concord.WorkflowEvent{{Record: "case-2", Kind: concord.KindCase}}
	wantCode(t, "ContributeRecord with a bad event", s.ContributeRecord(c, caseRecord("es", "case-2", "det-2", "member:es"), bad), concord.EINVALID)
	if _, err := s.Entity(c, concord.System, "case-2"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("a refused record was kept: %v", err)
	}
	for _, f := range []concord.Filter{esOnly, frView, concord.System} {
		got, err := s.Events(c, f, "case-1")
		if err != nil || len(got) != 1 || got[0].State != concord.StepIdentified || got[0].Seq == 0 || got[0].RecordedAt.IsZero() ||
			!slices.Equal(got[0].Documents, []string{"note 12/2026"}) || got[0].Side != concord.SideCustodian {
			t.Fatalf("Events(%v) = %+v, %v", f.Member, got, err)
		}
	}
	_, hidden := s.Events(c, uzView, "case-1")
	_, missing := s.Events(c, uzView, "case-nope")
	wantCode(t, "Events hidden", hidden, concord.ENOTFOUND)
	if concord.ErrorMessage(hidden) != strings.Replace(concord.ErrorMessage(missing), "case-nope", "case-1", 1) {
		t.Errorf("hidden %q differs from missing %q", concord.ErrorMessage(hidden), concord.ErrorMessage(missing))
	}
	if got, err := s.EventsOf(c, uzView, concord.KindRepatriation); err != nil || len(got) != 0 {
		t.Errorf("EventsOf hidden = %v, %v", got, err)
	}
	if got, err := s.EventsOf(c, frView, concord.KindRepatriation); err != nil || len(got) != 1 {
		t.Errorf("EventsOf = %v, %v", got, err)
	}

	// AppendEvent: check sees the history of (record, subject, kind).
	var seen []concord.WorkflowEvent
	e := step("case-1", "det-1", concord.StepNationalityVerified)
	e.Member, e.Side, e.Country = "fr", concord.SideHome, "FR"
	if err := s.AppendEvent(c, frView, &e, func(h []concord.WorkflowEvent) error { seen = h; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].State != concord.StepIdentified || e.Seq <= seen[0].Seq {
		t.Errorf("check saw %+v; appended %+v", seen, e)
	}
	refused := errors.New("refused")
	e2 := step("case-1", "det-1", concord.StepNotified)
	if err := s.AppendEvent(c, esOnly, &e2, func([]concord.WorkflowEvent) error { return refused }); !errors.Is(err, refused) {
		t.Errorf("a refusal: %v", err)
	}
	called := false
	e3 := step("case-1", "det-1", concord.StepNotified)
	err := s.AppendEvent(c, uzView, &e3, func([]concord.WorkflowEvent) error { called = true; return nil })
	wantCode(t, "AppendEvent on a hidden record", err, concord.ENOTFOUND)
	if called {
		t.Error("check ran for a hidden record")
	}
	other := concord.WorkflowEvent{Record: "case-1", Kind: concord.KindCase, State: concord.CaseClosed, Date: "2026-01-11", Actor: "a", Member: "es"}
	if err := s.AppendEvent(c, esOnly, &other, func(h []concord.WorkflowEvent) error {
		if len(h) != 0 {
			return fmt.Errorf("the case's own history holds %v", h)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Events(c, esOnly, "case-1")
	if err != nil || len(all) != 3 || all[1].State != concord.StepNationalityVerified || all[1].Country != "FR" || all[2].Kind != concord.KindCase {
		t.Errorf("history %+v, %v", all, err)
	}
	if n := countAudit(t, s, "repatriation.nationality_verified"); n != 1 {
		t.Errorf("%d audit rows for the step", n)
	}
}

func countAudit(t *testing.T, s Service, action string) int {
	t.Helper()
	evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// testWorkflowConcurrent: appends to one history are serialised, so that
// a check never decides on a history another append is changing.
func testWorkflowConcurrent(t *testing.T, s Service) {
	c := ctx(t)
	if err := s.ContributeRecord(c, caseRecord("es", "case-c", "det-c", "member:es"), nil); err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := step("case-c", "det-c", fmt.Sprint(i))
			errs <- s.AppendEvent(c, esOnly, &e, func(h []concord.WorkflowEvent) error {
				e.Reason = fmt.Sprint(len(h)) // the position the check decided on
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Events(c, esOnly, "case-c")
	if err != nil || len(h) != n {
		t.Fatalf("%d events, %v", len(h), err)
	}
	for i, e := range h {
		if e.Reason != fmt.Sprint(i) {
			t.Fatalf("event %d was checked against a history of %s", i, e.Reason)
		}
	}
}

// testRetentionStore: policies, and a depersonalisation that leaves no
// name, date or document behind (not even retracted), keeps what
// aggregates count, redacts the history and happens once.
func testRetentionStore(t *testing.T, s Service) {
	c := ctx(t)
	for _, p := range []concord.RetentionPolicy{{Member: "es", Kind: "case", Months: 24}, {Member: "*", Kind: "case", Months: 60}} {
		if err := s.PutRetentionPolicy(c, p); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "bad kind", s.PutRetentionPolicy(c, concord.RetentionPolicy{Member: "es", Kind: "meeting", Months: 1}), concord.EINVALID)
	wantCode(t, "bad months", s.PutRetentionPolicy(c, concord.RetentionPolicy{Member: "es", Kind: "case", Months: -1}), concord.EINVALID)
	if err := s.PutRetentionPolicy(c, concord.RetentionPolicy{Member: "es", Kind: "case", Months: 18}); err != nil {
		t.Fatal(err)
	}
	ps, err := s.RetentionPolicies(c)
	if err != nil || len(ps) != 2 || ps[0] != (concord.RetentionPolicy{Member: "*", Kind: "case", Months: 60}) || ps[1].Months != 18 {
		t.Fatalf("policies %+v, %v", ps, err)
	}
	if err := s.PutRetentionPolicy(c, concord.RetentionPolicy{Member: "*", Kind: "case"}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.RetentionPolicies(c); len(ps) != 1 {
		t.Errorf("removed policy still there: %+v", ps)
	}

	if err := s.ContributeRecord(c, caseRecord("es", "case-r", "det-r", "group:tf"), []concord.WorkflowEvent{step("case-r", "det-r", concord.StepIdentified)}); err != nil {
		t.Fatal(err)
	}
	// An alias the member retracted: retention removes it from history too.
	alias := caseRecord("es", "case-r", "det-r", "group:tf")
	for _, st := range alias {
		if st.Prop == "passportNumber" {
			st.Prop, st.Value = "alias", "Umm Example"
			st = st.MakeID()
			if err := s.Contribute(c, []concord.Statement{st}); err != nil {
				t.Fatal(err)
			}
			if err := s.Retract(c, "es", []string{st.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	at := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)
	d := concord.Depersonalisation{Case: "case-r", Persons: map[string]string{"det-r": "case-r person 1"}, At: at}
	if err := s.Depersonalise(c, d); err != nil {
		t.Fatal(err)
	}
	hist := concord.Filter{All: true, IncludeRetracted: true}
	st, err := s.Statements(c, hist, "det-r")
	if err != nil {
		t.Fatal(err)
	}
	var props []string
	for _, x := range st {
		props = append(props, x.Prop+"="+x.Value)
		if x.Audience != "group:tf" || x.ContributedBy != "es" {
			t.Errorf("provenance of %s changed: %+v", x.Prop, x)
		}
	}
	slices.Sort(props)
	if want := []string{"case=case-r", "id=det-r", "name=case-r person 1", "nationality=FR"}; !slices.Equal(props, want) {
		t.Errorf("person after retention: %v, want %v", props, want)
	}
	if e, err := s.Entity(c, frView, "case-r"); err != nil || e.First("notes") != "" || e.First("location") != "al-Hol camp" {
		t.Errorf("case after retention: %+v, %v", e, err)
	}
	evs, err := s.Events(c, concord.System, "case-r")
	if err != nil || len(evs) != 2 || len(evs[0].Documents) != 0 || evs[0].Reason != "" || concord.CaseState(evs) != concord.CaseDepersonalised {
		t.Errorf("history after retention: %+v, %v", evs, err)
	}
	wantCode(t, "second depersonalisation", s.Depersonalise(c, d), concord.ECONFLICT)
	if n := countAudit(t, s, "retention.depersonalise"); n != 1 {
		t.Errorf("%d audit rows for the depersonalisation", n)
	}
}
