package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalPairs runs `concord eval pairs` on the report-only pair file with
// the bundled UN list's statistics, and on a malformed file.
func TestEvalPairs(t *testing.T) {
	out := mustRun(t, "eval", "pairs", "../../internal/eval/testdata/report_pairs.csv", "--un", filepath.Join(t.TempDir(), "absent.xml"))
	for _, want := range []string{"the bundled UN list", "| threshold | precision | recall | F1 |", "| 0.80 |", "legal-form"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("name1,name2,schema,is_match\nAli,Ali,Person,perhaps\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "eval", "pairs", bad); err == nil || !strings.Contains(err.Error(), "bad.csv:2") {
		t.Errorf("malformed pair file: %v", err)
	}
}
