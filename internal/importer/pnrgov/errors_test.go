package pnrgov

import (
	"strings"
	"testing"

	"concord/internal/importer/edifact/edifacttest"
)

// base is a clean push of one PNR with two travellers. Its segments, UNB
// being 1: TIF of Omar 12, his DOCS 17, TKT 18, FOP 22; TVL 26; UNT 35.
const base = "UNA:+.? 'UNB+IATA:1+XX+GOV+260301:1200+REF1'UNH+M1+PNRGOV:13:1:IA+M1'MSG+:22'ORG+XX:LHR'" +
	"TVL+050326:0930:050326:1215+LHR+IST+XX+100'EQN+1'SRC'RCI+XX:ABC123::010326:1030'DAT+700:020326:0800+710:010326:1100'" +
	"ORG+1A:MUC+12345678:LONXX2100+LON++T+GB:GBP+A1B2'ADD++700:1 HIGH STREET:LONDON:::GB:SW1A 1AA:CTCH 442079460000'" +
	"TIF+HASSAN+OMARMR:A:1'FTI+XX:FF12345:::GOLD'IFT+4:28::XX+CTCE OMAR..HASSAN//EXAMPLE.COM'IFT+4:28::XX+CTCM 447700900123'" +
	"REF+:UPI001'SSR+DOCS:HK:1:XX:::::/P/GBR/P1234567/GBR/01JAN80/M/01JAN30/HASSAN/OMAR/ALI'" +
	"TKT+1251234567890:T:1'MON+T:450.00:GBP'PTK+NR++010326:1100+XX+125+LON'DAT+710:010326:1100'" +
	"FOP+CC::450.00:VI:4111 1111 1111 1111:1229'IFT+4:43+OMAR HASSAN+1 HIGH STREET LONDON+447700900123'" +
	"TIF+HASSAN+AISHAMRS:A:2'SSR+DOCS:HK:1:XX:::::/P/GBR/P7654321/GBR/02FEB85/F/02FEB31/HASSAN/AISHA'" +
	"TVL+050326:0930::1215+LHR+IST+XX+100:Y'RPI+2+HK'APD+320'SSR+SEAT:HK:2:XX:::LHR:IST+12A::1+12B::2'DAT+2:050326:0700'" +
	"TRI++1:::1'TIF+HASSAN+OMARMR:A:1'SSD+12A++++Y'TBD++1:20:700+++XX:123456::IST'UNT+34+M1'UNZ+1+REF1'"

func TestBaseIsClean(t *testing.T) {
	s := fixed
	s.Strict = true
	ic, err := s.Parse(strings.NewReader(base))
	if err != nil {
		t.Fatal(err)
	}
	p := pnrs(ic)[0]
	omar := p.Travellers[0]
	if p.Locator != "ABC123" || p.Created != "2026-03-01T10:30" || p.Agency.Key() != "iata:12345678" || len(p.Travellers) != 2 {
		t.Fatalf("PNR %+v", p)
	}
	if omar.Name() != "OMAR ALI HASSAN" || omar.Title != "MR" || omar.BirthDate != "1980-01-01" || omar.Documents[0].Expiry != "2030-01-01" ||
		!hasContact(omar.Contacts, Email, "omar_hassan@example.com") || !hasContact(omar.Contacts, Phone, "447700900123") ||
		omar.Seats[0] != (Seat{Leg: 1, Number: "12A", Cabin: "Y", Departure: "LHR", Arrival: "IST"}) || omar.Bags[0].Tags[0] != "XX123456" {
		t.Errorf("traveller %+v", omar)
	}
	pay := omar.Tickets[0].Payments[0]
	if pay.Last4 != "1111" || pay.Masked || pay.CardHash != CardHash(testKey, "4111111111111111") || len(pay.CardHash) != 32 || pay.Payer.Phone != "447700900123" {
		t.Errorf("payment %+v", pay)
	}
	if p.Ref(1) != "msg1-pnr1-pax2" || !hasContact(p.Contacts, Phone, "442079460000") || p.Addresses[0].Postcode != "SW1A 1AA" {
		t.Errorf("ref %s, contacts %+v, addresses %+v", p.Ref(1), p.Contacts, p.Addresses)
	}
}

