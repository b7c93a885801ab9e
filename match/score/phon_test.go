package score

import (
	"testing"

	"concord/match/keys"
	"concord/match/normalize"
)

func TestPhonSim(t *testing.T) {
	tests := []struct {
		a, b  string
		match bool
		why   string
	}{
		{"tariq", "tarek", true, "variants of one name"},
		{"hamid", "hamed", true, "variants of one name"},
		{"mohamed", "muhammad", true, "vowel habits"},
		{"husayn", "hussein", true, "diphthong"},
		{"taii", "tai", true, "the long i of ائي written twice"},
		{"saiid", "said", true, "the long i written twice, before a consonant"},
		{"yusuf", "youssef", true, "ou, doubled s"},
		{"osman", "othman", true, "th for s"},
		{"jamshid", "dzhamshid", true, "dzh for j"},
		{"gholamhosein", "qolamhosein", true, "gh/q at the first letter, long"},
		{"innocent", "innocdnt", true, "a typist's slip"},
		{"mehmed", "muhammad", true, "four consonants, vowels apart"},
		{"amir", "amin", false, "two real names"},
		{"yusuf", "yunus", false, "two real names"},
		{"nadia", "nadir", false, "two real names"},
		{"aleksandra", "aleksandr", false, "a woman's and a man's East Slavic name"},
		{"yevgenia", "yevgeny", false, "a woman's and a man's East Slavic name"},
		{"vladislava", "vladislav", false, "a woman's and a man's East Slavic name, in -va"},
		{"aleksandra", "alexandra", true, "one woman's name"},
		{"nodir", "nodirbek", false, "prefix only"},
		{"jamila", "jamil", false, "a woman's name and a man's"},
		{"hasanah", "hassan", false, "a woman's name and a man's"},
		{"manuela", "manuel", false, "a woman's name and a man's"},
		{"jameela", "jamil", false, "a woman's name and a man's, spelt otherwise"},
		{"ahmda", "ahmad", true, "a slip on Ahmad, not Ahmd with an a"},
		{"marina", "marian", true, "a slip, not Marin with an a"},
		{"hamza", "hamz", true, "no known name without the a"},
		{"felipa", "felipe", true, "a final e written a: left to the edit cost"},
		{"hamid", "hamidou", false, "prefix only"},
		{"ali", "aliyev", false, "prefix only"},
		{"hasan", "hossein", false, "Hasan is not Husayn"},
		{"salma", "salami", false, "short, vowels apart"},
		{"saddam", "adam", false, "first letter"},
		{"omar", "amar", false, "four letters, another vowel"},
		{"khudam", "khudamul", true, "attached article"},
		{"dschihad", "jihad", true, "German dsch for j"},
		{"jussuf", "yusuf", true, "German j for y"},
		{"chalil", "khalil", true, "German ch for kh"},
		{"gutschajev", "guchaev", true, "German tsch for ch"},
		{"iwanov", "ivanov", true, "German w for v"},
		{"sahraoui", "sahrawi", true, "French ou for w"},
		{"rasyid", "rashid", true, "Indonesian sy for sh"},
		{"rahmon", "rahman", true, "Tajik o for a"},
		{"ghadaffi", "qadhafi", true, "gh for q"},
		{"ghathafi", "qadhafi", true, "th for dh, gh for q"},
		{"oussama", "usama", true, "French ou"},
		{"youssef", "yusuf", true, "French ou, doubled s"},
		{"djamal", "jamal", true, "French dj"},
		{"tchetchenov", "chechenov", true, "French tch"},
		{"achmed", "ahmed", true, "German ch for h"},
		{"jamal", "kamal", false, "another first consonant"},
		{"javad", "jawad", true, "Persian v for w"},
		{"soltan", "sultan", true, "vowels only"},
		{"mostefa", "mustafa", true, "vowels only"},
		{"hosein", "hasan", false, "a diphthong is not a vowel"},
		{"hamid", "hamad", true, "two names, vowels apart: still near (0.86)"},
		{"selim", "salim", true, "a/e"},
		{"zebidi", "zubaidi", true, "ي written i and ay"},
		{"saliman", "sulaiman", true, "ي written i and ai"},
		{"hesin", "hussein", true, "ي written i and ei"},
		{"zabadi", "zubaidi", false, "an a is not ي"},
		{"chenedakh", "shindakh", true, "French ch for ش, a vowel after every consonant"},
		{"chehid", "shahid", true, "French ch for ش"},
		{"chenedakh", "khindakh", false, "another first consonant"},
	}
	for _, tc := range tests {
		got := partSim(tc.a, "", tc.b, "", false)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q) = %.3f, want match %v (%s)", tc.a, tc.b, got, tc.match, tc.why)
		}
	}
}

