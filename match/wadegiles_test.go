package match

import "testing"

func TestWadeGiles(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"毛泽东", "mao tse-tung"},
		{"邓小平", "teng hsiao-ping"},
		{"周恩来", "chou en-lai"},
		{"Mao Tse-tung", "mao zedong"},
		{"Teng Hsiao-p'ing", "deng xiaoping"},
		{"Chou En-lai", "zhou enlai"},
		{"Jean-Pierre Dubois", ""},
		{"Abu Bakr al-Baghdadi", ""},
	} {
		got := hanReadings(tc.in)
		if got == "" {
			got = wadeGilesReading(tc.in)
		}
		if got != tc.want {
			t.Errorf("reading(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	ix := Build(func(yield func(Record) bool) {
		yield(Record{ID: "a", Schema: "Person", Names: []string{"Mao Zedong"}})
		yield(Record{ID: "b", Schema: "Person", Names: []string{"Teng Hsiao-ping"}})
		yield(Record{ID: "c", Schema: "Person", Names: []string{"Chou En-lai"}})
	})
	for q, want := range map[string]string{"Mao Tse-tung": "a", "毛泽东": "a", "Deng Xiaoping": "b", "邓小平": "b", "Zhou Enlai": "c"} {
		ms := ix.Match(Query{Name: q}, Options{})
		if len(ms) == 0 || ms[0].EntityID != want {
			t.Errorf("Match(%q) = %+v, want %s", q, ms, want)
		}
	}
}
