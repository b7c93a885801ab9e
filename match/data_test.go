package match

// Test-only loaders for the shared UN and OFAC lists, so the engine can be
// measured on real data before the importers exist. Tests using them skip
// when ../shared/data is absent.

import (
	"encoding/csv"
	"encoding/xml"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const sharedData = "../../shared/data"

type unName struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unDOB struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
}

type unDoc struct {
	Number string `xml:"NUMBER"`
}

type unRecord struct {
	Ref      string   `xml:"REFERENCE_NUMBER"`
	First    string   `xml:"FIRST_NAME"`
	Second   string   `xml:"SECOND_NAME"`
	Third    string   `xml:"THIRD_NAME"`
	Fourth   string   `xml:"FOURTH_NAME"`
	Original string   `xml:"NAME_ORIGINAL_SCRIPT"`
	Gender   string   `xml:"GENDER"`
	Aliases  []unName `xml:"INDIVIDUAL_ALIAS"`
	EAliases []unName `xml:"ENTITY_ALIAS"`
	DOBs     []unDOB  `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	Docs     []unDoc  `xml:"INDIVIDUAL_DOCUMENT"`
}

type unList struct {
	Individuals []unRecord `xml:"INDIVIDUALS>INDIVIDUAL"`
	Entities    []unRecord `xml:"ENTITIES>ENTITY"`
}

// testRecord is a Record with the original-script names kept apart.
type testRecord struct {
	Record
	Original []string
}

func loadUN(t testing.TB) []testRecord {
	t.Helper()
	f, err := os.Open(sharedData + "/lists/un_consolidated.xml")
	if err != nil {
		t.Skip("shared data absent:", err)
	}
	defer f.Close()
	var l unList
	if err := xml.NewDecoder(f).Decode(&l); err != nil {
		t.Fatal(err)
	}
	var out []testRecord
	conv := func(u unRecord, schema string) testRecord {
		full := strings.Join(strings.Fields(strings.Join([]string{u.First, u.Second, u.Third, u.Fourth}, " ")), " ")
		r := testRecord{Record: Record{ID: "un:" + u.Ref, Schema: schema, Caption: full, Refs: []string{"un:" + u.Ref}}}
		r.Names = append(r.Names, full)
		for _, a := range append(u.Aliases, u.EAliases...) {
			if a.Name == "" {
				continue
			}
			if a.Quality == "Low" {
				r.WeakNames = append(r.WeakNames, a.Name)
			} else {
				r.Names = append(r.Names, a.Name)
			}
		}
		if u.Original != "" {
			r.Original = append(r.Original, u.Original)
		}
		for _, d := range u.DOBs {
			switch {
			case d.Date != "":
				r.BirthDates = append(r.BirthDates, d.Date[:min(10, len(d.Date))])
			case d.Year != "":
				r.BirthDates = append(r.BirthDates, d.Year)
			case d.FromYear != "" && d.ToYear != "":
				a, _ := strconv.Atoi(d.FromYear)
				b, _ := strconv.Atoi(d.ToYear)
				for y := a; y <= b && b-a < 20; y++ {
					r.BirthDates = append(r.BirthDates, strconv.Itoa(y))
				}
			}
		}
		for _, d := range u.Docs {
			if d.Number != "" {
				r.Identifiers = append(r.Identifiers, d.Number)
			}
		}
		r.Gender = strings.ToLower(u.Gender)
		return r
	}
	for _, u := range l.Individuals {
		out = append(out, conv(u, "Person"))
	}
	for _, u := range l.Entities {
		out = append(out, conv(u, "Organization"))
	}
	return out
}

var ofacDOB = regexp.MustCompile(`DOB (?:(\d{2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})`)

var months = map[string]string{"Jan": "01", "Feb": "02", "Mar": "03", "Apr": "04", "May": "05", "Jun": "06", "Jul": "07", "Aug": "08", "Sep": "09", "Oct": "10", "Nov": "11", "Dec": "12"}

func latin1(b string) string {
	rs := make([]rune, len(b))
	for i := 0; i < len(b); i++ {
		rs[i] = rune(b[i])
	}
	return string(rs)
}

func readCSV(t testing.TB, path string) [][]string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip("shared data absent:", err)
	}
	r := csv.NewReader(strings.NewReader(latin1(string(data))))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// ofacName turns "LAST, First Middle" into "First Middle LAST".
func ofacName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ", "); i > 0 {
		return strings.TrimSpace(s[i+2:]) + " " + s[:i]
	}
	return s
}

func loadOFAC(t testing.TB) []testRecord {
	t.Helper()
	rows := readCSV(t, sharedData+"/lists/ofac_sdn.csv")
	alts := readCSV(t, sharedData+"/lists/ofac_alt.csv")
	byID := map[string]int{}
	var out []testRecord
	for _, row := range rows {
		if len(row) < 12 {
			continue
		}
		id := strings.TrimSpace(row[0])
		schema := "Organization"
		switch strings.TrimSpace(row[2]) {
		case "individual":
			schema = "Person"
		case "vessel":
			schema = "Vessel"
		case "aircraft":
			schema = "Airplane"
		}
		r := testRecord{Record: Record{ID: "ofac:" + id, Schema: schema, Caption: row[1], Refs: []string{"ofac:" + id}}}
		if schema == "Person" {
			r.Names = []string{ofacName(row[1])}
		} else {
			r.Names = []string{row[1]}
		}
		for _, m := range ofacDOB.FindAllStringSubmatch(row[11], -1) {
			d := m[3]
			if m[2] != "" {
				d += "-" + months[m[2]]
				if m[1] != "" {
					d += "-" + m[1]
				}
			}
			r.BirthDates = append(r.BirthDates, d)
		}
		byID[id] = len(out)
		out = append(out, r)
	}
	for _, a := range alts {
		if len(a) < 4 {
			continue
		}
		i, ok := byID[strings.TrimSpace(a[0])]
		if !ok {
			continue
		}
		n := a[3]
		if out[i].Schema == "Person" {
			n = ofacName(n)
		}
		if strings.TrimSpace(a[2]) == "fka" || strings.TrimSpace(a[2]) == "nka" || strings.TrimSpace(a[2]) == "aka" {
			out[i].Names = append(out[i].Names, n)
		} else {
			out[i].WeakNames = append(out[i].WeakNames, n)
		}
	}
	return out
}

// travellers reads given and family names per locale from names.tsv.
func travellers(t testing.TB) (given, family map[string][]string) {
	data, err := os.ReadFile(sharedData + "/names/names.tsv")
	if err != nil {
		t.Skip("shared data absent:", err)
	}
	given, family = map[string][]string{}, map[string][]string{}
	for i, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) != 3 {
			continue
		}
		switch f[1] {
		case "given":
			given[f[0]] = append(given[f[0]], f[2])
		case "family":
			family[f[0]] = append(family[f[0]], f[2])
		}
	}
	return given, family
}
