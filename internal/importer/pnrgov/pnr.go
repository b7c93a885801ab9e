package pnrgov

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"concord/internal/importer/edifact"
)

// group is where in a PNR the reader is (the segment groups of the PNRGOV
// implementation guide).
type group int

const (
	gPNR       group = iota // Gr.1: the reservation (SRC, RCI, DAT, ORG, ADD, ...)
	gTraveller              // Gr.2: a traveller (TIF, FTI, IFT, REF, SSR, ADD)
	gTicket                 // Gr.3: a ticket (TKT, MON, PTK, DAT)
	gPayment                // Gr.4: its form of payment (FOP, IFT, ADD)
	gLeg                    // Gr.5: a leg of the itinerary (TVL, RPI, APD, SSR, RCI, DAT)
	gCheckIn                // Gr.7: a traveller's check-in on that leg (TRI, TIF, SSD, TBD)
	gSplit                  // Gr.8: PNRs split from this one (EQN, RCI)
	gNonAir                 // Gr.9: hotel, car and other non-air segments (MSG, TVL)
	gHistory                // Gr.10-11: history (ABI, DAT, SAC and what changed)
)

// pnrState is the PNR being read and where the reader is in it.
type pnrState struct {
	r    *Reader
	pnr  PNR
	g    group
	segs int

	cur      int    // index of the current traveller, or -1
	docNamed []bool // per traveller: the name comes from a travel document
	tkt, pay int    // current ticket of cur and payment of that ticket, or -1
	leg      int    // index of the current leg, or -1

	checkin    int // traveller of the current check-in record, or -1
	checkinSeq string
	checkinRef string

	histDate, histAction string
}

func (r *Reader) startPNR(s *edifact.Segment) {
	r.counted++
	r.p = &pnrState{r: r, cur: -1, tkt: -1, pay: -1, leg: -1, checkin: -1, pnr: PNR{
		Message: r.msg.Index, Position: r.counted, Segment: s.N, Flight: r.msg.Flight,
		Travellers: []Traveller{}, Legs: []Leg{}}}
}

// finishPNR ends the PNR being read, if any, and returns it.
func (r *Reader) finishPNR() (*PNR, error) {
	st := r.p
	if st == nil {
		return nil, nil
	}
	r.p = nil
	p := &st.pnr
	at := &edifact.Segment{Tag: "SRC", N: p.Segment}
	if p.Locator == "" {
		if err := r.warn(at, "PNR %d of message %d has no record locator (RCI)", p.Position, p.Message); err != nil {
			return nil, err
		}
	}
	if len(p.Travellers) == 0 {
		if err := r.warn(at, "PNR %d of message %d names no traveller", p.Position, p.Message); err != nil {
			return nil, err
		}
	}
	for i := range p.Travellers {
		if p.Travellers[i].GivenNames == nil {
			p.Travellers[i].GivenNames = []string{}
		}
	}
	return p, nil
}

func (st *pnrState) inTraveller() bool {
	return st.cur >= 0 && (st.g == gTraveller || st.g == gTicket || st.g == gPayment)
}

// traveller is the current traveller, or nil.
func (st *pnrState) traveller() *Traveller {
	if st.cur < 0 {
		return nil
	}
	return &st.pnr.Travellers[st.cur]
}

func (st *pnrState) byRef(ref string) int {
	for i := range st.pnr.Travellers {
		if sameRef(st.pnr.Travellers[i].Ref, ref) {
			return i
		}
	}
	return -1
}

func (st *pnrState) byName(key string) int {
	for i := range st.pnr.Travellers {
		if st.nameMatches(i, key) {
			return i
		}
	}
	return -1
}

// nameMatches compares a name key with traveller i's name as booked and as
// documented.
func (st *pnrState) nameMatches(i int, key string) bool {
	t := &st.pnr.Travellers[i]
	if key == "/" {
		return false
	}
	if key == nameKey(t.Surname, t.GivenNames...) {
		return true
	}
	sur, given, _ := strings.Cut(t.Booked, "/")
	return t.Booked != "" && key == nameKey(sur, given)
}

// add appends a traveller and returns its index.
func (st *pnrState) add(t Traveller, fromDoc bool) int {
	t.Position = len(st.pnr.Travellers) + 1
	st.pnr.Travellers = append(st.pnr.Travellers, t)
	st.docNamed = append(st.docNamed, fromDoc)
	return len(st.pnr.Travellers) - 1
}

