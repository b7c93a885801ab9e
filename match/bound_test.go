package match

import (
	"math/rand/v2"
	"testing"

	"concord/match/score"
)

// TestNameBoundLists checks score.NameBound, score.NameBoundSims and
// score.Memo against the comparison on the UN and OFAC lists: for list
// names and perturbations of them, every name scores the same with the
// memo as without, and every name of every candidate scores at most its
// bound by similarities, which is at most its bound (skipped without the
// data).
func TestNameBoundLists(t *testing.T) {
	recs := append(loadUN(t), loadOFAC(t)...)
	ix := Build(func(yield func(Record) bool) {
		for _, r := range recs {
			if !yield(r.Record) {
				return
			}
		}
	})
	rng := rand.New(rand.NewPCG(3, 3))
	pairs, tight := 0, 0
	step := 5
	if raceEnabled {
		step = 100
	}
	for k := 0; k < len(recs); k += step {
		names := append([]string{}, recs[k].Names...)
		p, _ := perturb(rng, names[0])
		names = append(names, p)
		names = append(names, recs[k].Original...)
		for _, qn := range names {
			s := ix.getScratch()
			qc, ok := ix.prepQuery(s, Query{Name: qn})
			if !ok {
				ix.putScratch(s)
				continue
			}
			ix.candidates(s)
			for _, c := range s.cands {
				e := &ix.slots[c.slot]
				for ni := range e.names {
					n := &e.names[ni]
					r := ix.recordParts(s, e, n, qc.logN)
					got := ix.compareName(s, n, r, orgRecord(e.schema))
					if plain := score.CompareNames(s.sp, r, nil, orgRecord(e.schema)).Score; got != plain*nameFactor(n, s.translated) {
						t.Errorf("%q against %q (%s): %v with the memo, %v without", qn, n.raw, e.id, got, plain)
					}
					b := score.NameBound(s.sp, r, orgRecord(e.schema), &s.memo)
					if b0 := score.NameBound(s.sp, r, orgRecord(e.schema), nil); b0 != b {
						t.Errorf("%q against %q (%s): bound %v with the memo, %v without", qn, n.raw, e.id, b, b0)
					}
					sb := score.NameBoundSims(s.sp, r, orgRecord(e.schema), &s.memo)
					if sb0 := score.NameBoundSims(s.sp, r, orgRecord(e.schema), nil); sb0 != sb {
						t.Errorf("%q against %q (%s): bound by similarities %v with the memo, %v without", qn, n.raw, e.id, sb, sb0)
					}
					if sb > b {
						t.Errorf("%q against %q (%s): bound by similarities %v above the bound %v", qn, n.raw, e.id, sb, b)
					}
					sb *= nameFactor(n, s.translated)
					pairs++
					if got > sb {
						t.Errorf("%q against %q (%s): score %v above its bound by similarities %v", qn, n.raw, e.id, got, sb)
					}
					if sb < 0.5 {
						tight++
					}
				}
			}
			ix.putScratch(s)
		}
	}
	t.Logf("%d name pairs, %d bounded under 0.5", pairs, tight)
}

// TestNameNeed checks that nameNeed never refuses a name score that
// combine, with the qualifiers, brings to need: scoreEntry's bounds then
// let through every name the exact test would.
func TestNameNeed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	needs := []float64{0, 1e-9, 1e-6, 0.5, 0.8, 0.85, 0.99, 0.995, 1}
	adjs := []float64{0, -9, -4, -1e-12, 1e-12, 0.5, 5, 6, 11, 40}
	edges := []float64{0, 1e-5, 1e-4, 0.5, liftFloor - 1e-12, liftFloor, 0.8, 0.995, 0.999, 1}
	for range 200_000 {
		need, adj := needs[rng.IntN(len(needs))], adjs[rng.IntN(len(adjs))]
		if rng.IntN(2) == 0 {
			need = rng.Float64()
		}
		if rng.IntN(2) == 0 {
			adj = rng.NormFloat64() * 5
		}
		q := qual{adj: adj}
		if rng.IntN(2) == 0 {
			// An agreement that lifts only a name reaching liftFloor.
			q.lift = rng.Float64() * 3
			if rng.IntN(2) == 0 {
				q.adj += q.lift
			}
		}
		p := rng.Float64()
		if rng.IntN(4) == 0 {
			p = edges[rng.IntN(len(edges))]
		}
		low := nameNeed(need, q)
		// p just at the inverse, where rounding decides.
		if rng.IntN(3) == 0 && low > 0 {
			p = low + nameNeedSlack + (rng.Float64()-0.5)*1e-12
		}
		if clamp01(combine(p, q)) >= need && p < low {
			t.Fatalf("need %v qualifiers %+v: p %v reaches it, nameNeed says %v", need, q, p, low)
		}
	}
}
