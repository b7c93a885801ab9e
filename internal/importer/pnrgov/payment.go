package pnrgov

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"concord/internal/importer/edifact"
)

// payments reads a FOP segment: one payment per data element (type,
// indicator, amount, vendor, account number, expiry). The account number is
// reduced at once to its last four digits and, when it came whole, a keyed
// hash; the expiry date is not kept.
func payments(s *edifact.Segment, key []byte) []Payment {
	var out []Payment
	for e := range s.Elems {
		p := Payment{Type: strings.ToUpper(s.Elem(e, 0)), Amount: s.Elem(e, 2), Vendor: s.Elem(e, 3)}
		if p.Type == "" {
			continue
		}
		p.Last4, p.CardHash, p.Masked = account(s.Elem(e, 4), key)
		out = append(out, p)
	}
	return out
}

// account reduces an account number: its last four digits, the keyed hash
// of its digits when none is masked, and whether it was masked.
func account(v string, key []byte) (last4, hash string, masked bool) {
	var digits strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits.WriteByte(c)
		case c == ' ' || c == '-':
		default:
			masked = true // X, *, or anything that is not a digit
		}
	}
	d := digits.String()
	if len(d) >= 4 && strings.HasSuffix(strings.TrimRight(v, " "), d[len(d)-4:]) {
		last4 = d[len(d)-4:]
	}
	if !masked && len(d) >= 8 && len(key) > 0 {
		hash = CardHash(key, d)
	}
	return last4, hash, masked
}

// CardHash is the keyed hash under which a card number is kept:
// HMAC-SHA256 of its digits under the node's key, the first 16 bytes in hex.
// Two bookings paid with one card share it on one node; without the key it
// cannot be reversed by trying every card number.
func CardHash(key []byte, digits string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(digits))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
