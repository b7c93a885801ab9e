package match

import (
	"slices"
	"testing"
)

func TestAcronymNames(t *testing.T) {
	for _, tt := range []struct{ in, outer, acr string }{
		{"MUJAHIDIN INDONESIAN TIMUR (MIT)", "MUJAHIDIN INDONESIAN TIMUR", "MIT"},
		{"AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)", "AL-QAIDA IN THE ARABIAN PENINSULA", "AQAP"},
		{"UGANDA COMMERCIAL IMPEX (UCI) LTD", "UGANDA COMMERCIAL IMPEX LTD", "UCI"},
		{"JAMAAT-UL-AHRAR (JuA)", "JAMAAT-UL-AHRAR", "JuA"},
		{"Islamic State of Iraq and Syria – Greater Sahara (ISIS-GS)", "Islamic State of Iraq and Syria – Greater Sahara", "ISIS-GS"},
		{"Lord’s Resistance Movement/Army (LRM/A)", "Lord’s Resistance Movement/Army", "LRM/A"},
		// Not an acronym of the name, not an acronym, several brackets.
		{"TOUS POUR LA PAIX ET LE DEVELOPPEMENT (NGO)", "", ""},
		{"EL PARA (COMBAT NAME)", "", ""},
		{"Encep Nurjaman (birth name)", "", ""},
		{"Akrin Saleh Akrin (أقرين صالح أقرين)", "", ""},
		{"COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)", "", ""},
		{"ABZAR BORESH KAVEH CO. (BK CO.)", "", ""},
		{"(MIT)", "", ""},
	} {
		outer, acr, ok := acronymNames(tt.in)
		if outer != tt.outer || acr != tt.acr || ok != (tt.acr != "") {
			t.Errorf("acronymNames(%q) = %q, %q, %v; want %q, %q", tt.in, outer, acr, ok, tt.outer, tt.acr)
		}
	}
}

func TestSlashAcronym(t *testing.T) {
	for _, tt := range []struct{ in, outer, acr string }{
		{"AL-ITIHAAD AL-ISLAMIYA / AIAI", "AL-ITIHAAD AL-ISLAMIYA", "AIAI"},
		{"HARAKAT UL-MUJAHIDIN / HUM", "HARAKAT UL-MUJAHIDIN", "HUM"},
		{"JOUMAA MONEY LAUNDERING ORGANIZATION / DRUG TRAFFICKING ORGANIZATION", "", ""},
		{"NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES", "", ""},
		{"ADF/NALU", "", ""},
		{"HARAKAT UL-MUJAHIDIN / HUM / HM", "", ""},
	} {
		outer, acr, ok := slashAcronym(tt.in)
		if outer != tt.outer || acr != tt.acr || ok != (tt.acr != "") {
			t.Errorf("slashAcronym(%q) = %q, %q, %v; want %q, %q", tt.in, outer, acr, ok, tt.outer, tt.acr)
		}
	}
}

