package pnrgov

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"concord/internal/importer/edifact/edifacttest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// testKey is the card key of the tests (a node's key is random).
var testKey = []byte("concord test node key")

// fixed keeps centuries independent of the wall clock.
var fixed = Options{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }, CardKey: testKey}

func parseFile(t *testing.T, name string) *Interchange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ic, err := fixed.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ic
}

// dataFiles are the PNRGOV messages in testdata (not the licence).
func dataFiles(t testing.TB) []string {
	m, _ := filepath.Glob("testdata/gtas_*.txt")
	var names []string
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	if len(names) != 24 {
		t.Fatalf("found %d PNRGOV files in testdata, want 24", len(names))
	}
	return names
}

// malformed are the two shared files that must be refused, with where.
var malformed = map[string]struct {
	segment int
	tag     string
	want    string
}{
	// Text after the last segment, which lacks its terminator.
	"gtas_pnrBadFormat.txt": {28, "UNZ", "text after the interchange"},
	// The data element separator '-' written in free text without release
	// cuts a telephone number in two ("866 746-4647").
	"gtas_danglingMetaCharacter.txt": {16, "IFT", `separator "-" in its text is not released`},
}

func allTravellers(ic *Interchange) []Traveller {
	var ts []Traveller
	for _, m := range ic.Messages {
		for _, p := range m.PNRs {
			ts = append(ts, p.Travellers...)
		}
	}
	return ts
}

