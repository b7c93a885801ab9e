package pnr

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/importer/pnrgov"
)

// Kinds of scenario rule conditions.
const (
	CondRouteVia   = "route_via"           // the itinerary connects or stops at one of these airports
	CondOneWay     = "one_way"             // the itinerary does not come back to where it starts
	CondCash       = "cash"                // the traveller's ticket was paid in cash
	CondBookedSoon = "booked_within_hours" // booked no more than Hours before the flight departs
	CondDocIssuer  = "document_issued_by"  // a travel document issued by one of these countries
	CondAgency     = "agency"              // booked through one of these agencies
	CondService    = "service"             // a special service request with one of these codes
)

// protected are condition kinds a rule may not use: the characteristics
// that Directive (EU) 2016/681 (Art. 6(4)) forbids assessing a person on,
// and what the reader never keeps.
func protected(kind string) (why string, refused bool) {
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "nationality", "citizenship", "gender", "sex", "age", "birth_date", "birthdate", "date_of_birth", "name", "surname",
		"race", "ethnicity", "ethnic_origin", "origin", "religion", "belief", "politics", "political_opinion",
		"trade_union", "union", "sexual_orientation", "sex_life", "health", "disability", "language":
		return "a scenario rule may not use protected characteristics (nationality, gender, age, names, race or ethnic origin, religion or belief, political opinion, trade union membership, health, sex life or orientation)", true
	case "meal", "meals", "medical", "wheelchair", "remark", "remarks", "free_text", "osi", "ssr_text":
		return "this data is dropped when a push is read (special meals, health requests, free-text remarks) and can be no condition", true
	}
	return "", false
}

// MaxRuleName bounds a rule's name and each value of its conditions, in
// bytes; MaxReason a reviewer's reason.
const (
	MaxRuleName = 200
	MaxReason   = 2000
)

// CheckRule validates a rule a member defines: a name, at least one
// condition, every condition of a known kind with the values it needs, all
// of it text a store can hold (concord.CheckText); it refuses protected
// characteristics and the data the deny list drops.
func CheckRule(r *concord.PNRRule, deny *pnrgov.DenyList) error {
	if strings.TrimSpace(r.Name) == "" {
		return concord.Errorf(concord.EINVALID, "rule: a name is required")
	}
	if err := concord.CheckText(r.Name, MaxRuleName, false); err != nil {
		return concord.Errorf(concord.EINVALID, "rule name: %v", err)
	}
	if len(r.Conditions) == 0 {
		return concord.Errorf(concord.EINVALID, "rule %q: at least one condition is required", r.Name)
	}
	for i := range r.Conditions {
		c := &r.Conditions[i]
		if why, bad := protected(c.Kind); bad {
			return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s): refused: %s", r.Name, i+1, c.Kind, why)
		}
		for j, v := range c.Values {
			c.Values[j] = strings.ToUpper(strings.TrimSpace(v))
		}
		switch c.Kind {
		case CondOneWay, CondCash:
			if len(c.Values) > 0 || c.Hours != 0 {
				return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s) takes no values", r.Name, i+1, c.Kind)
			}
		case CondBookedSoon:
			if c.Hours < 1 || c.Hours > 24*365 || len(c.Values) > 0 {
				return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s): give hours, from 1", r.Name, i+1, c.Kind)
			}
		case CondRouteVia, CondDocIssuer, CondAgency, CondService:
			if len(c.Values) == 0 || c.Hours != 0 {
				return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s): give its values", r.Name, i+1, c.Kind)
			}
			for j, v := range c.Values {
				if err := concord.CheckText(v, MaxRuleName, false); err != nil {
					return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s), value %d: %v", r.Name, i+1, c.Kind, j+1, err)
				}
				if err := checkValue(c.Kind, v, deny); err != "" {
					return concord.Errorf(concord.EINVALID, "rule %q, condition %d (%s) %q: %s", r.Name, i+1, c.Kind, v, err)
				}
			}
		default:
			return concord.Errorf(concord.EINVALID, "rule %q, condition %d: unknown kind %q (want %s)", r.Name, i+1, c.Kind,
				strings.Join([]string{CondRouteVia, CondOneWay, CondCash, CondBookedSoon, CondDocIssuer, CondAgency, CondService}, ", "))
		}
	}
	return nil
}

func checkValue(kind, v string, deny *pnrgov.DenyList) string {
	switch kind {
	case CondRouteVia:
		if len(v) != 3 || strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return "not an airport code (three letters)"
		}
	case CondDocIssuer:
		if _, ok := concord.CountryCode(v); !ok {
			return "not a country"
		}
	case CondAgency:
		if !strings.HasPrefix(strings.ToLower(v), "office:") && strings.Trim(strings.TrimPrefix(strings.ToLower(v), "iata:"), "0123456789") != "" {
			return "not an agency (its IATA number, or office:SYSTEM/OFFICE)"
		}
	case CondService:
		if _, denied := deny.Denied(v); denied {
			return "refused: this request is dropped when a push is read (it reveals religion or health) and can be no condition"
		}
		if len(v) != 4 {
			return "not a service request code (four letters)"
		}
	}
	return ""
}

