// Package payment is what the payment readers share: the parties of a
// transaction with their roles, accounts, agents and identifiers, as
// internal/importer/iso20022 (pacs.008, pacs.009, pain.001) and
// internal/importer/swiftmt (MT103, MT202) map them, and the checks of the
// identifiers banks exchange: IBAN (ISO 13616, check digits and the length
// of each country), BIC (ISO 9362) and other account numbers.
//
// Roles use the ISO 20022 names whatever the format ("debtor", "creditor
// agent", "intermediary agent 1"); a party also records where it was read
// (an element path, or an MT field tag and line), so that a screening result
// points at the place in the message.
//
// Free text (remittance information, instructions to agents, MT fields 70
// and 72) is kept as parties of their own role with Text set: NameWindows
// gives the runs of words in it that may be names, TextIdentifiers the
// account numbers, BICs and wallet addresses written in it.
package payment

import (
	"strings"
)

// Roles of the parties of a transaction, as ISO 20022 names them.
const (
	RoleInitiatingParty  = "initiating party"
	RoleDebtor           = "debtor"
	RoleUltimateDebtor   = "ultimate debtor"
	RoleCreditor         = "creditor"
	RoleUltimateCreditor = "ultimate creditor"
	RoleDebtorAgent      = "debtor agent"
	RoleCreditorAgent    = "creditor agent"
	RoleIntermediary     = "intermediary agent" // followed by 1..3
	RoleInstructingAgent = "instructing agent"
	RoleInstructedAgent  = "instructed agent"
	RolePrevInstructing  = "previous instructing agent" // followed by 1..3
	RoleReimbursement    = "reimbursement agent"        // MT 53a/54a/55a
	RoleInvoicer         = "invoicer"
	RoleInvoicee         = "invoicee"
	// Free-text fields.
	RoleRemittance       = "remittance information"
	RoleInstrCdtrAgt     = "instruction for creditor agent"
	RoleInstrNextAgent   = "instruction for next agent"
	RoleSenderToReceiver = "sender to receiver information" // MT field 72
	// RoleUnderlying prefixes the roles of the underlying customer credit
	// transfer of a cover payment (pacs.009 COV, MT202 COV).
	RoleUnderlying = "underlying "
)

// Kinds of party.
const (
	KindUnknown      = ""
	KindPerson       = "person"
	KindOrganization = "organization"
	KindInstitution  = "institution" // a bank: an agent, or a debtor or creditor of pacs.009
	KindText         = "text"        // a free-text field
)

// Message is the header of one payment message.
type Message struct {
	Format       string   `json:"format"`              // "pacs.008.001.08", "pain.001.001.03.ch.02", "MT103"
	Namespace    string   `json:"namespace,omitempty"` // XML namespace as written
	ID           string   `json:"id,omitempty"`        // GrpHdr/MsgId, or field 20 of the first transaction
	Created      string   `json:"created,omitempty"`   // GrpHdr/CreDtTm, or the MT output date
	Sender       string   `json:"sender,omitempty"`    // BIC of the sending bank (AppHdr/Fr, MT block 1/2)
	Receiver     string   `json:"receiver,omitempty"`  // BIC of the receiving bank
	Declared     int      `json:"declared,omitempty"`  // GrpHdr/NbOfTxs as written (0 when absent)
	Transactions int      `json:"transactions"`        // transactions read
	Warnings     []string `json:"warnings,omitempty"`  // control counts that disagree, and the like
	Index        int      `json:"index,omitempty"`     // 1-based position of the message in the file (MT files hold several)
}

