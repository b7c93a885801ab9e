package web

import (
	"context"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"concord"
	"concord/access"
	"concord/internal/service"
)

// seedCase records, as es-analyst, a family at al-Hol whose son is a
// minor: the case is shared with France alone (the stricter default).
func seedCase(t *testing.T, s *site) *service.CaseView {
	t.Helper()
	v := access.Viewer{User: "es-analyst", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, Groups: []string{"ttwg"}}
	ctx := concord.WithActor(context.Background(), concord.Actor{User: v.User, Member: v.Member, Via: "test"})
	cv, err := s.services.CreateCase(ctx, v, service.NewCase{Location: "al-Hol camp", LocationType: "camp", Custodian: "SDF", HeldSince: "2019-03",
		Identified: "2026-01-05", Persons: []service.NewPerson{
			{Names: []string{"Amina Quraishi", "أمينة القريشي"}, BirthDate: "1994-03-02", Nationality: []string{"fr"}},
			{Names: []string{"Yusuf Quraishi"}, BirthDate: "2016-06", Nationality: []string{"fr"}}},
		Kinship: []service.NewKinship{{Person: 0, Relative: 1, Relationship: "child"}}})
	if err != nil {
		t.Fatal(err)
	}
	return cv
}

// seedWork records, as es-analyst (a lead of ttwg), a group meeting, a
// decision and an action item of es due soon.
func seedWork(t *testing.T, s *site) (meeting, action string) {
	t.Helper()
	v := access.Viewer{User: "es-analyst", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, Groups: []string{"ttwg"}}
	ctx := concord.WithActor(context.Background(), concord.Actor{User: v.User, Member: v.Member, Via: "test"})
	var err error
	meeting, err = s.services.RecordWork(ctx, v, service.WorkRecord{Meeting: &concord.Meeting{Title: "Terrorist Travel Working Group: second meeting",
		Body: "ttwg", Date: "2026-01-20", Place: "Lyon", Host: "es", CoChairs: []concord.Chair{{Member: "es", Official: "Head of the API/PNR unit"}},
		Agenda: []string{"PNR watchlist exchange"}}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.services.RecordWork(ctx, v, service.WorkRecord{Decision: &concord.Decision{Meeting: meeting, Body: "ttwg", Date: "2026-01-20",
		Title: "Members exchange PNR watchlists monthly"}})
	if err != nil {
		t.Fatal(err)
	}
	action, err = s.services.RecordWork(ctx, v, service.WorkRecord{Action: &concord.ActionItem{Decision: d, Body: "ttwg",
		Title: "Send the first watchlist extract", OwnerMember: "es", Due: "2020-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	return meeting, action
}

// TestCasePages over HTTP: the list withholds a minor's name, the case
// asks a purpose, a step recorded by a form, and the hidden case is
// missing.
func TestCasePages(t *testing.T) {
	s := newSite(t)
	cv := seedCase(t, s)
	fr := s.signInNew(t, "fr-analyst", "fr", concord.RoleAnalyst)
	code, body := fr.get("/cases")
	if code != 200 || !strings.Contains(body, service.WithheldCaption) || !strings.Contains(body, "Amina Quraishi") {
		t.Fatalf("list %d:\n%s", code, body)
	}
	code, body = fr.get("/cases/" + cv.ID)
	if code != 200 || !strings.Contains(body, "This case concerns a minor") || strings.Contains(body, "Yusuf") {
		t.Fatalf("case without a purpose %d", code)
	}
	code, body = fr.get("/cases/" + cv.ID + "?purpose=" + url.QueryEscape("consular review"))
	if code != 200 || !strings.Contains(body, "Yusuf Quraishi") || !strings.Contains(body, `value="nationality_verified"`) {
		t.Fatalf("case with a purpose %d:\n%s", code, body)
	}
	code, body = fr.post("/cases/"+cv.ID+"/persons/"+cv.Persons[0].ID+"/steps", url.Values{"csrf": {csrfOf(body)}, "step": {"nationality_verified"},
		"date": {"2026-01-20"}, "country": {"fr"}, "documents": {"consular note 2026/114\n"}, "purpose": {"consular review"}})
	if code != 303 {
		t.Fatalf("step %d:\n%s", code, body)
	}
	code, body = fr.get("/cases/" + cv.ID + "?purpose=consular+review&done=x")
	if code != 200 || !strings.Contains(body, "consular note 2026/114") {
		t.Fatalf("after the step %d:\n%s", code, body)
	}
	code, body = fr.post("/cases/"+cv.ID+"/persons/"+cv.Persons[0].ID+"/steps", url.Values{"csrf": {csrfOf(body)}, "step": {"requested"}, "purpose": {"consular review"}})
	if code != 400 || !strings.Contains(body, "cannot follow") {
		t.Errorf("out of order %d", code)
	}
	uz := s.signIn("uz-analyst")
	if code, _ := uz.get("/cases/" + cv.ID + "?purpose=x"); code != 404 {
		t.Errorf("hidden case: %d", code)
	}
	if _, body := uz.get("/cases"); strings.Contains(body, cv.ID) {
		t.Error("uz lists the case")
	}
}

// TestBrowserCase: the case list, the purpose form, a step through the
// form, in Chromium, accessible and keyboard-reachable.
func TestBrowserCase(t *testing.T) {
	s := newSite(t)
	cv := seedCase(t, s)
	s.signInNew(t, "fr-analyst", "fr", concord.RoleAnalyst)
	p := newPage(t, s)
	p.signIn("fr-analyst")
	p.open("/cases")
	p.checkA11y()
	p.open("/cases/" + cv.ID)
	p.checkA11y()
	p.run(chromedp.SendKeys(id("p-purpose"), "consular review"), chromedp.Submit(id("p-purpose")), chromedp.WaitVisible(id("s-"+cv.Persons[0].ID)))
	p.checkA11y()
	p.run(chromedp.SetValue(id("c-"+cv.Persons[0].ID), "fr"), chromedp.Click(css(`form[action$="/persons/`+cv.Persons[0].ID+`/steps"] button`)),
		chromedp.WaitVisible(id("done")))
	if got := p.text("#done"); !strings.Contains(got, "nationality verified") {
		t.Errorf("after the step: %q", got)
	}
}

// TestBrowserMeetings: meetings, a meeting, decisions and action items
// with the reminder of an overdue one, and a status changed by the form.
func TestBrowserMeetings(t *testing.T) {
	s := newSite(t)
	meeting, action := seedWork(t, s)
	p := newPage(t, s)
	p.signIn("es-analyst")
	p.open("/meetings")
	if got := p.text("main"); !strings.Contains(got, "Reminders") || !strings.Contains(got, "Send the first watchlist extract") {
		t.Errorf("meetings page: %s", got)
	}
	p.checkA11y()
	p.open("/meetings/" + meeting)
	if got := p.text("main"); !strings.Contains(got, "Head of the API/PNR unit") || !strings.Contains(got, "Members exchange PNR watchlists monthly") {
		t.Errorf("meeting page: %s", got)
	}
	p.checkA11y()
	p.open("/decisions")
	p.checkA11y()
	p.open("/actions")
	p.checkA11y()
	p.run(chromedp.SetValue(id("st-"+action), "done"), chromedp.SendKeys(id("n-"+action), "sent"),
		chromedp.Click(css(`form[action="/actions/`+action+`/status"] button`)), chromedp.WaitVisible(id("done")))
	if got := p.text("#done"); !strings.Contains(got, action+": done") {
		t.Errorf("after the change: %q", got)
	}
	uz := s.signIn("uz-analyst")
	if code, _ := uz.get("/meetings/" + meeting); code != 404 {
		t.Errorf("uz opens the group's meeting: %d", code)
	}
}

func logSink() io.Writer {
	if os.Getenv("CONCORD_WEB_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}
