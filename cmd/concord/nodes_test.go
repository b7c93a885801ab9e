package main

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"concord/internal/pgtest"
)

// TestThreeNodes starts three `concord serve` nodes on one PostgreSQL schema
// and shows that they work as one: a job submitted on node A is split
// between the nodes and every row is screened once; SIGKILL of a node
// holding a lease lets another finish the job; a record contributed through
// node A is matched by node C within 2 s; a token revoked on node B is
// refused on A and C within 2 s; the audit chain of everything verifies.
func TestThreeNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	db := pgtest.URL(t)
	bin := buildBinary(t)
	// The nodes and the commands share one data directory for the keys
	// (audit, PNR) that every node of a database needs the same.
	data := t.TempDir()
	cli := func(args ...string) string {
		return mustRun(t, append([]string{"--db", db, "--data", data, "-q"}, args...)...)
	}
	start := time.Now()
	step := func(what string) { t.Logf("%6.1fs %s", time.Since(start).Seconds(), what) }
	defer step("end")
	node := func(name string) *server {
		return startNode(t, bin, "--db", db, "--data", data, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--node-id", name, "--job-lease", "3s", "--workers", "1")
	}
	a := node("node-a") // seeds the schema: coalition, UN list, administrator
	var b, c *server
	var wg sync.WaitGroup
	wg.Go(func() { b = node("node-b") })
	wg.Go(func() { c = node("node-c") })
	wg.Wait()
	nodes := map[string]*server{"node-a": a, "node-b": b, "node-c": c}
	url := func(s *server) string { return "http://" + s.addr }
	for name, s := range nodes {
		within(t, name+" ready", func() bool { return api(t, "GET", url(s)+"/readyz", "", "", nil, nil) == 200 })
	}
	step("three nodes ready")
	cli("user", "add", "amina", "--member", "es", "--role", "analyst,reviewer")
	token := func() (id, secret string) {
		f := strings.Fields(cli("token", "create", "amina"))
		return f[1], f[len(f)-1]
	}
	_, tok := token()

	// A job submitted on A is split between the nodes; every row once.
	const rows = 3000
	jobID := submitRows(t, url(a), tok, rows)
	waitJob(t, url(c), tok, jobID, rows, 60*time.Second)
	step("first job done")
	checkResults(t, url(b), tok, jobID, rows)
	per := map[string]int{}
	for _, cl := range claims(t, cli, jobID) {
		per[cl.node]++
	}
	t.Logf("chunks of job %s per node: %v", jobID, per)
	if len(per) < 2 {
		t.Errorf("the job was not split between nodes: %v", per)
	}

	// SIGKILL of a node holding a lease of a running job: another node
	// takes its rows over when the lease expires and finishes the job.
	jobID = submitRows(t, url(a), tok, 2*rows)
	raw, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var victim string
	var first, last int
	within(t, "a lease held by node-b or node-c", func() bool {
		err := raw.QueryRowContext(t.Context(), `SELECT node, first_n, last_n FROM job_leases
			WHERE job_id = $1 AND node <> 'node-a' AND expires > now() ORDER BY id DESC LIMIT 1`, jobID).Scan(&victim, &first, &last)
		return err == nil
	})
	killed := nodes[victim]
	if err := killed.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = killed.cmd.Process.Wait()
	delete(nodes, victim)
	t.Logf("killed %s while it held rows %d-%d of job %s", victim, first, last, jobID)
	step("killed " + victim)
	waitJob(t, url(a), tok, jobID, 2*rows, 90*time.Second)
	step("second job done")
	checkResults(t, url(a), tok, jobID, 2*rows)
	took := false
	for _, cl := range claims(t, cli, jobID) {
		took = took || (cl.node != victim && cl.first == first)
	}
	if !took {
		t.Errorf("no other node claimed rows %d-%d of the killed %s: %v", first, last, victim, claims(t, cli, jobID))
	}
	if victim == "node-c" {
		c = node("node-c")
		within(t, "node-c ready again", func() bool { return api(t, "GET", url(c)+"/readyz", "", "", nil, nil) == 200 })
	} else {
		b = node("node-b")
	}

	step("restarted " + victim)
	// A record contributed through A is matched by C within 2 s.
	body := `{"schema":"Person","audience":"coalition","handling":"GREEN","properties":{"name":["Zebulon Quartermaine"]}}`
	if code := api(t, "POST", url(a)+"/v1/statements", tok, "application/json", []byte(body), nil); code != 201 && code != 200 {
		t.Fatalf("contribute on node-a: status %d", code)
	}
	elapsed := within(t, "contributed record matched on node-c", func() bool { return matches(t, url(c), tok, "Zebulon Quartermaine") == 1 })
	t.Logf("record contributed on node-a matched on node-c after %v", elapsed)

	// A token revoked on B is refused on A and C within 2 s.
	id, victimTok := token()
	for _, s := range []*server{a, c} {
		if n := matches(t, url(s), victimTok, "Seif al Adel"); n == 0 {
			t.Fatalf("no match for a listed name")
		}
	}
	if code := api(t, "DELETE", url(b)+"/v1/tokens/"+id, victimTok, "", nil, nil); code != 204 {
		t.Fatalf("revoke on node-b: status %d", code)
	}
	for name, s := range map[string]*server{"node-a": a, "node-c": c} {
		took := within(t, "revoked token refused on "+name, func() bool {
			return api(t, "GET", url(s)+"/v1/me", victimTok, "", nil, nil) == 401
		})
		t.Logf("token revoked on node-b refused on %s after %v", name, took)
	}

	if out := cli("audit", "verify"); !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit: %s", out)
	}
}

