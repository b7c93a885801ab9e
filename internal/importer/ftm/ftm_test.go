package ftm

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
)

var update = flag.Bool("update", false, "rewrite golden files")

// unEntities builds entities shaped like the UN importer's: a person with
// name parts, original-script name, weak aliases, year-only and exact birth
// dates, documents, an organisation, and provenance timestamps.
func unEntities() []*concord.Entity {
	seen := time.Date(2026, 2, 27, 10, 30, 0, 0, time.UTC)
	p := concord.NewEntity("un-QDi.299", "Person")
	p.Add("name", "ABU BAKR AL-BAGHDADI AL-HUSAYNI AL-QURASHI")
	p.Add("firstName", "IBRAHIM")
	p.Add("secondName", "AWWAD")
	p.Add("lastName", "AL-BADRI")
	p.Add("alias", "إبراهيم عواد إبراهيم علي البدري", "Abu Du'a", "Dr. Ibrahim")
	p.Add("weakAlias", "Abu Bakr")
	p.Add("birthDate", "1971", "1971-01-01")
	p.Add("birthPlace", "Samarra, Iraq")
	p.Add("nationality", "iq")
	p.Add("program", "ISIL (Da'esh) & Al-Qaida")
	p.Add("notes", "Review pursuant to Security Council resolution 2368 (2017) was concluded on 29 Nov 2019. <b>&amp;</b>")
	p.Datasets = []string{"un"}
	p.Refs = []string{"un:QDi.299"}
	p.FirstSeen, p.LastSeen = seen, seen.Add(48*time.Hour)
	doc := concord.NewEntity("un-QDi.299-doc-1", "Passport")
	doc.Add("holder", p.ID)
	doc.Add("number", "A1234567")
	doc.Add("country", "iq")
	doc.Datasets = []string{"un"}
	org := concord.NewEntity("un-QDe.115", "Organization")
	org.Add("name", "ISLAMIC STATE IN IRAQ AND THE LEVANT – KHORASAN")
	org.Add("alias", "ISIL-K", "ISIS-K", "داعش خراسان")
	org.FirstSeen = seen.In(time.FixedZone("", 3*3600))
	bare := concord.NewEntity("x-1", "Thing")
	return []*concord.Entity{p, doc, org, bare}
}

