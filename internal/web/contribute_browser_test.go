package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserMemberRecordHidden: an analyst contributes a member:es record;
// a user of another member finds no trace of it through any page.
func TestBrowserMemberRecordHidden(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	const name = "Yusuf Quraishi-Vandermeer"
	uz := newPage(t, s)
	uz.signIn("uz-analyst")
	uz.open("/")
	countsBefore := uz.text("main")

	es := newPage(t, s)
	es.signIn("es-analyst")
	es.open("/contribute")
	es.checkA11y()
	es.run(
		chromedp.SendKeys(id("c-name"), name),
		chromedp.SendKeys(id("c-birth"), "1984-02-29"),
		chromedp.SetValue(id("c-nat"), "sy"),
		chromedp.SendKeys(id("c-doc"), "N0448812"),
		chromedp.SetValue(id("c-aud"), "member:es"),
		chromedp.SetValue(id("c-tlp"), "AMBER"),
		chromedp.Click(css(`form[action="/contribute"] button[type=submit]`)),
		chromedp.WaitVisible(css("table.values")),
	)
	loc := es.location()
	if !strings.HasPrefix(loc, "/entities/m-es-") {
		t.Fatalf("after contributing: at %s", loc)
	}
	page := es.text("main")
	for _, want := range []string{name, "Spain only", "TLP:AMBER", "by es", "reshare or retract"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new record's page lacks %q", want)
		}
	}
	es.checkA11y()
	// The contributor finds it.
	es.open("/search?q=" + strings.ReplaceAll(name, " ", "+"))
	if !strings.Contains(es.text("main"), name) {
		t.Error("the contributor does not find its record")
	}

	// Another member: nothing, anywhere.
	uz.open("/search?q=" + strings.ReplaceAll(name, " ", "+"))
	if got := uz.text("main"); strings.Contains(got, "Quraishi") && !strings.Contains(got, "Nothing you may see") {
		t.Errorf("uz's search shows the record: %q", got)
	}
	uz.open("/search?q=Quraishi+Vandermeer")
	if got := uz.text("main"); !strings.Contains(got, "Nothing you may see is named like") {
		t.Errorf("uz's search: %q", got)
	}
	uz.open(loc)
	hidden := uz.text("main")
	uz.open("/entities/m-es-0000000000000000")
	missing := uz.text("main")
	if hidden != missing || !strings.Contains(hidden, "entity not found") {
		t.Errorf("hidden record page %q differs from a missing one %q", hidden, missing)
	}
	uz.open(loc + "?history=1")
	if uz.text("main") != missing {
		t.Error("the history of the hidden record differs from a missing one")
	}
	uz.open("/")
	if got := uz.text("main"); got != countsBefore {
		t.Errorf("uz's start page changed after es contributed:\n%s\nvs\n%s", got, countsBefore)
	}
	uz.open("/contribute")
	if strings.Contains(uz.text("main"), "Quraishi") {
		t.Error("uz's contributions list the record")
	}
	uz.open("/operate/imports")
	if strings.Contains(uz.text("main"), "member-es") {
		t.Error("uz's imports page names es's contributions")
	}
	// Screening the name, one by one and in a file: no hit, no alert.
	uz.open("/screen")
	uz.run(
		chromedp.SendKeys(id("s-name"), name),
		chromedp.SendKeys(id("s-birth"), "1984-02-29"),
		chromedp.SetValue(id("s-thr"), "0.5"),
		chromedp.Click(css(`form[action="/screen"] button[type=submit]`)),
		chromedp.WaitVisible(id("r-h")),
	)
	if got := uz.text("main"); strings.Contains(got, "Quraishi") && !strings.Contains(got, "Nothing you may see") {
		t.Errorf("uz's screening shows the record: %q", got)
	}
	csv := filepath.Join(t.TempDir(), "travellers.csv")
	if err := os.WriteFile(csv, []byte("id,name,birth_date,document_number\nt1,"+name+",1984-02-29,N0448812\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uz.open("/screen")
	uz.run(
		chromedp.SetUploadFiles(id("f-file"), []string{csv}),
		chromedp.Click(css(`form[action="/jobs"] button[type=submit]`)),
		chromedp.WaitVisible(id("job-progress")),
	)
	deadline := time.Now().Add(10 * time.Second)
	for eval[bool](uz, `!!document.querySelector("[data-poll]")`) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := uz.text("main"); !regexp.MustCompile(`0 with hits`).MatchString(got) || strings.Contains(got, "Quraishi") && strings.Contains(got, "%") {
		t.Errorf("uz's screening job: %q", got)
	}
	uz.open("/review?status=pending")
	if got := uz.text("main"); !strings.Contains(got, "No alert waits") {
		t.Errorf("uz's queue: %q", got)
	}
	// The contributor retracts its birth date: gone from the record, kept
	// in its history.
	es.open(loc)
	es.run(chromedp.Click(css(`tr:has(th[rowspan]) + tr a[href^="/contribute/statements/"], a[href^="/contribute/statements/"]`)),
		chromedp.WaitVisible(css(`button.confirm`)))
	es.checkA11y()
	value := es.text("dd:nth-of-type(3)")
	es.run(chromedp.Click(css(`button.confirm`)), chromedp.WaitVisible(css("table.values")))
	if got := es.text("table.values"); strings.Contains(got, value) {
		t.Errorf("retracted value %q still shown", value)
	}
	es.open(loc + "?history=1")
	if got := es.text("main"); !strings.Contains(got, value) || !strings.Contains(got, "retracted") {
		t.Errorf("history lacks the retracted %q", value)
	}
}
