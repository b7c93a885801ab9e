package edifact

import (
	"errors"
	"fmt"
	"strings"
)

// Error reports a segment that cannot be read or would give wrong data; the
// message readers return it.
type Error struct {
	// Reader names the reader, the prefix of the text ("paxlst", "pnrgov").
	Reader string
	// Segment is the 1-based number of the segment, counted from the start
	// of the interchange with UNB = 1 (UNA is not counted).
	Segment int
	// Tag is the segment tag, such as "DTM"; it may be empty or partial for
	// an unreadable or unterminated segment.
	Tag string
	// Message is the 1-based index of the message (UNH..UNT) holding the
	// segment, or 0 outside a message.
	Message int
	// MessageSegment is the 1-based number of the segment counted from its
	// UNH (UNH = 1, as UNT counts), or 0 outside a message.
	MessageSegment int
	// Group names the group of the message the segment is in, such as
	// "PNR 2", or "".
	Group string
	// Err describes the problem.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Reader != "" {
		b.WriteString(e.Reader + ": ")
	}
	if e.Segment > 0 {
		fmt.Fprintf(&b, "segment %d", e.Segment)
		if e.Tag != "" {
			fmt.Fprintf(&b, " (%s)", e.Tag)
		}
		b.WriteString(" of the interchange")
		if e.Message > 0 {
			fmt.Fprintf(&b, ", segment %d of message %d", e.MessageSegment, e.Message)
		}
		if e.Group != "" {
			fmt.Fprintf(&b, " (%s)", e.Group)
		}
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ReaderError turns an error of the scanner into a reader's: a
// *SyntaxError becomes an *Error (quoting the offending text only if quote),
// ErrNoInterchange the reader's noInterchange.
func ReaderError(reader string, err error, quote bool, noInterchange error) error {
	var se *SyntaxError
	switch {
	case errors.As(err, &se):
		msg := errors.New(se.Msg)
		if quote && se.Text != "" {
			msg = fmt.Errorf("%s %q", se.Msg, se.Text)
		}
		return &Error{Reader: reader, Segment: se.Segment, Tag: se.Tag, Err: msg}
	case errors.Is(err, ErrNoInterchange):
		return noInterchange
	}
	return fmt.Errorf("%s: %w", reader, err)
}
