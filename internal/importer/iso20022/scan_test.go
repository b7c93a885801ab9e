package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

func charset(label string, in io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("encoding %q not supported", label)
	}
	return transform.NewReader(in, enc.NewDecoder()), nil
}

// stdTokens is what encoding/xml's RawToken reads of b, as the scanner
// reports it: start tags with their attributes and line, end tags and
// texts, one a line; then "error" or "end".
func stdTokens(b []byte) []string {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = charset
	var out []string
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		d = xml.NewDecoder(bytes.NewReader(b[3:]))
		d.CharsetReader = charset
	}
	for {
		t, err := d.RawToken()
		if err == io.EOF {
			return append(out, "end")
		}
		if err != nil {
			return append(out, "error")
		}
		line, _ := d.InputPos()
		switch t := t.(type) {
		case xml.StartElement:
			s := fmt.Sprintf("start %d %q %q", line, t.Name.Space, t.Name.Local)
			for _, a := range t.Attr {
				s += fmt.Sprintf(" %q:%q=%q", a.Name.Space, a.Name.Local, a.Value)
			}
			out = append(out, s)
		case xml.EndElement:
			out = append(out, fmt.Sprintf("end %d %q %q", line, t.Name.Space, t.Name.Local))
		case xml.CharData:
			out = append(out, fmt.Sprintf("text %d %q", line, []byte(t)))
		}
	}
}

// scanTokens is the same of the scanner.
func scanTokens(b []byte) []string {
	s := newScanner(bytes.NewReader(b), charset)
	var out []string
	for {
		kind, err := s.next()
		if err == io.EOF {
			return append(out, "end")
		}
		if err != nil {
			return append(out, "error")
		}
		switch kind {
		case tokStart:
			t := fmt.Sprintf("start %d %q %q", s.line, s.prefix, s.local)
			for _, a := range s.attrs {
				t += fmt.Sprintf(" %q:%q=%q", s.bytesOf(a.space), s.bytesOf(a.local), s.bytesOf(a.value))
			}
			out = append(out, t)
		case tokEnd:
			out = append(out, fmt.Sprintf("end %d %q %q", s.line, s.prefix, s.local))
		case tokText:
			out = append(out, fmt.Sprintf("text %d %q", s.line, s.text))
		}
	}
}

// sameTokens reports how the scanner and encoding/xml differ on b, "" when
// they do not. Where encoding/xml stops quietly in the middle of a tag that
// the input cuts short (an attribute value at the end of the input), the
// scanner's error is the better answer and is allowed.
func sameTokens(b []byte) string {
	std, got := stdTokens(b), scanTokens(b)
	if len(std) == len(got) && strings.Join(std, "\n") == strings.Join(got, "\n") {
		return ""
	}
	if std[len(std)-1] == "end" && got[len(got)-1] == "error" && len(got) == len(std) &&
		strings.Join(std[:len(std)-1], "\n") == strings.Join(got[:len(got)-1], "\n") {
		return ""
	}
	return fmt.Sprintf("encoding/xml:\n%s\nscanner:\n%s", strings.Join(std, "\n"), strings.Join(got, "\n"))
}

var scanCases = []string{
	``,
	`<a/>`,
	`<a></a>`,
	`<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:x" xmlns:h='urn:h'><h:AppHdr a = "1" b='2'/></Document>`,
	"\xef\xbb\xbf<a>b</a>",
	"<a>\r\nx\ry\r\r\nz</a>",
	`<a x="1&amp;2&#65;&#x42;&lt;&gt;&apos;&quot;">&amp;&#1575;&#x1F600;</a>`,
	`<a>&bad;</a>`,
	`<a>&amp</a>`,
	`<a>&#;</a>`,
	`<a>&#0;</a>`,
	`<a>&#xD800;</a>`,
	`<a>&#12</a>`,
	`<a><![CDATA[<b>&amp;]]]]></a>`,
	`<a><![CDATA[x`,
	`<a><![CDAT[x]]></a>`,
	`<a>]]></a>`,
	`<a>]]</a>`,
	`<!-- c --><a><!-- d -- e --></a>`,
	`<!-- c --- --><a/>`,
	`<!- c --><a/>`,
	`<!DOCTYPE a [<!ELEMENT a ANY><!-- c > -->]><a/>`,
	`<!DOCTYPE a "x>y" 'z'><a/>`,
	`<?pi some data?><a/><?xml-stylesheet href="x"?>`,
	`<?xml version="1.1"?><a/>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a>Jos` + "\xe9</a>",
	`<?xml version="1.0" encoding="windows-1256"?><a>` + "\xe3\xcd\xe3\xcf</a>",
	`<?xml version="1.0" encoding="no-such"?><a/>`,
	`<?xml encoding='utf-8'?><a/>`,
	`< a/>`,
	`<a b/>`,
	`<a b=c/>`,
	`<a b="c/>`,
	`<a b="<"/>`,
	`<a/ >`,
	`<a></a b>`,
	`<a></ a>`,
	`<a:b:c/>`,
	`<:a/>`,
	`<a:/>`,
	`<p:a xmlns:p="u"></p:a>`,
	`<1a/>`,
	`<a.b-c_d/>`,
	`<ä/>`,
	"<a\u00b7b/>",
	"<\u0300a/>",
	"<a>\x01</a>",
	"<a>\xff</a>",
	"<a>\xef\xbf\xbe</a>",
	"<a\n\nb='1'\n>\n</a\n>",
	`<a>text`,
	`<a`,
	`<a b="c`,
	`<a b="c"`,
	`</`,
	`<?`,
	`<?x`,
	`<!`,
	`<!--`,
	`<!DOCTYPE`,
	`<a>&`,
	`<a>&#x`,
	`text only`,
	`<a x='"' y="'"/>`,
	"<a x='1\n2\r\n3'/>",
}

// TestScanLikeEncodingXML checks the scanner against encoding/xml on
// well-formed and broken documents: the same tokens, lines and errors.
func TestScanLikeEncodingXML(t *testing.T) {
	for _, c := range scanCases {
		if d := sameTokens([]byte(c)); d != "" {
			t.Errorf("%q:\n%s", c, d)
		}
	}
	for _, p := range samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameTokens(b); d != "" {
			t.Errorf("%s:\n%s", p, d)
		}
	}
}

// TestScanSmallReads reads through a reader that returns a byte at a time:
// tokens across the buffer's refills.
func TestScanSmallReads(t *testing.T) {
	for _, c := range scanCases {
		s := newScanner(&oneByte{strings.NewReader(c)}, charset)
		var got []string
		for {
			kind, err := s.next()
			if err != nil {
				got = append(got, fmt.Sprint(err == io.EOF))
				break
			}
			got = append(got, fmt.Sprintf("%d %q %q %q %d", kind, s.prefix, s.local, s.text, s.line))
		}
		s = newScanner(strings.NewReader(c), charset)
		var want []string
		for {
			kind, err := s.next()
			if err != nil {
				want = append(want, fmt.Sprint(err == io.EOF))
				break
			}
			want = append(want, fmt.Sprintf("%d %q %q %q %d", kind, s.prefix, s.local, s.text, s.line))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q: one byte at a time\n%s\nat once\n%s", c, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// FuzzScan checks the scanner against encoding/xml on any input.
func FuzzScan(f *testing.F) {
	for _, c := range scanCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d := sameTokens(b); d != "" {
			t.Fatalf("%q:\n%s", b, d)
		}
	})
}
