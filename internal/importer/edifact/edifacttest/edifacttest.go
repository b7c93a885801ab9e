// Package edifacttest holds what the tests of the EDIFACT readers share:
// inputs wrapped the way teletype networks deliver them, golden files, and
// the check of an error that names its segment.
package edifacttest

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"concord/internal/importer/edifact"
)

// Wrap ends a line every n bytes of s, never inside a UTF-8 sequence.
func Wrap(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := min(i+n, len(s))
		for j < len(s) && !utf8.RuneStart(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		b.WriteString("\r\n")
		i = j
	}
	return b.String()
}

// Golden compares got with the file golden, or rewrites it when update.
func Golden(t *testing.T, golden string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the parse; run the package's tests with -update and review the diff", golden)
	}
}

// Broken is a case of input a reader must refuse: the text the error holds,
// the sentinel it is (when is is set), and where it is — segment 0 for an
// error that is not an *edifact.Error.
type Broken struct {
	Want    string
	Is      error
	Segment int
	Tag     string
	MsgSeg  int
}

// Check checks err against the case.
func (c Broken) Check(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), c.Want) {
		t.Errorf("error %q does not contain %q", err, c.Want)
	}
	if c.Is != nil && !errors.Is(err, c.Is) {
		t.Errorf("error %v is not %v", err, c.Is)
	}
	var e *edifact.Error
	if c.Segment == 0 {
		if errors.As(err, &e) {
			t.Errorf("got *Error %v, want a plain error", err)
		}
		return
	}
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Segment != c.Segment || e.Tag != c.Tag || e.MessageSegment != c.MsgSeg {
		t.Errorf("error at segment %d (%q), message segment %d; want %d (%q), %d: %v",
			e.Segment, e.Tag, e.MessageSegment, c.Segment, c.Tag, c.MsgSeg, err)
	}
}
