package stix_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
	"concord/internal/stix"
)

// schemas compiles the STIX 2.1 schemas of testdata, each under its $id so
// that their relative $refs resolve.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	ids := map[string]string{} // file stem → $id
	err := filepath.WalkDir("testdata/schemas", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return err
		}
		id := doc.(map[string]any)["$id"].(string)
		ids[strings.TrimSuffix(filepath.Base(path), ".json")] = id
		return c.AddResource(id, doc)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*jsonschema.Schema{}
	for stem, id := range ids {
		sch, err := c.Compile(id)
		if err != nil {
			t.Fatalf("compiling %s: %v", stem, err)
		}
		out[stem] = sch
	}
	return out
}

var seen = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// records are the UN list and made-up member records of every kind STIX
// carries: a wallet, an account, a passport and a media hash with their
// holder, and links.
func records(t *testing.T) []stix.Record {
	t.Helper()
	var recs []importer.Record
	if _, err := unxml.Read(seed.UNList(), seed.UNListName, func(r importer.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b := importer.Batch("un", "2026-02", seed.UNListName, recs, concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear, Seen: seen})
	var out []stix.Record
	for _, e := range concord.Assemble(b.Statements) {
		out = append(out, stix.Record{Entity: e, Handling: concord.TLPClear,
			Author: stix.Author{Key: "dataset:un", Name: "United Nations Security Council", Class: "organization"}})
	}
	mk := func(id, schema string, props map[string][]string) *concord.Entity {
		e := concord.NewEntity(id, schema)
		for k, v := range props {
			e.Add(k, v...)
		}
		e.Refs = []string{"fr:" + id}
		e.FirstSeen, e.LastSeen = seen, seen
		return e
	}
	fr := stix.Author{Key: "member:fr", Name: "France", Class: "organization"}
	for _, e := range []*concord.Entity{
		mk("fr-1", "Person", map[string][]string{"name": {"Abou Example"}, "birthDate": {"1990"}, "nationality": {"fr"}}),
		mk("fr-2", "Organization", map[string][]string{"name": {"Example Front"}, "topics": {"crime.terror"}}),
		mk("fr-3", "CryptoWallet", map[string][]string{"publicKey": {"bc1qexample'quote"}, "currency": {"BTC"}, "holder": {"fr-2"}}),
		mk("fr-4", "BankAccount", map[string][]string{"iban": {"IQ86RAFB123000000472910"}, "holder": {"fr-1"}}),
		mk("fr-5", "Passport", map[string][]string{"number": {"N1234567"}, "country": {"sy"}, "holder": {"fr-1"}}),
		mk("fr-6", "Media", map[string][]string{concord.PropSHA256: {strings.Repeat("ab", 32)}, concord.PropPDQHash: {strings.Repeat("f0", 32)}}),
		mk("fr-7", "Membership", map[string][]string{"member": {"fr-1"}, "organization": {"fr-2"}, "role": {"recruiter"}}),
		mk("fr-8", "UnknownLink", map[string][]string{"subject": {"fr-1"}, "object": {"un-QDi.001"}}),
	} {
		out = append(out, stix.Record{Entity: e, Handling: concord.TLPAmber, Author: fr})
	}
	return out
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		schema string
		props  map[string][]string
		want   string
	}{
		{"Person", map[string][]string{"name": {"A"}}, "identity"},
		{"Person", map[string][]string{"name": {"A"}, "program": {"UN 1267"}}, "threat-actor"},
		{"Person", map[string][]string{"name": {"A"}, "topics": {"sanction"}}, "threat-actor"},
		{"Organization", map[string][]string{"name": {"B"}, "topics": {"crime.terror"}}, "intrusion-set"},
		{"Organization", map[string][]string{"name": {"B"}, "program": {"ISIL (Da'esh) and Al-Qaida"}}, "intrusion-set"},
		{"Organization", map[string][]string{"name": {"B"}, "program": {"SDGT"}}, "threat-actor"},
		{"Company", map[string][]string{"name": {"C"}}, "identity"},
		{"Passport", map[string][]string{"number": {"N1"}}, "indicator"},
		{"Passport", map[string][]string{"country": {"sy"}}, ""},
		{"Membership", map[string][]string{"member": {"a"}, "organization": {"b"}}, "relationship"},
		{"Address", map[string][]string{"full": {"x"}}, ""},
		// Only the case operations serve these: never a bulk path.
		{"Person", map[string][]string{"name": {"A"}, "topics": {concord.TopicMinor}}, ""},
		{concord.SchemaDetainee, map[string][]string{"name": {"A"}, "program": {"UN 1267"}}, ""},
		{concord.SchemaCase, map[string][]string{"name": {"K"}}, ""},
		{concord.SchemaKinship, map[string][]string{"person": {"a"}, "relative": {"b"}}, ""},
	} {
		e := concord.NewEntity("x", c.schema)
		for k, v := range c.props {
			e.Add(k, v...)
		}
		if got := stix.Classify(e); got != c.want {
			t.Errorf("Classify(%s %v) = %q, want %q", c.schema, c.props, got, c.want)
		}
	}
}

