package pnrgov

import (
	"errors"
	"fmt"
	"strings"

	"concord/internal/importer/edifact"
)

// ErrNoInterchange is returned when the input holds no UNA or UNB segment.
var ErrNoInterchange = errors.New("pnrgov: no UN/EDIFACT interchange (UNA or UNB) found")

// ErrNoMessage is returned when the interchange holds no message (UNH..UNT).
var ErrNoMessage = errors.New("pnrgov: no PNRGOV message (UNH..UNT) in the interchange")

// Error reports a segment that cannot be read or would give wrong data. Its
// text quotes codes, dates and numbers, never free text.
type Error struct {
	// Segment is the 1-based number of the segment, counted from the start
	// of the interchange with UNB = 1 (UNA is not counted).
	Segment int
	// Tag is the segment tag, such as "TVL"; it may be empty or partial for
	// an unreadable or unterminated segment.
	Tag string
	// Message is the 1-based index of the message (UNH..UNT) holding the
	// segment, or 0 outside a message.
	Message int
	// MessageSegment is the 1-based number of the segment counted from its
	// UNH (UNH = 1, as UNT counts), or 0 outside a message.
	MessageSegment int
	// PNR is the 1-based position of the PNR in its message, or 0.
	PNR int
	// Err describes the problem.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pnrgov: ")
	if e.Segment > 0 {
		fmt.Fprintf(&b, "segment %d", e.Segment)
		if e.Tag != "" {
			fmt.Fprintf(&b, " (%s)", e.Tag)
		}
		b.WriteString(" of the interchange")
		if e.Message > 0 {
			fmt.Fprintf(&b, ", segment %d of message %d", e.MessageSegment, e.Message)
		}
		if e.PNR > 0 {
			fmt.Fprintf(&b, " (PNR %d)", e.PNR)
		}
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// lexError turns an error of the segment scanner into this package's. The
// text of a line that is not a segment is not quoted: it may be a remark.
func lexError(err error) error {
	var se *edifact.SyntaxError
	switch {
	case errors.As(err, &se):
		return &Error{Segment: se.Segment, Tag: se.Tag, Err: errors.New(se.Msg)}
	case errors.Is(err, edifact.ErrNoInterchange):
		return ErrNoInterchange
	}
	return fmt.Errorf("pnrgov: %w", err)
}
