package search_test

import (
	"reflect"
	"slices"
	"testing"

	"concord/internal/search"
	"concord/match"
)

// Apply keeps merged records right as list records change, arrive and
// go, and ends where a rebuild from the store would.
func TestApplyKeepsMergedRecordsRight(t *testing.T) {
	f := newFixture(t, "sqlite")
	f.list("un", [3]string{"un-1", "Abdulrahman Qasim Haddad", "1975"}, [3]string{"un-2", "Omar Farouk Bashir", "1966"})
	f.list("eu", [3]string{"eu-1", "Haddad Abdulrahman Qasim", "1975-02-03"})
	svc, err := search.New(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	q := match.Query{Name: "Abdulrahman Qasim Haddad"}
	steps := []struct {
		name    string
		apply   func()
		changed []string
		want    [][]string // refs of each result, best first
	}{
		{"merged at start", func() {}, nil, [][]string{{"un:un-1", "eu:eu-1"}}},
		{"the EU record's birth date no longer agrees", func() {
			f.list("eu", [3]string{"eu-1", "Haddad Abdulrahman Qasim", "1960"})
		}, []string{"eu-1"}, [][]string{{"eu:eu-1"}, {"un:un-1"}}},
		{"it agrees again", func() {
			f.list("eu", [3]string{"eu-1", "Haddad Abdulrahman Qasim", "1975"})
		}, []string{"eu-1"}, [][]string{{"un:un-1", "eu:eu-1"}}},
		{"a third list holds the same person", func() {
			f.list("xl", [3]string{"xl-9", "Qasim Haddad Abdulrahman", "1975-02-03"})
		}, []string{"xl-9"}, [][]string{{"un:un-1", "eu:eu-1", "xl:xl-9"}}},
		{"the UN record goes: the others stay merged", func() {
			f.list("un", [3]string{"un-2", "Omar Farouk Bashir", "1966"})
		}, []string{"un-1"}, [][]string{{"eu:eu-1", "xl:xl-9"}}},
		{"the EU record goes too", func() {
			f.list("eu", [3]string{"eu-5", "Omar Farouk Bashir", "1966"})
		}, []string{"eu-1", "eu-5"}, [][]string{{"xl:xl-9"}}},
	}
	for _, st := range steps {
		st.apply()
		if err := svc.Apply(f.ctx, st.changed); err != nil {
			t.Fatal(err)
		}
		var got [][]string
		for _, m := range f.match(svc, viewerUZ, q, match.Options{}) {
			got = append(got, m.Refs)
		}
		slices.SortFunc(got, func(a, b []string) int { return len(b) - len(a) })
		if !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s: refs %v, want %v", st.name, got, st.want)
		}
		fresh, err := search.New(f.ctx, f.db)
		if err != nil {
			t.Fatal(err)
		}
		for _, qq := range []match.Query{q, {Name: "Omar Farouk Bashir", BirthDate: "1966"}} {
			if a, b := f.match(svc, viewerUZ, qq, match.Options{}), f.match(fresh, viewerUZ, qq, match.Options{}); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %q after Apply\n%+v\nafter a rebuild\n%+v", st.name, qq.Name, a, b)
			}
		}
	}
}
