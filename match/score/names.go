package score

import (
	"concord/match/keys"
	"concord/match/normalize"
)

// Part is a prepared name part.
type Part struct {
	Text   string  // canonical Latin form (package normalize)
	Skel   string  // consonant skeleton (package keys)
	Weight float64 // evidence weight in (0,1]: IDF-like, rare parts near 1
	// Far (record parts only) has bit i set when the caller knows query
	// part i cannot match this part (their skeletons are more than one
	// edit apart), so the comparison is skipped. Zero compares all.
	Far uint32
	// Bare: transliterated from a script without short vowels (Arabic),
	// so vowel disagreement says little.
	Bare bool
	// Kind is the part's type (normalize.Kind): legal forms, symbols and
	// numbers meet only their own kind, by equality; an initial meets a
	// name with its first letter.
	Kind normalize.Kind
	// Chain is the part's place in a filiation chain (normalize.Token),
	// Family whether it was written as the family name.
	Chain  uint8
	Family bool
	// Article: written after an Arabic article that was dropped
	// (al-Azhar), which the other side may write joined (Lazher).
	Article bool
	// ID is the caller's id of Text, for Memo: record parts with one id
	// have one text; a query part's is Memo.QueryID's. Zero is no id.
	ID uint32
	// Nick (query parts only) says Text is a nickname (NickShort: Bob)
	// or the full name of one (NickFull: Robert), so that the
	// comparison looks the pair up in the nicknames (nickPair).
	Nick uint8
	// JoinLen (record parts only), when not zero, is one more than the
	// length of the skeleton of Text and the next part's Text written
	// together (keys.AppendSkeleton of the two joined): what NameMayReach
	// needs to know of a merge without looking the skeleton up. Zero is
	// not known (worked out when needed).
	JoinLen uint8
	// Term is normalize.OrgTerm of Text: the line of organisation words
	// across languages (Group, Jamaat, grp) that Text is a word of, or 0.
	// In an organisation's name two parts of one line meet at termSim
	// (termPair).
	Term uint8
}

// termPair reports whether two parts are words of one line of
// organisation words across languages (Army, Jaish, Lashkar), written
// differently: in an organisation's name, one word in two languages.
func termPair(q, r *Part) bool {
	return q.Term != 0 && q.Term == r.Term && q.Text != r.Text
}

// termSim is the similarity of two words of one line of organisation
// words across languages: one word, translated, and less than the same
// spelling.
const termSim = 0.95

// Nick flags of a query part.
const (
	NickShort  = 1 << iota // Text is a nickname (normalize.Nickname)
	NickFull               // Text is the full name of a nickname (normalize.HasNickname)
	NickSlavic             // Text may have another East Slavic form (normalize.EastSlavicName)
)

// NickFlags returns the Nick flags of a part's text.
func NickFlags(t string) uint8 {
	var f uint8
	if normalize.Nickname(t) != "" {
		f |= NickShort
	}
	if normalize.HasNickname(t) {
		f |= NickFull
	}
	if normalize.EastSlavicName(t) {
		f |= NickSlavic
	}
	return f
}

// nickPair reports whether one of two name parts is a nickname of the
// other (Bob, Robert): they meet at nickSim, the nickname being kept as
// written (Jon is also John respelt, and Korean JON).
func nickPair(q, r *Part) bool {
	if q.Nick&NickSlavic != 0 && slavicKind(q.Kind) && slavicKind(r.Kind) && q.Text != r.Text &&
		normalize.EastSlavicForm(q.Text) == normalize.EastSlavicForm(r.Text) {
		return true // Uladzimir, Volodymyr, Vladimir; Hryhoryavich, Grigoryevich; Lukashenka, Lukashenko: one name in Belarusian, Ukrainian and Russian
	}
	if q.Nick&(NickShort|NickFull) == 0 || q.Kind != normalize.KindName || r.Kind != normalize.KindName || q.Text == r.Text {
		return false
	}
	return q.Nick&NickShort != 0 && normalize.Nickname(q.Text) == r.Text ||
		q.Nick&NickFull != 0 && normalize.Nickname(r.Text) == q.Text
}

// slavicKind reports the kinds of part an East Slavic form is compared in:
// names and patronymics (a patronymic one table reads as such, another
// not, is still one).
func slavicKind(k normalize.Kind) bool {
	return k == normalize.KindName || k == normalize.KindPatronymic
}

// nickSim is the similarity of a nickname and its full name: one name,
// as a vowel written otherwise is, and less than the same spelling.
const nickSim = 0.93

