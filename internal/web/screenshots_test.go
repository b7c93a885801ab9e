package web

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var update = flag.Bool("update", false, "rewrite the screenshots of docs/console/")

// screenshotDir is where docs/console.md finds its pictures.
const screenshotDir = "../../docs/console"

// TestScreenshots walks the README's walkthrough through the main pages and
// takes a picture of each: `go test ./internal/web -run TestScreenshots
// -update` rewrites docs/console/*.png. Without -update it only checks
// that every page renders and its picture decodes.
func TestScreenshots(t *testing.T) {
	s := newSite(t)
	s.setFirstStart(true)
	p := newPage(t, s)
	shots := 0
	shot := func(name string) {
		t.Helper()
		p.screenshot(name)
		shots++
	}
	p.open("/signin")
	shot("signin")
	s.setFirstStart(false)

	p.signIn("uz-analyst")
	p.open("/")
	shot("home")
	p.open("/search?q=" + "أيمن+الظواهري")
	shot("search")
	p.open("/entities/un-QDi.006")
	shot("entity")
	p.open("/screen")
	p.run(
		chromedp.SendKeys(id("s-name"), "Saif al-Adel"),
		chromedp.SendKeys(id("s-birth"), "1963"),
		chromedp.Click(css(`form[action="/screen"] button[type=submit]`)),
		chromedp.WaitVisible(id("r-h")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("ol.results details").open = true; 0`),
		chromedp.ScrollIntoView(id("r-h")),
	)
	shot("screen-name")
	s.setSlow(200 * time.Millisecond)
	p.open("/screen")
	p.run(
		chromedp.SetUploadFiles(id("f-file"), []string{sampleManifest}),
		chromedp.SendKeys(id("f-name"), "ZZ0123 IST-FRA"),
		chromedp.Click(css(`form[action="/jobs"] button[type=submit]`)),
		chromedp.WaitVisible(id("job-progress")),
		chromedp.Sleep(900*time.Millisecond),
	)
	shot("job-progress")
	deadline := time.Now().Add(15 * time.Second)
	for eval[bool](p, `!!document.querySelector("[data-poll]")`) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	shot("job-done")
	s.setSlow(0)
	p.run(chromedp.Click(css(`a[href^="/review?job="]`)), chromedp.WaitVisible(css("table.queue")))
	shot("review")
	p.run(chromedp.Click(css(`a.button[href^="/alerts/"]`)), chromedp.WaitVisible(id("decision-form")))
	shot("alert")
	p.run(
		chromedp.SendKeys(id("reason"), "Birth date, nationality and passport agree with the listed record; held for the liaison officer."),
		chromedp.Click(css(`button[value="confirmed"]`)),
		chromedp.WaitVisible(css(".notice")),
	)
	p.open("/contribute")
	shot("contribute")
	p.open("/coalition")
	shot("coalition")

	a := newPage(t, s)
	p = a
	a.signIn("admin")
	a.open("/operate/users")
	a.run(
		chromedp.SendKeys(id("nu-name"), "amina"),
		chromedp.SetValue(id("nu-member"), "uz"),
		chromedp.Click(css(`input[name=role][value=analyst]`)),
		chromedp.Click(css(`input[name=role][value=reviewer]`)),
		chromedp.Click(css(`form[method=post][action="/operate/users"] button[type=submit]`)),
		chromedp.WaitVisible(css(".secret")),
	)
	shot("users")
	a.open("/operate/audit?verify=1")
	shot("audit")
	a.open("/operate/imports")
	shot("imports")
	if shots != 14 {
		t.Errorf("%d screenshots", shots)
	}
	if *update {
		t.Logf("wrote %d screenshots to %s", shots, strings.TrimPrefix(screenshotDir, "../../"))
	}
}

// screenshot takes a picture of the page and checks it decodes; with
// -update it writes it to docs/console/NAME.png.
func (p *page) screenshot(name string) {
	p.t.Helper()
	p.run(chromedp.Sleep(150 * time.Millisecond)) // let the script localise times
	b := get(p, chromedp.CaptureScreenshot())
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		p.t.Fatalf("%s: %v", name, err)
	}
	if *update {
		if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
			p.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), b, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}
