package iso20022

import (
	"errors"
	"os"
	"strings"
	"testing"

	"concord/internal/importer/payment"
)

// FuzzRead checks that Read never panics, that every error is an *Error,
// and that what it reads is consistent: transactions numbered in order, each
// with a creditor or a creditor account, roles set, where set.
func FuzzRead(f *testing.F) {
	for _, p := range samples(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(doc("pacs.009.001.08", txXML(""))))
	f.Add([]byte(doc("pain.001.001.03", "<PmtInf><Dbtr><Nm>D</Nm></Dbtr>"+txXML("")+"</PmtInf>")))
	f.Add([]byte("<FIToFICstmrCdtTrf>" + txXML("") + "</FIToFICstmrCdtTrf><X><Y>y</Y></X>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		m, err := Read(strings.NewReader(string(b)), "f.xml", func(tx *payment.Transaction) error {
			n++
			if tx.N != n || tx.Where == "" {
				t.Fatalf("transaction %+v", tx)
			}
			for _, p := range tx.Parties {
				if p.Role == "" || p.Where == "" || p.Empty() {
					t.Fatalf("party %+v", p)
				}
				if p.Account != nil && p.Account.Kind == payment.AccountIBAN {
					if _, err := payment.CheckIBAN(p.Account.Value); err != nil {
						t.Fatalf("invalid IBAN kept as IBAN: %+v", p.Account)
					}
				}
			}
			return nil
		})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		if m.Transactions != n {
			t.Fatalf("%d transactions, header says %d", n, m.Transactions)
		}
	})
}
