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
