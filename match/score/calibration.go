package score

// Calibration is the name-score model, written by `concord eval fit`
// (77898 rows of the tuning sets, seed 1; bias shifted +1.90 so that 0.80 flags 0.32% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -11.985126,
	W: [NFeatures]float64{
		5.346965,  // blend
		4.204829,  // cover_query
		2.700021,  // cover_record
		-1.106647, // min_part_sim
		0.577803,  // unmatched_query
		-0.052572, // unmatched_record
		-1.917437, // unmatched_middle
		0.962852,  // record_ends
		1.507311,  // evidence
		0.434222,  // single_part
		-0.058351, // structure_conflict
		-0.051732, // arabic_script
		1.720445,  // exact_share
		3.391743,  // organisation
		-2.653881, // org_cover_query
		-0.673991, // org_evidence
		1.458322,  // skeleton_share
	},
}