// typed reports kinds compared by equality only.
func typed(k normalize.Kind) bool {
	return k == normalize.KindLegal || k == normalize.KindSymbol || k == normalize.KindNumber
}

// kindSim compares two parts of which one at least is typed or an
// initial; ok is false when the ordinary comparison applies.
func kindSim(q, r *Part) (float64, bool) {
	switch {
	case typed(q.Kind) || typed(r.Kind):
		if q.Kind != r.Kind {
			if q.Text == r.Text && (q.Kind == normalize.KindLegal && r.Kind == normalize.KindName || q.Kind == normalize.KindName && r.Kind == normalize.KindLegal) {
				return 1, true // one word read as a legal form where the schema was not known, as a name in a person's (Sa'd)
			}
			if q.Text == r.Text && (q.Kind == normalize.KindLegal && r.Kind == normalize.KindSymbol || q.Kind == normalize.KindSymbol && r.Kind == normalize.KindLegal) {
				return 1, true // one word read as a legal form at the end of one name and a symbol inside the other (AL-BUSTAN CHARITY, AL-BUSTAN CHARITY FOUNDATION: ngo)
			}
			return 0, true
		}
		if q.Text == r.Text {
			return 1, true
		}
		if q.Kind == normalize.KindLegal {
			if g := normalize.LegalGeneric(q.Text); g != "" && g == normalize.LegalGeneric(r.Text) {
				return 0.9, true // Ltd and LLC
			}
		}
		return 0, true
	case q.Kind == normalize.KindTitle || r.Kind == normalize.KindTitle:
		if q.Kind != r.Kind && q.Text != normalize.Sayyid && r.Text != normalize.Sayyid {
			if q.Text == r.Text && (q.Kind == normalize.KindName || r.Kind == normalize.KindName) {
				return 1, true // one word, a title before a name, a family name after it (Sheikh Elshafee, ELSHAFEE EL SHEIKH)
			}
			return 0, true // a title is not a name (Sayyid is also one: SAID AHMED for سيد أحمد)
		}
		if other := r; q.Kind != r.Kind {
			if r.Kind == normalize.KindTitle {
				other = q
			}
			if !sayyidSpelling(other.Text) {
				return 0, true // the title Sayyid against a name that is not one of its spellings (Saeed, Saad: سعيد، سعد)
			}
		}
		return 0, false
	case q.Kind == normalize.KindInitial || r.Kind == normalize.KindInitial:
		if q.Text[0] != r.Text[0] {
			return 0, true
		}
		if q.Kind == r.Kind {
			return 1, true
		}
		return initialSim, true
	}
	return 0, false
}

// sayyidSpelling reports a Latin spelling of Sayyid (سيد): s, then
// vowels and the y it writes (y, or i for the ي), then d: Sayyid, Sayed,
// Syed, Seyed, Said, Sied; with a y written, one other letter may be a
// typo (Sayyqed). Saeed, Saaed and Saad write no y or i: they are سعيد
// and سعد, other names, which the ordinary comparison would pair with
// the title (sayyid ~ saeed at 0.92).
func sayyidSpelling(s string) bool {
	if len(s) < 3 || s[0] != 's' || s[len(s)-1] != 'd' {
		return false
	}
	y, i, other := false, false, 0
	for k := 1; k < len(s)-1; k++ {
		switch s[k] {
		case 'y':
			y = true
		case 'i':
			i = true
		case 'a', 'e', 'o':
		default:
			other++
		}
	}
	return other == 0 && (y || i) || other == 1 && y
}

// initialSim is the similarity of an initial and a name it may stand for:
// weak evidence (M. Zaydan for Muhammad Zaydan).
const initialSim = 0.82

// Pair is one aligned pair of parts. Q and R index the query and record
// parts; Q2/R2 are the second part of a merged pair, or -1.
type Pair struct {
	Q, Q2, R, R2 int
	Sim          float64
}

// NameResult is the comparison of two names.
type NameResult struct {
	Score          float64
	CoverQ, CoverR float64 // weighted share of each side that was matched
	Evidence       float64 // matched query weight (sum of weights × sim)
	Pairs          []Pair
	X              [NFeatures]float64 // inputs of the calibration model
}

// Name-score blend: how much the query side and the record side coverage
// count, and how much total matched weight is needed for full confidence.
const (
	queryShare   = 0.7
	recordShare  = 0.3
	fullEvidence = 1.2
	evidenceBase = 0.75
)

