package exchange

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"concord"
)

const pdqHex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"

func TestReadTECSV(t *testing.T) {
	f, err := os.Open("testdata/descriptors.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := Read(f, "", "descriptors.csv")
	if err != nil {
		t.Fatal(err)
	}
	if l.Format != FormatTECSV || len(l.Records) != 2 || l.Skipped["URI"] != 1 {
		t.Fatalf("list %+v", l)
	}
	want := Record{ID: "2964083130339380", Type: TypePDQ, Value: pdqHex, Quality: -1,
		Labels: []string{"outlet:amaq", "campaign:2019-spring"}, Description: "Amaq poster: drone strike claim",
		Owner: "Example Platform", TLP: concord.TLPAmber, Status: "MALICIOUS",
		FirstSeen: time.Date(2019, 4, 2, 10, 11, 12, 0, time.UTC)}
	if !reflect.DeepEqual(l.Records[0], want) {
		t.Errorf("record\n%+v\nwant\n%+v", l.Records[0], want)
	}
	if r := l.Records[1]; r.Type != TypeMD5 || r.TLP != concord.TLPGreen || r.Value != "e8b19da37825a3056e84c522f05eb000" {
		t.Errorf("md5 record %+v", r)
	}
	if h, ok := l.Records[0].PDQ(); !ok || h.String() != pdqHex {
		t.Errorf("PDQ() = %v %v", h, ok)
	}
	if _, ok := l.Records[1].PDQ(); ok {
		t.Error("an MD5 is not a PDQ hash")
	}
}

func TestReadTEJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     Record
	}{
		{"te-tag-query line", `{"id":"123","td_raw_indicator":"` + pdqHex + `","td_indicator_type":"HASH_PDQ","added_on":"2020-01-02T03:04:05+0000","td_share_level":"WHITE","td_subjective_tags":"a,b","td_description":"d","td_status":"MALICIOUS","td_owner_name":"o","pdq_quality":93}`,
			Record{ID: "123", Type: TypePDQ, Value: pdqHex, Quality: 93, Labels: []string{"a", "b"}, Description: "d", Status: "MALICIOUS", Owner: "o", TLP: concord.TLPClear, FirstSeen: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{"graph api page", `{"data":[{"id":456,"raw_indicator":"` + strings.ToUpper(pdqHex) + `","type":"HASH_PDQ","share_level":"RED","tags":{"data":[{"text":"outlet:amaq"}]},"owner":{"name":"Meta"},"last_updated":"2021-05-06"}],"paging":{}}`,
			Record{ID: "456", Type: TypePDQ, Value: pdqHex, Quality: -1, Labels: []string{"outlet:amaq"}, Owner: "Meta", TLP: concord.TLPRed, LastSeen: time.Date(2021, 5, 6, 0, 0, 0, 0, time.UTC)}},
		{"array with indicator object", `[{"indicator":{"indicator":"` + pdqHex + `","type":"HASH_PDQ"},"tags":["x"]}]`,
			Record{Type: TypePDQ, Value: pdqHex, Quality: -1, Labels: []string{"x"}}},
		{"amber+strict kept by its tag", `{"td_raw_indicator":"` + pdqHex + `","td_indicator_type":"HASH_PDQ","td_share_level":"AMBER","td_subjective_tags":"tlp:amber+strict,c"}`,
			Record{Type: TypePDQ, Value: pdqHex, Quality: -1, Labels: []string{"c"}, TLP: concord.TLPAmberStrict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Read(strings.NewReader(tt.in), "", "x.json")
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != FormatTEJSON || len(l.Records) != 1 || !reflect.DeepEqual(l.Records[0], tt.want) {
				t.Fatalf("got %+v\nwant %+v", l.Records, tt.want)
			}
		})
	}
}

func TestReadSignals(t *testing.T) {
	in := "# from HMA\npdq " + pdqHex + "\nvideo_md5 E8B19DA37825A3056E84C522F05EB000\n\n" + pdqHex + "\n"
	l, err := Read(strings.NewReader(in), "", "signals.txt")
	if err != nil {
		t.Fatal(err)
	}
	if l.Format != FormatSignals || len(l.Records) != 3 || l.Records[1].Type != TypeMD5 || l.Records[2].Value != pdqHex {
		t.Fatalf("%+v", l)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, format, in, want string
	}{
		{"csv without columns", "", "td_raw_indicator,foo\nx,y\n", "in.txt:1: a ThreatExchange CSV needs the columns td_raw_indicator and td_indicator_type"},
		{"csv short hash", "", "td_raw_indicator,td_indicator_type\nabc,HASH_PDQ\n", "in.txt:2: td_raw_indicator: pdq value \"abc\": want 64 hex digits"},
		{"csv bad share level", "", "td_raw_indicator,td_indicator_type,td_share_level\n" + pdqHex + ",HASH_PDQ,PURPLE\n", "in.txt:2: td_share_level: unknown TLP label"},
		{"csv bad date", "", "td_raw_indicator,td_indicator_type,added_on\n" + pdqHex + ",HASH_PDQ,yesterday\n", "in.txt:2: td_first_active: date \"yesterday\""},
		{"csv bad quote", "", "td_raw_indicator,td_indicator_type\n\"" + pdqHex + ",HASH_PDQ\n", "in.txt:2:"},
		{"csv empty type", "", "td_raw_indicator,td_indicator_type\n" + pdqHex + ",\n", "in.txt:2: td_indicator_type: empty indicator type"},
		{"json bad hash", "", `{"td_raw_indicator":"zz","td_indicator_type":"HASH_PDQ"}`, "in.txt: record 1: td_raw_indicator: pdq value \"zz\""},
		{"json second record", "", `{"td_raw_indicator":"` + pdqHex + `","td_indicator_type":"HASH_PDQ"}` + "\n" + `{"td_indicator_type":"HASH_PDQ"}`, "in.txt: record 2: td_raw_indicator"},
		{"json truncated", "", `{"td_raw_indicator":"` + pdqHex, "in.txt: after 0 records"},
		{"json not an object", "", `{"td_raw_indicator":"` + pdqHex + `","td_indicator_type":"HASH_PDQ"} 42`, "in.txt: record 2: want a JSON object"},
		{"json no type", "", `{"td_raw_indicator":"` + pdqHex + `"}`, "in.txt: record 1: td_indicator_type: missing"},
		{"signals unknown type", "", "tmk " + pdqHex, "in.txt:1: signal type \"tmk\" is not a picture or file hash"},
		{"signals bad value", "", "pdq " + pdqHex + "\nmd5 123\n", "in.txt:2: md5 value \"123\": want 32 hex digits"},
		{"unknown format", "xml", "", "unknown hash-list format \"xml\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Read(strings.NewReader(tt.in), tt.format, "in.txt")
			if err == nil || !strings.Contains(err.Error(), tt.want) || l != nil || concord.ErrorCode(err) != concord.EINVALID {
				t.Fatalf("got %v, %v; want %q", l, err, tt.want)
			}
		})
	}
}

