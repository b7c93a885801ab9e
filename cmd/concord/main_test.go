package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"concord"
)

// run executes the real program with args and returns stdout, stderr and
// the error.
func run(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Clock: concord.SystemClock{}}
	err := m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, err := run(t, "", args...)
	if err != nil {
		t.Fatalf("concord %s: %v\nstderr: %s", strings.Join(args, " "), err, errs)
	}
	return out
}

const unList = "../../internal/seed/un_consolidated.xml"

func TestImportUNReportsCountsAndNoChange(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	out := mustRun(t, "--data", d, "-q", "import", unList)
	if !strings.Contains(out, "730 persons, 273 organisations") || !strings.Contains(out, "1003 records added") {
		t.Fatalf("first import:\n%s", out)
	}
	out = mustRun(t, "--data", d, "-q", "import", unList)
	if !strings.Contains(out, "no change since the last import") {
		t.Fatalf("re-import:\n%s", out)
	}
}

func TestImportDeltaRetracts(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	src, err := os.ReadFile(unList)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data", d, "-q", "import", unList)
	// A newer version: one individual removed, one changed.
	s := string(src)
	start := strings.Index(s, "<INDIVIDUAL>")
	end := strings.Index(s, "</INDIVIDUAL>") + len("</INDIVIDUAL>")
	removedRef := between(s[start:end], "<REFERENCE_NUMBER>", "</REFERENCE_NUMBER>")
	s = s[:start] + s[end:]
	s = strings.Replace(s, "<FIRST_NAME>FRANK KAKOLELE</FIRST_NAME>", "<FIRST_NAME>FRANK KAKOLELLE</FIRST_NAME>", 1)
	newer := filepath.Join(t.TempDir(), "un_newer.xml")
	if err := os.WriteFile(newer, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "--data", d, "-q", "import", newer)
	if !strings.Contains(out, "0 records added, 1 changed, 1 removed") || !strings.Contains(out, "- un:"+removedRef) || !strings.Contains(out, "~ un:CDi.002") {
		t.Fatalf("delta:\n%s", out)
	}
	// History is kept: the removed record's statements are retracted.
	if _, _, err := run(t, "", "--data", d, "-q", "entity", "show", "un-"+removedRef); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("removed record still visible: %v", err)
	}
	hist := mustRun(t, "--data", d, "-q", "entity", "show", "--history", "un-"+removedRef)
	if !strings.Contains(hist, "(retracted)") {
		t.Errorf("history lacks retracted values:\n%s", hist)
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a) + len(a)
	j := strings.Index(s[i:], b)
	return strings.TrimSpace(s[i : i+j])
}

func TestTruncatedFileChangesNothing(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	before := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
	src, _ := os.ReadFile(unList)
	bad := filepath.Join(t.TempDir(), "truncated.xml")
	os.WriteFile(bad, src[:len(src)/2], 0o644)
	_, _, err := run(t, "", "--data", d, "-q", "import", bad)
	if err == nil || !strings.Contains(err.Error(), "truncated.xml:") {
		t.Fatalf("truncated import: err = %v", err)
	}
	if concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("code = %s", concord.ErrorCode(err))
	}
	after := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
	if before != after {
		t.Error("a refused import changed the store")
	}
}

