package normalize

import (
	_ "embed"
	"strings"
	"unicode"

	"concord/match/translit"
)

// Name knowledge from OpenSanctions' rigour tables (rigour/README.md):
// legal forms and organisation types (org_types.yml), organisation symbols
// and domains, person symbols and nicknames (symbols.yml), person-name
// prefixes (stopwords.yml). They are read once, at package initialisation,
// by a reader of the small YAML subset these files use (mappings, lists of
// scalars, comments), into phrase tables keyed by the canonical words of
// each alias as AppendTokens spells them.

//go:embed rigour/org_types.yml
var orgTypesYML string

//go:embed rigour/symbols.yml
var symbolsYML string

//go:embed rigour/stopwords.yml
var stopwordsYML string

// phrase is a table entry: what a sequence of canonical words stands for.
type phrase struct {
	kind    Kind
	text    string // canonical form of the token it becomes ("" = drop)
	generic string // legal forms: the generic class (llc, jsc, …), may be ""
	scripts uint8  // the scripts of the aliases it was written in (scriptBit)
}

// A table alias stands for its entry in the script it was written in: the
// tables hold words of many scripts, and once transliterated a word of one
// meets a word of another that means something else. Russian мир (world)
// is "mir", the Persian and Urdu given name Mir; Chinese 世界 (world) is
// "shi jie", a Chinese name. So an alias in Cyrillic, Han or another
// script applies to names written in that script only; an alias in Latin
// script to Latin names and to names of scripts other than Arabic (whose
// romanised table forms, OOO, AO, are what their letters give); and no
// Latin alias applies to a name in Arabic script, whose transliteration
// is a skeleton of consonants that meets Latin abbreviations by chance
// (في, "in", is "fi", the abbreviation of investment fund).
const (
	latinBit  uint8 = 1 << iota // Latin script (and aliases of digits or signs only)
	arabicBit                   // Arabic script
	otherBit                    // any other script
)

// scriptBit returns the script class of s.
func scriptBit(s string) uint8 {
	switch translit.Detect(s) {
	case translit.Latin, translit.Unknown:
		return latinBit
	case translit.Arabic:
		return arabicBit
	}
	return otherBit
}

// admits returns the table scripts whose aliases apply to a name of
// script class sc.
func admits(sc uint8) uint8 {
	if sc == otherBit {
		return otherBit | latinBit
	}
	return sc
}

// phraseTable maps space-joined canonical words to entries; first holds,
// for each first word, the longest phrase starting with it.
type phraseTable struct {
	m     map[string]phrase
	first map[string]uint8
}

func newPhraseTable() *phraseTable {
	return &phraseTable{m: map[string]phrase{}, first: map[string]uint8{}}
}

// add records alias (any script, dots and hyphens as written) unless an
// entry for the same words exists (the first one wins).
func (t *phraseTable) add(alias string, p phrase) {
	if singleHan(alias) {
		return // a syllable many characters share (han.go)
	}
	ws := plainWords(alias)
	if len(ws) == 0 || len(ws) > maxPhrase {
		return
	}
	k := strings.Join(ws, " ")
	sc := scriptBit(alias)
	if q, ok := t.m[k]; ok {
		q.scripts |= sc
		t.m[k] = q
		return
	}
	p.scripts = sc
	t.m[k] = p
	if n := uint8(len(ws)); n > t.first[ws[0]] {
		t.first[ws[0]] = n
	}
}

// maxPhrase bounds the words of a table phrase.
const maxPhrase = 8

// lookup returns the longest entry matching words[i:] that has an alias
// in one of the scripts sc, and its length.
func (t *phraseTable) lookup(words []string, i int, buf []byte, sc uint8) (phrase, int) {
	n := int(t.first[words[i]])
	if n == 0 {
		return phrase{}, 0
	}
	for l := min(n, len(words)-i); l >= 1; l-- {
		b := append(buf[:0], words[i]...)
		for _, w := range words[i+1 : i+l] {
			b = append(append(b, ' '), w...)
		}
		if p, ok := t.m[string(b)]; ok && p.scripts&sc != 0 {
			return p, l
		}
	}
	return phrase{}, 0
}

