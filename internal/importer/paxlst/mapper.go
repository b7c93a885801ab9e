package paxlst

import (
	"strconv"
	"strings"

	"concord/internal/importer/edifact"
)

// travellerRoles maps NAD party qualifiers of travellers to their role and
// whether they are in transit (codes as in the IATA/WCO PAXLST guidelines
// and US CBP GTAS: DDU in-transit passenger, DDT in-transit crew member).
var travellerRoles = map[string]struct {
	role      string
	inTransit bool
}{
	"FL":  {Passenger, false},
	"FM":  {Crew, false},
	"DDU": {Passenger, true},
	"DDT": {Crew, true},
}

// body maps a segment between UNH and UNT.
func (m *mapper) body(s *segment) error {
	msg := m.msg
	switch s.Tag {
	case "BGM":
		msg.Document = m.kept(s.Elem(0, 0))
		msg.Crew = msg.Document == "250"
	case "NAD":
		if err := m.endTraveller(); err != nil {
			return err
		}
		return m.nad(s)
	case "TDT":
		if err := m.endTraveller(); err != nil {
			return err
		}
		if len(msg.Legs) == MaxLegs {
			return m.errAt(s, "more than %d legs (TDT) in message %d", MaxLegs, msg.Index)
		}
		msg.Legs = append(msg.Legs, Leg{Number: m.kept(s.Elem(1, 0)), Carrier: m.kept(s.Elem(4, 0))})
	case "CNT":
		if err := m.endTraveller(); err != nil {
			return err
		}
		return m.cnt(s)
	default:
		if m.cur != nil {
			return m.traveller(s, m.cur)
		}
		return m.header(s)
	}
	return nil
}

// endTraveller ends the group of the current traveller, if any: the
// traveller is kept in its message (Parse) and passed on (Stream).
func (m *mapper) endTraveller() error {
	t := m.cur
	if t == nil {
		return nil
	}
	m.cur, m.doc = nil, -1
	if m.keep {
		m.msg.Travellers = append(m.msg.Travellers, *t)
	}
	if m.emit != nil {
		return m.emit(*t)
	}
	return nil
}

// header maps the flight segments before the first traveller.
func (m *mapper) header(s *segment) error {
	if len(m.msg.Legs) == 0 {
		return nil
	}
	leg := &m.msg.Legs[len(m.msg.Legs)-1]
	switch s.Tag {
	case "LOC":
		place := m.kept(s.Elem(1, 0))
		switch s.Elem(0, 0) {
		case "125":
			leg.Departure = place
			m.flightLeg = len(m.msg.Legs) - 1
		case "87":
			leg.Arrival = place
			m.flightLeg = len(m.msg.Legs) - 1
		case "92": // routing: the first is where the leg departs
			if leg.Departure == "" {
				leg.Departure = place
			} else {
				leg.Arrival = place
			}
		}
	case "DTM":
		q := s.Elem(0, 0)
		if q != "189" && q != "232" {
			return nil
		}
		t, hasTime, err := edifact.Date(s.Elem(0, 1), edifact.NearestCentury, m.ic.Prepared)
		if err != nil {
			return m.errAt(s, "%v", err)
		}
		m.kept("2006-01-02T15:04")
		if q == "189" {
			leg.DepartureTime = edifact.FormatDateTime(t, hasTime)
		} else {
			leg.ArrivalTime = edifact.FormatDateTime(t, hasTime)
		}
	}
	return nil
}

