package score

import (
	"math"

	"concord/match/normalize"
)

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
// is near its partner (extendPairs). Every similarity is at most 1, so the
// model's score is at most what boundScore gives when each part that may
// match does so at its largest similarity. TestNameBound checks it against
// CompareNames, FuzzNameBound on any parts, TestNameBoundLists on the lists.
func NameBound(q, r []Part, org bool, memo *Memo) float64 {
	var b bounder
	if !b.init(q, r, org, memo) {
		return 0
	}
	b.reach()
	return b.score(false)
}

// NameBoundSims is a tighter bound than NameBound (never above it): a
// single pair compared by spelling counts at the similarity CompareNames
// gives it (from memo, which keeps it for the comparison that may
// follow), rather than at 1.
func NameBoundSims(q, r []Part, org bool, memo *Memo) float64 {
	var b bounder
	if !b.init(q, r, org, memo) {
		return 0
	}
	b.reach()
	return b.score(true)
}

// NameMayReach reports whether CompareNames(q, r, …, org) may score what
// the caller needs: enough is called with NameBound, then, if it accepts
// it, with NameBoundSims, and the answer is whether it accepted both. The
// two share their work (the pairs that may match are found once).
func NameMayReach(q, r []Part, org bool, memo *Memo, enough func(bound float64) bool) bool {
	var b bounder
	if !b.init(q, r, org, memo) {
		return enough(0)
	}
	b.reach()
	return enough(b.score(false)) && enough(b.score(true))
}

// bounder holds what the bounds of one pair of names share.
type bounder struct {
	q, r []Part
	org  bool
	memo *Memo
	// single[i] has bit j when q[i] and r[j] may match as a pair; spelt[i]
	// when that pair is compared by spelling (typo[i]: as a typo pair).
	single, spelt, typo [16]uint32
	// kq[i], kr[j]: the largest similarity of the parts' pairs by kind
	// (typed parts, initials); kskel has bit i when such a pair of q[i]
	// has one skeleton (FSkeleton).
	kq, kr [16]float64
	kskel  uint32
	// mq, mr: the parts that merges and extensions may match (reach).
	mq, mr uint32
	// wq, wr: countedWeights(q, r, 0, 0), which both bound scores use.
	wq, wr float64
}

// plainKind reports kinds that kindSim leaves to the ordinary comparison
// whatever they meet (not titles, initials or typed parts).
func plainKind(k normalize.Kind) bool {
	return joinable(k) && k != normalize.KindTitle
}

// init finds the pairs that may match; false when CompareNames scores 0.
func (b *bounder) init(q, r []Part, org bool, memo *Memo) bool {
	if len(q) == 0 || len(r) == 0 || len(q) > 16 || len(r) > 16 {
		return false
	}
	b.q, b.r, b.org, b.memo = q, r, org, memo
	b.wq, b.wr = countedWeights(q, r, 0, 0)
	for i := range q {
		qk := plainKind(q[i].Kind) // no kind of kindSim's
		for j := range r {
			if org && termPair(&q[i], &r[j]) {
				// One organisation word in two languages (CompareNames).
				b.single[i] |= 1 << j
				b.kq[i], b.kr[j] = max(b.kq[i], termSim), max(b.kr[j], termSim)
				if sameSkel(&q[i], &r[j]) {
					b.kskel |= 1 << i
				}
			}
			if !qk || !plainKind(r[j].Kind) {
				if v, ok := kindSim(&q[i], &r[j]); ok {
					if v > 0 {
						b.single[i] |= 1 << j
						b.kq[i], b.kr[j] = max(b.kq[i], v), max(b.kr[j], v)
						if sameSkel(&q[i], &r[j]) {
							b.kskel |= 1 << i
						}
					}
					continue
				}
			}
			if (q[i].Article || r[j].Article) && (joinedArticle(&q[i], &r[j]) || joinedArticle(&r[j], &q[i])) {
				// Lazher for al-Azhar (CompareNames): at most attachedSim.
				b.single[i] |= 1 << j
				b.kq[i], b.kr[j] = max(b.kq[i], attachedSim), max(b.kr[j], attachedSim)
				if sameSkel(&q[i], &r[j]) {
					b.kskel |= 1 << i
				}
			}
			if dinPair(&q[i], &r[j]) {
				// Salahidin for Salah (CompareNames): at most dinSim.
				b.single[i] |= 1 << j
				b.kq[i], b.kr[j] = max(b.kq[i], dinSim), max(b.kr[j], dinSim)
				if sameSkel(&q[i], &r[j]) {
					b.kskel |= 1 << i
				}
			}
			if q[i].Nick != 0 && nickPair(&q[i], &r[j]) {
				b.single[i] |= 1 << j
				b.kq[i], b.kr[j] = max(b.kq[i], nickSim), max(b.kr[j], nickSim)
				if sameSkel(&q[i], &r[j]) {
					b.kskel |= 1 << i
				}
			}
			switch {
			case r[j].Far>>i&1 == 0:
				b.spelt[i] |= 1 << j
			case typoPair(q[i].Text, r[j].Text):
				b.typo[i] |= 1 << j
			default:
				continue
			}
			b.single[i] |= 1 << j
		}
	}
	return true
}