func export(t *testing.T, recs []stix.Record) ([]byte, *stix.Writer) {
	t.Helper()
	types := map[string]string{}
	for _, r := range recs {
		types[r.Entity.ID] = stix.Classify(r.Entity)
	}
	var buf bytes.Buffer
	w := stix.NewWriter(&buf, stix.ID("bundle", "test"), func(id string) string { return types[id] })
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w
}

func TestExportValidates(t *testing.T) {
	sch := schemas(t)
	recs := records(t)
	raw, w := export(t, recs)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The bundle schema checks each object against every STIX type: it
	// sees a sample of each type here, every object is checked against
	// its own type's schema below.
	objects := doc.(map[string]any)["objects"].([]any)
	sample := map[string]int{}
	var few []any
	for _, o := range objects {
		if typ := o.(map[string]any)["type"].(string); sample[typ] < 3 {
			sample[typ]++
			few = append(few, o)
		}
	}
	if err := sch["bundle"].Validate(map[string]any{"type": "bundle", "id": doc.(map[string]any)["id"], "objects": few}); err != nil {
		t.Fatalf("bundle: %v", err)
	}
	byType := map[string]int{}
	for i, o := range objects {
		typ := o.(map[string]any)["type"].(string)
		byType[typ]++
		s := sch[typ]
		if s == nil {
			t.Fatalf("object %d: no schema for %s", i, typ)
		}
		if err := s.Validate(o); err != nil {
			b, _ := json.Marshal(o)
			t.Fatalf("object %d (%s) does not validate: %v\n%s", i, typ, err, b)
		}
	}
	t.Logf("objects by type: %v; skipped records: %v", byType, w.Skipped)
	for _, typ := range []string{"identity", "threat-actor", "intrusion-set", "indicator", "relationship", "marking-definition"} {
		if byType[typ] == 0 {
			t.Errorf("no %s exported", typ)
		}
	}
	// The UN list's ISIL is an intrusion-set; al-Zawahiri a threat-actor,
	// with the list's reference.
	for _, want := range []string{`"type":"intrusion-set","spec_version":"2.1","id":"` + stix.ID("intrusion-set", "un-QDe.115"),
		`"external_references":[{"source_name":"un","external_id":"QDi.006"}]`,
		`"pattern":"[cryptocurrency-wallet:value = 'bc1qexample\\'quote' AND cryptocurrency-wallet:currency = 'BTC']"`,
		`"pattern":"[file:hashes.'SHA-256' = '` + strings.Repeat("ab", 32) + `'] OR [file:hashes.PDQ = '` + strings.Repeat("f0", 32) + `']"`,
		`"name":"TLP:AMBER"`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	recs := records(t)
	raw, w := export(t, recs)
	res, err := stix.Read(bytes.NewReader(raw), "export.json")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]stix.Imported{}
	for _, r := range res.Records {
		got[r.Entity.ID] = r
	}
	n := 0
	for _, r := range recs {
		if stix.Classify(r.Entity) == "" {
			continue
		}
		n++
		g, ok := got[r.Entity.ID]
		if !ok {
			t.Errorf("%s (%s) not read back", r.Entity.ID, r.Entity.Schema)
			continue
		}
		if g.Entity.Schema != r.Entity.Schema || !equalProps(g.Entity.Properties, r.Entity.Properties) || g.Handling != r.Handling {
			t.Errorf("%s read back as %s %v %s, want %s %v %s", r.Entity.ID, g.Entity.Schema, g.Entity.Properties, g.Handling,
				r.Entity.Schema, r.Entity.Properties, r.Handling)
		}
		if len(r.Entity.Refs) > 0 && g.SourceRef != r.Entity.Refs[0] {
			t.Errorf("%s: source ref %s, want %s", r.Entity.ID, g.SourceRef, r.Entity.Refs[0])
		}
	}
	if len(res.Records) != n {
		t.Errorf("read %d records, exported %d (skipped on export: %v; on import: %v)", len(res.Records), n, w.Skipped, res.Skipped)
	}
}

