package eval

import (
	"math/rand/v2"

	"concord/match"
)

// Suite builds every labelled set for one seed and one half of the data:
// the cases of the sets drawn from list records keep the records whose
// ref falls in the half (so a record tuned on is never reported on), and
// the generated travellers draw their names from the half of the name
// stock. The tuning suite is seed 1, SplitTune; the report suite seed 2,
// SplitReport (docs/benchmarks.md says which figures are which).
func Suite(recs []match.Record, names *Names, seed uint64, split Split, travellers int) []Set {
	rng := rand.New(rand.NewPCG(seed, 1))
	keep := func(s Set) Set {
		out := s.Cases[:0:0]
		for _, c := range s.Cases {
			if c.Want == "" || inSplit(c.Want, split) {
				out = append(out, c)
			}
		}
		s.Cases = out
		var skipped []Case
		for _, c := range s.skipped {
			if inSplit(c.Want, split) {
				skipped = append(skipped, c)
			}
		}
		s.skipped = skipped
		s.countSkipped()
		return s
	}
	sets := []Set{
		keep(AliasSet(recs)),
		keep(AliasHeldOutSet(recs)),
		keep(VariantSet(recs, rng)),
		keep(FieldVariantSet(recs, rng)),
		keep(OriginalScriptSet(recs)),
		keep(ScriptRomanisedSet(recs, rng)),
		keep(ArabicVariationSet(recs, rng)),
		keep(LatinToScriptSet(recs)),
		keep(CrossListSet(recs)),
		keep(ScriptAdversarialSet(recs, seed)),
		TravellerSet(names, travellers, rng, split),
		HardNegativeSet(recs, names, travellers, rng, split),
		OrgNegativeSet(recs, names, travellers, rng, split),
	}
	for i := range sets {
		switch sets[i].Name {
		case "variant-field", "un-vs-ofac", "hard-negatives", "org-negatives", "arabic-variation", "script-romanised", "latin-to-script", "script-adversarial":
			sets[i].Breakdown = true
		}
	}
	return sets
}

// SuitePairs returns the labelled pairs of the lists (ListPairs) for one
// half: pairs whose first record is in the half.
func SuitePairs(recs []match.Record, seed uint64, split Split, n int) []Pair {
	var half []match.Record
	for i := range recs {
		if inSplit(ref(&recs[i]), split) {
			half = append(half, recs[i])
		}
	}
	return ListPairs(half, n, rand.New(rand.NewPCG(seed, 2)))
}
