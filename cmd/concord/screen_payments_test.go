package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
)

const (
	fixtures = "../../internal/idindex/testdata"
	pacs008  = "../../internal/importer/iso20022/testdata/concord_pacs008_listed.xml"
	mt103    = "../../internal/importer/swiftmt/testdata/concord_mt103_listed.txt"
)

// paymentLine is one output line of a payment screening.
type paymentLine struct {
	ID       string   `json:"id"`
	Tx       int      `json:"tx"`
	Role     string   `json:"role"`
	Party    string   `json:"party"`
	Warnings []string `json:"warnings"`
	Matches  []struct {
		EntityID    string `json:"entity_id"`
		Score       float64
		Explanation []struct {
			Feature, Query, Candidate string
		} `json:"explanation"`
	} `json:"matches"`
}

// listsForPayments imports the UN list, the OFAC rows with BICs and wallets
// and the made-up FIU accounts.
func listsForPayments(t *testing.T, d string) {
	mustRun(t, "--data", d, "-q", "import", unList)
	mustRun(t, "--data", d, "-q", "import", fixtures+"/ofac_sdn.csv", fixtures+"/ofac_alt.csv", fixtures+"/ofac_add.csv")
	mustRun(t, "--data", d, "-q", "import", "--format", "ftm", fixtures+"/fiu_accounts.ftm.json")
}

func parseLines(t *testing.T, out string) map[string]paymentLine {
	t.Helper()
	got := map[string]paymentLine{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var p paymentLine
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if p.Role == "" || p.Tx == 0 || p.ID != fmt.Sprintf("tx %d %s", p.Tx, p.Role) {
			t.Errorf("line %s", l)
		}
		got[p.ID] = p
	}
	return got
}

func TestScreenPayments(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	listsForPayments(t, d)
	tests := []struct {
		file  string
		lines int
		want  map[string]string // party → first match and the feature that explains it
	}{
		{pacs008, 27, map[string]string{
			"tx 1 creditor":                   "un-QDi.277 identifier.iban",
			"tx 1 creditor agent":             "ofac-24545 identifier.bic",
			"tx 3 creditor":                   "ofac-25308 identifier.wallet",
			"tx 3 remittance information":     "ofac-25308 identifier.wallet",
			"tx 4 instruction for next agent": "un-QDi.325 text.window",
			"tx 4 ultimate creditor":          "un-QDe.164 name",
		}},
		{mt103, 27, map[string]string{
			"tx 1 debtor":                 "un-QDi.339 name",
			"tx 1 remittance information": "un-QDe.137 text.window",
			"tx 2 creditor":               "ofac-25308 identifier.wallet",
			"tx 4 underlying creditor":    "un-QDi.277 identifier.iban",
		}},
	}
	for _, tt := range tests {
		out, errs, err := run(t, "", "--data", d, "screen", "--in", tt.file, "--out", "-")
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.file, err, errs)
		}
		if !strings.Contains(errs, "transactions/s") || !strings.Contains(errs, "of 4 transactions") {
			t.Errorf("summary: %s", errs)
		}
		got := parseLines(t, out)
		if len(got) != tt.lines {
			t.Errorf("%s: %d lines, want %d", tt.file, len(got), tt.lines)
		}
		for party, want := range tt.want {
			p := got[party]
			if len(p.Matches) == 0 || p.Matches[0].EntityID+" "+p.Matches[0].Explanation[0].Feature != want {
				t.Errorf("%s %s: %+v, want %s", tt.file, party, p.Matches, want)
			}
		}
		for id, p := range got {
			if p.Tx == 2 && strings.HasSuffix(tt.file, ".xml") && len(p.Matches) > 0 {
				t.Errorf("innocent %s matched %+v", id, p.Matches)
			}
		}
	}
	// Standard input is read the same way.
	b, _ := os.ReadFile(mt103)
	out, _, err := run(t, string(b), "--data", d, "-q", "screen", "--in", "-", "--out", "-")
	if err != nil || len(parseLines(t, out)) != 27 {
		t.Errorf("stdin: %v\n%s", err, out)
	}
	// Every bank sample parses and screens, invalid IBANs as warnings.
	samples, _ := filepath.Glob("../../internal/importer/iso20022/testdata/moov_*.xml")
	warned := 0
	for _, f := range samples {
		out, errs, err := run(t, "", "--data", d, "-q", "screen", "--in", f, "--out", "-")
		if err != nil {
			t.Errorf("%s: %v %s", f, err, errs)
			continue
		}
		for _, p := range parseLines(t, out) {
			warned += len(p.Warnings)
		}
	}
	if len(samples) != 5 || warned == 0 {
		t.Errorf("%d samples, %d warnings", len(samples), warned)
	}
}

