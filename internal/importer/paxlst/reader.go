package paxlst

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// delims are the service characters of an interchange.
type delims struct {
	component, data, decimal, release, terminator byte
	hasRelease                                    bool
}

// defaultDelims apply when the interchange has no UNA.
var defaultDelims = delims{component: ':', data: '+', decimal: '.', release: '?', terminator: '\'', hasRelease: true}

// segment is one segment: its tag, its data elements (the tag itself is not
// an element) each split into components, and its 1-based number counted from
// UNB.
type segment struct {
	Tag   string
	Elems [][]string
	N     int
}

// elem returns component c of data element e (both 0-based, the element
// after the tag being 0), trimmed of spaces, or "" when absent.
func (s *segment) elem(e, c int) string {
	if e < 0 || e >= len(s.Elems) || c < 0 || c >= len(s.Elems[e]) {
		return ""
	}
	return strings.TrimSpace(s.Elems[e][c])
}

// interchangeStart finds the first UNA or UNB and returns its offset, the
// delimiters, and the offset where the segments begin (after the UNA).
func interchangeStart(b []byte) (start, body int, d delims, ok bool) {
	for i := 0; i+3 <= len(b); i++ {
		if b[i] != 'U' || b[i+1] != 'N' || (b[i+2] != 'A' && b[i+2] != 'B') {
			continue
		}
		if i > 0 && isAlnum(b[i-1]) {
			continue
		}
		if b[i+2] == 'A' {
			if d, ok := parseUNA(b[i:]); ok {
				return i, i + 9, d, true
			}
			continue
		}
		// UNB without UNA: the default separators must follow.
		if i+4 <= len(b) && b[i+3] == defaultDelims.data {
			return i, i, defaultDelims, true
		}
	}
	return 0, 0, delims{}, false
}

// parseUNA reads "UNA" and its six service characters, and checks that a UNB
// using them follows (after optional white space and line breaks).
func parseUNA(b []byte) (delims, bool) {
	if len(b) < 9 {
		return delims{}, false
	}
	d := delims{component: b[3], data: b[4], decimal: b[5], release: b[6], terminator: b[8], hasRelease: b[6] != ' '}
	if d.component == d.data || d.component == d.terminator || d.data == d.terminator ||
		isAlnum(d.component) || isAlnum(d.data) || isAlnum(d.terminator) ||
		(d.hasRelease && (d.release == d.component || d.release == d.data || d.release == d.terminator)) {
		return delims{}, false
	}
	// The UNB may follow after white space and be wrapped itself.
	rest := b[9:]
	for len(rest) > 0 && isSpaceOrControl(rest[0]) && rest[0] != d.data {
		rest = rest[1:]
	}
	var next []byte
	for i := 0; i < len(rest) && len(next) < 4 && i < 64; i++ {
		if c := rest[i]; (c != '\r' && c != '\n') || c == d.data {
			next = append(next, c)
		}
	}
	if len(next) < 4 || string(next[:3]) != "UNB" || next[3] != d.data && next[3] != ' ' {
		return delims{}, false
	}
	return d, true
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isSpaceOrControl(c byte) bool { return c <= ' ' || c == 0x7f }

func validTag(t string) bool {
	if len(t) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c := t[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// segments splits the interchange in b into segments. Teletype text before
// the UNA/UNB and after the UNZ is ignored; CR and LF are dropped wherever
// they occur (lines wrapped inside a segment) unless UNA makes them
// separators; white space and control characters before a segment tag are
// skipped.
func segments(b []byte) ([]segment, error) {
	_, body, d, ok := interchangeStart(b)
	if !ok {
		return nil, ErrNoInterchange
	}
	var (
		segs    []segment
		elems   [][]string
		comps   []string
		cur     bytes.Buffer
		started bool // the current segment has content
		release bool
	)
	isSep := func(c byte) bool {
		return c == d.component || c == d.data || c == d.terminator || d.hasRelease && c == d.release
	}
	for i := body; i < len(b); i++ {
		c := b[i]
		if (c == '\r' || c == '\n') && !isSep(c) {
			continue
		}
		if !started {
			if isSpaceOrControl(c) && !isSep(c) {
				continue
			}
			started = true
		}
		if release {
			cur.WriteByte(c)
			release = false
			continue
		}
		switch {
		case d.hasRelease && c == d.release:
			release = true
		case c == d.component:
			comps = append(comps, cur.String())
			cur.Reset()
		case c == d.data:
			comps = append(comps, cur.String())
			cur.Reset()
			elems = append(elems, comps)
			comps = nil
		case c == d.terminator:
			comps = append(comps, cur.String())
			cur.Reset()
			elems = append(elems, comps)
			comps = nil
			s := segment{Tag: strings.TrimSpace(elems[0][0]), N: len(segs) + 1}
			if len(elems[0]) != 1 || !validTag(s.Tag) {
				if len(s.Tag) > 3 {
					s.Tag = ""
				}
				return nil, &Error{Segment: s.N, Tag: printable(s.Tag), Err: fmt.Errorf("invalid segment tag %q", printable(strings.Join(elems[0], string(d.component))))}
			}
			s.Elems = elems[1:]
			segs = append(segs, s)
			elems, started = nil, false
			if s.Tag == "UNZ" {
				return segs, nil
			}
		default:
			cur.WriteByte(c)
		}
	}
	if started {
		tag := ""
		if len(elems) > 0 && len(elems[0]) > 0 {
			tag = elems[0][0]
		} else {
			tag = cur.String()
			if len(tag) > 3 {
				tag = tag[:3]
			}
		}
		return nil, &Error{Segment: len(segs) + 1, Tag: printable(strings.TrimSpace(tag)), Err: errors.New("unterminated segment at end of input (truncated interchange?)")}
	}
	return segs, nil
}

// printable keeps error text readable whatever the input holds.
func printable(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// decodeText converts the components of all segments to UTF-8 according to
// the syntax identifier of UNB (UNOC..UNOK are ISO 8859 parts, UNOW and UNOY
// UTF-8, UNOA and UNOB ASCII). Bytes that are not valid under the declared
// syntax are kept when they form valid UTF-8 and replaced by U+FFFD
// otherwise; decodeText returns the numbers of the segments where it did so.
func decodeText(segs []segment, syntax string) (replaced []int) {
	var cm *charmap.Charmap
	switch syntax {
	case "UNOC":
		cm = charmap.ISO8859_1
	case "UNOD":
		cm = charmap.ISO8859_2
	case "UNOE":
		cm = charmap.ISO8859_5
	case "UNOF":
		cm = charmap.ISO8859_7
	case "UNOG":
		cm = charmap.ISO8859_3
	case "UNOH":
		cm = charmap.ISO8859_4
	case "UNOI":
		cm = charmap.ISO8859_6
	case "UNOJ":
		cm = charmap.ISO8859_8
	case "UNOK":
		cm = charmap.ISO8859_9
	}
	for i := range segs {
		bad := false
		for j := range segs[i].Elems {
			for k, v := range segs[i].Elems[j] {
				switch {
				case isASCII(v):
					continue
				case cm != nil:
					v = decode8(cm, v)
				case utf8.ValidString(v):
				default:
					v, bad = strings.ToValidUTF8(v, "\uFFFD"), true
				}
				segs[i].Elems[j][k] = v
			}
		}
		if bad {
			replaced = append(replaced, segs[i].N)
		}
	}
	return replaced
}

func decode8(cm *charmap.Charmap, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(cm.DecodeByte(s[i]))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
