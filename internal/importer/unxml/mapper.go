package unxml

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"concord"
	"concord/internal/importer"
)

// Authority is the sanctioning body named on every Sanction entity.
const Authority = "United Nations Security Council"

// maxYearRange caps how many years a BETWEEN date of birth expands to.
const maxYearRange = 30

// mapRecord turns one raw record into the listed entity (Person or
// Organization, id "un-<REFERENCE_NUMBER>") followed by its Address entities
// ("-addr-N"), Identification/Passport entities ("-doc-N") and Sanction
// ("-sanction"). Values keep source order; whitespace runs are collapsed.
func mapRecord(raw *rawRecord) importer.Record {
	ref := raw.ReferenceNumber
	id := "un-" + ref
	m := &mapper{id: id}
	schema := "Organization"
	if raw.individual() {
		schema = "Person"
	}
	e := concord.NewEntity(id, schema)
	m.main = e

	parts := nonEmpty(raw.FirstName, raw.SecondName, raw.ThirdName, raw.FourthName)
	if raw.individual() {
		personFields(parts)
	}
	e.Add("name", strings.Join(parts, " "))
	if raw.individual() {
		m.nameParts(parts, raw)
		for _, v := range raw.Title.Values {
			e.Add("title", clean(v))
		}
		for _, v := range raw.Designation.Values {
			e.Add("position", clean(v))
		}
		switch g := strings.ToLower(clean(raw.Gender)); g {
		case "male", "female":
			e.Add("gender", g)
		case "":
			// Many records state the gender only in the comments.
			if sm := commentGender.FindStringSubmatch(raw.Comments); sm != nil {
				e.Add("gender", strings.ToLower(sm[1]))
			}
		default:
			e.Add("notes", "Gender: "+clean(raw.Gender))
		}
	}
	e.Add("alias", clean(raw.NameOriginalScript))
	for _, a := range raw.IndividualAliases {
		m.alias(a)
	}
	for _, a := range raw.EntityAliases {
		m.alias(a)
	}
	// Notes: the comments first, then what the mapper could not say otherwise.
	comments := clean(raw.Comments)
	m.notes = append([]string{comments}, m.notes...)
	if raw.individual() {
		for _, d := range raw.DatesOfBirth {
			m.birthDate(d)
		}
		for _, a := range raw.IndividualAliases {
			m.aliasBirth(a)
		}
		for _, p := range raw.PlacesOfBirth {
			m.birthPlace(p)
		}
		for _, v := range raw.Nationality.Values {
			m.nationality(v)
		}
	}
	for _, a := range raw.IndividualAddress {
		m.address(a)
	}
	for _, a := range raw.EntityAddress {
		m.address(a)
	}
	for _, d := range raw.Documents {
		m.document(d)
	}
	program := clean(raw.UNListType)
	listed := xsDate(clean(raw.ListedOn))
	e.Add("program", program)
	e.Add("topics", "sanction")
	for _, n := range m.notes {
		e.Add("notes", n)
	}
	e.Add("createdAt", listed)
	for _, v := range raw.LastDayUpdated.Values {
		e.Add("modifiedAt", xsDate(clean(v)))
	}

	s := concord.NewEntity(id+"-sanction", "Sanction")
	s.Add("entity", id)
	s.Add("authority", Authority)
	s.Add("program", program)
	s.Add("listingDate", listed)
	s.Add("startDate", listed)
	s.Add("unscId", ref)
	s.Add("summary", comments)
	for _, v := range raw.LastDayUpdated.Values {
		s.Add("modifiedAt", xsDate(clean(v)))
	}

	ents := append([]*concord.Entity{e}, m.addrs...)
	ents = append(ents, m.docs...)
	ents = append(ents, s)
	return importer.Record{Ref: "un:" + ref, Entities: ents}
}

type mapper struct {
	id    string
	main  *concord.Entity
	notes []string
	addrs []*concord.Entity
	docs  []*concord.Entity
}

