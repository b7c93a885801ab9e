package pnrgov

import (
	"errors"

	"concord/internal/importer/edifact"
)

// ErrNoInterchange is returned when the input holds no UNA or UNB segment.
var ErrNoInterchange = errors.New("pnrgov: no UN/EDIFACT interchange (UNA or UNB) found")

// ErrNoMessage is returned when the interchange holds no message (UNH..UNT).
var ErrNoMessage = errors.New("pnrgov: no PNRGOV message (UNH..UNT) in the interchange")

// Error reports a segment that cannot be read or would give wrong data
// (Reader "pnrgov", Group the PNR). Its text quotes codes, dates and
// numbers, never free text.
type Error = edifact.Error

// lexError turns an error of the segment scanner into this package's. The
// text of a line that is not a segment is not quoted: it may be a remark.
func lexError(err error) error { return edifact.ReaderError("pnrgov", err, false, ErrNoInterchange) }
