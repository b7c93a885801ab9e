package payment

import (
	"strings"
	"unicode"
)

// Bounds of the name windows of one free-text field.
const (
	maxWindowWords = 4  // words in a window (a whole run of up to maxRunWhole words is tried too)
	maxRunWhole    = 6  // a run of this many words or fewer is also tried whole
	maxWindows     = 32 // windows per text
)

// stopwords are words of payment texts that are not names: they end a run
// of words that may be a name. Lower case, several languages. Words that
// listed organisations carry in their names (bank, trade, services,
// support, charity) are not among them.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		a an and the of for to from by on in at with via per re ref refs reference references
		nr no num number inv invoice invoices bill payment payments pay paid transfer transfers
		salary salaries wage wages rent loan gift fee fees school tuition goods service
		services order orders contract month monthly year yearly account acct acc amount total
		advance prepayment balance settlement purchase sale sales refund charges charge tax taxes
		donation donations cash credit debit details detail payroll pension bonus
		insurance utilities expenses expense reimbursement dividend interest export
		jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
		august september october november december
		rechnung zahlung miete lohn gehalt mitteilung fur und der die das von zu
		facture paiement loyer salaire pour de du des la le les et au aux
		factura pago alquiler para con por el los las y
		apmokama saskaita faktura
		bnf ben acc ins rec intermed bbi obi rfb attn zakat zakah sadaqa sadaqah`) {
		stopwords[w] = true
	}
}

// Window is a run of words of a free text that may be a name: Words words
// from word Start of run Run.
type Window struct {
	Text              string
	Words, Run, Start int
}

// Within reports whether w lies inside o (same run, o's words cover w's).
func (w Window) Within(o Window) bool {
	return w.Run == o.Run && w.Start >= o.Start && w.Start+w.Words <= o.Start+o.Words
}

// NameWindows returns the runs of words of text that may be names: words of
// letters (hyphens and apostrophes inside them allowed), cut at numbers,
// punctuation other than those, and stopwords; every sub-run of two to
// four words, and runs of up to six words whole. A single word is a window
// only when it stands alone (the name of a group: "DONATION TO HAMAS"), and
// needs four letters or more. At most 32 windows, the longest first within each run, so that
// a caller can keep the longest window that names someone and skip the
// windows inside it.
func NameWindows(text string) []Window {
	var out []Window
	seen := map[string]bool{}
	run, start := 0, 0
	add := func(ws []string) {
		if len(out) >= maxWindows {
			return
		}
		if len(ws) == 1 && len([]rune(ws[0])) < 4 {
			return
		}
		s := strings.Join(ws, " ")
		if seen[s] {
			return
		}
		seen[s] = true
		out = append(out, Window{Text: s, Words: len(ws), Run: run, Start: start})
	}
	for r, words := range wordRuns(text) {
		run = r
		if len(words) <= maxRunWhole && len(words) > maxWindowWords {
			start = 0
			add(words)
		}
		for n := min(maxWindowWords, len(words)); n >= 1 && (n > 1 || len(words) == 1); n-- {
			for i := 0; i+n <= len(words); i++ {
				start = i
				add(words[i : i+n])
			}
		}
	}
	return out
}

// wordRuns splits text into runs of name-like words.
func wordRuns(text string) [][]string {
	var runs [][]string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	for _, tok := range splitTokens(text) {
		w := strings.Trim(tok, "-'’")
		if w == "" || !wordLike(w) || stopwords[strings.ToLower(w)] {
			flush()
			continue
		}
		cur = append(cur, w)
	}
	flush()
	return runs
}

// splitTokens splits at white space and punctuation, keeping hyphens and
// apostrophes inside tokens; a punctuation mark other than those yields an
// empty token, so that runs are cut there.
func splitTokens(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || r == '\'' || r == '’'
		if inWord {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
		if !unicode.IsSpace(r) {
			out = append(out, "")
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// wordLike: letters (and marks), hyphens and apostrophes, at least one letter.
func wordLike(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsMark(r), r == '-', r == '\'', r == '’':
		default:
			return false
		}
	}
	return letters > 0
}

// Identifier kinds found in text and in parties, as the identifier index
// compares them.
const (
	IdentIBAN    = "iban"
	IdentAccount = "account"
	IdentBIC     = "bic"
	IdentWallet  = "wallet"
	IdentLEI     = "lei"
	IdentID      = "id" // an organisation or private identifier
)

// Ident is an identifier to look up exactly: its kind and its normalised
// value.
type Ident struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// TextIdentifiers returns the identifiers written in a free text that are
// worth an exact look-up: valid IBANs (also written in groups of four),
// BIC-shaped words, wallet-shaped words and account numbers (six or more
// digits, possibly with letters).
func TextIdentifiers(text string) []Ident {
	var out []Ident
	seen := map[Ident]bool{}
	add := func(k, v string) {
		id := Ident{k, v}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:()[]<>\"", r)
	})
	for i, f := range fields {
		f = strings.Trim(f, ".'’/-")
		if f == "" {
			continue
		}
		if IsWallet(f) {
			add(IdentWallet, NormalizeWallet(f))
			continue
		}
		v := CompactAccount(f)
		// An IBAN written in groups of four: join the following groups.
		if len(v) == 4 && LooksLikeIBAN(v+"00000000000") {
			j := v
			for k := i + 1; k < len(fields) && len(j) < 34; k++ {
				g := CompactAccount(strings.Trim(fields[k], ".,"))
				if len(g) == 0 || len(g) > 4 || !alnum(g) {
					break
				}
				j += g
				if iban, err := CheckIBAN(j); err == nil {
					add(IdentIBAN, iban)
					break
				}
			}
		}
		if LooksLikeIBAN(v) {
			if iban, err := CheckIBAN(v); err == nil {
				add(IdentIBAN, iban)
				continue
			}
		}
		if (len(v) == 8 || len(v) == 11) && alnum(v) {
			if bic, err := CheckBIC(v); err == nil && f == strings.ToUpper(f) {
				add(IdentBIC, bic)
			}
		}
		if digits(v) >= 6 && alnum(v) {
			add(IdentAccount, v)
		}
	}
	return out
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// Idents returns what of a party is looked up exactly: its account (an
// IBAN, an account number, a wallet), its BIC, LEI and identifiers, and the
// identifiers written in its free text.
func (p *Party) Idents() []Ident {
	var out []Ident
	if a := p.Account; a != nil {
		switch a.Kind {
		case AccountIBAN:
			out = append(out, Ident{IdentIBAN, a.Value})
		case AccountWallet:
			out = append(out, Ident{IdentWallet, a.Value})
		default:
			out = append(out, Ident{IdentAccount, a.Value})
			if IsWallet(a.Written) {
				out = append(out, Ident{IdentWallet, NormalizeWallet(a.Written)})
			}
		}
	}
	if p.BIC != "" {
		out = append(out, Ident{IdentBIC, p.BIC})
	}
	if p.LEI != "" {
		out = append(out, Ident{IdentLEI, p.LEI})
	}
	for _, id := range p.Identifiers {
		if v := CompactAccount(id.Value); v != "" {
			out = append(out, Ident{IdentID, v})
		}
	}
	if p.Text != "" {
		out = append(out, TextIdentifiers(p.Text)...)
	}
	return out
}
