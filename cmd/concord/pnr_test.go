package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
)

const pnrData = "../../internal/importer/pnrgov/testdata/"

// sensitivePush is the sample push with special meals, medical requests and
// remarks of every special category added to its first PNR.
func sensitivePush(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(pnrData + "concord_sample_push.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), "SSR+MOML:HK:1:ZZ'",
		"SSR+MOML:HK:1:ZZ:::::MUSLIM MEAL'SSR+WCHR:HK:1:ZZ:::::WHEELCHAIR DIABETIC'SSR+KSML:HK:1:ZZ:::::KOSHER'"+
			"IFT+4:28::ZZ+PASSENGER ASKS FOR A PRAYER ROOM AND HALAL FOOD'SSR+OTHS:HK:1:ZZ:::::HIV POSITIVE PREGNANT'", 1)
}

// sensitiveWords are the push's sensitive codes and phrases (none is in the
// bundled UN list, which the store holds too).
var sensitiveWords = []string{"MOML", "MUSLIM MEAL", "WCHR", "WHEELCHAIR", "DIABETIC", "KSML", "KOSHER", "PRAYER ROOM", "HALAL FOOD", "HIV POSITIVE", "PREGNANT"}

func noSensitive(t *testing.T, where, text string) {
	t.Helper()
	up := strings.ToUpper(text)
	for _, w := range sensitiveWords {
		if strings.Contains(up, w) {
			t.Errorf("%s holds %q", where, w)
		}
	}
}

