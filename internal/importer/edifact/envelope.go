package edifact

import (
	"fmt"
	"strconv"
	"time"
)

// Header is what UNB says of an interchange.
type Header struct {
	Syntax    string    `json:"syntax"`    // syntax identifier and version, e.g. "UNOA:4"
	Sender    string    `json:"sender"`    // UNB interchange sender
	Recipient string    `json:"recipient"` // UNB interchange recipient
	Prepared  time.Time `json:"prepared"`  // UNB date and time of preparation (UTC, as written)
	Control   string    `json:"control"`   // UNB interchange control reference
}

// Problem is what an Envelope finds wrong with the service segments: a Fault
// refuses the interchange; anything else is tolerated as a warning (which a
// strict reader refuses too). Segment and Tag are set when the problem is
// not at the segment read (at the end of the input).
type Problem struct {
	Msg     string
	Fault   bool
	Segment int
	Tag     string
}

func fault(format string, args ...any) []Problem {
	return []Problem{{Msg: fmt.Sprintf(format, args...), Fault: true}}
}

func warn(ps []Problem, format string, args ...any) []Problem {
	return append(ps, Problem{Msg: fmt.Sprintf(format, args...)})
}

// Envelope follows the service segments of an interchange (UNB, UNG, UNE,
// UNZ, UNH, UNT): that they nest, and that their control counts and
// references agree (wrong in most real samples: warnings). The message
// readers call Read with every segment and map what is inside a message.
type Envelope struct {
	Header
	// Now is the clock that chooses the century of the UNB date (the latest
	// not after two days from now).
	Now func() time.Time

	messages  int    // messages begun
	open      bool   // between UNH and UNT
	closing   bool   // the last segment was the UNT
	unh       int    // segment number of the current UNH
	msgRef    string // its reference
	inGroup   bool   // between UNG and UNE
	groups    int
	groupMsgs int
	groupRef  string
}

// InMessage reports whether the last segment read is inside a message
// (UNH..UNT, both included).
func (e *Envelope) InMessage() bool { return e.open }

// Message is the 1-based index of the current (or last) message.
func (e *Envelope) Message() int { return e.messages }

// MessageSegment is the number of segment n counted from the current
// message's UNH (UNH = 1, as UNT counts).
func (e *Envelope) MessageSegment(n int) int { return n - e.unh + 1 }

// Read follows one segment. For UNT, InMessage is still true when Read
// returns (the reader ends its message), and false after the next Read.
func (e *Envelope) Read(s *Segment) []Problem {
	if s.N == 1 && s.Tag != "UNB" {
		return fault("interchange does not start with UNB")
	}
	if e.closing {
		e.open, e.closing = false, false
	}
	switch s.Tag {
	case "UNB":
		if s.N != 1 {
			return fault("second UNB in the interchange")
		}
		return e.unb(s)
	case "UNG":
		if e.open {
			return fault("UNG inside message %d (missing UNT)", e.messages)
		}
		e.inGroup, e.groupMsgs, e.groupRef = true, 0, s.Elem(4, 0)
		e.groups++
	case "UNE":
		if e.open {
			return fault("UNE inside message %d (missing UNT)", e.messages)
		}
		if !e.inGroup {
			return warn(nil, "UNE without UNG")
		}
		e.inGroup = false
		ps := e.count(nil, "UNE message count", s.Elem(0, 0), e.groupMsgs)
		if ref := s.Elem(1, 0); ref != e.groupRef {
			ps = warn(ps, "UNE reference %q does not match UNG reference %q", Printable(ref), Printable(e.groupRef))
		}
		return ps
	case "UNZ":
		return e.unz(s)
	case "UNH":
		if e.open {
			return fault("UNH before the UNT of message %d", e.messages)
		}
		e.messages++
		e.open, e.unh, e.msgRef = true, s.N, s.Elem(0, 0)
		e.groupMsgs++
	case "UNT":
		if !e.open {
			return fault("UNT without UNH")
		}
		ps := e.count(nil, "UNT segment count", s.Elem(0, 0), s.N-e.unh+1)
		if ref := s.Elem(1, 0); ref != e.msgRef {
			ps = warn(ps, "UNT reference %q does not match UNH reference %q", Printable(ref), Printable(e.msgRef))
		}
		e.closing = true
		return ps
	default:
		if !e.open {
			return fault("segment outside a message (missing UNH)")
		}
	}
	return nil
}

func (e *Envelope) count(ps []Problem, what, got string, want int) []Problem {
	if n, err := strconv.Atoi(got); err != nil || n != want {
		return warn(ps, "%s %q, counted %d", what, Printable(got), want)
	}
	return ps
}

func (e *Envelope) unb(s *Segment) []Problem {
	h := &e.Header
	h.Syntax = s.Elem(0, 0)
	if v := s.Elem(0, 1); v != "" {
		h.Syntax += ":" + v
	}
	h.Sender, h.Recipient, h.Control = s.Elem(1, 0), s.Elem(2, 0), s.Elem(4, 0)
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	d, _, err := Date(s.Elem(3, 0), PastCentury, now().UTC().Add(48*time.Hour))
	if err != nil {
		return fault("date of preparation: %v", err)
	}
	if hm := s.Elem(3, 1); hm != "" {
		t, err := time.Parse("1504", hm)
		if err != nil {
			return fault("invalid time of preparation %q", Printable(hm))
		}
		d = d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	h.Prepared = d
	return nil
}

// unz checks the end of the interchange. A UNZ without terminator at the
// end of the input is tolerated when it closes what UNB opened; when text
// follows its reference, the input is not a complete interchange.
func (e *Envelope) unz(s *Segment) []Problem {
	if e.open {
		return fault("UNZ inside message %d (missing UNT)", e.messages)
	}
	ref := s.Elem(1, 0)
	var ps []Problem
	if s.Unterminated {
		if ref != e.Control || len(s.Elems) > 2 {
			return fault("interchange ends inside UNZ, whose reference does not close UNB %q: text after the interchange, or a truncated one", Printable(e.Control))
		}
		ps = warn(ps, "UNZ not terminated (end of input)")
	}
	n := e.messages
	if e.groups > 0 {
		n = e.groups
	}
	ps = e.count(ps, "UNZ count", s.Elem(0, 0), n)
	if ref != e.Control {
		ps = warn(ps, "UNZ reference %q does not match UNB reference %q", Printable(ref), Printable(e.Control))
	}
	return ps
}

// End checks the end of the input after last, the last segment read (N 0
// for none).
func (e *Envelope) End(last Segment) []Problem {
	if e.closing {
		e.open, e.closing = false, false
	}
	if e.open {
		return []Problem{{Msg: fmt.Sprintf("message %d has no UNT (truncated interchange?)", e.messages), Fault: true, Segment: last.N + 1, Tag: "UNT"}}
	}
	if last.N > 0 && last.Tag != "UNZ" {
		return []Problem{{Msg: "missing UNZ", Segment: last.N + 1, Tag: "UNZ"}}
	}
	return nil
}