func TestFtMRoundTripIsByteIdentical(t *testing.T) {
	skipUnderRace(t)
	d1, d2 := t.TempDir(), t.TempDir()
	mustRun(t, "--data", d1, "-q", "import", unList)
	first := mustRun(t, "--data", d1, "-q", "export", "--format", "ftm")
	f := filepath.Join(t.TempDir(), "all.ftm.json")
	os.WriteFile(f, []byte(first), 0o644)
	mustRun(t, "--data", d2, "-q", "import", "--format", "ftm", f)
	second := mustRun(t, "--data", d2, "-q", "export", "--format", "ftm")
	if first != second {
		a, b := strings.Split(first, "\n"), strings.Split(second, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("line %d differs:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("exports differ in length: %d vs %d lines", len(a), len(b))
	}
	// Every alias, original-script name, birth date and document is there.
	var qdi struct {
		Properties map[string][]string `json:"properties"`
	}
	for _, line := range strings.Split(first, "\n") {
		if strings.HasPrefix(line, `{"id":"un-QDi.001",`) {
			if err := json.Unmarshal([]byte(line), &qdi); err != nil {
				t.Fatal(err)
			}
		}
	}
	aliases := strings.Join(qdi.Properties["alias"], "|")
	for _, want := range []string{"محمد صلاح الدين عبدالحليم زيدان", "Sayf-Al Adl"} {
		if !strings.Contains(aliases, want) {
			t.Errorf("QDi.001 aliases lack %q: %s", want, aliases)
		}
	}
	if len(qdi.Properties["birthDate"]) != 2 {
		t.Errorf("QDi.001 birth dates: %v", qdi.Properties["birthDate"])
	}
	if n := strings.Count(first, `"schema":"Passport"`); n != 314 {
		t.Errorf("%d passports exported, want the 314 of the list", n)
	}
}

func TestScreenContract(t *testing.T) {
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	in := "id,name,birth_date,nationality,extra\n" +
		"q1,Seif al Adel,,,x\n" +
		"q2,Jonathan Smithers,1990-02-03,GB,\n" +
		"q3,,1990,,\n" + // bad: no name
		"q4,محمد صلاح الدين عبدالحليم زيدان,,,\n"
	out, errs, err := run(t, in, "--data", d, "-q", "screen", "--in", "-", "--out", "-")
	var ex *exitError
	if !asExit(err, &ex) || ex.code != exitRowsSkipped {
		t.Fatalf("exit = %v, want status %d", err, exitRowsSkipped)
	}
	if !strings.Contains(errs, "stdin:4:") || !strings.Contains(errs, "screened 3 queries") {
		t.Errorf("stderr:\n%s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines:\n%s", len(lines), out)
	}
	var res []screenLine
	for _, l := range lines {
		var one screenLine
		if err := json.Unmarshal([]byte(l), &one); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		res = append(res, one)
	}
	if res[0].ID != "q1" || res[1].ID != "q2" || res[2].ID != "q4" {
		t.Errorf("order: %s %s %s", res[0].ID, res[1].ID, res[2].ID)
	}
	for _, i := range []int{0, 2} {
		if len(res[i].Matches) == 0 || res[i].Matches[0].EntityID != "un-QDi.001" || res[i].Matches[0].Refs[0] != "un:QDi.001" ||
			res[i].Matches[0].Score < 0.8 || res[i].Matches[0].Score > 1 || len(res[i].Matches[0].Explanation) == 0 {
			t.Errorf("%s: %+v", res[i].ID, res[i].Matches)
		}
	}
	if len(res[1].Matches) != 0 {
		t.Errorf("innocent traveller flagged: %+v", res[1].Matches)
	}
}

func asExit(err error, ex **exitError) bool {
	e, ok := err.(*exitError)
	*ex = e
	return ok
}

func TestScreenPAXLST(t *testing.T) {
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	out := mustRun(t, "--data", d, "-q", "screen", "--in", "../../internal/importer/paxlst/testdata/gtas_Test1_02B_crew_noUNA.txt", "--out", "-")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines for 8 crew:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], `{"id":"msg1-`) {
		t.Errorf("first line: %s", lines[0])
	}
	// Every shipped message screens: one line per traveller.
	txt, _ := filepath.Glob("../../internal/importer/paxlst/testdata/*.txt")
	edi, _ := filepath.Glob("../../internal/importer/paxlst/testdata/*.edi")
	want := map[string]int{"gtas_Test3_02B_large.txt": 260, "gtas_tamr_flight1_02B_bags_visa.txt": 10,
		"gtas_multiple_flight_leg_05B.txt": 2, "ediclean_original_D.txt": 1, "gtas_airline2_custom_separators.edi": 10}
	screened := 0
	for _, f := range append(txt, edi...) {
		if strings.HasPrefix(filepath.Base(f), "LICENSE") {
			continue
		}
		out := mustRun(t, "--data", d, "-q", "screen", "--in", f, "--out", "-")
		n := len(strings.Split(strings.TrimSpace(out), "\n"))
		if w, ok := want[filepath.Base(f)]; ok && n != w {
			t.Errorf("%s: %d lines, want %d", f, n, w)
		}
		screened++
	}
	if screened != 11 {
		t.Errorf("screened %d messages, want all 11", screened)
	}
}

func TestCoalitionCommands(t *testing.T) {
	d := t.TempDir()
	out := mustRun(t, "--data", d, "-q", "coalition", "groups", "isis-k-dg")
	if !strings.Contains(out, "leads:   gb, tr") {
		t.Errorf("ISIS-K grouping:\n%s", out)
	}
	mustRun(t, "--data", d, "-q", "coalition", "set-group", "ttwg", "--add", "ng")
	out = mustRun(t, "--data", d, "-q", "coalition", "groups", "ttwg")
	if !strings.Contains(out, "ng") || !strings.Contains(out, "version 2") {
		t.Errorf("after adding ng:\n%s", out)
	}
	if _, _, err := run(t, "", "--data", d, "-q", "coalition", "set-group", "ttwg", "--add", "atlantis"); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("unknown member: %v", err)
	}
	out = mustRun(t, "--data", d, "-q", "coalition", "members")
	for _, want := range []string{"Uzbekistan", "Nigeria", "co-chair"} {
		if !strings.Contains(out, want) {
			t.Errorf("members lack %q", want)
		}
	}
}