func (m *mapper) nad(s *segment) error {
	msg := m.msg
	q := s.Elem(0, 0)
	r, ok := travellerRoles[q]
	if !ok {
		if q == "MS" {
			msg.ReportingParty = m.kept(joinNonEmpty(s.Elems, 3))
		}
		return nil // another party: its segments are not a traveller's
	}
	var parts []string
	if len(s.Elems) > 3 {
		for _, p := range s.Elems[3] {
			parts = append(parts, strings.TrimSpace(p))
		}
	}
	t := Traveller{
		Message:    msg.Index,
		Position:   msg.TravellerCount + 1,
		Segment:    s.N,
		Qualifier:  q,
		Role:       r.role,
		InTransit:  r.inTransit,
		GivenNames: []string{},
	}
	if len(parts) > 0 {
		t.Surname = parts[0]
	}
	for _, p := range parts[min(1, len(parts)):] {
		if p != "" {
			t.GivenNames = append(t.GivenNames, p)
		}
	}
	t.Given = strings.Join(t.GivenNames, " ")
	if t.Surname == "" && t.Given == "" {
		return m.errAt(s, "NAD+%s without a name", q)
	}
	for e := 4; e < len(s.Elems) && e <= 8; e++ {
		if v := strings.TrimSpace(strings.Join(s.Elems[e], " ")); v != "" {
			t.Address = append(t.Address, v)
		}
	}
	msg.TravellerCount++
	if t.Role == Crew {
		m.crew++
	} else {
		m.passengers++
	}
	m.cur = &t
	return nil
}

func joinNonEmpty(elems [][]string, e int) string {
	if e >= len(elems) {
		return ""
	}
	var parts []string
	for _, p := range elems[e] {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// traveller maps a segment of a traveller's group.
func (m *mapper) traveller(s *segment, t *Traveller) error {
	var doc *Document
	if m.doc >= 0 {
		doc = &t.Documents[m.doc]
	}
	switch s.Tag {
	case "ATT":
		if s.Elem(0, 0) != "2" {
			return nil
		}
		switch g := strings.ToUpper(s.Elem(2, 0)); g {
		case "M", "F", "U", "X", "":
			t.Gender = g
		default:
			return m.errAt(s, "invalid gender %q", edifact.Printable(g))
		}
	case "DTM":
		q := s.Elem(0, 0)
		c := edifact.PastCentury
		switch {
		case q == "329":
		case q == "182" && doc != nil:
		case q == "36" && doc != nil:
			c = edifact.NearestCentury
		default:
			return nil
		}
		d, _, err := edifact.Date(s.Elem(0, 1), c, m.ic.Prepared)
		if err != nil {
			return m.errAt(s, "%v", err)
		}
		switch q {
		case "329":
			t.BirthDate = edifact.FormatDate(d)
		case "182":
			doc.Issued = edifact.FormatDate(d)
		case "36":
			doc.Expiry = edifact.FormatDate(d)
		}
	case "LOC":
		place := s.Elem(1, 0)
		switch s.Elem(0, 0) {
		case "178":
			t.Embarkation = place
		case "179":
			t.Debarkation = place
		case "22":
			t.Clearance = place
		case "174":
			t.Residence = place
		case "180":
			t.BirthPlace = strings.TrimSpace(s.Elem(1, 3) + ", " + place)
			t.BirthPlace = strings.Trim(t.BirthPlace, ", ")
		case "91":
			if doc != nil {
				doc.IssuingState = place
			}
		}
	case "NAT":
		t.Nationality = strings.ToUpper(s.Elem(1, 0))
	case "DOC":
		if len(t.Documents) == MaxDocuments {
			return m.errAt(s, "more than %d documents (DOC) of traveller %s", MaxDocuments, t.Ref())
		}
		t.Documents = append(t.Documents, Document{Type: s.Elem(0, 0), Number: s.Elem(1, 0)})
		m.doc = len(t.Documents) - 1
	case "RFF":
		switch s.Elem(0, 0) {
		case "AVF":
			t.Reservation = s.Elem(0, 1)
		case "SEA":
			t.Seat = s.Elem(0, 1)
		}
	}
	return nil
}

// cnt checks CNT+41 (crew) and CNT+42 (passengers) against the travellers.
// Some senders write "CNT+41+8" for "CNT+41:8".
func (m *mapper) cnt(s *segment) error {
	q, v := s.Elem(0, 0), s.Elem(0, 1)
	if v == "" {
		v = s.Elem(1, 0)
	}
	n, label := 0, ""
	switch q {
	case "41":
		n, label = m.crew, "crew members"
	case "42":
		n, label = m.passengers, "passengers"
	default:
		return nil
	}
	if got, err := strconv.Atoi(v); err != nil || got != n {
		return m.warn(s, "CNT+%s count %q, counted %d %s", q, v, n, label)
	}
	return nil
}
