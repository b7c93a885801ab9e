// Package iso20022 reads ISO 20022 credit transfers — pacs.008 (customer
// credit transfer between banks), pacs.009 (financial institution credit
// transfer, with the underlying customer transfer of a cover payment) and
// pain.001 (a customer's credit transfer initiation) — in any version and any
// bank's namespace variant, and maps every party of every transaction to
// internal/importer/payment.
//
// The reader streams: it walks the document's tokens and keeps in memory
// only the group header, the current payment information block (its debtor
// side, for pain.001) and the current transaction, so a message of any
// number of transactions is read in bounded memory. Its tokens come from a
// scanner of its own that accepts what encoding/xml's Decoder.RawToken
// accepts (FuzzScan compares the two) but reuses its buffers: reading a
// transaction allocates its strings, not a token per element. Unlike
// encoding/xml it holds no run of the input whole: a text run is kept to
// 64 KiB + 1 bytes (a longer one is refused where it is read), a name to
// 4 KiB, a start tag's attributes to 1 MiB. A message wrapped in a
// business application header (head.001 AppHdr, in an envelope) is read too;
// the header gives the sending and receiving banks.
//
// Elements are recognised by their local names, whatever the namespace: the
// namespace and the root element name the message and its version. A
// message that is not well-formed XML, that is none of the three messages,
// or whose transaction lacks a creditor, has an amount that is not a decimal
// or a currency that is not three letters, is refused with an *Error naming
// the file, line and element path. Identifiers that fail their checks (an
// IBAN whose check digits do not verify, a malformed BIC) do not stop the
// message: the party keeps the value as written, with a warning, and is
// screened. Control counts that disagree (NbOfTxs) are warnings.
package iso20022