func ofacEntities(t *testing.T) []*concord.Entity {
	t.Helper()
	var out []*concord.Entity
	f := ofaccsv.Files{SDN: "../ofaccsv/testdata/sdn.csv", Alt: "../ofaccsv/testdata/alt.csv", Add: "../ofaccsv/testdata/add.csv"}
	_, err := ofaccsv.Read(f, func(r importer.Record) error {
		for _, e := range r.Entities {
			e.Datasets = []string{"ofac"}
			e.Refs = []string{r.Ref}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func export(t *testing.T, ents []*concord.Entity) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range ents {
		if err := Write(&buf, e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func reimport(t *testing.T, data []byte) []*concord.Entity {
	t.Helper()
	var out []*concord.Entity
	if err := Read(bytes.NewReader(data), "export.jsonl", func(e *concord.Entity) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for name, ents := range map[string][]*concord.Entity{"un": unEntities(), "ofac": ofacEntities(t)} {
		t.Run(name, func(t *testing.T) {
			first := export(t, ents)
			back := reimport(t, first)
			if len(back) != len(ents) {
				t.Fatalf("%d entities back, want %d", len(back), len(ents))
			}
			for i, e := range back {
				if e.ID != ents[i].ID || e.Schema != ents[i].Schema || !e.FirstSeen.Equal(ents[i].FirstSeen) || !e.LastSeen.Equal(ents[i].LastSeen) {
					t.Errorf("entity %d: got %s %s, want %s %s", i, e.ID, e.Schema, ents[i].ID, ents[i].Schema)
				}
			}
			second := export(t, back)
			if !bytes.Equal(first, second) {
				t.Errorf("export → import → export differs:\n%s\n---\n%s", first, second)
			}
			golden := filepath.Join("testdata", name+".golden.jsonl")
			if *update {
				if err := os.WriteFile(golden, first, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, want) {
				t.Errorf("export differs from %s; rerun with -update and review", golden)
			}
		})
	}
}

func TestWriteShape(t *testing.T) {
	e := concord.NewEntity("p1", "Person")
	e.Add("name", "Zed <&>")
	e.Add("alias", "B", "A")
	e.Properties["notes"] = []string{"", "x", "x"} // set directly: normalised on the way out
	e.Properties["gender"] = nil
	var buf bytes.Buffer
	if err := Write(&buf, e); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"p1","schema":"Person","caption":"Zed <&>","properties":{"alias":["B","A"],"name":["Zed <&>"],"notes":["x"]},"datasets":[],"referents":[]}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
	for _, bad := range []*concord.Entity{
		concord.NewEntity("", "Person"),
		concord.NewEntity("x", "Martian"),
		{ID: "x", Schema: "Address", Properties: map[string][]string{"birthDate": {"1990"}}},
		{ID: "x", Schema: "Person", Properties: map[string][]string{"name": {"\xff"}}},
	} {
		if err := Write(&buf, bad); err == nil {
			t.Errorf("Write(%+v): no error", bad)
		}
	}
}

// An entity as OpenSanctions exports it, with fields Concord does not keep.
const openSanctionsLine = `{"id": "NK-22fCfe7Mp7dnfhMPR8uGsx", "caption": "Abu Bakr al-Baghdadi", "schema": "Person", "properties": {"name": ["Abu Bakr al-Baghdadi"], "nationality": ["iq"], "topics": ["sanction"]}, "referents": ["un-sc-sanctions-QDi.299"], "datasets": ["un_sc_sanctions"], "first_seen": "2023-01-05T11:51:24", "last_seen": "2026-02-27T00:12:02", "last_change": "2025-01-01T00:00:00", "target": true}`

func TestReadOpenSanctions(t *testing.T) {
	ents := reimport(t, []byte("\n"+openSanctionsLine+"\r\n\n"))
	if len(ents) != 1 {
		t.Fatalf("%d entities", len(ents))
	}
	e := ents[0]
	if e.First("nationality") != "iq" || e.Datasets[0] != "un_sc_sanctions" || e.Refs[0] != "un-sc-sanctions-QDi.299" {
		t.Errorf("got %+v", e)
	}
	if want := time.Date(2023, 1, 5, 11, 51, 24, 0, time.UTC); !e.FirstSeen.Equal(want) {
		t.Errorf("first_seen %v", e.FirstSeen)
	}
}

func TestReadErrors(t *testing.T) {
	good := `{"id":"a","schema":"Person","properties":{"name":["A"]}}` + "\n"
	cases := []struct{ name, in, want string }{
		{"bad json", good + "{\"id\":\n", "in.jsonl:2: not an FtM entity"},
		{"not an object", good + good + "[1]\n", "in.jsonl:3: not an FtM entity"},
		{"unknown schema", `{"id":"a","schema":"Martian"}`, "in.jsonl:1: entity a: unknown schema \"Martian\""},
		{"unknown prop", good + `{"id":"b","schema":"Address","properties":{"birthDate":["1990"]}}`, "in.jsonl:2: entity b: schema Address has no property \"birthDate\""},
		{"invalid utf-8", good + "\n" + `{"id":"c","schema":"Person","properties":{"name":["` + "\xc3\x28" + `"]}}`, "in.jsonl:3: invalid UTF-8"},
		{"no id", `{"schema":"Person"}`, "in.jsonl:1: entity has no id"},
		{"trailing garbage", good[:len(good)-1] + " x\n", "in.jsonl:1: not an FtM entity"},
		{"bad time", `{"id":"a","schema":"Person","first_seen":"yesterday"}`, "in.jsonl:1: entity a: first_seen"},
		{"scalar value", `{"id":"a","schema":"Person","properties":{"name":"A"}}`, "in.jsonl:1: not an FtM entity"},
		{"NUL in a value", good + `{"id":"d","schema":"Person","properties":{"name":["A","B\u0000C"]}}`, "in.jsonl:2: entity d: properties.name[1]: contains a NUL byte"},
		{"not a date", `{"id":"e","schema":"Person","properties":{"birthDate":["not a date"]}}`, `in.jsonl:1: entity e: properties.birthDate[0]: "not a date" is not a date`},
		{"a 1 MB id", `{"id":"` + strings.Repeat("x", 1<<20) + `","schema":"Person"}`, "in.jsonl:1: id: 1048576 bytes, at most 128"},
		{"an id with a space", `{"id":"a b","schema":"Person"}`, `in.jsonl:1: id: "a b": want letters`},
		{"a long dataset", `{"id":"f","schema":"Person","datasets":["` + strings.Repeat("d", 300) + `"]}`, "in.jsonl:1: entity f: datasets[0]: 300 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Read(strings.NewReader(c.in), "in.jsonl", func(*concord.Entity) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var ce *concord.Error
			if !errors.As(err, &ce) || ce.Code != concord.EINVALID {
				t.Errorf("not an EINVALID concord.Error: %#v", err)
			}
		})
	}
	stop := errors.New("stop")
	if err := Read(strings.NewReader(good+good), "in.jsonl", func(*concord.Entity) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error = %v", err)
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte(openSanctionsLine))
	f.Add([]byte(`{"id":"a","schema":"Person","properties":{"name":["A","A",""],"alias":[]},"first_seen":"2026-01-01T00:00:00.5+02:00"}`))
	f.Add([]byte("{\"id\":\"\\u00e9\",\"schema\":\"Thing\"}\n{\"id\":\"b\",\"schema\":\"Address\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ents []*concord.Entity
		if err := Read(bytes.NewReader(data), "fuzz", func(e *concord.Entity) error { ents = append(ents, e); return nil }); err != nil {
			return
		}
		var first bytes.Buffer
		for _, e := range ents {
			if err := Write(&first, e); err != nil {
				t.Fatalf("Write refused what Read accepted: %v", err)
			}
		}
		var back []*concord.Entity
		if err := Read(bytes.NewReader(first.Bytes()), "export", func(e *concord.Entity) error { back = append(back, e); return nil }); err != nil {
			t.Fatalf("Read refused what Write wrote: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		for _, e := range back {
			if err := Write(&second, e); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("not a fixpoint:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}
