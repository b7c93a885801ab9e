// Package normalize turns a personal or organisation name written in any
// script into canonical lower-case ASCII name parts.
//
// Pipeline: transliteration to Latin (package translit), then rules for name
// structure that romanisation habits disagree on:
//
//   - Arabic articles (al-, el-, ul-; ad-, ash-, ar-, as-, at-, az-, an-… when
//     the next part starts with the assimilated consonant) are dropped,
//     whether separate, hyphenated or attached in Arabic script (ال).
//   - Abd compounds become one part: Abdul Rahman, Abdulrahman, Abd al-Rahman,
//     Abdel Rahman and Abdurrahman all give "abdrahman".
//   - Kunyas Abu/Abou and Umm are joined to the next part ("abubakr").
//   - X ud-Din / X-uddin / X al-Din become "xdin"; X Ullah / X-ullah "xulla".
//   - Filiation particles (bin, ibn, bint, ben, ould, ag, o'g'li, qizi,
//     uly, kyzy…) and honorifics (Sheikh, Mullah, Maulavi, Haji, Dr…) are
//     dropped unless nothing else remains; Sayyid (سيد, Sayyed), a title
//     the lists write as a name part as often as not, is kept as a title
//     part that package score compares with names.
//   - Slavic patronymics (-ovich, -evna…; Belarusian -avich, -auna, -euna)
//     are kept but marked Weak; feminine
//     family names -ova/-eva become -ov/-ev.
//
// Rules are general; nothing here is tuned to particular listed persons.
package normalize

import (
	"slices"
	"strings"
	"unicode/utf8"

	"concord/match/translit"
)

// Kind is the type of a name part; parts are compared by type.
type Kind uint8

// Kinds of name parts.
const (
	KindName       Kind = iota // a given or family name (or an organisation's word)
	KindPatronymic             // a Slavic patronymic (-ovich, -ovna): weak evidence
	KindKunya                  // Abu X, Umm X
	KindInitial                // one letter standing for a name
	KindLegal                  // a legal form or organisation type (Text: its compare form)
	KindSymbol                 // an organisation symbol (company, bank, group…; Text: its key)
	KindNumber                 // a number or ordinal (Text: digits)
	KindTitle                  // a title or honorific kept because little else remains (Sheikh Omar): weighs little
)

// Token is one canonical name part.
type Token struct {
	Text string // lower-case ASCII, no spaces
	Weak bool   // patronymic or particle-like: evidence counts less
	Bare bool   // transliterated from Arabic script: short vowels unwritten
	Kind Kind
	// Chain is the part's place in a filiation chain (nasab): 0 when the
	// name has none; 1 for the person's own name, before the first bin/ibn
	// (or "son of"); 2 for the father's; 3 for the grandfather's…
	Chain uint8
	// Family is set for the parts written as the family name, before the
	// comma of "FAMILY, Given Names".
	Family bool
	// Article is set for a part written after an Arabic article that was
	// dropped (al-Azhar, ELSSEID), which a Maghrebi spelling may write
	// joined to it (Lazher, Essid; package score).
	Article bool
}

// MaxTokens bounds the parts kept from one name (the first ones win).
const MaxTokens = 12

// Tokens normalises name into canonical parts.
func Tokens(name string) []Token {
	return AppendTokens(nil, name)
}

// unknownParts are placeholders of forms for a name part nobody knew
// (First/Middle/Last Name Unknown).
var unknownParts = set("fnu", "lnu", "mnu", "nfn", "nmn", "unk", "unknown", "xxx")

// conjunctions join the words of an organisation's name (GmbH & Co. KG,
// Sanayi ve Ticaret) and are not parts of it; "&" is a separator already.
var conjunctions = set("and", "und", "ve")

// chainParticles start the next generation of a filiation chain.
var chainParticles = set("bin", "ibn", "bint", "binti", "ben", "bn", "abn", "bnt", "ibnu", "ould", "walad", "wad", "bte", "binte", "wld")

// personChain reports words[i] as the filiation particle wa ("of") of the
// Bantu languages, between two names of a person: Kikuyu Ngũgĩ wa
// Thiong'o (Ngũgĩ, son of Thiong'o), the UN's GÉDÉON KYUNGU MUTANGA WA
// BAFUNKWA KANONGA and NGARUYE WA MYAMURO, Swahili's mtoto wa ("child
// of"). Like bin it starts the next generation of the name, which the
// other list may leave out (MUTANGA, Gedeon Kyungu). Only in a name known
// to be a person's: in an organisation's Arabic name wa is و, "and"
// (al-Birr wa al-Ihsan), and it stays a word.
func personChain(words []string, i int) bool {
	return words[i] == "wa" && i > 0 && i < len(words)-1
}

