package ofaccsv

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// kind is what a remarks clause says.
type kind int

const (
	kindNote         kind = iota // anything not understood: kept verbatim in notes
	kindBirthDate                // DOB …; Dates
	kindBirthPlace               // POB …; Value
	kindNationality              // nationality …; Value is the country as written
	kindCitizenship              // citizen …; Value is the country as written
	kindGender                   // Gender Male|Female; Value "male"|"female"
	kindAlias                    // a.k.a. / n.k.a. 'X'
	kindPreviousName             // f.k.a. 'X'
	kindLink                     // Linked To: NAME
	kindPassport                 // Passport …; Label, Value (number), Country, Issued, Expires
	kindIdentifier               // National ID No., Cedula No., NIT #, …; Prop, Label, Value, Country, Issued, Expires
	kindProp                     // a plain property of the listed entity: Prop, Value
	kindDateProp                 // a date property of the listed entity: Prop, Dates
	kindCrypto                   // Digital Currency Address - XBT key; Currency, Value
)

// clause is one semicolon-separated statement of the Remarks column.
type clause struct {
	Kind     kind
	Raw      string // the clause as written, "alt." included
	Alt      bool   // the clause began with "alt."
	Value    string
	Dates    []string // ISO dates: YYYY, YYYY-MM or YYYY-MM-DD
	Prop     string   // target property for kindIdentifier, kindProp, kindDateProp
	Label    string   // document type as written, e.g. "Cedula No."
	Country  string   // issuing country as written (parentheses removed)
	Issued   string   // ISO date
	Expires  string   // ISO date
	Currency string
}

// maxRangeYears bounds the years a "DOB 1960 to 1962" range expands to.
const maxRangeYears = 30