// Transaction is one payment of a message, with every party it names.
type Transaction struct {
	N        int     `json:"n"`                  // 1-based position in the file
	Message  int     `json:"message,omitempty"`  // 1-based message of the file (MT)
	Ref      string  `json:"ref,omitempty"`      // EndToEndId, TxId, InstrId or MT field 20
	Amount   string  `json:"amount,omitempty"`   // as written, decimal point
	Currency string  `json:"currency,omitempty"` // ISO 4217
	Date     string  `json:"date,omitempty"`     // settlement or requested execution date, YYYY-MM-DD
	Purpose  string  `json:"purpose,omitempty"`  // Purp/Cd, MT 26T
	Parties  []Party `json:"parties"`
	Where    string  `json:"where"` // element path or MT position of the transaction
}

// Party is one party of a transaction in one role: a person, an
// organisation or a bank, or a free-text field.
type Party struct {
	Role        string       `json:"role"`
	Kind        string       `json:"kind,omitempty"`
	Name        string       `json:"name,omitempty"`
	Address     *Address     `json:"address,omitempty"`
	Account     *Account     `json:"account,omitempty"`
	BIC         string       `json:"bic,omitempty"` // validated, upper case, 8 or 11 characters
	LEI         string       `json:"lei,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	BirthDate   string       `json:"birth_date,omitempty"`  // YYYY-MM-DD
	BirthPlace  string       `json:"birth_place,omitempty"` // city, province, country as written
	Text        string       `json:"text,omitempty"`        // free-text fields: the text
	Where       string       `json:"where"`                 // element path, or MT field tag and line
	Warnings    []string     `json:"warnings,omitempty"`    // invalid IBAN, invalid BIC, ...
}

// Address is a postal address, structured or in lines.
type Address struct {
	Lines   []string `json:"lines,omitempty"` // the address as written, one line each
	Town    string   `json:"town,omitempty"`
	Country string   `json:"country,omitempty"` // ISO 3166 alpha-2, lower case
}

// Full is the address on one line.
func (a *Address) Full() string {
	if a == nil {
		return ""
	}
	return strings.Join(a.Lines, ", ")
}

// Identifier is an organisation or private identifier of a party.
type Identifier struct {
	Scheme string `json:"scheme,omitempty"` // ISO code (CCPT passport, NIDN national id, TXID, COID, ...) or proprietary name
	Value  string `json:"value"`
	Issuer string `json:"issuer,omitempty"`
}

// Account kinds.
const (
	AccountIBAN   = "iban"
	AccountOther  = "account"
	AccountWallet = "wallet" // a digital-currency address used as an account
)

// Account is the account of a party.
type Account struct {
	Kind     string `json:"kind"`              // iban, account or wallet
	Value    string `json:"value"`             // normalised: IBAN or account number without spaces, upper case; wallets as written
	Written  string `json:"written,omitempty"` // as written, when it differs
	Scheme   string `json:"scheme,omitempty"`  // Othr/SchmeNm
	Currency string `json:"currency,omitempty"`
	Country  string `json:"country,omitempty"` // of an IBAN, lower case
}

// Countries returns the countries a party is tied to, each with where it
// comes from ("address", "IBAN", "BIC", "birth"), without repeats.
func (p *Party) Countries() []CountryRef {
	var out []CountryRef
	add := func(cc, from string) {
		if cc == "" {
			return
		}
		for _, c := range out {
			if c.Country == cc && c.From == from {
				return
			}
		}
		out = append(out, CountryRef{Country: cc, From: from})
	}
	if p.Address != nil {
		add(p.Address.Country, "address")
	}
	if p.Account != nil {
		add(p.Account.Country, "IBAN")
	}
	if len(p.BIC) >= 6 {
		add(strings.ToLower(p.BIC[4:6]), "BIC")
	}
	return out
}

// CountryRef is a country a party is tied to and where it comes from.
type CountryRef struct {
	Country string `json:"country"`
	From    string `json:"from"`
}

// Empty reports whether the party carries nothing to screen.
func (p *Party) Empty() bool {
	return p.Name == "" && p.Account == nil && p.BIC == "" && p.LEI == "" && len(p.Identifiers) == 0 && p.Text == ""
}
