package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// server is a `concord serve` child process.
type server struct {
	cmd     *exec.Cmd
	addr    string
	metrics string // address of the metrics listener
	out     *bytes.Buffer
	logs    *lockedBuffer // stderr
}

var (
	listenRE  = regexp.MustCompile(`listening on http://(\S+) `)
	metricsRE = regexp.MustCompile(`Metrics \(Prometheus\) on http://(\S+)/metrics`)
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds the concord binary once per test run, in a directory
// TestMain removes.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "concord-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "concord")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// startServer starts `concord serve` on a data directory, with short job
// leases (a killed server's rows wait 2 s for the next).
func startServer(t *testing.T, bin, dir string) *server {
	t.Helper()
	return startNode(t, bin, "--data", dir, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--job-lease", "2s")
}

// startNode runs bin with args (a serve command) until the test ends.
func startNode(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, args...)
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	errb := &lockedBuffer{}
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: &bytes.Buffer{}, logs: errb}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		pw.Close()
		if t.Failed() { // the server's log, for the failure
			log := errb.String()
			t.Logf("%s %s: stderr (last 4 KB):\n%s", filepath.Base(bin), strings.Join(args, " "), log[max(0, len(log)-4096):])
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.out.WriteString(sc.Text() + "\n")
			if m := metricsRE.FindStringSubmatch(sc.Text()); m != nil {
				s.metrics = m[1]
			}
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case s.addr = <-found:
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start: %s", errb.String())
	}
	return s
}

func api(t *testing.T, method, url, token, ctype string, body []byte, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return resp.StatusCode
}