// reach sets mq and mr to the parts that merged pairs, either side, and
// single pairs extended by a neighbour may match, by the skeletons of the
// neighbours joined (mergePairs, extendPairs).
func (b *bounder) reach() {
	q, r := b.q, b.r
	b.mq, b.mr = 0, 0
	var sk [128]byte
	// Two neighbours joined near a part of the other side (mergePairs with
	// nothing used yet is the widest).
	merged := func(x, y []Part, mx, my *uint32, query bool) {
		for i := 0; i+1 < len(x); i++ {
			if !mergeable(&x[i], &x[i+1], y, 0) {
				continue
			}
			if !query && !anyLenMayNear(x[i].JoinLen, y) {
				continue
			}
			ms := b.memo.joinSkel(x, i, query, sk[:0])
			for j := range y {
				if skelNear(string(ms), y[j].Skel) {
					*mx |= 3 << i
					*my |= 1 << j
				}
			}
		}
	}
	merged(q, r, &b.mq, &b.mr, true)
	merged(r, q, &b.mr, &b.mq, false)
	// A single pair extended by a neighbour: the pair and the neighbour
	// then match at the joined spelling's similarity.
	extend := func(x []Part, i, nb int, y *Part, query bool) bool {
		if nb < 0 || nb >= len(x) || !joinable(x[nb].Kind) || !joinable(x[i].Kind) || !joinable(y.Kind) {
			return false
		}
		if !query && !lenMayNear(x[min(i, nb)].JoinLen, y.Skel) {
			return false
		}
		return skelNear(string(b.memo.joinSkel(x, min(i, nb), query, sk[:0])), y.Skel)
	}
	for i := range q {
		for j := range r {
			if b.single[i]>>j&1 == 0 {
				continue
			}
			for _, nb := range [2]int{i + 1, i - 1} {
				if nb >= 0 && nb < len(q) && (b.mq>>nb&1 == 0 || b.mq>>i&1 == 0 || b.mr>>j&1 == 0) && extend(q, i, nb, &r[j], true) {
					b.mq |= 1<<nb | 1<<i
					b.mr |= 1 << j
				}
			}
			for _, nb := range [2]int{j + 1, j - 1} {
				if nb >= 0 && nb < len(r) && (b.mr>>nb&1 == 0 || b.mr>>j&1 == 0 || b.mq>>i&1 == 0) && extend(r, j, nb, &q[i], false) {
					b.mr |= 1<<nb | 1<<j
					b.mq |= 1 << i
				}
			}
		}
	}
}

// lenMayNear reports whether a joined skeleton whose length is known from
// a record part's JoinLen (0: not known) may be skelNear skel: skelNear
// holds only between skeletons whose lengths differ by one at most
// (EditDistance1), so a record's merge whose joined skeleton is longer or
// shorter than that is not looked up.
func lenMayNear(joinLen uint8, skel string) bool {
	if joinLen == 0 || joinLen == 0xff {
		return true // not known, or 254 bytes or more
	}
	l := int(joinLen) - 1
	d := l - len(skel)
	return d == 0 || d >= -1 && d <= 1 && l >= 3 && len(skel) >= 3
}

// anyLenMayNear is lenMayNear for some part of y.
func anyLenMayNear(joinLen uint8, y []Part) bool {
	for j := range y {
		if lenMayNear(joinLen, y[j].Skel) {
			return true
		}
	}
	return false
}

// score is the bound from the pairs and what reach set: parts of a pair
// compared by spelling at 1, or with sims at the pair's similarity.
func (b *bounder) score(sims bool) float64 {
	q, r := b.q, b.r
	var sq, sr [16]float64
	// Query parts that may be matched with one skeleton: by kind, in a
	// merge or extension (joined skeletons may be one), or spelt.
	skel := b.kskel | b.mq
	for i := range q {
		sq[i] = b.kq[i]
		if b.mq>>i&1 != 0 {
			sq[i] = 1
		}
	}
	for j := range r {
		sr[j] = b.kr[j]
		if b.mr>>j&1 != 0 {
			sr[j] = 1
		}
	}
	for i := range q {
		for j := range r {
			var v float64
			switch {
			case b.spelt[i]>>j&1 != 0:
				v = 1
				if sims {
					v = b.memo.sim(&q[i], i, &r[j], q[i].Bare || r[j].Bare)
				}
			case b.typo[i]>>j&1 != 0:
				v = 1
				if sims {
					v = b.memo.sim(&q[i], i, &r[j], false)
				}
			default:
				continue
			}
			if v > 0 && sameSkel(&q[i], &r[j]) {
				skel |= 1 << i
			}
			sq[i], sr[j] = max(sq[i], v), max(sr[j], v)
		}
	}
	bs := boundScore(q, r, &sq, &sr, skel, b.org, b.wq, b.wr)
	if len(q) == 1 && len(r) == 1 && b.single[0]&1 != 0 && bareSingle(&q[0], &r[0]) {
		bs = max(bs, bareSingleFloor(max(sq[0], sr[0]))) // CompareNames' floor for them
	}
	return bs
}

