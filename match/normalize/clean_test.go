package normalize

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Abdullah Azzam", "Abdullah Azzam"},
		{"عبد الرحمن", "عبد الرحمن"},
		// Presentation forms, lam-alif ligature included.
		{"\uFEE3\uFEA4\uFEE4\uFEAA", "محمد"},
		{"\uFEB3\uFEFC\uFEE1", "سلام"},
		{"\uFECB\uFEE0\uFBFD", "علی"},
		{"\uFDF2", "الله"},
		// A vowel sign's form and a eulogy go; tatweel goes.
		{"مُحَمّد\uFE76 \uFDFA", "مُحَمّد "},
		{"عـــلي", "علي"},
		// Format characters: ZWNJ, ZWJ, bidi marks and isolates, BOM.
		{"\u2067\u061cعلي \u061cحسن\u2069", "علي حسن"},
		{"\u200fعلي\u200e \u200eحسن\u200f", "علي حسن"},
		{"حسن\u200cزاده", "حسنزاده"},
		{"\ufeffAli", "Ali"},
		// NFD composed.
		{norm.NFD.String("آصف أحمد"), "آصف أحمد"},
		{norm.NFD.String("Йўлдош"), "Йўлдош"},
		{norm.NFD.String("Đorđević Ćosić"), "Đorđević Ćosić"},
		// Look-alike Cyrillic and Greek letters in a Latin word read
		// Latin; words of one script stay.
		{"Нassan Ahmеd", "Hassan Ahmed"},
		{"ΗΑSSAN Вin Μohamed", "HASSAN Bin Mohamed"},
		{"Ivan ПЕТРОВ", "Ivan ПЕТРОВ"},
		{"Ахмед", "Ахмед"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

func TestCleanTokens(t *testing.T) {
	// What software adds to a name does not change its parts.
	for _, tc := range []struct{ plain, dirty string }{
		{"عبد الرحمن الطيب", "\uFECB\uFE92\uFEAA \uFE8D\uFEDF\uFEAE\uFEA3\uFEE4\uFEE6 \uFE8D\uFEDF\uFEC4\uFEF4\uFE90"},
		{"الطيب نايل", "\u202bالطيب نايل\u202c"},
		{"الطيب نايل", "الـــطـــيــب نــــايــل"},
		{"جماعة أهل السنة", "جماعۃ أہل السنۃ"},
		{"عبد الله", "عبد اللہ"},
	} {
		a, b := Tokens(tc.plain), Tokens(tc.dirty)
		if len(a) != len(b) {
			t.Errorf("Tokens(%+q) = %v, Tokens(%q) = %v", tc.dirty, b, tc.plain, a)
			continue
		}
		for i := range a {
			if a[i].Text != b[i].Text {
				t.Errorf("Tokens(%+q) = %v, Tokens(%q) = %v", tc.dirty, b, tc.plain, a)
				break
			}
		}
	}
}

func BenchmarkCleanClean(b *testing.B) {
	for range b.N {
		Clean("Abdul Rahman Yasin")
		Clean("عبد الرحمن ياسين")
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"Ali", "\uFEFB\uFDF2\uFE76", "\u200fعلي\u200e", "ـــ", norm.NFD.String("Ёжик آصف"), "\xff\uFEFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if Clean(c) != c {
			t.Errorf("Clean(%+q) = %+q, not a fixed point (%+q)", s, c, Clean(c))
		}
		for _, r := range c {
			if unclean(r) && r != utf8.RuneError {
				t.Errorf("Clean(%+q) = %+q keeps %U", s, c, r)
			}
		}
	})
}
