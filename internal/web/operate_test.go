package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var secretRE = regexp.MustCompile(`<p class="secret">([^<]+)</p>`)

func TestOperateUsersAndTokens(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	admin := s.signIn("es-admin")
	// An administrator adds a user of its member; the password shows once
	// and signs in.
	code, body := admin.post("/operate/users", url.Values{"name": {"es-amina"}, "member": {"es"}, "role": {"analyst", "reviewer"}})
	m := secretRE.FindStringSubmatch(body)
	if code != 201 || m == nil {
		t.Fatalf("add user: %d", code)
	}
	c := s.anonymous()
	_, form := c.get("/signin")
	if code, _ := c.post("/signin", url.Values{"user": {"es-amina"}, "password": {m[1]}, "csrf": {csrfOf(form)}}); code != 303 {
		t.Fatalf("new user signs in: %d", code)
	}
	if _, page := admin.get("/operate/users"); secretRE.MatchString(page) || !strings.Contains(page, "es-amina") {
		t.Error("the users page shows the password again, or not the user")
	}
	for _, bad := range []struct {
		form url.Values
		code int
	}{
		{url.Values{"name": {"uz-x"}, "member": {"uz"}, "role": {"analyst"}}, 403},        // another member
		{url.Values{"name": {"es-boss"}, "member": {"es"}, "role": {"secretariat"}}, 403}, // a coalition role
		{url.Values{"name": {"es-amina"}, "member": {"es"}, "role": {"viewer"}}, 409},     // taken
		{url.Values{"name": {"Bad Name"}, "member": {"es"}, "role": {"viewer"}}, 400},     // shape
		{url.Values{"name": {"es-norole"}, "member": {"es"}}, 400},                        // no role
	} {
		if code, _ := admin.post("/operate/users", bad.form); code != bad.code {
			t.Errorf("add %v: %d, want %d", bad.form, code, bad.code)
		}
	}
	// Disabling an account ends its sessions at once.
	if code, _ := admin.post("/operate/users/es-amina/disable", url.Values{}); code != 303 {
		t.Fatalf("disable: %d", code)
	}
	if code, _ := c.get("/"); code != 303 {
		t.Errorf("disabled user still signed in: %d", code)
	}
	if code, _ := admin.post("/operate/users/uz-analyst/disable", url.Values{}); code != 404 {
		t.Errorf("disable another member's user: %d", code)
	}
	if code, _ := s.signIn("es-analyst").get("/operate/users"); code != 403 {
		t.Errorf("an analyst lists users: %d", code)
	}

	// Tokens: created once, shown once, work on the API, revoked.
	an := s.signIn("es-analyst")
	code, body = an.post("/operate/tokens", url.Values{"name": {"gateway"}, "scope": {"match", "screen"}})
	m = secretRE.FindStringSubmatch(body)
	if code != 201 || m == nil {
		t.Fatalf("create token: %d", code)
	}
	if code, _ := an.post("/operate/tokens", url.Values{"name": {"x"}, "scope": {"admin"}}); code != 403 {
		t.Errorf("a token with a scope the roles do not use: %d", code)
	}
	if st := apiStatus(t, s, m[1]); st != 200 {
		t.Fatalf("token on the API: %d", st)
	}
	id := strings.Split(strings.TrimPrefix(m[1], "cct_"), "_")[0]
	if code, _ := s.signIn("es-reviewer").post("/operate/tokens/"+id+"/revoke", url.Values{}); code != 404 {
		t.Errorf("another user revokes the token: %d", code)
	}
	if code, _ := an.post("/operate/tokens/"+id+"/revoke", url.Values{}); code != 303 {
		t.Fatalf("revoke: %d", code)
	}
	if st := apiStatus(t, s, m[1]); st != 401 {
		t.Errorf("revoked token on the API: %d", st)
	}
}

