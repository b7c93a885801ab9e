package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCaseCommands follows the README's walkthrough: a case from its first
// record to repatriation, as the users of the members involved.
func TestCaseCommands(t *testing.T) {
	d := t.TempDir()
	for _, u := range [][]string{{"us-analyst", "us", "analyst"}, {"fr-analyst", "fr", "analyst"}, {"fr-reviewer", "fr", "reviewer"}, {"de-analyst", "de", "analyst"}} {
		mustRun(t, "--data", d, "-q", "user", "add", u[0], "--member", u[1], "--role", u[2])
	}
	out := mustRun(t, "--data", d, "-q", "case", "add", "--as", "us-analyst", "../../internal/seed/sample-case.json")
	cs := strings.Fields(out)[0]
	if !strings.HasPrefix(cs, "case-us-") || !strings.Contains(out, "shared with member:fr, TLP:AMBER+STRICT; minors 1") {
		t.Fatalf("case add:\n%s", out)
	}
	if _, _, err := run(t, "", "--data", d, "-q", "case", "show", "--as", "fr-analyst", cs); err == nil || !strings.Contains(err.Error(), "purpose") {
		t.Fatalf("a minor's case without a purpose: %v", err)
	}
	if _, _, err := run(t, "", "--data", d, "-q", "case", "show", "--as", "de-analyst", "--purpose", "x", cs); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("a hidden case: %v", err)
	}
	show := mustRun(t, "--data", d, "-q", "case", "show", "--as", "fr-analyst", "--purpose", "repatriation file", cs)
	var persons []string
	for _, l := range strings.Split(show, "\n") {
		if strings.HasPrefix(l, "det-") {
			persons = append(persons, strings.Fields(l)[0])
		}
	}
	if len(persons) != 2 {
		t.Fatalf("show:\n%s", show)
	}
	steps := [][]string{
		{"fr-analyst", "nationality_verified", "--country", "fr", "--doc", "consular note 2026/114"},
		{"us-analyst", "home_country_notified"},
		{"us-analyst", "requested"},
		{"fr-reviewer", "accepted"},
		{"us-analyst", "transferred", "--doc", "flight manifest"},
		{"fr-analyst", "reintegrated"},
	}
	for _, p := range persons {
		for _, s := range steps {
			mustRun(t, append([]string{"--data", d, "-q", "case", "step", "--as", s[0], cs, p, s[1]}, s[2:]...)...)
		}
	}
	if _, _, err := run(t, "", "--data", d, "-q", "case", "step", "--as", "us-analyst", cs, persons[0], "released", "--reason", "x"); err == nil {
		t.Error("the custodian side released a person")
	}
	show = mustRun(t, "--data", d, "-q", "case", "show", "--as", "us-analyst", "--purpose", "closing the file", cs)
	if strings.Count(show, "reintegrated") != 2 || !strings.Contains(show, "consular note 2026/114") {
		t.Errorf("show after the workflow:\n%s", show)
	}
	out = mustRun(t, "--data", d, "-q", "case", "watch", "--as", "fr-analyst", "--purpose", "returnee monitoring", cs, persons[0])
	if !strings.Contains(out, "on fr's watch (record watch-fr-"+persons[0]+")") {
		t.Errorf("watch: %s", out)
	}
	list := mustRun(t, "--data", d, "-q", "case", "list", "--as", "fr-analyst")
	if !strings.Contains(list, "(minor: name withheld)") || !strings.Contains(list, "Amina Quraishi (reintegrated)") {
		t.Errorf("list:\n%s", list)
	}
	mustRun(t, "--data", d, "-q", "case", "close", "--as", "us-analyst", "--reason", "both repatriated", cs)
	exp := mustRun(t, "--data", d, "-q", "case", "export", "--as", "us-analyst", "--purpose", "archive")
	if strings.Count(exp, `"schema":"WorkflowEvent"`) != 2*7+2+1 || !strings.Contains(exp, `"schema":"Detainee"`) {
		t.Errorf("export:\n%s", exp)
	}
	// The export reads back on another node as that member's cases.
	d2 := t.TempDir()
	mustRun(t, "--data", d2, "-q", "user", "add", "iq-analyst", "--member", "iq", "--role", "analyst")
	f := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(f, []byte(exp), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "--data", d2, "-q", "case", "import", "--as", "iq-analyst", f); !strings.Contains(out, `"`+cs+`": "case-iq-`) || !strings.Contains(out, `"steps_not_imported": 12`) {
		t.Errorf("import: %s", out)
	}
	if err := os.WriteFile(f, []byte(exp+`{"id":"x","schema":"Person","properties":{}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "--data", d2, "-q", "case", "import", "--as", "iq-analyst", f); err == nil || !strings.Contains(err.Error(), "cases.jsonl:") {
		t.Errorf("a bad line: %v", err)
	}
	if out := mustRun(t, "--data", d2, "-q", "case", "list", "--as", "iq-analyst"); strings.Count(out, "case-iq-") != 1 {
		t.Errorf("the refused file changed the store:\n%s", out)
	}
	mustRun(t, "--data", d, "-q", "retention", "set", "us", "case", "24")
	if out := mustRun(t, "--data", d, "-q", "retention", "run", "--at", "2099-01-01T00:00:00Z"); !strings.Contains(out, "a person is on a member's watch") {
		t.Errorf("retention run: %s", out)
	}
}

// TestMeetingCommands: a fresh node holds the default coalition's
// meetings, statement and decisions; a group lead's analyst records the
// group's meeting, a member's analyst cannot.
func TestMeetingCommands(t *testing.T) {
	d := t.TempDir()
	list := mustRun(t, "--data", d, "-q", "meeting", "list")
	if !strings.Contains(list, "madrid-small-group-2025  2025-06-10  coalition  Madrid, Spain") || !strings.Contains(list, "ttwg-inaugural-2025") {
		t.Fatalf("meeting list:\n%s", list)
	}
	show := mustRun(t, "--data", d, "-q", "meeting", "show", "madrid-small-group-2025")
	for _, want := range []string{"host: es", "co-chair: es, Director General for Foreign and Security Policy", "co-chair: us, Acting Coordinator for Counterterrorism",
		"Uzbekistan is welcomed as the newest member", "The ISIS-K Diplomatic Grouping joins", "restructures its working model", "statement Joint statement"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if show := mustRun(t, "--data", d, "-q", "meeting", "show", "ttwg-inaugural-2025"); !strings.Contains(show, "INTERPOL General Secretariat, Lyon") || !strings.Contains(show, "shared with group:ttwg") {
		t.Errorf("TTWG:\n%s", show)
	}
	mustRun(t, "--data", d, "-q", "user", "add", "nl-analyst", "--member", "nl", "--role", "analyst")
	mustRun(t, "--data", d, "-q", "user", "add", "de-analyst", "--member", "de", "--role", "analyst")
	mt := `{"title":"TTWG second meeting","body":"ttwg","date":"2025-11-04","place":"The Hague","host":"nl"}`
	out, _, err := run(t, mt, "--data", d, "-q", "meeting", "add", "--as", "nl-analyst", "-")
	if err != nil || !strings.HasPrefix(out, "meeting-nl-") {
		t.Fatalf("a lead records its group's meeting: %q %v", out, err)
	}
	if _, _, err := run(t, mt, "--data", d, "-q", "meeting", "add", "--as", "de-analyst", "-"); err == nil {
		t.Error("a member that leads nothing recorded a group meeting")
	}
	if acts := mustRun(t, "--data", d, "-q", "action", "list", "--group", "ttwg"); !strings.Contains(acts, "action-ttwg-workplan") {
		t.Errorf("actions:\n%s", acts)
	}
	if cal := mustRun(t, "--data", d, "-q", "action", "calendar", "--as", "nl-analyst"); !strings.Contains(cal, "UID:ttwg-inaugural-2025@concord") || !strings.Contains(cal, "UID:action-ttwg-workplan@concord") {
		t.Errorf("calendar:\n%s", cal)
	}
}
