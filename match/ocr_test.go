package match

import (
	"slices"
	"testing"
)

func TestOCRReading(t *testing.T) {
	tests := []struct {
		name, schema, want string
		why                string
	}{
		{"AHRNED HASSAN", "Person", "ahmed HASSAN", "rn for m"},
		{"RNAHMOUD ABBAS", "Person", "mahmoud ABBAS", "rn for m at the start"},
		{"CLAVID OKAFOR", "Person", "david OKAFOR", "cl for d"},
		{"HARNICL KARZAI", "Person", "hamid KARZAI", "both in one word"},
		{"OKONKWO, Chineclurn", "Person", "OKONKWO, chinedum", "in the given names after the comma"},
		{"ARNOLD BERNARD", "Person", "", "known names keep their letters"},
		{"Claude Cornelius", "Person", "", "known names keep their letters"},
		{"José Hernández", "Person", "", "a word with diacritics was not read from an MRZ"},
		{"AHRNED HASSAN", "Organization", "", "an organisation's name is not a passport's"},
		{"AHRNED HASSAN", "", "", "nor is a name of unknown schema"},
		{"EASTERN CYCLE", "Company", "", "organisation words are no names"},
		{"MOHAMMED ALI", "Person", "", "nothing to read"},
		{"BAKHT GVL", "Person", "BAKHT gul", "v for u between consonant and end"},
		{"ABDVL RASHID", "Person", "abdul RASHID", "v for u between two consonants"},
		{"KIM KYV", "Person", "KIM kyu", "v for u after y at the end"},
		{"MAGHOMFD ALIEV", "Person", "maghomed ALIEV", "f for e between two consonants"},
		{"Ivan Pavlov", "Person", "", "v next to a vowel is a v"},
		{"Yevgeny Dvorak", "Person", "", "v next to a vowel is a v"},
		{"Svyatoslava Orlova", "Person", "", "v before ya (я) is a v"},
		{"Vasily Zvyagin", "Person", "", "v before ya (я) is a v"},
		{"Rudolf Hofstadter", "Person", "", "a final f, an f after a vowel"},
	}
	for _, tc := range tests {
		if got := ocrReading(tc.name, tc.schema); got != tc.want {
			t.Errorf("ocrReading(%q, %q) = %q, want %q (%s)", tc.name, tc.schema, got, tc.want, tc.why)
		}
	}
}

func TestOCRReadingMatches(t *testing.T) {
	ix := testIndex()
	// The OCR'd name finds the record the name itself finds (the second
	// finds nothing when read as written).
	for _, q := range []Query{
		{Name: "ZIDANE RNOHAMMED SALAHALDIN", Schema: "Person"},
		{Name: "ZIDANE MOHAMMED SALAHALCLIN", Schema: "Person"},
	} {
		ms := ix.Match(q, Options{})
		if len(ms) == 0 || ms[0].EntityID != "un:QDi.001" {
			t.Errorf("Match(%q) = %+v, want un:QDi.001 first", q.Name, ms)
		}
		if !slices.Contains(readings(q.Name, q.Schema), ocrReading(q.Name, q.Schema)) {
			t.Errorf("readings(%q) lacks its OCR reading", q.Name)
		}
	}
	// A traveller whose name is no OCR misreading is screened once.
	if n := len(readings("Bernard Arnold", "Person")); n != 1 {
		t.Errorf("readings(Bernard Arnold) = %d names, want 1", n)
	}
}
