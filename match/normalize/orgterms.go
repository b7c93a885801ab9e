package normalize

import (
	_ "embed"
	"strings"
)

// Organisation words across languages (orgterms.txt): the words that
// name the kind of body an organisation is, in English and romanised
// Arabic, Urdu, Persian and Pashto (Group, Jamaat; Movement, Harakat,
// Tehrik; Army, Jaish, Lashkar; Foundation, Muassasat; Money Exchange,
// Sarafi). A name keeps them as written, so that a typo of one still
// meets it as a typo; the comparison of two parts of organisation names
// (package score) lets two words of one line meet as one word
// translated, where spelling alone sees two words.

//go:embed orgterms.txt
var orgTermsTXT string

// orgTermOf maps a word (or the symbol key or legal form it becomes in
// a name) to its line's number, from 1.
var orgTermOf = map[string]uint8{}

// OrgTerm returns the number of the line of orgterms.txt that part text
// t is a word of (Jamaat, and grp, the symbol Group becomes: the line of
// groups), 0 for none.
func OrgTerm(t string) uint8 { return orgTermOf[t] }

// readOrgTerms reads orgterms.txt (lines "key: word, …"). It runs after
// the rigour tables, whose symbol keys and legal forms the table's
// English words become in a name.
func readOrgTerms() {
	n := uint8(0)
	for l := range strings.Lines(orgTermsTXT) {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		key, words, ok := strings.Cut(l, ":")
		if !ok || n == 255 {
			panic("normalize: orgterms.txt: bad line " + l)
		}
		n++
		for _, w := range append([]string{key}, strings.Split(words, ",")...) {
			ws := plainWords(w)
			if len(ws) != 1 {
				panic("normalize: orgterms.txt: not one word: " + w)
			}
			if m, dup := orgTermOf[ws[0]]; dup && m != n {
				panic("normalize: orgterms.txt: " + ws[0] + " on two lines")
			}
			orgTermOf[ws[0]] = n
			// What the word becomes in a name: a symbol key (group: grp)
			// or a legal form (charity: ngo).
			for _, p := range [...]phrase{symbols.m[ws[0]], legalForms.m[ws[0]]} {
				if (p.kind == KindSymbol || p.kind == KindLegal) && p.text != "" && p.text != ws[0] {
					if _, dup := orgTermOf[p.text]; !dup {
						orgTermOf[p.text] = n
					}
				}
			}
		}
	}
}
