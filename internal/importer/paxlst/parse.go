package paxlst

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"concord/internal/importer/edifact"
)

// MaxSize is the largest input Parse reads (a manifest of a few thousand
// travellers is well under 4 MiB).
const MaxSize = 64 << 20

// Options tune the parser. The zero value is the tolerant default.
type Options struct {
	// Strict refuses an interchange whose control counts or references
	// (UNT, UNE, UNZ, CNT) do not match, instead of recording a warning.
	Strict bool
	// Now is the clock used to choose the century of the UNB date; it
	// defaults to time.Now.
	Now func() time.Time
}

// Parse reads a whole interchange with the default Options.
func Parse(r io.Reader) (*Interchange, error) { return Options{}.Parse(r) }

// Parse reads a whole interchange from r.
func (o Options) Parse(r io.Reader) (*Interchange, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("paxlst: %w", err)
	}
	if len(b) > MaxSize {
		return nil, fmt.Errorf("paxlst: input larger than %d bytes", MaxSize)
	}
	return o.ParseBytes(b)
}

// ParseBytes reads a whole interchange from b.
func (o Options) ParseBytes(b []byte) (*Interchange, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	sc := edifact.NewScanner(bytes.NewReader(b), edifact.Options{})
	m := &mapper{opt: o, ic: &Interchange{}}
	var (
		dec  edifact.Decoder
		last segment // tag and number of the last segment read
	)
	for {
		s, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, lexError(err)
		}
		if s.N == 1 && s.Tag == "UNB" {
			dec = edifact.NewDecoder(s.Elem(0, 0))
		}
		replaced := dec.Decode(s)
		if s.Unterminated {
			// Only a UNZ closing what UNB opened may lack its terminator;
			// anything else after it is text the interchange does not hold.
			if s.Elem(1, 0) != m.ic.Control || len(s.Elems) > 2 {
				return nil, &Error{Segment: s.N, Tag: s.Tag, Err: errors.New("unterminated segment at end of input (truncated interchange?)")}
			}
			if err := m.warn(s, "UNZ not terminated (end of input)"); err != nil {
				return nil, err
			}
		}
		if err := m.segment(s); err != nil {
			return nil, err
		}
		if replaced {
			if err := m.warn(s, "bytes not valid in character set %s replaced by U+FFFD", m.ic.Syntax); err != nil {
				return nil, err
			}
		}
		last = segment{Tag: s.Tag, N: s.N} // s is reused by the scanner
	}
	if err := m.end(last); err != nil {
		return nil, err
	}
	return m.ic, nil
}

// Detect reports whether prefix, the first bytes of a file, looks like a
// PAXLST interchange: a UNA or UNB (possibly after teletype headers) whose
// first message is a PAXLST, or, when the prefix ends before that message's
// UNH, holds the word PAXLST. A prefix of 1 KiB or more is enough for real
// files.
func Detect(prefix []byte) bool {
	start, _, _, ok := edifact.Start(prefix)
	if !ok {
		return false
	}
	if t := edifact.MessageType(prefix); t != "" {
		return t == "PAXLST"
	}
	rest := prefix[start:]
	if bytes.ContainsAny(rest, "\r\n") {
		rest = bytes.ReplaceAll(bytes.ReplaceAll(rest, []byte("\r"), nil), []byte("\n"), nil)
	}
	return bytes.Contains(rest, []byte("PAXLST"))
}

type mapper struct {
	opt Options
	ic  *Interchange

	msg       *Message
	unh       int  // segment number of the current UNH
	cur       int  // index of the current traveller in msg.Travellers, or -1
	doc       int  // index of the current document of that traveller, or -1
	flightLeg int  // index of the leg with LOC+125/87, or -1
	inGroup   bool // between UNG and UNE
	groups    int
	groupMsgs int
	groupRef  string
}

func (m *mapper) errAt(s *segment, format string, args ...any) *Error {
	e := &Error{Segment: s.N, Tag: s.Tag, Err: fmt.Errorf(format, args...)}
	if m.msg != nil {
		e.Message, e.MessageSegment = m.msg.Index, s.N-m.unh+1
	}
	return e
}

// warn records a tolerated problem, or refuses it in strict mode.
func (m *mapper) warn(s *segment, format string, args ...any) error {
	e := m.errAt(s, format, args...)
	if m.opt.Strict {
		return e
	}
	m.ic.Warnings = append(m.ic.Warnings, strings.TrimPrefix(e.Error(), "paxlst: "))
	return nil
}

