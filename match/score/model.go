package score

import "math"

// The name score is a calibrated probability: a logistic regression over
// the features of one name comparison, fitted on the tuning pairs of
// `concord eval fit` (matches and non-matches the engine ranked, from the
// tuning half of the lists and of the name stock). Its weights are in
// calibration.go, written by that command, and printed in every
// explanation. So a score of 0.80 means the same for a two-part Uzbek name
// and a five-part Arabic one: among comparisons that scored 0.80 on the
// tuning pairs, about eight in ten were the same name.

// Features of a name comparison.
const (
	FBlend        = iota // the coverage blend (0.7 query share + 0.3 record share, evidence factor, structure)
	FCoverQ              // weighted share of the query name matched
	FCoverR              // weighted share of the record name matched (middle parts half)
	FMinSim              // the lowest similarity among matched pairs
	FUnmatchedQ          // rarity weight of the query's distinctive parts left unmatched
	FUnmatchedR          // rarity weight of the record's first and last distinctive parts left unmatched
	FUnmatchedMid        // rarity weight of the record's middle parts left unmatched (dropped middle names)
	FEnds                // the record's first part and its family name (its last part, or a part written as the family name) both matched
	FEvidence            // rarity weight matched (capped at 2)
	FSingle              // one part matched of names with more
	FConflict            // −log of the structure factor (swapped generations, clashing numbers or legal forms)
	FBare                // a side transliterated from Arabic script
	FExact               // share of the query's weight matched by the same spelling
	FOrg                 // the record is an organisation (not a person)
	FOrgCoverQ           // FOrg × FCoverQ: organisations' words weigh otherwise
	FOrgEvidence         // FOrg × FEvidence
	FSkeleton            // share of the query's weight matched by parts with the same consonant skeleton
	NFeatures
)

// FeatureNames name the features in explanations and in the fit's output.
var FeatureNames = [NFeatures]string{"blend", "cover_query", "cover_record", "min_part_sim", "unmatched_query", "unmatched_record", "unmatched_middle", "record_ends", "evidence", "single_part", "structure_conflict", "arabic_script", "exact_share", "organisation", "org_cover_query", "org_evidence", "skeleton_share"}

// Model is a logistic regression: P = 1 / (1 + exp(−(Bias + Σ W·x))).
type Model struct {
	Bias float64
	W    [NFeatures]float64
}

// Calibrated returns the model's probability for features x.
func Calibrated(x *[NFeatures]float64) float64 { return Calibration.Prob(x) }

// Prob returns the model's probability for x.
func (m *Model) Prob(x *[NFeatures]float64) float64 {
	z := m.Bias
	for i, w := range m.W {
		z += w * x[i]
	}
	return 1 / (1 + math.Exp(-z))
}
