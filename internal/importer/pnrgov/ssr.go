package pnrgov

import (
	"strings"

	"concord/internal/importer/edifact"
)

// An SSR (special service request) carries its code, status, quantity,
// airline, board and off points and free text in its first data element
// (components 0, 1, 2, 3, 6, 7, 8...), and in each further element the
// data of one traveller: a seat and the traveller's reference number
// (components 0 and 2).

// ssr maps an SSR segment. Codes on the deny list are dropped first, with
// their text; of the others, documents, seats, contacts and loyalty
// accounts are read and the rest is kept by code only.
func (st *pnrState) ssr(s *edifact.Segment) error {
	code := strings.ToUpper(s.Elem(0, 0))
	if _, denied := st.r.opt.Deny.Denied(code); denied {
		st.r.ic.Dropped++
		return nil
	}
	if st.g == gHistory || st.g == gNonAir || code == "" {
		return nil // history and non-air requests are not kept
	}
	text := strings.Join(s.Elems[0][min(8, len(s.Elems[0])):], ":")
	switch code {
	case "DOCS":
		return st.docs(s, text)
	case "DOCO":
		return st.doco(s, text)
	case "DOCA":
		st.doca(s, text)
	case "SEAT", "RQST", "NSST", "NSSA", "NSSB", "NSSW", "SMST", "SMSA", "SMSB", "SMSW":
		st.seats(s)
	case "CTCE", "CTCM", "CTCH", "CTCB", "CTCP", "CTCT", "CTCR", "CTCF":
		if c, ok := contact(code[3:], strings.TrimSpace(text)); ok {
			if t := st.ssrTraveller(s); t != nil {
				t.Contacts = appendContact(t.Contacts, c)
			} else {
				st.pnr.Contacts = appendContact(st.pnr.Contacts, c)
			}
		}
	case "FQTV", "FQTR", "FQTU", "FQTS":
		st.fqtv(s, text)
	case "FOID":
		st.foid(s, text)
	case "TKNE", "TKNA", "TKNM", "TKTL", "OTHS", "CKIN", "PCTC", "GRPS":
		// Ticket numbers repeat TKT; the rest is free text.
	default:
		if t := st.ssrTraveller(s); t != nil {
			t.Services = appendOnce(t.Services, code)
		} else {
			st.pnr.Services = appendOnce(st.pnr.Services, code)
		}
	}
	return nil
}

// ssrTraveller is the traveller an SSR is about: the current one inside a
// traveller's group, else the one its reference number names.
func (st *pnrState) ssrTraveller(s *edifact.Segment) *Traveller {
	if st.inTraveller() {
		return st.traveller()
	}
	if i := st.byRef(s.Elem(1, 2)); i >= 0 {
		return &st.pnr.Travellers[i]
	}
	return nil
}

// docFields splits the free text of DOCS, DOCO or DOCA at '/' (a leading
// '/' is the usual start).
func docFields(text string, n int) []string {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, "/")
	f := strings.Split(text, "/")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	for len(f) < n {
		f = append(f, "")
	}
	return f
}

// docs reads SSR DOCS: document type, issuing state, number, nationality,
// birth date, gender, expiry, surname, given and middle names.
func (st *pnrState) docs(s *edifact.Segment, text string) error {
	f := docFields(text, 10)
	ref := st.r.ic.Prepared
	birth, err := docDate(f[4], edifact.PastCentury, ref)
	if f[4] == "" {
		birth, err = "", nil
	}
	if err != nil {
		return st.r.errAt(s, "DOCS birth date: %v", err)
	}
	expiry, err := docDate(f[6], edifact.NearestCentury, ref)
	if f[6] == "" {
		expiry, err = "", nil
	}
	if err != nil {
		return st.r.errAt(s, "DOCS expiry: %v", err)
	}
	gender, infant := "", false
	switch g := strings.ToUpper(f[5]); g {
	case "M", "F", "U", "X", "":
		gender = g
	case "MI", "FI":
		gender, infant = g[:1], true
	default:
		return st.r.errAt(s, "DOCS gender %q: want M, F, MI, FI, U or X", edifact.Printable(g))
	}
	surname, given := strings.ToUpper(f[7]), []string{strings.ToUpper(f[8]), strings.ToUpper(f[9])}
	i := st.docTraveller(s, surname, given, infant)
	if i < 0 {
		if surname == "" && f[2] == "" {
			return nil // nothing to keep, nobody to give it to
		}
		return st.r.errAt(s, "DOCS without a traveller: no name and no traveller reference")
	}
	t := &st.pnr.Travellers[i]
	// A document names its traveller only with a name: a surname or a given
	// name that is more than a title (…/MR names nobody).
	if names, title := splitGiven(given...); !st.docNamed[i] && (surname != "" || len(names) > 0) {
		if t.Title != "" && len(names) > 0 {
			names[0] = dropTitlePrefix(names[0], t.Title)
		} else if title != "" {
			t.Title = title
		}
		t.Surname, t.GivenNames, t.Given = surname, names, strings.Join(names, " ")
		st.docNamed[i] = true
	}
	if infant {
		t.Infant = true
	}
	set(&t.Gender, gender)
	set(&t.BirthDate, birth)
	set(&t.Nationality, strings.ToUpper(f[3]))
	if f[0] != "" || f[2] != "" {
		t.Documents = appendDocument(t.Documents, Document{Source: "DOCS", Type: strings.ToUpper(f[0]),
			Number: strings.ToUpper(f[2]), IssuingState: strings.ToUpper(f[1]), Expiry: expiry})
	}
	return nil
}