func pnrs(ic *Interchange) []PNR {
	var ps []PNR
	for _, m := range ic.Messages {
		ps = append(ps, m.PNRs...)
	}
	return ps
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file       string
		version    string
		pnrs       int
		travellers int
		check      func(t *testing.T, ic *Interchange, ps []PNR)
	}{
		{"gtas_pnrMessage.txt", "10.1", 1, 2, func(t *testing.T, ic *Interchange, ps []PNR) {
			p := ps[0]
			if p.Locator != "MFN4TI" || p.Agency.IATA != "52519950" || p.Agency.Key() != "iata:52519950" || len(p.Legs) != 2 || p.Split[0] != "ABCDEF" {
				t.Errorf("PNR %+v", p)
			}
			tr := p.Travellers[0]
			if tr.Name() != "JONATHON ROBERT SMITHJR" || tr.Title != "MR" || tr.BirthDate != "1964-07-12" || tr.Nationality != "GBR" ||
				tr.Documents[0].Number != "123456789" || tr.FrequentFlyers[0].Number != "1234567890" || tr.Tickets[0].Payments[0].Payer.Name != "TIMOTHY SIMS" {
				t.Errorf("traveller %+v", tr)
			}
			if ic.Dropped != 5 || len(p.History) != 4 || p.History[0].Action != "X" {
				t.Errorf("dropped %d, history %+v", ic.Dropped, p.History)
			}
		}},
		{"gtas_pnr1.txt", "10.1", 1, 2, nil},
		{"gtas_pnr2.txt", "10.1", 1, 2, func(t *testing.T, _ *Interchange, ps []PNR) {
			p := ps[0]
			if p.Locator != "23456" || p.Owner != "1A" || p.Agency.Type != "T" || p.Agency.Key() != "iata:12345678" {
				t.Errorf("PNR %+v %+v", p, p.Agency)
			}
			// A name changed in the history: JON cancelled, JOHN added.
			if h := p.History; len(h) != 2 || h[0] != (Change{Action: "X", Date: "2010-12-07T10:10", Kind: "name", Value: "WAYNE/JONMR"}) {
				t.Errorf("history %+v", h)
			}
		}},
		{"gtas_pnr3.txt", "13.1", 1, 4, func(t *testing.T, _ *Interchange, ps []PNR) {
			l := ps[0].Legs[0]
			if l.Carrier != "UA" || l.Number != "9146" || l.OperatingCarrier != "LH" || l.OperatingNumber != "860" {
				t.Errorf("codeshare leg %+v", l)
			}
			if c := ps[0].Travellers[1].Contacts[0]; c != (Contact{Kind: Email, Type: "E", Value: "merle.chisolm@yahoo.com"}) {
				t.Errorf("contact %+v", c)
			}
		}},
		{"gtas_pnr4.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			if b := ps[0].Travellers[0].Bags; len(b) != 1 || b[0].Count != 1 || b[0].Tags[0] != "UA0621" || b[0].Destination != "IAD" {
				t.Errorf("bags %+v", b)
			}
		}},
		{"gtas_pnrAddressPhoneCTCM.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			// GTAS reads the telephone 5432109876 out of "EK CTC M 5432109876".
			if !hasContact(ps[0].Contacts, Phone, "5432109876") {
				t.Errorf("contacts %+v", ps[0].Contacts)
			}
		}},
		{"gtas_pnrPhoneCTCM.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			if !hasContact(ps[0].Travellers[0].Contacts, Phone, "123456789") {
				t.Errorf("contacts %+v", ps[0].Travellers[0].Contacts)
			}
		}},
		{"gtas_pnrPhoneCTC_M.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			if c := ps[0].Travellers[0].Contacts; !hasContact(c, Phone, "123456789") || c[1].Type != "M" {
				t.Errorf("contacts %+v", c)
			}
		}},
		{"gtas_pnrEdge.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			// The released '+' of the address: MOLLY_LOUUNT+50BB@GMAIL.COM.
			if !hasContact(ps[0].Travellers[0].Contacts, Email, "molly_louunt+50bb@gmail.com") {
				t.Errorf("contacts %+v", ps[0].Travellers[0].Contacts)
			}
		}},
		{"gtas_pnrSeatFormats.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			want := []Seat{{Leg: 1, Number: "36K", Departure: "FRA", Arrival: "IAD"}, {Leg: 0, Number: "74E", Departure: "SFO", Arrival: "IAD"}}
			if s := ps[0].Travellers[0].Seats; !reflect.DeepEqual(s, want) {
				t.Errorf("seats %+v", s)
			}
		}},
		{"gtas_pnrWithDoco.txt", "13.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			want := Document{Source: "DOCO", Type: "V", Number: "8675309", IssuingState: "OTHER PLACE", Issued: "2006-12-22", ValidFor: "LI", BirthPlace: "HERE VA"}
			if d := ps[0].Travellers[0].Documents; len(d) != 2 || d[1] != want {
				t.Errorf("documents %+v", d)
			}
			if p := ps[0].Travellers[0].Tickets[0].Payments[0]; !p.Cash() || p.Amount != "250.00" {
				t.Errorf("payment %+v", p)
			}
		}},
		{"gtas_pnrNoOrgMsg.txt", "13.1", 1, 1, func(t *testing.T, ic *Interchange, ps []PNR) {
			if m := ic.Messages[0]; m.Sender != nil || m.Function != "" || m.Flight.Number != "988" {
				t.Errorf("message %+v", m)
			}
		}},
		{"gtas_pnrMessageExample.txt", "13.1", 1, 5, func(t *testing.T, _ *Interchange, ps []PNR) {
			// GTAS counts 18 bags: nine travellers' bags on each of two legs.
			n := 0
			for _, tr := range ps[0].Travellers {
				for _, b := range tr.Bags {
					n += b.Count
				}
			}
			if n != 18 {
				t.Errorf("%d bags, want 18", n)
			}
			if p := ps[0].Travellers[0].Tickets[0].Payments[0]; p.Vendor != "AX" || p.Last4 != "9581" || !p.Masked || p.CardHash != "" {
				t.Errorf("masked card %+v", p)
			}
		}},
		{"gtas_pnrWithPrefixesAndBookingDetailBags.txt", "13.1", 1, 2, func(t *testing.T, _ *Interchange, ps []PNR) {
			tr := ps[0].Travellers[0]
			if tr.Surname != "ADONAY" || tr.Given != "YORDA KISANET" || tr.Title != "MRS" || tr.Bags[0].Tags[0] != "UA0506" || tr.Bags[0].Destination != "KWI" {
				t.Errorf("traveller %+v", tr)
			}
		}},
		{"gtas_pnrMessagePg77.txt", "11.1", 1, 1, func(t *testing.T, _ *Interchange, ps []PNR) {
			p := ps[0]
			if p.Locator != "W9TEND" || p.BookedAt() != "2013-05-23T18:13:48" || p.Travellers[0].Ref != "43576" || p.Travellers[0].Surname != "VANDENBERG" {
				t.Errorf("PNR %+v", p)
			}
			if c := p.Contacts; len(c) != 2 || c[0].Value != "5555555555" || c[1].Value != "15555555555" {
				t.Errorf("contacts %+v", c)
			}
		}},
		{"gtas_pnrMessagePg76.txt", "11.1", 1, 2, func(t *testing.T, _ *Interchange, ps []PNR) {
			tr := ps[0].Travellers[0]
			if tr.Surname != "DORON" || tr.Given != "NINA" || tr.Title != "MS" || tr.BirthDate != "1953-02-05" || tr.Tickets[0].Issued != "2013-02-14" {
				t.Errorf("traveller %+v", tr)
			}
		}},
		{"gtas_pnrMessagePg75.txt", "11.1", 2, 2, func(t *testing.T, ic *Interchange, ps []PNR) {
			// Three segments end with ’; a TIF lost to a missing terminator
			// leaves its traveller named by the DOCS and the check-in.
			if len(ic.Warnings) != 4 || !strings.Contains(ic.Warnings[0], "typographic") {
				t.Errorf("warnings %q", ic.Warnings)
			}
			if tr := ps[1].Travellers[0]; tr.Source != "SSR DOCS" || tr.Name() != "KONG CHUN KIM" || tr.Ref != "3" || tr.Seats[0].Number != "14A" {
				t.Errorf("traveller %+v", tr)
			}
			if l := ps[0].Legs; len(l) != 1 || l[0].OperatingNumber != "303" {
				t.Errorf("legs %+v", l)
			}
		}},
		{"gtas_multiple_flight_leg_pnr.txt", "13.1", 1, 2, func(t *testing.T, _ *Interchange, ps []PNR) {
			if l := ps[0].Legs; len(l) != 4 || l[1].OperatingCarrier != "LH" || l[3].Number != "988" {
				t.Errorf("legs %+v", l)
			}
		}},
		{"gtas_modifyPnr77ForCodeShare.txt", "11.1", 1, 1, func(t *testing.T, ic *Interchange, ps []PNR) {
			if l := ps[0].Legs[0]; l.OperatingCarrier != "SK" || l.OperatingNumber != "1524" {
				t.Errorf("codeshare by TRA %+v", l)
			}
			if l := ps[0].Legs[3]; l.ArrivalTime != "2013-05-31" || !strings.Contains(ic.Warnings[0], `arrival time "4321"`) {
				t.Errorf("leg with a bad time %+v, warnings %q", l, ic.Warnings)
			}
		}},
		{sample, "13.1", 3, 4, func(t *testing.T, ic *Interchange, ps []PNR) {
			if ps[0].Contacts[0] != ps[2].Travellers[0].Contacts[0] || ps[0].Agency.Key() != ps[2].Agency.Key() || ic.Dropped != 1 || len(ic.Warnings) != 0 {
				t.Errorf("shared phone and agency: %+v %+v", ps[0], ps[2])
			}
			if p := ps[1].Travellers[0].Tickets[0].Payments[0]; p.Last4 != "5556" || p.CardHash != CardHash(testKey, "4000056655665556") {
				t.Errorf("card %+v", p)
			}
		}},
		{"gtas_bigMessagePnr.txt", "13.1", 1, 7, nil},
		{"gtas_bigbigPnr.txt", "13.1", 47, 86, nil},
		{"gtas_pnrWithBags.txt", "13.1", 127, 268, nil},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			seen[tt.file] = true
			ic := parseFile(t, tt.file)
			ps := pnrs(ic)
			if len(ic.Messages) != 1 || ic.Messages[0].Version != tt.version {
				t.Fatalf("%d messages, version %s; want 1, %s", len(ic.Messages), ic.Messages[0].Version, tt.version)
			}
			if len(ps) != tt.pnrs || len(allTravellers(ic)) != tt.travellers {
				t.Fatalf("%d PNRs %d travellers, want %d %d", len(ps), len(allTravellers(ic)), tt.pnrs, tt.travellers)
			}
			for i, p := range ps {
				if p.Position != i+1 || p.Flight != ic.Messages[0].Flight || p.Flight.DepartureTime == "" {
					t.Errorf("PNR %d: %+v", i+1, p)
				}
				for j, tr := range p.Travellers {
					if tr.Position != j+1 || tr.Surname == "" && tr.Given == "" {
						t.Errorf("PNR %d traveller %d: %+v", i+1, j+1, tr)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, ic, ps)
			}
		})
	}
	for _, f := range dataFiles(t) {
		if _, bad := malformed[f]; !seen[f] && !bad {
			t.Errorf("%s has no test case", f)
		}
	}
}

