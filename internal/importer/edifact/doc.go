// Package edifact reads UN/EDIFACT interchanges as a stream of segments,
// whatever the message (PAXLST, PNRGOV, ...). It is the lexical layer the
// message readers (internal/importer/paxlst, internal/importer/pnrgov)
// share: they map segments, it finds them.
//
// The Scanner finds the interchange after any teletype header (Type-B
// routing lines, SOH/STX) by its UNA service string advice, or by a UNB
// written with the default separators ":+.? '"; it honours every separator
// the UNA declares and the release character; it drops CR and LF wherever
// they occur (segments one per line, all on one line, or wrapped at any
// column) unless UNA makes them separators, and skips white space before a
// segment tag. It stops after UNZ, so a mail footer is never read, and it
// holds one segment in memory at a time: a message of any size streams.
//
// Two habits of real senders are tolerated and reported: an interchange whose
// last segment, UNZ, lacks its terminator (Segment.Unterminated), and, when
// Options.TypographicQuote is set, a RIGHT SINGLE QUOTATION MARK (U+2019) at
// the end of a line where the terminator is the apostrophe — what a word
// processor or a PDF makes of "'" in messages copied from implementation
// guides (Scanner.Typographic lists those segments).
//
// An Envelope follows the service segments (UNB, UNG, UNE, UNZ, UNH, UNT):
// that they nest, and that control counts and references agree — wrong in
// most real samples, so a Problem is a warning unless it is a Fault. Error is
// the error type of the readers, naming the segment.
//
// Segments are numbered from the start of the interchange, UNB being segment
// 1 (UNA is a service string advice, not a segment).
package edifact
