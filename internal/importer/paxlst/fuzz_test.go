package paxlst

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"concord/internal/importer/edifact"
	"concord/internal/importer/edifact/edifacttest"
)

// FuzzParse checks that Parse never panics, that Stream reads what it
// reads, that every error is an *Error or
// one of the sentinels, and that a parsed interchange parses the same once
// wrapped the way teletype networks deliver it (header lines, CR LF every
// few bytes inside segments, a mail footer), as ediclean A shows.
func FuzzParse(f *testing.F) {
	for _, name := range dataFiles(f) {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(64))
	}
	f.Add([]byte(base), uint8(3))
	f.Add([]byte(strings.ReplaceAll(base, "'", "?'")), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, width uint8) {
		ic, err := fixedNow.ParseBytes(b)
		ic2, err2 := streamed(fixedNow, b)
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() || err == nil && !reflect.DeepEqual(ic, ic2) {
			t.Fatalf("Stream and ParseBytes differ: %v, %v\n%+v\n%+v", err2, err, ic2, ic)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) && !errors.Is(err, ErrNoInterchange) && !errors.Is(err, ErrNoMessage) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if errors.As(err, &e) && e.Segment < 0 {
				t.Fatalf("negative segment in %v", err)
			}
			return
		}
		for _, m := range ic.Messages {
			for i, p := range m.Travellers {
				if p.Position != i+1 || p.Message != m.Index || p.Surname == "" && p.Given == "" {
					t.Fatalf("bad traveller %+v", p)
				}
			}
		}
		start, _, d, _ := edifact.Start(b)
		if width == 0 || d.Component == '\r' || d.Component == '\n' || d.Data == '\r' || d.Data == '\n' ||
			d.Terminator == '\r' || d.Terminator == '\n' || d.HasRelease && (d.Release == '\r' || d.Release == '\n') {
			return
		}
		for _, w := range ic.Warnings {
			if strings.Contains(w, "missing UNZ") || strings.Contains(w, "UNZ not terminated") {
				return // a footer would then be read as a segment
			}
		}
		// Keep the UNA (or the UNB tag and its separator) whole: the
		// interchange is recognised by them.
		head := min(start+9, len(b))
		wrapped := "QU HDQRMXH\r\n.HDQRMAA 130631\r\n" + string(b[:head]) + edifacttest.Wrap(string(b[head:]), int(width)) +
			"\r\n\r\nEmail secured by UN Antivirus\r\n"
		ic3, err := fixedNow.ParseBytes([]byte(wrapped))
		if err != nil {
			t.Fatalf("wrapped input refused: %v\noriginal %q\nwrapped %q", err, b, wrapped)
		}
		if !reflect.DeepEqual(ic, ic3) {
			t.Fatalf("wrapped input parses differently:\n%+v\n%+v", ic, ic3)
		}
	})
}
