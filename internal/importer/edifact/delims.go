package edifact

// Delims are the service characters of an interchange.
type Delims struct {
	Component, Data, Decimal, Release, Repetition, Terminator byte
	// HasRelease is false when UNA declares a space as release character
	// (no release character).
	HasRelease bool
}

// Default are the service characters of an interchange without UNA.
var Default = Delims{Component: ':', Data: '+', Decimal: '.', Release: '?', Repetition: ' ', Terminator: '\'', HasRelease: true}

// isSep reports whether c is a service character that structures segments.
func (d *Delims) isSep(c byte) bool {
	return c == d.Component || c == d.Data || c == d.Terminator || d.HasRelease && c == d.Release
}

// lookahead is how many bytes after a candidate "UN" are inspected to
// recognise the start of an interchange.
const lookahead = 256

// Start finds the first UNA or UNB in b that starts an interchange and
// returns its offset, the offset where the segments begin (after the UNA)
// and the delimiters.
func Start(b []byte) (start, body int, d Delims, ok bool) {
	for i := 0; i+3 <= len(b); i++ {
		if b[i] != 'U' || (i > 0 && isAlnum(b[i-1])) {
			continue
		}
		if n, d, ok := at(b[i:min(len(b), i+lookahead)]); ok {
			return i, i + n, d, true
		}
	}
	return 0, 0, Delims{}, false
}

// at reports whether b starts with an interchange: a UNA whose separators a
// UNB uses, or a UNB with the default separators. body is the length of the
// UNA (0 for a UNB).
func at(b []byte) (body int, d Delims, ok bool) {
	if len(b) < 4 || b[0] != 'U' || b[1] != 'N' {
		return 0, Delims{}, false
	}
	switch b[2] {
	case 'A':
		if d, ok := parseUNA(b); ok {
			return 9, d, true
		}
	case 'B':
		if b[3] == Default.Data {
			return 0, Default, true
		}
	}
	return 0, Delims{}, false
}

// parseUNA reads "UNA" and its six service characters, and checks that a UNB
// using them follows (after optional white space and line breaks).
func parseUNA(b []byte) (Delims, bool) {
	if len(b) < 9 {
		return Delims{}, false
	}
	d := Delims{Component: b[3], Data: b[4], Decimal: b[5], Release: b[6], Repetition: b[7], Terminator: b[8], HasRelease: b[6] != ' '}
	if d.Component == d.Data || d.Component == d.Terminator || d.Data == d.Terminator ||
		isAlnum(d.Component) || isAlnum(d.Data) || isAlnum(d.Terminator) ||
		(d.HasRelease && (d.Release == d.Component || d.Release == d.Data || d.Release == d.Terminator)) {
		return Delims{}, false
	}
	// The UNB may follow after white space and be wrapped itself.
	rest := b[9:]
	for len(rest) > 0 && isSpaceOrControl(rest[0]) && rest[0] != d.Data {
		rest = rest[1:]
	}
	var next [4]byte
	n := 0
	for i := 0; i < len(rest) && n < 4 && i < 64; i++ {
		if c := rest[i]; (c != '\r' && c != '\n') || c == d.Data {
			next[n] = c
			n++
		}
	}
	if n < 4 || string(next[:3]) != "UNB" || next[3] != d.Data && next[3] != ' ' {
		return Delims{}, false
	}
	return d, true
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isSpaceOrControl(c byte) bool { return c <= ' ' || c == 0x7f }

// ValidTag reports whether t is a segment tag: three upper-case letters or
// digits.
func ValidTag(t string) bool {
	if len(t) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c := t[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
