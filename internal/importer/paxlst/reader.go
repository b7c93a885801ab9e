package paxlst

import "concord/internal/importer/edifact"

// segment is one segment of the interchange (see edifact.Segment).
type segment = edifact.Segment

// lexError turns an error of the segment scanner into this package's.
func lexError(err error) error { return edifact.ReaderError("paxlst", err, true, ErrNoInterchange) }
