// Package pnrgov reads UN/EDIFACT PNRGOV messages — the Passenger Name
// Records airlines push to border agencies (UN Security Council resolution
// 2396, Directive (EU) 2016/681) — and turns each PNR into the bookings,
// travellers and links Concord screens and keeps.
//
// It handles PNRGOV versions 10.1 to 17.1 (another version is read the
// same way, with a warning); any UNA separators, or none; the release
// character; teletype headers and mail footers; segments one per line, all
// on one line or wrapped at any column; optional UNG groups; several messages
// per interchange (segments are read by internal/importer/edifact). Per PNR
// it reads the record locators (RCI), travellers (TIF) with their travel
// documents (SSR DOCS, DOCO, FOID), addresses (ADD, SSR DOCA), contacts
// (phones and e-mail in IFT, ADD and SSR CTCx), frequent-flyer accounts (FTI,
// SSR FQTV), tickets (TKT, MON, PTK) and forms of payment (FOP, with the
// payer of IFT 4:43), the itinerary (TVL, with codeshares, TRA, RPI, APD),
// the booking office or travel agency (ORG), booking and check-in dates
// (RCI, DAT), seats (SSR SEAT and the other seat requests, SSD) and bags
// (TBD, EBD), PNRs split from it (EQN) and the names and legs of its history
// (ABI, SAC). Every person the PNR names is a traveller, even one named only
// by a travel document or a check-in record (an infant, or a TIF lost to a
// broken segment), so that no one escapes screening.
//
// Sensitive data is never kept. SSR codes on the deny list (DefaultDenyList:
// special meals, which reveal religion or health; wheelchairs, medical
// cases and other requests revealing health) are dropped as they are read,
// with their text; nothing of them reaches the result, its warnings or its
// errors, and only Interchange.Dropped counts them. Free text is not kept
// at all — remarks (OSI), the text of other SSRs, history lines (LTS, IFT),
// fare calculations — except contacts, the payer's name and address and the
// fields of travel documents. A card number is reduced as it is read to its
// last four digits and, when it came unmasked, a keyed hash (CardHash) under
// the node's key; its expiry is not kept.
//
// The Reader returns one PNR at a time and holds only that PNR: memory is
// bounded by the PNR (MaxSegment, MaxPNRSegments), not by the message or the
// file. Parse collects them all.
//
// The parser is tolerant where real airlines are sloppy and strict where
// data would be wrong. A segment it cannot read, a traveller without a name,
// an invalid birth or expiry date or gender in a travel document, a contact
// cut in two by a data element separator written without the release
// character, a flight without a departure date, a message
// without UNH or UNT, or an interchange that ends inside a segment is refused
// with an *Error that names the segment — a final UNZ without terminator is
// tolerated when it closes what UNB opened, not when text follows it.
// Control counts (UNT, EQN, UNE, UNZ) are wrong in most real samples, a time
// of an itinerary leg sometimes is, and messages copied from implementation
// guides end segments with a typographic apostrophe: these are recorded in
// Interchange.Warnings; Options.Strict turns them into errors. Error texts
// quote codes, dates and numbers, never free text.
//
// Segment numbers in errors count from the start of the interchange, UNB
// being segment 1; inside a message the error also gives the number counted
// from UNH = 1, as UNT counts, and the PNR's position.
package pnrgov
