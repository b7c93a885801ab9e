package edifact

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNoInterchange is returned when the input holds no UNA or UNB that
// starts an interchange.
var ErrNoInterchange = errors.New("no UN/EDIFACT interchange (UNA or UNB) found")

// DefaultMaxSegment is the longest segment a Scanner accepts unless told
// otherwise: real segments are a few hundred bytes, free text at most a few
// kilobytes.
const DefaultMaxSegment = 256 << 10

// SyntaxError reports input that cannot be split into segments.
type SyntaxError struct {
	Segment int    // 1-based number of the segment, UNB = 1
	Tag     string // the tag, possibly partial or empty
	Msg     string // what is wrong
	// Text is the offending text (a tag that is not one), for readers that
	// may quote it; it is printable and at most 40 bytes.
	Text string
}

func (e *SyntaxError) Error() string {
	if e.Text != "" {
		return fmt.Sprintf("segment %d: %s %q", e.Segment, e.Msg, e.Text)
	}
	return fmt.Sprintf("segment %d: %s", e.Segment, e.Msg)
}

// Segment is one segment: its tag, its data elements (the tag itself is not
// an element), each split into components as sent (release characters
// removed), and its number.
type Segment struct {
	Tag   string
	Elems [][]string
	N     int // 1-based, UNB = 1
	// Unterminated is set on a final UNZ that the input ended inside,
	// without a segment terminator.
	Unterminated bool
}

// Elem returns component c of data element e (both 0-based, the element
// after the tag being 0), trimmed of spaces, or "" when absent.
func (s *Segment) Elem(e, c int) string { return strings.TrimSpace(s.Raw(e, c)) }

// Raw returns component c of data element e as sent, or "" when absent.
func (s *Segment) Raw(e, c int) string {
	if e < 0 || e >= len(s.Elems) || c < 0 || c >= len(s.Elems[e]) {
		return ""
	}
	return s.Elems[e][c]
}

// Options tune a Scanner. The zero value is the default.
type Options struct {
	// TypographicQuote reads a RIGHT SINGLE QUOTATION MARK (U+2019) directly
	// before a line break or the end of input as the segment terminator,
	// when the terminator is the apostrophe.
	TypographicQuote bool
	// MaxSegment is the longest segment accepted, in bytes
	// (DefaultMaxSegment if zero).
	MaxSegment int
}

// Scanner reads the segments of one interchange from a stream.
type Scanner struct {
	br  *bufio.Reader
	opt Options
	d   Delims

	started, done bool
	err           error
	n             int // segments returned

	buf   []byte // the current segment's content, release characters removed
	cuts  []int  // end offset in buf of each component
	elems []int  // number of components at the end of each element

	seg   Segment    // the segment returned, reused
	comps []string   // its components
	parts [][]string // its elements

	typographic []int
}

