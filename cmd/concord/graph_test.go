package main

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"
)

func TestGraphCommands(t *testing.T) {
	skipUnderRace(t)
	d := t.TempDir()
	sample := "../../internal/importer/ofaccsv/testdata/"
	mustRun(t, "--data", d, "-q", "import", unList)
	mustRun(t, "--data", d, "-q", "import", sample+"sdn.csv", sample+"alt.csv", sample+"add.csv")
	// ATABIYEV is linked to ISIL in the OFAC sample.
	out := mustRun(t, "--data", d, "-q", "graph", "paths", "ofac-18652", "ofac-8759")
	if !strings.Contains(out, "ATABIYEV") || !strings.Contains(out, "linked_to Linked To") || !strings.Contains(out, "ISLAMIC STATE OF IRAQ AND THE LEVANT") {
		t.Errorf("paths:\n%s", out)
	}
	out = mustRun(t, "--data", d, "-q", "graph", "exposure", "ofac-18652", "--hops", "1")
	if !strings.Contains(out, "listed entities within 1 hops") {
		t.Errorf("exposure:\n%s", out)
	}
	out = mustRun(t, "--data", d, "-q", "graph", "neighbourhood", "ofac-8759", "--format", "graphml")
	var doc struct {
		Graph struct {
			Nodes []struct{} `xml:"node"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil || len(doc.Graph.Nodes) < 2 {
		t.Errorf("graphml: %v\n%s", err, out)
	}
	if _, _, err := run(t, "", "--data", d, "-q", "graph", "exposure", "nobody"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing entity: %v", err)
	}
	// Spain's analysts see no member contribution here: the same answer.
	if out := mustRun(t, "--data", d, "-q", "graph", "paths", "ofac-18652", "ofac-8759", "--member", "es"); !strings.Contains(out, "linked_to") {
		t.Errorf("as es:\n%s", out)
	}
}

// TestGraphOnTheLists answers the question on the whole OFAC list:
// the paths between two records joined by "Linked To" and a shared address.
func TestGraphOnTheLists(t *testing.T) {
	skipUnderRace(t)
	const l = "../../../shared/data/lists/"
	if _, err := os.Stat(l + "ofac_sdn.csv"); err != nil {
		t.Skip("../shared/data/lists not present")
	}
	if testing.Short() {
		t.Skip("imports the whole OFAC list")
	}
	d := t.TempDir()
	mustRun(t, "--data", d, "-q", "import", l+"ofac_sdn.csv", l+"ofac_alt.csv", l+"ofac_add.csv")
	out := mustRun(t, "--data", d, "-q", "graph", "paths", "ofac-16450", "ofac-16451", "--hops", "2")
	for _, want := range []string{"JAN, Lahore", "LAHORE JAN SHANWARI EXCHANGE", "linked_to Linked To", "shared_address address: Shop No. 13", "ofac:16450 ofac:16451"} {
		if !strings.Contains(out, want) {
			t.Errorf("paths lack %q:\n%s", want, out)
		}
	}
}