// personFields drops the commas inside a person's name fields. The UN list
// gives a person's name in fields written in their order (FIRST_NAME
// "MATHIEU, CHUI", SECOND_NAME "NGUDJOLO"; THIRD_NAME "LAVILLA, JR"); a
// comma there is the list's own punctuation between two given names or
// before a suffix, not the "FAMILY, Given" inversion of a name written in
// one field (OFAC's), which package normalize reads from a comma: joined
// as they were, MATHIEU became the family name of "CHUI NGUDJOLO".
func personFields(parts []string) {
	for i, p := range parts {
		if strings.Contains(p, ",") {
			parts[i] = clean(strings.ReplaceAll(p, ",", " "))
		}
	}
}

// nameParts sets firstName, middleName and lastName. The UN list gives names
// in the order they are written; for Korean names (DPRK regime, KPi refs)
// the first part is the family name.
func (m *mapper) nameParts(parts []string, raw *rawRecord) {
	e := m.main
	switch len(parts) {
	case 0:
		return
	case 1:
		e.Add("firstName", parts[0])
		return
	}
	if strings.EqualFold(clean(raw.UNListType), "DPRK") || strings.HasPrefix(raw.ReferenceNumber, "KPi") {
		e.Add("lastName", parts[0])
		e.Add("firstName", strings.Join(parts[1:], " "))
		return
	}
	e.Add("firstName", parts[0])
	for _, p := range parts[1 : len(parts)-1] {
		e.Add("middleName", p)
	}
	e.Add("lastName", parts[len(parts)-1])
}

// aliasProps maps QUALITY to a name property (as OpenSanctions does).
var aliasProps = map[string]string{
	"good": "alias", "a.k.a.": "alias", "": "alias",
	"low":    "weakAlias",
	"f.k.a.": "previousName",
}

var commentGender = regexp.MustCompile(`(?i)\bgender\s*[:\[]\s*(male|female)\b`)

var originalScriptNote = regexp.MustCompile(`(?i)(?:original script|in arabic(?: script)?)\s*:\s*(.+)$`)

func (m *mapper) alias(a rawAlias) {
	name := clean(a.Name)
	if name == "" {
		return
	}
	q := strings.ToLower(clean(a.Quality))
	prop, ok := aliasProps[q]
	if !ok {
		prop = "alias"
		m.notes = append(m.notes, fmt.Sprintf("Alias %q has quality %q", name, clean(a.Quality)))
	}
	m.main.Add(prop, name)
	m.main.Add(prop, splitAlias(name)...)
	m.main.Add(prop, scriptParen(name)...)
	if m.main.Schema == "Person" {
		m.main.Add(prop, remarkParen(name)...)
	}
	if note := clean(a.Note); note != "" {
		if sm := originalScriptNote.FindStringSubmatch(note); sm != nil {
			m.main.Add(prop, clean(sm[1]))
		}
		m.notes = append(m.notes, fmt.Sprintf("Alias %q: %s", name, note))
	}
}

// aliasBirth adds the birth date and place given with an alias.
func (m *mapper) aliasBirth(a rawAlias) {
	if d := clean(a.DateOfBirth); d != "" {
		if isDate(d) {
			m.main.Add("birthDate", d)
		} else {
			m.notes = append(m.notes, "Date of birth: "+d)
		}
	}
	city, country := clean(a.CityOfBirth), clean(a.CountryOfBirth)
	m.main.Add("birthPlace", strings.Join(nonEmpty(city, country), ", "))
	if c, ok := countryCode(country); ok {
		m.main.Add("birthCountry", c)
	}
}

// scriptParen splits an alias written in Latin letters with its original
// script in a final parenthesis ("Abdelali Abou Dher (عبد العالي ابو ذر)",
// "Amir Khazmat (original script: Амир Хазмат)") into its two names; nil
// for any other alias (a parenthesis in Latin letters is an acronym or a
// remark, and a list of names is splitAlias's).
func scriptParen(s string) []string {
	if !strings.HasSuffix(s, ")") || strings.Contains(s, ";") {
		return nil
	}
	i := strings.LastIndexByte(s, '(')
	if i <= 0 || strings.ContainsAny(s[i+1:len(s)-1], "()") {
		return nil
	}
	outer, inner := clean(s[:i]), clean(s[i+1:len(s)-1])
	if sm := originalScriptNote.FindStringSubmatch(inner); sm != nil {
		inner = clean(sm[1])
	}
	latin := func(t string) (lat, other bool) {
		for _, r := range t {
			if unicode.IsLetter(r) {
				if unicode.Is(unicode.Latin, r) {
					lat = true
				} else {
					other = true
				}
			}
		}
		return lat, other
	}
	if ol, _ := latin(outer); !ol {
		return nil
	}
	if il, io := latin(inner); il || !io {
		return nil
	}
	return []string{outer, inner}
}

