package score

// The phonetic edit distance, read from tables.
//
// subCost, indelCost and isVowelByte (phon.go) define what an edit costs;
// editCost asks them for every cell of its table, so it reads their
// answers from tables built once from them: a substitution's code for
// every pair of bytes (which of the few costs it is, and whether it is a
// hard consonant edit), a deletion's cost for every byte. The rules of the
// first letter (an edit there costs 0.5 more, and ā as o is not cheap
// there) are folded into the costs of the first row and the first column,
// which are computed apart from the rest. The costs are the same float64
// values as the functions', added in the same order, so the distances are
// the same to the bit (TestEditCostTables, FuzzEditCost).

// Substitution codes: the cost of writing one symbol for another.
const (
	subSame   = iota // 0: the same symbol
	subVowel         // 0.4: a related vowel, a glide for its vowel
	subClass         // 0.5: a consonant of the same class
	subLongA         // 0.7: ā as o, e for an unstressed u
	subOtherV        // 1: another vowel (not a hard edit)
	subHard          // 1: another consonant, a vowel for a consonant
	subCodes
)

// editTables are editCost's costs by symbol.
type editTables struct {
	sub [256][256]uint8 // substitution code of (a, b)

	subCost  [subCodes]float64 // inside the name
	subFirst [subCodes]float64 // at the first symbol of either spelling

	indel      [256]float64 // inserting or deleting a symbol
	indelFirst [256]float64 // the same at the first symbol
	indelHard  [256]bool    // a full-cost (consonant) insertion or deletion
}

var editTab = buildEditTables()

func buildEditTables() *editTables {
	t := new(editTables)
	t.subCost = [subCodes]float64{0, 0.4, 0.5, 0.7, 1, 1}
	for c := range t.subCost {
		sc := t.subCost[c]
		if sc == 0.7 {
			sc = 1 // ā as o is cheap inside a name, not as its first letter (Omar/Amar)
		}
		if sc == 1 {
			sc += 0.5 // another first letter (a class variant is not: Gaddafi/Qadhafi)
		}
		t.subFirst[c] = sc
	}
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			t.sub[a][b] = subCode(byte(a), byte(b))
		}
		c := indelCost(byte(a))
		t.indel[a], t.indelFirst[a], t.indelHard[a] = c, c+0.5, c == 1 // an edit at the first symbol costs 0.5 more
	}
	return t
}

// subCode is the substitution code of subCost(a, b).
func subCode(a, b byte) uint8 {
	switch subCost(a, b) {
	case 0:
		return subSame
	case 0.4:
		return subVowel
	case 0.5:
		return subClass
	case 0.7:
		return subLongA
	case 1:
		if isVowelByte(a) && isVowelByte(b) {
			return subOtherV
		}
		return subHard
	}
	panic("score: a substitution cost without a code")
}

// editCost returns the weighted Damerau-Levenshtein distance of two
// phonetic spellings (at most 32 symbols each), and whether any full-cost
// consonant edit was needed. An edit at the first symbol costs 0.5 more.
// Three rows of the table are kept (the transposition looks two back).
func editCost(a, b []byte) (float64, bool) {
	la, lb := len(a), len(b)
	if la > 32 || lb > 32 {
		a, b = a[:min(la, 32)], b[:min(lb, 32)]
		la, lb = len(a), len(b)
	}
	t := editTab
	var rows [3][33]float64
	var hrows [3][33]bool
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	hp2, hp, hc := &hrows[0], &hrows[1], &hrows[2]
	for j := 1; j <= lb; j++ {
		c := b[j-1]
		if j == 1 {
			prev[j] = prev[j-1] + t.indelFirst[c]
		} else {
			prev[j] = prev[j-1] + t.indel[c]
		}
		hp[j] = hp[j-1] || t.indelHard[c]
	}
	if la == 0 || lb == 0 {
		if la > 0 {
			// b is empty: every symbol of a is deleted.
			for i := 1; i <= la; i++ {
				c := a[i-1]
				if i == 1 {
					prev[0] += t.indelFirst[c]
				} else {
					prev[0] += t.indel[c]
				}
				hp[0] = hp[0] || t.indelHard[c]
			}
		}
		return prev[lb], hp[lb]
	}
	// The first symbol of a: every cell is at a first symbol.
	{
		ca := a[0]
		sub := &t.sub[ca]
		da, ha := t.indelFirst[ca], t.indelHard[ca]
		cur[0], hc[0] = prev[0]+da, hp[0] || ha
		for j := 1; j <= lb; j++ {
			cb := b[j-1]
			code := sub[cb]
			best, h := prev[j-1]+t.subFirst[code], hp[j-1] || code == subHard
			if v := prev[j] + da; v < best {
				best, h = v, hp[j] || ha
			}
			di := t.indel[cb]
			if j == 1 {
				di = t.indelFirst[cb]
			}
			if v := cur[j-1] + di; v < best {
				best, h = v, hc[j-1] || t.indelHard[cb]
			}
			cur[j], hc[j] = best, h
		}
		prev2, prev, cur = prev, cur, prev2
		hp2, hp, hc = hp, hc, hp2
	}
	cb0 := b[0]
	for i := 2; i <= la; i++ {
		ca, cp := a[i-1], a[i-2]
		sub := &t.sub[ca]
		da, ha := t.indel[ca], t.indelHard[ca]
		cur[0], hc[0] = prev[0]+da, hp[0] || ha
		// The first symbol of b.
		{
			code := sub[cb0]
			best, h := prev[0]+t.subFirst[code], hp[0] || code == subHard
			if v := prev[1] + da; v < best {
				best, h = v, hp[1] || ha
			}
			if v := cur[0] + t.indelFirst[cb0]; v < best {
				best, h = v, hc[0] || t.indelHard[cb0]
			}
			cur[1], hc[1] = best, h
		}
		for j := 2; j <= lb; j++ {
			cb := b[j-1]
			code := sub[cb]
			best, h := prev[j-1]+t.subCost[code], hp[j-1] || code == subHard
			if v := prev[j] + da; v < best {
				best, h = v, hp[j] || ha
			}
			if v := cur[j-1] + t.indel[cb]; v < best {
				best, h = v, hc[j-1] || t.indelHard[cb]
			}
			if ca == b[j-2] && cp == cb && ca != cp {
				if v := prev2[j-2] + 1; v < best {
					best, h = v, true
				}
			}
			cur[j], hc[j] = best, h
		}
		prev2, prev, cur = prev, cur, prev2
		hp2, hp, hc = hp, hc, hp2
	}
	return prev[lb], hp[lb]
}
