package iso20022

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"concord"
	"concord/internal/importer/payment"
)

// appHeader reads the sending and receiving banks of a business application
// header (head.001): Fr/FIId/FinInstnId/BICFI and To/….
func (r *reader) appHeader(n *node) {
	for _, side := range []struct {
		el  string
		dst *string
	}{{"Fr", &r.msg.Sender}, {"To", &r.msg.Receiver}} {
		fi := n.at(side.el, "FIId", "FinInstnId")
		if b := firstOf(fi, "BICFI", "BIC"); b != "" {
			if v, err := payment.CheckBIC(b); err == nil {
				*side.dst = v
			} else {
				r.msg.Warnings = append(r.msg.Warnings, fmt.Sprintf("%s/%s: %v", n.path(), side.el, err))
			}
		}
	}
}

// header reads the group header: message id, creation time, declared count.
func (r *reader) header(n *node) error {
	r.msg.ID = n.get("MsgId")
	r.msg.Created = n.get("CreDtTm")
	if s := n.get("NbOfTxs"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			return r.errAt(n.child("NbOfTxs"), "NbOfTxs %q is not a number", s)
		}
		r.msg.Declared = v
	}
	return nil
}

func firstOf(n *node, names ...string) string {
	for _, name := range names {
		if v := n.get(name); v != "" {
			return v
		}
	}
	return ""
}

// numbered are the elements of the agents that come numbered 1 to 3
// (PrvsInstgAgt1, IntrmyAgt2 and their accounts), with their roles.
type numbered struct{ el, acct, role string }

func agentsNumbered(el, role string) []numbered {
	var out []numbered
	for i := 1; i <= 3; i++ {
		out = append(out, numbered{fmt.Sprintf("%s%d", el, i), fmt.Sprintf("%s%dAcct", el, i), fmt.Sprintf("%s %d", role, i)})
	}
	return out
}

var (
	prevInstructing          = agentsNumbered("PrvsInstgAgt", payment.RolePrevInstructing)
	intermediaries           = agentsNumbered("IntrmyAgt", payment.RoleIntermediary)
	underlyingIntermediaries = agentsNumbered("IntrmyAgt", payment.RoleUnderlying+payment.RoleIntermediary)
)

// tx assembles the parties of one transaction.
type tx struct {
	r   *reader
	out *payment.Transaction
}

// transaction maps one CdtTrfTxInf with what it inherits from the group
// header and its payment information block, and hands it to fn.
func (r *reader) transaction(n *node) error {
	r.txN++
	t := &tx{r: r, out: &payment.Transaction{N: r.txN, Where: n.path()}}
	o := t.out
	o.Ref = firstOf(n.child("PmtId"), "EndToEndId", "TxId", "InstrId", "UETR")
	if o.Ref == "NOTPROVIDED" {
		o.Ref = firstOf(n.child("PmtId"), "TxId", "InstrId", "UETR")
	}
	if err := t.amount(n); err != nil {
		return err
	}
	o.Date = firstOf(n, "IntrBkSttlmDt")
	if o.Date == "" {
		o.Date = firstOf(r.grpHdr, "IntrBkSttlmDt")
	}
	if o.Date == "" && r.pmtInf != nil {
		o.Date = firstOf(r.pmtInf, "ReqdExctnDt")
		if o.Date == "" {
			o.Date = firstOf(r.pmtInf.child("ReqdExctnDt"), "Dt", "DtTm")
		}
	}
	o.Purpose = firstOf(n.child("Purp"), "Cd", "Prtry")

	pi := r.pmtInf
	hdr := r.grpHdr
	// Parties in the order money flows.
	t.party(n, "InitgPty", payment.RoleInitiatingParty)
	if n.child("InitgPty") == nil {
		t.party(hdr, "InitgPty", payment.RoleInitiatingParty)
	}
	t.either(n, pi, "UltmtDbtr", "", payment.RoleUltimateDebtor)
	t.either(n, pi, "Dbtr", "DbtrAcct", payment.RoleDebtor)
	t.either(n, pi, "DbtrAgt", "DbtrAgtAcct", payment.RoleDebtorAgent)
	for _, a := range prevInstructing {
		t.agent(n, a.el, a.acct, a.role)
	}
	t.either(n, hdr, "InstgAgt", "", payment.RoleInstructingAgent)
	for _, a := range intermediaries {
		t.agent(n, a.el, a.acct, a.role)
	}
	t.either(n, hdr, "InstdAgt", "", payment.RoleInstructedAgent)
	t.agent(n, "CdtrAgt", "CdtrAgtAcct", payment.RoleCreditorAgent)
	t.agent(n, "Cdtr", "CdtrAcct", payment.RoleCreditor)
	t.party(n, "UltmtCdtr", payment.RoleUltimateCreditor)
	if n.child("Cdtr") == nil && n.child("CdtrAcct") == nil {
		if u := n.child("UndrlygCstmrCdtTrf"); u == nil || u.child("Cdtr") == nil {
			return r.errAt(n, "transaction %d has no creditor (Cdtr or CdtrAcct)", r.txN)
		}
	}
	t.remittance(n, "")
	t.instructions(n, "")
	if u := n.child("UndrlygCstmrCdtTrf"); u != nil {
		t.underlying(u)
	}
	if len(r.parties) > 0 {
		o.Parties = slices.Clone(r.parties)
		clear(r.parties)
		r.parties = r.parties[:0]
	}
	if err := r.fn(o); err != nil {
		return err
	}
	return nil
}