// NewScanner returns a Scanner reading from r.
func NewScanner(r io.Reader, opt Options) *Scanner {
	if opt.MaxSegment <= 0 {
		opt.MaxSegment = DefaultMaxSegment
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < lookahead {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Scanner{br: br, opt: opt}
}

// Delims returns the service characters in use (valid after the first call
// of Next).
func (s *Scanner) Delims() Delims { return s.d }

// Typographic returns the numbers of the segments that ended with a
// typographic apostrophe (see Options.TypographicQuote).
func (s *Scanner) Typographic() []int { return s.typographic }

// Next returns the next segment, or io.EOF after UNZ or at the end of the
// input. The segment and its slices are reused by the next call; the strings
// in it are not. Errors are *SyntaxError, ErrNoInterchange or the reader's;
// after an error Next returns it again.
func (s *Scanner) Next() (*Segment, error) {
	if s.err != nil {
		return nil, s.err
	}
	if !s.started {
		if err := s.findStart(); err != nil {
			s.err = err
			return nil, err
		}
		s.started = true
	}
	if s.done {
		return nil, io.EOF
	}
	seg, err := s.scan()
	if err != nil {
		s.err = err
		return nil, err
	}
	if seg == nil {
		s.done = true
		return nil, io.EOF
	}
	if seg.Tag == "UNZ" {
		s.done = true
	}
	return seg, nil
}

// findStart skips what precedes the interchange.
func (s *Scanner) findStart() error {
	for prev := byte(0); ; {
		b, err := s.br.Peek(lookahead)
		if len(b) < 4 {
			if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
				return err
			}
			return ErrNoInterchange
		}
		if b[0] == 'U' && !isAlnum(prev) {
			if body, d, ok := at(b); ok {
				s.d = d
				_, _ = s.br.Discard(body)
				return nil
			}
		}
		prev = b[0]
		_, _ = s.br.Discard(1)
	}
}

// scan reads one segment; it returns nil, nil at the end of the input
// between segments. It works on the reader's buffer a chunk at a time.
func (s *Scanner) scan() (*Segment, error) {
	d := &s.d
	s.buf, s.cuts, s.elems = s.buf[:0], s.cuts[:0], s.elems[:0]
	started, release := false, false
chunks:
	for {
		n := s.br.Buffered()
		if n == 0 {
			if _, err := s.br.Peek(1); err != nil {
				if err != io.EOF {
					return nil, err
				}
				if !started {
					return nil, nil
				}
				return s.unterminated()
			}
			n = s.br.Buffered()
		}
		chunk, _ := s.br.Peek(n)
		for i := 0; i < len(chunk); i++ {
			c := chunk[i]
			if (c == '\r' || c == '\n') && !d.isSep(c) {
				continue
			}
			if !started {
				if isSpaceOrControl(c) && !d.isSep(c) {
					continue
				}
				started = true
			}
			if release {
				release = false
			} else {
				switch {
				case d.HasRelease && c == d.Release:
					release = true
					continue
				case c == d.Component:
					s.cuts = append(s.cuts, len(s.buf))
					continue
				case c == d.Data:
					s.cuts = append(s.cuts, len(s.buf))
					s.elems = append(s.elems, len(s.cuts))
					continue
				case c == d.Terminator:
					_, _ = s.br.Discard(i + 1)
					return s.finish()
				case c == 0xE2 && s.opt.TypographicQuote && d.Terminator == '\'':
					_, _ = s.br.Discard(i + 1)
					if s.typographicQuote() {
						s.typographic = append(s.typographic, s.n+1)
						return s.finish()
					}
					s.buf = append(s.buf, c)
					continue chunks
				}
			}
			s.buf = append(s.buf, c)
			if len(s.buf) > s.opt.MaxSegment {
				return nil, &SyntaxError{Segment: s.n + 1, Tag: s.partialTag(), Msg: fmt.Sprintf("segment longer than %d bytes", s.opt.MaxSegment)}
			}
		}
		_, _ = s.br.Discard(len(chunk))
	}
}

// typographicQuote reports whether the 0xE2 just read starts U+2019
// followed by a line break or the end of input, and consumes the rest of it.
func (s *Scanner) typographicQuote() bool {
	b, _ := s.br.Peek(3)
	if len(b) < 2 || b[0] != 0x80 || b[1] != 0x99 || len(b) == 3 && b[2] != '\r' && b[2] != '\n' {
		return false
	}
	_, _ = s.br.Discard(2)
	return true
}

// finish turns the buffered content into a segment: one allocation, the
// text its components share.
func (s *Scanner) finish() (*Segment, error) {
	s.cuts = append(s.cuts, len(s.buf))
	s.elems = append(s.elems, len(s.cuts))
	s.n++
	text := string(s.buf)
	s.comps = s.comps[:0]
	from := 0
	for _, to := range s.cuts {
		s.comps = append(s.comps, text[from:to])
		from = to
	}
	tag := strings.TrimSpace(s.comps[0])
	if s.elems[0] != 1 || !ValidTag(tag) {
		if len(tag) > 3 {
			tag = ""
		}
		return nil, &SyntaxError{Segment: s.n, Tag: Printable(tag), Msg: "invalid segment tag",
			Text: Printable(strings.Join(s.comps[:s.elems[0]], string(s.d.Component)))}
	}
	s.parts = s.parts[:0]
	for i := 1; i < len(s.elems); i++ {
		s.parts = append(s.parts, s.comps[s.elems[i-1]:s.elems[i]:s.elems[i]])
	}
	s.seg = Segment{Tag: tag, N: s.n, Elems: s.parts}
	return &s.seg, nil
}

// unterminated handles input that ends inside a segment: a UNZ is returned
// marked Unterminated, anything else is an error.
func (s *Scanner) unterminated() (*Segment, error) {
	if s.firstComponent() == "UNZ" {
		seg, err := s.finish()
		if err != nil {
			return nil, err
		}
		seg.Unterminated = true
		return seg, nil
	}
	return nil, &SyntaxError{Segment: s.n + 1, Tag: s.partialTag(), Msg: "unterminated segment at end of input (truncated interchange?)"}
}

// firstComponent is the first component of the segment being read, as far
// as it goes, trimmed.
func (s *Scanner) firstComponent() string {
	end := len(s.buf)
	if len(s.cuts) > 0 {
		end = s.cuts[0]
	}
	return string(bytes.TrimSpace(s.buf[:end]))
}

// partialTag is the tag of the segment being read, as far as it goes.
func (s *Scanner) partialTag() string {
	tag := s.firstComponent()
	if len(tag) > 3 {
		tag = tag[:3]
	}
	return Printable(tag)
}

// Printable keeps error text readable whatever the input holds: at most 40
// bytes, valid UTF-8.
func Printable(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// MessageType returns the type of the first message in prefix, the first
// bytes of a file: the first component of UNH's second element, such as
// "PAXLST" or "PNRGOV"; "" when prefix holds no interchange or no complete
// UNH.
func MessageType(prefix []byte) string {
	sc := NewScanner(bytes.NewReader(prefix), Options{TypographicQuote: true})
	for i := 0; i < 16; i++ {
		seg, err := sc.Next()
		if err != nil {
			return ""
		}
		if seg.Tag == "UNH" {
			return seg.Elem(1, 0)
		}
	}
	return ""
}
