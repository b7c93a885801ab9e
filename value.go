package concord

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of what Concord stores. Every identifier and value that reaches a
// store, an audit row or a log is checked against them, so that none can
// grow a row, a page or an index without bound.
const (
	MaxIDLen    = 128  // entity, statement, job and alert ids; user and member names
	MaxValueLen = 4096 // one property value
	MaxTextLen  = 4000 // a free-text field: a decision's reason, a job's name
)

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@-]*$`)

// CheckID checks an identifier (an entity id, a job or alert id in a path):
// 1 to MaxIDLen bytes of ASCII letters, digits and . _ : @ -, starting with a
// letter or digit. The error does not quote an over-long id.
func CheckID(id string) error {
	switch {
	case id == "":
		return Errorf(EINVALID, "empty")
	case len(id) > MaxIDLen:
		return Errorf(EINVALID, "%d bytes, at most %d", len(id), MaxIDLen)
	case !idRE.MatchString(id):
		return Errorf(EINVALID, "%s: want letters, digits and . _ : @ - (starting with a letter or digit)", Quote(id))
	}
	return nil
}

// CheckText checks a text value of at most max bytes: valid UTF-8, no NUL
// byte, no control character other than tab and, when multiline, line
// breaks. Non-characters and lone surrogates cannot occur in valid UTF-8;
// U+FFFD (a replacement a sender made) is kept as text.
func CheckText(s string, max int, multiline bool) error {
	if len(s) > max {
		return Errorf(EINVALID, "%d bytes, at most %d", len(s), max)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == 0:
				return Errorf(EINVALID, "contains a NUL byte (at byte %d)", i)
			case c == '\t', multiline && (c == '\n' || c == '\r'):
			case c < 0x20 || c == 0x7f:
				return Errorf(EINVALID, "contains the control character U+%04X (at byte %d)", c, i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return Errorf(EINVALID, "is not valid UTF-8 (byte 0x%02X at %d)", c, i)
		}
		if r >= 0x80 && r <= 0x9f {
			return Errorf(EINVALID, "contains the control character U+%04X (at byte %d)", r, i)
		}
		i += n
	}
	return nil
}

// CheckValue checks one value of prop in schema s: the text rules of
// CheckText, and those of the property's type — a date is an ISO 8601 date
// (YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time), a country a
// lower-case ISO 3166 code, a gender male, female or other, an entity
// reference an id (CheckID), identifiers, URLs and e-mail addresses one
// line without spaces at the ends. The error names neither the property nor
// the value's place: callers add them ("properties.birthDate[0]: ...").
func CheckValue(s *Schema, prop, v string) error {
	if s == nil {
		return Errorf(EINVALID, "unknown schema")
	}
	ty, ok := s.Props[prop]
	if !ok {
		return Errorf(EINVALID, "schema %s has no property %q", s.Name, prop)
	}
	if v == "" {
		return Errorf(EINVALID, "empty value")
	}
	if err := CheckText(v, MaxValueLen, ty == TypeText || ty == TypeAddress); err != nil {
		return err
	}
	switch ty {
	case TypeDate:
		if !ValidDate(v) {
			return Errorf(EINVALID, "%s is not a date: want YYYY, YYYY-MM or YYYY-MM-DD (optionally with a time, YYYY-MM-DDTHH:MM:SSZ)", Quote(v))
		}
	case TypeCountry:
		if !countryRE.MatchString(v) {
			return Errorf(EINVALID, "%s is not a country code: want ISO 3166 alpha-2 in lower case, e.g. \"sy\"", Quote(v))
		}
	case TypeGender:
		if v != "male" && v != "female" && v != "other" {
			return Errorf(EINVALID, "%s: want male, female or other", Quote(v))
		}
	case TypeEntity:
		if err := CheckID(v); err != nil {
			return Errorf(EINVALID, "entity reference %s", ErrorMessage(err))
		}
	case TypeIdentifier, TypeURL, TypeEmail, TypePhone, TypeTopic:
		if strings.TrimSpace(v) != v || len(v) > 1024 {
			return Errorf(EINVALID, "%s: want one value of at most 1024 bytes without spaces at the ends", Quote(v))
		}
	}
	return nil
}

// countryRE: ISO 3166-1 alpha-2 as FtM writes it, and its few extensions
// ("zz" unknown, "xk" Kosovo, "suhh" Soviet Union, "ge-ab" a region).
var countryRE = regexp.MustCompile(`^[a-z]{2}([a-z]{2})?(-[a-z0-9]{1,8})?$`)

// ValidDate reports whether s is an ISO 8601 date of FtM's forms: YYYY,
// YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.fraction]] with an optional
// Z or ±HH:MM, of a day that exists.
func ValidDate(s string) bool {
	if len(s) < 4 || len(s) > 35 {
		return false
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || year < 1 || !digits(s[:4]) {
		return false
	}
	switch {
	case len(s) == 4:
		return true
	case len(s) == 7:
		m, ok := twoDigits(s, 5)
		return s[4] == '-' && ok && m >= 1 && m <= 12
	case len(s) == 10:
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	case len(s) > 10 && s[10] == 'T':
		if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
			return false
		}
		for _, layout := range []string{"T15:04", "T15:04Z07:00", "T15:04:05", "T15:04:05Z07:00", "T15:04:05.999999999", "T15:04:05.999999999Z07:00"} {
			if _, err := time.Parse(layout, s[10:]); err == nil {
				return true
			}
		}
	}
	return false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func twoDigits(s string, at int) (int, bool) {
	if at+2 > len(s) || !digits(s[at:at+2]) {
		return 0, false
	}
	return int(s[at]-'0')*10 + int(s[at+1]-'0'), true
}

// Quote quotes s for an error message, cut to 64 bytes (whole characters)
// and with invalid UTF-8 and control characters escaped, so that no input
// can make a message long or unprintable.
func Quote(s string) string {
	const max = 64
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// FieldError returns err, an EINVALID from one of the checks above, with
// the field it concerns named first: "field: message".
func FieldError(field string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: EINVALID, Message: field + ": " + ErrorMessage(err)}
}
