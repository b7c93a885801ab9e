package web

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// sampleManifest is the README's made-up manifest: ten travellers, four of
// them listed persons under other spellings.
var sampleManifest, _ = filepath.Abs("../seed/sample-manifest.edi")

func TestBrowserSignIn(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := newPage(t, s)
	p.open("/review")
	if loc := p.location(); loc != "/signin?next=%2Freview" {
		t.Fatalf("anonymous: at %s", loc)
	}
	p.checkA11y()
	p.run(
		chromedp.SendKeys(id("user"), "es-reviewer"),
		chromedp.SendKeys(id("password"), "not the password"+kb.Enter),
		chromedp.WaitVisible(css(".error-box")),
	)
	if got := p.text(".error-box"); !strings.Contains(got, "wrong user name or password") {
		t.Errorf("error: %q", got)
	}
	p.checkA11y()
	p.run(
		chromedp.SendKeys(id("password"), password+kb.Enter),
		chromedp.WaitVisible(css(`nav[aria-label="Main"]`)),
	)
	if loc := p.location(); loc != "/review" {
		t.Errorf("after sign-in: at %s, want the page asked for", loc)
	}
	p.checkA11y()
	p.open("/")
	p.checkA11y()
	// The cookie is out of the script's reach.
	cookies := eval[string](p, `document.cookie`)
	if strings.Contains(cookies, SessionCookie) {
		t.Errorf("document.cookie shows the session: %q", cookies)
	}
	p.run(chromedp.Click(css(`form[action="/signout"] button`)), chromedp.WaitVisible(id("user")))
	if loc := p.location(); loc != "/signin?signedout=1" {
		t.Errorf("after sign-out: at %s", loc)
	}
	p.open("/")
	if loc := p.location(); !strings.HasPrefix(loc, "/signin") {
		t.Errorf("signed out, / shows %s", loc)
	}
}

