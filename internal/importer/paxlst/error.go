package paxlst

import (
	"errors"

	"concord/internal/importer/edifact"
)

// ErrNoInterchange is returned when the input holds no UNA or UNB segment.
var ErrNoInterchange = errors.New("paxlst: no UN/EDIFACT interchange (UNA or UNB) found")

// ErrNoMessage is returned when the interchange holds no message (UNH..UNT).
var ErrNoMessage = errors.New("paxlst: no PAXLST message (UNH..UNT) in the interchange")

// Error reports a segment that cannot be read or would give wrong data
// (Reader "paxlst").
type Error = edifact.Error