// TestRoundTrip: every format writes what it reads back, AMBER+STRICT and
// the quality included where the format has room for them.
func TestRoundTrip(t *testing.T) {
	recs := []Record{
		{ID: "c-1", Type: TypePDQ, Value: pdqHex, Quality: 88, Labels: []string{"outlet:amaq", "campaign:x"}, Description: "poster, \"quoted\"\nsecond line",
			Owner: "uz", TLP: concord.TLPAmberStrict, Status: "MALICIOUS", FirstSeen: time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC), LastSeen: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)},
		{Type: TypeSHA256, Value: strings.Repeat("ab", 32), Quality: -1, TLP: concord.TLPClear},
		{Type: TypeMD5, Value: strings.Repeat("0f", 16), Quality: -1},
	}
	for _, format := range []string{FormatTECSV, FormatTEJSON} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, format, recs); err != nil {
				t.Fatal(err)
			}
			l, err := Read(&b, "", "out")
			if err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if l.Format != format || !reflect.DeepEqual(l.Records, recs) {
				t.Fatalf("read back\n%+v\nwant\n%+v", l.Records, recs)
			}
		})
	}
	var b bytes.Buffer
	if err := Write(&b, FormatSignals, recs); err != nil {
		t.Fatal(err)
	}
	if b.String() != "pdq "+pdqHex+"\nsha256 "+strings.Repeat("ab", 32)+"\nmd5 "+strings.Repeat("0f", 16)+"\n" {
		t.Errorf("signals:\n%s", b.String())
	}
	l, err := Read(&b, FormatSignals, "s")
	if err != nil || len(l.Records) != 3 {
		t.Fatal(err)
	}
	if err := Write(&b, "xml", recs); err == nil {
		t.Error("unknown format written")
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]string{
		"\ufeff td_description,td_raw_indicator\n": FormatTECSV, "id,raw_indicator,type": FormatTECSV,
		"  {\"data\":[]}": FormatTEJSON, "[]": FormatTEJSON, "pdq " + pdqHex: FormatSignals, "": FormatSignals,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %s, want %s", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	csvData, _ := os.ReadFile("testdata/descriptors.csv")
	f.Add(string(csvData))
	f.Add(`{"data":[{"id":1,"raw_indicator":"` + pdqHex + `","type":"HASH_PDQ","tags":["a"]}]}`)
	f.Add("pdq " + pdqHex + "\nmd5 e8b19da37825a3056e84c522f05eb000\n")
	f.Add(`[{"indicator":{"indicator":"x","type":"URI"}}]`)
	f.Fuzz(func(t *testing.T, in string) {
		l, err := Read(strings.NewReader(in), "", "f")
		if err != nil {
			if l != nil || concord.ErrorCode(err) != concord.EINVALID {
				t.Fatalf("%v with %v", err, l)
			}
			return
		}
		for _, r := range l.Records {
			if _, _, err := normalize(r.Type, r.Value); err != nil {
				t.Fatalf("record %+v: %v", r, err)
			}
		}
		// What was read writes and reads back the same.
		var b bytes.Buffer
		if err := Write(&b, FormatTEJSON, l.Records); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&b, FormatTEJSON, "back")
		if err != nil || len(back.Records) != len(l.Records) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