// segment maps one segment of the PNR.
func (st *pnrState) segment(s *edifact.Segment) error {
	st.segs++
	if st.segs > MaxPNRSegments {
		return st.r.errAt(s, "%w: more than %d segments", ErrTooLarge, MaxPNRSegments)
	}
	switch s.Tag {
	case "SSR":
		return st.ssr(s)
	case "LTS":
		return nil // lines of the PNR history as free text: never kept
	case "ABI":
		st.g, st.histDate, st.histAction = gHistory, "", ""
		return nil
	case "SAC":
		if st.g == gHistory {
			st.histAction = s.Elem(2, 0)
		}
		return nil
	case "MSG":
		st.g = gNonAir
		return nil
	case "EQN":
		st.g = gSplit
		return nil
	}
	switch st.g {
	case gHistory:
		return st.history(s)
	case gNonAir:
		return nil
	case gSplit:
		if s.Tag == "RCI" {
			for e := range s.Elems {
				if l := s.Elem(e, 1); l != "" {
					st.pnr.Split = appendOnce(st.pnr.Split, l)
				}
			}
			return nil
		}
	}
	switch s.Tag {
	case "RCI":
		return st.rci(s)
	case "DAT":
		return st.dat(s)
	case "ORG":
		if st.g == gPNR && st.pnr.Agency == nil {
			st.pnr.Agency = agency(s)
		}
	case "IFT":
		return st.ift(s)
	case "ADD":
		st.add_(s)
	case "EBD":
		st.ebd(s)
	case "TIF":
		return st.tif(s)
	case "FTI":
		st.fti(s)
	case "REF":
		if t := st.traveller(); t != nil && st.g == gTraveller {
			t.Reference = s.Elem(0, 1)
		}
	case "TKT":
		st.ticket(s)
	case "MON", "PTK":
		return st.price(s)
	case "FOP":
		st.fop(s)
	case "TVL":
		return st.tvl(s)
	case "TRA", "RPI", "APD":
		st.legDetail(s)
	case "TRI":
		if st.leg >= 0 {
			st.g, st.checkin, st.checkinSeq, st.checkinRef = gCheckIn, -1, s.Elem(1, 0), s.Elem(1, 3)
		}
	case "SSD":
		st.ssd(s)
	case "TBD":
		st.tbd(s)
	}
	return nil
}

// rci reads the reservations: owner, locator, type, creation date and time
// per element. Some senders leave out the type ("UA:7C789A:230818:1220").
func (st *pnrState) rci(s *edifact.Segment) error {
	for e := range s.Elems {
		owner, loc, date, hm := s.Elem(e, 0), s.Elem(e, 1), s.Elem(e, 3), s.Elem(e, 4)
		if c := s.Elem(e, 2); len(c) == 6 && allDigits(c) && date != "" && hm == "" {
			date, hm = c, date
		}
		if loc == "" {
			continue
		}
		l := Locator{Owner: owner, Locator: loc}
		if date != "" {
			v, err := dayDate(date, hm, edifact.NearestCentury, st.r.ic.Prepared)
			if err != nil {
				if err := st.r.warn(s, "RCI creation: %v", err); err != nil {
					return err
				}
			}
			l.Created = v
		}
		if st.g == gPNR && st.pnr.Locator == "" {
			st.pnr.Locator, st.pnr.Owner, st.pnr.Created = loc, owner, l.Created
		}
		st.appendLocator(l)
	}
	return nil
}

func (st *pnrState) appendLocator(l Locator) {
	for i, have := range st.pnr.Locators {
		if have.Owner == l.Owner && have.Locator == l.Locator {
			set(&st.pnr.Locators[i].Created, l.Created)
			return
		}
	}
	st.pnr.Locators = append(st.pnr.Locators, l)
}