// CompareNames aligns q and r and returns their score; org says the record
// is an organisation's. pairs is scratch space (may be nil) reused for the
// result's Pairs.
func CompareNames(q, r []Part, pairs []Pair, org bool) NameResult {
	return CompareNamesMemo(q, r, pairs, org, nil)
}

// CompareNamesMemo is CompareNames with the part similarities of q taken
// from memo (nil: none) when worked out before; memo must have been Reset
// since q last changed. The result is the same as CompareNames'.
func CompareNamesMemo(q, r []Part, pairs []Pair, org bool, memo *Memo) NameResult {
	res := NameResult{Pairs: pairs[:0]}
	if len(q) == 0 || len(r) == 0 || len(q) > 16 || len(r) > 16 {
		return res
	}
	var usedQ, usedR uint32
	// Singles: repeatedly take the best remaining pair, by sim × weight.
	var sims [16][16]float64
	for i := range q {
		for j := range r {
			if v, ok := kindSim(&q[i], &r[j]); ok {
				sims[i][j] = v
			} else if r[j].Far>>i&1 == 0 {
				sims[i][j] = memo.sim(&q[i], i, &r[j], q[i].Bare || r[j].Bare)
			} else if typoPair(q[i].Text, r[j].Text) {
				// A typo can move a skeleton two edits (excahnge/exchange):
				// long parts alike in length and first letter still compare,
				// on their phonetic spelling.
				sims[i][j] = memo.sim(&q[i], i, &r[j], false)
			}
			if q[i].Nick != 0 && sims[i][j] < nickSim && nickPair(&q[i], &r[j]) {
				sims[i][j] = nickSim
			}
			if sims[i][j] < attachedSim && (q[i].Article || r[j].Article) {
				sims[i][j] = max(sims[i][j], joinedArticleSim(&q[i], &r[j]))
			}
			if sims[i][j] < dinSim && (dinEnd(q[i].Text) || dinEnd(r[j].Text)) {
				sims[i][j] = max(sims[i][j], dinCompoundSim(&q[i], &r[j]))
			}
			if org && sims[i][j] < termSim && termPair(&q[i], &r[j]) {
				sims[i][j] = termSim
			}
		}
	}
	for len(res.Pairs) < len(q) && len(res.Pairs) < len(r) {
		bi, bj, best := -1, -1, 0.0
		for i := range q {
			if usedQ&(1<<i) != 0 {
				continue
			}
			for j := range r {
				if usedR&(1<<j) != 0 || sims[i][j] == 0 {
					continue
				}
				v := sims[i][j] * (q[i].Weight + r[j].Weight)
				if v > best {
					bi, bj, best = i, j, v
				}
			}
		}
		if bi < 0 {
			break
		}
		usedQ |= 1 << bi
		usedR |= 1 << bj
		res.Pairs = append(res.Pairs, Pair{Q: bi, Q2: -1, R: bj, R2: -1, Sim: sims[bi][bj]})
	}
	// Merged parts: two adjacent unmatched parts on one side against one
	// unmatched part on the other ("abu bakr"/"abubakr", "salah din").
	{
		fullQ, fullR := uint32(1)<<len(q)-1, uint32(1)<<len(r)-1
		if usedQ != fullQ && usedR != fullR {
			res.Pairs = mergePairs(q, r, &usedQ, &usedR, res.Pairs, false)
			res.Pairs = mergePairs(r, q, &usedR, &usedQ, res.Pairs, true)
		}
		if usedQ != fullQ && usedR != fullR {
			res.Pairs = stealMerged(q, r, &sims, &usedQ, &usedR, res.Pairs)
		}
		if usedQ != fullQ || usedR != fullR {
			extendPairs(q, r, &usedQ, &usedR, res.Pairs)
		}
	}

	conflict := structure(q, r, res.Pairs)

	wq, wr := countedWeights(q, r, usedQ, usedR)
	var mq, mr float64
	for _, p := range res.Pairs {
		pq, pr := pairWeights(q, r, p)
		mq += pq * p.Sim
		mr += pr * p.Sim
	}
	res.CoverQ, res.CoverR, res.Evidence = mq/wq, mr/wr, mq
	ev := mq / fullEvidence
	if ev > 1 {
		ev = 1
	}
	// Weak evidence (common parts only) lowers the score unless the whole
	// record name was matched too: an exact full-name match stands.
	mult := evidenceBase + (1-evidenceBase)*ev
	mult = 1 - (1-mult)*(1-res.CoverR)
	blend := (queryShare*res.CoverQ + recordShare*res.CoverR) * mult * conflict
	if blend > 1 {
		blend = 1
	}
	res.X = features(q, r, res.Pairs, blend, conflict, mq, wq, wr, usedQ, usedR, org)
	res.Score = Calibrated(&res.X)
	if blend == 1 {
		res.Score = 1 // the same parts: no model needed
	} else if len(q) == 1 && len(r) == 1 && len(res.Pairs) == 1 && res.Pairs[0].Q2 < 0 && res.Pairs[0].R2 < 0 && bareSingle(&q[0], &r[0]) {
		res.Score = max(res.Score, bareSingleFloor(res.Pairs[0].Sim))
	}
	return res
}

