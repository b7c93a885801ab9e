package match

import (
	"strings"

	"concord/match/normalize"
	"concord/match/translit"
)

// Organisations whose Arabic-script name is translated in Latin.
//
// A person's name is transliterated from one script to another; an
// organisation's is as often translated: الجماعة الاسلامية المسلحة is
// ARMED ISLAMIC GROUP, شبكة محمد جمال MUHAMMAD JAMAL NETWORK, الدولة
// الإسلامية في العراق والشام ISLAMIC STATE IN IRAQ AND THE LEVANT. No
// transliteration meets those words. So an organisation's name in Arabic
// script (a query's or a record's, of any schema but Person) that holds
// the common words of such names is also read in Latin with those words
// in English and its other words transliterated: "group islamic armed",
// "network mhmd jmal". The scorer compares an organisation's words in any
// order (Arabic puts the noun before its adjectives). It is one more
// reading, beside the name as written, whose transliteration the lists
// keep as often (JAMA'A NUSRAT UL-ISLAM, ANSAR AL-ISLAM, ASBAT AL-ANSAR),
// and a record scores its better reading.
//
// The words are the everyday descriptors of organisations' names in
// Arabic, Persian, Urdu and Pashto, with their usual English rendering
// (Hans Wehr, A Dictionary of Modern Written Arabic, 4th ed.; the
// English names the UN Security Council's lists give to the groups whose
// Arabic names they also hold), and the countries and regions those names
// carry. Words a Latin name keeps as transliterated (jihad, ansar, sharia,
// nusra, qaida, dawa) are not translated: their transliteration is their
// Latin name. Keys are without the article, and spelt as
// normalize.ArabicOrthography writes them (orgWords: ة as ه, ی as ي, ک as
// ك, hamza on alif bare, ئ as ي, ؤ as و).
var arabicOrgWords = orgWords(map[string]string{
	// what the organisation is
	"جماعه":  "group",
	"مجموعه": "group",
	"جبهه":   "front",
	"حركه":   "movement",
	"حركت":   "movement", // Urdu and Persian spelling (حرکت)
	"شبكه":   "network",
	"جيش":    "army",
	"تنظيم":  "organization",
	"منظمه":  "organization",
	"دوله":   "state",
	"جمعيه":  "society",
	"اتحاد":  "union",
	"مكتب":   "office",
	"صرافه":  "exchange",
	"صرافي":  "exchange", // Persian and Dari صرافی
	"كتيبه":  "battalion",
	"لواء":   "brigade",
	"مؤسسه":  "foundation",
	"شركه":   "company",
	"هيئه":   "commission", // هيئة تحرير الشام, Liberation of al-Sham Commission
	"مركز":   "center",
	// English words as Urdu, Pashto and Persian write them (the lists'
	// own names: طارق گیدڑ گروپ TARIQ GIDAR GROUP, راحت لمتد RAHAT LTD.,
	// ... کمپنی حواله ... COMPANY HAWALA)
	"گروپ":  "group",
	"كمپني": "company",
	"لمتد":  "limited",
	"لميتد": "limited",
	// what it calls itself
	"اسلاميه": "islamic",
	"اسلامي":  "islamic",
	"اسلام":   "islam",
	"مسلحه":   "armed",
	"مقاتله":  "fighting",
	"مسلمين":  "muslims",
	"مهاجرين": "emigrants",
	"احياء":   "revival",
	"تراث":    "heritage",
	"توحيد":   "unity",
	"تحرير":   "liberation",
	"اهل":     "people",
	"في":      "in",
	"و":       "and",
	"او":      "and", // Pashto (د حاجی بصیر او ضرجمیل کمپنی, HAJI BASIR AND ZARJMIL COMPANY)
	// where it is
	"عراق":      "iraq",
	"شام":       "levant",
	"ليبيا":     "libya",
	"ليبيه":     "libyan",
	"يمن":       "yemen",
	"سوريا":     "syria",
	"مغرب":      "maghreb",
	"مغربيه":    "moroccan",
	"تونسيه":    "tunisian",
	"مصري":      "egyptian",
	"جزائر":     "algeria",
	"صومال":     "somalia",
	"سودان":     "sudan",
	"افغانستان": "afghanistan",
	"باكستان":   "pakistan",
	"افريقيا":   "africa",
	"غرب":       "west",
	"شرق":       "east",
	"شمال":      "north",
	"جنوب":      "south",
	"جزيره":     "peninsula",
	"عرب":       "arabian",
})

// orgWords returns words with its keys spelt as normalize.ArabicOrthography
// writes them.
func orgWords(words map[string]string) map[string]string {
	out := make(map[string]string, len(words))
	for k, v := range words {
		out[normalize.ArabicOrthography(k)] = v
	}
	return out
}

// orgTranslation returns the Latin reading of an Arabic-script name with
// its organisation words in English (see arabicOrgWords), or "" when the
// name has none of them or is not in Arabic script. A word may carry the
// article and, before it, the conjunction و or the prepositions ل and ب
// written joined (والشام and the Levant, لأهل for the people of); the
// words left are transliterated as the engine reads Arabic script, without
// their article, so that the reading is in one script.
func orgTranslation(name string) string {
	if !hasArabic(name) {
		return ""
	}
	words := strings.Fields(normalize.ArabicOrthography(name))
	out := make([]string, 0, len(words)+2)
	found := false
	for _, w := range words {
		if !hasArabic(w) {
			out = append(out, w) // a sign or a Latin word: as written
			continue
		}
		if pre, en, ok := orgWord(w); ok {
			if pre != "" {
				out = append(out, pre)
			}
			out = append(out, en)
			found = true
			continue
		}
		if rs := []rune(w); len(rs) > 4 && strings.HasPrefix(w, "وال") {
			out = append(out, "and")
			w = string(rs[1:])
		}
		out = append(out, translit.ToLatin(dropArticle(w)))
	}
	if !found {
		return ""
	}
	return strings.Join(strings.Fields(strings.Join(out, " ")), " ")
}

// orgWord looks w up in arabicOrgWords, as written or after a joined
// conjunction or preposition (returned in English as pre) and the article.
func orgWord(w string) (pre, en string, ok bool) {
	if en, ok := arabicOrgWords[dropArticle(w)]; ok {
		return "", en, true
	}
	rs := []rune(w)
	if len(rs) < 4 {
		return "", "", false
	}
	if rs[0] == 'ل' && rs[1] == 'ل' {
		// ل before the article writes it without its alif: للصرافة is
		// for the exchange.
		if en, ok := arabicOrgWords[string(rs[2:])]; ok && len(rs) >= 5 {
			return "for", en, true
		}
	}
	rest := dropArticle(string(rs[1:]))
	if en, ok := arabicOrgWords[rest]; ok && len([]rune(rest)) >= 3 {
		switch rs[0] {
		case 'و':
			return "and", en, true
		case 'ل':
			return "for", en, true
		case 'ب':
			return "in", en, true
		}
	}
	return "", "", false
}

// dropArticle returns w without the article ال when two letters or more
// are left (الله is a word of its own).
func dropArticle(w string) string {
	if rs := []rune(w); len(rs) > 3 && strings.HasPrefix(w, "ال") && w != "الله" {
		return string(rs[2:])
	}
	return w
}
