package match

import (
	"slices"
	"strings"
	"unicode"
)

// Record names in Arabic script are indexed under the readings that
// romanisation habits give their ambiguous letters (see readings), so that
// a Latin query spelt by one habit meets a record held in script only:
// SANAULLAH and SAQIB (Persian and Urdu ث as s) meet ثناء اللہ and ثاقب,
// ZIA (ض as z) meets ضیا, GASMI (Maghreb ق as g) meets قاسمي. The work is
// done once, when the record is indexed; a query in Latin script is
// screened as one name.
//
// Arabic spellings of names from languages with a g write it as ك where
// the script has no گ (an Arabic transcription of a Pashto or Persian
// name: كل آغا for Gul Agha; Iraqi and Gulf spellings: عكلة Ugla): a
// record name with ك is indexed with ك read as g too, and a query name
// with ك is screened in that reading too (readings).

// recordReadings appends to dst the other readings of a record name in
// Arabic script, or in Cyrillic (cyrillicreadings.go); none for other
// names.
func recordReadings(dst []string, name string) []string {
	if !hasArabic(name) {
		return cyrillicReadings(dst, name)
	}
	// The name with a joined word cut (appendSplitReadings) is read by
	// each habit too: ظاهرعويس is داهر عويس for DAHIR AWEYS.
	start := len(dst)
	dst = appendSplitReadings(dst, name)
	for i, end := start-1, len(dst); i < end; i++ {
		n := name
		if i >= start {
			n = dst[i]
		}
		for _, r := range altReadings {
			if strings.ContainsAny(n, r.letters) {
				dst = append(dst, r.rep.Replace(n))
			}
		}
		if strings.ContainsRune(n, 'ك') {
			dst = append(dst, kafAsG.Replace(n))
		}
	}
	return dst
}

var kafAsG = strings.NewReplacer("ك", "گ")

// hasArabic reports whether s has a letter in Arabic script.
func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// appendSplitReadings appends the readings of name with one word cut in
// two after a letter that does not connect to the next (ا أ إ آ د ذ ر ز ژ
// و ؤ), where the space between two words is invisible and often left
// out: ظاهرعويس is also indexed as ظاهر عويس, so that DAHIR AWEYS meets
// it. It is the cut splitJoined makes in a query in script, where the
// index says which halves are names; a record's cuts are all indexed
// (the scoring then tells the right one), each half of three letters or
// more, at most maxSplitReadings. A word starting عبد is left to the
// rules for Abd (normalize), which read it joined or apart, and no cut is
// made before an article or inside it: سعیدالله, نصرالدین are one name
// (Saidullah, Nasruddin), not Said and Allah, nor سعيدا and لله.
func appendSplitReadings(dst []string, name string) []string {
	n := 0
	words := strings.Fields(name)
	for wi, w := range words {
		if strings.HasPrefix(w, "عبد") {
			continue
		}
		rs := []rune(w)
		total := arabicLetters(rs)
		if total < 6 {
			continue
		}
		for i := 1; i < len(rs); i++ {
			if !strings.ContainsRune(nonJoining, rs[i-1]) || !unicode.IsLetter(rs[i]) {
				continue
			}
			if l := arabicLetters(rs[:i]); l < 3 || total-l < 3 || strings.HasPrefix(string(rs[i-1:]), "ال") || strings.HasPrefix(string(rs[i:]), "ال") {
				continue
			}
			if n == maxSplitReadings {
				return dst
			}
			parts := slices.Clone(words)
			parts[wi] = string(rs[:i]) + " " + string(rs[i:])
			dst = append(dst, strings.Join(parts, " "))
			n++
		}
	}
	return dst
}

// arabicLetters counts the letters of rs, marks and tatweel aside.
func arabicLetters(rs []rune) int {
	c := 0
	for _, r := range rs {
		if unicode.IsLetter(r) && r != 'ـ' {
			c++
		}
	}
	return c
}

// nonJoining are the Arabic-script letters that do not connect to the next.
const nonJoining = "اأإآدذرزژوؤ"

// maxSplitReadings bounds the split readings of one record name.
const maxSplitReadings = 4
