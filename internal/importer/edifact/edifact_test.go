package edifact_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"concord/internal/importer/edifact"
	"concord/internal/importer/edifact/edifacttest"
)

func scanAll(t testing.TB, in string, opt edifact.Options) ([]*edifact.Segment, *edifact.Scanner, error) {
	t.Helper()
	sc := edifact.NewScanner(strings.NewReader(in), opt)
	var segs []*edifact.Segment
	for {
		s, err := sc.Next()
		if err == io.EOF {
			return segs, sc, nil
		}
		if err != nil {
			return segs, sc, err
		}
		segs = append(segs, clone(s))
	}
}

// clone copies a segment, which the scanner reuses.
func clone(s *edifact.Segment) *edifact.Segment {
	c := *s
	c.Elems = nil
	for _, e := range s.Elems {
		c.Elems = append(c.Elems, append([]string(nil), e...))
	}
	return &c
}

func tags(segs []*edifact.Segment) string {
	var b []string
	for _, s := range segs {
		b = append(b, s.Tag)
	}
	return strings.Join(b, " ")
}

const small = "UNA:+.? 'UNB+UNOA:4+A+B+210713:0631+1'UNH+1+PNRGOV:13:1:IA'TIF+O?'BRIEN+ANN?+MARIE:A:1'UNT+3+1'UNZ+1+1'"

func TestScanner(t *testing.T) {
	tests := []struct {
		name, in string
		opt      edifact.Options
		want     string // tags
		check    func(t *testing.T, segs []*edifact.Segment, sc *edifact.Scanner)
	}{
		{"plain", small, edifact.Options{}, "UNB UNH TIF UNT UNZ", func(t *testing.T, segs []*edifact.Segment, _ *edifact.Scanner) {
			if tif := segs[2]; tif.Elem(0, 0) != "O'BRIEN" || tif.Elem(1, 0) != "ANN+MARIE" || tif.Elem(1, 2) != "1" || tif.N != 3 {
				t.Errorf("TIF %+v", tif)
			}
		}},
		{"teletype header, wrapped, footer", "QU HDQRMXH\r\n.HDQRMAA 130631\r\n" + small[:9] + edifacttest.Wrap(small[9:], 5) + "\r\nEmail secured\r\n", edifact.Options{}, "UNB UNH TIF UNT UNZ", nil},
		{"no UNA", strings.TrimPrefix(small, "UNA:+.? '"), edifact.Options{}, "UNB UNH TIF UNT UNZ", nil},
		{"other separators", "UNA*#.! ~UNB#IATA*1#A##210713*0631#1~UNH#1#PNRGOV*13*1*IA~TIF#A!~B#C~", edifact.Options{}, "UNB UNH TIF", func(t *testing.T, segs []*edifact.Segment, sc *edifact.Scanner) {
			if sc.Delims().Terminator != '~' || segs[2].Elem(0, 0) != "A~B" || segs[1].Elem(1, 1) != "13" {
				t.Errorf("segments %+v", segs)
			}
		}},
		{"unterminated UNZ", strings.TrimSuffix(small, "'"), edifact.Options{}, "UNB UNH TIF UNT UNZ", func(t *testing.T, segs []*edifact.Segment, _ *edifact.Scanner) {
			if z := segs[4]; !z.Unterminated || z.Elem(1, 0) != "1" {
				t.Errorf("UNZ %+v", z)
			}
		}},
		{"typographic quote at line ends", strings.ReplaceAll(small, "'", "\u2019\r\n"), edifact.Options{TypographicQuote: true}, "UNB UNH TIF UNT UNZ", func(t *testing.T, segs []*edifact.Segment, sc *edifact.Scanner) {
			if got := sc.Typographic(); len(got) != 5 || got[0] != 1 {
				t.Errorf("typographic %v", got)
			}
		}},
		{"typographic quote inside text is text", strings.Replace(small, "O?'BRIEN", "O\u2019BRIEN", 1), edifact.Options{TypographicQuote: true}, "UNB UNH TIF UNT UNZ", func(t *testing.T, segs []*edifact.Segment, sc *edifact.Scanner) {
			if segs[2].Elem(0, 0) != "O\u2019BRIEN" || len(sc.Typographic()) != 0 {
				t.Errorf("TIF %+v", segs[2])
			}
		}},
		{"stops after UNZ", small + "UNH+2+X'", edifact.Options{}, "UNB UNH TIF UNT UNZ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, sc, err := scanAll(t, tt.in, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := tags(segs); got != tt.want {
				t.Fatalf("tags %q, want %q", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, segs, sc)
			}
		})
	}
}

func TestScannerErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      edifact.Options
		segment  int
		tag, msg string
	}{
		{"truncated", small[:strings.Index(small, "UNT")+4], edifact.Options{}, 4, "UNT", "unterminated"},
		{"bad tag", strings.Replace(small, "TIF+", "T@F+", 1), edifact.Options{}, 3, "T@F", "invalid segment tag"},
		{"long", strings.Replace(small, "ANN", strings.Repeat("A", 300), 1), edifact.Options{MaxSegment: 100}, 3, "TIF", "longer than 100"},
		{"typographic quote not read without the option", strings.ReplaceAll(small, "'", "\u2019\n"), edifact.Options{}, 1, "UNB", "unterminated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := scanAll(t, tt.in, tt.opt)
			var se *edifact.SyntaxError
			if !errors.As(err, &se) || se.Segment != tt.segment || se.Tag != tt.tag || !strings.Contains(se.Error(), tt.msg) {
				t.Errorf("error %v (%+v), want segment %d %s %q", err, se, tt.segment, tt.tag, tt.msg)
			}
		})
	}
	for _, in := range []string{"", "hello", "RUNB+IATA"} {
		if _, _, err := scanAll(t, in, edifact.Options{}); !errors.Is(err, edifact.ErrNoInterchange) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// The scanner reads no more than it needs: a reader that delivers one byte
// at a time gives the same segments.
func TestScannerOneByteReader(t *testing.T) {
	sc := edifact.NewScanner(iotest.OneByteReader(strings.NewReader("junk\r\n"+small)), edifact.Options{})
	var segs []*edifact.Segment
	for {
		s, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		segs = append(segs, clone(s))
	}
	if tags(segs) != "UNB UNH TIF UNT UNZ" {
		t.Errorf("tags %s", tags(segs))
	}
}

func TestMessageType(t *testing.T) {
	for in, want := range map[string]string{
		small: "PNRGOV",
		"UNB+IATA:1+A+B+210713:0631+1'UNH+1+PAXLST:D:05B'": "PAXLST",
		"UNB+IATA:1+A+B+210713:0631+1'UNH+1+PAX":           "",
		"name,id\n":                                        "",
	} {
		if got := edifact.MessageType([]byte(in)); got != want {
			t.Errorf("edifact.MessageType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecoder(t *testing.T) {
	s := &edifact.Segment{Tag: "TIF", Elems: [][]string{{"M\xdcLLER"}, {"ok", "\xff"}}}
	if edifact.NewDecoder("UNOC").Decode(s) || s.Elems[0][0] != "MÜLLER" {
		t.Errorf("latin-1: %q", s.Elems)
	}
	s = &edifact.Segment{Tag: "TIF", Elems: [][]string{{"M\xdcLLER"}, {"Müller"}}}
	if !edifact.NewDecoder("UNOA").Decode(s) || s.Elems[0][0] != "M\uFFFDLLER" || s.Elems[1][0] != "Müller" {
		t.Errorf("utf-8: %q", s.Elems)
	}
}

func TestDates(t *testing.T) {
	ref := time.Date(2021, 7, 13, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		c    edifact.Century
		want string
	}{
		{"930408", edifact.PastCentury, "1993-04-08"},
		{"210713", edifact.PastCentury, "2021-07-13"},
		{"210714", edifact.PastCentury, "1921-07-14"},
		{"000229", edifact.PastCentury, "2000-02-29"},
		{"19930408", edifact.PastCentury, "1993-04-08"},
		{"710101", edifact.NearestCentury, "2071-01-01"},
		{"720101", edifact.NearestCentury, "1972-01-01"},
		{"2107131100", edifact.NearestCentury, "2021-07-13T11:00"},
		{"202107131100", edifact.NearestCentury, "2021-07-13T11:00"},
	}
	for _, tt := range tests {
		d, hasTime, err := edifact.Date(tt.v, tt.c, ref)
		if got := edifact.FormatDateTime(d, hasTime); err != nil || got != tt.want {
			t.Errorf("edifact.Date(%s) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
	for _, v := range []string{"", "9913", "991341", "990230", "010229", "21071324", "2107132460", "AB0101", "-10101"} {
		if _, _, err := edifact.Date(v, edifact.PastCentury, ref); err == nil {
			t.Errorf("edifact.Date(%q) accepted", v)
		}
	}
}

// FuzzScanner checks that the scanner never panics, numbers segments from 1
// without gaps, returns only valid tags and stops for good after an error.
func FuzzScanner(f *testing.F) {
	f.Add([]byte(small), false)
	f.Add([]byte(strings.ReplaceAll(small, "'", "\u2019\n")), true)
	f.Add([]byte(edifacttest.Wrap(small, 3)), false)
	f.Fuzz(func(t *testing.T, b []byte, typo bool) {
		sc := edifact.NewScanner(bytes.NewReader(b), edifact.Options{TypographicQuote: typo, MaxSegment: 1 << 12})
		for n := 1; ; n++ {
			s, err := sc.Next()
			if err != nil {
				if _, err2 := sc.Next(); err2 != err {
					t.Fatalf("error %v then %v", err, err2)
				}
				return
			}
			if s.N != n || !edifact.ValidTag(s.Tag) || s.Unterminated && s.Tag != "UNZ" {
				t.Fatalf("segment %d: %+v", n, s)
			}
		}
	})
}
