package main

import (
	"path/filepath"
	"strings"
	"testing"
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
