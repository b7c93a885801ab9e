package payment

import "strings"

// IsWallet reports whether s has the shape of a digital-currency address of
// the kinds sanctions lists name: Bitcoin and its forks (base58 from 1, 3,
// L, M, X, D, t1/t3 for Zcash; bech32 bc1/ltc1), Ethereum and its forks
// (0x and 40 hex digits), Monero (4 or 8 and 94 more base58 characters, or
// a 64-digit hex key), TRON (T and 33 base58), Bitcoin Gold (G, A), Bitcoin
// Cash (cashaddr, with or without "bitcoincash:"). The shape alone cannot prove an address; listed
// addresses are matched exactly, so a false shape only costs a look-up.
func IsWallet(s string) bool {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(strings.ToLower(s), "bitcoincash:"); ok {
		s = rest
	}
	switch {
	case len(s) < 26:
		return false
	case len(s) >= 32 && len(s) <= 66 && (strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X")):
		return allHex(s[2:]) // Ethereum and forks (lists hold a few mistyped lengths)
	case len(s) == 64 && allHex(s):
		return true // hex keys, as OFAC lists some Monero entries
	case len(s) == 42 && (s[0] == 'q' || s[0] == 'p') && allBech32(s):
		return true // Bitcoin Cash address without its prefix
	case strings.HasPrefix(strings.ToLower(s), "bc1") || strings.HasPrefix(strings.ToLower(s), "ltc1"):
		return len(s) >= 14 && len(s) <= 90 && allBech32(strings.ToLower(s[strings.IndexByte(s, '1')+1:]))
	case (s[0:1] == "4" || s[0:1] == "8") && (len(s) == 95 || len(s) == 106):
		return allBase58(s)
	case len(s) <= 35 && strings.ContainsAny(s[:1], "13LMXDTtGA"):
		return allBase58(s) && hasLetterAndDigit(s)
	}
	return false
}

// NormalizeWallet returns the form a wallet address is compared in: hex
// and bech32 addresses are case-insensitive (lower case), base58 ones are
// kept as written.
func NormalizeWallet(s string) string {
	s = strings.TrimSpace(s)
	l := strings.ToLower(s)
	if rest, ok := strings.CutPrefix(l, "bitcoincash:"); ok {
		return rest
	}
	if strings.HasPrefix(l, "0x") || strings.HasPrefix(l, "bc1") || strings.HasPrefix(l, "ltc1") || len(s) == 64 && allHex(s) ||
		len(s) == 42 && (s[0] == 'q' || s[0] == 'p') && allBech32(s) {
		return l
	}
	return s
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func allBech32(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("qpzry9x8gf2tvdw0s3jn54khce6mua7l", rune(s[i])) {
			return false
		}
	}
	return true
}

func allBase58(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", rune(s[i])) {
			return false
		}
	}
	return true
}

func hasLetterAndDigit(s string) bool {
	l, d := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		l = l || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		d = d || c >= '0' && c <= '9'
	}
	return l && d
}