// dat reads dates: of the PNR (700 last transaction, 710 ticket issue), of
// a ticket (710) or a check-in (2).
func (st *pnrState) dat(s *edifact.Segment) error {
	for e := range s.Elems {
		q, date, hm := s.Elem(e, 0), s.Elem(e, 1), s.Elem(e, 2)
		if date == "" {
			continue
		}
		v, err := dayDate(date, hm, edifact.NearestCentury, st.r.ic.Prepared)
		if err != nil {
			if err := st.r.warn(s, "DAT %s: %v", edifact.Printable(q), err); err != nil {
				return err
			}
			continue
		}
		switch {
		case st.g == gLeg || st.g == gCheckIn:
			if q == "2" && st.leg >= 0 {
				st.pnr.Legs[st.leg].CheckIn = v
			}
		case st.g == gTicket || st.g == gPayment:
			if t := st.ticketOf(); t != nil && q == "710" {
				set(&t.Issued, v)
			}
		case q == "700":
			st.pnr.Modified = v
		case q == "710":
			set(&st.pnr.Ticketed, v)
		}
	}
	return nil
}

// agency reads an ORG segment: system and location, travel agent number
// and office, originator type, country, currency and agent.
func agency(s *edifact.Segment) *Agency {
	a := &Agency{System: s.Elem(0, 0), Location: s.Elem(0, 1), IATA: s.Elem(1, 0), Office: s.Elem(1, 1),
		Place: s.Elem(2, 0), Type: s.Elem(4, 0), Country: s.Elem(5, 0), Currency: s.Elem(5, 1), Agent: s.Elem(6, 0)}
	if a.Place == "" {
		a.Place = s.Elem(1, 2)
	}
	if *a == (Agency{}) {
		return nil
	}
	return a
}

// ift reads free text for the contacts it carries; IFT 4:43 is the sponsor
// (name, address, telephone). Nothing else of the text is kept.
func (st *pnrState) ift(s *edifact.Segment) error {
	if st.g == gLeg || st.g == gCheckIn {
		return nil
	}
	var texts []string
	for e := 1; e < len(s.Elems); e++ {
		texts = append(texts, strings.TrimSpace(strings.Join(s.Elems[e], ":")))
	}
	if s.Elem(0, 1) == "43" {
		if len(texts) == 0 {
			return nil
		}
		p := &Payer{Name: texts[0]}
		if len(texts) > 1 {
			p.Address = texts[1]
		}
		if len(texts) > 2 {
			p.Phone = phone(texts[2])
		}
		if pay := st.payment(); pay != nil {
			pay.Payer = mergePayer(pay.Payer, p)
		} else {
			st.pnr.Sponsor = mergePayer(st.pnr.Sponsor, p)
		}
		return nil
	}
	for i, text := range texts {
		if i+1 < len(texts) && cutContact(text, texts[i+1]) {
			return st.r.errAt(s, "IFT: a contact goes on in the next data element: the data element separator %q in its text is not released (write %q)",
				string(st.r.sc.Delims().Data), string(st.r.sc.Delims().Release)+string(st.r.sc.Delims().Data))
		}
		for _, c := range contacts(text) {
			st.addContact(c)
		}
	}
	return nil
}

func (st *pnrState) addContact(c Contact) {
	if st.inTraveller() {
		t := st.traveller()
		t.Contacts = appendContact(t.Contacts, c)
		return
	}
	st.pnr.Contacts = appendContact(st.pnr.Contacts, c)
}

// add_ reads an ADD: of the PNR, of a traveller, or of the payer after a
// form of payment.
func (st *pnrState) add_(s *edifact.Segment) {
	if st.g == gLeg || st.g == gCheckIn {
		return
	}
	kind := "contact"
	pay := st.payment()
	if pay != nil {
		kind = "payer"
	}
	a, cs := address(s, kind)
	if pay != nil {
		if pay.Payer == nil {
			pay.Payer = &Payer{}
		}
		if a != nil {
			pay.Payer.Postal = a
		}
		for _, c := range cs {
			if c.Kind == Phone && pay.Payer.Phone == "" {
				pay.Payer.Phone = c.Value
			}
		}
		return
	}
	if st.inTraveller() {
		t := st.traveller()
		if a != nil {
			t.Addresses = appendAddress(t.Addresses, *a)
		}
	} else if a != nil {
		st.pnr.Addresses = appendAddress(st.pnr.Addresses, *a)
	}
	for _, c := range cs {
		st.addContact(c)
	}
}