func TestScreenBrokenPayment(t *testing.T) {
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	b, _ := os.ReadFile(pacs008)
	broken := filepath.Join(t.TempDir(), "broken.xml")
	os.WriteFile(broken, bytes.Replace(b, []byte(`Ccy="EUR">4300.00<`), []byte(`Ccy="EUR">4.300,00<`), 1), 0o644)
	out, errs, err := run(t, "", "--data", d, "-q", "screen", "--in", broken, "--out", "-")
	if concord.ErrorCode(err) != concord.EINVALID || out != "" {
		t.Fatalf("err %v, output %q", err, out)
	}
	if msg := err.Error() + errs; !strings.Contains(msg, "broken.xml:") || !strings.Contains(msg, "CdtTrfTxInf[4]/IntrBkSttlmAmt") {
		t.Errorf("error %q", msg)
	}
	mb, _ := os.ReadFile(mt103)
	os.WriteFile(broken, bytes.Replace(mb, []byte(":32A:260116EUR980,50"), []byte(":32A:2601EUR980,50"), 1), 0o644)
	_, _, err = run(t, "", "--data", d, "-q", "screen", "--in", broken, "--out", "-")
	if err == nil || !strings.Contains(err.Error(), "message 2, field 32A") {
		t.Errorf("MT error %v", err)
	}
}