func (m *mapper) segment(s *segment) error {
	if s.N == 1 && s.Tag != "UNB" {
		return m.errAt(s, "interchange does not start with UNB")
	}
	switch s.Tag {
	case "UNB":
		if s.N != 1 {
			return m.errAt(s, "second UNB in the interchange")
		}
		return m.unb(s)
	case "UNG":
		if m.msg != nil {
			return m.errAt(s, "UNG inside message %d (missing UNT)", m.msg.Index)
		}
		m.inGroup, m.groupMsgs, m.groupRef = true, 0, s.Elem(4, 0)
		m.groups++
	case "UNE":
		if m.msg != nil {
			return m.errAt(s, "UNE inside message %d (missing UNT)", m.msg.Index)
		}
		if !m.inGroup {
			return m.warn(s, "UNE without UNG")
		}
		m.inGroup = false
		if err := m.checkCount(s, "UNE message count", s.Elem(0, 0), m.groupMsgs); err != nil {
			return err
		}
		if ref := s.Elem(1, 0); ref != m.groupRef {
			return m.warn(s, "UNE reference %q does not match UNG reference %q", ref, m.groupRef)
		}
	case "UNZ":
		if m.msg != nil {
			return m.errAt(s, "UNZ inside message %d (missing UNT)", m.msg.Index)
		}
		n := len(m.ic.Messages)
		if m.groups > 0 {
			n = m.groups
		}
		if err := m.checkCount(s, "UNZ count", s.Elem(0, 0), n); err != nil {
			return err
		}
		if ref := s.Elem(1, 0); ref != m.ic.Control {
			return m.warn(s, "UNZ reference %q does not match UNB reference %q", ref, m.ic.Control)
		}
	case "UNH":
		if m.msg != nil {
			return m.errAt(s, "UNH before the UNT of message %d", m.msg.Index)
		}
		return m.startMessage(s)
	case "UNT":
		if m.msg == nil {
			return m.errAt(s, "UNT without UNH")
		}
		return m.endMessage(s)
	default:
		if m.msg == nil {
			return m.errAt(s, "segment outside a message (missing UNH)")
		}
		return m.body(s)
	}
	return nil
}

func (m *mapper) checkCount(s *segment, what, got string, want int) error {
	n, err := strconv.Atoi(got)
	if err != nil || n != want {
		return m.warn(s, "%s %q, counted %d", what, got, want)
	}
	return nil
}

func (m *mapper) unb(s *segment) error {
	ic := m.ic
	ic.Syntax = s.Elem(0, 0)
	if v := s.Elem(0, 1); v != "" {
		ic.Syntax += ":" + v
	}
	ic.Sender, ic.Recipient, ic.Control = s.Elem(1, 0), s.Elem(2, 0), s.Elem(4, 0)
	now := m.opt.Now().UTC().Add(48 * time.Hour)
	d, _, err := edifact.Date(s.Elem(3, 0), edifact.PastCentury, now)
	if err != nil {
		return m.errAt(s, "date of preparation: %v", err)
	}
	if hm := s.Elem(3, 1); hm != "" {
		t, err := time.Parse("1504", hm)
		if err != nil {
			return m.errAt(s, "invalid time of preparation %q", edifact.Printable(hm))
		}
		d = d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	ic.Prepared = d
	return nil
}

func (m *mapper) startMessage(s *segment) error {
	m.msg = &Message{Index: len(m.ic.Messages) + 1, Ref: s.Elem(0, 0)}
	m.unh, m.cur, m.doc, m.flightLeg = s.N, -1, -1, -1
	if t := s.Elem(1, 0); t != "PAXLST" {
		return m.errAt(s, "message type %q is not PAXLST", edifact.Printable(t))
	}
	m.msg.Version = s.Elem(1, 1) + s.Elem(1, 2)
	m.groupMsgs++
	return nil
}

func (m *mapper) endMessage(s *segment) error {
	msg := m.msg
	if err := m.checkCount(s, "UNT segment count", s.Elem(0, 0), s.N-m.unh+1); err != nil {
		return err
	}
	if ref := s.Elem(1, 0); ref != msg.Ref {
		if err := m.warn(s, "UNT reference %q does not match UNH reference %q", ref, msg.Ref); err != nil {
			return err
		}
	}
	switch {
	case m.flightLeg >= 0:
		msg.Flight = msg.Legs[m.flightLeg]
	case len(msg.Legs) > 0:
		msg.Flight = msg.Legs[len(msg.Legs)-1]
	}
	if msg.Legs == nil {
		msg.Legs = []Leg{}
	}
	if msg.Travellers == nil {
		msg.Travellers = []Traveller{}
	}
	m.ic.Messages = append(m.ic.Messages, *msg)
	m.msg = nil
	return nil
}

func (m *mapper) end(last segment) error {
	if last.N == 0 {
		return ErrNoInterchange
	}
	if m.msg != nil {
		return &Error{Segment: last.N + 1, Tag: "UNT", Message: m.msg.Index, MessageSegment: last.N - m.unh + 2,
			Err: fmt.Errorf("message %d has no UNT (truncated interchange?)", m.msg.Index)}
	}
	if last.Tag != "UNZ" {
		s := &segment{Tag: "UNZ", N: last.N + 1}
		if err := m.warn(s, "missing UNZ"); err != nil {
			return err
		}
	}
	if len(m.ic.Messages) == 0 {
		return ErrNoMessage
	}
	return nil
}
