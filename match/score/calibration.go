package score

// Calibration is the name-score model, written by `concord eval fit`
// (77829 rows of the tuning sets, seed 1; bias shifted +1.65 so that 0.80 flags 0.34% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -11.961955,
	W: [NFeatures]float64{
		5.742075,  // blend
		5.115717,  // cover_query
		2.493758,  // cover_record
		-1.063667, // min_part_sim
		0.779601,  // unmatched_query
		0.141619,  // unmatched_record
		-1.823303, // unmatched_middle
		0.979067,  // record_ends
		1.383631,  // evidence
		0.424364,  // single_part
		-0.042408, // structure_conflict
		-0.068464, // arabic_script
		1.805791,  // exact_share
		2.898683,  // organisation
		-2.065183, // org_cover_query
		-0.718858, // org_evidence
	},
}
