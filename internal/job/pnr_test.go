package job

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/importer/pnrgov"
)

const pnrData = "../importer/pnrgov/testdata/"

func TestReadQueriesPNRGOV(t *testing.T) {
	f, err := os.Open(pnrData + "concord_sample_push.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kind, qs, bad, meta, err := ReadQueries(f, "push.edi")
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindPNRGOV || len(bad) != 0 || len(qs) != 4 {
		t.Fatalf("kind %s, %d queries, bad %v", kind, len(qs), bad)
	}
	want := []Query{
		{ID: "msg1-pnr1-pax1", Booking: "Q7KD2M", Name: "MUHAMMAD SALAH AL DIN ZIDAN", BirthDate: "1960-04-11", Nationality: "eg", Gender: "male", Schema: "Person", DocumentNumber: "A1234567"},
		{ID: "msg1-pnr1-pax2", Booking: "Q7KD2M", Name: "KARIM HASSAN", BirthDate: "1988-03-03", Nationality: "eg", Gender: "male", Schema: "Person", DocumentNumber: "A7654321"},
		{ID: "msg1-pnr2-pax1", Booking: "R2BX9P", Name: "SANA ULLAH GHAFFARI", BirthDate: "1994-10-28", Nationality: "af", Gender: "male", Schema: "Person", DocumentNumber: "O1503093"},
		{ID: "msg1-pnr3-pax1", Booking: "T5WN8A", Name: "JANA NOVAK", BirthDate: "1991-05-19", Nationality: "cz", Gender: "female", Schema: "Person", DocumentNumber: "40112233"},
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("query %d\n got %+v\nwant %+v", i, qs[i], want[i])
		}
	}
	if !strings.Contains(meta, `"locator":"R2BX9P"`) || !strings.Contains(meta, `"dropped":1`) || strings.Contains(meta, "MOML") {
		t.Errorf("meta %s", meta)
	}
}

// Every shared push gives one query per traveller per PNR; the malformed
// are refused naming the file and the segment.
func TestReadQueriesSharedPushes(t *testing.T) {
	files, _ := filepath.Glob(pnrData + "gtas_*.txt")
	if len(files) != 24 {
		t.Fatalf("%d files", len(files))
	}
	want := map[string]int{"gtas_pnrWithBags.txt": 268, "gtas_bigbigPnr.txt": 86, "gtas_pnrMessagePg75.txt": 2, "gtas_pnr3.txt": 4}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		kind, qs, _, _, err := ReadQueries(strings.NewReader(string(b)), filepath.Base(f))
		name := filepath.Base(f)
		if name == "gtas_pnrBadFormat.txt" || name == "gtas_danglingMetaCharacter.txt" {
			if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), name+": pnrgov: segment ") {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err != nil || kind != KindPNRGOV || len(qs) == 0 {
			t.Fatalf("%s: %s, %d queries, %v", name, kind, len(qs), err)
		}
		if n, ok := want[name]; ok && len(qs) != n {
			t.Errorf("%s: %d queries, want %d", name, len(qs), n)
		}
		seen := map[string]bool{}
		for _, q := range qs {
			if seen[q.ID] || q.Name == "" || !strings.HasPrefix(q.ID, "msg1-pnr") {
				t.Errorf("%s: query %+v", name, q)
			}
			seen[q.ID] = true
		}
	}
}

func TestDetectKind(t *testing.T) {
	pax, _ := os.ReadFile("../importer/paxlst/testdata/gtas_multiple_flight_leg_05B.txt")
	pnr, _ := os.ReadFile(pnrData + "gtas_pnrEdge.txt")
	for in, want := range map[string]string{string(pax): KindPAXLST, string(pnr): KindPNRGOV, "id,name\nq1,Ali\n": KindCSV} {
		if got := DetectKind([]byte(in)); got != want {
			t.Errorf("DetectKind(%.30q) = %s, want %s", in, got, want)
		}
	}
}

// A deny list of one's own: what it names is dropped, the rest kept.
func TestReadQueriesDenyList(t *testing.T) {
	d, err := pnrgov.ParseDenyList(strings.NewReader("DOCS\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(pnrData + "concord_sample_push.txt")
	defer f.Close()
	_, qs, _, _, err := Options{PNR: pnrgov.Options{Deny: d}}.ReadQueries(f, "push.edi")
	if err != nil {
		t.Fatal(err)
	}
	if q := qs[0]; q.DocumentNumber != "" || q.BirthDate != "" || q.Name != "MUHAMMAD ZIDAN" {
		t.Errorf("documents dropped: %+v", q)
	}
}

// A push is screened as it arrives: EachQuery hands over the queries of
// the first PNRs before the rest of the push is sent, and counts every PNR
// in meta.
func TestEachQueryStreamsPNRGOV(t *testing.T) {
	push, err := os.ReadFile(pnrData + "gtas_pnrWithBags.txt")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	first := make(chan struct{})
	var sent atomic.Bool // the end of the push
	go func() {
		if _, err := pw.Write(push[:len(push)-2000]); err != nil {
			return
		}
		select {
		case <-first:
		case <-time.After(5 * time.Second): // a reader that waits for the end
		}
		sent.Store(true)
		_, _ = pw.Write(push[len(push)-2000:])
		pw.Close()
	}()
	n, early := 0, false
	kind, meta, err := Options{}.EachQuery(pr, "push.edi", func(Query) error {
		if n++; n == 1 {
			early = !sent.Load()
			close(first)
		}
		return nil
	}, nil)
	if err != nil || kind != KindPNRGOV || n != 268 {
		t.Fatalf("%s, %d queries, %v", kind, n, err)
	}
	if !early {
		t.Error("no query before the whole push was read")
	}
	if !strings.Contains(meta, `"pnr_count":127,"travellers":268`) {
		t.Errorf("meta %.300s", meta)
	}
	// A push broken after some PNRs is an error, after fn saw those.
	i := strings.LastIndex(string(push), "TIF+")
	bad := string(push[:i]) + "T!F+" + string(push[i+4:])
	n = 0
	_, _, err = Options{}.EachQuery(strings.NewReader(bad), "bad.edi", func(Query) error { n++; return nil }, nil)
	if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "bad.edi: pnrgov: segment ") || n == 0 || n >= 268 {
		t.Errorf("broken push: %v (%d queries before)", err, n)
	}
}
