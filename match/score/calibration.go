package score

// Calibration is the name-score model, written by `concord eval fit`
// (76395 rows of the tuning sets, seed 1; bias shifted +1.40 so that 0.80 flags 0.30% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -15.155966,
	W: [NFeatures]float64{
		5.244842,  // blend
		4.747296,  // cover_query
		1.259166,  // cover_record
		5.341982,  // min_part_sim
		0.616445,  // unmatched_query
		-0.698294, // unmatched_record
		-2.045950, // unmatched_middle
		0.900489,  // record_ends
		1.536135,  // evidence
		-0.209541, // single_part
		0.193344,  // structure_conflict
		-0.917743, // arabic_script
	},
}
