package match

import (
	"slices"
	"testing"
)

func TestCyrillicReadings(t *testing.T) {
	tests := []struct{ name, german, french string }{
		{"Евгений Пригожин", "jewgeni prigoschin", "ievgueni prigojine"},
		{"Борис Жуков", "boris schukow", "boris joukov"},
		{"Сергей Шойгу", "sergej schojgu", "sergueï choïgou"},
		{"Юрий Чайка", "juri tschajka", "iouri tchaïka"},
		{"Елена Щукина", "jelena schtschukina", "ielena chtchoukina"},
		{"Илья Яшин", "ilja jaschin", "ilia iachine"},
	}
	for _, tt := range tests {
		got := cyrillicReadings(nil, tt.name)
		if want := []string{tt.german, tt.french}; !slices.Equal(got, want) {
			t.Errorf("cyrillicReadings(%q) = %q, want %q", tt.name, got, want)
		}
	}
	if got := cyrillicReadings(nil, "Boris Zhukov"); got != nil {
		t.Errorf("a Latin name got readings %q", got)
	}
	// A Latin query by either table meets a record held in Cyrillic only;
	// another family name sharing the given name stays apart.
	recs := []Record{
		{ID: "r:1", Schema: "Person", Names: []string{"Евгений Пригожин"}},
		{ID: "r:2", Schema: "Person", Names: []string{"Борис Жуков"}},
	}
	for i := range 200 {
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Person",
			Names: []string{"Mohammed Ahmad " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq"}})
	}
	ix := Build(slices.Values(recs))
	for q, want := range map[string]string{"Jewgeni Prigoschin": "r:1", "Evgueni Prigojine": "r:1", "Boris Schukow": "r:2", "Boris Joukov": "r:2", "Jewgeni Schukow": ""} {
		ms := ix.Match(Query{Name: q}, Options{})
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != want {
			t.Errorf("Match(%q) = %+v, want %q", q, ms, want)
		}
	}
}