// AppendTokens appends the canonical parts of name to dst.
func AppendTokens(dst []Token, name string) []Token {
	return appendTokens(dst, name, false, false)
}

// AppendPersonTokens is AppendTokens for a name the caller knows to be a
// person's (its record's or query's schema says so): a person has no
// legal form, so none is read in it. Sa'd, Saad's Arabic spelling, is
// otherwise the Spanish S.A.D. (sociedad anónima deportiva) and weighs as
// one (Sa'd Jafari was JAFARI with a legal form beside it).
func AppendPersonTokens(dst []Token, name string) []Token {
	return appendTokens(dst, name, false, true)
}

// AppendOrgTokens is AppendTokens for a name the caller knows to be an
// organisation's (its record's or query's schema says so): its misspelt
// organisation words are read as their table words wherever they stand
// (Kaikai Tichnology Co., Day Exchange Compaanie), which in a name of
// unknown schema only another table word in it allows, since person
// names are often an edit from a table word.
func AppendOrgTokens(dst []Token, name string) []Token {
	return appendTokens(dst, name, true, false)
}

func appendTokens(dst []Token, name string, org, person bool) []Token {
	name = Clean(name)
	arabic, bare := false, false
	sc, articles := latinBit, 0
	if !translit.IsASCII(name) {
		sc = scriptBit(name)
		arabic = sc == arabicBit
		bare = translit.LooseVowels(name)
	}
	if arabic {
		name, articles = dropArabicArticlesN(dropArabicHonorifics(ArabicOrthography(name)))
	}
	if org && sc == otherBit && hasHan(name) {
		name = spaceHan(name) // one syllable a word (han.go)
	}
	name, family := familyFirst(collapseDots(dropEzafe(name)), person)
	lat := translit.ToLatin(name)
	var raw [MaxTokens * 2]string
	var rawKinds [MaxTokens * 2]Kind
	words, kinds := raw[:0], rawKinds[:0]
	famFrom := 0 // index of the first raw word of the family part
	if family > 0 {
		famFrom = len(strings.Fields(lat)) - family
	}
	k := -1
	for w := range strings.FieldsSeq(lat) {
		k++
		if len(words) == cap(words) {
			break
		}
		if arabic && w == "allh" {
			w = "allah"
		}
		if unknownParts[w] || conjunctions[w] && len(words) > 0 {
			if family > 0 && k >= famFrom {
				family--
			}
			continue
		}
		w = ocrLetters(w)
		if a, b, ok := splitGluedLegal(w, org); ok && len(words)+1 < cap(words) {
			words = append(words, a)
			kinds = append(kinds, KindName)
			if family > 0 && k >= famFrom {
				family++
			}
			w = b
		} else if a, b, ok := splitCompound(w); ok && len(words)+1 < cap(words) {
			// A compound is split unless it misspells a table word, which is
			// corrected below, where the rest of the name is known (the split
			// is tried first: orgWord costs more, and most words split not).
			if _, _, misspelt := orgWord(w); !misspelt {
				words = append(words, a)
				kinds = append(kinds, KindName)
				if family > 0 && k >= famFrom {
					family++
				}
				w = b
			}
		}
		words = append(words, w)
		kinds = append(kinds, KindName)
	}
	correctOrgWords(words, org)
	if !org && family == 0 {
		strandedPrefixes(words, kinds)
	}
	words, kinds = phrases(words, kinds, &family, admits(sc), articles, person)
	words, kinds = dropHonorificsKinds(words, kinds, &family)
	if len(words) > 0 {
		words, kinds = numbers(words, kinds)
	}
	chain := uint8(0)
	for i, w := range words {
		if chainParticles[w] || person && personChain(words, i) {
			chain = 1
			break
		}
	}
	start := len(dst)
	nFam := len(words) - family // first word of the family part, when family > 0
	article := false            // the word before was an article, dropped
	for i := 0; i < len(words); i++ {
		if len(dst)-start >= MaxTokens {
			break // the Abd and kunya forms below append without checking
		}
		afterArticle := article
		article = false
		w := words[i]
		last := i == len(words)-1
		fam := family > 0 && i >= nFam
		if k := kinds[i]; k != KindName {
			dst = append(dst, Token{Text: w, Kind: k, Family: fam})
			if len(dst)-start >= MaxTokens {
				break
			}
			continue
		}
		if !last && isArticle(w, words[i+1]) && len(words) > 1 {
			article = true
			continue
		}
		if filiation[w] && len(words) > 1 && (i > 0 || !last) || person && personChain(words, i) {
			if (chainParticles[w] || person && personChain(words, i)) && chain > 0 && i > 0 && len(dst) > start {
				chain++
			}
			continue
		}
		if (w == "son" || w == "daughter") && i > 0 && i+2 < len(words) && words[i+1] == "of" {
			i++ // English filiation: "Akhter Mohmad son of Noor Mohmad"
			if chain == 0 {
				chain = 1
				for k := start; k < len(dst); k++ {
					dst[k].Chain = 1
				}
			}
			chain++
			continue
		}
		if !last {
			if abdForms[w] || abdVoweled[w] && i+2 < len(words) && isArticle(words[i+1], words[i+2]) {
				next, skip := nextPart(words, i+1)
				dst = append(dst, Token{Text: "abd" + abdRest(next, false), Chain: chain, Family: fam})
				i = skip
				continue
			}
			if kunya[w] != "" {
				next, skip := nextPart(words, i+1)
				dst = append(dst, Token{Text: kunya[w] + next, Kind: KindKunya, Chain: chain, Family: fam})
				i = skip
				continue
			}
		}
		if i > 0 && len(dst) > start {
			if dinForms[w] || ullaForms[w] {
				p := &dst[len(dst)-1]
				if dinForms[w] {
					p.Text += "din"
				} else {
					p.Text += "ulla"
				}
				continue
			}
		}
		if sayyidForms[w] && len(words) > 1 {
			// Sayyid: a title that is also a name part (arabicSayyid);
			// last, it is the family name (AL-SAYYID, Amin; سعد الدين
			// سيد, SADUDDIN SAYYED) and stays one, in one spelling.
			k := KindTitle
			if last {
				k = KindName
			}
			dst = append(dst, Token{Text: Sayyid, Kind: k, Chain: chain, Family: fam})
			if len(dst)-start >= MaxTokens {
				break
			}
			continue
		}
		t := Canon(w)
		t.Chain, t.Family = chain, fam
		t.Article = t.Article || afterArticle
		if len(t.Text) == 1 && t.Text[0] >= 'a' && t.Text[0] <= 'z' {
			t.Kind = KindInitial
		} else if t.Weak {
			t.Kind = KindPatronymic
		} else if strings.HasPrefix(t.Text, "abu") && len(t.Text) > 5 || strings.HasPrefix(t.Text, "umm") && len(t.Text) > 5 {
			t.Kind = KindKunya
		}
		if full := abbrevs[t.Text]; full != "" {
			t.Text = full
		}
		dst = append(dst, t)
		if len(dst)-start >= MaxTokens {
			break
		}
	}
	if bare {
		for i := start; i < len(dst); i++ {
			dst[i].Bare = true
		}
	}
	return dst
}

