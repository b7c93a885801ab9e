package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.anonymous()
	// A private page sends an anonymous reader to the sign-in page.
	req, _ := http.NewRequest("GET", s.URL+"/review", nil)
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin?next=%2Freview" {
		t.Fatalf("anonymous /review: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get("/signin")
	tok := csrfOf(body)
	cases := []struct {
		name       string
		form       url.Values
		code       int
		wantInBody string
	}{
		{"no csrf", url.Values{"user": {"es-analyst"}, "password": {password}, "csrf": {""}}, 403, "expired"},
		{"wrong password", url.Values{"user": {"es-analyst"}, "password": {"nope nope nope"}}, 401, "wrong user name or password"},
		{"unknown user", url.Values{"user": {"nobody"}, "password": {"nope nope nope"}}, 401, "wrong user name or password"},
		{"empty", url.Values{"user": {""}, "password": {""}}, 400, "required"},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			if _, ok := cs.form["csrf"]; !ok {
				cs.form.Set("csrf", tok) // the token of the last form shown
			}
			code, body := c.post("/signin", cs.form)
			if code != cs.code || !strings.Contains(body, cs.wantInBody) {
				t.Errorf("%d, want %d with %q", code, cs.code, cs.wantInBody)
			}
			if strings.Contains(body, "nope nope nope") {
				t.Error("the password is echoed")
			}
			tok = csrfOf(body)
		})
	}
	a := s.signIn("es-analyst")
	code, body := a.get("/")
	if code != 200 || !strings.Contains(body, "es-analyst") {
		t.Fatalf("home: %d", code)
	}
	// Signing out needs the CSRF token, then ends the session.
	if code, _ := a.post("/signout", url.Values{"csrf": {"forged"}}); code != 403 {
		t.Errorf("sign out without the token: %d", code)
	}
	if code, _ := a.post("/signout", url.Values{}); code != http.StatusSeeOther {
		t.Errorf("sign out: %d", code)
	}
	if code, _ := a.get("/"); code != http.StatusSeeOther {
		t.Errorf("after signing out: %d", code)
	}
}

// TestSignInLockout: the console applies the authenticator's throttle (five
// free failures per account and address, then a block), and says when to
// try again.
func TestSignInLockout(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.anonymous()
	_, body := c.get("/signin")
	var code int
	for i := 0; i < 7; i++ {
		code, body = c.post("/signin", url.Values{"user": {"es-reviewer"}, "password": {"wrong password!"}, "csrf": {csrfOf(body)}})
	}
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed sign-ins") {
		t.Fatalf("after 6 failures, a 7th attempt: %d", code)
	}
	// Even the right password is refused while locked out.
	code, _ = c.post("/signin", url.Values{"user": {"es-reviewer"}, "password": {password}, "csrf": {csrfOf(body)}})
	if code != http.StatusTooManyRequests {
		t.Errorf("right password while locked out: %d", code)
	}
}

// TestCSRFRefused: every state-changing form needs the session's token,
// and cross-site requests are refused whatever they carry.
func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.signIn("es-reviewer")
	for _, path := range []string{"/screen", "/alerts/1/decision", "/signout"} {
		if code, body := c.post(path, url.Values{"csrf": {""}, "name": {"x"}}); code != 403 || !strings.Contains(body, "did not come from the console") {
			t.Errorf("POST %s without token: %d", path, code)
		}
		if code, _ := c.post(path, url.Values{"csrf": {"AAAA" + c.csrf[4:]}, "name": {"x"}}); code != 403 {
			t.Errorf("POST %s with a forged token: %d", path, code)
		}
	}
	// A cross-site form post with a valid token is refused by origin.
	req, _ := http.NewRequest("POST", s.URL+"/screen", strings.NewReader(url.Values{"csrf": {c.csrf}, "name": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if code, body := c.do(req); code != 403 || !strings.Contains(body, "cross-site request refused") {
		t.Errorf("cross-site POST: %d", code)
	}
	// The token of one session is not the token of another.
	other := s.signIn("es-analyst")
	if other.csrf == c.csrf {
		t.Error("two sessions share a CSRF token")
	}
	if code, _ := c.post("/screen", url.Values{"csrf": {other.csrf}, "name": {"x"}}); code != 403 {
		t.Errorf("another session's token: %d", code)
	}
	if code, _ := c.post("/screen", url.Values{"name": {"Ayman al-Zawahiri"}}); code != 200 {
		t.Errorf("with the token: %d", code)
	}
}

// TestSecurityHeaders: a strict policy on every response.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, path := range []string{"/signin", "/static/console.css", "/nope"} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
	}
	resp, err := http.Get(s.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if !ck.HttpOnly || !ck.Secure || ck.SameSite == http.SameSiteDefaultMode {
			t.Errorf("cookie %s: %+v", ck.Name, ck)
		}
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "/", "/review": "/review", "//evil.example/": "/", "https://evil.example/": "/", "/\\evil": "/",
		"/signin?next=/x": "/", "/search?q=a": "/search?q=a", "javascript:alert(1)": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUploadRefused: a file that cannot be screened is refused at upload
// with what is wrong, and no job is stored.
func TestUploadRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.signIn("es-analyst")
	cases := []struct{ name, body, want string }{
		{"broken.edi", "UNA:+.? 'UNB+UNOA:4+X:ZZ+Y:ZZ+260301:0815+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+FL+++'UNT+3+1'UNZ+1+1'", "segment"},
		{"empty.csv", "id,name\n", "no query to screen"},
		{"nonames.csv", "id,birth_date\nt1,1970\n", "name"},
	}
	for _, cs := range cases {
		code, body := c.upload(cs.name, cs.body)
		if code != 400 || !strings.Contains(body, cs.want) || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d, want 400 with %q", cs.name, code, cs.want)
		}
	}
	if _, body := c.get("/jobs"); !strings.Contains(body, "no screening yet") {
		t.Error("a refused upload left a job")
	}
}