func TestBroken(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		strict  bool
		segment int    // 0: not an *Error
		tag     string // expected tag
		msgSeg  int
		want    string // in the error text
		is      error
	}{
		{"truncated inside a segment", base[:strings.Index(base, "TKT+")+6], false, 18, "TKT", 0, "unterminated segment", nil},
		{"truncated after a segment", base[:strings.Index(base, "UNT")], false, 35, "UNT", 34, "no UNT", nil},
		{"garbage", "hello, world\r\nthis is not a PNR\r\n", false, 0, "", 0, "no UN/EDIFACT interchange", ErrNoInterchange},
		{"no message", "UNB+IATA:1+XX+GOV+260301:1200+REF1'UNZ+0+REF1'", false, 0, "", 0, "no PNRGOV message", ErrNoMessage},
		{"garbage segment", strings.Replace(base, "APD+320'", "A@D+320'", 1), false, 28, "A@D", 0, "invalid segment tag", nil},
		{"invalid birth date", strings.Replace(base, "01JAN80", "31FEB80", 1), false, 17, "SSR", 16, `DOCS birth date: invalid date "31FEB80"`, nil},
		{"invalid expiry", strings.Replace(base, "01JAN30", "01XYZ30", 1), false, 17, "SSR", 16, "DOCS expiry", nil},
		{"invalid gender", strings.Replace(base, "/01JAN80/M/", "/01JAN80/Q/", 1), false, 17, "SSR", 16, `DOCS gender "Q"`, nil},
		{"TIF without a name", strings.Replace(base, "TIF+HASSAN+AISHAMRS:A:2'", "TIF+:A:2'", 1), false, 24, "TIF", 23, "TIF without a name", nil},
		{"TIF with a title only", strings.Replace(base, "TIF+HASSAN+AISHAMRS:A:2'", "TIF++MS:A:2'", 1), false, 24, "TIF", 23, "TIF without a name", nil},
		{"flight without a date", strings.Replace(base, "TVL+050326:0930:050326:1215+", "TVL+991326:0930:050326:1215+", 1), false, 5, "TVL", 4, "invalid date", nil},
		{"contact cut by a separator", strings.Replace(base, "CTCM 447700900123'", "CTCM 4477+00900123'", 1), false, 15, "IFT", 14, "is not released", nil},
		{"text after an unterminated UNZ", strings.TrimSuffix(base, "'") + "\r\n\r\nplease see above", false, 36, "UNZ", 0, "text after the interchange", nil},
		{"not PNRGOV", strings.Replace(base, "PNRGOV:13", "PAXLST:13", 1), false, 2, "UNH", 1, "not PNRGOV", nil},
		{"missing UNH", strings.Replace(base, "UNH+M1+PNRGOV:13:1:IA+M1'", "", 1), false, 2, "MSG", 0, "missing UNH", nil},
		{"bad UNB date", strings.Replace(base, "260301:1200", "261301:1200", 1), false, 1, "UNB", 0, "date of preparation", nil},
		{"segment too long", strings.Replace(base, "OMAR HASSAN+", strings.Repeat("X", MaxSegment+1)+"+", 1), false, 23, "IFT", 0, "longer than", nil},
		// Strict mode: what is tolerated becomes an error.
		{"bad UNT count, strict", strings.Replace(base, "UNT+34", "UNT+99", 1), true, 35, "UNT", 34, `UNT segment count "99", counted 34`, nil},
		{"bad EQN, strict", strings.Replace(base, "EQN+1", "EQN+3", 1), true, 35, "UNT", 34, "EQN announced 3 PNRs", nil},
		{"unterminated UNZ, strict", strings.TrimSuffix(base, "'"), true, 36, "UNZ", 0, "UNZ not terminated", nil},
		{"bad arrival time, strict", strings.Replace(base, "::1215+LHR", "::4321+LHR", 1), true, 26, "TVL", 25, `arrival time "4321"`, nil},
		{"unknown version, strict", strings.Replace(base, "PNRGOV:13:1", "PNRGOV:09:1", 1), true, 2, "UNH", 1, "versions 10.1 to 17.1", nil},
		{"typographic apostrophe, strict", strings.Replace(base, "APD+320'", "APD+320\u2019\r\n", 1), true, 28, "APD", 27, "typographic", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := fixed
			o.Strict = tt.strict
			ic, err := o.Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error; parsed %+v", ic)
			}
			edifacttest.Broken{Want: tt.want, Is: tt.is, Segment: tt.segment, Tag: tt.tag, MsgSeg: tt.msgSeg}.Check(t, err)
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := fixed.Parse(strings.NewReader(strings.Replace(base, "01JAN80", "31FEB80", 1)))
	want := `pnrgov: segment 17 (SSR) of the interchange, segment 16 of message 1 (PNR 1): DOCS birth date: invalid date "31FEB80" (want DDMMMYY)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// What the tolerant reader accepts reads as the clean message does.
func TestTolerated(t *testing.T) {
	want, err := fixed.Parse(strings.NewReader(base))
	if err != nil {
		t.Fatal(err)
	}
	noUNA := strings.TrimPrefix(base, "UNA:+.? '")
	tests := []struct{ name, in string }{
		{"no UNA", noUNA},
		{"no UNZ", strings.TrimSuffix(base, "UNZ+1+REF1'") + "\r\n"},
		{"unterminated UNZ", strings.TrimSuffix(base, "'")},
		{"CRLF after every segment", strings.ReplaceAll(base, "'", "'\r\n")},
		{"wrapped every 7 bytes", base[:9] + edifacttest.Wrap(base[9:], 7)},
		{"teletype header and footer", "\x01QU HDQRMXH\r\n.HDQRMAA 130631\r\n\x02" + base + "\r\n\x03\r\nEmail secured\r\n"},
		{"spaces before tags", strings.ReplaceAll(base, "'", "' ")},
		{"typographic apostrophes at line ends", strings.ReplaceAll(base, "'", "\u2019\r\n")},
		{"other separators", "UNA*#,! ~" + strings.NewReplacer(":", "*", "+", "#", "'", "~", "?", "!").Replace(strings.ReplaceAll(noUNA, "450.00", "450,00"))},
		{"UNG group", strings.Replace(strings.Replace(base, "UNH+", "UNG+PNRGOV+XX+GOV+260301:1200+G1+IA+13:1'UNH+", 1), "UNZ+1+REF1'", "UNE+1+G1'UNZ+1+REF1'", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fixed.Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			g, w := pnrs(got)[0], pnrs(want)[0]
			g.Segment, w.Segment = 0, 0
			for i := range g.Travellers {
				g.Travellers[i].Segment, w.Travellers[i].Segment = 0, 0
			}
			if tt.name == "other separators" {
				g.Travellers[0].Tickets[0].Amount = "450.00" // the decimal mark is data
				g.Travellers[0].Tickets[0].Payments[0].Amount = "450.00"
			}
			if gj, wj := mustJSON(g), mustJSON(w); gj != wj {
				t.Errorf("got  %s\nwant %s", gj, wj)
			}
		})
	}
}

func TestSeveralMessagesAndInfant(t *testing.T) {
	msg2 := "UNH+M2+PNRGOV:17:1:IA+M2'MSG+:22'TVL+060326:1000+IST+LHR+XX+101'EQN+1'SRC'RCI+XX:DEF456'" +
		"TIF+O?'NEIL+MARY ANNE MRS:A:1'SSR+DOCS:HK:1:XX:::::/P/IRL/PA1111111/IRL/03MAR90/F/03MAR30/O?'NEIL/MARY/ANNE'" +
		"SSR+DOCS:HK:1:XX:::::/P/IRL/PA2222222/IRL/04APR25/FI/04APR30/O?'NEIL/SEAN'SSR+WCHR:HK:1:XX'SSR+UMNR:HK:1:XX'UNT+12+M2'"
	in := strings.Replace(base, "UNZ+1+REF1'", msg2+"UNZ+2+REF1'", 1)
	s := fixed
	s.Strict = true
	ic, err := s.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ic.Messages) != 2 || ic.Messages[1].Version != "17.1" || ic.Messages[1].Flight.Departure != "IST" {
		t.Fatalf("messages %+v", ic.Messages)
	}
	ts := ic.Messages[1].PNRs[0].Travellers
	if len(ts) != 2 || ts[0].Name() != "MARY ANNE O'NEIL" || ts[0].Title != "MRS" || ts[0].Infant {
		t.Fatalf("travellers %+v", ts)
	}
	if in := ts[1]; !in.Infant || in.Source != "SSR DOCS" || in.Name() != "SEAN O'NEIL" || in.Gender != "F" || in.BirthDate != "2025-04-04" || in.Documents[0].Number != "PA2222222" {
		t.Errorf("infant %+v", in)
	}
	if ts[0].Services[0] != "UMNR" || len(ts[0].Services) != 1 || ic.Dropped != 1 {
		t.Errorf("services %v, dropped %d", ts[0].Services, ic.Dropped)
	}
}

func TestCardKey(t *testing.T) {
	ic, err := Options{Now: fixed.Now}.Parse(strings.NewReader(base))
	if err != nil {
		t.Fatal(err)
	}
	if p := pnrs(ic)[0].Travellers[0].Tickets[0].Payments[0]; p.CardHash != "" || p.Last4 != "1111" {
		t.Errorf("without a key: %+v", p)
	}
	other, _ := Options{Now: fixed.Now, CardKey: []byte("another node")}.Parse(strings.NewReader(base))
	mine, _ := fixed.Parse(strings.NewReader(base))
	a, b := pnrs(other)[0].Travellers[0].Tickets[0].Payments[0], pnrs(mine)[0].Travellers[0].Tickets[0].Payments[0]
	if a.CardHash == "" || a.CardHash == b.CardHash {
		t.Errorf("hashes under two keys: %q %q", a.CardHash, b.CardHash)
	}
	if j := mustJSON(mine); strings.Contains(j, "4111") && strings.Contains(j, "41111111") {
		t.Errorf("the card number reached the output: %s", j)
	}
}
