package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// scanner splits an XML document into the tokens the reader needs: start
// tags with their attributes, end tags and character data, skipping
// comments, processing instructions and directives. It accepts what
// encoding/xml's Decoder.RawToken accepts (strict mode: the same
// well-formedness checks, the same entities, \r\n read as \n, the encoding
// of the XML declaration) but reuses its buffers instead of allocating
// every token: a token's bytes are valid until the next call of next.
type scanner struct {
	src      io.Reader
	buf      []byte // read ahead: buf[pos:end] not yet consumed
	pos, end int
	err      error // of src, once it failed or ended
	line     int   // 1-based line of the next byte
	charset  func(label string, in io.Reader) (io.Reader, error)

	// The current token.
	prefix, local []byte    // element name: prefix and local part
	attrs         []attr    // attributes of a start tag
	text          []byte    // character data
	name          []byte    // backs space and local
	vals          []byte    // backs the attributes' names and values
	closeNext     bool      // a <x/> start tag: its end tag comes next
	closeName     [2][]byte // its name

	// textLimit, when over 0, is the most bytes of one run of character
	// data kept: the rest is read and dropped, so that memory stays
	// bounded whatever the input (the reader refuses a kept run that long
	// where it reads the text, and never looks at the others).
	textLimit int
}

// The scanner's own bounds, so that no token grows without limit: a name,
// a start tag's attributes (names and values together) and a processing
// instruction. encoding/xml has none; no ISO 20022 message comes near them.
const (
	maxNameBytes  = 1 << 12
	maxTagBytes   = 1 << 20
	maxTagAttrs   = 1 << 12
	maxPInstBytes = 1 << 16
)

// attr is an attribute of a start tag: offsets into the scanner's vals.
type attr struct {
	space, local, value span
}

type span struct{ from, to int }

func (s *scanner) bytesOf(p span) []byte { return s.vals[p.from:p.to] }

// Token kinds.
const (
	tokEOF = iota
	tokStart
	tokEnd
	tokText
)

// syntaxError is a document that is not well-formed XML, and the line where
// that was seen.
type syntaxError struct {
	msg  string
	line int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("XML syntax error on line %d: %s", e.line, e.msg)
}

func newScanner(r io.Reader, charset func(string, io.Reader) (io.Reader, error)) *scanner {
	s := &scanner{src: r, buf: make([]byte, 1<<16), line: 1, charset: charset}
	if s.fill(3) && bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\xef\xbb\xbf")) {
		s.pos += 3
	}
	return s
}

