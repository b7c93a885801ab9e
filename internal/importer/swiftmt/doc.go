// Package swiftmt reads SWIFT MT payment messages — MT103 (single customer
// credit transfer, STP and REMIT variants included) and MT202 / MT202 COV
// (financial institution transfer, with the underlying customer transfer of
// a cover payment) — and maps every party to internal/importer/payment with
// the ISO 20022 role it plays: 50a ordering customer → debtor, 52a ordering
// institution → debtor agent, 53a/54a/55a → reimbursement agents, 56a →
// intermediary agent 1, 57a account with institution → creditor agent, 59a
// beneficiary → creditor, 58a (MT202) beneficiary institution → creditor,
// the sender and receiver of blocks 1 and 2 → instructing and instructed
// agents, fields 70 and 72 → free text.
//
// A file holds one message or many, one after the other (with or without
// "$" separators or RJE control characters between them); messages are read
// and handed over one at a time, so a file of any size is read in bounded
// memory. Blocks 1 to 4 are read (3 for the STP/REMIT validation flag and
// the UETR, 5 is skipped); block 4 may also come alone, without headers.
//
// Fields 50A/F/K, 52A/D, 53a–57a, 58A/D, 59/59A/59F, 70, 72 and 77B are
// mapped: accounts (an IBAN is validated by its check digits, other
// numbers normalised), BICs (validated), names, addresses and countries, and
// in 50F the structured identifiers (passport, national id, customer
// number), birth date and place. A message that cannot be read — blocks
// that do not close, block 4 without its "-}" end, a line that is not a
// field, a 32A that is not a date, currency and amount, a mandatory field
// missing, a message type that is not a payment — is refused with an *Error
// naming the file, the line and the field tag.
package swiftmt
