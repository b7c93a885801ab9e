package paxlst

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoInterchange is returned when the input holds no UNA or UNB segment.
var ErrNoInterchange = errors.New("paxlst: no UN/EDIFACT interchange (UNA or UNB) found")

// ErrNoMessage is returned when the interchange holds no message (UNH..UNT).
var ErrNoMessage = errors.New("paxlst: no PAXLST message (UNH..UNT) in the interchange")

// Error reports a segment that cannot be read or would give wrong data.
type Error struct {
	// Segment is the 1-based number of the segment, counted from the start
	// of the interchange with UNB = 1 (UNA is not counted).
	Segment int
	// Tag is the segment tag, such as "DTM"; it may be empty or partial for an
	// unreadable or unterminated segment.
	Tag string
	// Message is the 1-based index of the message (UNH..UNT) holding the
	// segment, or 0 outside a message.
	Message int
	// MessageSegment is the 1-based number of the segment counted from its
	// UNH (UNH = 1, as UNT counts), or 0 outside a message.
	MessageSegment int
	// Err describes the problem.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("paxlst: ")
	if e.Segment > 0 {
		fmt.Fprintf(&b, "segment %d", e.Segment)
		if e.Tag != "" {
			fmt.Fprintf(&b, " (%s)", e.Tag)
		}
		b.WriteString(" of the interchange")
		if e.Message > 0 {
			fmt.Fprintf(&b, ", segment %d of message %d", e.MessageSegment, e.Message)
		}
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
