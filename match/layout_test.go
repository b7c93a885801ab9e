package match

import (
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

// A name part is 16 bytes without a pointer, an entry 136 bytes: at
// millions of records they are a large share of the index
// (docs/benchmarks.md, "Index ready time"), and a pointer in a part would
// make the collector scan them.
func TestPartLayout(t *testing.T) {
	if n := unsafe.Sizeof(part{}); n > 16 {
		t.Errorf("part is %d bytes, want at most 16", n)
	}
	if n := unsafe.Sizeof(entry{}); n > 136 {
		t.Errorf("entry is %d bytes, want at most 136", n)
	}
	ty := reflect.TypeOf(part{})
	for i := range ty.NumField() {
		switch ty.Field(i).Type.Kind() {
		case reflect.String, reflect.Slice, reflect.Pointer, reflect.Map, reflect.Interface:
			t.Errorf("part.%s is a %s: parts hold no pointers", ty.Field(i).Name, ty.Field(i).Type)
		}
	}
}

// Parts the index does not number (a record scored but not indexed, or
// the values a viewer adds to an indexed record) keep their own text and
// skeleton: the explanation shows them as the record spells them.
func TestUnindexedPartsKeepTheirText(t *testing.T) {
	ix := testIndex()
	candidates := func(m Match) []string {
		var out []string
		for _, f := range m.Explanation {
			if f.Feature == "name.part" {
				out = append(out, f.Candidate)
			}
		}
		slices.Sort(out)
		return out
	}
	// "kwerts" is neither a text nor a skeleton of the index, "zidan" a
	// skeleton but not a text, "mohammed" both.
	m, ok := ix.Score(Query{Name: "Mohammed Kwerts Zidan"}, Record{ID: "new", Schema: "Person", Names: []string{"Mohammed Kwerts Zidan"}}, Options{})
	if !ok {
		t.Fatal("no match")
	}
	if got, want := candidates(m), []string{"kwerts", "mohammed", "zidan"}; !slices.Equal(got, want) {
		t.Errorf("parts %q, want %q", got, want)
	}
	v := View{Include: []string{"x:3"}, Extra: func(id string) []Record {
		if id == "x:3" {
			return []Record{{Names: []string{"Qorbonali Yxkarimov"}}}
		}
		return nil
	}}
	hit, ok := found(ix.MatchView(Query{Name: "Qorbonali Yxkarimov"}, Options{}, v), "x:3")
	if !ok {
		t.Fatal("the viewer's alias did not match")
	}
	if got, want := candidates(hit), []string{"qorbonali", "yxkarimov"}; !slices.Equal(got, want) {
		t.Errorf("parts %q, want %q", got, want)
	}
}
