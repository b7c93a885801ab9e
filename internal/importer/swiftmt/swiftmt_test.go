package swiftmt

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"concord/internal/importer/payment"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

func samples(t testing.TB) []string {
	m, _ := filepath.Glob("testdata/*.txt")
	if len(m) < 1 {
		t.Fatalf("found %d messages in testdata", len(m))
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
			gp := strings.TrimSuffix(path, ".txt") + ".golden.json"
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

func TestListedMessages(t *testing.T) {
	f, err := os.Open("testdata/concord_mt103_listed.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, txs, err := ReadAll(f, "mt.txt")
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != "MT103, MT202COV" || m.Transactions != 4 || m.Sender != "DEUTDEFF" || m.Receiver != "AIIFIQBA" {
		t.Errorf("summary %+v", m)
	}
	find := func(tx int, role string) payment.Party {
		for _, p := range txs[tx-1].Parties {
			if p.Role == role {
				return p
			}
		}
		t.Fatalf("message %d has no %s", tx, role)
		return payment.Party{}
	}
	tests := []struct {
		tx   int
		role string
		ok   func(p payment.Party) bool
	}{
		{1, "debtor", func(p payment.Party) bool {
			return p.Name == "ABDUL RAHMAN MUSTAFA AL QADOULI" && p.Account.Kind == payment.AccountIBAN && p.Address.Country == "iq" && p.Where == ":50K: line 5"
		}},
		{1, "intermediary agent 1", func(p payment.Party) bool { return p.BIC == "BKMTIRTH" }},
		{1, "creditor agent", func(p payment.Party) bool { return p.BIC == "AIIFIQBA" }},
		{1, "creditor", func(p payment.Party) bool { return p.Name == "HAMID HAMAD HAMID AL ALI" && p.Address.Country == "kw" }},
		{1, "sender to receiver information", func(p payment.Party) bool { return p.Text == "/INS/BANK MELLAT TEHRAN" }},
		{1, "instructing agent", func(p payment.Party) bool { return p.BIC == "DEUTDEFF" && p.Where == "block 1" }},
		{2, "debtor", func(p payment.Party) bool {
			return p.Kind == payment.KindPerson && p.Name == "TARKHAN BATIRASHVILI" && p.BirthDate == "1986-01-11" &&
				p.Identifiers[0] == payment.Identifier{Scheme: "CCPT", Issuer: "GE", Value: "13AB45678"} && p.Address.Country == "ge" && p.BirthPlace == "GE, AKHMETA"
		}},
		{2, "creditor", func(p payment.Party) bool {
			return p.Account.Kind == payment.AccountWallet && p.Name == "YAN XIAO BING"
		}},
		{4, "creditor", func(p payment.Party) bool { return p.BIC == "AIIFIQBA" && p.Where == ":58A: line 52" }},
		{4, "debtor", func(p payment.Party) bool { return p.BIC == "COBADEFF" }},
		{4, "underlying creditor", func(p payment.Party) bool { return p.Account.Value == "IQ86RAFB123000000472910" }},
	}
	for _, tt := range tests {
		if p := find(tt.tx, tt.role); !tt.ok(p) {
			t.Errorf("message %d %s: %+v", tt.tx, tt.role, p)
		}
	}
	if txs[1].Amount != "980.50" || txs[1].Currency != "EUR" || txs[1].Date != "2026-01-16" {
		t.Errorf("32A of message 2: %+v", txs[1])
	}
}

const mt103 = "{1:F01COBADEFFAXXX0000000001}{2:I103BKTRUS33XXXXN}{4:\r\n:20:REF\r\n:23B:CRED\r\n:32A:260115EUR10,\r\n" +
	":50K:/DE89370400440532013000\r\nALI\r\n:59:OMAR\r\n:71A:SHA\r\n-}"

func TestForms(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
	}{
		{"one", mt103, 1},
		{"LF only", strings.ReplaceAll(mt103, "\r\n", "\n"), 1},
		{"dollar separated", mt103 + "\r\n$\r\n" + mt103 + "{5:{CHK:1}}", 2},
		{"RJE control characters", "\x01" + mt103 + "\x03\x01" + mt103 + "\x03", 2},
		{"back to back", mt103 + mt103, 2},
		{"trailer on next line", mt103 + "\r\n{5:{MAC:1}{CHK:2}}\r\n" + mt103, 2},
		{"text block alone", ":20:REF\n:23B:CRED\n:32A:260115EUR10,\n:50K:ALI\n:59:OMAR\n", 1},
		{"output message", strings.Replace(mt103, "{2:I103BKTRUS33XXXXN}", "{2:O1031200260115DEUTDEFFAXXX00000000002601151200N}", 1), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, txs, err := ReadAll(strings.NewReader(tt.in), "f.txt")
			if err != nil {
				t.Fatal(err)
			}
			if len(txs) != tt.n || m.Transactions != tt.n {
				t.Fatalf("%d messages", len(txs))
			}
			if tt.name == "output message" && (m.Sender != "DEUTDEFF" || m.Receiver != "COBADEFF") {
				t.Errorf("sender %s receiver %s", m.Sender, m.Receiver)
			}
			if c := txs[0].Parties; tt.name != "text block alone" && tt.name != "output message" && (c[0].BIC != "COBADEFF" || c[len(c)-1].BIC != "BKTRUS33") {
				t.Errorf("parties %+v", c)
			}
		})
	}
}

func TestBroken(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"bad 32A", strings.Replace(mt103, "260115EUR10,", "2601EUR10", 1), []string{"b.txt:4: message 1, field 32A:", "want value date"}},
		{"bad date", strings.Replace(mt103, "260115EUR10,", "261315EUR10,", 1), []string{"field 32A:", "not a date"}},
		{"no beneficiary", strings.Replace(mt103, ":59:OMAR\r\n", "", 1), []string{"b.txt:1: message 1", "59/59A/59F", "MT103 without field 59"}},
		{"truncated", mt103[:len(mt103)-2], []string{"block 4", `no "-}" end`}},
		{"not a field", strings.Replace(mt103, ":23B:CRED", "23B:CRED", 1), []string{"b.txt:3:", "field 20", "2 lines"}},
		{"second message broken", mt103 + strings.Replace(mt103, ":20:REF\r\n", "", 1), []string{"message 2", "without field 20"}},
		{"statement", strings.Replace(mt103, "I103", "I940", 1), []string{"block 2", "MT940 is not a payment"}},
		{"block 3 open", strings.Replace(mt103, "{4:", "{3:{108:X}{4:", 1), []string{"block"}},
		{"empty", "   \r\n", []string{"no SWIFT MT message"}},
		{"garbage in block 4", "{1:F01COBADEFFAXXX0000000001}{2:I103BKTRUS33XXXXN}{4:\r\nhello\r\n-}", []string{"b.txt:2:", "is not a field"}},
		{"unknown block", "{7:x}", []string{"unknown block"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadAll(strings.NewReader(tt.in), "b.txt")
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

// lazyFile produces n MT103 messages as it is read.
type lazyFile struct {
	n, next int
	buf     bytes.Buffer
	served  int
}

func (l *lazyFile) Read(p []byte) (int, error) {
	for l.buf.Len() < len(p) && l.next < l.n {
		l.next++
		fmt.Fprintf(&l.buf, "{1:F01COBADEFFAXXX0000%06d}{2:I103BKTRUS33XXXXN}{4:\r\n:20:REF%d\r\n:23B:CRED\r\n:32A:260115EUR%d,\r\n"+
			":50K:/DE89370400440532013000\r\nDEBTOR %d\r\n:59:CREDITOR %d\r\n:71A:SHA\r\n-}{5:{CHK:1}}\r\n", l.next, l.next, l.next, l.next, l.next)
	}
	if l.buf.Len() == 0 {
		return 0, io.EOF
	}
	k, _ := l.buf.Read(p)
	l.served += k
	return k, nil
}

func TestStreams(t *testing.T) {
	src := &lazyFile{n: 20000}
	first, count := -1, 0
	_, err := Read(src, "big.txt", func(tx *payment.Transaction) error {
		if first < 0 {
			first = src.served
		}
		count++
		if tx.Ref != fmt.Sprint("REF", count) {
			return fmt.Errorf("message %d: ref %s", count, tx.Ref)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != 20000 || first > 1<<17 || src.served < 3<<20 {
		t.Errorf("%d messages, first after %d of %d bytes", count, first, src.served)
	}
}

func TestDetect(t *testing.T) {
	for _, s := range []string{mt103, "\x01" + mt103, ":20:X\r\n:23B:CRED\r\n:32A:260101EUR1,\r\n"} {
		if !Detect([]byte(s)) {
			t.Errorf("%q not detected", s[:20])
		}
	}
	for _, s := range []string{"id,name\n", "<Document>", "UNA:+.? 'UNB+", ":20: hello"} {
		if Detect([]byte(s)) {
			t.Errorf("%q detected", s)
		}
	}
}

// FuzzRead checks that Read never panics, that every error is an *Error,
// and that each message's parties have roles and places.
func FuzzRead(f *testing.F) {
	for _, p := range samples(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(mt103))
	f.Add([]byte(strings.Replace(mt103, ":50K:/DE89370400440532013000\r\nALI", ":50F:CCPT/GE/1\r\n1/ALI\r\n4/19800101", 1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		_, err := Read(bytes.NewReader(b), "f.txt", func(tx *payment.Transaction) error {
			n++
			if tx.N != n {
				t.Fatalf("message %d numbered %d", n, tx.N)
			}
			for _, p := range tx.Parties {
				if p.Role == "" || p.Where == "" || p.Empty() {
					t.Fatalf("party %+v", p)
				}
			}
			return nil
		})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line <= 0 {
				t.Fatalf("error %T: %v", err, err)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	_, _ = io.Copy(&buf, &lazyFile{n: 5000})
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(buf.Bytes()), "b.txt", func(*payment.Transaction) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*5000)/b.Elapsed().Seconds(), "tx/s")
}
