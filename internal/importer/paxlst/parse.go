package paxlst

import (
	"bytes"
	"fmt"
	"io"
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
	m := &mapper{opt: o, ic: &Interchange{}, env: edifact.Envelope{Now: o.Now}}
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
	env edifact.Envelope

	msg       *Message
	unh       int // segment number of the current UNH
	cur       int // index of the current traveller in msg.Travellers, or -1
	doc       int // index of the current document of that traveller, or -1
	flightLeg int // index of the leg with LOC+125/87, or -1
}

func (m *mapper) errAt(s *segment, format string, args ...any) *Error {
	e := &Error{Reader: "paxlst", Segment: s.N, Tag: s.Tag, Err: fmt.Errorf(format, args...)}
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
	for _, p := range m.env.Read(s) {
		if err := m.problem(s, p); err != nil {
			return err
		}
	}
	switch s.Tag {
	case "UNB":
		m.ic.Header = m.env.Header
	case "UNG", "UNE", "UNZ":
	case "UNH":
		return m.startMessage(s)
	case "UNT":
		return m.endMessage()
	default:
		return m.body(s)
	}
	return nil
}

// problem refuses or records what the envelope found wrong.
func (m *mapper) problem(s *segment, p edifact.Problem) error {
	if p.Segment > 0 {
		s = &segment{Tag: p.Tag, N: p.Segment}
	}
	if p.Fault {
		return m.errAt(s, "%s", p.Msg)
	}
	return m.warn(s, "%s", p.Msg)
}

func (m *mapper) startMessage(s *segment) error {
	m.msg = &Message{Index: len(m.ic.Messages) + 1, Ref: s.Elem(0, 0)}
	m.unh, m.cur, m.doc, m.flightLeg = s.N, -1, -1, -1
	if t := s.Elem(1, 0); t != "PAXLST" {
		return m.errAt(s, "message type %q is not PAXLST", edifact.Printable(t))
	}
	m.msg.Version = s.Elem(1, 1) + s.Elem(1, 2)
	return nil
}

func (m *mapper) endMessage() error {
	msg := m.msg
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
	for _, p := range m.env.End(last) {
		if err := m.problem(&last, p); err != nil {
			return err
		}
	}
	if last.N == 0 {
		return ErrNoInterchange
	}
	if len(m.ic.Messages) == 0 {
		return ErrNoMessage
	}
	return nil
}
