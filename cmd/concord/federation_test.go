package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
)

// TestBundleCommands runs the air-gap walkthrough through the command line:
// two data directories, each the other's peer, a coalition record exported
// encrypted from one and imported into the other; the replay is refused.
func TestBundleCommands(t *testing.T) {
	hub, uz := t.TempDir(), t.TempDir()
	key := func(dir string) string {
		out := mustRun(t, "--data", dir, "-q", "node", "key")
		return strings.Fields(between(out, "public key:", "\n"))[0]
	}
	mustRun(t, "--data", hub, "-q", "node", "member", "secretariat")
	mustRun(t, "--data", uz, "-q", "node", "member", "uz")
	mustRun(t, "--data", hub, "-q", "peer", "add", "uz", "--member", "uz", "--key", key(uz))
	mustRun(t, "--data", uz, "-q", "peer", "add", "coalition", "--member", "secretariat", "--key", key(hub), "--relay")
	mustRun(t, "--data", hub, "-q", "import", "--format", "ftm", "--dataset", "member-fr", "--member", "fr", "--audience", "coalition", "--tlp", "GREEN", "testdata/fr_contribution.ftm.json")
	b := filepath.Join(t.TempDir(), "uz-1.bundle")
	out := mustRun(t, "--data", hub, "-q", "bundle", "export", "--to", "uz", "--encrypt", b)
	if !strings.Contains(out, "bundle 1 to uz") {
		t.Fatalf("export: %s", out)
	}
	out = mustRun(t, "--data", uz, "-q", "bundle", "import", b)
	if !strings.Contains(out, "bundle 1 from coalition") {
		t.Fatalf("import: %s", out)
	}
	if _, _, err := run(t, "", "--data", uz, "-q", "bundle", "import", b); err == nil || !strings.Contains(err.Error(), "already imported") {
		t.Fatalf("replay: %v", err)
	}
	out = mustRun(t, "--data", uz, "-q", "peer", "list")
	if !strings.Contains(out, "coalition") {
		t.Fatalf("peer list: %s", out)
	}
}

// TestSTIXCommands exports a member's view as STIX and imports it, and an
// OASIS example, elsewhere.
func TestSTIXCommands(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	mustRun(t, "--data", a, "-q", "import", "--member", "fr", "--audience", "coalition", "--tlp", "GREEN", "--dataset", "member-fr", "testdata/fr_contribution.ftm.json")
	out := filepath.Join(t.TempDir(), "uz.stix.json")
	mustRun(t, "--data", a, "-q", "export", "--format", "stix", "--member", "uz", "--dataset", "member-fr", "--out", out)
	// The bundle's TLP:GREEN objects may be published.
	mustRun(t, "--data", b, "-q", "import", "--dataset", "from-a", out)
	show := mustRun(t, "--data", b, "-q", "entity", "show", "fr-0001")
	if !strings.Contains(show, "Abou Example Al-Faransi") {
		t.Fatalf("the STIX round trip lost the record: %s", show)
	}
	apt1 := "../../internal/stix/testdata/examples/threat-reports/apt1.json"
	res := mustRun(t, "--data", b, "import", "--format", "stix", "--member", "es", "--audience", "coalition", "--tlp", "AMBER", "--dataset", "oasis", apt1)
	if !strings.Contains(res, "oasis") {
		t.Fatalf("import: %s", res)
	}
	// An AMBER bundle is no published list.
	c := t.TempDir()
	mustRun(t, "--data", a, "-q", "import", "--member", "fr", "--audience", "member:fr", "--tlp", "AMBER", "--dataset", "member-fr", "testdata/fr_contribution.ftm.json")
	mustRun(t, "--data", a, "-q", "export", "--format", "stix", "--member", "fr", "--dataset", "member-fr", "--out", out)
	if _, _, err := run(t, "", "--data", c, "-q", "import", out); err == nil || !strings.Contains(err.Error(), "cannot be published") {
		t.Fatalf("AMBER import as a published list: %v", err)
	}
}