// ebd reads excess baggage: count and unit.
func (st *pnrState) ebd(s *edifact.Segment) {
	n, err := strconv.Atoi(s.Elem(1, 0))
	if err != nil || n <= 0 {
		return
	}
	b := Bag{Count: n, Unit: s.Elem(1, 2), Excess: true}
	if st.inTraveller() {
		t := st.traveller()
		t.Bags = append(t.Bags, b)
	} else {
		st.pnr.Bags = append(st.pnr.Bags, b)
	}
}

// tif reads a traveller. Before the itinerary it starts a traveller's
// group; in the itinerary it names the traveller of a check-in record.
func (st *pnrState) tif(s *edifact.Segment) error {
	surname, given := strings.ToUpper(s.Elem(0, 0)), strings.ToUpper(s.Elem(1, 0))
	ref := s.Elem(1, 2)
	if names, _ := splitGiven(given); surname == "" && len(names) == 0 {
		// No surname and nothing but a title ("MS") is no name either.
		return st.r.errAt(s, "TIF without a name")
	}
	if st.g == gLeg || st.g == gCheckIn || len(st.pnr.Legs) > 0 {
		if ref == "" {
			ref = st.checkinRef
		}
		i := st.byRef(ref)
		if i < 0 {
			i = st.byName(nameKey(surname, given))
		}
		if i < 0 {
			i = st.newTraveller(s, surname, given, ref, "check-in")
		}
		t := &st.pnr.Travellers[i]
		if t.Booked == "" { // named so far by a document only
			names, title := splitGiven(given)
			t.Booked, t.Ref = surname+"/"+given, ref
			set(&t.Title, title)
			if len(t.GivenNames) == 0 {
				t.GivenNames, t.Given = names, strings.Join(names, " ")
			}
		}
		st.g, st.checkin = gCheckIn, i
		if st.leg >= 0 {
			st.checkIn(i)
		}
		return nil
	}
	st.cur = st.newTraveller(s, surname, given, ref, "TIF")
	st.g, st.tkt, st.pay = gTraveller, -1, -1
	t := st.traveller()
	t.Type = strings.ToUpper(s.Elem(1, 1))
	if t.Type == "IN" || strings.EqualFold(s.Elem(1, 3), "1") {
		t.Infant = true
	}
	return nil
}

func (st *pnrState) newTraveller(s *edifact.Segment, surname, given, ref, source string) int {
	names, title := splitGiven(given)
	return st.add(Traveller{Segment: s.N, Source: source, Ref: ref, Surname: surname, GivenNames: names,
		Given: strings.Join(names, " "), Title: title, Booked: surname + "/" + given}, false)
}

// checkIn records traveller i's check-in on the current leg.
func (st *pnrState) checkIn(i int) {
	leg := &st.pnr.Legs[st.leg]
	if st.checkinSeq == "" && leg.CheckIn == "" {
		return
	}
	t := &st.pnr.Travellers[i]
	for _, c := range t.CheckIns {
		if c.Leg == st.leg+1 {
			return
		}
	}
	t.CheckIns = append(t.CheckIns, CheckIn{Leg: st.leg + 1, Sequence: st.checkinSeq, Time: leg.CheckIn})
}

// fti reads loyalty accounts: airline, number and tier per element.
func (st *pnrState) fti(s *edifact.Segment) {
	for e := range s.Elems {
		ff := FrequentFlyer{Airline: s.Elem(e, 0), Number: s.Elem(e, 1)}
		if ff.Number == "" {
			continue
		}
		for c := len(s.Elems[e]) - 1; c >= 2; c-- {
			if v := s.Elem(e, c); v != "" {
				ff.Tier = v
				break
			}
		}
		if st.inTraveller() {
			t := st.traveller()
			t.FrequentFlyers = appendFrequentFlyer(t.FrequentFlyers, ff)
		} else {
			st.pnr.FrequentFlyers = appendFrequentFlyer(st.pnr.FrequentFlyers, ff)
		}
	}
}

// ticket starts a ticket of the current traveller.
func (st *pnrState) ticket(s *edifact.Segment) {
	t := st.traveller()
	if t == nil || !st.inTraveller() {
		return
	}
	t.Tickets = append(t.Tickets, Ticket{Number: s.Elem(0, 0), Type: s.Elem(0, 1)})
	st.g, st.tkt, st.pay = gTicket, len(t.Tickets)-1, -1
}

