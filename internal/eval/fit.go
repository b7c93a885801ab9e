package eval

import (
	"bytes"
	"fmt"
	"go/format"
	"io"
	"math"
	"slices"

	"concord/match"
	"concord/match/score"
)

// Row is one comparison the engine made, with its name features and
// whether it was the right record.
type Row struct {
	X     [score.NFeatures]float64
	Match bool
	Case  int  // the case it was ranked for (numbered across sets)
	Neg   bool // ranked for a negative case (a traveller who is not listed)
}

// FitRows screens at most perSet cases of each set against its index (or
// the case's, Case.Index) and
// returns a row for each of the (up to five) records ranked: the expected
// record is a match, every other one a non-match; every record ranked for
// a negative case is a non-match.
func FitRows(indexes map[string]*match.Index, sets []Set, perSet int) []Row {
	var rows []Row
	caseNo := 0
	for _, s := range sets {
		ix := indexes[s.Index]
		cases := s.Cases
		if len(cases) > perSet {
			step := float64(len(cases)) / float64(perSet)
			picked := make([]Case, 0, perSet)
			for i := 0; i < perSet; i++ {
				picked = append(picked, cases[int(float64(i)*step)])
			}
			cases = picked
		}
		for _, c := range cases {
			caseNo++
			if c.Control && c.Want != "" {
				// Another name of the person (a kunya, a former name), not
				// a spelling of the kept one: no evidence of how names vary.
				continue
			}
			cix := ix
			if c.Index != "" {
				cix = indexes[c.Index]
			}
			for _, m := range cix.Match(c.Query, match.Options{Threshold: 1e-9, Limit: 5}) {
				r := Row{Match: c.Want != "" && (slices.Contains(m.Refs, c.Want) || m.EntityID == c.Want), Case: caseNo, Neg: c.Want == ""}
				n := 0
				for _, f := range m.Explanation {
					if f.Feature != "name.model" {
						continue
					}
					for i, name := range score.FeatureNames {
						if f.Query == name {
							r.X[i] = f.Score
							n++
						}
					}
				}
				// Another record with exactly the expected name (the same
				// person on another list, not merged, or a namesake) says
				// nothing about names: left out rather than a non-match.
				if n == score.NFeatures && !(c.Want != "" && !r.Match && r.X[score.FBlend] >= 0.999) {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// Fit fits a logistic regression to rows by Newton's method with a small
// ridge penalty (lambda on the weights, not the bias).
func Fit(rows []Row, lambda float64) score.Model {
	const d = fitDim // weights, then the bias
	var w [d]float64
	x := func(r *Row, i int) float64 {
		if i == score.NFeatures {
			return 1
		}
		return r.X[i]
	}
	for iter := 0; iter < 50; iter++ {
		var g [d]float64
		var h [d][d]float64
		for k := range rows {
			r := &rows[k]
			z := 0.0
			for i := 0; i < d; i++ {
				z += w[i] * x(r, i)
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if r.Match {
				y = 1
			}
			for i := 0; i < d; i++ {
				xi := x(r, i)
				g[i] += (p - y) * xi
				for j := i; j < d; j++ {
					h[i][j] += p * (1 - p) * xi * x(r, j)
				}
			}
		}
		for i := 0; i < d; i++ {
			for j := 0; j < i; j++ {
				h[i][j] = h[j][i]
			}
			if i < score.NFeatures {
				g[i] += lambda * w[i]
				h[i][i] += lambda
			}
			h[i][i] += 1e-9
		}
		step := solve(h, g)
		maxStep := 0.0
		for i := range w {
			w[i] -= step[i]
			maxStep = max(maxStep, math.Abs(step[i]))
		}
		if maxStep < 1e-7 {
			break
		}
	}
	var m score.Model
	copy(m.W[:], w[:score.NFeatures])
	m.Bias = w[score.NFeatures]
	return m
}

// fitDim is the number of fitted coefficients: the weights and the bias.
const fitDim = score.NFeatures + 1

// solve solves h·x = g by Gaussian elimination with partial pivoting.
func solve(h [fitDim][fitDim]float64, g [fitDim]float64) [fitDim]float64 {
	n := len(g)
	a := h
	b := g
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		if a[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	var x [fitDim]float64
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		if a[r][r] != 0 {
			x[r] = s / a[r][r]
		}
	}
	return x
}

// OperatingPoint shifts m's bias so that at threshold t at most maxFlag
// of the negative cases have a record scoring t or more, with as much
// recall as that allows: the share of positive cases whose expected
// record scores t or more. The probability is thereby taken under the
// prior odds of screening, where a match is rarer than among the ranked
// tuning rows; the shift is printed with the model. It returns the shifted
// model, the flag rate and the recall at t.
func OperatingPoint(m score.Model, rows []Row, t, maxFlag float64) (score.Model, float64, float64) {
	eval := func(mm score.Model) (flag, recall float64) {
		neg, pos := map[int]bool{}, map[int]bool{}
		flagged, found := map[int]bool{}, map[int]bool{}
		for k := range rows {
			r := &rows[k]
			p := mm.Prob(&r.X)
			switch {
			case r.Neg:
				neg[r.Case] = true
				if p >= t {
					flagged[r.Case] = true
				}
			case r.Match:
				pos[r.Case] = true
				if p >= t {
					found[r.Case] = true
				}
			}
		}
		return float64(len(flagged)) / float64(max(1, len(neg))), float64(len(found)) / float64(max(1, len(pos)))
	}
	best := m
	bf, br := eval(m)
	for d := -6.0; d <= 6.0; d += 0.05 {
		mm := m
		mm.Bias += d
		f, r := eval(mm)
		if f <= maxFlag && r > br || bf > maxFlag && f < bf {
			best, bf, br = mm, f, r
		}
	}
	return best, bf, br
}

// LogLoss is the mean negative log-likelihood of rows under m, and the
// share of rows on the right side of 0.5.
func LogLoss(m score.Model, rows []Row) (loss, accuracy float64) {
	right := 0
	for k := range rows {
		p := m.Prob(&rows[k].X)
		p = min(max(p, 1e-12), 1-1e-12)
		if rows[k].Match {
			loss -= math.Log(p)
			if p >= 0.5 {
				right++
			}
		} else {
			loss -= math.Log(1 - p)
			if p < 0.5 {
				right++
			}
		}
	}
	n := float64(max(len(rows), 1))
	return loss / n, float64(right) / n
}

// WriteModel writes m as the gofmt'd Go source of match/score/calibration.go.
func WriteModel(w io.Writer, m score.Model, about string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "package score\n\n// Calibration is the name-score model, written by `concord eval fit`\n// (%s); do not edit.\nvar Calibration = Model{\n\tBias: %.6f,\n\tW: [NFeatures]float64{\n", about, m.Bias)
	for i, v := range m.W {
		fmt.Fprintf(&b, "\t\t%.6f, // %s\n", v, score.FeatureNames[i])
	}
	b.WriteString("\t},\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(src)
	return err
}
