package match

import (
	"slices"
	"testing"
)

func TestRecordReadings(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"SANAULLAH GHAFARI", nil},
		{"Джамшид Юсупов", []string{"dschamschid jussupow", "djamchid ioussoupov"}}, // cyrillicreadings.go
		{"نور محمد ثاقب", []string{"نور محمد ثاگب", "نور محمد ساقب"}},
		{"احمد ضیا آغا", []string{"احمد زیا آغا"}},
		{"صالح قاسمي", []string{"صالح گاسمي"}},
		{"ظاهر", []string{"داهر", "زاهر"}},
		{"كُل آغا", []string{"گُل آغا"}},
		{"محمد", nil},
	}
	for _, tt := range tests {
		if got := recordReadings(nil, tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("recordReadings(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Latin queries against records held in Arabic script only, spelt by the
// habits the record's other readings stand for.
func TestLatinAgainstScriptRecords(t *testing.T) {
	recs := []Record{
		{ID: "s:1", Schema: "Person", Names: []string{"ثناء اللہ غفاری"}},
		{ID: "s:2", Schema: "Person", Names: []string{"نور محمد ثاقب"}},
		{ID: "s:3", Schema: "Person", Names: []string{"احمد ضیا آغا"}},
		{ID: "s:4", Schema: "Person", Names: []string{"كُل آغا اسحاقزی"}},
		{ID: "s:5", Schema: "Person", Names: []string{"عبدالحی مطمئن"}},
		{ID: "s:6", Schema: "Organization", Names: []string{"حرکت الجہاد الاسلامی"}},
		{ID: "s:7", Schema: "Organization", Names: []string{"القاعدة"}},
		{ID: "s:8", Schema: "Person", Names: []string{"احمد طه خالد عبد القادر"}},
	}
	for i := range 200 { // background so common parts are common
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Person",
			Names: []string{"Mohammed Ahmad " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	tests := []struct {
		q    Query
		want string
	}{
		{Query{Name: "SANAULLAH GHAFARI"}, "s:1"},
		{Query{Name: "NOOR MOHAMMAD SAQIB"}, "s:2"},
		{Query{Name: "AHMAD ZIA AGHA"}, "s:3"},
		{Query{Name: "GUL AGHA ISHAKZAI"}, "s:4"},
		{Query{Name: "ABDULHAI MOTMAEN"}, "s:5"},
		{Query{Name: "HARAKAT-UL JIHAD ISLAMI", Schema: "Organization"}, "s:6"},
		{Query{Name: "AL-QAIDA", Schema: "Organization"}, "s:7"},
		{Query{Name: "AHMAD TAHA KHALID ABDUL QADIR"}, "s:8"}, // طه: its ه a consonant
		// Another name, spelt the other way, stays another name.
		{Query{Name: "KUL AGHA SAFI"}, ""},
	}
	for _, tt := range tests {
		ms := ix.Match(tt.q, Options{})
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != tt.want {
			t.Errorf("Match(%q) top = %q, want %q (%+v)", tt.q.Name, got, tt.want, ms)
		}
	}
}

func TestScriptQueryKafAsG(t *testing.T) {
	recs := []Record{
		{ID: "l:1", Schema: "Person", Names: []string{"GUL AGHA ISHAKZAI"}},
		{ID: "l:2", Schema: "Person", Names: []string{"KAMAL HASSAN"}},
	}
	for i := range 200 { // background so common parts are common
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Person",
			Names: []string{"Mohammed Ahmad " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	for _, tt := range []struct{ q, want string }{
		{"كُل آغا اسحاقزی", "l:1"}, // ك for the g of a Pashto name
		{"كمال حسن", "l:2"},        // and still k
	} {
		ms := ix.Match(Query{Name: tt.q}, Options{})
		if len(ms) == 0 || ms[0].EntityID != tt.want {
			t.Errorf("Match(%q) = %+v, want %s first and over the threshold", tt.q, ms, tt.want)
		}
	}
}

// A query word in Arabic script that splitJoined cuts where both halves
// are record parts (خدايرحيم: khd + airhim) is screened whole too, so that
// a record writing the two words apart (KHUDAI RAHIM) meets it by a merge.
func TestSplitJoinedWholeToo(t *testing.T) {
	recs := []Record{
		{ID: "k:1", Schema: "Person", Names: []string{"MOHAMMED QASIM MIR WALI KHUDAI RAHIM"}},
		{ID: "k:2", Schema: "Person", Names: []string{"KHAD AIRHIM"}},
	}
	for i := range 200 {
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Person",
			Names: []string{"Mohammed Ahmad " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	q := Query{Name: "محمد قاسم میر ولی خدايرحيم"}
	ms := ix.Match(q, Options{})
	if len(ms) == 0 || ms[0].EntityID != "k:1" || ms[0].Score < DefaultThreshold {
		t.Fatalf("Match(%q) = %+v, want k:1 at or above the threshold", q.Name, ms)
	}
	m, ok := ix.Score(q, recs[0], Options{})
	if !ok || m.Score != ms[0].Score {
		t.Errorf("Score(%q) = %v %v, want %v as Match", q.Name, m.Score, ok, ms[0].Score)
	}
}

// A record held in script only, with two words written joined after a
// letter that does not connect (ظاهرعويس), is indexed cut there too; no
// cut inside or before an article (سعيدالله is one name), none in Abd.
func TestSplitReadings(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"حسن ظاهرعويس", []string{"حسن ظاهر عويس"}},
		{"سعيدالله جان", nil},
		{"نصرالدين", nil},
		{"عبدالرحمن", nil},
		{"محمد علي", nil}, // no word of six letters
	}
	for _, tt := range tests {
		if got := appendSplitReadings(nil, tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("appendSplitReadings(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	recs := []Record{{ID: "d:1", Schema: "Person", Names: []string{"حسن ظاهرعويس"}}}
	for i := range 200 {
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Person",
			Names: []string{"Mohammed Ahmad " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	ms := ix.Match(Query{Name: "HASSAN DAHIR AWEYS"}, Options{})
	if len(ms) == 0 || ms[0].EntityID != "d:1" {
		t.Errorf("Match(HASSAN DAHIR AWEYS) = %+v, want d:1", ms)
	}
}
