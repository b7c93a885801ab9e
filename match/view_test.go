package match

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// found returns the match for id, if any.
func found(ms []Match, id string) (Match, bool) {
	for _, m := range ms {
		if m.EntityID == id {
			return m, true
		}
	}
	return Match{}, false
}

func TestMatchView(t *testing.T) {
	ix := testIndex()
	alias := []Record{{Names: []string{"Zoltan Kwiatkowski"}, Refs: []string{"es:x2"}}}
	date := []Record{{BirthDates: []string{"1985-06-01"}}}
	outside := Record{ID: "m:1", Schema: "Person", Caption: "Mohamed Ali Karimow", Names: []string{"Mohamed Ali Karimow"}}
	extra := func(id string, rs []Record) func(string) []Record {
		return func(x string) []Record {
			if x == id {
				return rs
			}
			return nil
		}
	}
	tests := []struct {
		name string
		q    Query
		v    View
		want string // the top id; "" for no hit
		// cand is a value the explanation must show
		cand string
	}{
		{"an alias the reader sees, found through Include", Query{Name: "Zoltan Kwiatkowski"},
			View{Extra: extra("x:2", alias), Include: []string{"x:2"}}, "x:2", "Zoltan Kwiatkowski"},
		{"the same alias without Include: no candidate", Query{Name: "Zoltan Kwiatkowski"},
			View{Extra: extra("x:2", alias)}, "", ""},
		{"a birth date the reader sees lifts a hit over the threshold", Query{Name: "Mohamed Ali Karimov", BirthDate: "1985-06-01"},
			View{Extra: extra("x:3", date)}, "x:3", "1985-06-01"},
		{"a record outside the index", Query{Name: "Mohamed Ali Karimow", Schema: "Person"},
			View{Records: []Record{outside}}, "m:1", "Mohamed Ali Karimow"},
		{"a record outside the index, schema excluded", Query{Name: "Mohamed Ali Karimow", Schema: "Organization"},
			View{Records: []Record{outside}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := ix.MatchView(tt.q, Options{}, tt.v)
			got := ""
			if len(ms) > 0 {
				got = ms[0].EntityID
			}
			if got != tt.want {
				t.Fatalf("top %q, want %q: %+v", got, tt.want, ms)
			}
			if tt.cand != "" && !slices.ContainsFunc(ms[0].Explanation, func(f Feature) bool { return f.Candidate == tt.cand }) {
				t.Errorf("explanation lacks %q: %+v", tt.cand, ms[0].Explanation)
			}
		})
	}
}

// A view never changes the scores of the records it does not touch, nor
// part weights: the statistics are the index's.
func TestMatchViewKeepsStatistics(t *testing.T) {
	ix := testIndex()
	q := Query{Name: "Mohammed Ali Hassan", BirthDate: "1970"}
	opt := Options{Threshold: 0.01, Limit: 20}
	want := ix.Match(q, opt)
	var many []Record
	for i := range 50 {
		many = append(many, Record{ID: "m:" + string(rune('a'+i)), Schema: "Person", Names: []string{"Mohammed Ali Hassan"}})
	}
	got := ix.MatchView(q, opt, View{Records: many, Extra: func(string) []Record { return nil }})
	for _, w := range want {
		g, ok := found(got, w.EntityID)
		if !ok && len(got) < opt.Limit {
			t.Errorf("%s lost", w.EntityID)
		}
		if ok && !reflect.DeepEqual(g, w) {
			t.Errorf("%s changed:\n%+v\n%+v", w.EntityID, g, w)
		}
	}
	m, ok := found(got, "m:a")
	if !ok {
		t.Fatalf("outside record not matched: %+v", got)
	}
	x2, _ := found(want, "x:2")
	// The same name weighs as in the indexed record: fifty outside records
	// named alike do not make its parts common.
	if !reflect.DeepEqual(m.Explanation[:4], x2.Explanation[:4]) {
		t.Errorf("outside %+v vs indexed %+v", m, x2)
	}
	if zero := ix.MatchView(q, opt, View{}); !reflect.DeepEqual(zero, want) {
		t.Errorf("an empty view differs from Match")
	}
}

