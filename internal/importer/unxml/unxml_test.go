package unxml

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/importer"
)

var update = flag.Bool("update", false, "rewrite golden files")

const listFile = "../../seed/un_consolidated.xml" // the bundled copy, shared with the seed package

func readAll(t testing.TB, path string) ([]importer.Record, Meta) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []importer.Record
	meta, err := Read(f, path, func(r importer.Record) error { recs = append(recs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return recs, meta
}

func TestReadCounts(t *testing.T) {
	recs, meta := readAll(t, listFile)
	count := map[string]int{}
	ids := map[string]bool{}
	for _, r := range recs {
		count[r.Main().Schema]++
		for _, e := range r.Entities {
			if ids[e.ID] {
				t.Errorf("duplicate entity id %s", e.ID)
			}
			ids[e.ID] = true
			s := concord.SchemaByName(e.Schema)
			if s == nil {
				t.Fatalf("%s: unknown schema %s", e.ID, e.Schema)
			}
			for p, vs := range e.Properties {
				if !s.HasProp(p) {
					t.Errorf("%s: schema %s has no property %q", e.ID, e.Schema, p)
				}
				for _, v := range vs {
					if err := concord.CheckValue(s, p, v); err != nil {
						t.Errorf("%s: %s: %v", e.ID, p, err)
					}
				}
			}
		}
		if want := "un:" + strings.TrimPrefix(r.Main().ID, "un-"); r.Ref != want {
			t.Errorf("ref %q, want %q", r.Ref, want)
		}
	}
	if count["Person"] != 730 || count["Organization"] != 273 || len(recs) != 1003 {
		t.Errorf("got %v in %d records, want 730 Person and 273 Organization", count, len(recs))
	}
	if meta.Individuals != 730 || meta.Entities != 273 || meta.Generated != "2026-02-27T00:00:09.554Z" {
		t.Errorf("meta = %+v", meta)
	}
}

// sourceNames extracts every ALIAS_NAME and NAME_ORIGINAL_SCRIPT with a
// regular expression, independently of the reader.
func sourceNames(t *testing.T) map[string][]string {
	data, err := os.ReadFile(listFile)
	if err != nil {
		t.Fatal(err)
	}
	rec := regexp.MustCompile(`(?s)<(?:INDIVIDUAL|ENTITY)>.*?</(?:INDIVIDUAL|ENTITY)>`)
	ref := regexp.MustCompile(`<REFERENCE_NUMBER>\s*([^<]*?)\s*</REFERENCE_NUMBER>`)
	name := regexp.MustCompile(`(?s)<(?:ALIAS_NAME|NAME_ORIGINAL_SCRIPT)>([^<]*)</`)
	out := map[string][]string{}
	for _, r := range rec.FindAllString(string(data), -1) {
		id := "un-" + ref.FindStringSubmatch(r)[1]
		for _, m := range name.FindAllStringSubmatch(r, -1) {
			v := strings.Join(strings.Fields(unescape(m[1])), " ")
			if v != "" {
				out[id] = append(out[id], v)
			}
		}
	}
	return out
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(s)
}

func TestEveryNameKept(t *testing.T) {
	recs, _ := readAll(t, listFile)
	byID := map[string]*concord.Entity{}
	for _, r := range recs {
		byID[r.Main().ID] = r.Main()
	}
	n := 0
	for id, names := range sourceNames(t) {
		e := byID[id]
		if e == nil {
			t.Errorf("no entity %s", id)
			continue
		}
		var all []string
		for _, p := range []string{"name", "alias", "weakAlias", "previousName"} {
			all = append(all, e.Properties[p]...)
		}
		for _, v := range names {
			n++
			if !slices.Contains(all, v) {
				t.Errorf("%s: name %q lost", id, v)
			}
		}
	}
	if n < 2139+613+378 {
		t.Errorf("checked only %d names", n)
	}
}

// goldenRefs are records chosen for their variety: QDi.001 (four name parts,
// documents), BETWEEN dates, original script, several documents, aliases with
// their own birth data, lists of names in one alias, birth-date notes, DPRK
// name order, entities with f.k.a. names and addresses.
var goldenRefs = []string{"QDi.001", "CDi.001", "TAi.002", "QDi.380", "QDi.068", "QDi.363", "QDi.306", "QDi.291", "KPi.001", "QDe.129", "KPe.001"}

func TestGolden(t *testing.T) {
	recs, _ := readAll(t, listFile)
	var buf bytes.Buffer
	for _, ref := range goldenRefs {
		i := slices.IndexFunc(recs, func(r importer.Record) bool { return r.Ref == "un:"+ref })
		if i < 0 {
			t.Errorf("no record %s", ref)
			continue
		}
		for _, e := range recs[i].Entities {
			b, err := json.Marshal(struct {
				ID         string              `json:"id"`
				Schema     string              `json:"schema"`
				Properties map[string][]string `json:"properties"`
			}{e.ID, e.Schema, e.Properties})
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
	}
	golden := "testdata/un_sample.golden.jsonl"
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
		gs, ws := bufio.NewScanner(&buf), bufio.NewScanner(bytes.NewReader(want))
		for line := 1; ; line++ {
			g, w := gs.Scan(), ws.Scan()
			if !g && !w {
				break
			}
			if gs.Text() != ws.Text() {
				t.Errorf("golden line %d:\n got %s\nwant %s", line, gs.Text(), ws.Text())
				break
			}
		}
		t.Error("output differs from golden file; run go test -update after checking")
	}
}

func lineOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var ce *concord.Error
	if !errors.As(err, &ce) || ce.Code != concord.EINVALID {
		t.Errorf("error %v is not an EINVALID concord.Error", err)
	}
	return err.Error()
}

func TestTruncated(t *testing.T) {
	data, err := os.ReadFile(listFile)
	if err != nil {
		t.Fatal(err)
	}
	// Cut in the middle of the record that holds QDi.001.
	cut := bytes.Index(data, []byte("QDi.001")) + 3
	path := filepath.Join(t.TempDir(), "un_truncated.xml")
	if err := os.WriteFile(path, data[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	wantLine := bytes.Count(data[:cut], []byte("\n")) + 1
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	_, err = Read(f, path, func(importer.Record) error { n++; return nil })
	msg := lineOf(t, err)
	if want := path + ":" + strconv.Itoa(wantLine) + ":"; !strings.Contains(msg, want) {
		t.Errorf("error %q does not name %s", msg, want)
	}
	if n == 0 || n >= 1003 {
		t.Errorf("%d records before the cut", n)
	}
}

const tiny = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>ALPHA</FIRST_NAME>
      <SECOND_NAME>BETA</SECOND_NAME>
      <REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
      <COMMENTS1>Gender [Female]. Photo available.</COMMENTS1>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1900</FROM_YEAR><TO_YEAR>1990</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Between Aug. and Sep. 1977</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
      <NATIONALITY><VALUE>na</VALUE><VALUE>former Soviet Union</VALUE><VALUE>Syrian Arab Republic</VALUE></NATIONALITY>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>A 123</NUMBER><NOTE>Expires on 11
 Jun. 2017</NOTE></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <FIRST_NAME>GAMMA</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`

func TestMissingReference(t *testing.T) {
	var recs []importer.Record
	_, err := Read(strings.NewReader(tiny), "tiny.xml", func(r importer.Record) error { recs = append(recs, r); return nil })
	msg := lineOf(t, err)
	if !strings.Contains(msg, "tiny.xml:15:") || !strings.Contains(msg, "REFERENCE_NUMBER") {
		t.Errorf("error %q, want tiny.xml:15 and REFERENCE_NUMBER", msg)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	p := recs[0].Main()
	if got := p.Properties["birthDate"]; len(got) != 4 || got[0] != "1900" || got[1] != "1990" || got[2] != "1977-08" || got[3] != "1977-09" {
		t.Errorf("birthDate = %v", got)
	}
	if got := p.Properties["gender"]; !slices.Equal(got, []string{"female"}) {
		t.Errorf("gender = %v", got)
	}
	if got := p.Properties["nationality"]; !slices.Equal(got, []string{"sy"}) {
		t.Errorf("nationality = %v", got)
	}
	if !slices.Contains(p.Properties["notes"], "Nationality: former Soviet Union") {
		t.Errorf("notes = %q", p.Properties["notes"])
	}
	if got := p.Properties["passportNumber"]; !slices.Equal(got, []string{"A 123"}) {
		t.Errorf("passportNumber = %v", got)
	}
	doc := recs[0].Entities[1]
	if doc.Schema != "Passport" || doc.First("endDate") != "2017-06-11" || doc.First("holder") != p.ID {
		t.Errorf("doc = %+v", doc)
	}
}

func TestInvalidUTF8(t *testing.T) {
	bad := strings.Replace(tiny, "BETA", "BE\xff\xfeTA", 1)
	_, err := Read(strings.NewReader(bad), "bad.xml", func(importer.Record) error { return nil })
	msg := lineOf(t, err)
	if !strings.Contains(msg, "bad.xml:6:") || !strings.Contains(strings.ToLower(msg), "utf-8") {
		t.Errorf("error %q, want bad.xml:6 and UTF-8", msg)
	}
}

func TestNotAList(t *testing.T) {
	for name, in := range map[string]string{
		"empty": "", "html": "<html><body/></html>", "text": "hello",
	} {
		_, err := Read(strings.NewReader(in), name, func(importer.Record) error { return nil })
		if msg := lineOf(t, err); !strings.HasPrefix(msg, name+":") {
			t.Errorf("%s: error %q", name, msg)
		}
	}
}

func TestCallbackError(t *testing.T) {
	stop := errors.New("stop")
	_, err := Read(strings.NewReader(tiny), "tiny.xml", func(importer.Record) error { return stop })
	if err != stop {
		t.Errorf("err = %v, want the callback's", err)
	}
}

func TestSplitAlias(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Abu Bakr", ""},
		{"Fazel Rahim; Fazil Rahim", "Fazel Rahim|Fazil Rahim"},
		{"حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)", "حسن غول|Hassan Ghul|Hassan Gul|Hasan Gul"},
		{"Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hay’at Tahrir al-Sham)", "Hay’at Tahrir al-Sham (HTS)|هيئة تحرير الشام|Hay’at Tahrir al-Sham"},
	}
	for _, tt := range tests {
		if got := strings.Join(splitAlias(tt.in), "|"); got != tt.want {
			t.Errorf("splitAlias(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScriptParen(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Abdelali Abou Dher (عبد العالي ابو ذر)", "Abdelali Abou Dher|عبد العالي ابو ذر"},
		{"Amir Khazmat (original script: Амир Хазмат)", "Amir Khazmat|Амир Хазмат"},
		{"Islamic State West Africa Province (ISWAP)", ""}, // an acronym
		{"EL PARA (COMBAT NAME)", ""},             // a remark
		{"حسن غول (Hassan Ghul; Hassan Gul)", ""}, // splitAlias's
		{"عبدالله السندي (Abdullah Sindhi)", ""},  // script first: the Latin is a note
		{"Abu Bakr", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(scriptParen(tt.in), "|"); got != tt.want {
			t.Errorf("scriptParen(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"M408665", ""},
		{"A 123", ""},
		{"Russian foreign travel passport number 515458008", "515458008"},
		{"CAR diplomatic passport no. D00000898", "D00000898"},
		{"Libya B/002210", "B/002210"},
		{"R00012098, South Sudan", "R00012098"},
		{"381110042 (Expired 25 Jan. 2016)", "381110042"},
		{"Provisional passport No.: 28642163", "28642163"},
		{"German travel document (“Reiseausweis”) A 0139243", "A 0139243"},
		{"Afghan passport number SE 012820", "SE 012820"},
		{"Social Security Number 423-31-3021 (US)", "423-31-3021"},
		{"Laissez-passer no. N°235/MISPAT/DIRCAB", "235/MISPAT/DIRCAB"},
	}
	for _, tt := range tests {
		if got := idNumber(tt.in); got != tt.want {
			t.Errorf("idNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(tiny))
	f.Add([]byte(""))
	f.Add([]byte("<CONSOLIDATED_LIST><ENTITIES><ENTITY><REFERENCE_NUMBER>x</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>"))
	if data, err := os.ReadFile(listFile); err == nil {
		f.Add(data[:20000])
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		_, err := Read(bytes.NewReader(in), "fuzz.xml", func(r importer.Record) error {
			if r.Main() == nil || r.Ref == "" {
				t.Fatal("record without entity or ref")
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.xml:") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}

// A comma inside a person's name field is not the "FAMILY, Given" form:
// the fields give the order (UN CDi.020, QDi.086).
func TestPersonFieldCommas(t *testing.T) {
	for _, c := range []struct {
		fields [4]string
		name   string
		first  string
	}{
		{[4]string{"MATHIEU, CHUI", "NGUDJOLO"}, "MATHIEU CHUI NGUDJOLO", "MATHIEU CHUI"},
		{[4]string{"RUBEN", "PESTANO", "LAVILLA, JR"}, "RUBEN PESTANO LAVILLA JR", "RUBEN"},
		{[4]string{"ALI ,  OMAR"}, "ALI OMAR", "ALI OMAR"},
	} {
		raw := &rawRecord{XMLName: xml.Name{Local: "INDIVIDUAL"}, ReferenceNumber: "CDi.020",
			FirstName: c.fields[0], SecondName: c.fields[1], ThirdName: c.fields[2], FourthName: c.fields[3]}
		rec := mapRecord(raw)
		p := rec.Main()
		if got := p.First("name"); got != c.name {
			t.Errorf("%q: name %q, want %q", c.fields, got, c.name)
		}
		if got := p.First("firstName"); got != c.first {
			t.Errorf("%q: firstName %q, want %q", c.fields, got, c.first)
		}
	}
	org := &rawRecord{XMLName: xml.Name{Local: "ENTITY"}, ReferenceNumber: "KPe.001", FirstName: "KINGLY WON INTERNATIONAL CO., LTD"}
	orec := mapRecord(org)
	if got := orec.Main().First("name"); got != "KINGLY WON INTERNATIONAL CO., LTD" {
		t.Errorf("organisation name %q: an entity's comma stays", got)
	}
}

func TestRemarkParen(t *testing.T) {
	for in, want := range map[string]string{
		"Abdel Ilah Sabri (false identity related to fraudulent South African identification number 6910275240086)": "Abdel Ilah Sabri",
		"EL PARA (COMBAT NAME)":                  "EL PARA",
		"Lom-ali Butayev (Butaev)":               "Lom-ali Butayev",
		"Abdelali Abou Dher (عبد العالي ابو ذر)": "",
		"(Sheikh) Musa Hilal":                    "",
		"Musa Hilal":                             "",
		"A (B; C)":                               "",
	} {
		got := remarkParen(in)
		if want == "" && got != nil || want != "" && (len(got) != 1 || got[0] != want) {
			t.Errorf("remarkParen(%q) = %q, want %q", in, got, want)
		}
	}
}