// familyFirst turns "FAMILY, Given Names" (one comma, Latin script, a
// family part of at most three words) into "Given Names FAMILY" and
// returns the number of family words at the end (0 when not inverted).
// In a name not known to be a person's, a legal form after the comma is
// the organisation's, written after its name as the lists write it
// (OFAC's "VAD, AO", "LADOGA MENEDZHMENT, OOO"), and stays at the end.
func familyFirst(name string, person bool) (string, int) {
	i := strings.IndexByte(name, ',')
	if i <= 0 || strings.IndexByte(name[i+1:], ',') >= 0 || !translit.IsASCII(name) {
		return name, 0
	}
	fam, given := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+1:])
	nf := len(strings.Fields(translit.ToLatin(fam)))
	if given == "" || nf == 0 || nf > 3 {
		return name, 0
	}
	// A suffix after the comma is not a given name (SMITH, JR).
	switch strings.ToLower(strings.Trim(given, ". ")) {
	case "jr", "sr", "junior", "senior", "ii", "iii", "iv":
		return name, 0
	}
	if !person && endsInLegal(plainWords(given), 0, latinBit) {
		return name, 0
	}
	return given + " " + fam, nf
}

// phrases replaces table phrases in words: titles are dropped; legal forms
// become one legal token at the start or the end of a name; organisation
// symbols and domains one token anywhere (when the name has other words).
// A domain word that is also a known person name (Çelik is a Turkish
// family name and the word for steel, Elmas a given name and diamond,
// Marine a French given name) is read as a domain only in a name that a
// legal form or a symbol marks as an organisation's: Mehmet Çelik is not
// Mehmet Steel, Çelik Holding is Steel Holding.
func phrases(words []string, kinds []Kind, family *int, sc uint8, articles int, person bool) ([]string, []Kind) {
	if len(words) == 0 {
		return words, kinds
	}
	var buf [128]byte
	org := -1 // orgMarked(words), worked out when a domain word needs it
	domain := func(p phrase, i, n int) bool {
		// A domain word of two letters (fi, re, ev: investment fund,
		// reinsurance, house) is an abbreviation only in an organisation's
		// name: fi is also the Arabic "in" (Ansarul Muslimina fi Biladis
		// Sudan), ev a part of Turkish names.
		if p.kind == KindSymbol || n > 1 || !KnownName(words[i]) && len(words[i]) > 2 {
			return true
		}
		if org < 0 {
			org = 0
			if !person && orgMarked(words, sc) {
				org = 1
			}
		}
		return org == 1
	}
	out, ok := words[:0:0], kinds[:0:0]
	for i := 0; i < len(words); {
		if _, n := titles.lookup(words, i, buf[:], sc); n > 0 && n < len(words) {
			i += n
			continue
		}
		if p, n := legalLookup(words, i, buf[:], sc); !person && n > 0 && n < len(words) && (i == 0 || i+n == len(words) || endsInLegal(words, i+n, sc)) {
			// A two-letter form alone at the start is a name part more
			// often than a form (Ag Ghali, Sa Ngoc).
			if !(i == 0 && n == 1 && len(words[0]) <= 2) {
				out, ok = append(out, p.text), append(ok, KindLegal)
				i += n
				continue
			}
		}
		if p, n := symbols.lookup(words, i, buf[:], sc); n > 0 && n < len(words)+articles && domain(p, i, n) {
			out, ok = append(out, p.text), append(ok, p.kind)
			i += n
			continue
		}
		out, ok = append(out, words[i]), append(ok, kinds[i])
		i++
	}
	if *family > 0 {
		*family -= len(words) - len(out)
		if *family < 0 {
			*family = 0
		}
	}
	return out, ok
}

