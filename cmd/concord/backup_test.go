package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBackupWhileServing: a backup taken while a server answers requests
// (each one audited) is consistent: restored into another data directory
// it verifies and holds the list; a second backup into the same directory
// and a restore over a store are refused, and --force keeps the old files.
func TestBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startServer(t, bin, dir)
	mustRun(t, "--data", dir, "-q", "user", "add", "amina", "--member", "es", "--role", "analyst")
	f := strings.Fields(mustRun(t, "--data", dir, "-q", "token", "create", "amina"))
	token := f[len(f)-1]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	requests := 0
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			body := `{"queries":{"q":{"schema":"Person","properties":{"name":["Seif al Adel"]}}}}`
			req, _ := http.NewRequest("POST", "http://"+s.addr+"/v1/match", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err) // t.Error, not Fatal: another goroutine
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("match during the backup: status %d", resp.StatusCode)
			}
			requests++
		}
	})
	time.Sleep(200 * time.Millisecond)
	backups := t.TempDir()
	out := mustRun(t, "--data", dir, "backup", backups)
	close(stop)
	wg.Wait()
	if !strings.Contains(out, "backup written: "+filepath.Join(backups, "concord.db")) {
		t.Fatalf("backup: %s", out)
	}
	t.Logf("%d requests during the backup: %s", requests, strings.TrimSpace(out))
	if _, _, err := run(t, "", "--data", dir, "backup", backups); err == nil {
		t.Error("a second backup into the same directory was not refused")
	}

	restored := t.TempDir()
	if _, _, err := run(t, "", "--data", restored, "restore", backups); err == nil || !strings.Contains(err.Error(), "needs the audit key") {
		t.Errorf("a restore without the audit key: %v", err)
	}
	if left, _ := os.ReadDir(restored); len(left) != 0 {
		t.Errorf("a refused restore left %v", left)
	}
	key, err := os.ReadFile(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "audit.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, "--data", restored, "restore", backups)
	if !strings.Contains(out, "audit chain intact") {
		t.Fatalf("restore: %s", out)
	}
	if out := mustRun(t, "--data", restored, "-q", "entity", "show", "un-QDi.001"); !strings.Contains(out, "un-QDi.001") {
		t.Errorf("restored store lacks the list: %s", out)
	}
	if out := mustRun(t, "--data", restored, "-q", "audit", "list", "--action", "backup"); !strings.Contains(out, "backup") {
		t.Errorf("the backup is not in its own audit: %s", out)
	}
	if _, _, err := run(t, "", "--data", restored, "restore", backups); err == nil {
		t.Error("a restore over a store was not refused")
	}
	mustRun(t, "--data", restored, "restore", "--force", backups)
	kept, _ := filepath.Glob(filepath.Join(restored, "concord.db.replaced-*"))
	if len(kept) == 0 {
		t.Error("--force did not keep the replaced store")
	}
	bad := filepath.Join(t.TempDir(), "concord.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	if _, _, err := run(t, "", "--data", t.TempDir(), "restore", bad); err == nil {
		t.Error("a file that is not a database was restored")
	}
}