func hasContact(cs []Contact, kind, value string) bool {
	for _, c := range cs {
		if c.Kind == kind && c.Value == value {
			return true
		}
	}
	return false
}

func TestMalformedFiles(t *testing.T) {
	for name, want := range malformed {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			_, err = fixed.Parse(bytes.NewReader(b))
			var e *Error
			if !errors.As(err, &e) || e.Segment != want.segment || e.Tag != want.tag || !strings.Contains(err.Error(), want.want) {
				t.Fatalf("error %v, want segment %d (%s): %s", err, want.segment, want.tag, want.want)
			}
		})
	}
}

// The dangling file's separators are read right: with its telephone number
// and its other text written with the release character, it parses.
func TestDanglingSeparatorsReleased(t *testing.T) {
	b, err := os.ReadFile("testdata/gtas_danglingMetaCharacter.txt")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.NewReplacer("746-4647", "746?-4647", "1A-IP", "1A?-IP").Replace(string(b))
	ic, err := fixed.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	p := pnrs(ic)[0]
	if p.Locator != "BGXFR4" || len(p.Legs) != 3 || !hasContact(p.Travellers[0].Contacts, Phone, "8667464647") {
		t.Errorf("PNR %+v", p)
	}
}

// sample is Concord's own made-up push (README walkthrough, screening and
// link tests): listed persons under other spellings among innocents.
const sample = "concord_sample_push.txt"

