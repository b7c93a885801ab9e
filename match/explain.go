package match

import (
	"math"
	"strings"

	"concord/match/score"
)

// Qualifier weights, in log-odds: the evidence a feature adds to the name
// score's logit at agreement +1 (pos) and at disagreement -1 (neg). A full
// birth date that agrees multiplies the odds by e⁵ ≈ 150 (a year only that
// agrees, by e^2.5), one that conflicts divides them by e⁴ ≈ 55; a
// document number equal on both sides multiplies them by e⁶.
const (
	datePos, dateNeg     = 5.0, 4.0
	natPos, natNeg       = 0.5, 1.0
	genderPos, genderNeg = 0.2, 2.0
	idPos                = 6.0
)

// liftFloor is the name score below which a birth date known only in
// part (a year, a year and month, a near date), a nationality or a gender
// that agrees adds nothing: they qualify a name, they do not make one. A
// birth year is shared by one traveller in a few dozen, so without the
// floor a name that is not a match (0.27, one common part of three)
// became an alert (0.82) on the year alone. Conflicts still count at any
// name score; a full birth date or a document number equal on both sides
// lifts any name.
const liftFloor = 0.6

// qual is the qualifiers' evidence in log-odds: adj in all, of which lift
// comes from an agreeing partial birth date, nationality and gender.
type qual struct{ adj, lift float64 }

// combine adds qualifier evidence q to name score p (the agreeing part
// only when p reaches liftFloor). It is nondecreasing in p, so a bound
// on the name is a bound on the total.
func combine(p float64, q qual) float64 {
	adj := q.adj
	if p < liftFloor {
		adj -= q.lift
	}
	if adj == 0 {
		return p
	}
	p = min(max(p, 1e-4), 0.995)
	return 1 / (1 + math.Exp(-(math.Log(p/(1-p)) + adj)))
}

// qualifiers returns the log-odds adjustment from birth date,
// nationality, gender and identifiers; when feats is non-nil it appends
// their explanation lines, with weight 0 for an agreement that does not
// count because the name score ns is below liftFloor.
func qualifiers(e *entry, qd score.Date, nat string, g uint8, qid string, feats *[]Feature, ns float64) qual {
	var q qual
	add := func(f Feature) {
		v := f.Score * f.Weight
		q.adj += v
		if v > 0 && f.Feature != "identifier" && (f.Feature != "birth_date" || f.Score < 1) {
			q.lift += v
			if ns < liftFloor {
				f.Weight = 0
			}
		}
		if feats != nil {
			*feats = append(*feats, f)
		}
	}
	if o, i := score.CompareDates(qd, e.dates); o != score.DateNone {
		v := score.DateScore[o]
		w := datePos
		if v < 0 {
			w = dateNeg
		}
		f := Feature{Feature: "birth_date", Score: v, Weight: w}
		if feats != nil {
			f.Query, f.Candidate = dateString(qd), e.rawDates()[i]
		}
		add(f)
	}
	if nat != "" && len(e.nats()) > 0 {
		f := Feature{Feature: "nationality", Query: nat, Score: -1, Weight: natNeg, Candidate: strings.Join(e.nats(), ",")}
		for _, n := range e.nats() {
			if strings.EqualFold(n, nat) {
				f.Score, f.Weight, f.Candidate = 1, natPos, n
				break
			}
		}
		add(f)
	}
	if g != 0 && e.gender != 0 {
		f := Feature{Feature: "gender", Query: genderName(g), Candidate: genderName(e.gender), Score: 1, Weight: genderPos}
		if g != e.gender {
			f.Score, f.Weight = -1, genderNeg
		}
		add(f)
	}
	if qid != "" && len(e.ids()) > 0 {
		best, bi := 0.0, 0
		for i, id := range e.ids() {
			if v := score.CompareIDs(qid, id); v > best {
				best, bi = v, i
			}
		}
		if best > 0 {
			add(Feature{Feature: "identifier", Query: qid, Candidate: e.rawIDs()[bi], Score: best, Weight: idPos})
		}
	}
	return q
}

func genderName(g uint8) string {
	switch g {
	case 1:
		return "male"
	case 2:
		return "female"
	}
	return ""
}

func dateString(d score.Date) string {
	b := []byte{byte('0' + d.Y/1000), byte('0' + d.Y/100%10), byte('0' + d.Y/10%10), byte('0' + d.Y%10)}
	if d.M != 0 {
		b = append(b, '-', '0'+d.M/10, '0'+d.M%10)
		if d.D != 0 {
			b = append(b, '-', '0'+d.D/10, '0'+d.D%10)
		}
	}
	return string(b)
}

// explain builds the explanation of a hit on record name ni.
func (ix *Index) explain(s *scratch, e *entry, ni int, q Query, qd score.Date, g uint8, qid string, logN float64) []Feature {
	n := &e.names[ni]
	r := ix.recordParts(s, e, n, logN)
	res := score.CompareNamesMemo(s.sp, r, s.pairs, orgRecord(e.schema), &s.memo)
	s.pairs = res.Pairs
	f := nameFactor(n, q.translated)
	ns := res.Score * f
	if shortAcronym(n) {
		ns = min(ns, shortAcronymCap)
	}
	feats := make([]Feature, 0, 2+len(res.Pairs)+score.NFeatures+5)
	nf := Feature{Feature: "name", Query: q.Name, Candidate: n.raw, Score: round(ns), Weight: 1}
	switch {
	case shortAcronym(n):
		nf.Feature = "name.short_acronym" // acronym.go: capped at shortAcronymCap
	case n.weak:
		nf.Feature = "name.weak_alias"
	case f != 1:
		nf.Feature = "name.translated" // orgtranslate.go: scored translatedFactor of the match
	}
	feats = append(feats, nf)
	for _, p := range res.Pairs {
		qt, w := s.sp[p.Q].Text, s.sp[p.Q].Weight
		if p.Q2 >= 0 {
			qt += " " + s.sp[p.Q2].Text
			w += s.sp[p.Q2].Weight
		}
		rt := r[p.R].Text
		if p.R2 >= 0 {
			rt += " " + r[p.R2].Text
		}
		feats = append(feats, Feature{Feature: "name.part", Query: qt, Candidate: rt, Score: round(p.Sim), Weight: round(w)})
	}
	// The calibration model: each feature's value and weight, then the
	// bias (the name score is the logistic of their sum).
	for i, x := range res.X {
		feats = append(feats, Feature{Feature: "name.model", Query: score.FeatureNames[i], Score: round(x), Weight: round(score.Calibration.W[i])})
	}
	feats = append(feats, Feature{Feature: "name.model", Query: "bias", Score: 1, Weight: round(score.Calibration.Bias)})
	qualifiers(e, qd, q.Nationality, g, qid, &feats, ns)
	return feats
}

func round(x float64) float64 {
	return float64(int64(x*10000+0.5)) / 10000
}