// screenLine is one output line of `concord screen`, as its contract says.
type screenLine struct {
	ID      string `json:"id"`
	Matches []struct {
		EntityID    string            `json:"entity_id"`
		Refs        []string          `json:"refs"`
		Caption     string            `json:"caption"`
		Schema      string            `json:"schema"`
		Score       float64           `json:"score"`
		Explanation []json.RawMessage `json:"explanation"`
	} `json:"matches"`
}

const ofacSample = "../../internal/importer/ofaccsv/testdata/"

// A part of the OFAC list is not taken for the whole: sdn.csv alone after
// the three files would retract every alternate name and address.
func TestImportOFACPartRefused(t *testing.T) {
	d := t.TempDir()
	out := mustRun(t, "--data", d, "-q", "import", ofacSample+"sdn.csv", ofacSample+"alt.csv", ofacSample+"add.csv")
	if !strings.Contains(out, "ofac: ") {
		t.Fatalf("first import:\n%s", out)
	}
	before := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
	for _, files := range [][]string{{"sdn.csv"}, {"sdn.csv", "alt.csv"}, {"sdn.csv", "add.csv"}} {
		var args []string
		for _, f := range files {
			args = append(args, ofacSample+f)
		}
		_, _, err := run(t, "", append([]string{"--data", d, "-q", "import"}, args...)...)
		if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(errorText(err), "--partial") || !strings.Contains(errorText(err), "would retract") {
			t.Errorf("import %v: %v", files, err)
		}
	}
	if after := mustRun(t, "--data", d, "-q", "export", "--format", "ftm"); after != before {
		t.Error("a refused import changed the store")
	}
	// --partial refreshes the SDN records and retracts nothing.
	out = mustRun(t, "--data", d, "-q", "import", "--partial", ofacSample+"sdn.csv")
	if !strings.Contains(out, "no change since the last import") {
		t.Errorf("partial import:\n%s", out)
	}
	seen := regexp.MustCompile(`"last_seen":"[^"]*"`)
	if after := mustRun(t, "--data", d, "-q", "export", "--format", "ftm"); seen.ReplaceAllString(after, "") != seen.ReplaceAllString(before, "") {
		t.Error("a partial import of unchanged records changed more than last_seen")
	}
}

// A list that lost most of its records (a part taken for the whole) is not
// applied silently: the import is refused with its delta, --dry-run shows
// it without change, --confirm applies it.
func TestImportLargeRetractionNeedsConfirm(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", unList)
	src, err := os.ReadFile(unList)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the first 100 individuals and every entity: about 600 records go.
	s := string(src)
	start := strings.Index(s, "<INDIVIDUAL>")
	cut := start
	for range 100 {
		cut += strings.Index(s[cut:], "</INDIVIDUAL>") + len("</INDIVIDUAL>")
	}
	last := strings.LastIndex(s, "</INDIVIDUAL>") + len("</INDIVIDUAL>")
	part := filepath.Join(t.TempDir(), "un_part.xml")
	if err := os.WriteFile(part, []byte(s[:cut]+s[last:]), 0o644); err != nil {
		t.Fatal(err)
	}
	before := mustRun(t, "--data", d, "-q", "export", "--format", "ftm")
	_, _, err = run(t, "", "--data", d, "-q", "import", part)
	msg := errorText(err)
	if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(msg, "would retract") || !strings.Contains(msg, "--confirm") {
		t.Fatalf("partial list: %v", msg)
	}
	out := mustRun(t, "--data", d, "-q", "import", "--dry-run", part)
	if !strings.Contains(out, "630 removed") || !strings.Contains(out, "dry run: nothing was changed") {
		t.Errorf("dry run:\n%s", out)
	}
	if after := mustRun(t, "--data", d, "-q", "export", "--format", "ftm"); after != before {
		t.Error("a refused import or a dry run changed the store")
	}
	out = mustRun(t, "--data", d, "-q", "import", "--confirm", part)
	if !strings.Contains(out, "630 removed") || strings.Contains(out, "dry run") {
		t.Errorf("confirmed:\n%s", out)
	}
}