// evaluate tells whether rule r holds for traveller i of p, and explains
// each condition by what satisfied it, naming no person (the explanation
// outlives depersonalisation).
func evaluate(r *concord.PNRRule, p *pnrgov.PNR, i int) ([]string, bool) {
	t := &p.Travellers[i]
	var why []string
	for _, c := range r.Conditions {
		e, ok := holds(&c, p, t)
		if !ok {
			return nil, false
		}
		why = append(why, e)
	}
	return why, true
}

func holds(c *concord.RuleCondition, p *pnrgov.PNR, t *pnrgov.Traveller) (string, bool) {
	legs := p.Legs
	switch c.Kind {
	case CondRouteVia:
		for k := 0; k+1 < len(legs); k++ {
			if at := legs[k].Arrival; slices.Contains(c.Values, at) && legs[k+1].Departure == at {
				return fmt.Sprintf("route via %s: %s %s-%s arrives %s, %s %s-%s departs %s", at, flight(&legs[k]), legs[k].Departure, at,
					legs[k].ArrivalTime, flight(&legs[k+1]), at, legs[k+1].Arrival, legs[k+1].DepartureTime), true
			}
		}
	case CondOneWay:
		if len(legs) == 0 {
			return "", false
		}
		start := legs[0].Departure
		for _, l := range legs {
			if l.Arrival == start {
				return "", false
			}
		}
		return fmt.Sprintf("one-way: %s to %s, no leg back to %s", start, legs[len(legs)-1].Arrival, start), true
	case CondCash:
		for _, tk := range t.Tickets {
			for _, pay := range tk.Payments {
				if pay.Cash() {
					return strings.TrimSpace(fmt.Sprintf("paid in cash (FOP CA) %s %s", pay.Amount, tk.Currency)), true
				}
			}
		}
	case CondBookedSoon:
		booked, dep := parseTime(p.BookedAt()), parseTime(p.Flight.DepartureTime)
		if booked.IsZero() || dep.IsZero() {
			return "", false
		}
		if h := dep.Sub(booked).Hours(); h >= 0 && h <= float64(c.Hours) {
			return fmt.Sprintf("booked %.0f h before departure (at most %d): booked %s, %s departs %s", h, c.Hours, p.BookedAt(),
				flight(&p.Flight), p.Flight.DepartureTime), true
		}
	case CondDocIssuer:
		for _, d := range t.Documents {
			for _, v := range c.Values {
				if sameCountry(d.IssuingState, v) {
					return fmt.Sprintf("travel document (%s %s) issued by %s", d.Source, d.Type, d.IssuingState), true
				}
			}
		}
	case CondAgency:
		k := p.Agency.Key()
		for _, v := range c.Values {
			if k != "" && (strings.EqualFold(k, v) || strings.EqualFold(k, "iata:"+v)) {
				return "booked through agency " + k, true
			}
		}
	case CondService:
		for _, v := range c.Values {
			if slices.Contains(t.Services, v) || slices.Contains(p.Services, v) {
				return "service request " + v, true
			}
		}
	}
	return "", false
}

func flight(l *pnrgov.Leg) string { return l.Carrier + l.Number }

func sameCountry(a, b string) bool {
	ca, oka := concord.CountryCode(a)
	cb, okb := concord.CountryCode(b)
	return oka && okb && ca == cb
}

// parseTime reads the reader's times ("2006-01-02T15:04", with seconds, or a
// date).
func parseTime(v string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Describe says a rule's conditions in words, joined by "and": "route via
// IST or SAW and paid in cash and booked within 72 hours of departure".
func Describe(cs []concord.RuleCondition) string {
	var out []string
	for _, c := range cs {
		vals := strings.Join(c.Values, " or ")
		switch c.Kind {
		case CondRouteVia:
			out = append(out, "route via "+vals)
		case CondOneWay:
			out = append(out, "one-way")
		case CondCash:
			out = append(out, "paid in cash")
		case CondBookedSoon:
			out = append(out, fmt.Sprintf("booked within %d hours of departure", c.Hours))
		case CondDocIssuer:
			out = append(out, "document issued by "+vals)
		case CondAgency:
			out = append(out, "booked through "+vals)
		case CondService:
			out = append(out, "service request "+vals)
		default:
			out = append(out, strings.TrimSpace(c.Kind+" "+vals))
		}
	}
	return strings.Join(out, " and ")
}
