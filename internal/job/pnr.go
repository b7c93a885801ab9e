package job

import (
	"encoding/json"
	"errors"
	"io"

	"concord"
	"concord/internal/importer/pnrgov"
)

// eachPNRGOV turns the travellers of a PNRGOV push into queries as it reads
// them and calls fn with each: one per traveller per PNR, id naming its
// place ("msg1-pnr2-pax1"), Booking its record locator, screened exactly as
// a PAXLST traveller (name, birth date, nationality, gender, travel
// document). The reader holds one PNR at a time; sensitive requests are
// dropped as it reads (pnrgov.DenyList). meta describes the messages,
// flights and PNRs as JSON. An error from fn is returned as it is.
func eachPNRGOV(r io.Reader, name string, opt pnrgov.Options, fn func(Query) error) (string, error) {
	rd := opt.NewReader(r)
	type pnrMeta struct {
		Message    int    `json:"message"`
		Locator    string `json:"locator"`
		Travellers int    `json:"travellers"`
	}
	var ps []pnrMeta
	for {
		p, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", concord.Errorf(concord.EINVALID, "%s: %v", name, err)
		}
		for i := range p.Travellers {
			if err := fn(TravellerQuery(p, i)); err != nil {
				return "", err
			}
		}
		ps = append(ps, pnrMeta{p.Message, p.Locator, len(p.Travellers)})
	}
	ic := rd.Interchange()
	type msg struct {
		Index    int        `json:"index"`
		Version  string     `json:"version"`
		Flight   pnrgov.Leg `json:"flight"`
		Declared int        `json:"declared"`
	}
	v := struct {
		Sender   string    `json:"sender"`
		Messages []msg     `json:"messages"`
		PNRs     []pnrMeta `json:"pnrs"`
		Dropped  int       `json:"dropped"`
		Warnings []string  `json:"warnings,omitempty"`
	}{Sender: ic.Sender, PNRs: ps, Dropped: ic.Dropped, Warnings: ic.Warnings}
	for _, m := range ic.Messages {
		v.Messages = append(v.Messages, msg{m.Index, m.Version, m.Flight, m.Declared})
	}
	b, _ := json.Marshal(v)
	return string(b), nil
}

// TravellerQuery is the query of traveller i of p: its name, birth date,
// nationality, gender and passport (or other identity document).
func TravellerQuery(p *pnrgov.PNR, i int) Query {
	t := &p.Travellers[i]
	q := Query{ID: p.Ref(i), Booking: p.Locator, Name: t.Name(), BirthDate: t.BirthDate, Schema: "Person"}
	q.Gender = genderOf(t.Gender)
	if code, ok := concord.CountryCode(t.Nationality); ok {
		q.Nationality = code
	}
	q.DocumentNumber = documentOf(func(yield func(typ, number string) bool) {
		for _, d := range t.Documents {
			if d.Source != "DOCO" && !yield(d.Type, d.Number) {
				return
			}
		}
	})
	return q
}

// genderOf is a travel document's gender as the engine takes it.
func genderOf(g string) string {
	switch g {
	case "M":
		return "male"
	case "F":
		return "female"
	}
	return ""
}

// documentOf picks the document screened: the first passport or identity
// card (type P, PT, I, or none given) with a number.
func documentOf(docs func(yield func(typ, number string) bool)) string {
	found := ""
	docs(func(typ, number string) bool {
		if number != "" && (typ == "P" || typ == "" || typ == "I" || typ == "PT") {
			found = number
			return false
		}
		return true
	})
	return found
}
