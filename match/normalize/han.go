package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Han script in organisation names and in the rigour tables.
//
// translit writes a run of two to four Han characters as a person's name
// is romanised: the family name apart, the given name joined (习近平 Xi
// Jinping). An organisation's name is a sequence of words, each of one or
// two characters (華信船務 Hua Xin Chuan Wu, Huaxin Shipping; 有限公司 You
// Xian Gong Si, limited company), and its Latin spellings join or split
// them as they like; so an organisation's Han characters are read one
// syllable a word (the scorer's merges join what a Latin spelling wrote
// as one word, Huaxin), and so are the Han aliases of the tables, whose
// phrases meet the name word by word whatever the length of the run they
// stand in (有限公司 at the end of 沈忠國際海運有限公司 as on its own).

// hasHan reports whether s holds a Han character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// spaceHan writes a space between neighbouring Han characters of s, so
// that transliteration gives each its own syllable.
func spaceHan(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	prevHan := false
	for _, r := range s {
		han := unicode.Is(unicode.Han, r)
		if han && prevHan {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevHan = han
	}
	return b.String()
}

// singleHan reports whether alias is one Han character. A table alias of
// one character is keyed by its pinyin syllable, which dozens of other
// characters share: 铀 (uranium) is "you" as 有 (have, in 有限公司) is, 核
// (nuclear) "he" as the family name 何 is, 厂 (factory) "chang" as 長 and
// 常 are. Such an alias would read every one of them as its symbol, so it
// is left out.
func singleHan(alias string) bool {
	a := strings.TrimSpace(alias)
	r, n := utf8.DecodeRuneInString(a)
	return n == len(a) && n > 0 && unicode.Is(unicode.Han, r)
}