func TestScreenPNRGOV(t *testing.T) {
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	push := filepath.Join(t.TempDir(), "push.edi")
	if err := os.WriteFile(push, []byte(sensitivePush(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, err := run(t, "", "--data", d, "screen", "--in", push, "--out", "-")
	if err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	// One line per traveller per PNR: two listed persons under other
	// spellings, two innocents.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	want := []struct{ id, booking, entity string }{
		{"msg1-pnr1-pax1", "Q7KD2M", "un-QDi.001"}, {"msg1-pnr1-pax2", "Q7KD2M", ""},
		{"msg1-pnr2-pax1", "R2BX9P", "un-QDi.431"}, {"msg1-pnr3-pax1", "T5WN8A", ""},
	}
	for i, l := range lines {
		var r struct {
			screenLine
			Booking string `json:"booking"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(r.Matches) > 0 {
			got = r.Matches[0].EntityID
			if len(r.Matches[0].Explanation) == 0 {
				t.Errorf("%s: no explanation", r.ID)
			}
		}
		if r.ID != want[i].id || r.Booking != want[i].booking || got != want[i].entity {
			t.Errorf("line %d: %s %s %s, want %+v", i+1, r.ID, r.Booking, got, want[i])
		}
	}
	noSensitive(t, "screen output", out)
	noSensitive(t, "screen stderr", errs)
	audit := mustRun(t, "--data", d, "-q", "audit", "verify")
	noSensitive(t, "audit", audit)

	// Shared pushes screen, one line per traveller (internal/job reads every
	// one of them); the malformed two are refused with their segment,
	// nothing written.
	for _, f := range []string{"gtas_pnrWithBags.txt", "gtas_pnrMessagePg75.txt", "gtas_pnrBadFormat.txt", "gtas_danglingMetaCharacter.txt"} {
		f = pnrData + f
		out, errs, err := run(t, "", "--data", d, "-q", "screen", "--in", f, "--out", "-")
		switch filepath.Base(f) {
		case "gtas_pnrBadFormat.txt", "gtas_danglingMetaCharacter.txt":
			if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "pnrgov: segment ") || out != "" {
				t.Errorf("%s: %v, output %q", f, err, out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v %s", f, err, errs)
		}
		if filepath.Base(f) == "gtas_pnrWithBags.txt" && strings.Count(out, "\n") != 268 {
			t.Errorf("%s: %d lines, want 268", f, strings.Count(out, "\n"))
		}
	}

	// A deny list of one's own, and a bad one.
	deny := filepath.Join(t.TempDir(), "deny.txt")
	os.WriteFile(deny, []byte("*ML\nWC*\nOTHS\n"), 0o644)
	out = mustRun(t, "--data", d, "-q", "screen", "--in", push, "--out", "-", "--pnr-deny", deny)
	noSensitive(t, "screen output with a deny list", out)
	os.WriteFile(deny, []byte("NOT A CODE\n"), 0o644)
	if _, _, err := run(t, "", "--data", d, "-q", "screen", "--in", push, "--pnr-deny", deny); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad deny list: %v", err)
	}
}

// lockedBuffer collects what the server logs, from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A PNR push screened by the server: a job of one row per traveller per
// PNR, alerts for the listed, and no sensitive request or remark in the
// job, its results, its alerts, the logs or the store's files.
func TestServePNRJobKeepsNoSensitiveData(t *testing.T) {
	d := t.TempDir()
	var logs, stdout lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &logs, Clock: concord.SystemClock{}, DataDir: d}
	ctx, cancel := context.WithCancel(concord.WithActor(context.Background(), concord.Actor{User: "operator", Via: "cli"}))
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- m.runServe(ctx, serveOptions{addr: "127.0.0.1:0", ready: func(a string) { ready <- a }})
	}()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cancel()
			<-done
		}
	})
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		stopped = true
		t.Fatal(err)
	case <-time.After(5 * time.Minute):
		t.Fatal("server did not start")
	}
	mustRun(t, "--data", d, "-q", "user", "add", "border1", "--member", "at", "--role", "analyst,reviewer")
	tok := strings.Fields(mustRun(t, "--data", d, "-q", "token", "create", "border1"))
	token := tok[len(tok)-1]
	base := "http://" + addr
	var j concord.Job
	if code := api(t, "POST", base+"/v1/jobs?name=ZZ471", token, "application/edifact", []byte(sensitivePush(t)), &j); code != 202 || j.Kind != "pnrgov" || j.Total != 4 {
		t.Fatalf("submit: %d %+v", code, j)
	}
	for deadline := time.Now().Add(30 * time.Second); j.Status != concord.JobDone; time.Sleep(20 * time.Millisecond) {
		if api(t, "GET", base+"/v1/jobs/"+j.ID, token, "", nil, &j); time.Now().After(deadline) {
			t.Fatalf("job %+v", j)
		}
	}
	req, _ := http.NewRequest("GET", base+"/v1/jobs/"+j.ID+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	results, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := strings.Count(string(results), "\n"); n != 4 || !strings.Contains(string(results), `"booking":"R2BX9P"`) {
		t.Errorf("%d result lines: %s", n, results)
	}
	var alerts struct {
		Alerts []concord.Alert `json:"alerts"`
	}
	api(t, "GET", base+"/v1/alerts?job="+j.ID, token, "", nil, &alerts)
	if len(alerts.Alerts) < 2 {
		t.Errorf("%d alerts", len(alerts.Alerts))
	}
	// Stored as PNR data too: bookings, versions, links — and again none of
	// it is kept.
	var rep concord.PNRImportReport
	if code := api(t, "POST", base+"/v1/pnr/pushes?name=ZZ471", token, "application/edifact", []byte(sensitivePush(t)), &rep); code != 201 || rep.New != 3 {
		t.Fatalf("PNR push: %d %+v", code, rep)
	}
	var booking map[string]any
	if code := api(t, "GET", base+"/v1/pnr/bookings/"+rep.BookingIDs[0], token, "", nil, &booking); code != 200 {
		t.Fatalf("booking: %d", code)
	}
	bj, _ := json.Marshal(booking)
	if !strings.Contains(string(bj), "ZIDAN") {
		t.Errorf("the booking lacks its traveller: %s", bj)
	}
	noSensitive(t, "booking", string(bj))
	cancel()
	stopped = true
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	all, _ := json.Marshal(struct {
		Job    concord.Job
		Alerts []concord.Alert
	}{j, alerts.Alerts})
	noSensitive(t, "job and alerts", string(all))
	noSensitive(t, "results", string(results))
	noSensitive(t, "logs", logs.String()+stdout.String())
	if !strings.Contains(logs.String(), "screening job") {
		t.Errorf("no log of the job: %s", logs.String())
	}
	// The store's files (database, WAL) hold none of it either.
	err = filepath.Walk(d, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(filepath.Base(p), "index.snapshot") {
			// The match index of the listed records (and beside it the
			// identifier index and the network), derived from the
			// database checked here too. Their strings are stored end to
			// end, so a four-letter SSR code turns up by chance where
			// phonetic keys meet ("…blgsblksmlksmbl…"): the phrases are
			// looked for, the codes are not.
			for _, w := range sensitiveWords {
				if len(w) > 4 && strings.Contains(strings.ToUpper(string(b)), w) {
					t.Errorf("index snapshot holds %q", w)
				}
			}
			return nil
		}
		noSensitive(t, fmt.Sprintf("store file %s", filepath.Base(p)), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stepClock is a clock tests move forward.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}
func (c *stepClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// The PNR unit's commands: a push stored and screened, "who else used this
// phone?", the network, a rule and its hits and rates, the member's policy
// and the schedule, re-personalisation; all under the user's rights.
func TestPNRCommands(t *testing.T) {
	d := t.TempDir()
	clock := &stepClock{t: time.Date(2026, 2, 21, 7, 0, 0, 0, time.UTC)}
	run := func(args ...string) (string, error) {
		var out, errb strings.Builder
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Clock: clock}
		err := m.Run(context.Background(), append([]string{"--data", d, "-q"}, args...))
		return out.String(), err
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := run(args...)
		if err != nil {
			t.Fatalf("concord %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	must("user", "add", "amina", "--member", "at", "--role", "analyst")
	must("user", "add", "rev", "--member", "at", "--role", "reviewer")
	must("user", "add", "boss", "--member", "at", "--role", "admin")
	must("user", "add", "fanny", "--member", "fr", "--role", "analyst,reviewer")
	if _, err := run("pnr", "rules", "add", "--user", "amina", "--name", "x", "--service", "MOML"); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "dropped") {
		t.Errorf("a rule on a special meal: %v", err)
	}
	out := must("pnr", "rules", "add", "--user", "amina", "--name", "cash, booked late", "--cash", "--booked-within", "72")
	rule := strings.Fields(out)[1]
	out = must("pnr", "import", "--user", "amina", pnrData+"concord_sample_push.txt")
	if !strings.Contains(out, "3 new, 0 changed, 0 unchanged; 4 travellers screened, 2 rule hits") || !strings.Contains(out, "2 alerts for review") ||
		!strings.Contains(out, "Q7KD2M") || !strings.Contains(out, "un-QDi.001") || !strings.Contains(out, "un-QDi.431") {
		t.Fatalf("import:\n%s", out)
	}
	if out := must("pnr", "import", "--user", "amina", pnrData+"concord_sample_push.txt"); !strings.Contains(out, "3 unchanged; 0 travellers screened") {
		t.Errorf("repeat:\n%s", out)
	}
	out = must("pnr", "links", "--user", "amina", "--phone", "+90 532 111 22 33")
	if !strings.Contains(out, "2 bookings with this phone") || !strings.Contains(out, "ZZ/T5WN8A") || !strings.Contains(out, "905321112233") ||
		!regexp.MustCompile(`ZZ/Q7KD2M +1 +booking +phone`).MatchString(out) {
		t.Errorf("links:\n%s", out)
	}
	if out := must("pnr", "links", "--user", "fanny", "--phone", "905321112233"); !strings.Contains(out, "0 bookings") {
		t.Errorf("fr's links:\n%s", out)
	}
	out = must("pnr", "network", "--user", "amina")
	if !strings.Contains(out, "ZZ/Q7KD2M") || !strings.Contains(out, "KARIM HASSAN") || !strings.Contains(out, "ZZ/T5WN8A") {
		t.Errorf("network:\n%s", out)
	}
	// T5WN8A is two hops from a listed person: its phone and agency are
	// Q7KD2M's, whose first traveller is.
	out = must("pnr", "bookings", "--user", "amina", "--locator", "T5WN8A")
	t5 := strings.Fields(strings.Split(out, "\n")[1])[0]
	out = must("pnr", "exposure", "--user", "amina", t5)
	if !strings.Contains(out, "T5WN8A ZZ471 IST-VIE (pnr:"+t5+"): 1 listed person within 3 hops") || !strings.Contains(out, "same phone: 905321112233") ||
		!strings.Contains(out, "un-QDi.001") || !strings.Contains(out, "[listed]") ||
		!strings.Contains(out, "— pnr/"+t5+"/1 pnr/") || !strings.Contains(out, "screened: alert 1, pending — pnr/") {
		t.Errorf("exposure (each link with its source PNRs):\n%s", out)
	}
	if out := must("pnr", "graph", "--user", "amina", t5, "--format", "graphml"); !strings.Contains(out, "<graphml") || !strings.Contains(out, "Q7KD2M") {
		t.Errorf("graph:\n%.300s", out)
	}
	if _, err := run("pnr", "exposure", "--user", "fanny", t5); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("fr's exposure of at's booking: %v", err)
	}
	out = must("pnr", "hits", "--user", "rev", "--status", "pending")
	if strings.Count(out, "hit ") != 2 || !strings.Contains(out, "paid in cash") || !strings.Contains(out, "booked 35 h before departure") {
		t.Errorf("hits:\n%s", out)
	}
	if out := must("pnr", "rules", "rates", "--user", "amina", rule); !strings.Contains(out, "EGY          2           2     100.0%") || !strings.Contains(out, "all          4           2     50.0%") {
		t.Errorf("rates:\n%s", out)
	}
	if _, err := run("pnr", "policy", "--user", "amina", "--depersonalise", "30"); concord.ErrorCode(err) != concord.EFORBIDDEN {
		t.Errorf("analyst setting the policy: %v", err)
	}
	if out := must("pnr", "policy", "--user", "boss", "--depersonalise", "30", "--retain", "365"); !strings.Contains(out, "after 30 days, deleted after 365") {
		t.Errorf("policy: %s", out)
	}
	// A month on, the schedule masks the versions; a reviewer sees one whole
	// giving a reason.
	clock.add(31 * 24 * time.Hour)
	if out := must("pnr", "housekeep"); !strings.Contains(out, "3 versions depersonalised") {
		t.Errorf("housekeep: %s", out)
	}
	out = must("pnr", "bookings", "--user", "amina", "--locator", "Q7KD2M")
	id := strings.Fields(strings.Split(out, "\n")[1])[0]
	if !strings.Contains(out, "true") {
		t.Errorf("bookings after depersonalisation:\n%s", out)
	}
	if out := must("pnr", "show", "--user", "amina", id); strings.Contains(out, "ZIDAN") || !strings.Contains(out, `"masked": true`) {
		t.Errorf("a masked booking shows a name:\n%s", out)
	}
	if _, err := run("pnr", "repersonalise", "--user", "amina", id, "1", "--reason", "judicial order 12/2026"); concord.ErrorCode(err) != concord.EFORBIDDEN {
		t.Errorf("analyst re-personalising: %v", err)
	}
	if out := must("pnr", "repersonalise", "--user", "rev", id, "1", "--reason", "judicial order 12/2026"); !strings.Contains(out, "ZIDAN") {
		t.Errorf("re-personalised:\n%s", out)
	}
	if out := must("audit", "verify"); !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit: %s", out)
	}
	clock.add(366 * 24 * time.Hour)
	if out := must("pnr", "housekeep"); !strings.Contains(out, "3 deleted, 3 bookings deleted") {
		t.Errorf("housekeep after retention: %s", out)
	}
	if _, err := run("pnr", "bookings"); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("without --user: %v", err)
	}
}
