package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"concord/match"
)

func TestReadPairs(t *testing.T) {
	tests := []struct {
		name, in, err string
		n             int
	}{
		{"ok", "name1,name2,schema,is_match\nAli Hassan,Hasan Ali,Person,true\nFalcon LLC,Falcon Ltd,Organization,0\n", "", 2},
		{"comment and note", "# labelled by hand\nname1,name2,schema,is_match,note\nA B,A C,,false,given\n", "", 1},
		{"bom", "\ufeffname1,name2,schema,is_match\nA B,A B,person,yes\n", "", 1},
		{"no header column", "name1,name2,is_match\nA,B,true\n", `p.csv:1: header has no column "schema"`, 0},
		{"bad label", "name1,name2,schema,is_match\nA,B,Person,maybe\n", `p.csv:2: is_match "maybe"`, 0},
		{"bad schema", "name1,name2,schema,is_match\nA,B,Person,true\nA,B,Vessel,true\n", `p.csv:3: schema "Vessel"`, 0},
		{"empty name", "name1,name2,schema,is_match\n,B,Person,true\n", "p.csv:2: name1 and name2 must not be empty", 0},
		{"empty", "", "p.csv: empty file", 0},
		{"no pairs", "name1,name2,schema,is_match\n", "p.csv: no pairs", 0},
		{"quote", "name1,name2,schema,is_match\n\"A,B,Person,true\n", "p.csv:", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := ReadPairs(strings.NewReader(tc.in), "p.csv")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(ps) != tc.n {
				t.Fatalf("got %d pairs, %v; want %d", len(ps), err, tc.n)
			}
		})
	}
}

func FuzzReadPairs(f *testing.F) {
	f.Add("name1,name2,schema,is_match\nAli Hassan,Hasan Ali,Person,true\n")
	f.Add("# c\nname1,name2,schema,is_match,note\nA,B,,0,x\n")
	f.Add("name1,name2\n\"unterminated")
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ReadPairs(strings.NewReader(in), "f.csv")
		if err == nil && len(ps) == 0 {
			t.Fatal("no error and no pairs")
		}
		for _, p := range ps {
			if p.Name1 == "" || p.Name2 == "" {
				t.Fatalf("empty name in %+v", p)
			}
		}
	})
}

func TestFieldPerturbations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"ABU BAKR AL-BAGHDADI", "Ruslan Akhmedovich Gelayev", "Sayf al-Adl", "HASSAN MAHAT OMAR", "KAINA, Innocent"}
	for _, k := range fieldKinds {
		applied := 0
		for _, n := range names {
			for i := 0; i < 20; i++ {
				v, ok := k.fn(n, rng)
				if !ok {
					continue
				}
				applied++
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s(%q) gave an empty name", k.kind, n)
				}
			}
		}
		if applied == 0 {
			t.Errorf("%s never applied", k.kind)
		}
	}
}

func TestRomanise(t *testing.T) {
	for _, tc := range []struct{ scheme, in, want string }{
		{"french", "Юсупов", "Iousoupov"},
		{"german", "Жуков", "Schukow"},
		{"iso", "Щукин", "Scukin"},
		{"french", "جمال", "Djemal"},
		// The article, and only the article, is written el-: علي is a
		// name that begins with the letters a and l, not the article.
		{"german", "نور الدين بن علي", "Nur El-din Ban Ali"},
		{"german", "الله", "El-lah"},
		{"french", "عبد الرحمن", "Ebed El-rehemen"},
	} {
		for i := range schemes {
			if schemes[i].name != tc.scheme {
				continue
			}
			got, ok := schemes[i].romanise(tc.in)
			if !ok || got != tc.want {
				t.Errorf("%s(%q) = %q, %v; want %q", tc.scheme, tc.in, got, ok, tc.want)
			}
		}
	}
	if _, ok := schemes[0].romanise("金正恩"); ok {
		t.Error("Han romanised by a Cyrillic/Arabic table")
	}
}

// A clerk who has heard the name writes its short vowels, and a cluster
// stays a cluster (a doubled letter, its shadda unwritten, is written
// once); a word nothing heard aligns with keeps the guessed vowel.
func TestRomaniseHeard(t *testing.T) {
	for _, tc := range []struct {
		scheme, in string
		heard      []string
		want       string
	}{
		{"german", "أحمد محمد", []string{"AHMAD MUHAMMAD"}, "Ahmad Muhamad"},
		{"french", "مصطفى", []string{"MUSTAFA"}, "Moustafa"},
		{"french", "عمر", []string{"OMAR"}, "Omar"},
		{"iso", "عبدالله", []string{"ABDULLAH"}, "'abdallah"},
		{"french", "عبد الرحمن", []string{"Abdul Rahman"}, "Abd El-rahman"},
		{"german", "طه", []string{"TAHA"}, "Taha"},
		{"german", "جعفر", []string{"JA'FAR"}, "Dschafar"},
		// Nothing heard aligns: the guessed vowel, as romanise.
		{"german", "أحمد", []string{"SALIH"}, "Ahamad"},
		// Cyrillic writes its vowels: heard changes nothing.
		{"german", "Жуков", []string{"ZHUKOV"}, "Schukow"},
	} {
		for i := range schemes {
			if schemes[i].name != tc.scheme {
				continue
			}
			got, ok := schemes[i].romaniseHeard(tc.in, tc.heard)
			if !ok || got != tc.want {
				t.Errorf("%s(%q, %q) = %q, %v; want %q", tc.scheme, tc.in, tc.heard, got, ok, tc.want)
			}
		}
	}
}

