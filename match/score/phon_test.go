package score

import "testing"

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
		{"yusuf", "youssef", true, "ou, doubled s"},
		{"osman", "othman", true, "th for s"},
		{"jamshid", "dzhamshid", true, "dzh for j"},
		{"gholamhosein", "qolamhosein", true, "gh/q at the first letter, long"},
		{"innocent", "innocdnt", true, "a typist's slip"},
		{"mehmed", "muhammad", true, "four consonants, vowels apart"},
		{"amir", "amin", false, "two real names"},
		{"yusuf", "yunus", false, "two real names"},
		{"nadia", "nadir", false, "two real names"},
		{"nodir", "nodirbek", false, "prefix only"},
		{"hamid", "hamidou", false, "prefix only"},
		{"ali", "aliyev", false, "prefix only"},
		{"hasan", "hossein", false, "Hasan is not Husayn"},
		{"salma", "salami", false, "short, vowels apart"},
		{"saddam", "adam", false, "first letter"},
		{"omar", "amar", false, "four letters, another vowel"},
		{"khudam", "khudamul", true, "attached article"},
	}
	for _, tc := range tests {
		got := partSim(tc.a, "", tc.b, "", false)
		if (got >= MinPartSim) != tc.match {
			t.Errorf("partSim(%q, %q) = %.3f, want match %v (%s)", tc.a, tc.b, got, tc.match, tc.why)
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
		s := phonSim(a, b, KnownName)
		if s < 0 || s > 1 || s != phonSim(a, b, KnownName) {
			t.Fatalf("phonSim(%q, %q) = %v", a, b, s)
		}
		if a == b && s != 1 {
			t.Fatalf("phonSim(%q, %q) = %v, want 1", a, b, s)
		}
	})
}
