package httpapi

import (
	"context"
	"strings"
	"testing"

	"concord"
	"concord/internal/service"
)

// workEnv is env with es leading the ttwg group, a coalition meeting
// recorded by the secretariat and a ttwg meeting, decision and two action
// items (one owned by fr, one by the group) recorded by es.
type workEnv struct {
	*env
	coalitionMeeting, groupMeeting, decision, frAction, groupAction string
}

func newWorkEnv(t *testing.T, backend string) *workEnv {
	e := &workEnv{env: newEnvOn(t, backend)}
	if err := e.store.PutGroup(context.Background(), &concord.Group{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup,
		Members: []string{"es", "fr"}, Leads: []string{"es"}}); err != nil {
		t.Fatal(err)
	}
	id := func(r *resp) string {
		var v struct {
			ID string `json:"id"`
		}
		r.json(t, &v)
		return v.ID
	}
	e.coalitionMeeting = id(e.must(201, e.do("POST", "/v1/meetings?handling=CLEAR", "sec-secretariat", map[string]any{"title": "Small Group meeting", "body": "coalition",
		"date": "2026-02-10", "place": "Madrid", "host": "es", "co_chairs": []map[string]string{{"member": "es", "official": "Director General for Foreign and Security Policy"}}})))
	e.groupMeeting = id(e.must(201, e.do("POST", "/v1/meetings", "es-analyst", map[string]any{"title": "TTWG meeting", "body": "ttwg",
		"date": "2026-02-20", "end_date": "2026-02-21", "place": "Lyon", "participants": []string{"es", "fr"}})))
	e.decision = id(e.must(201, e.do("POST", "/v1/decisions", "es-analyst", map[string]any{"meeting": e.groupMeeting, "body": "ttwg",
		"date": "2026-02-21", "title": "Members exchange PNR watchlists monthly"})))
	e.frAction = id(e.must(201, e.do("POST", "/v1/actions", "es-analyst", map[string]any{"decision": e.decision, "body": "ttwg",
		"title": "Send the first watchlist extract", "owner_member": "fr", "due": "2026-03-10"})))
	e.groupAction = id(e.must(201, e.do("POST", "/v1/actions", "es-analyst", map[string]any{"decision": e.decision, "body": "ttwg",
		"title": "Agree the exchange format", "owner_group": "ttwg", "due": "2026-06-30"})))
	return e
}