// bareSingle reports a name of one part on each side, one of them written
// in a script without short vowels, with one consonant skeleton of three
// consonants or more: مطيع الله against MATIULLAH, عبد الرحمن against
// ABDUR REHMAN, what the script writes of the name and nothing else. The
// model, fitted on names of several parts, reads one part spelt with
// other vowels as a typo of one part alone (0.70–0.75); but the script
// cannot say more, and the same name of one part spelt alike scores 1.
// bareSingleFloor then gives the score by the pair's similarity, whose
// written long vowels must agree too (mtiulla is MATIULLAH at 0.96, not
// MODELO at 0.90, with one skeleton).
func bareSingle(a, b *Part) bool {
	return (a.Bare || b.Bare) && distinctName(a.Kind) && distinctName(b.Kind) && len(a.Skel) >= 3 && a.Skel == b.Skel
}

// distinctName reports names and kunyas (not numbers, titles or typed parts).
func distinctName(k normalize.Kind) bool {
	return k == normalize.KindName || k == normalize.KindKunya
}

// bareSingleFloor is the least score of a bareSingle pair of similarity
// sim: sim less bareSingleGap from bareSingleSim up, else none.
func bareSingleFloor(sim float64) float64 {
	if sim < bareSingleSim {
		return 0
	}
	return sim - bareSingleGap
}

const (
	bareSingleSim = 0.95
	bareSingleGap = 0.05
)

// optional reports a part of x that counts only when matched: the title
// Sayyid, which one side writes as a name part (SAID AHMED, EL SAYED)
// where the other leaves it out (package normalize), in a name with two
// other parts at least (Sayyid Barakzai is not the name Barakzai alone).
func optional(x []Part, i int) bool {
	return len(x) >= 3 && x[i].Kind == normalize.KindTitle && x[i].Text == normalize.Sayyid
}

// countedWeights returns the weights of the parts of q and of r that
// count (r's by position): every part but an optional one left unmatched
// (usedQ, usedR; with none used, what the bound counts).
func countedWeights(q, r []Part, usedQ, usedR uint32) (wq, wr float64) {
	for i := range q {
		if usedQ&(1<<i) != 0 || !optional(q, i) {
			wq += q[i].Weight
		}
	}
	for j := range r {
		if usedR&(1<<j) != 0 || !optional(r, j) {
			wr += r[j].Weight * posWeight(j, len(r))
		}
	}
	return wq, wr
}

// pairWeights returns the weight a pair carries on the query side and on
// the record side (middle record parts half). A name met by an initial
// carries initialShare of its weight: M. Zaydan is weak evidence of
// Muhammad Zaydan, and a rare family name met by "A." is barely any.
func pairWeights(q, r []Part, p Pair) (wq, wr float64) {
	wq = q[p.Q].Weight
	if p.Q2 >= 0 {
		wq += q[p.Q2].Weight
	}
	wr = r[p.R].Weight * posWeight(p.R, len(r))
	if p.R2 >= 0 {
		wr += r[p.R2].Weight * posWeight(p.R2, len(r))
	}
	if p.Q2 < 0 && p.R2 < 0 {
		switch qi, ri := q[p.Q].Kind == normalize.KindInitial, r[p.R].Kind == normalize.KindInitial; {
		case ri && !qi:
			wq *= initialShare
		case qi && !ri:
			wr *= initialShare
		}
	}
	return wq, wr
}

// initialShare is the share of a name's weight that an initial standing
// for it carries.
const initialShare = 0.3

