package pnrgov

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"concord/internal/importer/edifact"
	"concord/internal/importer/edifact/edifacttest"
)

// FuzzParse checks that Parse never panics; that every error is an *Error
// or a sentinel and never quotes a denied request; that every PNR and
// traveller is numbered and every traveller named; that no denied code
// survives; and that a parsed interchange parses the same once wrapped the
// way teletype networks deliver it (header lines, CR LF every few bytes
// inside segments, a mail footer).
func FuzzParse(f *testing.F) {
	for _, name := range dataFiles(f) {
		if strings.Contains(name, "bigbig") || strings.Contains(name, "WithBags") {
			continue // large: the others hold the same segments
		}
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(61))
	}
	f.Add([]byte(base), uint8(3))
	f.Add([]byte(sensitive), uint8(17))
	f.Add([]byte(strings.ReplaceAll(base, "'", "?'")), uint8(1))
	deny := DefaultDenyList()
	f.Fuzz(func(t *testing.T, b []byte, width uint8) {
		ic, err := fixed.Parse(bytes.NewReader(b))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) && !errors.Is(err, ErrNoInterchange) && !errors.Is(err, ErrNoMessage) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if errors.As(err, &e) && (e.Segment < 0 || e.Message < 0) {
				t.Fatalf("negative position in %v", err)
			}
			return
		}
		for _, m := range ic.Messages {
			for i, p := range m.PNRs {
				if p.Position != i+1 || p.Message != m.Index {
					t.Fatalf("bad PNR %+v", p)
				}
				for j, tr := range p.Travellers {
					if tr.Position != j+1 || tr.Surname == "" && tr.Given == "" {
						t.Fatalf("bad traveller %+v", tr)
					}
					for _, code := range tr.Services {
						if _, ok := deny.Denied(code); ok {
							t.Fatalf("denied code %s kept", code)
						}
					}
				}
			}
		}
		start, _, d, _ := edifact.Start(b)
		if width == 0 || d.Component == '\r' || d.Component == '\n' || d.Data == '\r' || d.Data == '\n' ||
			d.Terminator == '\r' || d.Terminator == '\n' || d.HasRelease && (d.Release == '\r' || d.Release == '\n') ||
			bytes.Contains(b, []byte("\u2019")) {
			return
		}
		for _, w := range ic.Warnings {
			if strings.Contains(w, "UNZ") {
				return // a footer would then be read as a segment
			}
		}
		head := min(start+9, len(b))
		wrapped := "QU HDQRMXH\r\n.HDQRMAA 130631\r\n" + string(b[:head]) + edifacttest.Wrap(string(b[head:]), int(width)) +
			"\r\n\r\nEmail secured by UN Antivirus\r\n"
		ic2, err := fixed.Parse(strings.NewReader(wrapped))
		if err != nil {
			t.Fatalf("wrapped input refused: %v\noriginal %q\nwrapped %q", err, b, wrapped)
		}
		if !reflect.DeepEqual(ic, ic2) {
			t.Fatalf("wrapped input parses differently:\n%+v\n%+v", ic, ic2)
		}
	})
}