// idLabels maps document labels, as OFAC writes them, to the property of the
// listed entity that carries the number. Longer labels sharing a prefix with
// a shorter one come first.
var idLabels = []struct{ label, prop string }{
	{"Passport No.", "passportNumber"},
	{"British National Overseas Passport", "passportNumber"},
	{"Stateless Person Passport", "passportNumber"},
	{"Passport Booklet", "passportNumber"},
	{"Diplomatic Passport", "passportNumber"},
	{"Passport", "passportNumber"},
	{"National ID No.", "idNumber"},
	{"National Foreign ID Number", "idNumber"},
	{"Cedula No.", "idNumber"},
	{"Identification Number", "idNumber"},
	{"D.N.I.", "idNumber"},
	{"Personal ID Card", "idNumber"},
	{"Kenyan ID No.", "idNumber"},
	{"Turkish Identification Number", "idNumber"},
	{"Numero de Identidad", "idNumber"},
	{"C.U.R.P.", "idNumber"},
	{"C.U.I.", "idNumber"},
	{"Citizen's Card Number", "idNumber"},
	{"Birth Certificate Number", "idNumber"},
	{"Residency Number", "idNumber"},
	{"Credencial electoral", "idNumber"},
	{"I.F.E.", "idNumber"},
	{"Electoral Registry No.", "idNumber"},
	{"Driver's License No.", "idNumber"},
	{"Travel Document Number", "idNumber"},
	{"Cartilla de Servicio Militar Nacional", "idNumber"},
	{"VisaNumberID", "idNumber"},
	{"Immigration No.", "idNumber"},
	{"SSN", "idNumber"},
	{"Tazkira National ID Card", "idNumber"},
	{"Bosnian Personal ID No.", "idNumber"},
	{"Moroccan Personal ID No.", "idNumber"},
	{"Refugee ID Card", "idNumber"},
	{"Stateless Person ID Card", "idNumber"},
	{"Public Security and Immigration No.", "idNumber"},
	{"SRE Permit No.", "idNumber"},
	{"Pilot License Number", "idNumber"},
	{"Tax ID No.", "taxNumber"},
	{"NIT #", "taxNumber"},
	{"RUC #", "taxNumber"},
	{"RIF #", "taxNumber"},
	{"R.F.C.", "taxNumber"},
	{"C.U.I.T.", "taxNumber"},
	{"V.A.T. Number", "taxNumber"},
	{"US FEIN", "taxNumber"},
	{"Italian Fiscal Code", "taxNumber"},
	{"RTN", "taxNumber"},
	{"Fiscal Code", "taxNumber"},
	{"C.I.F.", "taxNumber"},
	{"Numero Unico de Identificacao Tributaria", "taxNumber"},
	{"Paraguayan tax identification number", "taxNumber"},
	{"UK Company Number", "registrationNumber"},
	{"Company Number", "registrationNumber"},
	{"Registration Number", "registrationNumber"},
	{"Registration ID", "registrationNumber"},
	{"Commercial Registry Number", "registrationNumber"},
	{"Business Registration Number", "registrationNumber"},
	{"Business Registration Document #", "registrationNumber"},
	{"Business Number", "registrationNumber"},
	{"Matricula Mercantil No", "registrationNumber"},
	{"Folio Mercantil No.", "registrationNumber"},
	{"Government Gazette Number", "registrationNumber"},
	{"Trade License No.", "registrationNumber"},
	{"C.R. No.", "registrationNumber"},
	{"Chamber of Commerce Number", "registrationNumber"},
	{"Dubai Chamber of Commerce Membership No.", "registrationNumber"},
	{"Certificate of Incorporation Number", "registrationNumber"},
	{"Legal Entity Number", "registrationNumber"},
	{"Enterprise Number", "registrationNumber"},
	{"Branch Unit Number", "registrationNumber"},
	{"Public Registration Number", "registrationNumber"},
	{"Registered Charity No.", "registrationNumber"},
	{"United Social Credit Code Certificate (USCCC)", "registrationNumber"},
	{"Unified Social Credit Code (USCC)", "registrationNumber"},
	{"D-U-N-S Number", "registrationNumber"},
	{"LE Number", "registrationNumber"},
	{"Central Registration System Number", "registrationNumber"},
	{"Istanbul Chamber of Comm. No.", "registrationNumber"},
	{"MSB Registration Number", "registrationNumber"},
	{"Afghan Money Service Provider License Number", "registrationNumber"},
	{"Tourism License No.", "registrationNumber"},
	{"File Number", "registrationNumber"},
}

// propLabels are clauses that carry one value of a property of the listed
// entity: "Website www.x.ir", "Organization Type: Banking".
var propLabels = []struct{ label, prop string }{
	{"Website", "website"},
	{"Email Address", "email"},
	{"Email", "email"},
	{"Telephone No.", "phone"},
	{"Telephone", "phone"},
	{"Phone Number", "phone"},
	{"Phone No.", "phone"},
	{"Phone", "phone"},
	{"SWIFT/BIC", "swiftBic"},
	{"Organization Type", "sector"},
	{"Position", "position"},
	{"Aircraft Model", "type"},
	{"Aircraft Tail Number", "registrationNumber"},
	{"Target Type", "legalForm"},
	{"ethnicity", "ethnicity"},
}

var (
	reIMO     = regexp.MustCompile(`^(?:(?:Vessel Registration Identification|Identification Number|Company Number) )?(?:IMO|International Maritime Organization No\.) \(?(\d{7})\)?$`)
	reAKA     = regexp.MustCompile(`^([afn])\.k\.a\.,? +'(.*)'$`)
	reYearDsh = regexp.MustCompile(`^(\d{4}) ?- ?(\d{4})$`)
	reCountry = regexp.MustCompile(`^(.*\S) *\(([^()]+)\)$`)
	reIssued  = regexp.MustCompile(`(?i)\s+(issued|expires)\s+`)
)

