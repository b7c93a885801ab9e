package paxlst

import (
	"os"
	"strings"
	"testing"

	"concord/internal/importer/edifact/edifacttest"
)

// base is a clean message; its DTM+329 is segment 11 of the interchange
// (UNB = 1) and segment 10 of the message (UNH = 1).
const base = "UNA:+.? 'UNB+UNOA:4+AIR+GOV+210713:0631+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'" +
	"TDT+20+XX1+++XX'LOC+125+VIE'DTM+189:2107131100:201'LOC+87+FRA'DTM+232:2107131200:201'" +
	"NAD+FL+++DOE:JOHN'ATT+2++M'DTM+329:991231'NAT+2+AUT'DOC+P+X1'DTM+36:300101'LOC+91+AUT'" +
	"CNT+42:1'UNT+16+M1'UNZ+1+1'"

func TestBaseIsClean(t *testing.T) {
	ic, err := Options{Strict: true}.ParseBytes([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	p := ic.Messages[0].Travellers[0]
	if p.BirthDate != "1999-12-31" || p.Documents[0].Expiry != "2030-01-01" || p.Ref() != "msg1-pax1" {
		t.Errorf("%+v", p)
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
		{"truncated inside a segment", base[:strings.Index(base, "NAT+2+AU")+8], false, 12, "NAT", 0, "unterminated segment", nil},
		{"truncated inside a tag", base[:strings.Index(base, "NAT+2")+2], false, 12, "NA", 0, "unterminated segment", nil},
		{"truncated after a segment", base[:strings.Index(base, "UNT")], false, 17, "UNT", 16, "no UNT", nil},
		{"bad UNT count, strict", strings.Replace(base, "UNT+16", "UNT+99", 1), true, 17, "UNT", 16, `UNT segment count "99", counted 16`, nil},
		{"bad UNT reference, strict", strings.Replace(base, "UNT+16+M1", "UNT+16+M2", 1), true, 17, "UNT", 16, "reference", nil},
		{"bad CNT, strict", strings.Replace(base, "CNT+42:1", "CNT+42:3", 1), true, 16, "CNT", 15, "CNT+42", nil},
		{"garbage", "hello, world\r\nthis is not a manifest\r\n", false, 0, "", 0, "no UN/EDIFACT interchange", ErrNoInterchange},
		{"empty", "", false, 0, "", 0, "no UN/EDIFACT", ErrNoInterchange},
		{"garbage segment", strings.Replace(base, "NAT+2+AUT'", "N@T+2+AUT'", 1), false, 12, "N@T", 0, "invalid segment tag", nil},
		{"garbage after a segment", strings.Replace(base, "NAT+2+AUT'", "NAT+2+AUT'Email secured by UN Antivirus'", 1), false, 13, "", 0, "invalid segment tag", nil},
		{"invalid birth date", strings.Replace(base, "991231", "991341", 1), false, 11, "DTM", 10, `invalid date "991341"`, nil},
		{"invalid expiry", strings.Replace(base, "300101", "30010", 1), false, 14, "DTM", 13, `invalid date "30010"`, nil},
		{"invalid flight date", strings.Replace(base, "2107131100", "2102301100", 1), false, 6, "DTM", 5, "invalid date", nil},
		{"invalid gender", strings.Replace(base, "ATT+2++M", "ATT+2++Q", 1), false, 10, "ATT", 9, `invalid gender "Q"`, nil},
		{"NAD without a name", strings.Replace(base, "DOE:JOHN", ":", 1), false, 9, "NAD", 8, "without a name", nil},
		{"missing UNT", strings.Replace(base, "UNT+16+M1'", "", 1), false, 17, "UNZ", 16, "missing UNT", nil},
		{"missing UNH", strings.Replace(base, "UNH+M1+PAXLST:D:05B:UN:IATA'", "", 1), false, 2, "BGM", 0, "missing UNH", nil},
		{"UNH inside a message", strings.Replace(base, "CNT+42:1'", "UNH+M2+PAXLST:D:05B:UN:IATA'", 1), false, 16, "UNH", 15, "before the UNT", nil},
		{"not PAXLST", strings.Replace(base, "PAXLST:D:05B", "CUSCAR:D:05B", 1), false, 2, "UNH", 1, "not PAXLST", nil},
		{"bad UNB date", strings.Replace(base, "210713:0631", "211313:0631", 1), false, 1, "UNB", 0, "date of preparation", nil},
		{"no message", "UNB+UNOA:4+AIR+GOV+210713:0631+1'UNZ+0+1'", false, 0, "", 0, "no PAXLST message", ErrNoMessage},
		{"text after an unterminated UNZ", strings.TrimSuffix(base, "'") + "\r\n\r\nModify above message", false, 18, "UNZ", 0, "text after the interchange", nil},
		{"unterminated UNZ, strict", strings.TrimSuffix(base, "'"), true, 18, "UNZ", 0, "UNZ not terminated", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := Options{Strict: tt.strict}.ParseBytes([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error; parsed %+v", ic)
			}
			edifacttest.Broken{Want: tt.want, Is: tt.is, Segment: tt.segment, Tag: tt.tag, MsgSeg: tt.msgSeg}.Check(t, err)
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := Parse(strings.NewReader(strings.Replace(base, "991231", "991341", 1)))
	want := `paxlst: segment 11 (DTM) of the interchange, segment 10 of message 1: invalid date "991341"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestLenientCountsWarn(t *testing.T) {
	ic, err := Parse(strings.NewReader(strings.Replace(base, "UNT+16", "UNT+99", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ic.Warnings) != 1 || !strings.Contains(ic.Warnings[0], "segment 17 (UNT)") {
		t.Errorf("warnings %q", ic.Warnings)
	}
}

func TestTolerated(t *testing.T) {
	msg := strings.TrimPrefix(base, "UNA:+.? '")
	tests := []struct{ name, in string }{
		{"no UNA", msg},
		{"no UNZ", strings.TrimSuffix(base, "UNZ+1+1'") + "\r\n\r\n"},
		{"unterminated UNZ", strings.TrimSuffix(base, "'") + "\r\n"},
		{"CRLF after every segment", strings.ReplaceAll(base, "'", "'\r\n")},
		{"wrapped every 7 bytes", edifacttest.Wrap(base, 7)},
		{"teletype header and footer", "\x01QU HDQRMXH\r\n.HDQRMAA 130631\r\n\x02" + base + "\r\n\x03\r\nEmail secured\r\n"},
		{"spaces before tags", strings.ReplaceAll(base, "'", "' ")},
		{"other separators", strings.NewReplacer(":", "*", "+", "#", "'", "~").Replace(strings.Replace(base, "UNA:+.? '", "UNA:+.? '", 1))},
		{"UNG group", strings.Replace(strings.Replace(base, "UNH+", "UNG+PAXLST+AIR+GOV+210713:0631+7+UN+D:05B'UNH+", 1), "UNZ+1+1'", "UNE+1+7'UNZ+1+1'", 1)},
	}
	want, err := Options{Strict: true}.ParseBytes([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, w := ic.Messages[0].Travellers[0], want.Messages[0].Travellers[0]
			if got.Surname != w.Surname || got.BirthDate != w.BirthDate || got.Documents[0] != w.Documents[0] || ic.Messages[0].Flight != want.Messages[0].Flight {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
		})
	}
}

func TestReleaseAndSeveralMessages(t *testing.T) {
	msg2 := "UNH+M2+PAXLST:D:02B:UN:IATA'BGM+250'TDT+20+XX1'NAD+FM+++O?'BRIEN:ANN?+MARIE:LOU'ATT+2++F'" +
		"NAD+DDU+++ROE:RICHARD'NAD+DDT+++POE:EDGAR'NAD+ZZZ+++NOT:A TRAVELLER'DOC+P+IGNORED'CNT+41:2'UNT+11+M2'"
	in := strings.Replace(base, "UNZ+1+1'", msg2+"UNZ+2+1'", 1)
	ic, err := Options{Strict: true}.ParseBytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ic.Messages) != 2 || ic.Messages[1].Version != "D02B" || !ic.Messages[1].Crew {
		t.Fatalf("messages %+v", ic.Messages)
	}
	ts := ic.Messages[1].Travellers
	if len(ts) != 3 {
		t.Fatalf("%d travellers in message 2, want 3", len(ts))
	}
	if p := ts[0]; p.Surname != "O'BRIEN" || !equal(p.GivenNames, "ANN+MARIE", "LOU") || p.Ref() != "msg2-crew1" {
		t.Errorf("released characters: %+v", p)
	}
	if p := ts[1]; p.Role != Passenger || !p.InTransit || p.Ref() != "msg2-pax2" {
		t.Errorf("DDU: %+v", p)
	}
	if p := ts[2]; p.Role != Crew || !p.InTransit || len(p.Documents) != 0 {
		t.Errorf("DDT followed by another party's DOC: %+v", p)
	}
	if got := len(ic.Travellers()); got != 4 {
		t.Errorf("Travellers() = %d, want 4", got)
	}
}

func equal(a []string, b ...string) bool { return strings.Join(a, "|") == strings.Join(b, "|") }

func TestLatin1(t *testing.T) {
	in := strings.Replace(strings.Replace(base, "UNOA", "UNOC", 1), "DOE:JOHN", "M\xdcLLER:J\xd6RG", 1)
	ic, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if p := ic.Messages[0].Travellers[0]; p.Surname != "MÜLLER" || p.Given != "JÖRG" {
		t.Errorf("%+v", p)
	}
}

func TestDetect(t *testing.T) {
	for _, name := range dataFiles(t) {
		b, _ := os.ReadFile("testdata/" + name)
		if !Detect(b[:min(len(b), 1024)]) {
			t.Errorf("Detect(%s) = false", name)
		}
	}
	for _, s := range []string{"", "name,birthDate\nJohn Doe,1970-01-01\n", `{"schema":"Person"}`,
		"UNA:+.? 'UNB+UNOA:4+A+B+210101:0000+1'UNH+1+INVOIC:D:96A:UN'", "RUNB+PAXLST"} {
		if Detect([]byte(s)) {
			t.Errorf("Detect(%q) = true", s)
		}
	}
}
