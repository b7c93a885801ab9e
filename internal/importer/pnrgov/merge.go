package pnrgov

import "slices"

// The same fact often reaches a PNR twice (a document in the traveller's
// group and again on a leg, a seat requested and then assigned); these keep
// one of each.

// set fills *dst with v when it is empty.
func set(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func appendOnce(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

func appendContact(list []Contact, c Contact) []Contact {
	for _, have := range list {
		if have.Kind == c.Kind && have.Value == c.Value {
			return list
		}
	}
	return append(list, c)
}

func appendAddress(list []Address, a Address) []Address {
	if slices.Contains(list, a) {
		return list
	}
	return append(list, a)
}

func appendFrequentFlyer(list []FrequentFlyer, f FrequentFlyer) []FrequentFlyer {
	for i, have := range list {
		if have.Airline == f.Airline && have.Number == f.Number {
			set(&list[i].Tier, f.Tier)
			return list
		}
	}
	return append(list, f)
}

// appendDocument merges a document with one of the same number and type.
func appendDocument(list []Document, d Document) []Document {
	for i, have := range list {
		if have.Number == d.Number && (have.Type == d.Type || d.Type == "" || have.Type == "") {
			h := &list[i]
			set(&h.Type, d.Type)
			set(&h.IssuingState, d.IssuingState)
			set(&h.Expiry, d.Expiry)
			set(&h.Issued, d.Issued)
			set(&h.ValidFor, d.ValidFor)
			set(&h.BirthPlace, d.BirthPlace)
			return list
		}
	}
	return append(list, d)
}

// appendSeat merges a seat with the one of the same leg and number.
func appendSeat(list []Seat, s Seat) []Seat {
	for i, have := range list {
		if have.Number == s.Number && (have.Leg == s.Leg || have.Leg == 0 || s.Leg == 0) {
			h := &list[i]
			if h.Leg == 0 {
				h.Leg = s.Leg
			}
			set(&h.Cabin, s.Cabin)
			set(&h.Departure, s.Departure)
			set(&h.Arrival, s.Arrival)
			return list
		}
	}
	return append(list, s)
}

func mergePayer(have, p *Payer) *Payer {
	if have == nil {
		return p
	}
	set(&have.Name, p.Name)
	set(&have.Address, p.Address)
	set(&have.Phone, p.Phone)
	if have.Postal == nil {
		have.Postal = p.Postal
	}
	return have
}
