package pnr

import (
	"strings"

	"concord"
	"concord/internal/importer/pnrgov"
)

// links are the attributes of a PNR that link it to other bookings: the
// phones, e-mail addresses, postal addresses, cards (by their keyed hash),
// frequent-flyer accounts of the PNR and its travellers (and payers), and
// the travel agency. Each is kept by the keyed hash of its normalised value
// and, while the version is personal, the value as shown.
func (s *Service) links(p *pnrgov.PNR) []concord.BookingLink {
	var out []concord.BookingLink
	type seenKey struct {
		kind, key string
		traveller int
	}
	seen := map[seenKey]bool{}
	add := func(kind, value, shown string, traveller int) {
		if value == "" {
			return
		}
		k := seenKey{kind, s.keys.LinkKey(kind, value), traveller}
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, concord.BookingLink{Kind: kind, Key: k.key, Value: shown, Traveller: traveller})
	}
	contacts := func(cs []pnrgov.Contact, traveller int) {
		for _, c := range cs {
			kind := concord.LinkPhone
			if c.Kind == pnrgov.Email {
				kind = concord.LinkEmail
			}
			add(kind, c.Value, c.Value, traveller)
		}
	}
	addresses := func(as []pnrgov.Address, traveller int) {
		for _, a := range as {
			add(concord.LinkAddress, a.Key(), addressLine(&a), traveller)
		}
	}
	contacts(p.Contacts, 0)
	addresses(p.Addresses, 0)
	for _, f := range p.FrequentFlyers {
		add(concord.LinkFrequentFlyer, ffKey(f.Airline, f.Number), f.Airline+" "+f.Number, 0)
	}
	if k := p.Agency.Key(); k != "" {
		add(concord.LinkAgency, k, k, 0)
	}
	if p.Sponsor != nil {
		add(concord.LinkPhone, p.Sponsor.Phone, p.Sponsor.Phone, 0)
	}
	for i := range p.Travellers {
		t := &p.Travellers[i]
		contacts(t.Contacts, i+1)
		addresses(t.Addresses, i+1)
		for _, f := range t.FrequentFlyers {
			add(concord.LinkFrequentFlyer, ffKey(f.Airline, f.Number), f.Airline+" "+f.Number, i+1)
		}
		for _, tk := range t.Tickets {
			for _, pay := range tk.Payments {
				add(concord.LinkCard, pay.CardHash, strings.TrimSpace(pay.Vendor+" ···"+pay.Last4), i+1)
				if pay.Payer != nil {
					add(concord.LinkPhone, pay.Payer.Phone, pay.Payer.Phone, i+1)
					if pay.Payer.Postal != nil {
						add(concord.LinkAddress, pay.Payer.Postal.Key(), addressLine(pay.Payer.Postal), i+1)
					}
				}
			}
		}
	}
	return out
}

func addressLine(a *pnrgov.Address) string {
	var parts []string
	for _, p := range []string{a.Street, a.City, a.Region, a.Postcode, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func ffKey(airline, number string) string {
	return strings.ToUpper(strings.TrimSpace(airline)) + "/" + strings.ToUpper(strings.TrimSpace(number))
}

// LinkValue normalises a value an analyst asks about, as links keep it: a
// telephone number as digits, an e-mail address in lower case, a card by the
// keyed hash of its digits, a frequent-flyer account as "AIRLINE NUMBER",
// an agency by its IATA number or "office:SYSTEM/OFFICE". It returns
// EINVALID for a kind there is no such query for or a value that cannot be
// one.
func (s *Service) LinkValue(kind, value string) (string, error) {
	value = strings.TrimSpace(value)
	var v string
	switch kind {
	case concord.LinkPhone:
		v = pnrgov.NormalizePhone(value)
	case concord.LinkEmail:
		v = strings.ToLower(value)
		if !strings.Contains(v, "@") {
			v = ""
		}
	case concord.LinkCard:
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			if r == ' ' || r == '-' {
				return -1
			}
			return 'x'
		}, value)
		if len(d) >= 8 && !strings.Contains(d, "x") {
			v = pnrgov.CardHash(s.keys.CardKey(), d)
		}
	case concord.LinkFrequentFlyer:
		if f := strings.Fields(value); len(f) == 2 {
			v = ffKey(f[0], f[1])
		}
	case concord.LinkAgency:
		switch {
		case strings.HasPrefix(value, "iata:") || strings.HasPrefix(value, "office:"):
			v = value
		case value != "" && strings.Trim(value, "0123456789") == "":
			v = "iata:" + value
		}
	default:
		return "", concord.Errorf(concord.EINVALID, "link kind %q: ask by phone, email, card, frequent_flyer or agency (addresses: by booking)", kind)
	}
	if v == "" {
		return "", concord.Errorf(concord.EINVALID, "%s %q: not a value links can be found by", kind, value)
	}
	return v, nil
}