// features fills the calibration model's inputs (see calibration.go).
// wq and wr are the sides' counted weights (countedWeights).
func features(q, r []Part, pairs []Pair, blend, conflict, mq, wq, wr float64, usedQ, usedR uint32, org bool) [NFeatures]float64 {
	var x [NFeatures]float64
	x[FBlend] = blend
	var cq, cr float64
	minSim := 1.0
	bare := false
	exact, skel := 0.0, 0.0
	for _, p := range pairs {
		minSim = min(minSim, p.Sim)
		bare = bare || q[p.Q].Bare || r[p.R].Bare
		pq, pr := pairWeights(q, r, p)
		cq += pq * p.Sim
		cr += pr * p.Sim
		if p.Sim >= 0.999 {
			exact += pq
		}
		if sameSkeleton(q, r, p) {
			skel += pq
		}
	}
	x[FExact] = exact / wq
	x[FSkeleton] = skel / wq
	if len(pairs) == 0 {
		minSim = 0
	}
	x[FCoverQ], x[FCoverR], x[FMinSim] = cq/wq, cr/wr, minSim
	for i := range q {
		if usedQ&(1<<i) == 0 && distinctKind(q[i].Kind) {
			x[FUnmatchedQ] += q[i].Weight
		}
	}
	end := ownEnd(r, usedR)
	for j := range r {
		if usedR&(1<<j) == 0 && distinctKind(r[j].Kind) {
			if j == 0 || j >= end {
				x[FUnmatchedR] += r[j].Weight
			} else {
				x[FUnmatchedMid] += r[j].Weight
			}
		}
	}
	if len(r) >= 2 && usedR&1 != 0 {
		// The family name: the last part (of the person's own name, when
		// only that was matched: ownEnd), or for "FAMILY, Given" any
		// part written as the family name (a second family name left
		// out: AGUIRRE SANCHEZ, Claudia as Claudia Aguirre).
		family := usedR&(1<<end) != 0
		for j := 1; j < len(r) && !family; j++ {
			family = r[j].Family && usedR&(1<<j) != 0
		}
		if family {
			x[FEnds] = 1
		}
	}
	x[FEvidence] = min(mq, 2)
	if len(pairs) == 1 && (len(q) > 1 || len(r) > 1) {
		x[FSingle] = 1
	}
	if conflict < 1 {
		x[FConflict] = -logApprox(conflict)
	}
	if bare {
		x[FBare] = 1
	}
	if org {
		x[FOrg], x[FOrgCoverQ], x[FOrgEvidence] = 1, x[FCoverQ], x[FEvidence]
	}
	return x
}

// ownEnd returns the index of the part where the record name r ends for
// the features: its last part, or, when r is a filiation chain (bin, ibn,
// wa: Part.Chain) whose person's own name has two parts or more and no
// part of a later generation was matched (usedR), the last part of the
// person's own name. The father's and forefathers' names after it are
// what another list leaves out of the same man (GÉDÉON KYUNGU MUTANGA WA
// BAFUNKWA KANONGA written MUTANGA, Gedeon Kyungu), as a name's end is,
// not a middle name dropped from between its ends.
func ownEnd(r []Part, usedR uint32) int {
	last := len(r) - 1
	if last < 1 || r[last].Chain < 2 {
		return last
	}
	end := -1
	for j := range r {
		switch {
		case r[j].Chain == 1:
			end = j
		case r[j].Chain >= 2 && usedR&(1<<j) != 0:
			return last
		}
	}
	if end < 1 {
		return last
	}
	return end
}

// ownEndBound is ownEnd for a bound: the last part of the person's own
// name of two parts or more when r is a filiation chain, else the last
// part (which ownEnd also returns when a later part is matched).
func ownEndBound(r []Part) int {
	return ownEnd(r, 0)
}

// sameSkeleton reports whether the parts of pair p have one consonant
// skeleton (package keys), joined parts joined: what a script without
// short vowels writes of a name is the same on both sides, whatever
// vowels each table put between its consonants (Mehemed/Muhammad,
// Ebed El-letif/Abdullatif). Typed parts count by equality.
func sameSkeleton(q, r []Part, p Pair) bool {
	if p.Q2 < 0 && p.R2 < 0 {
		return q[p.Q].Skel != "" && q[p.Q].Skel == r[p.R].Skel
	}
	var ba, bb [128]byte
	return string(joinedSkel(ba[:0], q, p.Q, p.Q2)) == string(joinedSkel(bb[:0], r, p.R, p.R2))
}

// joinedSkel appends the skeleton of part i of x, joined with part i2
// when i2 ≥ 0.
func joinedSkel(dst []byte, x []Part, i, i2 int) []byte {
	if i2 < 0 {
		return append(dst, x[i].Skel...)
	}
	var buf [128]byte
	m := append(append(buf[:0], x[i].Text...), x[i2].Text...)
	return keys.AppendSkeleton(dst, string(m))
}

