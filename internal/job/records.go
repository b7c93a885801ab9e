package job

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/importer/iso20022"
	"concord/internal/importer/payment"
	"concord/internal/importer/swiftmt"
)

// recordID is a stable id of a record a member keeps: the member and what
// identifies the thing, hashed, so that the same account paid twice is one
// record and no other member's record is ever named.
func recordID(kind, member string, parts ...string) string {
	h := sha256.Sum256([]byte(member + "\x00" + strings.Join(parts, "\x00")))
	return fmt.Sprintf("m-%s-%s-%s", member, kind, hex.EncodeToString(h[:8]))
}

// PaymentRecords turns the transactions of a screened message into records
// a member keeps: the debtor and creditor sides (ultimate and underlying
// parties too) as persons or organisations, their accounts and wallets as
// BankAccount and CryptoWallet records held by them, and each transaction
// as a Payment from the debtor's account to the creditor's, with amount,
// currency, date and remittance text. The network links them: who pays
// whom, through which accounts.
func PaymentRecords(member, msgID string, txs []payment.Transaction) []*concord.Entity {
	var out []*concord.Entity
	seen := map[string]*concord.Entity{}
	put := func(e *concord.Entity) *concord.Entity {
		if old := seen[e.ID]; old != nil {
			for p, vs := range e.Properties {
				old.Add(p, vs...)
			}
			return old
		}
		seen[e.ID] = e
		out = append(out, e)
		return e
	}
	for i := range txs {
		t := &txs[i]
		var payer, payee string
		for _, p := range t.Parties {
			side := ""
			switch strings.TrimPrefix(p.Role, payment.RoleUnderlying) {
			case payment.RoleDebtor, payment.RoleUltimateDebtor:
				side = "payer"
			case payment.RoleCreditor, payment.RoleUltimateCreditor:
				side = "payee"
			default:
				continue
			}
			party := ""
			if p.Name != "" {
				schema := "LegalEntity"
				switch p.Kind {
				case payment.KindPerson:
					schema = "Person"
				case payment.KindOrganization, payment.KindInstitution:
					schema = "Organization"
				}
				acct := ""
				if p.Account != nil {
					acct = p.Account.Value
				}
				e := concord.NewEntity(recordID("party", member, strings.ToLower(p.Name), acct, p.BIC), schema)
				e.Add("name", p.Name)
				e.Add("address", p.Address.Full())
				if p.Address != nil {
					e.Add("country", p.Address.Country)
				}
				e.Add("swiftBic", p.BIC)
				if schema == "Person" {
					e.Add("birthDate", p.BirthDate)
				}
				for _, id := range p.Identifiers {
					e.Add("idNumber", id.Value)
				}
				party = put(e).ID
			}
			node := party
			if a := p.Account; a != nil {
				var e *concord.Entity
				if a.Kind == payment.AccountWallet {
					e = concord.NewEntity(recordID("wallet", member, a.Value), "CryptoWallet")
					e.Add("publicKey", a.Value)
				} else {
					e = concord.NewEntity(recordID("acct", member, a.Value), "BankAccount")
					if a.Kind == payment.AccountIBAN {
						e.Add("iban", a.Value)
					} else {
						e.Add("accountNumber", a.Value)
					}
					e.Add("currency", a.Currency)
				}
				e.Add("holder", party)
				node = put(e).ID
			}
			if node == "" {
				continue
			}
			if side == "payer" && (payer == "" || !strings.HasPrefix(p.Role, "ultimate")) {
				payer = node
			} else if side == "payee" && (payee == "" || !strings.HasPrefix(p.Role, "ultimate")) {
				payee = node
			}
		}
		if payer == "" || payee == "" {
			continue
		}
		pay := concord.NewEntity(recordID("payment", member, msgID, t.Ref, fmt.Sprint(t.N)), "Payment")
		pay.Add("payer", payer)
		pay.Add("beneficiary", payee)
		pay.Add("amount", t.Amount)
		pay.Add("currency", t.Currency)
		pay.Add("startDate", t.Date)
		pay.Add("name", strings.TrimSpace(msgID+" "+t.Ref))
		for _, p := range t.Parties {
			if p.Role == payment.RoleRemittance {
				pay.Add("summary", p.Text)
			}
		}
		put(pay)
	}
	return out
}

// SavePayments keeps the transactions of a payment message as records of
// the viewer's member (audience member:<id>, TLP:AMBER), so that the
// network holds who paid whom. The viewer must be allowed to contribute.
// It returns the number of records written.
func (r *Runner) SavePayments(ctx context.Context, v access.Viewer, kind, source string, body []byte) (int, error) {
	if r.Contribute == nil {
		return 0, concord.Errorf(concord.EUNSUPPORTED, "this node does not keep payments")
	}
	aud := concord.MemberAudience(v.Member)
	if err := access.ValidateShare(v, aud, concord.TLPAmber); err != nil {
		return 0, err
	}
	var txs []payment.Transaction
	keep := func(t *payment.Transaction) error { txs = append(txs, *t); return nil }
	var m *payment.Message
	var err error
	switch kind {
	case KindISO20022:
		m, err = iso20022.Read(bytes.NewReader(body), source, keep)
	case KindSWIFTMT:
		m, err = swiftmt.Read(bytes.NewReader(body), source, keep)
	default:
		return 0, concord.Errorf(concord.EINVALID, "%s: only payment messages are kept as records (this is %s)", source, kind)
	}
	if err != nil {
		return 0, invalid(err)
	}
	r.init()
	p := concord.Provenance{Dataset: "member-" + v.Member, SourceRef: "payment:" + m.ID, ContributedBy: v.Member,
		Audience: aud, Handling: concord.TLPAmber, Seen: r.Clock.Now()}
	ents := PaymentRecords(v.Member, m.ID, txs)
	var stmts []concord.Statement
	for _, e := range ents {
		stmts = append(stmts, e.Statements(p)...)
	}
	if len(stmts) == 0 {
		return 0, nil
	}
	if err := r.Contribute(ctx, stmts); err != nil {
		return 0, err
	}
	if r.OnChange != nil {
		for _, e := range ents {
			r.OnChange(e.ID)
		}
	}
	return len(ents), nil
}
