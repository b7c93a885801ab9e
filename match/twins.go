package match

import "slices"

// Twins: a name of a record that can only score what an earlier name of
// the same record scores.
//
// Lists repeat a name under several spellings that normalise alike (OFAC
// writes an alias as the primary name is written, in other case or
// punctuation, or once as a weak alias and once as a strong one): 1,061 of
// the names of the 9,979 UN and OFAC records have the same parts, with
// the same kinds and flags, as an earlier name of their record. A name's
// score and bounds depend on its parts (texts, skeletons, kinds, flags,
// weights by skeleton), its weakness and whether it is a reading, never on
// its raw text or its place; and scoreEntry keeps the earliest of equal
// best names, so skipping such a twin changes neither the score nor the
// name the explanation names (TestTwinsScoreAlike).

// twinWindow is how many earlier names a name is compared with: a record's
// twins are written near each other, and a record of thousands of names
// should not cost millions of comparisons.
const twinWindow = 64

// markTwins sets names[i].twin, for every i ≥ from, when an earlier name
// among the twinWindow before it has the same parts, weakness and reading
// flag.
func markTwins(names []name, from int) {
	for i := from; i < len(names); i++ {
		n := &names[i]
		n.twin = false
		for j := i - 1; j >= max(0, i-twinWindow); j-- {
			if o := &names[j]; o.weak == n.weak && o.alt == n.alt && o.translated == n.translated && slices.Equal(o.parts, n.parts) {
				n.twin = true
				break
			}
		}
	}
}
