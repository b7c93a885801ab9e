package stix

import (
	"fmt"
	"strings"

	"concord"
)

// The patterns of Concord's indicators, and the part of the STIX
// patterning language read back: comparisons of an object path with a
// string, joined by AND and OR, in one or more observation expressions.
//
//	identity documents  [x-concord-identity-document:number = 'N' AND x-concord-identity-document:country = 'sy']
//	bank accounts       [bank-account:iban = 'IQ86…'] or account_number, bic
//	crypto wallets      [cryptocurrency-wallet:value = 'bc1…']
//	media hashes        [file:hashes.'SHA-256' = '…'] OR [file:hashes.MD5 = '…'] OR [file:hashes.PDQ = '…']

// fields maps (schema, property) to an object path, per schema of record.
var fields = []struct {
	schema, prop, path string
}{
	{"Identification", "number", "x-concord-identity-document:number"},
	{"Identification", "passportNumber", "x-concord-identity-document:number"},
	{"Identification", "type", "x-concord-identity-document:type"},
	{"Identification", "country", "x-concord-identity-document:country"},
	{"BankAccount", "iban", "bank-account:iban"},
	{"BankAccount", "accountNumber", "bank-account:account_number"},
	{"BankAccount", "bic", "bank-account:bic"},
	{"CryptoWallet", "publicKey", "cryptocurrency-wallet:value"},
	{"CryptoWallet", "currency", "cryptocurrency-wallet:currency"},
	{"Media", concord.PropSHA256, "file:hashes.'SHA-256'"},
	{"Media", concord.PropMD5, "file:hashes.MD5"},
	{"Media", concord.PropPDQHash, "file:hashes.PDQ"},
}

// identifying are the paths that identify (the others qualify them).
var identifying = map[string]bool{
	"x-concord-identity-document:number": true, "bank-account:iban": true, "bank-account:account_number": true,
	"cryptocurrency-wallet:value": true, "file:hashes.'SHA-256'": true, "file:hashes.MD5": true, "file:hashes.PDQ": true,
}

// Pattern is the STIX pattern of an identifier record ("" when it has no
// identifying value). Each identifying value is an observation of its own
// (OR): any of them matches; qualifying values (a document's country) are
// ANDed to each.
func Pattern(e *concord.Entity) string {
	sc := concord.SchemaByName(e.Schema)
	if sc == nil {
		return ""
	}
	var ids, quals []string
	seen := map[string]bool{}
	for _, f := range fields {
		if !sc.Is(f.schema) {
			continue
		}
		for _, v := range e.Properties[f.prop] {
			c := f.path + " = " + quote(v)
			if seen[c] {
				continue
			}
			seen[c] = true
			if identifying[f.path] {
				ids = append(ids, c)
			} else {
				quals = append(quals, c)
			}
		}
	}
	var obs []string
	for _, c := range ids {
		obs = append(obs, "["+strings.Join(append([]string{c}, quals...), " AND ")+"]")
	}
	return strings.Join(obs, " OR ")
}

func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Comparison is one "path = 'value'" of a pattern.
type Comparison struct{ Path, Value string }

// ParsePattern reads the comparisons of a pattern made of equality
// comparisons joined by AND and OR (within and between observations). A
// pattern with anything else (other operators, qualifiers such as WITHIN,
// FOLLOWEDBY) is an error: Concord keeps only values it can match exactly.
func ParsePattern(p string) ([]Comparison, error) {
	var out []Comparison
	i, depth := 0, 0
	skip := func() {
		for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			i++
		}
	}
	word := func() string {
		start := i
		for i < len(p) && p[i] != ' ' && p[i] != '[' && p[i] != ']' && p[i] != '(' && p[i] != ')' {
			if p[i] == '\'' { // a quoted path component: hashes.'SHA-256'
				i++
				for i < len(p) && p[i] != '\'' {
					i++
				}
			}
			i++
		}
		return p[start:min(i, len(p))]
	}
	expectValue := false
	var path string
	for {
		skip()
		if i >= len(p) {
			break
		}
		switch c := p[i]; {
		case c == '[' || c == '(':
			depth++
			i++
		case c == ']' || c == ')':
			depth--
			i++
			if depth < 0 {
				return nil, fmt.Errorf("pattern %q: unbalanced brackets", p)
			}
		case c == '\'' && expectValue:
			i++
			var b strings.Builder
			for i < len(p) && p[i] != '\'' {
				if p[i] == '\\' && i+1 < len(p) {
					i++
				}
				b.WriteByte(p[i])
				i++
			}
			if i >= len(p) {
				return nil, fmt.Errorf("pattern %q: unterminated string", p)
			}
			i++
			out = append(out, Comparison{Path: path, Value: b.String()})
			expectValue, path = false, ""
		default:
			w := word()
			switch {
			case w == "":
				return nil, fmt.Errorf("pattern %q: unexpected %q", p, p[i])
			case w == "AND" || w == "OR":
			case w == "=" && path != "":
				expectValue = true
			case path == "" && !expectValue && strings.Contains(w, ":"):
				path = w
			default:
				return nil, fmt.Errorf("pattern %q: %q is not an equality comparison Concord keeps", p, w)
			}
		}
	}
	if depth != 0 || path != "" || expectValue {
		return nil, fmt.Errorf("pattern %q: incomplete", p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pattern %q: no comparison", p)
	}
	return out, nil
}

// fieldOf finds the record schema and property of an object path.
func fieldOf(path string) (schema, prop string, ok bool) {
	norm := strings.ToLower(strings.ReplaceAll(path, "'", ""))
	for _, f := range fields {
		if strings.ToLower(strings.ReplaceAll(f.path, "'", "")) == norm {
			if f.prop == "passportNumber" {
				continue
			}
			return f.schema, f.prop, true
		}
	}
	switch norm {
	case "file:hashes.sha256", "file:hashes.sha-256":
		return "Media", concord.PropSHA256, true
	case "file:hashes.md5":
		return "Media", concord.PropMD5, true
	}
	return "", "", false
}