func TestCandidatesAndRecord(t *testing.T) {
	ix := testIndex()
	c := ix.Candidates(Query{Name: "Seif al Adel"})
	if !slices.Contains(c, "un:QDi.001") || len(c) > maxCandidates*len(readings("Seif al Adel", "")) {
		t.Errorf("candidates %v", c)
	}
	if c := ix.Candidates(Query{Name: "Al-Adl Trading", Schema: "Person"}); slices.Contains(c, "x:4") {
		t.Errorf("an organisation is a candidate for a person: %v", c)
	}
	if c := ix.Candidates(Query{Name: "...."}); len(c) != 0 {
		t.Errorf("no name, candidates %v", c)
	}
	r, ok := ix.Record("un:QDi.001")
	if !ok || !ix.Has("un:QDi.001") || ix.Has("nope") {
		t.Fatal("Record / Has")
	}
	if _, ok := ix.Record("nope"); ok {
		t.Error("Record of a missing id")
	}
	// The record scores outside the index exactly as indexed.
	q := Query{Name: "Seif al Adel", BirthDate: "1963", DocumentNumber: "A1234567", Gender: "male", Nationality: "eg"}
	in, _ := found(ix.Match(q, Options{}), "un:QDi.001")
	out, ok := ix.Score(q, r, Options{})
	if !ok || !reflect.DeepEqual(in, out) {
		t.Errorf("indexed %+v\nround trip %+v", in, out)
	}
}

func TestCombine(t *testing.T) {
	a := Record{ID: "a", Schema: "Person", Caption: "A", Names: []string{"x", "y"}, Refs: []string{"un:1"}}
	b := Record{ID: "b", Names: []string{"y", "z"}, WeakNames: []string{"w"}, BirthDates: []string{"1970"}, Gender: "male", Refs: []string{"eu:1"}}
	got := Combine([]Record{a, b})
	want := Record{ID: "a", Schema: "Person", Caption: "A", Names: []string{"x", "y", "z"}, WeakNames: []string{"w"},
		BirthDates: []string{"1970"}, Gender: "male", Refs: []string{"un:1", "eu:1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Combine = %+v", got)
	}
	if len(a.Names) != 2 {
		t.Error("Combine changed its first part")
	}
}

// Extra values are added to the indexed entry exactly as Combine adds them
// to the record.
func TestViewEntryIsCombine(t *testing.T) {
	ix := testIndex()
	extra := []Record{{Names: []string{"Abu Hafs al-Misri"}, WeakNames: []string{"Seif al Adel", "Abu Hafs"}, BirthDates: []string{"1961", "1963-04-11"},
		Nationalities: []string{"sy"}, Identifiers: []string{"B 7654321", "A 1234567"}, Refs: []string{"es:1"}}}
	r, _ := ix.Record("un:QDi.001")
	for _, q := range []Query{
		{Name: "Abu Hafs al-Misri", BirthDate: "1961", DocumentNumber: "B7654321", Nationality: "sy"},
		{Name: "Seif al Adel", BirthDate: "1963-04-11"},
		{Name: "Muhamad Ibrahim Makkawi", Gender: "male"},
	} {
		v := View{Include: []string{"un:QDi.001"}, Extra: func(id string) []Record {
			if id == "un:QDi.001" {
				return extra
			}
			return nil
		}}
		got, ok := found(ix.MatchView(q, Options{}, v), "un:QDi.001")
		want, wok := ix.Score(q, Combine(append([]Record{r}, extra...)), Options{})
		if ok != wok || !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\nview    %+v\ncombine %+v", q.Name, got, want)
		}
	}
}

