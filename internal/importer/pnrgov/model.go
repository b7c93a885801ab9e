package pnrgov

import (
	"fmt"
	"strings"

	"concord/internal/importer/edifact"
)

// Interchange is one UN/EDIFACT interchange (UNB..UNZ) of PNRGOV messages.
// The Reader fills everything but Messages[i].PNRs, which it returns one by
// one; Parse fills those too.
type Interchange struct {
	edifact.Header
	Messages []Message `json:"messages"`
	// Warnings lists what was wrong but tolerated; each names its segment.
	Warnings []string `json:"warnings,omitempty"`
	// Dropped counts the special service requests left out under the
	// sensitive-data policy (see DenyList); nothing else of them is kept.
	Dropped int `json:"dropped"`
}

// Message is one PNRGOV message (UNH..UNT): the PNRs of one flight.
type Message struct {
	Index    int    `json:"index"`              // 1-based position in the interchange
	Ref      string `json:"ref"`                // UNH message reference number
	Version  string `json:"version"`            // PNRGOV version and release, e.g. "13.1"
	Function string `json:"function,omitempty"` // MSG business function, e.g. "22" (push)
	// Sender is the ORG before the flight: the airline or system that sent
	// the message.
	Sender *Agency `json:"sender,omitempty"`
	// Flight is the flight the message reports (TVL at level 0).
	Flight Leg `json:"flight"`
	// Declared is the number of PNRs the sender announced (EQN), -1 when it
	// gave none.
	Declared int   `json:"declared"`
	PNRs     []PNR `json:"pnrs"`
}

// PNR is one passenger name record (a group starting with SRC).
type PNR struct {
	Message  int `json:"message"`  // 1-based index of the message
	Position int `json:"position"` // 1-based position among the PNRs of the message
	Segment  int `json:"segment"`  // number of its SRC segment in the interchange
	// Locator is the record locator of the first reservation of RCI (the
	// booking carrier's or system's), Owner who holds it.
	Locator string `json:"locator"`
	Owner   string `json:"owner,omitempty"`
	// Locators are every reservation of the PNR: the RCI of the booking and
	// those of the legs (other systems and operating carriers), without
	// repeats.
	Locators []Locator `json:"locators,omitempty"`
	Created  string    `json:"created,omitempty"`  // creation of the reservation (RCI)
	Modified string    `json:"modified,omitempty"` // last PNR transaction (DAT 700)
	Ticketed string    `json:"ticketed,omitempty"` // first ticket issue (DAT 710)
	// Flight is the flight the message reports, as in Message.Flight.
	Flight Leg `json:"flight"`
	// Agency is the booking office or travel agency (ORG of the PNR).
	Agency     *Agency     `json:"agency,omitempty"`
	Travellers []Traveller `json:"travellers"`
	Legs       []Leg       `json:"legs"`
	// Contacts, Addresses, FrequentFlyers, Bags and Services given for the
	// whole PNR rather than one traveller.
	Contacts       []Contact       `json:"contacts,omitempty"`
	Addresses      []Address       `json:"addresses,omitempty"`
	FrequentFlyers []FrequentFlyer `json:"frequentFlyers,omitempty"`
	Bags           []Bag           `json:"bags,omitempty"`
	Services       []string        `json:"services,omitempty"`
	Sponsor        *Payer          `json:"sponsor,omitempty"`
	// Split are the locators of PNRs split from this one (EQN and RCI).
	Split []string `json:"split,omitempty"`
	// History holds the names and legs of the PNR's history (ABI, SAC).
	History []Change `json:"history,omitempty"`
}

// Ref names the traveller at index i (0-based) of p stably within its
// interchange, e.g. "msg1-pnr2-pax1".
func (p *PNR) Ref(i int) string {
	return fmt.Sprintf("msg%d-pnr%d-pax%d", p.Message, p.Position, i+1)
}

// BookedAt is when the booking was made: the creation of the reservation
// when RCI gives it, else the first ticket issue or the last transaction.
func (p *PNR) BookedAt() string {
	for _, v := range []string{p.Created, p.Ticketed, p.Modified} {
		if v != "" {
			return v
		}
	}
	return ""
}

// Locator is one reservation of a PNR in one system.
type Locator struct {
	Owner   string `json:"owner"` // airline or system code
	Locator string `json:"locator"`
	Created string `json:"created,omitempty"`
}