// TestFourEyes: for a member that wants them, a confirmation needs a
// second reviewer; the proposer cannot decide its own proposal.
func TestFourEyes(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.setFourEyes("uz")
	amina := s.signIn("uz-analyst")
	code, _ := amina.upload("t.csv", "id,name,birth_date\nt1,Ayman al-Zawahiri,1951-06-19\n")
	if code != 303 {
		t.Fatalf("upload: %d", code)
	}
	id := s.waitAlert(t, "uz")
	path := "/alerts/" + id + "/decision"
	if code, _ := amina.post(path, url.Values{"status": {"confirmed"}, "reason": {"same birth date"}}); code != 303 {
		t.Fatalf("propose: %d", code)
	}
	_, page := amina.get("/alerts/" + id)
	if !strings.Contains(page, "Confirmation proposed") || strings.Contains(page, `id="decision-form"`) {
		t.Error("the proposer is offered the second review")
	}
	if code, _ := amina.post(path, url.Values{"status": {"confirmed"}, "reason": {"me again"}}); code != 403 {
		t.Errorf("the proposer confirms its own proposal: %d", code)
	}
	if _, body := amina.get("/review?status=confirming"); !strings.Contains(body, "#"+id) {
		t.Error("the proposal is not in the queue awaiting a second reviewer")
	}
	other := s.signInNew(t, "uz-second", "uz", "reviewer")
	if code, _ := other.post(path, url.Values{"status": {"confirmed"}, "reason": {"agreed: passport too"}}); code != 303 {
		t.Fatalf("second review: %d", code)
	}
	_, page = other.get("/alerts/" + id)
	if !strings.Contains(page, "agreed: passport too (confirmation proposed by uz-analyst: same birth date)") {
		t.Error("the decision does not keep both reasons")
	}
	// Members without four eyes decide at once.
	es := s.signIn("es-reviewer")
	es.upload("t.csv", "id,name,birth_date\nt1,Ayman al-Zawahiri,1951-06-19\n")
	eid := s.waitAlert(t, "es")
	es.post("/alerts/"+eid+"/decision", url.Values{"status": {"confirmed"}, "reason": {"same birth date"}})
	if _, page := es.get("/alerts/" + eid); !strings.Contains(page, "<strong>confirmed</strong> by es-reviewer") {
		t.Error("es's confirmation did not decide the alert")
	}
}

// TestEntityLinks: a record's page lists the records it names and those
// linking to it, as the viewer sees them.
func TestEntityLinks(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	es := s.signIn("es-analyst")
	_, page := es.get("/entities/un-QDi.006")
	if !strings.Contains(page, "whose holder this is") || !strings.Contains(page, "Sanction") {
		t.Error("the listed person's page does not list its documents and sanction")
	}
	// es links a record of its own to a listed address; only es sees the link.
	_, page = es.get("/entities/un-QDi.003")
	addr := regexp.MustCompile(`/entities/(un-QDi\.003-addr-\d+)`).FindStringSubmatch(page)
	if addr == nil {
		t.Fatal("no address linked from the listed person")
	}
	if code, _ := es.post("/contribute", url.Values{"schema": {"Person"}, "name": {"Idris Kowalczyk-Abernathy"},
		"other": {"addressEntity: " + addr[1]}, "audience": {"member:es"}, "handling": {"AMBER"}}); code != 303 {
		t.Fatalf("contribute: %d", code)
	}
	if _, page := es.get("/entities/" + addr[1]); !strings.Contains(page, "Idris Kowalczyk-Abernathy") {
		t.Error("es does not see its record linked to the address")
	}
	uz := s.signIn("uz-analyst")
	if _, page := uz.get("/entities/" + addr[1]); strings.Contains(page, "Kowalczyk") {
		t.Error("uz sees es's record linked to the address")
	}
}

// TestEarlierDecisions: an alert shows the member's earlier decisions on
// the same traveller, from other screenings.
func TestEarlierDecisions(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := s.signIn("es-reviewer")
	csv := "id,name,birth_date\nt1,Ayman al-Zawahiri,1951-06-19\n"
	c.upload("a.csv", csv)
	first := s.waitAlert(t, "es")
	if code, _ := c.post("/alerts/"+first+"/decision", url.Values{"status": {"confirmed"}, "reason": {"same birth date; held at the gate"}}); code != 303 {
		t.Fatalf("decide: %d", code)
	}
	c.upload("b.csv", csv)
	second := s.waitAlert(t, "es")
	_, page := c.get("/alerts/" + second)
	if !strings.Contains(page, "#"+first) || !strings.Contains(page, "held at the gate") {
		t.Error("the second alert does not show the first decision")
	}
	// Another member's decisions are not shown.
	u := s.signIn("uz-analyst")
	u.upload("c.csv", csv)
	third := s.waitAlert(t, "uz")
	if _, page := u.get("/alerts/" + third); strings.Contains(page, "held at the gate") {
		t.Error("uz sees es's decision")
	}
}
