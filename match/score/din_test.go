package score

import (
	"testing"

	"concord/match/keys"
)

func TestDinStem(t *testing.T) {
	for t0, want := range map[string]string{
		"salahuddin": "salah", "salahidin": "salah", "salahdin": "salah", "salaheddine": "salah",
		"saladin": "sala", "nooruddeen": "noor", "jalaluddin": "jalal", "salaheldin": "salah",
		"aladdin": "", "ziauddin": "", "salah": "", "edin": "", "nasreddine": "nasr",
	} {
		got, ok := dinStem(t0)
		if got != want || ok != (want != "") {
			t.Errorf("dinStem(%q) = %q, %v; want %q", t0, got, ok, want)
		}
	}
}

// A joined al-Din compound meets its first half as a part (BADI,
// Salahidin / Salah Badi), the rest of the name carrying the match; two
// compounds, or a compound and another name, compare as before.
func TestDinCompound(t *testing.T) {
	p := func(text string, w float64) Part { return Part{Text: text, Skel: keys.Skeleton(text), Weight: w} }
	rec := []Part{p("salah", 0.6), p("badi", 0.9)}
	for _, q := range []string{"salahidin", "salahdin", "salahuddin", "saladin"} {
		res := CompareNames([]Part{p(q, 0.8), p("badi", 0.9)}, rec, nil, false)
		if len(res.Pairs) != 2 || res.Score < 0.8 {
			t.Errorf("%s badi ~ salah badi: %.3f, %+v", q, res.Score, res.Pairs)
		}
	}
	if v := dinCompoundSim(&Part{Text: "salahuddin", Skel: "slhtn"}, &Part{Text: "salim", Skel: "slm"}); v != 0 {
		t.Errorf("salahuddin ~ salim %.2f", v)
	}
	if dinPair(&Part{Text: "salahuddin"}, &Part{Text: "nooruddin"}) {
		t.Error("two compounds taken for a compound and its half")
	}
}