// Agency is an ORG segment: the booking office, travel agency or sender.
type Agency struct {
	System   string `json:"system,omitempty"`   // airline or reservation system, e.g. "1A"
	Location string `json:"location,omitempty"` // its city or airport
	IATA     string `json:"iata,omitempty"`     // travel agent (IATA/ARC) number
	Office   string `json:"office,omitempty"`   // office or pseudo city code
	Place    string `json:"place,omitempty"`    // location of the office
	Type     string `json:"type,omitempty"`     // originator type: A airline, T travel agent, ...
	Country  string `json:"country,omitempty"`
	Currency string `json:"currency,omitempty"`
	Agent    string `json:"agent,omitempty"` // agent's sign or id
}

// Key identifies the agency for links: its IATA number, else its office
// within its system; "" when neither is known.
func (a *Agency) Key() string {
	switch {
	case a == nil:
		return ""
	case a.IATA != "":
		return "iata:" + a.IATA
	case a.Office != "":
		return "office:" + strings.Trim(a.System+"/"+a.Office, "/")
	}
	return ""
}

// Leg is one flight of an itinerary (TVL), or the reported flight.
type Leg struct {
	Carrier          string `json:"carrier"`                    // marketing carrier
	Number           string `json:"number"`                     // marketing flight number
	OperatingCarrier string `json:"operatingCarrier,omitempty"` // codeshare: who flies it
	OperatingNumber  string `json:"operatingNumber,omitempty"`
	Class            string `json:"class,omitempty"` // reservation booking designator
	Departure        string `json:"departure"`
	Arrival          string `json:"arrival"`
	DepartureTime    string `json:"departureTime,omitempty"` // "2006-01-02T15:04" or "2006-01-02", local
	ArrivalTime      string `json:"arrivalTime,omitempty"`
	Status           string `json:"status,omitempty"`   // RPI booking status, e.g. "HK"
	Aircraft         string `json:"aircraft,omitempty"` // APD equipment
	CheckIn          string `json:"checkIn,omitempty"`  // DAT+2: check-in transaction
}

// Traveller is one person of a PNR: a TIF group, or a person named only by
// a travel document or a check-in record.
type Traveller struct {
	Position int    `json:"position"`      // 1-based position in the PNR
	Ref      string `json:"ref,omitempty"` // traveller reference number (TIF)
	Segment  int    `json:"segment"`       // segment that introduced the traveller
	// Source is "TIF", or "SSR DOCS" or "check-in" for a traveller the PNR
	// names only there.
	Source string `json:"source"`
	Type   string `json:"type,omitempty"`   // TIF passenger type: A adult, C child, IN infant, ...
	Infant bool   `json:"infant,omitempty"` // an infant on an adult's lap

	Surname    string   `json:"surname"`
	Given      string   `json:"given"`           // the given names joined by spaces
	GivenNames []string `json:"givenNames"`      // as in the travel document when there is one
	Title      string   `json:"title,omitempty"` // MR, MRS, ... taken off the names
	Booked     string   `json:"booked"`          // the name as booked (TIF), "SURNAME/GIVEN"

	Gender      string `json:"gender,omitempty"`      // M, F, U or X
	BirthDate   string `json:"birthDate,omitempty"`   // YYYY-MM-DD
	Nationality string `json:"nationality,omitempty"` // as in the document (ISO 3166 alpha-3 normally)
	Reference   string `json:"reference,omitempty"`   // REF: unique passenger reference

	Documents      []Document      `json:"documents,omitempty"`
	Addresses      []Address       `json:"addresses,omitempty"`
	Contacts       []Contact       `json:"contacts,omitempty"`
	FrequentFlyers []FrequentFlyer `json:"frequentFlyers,omitempty"`
	Tickets        []Ticket        `json:"tickets,omitempty"`
	Seats          []Seat          `json:"seats,omitempty"`
	Bags           []Bag           `json:"bags,omitempty"`
	CheckIns       []CheckIn       `json:"checkIns,omitempty"`
	Services       []string        `json:"services,omitempty"` // other SSR codes (no text)
}

// Name returns the given names followed by the surname.
func (t *Traveller) Name() string {
	return strings.TrimSpace(t.Given + " " + t.Surname)
}

// Document is a travel document (SSR DOCS, DOCO or FOID).
type Document struct {
	Source       string `json:"source"`         // DOCS, DOCO or FOID
	Type         string `json:"type,omitempty"` // P passport, V visa, I identity card, ... as sent
	Number       string `json:"number"`
	IssuingState string `json:"issuingState,omitempty"` // DOCS issuing country, DOCO place of issue
	Expiry       string `json:"expiry,omitempty"`       // YYYY-MM-DD
	Issued       string `json:"issued,omitempty"`       // YYYY-MM-DD (DOCO)
	ValidFor     string `json:"validFor,omitempty"`     // DOCO: country the document is for
	BirthPlace   string `json:"birthPlace,omitempty"`   // DOCO
}

