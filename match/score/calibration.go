package score

// Calibration is the name-score model, written by `concord eval fit`
// (77898 rows of the tuning sets, seed 1; bias shifted +1.65 so that 0.80 flags 0.34% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -12.704153,
	W: [NFeatures]float64{
		5.828816,  // blend
		5.124264,  // cover_query
		2.610483,  // cover_record
		-0.512317, // min_part_sim
		0.691204,  // unmatched_query
		0.000555,  // unmatched_record
		-1.846439, // unmatched_middle
		0.918734,  // record_ends
		1.464684,  // evidence
		0.392344,  // single_part
		-0.051376, // structure_conflict
		-0.018620, // arabic_script
		1.788642,  // exact_share
		3.062779,  // organisation
		-2.237465, // org_cover_query
		-0.726374, // org_evidence
	},
}
