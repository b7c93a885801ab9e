package paxlst

import (
	"fmt"

	"concord/internal/importer/edifact"
)

// Interchange is one UN/EDIFACT interchange (UNB..UNZ).
type Interchange struct {
	edifact.Header
	Messages []Message `json:"messages"`
	// Warnings lists what was wrong but tolerated (control counts and
	// references that do not match); each names its segment.
	Warnings []string `json:"warnings,omitempty"`
}

// Travellers returns the travellers of all messages, in order.
func (ic *Interchange) Travellers() []Traveller {
	var ts []Traveller
	for _, m := range ic.Messages {
		ts = append(ts, m.Travellers...)
	}
	return ts
}

// Message is one PAXLST message (UNH..UNT).
type Message struct {
	Index          int    `json:"index"`   // 1-based position in the interchange
	Ref            string `json:"ref"`     // UNH message reference number
	Version        string `json:"version"` // directory, "D02B" or "D05B"
	Document       string `json:"document"`
	Crew           bool   `json:"crew"` // BGM+250: a crew list
	ReportingParty string `json:"reportingParty,omitempty"`
	// Flight is the leg that arrives in or departs from the reporting state
	// (the one with LOC+125/87), else the last leg.
	Flight     Leg         `json:"flight"`
	Legs       []Leg       `json:"legs"`
	Travellers []Traveller `json:"travellers"` // empty when read by Stream
	// TravellerCount is the number of travellers of the message, also when
	// Stream kept none.
	TravellerCount int `json:"-"`
}

// Leg is one flight leg (TDT+20 and its LOC and DTM segments).
type Leg struct {
	Number        string `json:"number"`                  // TDT conveyance reference, e.g. "LH400"
	Carrier       string `json:"carrier,omitempty"`       // TDT carrier code, when given
	Departure     string `json:"departure"`               // LOC+125 (or first LOC+92) airport
	Arrival       string `json:"arrival"`                 // LOC+87 (or second LOC+92) airport
	DepartureTime string `json:"departureTime,omitempty"` // DTM+189, "2006-01-02T15:04" local
	ArrivalTime   string `json:"arrivalTime,omitempty"`   // DTM+232, "2006-01-02T15:04" local
}

// Roles of travellers.
const (
	Passenger = "passenger"
	Crew      = "crew"
)

// Traveller is one person on the manifest: a NAD+FL, FM, DDT or DDU group.
type Traveller struct {
	Message   int    `json:"message"`   // 1-based index of the message
	Position  int    `json:"position"`  // 1-based position among the travellers of the message
	Segment   int    `json:"segment"`   // number of its NAD segment in the interchange
	Qualifier string `json:"qualifier"` // NAD party qualifier: FL, FM, DDU or DDT
	Role      string `json:"role"`      // Passenger or Crew
	InTransit bool   `json:"inTransit,omitempty"`

	Surname    string   `json:"surname"`
	Given      string   `json:"given"`               // the given names joined by spaces
	GivenNames []string `json:"givenNames"`          // the given and middle names, as sent
	Gender     string   `json:"gender,omitempty"`    // ATT+2: M, F, U or X
	BirthDate  string   `json:"birthDate,omitempty"` // DTM+329, YYYY-MM-DD
	BirthPlace string   `json:"birthPlace,omitempty"`
	// Nationality is NAT+2 as given (ISO 3166 alpha-3 normally).
	Nationality string     `json:"nationality,omitempty"`
	Residence   string     `json:"residence,omitempty"`   // LOC+174 country of residence
	Address     []string   `json:"address,omitempty"`     // NAD street, city, region, postcode, country
	Embarkation string     `json:"embarkation,omitempty"` // LOC+178
	Debarkation string     `json:"debarkation,omitempty"` // LOC+179
	Clearance   string     `json:"clearance,omitempty"`   // LOC+22 place of clearance
	Reservation string     `json:"reservation,omitempty"` // RFF+AVF booking reference
	Seat        string     `json:"seat,omitempty"`        // RFF+SEA
	Documents   []Document `json:"documents,omitempty"`
}

// Ref names the traveller stably within its interchange, e.g. "msg1-pax3" or
// "msg1-crew2"; the number is Position, counted over all travellers of the
// message whatever their role.
func (t *Traveller) Ref() string {
	role := "pax"
	if t.Role == Crew {
		role = "crew"
	}
	return fmt.Sprintf("msg%d-%s%d", t.Message, role, t.Position)
}

// Name returns the given names followed by the surname.
func (t *Traveller) Name() string {
	if t.Given == "" {
		return t.Surname
	}
	if t.Surname == "" {
		return t.Given
	}
	return t.Given + " " + t.Surname
}

// Document is a travel document (DOC with its DTM and LOC).
type Document struct {
	Type         string `json:"type,omitempty"` // P passport, V visa, I identity card, ... as sent
	Number       string `json:"number"`
	IssuingState string `json:"issuingState,omitempty"` // LOC+91
	Expiry       string `json:"expiry,omitempty"`       // DTM+36, YYYY-MM-DD
	Issued       string `json:"issued,omitempty"`       // DTM+182, YYYY-MM-DD
}