func TestBrowserSearchArabic(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := newPage(t, s)
	p.signIn("es-analyst")
	p.open("/")
	p.run(
		chromedp.SendKeys(id("q"), "أيمن الظواهري"+kb.Enter),
		chromedp.WaitVisible(css("ol.results")),
	)
	first := p.text("ol.results li .caption")
	if !strings.Contains(first, "ZAWAHIRI") {
		t.Fatalf("first result %q", first)
	}
	// Names render isolated, with their own direction.
	dirs := eval[[]string](p, `Array.from(document.querySelectorAll("ol.results bdi")).map(b => b.dir)`)
	if len(dirs) == 0 || dirs[0] != "auto" {
		t.Errorf("result names: dir %v", dirs)
	}
	query := get(p, chromedp.Value(id("q")))
	if query != "أيمن الظواهري" {
		t.Errorf("search box keeps %q", query)
	}
	p.checkA11y()
	p.run(chromedp.Click(css("ol.results li .caption")), chromedp.WaitVisible(css("table.values")))
	if loc := p.location(); loc != "/entities/un-QDi.006" {
		t.Errorf("entity page at %s", loc)
	}
	page := p.text("main")
	for _, want := range []string{"AIMAN MUHAMMED RABI AL-ZAWAHIRI", "أيمن محمد ربيع الظواهري", "un:QDi.006", "published list", "everyone (published list)", "TLP:CLEAR"} {
		if !strings.Contains(page, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	p.checkA11y()
	p.run(chromedp.Click(css(`a[href$="?history=1"]`)), chromedp.WaitVisible(css("tbody tr")))
	if !strings.Contains(p.text("main"), "current") {
		t.Error("history lists no statement")
	}
	p.checkA11y()
	// A name nobody is listed under: the empty state.
	p.open("/search?q=Zzyzx+Quuxbertson")
	if got := p.text("main"); !strings.Contains(got, "Nothing you may see is named like") {
		t.Errorf("empty search: %q", got)
	}
}

func TestBrowserScreenAndReview(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := newPage(t, s)
	p.signIn("es-reviewer")
	// One name, with an explanation.
	p.open("/screen")
	p.checkA11y()
	p.run(
		chromedp.SendKeys(id("s-name"), "Saif al-Adel"),
		chromedp.SendKeys(id("s-birth"), "1963"),
		chromedp.Click(css(`form[action="/screen"] button[type=submit]`)),
		chromedp.WaitVisible(id("r-h")),
	)
	if got := p.text("ol.results"); !strings.Contains(got, "ZIDANE") {
		t.Errorf("screening Saif al-Adel: %q", got)
	}
	p.checkA11y()

	// A manifest: the page follows the job live, without reloading.
	s.setSlow(250 * time.Millisecond)
	p.open("/screen")
	p.run(
		chromedp.SetUploadFiles(id("f-file"), []string{sampleManifest}),
		chromedp.SendKeys(id("f-name"), "ZZ0123 IST-FRA"),
		chromedp.Click(css(`form[action="/jobs"] button[type=submit]`)),
		chromedp.WaitVisible(id("job-progress")),
		chromedp.Evaluate[chromedp.Void](`window.stillHere = true; 0`),
	)
	if loc := p.location(); !strings.HasPrefix(loc, "/jobs/job-") {
		t.Fatalf("after upload: at %s", loc)
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		done := eval[string](p, `(document.querySelector('[data-field="done"]') || {}).textContent || ""`)
		seen[done] = true
		finished := eval[bool](p, `!document.querySelector("[data-poll]") && !!document.querySelector("table.data")`)
		if finished {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	still := eval[bool](p, `window.stillHere === true`)
	if !still {
		t.Error("the job page reloaded instead of updating in place")
	}
	intermediate := 0
	for k := range seen {
		if k != "0" && k != "10" {
			intermediate++
		}
	}
	if intermediate == 0 {
		t.Errorf("no progress seen between 0 and 10: %v", seen)
	}
	results := p.text("table.data")
	for _, want := range []string{"ZAWAHIRI", "HIJAZI", "ESSABAR", "TANTOUSH"} {
		if !strings.Contains(results, want) {
			t.Errorf("job results lack %s", want)
		}
	}
	if strings.Contains(results, "MUELLER") {
		t.Error("rows without hits shown in the hits view")
	}
	if !strings.Contains(p.text(".job-status"), "4 with hits") {
		t.Errorf("status: %q", p.text(".job-status"))
	}
	p.checkA11y()

	// Review: the queue of the job, then each alert beside its record.
	p.run(chromedp.Click(css(`a[href^="/review?job="]`)), chromedp.WaitVisible(css("table.queue")))
	rows := eval[int](p, `document.querySelectorAll("table.queue tbody tr").length`)
	if rows != 4 {
		t.Fatalf("queue has %d alerts, want 4", rows)
	}
	p.checkA11y()
	p.run(chromedp.Click(css(`a.button[href^="/alerts/"]`)), chromedp.WaitVisible(id("decision-form")))
	first := p.location()
	page := p.text("main")
	for _, want := range []string{"Screened", "Listed record", "Explanation", "Earlier decisions", "pending alert 1 of 4"} {
		if !strings.Contains(page, want) {
			t.Errorf("alert page lacks %q", want)
		}
	}
	p.checkA11y()
	// A decision needs a reason: the browser refuses the empty form, and
	// so does the server.
	p.run(chromedp.Click(css(`button[value="dismissed"]`)))
	if p.location() != first {
		t.Error("dismissed without a reason")
	}
	// Keyboard: d chooses dismiss and moves to the reason; Ctrl+Enter
	// submits; the next alert of the flight opens.
	p.run(
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); 0`),
		chromedp.KeyEvent("d"),
		chromedp.SendKeys(id("reason"), "different person: birth date and passport differ"),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(css(".notice")),
	)
	second := p.location()
	if second == first || !strings.HasPrefix(second, "/alerts/") {
		t.Fatalf("after the decision: at %s", second)
	}
	// j and k move between the pending alerts of the flight.
	p.run(chromedp.KeyEvent("j"), chromedp.WaitVisible(css(`a[data-key="k"]`)))
	third := p.location()
	if third == strings.Split(second, "?")[0] {
		t.Errorf("j did not move from %s", second)
	}
	p.run(chromedp.KeyEvent("k"), chromedp.WaitVisible(id("decision-form")))
	if loc := p.location(); loc != strings.Split(second, "?")[0] {
		t.Errorf("k went from %s to %s, want %s", third, loc, second)
	}
	// The dismissed alert left the pending queue.
	p.open("/review")
	p.run(chromedp.WaitVisible(css("table.queue")))
	rows = eval[int](p, `document.querySelectorAll("table.queue tbody tr").length`)
	if rows != 3 {
		t.Errorf("pending queue has %d alerts after one dismissal, want 3", rows)
	}
	ids := eval[[]string](p, `Array.from(document.querySelectorAll("table.queue a[href^='/alerts/']")).map(a => a.getAttribute("href"))`)
	for _, id := range ids {
		if id == strings.Split(first, "?")[0] {
			t.Errorf("dismissed alert %s still pending", id)
		}
	}
	p.open("/review?status=dismissed")
	if got := p.text("table.queue"); !strings.Contains(got, "different person") {
		t.Errorf("dismissed list: %q", got)
	}
	p.checkA11y()
}

// TestBrowserCSRFRefused: a state-changing request without the form's
// token is refused, even from the console's own origin.
func TestBrowserCSRFRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := newPage(t, s)
	p.signIn("es-reviewer")
	p.open("/screen")
	status := eval[int](p, `fetch("/screen", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "name=Ayman+al-Zawahiri"}).then(r => r.status)`)
	if status != 403 {
		t.Errorf("POST without the token: %d", status)
	}
	// With the token from the form, the same request passes.
	status = eval[int](p, `fetch("/screen", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "name=Ayman+al-Zawahiri&csrf=" + encodeURIComponent(document.querySelector("input[name=csrf]").value)}).then(r => r.status)`)
	if status != 200 {
		t.Errorf("POST with the token: %d", status)
	}
	// A form with its token removed, submitted by the browser: the refusal
	// page, which says why.
	p.run(
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/screen"] input[name=csrf]').remove(); 0`),
		chromedp.SendKeys(id("s-name"), "Ayman al-Zawahiri"),
		chromedp.Click(css(`form[action="/screen"] button[type=submit]`)),
		chromedp.WaitVisible(css(".error-box")),
	)
	if got := p.text(".error-box"); !strings.Contains(got, "did not come from the console") {
		t.Errorf("refusal: %q", got)
	}
	p.checkA11y()
}

// TestBrowserEveryPageAccessible visits the pages the other browser tests
// do not, as the administrator and a lead, and checks each one.
func TestBrowserEveryPageAccessible(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := newPage(t, s)
	p.signIn("admin")
	for _, path := range []string{"/operate", "/operate/users", "/operate/tokens", "/operate/audit?verify=1",
		"/operate/imports", "/operate/health", "/coalition", "/coalition/groups/ttwg", "/jobs", "/review", "/nope"} {
		p.open(path)
		p.checkA11y()
	}
	p.open("/operate/tokens")
	p.run(
		chromedp.SendKeys(id("t-name"), "nightly export"),
		chromedp.Click(css(`form[action="/operate/tokens"] button[type=submit]`)),
		chromedp.WaitVisible(css(".secret")),
	)
	p.checkA11y()
	lead := newPage(t, s)
	lead.signIn("es-admin")
	lead.open("/coalition/groups/ttwg")
	lead.checkA11y()
	lead.run(chromedp.Click(css(`form[action$="/members"] button[type=submit]`)), chromedp.WaitVisible(css(".notice")))
	lead.checkA11y()
}
