package swiftmt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Bounds that keep memory flat whatever the input.
const (
	maxBlock  = 1 << 16 // bytes of one block (an MT103 text block holds at most 10,000 characters)
	maxFields = 512     // fields of one text block
)

// raw is one message as read: its header blocks and its text fields.
type raw struct {
	index  int
	line   int    // line where the message starts
	b1, b2 string // basic and application headers
	b3     map[string]string
	fields []field
}

// field is one field of block 4: its tag, its lines and where it starts.
type field struct {
	Tag   string
	Lines []string
	Line  int
}

// lexer reads messages one at a time, counting lines.
type lexer struct {
	r    *bufio.Reader
	file string
	line int
	n    int // messages read
}

var reTag = regexp.MustCompile(`^:([0-9]{2}[A-Z]?):`)

// Detect reports whether head (the first bytes of a file) is a SWIFT MT
// message: it begins with a basic header block {1:F01…, or with the fields
// of a text block (":20:" and more).
func Detect(head []byte) bool {
	h := bytes.TrimLeft(head, "\x01\xef\xbb\xbf \t\r\n$")
	if bytes.HasPrefix(h, []byte("{1:F")) || bytes.HasPrefix(h, []byte("{1:A")) || bytes.HasPrefix(h, []byte("{1:L")) ||
		bytes.HasPrefix(h, []byte("{2:")) || bytes.HasPrefix(h, []byte("{4:")) {
		return true
	}
	return bytes.HasPrefix(h, []byte(":20:")) && (bytes.Contains(h, []byte("\n:32A:")) || bytes.Contains(h, []byte("\n:23B:")))
}

func (l *lexer) err(line int, fieldTag string, format string, args ...any) error {
	return &Error{File: l.file, Line: line, Message: l.n, Field: fieldTag, Err: fmt.Errorf(format, args...)}
}

func (l *lexer) readByte() (byte, error) {
	c, err := l.r.ReadByte()
	if err == nil && c == '\n' {
		l.line++
	}
	return c, err
}

func (l *lexer) peek() (byte, bool) {
	b, err := l.r.Peek(1)
	if err != nil {
		return 0, false
	}
	return b[0], true
}

// skipSpace skips white space, control characters and "$" separators
// between messages.
func (l *lexer) skipSpace() {
	for {
		c, ok := l.peek()
		if !ok || !(c <= ' ' || c == '$' || c == 0x7f) {
			return
		}
		_, _ = l.readByte()
	}
}

// next reads the next message; io.EOF when there is none.
func (l *lexer) next() (*raw, error) {
	l.skipSpace()
	c, ok := l.peek()
	if !ok {
		return nil, io.EOF
	}
	l.n++
	m := &raw{index: l.n, line: l.line, b3: map[string]string{}}
	if c == ':' { // a text block on its own
		if err := l.text(m, false); err != nil {
			return nil, err
		}
		return m, nil
	}
	for {
		c, ok := l.peek()
		if !ok || c != '{' {
			break
		}
		start := l.line
		_, _ = l.readByte()
		id, err := l.until(':', 3)
		if err != nil {
			return nil, l.err(start, "block", "block without an identifier")
		}
		switch id {
		case "1", "2":
			if m.fields != nil || m.b2 != "" && id == "1" {
				return nil, l.err(start, "block "+id, "block %s after a later block", id)
			}
			v, err := l.until('}', 64)
			if err != nil {
				return nil, l.err(start, "block "+id, "block %s does not close", id)
			}
			if id == "1" {
				m.b1 = strings.TrimSpace(v)
			} else {
				m.b2 = strings.TrimSpace(v)
			}
		case "3":
			v, err := l.balanced()
			if err != nil {
				return nil, l.err(start, "block 3", "%v", err)
			}
			for _, t := range reB3.FindAllStringSubmatch(v, -1) {
				m.b3[t[1]] = t[2]
			}
		case "4":
			if err := l.text(m, true); err != nil {
				return nil, err
			}
		case "5", "S":
			if _, err := l.balanced(); err != nil {
				return nil, l.err(start, "block "+id, "%v", err)
			}
		default:
			return nil, l.err(start, "block", "unknown block {%s:", printable(id))
		}
		if m.fields != nil {
			// Trailer blocks may follow, on the same line or the next; a
			// new message starts with {1: (or {2:, {4:).
			l.skipLineBreaks()
			if b, err := l.r.Peek(3); err != nil || string(b) != "{5:" && string(b) != "{S:" {
				break
			}
		}
	}
	if m.fields == nil {
		return nil, l.err(m.line, "block 4", "no text block {4: in the message")
	}
	return m, nil
}