// fill reads until at least n bytes are buffered, or src is done; it
// reports whether any byte is.
func (s *scanner) fill(n int) bool {
	if s.pos > 0 && s.end-s.pos < n {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	for s.end-s.pos < n && s.err == nil {
		k, err := s.src.Read(s.buf[s.end:])
		s.end += k
		if err != nil {
			s.err = err
		} else if k == 0 {
			// A reader that returns nothing and no error: try again, as
			// bufio does, but not forever.
			k, err = s.src.Read(s.buf[s.end:])
			s.end += k
			if k == 0 && err == nil {
				err = io.ErrNoProgress
			}
			if err != nil {
				s.err = err
			}
		}
	}
	return s.end > s.pos
}

func (s *scanner) syntax(msg string) error { return &syntaxError{msg: msg, line: s.line} }

// failed is the error of a token cut short: the source's, or a syntax error
// when the input just ended.
func (s *scanner) failed() error {
	if s.err == nil || s.err == io.EOF {
		return s.syntax("unexpected EOF")
	}
	return s.err
}

// getc returns the next byte; false at the end of the input (or an error of
// src).
func (s *scanner) getc() (byte, bool) {
	if s.pos == s.end && !s.fill(1) {
		return 0, false
	}
	c := s.buf[s.pos]
	s.pos++
	if c == '\n' {
		s.line++
	}
	return c, true
}

// ungetc puts back the byte getc returned.
func (s *scanner) ungetc(c byte) {
	s.pos--
	if c == '\n' {
		s.line--
	}
}

func (s *scanner) space() {
	for {
		c, ok := s.getc()
		if !ok {
			return
		}
		if c != ' ' && c != '\r' && c != '\n' && c != '\t' {
			s.ungetc(c)
			return
		}
	}
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= utf8.RuneSelf
}

// readName appends a name's bytes to dst: false, dst unchanged, when none
// is there.
func (s *scanner) readName(dst []byte) ([]byte, bool, error) {
	n := len(dst)
	for {
		if s.pos == s.end && !s.fill(1) {
			if len(dst) == n {
				return dst, false, s.failed()
			}
			return dst, true, s.failed()
		}
		i := s.pos
		for i < s.end && isNameByte(s.buf[i]) {
			i++
		}
		dst = append(dst, s.buf[s.pos:i]...)
		s.pos = i
		if len(dst)-n > maxNameBytes {
			return dst, true, s.syntax(fmt.Sprintf("name longer than %d bytes", maxNameBytes))
		}
		if i < s.end {
			return dst, len(dst) > n, nil
		}
	}
}

// validName reports whether b is an XML name (encoding/xml's rule: a
// letter, '_' or ':', then letters, digits and '_', ':', '.', '-', or
// the Unicode letters and marks of XML 1.0).
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return validNameUnicode(b)
		case 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':':
		case i > 0 && ('0' <= c && c <= '9' || c == '.' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// validNameUnicode asks encoding/xml about a name with characters beyond
// ASCII (never an ISO 20022 element), so that both accept the same names.
func validNameUnicode(b []byte) bool {
	d := xml.NewDecoder(strings.NewReader("<?" + string(b) + "?>"))
	t, err := d.RawToken()
	if err != nil {
		return false
	}
	pi, ok := t.(xml.ProcInst)
	return ok && pi.Target == string(b)
}

// nsName reads a name and splits it at its colon, as encoding/xml does: a
// name with two colons is no name.
func (s *scanner) nsName(dst []byte) (all []byte, colon int, ok bool, err error) {
	n := len(dst)
	dst, ok, err = s.readName(dst)
	if !ok || err != nil {
		return dst, -1, false, err
	}
	if err != nil {
		return dst, -1, false, err
	}
	b := dst[n:]
	if !validName(b) {
		return dst, -1, false, s.syntax("invalid XML name: " + string(b))
	}
	c := bytes.IndexByte(b, ':')
	switch {
	case c < 0:
	case bytes.IndexByte(b[c+1:], ':') >= 0:
		return dst, -1, false, nil
	case c == 0 || c == len(b)-1:
		c = -1
	}
	return dst, c, true, nil
}

func split(b []byte, colon int) (space, local []byte) {
	if colon < 0 {
		return nil, b
	}
	return b[:colon], b[colon+1:]
}

// next reads the next token.
func (s *scanner) next() (int, error) {
	for {
		kind, skipped, err := s.token()
		if !skipped || err != nil {
			return kind, err
		}
	}
}

// token reads a token, or skips a comment, processing instruction or
// directive (skipped).
func (s *scanner) token() (kind int, skipped bool, err error) {
	if s.closeNext {
		s.closeNext = false
		s.prefix, s.local = s.closeName[0], s.closeName[1]
		return tokEnd, false, nil
	}
	c, ok := s.getc()
	if !ok {
		if s.err == io.EOF {
			return tokEOF, false, io.EOF
		}
		return tokEOF, false, s.err
	}
	if c != '<' {
		s.ungetc(c)
		var err error
		s.text, err = s.readText(s.text[:0], -1, false)
		if err != nil {
			return tokEOF, false, err
		}
		return tokText, false, nil
	}
	if c, ok = s.getc(); !ok {
		return tokEOF, false, s.failed()
	}
	switch c {
	case '/':
		all, colon, ok, err := s.nsName(s.name[:0])
		s.name = all
		if !ok {
			if err == nil {
				err = s.syntax("expected element name after </")
			}
			return tokEOF, false, err
		}
		s.prefix, s.local = split(all, colon)
		s.space()
		if c, ok = s.getc(); !ok {
			return tokEOF, false, s.failed()
		}
		if c != '>' {
			return tokEOF, false, s.syntax("invalid characters between </" + string(s.local) + " and >")
		}
		return tokEnd, false, nil
	case '?':
		if err := s.procInst(); err != nil {
			return tokEOF, false, err
		}
		return tokEOF, true, nil
	case '!':
		text, err := s.bang()
		if err != nil {
			return tokEOF, false, err
		}
		if text {
			return tokText, false, nil
		}
		return tokEOF, true, nil
	}
	s.ungetc(c)
	kind, err = s.startTag()
	return kind, false, err
}

func (s *scanner) startTag() (int, error) {
	all, colon, ok, err := s.nsName(s.name[:0])
	s.name = all
	if !ok {
		if err == nil {
			err = s.syntax("expected element name after <")
		}
		return tokEOF, err
	}
	s.attrs = s.attrs[:0]
	s.vals = s.vals[:0]
	for {
		s.space()
		c, ok := s.getc()
		if !ok {
			return tokEOF, s.failed()
		}
		if c == '/' {
			if c, ok = s.getc(); !ok {
				return tokEOF, s.failed()
			}
			if c != '>' {
				return tokEOF, s.syntax("expected /> in element")
			}
			s.closeNext = true
			break
		}
		if c == '>' {
			break
		}
		s.ungetc(c)
		from := len(s.vals)
		vals, acolon, ok, err := s.nsName(s.vals)
		s.vals = vals
		if !ok {
			if err == nil {
				err = s.syntax("expected attribute name in element")
			}
			return tokEOF, err
		}
		var a attr
		if acolon < 0 {
			a.local = span{from, len(s.vals)}
		} else {
			a.space, a.local = span{from, from + acolon}, span{from + acolon + 1, len(s.vals)}
		}
		s.space()
		if c, ok = s.getc(); !ok {
			return tokEOF, s.failed()
		}
		if c != '=' {
			return tokEOF, s.syntax("attribute name without = in element")
		}
		s.space()
		if c, ok = s.getc(); !ok {
			return tokEOF, s.failed()
		}
		if c != '"' && c != '\'' {
			return tokEOF, s.syntax("unquoted or missing attribute value in element")
		}
		from = len(s.vals)
		if s.vals, err = s.readText(s.vals, int(c), false); err != nil {
			return tokEOF, err
		}
		a.value = span{from, len(s.vals)}
		s.attrs = append(s.attrs, a)
		if len(s.vals) > maxTagBytes || len(s.attrs) > maxTagAttrs {
			return tokEOF, s.syntax(fmt.Sprintf("start tag <%s> longer than %d bytes or with more than %d attributes", all, maxTagBytes, maxTagAttrs))
		}
	}
	s.prefix, s.local = split(all, colon)
	if s.closeNext {
		s.closeName = [2][]byte{s.prefix, s.local}
	}
	return tokStart, nil
}

// procInst skips a processing instruction (after <?), and switches to the
// encoding an XML declaration names.
func (s *scanner) procInst() error {
	target, ok, err := s.readName(s.text[:0])
	s.text = target
	switch {
	case err != nil:
		return err
	case !ok:
		return s.syntax("expected target name after <?")
	case !validName(target):
		return s.syntax("invalid XML name: " + string(target))
	}
	isXML := string(target) == "xml"
	s.space()
	s.text = s.text[:0]
	var b0 byte
	for {
		c, ok := s.getc()
		if !ok {
			return s.failed()
		}
		s.text = append(s.text, c)
		if b0 == '?' && c == '>' {
			break
		}
		if len(s.text) > maxPInstBytes {
			return s.syntax(fmt.Sprintf("processing instruction longer than %d bytes", maxPInstBytes))
		}
		b0 = c
	}
	if !isXML {
		return nil
	}
	content := string(s.text[:len(s.text)-2])
	if v := procInstParam("version", content); v != "" && v != "1.0" {
		return fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", v)
	}
	enc := procInstParam("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return nil
	}
	// The rest of the input is in that encoding: what is buffered, then
	// the source.
	rest := bytes.Clone(s.buf[s.pos:s.end])
	var src io.Reader = bytes.NewReader(rest)
	if s.err == nil {
		src = io.MultiReader(src, s.src)
	}
	r, err := s.charset(enc, src)
	if err != nil {
		return fmt.Errorf("xml: opening charset %q: %w", enc, err)
	}
	s.src, s.pos, s.end, s.err = r, 0, 0, nil
	return nil
}

// procInstParam is the value of param="…" in an XML declaration's content,
// found as encoding/xml finds it.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
