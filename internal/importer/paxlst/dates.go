package paxlst

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// century says how a two-digit year is completed.
type century int

const (
	pastCentury    century = iota // latest date not after the reference (birth, issue)
	nearestCentury                // year closest to the reference (expiry, flights)
)

// ediDate reads a DTM value by its length, which agrees with format codes
// 101/102 (dates) and 201/203/204 (date-times) and also serves when the code
// is missing: YYMMDD, CCYYMMDD, YYMMDDHHMM, CCYYMMDDHHMM, CCYYMMDDHHMMSS. It returns the date (and time, if given).
func ediDate(v string, c century, ref time.Time) (t time.Time, hasTime bool, err error) {
	v = strings.TrimSpace(v)
	bad := fmt.Errorf("invalid date %q", printable(v))
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return t, false, bad
		}
	}
	n := func(s string) int { x, _ := strconv.Atoi(s); return x }
	var yy, cc, mo, d, h, mi, sec int
	full := false
	switch len(v) {
	case 6, 10:
		yy, mo, d = n(v[0:2]), n(v[2:4]), n(v[4:6])
		if len(v) == 10 {
			h, mi, hasTime = n(v[6:8]), n(v[8:10]), true
		}
	case 8, 12, 14:
		cc, yy, mo, d, full = n(v[0:2]), n(v[2:4]), n(v[4:6]), n(v[6:8]), true
		if len(v) >= 12 {
			h, mi, hasTime = n(v[8:10]), n(v[10:12]), true
		}
		if len(v) == 14 {
			sec = n(v[12:14])
		}
	default:
		return t, false, bad
	}
	if h > 23 || mi > 59 || sec > 59 {
		return t, false, bad
	}
	year := cc*100 + yy
	if !full {
		year = ref.Year()/100*100 + yy
	}
	mk := func(y int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC) }
	t = mk(year)
	if t.Month() != time.Month(mo) || t.Day() != d || mo < 1 || d < 1 {
		// February 29 may exist in the other century only.
		if !full && mo == 2 && d == 29 {
			if alt := mk(year - 100); alt.Day() == 29 && c == pastCentury {
				return alt, hasTime, nil
			}
		}
		return time.Time{}, false, bad
	}
	if full {
		return t, hasTime, nil
	}
	switch c {
	case pastCentury:
		refDay := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
		if t.Truncate(24 * time.Hour).After(refDay) {
			t = mk(year - 100)
		}
	case nearestCentury:
		if year-ref.Year() > 50 {
			t = mk(year - 100)
		} else if ref.Year()-year > 50 {
			t = mk(year + 100)
		}
	}
	if t.Day() != d { // Feb 29 moved to a non-leap year
		return time.Time{}, false, bad
	}
	return t, hasTime, nil
}

func formatDate(t time.Time) string { return t.Format("2006-01-02") }

func formatDateTime(t time.Time, hasTime bool) string {
	if !hasTime {
		return formatDate(t)
	}
	return t.Format("2006-01-02T15:04")
}
