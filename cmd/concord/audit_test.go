package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"concord"
)

// sqlOn runs raw SQL on the data directory's database, behind the store.
func sqlOn(t *testing.T, dir string, queries ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "concord.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// The two attacks of issue 8 §13 that passed verify: deleting the last rows,
// and recomputing the chain from a row. The key catches the second, a
// checkpoint the first.
func TestAuditKeyAndCheckpoint(t *testing.T) {
	d := t.TempDir()
	_, stderr, err := run(t, "", "--data", d, "user", "add", "amina", "--member", "uz", "--role", "analyst")
	if err != nil || !strings.Contains(stderr, "created the audit key "+filepath.Join(d, "audit.key")) {
		t.Fatalf("first use: %v %s", err, stderr)
	}
	for _, u := range []string{"bob", "carol", "dan"} {
		mustRun(t, "--data", d, "-q", "user", "add", u, "--member", "uz", "--role", "viewer")
	}
	out := mustRun(t, "--data", d, "-q", "audit", "verify")
	if !strings.Contains(out, "audit chain intact") || strings.Contains(out, "(0 sealed)") {
		t.Fatalf("verify: %s", out)
	}
	cp := filepath.Join(t.TempDir(), "cp.json")
	if out := mustRun(t, "--data", d, "-q", "audit", "checkpoint", "--out", cp); !strings.Contains(out, "checkpoint of row") {
		t.Fatalf("checkpoint: %s", out)
	}
	if out := mustRun(t, "--data", d, "-q", "audit", "verify", "--checkpoint", cp); !strings.Contains(out, "matches the checkpoint of row") {
		t.Fatalf("verify against the checkpoint: %s", out)
	}
	key := mustRun(t, "--data", d, "-q", "audit", "key")
	if !strings.Contains(key, "checkpoint public key (Ed25519): ") {
		t.Errorf("audit key: %s", key)
	}

	// Delete the last two rows: the chain alone still verifies, the
	// checkpoint does not.
	sqlOn(t, d, `DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 2 FROM audit)`)
	mustRun(t, "--data", d, "-q", "audit", "verify")
	stdout, _, err := run(t, "", "--data", d, "-q", "audit", "verify", "--checkpoint", cp)
	var ex *exitError
	if !asExit(err, &ex) || ex.code != 4 || !strings.Contains(stdout, "(truncated)") {
		t.Errorf("truncated chain against its checkpoint: %v %s", err, stdout)
	}
	// Recompute a row's hash as one could before keys.
	sqlOn(t, d, `UPDATE audit SET detail = 'nothing happened', hash = 'aa' WHERE seq = 2`)
	stdout, _, err = run(t, "", "--data", d, "-q", "audit", "verify")
	if !asExit(err, &ex) || ex.code != 4 || !strings.Contains(stdout, "BROKEN at row 2") {
		t.Errorf("altered row: %v %s", err, stdout)
	}
	// And no checkpoint of a broken chain.
	stdout, _, err = run(t, "", "--data", d, "-q", "audit", "checkpoint")
	if !asExit(err, &ex) || ex.code != 4 || strings.Contains(stdout, "signature") {
		t.Errorf("checkpoint of a broken chain: %v %s", err, stdout)
	}
	// A checkpoint file that was edited is refused.
	_, _, err = run(t, "", "--data", d, "-q", "audit", "verify", "--checkpoint", filepath.Join(t.TempDir(), "missing.json"))
	if concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("missing checkpoint file: %v", err)
	}
}
