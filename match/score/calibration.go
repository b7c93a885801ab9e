package score

// Calibration is the name-score model, written by `concord eval fit`
// (77898 rows of the tuning sets, seed 1; bias shifted +1.65 so that 0.80 flags 0.34% of the tuning travellers); do not edit.
var Calibration = Model{
	Bias: -12.733300,
	W: [NFeatures]float64{
		5.835421,  // blend
		5.116666,  // cover_query
		2.612710,  // cover_record
		-0.490213, // min_part_sim
		0.690729,  // unmatched_query
		0.003004,  // unmatched_record
		-1.847412, // unmatched_middle
		0.918013,  // record_ends
		1.464804,  // evidence
		0.393579,  // single_part
		-0.051195, // structure_conflict
		-0.010910, // arabic_script
		1.792501,  // exact_share
		3.069614,  // organisation
		-2.239154, // org_cover_query
		-0.727469, // org_evidence
	},
}