func TestArabicVariations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, v := range arabicVariations {
		in := "عبد الرحمن أحمد فاطمة مصطفى الكبيسي"
		out, ok := v.fn(in, rng)
		if ok && out == in {
			t.Errorf("%s: reported a change but gave the input back", v.kind)
		}
	}
}

// TestHardNegativesUnlisted checks the labels: no generated traveller
// carries every word of one listed name.
func TestHardNegativesUnlisted(t *testing.T) {
	recs := []match.Record{
		{ID: "a", Schema: "Person", Names: []string{"Mohammed Omar Karimov"}, Refs: []string{"un:1"}},
		{ID: "b", Schema: "Person", Names: []string{"OMAR, Mohammed"}, Refs: []string{"ofac:1"}},
		{ID: "c", Schema: "Person", Names: []string{"Ali Omar"}, Refs: []string{"un:2"}},
		{ID: "d", Schema: "Person", Names: []string{"Mohammed Ali Hassan"}, Refs: []string{"un:3"}},
		{ID: "e", Schema: "Person", Names: []string{"Ali Hassan Karimov"}, Refs: []string{"un:4"}},
		{ID: "f", Schema: "Person", Names: []string{"HASSAN, Ali"}, Refs: []string{"ofac:2"}},
		{ID: "g", Schema: "Organization", Names: []string{"Emre Smith"}, WeakNames: []string{"KEMAL ADEYEMI"}, Refs: []string{"ofac:3"}},
		{ID: "h", Schema: "Person", Names: []string{"SAKR, Tarek"}, WeakNames: []string{"Abu Tarek"}, Refs: []string{"ofac:4"}},
	}
	st := stock(recs[:8], SplitTune)
	if !st.covered("Omar Mohammed") || !st.covered("Karimov Omar") || st.covered("Omar Hassan") {
		t.Fatal("covered() wrong")
	}
	// Any record's name, exactly (an organisation's too); a weak alias; but
	// not a respelling nor a name sharing all but one word.
	if !st.covered("Smith Emre") || !st.covered("Kemal Adeyemi") || !st.covered("Tarek Abu") || !st.covered("Tarék SAKR") {
		t.Fatal("covered() misses a listed name")
	}
	if st.covered("Tarek Saqr") || st.covered("Emre Smithson") || st.covered("Emre Smith Aziz") {
		t.Fatal("covered() drops a near match")
	}
	// A name stock: given and family names held by three listed persons or
	// more, so that the generator has listed given names in both halves.
	for i, g := range []string{"Kemal", "Omar", "Emre", "Aziz", "Bola", "Yusuf", "Tarek", "Anna"} {
		for j, f := range []string{"Demir", "Karimov", "Yusupov", "Yilmaz"} {
			recs = append(recs, match.Record{ID: fmt.Sprint("s", i, j), Schema: "Person", Names: []string{g + " " + f}, Refs: []string{fmt.Sprint("un:s", i, j)}})
		}
	}
	names := &Names{Given: map[string][]string{}, Family: map[string][]string{}}
	for _, l := range append(append([]string{}, regionLocales...), otherLocales...) {
		names.Given[l] = []string{"Aziz", "Dilnoza", "Bola", "Anna", "Emre", "Kemal"}
		names.Family[l] = []string{"Karimova", "Yusupov", "Adeyemi", "Smith", "Yilmaz", "Demir"}
	}
	for _, sp := range []Split{SplitTune, SplitReport} {
		s := HardNegativeSet(recs, names, 300, rand.New(rand.NewPCG(1, 1)), sp)
		control := 0
		for _, c := range s.Cases {
			if c.Control {
				control++
				if c.Note != "other/other" {
					t.Fatalf("control case %+v not in other/other", c)
				}
			}
		}
		if len(s.Cases)-control != 300 || control != 150 {
			t.Fatalf("%d cases and %d control, want 300 and 150 (a listed name is drawn again, not lost)", len(s.Cases)-control, control)
		}
		if s.Redrawn["other/other"] == 0 || s.Redrawn["listed-given/listed-family"] == 0 {
			t.Errorf("redraws not counted (Emre Smith and Kemal Adeyemi are an organisation's, the stock's own names persons'): %v", s.Redrawn)
		}
		for _, c := range s.Cases {
			if st2 := stock(recs, sp); st2.covered(c.Query.Name) {
				t.Fatalf("%q is a listed name", c.Query.Name)
			}
			if c.Want != "" || !strings.Contains(c.Note, "/") {
				t.Fatalf("bad case %+v", c)
			}
		}
	}
}

