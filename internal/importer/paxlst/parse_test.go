package paxlst

import (
	"encoding/json"
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

// fixedNow keeps the century of UNB dates independent of the wall clock.
var fixedNow = Options{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }}

func parseFile(t *testing.T, name string) *Interchange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ic, err := fixedNow.ParseBytes(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ic
}

// dataFiles are the PAXLST messages in testdata (not the licences).
func dataFiles(t testing.TB) []string {
	var names []string
	for _, pat := range []string{"testdata/*.txt", "testdata/*.edi"} {
		m, _ := filepath.Glob(pat)
		for _, p := range m {
			if base := filepath.Base(p); !strings.HasPrefix(base, "LICENSE") {
				names = append(names, base)
			}
		}
	}
	if len(names) != 11 {
		t.Fatalf("found %d PAXLST files in testdata, want 11", len(names))
	}
	return names
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file       string
		version    string
		crew       bool
		travellers int
		legs       int
		flight     Leg
		check      func(t *testing.T, m *Message)
	}{
		{"ediclean_original_A.txt", "D05B", false, 1, 1,
			Leg{Number: "A92707", Departure: "VIE", Arrival: "VIE", DepartureTime: "2021-07-13T11:00", ArrivalTime: "2021-07-13T12:00"},
			func(t *testing.T, m *Message) {
				want := Traveller{Message: 1, Position: 1, Segment: 12, Qualifier: "FL", Role: Passenger,
					Surname: "DJEMFISJER", Given: "REDJAE", GivenNames: []string{"REDJAE"}, Gender: "M",
					BirthDate: "1993-04-08", Nationality: "ABC", Embarkation: "TBS", Debarkation: "VIE", Clearance: "VIE",
					Reservation: "ABC123", Seat: "9F",
					Documents: []Document{{Type: "P", Number: "3DEJ2ED3E", IssuingState: "LIM", Expiry: "2028-09-07"}}}
				if !reflect.DeepEqual(m.Travellers[0], want) {
					t.Errorf("traveller\n got %+v\nwant %+v", m.Travellers[0], want)
				}
			}},
		{"ediclean_original_B.txt", "D05B", false, 1, 1,
			Leg{Number: "B2740", Departure: "VIE", Arrival: "FRA", DepartureTime: "2021-08-27T04:15", ArrivalTime: "2021-08-27T06:50"},
			func(t *testing.T, m *Message) {
				p := m.Travellers[0]
				if p.Surname != "AERWDEDE" || p.Given != "FERDE H" || p.Gender != "F" || p.BirthDate != "1983-02-12" || p.Nationality != "AUT" {
					t.Errorf("traveller %+v", p)
				}
				if d := p.Documents[0]; d.Number != "FER342423" || d.Expiry != "2028-07-27" || d.IssuingState != "AUT" {
					t.Errorf("document %+v", d)
				}
			}},
		{"ediclean_original_D.txt", "D05B", false, 1, 1,
			Leg{Number: "FZ708", Carrier: "FZ", Departure: "VIE", Arrival: "FRA", DepartureTime: "2021-08-27T14:50", ArrivalTime: "2021-08-27T17:40"},
			func(t *testing.T, m *Message) {
				p := m.Travellers[0]
				if p.Surname != "ERFADFEFW" || p.BirthDate != "1983-10-31" || p.Documents[0].Expiry != "2031-02-08" {
					t.Errorf("traveller %+v", p)
				}
			}},
		{"ediclean_original_F.txt", "D05B", true, 1, 1,
			Leg{Number: "TK334", Carrier: "TK", Departure: "FRA", Arrival: "VIE", DepartureTime: "2021-08-27T17:10", ArrivalTime: "2021-08-27T20:50"},
			func(t *testing.T, m *Message) {
				p := m.Travellers[0]
				if p.Role != Crew || p.Ref() != "msg1-crew1" || p.BirthPlace != "BAKIRKOY, ABC" || len(p.Documents) != 2 {
					t.Errorf("traveller %+v", p)
				}
				if d := p.Documents[1]; d.Type != "L" || d.Number != "6713" || d.Expiry != "2036-01-01" {
					t.Errorf("second document %+v", d)
				}
			}},
		{"ediclean_reference_A.txt", "D05B", false, 1, 1,
			Leg{Number: "A92707", Departure: "VIE", Arrival: "VIE", DepartureTime: "2021-07-13T11:00", ArrivalTime: "2021-07-13T12:00"}, nil},
		{"gtas_Test1_02B_crew_noUNA.txt", "D02B", true, 8, 1,
			Leg{Number: "UA0989", Carrier: "UA", Departure: "FRA", Arrival: "IAD", DepartureTime: "2017-01-27T17:25", ArrivalTime: "2017-01-28T07:10"},
			func(t *testing.T, m *Message) {
				p := m.Travellers[0]
				if p.Surname != "Steur" || !reflect.DeepEqual(p.GivenNames, []string{"Andrea", "Pat"}) || p.Gender != "F" ||
					p.BirthDate != "1978-07-06" || p.BirthPlace != "Hartford USA" || p.Residence != "GBR" || p.Role != Crew {
					t.Errorf("traveller %+v", p)
				}
				// Expiry 610218 in a 2014 message: 2061 is nearer than 1961.
				if d := p.Documents[0]; d.Type != "P" || d.Number != "123456789" || d.Expiry != "2061-02-18" {
					t.Errorf("document %+v", d)
				}
				if last := m.Travellers[7]; last.Surname != "Zschieschak" || last.Position != 8 || last.Ref() != "msg1-crew8" {
					t.Errorf("last traveller %+v", last)
				}
			}},
		{"gtas_Test3_02B_large.txt", "D02B", false, 260, 1,
			Leg{Number: "UA0989", Carrier: "UA", Departure: "FRA", Arrival: "IAD", DepartureTime: "2017-01-27T17:25", ArrivalTime: "2017-01-28T07:10"},
			func(t *testing.T, m *Message) {
				if p := m.Travellers[0]; p.Surname != "Kuchel" || p.BirthDate != "1977-10-19" || p.Documents[0].Expiry != "2019-12-18" {
					t.Errorf("first traveller %+v", p)
				}
				if p := m.Travellers[259]; p.Surname != "Pfaffelhuber" || p.Ref() != "msg1-pax260" {
					t.Errorf("last traveller %+v", p)
				}
			}},
		{"gtas_airline2_custom_separators.edi", "D02B", false, 10, 1,
			Leg{Number: "TN506", Departure: "BRE", Arrival: "YEU", DepartureTime: "2014-05-11T13:40", ArrivalTime: "2014-05-11T17:00"},
			func(t *testing.T, m *Message) {
				if p := m.Travellers[0]; p.Surname != "BETTON" || p.Given != "DAVID" || p.BirthDate != "1954-10-16" || p.Documents[0].Number != "178556534" {
					t.Errorf("first traveller %+v", p)
				}
			}},
		{"gtas_apisMessage_05B_multileg.txt", "D05B", false, 2, 2,
			Leg{Number: "AA124", Carrier: "AA", Departure: "ORD", Arrival: "JFK", DepartureTime: "2007-02-19T18:40", ArrivalTime: "2007-02-19T19:55"},
			func(t *testing.T, m *Message) {
				if l := m.Legs[0]; l.Number != "AA123" || l.Departure != "ATL" || l.Arrival != "ORD" || l.ArrivalTime != "2007-02-19T17:40" {
					t.Errorf("first leg %+v", l)
				}
				if p := m.Travellers[1]; p.Surname != "CLARK" || p.Given != "CHERYL" || p.Gender != "F" || p.BirthDate != "1973-04-07" || p.Embarkation != "ORD" {
					t.Errorf("second traveller %+v", p)
				}
			}},
		{"gtas_multiple_flight_leg_05B.txt", "D05B", false, 2, 3,
			Leg{Number: "QQ827", Carrier: "QQ", Departure: "JFK", Arrival: "CDG", DepartureTime: "2008-08-10T20:00", ArrivalTime: "2008-08-11T06:30"},
			func(t *testing.T, m *Message) {
				if p := m.Travellers[0]; p.Surname != "BARRETT" || p.BirthDate != "1968-02-23" || p.Documents[0].Number != "YY3478621G" || p.Documents[0].Expiry != "2008-12-30" {
					t.Errorf("first traveller %+v", p)
				}
			}},
		{"gtas_tamr_flight1_02B_bags_visa.txt", "D02B", false, 10, 1,
			Leg{Number: "LA532", Departure: "SCL", Arrival: "JFK", DepartureTime: "2020-01-19T23:00", ArrivalTime: "2020-01-20T07:40"},
			func(t *testing.T, m *Message) {
				p := m.Travellers[0]
				want := []Document{
					{Type: "", Number: "433419360", IssuingState: "CHN", Expiry: "2023-09-20"},
					{Type: "V", Number: "57131424", IssuingState: "USA", Expiry: "2021-07-29"},
				}
				if p.Surname != "JIANG" || p.Nationality != "CHN" || !reflect.DeepEqual(p.Documents, want) {
					t.Errorf("first traveller %+v", p)
				}
				// Birth years either side of 2000 in a message of 2020.
				for i, want := range map[int]string{6: "1997-11-02", 7: "1941-01-08", 9: "2000-05-20"} {
					if got := m.Travellers[i].BirthDate; got != want {
						t.Errorf("traveller %d birth date %s, want %s", i+1, got, want)
					}
				}
				if p := m.Travellers[9]; p.Surname != "O GRADY" || p.Given != "EMMA MAISIE" {
					t.Errorf("last traveller %+v", p)
				}
			}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			seen[tt.file] = true
			ic := parseFile(t, tt.file)
			if len(ic.Messages) != 1 {
				t.Fatalf("%d messages, want 1", len(ic.Messages))
			}
			m := &ic.Messages[0]
			if m.Version != tt.version || m.Crew != tt.crew {
				t.Errorf("version %s crew %v, want %s %v", m.Version, m.Crew, tt.version, tt.crew)
			}
			if len(m.Travellers) != tt.travellers || len(m.Legs) != tt.legs {
				t.Fatalf("%d travellers %d legs, want %d %d", len(m.Travellers), len(m.Legs), tt.travellers, tt.legs)
			}
			if m.Flight != tt.flight {
				t.Errorf("flight\n got %+v\nwant %+v", m.Flight, tt.flight)
			}
			for i, p := range m.Travellers {
				if p.Position != i+1 || p.Message != 1 || (p.Surname == "" && p.Given == "") {
					t.Errorf("traveller %d: %+v", i+1, p)
				}
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
	for _, f := range dataFiles(t) {
		if !seen[f] {
			t.Errorf("%s has no test case", f)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, name := range dataFiles(t) {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(parseFile(t, name), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			edifacttest.Golden(t, filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden.json"), got, *update)
		})
	}
}

// The teletype original of ediclean A (header, lines wrapped inside
// segments, mail footer) parses to the same interchange as its clean form.
func TestTeletypeEqualsReference(t *testing.T) {
	orig, ref := parseFile(t, "ediclean_original_A.txt"), parseFile(t, "ediclean_reference_A.txt")
	if !reflect.DeepEqual(orig, ref) {
		t.Errorf("original and reference differ:\n%+v\n%+v", orig, ref)
	}
}

func TestStrictRefusesBadCounts(t *testing.T) {
	b, _ := os.ReadFile("testdata/gtas_multiple_flight_leg_05B.txt")
	if _, err := (Options{Strict: true}).ParseBytes(b); err != nil {
		t.Errorf("clean file refused in strict mode: %v", err)
	}
	b, _ = os.ReadFile("testdata/ediclean_reference_A.txt")
	_, err := (Options{Strict: true}).ParseBytes(b)
	e, ok := err.(*Error)
	if !ok || e.Segment != 26 || e.Tag != "CNT" || e.MessageSegment != 24 {
		t.Errorf("strict parse of a message with a wrong CNT: %v", err)
	}
}

func TestRefUnique(t *testing.T) {
	ic := parseFile(t, "gtas_Test3_02B_large.txt")
	seen := map[string]bool{}
	for _, p := range ic.Travellers() {
		if seen[p.Ref()] {
			t.Fatalf("duplicate ref %s", p.Ref())
		}
		seen[p.Ref()] = true
	}
}
