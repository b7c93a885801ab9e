package score

// Calibration is the name-score model, written by `concord eval fit`
// (77926 rows of the tuning sets, seed 1; bias shifted +1.50 so that 0.80 flags 0.32% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -15.590034,
	W: [NFeatures]float64{
		5.295248,  // blend
		4.844342,  // cover_query
		1.524313,  // cover_record
		5.465457,  // min_part_sim
		0.666582,  // unmatched_query
		-0.622506, // unmatched_record
		-1.900520, // unmatched_middle
		0.850536,  // record_ends
		1.579258,  // evidence
		-0.208593, // single_part
		0.175067,  // structure_conflict
		-0.918720, // arabic_script
	},
}
