package payment

import (
	"fmt"
	"strings"
)

// ibanLength is the length of the IBAN of each country of the SWIFT IBAN
// registry (ISO 13616).
var ibanLength = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
	"SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
	"YE": 30,
}

// CompactAccount removes what people write inside account numbers: spaces,
// hyphens, dots and slashes; letters are upper-cased.
func CompactAccount(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '\t' || r == '\u00a0':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckIBAN validates an IBAN (spaces and case ignored) and returns it
// compact and upper case. The error says what is wrong: characters, country,
// length or check digits.
func CheckIBAN(s string) (string, error) {
	v := CompactAccount(s)
	if len(v) < 5 || len(v) > 34 {
		return v, fmt.Errorf("IBAN %q: %d characters, want 5 to 34", s, len(v))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case i < 2 && (c < 'A' || c > 'Z'):
			return v, fmt.Errorf("IBAN %q: does not start with a country code", s)
		case i >= 2 && i < 4 && (c < '0' || c > '9'):
			return v, fmt.Errorf("IBAN %q: check digits are not digits", s)
		case !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'):
			return v, fmt.Errorf("IBAN %q: character %q not allowed", s, c)
		}
	}
	if n, ok := ibanLength[v[:2]]; !ok {
		return v, fmt.Errorf("IBAN %q: %s does not issue IBANs", s, v[:2])
	} else if len(v) != n {
		return v, fmt.Errorf("IBAN %q: %d characters, %s IBANs have %d", s, len(v), v[:2], n)
	}
	if mod97(v[4:]+v[:4]) != 1 {
		return v, fmt.Errorf("IBAN %q: check digits %s do not verify", s, v[2:4])
	}
	return v, nil
}

// mod97 is the ISO 7064 MOD 97-10 remainder of s with letters as 10..35.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			n := int(c-'A') + 10
			r = (r*100 + n) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

// LooksLikeIBAN reports whether s (compact, upper case) has the shape of an
// IBAN of a registry country: it is then worth validating, and an error
// means a mistyped or forged IBAN rather than another kind of number.
func LooksLikeIBAN(v string) bool {
	if len(v) < 15 || len(v) > 34 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' ||
		v[2] < '0' || v[2] > '9' || v[3] < '0' || v[3] > '9' {
		return false
	}
	_, ok := ibanLength[v[:2]]
	return ok
}

// NewAccount maps an account identifier as a message gives it. iban says
// the message put it in an IBAN element; an IBAN that fails its checks is
// kept as an account number of the same characters, with a warning.
func NewAccount(value string, iban bool, scheme, currency string) (*Account, string) {
	written := strings.TrimSpace(value)
	if written == "" {
		return nil, ""
	}
	a := &Account{Kind: AccountOther, Scheme: scheme, Currency: currency}
	v := CompactAccount(written)
	warn := ""
	if iban || LooksLikeIBAN(v) {
		if ok, err := CheckIBAN(written); err == nil {
			a.Kind, a.Value, a.Country = AccountIBAN, ok, strings.ToLower(ok[:2])
		} else {
			a.Value, warn = v, err.Error()
		}
	} else if IsWallet(written) {
		a.Kind, a.Value = AccountWallet, NormalizeWallet(written)
	} else {
		a.Value = v
	}
	if a.Value != written {
		a.Written = written
	}
	return a, warn
}
