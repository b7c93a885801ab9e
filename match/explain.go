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

// combine adds qualifier evidence adj (log-odds) to name score p.
func combine(p, adj float64) float64 {
	if adj == 0 {
		return p
	}
	p = min(max(p, 1e-4), 0.995)
	return 1 / (1 + math.Exp(-(math.Log(p/(1-p)) + adj)))
}

// qualifiers returns the log-odds adjustment from birth date,
// nationality, gender and identifiers; when feats is non-nil it appends
// their explanation lines.
func qualifiers(e *entry, qd score.Date, nat string, g uint8, qid string, feats *[]Feature) float64 {
	adj := 0.0
	add := func(f Feature) {
		adj += f.Score * f.Weight
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
	return adj
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
	feats := make([]Feature, 0, 2+len(res.Pairs)+score.NFeatures+5)
	nf := Feature{Feature: "name", Query: q.Name, Candidate: n.raw, Score: round(ns), Weight: 1}
	switch {
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
	qualifiers(e, qd, q.Nationality, g, qid, &feats)
	return feats
}

func round(x float64) float64 {
	return float64(int64(x*10000+0.5)) / 10000
}