// remarkParen returns the name before a final parenthesis in Latin
// letters of a person's alias: the list's remark on the name ("Abdel Ilah
// Sabri (false identity related to fraudulent South African
// identification number …)", "EL PARA (COMBAT NAME)", "Encep Nurjaman
// (birth name)", "Ezatullah Haqqani (previously listed as)") or another
// spelling of a part ("Lom-ali Butayev (Butaev)"). The whole alias stays
// a name too, but its remark's words outweigh the name in it: OFAC's
// SABRI, Abdel Ilah met nothing. (An organisation's final parenthesis is
// mostly its acronym, which package match reads.) nil for other aliases,
// and for a script in the parenthesis (scriptParen's).
func remarkParen(s string) []string {
	if !strings.HasSuffix(s, ")") || strings.Contains(s, ";") {
		return nil
	}
	i := strings.LastIndexByte(s, '(')
	if i <= 0 || strings.ContainsAny(s[i+1:len(s)-1], "()") {
		return nil
	}
	outer, inner := clean(s[:i]), s[i+1:len(s)-1]
	lat, other := false, false
	for _, r := range inner {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				lat = true
			} else {
				other = true
			}
		}
	}
	if !lat || other || strings.IndexFunc(outer, unicode.IsLetter) < 0 {
		return nil
	}
	return []string{outer}
}

// splitAlias splits an alias that lists several names ("A; B; C", or
// "X (A; B)") into its names; nil when it is a single name.
func splitAlias(s string) []string {
	if !strings.Contains(s, ";") {
		return nil
	}
	var out []string
	if strings.HasSuffix(s, ")") {
		// Find the "(" that opens the final parenthesis.
		depth := 0
		for i := len(s) - 1; i >= 0; i-- {
			switch s[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				inner := s[i+1 : len(s)-1]
				if strings.Contains(inner, ";") {
					out = append(out, clean(s[:i]))
					s = inner
				}
				break
			}
		}
	}
	for _, p := range strings.Split(s, ";") {
		p = clean(strings.TrimSuffix(clean(p), "(original script)"))
		out = append(out, p)
	}
	return nonEmpty(out...)
}

