package job

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"concord"
	"concord/match"
)

func TestReadCSV(t *testing.T) {
	in := "id,name,birth_date,nationality,gender,schema,document_number,extra\n" +
		"t1,Seif al Adel,1960,EG,male,Person,,x\n" +
		"t2,SAYF AL-'ADL,1960-04,EGY,M,,,\n" +
		"t3,,1960,,,,,\n" + // empty name
		"t4,Ali,19601,,,,,\n" + // bad date
		"t5,Ali,1960-13-01,,,,,\n" + // bad month
		"t6,Ali,,Atlantis,,,,\n" + // unknown country
		"\n" +
		"t7,\"Multi\nline\",,Uzbekistan,,organisation,,\n" +
		"t8,Ali,,,robot,,,\n" +
		"t9,Ali,,,,Dragon,,\n" +
		"t10,Ali\x00Baba,,,,,,\n" + // NUL
		"t11,Ali \xff,,,,,,\n" + // not UTF-8
		"t12,Ali,,,,,\x07,\n" + // control character
		strings.Repeat("i", 200) + ",Ali,,,,,,\n" + // id too long
		"t14,Ali,,,,,,\x00\n" // an ignored column may hold anything
	qs, bad, err := ReadCSV(strings.NewReader(in), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range qs {
		ids = append(ids, q.ID)
	}
	if got := strings.Join(ids, ","); got != "t1,t2,t7,t14" {
		t.Errorf("kept %s", got)
	}
	if qs[0].Nationality != "eg" || qs[1].Nationality != "eg" || qs[1].Gender != "male" || qs[2].Nationality != "uz" || qs[2].Schema != "Organization" {
		t.Errorf("normalised: %+v", qs)
	}
	var lines []string
	for _, b := range bad {
		lines = append(lines, fmt.Sprint(b.Line))
	}
	if got := strings.Join(lines, ","); got != "4,5,6,7,11,12,13,14,15,16" {
		t.Errorf("bad lines %s: %v", got, bad)
	}
	for i, want := range map[int]string{6: "column name: contains a NUL byte", 7: "column name: is not valid UTF-8", 8: "column document_number: contains the control character U+0007", 9: "column id: 200 bytes, at most 128"} {
		if i >= len(bad) || !strings.Contains(bad[i].Error(), want) {
			t.Errorf("bad[%d] = %v, want %q", i, bad, want)
		}
	}
}

func TestReadCSVHeader(t *testing.T) {
	for _, in := range []string{"", "name,birth_date\nAli,1960\n", "id\nx\n"} {
		_, _, err := ReadCSV(strings.NewReader(in), "q.csv")
		if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "q.csv") {
			t.Errorf("%q: err = %v", in, err)
		}
	}
}

func TestReadQueriesPAXLST(t *testing.T) {
	f, err := os.Open("../importer/paxlst/testdata/gtas_multiple_flight_leg_05B.txt")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	kind, qs, bad, meta, err := ReadQueries(f, "m.txt")
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindPAXLST || len(bad) != 0 || len(qs) != 2 || !strings.Contains(meta, "legs") {
		t.Fatalf("kind %s, %d queries, bad %v, meta %s", kind, len(qs), bad, meta)
	}
	for _, q := range qs {
		if q.Name == "" || !strings.HasPrefix(q.ID, "msg1-") || q.Schema != "Person" {
			t.Errorf("query %+v", q)
		}
	}
}

func TestScreenKeepsOrder(t *testing.T) {
	var qs []Query
	for i := 0; i < 500; i++ {
		qs = append(qs, Query{ID: fmt.Sprint(i), Name: fmt.Sprint("n", i)})
	}
	res, err := Screen(context.Background(), qs, 4, func(_ context.Context, q match.Query) ([]match.Match, error) {
		return []match.Match{{EntityID: q.Name}}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.ID != fmt.Sprint(i) || r.Matches[0].EntityID != fmt.Sprint("n", i) || r.Matches[0].Refs == nil {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	_, err = Screen(context.Background(), qs, 2, func(_ context.Context, q match.Query) ([]match.Match, error) {
		if q.ID == "250" {
			return nil, fmt.Errorf("boom")
		}
		return nil, nil
	}, nil)
	if err == nil {
		t.Error("error not returned")
	}
}

func TestIdentity(t *testing.T) {
	a := Identity(&Query{Name: "Ali  Hassan", BirthDate: "1980"})
	b := Identity(&Query{Name: "ali hassan", BirthDate: "1980"})
	c := Identity(&Query{Name: "ali hassan", BirthDate: "1981"})
	if a != b || a == c {
		t.Errorf("identity: %s %s %s", a, b, c)
	}
}

func TestReadQueriesPAXLSTRefusesBadText(t *testing.T) {
	b, err := os.ReadFile("../importer/paxlst/testdata/gtas_multiple_flight_leg_05B.txt")
	if err != nil {
		t.Skip(err)
	}
	bad := strings.Replace(string(b), "NAD+FL+++LANG:KRISTIN'", "NAD+FL+++LANG:KRIS\x00TIN'", 1)
	_, _, _, _, err = ReadQueries(strings.NewReader(bad), "m.txt")
	if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "m.txt: traveller msg1-pax2: name: contains a NUL byte") {
		t.Errorf("NUL in a traveller's name: %v", err)
	}
}
