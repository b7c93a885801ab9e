package score

// Calibration is the name-score model, written by `concord eval fit`
// (77767 rows of the tuning sets, seed 1; bias shifted +1.45 so that 0.80 flags 0.32% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -15.332765,
	W: [NFeatures]float64{
		5.276773,  // blend
		4.749296,  // cover_query
		1.442149,  // cover_record
		5.359834,  // min_part_sim
		0.625303,  // unmatched_query
		-0.606183, // unmatched_record
		-1.930075, // unmatched_middle
		0.883171,  // record_ends
		1.547803,  // evidence
		-0.200802, // single_part
		0.184172,  // structure_conflict
		-0.932666, // arabic_script
	},
}
