package search

import (
	"reflect"
	"slices"
	"testing"

	"concord/match"
)

func mergeFixture() []match.Record {
	return []match.Record{
		{ID: "un-1", Schema: "Person", Names: []string{"Eric BADEGE"}, BirthDates: []string{"1971"}, Refs: []string{"un:CDi.001"}},
		{ID: "un-2", Schema: "Person", Names: []string{"Mohammed Ali"}, BirthDates: []string{"1980"}, Refs: []string{"un:X.2"}},
		{ID: "un-3", Schema: "Organization", Names: []string{"Egyptian Islamic Jihad", "Al-Qaida Network"}, Refs: []string{"un:QDe.003"}},
		{ID: "un-4", Schema: "Organization", Names: []string{"Al-Qaida Network"}, Refs: []string{"un:QDe.004"}},
		{ID: "ofac-1", Schema: "Person", Names: []string{"BADEGE, Eric"}, BirthDates: []string{"1971-01-01"}, Refs: []string{"ofac:15718"}},
		{ID: "ofac-2", Schema: "Person", Names: []string{"ALI, Mohammed"}, BirthDates: []string{"1955"}, Refs: []string{"ofac:2"}}, // same name, other person
		{ID: "ofac-3", Schema: "Organization", Names: []string{"AL-QAIDA NETWORK", "Egyptian Islamic Jihad"}, Refs: []string{"ofac:6366"}},
		{ID: "ofac-4", Schema: "Person", Names: []string{"Someone Else"}, Identifiers: []string{"A 123-456"}, Refs: []string{"ofac:4"}},
		{ID: "un-5", Schema: "Person", Names: []string{"Else Someone"}, Identifiers: []string{"a123456"}, Refs: []string{"un:X.5"}},
		// Respelt, undated, three parts: the same nationality links them,
		// another does not.
		{ID: "un-6", Schema: "Person", Names: []string{"Rashid Taan Kathim"}, Nationalities: []string{"iq"}, Refs: []string{"un:IQi.049"}},
		{ID: "ofac-6", Schema: "Person", Names: []string{"KAZIM, Rashid Taan"}, Nationalities: []string{"iq"}, Refs: []string{"ofac:7891"}},
		{ID: "un-7", Schema: "Person", Names: []string{"Hamid Jassim Khaleel"}, Nationalities: []string{"iq"}, Refs: []string{"un:X.7"}},
		{ID: "ofac-7", Schema: "Person", Names: []string{"KHALIL, Hamid Jasim"}, Nationalities: []string{"sy"}, Refs: []string{"ofac:7"}},
	}
}

func TestMerge(t *testing.T) {
	out, groups := Merge(mergeFixture())
	got := map[string][]string{}
	for _, r := range out {
		got[r.ID] = r.Refs
	}
	want := map[string][]string{
		"un-1": {"un:CDi.001", "ofac:15718"},
		"un-2": {"un:X.2"}, "ofac-2": {"ofac:2"},
		"un-3":   {"un:QDe.003", "ofac:6366"}, // one UN record per group, never two
		"un-4":   {"un:QDe.004"},
		"ofac-4": {"ofac:4", "un:X.5"},
		"un-6":   {"un:IQi.049", "ofac:7891"},
		"un-7":   {"un:X.7"}, "ofac-7": {"ofac:7"},
	}
	if len(got) != len(want) {
		t.Errorf("got %d records, want %d: %v", len(got), len(want), got)
	}
	for id, refs := range want {
		if !slices.Equal(got[id], refs) {
			t.Errorf("%s: refs %v, want %v", id, got[id], refs)
		}
	}
	if !slices.Equal(groups["un-1"], []string{"un-1", "ofac-1"}) {
		t.Errorf("groups = %v", groups)
	}
}

// Merged in place, the records are those Merge returns, and the records
// of every group are given back as they were.
func TestMergeInPlace(t *testing.T) {
	want, wantGroups := Merge(mergeFixture())
	orig := map[string]match.Record{}
	for _, r := range mergeFixture() {
		orig[r.ID] = r
	}
	got, groups, parts := mergeInPlace(mergeFixture())
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(groups, wantGroups) {
		t.Fatalf("in place:\n%+v\n%v\nwant\n%+v\n%v", got, groups, want, wantGroups)
	}
	n := 0
	for _, ids := range groups {
		for _, id := range ids {
			n++
			if !reflect.DeepEqual(parts[id], orig[id]) {
				t.Errorf("%s: part %+v, want %+v", id, parts[id], orig[id])
			}
		}
	}
	if len(parts) != n {
		t.Errorf("%d parts, want %d", len(parts), n)
	}
}
