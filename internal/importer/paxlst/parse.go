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
// travellers is well under 4 MiB); Stream reads any size.
const MaxSize = 64 << 20

// Limits that keep what the parser holds small whatever the input (a
// segment is at most edifact.DefaultMaxSegment bytes): an interchange
// carries a few messages of a few legs.
const (
	MaxMessages    = 1000    // messages of an interchange
	MaxLegs        = 99      // legs (TDT) of a message
	MaxDocuments   = 99      // documents (DOC) of a traveller
	MaxWarnings    = 100     // warnings listed; the rest are counted
	maxFlightBytes = 1 << 20 // text kept of the messages' headers and legs
)

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
	return o.run(bytes.NewReader(b), true, nil)
}

// Stream reads an interchange from r as it comes, segment by segment, and
// calls fn with each traveller as soon as its group of segments ends, in
// order. The Interchange it returns describes the messages (their flights,
// legs and TravellerCount) without their travellers. It holds one segment
// and one traveller at a time: memory stays bounded whatever the size of
// the input. An error from fn stops the reading and is returned as it is;
// travellers passed to fn before an error in a later segment are not taken
// back, so a caller that must take all or nothing keeps them provisionally.
func (o Options) Stream(r io.Reader, fn func(Traveller) error) (*Interchange, error) {
	return o.run(r, false, fn)
}

// run maps the segments of r; keep keeps the travellers in their messages,
// emit (if not nil) is called with each.
func (o Options) run(r io.Reader, keep bool, emit func(Traveller) error) (*Interchange, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	sc := edifact.NewScanner(r, edifact.Options{})
	m := &mapper{opt: o, ic: &Interchange{}, env: edifact.Envelope{Now: o.Now}, keep: keep, emit: emit}
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
		if m.flightBytes > maxFlightBytes {
			return nil, m.errAt(s, "the messages' flight details exceed %d bytes", maxFlightBytes)
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
	opt  Options
	ic   *Interchange
	env  edifact.Envelope
	keep bool                  // keep the travellers in their messages
	emit func(Traveller) error // called with each traveller, if not nil

	msg         *Message
	unh         int        // segment number of the current UNH
	cur         *Traveller // the traveller whose group is being read, or nil
	doc         int        // index of the current document of that traveller, or -1
	flightLeg   int        // index of the leg with LOC+125/87, or -1
	passengers  int        // of the current message
	crew        int        // of the current message
	flightBytes int        // text kept in ic.Messages
	omitted     int        // warnings not listed
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
	if len(m.ic.Warnings) >= MaxWarnings {
		m.omitted++
		return nil
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
		if err := m.endTraveller(); err != nil {
			return err
		}
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
	if len(m.ic.Messages) == MaxMessages {
		return m.errAt(s, "more than %d messages in the interchange", MaxMessages)
	}
	m.msg = &Message{Index: len(m.ic.Messages) + 1, Ref: m.kept(s.Elem(0, 0))}
	m.unh, m.cur, m.doc, m.flightLeg = s.N, nil, -1, -1
	m.passengers, m.crew = 0, 0
	if t := s.Elem(1, 0); t != "PAXLST" {
		return m.errAt(s, "message type %q is not PAXLST", edifact.Printable(t))
	}
	m.msg.Version = m.kept(s.Elem(1, 1) + s.Elem(1, 2))
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

// kept counts the bytes of v, kept in the interchange's messages.
func (m *mapper) kept(v string) string {
	m.flightBytes += len(v)
	return v
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
	if m.omitted > 0 {
		m.ic.Warnings = append(m.ic.Warnings, fmt.Sprintf("and %d more warnings", m.omitted))
	}
	return nil
}
