package ofaccsv

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"concord"
	"concord/internal/importer"
)

const sharedLists = "../../../../shared/data/lists"

// TestFullList reads the complete list in ../shared/data when it is there.
func TestFullList(t *testing.T) {
	f := Files{
		SDN: filepath.Join(sharedLists, "ofac_sdn.csv"),
		Alt: filepath.Join(sharedLists, "ofac_alt.csv"),
		Add: filepath.Join(sharedLists, "ofac_add.csv"),
	}
	raw, err := os.ReadFile(f.SDN)
	if err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	// Rows of sdn.csv: its lines, less a last line holding only 0x1A.
	want := 0
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if len(bytes.Trim(line, "\r\x1a")) > 0 {
			want++
		}
	}
	ids := map[string]bool{}
	unparsed := map[string]int{}
	label := regexp.MustCompile(`^(?:[Aa]lt\. )?[^0-9:'(]*`)
	meta, err := Read(f, func(r importer.Record) error {
		for _, e := range r.Entities {
			if ids[e.ID] {
				t.Errorf("duplicate entity id %s", e.ID)
			}
			ids[e.ID] = true
			for p, vs := range e.Properties {
				for _, v := range vs {
					if err := concord.CheckValue(concord.SchemaByName(e.Schema), p, v); err != nil {
						t.Errorf("%s: %s: %v", e.ID, p, err)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Records != want {
		t.Errorf("records = %d, want %d (lines of sdn.csv)", meta.Records, want)
	}
	main := meta.BySchema["Person"] + meta.BySchema["Organization"] + meta.BySchema["Vessel"] + meta.BySchema["Airplane"]
	if main != meta.Records {
		t.Errorf("listed entities by schema sum to %d, want %d", main, meta.Records)
	}
	t.Logf("records %d, by schema %v", meta.Records, meta.BySchema)
	l, err := load(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range l.sdn {
		for _, c := range parseRemarks(row.remarks) {
			if c.Kind == kindNote && c.Raw != row.title {
				unparsed[label.FindString(c.Raw)]++
			}
		}
	}
	if testing.Verbose() {
		type kv struct {
			k string
			v int
		}
		var kvs []kv
		total := 0
		for k, v := range unparsed {
			kvs = append(kvs, kv{k, v})
			total += v
		}
		sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v || kvs[i].v == kvs[j].v && kvs[i].k < kvs[j].k })
		t.Logf("%d clauses kept as notes, %d distinct labels", total, len(kvs))
		for _, x := range kvs {
			t.Logf("%6d %s", x.v, x.k)
		}
	}
}
