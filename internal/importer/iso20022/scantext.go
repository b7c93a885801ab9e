package iso20022

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The scanner's character data: texts, attribute values, CDATA sections
// and entities; comments and directives, which it skips.

// bang reads what follows <!: a comment or a directive (skipped), or a
// CDATA section (text: it reports true).
func (s *scanner) bang() (bool, error) {
	c, ok := s.getc()
	if !ok {
		return false, s.failed()
	}
	switch c {
	case '-':
		if c, ok = s.getc(); !ok {
			return false, s.failed()
		}
		if c != '-' {
			return false, s.syntax("invalid sequence <!- not part of <!--")
		}
		var b0, b1 byte
		for {
			c, ok := s.getc()
			if !ok {
				return false, s.failed()
			}
			if b0 == '-' && b1 == '-' {
				if c != '>' {
					return false, s.syntax(`invalid sequence "--" not allowed in comments`)
				}
				return false, nil
			}
			b0, b1 = b1, c
		}
	case '[':
		for i := 0; i < 6; i++ {
			if c, ok = s.getc(); !ok {
				return false, s.failed()
			}
			if c != "CDATA["[i] {
				return false, s.syntax("invalid <![ sequence")
			}
		}
		var err error
		s.text, err = s.readText(s.text[:0], -1, true)
		return err == nil, err
	}
	// A directive (<!DOCTYPE …>): up to the > that closes it, past quoted
	// strings, nested <…> and comments.
	var quote byte
	depth := 0
	for {
		if c, ok = s.getc(); !ok {
			return false, s.failed()
		}
		if quote == 0 && c == '>' && depth == 0 {
			return false, nil
		}
	again:
		switch {
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			for i := 0; i < 3; i++ {
				if c, ok = s.getc(); !ok {
					return false, s.failed()
				}
				if c != "!--"[i] {
					depth++
					goto again
				}
			}
			var b0, b1 byte
			for {
				if c, ok = s.getc(); !ok {
					return false, s.failed()
				}
				if b0 == '-' && b1 == '-' && c == '>' {
					break
				}
				b0, b1 = b1, c
			}
		}
	}
}

// bound is called when a run of character data grew past its limit: an
// attribute value (quote >= 0) is an error; a text run is cut to the
// limit, the rest dropped as it is read.
func (s *scanner) bound(dst []byte, start, limit, quote int) ([]byte, error) {
	if quote >= 0 {
		return nil, s.syntax(fmt.Sprintf("attribute value longer than %d bytes", limit))
	}
	return dst[:start+limit], nil
}

// entities are the five XML predefines.
var entities = map[string]string{"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": "\""}

// readText appends character data to dst, decoding entities and reading
// \r\n and \r as \n: up to the next < (quote < 0, not cdata), up to the
// closing quote (an attribute value: the quote is consumed), or up to ]]>
// (cdata: consumed).
func (s *scanner) readText(dst []byte, quote int, cdata bool) ([]byte, error) {
	start := len(dst)
	var b0, b1 byte
	var err error
	trunc := 0
	limit := s.textLimit
	if quote >= 0 {
		limit = maxTagBytes
	}
loop:
	for {
		// Plain bytes in bulk.
		if b1 != '\r' && s.pos < s.end {
			i := s.pos
			for i < s.end {
				c := s.buf[i]
				if c == '<' || c == '&' || c == '\r' || c == ']' || c == '>' || c == '\n' || int(c) == quote {
					break
				}
				i++
			}
			if i > s.pos {
				dst = append(dst, s.buf[s.pos:i]...)
				if limit > 0 && len(dst)-start > limit {
					if dst, err = s.bound(dst, start, limit, quote); err != nil {
						return nil, err
					}
				}
				b0, b1 = 0, s.buf[i-1]
				if i-s.pos > 1 {
					b0 = s.buf[i-2]
				}
				s.pos = i
			}
		}
		c, ok := s.getc()
		if !ok {
			if cdata {
				if s.err == nil || s.err == io.EOF {
					return nil, s.syntax("unexpected EOF in CDATA section")
				}
				return nil, s.err
			}
			if quote >= 0 {
				return nil, s.failed()
			}
			if s.err != nil && s.err != io.EOF {
				return nil, s.err
			}
			break loop
		}
		if quote < 0 && b0 == ']' && b1 == ']' && c == '>' {
			if cdata {
				trunc = 2
				break loop
			}
			return nil, s.syntax("unescaped ]]> not in CDATA section")
		}
		if c == '<' && !cdata {
			if quote >= 0 {
				return nil, s.syntax("unescaped < inside quoted string")
			}
			s.ungetc(c)
			break loop
		}
		if quote >= 0 && int(c) == quote {
			break loop
		}
		if c == '&' && !cdata {
			if dst, err = s.entity(dst); err != nil {
				return nil, err
			}
			b0, b1 = 0, 0
			continue
		}
		switch {
		case c == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && c == '\n':
		default:
			dst = append(dst, c)
		}
		b0, b1 = b1, c
		if limit > 0 && len(dst)-start > limit {
			if dst, err = s.bound(dst, start, limit, quote); err != nil {
				return nil, err
			}
		}
	}
	dst = dst[:len(dst)-trunc]
	for b := dst[start:]; len(b) > 0; {
		if b[0] < utf8.RuneSelf {
			if c := b[0]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return nil, s.syntax(fmt.Sprintf("illegal character code %U", rune(c)))
			}
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			return nil, s.syntax("invalid UTF-8")
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return nil, s.syntax(fmt.Sprintf("illegal character code %U", r))
		}
		b = b[size:]
	}
	return dst, nil
}

// entity reads a character or entity reference (after &) and appends what
// it stands for.
func (s *scanner) entity(dst []byte) ([]byte, error) {
	var ref [64]byte
	raw := append(ref[:0], '&')
	c, ok := s.getc()
	if !ok {
		return nil, s.failed()
	}
	text, have := "", false
	if c == '#' {
		raw = append(raw, c)
		if c, ok = s.getc(); !ok {
			return nil, s.failed()
		}
		base := 10
		if c == 'x' {
			base = 16
			raw = append(raw, c)
			if c, ok = s.getc(); !ok {
				return nil, s.failed()
			}
		}
		from := len(raw)
		for '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			raw = append(raw, c)
			if c, ok = s.getc(); !ok {
				return nil, s.failed()
			}
		}
		if c != ';' {
			s.ungetc(c)
		} else {
			n, err := strconv.ParseUint(string(raw[from:]), base, 64)
			raw = append(raw, ';')
			if err == nil && n <= utf8.MaxRune {
				return utf8.AppendRune(dst, rune(n)), nil
			}
		}
	} else {
		s.ungetc(c)
		var err error
		raw, _, err = s.readName(raw)
		if err != nil {
			return nil, err
		}
		if c, ok = s.getc(); !ok {
			return nil, s.failed()
		}
		if c != ';' {
			s.ungetc(c)
		} else {
			name := raw[1:]
			raw = append(raw, ';')
			if validName(name) {
				text, have = entities[string(name)]
			}
		}
	}
	if have {
		return append(dst, text...), nil
	}
	ent := string(raw)
	if ent[len(ent)-1] != ';' {
		ent += " (no semicolon)"
	}
	return nil, s.syntax("invalid character entity " + ent)
}
