package match

import (
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
// Arabic script (none for other names).
func recordReadings(dst []string, name string) []string {
	if !hasArabic(name) {
		return dst
	}
	for _, r := range altReadings {
		if strings.ContainsAny(name, r.letters) {
			dst = append(dst, r.rep.Replace(name))
		}
	}
	if strings.ContainsRune(name, 'ك') {
		dst = append(dst, kafAsG.Replace(name))
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
