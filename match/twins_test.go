package match

import (
	"reflect"
	"slices"
	"testing"
)

// twinsOf returns the twin marks of an entry's names.
func twinsOf(e *entry) []bool {
	var out []bool
	for _, n := range e.names {
		out = append(out, n.twin)
	}
	return out
}

func TestMarkTwins(t *testing.T) {
	// Distinct names, then the first one again at the window's edge and
	// just past it.
	var many []string
	for i := range twinWindow + 1 {
		many = append(many, "Ka"+string(rune('a'+i/26))+string(rune('a'+i%26))+"bor Hassan")
	}
	recs := []Record{
		{ID: "t:1", Schema: "Person", Names: []string{"Ali Hassan", "ALI HASSAN", "Hassan Ali", "Ali  Hassan."}, WeakNames: []string{"ali hassan", "Ali HASSAN"}},
		{ID: "t:2", Schema: "Person", Names: append(slices.Clone(many[:twinWindow]), "KAAABOR HASSAN")},
		{ID: "t:3", Schema: "Person", Names: append(slices.Clone(many), "KAAABOR HASSAN")},
		{ID: "t:4", Schema: "Company", Names: []string{"Al Rashid Trading LLC", "AL-RASHID TRADING L.L.C.", "Al Rashid Trading"}},
	}
	ix := Build(slices.Values(recs))
	want := map[string][]bool{
		// The weak spelling is no twin of the strong ones (its score is
		// discounted), but the second weak one is of the first.
		"t:1": {false, true, false, true, false, true},
		"t:2": append(make([]bool, twinWindow), true),
		"t:3": append(make([]bool, twinWindow+1), false),
		// No derived acronym: Al Rashid Trading has two words besides
		// the article, and its legal form is no letter of one
		// (acronym.go).
		"t:4": {false, true, false},
	}
	restored, err := restore(snapshot(t, ix))
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range want {
		for which, x := range map[string]*Index{"index": ix, "snapshot": restored} {
			if got := twinsOf(&x.slots[x.byID[id]]); !slices.Equal(got, w) {
				t.Errorf("%s %s: twins %v, want %v", which, id, got, w)
			}
		}
	}

	// A reader's view: the names it adds are twins of the record's own
	// (or of each other) when their parts are. A text the index does not
	// hold is kept apart for each name that has it, so names with one are
	// not found twins (they are only compared in full once more).
	ix.mu.RLock()
	v := ix.viewEntry(&ix.slots[ix.byID["t:1"]], []Record{{Names: []string{"hassan ali", "Kaaabor Hassan", "KAAABOR HASSAN", "Omar Hassan", "OMAR HASSAN"}, WeakNames: []string{"ALI hassan"}}})
	ix.mu.RUnlock()
	if got, w := twinsOf(&v), append(slices.Clone(want["t:1"]), true, false, true, false, false, true); !slices.Equal(got, w) {
		t.Errorf("view: twins %v, want %v", got, w)
	}
	if got := twinsOf(&ix.slots[ix.byID["t:1"]]); !slices.Equal(got, want["t:1"]) {
		t.Errorf("the view changed the index's entry: twins %v", got)
	}
}

// TestTwinsScoreAlike screens every name of the UN and OFAC lists with and
// without skipping twins: the matches, their scores and their explanations
// are the same (skipped without the data).
func TestTwinsScoreAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	recs := append(loadUN(t), loadOFAC(t)...)
	build := func() *Index {
		return Build(func(yield func(Record) bool) {
			for _, r := range recs {
				if !yield(r.Record) {
					return
				}
			}
		})
	}
	ix, plain := build(), build()
	twins, names := 0, 0
	for i := range plain.slots {
		for j := range plain.slots[i].names {
			names++
			if plain.slots[i].names[j].twin {
				twins++
				plain.slots[i].names[j].twin = false
			}
		}
	}
	t.Logf("%d records, %d names, %d twins", len(recs), names, twins)
	if twins == 0 {
		t.Fatal("no twins among the lists' names")
	}
	step := 1
	if raceEnabled {
		step = 20
	}
	queries := 0
	for k := 0; k < len(recs); k += step {
		r := &recs[k]
		for _, qn := range slices.Concat(r.Names, r.WeakNames, r.Original) {
			for _, opt := range []Options{{}, {Threshold: 0.5, Limit: 3}} {
				queries++
				q := Query{Name: qn}
				if a, b := ix.Match(q, opt), plain.Match(q, opt); !reflect.DeepEqual(a, b) {
					t.Fatalf("%+v %+v:\nskipping twins %+v\nscoring them   %+v", q, opt, a, b)
				}
			}
		}
	}
	t.Logf("%d queries alike", queries)
}
