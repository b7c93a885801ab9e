package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Shorthands for the typed selectors of chromedp.
type (
	css = chromedp.CSS
	id  = chromedp.ID
)

// The browser tests drive a real Chromium (Debian's chromium; .ci/run
// installs it) through the DevTools protocol, against the real console on
// port 0. One browser serves the whole test binary; each test gets its own
// browser context (its own cookies), so tests do not see each other's
// sessions.

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    string // why the browser tests are skipped
)

// chromium finds the browser: $CONCORD_CHROMIUM, or chromium on the PATH.
func chromium() string {
	if p := os.Getenv("CONCORD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

// startBrowser starts the one headless Chromium of the test binary.
func startBrowser() {
	path := chromium()
	if path == "" {
		browserErr = "chromium not found (install Debian's chromium, or set CONCORD_CHROMIUM): browser tests skipped"
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b, cancelB := chromedp.NewContext(alloc)
	if err := chromedp.Do(b); err != nil {
		cancelB()
		cancelAlloc()
		browserErr = "chromium did not start: " + err.Error()
		return
	}
	browserCtx = b
	browserCancel = func() { cancelB(); cancelAlloc() }
}

// page is one browser tab in a fresh browser context, signed in as nobody.
type page struct {
	t    *testing.T
	ctx  context.Context
	site *site
	// console collects the page's console errors and CSP violations.
	mu      sync.Mutex
	console []string
}

// newPage opens a tab; the test is skipped without a browser (failed in
// CI, where .ci/run installs one).
func newPage(t *testing.T, s *site) *page {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserErr != "" {
		if os.Getenv("CI") != "" {
			t.Fatal(browserErr)
		}
		t.Skip(browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	p := &page{t: t, ctx: ctx, site: s}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			msg = "console.error: " + strings.Join(parts, " ")
		default:
			return
		}
		p.mu.Lock()
		p.console = append(p.console, msg)
		p.mu.Unlock()
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.console {
			t.Errorf("browser: %s", c)
		}
	})
	return p
}

// ctxT is a context for one step, with a deadline.
func (p *page) ctxT() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, 20*time.Second)
}

// run runs steps in order, failing the test at the first error.
func (p *page) run(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := p.ctxT()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("browser at %s: %v", loc, err)
	}
}

// get runs one action and returns its value.
func get[T any](p *page, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := p.ctxT()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("browser at %s: %v", loc, err)
	}
	return v
}

// eval evaluates a JavaScript expression (awaiting a promise) into a T.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	return get(p, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// open navigates to a console path.
func (p *page) open(path string) {
	p.t.Helper()
	p.run(chromedp.Navigate(p.site.URL + path))
}

// text returns the text of the first element matching a CSS selector.
func (p *page) text(sel string) string {
	p.t.Helper()
	return get(p, chromedp.Text(css(sel)))
}

func (p *page) location() string {
	p.t.Helper()
	return strings.TrimPrefix(get(p, chromedp.Location()), p.site.URL)
}

// signIn signs in through the form, as a person would.
func (p *page) signIn(user string) {
	p.t.Helper()
	p.open("/signin")
	p.run(
		chromedp.WaitVisible(id("user")),
		chromedp.SendKeys(id("user"), user),
		chromedp.SendKeys(id("password"), password+kb.Enter),
		chromedp.WaitVisible(css(`nav[aria-label="Main"]`)),
	)
}

// axeSource is axe-core, installed by `npm ci` in testdata/axe.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	return string(b), err
})

// axeViolation is one failed rule of axe-core.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkA11y runs axe-core (WCAG 2.1 A and AA rules) on the current page
// and fails on any serious or critical violation; it also checks that
// every control can be reached with the keyboard.
func (p *page) checkA11y() {
	p.t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") != "" {
			p.t.Fatalf("axe-core missing (npm ci in internal/web/testdata/axe): %v", err)
		}
		p.t.Logf("axe-core not installed (run npm ci in internal/web/testdata/axe): accessibility rules not checked")
	} else {
		p.run(chromedp.Evaluate[chromedp.Void](src + ";0"))
		out := eval[[]axeViolation](p, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]}).then(r => r.violations)`)
		if testing.Verbose() {
			p.t.Logf("%s: axe-core: %d rules violated (any impact)", p.location(), len(out))
		}
		for _, v := range out {
			if v.Impact != "serious" && v.Impact != "critical" {
				continue
			}
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
			}
			p.t.Errorf("%s: accessibility %s (%s): %s\n  %s", p.location(), v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
		}
	}
	p.checkKeyboard()
}

// checkKeyboard tabs through the page and checks that every visible
// control (link, button, field) receives the focus, and has a name.
func (p *page) checkKeyboard() {
	p.t.Helper()
	controls := eval[[]string](p, `(() => {
		const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
		let i = 0;
		return Array.from(document.querySelectorAll(sel)).filter(el => {
			const r = el.getBoundingClientRect(), st = getComputedStyle(el);
			return !el.disabled && st.visibility !== 'hidden' && st.display !== 'none' && (r.width > 0 || r.height > 0 || el.classList.contains('skip'));
		}).map(el => { el.dataset.kbd = String(i++); return el.dataset.kbd; });
	})()`)
	if len(controls) > 300 {
		controls = controls[:300] // a long list page: its first controls
	}
	// The page records every control that takes the focus; the Tab presses
	// go in one batch.
	eval[bool](p, `window.__reached = {}; document.addEventListener("focusin", e => {
		const k = e.target && e.target.dataset && e.target.dataset.kbd; if (k) { window.__reached[k] = true; } }, true);
		document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); true`)
	tabs := make([]chromedp.Action[chromedp.Void], len(controls)+3)
	for i := range tabs {
		tabs[i] = chromedp.KeyEvent(kb.Tab)
	}
	p.run(tabs...)
	reached := eval[map[string]bool](p, `window.__reached`)
	for _, c := range controls {
		if !reached[c] {
			html := eval[string](p, `document.querySelector('[data-kbd="`+c+`"]').outerHTML.slice(0, 200)`)
			p.t.Errorf("%s: not reachable with Tab: %s", p.location(), html)
		}
	}
}
