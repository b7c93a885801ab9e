package payment

import (
	"fmt"
	"strings"

	"concord"
)

// CheckBIC validates a business identifier code (ISO 9362): four letters or
// digits of the institution, the ISO 3166 code of its country, two letters
// or digits of its location and an optional branch of three. It returns the
// BIC upper case, without a branch "XXX" (the head office: BANKBEBB and
// BANKBEBBXXX are one BIC).
func CheckBIC(s string) (string, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	if len(v) != 8 && len(v) != 11 {
		return v, fmt.Errorf("BIC %q: %d characters, want 8 or 11", s, len(v))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i >= 4 && i < 6 && !letter || !letter && !digit {
			return v, fmt.Errorf("BIC %q: character %d (%q) not allowed there", s, i+1, c)
		}
	}
	if concord.CountryName(v[4:6]) == "" {
		return v, fmt.Errorf("BIC %q: %s is not an ISO 3166 country code", s, v[4:6])
	}
	if len(v) == 11 && v[8:] == "XXX" {
		v = v[:8]
	}
	return v, nil
}

// BICInstitution is the first eight characters of a BIC: the institution
// at its location, whatever the branch.
func BICInstitution(bic string) string {
	if len(bic) > 8 {
		return bic[:8]
	}
	return bic
}
