package edifact

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Decoder converts the text of segments to UTF-8 according to the syntax
// identifier of UNB: UNOC..UNOK are ISO 8859 parts; UNOW, UNOY and anything
// else are read as UTF-8 (UNOA, UNOB and the airlines' "IATA" are ASCII,
// which UTF-8 includes).
type Decoder struct{ cm *charmap.Charmap }

// NewDecoder returns the decoder of a UNB syntax identifier such as "UNOC".
func NewDecoder(syntax string) Decoder {
	var cm *charmap.Charmap
	switch syntax {
	case "UNOC":
		cm = charmap.ISO8859_1
	case "UNOD":
		cm = charmap.ISO8859_2
	case "UNOE":
		cm = charmap.ISO8859_5
	case "UNOF":
		cm = charmap.ISO8859_7
	case "UNOG":
		cm = charmap.ISO8859_3
	case "UNOH":
		cm = charmap.ISO8859_4
	case "UNOI":
		cm = charmap.ISO8859_6
	case "UNOJ":
		cm = charmap.ISO8859_8
	case "UNOK":
		cm = charmap.ISO8859_9
	}
	return Decoder{cm: cm}
}

// Decode converts the components of seg in place. Bytes that are not valid
// under the declared syntax are kept when they form valid UTF-8 and replaced
// by U+FFFD otherwise; Decode reports whether it replaced any.
func (dec Decoder) Decode(seg *Segment) (replaced bool) {
	for j := range seg.Elems {
		for k, v := range seg.Elems[j] {
			switch {
			case isASCII(v):
				continue
			case dec.cm != nil:
				v = decode8(dec.cm, v)
			case utf8.ValidString(v):
			default:
				v, replaced = strings.ToValidUTF8(v, "\uFFFD"), true
			}
			seg.Elems[j][k] = v
		}
	}
	return replaced
}

func decode8(cm *charmap.Charmap, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(cm.DecodeByte(s[i]))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
