package pnrgov

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

// Limits that keep memory bounded by the PNR whatever the input.
const (
	// MaxSegment is the longest segment read (bytes).
	MaxSegment = 64 << 10
	// MaxPNRSegments is the most segments one PNR may hold.
	MaxPNRSegments = 20000
)

// Options tune the reader. The zero value is the tolerant default with the
// default deny list and no card key.
type Options struct {
	// Strict refuses an interchange whose control counts or references
	// (UNT, UNE, UNZ, EQN) do not match, or that needed any other tolerance,
	// instead of recording a warning.
	Strict bool
	// Now is the clock used to choose the century of the UNB date; it
	// defaults to time.Now.
	Now func() time.Time
	// Deny lists the SSR codes never kept; nil means DefaultDenyList.
	Deny *DenyList
	// CardKey is the node's secret for the keyed hash of card numbers
	// (Payment.CardHash). Without it no hash is kept, only the last four
	// digits.
	CardKey []byte
}

// Reader reads the PNRs of an interchange one at a time: it holds one PNR
// in memory, however large the message or the file.
type Reader struct {
	opt  Options
	sc   *edifact.Scanner
	dec  edifact.Decoder
	ic   Interchange
	err  error
	done bool
	last edifact.Segment // tag and number of the last segment read

	env edifact.Envelope
	msg *Message // the current message (UNH seen, UNT not yet)
	unh int      // segment number of its UNH

	p       *pnrState // the PNR being read
	counted int       // PNRs of the current message
}

// NewReader returns a Reader of r with these options.
func (o Options) NewReader(r io.Reader) *Reader {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Deny == nil {
		o.Deny = DefaultDenyList()
	}
	return &Reader{opt: o, sc: edifact.NewScanner(r, edifact.Options{TypographicQuote: true, MaxSegment: MaxSegment}),
		env: edifact.Envelope{Now: o.Now}}
}

// NewReader returns a Reader of r with the default options.
func NewReader(r io.Reader) *Reader { return Options{}.NewReader(r) }

// Parse reads a whole interchange with the default Options.
func Parse(r io.Reader) (*Interchange, error) { return Options{}.Parse(r) }

// Parse reads a whole interchange, every PNR in its message.
func (o Options) Parse(r io.Reader) (*Interchange, error) {
	rd := o.NewReader(r)
	for {
		p, err := rd.Next()
		if err == io.EOF {
			return rd.Interchange(), nil
		}
		if err != nil {
			return nil, err
		}
		m := &rd.ic.Messages[p.Message-1]
		m.PNRs = append(m.PNRs, *p)
	}
}

// Interchange returns what was read of the interchange so far: its header,
// its messages (without their PNRs, unless from Parse) and its warnings.
func (r *Reader) Interchange() *Interchange { return &r.ic }

// Message returns the header of message i (1-based), as far as read.
func (r *Reader) Message(i int) *Message { return &r.ic.Messages[i-1] }

// Next returns the next PNR, or io.EOF at the end of the interchange. The
// PNR's Flight is its message's. Errors are *Error, ErrNoInterchange,
// ErrNoMessage or the reader's; after an error Next returns it again.
func (r *Reader) Next() (*PNR, error) {
	if r.err != nil {
		return nil, r.err
	}
	for !r.done {
		s, err := r.sc.Next()
		if err == io.EOF {
			r.done = true
			if err := r.end(); err != nil {
				r.err = err
				return nil, err
			}
			break
		}
		if err != nil {
			r.err = lexError(err)
			return nil, r.err
		}
		p, err := r.segment(s)
		if err != nil {
			r.err = err
			return nil, err
		}
		r.last = edifact.Segment{Tag: s.Tag, N: s.N} // s is reused by the scanner
		if p != nil {
			return p, nil
		}
	}
	return nil, io.EOF
}

// Detect reports whether prefix, the first bytes of a file, looks like a
// PNRGOV interchange: a UNA or UNB (possibly after teletype headers) whose
// first message is a PNRGOV, or, when the prefix ends before that message's
// UNH, holds the word PNRGOV. A prefix of 1 KiB or more is enough for real
// files.
func Detect(prefix []byte) bool {
	start, _, _, ok := edifact.Start(prefix)
	if !ok {
		return false
	}
	if t := edifact.MessageType(prefix); t != "" {
		return t == "PNRGOV"
	}
	rest := prefix[start:]
	if bytes.ContainsAny(rest, "\r\n") {
		rest = bytes.ReplaceAll(bytes.ReplaceAll(rest, []byte("\r"), nil), []byte("\n"), nil)
	}
	return bytes.Contains(rest, []byte("PNRGOV"))
}

func (r *Reader) errAt(s *edifact.Segment, format string, args ...any) *Error {
	e := &Error{Reader: "pnrgov", Segment: s.N, Tag: s.Tag, Err: fmt.Errorf(format, args...)}
	if r.msg != nil {
		e.Message, e.MessageSegment = r.msg.Index, s.N-r.unh+1
		if r.p != nil {
			e.Group = fmt.Sprintf("PNR %d", r.p.pnr.Position)
		}
	}
	return e
}

// warn records a tolerated problem, or refuses it in strict mode.
func (r *Reader) warn(s *edifact.Segment, format string, args ...any) error {
	e := r.errAt(s, format, args...)
	if r.opt.Strict {
		return e
	}
	r.ic.Warnings = append(r.ic.Warnings, strings.TrimPrefix(e.Error(), "pnrgov: "))
	return nil
}

