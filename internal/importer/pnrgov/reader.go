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

	msg       *Message // the current message (UNH seen, UNT not yet)
	unh       int      // segment number of its UNH
	inGroup   bool     // between UNG and UNE
	groups    int
	groupMsgs int
	groupRef  string

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
	return &Reader{opt: o, sc: edifact.NewScanner(r, edifact.Options{TypographicQuote: true, MaxSegment: MaxSegment})}
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
	e := &Error{Segment: s.N, Tag: s.Tag, Err: fmt.Errorf(format, args...)}
	if r.msg != nil {
		e.Message, e.MessageSegment = r.msg.Index, s.N-r.unh+1
		if r.p != nil {
			e.PNR = r.p.pnr.Position
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
	switch s.Tag {
	case "UNB":
		if s.N != 1 {
			return nil, r.errAt(s, "second UNB in the interchange")
		}
		return nil, r.unb(s)
	case "UNG":
		if r.msg != nil {
			return nil, r.errAt(s, "UNG inside message %d (missing UNT)", r.msg.Index)
		}
		r.inGroup, r.groupMsgs, r.groupRef = true, 0, s.Elem(4, 0)
		r.groups++
	case "UNE":
		if r.msg != nil {
			return nil, r.errAt(s, "UNE inside message %d (missing UNT)", r.msg.Index)
		}
		if !r.inGroup {
			return nil, r.warn(s, "UNE without UNG")
		}
		r.inGroup = false
		if err := r.checkCount(s, "UNE message count", s.Elem(0, 0), r.groupMsgs); err != nil {
			return nil, err
		}
		if ref := s.Elem(1, 0); ref != r.groupRef {
			return nil, r.warn(s, "UNE reference %q does not match UNG reference %q", edifact.Printable(ref), r.groupRef)
		}
	case "UNZ":
		return nil, r.unz(s)
	case "UNH":
		if r.msg != nil {
			return nil, r.errAt(s, "UNH before the UNT of message %d", r.msg.Index)
		}
		return nil, r.startMessage(s)
	case "UNT":
		if r.msg == nil {
			return nil, r.errAt(s, "UNT without UNH")
		}
		p, err := r.finishPNR()
		if err != nil {
			return nil, err
		}
		return p, r.endMessage(s)
	default:
		if r.msg == nil {
			return nil, r.errAt(s, "segment outside a message (missing UNH)")
		}
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

func (r *Reader) checkCount(s *edifact.Segment, what, got string, want int) error {
	n, err := strconv.Atoi(got)
	if err != nil || n != want {
		return r.warn(s, "%s %q, counted %d", what, edifact.Printable(got), want)
	}
	return nil
}

func (r *Reader) unb(s *edifact.Segment) error {
	ic := &r.ic
	ic.Syntax = s.Elem(0, 0)
	if v := s.Elem(0, 1); v != "" {
		ic.Syntax += ":" + v
	}
	ic.Sender, ic.Recipient, ic.Control = s.Elem(1, 0), s.Elem(2, 0), s.Elem(4, 0)
	now := r.opt.Now().UTC().Add(48 * time.Hour)
	d, _, err := edifact.Date(s.Elem(3, 0), edifact.PastCentury, now)
	if err != nil {
		return r.errAt(s, "date of preparation: %v", err)
	}
	if hm := s.Elem(3, 1); hm != "" {
		t, err := time.Parse("1504", hm)
		if err != nil {
			return r.errAt(s, "invalid time of preparation %q", edifact.Printable(hm))
		}
		d = d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	ic.Prepared = d
	return nil
}

// unz checks the end of the interchange. A UNZ without terminator at the end
// of the input is tolerated when it closes what UNB opened; when text
// follows its reference, the input is not a complete interchange.
func (r *Reader) unz(s *edifact.Segment) error {
	if r.msg != nil {
		return r.errAt(s, "UNZ inside message %d (missing UNT)", r.msg.Index)
	}
	ref := s.Elem(1, 0)
	if s.Unterminated {
		if ref != r.ic.Control || len(s.Elems) > 2 {
			return r.errAt(s, "interchange ends inside UNZ, whose reference does not close UNB %q: text after the interchange, or a truncated one", edifact.Printable(r.ic.Control))
		}
		if err := r.warn(s, "UNZ not terminated (end of input)"); err != nil {
			return err
		}
	}
	n := len(r.ic.Messages)
	if r.groups > 0 {
		n = r.groups
	}
	if err := r.checkCount(s, "UNZ count", s.Elem(0, 0), n); err != nil {
		return err
	}
	if ref != r.ic.Control {
		return r.warn(s, "UNZ reference %q does not match UNB reference %q", edifact.Printable(ref), edifact.Printable(r.ic.Control))
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
	r.groupMsgs++
	if v, err := strconv.Atoi(major); err != nil || v < 10 || v > 17 {
		return r.warn(s, "PNRGOV version %q: this reader knows versions 10.1 to 17.1", edifact.Printable(r.msg.Version))
	}
	return nil
}

func (r *Reader) endMessage(s *edifact.Segment) error {
	msg := r.msg
	defer func() { r.msg, r.counted = nil, 0 }()
	if err := r.checkCount(s, "UNT segment count", s.Elem(0, 0), s.N-r.unh+1); err != nil {
		return err
	}
	if ref := s.Elem(1, 0); ref != msg.Ref {
		if err := r.warn(s, "UNT reference %q does not match UNH reference %q", edifact.Printable(ref), edifact.Printable(msg.Ref)); err != nil {
			return err
		}
	}
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
	if r.msg != nil {
		n, unh := 1, r.unh
		if r.last.N > 0 {
			n = r.last.N + 1
		}
		return &Error{Segment: n, Tag: "UNT", Message: r.msg.Index, MessageSegment: n - unh + 1,
			Err: fmt.Errorf("message %d has no UNT (truncated interchange?)", r.msg.Index)}
	}
	if r.last.N == 0 {
		return ErrNoInterchange
	}
	if r.last.Tag != "UNZ" {
		s := &edifact.Segment{Tag: "UNZ", N: r.last.N + 1}
		if err := r.warn(s, "missing UNZ"); err != nil {
			return err
		}
	}
	if len(r.ic.Messages) == 0 {
		return ErrNoMessage
	}
	return nil
}

// ErrTooLarge is wrapped by the error for a PNR over MaxPNRSegments.
var ErrTooLarge = errors.New("PNR too large")