// TestWorkRecords: who records the coalition's work, who updates an
// action item, a lead's view of the group's actions, reminders and the
// calendar.
func TestWorkRecords(t *testing.T) {
	e := newWorkEnv(t, "sqlite")
	meeting := map[string]any{"title": "x", "body": "ttwg", "date": "2026-02-20", "place": "Lyon"}
	e.must(403, e.do("POST", "/v1/meetings", "fr-analyst", meeting)) // a member, not a lead
	e.must(403, e.do("POST", "/v1/meetings", "uz-analyst", meeting))
	e.must(403, e.do("POST", "/v1/meetings", "es-analyst", map[string]any{"title": "x", "body": "coalition", "date": "2026-02-20", "place": "Lyon"}))
	e.must(400, e.do("POST", "/v1/meetings", "es-analyst", map[string]any{"title": "x", "body": "ttwg", "date": "20 Feb", "place": "Lyon"}))
	e.must(400, e.do("POST", "/v1/meetings?handling=RED", "es-analyst", meeting))
	e.must(400, e.do("POST", "/v1/actions", "es-analyst", map[string]any{"body": "ttwg", "title": "x", "owner_member": "fr", "owner_group": "ttwg", "due": "2026-03-01"}))
	e.must(404, e.do("POST", "/v1/actions", "es-analyst", map[string]any{"body": "ttwg", "title": "x", "owner_member": "fr", "due": "2026-03-01", "links": []string{"m-fr-hidden"}}))
	e.must(400, e.do("POST", "/v1/statements", "es-analyst", map[string]any{"schema": "Meeting", "audience": "coalition", "handling": "GREEN",
		"properties": map[string][]string{"name": {"x"}}})) // not through the generic path

	var mv service.MeetingView
	e.must(200, e.do("GET", "/v1/meetings/"+e.groupMeeting, "fr-viewer", nil)).json(t, &mv)
	if len(mv.Decisions) != 1 || len(mv.Actions) != 2 || mv.Audience != "group:ttwg" {
		t.Errorf("meeting %+v", mv)
	}
	var cm service.MeetingView
	e.must(200, e.do("GET", "/v1/meetings/"+e.coalitionMeeting, "uz-viewer", nil)).json(t, &cm)
	if len(cm.CoChairs) != 1 || cm.CoChairs[0].Official != "Director General for Foreign and Security Policy" {
		t.Errorf("co-chairs %+v", cm.CoChairs)
	}

	status := func(user, id string, code int, st, note string) {
		t.Helper()
		e.must(code, e.do("POST", "/v1/actions/"+id+"/status", user, map[string]any{"status": st, "note": note}))
	}
	status("uz-analyst", e.frAction, 404, "done", "x") // hidden
	status("es-viewer", e.frAction, 403, "in_progress", "")
	status("fr-analyst", e.frAction, 200, "in_progress", "")
	status("fr-analyst", e.frAction, 400, "done", "") // a note closes it
	status("fr-analyst", e.frAction, 400, "started", "")
	status("fr-analyst", e.frAction, 200, "done", "sent on 2026-03-01")
	status("fr-analyst", e.frAction, 400, "cancelled", "x")     // done → open only
	status("es-analyst", e.groupAction, 200, "in_progress", "") // the lead
	status("fr-analyst", e.groupAction, 200, "open", "paused")  // a member of the owner group

	var acts struct {
		Actions []service.ActionView `json:"actions"`
	}
	e.must(200, e.do("GET", "/v1/actions?group=ttwg", "es-analyst", nil)).json(t, &acts)
	if len(acts.Actions) != 2 || acts.Actions[0].Status != concord.ActionDone || len(acts.Actions[0].History) != 3 {
		t.Errorf("the lead's view %+v", acts.Actions)
	}
	e.must(200, e.do("GET", "/v1/actions", "uz-analyst", nil)).json(t, &acts)
	if len(acts.Actions) != 0 {
		t.Errorf("uz sees %+v", acts.Actions)
	}

	status("fr-analyst", e.frAction, 200, "open", "one more extract")
	var rem struct {
		Reminders []service.ActionView `json:"reminders"`
	}
	e.must(200, e.do("GET", "/v1/reminders", "fr-analyst", nil)).json(t, &rem)
	if len(rem.Reminders) != 1 || rem.Reminders[0].ID != e.frAction || !rem.Reminders[0].DueSoon {
		t.Errorf("fr's reminders %+v", rem.Reminders)
	}
	e.clock.Add(30 * 24 * 3600e9)
	e.must(200, e.do("GET", "/v1/reminders", "fr-analyst", nil)).json(t, &rem)
	if len(rem.Reminders) != 1 || !rem.Reminders[0].Overdue {
		t.Errorf("overdue %+v", rem.Reminders)
	}

	cal := string(e.must(200, e.do("GET", "/v1/calendar.ics", "fr-viewer", nil)).Body)
	for _, want := range []string{"BEGIN:VCALENDAR", "SUMMARY:TTWG meeting", "DTEND;VALUE=DATE:20260222", "SUMMARY:Small Group meeting",
		"SUMMARY:Send the first watchlist extract", "DUE;VALUE=DATE:20260310", "STATUS:NEEDS-ACTION", "SUMMARY:Agree the exchange format"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q:\n%s", want, cal)
		}
	}
	if cal := string(e.must(200, e.do("GET", "/v1/calendar.ics", "uz-viewer", nil)).Body); strings.Contains(cal, "TTWG") || !strings.Contains(cal, "Small Group") {
		t.Errorf("uz's calendar:\n%s", cal)
	}
}
