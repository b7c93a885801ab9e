// Package paxlst reads UN/EDIFACT PAXLST messages (Advance Passenger
// Information) as airlines send them to border agencies, and turns them into
// travellers that Concord can screen.
//
// It handles directories D.02B and D.05B; a UNA service string advice with any
// separators, or none (the defaults are ":+.? '"); the release character;
// Type-B teletype headers and mail footers around the interchange; segments
// one per line, all on one line, or wrapped at any column (every CR and LF is
// dropped unless UNA declares it a separator); optional UNG groups; several
// messages per interchange; passengers (NAD+FL, in transit NAD+DDU) and crew
// (NAD+FM, in transit NAD+DDT); flights of one or several legs.
//
// The parser is tolerant where real airlines are sloppy and strict where data
// would be wrong. A segment it cannot read, a traveller without a name, an
// invalid date or gender, a message without UNH or UNT, or an interchange that
// ends inside a segment (but for a final UNZ that closes what UNB opened, which
// is a warning) is refused with an *Error that names the segment. Segments
// are read by internal/importer/edifact, which the PNRGOV reader shares.
// Control counts (UNT, CNT, UNE, UNZ) are wrong in most real samples, so by
// default a mismatch is recorded in Interchange.Warnings; Options.Strict turns
// those warnings into errors.
//
// Parse and ParseBytes read a whole interchange (at most MaxSize bytes) and
// keep every traveller in its message. Stream reads one of any size as it
// comes and passes each traveller on as soon as its group of segments ends,
// holding one segment and one traveller at a time. Both refuse what they
// would otherwise hold without bound: more than MaxMessages messages,
// MaxLegs legs in a message or MaxDocuments documents of a traveller, a
// segment over edifact.DefaultMaxSegment bytes; warnings beyond MaxWarnings
// are counted, not listed.
//
// Segment numbers in errors count from the start of the interchange, UNB being
// segment 1 (UNA is a service string advice, not a segment, and is not
// counted); inside a message the error also gives the number counted from
// UNH = 1, as UNT counts.
package paxlst