// distinctKind reports kinds whose parts cost when left unmatched.
func distinctKind(k normalize.Kind) bool {
	return k == normalize.KindName || k == normalize.KindKunya || k == normalize.KindNumber
}

// logApprox is the natural logarithm of the few conflict factors (products
// of 0.5, 0.7 and 0.9), exact enough for a feature.
func logApprox(f float64) float64 {
	n := 0.0
	for f < 0.999 && n < 20 {
		switch {
		case f <= 0.5+1e-9:
			f /= 0.5
			n -= 0.6931
		case f <= 0.7+1e-9:
			f /= 0.7
			n -= 0.3567
		default:
			f /= 0.9
			n -= 0.1054
		}
	}
	return n
}

// Structure penalties.
const (
	chainSwap   = 0.5 // a part matched at another place of a filiation chain
	familySwap  = 0.7 // a given name matched to a family name, both written apart
	numberClash = 0.5 // both names carry numbers and they differ
	legalClash  = 0.9 // both carry legal forms of different classes
)

// structure applies what the parts' places say: a pair matched across a
// filiation chain (Khalid bin Walid ~ Walid bin Khalid: father and son) or
// across the family/given divide of two inverted names keeps part of its
// similarity; it returns the factor for numbers and legal forms that
// clash.
func structure(q, r []Part, pairs []Pair) float64 {
	// Two matched parts whose generations are in one order on one side
	// and in the other order on the other side (a dropped generation
	// keeps the order and costs nothing here).
	var swapped uint32
	for k := range pairs {
		a1, b1 := q[pairs[k].Q].Chain, r[pairs[k].R].Chain
		if a1 == 0 || b1 == 0 {
			continue
		}
		for l := k + 1; l < len(pairs); l++ {
			a2, b2 := q[pairs[l].Q].Chain, r[pairs[l].R].Chain
			if a2 == 0 || b2 == 0 {
				continue
			}
			if a1 < a2 && b1 > b2 || a1 > a2 && b1 < b2 {
				swapped |= 1<<k | 1<<l
			}
		}
	}
	fam := hasFamily(q) && hasFamily(r)
	for k := range pairs {
		p := &pairs[k]
		if swapped&(1<<k) != 0 {
			p.Sim *= chainSwap
		} else if fam && q[p.Q].Family != r[p.R].Family && p.Q2 < 0 && p.R2 < 0 {
			p.Sim *= familySwap
		}
	}
	f := 1.0
	for _, kind := range [2]normalize.Kind{normalize.KindNumber, normalize.KindLegal} {
		uq, ur, matched := false, false, false
		for i := range q {
			if q[i].Kind == kind {
				uq = uq || !pairedQ(pairs, i)
				matched = matched || pairedQ(pairs, i)
			}
		}
		for j := range r {
			if r[j].Kind == kind && !pairedR(pairs, j) {
				ur = true
			}
		}
		if uq && ur && (kind == normalize.KindNumber || !matched) {
			if kind == normalize.KindNumber {
				f *= numberClash
			} else {
				f *= legalClash
			}
		}
	}
	return f
}

func hasFamily(ps []Part) bool {
	for i := range ps {
		if ps[i].Family {
			return true
		}
	}
	return false
}

func pairedQ(pairs []Pair, i int) bool {
	for _, p := range pairs {
		if p.Q == i || p.Q2 == i {
			return true
		}
	}
	return false
}

func pairedR(pairs []Pair, j int) bool {
	for _, p := range pairs {
		if p.R == j || p.R2 == j {
			return true
		}
	}
	return false
}

// mergePairs tries a, a+1 (both unused) of side x against an unused part
// of side y. swapped says x is the record side.
func mergePairs(x, y []Part, usedX, usedY *uint32, pairs []Pair, swapped bool) []Pair {
	if len(x) < 2 || *usedY == (1<<len(y))-1 {
		return pairs
	}
	var buf [128]byte
	var sk [128]byte
	for i := 0; i+1 < len(x); i++ {
		if *usedX&(3<<i) != 0 || !mergeable(&x[i], &x[i+1], y, *usedY) {
			continue
		}
		m := append(append(buf[:0], x[i].Text...), x[i+1].Text...)
		ms := keys.AppendSkeleton(sk[:0], string(m))
		bj, best := -1, 0.0
		for j := range y {
			if *usedY&(1<<j) != 0 {
				continue
			}
			if !skelNear(string(ms), y[j].Skel) {
				continue
			}
			if s := mergedSim(string(m), y[j].Text); s > best && s >= minMergedSim {
				bj, best = j, s
			}
		}
		if bj < 0 {
			continue
		}
		*usedX |= 3 << i
		*usedY |= 1 << bj
		p := Pair{Q: i, Q2: i + 1, R: bj, R2: -1, Sim: best}
		if swapped {
			p = Pair{Q: bj, Q2: -1, R: i, R2: i + 1, Sim: best}
		}
		pairs = append(pairs, p)
		i++
	}
	return pairs
}

