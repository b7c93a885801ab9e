package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"concord/match"
)

// TestRunDump checks the figures of a small set and that the dump holds
// exactly the cases that went wrong, with their ranked matches.
func TestRunDump(t *testing.T) {
	ix := match.Build(slices.Values([]match.Record{
		{ID: "a", Schema: "Person", Names: []string{"Mukhtar Robow"}, Refs: []string{"un:SOi.002"}},
		{ID: "b", Schema: "Person", Names: []string{"Hassan Dahir Aweys"}, Refs: []string{"un:QDi.042"}},
	}))
	s := Set{Name: "t", Cases: []Case{
		{Query: match.Query{Name: "Mukhtar Robow", Schema: "Person"}, Want: "un:SOi.002", Note: "exact"},
		{Query: match.Query{Name: "Zebulon Quartermaine", Schema: "Person"}, Want: "un:QDi.042", Note: "other name"},
		{Query: match.Query{Name: "Hassan Dahir Aweys", Schema: "Person"}, Note: "negative"},
		{Query: match.Query{Name: "Ingrid Svensson", Schema: "Person"}, Note: "negative"},
	}}
	for _, timing := range []bool{false, true} {
		var buf bytes.Buffer
		dump, done := WriteDump(&buf)
		r := Run(ix, s, RunOptions{Threshold: 0.8, Workers: 2, Timing: timing, Dump: dump})
		if err := done(); err != nil {
			t.Fatal(err)
		}
		if r.Recall1 != 0.5 || r.HitRate != 0.5 || r.FPR != 0.5 || r.Negatives != 2 {
			t.Errorf("timing %v: recall@1 %v, hit rate %v, FPR %v, negatives %d", timing, r.Recall1, r.HitRate, r.FPR, r.Negatives)
		}
		if timing != (r.QPS > 0) {
			t.Errorf("timing %v: queries/s %v", timing, r.QPS)
		}
		var got []Outcome
		dec := json.NewDecoder(&buf)
		for dec.More() {
			var o Outcome
			if err := dec.Decode(&o); err != nil {
				t.Fatal(err)
			}
			got = append(got, o)
		}
		if len(got) != 2 || got[0].Kind != "miss" || got[0].Want != "un:QDi.042" || got[0].Rank != -1 ||
			got[1].Kind != "fp" || len(got[1].Matches) == 0 || got[1].Matches[0].EntityID != "b" {
			t.Errorf("timing %v: dump %+v", timing, got)
		}
	}
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 1523, 0, 0.0025}, // no flag in 1,523: up to a quarter of a point
		{16, 5544, 0.0018, 0.0047},
		{5, 10, 0.2366, 0.7634}, // the textbook case
	} {
		lo, hi := Wilson(c.k, c.n)
		if math.Abs(lo-c.lo) > 1e-4 || math.Abs(hi-c.hi) > 1e-4 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
	if got := ratioCI(1, 100, 0, 1000); got != "∞ [0.46–∞]" {
		t.Errorf("ratioCI with no flag in the control = %q", got)
	}
}

// TestRunCaseIndexAndControl checks that a case naming an index runs
// against it and that a control positive counts in its note only.
func TestRunCaseIndexAndControl(t *testing.T) {
	ix := match.Build(slices.Values([]match.Record{{ID: "a", Schema: "Person", Names: []string{"Mukhtar Robow"}, Refs: []string{"un:SOi.002"}}}))
	other := match.Build(slices.Values([]match.Record{{ID: "b", Schema: "Person", Names: []string{"Hassan Dahir Aweys"}, Refs: []string{"ofac:1"}}}))
	s := Set{Name: "t", Cases: []Case{
		{Query: match.Query{Name: "Hasan Dahir Awes", Schema: "Person"}, Want: "ofac:1", Note: "person", Index: "other"},
		{Query: match.Query{Name: "Abu Mansur", Schema: "Person"}, Want: "un:SOi.002", Note: "person-other-name", Control: true},
	}}
	r := Run(ix, s, RunOptions{Threshold: 0.8, Workers: 1, Indexes: map[string]*match.Index{"other": other}})
	if r.Queries != 1 || r.Control != 1 || r.Recall1 != 1 || r.ByNote["person-other-name"][2] != 1 || r.ByNote["person-other-name"][0] != 0 {
		t.Errorf("queries %d, control %d, recall@1 %v, by note %v", r.Queries, r.Control, r.Recall1, r.ByNote)
	}
}
