package pnrgov

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"concord/internal/importer/edifact"
)

// PNRGOV writes dates the IATA way: DDMMYY in DAT, RCI, PTK and TVL (UNB
// keeps the EDIFACT YYMMDD), times HHMM or HHMMSS, and DDMMMYY in the free
// text of SSR DOCS and DOCO.

// dayDate reads a DDMMYY date (DDMMCCYY is accepted too) and an optional
// HHMM or HHMMSS time. It returns the formatted value: "2006-01-02",
// "2006-01-02T15:04" or "2006-01-02T15:04:05".
func dayDate(date, hm string, c edifact.Century, ref time.Time) (string, error) {
	date, hm = strings.TrimSpace(date), strings.TrimSpace(hm)
	p, ok := ddmmyy(date)
	if !ok {
		return "", fmt.Errorf("invalid date %q (want DDMMYY)", edifact.Printable(date))
	}
	layout := "2006-01-02"
	switch len(hm) {
	case 0:
	case 4, 6:
		if !allDigits(hm) {
			return "", fmt.Errorf("invalid time %q", edifact.Printable(hm))
		}
		p.Hour, p.Minute = atoi(hm[0:2]), atoi(hm[2:4])
		layout += "T15:04"
		if len(hm) == 6 {
			p.Second = atoi(hm[4:6])
			layout += ":05"
		}
	default:
		return "", fmt.Errorf("invalid time %q", edifact.Printable(hm))
	}
	t, ok := p.Time(c, ref)
	if !ok {
		return "", fmt.Errorf("invalid date and time %q", edifact.Printable(strings.TrimSpace(date+" "+hm)))
	}
	return t.Format(layout), nil
}

func ddmmyy(v string) (edifact.Parts, bool) {
	if !allDigits(v) || len(v) != 6 && len(v) != 8 {
		return edifact.Parts{}, false
	}
	p := edifact.Parts{Day: atoi(v[0:2]), Month: atoi(v[2:4]), Year: atoi(v[4:])}
	p.Full = len(v) == 8
	return p, true
}

// month reads a three-letter English month.
func month(s string) (int, bool) {
	i := strings.Index("JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC", s)
	if len(s) != 3 || i < 0 || i%3 != 0 {
		return 0, false
	}
	return i/3 + 1, true
}

// docDate reads a DDMMMYY (or DDMMMYYYY) date of SSR free text, such as
// 12JUL64, as YYYY-MM-DD.
func docDate(v string, c edifact.Century, ref time.Time) (string, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	bad := func() error { return fmt.Errorf("invalid date %q (want DDMMMYY)", edifact.Printable(v)) }
	if len(v) != 7 && len(v) != 9 || !allDigits(v[:2]) || !allDigits(v[5:]) {
		return "", bad()
	}
	mo, ok := month(v[2:5])
	if !ok {
		return "", bad()
	}
	p := edifact.Parts{Day: atoi(v[:2]), Month: mo, Year: atoi(v[5:]), Full: len(v) == 9}
	t, ok := p.Time(c, ref)
	if !ok {
		return "", bad()
	}
	return edifact.FormatDate(t), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
