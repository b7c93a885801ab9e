package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/pnr"
)

// samplePush is the README's made-up PNRGOV push: Q7KD2M and R2BX9P hold
// listed persons under other spellings; T5WN8A shares Q7KD2M's phone and
// agency.
var samplePush, _ = filepath.Abs("../importer/pnrgov/testdata/concord_sample_push.txt")

// pushFile posts a file to the console's PNR push form.
func (c *client) pushFile(path string) (int, string) {
	c.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.site.URL+"/pnr/pushes", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// pnrRule defines the rule the tests expect to hit: cash, booked within
// three days of departure (Q7KD2M's two travellers).
func (s *site) pnrRule(t *testing.T) {
	t.Helper()
	analyst := access.Viewer{User: "es-analyst", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
	if _, err := s.pnr.PutRule(context.Background(), analyst, concord.PNRRule{Name: "cash, booked late", Enabled: true,
		Conditions: []concord.RuleCondition{{Kind: pnr.CondCash}, {Kind: pnr.CondBookedSoon, Hours: 72}}}); err != nil {
		t.Fatal(err)
	}
}

// bookingID is the id of es's booking with locator.
func (s *site) bookingID(t *testing.T, locator string) string {
	t.Helper()
	bs, err := s.store.Bookings(context.Background(), concord.BookingQuery{Member: "es", Locator: locator})
	if err != nil || len(bs) != 1 {
		t.Fatalf("booking %s: %v %v", locator, bs, err)
	}
	return bs[0].ID
}

// TestPNRPages: the PNR unit's analyst stores a push through the console;
// the booking page shows its travellers, links and rule hits, the link query
// and the network find the booking that shares a phone; only the member's
// analysts and reviewers see any of it; a reviewer decides a hit and sees a
// depersonalised version whole by giving a reason; no page shows what the
// reader drops.
func TestPNRPages(t *testing.T) {
	s := newSite(t)
	s.pnrRule(t)
	an := s.signIn("es-analyst")
	code, body := an.get("/pnr")
	if code != 200 || !strings.Contains(body, `href="/pnr"`) || !strings.Contains(body, "no PNR booking yet") {
		t.Fatalf("empty /pnr: %d", code)
	}
	code, body = an.pushFile(samplePush)
	if code != 200 || !strings.Contains(body, "Push stored: 3 PNRs — 3 new") || !strings.Contains(body, "Q7KD2M") {
		t.Fatalf("push: %d %s", code, excerpt(body, "Push stored"))
	}
	if code, body := an.pushFile(sampleManifest); code != 400 || !strings.Contains(body, "not a PNRGOV message") {
		t.Errorf("a PAXLST manifest as a push: %d %s", code, excerpt(body, "error-box"))
	}
	s.waitAlert(t, "es")
	q7, t5 := s.bookingID(t, "Q7KD2M"), s.bookingID(t, "T5WN8A")

	code, body = an.get("/pnr/bookings/" + q7)
	for _, want := range []string{"ZIDAN", "A1234567", "IST", "14A", "905321112233", "/pnr/bookings/" + t5, "cash, booked late", "paid in cash"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("booking page: %d, no %q", code, want)
		}
	}
	if strings.Contains(body, "MOML") || strings.Contains(body, `action="/pnr/hits/`) {
		t.Errorf("booking page shows a dropped meal request or a decision form to an analyst")
	}
	code, body = an.get("/pnr/links?kind=phone&value=" + url.QueryEscape("+90 532 111 22 33"))
	if code != 200 || !strings.Contains(body, "/pnr/bookings/"+q7) || !strings.Contains(body, "/pnr/bookings/"+t5) {
		t.Errorf("phone link query: %d %s", code, excerpt(body, "res-h"))
	}
	if code, body := an.get("/pnr/links?kind=colour&value=red"); code != 400 || !strings.Contains(body, "error-box") {
		t.Errorf("unknown link kind: %d", code)
	}
	code, body = an.get("/pnr/network")
	if code != 200 || !strings.Contains(body, `id="n-`+q7) || !strings.Contains(body, "/pnr/bookings/"+t5) {
		t.Errorf("network: %d", code)
	}
	// T5WN8A's exposure: its phone and agency are Q7KD2M's, whose traveller
	// is a listed person.
	code, body = an.get("/pnr/bookings/" + t5)
	if code != 200 || !strings.Contains(body, `href="/pnr/bookings/`+q7+`"`) || !strings.Contains(body, "(listed)") || !strings.Contains(body, "same phone: 905321112233") {
		t.Errorf("T5WN8A's exposure: %d %s", code, excerpt(body, "ex-h"))
	}
	code, body = an.get("/pnr/bookings/" + t5 + "/network?hops=2")
	if code != 200 || !strings.Contains(body, "<svg") || !strings.Contains(body, "Network of T5WN8A") || !strings.Contains(body, "(listed)") ||
		!strings.Contains(body, "<td>pnr/"+t5+"/1, pnr/"+q7+"/1</td>") {
		t.Errorf("T5WN8A's network: %d %s", code, excerpt(body, "<h1"))
	}
	code, body = an.get("/pnr/rules")
	if code != 200 || !strings.Contains(body, "Hit rate by nationality") || !strings.Contains(body, "booked within 72 hours of departure") {
		t.Errorf("rules: %d", code)
	}

	// Who sees what: another member's analyst, a viewer and an
	// administrator of the member see nothing, in words of a missing page.
	for _, c := range []struct {
		user, path string
		code       int
	}{
		{"uz-analyst", "/pnr/bookings/" + q7, 404},
		{"uz-analyst", "/pnr/bookings/" + q7 + "/network", 404},
		{"es-viewer", "/pnr/bookings/" + q7 + "/network", 403},
		{"es-viewer", "/pnr", 403},
		{"es-viewer", "/pnr/bookings/" + q7, 403},
		{"es-admin", "/pnr/network", 403},
		{"es-admin", "/pnr/hits", 403},
	} {
		cl := s.signIn(c.user)
		code, body := cl.get(c.path)
		if code != c.code || strings.Contains(body, "ZIDAN") || strings.Contains(body, "Q7KD2M") {
			t.Errorf("%s %s: %d, want %d and no booking data", c.user, c.path, code, c.code)
		}
		if _, home := cl.get("/"); strings.Contains(home, `href="/pnr"`) != (c.user == "uz-analyst") {
			t.Errorf("%s: PNR in the menu is %v", c.user, !(c.user == "uz-analyst"))
		}
	}
	uz := s.signIn("uz-analyst")
	if code, body := uz.get("/pnr/links?kind=phone&value=905321112233"); code != 200 || strings.Contains(body, "/pnr/bookings/") {
		t.Errorf("another member's link query finds es's bookings: %d", code)
	}

	// A reviewer decides the hit, with a reason; an analyst may not.
	hits, err := s.store.RuleHits(context.Background(), concord.RuleHitQuery{Member: "es", Status: concord.AlertPending})
	if err != nil || len(hits) == 0 {
		t.Fatalf("hits: %v %v", hits, err)
	}
	hit := "/pnr/hits/" + strconv.FormatInt(hits[0].ID, 10) + "/decision"
	if code, _ := an.post(hit, url.Values{"status": {"dismissed"}, "reason": {"travel agent's group booking"}}); code != 403 {
		t.Errorf("analyst decides a hit: %d", code)
	}
	rev := s.signIn("es-reviewer")
	if code, _ := rev.post(hit, url.Values{"status": {"dismissed"}, "reason": {""}}); code != 400 {
		t.Errorf("a decision without a reason: %d", code)
	}
	code, _ = rev.post(hit, url.Values{"status": {"dismissed"}, "reason": {"travel agent's group booking"}, "back": {"/pnr/bookings/" + q7}})
	if code != http.StatusSeeOther {
		t.Errorf("reviewer decides: %d", code)
	}
	if _, body := rev.get("/pnr/hits?status=dismissed"); !strings.Contains(body, "travel agent&#39;s group booking") {
		t.Errorf("dismissed hits do not show the decision")
	}

	// Six months on the version is masked; a reviewer sees it whole only by
	// stating a reason, and the audit says who and why.
	if _, err := s.store.PNRHousekeeping(context.Background(), time.Now().Add(200*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, body = rev.get("/pnr/bookings/" + q7)
	// (The listed record an alert names keeps its own name: it is the
	// list's, not the push's.)
	if !strings.Contains(body, "Latest version, depersonalised") || strings.Contains(body, "A1234567") || strings.Contains(body, "ZIDAN/MUHAMMAD") ||
		strings.Contains(body, "905321112233") || strings.Contains(body, "1960-04-11") {
		t.Errorf("depersonalised booking page: %s", excerpt(body, "latest-h"))
	}
	if !strings.Contains(body, "/pnr/bookings/"+t5) {
		t.Error("the link to T5WN8A does not outlive depersonalisation")
	}
	rp := "/pnr/bookings/" + q7 + "/versions/1/repersonalise"
	if code, _ := an.post(rp, url.Values{"reason": {"court order 2026/118 of the investigating judge"}}); code != 403 {
		t.Errorf("an analyst re-personalises: %d", code)
	}
	if code, body := rev.post(rp, url.Values{"reason": {"why not"}}); code != 400 || !strings.Contains(body, "state the reason") {
		t.Errorf("a short reason: %d %s", code, excerpt(body, "rp-error"))
	}
	code, body = rev.post(rp, url.Values{"reason": {"court order 2026/118 of the investigating judge"}})
	if code != 200 || !strings.Contains(body, "Version 1, re-personalised for you") || !strings.Contains(body, "A1234567") {
		t.Errorf("re-personalised: %d", code)
	}
	if _, body := rev.get("/pnr/bookings/" + q7); strings.Contains(body, "A1234567") {
		t.Error("the whole version stays on the page")
	}
	evs, err := s.store.AuditEvents(context.Background(), concord.AuditQuery{Action: "pnr.repersonalise"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "es-reviewer" || evs[0].Via != "console" || !strings.Contains(evs[0].Detail, "court order 2026/118") {
		t.Errorf("audit of the re-personalisation: %+v %v", evs, err)
	}
	// uz-analyst is also a reviewer, of another member: es's booking is
	// missing for them.
	if code, body := s.signIn("uz-analyst").post(rp, url.Values{"reason": {"court order 2026/118 of the investigating judge"}}); code != 404 || strings.Contains(body, "ZIDAN") {
		t.Errorf("uz reviewer re-personalises es's booking: %d", code)
	}
}

// TestPNRPagesWithoutService: a node without the PNR service has no PNR
// pages and no menu entry.
func TestPNRPagesWithoutService(t *testing.T) {
	s := newSite(t)
	srv, err := New(Config{Store: s.store, Matcher: s.index, Jobs: noJobs{}, Auth: s.auth, Service: s.services,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	c := s.signIn("es-analyst")
	u, _ := url.Parse(s.URL)
	for _, path := range []string{"/pnr", "/pnr/network", "/"} {
		req := httptest.NewRequest("GET", path, nil)
		for _, ck := range c.hc.Jar.Cookies(u) {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if want := map[bool]int{true: 200, false: 404}[path == "/"]; rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
		if strings.Contains(rec.Body.String(), `href="/pnr"`) {
			t.Errorf("%s: the menu offers PNR pages", path)
		}
	}
}

// noJobs refuses every job (the pages tested here submit none).
type noJobs struct{}

func (noJobs) Submit(context.Context, access.Viewer, string, string, io.Reader, float64, int) (*concord.Job, error) {
	return nil, concord.Errorf(concord.EINVALID, "no jobs here")
}

var excerptRE = regexp.MustCompile(`\s+`)

// excerpt is some of body around the first occurrence of mark, for
// failure messages.
func excerpt(body, mark string) string {
	i := strings.Index(body, mark)
	if i < 0 {
		i = 0
	}
	return excerptRE.ReplaceAllString(body[i:min(len(body), i+400)], " ")
}
