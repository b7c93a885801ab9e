package pnrgov

// Mask returns p depersonalised as Directive (EU) 2016/681 Art. 12(2)
// requires. The data that could identify a person directly is masked:
// names (also as booked and in the history), titles, genders, birth dates,
// nationalities, travel documents (but their source and type), addresses,
// contacts, payment details (card digits and hash, payer; the kind of
// payment and the amount stay), loyalty accounts, passenger references and
// bag tags. What serves statistics and links stays: the record locators,
// dates of booking, ticketing and check-in, the flight and itinerary, the
// agency, the travellers' positions, types and infant flags, seats, numbers
// of bags, fares, split PNRs and the legs of the history.
func Mask(p *PNR) PNR {
	m := *p
	m.Locators = append([]Locator(nil), p.Locators...)
	m.Legs = append([]Leg(nil), p.Legs...)
	m.Contacts, m.Addresses, m.FrequentFlyers, m.Sponsor = nil, nil, nil, nil
	m.Bags = append([]Bag(nil), p.Bags...)
	m.Services = append([]string(nil), p.Services...)
	m.Split = append([]string(nil), p.Split...)
	m.History = nil
	for _, h := range p.History {
		if h.Kind != "name" {
			m.History = append(m.History, h)
		}
	}
	m.Travellers = make([]Traveller, len(p.Travellers))
	for i := range p.Travellers {
		m.Travellers[i] = maskTraveller(&p.Travellers[i])
	}
	return m
}

func maskTraveller(t *Traveller) Traveller {
	m := Traveller{Position: t.Position, Segment: t.Segment, Source: t.Source, Type: t.Type, Infant: t.Infant,
		GivenNames: []string{}, Services: append([]string(nil), t.Services...)}
	m.Seats = append(m.Seats, t.Seats...)
	for _, b := range t.Bags {
		b.Tags = nil
		m.Bags = append(m.Bags, b)
	}
	m.CheckIns = append(m.CheckIns, t.CheckIns...)
	for _, tk := range t.Tickets {
		c := Ticket{Type: tk.Type, Issued: tk.Issued, Place: tk.Place, Amount: tk.Amount, Currency: tk.Currency}
		for _, p := range tk.Payments {
			c.Payments = append(c.Payments, Payment{Type: p.Type, Amount: p.Amount, Masked: true})
		}
		m.Tickets = append(m.Tickets, c)
	}
	for _, d := range t.Documents {
		m.Documents = append(m.Documents, Document{Source: d.Source, Type: d.Type})
	}
	return m
}
