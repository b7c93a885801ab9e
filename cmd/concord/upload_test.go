package main

import (
	"io"
	"strings"
	"testing"

	"concord/internal/job"
)

// The synthetic uploads are what they claim: a valid CSV and a valid PAXLST
// manifest of about the size asked for, with a listed person every 500 rows.
func TestSyntheticUploads(t *testing.T) {
	for _, c := range []struct {
		kind string
		r    io.Reader
	}{
		{"csv", &syntheticCSV{size: 200_000}},
		{"paxlst", newSyntheticPAXLST(200_000)},
	} {
		b, err := io.ReadAll(c.r)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 200_000 || len(b) < 190_000 {
			t.Errorf("%s: %d bytes, want about 200,000", c.kind, len(b))
		}
		kind, qs, bad, _, err := job.ReadQueries(strings.NewReader(string(b)), c.kind)
		if err != nil || kind != c.kind || len(qs) < 1000 {
			t.Fatalf("%s: kind %s, %d queries, %d bad, %v", c.kind, kind, len(qs), len(bad), err)
		}
		if len(bad) != 0 {
			t.Errorf("%s: %d bad rows, the first %v", c.kind, len(bad), bad[0])
		}
		listed := 0
		for _, q := range qs {
			if strings.Contains(strings.ToLower(q.Name), "adel") {
				listed++
			}
		}
		if listed == 0 {
			t.Errorf("%s: no listed person", c.kind)
		}
	}
}