func TestVowelOnly(t *testing.T) {
	tests := []struct {
		a, b string
		high bool // at least vowelOnlySim
	}{
		{"youssef", "yusuf", true},
		{"mohamed", "muhammad", true},
		{"soltan", "sultan", true},
		{"selim", "salim", true},
		{"hamid", "hamad", false},  // two known names, i/a
		{"jamil", "jamal", false},  // two known names
		{"hasan", "husayn", false}, // a diphthong is a consonant here
		{"said", "saad", false},    // ditto
		{"ahemed", "hamid", false}, // a vowel at the start is written (an alif)
		{"ahemed", "ahmad", true},
		{"omar", "umar", false},      // two consonants: the edit cost decides
		{"karim", "karam", false},    // two known names
		{"rashid", "rashad", false},  // two known names
		{"mohamed", "mahmud", false}, // two known names, a vowel against none
		{"muhammad", "mahmoud", false},
	}
	for _, tc := range tests {
		if got := phonSim(tc.a, tc.b, normalize.KnownName); (got >= vowelOnlySim) != tc.high {
			t.Errorf("phonSim(%q, %q) = %.3f, want ≥ %.2f: %v", tc.a, tc.b, got, vowelOnlySim, tc.high)
		}
	}
}

func TestMergedSim(t *testing.T) {
	tests := []struct {
		m, t  string
		match bool
		why   string
	}{
		{"abubakr", "abubakr", true, "the same spelling"},
		{"ebedletif", "abdlatif", true, "a vowel between every two consonants (Ebed El-letif)"},
		{"abadqadar", "abdkader", true, "the same, German/ISO-like (Abad El-qadar)"},
		{"saliubodian", "salahudin", false, "other consonants"},
		{"asamali", "ismail", false, "other consonants"},
		{"ebedkerim", "abdrahim", false, "another name, a vowel between every two consonants"},
	}
	for _, tc := range tests {
		if got := mergedSim(tc.m, tc.t); (got >= minMergedSim) != tc.match {
			t.Errorf("mergedSim(%q, %q) = %.3f, want match %v (%s)", tc.m, tc.t, got, tc.match, tc.why)
		}
	}
}

func FuzzPhonSim(f *testing.F) {
	f.Add("muhammad", "mehemed")
	f.Add("a", "")
	f.Add("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", "zz")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) == 0 || len(b) == 0 {
			return
		}
		s := phonSim(a, b, normalize.KnownName)
		if s < 0 || s > 1 || s != phonSim(a, b, normalize.KnownName) {
			t.Fatalf("phonSim(%q, %q) = %v", a, b, s)
		}
		if a == b && s != 1 {
			t.Fatalf("phonSim(%q, %q) = %v, want 1", a, b, s)
		}
	})
}