// TestPaymentJobs submits the test messages to a running server: the job
// screens every party, and its hits are alerts with explanations for the
// member's reviewers.
func TestPaymentJobs(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	listsForPayments(t, d)
	mustRun(t, "--data", d, "-q", "user", "add", "fiu1", "--member", "es", "--role", "analyst,reviewer")
	if out := mustRun(t, "--data", d, "-q", "coalition", "high-risk", "es", "--set", "Syria,ir"); !strings.Contains(out, "ir,sy") {
		t.Fatalf("high-risk: %s", out)
	}
	fields := strings.Fields(mustRun(t, "--data", d, "-q", "token", "create", "fiu1"))
	token := fields[len(fields)-1]

	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Clock: concord.SystemClock{}, DataDir: d}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- m.runServe(ctx, serveOptions{addr: "127.0.0.1:0", ready: func(a string) { addr <- a }})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	defer func() { cancel(); <-done }()

	for _, tt := range []struct {
		file, ctype, kind string
		parties           int
		alert, flag       string // a (party, entity) the alerts must hold, and a flag
	}{
		{pacs008, "application/xml", "iso20022", 27, "tx 1 creditor/un-QDi.277", "tx 3 creditor/country:sy"},
		{mt103, "application/octet-stream", "swift-mt", 27, "tx 2 creditor/ofac-25308", "tx 1 intermediary agent 1/country:ir"},
	} {
		body, _ := os.ReadFile(tt.file)
		var j concord.Job
		if code := api(t, "POST", base+"/v1/jobs", token, tt.ctype, body, &j); code != 202 || j.Kind != tt.kind || j.Total != tt.parties {
			t.Fatalf("%s: %d %+v", tt.file, code, j)
		}
		for deadline := time.Now().Add(60 * time.Second); j.Status != concord.JobDone; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) || j.Status == concord.JobFailed {
				t.Fatalf("job %+v", j)
			}
			api(t, "GET", base+"/v1/jobs/"+j.ID, token, "", nil, &j)
		}
		var alerts struct {
			Alerts []concord.Alert `json:"alerts"`
		}
		api(t, "GET", base+"/v1/alerts?job="+j.ID+"&limit=1000", token, "", nil, &alerts)
		found, flagged := false, false
		for _, a := range alerts.Alerts {
			if a.QueryKey+"/"+a.EntityID == tt.alert {
				found = strings.Contains(string(a.Match), "identifier.") && strings.Contains(string(a.Query), `"role"`)
			}
			if a.QueryKey+"/"+a.EntityID == tt.flag {
				flagged = a.Score == 0.5 && strings.Contains(string(a.Match), "high-risk country for member es")
			}
		}
		if !flagged {
			t.Errorf("%s: no flag %s", tt.file, tt.flag)
		}
		if !found {
			t.Errorf("%s: no alert %s among %d", tt.file, tt.alert, len(alerts.Alerts))
		}
	}
	// Kept as Spain's records, the payments join the network: Spain sees
	// its debtor's account three hops from a listed person (payment, the
	// IBAN an FIU shared, its holder); France does not see Spain's records.
	body, _ := os.ReadFile(pacs008)
	req0, _ := http.NewRequest("POST", base+"/v1/jobs?save=true", bytes.NewReader(body))
	req0.Header.Set("Authorization", "Bearer "+token)
	req0.Header.Set("Content-Type", "application/xml")
	resp0, err := http.DefaultClient.Do(req0)
	if err != nil {
		t.Fatal(err)
	}
	resp0.Body.Close()
	if resp0.StatusCode != 202 || resp0.Header.Get("X-Concord-Records") == "" || resp0.Header.Get("X-Concord-Records") == "0" {
		t.Fatalf("save: %d, %q records", resp0.StatusCode, resp0.Header.Get("X-Concord-Records"))
	}
	var sub struct {
		Nodes []struct{ ID, Schema string }
		Edges []struct{ Type, From, To string }
	}
	debtorAcct := ""
	for deadline := time.Now().Add(30 * time.Second); debtorAcct == ""; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("saved payments not in the network: %+v", sub)
		}
		api(t, "GET", base+"/v1/graph/fiu-acct-1/neighbourhood?hops=2", token, "", nil, &sub)
		for _, e := range sub.Edges {
			if e.Type == "payment" {
				debtorAcct = e.From
			}
		}
	}
	var ex struct {
		Exposed bool
		Paths   []struct{ Nodes []struct{ ID string } }
	}
	api(t, "GET", base+"/v1/graph/"+debtorAcct+"/exposure?hops=3", token, "", nil, &ex)
	if !ex.Exposed || ex.Paths[0].Nodes[len(ex.Paths[0].Nodes)-1].ID != "un-QDi.277" {
		t.Errorf("exposure of the debtor's account: %+v", ex)
	}
	mustRun(t, "--data", d, "-q", "user", "add", "fr1", "--member", "fr", "--role", "analyst")
	frFields := strings.Fields(mustRun(t, "--data", d, "-q", "token", "create", "fr1"))
	if code := api(t, "GET", base+"/v1/graph/"+debtorAcct+"/exposure?hops=3", frFields[len(frFields)-1], "", nil, nil); code != 404 {
		t.Errorf("France sees Spain's payment record: %d", code)
	}

	// A broken message is refused at once, naming the place.
	b, _ := os.ReadFile(pacs008)
	req, _ := http.NewRequest("POST", base+"/v1/jobs", bytes.NewReader(bytes.Replace(b, []byte("</p:Cdtr>"), nil, 1)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(msg), "CdtTrfTxInf[1]") {
		t.Errorf("broken message: %d %s", resp.StatusCode, msg)
	}
	if code := api(t, "POST", base+"/v1/jobs", token, "application/xml", []byte("id,name\nq1,Ali\n"), nil); code != 400 {
		t.Errorf("CSV declared as XML: %d", code)
	}
}