func TestAcronymRecord(t *testing.T) {
	recs := []Record{
		{ID: "o:1", Schema: "Organization", Names: []string{"MUJAHIDIN INDONESIAN TIMUR (MIT)"}},
		{ID: "o:2", Schema: "Organization", Names: []string{"MID"}},
		{ID: "p:1", Schema: "Person", Names: []string{"Encep Nurjaman (EN)"}},
		{ID: "o:3", Schema: "Organization", Names: []string{"HARAKAT UL-MUJAHIDIN / HUM"}},
		{ID: "o:4", Schema: "Organization", Names: []string{"الاتحاد الاسلامي"}},
		{ID: "o:5", Schema: "Organization", Names: []string{"JOUMAA MONEY LAUNDERING ORGANIZATION / DRUG TRAFFICKING ORGANIZATION"}},
	}
	for i := range 200 { // background so common parts are common
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Organization",
			Names: []string{"Trading " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	for _, tt := range []struct{ q, want string }{
		{"MIT", "o:1"},
		{"MUJAHIDIN INDONESIA TIMUR", "o:1"},
		{"EN", ""}, // a person's bracket is not read as an acronym
		{"HUM", "o:3"},
		{"HARAKAT UL-MUJAHIDEEN", "o:3"},
		{"AL-ITIHAAD AL-ISLAMIYA / AIAI", "o:4"},
		{"DRUG TRAFFICKING ORGANIZATION", ""}, // a spaced slash before no acronym: a description
	} {
		ms := ix.Match(Query{Name: tt.q}, Options{})
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != tt.want {
			t.Errorf("Match(%q) = %+v, want %q first over the threshold", tt.q, ms, tt.want)
		}
	}
}

func TestDerivedAcronyms(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"POPULAR FRONT FOR THE LIBERATION OF PALESTINE", []string{"PFLP"}},
		{"GENERAL BUREAU OF ATOMIC ENERGY", []string{"GBAE"}},
		{"HARAKAT-UL JIHAD ISLAMI", []string{"HJI", "HUJI"}},
		{"PETROCHEMICAL COMMERCIAL COMPANY INTERNATIONAL", []string{"PCCI"}},
		{"LORD’S RESISTANCE ARMY", []string{"LRA"}}, // three letters: ranked, not alerting
		{"PROFINET PTE. LTD.", nil},                 // legal forms are no letters of it
		{"OOO LADOGA MENEDZHMENT GRUPPA", []string{"LMG"}},
		{"NATIONAL IRANIAN OIL COMPANY", []string{"NIOC"}},
		{"SHAHID BAKERI INDUSTRIAL GROUP", []string{"SBIG"}},
		{"DAMOUR 850 SAL", nil},                 // digits
		{"جماعة أهل السنة للدعوة والجهاد", nil}, // another script
		{"AL-QAIDA", nil},
		{"ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)", []string{"ISILK"}},
		{"AL-ITIHAAD AL-ISLAMIYA / AIAI", nil},
		{"Tehrik-e Taliban Pakistan Jamaat ul Ahrar", []string{"TTPJA", "TTPJUA", "TETPJUA"}},
	}
	for _, tt := range tests {
		if got := derivedAcronyms(nil, tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("derivedAcronyms(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A derived acronym finds its organisation, as a weak name; a person's
// name derives none.
func TestDerivedAcronymSearch(t *testing.T) {
	ix := Build(slices.Values([]Record{
		{ID: "o", Schema: "Organization", Names: []string{"POPULAR FRONT FOR THE LIBERATION OF PALESTINE"}},
		{ID: "p", Schema: "Person", Names: []string{"Pablo Fernando Lopez Perez"}},
	}))
	ms := ix.Match(Query{Name: "PFLP", Schema: "Organization"}, Options{})
	if len(ms) == 0 || ms[0].EntityID != "o" || ms[0].Score >= 1 || ms[0].Score < DefaultThreshold {
		t.Errorf("PFLP: %+v, want o, weak, above the threshold", ms)
	}
	if ms := ix.Match(Query{Name: "PFLP"}, Options{}); len(ms) > 0 && ms[0].EntityID == "p" {
		t.Errorf("PFLP met the person: %+v", ms)
	}
}

// A derived acronym of three letters ranks its record first when searched
// for, but never alerts: ordinary firms are called by three initials.
func TestShortAcronymRanksWithoutAlerting(t *testing.T) {
	ix := Build(slices.Values([]Record{
		{ID: "lra", Schema: "Organization", Names: []string{"LORD'S RESISTANCE ARMY"}},
		{ID: "mpc", Schema: "Organization", Names: []string{"MACHINE PARDAZAN CO."}, Nationalities: []string{"ir"}},
		{ID: "ab", Schema: "Organization", Names: []string{"ARMY OF BELIEVERS"}},
	}))
	if ms := ix.Match(Query{Name: "LRA", Schema: "Organization"}, Options{}); len(ms) != 0 {
		t.Errorf("LRA alerted: %+v", ms)
	}
	ms := ix.Match(Query{Name: "LRA", Schema: "Organization"}, Options{Threshold: 0.01})
	if len(ms) == 0 || ms[0].EntityID != "lra" || ms[0].Score != shortAcronymCap || ms[0].Explanation[0].Feature != "name.short_acronym" {
		t.Errorf("LRA searched: %+v, want lra first at %v", ms, shortAcronymCap)
	}
	for _, q := range []Query{
		{Name: "MPC Trading LLC", Schema: "Organization"},
		{Name: "MPC", Schema: "Organization", Nationality: "ir"},
	} {
		if ms := ix.Match(q, Options{}); len(ms) != 0 {
			t.Errorf("%+v alerted: %+v", q, ms)
		}
		if ms := ix.Match(q, Options{Threshold: 0.01}); len(ms) > 0 && ms[0].EntityID == "mpc" && ms[0].Score > shortAcronymCap {
			t.Errorf("%+v scored above the cap: %+v", q, ms)
		}
	}
	// A record's own name still scores in full.
	if ms := ix.Match(Query{Name: "Lords Resistance Army", Schema: "Organization"}, Options{}); len(ms) == 0 || ms[0].EntityID != "lra" {
		t.Errorf("the full name: %+v", ms)
	}
}

func TestJoinedAcronym(t *testing.T) {
	for _, tt := range []struct{ name, schema, want string }{
		{"TTP-JA", "Organization", "TTPJA"},
		{"TTP-JUA", "Organization", "TTPJUA"},
		{"TTP-JA", "Person", ""},           // a person's name
		{"TTP-JA", "", ""},                 // schema unknown
		{"Al-Qaida", "Organization", ""},   // not capitals
		{"ISIL-LIBYA", "Organization", ""}, // more than eight letters
		{"AL-NUR", "Organization", ""},     // an article and its word
		{"AQ-M", "Organization", ""},       // three letters
		{"TTP JA", "Organization", ""},     // spaces
	} {
		if got := joinedAcronym(tt.name, tt.schema); got != tt.want {
			t.Errorf("joinedAcronym(%q, %q) = %q, want %q", tt.name, tt.schema, got, tt.want)
		}
	}
}
