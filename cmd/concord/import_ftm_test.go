package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFtM writes lines to a file of the test's and returns its name.
func writeFtM(t *testing.T, name string, lines ...string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func person(id, dataset, name string) string {
	return fmt.Sprintf(`{"id":%q,"schema":"Person","datasets":[%q],"referents":["%s:%s"],"properties":{"name":[%q]}}`, id, dataset, dataset, id, name)
}

// A lone FtM file is streamed once for its first dataset; the datasets it
// holds besides are imported after it, each in order.
func TestImportFtMStreamsEveryDataset(t *testing.T) {
	f := writeFtM(t, "mixed.ftm.json",
		person("a-1", "member-a", "Amina Qasim"),
		person("b-1", "member-b", "Bakhtiyor Tursunov"),
		person("a-2", "member-a", "Alisher Usmonov"),
		`{"id":"c-1","schema":"Person","properties":{"name":["Chidi Okafor"]}}`)
	d := t.TempDir()
	out := mustRun(t, "--data", d, "-q", "import", f)
	for _, want := range []string{"member-a: 2 records", "member-b: 1 records", "ftm: 1 records", "+ member-a:a-2", "+ ftm:c-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "member-a:"), strings.Index(out, "member-b:"); i > j {
		t.Errorf("datasets out of order:\n%s", out)
	}
	exp := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
	for _, id := range []string{"a-1", "a-2", "b-1", "c-1"} {
		if !strings.Contains(exp, `"id":"`+id+`"`) {
			t.Errorf("%s not exported:\n%s", id, exp)
		}
	}
}

// A bad line, even the last one, refuses the file with its line and leaves
// the store as it was: a lone file in its stream's transaction, one of
// several files before any of them is imported.
func TestImportFtMBadLineChangesNothing(t *testing.T) {
	good := writeFtM(t, "good.ftm.json", person("g-1", "member-g", "Gulnora Karimova"))
	var lines []string
	for i := range 50 {
		lines = append(lines, person(fmt.Sprintf("x-%d", i), "member-x", "Xurshid Aliyev"))
	}
	bad := writeFtM(t, "bad.ftm.json", append(lines, `{"id":"x-last","schema":"Person"`)...)
	for _, files := range [][]string{{bad}, {good, bad}} {
		d := t.TempDir()
		mustRun(t, "--data", d, "-q", "import", unList)
		before := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
		_, _, err := run(t, "", append([]string{"--data", d, "-q", "import"}, files...)...)
		if err == nil || !strings.Contains(err.Error(), "bad.ftm.json:51") {
			t.Fatalf("%v: err = %v, want bad.ftm.json:51", files, err)
		}
		if after := mustRun(t, "--data", d, "-q", "export", "--format", "ftm"); after != before {
			t.Errorf("%v: the store changed", files)
		}
	}
}

// The delta counts every record, past the ids the report lists.
func TestImportFtMDeltaCountsEveryRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,050 records")
	}
	const n = 10050
	lines := make([]string, n)
	for i := range lines {
		lines[i] = person(fmt.Sprintf("p-%05d", i), "big", "Person Number")
	}
	f := writeFtM(t, "big.ftm.json", lines...)
	out := mustRun(t, "--data", t.TempDir(), "-q", "import", f)
	if !strings.Contains(out, "big: 10050 records (10050 entities, 20100 statements)") ||
		!strings.Contains(out, "delta: 10050 records added, 0 changed, 0 removed") || !strings.Contains(out, "+ ... 10040 more") {
		t.Errorf("report:\n%s", out)
	}
}
