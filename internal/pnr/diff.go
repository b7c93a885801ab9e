package pnr

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"concord/internal/importer/pnrgov"
)

// content is a PNR as pushes of it are compared: without where it stood in
// its message (segment numbers, positions) nor the flight the push was for.
func content(p *pnrgov.PNR) pnrgov.PNR {
	c := *p
	c.Message, c.Position, c.Segment, c.Flight = 0, 0, 0, pnrgov.Leg{}
	c.Travellers = make([]pnrgov.Traveller, len(p.Travellers))
	for i, t := range p.Travellers {
		t.Segment = 0
		c.Travellers[i] = t
	}
	return c
}

// digest identifies a PNR's content.
func digest(p *pnrgov.PNR) string {
	b, _ := json.Marshal(content(p))
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// identity is what screening looks at in a traveller.
func identity(t *pnrgov.Traveller) string {
	docs := make([]string, 0, len(t.Documents))
	for _, d := range t.Documents {
		docs = append(docs, d.Type+":"+d.Number)
	}
	return strings.Join([]string{t.Surname, t.Given, t.BirthDate, t.Nationality, t.Gender, strings.Join(docs, ",")}, "|")
}

// compare tells what changed from prev to cur, in words that name no
// person (they outlive depersonalisation), and which travellers of cur to
// screen: new ones, and those whose name, birth date, nationality, gender or
// documents changed. A traveller is the same across pushes by its reference
// number, else by its position.
func compare(prev, cur *pnrgov.PNR) (changes []string, screen []int) {
	matched := make([]bool, len(prev.Travellers))
	for i := range cur.Travellers {
		t := &cur.Travellers[i]
		j := -1
		for k := range prev.Travellers {
			if !matched[k] && (t.Ref != "" && prev.Travellers[k].Ref == t.Ref || t.Ref == "" && k == i) {
				j = k
				break
			}
		}
		if j < 0 {
			changes = append(changes, fmt.Sprintf("traveller %d added", i+1))
			screen = append(screen, i)
			continue
		}
		matched[j] = true
		p := &prev.Travellers[j]
		if identity(p) != identity(t) {
			screen = append(screen, i)
			changes = append(changes, fmt.Sprintf("traveller %d: name, birth date, nationality or documents changed", i+1))
		}
		for _, f := range []struct {
			what string
			a, b any
		}{{"contacts", p.Contacts, t.Contacts}, {"addresses", p.Addresses, t.Addresses}, {"tickets or payment", p.Tickets, t.Tickets},
			{"frequent-flyer accounts", p.FrequentFlyers, t.FrequentFlyers}, {"seats", p.Seats, t.Seats}, {"bags", p.Bags, t.Bags},
			{"check-in", p.CheckIns, t.CheckIns}, {"service requests", p.Services, t.Services}} {
			if !reflect.DeepEqual(f.a, f.b) {
				changes = append(changes, fmt.Sprintf("traveller %d: %s changed", i+1, f.what))
			}
		}
	}
	for k, m := range matched {
		if !m {
			changes = append(changes, fmt.Sprintf("traveller %d of the previous version removed", k+1))
		}
	}
	for _, f := range []struct {
		what string
		a, b any
	}{{"itinerary", prev.Legs, cur.Legs}, {"agency", prev.Agency, cur.Agency}, {"contacts", prev.Contacts, cur.Contacts},
		{"addresses", prev.Addresses, cur.Addresses}, {"locators", prev.Locators, cur.Locators}, {"split PNRs", prev.Split, cur.Split},
		{"history", prev.History, cur.History}, {"dates", [3]string{prev.Created, prev.Modified, prev.Ticketed}, [3]string{cur.Created, cur.Modified, cur.Ticketed}},
		{"sponsor", prev.Sponsor, cur.Sponsor}, {"bags", prev.Bags, cur.Bags}, {"service requests", prev.Services, cur.Services}} {
		if !reflect.DeepEqual(f.a, f.b) {
			changes = append(changes, f.what+" changed")
		}
	}
	return changes, screen
}
