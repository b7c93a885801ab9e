package iso20022

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"concord/internal/importer/payment"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// samples are the messages in testdata: the banks' samples of
// ../shared/data/payments and the project's own made-up messages.
func samples(t testing.TB) []string {
	m, _ := filepath.Glob("testdata/*.xml")
	if len(m) < 6 {
		t.Fatalf("found %d messages in testdata, want 6", len(m))
	}
	return m
}

type golden struct {
	Message      *payment.Message      `json:"message"`
	Transactions []payment.Transaction `json:"transactions"`
}

func TestGolden(t *testing.T) {
	for _, path := range samples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, txs, err := ReadAll(f, filepath.Base(path))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(golden{m, txs}, "", "  ")
			got = append(got, '\n')
			gp := strings.TrimSuffix(path, ".xml") + ".golden.json"
			if *update {
				if err := os.WriteFile(gp, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update and review the diff)", gp)
			}
		})
	}
}

// TestSharedSamples reads the samples of ../shared/data/payments when they
// are there, so that a new sample there is read too.
func TestSharedSamples(t *testing.T) {
	m, _ := filepath.Glob("../../../../shared/data/payments/*.xml")
	if len(m) == 0 {
		t.Skip("../shared/data/payments not present")
	}
	for _, p := range m {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		msg, txs, err := ReadAll(f, p)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if len(txs) == 0 || msg.Transactions != len(txs) {
			t.Errorf("%s: %d transactions, header says %d", p, len(txs), msg.Transactions)
		}
		for _, tx := range txs {
			if !hasRole(tx, payment.RoleCreditor) {
				t.Errorf("%s: transaction %d has no creditor", p, tx.N)
			}
		}
	}
}

func hasRole(tx payment.Transaction, role string) bool {
	for _, p := range tx.Parties {
		if p.Role == role {
			return true
		}
	}
	return false
}

func TestListedMessage(t *testing.T) {
	f, err := os.Open("testdata/concord_pacs008_listed.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, txs, err := ReadAll(f, "listed.xml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != "pacs.008.001.08" || m.Sender != "DEUTDEFF" || m.Receiver != "BKTRUS33" || m.Transactions != 4 || len(m.Warnings) != 0 {
		t.Errorf("message %+v", m)
	}
	find := func(tx int, role string) payment.Party {
		for _, p := range txs[tx-1].Parties {
			if p.Role == role {
				return p
			}
		}
		t.Fatalf("tx %d has no %s", tx, role)
		return payment.Party{}
	}
	tests := []struct {
		tx   int
		role string
		ok   func(p payment.Party) bool
	}{
		{1, "debtor", func(p payment.Party) bool {
			return p.Kind == payment.KindPerson && p.BirthDate == "1969-06-16" && p.Account.Kind == payment.AccountIBAN &&
				p.Account.Value == "DE89370400440532013000" && p.Address.Country == "iq"
		}},
		{1, "creditor agent", func(p payment.Party) bool { return p.BIC == "AIIFIQBA" && p.Name == "Al Bilad Islamic Bank" }},
		{1, "instructing agent", func(p payment.Party) bool { return p.BIC == "DEUTDEFF" }}, // from the group header
		{1, "creditor", func(p payment.Party) bool {
			return p.Address.Country == "iq" && p.Account.Value == "IQ86RAFB123000000472910"
		}},
		{3, "creditor", func(p payment.Party) bool {
			return p.Name == "أكرم تركي هاشم المزيده" && p.Account.Kind == payment.AccountWallet && p.Account.Scheme == "WALLET"
		}},
		{3, "intermediary agent 1", func(p payment.Party) bool { return p.BIC == "BKMTIRTH" }},
		{3, "debtor", func(p payment.Party) bool {
			return p.LEI == "5493001KJTIIGC8Y1R12" && p.Kind == payment.KindOrganization
		}},
		{3, "remittance information", func(p payment.Party) bool { return strings.Contains(p.Text, "JABHAT AL-NUSRA / ALSO VIA") }},
		{4, "creditor", func(p payment.Party) bool {
			return p.Account.Value == "0012345678001" && p.Account.Written == "0012 345678 001"
		}},
		{4, "ultimate creditor", func(p payment.Party) bool { return p.Identifiers[0].Value == "JAD-77" }},
		{4, "instruction for next agent", func(p payment.Party) bool { return p.Text == "/BNF/ATTN ABU MOHAMMED AL-ADNANI" }},
		{4, "creditor agent", func(p payment.Party) bool {
			return p.BIC == "" && p.Name == "Exchange House Idlib" && p.Address.Country == "sy"
		}},
	}
	for _, tt := range tests {
		if p := find(tt.tx, tt.role); !tt.ok(p) {
			t.Errorf("tx %d %s: %+v", tt.tx, tt.role, p)
		}
	}
	if got := txs[0].Where; got != "Envelope/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]" {
		t.Errorf("where %q", got)
	}
}

func TestWarnings(t *testing.T) {
	in := doc("pacs.008.001.10", `<GrpHdr><MsgId>M</MsgId><NbOfTxs>2</NbOfTxs></GrpHdr>`+
		txXML(`<Dbtr><Nm>A</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013001</IBAN></Id></DbtrAcct>`+
			`<DbtrAgt><FinInstnId><BICFI>DEUT1EFF</BICFI></FinInstnId></DbtrAgt>`))
	m, txs, err := ReadAll(strings.NewReader(in), "w.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "NbOfTxs says 2") {
		t.Errorf("message warnings %v", m.Warnings)
	}
	d := txs[0].Parties[0]
	if d.Account.Kind != payment.AccountOther || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "check digits 89 do not verify") {
		t.Errorf("debtor %+v", d)
	}
	if a := txs[0].Parties[1]; a.BIC != "" || len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "DEUT1EFF") {
		t.Errorf("agent %+v", a)
	}
}

