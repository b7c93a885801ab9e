package match

import (
	"slices"
	"testing"
)

func TestOrgTranslation(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"الجماعة الاسلامية المسلحة", "group islamic armed"},
		{"شبكة محمد جمال", "network mhmd jmal"},
		// The conjunction and the prepositions joined to the next word,
		// with its article: والشام, لأهل.
		{"الدولة الإسلامية في العراق والشام - ليبيا", "state islamic in iraq and levant - libya"},
		{"جبهة النصرة لأهل الشام", "front nsrh for people levant"},
		{"مكتب حنيفة للصرافة", "office hnifh for exchange"}, // لل: ل before the article
		{"حركة التوحيد والجهاد في غرب إفريقيا", "movement unity and jhad in west africa"},
		// Persian and Urdu letters are read as the Arabic ones.
		{"شبکه حقانی", "network hqani"},
		// English words in Urdu and Pashto spelling, Pashto او (and).
		{"طارق گیدڑ گروپ", "tarq gidr group"},
		{"راحت لمتد", "raht limited"},
		{"حاجی بصیر او ضرجمیل کمپنی حواله", "haji bsir and drjmil company hualh"},
		// No organisation word, or no Arabic script: no reading.
		{"محمد جمال", ""},
		{"ARMED ISLAMIC GROUP", ""},
		// والي (Wali) is a name, not "and" with a word of one letter.
		{"والي جان", ""},
	} {
		if got := orgTranslation(tt.in); got != tt.want {
			t.Errorf("orgTranslation(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// An organisation's name in Arabic script meets its English name both
// ways, as a translated reading that scores a little less than a spelling
// would; a person's name is never translated.
func TestTranslatedOrganisations(t *testing.T) {
	recs := []Record{
		{ID: "o:1", Schema: "Organization", Names: []string{"الجماعة الاسلامية المسلحة"}},
		{ID: "o:2", Schema: "Organization", Names: []string{"LIBYAN ISLAMIC FIGHTING GROUP"}},
		{ID: "o:3", Schema: "Organization", Names: []string{"MUHAMMAD JAMAL NETWORK"}},
		{ID: "o:4", Schema: "Organization", Names: []string{"ISLAMIC JIHAD UNION"}},
		{ID: "o:5", Schema: "Organization", Names: []string{"AL-ITIHAAD AL-ISLAMIYA"}},
		{ID: "p:1", Schema: "Person", Names: []string{"جيش محمد"}},
	}
	for i := range 200 {
		recs = append(recs, Record{ID: "bg:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Schema: "Organization",
			Names: []string{"Trading " + string(rune('A'+i%26)) + "x" + string(rune('a'+i/26)) + "zq Company"}})
	}
	ix := Build(slices.Values(recs))
	for _, tt := range []struct {
		q    Query
		want string
	}{
		{Query{Name: "ARMED ISLAMIC GROUP", Schema: "Organization"}, "o:1"},
		{Query{Name: "الجماعة الاسلامية المقاتلة الليبية", Schema: "Organization"}, "o:2"},
		{Query{Name: "شبكة محمد جمال", Schema: "Organization"}, "o:3"},
		// The transliteration, undiscounted, ranks before a translation
		// that leaves a word of the record unmatched (jihad).
		{Query{Name: "الاتحاد الاسلامي", Schema: "Organization"}, "o:5"},
		// Another country's group of the same words is not the group.
		{Query{Name: "الجماعة الاسلامية المقاتلة المغربية", Schema: "Organization"}, ""},
		// A person's name is not read as one.
		{Query{Name: "ARMY MUHAMMAD", Schema: "Person"}, ""},
	} {
		ms := ix.Match(tt.q, Options{})
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != tt.want {
			t.Errorf("Match(%q) = %q (%v), want %q", tt.q.Name, got, ms, tt.want)
			continue
		}
		if tt.want == "" || tt.want == "o:5" {
			continue
		}
		m := ms[0]
		if m.Score > translatedFactor || m.Explanation[0].Feature != "name.translated" {
			t.Errorf("Match(%q) = %.4f %q, want a translated reading's hit, at most %v", tt.q.Name, m.Score, m.Explanation[0].Feature, translatedFactor)
		}
		if s, ok := ix.Score(tt.q, recs[slices.IndexFunc(recs, func(r Record) bool { return r.ID == tt.want })], Options{}); !ok || s.Score != m.Score {
			t.Errorf("Score(%q, %s) = %.4f %v, Match says %.4f", tt.q.Name, tt.want, s.Score, ok, m.Score)
		}
	}
}