var (
	monthRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b`)
	yearRe  = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)
	dateRe  = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
)

func isDate(s string) bool { return dateRe.MatchString(s) }

// xsDate drops the time zone an xs:date may carry ("2015-03-27-04:00",
// "2015-03-27Z"): a listing date is a day, and FtM dates have no zone.
func xsDate(s string) string {
	if len(s) > 10 && isDate(s[:10]) {
		switch rest := s[10:]; {
		case rest == "Z", len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
			return s[:10]
		}
	}
	return s
}

// birthDate maps one INDIVIDUAL_DATE_OF_BIRTH. EXACT and APPROXIMATELY give
// their DATE or YEAR; BETWEEN gives every year of the range (at most 30).
// Approximations, ranges and free-text notes are also kept in notes, since
// a birthDate value cannot say them; month names in a note ("Nov. 1973")
// become YYYY-MM dates.
func (m *mapper) birthDate(d rawDate) {
	typ := strings.ToUpper(clean(d.TypeOfDate))
	note := clean(d.Note)
	var desc string
	switch typ {
	case "BETWEEN":
		from, to := clean(d.FromYear), clean(d.ToYear)
		f, errF := strconv.Atoi(from)
		t, errT := strconv.Atoi(to)
		switch {
		case errF == nil && errT == nil && isDate(from) && isDate(to) && t >= f && t-f < maxYearRange:
			for y := f; y <= t; y++ {
				m.main.Add("birthDate", strconv.Itoa(y))
			}
		default:
			for _, v := range []string{from, to} {
				if isDate(v) {
					m.main.Add("birthDate", v)
				}
			}
		}
		desc = "between " + from + " and " + to
	default:
		v := clean(d.Date)
		if v == "" {
			v = clean(d.Year)
		}
		if isDate(v) {
			m.main.Add("birthDate", v)
		} else if v != "" {
			desc = v
		}
		if typ == "APPROXIMATELY" {
			desc = strings.TrimSpace("approximately " + v)
		}
	}
	if note != "" {
		year := clean(d.Year)
		if y := yearRe.FindString(note); y != "" {
			year = y
		}
		if isDate(year) && len(year) == 4 {
			for _, mo := range monthRe.FindAllStringSubmatch(note, -1) {
				m.main.Add("birthDate", fmt.Sprintf("%s-%02d", year, monthIndex(mo[1])))
			}
		}
		desc = strings.TrimSpace(desc + " (" + note + ")")
		if strings.EqualFold(desc, "("+note+")") {
			desc = note
		}
	}
	if desc != "" {
		m.notes = append(m.notes, "Date of birth: "+desc)
	}
}

func monthIndex(abbr string) int {
	return strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(abbr))/3 + 1
}

// birthPlace maps INDIVIDUAL_PLACE_OF_BIRTH to "STREET, CITY, STATE, COUNTRY
// (NOTE)" and birthCountry.
func (m *mapper) birthPlace(p rawAddress) {
	country := clean(p.Country)
	full := strings.Join(nonEmpty(clean(p.Street), clean(p.City), clean(p.StateProvince), clean(p.ZipCode), country), ", ")
	if note := clean(p.Note); note != "" {
		if !strings.HasPrefix(note, "(") {
			note = "(" + note + ")"
		}
		full = strings.TrimSpace(full + " " + note)
	}
	m.main.Add("birthPlace", full)
	if c, ok := countryCode(country); ok {
		m.main.Add("birthCountry", c)
	}
}

func (m *mapper) nationality(v string) {
	v = clean(v)
	if v == "" || isPlaceholder(v) {
		return
	}
	if c, ok := countryCode(v); ok {
		m.main.Add("nationality", c)
		return
	}
	m.notes = append(m.notes, "Nationality: "+v)
}

// address adds the joined address to the listed entity and emits an Address
// entity.
func (m *mapper) address(a rawAddress) {
	street, city, state, zip, country, note := clean(a.Street), clean(a.City), clean(a.StateProvince), clean(a.ZipCode), clean(a.Country), clean(a.Note)
	full := strings.Join(nonEmpty(street, city, state, zip, country, note), ", ")
	if full == "" {
		return
	}
	ad := concord.NewEntity(fmt.Sprintf("%s-addr-%d", m.id, len(m.addrs)+1), "Address")
	ad.Add("full", full)
	ad.Add("street", street)
	ad.Add("city", city)
	ad.Add("region", state)
	ad.Add("postalCode", zip)
	ad.Add("summary", note)
	code, ok := countryCode(country)
	if ok {
		ad.Add("country", code)
	}
	m.addrs = append(m.addrs, ad)
	m.main.Add("address", full)
	m.main.Add("addressEntity", ad.ID)
	if ok {
		m.main.Add("country", code)
	}
}

var expiryRe = regexp.MustCompile(`(?i)(?:expir[a-z]*|valid until)(?:\s+date)?(?:\s+on)?\s*:?\s*`)

// document emits an Identification (Passport when TYPE_OF_DOCUMENT says so)
// and copies its number to the holder's passportNumber or idNumber.
func (m *mapper) document(d rawDocument) {
	typ, typ2, number, note := clean(d.Type), clean(d.Type2), clean(d.Number), clean(d.Note)
	if typ == "" && typ2 == "" && number == "" && note == "" {
		return
	}
	passport := isPassport(typ) || (typ == "" && isPassport(typ2))
	schema := "Identification"
	if passport {
		schema = "Passport"
	}
	doc := concord.NewEntity(fmt.Sprintf("%s-doc-%d", m.id, len(m.docs)+1), schema)
	doc.Add("holder", m.id)
	numbers := []string{number, idNumber(number)}
	doc.Add("number", numbers...)
	doc.Add("type", typ, typ2)
	var summary []string
	for _, c := range nonEmpty(clean(d.IssuingCountry), clean(d.CountryOfIssue)) {
		if code, ok := countryCode(c); ok {
			doc.Add("country", code)
		} else {
			summary = append(summary, "Issuing country: "+c)
		}
	}
	if city := clean(d.CityOfIssue); city != "" {
		summary = append(summary, "Issued in "+city)
	}
	doc.Add("summary", note)
	doc.Add("summary", summary...)
	if v := clean(d.DateOfIssue); isDate(v) {
		doc.Add("startDate", v)
	} else {
		doc.Add("summary", v)
	}
	for _, s := range []string{number, note} {
		if loc := expiryRe.FindStringIndex(s); loc != nil {
			if v, ok := parseTextDate(s[loc[1]:]); ok {
				doc.Add("endDate", v)
			}
		}
	}
	m.docs = append(m.docs, doc)
	if passport {
		m.main.Add("passportNumber", numbers...)
	} else {
		m.main.Add("idNumber", numbers...)
	}
}

var (
	quotedRe = regexp.MustCompile(`“[^”]*”|"[^"]*"`)
	parenRe  = regexp.MustCompile(`\([^)]*\)`)
	labelRe  = regexp.MustCompile(`(?i)^.*(?:\bno\b\.?|\bnumber\b|n°|:)\s*:?\s*`)
)