func doc(ns, body string) string {
	root := map[string]string{"pacs.008": "FIToFICstmrCdtTrf", "pacs.009": "FICdtTrf", "pain.001": "CstmrCdtTrfInitn"}[ns[:8]]
	return `<?xml version="1.0"?>` + "\n" + `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:` + ns + `">` + "\n<" + root + ">\n" + body + "\n</" + root + ">\n</Document>\n"
}

func txXML(parties string) string {
	return `<CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="EUR">1.00</IntrBkSttlmAmt>` +
		parties + `<Cdtr><Nm>C</Nm></Cdtr></CdtTrfTxInf>`
}

func TestVariants(t *testing.T) {
	tests := []struct {
		name, in, format string
		roles            []string
	}{
		{"pacs.009 cover", doc("pacs.009.001.08", `<GrpHdr><MsgId>M</MsgId></GrpHdr><CdtTrfTxInf><PmtId><TxId>T</TxId></PmtId>`+
			`<IntrBkSttlmAmt Ccy="USD">5</IntrBkSttlmAmt><Dbtr><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></Dbtr>`+
			`<Cdtr><FinInstnId><BICFI>BKTRUS33</BICFI></FinInstnId></Cdtr>`+
			`<UndrlygCstmrCdtTrf><Dbtr><Nm>Ali</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></DbtrAgt>`+
			`<CdtrAgt><FinInstnId><BICFI>BKTRUS33</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>Omar</Nm></Cdtr><RmtInf><Ustrd>gift</Ustrd></RmtInf></UndrlygCstmrCdtTrf></CdtTrfTxInf>`),
			"pacs.009.001.08", []string{"debtor", "creditor", "underlying debtor", "underlying debtor agent", "underlying creditor agent", "underlying creditor", "underlying remittance information"}},
		{"pain.001.001.09 dated", doc("pain.001.001.09", `<GrpHdr><MsgId>M</MsgId><InitgPty><Nm>I</Nm></InitgPty></GrpHdr><PmtInf><PmtInfId>P</PmtInfId>`+
			`<ReqdExctnDt><Dt>2026-02-01</Dt></ReqdExctnDt><Dbtr><Nm>D</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>`+
			`<DbtrAgt><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></DbtrAgt><CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId>`+
			`<Amt><InstdAmt Ccy="EUR">3</InstdAmt></Amt><Cdtr><Nm>C</Nm></Cdtr><RmtInf><Strd><Invcr><Nm>Inv Co</Nm></Invcr><AddtlRmtInf>for Omar</AddtlRmtInf></Strd></RmtInf></CdtTrfTxInf></PmtInf>`),
			"pain.001.001.09", []string{"initiating party", "debtor", "debtor agent", "creditor", "invoicer", "remittance information"}},
		{"no namespace", strings.Replace(doc("pacs.008.001.02", txXML("")), ` xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"`, "", 1),
			"pacs.008", []string{"creditor"}},
		{"elements after the message", "<FIToFICstmrCdtTrf>" + txXML("") + "</FIToFICstmrCdtTrf><X><Y>y</Y></X>",
			"pacs.008", []string{"creditor"}},
		{"Latin-1", strings.Replace(strings.Replace(doc("pacs.008.001.02", txXML(`<Dbtr><Nm>Jos`+"\xe9"+`</Nm></Dbtr>`)), `<?xml version="1.0"?>`, `<?xml version="1.0" encoding="ISO-8859-1"?>`, 1), "", "", 1),
			"pacs.008.001.02", []string{"debtor", "creditor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, txs, err := ReadAll(strings.NewReader(tt.in), "v.xml")
			if err != nil {
				t.Fatal(err)
			}
			var roles []string
			for _, p := range txs[0].Parties {
				roles = append(roles, p.Role)
			}
			if m.Format != tt.format || strings.Join(roles, ",") != strings.Join(tt.roles, ",") {
				t.Errorf("format %s, roles %v", m.Format, roles)
			}
			if tt.name == "Latin-1" && txs[0].Parties[0].Name != "José" {
				t.Errorf("name %q", txs[0].Parties[0].Name)
			}
			if tt.name == "pain.001.001.09 dated" && (txs[0].Date != "2026-02-01" || txs[0].Parties[5].Text != "for Omar") {
				t.Errorf("tx %+v", txs[0])
			}
		})
	}
}