// amount reads the instructed or settled amount and checks its form.
func (t *tx) amount(n *node) error {
	var a *node
	for _, p := range [][]string{{"IntrBkSttlmAmt"}, {"Amt", "InstdAmt"}, {"InstdAmt"}, {"Amt", "EqvtAmt", "Amt"}} {
		if a = n.at(p...); a != nil {
			break
		}
	}
	if a == nil {
		return nil
	}
	v := strings.TrimSpace(a.text)
	if !decimal(v) {
		return t.r.errAt(a, "amount %q is not a decimal number", v)
	}
	if a.ccy != "" && !currency(a.ccy) {
		return t.r.errAt(a, "currency %q is not an ISO 4217 code", a.ccy)
	}
	t.out.Amount, t.out.Currency = v, a.ccy
	return nil
}

func decimal(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

func currency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// either maps el (and its account) from the transaction, or else from the
// enclosing block (the payment information of pain.001, the group header).
func (t *tx) either(n, outer *node, el, acct, role string) {
	src := n
	if n.child(el) == nil && (acct == "" || n.child(acct) == nil) {
		src = outer
	}
	if src == nil {
		return
	}
	t.agent(src, el, acct, role)
}

// agent maps el of n and its account el/acct as a party of role: a bank
// when it has FinInstnId, a customer otherwise.
func (t *tx) agent(n *node, el, acct, role string) {
	p := n.child(el)
	var a *node
	if acct != "" {
		a = n.child(acct)
	}
	if p == nil && a == nil {
		return
	}
	var out payment.Party
	switch {
	case p != nil && (p.child("FinInstnId") != nil || p.child("BrnchId") != nil):
		out = t.institution(p, role)
	case p != nil:
		out = t.customer(p, role)
	default:
		out = payment.Party{Role: role, Where: a.path()}
	}
	if a != nil {
		t.account(&out, a)
	}
	t.add(out)
}

// party maps a customer-like party with no account of its own.
func (t *tx) party(n *node, el, role string) {
	t.agent(n, el, "", role)
}

func (t *tx) add(p payment.Party) {
	if !p.Empty() {
		t.r.parties = append(t.r.parties, p)
	}
}

// customer maps a PartyIdentification: name, postal address, organisation
// or private identification, country of residence.
func (t *tx) customer(n *node, role string) payment.Party {
	p := payment.Party{Role: role, Name: clean(n.get("Nm")), Where: n.path()}
	p.Address = address(n.child("PstlAdr"))
	if org := n.at("Id", "OrgId"); org != nil {
		p.Kind = payment.KindOrganization
		if b := firstOf(org, "AnyBIC", "BICOrBEI", "BIC"); b != "" {
			t.bic(&p, b, org)
		}
		p.LEI = strings.ToUpper(org.get("LEI"))
		for o := org.child("Othr"); o != nil; o = o.nextNamed() {
			p.Identifiers = append(p.Identifiers, other(o))
		}
	}
	if prv := n.at("Id", "PrvtId"); prv != nil {
		p.Kind = payment.KindPerson
		if b := prv.child("DtAndPlcOfBirth"); b != nil {
			p.BirthDate = b.get("BirthDt")
			var place []string
			for _, el := range []string{"CityOfBirth", "PrvcOfBirth", "CtryOfBirth"} {
				if v := b.get(el); v != "" {
					place = append(place, v)
				}
			}
			p.BirthPlace = strings.Join(place, ", ")
		}
		for o := prv.child("Othr"); o != nil; o = o.nextNamed() {
			p.Identifiers = append(p.Identifiers, other(o))
		}
	}
	if c := n.get("CtryOfRes"); c != "" && p.Address == nil {
		if cc, ok := concord.CountryCode(c); ok {
			p.Address = &payment.Address{Country: cc}
		}
	}
	return p
}

func other(o *node) payment.Identifier {
	return payment.Identifier{Value: o.get("Id"), Scheme: firstOf(o.child("SchmeNm"), "Cd", "Prtry"), Issuer: o.get("Issr")}
}

// institution maps a BranchAndFinancialInstitutionIdentification: BIC,
// clearing system member id, LEI, name and address.
func (t *tx) institution(n *node, role string) payment.Party {
	fi := n.child("FinInstnId")
	p := payment.Party{Role: role, Kind: payment.KindInstitution, Name: clean(fi.get("Nm")), Where: n.path()}
	if b := firstOf(fi, "BICFI", "BIC"); b != "" {
		t.bic(&p, b, fi)
	}
	p.LEI = strings.ToUpper(fi.get("LEI"))
	p.Address = address(fi.child("PstlAdr"))
	if m := fi.child("ClrSysMmbId"); m != nil {
		p.Identifiers = append(p.Identifiers, payment.Identifier{Value: m.get("MmbId"),
			Scheme: firstOf(m.child("ClrSysId"), "Cd", "Prtry")})
	}
	if o := fi.child("Othr"); o != nil {
		p.Identifiers = append(p.Identifiers, other(o))
	}
	if p.Name == "" {
		p.Name = clean(n.get("BrnchId", "Nm"))
	}
	return p
}

func (t *tx) bic(p *payment.Party, b string, where *node) {
	v, err := payment.CheckBIC(b)
	if err != nil {
		p.Warnings = append(p.Warnings, err.Error())
		p.Identifiers = append(p.Identifiers, payment.Identifier{Scheme: "BIC", Value: strings.ToUpper(strings.TrimSpace(b))})
		return
	}
	p.BIC = v
}

// account maps a CashAccount: IBAN or other id, currency, name.
func (t *tx) account(p *payment.Party, a *node) {
	iban := a.get("Id", "IBAN")
	scheme := ""
	v := iban
	if v == "" {
		o := a.at("Id", "Othr")
		v = o.get("Id")
		scheme = firstOf(o.child("SchmeNm"), "Cd", "Prtry")
	}
	acct, warn := payment.NewAccount(v, iban != "", scheme, a.get("Ccy"))
	if warn != "" {
		p.Warnings = append(p.Warnings, warn)
	}
	p.Account = acct
	if p.Name == "" {
		p.Name = clean(a.get("Nm"))
	}
	if p.Where == "" {
		p.Where = a.path()
	}
}

// address maps a PostalAddress: structured elements and address lines; the
// country from Ctry, or from a last address line that is a country.
func address(n *node) *payment.Address {
	if n == nil {
		return nil
	}
	a := &payment.Address{Town: n.get("TwnNm")}
	var street []string
	for _, el := range []string{"Dept", "SubDept", "StrtNm", "BldgNb", "BldgNm", "Flr", "PstBx", "Room"} {
		if v := n.get(el); v != "" {
			street = append(street, v)
		}
	}
	if len(street) > 0 {
		a.Lines = append(a.Lines, strings.Join(street, " "))
	}
	var town []string
	for _, el := range []string{"PstCd", "TwnNm", "TwnLctnNm", "DstrctNm", "CtrySubDvsn"} {
		if v := n.get(el); v != "" {
			town = append(town, v)
		}
	}
	if len(town) > 0 {
		a.Lines = append(a.Lines, strings.Join(town, " "))
	}
	var last *node // the last address line
	for l := n.child("AdrLine"); l != nil; l = l.nextNamed() {
		if v := clean(l.text); v != "" {
			a.Lines = append(a.Lines, v)
		}
		last = l
	}
	if c := n.get("Ctry"); c != "" {
		if cc, ok := concord.CountryCode(c); ok {
			a.Country = cc
		}
	} else if last != nil {
		a.Country = countryOfLine(last.text)
	}
	if len(a.Lines) == 0 && a.Country == "" {
		return nil
	}
	return a
}

// countryOfLine reads a country from an address line that is only a
// country: "GB", "Russia", "Syrian Arab Republic".
func countryOfLine(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 && strings.ToUpper(s) != s {
		return "" // "na", "no": words, not codes
	}
	if cc, ok := concord.CountryCode(s); ok {
		return cc
	}
	return ""
}

// clean folds white space runs (names wrapped over lines) to one space.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isClean reports whether s has no white space but single spaces between
// words: what clean returns unchanged.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError || unicode.IsSpace(r) {
				return false // let strings.Fields decide
			}
			i += size - 1
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case c < ' ':
			return false // tab, new line, …
		}
	}
	return true
}