// docTraveller finds the traveller of a DOCS: an infant named apart from
// the adult whose group holds it is a traveller of its own; else the current
// traveller, the one the reference names or the one of that name; else a new
// traveller named by the document. -1 when there is neither name nor
// traveller.
func (st *pnrState) docTraveller(s *edifact.Segment, surname string, given []string, infant bool) int {
	key := nameKey(surname, given...)
	if st.inTraveller() {
		if !infant || surname == "" || st.nameMatches(st.cur, key) {
			return st.cur
		}
	} else if i := st.byRef(s.Elem(1, 2)); i >= 0 {
		return i
	}
	if surname == "" {
		return -1
	}
	if i := st.byName(key); i >= 0 {
		return i
	}
	names, title := splitGiven(given...)
	return st.add(Traveller{Segment: s.N, Source: "SSR DOCS", Ref: s.Elem(1, 2), Surname: surname, GivenNames: names,
		Given: strings.Join(names, " "), Title: title, Infant: infant}, true)
}

// doco reads SSR DOCO (another document, usually a visa): place of birth,
// type, number, place of issue, issue date, country it is for.
func (st *pnrState) doco(s *edifact.Segment, text string) error {
	if !strings.HasPrefix(strings.TrimSpace(text), "/") {
		text = "/" + text // the place of birth written without the leading '/'
	}
	f := docFields(text, 6)
	issued, err := docDate(f[4], edifact.PastCentury, st.r.ic.Prepared)
	if f[4] == "" {
		issued, err = "", nil
	}
	if err != nil {
		return st.r.errAt(s, "DOCO issue date: %v", err)
	}
	t := st.ssrTraveller(s)
	if t == nil || f[2] == "" && f[1] == "" {
		return nil
	}
	t.Documents = appendDocument(t.Documents, Document{Source: "DOCO", Type: strings.ToUpper(f[1]), Number: strings.ToUpper(f[2]),
		IssuingState: strings.ToUpper(f[3]), Issued: issued, ValidFor: strings.ToUpper(f[5]), BirthPlace: strings.ToUpper(f[0])})
	return nil
}

// doca reads SSR DOCA: type (R residence, D destination), country, street,
// city, region, postcode.
func (st *pnrState) doca(s *edifact.Segment, text string) {
	f := docFields(text, 6)
	kind := "residence"
	if strings.ToUpper(f[0]) == "D" {
		kind = "destination"
	}
	a := Address{Kind: kind, Type: strings.ToUpper(f[0]), Country: strings.ToUpper(f[1]), Street: f[2], City: f[3], Region: f[4], Postcode: f[5]}
	if a.Street == "" && a.City == "" && a.Country == "" {
		return
	}
	if t := st.ssrTraveller(s); t != nil {
		t.Addresses = appendAddress(t.Addresses, a)
	} else {
		st.pnr.Addresses = appendAddress(st.pnr.Addresses, a)
	}
}

// seats reads a seat request: one seat and traveller reference per element.
func (st *pnrState) seats(s *edifact.Segment) {
	dep, arr := s.Elem(0, 6), s.Elem(0, 7)
	leg := st.legOf(dep, arr)
	for e := 1; e < len(s.Elems); e++ {
		seat := normSeat(s.Elem(e, 0))
		if seat == "" {
			continue
		}
		i := st.byRef(s.Elem(e, 2))
		if i < 0 && st.inTraveller() {
			i = st.cur
		}
		if i < 0 {
			continue
		}
		t := &st.pnr.Travellers[i]
		t.Seats = appendSeat(t.Seats, Seat{Leg: leg, Number: seat, Departure: dep, Arrival: arr})
	}
}

// normSeat writes a seat as row and letter ("074E" is 74E); "" for none
// ("XXX", "N/A").
func normSeat(v string) string {
	v = strings.ToUpper(strings.TrimSpace(v))
	if v == "" || strings.Trim(v, "X") == "" || strings.ContainsAny(v, "/ ") {
		return ""
	}
	if t := strings.TrimLeft(v, "0"); t != "" && t[0] >= '1' && t[0] <= '9' {
		v = t
	}
	return v
}

// fqtv reads a loyalty account of an SSR FQTV: "DL1234567890" or
// "DL 1234567890" in its free text, the airline also in component 3.
func (st *pnrState) fqtv(s *edifact.Segment, text string) {
	f := strings.Fields(strings.ToUpper(text))
	if len(f) == 0 {
		return
	}
	ff := FrequentFlyer{Airline: s.Elem(0, 3)}
	switch {
	case len(f) >= 2 && len(f[0]) == 2:
		ff.Airline, ff.Number = f[0], f[1]
	case len(f[0]) > 2:
		ff.Airline, ff.Number = f[0][:2], f[0][2:]
	default:
		return
	}
	if t := st.ssrTraveller(s); t != nil {
		t.FrequentFlyers = appendFrequentFlyer(t.FrequentFlyers, ff)
	} else {
		st.pnr.FrequentFlyers = appendFrequentFlyer(st.pnr.FrequentFlyers, ff)
	}
}

// foid reads the form of identification an e-ticket was issued against:
// PP passport, NI national identity card, DL driving licence, ID other. A
// card number (CC) is not kept.
func (st *pnrState) foid(s *edifact.Segment, text string) {
	v := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(text), " ", ""))
	if len(v) < 4 {
		return
	}
	var typ string
	switch v[:2] {
	case "PP":
		typ = "P"
	case "NI":
		typ = "I"
	case "DL":
		typ = "DL"
	case "ID":
		typ = "ID"
	default:
		return
	}
	if t := st.ssrTraveller(s); t != nil {
		t.Documents = appendDocument(t.Documents, Document{Source: "FOID", Type: typ, Number: v[2:]})
	}
}