// posWeight discounts the middle parts of a record name: a query that omits
// middle names (patronymics, grandfather's names) is still a good match.
func posWeight(j, n int) float64 {
	if j == 0 || j == n-1 {
		return 1
	}
	return 0.5
}

// extendPairs grows single pairs into merged ones when an unused neighbour
// concatenated with the matched part fits the partner at least as well:
// "salah" "din" against "salahdin".
func extendPairs(q, r []Part, usedQ, usedR *uint32, pairs []Pair) {
	var buf, sk [128]byte
	try := func(x []Part, used *uint32, i, nb int, y Part) (bool, float64) {
		if nb < 0 || nb >= len(x) || *used&(1<<nb) != 0 || !joinable(x[nb].Kind) || !joinable(x[i].Kind) || !joinable(y.Kind) {
			return false, 0
		}
		a, b := x[i].Text, x[nb].Text
		if nb < i {
			a, b = b, a
		}
		m := append(append(buf[:0], a...), b...)
		ms := keys.AppendSkeleton(sk[:0], string(m))
		if !skelNear(string(ms), y.Skel) {
			return false, 0
		}
		return true, mergedSim(string(m), y.Text)
	}
	for k := range pairs {
		p := &pairs[k]
		if p.Q2 >= 0 || p.R2 >= 0 || p.Sim == 1 {
			continue
		}
		for _, nb := range [2]int{p.Q + 1, p.Q - 1} {
			if ok, s := try(q, usedQ, p.Q, nb, r[p.R]); ok && s > p.Sim && s >= minMergedSim {
				*usedQ |= 1 << nb
				p.Q2, p.Sim = nb, s
				if nb < p.Q {
					p.Q, p.Q2 = nb, p.Q
				}
				break
			}
		}
		if p.Q2 >= 0 {
			continue
		}
		for _, nb := range [2]int{p.R + 1, p.R - 1} {
			if ok, s := try(r, usedR, p.R, nb, q[p.Q]); ok && s > p.Sim && s >= minMergedSim {
				*usedR |= 1 << nb
				p.R2, p.Sim = nb, s
				if nb < p.R {
					p.R, p.R2 = nb, p.R
				}
				break
			}
		}
	}
}