func (st *pnrState) ticketOf() *Ticket {
	t := st.traveller()
	if t == nil || st.tkt < 0 {
		return nil
	}
	return &t.Tickets[st.tkt]
}

// price reads MON (amounts: T total preferred) and PTK (issue date and
// place) of the current ticket.
func (st *pnrState) price(s *edifact.Segment) error {
	tk := st.ticketOf()
	if tk == nil || st.g != gTicket {
		return nil
	}
	if s.Tag == "MON" {
		for e := range s.Elems {
			if q := s.Elem(e, 0); q == "T" || tk.Amount == "" {
				tk.Amount, tk.Currency = s.Elem(e, 1), s.Elem(e, 2)
			}
		}
		return nil
	}
	if d := s.Elem(2, 0); d != "" {
		v, err := dayDate(d, s.Elem(2, 1), edifact.NearestCentury, st.r.ic.Prepared)
		if err != nil {
			return st.r.warn(s, "PTK issue date: %v", err)
		}
		tk.Issued = v
	}
	tk.Place = s.Elem(5, 0)
	return nil
}

// fop reads the forms of payment of the current ticket.
func (st *pnrState) fop(s *edifact.Segment) {
	t := st.traveller()
	if t == nil || !st.inTraveller() {
		return
	}
	if st.tkt < 0 {
		t.Tickets = append(t.Tickets, Ticket{})
		st.tkt = len(t.Tickets) - 1
	}
	tk := &t.Tickets[st.tkt]
	tk.Payments = append(tk.Payments, payments(s, st.r.opt.CardKey)...)
	st.g, st.pay = gPayment, len(tk.Payments)-1
}

// payment is the payment whose group the reader is in, or nil.
func (st *pnrState) payment() *Payment {
	tk := st.ticketOf()
	if st.g != gPayment || tk == nil || st.pay < 0 {
		return nil
	}
	return &tk.Payments[st.pay]
}

// tvl starts a leg of the itinerary; a TVL in a leg's group with only a
// flight number gives the operating flight of a codeshare.
func (st *pnrState) tvl(s *edifact.Segment) error {
	if (st.g == gLeg || st.g == gCheckIn) && st.leg >= 0 && s.Elem(0, 0) == "" && s.Elem(1, 0) == "" && s.Elem(2, 0) == "" {
		leg := &st.pnr.Legs[st.leg]
		set(&leg.OperatingCarrier, s.Elem(3, 0))
		leg.OperatingNumber = s.Elem(4, 0)
		return nil
	}
	leg, probs := tvl(s, st.r.ic.Prepared)
	for _, p := range probs {
		if err := st.r.warn(s, "%s", p); err != nil {
			return err
		}
	}
	st.pnr.Legs = append(st.pnr.Legs, leg)
	st.g, st.leg, st.checkin, st.checkinSeq, st.checkinRef = gLeg, len(st.pnr.Legs)-1, -1, "", ""
	return nil
}

// tvl reads a TVL: departure date and time, arrival date and time; places;
// carrier (marketing:operating); flight number and class. It returns what
// it could not read as warnings: a leg is kept without a date rather than
// lost. A four-digit arrival date is the arrival time of the same day.
func tvl(s *edifact.Segment, ref time.Time) (Leg, []string) {
	leg := Leg{Departure: s.Elem(1, 0), Arrival: s.Elem(2, 0), Carrier: s.Elem(3, 0), Number: s.Elem(4, 0), Class: s.Elem(4, 1)}
	if op := s.Elem(3, 1); op != "" && op != leg.Carrier {
		leg.OperatingCarrier = op
	}
	var probs []string
	depDate, depTime, arrDate, arrTime := s.Elem(0, 0), s.Elem(0, 1), s.Elem(0, 2), s.Elem(0, 3)
	if len(arrDate) == 4 && arrTime == "" {
		arrDate, arrTime = "", arrDate
	}
	if arrDate == "" && arrTime != "" {
		arrDate = depDate
	}
	when := func(what, date, hm string) string {
		if date == "" {
			return ""
		}
		v, err := dayDate(date, hm, edifact.NearestCentury, ref)
		if err == nil {
			return v
		}
		if hm != "" {
			if d, err2 := dayDate(date, "", edifact.NearestCentury, ref); err2 == nil {
				probs = append(probs, fmt.Sprintf("TVL %s time %q is not a time; date kept", what, edifact.Printable(hm)))
				return d
			}
		}
		probs = append(probs, fmt.Sprintf("TVL %s: %v", what, err))
		return ""
	}
	leg.DepartureTime = when("departure", depDate, depTime)
	leg.ArrivalTime = when("arrival", arrDate, arrTime)
	return leg, probs
}

