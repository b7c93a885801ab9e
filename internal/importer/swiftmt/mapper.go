package swiftmt

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"

	"concord"
	"concord/internal/importer/payment"
)

// Read streams the messages of r and calls fn with each one's transaction,
// in file order. It returns a summary of the file (Format lists the message
// types met, Transactions counts the messages) or an *Error. fn's error
// stops the read and is returned as is.
func Read(r io.Reader, file string, fn func(*payment.Transaction) error) (*payment.Message, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); string(b) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	l := &lexer{r: br, file: file}
	sum := &payment.Message{}
	var types []string
	for {
		m, err := l.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		t, mtype, err := l.transaction(m)
		if err != nil {
			return nil, err
		}
		if sum.Transactions == 0 {
			sum.ID, sum.Sender, sum.Receiver = t.Ref, senderOf(m), receiverOf(m)
		}
		if !contains(types, mtype) {
			types = append(types, mtype)
		}
		sum.Transactions++
		if err := fn(t); err != nil {
			return nil, err
		}
	}
	if sum.Transactions == 0 {
		return nil, &Error{File: file, Line: l.line + 1, Err: fmt.Errorf("no SWIFT MT message in the file")}
	}
	sum.Format = strings.Join(types, ", ")
	return sum, nil
}

// ReadAll reads every message into memory (tests, small files).
func ReadAll(r io.Reader, file string) (*payment.Message, []payment.Transaction, error) {
	var txs []payment.Transaction
	m, err := Read(r, file, func(t *payment.Transaction) error {
		txs = append(txs, *t)
		return nil
	})
	return m, txs, err
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// messageType reads the type from block 2 (I103…, O103…), or guesses it
// from the fields of a headerless text block.
func messageType(m *raw) (string, bool) {
	if len(m.b2) >= 4 && (m.b2[0] == 'I' || m.b2[0] == 'O') {
		return m.b2[1:4], true
	}
	if m.b2 != "" {
		return "", false
	}
	for _, f := range m.fields {
		if f.Tag == "58A" || f.Tag == "58D" {
			return "202", true
		}
	}
	return "103", true
}

// senderOf is the BIC of the sending bank: the logical terminal of block 1
// for an input message, of the MIR in block 2 for an output message.
func senderOf(m *raw) string {
	if len(m.b2) >= 30 && m.b2[0] == 'O' {
		return ltBIC(m.b2[14:26])
	}
	if len(m.b1) >= 15 {
		return ltBIC(m.b1[3:15])
	}
	return ""
}

// receiverOf is the BIC of the receiving bank.
func receiverOf(m *raw) string {
	if len(m.b2) >= 16 && m.b2[0] == 'I' {
		return ltBIC(m.b2[4:16])
	}
	if len(m.b2) > 0 && m.b2[0] == 'O' && len(m.b1) >= 15 {
		return ltBIC(m.b1[3:15])
	}
	return ""
}

// ltBIC turns a logical terminal address (BIC8, terminal code, branch) into
// a BIC, or "" when it is not one.
func ltBIC(lt string) string {
	if len(lt) != 12 {
		return ""
	}
	v, err := payment.CheckBIC(lt[:8] + lt[9:])
	if err != nil {
		return ""
	}
	return v
}

var (
	re32A = regexp.MustCompile(`^(\d{2})(\d{2})(\d{2})([A-Z]{3})(\d{1,15}(,\d*)?)$`)
	reB3  = regexp.MustCompile(`\{(\d{3}):([^}]*)\}`)
)

// builder maps one message's fields.
type builder struct {
	l     *lexer
	m     *raw
	out   *payment.Transaction
	under bool // in the underlying customer transfer of an MT202 COV
}

// mandatory fields of each type; one of the tags of an entry is needed.
var mandatory = map[string][][]string{
	"103": {{"20"}, {"32A"}, {"50A", "50F", "50K"}, {"59", "59A", "59F"}},
	"202": {{"20"}, {"21"}, {"32A"}, {"58A", "58D"}},
}

func (l *lexer) transaction(m *raw) (*payment.Transaction, string, error) {
	typ, ok := messageType(m)
	if !ok {
		return nil, "", l.errMsg(m, m.line, "block 2", "application header %q is not I or O and a message type", printable(m.b2))
	}
	name := "MT" + typ
	if typ == "202" {
		for _, f := range m.fields {
			if strings.HasPrefix(f.Tag, "50") || strings.HasPrefix(f.Tag, "59") {
				name = "MT202COV"
				break
			}
		}
	}
	need, ok := mandatory[typ]
	if !ok {
		return nil, "", l.errMsg(m, m.line, "block 2", "MT%s is not a payment Concord screens (MT103, MT202, MT202 COV)", printable(typ))
	}
	for _, tags := range need {
		found := false
		for _, f := range m.fields {
			found = found || contains(tags, f.Tag)
		}
		if !found {
			return nil, "", l.errMsg(m, m.line, strings.Join(tags, "/"), "%s without field %s", name, strings.Join(tags, " or "))
		}
	}
	b := &builder{l: l, m: m, out: &payment.Transaction{N: m.index, Message: m.index, Where: fmt.Sprintf("message %d (line %d)", m.index, m.line+1)}}
	if s := senderOf(m); s != "" {
		b.add(payment.Party{Role: payment.RoleInstructingAgent, Kind: payment.KindInstitution, BIC: s, Where: "block 1"})
	}
	for _, f := range m.fields {
		if err := b.field(f, typ); err != nil {
			return nil, "", err
		}
	}
	if r := receiverOf(m); r != "" {
		b.add(payment.Party{Role: payment.RoleInstructedAgent, Kind: payment.KindInstitution, BIC: r, Where: "block 2"})
	}
	return b.out, name, nil
}

func (l *lexer) errMsg(m *raw, line int, tag, format string, args ...any) error {
	return &Error{File: l.file, Line: line + 1, Message: m.index, Field: tag, Err: fmt.Errorf(format, args...)}
}

func (b *builder) fail(f field, format string, args ...any) error {
	return &Error{File: b.l.file, Line: f.Line, Message: b.m.index, Field: f.Tag, Err: fmt.Errorf(format, args...)}
}

func (b *builder) add(p payment.Party) {
	if b.under && p.Role != payment.RoleInstructingAgent && p.Role != payment.RoleInstructedAgent {
		p.Role = payment.RoleUnderlying + p.Role
	}
	if !p.Empty() {
		b.out.Parties = append(b.out.Parties, p)
	}
}

// maxLines is the number of lines each field may have (the MT format
// specifications: 4*35x, 6*35x, [/34x] plus 4*35x, ...).
var maxLines = map[string]int{
	"20": 1, "21": 1, "23B": 1, "23E": 1, "26T": 1, "32A": 1, "33B": 1, "36": 1, "71A": 1, "71F": 1, "71G": 1,
	"70": 4, "72": 6, "77B": 3,
	"50A": 2, "50F": 5, "50K": 5, "51A": 2, "59": 5, "59A": 2, "59F": 5,
	"52A": 2, "52D": 5, "53A": 2, "53B": 2, "53D": 5, "54A": 2, "54B": 2, "54D": 5, "55A": 2, "55B": 2, "55D": 5,
	"56A": 2, "56C": 1, "56D": 5, "57A": 2, "57B": 2, "57C": 1, "57D": 5, "58A": 2, "58D": 5,
}

// field maps one field of block 4.
func (b *builder) field(f field, typ string) error {
	if max, ok := maxLines[f.Tag]; ok && len(f.Lines) > max {
		return &Error{File: b.l.file, Line: f.Line + max, Message: b.m.index, Field: f.Tag,
			Err: fmt.Errorf("%d lines, at most %d (a field tag without its leading colon?)", len(f.Lines), max)}
	}
	where := fmt.Sprintf(":%s: line %d", f.Tag, f.Line)
	letter := f.Tag[2:]
	switch f.Tag[:2] {
	case "20":
		if !b.under {
			b.out.Ref = strings.TrimSpace(f.Lines[0])
		}
	case "32":
		if f.Tag != "32A" {
			return nil
		}
		v := strings.TrimSpace(f.Lines[0])
		m := re32A.FindStringSubmatch(v)
		if m == nil || len(f.Lines) > 1 {
			return b.fail(f, "%q: want value date YYMMDD, currency and amount (e.g. 250131EUR1000,00)", printable(v))
		}
		if m[2] < "01" || m[2] > "12" || m[3] < "01" || m[3] > "31" {
			return b.fail(f, "%q: value date %s%s%s is not a date", printable(v), m[1], m[2], m[3])
		}
		b.out.Date = "20" + m[1] + "-" + m[2] + "-" + m[3]
		b.out.Currency = m[4]
		b.out.Amount = strings.TrimSuffix(strings.Replace(m[5], ",", ".", 1), ".")
	case "26":
		if f.Tag == "26T" {
			b.out.Purpose = strings.TrimSpace(f.Lines[0])
		}
	case "50":
		if typ == "202" {
			b.under = true
		}
		b.add(b.customer(f, payment.RoleDebtor, letter, where))
	case "52":
		role := payment.RoleDebtorAgent
		if typ == "202" && !b.under {
			role = payment.RoleDebtor // the ordering institution is the debtor of an MT202
		}
		b.add(b.institution(f, role, letter, where))
	case "53", "54", "55":
		b.add(b.institution(f, payment.RoleReimbursement+" ("+f.Tag[:2]+"a)", letter, where))
	case "56":
		b.add(b.institution(f, payment.RoleIntermediary+" 1", letter, where))
	case "57":
		b.add(b.institution(f, payment.RoleCreditorAgent, letter, where))
	case "58":
		b.add(b.institution(f, payment.RoleCreditor, letter, where))
	case "59":
		b.add(b.customer(f, payment.RoleCreditor, letter, where))
	case "70":
		b.text(f, payment.RoleRemittance, where)
	case "72":
		b.text(f, payment.RoleSenderToReceiver, where)
	case "77":
		if f.Tag == "77B" {
			b.text(f, "regulatory reporting", where)
		}
	}
	return nil
}

// text maps a free-text field; the code words of field 72 (/BNF/, /ACC/,
// /INS/…) are kept, since the text after /INS/ or /BNF/ may name a party.
func (b *builder) text(f field, role, where string) {
	var lines []string
	for _, l := range f.Lines {
		if v := strings.TrimSpace(strings.TrimPrefix(l, "//")); v != "" {
			lines = append(lines, v)
		}
	}
	if len(lines) > 0 {
		b.add(payment.Party{Role: role, Kind: payment.KindText, Text: strings.Join(lines, " / "), Where: where})
	}
}

// accountLine reads an optional first line "/account" (or, for party
// identifiers of institutions, "/C/account", "//CLEARING"), returning the
// account (or identifier) and the lines after it.
func (b *builder) accountLine(p *payment.Party, lines []string) []string {
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "/") {
		return lines
	}
	v := strings.TrimSpace(lines[0][1:])
	switch {
	case strings.HasPrefix(v, "/"): // //FW021000018: a clearing code
		code := strings.TrimSpace(v[1:])
		scheme := ""
		if len(code) > 2 && isUpper(code[:2]) {
			scheme, code = code[:2], code[2:]
		}
		if code != "" {
			p.Identifiers = append(p.Identifiers, payment.Identifier{Scheme: scheme, Value: code})
		}
		return lines[1:]
	case len(v) > 2 && (v[0] == 'C' || v[0] == 'D') && v[1] == '/': // /C/ or /D/ mark
		v = v[2:]
	}
	acct, warn := payment.NewAccount(v, false, "", "")
	if warn != "" {
		p.Warnings = append(p.Warnings, warn)
	}
	p.Account = acct
	return lines[1:]
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func (b *builder) bic(p *payment.Party, s string) {
	v, err := payment.CheckBIC(s)
	if err != nil {
		p.Warnings = append(p.Warnings, err.Error())
		p.Identifiers = append(p.Identifiers, payment.Identifier{Scheme: "BIC", Value: strings.ToUpper(strings.TrimSpace(s))})
		return
	}
	p.BIC = v
}

// institution maps option A (BIC), B (location), C (clearing code) or D
// (name and address) of an institution field.
func (b *builder) institution(f field, role, letter, where string) payment.Party {
	p := payment.Party{Role: role, Kind: payment.KindInstitution, Where: where}
	lines := b.accountLine(&p, f.Lines)
	switch letter {
	case "A":
		if len(lines) > 0 {
			b.bic(&p, lines[0])
		}
	case "D":
		b.nameAddress(&p, lines)
	case "B":
		if len(lines) > 0 {
			p.Address = &payment.Address{Lines: []string{strings.TrimSpace(lines[0])}}
		}
	}
	return p
}

// customer maps option A (BIC), F (structured) or K / no letter (name and
// address) of a customer field.
func (b *builder) customer(f field, role, letter, where string) payment.Party {
	p := payment.Party{Role: role, Where: where}
	switch letter {
	case "A":
		p.Kind = payment.KindOrganization
		lines := b.accountLine(&p, f.Lines)
		if len(lines) > 0 {
			b.bic(&p, lines[0])
		}
	case "F":
		b.structured(&p, f.Lines)
	default:
		b.nameAddress(&p, b.accountLine(&p, f.Lines))
	}
	return p
}

// nameAddress reads up to four lines of name and address: the name on the
// first line (and the second, when the first is full and the second holds no
// digits), the address after it, a country from a last line that is only a
// country or ends in "/CC" or ", COUNTRY".
func (b *builder) nameAddress(p *payment.Party, lines []string) {
	var ls []string
	for _, l := range lines {
		if v := strings.TrimSpace(l); v != "" {
			ls = append(ls, v)
		}
	}
	if len(ls) == 0 {
		return
	}
	p.Name = ls[0]
	rest := ls[1:]
	if len(lines[0]) >= 35 && len(rest) > 0 && !strings.ContainsAny(rest[0], "0123456789") {
		p.Name += rest[0] // a name wrapped at the field's width
		rest = rest[1:]
	}
	if len(rest) > 0 {
		a := &payment.Address{Lines: rest}
		a.Country = countryOfLine(rest[len(rest)-1])
		p.Address = a
	}
}

// countryOfLine reads the country of a last address line: the whole line,
// "CC/TOWN" (the structured form), or the part after the last comma.
func countryOfLine(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3 && s[2] == '/' && isUpper(s[:2]) {
		if concord.CountryName(s[:2]) != "" {
			return strings.ToLower(s[:2])
		}
	}
	if len(s) == 2 && !isUpper(s) {
		return ""
	}
	if cc, ok := concord.CountryCode(s); ok {
		return cc
	}
	if i := strings.LastIndex(s, ","); i >= 0 {
		tail := strings.TrimSpace(s[i+1:])
		if len(tail) > 2 || len(tail) == 2 && isUpper(tail) {
			if cc, ok := concord.CountryCode(tail); ok {
				return cc
			}
		}
	}
	return ""
}

// structured maps option F (50F, 59F): an account or a party identifier
// (CODE/CC/ID) on the first line, then numbered lines: 1 name, 2 address,
// 3 country and town, 4 birth date, 5 place of birth, 6 customer id, 7
// national id, 8 more of the identifier.
func (b *builder) structured(p *payment.Party, lines []string) {
	if len(lines) == 0 {
		return
	}
	first := strings.TrimSpace(lines[0])
	rest := lines[1:]
	switch {
	case strings.HasPrefix(first, "/"):
		b.accountLine(p, lines[:1])
	case len(first) > 5 && first[4] == '/' && isUpper(first[:4]):
		// CCPT/NL/123456789, NIDN/..., TXID/..., CUST/CC/ISSUER/ID, ...
		parts := strings.SplitN(first, "/", 3)
		id := payment.Identifier{Scheme: parts[0]}
		if len(parts) == 3 {
			id.Issuer, id.Value = parts[1], parts[2]
		} else if len(parts) == 2 {
			id.Value = parts[1]
		}
		p.Identifiers = append(p.Identifiers, id)
		if id.Scheme == "CCPT" || id.Scheme == "NIDN" || id.Scheme == "ARNU" || id.Scheme == "SOSE" || id.Scheme == "DRLC" {
			p.Kind = payment.KindPerson
		}
	default:
		rest = lines // no first line: the numbered lines start at once
	}
	var name, addr []string
	var addrCountry string
	for _, l := range rest {
		l = strings.TrimSpace(l)
		if len(l) < 2 || l[1] != '/' || l[0] < '1' || l[0] > '8' {
			continue
		}
		v := strings.TrimSpace(l[2:])
		switch l[0] {
		case '1':
			name = append(name, v)
		case '2':
			addr = append(addr, v)
		case '3':
			addr = append(addr, v)
			if cc, _, ok := strings.Cut(v, "/"); ok && concord.CountryName(cc) != "" {
				addrCountry = strings.ToLower(cc)
			} else if concord.CountryName(v) != "" && len(v) == 2 {
				addrCountry = strings.ToLower(v)
			}
		case '4':
			if len(v) == 8 {
				p.BirthDate = v[:4] + "-" + v[4:6] + "-" + v[6:]
				p.Kind = payment.KindPerson
			}
		case '5':
			p.BirthPlace = strings.ReplaceAll(v, "/", ", ")
			p.Kind = payment.KindPerson
		case '6', '7':
			parts := strings.Split(v, "/")
			id := payment.Identifier{Scheme: map[byte]string{'6': "CUST", '7': "NIDN"}[l[0]], Value: parts[len(parts)-1]}
			if len(parts) > 1 {
				id.Issuer = strings.Join(parts[:len(parts)-1], "/")
			}
			p.Identifiers = append(p.Identifiers, id)
		case '8':
			if n := len(p.Identifiers); n > 0 {
				p.Identifiers[n-1].Value += v
			}
		}
	}
	p.Name = strings.Join(name, " ")
	if len(addr) > 0 || addrCountry != "" {
		p.Address = &payment.Address{Lines: addr, Country: addrCountry}
	}
}