func (l *lexer) skipLineBreaks() {
	for {
		c, ok := l.peek()
		if !ok || c != '\r' && c != '\n' {
			return
		}
		_, _ = l.readByte()
	}
}

// until reads up to the delimiter (consumed, not returned), at most max bytes.
func (l *lexer) until(delim byte, max int) (string, error) {
	var b []byte
	for len(b) <= max {
		c, err := l.readByte()
		if err != nil {
			return "", err
		}
		if c == delim {
			return string(b), nil
		}
		if c == '{' || c == '}' {
			return "", errors.New("unexpected brace")
		}
		b = append(b, c)
	}
	return "", errors.New("too long")
}

// balanced reads the rest of a block whose content may hold {…} groups.
func (l *lexer) balanced() (string, error) {
	var b []byte
	depth := 1
	for len(b) < maxBlock {
		c, err := l.readByte()
		if err != nil {
			return "", errors.New("block does not close (truncated message?)")
		}
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return string(b), nil
			}
		}
		b = append(b, c)
	}
	return "", fmt.Errorf("block longer than %d bytes", maxBlock)
}

// text reads the fields of block 4 up to its "-}" end (or, for a text block
// without braces, up to the end of input, a "-" line or a blank line).
func (l *lexer) text(m *raw, braced bool) error {
	start := l.line
	size := 0
	m.fields = []field{}
	var cur *field
	for {
		lineNo := l.line + 1
		if braced {
			if b, err := l.r.Peek(2); err == nil && string(b) == "-}" {
				_, _ = l.r.Discard(2)
				return nil
			}
		}
		s, err := l.r.ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		if strings.HasSuffix(s, "\n") {
			l.line++
		}
		if size += len(s); size > maxBlock {
			return l.err(start+1, "block 4", "text block longer than %d bytes", maxBlock)
		}
		if err == io.EOF && s == "" {
			if braced {
				return l.err(lineNo, "block 4", "text block has no \"-}\" end (truncated message?)")
			}
			return nil
		}
		t := strings.TrimRight(s, "\r\n")
		if !utf8.ValidString(t) {
			t = latin1(t)
		}
		switch {
		case !braced && (strings.TrimSpace(t) == "-" || t == "" && cur != nil):
			return nil
		case t == "" && cur == nil:
			// the line break after "{4:"
		case reTag.MatchString(t):
			if len(m.fields) >= maxFields {
				return l.err(lineNo, "block 4", "more than %d fields", maxFields)
			}
			tag := reTag.FindStringSubmatch(t)
			m.fields = append(m.fields, field{Tag: tag[1], Lines: []string{t[len(tag[0]):]}, Line: lineNo})
			cur = &m.fields[len(m.fields)-1]
		case cur == nil:
			return l.err(lineNo, "block 4", "line %q is not a field (want :TAG:)", printable(t))
		default:
			cur.Lines = append(cur.Lines, t)
		}
		if err == io.EOF {
			if braced {
				return l.err(lineNo+1, "block 4", "text block has no \"-}\" end (truncated message?)")
			}
			return nil
		}
	}
}

// latin1 reads bytes that are not UTF-8 as ISO 8859-1.
func latin1(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// printable keeps error text readable whatever the input holds.
func printable(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