// legDetail reads TRA (operating carrier and flight), RPI (status) and APD
// (equipment) of the current leg.
func (st *pnrState) legDetail(s *edifact.Segment) {
	if st.g != gLeg || st.leg < 0 {
		return
	}
	leg := &st.pnr.Legs[st.leg]
	switch s.Tag {
	case "TRA":
		leg.OperatingCarrier, leg.OperatingNumber = s.Elem(0, 0), s.Elem(1, 0)
	case "RPI":
		leg.Status = s.Elem(1, 0)
	case "APD":
		leg.Aircraft = s.Elem(0, 0)
	}
}

// legOf is the 1-based leg a seat request is for: the current one in the
// itinerary unless the request names other board and off points, else the
// one between them; 0 if unknown.
func (st *pnrState) legOf(dep, arr string) int {
	if (st.g == gLeg || st.g == gCheckIn) && st.leg >= 0 {
		if l := st.pnr.Legs[st.leg]; dep == "" || l.Departure == dep && l.Arrival == arr {
			return st.leg + 1
		}
	}
	for i, l := range st.pnr.Legs {
		if dep != "" && l.Departure == dep && l.Arrival == arr {
			return i + 1
		}
	}
	return 0
}

// ssd reads the seat of the check-in record: seat and cabin.
func (st *pnrState) ssd(s *edifact.Segment) {
	if st.g != gCheckIn || st.checkin < 0 {
		return
	}
	seat := normSeat(s.Elem(0, 0))
	if seat == "" {
		return
	}
	t := &st.pnr.Travellers[st.checkin]
	l := st.pnr.Legs[st.leg]
	t.Seats = appendSeat(t.Seats, Seat{Leg: st.leg + 1, Number: seat, Cabin: s.Elem(4, 0), Departure: l.Departure, Arrival: l.Arrival})
}

// tbd reads the checked bags of the check-in record: count, weight, unit,
// and the tags (airline and number) with their destination.
func (st *pnrState) tbd(s *edifact.Segment) {
	if st.g != gCheckIn || st.checkin < 0 {
		return
	}
	n, err := strconv.Atoi(s.Elem(1, 0))
	if err != nil || n <= 0 {
		return
	}
	b := Bag{Leg: st.leg + 1, Count: n, Weight: s.Elem(1, 1), Unit: s.Elem(1, 2)}
	for e := 3; e < len(s.Elems); e++ {
		if num := s.Elem(e, 1); num != "" {
			b.Tags = append(b.Tags, s.Elem(e, 0)+num)
			set(&b.Destination, s.Elem(e, 3))
		}
	}
	t := &st.pnr.Travellers[st.checkin]
	t.Bags = append(t.Bags, b)
}

// history keeps the names and legs of the history; its dates come from DAT.
func (st *pnrState) history(s *edifact.Segment) error {
	switch s.Tag {
	case "DAT":
		if d := s.Elem(0, 1); d != "" {
			v, err := dayDate(d, s.Elem(0, 2), edifact.NearestCentury, st.r.ic.Prepared)
			if err != nil {
				return st.r.warn(s, "history date: %v", err)
			}
			st.histDate = v
		}
	case "TIF":
		name := strings.Trim(strings.ToUpper(s.Elem(0, 0))+"/"+strings.ToUpper(s.Elem(1, 0)), "/")
		if name != "" {
			st.pnr.History = append(st.pnr.History, Change{Action: st.histAction, Date: st.histDate, Kind: "name", Value: name})
		}
	case "TVL":
		leg, _ := tvl(s, st.r.ic.Prepared)
		if leg.Departure != "" || leg.Number != "" {
			v := strings.TrimSpace(fmt.Sprintf("%s-%s %s%s %s", leg.Departure, leg.Arrival, leg.Carrier, leg.Number, leg.DepartureTime))
			st.pnr.History = append(st.pnr.History, Change{Action: st.histAction, Date: st.histDate, Kind: "leg", Value: v})
		}
	}
	return nil
}
