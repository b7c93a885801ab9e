package paxlst

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"concord/internal/importer/edifact"
)

// streamed reads b with Stream and puts the travellers back in their
// messages, which must then equal what ParseBytes gives.
func streamed(o Options, b []byte) (*Interchange, error) {
	var ts []Traveller
	ic, err := o.Stream(bytes.NewReader(b), func(t Traveller) error { ts = append(ts, t); return nil })
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		m := &ic.Messages[t.Message-1]
		m.Travellers = append(m.Travellers, t)
	}
	return ic, nil
}

func TestStreamEqualsParse(t *testing.T) {
	for _, name := range dataFiles(t) {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			want, err := fixedNow.ParseBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			got, err := streamed(fixedNow, b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Stream and ParseBytes differ:\n%+v\n%+v", got, want)
			}
		})
	}
}

// TestStreamErrorsAsParse: every broken input of TestBroken is refused by
// Stream with the same error.
func TestStreamErrorsAsParse(t *testing.T) {
	for _, in := range []string{
		base[:strings.Index(base, "NAT+2+AU")+8],
		strings.Replace(base, "CNT+42:1", "CNT+42:3", 1),
		strings.Replace(base, "NAT+2+AUT'", "N@T+2+AUT'", 1),
		strings.Replace(base, "991231", "991341", 1),
		strings.Replace(base, "UNT+16+M1'", "", 1),
		"hello", "",
	} {
		_, want := Options{Strict: true}.ParseBytes([]byte(in))
		_, got := Options{Strict: true}.Stream(strings.NewReader(in), func(Traveller) error { return nil })
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("%.40q: Stream %v, ParseBytes %v", in, got, want)
		}
	}
}

func TestStreamStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := Options{}.Stream(strings.NewReader(base), func(Traveller) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("err %v after %d travellers, want stop after 1", err, n)
	}
}

// TestLimits: what the parser would hold beyond its limits is refused, naming
// the segment; warnings beyond MaxWarnings are counted.
func TestLimits(t *testing.T) {
	msg := func(body string) string {
		return "UNB+UNOA:4+AIR+GOV+210713:0631+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'" + body + "UNT+9+M1'UNZ+1+1'"
	}
	tests := []struct {
		name, in, want string
		segment        int
	}{
		{"long segment", msg("NAD+FL+++" + strings.Repeat("A", edifact.DefaultMaxSegment) + "'"), "segment longer than 262144 bytes", 4},
		{"many legs", msg(strings.Repeat("TDT+20+XX1'", MaxLegs+1)), "more than 99 legs", 4 + MaxLegs},
		{"many documents", msg("NAD+FL+++DOE:JOHN'" + strings.Repeat("DOC+P+X1'", MaxDocuments+1)), "more than 99 documents (DOC) of traveller msg1-pax1", 5 + MaxDocuments},
		{"many messages", "UNB+UNOA:4+AIR+GOV+210713:0631+1'" + strings.Repeat("UNH+M1+PAXLST:D:05B:UN:IATA'NAD+FL+++DOE'UNT+3+M1'", MaxMessages+1) + "UNZ+1+1'",
			"more than 1000 messages", 2 + 3*MaxMessages},
		{"flight details", msg(strings.Repeat("TDT+20+"+strings.Repeat("X", 60000)+"'", 20)), "flight details exceed", 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for mode, parse := range map[string]func(string) error{
				"ParseBytes": func(in string) error { _, err := Options{}.ParseBytes([]byte(in)); return err },
				"Stream": func(in string) error {
					_, err := Options{}.Stream(strings.NewReader(in), func(Traveller) error { return nil })
					return err
				},
			} {
				err := parse(tt.in)
				var e *Error
				if !errors.As(err, &e) || e.Segment != tt.segment || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v, want segment %d and %q", mode, err, tt.segment, tt.want)
				}
			}
		})
	}
	ic, err := Options{}.ParseBytes([]byte(strings.Replace(base, "CNT+42:1'", strings.Repeat("CNT+42:7'", MaxWarnings+5), 1)))
	if err != nil {
		t.Fatal(err)
	}
	// 105 CNT warnings and the UNT's count: 100 listed, 6 counted.
	if len(ic.Warnings) != MaxWarnings+1 || ic.Warnings[len(ic.Warnings)-1] != "and 6 more warnings" {
		t.Errorf("%d warnings, ending %q", len(ic.Warnings), ic.Warnings[len(ic.Warnings)-1])
	}
}

// manifest is an interchange of one message with n travellers, generated
// as it is read.
type manifest struct {
	n, i int
	buf  bytes.Buffer
	done bool
}

func (m *manifest) Read(p []byte) (int, error) {
	if m.i == 0 && m.buf.Len() == 0 && !m.done {
		m.buf.WriteString("UNA:+.? 'UNB+UNOA:4+AIR+GOV+210713:0631+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+XX1+++XX'LOC+125+VIE'LOC+87+FRA'\n")
	}
	for m.buf.Len() < len(p) && !m.done {
		if m.i == m.n {
			fmt.Fprintf(&m.buf, "CNT+42:%d'UNT+%d+M1'UNZ+1+1'\n", m.n, 7+4*m.n)
			m.done = true
			break
		}
		m.i++
		fmt.Fprintf(&m.buf, "NAD+FL+++DOE%d:JOHN'ATT+2++M'DTM+329:%02d0101'DOC+P+X%08d'\n", m.i, m.i%100, m.i)
	}
	if m.buf.Len() == 0 {
		return 0, io.EOF
	}
	return m.buf.Read(p)
}

// TestStreamMemoryBounded reads a 30 MB manifest: the heap it leaves in use
// is independent of its size.
func TestStreamMemoryBounded(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads a 30 MB manifest; not under -short or -race")
	}
	const n = 500_000
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	count := 0
	ic, err := Options{Strict: true}.Stream(&manifest{n: n}, func(t Traveller) error {
		if count++; count%50_000 == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || ic.Messages[0].TravellerCount != n || len(ic.Messages[0].Travellers) != 0 {
		t.Fatalf("%d travellers, message %+v", count, ic.Messages[0])
	}
	growth := int64(peak) - int64(before.HeapInuse)
	t.Logf("heap in use grew by %.1f MB reading %d travellers", float64(growth)/1e6, n)
	if growth > 8<<20 {
		t.Errorf("heap grew by %.1f MB: not streamed", float64(growth)/1e6)
	}
}