// parseRemarks splits the Remarks column into clauses. It never fails: what
// it does not understand is a kindNote clause. truncated says the column was
// cut by the legacy format's 1000-character limit, so its last clause is only
// kept as a note.
func parseRemarks(s string) []clause {
	s = strings.TrimSpace(s)
	truncated := len(s) >= 1000 && !strings.HasSuffix(s, ".")
	s = strings.TrimSuffix(s, ".")
	parts := splitClauses(s)
	out := make([]clause, 0, len(parts))
	for i, p := range parts {
		if p == "" {
			continue
		}
		if truncated && i == len(parts)-1 {
			out = append(out, clause{Kind: kindNote, Raw: p})
			continue
		}
		out = append(out, parseClause(p))
	}
	return out
}

// splitClauses splits on semicolons outside parentheses; when parentheses do
// not balance it splits on every semicolon.
func splitClauses(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if depth > 0 {
		out = out[:0]
		for _, p := range strings.Split(s, ";") {
			out = append(out, strings.TrimSpace(p))
		}
		return out
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// cutPrefix is strings.CutPrefix, ignoring case, requiring the prefix to be
// followed by a separator (space, colon) or the end, and trimming those.
func cutPrefix(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	rest := s[len(prefix):]
	if rest != "" && rest[0] != ' ' && rest[0] != ':' {
		return s, false
	}
	return strings.TrimSpace(strings.TrimLeft(rest, " :")), true
}

func parseClause(raw string) clause {
	c := clause{Kind: kindNote, Raw: raw}
	s := raw
	if rest, ok := cutPrefix(s, "alt."); ok {
		s, c.Alt = rest, true
	}
	note := c // returned when a recognised clause turns out malformed
	if m := reIMO.FindStringSubmatch(s); m != nil {
		c.Kind, c.Prop, c.Value = kindProp, "imoNumber", m[1]
		return c
	}
	if m := reAKA.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[2]) != "" {
		c.Kind, c.Value = kindAlias, strings.TrimSpace(m[2])
		if m[1] == "f" {
			c.Kind = kindPreviousName
		}
		return c
	}
	if rest, ok := cutPrefix(s, "DOB"); ok {
		if c.Dates = parseDOB(rest); len(c.Dates) == 0 {
			return note
		}
		c.Kind = kindBirthDate
		return c
	}
	if rest, ok := cutPrefix(s, "Organization Established Date"); ok {
		if c.Dates = parseDOB(rest); len(c.Dates) == 0 {
			return note
		}
		c.Kind, c.Prop = kindDateProp, "incorporationDate"
		return c
	}
	if rest, ok := cutPrefix(s, "Nationality of Registration"); ok && rest != "" {
		c.Kind, c.Prop, c.Value = kindProp, "country", rest // of a vessel, aircraft or company
		return c
	}
	for _, p := range []struct {
		prefix string
		kind   kind
	}{
		{"POB", kindBirthPlace},
		{"nationality", kindNationality},
		{"citizen", kindCitizenship},
		{"Linked To", kindLink},
	} {
		if rest, ok := cutPrefix(s, p.prefix); ok {
			if rest == "" {
				return note
			}
			c.Kind, c.Value = p.kind, rest
			return c
		}
	}
	if rest, ok := cutPrefix(s, "Gender"); ok {
		switch strings.ToLower(rest) {
		case "male", "female":
			c.Kind, c.Value = kindGender, strings.ToLower(rest)
			return c
		}
		return note
	}
	if rest, ok := cutPrefix(s, "Digital Currency Address -"); ok {
		cur, key, found := strings.Cut(rest, " ")
		key = strings.TrimSpace(key)
		if !found || key == "" || strings.ContainsAny(key, " ") {
			return note
		}
		c.Kind, c.Currency, c.Value = kindCrypto, cur, key
		return c
	}
	for _, l := range idLabels {
		if rest, ok := cutPrefix(s, l.label); ok {
			if !parseDocument(&c, rest) {
				return note
			}
			c.Kind, c.Label, c.Prop = kindIdentifier, l.label, l.prop
			if l.prop == "passportNumber" {
				c.Kind = kindPassport
			}
			return c
		}
	}
	for _, l := range propLabels {
		if rest, ok := cutPrefix(s, l.label); ok {
			if rest == "" {
				return note
			}
			c.Kind, c.Prop, c.Value = kindProp, l.prop, rest
			return c
		}
	}
	return note
}

// parseDocument reads "NUMBER [(Country)] [issued DATE] [expires DATE]".
func parseDocument(c *clause, s string) bool {
	s = " " + strings.TrimSpace(strings.TrimLeft(s, "#: ")) // so that reIssued sees "issued" first
	// Peel "issued …" and "expires …" off the end, in either order.
	for {
		locs := reIssued.FindAllStringSubmatchIndex(s, -1)
		if len(locs) == 0 {
			break
		}
		l := locs[len(locs)-1]
		word, date := strings.ToLower(s[l[2]:l[3]]), strings.TrimSpace(s[l[1]:])
		d := parseDate(date)
		if d == "" {
			return false
		}
		if word == "issued" {
			c.Issued = d
		} else {
			c.Expires = d
		}
		s = strings.TrimSpace(s[:l[0]])
	}
	if m := reCountry.FindStringSubmatch(s); m != nil && !strings.ContainsAny(m[2], "0123456789") {
		s, c.Country = m[1], strings.TrimSpace(m[2])
	}
	s = strings.TrimRight(strings.TrimSpace(s), ",")
	if s == "" {
		return false
	}
	c.Value = s
	return true
}

// parseDOB reads a date of birth as OFAC writes it: "01 Jan 1960", "Jan
// 1960", "1960", "circa 1960", "1960 to 1962", "01 Mar 1965 to 31 Mar 1965",
// "1979-1982". A range yields every year it spans, or its month or year when
// it lies within one. It returns nil when s is not such a date.
func parseDOB(s string) []string {
	s = strings.TrimSpace(s)
	if rest, ok := cutPrefix(s, "circa"); ok {
		s = rest
	}
	if m := reYearDsh.FindStringSubmatch(s); m != nil {
		return expandRange(m[1], m[2])
	}
	if a, b, ok := strings.Cut(s, " to "); ok {
		da, db := parseDate(a), parseDate(b)
		if da == "" || db == "" {
			return nil
		}
		return expandRange(da, db)
	}
	if d := parseDate(s); d != "" {
		return []string{d}
	}
	return nil
}

// expandRange turns a range of ISO dates into the dates to record.
func expandRange(a, b string) []string {
	if a == b {
		return []string{a}
	}
	ya, yb := a[:4], b[:4]
	if ya == yb {
		if len(a) >= 7 && len(b) >= 7 && a[:7] == b[:7] {
			return []string{a[:7]}
		}
		return []string{ya}
	}
	var y1, y2 int
	fmt.Sscan(ya, &y1)
	fmt.Sscan(yb, &y2)
	if y2 < y1 || y2-y1 > maxRangeYears {
		return nil
	}
	out := make([]string, 0, y2-y1+1)
	for y := y1; y <= y2; y++ {
		out = append(out, fmt.Sprintf("%04d", y))
	}
	return out
}

var dateLayouts = []struct{ layout, out string }{
	{"02 Jan 2006", "2006-01-02"},
	{"2 Jan 2006", "2006-01-02"},
	{"02 January 2006", "2006-01-02"},
	{"2 January 2006", "2006-01-02"},
	{"2006-01-02", "2006-01-02"},
	{"Jan 2006", "2006-01"},
	{"January 2006", "2006-01"},
	{"2006", "2006"},
}

// parseDate reads one date and returns it as YYYY-MM-DD, YYYY-MM or YYYY
// depending on its precision, or "" when it is not a date.
func parseDate(s string) string {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if len(s) > len(l.layout)+6 { // "September" is the longest month
			continue
		}
		if t, err := time.Parse(l.layout, s); err == nil && t.Year() >= 1000 {
			return t.Format(l.out)
		}
	}
	return ""
}