func TestGolden(t *testing.T) {
	for _, name := range append(dataFiles(t), sample) {
		if _, bad := malformed[name]; bad {
			continue
		}
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(parseFile(t, name), "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			edifacttest.Golden(t, filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden.json"), got, *update)
		})
	}
}

// gtas_pnr1.txt is gtas_pnrMessage.txt as a teletype delivers it: one
// segment per line, lines wrapped inside segments, CR LF, and "MR" glued to
// the front of a name in the document. Both read the same.
func TestWrappedEqualsOneLine(t *testing.T) {
	a, b := parseFile(t, "gtas_pnr1.txt"), parseFile(t, "gtas_pnrMessage.txt")
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Errorf("wrapped and one-line forms differ:\n%s\n%s", ja, jb)
	}
}

// Every shared file reads the same once wrapped the way teletype networks
// deliver it (header lines, CR LF every few bytes, a mail footer).
func TestRewrapped(t *testing.T) {
	for _, name := range dataFiles(t) {
		if _, bad := malformed[name]; bad {
			continue
		}
		b, _ := os.ReadFile(filepath.Join("testdata", name))
		if bytes.HasSuffix(bytes.TrimSpace(b), []byte("'")) {
			want := parseFile(t, name)
			in := "QU HDQRMXH\r\n.HDQRMAA 130631\r\n" + rewrap(string(b), 61) + "\r\n\r\nEmail secured by UN Antivirus\r\n"
			got, err := fixed.Parse(strings.NewReader(in))
			if err != nil {
				t.Fatalf("%s rewrapped: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s rewrapped reads differently", name)
			}
		}
	}
}

// rewrap drops the line breaks of s and wraps it every n bytes, keeping a
// UNA whole (the interchange is recognised by it) and a line break after a
// typographic apostrophe (which ends a segment only there).
func rewrap(s string, n int) string {
	s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
	var b strings.Builder
	if strings.HasPrefix(s, "UNA") {
		b.WriteString(s[:9])
		s = s[9:]
	}
	for _, piece := range strings.SplitAfter(s, "\u2019") {
		b.WriteString(edifacttest.Wrap(piece, n))
	}
	return b.String()
}

func TestDetect(t *testing.T) {
	for _, name := range dataFiles(t) {
		b, _ := os.ReadFile("testdata/" + name)
		if !Detect(b[:min(len(b), 1024)]) {
			t.Errorf("Detect(%s) = false", name)
		}
	}
	paxlst, err := os.ReadFile("../paxlst/testdata/gtas_multiple_flight_leg_05B.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "id,name\nt1,John Doe\n", `{"schema":"Person"}`, string(paxlst),
		"UNA:+.? 'UNB+UNOA:4+A+B+210101:0000+1'UNH+1+PAXLST:D:05B:UN'NAD+FL+++PNRGOV'", "RUNB+PNRGOV"} {
		if Detect([]byte(s)) {
			t.Errorf("Detect(%.40q) = true", s)
		}
	}
}