// legalLookup is legalForms.lookup for a name of the scripts sc. A legal
// form's Latin abbreviation is what an Arabic-script spelling of it
// transliterates to (لمتد, LMTD: Limited), so Latin forms apply to
// Arabic-script names too, but not those of one or two letters, which
// meet short Arabic words (اغ, ag).
func legalLookup(words []string, i int, buf []byte, sc uint8) (phrase, int) {
	if sc != arabicBit {
		return legalForms.lookup(words, i, buf, sc)
	}
	p, n := legalForms.lookup(words, i, buf, arabicBit|latinBit)
	if n == 1 && p.scripts&arabicBit == 0 && len(words[i]) < 3 {
		return phrase{}, 0
	}
	return p, n
}

// plainWords spells s as AppendTokens sees its words before name rules:
// transliterated, lower case, dotted abbreviations collapsed; in Arabic
// script in one orthography and without the article (القاعدة as قاعده).
func plainWords(s string) []string {
	if !translit.IsASCII(s) && translit.Detect(s) == translit.Arabic {
		s = dropArabicArticles(ArabicOrthography(s))
	} else if hasHan(s) {
		s = spaceHan(s) // one syllable a word, as organisations' names are read (han.go)
	}
	return strings.Fields(translit.ToLatin(collapseDots(s)))
}

// collapseDots writes dotted abbreviations without their dots, so that
// G.m.b.H., I.R.A. and S.A.R.L. meet GmbH, IRA and SARL: a dot after a
// segment of one or two letters goes when a letter follows it, or when the
// segment itself follows a dot, unless a word of two letters or more
// follows it. Other dots separate words (M. Zaydan).
// A dotted legal form written joined to the word before it (GRAJALESS.A.,
// DEC.V.) is read apart from it.
func collapseDots(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	seg := 0 // letters since the last non-letter
	for i, r := range rs {
		if r != '.' {
			if unicode.IsLetter(r) {
				seg++
			} else {
				seg = 0
			}
			out = append(out, r)
			continue
		}
		nextLetter := i+1 < len(rs) && unicode.IsLetter(rs[i+1])
		if seg >= 3 && nextLetter && gluedLegal(rs[i-1:]) {
			// A dotted legal form written joined to the word before it
			// (GRAJALESS.A., CLUBS.A., DEC.V.): its first letter is the
			// word's last.
			last := out[len(out)-1]
			out = append(out[:len(out)-1], ' ', last)
			seg = 1
		}
		afterDot := i-seg-1 >= 0 && rs[i-seg-1] == '.'
		if seg >= 1 && seg <= 2 && (nextLetter || afterDot) && !wordAfter(rs[i+1:]) && !(seg == 1 && twoLetterWord(rs[i+1:])) {
			seg = 0
			continue
		}
		out = append(out, ' ')
		seg = 0
	}
	return string(out)
}

// gluedLegal reports whether rs starts with a dotted abbreviation of
// single letters (S.A., C.V., S.C.S.) that is a legal form.
func gluedLegal(rs []rune) bool {
	var b [8]rune
	n := 0
	for i := 0; i+1 < len(rs) && unicode.IsLetter(rs[i]) && rs[i+1] == '.'; i += 2 {
		if n == len(b) {
			return false
		}
		b[n] = unicode.ToLower(rs[i])
		n++
		if i+2 < len(rs) && unicode.IsLetter(rs[i+2]) && i+3 < len(rs) && unicode.IsLetter(rs[i+3]) {
			return false // a word follows the dot (S.Ahmed)
		}
	}
	if n < 2 {
		return false
	}
	p, ok := legalForms.m[string(b[:n])]
	return ok && p.kind == KindLegal
}

// wordAfter reports whether rs starts with a word of three letters or
// more that no dot ends: "Dr.Khadim", "Co.Ltd" are two words, G.m.b.H.
// and I.R.A. one abbreviation.
func wordAfter(rs []rune) bool {
	n := 0
	for n < len(rs) && unicode.IsLetter(rs[n]) {
		n++
	}
	return n >= 3 && (n == len(rs) || rs[n] != '.')
}