func TestBroken(t *testing.T) {
	good := doc("pacs.008.001.08", txXML(""))
	tests := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"not closed", strings.Replace(good, "</Cdtr>", "", 1), []string{"b.xml:", "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]"}},
		{"truncated", good[:len(good)-40], []string{"b.xml:", "is not closed"}},
		{"bad amount", strings.Replace(good, ">1.00<", ">1,00<", 1), []string{"b.xml:4:", "CdtTrfTxInf[1]/IntrBkSttlmAmt", `amount "1,00" is not a decimal`}},
		{"bad currency", strings.Replace(good, `Ccy="EUR"`, `Ccy="EURO"`, 1), []string{"IntrBkSttlmAmt", `currency "EURO"`}},
		{"no creditor", strings.Replace(good, "<Cdtr><Nm>C</Nm></Cdtr>", "", 1), []string{"CdtTrfTxInf[1]", "has no creditor"}},
		{"other message", strings.Replace(strings.ReplaceAll(good, "FIToFICstmrCdtTrf", "BkToCstmrStmt"), "pacs.008", "camt.053", 1), []string{"camt.053", "not a credit transfer"}},
		{"unknown message", strings.ReplaceAll(good, "FIToFICstmrCdtTrf", "Foo"), []string{"Document/Foo", "unknown message"}},
		{"no message", `<?xml version="1.0"?><Document></Document>`, []string{"no pacs.008, pacs.009 or pain.001"}},
		{"not XML", "id,name\n1,x\n", []string{"b.xml"}},
		{"mismatched", strings.Replace(good, "</Nm></Cdtr>", "</Nm></Dbtr>", 1), []string{"</Dbtr> does not close <Cdtr>"}},
		{"bad count", strings.Replace(doc("pacs.008.001.08", `<GrpHdr><NbOfTxs>x</NbOfTxs></GrpHdr>`+txXML("")), "", "", 1), []string{"GrpHdr/NbOfTxs", "not a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadAll(strings.NewReader(tt.in), "b.xml")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// lazyMessage produces a pacs.008 of n transactions as it is read, and
// counts what it has produced.
type lazyMessage struct {
	n, next int
	buf     bytes.Buffer
	served  int
	done    bool
}

func (l *lazyMessage) Read(p []byte) (int, error) {
	for l.buf.Len() < len(p) && !l.done {
		switch {
		case l.next == 0:
			l.buf.WriteString(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>BIG</MsgId></GrpHdr>`)
		case l.next <= l.n:
			fmt.Fprintf(&l.buf, `<CdtTrfTxInf><PmtId><EndToEndId>E%d</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="EUR">%d.00</IntrBkSttlmAmt>`+
				`<Dbtr><Nm>Debtor %d</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></DbtrAgt>`+
				`<CdtrAgt><FinInstnId><BICFI>BKTRUS33</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>Creditor %d</Nm></Cdtr></CdtTrfTxInf>`, l.next, l.next, l.next, l.next)
		default:
			l.buf.WriteString(`</FIToFICstmrCdtTrf></Document>`)
			l.done = true
		}
		l.next++
	}
	if l.buf.Len() == 0 {
		return 0, io.EOF
	}
	k, _ := l.buf.Read(p)
	l.served += k
	return k, nil
}

// TestStreams checks that transactions are handed over while the message
// is still being read: the first arrives long before the input ends.
func TestStreams(t *testing.T) {
	src := &lazyMessage{n: 20000}
	first := -1
	count := 0
	m, err := Read(src, "big.xml", func(tx *payment.Transaction) error {
		if first < 0 {
			first = src.served
		}
		count++
		if len(tx.Parties) != 4 {
			return fmt.Errorf("tx %d: %d parties", tx.N, len(tx.Parties))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != 20000 || m.Transactions != 20000 {
		t.Fatalf("%d transactions", count)
	}
	if first > 1<<18 || src.served < 5<<20 {
		t.Errorf("first transaction after %d of %d bytes: not streamed", first, src.served)
	}
	stop := errors.New("stop")
	if _, err := Read(&lazyMessage{n: 10}, "big.xml", func(*payment.Transaction) error { return stop }); err != stop {
		t.Errorf("fn's error not returned: %v", err)
	}
}

func TestDetect(t *testing.T) {
	for _, p := range samples(t) {
		b, _ := os.ReadFile(p)
		if !Detect(b[:min(len(b), detectWindow)]) {
			t.Errorf("%s not detected", p)
		}
	}
	for _, s := range []string{"id,name\n", "<CONSOLIDATED_LIST>", "UNA:+.? 'UNB+", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">`} {
		if Detect([]byte(s)) {
			t.Errorf("%q detected", s)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	src := &lazyMessage{n: 5000}
	_, _ = io.Copy(&buf, src)
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(buf.Bytes()), "b.xml", func(*payment.Transaction) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*5000)/b.Elapsed().Seconds(), "tx/s")
}

// TestChildCounts checks the counts that number repeated elements in
// paths, past the short list into the map, and after a reset.
func TestChildCounts(t *testing.T) {
	var c childCounts
	for round := 0; round < 2; round++ {
		for i := 0; i < 3*maxListedNames; i++ {
			for k := 1; k <= 3; k++ {
				if got := c.add(fmt.Sprint("El", i)); got != k {
					t.Fatalf("round %d: count of El%d = %d, want %d", round, i, got, k)
				}
			}
			if i > 0 {
				if got := c.add("El0"); got != 3+i {
					t.Fatalf("round %d: count of El0 = %d after %d names, want %d", round, got, i, 3+i)
				}
			}
		}
		c.reset()
	}
}

// TestClean checks that the white space folding names keeps what it need
// not change as it is and folds the rest.
func TestClean(t *testing.T) {
	for _, s := range []string{"", "A", "Abu Bakr", " Abu", "Abu ", "Abu  Bakr", "Abu\tBakr", "Abu\nBakr", "Abu\u00a0 Bakr",
		"\u00a0Abu", "Abu\u2003Bakr", "أبو بكر", "军 骆", "أبو  بكر", "بكر\u3000", "\xff \xfe", "a b c", "x\r\n", "Ab\u0085c"} {
		if got, want := clean(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("clean(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestTextPieces checks the texts of elements read in pieces: around a
// comment, an entity and a CDATA section, and on both sides of a child
// element (mixed content), in a transaction and in the group header.
func TestTextPieces(t *testing.T) {
	in := doc("pacs.008.001.08", `<GrpHdr><MsgId>M<!-- c -->1&amp;2</MsgId><InstgAgt><FinInstnId><BICFI>COBA<X>x</X>DEFF</BICFI></FinInstnId></InstgAgt></GrpHdr>`+
		txXML(`<Dbtr><Nm>Abu<!-- c --> Bakr &amp; <![CDATA[Sons]]></Nm></Dbtr>`+
			`<InstrForDbtrAgt>pay <X>y</X>now<!-- c --> <Y/>please</InstrForDbtrAgt>`))
	m, txs, err := ReadAll(strings.NewReader(in), "p.xml")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "M1&2" {
		t.Errorf("message id %q", m.ID)
	}
	got := map[string]string{}
	for _, p := range txs[0].Parties {
		got[p.Role] = p.Name + p.Text + p.BIC
	}
	want := map[string]string{"debtor": "Abu Bakr & Sons", "instruction for debtor agent": "pay now please", "instructing agent": "COBADEFF", "creditor": "C"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parties %v, want %v", got, want)
	}
}

// TestIntern checks that the names the reader keeps are bounded: long
// names and names past the table's size are not kept, and read the same.
func TestIntern(t *testing.T) {
	r := &reader{interned: map[string]string{}}
	long := strings.Repeat("x", maxInternedLen+1)
	if got := r.intern([]byte(long)); got != long || len(r.interned) != 0 {
		t.Errorf("long name: %q, %d kept", got, len(r.interned))
	}
	for i := 0; i < maxInterned+10; i++ {
		name := fmt.Sprint("El", i)
		if got := r.intern([]byte(name)); got != name {
			t.Fatalf("intern(%q) = %q", name, got)
		}
	}
	if len(r.interned) != maxInterned {
		t.Errorf("%d names kept, want %d", len(r.interned), maxInterned)
	}
	if got := r.intern([]byte("El7")); got != "El7" {
		t.Errorf("intern(El7) = %q", got)
	}
}

// repeated reads head, then n bytes of fill, then tail, without holding
// them.
type repeated struct {
	head, tail string
	fill       byte
	n          int
	stage, off int
}

func (r *repeated) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		switch r.stage {
		case 0:
			c := copy(p[k:], r.head[r.off:])
			k, r.off = k+c, r.off+c
			if r.off == len(r.head) {
				r.stage, r.off = 1, 0
			}
		case 1:
			c := min(len(p)-k, r.n-r.off)
			for i := range c {
				p[k+i] = r.fill
			}
			k, r.off = k+c, r.off+c
			if r.off == r.n {
				r.stage, r.off = 2, 0
			}
		case 2:
			c := copy(p[k:], r.tail[r.off:])
			k, r.off = k+c, r.off+c
			if r.off == len(r.tail) {
				r.stage = 3
			}
		default:
			if k == 0 {
				return 0, io.EOF
			}
			return k, nil
		}
	}
	return k, nil
}

// TestHugeRuns checks that no run of the input is held whole, however
// long: a 64 MiB text in an element that is read is refused with its path,
// 64 MiB of white space between elements is passed over, and a 64 MiB
// attribute value or element name is refused; the reader allocates a few
// MiB in every case.
func TestHugeRuns(t *testing.T) {
	good := doc("pacs.008.001.08", txXML(""))
	const n = 64 << 20
	cut := func(at string) (string, string) {
		i := strings.Index(good, at) + len(at)
		return good[:i], good[i:]
	}
	tests := []struct {
		name, at string
		fill     byte
		want     string // substring of the error; "" for none
	}{
		{"read text", "<Cdtr><Nm>", 'x', "CdtTrfTxInf[1]/Cdtr/Nm: text longer than 65536 bytes"},
		{"white space between elements", "<CdtTrfTxInf>", ' ', ""},
		{"attribute", `Ccy="`, 'E', "attribute value longer than"},
		{"name", "<Cdtr><N", 'm', "name longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, tail := cut(tt.at)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Read(&repeated{head: head, tail: tail, fill: tt.fill, n: n}, "h.xml", func(*payment.Transaction) error { return nil })
			runtime.ReadMemStats(&after)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
				t.Errorf("%d MiB allocated reading a %d MiB run", got>>20, n>>20)
			}
		})
	}
}