func TestShortSlip(t *testing.T) {
	tests := []struct {
		q, r  string
		match bool
		why   string
	}{
		{"kabg", "kang", true, "a neighbouring key"},
		{"jaun", "juan", true, "two letters swapped"},
		{"arir", "arif", true, "a slip on a known name leaves none"},
		{"amu", "amru", true, "a letter dropped"},
		{"true", "ture", true, "two letters swapped"},
		{"hafi", "hadi", false, "two known names"},
		{"amin", "amir", false, "the query is a known name"},
		{"omar", "amro", false, "the query is a known name"},
		{"bang", "kang", false, "another first letter"},
		{"kbag", "kang", false, "two slips"},
		{"kan", "kang", false, "a last letter dropped: another name"},
		{"sami", "samir", false, "a last letter added: another name"},
	}
	for _, tc := range tests {
		got := partSim(tc.q, "", tc.r, "", false)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q) = %.3f, want match %v (%s)", tc.q, tc.r, got, tc.match, tc.why)
		}
	}
}

// TestBareYaOnset: an Arabic-script part beginning with ي (a consonant,
// its vowel unwritten: yqub) is not a Latin name beginning with a vowel
// that shares its skeleton, but it is its own Latin spellings.
func TestBareYaOnset(t *testing.T) {
	sk := keys.Skeleton
	for _, tc := range []struct {
		latin, bare string
		match       bool
	}{
		{"ekpo", "yqub", false},
		{"akib", "yqub", false},
		{"yaqub", "yqub", true},
		{"yakub", "yqub", true},
		{"yazid", "yzyd", true},
	} {
		got := partSim(tc.latin, sk(tc.latin), tc.bare, sk(tc.bare), true)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q, bare) = %.3f, want match %v", tc.latin, tc.bare, got, tc.match)
		}
	}
}

// TestLongIClash: a part written without short vowels whose long ī (a y
// between consonants) meets a vowel run with no i, e or y in a vowelled
// part of the same consonants is another name; with one it is the name.
func TestLongIClash(t *testing.T) {
	sk := keys.Skeleton
	for _, tc := range []struct {
		vowelless, vowelled string
		match               bool
	}{
		{"amyr", "omar", false}, // أمير is not عمر
		{"amyr", "amar", false},
		{"slym", "salam", false},
		{"hsyn", "hassan", false}, // حسين is not حسن
		{"amyr", "amir", true},
		{"amyr", "ameer", true},
		{"hsyn", "hussein", true},
		{"slym", "salim", true},
		{"yzyd", "yazid", true},
		{"aly", "ali", true}, // a final y is not between consonants
	} {
		got := partSim(tc.vowelless, sk(tc.vowelless), tc.vowelled, sk(tc.vowelled), true)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q, bare) = %.3f, want match %v", tc.vowelless, tc.vowelled, got, tc.match)
		}
	}
}

// Spellings of one Arabic-script name by tables that write its long
// vowels, glides and emphatic consonants differently meet at letterSim;
// other names do not.
func TestSameLetters(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"tib", "tayeb", true},      // الطيب: ي as i, or as a vowel and y
		{"zinih", "zeiniye", true},  // ي as i, ei or iy
		{"buihi", "bouyehia", true}, // و as u or ou
		{"dya", "zia", true},        // ض as d or z
		{"wady", "aouadi", true},    // ع as an apostrophe or a vowel
		{"hasan", "husayn", false},  // ي written on one side only
		{"nabil", "nabila", false},  // feminine form
		{"samir", "samira", false},  // feminine form
		{"omar", "amir", false},
		{"ali", "li", false},
		{"tarek", "tarik", true},
		{"amro", "omar", false},   // و written at the end
		{"ziyad", "sayed", false}, // ز is not س
		{"barrera", "bor", false},
		{"nolh", "nla", false}, // two bare consonants
		{"joza", "jaas", false},
		{"polotsk", "bolsak", false}, // پ is not ب
	} {
		got := phonSim(tc.a, tc.b, normalize.KnownName)
		if (got >= MinPartSim) != tc.same {
			t.Errorf("phonSim(%q, %q) = %.3f, want match %v", tc.a, tc.b, got, tc.same)
		}
	}
}