// stealMerged re-pairs a weak single pair whose part, joined with an
// unused neighbour, spells an unused part of the other side: the greedy
// singles take the best pair first, so one half of a compound written
// apart on one side and joined on the other (شهيد خيل against
// SHAHIDKHEL, Abdul Haq against Abdulhaq) can be taken by a loose
// partner (shhid ~ said at 0.81) before the merge is tried, leaving the
// other half and the compound unmatched. The pair is given to the merge
// when the joined spelling fits at least minMergedSim and better than the
// single pair did (mergePairs' checks); its old partner is then paired
// with the best unused part it compares with (sims), if any.
func stealMerged(q, r []Part, sims *[16][16]float64, usedQ, usedR *uint32, pairs []Pair) []Pair {
	var buf, sk [128]byte
	// best returns the unused part of y that x[i] joined with x[nb] fits
	// best, and the fit.
	best := func(x []Part, usedX uint32, i, nb int, y []Part, usedY uint32) (int, float64) {
		if nb < 0 || nb >= len(x) || usedX&(1<<nb) != 0 {
			return -1, 0
		}
		lo := min(i, nb)
		if !mergeable(&x[lo], &x[lo+1], y, usedY) {
			return -1, 0
		}
		m := append(append(buf[:0], x[lo].Text...), x[lo+1].Text...)
		ms := keys.AppendSkeleton(sk[:0], string(m))
		bj, bs := -1, 0.0
		for j := range y {
			if usedY&(1<<j) != 0 || !skelNear(string(ms), y[j].Skel) {
				continue
			}
			if s := mergedSim(string(m), y[j].Text); s > bs {
				bj, bs = j, s
			}
		}
		return bj, bs
	}
	n := len(pairs)
	for k := 0; k < n; k++ {
		p := &pairs[k]
		if p.Q2 >= 0 || p.R2 >= 0 || p.Sim >= minMergedSim {
			continue
		}
		freedQ, freedR := -1, -1
		for _, nb := range [2]int{p.Q + 1, p.Q - 1} {
			if j, s := best(q, *usedQ, p.Q, nb, r, *usedR); j >= 0 && s >= minMergedSim && s > p.Sim {
				freedR = p.R
				*usedQ |= 1 << nb
				*usedR = *usedR&^(1<<p.R) | 1<<j
				p.Q, p.Q2, p.R, p.Sim = min(p.Q, nb), max(p.Q, nb), j, s
				break
			}
		}
		if freedR < 0 {
			for _, nb := range [2]int{p.R + 1, p.R - 1} {
				if i, s := best(r, *usedR, p.R, nb, q, *usedQ); i >= 0 && s >= minMergedSim && s > p.Sim {
					freedQ = p.Q
					*usedR |= 1 << nb
					*usedQ = *usedQ&^(1<<p.Q) | 1<<i
					p.R, p.R2, p.Q, p.Sim = min(p.R, nb), max(p.R, nb), i, s
					break
				}
			}
		}
		bi, bj, bs := -1, -1, 0.0
		switch {
		case freedR >= 0:
			for i := range q {
				if *usedQ&(1<<i) == 0 && sims[i][freedR] > bs {
					bi, bj, bs = i, freedR, sims[i][freedR]
				}
			}
		case freedQ >= 0:
			for j := range r {
				if *usedR&(1<<j) == 0 && sims[freedQ][j] > bs {
					bi, bj, bs = freedQ, j, sims[freedQ][j]
				}
			}
		}
		if bi >= 0 {
			*usedQ |= 1 << bi
			*usedR |= 1 << bj
			pairs = append(pairs, Pair{Q: bi, Q2: -1, R: bj, R2: -1, Sim: bs})
		}
	}
	return pairs
}

// skelNear reports whether two skeletons are equal or one edit apart: a
// merged part is only compared with a part it may plausibly spell.
func skelNear(a, b string) bool {
	return a == b || len(a) >= 3 && len(b) >= 3 && EditDistance1(a, b)
}

// mergeable is a cheap pre-check for mergePairs: some unused part of y
// starts like a and has about as many consonants as a and b together.
func mergeable(a, b *Part, y []Part, usedY uint32) bool {
	if len(a.Skel) == 0 || len(b.Skel) == 0 || !joinable(a.Kind) || !joinable(b.Kind) {
		return false
	}
	n := len(a.Skel) + len(b.Skel)
	for j := range y {
		if usedY&(1<<j) != 0 || len(y[j].Skel) == 0 || y[j].Skel[0] != a.Skel[0] {
			continue
		}
		if d := len(y[j].Skel) - n; d >= -2 && d <= 1 {
			return true
		}
	}
	return false
}

// joinable reports kinds of parts that may be written joined to a
// neighbour: names, kunyas, patronymics, titles (Sayyedjavad for Sayyed
// Javad, Sheikhomar); not initials, legal forms, symbols or numbers.
func joinable(k normalize.Kind) bool {
	return k == normalize.KindName || k == normalize.KindKunya || k == normalize.KindPatronymic || k == normalize.KindTitle
}

func typoPair(a, b string) bool {
	if len(a) < 5 || len(b) < 5 || a[0] != b[0] {
		return false
	}
	d := len(a) - len(b)
	return d >= -1 && d <= 1
}

// mergedSim is the similarity of two parts written joined (m) with one
// part (t): their Jaro-Winkler, or minMergedSim when the joined spelling
// has the same consonants as t and only vowels apart, as a table that
// writes a vowel between every two consonants spells ʿAbd al-Laṭīf
// (Ebed El-letif for Abdullatif, Abad El-qadar for Abdelkader).
func mergedSim(m, t string) float64 {
	s := JaroWinkler(m, t)
	if s >= minMergedSim || len(m) > 32 || len(t) > 32 {
		return s
	}
	var ba, bb [32]byte
	pa, pb := phonetic(ba[:], m), phonetic(bb[:], t)
	if written(pa) >= 4 && sameConsonants(pa, pb) {
		return minMergedSim
	}
	return s
}

// minMergedSim is the similarity a merged pair needs, on spelling alone
// (Jaro-Winkler, no skeleton floor): it carries the weight of two parts,
// so a loose fit ("saliou bodian" ~ "salahudin", "asam ali" ~ "ishmael")
// would weigh double.
const minMergedSim = 0.9
