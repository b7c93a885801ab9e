package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// within polls cond every 20 ms for up to 2 s and returns how long it took.
func within(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 2*time.Second {
			t.Fatalf("%s: not within 2 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestServerFollowsWritesElsewhere: a server on a data directory sees what
// the command line writes to the same directory while it runs, through the
// change feed: a revoked token is refused and an imported record is matched
// within 2 s, without a restart.
func TestServerFollowsWritesElsewhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startServer(t, bin, dir)
	base := "http://" + s.addr
	mustRun(t, "--data", dir, "-q", "user", "add", "amina", "--member", "es", "--role", "analyst")
	fields := strings.Fields(mustRun(t, "--data", dir, "-q", "token", "create", "amina"))
	id, token := fields[1], fields[len(fields)-1]

	match := func(name string) int {
		var res struct {
			Responses map[string]struct {
				Results []struct {
					ID string `json:"id"`
				} `json:"results"`
			} `json:"responses"`
		}
		body := `{"queries":{"q":{"schema":"Person","properties":{"name":["` + name + `"]}}}}`
		if code := api(t, "POST", base+"/v1/match", token, "application/json", []byte(body), &res); code != 200 {
			t.Fatalf("match: status %d", code)
		}
		return len(res.Responses["q"].Results)
	}
	if n := match("Zebulon Quartermaine"); n != 0 {
		t.Fatalf("%d results before the import", n)
	}
	ftm := filepath.Join(t.TempDir(), "new.ftm.json")
	line, _ := json.Marshal(map[string]any{"id": "es-new-1", "schema": "Person", "datasets": []string{"member-es"},
		"properties": map[string][]string{"name": {"Zebulon Quartermaine"}}})
	if err := os.WriteFile(ftm, append(line, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data", dir, "-q", "import", "--format", "ftm", ftm)
	took := within(t, "imported record matched", func() bool { return match("Zebulon Quartermaine") == 1 })
	t.Logf("record imported by the CLI matched by the server after %v", took)

	// The network follows too, without a rebuild: an associate imported,
	// then the record that states the link refreshed to name another as
	// well (an FtM import is partial: the first stays).
	neighbours := func(id string) int {
		var sub struct {
			Nodes []struct{} `json:"nodes"`
		}
		if code := api(t, "GET", base+"/v1/graph/"+id+"/neighbourhood?hops=1", token, "", nil, &sub); code != 200 {
			t.Fatalf("neighbourhood of %s: status %d", id, code)
		}
		return len(sub.Nodes)
	}
	if n := neighbours("es-new-1"); n != 1 {
		t.Fatalf("neighbourhood before the link: %d nodes", n)
	}
	importFtM := func(es ...map[string]any) {
		t.Helper()
		var lines []byte
		for _, e := range es {
			e["datasets"] = []string{"member-es"}
			line, _ := json.Marshal(e)
			lines = append(append(lines, line...), '\n')
		}
		if err := os.WriteFile(ftm, lines, 0o600); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "--data", dir, "-q", "import", "--format", "ftm", ftm)
	}
	person := func(id, name string) map[string]any {
		return map[string]any{"id": id, "schema": "Person", "properties": map[string][]string{"name": {name}}}
	}
	assoc := func(a, b string) map[string]any {
		return map[string]any{"id": "es-assoc-1", "schema": "Associate", "properties": map[string][]string{"person": {a}, "associate": {b}}}
	}
	importFtM(person("es-new-2", "Ysolde Brackenridge"), assoc("es-new-1", "es-new-2"))
	took = within(t, "imported link in the network", func() bool { return neighbours("es-new-1") == 2 && neighbours("es-new-2") == 2 })
	t.Logf("link imported by the CLI in the server's network after %v", took)
	importFtM(person("es-new-3", "Thaddeus Vonnegrave"), assoc("es-new-1", "es-new-3"))
	took = within(t, "changed link in the network", func() bool { return neighbours("es-new-1") == 3 && neighbours("es-new-3") == 2 })
	t.Logf("link changed by the CLI in the server's network after %v", took)

	// A hash imported into the bank by the command line is matched too.
	const hash = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	mediaMatch := func() int {
		var res struct {
			Responses map[string]struct {
				Matches []struct {
					EntityID string `json:"entity_id"`
				} `json:"matches"`
			} `json:"responses"`
		}
		body := `{"queries":{"q":{"hash":"` + hash + `"}}}`
		if code := api(t, "POST", base+"/v1/media/match", token, "application/json", []byte(body), &res); code != 200 {
			t.Fatalf("media match: status %d", code)
		}
		return len(res.Responses["q"].Matches)
	}
	if n := mediaMatch(); n != 0 {
		t.Fatalf("%d media matches before the import", n)
	}
	list := filepath.Join(t.TempDir(), "bank.txt")
	if err := os.WriteFile(list, []byte(hash+" 100 poster.jpg\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data", dir, "-q", "media", "import", "--dataset", "es-bank", "--member", "es", list)
	took = within(t, "imported hash matched", func() bool { return mediaMatch() == 1 })
	t.Logf("hash imported by the CLI matched by the server after %v", took)

	mustRun(t, "--data", dir, "-q", "token", "revoke", "amina", id)
	took = within(t, "revoked token refused", func() bool {
		return api(t, "GET", base+"/v1/alerts", token, "", nil, nil) == 401
	})
	t.Logf("token revoked by the CLI refused by the server after %v", took)
}
