package match
import ("testing";"fmt";"os";"strings")
func TestXCand(t *testing.T) {
	q := os.Getenv("XQ")
	if q == "" { t.Skip() }
	recs := append(loadUN(t), loadOFAC(t)...)
	ix := Build(func(yield func(Record) bool) { for _, r := range recs { if !yield(r.Record) { return } } })
	s := ix.getScratch()
	ix.prepQuery(s, Query{Name: q})
	for _, qp := range s.qparts { fmt.Printf("%+v ex=%d near=%d\n", qp, len(ix.keys.Exact(qp.key)), len(ix.keys.Near(qp.key))) }
	ix.candidates(s)
	for _, c := range s.cands { fmt.Println(c.acc, ix.slots[c.slot].id, ix.slots[c.slot].caption) }
	want := os.Getenv("XW")
	for _, d := range s.touched { if strings.Contains(ix.slots[d].id, want) { fmt.Println("touched", s.acc[d], ix.slots[d].id) } }
	fmt.Println(len(s.touched))
}
