package paxlst

import (
	"errors"
	"fmt"

	"concord/internal/importer/edifact"
)

// segment is one segment of the interchange (see edifact.Segment).
type segment = edifact.Segment

// lexError turns an error of the segment scanner into this package's.
func lexError(err error) error {
	var se *edifact.SyntaxError
	switch {
	case errors.As(err, &se):
		msg := errors.New(se.Msg)
		if se.Text != "" {
			msg = fmt.Errorf("%s %q", se.Msg, se.Text)
		}
		return &Error{Segment: se.Segment, Tag: se.Tag, Err: msg}
	case errors.Is(err, edifact.ErrNoInterchange):
		return ErrNoInterchange
	}
	return fmt.Errorf("paxlst: %w", err)
}