func TestReadNamesRepairsMisdecodedUTF8(t *testing.T) {
	in := "locale\tpart\tname\nnl\tgiven\t\u00c3\u0096mer\nnl\tfamily\tJansen\ntr\tgiven\t\u00c3\u00b6zg\u00fcr\n"
	n, err := ReadNames(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// The C1 control character marks the damage: "Ã\u0096mer" is "Ömer"
	// read as Latin-1. "Ã¶zgür" holds no control character and is left as
	// it is (it could be a real, if odd, spelling).
	if got := n.Given["nl"]; len(got) != 1 || got[0] != "Ömer" {
		t.Errorf("nl given = %q, want [Ömer]", got)
	}
	if got := n.Given["tr"]; len(got) != 1 || got[0] != "\u00c3\u00b6zg\u00fcr" {
		t.Errorf("tr given = %q, want it unchanged", got)
	}
	_, err = ReadNames(strings.NewReader("nl\tgiven\tAb\u0085\u4e00\n"))
	if err == nil || !strings.Contains(err.Error(), "names.tsv:1") {
		t.Errorf("an unrepairable control character: err = %v, want one naming names.tsv:1", err)
	}
}

func TestYearsAgree(t *testing.T) {
	rec := func(d ...string) *match.Record { return &match.Record{BirthDates: d} }
	for _, c := range []struct {
		a, b *match.Record
		want bool
	}{
		{rec("1947", "1946"), rec("1962-02-18"), false}, // KIM, Yong Chol: two men
		{rec("1954"), rec("1958", "1958-01-01"), true},  // Iyad ag Ghali on both lists
		{rec(), rec("1962"), true},
		{rec("1984-05-06"), rec("1986-05-06"), true},
	} {
		if got := yearsAgree(c.a, c.b); got != c.want {
			t.Errorf("yearsAgree(%v, %v) = %v, want %v", c.a.BirthDates, c.b.BirthDates, got, c.want)
		}
	}
}

func TestOrgRespells(t *testing.T) {
	// Generic words come from the records' names: twenty organisations
	// named "... Islamic Trust Foundation" make those three words generic.
	var recs []match.Record
	for i := range 20 {
		recs = append(recs, match.Record{Schema: "Organization", Names: []string{fmt.Sprintf("Body%c Islamic Trust Foundation", 'a'+i)}})
	}
	generic := genericOrgWords(recs)
	for _, w := range []string{"islamic", "trust", "foundation"} {
		if !generic[w] {
			t.Errorf("%q is not generic", w)
		}
	}
	let := &match.Record{Schema: "Organization", Names: []string{"LASHKAR-E-TAYYIBA", "Falah-i-Insaniat Foundation", "Yas Air", "Tehrik-e Taliban Pakistan", "Jemaah Islamiyah", "Islamic State of Iraq"}}
	for _, c := range []struct {
		name string
		want bool
	}{
		{"FALAH INSANIA", true},                     // a distinctive word respelled
		{"LASHKAR E TOIBA", true},                   // Lashkar
		{"YASAIR CARGO", true},                      // two words written as one
		{"TTP-JA", true},                            // an acronym of words
		{"JI", true},                                // two letters: the whole name's initials
		{"ISLAMIC STATE OF IRAQ AND AL-SHAM", true}, // more than half the words
		{"AL-ANFAL TRUST", false},                   // only a generic word shared
		{"ISLAMI WELFARE FOUNDATION", false},        // a spelling of a generic word
		{"MILLI MUSLIM LEAGUE", false},
		{"MML", false},
		{"IDARA KHIDMAT", false}, // Idara is not Tayyiba's word
	} {
		if got := orgRespells(c.name, let, generic); got != c.want {
			t.Errorf("orgRespells(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAliasHeldOut checks that the held-out alias set cannot become an
// exact lookup: no query normalises to a name its index holds, each case
// runs against its own list's index of primary names, and other names and
// weak aliases are kept out of the headline.
func TestAliasHeldOut(t *testing.T) {
	recs := []match.Record{
		{ID: "a", Schema: "Person", Names: []string{"Abdul Rahman Yasin", "ABD AL-RAHMAN YASIN", "Abdurrahman Yaseen", "Abu Hafs", "Abdurrahman Yaseen; Abdelrahman Yassine"}, WeakNames: []string{"Abu Yasin"}, Refs: []string{"un:QDi.1"}},
		{ID: "b", Schema: "Person", Names: []string{"YASIN, Abdul Rahman", "Abdul Rahman Yassin"}, Refs: []string{"ofac:1"}},
		{ID: "c", Schema: "Organization", Names: []string{"Jamaat ul-Ahrar", "Jamaat-ul-Ahrar", "Jamat ul Ahrar", "JuA", "Golden Chain", "Hafs Trading"}, Refs: []string{"un:QDe.1"}},
		{ID: "d", Schema: "Organization", Names: []string{"Hafs Trading"}, Refs: []string{"un:QDe.2"}},
		{ID: "e", Schema: "Person", Names: []string{"Omar Ali", "Al-Aqsa Trust"}, Refs: []string{"un:QDi.2"}},
		{ID: "f", Schema: "Organization", Names: []string{"Al-Aqsa Foundation", "AL AQSA TRUST"}, Refs: []string{"un:QDe.3"}},
		{ID: "v", Schema: "Vessel", Names: []string{"Sea Star", "Star of the Sea"}, Refs: []string{"un:V.1"}},
	}
	s := AliasHeldOutSet(recs)
	ixs := map[string]map[string]bool{}
	for _, l := range Lists(recs) {
		ixs["primary:"+l] = map[string]bool{}
		for _, r := range PrimaryOnly(recs, l) {
			if len(r.Names) != 1 || len(r.WeakNames) != 0 {
				t.Fatalf("PrimaryOnly kept %q / %q", r.Names, r.WeakNames)
			}
			for _, k := range nameKeys(r.Names[0]) {
				ixs["primary:"+l][k] = true
			}
		}
	}
	got := map[string]string{}
	for _, c := range s.Cases {
		keys, ok := ixs[c.Index]
		if !ok {
			t.Fatalf("case %q names index %q", c.Query.Name, c.Index)
		}
		if strings.TrimPrefix(c.Index, "primary:") != strings.Split(c.Want, ":")[0] {
			t.Errorf("case %q of %s runs against %s", c.Query.Name, c.Want, c.Index)
		}
		for _, k := range nameKeys(c.Query.Name) {
			if keys[k] {
				t.Errorf("query %q normalises to a name its index holds (%s)", c.Query.Name, k)
			}
		}
		if c.Control != (strings.HasSuffix(c.Note, "-other-name") || strings.HasSuffix(c.Note, "-weak")) {
			t.Errorf("case %q note %s, control %v", c.Query.Name, c.Note, c.Control)
		}
		got[c.Query.Name] = c.Note
	}
	want := map[string]string{
		"Abdurrahman Yaseen":  "person",
		"Abu Hafs":            "person-other-name",
		"Abu Yasin":           "person-weak",
		"Abdul Rahman Yassin": "person",
		"Jamat ul Ahrar":      "organisation",
		"JuA":                 "organisation",
		"Golden Chain":        "organisation-other-name",
	}
	for n, note := range want {
		if got[n] != note {
			t.Errorf("%q: note %q, want %q", n, got[n], note)
		}
	}
	// Left out: spellings of the kept name (ABD AL-RAHMAN YASIN,
	// Jamaat-ul-Ahrar), another record's kept name (Hafs Trading), a name
	// two records hold (Al-Aqsa Trust), a list of names, and names of
	// records that are not persons or organisations.
	for _, n := range []string{"ABD AL-RAHMAN YASIN", "Jamaat-ul-Ahrar", "Hafs Trading", "Star of the Sea", "Al-Aqsa Trust", "AL AQSA TRUST", "Abdurrahman Yaseen; Abdelrahman Yassine"} {
		if _, ok := got[n]; ok {
			t.Errorf("%q queried", n)
		}
	}
	if len(got) != len(want) || s.Skipped["organisation: another record's name"] != 1 || s.Skipped["organisation: another record's alias too"] != 1 || s.Skipped["person: another record's alias too"] != 1 {
		t.Errorf("cases %v, skipped %v", got, s.Skipped)
	}
}

func TestKunyaOnly(t *testing.T) {
	for n, want := range map[string]bool{
		"ABU WALID": true, "ABU HURAYRAH AL-SAN'AI": true, "AL-MASRI, Abu Ahmad": true, "AL-WARUD, Abu": true,
		"ABU IBRAHIM AL ALMANI": true, "Umm Hamza": true,
		"CHERAF, Abu Hamza": false, "AL-TUNISI, Tariq Abu 'Umar": false, "ABU AL-KHAYR, Ahmad Hasan": false,
		"Abu Bakr al-Baghdadi al-Husseini al-Qurashi": true, "ABU": false, "Ahmad Hasan": false,
	} {
		if got := kunyaOnly(n); got != want {
			t.Errorf("kunyaOnly(%q) = %v, want %v", n, got, want)
		}
	}
}