// remittance maps the unstructured remittance lines (and the additional
// free text of structured remittance) as one text, and the invoicer and
// invoicee of structured remittance as parties.
func (t *tx) remittance(n *node, prefix string) {
	rmt := n.child("RmtInf")
	if rmt == nil {
		return
	}
	var texts []string
	for u := rmt.child("Ustrd"); u != nil; u = u.nextNamed() {
		if v := clean(u.text); v != "" {
			texts = append(texts, v)
		}
	}
	for s := rmt.child("Strd"); s != nil; s = s.nextNamed() {
		for a := s.child("AddtlRmtInf"); a != nil; a = a.nextNamed() {
			if v := clean(a.text); v != "" {
				texts = append(texts, v)
			}
		}
		t.party(s, "Invcr", prefix+payment.RoleInvoicer)
		t.party(s, "Invcee", prefix+payment.RoleInvoicee)
	}
	if len(texts) > 0 {
		t.add(payment.Party{Role: prefix + payment.RoleRemittance, Kind: payment.KindText,
			Text: strings.Join(texts, " / "), Where: rmt.path()})
	}
}

// instructions maps the free text of instructions to agents.
func (t *tx) instructions(n *node, prefix string) {
	for _, in := range []struct{ el, role string }{
		{"InstrForCdtrAgt", payment.RoleInstrCdtrAgt},
		{"InstrForDbtrAgt", "instruction for debtor agent"},
		{"InstrForNxtAgt", payment.RoleInstrNextAgent},
	} {
		var texts []string
		var first *node
		for i := n.child(in.el); i != nil; i = i.nextNamed() {
			if first == nil {
				first = i
			}
			v := clean(i.get("InstrInf"))
			if v == "" && i.child("InstrInf") == nil {
				v = clean(i.text) // InstrForDbtrAgt is text in pain.001
			}
			if v != "" {
				texts = append(texts, v)
			}
		}
		if len(texts) > 0 {
			t.add(payment.Party{Role: prefix + in.role, Kind: payment.KindText, Text: strings.Join(texts, " / "), Where: first.path()})
		}
	}
}

// underlying maps the customer credit transfer under a cover payment.
func (t *tx) underlying(u *node) {
	pre := payment.RoleUnderlying
	t.party(u, "InitgPty", pre+payment.RoleInitiatingParty)
	t.party(u, "UltmtDbtr", pre+payment.RoleUltimateDebtor)
	t.agent(u, "Dbtr", "DbtrAcct", pre+payment.RoleDebtor)
	t.agent(u, "DbtrAgt", "DbtrAgtAcct", pre+payment.RoleDebtorAgent)
	for _, a := range underlyingIntermediaries {
		t.agent(u, a.el, a.acct, a.role)
	}
	t.agent(u, "CdtrAgt", "CdtrAgtAcct", pre+payment.RoleCreditorAgent)
	t.agent(u, "Cdtr", "CdtrAcct", pre+payment.RoleCreditor)
	t.party(u, "UltmtCdtr", pre+payment.RoleUltimateCreditor)
	t.remittance(u, pre)
	t.instructions(u, pre)
}