// sameSkel reports whether a single pair has one consonant skeleton, as
// CompareNames' sameSkeleton counts it.
func sameSkel(q, r *Part) bool {
	return q.Skel != "" && q.Skel == r.Skel
}

// boundScore is the model's largest score when query part i is matched at
// similarity at most sq[i] (0: not at all), with one skeleton only when
// bit i of skel is set, and record part j at similarity at most sr[j].
//
// The model is linear in its features, and each feature is bounded by what
// the parts may do: a query part adds to the coverage, evidence, exact
// and skeleton shares when matched and to the unmatched weight when not,
// so it counts the better of the two; a record part likewise; a feature no part
// decides counts at its largest when its weight is positive, at 0 (its
// least) when negative. The blend is at most 0.7 × query cover + 0.3 ×
// record cover (its evidence and structure factors are at most 1).
//
// wq and wr are countedWeights(q, r, 0, 0): an optional part counts only
// when matched, so the bound leaves it out.
func boundScore(q, r []Part, sq, sr *[16]float64, skel uint32, org bool, wq, wr float64) float64 {
	w := &Calibration.W
	pos := func(x float64) float64 { return max(x, 0) }
	if !(wq > 0 && wr > 0) {
		return 1
	}
	orgF := 0.0
	if org {
		orgF = 1
	}
	// Coefficients of the covers, the blend spread over them.
	cQ := w[FCoverQ] + orgF*w[FOrgCoverQ] + queryShare*pos(w[FBlend])
	cR := w[FCoverR] + recordShare*pos(w[FBlend])
	z := Calibration.Bias + orgF*w[FOrg]
	var mq, mr, best float64
	bare := false
	for i := range q {
		p := &q[i]
		bare = bare || p.Bare
		un := 0.0
		if distinctKind(p.Kind) {
			un = w[FUnmatchedQ] * p.Weight
		}
		if sq[i] == 0 {
			z += un
			continue
		}
		mq += p.Weight * sq[i]
		best = max(best, sq[i])
		m := pos(cQ * p.Weight * sq[i] / wq)
		if sq[i] >= 0.999 {
			m += pos(w[FExact] * p.Weight / wq)
		}
		if skel>>i&1 != 0 {
			m += pos(w[FSkeleton] * p.Weight / wq)
		}
		z += max(m, un)
	}
	end := ownEndBound(r)
	for j := range r {
		p := &r[j]
		bare = bare || p.Bare
		un := 0.0
		if distinctKind(p.Kind) {
			if j == 0 || j == len(r)-1 {
				un = w[FUnmatchedR] * p.Weight
			} else if j >= end {
				// ownEnd may count it as the name's end or a middle part.
				un = max(w[FUnmatchedR], w[FUnmatchedMid]) * p.Weight
			} else {
				un = w[FUnmatchedMid] * p.Weight
			}
		}
		if sr[j] == 0 {
			z += un
			continue
		}
		pw := p.Weight * posWeight(j, len(r))
		mr += pw * sr[j]
		z += max(pos(cR*pw*sr[j]/wr), un)
	}
	if queryShare*min(mq/wq, 1)+recordShare*min(mr/wr, 1) >= 1-boundSlack {
		return 1 // the same parts may all match: CompareNames may say 1
	}
	z += pos(w[FEvidence]+orgF*w[FOrgEvidence]) * min(mq, 2)
	z += pos(w[FMinSim]) * best
	if len(r) >= 2 && sr[0] > 0 {
		family := sr[len(r)-1] > 0 || sr[end] > 0
		for j := 1; j < len(r) && !family; j++ {
			family = r[j].Family && sr[j] > 0
		}
		if family {
			z += pos(w[FEnds])
		}
	}
	if len(q) > 1 || len(r) > 1 {
		z += pos(w[FSingle])
	}
	z += pos(w[FConflict]) * -logApprox(numberClash*legalClash)
	if bare {
		z += pos(w[FBare])
	}
	return 1 / (1 + math.Exp(-(z + boundSlack)))
}

// boundSlack covers the rounding of sums taken in another order.
const boundSlack = 1e-9