func TestOperateAuditImportsHealth(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	admin := s.signIn("es-admin")
	s.signIn("es-analyst").get("/search?q=Zawahiri")
	code, body := admin.get("/operate/audit?action=search")
	if code != 200 || !strings.Contains(body, "es-analyst") || !strings.Contains(body, "q=Zawahiri") {
		t.Errorf("audit view: %d", code)
	}
	// uz's reads are not in es's audit view.
	s.signIn("uz-analyst").get("/search?q=Hijazi")
	if _, body := admin.get("/operate/audit?action=search"); strings.Contains(body, "Hijazi") {
		t.Error("es's audit view shows uz's search")
	}
	if _, body := admin.get("/operate/audit?verify=1"); !strings.Contains(body, "The chain is intact") {
		t.Error("chain state not shown")
	}
	if _, body := s.signIn("admin").get("/operate/audit?action=search"); !strings.Contains(body, "Hijazi") {
		t.Error("the secretariat's audit view lacks uz's search")
	}
	if code, _ := s.signIn("es-analyst").get("/operate/audit"); code != 403 {
		t.Errorf("an analyst reads the audit: %d", code)
	}
	code, body = admin.get("/operate/imports")
	if code != 200 || !strings.Contains(body, "2026-02-27") || !regexp.MustCompile(`<td class="num">\d+</td>`).MatchString(body) {
		t.Errorf("imports: %d", code)
	}
	if code, body := admin.get("/operate/health"); code != 200 || !strings.Contains(body, "ready") {
		t.Errorf("health: %d", code)
	}
}

// TestGroupLeads: a lead's administrator manages its group's members; the
// change applies at once to what the new member sees.
func TestGroupLeads(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	admin := s.signIn("es-admin") // es leads ttwg
	if code, body := admin.get("/coalition/groups/ttwg"); code != 200 || !strings.Contains(body, "Add to the group") {
		t.Fatalf("lead's group page: %d", code)
	}
	// es shares a record with the group; uz does not see it yet.
	an := s.signIn("es-analyst")
	if code, _ := an.post("/contribute", url.Values{"schema": {"Person"}, "name": {"Tariq Oyelaran-Lindqvist"},
		"audience": {"group:ttwg"}, "handling": {"AMBER"}}); code != 303 {
		t.Fatalf("contribute to the group: %d", code)
	}
	uz := s.signIn("uz-analyst")
	if _, body := uz.get("/search?q=Tariq+Oyelaran-Lindqvist"); !strings.Contains(body, "Nothing you may see") {
		t.Fatal("uz sees a ttwg record before joining")
	}
	if code, _ := s.signIn("uz-analyst").post("/coalition/groups/ttwg/members", url.Values{"add": {"uz"}}); code != 403 {
		t.Errorf("a non-lead adds itself: %d", code)
	}
	if code, _ := an.post("/coalition/groups/ttwg/members", url.Values{"add": {"uz"}}); code != 403 {
		t.Errorf("the lead's analyst changes the group: %d", code)
	}
	if code, _ := admin.post("/coalition/groups/ttwg/members", url.Values{"add": {"uz"}}); code != 303 {
		t.Fatalf("the lead adds uz: %d", code)
	}
	if _, body := uz.get("/search?q=Tariq+Oyelaran-Lindqvist"); !strings.Contains(body, "Oyelaran-Lindqvist") {
		t.Error("uz does not see the ttwg record after joining")
	}
	if code, _ := admin.post("/coalition/groups/ttwg/members", url.Values{"remove": {"es"}}); code != 400 {
		t.Errorf("the lead removes itself: %d", code)
	}
	if code, _ := admin.post("/coalition/groups/ttwg/members", url.Values{"remove": {"uz"}}); code != 303 {
		t.Errorf("the lead removes uz: %d", code)
	}
	if _, body := uz.get("/search?q=Tariq+Oyelaran-Lindqvist"); !strings.Contains(body, "Nothing you may see") {
		t.Error("uz still sees the ttwg record after leaving")
	}
	if code, body := uz.get("/coalition"); code != 200 || !strings.Contains(body, "Terrorist Travel Working Group") {
		t.Errorf("coalition page: %d", code)
	}
}
