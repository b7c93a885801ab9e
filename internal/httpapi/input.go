package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"concord"
)

// Bounds of the parts of a request that are not a body.
const (
	maxQueryParam = 1024 // one query parameter's value, in bytes
	maxRawQuery   = 8192 // the whole query string
)

// checkRequest refuses, before any handler runs (and so before anything is
// audited or logged beyond the access log), a request whose path wildcards
// or query parameters are not bounded, valid UTF-8 text: each wildcard of
// the route pattern must be an identifier (concord.CheckID), each query
// parameter at most maxQueryParam bytes of one line of text. A member
// wildcard may also be "*": every member (the coalition-wide retention
// policy).
func checkRequest(r *http.Request, wildcards []string) error {
	for _, name := range wildcards {
		if name == "member" && r.PathValue(name) == "*" {
			continue
		}
		if err := concord.CheckID(r.PathValue(name)); err != nil {
			return concord.FieldError("path parameter "+name, err)
		}
	}
	if len(r.URL.RawQuery) > maxRawQuery {
		return concord.Errorf(concord.EINVALID, "query string: %d bytes, at most %d", len(r.URL.RawQuery), maxRawQuery)
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	for name, vals := range q {
		if err := concord.CheckText(name, 64, false); err != nil {
			return concord.FieldError("query parameter name "+concord.Quote(name), err)
		}
		for _, v := range vals {
			if err := concord.CheckText(v, maxQueryParam, false); err != nil {
				return concord.FieldError("parameter "+name, err)
			}
		}
	}
	return nil
}

// parseQuery is url.ParseQuery with its error made a clear 400.
func parseQuery(raw string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "query string: %v", err)
	}
	return q, nil
}

// wildcards returns the names of the {wildcards} of a ServeMux pattern.
func wildcards(pattern string) []string {
	var out []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			return out
		}
		name := strings.TrimSuffix(pattern[i+1:i+j], "...")
		if name != "$" {
			out = append(out, name)
		}
		pattern = pattern[i+j+1:]
	}
}

// readJSON reads a JSON body of at most limit bytes and refuses text that
// JSON decoding would silently alter or that no store keeps: invalid UTF-8
// (decoding replaces it with U+FFFD), lone UTF-16 surrogates (idem), NUL
// and other control characters but tab and line breaks. The error names
// the field, e.g. "queries.q1.properties.name[0]: contains a NUL byte".
func readJSON(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, err
	}
	if utf8.Valid(body) && !suspectEscapes(body) {
		return body, nil // the common case: nothing to look at closely
	}
	if err := checkJSONText(body); err != nil {
		return nil, err
	}
	return body, nil
}

// suspectEscapes reports whether b holds a \u escape of a control
// character or a surrogate, which checkJSONText must look at.
func suspectEscapes(b []byte) bool {
	for {
		i := bytes.Index(b, []byte(`\u`))
		if i < 0 || i+6 > len(b) {
			return i >= 0
		}
		h := b[i+2 : i+6]
		switch {
		case h[0] == '0' && h[1] == '0' && (h[2] <= '1' || h[2] == '7' && (h[3] == 'f' || h[3] == 'F') || h[2] == '8' || h[2] == '9'):
			return true
		case h[0] == 'd' || h[0] == 'D':
			if h[1] >= '8' && h[1] <= '9' || h[1] >= 'a' && h[1] <= 'f' || h[1] >= 'A' && h[1] <= 'F' {
				return true
			}
		}
		b = b[i+2:]
	}
}

// checkJSONText walks the tokens of a JSON document and returns the first
// string (key or value) that is not valid text, named by its path. A
// document that is not JSON is left to the decoder, which says why.
func checkJSONText(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		array   bool
		key     string // the member being read, when haveKey
		haveKey bool
		index   int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			switch {
			case f.array:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			case f.haveKey:
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		if b.Len() == 0 {
			return "request body"
		}
		return b.String()
	}
	expectKey := func() bool { return len(stack) > 0 && !stack[len(stack)-1].array && !stack[len(stack)-1].haveKey }
	// after a value: advance the array index or clear the object key.
	next := func() {
		if len(stack) == 0 {
			return
		}
		if f := &stack[len(stack)-1]; f.array {
			f.index++
		} else {
			f.key, f.haveKey = "", false
		}
	}
	var last int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // io.EOF or a syntax error: decode reports it
		}
		raw := body[last:dec.InputOffset()]
		last = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				next()
			}
		case string:
			isKey := expectKey()
			if err := checkJSONString(raw, t); err != nil {
				if isKey {
					return concord.FieldError(joinPath(path(), "key "+concord.Quote(t)), err)
				}
				return concord.FieldError(path(), err)
			}
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].haveKey = t, true
				continue
			}
			next()
		default:
			next()
		}
	}
}

func joinPath(p, s string) string {
	if p == "request body" {
		return s
	}
	return p + " " + s
}

// checkJSONString checks one decoded string and the raw bytes it came from.
func checkJSONString(raw []byte, s string) error {
	if !utf8.Valid(raw) {
		i := 0
		for i < len(raw) {
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return concord.Errorf(concord.EINVALID, "is not valid UTF-8 (byte 0x%02X)", raw[i])
	}
	if err := loneSurrogate(raw); err != nil {
		return err
	}
	return concord.CheckText(s, len(s), true)
}

// loneSurrogate finds a \uD800-\uDFFF escape that is not half of a pair.
func loneSurrogate(raw []byte) error {
	for i := 0; i+6 <= len(raw); i++ {
		if raw[i] == '\\' && raw[i+1] == '\\' {
			i++
			continue
		}
		if raw[i] != '\\' || raw[i+1] != 'u' {
			continue
		}
		r1, ok := hex4(raw[i+2 : i+6])
		if !ok || !utf16.IsSurrogate(r1) {
			continue
		}
		if r1 < 0xdc00 && i+12 <= len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
			if r2, ok := hex4(raw[i+8 : i+12]); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
				i += 11
				continue
			}
		}
		return concord.Errorf(concord.EINVALID, `holds a lone UTF-16 surrogate (\u%04X), which is not text`, r1)
	}
	return nil
}

func hex4(b []byte) (rune, bool) {
	n, err := strconv.ParseUint(string(b), 16, 16)
	return rune(n), err == nil
}
