package ftm

import (
	"bytes"
	"strings"
	"testing"

	"concord"
)

const caseExport = `{"id":"case-us-1","schema":"Case","properties":{"location":["al-Hol camp"],"locationType":["camp"],"subject":["det-us-1"]}}
{"id":"det-us-1","schema":"Detainee","properties":{"name":["Amina Quraishi"],"birthDate":["1994-03-02"],"nationality":["fr"],"case":["case-us-1"]}}
{"schema":"WorkflowEvent","seq":1,"record":"case-us-1","subject":"det-us-1","kind":"repatriation","state":"identified","date":"2026-01-05","actor":"us-analyst","member":"us"}
`

func TestReadCases(t *testing.T) {
	var es []*concord.Entity
	var evs []*concord.WorkflowEvent
	err := ReadCases(strings.NewReader(caseExport), "cases.jsonl", func(e *concord.Entity) error { es = append(es, e); return nil },
		func(e *concord.WorkflowEvent) error { evs = append(evs, e); return nil })
	if err != nil || len(es) != 2 || len(evs) != 1 || evs[0].State != concord.StepIdentified || es[1].First("name") != "Amina Quraishi" {
		t.Fatalf("%v %v %v", err, es, evs)
	}
	for _, bad := range []struct{ in, want string }{
		{`{"id":"p1","schema":"Person","properties":{"name":["x"]}}`, "cases.jsonl:1: p1: a case export holds"},
		{caseExport + `{"schema":"WorkflowEvent","record":"case-us-1"}`, "cases.jsonl:4: history line: record, kind and state are required"},
		{"\n\n[1,2]", "cases.jsonl:3: not a JSON object"},
		{`{"id":"d","schema":"Detainee","properties":{"colour":["x"]}}`, `cases.jsonl:1: entity d: schema Detainee has no property "colour"`},
	} {
		err := ReadCases(strings.NewReader(bad.in), "cases.jsonl", func(*concord.Entity) error { return nil }, func(*concord.WorkflowEvent) error { return nil })
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.in, err, bad.want)
		}
	}
}

// FuzzReadCases: any input is read or refused with a position, never a
// panic.
func FuzzReadCases(f *testing.F) {
	f.Add([]byte(caseExport))
	f.Add([]byte(`{"schema":"WorkflowEvent","record":"r","kind":"case","state":"closed","documents":["a"]}`))
	f.Add([]byte("{\"id\":\"k\",\"schema\":\"Kinship\",\"properties\":{\"person\":[\"a\"],\"relative\":[\"b\"]}}\n\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := ReadCases(bytes.NewReader(b), "f", func(*concord.Entity) error { return nil }, func(*concord.WorkflowEvent) error { return nil })
		if err != nil && !strings.HasPrefix(err.Error(), "f:") {
			t.Errorf("an error without its position: %v", err)
		}
	})
}