// submitRows submits a CSV of n travellers, every 500th a listed name, and
// returns the job's id.
func submitRows(t *testing.T, base, token string, n int) string {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("id,name,birth_date\n")
	for i := range n {
		if i%500 == 7 {
			fmt.Fprintf(&csv, "r%d,Seif al Adel,1963\n", i)
		} else {
			fmt.Fprintf(&csv, "r%d,Traveller%d Person%d,1980-01-%02d\n", i, i, i*7, 1+i%28)
		}
	}
	var job struct {
		ID    string `json:"id"`
		Total int    `json:"total"`
	}
	if code := api(t, "POST", base+"/v1/jobs?name=batch.csv", token, "text/csv", []byte(csv.String()), &job); code != 202 || job.Total != n {
		t.Fatalf("submit: status %d, job %+v", code, job)
	}
	return job.ID
}

// waitJob waits until the job is done, as seen from base.
func waitJob(t *testing.T, base, token, id string, n int, timeout time.Duration) {
	t.Helper()
	var job struct {
		Status string `json:"status"`
		Done   int    `json:"done"`
		Error  string `json:"error"`
	}
	for deadline := time.Now().Add(timeout); ; time.Sleep(50 * time.Millisecond) {
		api(t, "GET", base+"/v1/jobs/"+id, token, "", nil, &job)
		if job.Status == "done" && job.Done == n {
			return
		}
		if time.Now().After(deadline) || job.Status == "failed" {
			t.Fatalf("job %s: %s at %d/%d: %s", id, job.Status, job.Done, n, job.Error)
		}
	}
}

// checkResults checks one result line per row, in order, a hit on every
// 500th row and one alert for each of them.
func checkResults(t *testing.T, base, token, id string, n int) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/jobs/"+id+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != n {
		t.Fatalf("job %s: %d result lines, want %d", id, len(lines), n)
	}
	hits := 0
	for i, l := range lines {
		if !strings.HasPrefix(l, fmt.Sprintf(`{"id":"r%d",`, i)) {
			t.Fatalf("job %s: line %d is %.60s", id, i, l)
		}
		if !strings.Contains(l, `"matches":[]`) {
			hits++
		}
	}
	var alerts struct {
		Alerts []struct {
			Row int `json:"row"`
		} `json:"alerts"`
	}
	api(t, "GET", base+"/v1/alerts?job="+id+"&limit=1000", token, "", nil, &alerts)
	seen := map[int]bool{}
	for _, a := range alerts.Alerts {
		if seen[a.Row] {
			t.Errorf("job %s: row %d alerted twice", id, a.Row)
		}
		seen[a.Row] = true
	}
	if want := (n + 492) / 500; hits != want || len(seen) != want {
		t.Errorf("job %s: %d rows with hits and %d alerted, want %d", id, hits, len(seen), want)
	}
}

var claimRE = regexp.MustCompile(`job\.claim\s+(\S+)\s+rows (\d+)-\d+ to (\S+)`)

// claim is an audited claim: a node took rows of a job from first.
type claim struct {
	node  string
	first int
}

// claims lists the audited claims of a job.
func claims(t *testing.T, cli func(...string) string, jobID string) []claim {
	t.Helper()
	out := cli("audit", "list", "--action", "job.claim", "--limit", "100000")
	var cs []claim
	for _, m := range claimRE.FindAllStringSubmatch(out, -1) {
		if m[1] == jobID {
			n, _ := strconv.Atoi(m[2])
			cs = append(cs, claim{node: m[3], first: n})
		}
	}
	return cs
}

// matches is the number of results of a /v1/match query for name.
func matches(t *testing.T, base, token, name string) int {
	t.Helper()
	var res struct {
		Responses map[string]struct {
			Results []struct{} `json:"results"`
		} `json:"responses"`
	}
	body := `{"queries":{"q":{"schema":"Person","properties":{"name":["` + name + `"]}}}}`
	if code := api(t, "POST", base+"/v1/match", token, "application/json", []byte(body), &res); code != 200 {
		t.Fatalf("match on %s: status %d", base, code)
	}
	return len(res.Responses["q"].Results)
}
