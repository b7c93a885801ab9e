package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func d(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }

// TestWrite: the structure, the exclusive end of an all-day event,
// escaping, and folding that keeps every line within 75 octets and every
// UTF-8 sequence whole.
func TestWrite(t *testing.T) {
	c := Calendar{ProdID: "-//Concord//test//EN", Name: "es", Stamp: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Events: []Event{{UID: "m1@concord", Start: d("2025-05-27"), End: d("2025-05-28"), Summary: "TTWG; inaugural, meeting",
			Location: "INTERPOL General Secretariat, Lyon", Description: strings.Repeat("Türkiye–led ISIS-K line\n", 8)}},
		Todos: []Todo{{UID: "a1@concord", Due: d("2025-09-30"), Summary: `work plan \ API`, Status: "NEEDS-ACTION"}}}
	var b bytes.Buffer
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "DTSTART;VALUE=DATE:20250527\r\n", "DTEND;VALUE=DATE:20250529\r\n",
		`SUMMARY:TTWG\; inaugural\, meeting`, "DUE;VALUE=DATE:20250930\r\n", `SUMMARY:work plan \\ API`, "DTSTAMP:20260301T090000Z\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("every line ends in CRLF, no bare LF")
	}
	var unfolded []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("a fold split a UTF-8 sequence: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			unfolded[len(unfolded)-1] += l[1:]
			continue
		}
		unfolded = append(unfolded, l)
	}
	desc := ""
	for _, l := range unfolded {
		if strings.HasPrefix(l, "DESCRIPTION:") {
			desc = strings.TrimPrefix(l, "DESCRIPTION:")
		}
	}
	if desc != strings.Repeat(`Türkiye–led ISIS-K line\n`, 8) {
		t.Errorf("unfolded description %q", desc)
	}
}