// TestKillDuringScreeningJob kills the server with SIGKILL in the middle of
// a screening job, starts it again and checks that the job finishes with
// every row screened exactly once and that the audit chain verifies.
func TestKillDuringScreeningJob(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startServer(t, bin, dir)
	// The first start printed the administrator's password once.
	if !strings.Contains(s.out.String(), "user:     admin") {
		t.Fatalf("no first administrator: %s", s.out.String())
	}
	// The console is at /: an anonymous reader is sent to the sign-in page,
	// which tells the operator what to do on a first start.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, err := noFollow.Get("http://" + s.addr + "/"); err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin?next=%2F" {
		t.Fatalf("GET /: %v %v", resp, err)
	}
	signin, err := http.Get("http://" + s.addr + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(signin.Body)
	signin.Body.Close()
	if signin.StatusCode != 200 || !strings.Contains(string(page), "First start") || !strings.Contains(signin.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET /signin: %d %s", signin.StatusCode, page)
	}
	// Metrics are on their own listener, not on the API's.
	if code := api(t, "GET", "http://"+s.metrics+"/metrics", "", "", nil, nil); s.metrics == "" || code != 200 {
		t.Errorf("metrics on %q: %d", s.metrics, code)
	}
	if code := api(t, "GET", "http://"+s.addr+"/metrics", "", "", nil, nil); code != 404 {
		t.Errorf("GET /metrics on the API: %d, want 404", code)
	}
	mustRun(t, "--data", dir, "-q", "user", "add", "reviewer1", "--member", "es", "--role", "analyst,reviewer")
	tokOut := mustRun(t, "--data", dir, "-q", "token", "create", "reviewer1")
	fields := strings.Fields(tokOut)
	token := fields[len(fields)-1]

	// A batch large enough to be interrupted: listed names among innocents.
	var csv strings.Builder
	csv.WriteString("id,name,birth_date\n")
	const rows = 6000
	for i := 0; i < rows; i++ {
		switch i % 500 {
		case 7:
			fmt.Fprintf(&csv, "r%d,Seif al Adel,1963\n", i)
		default:
			fmt.Fprintf(&csv, "r%d,Traveller%d Person%d,1980-01-%02d\n", i, i, i*7, 1+i%28)
		}
	}
	var job struct {
		ID    string `json:"id"`
		Total int    `json:"total"`
		Done  int    `json:"done"`
	}
	base := "http://" + s.addr
	if code := api(t, "POST", base+"/v1/jobs?name=batch.csv", token, "text/csv", []byte(csv.String()), &job); code != 202 || job.Total != rows {
		t.Fatalf("submit: status %d, job %+v", code, job)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		api(t, "GET", base+"/v1/jobs/"+job.ID, token, "", nil, &job)
		if job.Done > 0 && job.Done < rows {
			break
		}
		if job.Done == rows || time.Now().After(deadline) {
			t.Skipf("job finished (%d/%d) before it could be interrupted", job.Done, rows)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_, _ = s.cmd.Process.Wait()
	killedAt := job.Done

	s2 := startServer(t, bin, dir)
	base = "http://" + s2.addr
	for deadline = time.Now().Add(120 * time.Second); ; {
		api(t, "GET", base+"/v1/jobs/"+job.ID, token, "", nil, &job)
		if job.Done == rows {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job stuck at %d/%d after restart", job.Done, rows)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("killed at %d/%d rows, finished after restart", killedAt, rows)
	// Every row screened once, in order.
	req, _ := http.NewRequest("GET", base+"/v1/jobs/"+job.ID+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != rows {
		t.Fatalf("%d result lines, want %d", len(lines), rows)
	}
	hits := 0
	for i, l := range lines {
		var r screenLine
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if r.ID != fmt.Sprint("r", i) {
			t.Fatalf("line %d is %s", i, r.ID)
		}
		if len(r.Matches) > 0 {
			hits++
		}
	}
	if hits != rows/500 {
		t.Errorf("%d rows with hits, want %d", hits, rows/500)
	}
	var alerts struct {
		Alerts []struct {
			Row      int    `json:"row"`
			EntityID string `json:"entity_id"`
		} `json:"alerts"`
	}
	api(t, "GET", base+"/v1/alerts?job="+job.ID+"&limit=1000", token, "", nil, &alerts)
	seen := map[string]bool{}
	for _, a := range alerts.Alerts {
		k := fmt.Sprint(a.Row, a.EntityID)
		if seen[k] {
			t.Errorf("alert for row %d and %s raised twice", a.Row, a.EntityID)
		}
		seen[k] = true
	}
	if len(alerts.Alerts) < rows/500 {
		t.Errorf("%d alerts, want at least %d", len(alerts.Alerts), rows/500)
	}
	_ = s2.cmd.Process.Signal(os.Interrupt)
	_, _ = s2.cmd.Process.Wait()
	out := mustRun(t, "--data", dir, "-q", "audit", "verify")
	if !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit: %s", out)
	}
}

// Issue 8 §10: an operator unlocks an account, or resets its password,
// with the CLI while the server runs, and the server follows within seconds.
func TestUnlockAgainstRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	mustRun(t, "--data", dir, "-q", "user", "add", "amina", "--member", "uz", "--role", "analyst")
	out, _, err := run(t, "correct horse battery\n", "--data", dir, "-q", "user", "reset-password", "amina", "--password-stdin")
	if err != nil || !strings.Contains(out, "password of amina reset") {
		t.Fatalf("reset before start: %v %s", err, out)
	}
	s := startServer(t, bin, dir)
	base := "http://" + s.addr
	login := func(pw string) int {
		body, _ := json.Marshal(map[string]string{"user": "amina", "password": pw})
		return api(t, "POST", base+"/v1/auth/login", "", "application/json", body, nil)
	}
	for range 6 {
		if code := login("wrong password!"); code != 401 {
			t.Fatalf("failure: %d", code)
		}
	}
	if code := login("correct horse battery"); code != 429 {
		t.Fatalf("after six failures: %d, want 429", code)
	}
	mustRun(t, "--data", dir, "-q", "user", "unlock", "amina")
	waitFor(t, func() bool { return login("correct horse battery") == 200 }, "the unlock to reach the server")

	// A reset ends the sessions opened with the old password.
	var sess struct{ Token string }
	body, _ := json.Marshal(map[string]string{"user": "amina", "password": "correct horse battery"})
	if code := api(t, "POST", base+"/v1/auth/login", "", "application/json", body, &sess); code != 200 {
		t.Fatalf("login: %d", code)
	}
	out = mustRun(t, "--data", dir, "-q", "user", "reset-password", "amina")
	if !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("reset: %s", out)
	}
	newPW := strings.TrimSpace(out[strings.LastIndex(out, ": ")+2:])
	waitFor(t, func() bool { return api(t, "GET", base+"/v1/me", sess.Token, "", nil, nil) == 401 }, "the old session to end")
	if code := login("correct horse battery"); code != 401 {
		t.Errorf("the old password after a reset: %d", code)
	}
	if code := login(newPW); code != 200 {
		t.Errorf("the new password: %d", code)
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// skipUnderRace skips a test whose cost is the volume of data it imports
// and reads back (whole lists, every sample), not concurrency: under -race
// it would take most of the package's time. .ci/run runs the package
// without -race too, so these still run in CI.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("imports whole lists: run without -race (.ci/run does)")
	}
}
