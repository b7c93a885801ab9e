package score

import (
	"slices"
	"strings"
	"testing"

	"concord/match/keys"
	"concord/match/normalize"
)

// parts turns "word word …" into parts: the kind, bareness, family flag
// and weight of each part, and which query parts it is far from, drawn
// from seed, so that a fuzzed input reaches every branch of the bound.
func boundParts(s string, seed uint64) []Part {
	var out []Part
	for i, w := range strings.Fields(strings.ToLower(s)) {
		if len(out) == 16 {
			break
		}
		x := seed>>(i*4%60) ^ uint64(i)*0x9e3779b97f4a7c15
		p := Part{Text: w, Skel: keys.Skeleton(w), Weight: 0.05 + float64(x%20)/20}
		p.Kind = normalize.Kind(x >> 8 % 9)
		if p.Kind == normalize.KindInitial {
			p.Text = w[:1]
		}
		p.Bare = x>>12&7 == 0
		p.Family = x>>15&3 == 0
		p.Chain = uint8(x >> 17 % 3)
		if x>>19&1 == 0 {
			p.Far = uint32(x >> 20)
		}
		out = append(out, p)
	}
	return out
}

// checkBound checks that CompareNames' score ≤ NameBoundSims ≤ NameBound,
// with and without a memo.
func checkBound(t *testing.T, q, r []Part, org bool) {
	t.Helper()
	got := CompareNames(q, r, nil, org).Score
	var memo Memo
	memo.Reset()
	if m := CompareNamesMemo(q, r, nil, org, &memo).Score; m != got {
		t.Errorf("CompareNamesMemo(%+v, %+v, %v) = %v, without the memo %v", q, r, org, m, got)
	}
	b, s := NameBound(q, r, org, nil), NameBoundSims(q, r, org, nil)
	if bm, sm := NameBound(q, r, org, &memo), NameBoundSims(q, r, org, &memo); bm != b || sm != s {
		t.Errorf("bounds of (%+v, %+v, %v) with a memo %v, %v; without %v, %v", q, r, org, bm, sm, b, s)
	}
	// Record parts that know their joined skeletons' lengths bound alike.
	withLens := slices.Clone(r)
	for j := 0; j+1 < len(withLens); j++ {
		withLens[j].JoinLen = uint8(min(len(keys.Skeleton(withLens[j].Text+withLens[j+1].Text)), 254)) + 1
	}
	if bl, sl := NameBound(q, withLens, org, &memo), NameBoundSims(q, withLens, org, &memo); bl != b || sl != s {
		t.Errorf("bounds of (%+v, %+v, %v) with JoinLen %v, %v; without %v, %v", q, r, org, bl, sl, b, s)
	}
	if got > s {
		t.Errorf("NameBoundSims(%+v, %+v, %v) = %v, below the score %v", q, r, org, s, got)
	}
	if s > b {
		t.Errorf("NameBoundSims(%+v, %+v, %v) = %v, above NameBound %v", q, r, org, s, b)
	}
	// NameMayReach asks NameBound, then NameBoundSims if it accepted it,
	// and answers as the tightest does.
	for _, need := range []float64{0, s, s + 1e-6, b, b + 1e-6} {
		var asked []float64
		ok := NameMayReach(q, r, org, &memo, func(ub float64) bool {
			asked = append(asked, ub)
			return ub >= need
		})
		want := []float64{b, s}
		if len(q) == 0 || len(r) == 0 || len(q) > 16 || len(r) > 16 {
			want = []float64{0}
		} else if b < need {
			want = want[:1]
		}
		if ok != (want[len(want)-1] >= need) || !slices.Equal(asked, want) {
			t.Errorf("NameMayReach(%+v, %+v, %v) needing %v: asked %v (%v), want %v", q, r, org, need, asked, ok, want)
		}
	}
}

// The bounds are never below CompareNames' score, whatever the parts' kinds,
// weights and Far masks (match's TestNameBoundLists checks it on the lists).
func TestNameBound(t *testing.T) {
	tests := []struct{ q, r string }{
		{"mohammed ali hassan", "mohamed yusuf"},
		{"salah din zidane", "mohammed salahdin abdhalim zidane"},
		{"abu bakr baghdadi", "abubakr al baghdadi"},
		{"innocent kaina", "innocentkaina"},
		{"falcon trading llc", "falcon trading limited liability company"},
		{"kim hyok chol", "kim hyokchol"},
		{"a", "b"},
		// Session 11: Sayyid (a title that meets names, counted only
		// when matched), a merge taking back a part from a single pair,
		// names of one part in a script without short vowels.
		{"sayyid ahmd shhid khil", "said ahmed shahidkhel"},
		{"sayyid mohammed haqqani", "mohammed haqqani"},
		{"mtiulla", "matiulla"},
		{"abdrhmn", "abdrehman"},
		// Session 13: the person's own name of a filiation chain.
		{"mutanga gedeon kyungu", "gedeon kyungu mutanga bafunkwa kanonga"},
		{"adel soltane", "adel azhar youssef soltane"},
		{"badi salahidin", "salah badi"},
		{"saladin omar", "sala omar"},
	}
	for _, tt := range tests {
		for seed := uint64(0); seed < 200; seed++ {
			checkBound(t, boundParts(tt.q, seed), boundParts(tt.r, seed*7+1), seed%2 == 0)
		}
	}
	// Far parts that share nothing bound the score well below a match.
	q := []Part{{Text: "mohammed", Skel: "mhmt", Weight: 0.1}, {Text: "yusuf", Skel: "ysf", Weight: 0.9}}
	r := []Part{{Text: "mohammed", Skel: "mhmt", Weight: 0.1, Far: 2}, {Text: "karimov", Skel: "krmf", Weight: 0.9, Far: 3}}
	if b := NameBound(q, r, false, nil); b >= 0.5 {
		t.Errorf("one common part: bound %v", b)
	}
}

func FuzzNameBound(f *testing.F) {
	f.Add("mohammed ali hassan", "mohamed yusuf", uint64(1), false)
	f.Add("salah din", "salahdin", uint64(0), false)
	f.Add("falcon trading llc", "falcon trading ltd", uint64(99), true)
	f.Add("abd al rahman", "abdalrahman", uint64(12345), false)
	f.Add("sayyid ahmd shhid khil", "said ahmed shahidkhel", uint64(7), false)
	f.Add("mtiulla", "matiulla", uint64(4096), false)
	f.Add("badi salahidin", "salah badi", uint64(77), false)
	f.Fuzz(func(t *testing.T, a, b string, seed uint64, org bool) {
		q, r := boundParts(a, seed), boundParts(b, seed^0xabcdef)
		for _, p := range append(q, r...) {
			if p.Text == "" || len(p.Text) > 64 {
				return
			}
		}
		checkBound(t, q, r, org)
	})
}