// Address is a postal address (ADD, SSR DOCA).
type Address struct {
	Kind     string `json:"kind"`           // contact, residence, destination, payer
	Type     string `json:"type,omitempty"` // ADD qualifier or DOCA type as sent
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
}

// Key identifies the address for links: its parts normalised (letters and
// digits), "" when it has no street.
func (a *Address) Key() string {
	if a.Street == "" {
		return ""
	}
	return strings.Join([]string{alnum(a.Street), alnum(a.City), alnum(a.Postcode), alnum(a.Country)}, "|")
}

// Kinds of contact.
const (
	Phone = "phone"
	Email = "email"
)

// Contact is a phone number or an e-mail address, normalised: a phone as
// digits (an international "00" or "+" dropped), an e-mail in lower case
// with the airline escapes ("//" for "@", ".." for "_") decoded.
type Contact struct {
	Kind  string `json:"kind"`           // Phone or Email
	Type  string `json:"type,omitempty"` // CTC letter: M mobile, H home, B business, T agency, ...
	Value string `json:"value"`
}

// FrequentFlyer is a loyalty account (FTI, SSR FQTV).
type FrequentFlyer struct {
	Airline string `json:"airline"`
	Number  string `json:"number"`
	Tier    string `json:"tier,omitempty"`
}

// Ticket is a TKT group: the ticket, its price and how it was paid.
type Ticket struct {
	Number   string    `json:"number,omitempty"`
	Type     string    `json:"type,omitempty"`   // T ticket, ... as sent
	Issued   string    `json:"issued,omitempty"` // PTK or DAT 710
	Place    string    `json:"place,omitempty"`  // where it was issued (PTK)
	Amount   string    `json:"amount,omitempty"` // total (MON T, else the first amount)
	Currency string    `json:"currency,omitempty"`
	Payments []Payment `json:"payments,omitempty"`
}

// Payment is one form of payment (FOP). A card number is never kept: only
// its last four digits and, when it came unmasked, a keyed hash.
type Payment struct {
	Type   string `json:"type"` // CC card, CA cash, CK cheque, MS miscellaneous, ... as sent
	Amount string `json:"amount,omitempty"`
	Vendor string `json:"vendor,omitempty"` // card brand: VI, MA, AX, ...
	Last4  string `json:"last4,omitempty"`
	// CardHash is HMAC-SHA256 of the full account number under the node's
	// key (Options.CardKey), 32 hex digits; empty when the number came
	// masked or no key was given.
	CardHash string `json:"cardHash,omitempty"`
	Masked   bool   `json:"masked,omitempty"`
	Payer    *Payer `json:"payer,omitempty"` // IFT and ADD after the FOP
}

// Cash reports whether the payment was made in cash.
func (p *Payment) Cash() bool { return p.Type == "CA" }

// Payer is who paid or sponsored the booking (IFT 4:43, ADD after FOP).
type Payer struct {
	Name    string   `json:"name,omitempty"`
	Address string   `json:"address,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Postal  *Address `json:"postal,omitempty"`
}

// Seat is a seat on one leg (SSR SEAT and other seat requests, SSD).
type Seat struct {
	Leg       int    `json:"leg"` // 1-based index in PNR.Legs, 0 when unknown
	Number    string `json:"number"`
	Cabin     string `json:"cabin,omitempty"`
	Departure string `json:"departure,omitempty"`
	Arrival   string `json:"arrival,omitempty"`
}

// Bag is checked baggage on one leg (TBD) or excess baggage (EBD).
type Bag struct {
	Leg         int      `json:"leg"` // 1-based index in PNR.Legs, 0 when not for one leg
	Count       int      `json:"count"`
	Weight      string   `json:"weight,omitempty"`
	Unit        string   `json:"unit,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Destination string   `json:"destination,omitempty"`
	Excess      bool     `json:"excess,omitempty"`
}

// CheckIn is a traveller's check-in on one leg (TRI and the DAT before it).
type CheckIn struct {
	Leg      int    `json:"leg"`
	Sequence string `json:"sequence,omitempty"`
	Time     string `json:"time,omitempty"`
}

// Change is an entry of a PNR's history: a name or a leg added or
// cancelled.
type Change struct {
	Action string `json:"action"` // SAC code: A added, X cancelled, ...
	Date   string `json:"date,omitempty"`
	Kind   string `json:"kind"` // "name" or "leg"
	Value  string `json:"value"`
}
