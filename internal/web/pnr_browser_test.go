package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPNR walks the PNR pages as the README's PNR unit does: a push
// stored from the form, the booking of a listed person with its travellers
// and links, who else used its phone, the network, a rule hit dismissed and
// a depersonalised version shown whole for a reason; each page checked for
// accessibility and the keyboard. With -update it writes the pictures of
// docs/console.md (pnr-*.png).
func TestBrowserPNR(t *testing.T) {
	s := newSite(t)
	s.pnrRule(t)
	p := newPage(t, s)
	p.signIn("es-reviewer")
	p.open("/pnr")
	p.checkA11y()
	p.run(
		chromedp.SetUploadFiles(id("file"), []string{samplePush}),
		chromedp.Click(css(`form[action="/pnr/pushes"] button[type=submit]`)),
		chromedp.WaitVisible(css(".notice")),
	)
	if got := p.text(".notice"); !strings.Contains(got, "3 PNRs") {
		t.Fatalf("after the push: %q", got)
	}
	p.screenshot("pnr-bookings")
	p.checkA11y()
	s.waitAlert(t, "es")

	q7 := s.bookingID(t, "Q7KD2M")
	p.open("/pnr/bookings/" + q7)
	if got := p.text("main"); !strings.Contains(got, "ZIDAN") || !strings.Contains(got, "T5WN8A") {
		t.Errorf("booking page: %.300q", got)
	}
	p.screenshot("pnr-booking")
	p.checkA11y()

	p.open("/pnr/links?kind=phone&value=" + url.QueryEscape("+90 532 111 22 33"))
	if got := p.text("#res-h"); !strings.HasPrefix(got, "2 bookings with this phone") {
		t.Errorf("link query: %q", got)
	}
	p.screenshot("pnr-links")
	p.checkA11y()

	p.open("/pnr/network")
	p.checkA11y()
	p.open("/pnr/bookings/" + s.bookingID(t, "T5WN8A") + "/network")
	if got := p.text("#exposure + ol"); !strings.Contains(got, "Q7KD2M") || !strings.Contains(got, "(listed)") {
		t.Errorf("T5WN8A's exposure: %q", got)
	}
	p.screenshot("pnr-network")
	p.checkA11y()

	p.open("/pnr/hits")
	p.checkA11y()
	p.run(
		chromedp.SendKeys(css(`form[action^="/pnr/hits/"] textarea`), "Both tickets bought by the agency for a group; nothing else points to them."),
		chromedp.Click(css(`form[action^="/pnr/hits/"] button[value="dismissed"]`)),
		chromedp.WaitVisible(css(`.notice[role="status"]`)),
	)
	if got := p.text(".notice"); !strings.Contains(got, "decided") {
		t.Errorf("after the decision: %q", got)
	}
	p.open("/pnr/rules")
	p.checkA11y()

	if _, err := s.store.PNRHousekeeping(context.Background(), time.Now().Add(200*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	p.open("/pnr/bookings/" + q7)
	if got := p.text("main"); strings.Contains(got, "ZIDAN/MUHAMMAD") || strings.Contains(got, "A1234567") {
		t.Error("the depersonalised booking shows a name or a document")
	}
	p.run(
		chromedp.SendKeys(id("reason-1"), "Court order 2026/118 of the investigating judge"),
		chromedp.Click(css(`form[action$="/versions/1/repersonalise"] button`)),
		chromedp.WaitVisible(id("whole-h")),
	)
	if got := p.text("main"); !strings.Contains(got, "ZIDAN/MUHAMMAD") || !strings.Contains(got, "A1234567") {
		t.Error("the re-personalised version shows no name")
	}
	p.checkA11y()
}