// TestServeFederation runs the real server of a coalition node with its
// federation listener and TAXII: a member node syncs from it over mutual
// TLS with concord sync, and a third store pulls the member's TAXII
// collection with concord taxii pull.
func TestServeFederation(t *testing.T) {
	hub, uz, third := t.TempDir(), t.TempDir(), t.TempDir()
	key := func(dir string) string {
		return strings.Fields(between(mustRun(t, "--data", dir, "-q", "node", "key"), "public key:", "\n"))[0]
	}
	mustRun(t, "--data", hub, "-q", "node", "member", "secretariat")
	mustRun(t, "--data", uz, "-q", "node", "member", "uz")
	mustRun(t, "--data", hub, "-q", "peer", "add", "uz", "--member", "uz", "--key", key(uz))
	mustRun(t, "--data", hub, "-q", "import", "--member", "fr", "--audience", "coalition", "--tlp", "GREEN", "--dataset", "member-fr", "testdata/fr_contribution.ftm.json")
	mustRun(t, "--data", hub, "-q", "user", "add", "amina", "--member", "uz", "--role", "analyst")
	fields := strings.Fields(mustRun(t, "--data", hub, "-q", "token", "create", "amina"))
	token := fields[len(fields)-1]

	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Clock: concord.SystemClock{}, DataDir: hub}
	addr, fed := make(chan string, 1), make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- m.runServe(ctx, serveOptions{addr: "127.0.0.1:0", federation: "127.0.0.1:0", relay: true,
			ready: func(a string) { addr <- a }, fedReady: func(a string) { fed <- a }})
	}()
	var base, fedAddr string
	for base == "" || fedAddr == "" {
		select {
		case a := <-addr:
			base = "http://" + a
		case a := <-fed:
			fedAddr = a
		case err := <-done:
			t.Fatalf("serve: %v\n%s", err, logs.String())
		case <-time.After(60 * time.Second):
			t.Fatal("server did not start")
		}
	}
	defer func() { cancel(); <-done }()

	mustRun(t, "--data", uz, "-q", "peer", "add", "coalition", "--member", "secretariat", "--key", key(hub), "--url", "https://"+fedAddr, "--relay")
	out := mustRun(t, "--data", uz, "-q", "sync")
	if !strings.Contains(out, "coalition: 1 pages") {
		t.Fatalf("sync: %s", out)
	}
	if show := mustRun(t, "--data", uz, "-q", "entity", "show", "fr-0001"); !strings.Contains(show, "Abou Example Al-Faransi") {
		t.Fatalf("the synced record: %s", show)
	}
	// A node the hub does not know is turned away at the feed.
	stranger := t.TempDir()
	mustRun(t, "--data", stranger, "-q", "node", "member", "es")
	mustRun(t, "--data", stranger, "-q", "peer", "add", "coalition", "--member", "secretariat", "--key", key(hub), "--url", "https://"+fedAddr)
	if _, _, err := run(t, "", "--data", stranger, "-q", "sync"); err == nil || !strings.Contains(err.Error(), "not a peer of this node") {
		t.Fatalf("an unknown node's sync: %v", err)
	}

	var cols struct {
		Collections []struct{ ID, Alias string }
	}
	req, _ := http.NewRequest("GET", base+"/taxii2/api/collections/", nil)
	req.Header.Set("Accept", "application/taxii+json;version=2.1")
	req.SetBasicAuth("amina", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&cols)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(cols.Collections) < 3 {
		t.Fatalf("collections: %s %+v", resp.Status, cols)
	}
	out = mustRun(t, "--data", third, "taxii", "pull", base+"/taxii2/api/collections/coalition/", "--dataset", "hub-coalition",
		"--member", "es", "--audience", "coalition", "--user", "amina", "--password", token)
	if !strings.Contains(out, "hub-coalition") || !strings.Contains(out, "next time: --added-after") {
		t.Fatalf("taxii pull: %s", out)
	}
	if show := mustRun(t, "--data", third, "-q", "entity", "show", "fr-0003"); !strings.Contains(show, "bc1qexample") {
		t.Fatalf("the pulled wallet: %s", show)
	}
}
