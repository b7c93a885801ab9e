package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"testing"

	"concord/graph"
)

// The collector is relaxed while the indexes decode their snapshots, and
// restored once, at the first call of the function relaxGC returns.
func TestRelaxGCRestoresOnce(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	restore := relaxGC()
	if got := debug.SetGCPercent(loadGCPercent); got != loadGCPercent {
		t.Fatalf("GOGC %d while loading, want %d", got, loadGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(150); got != 100 {
		t.Fatalf("GOGC %d after restore, want 100", got)
	}
	restore() // a second call changes nothing
	if got := debug.SetGCPercent(100); got != 150 {
		t.Fatalf("GOGC %d after a second restore, want 150 (left as set)", got)
	}
}

// Every index whose snapshot file is there but unusable (another format
// after an upgrade, a damaged file) says so before it builds from the
// store, so that the start does not build under the relaxed collector.
func TestUnusableSnapshotsBuildAtTheUsualPace(t *testing.T) {
	ctx, _, st, m := seededDataDir(t)
	path := m.indexSnapshot("", false)
	for _, f := range []string{path, idsSnapshot(path), bankSnapshot(path), networkSnapshot(path)} {
		if err := os.WriteFile(f, []byte("not a snapshot"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	head, err := st.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	calls := map[string]int{}
	on := func(what string) func() { return func() { calls[what]++ } }
	if _, _, loaded, err := loadIndex(ctx, st, path, log, on("match")); err != nil || loaded {
		t.Fatalf("match index: loaded %v, %v", loaded, err)
	}
	if _, _, loaded, err := loadIDs(ctx, st, path, head, log, on("ids")); err != nil || loaded {
		t.Fatalf("identifier index: loaded %v, %v", loaded, err)
	}
	if _, _, loaded, err := loadBank(ctx, st, path, head, log, on("bank")); err != nil || loaded {
		t.Fatalf("hash bank: loaded %v, %v", loaded, err)
	}
	live := &graph.Live{Load: func(ctx2 context.Context) (*graph.Index, error) { return graph.Load(ctx2, st) }, Version: st.LastChange, Source: st}
	if loaded, err := loadNetwork(ctx, st, live, path, head, log, on("network")); err != nil || loaded {
		t.Fatalf("network: loaded %v, %v", loaded, err)
	}
	for _, what := range []string{"match", "ids", "bank", "network"} {
		if calls[what] != 1 {
			t.Errorf("%s: building called %d times, want 1", what, calls[what])
		}
	}
}