// idNumber extracts the identifier from a NUMBER that describes it, as in
// "Russian foreign travel passport number 515458008", "Libya B/002210" or
// "R00012098, South Sudan"; "" when there is nothing to strip. The mapper
// keeps the source text too.
func idNumber(s string) string {
	v := clean(parenRe.ReplaceAllString(quotedRe.ReplaceAllString(s, ""), ""))
	if i := strings.Index(v, ", "); i > 0 {
		v = v[:i]
	}
	v = labelRe.ReplaceAllString(v, "")
	f := strings.Fields(v)
	for len(f) > 1 && len(f[0]) >= 3 && !strings.ContainsAny(f[0], "0123456789") {
		f = f[1:]
	}
	v = strings.Join(f, " ")
	if v == s || !strings.ContainsAny(v, "0123456789") {
		return ""
	}
	return v
}

func isPassport(t string) bool {
	t = strings.ToLower(t)
	return strings.Contains(t, "passport") || strings.Contains(t, "pasaporte") || strings.Contains(t, "passeport")
}

var (
	isoDateRe = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})`)
	dmyRe     = regexp.MustCompile(`^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})`)
	mdyRe     = regexp.MustCompile(`^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})`)
)

// parseTextDate reads a date at the start of s: "2026-12-11", "28 Nov. 2016",
// "9 June 2023", "October 19, 2020".
func parseTextDate(s string) (string, bool) {
	if sm := isoDateRe.FindStringSubmatch(s); sm != nil {
		return sm[0], true
	}
	day, mon, year := "", "", ""
	if sm := dmyRe.FindStringSubmatch(s); sm != nil {
		day, mon, year = sm[1], sm[2], sm[3]
	} else if sm := mdyRe.FindStringSubmatch(s); sm != nil {
		mon, day, year = sm[1], sm[2], sm[3]
	} else {
		return "", false
	}
	if len(mon) < 3 || !monthRe.MatchString(mon) {
		return "", false
	}
	mo := monthIndex(mon[:3])
	dd, _ := strconv.Atoi(day)
	if mo < 1 || dd < 1 || dd > 31 {
		return "", false
	}
	return fmt.Sprintf("%s-%02d-%02d", year, mo, dd), true
}

// countryCode resolves a country, ignoring placeholders such as "na".
func countryCode(s string) (string, bool) {
	if s == "" || isPlaceholder(s) {
		return "", false
	}
	return concord.CountryCode(s)
}

// isPlaceholder reports values that mean "not available": "na" is not
// Namibia.
func isPlaceholder(s string) bool {
	switch strings.ToLower(s) {
	case "na", "n/a", "n.a.", "unknown", "-":
		return true
	}
	return false
}

// clean trims and collapses whitespace runs (the source wraps long values).
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// nonEmpty returns the cleaned non-empty values, in order.
func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v = clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
