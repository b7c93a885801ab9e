package concord

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"un-QDi.001": true, "ofac-12345": true, "m-es-0123abcd": true, "job-1f2e": true, "a": true,
		"NK-2FzAbc_x": true, "wd:Q42": true, "user@es": true,
		"":                              false,
		"-leading":                      false,
		"has space":                     false,
		"nul\x00":                       false,
		"é":                             false,
		"a/b":                           false,
		strings.Repeat("x", MaxIDLen):   true,
		strings.Repeat("x", MaxIDLen+1): false,
	} {
		if err := CheckID(id); (err == nil) != ok {
			t.Errorf("CheckID(%.20q): %v, want ok=%v", id, err, ok)
		}
	}
	err := CheckID(strings.Repeat("y", 1<<20))
	if err == nil || len(err.Error()) > 100 {
		t.Errorf("a 1 MB id: %v", err)
	}
}

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		s         string
		multiline bool
		want      string // "" = ok, else a part of the message
	}{
		{"Abu Bakr al-Baghdadi", false, ""},
		{"أبو بكر البغدادي", false, ""},
		{"tab\tok", false, ""},
		{"two\nlines", true, ""},
		{"two\nlines", false, "control character U+000A"},
		{"nul\x00byte", false, "NUL byte (at byte 3)"},
		{"bell\x07", true, "U+0007"},
		{"del\x7f", false, "U+007F"},
		{"c1\u0085", true, "U+0085"},
		{"bad \xff utf8", false, "not valid UTF-8 (byte 0xFF at 4)"},
		{"cut \xe2\x82", false, "not valid UTF-8"},
		{"surrogate \xed\xa0\x80", false, "not valid UTF-8"},
		{"replacement \ufffd kept", false, ""},
		{strings.Repeat("x", 11), false, "11 bytes, at most 10"},
	} {
		max := 1000
		if strings.Contains(c.want, "at most 10") {
			max = 10
		}
		err := CheckText(c.s, max, c.multiline)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckText(%q): %v", c.s, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckText(%q) = %v, want %q", c.s, err, c.want)
		}
	}
}

func TestCheckValue(t *testing.T) {
	person := SchemaByName("Person")
	for _, c := range []struct {
		prop, v string
		want    string
	}{
		{"birthDate", "1971", ""},
		{"birthDate", "1971-07", ""},
		{"birthDate", "1971-07-28", ""},
		{"birthDate", "2024-02-29", ""},
		{"createdAt", "2026-03-01T09:00:00Z", ""},
		{"createdAt", "2026-03-01T09:00", ""},
		{"createdAt", "2026-03-01T09:00:00.123+03:00", ""},
		{"birthDate", "not a date", `"not a date" is not a date`},
		{"birthDate", "1971-13", "is not a date"},
		{"birthDate", "2023-02-29", "is not a date"},
		{"birthDate", "0000", "is not a date"},
		{"birthDate", "19711", "is not a date"},
		{"birthDate", "2015-03-27-04:00", "is not a date"},
		{"nationality", "sy", ""},
		{"nationality", "suhh", ""},
		{"nationality", "Syria", "not a country code"},
		{"gender", "female", ""},
		{"gender", "f", "want male, female or other"},
		{"name", "Seif al-Adel", ""},
		{"name", "a\x00b", "NUL byte"},
		{"notes", "line one\nline two", ""},
		{"name", "line one\nline two", "control character"},
		{"passportNumber", " A123", "without spaces at the ends"},
		{"addressEntity", "un-addr-1", ""},
		{"addressEntity", "not an id", "entity reference"},
		{"shoeSize", "44", `schema Person has no property "shoeSize"`},
		{"name", "", "empty value"},
		{"name", strings.Repeat("n", MaxValueLen+1), "at most 4096"},
	} {
		err := CheckValue(person, c.prop, c.v)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s=%q: %v", c.prop, c.v, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s=%.40q: %v, want %q", c.prop, c.v, err, c.want)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s=%q: code %s", c.prop, c.v, ErrorCode(err))
		}
	}
	if err := FieldError("properties.birthDate[0]", CheckValue(person, "birthDate", "not a date")); err == nil ||
		!strings.HasPrefix(ErrorMessage(err), "properties.birthDate[0]: ") {
		t.Errorf("FieldError: %v", err)
	}
}

func TestQuote(t *testing.T) {
	if q := Quote("abc"); q != `"abc"` {
		t.Errorf("Quote(abc) = %s", q)
	}
	long := strings.Repeat("é", 100)
	q := Quote(long)
	if len(q) > 100 || !strings.HasSuffix(q, "(200 bytes)") || !utf8.ValidString(q) {
		t.Errorf("Quote(long) = %s", q)
	}
	if q := Quote("a\x00\xff"); q != `"a\x00\xff"` {
		t.Errorf("Quote escapes: %s", q)
	}
}

func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"", "Abu Bakr", "a\x00", "\xff", "أبو", "x\ny", "\u0085", "\xed\xa0\x80"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		if CheckText(s, MaxValueLen, multiline) != nil {
			return
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || len(s) > MaxValueLen {
			t.Fatalf("CheckText accepted %q", s)
		}
		for _, r := range s {
			if r < 0x20 && r != '\t' && !(multiline && (r == '\n' || r == '\r')) || r >= 0x7f && r <= 0x9f {
				t.Fatalf("CheckText accepted control %U in %q", r, s)
			}
		}
	})
}

func FuzzValidDate(f *testing.F) {
	for _, s := range []string{"1971", "1971-07", "1971-07-28", "2026-03-01T09:00:00Z", "not a date", "2015-03-27-04:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidDate(s) {
			return
		}
		if len(s) < 4 || !digits(s[:4]) {
			t.Fatalf("ValidDate accepted %q", s)
		}
	})
}