// orgMarked reports whether words hold a legal form or an organisation
// symbol (the phrases that make a name an organisation's).
func orgMarked(words []string, sc uint8) bool {
	var buf [128]byte
	for i := range words {
		if _, n := legalLookup(words, i, buf[:], sc); n > 0 && n < len(words) {
			return true
		}
		if p, n := symbols.lookup(words, i, buf[:], sc); n > 0 && n < len(words) && p.kind == KindSymbol {
			return true
		}
	}
	return false
}

// LegalEnds returns how many of words (lower case, no dots: plainWords)
// a legal form takes at their start and how many legal forms take at
// their end (OOO LADOGA MENEDZHMENT; PROFINET PTE LTD: 1 and 0, 0 and 2),
// each 0 when none; a name that is all legal forms gives 0, 0.
func LegalEnds(words []string) (head, tail int) {
	var buf [128]byte
	if _, n := legalLookup(words, 0, buf[:], latinBit); n > 0 && n < len(words) {
		head = n
	}
	for i := head + 1; i < len(words); i++ {
		if endsInLegal(words, i, latinBit) {
			return head, len(words) - i
		}
	}
	return head, 0
}

// endsInLegal reports whether words[i:] are all legal forms (GmbH & Co KG).
func endsInLegal(words []string, i int, sc uint8) bool {
	var buf [128]byte
	for i < len(words) {
		if words[i] == "and" || words[i] == "und" || words[i] == "et" {
			i++
			continue
		}
		_, n := legalLookup(words, i, buf[:], sc)
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// dropHonorificsKinds drops honorifics (Sheikh, Mullah, Haji, Dr…) that
// stand before a name. An honorific after the last name word is kept as a
// name (Saleh Maulana: a family name), and when dropping would leave one
// word of a longer name (Sheikh Omar, AWEYS, Sheikh) the honorifics are
// kept as title parts, which weigh little: one common name alone is not
// the same evidence as a title and a name. An article does not count as a
// word left (Qari al-Dajani keeps Qari as a title part: the article goes,
// and Dajani alone would remain). family counts the words of the family
// part and follows the drops.
func dropHonorificsKinds(words []string, kinds []Kind, family *int) ([]string, []Kind) {
	last := -1 // the last word that is not an honorific
	kept := 0  // the words that are not honorifics, nor an article (dropped later)
	hon := false
	for i, w := range words {
		if honorifics[w] {
			hon = true
			continue
		}
		last = i
		if i+1 == len(words) || kinds[i] != KindName || !isArticle(w, words[i+1]) {
			kept++
		}
	}
	if last < 0 || !hon {
		return words, kinds
	}
	kept += len(words) - 1 - last // trailing honorifics are names
	if kept == 1 {
		out := slices.Clone(kinds)
		for i, w := range words[:last] {
			if honorifics[w] && out[i] == KindName {
				out[i] = KindTitle
			}
		}
		return words, out
	}
	famFrom := len(words) - *family
	out, ok := words[:0:0], kinds[:0:0]
	for i, w := range words {
		if honorifics[w] && i < last {
			if *family > 0 && i >= famFrom {
				*family--
			}
			continue
		}
		out, ok = append(out, w), append(ok, kinds[i])
	}
	return out, ok
}

// nextPart returns the part after an Abd/Abu at words[j], skipping an
// article, and the index of the last word consumed.
func nextPart(words []string, j int) (string, int) {
	if j < len(words)-1 && isArticle(words[j], words[j+1]) {
		j++
	}
	return words[j], j
}

// Canon canonicalises one word that stands alone.
func Canon(w string) Token {
	if n := len(w); n >= 6 && (w[0] == 'a' || w[0] == 'e') && w[1] == 'l' && w[2] == w[3] && strings.IndexByte("tdrzsn", w[2]) >= 0 {
		// The article written joined with the sun letter it assimilates
		// to doubled (ELSSEID for al-Sayyid, as-Sayyid; Alttayeb): the
		// name without both. (No other Latin name starts so: Allen and
		// Ellis double an l, which is no sun letter here.)
		t := canon(w[3:])
		t.Article = true
		return t
	}
	return canon(w)
}

// canon is Canon after a joined article.
func canon(w string) Token {
	n := len(w)
	switch {
	case n > 5 && strings.HasPrefix(w, "abd"):
		return Token{Text: "abd" + abdRest(w[3:], true)}
	case n >= 10 && abdVoweled[w[:4]] && (w[4] == 'a' || w[4] == 'e' || w[4] == 'u') && w[5] == 'l':
		// عبد with its vowel and the article written joined to the
		// name (Abedalrahman, Abedalkareem; Ebedalehelim and
		// Abadalarahaman from tables that write a vowel after every
		// consonant): Abd before an article, as the split forms are.
		return Token{Text: "abd" + abdRest(w[4:], true)}
	}
	if n >= 7 {
		for _, suf := range [...]string{"dine", "deen", "din"} {
			if strings.HasSuffix(w, suf) {
				base := trimLink(w[:n-len(suf)])
				if len(base) >= 3 {
					return Token{Text: base + "din"}
				}
			}
		}
		for _, suf := range [...]string{"ullah", "ulla", "ulloh", "alalah", "allah", "ollah", "illah", "elleh"} { // alalah: a vowel after every consonant of الله (Khyralalah)
			if strings.HasSuffix(w, suf) && n-len(suf) >= 3 {
				return Token{Text: w[:n-len(suf)] + "ulla"}
			}
		}
	}
	w = slavicEnding(w)
	n = len(w)
	if n >= 8 {
		for _, suf := range [...]string{"ovich", "evich", "ovna", "evna", "ichna", "ovych", "ivna", "yevich", "avich", "auna", "euna"} {
			if strings.HasSuffix(w, suf) {
				return Token{Text: w, Weak: true}
			}
		}
	}
	if n >= 9 && (w[n-5] == 'o' || w[n-5] == 'e') && w[n-4] == 'v' && isVowel(w[n-3]) && w[n-3] != 'i' && w[n-3] != 'y' && w[n-2:] == "ch" {
		// -ovich, -evich with its i mistyped as another vowel
		// (Orestovoch, Petrovech): a patronymic still, and no Slavic
		// family name ends so (the Serbo-Croat and Ukrainian -vich,
		// -vych and -vić keep their i or y).
		return Token{Text: w, Weak: true}
	}
	if n >= 6 && (strings.HasSuffix(w, "ova") || strings.HasSuffix(w, "eva")) {
		return Token{Text: w[:n-1]}
	}
	if n >= 8 && strings.HasSuffix(w, "skaya") {
		return Token{Text: w[:n-4] + "y"}
	}
	return Token{Text: w}
}

// abdRest canonicalises what follows Abd. Attached (Abdulrahman,
// Abdirahman, Abdurrahman) a linking vowel, with the article l when
// present, is removed; separate (Abd al-Rahman was already stripped of its
// article, Abd Allah) only an "al"-like prefix before a consonant is. An
// assimilated doubled consonant is then collapsed. All of Abdul Rahman,
// Abdulrahman, Abd al-Rahman, Abdel Rahman, Abdurrahman give "rahman";
// Abdullah, Abd Allah, Abdallah give "lah"; Abdalhi (Abd al-Hayy, a name
// of two letters after the article) "hi", as عبدالحی does.
func abdRest(s string, attached bool) string {
	if len(s) > 3 && isVowel(s[0]) && s[0] != 'y' && s[1] == 'l' {
		s = s[2:]
	} else if attached && len(s) > 2 && isVowel(s[0]) && s[0] != 'y' {
		s = s[1:]
	}
	if len(s) > 2 && s[0] == s[1] && !isVowel(s[0]) {
		s = s[1:]
	}
	return s
}

// trimLink removes the linking article between a name and -din: "salahal",
// "salahud", "nizamu" → "salah", "salah", "nizam".
func trimLink(b string) string {
	for _, l := range [...]string{"ul", "al", "el", "ud", "ad", "ed", "id", "od", "u", "a", "e", "i", "o"} {
		if strings.HasSuffix(b, l) && len(b)-len(l) >= 3 {
			return b[:len(b)-len(l)]
		}
	}
	return b
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// dropArabicArticles strips the article ال attached to Arabic-script words
// (العدل → عدل, الهاشمي → هاشمي; الله stays). It works on the Arabic
// spelling: after transliteration a word-initial ع (علي, علوش → "ali",
// "alush") could not be told from the article. عبد and أبو written joined
// to the article of the next name, as Persian and Afghan spellings have
// them (عبدالحی, ابوالفضل), are split from it like عبد الحی and
// ابو الفضل: the name after the article keeps its own letters however
// short (عبدالحی is Abd al-Hayy, Abdulhai), and عبدالله is عبد الله. The
// conjunction و is written joined to the article of the word it comes
// before (والمسلمين wa al-Muslimin, والجهاد wal-Jihad): it is split from
// the word, which loses its article, when three letters or more are left
// (والي, Wali, is a name).
func dropArabicArticles(name string) string {
	s, _ := dropArabicArticlesN(name)
	return s
}

// dropArabicArticlesN is dropArabicArticles that also returns how many
// words lost their article (a word of Latin spellings, AL-QAIDA, that
// the Arabic spelling writes joined, القاعدة).
func dropArabicArticlesN(name string) (string, int) {
	const al = "ال"
	if !strings.Contains(name, al) {
		return name, 0
	}
	dropped := 0
	fields := strings.Fields(name)
	changed := false
	for i, f := range fields {
		for _, head := range [...]string{"عبد", "ابو"} {
			if rest, ok := strings.CutPrefix(f, head+al); ok && utf8.RuneCountInString(rest) >= 2 {
				if isAllah(al + rest) {
					fields[i] = head + " " + al + rest // عبدالله as عبد الله
				} else {
					fields[i] = head + " " + rest
				}
				changed = true
				break
			}
		}
		if rest, ok := strings.CutPrefix(f, "و"+al); ok && utf8.RuneCountInString(rest) >= 3 && !isAllah(al+rest) {
			fields[i] = "و " + rest
			changed = true
			dropped++
			continue
		}
		if strings.HasPrefix(f, al) && utf8.RuneCountInString(f) >= 4 && !isAllah(f) {
			fields[i] = f[len(al):]
			changed = true
			dropped++
		}
	}
	if !changed {
		return name, 0
	}
	return strings.Join(fields, " "), dropped
}

// isAllah reports whether w is الله in Arabic or Urdu spelling, with or
// without marks (its ال is not an article to strip).
func isAllah(w string) bool {
	rest := strings.TrimPrefix(w, "ال")
	n := 0
	for _, r := range rest {
		switch {
		case r >= 0x064B && r <= 0x0670: // harakat, shadda, dagger alif
			continue
		case n == 0 && r == 'ل', n == 1 && (r == 'ه' || r == 'ہ' || r == 'ھ'):
			n++
		default:
			return false
		}
	}
	return n == 2
}

// isArticle reports whether w is an Arabic article before next: al/el/ul
// always; sun-letter forms (ad, ash, ar, as, at, az, an, ath, adh and their
// e-/u- variants) only when next starts with the same consonant, so
// Kim Jong Un or Jean-Marc An keep their parts.
func isArticle(w, next string) bool {
	switch w {
	case "al", "el", "ul", "il":
		return true
	}
	if len(w) < 2 || len(w) > 3 || !(w[0] == 'a' || w[0] == 'e' || w[0] == 'u') {
		return false
	}
	cons := w[1:]
	switch cons {
	case "d", "s", "sh", "r", "t", "th", "dh", "z", "n":
		return strings.HasPrefix(next, cons) && len(next) > len(cons)+1
	}
	return false
}

// abdVoweled are spellings of عبد with a vowel between b and d, as
// Levantine and Maghreb spellings (Abed al-Rahman) and tables that write a
// vowel after every consonant (Ebed El-letif, Abad El-qadar) have it; Abed
// is also a name of its own (عابد), so they are Abd only before an
// article.
var abdVoweled = set("abed", "ebed", "abad", "abid", "ebid")

var abdForms = set("abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdu", "abdur", "abdus", "abdou", "abdi", "abde", "abdo", "abdan", "abdun", "abdush", "abdaz", "abduz")

var kunya = map[string]string{"abu": "abu", "abou": "abu", "abo": "abu", "aboo": "abu", "abul": "abu", "abi": "abu", "umm": "umm", "um": "umm", "om": "umm", "oum": "umm", "umme": "umm"}

// dinForms are al-Din written apart from the name before it, with its
// article as each habit writes it: Salah ad-Din, Salahuddin's "uddin",
// Egyptian and Maghreb Nour Eldin, Salah Edine, Nasser Eldine, South Asian
// Iddin, Aldeen. (Edin alone is a Bosnian given name: not one of them.)
var dinForms = set("din", "deen", "dine", "eddin", "uddin", "addin", "ud din", "eddine", "uddeen", "aldin", "uldin",
	"eldin", "eldine", "edine", "eddeen", "aldeen", "uldeen", "uddine", "iddin", "eldeen")

var ullaForms = set("ullah", "ulla", "allah", "ollah", "ulloh", "olloh", "alla", "illah", "lah", "llah", "leh", "lleh", "alleh", "elleh") // lah: "Habib el-Lah", its article dropped; leh: French e for its a (Amin El-leh)

var filiation = set("bin", "ibn", "bint", "binti", "ben", "bn", "abn", "bnt", "ibnu", "ould", "ag", "agh", "walad", "wad", "bte", "binte",
	"wld", "ogli", "ugli", "oglu", "ogly", "qizi", "kizi", "qyzy", "kyzy", "uly", "uli", "ulu", "kizy", "gizi",
	"oghlu", "oghli", "oghly", "ughli") // oğlu, oğli as Turkish and Azerbaijani ğ is written gh; agh: Tuareg Ag in Arabic script (اغ, إياد اغ غالي)

var honorifics = set("sheikh", "shaikh", "shaykh", "sheik", "shaik", "cheikh", "shiekh", "mullah", "mulla", "molla", "mollah", "mula",
	"maulavi", "maulvi", "mawlawi", "mawlavi", "moulavi", "molvi", "mawlvi", "maulana", "mawlana", "moulana", "molana", "mowlana",
	"haji", "hajji", "hadji", "hajj", "alhaj", "alhaji", "alhajji", "hadj", "al hajj",
	"dr", "doctor", "prof", "professor", "qari", "mufti", "imam", "emir", "amir ul", "ustadh", "ustad", "ustaz",
	"general", "gen", "col", "colonel", "brig", "brigadier", "major", "maj", "capt", "captain", "lt", "sgt",
	"mr", "mrs", "ms", "miss", "sir", "mme", "mlle", "herr", "frau", "sheikha", "shaykha",
	// The same titles as German, French and Turkish spellings write them.
	"scheich", "scheik", "schaich", "scheikh", "cheik", "cheick", "chaikh", "chaykh", "cheykh", "seyh", "sheyh",
	"hadschi", "hadsch", "hadj", "hadji", "haci", "hacı", "mollah", "moulla", "mawlvi", "maulawi", "mevlevi", "mevlana")

// arabicHonorifics are honorifics written in Arabic script (Sheikh,
// Mullah, Mawlawi, Mawlana, Hajji, Mufti, Ustad, Doctor). They are
// matched before transliteration.
var arabicHonorifics = set("شيخ", "شیخ", "الشيخ", "ملا", "مولوی", "مولوي", "مولوى", "مولانا",
	"حاج", "الحاج", "حاجی", "حاجي", "مفتی", "مفتي", "استاد", "دكتور", "الدكتور")

// arabicSayyid are سيد and السيد (ArabicOrthography has made سید سيد):
// a title of the Prophet's descendants that the lists write as the name
// part it also is as often as they leave it out (سيد أحمد شهيد خيل SAID
// AHMED SHAHIDKHEL, على السيد محمد ALI SAYYID MUHAMED, سيد محمد حقانی
// SAYYED MOHAMMED HAQQANI with SAYYED a title). It is written as the
// Latin word "sayyid" before transliteration, which the token rules make
// a title part (Sayyid) that compares with names: matched when the other side has it, at
// little cost when not. (The name سعيد also reads "sid": it is not one.)
var arabicSayyid = set("سيد", "السيد")

// Sayyid is the text of the title part that Sayyid and سيد become: a
// title (KindTitle, weighing little) that compares with name parts, as
// no other title does (package score).
const Sayyid = "sayyid"

// sayyidForms are the Latin spellings of Sayyid that honorifics used to
// drop (Sayed, Syed are also given names, and stay names).
var sayyidForms = set("sayyid", "sayyed")

// dropArabicHonorifics removes Arabic-script honorifics from name unless
// nothing else would remain, and writes Sayyid as the Latin word sayyid
// when something else remains.
func dropArabicHonorifics(name string) string {
	fields := strings.Fields(name)
	kept := fields[:0:0]
	sayyid := false
	for _, f := range fields {
		if arabicSayyid[f] {
			sayyid = true
		}
		if !arabicHonorifics[f] {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 || len(kept) == len(fields) && !sayyid {
		return name
	}
	if sayyid && len(kept) > 1 {
		for i, f := range kept {
			if arabicSayyid[f] {
				kept[i] = "sayyid"
			}
		}
	}
	return strings.Join(kept, " ")
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// ArabicOrthography writes an Arabic-script name in one spelling of its
// everyday variants before transliteration, so that the variants give one
// key: harakat and tatweel removed; hamza on alif, madda and wasla as bare
// alif (أ إ آ ٱ → ا), hamza on waw and ya as the letter (ؤ → و, ئ → ي);
// alif maqsura as ya (ى → ي); ta marbuta as ha (ة ۀ → ه); Persian ya and
// kaf as the Arabic letters (ی → ي, ک → ك); Urdu heh goal and its ta
// marbuta as the Arabic ha (ہ ۂ ۃ → ه: Urdu writes every Arabic ه and
// final ة with them, عبداللہ, جماعۃ).
func ArabicOrthography(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for _, r := range s {
		o := r
		switch {
		case r >= 0x064B && r <= 0x065F || r == 0x0670 || r == 0x0640:
			changed = true
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			o = 'ا'
		case r == 'ؤ':
			o = 'و'
		case r == 'ئ' || r == 'ى' || r == 'ی':
			o = 'ي'
		case r == 'ة' || r == 'ۀ' || r == 'ۃ' || r == 'ہ' || r == 'ۂ':
			o = 'ه'
		case r == 'ک':
			o = 'ك'
		}
		changed = changed || o != r
		b.WriteRune(o)
	}
	if !changed {
		return s
	}
	return b.String()
}

// dropEzafe removes the Persian and Urdu ezafe that Latin spellings of
// organisation and person names write as a hyphenated vowel between two
// words (Lashkar-e-Tayyiba, Lashkar-i-Taiba, Tehrik-e Taliban,
// Falah-i-Insaniat, Daneshgah-e Sana'ti-ye Malek-e Ashtar): it links the
// words as of does and is spelt e, i, ye or yi by each habit, so that kept
// as a part it made Lashkar-e and Lashkar-i differ and Lashkar Tayyiba
// lack a part. Only a hyphenated one is an ezafe (E. alone is an initial).
func dropEzafe(name string) string {
	if !strings.Contains(name, "-") {
		return name
	}
	var b []byte
	for i := 0; i < len(name); i++ {
		if name[i] == '-' && i > 0 && isLetterByte(name[i-1]) {
			if n := ezafeLen(name[i+1:]); n > 0 {
				if b == nil {
					b = append(make([]byte, 0, len(name)), name[:i]...)
				}
				b = append(b, ' ')
				i += n
				continue
			}
		}
		if b != nil {
			b = append(b, name[i])
		}
	}
	if b == nil {
		return name
	}
	return string(b)
}

// ezafeLen returns the length of an ezafe (e, i, ye, yi, and the hyphen or
// space after it) at the start of s, or 0.
func ezafeLen(s string) int {
	for _, v := range [...]string{"ye", "yi", "e", "i"} {
		if len(s) > len(v)+1 && strings.EqualFold(s[:len(v)], v) && (s[len(v)] == '-' || s[len(v)] == ' ') && isLetterByte(s[len(v)+1]) {
			return len(v) + 1
		}
	}
	return 0
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80 }

// stranded are the prefixes of an Arabic name that never end one: the
// article and Abd, which stand before the word they belong to.
var stranded = set("al", "el", "abd", "abdul", "abdel", "abdal", "abdur")

// strandedPrefixes moves the prefixes that end a name of two words or
// more (at most two: Abd al) to its front, in place. A name written
// family name first by a system that takes the last word for the family
// name (an MRZ read back, a form's SURNAME field) leaves the family
// name's article or Abd behind it: TIKRITI SADDAM HUSSEIN AL is
// al-Tikriti, LATIF KITU ABD AL Abd al-Latif. (Bin, ben and ould are
// dropped wherever they stand; Abu and Abdi, also given and family names
// of their own, are left where they are.)
func strandedPrefixes(words []string, kinds []Kind) {
	n := len(words)
	t := 0
	for t < 2 && t < n-1 && stranded[words[n-1-t]] && kinds[n-1-t] == KindName {
		t++
	}
	if t == 0 {
		return
	}
	slices.Reverse(words)
	slices.Reverse(words[:t])
	slices.Reverse(words[t:])
	slices.Reverse(kinds)
	slices.Reverse(kinds[:t])
	slices.Reverse(kinds[t:])
}
