package score

import "math"

// NameBound returns an upper bound of CompareNames(q, r, …, org).Score,
// worked out without comparing the parts' spellings: from their kinds,
// weights and Far masks, and the skeletons of merged neighbours. A caller
// that needs a name to score above some value skips the comparison when
// the bound says it cannot (same results, less work).
//
// It holds because every pair CompareNames can form is one of: a single
// pair that kindSim scores above 0 or that is compared by spelling (its
// Far bit clear, or a typo pair); a merged pair that passes mergePairs'
// checks; or a single pair extended by a neighbour whose joined skeleton
// is near its partner (extendPairs). Every similarity is at most 1, every
// feature is at least 0, so the model's score is at most what the parts
// that may match would give at full similarity, with each feature of a
// positive weight at its largest and each of a negative weight at 0.
// TestNameBound checks it against CompareNames on the lists.
func NameBound(q, r []Part, org bool, memo *Memo) float64 { return nameBound(q, r, org, true, memo) }

// NameBoundQuick is a looser bound than NameBound (never below it) that
// skips the skeletons of merged neighbours: any joinable neighbour that
// a merge or an extension might take counts as matched. A caller tries it
// first and NameBound only when it does not rule the name out.
func NameBoundQuick(q, r []Part, org bool) float64 { return nameBound(q, r, org, false, nil) }

// nameBound is NameBound, or NameBoundQuick without joins; memo (nil:
// none) remembers joined skeletons within a query.
func nameBound(q, r []Part, org, joins bool, memo *Memo) float64 {
	if len(q) == 0 || len(r) == 0 || len(q) > 16 || len(r) > 16 {
		return 0
	}
	var pq, pr uint32 // parts that may be matched
	var single [16]uint32
	for i := range q {
		qk := joinable(q[i].Kind) // no kind of kindSim's
		for j := range r {
			if qk && joinable(r[j].Kind) {
				if r[j].Far>>i&1 != 0 && !typoPair(q[i].Text, r[j].Text) {
					continue
				}
			} else if v, ok := kindSim(&q[i], &r[j]); ok {
				if v == 0 {
					continue
				}
			} else if r[j].Far>>i&1 != 0 && !typoPair(q[i].Text, r[j].Text) {
				continue
			}
			single[i] |= 1 << j
			pq |= 1 << i
			pr |= 1 << j
		}
	}
	var sk [128]byte
	// Merged pairs, either side: two neighbours joined near a part of the
	// other side (mergePairs with nothing used yet is the widest).
	merged := func(x, y []Part, px, py *uint32, query bool) {
		for i := 0; i+1 < len(x); i++ {
			if !mergeable(x[i], x[i+1], y, 0) {
				continue
			}
			if !joins {
				*px |= 3 << i
				*py |= 1<<len(y) - 1
				continue
			}
			ms := memo.joinSkel(x, i, query, sk[:0])
			for j := range y {
				if skelNear(string(ms), y[j].Skel) {
					*px |= 3 << i
					*py |= 1 << j
				}
			}
		}
	}
	merged(q, r, &pq, &pr, true)
	merged(r, q, &pr, &pq, false)
	// Single pairs extended by a neighbour (extendPairs).
	extend := func(x []Part, i, nb int, y *Part, query bool) bool {
		if nb < 0 || nb >= len(x) || !joinable(x[nb].Kind) || !joinable(x[i].Kind) || !joinable(y.Kind) {
			return false
		}
		if !joins {
			return true
		}
		return skelNear(string(memo.joinSkel(x, min(i, nb), query, sk[:0])), y.Skel)
	}
	for i := range q {
		for j := range r {
			if single[i]>>j&1 == 0 {
				continue
			}
			for _, nb := range [2]int{i + 1, i - 1} {
				if nb >= 0 && nb < len(q) && pq>>nb&1 == 0 && extend(q, i, nb, &r[j], true) {
					pq |= 1 << nb
				}
			}
			for _, nb := range [2]int{j + 1, j - 1} {
				if nb >= 0 && nb < len(r) && pr>>nb&1 == 0 && extend(r, j, nb, &q[i], false) {
					pr |= 1 << nb
				}
			}
		}
	}
	// With no pair at all the model still gives a (small) score.
	return boundScore(q, r, pq, pr, org)
}

// boundScore is the model's largest score when at most the parts pq, pr
// are matched.
func boundScore(q, r []Part, pq, pr uint32, org bool) float64 {
	var wq, wr, mq, mr, uq, ur, um float64
	bare := false
	for i := range q {
		wq += q[i].Weight
		if pq>>i&1 != 0 {
			mq += q[i].Weight
		}
		if distinctKind(q[i].Kind) {
			uq += q[i].Weight
		}
		bare = bare || q[i].Bare
	}
	for j := range r {
		pw := r[j].Weight * posWeight(j, len(r))
		wr += pw
		if pr>>j&1 != 0 {
			mr += pw
		}
		if distinctKind(r[j].Kind) {
			if j == 0 || j == len(r)-1 {
				ur += r[j].Weight
			} else {
				um += r[j].Weight
			}
		}
		bare = bare || r[j].Bare
	}
	if !(wq > 0 && wr > 0) {
		return 1
	}
	cq, cr := min(mq/wq, 1), min(mr/wr, 1)
	blend := queryShare*cq + recordShare*cr
	if blend >= 1-boundSlack {
		return 1 // the same parts may all match: CompareNames may say 1
	}
	var x [NFeatures]float64
	x[FBlend], x[FCoverQ], x[FCoverR], x[FMinSim] = blend, cq, cr, 1
	x[FUnmatchedQ], x[FUnmatchedR], x[FUnmatchedMid] = uq, ur, um
	if len(r) >= 2 && pr&1 != 0 {
		family := pr&(1<<(len(r)-1)) != 0
		for j := 1; j < len(r) && !family; j++ {
			family = r[j].Family && pr&(1<<j) != 0
		}
		if family {
			x[FEnds] = 1
		}
	}
	x[FEvidence] = min(mq, 2)
	if len(q) > 1 || len(r) > 1 {
		x[FSingle] = 1
	}
	x[FConflict] = -logApprox(numberClash * legalClash)
	if bare {
		x[FBare] = 1
	}
	x[FExact], x[FSkeleton] = cq, cq
	if org {
		x[FOrg], x[FOrgCoverQ], x[FOrgEvidence] = 1, cq, x[FEvidence]
	}
	z := Calibration.Bias
	for k, w := range Calibration.W {
		if w > 0 {
			z += w * x[k]
		}
	}
	return 1 / (1 + math.Exp(-(z + boundSlack)))
}

// boundSlack covers the rounding of sums taken in another order.
const boundSlack = 1e-9