// segment maps one segment; it returns a PNR when s ends one.
func (r *Reader) segment(s *edifact.Segment) (*PNR, error) {
	if s.N == 1 {
		if s.Tag != "UNB" {
			return nil, r.errAt(s, "interchange does not start with UNB")
		}
		r.dec = edifact.NewDecoder(s.Elem(0, 0))
	}
	replaced := r.dec.Decode(s)
	for _, n := range r.sc.Typographic() {
		if n == s.N {
			if err := r.warn(s, "segment ended by a typographic apostrophe (U+2019) instead of \"'\""); err != nil {
				return nil, err
			}
		}
	}
	if replaced {
		if err := r.warn(s, "bytes not valid in character set %s replaced by U+FFFD", r.ic.Syntax); err != nil {
			return nil, err
		}
	}
	probs := r.env.Read(s)
	if s.Tag == "UNT" && r.msg != nil {
		// The PNR ends before the message's counts are checked.
		p, err := r.finishPNR()
		if err != nil {
			return nil, err
		}
		if err := r.problems(s, probs); err != nil {
			return nil, err
		}
		return p, r.endMessage(s)
	}
	if err := r.problems(s, probs); err != nil {
		return nil, err
	}
	switch s.Tag {
	case "UNB":
		r.ic.Header = r.env.Header
	case "UNG", "UNE", "UNZ":
	case "UNH":
		return nil, r.startMessage(s)
	default:
		if s.Tag == "SRC" {
			p, err := r.finishPNR()
			if err != nil {
				return nil, err
			}
			r.startPNR(s)
			return p, nil
		}
		if r.p == nil {
			return nil, r.header(s)
		}
		return nil, r.p.segment(s)
	}
	return nil, nil
}

// problems refuses or records what the envelope found wrong.
func (r *Reader) problems(s *edifact.Segment, ps []edifact.Problem) error {
	for _, p := range ps {
		at := s
		if p.Segment > 0 {
			at = &edifact.Segment{Tag: p.Tag, N: p.Segment}
		}
		if p.Fault {
			return r.errAt(at, "%s", p.Msg)
		}
		if err := r.warn(at, "%s", p.Msg); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) startMessage(s *edifact.Segment) error {
	r.ic.Messages = append(r.ic.Messages, Message{Index: len(r.ic.Messages) + 1, Ref: s.Elem(0, 0), Declared: -1, PNRs: []PNR{}})
	r.msg, r.unh = &r.ic.Messages[len(r.ic.Messages)-1], s.N
	if t := s.Elem(1, 0); t != "PNRGOV" {
		return r.errAt(s, "message type %q is not PNRGOV", edifact.Printable(t))
	}
	major, release := s.Elem(1, 1), s.Elem(1, 2)
	r.msg.Version = major
	if release != "" {
		r.msg.Version += "." + release
	}
	if v, err := strconv.Atoi(major); err != nil || v < 10 || v > 17 {
		return r.warn(s, "PNRGOV version %q: this reader knows versions 10.1 to 17.1", edifact.Printable(r.msg.Version))
	}
	return nil
}

func (r *Reader) endMessage(s *edifact.Segment) error {
	msg := r.msg
	defer func() { r.msg, r.counted = nil, 0 }()
	if n := r.counted; msg.Declared >= 0 && msg.Declared != n {
		if err := r.warn(s, "EQN announced %d PNRs, message %d holds %d", msg.Declared, msg.Index, n); err != nil {
			return err
		}
	}
	return nil
}

// header maps the segments of a message before its first PNR.
func (r *Reader) header(s *edifact.Segment) error {
	msg := r.msg
	switch s.Tag {
	case "MSG":
		msg.Function = s.Elem(0, 1)
		if msg.Function == "" {
			msg.Function = s.Elem(0, 0)
		}
	case "ORG":
		msg.Sender = agency(s)
	case "TVL":
		leg, err := r.flight(s)
		if err != nil {
			return err
		}
		msg.Flight = leg
	case "EQN":
		n, err := strconv.Atoi(s.Elem(0, 0))
		if err != nil || n < 0 {
			return r.warn(s, "EQN number of PNRs %q is not a number", edifact.Printable(s.Elem(0, 0)))
		}
		msg.Declared = n
	}
	return nil
}

// flight reads the TVL of the reported flight: its departure must be a
// date, the rest may be missing.
func (r *Reader) flight(s *edifact.Segment) (Leg, error) {
	leg, probs := tvl(s, r.ic.Prepared)
	if leg.DepartureTime == "" {
		msg := "flight without a departure date"
		if len(probs) > 0 {
			msg = probs[0]
		}
		return leg, r.errAt(s, "%s", msg)
	}
	for _, p := range probs {
		if err := r.warn(s, "%s", p); err != nil {
			return leg, err
		}
	}
	return leg, nil
}

func (r *Reader) end() error {
	if err := r.problems(&r.last, r.env.End(r.last)); err != nil {
		return err
	}
	if r.last.N == 0 {
		return ErrNoInterchange
	}
	if len(r.ic.Messages) == 0 {
		return ErrNoMessage
	}
	return nil
}

// ErrTooLarge is wrapped by the error for a PNR over MaxPNRSegments.
var ErrTooLarge = errors.New("PNR too large")
