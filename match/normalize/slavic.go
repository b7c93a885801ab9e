package normalize

import "strings"

// slavicEnding writes the endings of Russian and other Slavic family names
// and patronymics as the English-style tables do, whatever table spelt
// them: German and Polish write в as w (Iwanow, Gutschajew, Salimowitsch,
// Petrowna), French writes a final ов as -off (Romanoff), and the
// adjectival ending -ий appears as -ij (German, ISO 9 ASCII), -iy, -ii or
// -yi (Dmitrij, Dmitriy, Dmitrii → dmitry; Yurij, Yuriy → yury). Words of
// fewer than five letters are left alone (Dow, Lew, Kij).
func slavicEnding(w string) string {
	n := len(w)
	if n < 5 {
		return w
	}
	for _, e := range [...]struct{ from, to string }{
		{"owitsch", "ovich"}, {"ewitsch", "evich"}, {"witsch", "vich"}, {"owitch", "ovich"}, {"ewitch", "evich"},
		{"owicz", "ovich"}, {"ewicz", "evich"},
		{"owna", "ovna"}, {"ewna", "evna"},
		{"owa", "ova"}, {"ewa", "eva"},
		{"ow", "ov"}, {"ew", "ev"},
		{"off", "ov"}, {"eff", "ev"},
		{"ij", "y"}, {"yj", "y"}, {"iy", "y"}, {"ii", "y"}, {"yi", "y"},
	} {
		if strings.HasSuffix(w, e.from) && n-len(e.from) >= 3 {
			stem := w[:n-len(e.from)]
			if (e.from == "ow" || e.from == "ew" || e.from == "owa" || e.from == "ewa") && !slavicStem(stem) {
				return w // Barlow, Andrew: no Slavic stem before -ow/-ew
			}
			return stem + e.to
		}
	}
	return w
}

// slavicStem reports whether stem (what precedes -ow/-ew) ends as Slavic
// family names do before that ending: a consonant, not the w, l or r of
// English names (Barlow, Marlow, Morrow, Crow), nor Andrew's dr or
// Matthew's tth.
func slavicStem(stem string) bool {
	switch stem[len(stem)-1] {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'l', 'r':
		return false
	}
	return !strings.HasSuffix(stem, "dr") && !strings.HasSuffix(stem, "tth")
}
