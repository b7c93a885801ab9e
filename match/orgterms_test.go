package match

import "testing"

// In an organisation's name, a word of the kind of body meets its
// translation (normalize/orgterms.txt): the UN list's own pairs of names
// in two languages. A person's name has no such words, and a shared
// translation does not make two different names one.
func TestOrgTermsAcrossLanguages(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		schema, q, r string
		min, max     float64
	}{
		{"Organization", "Soldiers of Aqsa", "JUND AL AQSA", 0.8, 1},
		{"Organization", "Roshan Sarafi", "ROSHAN MONEY EXCHANGE", 0.7, 1},
		{"Organization", "Sham al-Islam Movement", "HARAKAT SHAM AL-ISLAM", 0.9, 1},
		{"Organization", "Hizballah Brigades-Iraq", "KATA'IB HIZBALLAH", 0.8, 1},
		{"Organization", "Army of Mohammed", "JAISH-I-MOHAMMED", 0.3, 1},
		{"Organization", "Jaysh al-Islam", "ARMY OF ISLAM", 0.7, 1},
		{"Person", "Jaysh Islam", "Army Islam", 0, 0.5},
		{"Organization", "Soldiers of Aqsa", "JUND AL-KHILAFAH", 0, 0.5},
		{"Organization", "Harakat ul-Jihad", "ISLAMIC JIHAD GROUP", 0, 0.8},
	}
	for _, tt := range tests {
		m, ok := ix.Score(Query{Name: tt.q, Schema: tt.schema}, Record{ID: "r", Schema: tt.schema, Names: []string{tt.r}}, Options{Threshold: 1e-9})
		if !ok && tt.min > 0 || m.Score < tt.min || m.Score > tt.max {
			t.Errorf("%s %q ~ %q = %.3f (%v), want [%.2f, %.2f]", tt.schema, tt.q, tt.r, m.Score, ok, tt.min, tt.max)
		}
	}
}