func equalProps(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestOASISExamples imports every example OASIS publishes: what Concord
// has a place for becomes records, the rest is counted as skipped.
func TestOASISExamples(t *testing.T) {
	cases := map[string]struct {
		records int
		schemas []string
	}{
		"indicator-for-c2-ip-address.json":               {-1, nil},
		"indicator-to-campaign-relationship.json":        {-1, nil},
		"indicators-for-C2-with-COA.json":                {-1, nil},
		"infrastructure.json":                            {-1, nil},
		"interop-objectmarking-test.json":                {-1, nil},
		"malicious-email-indicator-with-attachment.json": {-1, nil},
		"threat-reports/apt1.json":                       {-1, []string{"Person", "Organization", "Media", "UnknownLink"}},
		"threat-reports/poisonivy.json":                  {-1, nil},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata/examples", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := stix.Read(f, name)
			if err != nil {
				t.Fatal(err)
			}
			schemas := map[string]int{}
			for _, r := range res.Records {
				schemas[r.Entity.Schema]++
				if r.Entity.First("name") == "" && r.Entity.Schema != "UnknownLink" && r.Entity.Schema != "Media" {
					t.Errorf("%s: a record without a name: %+v", name, r.Entity)
				}
			}
			t.Logf("%d objects: %d records %v; skipped %s", res.Objects, len(res.Records), schemas, res.SkippedSummary())
			if want.records >= 0 && len(res.Records) != want.records {
				t.Errorf("%d records, want %d", len(res.Records), want.records)
			}
			for _, s := range want.schemas {
				if schemas[s] == 0 {
					t.Errorf("no %s record", s)
				}
			}
			if res.Objects == 0 {
				t.Error("no object read")
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"not json":   {`hello`, "not JSON"},
		"array":      {`[1]`, "want a STIX bundle"},
		"bad id":     {`{"type":"bundle","id":"bundle--x","objects":[{"type":"identity","id":"identity--nope","name":"x"}]}`, "object 1 (identity--nope): id"},
		"wrong type": {`{"type":"bundle","id":"b","objects":[{"type":"identity","id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"x"}]}`, "is not identity--<UUID>"},
		"no name":    {`{"type":"bundle","objects":[{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}]}`, "without a name"},
		"cut":        {`{"type":"bundle","objects":[{"type":"threat-actor"`, "object 1"},
		"bad schema": {`{"type":"bundle","objects":[{"type":"threat-actor","id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"x","x_concord_id":"a","x_concord_schema":"Nope"}]}`, "not a Concord schema"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := stix.Read(strings.NewReader(tc.in), "f.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "f.json") {
				t.Errorf("error %v, want %q naming the file", err, tc.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"threat-reports/apt1.json", "indicator-for-c2-ip-address.json", "interop-objectmarking-test.json"} {
		b, err := os.ReadFile(filepath.Join("testdata/examples", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := stix.Read(bytes.NewReader(b), "f")
		if err != nil {
			return
		}
		for _, r := range res.Records {
			if r.Entity == nil || r.Entity.ID == "" || concord.SchemaByName(r.Entity.Schema) == nil {
				t.Fatalf("a record without id or schema: %+v", r)
			}
		}
	})
}

func FuzzParsePattern(f *testing.F) {
	f.Add("[file:hashes.'SHA-256' = 'ab'] OR [file:hashes.PDQ = 'cd']")
	f.Add("[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5\\'6']")
	f.Add("[a:b LIKE 'x']")
	f.Fuzz(func(t *testing.T, p string) {
		cmp, err := stix.ParsePattern(p)
		if err == nil && len(cmp) == 0 {
			t.Fatal("no error and no comparison")
		}
	})
}
