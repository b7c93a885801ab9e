package ofaccsv

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"concord"
	"concord/internal/importer"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleFiles() Files {
	return Files{SDN: "testdata/sdn.csv", Alt: "testdata/alt.csv", Add: "testdata/add.csv"}
}

func readAll(t *testing.T, f Files) ([]importer.Record, Meta) {
	t.Helper()
	var recs []importer.Record
	meta, err := Read(f, func(r importer.Record) error { recs = append(recs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return recs, meta
}

func TestGolden(t *testing.T) {
	recs, meta := readAll(t, sampleFiles())
	if meta.Records != 26 || len(recs) != 26 {
		t.Fatalf("records = %d (%d), want 26", meta.Records, len(recs))
	}
	var buf bytes.Buffer
	for _, r := range recs {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	golden := filepath.Join("testdata", "sample.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff", golden)
	}
}

// byID indexes every entity of the records.
func byID(recs []importer.Record) map[string]*concord.Entity {
	m := map[string]*concord.Entity{}
	for _, r := range recs {
		for _, e := range r.Entities {
			m[e.ID] = e
		}
	}
	return m
}

func TestMapping(t *testing.T) {
	recs, _ := readAll(t, sampleFiles())
	ents := byID(recs)
	check := func(id, prop string, want ...string) {
		t.Helper()
		e := ents[id]
		if e == nil {
			t.Errorf("no entity %s", id)
			return
		}
		if got := e.Properties[prop]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s.%s = %q, want %q", id, prop, got, want)
		}
	}
	for _, r := range recs {
		if want := "ofac:" + strings.TrimPrefix(r.Main().ID, "ofac-"); r.Ref != want {
			t.Errorf("ref %s for %s", r.Ref, r.Main().ID)
		}
		for _, e := range r.Entities {
			s := concord.SchemaByName(e.Schema)
			if s == nil {
				t.Fatalf("%s: unknown schema %s", e.ID, e.Schema)
			}
			for p := range e.Properties {
				if !s.HasProp(p) {
					t.Errorf("%s: %s has no property %s", e.ID, e.Schema, p)
				}
			}
		}
	}
	// A person: name as listed, split on the comma, remarks parsed.
	check("ofac-27320", "name", "KARAKI, Ali")
	check("ofac-27320", "lastName", "KARAKI")
	check("ofac-27320", "firstName", "Ali")
	check("ofac-27320", "birthDate", "1967-02-25")
	check("ofac-27320", "birthPlace", "Ein Bousewar, Lebanon")
	check("ofac-27320", "citizenship", "gn")
	check("ofac-27320", "gender", "male")
	check("ofac-27320", "passportNumber", "RL1025526")
	check("ofac-27320", "alias", "KARAKI, Muhammad 'Ali", "KARAKI, Muhammad", "AL-FADL, Abu")
	check("ofac-27320-doc-1", "number", "RL1025526")
	check("ofac-27320-doc-1", "country", "lb")
	check("ofac-27320-doc-1", "startDate", "2007-05-14")
	check("ofac-27320-doc-1", "endDate", "2012-05-13")
	check("ofac-27320-doc-1", "holder", "ofac-27320")
	if ents["ofac-27320-doc-1"].Schema != "Passport" {
		t.Errorf("passport schema %s", ents["ofac-27320-doc-1"].Schema)
	}
	// A DOB range within one month; exact plus year.
	check("ofac-24761", "birthDate", "1964-09-01", "1965-03")
	check("ofac-8175", "birthDate", "1950")
	check("ofac-7929", "birthDate", "1966-07-07")
	// Title → position, not repeated in notes.
	check("ofac-2676", "position", "Operational and Military Leader of JIHAD GROUP")
	check("ofac-2676", "notes")
	check("ofac-2676", "passportNumber", "1084010", "19820215")
	// Programs split.
	check("ofac-8759", "program", "FTO", "SDGT")
	// Links: by exact name, and by the name with the list's final period.
	check("ofac-20243-link-1", "object", "ofac-10725")
	check("ofac-20243-link-2", "object", "ofac-10890")
	check("ofac-20243-link-1", "subject", "ofac-20243")
	check("ofac-30416-link-1", "object", "ofac-30383")
	check("ofac-18652-link-1", "object", "ofac-8759")
	check("ofac-20243-link-3", "summary", "MAYALEH, Adib") // not in the sample
	// Vessel fields and aka/fka from alt.csv and remarks.
	check("ofac-4243", "callSign", "P3QG3")
	check("ofac-4243", "flag", "cy")
	check("ofac-4243", "tonnage", "2595")
	check("ofac-4243", "previousName", "ANA I")
	check("ofac-15062", "imoNumber", "9404546")
	check("ofac-15062-link-1", "object", "ofac-15117")
	// Aircraft.
	check("ofac-24491", "registrationNumber", "EP-MOQ")
	check("ofac-24491", "type", "BAe RJ85")
	// Addresses.
	check("ofac-306", "alias", "NATIONAL BANK OF CUBA", "BNC")
	check("ofac-173-addr-129", "full", "Ibex House, The Minories, London EC3N 1DY, United Kingdom")
	check("ofac-173-addr-129", "country", "gb")
	check("ofac-173", "addressEntity", "ofac-173-addr-129")
	// Crypto wallets; the truncated last clause is kept only as a note.
	w := ents["ofac-28263-wallet-1"]
	if w == nil || w.First("currency") != "XBT" || w.First("publicKey") != "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak" {
		t.Errorf("wallet = %+v", w)
	}
	if slicesContains(ents["ofac-28263"].Properties["alias"], "snowsjo") {
		t.Error("truncated alias imported")
	}
	// Identifiers: national ID, VAT.
	check("ofac-32023", "taxNumber", "BG 175382860")
	check("ofac-11474", "idNumber", "42895110")
	check("ofac-11474-doc-1", "type", "Cedula No.")
	check("ofac-11474-doc-1", "country", "co")
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// writeFiles writes an edition of the list in Latin-1 to a temporary directory.
func writeFiles(t *testing.T, sdn, alt, add string) Files {
	t.Helper()
	dir := t.TempDir()
	var f Files
	for _, x := range []struct {
		dst        *string
		name, body string
	}{{&f.SDN, "sdn.csv", sdn}, {&f.Alt, "alt.csv", alt}, {&f.Add, "add.csv", add}} {
		if x.body == "" {
			continue
		}
		*x.dst = filepath.Join(dir, x.name)
		if err := os.WriteFile(*x.dst, []byte(x.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

const okRow = "1,\"ONE, Person\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960.\"\r\n"

func TestLatin1(t *testing.T) {
	f := writeFiles(t, "7,\"CAF\xc9 NU\xd1EZ\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'Stra\xdfe'.\"\r\n\x1a", "", "")
	recs, _ := readAll(t, f)
	e := recs[0].Main()
	if e.First("name") != "CAFÉ NUÑEZ" || e.First("alias") != "Straße" {
		t.Errorf("got %q %q", e.First("name"), e.First("alias"))
	}
	if e.Schema != "Organization" {
		t.Errorf("schema %s", e.Schema)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name          string
		sdn, alt, add string
		want          string
	}{
		{"short sdn row", okRow + "2,\"TWO\",-0- ,\"SDGT\"\r\n", "", "", "sdn.csv:2: 4 fields, want 12"},
		{"long alt row", okRow, "1,10,\"aka\",\"UNO\",-0- ,extra\r\n", "", "alt.csv:1: 6 fields, want 5"},
		{"short add row", okRow, "", "1,10,\"Street\"\r\n", "add.csv:1: 3 fields, want 6"},
		{"bad quote", okRow + "2,\"TW\"O\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "", "", "sdn.csv:2:"},
		{"ent_num", "x,\"ONE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "", "", "sdn.csv:1: ent_num \"x\""},
		{"duplicate", okRow + okRow, "", "", "sdn.csv:2: duplicate ent_num 1"},
		{"orphan alt", okRow, "1,10,\"aka\",\"UNO\",-0- \r\n2,11,\"aka\",\"DOS\",-0- \r\n", "", "alt.csv:2: ent_num 2 is not in"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := writeFiles(t, c.sdn, c.alt, c.add)
			called := false
			_, err := Read(f, func(importer.Record) error { called = true; return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var ce *concord.Error
			if !errors.As(err, &ce) || ce.Code != concord.EINVALID {
				t.Errorf("err is not an EINVALID concord.Error: %#v", err)
			}
			if called {
				t.Error("records were passed on before the error")
			}
		})
	}
	if _, err := Read(Files{SDN: filepath.Join(t.TempDir(), "missing.csv")}, func(importer.Record) error { return nil }); err == nil {
		t.Error("missing file: no error")
	}
}

func TestCallbackError(t *testing.T) {
	stop := errors.New("stop")
	_, err := Read(sampleFiles(), func(importer.Record) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("err = %v", err)
	}
}

func TestFindFiles(t *testing.T) {
	f, err := FindFiles([]string{"d/ofac_add.csv", "d/ofac_sdn.csv", "d/ofac_alt.csv"})
	if err != nil || f != (Files{SDN: "d/ofac_sdn.csv", Alt: "d/ofac_alt.csv", Add: "d/ofac_add.csv"}) {
		t.Errorf("got %+v, %v", f, err)
	}
	if f, err := FindFiles([]string{"SDN.CSV"}); err != nil || f.SDN != "SDN.CSV" || strings.Join(f.Missing(), ",") != "alt.csv,add.csv" {
		t.Errorf("got %+v, %v, missing %v", f, err, f.Missing())
	}
	if f, _ := FindFiles([]string{"sdn.csv", "add.csv"}); strings.Join(f.Missing(), ",") != "alt.csv" {
		t.Errorf("sdn and add: missing %v", f.Missing())
	}
	for _, bad := range [][]string{{"alt.csv"}, {"sdn.csv", "x/sdn.csv"}, {"sdn.csv", "names.csv"}, nil} {
		if _, err := FindFiles(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseRemarks(t *testing.T) {
	cases := []struct {
		in   string
		want []clause
	}{
		{"DOB 01 Jan 1960; alt. DOB circa 1961.", []clause{
			{Kind: kindBirthDate, Raw: "DOB 01 Jan 1960", Dates: []string{"1960-01-01"}},
			{Kind: kindBirthDate, Raw: "alt. DOB circa 1961", Alt: true, Dates: []string{"1961"}},
		}},
		{"DOB 1960 to 1962; DOB 1979-1982; DOB Mar 1962 to Feb 1963; DOB 01 Jan 1973 to 31 Dec 1973", []clause{
			{Kind: kindBirthDate, Raw: "DOB 1960 to 1962", Dates: []string{"1960", "1961", "1962"}},
			{Kind: kindBirthDate, Raw: "DOB 1979-1982", Dates: []string{"1979", "1980", "1981", "1982"}},
			{Kind: kindBirthDate, Raw: "DOB Mar 1962 to Feb 1963", Dates: []string{"1962", "1963"}},
			{Kind: kindBirthDate, Raw: "DOB 01 Jan 1973 to 31 Dec 1973", Dates: []string{"1973"}},
		}},
		{"DOB 1900 to 1990; DOB tomorrow", []clause{
			{Kind: kindNote, Raw: "DOB 1900 to 1990"},
			{Kind: kindNote, Raw: "DOB tomorrow"},
		}},
		{"POB Baghdad, Iraq; nationality Korea, North; citizen Iraq; Gender Female", []clause{
			{Kind: kindBirthPlace, Raw: "POB Baghdad, Iraq", Value: "Baghdad, Iraq"},
			{Kind: kindNationality, Raw: "nationality Korea, North", Value: "Korea, North"},
			{Kind: kindCitizenship, Raw: "citizen Iraq", Value: "Iraq"},
			{Kind: kindGender, Raw: "Gender Female", Value: "female"},
		}},
		{"Passport A1234567 (Iraq) issued 01 Jan 2000 expires 31 Dec 2009; Passport No.: X1; Passport issued 21 Jun 1992 in Amman, Jordan", []clause{
			{Kind: kindPassport, Raw: "Passport A1234567 (Iraq) issued 01 Jan 2000 expires 31 Dec 2009", Label: "Passport", Prop: "passportNumber", Value: "A1234567", Country: "Iraq", Issued: "2000-01-01", Expires: "2009-12-31"},
			{Kind: kindPassport, Raw: "Passport No.: X1", Label: "Passport No.", Prop: "passportNumber", Value: "X1"},
			{Kind: kindNote, Raw: "Passport issued 21 Jun 1992 in Amman, Jordan"},
		}},
		{"National ID No. D489833(9) (Hong Kong); NIT # 800146749-7 (Colombia); Citizen's Card Number 2112 (China)", []clause{
			{Kind: kindIdentifier, Raw: "National ID No. D489833(9) (Hong Kong)", Label: "National ID No.", Prop: "idNumber", Value: "D489833(9)", Country: "Hong Kong"},
			{Kind: kindIdentifier, Raw: "NIT # 800146749-7 (Colombia)", Label: "NIT #", Prop: "taxNumber", Value: "800146749-7", Country: "Colombia"},
			{Kind: kindIdentifier, Raw: "Citizen's Card Number 2112 (China)", Label: "Citizen's Card Number", Prop: "idNumber", Value: "2112", Country: "China"},
		}},
		{"a.k.a. 'AL-FADL, Abu'; f.k.a. 'ANA I'; a.k.a. 'unterminated", []clause{
			{Kind: kindAlias, Raw: "a.k.a. 'AL-FADL, Abu'", Value: "AL-FADL, Abu"},
			{Kind: kindPreviousName, Raw: "f.k.a. 'ANA I'", Value: "ANA I"},
			{Kind: kindNote, Raw: "a.k.a. 'unterminated"},
		}},
		{"Linked To: BEHRAN OIL CO.; Vessel Registration Identification IMO 9404546; Website www.x.ir; Digital Currency Address - XBT 1abc", []clause{
			{Kind: kindLink, Raw: "Linked To: BEHRAN OIL CO.", Value: "BEHRAN OIL CO."},
			{Kind: kindProp, Raw: "Vessel Registration Identification IMO 9404546", Prop: "imoNumber", Value: "9404546"},
			{Kind: kindProp, Raw: "Website www.x.ir", Prop: "website", Value: "www.x.ir"},
			{Kind: kindCrypto, Raw: "Digital Currency Address - XBT 1abc", Currency: "XBT", Value: "1abc"},
		}},
		{"Nationality of Registration Korea, North; ethnicity Kurdish", []clause{
			{Kind: kindProp, Raw: "Nationality of Registration Korea, North", Prop: "country", Value: "Korea, North"},
			{Kind: kindProp, Raw: "ethnicity Kurdish", Prop: "ethnicity", Value: "Kurdish"},
		}},
		{"(Following data: Alt. DOB: 10 October 1969; nationality: Eritrean); Secondary sanctions risk: x", []clause{
			{Kind: kindNote, Raw: "(Following data: Alt. DOB: 10 October 1969; nationality: Eritrean)"},
			{Kind: kindNote, Raw: "Secondary sanctions risk: x"},
		}},
		{"(unbalanced; DOB 1960", []clause{
			{Kind: kindNote, Raw: "(unbalanced"},
			{Kind: kindBirthDate, Raw: "DOB 1960", Dates: []string{"1960"}},
		}},
		{"", []clause{}},
	}
	for _, c := range cases {
		got := parseRemarks(c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseRemarks(%q)\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
	long := strings.Repeat("a.k.a. 'X'; ", 90) + "a.k.a. 'cut"
	long = long[:1000]
	cl := parseRemarks(long)
	if last := cl[len(cl)-1]; last.Kind != kindNote {
		t.Errorf("truncated last clause parsed as %+v", last)
	}
}

var isoDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func FuzzParseRemarks(f *testing.F) {
	for _, s := range []string{
		"DOB 01 Jan 1960; POB Baghdad, Iraq; nationality Iraq.",
		"DOB circa 1979-1982; alt. DOB Mar 1962 to Feb 1963",
		"Passport A1 (Iraq) issued 2000 expires Jan 2005; National ID No. 1 (X)",
		"a.k.a. 'X'; f.k.a. 'Y'; Linked To: Z.",
		"(a; b; Digital Currency Address - XBT k",
		"alt. alt. DOB 1 January 2000 to 01 Jan 1999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cl := parseRemarks(s)
		for _, c := range cl {
			if c.Raw == "" || !strings.Contains(s, c.Raw) {
				t.Fatalf("raw %q not in input", c.Raw)
			}
			if len(c.Dates) > maxRangeYears+1 {
				t.Fatalf("%d dates", len(c.Dates))
			}
			for _, d := range append(c.Dates, c.Issued, c.Expires) {
				if d != "" && !isoDate.MatchString(d) {
					t.Fatalf("bad date %q from %q", d, c.Raw)
				}
			}
			if c.Kind != kindNote && c.Kind != kindGender && c.Kind != kindBirthDate && c.Kind != kindDateProp && c.Value == "" {
				t.Fatalf("%+v: empty value", c)
			}
			if utf8.ValidString(s) && !utf8.ValidString(c.Value) {
				t.Fatalf("invalid UTF-8 value from valid input")
			}
		}
		if !reflect.DeepEqual(cl, parseRemarks(s)) {
			t.Fatal("not deterministic")
		}
	})
}
