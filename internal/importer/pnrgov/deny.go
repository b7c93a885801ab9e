package pnrgov

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Categories of special data that Directive (EU) 2016/681 (Art. 13(4)) and
// GDPR Art. 9 forbid processing: data revealing a person's race or ethnic
// origin, political opinions, religion or philosophical beliefs, trade union
// membership, health, sex life or sexual orientation.
const (
	CategoryReligion = "religion"
	CategoryHealth   = "health"
	CategoryOrigin   = "origin"
	CategoryPolitics = "politics"
	CategoryUnion    = "union"
	CategorySex      = "sex"
)

// DenyList names the special service request codes (SSR) that are dropped
// while reading, with their free text: nothing of them reaches the PNR, its
// warnings or errors — only Interchange.Dropped counts them. A pattern
// "WC*" denies every code starting with WC, "*ML" every code ending in ML.
//
// Whatever the list, the reader keeps no free text but contacts, the payer's
// name and address and the fields of travel documents: remarks (OSI), the
// text of every other SSR, history lines (LTS, IFT) and fare calculations are
// never kept, so they need no entry.
type DenyList struct {
	exact              map[string]string
	prefixes, suffixes []pattern
}

type pattern struct{ affix, category string }

// defaultDeny is the default list: every special meal (meals reveal
// religion — kosher, Muslim, Hindu, Jain — and health — diabetic, gluten-
// free, bland), and the requests that reveal health or disability:
// wheelchairs, medical cases, stretchers, oxygen, blind or deaf
// passengers, assistance, service animals, limbs in plaster, extra seats.
const defaultDeny = `# Directive (EU) 2016/681 Art. 13(4): special categories of data.
*ML   religion   # special meals: AVML, HNML, KSML, MOML, VJML, VLML, DBML, GFML, ...
MEAL  religion   # a meal request in free text
SPML  religion   # special meal, specify
RELI  religion
PRAY  religion
WC*   health     # wheelchairs: WCHR, WCHS, WCHC, WCBD, WCBW, WCLB, WCMP, WCOB
MEDA  health     # medical case
MEDI  health
MEDC  health
STCR  health     # stretcher
OXYG  health     # oxygen
POXY  health
PPOC  health     # portable oxygen concentrator
BLND  health     # blind passenger
DEAF  health     # deaf passenger
DPNA  health     # disabled passenger needing assistance
MAAS  health     # meet and assist
LEGL  health     # leg in plaster
LEGR  health
LEGB  health
ESAN  health     # emotional support animal
SVAN  health     # service animal
EXST  health     # extra seat (often for a medical or bodily reason)
PREG  health
DIAB  health
`

// DefaultDenyList returns the default list (see DenyList).
func DefaultDenyList() *DenyList {
	d, err := ParseDenyList(strings.NewReader(defaultDeny))
	if err != nil {
		panic(err) // the built-in list is valid; TestDefaultDenyList checks it
	}
	return d
}

// ParseDenyList reads a list: one code or pattern per line, optionally
// followed by its category; '#' starts a comment. Codes are four letters or
// digits (SSR codes); a pattern has one '*' at its start or end.
func ParseDenyList(r io.Reader) (*DenyList, error) {
	d := &DenyList{exact: map[string]string{}}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(strings.ToUpper(text))
		if len(f) == 0 {
			continue
		}
		if len(f) > 2 {
			return nil, fmt.Errorf("deny list line %d: want CODE [CATEGORY], got %q", line, strings.TrimSpace(text))
		}
		code, cat := f[0], "sensitive"
		if len(f) == 2 {
			cat = strings.ToLower(f[1])
		}
		switch {
		case strings.Count(code, "*") == 0 && validCode(code, 4):
			d.exact[code] = cat
		case strings.HasSuffix(code, "*") && validCode(code[:len(code)-1], 3):
			d.prefixes = append(d.prefixes, pattern{code[:len(code)-1], cat})
		case strings.HasPrefix(code, "*") && validCode(code[1:], 3):
			d.suffixes = append(d.suffixes, pattern{code[1:], cat})
		default:
			return nil, fmt.Errorf("deny list line %d: %q is not an SSR code or pattern (ABCD, AB*, *CD)", line, f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("deny list: %w", err)
	}
	return d, nil
}

func validCode(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Denied reports whether an SSR code is on the list, and its category.
func (d *DenyList) Denied(code string) (category string, ok bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if cat, ok := d.exact[code]; ok {
		return cat, true
	}
	for _, p := range d.prefixes {
		if strings.HasPrefix(code, p.affix) {
			return p.category, true
		}
	}
	for _, p := range d.suffixes {
		if strings.HasSuffix(code, p.affix) {
			return p.category, true
		}
	}
	return "", false
}

// Entries lists the list's codes and patterns, sorted, for display.
func (d *DenyList) Entries() []string {
	var out []string
	for c := range d.exact {
		out = append(out, c)
	}
	for _, p := range d.prefixes {
		out = append(out, p.affix+"*")
	}
	for _, p := range d.suffixes {
		out = append(out, "*"+p.affix)
	}
	sort.Strings(out)
	return out
}
