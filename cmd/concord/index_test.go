package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/match"
)

// seededDataDir opens a fresh SQLite data directory seeded as a first
// command seeds it (the default coalition, the bundled UN list), and the
// Main of that directory; the store is closed when the test ends.
func seededDataDir(t *testing.T) (context.Context, string, *store.DB, *Main) {
	t.Helper()
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "system", Via: "test"})
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Clock: concord.SystemClock{}, DataDir: dir}
	if err := m.seed(ctx, st, true); err != nil {
		t.Fatal(err)
	}
	return ctx, dir, st, m
}

// The match index starts from its snapshot when the change feed can bring
// it up to date, from the store otherwise, and is the same either way.
func TestIndexSnapshotLifecycle(t *testing.T) {
	ctx, dir, st, m := seededDataDir(t)
	path := m.indexSnapshot("", false)
	if path != filepath.Join(dir, "index.snapshot") {
		t.Fatalf("default snapshot %q", path)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	load := func() (int64, bool, []match.Match) {
		t.Helper()
		svc, at, loaded, err := loadIndex(ctx, st, path, log, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := catchUp(ctx, st, svc, at); err != nil {
			t.Fatal(err)
		}
		if loaded {
			return at, true, svc.MatchAll(match.Query{Name: "Zebulon Quartermaine"}, match.Options{})
		}
		if err := svc.SaveFile(path, at); err != nil {
			t.Fatal(err)
		}
		return at, false, svc.MatchAll(match.Query{Name: "Zebulon Quartermaine"}, match.Options{})
	}
	at, loaded, ms := load()
	if loaded || len(ms) != 0 {
		t.Fatalf("first start: loaded %v, %d matches", loaded, len(ms))
	}
	// A record arrives while no node runs: the snapshot is behind, the feed
	// brings it up to date.
	e := concord.NewEntity("es-new-1", "Person")
	e.Add("name", "Zebulon Quartermaine")
	if _, err := st.Import(ctx, &concord.ImportBatch{Dataset: "member-es", Partial: true,
		Statements: e.Statements(concord.Provenance{Dataset: "member-es", SourceRef: "es:1", Audience: concord.AudiencePublic, Handling: concord.TLPClear})}); err != nil {
		t.Fatal(err)
	}
	at2, loaded, ms := load()
	if !loaded || at2 != at || len(ms) != 1 || ms[0].EntityID != "es-new-1" {
		t.Fatalf("second start: loaded %v at %d (want %d), matches %+v\n%s", loaded, at2, at, ms, logs.String())
	}
	// A damaged snapshot is set aside: the index is built from the store.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	if _, loaded, ms := load(); loaded || len(ms) != 1 || !strings.Contains(logs.String(), "unusable") {
		t.Fatalf("damaged snapshot: loaded %v, matches %+v\n%s", loaded, ms, logs.String())
	}
}

// concord serve saves the index's snapshot once it has caught up and when
// it stops, and starts from it: a record imported while it was stopped is
// matched after the restart.
func TestServeStartsFromSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	snap := filepath.Join(dir, "index.snapshot")
	s := startServer(t, bin, dir)
	within30 := func(what string, cond func() bool) {
		t.Helper()
		for start := time.Now(); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Since(start) > 30*time.Second {
				t.Fatalf("%s: not within 30 s\n%s", what, s.logs.String())
			}
		}
	}
	within30("first snapshots", func() bool {
		for _, f := range []string{snap, idsSnapshot(snap), bankSnapshot(snap), networkSnapshot(snap)} {
			if _, err := os.Stat(f); err != nil {
				return false
			}
		}
		return true
	})
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, s.logs.String())
	}
	ftm := filepath.Join(t.TempDir(), "new.ftm.json")
	if err := os.WriteFile(ftm, []byte(`{"id":"es-new-1","schema":"Person","datasets":["member-es"],"properties":{"name":["Zebulon Quartermaine"]}}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data", dir, "-q", "import", "--format", "ftm", ftm)
	mustRun(t, "--data", dir, "-q", "user", "add", "amina", "--member", "es", "--role", "analyst")
	fields := strings.Fields(mustRun(t, "--data", dir, "-q", "token", "create", "amina"))
	token := fields[len(fields)-1]

	s = startServer(t, bin, dir)
	base := "http://" + s.addr
	within30("ready", func() bool { return api(t, "GET", base+"/readyz", "", "", nil, nil) == 200 })
	for _, want := range []string{"match index loaded from its snapshot", "identifier index loaded from its snapshot", "hash bank loaded from its snapshot",
		"network loaded from its snapshot"} {
		if !strings.Contains(s.logs.String(), want) {
			t.Errorf("the restart did not log %q:\n%s", want, s.logs.String())
		}
	}
	var res struct {
		Responses map[string]struct {
			Results []struct {
				ID string `json:"id"`
			} `json:"results"`
		} `json:"responses"`
	}
	body := `{"queries":{"q":{"schema":"Person","properties":{"name":["Zebulon Quartermaine"]}}}}`
	if code := api(t, "POST", base+"/v1/match", token, "application/json", []byte(body), &res); code != 200 ||
		len(res.Responses["q"].Results) != 1 || res.Responses["q"].Results[0].ID != "es-new-1" {
		t.Errorf("record imported while stopped: status %d, %+v", code, res)
	}
}