// twoLetterWord reports whether rs starts with a word of two letters that
// no dot ends: after a dotted letter, the word after an abbreviation
// written without its space (S.A.DE C.V., Y.K.Ng), not its last letters
// (S.p.A., G.m.b.H.).
func twoLetterWord(rs []rune) bool {
	return len(rs) >= 2 && unicode.IsLetter(rs[0]) && unicode.IsLetter(rs[1]) && (len(rs) == 2 || !unicode.IsLetter(rs[2]) && rs[2] != '.')
}

// yamlScalar unquotes a YAML scalar and strips a trailing comment.
func yamlScalar(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 0 && (s[0] == '"' || s[0] == '\'') {
		q := s[0]
		if j := strings.IndexByte(s[1:], q); j >= 0 {
			return s[1 : j+1]
		}
		return s[1:]
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// yamlLines calls fn with each meaningful line's indentation and text.
func yamlLines(doc string, fn func(indent int, text string)) {
	for _, l := range strings.Split(doc, "\n") {
		t := strings.TrimLeft(l, " ")
		if t == "" || t[0] == '#' {
			continue
		}
		fn(len(l)-len(t), strings.TrimRight(t, " \r"))
	}
}

// Tables read from the rigour files.
var (
	legalForms = newPhraseTable() // org_types.yml
	symbols    = newPhraseTable() // org symbols and domains (canonical key)
	titles     = newPhraseTable() // person-name prefixes: dropped
	nicknames  = map[string]string{}
	// nickFull holds the full names of nicknames (Robert for Bob).
	nickFull = map[string]bool{}
	// abbrevs are abbreviations read as the name they stand for (Mohd).
	abbrevs = map[string]string{}
)

// Nickname returns the full name that nickname t stands for in rigour's
// person nicknames (robert for bob), or "". A nickname is kept as written
// in a name's parts, being a name of its own in other cultures (Jon, the
// Korean family name and the Basque given name; Ken, Sue, Ron, Dan): the
// comparison of parts meets the two (package score).
func Nickname(t string) string { return nicknames[t] }

// HasNickname reports whether t is the full name of a nickname (Robert).
func HasNickname(t string) bool { return nickFull[t] }

func init() {
	readOrgTypes()
	readSymbols()
	readStopwords()
	readOrgTerms()
	buildOrgWords()
	buildGluedForms()
}

// readOrgTypes reads org_types.yml: a list of types, each with display,
// generic, compare and aliases. A type's token is its compare form, else
// its display form, else its first alias, in canonical words joined.
func readOrgTypes() {
	type orgType struct {
		display, generic, compare string
		aliases                   []string
	}
	var cur *orgType
	var all []orgType
	inAliases := false
	yamlLines(orgTypesYML, func(indent int, t string) {
		switch {
		case strings.HasPrefix(t, "- ") && indent <= 2:
			all = append(all, orgType{})
			cur = &all[len(all)-1]
			inAliases = false
			t = strings.TrimPrefix(t, "- ")
			fallthrough
		case cur != nil && !strings.HasPrefix(t, "- "):
			k, v, ok := strings.Cut(t, ":")
			if !ok {
				return
			}
			inAliases = k == "aliases"
			switch k {
			case "display":
				cur.display = yamlScalar(v)
			case "generic":
				cur.generic = yamlScalar(v)
			case "compare":
				cur.compare = yamlScalar(v)
			}
		case cur != nil && inAliases && strings.HasPrefix(t, "- "):
			cur.aliases = append(cur.aliases, yamlScalar(t[2:]))
		}
	})
	for _, ot := range all {
		name := ot.compare
		if name == "" {
			name = ot.display
		}
		if name == "" && len(ot.aliases) > 0 {
			name = ot.aliases[0]
		}
		tok := strings.Join(plainWords(name), "")
		gen := strings.Join(plainWords(ot.generic), "")
		if tok == "" {
			continue
		}
		p := phrase{kind: KindLegal, text: tok, generic: gen}
		// Some tokens are the compare form of several types of other
		// classes (se: jsc and soe; kb, gp, sc): the first type in the
		// file gives the class, as the first entry of a phrase wins.
		if _, ok := legalGeneric[tok]; !ok && gen != "" {
			legalGeneric[tok] = gen
		}
		for _, a := range append([]string{name, ot.display}, ot.aliases...) {
			if a != "" {
				legalForms.add(a, p)
			}
		}
	}
}

// readSymbols reads symbols.yml: categories of keys, each with its
// variants. Organisation symbols (company, bank, group…) become a symbol
// token named by their key; organisation domains (house, supply…) a name
// part named by their key; nicknames (Bob → Robert) the full name.
func readSymbols() {
	var cat, key string
	var vals []string
	flush := func() {
		if key == "" {
			return
		}
		switch cat {
		case "org_symbols":
			for _, v := range vals {
				symbols.add(v, phrase{kind: KindSymbol, text: key})
			}
		case "org_domains":
			for _, v := range vals {
				symbols.add(v, phrase{kind: KindName, text: key})
			}
		case "person_nick":
			// "bob: [Bob, Robert]": the last variant is the full name.
			if len(vals) >= 2 {
				full := strings.Join(plainWords(vals[len(vals)-1]), "")
				for _, v := range vals[:len(vals)-1] {
					n := strings.Join(plainWords(v), "")
					if _, dup := nicknames[n]; dup || filiation[n] {
						nicknames[n] = "" // ambiguous (Ben, Chris): keep as written
						continue
					}
					nicknames[n] = full
				}
			}
		}
		key, vals = "", nil
	}
	defer func() {
		// rigour reads islami and islamiya as islamic (symbols.yml) but
		// has no Arabic spelling of the word; an Arabic-script name
		// (حرکت الجہاد الاسلامی, HARAKAT-UL JIHAD ISLAMI) must read it
		// as its Latin spellings do.
		for _, v := range [...]string{"اسلام", "اسلامي", "اسلامية"} {
			symbols.add(v, phrase{kind: KindName, text: "islamic"})
		}
		// rigour's shipping domain has no Chinese spelling, while its
		// neighbours have (技术 technology, 国际 international): 海运 and
		// 航运 (sea and water transport) and 船务 (ship affairs) are how
		// Chinese shipping companies name the trade (中远海运, COSCO
		// Shipping), in simplified and traditional characters.
		for _, v := range [...]string{"海运", "海運", "航运", "航運", "船务", "船務"} {
			symbols.add(v, phrase{kind: KindName, text: "shipping"})
		}
		// The abbreviations of Muhammad that names carry as written (the
		// UN and OFAC lists hold them): Mohd and Muhd in Malaysia,
		// Singapore and Brunei, Mhd in Syria. rigour's nicknames have
		// none; Md (Bangladesh) is left out, being also a degree.
		for _, v := range [...]string{"mohd", "muhd", "mhd"} {
			if _, dup := nicknames[v]; !dup {
				abbrevs[v] = "muhammad"
			}
		}
		for _, full := range nicknames {
			if full != "" {
				nickFull[full] = true
			}
		}
	}()
	yamlLines(symbolsYML, func(indent int, t string) {
		switch {
		case indent == 0 && strings.HasSuffix(t, ":"):
			flush()
			cat = strings.TrimSuffix(t, ":")
		case indent == 2 && strings.HasSuffix(t, ":"):
			flush()
			key = strings.TrimSuffix(t, ":")
		case strings.HasPrefix(t, "- "):
			vals = append(vals, yamlScalar(t[2:]))
		}
	})
	flush()
}

// readStopwords reads the person-name prefixes (titles) of stopwords.yml.
func readStopwords() {
	var cat string
	yamlLines(stopwordsYML, func(indent int, t string) {
		switch {
		case indent == 0 && strings.HasSuffix(t, ":"):
			cat = strings.TrimSuffix(t, ":")
		case strings.HasPrefix(t, "- ") && cat == "PERSON_NAME_PREFIXES":
			v := yamlScalar(t[2:])
			if ws := plainWords(v); len(ws) == 1 {
				honorifics[ws[0]] = true
			} else {
				titles.add(v, phrase{kind: KindTitle})
			}
		}
	})
}

// LegalGeneric returns the generic class of a legal-form token (llc, jsc,
// …), or "" when it has none or is not a legal form.
func LegalGeneric(tok string) string { return legalGeneric[tok] }

var legalGeneric = map[string]string{}
