package concord

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"
)

// TestStatementID checks StatementID against the hash written plainly
// (each field and a zero byte into a hash.Hash), on short fields and on a
// value longer than its stack buffer, and against one id as stores hold it.
func TestStatementID(t *testing.T) {
	plain := func(f ...string) string {
		h := sha1.New()
		for _, p := range f {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	cases := [][6]string{
		{"", "", "", "", "", ""},
		{"un:QDi.001", "name", "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE", "", "un", "secretariat"},
		{"syn-1", "alias", "محمد صلاح الدين", "ara", "synthetic", "fr-dgsi"},
		{"e", "notes", strings.Repeat("long value ", 100), "en", "d", "c"},
	}
	for _, c := range cases {
		if got, want := StatementID(c[0], c[1], c[2], c[3], c[4], c[5]), plain(c[:]...); got != want {
			t.Errorf("%q: %s, want %s", c, got, want)
		}
	}
	// printf 'syn-1\0id\0syn-1\0\0synthetic\0\0' | sha1sum
	if got, want := StatementID("syn-1", "id", "syn-1", "", "synthetic", ""), "1d0ab1dd8e6416a84faa5c0966042630e2d13ec2"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
}
