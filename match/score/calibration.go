package score

// Calibration is the name-score model, written by `concord eval fit`
// (77898 rows of the tuning sets, seed 1; bias shifted +1.65 so that 0.80 flags 0.34% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -12.693045,
	W: [NFeatures]float64{
		5.831812,  // blend
		5.122216,  // cover_query
		2.605723,  // cover_record
		-0.516079, // min_part_sim
		0.678826,  // unmatched_query
		-0.006165, // unmatched_record
		-1.847585, // unmatched_middle
		0.917318,  // record_ends
		1.472893,  // evidence
		0.390720,  // single_part
		-0.053552, // structure_conflict
		-0.041867, // arabic_script
		1.777494,  // exact_share
		3.116280,  // organisation
		-2.286716, // org_cover_query
		-0.737520, // org_evidence
	},
}