// An index weighed by another scores with the other's part weights.
func TestWeighBy(t *testing.T) {
	base := testIndex()
	own := NewIndex()
	own.WeighBy(base)
	rec := Record{ID: "m:1", Schema: "Person", Caption: "Mohammed Ali Qurbanov", Names: []string{"Mohammed Ali Qurbanov"}}
	for i := range 30 { // common here, rare in base
		own.Upsert(Record{ID: "m:bg" + string(rune('a'+i)), Schema: "Person", Names: []string{"Qurbanov " + string(rune('A'+i)) + "zz"}})
	}
	own.Upsert(rec)
	q := Query{Name: "Mohammed Ali Qurbanov"}
	got, _ := found(own.Match(q, Options{}), "m:1")
	want, _ := found(base.MatchView(q, Options{}, View{Records: []Record{rec}}), "m:1")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("weighed by base:\n%+v\nscored in base:\n%+v", got, want)
	}
	alone := NewIndex()
	alone.Upsert(rec)
	for i := range 30 {
		alone.Upsert(Record{ID: "m:bg" + string(rune('a'+i)), Schema: "Person", Names: []string{"Qurbanov " + string(rune('A'+i)) + "zz"}})
	}
	if m, _ := found(alone.Match(q, Options{}), "m:1"); reflect.DeepEqual(m.Explanation, got.Explanation) {
		t.Errorf("own statistics give the same weights: the test proves nothing")
	}
}

func TestCompact(t *testing.T) {
	ix := testIndex()
	for i := range 50 {
		ix.Upsert(Record{ID: "x:2", Schema: "Person", Caption: "Mohammed Ali Hassan", Names: []string{"Mohammed Ali Hassan"}, BirthDates: []string{fmt.Sprint(1950 + i)}})
	}
	ix.Remove("x:3")
	if ix.Dead() != 51 {
		t.Fatalf("Dead %d", ix.Dead())
	}
	c := ix.Compact()
	if c.Dead() != 0 || c.Len() != ix.Len() {
		t.Errorf("compacted: %d dead, %d records (want %d)", c.Dead(), c.Len(), ix.Len())
	}
	for _, q := range []Query{{Name: "Seif al Adel"}, {Name: "Mohammed Ali Hassan", BirthDate: "1999"}, {Name: "Mohamed Ali Karimov"}, {Name: "Jamshid Yusupov"}} {
		if a, b := ix.Match(q, Options{Threshold: 0.3}), c.Match(q, Options{Threshold: 0.3}); !reflect.DeepEqual(a, b) {
			t.Errorf("%q:\nbefore %+v\nafter  %+v", q.Name, a, b)
		}
	}
}

func TestHolds(t *testing.T) {
	ix := testIndex()
	r, _ := ix.Record("un:QDi.001")
	if !ix.Holds(r) {
		t.Fatal("the index does not hold its own record")
	}
	changes := map[string]func(*Record){
		"another name":       func(r *Record) { r.Names = append(r.Names, "Abu Hafs") },
		"a name made weak":   func(r *Record) { r.WeakNames = append(r.WeakNames, r.Names[0]); r.Names = r.Names[1:] },
		"names reordered":    func(r *Record) { r.Names[0], r.Names[1] = r.Names[1], r.Names[0] },
		"another date":       func(r *Record) { r.BirthDates = append(r.BirthDates, "1970") },
		"another ref":        func(r *Record) { r.Refs = append(r.Refs, "es:1") },
		"another caption":    func(r *Record) { r.Caption = "X" },
		"another gender":     func(r *Record) { r.Gender = "female" },
		"another identifier": func(r *Record) { r.Identifiers = append(r.Identifiers, "B9876543") },
		"another id":         func(r *Record) { r.ID = "nope" },
	}
	for name, change := range changes {
		c, _ := ix.Record("un:QDi.001")
		change(&c)
		if ix.Holds(c) {
			t.Errorf("%s: Holds says unchanged", name)
		}
	}
}
