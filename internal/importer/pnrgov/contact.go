package pnrgov

import (
	"strings"

	"concord/internal/importer/edifact"
)

// Contacts reach PNRGOV as free text in the airline notation of IATA
// Resolution 830d: "CTCE MOLLY..LOBB//GMAIL.COM" (an e-mail, "//" for "@",
// ".." for "_", "./" for "-"), "CTCM 447700900123" (a mobile), with the
// type letter glued or spaced ("CTC M"), often after the airline code
// ("YY CTCM ..."). Only the contacts are kept of such text.

// contacts finds the contacts in a free text.
func contacts(text string) []Contact {
	var out []Contact
	for _, f := range ctcFields(text) {
		if c, ok := contact(f.typ, f.text); ok {
			out = append(out, c)
		}
	}
	return out
}

// ctcFields finds the CTC lines of a free text: their type letter and value.
func ctcFields(text string) []typedText {
	var out []typedText
	for off := 0; ; {
		i := strings.Index(text[off:], "CTC")
		if i < 0 {
			return out
		}
		i += off
		off = i + 3
		if i > 0 && isAlnumByte(text[i-1]) {
			continue // inside a word
		}
		rest := strings.TrimLeft(text[off:], " ")
		if rest == "" || !isUpper(rest[0]) || len(rest) > 1 && rest[1] != ' ' {
			continue
		}
		typ, value := rest[:1], strings.TrimSpace(rest[1:])
		// The value ends where another contact starts.
		if j := strings.Index(value, " CTC"); j >= 0 {
			value = value[:j]
		}
		out = append(out, typedText{typ: typ, text: value})
	}
}

// cutContact reports whether the last contact of text goes on in next, the
// following data element: a telephone number followed by digits, or an
// e-mail address without its domain followed by one. Only a data element
// separator written in the text without the release character cuts a
// contact so.
func cutContact(text, next string) bool {
	fs := ctcFields(text)
	if len(fs) == 0 || next == "" {
		return false
	}
	f := fs[len(fs)-1]
	if f.typ == "E" {
		return email(f.text) == "" && (strings.Contains(next, "//") || strings.Contains(next, "@"))
	}
	return strings.ContainsAny(f.text, "0123456789") && next[0] >= '0' && next[0] <= '9'
}

// contact normalises one value of a CTC type.
func contact(typ, value string) (Contact, bool) {
	if typ == "E" {
		if e := email(value); e != "" {
			return Contact{Kind: Email, Type: typ, Value: e}, true
		}
		return Contact{}, false
	}
	if p := phone(value); p != "" {
		return Contact{Kind: Phone, Type: typ, Value: p}, true
	}
	return Contact{}, false
}

// email decodes an e-mail address in airline notation; "" when it is not one.
func email(v string) string {
	v = strings.TrimSpace(v)
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	}
	v = unescapeEmail(v)
	at := strings.IndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.Count(v, "@") != 1 || !strings.Contains(v[at:], ".") {
		return ""
	}
	return strings.ToLower(v)
}

// unescapeEmail decodes "//" as "@", ".." as "_" and "./" as "-".
func unescapeEmail(v string) string {
	if !strings.Contains(v, "//") && !strings.Contains(v, "..") && !strings.Contains(v, "./") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if i+1 < len(v) {
			switch v[i : i+2] {
			case "//":
				b.WriteByte('@')
				i++
				continue
			case "..":
				b.WriteByte('_')
				i++
				continue
			case "./":
				b.WriteByte('-')
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// phone keeps the digits of the first telephone number in v (a city code or
// the name that follows is left out); an international "00" or "+" is
// dropped. Fewer than five digits is no number.
func phone(v string) string {
	var b strings.Builder
	started := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
			started = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '+':
		default:
			if started {
				i = len(v)
			}
		}
	}
	d := b.String()
	d = strings.TrimPrefix(d, "00")
	if len(d) < 5 || len(d) > 20 {
		return ""
	}
	return d
}

// phones reads the telephone field of an ADD, which may hold several
// numbers each after a type letter ("H5555555555 W 1 555 555 5555").
func phones(v string) []Contact {
	if cs := contacts(v); len(cs) > 0 {
		return cs
	}
	var out []Contact
	for _, chunk := range splitAtLetters(v) {
		if p := phone(chunk.text); p != "" {
			out = append(out, Contact{Kind: Phone, Type: chunk.typ, Value: p})
		}
	}
	return out
}

type typedText struct{ typ, text string }

// splitAtLetters cuts v before each letter: the text after each letter,
// typed by it.
func splitAtLetters(v string) []typedText {
	var out []typedText
	typ, from := "", 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && !isUpper(v[i]) {
			continue
		}
		if text := v[from:i]; strings.TrimSpace(text) != "" {
			out = append(out, typedText{typ: typ, text: text})
		}
		if i < len(v) {
			typ, from = v[i:i+1], i+1
		}
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlnumByte(c byte) bool { return isUpper(c) || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// address reads an ADD segment: a postal address and the contacts of its
// free text (the eighth component).
func address(s *edifact.Segment, kind string) (*Address, []Contact) {
	typ := s.Elem(1, 0)
	a := &Address{Kind: kind, Type: typ, Street: s.Elem(1, 1), City: s.Elem(1, 2), Region: s.Elem(1, 3),
		Country: s.Elem(1, 5), Postcode: s.Elem(1, 6)}
	var cs []Contact
	if text := s.Elem(1, 7); text != "" {
		switch {
		case typ == "E" || strings.Contains(text, "@"):
			if e := email(text); e != "" {
				cs = append(cs, Contact{Kind: Email, Value: e})
			}
		default:
			cs = phones(text)
		}
	}
	if a.Street == "" && a.City == "" && a.Postcode == "" && a.Country == "" {
		a = nil
	}
	return a, cs
}

// NormalizePhone writes a telephone number as the reader keeps it (digits,
// an international "00" or "+" dropped); "" when v is not one.
func NormalizePhone(v string) string { return phone(v) }
