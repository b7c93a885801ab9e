package score

import (
	"fmt"
	"testing"

	"concord/match/keys"
)

// TestMemoTexts checks the similarities a Memo keeps by texts from query
// to query: the same as partSim's for every pair, bare or not, whatever
// the query part's place, and after the texts start again.
func TestMemoTexts(t *testing.T) {
	part := func(text string, id uint32) Part {
		return Part{Text: text, Skel: keys.Skeleton(text), ID: id}
	}
	records := []Part{part("mohammed", 1), part("muhamad", 2), part("karimov", 3), part("alkarimi", 4), part("nodir", 5)}
	queries := [][]string{{"muhammad", "karimov"}, {"karimov", "nodirbek"}, {"mohamed", "muhammad", "karim"}}
	var m Memo
	check := func(round int) {
		for _, texts := range queries {
			m.Reset()
			q := make([]Part, len(texts))
			for i, tx := range texts {
				q[i] = part(tx, m.QueryID(tx))
				if q[i].ID == 0 {
					t.Fatalf("round %d: no id for %q", round, tx)
				}
			}
			for i := range q {
				for j := range records {
					for _, bare := range []bool{false, true} {
						want := partSim(q[i].Text, q[i].Skel, records[j].Text, records[j].Skel, bare)
						for range 2 { // computed, then remembered
							if got := m.sim(&q[i], i, &records[j], bare); got != want {
								t.Errorf("round %d: sim(%q, %q, bare %v) = %v, want %v", round, q[i].Text, records[j].Text, bare, got, want)
							}
						}
					}
				}
			}
		}
	}
	check(1)
	check(2) // every pair from the texts' memory
	// Past maxQueryTexts texts, new texts get no id until Reset starts
	// again, and similarities are still right.
	for i := 0; m.QueryID(fmt.Sprint("text", i)) != 0; i++ {
		if i > maxQueryTexts {
			t.Fatalf("more than %d query texts got an id", maxQueryTexts)
		}
	}
	if id := m.QueryID("another"); id != 0 {
		t.Fatalf("id %d past the limit", id)
	}
	check(3)
}
